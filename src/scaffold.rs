//! `radpress init` and `radpress new`: write a new site, or a new page with every field of its
//! kind filled with a placeholder and a comment.
//!
//! The starter sites are folders under `starters/` built into the binary: `shared/` (files every
//! starter gets) and one folder per starter, laid over it. In their Markdown files `@today@`
//! becomes the date of `init`. New pages are generated here, with the allowed values of every
//! controlled vocabulary taken from `crate::vocab`, so they never drift apart.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::CONFIG_FILE;
use crate::content::load::CONTENT_DIR;
use crate::error::{Error, Result};
use crate::vocab::{self, Vocabulary};

/// The starter sites, built in.
static STARTERS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starters");

/// Replaced by the date of `radpress init` in the starters' Markdown files.
const TODAY: &str = "@today@";

const GITIGNORE: &str = "# The built site: `radpress build` writes it; publish it, don't commit it.\npublic/\n\
     # What radpress keeps between builds (share cards, sanitised images, highlighted code, the\n\
     # search index) so it redoes only what changed.\n.radpress-cache/\n";

/// How every placeholder text of a new page starts: `checks::starter` refuses to publish one.
pub const PLACEHOLDER_MARK: &str = "Replace with";

/// The placeholder image written beside a new case (`radpress new case`).
pub const PLACEHOLDER_IMAGE: &str = "placeholder.svg";
pub const PLACEHOLDER_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" role="img" aria-labelledby="t">
  <title id="t">Placeholder written by radpress new: replace it with your own de-identified image.</title>
  <rect width="400" height="300" fill="#1a1a1a"/>
  <rect x="20" y="20" width="360" height="260" fill="none" stroke="#777" stroke-width="2" stroke-dasharray="8 6"/>
  <text x="200" y="145" fill="#ddd" font-family="sans-serif" font-size="18" text-anchor="middle">Placeholder image</text>
  <text x="200" y="172" fill="#aaa" font-family="sans-serif" font-size="13" text-anchor="middle">Replace with your own de-identified image</text>
</svg>
"##;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    Physician,
    Department,
}

impl Starter {
    /// Its folder under `starters/`.
    pub fn name(self) -> &'static str {
        match self {
            Starter::Physician => "physician",
            Starter::Department => "department",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Case,
    Education,
    Post,
    Person,
}

impl NewKind {
    /// As typed after `radpress new`.
    pub fn name(self) -> &'static str {
        match self {
            NewKind::Case => "case",
            NewKind::Education => "education",
            NewKind::Post => "post",
            NewKind::Person => "person",
        }
    }

    /// The folder under content/ that gives pages this kind.
    pub fn section(self) -> &'static str {
        match self {
            NewKind::Case => "cases",
            NewKind::Education => "education",
            NewKind::Post => "posts",
            NewKind::Person => "people",
        }
    }
}

/// Write a new, buildable site into `dir` (which must not exist or be empty).
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path, starter: Starter) -> Result<Vec<PathBuf>> {
    ensure_new_or_empty(dir)?;
    let today = today().to_string();
    let mut files: std::collections::BTreeMap<PathBuf, Vec<u8>> = Default::default();
    for layer in ["shared", starter.name()] {
        let Some(root) = STARTERS.get_dir(layer) else {
            continue;
        };
        collect(root, Path::new(layer), &mut files);
    }
    files.insert(PathBuf::from(".gitignore"), GITIGNORE.as_bytes().to_vec());
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (rel, bytes) in &files {
        let bytes = if rel.extension().is_some_and(|e| e == "md") {
            String::from_utf8_lossy(bytes)
                .replace(TODAY, &today)
                .into_bytes()
        } else {
            bytes.clone()
        };
        write_new(&dir.join(rel), &bytes)?;
    }
    Ok(files.into_keys().collect())
}

