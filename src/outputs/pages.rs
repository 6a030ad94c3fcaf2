//! HTML pages through the theme's templates: content pages, home and section listings, taxonomy
//! pages, alias redirects and 404.html. Pages render in parallel.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::cards::Subject;
use super::context::Shared;
use super::{OutputFile, html_path};
use crate::content::{Kind, Page};
use crate::error::{Error, Result};
use crate::site::Site;
use crate::theme::Theme;

/// How many newest cases the home page features.
const FEATURED_CASES: usize = 6;

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

/// One page of a paginated listing: what it shows. Its template value is built only when the
/// page must be rendered.
struct Pager<'a, 'b> {
    path: String,
    number: usize,
    total_pages: usize,
    base: &'b str,
    /// The items this page shows.
    chunk: &'a [usize],
    total_items: usize,
    /// What the page shows, for its fingerprint: item versions, then item and page counts.
    parts: Vec<u64>,
}

fn pager_path(base: &str, n: usize) -> String {
    if n == 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Split `items` into pages at `base` (`/cases/`), `base/page/2/`, ...
fn paginate<'a, 'b>(
    site: &Site,
    base: &'b str,
    items: &'a [usize],
    per_page: usize,
) -> Vec<Pager<'a, 'b>> {
    let total_pages = items.len().div_ceil(per_page).max(1);
    (1..=total_pages)
        .map(|n| {
            let chunk = items.chunks(per_page).nth(n - 1).unwrap_or(&[]);
            let mut parts: Vec<u64> = chunk.iter().map(|&j| site.pages[j].version).collect();
            parts.extend([items.len() as u64, total_pages as u64]);
            Pager {
                path: pager_path(base, n),
                number: n,
                total_pages,
                base,
                chunk,
                total_items: items.len(),
                parts,
            }
        })
        .collect()
}

/// The `paginator` a template sees.
fn pager_value(site: &Site, shared: &Shared, pager: &Pager<'_, '_>) -> Value {
    let (n, total_pages) = (pager.number, pager.total_pages);
    let url_of = |k: usize| format!("{}{}", site.base_path, pager_path(pager.base, k));
    // Around the current page only, so a long listing's pager stays small.
    let lo = n.saturating_sub(3).max(1);
    let hi = (n + 3).min(total_pages);
    let pages: Vec<PagerLink> = (lo..=hi)
        .map(|k| PagerLink {
            number: k,
            url: url_of(k),
            current: k == n,
        })
        .collect();
    let mut map = tera::Map::new();
    map.insert("items".into(), shared.summaries(pager.chunk));
    map.insert("number".into(), Value::from(n));
    map.insert("total_pages".into(), Value::from(total_pages));
    map.insert("total_items".into(), Value::from(pager.total_items));
    let opt = |cond: bool, k: usize| {
        if cond {
            Value::from(url_of(k))
        } else {
            Value::none()
        }
    };
    map.insert("previous".into(), opt(n > 1, n.saturating_sub(1)));
    map.insert("next".into(), opt(n < total_pages, n + 1));
    map.insert("first".into(), Value::from(url_of(1)));
    map.insert("last".into(), Value::from(url_of(total_pages)));
    map.insert("pages".into(), Value::from_serializable(&pages));
    Value::from(map)
}

fn page_title(site: &Site, title: &str) -> String {
    if title.is_empty() || title == site.config.title {
        site.config.title.clone()
    } else {
        format!("{title} · {}", site.config.title)
    }
}

/// One render job. Its fingerprint covers everything its output depends on, so a job whose
/// fingerprint is in the render cache is not rendered again.
struct Job<'a> {
    template: String,
    path: String,
    context: JobContext<'a>,
    origin: String,
    fingerprint: u64,
}

enum JobContext<'a> {
    Ready(Context),
    /// A content page: its context (the costly part) is built only when it must be rendered.
    Page(usize),
    /// A listing: built only when it must be rendered.
    Lazy(Box<dyn Fn() -> Context + Send + Sync + 'a>),
}

/// A fingerprint of `parts`, on top of the site-wide one.
fn fingerprint(global: u64, parts: &[u64], path: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(global);
    h.update(path.as_bytes());
    for p in parts {
        h.update(&p.to_le_bytes());
    }
    h.digest()
}

