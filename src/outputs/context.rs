//! What templates see: the site, page summaries and person summaries, each turned into a Tera
//! value once per build and shared (Tera values are reference-counted, so sharing is a pointer
//! copy, and a listing page costs in proportion to what it shows).

use serde::Serialize;
use tera::{Context, Value};

use crate::content::{Kind, Page, PageDate, Term};
use crate::site::{Site, TAXONOMIES};

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    path: String,
}

#[derive(Serialize)]
struct TaxonomyLink {
    name: &'static str,
    slug: &'static str,
    title: &'static str,
    url: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    description: &'a str,
    brand: BrandView<'a>,
    social: &'a crate::config::SocialAccounts,
    default_image: Option<String>,
    default_image_alt: &'a str,
    nav: Vec<NavItem>,
    taxonomies: Vec<TaxonomyLink>,
    feed_url: String,
    year: i16,
    drafts: bool,
    practice: Option<&'a crate::practice::Practice>,
}

#[derive(Serialize)]
struct BrandView<'a> {
    name: &'a str,
    tagline: &'a str,
    logo: Option<String>,
    logo_alt: &'a str,
    colors: &'a crate::config::Colors,
}

#[derive(Serialize)]
pub struct PersonSummary<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub credentials: Option<&'a str>,
    pub role: Option<&'a str>,
    pub specialty: Option<&'a str>,
    pub url: &'a str,
    pub photo: Option<&'a str>,
    pub photo_alt: Option<&'a str>,
}

#[derive(Serialize)]
struct AuthorLink<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ImageView<'a> {
    url: &'a str,
    alt: &'a str,
}

#[derive(Serialize)]
struct PageSummary<'a> {
    title: &'a str,
    url: &'a str,
    permalink: &'a str,
    kind: Kind,
    kind_label: &'a str,
    section: &'a str,
    date: Option<&'a PageDate>,
    description: &'a str,
    modalities: &'a [Term],
    body_regions: &'a [Term],
    systems: &'a [Term],
    tags: &'a [Term],
    authors: Vec<AuthorLink<'a>>,
    image: Option<ImageView<'a>>,
    is_quiz: bool,
    draft: bool,
    credentials: Option<&'a str>,
    role: Option<&'a str>,
}

/// Values computed once per build and shared by every template render.
pub struct Shared {
    pub site: Value,
    pub people: Value,
    /// Per page, its summary.
    pub summaries: Vec<Value>,
    /// Per person slug, their summary.
    pub person_summaries: std::collections::HashMap<String, Value>,
    /// Per page, its social snippets (one per network).
    pub snippets: Vec<std::sync::Arc<crate::social::PageSnippets>>,
}

impl Shared {
    pub fn new(
        site: &Site,
        cache: &SummaryCache,
        snippets: &crate::social::SnippetCache,
    ) -> Shared {
        let config = &site.config;
        let bp = site.base_path.as_str();
        let mut nav_sections: Vec<_> = site
            .sections
            .iter()
            .filter(|s| s.section.in_nav && !s.pages.is_empty())
            .collect();
        nav_sections.sort_by(|a, b| {
            a.section
                .weight
                .cmp(&b.section.weight)
                .then(a.section.name.cmp(&b.section.name))
        });
        let mut nav: Vec<NavItem> = nav_sections
            .iter()
            .map(|s| NavItem {
                title: s.section.title.clone(),
                url: s.section.url.clone(),
                path: s.section.path.clone(),
            })
            .collect();
        // Plain pages at the top of content/ (about, contact) close the navigation.
        for p in site
            .pages
            .iter()
            .filter(|p| p.kind == Kind::Page && p.section.is_empty())
        {
            nav.push(NavItem {
                title: p.title.clone(),
                url: p.url.clone(),
                path: p.path.clone(),
            });
        }
        let taxonomies = TAXONOMIES
            .iter()
            .zip(&site.taxonomies)
            .filter(|(_, t)| !t.terms.is_empty())
            .map(|(&(slug, title), _)| TaxonomyLink {
                name: slug,
                slug,
                title,
                url: format!("{bp}/{slug}/"),
            })
            .collect();
        let view = SiteView {
            title: &config.title,
            base_url: &config.base_url,
            base_path: bp,
            language: &config.language,
            description: &config.description,
            brand: BrandView {
                name: &config.brand.name,
                tagline: &config.brand.tagline,
                logo: config.brand.logo.as_ref().map(|l| format!("{bp}/{l}")),
                logo_alt: &config.brand.logo_alt,
                colors: &config.brand.colors,
            },
            social: &config.social,
            default_image: config
                .default_image
                .as_ref()
                .map(|i| config.permalink(&format!("/{i}"))),
            default_image_alt: &config.default_image_alt,
            nav,
            taxonomies,
            feed_url: format!("{bp}/atom.xml"),
            year: jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .year(),
            drafts: site.publish.drafts,
            practice: config.practice.as_ref(),
        };

        let person_summaries: std::collections::HashMap<String, Value> = site
            .people
            .iter()
            .map(|(slug, &i)| {
                (
                    slug.clone(),
                    Value::from_serializable(&person_summary(&site.pages[i])),
                )
            })
            .collect();
        let mut people: Vec<&Page> = site.people.values().map(|&i| &site.pages[i]).collect();
        people.sort_by(|a, b| a.title.cmp(&b.title));
        let people =
            Value::from_serializable(&people.iter().map(|p| person_summary(p)).collect::<Vec<_>>());

        let summaries = cache.all(
            &site.pages,
            |p| summary_key(site, p),
            |p| Value::from_serializable(&page_summary(site, p)),
        );
        Shared {
            site: Value::from_serializable(&view),
            people,
            summaries,
            person_summaries,
            snippets: crate::timing::phase("snippets", || snippets.all(site)),
        }
    }

