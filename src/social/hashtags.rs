//! Hashtags: twitter-text's extraction rules, CamelCase, de-duplication, and the tags a page gets
//! from its own front matter, its modality, system and body region, and the site's defaults.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use fancy_regex::Regex;

use super::urls;
use crate::content::{Kind, Page};

/// twitter-text's `hashtagAlphaNumeric` class (without the brackets).
const ALNUM: &str = r"\p{L}\p{M}\p{Nd}_\x{200c}\x{200d}\x{a67e}\x{05be}\x{05f3}\x{05f4}\x{ff5e}\x{301c}\x{309b}\x{309c}\x{30a0}\x{30fb}\x{3003}\x{0f0b}\x{0f0c}\x{00b7}";

fn hashtag_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let pattern = format!(
            r"(?:^|(?<=[\x{{fe0e}}\x{{fe0f}}])|(?<![{ALNUM}&]))([#＃])(?![\x{{fe0f}}\x{{20e3}}])([{ALNUM}]*[\p{{L}}\p{{M}}][{ALNUM}]*)"
        );
        Regex::new(&pattern).expect("hashtag pattern compiles")
    })
}

/// A hashtag found in text: its text without `#`, and its byte range (with the `#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub tag: String,
    pub start: usize,
    pub end: usize,
}

/// twitter-text's `extractHashtagsWithIndices` (hashtags inside URLs are not hashtags).
pub fn extract_with_indices(text: &str) -> Vec<Found> {
    let url_spans = urls::extract_urls(text, true);
    let mut out = Vec::new();
    let mut at = 0;
    while at <= text.len() {
        let Ok(Some(caps)) = hashtag_regex().captures_from_pos(text, at) else {
            break;
        };
        let whole = caps.get(0).expect("match");
        let start = caps.get(1).expect("hash").start();
        let tag = caps.get(2).expect("tag");
        let end = tag.end();
        at = end.max(whole.end()).max(at + 1);
        while !text.is_char_boundary(at) && at < text.len() {
            at += 1;
        }
        let after = &text[end..];
        if after.starts_with('#') || after.starts_with('＃') || after.starts_with("://") {
            continue;
        }
        if url_spans.iter().any(|s| s.start < end && start < s.end) {
            continue;
        }
        out.push(Found {
            tag: tag.as_str().to_string(),
            start,
            end,
        });
    }
    out
}

/// The hashtags of `text`, without `#`.
pub fn extract(text: &str) -> Vec<String> {
    extract_with_indices(text)
        .into_iter()
        .map(|f| f.tag)
        .collect()
}

/// Whether `tag` (without `#`) is one whole hashtag by the twitter-text rules.
pub fn is_valid(tag: &str) -> bool {
    let text = format!("#{tag}");
    matches!(extract_with_indices(&text).as_slice(), [f] if f.tag == tag)
}

/// CamelCase a tag as written: `neuro rad` → `NeuroRad`, `radiology` → `Radiology`, `#FOAMrad`
/// stays `FOAMrad`. Words are split on anything that cannot be in a hashtag; a single word with
/// a capital letter in it keeps its own case (`iRad`, `MSKRad`).
pub fn camel_case(raw: &str) -> String {
    let raw = raw.trim().trim_start_matches(['#', '＃']);
    let words: Vec<&str> = raw
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let capitalise = |w: &str| {
        let mut cs = w.chars();
        match cs.next() {
            Some(f) => f.to_uppercase().chain(cs).collect::<String>(),
            None => String::new(),
        }
    };
    match words.as_slice() {
        [word] if word.chars().any(char::is_uppercase) => word.to_string(),
        _ => words.iter().map(|w| capitalise(w)).collect(),
    }
}

/// The built-in mapping from vocabulary codes (modality, system, body region) to hashtags.
pub fn default_mapping() -> BTreeMap<String, String> {
    [
        ("MR", "MRI"),
        ("CT", "CT"),
        ("US", "Ultrasound"),
        ("MG", "Mammography"),
        ("NM", "NucMed"),
        ("PT", "PET"),
        ("CR", "XRay"),
        ("DX", "XRay"),
        ("RG", "XRay"),
        ("XA", "IRad"),
        ("neuro", "NeuroRad"),
        ("musculoskeletal", "MSKRad"),
        ("paediatrics", "PedsRad"),
        ("breast", "BreastRad"),
        ("chest", "ChestRad"),
        ("cardiac", "CardiacRad"),
        ("emergency", "ERRad"),
        ("nuclear", "NucMed"),
        ("interventional", "IRad"),
        ("oncology", "OncoRad"),
        ("gastrointestinal", "AbdRad"),
        ("hepatobiliary", "AbdRad"),
        ("genitourinary", "GURad"),
        ("head-neck", "HeadNeckRad"),
        ("brain", "NeuroRad"),
        ("spine", "SpineRad"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The free-educational-content tag, only allowed on cases and education pages.
pub const FOAM: &str = "foamrad";

/// Whether a page is free educational content (where #FOAMrad belongs).
pub fn is_educational(kind: Kind) -> bool {
    matches!(kind, Kind::Case | Kind::Education)
}

/// Every hashtag of a page, best first: the page's own, then the first tag mapped from its
/// systems, modalities and body regions (`mapping`: code → tag), then the site's defaults, then
/// the other mapped tags. CamelCased, valid by the twitter-text rules, de-duplicated ignoring case,
/// #FOAMrad only on cases and education.
pub fn for_page(
    page: &Page,
    defaults: &[String],
    mapping: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut candidates: Vec<String> = page.social.hashtags.clone();
    let mut terms = Vec::new();
    if let Some(case) = &page.case {
        terms.extend(case.systems.iter());
        terms.extend(case.modalities.iter());
        terms.extend(case.body_regions.iter());
    }
    if let Some(ed) = &page.education {
        terms.extend(ed.modalities.iter());
    }
    let mapped: Vec<String> = terms
        .into_iter()
        .filter_map(|t| mapping.get(&t.code).cloned())
        .collect();
    // The first mapped tag (the subspecialty, when the page has a system), then the site's
    // defaults, then the other mapped tags.
    candidates.extend(mapped.first().cloned());
    candidates.extend(defaults.iter().cloned());
    candidates.extend(mapped.into_iter().skip(1));
    clean(candidates, is_educational(page.kind))
}

/// CamelCase, validate, de-duplicate ignoring case, and drop #FOAMrad unless `educational`.
pub fn clean(candidates: Vec<String>, educational: bool) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for raw in candidates {
        let tag = camel_case(&raw);
        if tag.is_empty() || !is_valid(&tag) {
            continue;
        }
        let key = tag.to_lowercase();
        if key == FOAM && !educational {
            continue;
        }
        if seen.insert(key) {
            out.push(tag);
        }
    }
    out
}
