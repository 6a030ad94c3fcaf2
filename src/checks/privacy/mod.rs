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
//! How identifiers are found (see README.md's privacy section for the list): by shape first
//! (`numbers`: long digit runs, letter-and-digit codes, grouped numbers; `rules`: dates, phones,
//! postcodes, addresses, emails, URLs, IP addresses in the formats of many countries), by the
//! structure around them (`structure`: labels and their values in tables, `Key: value` lines,
//! DICOM and HL7 dumps), and by lexicon (`names`: name lists shipped as data). Context words
//! only make a finding more or less likely; none is required. Text written with HTML character
//! references is decoded first (`text`). The site's own contact data (`[practice]` in site.toml)
//! and its own people are known-safe.
//!
//! Messages never repeat an identifier: every letter and digit of the matched text is masked
//! (`***-**-****`), in the message and in the source line shown under it.

pub mod files;
pub mod metadata;
mod names;
mod numbers;
mod places;
pub mod rules;
mod structure;
mod text;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::checks::{Finding, Severity};
use crate::content::{Kind, Page};
use crate::error::{Diagnostic, offset_to_line_col};
use crate::site::Site;

pub use rules::{Hit, RULES};

/// The rule name of waiver problems (unknown rule, no reason, waiving nothing).
pub const WAIVER_RULE: &str = "privacy-waiver";

/// Rules that do not apply to person pages: a clinician's professional contact data is public.
const PERSON_EXEMPT: &[&str] = &[
    "phone",
    "email",
    "zip",
    "street-address",
    "record-number",
    "identifying-url",
    "face-photo",
];

/// Front-matter keys whose values are publication metadata, not patient data.
/// `age` (under `[patient]`) is published as "90+ years" when over 89, never as written.
const EXEMPT_KEYS: &[&str] = &["date", "updated", "last_reviewed", "citation", "age"];

/// Every page of the site, in parallel; findings in file order.
pub fn check(site: &Site) -> Vec<Finding> {
    check_cached(site, &PrivacyCache::default())
}

/// What the site itself publishes on purpose and is therefore no patient's: the practice's name,
/// phone numbers and addresses from site.toml, and the names of the site's own people.
#[derive(Default)]
pub struct Known {
    /// Texts never flagged where they occur whole.
    texts: Vec<String>,
    /// The digits of the practice's phone numbers.
    phones: Vec<String>,
    /// Lower-case words of the people's names.
    people: rustc_hash::FxHashSet<String>,
    /// The site's own domains (from its addresses and base_url): email addresses there are the
    /// department's.
    domains: Vec<String>,
    /// A hash of all of it, for the cache key.
    key: u64,
}

impl Known {
    /// A hash of what the site knows to be safe.
    pub(crate) fn key(&self) -> u64 {
        self.key
    }

    /// The matched text is the site's own: one of its phone numbers in any format (the last nine
    /// digits are compared, so "+353 21 490 7730" is "(021) 490 7730"), or an email address or
    /// URL on one of its domains.
    fn covers(&self, matched: &str, hit: &Hit) -> bool {
        let digits: String = matched.chars().filter(char::is_ascii_digit).collect();
        let tail = |d: &str| d[d.len().saturating_sub(9)..].to_string();
        if (hit.rule == "phone" || hit.rule == "record-number")
            && digits.len() >= 7
            && self.phones.iter().any(|p| tail(p) == tail(&digits))
        {
            return true;
        }
        if hit.rule == "email" || hit.rule == "identifying-url" {
            let lower = matched.to_ascii_lowercase();
            let host = match lower.split_once('@') {
                Some((_, d)) => d.to_string(),
                None => lower
                    .split_once("://")
                    .map_or("", |x| x.1)
                    .split(['/', ':', '?'])
                    .next()
                    .unwrap_or("")
                    .to_string(),
            };
            return self
                .domains
                .iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")));
        }
        false
    }

