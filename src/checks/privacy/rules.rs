//! The privacy rules: patterns for the HIPAA Safe Harbor identifiers that can be found in text
//! (45 CFR 164.514(b)(2); see docs in `mod.rs`), each with a validation step that keeps
//! radiology prose (eponyms, measurements, vertebral levels, sequences, years, relative days,
//! "45-year-old") clean.
//!
//! Every pattern is compiled once. Word boundaries are ASCII (`(?-u:\b)`) and digits are `[0-9]`,
//! so the regex engine keeps to its fast automata on any text.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// One identifier found in a text: the rule and the byte span of the matched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub rule: &'static str,
    pub start: usize,
    pub end: usize,
}

/// Every rule name, with what it finds and how to fix it.
pub const RULES: &[(&str, &str, &str)] = &[
    (
        "date",
        "a date finer than a year",
        "give the year only, or a relative time (\"day 3\", \"6 weeks later\")",
    ),
    (
        "age-over-89",
        "an age over 89",
        "write \"90 or older\" (Safe Harbor groups every age over 89)",
    ),
    (
        "phone",
        "a phone or fax number",
        "remove the number (a public department number can be waived with a reason)",
    ),
    ("email", "an email address", "remove the address"),
    ("ssn", "a social security number", "remove the number"),
    (
        "record-number",
        "a record, accession, account, plan, licence or serial number",
        "remove the number; refer to the study by modality and relative day",
    ),
    (
        "zip",
        "a ZIP or postal code",
        "remove it (at most the state or region may stay)",
    ),
    (
        "street-address",
        "a street address",
        "remove the address (at most the state or region may stay)",
    ),
    ("ip-address", "an IP address", "remove the address"),
    (
        "identifying-url",
        "a URL that carries a patient or study identifier",
        "link to the published, de-identified case instead of the PACS or record system",
    ),
    (
        "patient-name",
        "a personal name in patient context",
        "remove the name; say \"the patient\", \"his wife\", …",
    ),
];

/// What a rule finds, for messages.
pub fn describe(rule: &str) -> (&'static str, &'static str) {
    RULES
        .iter()
        .find(|(name, _, _)| *name == rule)
        .map_or(("an identifier", "remove it"), |(_, what, fix)| (what, fix))
}

/// Find every identifier in `text`. Overlapping hits are resolved by rule order (a URL wins over
/// the date inside it, an SSN over a phone-like reading), and hits come back in text order.
pub fn scan(text: &str) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    // Cheap guard: almost every rule needs a digit, '@' or a capital letter, which nearly every
    // text has, so there is nothing to skip on; the automata do the work.
    // One pass of all the patterns together tells which can match at all; on most pages only a
    // few can, and only those run on their own (with captures and validation).
    let candidates = SET.matches(text);
    for (i, pattern) in PATTERNS.iter().enumerate() {
        if !candidates.matched(i) {
            continue;
        }
        for caps in pattern.re.captures_iter(text) {
            let whole = caps.get(0).expect("group 0");
            if let Some((start, end)) = (pattern.accept)(&caps, text) {
                let (start, end) = if start == usize::MAX {
                    match caps.name("m") {
                        Some(m) => (m.start(), m.end()),
                        None => (whole.start(), whole.end()),
                    }
                } else {
                    (start, end)
                };
                if start < end
                    && !hits
                        .iter()
                        .any(|h| h.start < end && start < h.end && h.rule != pattern.rule)
                    && !hits.iter().any(|h| h.start == start && h.end == end)
                {
                    hits.push(Hit {
                        rule: pattern.rule,
                        start,
                        end,
                    });
                }
            }
        }
    }
    hits.sort_by_key(|h| (h.start, h.end));
    // Two patterns of one rule may overlap (e.g. two date forms): keep the longer.
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        match out.last_mut() {
            Some(last) if last.rule == h.rule && h.start < last.end => {
                last.end = last.end.max(h.end);
            }
            _ => out.push(h),
        }
    }
    out
}

/// Returns `Some((usize::MAX, 0))` to accept the match as it is (group `m` or the whole match),
/// `Some((start, end))` for another span, or None to reject it.
type Accept = fn(&Captures, &str) -> Option<(usize, usize)>;

struct Pattern {
    rule: &'static str,
    re: Regex,
    accept: Accept,
}

/// Every pattern in one set, for the first pass of `scan`.
static SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(PATTERNS.iter().map(|p| p.re.as_str())).expect("privacy pattern set")
});

const KEEP: Option<(usize, usize)> = Some((usize::MAX, 0));

fn compile(pattern: &str) -> Regex {
    let p = pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]");
    Regex::new(&p).unwrap_or_else(|e| panic!("privacy pattern {pattern}: {e}"))
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

