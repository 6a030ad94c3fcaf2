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
        "a record, accession, account, plan, licence, vehicle, device or other identifying number",
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
        "a personal name, or the name of a relative's or patient's workplace",
        "remove the name; say \"the patient\", \"his wife\", \"her employer\", …",
    ),
    (
        "place",
        "a town, city or county where a patient lives or comes from",
        "remove the place (at most the state or region may stay)",
    ),
    (
        "embedded-image",
        "an image embedded as a data: URL, published with its metadata",
        "save the image as a file beside the page and link that file: radpress publishes a copy without its metadata",
    ),
    (
        "face-photo",
        "a photograph of a face, by its file name",
        "remove the photograph (a full face identifies), or rename the file if it shows no face",
    ),
    (
        "overlay-text",
        "text typed out from an image's burned-in annotation",
        "remove the text; describe what the image shows instead",
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
    // Each pattern on its own: its lazy DFA finds the (rare) matches fast, and only then are
    // captures taken. (One RegexSet of them all is slower: with their Unicode classes the set's
    // DFA overflows its cache and falls back to the PikeVM, about 4 ms a page.)
    for pattern in PATTERNS.iter() {
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

const KEEP: Option<(usize, usize)> = Some((usize::MAX, 0));

fn compile(pattern: &str) -> Regex {
    let p = pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]");
    Regex::new(&p).unwrap_or_else(|e| panic!("privacy pattern {pattern}: {e}"))
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januari|februari|maart|mei|juni|juli|augustus|oktober|januar|februar|märz|mai|dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|augusti|maj|marts|januára|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|wrzesnia|października|pazdziernika|listopada|grudnia|ocak|şubat|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık)";

const US_STATES: &str = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY";

const STATE_NAMES: &str = "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming";

/// A holiday or a named day of `data/holidays.txt`, then a year: "Christmas 2022", "Tweede
/// Kerstdag 2022", "敬老の日 2024".
fn holidays() -> String {
    let names: Vec<String> = include_str!("data/holidays.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let words: Vec<String> = l
                .split_whitespace()
                .map(|w| regex::escape(w).replace(['\'', '’'], "['’]?"))
                .collect();
            let phrase = words.join(r"\s+");
            // A word boundary only where the name starts with a Latin letter: `compile` makes
            // `\b` ASCII, and there is none before "敬".
            if l.starts_with(|c: char| c.is_ascii_alphabetic()) {
                format!(r"\b{phrase}")
            } else {
                phrase
            }
        })
        .collect();
    format!(
        r"(?i)(?:{})\s*,?\s*(?:of\s+)?(?:19|20)\d{{2}}\b",
        names.join("|")
    )
}