/// Write a new page of `kind` titled `title` into the site at `root`; returns its path.
pub fn new_page(root: &Path, kind: NewKind, title: &str) -> Result<PathBuf> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(crate::config::no_site(root));
    }
    // A title is one line: runs of spaces, tabs and line breaks become one space.
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = title.as_str();
    if title.is_empty() {
        return Err(Error::Usage(format!(
            "the title is empty; give the page's title in quotes, e.g. radpress new {} \"Acute appendicitis\"",
            kind.name()
        )));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "cannot make a file name from the title `{title}`: use some letters or digits"
        )));
    }
    // Shown relative to the site when run from inside it (the usual case).
    let root_shown = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let folder = root_shown.join(CONTENT_DIR).join(kind.section());
    let file = folder.join(format!("{slug}.md"));
    let bundle = folder.join(&slug);
    for taken in [&file, &bundle.join("index.md")] {
        if taken.exists() {
            return Err(Error::Usage(format!(
                "{} already exists; radpress new never overwrites a page. Edit that file, or choose another title",
                taken.display()
            )));
        }
    }
    if kind == NewKind::Case && bundle.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; a new case is written as {}/index.md with its images beside it. Choose another title",
            bundle.display(),
            bundle.display()
        )));
    }
    let people = people(root);
    let ctx = NewPage {
        title,
        slug: &slug,
        date: today(),
        people: &people,
    };
    let (path, text) = match kind {
        NewKind::Case => (bundle.join("index.md"), ctx.case()),
        NewKind::Education => (file, ctx.education()),
        NewKind::Post => (file, ctx.post()),
        NewKind::Person => (file, ctx.person()),
    };
    write_new(&path, text.as_bytes())?;
    if kind == NewKind::Case {
        write_new(&bundle.join(PLACEHOLDER_IMAGE), PLACEHOLDER_SVG.as_bytes())?;
    }
    Ok(path)
}

/// Today's date, but never one the build would treat as in the future: page dates are midnight
/// UTC, so east of Greenwich the local date can be a day ahead of UTC.
fn today() -> jiff::civil::Date {
    let local = jiff::Zoned::now().date();
    let utc = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    local.min(utc)
}

fn ensure_new_or_empty(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a file; radpress init needs a new or empty folder",
            dir.display()
        )));
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let shown: Vec<_> = names.iter().take(3).map(String::as_str).collect();
    Err(Error::Usage(format!(
        "{} is not empty (it holds {}{}); radpress init only writes into a new or empty folder and never overwrites files. Choose another folder, e.g. radpress init my-site",
        dir.display(),
        shown.join(", "),
        if names.len() > shown.len() {
            ", ..."
        } else {
            ""
        }
    )))
}

/// Every file of a starter layer, keyed by its path inside the new site; later layers win.
fn collect(
    dir: &'static Dir<'static>,
    layer: &Path,
    files: &mut std::collections::BTreeMap<PathBuf, Vec<u8>>,
) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect(d, layer, files),
            include_dir::DirEntry::File(f) => {
                if let Ok(rel) = f.path().strip_prefix(layer) {
                    files.insert(rel.to_path_buf(), f.contents().to_vec());
                }
            }
        }
    }
}

/// Create `path` (and its folders) with `bytes`; an existing file is an error, never replaced.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "{} already exists; radpress never overwrites it",
                    path.display()
                ))
            } else {
                Error::io(path, e)
            }
        })?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))
}

/// The people of the site (their file names under content/people/), sorted.
fn people(root: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(root.join(CONTENT_DIR).join("people")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if path.is_dir() && path.join("index.md").is_file() {
                Some(name)
            } else {
                name.strip_suffix(".md").map(str::to_string)
            }
        })
        .filter(|n| n != "_index" && !crate::content::load::is_ignored(n))
        .collect();
    out.sort();
    out
}

