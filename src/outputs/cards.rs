//! Share cards: a 1200×630 PNG for every page (content pages, section listings, taxonomy list
//! and term pages, the search page), rendered from the theme's `card.svg`, a Tera template, with
//! resvg. Fonts come only from the theme's `fonts/`. What each card says is in `subject.rs`.
//!
//! Layout that SVG cannot do (wrapping a title into at most three lines with an ellipsis, sizing
//! the badge) is done here, with the theme's own font metrics, before the template is rendered.
//! A case's first image or a person's photo becomes the card's thumbnail as the site publishes
//! it, sanitised by the image pipeline (`thumbnail.rs`). Cards live in
//! `.radpress-cache/cards/<key>.png` at the site root, keyed by a hash of what goes into them
//! (`site_key`, `input_key`), and a build renders only the cards whose key has no file there.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use serde::Serialize;
use skrifa::MetadataProvider;
use tera::{Context, Value};

mod subject;
mod thumbnail;

pub use subject::{Subject, alt, alt_text};

use super::images::ImageStats;
use super::{Body, OutputFile};
use crate::content::Page;
use crate::error::{Diagnostic, Error, Result};
use crate::site::Site;
use crate::theme::{Source, Theme};

/// The card template's name in the theme.
pub const TEMPLATE: &str = "card.svg";
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Where rendered cards are kept between builds, under the site root.
pub const CACHE_DIR: &str = ".radpress-cache/cards";
/// Part of every cache key: a new renderer or new layout code renders every card again.
const RENDERER: &str = "radpress-cards-2 resvg-0.49";

/// Left edge of the text column, and its width with and without a thumbnail.
const TEXT_X: f32 = 80.0;
const TEXT_WIDTH: f32 = 1040.0;
const TEXT_WIDTH_THUMB: f32 = 620.0;
/// Title sizes tried in turn (px, most lines allowed at that size).
const TITLE_SIZES: [(f32, usize); 3] = [(72.0, 2), (62.0, 3), (54.0, 3)];
const TITLE_WEIGHT: u16 = 700;
const SUBTITLE_SIZE: f32 = 30.0;
const BADGE_SIZE: f32 = 22.0;
const BADGE_WEIGHT: u16 = 600;
const BYLINE_SIZE: f32 = 28.0;

/// How many cards a generation rendered and reused (for tests, the build summary and benches),
/// and, between builds of one process, which cards are known to be in the cache (so that a
/// rebuild does not look for 10,000 files again).
#[derive(Debug, Default)]
pub struct CardStats {
    pub rendered: AtomicUsize,
    pub reused: AtomicUsize,
    known: std::sync::Mutex<HashSet<u128>>,
    /// The cache files the last build used: when they are the same, there is nothing to prune.
    last_used: std::sync::Mutex<HashSet<PathBuf>>,
}

impl CardStats {
    pub fn reset(&self) {
        self.rendered.store(0, Ordering::Relaxed);
        self.reused.store(0, Ordering::Relaxed);
    }
}

/// The site path of a page's or listing's card: beside it, `/cases/x/` → `/cases/x/card.png`.
pub fn card_path(site_path: &str) -> String {
    format!("{site_path}card.png")
}

/// Whether `page` gets a generated card: the theme has a card template and the page does not set
/// its own (`[social] card_image`).
pub fn has_card(theme: &Theme, page: &Page) -> bool {
    theme.has(TEMPLATE) && page.social.card_image.is_none()
}