    /// Every word of `matched` of two letters or more is a word of the site's people's names
    /// ("MARCHETTI^HELENA", "Marchetti H").
    fn names_only_people(&self, matched: &str) -> bool {
        let mut words = matched
            .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '-')
            .filter(|w| w.chars().count() >= 2)
            .peekable();
        words.peek().is_some() && words.all(|w| self.people.contains(&w.to_lowercase()))
    }

    pub fn of_site(site: &Site) -> Known {
        let mut texts = vec![site.config.title.clone(), site.config.base_url.clone()];
        let mut phones = Vec::new();
        if let Some(p) = &site.config.practice {
            texts.push(p.name.clone());
            let add_address = |texts: &mut Vec<String>, a: &crate::practice::Address| {
                texts.extend(
                    [&a.street, &a.locality, &a.region, &a.postal_code]
                        .into_iter()
                        .flatten()
                        .cloned(),
                );
                texts.push(a.display.clone());
            };
            if let Some(a) = &p.address {
                add_address(&mut texts, a);
            }
            phones.extend(p.phone.clone());
            for l in &p.locations {
                texts.push(l.name.clone());
                phones.extend(l.phone.clone());
                if let Some(a) = &l.address {
                    add_address(&mut texts, a);
                }
            }
        }
        let names: Vec<String> = site
            .pages
            .iter()
            .filter_map(|p| p.person.as_ref().map(|person| person.name.clone()))
            .collect();
        Known::new(texts, phones, names)
    }

    pub fn new(texts: Vec<String>, phones: Vec<String>, names: Vec<String>) -> Known {
        let mut texts: Vec<String> = texts
            .into_iter()
            .chain(names.iter().cloned())
            .chain(phones.iter().cloned())
            .filter(|t| t.trim().chars().count() >= 4)
            .collect();
        texts.sort();
        texts.dedup();
        let phones: Vec<String> = phones
            .iter()
            .map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>())
            .filter(|d| d.len() >= 6)
            .collect();
        let people = names
            .iter()
            .flat_map(|n| n.split(|c: char| !c.is_alphabetic() && c != '\'' && c != '-'))
            .filter(|w| w.chars().count() >= 2)
            .map(str::to_lowercase)
            .collect();
        let domains: Vec<String> = texts
            .iter()
            .filter_map(|t| {
                let t = t.trim().to_ascii_lowercase();
                let host = match t.split_once('@') {
                    Some((_, domain)) => domain.to_string(),
                    None => t
                        .split_once("://")?
                        .1
                        .split(['/', ':', '?'])
                        .next()?
                        .to_string(),
                };
                let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
                host.contains('.').then_some(host)
            })
            .collect();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for t in texts.iter().chain(&phones) {
            h.update(t.as_bytes());
            h.update(b"\0");
        }
        Known {
            texts,
            phones,
            people,
            domains,
            key: h.digest(),
        }
    }
}

/// Findings of each page by path, with the key of what was scanned (its text and file names), so
/// that a rebuild in `radpress serve` scans only the pages that changed.
#[derive(Default)]
pub struct PrivacyCache {
    pages: std::sync::Mutex<rustc_hash::FxHashMap<String, (u64, Vec<Finding>)>>,
    /// The findings of SVG files (see `files::check`).
    pub(crate) svgs: files::SvgFindings,
    /// Pages that scanned clean in earlier builds, from `.radpress-cache/privacy-clean`.
    disk: std::sync::Mutex<Option<CleanOnDisk>>,
}

/// The keys of the pages that scanned clean, kept between builds in one file: a new process
/// (every `radpress build`) then scans only the pages that changed, and those with findings.
/// A key hashes the page's text and file names, the site's known-safe data and the radpress
/// executable itself, so that a new radpress scans everything again.
struct CleanOnDisk {
    path: PathBuf,
    /// The keys read from the file (or saved last).
    keys: rustc_hash::FxHashSet<u64>,
    /// The keys found clean by this build, saved by `save_disk_cache`.
    now: rustc_hash::FxHashSet<u64>,
}

/// What the keys on disk depend on besides the page: this radpress executable.
fn engine_stamp() -> u64 {
    static STAMP: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        if let Some(meta) = std::env::current_exe()
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
        {
            h.update(&meta.len().to_le_bytes());
            if let Ok(t) = meta.modified()
                && let Ok(d) = t.duration_since(std::time::UNIX_EPOCH)
            {
                h.update(&d.as_nanos().to_le_bytes());
            }
        }
        h.digest()
    });
    *STAMP
}

const CLEAN_HEADER: &[u8] = b"radpress privacy-clean 1\n";

