//! What each share card says: the pages that get one (content pages, section listings, taxonomy
//! list and term pages, the search page), the words on each card, and the alt text describing it.
//! No layout here: `cards.rs` fits these words to the card.

use crate::content::{Kind, Page};
use crate::site::{SectionPages, Site, Taxonomy, TaxonomyTerm};
use crate::theme::Theme;

/// A page that gets a generated card.
#[derive(Clone, Copy)]
pub enum Subject<'a> {
    Page(&'a Page),
    /// A section listing, or the home page (the section with no name).
    Section(&'a SectionPages),
    /// A taxonomy's list of terms (`/modality/`).
    Taxonomy(&'a Taxonomy),
    /// One term's listing (`/modality/mri/`).
    Term(&'a Taxonomy, &'a TaxonomyTerm),
    /// The search page (`/search/`), when the theme has one.
    Search,
}

/// The site path of the search page.
pub const SEARCH_PATH: &str = "/search/";

impl Subject<'_> {
    /// The site path of the page (the first page of a listing) whose card this is.
    pub fn path(&self) -> String {
        match self {
            Subject::Page(p) => p.path.clone(),
            Subject::Section(s) => s.section.path.clone(),
            Subject::Taxonomy(t) => format!("/{}/", t.name),
            Subject::Term(t, term) => format!("/{}/{}/", t.name, term.slug),
            Subject::Search => SEARCH_PATH.into(),
        }
    }
}

/// Every page of `site` that gets a generated card, when the theme has a card template.
pub fn all<'a>(site: &'a Site, theme: &Theme) -> Vec<Subject<'a>> {
    let mut subjects: Vec<Subject> = site
        .pages
        .iter()
        .filter(|p| super::has_card(theme, p))
        .map(Subject::Page)
        .collect();
    subjects.extend(site.sections.iter().map(Subject::Section));
    // The taxonomies that have pages (outputs/pages.rs renders no page for an empty one).
    for tax in site.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        subjects.push(Subject::Taxonomy(tax));
        subjects.extend(tax.terms.iter().map(|term| Subject::Term(tax, term)));
    }
    if theme.has("search.html") {
        subjects.push(Subject::Search);
    }
    subjects
}

/// The words of one card, before they are fitted to it. Its hash is the cache key of every
/// card but a content page's (whose thumbnail is a file).
#[derive(Debug, Clone, Hash)]
pub struct Words {
    /// "case", "education", "post", "person", "page", "section", "taxonomy", "term", "search".
    pub kind: String,
    pub title: String,
    pub badge: Option<String>,
    pub subtitle: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub is_quiz: bool,
}

/// What produced a subject's page (a content file, or a description), for errors.
pub fn origin(subject: &Subject) -> String {
    match subject {
        Subject::Page(page) => page.file.display().to_string(),
        Subject::Section(s) => s.section.file.as_ref().map_or_else(
            || format!("content/{}", s.section.name),
            |f| f.display().to_string(),
        ),
        Subject::Taxonomy(t) => format!("taxonomy {}", t.name),
        Subject::Term(t, term) => format!("{} term {}", t.name, term.label),
        Subject::Search => "search.html".into(),
    }
}

pub fn words(site: &Site, subject: &Subject) -> Words {
    let listing =
        |kind: &str, title: String, badge: Option<String>, subtitle: Option<String>| Words {
            kind: kind.into(),
            title,
            badge,
            subtitle,
            byline: None,
            date: None,
            is_quiz: false,
        };
    match subject {
        Subject::Page(page) => Words {
            kind: page.kind.name().into(),
            title: page.title.clone(),
            badge: badge_text(page),
            subtitle: match page.kind {
                Kind::Person => page.person.as_ref().and_then(|p| p.role.clone()),
                // A case's description could hint at the answer; the card shows none.
                Kind::Case => None,
                _ => Some(page.description.clone()).filter(|d| !d.is_empty()),
            },
            byline: byline(site, page),
            date: page.date.as_ref().map(|d| d.display.clone()),
            is_quiz: page.case.as_ref().is_some_and(|c| c.is_quiz),
        },
        Subject::Section(s) => {
            let sec = &s.section;
            let is_home = sec.name.is_empty();
            let title = if is_home {
                site.config.title.clone()
            } else {
                sec.title.clone()
            };
            let description = if sec.description.is_empty() {
                site.config.description.clone()
            } else {
                sec.description.clone()
            };
            let badge = if is_home {
                Some(site.config.brand.tagline.clone()).filter(|t| !t.is_empty())
            } else {
                Some(count(s.pages.len(), "page", "pages"))
            };
            listing("section", title, badge, Some(description))
        }
        Subject::Taxonomy(tax) => {
            let (one, many) = nouns(tax.name).1;
            // The terms with the most pages first: what the list is mostly about.
            let mut terms: Vec<&TaxonomyTerm> = tax.terms.iter().collect();
            terms.sort_by_key(|t| std::cmp::Reverse(t.pages.len()));
            let labels: Vec<&str> = terms.iter().map(|t| t.label.as_str()).collect();
            listing(
                "taxonomy",
                tax.title.to_string(),
                Some(count(tax.terms.len(), one, many)),
                Some(labels.join(", ")).filter(|l| !l.is_empty()),
            )
        }
        Subject::Term(tax, term) => listing(
            "term",
            sentence_case(&term.label),
            Some(nouns(tax.name).0.to_string()),
            Some(kind_counts(site, &term.pages)),
        ),
        Subject::Search => {
            let all: Vec<usize> = (0..site.pages.len()).collect();
            listing(
                "search",
                format!("Search {}", site.config.title),
                Some("Search".into()),
                Some(kind_counts(site, &all)).filter(|c| !c.is_empty()),
            )
        }
    }
}

