//! Reading the site's own files: only regular files, never through a symbolic link, never more
//! than a limit.
//!
//! The walks of content/, static/ and themes/ see each file's type, but a file can be swapped
//! for a link (or a FIFO) between the walk and the read, so the check is made again when the file
//! is opened: `O_NOFOLLOW` refuses a link at the last step of the path, `O_NONBLOCK` keeps a FIFO
//! from hanging the open, and the opened file's own metadata must say "regular file" and a size
//! under the limit. Reading stops at the limit even if the file grows meanwhile. On Linux, a
//! folder on the way swapped for a link is caught too: the opened file's real path (from
//! `/proc/self/fd`) must be the path under the site's real root (`register_root`).

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// site.toml, pages, templates, word lists: far above any real one (the demo site's largest
/// page is a few kilobytes).
pub const TEXT_LIMIT: u64 = 16 << 20;

/// A published file (an image, a PDF, a video): larger files belong on a media host.
pub const FILE_LIMIT: u64 = 512 << 20;

/// Makes `options` refuse a symbolic link at the last step of the path (and not block on a
/// FIFO), on Unix.
pub fn no_follow(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    options
}

/// The site roots of this process, as given and as real (links resolved) paths.
fn roots() -> &'static std::sync::Mutex<Vec<(std::path::PathBuf, std::path::PathBuf)>> {
    static ROOTS: std::sync::OnceLock<
        std::sync::Mutex<Vec<(std::path::PathBuf, std::path::PathBuf)>>,
    > = std::sync::OnceLock::new();
    ROOTS.get_or_init(Default::default)
}

/// Tells `open` that files under `root` must really be there: a file reached through a link in
/// a folder on the way is refused. The root itself may be a link (the site as the user named it).
pub fn register_root(root: &Path) {
    let Ok(real) = std::fs::canonicalize(root) else {
        return;
    };
    let mut roots = roots().lock().unwrap_or_else(|e| e.into_inner());
    if !roots.iter().any(|(given, _)| given == root) {
        roots.push((root.to_path_buf(), real));
    }
}

/// Where `path` really is when no folder under its registered site root is a link.
fn expected_real_path(path: &Path) -> Option<std::path::PathBuf> {
    let roots = roots().lock().unwrap_or_else(|e| e.into_inner());
    roots.iter().find_map(|(given, real)| {
        let rest = path.strip_prefix(given).ok()?;
        rest.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
            .then(|| real.join(rest))
    })
}

/// Opens `path` for reading if it is a regular file reached without a symbolic link at its last
/// step (nor, on Linux, in a folder under the site root), returning it with its size.
pub fn open(path: &Path) -> io::Result<(File, u64)> {
    let file = no_follow(OpenOptions::new().read(true)).open(path).map_err(|e| {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a symbolic link; radpress reads only real files of the site, so that nothing outside it is published: copy the file in instead of linking it",
            )
        } else {
            e
        }
    })?;
    #[cfg(target_os = "linux")]
    if let Some(expected) = expected_real_path(path) {
        use std::os::fd::AsRawFd;
        let real = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
        if real != expected {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "it is reached through a symbolic link (it really is {}); radpress reads only real files of the site: copy the folder in instead of linking it",
                    real.display()
                ),
            ));
        }
    }
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a folder, a FIFO, a device or a socket); radpress reads only regular files: replace it with a file",
        ));
    }
    Ok((file, meta.len()))
}

/// The error for a symbolic link found in content/, static/ or a theme: radpress never follows
/// one, since it could publish any file of the machine.
pub fn link_diagnostic(path: &Path) -> crate::error::Diagnostic {
    crate::error::Diagnostic::new(
        path,
        "this is a symbolic link; radpress publishes only real files of the site, so that nothing outside it is published by accident",
    )
    .fix("copy the file (or folder) into the site instead of linking it, or remove the link")
}

/// The bytes of the regular file at `path`, at most `limit` of them (see the module comment).
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (file, len) = open(path)?;
    if len > limit {
        return Err(too_large(len, limit));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// A text source of the site (site.toml, a page, a template), at most `TEXT_LIMIT` bytes.
pub fn read_source(path: &Path) -> io::Result<Vec<u8>> {
    read(path, TEXT_LIMIT)
}

fn too_large(len: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {}, more than radpress's limit of {} for such a file: split it, or for a media file host it elsewhere and link to it",
            size(len),
            size(limit)
        ),
    )
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_under_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, b"hello").unwrap();
        assert_eq!(read(&file, 5).unwrap(), b"hello");
        let e = read(&file, 4).unwrap_err();
        assert!(e.to_string().contains("more than radpress's limit"), "{e}");

        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let e = read(&link, 100).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");

        // A FIFO neither hangs the open nor is read.
        let fifo = dir.path().join("fifo.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let e = read(&fifo, 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");

        let e = read(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read(dir.path(), 100).unwrap_err();
        assert!(
            e.to_string().contains("not a regular file") || e.kind() == io::ErrorKind::IsADirectory,
            "{e}"
        );
    }
}
