//! Plain language on patient-education pages: flags medical jargon (lesion, benign, bilateral,
//! contrast agent, …) where it is written in the page's source, with a plainer alternative.
//!
//! The word list is data, not code: `plain_language.toml` beside this file is built in, and a
//! site extends or overrides it with `plain-language.toml` at its root (same format; an entry
//! with `ignore = true` or an empty `plain` switches a built-in word off).
//!
//! Matching is case-insensitive and on word boundaries (a word is a run of letters and digits,
//! so `lesions` does not match inside `multilesional`, but the hyphenated `non-malignant` does
//! contain `malignant`). Each term matches its listed form and its simple plurals (`-s`, `-es`
//! after s/x/z/ch/sh, `-y` → `-ies`, `-is` → `-es`), plus any `forms` the entry lists; not
//! other derived words (`benignly` is not `benign`). A phrase matches across one line break.
//! Only the body is searched (after the closing `+++`), and not inside fenced code blocks,
//! Markdown tables, HTML comments or tags, inline code, link destinations or reference
//! definitions.
//!
//! The list is compiled once per check run into a map from first word to phrases, so a page
//! costs one pass over its words.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Deserialize;

use super::readability::is_patient_education;
use super::{Finding, Severity};
use crate::config::toml_diagnostic;
use crate::content::Page;
use crate::error::Diagnostic;
use crate::site::Site;

/// Rule name of jargon findings (and of problems in the site's word list).
pub const RULE: &str = "jargon";
/// The site's own list, at its root.
pub const SITE_FILE: &str = "plain-language.toml";
/// The built-in list.
pub const BUILTIN: &str = include_str!("plain_language.toml");
const BUILTIN_FILE: &str = "src/checks/plain_language.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    term: Option<Vec<RawTerm>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    word: String,
    plain: Option<RawPlain>,
    forms: Option<Vec<String>>,
    ignore: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPlain {
    One(String),
    Many(Vec<String>),
}

/// One jargon term and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As listed, lower case (`contrast agent`).
    pub word: String,
    /// Plainer alternatives, in order of preference.
    pub plain: Vec<String>,
    /// Extra forms to match (irregular plurals).
    pub forms: Vec<String>,
}

impl Term {
    /// The fix text: `say "growth" or "area that looks different" instead`.
    pub fn fix(&self) -> String {
        let quoted: Vec<String> = self.plain.iter().map(|p| format!("\"{p}\"")).collect();
        let choices = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        };
        format!("say {choices} instead")
    }
}

/// One entry of a list file before merging: a term, or a word to switch off.
enum Entry {
    Add(Term),
    Remove(String),
}

/// The compiled word list.
#[derive(Debug, Clone)]
pub struct PlainLanguage {
    terms: Vec<Term>,
    /// First word of a phrase → (the phrase's words, index into `terms`), longest phrase first.
    index: HashMap<String, Vec<(Vec<String>, usize)>>,
}

/// One jargon occurrence in a text: byte range and the term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

impl PlainLanguage {
    /// The built-in list alone.
    pub fn builtin() -> PlainLanguage {
        let entries = parse(BUILTIN, Path::new(BUILTIN_FILE))
            .expect("the built-in plain-language list parses (a test checks it)");
        PlainLanguage::from_entries(Vec::new(), entries)
    }