impl PrivacyCache {
    /// Keep the keys of clean pages in `path` between builds (and read earlier builds' keys).
    pub fn use_disk_cache(&self, path: &std::path::Path) {
        let mut disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        if disk.as_ref().is_some_and(|d| d.path == path) {
            return;
        }
        let keys = std::fs::read(path)
            .ok()
            .and_then(|b| b.strip_prefix(CLEAN_HEADER).map(<[u8]>::to_vec))
            .map(|b| {
                b.chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().expect("eight bytes")))
                    .collect()
            })
            .unwrap_or_default();
        *disk = Some(CleanOnDisk {
            path: path.to_path_buf(),
            keys,
            now: Default::default(),
        });
    }

    /// Whether an earlier build found the text of `key` clean.
    pub(crate) fn was_clean(&self, key: u64) -> bool {
        let disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        disk.as_ref()
            .is_some_and(|d| d.keys.contains(&(key ^ engine_stamp())))
    }

    /// Record that this build found the text of these keys clean.
    pub(crate) fn clean(&self, keys: impl IntoIterator<Item = u64>) {
        if let Some(d) = self.disk.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            d.now.extend(keys.into_iter().map(|k| k ^ engine_stamp()));
        }
    }

    /// Write the keys found clean by this build, when they differ from the file's. Best
    /// effort: a cache that cannot be written only means scanning again next time.
    pub fn save_disk_cache(&self) {
        let mut disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        let Some(d) = disk.as_mut() else { return };
        let now = std::mem::take(&mut d.now);
        if now == d.keys {
            return;
        }
        let mut sorted: Vec<u64> = now.iter().copied().collect();
        sorted.sort_unstable();
        let mut bytes = CLEAN_HEADER.to_vec();
        for k in sorted {
            bytes.extend_from_slice(&k.to_le_bytes());
        }
        let _ = crate::outputs::write_cache(&d.path, &bytes);
        d.keys = now;
    }
}

fn scan_key(page: &Page, known: &Known) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(page.version ^ known.key);
    for (_, name) in &page.assets {
        h.update(name.as_bytes());
    }
    h.digest()
}

/// Like `check`, reusing the findings of pages scanned before with the same text and files.
pub fn check_cached(site: &Site, cache: &PrivacyCache) -> Vec<Finding> {
    let previous = std::mem::take(&mut *cache.pages.lock().unwrap_or_else(|e| e.into_inner()));
    let known = Known::of_site(site);
    let scanned: Vec<(String, u64, Vec<Finding>)> = site
        .pages
        .par_iter()
        .map(|page| {
            let key = scan_key(page, &known);
            let found = match previous.get(&page.path) {
                Some((k, f)) if *k == key => f.clone(),
                _ if cache.was_clean(key) => Vec::new(),
                _ => check_page(page, &known),
            };
            (page.path.clone(), key, found)
        })
        .collect();
    cache.clean(
        scanned
            .iter()
            .filter(|(_, _, f)| f.is_empty())
            .map(|(_, k, _)| *k),
    );
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
    /// The file name the hit is in; None when it is in the page's text.
    in_name: Option<String>,
}

/// `path` with the identifiers in its folder and file names masked: a finding names its file,
/// and that name must not repeat what it found ("content/cases/****-*****-ct/index.md").
pub(crate) fn masked_path(path: &std::path::Path, known: &Known) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        let name = part.as_os_str().to_string_lossy();
        let spans: Vec<(usize, usize)> = scan_file_name_with(&name, known)
            .into_iter()
            .map(|h| (h.start, h.end))
            .collect();
        if spans.is_empty() {
            out.push(part.as_os_str());
        } else {
            out.push(mask_spans(&name, &merge_spans(spans)));
        }
    }
    out
}

