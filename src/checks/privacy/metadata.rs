//! What a raster image carries besides its pixels, from its own walk of JPEG segments, PNG
//! chunks, WebP chunks, GIF blocks and TIFF tags, with kamadak-exif for what an EXIF block (or a
//! TIFF file, which has the same structure) holds. For `radpress check`: the build publishes
//! every image without any of it.

/// The kinds of metadata in an image file, in file order, without repeats.
pub fn metadata_of(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut add = |s: String| {
        if !found.contains(&s) {
            found.push(s);
        }
    };
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_metadata(bytes, &mut add);
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_metadata(bytes, &mut add);
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp_metadata(bytes, &mut add);
    } else if bytes.starts_with(b"GIF8") {
        gif_metadata(bytes, &mut add);
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        tiff_metadata(bytes, &mut add);
    }
    found
}

fn jpeg_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        let end = (at + 2 + len).min(bytes.len());
        let data = &bytes[(at + 4).min(end)..end];
        match marker {
            0xE1 if data.starts_with(b"Exif\0\0") => add(exif_summary(&data[6..])),
            0xE1 if data.starts_with(b"http://ns.adobe.com/xap/1.0/") => add("XMP".into()),
            0xED => add("IPTC (Photoshop)".into()),
            0xFE => add("a JPEG comment".into()),
            _ => {}
        }
        at = end;
    }
}

fn png_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = &bytes[at + 4..at + 8];
        let start = at + 8;
        let end = start.saturating_add(len as usize).min(bytes.len());
        let data = &bytes[start..end];
        let keyword = String::from_utf8_lossy(data.split(|&b| b == 0).next().unwrap_or(&[]));
        match kind {
            b"iTXt" if keyword == "XML:com.adobe.xmp" => add("XMP".into()),
            b"tEXt" | b"zTXt" | b"iTXt" => add(format!(
                "PNG text chunk {} (\"{}\")",
                String::from_utf8_lossy(kind),
                keyword.chars().take(40).collect::<String>()
            )),
            b"eXIf" => add(exif_summary(data)),
            b"tIME" => add("PNG modification time (tIME)".into()),
            b"IEND" => break,
            _ => {}
        }
        at = end + 4;
    }
}

fn webp_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let kind = &bytes[at..at + 4];
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        let start = at + 8;
        let end = start.saturating_add(len as usize).min(bytes.len());
        match kind {
            b"EXIF" => {
                let data = &bytes[start..end];
                add(exif_summary(data.strip_prefix(b"Exif\0\0").unwrap_or(data)));
            }
            b"XMP " => add("XMP".into()),
            _ => {}
        }
        at = end + (len as usize & 1);
    }
}

fn gif_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let table = |flags: u8| {
        if flags & 0x80 != 0 {
            3usize << ((flags & 7) + 1)
        } else {
            0
        }
    };
    let Some(&flags) = bytes.get(10) else { return };
    let mut at = 13 + table(flags);
    // Sub-blocks: a length byte, that many bytes, until a zero length.
    let skip_blocks = |mut at: usize| {
        while let Some(&n) = bytes.get(at) {
            at += 1 + n as usize;
            if n == 0 {
                break;
            }
        }
        at
    };
    while let Some(&block) = bytes.get(at) {
        match block {
            0x21 => {
                let label = bytes.get(at + 1).copied().unwrap_or(0);
                if label == 0xFE {
                    add("a GIF comment".into());
                } else if label == 0xFF && bytes.get(at + 3..at + 14) == Some(b"XMP DataXMP") {
                    add("XMP".into());
                }
                at = skip_blocks(at + 2);
            }
            0x2C => {
                let Some(&flags) = bytes.get(at + 9) else {
                    return;
                };
                at = skip_blocks(at + 10 + table(flags) + 1);
            }
            _ => break,
        }
    }
}

/// "EXIF (GPS position, camera, date taken, …)": what of an EXIF block identifies someone.
fn exif_summary(tiff: &[u8]) -> String {
    let Ok(exif) = exif::Reader::new().read_raw(tiff.to_vec()) else {
        return "EXIF (unreadable)".into();
    };
    let parts = identifying_fields(&exif, true);
    let n = exif.fields().count();
    if parts.is_empty() {
        format!("EXIF ({n} fields)")
    } else {
        format!("EXIF ({}; {n} fields)", parts.join(", "))
    }
}

