//! HTML pages through the theme's templates: content pages, home and section listings, taxonomy
//! pages, alias redirects and 404.html. Pages render in parallel.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

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

/// One page of a paginated listing, ready for a template.
struct Pager {
    path: String,
    value: Value,
}

/// Split `items` into pages at `base` (`/cases/`), `base/page/2/`, ...
fn paginate(
    site: &Site,
    shared: &Shared,
    base: &str,
    items: &[usize],
    per_page: usize,
) -> Vec<Pager> {
    let total_pages = items.len().div_ceil(per_page).max(1);
    let path_of = |n: usize| {
        if n == 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
    };
    let url_of = |n: usize| format!("{}{}", site.base_path, path_of(n));
    (1..=total_pages)
        .map(|n| {
            let chunk = items.chunks(per_page).nth(n - 1).unwrap_or(&[]);
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
            map.insert("items".into(), shared.summaries(chunk));
            map.insert("number".into(), Value::from(n));
            map.insert("total_pages".into(), Value::from(total_pages));
            map.insert("total_items".into(), Value::from(items.len()));
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
            Pager {
                path: path_of(n),
                value: Value::from(map),
            }
        })
        .collect()
}

fn page_title(site: &Site, title: &str) -> String {
    if title.is_empty() || title == site.config.title {
        site.config.title.clone()
    } else {
        format!("{title} · {}", site.config.title)
    }
}

/// One render job: everything is computed before the parallel render.
struct Job {
    template: String,
    path: String,
    context: Context,
    origin: String,
}

pub fn render_all(site: &Site, theme: &Theme, shared: &Shared) -> Result<Vec<OutputFile>> {
    let mut jobs: Vec<Job> = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        jobs.push(page_job(site, shared, i, page));
    }
    listing_jobs(site, shared, &mut jobs);
    taxonomy_jobs(site, shared, &mut jobs);
    let mut ctx = shared.base_context(site, "/404.html");
    ctx.insert("page_title", &page_title(site, "Page not found"));
    ctx.insert("description", &site.config.description);
    jobs.push(Job {
        template: "404.html".into(),
        path: "/404.html".into(),
        context: ctx,
        origin: "404.html".into(),
    });

    let results: Vec<Result<OutputFile>> = jobs
        .par_iter()
        .map(|job| {
            if !theme.has(&job.template) {
                return Err(Error::from(
                    crate::error::Diagnostic::new(job.origin.clone(), format!("template `{}` not found", job.template))
                        .fix(format!(
                            "add templates/{} to the site or the theme, or set template = \"...\" to one that exists",
                            job.template
                        )),
                ));
            }
            let html = theme.render(&job.template, &job.context, Some(std::path::Path::new(&job.origin)))?;
            let path = if job.path.ends_with('/') { html_path(&job.path) } else { job.path.clone() };
            Ok(OutputFile::bytes(path, html.into_bytes(), job.origin.clone()))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(Error::Site(mut d)) => problems.append(&mut d),
            Err(e) => return Err(e),
        }
    }
    // One broken template breaks many pages: report each distinct problem once.
    problems.dedup_by(|a, b| {
        a.file == b.file
            && a.line == b.line
            && a.message.split(" (while").next() == b.message.split(" (while").next()
    });
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    files.extend(alias_redirects(site));
    Ok(files)
}

fn page_job(site: &Site, shared: &Shared, i: usize, page: &Page) -> Job {
    let mut ctx = shared.base_context(site, &page.path);
    ctx.insert("page", page);
    ctx.insert_value(
        "jsonld",
        Value::safe_string(&super::jsonld::for_page(site, page)),
    );
    ctx.insert("page_title", &page_title(site, &page.title));
    ctx.insert("description", &page.description);
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
    Job {
        template: page
            .template
            .clone()
            .unwrap_or_else(|| format!("{}.html", page.kind.name())),
        path: page.path.clone(),
        context: ctx,
        origin: page.file.display().to_string(),
    }
}

fn listing_jobs(site: &Site, shared: &Shared, jobs: &mut Vec<Job>) {
    for s in &site.sections {
        let section = &s.section;
        let is_home = section.name.is_empty();
        let items: &[usize] = if is_home {
            &site.home_listing
        } else {
            &s.pages
        };
        let per_page = section.paginate_by.unwrap_or(site.config.paginate_by);
        let section_value = Value::from_serializable(section);
        let featured = is_home.then(|| featured(site, shared));
        let origin = section.file.as_ref().map_or_else(
            || format!("content/{}", section.name),
            |f| f.display().to_string(),
        );
        let crumbs = if is_home {
            Vec::new()
        } else {
            vec![(section.title.clone(), section.permalink.clone())]
        };
        for pager in paginate(site, shared, &section.path, items, per_page) {
            let mut ctx = shared.base_context(site, &pager.path);
            let name = if is_home {
                &site.config.title
            } else {
                &section.title
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
            let title = if is_home {
                site.config.title.clone()
            } else {
                section.title.clone()
            };
            ctx.insert("page_title", &page_title(site, &title));
            let description = if section.description.is_empty() {
                &site.config.description
            } else {
                &section.description
            };
            ctx.insert("description", description);
            ctx.insert_value("section", section_value.clone());
            ctx.insert_value("paginator", pager.value);
            if let Some(f) = &featured {
                ctx.insert_value("featured", f.clone());
            }
            jobs.push(Job {
                template: section.template.clone().unwrap_or_else(|| {
                    if is_home {
                        "index.html".into()
                    } else {
                        "section.html".into()
                    }
                }),
                path: pager.path,
                context: ctx,
                origin: origin.clone(),
            });
        }
    }
}

fn featured(site: &Site, shared: &Shared) -> Value {
    let cases: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == Kind::Case)
        .take(FEATURED_CASES)
        .collect();
    let education = site
        .section("education")
        .map_or(Vec::new(), |s| s.pages.clone());
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

fn taxonomy_jobs(site: &Site, shared: &Shared, jobs: &mut Vec<Job>) {
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

        let mut ctx = shared.base_context(site, &base);
        let tax_crumb = (tax.title.to_string(), site.config.permalink(&base));
        ctx.insert_value(
            "jsonld",
            Value::safe_string(&super::jsonld::for_listing(
                site,
                &base,
                tax.title,
                std::slice::from_ref(&tax_crumb),
            )),
        );
        ctx.insert("page_title", &page_title(site, tax.title));
        ctx.insert(
            "description",
            &format!("{} of {}", tax.title, site.config.title),
        );
        ctx.insert_value("taxonomy", tax_value.clone());
        jobs.push(Job {
            template: "taxonomy_list.html".into(),
            path: base.clone(),
            context: ctx,
            origin: format!("taxonomy {}", tax.name),
        });
        for (term, view) in tax.terms.iter().zip(&terms) {
            let term_base = format!("{base}{}/", term.slug);
            let term_value = Value::from_serializable(view);
            for pager in paginate(
                site,
                shared,
                &term_base,
                &term.pages,
                site.config.paginate_by,
            ) {
                let mut ctx = shared.base_context(site, &pager.path);
                let name = format!("{}: {}", tax.title, term.label);
                let crumbs = [
                    tax_crumb.clone(),
                    (term.label.clone(), site.config.permalink(&term_base)),
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
                ctx.insert(
                    "page_title",
                    &page_title(site, &format!("{}: {}", tax.title, term.label)),
                );
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
                ctx.insert_value("paginator", pager.value);
                jobs.push(Job {
                    template: "taxonomy_term.html".into(),
                    path: pager.path,
                    context: ctx,
                    origin: format!("{} term {}", tax.name, term.label),
                });
            }
        }
    }
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
