//! The output generators: each is a function of the site that returns files to write. Nothing
//! here touches the output folder; the writer does.

pub mod assets;
pub mod cards;
pub mod context;
pub mod feeds;
pub mod image_formats;
pub mod images;
pub mod jsonld;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod social;
pub mod svg;

use std::path::PathBuf;

use crate::error::{Diagnostic, Result};
use crate::markdown::Markdown;
use crate::site::Site;
use crate::theme::{Source, Theme};

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Site path of the file, e.g. `/cases/x/index.html`.
    pub path: String,
    pub body: Body,
    /// What produced it (a content file, a template, a static file), for collision errors.
    pub origin: String,
}

#[derive(Debug, Clone)]
pub enum Body {
    Bytes(std::sync::Arc<[u8]>),
    Copy(Source),
    /// A file of radpress's own cache under `.radpress-cache/`, named by a hash of its inputs
    /// and only ever replaced by rename (`write_cache`), never edited in place: the writer links
    /// it into the output folder instead of copying it when both are on one file system. Share
    /// cards: 50,000 of them are about 7 GB to copy on every build.
    Cached(PathBuf),
    /// `radpress build` only: a page (or social.json) already written into the output folder as
    /// it was made (`writer::Staging`), under a hidden temporary name the writer renames into
    /// place; `None` when the file there already holds these bytes. serve never stages.
    Staged(Option<PathBuf>),
}

impl OutputFile {
    pub fn bytes(
        path: String,
        bytes: impl Into<std::sync::Arc<[u8]>>,
        origin: impl Into<String>,
    ) -> OutputFile {
        OutputFile {
            path,
            body: Body::Bytes(bytes.into()),
            origin: origin.into(),
        }
    }
}

/// The output path of an HTML page at a site path: `/cases/x/` → `/cases/x/index.html`.
pub fn html_path(site_path: &str) -> String {
    format!("{}index.html", site_path)
}

/// Every file of the site, rendered in memory.
pub fn generate(
    site: &Site,
    theme: &Theme,
    markdown: &Markdown,
    cache: &pages::RenderCache,
    card_stats: &cards::CardStats,
    search_cache: &search::SearchCache,
    images: &images::ImageStats,
) -> Result<Vec<OutputFile>> {
    // When Pagefind runs, it is the largest user of memory in a build (about 1.4 GB at 10,000
    // posts): it runs first, on its own, and the pages render in the memory it gave back. Beside
    // the pages it put a build's peak 200 MB higher and saved a few tenths of a second.
    let search = phase("search", || search::search_index(site, search_cache))?;
    let mut files = primary(site, theme, markdown, cache, images)?;
    files.extend(phase("sitemap", || sitemap::sitemap(site, &files)));
    let rest = secondary(site, theme, cache, card_stats, images, || Ok(search))?;
    files.extend(rest);
    check_collisions(&site.root, &files)?;
    Ok(files)
}

use crate::timing::phase;

/// What a reader looks at: every page, feed and asset. `radpress serve` shows these first and
/// brings the secondary outputs up to date after the browser has reloaded.
pub fn primary(
    site: &Site,
    theme: &Theme,
    markdown: &Markdown,
    cache: &pages::RenderCache,
    images: &images::ImageStats,
) -> Result<Vec<OutputFile>> {
    let shared = phase("shared context", || {
        context::Shared::new(site, &cache.summaries, &cache.snippets)
    });
    let mut files = phase("pages", || pages::render_all(site, theme, &shared, cache))?;
    files.extend(phase("feeds", || feeds::atom_feeds(site)));
    files.extend(phase("assets", || {
        assets::assets(site, theme, markdown, images)
    })?);
    files.push(sitemap::robots(site));
    Ok(files)
}

/// The outputs no page's HTML is made from: share cards, social.json and the search index (the
/// sitemap, made from the pages, is another; the callers add it). `search` builds or reuses
/// the index. Cards take their thumbnails from the image cache that `primary` fills (`images`).
pub fn secondary(
    site: &Site,
    theme: &Theme,
    cache: &pages::RenderCache,
    card_stats: &cards::CardStats,
    images: &images::ImageStats,
    search: impl FnOnce() -> Result<Vec<OutputFile>>,
) -> Result<Vec<OutputFile>> {
    let mut files = phase("cards", || cards::cards(site, theme, card_stats, images))?;
    let snippets = cache.snippets.all(site);
    files.push(phase("social", || {
        social::social_json(site, &snippets, cache.staging.as_deref())
    })?);
    files.extend(search()?);
    Ok(files)
}

/// Write a file of one of the caches under .radpress-cache/: written beside and renamed, so that
/// a concurrent build never reads half a file. The temporary name is unique to this write, since
/// two inputs with the same bytes (two copies of one image) share a cache file and may be written
/// at the same moment by two threads.
pub(crate) fn write_cache(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        // A disk that is full must not be kept full by the half-written file.
        let _ = std::fs::remove_file(&tmp);
        return Err(crate::error::Error::io(&tmp, e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        crate::error::Error::io(path, e)
    })
}

/// Why an output path is not a plain path inside the output folder ("/../x.html",
/// "/./index.html", "/a//b", a backslash, a NUL), or None when it is one.
pub fn unsafe_output_path(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("it does not start at the site's root");
    }
    if path.contains(['\\', '\0']) {
        return Some("it holds a backslash or a NUL character");
    }
    let inner = path[1..].strip_suffix('/').unwrap_or(&path[1..]);
    for part in inner.split('/') {
        match part {
            "" if !inner.is_empty() => return Some("it has an empty folder name (//)"),
            "." | ".." => return Some("it has a `.` or `..` folder, which leads out of its place"),
            _ => {}
        }
    }
    None
}