/// A capitalised name word: "Mary", "O'Brien", "Smith-Jones".
const NAME: &str = r"\p{Lu}(?:\p{Ll}+|\p{Ll}?['’]\p{Lu}\p{Ll}+)(?:-\p{Lu}\p{Ll}+)?";

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
            "embedded-image",
            r"(?i)data:image/[a-z0-9.+-]+(?:;[a-z0-9=.-]+)*;base64,[A-Za-z0-9+/=\s]{8,}",
            accept_keep,
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
            r"(?:\+?1[ .-]?)?(?:\((?P<a>\d{3})\) ?|\b(?P<b>\d{3})[ .-])(?P<x>\d{3})[ .-](?P<l>\d{4})\b",
            accept_nanp,
        ),
        p(
            "phone",
            r"(?:\+|\b00)\d{1,3}[ .-]?(?:\(0\)[ .-]?)?\(?\d{1,4}\)?(?:[ .-]?\d{2,5}){1,4}\b",
            accept_intl,
        ),
        p(
            "phone",
            r"(?i)\b(?:phone|tel(?:ephone)?|fax|cell(?:phone)?|mobile|mob|pager|bleep|ph|call|called|ring|rang|text|texted|reach|reached|contact|landline|whatsapp|number)\b\.?(?: ?(?:no\.?|number|#))?(?:[ \t]+[a-z']+){0,3}?\s*[:#]?\s*(?P<m>\+?\(?\d[0-9 ().-]{5,}\d)",
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
            r"\b(?P<y>(?:19|20)\d{2})(?P<s1>[-/.])(?P<mo>\d{1,2})(?P<s2>[-/.])(?P<d>\d{1,2})(?:T[0-9:.]+(?:Z|[+-][0-9:]+)?)?\b",
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
                r"(?i)\b(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?(?:\s+(?:of|de|del))?[\s./-]*(?P<mon>{MONTH})\b(?:,?[\s./-]*(?:(?:de|del)\s+)?(?:(?:19|20)\d{{2}}|'\d{{2}})\b)?"
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
        // --- National phone numbers written with their trunk 0 (UK, Ireland, Australia,
        // India, Europe) and French pairs.
        p(
            "phone",
            r"(?:\(0\d{1,4}\)[ .-]?|\b0\d{1,4}[ .-]?)\d{2,4}(?:[ .-]?\d{2,4}){1,3}\b",
            accept_trunk_phone,
        ),
        // --- Dates in compact forms, without a year, and holidays with a year.
        p(
            "date",
            &format!(r"(?i)\b\d{{1,2}}[ -]?(?:{MONTH})[ -]?(?:(?:19|20)\d{{2}}|\d{{2}})\b"),
            accept_compact_date,
        ),
        p(
            "date",
            r"\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:T?\d{4,6}(?:\.\d+)?Z?)?\b",
            accept_compact_numeric_date,
        ),
        p(
            "date",
            r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})\b",
            accept_day_month_numeric,
        ),
        p("date", &holidays(), accept_keep),
        // Japanese and Chinese dates, with an era name or none ("昭和61年3月23日",
        // "1962年5月30日"), and Korean ones ("2023년 3월 6일").
        p(
            "date",
            r"(?:令和|平成|昭和|大正|明治)?[0-9０-９元]{1,4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日|[0-9]{4}\s*년\s*[0-9]{1,2}\s*월\s*[0-9]{1,2}\s*일",
            accept_keep,
        ),
        // --- Postal codes beyond the US and UK ones above.
        p(
            "zip",
            r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b",
            accept_canadian_postcode,
        ),
        p(
            "zip",
            r"\b(?:NSW|VIC|Vic|QLD|Qld|SA|WA|TAS|Tas|NT|ACT)\.?,?\s+(?P<m>\d{4})\b",
            accept_keep,
        ),
        p(
            "zip",
            r"\b[AC-FHKNPRTV-Y]\d{2}\s?[AC-FHKNPRTV-Y0-9]{4}\b",
            accept_eircode,
        ),
        p(
            "zip",
            r"(?:^|\n|,[ \t]*|\b[A-Z]{1,2}-)(?P<m>\d{4,5}(?:[ \t]?[A-Z]{2})?)[ \t]+\p{Lu}\p{Ll}{2,}",
            accept_european_postcode,
        ),
        p(
            "zip",
            r"(?i:\b(?:pin(?:\s*code)?|pincode)\b)\s*[:-]?\s*(?P<m>\d{3}\s?\d{3})\b|\p{Lu}\p{Ll}+[ \t]*[-–]?[ \t]*(?P<n>[1-9]\d{2}[ \t]\d{3})\b",
            accept_indian_pin,
        ),
        // --- Street addresses of other countries, and flats and units.
        p(
            "street-address",
            r"\b\p{Lu}[\p{Ll}ß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|steig|chaussee|straat|gracht|laan|plein|kade|singel|dijk|vej|gade|gatan|vägen|veien)[ \t]+\d{1,4}[ \t]?[a-z]?\b",
            accept_keep,
        ),
        p(
            "street-address",
            r"(?i:\b\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)[ \t]+)\p{L}[\p{L}'’ -]{2,40}",
            accept_keep,
        ),
        p(
            "street-address",
            r"\b(?:Calle|C/|Avenida|Avda\.?|Plaza|Paseo|Carrer|Carretera|Rua|Via|Viale|Piazza|Corso|Rambla|Travesía)[ \t]+[\p{L} .'’-]{2,40}?,?[ \t]*(?:n[º°o]\.?[ \t]*)?\d{1,4}\b",
            accept_keep,
        ),
        p(
            "street-address",
            r"\b(?:Flat|Apt\.?|Apartment|Unit|Suite|Ste\.?|House No\.?|H\.? ?No\.?|Plot|Door No\.?)[ \t]*\d+[A-Z]?(?:/\d+)?,[ \t]*\d*[ \t]*\p{Lu}",
            accept_keep,
        ),
        p(
            "street-address",
            r"\b\d{1,5}[A-Za-z]?,?[ \t]+(?:[A-Z][A-Za-z'’.-]*[ \t]+){1,3}(?:Close|Row|Walk|Rise|Vale|View|Parade|Esplanade|Quay|Wharf|Green|Heights|Nagar|Marg|Colony|Chowk|Layout|Cross|Main|Estate|Alley|Trail|Loop|Ridge|Path|Plaza|Promenade|Broadway|Terrace|Crescent|Gardens|Mews|Grove|Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Highway|Hwy|Parkway|Pkwy|Square|Sq|Park|Lawn|Meadows|Heath|Fields)\b",
            accept_keep,
        ),
        p(
            "street-address",
            r"\bSector[- ]\d{1,3}[A-Z]?,[ \t]*\p{Lu}",
            accept_keep,
        ),
        // --- National insurance numbers (UK) and vehicle plates (UK).
        p(
            "ssn",
            r"\b[A-CEGHJ-PR-TW-Z]{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?[A-D]\b",
            accept_keep,
        ),
        p(
            "record-number",
            r"\b[A-Z]{2}\d{2}[ \t]?[A-Z]{3}\b",
            accept_uk_plate,
        ),
        // --- Email addresses written to dodge filters ("name (at) host dot com").
        p(
            "email",
            r"(?i)\b[A-Za-z0-9._%+-]+\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+)\s*[A-Za-z0-9-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*[A-Za-z0-9-]+)*\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*(?:com|org|net|edu|gov|co|uk|ie|au|ca|in|de|fr|nl|za|nz|io|me|info|es|it|be|ch|at|se|no|dk|fi|pl|br|mx|jp|cn|sg|ng|ke)\b",
            accept_obfuscated_email,
        ),
        // --- Photographs of a face, by their file names.
        p(
            "face-photo",
            r"(?i)[\w.-]*(?:\bface|[-_]face|headshot|head-shot|portrait|selfie|mugshot|passport[-_]photo)[\w.-]*\.(?:jpe?g|png|webp|gif|tiff?|heic|heif|bmp|avif)\b",
            accept_keep,
        ),
        p(
            "face-photo",
            r"(?i)\b(?:full[- ]face|frontal face|face|facial)[ \t]+(?:photo(?:graph)?s?|images?|pictures?|portraits?|views?)\b[^.\n]{0,80}?\b(?P<m>[\w.-]+\.(?:jpe?g|png|heic|heif|webp|tiff?|gif|bmp))\b|(?i)\b(?P<n>[\w.-]+\.(?:jpe?g|png|heic|heif|webp|tiff?|gif|bmp))\b[^.\n]{0,50}?\b(?:full[- ]face|frontal face|face|facial|portrait|headshot)[ \t]+(?:photo|photograph|image|picture|view)",
            accept_named_photo,
        ),
        // --- A photograph of a face described in words (an alt text, a caption).
        p(
            "face-photo",
            r"(?i)\b(?:(?:clinical|frontal|front|close-up|colour|color|full-face|full face|profile|pre-?operative|post-?operative)[ \t]+)?(?:photo(?:graph)?|picture|portrait|selfie|snapshot|image)s?[ \t]+of[ \t]+(?:the[ \t]+)?(?:patient|his|her|their|him|the man|the woman|the child)(?:['’]s)?(?:[ \t]+face|[ \t]+taken|[ \t]+before|[ \t]+after|[ \t]+showing)\b[^\x22\n\]]*|(?i)\bfull[- ]face[ \t]+(?:photo(?:graph)?|picture|portrait|image|view)s?\b[^\x22\n\]]*",
            accept_keep,
        ),
        // --- Japanese postcodes after their mark ("〒440-1935").
        p("zip", r"〒[ \t]?[0-9]{3}-?[0-9]{4}", accept_keep),
        // --- Ages in other languages ("104 jaar", "91 anos", "93 år", "95歳").
        p(
            "age-over-89",
            r"(?i)\b(?:9\d|1[0-4]\d)[ \t]?(?:jaar|jahre|ans|años|anos|anni|lat|år|ár|vuotta|let|yaş|éves|ετών|歳|세|岁)",
            accept_age_years,
        ),
        // --- Ages in DICOM's form ("095Y") and "99 yrs".
        p("age-over-89", r"\b(?:0?9\d|1[0-4]\d)Y\b", accept_keep),
        p(
            "age-over-89",
            r"(?i)\b(?:9\d|1[0-4]\d)\s?(?:yrs?|years?|y)\b\.?",
            accept_age_years,
        ),
        // --- Vehicle plates of India and other formats with letter and digit groups.
        p(
            "record-number",
            r"\b[A-Z]{2}[ -]?\d{1,2}[ -]?[A-Z]{1,3}[ -]?\d{3,4}\b",
            accept_keep,
        ),
        // --- Streets named before their number in German ("Am Kirchberg 82a").
        p(
            "street-address",
            r"\b(?:Am|An der|An den|Auf dem|Auf der|Im|In der|In den|Zum|Zur|Unter den|Hinter der|Vor dem)[ \t]+\p{Lu}[\p{L}ß-]+[ \t]+\d{1,4}[ \t]?[a-z]?\b",
            accept_keep,
        ),
        // --- Companies (a workplace): capitalised words before a legal form.
        p(
            "patient-name",
            r"\b(?P<m>(?:\p{Lu}[\p{L}&'’.-]*[ \t]+){1,4}(?:Ltd|Limited|GmbH|Inc|LLC|Pty|plc|PLC|SpA|Srl|SARL|Lda))\b",
            accept_company,
        ),
        // --- Initials as a person, after a verb that takes a person ("called PD back").
        p(
            "patient-name",
            r"\b(?:called|phoned|rang|told|asked|informed|reassured|thanked|met|consented|discharged|admitted|examined|saw)[ \t]+(?P<m>[A-Z]{2,3})\b",
            accept_initials_as_person,
        ),
        // --- Personal names in patient context.
        p(
            "patient-name",
            &format!(
                r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master|Mme|Mlle|Herr|Frau|Sr|Sra|Srta|Dhr|Mevr|Shri|Smt|Kumari|Doña|Dona|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|[Ss]eñora|[Ss]eñor|[Ss]ignora|[Ss]ignor|[Mm]evrouw|[Mm]eneer|[Ss]enhora|[Ss]enhor)\.?[ \t]+(?P<n>{name2})|\bM\.?[ \t]+(?P<o>{name2})"
            ),
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
                r"(?i:\b(?:his|her|their|my|our|the patient's|the patient’s|whose|for)[ \t]+(?:wife|husband|son|daughter|mother|father|mom|mum|dad|brother|sister|partner|spouse|fianc[eé]e?|aunt|uncle|niece|nephew|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|cousin|friend|neighbou?r|caregiver|carer|employer|boss|guardian|child|twin|stepson|stepdaughter|stepmother|stepfather))[ \t]*[,(]?[ \t]*(?P<m>{name2}|\p{{Lu}}\.[ \t]?{NAME}(?:[ \t]{NAME})?)"
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
    let shaped = !reference_url(url) && (id_shaped(url) || named(url));
    (ID_PARAM.is_match(url) || ID_PATH.is_match(url) || shaped || personal_url(url))
        .then_some((m.start(), m.start() + url.len()))
}

