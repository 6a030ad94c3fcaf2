//! The privacy check: patient identifiers (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)) in the text
//! a reader could see. Every finding is an error that stops `build` and `serve`, unless the page
//! waives that exact finding (rule and matched text) with a reason:
//!
//! ```toml
//! [[privacy.waivers]]
//! rule = "phone"
//! text = "(555) 555-0142"
//! reason = "the department's public number"
//! ```
//!
//! What is scanned: a page's whole source file, that is the Markdown body and every front-matter
//! string (title, summary, presentation, findings, captions, alt texts, quiz text, social text,
//! image `src`s, slugs), and the file names of a bundle's files. Not scanned: the publication
//! metadata keys `date`, `updated`, `last_reviewed` and reference `citation`s (a journal's
//! publication date is not patient data), the waivers themselves, and site.toml (the practice's
//! own contact data). Person pages (clinicians' public professional data) are exempt from the
//! contact and number rules (`phone`, `email`, `zip`, `street-address`, `record-number`), not from
//! the others. A waiver that matches nothing is an error (`privacy-waiver`), so waivers cannot
//! outlive the text they excuse; there is no switch that turns the check off.
//!
//! Messages never repeat an identifier whole: the matched text is masked except its last
//! characters (`***-**-6789`), in the message and in the source line shown under it.

pub mod files;
pub mod metadata;
pub mod rules;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::checks::{Finding, Severity};
use crate::content::{Kind, Page};
use crate::error::{Diagnostic, offset_to_line_col};
use crate::site::Site;

pub use rules::{Hit, RULES, scan};

/// The rule name of waiver problems (unknown rule, no reason, waiving nothing).
pub const WAIVER_RULE: &str = "privacy-waiver";

/// Rules that do not apply to person pages: a clinician's professional contact data is public.
const PERSON_EXEMPT: &[&str] = &["phone", "email", "zip", "street-address", "record-number"];

/// Front-matter keys whose values are publication metadata, not patient data.
const EXEMPT_KEYS: &[&str] = &["date", "updated", "last_reviewed", "citation"];

/// Every page of the site, in parallel; findings in file order.
pub fn check(site: &Site) -> Vec<Finding> {
    check_cached(site, &PrivacyCache::default())
}

/// Findings of each page by path, with the key of what was scanned (its text and file names), so
/// that a rebuild in `radpress serve` scans only the pages that changed.
#[derive(Default)]
pub struct PrivacyCache {
    pages: std::sync::Mutex<rustc_hash::FxHashMap<String, (u64, Vec<Finding>)>>,
    /// The findings of SVG files (see `files::check`).
    pub(crate) svgs: files::SvgFindings,
}

fn scan_key(page: &Page) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(page.version);
    for (_, name) in &page.assets {
        h.update(name.as_bytes());
    }
    h.digest()
}

/// Like `check`, reusing the findings of pages scanned before with the same text and files.
pub fn check_cached(site: &Site, cache: &PrivacyCache) -> Vec<Finding> {
    let previous = std::mem::take(&mut *cache.pages.lock().unwrap_or_else(|e| e.into_inner()));
    let scanned: Vec<(String, u64, Vec<Finding>)> = site
        .pages
        .par_iter()
        .map(|page| {
            let key = scan_key(page);
            let found = match previous.get(&page.path) {
                Some((k, f)) if *k == key => f.clone(),
                _ => check_page(page),
            };
            (page.path.clone(), key, found)
        })
        .collect();
    let mut findings: Vec<Finding> = scanned
        .iter()
        .flat_map(|(_, _, f)| f.iter().cloned())
        .collect();
    *cache.pages.lock().unwrap_or_else(|e| e.into_inner()) = scanned
        .into_iter()
        .map(|(path, key, f)| (path, (key, f)))
        .collect();
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    findings
}

/// One identifier found in a page, before waivers.
struct Found {
    hit: Hit,
    /// The file the text is in: the page, or a bundle file whose name it is.
    file: PathBuf,
    /// The scanned text (the page source or the file name).
    in_name: Option<String>,
}

