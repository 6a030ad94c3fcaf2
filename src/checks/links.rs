//! Internal links, images and authors must point at something that exists in the built site.

use crate::content::Page;
use crate::error::{Diagnostic, did_you_mean};
use crate::outputs::OutputFile;
use crate::site::Site;

/// Authors (and reviewers) must be people of the site; checked before rendering, since templates
/// link to them.
pub fn check_authors(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in &site.pages {
        for author in &page.authors {
            if site.person(author).is_none() {
                let known: Vec<&str> = site.people.keys().map(String::as_str).collect();
                let mut fix = format!(
                    "authors are the file names of pages under content/people/ (known: {})",
                    if known.is_empty() {
                        "none yet".to_string()
                    } else {
                        known.join(", ")
                    }
                );
                if let Some(close) = did_you_mean(author, known.iter().copied()) {
                    fix = format!("did you mean \"{close}\"? {fix}");
                }
                out.push(
                    at_text(
                        page,
                        &format!("\"{author}\""),
                        format!("author `{author}` has no page"),
                    )
                    .fix(fix),
                );
            }
        }
    }
    out
}

/// Pages whose links were all good, kept between builds of one process: while the site's files
/// are the same paths, only pages that changed are checked again.
#[derive(Default)]
pub struct LinkCache {
    /// A hash of every published path, and per page path the version found good against it.
    good: std::sync::Mutex<(u64, rustc_hash::FxHashMap<String, u64>)>,
}

/// Every internal link and image must lead to a file of the built site.
pub fn check(site: &Site, files: &[OutputFile]) -> Vec<Diagnostic> {
    check_cached(site, files, &LinkCache::default())
}

/// `check`, skipping pages `cache` found good against the same published paths.
pub fn check_cached(site: &Site, files: &[OutputFile], cache: &LinkCache) -> Vec<Diagnostic> {
    // The same paths in any order (serve lists the deferred outputs in another order).
    let paths_hash = files.iter().fold(0u64, |sum, f| {
        sum.wrapping_add(xxhash_rust::xxh3::xxh3_64(f.path.as_bytes()))
    });
    let (last_hash, mut good) =
        std::mem::take(&mut *cache.good.lock().unwrap_or_else(|e| e.into_inner()));
    if last_hash != paths_hash {
        good.clear();
    }
    let unchecked: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| good.get(&p.path) != Some(&p.version))
        .collect();
    let problems = check_pages(site, files, &unchecked);
    for page in unchecked {
        if !problems.iter().any(|d| d.file == page.file) {
            good.insert(page.path.clone(), page.version);
        }
    }
    *cache.good.lock().unwrap_or_else(|e| e.into_inner()) = (paths_hash, good);
    problems
}

fn check_pages(site: &Site, files: &[OutputFile], pages: &[&Page]) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    if pages.is_empty() {
        return Vec::new();
    }
    let published: rustc_hash::FxHashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let page_paths: Vec<&str> = site.pages.iter().map(|p| p.path.as_str()).collect();
    pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut out = Vec::new();
        for link in &page.links {
            let Some(path) = internal_path(site, page, &link.url) else {
                continue;
            };
            if !exists(&published, &path) {
                let mut fix =
                    "link to a page that exists, e.g. /cases/<slug>/ for content/cases/<slug>.md"
                        .to_string();
                if let Some(close) = did_you_mean(&path, page_paths.iter().copied()) {
                    fix = format!("did you mean {close}?");
                }
                out.push(
                    at_line(
                        page,
                        link.line,
                        &link.url,
                        format!("link to `{}` goes to no page of the site", link.url),
                    )
                    .fix(fix),
                );
            }
        }
        for image in &page.images {
            let Some(path) = internal_path(site, page, &image.src) else {
                continue;
            };
            if !exists(&published, &path) {
                out.push(
                    at_line(page, image.line, &image.src, format!("image `{}` not found (looked for {path})", image.src)).fix(
                        "put the image beside the page (a page bundle: content/<section>/<slug>/index.md with the image in that folder) or under static/ and link it as /images/<name>",
                    ),
                );
            }
        }
        if let Some(photo) = page.person.as_ref().and_then(|p| p.photo.as_deref())
            && let Some(path) = internal_path(site, page, photo)
            && !exists(&published, &path)
        {
            out.push(at_text(page, "photo", format!("photo `{photo}` not found (looked for {path})")).fix(
                "put the photo under static/ (e.g. static/images/people/name.jpg, written photo = \"/images/people/name.jpg\") or beside the page in a bundle",
            ));
        }
            out
        })
        .collect()
}

/// A problem at file line `line`, at the column where `target` is written on it (when it is).
fn at_line(page: &Page, line: usize, target: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(&page.file, message)
        .line(line)
        .with_source(&page.source);
    d.column = d
        .source_line
        .as_deref()
        .and_then(|l| l.find(target).map(|at| l[..at].chars().count() + 1));
    d
}

fn at_text(page: &Page, needle: &str, message: String) -> Diagnostic {
    Diagnostic::new(&page.file, message).locate(&page.source, needle, 1)
}

/// The site path a link or image points to, or None when it leaves the site or is a fragment.
fn internal_path(site: &Site, page: &Page, url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || url.contains(':') {
        // Absolute links to our own base_url are checked like internal ones.
        let own = url.strip_prefix(site.config.base_url.as_str())?;
        return internal_path(site, page, if own.is_empty() { "/" } else { own });
    }
    let url = url.split(['#', '?']).next().unwrap_or_default();
    let path = if let Some(abs) = url.strip_prefix('/') {
        let abs = format!("/{abs}");
        match abs.strip_prefix(site.base_path.as_str()) {
            Some(rest) if !site.base_path.is_empty() && rest.starts_with('/') => rest.to_string(),
            _ => abs,
        }
    } else {
        // Relative to the page's own folder (its pretty URL).
        normalize(&format!("{}{}", page.path, url))
    };
    Some(percent_decode(&path))
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn exists(published: &rustc_hash::FxHashSet<&str>, path: &str) -> bool {
    published.contains(path)
        || (path.ends_with('/') && published.contains(format!("{path}index.html").as_str()))
        || (!path.ends_with('/') && published.contains(format!("{path}/index.html").as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(normalize("/cases/a/../b/"), "/cases/b/");
        assert_eq!(normalize("/cases/a/./img.png"), "/cases/a/img.png");
        assert_eq!(normalize("/../x"), "/x");
    }

    #[test]
    fn percent_decoding_is_safe_on_short_input() {
        assert_eq!(percent_decode("/a%20b/"), "/a b/");
        assert_eq!(percent_decode("/a%2"), "/a%2");
    }
}