/// A URL of a public reference (a journal, PubMed, a registry, a social network): its numbers
/// are articles and posts, not patients.
pub fn reference_url(url: &str) -> bool {
    const HOSTS: &[&str] = &[
        "doi.org",
        "ncbi.nlm.nih.gov",
        "nih.gov",
        "radiopaedia.org",
        "clinicaltrials.gov",
        "acr.org",
        "rsna.org",
        "ajronline.org",
        "who.int",
        "cdc.gov",
        "nhs.uk",
        "nice.org.uk",
        "rcr.ac.uk",
        "myesr.org",
        "arxiv.org",
        "orcid.org",
        "github.com",
        "wikipedia.org",
        "youtube.com",
        "youtu.be",
        "x.com",
        "twitter.com",
        "bsky.app",
        "linkedin.com",
        "threads.net",
        "mastodon.social",
        "springer.com",
        "wiley.com",
        "sciencedirect.com",
        "nature.com",
        "thelancet.com",
        "nejm.org",
        "bmj.com",
        "jamanetwork.com",
        "europepmc.org",
        "semanticscholar.org",
        "scholar.google.com",
        "isrctn.com",
        "eur-lex.europa.eu",
        "legislation.gov.uk",
        "ecfr.gov",
        "hhs.gov",
        "fda.gov",
        "ema.europa.eu",
        "dicomstandard.org",
        "nema.org",
        "loinc.org",
        "snomed.org",
        "radlex.org",
        "ismrm.org",
        "sirweb.org",
        "cirse.org",
        "esgar.org",
        "snmmi.org",
        "aapm.org",
        "ranzcr.com",
        "car.ca",
    ];
    let lower = url.to_ascii_lowercase();
    let host = lower
        .split("://")
        .nth(1)
        .unwrap_or(&lower)
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("");
    HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// A URL whose path names a person ("/help-karen-mason-recover"), read by the name lists.
/// A person's own page: a blog on a personal subdomain ("someone.blogspot.com"), or a
/// profile, a fundraiser or a post on a social or crowdfunding site whose path names someone
/// ("x.com/osoderberg12", "gofundme.com/f/oceane-dubois-recovery-fund"); a team's or an event's
/// page ("justgiving.com/team/great-north-run-2025") is not.
fn personal_url(url: &str) -> bool {
    const BLOGS: &[&str] = &[
        "blogspot.com",
        "wordpress.com",
        "substack.com",
        "tumblr.com",
        "wixsite.com",
        "weebly.com",
        "livejournal.com",
        "typepad.com",
        "blogger.com",
        "over-blog.com",
        "jimdosite.com",
        "webnode.page",
    ];
    const PROFILES: &[&str] = &[
        "x.com",
        "twitter.com",
        "instagram.com",
        "facebook.com",
        "fb.com",
        "tiktok.com",
        "linkedin.com",
        "youtube.com",
        "threads.net",
        "bsky.app",
        "medium.com",
        "mastodon.social",
        "reddit.com",
        "pinterest.com",
        "flickr.com",
        "snapchat.com",
        "gofundme.com",
        "justgiving.com",
        "gogetfunding.com",
        "crowdfunder.co.uk",
        "leetchi.com",
        "kisskissbankbank.com",
        "caringbridge.org",
        "givealittle.co.nz",
        "mycause.com.au",
        "chuffed.org",
        "ketto.org",
        "milaap.org",
        "vaki.co",
        "betterplace.org",
    ];
    let lower = url.to_lowercase();
    let rest = lower.split("://").nth(1).unwrap_or(&lower);
    let (host, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = host.strip_prefix("www.").unwrap_or(host);
    let on = |hosts: &[&str]| {
        hosts
            .iter()
            .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    };
    if on(BLOGS) && host.matches('.').count() >= 2 {
        return true;
    }
    if !on(PROFILES) {
        return false;
    }
    // A team's, an event's or an organisation's page names no one.
    const GROUPS: &[&str] = &[
        "team",
        "teams",
        "event",
        "events",
        "charity",
        "charities",
        "campaign",
        "campaigns",
        "groups",
        "group",
        "hashtag",
        "explore",
        "search",
        "tag",
        "tags",
        "company",
        "school",
        "org",
        "organization",
        "organisation",
        "pages",
        "watch",
        "playlist",
        "status",
    ];
    let first = path
        .trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    if GROUPS.contains(&first) {
        return false;
    }
    path.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '.')
        .filter(|w| !w.is_empty())
        .any(|w| {
            super::names::user_name(w)
                || w.split(['_', '.'])
                    .any(|p| super::names::url_name(p) || super::names::glued_name(p))
        })
        || named(url)
}

fn named(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let Some(slash) = rest.find('/') else {
        return false;
    };
    let path: String = rest[slash..]
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    !super::names::scan(&path, &Default::default()).is_empty()
}

/// A URL whose path or query holds an identifier-shaped part: six or more digits in a row, or a
/// letter-and-digit code of six or more characters with three or more digits.
fn id_shaped(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let Some(slash) = rest.find(['/', '?']) else {
        return false;
    };
    rest[slash..]
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| {
            let digits = part.chars().filter(char::is_ascii_digit).count();
            let mut run = 0;
            let mut best = 0;
            for c in part.chars() {
                run = if c.is_ascii_digit() { run + 1 } else { 0 };
                best = best.max(run);
            }
            best >= 6 || (digits >= 3 && part.len() >= 6 && digits < part.len())
        })
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
    // 555-0100 to 555-0199 is the only range reserved for fiction; other 555 numbers are real.
    let line: u32 = caps
        .name("l")
        .map_or(0, |l| l.as_str().parse().unwrap_or(0));
    if exchange == "555" && (100..=199).contains(&line) {
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
    // A software version ("version 10.2.1.4", "v4.1.0.12").
    if software_context(text, m.start()) {
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
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(ip) if ip.is_unspecified() || ip.is_loopback() => return None,
        Ok(_) => {}
        // Written a little wrong, still an address: six or more groups of hex digits.
        Err(_) if s.split(':').filter(|g| !g.is_empty()).count() >= 6 => {}
        Err(_) => return None,
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
    if event_date(text, m.start(), m.end()) {
        return None;
    }
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
    if event_date(text, m.start(), m.end()) {
        return None;
    }
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

/// Month words are dates when capitalised ("May 3", "14-MAR-2024"), or in lower case when they
/// are no everyday word too ("3 june", but not "may" the verb or "march" the walk).
fn capital_month(caps: &Captures) -> bool {
    caps.name("mon").is_some_and(|m| {
        let w = m.as_str();
        w.starts_with(|c: char| c.is_ascii_uppercase())
            || !matches!(
                w,
                "may" | "mar" | "march" | "aug" | "august" | "jan" | "sep" | "dec" | "mars" | "mai"
            )
    })
}

fn accept_day_month(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if event_date(text, m.start(), m.end()) {
        return None;
    }
    (capital_month(caps) && (1..=31).contains(&num(caps, "d"))).then_some(KEEP?)
}

/// A date of an event or a publication rather than of a patient: a conference, a meeting, a
/// publication or a review named in the words before it (in the same line), or a range of days
/// ("Dec 1-5", "26 February to 2 March"), unless a patient's event is named there too.
fn event_date(text: &str, start: usize, end: usize) -> bool {
    const EVENT: &[&str] = &[
        "published",
        "publication",
        "accessed",
        "epub",
        "online",
        "posted",
        "released",
        "retrieved",
        "last reviewed",
        "next review",
        "reviewed by",
        "revised",
        "updated",
        "meeting",
        "conference",
        "congress",
        "symposium",
        "course",
        "webinar",
        "summit",
        "annual",
        "edition",
        "guideline",
        "deadline",
        "registration",
        "abstract",
        "submission",
        "workshop",
        "lecture",
        "seminar",
        "journal club",
        "launched",
        "opened",
        "announced",
        "save the date",
        "issue",
        "volume",
        "vol.",
        "press release",
        "news",
        "newsletter",
        "anniversary",
        "holiday",
        "closed on",
        "closure",
        "opening hours",
        "training day",
        "rsna",
        "ecr",
        "ismrm",
        "arrs",
        "asnr",
        "cirse",
        "esgar",
        "essr",
        "snmmi",
        "aapm",
        "ukio",
        "esti",
        "esur",
        "eshnr",
        "aser",
        "scbt",
        "asco",
        "aur ",
        "acr ",
        "bir ",
        "rcr ",
        "aocr",
        "jrc",
        "kcr",
        "ranzcr",
        "car ",
        "spr ",
        "espr",
        "esnr",
        "isuog",
        "aium",
        "scct",
        "estro",
        "astro",
        "miccai",
        "published",
        "review due",
        "book by",
        "book",
        "booking",
        "approved",
        "governance",
        "version",
        "open day",
        "presented by",
        "network",
        "highlights",
        "timetable",
        "schedule",
        "programme",
        "program",
        "agenda",
        "minutes",
        "we met",
        "cycle",
        "audit",
        "closed",
        "open",
        "opening",
        "reopens",
        "holiday",
        "christmas",
        "easter",
        "effective",
        "valid",
        "expires",
        "deadline",
        "registration",
        "apply by",
        "closing date",
        "interviews",
        "start date",
        "starts",
        "launches",
        "celebrate",
        "celebrated",
        "booking",
        "opens",
        "open day",
        "arrived",
        "installed",
        "accreditation",
        "renewed",
        "appeal",
        "fundraising",
        "raised",
        "committee",
        "award",
        "ceremony",
        "staff",
        "students",
        "shortage",
        "went live",
        "go-live",
        "launch",
        "rota",
        "teaching session",
        "seminar",
        "our department",
        "the department",
        "our team",
        "scientific meeting",
        "asm",
        "attended",
        "visit to",
        "deadline",
        "exhibition",
        "recruitment",
        "esr ",
        "sir ",
        "world radiography day",
        "idor",
        "closes",
        "install",
        "installation",
        "planned",
        "beginning",
        "moves",
        "will",
        "re-audit",
        "refurbishment",
        "we",
        "our",
        "you",
        "your",
    ];
    const PATIENT: &[&str] = &[
        "admitted",
        "discharged",
        "born",
        "died",
        "dob",
        "biopsy",
        "injured",
        "fell",
        "birth",
        "death",
        "operated",
        "his",
        "her",
        "he",
        "she",
        "him",
    ];
    // The words before it in its own sentence and line.
    let line_start = text[..start]
        .rfind(['\n', '.', '!', '?'])
        .map_or(0, |p| p + 1);
    let from = (start.saturating_sub(90)).max(line_start);
    let from = (from..start)
        .find(|&p| text.is_char_boundary(p))
        .unwrap_or(start);
    let head = text[from..start].to_lowercase();
    let rest = &text[end..];
    let after_dash = rest
        .strip_prefix(['-', '–', '—'])
        .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    let to = rest.trim_start();
    let after_to = to.len() > 3
        && to.is_char_boundary(3)
        && to[..3].eq_ignore_ascii_case("to ")
        && to[3..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
    let range = after_dash || after_to;
    let before_dash = text[..start].trim_end().ends_with(['-', '–', '—'])
        && text[..start]
            .trim_end()
            .trim_end_matches(['-', '–', '—'])
            .ends_with(|c: char| c.is_ascii_digit());
    // The second date of a range ("from 30 March 2024 to 26 June 2024").
    let head_trim = text[..start].trim_end().to_lowercase();
    let second_of_range = (head_trim.ends_with(" to") || head_trim.ends_with(" until"))
        && text[line_start..start].chars().any(|c| c.is_ascii_digit());
    // A weekday before the date ("on Thursday 8 May 2025"): announcements and timetables
    // write dates so; a patient's history rarely does, and then says who.
    const WEEKDAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ];
    let weekday = head_trim
        .trim_end_matches([',', '*', '_'])
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .is_some_and(|w| WEEKDAYS.contains(&w));
    let range = range || before_dash || second_of_range || weekday;
    let patient = head
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| PATIENT.contains(&w));
    // An email's header line ("Sent: Sunday, 22 January 2023 21:35") dates a message of a
    // patient's or a relative's: never an announcement.
    let line_head = text[text[..start].rfind('\n').map_or(0, |p| p + 1)..start]
        .trim_start_matches(|c: char| c == '>' || c == '*' || c == '_' || c.is_whitespace())
        .to_lowercase();
    const HEADERS: &[&str] = &[
        "sent",
        "date",
        "datum",
        "envoyé",
        "enviado",
        "gesendet",
        "verzonden",
        "skickat",
        "inviato",
        "received",
        "written",
    ];
    if HEADERS.iter().any(|h| {
        line_head
            .strip_prefix(h)
            .is_some_and(|r| r.trim_start_matches(['*', '_', ' ']).starts_with(':'))
    }) {
        return false;
    }
    if history(text, start, end) {
        return true;
    }
    // "Scan of Wednesday 21 September 2022": a clinical event names the date as a patient's.
    const CLINICAL: &[&str] = &[
        "scan",
        "scanned",
        "imaged",
        "examined",
        "x-rayed",
        "radiograph",
        "ultrasound",
        "admission",
        "injury",
        "accident",
        "surgery",
        "operation",
    ];
    let last_words: Vec<&str> = head
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    let clinical = last_words
        .iter()
        .rev()
        .take(4)
        .any(|w| CLINICAL.contains(w));
    if clinical {
        return false;
    }
    // Whole words only ("asm" is no part of "plasma").
    let words: String = head
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let event = EVENT.iter().any(|w| {
        let w = w.trim().trim_end_matches('.');
        words.contains(&format!(" {w} "))
    });
    // "From 30 June 2025 you can book online": the department speaking to its readers, in the
    // rest of the sentence.
    let (_, tail_end) = super::text::sentence(text, start, end, &['.', '!', '?', '\n']);
    let tail: Vec<String> = text[end..tail_end]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let addressed = tail
        .iter()
        .any(|w| ["we", "our", "you", "your"].contains(&w.as_str()))
        && !tail.iter().any(|w| PATIENT.contains(&w.as_str()));
    !patient && (range || event || addressed)
}

/// A date of history: its year, or a year in its sentence, is before 1900 ("27 March 1845"), or
/// its paragraph names a pioneer of the field (`data/pioneers.txt`: "Hounsfield was born on 28
/// August 1919").
pub(super) fn history(text: &str, start: usize, end: usize) -> bool {
    static PIONEERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        include_str!("data/pioneers.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::trim)
            .collect()
    });
    let (sentence_from, sentence_to) = super::text::sentence(text, start, end, &['.', '\n']);
    if old_year(&text[sentence_from..sentence_to]) {
        return true;
    }
    let para_from = text[..start].rfind("\n\n").map_or(0, |p| p + 2);
    let para_to = text[end..].find("\n\n").map_or(text.len(), |p| end + p);
    let para = &text[para_from..para_to];
    // A paragraph about a patient is no history, whoever it names.
    if para.to_lowercase().contains("patient") {
        return false;
    }
    PIONEERS.iter().any(|p| {
        para.match_indices(p).any(|(i, _)| {
            let before = para[..i].chars().next_back();
            let after = para[i + p.len()..].chars().next();
            // "Hounsfield units" measure; they date nothing.
            let unit = para[i + p.len()..].trim_start().starts_with("unit");
            !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(char::is_alphanumeric)
                && !unit
        })
    })
}

/// A year before 1900 as a date writes it, after a month or "in", "on", "of", "since", "until",
/// "by" ("27 March 1845", "in 1895"): the sentence is about history, no patient of today.
pub(super) fn old_year(sentence: &str) -> bool {
    sentence
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| {
            let year = w[1].trim_end_matches([',', ';', ')', '.']);
            let before = w[0].trim_end_matches(',').to_lowercase();
            year.len() == 4
                && year.parse::<u32>().is_ok_and(|y| (1000..1900).contains(&y))
                && (MONTH_WORDS.contains(&before.as_str())
                    || ["in", "on", "of", "since", "until", "by", "c."].contains(&before.as_str()))
        })
}