/// The findings of one page, waivers applied.
pub fn check_page(page: &Page) -> Vec<Finding> {
    let source = page.source.as_str();
    let applies = |rule: &str| page.kind != Kind::Person || !PERSON_EXEMPT.contains(&rule);
    let mut found: Vec<Found> = scan_source(source)
        .into_iter()
        .filter(|h| applies(h.rule))
        .map(|hit| Found {
            hit,
            file: page.file.clone(),
            in_name: None,
        })
        .collect();
    let dir = page.file.parent().unwrap_or(Path::new(""));
    for (_, inner) in &page.assets {
        for hit in scan_file_name(inner) {
            if applies(hit.rule) {
                found.push(Found {
                    hit,
                    file: dir.join(inner),
                    in_name: Some(inner.clone()),
                });
            }
        }
    }

    let waivers = &page.privacy_waivers;
    let mut used = vec![false; waivers.len()];
    let mut findings = Vec::new();
    let mut open: Vec<&Found> = Vec::new();
    for f in &found {
        let text = f.in_name.as_deref().unwrap_or(source);
        let matched = &text[f.hit.start..f.hit.end];
        match waivers
            .iter()
            .position(|w| w.rule == f.hit.rule && w.text.trim() == matched)
        {
            Some(i) => used[i] = true,
            None => open.push(f),
        }
    }
    for f in &open {
        findings.push(finding_of(f, source, &open));
    }
    for (w, used) in waivers.iter().zip(used) {
        let problem = if !RULES.iter().any(|(name, _, _)| *name == w.rule) {
            Some((
                format!("the privacy waiver names an unknown rule `{}`", w.rule),
                format!(
                    "use one of: {}",
                    RULES.iter().map(|r| r.0).collect::<Vec<_>>().join(", ")
                ),
            ))
        } else if w.reason.trim().is_empty() {
            Some((
                format!("the privacy waiver for `{}` gives no reason", w.rule),
                "add reason = \"...\": why this text is not patient data".to_string(),
            ))
        } else if !used {
            Some((
                format!(
                    "the privacy waiver for `{}` (`{}`) matches nothing on this page",
                    w.rule,
                    mask(&w.text)
                ),
                "remove the waiver (the text is gone), or copy the text exactly as the finding shows it".to_string(),
            ))
        } else {
            None
        };
        if let Some((message, fix)) = problem {
            let mut d = Diagnostic::new(&page.file, message).fix(fix);
            let quoted = format!("\"{}\"", w.text);
            if let Some(at) = source
                .find(&quoted)
                .or_else(|| source.find("privacy.waivers"))
            {
                let (line, col) = offset_to_line_col(source, at);
                d = d.at(line, col);
                d.source_line = source
                    .lines()
                    .nth(line - 1)
                    .map(|l| l.trim_end().replace(&w.text, &mask(&w.text)));
            }
            findings.push(Finding::new(WAIVER_RULE, Severity::Error, d));
        }
    }
    findings
}

