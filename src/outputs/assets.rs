//! Files published as they are: the theme's and the site's static files, page-bundle files,
//! other files under content/, and the generated code-highlighting stylesheet.

use super::{Body, OutputFile};
use crate::markdown::Markdown;
use crate::site::Site;
use crate::theme::{Source, Theme};

pub fn assets(site: &Site, theme: &Theme, _markdown: &Markdown) -> Vec<OutputFile> {
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
    if !theme.static_files.contains_key("/highlight.css") {
        out.push(OutputFile::bytes(
            "/highlight.css".into(),
            Markdown::highlight_css().into_bytes(),
            "highlight.css (generated)",
        ));
    }
    out
}

fn display(site: &Site, p: &std::path::Path) -> String {
    p.strip_prefix(&site.root)
        .unwrap_or(p)
        .display()
        .to_string()
}
