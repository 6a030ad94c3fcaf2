//! The only code that writes the output folder.
//!
//! Nothing takes a file's place in the output folder until the whole site has rendered and every
//! changed file has been written in full under a temporary name beside its place, so a build
//! that fails, a write error (a full disk) included, leaves the last good site byte-identical and
//! removes its temporary files. Then the temporary files are renamed into place (a reader never
//! sees half a file, and unchanged files keep their timestamps for deploy tools), and files that
//! no longer belong are removed. Nothing outside the output folder is ever touched: a folder on
//! the way to an output that is a symbolic link is an error, never written through, and a folder
//! radpress did not make is never emptied.
//!
//! Pages are the exception to "rendered in memory": `radpress build` writes each page's
//! temporary file as soon as it is rendered (`Staging`), so that a site's HTML is never all in
//! memory at once, and the writer only renames them into place.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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
            "the output folder (--output) {} exists and is not a folder: choose a folder such as public/",
            output.display()
        )));
    }
    if output.is_dir() && !output.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(&output).map_err(|e| Error::io(&output, e))?;
        // The marker itself may have appeared since: another build that just made the folder.
        if entries.any(|e| e.is_ok_and(|e| e.file_name() != MARKER)) {
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

/// Creates `output` if needed and marks it as radpress's; true when the marker is new.
fn mark(output: &Path) -> Result<bool> {
    std::fs::create_dir_all(output).map_err(|e| Error::io(output, e))?;
    let marker = output.join(MARKER);
    match std::fs::symlink_metadata(&marker) {
        Ok(m) if m.is_file() => return Ok(false),
        Ok(_) => {
            return Err(Error::Refused(format!(
                "{} is not radpress's marker file (it is a link or a folder); remove it and build again",
                marker.display()
            )));
        }
        Err(_) => {}
    }
    let mut file = match create_new(&marker) {
        Ok(file) => file,
        // Another build marked the folder a moment ago.
        Err(_) if std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) => {
            return Ok(false);
        }
        Err(e) => return Err(e),
    };
    file.write_all(
        b"This folder is written by radpress build; files not produced by the build are removed.\n",
    )
    .map_err(|e| Error::io(&marker, e))?;
    Ok(true)
}

/// `radpress build`'s pages, written into the output folder as they are rendered, each under a
/// hidden temporary name beside its place (`.index.html.<n>.radpress-tmp`): at 50,000 posts the
/// pages are about 2 GB, more than the rest of a build holds. A page whose file already holds
/// the same bytes is not written at all. `write_to_disk` renames the staged files into place once
/// the whole build has succeeded and then calls `commit`; a `Staging` dropped uncommitted (the
/// build failed, or panicked) removes its files again, with the folders and the marker it made,
/// so the last good site is left as it was.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    /// The output folder's marker, locked exclusively until this build commits or is dropped.
    lock: Mutex<Option<std::fs::File>>,
    /// Folders under the output folder already checked to be real folders (not links).
    checked: Mutex<HashSet<PathBuf>>,
    /// The output folder did not exist before this build.
    made_output: bool,
    /// This build marked the (empty) output folder.
    made_marker: bool,
    staged: Mutex<Vec<PathBuf>>,
    next: AtomicUsize,
    committed: AtomicBool,
}

impl Staging {
    /// Staging into `output`, which `check_output_dir` has accepted: it is created and marked
    /// now, so that files left by a build that was killed are recognised as radpress's.
    pub fn new(output: &Path) -> Result<Staging> {
        let made_output = !output.exists();
        let made_marker = mark(output)?;
        let lock = lock_output(output)?;
        Ok(Staging {
            output: output.to_path_buf(),
            lock: Mutex::new(Some(lock)),
            checked: Mutex::new(HashSet::new()),
            made_output,
            made_marker,
            staged: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
            committed: AtomicBool::new(false),
        })
    }