fn finding_of(f: &Found, source: &str, all: &[&Found]) -> Finding {
    let (what, fix) = rules::describe(f.hit.rule);
    let text = f.in_name.as_deref().unwrap_or(source);
    let matched = &text[f.hit.start..f.hit.end];
    let masked = mask(matched);
    let waiver = format!(
        "if it is not patient data, waive it in the front matter:\n  [[privacy.waivers]]\n  rule = \"{}\"\n  text = \"<the text found here, exactly>\"\n  reason = \"...\"",
        f.hit.rule
    );
    let rule: &'static str = RULES
        .iter()
        .find(|(name, _, _)| *name == f.hit.rule)
        .map_or(WAIVER_RULE, |r| r.0);
    let d = match &f.in_name {
        Some(name) => Diagnostic::new(
            &f.file,
            format!(
                "the file name `{}` contains {what}: `{masked}`",
                mask_spans(name, &[(f.hit.start, f.hit.end)])
            ),
        )
        .fix(format!("rename the file; {waiver}")),
        None => {
            let (line, col) = offset_to_line_col(source, f.hit.start);
            let line_start = source[..f.hit.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = source[f.hit.start..]
                .find('\n')
                .map_or(source.len(), |i| f.hit.start + i);
            // Mask every finding of this line in the line shown.
            let spans: Vec<(usize, usize)> = all
                .iter()
                .filter(|o| o.in_name.is_none() && o.hit.start < line_end && o.hit.end > line_start)
                .map(|o| {
                    (
                        o.hit.start.max(line_start) - line_start,
                        o.hit.end.min(line_end) - line_start,
                    )
                })
                .collect();
            let mut d = Diagnostic::new(
                &f.file,
                format!("possible patient identifier, {what}: `{masked}`"),
            )
            .at(line, col)
            .fix(format!("{fix}; {waiver}"));
            d.source_line = Some(
                mask_spans(&source[line_start..line_end], &spans)
                    .trim_end()
                    .to_string(),
            );
            d
        }
    };
    Finding::new(rule, Severity::Error, d)
}

/// The identifiers of a page's source, without the exempt front-matter lines.
pub fn scan_source(source: &str) -> Vec<Hit> {
    let exempt = exempt_ranges(source);
    let mut hits = scan(source);
    if !exempt.is_empty() {
        hits.retain(|h| !exempt.iter().any(|&(s, e)| h.start < e && s < h.end));
    }
    hits
}

/// The identifiers of a file name: as written, and with `_` read as a space ("MRN_12345678").
pub fn scan_file_name(name: &str) -> Vec<Hit> {
    let spaced = name.replace('_', " ");
    let mut hits = scan(&spaced);
    for h in scan(name) {
        if !hits.iter().any(|o| o.start < h.end && h.start < o.end) {
            hits.push(h);
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

/// Byte ranges of the front matter not to scan: comment lines, the values of the
/// publication-metadata keys and the `[[privacy.waivers]]` tables.
fn exempt_ranges(source: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    let base = source.len() - text.len();
    let mut offset = base;
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "+++" => offset += first.len(),
        _ => return ranges,
    }
    let mut in_waivers = false;
    for line in lines {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed == "+++" {
            break;
        }
        // A TOML comment is never shown to a reader (the placeholders `radpress new` writes).
        if trimmed.starts_with('#') {
            ranges.push((start, offset));
            continue;
        }
        if trimmed.starts_with('[') {
            let table = trimmed.trim_start_matches('[').trim_end_matches(']').trim();
            in_waivers = table == "privacy.waivers";
            if in_waivers {
                ranges.push((start, offset));
            }
            continue;
        }
        let key = trimmed
            .split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"'))
            .unwrap_or("");
        if in_waivers || key == "waivers" || EXEMPT_KEYS.contains(&key) {
            ranges.push((start, offset));
        }
    }
    ranges
}

/// The text with its letters and digits starred, except the last few (`***-**-6789`): enough to
/// find it in the file, not enough to spread it.
pub fn mask(text: &str) -> String {
    mask_spans(text, &[(0, text.len())])
}

/// `text` with each span masked as `mask` does.
pub(crate) fn mask_spans(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut spans = spans.to_vec();
    spans.sort();
    for (start, end) in spans {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        let part = &text[start..end];
        let n = part.chars().filter(|c| c.is_alphanumeric()).count();
        let keep = match n {
            9.. => 4,
            5..=8 => 2,
            _ => 0,
        };
        let mut seen = 0;
        for c in part.chars() {
            if c.is_alphanumeric() {
                seen += 1;
                out.push(if seen > n - keep { c } else { '*' });
            } else {
                out.push(c);
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_the_last_characters() {
        assert_eq!(mask("123-45-6789"), "***-**-6789");
        assert_eq!(mask("(555) 555-0142"), "(***) ***-0142");
        assert_eq!(mask("Mary"), "****");
        assert_eq!(
            mask_spans("SSN 123-45-6789 here", &[(4, 15)]),
            "SSN ***-**-6789 here"
        );
    }

    #[test]
    fn publication_dates_and_waivers_are_not_scanned() {
        let src = "+++\ntitle = \"A\"\ndate = 2024-03-14\nupdated = \"2024-03-15\"\n[[references]]\ncitation = \"Radiology. 2019 Mar 14;290(3):1-9.\"\n[[privacy.waivers]]\nrule = \"date\"\ntext = \"2024-03-16\"\nreason = \"x\"\n+++\nSeen 2024-03-16.\n";
        let hits = scan_source(src);
        assert_eq!(hits.len(), 1);
        assert_eq!(&src[hits[0].start..hits[0].end], "2024-03-16");
    }

    #[test]
    fn file_names_are_scanned() {
        let hits = scan_file_name("MRN_00482913_ct.png");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].rule, "record-number");
        assert_eq!(scan_file_name("ct-2024-03-14.png")[0].rule, "date");
        assert!(scan_file_name("mr-t2-fat-sat.png").is_empty());
    }
}