const US_STATES: &str = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY";

const STATE_NAMES: &str = "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming";

/// A capitalised name word: "Mary", "O'Brien", "Smith-Jones".
const NAME: &str = r"[A-Z](?:[a-z]+|[a-z]?['’][A-Z][a-z]+)(?:-[A-Z][a-z]+)?";

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let name2 = format!(r"{NAME}(?:[ \t]+{NAME})?");
    let p = |rule: &'static str, re: &str, accept: Accept| Pattern {
        rule,
        re: compile(re),
        accept,
    };
    vec![
        // --- URLs first: the dates and numbers inside them belong to the URL finding.
        p(
            "identifying-url",
            r#"(?i)\b(?:https?|ftp|pacs|dicom|dicomweb)://[^\s<>"'`\]\)]+"#,
            accept_url,
        ),
        p(
            "email",
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
            accept_email,
        ),
        // --- SSN: 3-2-4 with valid area, group and serial; or any 9 digits after "SSN".
        p(
            "ssn",
            r"\b(?P<a>\d{3})(?P<s1>[- ])(?P<g>\d{2})(?P<s2>[- ])(?P<n>\d{4})\b",
            accept_ssn,
        ),
        p(
            "ssn",
            r"(?i)\b(?:ssn|ss#|social security(?: number| no\.?| #)?)\s*(?:is\s+)?[:#]?\s*(?P<m>\d{9}|\d{3}[- ]\d{2}[- ]\d{4})\b",
            accept_keep,
        ),
        // --- Record, accession, account, plan, licence, serial numbers: context word + number.
        p(
            "record-number",
            r"(?i)\b(?:mrn|mr ?#|mr ?no\.?|med(?:ical)? ?rec(?:ord)?s?(?: (?:no\.?|number|num|#))?|(?:hospital|unit|chart|record|registration) ?(?:no\.?|number|num|#)|acc(?:ession)?(?: ?(?:no\.?|number|num|#))?|acc#|acct\.?(?: ?(?:no\.?|number|num|#))?|account(?: (?:no\.?|number|num|#))?|(?:health ?)?plan (?:id|no\.?|number|#)|(?:member|subscriber|beneficiary|insurance|policy|group) (?:id|no\.?|number|#)|licen[cs]e(?: (?:no\.?|number|plate|#))?|certificate (?:no\.?|number|#)|(?:patient|pt|encounter|visit|episode|study|exam|requisition) (?:id|no\.?|number|#)|serial(?: (?:no\.?|number|#))?|s/n|device (?:id|serial))(?:\s+(?:is|was))?\s*[:#=]?\s*(?P<m>[A-Z]{0,4}[- ]?\d[0-9A-Z-]{3,})",
            accept_record,
        ),
        // --- Phone and fax numbers.
        p(
            "phone",
            r"(?:\+?1[ .-]?)?(?:\((?P<a>\d{3})\) ?|\b(?P<b>\d{3})[ .-])(?P<x>\d{3})[ .-]\d{4}\b",
            accept_nanp,
        ),
        p(
            "phone",
            r"\+\d{1,3}[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}\b",
            accept_intl,
        ),
        p(
            "phone",
            r"(?i)\b(?:phone|tel(?:ephone)?|fax|cell(?:phone)?|mobile|pager|bleep|ph|call)\b\.?(?: ?(?:no\.?|number|#))?\s*[:#]?\s*(?P<m>\+?\d[0-9 ().-]{5,}\d)",
            accept_context_phone,
        ),
        p(
            "ip-address",
            r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b",
            accept_ipv4,
        ),
        p(
            "ip-address",
            r"(?i)(?:\b[0-9a-f]{1,4}|::?)(?::[0-9a-f]{0,4}){2,7}\b",
            accept_ipv6,
        ),
        // --- Dates finer than a year.
        p(
            "date",
            r"\b(?P<y>(?:19|20)\d{2})(?P<s1>[-/.])(?P<mo>\d{1,2})(?P<s2>[-/.])(?P<d>\d{1,2})\b",
            accept_iso,
        ),
        p(
            "date",
            r"\b(?P<a>\d{1,2})(?P<s1>[/.-])(?P<b>\d{1,2})(?P<s2>[/.-])(?P<y>\d{4}|\d{2})\b",
            accept_numeric_date,
        ),
        p(
            "date",
            &format!(
                r"(?i)\b(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s./-]*(?P<mon>{MONTH})\b(?:,?[\s./-]*(?:(?:19|20)\d{{2}}|'\d{{2}})\b)?"
            ),
            accept_day_month,
        ),
        p(
            "date",
            &format!(
                r"(?i)\b(?P<mon>{MONTH})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d{{2}}\b)?"
            ),
            accept_month_day,
        ),
        p(
            "date",
            &format!(r"(?i)\b(?P<mon>{MONTH})\.?,?\s+(?:of\s+)?(?:19|20)\d{{2}}\b"),
            accept_month_year,
        ),
        // --- Ages over 89.
        p(
            "age-over-89",
            r"(?i)\b(?:9\d|1[0-4]\d)(?:\s*-?\s*(?:years?|yrs?)[\s-]*old|\s*-?\s*(?:years?|yrs?) of age|\s*-?\s*(?:y\.?o\b\.?|y/o)|(?:yo)?[MF]\b)",
            accept_age_suffix,
        ),
        p(
            "age-over-89",
            r"(?i)\b(?:aged?|age of)\s*:?\s*(?:9\d|1[0-4]\d)\b",
            accept_age_prefix,
        ),
        p(
            "age-over-89",
            r"(?i)\b(?:nonagenarian|centenarian|supercentenarian)s?\b|\bin (?:his|her|their) (?:early |mid-?|late )?(?:90s|nineties)\b|\b(?:ninety|one hundred)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?[\s-]years?[\s-]old\b",
            accept_keep,
        ),
        // --- ZIP and postal codes.
        p(
            "zip",
            &format!(r",\s*(?:{US_STATES})\.?\s+(?P<m>\d{{5}}(?:-\d{{4}})?)\b"),
            accept_keep,
        ),
        p(
            "zip",
            &format!(r"\b(?:{STATE_NAMES}),?\s+(?P<m>\d{{5}}(?:-\d{{4}})?)\b"),
            accept_keep,
        ),
        p("zip", r"\b\d{5}-\d{4}\b", accept_keep),
        p(
            "zip",
            r"(?i)\b(?:zip|zip ?code|postal code|post ?code)\s*[:#]?\s*(?P<m>\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})\b",
            accept_keep,
        ),
        p(
            "zip",
            r"\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b",
            accept_uk_postcode,
        ),
        // --- Street addresses.
        p(
            "street-address",
            r"\b\d{1,5}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Circle|Way|Highway|Hwy|Parkway|Pkwy|Square|Crescent|Gardens|Mews|Grove)\b",
            accept_keep,
        ),
        p(
            "street-address",
            r"(?i)\bp\.?\s?o\.?\s+box\s+\d+\b",
            accept_keep,
        ),
        p(
            "street-address",
            r"\b(?:lives|living|resides|residing|lived)\s+(?:at|on)\s+(?P<m>(?:[A-Z][a-z]+\s+){1,3}(?:Street|Avenue|Road|Boulevard|Lane|Drive|Court|Place|Terrace|Way|Crescent|Close|Gardens|Mews|Grove))\b",
            accept_keep,
        ),
        // --- Personal names in patient context.
        p(
            "patient-name",
            &format!(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?[ \t]+(?P<n>{name2})"),
            accept_titled_name,
        ),
        p(
            "patient-name",
            &format!(
                r"(?i:\b(?:patient|pt|client|resident|the boy|the girl|the man|the woman))\.?[ \t]*[:,]?[ \t]+(?:(?i:named|called)[ \t]+)?(?P<m>{name2})"
            ),
            accept_patient_name,
        ),
        p(
            "patient-name",
            &format!(
                r"(?i:\b(?:named|name is|name was|name:|known as|goes by|called))[ \t]+(?P<m>{name2})"
            ),
            accept_named,
        ),
        p(
            "patient-name",
            &format!(
                r"(?i:\b(?:his|her|their|the patient's|the patient’s|whose)[ \t]+(?:wife|husband|son|daughter|mother|father|mom|mum|dad|brother|sister|partner|spouse|fianc[eé]e?|aunt|uncle|niece|nephew|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|cousin|friend|neighbou?r|caregiver|carer|employer|boss|guardian|child|twin|stepson|stepdaughter|stepmother|stepfather))[ \t]*,?[ \t]+(?P<m>{name2})"
            ),
            accept_relative_name,
        ),
        p(
            "patient-name",
            &format!(
                r"\b(?P<m>{NAME}[ \t]+{NAME}),?[ \t]+(?:a|an|aged)[ \t]+\d{{1,3}}[ \t-]*(?:year|yr|month|week|day)"
            ),
            accept_name_with_age,
        ),
    ]
});

