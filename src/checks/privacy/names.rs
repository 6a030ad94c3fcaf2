//! Personal names found by lexicon, not by a context word: a run of capitalised words is a name
//! when the name lists (`data/`) say its words are a given name and a surname, in either order,
//! in capitals, with a comma after the surname, or with initials; a lone given name that is no
//! everyday word counts too. The safe lists (eponyms, the field's pioneers, institutions, places,
//! the site's own people) and the words around a run (a clinician's title before, "fracture" or
//! "Hospital" after) say when it is not a patient.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::rules::Hit;

pub const RULE: &str = "patient-name";

struct Lexicon {
    given: FxHashSet<String>,
    surnames: FxHashSet<String>,
    /// Surnames by frequency (0 for the most common); names of other lists rank after them.
    rank: rustc_hash::FxHashMap<String, u32>,
    /// Everyday English words: a name that is one too ("may", "hill") is a name only beside
    /// another name, and a capitalised word that is one is no unknown surname.
    english: FxHashSet<String>,
    safe: FxHashSet<String>,
    eponyms: FxHashSet<String>,
    /// Given names that are places too: no finding alone.
    places: FxHashSet<String>,
    /// Cities and towns (GeoNames, 5,000 inhabitants or more), folded, Han and Hangul as written.
    towns: FxHashSet<String>,
    /// Cities of a million inhabitants or more: a conference's city, no one's identifier alone.
    large: FxHashSet<String>,
    after: FxHashSet<String>,
    before: FxHashSet<String>,
    /// Participles after which "by" names an author or a clinician ("described by").
    credit: FxHashSet<String>,
    /// Roles after a name that make it a colleague's ("…, our lead radiographer").
    role: FxHashSet<String>,
    stop: FxHashSet<String>,
    /// States, provinces and nations ("Boston, Massachusetts" is no "Surname, Given").
    regions: FxHashSet<String>,
}

fn words(data: &str) -> impl Iterator<Item = String> + '_ {
    data.lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(fold)
}