    /// Writes the page at site path `path` beside its place, unless the file there already
    /// holds `bytes`.
    pub fn stage(&self, path: &str, bytes: &[u8]) -> Result<Body> {
        // A path that cannot be written is not staged: kept in memory, it reaches the check of
        // every output path, which names its page and line and stops the build.
        if crate::outputs::unsafe_output_path(path).is_some()
            || crate::outputs::unportable_output_path(path).is_some()
        {
            return Ok(Body::Bytes(bytes.into()));
        }
        let target = self.output.join(path.trim_start_matches('/'));
        if std::fs::symlink_metadata(&target).is_ok_and(|meta| holds(&target, &meta, bytes)) {
            return Ok(Body::Staged(None));
        }
        let tmp = self.temporary_beside(&target)?;
        create_new(&tmp)?
            .write_all(bytes)
            .map_err(|e| Error::io(&tmp, e))?;
        Ok(Body::Staged(Some(tmp)))
    }

    /// Like `stage`, for a file written piece by piece by `write` (social.json: 45 MB at
    /// 10,000 posts, never whole in memory): written beside its place, then compared with the
    /// file there and dropped if it holds the same bytes.
    pub fn stage_with(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<Body> {
        let target = self.target(path)?;
        let tmp = self.temporary_beside(&target)?;
        let file = create_new(&tmp)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Error::io(&tmp, e))?;
        drop(out);
        if same_file_bytes(&tmp, &target) {
            let _ = std::fs::remove_file(&tmp);
            return Ok(Body::Staged(None));
        }
        Ok(Body::Staged(Some(tmp)))
    }

    /// The place of site path `path` in the output folder; a path that would lead out of it
    /// (`..`) is refused before anything is written (the build reports it with its page).
    fn target(&self, path: &str) -> Result<PathBuf> {
        if let Some(why) = crate::outputs::unsafe_output_path(path) {
            return Err(Error::Refused(format!(
                "the output path `{path}` is refused: {why}"
            )));
        }
        Ok(self.output.join(path.trim_start_matches('/')))
    }

    /// A new temporary name beside `target` (`.index.html.<n>.radpress-tmp`), its folder made,
    /// recorded for removal should the build fail.
    fn temporary_beside(&self, target: &Path) -> Result<PathBuf> {
        let dir = target.parent().unwrap_or(&self.output);
        self.make_folder(dir)?;
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.{n}.radpress-tmp"));
        // Left by a build that was killed (a link there is removed, never followed).
        let _ = std::fs::remove_file(&tmp);
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tmp.clone());
        Ok(tmp)
    }

    /// Makes `dir` (under the output folder) and the folders on its way, refusing any that is a
    /// symbolic link: pages would land wherever it points.
    fn make_folder(&self, dir: &Path) -> Result<()> {
        if self
            .checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(dir)
        {
            return Ok(());
        }
        make_real_folder(&self.output, dir)?;
        let mut checked = self.checked.lock().unwrap_or_else(|e| e.into_inner());
        for d in dir.ancestors().take_while(|d| d.starts_with(&self.output)) {
            checked.insert(d.to_path_buf());
        }
        Ok(())
    }

    /// The build succeeded and its files are in place: nothing to clean up.
    pub fn commit(&self) {
        self.committed.store(true, Ordering::Release);
        // The engine holding this staging may be freed later, on another thread: the next
        // build of this process must not find the folder still locked.
        drop(self.lock.lock().unwrap_or_else(|e| e.into_inner()).take());
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed.load(Ordering::Acquire) {
            return;
        }
        let staged = std::mem::take(self.staged.get_mut().unwrap_or_else(|e| e.into_inner()));
        for tmp in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        // Folders this build made for its pages, deepest first; only empty ones go.
        let mut dirs: Vec<&Path> = staged
            .iter()
            .flat_map(|tmp| {
                tmp.ancestors()
                    .skip(1)
                    .take_while(|dir| dir.starts_with(&self.output) && *dir != self.output)
            })
            .collect();
        dirs.sort_by(|a, b| (b.components().count(), b).cmp(&(a.components().count(), a)));
        dirs.dedup();
        for dir in dirs {
            let _ = std::fs::remove_dir(dir);
        }
        // The marker goes only with the folder's last file: files the writer had already
        // renamed into place (a disk that failed midway) are still radpress's.
        let only_marker = std::fs::read_dir(&self.output)
            .is_ok_and(|entries| entries.flatten().all(|e| e.file_name() == MARKER));
        if self.made_marker && only_marker {
            let _ = std::fs::remove_file(self.output.join(MARKER));
            if self.made_output {
                let _ = std::fs::remove_dir(&self.output);
            }
        }
    }
}

