//! URLs in text, found the way twitter-text's `extractUrlsWithIndices` finds them (a hand-written
//! scanner for the same grammar): an optional `http://` or `https://`, a domain whose last label is
//! a known top-level domain (twitter-text's list, in `tlds_*.txt`), every label at most 63
//! characters once converted to punycode, an optional port, path and query with twitter-text's
//! character sets and ending rules. Without a protocol only ASCII domains count, and a bare
//! `name.cc` (a country TLD with no subdomain and no path) does not, except `.co` and `.tv`.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

struct Tlds {
    generic: HashSet<&'static str>,
    country: HashSet<&'static str>,
}

fn tlds() -> &'static Tlds {
    static TLDS: OnceLock<Tlds> = OnceLock::new();
    TLDS.get_or_init(|| Tlds {
        generic: include_str!("tlds_generic.txt").lines().collect(),
        country: include_str!("tlds_country.txt").lines().collect(),
    })
}

fn is_directional(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}')
}

fn is_invalid(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

fn is_space(c: char) -> bool {
    matches!(c, '\u{09}'..='\u{0D}' | ' ' | '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{180E}'
        | '\u{2000}'..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// twitter-text's `validDomainChars`: anything but ASCII punctuation, spaces, controls,
/// directional marks and invalid characters.
fn is_domain_char(c: char) -> bool {
    // Letters and digits, the common case, first.
    c.is_ascii_alphanumeric()
        || !(c.is_ascii_punctuation()
            || is_space(c)
            || c.is_ascii_control()
            || is_directional(c)
            || is_invalid(c))
}

fn is_latin_accent(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}' | '\u{100}'..='\u{24F}'
        | '\u{253}' | '\u{254}' | '\u{256}' | '\u{257}' | '\u{259}' | '\u{25B}' | '\u{263}' | '\u{268}'
        | '\u{26F}' | '\u{272}' | '\u{289}' | '\u{28B}' | '\u{2BB}' | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}')
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{400}'..='\u{4FF}').contains(&c)
        || is_latin_accent(c)
        || "!*';:=+,.$/%#[]-\u{2013}_~&|@".contains(c)
}

fn is_path_end(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('\u{400}'..='\u{4FF}').contains(&c)
        || is_latin_accent(c)
        || "=_#/+-".contains(c)
}

fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!?*'@();:&=+$/%#[]-_.,~|".contains(c)
}

fn is_query_end(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_&=#/".contains(c)
}

/// The length of a domain label once converted to ASCII (punycode with `xn--`).
fn ascii_label_len(label: &str) -> usize {
    if label.is_ascii() {
        label.len()
    } else {
        4 + punycode(&label.to_lowercase()).len()
    }
}