/// A word in lower case without its accents ("Pádraig" is "padraig"), as the lists hold it.
fn fold(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lines of `name-neighbours.txt` that start with `key` and a tab.
fn keyed<'a>(data: &'a str, key: &'a str) -> impl Iterator<Item = String> + 'a {
    data.lines()
        .filter_map(move |l| l.strip_prefix(key)?.strip_prefix('\t'))
        .flat_map(str::split_whitespace)
        .map(fold)
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let neighbours = include_str!("data/name-neighbours.txt");
    let mut given: FxHashSet<String> = words(include_str!("data/given-names.txt")).collect();
    given.extend(words(include_str!("data/given-names-extra.txt")));
    let towns: FxHashSet<String> = include_str!("data/places.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(fold)
        .collect();
    // A given name only the world lists hold that is also a town ("Bristol") is a place alone.
    let mut places: FxHashSet<String> = words(include_str!("data/given-places.txt")).collect();
    for w in words(include_str!("data/given-names-world.txt")) {
        if !given.contains(&w) && towns.contains(&w) {
            places.insert(w.clone());
        }
        given.insert(w);
    }
    let mut surnames: FxHashSet<String> = FxHashSet::default();
    let mut rank = rustc_hash::FxHashMap::default();
    for (i, w) in words(include_str!("data/surnames.txt")).enumerate() {
        rank.entry(w.clone()).or_insert(i as u32);
        surnames.insert(w);
    }
    surnames.extend(words(include_str!("data/surnames-extra.txt")));
    surnames.extend(words(include_str!("data/surnames-world.txt")));
    // Particles ("de", "van", "al") join names; they are no name on their own.
    for p in PARTICLES {
        surnames.remove(*p);
    }
    Lexicon {
        given,
        surnames,
        rank,
        english: words(include_str!("data/english-words.txt")).collect(),
        safe: words(include_str!("data/safe-words.txt")).collect(),
        eponyms: words(include_str!("data/eponyms.txt")).collect(),
        places,
        towns,
        large: include_str!("data/cities-large.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(fold)
            .collect(),
        after: keyed(neighbours, "after").collect(),
        before: keyed(neighbours, "before").collect(),
        credit: keyed(neighbours, "credit").collect(),
        role: keyed(neighbours, "role").collect(),
        stop: words(include_str!("data/stop-words.txt")).collect(),
        regions: include_str!("data/regions.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(fold)
            .collect(),
    }
});

/// A file-name word that glues an initial to a surname ("jsmith", "crabtreel"): the surname of
/// the lists, five letters or more, no everyday word.
pub fn glued_name(word: &str) -> bool {
    let w = fold(word);
    if w.chars().count() < 6 || !w.chars().all(char::is_alphabetic) {
        return false;
    }
    let lex = &*LEXICON;
    // Only surnames common enough that a medical word is unlikely to end in one by chance
    // ("aortic" is no "a" + "ortic"), or of the added lists and six letters or more.
    let surname = |s: &str| {
        let n = s.chars().count();
        n >= 5
            && lex.surnames.contains(s)
            && lex.rank.get(s).map_or(n >= 6, |&r| r < 3_000)
            && !lex.english.contains(s)
            && !lex.eponyms.contains(s)
    };
    let given =
        |s: &str| s.chars().count() >= 4 && lex.given.contains(s) && !lex.english.contains(s);
    let first = w.chars().next().map_or(0, char::len_utf8);
    let last = w.chars().next_back().map_or(0, char::len_utf8);
    if lex.english.contains(&w) || lex.surnames.contains(&w) || lex.given.contains(&w) {
        return false;
    }
    // An initial and a surname ("jsmith", "crabtreel"), or a surname and a given name
    // ("frostjessica").
    // A trailing initial only in capitals ("CRABTREEL"): "coronal" is no "corona" + "l".
    let caps = word.chars().all(|c| !c.is_lowercase());
    surname(&w[first..])
        || caps && surname(&w[..w.len() - last])
        || w.char_indices().skip(4).any(|(i, _)| {
            let (a, b) = w.split_at(i);
            (surname(a) && given(b)) || (given(a) && surname(b))
        })
}

/// A tag that names a person or a town: a surname or given name of the lists in lower case
/// ("kariuki"), or a capitalised word, no English word, eponym, safe word or region
/// ("Dumaguete", "Trois-Rivières").
pub fn proper_tag(tag: &str) -> bool {
    if tag.contains(' ') || tag.chars().count() < 4 || tag.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let w = look_up(tag);
    let lower = tag.chars().all(|c| c.is_lowercase() || c == '-');
    let title = tag.starts_with(char::is_uppercase)
        && tag.chars().skip(1).all(|c| c.is_lowercase() || c == '-');
    let plain = !w.common
        && !w.eponym
        && !w.safe
        && !w.stop
        && !LEXICON.regions.contains(&fold(tag))
        && !LEXICON.large.contains(&fold(tag));
    plain && ((lower && (w.surname || w.given) && w.rank > 200) || title)
}

/// A file-name word that is a surname on its own ("consent-kaya-….pdf"): of the lists, four
/// letters or more, no everyday word, eponym, place or safe word.
pub fn lone_surname(word: &str) -> bool {
    let w = look_up(word);
    word.chars().count() >= 4
        && w.surname
        && !w.common
        && !w.eponym
        && !w.safe
        && !w.place
        && !w.stop
        && w.rank < 3_000
}

/// The words after a name make it a colleague's: ", consultant radiographer", " (physicist)".
pub fn colleague_after(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.starts_with([',', '(', '-', '–'])
        && rest
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .take(4)
            .any(|w| LEXICON.role.contains(&w.to_lowercase()))
}

/// A city or town of the gazetteer ("Zwolle", "Trois-Rivières", "豊橋市").
pub fn is_town(name: &str) -> bool {
    LEXICON.towns.contains(&fold(name.trim()))
}

/// A word of a URL (a slug, an alias, a tag) that is a given name or a surname of the lists,
/// however rare, and no everyday word, eponym, safe word or function word: "nakamura",
/// "santoro", "amrani".
pub fn url_name(word: &str) -> bool {
    let w = look_up(word);
    word.chars().count() >= 4
        && (w.surname || w.given)
        && !w.common
        && !w.eponym
        && !w.safe
        && !w.stop
        && !w.place
        && !MEDICAL.contains(&fold(word).as_str())
}

/// Words of radiology's URLs that the world's name lists hold too.
const MEDICAL: &[&str] = &[];

/// A user name or a handle: letters (a name of the lists, or an initial glued to one) and then
/// digits or an underscore ("mmorningstar52", "cferrante_73", "gtremblay_93").
pub fn user_name(word: &str) -> bool {
    let letters = word.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
    if letters.len() == word.len() || letters.chars().count() < 4 {
        return false;
    }
    let parts: Vec<&str> = letters
        .split(['_', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    parts.iter().any(|p| glued_name(p) || url_name(p))
}

/// A maker, institution, place or pioneer that radiology pages name ("Siemens").
pub fn is_safe(word: &str) -> bool {
    look_up(word).safe
}

/// A given name or a surname of the lists that is no everyday word.
pub fn is_known_name(word: &str) -> bool {
    let w = look_up(word);
    w.name() && !w.common
}

/// A state, province or nation ("Ontario", "Australia"): larger than what Safe Harbor removes.
pub fn is_region(name: &str) -> bool {
    LEXICON.regions.contains(&fold(name.trim()))
}

/// An everyday English word ("March", "Reading"), in any case.
pub fn is_common(word: &str) -> bool {
    LEXICON.english.contains(&fold(word))
}

/// A function word or a heading noun ("The", "Safety"), in any case.
pub fn is_stop(word: &str) -> bool {
    LEXICON.stop.contains(&word.to_lowercase())
}

/// An eponym ("Crohn", "Hodgkin's").
pub fn is_eponym(word: &str) -> bool {
    look_up(word).eponym
}

/// A given name of the lists that is no everyday word.
pub fn is_first_name(word: &str) -> bool {
    let w = look_up(word);
    w.given && !w.common && !w.stop
}

/// What the lists say of one word.
#[derive(Clone, Copy)]
struct Word {
    given: bool,
    surname: bool,
    common: bool,
    safe: bool,
    eponym: bool,
    place: bool,
    stop: bool,
    /// The surname's place in the Census list by frequency (`u32::MAX` when not in it).
    rank: u32,
}

impl Word {
    fn name(self) -> bool {
        (self.given || self.surname) && !self.stop
    }
}

fn look_up(word: &str) -> Word {
    let lex = &*LEXICON;
    let w = fold(
        word.trim_end_matches(['\'', '’'])
            .trim_end_matches("'s")
            .trim_end_matches("’s"),
    );
    // A hyphenated word is a given name or a surname when each part is ("Mary-Jane",
    // "Smith-Jones"), and an everyday word when any part is ("X-ray").
    let parts = || w.split('-').filter(|p| !p.is_empty());
    let hyphen = w.contains('-');
    Word {
        given: lex.given.contains(&w) || hyphen && parts().all(|p| lex.given.contains(p)),
        surname: lex.surnames.contains(&w)
            || hyphen
                && parts().all(|p| lex.surnames.contains(p) || lex.given.contains(p))
                && parts().any(|p| lex.surnames.contains(p) && !lex.given.contains(p)),
        common: lex.english.contains(&w)
            || hyphen && parts().any(|p| lex.english.contains(p) || p.chars().count() < 2),
        rank: lex.rank.get(&w).copied().unwrap_or(u32::MAX),
        safe: lex.safe.contains(&w),
        eponym: lex.eponyms.contains(&w) || parts().all(|p| lex.eponyms.contains(p)),
        place: lex.places.contains(&w),
        stop: lex.stop.contains(&w),
    }
}

/// A word of the text: letters with inner apostrophes and hyphens.
#[derive(Clone, Copy)]
struct Token<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl Token<'_> {
    fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
    fn all_caps(&self) -> bool {
        self.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !self.text.chars().any(char::is_lowercase)
    }
    /// A single capital, as in "J." or "A".
    fn initial(&self) -> bool {
        self.text.chars().count() == 1 && self.capitalised()
    }
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner = (c == '\'' || c == '’' || c == '-')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || inner {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Token {
                start: s,
                end: i,
                text: &text[s..i],
            });
        }
    }
    if let Some(s) = start {
        out.push(Token {
            start: s,
            end: text.len(),
            text: &text[s..],
        });
    }
    out
}

/// Lower-case particles inside a name ("van der Berg", "da Silva").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "la", "le", "da", "di", "dos", "das", "du",
    "bin", "binti", "ibn", "al", "el", "ter", "ten", "y", "mac", "ni", "ó", "o",
];

/// Credentials after a name that make it a clinician's.
const CREDENTIALS: &[&str] = &[
    "md", "do", "mbbs", "mbchb", "frcr", "frcp", "frcs", "phd", "facr", "rn", "np", "pa", "msc",
    "bsc", "mph", "dmrd", "franzcr", "frcpc", "dabr", "rt", "rdms", "rvt", "ms", "mba",
];

/// Names in `text` that no context word announced. `known` holds the lower-case words of the
/// site's own people (never a finding here).
pub fn scan(text: &str, known: &FxHashSet<String>) -> Vec<Hit> {
    let toks = tokens(text);
    let mut hits = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if !t.capitalised() || t.initial() {
            i += 1;
            continue;
        }
        // The run: capitalised words (and initials, particles) joined by blanks only.
        let mut j = i + 1;
        while j < toks.len() && j - i < 5 {
            let gap = &text[toks[j - 1].end..toks[j].start];
            let prev_initial = toks[j - 1].initial();
            // "Brown C. Interobserver agreement": an initial after a surname ends an author's
            // name; "W. Delgado" and "J. D. Smith" go on.
            let author_initial =
                prev_initial && j >= i + 2 && !toks[j - 2].initial() && matches!(gap, ". " | ".");
            if author_initial {
                break;
            }
            let joined = gap.chars().all(|c| c == ' ' || c == '\t')
                || (prev_initial && matches!(gap, ". " | "."));
            let next = toks[j];
            // "John Radcliffe Hospital": an institution's or an eponym's noun ends the run (and
            // then says what the run is).
            if LEXICON.after.contains(&next.text.to_lowercase()) {
                break;
            }
            // "Overlay JOHN SMITH": a change between capitals and title case ends the run.
            let prev = toks[j - 1];
            if !prev.initial() && !next.initial() && prev.all_caps() != next.all_caps() {
                break;
            }
            let fits = next.capitalised()
                || (PARTICLES.contains(&next.text)
                    && toks.get(j + 1).is_some_and(|n| n.capitalised()));
            if !joined || gap.is_empty() || !fits {
                break;
            }
            j += 1;
        }
        let run = &toks[i..j];
        if let Some(hit) = judge_run(text, &toks, i, run, known) {
            hits.push(hit);
        } else if let Some(hit) = surname_comma_given(text, &toks, i, known)
            .or_else(|| surname_comma_given(text, &toks, j - 1, known))
            .or_else(|| caps_surname_given(text, &toks, j - 1, known))
        {
            hits.push(hit);
            j = j.max(i + 2);
        }
        i = j;
    }
    hits.extend(initials(text));
    // The people of a history page ("his wife Anna Bertha", "his colleague Tom Brown").
    hits.retain(|h| !super::rules::history(text, h.start, h.end));
    hits.extend(handles(text));
    hits.extend(cjk_names(text));
    hits
}

