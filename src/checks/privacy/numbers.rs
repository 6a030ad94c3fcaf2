//! Identifiers found by shape alone: every run of six or more digits, every letter-and-digit code
//! of six or more characters with three or more digits, and every number written in groups
//! ("943 476 5919", "2123 45670 1") is an identifier, unless it is a known-safe kind: a DOI,
//! PMID, PMCID, NCT, ISBN or ORCID, an ICD, SNOMED, LOINC or RadLex code, a standard DICOM UID, a
//! measurement, dose or count with its unit, a decimal fraction, a TNM stage, a gene variant, a
//! scanner model or a software version. Which kinds are safe is decided by the words just before
//! and after the number, never by a label being required.

use std::sync::LazyLock;

use regex::Regex;

use super::rules::Hit;

pub const RULE: &str = "record-number";

/// Words right before a number that make it a citation, a code or a version.
const SAFE_BEFORE: &[&str] = &[
    "pmid",
    "pmcid",
    "pubmed",
    "doi",
    "isbn",
    "issn",
    "nct",
    "snomed",
    "sctid",
    "ct",
    "loinc",
    "radlex",
    "rid",
    "icd",
    "icd-10",
    "icd-9",
    "icd-o",
    "icd10",
    "cpt",
    "hcpcs",
    "arxiv",
    "orcid",
    "grant",
    "award",
    "eudract",
    "isrctn",
    "actrn",
    "ctri",
    "umin",
    "version",
    "ver",
    "v",
    "build",
    "release",
    "firmware",
    "software",
    "patch",
    "revision",
    "rev",
    "catalog",
    "catalogue",
    "cat",
    "ref",
    "part",
    "product",
    "model",
    "sku",
    "bulletin",
    "circular",
    "regulation",
    "directive",
    "standard",
    "iso",
    "iec",
    "en",
    "ieee",
    "nema",
    "ps3",
    "cfr",
    "usc",
    "edition",
    "vol",
    "volume",
    "issue",
    "page",
    "pages",
    "pp",
    "article",
    "e-locator",
    "epub",
    "n",
    "total",
    "cohort",
    "registry",
    "trial",
    "study",
    "code",
    "ecog-acrin",
    "acrin",
    "ecog",
    "nrg",
    "swog",
    "alliance",
    "eortc",
    "cctg",
    "ncic",
    "jcog",
    "rtog",
    "gog",
    "cog",
    "nsabp",
];

/// Words a little before a number that make it a code of a terminology or a registry ("the
/// SNOMED CT concept is 363358000", "trial registration NCT…").
const CODE_SYSTEMS: &[&str] = &[
    "snomed",
    "sctid",
    "loinc",
    "radlex",
    "icd",
    "cpt",
    "hcpcs",
    "pmid",
    "pubmed",
    "doi",
    "isbn",
    "clinicaltrials",
    "concept id",
    "concept is",
    "code is",
    "codes are",
    "rec reference",
    "iras",
    "ethics",
    "audit",
    "governance",
    "registered as",
    "application",
    "cpd",
    "charity",
    "company number",
    "job reference",
    "vacancy",
    "leaflet",
    "model code",
    "catalogue",
    "product code",
    "firmware",
    "software",
    "course code",
    "accreditation",
];

/// A code of a registry or a terminology by its own shape: DOI, PMCID, NCT, RadLex, ISRCTN and
/// other registries, or a name with a year ("PLCOm2012").
pub(crate) fn reference_code(token: &str) -> bool {
    static YEAR_NAME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z]{2,}(?:19|20)[0-9]{2}[a-z]?$").expect("year name"));
    let t = token.to_ascii_lowercase();
    t.starts_with("10.") && token.contains('/')
        || [
            "pmc", "nct", "rid", "isrctn", "actrn", "ctri", "chictr", "drks", "jrct", "euctr",
        ]
        .iter()
        .any(|p| t.starts_with(p) && t[p.len()..].starts_with(|c: char| c.is_ascii_digit()))
        || YEAR_NAME.is_match(token)
}

