//! Identifiers found by the structure around them rather than by their shape: a label and its
//! value (`MRN: …`, `| Patient | Surname, Given |`, a table column headed "DOB", `<th>NHS
//! number</th><td>…</td>`, "our MRN for him is …"), DICOM tag lines, HL7 segments,
//! `SURNAME^GIVEN` person names, typed-out burned-in text ("the overlay read …"), and the words
//! that make the next words a workplace or a home town ("works at …", "lives in …").
//!
//! The labels are data (`data/labels.txt`): a label names the rule its value falls under, and the
//! value is checked only for having something of that kind in it (digits for a number, a
//! capitalised word for a name), never for a particular format.

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashMap;

use super::names::is_stop;
use super::rules::Hit;

struct Labels {
    /// Label words (lower case) → rule; the first word indexes them for prose.
    by_words: FxHashMap<Vec<String>, &'static str>,
    longest: usize,
}

fn label_words(key: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    // "Patiënt", "Teléfono": compared without their accents.
    let folded: String = key
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect();
    let spaced: String = folded
        .chars()
        .map(|c| match c {
            '#' => ' ',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    let mut words: Vec<String> = spaced.split_whitespace().map(str::to_lowercase).collect();
    if key.contains('#') {
        words.push("#".into());
    }
    words
}

fn rule_name(rule: &str) -> &'static str {
    super::rules::RULES
        .iter()
        .map(|r| r.0)
        .find(|r| *r == rule)
        .unwrap_or_else(|| panic!("labels.txt names an unknown rule {rule}"))
}

static LABELS: LazyLock<Labels> = LazyLock::new(|| {
    let mut by_words = FxHashMap::default();
    let mut longest = 0;
    for line in include_str!("data/labels.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (rule, label) = line.split_once('\t').expect("rule<TAB>label");
        let words = label_words(label);
        longest = longest.max(words.len());
        by_words.insert(words, rule_name(rule));
    }
    Labels { by_words, longest }
});

/// Cells of table columns headed by a code system ("SNOMED CT", "ICD-10", "LOINC", "PMID"):
/// their numbers are codes, not identifiers.
pub fn code_cells(text: &str) -> Vec<(usize, usize)> {
    const CODES: &[&str] = &[
        "snomed",
        "sctid",
        "icd",
        "cpt",
        "loinc",
        "radlex",
        "hcpcs",
        "pmid",
        "doi",
        "nct",
        "opcs",
        "ccam",
        "dicom tag",
    ];
    let mut out = Vec::new();
    if !text.contains('|') {
        return out;
    }
    let rows: Vec<(usize, &str)> = lines(text).collect();
    for w in 0..rows.len().saturating_sub(1) {
        let sep = cells(rows[w + 1].1, rows[w + 1].0);
        if !rows[w].1.contains('|') || !is_separator(text, &sep) {
            continue;
        }
        let header = cells(rows[w].1, rows[w].0);
        let coded: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, (s, e))| {
                let h = text[*s..*e].to_lowercase();
                CODES.iter().any(|c| h.contains(c))
            })
            .map(|(i, _)| i)
            .collect();
        for &(at, line) in rows.iter().skip(w + 2) {
            if !line.contains('|') {
                break;
            }
            let row = cells(line, at);
            out.extend(coded.iter().filter_map(|&c| row.get(c).copied()));
            // A row that its first cell says is a code ("| SNOMED CT | `77477000` | … |").
            let first = row
                .first()
                .map(|&(s, e)| text[s..e].trim().to_lowercase())
                .unwrap_or_default();
            if CODES.iter().any(|c| first.starts_with(c)) {
                out.extend(row.iter().skip(1).copied());
            }
        }
    }
    out
}

/// The rule of a key written as a key (a table header, a `Key:`): its last words are a label,
/// after at most two other words ("Patient's next of kin mobile"); a label of one or two letters
/// ("SN", "UR") must be the whole key.
pub fn key_rule(key: &str) -> Option<&'static str> {
    // Words that may stand before a label in a key ("Patient's next of kin mobile").
    const MODIFIERS: &[&str] = &[
        "of",
        "the",
        "patient",
        "patients",
        "pt",
        "s",
        "home",
        "work",
        "next",
        "kin",
        "mobile",
        "primary",
        "secondary",
        "emergency",
        "contact",
        "his",
        "her",
        "their",
        "old",
        "new",
        "prior",
        "previous",
        "hospital",
        "local",
        "nhs",
        "main",
        "alternative",
        "daytime",
        "evening",
        "personal",
        "private",
        "current",
        "full",
        "legal",
    ];
    let words = label_words(key);
    let labels = &*LABELS;
    for n in (1..=words.len().min(labels.longest)).rev() {
        let extra = &words[..words.len() - n];
        if extra.len() > 4 || !extra.iter().all(|w| MODIFIERS.contains(&w.as_str())) {
            continue;
        }
        if let Some(&rule) = labels.by_words.get(&words[words.len() - n..]) {
            let short = n == 1 && words[words.len() - 1].chars().count() <= 2;
            return (!short || words.len() == 1).then_some(rule);
        }
    }
    None
}

