//! Building the basic fixture site: every output exists and says what it should.

mod common;

use common::{TestSite, attrs, texts};
use radpress::Publish;

#[test]
fn builds_pretty_urls_for_every_kind() {
    let site = TestSite::new("basic");
    let report = site.build().unwrap();
    assert_eq!(report.pages, 7, "the draft is left out");
    for path in [
        "index.html",
        "cases/pneumothorax/index.html",
        "cases/quiz-one/index.html",
        "education/ct-scan/index.html",
        "people/jane-doe/index.html",
        "posts/welcome/index.html",
        "about/index.html",
        "404.html",
        "robots.txt",
        "highlight.css",
    ] {
        assert!(site.out().join(path).is_file(), "{path} missing");
    }
    assert!(!site.out().join("cases/draft-case").exists());
}

#[test]
fn case_page_shows_studies_images_and_references() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let doc = site.html("cases/pneumothorax/index.html");
    assert_eq!(texts(&doc, "h1"), ["Right pneumothorax"]);
    assert_eq!(
        texts(&doc, "title"),
        ["Right pneumothorax · Fixture Radiology"]
    );
    assert_eq!(texts(&doc, ".study h2"), ["Chest radiograph, PA"]);
    assert_eq!(attrs(&doc, ".study img", "src"), ["/images/chest.png"]);
    assert_eq!(texts(&doc, ".study strong"), ["absent"]);
    assert_eq!(
        attrs(&doc, "a.doi", "href"),
        ["https://doi.org/10.5555/example.1"]
    );
    assert_eq!(
        attrs(&doc, "a.pmid", "href"),
        ["https://pubmed.ncbi.nlm.nih.gov/12345678/"]
    );
    assert_eq!(attrs(&doc, "a.modality", "href"), ["/modality/radiograph/"]);
    assert_eq!(attrs(&doc, "a.author", "href"), ["/people/jane-doe/"]);
    // Markdown body: heading anchor and highlighted code.
    assert_eq!(
        attrs(&doc, "h2#discussion a.anchor", "href"),
        ["#discussion"]
    );
    assert!(!attrs(&doc, "pre.code span", "class").is_empty());
    // Newest first within the section: the knee case is older, the quiz newer.
    assert_eq!(attrs(&doc, "a.prev", "href"), ["/cases/mri-knee/"]);
    assert_eq!(attrs(&doc, "a.next", "href"), ["/cases/quiz-one/"]);
}

#[test]
fn quiz_case_keeps_the_answer_inside_the_reveal() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let doc = site.html("cases/quiz-one/index.html");
    assert_eq!(texts(&doc, "h1"), ["Case 2: right lower quadrant pain"]);
    assert_eq!(
        texts(&doc, "details.reveal .diagnosis"),
        ["Acute appendicitis"]
    );
    // Outside the <details>, the diagnosis appears nowhere: title, heading, description, alt text.
    let html = site.read("cases/quiz-one/index.html");
    let outside = html.split("<details").next().unwrap();
    assert!(
        !outside.to_lowercase().contains("appendicitis"),
        "{outside}"
    );
    assert_eq!(
        texts(&doc, ".patient"),
        ["90+ years"],
        "ages over 89 are grouped"
    );
    // Listings and feeds use the spoiler-free title too.
    for listing in [
        "cases/index.html",
        "atom.xml",
        "modality/ultrasound/index.html",
    ] {
        assert!(
            !site.read(listing).to_lowercase().contains("appendicitis"),
            "{listing} spoils the quiz"
        );
    }
}

#[test]
fn sections_paginate_newest_first() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let first = site.html("cases/index.html");
    assert_eq!(
        attrs(&first, "a.item", "href"),
        ["/cases/quiz-one/", "/cases/pneumothorax/"]
    );
    assert_eq!(attrs(&first, "a.next", "href"), ["/cases/page/2/"]);
    let second = site.html("cases/page/2/index.html");
    assert_eq!(attrs(&second, "a.item", "href"), ["/cases/mri-knee/"]);
    assert_eq!(attrs(&second, "a.previous", "href"), ["/cases/"]);
}

#[test]
fn taxonomies_list_terms_and_pages() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let modality = site.html("modality/index.html");
    let terms = texts(&modality, "a.term");
    assert!(terms.contains(&"MRI (1)".to_string()), "{terms:?}");
    assert!(
        terms.contains(&"CT (1)".to_string()),
        "education pages count too: {terms:?}"
    );
    let term = site.html("regions/chest/index.html");
    assert_eq!(attrs(&term, "a.item", "href"), ["/cases/pneumothorax/"]);
    let tags = site.html("tags/news/index.html");
    assert_eq!(attrs(&tags, "a.item", "href"), ["/posts/welcome/"]);
}