fn accept_keep(_: &Captures, _: &str) -> Option<(usize, usize)> {
    KEEP
}

fn num(caps: &Captures, name: &str) -> u32 {
    caps.name(name)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(0)
}

fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// True when the match continues a longer dotted or dashed number ("1.2.840.10008…"), or is a
/// version or a range written with the same separators.
fn inside_longer_number(text: &str, start: usize, end: usize) -> bool {
    let b = before(text, start);
    let digit_after_sep = |at: usize| {
        let mut it = text[at..].chars();
        matches!(it.next(), Some('.' | '-' | '/' | ':'))
            && it.next().is_some_and(|c| c.is_ascii_digit())
    };
    b.is_some_and(|c| c.is_ascii_digit())
        || (matches!(b, Some('.' | '-' | '/' | ':'))
            && text[..start - 1]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit()))
        || digit_after_sep(end)
}

fn accept_url(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    static ID_PARAM: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)[?&;#](?:patient(?:_?(?:id|name|no))?|pat_?id|patientid|ptid|pid|mrn|acc(?:ession)?(?:_?(?:no|num|number|id))?|accessionnumber|study_?(?:instance_?)?uid|series_?(?:instance_?)?uid|sop_?(?:instance_?)?uid|objectuid|studyuid|encounter(?:_?id)?|visit_?id|dob|birth_?date|ssn|name|first_?name|last_?name|given_?name|family_?name|medical_?record(?:_?(?:no|number))?)=",
        )
    });
    static ID_PATH: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)/(?:patients?|accessions?|mrns?|encounters?)/[^/?#]*\d{3,}|/studies/\d+(?:\.\d+){3,}",
        )
    });
    let m = caps.get(0)?;
    let url = m
        .as_str()
        .trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
    (ID_PARAM.is_match(url) || ID_PATH.is_match(url)).then_some((m.start(), m.start() + url.len()))
}

