//! SVG files as published: raster images embedded as `data:` URLs (`<image href="data:image/
//! jpeg;base64,…">`, also `xlink:href`) carry EXIF and GPS like any photo, so each is sanitised
//! by `images::sanitise` and written back in place; SVGs embedded the same way are treated like
//! the file itself. What an editor leaves behind is removed: `<metadata>` (RDF with title,
//! author, date), Inkscape's and Sodipodi's elements and attributes (`sodipodi:docname` and
//! `inkscape:export-filename` hold the names the author saved under, which can be a patient's
//! name) and comments. Everything else is kept byte for byte: the file is parsed with roxmltree
//! only to find where those parts are, and the edits are made on the original text.

use std::ops::Range;

use super::image_formats::{self as formats, FileKind};
use super::images;
use base64::Engine as _;

const SODIPODI: &str = "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd";
const INKSCAPE: &str = "http://www.inkscape.org/namespaces/inkscape";
const SVG: &str = "http://www.w3.org/2000/svg";
const XLINK: &str = "http://www.w3.org/1999/xlink";
/// SVGs embedded in SVGs embedded in …: deeper than this is refused rather than followed.
const MAX_DEPTH: usize = 4;

/// Why an SVG cannot be published, with the line it concerns when there is one.
#[derive(Debug, Clone)]
pub struct Problem {
    pub line: Option<usize>,
    pub message: String,
}

/// A file embedded in an SVG as a `data:` URL.
pub struct Embedded {
    /// The line of the element that holds it.
    pub line: usize,
    /// Where the attribute's value is in the SVG text.
    pub value: Range<usize>,
    /// What its bytes are (an `Other` is left alone: a font, a stylesheet, a link to text).
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// What `sanitise` changes in an SVG.
pub struct Parsed {
    pub embedded: Vec<Embedded>,
    /// Editor metadata, editor attributes (with the space before them) and comments.
    pub editor_data: Vec<Range<usize>>,
}

/// The embedded files and editor metadata of an SVG.
pub fn parse(text: &str) -> Result<Parsed, Problem> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| Problem {
        line: Some(e.pos().row as usize),
        message: format!(
            "it is not well-formed XML ({e}), so radpress cannot check what it holds (browsers \
             will not show it either)"
        ),
    })?;
    let mut embedded = Vec::new();
    let mut editor_data = Vec::new();
    let is_editor = |ns: Option<&str>| matches!(ns, Some(SODIPODI | INKSCAPE));
    for node in doc.descendants() {
        let range = node.range();
        let in_text = |r: &Range<usize>, starts: &str| {
            text.get(r.clone()).is_some_and(|t| t.starts_with(starts))
        };
        if node.is_comment() && in_text(&range, "<!--") {
            editor_data.push(range);
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name();
        if (is_editor(name.namespace())
            || (name.namespace() == Some(SVG) && name.name() == "metadata"))
            && in_text(&range, "<")
        {
            editor_data.push(range);
            continue;
        }
        for attr in node.attributes() {
            let range = attr.range();
            let qname = text.get(range.clone()).and_then(|t| t.split('=').next());
            if is_editor(attr.namespace())
                && qname.is_some_and(|q| q.trim_end().ends_with(attr.name()))
            {
                let start = text[..range.start].trim_end().len();
                editor_data.push(start..range.end);
                continue;
            }
            let value = attr.range_value();
            let is_href = attr.name() == "href" && matches!(attr.namespace(), None | Some(XLINK));
            let raw = text.get(value.clone()).unwrap_or("").trim_start();
            if !is_href
                || !raw
                    .get(..5)
                    .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
            {
                continue;
            }
            let line = doc.text_pos_at(node.range().start).row as usize;
            let Some((mime, bytes)) = decode(attr.value()) else {
                embedded.push(Embedded {
                    line,
                    value,
                    kind: FileKind::Other,
                    bytes: Vec::new(),
                });
                continue;
            };
            let ext = match mime.as_str() {
                "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
                "image/svg+xml" => "svg",
                m => m.strip_prefix("image/").unwrap_or(""),
            };
            embedded.push(Embedded {
                line,
                value,
                kind: formats::kind_of(ext, &bytes),
                bytes,
            });
        }
    }
    Ok(Parsed {
        embedded,
        editor_data,
    })
}