    /// A context with what every template gets.
    pub fn base_context(&self, site: &Site, path: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("people", self.people.clone());
        ctx.insert("current_path", path);
        ctx.insert("current_url", &format!("{}{}", site.base_path, path));
        ctx.insert("canonical", &site.config.permalink(path));
        ctx.insert("og_type", "website");
        ctx.insert(
            "og_image",
            &site
                .config
                .default_image
                .as_ref()
                .map(|i| site.config.permalink(&format!("/{i}"))),
        );
        ctx.insert("og_image_alt", &site.config.default_image_alt);
        ctx.insert_value("jsonld", Value::none());
        ctx
    }

    pub fn summaries(&self, indexes: &[usize]) -> Value {
        Value::from(
            indexes
                .iter()
                .map(|&i| self.summaries[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    pub fn person(&self, slug: &str) -> Value {
        self.person_summaries
            .get(slug)
            .cloned()
            .unwrap_or_else(Value::none)
    }
}

pub fn person_summary(p: &Page) -> PersonSummary<'_> {
    let person = p.person.as_ref();
    PersonSummary {
        slug: &p.slug,
        name: person.map_or(p.title.as_str(), |x| x.name.as_str()),
        credentials: person.and_then(|x| x.credentials.as_deref()),
        role: person.and_then(|x| x.role.as_deref()),
        specialty: person.and_then(|x| x.specialty.as_deref()),
        url: &p.url,
        photo: person.and_then(|x| x.photo.as_deref()),
        photo_alt: person.and_then(|x| x.photo_alt.as_deref()),
    }
}

fn page_summary<'a>(site: &'a Site, p: &'a Page) -> PageSummary<'a> {
    let empty: &[Term] = &[];
    let case = p.case.as_ref();
    let image = match (&p.case, &p.person) {
        (Some(c), _) => c
            .studies
            .iter()
            .flat_map(|s| &s.images)
            .next()
            .map(|im| ImageView {
                url: &im.url,
                alt: &im.alt,
            }),
        (_, Some(person)) => person.photo.as_deref().map(|url| ImageView {
            url,
            alt: person.photo_alt.as_deref().unwrap_or(""),
        }),
        _ => None,
    };
    PageSummary {
        title: &p.title,
        url: &p.url,
        permalink: &p.permalink,
        kind: p.kind,
        kind_label: p.kind_label,
        section: &p.section,
        date: p.date.as_ref(),
        description: &p.description,
        modalities: match (&p.case, &p.education) {
            (Some(c), _) => &c.modalities,
            (_, Some(e)) => &e.modalities,
            _ => empty,
        },
        body_regions: case.map_or(empty, |c| &c.body_regions),
        systems: case.map_or(empty, |c| &c.systems),
        tags: &p.tags,
        authors: p
            .authors
            .iter()
            .map(|slug| match site.person(slug) {
                Some(person) => AuthorLink {
                    name: &person.title,
                    url: Some(&person.url),
                },
                None => AuthorLink {
                    name: slug,
                    url: None,
                },
            })
            .collect(),
        image,
        is_quiz: case.is_some_and(|c| c.is_quiz),
        draft: p.draft,
        credentials: p.person.as_ref().and_then(|x| x.credentials.as_deref()),
        role: p.person.as_ref().and_then(|x| x.role.as_deref()),
    }
}

/// Page summaries, kept while their page and authors are unchanged.
pub type SummaryCache = crate::kept::PerPage<Value>;

fn summary_key(site: &Site, page: &Page) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(page.version);
    h.update(site.config.base_url.as_bytes());
    h.update(&[page.draft as u8]);
    for slug in &page.authors {
        h.update(slug.as_bytes());
        if let Some(person) = site.person(slug) {
            h.update(&person.version.to_le_bytes());
        }
    }
    h.digest()
}
