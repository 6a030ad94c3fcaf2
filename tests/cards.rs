//! Share cards (issue 6): PNG size and dimensions, ink where the title is, no spoilers on quiz
//! cards, the card cache across separate builds, font errors, and `radpress card`.

mod common;

use std::path::Path;

use common::TestSite;
use radpress::Publish;
use radpress::outputs::cards;

const BUILTIN_TEMPLATE: &str = include_str!("../themes/default/templates/card.svg");

/// Decode a PNG into (width, height, RGB bytes).
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let rgb = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// Share of pixels in the rectangle that are near white (the default card's title ink on the
/// brand colour).
fn ink_share(rgb: &[u8], width: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> f64 {
    let mut ink = 0;
    let mut all = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * width + x) * 3) as usize;
            all += 1;
            if rgb[i] > 200 && rgb[i + 1] > 200 && rgb[i + 2] > 200 {
                ink += 1;
            }
        }
    }
    ink as f64 / all as f64
}

#[test]
fn every_page_gets_a_card_that_decodes_to_1200_by_630_with_ink_in_the_title_area() {
    let site = TestSite::new("basic");
    // The built-in theme's templates (the fixture's own are minimal and have no share tags).
    std::fs::remove_dir_all(site.root().join("templates")).unwrap();
    let report = site.build().unwrap();
    assert!(report.cards_rendered >= 5, "{report:?}");
    let card = site.out().join("cases/pneumothorax/card.png");
    let (w, h, rgb) = decode(&card);
    assert_eq!((w, h), (1200, 630));
    let size = std::fs::metadata(&card).unwrap().len();
    assert!(size < 300 * 1024, "card is {size} bytes");
    // The title starts at x=80 below the badge; a blank title area would have no white pixels.
    let title = ink_share(&rgb, w, (80, 250, 700, 330));
    assert!(title > 0.03, "title area looks blank ({title:.3} ink)");
    // Every card is under 1 MB, and the page links its card with size and alt text.
    for entry in walkdir::WalkDir::new(site.out()) {
        let entry = entry.unwrap();
        if entry.file_name() == "card.png" {
            assert!(entry.metadata().unwrap().len() < 1024 * 1024);
        }
    }
    let html = std::fs::read_to_string(site.out().join("cases/pneumothorax/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let meta = |attr: &str, name: &str| {
        let sel = scraper::Selector::parse(&format!("meta[{attr}=\"{name}\"]")).unwrap();
        doc.select(&sel)
            .next()
            .and_then(|m| m.value().attr("content"))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert!(meta("property", "og:image").ends_with("/cases/pneumothorax/card.png"));
    assert!(meta("property", "og:image").starts_with("http"));
    assert_eq!(meta("property", "og:image:width"), "1200");
    assert_eq!(meta("property", "og:image:height"), "630");
    assert!(meta("property", "og:image:alt").starts_with("Share card: "));
    assert_eq!(meta("name", "twitter:image"), meta("property", "og:image"));
    assert_eq!(
        meta("name", "twitter:image:alt"),
        meta("property", "og:image:alt")
    );
    // Listings get a card too.
    assert!(site.out().join("card.png").is_file());
    assert!(site.out().join("cases/card.png").is_file());
}

#[test]
fn a_quiz_card_never_shows_the_diagnosis() {
    let site = TestSite::new("basic");
    let rendered = radpress::render(site.root(), Publish::default()).unwrap();
    let theme = radpress::theme::Theme::load(site.root(), "default").unwrap();
    let quiz = rendered
        .site
        .pages
        .iter()
        .find(|p| p.case.as_ref().is_some_and(|c| c.is_quiz))
        .expect("the fixture has a quiz case");
    let case = quiz.case.as_ref().unwrap();
    let svg = cards::page_svg(&rendered.site, &theme, quiz).unwrap();
    let lower = svg.to_lowercase();
    assert!(svg.contains("Case 2: right lower quadrant pain") || svg.contains("Case 2:"));
    assert!(!lower.contains(&case.diagnosis.to_lowercase()), "{svg}");
    let answer = case.answer_title.as_ref().unwrap().to_lowercase();
    assert!(!lower.contains(&answer), "{svg}");
    let alt = cards::alt_text(&rendered.site, quiz).to_lowercase();
    assert!(!alt.contains(&case.diagnosis.to_lowercase()), "{alt}");
}

#[test]
fn a_second_build_renders_no_card_and_a_changed_title_renders_exactly_one() {
    let site = TestSite::new("basic");
    let first = site.build().unwrap();
    assert!(first.cards_rendered > 0);
    assert!(site.root().join(cards::CACHE_DIR).is_dir());
    let second = site.build().unwrap();
    assert_eq!(second.cards_rendered, 0, "{second:?}");
    let path = site.root().join("content/cases/pneumothorax.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let title_line = text.lines().find(|l| l.starts_with("title =")).unwrap();
    site.write(
        "content/cases/pneumothorax.md",
        &text.replacen(title_line, "title = \"Tension pneumothorax, revisited\"", 1),
    );
    let third = site.build().unwrap();
    assert_eq!(third.cards_rendered, 1, "{third:?}");
    // A change to the card template renders every card.
    site.write(
        "templates/card.svg",
        &BUILTIN_TEMPLATE.replace("stroke-opacity=\"0.25\"", "stroke-opacity=\"0.3\""),
    );
    let fourth = site.build().unwrap();
    assert_eq!(fourth.cards_rendered, first.cards_rendered, "{fourth:?}");
}

#[test]
fn an_unknown_font_family_is_an_error_naming_it_and_the_template() {
    let site = TestSite::new("basic");
    site.write(
        "templates/card.svg",
        &BUILTIN_TEMPLATE.replace(
            "font-family=\"Inter\" font-size=\"{{ card.title.size }}\"",
            "font-family=\"Helvetica Neue\" font-size=\"{{ card.title.size }}\"",
        ),
    );
    let problems = site.problems();
    let text = problems
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("Helvetica Neue"), "{text}");
    assert!(text.contains("templates/card.svg"), "{text}");
    assert!(
        text.contains("Inter"),
        "lists the families available: {text}"
    );
    assert!(
        !site.out().join("index.html").exists(),
        "nothing is written"
    );
}

#[test]
fn long_titles_wrap_to_three_lines_with_an_ellipsis() {
    let site = TestSite::new("basic");
    let theme = radpress::theme::Theme::load(site.root(), "default").unwrap();
    let fonts = cards::Fonts::load(&theme).unwrap();
    assert_eq!(fonts.families, vec!["Inter".to_string()]);
    let long = "A very long teaching case title about a rare finding ".repeat(6);
    let (lines, cut) = fonts.wrap(&long, 620.0, 54.0, 700, 3);
    assert!(cut);
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with('…'), "{lines:?}");
    for line in &lines {
        assert!(fonts.measure(line, 54.0, 700) <= 620.0, "{line}");
    }
    let (short, cut) = fonts.wrap("Pneumothorax", 620.0, 54.0, 700, 3);
    assert_eq!((short, cut), (vec!["Pneumothorax".to_string()], false));
    // One word wider than the column is broken, not left to overflow.
    let (broken, _) = fonts.wrap(&"x".repeat(80), 620.0, 54.0, 700, 3);
    assert!(broken.len() > 1);
}

#[test]
fn radpress_card_writes_one_pages_card() {
    let site = TestSite::new("basic");
    let out = site.root().join("one.png");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root"])
        .arg(site.root())
        .args(["card", "content/cases/pneumothorax.md", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(decode(&out).0, 1200);
    // Taxonomy pages have cards too, by their site path; the term's label is the title.
    let term = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root"])
        .arg(site.root())
        .args(["card", "/modality/mri/", "-o"])
        .arg(&out)
        .args(["--svg"])
        .arg(site.root().join("term.svg"))
        .output()
        .unwrap();
    assert!(
        term.status.success(),
        "{}",
        String::from_utf8_lossy(&term.stderr)
    );
    assert_eq!(decode(&out).0, 1200);
    let svg = std::fs::read_to_string(site.root().join("term.svg")).unwrap();
    assert!(svg.contains(">MRI</tspan>"), "{svg}");
    assert!(svg.contains("1 teaching case"), "{svg}");
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root"])
        .arg(site.root())
        .args(["card", "/no/such/page/"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

/// The site path a page's `og:image` points at, when it is on the demo site's host.
fn og_image(out: &Path, rel: &str) -> Option<(String, String)> {
    let html = std::fs::read_to_string(out.join(rel)).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let get = |sel: &str| {
        doc.select(&scraper::Selector::parse(sel).unwrap())
            .next()
            .and_then(|m| m.value().attr("content"))
            .map(str::to_string)
    };
    let image = get("meta[property=\"og:image\"]")?;
    let alt = get("meta[property=\"og:image:alt\"]").unwrap_or_default();
    assert_eq!(
        get("meta[property=\"og:image:width\"]").as_deref(),
        Some("1200"),
        "{rel}"
    );
    assert_eq!(
        get("meta[property=\"og:image:height\"]").as_deref(),
        Some("630"),
        "{rel}"
    );
    assert_eq!(
        get("meta[name=\"twitter:image\"]").as_ref(),
        Some(&image),
        "{rel}"
    );
    assert_eq!(
        get("meta[name=\"twitter:image:alt\"]").as_ref(),
        Some(&alt),
        "{rel}"
    );
    Some((image, alt))
}

#[test]
fn every_taxonomy_list_and_term_page_links_its_own_card() {
    let (_tmp, out) = common::build_demo();
    let host = "https://radiology.example.org";
    let mut seen = std::collections::HashMap::new();
    let mut checked = 0;
    for rel in common::index_pages(&out) {
        let tax = rel.split('/').next().unwrap();
        if !["modality", "regions", "systems", "tags"].contains(&tax) {
            continue;
        }
        let (image, alt) = og_image(&out, &rel).unwrap_or_else(|| panic!("{rel}: no og:image"));
        // A later page of a listing shares its first page's card.
        let first = rel.split("page/").next().unwrap();
        let expected = format!("{host}/{}card.png", first.trim_end_matches("index.html"));
        assert_eq!(image, expected, "{rel}");
        assert!(alt.starts_with("Share card: "), "{rel}: {alt}");
        if rel.contains("page/") {
            continue;
        }
        let file = out.join(image.strip_prefix(&format!("{host}/")).unwrap());
        let (w, h, rgb) = decode(&file);
        assert_eq!((w, h), (1200, 630), "{rel}");
        // Every card of these has a badge, so its title starts at y=250 (see card.svg).
        let title = ink_share(&rgb, w, (80, 250, 700, 330));
        assert!(
            title > 0.03,
            "{rel}: title area looks blank ({title:.3} ink)"
        );
        // Each page has a card of its own, not one shared image.
        let bytes = std::fs::read(&file).unwrap();
        if let Some(other) = seen.insert(bytes, rel.clone()) {
            panic!("{rel} and {other} have the same card");
        }
        checked += 1;
    }
    assert!(seen.len() >= 10, "only {checked} taxonomy pages checked");
    for list in ["modality", "regions", "systems", "tags"] {
        assert!(
            out.join(list).join("card.png").is_file(),
            "/{list}/ has no card"
        );
    }
    // The term's label, not its slug, is the card's title (and in its alt text).
    let (_, alt) = og_image(&out, "modality/mri/index.html").unwrap();
    assert!(alt.contains("MRI"), "{alt}");
}

#[test]
fn every_generated_page_but_404_and_redirects_links_a_card_beside_its_listing() {
    let (_tmp, out) = common::build_demo();
    let host = "https://radiology.example.org/";
    for rel in common::index_pages(&out) {
        let html = std::fs::read_to_string(out.join(&rel)).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let (image, _) = og_image(&out, &rel).unwrap_or_else(|| panic!("{rel}: no og:image"));
        assert!(image.ends_with("/card.png"), "{rel}: {image}");
        let file = out.join(image.strip_prefix(host).unwrap());
        assert!(file.is_file(), "{rel}: {image} is not in the output");
    }
    assert!(out.join("search/card.png").is_file());
}