/// Write `files` into `output`, changing only what differs: every changed file is first written
/// in full beside its place; only when all are written are they renamed into place. On any
/// error before that, the temporary files and the folders made for them are removed and the
/// output folder is as it was.
pub fn write_to_disk(output: &Path, files: &[OutputFile]) -> Result<WriteStats> {
    mark(output)?;
    // Folders first, each once (not once per file, from every thread), none of them a link.
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.trim_start_matches('/').rsplit_once('/'))
        .map(|(folder, _)| folder)
        .collect();
    let mut made = Vec::new();
    for folder in folders {
        let dir = output.join(folder);
        if let Err(e) = make_real_folder_noting(output, &dir, &mut made) {
            remove_folders(made);
            return Err(e);
        }
    }
    let prepared: Vec<Result<Prepared>> = files.par_iter().map(|f| prepare(output, f)).collect();
    let mut stats = WriteStats::default();
    let mut moves = Vec::new();
    let mut failure = None;
    for p in prepared {
        match p {
            Ok(Prepared::Unchanged) => stats.unchanged += 1,
            Ok(Prepared::Move { from, to }) => moves.push((from, to)),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    if let Some(e) = failure {
        for (tmp, _) in &moves {
            let _ = std::fs::remove_file(tmp);
        }
        remove_folders(made);
        return Err(e);
    }
    // Everything is written: only renames from here, which need no room on the disk.
    let mut moves = moves.into_iter();
    for (tmp, target) in moves.by_ref() {
        let moved = (|| {
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                std::fs::remove_dir_all(&target)?;
            }
            std::fs::rename(&tmp, &target)
        })();
        if let Err(e) = moved {
            let _ = std::fs::remove_file(&tmp);
            for (tmp, _) in moves {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(Error::io(&target, e));
        }
        stats.written += 1;
    }
    stats.removed = remove_stale(output, files)?;
    Ok(stats)
}

/// What one output needs: nothing, or its temporary file renamed into place.
enum Prepared {
    Unchanged,
    Move { from: PathBuf, to: PathBuf },
}

/// Writes one file beside its place unless its bytes are already there. A staged page was
/// written (or found unchanged) when it was rendered.
fn prepare(output: &Path, file: &OutputFile) -> Result<Prepared> {
    let target = output.join(file.path.trim_start_matches('/'));
    match &file.body {
        Body::Staged(None) => return Ok(Prepared::Unchanged),
        Body::Staged(Some(staged)) => {
            return Ok(Prepared::Move {
                from: staged.clone(),
                to: target,
            });
        }
        _ => {}
    }
    let old = std::fs::symlink_metadata(&target).ok();
    if let Some(meta) = &old
        && meta.is_file()
        && already_there(file, &target, meta)?
    {
        return Ok(Prepared::Unchanged);
    }
    let tmp = target.with_file_name(format!(
        ".{}.radpress-tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    let _ = std::fs::remove_file(&tmp);
    // A cache file is linked when the output folder is on its file system, else copied.
    let linked = match &file.body {
        Body::Cached(cached) => std::fs::hard_link(cached, &tmp).is_ok(),
        _ => false,
    };
    if !linked {
        let written = bytes(file).and_then(|b| {
            let mut f = create_new(&tmp)?;
            f.write_all(&b).map_err(|e| Error::io(&tmp, e))
        });
        if let Err(e) = written {
            // A full disk must not be kept full by the half-written file.
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    Ok(Prepared::Move {
        from: tmp,
        to: target,
    })
}

/// Creates a new file, failing (rather than writing through) if anything is at its place.
fn create_new(path: &Path) -> Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))
}

/// Makes `dir` and the folders on its way under `output`; an existing one that is a symbolic
/// link (or not a folder) is an error.
fn make_real_folder(output: &Path, dir: &Path) -> Result<()> {
    make_real_folder_noting(output, dir, &mut Vec::new())
}

/// `make_real_folder`, noting in `made` each folder it made, outermost first.
fn make_real_folder_noting(output: &Path, dir: &Path, made: &mut Vec<PathBuf>) -> Result<()> {
    let Ok(inner) = dir.strip_prefix(output) else {
        return Err(Error::Refused(format!(
            "refusing to write {}: it is outside the output folder {}",
            dir.display(),
            output.display()
        )));
    };
    let mut at = output.to_path_buf();
    for part in inner.components() {
        if !matches!(part, std::path::Component::Normal(_)) {
            return Err(Error::Refused(format!(
                "refusing to write {}: it leads out of the output folder {}",
                dir.display(),
                output.display()
            )));
        }
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Error::Refused(format!(
                    "{} is a symbolic link. radpress never writes through a link, since the site's files would land wherever it points; remove the link (its target is not touched) and build again",
                    at.display()
                )));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                // A file where a folder must go (a page that became a section): the writer
                // replaces it once everything else is written.
                return Err(Error::Refused(format!(
                    "{} is a file where the site now needs a folder; delete it and build again",
                    at.display()
                )));
            }
            Err(_) => match std::fs::create_dir(&at) {
                Ok(()) => made.push(at.clone()),
                // Made by another thread of this build since.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let real = std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir());
                    if !real {
                        return Err(Error::io(&at, e));
                    }
                }
                Err(e) => return Err(Error::io(&at, e)),
            },
        }
    }
    Ok(())
}