    /// The built-in list with the site's `plain-language.toml` (if any) applied over it.
    pub fn load(root: &Path) -> Result<PlainLanguage, Diagnostic> {
        let path = root.join(SITE_FILE);
        let text = crate::input::read_source(&path).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text")
            })
        });
        match text {
            Ok(text) => PlainLanguage::builtin().with_site_list(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(PlainLanguage::builtin()),
            Err(e) => Err(
                Diagnostic::new(SITE_FILE, format!("cannot read {SITE_FILE}: {e}"))
                    .fix("check the file's permissions, or remove it to use the built-in list"),
            ),
        }
    }

    /// This list with a site list's text applied over it: new words are added, listed words are
    /// replaced, and `ignore = true` (or an empty `plain`) removes a word.
    pub fn with_site_list(self, text: &str) -> Result<PlainLanguage, Diagnostic> {
        let entries = parse(text, Path::new(SITE_FILE))?;
        Ok(PlainLanguage::from_entries(self.terms, entries))
    }

    fn from_entries(mut terms: Vec<Term>, entries: Vec<Entry>) -> PlainLanguage {
        for entry in entries {
            match entry {
                Entry::Add(term) => match terms.iter_mut().find(|t| t.word == term.word) {
                    Some(existing) => *existing = term,
                    None => terms.push(term),
                },
                Entry::Remove(word) => terms.retain(|t| t.word != word),
            }
        }
        let mut index: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        for (i, term) in terms.iter().enumerate() {
            let mut phrases: Vec<Vec<String>> = Vec::new();
            for form in std::iter::once(&term.word).chain(&term.forms) {
                let words = tokens(form)
                    .map(|(_, w)| w.to_lowercase())
                    .collect::<Vec<_>>();
                let Some((last, rest)) = words.split_last() else {
                    continue;
                };
                for plural in plurals(last) {
                    let mut phrase = rest.to_vec();
                    phrase.push(plural);
                    if !phrases.contains(&phrase) {
                        phrases.push(phrase);
                    }
                }
            }
            for phrase in phrases {
                index
                    .entry(phrase[0].clone())
                    .or_default()
                    .push((phrase, i));
            }
        }
        for phrases in index.values_mut() {
            phrases.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.len()));
        }
        PlainLanguage { terms, index }
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn term(&self, i: usize) -> &Term {
        &self.terms[i]
    }

    /// Every jargon occurrence in `text` (already masked: see [`mask_markdown`]), in order.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let words: Vec<(usize, &str)> = tokens(text).collect();
        let mut hits = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let (start, word) = words[i];
            let lower = lowercase(word);
            let found = self.index.get(lower.as_ref()).and_then(|phrases| {
                phrases
                    .iter()
                    .find(|(phrase, _)| phrase_at(text, &words, i, phrase))
            });
            match found {
                Some((phrase, term)) => {
                    let (last_start, last) = words[i + phrase.len() - 1];
                    hits.push(Hit {
                        start,
                        end: last_start + last.len(),
                        term: *term,
                    });
                    i += phrase.len();
                }
                None => i += 1,
            }
        }
        hits
    }

    /// Jargon findings of one page: each occurrence in the page body, with file:line:column.
    pub fn check_page(&self, page: &Page) -> Vec<Finding> {
        let Ok(split) = crate::content::frontmatter::split(&page.file, &page.source) else {
            return Vec::new();
        };
        let body_offset = split.body.as_ptr() as usize - page.source.as_ptr() as usize;
        let masked = mask_markdown(split.body);
        let lines = LineIndex::new(&page.source);
        self.find(&masked)
            .into_iter()
            .map(|hit| {
                let written = split.body[hit.start..hit.end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let (line, column) = lines.position(body_offset + hit.start);
                let term = &self.terms[hit.term];
                Finding::new(
                    RULE,
                    Severity::Warning,
                    Diagnostic::new(&page.file, format!("`{written}` is jargon for patients"))
                        .at(line, column)
                        .with_source(&page.source)
                        .fix(term.fix()),
                )
            })
            .collect()
    }
}

/// Whether `phrase` starts at word `i`, its words separated by whitespace only (at most one
/// line break).
fn phrase_at(text: &str, words: &[(usize, &str)], i: usize, phrase: &[String]) -> bool {
    if i + phrase.len() > words.len() {
        return false;
    }
    phrase.iter().enumerate().all(|(k, want)| {
        let (start, word) = words[i + k];
        if k > 0 {
            let (prev_start, prev) = words[i + k - 1];
            let gap = &text[prev_start + prev.len()..start];
            if !gap.chars().all(char::is_whitespace) || gap.matches('\n').count() > 1 {
                return false;
            }
        }
        same_word(word, want)
    })
}