/// Japanese, Chinese and Korean names in a page written mostly in other scripts: a run of Han
/// characters or Hangul syllables, standing alone, that starts with a surname of
/// `data/names-cjk.txt` ("伊藤 勇", "高橋健二", "김민준"). In a page written in these scripts the
/// labels find names (`structure`), not this.
pub fn cjk_names(text: &str) -> Vec<Hit> {
    static SURNAMES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
        include_str!("data/names-cjk.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::trim)
            .collect()
    });
    static RUN: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\p{Han}{1,3}[ \u{3000}]?\p{Han}{1,3}|\p{Hangul}{2,4}").expect("cjk run")
    });
    let mut hits = Vec::new();
    // Han, kana and Hangul are all three bytes in UTF-8, led by 0xE3 to 0xED.
    if !text.bytes().any(|b| (0xE3..=0xED).contains(&b)) {
        return hits;
    }
    let cjk = text
        .chars()
        .filter(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}'))
        .count();
    if cjk == 0 || cjk * 3 > text.chars().count() {
        return hits;
    }
    let uncased = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}');
    for m in RUN.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        if before.is_some_and(uncased) || after.is_some_and(uncased) {
            continue;
        }
        let run = m.as_str();
        let spaced = run.contains([' ', '\u{3000}']);
        let chars: Vec<char> = run.chars().filter(|c| !c.is_whitespace()).collect();
        let hangul = chars[0] >= '\u{ac00}';
        let named = (1..=2.min(chars.len() - 1)).any(|n| {
            let surname: String = chars[..n].iter().collect();
            SURNAMES.contains(surname.as_str()) && (n == 2 || spaced || hangul)
        });
        if named {
            hits.push(Hit {
                rule: RULE,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    hits
}

/// Handles and user names: "@cferrante_73" (a handle with digits or a name of the lists in it),
/// "mmorningstar52" (a name and digits).
pub fn handles(text: &str) -> Vec<Hit> {
    // Letters and then digits or an underscore ("mmorningstar52", "cferrante_73").
    static NUMBERED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"[A-Za-z][A-Za-z_.]*[A-Za-z][0-9_][A-Za-z0-9_]*").expect("numbered")
    });
    // "Uploaded by user rkb_22", "his username ralbuquerque": a user name after its label.
    static LABELLED: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?i:\b(?:user|username|user name|login|nickname|screen name))[ \t]+([a-z0-9_.]{4,})",
        )
        .expect("labelled")
    });
    let mut hits = Vec::new();
    let word_char = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '@';
    let alone = |start: usize, end: usize| {
        !text[..start].chars().next_back().is_some_and(word_char)
            && !text[end..]
                .chars()
                .next()
                .is_some_and(|c| word_char(c) && c != '.')
    };
    let mut push = |start: usize, end: usize| {
        hits.push(Hit {
            rule: RULE,
            start,
            end,
        })
    };
    // "@cferrante_73": a handle with digits or a name of the lists in it (an email address is
    // the email rule's business).
    for (at, _) in text.match_indices('@') {
        let handle = &text[at + 1..];
        let len = handle
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(handle.len());
        let word = handle[..len].trim_end_matches('.');
        let before = text[..at].chars().next_back();
        if word.len() < 3 || before.is_some_and(|c| c.is_alphanumeric() || c == '.') {
            continue;
        }
        if word.contains('.') && !word.contains('_') {
            continue;
        }
        let named = word.bytes().any(|b| b.is_ascii_digit())
            || word.split(['_', '.']).any(|p| glued_name(p) || url_name(p));
        if named {
            push(at, at + 1 + word.len());
        }
    }
    for m in NUMBERED.find_iter(text) {
        if alone(m.start(), m.end()) && user_name(m.as_str()) {
            push(m.start(), m.end());
        }
    }
    for c in LABELLED.captures_iter(text) {
        let m = c.get(1).expect("name");
        let end = m.start() + m.as_str().trim_end_matches('.').len();
        if alone(m.start(), end) {
            push(m.start(), end);
        }
    }
    hits
}

