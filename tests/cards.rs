//! Share cards (issue 6): PNG size and dimensions, ink where the title is, no spoilers on quiz
//! cards, the card cache across separate builds, font errors, and `radpress card`.

mod common;

use std::path::Path;

use common::{TestSite, exif_app1, jpeg_with_segments};
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

/// The card cache file an output card is, when it is linked rather than copied.
#[cfg(unix)]
fn linked_cache_file(site: &TestSite, card: &Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(card).unwrap();
    std::fs::read_dir(site.root().join(cards::CACHE_DIR))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.ino() == meta.ino() && m.dev() == meta.dev())
        })
}

#[cfg(unix)]
#[test]
fn cards_are_linked_from_the_cache_and_left_alone_while_unchanged() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let card = site.out().join("cases/pneumothorax/card.png");
    let cached = linked_cache_file(&site, &card).expect("the card links a cache file");
    assert_eq!(
        std::fs::read(&card).unwrap(),
        std::fs::read(&cached).unwrap()
    );

    // Nothing changed: the writer sees the same file and writes no card.
    let again = site.build_forced().unwrap();
    assert_eq!(again.written, 0, "{again:?}");

    // A card copied by an older build, with the same bytes, is left as it is.
    let bytes = std::fs::read(&card).unwrap();
    std::fs::remove_file(&card).unwrap();
    std::fs::write(&card, &bytes).unwrap();
    assert_eq!(site.build_forced().unwrap().written, 0);
    assert!(linked_cache_file(&site, &card).is_none());

    // A changed title: a new cache file, linked in place of the old card, and the old cache
    // file is untouched by the change.
    let old_cache_bytes = std::fs::read(&cached).unwrap();
    let path = site.root().join("content/cases/pneumothorax.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let title_line = text.lines().find(|l| l.starts_with("title =")).unwrap();
    std::fs::write(
        &path,
        text.replacen(title_line, "title = \"Tension pneumothorax, revisited\"", 1),
    )
    .unwrap();
    let changed = site.build_forced().unwrap();
    assert_eq!(changed.cards_rendered, 1, "{changed:?}");
    let now = linked_cache_file(&site, &card).expect("the new card links a cache file");
    assert_ne!(now, cached);
    assert_ne!(std::fs::read(&card).unwrap(), old_cache_bytes);
    if cached.exists() {
        assert_eq!(std::fs::read(&cached).unwrap(), old_cache_bytes);
    }
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

const RED: [u8; 3] = [220, 30, 30];
const BLUE: [u8; 3] = [30, 60, 220];

/// An 80×40 phone photo stored on its side: the left half `left`, the right half `right`, with
/// EXIF orientation 6 (shown turned 90° clockwise, so `left` on top), a GPS position and a
/// comment.
fn sideways_photo(left: [u8; 3], right: [u8; 3]) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(80, 40, |x, _| image::Rgb(if x < 40 { left } else { right }));
    jpeg_with_segments(img, &[(0xE1, &exif_app1(6)), (0xFE, b"scanned by J. Doe")])
}

/// The basic site with the pneumothorax case's first image replaced by `bytes` at
/// `/images/<name>`.
fn case_with_first_image(site: &TestSite, name: &str, bytes: &[u8]) {
    let path = site.root().join("static/images").join(name);
    std::fs::write(path, bytes).unwrap();
    let case = site.root().join("content/cases/pneumothorax.md");
    let text = std::fs::read_to_string(&case).unwrap();
    assert!(text.contains("/images/chest.png"));
    std::fs::write(
        &case,
        text.replace("/images/chest.png", &format!("/images/{name}")),
    )
    .unwrap();
}

/// The mean colour of a rectangle of an RGB image.
fn mean(rgb: &[u8], width: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> [f64; 3] {
    let mut sum = [0.0; 3];
    let mut n = 0.0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * width + x) * 3) as usize;
            for c in 0..3 {
                sum[c] += f64::from(rgb[i + c]);
            }
            n += 1.0;
        }
    }
    sum.map(|s| s / n)
}

