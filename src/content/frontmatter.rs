//! Front matter: splitting `+++` TOML from the Markdown body, and the raw serde structs.
//!
//! These structs only deserialize; `content::page` validates them into typed pages. One raw struct
//! covers every kind, and validation rejects keys that belong to another kind.

use serde::Deserialize;

use crate::error::Diagnostic;

/// A file split into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// File line of the first front-matter line (the line after the opening `+++`).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Split a content file. `file` is only used in errors.
pub fn split<'a>(file: &std::path::Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(file, "the file is empty").fix(
            "add front matter between +++ lines, e.g.\n  +++\n  title = \"...\"\n  date = 2026-01-31\n  +++\n  and then the text",
        ));
    }
    let first = text.lines().next().unwrap_or_default();
    if first.trim_end() != "+++" {
        let mut d = Diagnostic::new(file, "the file does not start with front matter")
            .at(1, 1)
            .fix("start the file with a line `+++`, the TOML front matter (title = \"...\"), and a closing `+++` line")
            .with_source(text);
        if first.trim_end() == "---" {
            d.fix = Some("radpress front matter is TOML between +++ lines; replace the --- lines with +++ and write keys as `key = \"value\"`".into());
        }
        return Err(d);
    }
    let after_open = first.len()
        + if text[first.len()..].starts_with("\r\n") {
            2
        } else {
            1
        };
    let rest = text.get(after_open..).unwrap_or_default();
    let mut offset = 0;
    for (line_no, line) in (2..).zip(rest.split_inclusive('\n')) {
        if line.trim_end() == "+++" {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                front_matter,
                front_matter_line: 2,
                body,
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::new(file, "the front matter is never closed")
        .at(1, 1)
        .with_source(text)
        .fix("add a line `+++` after the last front-matter key"))
}

/// A TOML date or date-time, or a string holding one.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawDate {
    Toml(toml::value::Datetime),
    Text(String),
}

/// One string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    // Every kind.
    pub title: Option<String>,
    pub kind: Option<String>,
    pub date: Option<RawDate>,
    pub updated: Option<RawDate>,
    pub draft: Option<bool>,
    pub summary: Option<String>,
    pub authors: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub slug: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub template: Option<String>,
    pub social: Option<RawSocialMeta>,

    // Case.
    pub title_unknown: Option<String>,
    pub presentation: Option<String>,
    pub patient: Option<RawPatient>,
    pub systems: Option<Vec<String>>,
    pub body_regions: Option<Vec<String>>,
    pub studies: Option<Vec<RawStudy>>,
    pub diagnosis: Option<String>,
    pub diagnostic_certainty: Option<String>,
    pub confirmation: Option<String>,
    pub differential: Option<Vec<String>>,
    pub teaching_points: Option<Vec<String>>,
    pub quiz: Option<Vec<RawQuiz>>,
    pub references: Option<Vec<RawReference>>,
    pub privacy: Option<RawPrivacy>,
    pub courtesy: Option<String>,

    // Education.
    pub audience: Option<String>,
    pub reading_grade_target: Option<f64>,
    pub reviewed_by: Option<String>,
    pub last_reviewed: Option<RawDate>,
    pub modality: Option<OneOrMany>,
    pub procedure: Option<String>,

    // Person.
    pub name: Option<String>,
    pub credentials: Option<String>,
    pub role: Option<String>,
    pub specialty: Option<String>,
    pub subspecialties: Option<Vec<String>>,
    pub affiliations: Option<Vec<String>>,
    pub photo: Option<String>,
    pub photo_alt: Option<String>,
    pub socials: Option<RawPersonSocials>,
    pub npi: Option<String>,
    pub publications: Option<Vec<RawReference>>,
    pub talks: Option<Vec<RawTalk>>,
}