/// The words before `at` name software ("version", "v", "firmware", "build").
fn software_context(text: &str, at: usize) -> bool {
    let head = text[..at].trim_end().to_ascii_lowercase();
    head.ends_with('v') && !head[..head.len() - 1].ends_with(|c: char| c.is_ascii_alphanumeric())
        || [
            "version", "ver.", "release", "build", "firmware", "software", "patch", "update",
            "driver", "revision", "rev.", "syngo", "vb", "ve", "va", "xa",
        ]
        .iter()
        .any(|w| head.ends_with(w))
}

fn accept_obfuscated_email(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?.as_str().to_ascii_lowercase();
    // "(at)" or "at" with "dot": someone hiding an address, not prose ("look at this.com").
    (m.contains("(at)") || m.contains("[at]") || m.contains("{at}") || m.contains(" dot "))
        .then_some(KEEP?)
}

/// "99 yrs", "101 years": an age, unless the words around make it a span of time ("95 years
/// ago", "over 100 years of", "for 90 years").
fn accept_age_years(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let rest = text[m.end()..].trim_start().to_ascii_lowercase();
    let head = text[..m.start()].trim_end().to_ascii_lowercase();
    const SPAN_AFTER: &[&str] = &[
        "ago",
        "of",
        "since",
        "later",
        "after",
        "before",
        "earlier",
        "history",
        "anniversary",
        "to",
        "in",
        "old",
        "at",
        "experience",
        "service",
        "on",
    ];
    const SPAN_BEFORE: &[&str] = &[
        "over", "for", "past", "last", "than", "nearly", "almost", "about", "some", "within",
    ];
    let next = rest
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let prev = head
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if SPAN_AFTER.contains(&next)
        || SPAN_BEFORE.contains(&prev)
        || grouped_age(text, m.start(), m.end())
    {
        return None;
    }
    KEEP
}

