//! What the server serves: the files of the last good build, the current error if the last build
//! failed, and a channel telling connected browsers about each change.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::outputs::{Body, OutputFile};

/// What browsers are told after a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap these without reloading.
    Css(Vec<String>),
    /// The build failed: show this message over the page.
    Error(String),
}

pub struct State {
    files: RwLock<Arc<HashMap<String, Body>>>,
    /// The path part of the site's base URL: pages link to `/sub/...`.
    base_path: RwLock<String>,
    error: RwLock<Option<String>>,
    pub updates: broadcast::Sender<Update>,
}

impl State {
    pub fn new() -> State {
        State {
            files: RwLock::new(Arc::new(HashMap::new())),
            base_path: RwLock::new(String::new()),
            error: RwLock::new(None),
            updates: broadcast::channel(16).0,
        }
    }

    /// A good build: serve its files and clear any error.
    pub fn publish(&self, files: Vec<OutputFile>, base_path: &str, update: Update) {
        *self.base_path.write().unwrap_or_else(|e| e.into_inner()) = base_path.to_string();
        let map: HashMap<String, Body> = files.into_iter().map(|f| (f.path, f.body)).collect();
        *self.files.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(map);
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        // No browser connected is fine.
        let _ = self.updates.send(update);
    }

    /// A failed build: keep the last good files, show the error.
    pub fn fail(&self, message: String) {
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
        let _ = self.updates.send(Update::Error(message));
    }

    pub fn files(&self) -> Arc<HashMap<String, Body>> {
        self.files.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn base_path(&self) -> String {
        self.base_path
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn error(&self) -> Option<String> {
        self.error.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