/// Words right after a number that make it a measurement, a dose or a count.
const UNITS: &[&str] = &[
    "mm",
    "cm",
    "m",
    "km",
    "µm",
    "um",
    "nm",
    "mg",
    "g",
    "kg",
    "mcg",
    "µg",
    "ug",
    "ng",
    "ml",
    "l",
    "dl",
    "iu",
    "units",
    "u",
    "mgy",
    "msv",
    "gy",
    "sv",
    "bq",
    "mbq",
    "kbq",
    "gbq",
    "mci",
    "hu",
    "hz",
    "khz",
    "mhz",
    "kev",
    "mev",
    "ev",
    "kv",
    "kvp",
    "ma",
    "mas",
    "s",
    "ms",
    "sec",
    "seconds",
    "min",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "px",
    "pixels",
    "voxels",
    "cells",
    "copies",
    "patients",
    "participants",
    "cases",
    "scans",
    "studies",
    "examinations",
    "exams",
    "images",
    "slices",
    "people",
    "women",
    "men",
    "children",
    "adults",
    "subjects",
    "words",
    "times",
    "dollars",
    "usd",
    "eur",
    "gbp",
    "per",
    "views",
    "downloads",
    "visits",
    "readers",
    "members",
    "followers",
    "procedures",
    "reports",
    "beds",
    "staff",
    "radiologists",
    "doctors",
    "nurses",
    "counts",
    "events",
    "counts/s",
    "cps",
    "cpm",
    "mmol",
    "µmol",
    "mol",
    "mosm",
    "kcal",
    "cal",
    "j",
    "kj",
    "w",
    "kw",
    "mw",
    "t",
    "tesla",
    "gauss",
    "ppm",
    "ppb",
    "lines",
    "records",
    "entries",
    "bytes",
    "kb",
    "mb",
    "gb",
    "tb",
    "frames",
    "fps",
];

/// Standard DICOM UIDs (SOP classes, transfer syntaxes) are the same for every patient.
const DICOM_ROOT: &str = "1.2.840.10008.";

fn token_chars(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Every identifier-shaped number in `text`.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !token_chars(bytes[i] as char) {
            i += 1;
            continue;
        }
        // A token: alphanumeric runs joined by single inner connectors.
        let start = i;
        let mut end = i;
        while end < bytes.len() {
            let c = bytes[end] as char;
            let joins = matches!(c, '-' | '.' | '/' | '_')
                && end + 1 < bytes.len()
                && token_chars(bytes[end + 1] as char)
                && end > start;
            if !token_chars(c) && !joins {
                break;
            }
            end += 1;
        }
        i = end.max(start + 1);
        let token = &text[start..end];
        if let Some(hit) = judge(text, start, end, token) {
            hits.push(hit);
        }
    }
    grouped(text, &mut hits);
    hits
}

fn longest_digit_run(s: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// The offset after the character at `p` (which may be wider than a byte: U+3000 is a blank).
fn after_char(text: &str, p: usize) -> usize {
    p + text[p..].chars().next().map_or(1, char::len_utf8)
}

/// The whitespace-delimited chunk around `start..end`.
fn chunk(text: &str, start: usize, end: usize) -> &str {
    let s = text[..start]
        .rfind(|c: char| c.is_whitespace() || "<>\"'()[]`".contains(c))
        .map_or(0, |p| after_char(text, p));
    let e = text[end..]
        .find(|c: char| c.is_whitespace() || "<>\"'()[]`".contains(c))
        .map_or(text.len(), |p| end + p);
    &text[s..e]
}

/// The word right before `start` (lower case, trailing punctuation dropped), skipping "no.",
/// "#", ":" and "=".
fn word_before(text: &str, start: usize) -> String {
    let head = text[..start].trim_end_matches(|c: char| c.is_whitespace() || ":=#.\"'".contains(c));
    let head = head
        .strip_suffix("no")
        .filter(|h| h.ends_with(char::is_whitespace))
        .map_or(head, str::trim_end);
    let from = head
        .rfind(|c: char| c.is_whitespace() || "([;,>".contains(c))
        .map_or(0, |p| after_char(head, p));
    head[from..].to_lowercase()
}

fn word_after(text: &str, end: usize) -> String {
    let tail = text[end..].trim_start_matches([' ', '\u{a0}']);
    let to = tail
        .find(|c: char| c.is_whitespace() || ",;:)(".contains(c))
        .unwrap_or(tail.len());
    let word = tail[..to].trim_end_matches('.');
    word.split('/').next().unwrap_or(word).to_lowercase()
}

fn tnm(token: &str) -> bool {
    static TNM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[cpyra]{1,2})?T(?:[0-4]|x|is)[a-d]?(?:\(m\))?N(?:[0-3]|x)[a-c]?M(?:[01]|x)[a-c]?$")
            .expect("tnm")
    });
    TNM.is_match(token)
}

