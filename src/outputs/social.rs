//! `social.json`: for every published page, its ready-to-paste post for each network, counted
//! the way that network counts, with its limit, hashtags and share link.

use rayon::prelude::*;
use serde::Serialize;

use super::OutputFile;
use crate::site::Site;
use crate::social::{self, PageSnippets, Snippet, compose::Settings};

#[derive(Serialize)]
struct Networks {
    x: Snippet,
    bluesky: Snippet,
    mastodon: Snippet,
    threads: Snippet,
    linkedin: Snippet,
}

#[derive(Serialize)]
struct Entry<'a> {
    url: &'a str,
    title: &'a str,
    kind: crate::content::Kind,
    networks: Networks,
}

/// `/social.json`: one entry per page. Each page's entry is written once and kept with its
/// snippets, so that a rebuild after one edit in serve writes one entry and joins the rest.
/// `radpress build` (`staging`) writes the file as it goes, a few hundred entries at a time, and
/// keeps none: the entries and the joined file were a build's peak memory (about 130 MB at
/// 10,000 posts).
pub fn social_json(
    site: &Site,
    snippets: &[std::sync::Arc<PageSnippets>],
    staging: Option<&crate::writer::Staging>,
) -> crate::error::Result<OutputFile> {
    const PATH: &str = "/social.json";
    const ORIGIN: &str = "social snippets";
    if let Some(staging) = staging {
        let body = staging.stage_with(PATH, |out| write_json(site, snippets, false, out))?;
        return Ok(OutputFile {
            path: PATH.into(),
            body,
            origin: ORIGIN.into(),
        });
    }
    let len: usize = site
        .pages
        .par_iter()
        .zip(snippets)
        .map(|(page, kept)| kept.json.get_or_init(|| entry_json(page, &kept.list)).len() + 2)
        .sum();
    let mut text = Vec::with_capacity(len + 4);
    write_json(site, snippets, true, &mut text).expect("writing to memory");
    Ok(OutputFile::bytes(PATH.into(), text, ORIGIN))
}

/// social.json into `out`: `[`, the entries separated by `,`, `]`, a line each. With `keep`,
/// each entry is kept with its page's snippets (or taken from there).
fn write_json(
    site: &Site,
    snippets: &[std::sync::Arc<PageSnippets>],
    keep: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::borrow::Cow;
    const CHUNK: usize = 512;
    if site.pages.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[\n")?;
    for (i, (pages, kept)) in site
        .pages
        .chunks(CHUNK)
        .zip(snippets.chunks(CHUNK))
        .enumerate()
    {
        let parts: Vec<Cow<str>> = pages
            .par_iter()
            .zip(kept)
            .map(|(page, kept)| match (keep, kept.json.get()) {
                (_, Some(json)) => Cow::Borrowed(json.as_str()),
                (true, None) => Cow::Borrowed(
                    kept.json
                        .get_or_init(|| entry_json(page, &kept.list))
                        .as_str(),
                ),
                (false, None) => Cow::Owned(entry_json(page, &kept.list)),
            })
            .collect();
        for (j, part) in parts.iter().enumerate() {
            if i > 0 || j > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(part.as_bytes())?;
        }
    }
    out.write_all(b"\n]\n")
}

/// One page's entry, pretty-printed and indented as an element of the top-level array.
fn entry_json(page: &crate::content::Page, snippets: &[Snippet]) -> String {
    let mut s = snippets.iter().cloned();
    let mut next = || s.next().expect("one snippet per network");
    let entry = Entry {
        url: &page.permalink,
        title: &page.title,
        kind: page.kind,
        networks: Networks {
            x: next(),
            bluesky: next(),
            mastodon: next(),
            threads: next(),
            linkedin: next(),
        },
    };
    let pretty = serde_json::to_string_pretty(&entry).expect("JSON");
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8);
    for (i, line) in pretty.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

/// What `radpress social PAGE` prints: the page and its posts, per network (one post, or the
/// posts of a thread).
#[derive(Serialize)]
pub struct PagePosts {
    pub url: String,
    pub title: String,
    pub kind: crate::content::Kind,
    /// Content file, relative to the site root.
    #[serde(skip)]
    pub file: std::path::PathBuf,
    pub networks: Vec<NetworkPosts>,
}

#[derive(Serialize)]
pub struct NetworkPosts {
    pub network: social::Network,
    pub posts: Vec<Snippet>,
}

/// Find a page by its content file (`content/cases/x.md`, the bundle folder `content/cases/x/`,
/// with or without the site root in front) or its site path (`/cases/x/`).
pub fn find_page<'a>(site: &'a Site, arg: &str) -> Option<&'a crate::content::Page> {
    let trimmed = arg.trim();
    if trimmed.starts_with('/') {
        let with_slash = if trimmed.ends_with('/') {
            trimmed.to_string()
        } else {
            format!("{trimmed}/")
        };
        if let Some(p) = site.pages.iter().find(|p| p.path == with_slash) {
            return Some(p);
        }
    }
    let path = std::path::Path::new(trimmed);
    let relative = path
        .strip_prefix(&site.root)
        .unwrap_or(path)
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect::<std::path::PathBuf>();
    let candidates = [
        relative.clone(),
        relative.join("index.md"),
        std::path::Path::new("content").join(&relative),
        std::path::Path::new("content")
            .join(&relative)
            .join("index.md"),
    ];
    site.pages.iter().find(|p| candidates.contains(&p.file))
}

/// `radpress social PAGE`: load the site at `root` and compose the page's posts.
pub fn page_posts(
    root: &std::path::Path,
    page: &str,
    publish: crate::Publish,
    network: Option<social::Network>,
    thread: bool,
) -> crate::Result<PagePosts> {
    let (site, _theme) = crate::load_site(root, publish)?;
    let Some(found) = find_page(&site, page) else {
        return Err(crate::error::Error::Site(vec![
            crate::error::Diagnostic::new(page, format!("no published page `{page}`")).fix(
                "give a content file (content/cases/x.md or the bundle folder content/cases/x/) \
                 or a site path (/cases/x/); drafts need --drafts",
            ),
        ]));
    };
    let settings = Settings::from_config(&site.config);
    let networks = social::Network::ALL
        .into_iter()
        .filter(|n| network.is_none_or(|want| want == *n))
        .map(|n| NetworkPosts {
            network: n,
            posts: if thread {
                social::thread(found, &settings, n)
            } else {
                vec![social::compose(found, &settings, n)]
            },
        })
        .collect();
    Ok(PagePosts {
        url: found.permalink.clone(),
        title: found.title.clone(),
        kind: found.kind,
        file: found.file.clone(),
        networks,
    })
}