/// What a card shows, as template data (`card` in `card.svg`).
#[derive(Debug, Clone, Serialize)]
pub struct CardData {
    pub width: u32,
    pub height: u32,
    /// "case", "education", "post", "person", "page", "section", "taxonomy" (a taxonomy's list
    /// of terms), "term" (one term's listing) or "search".
    pub kind: String,
    pub badge: Option<Badge>,
    pub title: TextBlock,
    pub subtitle: Option<TextBlock>,
    /// Author name and credentials ("Dr Elena Marsh, MD FRCR"), or a person's credentials.
    pub byline: Option<String>,
    pub date: Option<String>,
    pub site_name: String,
    /// The site's host name, e.g. `radiology.example.org`.
    pub domain: String,
    pub colors: CardColors,
    /// Left edge of the text column and its width (narrower when there is a thumbnail).
    pub text_x: f32,
    pub text_width: f32,
    pub is_quiz: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub text: String,
    pub size: f32,
    /// Width of the text at `size` in the theme's font, for the pill behind it.
    pub text_width: f32,
}

/// Text wrapped to the column: at most a few lines, the last one ending in "…" when cut.
#[derive(Debug, Clone, Serialize)]
pub struct TextBlock {
    pub lines: Vec<String>,
    pub size: f32,
    pub line_height: f32,
    pub truncated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CardColors {
    pub primary: String,
    pub accent: String,
    /// Text on the primary colour: white or near-black, whichever contrasts more.
    pub ink: String,
    /// Text on the accent colour.
    pub accent_ink: String,
}

/// The theme's fonts, loaded into a font database, with their hash.
pub struct Fonts {
    db: Arc<usvg::fontdb::Database>,
    /// Family names, in file order; the first is the default (and `sans-serif`).
    pub families: Vec<String>,
    /// File names, for error messages.
    pub files: Vec<String>,
    hash: u64,
}

impl Fonts {
    pub fn load(theme: &Theme) -> Result<Fonts> {
        let mut db = usvg::fontdb::Database::new();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut files = Vec::new();
        for (name, source) in &theme.fonts {
            let lower = name.to_ascii_lowercase();
            if !(lower.ends_with(".otf") || lower.ends_with(".ttf") || lower.ends_with(".ttc")) {
                continue;
            }
            let bytes = match source {
                Source::BuiltIn(b) => b.to_vec(),
                Source::Disk(p) => {
                    crate::input::read(p, crate::input::FILE_LIMIT).map_err(|e| Error::io(p, e))?
                }
            };
            hasher.update(name.as_bytes());
            hasher.update(&bytes);
            db.load_font_data(bytes);
            files.push(name.clone());
        }
        let mut families: Vec<String> = Vec::new();
        for face in db.faces() {
            for (family, _) in &face.families {
                if !families.contains(family) {
                    families.push(family.clone());
                }
            }
        }
        if let Some(first) = families.first() {
            db.set_sans_serif_family(first.clone());
        }
        Ok(Fonts {
            db: Arc::new(db),
            families,
            files,
            hash: hasher.digest(),
        })
    }

    /// The face of the default family closest to `weight`.
    fn face(&self, weight: u16) -> Option<usvg::fontdb::ID> {
        let family = self.families.first()?;
        self.db
            .faces()
            .filter(|f| f.families.iter().any(|(n, _)| n == family))
            .filter(|f| f.style == usvg::fontdb::Style::Normal)
            .min_by_key(|f| (i32::from(f.weight.0) - i32::from(weight)).abs())
            .map(|f| f.id)
    }

    /// The advance width of `text` at `size` px in the default family at `weight`.
    pub fn measure(&self, text: &str, size: f32, weight: u16) -> f32 {
        let fallback = text.chars().count() as f32 * size * 0.55;
        let Some(id) = self.face(weight) else {
            return fallback;
        };
        self.db
            .with_face_data(id, |data, index| {
                let font = skrifa::FontRef::from_index(data, index).ok()?;
                let charmap = font.charmap();
                let metrics = font.glyph_metrics(
                    skrifa::instance::Size::new(size),
                    skrifa::instance::LocationRef::default(),
                );
                Some(
                    text.chars()
                        .map(|c| {
                            charmap
                                .map(c)
                                .and_then(|g| metrics.advance_width(g))
                                .unwrap_or(size * 0.55)
                        })
                        .sum::<f32>(),
                )
            })
            .flatten()
            .unwrap_or(fallback)
    }

