//! Atom feeds: one for the site, one for every taxonomy term and one for every person (what they
//! wrote). A quiz case's entry carries its
//! spoiler-free title and description only, never the answer.

use std::fmt::Write;

use super::OutputFile;
use crate::content::Page;
use crate::site::Site;

/// How many entries a feed holds.
const FEED_LIMIT: usize = 20;

pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

pub fn atom_feeds(site: &Site) -> Vec<OutputFile> {
    use rayon::prelude::*;
    // (path, title, entries): every feed is independent, so they are written in parallel.
    let mut specs: Vec<(String, String, &[usize])> = vec![(
        "/atom.xml".into(),
        site.config.title.clone(),
        &site.home_listing[..],
    )];
    for (slug, &i) in &site.people {
        let person = &site.pages[i];
        let written = site.authored.get(slug).map_or(&[][..], Vec::as_slice);
        let title = format!("{} · {}", site.config.title, person.title);
        specs.push((format!("{}atom.xml", person.path), title, written));
    }
    for tax in &site.taxonomies {
        for term in &tax.terms {
            let path = format!("/{}/{}/atom.xml", tax.name, term.slug);
            let title = format!("{} · {}: {}", site.config.title, tax.title, term.label);
            specs.push((path, title, &term.pages));
        }
    }
    specs
        .par_iter()
        .map(|(path, title, items)| feed(site, path, title, items))
        .collect()
}

fn feed(site: &Site, path: &str, title: &str, items: &[usize]) -> OutputFile {
    let c = &site.config;
    let entries: Vec<&Page> = items
        .iter()
        .map(|&i| &site.pages[i])
        .filter(|p| p.date.is_some())
        .take(FEED_LIMIT)
        .collect();
    let updated = entries
        .iter()
        .filter_map(|p| p.updated.as_ref().or(p.date.as_ref()))
        .map(|d| d.datetime.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let mut x = String::with_capacity(4096 + entries.len() * 2048);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_xml(&c.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", escape_xml(title));
    if !c.description.is_empty() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", escape_xml(&c.description));
    }
    let self_url = c.permalink(path);
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape_xml(&self_url)
    );
    let alternate = c.permalink(path.trim_end_matches("atom.xml"));
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape_xml(&alternate)
    );
    let _ = writeln!(x, "  <id>{}</id>", escape_xml(&self_url));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(
        x,
        "  <author><name>{}</name></author>",
        escape_xml(&c.brand.name)
    );
    let _ = writeln!(x, "  <generator>radpress</generator>");
    for p in entries {
        let published = p.date.as_ref().map_or("", |d| d.datetime.as_str());
        let updated = p
            .updated
            .as_ref()
            .map_or(published, |d| d.datetime.as_str());
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", escape_xml(&p.title));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape_xml(&p.permalink)
        );
        let _ = writeln!(x, "    <id>{}</id>", escape_xml(&p.permalink));
        let _ = writeln!(x, "    <published>{published}</published>");
        let _ = writeln!(x, "    <updated>{updated}</updated>");
        for slug in &p.authors {
            let name = site
                .person(slug)
                .map_or(slug.as_str(), |person| person.title.as_str());
            let _ = writeln!(x, "    <author><name>{}</name></author>", escape_xml(name));
        }
        for t in &p.tags {
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\"/>",
                escape_xml(&t.slug),
                escape_xml(&t.label)
            );
        }
        let _ = writeln!(x, "    <summary>{}</summary>", escape_xml(&p.description));
        let is_quiz = p.case.as_ref().is_some_and(|c| c.is_quiz);
        if !is_quiz && !p.content.is_empty() {
            let _ = writeln!(
                x,
                "    <content type=\"html\">{}</content>",
                escape_xml(&p.content)
            );
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    OutputFile::bytes(path.to_string(), x.into_bytes(), format!("feed {path}"))
}