/// Everything this module finds in `text`.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    key_values(text, &mut hits);
    emphasised_keys(text, &mut hits);
    tables(text, &mut hits);
    delimited(text, &mut hits);
    html_tables(text, &mut hits);
    dicom_tags(text, &mut hits);
    hl7(text, &mut hits);
    patterns(text, &mut hits);
    prose_labels(text, &mut hits);
    hits
}

/// A value's span if it holds something of the rule's kind, trimmed of markup and punctuation.
fn value_hit(rule: &'static str, text: &str, start: usize, end: usize) -> Option<Hit> {
    let raw = &text[start..end];
    let lead = raw.len()
        - raw
            .trim_start_matches(|c: char| c.is_whitespace() || "*_`[(\"'<>:=#-–".contains(c))
            .len();
    let trimmed =
        raw[lead..].trim_end_matches(|c: char| c.is_whitespace() || "*_`])\"'.,;:<>".contains(c));
    let (s, e) = (start + lead, start + lead + trimmed.len());
    if s >= e {
        return None;
    }
    let v = &text[s..e];
    let lower = v.to_lowercase();
    const EMPTY: &[&str] = &[
        "n/a",
        "na",
        "none",
        "nil",
        "unknown",
        "redacted",
        "removed",
        "withheld",
        "not recorded",
        "not known",
        "not applicable",
        "anonymised",
        "anonymized",
        "[redacted]",
        "xxx",
        "***",
        "—",
        "-",
        "tbc",
        "yes",
        "no",
        "male",
        "female",
        "m",
        "f",
        "other",
    ];
    if EMPTY.contains(&lower.as_str()) || lower.chars().all(|c| c == '*' || c == 'x' || c == '#') {
        return None;
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let alnum = v.chars().filter(|c| c.is_alphanumeric()).count();
    // A capitalised word, or two characters of a script without capitals ("高橋 健二", "김민준").
    let uncased = v
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase())
        .count();
    let has_name = uncased >= 2
        || v.split(|c: char| !c.is_alphabetic() && c != '\'').any(|w| {
            w.chars().count() >= 2
                && w.chars().next().is_some_and(char::is_uppercase)
                && !is_stop(w)
        });
    let ok = match rule {
        "record-number" => digits >= 3 || (alnum >= 5 && digits >= 1),
        "patient-name" | "place" => has_name && !v.starts_with(|c: char| c.is_ascii_digit()),
        "date" => {
            digits >= 1
                && !(digits == 4 && alnum == 4 && (v.starts_with("19") || v.starts_with("20")))
        }
        "phone" => digits >= 6,
        "email" => v.contains('@'),
        "street-address" => alnum >= 4 && (digits >= 1 || has_name),
        "zip" => alnum >= 3 && digits >= 1,
        "identifying-url" => {
            (v.contains("://") || v.starts_with("www.")) && !super::rules::reference_url(v)
        }
        "ip-address" => digits >= 4 && (v.contains('.') || v.contains(':')),
        "face-photo" => v.rsplit_once('.').is_some_and(|(_, ext)| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "jpg" | "jpeg" | "png" | "heic" | "heif" | "webp" | "tif" | "tiff" | "gif" | "bmp"
            )
        }),
        "age-over-89" => {
            let n: String = v
                .trim_start_matches('0')
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            n.parse::<u32>().is_ok_and(|n| (90..=130).contains(&n))
        }
        _ => alnum >= 2,
    };
    ok.then_some(Hit {
        rule,
        start: s,
        end: e,
    })
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |l| {
        let at = offset;
        offset += l.len();
        (at, l.trim_end_matches(['\n', '\r']))
    })
}

/// A key in emphasis at the start of a line, its value after it without a colon
/// ("*Town* Polokwane", "**DOB** 12/03/1947").
fn emphasised_keys(text: &str, hits: &mut Vec<Hit>) {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]*(?:[-*+>][ \t]+)?(?:\*\*|__|\*|_)(?P<k>[^*_\n]{1,40}?)(?:\*\*|__|\*|_)[ \t]*(?P<v>[^\n]+)$")
            .expect("emphasised key")
    });
    if !text.contains(['*', '_']) {
        return;
    }
    for c in KEY.captures_iter(text) {
        let (k, v) = (c.name("k").expect("k"), c.name("v").expect("v"));
        if k.as_str().ends_with(':') {
            continue;
        }
        if let Some(rule) = key_rule(k.as_str())
            && let Some(hit) = value_hit(rule, text, v.start(), v.end())
        {
            hits.push(hit);
        }
    }
}