/// The longest part of an output path (between slashes): file systems allow 255 bytes, and a
/// page's folder also holds `.index.html.<n>.radpress-tmp` while it is written.
const MAX_PATH_PART: usize = 200;

/// Why an output path cannot be a file on Windows (or macOS), or None: a reserved device name
/// (`con`, `nul`, `com1`, … with any extension), a part ending in a dot or a space, a character
/// Windows forbids, or a part longer than `MAX_PATH_PART` bytes. Sites are often edited and
/// previewed on Windows and macOS, so these are errors everywhere.
pub fn unportable_output_path(path: &str) -> Option<String> {
    const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part.len() > MAX_PATH_PART {
            return Some(format!(
                "a part of it is {} bytes long, more than the {MAX_PATH_PART} that file systems allow",
                part.len()
            ));
        }
        let stem = part
            .split('.')
            .next()
            .unwrap_or(part)
            .trim_end()
            .to_ascii_lowercase();
        let device = RESERVED.contains(&stem.as_str())
            || ((stem.starts_with("com") || stem.starts_with("lpt"))
                && stem.len() == 4
                && stem[3..].chars().all(|c| c.is_ascii_digit() && c != '0'));
        if device {
            return Some(format!(
                "`{part}` is a device name on Windows, where no file can have it"
            ));
        }
        if part.ends_with(['.', ' ']) {
            return Some(format!(
                "`{part}` ends in a dot or a space, which Windows drops"
            ));
        }
        if let Some(c) = part
            .chars()
            .find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') || c.is_control())
        {
            return Some(format!(
                "`{part}` holds `{c}`, which Windows does not allow in a file name"
            ));
        }
    }
    None
}

/// A problem with output `f`, placed at the line of its origin's front matter where the last
/// part of its path is written as a value (an alias, a slug or a tag), when there is one.
fn output_problem(root: &std::path::Path, f: &OutputFile, message: String) -> Diagnostic {
    let (origin, needle) = (f.origin.as_str(), naming_part(&f.path));
    let file = origin.split(" (").next().unwrap_or(origin);
    let d = Diagnostic::new(PathBuf::from(origin), message);
    let text = crate::input::read_source(&root.join(file))
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let Some(text) = text.filter(|_| !needle.is_empty()) else {
        return d;
    };
    // Only where the name is written as a value (`slug = "x"`, `tags = ["x"]`,
    // `aliases = ["/old/x/"]`), not wherever its letters occur.
    let written = [
        format!("\"{needle}\""),
        format!("/{needle}/"),
        format!("/{needle}\""),
    ];
    match written
        .iter()
        .find_map(|w| crate::error::find_line_col(&text, w))
    {
        Some((line, column)) => d.at(line, column + 1).with_source(&text),
        None => d,
    }
}

/// The last part of an output path that names the page (not `index.html`).
fn naming_part(path: &str) -> &str {
    path.trim_end_matches("index.html")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

/// Two things claiming one URL is an error naming both; so is a path that would lead out of the
/// output folder or onto another file by another name, one that cannot exist on Windows, and
/// two that differ only in letter case (one file on Windows and macOS).
fn check_collisions(root: &std::path::Path, files: &[OutputFile]) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, &OutputFile> = std::collections::HashMap::new();
    let mut folded: std::collections::HashMap<String, &OutputFile> =
        std::collections::HashMap::new();
    let mut problems = Vec::new();
    for f in files {
        if let Some(why) = unsafe_output_path(&f.path) {
            problems.push(
                output_problem(
                    root,
                    f,
                    format!("the output path `{}` is refused: {why}", f.path),
                )
                .fix("write aliases and slugs as plain site paths, such as aliases = [\"/old/case-name/\"]"),
            );
            continue;
        }
        if let Some(why) = unportable_output_path(&f.path) {
            let shown: String = f.path.chars().take(120).collect();
            problems.push(
                output_problem(
                    root,
                    f,
                    format!("the output path `{shown}` cannot be published: {why}"),
                )
                .fix("choose another slug, alias, tag or file name (a short one, in letters, digits and hyphens)"),
            );
            continue;
        }
        if let Some(first) = seen.insert(&f.path, f) {
            if first.origin != f.origin {
                let url = f.path.trim_end_matches("index.html");
                problems.push(
                    output_problem(
                        root,
                        f,
                        format!(
                            "{url} is claimed twice: by {} and by {}",
                            first.origin, f.origin
                        ),
                    )
                    .fix("give one of them another slug (slug = \"...\"), file name or alias"),
                );
            }
            continue;
        }
        if let Some(first) = folded.insert(f.path.to_lowercase(), f)
            && first.path != f.path
        {
            problems.push(
                output_problem(
                    root,
                    f,
                    format!(
                        "{} (from {}) and {} (from {}) differ only in letter case: on Windows and macOS they are one file, and one would replace the other",
                        first.path, first.origin, f.path, f.origin
                    ),
                )
                .fix("rename one of them (slug, file or folder name) so that they differ in more than case"),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::error::Error::Site(problems))
    }
}

#[cfg(test)]
mod cache_tests {
    /// Two copies of one image share a cache file; writing it from many threads at once works.
    #[test]
    fn one_cache_file_written_by_many_threads_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("images/same.png");
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|_| scope.spawn(|| super::write_cache(&path, b"the same bytes")))
                .collect();
            for h in handles {
                h.join().unwrap().unwrap();
            }
        });
        assert_eq!(std::fs::read(&path).unwrap(), b"the same bytes");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary files left behind");
    }
}