#[test]
fn person_page_lists_what_they_wrote_and_bylines_link_back() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let doc = site.html("people/jane-doe/index.html");
    assert_eq!(texts(&doc, "h1"), ["Dr Jane Doe"]);
    let authored = attrs(&doc, "a.authored", "href");
    assert_eq!(
        authored,
        [
            "/posts/welcome/",
            "/cases/quiz-one/",
            "/cases/pneumothorax/",
            "/cases/mri-knee/"
        ]
    );
    let post = site.html("posts/welcome/index.html");
    assert_eq!(attrs(&post, "a.author", "href"), ["/people/jane-doe/"]);
    let edu = site.html("education/ct-scan/index.html");
    assert_eq!(texts(&edu, ".reviewer"), ["Dr Jane Doe"]);
}

#[test]
fn related_cases_share_modality_or_region() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    // No other case shares the knee's MR or knee region.
    let knee = site.html("cases/mri-knee/index.html");
    assert!(attrs(&knee, "a.related", "href").is_empty());
}

#[test]
fn feeds_and_sitemap_are_valid_xml() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let atom = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let ns = "http://www.w3.org/2005/Atom";
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "entry")))
        .collect();
    assert_eq!(entries.len(), 4, "cases and posts with dates");
    let first_title = entries[0]
        .children()
        .find(|n| n.has_tag_name((ns, "title")))
        .unwrap()
        .text();
    assert_eq!(first_title, Some("Welcome to the new site"));
    let term_feed = site.read("tags/chest/atom.xml");
    roxmltree::Document::parse(&term_feed).unwrap();

    let sitemap = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://fixture.example.org/cases/pneumothorax/"));
    assert!(locs.contains(&"https://fixture.example.org/"));
    assert!(!locs.iter().any(|l| l.contains("404")));
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://fixture.example.org/sitemap.xml")
    );
}

#[test]
fn drafts_and_future_pages_are_opt_in() {
    let site = TestSite::new("basic");
    site.write(
        "content/posts/later.md",
        "+++\ntitle = \"From the future\"\ndate = 2999-01-01\n+++\nSoon.\n",
    );
    site.build().unwrap();
    assert!(!site.out().join("posts/later").exists());
    assert!(!site.out().join("cases/draft-case").exists());
    site.build_with(Publish {
        drafts: true,
        future: true,
    })
    .unwrap();
    assert!(site.out().join("posts/later/index.html").is_file());
    assert!(site.out().join("cases/draft-case/index.html").is_file());
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = TestSite::new("basic");
    site.write(
        "templates/404.html",
        "<p id=\"custom\">Custom {{ site.title }}</p>",
    );
    site.build().unwrap();
    let doc = site.html("404.html");
    assert_eq!(texts(&doc, "#custom"), ["Custom Fixture Radiology"]);
}

#[test]
fn default_theme_builds_a_site_without_templates() {
    let site = TestSite::new("basic");
    std::fs::remove_dir_all(site.root().join("templates")).unwrap();
    site.build().unwrap();
    let doc = site.html("cases/pneumothorax/index.html");
    assert_eq!(texts(&doc, "h1"), ["Right pneumothorax"]);
    assert!(site.out().join("css/site.css").is_file());
}

#[test]
fn rebuild_writes_only_what_changed_and_removes_what_is_gone() {
    let site = TestSite::new("basic");
    let first = site.build().unwrap();
    assert_eq!(first.written, first.files);
    let again = site.build().unwrap();
    assert_eq!(again.written, 0);
    assert_eq!(again.unchanged, again.files);
    std::fs::remove_file(site.root().join("content/about.md")).unwrap();
    let third = site.build().unwrap();
    assert!(third.removed >= 1);
    assert!(!site.out().join("about/index.html").exists());
    assert!(!site.out().join("about").exists(), "empty folders go too");
}

#[test]
fn page_bundle_images_are_published_beside_the_page() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let png = std::fs::read(site.out().join("cases/quiz-one/axial.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = TestSite::new("basic");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &config.replace(
            "https://fixture.example.org",
            "https://example.org/radiology",
        ),
    );
    site.build().unwrap();
    let doc = site.html("cases/pneumothorax/index.html");
    assert_eq!(
        attrs(&doc, "a.author", "href"),
        ["/radiology/people/jane-doe/"]
    );
    assert_eq!(
        attrs(&doc, ".study img", "src"),
        ["/radiology/images/chest.png"]
    );
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://example.org/radiology/cases/pneumothorax/"]
    );
}
