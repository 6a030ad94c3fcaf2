//! Reading grade of patient-education pages, and whether they are due for medical review.
//!
//! The grade is computed from the page's rendered prose (`Page::prose`: no code blocks, no
//! tables, no image alt text), split into sentences and words as described on [`analyse`]:
//!
//! - **Flesch–Kincaid grade** (Kincaid, Fishburne, Rogers & Chissom 1975, *Derivation of new
//!   readability formulas for Navy enlisted personnel*, Research Branch Report 8-75):
//!   `0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59`.
//! - **SMOG grade** (McLaughlin 1969, *SMOG grading: a new readability formula*, Journal of
//!   Reading 12(8):639–646): `1.0430 × √(polysyllables × 30 ÷ sentences) + 3.1291`, where a
//!   polysyllable is a word of three or more syllables. McLaughlin counted 30 sentences; the
//!   `30 ÷ sentences` factor scales any number of sentences to that.
//!
//! The page's reading grade, compared with its `reading_grade_target` (else the site's), is the
//! Flesch–Kincaid grade: it is what word processors report and what most published audits of
//! patient materials (and the NIH/AMA targets) use. SMOG, which counts only long words and runs
//! about two grades higher on the same text, is reported beside it as a second opinion.
//!
//! Rules: `reading-grade` (a note per page with both scores; a warning above the target, naming
//! the longest sentences and hardest words) and `review-overdue` (an education page whose
//! `last_reviewed` is older than the site's `review_interval_months`, or that does not say who
//! reviewed it and when).

use std::path::Path;

use rayon::prelude::*;

use super::{Finding, Severity};
use crate::content::{Kind, Page};
use crate::error::Diagnostic;
use crate::site::Site;

/// Rule name of the reading-grade note and warning.
pub const RULE_GRADE: &str = "reading-grade";
/// Rule name of the review-date warning.
pub const RULE_REVIEW: &str = "review-overdue";

/// How many sentences and words a reading-grade warning names.
const LONGEST_SENTENCES: usize = 3;
const HARDEST_WORDS: usize = 5;
/// Sentences quoted in a warning are cut to about this many characters.
const QUOTE_CHARS: usize = 100;

/// Pages checked for reading grade and jargon: education pages written for patients.
pub fn is_patient_education(page: &Page) -> bool {
    page.kind == Kind::Education
        && page
            .education
            .as_ref()
            .is_some_and(|e| e.audience.code == "patient")
}

/// Counts and grades of one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Readability {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Words of three or more syllables.
    pub polysyllables: usize,
    /// Flesch–Kincaid grade level.
    pub fk_grade: f64,
    /// SMOG grade.
    pub smog_grade: f64,
}

/// Flesch–Kincaid grade level (Kincaid et al. 1975):
/// `0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59`.
pub fn flesch_kincaid_grade(words: usize, sentences: usize, syllables: usize) -> f64 {
    if words == 0 || sentences == 0 {
        return 0.0;
    }
    0.39 * (words as f64 / sentences as f64) + 11.8 * (syllables as f64 / words as f64) - 15.59
}

/// SMOG grade (McLaughlin 1969): `1.0430 × √(polysyllables × 30 ÷ sentences) + 3.1291`.
pub fn smog_grade(polysyllables: usize, sentences: usize) -> f64 {
    if sentences == 0 {
        return 0.0;
    }
    1.0430 * (polysyllables as f64 * 30.0 / sentences as f64).sqrt() + 3.1291
}

/// One sentence of an analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    pub words: usize,
}

/// A text split into sentences and words, with its scores.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    pub readability: Readability,
    pub sentences: Vec<Sentence<'a>>,
    /// Every word, with its syllables, in text order.
    pub words: Vec<(&'a str, usize)>,
}

impl Analysis<'_> {
    /// The `n` longest sentences (most words), longest first; ties in text order.
    pub fn longest_sentences(&self, n: usize) -> Vec<&Sentence<'_>> {
        let mut by_length: Vec<&Sentence> = self.sentences.iter().collect();
        by_length.sort_by_key(|s| std::cmp::Reverse(s.words));
        by_length.truncate(n);
        by_length
    }

    /// The `n` words with the most syllables, each once (case-insensitively), hardest first;
    /// ties go to the longer word, then alphabetical order. Numbers and abbreviations (MRI) are
    /// left out: there is no plainer way to write them.
    pub fn hardest_words(&self, n: usize) -> Vec<(String, usize)> {
        let mut seen = std::collections::HashSet::new();
        let mut words: Vec<(String, usize)> = self
            .words
            .iter()
            .filter(|(w, _)| !w.chars().any(|c| c.is_ascii_digit()) && !is_abbreviation(w))
            .filter_map(|&(w, s)| {
                let lower = w.to_lowercase();
                seen.insert(lower.clone()).then_some((lower, s))
            })
            .collect();
        words.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(b.0.chars().count().cmp(&a.0.chars().count()))
                .then(a.0.cmp(&b.0))
        });
        words.truncate(n);
        words
    }
}

