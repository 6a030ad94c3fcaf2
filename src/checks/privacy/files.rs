//! The privacy guard over published files rather than pages: DICOM files in content/ or static/
//! (an error: they carry the patient's name, IDs and dates in their headers), images in formats
//! radpress cannot publish without their metadata (HEIC, AVIF, JPEG XL, …: an error with the
//! fix), SVG files (text, scanned with the same rules as pages; an SVG cannot waive a finding, the
//! file is edited; and the files embedded in them as `data:` URLs), and, for `radpress check`,
//! the metadata found in raster images, embedded ones included (warnings: the build publishes
//! sanitised copies without it, see `outputs::images` and `outputs::svg`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rayon::prelude::*;

use super::rules;
use crate::checks::{Finding, Severity};
use crate::error::{Diagnostic, offset_to_line_col};
use crate::outputs::images::{FileKind, ImageStats, Unsupported};
use crate::outputs::{Body, assets, svg};
use crate::site::Site;
use crate::theme::{Source, Theme};

pub const DICOM_RULE: &str = "dicom";
pub const METADATA_RULE: &str = "image-metadata";
pub const FORMAT_RULE: &str = "image-format";
/// SVGs embedded in SVGs are followed this deep (as `svg::sanitise` does).
const MAX_DEPTH: usize = 4;

/// The findings of each SVG file by path, with the modification time and size they were made
/// for, so that a rebuild in `radpress serve` reads and parses only the SVGs that changed.
#[derive(Default)]
pub struct SvgFindings {
    files: Mutex<rustc_hash::FxHashMap<PathBuf, SvgEntry>>,
}

/// An SVG's findings and where they belong in the next `SvgFindings`.
type Seen = (PathBuf, SvgEntry);

#[derive(Clone)]
struct SvgEntry {
    modified: Option<SystemTime>,
    len: u64,
    /// What the site knew to be safe when the findings were made (`Known::key`; 0 for SVGs).
    known: u64,
    findings: Arc<Vec<Finding>>,
}

/// Findings of every published file; image metadata only when `metadata` is asked for.
pub fn check(
    site: &Site,
    theme: &Theme,
    stats: &ImageStats,
    cache: &super::PrivacyCache,
    metadata: bool,
) -> Vec<Finding> {
    let svgs = &cache.svgs;
    let files = assets::published_files(site, theme);
    let known = super::Known::of_site(site);
    let previous = std::mem::take(&mut *svgs.files.lock().unwrap_or_else(|e| e.into_inner()));
    let results: Vec<(Vec<Finding>, Option<Seen>)> = files
        .par_iter()
        .map(|file| {
            let Body::Copy(Source::Disk(source)) = &file.body else {
                return (Vec::new(), None);
            };
            // The site's own files (not the theme's): their names become URLs, and archives
            // and text files are published as they are.
            let own = source.starts_with(site.root.join("static"))
                || source.starts_with(site.root.join("content"));
            // A name found clean before is not read again (its key: the name and what the site
            // knows to be safe).
            let name_key = xxhash_rust::xxh3::xxh3_64_with_seed(
                source.as_os_str().as_encoded_bytes(),
                known.key(),
            );
            let mut named = if own && !cache.was_clean(name_key) {
                let found = name_findings(&file.origin, source, &known);
                if found.is_empty() {
                    cache.clean([name_key]);
                }
                found
            } else {
                if own {
                    cache.clean([name_key]);
                }
                Vec::new()
            };
            if own && let Some(f) = archive_finding(&file.origin, source) {
                named.push(f);
                return (named, None);
            }
            let (mut found, seen) = match stats.kind(source) {
                Ok(FileKind::Other) if own && (extension(source) == "pdf" || is_text(source)) => {
                    let entry = if extension(source) == "pdf" {
                        pdf_entry(&file.origin, source, previous.get(source), &known)
                    } else {
                        text_entry(&file.origin, source, previous.get(source), &known)
                    };
                    let found = entry
                        .as_ref()
                        .map_or_else(Vec::new, |e| e.findings.to_vec());
                    (found, entry.map(|e| (source.clone(), e)))
                }
                Ok(FileKind::Dicom) => (vec![dicom_finding(&file.origin, None)], None),
                Ok(FileKind::Unsanitisable(what)) => {
                    (vec![format_finding(&file.origin, what, None)], None)
                }
                Ok(FileKind::Svg) => {
                    let entry = svg_entry(&file.origin, source, previous.get(source));
                    let found = entry.as_ref().map_or_else(Vec::new, |e| {
                        e.findings
                            .iter()
                            .filter(|f| metadata || f.rule != METADATA_RULE)
                            .cloned()
                            .collect()
                    });
                    (found, entry.map(|e| (source.clone(), e)))
                }
                Ok(FileKind::Raster(_)) if metadata => {
                    let found = crate::input::read(source, crate::input::FILE_LIMIT)
                        .ok()
                        .and_then(|bytes| metadata_finding(&file.origin, &bytes, None))
                        .into_iter()
                        .collect();
                    (found, None)
                }
                // Unreadable files are reported by the build, with the fix.
                _ => (Vec::new(), None),
            };
            found.append(&mut named);
            // Findings name the file with the identifiers of its name masked (worked out only
            // for the rare file that has findings).
            for f in &mut found {
                f.diagnostic.file = super::masked_path(&f.diagnostic.file, &known);
            }
            (found, seen)
        })
        .collect();
    let mut findings = Vec::new();
    let mut kept = rustc_hash::FxHashMap::default();
    for (found, entry) in results {
        findings.extend(found);
        kept.extend(entry);
    }
    *svgs.files.lock().unwrap_or_else(|e| e.into_inner()) = kept;
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    findings
}

