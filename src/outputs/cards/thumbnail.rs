//! A card's thumbnail: a case's first image or a person's photo, taken from the image pipeline
//! (`outputs::images`), so the card shows what the site publishes: turned upright by its EXIF
//! orientation and carrying no metadata. Large images are made small enough for a card before
//! they are embedded, and every thumbnail reaches resvg as a PNG or JPEG `data:` URI.

use std::io::Cursor;
use std::path::PathBuf;

use image::{DynamicImage, ImageFormat};

use crate::content::Page;
use crate::outputs::images::{self, ImageStats};
use crate::site::Site;
use crate::theme::{Source, Theme};

/// A thumbnail's shorter side is at most the card's height and its longer side at most the
/// card's width: any box of the card up to 630 px each way is filled without enlarging it.
const MAX_SHORT_SIDE: u32 = super::HEIGHT;
const MAX_LONG_SIDE: u32 = super::WIDTH;
const JPEG_QUALITY: u8 = 85;
/// Part of the cache key of every card with a thumbnail: new settings here render those again.
pub(super) const VERSION: &str = "thumbnail-1 630x1200 jpeg-q85 png";

/// The thumbnail of `page` as a `data:` URI, or None when it has none, or when its file is not a
/// raster image the pipeline accepts (DICOM, SVG, a corrupt file: the build reports those
/// through the privacy guard and the image pipeline, and nothing of them reaches a card).
pub(super) fn data_uri(
    site: &Site,
    theme: &Theme,
    page: &Page,
    images: &ImageStats,
) -> Option<String> {
    let file = file(site, theme, page)?;
    let (format, clean) = images::sanitised_bytes(&site.root, &file, images).ok()??;
    let (mime, bytes) = card_sized(clean, format).ok()?;
    Some(format!("data:{mime};base64,{}", super::base64(&bytes)))
}

/// The file of a case's first image (or a person's photo), from the page's bundle or the site's
/// static files. These paths already start with the site root (relative when `--root` is).
pub(super) fn file(site: &Site, theme: &Theme, page: &Page) -> Option<PathBuf> {
    let url = match (&page.case, &page.person) {
        (Some(c), _) => c
            .studies
            .iter()
            .flat_map(|s| &s.images)
            .next()
            .map(|i| i.url.clone())?,
        (_, Some(p)) => p.photo.clone()?,
        _ => return None,
    };
    let site_path = url
        .strip_prefix(site.base_path.as_str())
        .unwrap_or(&url)
        .to_string();
    page.assets
        .iter()
        .find(|(_, p)| *p == site_path)
        .map(|(src, _)| src.clone())
        .or_else(|| match theme.static_files.get(&site_path) {
            Some(Source::Disk(p)) => Some(p.clone()),
            _ => None,
        })
        .or_else(|| {
            site.assets
                .iter()
                .find(|a| a.path == site_path)
                .map(|a| a.source.clone())
        })
}

/// A sanitised image as a PNG or JPEG no larger than a card needs, with its MIME type. A PNG or
/// JPEG that is already small enough is kept byte for byte; anything else is decoded (a GIF's
/// first frame), shrunk and encoded again: as JPEG when it is opaque, PNG when it has alpha.
fn card_sized(
    clean: Vec<u8>,
    format: ImageFormat,
) -> std::result::Result<(&'static str, Vec<u8>), String> {
    let (width, height) = image::ImageReader::with_format(Cursor::new(&clean), format)
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    let target = target_size(width, height);
    let small_enough = target == (width, height);
    match format {
        ImageFormat::Png if small_enough => return Ok(("image/png", clean)),
        ImageFormat::Jpeg if small_enough => return Ok(("image/jpeg", clean)),
        _ => {}
    }
    let img = image::load_from_memory_with_format(&clean, format).map_err(|e| e.to_string())?;
    // `thumbnail` averages the pixels each target pixel covers: no aliasing, and fast.
    let img = if small_enough {
        img
    } else {
        img.thumbnail(target.0, target.1)
    };
    encode(&img)
}

/// The size a `width`×`height` image is shrunk to (its own size when it is small enough).
fn target_size(width: u32, height: u32) -> (u32, u32) {
    let (short, long) = (width.min(height).max(1), width.max(height).max(1));
    let scale = f64::min(
        f64::from(MAX_SHORT_SIDE) / f64::from(short),
        f64::from(MAX_LONG_SIDE) / f64::from(long),
    );
    if scale >= 1.0 {
        return (width, height);
    }
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
    (side(width), side(height))
}