/// Splits `text` into sentences and words, counts syllables and computes both grades; `None`
/// when the text has no words.
///
/// - **Blocks**: `text` is plain text with blocks (paragraphs, headings, list items) separated
///   by blank lines, as in `Page::prose`. A block is always at least one sentence, so headings
///   and list items without a full stop count as sentences.
/// - **Sentences** end at `.`, `!` or `?` (with any closing quotes or brackets) followed by
///   whitespace or the end of the block. A full stop inside a token (3.2, e.g) never ends one;
///   nor does a full stop after a common abbreviation (e.g., i.e., Dr., Mr., vs., approx., …)
///   or a single-letter initial, or one followed by a lower-case word.
/// - **Words** are the whitespace-separated tokens (a slash or a dash between spaces also
///   separates) that hold a letter or digit, without the punctuation around them. A hyphenated
///   compound (image-guided) is one word whose syllables are those of its parts.
/// - **Syllables**: see [`syllables`].
pub fn analyse(text: &str) -> Option<Analysis<'_>> {
    let mut sentences = Vec::new();
    let mut words = Vec::new();
    for sentence in split_sentences(text) {
        let before = words.len();
        words.extend(split_words(sentence).map(|w| (w, syllables(w))));
        let count = words.len() - before;
        if count > 0 {
            sentences.push(Sentence {
                text: sentence,
                words: count,
            });
        }
    }
    if words.is_empty() {
        return None;
    }
    let syllable_total: usize = words.iter().map(|&(_, s)| s).sum();
    let polysyllables = words.iter().filter(|&&(_, s)| s >= 3).count();
    let readability = Readability {
        words: words.len(),
        sentences: sentences.len(),
        syllables: syllable_total,
        polysyllables,
        fk_grade: flesch_kincaid_grade(words.len(), sentences.len(), syllable_total),
        smog_grade: smog_grade(polysyllables, sentences.len()),
    };
    Some(Analysis {
        readability,
        sentences,
        words,
    })
}

/// Abbreviations whose full stop does not end a sentence (lower case, without the last dot).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "eg", "i.e", "ie", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "approx", "fig", "cf",
    "al", "jr", "sr", "no", "nos", "ca", "min", "max",
];

/// The sentences of a text, trimmed, in order (see [`analyse`] for the rules).
pub fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let mut start = 0;
        let mut chars = block.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            // Take the run of closing punctuation: `?!`, `."`, `.)`, `...`.
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = chars.peek() {
                if matches!(
                    next,
                    '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | ']' | '*'
                ) {
                    end = j + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let rest = &block[end..];
            if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                continue;
            }
            if c == '.' && !ends_sentence(&block[start..i], rest) {
                continue;
            }
            out.push(block[start..end].trim());
            start = end;
        }
        out.push(block[start..].trim());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Whether a full stop after `before` (the sentence so far) and before `rest` ends a sentence.
fn ends_sentence(before: &str, rest: &str) -> bool {
    let token = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if ABBREVIATIONS.contains(&token.as_str()) {
        return false;
    }
    // A single-letter initial (J. Smith), but not the word "I" or "a".
    let mut letters = token.chars();
    if let (Some(c), None) = (letters.next(), letters.next())
        && c.is_alphabetic()
        && c != 'i'
        && c != 'a'
    {
        return false;
    }
    // A sentence does not start in lower case: "approx. two", "etc. and".
    let next = rest.trim_start().chars().find(|c| c.is_alphanumeric());
    !next.is_some_and(char::is_lowercase)
}

/// The words of a text (see [`analyse`]): tokens split at whitespace, slashes and dashes, with
/// the punctuation around them trimmed, that hold a letter or digit.
pub fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '/' | '—' | '–'))
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
}

/// Syllables of words the heuristic gets wrong: medical terms and common compounds with a
/// silent e inside (lower case; the first number is the count).
const SYLLABLE_OVERRIDES: &[(&str, usize)] = &[
    // Medical terms (domain notes §3.3: heuristics miscount these).
    ("pneumothorax", 4),
    ("appendagitis", 5),
    ("gadolinium", 5),
    ("hypoechoic", 5),
    ("hyperechoic", 5),
    ("isoechoic", 5),
    ("anechoic", 4),
    ("radiopaque", 4),
    ("etiology", 5),
    ("aetiology", 5),
    ("ileum", 3),
    ("peritoneum", 5),
    ("pancreatic", 4),
    ("pancreatitis", 5),
    ("dyspnoea", 3),
    ("apnoea", 3),
    ("diarrhoea", 4),
    ("cochlear", 3),
    ("nuclear", 3),
    ("theatre", 3),
    ("pet", 1),
    // Everyday words.
    ("someone", 2),
    ("something", 2),
    ("sometimes", 2),
    ("somewhere", 2),
    ("anyone", 3),
    ("everyone", 3),
    ("everything", 3),
    ("therefore", 2),
    ("science", 2),
    ("business", 2),
    ("via", 2),
    ("create", 2),
    ("creates", 2),
    ("created", 3),
    ("react", 2),
    ("reacts", 2),
    ("reacted", 3),
    ("reaction", 3),
    ("reactions", 3),
];

