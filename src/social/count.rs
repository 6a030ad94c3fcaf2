//! Counting text the way each network counts it.
//!
//! X: the twitter-text v3 rules, written here rather than taken from the `twitter-text` crate
//! (which needs a C++ build): NFC first, then every URL counts 23, every emoji sequence counts 2
//! (v3; v2 counts its code points one by one), and every other code point weighs 1 inside the
//! configured ranges and 2 outside. Emoji sequences are found as grapheme clusters that start with
//! an emoji (or are keycaps), which covers ZWJ sequences, skin tones, flags and tag sequences.
//! `tests/social.rs` runs the counter against twitter-text's own conformance files.
//!
//! Bluesky: grapheme clusters (300) and UTF-8 bytes (3000). Mastodon: grapheme clusters, with
//! every URL that has a protocol counted as 23 (what its `StatusLengthValidator` does). Threads:
//! characters, with emoji counted as their UTF-8 byte length (its API documentation). LinkedIn:
//! UTF-16 code units (at least the number of characters, so never under the real count).

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::urls;

/// A twitter-text configuration (the `config/v*.json` files).
#[derive(Debug, Clone, Copy)]
pub struct XConfig {
    pub max_weighted_length: usize,
    pub scale: usize,
    pub default_weight: usize,
    pub transformed_url_length: usize,
    pub emoji_parsing: bool,
    pub ranges: &'static [(u32, u32, usize)],
}

const RANGES: &[(u32, u32, usize)] = &[
    (0, 4351, 100),
    (8192, 8205, 100),
    (8208, 8223, 100),
    (8242, 8247, 100),
];

/// twitter-text config v3 (the current one).
pub const X_V3: XConfig = XConfig {
    max_weighted_length: 280,
    scale: 100,
    default_weight: 200,
    transformed_url_length: 23,
    emoji_parsing: true,
    ranges: RANGES,
};

/// twitter-text config v2 (emoji counted code point by code point).
pub const X_V2: XConfig = XConfig {
    emoji_parsing: false,
    ..X_V3
};

/// What twitter-text's `parseTweet` returns (without the display and valid ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTweet {
    pub weighted_length: usize,
    pub valid: bool,
    pub permillage: usize,
}

fn is_invalid_char(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

/// Whether a grapheme cluster is one emoji entity (counted once, as 2, by twitter-text v3).
pub fn is_emoji_cluster(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest_has = |c: char| cluster.chars().skip(1).any(|x| x == c);
    if matches!(first, '0'..='9' | '#' | '*') {
        return rest_has('\u{20E3}');
    }
    if matches!(first, '\u{A9}' | '\u{AE}') {
        return rest_has('\u{FE0F}');
    }
    is_emoji_char(first)
}

fn is_emoji_char(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF
        | 0x2600..=0x27BF
        | 0x2300..=0x23FF
        | 0x2B00..=0x2BFF
        | 0x2190..=0x21FF
        | 0x25A0..=0x25FF
        | 0x2900..=0x297F
        | 0x203C | 0x2049 | 0x2122 | 0x2139 | 0x24C2
        | 0x3030 | 0x303D | 0x3297 | 0x3299)
}

/// Whether every character of `text` is a grapheme cluster of its own (but for CR LF, one
/// cluster of two), is unchanged by NFC and is never part of an emoji: Latin, Greek and Cyrillic
/// letters without combining marks, and the common punctuation (dashes, quotes, "…"). Most
/// posts are such text, and counting it needs no segmentation.
fn is_simple(text: &str) -> bool {
    // ASCII is simple, and most of a post is ASCII: only the other characters need a look.
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
        let mut chars = rest[at..].chars();
        if !chars.next().is_some_and(is_simple_char) {
            return false;
        }
        rest = chars.as_str();
    }
    true
}

fn is_simple_char(c: char) -> bool {
    matches!(c as u32,
        0..=0x2FF
        | 0x370..=0x482
        | 0x48A..=0x52F
        | 0x2010..=0x2027
        | 0x2030..=0x203B
        | 0x203D..=0x2048
        | 0x204A..=0x205E)
        && !matches!(c as u32, 0x374 | 0x37E | 0x387 | 0x385)
}

/// twitter-text's `parseTweet`: the weighted length of `text`, and whether X accepts it.
pub fn parse_tweet(text: &str, config: &XConfig) -> ParsedTweet {
    let simple = is_simple(text);
    let text: std::borrow::Cow<str> = if simple {
        text.into()
    } else {
        text.nfc().collect::<String>().into()
    };
    let text = text.as_ref();
    let spans = urls::extract_urls(text, true);
    let (total, invalid) = if simple {
        (simple_weight(text, &spans, config), false)
    } else {
        cluster_weight(text, &spans, config)
    };
    let weighted_length = total / config.scale;
    ParsedTweet {
        weighted_length,
        valid: !invalid && weighted_length > 0 && weighted_length <= config.max_weighted_length,
        permillage: weighted_length * 1000 / config.max_weighted_length,
    }
}