fn accept_email(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    // A fediverse handle (@user@instance) is a public account, not an email address.
    if before(text, m.start()) == Some('@') {
        return None;
    }
    KEEP
}

fn accept_ssn(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
        return None;
    }
    let (area, group, serial) = (num(caps, "a"), num(caps, "g"), num(caps, "n"));
    if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
        return None;
    }
    if inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    KEEP
}

fn accept_record(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.name("m")?;
    let id = m.as_str().trim_end_matches('-');
    let digits = id.chars().filter(|c| c.is_ascii_digit()).count();
    if digits < 4 {
        return None;
    }
    // A year after an abbreviation ("ACC 2024", "licence 2019").
    if id.len() == 4 && (id.starts_with("19") || id.starts_with("20")) {
        return None;
    }
    let whole = caps.get(0)?;
    Some((whole.start(), m.start() + id.len()))
}

fn accept_nanp(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let area = caps.name("a").or(caps.name("b"))?.as_str();
    let exchange = caps.name("x")?.as_str();
    if area.starts_with(['0', '1']) || exchange.starts_with(['0', '1']) {
        return None;
    }
    if inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    KEEP
}

fn accept_intl(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let digits = m.as_str().chars().filter(|c| c.is_ascii_digit()).count();
    if !(8..=15).contains(&digits) || inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    KEEP
}

fn accept_context_phone(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.name("m")?;
    let s = m.as_str().trim_end_matches(['.', '-', ' ', '(']);
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    if !(7..=15).contains(&digits) {
        return None;
    }
    Some((m.start(), m.start() + s.len()))
}

fn accept_ipv4(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    let ip: std::net::Ipv4Addr = m.as_str().parse().ok()?;
    if ip.is_unspecified() || ip.is_loopback() || ip.is_broadcast() {
        return None;
    }
    KEEP
}

fn accept_ipv6(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let s = m.as_str();
    let ip: std::net::Ipv6Addr = s.parse().ok()?;
    if ip.is_unspecified() || ip.is_loopback() {
        return None;
    }
    // Times ("10:30:15") are not addresses; an address has a hex letter or a "::".
    if !s.contains("::") && !s.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    if before(text, m.start()).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    KEEP
}