/// The override for a lower-case ASCII word, by binary search in the table sorted once.
fn syllable_override(word: &[u8]) -> Option<usize> {
    static SORTED: std::sync::OnceLock<Vec<(&[u8], usize)>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v: Vec<(&[u8], usize)> = SYLLABLE_OVERRIDES
            .iter()
            .map(|&(w, n)| (w.as_bytes(), n))
            .collect();
        v.sort_unstable();
        v
    });
    // Compared byte by byte inline: `<[u8]>::cmp` calls `memcmp`, which cost more than the rest
    // of the syllable count.
    let compare = |w: &[u8]| {
        for (a, b) in w.iter().zip(word) {
            if a != b {
                return a.cmp(b);
            }
        }
        w.len().cmp(&word.len())
    };
    sorted
        .binary_search_by(|(w, _)| compare(w))
        .ok()
        .map(|i| sorted[i].1)
}

/// Syllables in one word, by a vowel-group heuristic:
///
/// - **Overrides** first ([`SYLLABLE_OVERRIDES`]: medical terms and compounds it gets wrong).
/// - **Hyphenated** words: the sum of their parts (X-ray = 2, image-guided = 4).
/// - **Numbers** and tokens with digits: one syllable per digit or letter, ignoring an ordinal
///   suffix (15 = 2, 100 = 3, T2 = 2, 3rd = 1); close to how they are read aloud.
/// - **Dotted abbreviations** (e.g, i.e, a.m): one syllable per letter.
/// - **Abbreviations** (2–5 capitals, optionally with a plural `s`: MRI, CTs) are read letter
///   by letter: one syllable per letter, three for W (MRI = 3, CTPA = 4), unless they are in
///   the override table because they are read as a word (PET = 1).
/// - **Other words** (lower-cased, apostrophes dropped, accents folded), after the classic
///   rules (domain notes §3.3, after the ACM/JS heuristic and Lingua::EN::Syllable):
///   words of 1–3 letters have one syllable; a final `-es` is silent unless after s, x, z, c, g,
///   ch or sh (*bones* 1, *images* 3), a final `-ed` unless after t or d (*scanned* 1, *tested*
///   2), a final `-e` unless in consonant + `-le` (*make* 1, *table* 2), `-que`/`-gue` are
///   silent, and an `e` before `-ly`, `-ment`, `-ful`, `-less`, `-ness` is silent (*likely* 2);
///   a leading `y` is a consonant; then each group of vowels (a e i o u y) is one syllable,
///   plus one where a group is really two: `ia` (not after c or t: *bacteria*, not *special*),
///   `io` (not in -tion, -sion, -cion, -gion, -xion, -lion, -nion: *biopsy*, *radio*), `iu`
///   (*calcium*), `ua` (not after q or g: *usually*), `uo` (not after q), `eo` (not after g,
///   not in *people*: *video*), `ien` after d, l, n, r or v (*audience*, not *friend*), `iet`
///   (*quiet*, *anxiety*), a vowel before a final `-ing` (*being*), `-ier`/`-iest` (*easier*),
///   a final `-ea`/`-eas` (*area*, *pancreas*), and a final `-ism`, `-ysm` or `-asm`
///   (*embolism*, *aneurysm*). Never less than one.
pub fn syllables(word: &str) -> usize {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return 0;
    }
    if word.contains('-') {
        let sum: usize = word.split('-').map(syllables).sum();
        return sum.max(1);
    }
    if word.chars().any(|c| c.is_ascii_digit()) {
        return digits_and_letters(word);
    }
    if word.contains('.')
        && word
            .split('.')
            .all(|part| (1..=2).contains(&part.chars().count()))
    {
        // Dotted abbreviations are read letter by letter: e.g, i.e, a.m.
        return word.chars().filter(|c| c.is_alphabetic()).count();
    }
    // Lower case, accents folded, apostrophes and other marks dropped: `don't` → `dont`.
    let folded: Vec<u8> = if word.is_ascii() {
        word.bytes()
            .filter(u8::is_ascii_alphabetic)
            .map(|b| b.to_ascii_lowercase())
            .collect()
    } else {
        word.chars()
            .flat_map(char::to_lowercase)
            .filter_map(fold)
            .collect()
    };
    if let Some(n) = syllable_override(&folded) {
        return n;
    }
    if is_abbreviation(word) {
        return word
            .trim_end_matches('s')
            .chars()
            .map(|c| if c == 'W' { 3 } else { 1 })
            .sum();
    }
    heuristic(folded)
}

/// 2–5 capital letters, optionally followed by a lower-case plural `s` (MRI, CTs).
fn is_abbreviation(word: &str) -> bool {
    let caps = word.strip_suffix('s').unwrap_or(word);
    (2..=5).contains(&caps.chars().count()) && caps.chars().all(|c| c.is_ascii_uppercase())
}

