//! Footnotes: numbered in order of first appearance, with ids of their own (`fn-` plus the
//! fragment's prefix) so they never clash with heading ids or with another fragment's notes.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag};

use super::escape;
use super::toc::Ids;

struct Note {
    number: usize,
    id: String,
    ref_id: String,
    referenced: bool,
    /// Only the first citation carries `ref_id`, so ids stay unique when a note is cited twice.
    ref_written: bool,
}

/// The notes of one fragment, keyed by lowercased label (labels match case-insensitively).
pub(super) struct Footnotes {
    notes: HashMap<String, Note>,
}

impl Footnotes {
    /// Takes the notes' ids before any heading's, so a heading called "Fn 1" can never take one.
    pub(super) fn collect<'e, 'a: 'e>(
        events: impl Iterator<Item = &'e Event<'a>>,
        id_prefix: &str,
        ids: &mut Ids,
    ) -> Self {
        let mut notes: HashMap<String, Note> = HashMap::new();
        for event in events {
            let (label, is_reference) = match event {
                Event::FootnoteReference(label) => (label, true),
                Event::Start(Tag::FootnoteDefinition(label)) => (label, false),
                _ => continue,
            };
            let number = notes.len() + 1;
            let note = notes.entry(key(label)).or_insert_with(|| {
                let mut name = slug::slugify(label.as_ref());
                if name.is_empty() {
                    name = number.to_string();
                }
                Note {
                    number,
                    id: ids.unique(format!("fn-{id_prefix}{name}")),
                    ref_id: ids.unique(format!("fnref-{id_prefix}{name}")),
                    referenced: false,
                    ref_written: false,
                }
            });
            note.referenced |= is_reference;
        }
        Footnotes { notes }
    }

    /// The superscript number linking to the note.
    pub(super) fn reference(&mut self, label: &str) -> Option<String> {
        let note = self.notes.get_mut(&key(label))?;
        let mut html = String::from("<sup class=\"footnote-reference\"><a href=\"#");
        escape::push_html(&mut html, &note.id);
        html.push('"');
        if !note.ref_written {
            note.ref_written = true;
            html.push_str(" id=\"");
            escape::push_html(&mut html, &note.ref_id);
            html.push('"');
        }
        html.push('>');
        html.push_str(&note.number.to_string());
        html.push_str("</a></sup>");
        Some(html)
    }

    /// The opening of the note's `<div>`.
    pub(super) fn definition_start(&self, label: &str) -> String {
        let Some(note) = self.notes.get(&key(label)) else {
            return "<div class=\"footnote-definition\">".to_owned();
        };
        let mut html = String::from("<div class=\"footnote-definition\" id=\"");
        escape::push_html(&mut html, &note.id);
        html.push_str("\"><sup class=\"footnote-definition-label\">");
        html.push_str(&note.number.to_string());
        html.push_str("</sup>");
        html
    }

    /// The link from a note back to where it is first cited, if it is cited at all.
    pub(super) fn back_link(&self, label: &str) -> Option<String> {
        let note = self.notes.get(&key(label)).filter(|n| n.referenced)?;
        let mut html = String::from(" <a class=\"footnote-backref\" href=\"#");
        escape::push_html(&mut html, &note.ref_id);
        html.push_str("\" aria-label=\"Back to reference ");
        html.push_str(&note.number.to_string());
        html.push_str("\">↩</a>");
        Some(html)
    }
}

fn key(label: &str) -> String {
    label.to_lowercase()
}
