//! What the server serves: the files of the last good build, the current error if the last build
//! failed, and a channel telling connected browsers about each change.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

use crate::outputs::{Body, OutputFile};
use crate::theme::Source;

/// What browsers are told after a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// Reload the page.
    Reload,
    /// Only stylesheets changed: swap these without reloading.
    Css(Vec<String>),
    /// The build failed: show this message over the page.
    Error(String),
    /// A good build that changed nothing a browser shows: clear any error overlay.
    Ok,
}

pub struct State {
    files: RwLock<Arc<HashMap<String, Body>>>,
    /// The path part of the site's base URL: pages link to `/sub/...`.
    base_path: RwLock<String>,
    error: RwLock<Option<String>>,
    pub updates: broadcast::Sender<Update>,
    /// When the last rebuild started: background work waits for the author to pause.
    last_change: std::sync::Mutex<std::time::Instant>,
}

impl State {
    pub fn new() -> State {
        State {
            files: RwLock::new(Arc::new(HashMap::default())),
            base_path: RwLock::new(String::new()),
            error: RwLock::new(None),
            updates: broadcast::channel(16).0,
            last_change: std::sync::Mutex::new(std::time::Instant::now()),
        }
    }

    /// A good build: serve its files, clear any error, and tell browsers what to do. What they
    /// are told follows from what the build changed, not from which files were saved: a save
    /// that changes no output (an editor touching a file, a second event for one save) reloads
    /// nothing, and a change that reaches stylesheets only swaps them in place.
    /// `saved` are the files the watcher saw change: a static file served from disk changes
    /// under the same source path.
    pub fn publish(&self, files: Vec<OutputFile>, base_path: &str, saved: &[PathBuf]) -> Update {
        *self.base_path.write().unwrap_or_else(|e| e.into_inner()) = base_path.to_string();
        let map: HashMap<String, Body> = files.into_iter().map(|f| (f.path, f.body)).collect();
        let old = std::mem::replace(
            &mut *self.files.write().unwrap_or_else(|e| e.into_inner()),
            Arc::new(map),
        );
        let new = self.files();
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        let update = update_for(&old, &new, saved);
        // No browser connected is fine.
        let _ = self.updates.send(update.clone());
        update
    }

    /// Bring some files up to date (and drop `gone`) without telling browsers: the outputs a
    /// page is not made from, finished after the reload.
    pub fn update(&self, fresh: Vec<OutputFile>, gone: &[String]) {
        // Under the write lock throughout, so that a publish from another thread is not undone.
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let mut map: HashMap<String, Body> = (**files).clone();
        for path in gone {
            map.remove(path);
        }
        map.extend(fresh.into_iter().map(|f| (f.path, f.body)));
        *files = Arc::new(map);
    }

    /// A rebuild starts now.
    pub fn changing(&self) {
        *self.last_change.lock().unwrap_or_else(|e| e.into_inner()) = std::time::Instant::now();
    }

    /// How long since the last rebuild started.
    pub fn quiet_for(&self) -> std::time::Duration {
        self.last_change
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
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

/// What browsers should do after the served files went from `old` to `new`.
fn update_for(
    old: &HashMap<String, Body>,
    new: &HashMap<String, Body>,
    saved: &[PathBuf],
) -> Update {
    let saved: HashSet<&PathBuf> = saved.iter().collect();
    let unchanged = |path: &String, body: &Body| match (old.get(path), body) {
        (Some(Body::Bytes(a)), Body::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
        (Some(Body::Copy(Source::Disk(a))), Body::Copy(Source::Disk(b))) => {
            a == b && !saved.contains(b)
        }
        (Some(Body::Copy(Source::BuiltIn(a))), Body::Copy(Source::BuiltIn(b))) => a == b,
        _ => false,
    };
    let mut changed: Vec<&String> = new
        .iter()
        .filter(|(path, body)| !unchanged(path, body))
        .map(|(path, _)| path)
        .collect();
    changed.extend(old.keys().filter(|path| !new.contains_key(*path)));
    if changed.is_empty() {
        Update::Ok
    } else if changed.iter().all(|p| p.ends_with(".css"))
        && changed.iter().all(|p| new.contains_key(*p))
    {
        let mut css: Vec<String> = changed.into_iter().cloned().collect();
        css.sort();
        Update::Css(css)
    } else {
        Update::Reload
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> HashMap<String, Body> {
        list.iter()
            .map(|(p, b)| (p.to_string(), Body::Bytes(b.as_bytes().into())))
            .collect()
    }

    #[test]
    fn browsers_are_told_what_the_build_changed() {
        let before = files(&[("/a/index.html", "a"), ("/site.css", "x")]);
        let same = files(&[("/a/index.html", "a"), ("/site.css", "x")]);
        assert_eq!(update_for(&before, &same, &[]), Update::Ok);
        let css = files(&[("/a/index.html", "a"), ("/site.css", "y")]);
        assert_eq!(
            update_for(&before, &css, &[]),
            Update::Css(vec!["/site.css".into()])
        );
        let page = files(&[("/a/index.html", "b"), ("/site.css", "x")]);
        assert_eq!(update_for(&before, &page, &[]), Update::Reload);
        let gone = files(&[("/a/index.html", "a")]);
        assert_eq!(update_for(&before, &gone, &[]), Update::Reload);
    }

    #[test]
    fn a_static_file_copied_from_disk_counts_as_changed_when_saved() {
        let disk = |p: &str| Body::Copy(Source::Disk(PathBuf::from(p)));
        let map = |b: Body| HashMap::from_iter([("/css/site.css".to_string(), b)]);
        let old = map(disk("/site/static/css/site.css"));
        let new = map(disk("/site/static/css/site.css"));
        assert_eq!(update_for(&old, &new, &[]), Update::Ok);
        assert_eq!(
            update_for(&old, &new, &[PathBuf::from("/site/static/css/site.css")]),
            Update::Css(vec!["/css/site.css".into()])
        );
    }
}