/// The MIME type (`type/subtype`, lower case) and bytes of a `data:` URL.
fn decode(url: &str) -> Option<(String, Vec<u8>)> {
    let url = data_url::DataUrl::process(url.trim()).ok()?;
    let mime = url.mime_type();
    let mime = format!("{}/{}", mime.type_, mime.subtype).to_ascii_lowercase();
    let (bytes, _) = url.decode_to_vec().ok()?;
    Some((mime, bytes))
}

/// The SVG as it is published: embedded raster images sanitised, embedded SVGs published the
/// same way, editor metadata and comments removed. None when it embeds a file that is never
/// published (DICOM, or an image radpress cannot sanitise): the privacy check reports those.
pub fn sanitise(text: &str) -> Result<Option<Vec<u8>>, Problem> {
    Ok(rewrite(text, 0)?.map(String::into_bytes))
}

fn rewrite(text: &str, depth: usize) -> Result<Option<String>, Problem> {
    let parsed = parse(text)?;
    let mut edits: Vec<(Range<usize>, String)> = parsed
        .editor_data
        .into_iter()
        .map(|r| (r, String::new()))
        .collect();
    for e in parsed.embedded {
        let at = |message: String| Problem {
            line: Some(e.line),
            message: format!("the image embedded at line {}: {message}", e.line),
        };
        let url = match e.kind {
            FileKind::Raster(format) => {
                let clean = images::sanitise(&e.bytes, format).map_err(at)?;
                data_url(formats::mime_type(format), &clean)
            }
            FileKind::Svg if depth >= MAX_DEPTH => {
                return Err(at(format!(
                    "SVGs are nested more than {MAX_DEPTH} deep; radpress does not follow them"
                )));
            }
            FileKind::Svg => {
                let inner = std::str::from_utf8(&e.bytes)
                    .map_err(|_| at("it is an SVG that is not UTF-8 text".into()))?;
                let Some(clean) = rewrite(inner, depth + 1).map_err(|p| at(p.message))? else {
                    return Ok(None);
                };
                data_url("image/svg+xml", clean.as_bytes())
            }
            FileKind::Dicom | FileKind::Unsanitisable(_) => return Ok(None),
            FileKind::Other => continue,
        };
        edits.push((e.value, url));
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, with) in edits {
        // Inside a part already removed (an image inside <metadata>).
        if range.start < at {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Ok(Some(out))
}

fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The format of an embedded image, for messages.
pub fn describe(kind: FileKind) -> String {
    match kind {
        FileKind::Raster(f) => formats::format_name(f).into(),
        FileKind::Unsanitisable(u) => u.name().into(),
        FileKind::Dicom => "DICOM".into(),
        FileKind::Svg => "SVG".into(),
        FileKind::Other => "file".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_metadata_and_comments_are_removed_and_the_rest_kept() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- Created with Inkscape -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\"\n   sodipodi:docname=\"doe_jane_ct.svg\"\n   inkscape:export-filename=\"/home/me/doe_jane.png\" viewBox=\"0 0 10 10\">\n  <metadata><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></metadata>\n  <sodipodi:namedview id=\"v\" inkscape:zoom=\"2\"/>\n  <title>Arrow</title>\n  <path d=\"M0 0L10 10\" inkscape:label=\"arrow\"/>\n</svg>\n";
        let out = String::from_utf8(sanitise(svg).unwrap().unwrap()).unwrap();
        for gone in [
            "doe_jane",
            "Created with",
            "metadata",
            "namedview",
            "inkscape:label",
        ] {
            assert!(!out.contains(gone), "{gone} left in:\n{out}");
        }
        assert!(out.contains("<title>Arrow</title>"));
        assert!(out.contains("viewBox=\"0 0 10 10\""));
        assert!(out.contains("<path d=\"M0 0L10 10\"/>"), "{out}");
        roxmltree::Document::parse(&out).unwrap();
    }

    #[test]
    fn an_svg_without_anything_to_remove_is_published_as_it_is() {
        let svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>";
        assert_eq!(sanitise(svg).unwrap().unwrap(), svg.as_bytes());
    }

    #[test]
    fn malformed_svg_is_a_problem_at_its_line() {
        let p = sanitise("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<g>\n</svg>").unwrap_err();
        assert_eq!(p.line, Some(3));
    }

    #[test]
    fn an_embedded_heic_refuses_the_file() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"{}\"/></svg>",
            data_url("image/heic", &heic)
        );
        let parsed = parse(&svg).unwrap();
        assert_eq!(
            parsed.embedded[0].kind,
            FileKind::Unsanitisable(formats::Unsupported::Heif)
        );
        assert!(sanitise(&svg).unwrap().is_none());
    }
}
