//! What a published file is, from its name and its first bytes: DICOM, a raster image radpress
//! sanitises (JPEG, PNG, WebP, GIF, TIFF, BMP), an image it cannot sanitise (HEIC/HEIF, AVIF,
//! JPEG XL, JPEG 2000, Photoshop, camera raw), SVG, or anything else. The bytes win over the
//! name: an iPhone photo renamed `.jpg` is still HEIC.

use std::path::Path;

use image::ImageFormat;

/// Enough to see the DICOM marker (bytes 128..132) and every image format's magic bytes.
const HEAD_LEN: usize = 132;

/// What a published file is, for the privacy guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A DICOM file: never published.
    Dicom,
    /// A raster image to sanitise, in the format its bytes (or, failing that, its name) say.
    Raster(ImageFormat),
    /// An image radpress cannot decode, so cannot publish without its metadata: never published.
    Unsanitisable(Unsupported),
    /// SVG: text, scanned by the privacy rules; published through `svg::sanitise`.
    Svg,
    Other,
}

/// Image formats with metadata that radpress cannot decode (no pure-Rust decoder in the `image`
/// crate: HEIF and AVIF need libheif or dav1d, which are C).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    Heif,
    Avif,
    JpegXl,
    Jpeg2000,
    Photoshop,
    CameraRaw,
}

impl Unsupported {
    /// The format's name as the author knows it.
    pub fn name(self) -> &'static str {
        match self {
            Unsupported::Heif => "HEIC/HEIF image",
            Unsupported::Avif => "AVIF image",
            Unsupported::JpegXl => "JPEG XL image",
            Unsupported::Jpeg2000 => "JPEG 2000 image",
            Unsupported::Photoshop => "Photoshop document",
            Unsupported::CameraRaw => "camera raw image",
        }
    }
}

/// The kind of the file at `path`, from its name and its first bytes.
pub fn classify(path: &Path) -> std::io::Result<FileKind> {
    use std::io::Read;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut head = Vec::with_capacity(HEAD_LEN);
    crate::input::open(path)?
        .0
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)?;
    Ok(kind_of(&ext, &head))
}

/// The kind of a file from its lower-case extension and its first bytes (at least `HEAD_LEN` of
/// them when the file is that long). The bytes win over the name, except for camera raw files,
/// which are TIFF inside.
pub(crate) fn kind_of(ext: &str, head: &[u8]) -> FileKind {
    if matches!(ext, "dcm" | "dicom")
        || head.get(128..132) == Some(b"DICM")
        || dicom_without_preamble(head)
    {
        return FileKind::Dicom;
    }
    if let Some(u) = unsupported_by_bytes(head) {
        return FileKind::Unsanitisable(u);
    }
    if let Some(u) = unsupported_by_name(ext).filter(|u| *u == Unsupported::CameraRaw) {
        return FileKind::Unsanitisable(u);
    }
    if let Some(f) = sanitised_by_bytes(head) {
        return FileKind::Raster(f);
    }
    if let Some(u) = unsupported_by_name(ext) {
        return FileKind::Unsanitisable(u);
    }
    match ext {
        "jpg" | "jpeg" | "jpe" | "jfif" => FileKind::Raster(ImageFormat::Jpeg),
        "png" => FileKind::Raster(ImageFormat::Png),
        "webp" => FileKind::Raster(ImageFormat::WebP),
        "gif" => FileKind::Raster(ImageFormat::Gif),
        "tif" | "tiff" => FileKind::Raster(ImageFormat::Tiff),
        "bmp" | "dib" => FileKind::Raster(ImageFormat::Bmp),
        "svg" => FileKind::Svg,
        _ => FileKind::Other,
    }
}

/// A DICOM data set written without the 128-byte preamble and "DICM" (older PACS exports):
/// it starts straight with a group 0002 or 0008 element, little endian, with an explicit VR
/// (two capital letters) or, implicit, a plausible length.
fn dicom_without_preamble(head: &[u8]) -> bool {
    let Some(h) = head.get(..8) else {
        return false;
    };
    let group = u16::from_le_bytes([h[0], h[1]]);
    if group != 0x0002 && group != 0x0008 {
        return false;
    }
    let element = u16::from_le_bytes([h[2], h[3]]);
    let explicit = h[4].is_ascii_uppercase() && h[5].is_ascii_uppercase();
    let implicit_len = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
    element < 0x0100 && (explicit || implicit_len < 0x1000)
}

/// A format radpress sanitises, from the file's first bytes.
pub(crate) fn sanitised_by_bytes(head: &[u8]) -> Option<ImageFormat> {
    match image::guess_format(head).ok()? {
        f @ (ImageFormat::Jpeg
        | ImageFormat::Png
        | ImageFormat::WebP
        | ImageFormat::Gif
        | ImageFormat::Tiff) => Some(f),
        // "BM" alone starts plenty of text files: ask for a whole BMP file header too (reserved
        // bytes zero, a known DIB header size).
        ImageFormat::Bmp
            if head.get(6..10) == Some(&[0; 4])
                && head.get(14..18).is_some_and(|n| {
                    matches!(
                        u32::from_le_bytes([n[0], n[1], n[2], n[3]]),
                        12 | 40 | 52 | 56 | 64 | 108 | 124
                    )
                }) =>
        {
            Some(ImageFormat::Bmp)
        }
        _ => None,
    }
}