/// A TIFF file is itself the structure an EXIF block is made of: its tags hold the same GPS
/// position, dates, names and descriptions, and also XMP and IPTC. Tags that only describe the
/// pixels are not worth a word; every TIFF has them.
fn tiff_metadata(bytes: &[u8], add: &mut impl FnMut(String)) {
    let Ok(exif) = exif::Reader::new().read_raw(bytes.to_vec()) else {
        return add("TIFF tags (unreadable)".into());
    };
    let mut parts = identifying_fields(&exif, false);
    parts.retain(|p| *p != "orientation");
    let mut extra = Vec::new();
    for field in exif.fields() {
        match field.tag.number() {
            700 => extra.push("XMP"),
            33723 | 34377 => extra.push("IPTC (Photoshop)"),
            _ => {}
        }
    }
    if !parts.is_empty() {
        add(format!("TIFF tags ({})", parts.join(", ")));
    }
    extra.dedup();
    for e in extra {
        add(e.into());
    }
}

/// The kinds of identifying fields in an EXIF (or TIFF) structure, in file order.
fn identifying_fields(exif: &exif::Exif, thumbnails: bool) -> Vec<&'static str> {
    use exif::{Context, In, Tag};
    let mut parts: Vec<&str> = Vec::new();
    let mut note = |s| {
        if !parts.contains(&s) {
            parts.push(s);
        }
    };
    for field in exif.fields() {
        match field.tag {
            t if t.context() == Context::Gps => note("GPS position"),
            Tag::DateTimeOriginal | Tag::DateTimeDigitized | Tag::DateTime => note("dates"),
            Tag::Make | Tag::Model => note("camera make and model"),
            Tag::BodySerialNumber | Tag::LensSerialNumber | Tag::ImageUniqueID => {
                note("serial numbers")
            }
            Tag::CameraOwnerName | Tag::Artist | Tag::Copyright => note("names"),
            Tag::ImageDescription | Tag::UserComment => note("description or comment"),
            Tag::Software => note("software"),
            Tag::MakerNote => note("maker note"),
            // Windows' XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject.
            t if (0x9C9B..=0x9C9F).contains(&t.number()) => {
                note("Windows title, author or comment")
            }
            Tag::Orientation => note("orientation"),
            _ => {}
        }
        if thumbnails && field.ifd_num == In::THUMBNAIL {
            note("a thumbnail");
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_text_chunks_are_listed() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let data = b"Comment\0MRN 12345678";
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(b"tEXt");
        png.extend_from_slice(data);
        png.extend_from_slice(&[0; 4]);
        let found = metadata_of(&png);
        assert_eq!(found, vec!["PNG text chunk tEXt (\"Comment\")".to_string()]);
    }

    #[test]
    fn tiff_tags_that_identify_are_listed_and_a_sanitised_tiff_has_none() {
        use tiff::encoder::{TiffEncoder, colortype::Gray8};
        use tiff::tags::Tag;
        let mut tiff = Vec::new();
        {
            let mut enc = TiffEncoder::new(std::io::Cursor::new(&mut tiff)).unwrap();
            let mut img = enc.new_image::<Gray8>(4, 4).unwrap();
            img.encoder()
                .write_tag(Tag::ImageDescription, "Invented Patient")
                .unwrap();
            img.encoder()
                .write_tag(Tag::Unknown(700), &b"<x:xmpmeta/>"[..])
                .unwrap();
            img.write_data(&[90; 16]).unwrap();
        }
        assert_eq!(
            metadata_of(&tiff),
            vec![
                "TIFF tags (description or comment)".to_string(),
                "XMP".to_string()
            ]
        );
        let clean = crate::outputs::images::sanitise(&tiff, image::ImageFormat::Tiff).unwrap();
        assert_eq!(metadata_of(&clean), Vec::<String>::new());
    }
}
