//! The privacy guard over published files rather than pages: DICOM files in content/ or static/
//! (an error: they carry the patient's name, IDs and dates in their headers), SVG files (text,
//! scanned with the same rules as pages; an SVG cannot waive a finding, the file is edited), and,
//! for `radpress check`, the metadata found in raster images (warnings: the build publishes
//! sanitised copies without it, see `outputs::images`).

use rayon::prelude::*;

use super::rules;
use crate::checks::{Finding, Severity};
use crate::error::{Diagnostic, offset_to_line_col};
use crate::outputs::images::{FileKind, ImageStats};
use crate::outputs::{Body, assets};
use crate::site::Site;
use crate::theme::{Source, Theme};

pub const DICOM_RULE: &str = "dicom";
pub const METADATA_RULE: &str = "image-metadata";

/// Findings of every published file; image metadata only when `metadata` is asked for.
pub fn check(site: &Site, theme: &Theme, stats: &ImageStats, metadata: bool) -> Vec<Finding> {
    let files = assets::published_files(site, theme);
    let mut findings: Vec<Finding> = files
        .par_iter()
        .flat_map_iter(|file| {
            let Body::Copy(Source::Disk(source)) = &file.body else {
                return Vec::new();
            };
            match stats.kind(source) {
                Ok(FileKind::Dicom) => vec![dicom_finding(&file.origin)],
                Ok(FileKind::Svg) => match std::fs::read_to_string(source) {
                    Ok(text) => check_svg(&file.origin, &text),
                    Err(_) => Vec::new(),
                },
                Ok(FileKind::Raster(_)) if metadata => std::fs::read(source)
                    .ok()
                    .and_then(|bytes| metadata_finding(&file.origin, &bytes))
                    .into_iter()
                    .collect(),
                // Unreadable files are reported by the build, with the fix.
                _ => Vec::new(),
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    findings
}

fn dicom_finding(origin: &str) -> Finding {
    let d = Diagnostic::new(
        origin,
        "this is a DICOM file: its header holds the patient's name, IDs and dates, so radpress \
         never publishes it",
    )
    .fix(
        "export the images you need from your viewer as de-identified PNG or JPEG (without text \
         overlays), link those, and remove the DICOM file from content/ and static/",
    );
    Finding::new(DICOM_RULE, Severity::Error, d)
}

/// Attribute values that hold geometry or tool versions, never patient data (Inkscape writes
/// `inkscape:version="1.2 (dc2aedaf03, 2022-05-15)"`), and embedded data URIs.
const SVG_EXEMPT_ATTRIBUTES: &[&str] = &[
    "d",
    "points",
    "transform",
    "viewBox",
    "inkscape:version",
    "version",
];

/// The privacy rules over an SVG's text, with geometry attributes and data URIs blanked out.
pub fn check_svg(origin: &str, text: &str) -> Vec<Finding> {
    let blanked = blank_exempt(text);
    let hits = rules::scan(&blanked);
    hits.iter()
        .map(|hit| {
            let (what, fix) = rules::describe(hit.rule);
            let matched = &text[hit.start..hit.end];
            let (line, col) = offset_to_line_col(text, hit.start);
            let line_start = text[..hit.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[hit.start..]
                .find('\n')
                .map_or(text.len(), |i| hit.start + i);
            let mut d = Diagnostic::new(
                origin,
                format!(
                    "possible patient identifier in an SVG file, {what}: `{}`",
                    super::mask(matched)
                ),
            )
            .at(line, col)
            .fix(format!(
                "{fix}; edit the SVG (its text, <title>, <desc>, <metadata> and attributes)"
            ));
            let shown = super::mask_spans(
                &text[line_start..line_end],
                &[(hit.start - line_start, hit.end - line_start)],
            );
            d.source_line = Some(shown.trim().chars().take(200).collect());
            let rule = rules::RULES
                .iter()
                .find(|(name, _, _)| *name == hit.rule)
                .map_or(super::WAIVER_RULE, |r| r.0);
            Finding::new(rule, Severity::Error, d)
        })
        .collect()
}

/// `text` with the values of exempt attributes and `data:` URIs replaced by spaces, byte for
/// byte, so offsets stay those of the file.
fn blank_exempt(text: &str) -> String {
    let mut ranges = Vec::new();
    for quote in ['"', '\''] {
        let mut at = 0;
        while let Some(i) = text[at..].find(['=']) {
            let eq = at + i;
            at = eq + 1;
            let value_start = match text[eq + 1..].chars().next() {
                Some(c) if c == quote => eq + 2,
                _ => continue,
            };
            let Some(len) = text[value_start..].find(quote) else {
                break;
            };
            let name_end = text[..eq].trim_end().len();
            let name_start = text[..name_end]
                .rfind(|c: char| c.is_whitespace() || c == '<')
                .map_or(0, |i| i + 1);
            let name = &text[name_start..name_end];
            let value = &text[value_start..value_start + len];
            if SVG_EXEMPT_ATTRIBUTES.contains(&name) || value.trim_start().starts_with("data:") {
                ranges.push((value_start, value_start + len));
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if ranges.iter().any(|&(s, e)| i >= s && i < e) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// What a raster image carries besides its pixels, as one warning, or None when it is clean.
pub fn metadata_finding(origin: &str, bytes: &[u8]) -> Option<Finding> {
    let found = metadata_of(bytes);
    if found.is_empty() {
        return None;
    }
    let d = Diagnostic::new(
        origin,
        format!(
            "image metadata found: {}; the build publishes the image without any metadata",
            found.join(", ")
        ),
    )
    .fix(
        "nothing to do for the site; the original file still carries it, so strip it there \
         too before sharing the file elsewhere",
    );
    Some(Finding::new(METADATA_RULE, Severity::Warning, d))
}

/// The kinds of metadata in an image file, in file order, without repeats.
pub fn metadata_of(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut add = |s: String| {
        if !found.contains(&s) {
            found.push(s);
        }
    };
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_metadata(bytes, &mut add);
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_metadata(bytes, &mut add);
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp_metadata(bytes, &mut add);
    } else if bytes.starts_with(b"GIF8") {
        gif_metadata(bytes, &mut add);
    }
    found
}

fn jpeg_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        let end = (at + 2 + len).min(bytes.len());
        let data = &bytes[(at + 4).min(end)..end];
        match marker {
            0xE1 if data.starts_with(b"Exif\0\0") => add(exif_summary(&data[6..])),
            0xE1 if data.starts_with(b"http://ns.adobe.com/xap/1.0/") => add("XMP".into()),
            0xED => add("IPTC (Photoshop)".into()),
            0xFE => add("a JPEG comment".into()),
            _ => {}
        }
        at = end;
    }
}

fn png_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = &bytes[at + 4..at + 8];
        let start = at + 8;
        let end = start.saturating_add(len as usize).min(bytes.len());
        let data = &bytes[start..end];
        let keyword = String::from_utf8_lossy(data.split(|&b| b == 0).next().unwrap_or(&[]));
        match kind {
            b"iTXt" if keyword == "XML:com.adobe.xmp" => add("XMP".into()),
            b"tEXt" | b"zTXt" | b"iTXt" => add(format!(
                "PNG text chunk {} (\"{}\")",
                String::from_utf8_lossy(kind),
                keyword.chars().take(40).collect::<String>()
            )),
            b"eXIf" => add(exif_summary(data)),
            b"tIME" => add("PNG modification time (tIME)".into()),
            b"IEND" => break,
            _ => {}
        }
        at = end + 4;
    }
}

fn webp_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let kind = &bytes[at..at + 4];
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        let start = at + 8;
        let end = start.saturating_add(len as usize).min(bytes.len());
        match kind {
            b"EXIF" => {
                let data = &bytes[start..end];
                add(exif_summary(data.strip_prefix(b"Exif\0\0").unwrap_or(data)));
            }
            b"XMP " => add("XMP".into()),
            _ => {}
        }
        at = end + (len as usize & 1);
    }
}

fn gif_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let table = |flags: u8| {
        if flags & 0x80 != 0 {
            3usize << ((flags & 7) + 1)
        } else {
            0
        }
    };
    let Some(&flags) = bytes.get(10) else { return };
    let mut at = 13 + table(flags);
    // Sub-blocks: a length byte, that many bytes, until a zero length.
    let skip_blocks = |mut at: usize| {
        while let Some(&n) = bytes.get(at) {
            at += 1 + n as usize;
            if n == 0 {
                break;
            }
        }
        at
    };
    while let Some(&block) = bytes.get(at) {
        match block {
            0x21 => {
                let label = bytes.get(at + 1).copied().unwrap_or(0);
                if label == 0xFE {
                    add("a GIF comment".into());
                } else if label == 0xFF && bytes.get(at + 3..at + 14) == Some(b"XMP DataXMP") {
                    add("XMP".into());
                }
                at = skip_blocks(at + 2);
            }
            0x2C => {
                let Some(&flags) = bytes.get(at + 9) else {
                    return;
                };
                at = skip_blocks(at + 10 + table(flags) + 1);
            }
            _ => break,
        }
    }
}