/// The findings of the file at `source`, reused from `previous` while its modification time and
/// size are the same, else made by `find` from its size and bytes; None when it cannot be read.
fn kept_entry(
    source: &Path,
    previous: Option<&SvgEntry>,
    known: u64,
    find: impl FnOnce(u64) -> Option<Vec<Finding>>,
) -> Option<SvgEntry> {
    let meta = std::fs::metadata(source).ok()?;
    let (modified, len) = (meta.modified().ok(), meta.len());
    if let Some(p) = previous
        && p.modified.is_some()
        && p.modified == modified
        && p.len == len
        && p.known == known
    {
        return Some(p.clone());
    }
    Some(SvgEntry {
        modified,
        len,
        known,
        findings: Arc::new(find(len)?),
    })
}

/// The findings of the SVG at `source`; None when it cannot be read as text (the build reports
/// that, with the fix).
fn svg_entry(origin: &str, source: &Path, previous: Option<&SvgEntry>) -> Option<SvgEntry> {
    kept_entry(source, previous, 0, |_| {
        let bytes = crate::input::read(source, crate::input::FILE_LIMIT).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(svg_findings(origin, &text))
    })
}

/// Files published as they are whose text a reader sees: scanned like a page.
const TEXT_EXTENSIONS: &[&str] = &[
    "txt", "csv", "tsv", "json", "html", "htm", "xml", "md", "ics", "vcf", "yaml", "yml", "rtf",
    "log",
];

/// Published archives: they may hold anything, DICOM series above all.
const ARCHIVE_EXTENSIONS: &[&str] = &[
    "zip", "tar", "gz", "tgz", "bz2", "xz", "7z", "rar", "zst", "cab", "iso", "dmg",
];

/// Text files are scanned up to this size; a larger one is an error (it cannot be checked).
const TEXT_LIMIT: u64 = 8 * 1024 * 1024;

pub const ARCHIVE_RULE: &str = "archive";

