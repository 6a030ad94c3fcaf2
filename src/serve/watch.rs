//! Watching the site's sources: site.toml, content/, templates/, themes/ and static/. A debouncer
//! folds the burst of events of one save (editors that write a temporary file and rename it
//! produce several) into one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};

/// The folders (and file) whose changes rebuild the site.
pub const WATCHED: [&str; 5] = ["site.toml", "content", "templates", "themes", "static"];

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Start watching `root`; `on_change` runs on a thread of its own with the changed paths.
pub fn start(
    root: &Path,
    debounce: Duration,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(debounce, Some(debounce / 4), tx)
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
    // The root itself (not recursively) sees site.toml and folders being created.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
    for name in WATCHED.iter().skip(1) {
        let dir = root.join(name);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", dir.display())))?;
        }
    }
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut changed = relevant(&root, first);
            // Fold batches that queued up while the last rebuild ran into this one.
            while let Ok(more) = rx.try_recv() {
                changed.extend(relevant(&root, more));
            }
            changed.sort();
            changed.dedup();
            if !changed.is_empty() {
                on_change(changed);
            }
        }
    });
    Ok(debouncer)
}

/// The changed paths that matter: inside a watched place, and not an editor's scratch file.
fn relevant(root: &Path, result: DebounceEventResult) -> Vec<PathBuf> {
    let Ok(events) = result else {
        // The watcher lost track (e.g. too many events): rebuild everything to be safe.
        return vec![root.join("site.toml")];
    };
    events
        .into_iter()
        .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
        .flat_map(|e| e.event.paths)
        .filter(|p| is_watched(root, p))
        .collect()
}

fn is_watched(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let Some(first) = rel.components().next() else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // vim probes whether it may write a folder with a file named 4913.
    WATCHED.contains(&first.as_os_str().to_string_lossy().as_ref())
        && !crate::content::load::is_ignored(&name)
        && name != "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count_and_editor_files_do_not() {
        let root = Path::new("/site");
        assert!(is_watched(root, Path::new("/site/content/cases/a.md")));
        assert!(is_watched(root, Path::new("/site/site.toml")));
        assert!(is_watched(
            root,
            Path::new("/site/themes/default/static/css/site.css")
        ));
        assert!(!is_watched(root, Path::new("/site/public/index.html")));
        assert!(!is_watched(root, Path::new("/site/content/.a.md.swp")));
        assert!(!is_watched(root, Path::new("/site/content/a.md~")));
        assert!(!is_watched(root, Path::new("/site/content/4913")));
        assert!(!is_watched(root, Path::new("/elsewhere/content/a.md")));
    }
}