/// A talk a person gave: conference, grand rounds, webinar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTalk {
    pub title: String,
    pub event: Option<String>,
    pub date: Option<RawDate>,
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSocialMeta {
    pub text: Option<String>,
    pub hashtags: Option<Vec<String>>,
    pub card_image: Option<String>,
    pub card_alt: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatient {
    pub age: Option<u32>,
    pub age_band: Option<String>,
    pub age_unit: Option<String>,
    pub sex: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudy {
    pub modality: String,
    pub label: Option<String>,
    pub contrast: Option<String>,
    pub day: Option<i32>,
    pub findings: Option<String>,
    pub images: Option<Vec<RawImage>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub plane: Option<String>,
    pub sequence: Option<String>,
    pub annotated: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuiz {
    pub question: String,
    pub options: Vec<RawQuizOption>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuizOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub rationale: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub citation: String,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrivacy {
    pub deidentified: Option<bool>,
    pub burned_in_checked: Option<bool>,
    pub consent: Option<String>,
    /// Findings of the privacy check that are not patient data (any kind of page).
    pub waivers: Option<Vec<RawWaiver>>,
}

/// `[[privacy.waivers]]`: one finding of the privacy check excused, with the reason.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWaiver {
    pub rule: String,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersonSocials {
    pub x: Option<String>,
    pub bluesky: Option<String>,
    pub mastodon: Option<String>,
    pub linkedin: Option<String>,
    pub orcid: Option<String>,
    pub website: Option<String>,
}

/// Front matter of a section's `_index.md`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSectionFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub paginate_by: Option<usize>,
    pub template: Option<String>,
    /// Keep the section out of the main navigation.
    pub in_nav: Option<bool>,
    /// Order in the main navigation (lower first).
    pub weight: Option<i64>,
}

/// The first invisible control character of a file (NUL, backspace, escape, …; tabs and line
/// ends are fine), written raw anywhere or as a TOML escape (`\u0000`) in `toml_part` (the
/// front matter, or all of site.toml): an error at its line and column. A NUL in a title used to
/// surface as an error in the theme's card.svg, and one in the body was published.
pub fn control_character(
    file: &std::path::Path,
    text: &str,
    toml_part: Option<(&str, usize)>,
) -> Option<Diagnostic> {
    let bad = |c: u32| (c < 0x20 && !matches!(c, 0x09 | 0x0a | 0x0d)) || c == 0x7f;
    let fix = "delete it: it is invisible, and usually comes from a copy and paste (most editors can show invisible characters)";
    // Control characters are ASCII: a byte scan finds them without decoding the text.
    if let Some(at) = text.bytes().position(|b| bad(u32::from(b))) {
        let (line, column) = crate::error::offset_to_line_col(text, at);
        return Some(
            Diagnostic::new(
                file,
                format!(
                    "the file holds the invisible control character U+{:04X}",
                    text.as_bytes()[at]
                ),
            )
            .at(line, column)
            .fix(fix)
            .with_source(text),
        );
    }
    let (toml, first_line) = toml_part?;
    if !toml.contains('\\') {
        return None;
    }
    let mut chars = toml.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let digits = match chars.peek() {
            Some((_, '\\')) => {
                chars.next();
                continue;
            }
            Some((_, 'u')) => 4,
            Some((_, 'U')) => 8,
            _ => continue,
        };
        let hex = toml.get(at + 2..at + 2 + digits).unwrap_or_default();
        if let Ok(value) = u32::from_str_radix(hex, 16)
            && bad(value)
        {
            let (line, column) = crate::error::offset_to_line_col(toml, at);
            return Some(
                Diagnostic::new(
                    file,
                    format!(
                        "the escape `\\{}{hex}` writes an invisible control character",
                        if digits == 4 { 'u' } else { 'U' }
                    ),
                )
                .at(first_line + line - 1, column)
                .fix("delete the escape; write the text itself"),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn split_finds_front_matter_and_body_lines() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.front_matter, "title = \"A\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_rejects_empty_unclosed_and_yaml() {
        let p = Path::new("a.md");
        assert!(split(p, "  \n").unwrap_err().message.contains("empty"));
        assert!(
            split(p, "+++\ntitle = 1\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
        let yaml = split(p, "---\ntitle: x\n---\n").unwrap_err();
        assert!(yaml.fix.unwrap().contains("+++"));
    }

    #[test]
    fn split_handles_crlf() {
        let s = split(Path::new("a.md"), "+++\r\ntitle = \"A\"\r\n+++\r\nBody").unwrap();
        assert_eq!(s.front_matter, "title = \"A\"\r\n");
        assert_eq!(s.body, "Body");
    }
}
