//! The site's own cache folder, `.radpress-cache/`, and the locks that let several radpress
//! processes share it.
//!
//! radpress deletes stale files in its cache, so it must be sure the folder is its own: a
//! `.radpress-cache` (or one of its folders) that is a symbolic link, or a folder holding files
//! radpress did not make, is refused with an error, and the folder is marked as radpress's with a
//! standard `CACHEDIR.TAG` (which backup tools also honour). Each cache prunes only files named
//! the way radpress names them (a hexadecimal key and its extension).
//!
//! Locks (`flock`, released by the system when a process ends, even when killed):
//! - every process using the cache holds a shared lock on `.radpress-cache/lock` while it runs;
//!   pruning needs that lock exclusively, so a process prunes only when no other radpress uses
//!   the cache (`radpress build` beside `radpress serve` leaves the files serve still shows);
//! - the output folder's marker is locked by the build writing it (`writer::Staging`), so a
//!   second build into the same folder stops at once with a clear message instead of mixing
//!   the two sites. Two builds of one site into two folders may run together: cache files are
//!   named by a hash of their inputs and only ever replaced by a rename.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use crate::error::{Error, Result};

/// The cache folder, at the site root.
pub const DIR: &str = ".radpress-cache";

/// The folders radpress keeps inside the cache.
const FOLDERS: [&str; 4] = ["highlight", "cards", "images", "search"];

/// Files radpress keeps at the top of the cache (with their temporary siblings while written).
const FILES: [&str; 4] = [TAG, "lock", "privacy-clean", "build.manifest"];

/// The Cache Directory Tagging Specification's file (https://bford.info/cachedir/).
const TAG: &str = "CACHEDIR.TAG";
const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This folder is radpress's cache: files it can make again, deleted when no longer used.\n\
# Do not keep your own files here.\n";

/// A process's shared hold on one site's cache (see the module comment). Pruning asks for it
/// exclusively through `may_prune`.
#[derive(Debug)]
pub struct Held {
    lock: File,
    /// How many prunes of this process hold the lock exclusively now.
    pruning: Mutex<usize>,
}

/// The holds of this process, by cache folder, so that every engine of one site shares one.
fn held() -> &'static Mutex<HashMap<PathBuf, Weak<Held>>> {
    static HELD: OnceLock<Mutex<HashMap<PathBuf, Weak<Held>>>> = OnceLock::new();
    HELD.get_or_init(Default::default)
}

/// Checks that the site's cache folder is radpress's own (making and marking it if missing) and
/// takes this process's shared hold on it. Called before every render, so a folder swapped for a
/// link while `serve` runs is refused at the next save.
pub fn open(root: &Path) -> Result<Arc<Held>> {
    let dir = root.join(DIR);
    check_folder(&dir)?;
    let mut map = held().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(h) = map.get(&dir).and_then(Weak::upgrade) {
        return Ok(h);
    }
    let lock = open_no_follow(&dir.join("lock"))?;
    lock.lock_shared()
        .map_err(|e| Error::io(dir.join("lock"), e))?;
    let h = Arc::new(Held {
        lock,
        pruning: Mutex::new(0),
    });
    map.retain(|_, w| w.strong_count() > 0);
    map.insert(dir, Arc::downgrade(&h));
    Ok(h)
}

/// Whether this process may delete stale files in the cache of the site at `root` now: only
/// while it holds the cache open and no other process uses it. Keep the guard while pruning.
pub fn may_prune(root: &Path) -> Option<PruneGuard> {
    let dir = root.join(DIR);
    let h = held()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&dir)
        .and_then(Weak::upgrade)?;
    // Checked again: a folder swapped for a link since the render began is not pruned.
    check_folder(&dir).ok()?;
    let mut pruning = h.pruning.lock().unwrap_or_else(|e| e.into_inner());
    if *pruning == 0 {
        // Converting a shared flock to an exclusive one may drop it first: on failure, take the
        // shared lock again.
        if h.lock.try_lock().is_err() {
            let _ = h.lock.lock_shared();
            return None;
        }
    }
    *pruning += 1;
    drop(pruning);
    Some(PruneGuard { held: h })
}

/// Held while pruning; the exclusive lock goes back to shared when the last prune ends.
pub struct PruneGuard {
    held: Arc<Held>,
}

