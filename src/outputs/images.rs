//! Published files that could carry patient data beyond their pixels (issue 8, point 3).
//!
//! Every raster image that reaches the output (JPEG, PNG, WebP, GIF, TIFF, BMP, recognised by
//! extension or by its first bytes) is decoded and encoded again in its own format, which writes
//! no metadata at all: EXIF (GPS, dates, serial numbers, owner), XMP, IPTC, JPEG comments, PNG
//! text and time chunks, GIF comment and application extensions, TIFF tags beyond the image's
//! own, and ICC profiles all stay behind. The EXIF (or TIFF) orientation is applied to the pixels
//! first, so phone photos keep their rotation. Formats radpress cannot decode in pure Rust (HEIC,
//! AVIF, JPEG XL, JPEG 2000, Photoshop, camera raw) are never published: `checks::privacy::files`
//! reports them. SVG files are published through `svg`, with their embedded images sanitised the
//! same way. Re-encoding is slow, so results live in `.radpress-cache/images/<key>.<ext>` at the
//! site root, keyed by an xxh3-128 hash of the source bytes and `SANITISER`, and are published as
//! copies of the cache file, as share cards are. DICOM files (`.dcm`, `.dicom`, or `DICM` at byte
//! 128) are never published.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use image::{DynamicImage, ImageDecoder, ImageFormat};

pub use super::image_formats::{FileKind, Unsupported, classify};
use super::image_formats::{extension, format_name, sanitised_by_bytes};
use super::svg;

/// Where sanitised images are kept between builds, under the site root.
pub const CACHE_DIR: &str = ".radpress-cache/images";
/// Part of every cache key: a change to what any encoder writes must change this string, so that
/// every image is sanitised again (and every share card whose thumbnail it makes is rendered
/// again). (TIFF and BMP were added without a change: no image of either format was in a cache
/// before.)
pub const SANITISER: &str = "radpress-images-1 image-0.25 jpeg-q90 png webp-lossless gif";
/// Part of an SVG's cache key besides `SANITISER` (which its embedded images go through): what
/// `svg::sanitise` removes and rewrites.
const SVG_SANITISER: &str = "radpress-svg-1 metadata sodipodi inkscape comments data-urls";
const JPEG_QUALITY: u8 = 90;

/// The largest image radpress decodes: a side of 20,000 pixels, 100 million pixels in all (a
/// scanned film or a stitched panorama fits; a file declaring more is refused before any memory
/// is taken for it); at most 512 MiB for a decoded image, and 256 MiB for all the frames of an
/// animation (a 512×512 cine loop of 200 frames takes 200 MiB).
const MAX_SIDE: u32 = 20_000;
const MAX_PIXELS: u64 = 100_000_000;
const MAX_DECODED_BYTES: u64 = 512 << 20;
const MAX_ANIMATION_BYTES: u64 = 256 << 20;

/// The error for an image larger than the limits above, or None when it is within them.
fn too_large(width: u32, height: u32) -> Option<String> {
    (width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS)
        .then(|| {
            format!(
                "it declares {width}×{height} pixels, more than radpress decodes (at most \
                 {MAX_SIDE} pixels on a side and {} million in all): shrink it with an image editor",
                MAX_PIXELS / 1_000_000
            )
        })
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

/// The image decoded, turned upright and encoded again with no metadata, in the same format.
/// Errors are plain messages that say what is wrong with the file; the caller names it.
pub fn sanitise(bytes: &[u8], format: ImageFormat) -> std::result::Result<Vec<u8>, String> {
    let name = format_name(format);
    if sanitised_by_bytes(bytes) != Some(format) {
        return Err(format!(
            "its contents are not a {name} image (the file may be empty, damaged, or another \
             kind of file with an image's name)"
        ));
    }
    let damaged = |e: image::ImageError| {
        format!("the {name} image is damaged or uses a feature radpress cannot read ({e})")
    };
    let mut out = Vec::new();
    match format {
        ImageFormat::Gif => {
            use image::ImageDecoder;
            let (width, height) = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
                .map_err(damaged)?
                .dimensions();
            if let Some(e) = too_large(width, height) {
                return Err(e);
            }
            sanitise_gif(bytes, &mut out).map_err(|e| match e {
                GifError::Image(e) => damaged(e),
                GifError::TooLarge(frames) => format!(
                    "its {frames} or more frames of {width}×{height} pixels take more than \
                     radpress decodes ({} MiB): shorten the animation or make it smaller",
                    MAX_ANIMATION_BYTES >> 20
                ),
            })?
        }
        _ => {
            if format == ImageFormat::Tiff {
                check_tiff_pages(bytes)?;
            }
            let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
            reader.limits(limits());
            let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), format)
                .into_dimensions()
                .map_err(damaged)?;
            if let Some(e) = too_large(width, height) {
                return Err(e);
            }
            let mut decoder = reader.into_decoder().map_err(damaged)?;
            if format == ImageFormat::WebP {
                let webp =
                    image::codecs::webp::WebPDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
                if webp.has_animation() {
                    return Err(
                        "it is an animated WebP, which radpress cannot encode again \
                                without losing the animation"
                            .into(),
                    );
                }
            }
            let orientation = decoder.orientation().map_err(damaged)?;
            let mut img = DynamicImage::from_decoder(decoder).map_err(damaged)?;
            img.apply_orientation(orientation);
            encode(&img, format, &mut out)
                .map_err(|e| format!("the {name} image could not be encoded again ({e})"))?;
        }
    }
    Ok(out)
}