/// A taxonomy's name for one of its terms ("Modality" on a term's card), and the nouns for
/// counting its terms ("7 body regions").
fn nouns(taxonomy: &str) -> (&'static str, (&'static str, &'static str)) {
    match taxonomy {
        "modality" => ("Modality", ("modality", "modalities")),
        "regions" => ("Body region", ("body region", "body regions")),
        "systems" => ("System", ("system", "systems")),
        _ => ("Tag", ("tag", "tags")),
    }
}

/// A free tag written in lower case ("women's health") as a title: "Women's health". Labels
/// with capitals of their own ("BI-RADS", "MRI", "iPhone") are kept as written.
fn sentence_case(label: &str) -> String {
    if label.chars().any(char::is_uppercase) {
        return label.to_string();
    }
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a list of pages holds, by kind: "12 teaching cases · 2 patient guides".
fn kind_counts(site: &Site, pages: &[usize]) -> String {
    const NOUNS: [(Kind, &str, &str); 5] = [
        (Kind::Case, "teaching case", "teaching cases"),
        (Kind::Education, "patient guide", "patient guides"),
        (Kind::Post, "article", "articles"),
        (Kind::Person, "profile", "profiles"),
        (Kind::Page, "page", "pages"),
    ];
    NOUNS
        .iter()
        .filter_map(|&(kind, one, many)| {
            let n = pages
                .iter()
                .filter(|&&i| site.pages[i].kind == kind)
                .count();
            (n > 0).then(|| count(n, one, many))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Alt text for a card (og:image:alt), describing what it shows.
pub fn alt(site: &Site, subject: &Subject) -> String {
    if let Subject::Page(page) = subject {
        return alt_text(site, page);
    }
    let w = words(site, subject);
    let mut alt = format!("Share card: {}", w.title);
    if let Some(badge) = w
        .badge
        .as_ref()
        .filter(|b| !w.title.starts_with(b.as_str()))
    {
        alt.push_str(&format!(" ({})", badge.trim_end_matches('.')));
    }
    // A listing's counts say what it holds; a section's description is the page's own text.
    if matches!(subject, Subject::Term(..) | Subject::Search)
        && let Some(sub) = &w.subtitle
    {
        alt.push_str(&format!(", {}", sub.replace(" · ", ", ")));
    }
    // The home card's title is usually the brand's name already.
    if w.title == site.config.brand.name {
        alt.push('.');
    } else {
        alt.push_str(&format!(". {}.", site.config.brand.name));
    }
    alt
}

/// Alt text for a page's card (og:image:alt), describing what the card shows.
pub fn alt_text(site: &Site, page: &Page) -> String {
    let mut alt = format!("Share card: {}", page.title);
    if let Some(badge) = badge_text(page) {
        alt.push_str(&format!(" ({badge})"));
    }
    if let Some(byline) = byline(site, page) {
        match page.kind {
            Kind::Person => alt.push_str(&format!(", {byline}")),
            _ => alt.push_str(&format!(", by {byline}")),
        }
    }
    alt.push_str(&format!(". {}.", site.config.brand.name));
    alt
}

fn badge_text(page: &Page) -> Option<String> {
    let mut parts: Vec<String> = vec![page.kind_label.to_string()];
    if let Some(c) = &page.case {
        if c.is_quiz {
            parts[0] = "Quiz case".into();
        }
        let modalities: Vec<&str> = c.modalities.iter().map(|m| m.code.as_str()).collect();
        if !modalities.is_empty() {
            parts.push(modalities.join(" / "));
        }
        if let Some(s) = c.systems.first() {
            parts.push(short_system(&s.label).to_string());
        }
    } else if let Some(e) = &page.education {
        parts[0] = "Patient guide".into();
        if let Some(m) = e.modalities.first() {
            parts.push(m.label.clone());
        }
    } else if let Some(p) = &page.person {
        if let Some(s) = &p.specialty {
            parts.push(s.clone());
        }
    } else if page.kind == Kind::Page {
        return None;
    }
    Some(parts.join(" · "))
}

/// Shorter labels for the badge ("Neuroradiology" → "Neuro").
fn short_system(label: &str) -> &str {
    match label {
        "Neuroradiology" => "Neuro",
        "Musculoskeletal" => "MSK",
        "Gastrointestinal" => "GI",
        "Genitourinary" => "GU",
        "Interventional" => "IR",
        "Nuclear medicine" => "Nuclear",
        other => other,
    }
}

fn byline(site: &Site, page: &Page) -> Option<String> {
    if let Some(p) = &page.person {
        return p.credentials.clone();
    }
    let mut names = page.authors.iter().map(|slug| match site.person(slug) {
        Some(p) => {
            let person = p.person.as_ref();
            let name = person.map_or(p.title.as_str(), |x| x.name.as_str());
            match person.and_then(|x| x.credentials.as_deref()) {
                Some(c) if !c.is_empty() => format!("{name}, {c}"),
                _ => name.to_string(),
            }
        }
        None => slug.clone(),
    });
    let first = names.next()?;
    Some(match page.authors.len() {
        1 => first,
        2 => format!("{first} and {}", names.next().unwrap_or_default()),
        n => format!("{first} and {} others", n - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_tags_become_titles_and_capitals_are_kept() {
        assert_eq!(sentence_case("women's health"), "Women's health");
        assert_eq!(sentence_case("BI-RADS"), "BI-RADS");
        assert_eq!(sentence_case("iPhone"), "iPhone");
        assert_eq!(sentence_case(""), "");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "tag", "tags"), "1 tag");
        assert_eq!(count(3, "tag", "tags"), "3 tags");
    }
}