/// RFC 3492 punycode encoding (only its length matters here, but it is the real encoding).
pub fn punycode(input: &str) -> String {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let adapt = |mut delta: u32, numpoints: u32, first: bool| -> u32 {
        delta = if first { delta / 700 } else { delta / 2 };
        delta += delta / numpoints;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + 38)
    };
    let digit = |d: u32| -> char {
        if d < 26 {
            (b'a' + d as u8) as char
        } else {
            (b'0' + (d - 26) as u8) as char
        }
    };
    let cps: Vec<u32> = input.chars().map(|c| c as u32).collect();
    let mut out: String = input.chars().filter(|c| c.is_ascii()).collect();
    let basic = out.len() as u32;
    let mut h = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (h as usize) < cps.len() {
        let m = cps.iter().copied().filter(|&c| c >= n).min().unwrap_or(n);
        delta = delta.saturating_add((m - n).saturating_mul(h + 1));
        n = m;
        for &c in &cps {
            if c < n {
                delta = delta.saturating_add(1);
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    out
}

fn valid_label(label: &str, underscores: bool) -> bool {
    let (Some(first), Some(last)) = (label.chars().next(), label.chars().last()) else {
        return false;
    };
    is_domain_char(first)
        && is_domain_char(last)
        && label
            .chars()
            .all(|c| is_domain_char(c) || c == '-' || (underscores && c == '_'))
        && ascii_label_len(label) <= 63
}

/// The end (byte offset) of a valid domain at the start of `s`, whether its TLD is a country
/// code, and whether it has subdomains.
fn domain_at(s: &str, ascii_only: bool) -> Option<(usize, bool, bool)> {
    let run_end = s
        .char_indices()
        .find(|&(_, c)| {
            let in_domain = if ascii_only {
                c.is_ascii_alphanumeric()
            } else {
                is_domain_char(c)
            };
            !(c == '.' || c == '-' || c == '_' || in_domain)
        })
        .map_or(s.len(), |(i, _)| i);
    let run = &s[..run_end];
    // One label is no domain (most words end here, before anything is allocated).
    if !run.contains('.') {
        return None;
    }
    let labels: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut at = 0;
        for part in run.split('.') {
            v.push((at, part));
            at += part.len() + 1;
        }
        v
    };
    let tlds = tlds();
    for k in (1..labels.len()).rev() {
        let (at, tld) = labels[k];
        // No TLD is empty: the dot ends a sentence.
        if tld.is_empty() {
            continue;
        }
        let lower = tld.to_lowercase();
        let is_cc = tlds.country.contains(lower.as_str());
        let known = is_cc
            || tlds.generic.contains(lower.as_str())
            || (lower.starts_with("xn--") && lower.len() > 4);
        if !known {
            continue;
        }
        let end = at + tld.len();
        // The TLD must not run on into a letter, digit, @, + or -.
        if s[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "@+-_".contains(c))
        {
            continue;
        }
        let name_ok = valid_label(labels[k - 1].1, false);
        let subs_ok = labels[..k - 1].iter().all(|(_, l)| valid_label(l, true));
        if name_ok && subs_ok {
            return Some((end, is_cc, k > 1));
        }
    }
    None
}

/// Length of a balanced-paren-aware run of characters accepted by `ok`, cut back to the last
/// character accepted by `end_ok`.
fn tail(s: &str, ok: fn(char) -> bool, end_ok: fn(char) -> bool, parens: bool) -> usize {
    let mut depth = 0i32;
    let mut last_good = 0;
    for (i, c) in s.char_indices() {
        let next = i + c.len_utf8();
        if parens && c == '(' {
            depth += 1;
        } else if parens && c == ')' {
            if depth == 0 {
                break;
            }
            depth -= 1;
            if depth == 0 {
                last_good = next;
            }
        } else if ok(c) {
            if end_ok(c) && depth == 0 {
                last_good = next;
            }
        } else {
            break;
        }
    }
    last_good
}

/// Byte ranges of the URLs in `text`. `without_protocol`: also find `example.com` forms.
pub fn extract_urls(text: &str, without_protocol: bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    // A URL's domain has a dot, and no space or control character comes between the URL's
    // start and that dot, or anywhere in the URL: a URL starts and ends within a word (between
    // such characters) that has a dot. Only those words are scanned, which leaves most of a
    // post alone.
    let mut scanned_to = 0;
    for (dot, _) in text.match_indices('.') {
        if dot < scanned_to {
            continue;
        }
        let start = text[..dot]
            .char_indices()
            .rfind(|&(_, c)| breaks_words(c))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let end = text[dot..]
            .find(breaks_words)
            .map_or(text.len(), |at| dot + at);
        urls_in_word(text, start..end, without_protocol, &mut found);
        scanned_to = end;
    }
    found
}

/// Spaces and control characters, which no URL holds.
fn breaks_words(c: char) -> bool {
    is_space(c) || c.is_ascii_control()
}

/// Add the URLs that start in `word` of `text` to `found`, scanning as twitter-text does.
fn urls_in_word(
    text: &str,
    word: Range<usize>,
    without_protocol: bool,
    found: &mut Vec<Range<usize>>,
) {
    let mut prev: Option<char> = text[..word.start].chars().next_back();
    let mut i = word.start;
    while i < word.end {
        let c = text[i..].chars().next().unwrap_or(' ');
        let preceding_ok = match prev {
            None => true,
            Some(p) => {
                is_directional(p)
                    || !(p.is_ascii_alphanumeric()
                        || matches!(p, '@' | '＠' | '$' | '#' | '＃')
                        || is_invalid(p))
            }
        };
        if preceding_ok && let Some(end) = url_at(text, i, without_protocol, prev) {
            found.push(i..end);
            prev = text[..end].chars().next_back();
            i = end;
            continue;
        }
        prev = Some(c);
        i += c.len_utf8();
    }
}

fn url_at(text: &str, start: usize, without_protocol: bool, prev: Option<char>) -> Option<usize> {
    let rest = &text[start..];
    // Compared on bytes: called at nearly every word of every post counted, it must not
    // allocate.
    let starts_with = |proto: &str| {
        rest.as_bytes()
            .get(..proto.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(proto.as_bytes()))
    };
    let proto = if starts_with("https://") {
        8
    } else if starts_with("http://") {
        7
    } else {
        0
    };
    if proto == 0
        && (!without_protocol
            || prev.is_some_and(|p| "-_./".contains(p))
            || !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
    {
        return None;
    }
    let after_proto = &rest[proto..];
    let (dom_end, is_cc, has_sub) = domain_at(after_proto, proto == 0)?;
    let mut end = proto + dom_end;
    // Port.
    if let Some(port) = rest[end..].strip_prefix(':') {
        let digits = port.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            end += 1 + digits;
        }
    }
    let mut has_path = false;
    if rest[end..].starts_with('/') {
        has_path = true;
        end += 1 + tail(&rest[end + 1..], is_path_char, is_path_end, true);
    }
    if rest[end..].starts_with('?') {
        let q = tail(&rest[end + 1..], is_query_char, is_query_end, false);
        if q > 0 {
            end += 1 + q;
        }
    }
    if proto == 0 && is_cc && !has_sub && !has_path {
        let tld = after_proto[..dom_end].rsplit('.').next().unwrap_or("");
        if !matches!(tld.to_ascii_lowercase().as_str(), "co" | "tv") {
            return None;
        }
    }
    Some(start + end)
}