    /// `text` broken into lines no wider than `width`, at most `max_lines`; when it does not fit,
    /// the last line ends with "…". Returns the lines and whether text was cut.
    pub fn wrap(
        &self,
        text: &str,
        width: f32,
        size: f32,
        weight: u16,
        max_lines: usize,
    ) -> (Vec<String>, bool) {
        let fits = |s: &str| self.measure(s, size, weight) <= width;
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if fits(&candidate) {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // A word wider than the column is broken where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if !fits(&piece) && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            current = piece;
        }
        if !current.is_empty() {
            lines.push(current);
        }
        if lines.len() <= max_lines {
            return (lines, false);
        }
        lines.truncate(max_lines);
        let last = lines.last_mut().expect("max_lines > 0");
        let mut words: Vec<&str> = last.split(' ').collect();
        loop {
            let candidate = format!(
                "{}…",
                words.join(" ").trim_end_matches([',', ';', ':', '.'])
            );
            if fits(&candidate) || words.len() <= 1 {
                let mut candidate = candidate;
                while !fits(&candidate) && candidate.chars().count() > 1 {
                    candidate.pop();
                    candidate.pop();
                    candidate.push('…');
                }
                *last = candidate;
                break;
            }
            words.pop();
        }
        (lines, true)
    }

    fn usvg_options(&self) -> usvg::Options<'static> {
        let mut opt = usvg::Options {
            fontdb: self.db.clone(),
            font_family: self.families.first().cloned().unwrap_or_default(),
            ..usvg::Options::default()
        };
        // Images only from data: URIs in the card itself, never from files or the web.
        opt.image_href_resolver.resolve_string = Box::new(|_, _| None);
        opt
    }
}

/// A rendered card's SVG source and where it goes.
pub struct CardSource {
    pub site_path: String,
    pub svg: String,
    pub origin: String,
}