/// "BENALI Hervé", "GROSSMANN Lukas": a surname in capitals, then a given name of the lists.
fn caps_surname_given(
    text: &str,
    toks: &[Token],
    i: usize,
    known: &FxHashSet<String>,
) -> Option<Hit> {
    let (a, b) = (toks[i], *toks.get(i + 1)?);
    let gap = &text[a.end..b.start];
    if !(gap == " " || gap == "\t") || !a.all_caps() || b.all_caps() || !b.capitalised() {
        return None;
    }
    let (wa, wb) = (look_up(a.text), look_up(b.text));
    let is_known = known.contains(&a.text.to_lowercase()) || known.contains(&b.text.to_lowercase());
    let surname_like = (wa.surname || !wa.common) && !wa.stop && !wa.safe && !wa.eponym;
    (!is_known
        && surname_like
        && a.text.chars().count() >= 3
        && wb.given
        && !wb.common
        && !wb.stop
        && !wb.place)
        .then_some(Hit {
            rule: RULE,
            start: a.start,
            end: b.end,
        })
}

/// "GARCIA, Maria" or "Okonkwo, Chidi": a surname, a comma, a given name.
fn surname_comma_given(
    text: &str,
    toks: &[Token],
    i: usize,
    known: &FxHashSet<String>,
) -> Option<Hit> {
    let (a, b) = (toks[i], *toks.get(i + 1)?);
    let gap = &text[a.end..b.start];
    if !matches!(gap, ", " | ",") || !b.capitalised() || b.initial() {
        return None;
    }
    let (wa, wb) = (look_up(a.text), look_up(b.text));
    let is_known = known.contains(&a.text.to_lowercase()) || known.contains(&b.text.to_lowercase());
    if is_known || wa.safe || wb.safe || wa.stop || wb.stop || wa.eponym {
        return None;
    }
    // "Smith TE, Brown ES" (a reference list's initials) and "FLAIR, DWI" (acronyms): a word of
    // three capitals or fewer is no given name or surname here.
    let short_caps = |t: &Token| t.all_caps() && t.text.chars().count() <= 3;
    if short_caps(&a) || short_caps(&b) || CREDENTIALS.contains(&a.text.to_lowercase().as_str()) {
        return None;
    }
    // The given name must be one, and no everyday word; the surname a surname or in capitals.
    // Or a surname of the lists that is no everyday word before an unknown capitalised word
    // ("Hargreaves, Nasreen"), and both in capitals ("PAPPAS, SHARON").
    let surname_like = wa.surname || (a.all_caps() && !wa.common && a.text.len() > 2);
    let unknown_given = !wb.common
        && !wb.surname
        && !wb.stop
        && b.text.chars().count() >= 3
        && !LEXICON.regions.contains(&fold(b.text));
    let strong_surname = wa.surname && !wa.common && !wa.place;
    let both_caps = a.all_caps() == b.all_caps();
    let given_ok = (wb.given && (!wb.common || !wa.common)) || (strong_surname && unknown_given);
    (given_ok && surname_like && (both_caps || !b.all_caps())).then_some(Hit {
        rule: RULE,
        start: a.start,
        end: b.end,
    })
}