/// Every part between hyphens is a short word with at most two digits, a gene variant ("R132H")
/// or a b-value: a name of a gene, a sequence or a level ("IDH1-R132H", "C5-C6-C7").
fn biomedical_parts(token: &str) -> bool {
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[A-Za-z]{1,6}[0-9]{0,2}|[A-Z][0-9]{2,4}[A-Z*]|b[0-9]{2,4}|[0-9]{1,2}[A-Za-z]{1,5})$")
            .expect("part")
    });
    token.contains('-') && token.split('-').all(|p| PART.is_match(p))
}

/// A token with a lower-case word of three letters or more among its parts.
fn worded(token: &str) -> bool {
    token.contains(['-', '.', '/', '_'])
        && token
            .split(['-', '.', '/', '_'])
            .any(|p| p.len() >= 3 && p.chars().all(|c| c.is_ascii_lowercase()))
}

/// Numeric parts next to each other with six digits or more in all ("card-91-8469-9137-6525",
/// "trial-byg-309-3762").
fn long_numeric_run(token: &str) -> bool {
    let mut run = 0;
    for part in token.split(['-', '.', '/', '_']) {
        if !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()) {
            run += part.len();
            if run >= 6 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// One part of a joined token that is an identifier by itself.
fn identifier_part(part: &str) -> bool {
    let digits = part.chars().filter(char::is_ascii_digit).count();
    let letters = part.chars().filter(char::is_ascii_alphabetic).count();
    longest_digit_run(part) >= 6 || (letters >= 1 && digits >= 3 && part.len() >= 6)
}

fn isbn13(digits: &str) -> bool {
    digits.len() == 13
        && (digits.starts_with("978") || digits.starts_with("979"))
        && digits
            .bytes()
            .enumerate()
            .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
            .sum::<u32>()
            % 10
            == 0
}

/// File extensions: "0042.HEIC" is the number 0042 in a file's name.
const EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "tif", "tiff", "bmp", "svg", "pdf", "dcm",
    "txt", "csv", "json", "html", "htm", "md", "zip", "mp4", "mov", "avif", "jxl", "xml", "ics",
];

/// A camera's own file counter ("IMG_0042", "DSC01234", "PXL_0123"): no patient's number.
fn camera_counter(token: &str) -> bool {
    static CAMERA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:img|dsc|dscn|dscf|dcim|pxl|mvimg|pano|vid|gopr|dji|sam|wp|imag|pict|photo|scan)[_-]?[0-9]{3,5}$")
            .expect("camera")
    });
    CAMERA.is_match(token)
}