fn unsupported_by_bytes(head: &[u8]) -> Option<Unsupported> {
    // ISO base media files (HEIF, AVIF, Canon CR3): an `ftyp` box whose brands say what it is.
    if head.get(4..8) == Some(b"ftyp") {
        let size = head
            .get(0..4)
            .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        let end = (size as usize).min(head.len()).max(16);
        let major = head.get(8..12);
        let compatible = head.get(16..end).unwrap_or(&[]).chunks_exact(4);
        let brands: Vec<&[u8]> = major.into_iter().chain(compatible).collect();
        let has = |names: &[&[u8]]| brands.iter().any(|b| names.contains(b));
        if has(&[b"avif", b"avis"]) {
            return Some(Unsupported::Avif);
        }
        if has(&[
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1",
            b"mif2", b"msf1", b"heif",
        ]) {
            return Some(Unsupported::Heif);
        }
        if has(&[b"crx "]) {
            return Some(Unsupported::CameraRaw);
        }
        return None;
    }
    if head.starts_with(&[0xFF, 0x0A]) || head.starts_with(b"\0\0\0\x0cJXL \r\n\x87\n") {
        return Some(Unsupported::JpegXl);
    }
    if head.starts_with(b"\0\0\0\x0cjP  \r\n\x87\n") || head.starts_with(&[0xFF, 0x4F, 0xFF, 0x51])
    {
        return Some(Unsupported::Jpeg2000);
    }
    if head.starts_with(b"8BPS") {
        return Some(Unsupported::Photoshop);
    }
    None
}

fn unsupported_by_name(ext: &str) -> Option<Unsupported> {
    Some(match ext {
        "heic" | "heif" | "hif" | "heics" | "heifs" => Unsupported::Heif,
        "avif" | "avifs" => Unsupported::Avif,
        "jxl" => Unsupported::JpegXl,
        "jp2" | "j2k" | "j2c" | "jpf" | "jpx" | "jpm" => Unsupported::Jpeg2000,
        "psd" | "psb" => Unsupported::Photoshop,
        "dng" | "cr2" | "cr3" | "crw" | "nef" | "nrw" | "arw" | "srf" | "sr2" | "orf" | "rw2"
        | "raf" | "pef" | "srw" | "x3f" | "erf" | "3fr" | "rwl" | "iiq" => Unsupported::CameraRaw,
        _ => return None,
    })
}

/// The extension of a sanitised file in the cache.
pub(crate) fn extension(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        ImageFormat::Gif => "gif",
        ImageFormat::Tiff => "tif",
        ImageFormat::Bmp => "bmp",
        _ => "jpg",
    }
}

/// The MIME type of a sanitised image, for the data URLs written into SVG files.
pub(crate) fn mime_type(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "image/png",
        ImageFormat::WebP => "image/webp",
        ImageFormat::Gif => "image/gif",
        ImageFormat::Tiff => "image/tiff",
        ImageFormat::Bmp => "image/bmp",
        _ => "image/jpeg",
    }
}

pub(crate) fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Gif => "GIF",
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Bmp => "BMP",
        _ => "JPEG",
    }
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
        assert_eq!(
            kind_of("tif", b"II*\0\x08\0\0\0"),
            FileKind::Raster(ImageFormat::Tiff)
        );
        assert_eq!(
            kind_of("txt", b"MM\0*\0\0\0\x08"),
            FileKind::Raster(ImageFormat::Tiff)
        );
    }

    #[test]
    fn bmp_needs_a_whole_header_by_bytes() {
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0]);
        assert_eq!(kind_of("", &bmp), FileKind::Raster(ImageFormat::Bmp));
        assert_eq!(kind_of("txt", b"BMI tables for adults"), FileKind::Other);
        assert_eq!(kind_of("bmp", b"BMI"), FileKind::Raster(ImageFormat::Bmp));
    }

    #[test]
    fn images_radpress_cannot_sanitise_are_known_by_bytes_and_name() {
        let ftyp = |major: &[u8], compatible: &[u8]| {
            let mut b = ((16 + compatible.len()) as u32).to_be_bytes().to_vec();
            b.extend_from_slice(b"ftyp");
            b.extend_from_slice(major);
            b.extend_from_slice(&[0; 4]);
            b.extend_from_slice(compatible);
            b
        };
        let heif = FileKind::Unsanitisable(Unsupported::Heif);
        let avif = FileKind::Unsanitisable(Unsupported::Avif);
        assert_eq!(kind_of("heic", &ftyp(b"heic", b"mif1heic")), heif);
        assert_eq!(kind_of("jpg", &ftyp(b"heic", b"mif1heic")), heif);
        assert_eq!(kind_of("", &ftyp(b"mif1", b"mif1heic")), heif);
        assert_eq!(kind_of("png", &ftyp(b"avif", b"mif1miaf")), avif);
        assert_eq!(kind_of("", &ftyp(b"mif1", b"avifmif1")), avif);
        // A video is not an image format radpress knows.
        assert_eq!(kind_of("mp4", &ftyp(b"isom", b"isomiso2")), FileKind::Other);
        assert_eq!(kind_of("heic", b""), heif);
        assert_eq!(
            kind_of("jxl", b"\xff\x0a"),
            FileKind::Unsanitisable(Unsupported::JpegXl)
        );
        assert_eq!(
            kind_of("", b"\0\0\0\x0cJXL \r\n\x87\n"),
            FileKind::Unsanitisable(Unsupported::JpegXl)
        );
        assert_eq!(
            kind_of("", b"\0\0\0\x0cjP  \r\n\x87\n"),
            FileKind::Unsanitisable(Unsupported::Jpeg2000)
        );
        assert_eq!(
            kind_of("", b"8BPS\0\x01"),
            FileKind::Unsanitisable(Unsupported::Photoshop)
        );
        // Camera raw files are TIFF inside: their name decides.
        assert_eq!(
            kind_of("dng", b"II*\0\x08\0\0\0"),
            FileKind::Unsanitisable(Unsupported::CameraRaw)
        );
    }
}