/// Spans sorted and joined where they overlap (`mask_spans` takes them apart).
pub(crate) fn merge_spans(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The findings of one page, waivers applied.
pub fn check_page(page: &Page, known: &Known) -> Vec<Finding> {
    let source = page.source.as_str();
    let applies = |rule: &str| page.kind != Kind::Person || !PERSON_EXEMPT.contains(&rule);
    let mut found: Vec<Found> = scan_source_with(source, known)
        .into_iter()
        .filter(|h| applies(h.rule))
        .map(|hit| Found { hit, in_name: None })
        .collect();
    // The names of the page's own file and folder and of its bundle's files become URLs.
    let mut names: Vec<String> = page.assets.iter().map(|(_, inner)| inner.clone()).collect();
    names.push(page_path_name(page));
    for name in names {
        for hit in scan_file_name_with(&name, known) {
            if applies(hit.rule) {
                found.push(Found {
                    hit,
                    in_name: Some(name.clone()),
                });
            }
        }
    }

    let waivers = &page.privacy_waivers;
    if found.is_empty() && waivers.is_empty() {
        return Vec::new();
    }
    // Every finding names the page, with the identifiers of its path masked (worked out only
    // for a page with something to report).
    let page_file = masked_path(&page.file, known);
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
        findings.push(finding_of(f, &page_file, source, &open));
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
            let mut d = Diagnostic::new(&page_file, message).fix(fix);
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

fn finding_of(f: &Found, file: &std::path::Path, source: &str, all: &[&Found]) -> Finding {
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
        // The finding names the page, never the file whose name holds the identifier.
        Some(name) => Diagnostic::new(
            file,
            format!(
                "a file or folder name of this page (`{}`) contains {what}: `{masked}`",
                // Every identifier found in this name is masked, not only this one.
                mask_spans(
                    name,
                    &merge_spans(
                        all.iter()
                            .filter(|o| o.in_name.as_deref() == Some(name.as_str()))
                            .map(|o| (o.hit.start, o.hit.end))
                            .chain([(f.hit.start, f.hit.end)])
                            .collect()
                    )
                )
            ),
        )
        .fix(format!("rename the file or folder; {waiver}")),
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
                file,
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

/// The site path of a page as its author named it (the folder of a bundle, the file name
/// otherwise), its slug and aliases come from its front matter, which is scanned with the rest.
fn page_path_name(page: &Page) -> String {
    let file = &page.file;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index" || stem == "_index" {
        file.parent()
            .and_then(|d| d.file_name())
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        stem
    }
}

/// Time each detector over `text` `n` times (for `examples/privacy_scan --bench`): name and
/// milliseconds.
#[doc(hidden)]
pub fn bench_parts(text: &str, n: usize) -> Vec<(&'static str, f64)> {
    let time = |f: &dyn Fn()| {
        let t = std::time::Instant::now();
        for _ in 0..n {
            f();
        }
        t.elapsed().as_secs_f64() * 1000.0
    };
    let none = Known::default();
    vec![
        ("decode", time(&|| drop(text::decode(text)))),
        ("rules", time(&|| drop(rules::scan(text)))),
        ("numbers", time(&|| drop(numbers::scan(text)))),
        ("structure", time(&|| drop(structure::scan(text)))),
        ("names", time(&|| drop(names::scan(text, &none.people)))),
        ("all", time(&|| drop(scan_source(text)))),
    ]
}

/// Every identifier in `text` (with no site-specific knowledge).
pub fn scan(text: &str) -> Vec<Hit> {
    scan_with(text, &Known::default())
}

/// Site paths and image file names written in the text ("/cases/jadwiga-oyelaran-discitis/",
/// `img/zimmermann-1.jpg`): they become URLs, and are read as file names are.
fn paths_in_text(t: &str, known: &Known) -> Vec<Hit> {
    static PATH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)(?:^|[\s\x22'(\[=`])(?P<p>(?:/[a-z0-9._~-]+)+/?|(?:\\{1,2}[a-z0-9._~$-]+)+\\?|[a-z0-9._~/-]+\.(?:jpe?g|png|gif|webp|svg|pdf|heic|tiff?|dcm))",
        )
        .expect("paths")
    });
    if !t.contains('/') && !t.contains('.') {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for c in PATH.captures_iter(t) {
        let m = c.name("p").expect("p");
        // Only the names in a path: its numbers and dates are the other rules' business.
        for h in file_name_names(m.as_str(), known) {
            {
                hits.push(Hit {
                    rule: h.rule,
                    start: m.start() + h.start,
                    end: m.start() + h.end,
                });
            }
        }
    }
    hits
}

/// Rules in the order that names a finding where several match the same text: the most
/// specific first.
const PRIORITY: &[&str] = &[
    "embedded-image",
    "face-photo",
    "identifying-url",
    "email",
    "ssn",
    "phone",
    "date",
    "age-over-89",
    "ip-address",
    "zip",
    "street-address",
    "overlay-text",
    "place",
    "patient-name",
    "record-number",
];

/// Every identifier in `text`, less what `known` says the site publishes on purpose. Hits of
/// several rules on overlapping text are joined into one, named by the most specific rule.
pub fn scan_with(text: &str, known: &Known) -> Vec<Hit> {
    let decoded = text::decode(text);
    let t: &str = &decoded.text;
    let mut hits = rules::scan(t);
    hits.extend(numbers::scan(t));
    hits.extend(structure::scan(t));
    hits.extend(names::scan(t, &known.people));
    hits.extend(places::scan(t));
    hits.extend(paths_in_text(t, known));
    // Known-safe: the site's own texts where they stand whole, its phone numbers in any format.
    let mut safe: Vec<(usize, usize)> = Vec::new();
    safe.extend(structure::code_cells(t));
    for k in &known.texts {
        safe.extend(t.match_indices(k.as_str()).map(|(i, m)| (i, i + m.len())));
    }
    hits.retain(|h| {
        !known.covers(&t[h.start..h.end], h)
            && !safe.iter().any(|&(s, e)| s <= h.start && h.end <= e)
            && (h.rule != "patient-name" || !known.names_only_people(&t[h.start..h.end]))
    });
    // An institution's or a venue's address ("held at RAI Amsterdam, Europaplein 24", "at
    // Worcestershire Royal Hospital, Charles Hastings Way, Worcester WR5 1DD").
    hits.retain(|h| !(matches!(h.rule, "street-address" | "zip") && venue_before(t, h.start)));
    // A time of day ("at 16:00") is no postcode.
    hits.retain(|h| {
        let v = t[h.start..h.end].trim_start_matches("at ").trim();
        !(h.rule == "zip"
            && v.len() <= 5
            && v.split_once(':').is_some_and(|(a, b)| {
                (1..=2).contains(&a.len())
                    && b.len() == 2
                    && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            }))
    });
    // The rest of an address after its street: town, region and postcode, up to the end of the
    // sentence or the address block.
    let tails: Vec<Hit> = hits
        .iter()
        .filter(|h| h.rule == "street-address")
        .filter_map(|h| address_tail(t, h.end))
        .collect();
    hits.extend(tails);
    let rank = |rule: &str| {
        PRIORITY
            .iter()
            .position(|r| *r == rule)
            .unwrap_or(PRIORITY.len())
    };
    hits.sort_by_key(|h| (h.start, h.end));
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        match out.last_mut() {
            Some(last) if h.start < last.end => {
                last.end = last.end.max(h.end);
                if rank(h.rule) < rank(last.rule) {
                    last.rule = h.rule;
                }
            }
            _ => out.push(h),
        }
    }
    for h in &mut out {
        let (s, e) = decoded.source_span(h.start, h.end);
        h.start = s;
        h.end = e.min(text.len());
        while !text.is_char_boundary(h.end) {
            h.end += 1;
        }
    }
    out
}

