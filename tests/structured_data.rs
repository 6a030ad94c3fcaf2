//! schema.org JSON-LD on the demo site: one valid graph per page, with the types the page kind
//! calls for, their required properties, and only properties that exist on schema.org for each type.

mod common;

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use common::build_demo;

const THING: &[&str] = &[
    "@id",
    "@type",
    "name",
    "url",
    "description",
    "image",
    "sameAs",
];
const CREATIVE_WORK: &[&str] = &[
    "headline",
    "author",
    "datePublished",
    "dateModified",
    "publisher",
    "keywords",
    "about",
    "citation",
    "inLanguage",
    "isPartOf",
    "audience",
    "mainEntity",
    "mainEntityOfPage",
];
const WEB_PAGE: &[&str] = &["breadcrumb", "lastReviewed", "reviewedBy"];
const ORGANIZATION: &[&str] = &[
    "logo",
    "telephone",
    "address",
    "memberOf",
    "knowsAbout",
    "subOrganization",
];
/// LocalBusiness and Hospital (CivicStructure) properties, with the medical ones.
const MEDICAL_PLACE: &[&str] = &["openingHours", "availableService", "medicalSpecialty"];

/// Properties schema.org defines for each type we publish (inherited ones included).
fn allowed(kind: &str) -> Option<Vec<&'static str>> {
    let mut props: Vec<&str> = THING.to_vec();
    match kind {
        "ScholarlyArticle" | "Article" | "CreativeWork" | "WebSite" => props.extend(CREATIVE_WORK),
        "MedicalWebPage" | "ProfilePage" | "AboutPage" | "ContactPage" | "CollectionPage"
        | "WebPage" => {
            props.extend(CREATIVE_WORK);
            props.extend(WEB_PAGE);
        }
        "Organization" | "MedicalOrganization" => {
            props.extend(ORGANIZATION);
            props.push("medicalSpecialty");
        }
        "MedicalClinic" | "Hospital" => {
            props.extend(ORGANIZATION);
            props.extend(MEDICAL_PLACE);
        }
        "Physician" => {
            props.extend(ORGANIZATION);
            props.extend(MEDICAL_PLACE);
            props.push("hospitalAffiliation");
        }
        "BreadcrumbList" => props.push("itemListElement"),
        "ListItem" => props.extend(["position", "item"]),
        "PostalAddress" => props.extend([
            "streetAddress",
            "addressLocality",
            "addressRegion",
            "postalCode",
            "addressCountry",
        ]),
        "ImagingTest" => props.push("imagingTechnique"),
        "MedicalProcedure" | "MedicalCondition" | "Patient" | "Person" => {}
        _ => return None,
    }
    Some(props)
}

/// Every object with an @type anywhere in `v` must use only properties of its type.
fn check_properties(v: &Value, page: &str) {
    match v {
        Value::Object(map) => {
            if let Some(kind) = map.get("@type").and_then(Value::as_str) {
                let props =
                    allowed(kind).unwrap_or_else(|| panic!("{page}: unexpected type {kind}"));
                for key in map.keys() {
                    assert!(
                        props.contains(&key.as_str()),
                        "{page}: {kind} has no property `{key}`"
                    );
                }
            }
            map.values().for_each(|x| check_properties(x, page));
        }
        Value::Array(items) => items.iter().for_each(|x| check_properties(x, page)),
        _ => {}
    }
}

fn graph(out: &Path, page: &str) -> Vec<Value> {
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|s| s.text().collect()).collect();
    assert_eq!(scripts.len(), 1, "{page}: one JSON-LD graph");
    let v: Value = serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("{page}: {e}"));
    assert_eq!(v["@context"], "https://schema.org");
    check_properties(&v, page);
    v["@graph"].as_array().unwrap().clone()
}

fn by_type(graph: &[Value]) -> HashMap<String, Value> {
    graph
        .iter()
        .map(|n| (n["@type"].as_str().unwrap().to_string(), n.clone()))
        .collect()
}

fn has(node: &Value, props: &[&str], what: &str) {
    for p in props {
        assert!(!node[p].is_null(), "{what} lacks {p}: {node:#}");
    }
}

