//! The privacy guard over files (issue 8, point 3): published images carry no metadata and keep
//! their rotation, DICOM files stop the build, SVG text is scanned, `check` lists metadata. Every
//! image here is made by the test; none holds real patient data.

mod common;

use std::io::Cursor;

use common::{TestSite, exif_app1, jpeg_with_segments, snapshot};
use radpress::Publish;

/// A 40×20 JPEG with an EXIF block (orientation 6, GPS), an XMP packet and a comment.
fn phone_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 90, 160]));
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(b"<x:xmpmeta><photoshop:City>Springfield</photoshop:City></x:xmpmeta>");
    jpeg_with_segments(
        img,
        &[
            (0xE1, &exif_app1(6)),
            (0xE1, &xmp),
            (0xFE, b"scanned by J. Doe"),
        ],
    )
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

/// A 40×20 RGB TIFF with Orientation = 6, an ImageDescription and Artist, and a GPS IFD holding
/// GPSLatitudeRef = "N", as a scanner or an export tool could write it.
fn scanned_tiff() -> Vec<u8> {
    use tiff::encoder::{TiffEncoder, colortype::RGB8};
    use tiff::tags::Tag;
    let mut out = Vec::new();
    let mut enc = TiffEncoder::new(Cursor::new(&mut out)).unwrap();
    let gps = {
        let mut dir = enc.extra_directory().unwrap();
        dir.write_tag(Tag::Unknown(1), "N").unwrap();
        dir.finish_with_offsets().unwrap()
    };
    let pixels: Vec<u8> = (0..20u32)
        .flat_map(|y| (0..40u32).flat_map(move |x| [(x * 6) as u8, (y * 10) as u8, 160]))
        .collect();
    let mut img = enc.new_image::<RGB8>(40, 20).unwrap();
    let dir = img.encoder();
    dir.write_tag(Tag::ImageDescription, "Invented Patient, MRN 00000000")
        .unwrap();
    dir.write_tag(Tag::Artist, "Invented Technologist").unwrap();
    dir.write_tag(Tag::Orientation, 6u16).unwrap();
    dir.write_tag(Tag::GpsDirectory, gps.offset).unwrap();
    img.write_data(&pixels).unwrap();
    out
}

#[test]
fn a_tiff_is_published_as_a_tiff_without_its_tags_and_with_its_rotation() {
    use tiff::tags::Tag;
    let site = TestSite::new("basic");
    let original = scanned_tiff();
    // The fixture really carries what the test says it does.
    let mut d = tiff::decoder::Decoder::new(Cursor::new(&original)).unwrap();
    assert!(d.find_tag(Tag::GpsDirectory).unwrap().is_some());
    assert!(d.find_tag(Tag::ImageDescription).unwrap().is_some());
    write_bytes(&site, "static/images/scan.tif", &original);
    site.build().unwrap();

    let published = std::fs::read(site.out().join("images/scan.tif")).unwrap();
    assert_eq!(
        image::guess_format(&published).unwrap(),
        image::ImageFormat::Tiff
    );
    let mut d = tiff::decoder::Decoder::new(Cursor::new(&published)).unwrap();
    for tag in [
        Tag::GpsDirectory,
        Tag::ImageDescription,
        Tag::Artist,
        Tag::Orientation,
        Tag::Software,
        Tag::DateTime,
    ] {
        assert!(d.find_tag(tag).unwrap().is_none(), "{tag:?} is still there");
    }
    assert!(!d.more_images(), "the published TIFF has more than one IFD");
    assert!(!contains(&published, b"Invented"));
    // Orientation 6 (rotate 90° clockwise): the 40×20 scan is published 20×40, pixels intact
    // (Deflate is lossless): the top-left pixel is the original's bottom-left one.
    let img = image::load_from_memory(&published).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (20, 40));
    assert_eq!(img.get_pixel(0, 0).0, [0, 190, 160]);
    assert_eq!(img.get_pixel(19, 39).0, [234, 0, 160]);
}

#[test]
fn a_tiff_with_several_pages_is_an_error_naming_it() {
    use tiff::encoder::{TiffEncoder, colortype::Gray8};
    let site = TestSite::new("basic");
    let mut tiff = Vec::new();
    let mut enc = TiffEncoder::new(Cursor::new(&mut tiff)).unwrap();
    enc.write_image::<Gray8>(4, 4, &[100; 16]).unwrap();
    enc.write_image::<Gray8>(4, 4, &[200; 16]).unwrap();
    write_bytes(&site, "static/images/pages.tiff", &tiff);
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.file.ends_with("static/images/pages.tiff")
                && d.message.contains("2 pages")
                && d.fix.is_some()),
        "{problems:?}"
    );
}

#[test]
fn a_bmp_is_published_as_a_bmp_that_decodes() {
    let site = TestSite::new("basic");
    let img = image::RgbImage::from_fn(12, 7, |x, y| image::Rgb([x as u8 * 20, y as u8 * 30, 5]));
    let mut bmp = Vec::new();
    image::DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut Cursor::new(&mut bmp), image::ImageFormat::Bmp)
        .unwrap();
    // Bytes after the pixels, which readers skip: only a file written again loses them.
    bmp.extend_from_slice(b"Invented Patient");
    write_bytes(&site, "content/cases/quiz-one/old-scanner.bmp", &bmp);
    site.build().unwrap();
    let published = std::fs::read(site.out().join("cases/quiz-one/old-scanner.bmp")).unwrap();
    assert_eq!(
        image::guess_format(&published).unwrap(),
        image::ImageFormat::Bmp
    );
    assert!(!contains(&published, b"Invented Patient"));
    let decoded = image::load_from_memory(&published).unwrap().to_rgb8();
    assert_eq!(decoded, img);
}

