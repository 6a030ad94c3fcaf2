//! Towns by gazetteer: a city or town of GeoNames (`data/places.txt`) after "in", "from", "near"
//! or "outside" in a sentence about a person, where no context word said where someone lives.
//! A sentence about a clinician's training, a meeting's venue or a figure of history names
//! places that are no patient's; an institution's noun after the town ("Bristol Royal
//! Infirmary") makes it a place of care. Japanese addresses (a prefecture, then a city, ward,
//! town or village) are found by their shape.

use std::sync::LazyLock;

use regex::Regex;

use super::names::{is_region, is_stop, is_town};
use super::rules::Hit;

pub const RULE: &str = "place";

/// Words of a sentence that make it about a person (a patient or a relative), in lower case.
const PERSON: &[&str] = &[
    "patient",
    "pt",
    "man",
    "woman",
    "boy",
    "girl",
    "child",
    "baby",
    "infant",
    "toddler",
    "teenager",
    "he",
    "she",
    "his",
    "her",
    "him",
    "lives",
    "lived",
    "living",
    "works",
    "worked",
    "retired",
    "mother",
    "father",
    "wife",
    "husband",
    "son",
    "daughter",
    "family",
    "grandad",
    "grandfather",
    "grandmother",
    "granny",
    "nan",
    "niece",
    "nephew",
    "brother",
    "sister",
    "pensioner",
    "farmer",
    "driver",
    "teacher",
    "student",
    "resident",
    "native",
    "home",
    "year",
    "years",
    "old",
    "aged",
    "jaar",
    "jahre",
    "anni",
    "ans",
    "años",
    "anos",
    "lat",
    "år",
    "yo",
    "referred",
    "transferred",
    "admitted",
    "presented",
    "scanned",
    "imaged",
    "injured",
    "fell",
    "collapsed",
    "symptoms",
    "started",
    "where",
    "whose",
    "who",
];

/// Words of a sentence that make its places a clinician's, a meeting's or history's.
const NOT_PATIENT: &[&str] = &[
    "trained",
    "training",
    "studied",
    "study",
    "qualified",
    "graduated",
    "fellowship",
    "residency",
    "consultant",
    "registrar",
    "registrars",
    "radiologist",
    "radiologists",
    "radiographer",
    "sonographer",
    "physicist",
    "professor",
    "lecturer",
    "dr",
    "conference",
    "congress",
    "meeting",
    "symposium",
    "course",
    "summit",
    "workshop",
    "webinar",
    "venue",
    "held",
    "hosted",
    "university",
    "college",
    "school",
    "published",
    "publishing",
    "press",
    "journal",
    "lecture",
    "nobel",
    "laureate",
    "discovered",
    "invented",
    "pioneer",
    "pioneered",
    "century",
    "war",
    "museum",
    "scheme",
    "network",
    "trust",
    "board",
    "society",
    "company",
    "manufacturer",
    "factory",
    "headquarters",
    "office",
    "offices",
    "site",
    "sites",
    "clinic",
    "clinics",
    "centre",
    "center",
    "hospital",
    "hospitals",
    "colleagues",
    "team",
    "our",
    "we",
    "described",
    "built",
    "developed",
    "designed",
    "founded",
    "attended",
    "fellowship",
];

/// Words after a town that make it an institution or a thing ("Bristol Royal Infirmary",
/// "Toronto criteria").
const INSTITUTION: &[&str] = &[
    "hospital",
    "hospitals",
    "infirmary",
    "university",
    "college",
    "clinic",
    "centre",
    "center",
    "royal",
    "general",
    "medical",
    "children's",
    "institute",
    "school",
    "trust",
    "health",
    "criteria",
    "rules",
    "rule",
    "classification",
    "protocol",
    "declaration",
    "consensus",
    "group",
    "cohort",
    "study",
    "trial",
    "score",
    "system",
];

/// The prepositions before a home town or a workplace's town.
static BEFORE_TOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(?:from|in|near|outside|of|around))[ \t]+(?P<m>\p{Lu}[\p{L}'’.-]*(?:[ \t-]\p{Lu}[\p{L}'’.-]*){0,3})")
        .expect("before town")
});

/// A Japanese address: a prefecture (都道府県), then a city, ward, district, town or village.
static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}{1,3}[都道府県]\p{Han}{1,6}?[市区郡町村](?:\p{Han}{1,6}?[区町村])?")
        .expect("japanese")
});

