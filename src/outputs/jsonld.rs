//! schema.org structured data: one JSON-LD graph per page, with the types and properties that
//! exist on schema.org. Pages: ScholarlyArticle (cases), Article (posts), MedicalWebPage (patient
//! education), ProfilePage with a Physician (people), AboutPage / ContactPage / WebPage (plain
//! pages), CollectionPage (listings), WebSite (home). Every page also carries a BreadcrumbList and
//! the practice as MedicalOrganization, MedicalClinic or Hospital.
//!
//! A quiz case's data never names the diagnosis: it uses the spoiler-free title and no `about`.

use serde_json::{Value, json};

use crate::content::{Kind, Page};
use crate::site::Site;

/// The JSON-LD of a content page, ready to put inside `<script type="application/ld+json">`.
pub fn for_page(site: &Site, page: &Page) -> String {
    let c = &site.config;
    let mut graph = vec![organization(site)];
    let mut crumbs = vec![(c.title.clone(), c.permalink("/"))];
    if let Some(section) = site
        .section(&page.section)
        .filter(|s| !s.section.name.is_empty())
    {
        crumbs.push((
            section.section.title.clone(),
            section.section.permalink.clone(),
        ));
    }
    crumbs.push((page.title.clone(), page.permalink.clone()));
    graph.push(breadcrumbs(&crumbs));

    let authors: Vec<Value> = page
        .authors
        .iter()
        .filter_map(|slug| site.person(slug))
        .map(person_ref)
        .collect();
    let mut node = json!({
        "@id": format!("{}#page", page.permalink),
        "url": page.permalink,
        "name": page.title,
        "description": page.description,
        "inLanguage": c.language,
        "isPartOf": { "@id": format!("{}#website", c.permalink("/")) },
        "breadcrumb": { "@id": format!("{}#breadcrumb", page.permalink) },
    });
    let obj = node.as_object_mut().expect("a JSON object");
    if let Some(d) = &page.date {
        obj.insert("datePublished".into(), json!(d.datetime));
    }
    if let Some(d) = page.updated.as_ref().or(page.date.as_ref()) {
        obj.insert("dateModified".into(), json!(d.datetime));
    }
    match page.kind {
        Kind::Case | Kind::Post => {
            let kind = if page.kind == Kind::Case {
                "ScholarlyArticle"
            } else {
                "Article"
            };
            obj.insert("@type".into(), json!(kind));
            // `breadcrumb` is a WebPage property; an article's trail stands on its own.
            obj.remove("breadcrumb");
            obj.insert("headline".into(), json!(truncate(&page.title, 110)));
            obj.insert("mainEntityOfPage".into(), json!(page.permalink));
            obj.insert("author".into(), json!(authors));
            obj.insert("publisher".into(), json!({ "@id": org_id(site) }));
            obj.insert("image".into(), json!(page_images(site, page)));
            if !page.tags.is_empty() {
                let tags: Vec<&str> = page.tags.iter().map(|t| t.label.as_str()).collect();
                obj.insert("keywords".into(), json!(tags.join(", ")));
            }
            if let Some(case) = page.case.as_ref().filter(|c| !c.is_quiz) {
                obj.insert(
                    "about".into(),
                    json!({ "@type": "MedicalCondition", "name": case.diagnosis }),
                );
            }
            if !page.references.is_empty() {
                let cited: Vec<Value> = page
                    .references
                    .iter()
                    .map(|r| {
                        let mut v = json!({ "@type": "CreativeWork", "name": r.citation });
                        if let Some(url) = r
                            .doi_url
                            .as_ref()
                            .or(r.pmid_url.as_ref())
                            .or(r.url.as_ref())
                        {
                            v["url"] = json!(url);
                        }
                        v
                    })
                    .collect();
                obj.insert("citation".into(), json!(cited));
            }
        }
        Kind::Education => {
            obj.insert("@type".into(), json!("MedicalWebPage"));
            obj.insert("audience".into(), json!({ "@type": "Patient" }));
            obj.insert("publisher".into(), json!({ "@id": org_id(site) }));
            if !authors.is_empty() {
                obj.insert("author".into(), json!(authors));
            }
            if let Some(edu) = &page.education {
                let mut about = json!({
                    "@type": "ImagingTest",
                    "name": edu.procedure.clone().unwrap_or_else(|| page.title.clone()),
                });
                let techniques: Vec<&str> = edu
                    .modalities
                    .iter()
                    .filter_map(|m| imaging_technique(&m.code))
                    .collect();
                if let Some(t) = techniques.first() {
                    about["imagingTechnique"] = json!(t);
                }
                obj.insert("about".into(), about);
                if let Some(d) = &edu.last_reviewed {
                    obj.insert("lastReviewed".into(), json!(d.ymd));
                }
                if let Some(reviewer) = edu.reviewed_by.as_deref() {
                    let value = match site.person(reviewer) {
                        Some(p) => person_ref(p),
                        None => json!({ "@type": "Person", "name": reviewer }),
                    };
                    obj.insert("reviewedBy".into(), value);
                }
            }
        }
        Kind::Person => {
            obj.insert("@type".into(), json!("ProfilePage"));
            obj.insert("mainEntity".into(), json!({ "@id": person_id(page) }));
            graph.push(physician(site, page));
        }
        Kind::Page => {
            let kind = match page.slug.as_str() {
                "about" => "AboutPage",
                "contact" => "ContactPage",
                _ => "WebPage",
            };
            obj.insert("@type".into(), json!(kind));
            obj.insert("about".into(), json!({ "@id": org_id(site) }));
        }
    }
    graph.insert(0, node);
    to_script(graph)
}