/// Removes folders a failed write made, innermost first (only empty ones go).
fn remove_folders(made: Vec<PathBuf>) {
    for dir in made.into_iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
}

/// Locks the output folder's marker for this build: another build writing the same folder
/// (of this site or another) stops with a clear message instead of mixing the two.
fn lock_output(output: &Path) -> Result<std::fs::File> {
    let marker = output.join(MARKER);
    let file = crate::input::no_follow(std::fs::OpenOptions::new().read(true))
        .open(&marker)
        .map_err(|e| Error::io(&marker, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Refused(format!(
            "another radpress build is writing {} now: wait for it to finish, then build again",
            output.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&marker, e)),
    }
}

fn bytes(file: &OutputFile) -> Result<std::borrow::Cow<'_, [u8]>> {
    Ok(match &file.body {
        Body::Bytes(b) => std::borrow::Cow::Borrowed(&b[..]),
        Body::Copy(Source::BuiltIn(b)) => (*b).into(),
        // A source of the site: read only if it is still a regular file, not a link.
        Body::Copy(Source::Disk(p)) => crate::input::read(p, crate::input::FILE_LIMIT)
            .map_err(|e| Error::io(p, e))?
            .into(),
        Body::Cached(p) | Body::Staged(Some(p)) => {
            std::fs::read(p).map_err(|e| Error::io(p, e))?.into()
        }
        Body::Staged(None) => unreachable!("prepare handles staged pages before any read"),
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
    Ok(holds(target, meta, &bytes(file)?))
}

/// Whether the file at `target` (described by `meta`) holds exactly `bytes`: its size is
/// compared first, so a changed length costs no read.
fn holds(target: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> bool {
    meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(target).is_ok_and(|old| old == bytes)
}

/// Whether two files hold the same bytes (false when either cannot be read).
fn same_file_bytes(a: &Path, b: &Path) -> bool {
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(ma), Ok(mb)) if ma.is_file() && mb.is_file() && ma.len() == mb.len() => {
            matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
        }
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, body: Body) -> OutputFile {
        OutputFile {
            path: path.into(),
            body,
            origin: "test".into(),
        }
    }

    /// Every file under `dir`, relative, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn staged_pages_take_their_places_only_when_the_build_commits() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_to_disk(
            &out,
            &[page(
                "/a/index.html",
                Body::Bytes(b"old a".as_slice().into()),
            )],
        )
        .unwrap();
        let before = listing(&out);

        // A build that fails after staging: everything it staged goes, the old page stays.
        {
            let staging = Staging::new(&out).unwrap();
            let Body::Staged(Some(tmp)) = staging.stage("/a/index.html", b"new a").unwrap() else {
                panic!("changed bytes are staged");
            };
            assert!(tmp.file_name().unwrap().to_string_lossy().starts_with('.'));
            staging.stage("/b/c/index.html", b"new page").unwrap();
            assert!(out.join("b/c").is_dir());
        }
        assert_eq!(listing(&out), before);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"old a");

        // The same bytes are not staged; a committed build renames the rest into place.
        let staging = Staging::new(&out).unwrap();
        let same = staging.stage("/a/index.html", b"old a").unwrap();
        assert!(matches!(same, Body::Staged(None)));
        let new = staging.stage("/b/index.html", b"new b").unwrap();
        let stats = write_to_disk(
            &out,
            &[page("/a/index.html", same), page("/b/index.html", new)],
        )
        .unwrap();
        staging.commit();
        drop(staging);
        assert_eq!((stats.written, stats.unchanged), (1, 1));
        assert_eq!(
            listing(&out),
            [MARKER, "a", "a/index.html", "b", "b/index.html"]
        );
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"new b");
    }

    #[test]
    fn a_file_staged_piece_by_piece_is_dropped_when_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out).unwrap();
        let write = |text: &'static [u8]| {
            move |w: &mut dyn Write| {
                w.write_all(&text[..2])?;
                w.write_all(&text[2..])
            }
        };
        let first = staging
            .stage_with("/social.json", write(b"[1, 2]"))
            .unwrap();
        write_to_disk(&out, &[page("/social.json", first)]).unwrap();
        staging.commit();
        let staging = Staging::new(&out).unwrap();
        let same = staging
            .stage_with("/social.json", write(b"[1, 2]"))
            .unwrap();
        assert!(matches!(same, Body::Staged(None)));
        let changed = staging
            .stage_with("/social.json", write(b"[1, 3]"))
            .unwrap();
        let Body::Staged(Some(tmp)) = &changed else {
            panic!("changed bytes are staged")
        };
        assert_eq!(std::fs::read(tmp).unwrap(), b"[1, 3]");
        assert_eq!(
            listing(&out).len(),
            3,
            "the marker, social.json and one staged file"
        );
        drop(staging);
        assert_eq!(listing(&out), [MARKER, "social.json"]);
        assert_eq!(std::fs::read(out.join("social.json")).unwrap(), b"[1, 2]");
    }

    #[test]
    fn a_failed_first_build_leaves_no_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        {
            let staging = Staging::new(&out).unwrap();
            staging.stage("/x/y/index.html", b"page").unwrap();
            assert!(out.join(MARKER).exists());
        }
        assert!(!out.exists());
        // An empty folder that was there stays, unmarked.
        std::fs::create_dir(&out).unwrap();
        drop(Staging::new(&out).unwrap());
        assert!(out.is_dir());
        assert_eq!(listing(&out), Vec::<String>::new());
    }
}