fn digits_and_letters(word: &str) -> usize {
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    let ordinal = matches!(
        letters.to_lowercase().as_str(),
        "st" | "nd" | "rd" | "th" | "s"
    );
    let letters = if ordinal { 0 } else { letters.chars().count() };
    (digits + letters).max(1)
}

/// A lower-case letter as ASCII, accents folded (é → e, æ → a); other characters dropped.
fn fold(c: char) -> Option<u8> {
    let folded = match c {
        'a'..='z' => c,
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'æ' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'œ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        _ => return None,
    };
    Some(folded as u8)
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// `w.ends_with(s)`, compared inline: the heuristic asks this some twenty times per word, and
/// a call to `memcmp` each time was most of its cost.
#[inline]
fn ends(w: &[u8], s: &str) -> bool {
    let s = s.as_bytes();
    w.len() >= s.len() && w[w.len() - s.len()..].iter().zip(s).all(|(a, b)| a == b)
}

/// The vowel-group count with silent endings and splits (see [`syllables`]); `w` is lower-case
/// ASCII letters.
fn heuristic(mut w: Vec<u8>) -> usize {
    if w.len() <= 3 {
        return 1;
    }

    // Silent endings: -es and -ed become -e, which the next rule may drop.
    if ends(&w, "es") {
        let stem = &w[..w.len() - 2];
        let voiced = ["s", "x", "z", "c", "g", "ch", "sh"]
            .iter()
            .any(|s| ends(stem, s));
        if !voiced {
            w.pop();
        }
    } else if ends(&w, "ed") && !matches!(w[w.len() - 3], b't' | b'd') {
        w.pop();
    }
    if (ends(&w, "que") || ends(&w, "gue")) && w.len() > 4 {
        w.truncate(w.len() - 2);
    } else if ends(&w, "e") && w.len() >= 3 {
        let n = w.len();
        let consonant_le = w[n - 2] == b'l' && !is_vowel(w[n - 3]);
        if !consonant_le && !is_vowel(w[n - 2]) {
            w.pop();
        }
    }
    let mut silent = 0;
    for suffix in ["ly", "ment", "ful", "less", "ness"] {
        if !ends(&w, suffix) {
            continue;
        }
        let stem = &w[..w.len() - suffix.len()];
        let n = stem.len();
        if n >= 3 && stem[n - 1] == b'e' && !is_vowel(stem[n - 2]) {
            let consonant_le = stem[n - 2] == b'l' && !is_vowel(stem[n - 3]);
            if !consonant_le {
                silent += 1;
            }
        }
    }
    let start = usize::from(w.first() == Some(&b'y'));
    let w = &w[start..];

    let mut count = 0usize;
    let mut in_group = false;
    for &c in w {
        let v = is_vowel(c);
        if v && !in_group {
            count += 1;
        }
        in_group = v;
    }
    count += splits(w);
    count.saturating_sub(silent).max(1)
}

/// Vowel pairs that are two syllables, and endings that add one (see [`syllables`]).
fn splits(w: &[u8]) -> usize {
    let at = |i: usize| w.get(i).copied().unwrap_or(b' ');
    let mut n = 0;
    for i in 0..w.len().saturating_sub(1) {
        let (prev, a, b, next) = (
            if i == 0 { b' ' } else { at(i - 1) },
            at(i),
            at(i + 1),
            at(i + 2),
        );
        n += usize::from(match (a, b) {
            (b'i', b'a') => !matches!(prev, b'c' | b't'),
            (b'i', b'o') => {
                let suffix = matches!(prev, b'c' | b't' | b's' | b'x' | b'g'); // -tion, -sion, …
                let lion = matches!(prev, b'l' | b'n') && next == b'n'; // million, onion
                !(suffix || lion)
            }
            (b'i', b'u') => true,
            (b'u', b'a') => !matches!(prev, b'q' | b'g'),
            (b'u', b'o') => prev != b'q',
            (b'e', b'o') => prev != b'g' && !(prev == b'p' && next == b'p'),
            (b'i', b'e') if next == b'n' => {
                matches!(prev, b'd' | b'l' | b'n' | b'r' | b'v')
                    && !(i >= 2 && &w[i - 2..i] == b"fr")
            }
            (b'i', b'e') if next == b't' => true,
            _ => false,
        });
    }
    let ends = |s: &str| ends(w, s);
    let len = w.len();
    if (ends("ing") || ends("ings")) && len >= 5 {
        let i = if ends("ings") { len - 5 } else { len - 4 };
        n += usize::from(is_vowel(w[i]));
    }
    if (ends("ier") || ends("iest")) && len >= 5 {
        let i = if ends("ier") { len - 4 } else { len - 5 };
        n += usize::from(!is_vowel(w[i]));
    }
    if len >= 4 && (ends("ea") || ends("eas")) {
        n += 1;
    }
    if ["ism", "isms", "ysm", "ysms", "asm", "asms"]
        .iter()
        .any(|s| ends(s))
    {
        n += 1;
    }
    n
}

/// `reading-grade`: a note with both grades for every patient-education page, and a warning
/// for pages above their target. Pages are scored in parallel; findings keep page order.
pub fn check(site: &Site) -> Vec<Finding> {
    site.pages
        .par_iter()
        .filter(|p| is_patient_education(p))
        .flat_map_iter(|page| {
            let target = page
                .education
                .as_ref()
                .and_then(|e| e.reading_grade_target)
                .unwrap_or(site.config.reading_grade_target);
            grade_findings(&page.file, &page.prose, target)
        })
        .collect()
}

/// The reading-grade findings of one page (its file, and its prose as in `Page::prose`)
/// against `target`.
pub fn grade_findings(file: &Path, prose: &str, target: f64) -> Vec<Finding> {
    let Some(analysis) = analyse(prose) else {
        return Vec::new();
    };
    let r = &analysis.readability;
    let mut findings = vec![Finding::new(
        RULE_GRADE,
        Severity::Note,
        Diagnostic::new(
            file,
            format!(
                "reading grade {:.1} (Flesch–Kincaid), SMOG {:.1}; {} in {}; target {target}",
                r.fk_grade,
                r.smog_grade,
                count(r.words, "word"),
                count(r.sentences, "sentence")
            ),
        ),
    )];
    if r.fk_grade > target {
        findings.push(Finding::new(
            RULE_GRADE,
            Severity::Warning,
            Diagnostic::new(
                file,
                format!(
                    "reading grade {:.1} is above the target of {target} (Flesch–Kincaid; SMOG {:.1})",
                    r.fk_grade, r.smog_grade
                ),
            )
            .fix(grade_fix(&analysis)),
        ));
    }
    findings
}

/// What to change: the longest sentences and the hardest words.
fn grade_fix(analysis: &Analysis) -> String {
    let mut fix = String::from("shorten the longest sentences (split them, or cut words):");
    for s in analysis.longest_sentences(LONGEST_SENTENCES) {
        fix.push_str(&format!(
            "\n       - \"{}\" ({} words)",
            quote(s.text),
            s.words
        ));
    }
    let hard: Vec<String> = analysis
        .hardest_words(HARDEST_WORDS)
        .into_iter()
        .map(|(w, n)| format!("{w} ({n})"))
        .collect();
    if !hard.is_empty() {
        fix.push_str(&format!(
            "\n       and use shorter words where you can; the hardest, by syllables: {}",
            hard.join(", ")
        ));
    }
    fix
}

/// `1 word`, `2 words`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A sentence on one line, cut to about [`QUOTE_CHARS`] characters.
fn quote(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= QUOTE_CHARS {
        return one_line;
    }
    let cut: String = one_line.chars().take(QUOTE_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > QUOTE_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

/// `review-overdue`: every education page says who reviewed it and when, and the review is no
/// older than the site's `review_interval_months` at `now`.
pub fn check_reviews(site: &Site, now: jiff::Timestamp) -> Vec<Finding> {
    site.pages
        .iter()
        .filter_map(|page| review_finding(page, site.config.review_interval_months, now))
        .collect()
}

/// When a review done at `last_reviewed` fell due (`interval_months` calendar months later, in
/// UTC), if that is before `now`; `None` while the review is current.
pub fn review_overdue_since(
    last_reviewed: jiff::Timestamp,
    interval_months: u32,
    now: jiff::Timestamp,
) -> Option<jiff::civil::Date> {
    let due = last_reviewed
        .to_zoned(jiff::tz::TimeZone::UTC)
        .checked_add(jiff::Span::new().months(i64::from(interval_months)))
        .ok()?;
    (now > due.timestamp()).then(|| due.date())
}

/// The review finding of one page, if it needs one.
pub fn review_finding(page: &Page, interval_months: u32, now: jiff::Timestamp) -> Option<Finding> {
    let edu = page.education.as_ref()?;
    let warn = |d: Diagnostic| Some(Finding::new(RULE_REVIEW, Severity::Warning, d));
    let Some(reviewed) = &edu.last_reviewed else {
        let who = if edu.reviewed_by.is_some() {
            ""
        } else {
            " or who reviewed it"
        };
        return warn(
            Diagnostic::new(
                &page.file,
                format!("education page does not say when it was last medically reviewed{who}"),
            )
            .at(1, 1)
            .with_source(&page.source)
            .fix("after a clinician has checked the page, add `reviewed_by = \"their-slug\"` and `last_reviewed = YYYY-MM-DD` to the front matter"),
        );
    };
    if edu.reviewed_by.is_none() {
        return warn(
            Diagnostic::new(&page.file, "education page does not say who reviewed it")
                .locate(&page.source, "last_reviewed", 1)
                .fix("add `reviewed_by = \"...\"`: the slug of a person of the site, or a name"),
        );
    }
    let due = review_overdue_since(reviewed.timestamp, interval_months, now)?;
    let months = if interval_months == 1 {
        "1 month".to_string()
    } else {
        format!("{interval_months} months")
    };
    warn(
        Diagnostic::new(
            &page.file,
            format!(
                "last medically reviewed on {}, more than {months} ago (review was due on {})",
                reviewed.display,
                due.strftime("%-d %B %Y")
            ),
        )
        .locate(&page.source, "last_reviewed", 1)
        .fix("ask a clinician to check the page against current practice, then update `last_reviewed` (and `reviewed_by`)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 0.01,
            "expected {expected:.4}, got {actual:.4}"
        );
    }

    #[test]
    fn hand_worked_text_one_short_plain_sentences() {
        // Text: "The scan is quick. You lie on a bed. It does not hurt."
        //
        // Sentences: 3 (three full stops, each followed by a space or the end).
        // Words and syllables, by hand:
        //   The(1) scan(1) is(1) quick(1)          → 4 words, 4 syllables
        //   You(1) lie(1) on(1) a(1) bed(1)        → 5 words, 5 syllables
        //   It(1) does(1) not(1) hurt(1)           → 4 words, 4 syllables
        // Totals: 13 words, 13 syllables, 0 polysyllables.
        //
        // FK   = 0.39 × 13/3 + 11.8 × 13/13 − 15.59
        //      = 1.69 + 11.8 − 15.59               = −2.10
        // SMOG = 1.0430 × √(0 × 30/3) + 3.1291     = 3.1291 → 3.13
        let a = analyse("The scan is quick. You lie on a bed. It does not hurt.").unwrap();
        let r = &a.readability;
        assert_eq!(
            (r.words, r.sentences, r.syllables, r.polysyllables),
            (13, 3, 13, 0)
        );
        close(r.fk_grade, -2.10);
        close(r.smog_grade, 3.13);
    }

    #[test]
    fn hand_worked_text_two_medical_prose_with_a_heading() {
        // Text (two blocks: a heading without a full stop, then a paragraph):
        //   "What is a biopsy?\n\n
        //    A radiologist takes a small sample of tissue with a needle. The laboratory
        //    examines it under a microscope. Results usually take several days."
        //
        // Sentences: 4 ("What is a biopsy?" and three in the paragraph).
        // Words and syllables, by hand (dictionary syllables):
        //   What(1) is(1) a(1) bi-op-sy(3)                                  → 4 words, 6
        //   A(1) ra-di-ol-o-gist(5) takes(1) a(1) small(1) sam-ple(2) of(1)
        //     tis-sue(2) with(1) a(1) nee-dle(2)                            → 11 words, 18
        //   The(1) la-bor-a-to-ry(5) ex-am-ines(3) it(1) un-der(2) a(1)
        //     mi-cro-scope(3)                                               → 7 words, 16
        //   Re-sults(2) u-su-al-ly(4) take(1) sev-er-al(3) days(1)          → 5 words, 11
        // Totals: 27 words, 51 syllables.
        // Polysyllables (≥ 3): biopsy, radiologist, laboratory, examines, microscope,
        //   usually, several → 7.
        //
        // FK   = 0.39 × 27/4 + 11.8 × 51/27 − 15.59
        //      = 0.39 × 6.75 + 11.8 × 1.888889 − 15.59
        //      = 2.6325 + 22.288889 − 15.59        = 9.331389 → 9.33
        // SMOG = 1.0430 × √(7 × 30/4) + 3.1291
        //      = 1.0430 × √52.5 + 3.1291
        //      = 1.0430 × 7.245688 + 3.1291       = 10.686353 → 10.69
        let text = "What is a biopsy?\n\nA radiologist takes a small sample of tissue with a \
                    needle. The laboratory examines it under a microscope. Results usually take \
                    several days.";
        let a = analyse(text).unwrap();
        let r = &a.readability;
        assert_eq!(
            (r.words, r.sentences, r.syllables, r.polysyllables),
            (27, 4, 51, 7)
        );
        close(r.fk_grade, 9.33);
        close(r.smog_grade, 10.69);
        // The formulas on their own, with the same counts.
        close(flesch_kincaid_grade(27, 4, 51), 9.331389);
        close(smog_grade(7, 4), 10.686353);
    }

    #[test]
    fn hand_worked_text_three_abbreviations_numbers_and_decimals() {
        // Text: "Dr. Lee reads the MRI. The scan takes 15 to 30 minutes, e.g. for a knee.
        //        A 2.5 cm lump is small!"
        //
        // Sentences: 3. "Dr." and "e.g." are abbreviations and "2.5" a decimal, so none of
        // their full stops ends a sentence.
        // Words and syllables (numbers, MRI and e.g. as read aloud, one per digit or letter;
        // "Dr" and "cm" are short words, one syllable each):
        //   Dr(1) Lee(1) reads(1) the(1) MRI(3)                          → 5 words, 7
        //   The(1) scan(1) takes(1) 15(2) to(1) 30(2) min-utes(2)
        //     e.g(2) for(1) a(1) knee(1)                                 → 11 words, 15
        //   A(1) 2.5(2) cm(1) lump(1) is(1) small(1)                     → 6 words, 7
        // Totals: 22 words, 29 syllables; polysyllables: MRI → 1.
        //
        // FK   = 0.39 × 22/3 + 11.8 × 29/22 − 15.59
        //      = 2.86 + 15.554545 − 15.59          = 2.824545 → 2.82
        // SMOG = 1.0430 × √(1 × 30/3) + 3.1291
        //      = 1.0430 × 3.162278 + 3.1291       = 6.427356 → 6.43
        let text = "Dr. Lee reads the MRI. The scan takes 15 to 30 minutes, e.g. for a knee. A 2.5 cm lump is small!";
        let a = analyse(text).unwrap();
        let r = &a.readability;
        assert_eq!(a.sentences.len(), 3, "{:?}", a.sentences);
        assert_eq!(
            (r.words, r.sentences, r.syllables, r.polysyllables),
            (22, 3, 29, 1)
        );
        close(r.fk_grade, 2.82);
        close(r.smog_grade, 6.43);
    }

    #[test]
    fn syllables_of_everyday_and_medical_words() {
        let cases = [
            ("a", 1),
            ("the", 1),
            ("scan", 1),
            ("bones", 1),
            ("clothes", 1),
            ("images", 3),
            ("pages", 2),
            ("scanned", 1),
            ("tested", 2),
            ("needed", 2),
            ("make", 1),
            ("table", 2),
            ("simple", 2),
            ("people", 2),
            ("likely", 2),
            ("completely", 3),
            ("careful", 2),
            ("you", 1),
            ("year", 1),
            ("being", 2),
            ("trying", 2),
            ("easier", 3),
            ("area", 3),
            ("idea", 3),
            ("usually", 4),
            ("radiation", 4),
            ("radiologist", 5),
            ("radiographer", 5),
            ("biopsy", 3),
            ("audience", 3),
            ("experience", 4),
            ("friend", 1),
            ("quiet", 2),
            ("anxiety", 4),
            ("special", 2),
            ("physician", 3),
            ("question", 2),
            ("serious", 3),
            ("previous", 3),
            ("conscious", 2),
            ("calcium", 3),
            ("gadolinium", 5),
            ("pneumothorax", 4),
            ("pneumonia", 4),
            ("ultrasound", 3),
            ("mammogram", 3),
            ("anaesthetic", 4),
            ("haemorrhage", 3),
            ("oedema", 3),
            ("intravenous", 4),
            ("metastases", 4),
            ("embolism", 4),
            ("aneurysm", 4),
            ("neoplasm", 4),
            ("iodinated", 5),
            ("claustrophobia", 5),
            ("technique", 2),
            ("video", 3),
            ("X-ray", 2),
            ("image-guided", 4),
            ("MRI", 3),
            ("CTs", 2),
            ("PET", 1),
            ("don't", 1),
            ("100", 3),
            ("T2", 2),
            ("3rd", 1),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(w, n)| syllables(w) != *n)
            .map(|(w, n)| format!("{w}: expected {n}, got {}", syllables(w)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn sentences_split_at_terminal_punctuation_only() {
        assert_eq!(
            split_sentences("It is 3.2 cm wide. Dr. Khan, i.e. the radiologist, saw it! Ask why?"),
            [
                "It is 3.2 cm wide.",
                "Dr. Khan, i.e. the radiologist, saw it!",
                "Ask why?"
            ]
        );
        // Blocks are sentences even without a full stop; quotes stay with their sentence.
        assert_eq!(
            split_sentences("How do I prepare\n\nShe said \"stop.\" Then left"),
            ["How do I prepare", "She said \"stop.\"", "Then left"]
        );
        // A lower-case word after a full stop continues the sentence.
        assert_eq!(
            split_sentences("Wait approx. two hours."),
            ["Wait approx. two hours."]
        );
        assert_eq!(
            split_sentences("See J. Smith. Then go."),
            ["See J. Smith.", "Then go."]
        );
    }

    fn ts(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn review_is_overdue_after_the_interval_in_calendar_months() {
        let reviewed = ts("2025-11-23T00:00:00Z");
        // Due exactly twelve months later: not overdue on the day, overdue just after.
        assert_eq!(
            review_overdue_since(reviewed, 12, ts("2026-11-23T00:00:00Z")),
            None
        );
        assert_eq!(
            review_overdue_since(reviewed, 12, ts("2026-11-23T00:00:01Z")),
            Some(jiff::civil::date(2026, 11, 23))
        );
        assert_eq!(
            review_overdue_since(reviewed, 12, ts("2026-06-01T00:00:00Z")),
            None
        );
        // A shorter interval: six months after 31 August is the end of February.
        let reviewed = ts("2025-08-31T00:00:00Z");
        assert_eq!(
            review_overdue_since(reviewed, 6, ts("2026-03-01T00:00:00Z")),
            Some(jiff::civil::date(2026, 2, 28))
        );
    }

    #[test]
    fn warning_only_above_the_target() {
        // 12 words, 1 sentence; syllables: The(1) radiologist(5) will(1) look(1) at(1) every(3)
        // picture(2) and(1) then(1) write(1) a(1) report(2) = 20; polysyllables 2.
        // FK = 0.39 × 12 + 11.8 × 20/12 − 15.59 = 4.68 + 19.666667 − 15.59 = 8.756667 → 8.8
        // SMOG = 1.0430 × √(2 × 30/1) + 3.1291 = 1.0430 × 7.745967 + 3.1291 = 11.208143 → 11.2
        let prose = "The radiologist will look at every picture and then write a report.";
        let file = Path::new("content/education/x.md");
        let at = |target: f64| -> Vec<(Severity, String)> {
            grade_findings(file, prose, target)
                .into_iter()
                .map(|f| (f.severity, f.diagnostic.message))
                .collect()
        };
        let below = at(9.0);
        assert_eq!(below.len(), 1);
        assert_eq!(below[0].0, Severity::Note);
        assert_eq!(
            below[0].1,
            "reading grade 8.8 (Flesch–Kincaid), SMOG 11.2; 12 words in 1 sentence; target 9"
        );
        let above = grade_findings(file, prose, 8.5);
        assert_eq!(above.len(), 2);
        assert_eq!(above[1].severity, Severity::Warning);
        assert_eq!(
            above[1].diagnostic.message,
            "reading grade 8.8 is above the target of 8.5 (Flesch–Kincaid; SMOG 11.2)"
        );
        let fix = above[1].diagnostic.fix.as_deref().unwrap();
        assert!(
            fix.contains(
                "\"The radiologist will look at every picture and then write a report.\" (12 words)"
            ),
            "{fix}"
        );
        assert!(
            fix.contains("radiologist (5), every (3), picture (2), report (2), write (1)"),
            "{fix}"
        );
        assert!(grade_findings(file, "", 8.0).is_empty());
    }

    /// The checks on a whole site: only patient pages are graded and searched for jargon;
    /// every education page is checked for its review date.
    #[test]
    fn site_checks_end_to_end() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://t.example\"\nreading_grade_target = 6\n\
             review_interval_months = 6\n",
        );
        write(
            "plain-language.toml",
            "[[term]]\nword = \"scan\"\nplain = \"picture\"\n",
        );
        let page = |audience: &str, review: &str, body: &str| {
            format!(
                "+++\ntitle = \"P\"\ndate = 2020-01-01\naudience = \"{audience}\"\n{review}+++\n{body}"
            )
        };
        let reviewed = "reviewed_by = \"Dr Lee\"\nlast_reviewed = 2020-02-01\n";
        write(
            "content/education/patients.md",
            &page(
                "patient",
                reviewed,
                "## Intro\n\nA bilateral lesion was seen on the scan.\n",
            ),
        );
        write(
            "content/education/clinicians.md",
            &page(
                "clinician",
                "",
                "A bilateral lesion was seen on the scan.\n",
            ),
        );
        let findings = crate::check(
            root,
            crate::Publish {
                drafts: false,
                future: false,
            },
        )
        .unwrap();
        let got: Vec<String> = findings
            .iter()
            .map(|f| {
                let d = &f.diagnostic;
                format!(
                    "{} {}:{} {:?} {}",
                    d.file.display(),
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    f.severity,
                    f.rule
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "content/education/clinicians.md 1:1 Warning review-overdue",
                "content/education/patients.md 0:0 Note reading-grade",
                "content/education/patients.md 6:1 Warning review-overdue",
                "content/education/patients.md 10:3 Warning jargon",
                "content/education/patients.md 10:13 Warning jargon",
                "content/education/patients.md 10:36 Warning jargon",
            ]
        );
        // The site's target applies when the page sets none.
        assert!(findings[1].diagnostic.message.ends_with("target 6"));
        let overdue = &findings[2].diagnostic;
        assert!(
            overdue
                .message
                .starts_with("last medically reviewed on 1 February 2020, more than 6 months ago (review was due on 1 August 2020)"),
            "{}",
            overdue.message
        );
        assert_eq!(
            findings[5].diagnostic.fix.as_deref(),
            Some("say \"picture\" instead")
        );
    }

    #[test]
    fn words_skip_punctuation_and_split_dashes() {
        let words: Vec<&str> =
            split_words("Hello — a (small) 15–30 and/or \"quoted\" x-ray, …").collect();
        assert_eq!(
            words,
            [
                "Hello", "a", "small", "15", "30", "and", "or", "quoted", "x-ray"
            ]
        );
        assert!(analyse("  — … \n\n ** ").is_none());
    }

    #[test]
    fn longest_sentences_and_hardest_words() {
        let a = analyse(
            "Short one. This sentence is clearly the longest of them all here. A medium sentence here. \
             An MRI and 2026 are not hard words. Radiologists read examinations.",
        )
        .unwrap();
        let longest: Vec<usize> = a.longest_sentences(2).iter().map(|s| s.words).collect();
        assert_eq!(longest, [10, 8]);
        let hard = a.hardest_words(3);
        assert_eq!(
            hard,
            [
                ("examinations".to_string(), 5),
                ("radiologists".to_string(), 5),
                ("medium".to_string(), 3)
            ]
        );
        assert_eq!(quote(&"word ".repeat(40)).chars().count(), 100);
        assert!(quote(&"word ".repeat(40)).ends_with("word…"));
    }
}