fn judge_run(
    text: &str,
    toks: &[Token],
    i: usize,
    run: &[Token],
    known: &FxHashSet<String>,
) -> Option<Hit> {
    let lex = &*LEXICON;
    let names: Vec<(Token, Word)> = run
        .iter()
        .filter(|t| {
            !t.initial() && t.capitalised() && !PARTICLES.contains(&t.text.to_lowercase().as_str())
        })
        .map(|t| (*t, look_up(t.text)))
        .collect();
    if names.is_empty()
        || names.iter().any(|(t, w)| {
            w.safe || w.stop && names.len() == 1 || known.contains(&t.text.to_lowercase())
        })
    {
        return None;
    }
    // The words around the run.
    let before = i.checked_sub(1).map(|k| toks[k]);
    if let Some(b) = before {
        let gap = &text[b.end..run[0].start];
        let lower = b.text.to_lowercase();
        // "at the Royal Lancaster", "the Mayo": "the" names a place or an institution.
        if gap == " " && b.text == "the" {
            return None;
        }
        if gap.trim().is_empty() || gap.trim() == "." {
            if lex.before.contains(&lower) || lex.before.contains(&format!("{lower}.")) {
                return None;
            }
            // "described by Felix Fleischner", "approved by Rohan Mehta".
            if lower == "by" && i >= 2 && lex.credit.contains(&toks[i - 2].text.to_lowercase()) {
                return None;
            }
            // "University of Virginia", "the Hospital of Saint Mary".
            if lower == "of" && i >= 2 && lex.after.contains(&toks[i - 2].text.to_lowercase()) {
                return None;
            }
        }
    }
    let last = run.last().expect("a run has a word");
    if let Some(next) = toks.get(i + run.len()) {
        let gap = &text[last.end..next.start];
        let lower = next.text.to_lowercase();
        let near = gap
            .chars()
            .all(|c| c == ' ' || c == '\t' || c == '\'' || c == '’' || c == 's');
        if near && lex.after.contains(&lower) {
            return None;
        }
        if gap.trim_start().starts_with(',') && CREDENTIALS.contains(&lower.as_str()) {
            return None;
        }
        // "Yuki Tanabe, our lead radiographer", "Tom Brown (physicist)": a colleague.
        let k = i + run.len();
        if gap.trim_start().starts_with([',', '(', '-', '–'])
            && toks[k..(k + 4).min(toks.len())]
                .iter()
                .any(|t| lex.role.contains(&t.text.to_lowercase()))
        {
            return None;
        }
        if near && CREDENTIALS.contains(&lower.as_str()) && next.all_caps() {
            return None;
        }
    }
    // A possessive eponym or a run made of eponyms ("Budd Chiari", "Hill Sachs").
    if names.iter().all(|(_, w)| w.eponym || !w.name()) {
        return None;
    }
    let caps = names.iter().all(|(t, _)| t.all_caps());
    let span = |from: &Token, to: &Token| Hit {
        rule: RULE,
        start: from.start,
        end: to.end,
    };
    if names.len() >= 2 {
        // Any two neighbouring words of the run that make a name, and the name words after them
        // ("Maria Luisa Gonzalez Perez").
        let unknown = |w: Word, t: &Token| {
            !w.common && !w.stop && !w.given && !w.surname && t.text.chars().count() >= 3
        };
        for k in 0..names.len() - 1 {
            let ((a, wa), (b, wb)) = (names[k], names[k + 1]);
            // A name word that is no everyday word: a given name or a surname of the lists.
            let strong = |w: Word| w.name() && !w.common && !w.eponym;
            // "San Diego", "St Albans", "Mount Sinai": a place; "Dr Henrik Østergaard": a
            // clinician.
            if LEXICON.before.contains(&a.text.to_lowercase()) {
                continue;
            }
            if k > 0 && LEXICON.before.contains(&names[k - 1].0.text.to_lowercase()) {
                return None;
            }
            // "Congrès de Paris": a great city is no surname here.
            if LEXICON.large.contains(&fold(b.text)) || LEXICON.large.contains(&fold(a.text)) {
                continue;
            }
            let pair = if caps {
                // "JOHN SMITH" or "SMITH JOHN", no short acronym among them; or a name word of
                // the lists beside an unknown word of four letters or more ("THEMBA NDLOVU").
                let long = |t: &Token, n: usize| t.text.chars().count() >= n;
                (wa.name()
                    && wb.name()
                    && long(&a, 3)
                    && long(&b, 3)
                    && ((wa.given && wb.surname) || (wa.surname && wb.given)))
                    || (strong(wa) && long(&a, 3) && unknown(wb, &b) && long(&b, 4))
                    || (unknown(wa, &a) && long(&a, 4) && strong(wb) && long(&b, 3))
            } else {
                // "Maria Gonzalez", "Priya Venkataraman": a given name, then a surname or an
                // unknown capitalised word; one of them no everyday word. Or an unknown word
                // before a surname ("Lachlan Wolfe"), or a surname before a given name.
                // An everyday word before an unknown one ("Us Dermoid") is no name.
                let given_first = wa.given
                    && !wa.eponym
                    && !wa.stop
                    && ((wb.surname && (!wa.common || !wb.common))
                        || (unknown(wb, &b) && !wa.common))
                    && !wb.stop;
                let unknown_first = unknown(wa, &a) && strong(wb) && wb.surname;
                let common_surname = |w: Word| w.surname && !w.common && w.rank <= 500;
                let surname_first = (strong(wa) || common_surname(wa))
                    && wa.surname
                    && !wa.given
                    && wb.given
                    && !wb.common;
                // "Duc Anh", "Mary Jane": two given names.
                let given_given = strong(wa) && wa.given && strong(wb) && wb.given && !wb.place;
                given_first || unknown_first || surname_first || given_given
            };
            if pair {
                let mut last = (b, wb);
                let mut count = 2;
                for (t, w) in &names[k + 2..] {
                    if w.stop || !(w.name() || unknown(*w, t)) {
                        break;
                    }
                    last = (*t, *w);
                    count += 1;
                }
                // The person an eponym is named after ("Rudolf Virchow", "William Morrant
                // Baker"): a full name whose surname is an eponym, unless the surname is one of
                // the most common ones ("John Smith").
                if last.1.eponym && (count >= 3 || last.1.rank > 500) {
                    return None;
                }
                return Some(span(&a, &last.0));
            }
        }
    }
    // One word: a given name that is no everyday word, no common surname, no place and no
    // eponym, wherever it stands in the run ("Call Harjeet", "Kees prefers").
    for (k, (t, w)) in names.iter().enumerate() {
        // "St Mary's", "Dr Priya": a place or a clinician.
        let after_title = k > 0 && LEXICON.before.contains(&names[k - 1].0.text.to_lowercase());
        // "Hassan KE," in a reference list: an author with initials.
        let author = toks
            .iter()
            .position(|x| x.start == t.start)
            .and_then(|p| toks.get(p + 1))
            .is_some_and(|n| {
                n.start == t.end + 1
                    && (1..=3).contains(&n.text.chars().count())
                    && n.text.chars().all(char::is_uppercase)
                    && text[n.end..].starts_with([',', '.'])
            });
        if w.given
            && !after_title
            && !author
            && !LEXICON.large.contains(&fold(t.text))
            && (!w.surname || (w.rank != u32::MAX && w.rank > 5_000))
            && !w.stop
            && !w.common
            && !w.place
            && !w.eponym
            && !t.all_caps()
            && t.text.chars().count() >= 3
        {
            return Some(span(t, t));
        }
    }
    None
}

