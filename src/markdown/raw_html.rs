//! Raw HTML in Markdown, and link targets: what a page may hold.
//!
//! Markdown lets an author write HTML. A hospital's site cannot run code an author (or a
//! compromised account, or a pasted snippet) slipped into a page, so unless the site says its
//! authors are trusted (`trusted_html = true` in site.toml), these are errors with file, line
//! and column:
//! - elements that run or load active content, or change where the page's links go:
//!   `<script>`, `<object>`, `<embed>`, `<applet>`, `<base>`, `<frame>`, `<frameset>`,
//!   `<meta http-equiv>`, and `<form>` (a page never collects a patient's data);
//! - event-handler attributes (`onload`, `onerror`, … any attribute starting with `on`);
//! - `<iframe srcdoc>` (a whole page inside the attribute);
//! - URLs with the `javascript:`, `vbscript:` or `data:` scheme (a `data:` image in `src` is
//!   fine), in any URL attribute and in Markdown links and images; entities and the spaces and
//!   control characters browsers ignore are removed before the scheme is read;
//! - `style` attributes holding `expression(` or `javascript:`.
//!
//! Everything else passes: tables, `<details>`, `<figure>`, `<video>`, `<iframe src="https://…">`
//! (a video host's player), `<svg>` without scripts or handlers. Comments are skipped.

/// One refused construct, at a byte offset in the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub offset: usize,
    pub message: String,
    pub fix: &'static str,
}

const ELEMENT_FIX: &str = "remove it; to embed a video, use an <iframe src=\"https://…\"> from the video host; if every author of this site is trusted, set trusted_html = true in site.toml";
const ATTRIBUTE_FIX: &str = "remove the attribute; pages of a radpress site run no code of their own (if every author of this site is trusted, set trusted_html = true in site.toml)";
const URL_FIX: &str = "link to an https:// address or to a page of the site instead";

/// Elements refused wherever they appear.
const REFUSED_ELEMENTS: [&str; 8] = [
    "script", "object", "embed", "applet", "base", "frame", "frameset", "form",
];

/// Attributes that hold a URL.
const URL_ATTRIBUTES: [&str; 11] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "srcset",
];

/// The refused constructs of a piece of raw HTML.
pub fn check(html: &str) -> Vec<Refused> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<').map(|k| k + i) {
        i = at + 1;
        let rest = &html[i..];
        if rest.starts_with("!--") {
            i = rest.find("-->").map_or(html.len(), |k| i + k + 3);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // An end tag, a declaration, or a lone `<` in text.
            continue;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        i += name_len;
        if REFUSED_ELEMENTS.contains(&name.as_str()) {
            found.push(Refused {
                offset: at,
                message: format!("raw HTML element <{name}> is not allowed in a page"),
                fix: ELEMENT_FIX,
            });
        }
        // Attributes, up to the end of the tag.
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let attr_at = i;
            let mut end = i + 1;
            while end < bytes.len()
                && !bytes[end].is_ascii_whitespace()
                && !matches!(bytes[end], b'/' | b'>' | b'=')
            {
                end += 1;
            }
            let attr = html[i..end].to_ascii_lowercase();
            i = end;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = None;
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let (start, stop, next) = match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = html[i + 1..]
                            .find(q as char)
                            .map_or(html.len(), |k| i + 1 + k);
                        (i + 1, close, (close + 1).min(html.len()))
                    }
                    _ => {
                        let stop = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |k| i + k);
                        (i, stop, stop)
                    }
                };
                value = Some(&html[start..stop]);
                i = next;
            }
            if let Some(why) = refused_attribute(&name, &attr, value) {
                found.push(Refused {
                    offset: attr_at,
                    message: why.0,
                    fix: why.1,
                });
            }
        }
    }
    found
}

/// Why the attribute `attr` (with `value`) of element `element` is refused, with its fix.
fn refused_attribute(
    element: &str,
    attr: &str,
    value: Option<&str>,
) -> Option<(String, &'static str)> {
    if attr.starts_with("on") && attr.len() > 2 {
        return Some((
            format!("the event-handler attribute `{attr}` on <{element}> is not allowed in a page"),
            ATTRIBUTE_FIX,
        ));
    }
    if attr == "srcdoc" {
        return Some((
            format!(
                "the `srcdoc` attribute on <{element}> is not allowed in a page (it holds a whole page)"
            ),
            ELEMENT_FIX,
        ));
    }
    if element == "meta" && attr == "http-equiv" {
        return Some((
            "raw HTML <meta http-equiv> is not allowed in a page (it can redirect readers)".into(),
            ELEMENT_FIX,
        ));
    }
    let value = value?;
    if attr == "style" {
        let v = normalise(value);
        if v.contains("expression(") || v.contains("javascript:") {
            return Some((
                format!("the `style` attribute on <{element}> holds a script"),
                ATTRIBUTE_FIX,
            ));
        }
        return None;
    }
    if URL_ATTRIBUTES.contains(&attr) {
        let image_source =
            matches!(attr, "src" | "srcset") && matches!(element, "img" | "source" | "picture");
        if let Some(scheme) = refused_scheme(value, image_source) {
            return Some((
                format!("a `{scheme}:` URL in `{attr}` on <{element}> is not allowed in a page"),
                URL_FIX,
            ));
        }
    }
    None
}