pub fn render_all(
    site: &Site,
    theme: &Theme,
    shared: &Shared,
    cache: &RenderCache,
) -> Result<Vec<OutputFile>> {
    let global = global_fingerprint(site, theme);
    let mut jobs: Vec<Job> = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        jobs.push(page_job(site, global, i, page));
    }
    let cards = theme.has(super::cards::TEMPLATE);
    listing_jobs(site, shared, global, cards, &mut jobs);
    taxonomy_jobs(site, shared, global, cards, &mut jobs);
    let mut ctx = shared.base_context(site, "/404.html");
    ctx.insert("page_title", &page_title(site, "Page not found"));
    ctx.insert("description", &site.config.description);
    jobs.push(Job {
        template: "404.html".into(),
        path: "/404.html".into(),
        context: JobContext::Ready(ctx),
        origin: "404.html".into(),
        fingerprint: fingerprint(global, &[], "/404.html"),
    });
    // The search page (a theme without search.html has none).
    if theme.has("search.html") {
        let mut ctx = shared.base_context(site, "/search/");
        let crumb = ("Search".to_string(), site.config.permalink("/search/"));
        ctx.insert_value(
            "jsonld",
            Value::safe_string(&super::jsonld::for_listing(
                site,
                "/search/",
                "Search",
                std::slice::from_ref(&crumb),
            )),
        );
        ctx.insert("page_title", &page_title(site, "Search"));
        ctx.insert("description", &format!("Search {}", site.config.title));
        if cards {
            insert_card(&mut ctx, site, &Subject::Search);
        }
        jobs.push(Job {
            template: "search.html".into(),
            path: "/search/".into(),
            context: JobContext::Ready(ctx),
            origin: "search.html".into(),
            fingerprint: fingerprint(global, &[], "/search/"),
        });
    }

    let previous = cache.take();
    let results: Vec<Result<(OutputFile, u64)>> = jobs
        .par_iter()
        .map(|job| {
            let path = if job.path.ends_with('/') {
                html_path(&job.path)
            } else {
                job.path.clone()
            };
            if let Some((fp, bytes)) = previous.get(&path)
                && *fp == job.fingerprint
            {
                cache.reused.fetch_add(1, Ordering::Relaxed);
                let file = OutputFile::bytes(path, bytes.clone(), job.origin.clone());
                return Ok((file, job.fingerprint));
            }
            if !theme.has(&job.template) {
                return Err(Error::from(
                    crate::error::Diagnostic::new(job.origin.clone(), format!("template `{}` not found", job.template))
                        .fix(format!(
                            "add templates/{} to the site or the theme, or set template = \"...\" to one that exists",
                            job.template
                        )),
                ));
            }
            let built;
            let context = match &job.context {
                JobContext::Ready(ctx) => ctx,
                JobContext::Page(i) => {
                    built = page_context(site, shared, *i, theme);
                    &built
                }
                JobContext::Lazy(make) => {
                    built = make();
                    &built
                }
            };
            let html = theme.render(&job.template, context, Some(std::path::Path::new(&job.origin)))?;
            cache.rendered.fetch_add(1, Ordering::Relaxed);
            let body = match &cache.staging {
                Some(staging) => staging.stage(&path, html.as_bytes())?,
                None => super::Body::Bytes(html.into_bytes().into()),
            };
            let file = OutputFile { path, body, origin: job.origin.clone() };
            Ok((file, job.fingerprint))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    let mut next_cache = Rendered::with_capacity_and_hasher(results.len(), Default::default());
    for r in results {
        match r {
            Ok((f, fp)) => {
                if let super::Body::Bytes(bytes) = &f.body {
                    next_cache.insert(f.path.clone(), (fp, bytes.clone()));
                }
                files.push(f);
            }
            Err(Error::Site(mut d)) => problems.append(&mut d),
            Err(e) => {
                cache.store(previous);
                return Err(e);
            }
        }
    }
    // One broken template breaks many pages: report each distinct problem once.
    problems.dedup_by(|a, b| {
        a.file == b.file
            && a.line == b.line
            && a.message.split(" (while").next() == b.message.split(" (while").next()
    });
    if !problems.is_empty() {
        cache.store(previous);
        return Err(Error::Site(problems));
    }
    cache.store(next_cache);
    files.extend(alias_redirects(site));
    Ok(files)
}

/// What every output depends on: templates, configuration, and the site's structure (paths,
/// titles, kinds, dates and drafts of all pages; sections; every person, since bylines and the
/// people list show them). Editing one page's body changes none of it.
fn global_fingerprint(site: &Site, theme: &Theme) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&theme.version.to_le_bytes());
    h.update(format!("{:?}{:?}", site.config, site.publish).as_bytes());
    h.update(
        &jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .year()
            .to_le_bytes(),
    );
    for s in &site.sections {
        let sec = &s.section;
        h.update(
            format!(
                "{}|{}|{}|{}|{}|{:?}|{}|{}",
                sec.path,
                sec.title,
                sec.description,
                sec.content,
                sec.in_nav,
                sec.paginate_by,
                sec.weight,
                s.pages.len()
            )
            .as_bytes(),
        );
    }
    for p in &site.pages {
        h.update(p.path.as_bytes());
        h.update(p.title.as_bytes());
        h.update(&[p.kind as u8, p.draft as u8]);
        if let Some(d) = &p.date {
            h.update(d.datetime.as_bytes());
        }
        if p.kind == Kind::Person {
            h.update(&p.version.to_le_bytes());
        }
    }
    h.digest()
}

