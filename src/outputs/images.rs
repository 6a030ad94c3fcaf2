//! Published files that could carry patient data beyond their pixels (issue 8, point 3).
//!
//! Every raster image that reaches the output (JPEG, PNG, WebP, GIF, recognised by extension or
//! by its first bytes) is decoded and encoded again, which writes no metadata at all: EXIF (GPS,
//! dates, serial numbers, owner), XMP, IPTC, JPEG comments, PNG text and time chunks, GIF comment
//! and application extensions, and ICC profiles all stay behind. The EXIF orientation is applied
//! to the pixels first, so phone photos keep their rotation. Re-encoding is slow, so results live
//! in `.radpress-cache/images/<key>.<ext>` at the site root, keyed by an xxh3-128 hash of the
//! source bytes and `SANITISER`, and are published as copies of the cache file, as share cards
//! are. DICOM files (`.dcm`, `.dicom`, or `DICM` at byte 128) are never published.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use image::{DynamicImage, ImageDecoder, ImageFormat};

/// Where sanitised images are kept between builds, under the site root.
pub const CACHE_DIR: &str = ".radpress-cache/images";
/// Part of every cache key: new encoder settings sanitise every image again (and render again
/// every share card whose thumbnail they make).
pub const SANITISER: &str = "radpress-images-1 image-0.25 jpeg-q90 png webp-lossless gif";
const JPEG_QUALITY: u8 = 90;
/// Enough to see the DICOM marker (bytes 128..132) and every image format's magic bytes.
const HEAD_LEN: usize = 132;

/// What a published file is, for the privacy guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A DICOM file: never published.
    Dicom,
    /// A raster image to sanitise, in the format its bytes (or, failing that, its name) say.
    Raster(ImageFormat),
    /// SVG: text, scanned by the privacy rules.
    Svg,
    Other,
}

/// The kind of the file at `path`, from its name and its first bytes.
pub fn classify(path: &Path) -> std::io::Result<FileKind> {
    use std::io::Read;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut head = Vec::with_capacity(HEAD_LEN);
    std::fs::File::open(path)?
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)?;
    Ok(kind_of(&ext, &head))
}

fn kind_of(ext: &str, head: &[u8]) -> FileKind {
    if matches!(ext, "dcm" | "dicom") || head.get(128..132) == Some(b"DICM") {
        return FileKind::Dicom;
    }
    let by_bytes = image::guess_format(head).ok().filter(|f| is_sanitised(*f));
    let by_name = match ext {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        "gif" => Some(ImageFormat::Gif),
        _ => None,
    };
    match (by_bytes, by_name) {
        (Some(f), _) | (None, Some(f)) => FileKind::Raster(f),
        _ if ext == "svg" => FileKind::Svg,
        _ => FileKind::Other,
    }
}

fn is_sanitised(format: ImageFormat) -> bool {
    matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    )
}

/// The extension of a sanitised file in the cache.
fn extension(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        ImageFormat::Gif => "gif",
        _ => "jpg",
    }
}

/// The image decoded, turned upright and encoded again with no metadata.
pub fn sanitise(bytes: &[u8], format: ImageFormat) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Gif => sanitise_gif(bytes, &mut out)?,
        _ => {
            let reader = image::ImageReader::with_format(Cursor::new(bytes), format);
            let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
            if format == ImageFormat::WebP {
                let webp = image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
                    .map_err(|e| e.to_string())?;
                if webp.has_animation() {
                    return Err(
                        "it is an animated WebP, which radpress cannot encode again \
                                without losing the animation"
                            .into(),
                    );
                }
            }
            let orientation = decoder.orientation().map_err(|e| e.to_string())?;
            let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
            img.apply_orientation(orientation);
            encode(&img, format, &mut out).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

fn encode(img: &DynamicImage, format: ImageFormat, out: &mut Vec<u8>) -> image::ImageResult<()> {
    use image::ColorType as C;
    match format {
        ImageFormat::Jpeg => {
            // Grey radiographs stay grey (a third of the size of RGB); JPEG has no alpha.
            let img = match img.color() {
                C::L8 => img.clone(),
                C::La8 | C::L16 | C::La16 => DynamicImage::ImageLuma8(img.to_luma8()),
                _ => DynamicImage::ImageRgb8(img.to_rgb8()),
            };
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(out, JPEG_QUALITY);
            img.write_with_encoder(enc)
        }
        ImageFormat::WebP => {
            // The WebP encoder takes 8-bit samples only, and is lossless.
            let img = match img.color() {
                C::L8 | C::La8 | C::Rgb8 | C::Rgba8 => img.clone(),
                C::L16 => DynamicImage::ImageLuma8(img.to_luma8()),
                c if c.has_alpha() => DynamicImage::ImageRgba8(img.to_rgba8()),
                _ => DynamicImage::ImageRgb8(img.to_rgb8()),
            };
            img.write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(out))
        }
        _ => img.write_with_encoder(image::codecs::png::PngEncoder::new(out)),
    }
}