fn encode(
    img: &DynamicImage,
    format: ImageFormat,
    out: &mut Vec<u8>,
) -> std::result::Result<(), String> {
    use image::ColorType as C;
    let done = |r: image::ImageResult<()>| r.map_err(|e| e.to_string());
    match format {
        ImageFormat::Jpeg => {
            // Grey radiographs stay grey (a third of the size of RGB); JPEG has no alpha.
            let img = match img.color() {
                C::L8 => img.clone(),
                C::La8 | C::L16 | C::La16 => DynamicImage::ImageLuma8(img.to_luma8()),
                _ => DynamicImage::ImageRgb8(img.to_rgb8()),
            };
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(out, JPEG_QUALITY);
            done(img.write_with_encoder(enc))
        }
        ImageFormat::WebP => {
            // The WebP encoder takes 8-bit samples only, and is lossless.
            let img = match img.color() {
                C::L8 | C::La8 | C::Rgb8 | C::Rgba8 => img.clone(),
                C::L16 => DynamicImage::ImageLuma8(img.to_luma8()),
                c if c.has_alpha() => DynamicImage::ImageRgba8(img.to_rgba8()),
                _ => DynamicImage::ImageRgb8(img.to_rgb8()),
            };
            done(img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(out)))
        }
        ImageFormat::Tiff => encode_tiff(img, out).map_err(|e| e.to_string()),
        ImageFormat::Bmp => {
            // The BMP encoder takes 8-bit grey or colour, with or without alpha.
            let img = match img.color() {
                C::L8 | C::La8 | C::Rgb8 | C::Rgba8 => img.clone(),
                C::L16 => DynamicImage::ImageLuma8(img.to_luma8()),
                c if c.has_alpha() => DynamicImage::ImageRgba8(img.to_rgba8()),
                _ => DynamicImage::ImageRgb8(img.to_rgb8()),
            };
            done(img.write_with_encoder(image::codecs::bmp::BmpEncoder::new(out)))
        }
        _ => done(img.write_with_encoder(image::codecs::png::PngEncoder::new(out))),
    }
}

/// A TIFF with the tags of its pixels only, Deflate-compressed with the horizontal predictor (the
/// `image` crate's own TIFF encoder writes uncompressed strips: a scanned film would grow several
/// times). 16-bit grey stays 16-bit: scanners and PACS exports use it for radiographs.
fn encode_tiff(img: &DynamicImage, out: &mut Vec<u8>) -> tiff::TiffResult<()> {
    use tiff::encoder::{Compression, DeflateLevel, Predictor, TiffEncoder, colortype};
    let mut enc = TiffEncoder::new(Cursor::new(out))?
        .with_compression(Compression::Deflate(DeflateLevel::Balanced))
        .with_predictor(Predictor::Horizontal);
    let (w, h) = (img.width(), img.height());
    match img {
        DynamicImage::ImageLuma8(i) => enc.write_image::<colortype::Gray8>(w, h, i.as_raw()),
        DynamicImage::ImageLuma16(i) => enc.write_image::<colortype::Gray16>(w, h, i.as_raw()),
        DynamicImage::ImageRgb8(i) => enc.write_image::<colortype::RGB8>(w, h, i.as_raw()),
        DynamicImage::ImageRgb16(i) => enc.write_image::<colortype::RGB16>(w, h, i.as_raw()),
        DynamicImage::ImageRgba16(i) => enc.write_image::<colortype::RGBA16>(w, h, i.as_raw()),
        DynamicImage::ImageLumaA16(_) | DynamicImage::ImageRgba32F(_) => {
            let i = img.to_rgba16();
            enc.write_image::<colortype::RGBA16>(w, h, i.as_raw())
        }
        DynamicImage::ImageRgb32F(_) => {
            let i = img.to_rgb16();
            enc.write_image::<colortype::RGB16>(w, h, i.as_raw())
        }
        _ => {
            let i = img.to_rgba8();
            enc.write_image::<colortype::RGBA8>(w, h, i.as_raw())
        }
    }
}