fn page_job<'a>(site: &Site, global: u64, i: usize, page: &Page) -> Job<'a> {
    let (prev, next) = site.neighbours[i];
    let mut parts = vec![page.version];
    let versions = |list: &mut Vec<u64>, idx: &[usize]| {
        list.extend(idx.iter().map(|&j| site.pages[j].version))
    };
    versions(
        &mut parts,
        &[prev, next].into_iter().flatten().collect::<Vec<_>>(),
    );
    versions(&mut parts, &site.related[i]);
    if page.kind == Kind::Person
        && let Some(written) = site.authored.get(&page.slug)
    {
        versions(&mut parts, written);
    }
    Job {
        template: page
            .template
            .clone()
            .unwrap_or_else(|| format!("{}.html", page.kind.name())),
        path: page.path.clone(),
        context: JobContext::Page(i),
        origin: page.file.display().to_string(),
        fingerprint: fingerprint(global, &parts, &page.path),
    }
}

fn page_context(site: &Site, shared: &Shared, i: usize, theme: &Theme) -> Context {
    let page = &site.pages[i];
    let mut ctx = shared.base_context(site, &page.path);
    ctx.insert("page", page);
    ctx.insert_value(
        "jsonld",
        Value::safe_string(&super::jsonld::for_page(site, page)),
    );
    ctx.insert("page_title", &page_title(site, &page.title));
    ctx.insert("description", &page.description);
    ctx.insert(
        "share",
        &crate::social::share_links(&shared.snippets[i].list),
    );
    ctx.insert(
        "og_type",
        match page.kind {
            Kind::Case | Kind::Post | Kind::Education => "article",
            Kind::Person => "profile",
            Kind::Page => "website",
        },
    );
    if let Some(card) = &page.social.card_image {
        let url = if card.contains("://") {
            card.clone()
        } else if card.starts_with('/') {
            site.config.permalink(card)
        } else {
            site.config.permalink(&format!("{}{}", page.path, card))
        };
        ctx.insert("og_image", &url);
        ctx.insert(
            "og_image_alt",
            &page
                .social
                .card_alt
                .clone()
                .unwrap_or_else(|| page.title.clone()),
        );
    } else if super::cards::has_card(theme, page) {
        // The page's share card (outputs/cards.rs), beside the page.
        let alt = page
            .social
            .card_alt
            .clone()
            .unwrap_or_else(|| super::cards::alt_text(site, page));
        ctx.insert(
            "og_image",
            &site.config.permalink(&super::cards::card_path(&page.path)),
        );
        ctx.insert("og_image_alt", &alt);
        ctx.insert("og_image_width", &super::cards::WIDTH);
        ctx.insert("og_image_height", &super::cards::HEIGHT);
    }
    let authors: Vec<Value> = page.authors.iter().map(|a| shared.person(a)).collect();
    ctx.insert_value("authors", Value::from(authors));
    let (prev, next) = site.neighbours[i];
    let pick = |o: Option<usize>| o.map_or_else(Value::none, |j| shared.summaries[j].clone());
    ctx.insert_value("prev", pick(prev));
    ctx.insert_value("next", pick(next));
    ctx.insert_value("related", shared.summaries(&site.related[i]));
    let feed_url = (page.kind == Kind::Person).then(|| format!("{}atom.xml", page.url));
    ctx.insert("feed_url", &feed_url);
    let authored = site
        .authored
        .get(&page.slug)
        .filter(|_| page.kind == Kind::Person);
    ctx.insert_value(
        "authored",
        shared.summaries(authored.map_or(&[][..], |v| v.as_slice())),
    );
    let reviewer = page
        .education
        .as_ref()
        .and_then(|e| e.reviewed_by.as_deref())
        .map_or_else(Value::none, |slug| shared.person(slug));
    ctx.insert_value("reviewer", reviewer);
    ctx
}