/// The weight of one code point outside URLs and emoji.
fn weight_of(c: char, config: &XConfig) -> usize {
    let cp = c as u32;
    config
        .ranges
        .iter()
        .find(|(start, end, _)| (*start..=*end).contains(&cp))
        .map_or(config.default_weight, |r| r.2)
}

/// The weight of simple text (`is_simple`) with URLs at `spans`: every character is its own
/// cluster, and none is an emoji or a character X refuses, so each URL weighs as a URL and each
/// character outside them as itself. (CR LF is one cluster of two characters, which weighs the
/// same.)
fn simple_weight(text: &str, spans: &[Range<usize>], config: &XConfig) -> usize {
    let weigh = |s: &str| s.chars().map(|c| weight_of(c, config)).sum::<usize>();
    let mut total = 0;
    let mut last = 0;
    for s in spans {
        total += weigh(&text[last..s.start]) + config.transformed_url_length * config.scale;
        last = s.end;
    }
    total + weigh(&text[last..])
}

/// The weight of NFC text with URLs at `spans`, by grapheme cluster (an emoji sequence weighs
/// as one emoji in v3), and whether it holds a character X refuses.
fn cluster_weight(text: &str, spans: &[Range<usize>], config: &XConfig) -> (usize, bool) {
    let mut total = 0usize;
    let mut invalid = false;
    let mut span_iter = spans.iter().peekable();
    for (start, cluster) in text.grapheme_indices(true) {
        let end = start + cluster.len();
        invalid |= cluster.chars().any(is_invalid_char);
        while span_iter.peek().is_some_and(|s| s.end <= start) {
            span_iter.next();
        }
        let overlaps = span_iter.peek().is_some_and(|s| s.start < end);
        if overlaps {
            for (off, c) in cluster.char_indices() {
                let at = start + off;
                match spans.iter().find(|s| s.contains(&at)) {
                    Some(s) if s.start == at => {
                        total += config.transformed_url_length * config.scale
                    }
                    Some(_) => {}
                    None => total += weight_of(c, config),
                }
            }
        } else if config.emoji_parsing && is_emoji_cluster(cluster) {
            total += config.default_weight;
        } else {
            total += cluster.chars().map(|c| weight_of(c, config)).sum::<usize>();
        }
    }
    (total, invalid)
}

/// The X (twitter-text v3) weighted length.
pub fn x_length(text: &str) -> usize {
    parse_tweet(text, &X_V3).weighted_length
}

/// Grapheme clusters (what Bluesky counts against 300).
pub fn graphemes(text: &str) -> usize {
    if is_simple(text) {
        let crlf = if text.contains('\r') {
            text.matches("\r\n").count()
        } else {
            0
        };
        text.chars().count() - crlf
    } else {
        text.graphemes(true).count()
    }
}

/// Mastodon: grapheme clusters, with each URL that has a protocol counted as 23.
pub fn mastodon_length(text: &str) -> usize {
    let spans = urls::extract_urls(text, false);
    let mut total = 0;
    let mut last = 0;
    for s in &spans {
        total += graphemes(&text[last..s.start]) + 23;
        last = s.end;
    }
    total + graphemes(&text[last..])
}

/// Threads: characters, with an emoji counted as its UTF-8 byte length.
pub fn threads_length(text: &str) -> usize {
    if is_simple(text) {
        return text.chars().count();
    }
    text.graphemes(true)
        .map(|g| {
            if is_emoji_cluster(g) {
                g.len()
            } else {
                g.chars().count()
            }
        })
        .sum()
}

/// LinkedIn: UTF-16 code units.
pub fn linkedin_length(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for simple text agrees with full segmentation on every character it covers.
    #[test]
    fn simple_text_counts_as_segmentation_does() {
        let mut covered = 0;
        for cp in 0..0x2100u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let text = format!("a{c}b{c}\r\n{c}");
            if !is_simple(&text) {
                continue;
            }
            covered += 1;
            let nfc: String = text.nfc().collect();
            assert_eq!(nfc, text, "U+{cp:04X} changes under NFC");
            assert_eq!(graphemes(&text), text.graphemes(true).count(), "U+{cp:04X}");
            let clusters: Vec<&str> = text.graphemes(true).collect();
            assert!(clusters.iter().all(|g| !is_emoji_cluster(g)), "U+{cp:04X}");
            let spans = urls::extract_urls(&text, true);
            for config in [&X_V3, &X_V2] {
                let by_cluster = cluster_weight(&text, &spans, config);
                assert_eq!(simple_weight(&text, &spans, config), by_cluster.0);
                assert!(!by_cluster.1, "U+{cp:04X} is refused");
            }
        }
        assert!(covered > 1000, "the shortcut covers {covered} characters");
        let accented = "Ce\u{301}sar";
        assert!(!is_simple(accented));
        assert_eq!(graphemes(accented), 5);
    }
}