/// A TIFF may hold several pages; radpress publishes one image per file, and would otherwise
/// publish the first page alone without a word. Reduced-resolution copies and masks (thumbnails,
/// pyramids) are not pages: they are dropped, as every other tag is.
fn check_tiff_pages(bytes: &[u8]) -> std::result::Result<(), String> {
    use tiff::tags::Tag;
    let Ok(mut decoder) = tiff::decoder::Decoder::new(Cursor::new(bytes)) else {
        // The image decoder says what is wrong.
        return Ok(());
    };
    let mut pages = 0;
    for _ in 0..1000 {
        let subfile: u32 = decoder
            .find_tag_unsigned(Tag::NewSubfileType)
            .ok()
            .flatten()
            .unwrap_or(0);
        if subfile & 0b101 == 0 {
            pages += 1;
        }
        if !decoder.more_images() || decoder.next_image().is_err() {
            break;
        }
    }
    if pages > 1 {
        return Err(format!(
            "it is a TIFF with {pages} pages, and radpress publishes one image per file (the \
             other pages could hold a request form or a report with the patient's details)"
        ));
    }
    Ok(())
}

/// GIFs keep every frame and its delay; a GIF with more than one frame loops forever (the
/// decoder does not tell the original loop count, and looping is what nearly every one asks).
/// Frames are decoded one by one, and decoding stops once they take more than
/// `MAX_ANIMATION_BYTES`: a GIF of a few hundred bytes can declare thousands of large frames.
fn sanitise_gif(bytes: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), GifError> {
    use image::AnimationDecoder;
    let mut decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))?;
    image::ImageDecoder::set_limits(&mut decoder, limits())?;
    let mut frames = Vec::new();
    let mut decoded = 0u64;
    for frame in decoder.into_frames() {
        let frame = frame?;
        decoded += frame.buffer().as_raw().len() as u64;
        frames.push(frame);
        if decoded > MAX_ANIMATION_BYTES {
            return Err(GifError::TooLarge(frames.len()));
        }
    }
    let mut enc = image::codecs::gif::GifEncoder::new_with_speed(out, 10);
    if frames.len() > 1 {
        enc.set_repeat(image::codecs::gif::Repeat::Infinite)?;
    }
    Ok(enc.encode_frames(frames)?)
}

enum GifError {
    Image(image::ImageError),
    /// Decoding stopped after this many frames.
    TooLarge(usize),
}

impl From<image::ImageError> for GifError {
    fn from(e: image::ImageError) -> GifError {
        GifError::Image(e)
    }
}

/// Images (raster and SVG) sanitised and reused (for tests, timings and benches), and, between
/// builds of one process, what each file was when last seen, so that `serve` does not read every
/// image again.
#[derive(Debug, Default)]
pub struct ImageStats {
    pub sanitised: AtomicUsize,
    pub reused: AtomicUsize,
    seen: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, Seen>>,
    /// The cache files the last build used: when they are the same, there is nothing to prune.
    last_used: std::sync::Mutex<HashSet<PathBuf>>,
    /// Set by `radpress serve` when the file watcher saw only Markdown edits since the last
    /// build: every file seen then is taken as unchanged, without asking the file system (at
    /// 10,000 posts that is tens of thousands of `stat` calls per save).
    trusted: std::sync::atomic::AtomicBool,
    /// The files `assets` published last time, handed out again while `trusted`.
    published: std::sync::Mutex<Option<Vec<super::OutputFile>>>,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    modified: Option<SystemTime>,
    len: u64,
    kind: FileKind,
    /// For a raster image or an SVG, the cache key of its sanitised copy.
    key: Option<u128>,
}