/// A word in lower case, borrowed when it already is.
fn lowercase(word: &str) -> std::borrow::Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(word.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(word)
    }
}

/// Whether a word of the text is `want` (lower case), ignoring case.
fn same_word(word: &str, want: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(want)
    } else {
        word.to_lowercase() == want
    }
}

/// The words of a text with their byte offsets: runs of letters and digits.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = loop {
            let (i, c) = rest.next()?;
            if c.is_alphanumeric() {
                break (i, c);
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

/// A word and its simple plurals: +s, +es after s/x/z/ch/sh, consonant+y → ies, -is → -es.
fn plurals(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let b = word.as_bytes();
    let n = b.len();
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        out.push(format!("{word}es"));
    } else if n >= 2 && b[n - 1] == b'y' && !b"aeiou".contains(&b[n - 2]) {
        out.push(format!("{}ies", &word[..n - 1]));
    } else {
        out.push(format!("{word}s"));
    }
    if n > 3 && word.ends_with("is") {
        out.push(format!("{}es", &word[..n - 2]));
    }
    out
}

/// Parses a list file into entries, or a diagnostic with the line of the problem.
fn parse(text: &str, file: &Path) -> Result<Vec<Entry>, Diagnostic> {
    let raw: RawList = toml::from_str(text).map_err(|e| toml_diagnostic(file, text, &e, 1))?;
    let RawList { term } = raw;
    let mut seen: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for RawTerm {
        word,
        plain,
        forms,
        ignore,
    } in term.unwrap_or_default()
    {
        let located = |message: String, fix: &str| {
            Diagnostic::new(file, message)
                .locate(text, &format!("\"{word}\""), 1)
                .fix(fix.to_string())
        };
        let clean = word.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = clean.to_lowercase();
        if tokens(&lower).count() == 0 {
            return Err(located(
                format!("`word = \"{word}\"` has no letters to match"),
                "write the word or phrase to flag, e.g. word = \"lesion\"",
            ));
        }
        if seen.contains(&lower) {
            return Err(located(
                format!("`{clean}` is listed twice"),
                "keep one entry per word; list other forms in `forms = [...]`",
            ));
        }
        seen.push(lower.clone());
        let plain: Vec<String> = match plain {
            None => Vec::new(),
            Some(RawPlain::One(p)) => vec![p],
            Some(RawPlain::Many(ps)) => ps,
        }
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
        if ignore == Some(true) || plain.is_empty() {
            entries.push(Entry::Remove(lower));
            continue;
        }
        entries.push(Entry::Add(Term {
            word: lower,
            plain,
            forms: forms
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.to_lowercase())
                .collect(),
        }));
    }
    Ok(entries)
}

/// `jargon`: every listed word on every patient-education page. The list (built in, with the
/// site's `plain-language.toml`) is compiled once; a malformed site list is one error finding.
pub fn check(site: &Site) -> Vec<Finding> {
    let list = match PlainLanguage::load(&site.root) {
        Ok(list) => list,
        Err(d) => return vec![Finding::new(RULE, Severity::Error, d)],
    };
    site.pages
        .par_iter()
        .filter(|p| is_patient_education(p))
        .flat_map_iter(|page| list.check_page(page))
        .collect()
}

/// The Markdown body with everything that is not prose blanked out (replaced by spaces, line
/// breaks kept, so byte offsets and lines are those of the original): fenced code blocks,
/// table lines, HTML comments and tags, inline code, link destinations and reference
/// definitions.
pub fn mask_markdown(body: &str) -> String {
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut hidden = vec![false; lines.len()];
    let mut fence: Option<(char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if let Some((ch, len)) = fence {
            hidden[i] = true;
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed.chars().all(|c| c == ch) {
                fence = None;
            }
            i += 1;
            continue;
        }
        let ch = trimmed.chars().next().unwrap_or(' ');
        let run = trimmed.chars().take_while(|&c| c == ch).count();
        if matches!(ch, '`' | '~') && run >= 3 {
            fence = Some((ch, run));
            hidden[i] = true;
            i += 1;
            continue;
        }
        let is_table = trimmed.contains('|')
            && lines
                .get(i + 1)
                .is_some_and(|next| is_delimiter_row(next.trim()));
        if is_table {
            while i < lines.len() && !lines[i].trim().is_empty() {
                hidden[i] = true;
                i += 1;
            }
            continue;
        }
        if is_reference_definition(trimmed) {
            hidden[i] = true;
        }
        i += 1;
    }

    let mut out = String::with_capacity(body.len());
    let mut in_comment = false;
    for (line, hide) in lines.iter().zip(hidden) {
        if hide {
            blank(&mut out, line);
        } else {
            mask_inline(&mut out, line, &mut in_comment);
        }
    }
    out
}