/// `Key: value` pairs, several to a line ("Name: SMITH, John  DOB: …  MRN: …").
fn key_values(text: &str, hits: &mut Vec<Hit>) {
    for (at, line) in lines(text) {
        if !line.contains([':', '=']) {
            continue;
        }
        // Each separator whose key (the words just before it) is a label.
        let mut keys: Vec<(usize, usize, &'static str)> = Vec::new();
        for (i, c) in line.char_indices() {
            if c != ':' && c != '=' {
                continue;
            }
            // A time (10:30), a URL (https://) or a ratio is no separator.
            let next = line[i + 1..].chars().next();
            let prev = line[..i].chars().next_back();
            if prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())
                || next == Some('/')
                || next == Some('=')
            {
                continue;
            }
            // A quoted key (JSON, TOML): the quote before the separator is no delimiter.
            let before = line[..i].trim_end().trim_end_matches(['"', '\'']);
            let key_start = before
                .rfind([
                    '|', ';', '\t', '(', '[', '>', ',', '.', '"', '{', '`', ':', '=',
                ])
                .map_or(0, |p| p + 1)
                .max(before.rfind("  ").map_or(0, |p| p + 2));
            let key = before[key_start..]
                .trim_matches(|c: char| c.is_whitespace() || "*_-+>`".contains(c));
            // The key's last words must be a label: try the last one to six words.
            let rule = key_rule(key);
            let kstart = key_start;
            if let Some(rule) = rule {
                keys.push((kstart, i + c.len_utf8(), rule));
            }
        }
        for (n, &(_, value_start, rule)) in keys.iter().enumerate() {
            let mut end = keys.get(n + 1).map_or(line.len(), |k| k.0);
            if end <= value_start {
                continue;
            }
            let rest = &line[value_start..end];
            for stop in ["  ", "\t", ";", " | ", "|"] {
                if let Some(p) = rest.trim_start().find(stop) {
                    let lead = rest.len() - rest.trim_start().len();
                    end = end.min(value_start + lead + p);
                }
            }
            if rule == "patient-name" || rule == "place" {
                end = end.min(sentence_end(line, value_start));
            }
            if let Some(hit) = value_hit(rule, text, at + value_start, at + end) {
                hits.push(hit);
            }
        }
    }
}

/// Where the sentence that starts at `from` ends: a full stop after a word of two or more
/// letters (not after an initial, "J. Smith"), then a blank.
fn sentence_end(line: &str, from: usize) -> usize {
    let mut letters = 0;
    for (i, c) in line[from..].char_indices() {
        if c.is_alphabetic() {
            letters += 1;
        } else if c == '.' && letters >= 2 && line[from + i + 1..].starts_with(' ') {
            return from + i;
        } else {
            letters = 0;
        }
    }
    line.len()
}

/// The cells of a Markdown table row with their byte spans in `text`.
fn cells(line: &str, at: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            out.push((at + start, at + i));
            start = i + 1;
        }
    }
    out.push((at + start, at + line.len()));
    // Outer pipes leave empty first and last cells.
    if line.trim_start().starts_with('|') {
        out.remove(0);
    }
    if line.trim_end().ends_with('|') {
        out.pop();
    }
    out
}

fn is_separator(text: &str, cells: &[(usize, usize)]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|&(s, e)| {
            let c = text[s..e].trim();
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

/// Markdown pipe tables: a label cell then its value, or a header cell over a column of values.
fn tables(text: &str, hits: &mut Vec<Hit>) {
    let rows: Vec<(usize, &str)> = lines(text).collect();
    let mut k = 0;
    while k < rows.len() {
        if !rows[k].1.contains('|') {
            k += 1;
            continue;
        }
        // A block of consecutive rows with pipes.
        let first = k;
        while k < rows.len() && rows[k].1.contains('|') {
            k += 1;
        }
        let block: Vec<Vec<(usize, usize)>> =
            rows[first..k].iter().map(|&(at, l)| cells(l, at)).collect();
        if block.len() < 2 && !rows[first].1.trim_start().starts_with('|') {
            continue;
        }
        let header = block
            .iter()
            .position(|r| is_separator(text, r))
            .and_then(|p| p.checked_sub(1));
        let columns: Vec<Option<&'static str>> = header.map_or_else(Vec::new, |h| {
            block[h]
                .iter()
                .map(|&(s, e)| key_rule(text[s..e].trim()))
                .collect()
        });
        for (r, row) in block.iter().enumerate() {
            if is_separator(text, row) || Some(r) == header {
                continue;
            }
            table_row(text, row, &columns, hits);
        }
    }
}