/// "EXIF (GPS position, camera, date taken, …)": what of an EXIF block identifies someone.
fn exif_summary(tiff: &[u8]) -> String {
    use exif::{Context, In, Tag};
    let Ok(exif) = exif::Reader::new().read_raw(tiff.to_vec()) else {
        return "EXIF (unreadable)".into();
    };
    let mut parts: Vec<&str> = Vec::new();
    let mut note = |s| {
        if !parts.contains(&s) {
            parts.push(s);
        }
    };
    for field in exif.fields() {
        match field.tag {
            t if t.context() == Context::Gps => note("GPS position"),
            Tag::DateTimeOriginal | Tag::DateTimeDigitized | Tag::DateTime => note("dates"),
            Tag::Make | Tag::Model => note("camera make and model"),
            Tag::BodySerialNumber | Tag::LensSerialNumber | Tag::ImageUniqueID => {
                note("serial numbers")
            }
            Tag::CameraOwnerName | Tag::Artist | Tag::Copyright => note("names"),
            Tag::ImageDescription | Tag::UserComment => note("description or comment"),
            Tag::Software => note("software"),
            Tag::MakerNote => note("maker note"),
            Tag::Orientation => note("orientation"),
            _ => {}
        }
        if field.ifd_num == In::THUMBNAIL {
            note("a thumbnail");
        }
    }
    let n = exif.fields().count();
    if parts.is_empty() {
        format!("EXIF ({n} fields)")
    } else {
        format!("EXIF ({}; {n} fields)", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_geometry_and_tool_versions_are_not_scanned() {
        let svg = "<svg inkscape:version=\"1.2 (dc2aedaf03, 2022-05-15)\">\n<path d=\"M 555 555 0142\"/>\n<text>Seen 2024-03-14</text></svg>";
        let found = check_svg("static/a.svg", svg);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, "date");
        assert_eq!(found[0].diagnostic.line, Some(3));
    }

    #[test]
    fn png_text_chunks_are_listed() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let data = b"Comment\0MRN 12345678";
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(b"tEXt");
        png.extend_from_slice(data);
        png.extend_from_slice(&[0; 4]);
        let found = metadata_of(&png);
        assert_eq!(found, vec!["PNG text chunk tEXt (\"Comment\")".to_string()]);
    }
}