impl ImageStats {
    /// Whether files seen by the last build may be taken as unchanged (see `trusted`).
    pub fn trust_seen(&self, trusted: bool) {
        self.trusted.store(trusted, Ordering::Relaxed);
    }

    /// The files `assets` published last time, when the files may be taken as unchanged.
    pub fn published(&self) -> Option<Vec<super::OutputFile>> {
        if !self.trusted.load(Ordering::Relaxed) {
            return None;
        }
        self.published
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Remember what `assets` published, for `published`.
    pub fn set_published(&self, files: &[super::OutputFile]) {
        *self.published.lock().unwrap_or_else(|e| e.into_inner()) = Some(files.to_vec());
    }

    /// What was seen of `path`, when the caller may take it as unchanged without a `stat`.
    fn trusted(&self, path: &Path) -> Option<Seen> {
        self.trusted
            .load(Ordering::Relaxed)
            .then(|| self.lookup(path))
            .flatten()
    }

    /// The kind of a file, remembered while its modification time and size stay the same.
    pub fn kind(&self, path: &Path) -> std::io::Result<FileKind> {
        if let Some(s) = self.trusted(path) {
            return Ok(s.kind);
        }
        let meta = std::fs::metadata(path)?;
        let (modified, len) = (meta.modified().ok(), meta.len());
        if let Some(s) = self.lookup(path)
            && s.modified == modified
            && s.len == len
            && modified.is_some()
        {
            return Ok(s.kind);
        }
        let kind = classify(path)?;
        self.remember(
            path,
            Seen {
                modified,
                len,
                kind,
                key: None,
            },
        );
        Ok(kind)
    }

    fn lookup(&self, path: &Path) -> Option<Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .copied()
    }

    fn remember(&self, path: &Path, seen: Seen) {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), seen);
    }
}

/// The sanitised copy of the raster image at `source`, from the cache or made now. Errors are
/// plain messages; the caller names the file.
pub fn sanitised_copy(
    site_root: &Path,
    source: &Path,
    format: ImageFormat,
    stats: &ImageStats,
) -> std::result::Result<PathBuf, String> {
    let cached = cached_copy(
        site_root,
        source,
        FileKind::Raster(format),
        stats,
        |bytes| sanitise(bytes, format).map(Some),
    )?;
    cached
        .map(|(cached, _)| cached)
        .ok_or_else(|| "radpress made no copy of it".to_string())
}

/// The sanitised bytes of the file at `source`, exactly what the site publishes in its place,
/// and their format: read from the image cache, or made now and cached for the published copy
/// to use. None when the file is not a raster image (DICOM, SVG, anything else): nothing of it
/// may be shown as an image. Share cards take their thumbnails from here.
pub fn sanitised_bytes(
    site_root: &Path,
    source: &Path,
    stats: &ImageStats,
) -> std::result::Result<Option<(ImageFormat, Vec<u8>)>, String> {
    let FileKind::Raster(format) = stats.kind(source).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let (cached, made) = cached_copy(
        site_root,
        source,
        FileKind::Raster(format),
        stats,
        |bytes| sanitise(bytes, format).map(Some),
    )?
    .ok_or_else(|| "radpress made no copy of it".to_string())?;
    let bytes = match made {
        Some(bytes) => bytes,
        // Another radpress process may have pruned the file since: make it again.
        None => match std::fs::read(&cached) {
            Ok(bytes) => bytes,
            Err(_) => {
                let bytes = crate::input::read(source, crate::input::FILE_LIMIT)
                    .map_err(|e| e.to_string())?;
                let clean = sanitise(&bytes, format)?;
                super::write_cache(&cached, &clean).map_err(|e| e.to_string())?;
                clean
            }
        },
    };
    Ok(Some((format, bytes)))
}

/// The published copy of the SVG file at `source` (see `svg::sanitise`), from the cache or made
/// now; None when it embeds a file that is never published (reported by the privacy check).
pub fn sanitised_svg(
    site_root: &Path,
    source: &Path,
    stats: &ImageStats,
) -> std::result::Result<Option<PathBuf>, svg::Problem> {
    let mut problem = None;
    let cached = cached_copy(site_root, source, FileKind::Svg, stats, |bytes| {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            "it is not UTF-8 text; save it again as UTF-8 (every SVG editor can)".to_string()
        })?;
        svg::sanitise(text).map_err(|p| {
            let message = p.message.clone();
            problem = Some(p);
            message
        })
    });
    cached
        .map(|c| c.map(|(cached, _)| cached))
        .map_err(|message| {
            problem.unwrap_or(svg::Problem {
                line: None,
                message,
            })
        })
}

