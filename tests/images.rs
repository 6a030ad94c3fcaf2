//! The privacy guard over files (issue 8, point 3): published images carry no metadata and keep
//! their rotation, DICOM files stop the build, SVG text is scanned, `check` lists metadata. Every
//! image here is made by the test; none holds real patient data.

mod common;

use std::io::Cursor;

use common::TestSite;
use radpress::Publish;

/// A little-endian TIFF block with Orientation = `orientation` and a GPS IFD holding
/// GPSLatitudeRef = "N": the smallest EXIF a phone photo could carry.
fn exif_tiff(orientation: u16) -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: two entries, ends at 8 + 2 + 24 + 4 = 38, where the GPS IFD starts.
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&0x0112u16.to_le_bytes());
    t.extend_from_slice(&3u16.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&(orientation as u32).to_le_bytes());
    t.extend_from_slice(&0x8825u16.to_le_bytes());
    t.extend_from_slice(&4u16.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&38u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend_from_slice(&0x0001u16.to_le_bytes());
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&2u32.to_le_bytes());
    t.extend_from_slice(b"N\0\0\0");
    t.extend_from_slice(&0u32.to_le_bytes());
    t
}

/// A 40×20 JPEG with the EXIF block above (APP1), an XMP packet and a comment.
fn phone_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 90, 160]));
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg)
        .unwrap();
    let segment = |marker: u8, data: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(data);
        s
    };
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&exif_tiff(6));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(b"<x:xmpmeta><photoshop:City>Springfield</photoshop:City></x:xmpmeta>");
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xE1, &exif));
    out.extend(segment(0xE1, &xmp));
    out.extend(segment(0xFE, b"scanned by J. Doe"));
    out.extend_from_slice(&plain[2..]);
    out
}

/// A 16×8 grey PNG with a tEXt chunk.
fn screenshot_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 16, 8);
        enc.set_color(png::ColorType::Grayscale);
        enc.add_text_chunk("Comment".into(), "Invented Patient, invented MRN".into())
            .unwrap();
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[128u8; 16 * 8]).unwrap();
    }
    out
}

fn write_bytes(site: &TestSite, rel: &str, bytes: &[u8]) {
    let p = site.root().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn png_text_chunks(bytes: &[u8]) -> usize {
    let reader = png::Decoder::new(Cursor::new(bytes)).read_info().unwrap();
    let info = reader.info();
    info.uncompressed_latin1_text.len() + info.compressed_latin1_text.len() + info.utf8_text.len()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn published_images_lose_their_metadata_and_keep_their_rotation() {
    let site = TestSite::new("basic");
    write_bytes(&site, "static/images/photo.jpg", &phone_photo());
    write_bytes(&site, "static/images/shot.png", &screenshot_png());
    site.build().unwrap();

    let photo = std::fs::read(site.out().join("images/photo.jpg")).unwrap();
    assert!(
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(&photo))
            .is_err(),
        "the published JPEG still has EXIF"
    );
    assert!(!contains(&photo, b"ns.adobe.com") && !contains(&photo, b"J. Doe"));
    let img = image::load_from_memory(&photo).unwrap();
    // Orientation 6 (rotate 90° clockwise): the 40×20 photo is published 20×40.
    assert_eq!((img.width(), img.height()), (20, 40));

    let shot = std::fs::read(site.out().join("images/shot.png")).unwrap();
    assert_eq!(png_text_chunks(&shot), 0);
    assert!(!contains(&shot, b"Invented Patient"));
    assert_eq!(image::load_from_memory(&shot).unwrap().width(), 16);

    // The sanitised copies are cached: a second build re-encodes nothing.
    let cache = site.root().join(".radpress-cache/images");
    let cached = std::fs::read_dir(&cache).unwrap().count();
    assert!(cached >= 2, "{cached} files in the image cache");
    let engine = radpress::Engine::new();
    engine.render(site.root(), Publish::default()).unwrap();
    let (sanitised, reused) = engine.image_stats();
    assert_eq!(sanitised, 0, "a warm build re-encoded images");
    assert!(reused >= 2);
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), cached);
}

#[test]
fn a_dicom_file_stops_the_build_by_extension_or_marker() {
    let site = TestSite::new("basic");
    write_bytes(&site, "static/scan.dcm", b"not really dicom");
    let mut disguised = vec![0u8; 128];
    disguised.extend_from_slice(b"DICM\x02\0\0\0");
    write_bytes(&site, "content/cases/quiz-one/series.png", &disguised);
    let problems = site.problems();
    let files: Vec<String> = problems
        .iter()
        .filter(|d| d.message.contains("DICOM"))
        .map(|d| d.file.to_string_lossy().replace('\\', "/"))
        .collect();
    assert!(
        files.contains(&"static/scan.dcm".to_string()),
        "{problems:?}"
    );
    assert!(
        files.contains(&"content/cases/quiz-one/series.png".to_string()),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|d| d.fix.as_deref().is_some_and(|f| f.contains("PNG or JPEG")))
    );
    assert!(!site.out().join("scan.dcm").exists());
}

#[test]
fn an_svg_with_a_phone_number_stops_the_build_at_its_line() {
    let site = TestSite::new("basic");
    site.write(
        "static/images/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n<path d=\"M0 0 L10 10\"/>\n<text>Call (555) 555-0142</text>\n</svg>\n",
    );
    let problems = site.problems();
    let d = problems
        .iter()
        .find(|d| d.file.to_string_lossy().ends_with("diagram.svg"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert_eq!(d.line, Some(3));
    assert!(!d.message.contains("555-0142") || d.message.contains("***"));
}

#[test]
fn an_image_that_cannot_be_decoded_names_the_file() {
    let site = TestSite::new("basic");
    site.write("static/images/broken.jpg", "this is not a JPEG");
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.file.ends_with("static/images/broken.jpg")
                && d.message.contains("could not be read")
                && d.fix.is_some()),
        "{problems:?}"
    );
}

#[test]
fn check_json_lists_the_metadata_of_each_image() {
    let site = TestSite::new("basic");
    write_bytes(&site, "static/images/photo.jpg", &phone_photo());
    write_bytes(&site, "static/images/shot.png", &screenshot_png());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .arg("--root")
        .arg(site.root())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    });
    let of = |file: &str| {
        findings
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file && f["rule"] == "image-metadata")
            .unwrap_or_else(|| panic!("no metadata finding for {file}: {findings}"))
            .clone()
    };
    let photo = of("static/images/photo.jpg");
    let message = photo["message"].as_str().unwrap();
    assert!(message.contains("GPS position"), "{message}");
    assert!(
        message.contains("XMP") && message.contains("comment"),
        "{message}"
    );
    assert_eq!(photo["severity"], "warning");
    let shot = of("static/images/shot.png");
    assert!(shot["message"].as_str().unwrap().contains("tEXt"));
}