/// The words before an address in its sentence name an institution or a venue, or an event
/// held there: the address is no patient's.
fn venue_before(t: &str, at: usize) -> bool {
    const VENUE: &[&str] = &[
        "hospital",
        "hospitals",
        "infirmary",
        "clinic",
        "centre",
        "center",
        "college",
        "university",
        "institute",
        "hotel",
        "venue",
        "convention",
        "congress",
        "conference",
        "palais",
        "museum",
        "hall",
        "campus",
        "quarter",
        "held",
        "holding",
        "course",
        "meeting",
        "ceremony",
        "symposium",
        "workshop",
        "exhibition",
        "headquarters",
        "offices",
        "office",
        "society",
        "surgery",
        "practice",
        "pharmacy",
        "theatre",
        "stadium",
        "library",
    ];
    let from = t[..at].rfind(['.', '\n', '!', '?']).map_or(0, |p| p + 1);
    let from = (from.max(at.saturating_sub(160))..=at)
        .find(|&p| t.is_char_boundary(p))
        .unwrap_or(at);
    t[from..at]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| VENUE.contains(&w.to_lowercase().as_str()))
}

/// After a street address: the town and postcode that follow it, on its line or on the short
/// lines of its block ("12 Acacia Avenue, Leeds LS1 4AP", "Hauptstraße 5\n10115 Berlin").
fn address_tail(t: &str, from: usize) -> Option<Hit> {
    let mut end = from;
    let mut last_useful = None;
    let mut lines = 0;
    for (i, c) in t[from..].char_indices() {
        let at = from + i;
        match c {
            '\n' => {
                lines += 1;
                // A blank line, or a long line (prose, not an address block), ends it.
                let next_line = t[at + 1..].lines().next().unwrap_or("");
                if lines > 3 || next_line.trim().is_empty() || next_line.len() > 60 {
                    break;
                }
            }
            ';' | '|' | '<' | '(' | ')' | '"' | '`' | '[' | ']' => break,
            '.' if t[at + 1..].starts_with([' ', '\n']) || at + 1 == t.len() => break,
            _ => {}
        }
        if at - from > 160 {
            break;
        }
        end = at + c.len_utf8();
        if c.is_ascii_digit() || c.is_uppercase() {
            last_useful = Some(end);
        }
    }
    let _ = end;
    let tail = &t[from..];
    let lead = tail.len() - tail.trim_start_matches([',', ' ', '\t', '\n']).len();
    let start = from + lead;
    let stop = last_useful?;
    if stop <= start {
        return None;
    }
    // Only a tail that looks like a place: a capitalised word or a postcode-like token.
    let part = &t[start..stop];
    let telling = part.split(|c: char| !c.is_alphanumeric()).any(|w| {
        w.chars().any(|c| c.is_ascii_digit()) && w.len() >= 2
            || w.chars().next().is_some_and(char::is_uppercase) && !names::is_stop(w)
    });
    telling.then_some(Hit {
        rule: "zip",
        start,
        end: word_end(t, stop),
    })
}