/// A cache file, and its bytes when the call that returned it made them.
type Cached = (PathBuf, Option<Vec<u8>>);

/// The cache file for `source` (a raster image or an SVG), made with `make` when it is not in
/// the cache, with the bytes when this call made them (so that a caller who wants them need not
/// read the file it just wrote). `make` returns None for a file that must not be published.
fn cached_copy(
    site_root: &Path,
    source: &Path,
    kind: FileKind,
    stats: &ImageStats,
    make: impl FnOnce(&[u8]) -> std::result::Result<Option<Vec<u8>>, String>,
) -> std::result::Result<Option<Cached>, String> {
    let (version, ext) = match kind {
        FileKind::Raster(format) => ("", extension(format)),
        _ => (SVG_SANITISER, "svg"),
    };
    let cache_dir = site_root.join(CACHE_DIR);
    if let Some(key) = stats.trusted(source).and_then(|s| s.key) {
        stats.reused.fetch_add(1, Ordering::Relaxed);
        return Ok(Some((cache_dir.join(format!("{key:032x}.{ext}")), None)));
    }
    let meta = std::fs::metadata(source).map_err(|e| e.to_string())?;
    let (modified, len) = (meta.modified().ok(), meta.len());
    let known = stats
        .lookup(source)
        .filter(|s| s.modified.is_some() && s.modified == modified && s.len == len)
        .and_then(|s| s.key);
    let (key, bytes) = match known {
        Some(key) => (key, None),
        None => {
            let bytes =
                crate::input::read(source, crate::input::FILE_LIMIT).map_err(|e| e.to_string())?;
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(SANITISER.as_bytes());
            h.update(version.as_bytes());
            h.update(&bytes);
            (h.digest128(), Some(bytes))
        }
    };
    let cached = cache_dir.join(format!("{key:032x}.{ext}"));
    let mut made = None;
    if cached.is_file() {
        stats.reused.fetch_add(1, Ordering::Relaxed);
    } else {
        let bytes = match bytes {
            Some(b) => b,
            None => {
                crate::input::read(source, crate::input::FILE_LIMIT).map_err(|e| e.to_string())?
            }
        };
        let Some(clean) = make(&bytes)? else {
            return Ok(None);
        };
        super::write_cache(&cached, &clean).map_err(|e| e.to_string())?;
        stats.sanitised.fetch_add(1, Ordering::Relaxed);
        made = Some(clean);
    }
    stats.remember(
        source,
        Seen {
            modified,
            len,
            kind,
            key: Some(key),
        },
    );
    Ok(Some((cached, made)))
}

/// After a successful pass: remove sanitised images no file uses any more.
pub fn prune(site_root: &Path, used: HashSet<PathBuf>, stats: &ImageStats) {
    let mut last_used = stats.last_used.lock().unwrap_or_else(|e| e.into_inner());
    if *last_used == used {
        return;
    }
    let Some(_prune) = crate::cache::may_prune(site_root) else {
        return;
    };
    if let Ok(entries) = std::fs::read_dir(site_root.join(CACHE_DIR)) {
        for entry in entries.flatten() {
            let path = entry.path();
            let ours = entry
                .file_name()
                .to_str()
                .is_some_and(crate::cache::is_entry_name);
            if ours && !used.contains(&path) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    *last_used = used;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_as_an_image_holding_something_else_is_a_clear_error() {
        let e = sanitise(b"<html>not a picture</html>", ImageFormat::Png).unwrap_err();
        assert!(e.contains("not a PNG image"), "{e}");
        let e = sanitise(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ImageFormat::Png).unwrap_err();
        assert!(e.contains("PNG image is damaged"), "{e}");
        let e = sanitise(b"II*\0\xff\xff\xff\xff", ImageFormat::Tiff).unwrap_err();
        assert!(e.contains("TIFF image is damaged"), "{e}");
        let e = sanitise(b"", ImageFormat::Jpeg).unwrap_err();
        assert!(e.contains("not a JPEG image"), "{e}");
    }
}