fn listing_jobs<'a>(
    site: &'a Site,
    shared: &'a Shared,
    global: u64,
    cards: bool,
    jobs: &mut Vec<Job<'a>>,
) {
    for s in &site.sections {
        let section = &s.section;
        let is_home = section.name.is_empty();
        let items: &[usize] = if is_home {
            &site.home_listing
        } else {
            &s.pages
        };
        let per_page = section.paginate_by.unwrap_or(site.config.paginate_by);
        let featured_parts: Vec<u64> = if is_home {
            featured_pages(site)
                .iter()
                .map(|&j| site.pages[j].version)
                .collect()
        } else {
            Vec::new()
        };
        let origin = section.file.as_ref().map_or_else(
            || format!("content/{}", section.name),
            |f| f.display().to_string(),
        );
        let template = section.template.clone().unwrap_or_else(|| {
            if is_home {
                "index.html".into()
            } else {
                "section.html".into()
            }
        });
        for pager in paginate(site, &section.path, items, per_page) {
            let mut parts = pager.parts.clone();
            parts.extend(&featured_parts);
            let path = pager.path.clone();
            let make = move || {
                let mut ctx = shared.base_context(site, &pager.path);
                let name = if is_home {
                    &site.config.title
                } else {
                    &section.title
                };
                let crumbs = if is_home {
                    Vec::new()
                } else {
                    vec![(section.title.clone(), section.permalink.clone())]
                };
                ctx.insert_value(
                    "jsonld",
                    Value::safe_string(&super::jsonld::for_listing(
                        site,
                        &pager.path,
                        name,
                        &crumbs,
                    )),
                );
                ctx.insert("page_title", &page_title(site, name));
                let description = if section.description.is_empty() {
                    &site.config.description
                } else {
                    &section.description
                };
                ctx.insert("description", description);
                ctx.insert("section", section);
                ctx.insert_value("paginator", pager_value(site, shared, &pager));
                if is_home {
                    ctx.insert_value("featured", featured(site, shared));
                }
                if cards {
                    // Every page of a listing shares the section's card.
                    insert_card(&mut ctx, site, &Subject::Section(s));
                }
                ctx
            };
            jobs.push(Job {
                fingerprint: fingerprint(global, &parts, &path),
                template: template.clone(),
                path,
                context: JobContext::Lazy(Box::new(make)),
                origin: origin.clone(),
            });
        }
    }
}

/// The newest cases and the education pages the home page features.
fn featured_lists(site: &Site) -> (Vec<usize>, Vec<usize>) {
    let cases = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == Kind::Case)
        .take(FEATURED_CASES)
        .collect();
    let education = site
        .section("education")
        .map_or(Vec::new(), |s| s.pages.clone());
    (cases, education)
}

fn featured_pages(site: &Site) -> Vec<usize> {
    let (mut cases, education) = featured_lists(site);
    cases.extend(education);
    cases
}

fn featured(site: &Site, shared: &Shared) -> Value {
    let (cases, education) = featured_lists(site);
    let mut map = tera::Map::new();
    map.insert("cases".into(), shared.summaries(&cases));
    map.insert("education".into(), shared.summaries(&education));
    map.insert("people".into(), shared.people.clone());
    Value::from(map)
}