/// The fields of a delimited line (CSV, TSV or `;`), quotes respected, as byte spans in `text`.
fn fields(line: &str, at: usize, sep: char) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            out.push((at + start, at + i));
            start = i + 1;
        }
    }
    out.push((at + start, at + line.len()));
    out
}

/// Delimited tables (a CSV file, a pasted worklist): a header line that labels columns, then
/// rows of values under it.
fn delimited(text: &str, hits: &mut Vec<Hit>) {
    let rows: Vec<(usize, &str)> = lines(text).collect();
    let mut k = 0;
    while k < rows.len() {
        let (at, line) = rows[k];
        let sep = [',', '\t', ';']
            .into_iter()
            .max_by_key(|&c| line.matches(c).count())
            .expect("three separators");
        let count = line.matches(sep).count();
        if count == 0 || line.contains('|') {
            k += 1;
            continue;
        }
        let header = fields(line, at, sep);
        let columns: Vec<Option<&'static str>> = header
            .iter()
            .map(|&(s, e)| key_rule(text[s..e].trim().trim_matches('"')))
            .collect();
        // A header names columns: short fields, no sentence among them.
        let header_like = header.iter().all(|&(s, e)| {
            text[s..e].split_whitespace().count() <= 4 && !text[s..e].contains(". ")
        });
        if !header_like || columns.iter().all(Option::is_none) {
            k += 1;
            continue;
        }
        k += 1;
        while k < rows.len() && rows[k].1.matches(sep).count() >= count.min(1) {
            let row = fields(rows[k].1, rows[k].0, sep);
            for (c, &(s, e)) in row.iter().enumerate() {
                if let Some(Some(rule)) = columns.get(c)
                    && let Some(hit) = value_hit(rule, text, s, e)
                {
                    hits.push(hit);
                }
            }
            k += 1;
        }
    }
}

/// One row of cells (Markdown or HTML): label-then-value pairs and labelled columns.
fn table_row(
    text: &str,
    row: &[(usize, usize)],
    columns: &[Option<&'static str>],
    hits: &mut Vec<Hit>,
) {
    for (c, &(s, e)) in row.iter().enumerate() {
        if let Some(Some(rule)) = columns.get(c)
            && let Some(hit) = value_hit(rule, text, s, e)
        {
            hits.push(hit);
            continue;
        }
        if let Some(&(vs, ve)) = row.get(c + 1)
            && let Some(rule) = key_rule(strip_tags(&text[s..e]).trim())
            && let Some(hit) = value_hit(rule, text, vs, ve)
        {
            hits.push(hit);
        }
    }
}

fn strip_tags(s: &str) -> String {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("tag"));
    TAG.replace_all(s, "").into_owned()
}

/// HTML tables (`<tr>` rows of `<th>`/`<td>` cells) and definition lists (`<dt>`, `<dd>`).
fn html_tables(text: &str, hits: &mut Vec<Hit>) {
    static ROW: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?is)<tr\b[^>]*>(.*?)</tr>").expect("row"));
    static CELL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)<(t[hd]|d[td])\b[^>]*>(.*?)</(?:t[hd]|d[td])>").expect("cell")
    });
    if !text.contains('<') {
        return;
    }
    let cells_of = |s: usize, e: usize| -> Vec<(usize, usize, bool)> {
        CELL.captures_iter(&text[s..e])
            .map(|c| {
                let m = c.get(2).expect("cell body");
                let head = c[1].eq_ignore_ascii_case("th");
                (s + m.start(), s + m.end(), head)
            })
            .collect()
    };
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for row in ROW.captures_iter(text) {
        let m = row.get(1).expect("row body");
        let cells = cells_of(m.start(), m.end());
        if !cells.is_empty() && cells.iter().all(|c| c.2) {
            columns = cells
                .iter()
                .map(|&(s, e, _)| key_rule(strip_tags(&text[s..e]).trim()))
                .collect();
            continue;
        }
        let spans: Vec<(usize, usize)> = cells.iter().map(|&(s, e, _)| (s, e)).collect();
        table_row(text, &spans, &columns, hits);
    }
    if text.contains("<dt") || text.contains("<DT") {
        let spans: Vec<(usize, usize)> = cells_of(0, text.len())
            .into_iter()
            .map(|(s, e, _)| (s, e))
            .collect();
        table_row(text, &spans, &[], hits);
    }
}

/// DICOM tags that hold the patient's, the study's or the institution's identifiers, by group
/// and element (hex). Group 0010 (the patient) is taken whole, except sex.
fn identifying_tag(group: u16, element: u16) -> bool {
    match group {
        0x0010 => element != 0x0040,
        0x0008 => matches!(
            element,
            0x0012 | 0x0013 | 0x0018 | 0x0020..=0x0023 | 0x0030..=0x0033 | 0x0050 | 0x0080
                | 0x0081 | 0x0090 | 0x0092 | 0x0094 | 0x1010 | 0x1040 | 0x1048 | 0x1050
                | 0x1060 | 0x1070
        ),
        0x0020 => matches!(element, 0x000D | 0x000E | 0x0010 | 0x0052 | 0x0200),
        0x0018 => matches!(element, 0x1000 | 0x1030),
        0x0032 | 0x0038 | 0x0040 => true,
        _ => false,
    }
}