/// The JSON-LD of a listing (home, section, taxonomy page).
pub fn for_listing(site: &Site, path: &str, name: &str, crumbs: &[(String, String)]) -> String {
    let c = &site.config;
    let url = c.permalink(path);
    let mut graph = vec![organization(site)];
    let mut all = vec![(c.title.clone(), c.permalink("/"))];
    all.extend(crumbs.iter().cloned());
    if path == "/" {
        graph.push(json!({
            "@type": "WebSite",
            "@id": format!("{}#website", c.permalink("/")),
            "url": c.permalink("/"),
            "name": c.title,
            "description": c.description,
            "inLanguage": c.language,
            "publisher": { "@id": org_id(site) },
        }));
    }
    graph.insert(
        0,
        json!({
            "@type": "CollectionPage",
            "@id": format!("{url}#page"),
            "url": url,
            "name": name,
            "inLanguage": c.language,
            "isPartOf": { "@id": format!("{}#website", c.permalink("/")) },
            "breadcrumb": { "@id": format!("{url}#breadcrumb") },
        }),
    );
    if all.last().is_none_or(|(_, u)| *u != url) {
        all.push((name.to_string(), url.clone()));
    }
    graph.push(breadcrumbs(&all));
    to_script(graph)
}

fn to_script(graph: Vec<Value>) -> String {
    let doc = json!({ "@context": "https://schema.org", "@graph": graph });
    // Inside <script>, `</script` ends the element and `<!--` followed by `<script` keeps it
    // from ending at all (a title holding `<!-- <script>` blanked the page). JSON strings may
    // write any character as \uXXXX, and `<`, `>` and `&` only ever occur inside strings.
    serde_json::to_string(&doc)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn org_id(site: &Site) -> String {
    format!("{}#organization", site.config.permalink("/"))
}

fn person_id(page: &Page) -> String {
    format!("{}#person", page.permalink)
}

fn person_ref(p: &Page) -> Value {
    json!({ "@type": "Physician", "@id": person_id(p), "name": p.title, "url": p.permalink })
}

fn organization(site: &Site) -> Value {
    let c = &site.config;
    let mut org = json!({
        "@id": org_id(site),
        "@type": "Organization",
        "name": c.brand.name,
        "url": c.permalink("/"),
    });
    if let Some(logo) = &c.brand.logo {
        org["logo"] = json!(c.permalink(&format!("/{logo}")));
    }
    let socials: Vec<String> = [
        c.social.x.as_ref().map(|h| format!("https://x.com/{h}")),
        c.social
            .bluesky
            .as_ref()
            .map(|h| format!("https://bsky.app/profile/{h}")),
        match (&c.social.mastodon_instance, &c.social.mastodon_user) {
            (Some(i), Some(u)) => Some(format!("https://{i}/@{u}")),
            _ => None,
        },
        c.social
            .threads
            .as_ref()
            .map(|h| format!("https://www.threads.net/@{h}")),
        c.social.linkedin.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !socials.is_empty() {
        org["sameAs"] = json!(socials);
    }
    if let Some(p) = &c.practice {
        org["@type"] = json!(p.schema_type);
        org["name"] = json!(p.name);
        if !p.description.is_empty() {
            org["description"] = json!(p.description);
        }
        if let Some(phone) = &p.phone {
            org["telephone"] = json!(phone);
        }
        if let Some(a) = &p.address {
            org["address"] = postal_address(a);
        }
        // openingHours and availableService exist on MedicalClinic and Hospital, not on
        // MedicalOrganization.
        let is_place = p.schema_type != "MedicalOrganization";
        if is_place && !p.hours.is_empty() {
            org["openingHours"] =
                json!(p.hours.iter().map(|h| h.spec.as_str()).collect::<Vec<_>>());
        }
        let mut services: Vec<Value> = p
            .modalities
            .iter()
            .map(|m| {
                let mut v = json!({ "@type": "ImagingTest", "name": m.label });
                if let Some(t) = imaging_technique(&m.code) {
                    v["imagingTechnique"] = json!(t);
                }
                v
            })
            .collect();
        services.extend(
            p.services
                .iter()
                .map(|s| json!({ "@type": "MedicalProcedure", "name": s })),
        );
        if is_place && !services.is_empty() {
            org["availableService"] = json!(services);
        }
        if !p.locations.is_empty() {
            let places: Vec<Value> = p
                .locations
                .iter()
                .map(|l| {
                    let mut v = json!({ "@type": "MedicalClinic", "name": l.name });
                    if let Some(phone) = &l.phone {
                        v["telephone"] = json!(phone);
                    }
                    if let Some(a) = &l.address {
                        v["address"] = postal_address(a);
                    }
                    if !l.hours.is_empty() {
                        v["openingHours"] =
                            json!(l.hours.iter().map(|h| h.spec.as_str()).collect::<Vec<_>>());
                    }
                    v
                })
                .collect();
            org["subOrganization"] = json!(places);
        }
    }
    org
}

fn postal_address(a: &crate::practice::Address) -> Value {
    let mut v = json!({ "@type": "PostalAddress" });
    for (key, value) in [
        ("streetAddress", &a.street),
        ("addressLocality", &a.locality),
        ("addressRegion", &a.region),
        ("postalCode", &a.postal_code),
        ("addressCountry", &a.country),
    ] {
        if let Some(value) = value {
            v[key] = json!(value);
        }
    }
    v
}

fn physician(site: &Site, page: &Page) -> Value {
    let mut v = json!({
        "@type": "Physician",
        "@id": person_id(page),
        "name": page.title,
        "url": page.permalink,
        "description": page.description,
        "medicalSpecialty": "https://schema.org/Radiography",
        "memberOf": { "@id": org_id(site) },
    });
    let Some(person) = &page.person else { return v };
    if let Some(photo) = &person.photo {
        v["image"] = json!(absolute(site, photo));
    }
    let mut knows: Vec<&str> = person.specialty.iter().map(String::as_str).collect();
    knows.extend(person.subspecialties.iter().map(String::as_str));
    if !knows.is_empty() {
        v["knowsAbout"] = json!(knows);
    }
    if !person.affiliations.is_empty() {
        v["hospitalAffiliation"] = json!(
            person
                .affiliations
                .iter()
                .map(|a| json!({ "@type": "Hospital", "name": a }))
                .collect::<Vec<_>>()
        );
    }
    let s = &person.socials;
    let same_as: Vec<String> = [
        s.website.clone(),
        s.x.as_ref()
            .map(|h| format!("https://x.com/{}", h.trim_start_matches('@'))),
        s.bluesky
            .as_ref()
            .map(|h| format!("https://bsky.app/profile/{}", h.trim_start_matches('@'))),
        s.mastodon.as_ref().and_then(|m| mastodon_url(m)),
        s.linkedin.clone(),
        s.orcid.as_ref().map(|o| {
            if o.starts_with("http") {
                o.clone()
            } else {
                format!("https://orcid.org/{o}")
            }
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !same_as.is_empty() {
        v["sameAs"] = json!(same_as);
    }
    v
}

/// `@user@instance` (or a URL) → the profile URL.
fn mastodon_url(handle: &str) -> Option<String> {
    if handle.starts_with("http") {
        return Some(handle.to_string());
    }
    let (user, instance) = handle.trim_start_matches('@').split_once('@')?;
    Some(format!("https://{instance}/@{user}"))
}

fn absolute(site: &Site, url: &str) -> String {
    if url.contains("://") {
        url.to_string()
    } else {
        let path = url.strip_prefix(site.base_path.as_str()).unwrap_or(url);
        site.config.permalink(path)
    }
}

fn page_images(site: &Site, page: &Page) -> Vec<String> {
    let mut images: Vec<String> = page
        .case
        .iter()
        .flat_map(|c| &c.studies)
        .flat_map(|s| &s.images)
        .map(|im| absolute(site, &im.url))
        .take(3)
        .collect();
    if images.is_empty()
        && let Some(default) = &site.config.default_image
    {
        images.push(site.config.permalink(&format!("/{default}")));
    }
    images
}

/// schema.org MedicalImagingTechnique for a DICOM modality, where one exists.
fn imaging_technique(code: &str) -> Option<&'static str> {
    Some(match code {
        "CT" => "https://schema.org/CT",
        "MR" => "https://schema.org/MRI",
        "PT" => "https://schema.org/PET",
        "US" => "https://schema.org/Ultrasound",
        "CR" | "DX" | "RG" | "MG" | "RF" | "XA" => "https://schema.org/XRay",
        _ => return None,
    })
}

fn breadcrumbs(items: &[(String, String)]) -> Value {
    let last = items.last().map(|(_, u)| u.clone()).unwrap_or_default();
    json!({
        "@type": "BreadcrumbList",
        "@id": format!("{last}#breadcrumb"),
        "itemListElement": items.iter().enumerate().map(|(i, (name, url))| json!({
            "@type": "ListItem",
            "position": i + 1,
            "name": name,
            "item": url,
        })).collect::<Vec<_>>(),
    })
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}