/// `at`, moved to the end of the word it is in.
fn word_end(t: &str, at: usize) -> usize {
    at + t[at..]
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(t.len() - at)
}

/// The identifiers of a page's source, without the exempt front-matter lines.
pub fn scan_source(source: &str) -> Vec<Hit> {
    scan_source_with(source, &Known::default())
}

/// `scan_source` with the site's known-safe texts.
pub fn scan_source_with(source: &str, known: &Known) -> Vec<Hit> {
    let exempt = exempt_ranges(source);
    let mut hits = scan_with(source, known);
    for h in url_values(source, known) {
        if !hits.iter().any(|o| o.start < h.end && h.start < o.end) {
            hits.push(h);
        }
    }
    hits.sort_by_key(|h| (h.start, h.end));
    if !exempt.is_empty() {
        // A citation's date is a publication's; a personal page it links to still names
        // someone ("My fracture and me. Blog post. https://someone.blogspot.com/").
        hits.retain(|h| {
            !exempt.iter().any(|&(s, e, key)| {
                h.start < e && s < h.end && !(key == "citation" && h.rule == "identifying-url")
            })
        });
    }
    hits
}

/// The identifiers of a file name: as written, and with `_`, `-` and `.` read as spaces
/// ("MRN_12345678", "john-smith-ct.png").
pub fn scan_file_name(name: &str) -> Vec<Hit> {
    scan_file_name_with(name, &Known::default())
}

