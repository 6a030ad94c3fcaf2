//! Head tags of the demo site: canonical URL, description, Open Graph and Twitter card tags on
//! every page, spoiler-free on quiz cases, with the site's default image when a page has none.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::build_demo;

/// `property` or `name` → content of every <meta>, plus "canonical" → href.
fn meta(out: &Path, page: &str) -> HashMap<String, Vec<String>> {
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for m in doc.select(&scraper::Selector::parse("meta").unwrap()) {
        let key = m.value().attr("property").or(m.value().attr("name"));
        if let (Some(k), Some(c)) = (key, m.value().attr("content")) {
            map.entry(k.to_string()).or_default().push(c.to_string());
        }
    }
    for l in doc.select(&scraper::Selector::parse("link[rel=canonical]").unwrap()) {
        map.entry("canonical".into())
            .or_default()
            .push(l.value().attr("href").unwrap().to_string());
    }
    map
}

fn one<'a>(m: &'a HashMap<String, Vec<String>>, key: &str, page: &str) -> &'a str {
    let v = m.get(key).unwrap_or_else(|| panic!("{page}: no {key}"));
    assert_eq!(v.len(), 1, "{page}: {key} {v:?}");
    assert!(!v[0].trim().is_empty(), "{page}: empty {key}");
    &v[0]
}

#[test]
fn every_page_has_canonical_open_graph_and_twitter_tags() {
    let (_tmp, out) = build_demo();
    for rel in common::index_pages(&out) {
        let m = meta(&out, &rel);
        let url = format!(
            "https://radiology.example.org/{}",
            rel.trim_end_matches("index.html")
        );
        assert_eq!(one(&m, "canonical", &rel), url);
        assert_eq!(one(&m, "og:url", &rel), url);
        for key in [
            "description",
            "og:type",
            "og:title",
            "og:description",
            "og:site_name",
            "og:image",
            "og:image:alt",
            "twitter:card",
            "twitter:title",
        ] {
            one(&m, key, &rel);
        }
        assert_eq!(one(&m, "twitter:card", &rel), "summary_large_image");
        assert!(
            one(&m, "og:image", &rel).starts_with("https://radiology.example.org/"),
            "{rel}: absolute image URL"
        );
    }
}

#[test]
fn articles_carry_times_and_authors() {
    let (_tmp, out) = build_demo();
    let m = meta(&out, "cases/acute-appendicitis/index.html");
    assert_eq!(one(&m, "og:type", "case"), "article");
    assert!(one(&m, "article:published_time", "case").starts_with("2026-"));
    assert_eq!(
        one(&m, "article:author", "case"),
        "https://radiology.example.org/people/samuel-okafor/"
    );
    let m = meta(&out, "people/elena-marsh/index.html");
    assert_eq!(one(&m, "og:type", "person"), "profile");
}

#[test]
fn quiz_case_tags_do_not_give_the_answer_away() {
    let (_tmp, out) = build_demo();
    let m = meta(&out, "cases/unknown-sudden-chest-pain/index.html");
    for (key, values) in &m {
        for v in values {
            assert!(!v.to_lowercase().contains("pneumothorax"), "{key} = {v}");
        }
    }
    assert!(one(&m, "og:title", "quiz").starts_with("Unknown case"));
}
