//! The text the privacy rules read: the source with HTML character references decoded
//! (`&#51;&#50;` is "32", `&amp;` is "&"), since a browser shows them decoded, and with a map back
//! to the source's byte offsets so that findings point at what the author wrote.

use std::borrow::Cow;

/// A text to scan and, when it differs from the source, where each of its bytes came from.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// For each byte of `text` (and one past the end), the source offset it came from; empty when
    /// `text` is the source itself.
    origin: Vec<usize>,
}

impl Decoded<'_> {
    /// The source span of the span `start..end` of the decoded text.
    pub fn source_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.origin.is_empty() {
            return (start, end);
        }
        let s = self.origin[start.min(self.origin.len() - 1)];
        // The end is the source end of the last byte: the start of the next one.
        let e = self.origin[end.min(self.origin.len() - 1)];
        (s, e.max(s + 1))
    }
}

/// The bounds of the sentence around `start..end`: from after the last of `ends` before it to
/// the first after it (the text's ends where there is none).
pub fn sentence(text: &str, start: usize, end: usize, ends: &[char]) -> (usize, usize) {
    let from = text[..start].rfind(ends).map_or(0, |p| p + 1);
    let to = text[end..].find(ends).map_or(text.len(), |p| end + p);
    (from, to)
}

/// `source` with its character references decoded (borrowed when it has none).
pub fn decode(source: &str) -> Decoded<'_> {
    // Full-width forms are U+FF01..U+FF5E, whose UTF-8 starts with 0xEF.
    let wide = source.as_bytes().contains(&0xEF)
        && source
            .chars()
            .any(|c| ('\u{ff01}'..='\u{ff5e}').contains(&c));
    if !wide && (!source.contains('&') || !has_reference(source)) {
        return Decoded {
            text: Cow::Borrowed(source),
            origin: Vec::new(),
        };
    }
    let mut text = String::with_capacity(source.len());
    let mut origin = Vec::with_capacity(source.len() + 1);
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < source.len() {
        if bytes[i] == b'&'
            && let Some((c, len)) = reference_at(&source[i..])
        {
            let before = text.len();
            text.push(c);
            origin.extend(std::iter::repeat_n(i, text.len() - before));
            i += len;
            continue;
        }
        let c = source[i..].chars().next().expect("in bounds");
        let before = text.len();
        text.push(narrow(c));
        for k in 0..text.len() - before {
            origin.push(i + k);
        }
        i += c.len_utf8();
    }
    origin.push(source.len());
    Decoded {
        text: Cow::Owned(text),
        origin,
    }
}

/// A full-width form of an ASCII character as ASCII ("＠" is "@", "０" is "0"): the rules read
/// "tvandijk＠hotmail.nl" as the address it is.
fn narrow(c: char) -> char {
    if ('\u{ff01}'..='\u{ff5e}').contains(&c) {
        char::from_u32(c as u32 - 0xff01 + 0x21).unwrap_or(c)
    } else {
        c
    }
}

fn has_reference(source: &str) -> bool {
    source
        .match_indices('&')
        .any(|(i, _)| reference_at(&source[i..]).is_some())
}

/// The character a reference at the start of `s` stands for, and the reference's length.
fn reference_at(s: &str) -> Option<(char, usize)> {
    let limit = (s.len().min(40)..=s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len());
    let end = s[..limit].find(';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ndash" => '–',
            "mdash" => '—',
            "hyphen" | "dash" => '-',
            "period" => '.',
            "colon" => ':',
            "sol" => '/',
            "commat" => '@',
            "num" => '#',
            "lpar" => '(',
            "rpar" => ')',
            "comma" => ',',
            "plus" => '+',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_decoded_and_mapped_back() {
        let src = "MRN &#52;&#52;71823 &amp; more";
        let d = decode(src);
        assert_eq!(d.text, "MRN 4471823 & more");
        let at = d.text.find("4471823").unwrap();
        assert_eq!(d.source_span(at, at + 7), (4, src.find(" &amp;").unwrap()));
        assert!(matches!(decode("a & b").text, Cow::Borrowed(_)));
        // A reference-like run ending inside a multi-byte character is no reference.
        let long = format!("&{}–x", "a".repeat(38));
        assert_eq!(decode(&long).text, long);
    }
}
