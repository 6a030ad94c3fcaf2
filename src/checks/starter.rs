//! Starter material that must never be published: the placeholders `radpress new` writes into
//! a page ("Replace with a credit, or remove this line"), its placeholder image, and a logo that
//! site.toml names but that does not exist. They are errors for every page that is published
//! (a draft may keep them while it is written). A `base_url` still on an example domain is a
//! warning of `radpress check`.

use crate::checks::{Finding, Severity};
use crate::error::{Diagnostic, offset_to_line_col};
use crate::scaffold::{PLACEHOLDER_IMAGE, PLACEHOLDER_MARK, PLACEHOLDER_SVG};
use crate::site::Site;

pub const RULE: &str = "starter-text";

/// Errors: starter text and the placeholder image in published pages, a missing logo.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in site.pages.iter().filter(|p| !p.draft) {
        let source = page.source.as_str();
        let fm_end = crate::checks::privacy::front_matter_end(source);
        let mut at = 0;
        let mut shown = false;
        for line in source.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let trimmed = line.trim();
            if start < fm_end && trimmed.starts_with('#') {
                continue;
            }
            // The scaffold's placeholders start a quoted value, or a line (of the body, or of a
            // multi-line string such as `findings`), or a list item there.
            let quoted = format!("\"{PLACEHOLDER_MARK}");
            let item = trimmed.trim_start_matches(['-', '*', ' ']);
            let placeholder = line.find(&quoted).map(|p| p + 1).or_else(|| {
                item.starts_with(PLACEHOLDER_MARK)
                    .then(|| line.find(PLACEHOLDER_MARK).unwrap_or(0))
            });
            if let Some(p) = placeholder {
                let (l, c) = offset_to_line_col(source, start + p);
                let mut d = Diagnostic::new(
                    &page.file,
                    "starter text that `radpress new` wrote is still in a published page",
                )
                .at(l, c)
                .fix("write your own text there, or remove the line; `draft = true` keeps a page off the site while you write it");
                d.source_line = Some(trimmed.chars().take(200).collect());
                problems.push(d);
            }
            let image = line.match_indices(PLACEHOLDER_IMAGE).any(|(p, _)| {
                let before = line[..p].chars().next_back();
                matches!(before, Some('"' | '(' | '/' | '\'' | ' '))
            });
            if image {
                shown = true;
                let p = line.find(PLACEHOLDER_IMAGE).unwrap_or(0);
                let (l, c) = offset_to_line_col(source, start + p);
                let mut d = Diagnostic::new(
                    &page.file,
                    format!("the page still shows `{PLACEHOLDER_IMAGE}`, the stand-in image that `radpress new` wrote"),
                )
                .at(l, c)
                .fix(format!("put your own de-identified image beside the page, point `src` at it and delete {PLACEHOLDER_IMAGE}"));
                d.source_line = Some(trimmed.chars().take(200).collect());
                problems.push(d);
            }
        }
        // The stand-in image left in a case's folder after its own image took its place: it
        // would be published all the same.
        if page.file.file_name().is_some_and(|n| n == "index.md") {
            let folder = page.file.parent().unwrap_or(&page.file);
            let left = site.root.join(folder).join(PLACEHOLDER_IMAGE);
            let same = crate::input::read(&left, 1 << 20)
                .is_ok_and(|bytes| bytes == PLACEHOLDER_SVG.as_bytes());
            if same && !shown {
                problems.push(
                    Diagnostic::new(
                        folder.join(PLACEHOLDER_IMAGE),
                        "the stand-in image that `radpress new` wrote is still in the case's folder, and would be published",
                    )
                    .fix(format!("delete {PLACEHOLDER_IMAGE}")),
                );
            }
        }
    }
    if let Some(logo) = &site.config.brand.logo {
        let exists = ["static", "content"]
            .iter()
            .any(|dir| site.root.join(dir).join(logo).is_file());
        if !exists {
            problems.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("`logo = \"/{logo}\"` names a file that does not exist (looked for static/{logo})"),
                )
                .fix("put the logo file there, correct the path, or remove the `logo` line"),
            );
        }
    }
    problems
}

/// Warnings for `radpress check`: a `base_url` on an example domain (links, cards and feeds
/// would point there).
pub fn advisories(site: &Site) -> Vec<Finding> {
    let host = site
        .config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let example = ["example.org", "example.com", "example.net", "example.edu"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    if !example {
        return Vec::new();
    }
    vec![Finding::new(
        "example-domain",
        Severity::Warning,
        Diagnostic::new(
            crate::config::CONFIG_FILE,
            format!("`base_url` is still on an example domain ({host}): links, share cards, feeds and the sitemap point there"),
        )
        .fix("set base_url to the address the site will be published at"),
    )]
}