/// `s` as a one-line TOML basic string. (The toml crate writes text with line breaks as a
/// multi-line string, and a line `+++` inside it would end the front matter.)
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A vocabulary's values as a reader-friendly list: `CR (Radiograph), CT, MR (MRI), ...`.
pub fn allowed(v: &Vocabulary) -> String {
    v.terms
        .iter()
        .map(|(value, label)| {
            if value.eq_ignore_ascii_case(label) {
                (*value).to_string()
            } else {
                format!("{value} ({label})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Front matter being written: comments wrapped at 100 columns, keys below their comment.
#[derive(Default)]
struct Fm(String);

impl Fm {
    /// A comment, word-wrapped into `# ` lines.
    fn note(&mut self, text: &str) -> &mut Self {
        let mut line = String::from("#");
        for word in text.split_whitespace() {
            if line.len() + 1 + word.len() > 100 && line.len() > 1 {
                self.0.push_str(&line);
                self.0.push('\n');
                line = String::from("#");
            }
            line.push(' ');
            line.push_str(word);
        }
        self.0.push_str(&line);
        self.0.push('\n');
        self
    }

    /// A key (or any raw lines) under its comment.
    fn key(&mut self, comment: &str, lines: &str) -> &mut Self {
        self.note(comment);
        self.raw(lines)
    }

    fn raw(&mut self, lines: &str) -> &mut Self {
        self.0.push_str(lines.trim_end_matches('\n'));
        self.0.push('\n');
        self
    }

    fn blank(&mut self) -> &mut Self {
        self.0.push('\n');
        self
    }
}

/// What every new page is made from.
struct NewPage<'a> {
    title: &'a str,
    slug: &'a str,
    date: jiff::civil::Date,
    people: &'a [String],
}

impl NewPage<'_> {
    fn header(&self, fm: &mut Fm, what: &str) {
        fm.raw("+++");
        fm.note(&format!(
            "A new {what}, written by `radpress new`. Every key has a comment above it: what it is and the values it takes. A line starting with `#key =` is an optional key that is switched off: remove the `#` to use it. Delete the keys you do not need."
        ));
        fm.blank();
    }

    fn people_note(&self) -> String {
        if self.people.is_empty() {
            "This site has no people yet: add one with `radpress new person \"Dr Jane Doe\"`."
                .to_string()
        } else {
            format!("People of this site: {}.", self.people.join(", "))
        }
    }

    fn authors_line(&self) -> String {
        match self.people.first() {
            Some(p) => format!("authors = [{}]", q(p)),
            None => "authors = []".to_string(),
        }
    }

    /// The keys every kind of page has, from `title` to `template`.
    fn common(&self, fm: &mut Fm, folder: &str, template: &str, authors: bool) {
        let (title_note, title_line) = if folder == "people" {
            (
                "The page title; default: the name above.",
                format!("#title = {}", q(self.title)),
            )
        } else {
            (
                "The title, shown on the page, in listings and when the page is shared.",
                format!("title = {}", q(self.title)),
            )
        };
        fm.key(title_note, &title_line);
        fm.key(
            &format!(
                "The kind of page; the folder decides it (content/{folder}/), so it is only needed for a page kept elsewhere. One of: case, education, post, person, page."
            ),
            &format!("#kind = {}", q(template.trim_end_matches(".html"))),
        );
        let date_line = format!("date = {}", self.date);
        if folder == "people" {
            fm.key(
                "When the profile was published: YYYY-MM-DD (or 2026-03-14T09:00:00Z).",
                &format!("#{date_line}"),
            );
        } else {
            fm.key(
                "Publication date: YYYY-MM-DD (or 2026-03-14T09:00:00Z). A page dated in the future is published from that day on.",
                &date_line,
            );
        }
        fm.key(
            "The date of the last real change, shown as \"Updated\"; switch it on when you revise the page.",
            &format!("#updated = {}", self.date),
        );
        fm.key(
            "true keeps the page off the site: it is built only by `radpress build --drafts`. Set it to false when the page is finished and checked.",
            "draft = true",
        );
        fm.key(
            "One or two plain sentences for listings, search results and link previews; default: the first paragraph.",
            &format!("summary = {}", q("Replace with a one-sentence summary.")),
        );
        if authors {
            fm.key(
                &format!(
                    "Who wrote it: file names (without .md) of pages under content/people/. {}",
                    self.people_note()
                ),
                &self.authors_line(),
            );
        } else {
            fm.key(
                "Who wrote the page, as file names under content/people/; rarely used on a profile.",
                "#authors = []",
            );
        }
        fm.key(
            "Free tags: each gets a page under /tags/. A list such as [\"emergency\", \"teaching\"]; [] for none.",
            "tags = []",
        );
        fm.key(
            &format!(
                "The last part of the page's address (/{folder}/<slug>/); default: the file or folder name. Lower-case letters, digits and dashes."
            ),
            &format!("#slug = {}", q(self.slug)),
        );
        fm.key(
            "Old addresses that should lead here (redirects), e.g. [\"/old-blog/my-post/\"]; [] for none.",
            "aliases = []",
        );
        fm.key(
            &format!("A template of your own (from templates/) instead of the theme's {template}."),
            &format!("#template = {}", q(template)),
        );
    }

    /// `[social]`: how the page looks when shared.
    fn social(&self, fm: &mut Fm) {
        fm.blank();
        fm.note("How the page looks when it is shared on social media.");
        fm.raw("[social]");
        fm.key(
            "The text of a post about this page; default: the summary.",
            &format!(
                "#text = {}",
                q("Replace with the text of a post about this page.")
            ),
        );
        fm.key(
            "Hashtags for share links, without # (added to site.toml's default_hashtags); [] for none.",
            "hashtags = []",
        );
        fm.key(
            "The picture for link previews: a PNG or JPEG (1200 x 630 pixels is best), beside the page or under static/; default: the first image, or site.toml's default_image.",
            &format!("#card_image = {}", q("/images/share/my-page.png")),
        );
        fm.key(
            "What that picture shows, in words.",
            &format!(
                "#card_alt = {}",
                q("Replace with a description of the picture.")
            ),
        );
    }

    /// `[[references]]` (commented out), under `table` (references or publications).
    fn references(&self, fm: &mut Fm, table: &str, what: &str) {
        fm.blank();
        fm.note(&format!(
            "{what}: one [[{table}]] block each; remove the # of the lines to use one. A DOI (starting with 10.) links to doi.org, a PMID (digits) to PubMed, a url to the full text."
        ));
        fm.raw(&format!(
            "#[[{table}]]\n#citation = {}\n#doi = {}\n#pmid = {}\n#url = {}",
            q("Replace with the citation: authors, title, journal, year;volume:pages."),
            q("10.1148/radiol.0000000000"),
            q("12345678"),
            q("https://www.example.org/article")
        ));
    }

    fn case(&self) -> String {
        let mut fm = Fm::default();
        self.header(&mut fm, "teaching case");
        fm.note("Nothing is published while draft = true, and no build works until the privacy block at the end is filled in honestly (see there).");
        fm.blank();
        self.common(&mut fm, "cases", "case.html", true);
        fm.key(
            "Only for an unknown case (one with questions, see below), and needed there: the spoiler-free title shown before the reveal (the title above is shown only after it).",
            &format!("#title_unknown = {}", q("Unknown case: replace with a title that does not give the answer")),
        );
        fm.key(
            "The clinical history, as a learner would get it. No names, dates, places, record numbers or rare details that could identify the patient.",
            &format!("presentation = {}", q("Replace with the clinical history, e.g. two days of right lower quadrant pain and fever.")),
        );
        fm.key(
            &format!("Systems, one or more: {}.", allowed(&vocab::SYSTEM)),
            r#"systems = ["emergency"]"#,
        );
        fm.key(
            &format!(
                "Body regions, one or more: {}.",
                allowed(&vocab::BODY_REGION)
            ),
            r#"body_regions = ["abdomen"]"#,
        );
        fm.key(
            "The diagnosis. On an unknown case it stays hidden until the reveal.",
            &format!("diagnosis = {}", q("Replace with the diagnosis")),
        );
        fm.key(
            &format!(
                "How certain the diagnosis is: {}.",
                allowed(&vocab::CERTAINTY)
            ),
            r#"diagnostic_certainty = "probable""#,
        );
        fm.key(
            &format!(
                "How the diagnosis was confirmed: {}.",
                allowed(&vocab::CONFIRMATION)
            ),
            r#"confirmation = "none""#,
        );
        fm.key(
            "Other diagnoses to consider, each with what tells it apart.",
            &format!(
                "differential = [\n  {},\n  {},\n]",
                q("Replace with an alternative diagnosis: what tells it apart"),
                q("Replace with another, or remove this line")
            ),
        );
        fm.key(
            "What a learner should take away, one point per line.",
            &format!(
                "teaching_points = [\n  {},\n]",
                q("Replace with a teaching point.")
            ),
        );
        fm.key(
            "Credit for the case or its images, e.g. \"Case courtesy of Dr A. Colleague\"; shown on the page.",
            &format!("courtesy = {}", q("Replace with a credit, or remove this line")),
        );

        self.social(&mut fm);

        fm.blank();
        fm.note("The patient, de-identified. Give the age, or an age band instead (not both); ages over 89 are always shown as \"90+\". Remove the whole block to say nothing about the patient.");
        fm.raw("[patient]");
        fm.key("Age, a whole number in age_unit.", "age = 40");
        fm.key(
            "Instead of age: a range, such as \"40-49\".",
            &format!("#age_band = {}", q("40-49")),
        );
        fm.key(
            &format!("The unit of the age: {}.", allowed(&vocab::AGE_UNIT)),
            r#"age_unit = "years""#,
        );
        fm.key(
            &format!("Sex: {}.", allowed(&vocab::SEX)),
            r#"sex = "unknown""#,
        );

        fm.blank();
        fm.note("One [[studies]] block per imaging study, in order. For another study, copy the block with its images.");
        fm.raw("[[studies]]");
        fm.key(
            &format!(
                "The modality, as a DICOM code: {}.",
                allowed(&vocab::MODALITY)
            ),
            r#"modality = "CT""#,
        );
        fm.key(
            "The study as readers see it, e.g. \"CT abdomen and pelvis, portal venous phase\"; default: the modality's name.",
            &format!("label = {}", q("Replace with the name of the study")),
        );
        fm.key(
            &format!("Contrast: {}.", allowed(&vocab::CONTRAST)),
            r#"contrast = "iv""#,
        );
        fm.key(
            "The day of the study, counted from the presentation: 0 is the same day, -2 two days before, 14 two weeks after.",
            "day = 0",
        );
        fm.key(
            "The findings, in Markdown (lists, **bold**, links).",
            "findings = \"\"\"\n- Replace with the findings.\n\"\"\"",
        );

        fm.blank();
        fm.note(&format!(
            "One [[studies.images]] block per image of the study above. This case is a folder (a page bundle): put its images beside this file. {PLACEHOLDER_IMAGE} was written by `radpress new` so that the draft builds: replace it with your own image and delete it. Export images as PNG or JPEG (never DICOM), cropped, with every burned-in name, number and date removed."
        ));
        fm.raw("[[studies.images]]");
        fm.key(
            "The image file beside this one (or /images/... for a file under static/).",
            &format!("src = {}", q(PLACEHOLDER_IMAGE)),
        );
        fm.key(
            "What the image shows, in words, for readers who cannot see it (required). On an unknown case, do not name the diagnosis.",
            &format!("alt = {}", q("Replace with a description of what the image shows")),
        );
        fm.key(
            "A caption shown under the image.",
            &format!("caption = {}", q("Replace with a caption")),
        );
        fm.key(
            &format!("The plane: {}.", allowed(&vocab::PLANE)),
            r#"plane = "axial""#,
        );
        fm.key(
            "The MRI sequence or CT window, e.g. \"T2 FLAIR\" or \"lung window\".",
            &format!("#sequence = {}", q("Replace with the sequence or window")),
        );
        fm.key(
            "true when you added arrows or labels to the image.",
            "annotated = false",
        );

        fm.blank();
        fm.note("Questions make this an unknown case: the diagnosis, differential, teaching points and the text below the front matter stay hidden until the reader opens the reveal. It needs title_unknown (above), and the summary, presentation, findings, alt texts, captions, tags and address must not name the diagnosis. To use it, remove the # of these lines; copy the block for more questions. Each option has text, correct (true for the right answers) and a rationale.");
        fm.raw(&format!(
            "#[[quiz]]\n#question = {}\n#options = [{{ text = {}, correct = true, rationale = {} }}, {{ text = {}, correct = false, rationale = {} }}]",
            q("What is the most likely diagnosis?"),
            q("Replace with the right answer"),
            q("Why it is right"),
            q("Replace with a wrong answer"),
            q("Why it is wrong")
        ));

        self.references(&mut fm, "references", "Works cited");

        fm.blank();
        fm.note("Privacy. radpress refuses to build the site while this case is not attested, even as a draft and even without --drafts, so nothing unchecked can slip out. Set each to true only when it is true:");
        fm.note("deidentified: the text, the tags, the file and folder names and every image hold no names, dates, places, record or accession numbers, or rare details that could identify the patient.");
        fm.note("burned_in_checked: you have looked at every image for text burned into the pixels (names, numbers, dates, hospital) and cropped or removed it, and exported the images as PNG or JPEG so no DICOM data comes along.");
        fm.raw("[privacy]");
        fm.raw("deidentified = false");
        fm.raw("burned_in_checked = false");
        fm.key(
            &format!(
                "The basis for publishing, shown on the page: {}.",
                allowed(&vocab::CONSENT)
            ),
            &format!("#consent = {}", q("institutional-policy")),
        );
        fm.note("The privacy check stops the build on anything that looks like a patient identifier (dates, numbers, names next to patient words, ...). When a finding is not patient data, waive that exact finding with a reason: remove the # of these lines, one block per finding.");
        fm.raw(&format!(
            "#[[privacy.waivers]]\n#rule = {}\n#text = {}\n#reason = {}",
            q("phone"),
            q("(555) 555-0142"),
            q("the department's public number, not a patient's")
        ));
        fm.raw("+++");
        fm.raw(
            "\n## Discussion\n\nReplace with the discussion: what the images show, why the diagnosis fits, and what to do next.\nOn an unknown case, this text is shown only after the reveal.",
        );
        fm.0
    }

    fn education(&self) -> String {
        let mut fm = Fm::default();
        self.header(&mut fm, "patient-education page");
        self.common(&mut fm, "education", "education.html", true);
        fm.key(
            &format!("Who the page is for: {}.", allowed(&vocab::AUDIENCE)),
            r#"audience = "patient""#,
        );
        fm.key(
            "The reading level you aim for, as a US school grade (6 to 8 suits most patient material).",
            "reading_grade_target = 8",
        );
        let reviewer = match self.people.first() {
            Some(p) => q(p),
            None => q("Replace with the reviewer's name"),
        };
        fm.key(
            &format!(
                "Who checked the page: a file name under content/people/ (linked to their profile) or a name. {}",
                self.people_note()
            ),
            &format!("reviewed_by = {reviewer}"),
        );
        fm.key(
            "When it was last checked: YYYY-MM-DD.",
            &format!("last_reviewed = {}", self.date),
        );
        fm.key(
            &format!(
                "The kind of test, as DICOM codes (one, or a list): {}.",
                allowed(&vocab::MODALITY)
            ),
            r#"modality = ["CT"]"#,
        );
        fm.key(
            "The name of the test or procedure, as patients know it.",
            &format!(
                "procedure = {}",
                q("Replace with the name of the test, e.g. CT scan of the chest")
            ),
        );
        self.social(&mut fm);
        self.references(&mut fm, "references", "Sources");
        fm.raw("+++");
        fm.raw(
            "\n## What is it?\n\nReplace with a short, plain description of the test.\n\n## How do I get ready?\n\nReplace with what to do before the test.\n\n## What happens during the test?\n\nReplace with what the patient will see and feel, and how long it takes.\n\n## Getting your results\n\nReplace with who reads the images and how the results reach the patient.",
        );
        fm.0
    }

    fn post(&self) -> String {
        let mut fm = Fm::default();
        self.header(&mut fm, "post");
        self.common(&mut fm, "posts", "post.html", true);
        self.social(&mut fm);
        self.references(&mut fm, "references", "Works cited");
        fm.raw("+++");
        fm.raw("\nReplace with the text of the post, in Markdown.");
        fm.0
    }

    fn person(&self) -> String {
        let mut fm = Fm::default();
        self.header(&mut fm, "profile");
        fm.note("Pages name this person as their author with this file's name, like this:");
        fm.note(&format!("authors = [{}]", q(self.slug)));
        fm.blank();
        fm.key(
            "The name as readers see it.",
            &format!("name = {}", q(self.title)),
        );
        fm.key(
            "Degrees and memberships, shown after the name, e.g. \"MD, FRCR\".",
            &format!("credentials = {}", q("Replace with the credentials")),
        );
        fm.key(
            "The position, e.g. \"Consultant radiologist\".",
            &format!("role = {}", q("Replace with the role")),
        );
        fm.key(
            "The main field, e.g. \"Neuroradiology\".",
            &format!("specialty = {}", q("Replace with the specialty")),
        );
        fm.key(
            "Areas of special interest; [] for none.",
            &format!("subspecialties = [{}]", q("Replace with a subspecialty")),
        );
        fm.key(
            "Where this person works or teaches.",
            &format!(
                "affiliations = [{}]",
                q("Replace with a hospital or university")
            ),
        );
        fm.key(
            "A portrait (JPEG or PNG) under static/, written from the site root; switch it on once the file exists.",
            &format!("#photo = {}", q(&format!("/images/people/{}.jpg", self.slug))),
        );
        fm.key(
            "What the portrait shows (needed with a photo).",
            &format!("#photo_alt = {}", q(&format!("Portrait of {}", self.title))),
        );
        fm.key(
            "The US National Provider Identifier (10 digits), if you want it shown.",
            &format!("#npi = {}", q("1234567890")),
        );
        self.common(&mut fm, "people", "person.html", false);
        self.social(&mut fm);

        fm.blank();
        fm.note("Profiles elsewhere: remove the # in front of those that exist.");
        fm.raw("[socials]");
        fm.key(
            "A personal or practice website.",
            &format!("#website = {}", q("https://www.example.org")),
        );
        fm.key(
            "X (Twitter) handle, without @.",
            &format!("#x = {}", q("handle")),
        );
        fm.key(
            "Bluesky handle.",
            &format!("#bluesky = {}", q("handle.bsky.social")),
        );
        fm.key(
            "Mastodon account as \"@user@instance\".",
            &format!("#mastodon = {}", q("@user@med-mastodon.example")),
        );
        fm.key(
            "LinkedIn profile URL.",
            &format!("#linkedin = {}", q("https://www.linkedin.com/in/name")),
        );
        fm.key(
            "ORCID iD (16 digits in groups of four).",
            &format!("#orcid = {}", q("0000-0000-0000-0000")),
        );

        self.references(&mut fm, "publications", "Selected publications");

        fm.blank();
        fm.note("Talks given (conferences, grand rounds, webinars): one [[talks]] block each; remove the # of the lines to use one. Only the title is needed.");
        fm.raw(&format!(
            "#[[talks]]\n#title = {}\n#event = {}\n#date = {}\n#url = {}",
            q("Replace with the title of the talk"),
            q("Replace with the meeting or event"),
            self.date,
            q("https://www.example.org/slides")
        ));
        fm.raw("+++");
        fm.raw("\nReplace with a short biography, in Markdown: training, work and interests.");
        fm.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_starters_are_built_in() {
        for starter in [Starter::Physician, Starter::Department] {
            let dir = STARTERS.get_dir(starter.name()).expect("starter folder");
            assert!(
                dir.get_file(format!("{}/site.toml", starter.name()))
                    .is_some()
            );
        }
        assert!(STARTERS.get_dir("shared").is_some());
    }

    #[test]
    fn comments_wrap_at_100_columns() {
        let mut fm = Fm::default();
        fm.note(&"word ".repeat(60));
        assert!(fm.0.lines().all(|l| l.len() <= 100 && l.starts_with("# ")));
        assert!(fm.0.lines().count() > 1);
    }

    #[test]
    fn allowed_lists_labels_only_when_they_differ() {
        let modality = allowed(&vocab::MODALITY);
        assert!(modality.starts_with("CR (Radiograph), DX (Radiograph)"));
        assert!(modality.contains(", CT, MR (MRI),"));
    }
}