/// The refused scheme of `url` (`javascript`, `vbscript` or `data`), read as a browser reads it;
/// a `data:` image is allowed where an image is loaded (`image_source`).
pub fn refused_scheme(url: &str, image_source: bool) -> Option<&'static str> {
    let url = normalise(url);
    if url.starts_with("javascript:") {
        return Some("javascript");
    }
    if url.starts_with("vbscript:") {
        return Some("vbscript");
    }
    if let Some(data) = url.strip_prefix("data:") {
        let image = ["image/png", "image/jpeg", "image/gif", "image/webp"]
            .iter()
            .any(|t| data.starts_with(t));
        if !(image && image_source) {
            return Some("data");
        }
    }
    None
}

/// `value` with character references decoded, ASCII whitespace and control characters removed,
/// in lower case: `&#106;ava&#x09;script:` and ` JavaScript:` both read `javascript:`.
fn normalise(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some((decoded, used)) = reference(rest)
        {
            out.push(decoded);
            rest = &rest[used..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        out.push(c);
    }
    out.chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The character reference at the start of `s` (`&#106;`, `&#x6A`, `&colon;`, …) and its length.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let len = digits
            .find(|c: char| {
                !(if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                })
            })
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok()?;
        let used = 1 + 1 + usize::from(hex) + len + usize::from(digits[len..].starts_with(';'));
        return Some((char::from_u32(value).unwrap_or('\u{fffd}'), used));
    }
    for (name, c) in [
        ("colon;", ':'),
        ("Tab;", '\t'),
        ("NewLine;", '\n'),
        ("sol;", '/'),
        ("lpar;", '('),
        ("rpar;", ')'),
        ("amp;", '&'),
    ] {
        if body.starts_with(name) {
            return Some((c, 1 + name.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(html: &str) -> bool {
        !check(html).is_empty()
    }

    #[test]
    fn active_content_is_refused_in_every_spelling() {
        for bad in [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//x.org/a.js></SCRIPT>",
            "<script/src=x>",
            "<img src=x onerror=alert(1)>",
            "<img src=x\nONERROR = \"alert(1)\">",
            "<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>",
            "<svg onload=alert(1)>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
            "<a href=\" java\tscript:alert(1)\">x</a>",
            "<a href='VBScript:x'>x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
            "<iframe srcdoc=\"<script>x</script>\"></iframe>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<object data=x.swf></object>",
            "<embed src=x>",
            "<base href=\"https://evil.example/\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<form action=\"https://evil.example\"><input name=mrn></form>",
            "<div style=\"width: expression(alert(1))\">x</div>",
            "<details open ontoggle=alert(1)>",
            "<math href=\"javascript:alert(1)\">x</math>",
        ] {
            assert!(refused(bad), "{bad}");
        }
    }

    #[test]
    fn ordinary_html_passes() {
        for good in [
            "<details><summary>Answer</summary><p>Pneumothorax</p></details>",
            "<table><tr><td>1</td></tr></table>",
            "<img src=\"/images/chest.png\" alt=\"Chest radiograph\">",
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\">",
            "<a href=\"https://radiopaedia.org/\">Radiopaedia</a>",
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Video\"></iframe>",
            "<video controls src=\"/media/cine.mp4\"></video>",
            "<!-- <script>alert(1)</script> -->",
            "<p title=\"once upon a time\">x</p>",
            "<span class=\"online\">x</span>",
            "<abbr title=\"computed tomography\">CT</abbr> < 5 mm",
        ] {
            assert!(!refused(good), "{good}: {:?}", check(good));
        }
    }

    #[test]
    fn offsets_point_at_the_construct() {
        let html = "<p>ok</p>\n<img src=x onerror=alert(1)>";
        let found = check(html);
        assert_eq!(found.len(), 1);
        assert!(html[found[0].offset..].starts_with("onerror"));
    }
}