/// `(0010,0010) PN [DOE^JANE]`, `(0010, 0020) Patient ID  LO: '4471823'` and the like.
fn dicom_tags(text: &str, hits: &mut Vec<Hit>) {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\(([0-9A-Fa-f]{4}),\s?([0-9A-Fa-f]{4})\)([^\n]*)").expect("dicom tag")
    });
    static VALUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\[([^\]\n]*)\]|(?:^|[\s:=])'([^'\n]*)'|(?:^|[\s:=])"([^"\n]*)"|\b(?:AE|AS|CS|DA|DS|DT|IS|LO|LT|PN|SH|ST|TM|UI|UT)\b:?\s+([^\n#(]+)"#)
            .expect("dicom value")
    });
    if !text.contains('(') {
        return;
    }
    for c in TAG.captures_iter(text) {
        let (Ok(group), Ok(element)) = (
            u16::from_str_radix(&c[1], 16),
            u16::from_str_radix(&c[2], 16),
        ) else {
            continue;
        };
        if !identifying_tag(group, element) {
            continue;
        }
        let rest = c.get(3).expect("rest of line");
        let Some(v) = VALUE.captures(rest.as_str()) else {
            continue;
        };
        let m = (1..=4).find_map(|g| v.get(g)).expect("a value group");
        let rule = if group == 0x0010 && element == 0x0010 {
            "patient-name"
        } else {
            "record-number"
        };
        let (s, e) = (rest.start() + m.start(), rest.start() + m.end());
        if text[s..e].chars().any(char::is_alphanumeric) {
            // Any value of these tags identifies: no check of its shape.
            let (s, e) = trim_span(text, s, e);
            if s < e {
                hits.push(Hit {
                    rule,
                    start: s,
                    end: e,
                });
            }
        }
    }
}

fn trim_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let junk = |c: char| c.is_whitespace() || "[]'\"`".contains(c);
    let v = &text[s..e];
    let lead = v.len() - v.trim_start_matches(junk).len();
    (s + lead, s + v.trim_end_matches(junk).len())
}

/// HL7 v2 segments: every field of the patient's segments, and the numbers, dates and
/// `^`-names of the others.
fn hl7(text: &str, hits: &mut Vec<Hit>) {
    const PATIENT: &[&str] = &[
        "PID", "PD1", "NK1", "GT1", "IN1", "IN2", "MRG", "PV1", "PV2", "ZPI",
    ];
    const OTHER: &[&str] = &[
        "MSH", "EVN", "ORC", "OBR", "OBX", "DG1", "AL1", "NTE", "TXA", "SCH", "ACC", "ROL",
    ];
    if !text.contains('|') {
        return;
    }
    for (at, line) in lines(text) {
        let t = line.trim_start();
        let Some(seg) = t.get(..3) else { continue };
        if t.as_bytes().get(3) != Some(&b'|') {
            continue;
        }
        let patient = PATIENT.contains(&seg);
        if !patient && !OTHER.contains(&seg) {
            continue;
        }
        let base = at + (line.len() - t.len());
        let mut start = 4;
        for (n, field) in t[4..].split('|').enumerate() {
            let (s, e) = (base + start, base + start + field.len());
            start += field.len() + 1;
            let alnum = field.chars().filter(|c| c.is_alphanumeric()).count();
            let digits = field.chars().filter(char::is_ascii_digit).count();
            let short_code = alnum <= 3 && digits == 0;
            let caret_name = field.contains('^') && field.chars().any(char::is_alphabetic);
            // Outside the patient's segments a `^` field is a name only when the lists know a
            // word of it ("286196^MARCHETTI^HELENA", not "71275^CTA CHEST^CPT4" or "ORU^R01").
            let known_name = caret_name
                && field
                    .split(|c: char| !c.is_alphabetic())
                    .any(|w| w.chars().count() >= 4 && super::names::is_known_name(w));
            let take = if patient {
                n > 0 && alnum >= 2 && !short_code
            } else {
                digits >= 4 || known_name && seg != "MSH"
            };
            if take {
                let rule = if caret_name && digits == 0 {
                    "patient-name"
                } else {
                    "record-number"
                };
                hits.push(Hit {
                    rule,
                    start: s,
                    end: e,
                });
            }
        }
    }
}