fn extension(source: &Path) -> String {
    source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_text(source: &Path) -> bool {
    TEXT_EXTENSIONS.contains(&extension(source).as_str())
}

/// An archive in content/ or static/ (by its name or its first bytes): refused, since radpress
/// cannot look inside it for DICOM files, images with metadata or identifiers.
fn archive_finding(origin: &str, source: &Path) -> Option<Finding> {
    use std::io::Read;
    let mut head = [0u8; 6];
    let n = crate::input::open(source)
        .and_then(|(mut f, _)| f.read(&mut head))
        .unwrap_or(0);
    let magic = head[..n].starts_with(b"PK\x03\x04")
        || head[..n].starts_with(&[0x1f, 0x8b])
        || head[..n].starts_with(b"7z\xbc\xaf")
        || head[..n].starts_with(b"Rar!");
    if !magic && !ARCHIVE_EXTENSIONS.contains(&extension(source).as_str()) {
        return None;
    }
    let d = Diagnostic::new(
        origin,
        "this is an archive: radpress cannot check what is inside it (DICOM files, images with \
         their metadata, patient identifiers), so it never publishes one",
    )
    .fix("unpack it and add the files themselves (images are then published without their metadata), or remove it from content/ and static/");
    Some(Finding::new(ARCHIVE_RULE, Severity::Error, d))
}

/// The identifiers in a published file's own name (it becomes its URL). The finding names the
/// folder, never the file.
fn name_findings(origin: &str, source: &Path, known: &super::Known) -> Vec<Finding> {
    let Some(name) = source.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let folder = Path::new(origin)
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hits = super::scan_file_name_with(&name, known);
    // Every identifier of the name is masked in each message, not only the one it reports.
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    let masked = super::mask_spans(&name, &super::merge_spans(spans));
    hits.iter()
        .map(|hit| {
            let (what, fix) = rules::describe(hit.rule);
            let d = Diagnostic::new(
                &folder,
                format!("a published file's name (`{masked}`) contains {what}"),
            )
            .fix(format!("rename the file; {fix}"));
            Finding::new(rule_of(hit.rule), Severity::Error, d)
        })
        .collect()
}

fn rule_of(rule: &str) -> &'static str {
    rules::RULES
        .iter()
        .find(|(name, _, _)| *name == rule)
        .map_or(super::WAIVER_RULE, |r| r.0)
}

/// The findings of a published text file; one too large to read is an error of its own.
fn text_entry(
    origin: &str,
    source: &Path,
    previous: Option<&SvgEntry>,
    known: &super::Known,
) -> Option<SvgEntry> {
    kept_entry(source, previous, known.key(), |len| {
        if len > TEXT_LIMIT {
            return Some(vec![Finding::new(
                super::WAIVER_RULE,
                Severity::Error,
                Diagnostic::new(
                    origin,
                    format!("this text file is {len} bytes: radpress checks published text files for patient identifiers up to {TEXT_LIMIT} bytes"),
                )
                .fix("split it, or publish it from outside radpress after checking it yourself"),
            )]);
        }
        let bytes = crate::input::read(source, crate::input::FILE_LIMIT).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        Some(text_findings(
            origin,
            &text,
            &text,
            "a published text file",
            known,
        ))
    })
}

/// PDFs are read up to this size; a larger one is an error (it cannot be checked).
const PDF_LIMIT: u64 = 64 * 1024 * 1024;

pub const PDF_RULE: &str = "pdf";

/// The findings of a published PDF: its pages' text and its document information (title,
/// author, subject, keywords) scanned like a page. A PDF whose text radpress cannot read is an
/// error: it cannot be checked.
fn pdf_entry(
    origin: &str,
    source: &Path,
    previous: Option<&SvgEntry>,
    known: &super::Known,
) -> Option<SvgEntry> {
    kept_entry(source, previous, known.key(), |len| {
        let unreadable = |why: &str| {
            vec![Finding::new(
                PDF_RULE,
                Severity::Error,
                Diagnostic::new(
                    origin,
                    format!("radpress cannot check this PDF for patient identifiers: {why}"),
                )
                .fix("export the document again as an unencrypted PDF with text (or publish it from outside radpress after checking it yourself)"),
            )]
        };
        if len > PDF_LIMIT {
            return Some(unreadable(&format!(
                "it is {len} bytes, and radpress reads PDFs up to {PDF_LIMIT} bytes"
            )));
        }
        let bytes = crate::input::read(source, crate::input::FILE_LIMIT).ok()?;
        Some(match pdf_text(&bytes) {
            Some(text) => text_findings(origin, &text, &text, "the text of a published PDF", known),
            None => unreadable(
                "its text cannot be read (damaged, encrypted or in a form radpress does not read)",
            ),
        })
    })
}

/// The text of a PDF's pages, then its document information, one entry per line; None when the
/// file does not parse. A PDF of scanned pages has no text: like an image, its pixels are the
/// attestations' business.
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    // A hostile file must not take the build down with it.
    std::panic::catch_unwind(|| {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        let mut text = if pages.is_empty() {
            String::new()
        } else {
            doc.extract_text(&pages).ok()?
        };
        let info = doc
            .trailer
            .get(b"Info")
            .and_then(lopdf::Object::as_reference)
            .and_then(|id| doc.get_dictionary(id));
        if let Ok(info) = info {
            for (key, value) in info.iter() {
                if let Ok(v) = lopdf::decode_text_string(value) {
                    text.push_str(&format!("\n{}: {v}", String::from_utf8_lossy(key)));
                }
            }
        }
        Some(text)
    })
    .ok()
    .flatten()
}