/// A table's delimiter row: `|---|:--:|`, `--- | ---`.
fn is_delimiter_row(line: &str) -> bool {
    line.contains('-')
        && line.contains('|')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// `[label]: destination`.
fn is_reference_definition(line: &str) -> bool {
    line.starts_with('[')
        && !line.starts_with("[^")
        && line.find("]:").is_some_and(|i| !line[1..i].contains(']'))
}

/// Appends `s` with every character but line breaks replaced by spaces of the same byte length.
fn blank(out: &mut String, s: &str) {
    out.extend(s.bytes().map(|b| match b {
        b'\n' | b'\r' => b as char,
        _ => ' ',
    }));
}

/// Masks inline code, link destinations, HTML tags and comments in one line.
fn mask_inline(out: &mut String, line: &str, in_comment: &mut bool) {
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        if *in_comment {
            let (end, closed) = match rest.find("-->") {
                Some(e) => (e + 3, true),
                None => (rest.len(), false),
            };
            blank(out, &rest[..end]);
            *in_comment = !closed;
            i += end;
            continue;
        }
        if rest.starts_with("<!--") {
            *in_comment = true;
            continue;
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        // Bytes to copy as they are, then bytes to blank.
        let (keep, hide) = match c {
            '`' => {
                let run = rest.chars().take_while(|&c| c == '`').count();
                match rest[run..].find(&rest[..run]) {
                    Some(close) => (0, run + close + run),
                    None => (run, 0),
                }
            }
            '<' if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                match rest.find('>') {
                    Some(e) => (0, e + 1),
                    None => (1, 0),
                }
            }
            // `](destination)`: keep the bracket, hide the destination.
            ']' if rest.starts_with("](") => match rest.find(')') {
                Some(e) => (1, e),
                None => (1, 0),
            },
            // Plain text up to the next character that may start something to hide.
            _ => (
                rest.find(['`', '<', ']'])
                    .unwrap_or(rest.len())
                    .max(c.len_utf8()),
                0,
            ),
        };
        out.push_str(&rest[..keep]);
        blank(out, &rest[keep..keep + hide]);
        i += keep + hide;
    }
}

