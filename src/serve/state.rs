//! What the server serves: the files of the last good build, the current error if the last build
//! failed, and a channel telling connected browsers about each change.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

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
    /// The served files, updated in place: a rebuild at 10,000 posts hands over some 46,000
    /// files, and building a new map of them for every save cost more than rendering the post.
    files: RwLock<Files>,
    /// The path part of the site's base URL: pages link to `/sub/...`.
    base_path: RwLock<String>,
    error: RwLock<Option<String>>,
    pub updates: broadcast::Sender<Update>,
    /// When the last rebuild started: background work waits for the author to pause.
    last_change: std::sync::Mutex<Instant>,
    /// When a browser last asked for a file (the event stream aside): the work that follows a
    /// reload waits for the reloading pages to load.
    last_request: std::sync::Mutex<Option<Instant>>,
}

/// After a reload, the quiet in browsers' requests taken to mean their pages have loaded.
const RELOAD_SETTLE: Duration = Duration::from_millis(50);
/// The longest the work after a reload waits for browsers: a page that never asks (a closed
/// tab whose stream is still open) does not hold it up for longer.
const RELOAD_WAIT: Duration = Duration::from_millis(250);

/// Served files by site path, each marked with the publish that last handed it over.
#[derive(Default)]
struct Files {
    map: HashMap<String, Served>,
    generation: u64,
}

struct Served {
    body: Body,
    generation: u64,
}

impl State {
    pub fn new() -> State {
        State {
            files: RwLock::new(Files::default()),
            base_path: RwLock::new(String::new()),
            error: RwLock::new(None),
            updates: broadcast::channel(16).0,
            last_change: std::sync::Mutex::new(Instant::now()),
            last_request: std::sync::Mutex::new(None),
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
        let mut unchanged = Vec::new();
        let update = self
            .files
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .replace(files, saved, &mut unchanged);
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = None;
        // No browser connected is fine.
        let _ = self.updates.send(update.clone());
        // Freeing the tens of thousands of unchanged files waits until browsers are told.
        drop(unchanged);
        update
    }

    /// Bring some files up to date (and drop `gone`) without telling browsers: the outputs a
    /// page is not made from, finished after the reload.
    pub fn update(&self, fresh: Vec<OutputFile>, gone: &[String]) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        for path in gone {
            files.map.remove(path);
        }
        let generation = files.generation;
        for f in fresh {
            let served = Served {
                body: f.body,
                generation,
            };
            files.map.insert(f.path, served);
        }
    }

