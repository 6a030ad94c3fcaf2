//! `radpress build` with nothing to do: when no source file, build option or radpress itself has
//! changed since the last successful build, and its output folder is as that build left it, the
//! build stops after looking at file dates and sizes, the way `make` does.
//!
//! The manifest (`.radpress-cache/build.manifest`) holds a hash of everything a build reads (the
//! name, size and modification time of every file under the places `serve` watches; the options;
//! the radpress executable), a hash of the output folder as written, the moment the output stops
//! being current without any file changing (the next UTC midnight, since pages show the year and
//! review dates, or a future-dated page's date), and the build's summary. It is removed before a
//! build writes anything and saved only after a build succeeds, so a failed or interrupted build
//! never leaves one behind.
//!
//! A file saved within the same clock tick as the build read it could change again without its
//! date moving (file systems keep time in ticks of a few milliseconds). As git does with its index,
//! a build that saw a file modified within `RACY` of its start saves no manifest; the next build
//! runs in full.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::serve::watch::WATCHED;

const FILE: &str = ".radpress-cache/build.manifest";
/// Part of every key: a new manifest format starts afresh.
const FORMAT: &str = "radpress-manifest-1";
/// Files modified this close to a build's start make its manifest untrustworthy.
const RACY: Duration = Duration::from_secs(2);

/// What the last successful build saved.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    inputs: String,
    outputs: String,
    /// Seconds since the Unix epoch after which the output may be stale.
    valid_until: i64,
    pub pages: usize,
    pub files: usize,
}

/// The inputs of a build as seen when it started.
pub struct Inputs {
    key: u128,
    /// A file was modified within `RACY` of the start: save no manifest.
    racy: bool,
}

/// Hash the inputs of a build of `root` into `output` with `options` (anything else that changes
/// the output: drafts, future pages).
pub fn inputs(root: &Path, output: &Path, options: &str) -> Inputs {
    let started = SystemTime::now();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(FORMAT.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // A rebuilt radpress may render differently under the same version number.
    if let Some(exe) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        stamp(&mut h, &exe);
    }
    h.update(options.as_bytes());
    h.update(output.as_os_str().as_encoded_bytes());
    let mut newest = None;
    for name in WATCHED {
        let listed = list(&root.join(name));
        for (path, meta) in &listed {
            h.update(path.as_os_str().as_encoded_bytes());
            stamp(&mut h, meta);
            newest = newest.max(meta.modified().ok());
        }
        // A watched place that is absent differs from an empty one.
        h.update(&listed.len().to_le_bytes());
    }
    let racy = newest.is_some_and(|t| t + RACY >= started);
    Inputs {
        key: h.digest128(),
        racy,
    }
}

/// Hash the output folder: every file's name, size and modification time.
fn outputs(output: &Path) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (path, meta) in list(output) {
        h.update(path.as_os_str().as_encoded_bytes());
        stamp(&mut h, &meta);
    }
    h.digest128()
}

/// The last build's summary, when its manifest says that building again would change nothing.
pub fn up_to_date(root: &Path, output: &Path, inputs: &Inputs) -> Option<Manifest> {
    let text = std::fs::read_to_string(root.join(FILE)).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    let now = jiff::Timestamp::now().as_second();
    let current = manifest.inputs == format!("{:032x}", inputs.key)
        && now < manifest.valid_until
        && manifest.outputs == format!("{:032x}", outputs(output));
    current.then_some(manifest)
}

/// Before a build writes anything: the last manifest no longer holds.
pub fn forget(root: &Path) {
    let _ = std::fs::remove_file(root.join(FILE));
}

/// After a successful build: remember it, unless its inputs were racy.
pub fn save(
    root: &Path,
    output: &Path,
    inputs: &Inputs,
    valid_until: jiff::Timestamp,
    pages: usize,
    files: usize,
) {
    if inputs.racy {
        return;
    }
    let manifest = Manifest {
        inputs: format!("{:032x}", inputs.key),
        outputs: format!("{:032x}", outputs(output)),
        valid_until: valid_until.as_second(),
        pages,
        files,
    };
    if let Ok(text) = serde_json::to_string(&manifest) {
        // A manifest that cannot be written only means the next build runs in full.
        let _ = crate::outputs::write_cache(&root.join(FILE), text.as_bytes());
    }
}

/// When a build made now stops being current with no file changing: the next UTC midnight, or the
/// date of the first future-dated page left out, whichever comes first.
pub fn valid_until(next_publication: Option<jiff::Timestamp>) -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    let midnight = now
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .unwrap_or(now);
    next_publication.map_or(midnight, |t| t.min(midnight))
}

fn stamp(h: &mut xxhash_rust::xxh3::Xxh3, meta: &std::fs::Metadata) {
    h.update(&meta.len().to_le_bytes());
    if let Ok(t) = meta.modified()
        && let Ok(d) = t.duration_since(SystemTime::UNIX_EPOCH)
    {
        h.update(&d.as_nanos().to_le_bytes());
    }
}

/// Every file under `dir` with its metadata, sorted by path; the metadata is read in parallel.
fn list(dir: &Path) -> Vec<(PathBuf, std::fs::Metadata)> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    paths.par_sort_unstable();
    paths
        .into_par_iter()
        .filter_map(|p| {
            let meta = std::fs::metadata(&p).ok()?;
            Some((p, meta))
        })
        .collect()
}