fn valid_day_month(day: u32, month: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn accept_iso(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if caps.name("s1")?.as_str() != caps.name("s2")?.as_str()
        || !valid_day_month(num(caps, "d"), num(caps, "mo"))
        || inside_longer_number(text, m.start(), m.end())
    {
        return None;
    }
    KEEP
}

fn accept_numeric_date(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let sep = caps.name("s1")?.as_str();
    if sep != caps.name("s2")?.as_str() || inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    let (a, b) = (num(caps, "a"), num(caps, "b"));
    if !(valid_day_month(b, a) || valid_day_month(a, b)) {
        return None;
    }
    let year = caps.name("y")?.as_str();
    // Two-digit years only with slashes or dashes and two-digit parts ("03/14/24"), never with
    // dots (versions such as 2.5.10).
    if year.len() == 2 && sep == "." {
        return None;
    }
    KEEP
}

/// Month words are dates only when capitalised ("May 3", "14-MAR-2024"), not "may" the verb.
fn capital_month(caps: &Captures) -> bool {
    caps.name("mon")
        .is_some_and(|m| m.as_str().starts_with(|c: char| c.is_ascii_uppercase()))
}

fn accept_day_month(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    (capital_month(caps) && (1..=31).contains(&num(caps, "d"))).then_some(KEEP?)
}

fn accept_month_day(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if !capital_month(caps) || !(1..=31).contains(&num(caps, "d")) {
        return None;
    }
    // A citation ("Radiology. 2019 Mar 14;290(3)") is publication metadata.
    if after(text, m.end()) == Some(';') {
        return None;
    }
    // "May 2 lesions" or "Mar 3 mm": a number followed by a unit or a count noun.
    let rest = text[m.end()..].trim_start();
    if rest.starts_with(['%', '×']) || starts_with_unit(rest) {
        return None;
    }
    KEEP
}

fn starts_with_unit(rest: &str) -> bool {
    const UNITS: &[&str] = &[
        "mm", "cm", "mg", "ml", "mL", "kg", "g ", "HU", "mSv", "mGy", "%",
    ];
    UNITS.iter().any(|u| {
        rest.starts_with(u)
            && !rest[u.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
    })
}

fn accept_month_year(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if !capital_month(caps) || after(text, m.end()) == Some(';') {
        return None;
    }
    KEEP
}

fn accept_age_suffix(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let s = m.as_str();
    // "93M" / "93F" must be written together and in capitals: "95 F" is a temperature.
    if s.ends_with(['M', 'F', 'm', 'f']) && !s.to_ascii_lowercase().ends_with("yom") {
        let last = s.chars().last()?;
        if !last.is_ascii_uppercase() || s.contains(' ') {
            return None;
        }
    }
    if before(text, m.start()).is_some_and(|c| c == '.' || c == ',') {
        return None;
    }
    KEEP
}

fn accept_age_prefix(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let rest = text[m.end()..].trim_start();
    // "age 90 days" is an infant; "aged 95%"… is not an age.
    if rest.starts_with('%')
        || ["day", "week", "month", "hour", "min"]
            .iter()
            .any(|u| rest.to_ascii_lowercase().starts_with(u))
    {
        return None;
    }
    KEEP
}

fn accept_uk_postcode(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    // Not inside a run of capitals and digits (a sequence name, a device model).
    if before(text, m.start()).is_some_and(|c| c == '-' || c == '/') {
        return None;
    }
    KEEP
}

fn name_words<'a>(caps: &Captures<'a>, group: &str) -> Vec<&'a str> {
    caps.name(group)
        .map(|m| m.as_str().split_whitespace().collect())
        .unwrap_or_default()
}

fn accept_titled_name(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let words = name_words(caps, "n");
    if words.is_empty() || is_stop(words[0]) {
        return None;
    }
    let whole = caps.get(0)?;
    // Keep the second word only when it is a name too ("Mrs Patel Presented" → "Mrs Patel").
    let n = caps.name("n")?;
    let end = if words.len() == 2 && is_stop(words[1]) {
        n.start() + words[0].len()
    } else {
        n.end()
    };
    Some((whole.start(), end))
}

/// The span of group `m`, cut to its first word when the second is not a name.
fn trimmed_name(caps: &Captures) -> Option<(usize, usize)> {
    let m = caps.name("m")?;
    let words: Vec<&str> = m.as_str().split_whitespace().collect();
    if words.len() == 2 && (is_stop(words[1]) || is_eponym(words[1])) {
        Some((m.start(), m.start() + words[0].len()))
    } else {
        Some((m.start(), m.end()))
    }
}

fn accept_patient_name(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let words = name_words(caps, "m");
    if words.is_empty() || !is_first_name(words[0]) {
        return None;
    }
    trimmed_name(caps)
}

fn accept_named(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let words = name_words(caps, "m");
    let first = *words.first()?;
    let whole = caps.get(0)?.as_str().to_ascii_lowercase();
    if is_stop(first) || is_eponym(first) {
        return None;
    }
    // "called" names techniques and signs too: only a known first name counts there.
    if (whole.starts_with("called") || whole.starts_with("known as")) && !is_first_name(first) {
        return None;
    }
    trimmed_name(caps)
}

fn accept_relative_name(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let words = name_words(caps, "m");
    let first = *words.first()?;
    if is_stop(first) || is_eponym(first) {
        return None;
    }
    trimmed_name(caps)
}

fn accept_name_with_age(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let words = name_words(caps, "m");
    if words.len() != 2 || !is_first_name(words[0]) || is_stop(words[1]) {
        return None;
    }
    KEEP
}