fn accept_initials_as_person(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    // Not an abbreviation of a test or a place ("called ED", "saw CT", "told GP").
    const NOT_PEOPLE: &[&str] = &[
        "CT", "MR", "MRI", "ED", "ER", "GP", "ICU", "ENT", "IR", "US", "PET", "OR", "AE", "HDU",
        "CCU", "NHS", "MDT", "PACS", "RIS", "EHR", "EPR", "IT", "HR", "OT", "PT", "SLT", "AMU",
        "MAU", "SDEC", "OPD", "ITU", "NICU", "PICU", "SCBU", "ACR", "RCR", "FBC", "CRP", "LFT",
        "ECG", "EEG", "AXR", "CXR", "USS", "DVT", "PE", "MI", "TIA", "CVA", "BP", "HR", "RR",
    ];
    let m = caps.name("m")?;
    (!NOT_PEOPLE.contains(&m.as_str())).then_some((m.start(), m.end()))
}

fn accept_named_photo(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.name("m").or(caps.name("n"))?;
    Some((m.start(), m.end()))
}

/// A company, unless a word of it is a maker or an institution radiology names ("Bayer AG",
/// "Siemens Healthineers AG").
fn accept_company(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.name("m")?;
    let known = m
        .as_str()
        .split_whitespace()
        .any(|w| super::names::is_safe(w) || is_stop(w));
    (!known).then_some((m.start(), m.end()))
}