#[derive(Serialize)]
struct TermView<'a> {
    label: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
    feed_url: String,
}

/// Link the generated share card of a page that is not a content page (a listing, a taxonomy
/// page, the search page) from its head, as content pages do in `page_context`.
fn insert_card(ctx: &mut Context, site: &Site, subject: &Subject) {
    let card = super::cards::card_path(&subject.path());
    ctx.insert("og_image", &site.config.permalink(&card));
    ctx.insert("og_image_alt", &super::cards::alt(site, subject));
    ctx.insert("og_image_width", &super::cards::WIDTH);
    ctx.insert("og_image_height", &super::cards::HEIGHT);
}

fn taxonomy_jobs<'a>(
    site: &'a Site,
    shared: &'a Shared,
    global: u64,
    cards: bool,
    jobs: &mut Vec<Job<'a>>,
) {
    let bp = &site.base_path;
    for tax in site.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        let base = format!("/{}/", tax.name);
        let terms: Vec<TermView> = tax
            .terms
            .iter()
            .map(|t| TermView {
                label: &t.label,
                slug: &t.slug,
                url: format!("{bp}{base}{}/", t.slug),
                count: t.pages.len(),
                feed_url: format!("{bp}{base}{}/atom.xml", t.slug),
            })
            .collect();
        let mut map = tera::Map::new();
        map.insert("name".into(), Value::from(tax.name));
        map.insert("title".into(), Value::from(tax.title));
        map.insert("url".into(), Value::from(format!("{bp}{base}")));
        map.insert("terms".into(), Value::from_serializable(&terms));
        let tax_value = Value::from(map);
        let tax_crumb = (tax.title.to_string(), site.config.permalink(&base));

        let counts: Vec<u64> = tax
            .terms
            .iter()
            .map(|t| xxhash_rust::xxh3::xxh3_64(t.slug.as_bytes()) ^ t.pages.len() as u64)
            .collect();
        let list_value = tax_value.clone();
        let list_crumb = tax_crumb.clone();
        let list_base = base.clone();
        let make = move || {
            let mut ctx = shared.base_context(site, &list_base);
            ctx.insert_value(
                "jsonld",
                Value::safe_string(&super::jsonld::for_listing(
                    site,
                    &list_base,
                    tax.title,
                    std::slice::from_ref(&list_crumb),
                )),
            );
            ctx.insert("page_title", &page_title(site, tax.title));
            ctx.insert(
                "description",
                &format!("{} of {}", tax.title, site.config.title),
            );
            ctx.insert_value("taxonomy", list_value.clone());
            if cards {
                insert_card(&mut ctx, site, &Subject::Taxonomy(tax));
            }
            ctx
        };
        jobs.push(Job {
            template: "taxonomy_list.html".into(),
            fingerprint: fingerprint(global, &counts, &base),
            path: base.clone(),
            context: JobContext::Lazy(Box::new(make)),
            origin: format!("taxonomy {}", tax.name),
        });
        for (term, view) in tax.terms.iter().zip(terms) {
            let term_base = format!("{base}{}/", term.slug);
            let term_value = Value::from_serializable(&view);
            for pager in paginate_owned(site, &term_base, &term.pages, site.config.paginate_by) {
                let path = pager.path.clone();
                let fp = fingerprint(global, &pager.parts, &path);
                let (tax_value, tax_crumb, term_value) =
                    (tax_value.clone(), tax_crumb.clone(), term_value.clone());
                let term_permalink = site.config.permalink(&term_base);
                let make = move || {
                    let pager = pager.borrowed();
                    let mut ctx = shared.base_context(site, &pager.path);
                    let name = format!("{}: {}", tax.title, term.label);
                    let crumbs = [
                        tax_crumb.clone(),
                        (term.label.clone(), term_permalink.clone()),
                    ];
                    ctx.insert_value(
                        "jsonld",
                        Value::safe_string(&super::jsonld::for_listing(
                            site,
                            &pager.path,
                            &name,
                            &crumbs,
                        )),
                    );
                    ctx.insert("page_title", &page_title(site, &name));
                    ctx.insert(
                        "description",
                        &format!(
                            "{} pages under {} “{}”",
                            term.pages.len(),
                            tax.title.to_lowercase(),
                            term.label
                        ),
                    );
                    ctx.insert_value("taxonomy", tax_value.clone());
                    ctx.insert_value("term", term_value.clone());
                    ctx.insert_value("paginator", pager_value(site, shared, &pager));
                    if cards {
                        // Every page of a term's listing shares its first page's card.
                        insert_card(&mut ctx, site, &Subject::Term(tax, term));
                    }
                    ctx
                };
                jobs.push(Job {
                    template: "taxonomy_term.html".into(),
                    fingerprint: fp,
                    path,
                    context: JobContext::Lazy(Box::new(make)),
                    origin: format!("{} term {}", tax.name, term.label),
                });
            }
        }
    }
}