fn encode(img: &DynamicImage) -> std::result::Result<(&'static str, Vec<u8>), String> {
    use image::ColorType as C;
    let mut out = Vec::new();
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|e| e.to_string())?;
        return Ok(("image/png", out));
    }
    // Grey radiographs stay grey (a third of the bytes of RGB).
    let img = match img.color() {
        C::L8 | C::L16 => DynamicImage::ImageLuma8(img.to_luma8()),
        _ => DynamicImage::ImageRgb8(img.to_rgb8()),
    };
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    img.write_with_encoder(enc).map_err(|e| e.to_string())?;
    Ok(("image/jpeg", out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::{tiny_skia, usvg};

    fn encoded(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    /// The thumbnail drawn by resvg into a 40×40 pixmap; the RGBA of its centre pixel.
    fn drawn_centre(mime: &str, bytes: &[u8]) -> [u8; 4] {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
             width=\"40\" height=\"40\"><image width=\"40\" height=\"40\" \
             preserveAspectRatio=\"xMidYMid slice\" xlink:href=\"data:{mime};base64,{}\"/></svg>",
            super::super::base64(bytes)
        );
        let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(40, 40).unwrap();
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        let p = pixmap.pixel(20, 20).unwrap();
        [p.red(), p.green(), p.blue(), p.alpha()]
    }

    #[test]
    fn small_images_keep_their_size_and_large_ones_fit_the_card() {
        assert_eq!(target_size(360, 340), (360, 340));
        assert_eq!(target_size(4000, 3000), (840, 630));
        assert_eq!(target_size(3000, 4000), (630, 840));
        // A panorama is held to the card's width.
        assert_eq!(target_size(6000, 1000), (1200, 200));
        assert_eq!(target_size(0, 0), (0, 0));
    }

    #[test]
    fn a_small_png_or_jpeg_is_embedded_byte_for_byte() {
        let png = encoded(
            DynamicImage::ImageRgb8(image::RgbImage::new(30, 20)),
            ImageFormat::Png,
        );
        let (mime, bytes) = card_sized(png.clone(), ImageFormat::Png).unwrap();
        assert_eq!((mime, bytes), ("image/png", png));
    }

    #[test]
    fn a_large_grey_image_becomes_a_small_grey_jpeg_that_resvg_draws() {
        let grey = image::GrayImage::from_pixel(1600, 1400, image::Luma([150]));
        let png = encoded(DynamicImage::ImageLuma8(grey), ImageFormat::Png);
        let (mime, bytes) = card_sized(png, ImageFormat::Png).unwrap();
        assert_eq!(mime, "image/jpeg");
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (720, 630));
        assert_eq!(img.color(), image::ColorType::L8);
        let [r, g, b, a] = drawn_centre(mime, &bytes);
        assert_eq!(a, 255);
        for c in [r, g, b] {
            assert!(c.abs_diff(150) < 6, "drawn as {r},{g},{b}");
        }
    }

    #[test]
    fn webp_and_gif_reach_resvg_as_png_or_jpeg() {
        let red = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            24,
            24,
            image::Rgb([220, 30, 30]),
        ));
        let mut webp = Vec::new();
        red.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp))
            .unwrap();
        let (mime, bytes) = card_sized(webp, ImageFormat::WebP).unwrap();
        assert_eq!(mime, "image/jpeg");
        let [r, g, b, _] = drawn_centre(mime, &bytes);
        assert!(r > 180 && g < 70 && b < 70, "drawn as {r},{g},{b}");

        let mut gif = Vec::new();
        image::codecs::gif::GifEncoder::new(&mut gif)
            .encode_frame(image::Frame::new(red.to_rgba8()))
            .unwrap();
        let (mime, bytes) = card_sized(gif, ImageFormat::Gif).unwrap();
        assert!(matches!(mime, "image/png" | "image/jpeg"), "{mime}");
        let [r, g, b, _] = drawn_centre(mime, &bytes);
        assert!(r > 180 && g < 70 && b < 70, "drawn as {r},{g},{b}");
    }

    #[test]
    fn bytes_that_are_no_image_give_no_thumbnail() {
        assert!(card_sized(b"not an image".to_vec(), ImageFormat::Jpeg).is_err());
    }
}