fn accept_trunk_phone(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
    if !(9..=12).contains(&digits) || inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    KEEP
}

fn accept_compact_date(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let day: u32 = m
        .as_str()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()?;
    if !(1..=31).contains(&day) || inside_longer_number(text, m.start(), m.end()) {
        return None;
    }
    // "3 May 23" could be a count: written together or with a four-digit year only.
    let s = m.as_str();
    let spaced = s.contains(' ');
    let long_year = s.chars().rev().take_while(char::is_ascii_digit).count() == 4;
    if spaced && !long_year {
        return None;
    }
    if event_date(text, m.start(), m.end()) {
        return None;
    }
    KEEP
}

fn accept_compact_numeric_date(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if inside_longer_number(text, m.start(), m.end()) || software_context(text, m.start()) {
        return None;
    }
    let head = text[..m.start()].trim_end().to_ascii_lowercase();
    if ["pmid", "pmid:", "isbn", "isbn:", "nct", "snomed", "ct"]
        .iter()
        .any(|w| head.ends_with(w))
    {
        return None;
    }
    KEEP
}

/// "6/4" or "11/30" without a year: a date only when the words before it say a day (on, since,
/// DOB, seen, admitted …) and it is no fraction, score or ratio.
fn accept_day_month_numeric(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let (a, b) = (num(caps, "a"), num(caps, "b"));
    if !(valid_day_month(b, a) || valid_day_month(a, b)) {
        return None;
    }
    // Part of a longer date or number ("6/4/2023" is the other rule's), or a level ("C5/6").
    let prev = before(text, m.start());
    let next = after(text, m.end());
    if prev.is_some_and(|c| c.is_alphanumeric() || "/.-".contains(c))
        || next.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '%')
        || text[m.end()..].starts_with(['.', '-'])
            && text[m.end() + 1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let head = text[..m.start()].trim_end().to_lowercase();
    let last = head
        .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
        .next()
        .unwrap_or("");
    const DAY_WORDS: &[&str] = &[
        "on",
        "dated",
        "since",
        "from",
        "until",
        "till",
        "by",
        "before",
        "after",
        "dob",
        "d.o.b.",
        "d.o.b",
        "born",
        "seen",
        "admitted",
        "discharged",
        "scanned",
        "imaged",
        "performed",
        "presented",
        "returned",
        "died",
        "date",
        "visit",
        "attended",
        "operated",
        "injured",
        "fell",
        "last",
        "next",
        "of",
        "was",
        "were",
        "scan",
        "ct",
        "mri",
        "x-ray",
        "ultrasound",
        "us",
        "film",
        "study",
        "exam",
        "examination",
        "biopsy",
        "surgery",
        "procedure",
        "follow-up",
        "review",
        "reviewed",
        "referral",
        "referred",
        "appointment",
        "birthday",
        "lmp",
        "edd",
        "due",
        "today",
        "yesterday",
        "tomorrow",
        "night",
        "morning",
        "evening",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ];
    let rest = text[m.end()..].trim_start().to_lowercase();
    const NOT_DATES: &[&str] = &[
        "of",
        "cores",
        "core",
        "views",
        "view",
        "strength",
        "power",
        "vision",
        "scale",
        "patients",
        "cases",
        "sessions",
        "nodes",
        "lymph",
        "criteria",
        "points",
        "readers",
        "rib",
        "ribs",
        "segments",
        "lesions",
        "fractions",
        "doses",
        "score",
        "hpf",
        "sessions",
        "weeks",
    ];
    if NOT_DATES
        .iter()
        .any(|w| rest.starts_with(&format!("{w} ")) || rest == *w)
    {
        return None;
    }
    let time_after = rest.starts_with("at ") && rest[3..].starts_with(|c: char| c.is_ascii_digit());
    if event_date(text, m.start(), m.end()) {
        return None;
    }
    (DAY_WORDS.contains(&last) || time_after).then_some(KEEP?)
}

