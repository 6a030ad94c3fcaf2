//! Typed pages: the validated front matter of every kind, built from the raw structs, plus the
//! Markdown rendered once.

use std::path::PathBuf;

use serde::Serialize;

use super::date::PageDate;
use super::frontmatter::{
    RawFrontMatter, RawImage, RawPatient, RawPersonSocials, RawPrivacy, RawQuiz, RawReference,
    RawSocialMeta, RawStudy, RawTalk, RawWaiver,
};
use crate::error::Diagnostic;
use crate::markdown::{ImageRef, Markdown, RenderOptions, Rendered, TocEntry};
use crate::vocab::{self, Vocabulary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Case,
    Education,
    Post,
    Person,
    Page,
}

impl Kind {
    pub const ALL: [(&'static str, Kind); 5] = [
        ("case", Kind::Case),
        ("education", Kind::Education),
        ("post", Kind::Post),
        ("person", Kind::Person),
        ("page", Kind::Page),
    ];

    pub fn name(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .unwrap_or("page")
    }

    /// The kind a page has when its front matter does not say: from its section's folder.
    pub fn for_section(section: &str) -> Kind {
        match section {
            "cases" => Kind::Case,
            "education" => Kind::Education,
            "people" => Kind::Person,
            "posts" | "news" | "blog" => Kind::Post,
            _ => Kind::Page,
        }
    }

    /// What readers see as the kind's name.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Case => "Teaching case",
            Kind::Education => "Patient education",
            Kind::Post => "Article",
            Kind::Person => "Profile",
            Kind::Page => "Page",
        }
    }
}

/// A value from a controlled vocabulary, with the page listing it (for taxonomies).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Term {
    /// As written in front matter (`MR`, `neuro`).
    pub code: String,
    /// As shown to readers (`MRI`, `Neuroradiology`).
    pub label: String,
    /// Used in URLs, from the label so that codes shown alike share a page (`CR`, `DX` →
    /// `radiograph`).
    pub slug: String,
    /// The term's taxonomy page, when it has one.
    pub url: Option<String>,
}

impl Term {
    pub fn from_vocab(vocab: &Vocabulary, code: &str, base_path: &str) -> Option<Term> {
        vocab.label(code).map(|label| {
            let slug = slug::slugify(label);
            Term {
                code: code.to_string(),
                label: label.to_string(),
                url: vocab.taxonomy.map(|t| format!("{base_path}/{t}/{slug}/")),
                slug,
            }
        })
    }