/// `scan_file_name` with the site's known-safe texts.
pub fn scan_file_name_with(name: &str, known: &Known) -> Vec<Hit> {
    let spaced = name.replace('_', " ");
    let mut hits = scan_with(&spaced, known);
    for h in scan_with(name, known) {
        if !hits.iter().any(|o| o.start < h.end && h.start < o.end) {
            hits.push(h);
        }
    }
    for h in file_name_names(name, known) {
        if !hits.iter().any(|o| o.start < h.end && h.start < o.end) {
            hits.push(h);
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

/// The names in a file name or a path, read by the name lists alone: its words capitalised
/// ("maria-gonzalez-ct.png" → "Maria Gonzalez ct"), two at a time, glued ("jsmith") or alone.
fn file_name_names(name: &str, known: &Known) -> Vec<Hit> {
    // The extension is no word of the name ("pa.png" is not "Pa Png").
    let stem = match name.rfind('.') {
        Some(dot) if name.len() - dot <= 5 => &name[..dot],
        _ => name,
    };
    let words: String = titled_words(stem);
    let mut hits: Vec<Hit> = Vec::new();
    // A word of three letters alone in a file name is an abbreviation more often than a name
    // ("dev", "lat", "ant").
    for h in names::scan(&words, &known.people)
        .into_iter()
        .filter(|h| h.end - h.start > 3)
    {
        if !hits.iter().any(|o| o.start < h.end && h.start < o.end) {
            hits.push(h);
        }
    }
    // Each two neighbouring words on their own: a file name runs a name into the words after it
    // ("smit-geertje-morison", "krishnamurthy-murugan-pancoast").
    let spans: Vec<(usize, usize)> = stem.match_indices(char::is_alphabetic).fold(
        Vec::new(),
        |mut v: Vec<(usize, usize)>, (i, c)| {
            match v.last_mut() {
                Some(last) if last.1 == i => last.1 = i + c.len(),
                _ => v.push((i, i + c.len())),
            }
            v
        },
    );
    for pair in spans.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.1 - a.0 < 3 || b.1 - b.0 < 3 {
            continue;
        }
        let two = format!(
            "{} {}",
            titled_words(&name[a.0..a.1]),
            titled_words(&name[b.0..b.1])
        );
        if names::scan(&two, &known.people)
            .iter()
            .any(|h| h.end - h.start == two.len())
            && !hits.iter().any(|h| h.start < b.1 && a.0 < h.end)
        {
            hits.push(Hit {
                rule: "patient-name",
                start: a.0,
                end: b.1,
            });
        }
    }
    // "jsmith-ct.png": an initial glued to a surname.
    let mut at = 0;
    for word in name.split(|c: char| !c.is_alphabetic()) {
        let start = name[at..].find(word).map_or(at, |p| at + p);
        at = start + word.len();
        let named = !known.people.contains(&word.to_lowercase())
            && (names::glued_name(word) || names::lone_surname(word));
        if named && !hits.iter().any(|h| h.start < at && start < h.end) {
            hits.push(Hit {
                rule: "patient-name",
                start,
                end: at,
            });
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

/// The values of `slug` and `aliases` in the front matter: they become URLs, and are read as
/// file names are ("/cases/jsmith/", "maria-gonzalez-ct").
fn url_values(source: &str, known: &Known) -> Vec<Hit> {
    static VALUE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?m)^\s*(?:slug|aliases|path|tags)\s*=\s*(\[[^\]]*\]|"[^"\n]*")"#)
            .expect("url keys")
    });
    let end = front_matter_end(source);
    let mut hits = Vec::new();
    for c in VALUE.captures_iter(&source[..end]) {
        let m = c.get(1).expect("value");
        // Each quoted string of the value.
        let v = m.as_str();
        let mut rest = 0;
        while let Some(open) = v[rest..].find('"') {
            let s = rest + open + 1;
            let Some(close) = v[s..].find('"') else { break };
            let inner = &v[s..s + close];
            // A tag that is a person's name alone ("Benali") becomes a page of its own.
            let title_case = inner.starts_with(char::is_uppercase)
                && inner
                    .chars()
                    .skip(1)
                    .all(|c| c.is_lowercase() || c == '\'' || c == '-');
            // A tag that is a proper noun (a person, a town) rather than a topic: a name of the
            // lists, or a capitalised word that is no English word, eponym or known place.
            let is_tag = c
                .get(0)
                .is_some_and(|k| k.as_str().trim_start().starts_with("tags"));
            let proper = is_tag && names::proper_tag(inner);
            if proper || (title_case && names::is_known_name(inner) && !names::is_eponym(inner)) {
                hits.push(Hit {
                    rule: "patient-name",
                    start: m.start() + s,
                    end: m.start() + s + inner.len(),
                });
            }
            for h in scan_file_name_with(inner, known) {
                hits.push(Hit {
                    rule: h.rule,
                    start: m.start() + s + h.start,
                    end: m.start() + s + h.end,
                });
            }
            // A URL names no one by chance: each word that is a name of the lists, of any
            // frequency, or glued to an initial ("/cases/nakamura/", "sharma-family",
            // "sbo-ddelrosario").
            let mut at = 0;
            for word in inner.split(|c: char| !c.is_alphabetic()) {
                let start = inner[at..].find(word).map_or(at, |p| at + p);
                at = start + word.len();
                if word.is_empty() || known.people.contains(&word.to_lowercase()) {
                    continue;
                }
                if names::url_name(word) || names::glued_name(word) {
                    hits.push(Hit {
                        rule: "patient-name",
                        start: m.start() + s + start,
                        end: m.start() + s + at,
                    });
                }
            }
            rest = s + close + 1;
        }
    }
    hits
}

/// Where the `+++` front matter ends (0 when there is none).
pub(crate) fn front_matter_end(source: &str) -> usize {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    if !text.starts_with("+++") {
        return 0;
    }
    let base = source.len() - text.len();
    text[3..].find("\n+++").map_or(0, |p| base + 3 + p + 4)
}

/// A file name with `-` and `_` as spaces and each word capitalised; byte offsets unchanged
/// (ASCII letters only are changed).
fn titled_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if c == '-' || c == '_' || c == '.' || c == '/' || c == '\\' {
            out.push(' ');
            start = true;
        } else if start && c.is_ascii_lowercase() {
            out.push(c.to_ascii_uppercase());
            start = false;
        } else {
            out.push(c);
            start = false;
        }
    }
    out
}

