//! sitemap.xml and robots.txt.

use std::collections::HashMap;
use std::fmt::Write;

use super::OutputFile;
use super::feeds::escape_xml;
use crate::site::Site;

/// Every HTML page of the site except redirects and 404, with its last change for content pages.
pub fn sitemap(site: &Site, files: &[OutputFile]) -> Vec<OutputFile> {
    let lastmod: HashMap<String, &str> = site
        .pages
        .iter()
        .filter_map(|p| {
            let d = p.updated.as_ref().or(p.date.as_ref())?;
            Some((super::html_path(&p.path), d.ymd.as_str()))
        })
        .collect();
    let mut paths: Vec<&str> = files
        .iter()
        .filter(|f| f.path.ends_with("/index.html") && !f.origin.ends_with("(alias)"))
        .map(|f| f.path.as_str())
        .collect();
    paths.sort_unstable();
    let mut x = String::with_capacity(128 + paths.len() * 120);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for path in paths {
        let loc = site.config.permalink(path.trim_end_matches("index.html"));
        let _ = write!(x, "  <url><loc>{}</loc>", escape_xml(&loc));
        if let Some(d) = lastmod.get(path) {
            let _ = write!(x, "<lastmod>{d}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    vec![OutputFile::bytes(
        "/sitemap.xml".into(),
        x.into_bytes(),
        "sitemap",
    )]
}

pub fn robots(site: &Site) -> OutputFile {
    let text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.permalink("/sitemap.xml")
    );
    OutputFile::bytes("/robots.txt".into(), text.into_bytes(), "robots.txt")
}