#[test]
fn every_page_has_one_valid_graph_with_breadcrumbs() {
    let (_tmp, out) = build_demo();
    for rel in common::index_pages(&out) {
        let g = graph(&out, &rel);
        let types = by_type(&g);
        let crumbs = &types["BreadcrumbList"]["itemListElement"];
        assert!(
            crumbs.as_array().is_some_and(|c| !c.is_empty()),
            "{rel}: breadcrumbs"
        );
        assert_eq!(crumbs[0]["item"], "https://radiology.example.org/");
    }
}

#[test]
fn person_page_is_a_profile_of_a_physician() {
    let (_tmp, out) = build_demo();
    let types = by_type(&graph(&out, "people/elena-marsh/index.html"));
    let profile = &types["ProfilePage"];
    let physician = &types["Physician"];
    assert_eq!(profile["mainEntity"]["@id"], physician["@id"]);
    has(
        physician,
        &[
            "name",
            "medicalSpecialty",
            "hospitalAffiliation",
            "sameAs",
            "image",
        ],
        "Physician",
    );
    let same_as: Vec<&str> = physician["sameAs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        same_as.iter().any(|u| u.starts_with("https://orcid.org/")),
        "{same_as:?}"
    );
}

#[test]
fn practice_is_a_medical_clinic_with_address_hours_and_services() {
    let (_tmp, out) = build_demo();
    let types = by_type(&graph(&out, "index.html"));
    let org = &types["MedicalClinic"];
    has(
        org,
        &[
            "name",
            "address",
            "telephone",
            "openingHours",
            "availableService",
        ],
        "MedicalClinic",
    );
    assert_eq!(org["address"]["@type"], "PostalAddress");
    has(&types["WebSite"], &["name", "url", "publisher"], "WebSite");
}

#[test]
fn case_is_a_scholarly_article_by_a_physician() {
    let (_tmp, out) = build_demo();
    let types = by_type(&graph(&out, "cases/acute-appendicitis/index.html"));
    let article = &types["ScholarlyArticle"];
    has(
        article,
        &["headline", "author", "datePublished", "image", "publisher"],
        "ScholarlyArticle",
    );
    let author = &article["author"][0];
    assert_eq!(author["@type"], "Physician");
    assert!(
        author["@id"]
            .as_str()
            .unwrap()
            .ends_with("/people/samuel-okafor/#person"),
        "{author}"
    );
    assert_eq!(article["about"]["@type"], "MedicalCondition");
}

#[test]
fn quiz_case_data_does_not_name_the_diagnosis() {
    let (_tmp, out) = build_demo();
    let g = graph(&out, "cases/unknown-sudden-chest-pain/index.html");
    let text = serde_json::to_string(&g).unwrap().to_lowercase();
    assert!(!text.contains("pneumothorax"), "{text}");
    assert!(by_type(&g)["ScholarlyArticle"]["about"].is_null());
}

#[test]
fn education_page_is_a_medical_web_page_for_patients() {
    let (_tmp, out) = build_demo();
    let types = by_type(&graph(&out, "education/ct-scan/index.html"));
    let page = &types["MedicalWebPage"];
    has(
        page,
        &["audience", "about", "lastReviewed", "reviewedBy"],
        "MedicalWebPage",
    );
    assert_eq!(page["audience"]["@type"], "Patient");
    assert_eq!(page["about"]["imagingTechnique"], "https://schema.org/CT");
    assert_eq!(page["reviewedBy"]["@type"], "Physician");
}

#[test]
fn contact_page_has_no_form_and_warns_against_patient_information() {
    let (_tmp, out) = build_demo();
    let html = std::fs::read_to_string(out.join("contact/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    common::assert_collects_nothing(&doc, "contact");
    let notice = common::texts(&doc, "aside.callout--notice").join(" ");
    assert!(
        notice.contains("do not send any patient information"),
        "{notice}"
    );
    let address = common::texts(&doc, ".practice").join(" ");
    assert!(
        address.contains("Monday to Friday, 08:00–18:00"),
        "{address}"
    );
    assert_eq!(
        by_type(&graph(&out, "contact/index.html"))["ContactPage"]["@type"],
        "ContactPage"
    );
}