/// GIFs keep every frame and its delay; a GIF with more than one frame loops forever (the
/// decoder does not tell the original loop count, and looping is what nearly every one asks).
fn sanitise_gif(bytes: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), String> {
    use image::AnimationDecoder;
    let decoder =
        image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let frames = decoder
        .into_frames()
        .collect_frames()
        .map_err(|e| e.to_string())?;
    let mut enc = image::codecs::gif::GifEncoder::new_with_speed(out, 10);
    if frames.len() > 1 {
        enc.set_repeat(image::codecs::gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
    }
    enc.encode_frames(frames).map_err(|e| e.to_string())
}

/// Images sanitised and reused (for tests, timings and benches), and, between builds of one
/// process, what each file was when last seen, so that `serve` does not read every image again.
#[derive(Debug, Default)]
pub struct ImageStats {
    pub sanitised: AtomicUsize,
    pub reused: AtomicUsize,
    seen: std::sync::Mutex<rustc_hash::FxHashMap<PathBuf, Seen>>,
    /// The cache files the last build used: when they are the same, there is nothing to prune.
    last_used: std::sync::Mutex<HashSet<PathBuf>>,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    modified: Option<SystemTime>,
    len: u64,
    kind: FileKind,
    /// For a raster image, the cache key of its sanitised copy.
    key: Option<u128>,
}

impl ImageStats {
    /// The kind of a file, remembered while its modification time and size stay the same.
    pub fn kind(&self, path: &Path) -> std::io::Result<FileKind> {
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
    cached_copy(site_root, source, format, stats).map(|(cached, _)| cached)
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
    let (cached, made) = cached_copy(site_root, source, format, stats)?;
    let bytes = match made {
        Some(bytes) => bytes,
        // Another radpress process may have pruned the file since: make it again.
        None => match std::fs::read(&cached) {
            Ok(bytes) => bytes,
            Err(_) => {
                let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
                let clean = sanitise(&bytes, format)?;
                super::write_cache(&cached, &clean).map_err(|e| e.to_string())?;
                clean
            }
        },
    };
    Ok(Some((format, bytes)))
}

/// The cache file of the sanitised copy of `source`, and the sanitised bytes when this call
/// made them (so that a caller who wants them need not read the file it just wrote).
fn cached_copy(
    site_root: &Path,
    source: &Path,
    format: ImageFormat,
    stats: &ImageStats,
) -> std::result::Result<(PathBuf, Option<Vec<u8>>), String> {
    let cache_dir = site_root.join(CACHE_DIR);
    let meta = std::fs::metadata(source).map_err(|e| e.to_string())?;
    let (modified, len) = (meta.modified().ok(), meta.len());
    let known = stats
        .lookup(source)
        .filter(|s| s.modified.is_some() && s.modified == modified && s.len == len)
        .and_then(|s| s.key);
    let (key, bytes) = match known {
        Some(key) => (key, None),
        None => {
            let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(SANITISER.as_bytes());
            h.update(&bytes);
            (h.digest128(), Some(bytes))
        }
    };
    let cached = cache_dir.join(format!("{key:032x}.{}", extension(format)));
    let mut made = None;
    if cached.is_file() {
        stats.reused.fetch_add(1, Ordering::Relaxed);
    } else {
        let bytes = match bytes {
            Some(b) => b,
            None => std::fs::read(source).map_err(|e| e.to_string())?,
        };
        let clean = sanitise(&bytes, format)?;
        super::write_cache(&cached, &clean).map_err(|e| e.to_string())?;
        stats.sanitised.fetch_add(1, Ordering::Relaxed);
        made = Some(clean);
    }
    let kind = FileKind::Raster(format);
    stats.remember(
        source,
        Seen {
            modified,
            len,
            kind,
            key: Some(key),
        },
    );
    Ok((cached, made))
}

/// After a successful pass: remove sanitised images no file uses any more.
pub fn prune(site_root: &Path, used: HashSet<PathBuf>, stats: &ImageStats) {
    let mut last_used = stats.last_used.lock().unwrap_or_else(|e| e.into_inner());
    if *last_used == used {
        return;
    }
    if let Ok(entries) = std::fs::read_dir(site_root.join(CACHE_DIR)) {
        for entry in entries.flatten() {
            let path = entry.path();
            if !used.contains(&path) {
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
    fn dicom_is_known_by_extension_or_marker() {
        assert_eq!(kind_of("dcm", b""), FileKind::Dicom);
        let mut head = vec![0u8; 128];
        head.extend_from_slice(b"DICM");
        assert_eq!(kind_of("png", &head), FileKind::Dicom);
        assert_eq!(kind_of("bin", &head), FileKind::Dicom);
    }

    #[test]
    fn images_are_known_by_bytes_before_name() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(kind_of("jpg", png), FileKind::Raster(ImageFormat::Png));
        assert_eq!(kind_of("", png), FileKind::Raster(ImageFormat::Png));
        assert_eq!(
            kind_of("gif", b"nonsense"),
            FileKind::Raster(ImageFormat::Gif)
        );
        assert_eq!(kind_of("svg", b"<svg"), FileKind::Svg);
        assert_eq!(kind_of("css", b"body{}"), FileKind::Other);
    }
}