/// Everything found in an SVG: its text, and the files embedded in it (metadata findings are
/// warnings, for `check` only). A file that does not parse gets its text findings alone: the
/// build says what is wrong with it.
pub fn svg_findings(origin: &str, text: &str) -> Vec<Finding> {
    let mut found = check_svg(origin, text);
    if let Ok(parsed) = svg::parse(text) {
        embedded_findings(origin, &parsed, None, 0, &mut found);
    }
    found
}

/// Findings of the files embedded in an SVG; `outer` is the line of the element that embeds this
/// SVG in the file itself, when it is embedded.
fn embedded_findings(
    origin: &str,
    parsed: &svg::Parsed,
    outer: Option<usize>,
    depth: usize,
    found: &mut Vec<Finding>,
) {
    for e in &parsed.embedded {
        let line = outer.unwrap_or(e.line);
        match e.kind {
            FileKind::Dicom => found.push(dicom_finding(origin, Some(line))),
            FileKind::Unsanitisable(what) => found.push(format_finding(origin, what, Some(line))),
            FileKind::Raster(_) => found.extend(metadata_finding(origin, &e.bytes, Some(line))),
            FileKind::Svg if depth < MAX_DEPTH => {
                let Ok(inner) = std::str::from_utf8(&e.bytes) else {
                    continue;
                };
                for mut f in check_svg(origin, inner) {
                    let d = &mut f.diagnostic;
                    d.message = format!("in the SVG embedded at line {line}: {}", d.message);
                    d.line = Some(line);
                    d.column = None;
                    found.push(f);
                }
                if let Ok(inner) = svg::parse(inner) {
                    embedded_findings(origin, &inner, Some(line), depth + 1, found);
                }
            }
            _ => {}
        }
    }
}

/// A DICOM file, or (with its line) one embedded in an SVG.
fn dicom_finding(origin: &str, embedded_at: Option<usize>) -> Finding {
    let what = match embedded_at {
        None => "this is a DICOM file".to_string(),
        Some(line) => format!("the file embedded at line {line} is a DICOM file"),
    };
    let d = Diagnostic::new(
        origin,
        format!(
            "{what}: its header holds the patient's name, IDs and dates, so radpress never \
             publishes it"
        ),
    )
    .fix(
        "export the images you need from your viewer as de-identified PNG or JPEG (without text \
         overlays), link those, and remove the DICOM file from content/ and static/",
    );
    let d = match embedded_at {
        Some(line) => d.line(line),
        None => d,
    };
    Finding::new(DICOM_RULE, Severity::Error, d)
}

/// An image radpress cannot sanitise, or (with its line) one embedded in an SVG.
fn format_finding(origin: &str, what: Unsupported, embedded_at: Option<usize>) -> Finding {
    let name = what.name();
    let (subject, fix) = match embedded_at {
        None => (
            format!("this is a {name}"),
            format!(
                "open it in your photo app or an image editor, export it as JPEG or PNG, link \
                 that file instead, and remove the {name} from content/ and static/"
            ),
        ),
        Some(line) => (
            format!("the image embedded at line {line} is a {name}"),
            "export that image as JPEG or PNG and embed (or link) the export instead".to_string(),
        ),
    };
    let d = Diagnostic::new(
        origin,
        format!(
            "{subject}, which radpress cannot decode, so it cannot publish a copy without the \
             image's metadata (EXIF with GPS position, dates, camera serial numbers); it is \
             never published as it is"
        ),
    )
    .fix(fix);
    let d = match embedded_at {
        Some(line) => d.line(line),
        None => d,
    };
    Finding::new(FORMAT_RULE, Severity::Error, d)
}

/// Attribute values that hold geometry or tool versions, never patient data (Inkscape writes
/// `inkscape:version="1.2 (dc2aedaf03, 2022-05-15)"`); namespace declarations and embedded data
/// URIs are not scanned either.
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
    text_findings(
        origin,
        &blank_exempt(text),
        text,
        "an SVG file",
        &super::Known::default(),
    )
}