/// A Han or Hangul town name with its suffix standing alone ("豊橋市", "旭川市").
static HAN_TOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Han}{1,5}[市区町村郡]").expect("han town"));

pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for c in BEFORE_TOWN.captures_iter(text) {
        let m = c.name("m").expect("m");
        let Some(end) = longest_town(text, m.start(), m.end()) else {
            continue;
        };
        if institution_after(&text[end..]) || !about_a_person(text, m.start(), end) {
            continue;
        }
        hits.push(Hit {
            rule: RULE,
            start: m.start(),
            end,
        });
    }
    if text.bytes().any(|b| b >= 0xE3) {
        for m in JAPANESE.find_iter(text) {
            hits.push(Hit {
                rule: RULE,
                start: m.start(),
                end: m.end(),
            });
        }
        for m in HAN_TOWN.find_iter(text) {
            if is_town(m.as_str()) {
                hits.push(Hit {
                    rule: RULE,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
    hits
}

/// The end of the longest run of words from `start` (up to `end`) that the gazetteer holds,
/// unless it is one everyday English word, a month or a function word ("in March", "in May").
fn longest_town(text: &str, start: usize, end: usize) -> Option<usize> {
    let run = &text[start..end];
    let mut ends: Vec<usize> = run
        .char_indices()
        .filter(|&(_, c)| c == ' ' || c == '\t' || c == '-')
        .map(|(i, _)| i)
        .collect();
    ends.push(run.len());
    ends.into_iter().rev().find_map(|e| {
        let name = run[..e].trim_end_matches(['.', '\'', '’']);
        let single = !name.contains([' ', '\t', '-']);
        // "NELSON" (a trial), "ECR": a word in capitals is an acronym here.
        if single && !name.chars().any(char::is_lowercase) {
            return None;
        }
        let plain = single && (is_stop(name) || super::names::is_common(name));
        (is_town(name) && !plain && !is_region(name) && name.chars().count() >= 3)
            .then_some(start + name.len())
    })
}

pub(super) fn institution_after(rest: &str) -> bool {
    let next = rest
        .trim_start_matches(['\'', '’', 's'])
        .trim_start()
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .next()
        .unwrap_or("")
        .to_lowercase();
    INSTITUTION.contains(&next.as_str())
}

/// The sentence around `start..end` is about a person and not about a clinician, a meeting or
/// history; an age in apposition ("Federica Santoro, 80, from Cremona") is a person too.
fn about_a_person(text: &str, start: usize, end: usize) -> bool {
    let (from, to) = super::text::sentence(text, start, end, &['.', '!', '?', '\n']);
    let sentence = text[from..to].to_lowercase();
    let words: Vec<&str> = sentence
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| NOT_PATIENT.contains(w)) {
        return false;
    }
    // A year before 1900 names a figure of history ("born in Warsaw on 7 November 1867").
    if super::rules::old_year(&sentence) {
        return false;
    }
    let age = sentence.split(',').any(|part| {
        (1..=3).contains(&part.trim().len()) && part.trim().chars().all(|c| c.is_ascii_digit())
    });
    age || words
        .iter()
        .any(|w| PERSON.contains(w) || w.ends_with("-year-old"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        scan(text)
            .into_iter()
            .map(|h| &text[h.start..h.end])
            .collect()
    }

    #[test]
    fn home_towns_by_gazetteer() {
        assert_eq!(
            found("He works night shifts at a flower farm in Nakuru, where it started."),
            ["Nakuru"]
        );
        assert_eq!(
            found("An epidural collection in a woman, 80, from Cremona."),
            ["Cremona"]
        );
        assert_eq!(
            found("She lives alone in a bungalow on the edge of Gütersloh."),
            ["Gütersloh"]
        );
        assert_eq!(
            found("住所: 〒440-1935 愛知県豊橋市緑町4丁目"),
            ["愛知県豊橋市緑町"]
        );
    }

    #[test]
    fn clinicians_meetings_and_history_are_no_patients() {
        for text in [
            "She trained in radiology in Bristol and Toronto.",
            "The congress is held in Vienna in March.",
            "Marie Curie was born in Warsaw on 7 November 1867.",
            "He was transferred to Bristol Royal Infirmary.",
            "She was seen in March with pain.",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }
}