fn looks_like(colour: [f64; 3], want: [u8; 3]) -> bool {
    colour
        .iter()
        .zip(want)
        .all(|(got, want)| (got - f64::from(want)).abs() < 40.0)
}

/// The default card's thumbnail box is x 760..1120, y 150..490: its four quarters (away from the
/// rounded corners and the middle lines), top-left, top-right, bottom-left, bottom-right.
const THUMB_QUARTERS: [(u32, u32, u32, u32); 4] = [
    (790, 175, 900, 280),
    (980, 175, 1090, 280),
    (790, 360, 900, 465),
    (980, 360, 1090, 465),
];

fn base64_decode(text: &str) -> Vec<u8> {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut bits = 0u32;
    let mut n = 0;
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = TABLE.iter().position(|&t| t == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    out
}

/// Every image embedded in a card's SVG source: (MIME type, decoded bytes).
fn embedded_images(svg: &str) -> Vec<(String, Vec<u8>)> {
    svg.split("href=\"data:")
        .skip(1)
        .map(|rest| {
            let uri = rest.split('"').next().unwrap();
            let (mime, data) = uri.split_once(";base64,").expect("a base64 data URI");
            (mime.to_string(), base64_decode(data))
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_case_thumbnail_is_the_published_image_upright_and_without_metadata() {
    let site = TestSite::new("basic");
    case_with_first_image(&site, "phone.jpg", &sideways_photo(RED, BLUE));
    site.build().unwrap();

    // Turned upright: red above blue (unturned, red would be left of blue).
    let (w, _, rgb) = decode(&site.out().join("cases/pneumothorax/card.png"));
    let [top_left, top_right, bottom_left, bottom_right] = THUMB_QUARTERS.map(|r| mean(&rgb, w, r));
    for (name, got, want) in [
        ("top left", top_left, RED),
        ("top right", top_right, RED),
        ("bottom left", bottom_left, BLUE),
        ("bottom right", bottom_right, BLUE),
    ] {
        assert!(looks_like(got, want), "{name} of the thumbnail is {got:?}");
    }

    // The card's source embeds the published (sanitised) copy itself: no EXIF, GPS or comment.
    let rendered = radpress::render(site.root(), Publish::default()).unwrap();
    let theme = radpress::theme::Theme::load(site.root(), "default").unwrap();
    let page = rendered
        .site
        .pages
        .iter()
        .find(|p| p.path == "/cases/pneumothorax/")
        .unwrap();
    let svg = cards::page_svg(&rendered.site, &theme, page).unwrap();
    let images = embedded_images(&svg);
    assert_eq!(images.len(), 1, "one thumbnail and no logo: {images:?}");
    let (mime, thumb) = &images[0];
    assert_eq!(mime, "image/jpeg");
    assert!(!contains(thumb, b"Exif") && !contains(thumb, b"J. Doe"));
    assert!(
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(thumb))
            .is_err(),
        "the thumbnail still has EXIF"
    );
    let img = image::load_from_memory(thumb).unwrap();
    assert_eq!((img.width(), img.height()), (40, 80), "upright");
    let published = std::fs::read(site.out().join("images/phone.jpg")).unwrap();
    assert_eq!(
        thumb, &published,
        "a small image is the published copy byte for byte"
    );
}

#[test]
fn a_new_thumbnail_image_renders_its_card_again_from_the_one_image_cache() {
    let site = TestSite::new("basic");
    case_with_first_image(&site, "phone.jpg", &sideways_photo(RED, BLUE));
    radpress::Engine::new()
        .render(site.root(), Publish::default())
        .unwrap();
    // One cache file per distinct image (the fixture's chest.png and axial.png are the same
    // bytes), the thumbnail's included: the card made no copy of its own.
    let cache = site.root().join(".radpress-cache/images");
    let count = || std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(count(), 2);
    // With every card to render again, the thumbnail is read from the image cache, not made.
    std::fs::remove_dir_all(site.root().join(cards::CACHE_DIR)).unwrap();
    let engine = radpress::Engine::new();
    engine.render(site.root(), Publish::default()).unwrap();
    assert!(engine.stats().cards_rendered > 0);
    let (sanitised, reused) = engine.image_stats();
    assert_eq!(sanitised, 0);
    assert!(reused >= 4, "3 published images and 1 thumbnail: {reused}");

    std::fs::write(
        site.root().join("static/images/phone.jpg"),
        sideways_photo(BLUE, RED),
    )
    .unwrap();
    let report = site.build().unwrap();
    assert_eq!(report.cards_rendered, 1, "{report:?}");
    assert_eq!(count(), 2, "the old copy is pruned, the new one kept once");
    let (w, _, rgb) = decode(&site.out().join("cases/pneumothorax/card.png"));
    let top = mean(&rgb, w, THUMB_QUARTERS[0]);
    assert!(
        looks_like(top, BLUE),
        "the card shows the new image: {top:?}"
    );
}

#[test]
fn an_image_the_pipeline_refuses_is_never_a_thumbnail() {
    let mut dicom = vec![0u8; 128];
    dicom.extend_from_slice(b"DICM\x02\0\0\0");
    dicom.extend_from_slice(b"PN\x08\0Doe^Jane");
    for (name, bytes) in [
        ("broken.jpg", b"this is not a JPEG".to_vec()),
        ("series.jpg", dicom),
    ] {
        let site = TestSite::new("basic");
        case_with_first_image(&site, name, &bytes);
        let problems = site.problems();
        assert!(
            problems
                .iter()
                .any(|d| d.file.ends_with(format!("static/images/{name}"))),
            "{name}: {problems:?}"
        );
        // `radpress card` still renders the card, without the image.
        let (source, png) = cards::render_page_card(
            site.root(),
            "content/cases/pneumothorax.md",
            Publish::default(),
        )
        .unwrap();
        assert!(embedded_images(&source.svg).is_empty(), "{name}");
        assert!(!source.svg.contains("Doe^Jane"));
        assert!(!png.is_empty());
    }
}

#[test]
fn a_webp_or_gif_image_becomes_a_png_or_jpeg_thumbnail() {
    let red = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(60, 60, image::Rgb(RED)));
    for (name, format) in [
        ("scan.webp", image::ImageFormat::WebP),
        ("scan.gif", image::ImageFormat::Gif),
    ] {
        let mut bytes = Vec::new();
        red.write_to(&mut std::io::Cursor::new(&mut bytes), format)
            .unwrap();
        let site = TestSite::new("basic");
        case_with_first_image(&site, name, &bytes);
        let (source, png) = cards::render_page_card(
            site.root(),
            "content/cases/pneumothorax.md",
            Publish::default(),
        )
        .unwrap();
        let images = embedded_images(&source.svg);
        assert_eq!(images.len(), 1, "{name}");
        assert!(
            matches!(images[0].0.as_str(), "image/png" | "image/jpeg"),
            "{name}: {}",
            images[0].0
        );
        let card = site.root().join("card.png");
        std::fs::write(&card, png).unwrap();
        let (w, _, rgb) = decode(&card);
        let middle = mean(&rgb, w, (880, 280, 1000, 360));
        assert!(looks_like(middle, RED), "{name}: {middle:?}");
    }
}

#[test]
fn a_thumbnail_is_found_when_the_site_root_is_a_relative_path() {
    let site = TestSite::new("basic");
    case_with_first_image(&site, "phone.jpg", &sideways_photo(RED, BLUE));
    let (parent, name) = (
        site.root().parent().unwrap(),
        site.root().file_name().unwrap(),
    );
    let svg = site.root().join("card.svg");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .current_dir(parent)
        .arg("--root")
        .arg(name)
        .args(["card", "content/cases/pneumothorax.md", "-o"])
        .arg(site.root().join("card.png"))
        .arg("--svg")
        .arg(&svg)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let svg = std::fs::read_to_string(svg).unwrap();
    assert_eq!(embedded_images(&svg).len(), 1, "no thumbnail");
}