fn is_stop(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

fn is_eponym(word: &str) -> bool {
    let w = word.trim_end_matches(['\'', '’', 's']);
    EPONYMS.binary_search(&word).is_ok() || EPONYMS.binary_search(&w).is_ok()
}

fn is_first_name(word: &str) -> bool {
    FIRST_NAMES.binary_search(&word).is_ok()
}

/// Capitalised words that follow "patient", a title or a relative without being names:
/// function words and the nouns of headings ("Patient Safety", "Patient Education").
/// Sorted (binary search; a test checks the order).
pub(crate) const STOP_WORDS: &[&str] = &[
    "A",
    "About",
    "After",
    "Age",
    "All",
    "Also",
    "An",
    "And",
    "Any",
    "Are",
    "As",
    "At",
    "Before",
    "Being",
    "Both",
    "But",
    "By",
    "Care",
    "Case",
    "Centered",
    "Consent",
    "Could",
    "Data",
    "Did",
    "Does",
    "Dose",
    "During",
    "Each",
    "Education",
    "Experience",
    "Feedback",
    "Female",
    "First",
    "Follow",
    "For",
    "Forms",
    "From",
    "Guide",
    "Had",
    "Has",
    "Have",
    "He",
    "Her",
    "Here",
    "His",
    "History",
    "How",
    "However",
    "Identification",
    "If",
    "Imaging",
    "In",
    "Information",
    "Instructions",
    "Is",
    "It",
    "Its",
    "Later",
    "Male",
    "Management",
    "May",
    "Name",
    "Next",
    "No",
    "Not",
    "Notes",
    "Now",
    "Number",
    "Of",
    "On",
    "Or",
    "Our",
    "Outcomes",
    "Portal",
    "Positioning",
    "Preparation",
    "Presented",
    "Privacy",
    "Questions",
    "Record",
    "Records",
    "Report",
    "Resources",
    "Rights",
    "Safety",
    "Scan",
    "Selection",
    "Services",
    "She",
    "Since",
    "So",
    "Stories",
    "Study",
    "Support",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "Underwent",
    "Unknown",
    "Was",
    "We",
    "Were",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "With",
    "Without",
    "You",
    "Your",
];

/// Eponyms of radiology and medicine: capitalised words that name signs, fractures, diseases and
/// classifications, never a patient. Sorted.
pub(crate) const EPONYMS: &[&str] = &[
    "Addison",
    "Adson",
    "Alzheimer",
    "Amyand",
    "Apert",
    "Arnold",
    "Baastrup",
    "Baker",
    "Balthazar",
    "Bankart",
    "Barre",
    "Barrett",
    "Barton",
    "Behcet",
    "Bennett",
    "Blount",
    "Bochdalek",
    "Boerhaave",
    "Bosniak",
    "Bouchard",
    "Bouveret",
    "Breslow",
    "Broca",
    "Budd",
    "Burkitt",
    "Caffey",
    "Caroli",
    "Castleman",
    "Chance",
    "Charcot",
    "Chiari",
    "Clark",
    "Colles",
    "Conn",
    "Couinaud",
    "Cowden",
    "Creutzfeldt",
    "Crohn",
    "Crouzon",
    "Cullen",
    "Cushing",
    "Dandy",
    "Danlos",
    "Dixon",
    "Doppler",
    "Douglas",
    "Dupuytren",
    "Ehlers",
    "Ellison",
    "Erdheim",
    "Ewing",
    "Fahr",
    "Fleischner",
    "Forestier",
    "Fournier",
    "Freiberg",
    "Galeazzi",
    "Galen",
    "Gardner",
    "Gaucher",
    "Gerota",
    "Ghon",
    "Gleason",
    "Graves",
    "Guillain",
    "Guyon",
    "Haglund",
    "Hampton",
    "Harris",
    "Hashimoto",
    "Hawkins",
    "Heberden",
    "Hill",
    "Hirschsprung",
    "Hodgkin",
    "Hoffa",
    "Horner",
    "Hounsfield",
    "Hunt",
    "Huntington",
    "Jefferson",
    "Jeghers",
    "Jobe",
    "Johansson",
    "Jones",
    "Joubert",
    "Kaposi",
    "Kawasaki",
    "Kehr",
    "Kerley",
    "Kienbock",
    "Kienböck",
    "Klatskin",
    "Klinefelter",
    "Klippel",
    "Kohler",
    "Korsakoff",
    "Krukenberg",
    "Lachman",
    "Langerhans",
    "Leydig",
    "Lindau",
    "Lisfranc",
    "Luschka",
    "Lynch",
    "Madelung",
    "Maffucci",
    "Magendie",
    "Maisonneuve",
    "Mallory",
    "Marfan",
    "McBurney",
    "McMurray",
    "Meckel",
    "Meigs",
    "Menetrier",
    "Mirizzi",
    "Modic",
    "Monro",
    "Monteggia",
    "Morgagni",
    "Morison",
    "Morquio",
    "Murphy",
    "Neer",
    "Niemann",
    "Ollier",
    "Osgood",
    "Paget",
    "Pancoast",
    "Parkinson",
    "Pellegrini",
    "Perthes",
    "Peutz",
    "Peyronie",
    "Phalen",
    "Pick",
    "Poland",
    "Pott",
    "Preiser",
    "Rasmussen",
    "Recklinghausen",
    "Richter",
    "Riedel",
    "Rigler",
    "Rolando",
    "Rosai",
    "Rovsing",
    "Sachs",
    "Salter",
    "Scheuermann",
    "Schlatter",
    "Schmorl",
    "Segond",
    "Sertoli",
    "Sever",
    "Sinding",
    "Sjogren",
    "Smith",
    "Spigelian",
    "Sprengel",
    "Stieda",
    "Still",
    "Sturge",
    "Sylvius",
    "Takayasu",
    "Tarlov",
    "Tay",
    "Tillaux",
    "Tinel",
    "Tolosa",
    "Trendelenburg",
    "Trousseau",
    "Turner",
    "Valsalva",
    "Virchow",
    "Walker",
    "Weber",
    "Weiss",
    "Wernicke",
    "Westermark",
    "Whipple",
    "Willis",
    "Wilms",
    "Wilson",
    "Wrisberg",
    "Zenker",
    "Zollinger",
    "Zuckerkandl",
];

/// Common given names: after "patient" a capitalised word is a name only when it is one of
/// these (headings such as "Patient Safety Week" stay clean). Sorted.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Aaron",
    "Abigail",
    "Adam",
    "Ahmed",
    "Aisha",
    "Alan",
    "Albert",
    "Alex",
    "Alexander",
    "Alice",
    "Alicia",
    "Amanda",
    "Amber",
    "Amelia",
    "Amy",
    "Ana",
    "Andrea",
    "Andrew",
    "Angela",
    "Ann",
    "Anna",
    "Anne",
    "Anthony",
    "Antonio",
    "Arthur",
    "Ashley",
    "Barbara",
    "Ben",
    "Benjamin",
    "Betty",
    "Beverly",
    "Bill",
    "Billy",
    "Bob",
    "Brandon",
    "Brenda",
    "Brian",
    "Bruce",
    "Bryan",
    "Carl",
    "Carlos",
    "Carol",
    "Caroline",
    "Catherine",
    "Charles",
    "Charlie",
    "Charlotte",
    "Cheryl",
    "Chloe",
    "Chris",
    "Christina",
    "Christine",
    "Christopher",
    "Cynthia",
    "Daniel",
    "Danielle",
    "David",
    "Deborah",
    "Debra",
    "Dennis",
    "Diana",
    "Diane",
    "Diego",
    "Donald",
    "Donna",
    "Doris",
    "Dorothy",
    "Douglas",
    "Dylan",
    "Edward",
    "Eleanor",
    "Elena",
    "Elizabeth",
    "Ella",
    "Emily",
    "Emma",
    "Eric",
    "Ethan",
    "Eugene",
    "Evelyn",
    "Fatima",
    "Frances",
    "Frank",
    "Gary",
    "George",
    "Gerald",
    "Gloria",
    "Grace",
    "Gregory",
    "Hannah",
    "Harold",
    "Harry",
    "Heather",
    "Helen",
    "Henry",
    "Hiroshi",
    "Isabella",
    "Jack",
    "Jacob",
    "Jacqueline",
    "James",
    "Jane",
    "Janet",
    "Janice",
    "Jason",
    "Jean",
    "Jeffrey",
    "Jennifer",
    "Jeremy",
    "Jerry",
    "Jessica",
    "Jim",
    "Joan",
    "Joe",
    "John",
    "Johnny",
    "Jonathan",
    "Jose",
    "Joseph",
    "Joshua",
    "Joyce",
    "Juan",
    "Judith",
    "Judy",
    "Julia",
    "Julie",
    "Justin",
    "Karen",
    "Katherine",
    "Kathleen",
    "Kathryn",
    "Keith",
    "Kelly",
    "Kenneth",
    "Kevin",
    "Kimberly",
    "Kyle",
    "Larry",
    "Laura",
    "Lauren",
    "Lawrence",
    "Leo",
    "Liam",
    "Linda",
    "Lisa",
    "Logan",
    "Louis",
    "Lucas",
    "Lucy",
    "Luis",
    "Madison",
    "Margaret",
    "Maria",
    "Marie",
    "Marilyn",
    "Mark",
    "Martha",
    "Mary",
    "Mason",
    "Matthew",
    "Megan",
    "Melissa",
    "Mia",
    "Michael",
    "Michelle",
    "Mohammed",
    "Muhammad",
    "Nancy",
    "Natalie",
    "Nathan",
    "Nicholas",
    "Nicole",
    "Noah",
    "Oliver",
    "Olivia",
    "Pamela",
    "Patricia",
    "Patrick",
    "Paul",
    "Peter",
    "Philip",
    "Priya",
    "Rachel",
    "Rajesh",
    "Ralph",
    "Raymond",
    "Rebecca",
    "Richard",
    "Robert",
    "Roger",
    "Ronald",
    "Rose",
    "Roy",
    "Russell",
    "Ruth",
    "Ryan",
    "Sally",
    "Samantha",
    "Samuel",
    "Sandra",
    "Sara",
    "Sarah",
    "Scott",
    "Sean",
    "Sharon",
    "Shirley",
    "Sofia",
    "Sophia",
    "Stephanie",
    "Stephen",
    "Steven",
    "Susan",
    "Teresa",
    "Terry",
    "Theresa",
    "Thomas",
    "Timothy",
    "Tom",
    "Tyler",
    "Victoria",
    "Vincent",
    "Virginia",
    "Walter",
    "Wayne",
    "Wei",
    "William",
    "Willie",
    "Yusuf",
    "Zachary",
    "Zoe",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_in(text: &str) -> Vec<(&'static str, String)> {
        scan(text)
            .into_iter()
            .map(|h| (h.rule, text[h.start..h.end].to_string()))
            .collect()
    }

    #[test]
    fn word_lists_are_sorted() {
        for list in [STOP_WORDS, EPONYMS, FIRST_NAMES] {
            assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{:?}",
                list.windows(2).find(|w| w[0] >= w[1])
            );
        }
    }

    #[test]
    fn patterns_compile() {
        assert!(PATTERNS.len() > 20);
    }

    #[test]
    fn finds_each_kind() {
        let cases = [
            ("Seen on 03/14/2024 in clinic.", "date", "03/14/2024"),
            ("Admitted 14-Mar-2024.", "date", "14-Mar-2024"),
            ("Scanned March 14th 2024.", "date", "March 14th 2024"),
            ("CT on 2024-03-14.", "date", "2024-03-14"),
            ("Seen on the 14th of March.", "date", "the 14th of March"),
            ("A 93-year-old man.", "age-over-89", "93-year-old"),
            ("Call (555) 555-0142 now.", "phone", "(555) 555-0142"),
            ("Mail jo@example.org today.", "email", "jo@example.org"),
            ("SSN 123-45-6789.", "ssn", "123-45-6789"),
            ("MRN: 00482913.", "record-number", "MRN: 00482913"),
            ("Springfield, IL 62704.", "zip", "62704"),
            (
                "She lives at 42 Elm Street.",
                "street-address",
                "42 Elm Street",
            ),
            ("Host 10.12.4.31 answered.", "ip-address", "10.12.4.31"),
            (
                "See https://pacs.example.org/view?patientId=12345 now.",
                "identifying-url",
                "https://pacs.example.org/view?patientId=12345",
            ),
            ("Mrs. Alvarez returned.", "patient-name", "Mrs. Alvarez"),
            ("The patient John presented.", "patient-name", "John"),
            ("with his wife Mary at the bedside", "patient-name", "Mary"),
        ];
        for (text, rule, found) in cases {
            assert_eq!(rules_in(text), vec![(rule, found.to_string())], "{text}");
        }
    }

    #[test]
    fn radiology_prose_is_clean() {
        for text in [
            "Crohn disease, Hodgkin lymphoma, Wilms tumour and a Baker cyst.",
            "Colles and Smith fractures; a Segond fracture.",
            "A 3.2 x 4.1 cm mass at L4-L5 on T2 FLAIR, 2019 follow-up, day 3.",
            "A 45-year-old woman, 90 mg twice daily, 95% confidence, 101 F fever.",
            "May be normal. Patient Safety Week. Patient Education.",
            "Named after Hampton; a sign called Hampton hump.",
            "BI-RADS 4, T2N1M0, 35 HU, 10:30, PI-RADS 3, 120/80 mmHg, 1.5 T.",
            "DICOM UID 1.2.840.10008.5.1.4.1.1.2 and version 2.5.10.",
        ] {
            assert_eq!(rules_in(text), vec![], "{text}");
        }
    }
}