/// Initials written with full stops ("J.D.", "J. D."), other than the abbreviations of English
/// and medicine ("M.D.", "U.K.", "e.g.").
fn initials(text: &str) -> Vec<Hit> {
    static INITIALS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?-u:\b)(?:(?:Mr|Mrs|Ms|Miss|Mx|Master)\.? [A-Z]\.?(?: ?[A-Z]\.?)?(?-u:\b)|[A-Z]\. ?[A-Z]\.(?: ?[A-Z]\.)?)",
        )
        .expect("initials pattern")
    });
    const ABBREVIATIONS: &[&str] = &[
        "MD", "DO", "RN", "PA", "US", "UK", "AM", "PM", "NB", "IV", "ER", "OR", "AP", "BA", "BS",
        "MS", "DC", "LA", "NY", "SA", "UN", "EU", "PS", "AD", "BC", "IM", "SC", "PO", "QD", "OD",
        "OS", "OU", "PR", "ID", "GP", "ED", "RT", "CT", "MR", "US", "NZ", "VA", "EC", "DR", "ST",
        "MA", "MB", "BM", "CH", "PHD", "MBA", "USA", "RSA",
    ];
    INITIALS
        .find_iter(text)
        .filter(|m| {
            // "Mrs K." is a name whatever follows.
            if ["Mr", "Ms", "Miss", "Mx", "Master"]
                .iter()
                .any(|t| m.as_str().starts_with(t))
            {
                return true;
            }
            let letters: String = m
                .as_str()
                .chars()
                .filter(char::is_ascii_uppercase)
                .collect();
            // Not inside a longer abbreviation ("Ph.D.", "U.S.A.") or a dotted word.
            let before_ok = text[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '.');
            let after_ok = text[m.end()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            before_ok && after_ok && !ABBREVIATIONS.contains(&letters.as_str())
        })
        .map(|m| Hit {
            rule: RULE,
            start: m.start(),
            end: m.end(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        scan(text, &FxHashSet::default())
            .into_iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn names_by_lexicon() {
        assert_eq!(found("Seen with Maria Gonzalez today."), ["Maria Gonzalez"]);
        assert_eq!(found("Name: GONZALEZ, Maria"), ["GONZALEZ, Maria"]);
        assert_eq!(found("Overlay JOHN SMITH right."), ["JOHN SMITH"]);
        assert_eq!(found("Priya came back."), ["Priya"]);
        assert_eq!(found("Seen by J.D. on the ward"), ["J.D."]);
    }

    #[test]
    fn handles_user_names_and_names_in_other_scripts() {
        assert_eq!(
            found("She tagged us from @cferrante_73 after the scan."),
            ["@cferrante_73"]
        );
        assert_eq!(
            found("Uploaded by user mmorningstar52."),
            ["mmorningstar52"]
        );
        assert_eq!(found("Emergency contact: 伊藤 勇, by phone."), ["伊藤 勇"]);
        for text in [
            "Follow @RSNA for the programme; covid19 and T2 FLAIR; e.g. v1_2.",
            "Scanned at 3 T with the 32-channel coil.",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
        assert!(url_name("nakamura") && url_name("santoro"));
        assert!(!url_name("renal") && !url_name("colic") && !url_name("thyroid"));
    }

    #[test]
    fn eponyms_clinicians_and_places_are_not_names() {
        for text in [
            "A Jones fracture and a Baker cyst; Budd Chiari; Hill Sachs lesion.",
            "Dr. Maria Gonzalez reported it. Maria Gonzalez, MD, agreed.",
            "The John Radcliffe Hospital; University of Virginia; St Mary's.",
            "Marie Curie and Godfrey Hounsfield; M.D. and Ph.D. in the U.S.",
            "Smith AB, Jones CD. Radiology. Crohn, Hodgkin, Wilms.",
            "May be normal. Will it grow? Grace period.",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }
}