/// `SURNAME^GIVEN` anywhere, typed-out overlay text, a workplace or a home town.
fn patterns(text: &str, hits: &mut Vec<Hit>) {
    static CARET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b\p{L}[\p{L}'’-]+\^\p{L}[\p{L}'’.-]*(?:\^[\p{L}'’.-]*)*").expect("caret")
    });
    static OVERLAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:overlay|burned[- ]in (?:text|annotations?|labels?)|annotations?|on-?screen text|(?:film|image|tube|specimen) label|sticker|wristband|banner|header|request form|requisition)\s+(?:text\s+)?(?:read|reads|said|says|showed|shows|displayed|displays|printed|stated|states|contained|contains|gave|carried)\s*:?\s*(?P<m>[^\n.;]{2,160})")
            .expect("overlay")
    });
    static WORKS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i:\b(?:works|worked|working|drives|driven|drove|driving|volunteers|volunteered|volunteering)(?:[ \t]+[a-z]+){0,3}?[ \t]+(?:at|for)|employed (?:at|by)|(?:an )?employee of|(?:a )?job at|teaches at|(?:a )?student at|studies at|attends|retired from|employer,?)\s+(?P<m>(?:the\s+)?\p{Lu}[\p{L}&'’.-]*(?:\s+(?:\p{Lu}[\p{L}&'’.-]*|of|and|&))*)")
            .expect("works")
    });
    static LIVES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i:\b(?:lives|lived|living|resides|resided|residing|grew up|was born|born|settled|moved|relocated) in|resident of|native of|(?:moved|travelled|traveled|transferred|came) (?:here )?from|(?:the|a) (?:town|village|city|suburb|hamlet|county|parish|borough|township) of|home in|home is|home to|went home to|domicilié à|domiciliée à|domicilie a|wohnhaft in|residente a|residente en|woont in|vive en|vive em|mora em|mieszka w|bor i|(?:moved|relocated|returned|went back|back) to|(?:referred|referral|transferred|transfer) from|(?:a )?farms? (?:near|outside|in)|farms (?:near|outside|in)|(?:teacher|farmer|man|woman|boy|girl|lady|gentleman|resident|native|driver|worker|labourer|laborer|miner|fisherman|retiree|pensioner|student|child|baby|veteran|family|widow|widower|couple|nurse|mechanic|builder|plumber|electrician|shopkeeper|cleaner|year-old|patient|infant|toddler|teenager|mother|father) (?:from|of|in|outside|near)|(?:scanned|seen|imaged|admitted|treated|operated|x-rayed|visited|at home|service|taken at home)\b[^.\n]{0,40}?\bin)\s+(?P<m>\p{Lu}[\p{L}'’.-]*(?:[ -](?:upon|on|under|de|la|le|sur|am|an|im)[ -]\p{Lu}[\p{L}'’.-]*|[ -]\p{Lu}[\p{L}'’.-]*)*(?:,\s*\p{Lu}[\p{L}'’.-]*)?)")
            .expect("lives")
    });
    if text.contains('^') {
        for m in CARET.find_iter(text) {
            // "ORU^R01", "ADT^A08": a message type, no name.
            if text[m.end()..].starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            hits.push(Hit {
                rule: "patient-name",
                start: m.start(),
                end: m.end(),
            });
        }
    }
    for c in OVERLAY.captures_iter(text) {
        let m = c.name("m").expect("m");
        let v = m.as_str();
        let telling = v.chars().filter(char::is_ascii_digit).count() >= 2
            || v.split(|ch: char| !ch.is_alphabetic()).any(|w| {
                w.chars().count() >= 2
                    && w.chars().next().is_some_and(char::is_uppercase)
                    && !is_stop(w)
            });
        if telling {
            let (s, e) = trim_span(text, m.start(), m.end());
            hits.push(Hit {
                rule: "overlay-text",
                start: s,
                end: e,
            });
        }
    }
    let end_of = |m: regex::Match| m.start() + m.as_str().trim_end_matches(['.', ',', '\'']).len();
    for c in WORKS.captures_iter(text) {
        let m = c.name("m").expect("m");
        hits.push(Hit {
            rule: "patient-name",
            start: m.start(),
            end: end_of(m),
        });
    }
    static COUNTY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:Co\.|County)[ \t]+\p{Lu}\p{Ll}+|\b\p{Lu}\p{Ll}+(?:[ \t]\p{Lu}\p{Ll}+)?[ \t]+County\b|\b(?:North|South|East|West)[ \t]+(?:Yorkshire|Sussex|Lothian|Riding)\b")
            .expect("county")
    });
    static CITY_STATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?P<m>\p{Lu}[\p{L}.'’-]+(?:[ \t]\p{Lu}[\p{L}.'’-]+){0,2}),[ \t]*(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|NSW|VIC|QLD|TAS|ON|QC|BC|AB|MB|SK|NS|NB)\.?[ \t]+(?:[0-9]{4,5}\b|[A-Z][0-9][A-Z])")
            .expect("city, state")
    });
    for m in COUNTY.find_iter(text) {
        // "Hereford County Hospital": a place of care.
        if super::places::institution_after(&text[m.end()..]) {
            continue;
        }
        hits.push(Hit {
            rule: "place",
            start: m.start(),
            end: m.end(),
        });
    }
    for c in CITY_STATE.captures_iter(text) {
        let m = c.name("m").expect("m");
        hits.push(Hit {
            rule: "place",
            start: m.start(),
            end: m.end(),
        });
    }
    for c in LIVES.captures_iter(text) {
        let m = c.name("m").expect("m");
        let place = &text[m.start()..end_of(m)];
        let first = place.split(',').next().unwrap_or(place);
        if super::names::is_region(first) || super::names::is_region(place) {
            continue;
        }
        if is_stop(place.split_whitespace().next().unwrap_or("")) {
            continue;
        }
        let (from, to) = super::text::sentence(text, m.start(), m.end(), &['.', '\n']);
        if super::rules::old_year(&text[from..to]) {
            continue;
        }
        hits.push(Hit {
            rule: "place",
            start: m.start(),
            end: end_of(m),
        });
    }
}