fn judge(text: &str, start: usize, end: usize, token: &str) -> Option<Hit> {
    // The extension is no part of a number in a file's name.
    let (token, end) = match token.rsplit_once('.') {
        Some((stem, ext)) if EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) => {
            (stem, start + stem.len())
        }
        _ => (token, end),
    };
    let before_token = &text[..start];
    let glued = before_token.ends_with(['_', '-']) && {
        let head = before_token.trim_end_matches(['_', '-']);
        let word: String = head
            .chars()
            .rev()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        camera_counter(&format!(
            "{}_{token}",
            word.chars().rev().collect::<String>()
        ))
    };
    if camera_counter(token) || glued {
        return None;
    }
    let digits = token.chars().filter(char::is_ascii_digit).count();
    if digits < 3 {
        return None;
    }
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    let alnum = digits + letters;
    let run = longest_digit_run(token);
    let candidate = run >= 6 || (letters >= 1 && digits >= 3 && alnum >= 6);
    if !candidate {
        return None;
    }
    let around = chunk(text, start, end);
    let lower_around = around.to_lowercase();
    // A DOI keeps its brackets ("10.1016/S0140-6736(16)00163-X"): the blank-delimited word.
    let word_start = text[..start]
        .rfind(char::is_whitespace)
        .map_or(0, |p| after_char(text, p));
    let word = text[word_start..end].to_lowercase();
    if word.contains("doi") || word.contains("10.") && word.contains('/') {
        return None;
    }
    // URLs and email addresses are the URL and email rules' business.
    if lower_around.contains("://")
        || lower_around.starts_with("www.")
        || lower_around.contains('@')
        || lower_around.starts_with("doi:")
        || lower_around.contains("doi.org")
    {
        return None;
    }
    // DOIs, registries and codes by their own prefixes, or named a few words before.
    if reference_code(token) {
        return None;
    }
    let sentence_start = text[..start]
        .rfind(['.', '\n', ';', '|'])
        .map_or(0, |p| p + 1)
        .max(start.saturating_sub(48));
    let sentence_start = (sentence_start..=start)
        .find(|&p| text.is_char_boundary(p))
        .unwrap_or(start);
    let lead = text[sentence_start..start].to_lowercase();
    if CODE_SYSTEMS.iter().any(|c| lead.contains(c)) {
        return None;
    }
    if token.starts_with(DICOM_ROOT) {
        return None;
    }
    // A colour ("#1a2b3c").
    if text[..start].ends_with('#')
        && matches!(token.len(), 3 | 4 | 6 | 8)
        && token.chars().all(|c| c.is_ascii_hexdigit())
    {
        return None;
    }
    // A decimal fraction ("0.000123") or a plain decimal.
    if token.matches('.').count() == 1 && token.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if letters > 0 && (tnm(token) || biomedical_parts(token)) {
        return None;
    }
    // Words joined by hyphens or dots ("case-00001-perthes-disease", "image-10-axial-t2.png",
    // "mL/min/1.73"): each part is judged on its own; a code without a word ("1EG4-TE5-MK73",
    // "RX-448-213") is judged whole.
    if worded(token)
        && !token.split(['-', '.', '/', '_']).any(identifier_part)
        && !long_numeric_run(token)
    {
        return None;
    }
    // A scanner model or a plate-like code with three digits ("MR750w"): only with a label.
    static MODEL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z]{1,4}[0-9]{3}[A-Za-z]{0,2}$").expect("model"));
    if digits == 3 && MODEL.is_match(token) {
        return None;
    }
    // ICD-10 ("S72.001A") and ORCID.
    static ICD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[A-TV-Z][0-9]{2}[0-9A-Z]?\.[0-9A-Z]{1,4}$|^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$")
            .expect("icd")
    });
    if ICD.is_match(token) {
        return None;
    }
    let only_digits: String = token.chars().filter(char::is_ascii_digit).collect();
    if isbn13(&only_digits) {
        return None;
    }
    let before = word_before(text, start);
    if SAFE_BEFORE.contains(&before.as_str())
        || before.starts_with("isbn")
        || before.starts_with("pmid")
        || before.starts_with("snomed")
        || before.ends_with("ct:")
    {
        return None;
    }
    // A currency amount or a count with its unit.
    let prev = text[..start].trim_end().chars().next_back();
    if matches!(prev, Some('$' | '£' | '€' | '¥' | '₹')) {
        return None;
    }
    let after = word_after(text, end);
    if UNITS.contains(&after.as_str()) || after.starts_with('%') || after.starts_with("/µl") {
        return None;
    }
    // "n = 123456".
    let head = text[..start].trim_end();
    if head.ends_with("n =")
        || head.ends_with("n=")
        || head.ends_with("N =")
        || head.ends_with("N=")
    {
        return None;
    }
    Some(Hit {
        rule: RULE,
        start,
        end,
    })
}