/// The first bytes of an iPhone photo: an ISO-BMFF `ftyp` box with the `heic` brand.
fn fake_heic() -> Vec<u8> {
    let mut b = 24u32.to_be_bytes().to_vec();
    b.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    b.extend_from_slice(&[0x42; 300]);
    b
}

#[test]
fn a_heic_photo_fails_the_build_naming_it_and_leaves_the_site_untouched() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let before = snapshot(&site.out());
    write_bytes(&site, "content/cases/quiz-one/IMG_0042.HEIC", &fake_heic());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/cases/quiz-one/IMG_0042.HEIC"),
        "{stderr}"
    );
    assert!(stderr.contains("HEIC"), "{stderr}");
    assert!(stderr.contains("export it as JPEG or PNG"), "{stderr}");
    assert_eq!(snapshot(&site.out()), before);
}

#[test]
fn heic_bytes_under_a_jpeg_name_are_refused_too() {
    let site = TestSite::new("basic");
    write_bytes(&site, "static/images/photo.jpg", &fake_heic());
    let problems = site.problems();
    let d = problems
        .iter()
        .find(|d| d.file.ends_with("static/images/photo.jpg"))
        .unwrap_or_else(|| panic!("{problems:?}"));
    assert!(d.message.contains("HEIC"), "{d}");
    assert!(!site.out().join("images/photo.jpg").exists());
}

#[test]
fn a_png_holding_something_else_is_a_clear_error() {
    let site = TestSite::new("basic");
    site.write(
        "static/images/chart.png",
        "<html>saved from the browser</html>",
    );
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.file.ends_with("static/images/chart.png")
                && d.message.contains("not a PNG image")
                && d.fix.as_deref().is_some_and(|f| f.contains("export"))),
        "{problems:?}"
    );
}

/// An Inkscape drawing embedding `phone_photo()` as a data URL (at line 5), with the editor's
/// metadata around it.
fn drawing_with_a_photo() -> String {
    use base64::Engine as _;
    let photo = base64::engine::general_purpose::STANDARD.encode(phone_photo());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\"\n   \
         sodipodi:docname=\"knee-drawing-final.svg\" inkscape:export-filename=\"knee-export.png\" viewBox=\"0 0 40 20\">\n\
         <metadata><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description about=\"knee-creator-notes\"/></rdf:RDF></metadata>\n\
         <image width=\"40\" height=\"20\"\n  xlink:href=\"data:image/jpeg;base64,{photo}\"/>\n\
         <title>Knee, lateral view</title>\n\
         </svg>\n"
    )
}

#[test]
fn an_svg_is_published_with_its_embedded_photo_sanitised_and_its_editor_data_gone() {
    let site = TestSite::new("basic");
    let svg = drawing_with_a_photo();
    site.write("static/images/knee.svg", &svg);
    site.build().unwrap();
    let published = site.read("images/knee.svg");
    let doc = roxmltree::Document::parse(&published).unwrap();
    let image = doc
        .descendants()
        .find(|n| n.has_tag_name("image"))
        .expect("the <image> is kept");
    let href = image
        .attribute(("http://www.w3.org/1999/xlink", "href"))
        .unwrap();
    let base64 = href
        .strip_prefix("data:image/jpeg;base64,")
        .unwrap_or_else(|| panic!("{}", &href[..40.min(href.len())]));
    use base64::Engine as _;
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .unwrap();
    assert!(
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(&jpeg))
            .is_err(),
        "the embedded JPEG still has EXIF"
    );
    assert!(!contains(&jpeg, b"ns.adobe.com") && !contains(&jpeg, b"J. Doe"));
    let img = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((img.width(), img.height()), (20, 40), "rotation applied");
    for gone in [
        "knee-drawing-final",
        "knee-export",
        "<metadata",
        "knee-creator-notes",
    ] {
        assert!(!published.contains(gone), "`{gone}` is still published");
    }
    assert!(published.contains("<title>Knee, lateral view</title>"));
    assert!(published.contains("viewBox=\"0 0 40 20\""));

    // Cached: a second engine re-encodes nothing.
    let engine = radpress::Engine::new();
    engine.render(site.root(), Publish::default()).unwrap();
    assert_eq!(engine.image_stats().0, 0);
}

#[test]
fn check_lists_the_metadata_of_an_image_embedded_in_an_svg_at_its_line() {
    let site = TestSite::new("basic");
    site.write("static/images/knee.svg", &drawing_with_a_photo());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .arg("--root")
        .arg(site.root())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    });
    let found = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "static/images/knee.svg" && f["rule"] == "image-metadata")
        .unwrap_or_else(|| panic!("no metadata finding for the SVG: {findings}"));
    assert_eq!(found["line"], 5);
    let message = found["message"].as_str().unwrap();
    assert!(message.contains("embedded at line 5"), "{message}");
    assert!(message.contains("GPS position"), "{message}");
}

#[test]
fn an_unchanged_svg_is_not_read_again_by_the_same_engine() {
    let site = TestSite::new("basic");
    let path = site.root().join("static/images/knee.svg");
    site.write("static/images/knee.svg", &drawing_with_a_photo());
    let engine = radpress::Engine::new();
    engine.render(site.root(), Publish::default()).unwrap();
    // Same size and modification time, other bytes (a phone number for the privacy check, and
    // markup that does not parse for the publisher): a rebuild that read the file again in
    // either would fail.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    let other = format!("{:<len$}", "<svg><text>Call (555) 555-0142</text>");
    std::fs::write(&path, other).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    engine.render(site.root(), Publish::default()).unwrap();
    // A new engine reads it, and says what is wrong.
    let fresh = radpress::Engine::new();
    assert!(fresh.render(site.root(), Publish::default()).is_err());
}