fn accept_canadian_postcode(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let s: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
    // A TNM stage ("T2N1M0") has the same shape.
    let b = s.as_bytes();
    if b[0] == b'T' && b[2] == b'N' && b[4] == b'M' {
        return None;
    }
    if before(text, m.start()).is_some_and(|c| c == '-' || c == '/') {
        return None;
    }
    KEEP
}

fn accept_eircode(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    let tail: String = m
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .skip(3)
        .collect();
    let letters = tail.chars().filter(char::is_ascii_alphabetic).count();
    let digits = tail.chars().filter(char::is_ascii_digit).count();
    (letters >= 1 && digits >= 1).then_some(KEEP?)
}

fn accept_european_postcode(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.name("m")?;
    let code = m.as_str();
    let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
    let year = digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"));
    let whole = caps.get(0)?;
    let word = &text[m.end()..whole.end()].trim();
    let lower = word.to_lowercase();
    let month_or_stop = MONTH_WORDS.contains(&lower.as_str())
        || is_stop(word)
        || lower.starts_with("patient")
        || lower.starts_with("case");
    if year || month_or_stop {
        return None;
    }
    Some((m.start(), m.end()))
}

const MONTH_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn accept_indian_pin(caps: &Captures, _: &str) -> Option<(usize, usize)> {
    let m = caps.name("m").or(caps.name("n"))?;
    Some((m.start(), m.end()))
}

fn accept_uk_plate(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    // Not inside a run of capitals ("ABCD12 EFG").
    if before(text, m.start()).is_some_and(|c| c.is_alphanumeric() || c == '-') {
        return None;
    }
    KEEP
}