    /// A rebuild starts now.
    pub fn changing(&self) {
        *self.last_change.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    /// A browser asked for a file now.
    pub fn requested(&self) {
        *self.last_request.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    }

    /// Browsers were told at `told` to reload: let them load their pages before the work that
    /// follows a reload (share cards, social.json) takes the CPU. On two cores that work made the
    /// reloaded page paint 10–20 ms later at 10,000 posts. Returns once a file has been
    /// asked for since `told` and then none for `RELOAD_SETTLE`, after `RELOAD_WAIT` at most,
    /// and at once when no browser is connected.
    pub fn let_browsers_reload(&self, told: Instant) {
        if self.updates.receiver_count() == 0 {
            return;
        }
        loop {
            let last = *self.last_request.lock().unwrap_or_else(|e| e.into_inner());
            if told.elapsed() >= RELOAD_WAIT
                || last.is_some_and(|last| last > told && last.elapsed() >= RELOAD_SETTLE)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// How long since the last rebuild started.
    pub fn quiet_for(&self) -> Duration {
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

    /// The body served at `path`.
    pub fn get(&self, path: &str) -> Option<Body> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files.map.get(path).map(|s| s.body.clone())
    }

    /// Whether a build has been published yet.
    pub fn is_empty(&self) -> bool {
        self.files
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .map
            .is_empty()
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

impl Files {
    /// Serve exactly `files` from now on, and say what browsers should do about the change. The
    /// files that were served already are moved to `unchanged`, for the caller to free later.
    fn replace(
        &mut self,
        files: Vec<OutputFile>,
        saved: &[PathBuf],
        unchanged: &mut Vec<OutputFile>,
    ) -> Update {
        // By their bytes: hashing a `Path` parses its components, and every image is checked.
        let saved: HashSet<&[u8]> = saved
            .iter()
            .map(|p| p.as_os_str().as_encoded_bytes())
            .collect();
        self.generation += 1;
        let generation = self.generation;
        let mut changed: Vec<String> = Vec::new();
        // Distinct paths handed over; fewer than the map holds means some are gone.
        let mut present = 0;
        for f in files {
            match self.map.get_mut(&f.path) {
                Some(old) => {
                    if old.generation != generation {
                        present += 1;
                        old.generation = generation;
                    }
                    if same(&old.body, &f.body, &saved) {
                        unchanged.push(f);
                    } else {
                        old.body = f.body;
                        changed.push(f.path);
                    }
                }
                None => {
                    present += 1;
                    let served = Served {
                        body: f.body,
                        generation,
                    };
                    self.map.insert(f.path.clone(), served);
                    changed.push(f.path);
                }
            }
        }
        let gone = present < self.map.len();
        if gone {
            self.map.retain(|_, s| s.generation == generation);
        }
        if changed.is_empty() && !gone {
            Update::Ok
        } else if !gone && changed.iter().all(|p| p.ends_with(".css")) {
            changed.sort();
            Update::Css(changed)
        } else {
            Update::Reload
        }
    }
}

/// Whether a file's new body is what was served already.
fn same(old: &Body, new: &Body, saved: &HashSet<&[u8]>) -> bool {
    match (old, new) {
        (Body::Bytes(a), Body::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
        (Body::Copy(Source::Disk(a)), Body::Copy(Source::Disk(b))) => {
            let (a, b) = (
                a.as_os_str().as_encoded_bytes(),
                b.as_os_str().as_encoded_bytes(),
            );
            a == b && !saved.contains(b)
        }
        (Body::Copy(Source::BuiltIn(a)), Body::Copy(Source::BuiltIn(b))) => a == b,
        // Named by a hash of their inputs: the same name is the same bytes.
        (Body::Cached(a), Body::Cached(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, body: Body) -> OutputFile {
        OutputFile {
            path: path.into(),
            body,
            origin: String::new(),
        }
    }

    fn files(list: &[(&str, &str)]) -> Vec<OutputFile> {
        list.iter()
            .map(|(p, b)| out(p, Body::Bytes(b.as_bytes().into())))
            .collect()
    }

    /// What browsers are told when the served files go from `before` to `after`.
    fn update_for(before: Vec<OutputFile>, after: Vec<OutputFile>, saved: &[PathBuf]) -> Update {
        let mut served = Files::default();
        served.replace(before, &[], &mut Vec::new());
        served.replace(after, saved, &mut Vec::new())
    }

    #[test]
    fn browsers_are_told_what_the_build_changed() {
        let before = || files(&[("/a/index.html", "a"), ("/site.css", "x")]);
        assert_eq!(update_for(before(), before(), &[]), Update::Ok);
        let css = files(&[("/a/index.html", "a"), ("/site.css", "y")]);
        assert_eq!(
            update_for(before(), css, &[]),
            Update::Css(vec!["/site.css".into()])
        );
        let page = files(&[("/a/index.html", "b"), ("/site.css", "x")]);
        assert_eq!(update_for(before(), page, &[]), Update::Reload);
        let gone = files(&[("/a/index.html", "a")]);
        assert_eq!(update_for(before(), gone, &[]), Update::Reload);
        let new = files(&[("/a/index.html", "a"), ("/site.css", "x"), ("/b.css", "z")]);
        assert_eq!(
            update_for(before(), new, &[]),
            Update::Css(vec!["/b.css".into()])
        );
    }

    #[test]
    fn served_files_are_exactly_the_last_published() {
        let state = State::new();
        state.publish(
            files(&[("/a/index.html", "a"), ("/b/index.html", "b")]),
            "",
            &[],
        );
        state.publish(
            files(&[("/a/index.html", "A"), ("/c/index.html", "c")]),
            "",
            &[],
        );
        let text = |p: &str| match state.get(p) {
            Some(Body::Bytes(b)) => Some(String::from_utf8_lossy(&b).into_owned()),
            _ => None,
        };
        assert_eq!(text("/a/index.html").as_deref(), Some("A"));
        assert_eq!(text("/b/index.html"), None);
        assert_eq!(text("/c/index.html").as_deref(), Some("c"));
        state.update(files(&[("/social.json", "{}")]), &["/c/index.html".into()]);
        assert_eq!(text("/social.json").as_deref(), Some("{}"));
        assert_eq!(text("/c/index.html"), None);
        // Files brought in by `update` count as served by the publish before: the next publish
        // that leaves them out removes them.
        assert_eq!(
            state.publish(files(&[("/a/index.html", "A")]), "", &[]),
            Update::Reload
        );
        assert_eq!(text("/social.json"), None);
    }

    #[test]
    fn the_work_after_a_reload_waits_for_connected_browsers_only() {
        let state = State::new();
        // No browser connected: no wait.
        let told = Instant::now();
        state.let_browsers_reload(told);
        assert!(told.elapsed() < RELOAD_WAIT);

        // A browser connected that asks for nothing: the longest wait.
        let _browser = state.updates.subscribe();
        let told = Instant::now();
        state.let_browsers_reload(told);
        assert!(told.elapsed() >= RELOAD_WAIT);

        // A browser loading its page for 100 ms: the wait lasts until its requests settle.
        let state = Arc::new(state);
        let told = Instant::now();
        let loading = {
            let state = state.clone();
            std::thread::spawn(move || {
                let mut last = told;
                while told.elapsed() < Duration::from_millis(100) {
                    state.requested();
                    last = Instant::now();
                    std::thread::sleep(Duration::from_millis(10));
                }
                last
            })
        };
        state.let_browsers_reload(told);
        let returned = Instant::now();
        let last_request = loading.join().unwrap();
        assert!(
            returned >= last_request + RELOAD_SETTLE || returned >= told + RELOAD_WAIT,
            "returned {:?} after the last request",
            returned.saturating_duration_since(last_request)
        );
    }

    #[test]
    fn a_static_file_copied_from_disk_counts_as_changed_when_saved() {
        let disk = || {
            vec![out(
                "/css/site.css",
                Body::Copy(Source::Disk("/site/static/css/site.css".into())),
            )]
        };
        assert_eq!(update_for(disk(), disk(), &[]), Update::Ok);
        assert_eq!(
            update_for(
                disk(),
                disk(),
                &[PathBuf::from("/site/static/css/site.css")]
            ),
            Update::Css(vec!["/css/site.css".into()])
        );
    }
}