/// A pager that owns its base path, for listings whose base is built on the fly.
struct OwnedPager<'a> {
    base: std::sync::Arc<str>,
    path: String,
    number: usize,
    total_pages: usize,
    chunk: &'a [usize],
    total_items: usize,
    parts: Vec<u64>,
}

impl<'a> OwnedPager<'a> {
    fn borrowed(&self) -> Pager<'a, '_> {
        Pager {
            path: self.path.clone(),
            number: self.number,
            total_pages: self.total_pages,
            base: &self.base,
            chunk: self.chunk,
            total_items: self.total_items,
            parts: Vec::new(),
        }
    }
}

fn paginate_owned<'a>(
    site: &Site,
    base: &str,
    items: &'a [usize],
    per_page: usize,
) -> Vec<OwnedPager<'a>> {
    let shared_base: std::sync::Arc<str> = base.into();
    paginate(site, base, items, per_page)
        .into_iter()
        .map(|p| OwnedPager {
            base: shared_base.clone(),
            path: p.path,
            number: p.number,
            total_pages: p.total_pages,
            chunk: p.chunk,
            total_items: p.total_items,
            parts: p.parts,
        })
        .collect()
}

/// Old URLs of a page (`aliases`) as small pages that send the reader on.
fn alias_redirects(site: &Site) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for page in &site.pages {
        for alias in &page.aliases {
            let mut path = format!("/{}", alias.trim_matches('/'));
            if !path.ends_with(".html") {
                path.push('/');
            }
            let target = crate::outputs::feeds::escape_xml(&page.permalink);
            let html = format!(
                "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Moved</title>\
                 <link rel=\"canonical\" href=\"{target}\"><meta name=\"robots\" content=\"noindex\">\
                 <meta http-equiv=\"refresh\" content=\"0; url={target}\"></head>\
                 <body><p>This page has moved to <a href=\"{target}\">{target}</a>.</p></body></html>\n",
                site.config.language
            );
            let file_path = if path.ends_with('/') {
                html_path(&path)
            } else {
                path
            };
            out.push(OutputFile::bytes(
                file_path,
                html.into_bytes(),
                page.file.display().to_string() + " (alias)",
            ));
        }
    }
    out
}

/// Rendered pages kept between builds of one process (`radpress serve`), by output path, with the
/// fingerprint of the inputs they were rendered from.
/// Output path → (fingerprint of its inputs, bytes).
type Rendered = rustc_hash::FxHashMap<String, (u64, Arc<[u8]>)>;

#[derive(Default)]
pub struct RenderCache {
    entries: Mutex<Rendered>,
    /// Page summaries, reused while their page and authors are unchanged.
    pub summaries: super::context::SummaryCache,
    /// Social snippets, reused while their page and the social settings are unchanged.
    pub snippets: crate::social::SnippetCache,
    /// Outputs rendered and reused by the last build.
    pub rendered: AtomicUsize,
    pub reused: AtomicUsize,
    /// `radpress build`: pages go to the output folder as they are rendered, not into memory
    /// (nor into this cache: a build's engine renders once).
    pub staging: Option<std::sync::Arc<crate::writer::Staging>>,
}

impl RenderCache {
    fn take(&self) -> Rendered {
        self.rendered.store(0, Ordering::Relaxed);
        self.reused.store(0, Ordering::Relaxed);
        std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn store(&self, entries: Rendered) {
        *self.entries.lock().unwrap_or_else(|e| e.into_inner()) = entries;
    }
}