impl Drop for PruneGuard {
    fn drop(&mut self) {
        let mut pruning = self.held.pruning.lock().unwrap_or_else(|e| e.into_inner());
        *pruning -= 1;
        if *pruning == 0 {
            let _ = self.held.lock.lock_shared();
        }
    }
}

/// Whether `name` is a file name radpress gives a cache entry: a hexadecimal key of 16 or 32
/// digits, then an extension (or a temporary `.tmp<pid>-<n>` one). Prunes delete nothing else.
pub fn is_entry_name(name: &str) -> bool {
    let Some((key, ext)) = name.split_once('.') else {
        return false;
    };
    matches!(key.len(), 16 | 32)
        && key.bytes().all(|b| b.is_ascii_hexdigit())
        && !ext.is_empty()
        && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Opens (creating) a file without following a symbolic link at its place, for reading and
/// writing.
fn open_no_follow(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    crate::input::no_follow(&mut options)
        .open(path)
        .map_err(|e| {
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                link_error(path)
            } else {
                Error::io(path, e)
            }
        })
}

fn link_error(path: &Path) -> Error {
    Error::Refused(format!(
        "{} is a symbolic link. radpress keeps its cache only in a real folder of the site, because it deletes stale files there; remove the link (its target is not touched) and build again",
        path.display()
    ))
}

/// The cache folder and its folders must be real folders holding only radpress's files; a
/// missing cache is made and marked.
fn check_folder(dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(dir) {
            Ok(()) => return mark(dir),
            // Made by another radpress starting at the same moment: checked below.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
                    return Err(Error::io(dir, e));
                }
            }
            Err(e) => return Err(Error::io(dir, e)),
        },
        Err(e) => return Err(Error::io(dir, e)),
        Ok(m) if m.file_type().is_symlink() => return Err(link_error(dir)),
        Ok(m) if !m.is_dir() => {
            return Err(Error::Refused(format!(
                "{} is not a folder. radpress keeps its cache there; move that file away and build again",
                dir.display()
            )));
        }
        Ok(_) => {}
    }
    for name in FOLDERS {
        let sub = dir.join(name);
        match std::fs::symlink_metadata(&sub) {
            Ok(m) if m.file_type().is_symlink() => return Err(link_error(&sub)),
            Ok(m) if !m.is_dir() => {
                return Err(Error::Refused(format!(
                    "{} is not a folder. radpress keeps part of its cache there; move that file away and build again",
                    sub.display()
                )));
            }
            _ => {}
        }
    }
    if std::fs::symlink_metadata(dir.join(TAG)).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    // An unmarked cache: radpress's own from before the mark, or someone else's folder.
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Cache files are written under a temporary name beside them (`build.tmp<pid>-<n>`).
        let ours = FOLDERS.contains(&name.as_ref())
            || FILES.iter().any(|f| {
                let stem = f.split('.').next().unwrap_or(f);
                name == *f || name.starts_with(&format!("{stem}.tmp"))
            });
        if !ours {
            return Err(Error::Refused(format!(
                "{} holds {}, which radpress did not make. radpress deletes stale files in its cache folder, so it will not use a folder that holds other files: move them elsewhere (or delete the folder if it is only an old cache) and build again",
                dir.display(),
                entry.path().display()
            )));
        }
    }
    mark(dir)
}

fn mark(dir: &Path) -> Result<()> {
    let tag = dir.join(TAG);
    let mut file = open_no_follow(&tag)?;
    file.set_len(0)
        .and_then(|()| file.write_all(TAG_TEXT.as_bytes()))
        .map_err(|e| Error::io(&tag, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_radpress_keys() {
        assert!(is_entry_name("0123456789abcdef0123456789abcdef.png"));
        assert!(is_entry_name("00000000000000aa.bin"));
        assert!(is_entry_name("0123456789abcdef0123456789abcdef.tmp123-4"));
        assert!(!is_entry_name("holiday.jpg"));
        assert!(!is_entry_name("0123456789abcdef0123456789abcdef"));
        assert!(!is_entry_name("0123456789abcdeg0123456789abcdef.png"));
        assert!(!is_entry_name("cafe.png"));
    }
}