/// Byte ranges of the front matter not to scan: comment lines, the values of the
/// publication-metadata keys and the `[[privacy.waivers]]` tables.
fn exempt_ranges(source: &str) -> Vec<(usize, usize, &str)> {
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
            ranges.push((start, offset, "#"));
            continue;
        }
        if trimmed.starts_with('[') {
            let table = trimmed.trim_start_matches('[').trim_end_matches(']').trim();
            in_waivers = table == "privacy.waivers";
            if in_waivers {
                ranges.push((start, offset, "waivers"));
            }
            continue;
        }
        let key = line
            .split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"'))
            .unwrap_or("");
        if in_waivers || key == "waivers" || EXEMPT_KEYS.contains(&key) {
            ranges.push((start, offset, key));
        }
    }
    ranges
}

/// `e` with the identifiers in its problems masked: the source line shown under each problem
/// and the text quoted in its message (between backticks), wherever the rules find one. A
/// privacy finding is masked already; a problem of another check (a TOML error, a broken link)
/// may quote a line that holds an identifier.
pub fn scrub_error(e: crate::error::Error) -> crate::error::Error {
    let crate::error::Error::Site(mut diags) = e else {
        return e;
    };
    let masked = |text: &str| {
        let hits = scan(text);
        if hits.is_empty() {
            return None;
        }
        Some(mask_spans(
            text,
            &merge_spans(hits.iter().map(|h| (h.start, h.end)).collect()),
        ))
    };
    for d in &mut diags {
        if let Some(line) = d.source_line.as_deref().and_then(masked) {
            d.source_line = Some(line);
        }
        // Each quoted part of the message on its own: the message's own words are no
        // identifier.
        let parts: Vec<&str> = d.message.split('`').collect();
        if parts.len() >= 3 {
            let mut out = String::with_capacity(d.message.len());
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    out.push('`');
                }
                match (i % 2 == 1).then(|| masked(part)).flatten() {
                    Some(m) => out.push_str(&m),
                    None => out.push_str(part),
                }
            }
            d.message = out;
        }
    }
    crate::error::Error::Site(diags)
}

/// The text with every letter and digit starred (`***-**-****`): its shape tells the author what
/// was found, the line and column where; nothing of the identifier is repeated.
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
        for c in text[start..end].chars() {
            out.push(if c.is_alphanumeric() { '*' } else { c });
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
    fn masks_hide_every_character() {
        assert_eq!(mask("123-45-6789"), "***-**-****");
        assert_eq!(mask("(555) 555-0142"), "(***) ***-****");
        assert_eq!(mask("Mary"), "****");
        assert_eq!(
            mask_spans("SSN 123-45-6789 here", &[(4, 15)]),
            "SSN ***-**-**** here"
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
