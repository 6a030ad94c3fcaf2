//! Files published as they are: the theme's and the site's static files, page-bundle files,
//! other files under content/, and the generated code-highlighting stylesheet. Raster images and
//! SVG files are published as sanitised copies; DICOM files and images radpress cannot sanitise
//! not at all (see `images` and `svg`).

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use super::images::{self, FileKind, ImageStats};
use super::{Body, OutputFile};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::Markdown;
use crate::site::Site;
use crate::theme::{Source, Theme};

pub fn assets(
    site: &Site,
    theme: &Theme,
    _markdown: &Markdown,
    image_stats: &ImageStats,
) -> Result<Vec<OutputFile>> {
    // In serve, after Markdown-only saves: the same files as last time.
    if let Some(out) = image_stats.published() {
        return Ok(out);
    }
    let mut out = published_files(site, theme);
    let results: Vec<std::result::Result<Option<PathBuf>, Diagnostic>> = out
        .par_iter_mut()
        .map(|file| sanitise_file(site, file, image_stats))
        .collect();
    let mut problems = Vec::new();
    let mut used = HashSet::new();
    for r in results {
        match r {
            Ok(cached) => used.extend(cached),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Site(problems));
    }
    images::prune(&site.root, used, image_stats);
    // DICOM files and images radpress cannot sanitise are reported by the privacy check and
    // never published.
    out.retain(|f| !f.path.is_empty());
    if !theme.static_files.contains_key("/highlight.css") {
        out.push(OutputFile::bytes(
            "/highlight.css".into(),
            Markdown::highlight_css().into_bytes(),
            "highlight.css (generated)",
        ));
    }
    image_stats.set_published(&out);
    Ok(out)
}

/// Point a raster image or an SVG at its sanitised copy; empty the path of a file that is never
/// published (dropped). Returns the cache file used.
fn sanitise_file(
    site: &Site,
    file: &mut OutputFile,
    stats: &ImageStats,
) -> std::result::Result<Option<PathBuf>, Diagnostic> {
    let Body::Copy(Source::Disk(source)) = &file.body else {
        return Ok(None);
    };
    let source = source.clone();
    let unreadable = |e: String| {
        Diagnostic::new(&file.origin, format!("the image could not be read: {e}"))
            .fix("open it in an image editor and export it again as PNG or JPEG, or remove it")
    };
    let cached = match stats.kind(&source).map_err(|e| unreadable(e.to_string()))? {
        FileKind::Dicom | FileKind::Unsanitisable(_) => None,
        FileKind::Raster(format) => {
            Some(images::sanitised_copy(&site.root, &source, format, stats).map_err(unreadable)?)
        }
        FileKind::Svg => images::sanitised_svg(&site.root, &source, stats).map_err(|p| {
            let d = Diagnostic::new(
                &file.origin,
                format!("the SVG could not be published: {}", p.message),
            )
            .fix(
                "open it in your SVG editor and save it again (as plain SVG, UTF-8), or \
                     replace what the message names",
            );
            match p.line {
                Some(line) => d.line(line),
                None => d,
            }
        })?,
        FileKind::Other => return Ok(None),
    };
    match &cached {
        Some(cached) => file.body = Body::Copy(Source::Disk(cached.clone())),
        None => file.path.clear(),
    }
    Ok(cached)
}

/// Every file of the site's and theme's static folders, page bundles and content/ that is
/// published as a copy, with its site path and origin.
pub fn published_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for (path, source) in &theme.static_files {
        let origin = match source {
            Source::Disk(p) => p
                .strip_prefix(&site.root)
                .unwrap_or(p)
                .display()
                .to_string(),
            Source::BuiltIn(_) => format!("themes/default/static{path} (built in)"),
        };
        out.push(OutputFile {
            path: path.clone(),
            body: Body::Copy(source.clone()),
            origin,
        });
    }
    for asset in &site.assets {
        out.push(OutputFile {
            path: asset.path.clone(),
            body: Body::Copy(Source::Disk(asset.source.clone())),
            origin: display(site, &asset.source),
        });
    }
    for page in &site.pages {
        for (source, path) in &page.assets {
            out.push(OutputFile {
                path: path.clone(),
                body: Body::Copy(Source::Disk(source.clone())),
                origin: display(site, source),
            });
        }
    }
    out
}

fn display(site: &Site, p: &std::path::Path) -> String {
    p.strip_prefix(&site.root)
        .unwrap_or(p)
        .display()
        .to_string()
}