/// Numbers written in groups of digits: three or more groups of two to five digits (and letter
/// groups for IBANs), eight or more digits in all ("943 476 5919", "2345 6789 0123",
/// "GB82 WEST 1234 5698 7654 32").
fn grouped(text: &str, hits: &mut Vec<Hit>) {
    static GROUPS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:[A-Z]{2}[0-9]{2}[ -](?:[A-Z0-9]{4}[ -]){2,7}[A-Z0-9]{1,4}|[0-9]{2,5}(?:[ .-][0-9]{1,5}){1,5}(?:[ -][A-Z]{1,2})?)(?-u:\b)")
            .expect("groups")
    });
    for m in GROUPS.find_iter(text) {
        let s = m.as_str();
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let groups: Vec<&str> = s.split([' ', '.', '-']).collect();
        // Eight digits or more; in two groups, nine or more and no range of years or pages.
        let years = groups.len() == 2
            && groups
                .iter()
                .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")));
        if digits < 8 || (groups.len() == 2 && digits < 9) || years {
            continue;
        }
        // A decimal ("3.14159265") or a version ("10.2.1.4") is no identifier.
        if s.contains('.') && (groups.len() == 2 || groups.iter().all(|g| g.len() <= 3)) {
            continue;
        }
        // Part of a longer run of numbers ("1-2-3-4") or of a word, a range, a DOI or a URL,
        // or a count with its unit.
        let prev = text[..m.start()].chars().next_back();
        if prev.is_some_and(|c| c.is_alphanumeric() || ".-/_".contains(c)) {
            continue;
        }
        let around = chunk(text, m.start(), m.end()).to_lowercase();
        if around.contains("://")
            || around.contains("doi")
            || around.contains("10.") && around.contains('/')
        {
            continue;
        }
        let after = word_after(text, m.end());
        if UNITS.contains(&after.as_str()) {
            continue;
        }
        let before = word_before(text, m.start());
        if SAFE_BEFORE.contains(&before.as_str()) || before.starts_with("isbn") {
            continue;
        }
        hits.push(Hit {
            rule: RULE,
            start: m.start(),
            end: m.end(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        scan(text)
            .into_iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn identifier_shapes_are_found() {
        assert_eq!(found("He is 4471823 on our list."), ["4471823"]);
        assert_eq!(found("card 1EG4-TE5-MK73 here"), ["1EG4-TE5-MK73"]);
        assert_eq!(found("ID AB123456X"), ["AB123456X"]);
        assert_eq!(found("NHS 943 476 5919."), ["943 476 5919"]);
        assert_eq!(
            found("UID 1.2.826.0.1.3680043.8.498.1234"),
            ["1.2.826.0.1.3680043.8.498.1234"]
        );
    }

    #[test]
    fn safe_kinds_are_not() {
        for text in [
            "PMID: 31234567; PMCID PMC6543210; NCT04123456; doi:10.1148/radiol.2019181234",
            "ISBN 978-0-19-953556-9, ISBN 9780199535569, SNOMED CT 363358000, LOINC 24627-2",
            "ICD-10 S72.001A, RadLex RID10312, UID 1.2.840.10008.5.1.4.1.1.2",
            "A 250000 cells/µL count, 100000 IU, n = 123456, p = 0.000001, $120000.",
            "pT3N1aM0, T2N1M0, IDH1-R132H, EGFR-T790M, Discovery MR750w, C5-C6-C7.",
            "version 10.2.1.4 and build 20231104",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }
}