/// Every card of the site, reused from the cache when their inputs are unchanged, rendered in
/// parallel otherwise. Thumbnails come from the image pipeline's cache (`images`), which the
/// published copies of the same images use.
pub fn cards(
    site: &Site,
    theme: &Theme,
    stats: &CardStats,
    images: &ImageStats,
) -> Result<Vec<OutputFile>> {
    if !theme.has(TEMPLATE) {
        return Ok(Vec::new());
    }
    let fonts = Fonts::load(theme)?;
    let logo = logo_href(site, theme);
    let subjects = subject::all(site, theme);
    let options = fonts.usvg_options();
    let cache_dir = site.root.join(CACHE_DIR);
    let shared_key = site_key(site, theme, &fonts, logo.as_deref());
    let known = std::mem::take(&mut *stats.known.lock().unwrap_or_else(|e| e.into_inner()));
    let results: Vec<Result<(OutputFile, PathBuf, u128)>> = subjects
        .par_iter()
        .map(|subject| {
            // The key hashes what goes into the card without rendering its SVG (the SVG embeds
            // the logo and thumbnail, and building it is most of a warm card's cost).
            let key = input_key(site, theme, shared_key, subject);
            let cached = cache_dir.join(format!("{key:032x}.png"));
            let (site_path, origin) = (card_path(&subject.path()), subject::origin(subject));
            if known.contains(&key) || cached.is_file() {
                stats.reused.fetch_add(1, Ordering::Relaxed);
            } else {
                let source = card_source(site, theme, &fonts, logo.as_deref(), subject, images)?;
                let png = render_svg(&source.svg, &options, &fonts, theme)?;
                super::write_cache(&cached, &png)?;
                stats.rendered.fetch_add(1, Ordering::Relaxed);
            }
            let file = OutputFile {
                path: site_path,
                body: Body::Cached(cached.clone()),
                origin,
            };
            Ok((file, cached, key))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    let mut keep = HashSet::new();
    let mut now_known = HashSet::new();
    for r in results {
        match r {
            Ok((file, cached, key)) => {
                keep.insert(cached);
                now_known.insert(key);
                files.push(file);
            }
            Err(Error::Site(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    // A broken template breaks every card the same way: report it once.
    problems.dedup_by(|a, b| a.file == b.file && a.message == b.message);
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    *stats.known.lock().unwrap_or_else(|e| e.into_inner()) = now_known;
    let mut last_used = stats.last_used.lock().unwrap_or_else(|e| e.into_inner());
    if *last_used != keep
        && let Some(_prune) = crate::cache::may_prune(&site.root)
    {
        prune(&cache_dir, &keep);
        *last_used = keep;
    }
    Ok(files)
}

/// Remove cards no page uses any more, so the cache does not grow without bound.
fn prune(dir: &Path, keep: &HashSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(crate::cache::is_entry_name);
        if ours && !keep.contains(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// What every card depends on: the renderer, the radpress version (labels and layout code), the
/// fonts, the templates, the site's configuration (brand, colours, title) and the logo.
fn site_key(site: &Site, theme: &Theme, fonts: &Fonts, logo: Option<&str>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(RENDERER.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&fonts.hash.to_le_bytes());
    h.update(&theme.version.to_le_bytes());
    h.update(format!("{:?}", site.config).as_bytes());
    h.update(logo.unwrap_or_default().as_bytes());
    h.digest()
}

/// The cache key of one card: the site-wide key, and the card's own inputs: the page's text (its
/// version), its authors' pages, and its thumbnail (the file's path, modification time and size,
/// the image sanitiser's version and the thumbnail settings); or, for any other page, the words
/// on its card.
fn input_key(site: &Site, theme: &Theme, shared: u64, subject: &Subject) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(shared);
    match subject {
        Subject::Page(page) => {
            h.update(page.path.as_bytes());
            h.update(&page.version.to_le_bytes());
            for slug in &page.authors {
                h.update(slug.as_bytes());
                if let Some(person) = site.person(slug) {
                    h.update(&person.version.to_le_bytes());
                }
            }
            if let Some(file) = thumbnail::file(site, theme, page)
                && let Ok(meta) = std::fs::metadata(&file)
            {
                h.update(file.as_os_str().as_encoded_bytes());
                h.update(&meta.len().to_le_bytes());
                if let Ok(t) = meta.modified() {
                    h.update(format!("{t:?}").as_bytes());
                }
                h.update(super::images::SANITISER.as_bytes());
                h.update(thumbnail::VERSION.as_bytes());
            }
        }
        other => {
            use std::hash::Hash;
            other.path().hash(&mut h);
            subject::words(site, other).hash(&mut h);
        }
    }
    h.digest128()
}

/// The card of one page (a content file such as `content/cases/x/index.md`, or a site path such
/// as `/cases/x/`, `/modality/mri/` or `/search/`): its SVG source and PNG bytes, for
/// `radpress card`.
pub fn render_one(site: &Site, theme: &Theme, page: &str) -> Result<(CardSource, Vec<u8>)> {
    if !theme.has(TEMPLATE) {
        return Err(Error::Usage(format!(
            "the theme has no {TEMPLATE} template, so pages get no share card"
        )));
    }
    let wanted = page.trim_start_matches("./");
    let as_path = format!("/{}/", wanted.trim_matches('/'));
    let subject = if let Some(p) = site.pages.iter().find(|p| {
        p.file == Path::new(wanted) || p.path == as_path || p.path == wanted || p.url == wanted
    }) {
        Subject::Page(p)
    } else if let Some(s) = site.sections.iter().find(|s| {
        s.section.path == as_path
            || (wanted == "/" && s.section.path == "/")
            || s.section.file.as_deref() == Some(Path::new(wanted))
    }) {
        Subject::Section(s)
    } else if let Some(s) = subject::all(site, theme)
        .into_iter()
        .find(|s| !matches!(s, Subject::Page(_)) && s.path() == as_path)
    {
        s
    } else {
        return Err(Error::Usage(format!(
            "no page `{page}`: give a content file (content/cases/x/index.md) or a site path (/cases/x/, /modality/mri/)"
        )));
    };
    let fonts = Fonts::load(theme)?;
    let logo = logo_href(site, theme);
    let images = ImageStats::default();
    let source = card_source(site, theme, &fonts, logo.as_deref(), &subject, &images)?;
    let png = render_svg(&source.svg, &fonts.usvg_options(), &fonts, theme)?;
    Ok((source, png))
}

/// `radpress card PAGE`: load the site at `root` (no other output is rendered) and render one
/// page's card.
pub fn render_page_card(
    root: &Path,
    page: &str,
    publish: crate::Publish,
) -> Result<(CardSource, Vec<u8>)> {
    let (site, theme) = crate::load_site(root, publish)?;
    render_one(&site, &theme, page)
}

/// The card's SVG source for a page (no rendering): what tests check for spoilers and for what
/// the thumbnail carries.
pub fn page_svg(site: &Site, theme: &Theme, page: &Page) -> Result<String> {
    let fonts = Fonts::load(theme)?;
    let logo = logo_href(site, theme);
    let images = ImageStats::default();
    let subject = Subject::Page(page);
    Ok(card_source(site, theme, &fonts, logo.as_deref(), &subject, &images)?.svg)
}

fn card_source(
    site: &Site,
    theme: &Theme,
    fonts: &Fonts,
    logo: Option<&str>,
    subject: &Subject,
    images: &ImageStats,
) -> Result<CardSource> {
    let words = subject::words(site, subject);
    let thumb = match subject {
        Subject::Page(page) => thumbnail::data_uri(site, theme, page, images),
        _ => None,
    };
    let text_width = if thumb.is_some() {
        TEXT_WIDTH_THUMB
    } else {
        TEXT_WIDTH
    };
    let mut title_block = None;
    for (size, max_lines) in TITLE_SIZES {
        let (lines, truncated) =
            fonts.wrap(&words.title, text_width, size, TITLE_WEIGHT, max_lines);
        let done = !truncated || size == TITLE_SIZES[TITLE_SIZES.len() - 1].0;
        title_block = Some(TextBlock {
            lines,
            size,
            line_height: (size * 1.14).round(),
            truncated,
        });
        if done {
            break;
        }
    }
    let title_block = title_block.expect("at least one title size");
    // Room for a subtitle under a title of one or two lines only.
    let subtitle = words
        .subtitle
        .filter(|_| title_block.lines.len() <= 2)
        .map(|s| {
            let max = if title_block.lines.len() == 1 { 2 } else { 1 };
            let (lines, truncated) = fonts.wrap(&s, text_width, SUBTITLE_SIZE, 400, max);
            TextBlock {
                lines,
                size: SUBTITLE_SIZE,
                line_height: (SUBTITLE_SIZE * 1.3).round(),
                truncated,
            }
        });
    let badge = words.badge.map(|text| {
        let (lines, _) = fonts.wrap(&text, text_width - 48.0, BADGE_SIZE, BADGE_WEIGHT, 1);
        let text = lines.into_iter().next().unwrap_or_default();
        Badge {
            text_width: fonts.measure(&text, BADGE_SIZE, BADGE_WEIGHT).ceil(),
            text,
            size: BADGE_SIZE,
        }
    });
    let byline_text = words.byline.map(|b| {
        let (lines, _) = fonts.wrap(&b, 560.0, BYLINE_SIZE, 600, 1);
        lines.into_iter().next().unwrap_or_default()
    });
    let colors = &site.config.brand.colors;
    let data = CardData {
        width: WIDTH,
        height: HEIGHT,
        kind: words.kind,
        badge,
        title: title_block,
        subtitle,
        byline: byline_text,
        date: words.date,
        site_name: site.config.brand.name.clone(),
        domain: domain(&site.config.base_url),
        colors: CardColors {
            primary: colors.primary.clone(),
            accent: colors.accent.clone(),
            ink: ink_on(&colors.primary).into(),
            accent_ink: ink_on(&colors.accent).into(),
        },
        text_x: TEXT_X,
        text_width,
        is_quiz: words.is_quiz,
    };
    let mut ctx = Context::new();
    ctx.insert("card", &data);
    // Data URIs are inserted as they are (base64 needs no escaping, and escaping would be slow).
    ctx.insert_value("logo", logo.map_or_else(Value::none, Value::safe_string));
    ctx.insert_value(
        "thumbnail",
        thumb
            .as_deref()
            .map_or_else(Value::none, Value::safe_string),
    );
    let origin = subject::origin(subject);
    let svg = theme.render(TEMPLATE, &ctx, Some(Path::new(&origin)))?;
    Ok(CardSource {
        site_path: card_path(&subject.path()),
        svg,
        origin,
    })
}

fn domain(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest).to_string()
}

/// White or near-black, whichever contrasts more with `#rrggbb` (WCAG relative luminance).
fn ink_on(color: &str) -> &'static str {
    let hex = color.trim_start_matches('#');
    let channel = |i: usize| {
        let v = u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    let white = 1.05 / (l + 0.05);
    let dark = (l + 0.05) / (0.0145 + 0.05);
    if white >= dark { "#ffffff" } else { "#111827" }
}

/// The brand logo (site.toml `[brand] logo`, a file of the site's or theme's static/) as a data
/// URI, when it is an SVG, PNG or JPEG.
fn logo_href(site: &Site, theme: &Theme) -> Option<String> {
    let logo = site.config.brand.logo.as_ref()?;
    let path = if logo.starts_with('/') {
        logo.clone()
    } else {
        format!("/{logo}")
    };
    let bytes = match theme.static_files.get(&path)? {
        Source::BuiltIn(b) => b.to_vec(),
        Source::Disk(p) => crate::input::read(p, crate::input::FILE_LIMIT).ok()?,
    };
    data_uri(&path, &bytes)
}

fn data_uri(name: &str, bytes: &[u8]) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let mime = if lower.ends_with(".svg") {
        "image/svg+xml"
    } else if lower.ends_with(".png") {
        "image/png"
    } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "image/jpeg"
    } else {
        return None;
    };
    Some(format!("data:{mime};base64,{}", base64(bytes)))
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Check the card's fonts, then render it to PNG bytes.
pub fn render_svg(
    svg: &str,
    options: &usvg::Options,
    fonts: &Fonts,
    theme: &Theme,
) -> Result<Vec<u8>> {
    let file = theme
        .template_files
        .get(TEMPLATE)
        .cloned()
        .unwrap_or_else(|| format!("templates/{TEMPLATE}"));
    let fail =
        |message: String, fix: String| Error::Site(vec![Diagnostic::new(&file, message).fix(fix)]);
    let texts = check_fonts(svg, fonts).map_err(|(line, message)| {
        Error::Site(vec![
            Diagnostic::new(&file, message)
                .at(line, 1)
                .fix(available(fonts)),
        ])
    })?;
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| {
        fail(
            format!("the rendered card is not valid SVG: {e}"),
            "check the markup of the card template (every element closed, attributes quoted)"
                .into(),
        )
    })?;
    let drawn = count_text(tree.root());
    if drawn < texts {
        return Err(fail(
            format!(
                "{} of the card's {texts} text elements produced no glyphs and would be dropped silently",
                texts - drawn
            ),
            available(fonts),
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).expect("card size is not zero");
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    encode_png(&pixmap)
        .map_err(|e| fail(format!("cannot encode the card as PNG: {e}"), String::new()))
}

fn available(fonts: &Fonts) -> String {
    if fonts.families.is_empty() {
        "the theme has no fonts: put .otf or .ttf files (with their licence) in its fonts/ folder"
            .into()
    } else {
        format!(
            "use a family the theme ships: {} (files in the theme's fonts/: {}), or add the font's file there",
            fonts.families.join(", "),
            fonts.files.join(", ")
        )
    }
}

/// Opaque RGB PNG (a card has no transparency): smaller and faster than tiny-skia's RGBA.
fn encode_png(pixmap: &tiny_skia::Pixmap) -> std::result::Result<Vec<u8>, String> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::with_capacity(128 * 1024);
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

fn count_text(group: &usvg::Group) -> usize {
    group
        .children()
        .iter()
        .map(|node| match node {
            usvg::Node::Group(g) => count_text(g),
            usvg::Node::Text(_) => 1,
            _ => 0,
        })
        .sum()
}

/// Every `<text>` with visible characters must name (or inherit) a font-family the theme ships;
/// resvg would drop it silently otherwise. Returns how many such text elements there are, or the
/// line of the first offender and a message.
fn check_fonts(svg: &str, fonts: &Fonts) -> std::result::Result<usize, (usize, String)> {
    let doc = usvg::roxmltree::Document::parse(svg).map_err(|e| {
        (
            e.pos().row as usize,
            format!("the rendered card is not valid SVG: {e}"),
        )
    })?;
    let known: HashSet<String> = fonts.families.iter().map(|f| f.to_lowercase()).collect();
    let default = fonts.families.first().map(|f| f.to_lowercase());
    let mut count = 0;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if !matches!(name, "text" | "tspan" | "textPath") {
            continue;
        }
        let own_text = node
            .children()
            .any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()));
        if name == "text"
            && node
                .descendants()
                .any(|c| c.is_text() && c.text().is_some_and(|t| !t.trim().is_empty()))
        {
            count += 1;
        }
        if !own_text {
            continue;
        }
        let family = node.ancestors().find_map(font_family_of);
        let Some(family) = family else {
            if default.is_some() {
                continue;
            }
            let line = doc.text_pos_at(node.range().start).row as usize;
            return Err((
                line,
                "the card's text names no font-family and the theme ships no font".into(),
            ));
        };
        let matched = family.split(',').any(|f| {
            let f = f.trim().trim_matches(['"', '\'']).to_lowercase();
            known.contains(&f) || (f == "sans-serif" && default.is_some())
        });
        if !matched {
            let line = doc.text_pos_at(node.range().start).row as usize;
            let text: String = node
                .descendants()
                .filter_map(|c| c.text())
                .collect::<String>()
                .chars()
                .take(40)
                .collect();
            return Err((
                line,
                format!(
                    "font-family `{}` matches none of the theme's fonts, so resvg would silently leave out the text \"{}\" (line {line} of the rendered card)",
                    family.trim(),
                    text.trim()
                ),
            ));
        }
    }
    Ok(count)
}

fn font_family_of(node: usvg::roxmltree::Node) -> Option<String> {
    if let Some(style) = node.attribute("style") {
        for decl in style.split(';') {
            if let Some((k, v)) = decl.split_once(':')
                && k.trim() == "font-family"
            {
                return Some(v.trim().to_string());
            }
        }
    }
    node.attribute("font-family").map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn ink_contrasts_with_the_background() {
        assert_eq!(ink_on("#0b4f8a"), "#ffffff");
        assert_eq!(ink_on("#ffd700"), "#111827");
    }

    #[test]
    fn domain_is_the_host() {
        assert_eq!(
            domain("https://radiology.example.org"),
            "radiology.example.org"
        );
        assert_eq!(domain("https://x.org/sub"), "x.org");
    }
}
