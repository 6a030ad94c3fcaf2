//! The only code that writes the output folder.
//!
//! The whole site is rendered in memory before this runs, so a build that fails writes nothing and
//! the last good site stays whole. Then only files whose bytes changed are written, each through a
//! temporary file and a rename (a reader never sees half a file, and unchanged files keep their
//! timestamps for deploy tools), and files that no longer belong are removed. Nothing outside the
//! output folder is ever touched, and a folder radpress did not make is never emptied.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::outputs::{Body, OutputFile};
use crate::theme::Source;

/// Marks a folder as radpress output, so that later builds may remove stale files from it.
pub const MARKER: &str = ".radpress-output";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Refuse output folders where a build could damage the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let root = absolute(root);
    let output = absolute(output);
    let protected = ["content", "static", "themes", "templates"];
    if output == root || root.starts_with(&output) {
        return Err(Error::Usage(format!(
            "refusing to build into {}: it is or contains the site itself; choose a folder inside the site such as public/",
            output.display()
        )));
    }
    for name in protected {
        let dir = root.join(name);
        if output.starts_with(&dir) || dir.starts_with(&output) {
            return Err(Error::Usage(format!(
                "refusing to build into {}: it is or contains the site's {name}/ folder; choose another folder such as public/",
                output.display()
            )));
        }
    }
    if output.exists() && !output.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder",
            output.display()
        )));
    }
    if output.is_dir() && !output.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(&output).map_err(|e| Error::io(&output, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} already holds files radpress did not write; radpress will not mix with or delete them. Choose an empty or new folder, or empty this one yourself",
                output.display()
            )));
        }
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Resolve what exists (symlinks included) so two spellings of one folder compare equal.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return abs,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Write `files` into `output`, changing only what differs.
pub fn write_to_disk(output: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    std::fs::create_dir_all(output).map_err(|e| Error::io(output, e))?;
    let marker = output.join(MARKER);
    if !marker.exists() {
        std::fs::write(&marker, b"This folder is written by radpress build; files not produced by the build are removed.\n")
            .map_err(|e| Error::io(&marker, e))?;
    }
    // Folders first, each once (not once per file, from every thread).
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.trim_start_matches('/').rsplit_once('/'))
        .map(|(folder, _)| folder)
        .collect();
    for folder in folders {
        let dir = output.join(folder);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let results: Vec<Result<bool>> = files.par_iter().map(|f| write_one(output, f)).collect();
    let mut stats = WriteStats::default();
    for r in results {
        if r? {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    stats.removed = remove_stale(output, files)?;
    Ok(stats)
}

/// Write one file unless its bytes are already there; true when written.
fn write_one(output: &Path, file: &OutputFile) -> Result<bool> {
    let target = output.join(file.path.trim_start_matches('/'));
    let old = std::fs::symlink_metadata(&target).ok();
    if let Some(meta) = &old
        && meta.is_file()
        && already_there(file, &target, meta)?
    {
        return Ok(false);
    }
    if old.is_some_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(&target).map_err(|e| Error::io(&target, e))?;
    }
    let tmp = target.with_file_name(format!(
        ".{}.radpress-tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    // A cache file is linked when the output folder is on its file system, else copied.
    let linked = match &file.body {
        Body::Cached(cached) => {
            let _ = std::fs::remove_file(&tmp);
            std::fs::hard_link(cached, &tmp).is_ok()
        }
        _ => false,
    };
    if !linked {
        let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        f.write_all(&bytes(file)?).map_err(|e| Error::io(&tmp, e))?;
    }
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    Ok(true)
}

fn bytes(file: &OutputFile) -> Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match &file.body {
        Body::Bytes(b) => std::borrow::Cow::Borrowed(&b[..]),
        Body::Copy(Source::BuiltIn(b)) => (*b).into(),
        Body::Copy(Source::Disk(p)) | Body::Cached(p) => {
            std::fs::read(p).map_err(|e| Error::io(p, e))?.into()
        }
    })
}

/// Whether the file at `target` (described by `meta`) already holds `file`'s bytes: the cache
/// file itself, linked by an earlier build (cache files are never edited in place), or the same
/// bytes.
fn already_there(file: &OutputFile, target: &Path, meta: &std::fs::Metadata) -> Result<bool> {
    if let Body::Cached(cached) = &file.body
        && std::fs::metadata(cached).is_ok_and(|c| same_inode(&c, meta))
    {
        return Ok(true);
    }
    let bytes = bytes(file)?;
    Ok(meta.len() == bytes.len() as u64 && std::fs::read(target).is_ok_and(|old| old == *bytes))
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Remove files under `output` that the build did not produce, then empty folders.
fn remove_stale(output: &Path, files: &[OutputFile]) -> Result<usize> {
    let wanted: HashSet<PathBuf> = files
        .iter()
        .map(|f| output.join(f.path.trim_start_matches('/')))
        .collect();
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .contents_first(true)
    {
        let entry =
            entry.map_err(|e| Error::Usage(format!("cannot read {}: {e}", output.display())))?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            dirs.push(path.to_path_buf());
        } else if path != output.join(MARKER) && !wanted.contains(path) {
            std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
            removed += 1;
        }
    }
    for dir in dirs {
        // Only succeeds when empty, which is what we want.
        let _ = std::fs::remove_dir(&dir);
    }
    Ok(removed)
}