fn accept_month_day(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if !capital_month(caps) || !(1..=31).contains(&num(caps, "d")) {
        return None;
    }
    // A citation ("Radiology. 2019 Mar 14;290(3)") is publication metadata.
    if after(text, m.end()) == Some(';') || event_date(text, m.start(), m.end()) {
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
    // The month and year of a full date ("18 March 2024"): the rule of full dates judges it.
    let day_before = text[..m.start()]
        .trim_end_matches([' ', ',', '.', '-'])
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .ends_with(|c: char| c.is_ascii_digit());
    if day_before {
        return None;
    }
    if !capital_month(caps)
        || after(text, m.end()) == Some(';')
        || event_date(text, m.start(), m.end())
    {
        return None;
    }
    // A month and a year alone ("June 2022") is a weak shape: it is a patient's date only when
    // its sentence is about a patient.
    patient_sentence(text, m.start(), m.end()).then_some(KEEP?)
}

/// The sentence around `start..end` speaks of a patient (a person, a symptom, an admission).
fn patient_sentence(text: &str, start: usize, end: usize) -> bool {
    const CUES: &[&str] = &[
        "patient",
        "pt ",
        "pt.",
        " he ",
        " she ",
        " his ",
        " her ",
        " him ",
        "man ",
        "woman",
        "boy",
        "girl",
        "child",
        "baby",
        "infant",
        "son ",
        "daughter",
        "wife",
        "husband",
        "mother",
        "father",
        "year-old",
        "yo ",
        "admitted",
        "discharged",
        "presented",
        "diagnosed",
        "referred",
        "symptom",
        "pain",
        "history",
        "dob",
        "born",
        "died",
        "death",
        "surgery",
        "operated",
        "biopsy",
        "scanned",
        "imaged",
        "seen",
        "treated",
        "injur",
        "fell",
        "fall",
        "complain",
        "started",
        "onset",
        "developed",
        "underwent",
        "had a",
        "was given",
        "first noticed",
        "mrn",
        "relapse",
        "recurr",
        "follow-up",
        "follow up",
        "last seen",
        "prior",
        "previous",
    ];
    let (from, to) = super::text::sentence(text, start, end, &['.', '!', '?', '\n']);
    let sentence = format!(" {} ", text[from..to].to_lowercase());
    CUES.iter().any(|c| sentence.contains(c))
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
    if grouped_age(text, m.start(), m.end()) {
        return None;
    }
    // "a 100-year-old building": the age of a thing, not a person.
    let next = text[m.end()..]
        .trim_start()
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    if s.to_ascii_lowercase().contains("old") && NOT_PEOPLE.contains(&next.as_str()) {
        return None;
    }
    KEEP
}

/// Nouns whose age is no patient's.
const NOT_PEOPLE: &[&str] = &[
    "building",
    "buildings",
    "hospital",
    "tradition",
    "institution",
    "house",
    "church",
    "bridge",
    "tree",
    "company",
    "clinic",
    "practice",
    "journal",
    "society",
    "technique",
    "method",
    "machine",
    "photograph",
    "film",
    "painting",
    "book",
    "school",
    "university",
    "ship",
    "wall",
    "town",
    "city",
    "village",
    "organisation",
    "organization",
    "department",
    "archive",
    "library",
    "oak",
    "specimen",
    "collection",
    "law",
    "rule",
    "debate",
    "question",
    "mystery",
    "record",
    "sign",
    "eponym",
    "textbook",
    "article",
    "paper",
    "discovery",
    "instrument",
];

/// "aged 90 or older", "90+", "over 90": the Safe Harbor group itself, not one person's age.
fn grouped_age(text: &str, start: usize, end: usize) -> bool {
    let rest = text[end..].trim_start().to_ascii_lowercase();
    let head = text[..start].trim_end().to_ascii_lowercase();
    rest.starts_with("or older")
        || rest.starts_with("or over")
        || rest.starts_with("and older")
        || rest.starts_with("and over")
        || rest.starts_with("or above")
        || rest.starts_with('+')
        || text[end..].starts_with('+')
        || ["over", "above", "least", "≥", ">", "beyond", "past"]
            .iter()
            .any(|w| head.ends_with(w))
}

fn accept_age_prefix(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let m = caps.get(0)?;
    if grouped_age(text, m.start(), m.end()) {
        return None;
    }
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

fn accept_titled_name(caps: &Captures, text: &str) -> Option<(usize, usize)> {
    let group = if caps.name("n").is_some() { "n" } else { "o" };
    // "Ms Trudy Vanstone, consultant radiographer": a colleague.
    if super::names::colleague_after(&text[caps.get(0)?.end()..]) {
        return None;
    }
    let words = name_words(caps, group);
    if words.is_empty() || is_stop(words[0]) {
        return None;
    }
    let whole = caps.get(0)?;
    // "M." is a French title, and an initial in a citation ("Smith M. Diagnostic accuracy"): a
    // name only when the lists know it.
    if (whole.as_str().starts_with("M.") || whole.as_str().starts_with("M "))
        && !super::names::is_known_name(words[0])
    {
        return None;
    }
    // Keep the second word only when it is a name too ("Mrs Patel Presented" → "Mrs Patel").
    let n = caps.name(group)?;
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

use super::names::{is_eponym, is_first_name, is_stop};

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
            (
                "Worse since Tweede Kerstdag 2022.",
                "date",
                "Tweede Kerstdag 2022",
            ),
            ("生年月日: 昭和61年3月23日", "date", "昭和61年3月23日"),
            (
                "Compared with the CT of 17 de junio de 2021.",
                "date",
                "17 de junio de 2021",
            ),
            (
                "Her blog: https://someone.blogspot.com/2022/ tells it.",
                "identifying-url",
                "https://someone.blogspot.com/2022/",
            ),
            ("住所: 〒440-1935", "zip", "〒440-1935"),
            ("Een man van 104 jaar.", "age-over-89", "104 jaar"),
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
            "Röntgen was born on 27 March 1845 and died on 10 February 1923.",
            "From 30 June 2025 you can book your own appointment online.",
            "Sponsor us: https://www.justgiving.com/team/great-north-run-2025 thanks.",
        ] {
            assert_eq!(rules_in(text), vec![], "{text}");
        }
    }
}