    /// A free tag, listed under /tags/.
    pub fn tag(name: &str, base_path: &str) -> Term {
        let slug = slug::slugify(name);
        Term {
            code: name.to_string(),
            label: name.to_string(),
            url: Some(format!("{base_path}/tags/{slug}/")),
            slug,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SocialMeta {
    pub text: Option<String>,
    pub hashtags: Vec<String>,
    pub card_image: Option<String>,
    pub card_alt: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Patient {
    /// "45 years", "90+ years", "40-49 years", "6 months"; None when not given.
    pub age: Option<String>,
    pub sex: Option<Term>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseImage {
    /// The URL the image is published at.
    pub url: String,
    /// As written, for the missing-image check.
    pub src: String,
    pub alt: String,
    pub caption: Option<String>,
    pub plane: Option<Term>,
    pub sequence: Option<String>,
    pub annotated: bool,
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Study {
    pub modality: Term,
    pub label: String,
    pub contrast: Option<Term>,
    pub day: Option<i32>,
    /// "Day 0", "Day +14", "Day -2".
    pub day_label: Option<String>,
    pub findings_html: String,
    #[serde(skip)]
    pub findings_text: String,
    pub images: Vec<CaseImage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuizOption {
    pub text: String,
    pub correct: bool,
    pub rationale: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quiz {
    pub question: String,
    pub options: Vec<QuizOption>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    pub citation: String,
    pub doi: Option<String>,
    pub doi_url: Option<String>,
    pub pmid: Option<String>,
    pub pmid_url: Option<String>,
    pub url: Option<String>,
}

/// A privacy-check finding the page excuses (`[[privacy.waivers]]`): the rule, the exact matched
/// text and why it is not patient data. Checked by `checks::privacy`.
#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    pub rule: String,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Privacy {
    pub deidentified: bool,
    pub burned_in_checked: bool,
    pub consent: Option<Term>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub presentation: String,
    pub patient: Option<Patient>,
    pub systems: Vec<Term>,
    pub body_regions: Vec<Term>,
    /// The modalities of the studies, each once, in study order.
    pub modalities: Vec<Term>,
    pub studies: Vec<Study>,
    pub diagnosis: String,
    pub certainty: Option<Term>,
    pub confirmation: Option<Term>,
    pub differential: Vec<String>,
    pub teaching_points: Vec<String>,
    pub quiz: Vec<Quiz>,
    /// True when the case is an unknown: the answer is hidden until the reveal.
    pub is_quiz: bool,
    /// For a quiz case, the real (diagnosis) title, shown only inside the reveal.
    pub answer_title: Option<String>,
    pub privacy: Privacy,
    pub courtesy: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Education {
    pub audience: Term,
    pub reading_grade_target: Option<f64>,
    /// A person slug or a name as written.
    pub reviewed_by: Option<String>,
    pub last_reviewed: Option<PageDate>,
    pub modalities: Vec<Term>,
    pub procedure: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonSocials {
    pub x: Option<String>,
    pub bluesky: Option<String>,
    pub mastodon: Option<String>,
    pub linkedin: Option<String>,
    pub orcid: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub name: String,
    pub credentials: Option<String>,
    pub role: Option<String>,
    pub specialty: Option<String>,
    pub subspecialties: Vec<String>,
    pub affiliations: Vec<String>,
    pub photo: Option<String>,
    pub photo_alt: Option<String>,
    pub socials: PersonSocials,
    pub npi: Option<String>,
    pub publications: Vec<Reference>,
    pub talks: Vec<Talk>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Talk {
    pub title: String,
    pub event: Option<String>,
    pub date: Option<PageDate>,
    pub url: Option<String>,
}

/// One content page, validated and rendered.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Source file relative to the site root.
    #[serde(skip)]
    pub file: PathBuf,
    pub kind: Kind,
    pub kind_label: &'static str,
    /// First folder under content/ ("" for pages at the top).
    pub section: String,
    pub slug: String,
    /// Site path, e.g. `/cases/slug/`.
    pub path: String,
    /// href for links: the site path under the base URL's path.
    pub url: String,
    pub permalink: String,
    /// The title shown everywhere before any reveal: for a quiz case, its spoiler-free title.
    pub title: String,
    pub date: Option<PageDate>,
    pub updated: Option<PageDate>,
    pub draft: bool,
    /// Plain-text description: the front-matter summary or the first paragraph.
    pub description: String,
    /// The front-matter summary as written, when there is one.
    pub summary: Option<String>,
    pub summary_html: String,
    pub authors: Vec<String>,
    pub tags: Vec<Term>,
    pub aliases: Vec<String>,
    #[serde(skip)]
    pub template: Option<String>,
    pub social: SocialMeta,
    pub content: String,
    pub toc: Vec<TocEntry>,
    #[serde(skip)]
    pub text: String,
    /// The body's prose without code or tables, for the readability check: education pages
    /// only, empty for every other kind.
    #[serde(skip)]
    pub prose: String,
    pub word_count: usize,
    pub reading_minutes: usize,
    /// Cited works (cases, posts, education pages), with DOI and PubMed links.
    pub references: Vec<Reference>,
    // Boxed: most pages are one kind, and a small Page is cheap to move and sort.
    pub case: Option<Box<Case>>,
    pub education: Option<Box<Education>>,
    pub person: Option<Box<Person>>,
    /// Files beside index.md in a page bundle: (source path, site path).
    #[serde(skip)]
    pub assets: Vec<(PathBuf, String)>,
    /// Links and images of the body and fields, for the checks.
    #[serde(skip)]
    pub links: Vec<crate::markdown::LinkRef>,
    #[serde(skip)]
    pub images: Vec<ImageRef>,
    /// The file text, for errors found after loading.
    #[serde(skip)]
    pub source: String,
    /// `[[privacy.waivers]]` of the front matter (any kind of page).
    #[serde(skip)]
    pub privacy_waivers: Vec<Waiver>,
    /// A hash of the file text: what the page's outputs depend on of the page itself.
    #[serde(skip)]
    pub version: u64,
    /// Modification time and size of the file when it was read (set by the loader).
    #[serde(skip)]
    pub stamp: Option<(std::time::SystemTime, u64)>,
}

/// Where a page sits, worked out by the loader from its path.
#[derive(Debug, Clone)]
pub struct PageLocation {
    pub file: PathBuf,
    pub section: String,
    /// Slug from the file or bundle folder name.
    pub file_slug: String,
    pub is_bundle: bool,
    /// Site path of the folder holding the page ("/cases/" or "/"), used for non-bundle pages.
    pub parent_path: String,
}

/// What validation needs from the rest of the build.
pub struct PageContext<'a> {
    pub markdown: &'a Markdown,
    pub base_url: &'a str,
    /// The path part of base_url ("" or "/sub").
    pub base_path: &'a str,
    /// `trusted_html` of site.toml (see `markdown::raw_html`).
    pub trusted_html: bool,
}

/// Collects problems while validating one file, so the author sees all of them at once.
struct Problems<'a> {
    file: &'a PathBuf,
    text: &'a str,
    fm: &'a str,
    fm_line: usize,
    base_path: &'a str,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    /// A problem about `needle` (a key or value), placed on its line in the front matter.
    fn at(&mut self, needle: &str, message: String, fix: impl Into<String>) {
        let d = Diagnostic::new(self.file, message).fix(fix);
        let d = match crate::error::find_line_col(self.fm, needle) {
            Some(_) => d.locate(self.fm, needle, self.fm_line),
            None => d.line(self.fm_line - 1).with_source(self.text),
        };
        self.list.push(d);
    }

    fn vocab(&mut self, vocab: &Vocabulary, value: &str) -> Option<Term> {
        let term = Term::from_vocab(vocab, value, self.base_path);
        if term.is_none() {
            self.at(
                &format!("\"{value}\""),
                vocab.unknown_message(value),
                format!("use one of the allowed values for {}", vocab.name),
            );
        }
        term
    }

    fn vocab_list(&mut self, vocab: &Vocabulary, values: Vec<String>) -> Vec<Term> {
        values.iter().filter_map(|v| self.vocab(vocab, v)).collect()
    }

    fn date(&mut self, key: &str, raw: Option<super::frontmatter::RawDate>) -> Option<PageDate> {
        match PageDate::parse(&raw?) {
            Ok(d) => Some(d),
            Err(e) => {
                self.at(
                    &format!("{key} ="),
                    format!("{key}: {e}"),
                    format!("write {key} = 2026-03-14 or {key} = 2026-03-14T09:00:00Z"),
                );
                None
            }
        }
    }

    fn markdown(&mut self, ctx: &PageContext, src: &str, id_prefix: &str) -> Option<Rendered> {
        // Fields inside front matter: point problems at the line where the field's text starts.
        let first_line = src
            .lines()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| crate::error::find_line_col(self.fm, l.trim()))
            .map_or(self.fm_line, |(line, _)| line + self.fm_line - 1);
        self.render(ctx, src, id_prefix, first_line)
    }

    fn render(
        &mut self,
        ctx: &PageContext,
        src: &str,
        id_prefix: &str,
        first_line: usize,
    ) -> Option<Rendered> {
        let opts = RenderOptions {
            first_line,
            base_url: ctx.base_url,
            id_prefix,
            trusted_html: ctx.trusted_html,
        };
        match ctx.markdown.render(src, &opts) {
            Ok(r) => Some(r),
            Err(problems) => {
                for p in problems {
                    self.list.push(
                        Diagnostic::new(self.file, p.message)
                            .at(p.line, p.column)
                            .fix(p.fix)
                            .with_source(self.text),
                    );
                }
                None
            }
        }
    }
}

/// Validate one content file's front matter and render its Markdown.
pub fn build_page(
    loc: PageLocation,
    text: String,
    ctx: &PageContext,
) -> Result<Page, Vec<Diagnostic>> {
    let split = super::frontmatter::split(&loc.file, &text).map_err(|d| vec![d])?;
    if let Some(d) = super::frontmatter::control_character(
        &loc.file,
        &text,
        Some((split.front_matter, split.front_matter_line)),
    ) {
        return Err(vec![d]);
    }
    let raw: RawFrontMatter = toml::from_str(split.front_matter).map_err(|e| {
        let mut d = crate::config::toml_diagnostic(
            &loc.file,
            split.front_matter,
            &e,
            split.front_matter_line,
        );
        d.source_line = d
            .line
            .and_then(|l| text.lines().nth(l - 1))
            .map(|l| l.trim_end().to_string());
        vec![d]
    })?;
    let mut p = Problems {
        file: &loc.file,
        text: &text,
        fm: split.front_matter,
        fm_line: split.front_matter_line,
        base_path: ctx.base_path,
        list: Vec::new(),
    };

    let RawFrontMatter {
        title,
        kind,
        date,
        updated,
        draft,
        summary,
        authors,
        tags,
        slug,
        aliases,
        template,
        social,
        title_unknown,
        presentation,
        patient,
        systems,
        body_regions,
        studies,
        diagnosis,
        diagnostic_certainty,
        confirmation,
        differential,
        teaching_points,
        quiz,
        references,
        privacy,
        courtesy,
        audience,
        reading_grade_target,
        reviewed_by,
        last_reviewed,
        modality,
        procedure,
        name,
        credentials,
        role,
        specialty,
        subspecialties,
        affiliations,
        photo,
        photo_alt,
        socials,
        npi,
        publications,
        talks,
    } = raw;

    let kind = match kind.as_deref() {
        None => Kind::for_section(&loc.section),
        Some(k) => match Kind::ALL.iter().find(|(n, _)| *n == k) {
            Some((_, kind)) => *kind,
            None => {
                p.at(
                    "kind",
                    format!("`{k}` is not a page kind"),
                    "use one of: case, education, post, person, page",
                );
                Kind::Page
            }
        },
    };

    // Waivers are allowed on every kind; the attestations belong to cases.
    let (privacy, privacy_waivers) = split_waivers(privacy);

    // Keys that belong to another kind are mistakes, not silent extras.
    let case_keys = [
        ("title_unknown", title_unknown.is_some()),
        ("presentation", presentation.is_some()),
        ("patient", patient.is_some()),
        ("systems", systems.is_some()),
        ("body_regions", body_regions.is_some()),
        ("studies", studies.is_some()),
        ("diagnosis", diagnosis.is_some()),
        ("diagnostic_certainty", diagnostic_certainty.is_some()),
        ("confirmation", confirmation.is_some()),
        ("differential", differential.is_some()),
        ("teaching_points", teaching_points.is_some()),
        ("quiz", quiz.is_some()),
        ("privacy", privacy.is_some()),
        ("courtesy", courtesy.is_some()),
    ];
    let education_keys = [
        ("audience", audience.is_some()),
        ("reading_grade_target", reading_grade_target.is_some()),
        ("reviewed_by", reviewed_by.is_some()),
        ("last_reviewed", last_reviewed.is_some()),
        ("modality", modality.is_some()),
        ("procedure", procedure.is_some()),
    ];
    let person_keys = [
        ("name", name.is_some()),
        ("credentials", credentials.is_some()),
        ("role", role.is_some()),
        ("specialty", specialty.is_some()),
        ("subspecialties", subspecialties.is_some()),
        ("affiliations", affiliations.is_some()),
        ("photo", photo.is_some()),
        ("photo_alt", photo_alt.is_some()),
        ("socials", socials.is_some()),
        ("npi", npi.is_some()),
        ("publications", publications.is_some()),
        ("talks", talks.is_some()),
    ];
    for (owner, keys) in [
        (Kind::Case, &case_keys[..]),
        (Kind::Education, &education_keys[..]),
        (Kind::Person, &person_keys[..]),
    ] {
        if owner == kind {
            continue;
        }
        for (key, present) in keys {
            if *present {
                p.at(
                    key,
                    format!(
                        "`{key}` belongs to {} pages, but this page is a {}",
                        owner.name(),
                        kind.name()
                    ),
                    format!(
                        "remove `{key}`, or set kind = \"{}\" if this page is one",
                        owner.name()
                    ),
                );
            }
        }
    }
    if references.is_some() && !matches!(kind, Kind::Case | Kind::Post | Kind::Education) {
        p.at(
            "references",
            format!(
                "`references` is for cases, posts and education pages, not a {}",
                kind.name()
            ),
            "remove it, or use `publications` on a person page",
        );
    }

    let date = p.date("date", date);
    let updated = p.date("updated", updated);

    let slug = match slug {
        Some(s) => {
            let clean = slug::slugify(&s);
            if clean != s {
                p.at(
                    "slug",
                    format!("slug `{s}` is not URL-safe"),
                    format!("use lower-case letters, digits and dashes, e.g. slug = \"{clean}\""),
                );
            }
            clean
        }
        None => slug::slugify(&loc.file_slug),
    };
    // Names that become output paths must be files on every system (and short enough for any
    // file system); said here, at their line, rather than by the operating system later.
    if let Some(why) = crate::outputs::unportable_output_path(&slug) {
        p.at(
            "slug",
            format!("the page's address cannot be published: {why}"),
            "choose a short slug (slug = \"...\") in letters, digits and hyphens, or rename the file",
        );
    }
    for tag in tags.iter().flatten() {
        let term = slug::slugify(tag);
        if let Some(why) = crate::outputs::unportable_output_path(&term) {
            let shown: String = tag.chars().take(60).collect();
            p.at(
                "tags",
                format!(
                    "the tag `{shown}` cannot be published as /tags/{}/: {why}",
                    term.chars().take(60).collect::<String>()
                ),
                "choose a short tag that is not a Windows device name (con, nul, aux, com1, …)",
            );
        }
    }
    for alias in aliases.iter().flatten() {
        let path = format!("/{}/", alias.trim_matches('/'));
        let why = crate::outputs::unsafe_output_path(&path)
            .map(str::to_string)
            .or_else(|| crate::outputs::unportable_output_path(&path));
        if let Some(why) = why {
            let shown: String = alias.chars().take(80).collect();
            p.at(
                "aliases",
                format!("the alias `{shown}` is refused: {why}"),
                "write aliases as plain site paths, such as aliases = [\"/old/case-name/\"]",
            );
        }
    }
    let path = if loc.section.is_empty() && slug.is_empty() {
        "/".to_string()
    } else {
        format!("{}{}/", loc.parent_path, slug)
    };

    let rendered = p.render(ctx, split.body, "", split.body_line);

    let social = {
        let RawSocialMeta {
            text,
            hashtags,
            card_image,
            card_alt,
        } = social.unwrap_or_default();
        SocialMeta {
            text,
            hashtags: hashtags
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.trim_start_matches('#').to_string())
                .collect(),
            card_image,
            card_alt,
        }
    };

    let person = if kind == Kind::Person {
        let RawPersonSocials {
            x,
            bluesky,
            mastodon,
            linkedin,
            orcid,
            website,
        } = socials.unwrap_or_default();
        let name = name.or_else(|| title.clone()).unwrap_or_default();
        if name.is_empty() {
            p.at(
                "+++",
                "a person page needs a name".into(),
                "add name = \"Dr Jane Example\"",
            );
        }
        if photo.is_some() && photo_alt.as_deref().unwrap_or("").trim().is_empty() {
            p.at(
                "photo",
                "the photo has no alt text".into(),
                "add photo_alt = \"Portrait of ...\"",
            );
        }
        Some(Person {
            name,
            credentials,
            role,
            specialty,
            subspecialties: subspecialties.unwrap_or_default(),
            affiliations: affiliations.unwrap_or_default(),
            photo: photo.map(|ph| asset_url(ctx, &path, &ph)),
            photo_alt,
            socials: PersonSocials {
                x,
                bluesky,
                mastodon,
                linkedin,
                orcid,
                website,
            },
            npi,
            publications: references_from(&mut p, publications),
            talks: talks
                .unwrap_or_default()
                .into_iter()
                .map(
                    |RawTalk {
                         title,
                         event,
                         date,
                         url,
                     }| Talk {
                        date: p.date("date", date),
                        title,
                        event,
                        url,
                    },
                )
                .collect(),
        })
    } else {
        None
    };

    let title = match (title, &person) {
        (Some(t), _) if !t.trim().is_empty() => t,
        (_, Some(person)) => person.name.clone(),
        _ => {
            p.at(
                "+++",
                "the page has no title".into(),
                "add title = \"...\" to the front matter",
            );
            String::new()
        }
    };

    let education = if kind == Kind::Education {
        let audience = match audience {
            None => Term::from_vocab(&vocab::AUDIENCE, "patient", ctx.base_path),
            Some(a) => p.vocab(&vocab::AUDIENCE, &a),
        };
        let modalities = p.vocab_list(
            &vocab::MODALITY,
            modality.map(|m| m.into_vec()).unwrap_or_default(),
        );
        let last_reviewed = p.date("last_reviewed", last_reviewed);
        audience.map(|audience| Education {
            audience,
            reading_grade_target,
            reviewed_by,
            last_reviewed,
            modalities,
            procedure,
        })
    } else {
        None
    };

    let mut extra_links = Vec::new();
    let mut extra_images = Vec::new();
    let case = if kind == Kind::Case {
        let mut presentation_text = presentation.unwrap_or_default();
        if presentation_text.trim().is_empty() {
            p.at(
                "+++",
                "a case needs a presentation (the clinical history)".into(),
                "add presentation = \"Two days of right lower quadrant pain.\" (no names, dates or identifiers)",
            );
        }
        presentation_text = presentation_text.trim().to_string();
        let patient = patient.map(|raw| patient_from(&mut p, raw));
        let systems = p.vocab_list(&vocab::SYSTEM, systems.unwrap_or_default());
        let body_regions = p.vocab_list(&vocab::BODY_REGION, body_regions.unwrap_or_default());
        let mut built_studies = Vec::new();
        for (i, raw) in studies.unwrap_or_default().into_iter().enumerate() {
            if let Some(study) = study_from(&mut p, ctx, &path, i, raw) {
                extra_links.extend(study.1);
                extra_images.extend(study.0.images.iter().map(|im| ImageRef {
                    src: im.src.clone(),
                    alt: im.alt.clone(),
                    line: im.line,
                }));
                built_studies.push(study.0);
            }
        }
        let mut modalities: Vec<Term> = Vec::new();
        for s in &built_studies {
            if !modalities.iter().any(|m| m.label == s.modality.label) {
                modalities.push(s.modality.clone());
            }
        }
        let certainty = diagnostic_certainty.and_then(|c| p.vocab(&vocab::CERTAINTY, &c));
        let confirmation = confirmation.and_then(|c| p.vocab(&vocab::CONFIRMATION, &c));
        let diagnosis = diagnosis.unwrap_or_default().trim().to_string();
        if diagnosis.is_empty() {
            p.at(
                "+++",
                "a case needs a diagnosis".into(),
                "add diagnosis = \"...\" (hidden until the reveal on quiz cases)",
            );
        }
        let quiz = quiz_from(&mut p, quiz.unwrap_or_default());
        let is_quiz = !quiz.is_empty();
        let privacy = privacy_from(&mut p, privacy);
        Some(Case {
            presentation: presentation_text,
            patient,
            systems,
            body_regions,
            modalities,
            studies: built_studies,
            diagnosis,
            certainty,
            confirmation,
            differential: differential.unwrap_or_default(),
            teaching_points: teaching_points.unwrap_or_default(),
            quiz,
            is_quiz,
            answer_title: None,
            privacy,
            courtesy,
        })
    } else {
        None
    };
    let references = references_from(&mut p, references);

    // A quiz case is an unknown: everything shown before the reveal uses its spoiler-free title,
    // and nothing shown before the reveal may name the diagnosis.
    let mut title = title;
    let mut case = case;
    if let Some(case) = case.as_mut().filter(|c| c.is_quiz) {
        match title_unknown.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => p.at(
                "quiz",
                "a quiz case needs a spoiler-free title".into(),
                "add title_unknown = \"Case 12: sudden headache\"; the title is shown only after the reveal",
            ),
            Some(unknown) => {
                case.answer_title = Some(std::mem::replace(&mut title, unknown.to_string()));
            }
        }
        let diagnosis = case.diagnosis.to_lowercase();
        if !diagnosis.is_empty() {
            let mut spoilers: Vec<(&str, String)> = vec![("title_unknown", title.clone())];
            if let Some(s) = &summary {
                spoilers.push(("summary", s.clone()));
            }
            spoilers.push(("presentation", case.presentation.clone()));
            if let Some(t) = &social.text {
                spoilers.push(("social text", t.clone()));
            }
            spoilers.push(("URL slug", slug.replace('-', " ")));
            for tag in tags.iter().flatten() {
                spoilers.push(("tag", tag.clone()));
            }
            for study in &case.studies {
                spoilers.push(("study findings", study.findings_text.clone()));
                for im in &study.images {
                    spoilers.push(("image alt text", im.alt.clone()));
                    if let Some(c) = &im.caption {
                        spoilers.push(("image caption", c.clone()));
                    }
                }
            }
            for (field, value) in spoilers {
                if value.to_lowercase().contains(&diagnosis) {
                    let fix = if field == "URL slug" {
                        "the address is seen before the reveal: rename the file or folder, or set slug = \"unknown-case-12\""
                    } else {
                        "describe what is seen without naming the answer; the diagnosis is shown after the reveal"
                    };
                    p.at(
                        &value,
                        format!(
                            "the {field} of this quiz case gives the diagnosis away (`{}`)",
                            case.diagnosis
                        ),
                        fix,
                    );
                }
            }
        }
    }

    if !p.list.is_empty() {
        return Err(p.list);
    }
    let rendered = rendered.unwrap_or_default();
    let summary = summary
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let description = match &summary {
        Some(s) => s.clone(),
        _ => match &case {
            Some(c) if !c.presentation.is_empty() => c.presentation.clone(),
            _ => html_to_text(&rendered.summary_html),
        },
    };
    let mut links = rendered.links;
    links.extend(extra_links);
    let mut images = rendered.images;
    images.extend(extra_images);
    let words = rendered.word_count;
    Ok(Page {
        file: loc.file,
        kind,
        kind_label: kind.label(),
        section: loc.section,
        slug,
        url: format!("{}{}", ctx.base_path, path),
        permalink: format!("{}{}", ctx.base_url, path),
        path,
        title,
        date,
        updated,
        draft: draft.unwrap_or(false),
        description,
        summary,
        summary_html: rendered.summary_html,
        authors: authors.unwrap_or_default(),
        tags: tags
            .unwrap_or_default()
            .iter()
            .map(|t| Term::tag(t, ctx.base_path))
            .collect(),
        aliases: aliases.unwrap_or_default(),
        template,
        social,
        content: rendered.html,
        toc: rendered.toc,
        text: rendered.text,
        // Only patient-education pages are scored for readability; for the rest (most of a
        // teaching file) it would be a second copy of the text, kept for the whole build.
        prose: if kind == Kind::Education {
            rendered.prose
        } else {
            String::new()
        },
        word_count: words,
        reading_minutes: words.div_ceil(220).max(1),
        references,
        case: case.map(Box::new),
        education: education.map(Box::new),
        person: person.map(Box::new),
        assets: Vec::new(),
        links,
        images,
        version: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        stamp: None,
        source: text,
        privacy_waivers,
    })
}

/// Plain text of a small HTML fragment (the summary): tags dropped, entities decoded, spaces
/// collapsed.
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The published URL of an image or file named in front matter: relative names sit beside the
/// page (in its bundle), absolute ones are site paths.
fn asset_url(ctx: &PageContext, page_path: &str, src: &str) -> String {
    if src.contains("://") {
        src.to_string()
    } else if src.starts_with('/') {
        format!("{}{}", ctx.base_path, src)
    } else {
        format!(
            "{}{}{}",
            ctx.base_path,
            page_path,
            src.trim_start_matches("./")
        )
    }
}

fn patient_from(p: &mut Problems, raw: RawPatient) -> Patient {
    let RawPatient {
        age,
        age_band,
        age_unit,
        sex,
    } = raw;
    let unit = age_unit
        .as_deref()
        .and_then(|u| p.vocab(&vocab::AGE_UNIT, u))
        .map_or("years".to_string(), |t| t.code);
    let age = match (age, age_band) {
        (Some(_), Some(_)) => {
            p.at(
                "age_band",
                "give either age or age_band, not both".into(),
                "keep one of them",
            );
            None
        }
        // Safe Harbor: ages over 89 are shown as one group.
        (Some(a), None) if unit == "years" && a > 89 => Some("90+ years".to_string()),
        (Some(a), None) => Some(format!("{a} {unit}")),
        (None, Some(band)) => {
            let parsed: Vec<Option<u32>> = band.split('-').map(|n| n.trim().parse().ok()).collect();
            match parsed.as_slice() {
                [Some(lo), Some(hi)] if lo <= hi => {
                    if *hi > 89 && unit == "years" {
                        Some(format!("{}+ years", (*lo).min(90)))
                    } else {
                        Some(format!("{lo}–{hi} {unit}"))
                    }
                }
                _ => {
                    p.at(
                        &format!("\"{band}\""),
                        format!("age_band `{band}` is not a range"),
                        "write it as \"40-49\"",
                    );
                    None
                }
            }
        }
        (None, None) => None,
    };
    let sex = sex.and_then(|s| p.vocab(&vocab::SEX, &s));
    Patient { age, sex }
}

fn study_from(
    p: &mut Problems,
    ctx: &PageContext,
    page_path: &str,
    index: usize,
    raw: RawStudy,
) -> Option<(Study, Vec<crate::markdown::LinkRef>)> {
    let RawStudy {
        modality,
        label,
        contrast,
        day,
        findings,
        images,
    } = raw;
    let modality = p.vocab(&vocab::MODALITY, &modality)?;
    let contrast = contrast.and_then(|c| p.vocab(&vocab::CONTRAST, &c));
    let findings = findings.unwrap_or_default();
    let rendered = p.markdown(ctx, &findings, &format!("study-{}-", index + 1))?;
    let mut built_images = Vec::new();
    for RawImage {
        src,
        alt,
        caption,
        plane,
        sequence,
        annotated,
    } in images.unwrap_or_default()
    {
        let line =
            crate::error::find_line_col(p.fm, &src).map_or(p.fm_line, |(l, _)| l + p.fm_line - 1);
        let alt = alt.unwrap_or_default();
        if alt.trim().is_empty() {
            p.at(
                &src,
                format!("image `{src}` has no alt text"),
                "add alt = \"...\" describing what the image shows",
            );
        }
        let plane = plane.and_then(|pl| p.vocab(&vocab::PLANE, &pl));
        built_images.push(CaseImage {
            url: asset_url(ctx, page_path, &src),
            src,
            alt,
            caption,
            plane,
            sequence,
            annotated: annotated.unwrap_or(false),
            line,
        });
    }
    let label = label.unwrap_or_else(|| modality.label.clone());
    Some((
        Study {
            modality,
            label,
            contrast,
            day,
            day_label: day.map(|d| match d {
                0 => "Day 0".to_string(),
                d if d > 0 => format!("Day +{d}"),
                d => format!("Day {d}"),
            }),
            findings_html: rendered.html,
            findings_text: rendered.text,
            images: built_images,
        },
        rendered.links,
    ))
}

fn quiz_from(p: &mut Problems, raw: Vec<RawQuiz>) -> Vec<Quiz> {
    raw.into_iter()
        .map(|RawQuiz { question, options }| {
            if options.len() < 2 || !options.iter().any(|o| o.correct) {
                p.at(
                    &question,
                    "a quiz question needs at least two options and one marked correct = true".into(),
                    "add options = [{ text = \"...\", correct = true, rationale = \"...\" }, { text = \"...\" }]",
                );
            }
            Quiz {
                question,
                options: options
                    .into_iter()
                    .map(|o| QuizOption {
                        text: o.text,
                        correct: o.correct,
                        rationale: o.rationale,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Take the waivers out of `[privacy]`: what is left (None when the table held only waivers) is
/// the case attestations.
fn split_waivers(raw: Option<RawPrivacy>) -> (Option<RawPrivacy>, Vec<Waiver>) {
    let Some(RawPrivacy {
        deidentified,
        burned_in_checked,
        consent,
        waivers,
    }) = raw
    else {
        return (None, Vec::new());
    };
    let waivers = waivers
        .unwrap_or_default()
        .into_iter()
        .map(|RawWaiver { rule, text, reason }| Waiver { rule, text, reason })
        .collect();
    let attested = deidentified.is_some() || burned_in_checked.is_some() || consent.is_some();
    let rest = attested.then_some(RawPrivacy {
        deidentified,
        burned_in_checked,
        consent,
        waivers: None,
    });
    (rest, waivers)
}

fn privacy_from(p: &mut Problems, raw: Option<RawPrivacy>) -> Privacy {
    let (deidentified, burned_in_checked, consent) = match raw {
        Some(RawPrivacy {
            deidentified,
            burned_in_checked,
            consent,
            waivers: _,
        }) => (
            deidentified.unwrap_or(false),
            burned_in_checked.unwrap_or(false),
            consent.and_then(|c| p.vocab(&vocab::CONSENT, &c)),
        ),
        None => (false, false, None),
    };
    if !(deidentified && burned_in_checked) {
        p.at(
            "[privacy]",
            "the case is not attested as de-identified".into(),
            "check the text and every image (including burned-in annotations), then add\n  [privacy]\n  deidentified = true\n  burned_in_checked = true",
        );
    }
    Privacy {
        deidentified,
        burned_in_checked,
        consent,
    }
}

fn references_from(p: &mut Problems, raw: Option<Vec<RawReference>>) -> Vec<Reference> {
    raw.unwrap_or_default()
        .into_iter()
        .map(
            |RawReference {
                 citation,
                 doi,
                 pmid,
                 url,
             }| {
                let doi = doi.map(|d| {
                    d.trim()
                        .trim_start_matches("https://doi.org/")
                        .trim_start_matches("doi:")
                        .to_string()
                });
                if let Some(d) = &doi
                    && !d.starts_with("10.")
                {
                    p.at(
                        d,
                        format!("DOI `{d}` does not start with 10."),
                        "copy the DOI as printed, e.g. 10.1148/radiol.2021203456",
                    );
                }
                if let Some(id) = &pmid
                    && !id.chars().all(|c| c.is_ascii_digit())
                {
                    p.at(
                        id,
                        format!("PMID `{id}` is not a number"),
                        "a PMID is digits only, e.g. 29850823",
                    );
                }
                Reference {
                    citation,
                    doi_url: doi.as_ref().map(|d| format!("https://doi.org/{d}")),
                    doi,
                    pmid_url: pmid
                        .as_ref()
                        .map(|id| format!("https://pubmed.ncbi.nlm.nih.gov/{id}/")),
                    pmid,
                    url,
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(section: &str, text: &str) -> Result<Page, Vec<Diagnostic>> {
        let markdown = Markdown::new();
        let ctx = PageContext {
            markdown: &markdown,
            base_url: "https://example.org",
            base_path: "",
            trusted_html: false,
        };
        let loc = PageLocation {
            file: PathBuf::from(format!("content/{section}/x.md")),
            section: section.to_string(),
            file_slug: "x".into(),
            is_bundle: false,
            parent_path: format!("/{section}/"),
        };
        build_page(loc, text.to_string(), &ctx)
    }

    const CASE: &str = "+++\ntitle = \"Acute appendicitis\"\ntitle_unknown = \"Case 1: pain\"\npresentation = \"Pain.\"\ndiagnosis = \"Acute appendicitis\"\n[patient]\nage = 92\nsex = \"female\"\n[[studies]]\nmodality = \"US\"\n[[quiz]]\nquestion = \"Diagnosis?\"\noptions = [{ text = \"A\", correct = true }, { text = \"B\" }]\n[privacy]\ndeidentified = true\nburned_in_checked = true\n+++\nBody.\n";

    #[test]
    fn quiz_case_is_titled_by_its_unknown_title() {
        let page = build("cases", CASE).unwrap();
        let case = page.case.unwrap();
        assert_eq!(page.title, "Case 1: pain");
        assert_eq!(case.answer_title.as_deref(), Some("Acute appendicitis"));
        assert!(case.is_quiz);
        assert_eq!(page.path, "/cases/x/");
        assert_eq!(
            case.modalities[0].url.as_deref(),
            Some("/modality/ultrasound/")
        );
    }

    #[test]
    fn quiz_spoilers_in_slug_tags_and_findings_are_refused() {
        let tagged = CASE.replace(
            "+++\ntitle =",
            "+++\ntags = [\"acute appendicitis\"]\ntitle =",
        );
        let problems = build("cases", &tagged).unwrap_err();
        assert!(
            problems[0].message.contains("the tag of this quiz case"),
            "{problems:?}"
        );
        let findings = CASE.replace(
            "modality = \"US\"",
            "modality = \"US\"\nfindings = \"Typical acute appendicitis.\"",
        );
        let problems = build("cases", &findings).unwrap_err();
        assert!(
            problems[0].message.contains("study findings"),
            "{problems:?}"
        );
        let slugged = CASE.replace(
            "+++\ntitle =",
            "+++\nslug = \"acute-appendicitis\"\ntitle =",
        );
        let problems = build("cases", &slugged).unwrap_err();
        assert!(problems[0].message.contains("URL slug"), "{problems:?}");
    }

    #[test]
    fn ages_over_89_are_grouped() {
        let page = build("cases", CASE).unwrap();
        assert_eq!(
            page.case.unwrap().patient.unwrap().age.as_deref(),
            Some("90+ years")
        );
        let band = CASE.replace("age = 92", "age_band = \"85-94\"");
        let page = build("cases", &band).unwrap();
        assert_eq!(
            page.case.unwrap().patient.unwrap().age.as_deref(),
            Some("85+ years")
        );
        let months = CASE.replace("age = 92", "age = 6\nage_unit = \"months\"");
        let page = build("cases", &months).unwrap();
        assert_eq!(
            page.case.unwrap().patient.unwrap().age.as_deref(),
            Some("6 months")
        );
    }

    #[test]
    fn keys_of_another_kind_are_errors_at_their_line() {
        let text = "+++\ntitle = \"News\"\ndiagnosis = \"x\"\n+++\n";
        let problems = build("posts", text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(3));
        assert!(
            problems[0]
                .message
                .contains("`diagnosis` belongs to case pages")
        );
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_once() {
        let text = CASE
            .replace("\"US\"", "\"USS\"")
            .replace("sex = \"female\"", "sex = \"f\"");
        let problems = build("cases", &text).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(problems.len(), 2, "{messages:?}");
    }

    #[test]
    fn unsafe_slug_is_refused_with_a_suggestion() {
        let problems = build("posts", "+++\ntitle = \"T\"\nslug = \"My Post\"\n+++\n").unwrap_err();
        assert!(problems[0].fix.as_deref().unwrap().contains("my-post"));
    }

    #[test]
    fn description_falls_back_to_the_first_paragraph() {
        let page = build(
            "posts",
            "+++\ntitle = \"T\"\n+++\n## Head\n\nFirst para.\n\nSecond.\n",
        )
        .unwrap();
        assert_eq!(page.description, "First para.");
        let page = build(
            "posts",
            "+++\ntitle = \"T\"\n+++\nA *b* &amp; c.\n\nSecond.\n",
        )
        .unwrap();
        assert_eq!(page.description, "A b & c.");
    }
}