/// 1-based line and column (in characters) of byte offsets in a text.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> PlainLanguage {
        PlainLanguage::builtin()
    }

    /// (line, column, as written) of each hit in a body.
    fn hits(list: &PlainLanguage, body: &str) -> Vec<(usize, usize, String)> {
        let masked = mask_markdown(body);
        let lines = LineIndex::new(body);
        list.find(&masked)
            .into_iter()
            .map(|h| {
                let (l, c) = lines.position(h.start);
                (l, c, body[h.start..h.end].to_string())
            })
            .collect()
    }

    #[test]
    fn builtin_list_parses_and_is_substantial() {
        let list = list();
        assert!(list.terms().len() >= 40, "{}", list.terms().len());
        for word in [
            "lesion",
            "benign",
            "malignant",
            "bilateral",
            "anterior",
            "edema",
            "oedema",
            "contrast agent",
        ] {
            assert!(
                list.terms().iter().any(|t| t.word == word),
                "{word} is missing"
            );
        }
        let lesion = list.terms().iter().find(|t| t.word == "lesion").unwrap();
        assert_eq!(
            lesion.fix(),
            "say \"growth\" or \"area that looks different\" instead"
        );
    }

    #[test]
    fn finds_words_with_line_and_column_on_word_boundaries() {
        let body = "A small Lesion was seen.\nTwo lesions, both benign.\nNot multilesional, nor benignly.\n";
        assert_eq!(
            hits(&list(), body),
            [
                (1, 9, "Lesion".to_string()),
                (2, 5, "lesions".to_string()),
                (2, 19, "benign".to_string()),
            ]
        );
    }

    #[test]
    fn plurals_and_irregular_forms() {
        assert_eq!(plurals("lesion"), ["lesion", "lesions"]);
        assert_eq!(plurals("mass"), ["mass", "masses"]);
        assert_eq!(plurals("artery"), ["artery", "arteries"]);
        assert_eq!(
            plurals("metastasis"),
            ["metastasis", "metastasises", "metastases"]
        );
        let found = hits(
            &list(),
            "Metastases and contrast media; a contrast\nagent; not contrast, agent.",
        );
        let written: Vec<&str> = found.iter().map(|h| h.2.as_str()).collect();
        assert_eq!(written, ["Metastases", "contrast media", "contrast\nagent"]);
        assert_eq!((found[2].0, found[2].1), (1, 34));
    }

    #[test]
    fn skips_code_tables_links_and_html() {
        let body = "\
Intro about a lesion.

```text
lesion in code
```

| Term | Meaning |
|------|---------|
| lesion | growth |

See [our guide](/education/lesion-guide/) and `lesion` <span class=\"lesion\">x</span>.
<!-- a lesion
in a comment --> after the benign comment.

[ref]: /lesion/
";
        let found = hits(&list(), body);
        assert_eq!(
            found,
            [
                (1, 15, "lesion".to_string()),
                (13, 28, "benign".to_string())
            ]
        );
    }

    #[test]
    fn site_list_extends_replaces_and_removes() {
        let site = "\
[[term]]
word = \"radiograph\"
plain = \"X-ray picture\"

[[term]]
word = \"lesion\"
plain = [\"spot\"]

[[term]]
word = \"benign\"
ignore = true

[[term]]
word = \"acute\"
plain = \"\"
";
        let list = list().with_site_list(site).unwrap();
        let found: Vec<String> = hits(&list, "A benign, acute lesion on the radiographs.")
            .into_iter()
            .map(|h| h.2)
            .collect();
        assert_eq!(found, ["lesion", "radiographs"]);
        let lesion = list.terms().iter().find(|t| t.word == "lesion").unwrap();
        assert_eq!(lesion.fix(), "say \"spot\" instead");
    }

    #[test]
    fn malformed_site_list_is_an_error_with_a_line() {
        let d = list()
            .with_site_list("[[term]]\nword = \"x\"\nplian = \"y\"\n")
            .unwrap_err();
        assert_eq!(d.file, Path::new(SITE_FILE));
        assert_eq!(d.line, Some(3));
        assert!(d.fix.unwrap().contains("plain"));
        let d = list()
            .with_site_list("[[term]]\nword = \"lesion\"\nplain = \"a\"\n[[term]]\nword = \"Lesion\"\nplain = \"b\"\n")
            .unwrap_err();
        assert!(d.message.contains("twice"), "{}", d.message);
        let d = list()
            .with_site_list("[[term]]\nword = \"lesion\nplain = 1\n")
            .unwrap_err();
        assert_eq!(d.line, Some(2));
    }

    #[test]
    fn mask_keeps_offsets_and_lines() {
        let body = "é `code` [a](/b/) <b>x</b>\n```\nz\n```\n";
        let masked = mask_markdown(body);
        assert_eq!(masked.len(), body.len());
        assert_eq!(masked.lines().count(), body.lines().count());
        let expected = format!(
            "é {} [a]{} {}x{}\n   \n \n   \n",
            " ".repeat(6),
            " ".repeat(5),
            " ".repeat(3),
            " ".repeat(4)
        );
        assert_eq!(masked, expected);
    }
}