/// A label in running text and its value a few words on: "our MRN for him is 4471823", "NHS
/// no. 943 476 5919", "Hosp # 88213". Only number labels; their value is the first number of
/// four or more digits, or a letter-and-digit code, before the sentence ends.
fn prose_labels(text: &str, hits: &mut Vec<Hit>) {
    static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}\p{N}]+|#").expect("word"));
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:[A-Z]{1,4}-?)?[0-9][0-9A-Za-z]*(?:[- /.][0-9][0-9A-Za-z]*)*|(?-u:\b)[A-Z][A-Z0-9]{0,4}-[A-Z0-9]{6,}(?-u:\b)|(?-u:\b)[A-Z0-9]{6,}(?-u:\b)")
            .expect("value")
    });
    static POSTAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]|[0-9]{4} ?[A-Z]{2}|[A-Z]{1,2}-?[0-9]{4,5}|[0-9]{3} ?[0-9]{2,3}|[0-9]{4,6}(?:-[0-9]{3,4})?|[AC-FHKNPRTV-Y][0-9]{2} ?[A-Z0-9]{4})(?-u:\b)")
            .expect("postal")
    });
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\+?\(?[0-9][0-9 ().-]{5,}[0-9]").expect("phone"));
    let labels = &*LABELS;
    let words: Vec<(usize, usize)> = WORD.find_iter(text).map(|m| (m.start(), m.end())).collect();
    let lower: Vec<String> = words
        .iter()
        .map(|&(s, e)| text[s..e].to_lowercase())
        .collect();
    let boundary = |p: usize| {
        (p.min(text.len())..=text.len())
            .find(|&q| text.is_char_boundary(q))
            .unwrap_or(text.len())
    };
    let mut i = 0;
    while i < words.len() {
        let mut matched = None;
        for n in (1..=labels.longest.min(words.len() - i)).rev() {
            if let Some(&rule) = labels.by_words.get(&lower[i..i + n])
                && matches!(rule, "record-number" | "zip" | "phone")
            {
                matched = Some((n, rule));
                break;
            }
        }
        let Some((n, rule)) = matched else {
            i += 1;
            continue;
        };
        let (ls, _) = words[i];
        let le = words[i + n - 1].1;
        let label = &text[ls..le];
        // Short or everyday-word labels ("UR", "SN", "DL", "Reg") count only when not written
        // in lower case, and right before their value.
        const WORDS: &[&str] = &[
            "pan",
            "sin",
            "fin",
            "reg",
            "lot",
            "bed",
            "urn",
            "vin",
            "acc",
            "cp",
            "postal",
            "folder",
            "template",
            "biometric",
            "plate",
            "vehicle",
        ];
        let short = n == 1 && (label.chars().count() <= 2 || WORDS.contains(&lower[i].as_str()));
        if short && label.chars().all(char::is_lowercase) && label.chars().count() <= 3 {
            i += n;
            continue;
        }
        let reach = if short { 16 } else { 70 };
        let mut window_end = boundary(le + reach);
        // The value stays in the label's sentence and line.
        if let Some(p) = text[le..window_end]
            .find(['\n', ';'])
            .or_else(|| text[le..window_end].find(". "))
        {
            window_end = le + p;
        }
        let window = &text[le..window_end];
        // A vehicle's plate: letter and digit groups with blanks ("VTT 812", "LZ 837 HN",
        // "1804 BLW").
        static PLATE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?-u:\b)(?:[A-Z]{1,3}[ -]?[0-9]{1,4}(?:[ -]?[A-Z]{1,3})?|[0-9]{1,4}[ -]?[A-Z]{2,3}|[A-Z]{2}[ -]?[0-9]{2}[ -]?[A-Z]{2,3})(?-u:\b)")
                .expect("plate")
        });
        const VEHICLE: &[&str] = &[
            "plate",
            "plates",
            "registration",
            "rego",
            "reg",
            "vehicle",
            "kenteken",
            "kennzeichen",
            "immatriculation",
            "matricula",
            "targa",
            "registreringsnummer",
            "rejestracja",
        ];
        let plate = (lower[i..i + n]
            .iter()
            .any(|w| VEHICLE.contains(&w.as_str())))
        .then(|| {
            PLATE.find_iter(window).find(|m| {
                let v = m.as_str();
                v.chars().filter(char::is_ascii_digit).count() >= 1
                    && v.chars().filter(char::is_ascii_uppercase).count() >= 2
                    && v.chars().filter(char::is_ascii_alphanumeric).count() >= 5
            })
        })
        .flatten()
        .map(|m| (le + m.start(), le + m.end()));
        let found = plate.or_else(|| match rule {
            "zip" => POSTAL
                .find_iter(window)
                .find(|m| {
                    let v = m.as_str();
                    let year = v.len() == 4 && (v.starts_with("19") || v.starts_with("20"));
                    !year
                })
                .map(|m| (le + m.start(), le + m.end()))
                .or_else(|| {
                    // "She gave 7550 as her postal code": the value just before the label.
                    let from = text[..ls].rfind(['.', '\n', ';']).map_or(0, |p| p + 1);
                    let from = (from.max(ls.saturating_sub(40))..=ls)
                        .find(|&p| text.is_char_boundary(p))
                        .unwrap_or(ls);
                    POSTAL
                        .find_iter(&text[from..ls])
                        .last()
                        .map(|m| (from + m.start(), from + m.end()))
                }),
            "phone" => PHONE
                .find_iter(window)
                .find(|m| m.as_str().chars().filter(char::is_ascii_digit).count() >= 7)
                .map(|m| (le + m.start(), le + m.end())),
            _ => NUMBER
                .find_iter(window)
                .find(|m| {
                    let v = m.as_str().trim_end_matches(['-', '.', '/', ' ']);
                    let digits = v.chars().filter(char::is_ascii_digit).count();
                    let letters = v.chars().filter(char::is_ascii_alphabetic).count();
                    let year =
                        digits == 4 && v.len() == 4 && (v.starts_with("19") || v.starts_with("20"));
                    !super::numbers::reference_code(v)
                        && ((digits >= 4 && !year)
                            || (digits >= 3 && v.len() >= 5)
                            || (v.len() >= 8
                                && letters >= 4
                                && v.chars().all(|c| !c.is_lowercase())))
                })
                .map(|m| {
                    let v = m.as_str().trim_end_matches(['-', '.', '/', ' ']);
                    (le + m.start(), le + m.start() + v.len())
                }),
        });
        if let Some((start, end)) = found {
            hits.push(Hit { rule, start, end });
        }
        i += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&'static str, String)> {
        let mut h = scan(text);
        h.sort_by_key(|h| h.start);
        let mut v: Vec<_> = h
            .into_iter()
            .map(|h| (h.rule, text[h.start..h.end].to_string()))
            .collect();
        v.dedup();
        v
    }

    #[test]
    fn labels_are_read_as_words() {
        assert_eq!(key_rule("Med. rec. no."), Some("record-number"));
        assert_eq!(key_rule("Hosp #"), Some("record-number"));
        assert_eq!(key_rule("Next of kin mobile"), Some("phone"));
        assert_eq!(key_rule("PatientBirthDate"), Some("date"));
        assert_eq!(key_rule("Diagnosis"), None);
    }

    #[test]
    fn structured_values_are_found() {
        assert_eq!(
            found("| MRN | 4471823 |\n|---|---|\n| Patient | Okafor, Chidi |\n"),
            [
                ("record-number", "4471823".into()),
                ("patient-name", "Okafor, Chidi".into())
            ]
        );
        assert_eq!(
            found("Name: SMITH, John  DOB: 12/03/1947"),
            [
                ("patient-name", "SMITH, John".into()),
                ("date", "12/03/1947".into())
            ]
        );
        assert_eq!(
            found("(0010,0010) PN [DOE^JANE]"),
            [("patient-name", "DOE^JANE".into())]
        );
        assert_eq!(
            found("our MRN for him is 4471823."),
            [("record-number", "4471823".into())]
        );
        assert_eq!(
            found("He works at Acme Logistics."),
            [("patient-name", "Acme Logistics".into())]
        );
        assert_eq!(found("She lives in Tralee."), [("place", "Tralee".into())]);
        assert_eq!(found("She lives in Wales."), []);
    }
}