/// The privacy rules over `scanned` (the file's text, or it with exempt parts blanked, byte for
/// byte), reported against `text`. Such files cannot waive a finding: the file is edited.
/// The findings of a published file's text; `known` is what the site publishes on purpose (its
/// own contact data and people, never a finding in a file either).
fn text_findings(
    origin: &str,
    scanned: &str,
    text: &str,
    kind: &str,
    known: &super::Known,
) -> Vec<Finding> {
    let hits = super::scan_with(scanned, known);
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    let edit = if kind == "an SVG file" {
        "edit the SVG (its text, <title>, <desc>, <metadata> and attributes)"
    } else {
        "edit the file"
    };
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
                    "possible patient identifier in {kind}, {what}: `{}`",
                    super::mask(matched)
                ),
            )
            .at(line, col)
            .fix(format!("{fix}; {edit}"));
            // Every finding of the line is masked in the line shown.
            let on_line: Vec<(usize, usize)> = spans
                .iter()
                .filter(|&&(s, e)| s < line_end && e > line_start)
                .map(|&(s, e)| (s.max(line_start) - line_start, e.min(line_end) - line_start))
                .collect();
            let shown =
                super::mask_spans(&text[line_start..line_end], &super::merge_spans(on_line));
            d.source_line = Some(shown.trim().chars().take(200).collect());
            Finding::new(rule_of(hit.rule), Severity::Error, d)
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
                .map_or(0, |i| {
                    i + text[i..].chars().next().map_or(1, char::len_utf8)
                });
            let name = &text[name_start..name_end];
            let value = &text[value_start..value_start + len];
            // Namespace declarations name vocabularies (Inkscape's RDF one,
            // `http://www.w3.org/1999/02/22-rdf-syntax-ns#`, looks like a date).
            let namespace = name == "xmlns" || name.starts_with("xmlns:");
            if SVG_EXEMPT_ATTRIBUTES.contains(&name)
                || namespace
                || value.trim_start().starts_with("data:")
            {
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

/// What a raster image (with its line, one embedded in an SVG) carries besides its pixels, as
/// one warning, or None when it is clean.
pub fn metadata_finding(origin: &str, bytes: &[u8], embedded_at: Option<usize>) -> Option<Finding> {
    let found = super::metadata::metadata_of(bytes);
    if found.is_empty() {
        return None;
    }
    let (place, what) = match embedded_at {
        None => (String::new(), "the image"),
        Some(line) => (
            format!(" in the image embedded at line {line}"),
            "the SVG with that image",
        ),
    };
    let d = Diagnostic::new(
        origin,
        format!(
            "image metadata found{place}: {}; the build publishes {what} without any metadata",
            found.join(", ")
        ),
    )
    .fix(
        "nothing to do for the site; the original file still carries it, so strip it there \
         too before sharing the file elsewhere",
    );
    let d = match embedded_at {
        Some(line) => d.line(line),
        None => d,
    };
    Some(Finding::new(METADATA_RULE, Severity::Warning, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_geometry_and_tool_versions_are_not_scanned() {
        let svg = "<svg inkscape:version=\"1.2 (dc2aedaf03, 2022-05-15)\" xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n<path d=\"M 555 555 0142\"/>\n<text>Seen 2024-03-14</text></svg>";
        let found = check_svg("static/a.svg", svg);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, "date");
        assert_eq!(found[0].diagnostic.line, Some(3));
    }

    #[test]
    fn svg_editor_metadata_is_scanned() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\"\n sodipodi:docname=\"scan 2024-03-14.svg\">\n<metadata><date>2024-03-15</date></metadata></svg>";
        let found = svg_findings("static/a.svg", svg);
        let lines: Vec<_> = found.iter().map(|f| (f.rule, f.diagnostic.line)).collect();
        assert_eq!(lines, vec![("date", Some(2)), ("date", Some(3))]);
    }

    #[test]
    fn text_of_an_embedded_svg_is_scanned_at_the_embedding_line() {
        use base64::Engine as _;
        let inner = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>Seen 2024-03-14</text></svg>";
        let url = base64::engine::general_purpose::STANDARD.encode(inner);
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<image href=\"data:image/svg+xml;base64,{url}\"/></svg>"
        );
        let found = svg_findings("static/a.svg", &svg);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].diagnostic.line, Some(2));
        assert!(found[0].diagnostic.message.contains("embedded at line 2"));
    }
}
