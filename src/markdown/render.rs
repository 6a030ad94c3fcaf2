//! One Markdown fragment to `Rendered`: rewrites pulldown-cmark's events (heading ids, anchors,
//! footnote ids, figures, highlighted code, link rel) and lets pulldown-cmark write the HTML.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use super::footnotes::Footnotes;
use super::highlight::Highlighter;
use super::plain::{Lines, PlainText};
use super::raw_html;
use super::toc::{self, Ids};
use super::{
    ImageRef, LinkRef, MarkdownProblem, RenderOptions, Rendered, TocEntry, escape, highlight, links,
};

/// The line that ends a page's summary.
const MORE: &str = "<!-- more -->";

pub(super) fn render(
    highlighter: &Highlighter,
    src: &str,
    opts: &RenderOptions,
) -> Result<Rendered, Vec<MarkdownProblem>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(src, options).into_offset_iter().collect();
    let mut r = Renderer::new(highlighter, src, *opts, events);
    r.run();
    r.finish()
}

struct Renderer<'a, 's> {
    highlighter: &'s Highlighter,
    /// The Markdown source, for checking raw HTML as written.
    src: &'a str,
    opts: RenderOptions<'s>,
    events: Vec<(Event<'a>, Range<usize>)>,
    out: Vec<Event<'a>>,
    src_len: usize,
    lines: Lines<'a>,
    ids: Ids,
    footnotes: Footnotes,
    text: PlainText,
    /// Like `text`, without table content: what readability scores.
    prose: PlainText,
    /// Open tables around the current event.
    in_table: usize,
    toc: Vec<TocEntry>,
    links: Vec<LinkRef>,
    images: Vec<ImageRef>,
    problems: Vec<MarkdownProblem>,
    /// Open tags around the current event.
    depth: usize,
    /// The anchor link to write before the open heading closes.
    heading_anchor: Option<String>,
    /// Labels of the open footnote definitions, and whether their back link is written.
    open_notes: Vec<(String, bool)>,
    open_paragraph: Option<usize>,
    first_paragraph: Option<Range<usize>>,
    /// Index in `out` where `<!-- more -->` starts.
    more_at: Option<usize>,
}

impl<'a, 's> Renderer<'a, 's> {
    fn new(
        highlighter: &'s Highlighter,
        src: &'a str,
        opts: RenderOptions<'s>,
        events: Vec<(Event<'a>, Range<usize>)>,
    ) -> Self {
        let mut ids = Ids::default();
        let footnotes = Footnotes::collect(events.iter().map(|(e, _)| e), opts.id_prefix, &mut ids);
        Renderer {
            highlighter,
            src,
            footnotes,
            opts,
            out: Vec::with_capacity(events.len() + 8),
            events,
            src_len: src.len(),
            lines: Lines::new(src),
            ids,
            text: PlainText::default(),
            prose: PlainText::default(),
            in_table: 0,
            toc: Vec::new(),
            links: Vec::new(),
            images: Vec::new(),
            problems: Vec::new(),
            depth: 0,
            heading_anchor: None,
            open_notes: Vec::new(),
            open_paragraph: None,
            first_paragraph: None,
            more_at: None,
        }
    }

    fn take(&mut self, i: usize) -> Event<'a> {
        std::mem::replace(&mut self.events[i].0, Event::Rule)
    }

    /// Index of the `End` that closes the `Start` at `start` (or the end of the events).
    fn matching_end(&self, start: usize) -> usize {
        let mut nesting = 0usize;
        for (i, (event, _)) in self.events.iter().enumerate().skip(start + 1) {
            match event {
                Event::Start(_) => nesting += 1,
                Event::End(_) if nesting == 0 => return i,
                Event::End(_) => nesting -= 1,
                _ => {}
            }
        }
        self.events.len()
    }

    /// Text and inline code between two event indexes, leaving out images' alt text when the
    /// caller wants prose only.
    fn inner_text(&self, range: Range<usize>, with_images: bool) -> String {
        let mut text = String::new();
        let mut in_image = 0usize;
        for (event, _) in self.events.get(range).unwrap_or_default() {
            match event {
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                Event::Text(t) | Event::Code(t) if with_images || in_image == 0 => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        text
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.events.len() {
            i = self.step(i);
        }
    }

    /// Handles the event at `i` and returns the index of the next one to handle.
    fn step(&mut self, i: usize) -> usize {
        match &self.events[i].0 {
            // A block of HTML is checked whole (a tag may span its lines); inline HTML is one
            // tag, or a comment.
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) if !self.opts.trusted_html => {
                self.check_raw_html(self.events[i].1.clone());
            }
            Event::Start(Tag::CodeBlock(_)) => return self.code_block(i),
            Event::Start(Tag::Image { .. }) => return self.image(i, false),
            Event::Start(Tag::Paragraph) => {
                if let Some(next) = self.figure(i) {
                    return next;
                }
            }
            _ => {}
        }
        let event = self.take(i);
        match event {
            Event::Start(tag) => self.start(i, tag),
            Event::End(tag) => self.end(i, tag),
            Event::Text(t) => {
                self.push_text(&t);
                self.out.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.push_text(&t);
                self.out.push(Event::Code(t));
            }
            Event::SoftBreak => {
                self.push_text(" ");
                self.out.push(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.push_text("\n");
                self.out.push(Event::HardBreak);
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            other => self.out.push(other),
        }
        i + 1
    }

    /// Plain text for `text`, and for `prose` unless inside a table.
    fn push_text(&mut self, s: &str) {
        self.text.push(s);
        if self.in_table == 0 {
            self.prose.push(s);
        }
    }

    /// The next plain text starts a new block.
    fn text_block(&mut self) {
        self.text.block();
        self.prose.block();
    }

    fn start(&mut self, i: usize, tag: Tag<'a>) {
        if is_block(&tag) {
            self.text_block();
        }
        let at_top = self.depth == 0;
        self.depth += 1;
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let title = self.inner_text(i + 1..self.matching_end(i), false);
                let title = title.trim().to_owned();
                let id = match id {
                    Some(id) => {
                        self.ids.claim(&id);
                        id.to_string()
                    }
                    None => {
                        let slug = slug::slugify(&title);
                        let slug = if slug.is_empty() {
                            "section".to_owned()
                        } else {
                            slug
                        };
                        self.ids.unique(format!("{}{slug}", self.opts.id_prefix))
                    }
                };
                self.toc.push(TocEntry {
                    level: level as u8,
                    id: id.clone(),
                    title,
                    children: Vec::new(),
                });
                self.heading_anchor = Some(id.clone());
                let id = Some(CowStr::from(id));
                self.out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Tag::Paragraph => {
                if at_top && self.first_paragraph.is_none() {
                    self.open_paragraph = Some(self.out.len());
                }
                self.out.push(Event::Start(Tag::Paragraph));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.link(i, link_type, &dest_url, &title),
            Tag::FootnoteDefinition(label) => self.footnote_definition(&label),
            Tag::HtmlBlock => {
                let is_more =
                    matches!(self.events.get(i + 1), Some((Event::Html(h), _)) if h.trim() == MORE);
                if at_top && is_more && self.more_at.is_none() {
                    self.more_at = Some(self.out.len());
                }
                self.out.push(Event::Start(Tag::HtmlBlock));
            }
            Tag::Table(align) => {
                self.in_table += 1;
                // Lets wide tables scroll sideways on phones instead of widening the page.
                self.out.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\">\n",
                )));
                self.out.push(Event::Start(Tag::Table(align)));
            }
            Tag::TableCell => {
                self.text.cell();
                self.out.push(Event::Start(Tag::TableCell));
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, i: usize, tag: TagEnd) {
        if is_block_end(tag) {
            self.text_block();
        }
        self.depth = self.depth.saturating_sub(1);
        match tag {
            TagEnd::Heading(_) => {
                if let Some(id) = self.heading_anchor.take() {
                    let mut a = String::from(" <a class=\"anchor\" href=\"#");
                    escape::push_html(&mut a, &id);
                    a.push_str("\" aria-label=\"Link to this section\">#</a>");
                    self.out.push(Event::InlineHtml(a.into()));
                }
                self.out.push(Event::End(tag));
            }
            TagEnd::Paragraph => {
                // The back link sits inside the note's last paragraph, as on GitHub.
                let closes_note = matches!(
                    self.events.get(i + 1),
                    Some((Event::End(TagEnd::FootnoteDefinition), _))
                );
                if closes_note {
                    self.push_back_link();
                }
                self.out.push(Event::End(tag));
                if self.depth == 0
                    && let Some(start) = self.open_paragraph.take()
                {
                    self.first_paragraph = Some(start..self.out.len());
                }
            }
            TagEnd::Link => self.out.push(Event::InlineHtml(CowStr::Borrowed("</a>"))),
            TagEnd::FootnoteDefinition => {
                self.push_back_link();
                self.open_notes.pop();
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            TagEnd::Table => {
                self.in_table = self.in_table.saturating_sub(1);
                self.out.push(Event::End(tag));
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            other => self.out.push(Event::End(other)),
        }
    }

    fn code_block(&mut self, i: usize) -> usize {
        let end = self.matching_end(i);
        let lang = match &self.events[i].0 {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => highlight::language(info),
            _ => None,
        };
        let mut code = String::new();
        for (event, _) in self.events.get(i + 1..end).unwrap_or_default() {
            if let Event::Text(t) = event {
                code.push_str(t);
            }
        }
        let html = self.highlighter.code_block(lang, &code);
        self.text_block();
        self.out.push(Event::Html(html.into()));
        end + 1
    }

    /// A paragraph holding nothing but one image becomes a `<figure>`; returns the next index.
    fn figure(&mut self, i: usize) -> Option<usize> {
        if !matches!(
            self.events.get(i + 1),
            Some((Event::Start(Tag::Image { .. }), _))
        ) {
            return None;
        }
        let image_end = self.matching_end(i + 1);
        if !matches!(
            self.events.get(image_end + 1),
            Some((Event::End(TagEnd::Paragraph), _))
        ) {
            return None;
        }
        self.text_block();
        self.image(i + 1, true);
        Some(image_end + 2)
    }

    /// Writes an `<img>` (in a `<figure>` when `figure`), records it, and returns the next index.
    fn image(&mut self, i: usize, figure: bool) -> usize {
        let end = self.matching_end(i);
        let (src, title) = match &self.events[i].0 {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => (dest_url.to_string(), title.to_string()),
            _ => return i + 1,
        };
        let alt = self.inner_text(i + 1..end, true);
        self.check_url(i, &src, true);
        let (line, column) = self.lines.position(self.events[i].1.start);
        let line = self.file_line(line);
        if alt.trim().is_empty() {
            self.problems.push(MarkdownProblem {
                line,
                column,
                message: format!("image `{src}` has no alt text"),
                fix: format!("describe what the image shows between the brackets: ![Axial CT showing ...]({src})"),
            });
        }
        let html = links::image(&src, &alt, &title, figure);
        if figure {
            self.out.push(Event::Html(html.into()));
        } else {
            self.out.push(Event::InlineHtml(html.into()));
        }
        self.images.push(ImageRef { src, alt, line });
        end + 1
    }

    /// Refused constructs of the raw HTML at `range` of the source become problems at their
    /// file line and column.
    fn check_raw_html(&mut self, range: Range<usize>) {
        let Some(html) = self.src.get(range.clone()) else {
            return;
        };
        for r in raw_html::check(html) {
            let (line, column) = self.lines.position(range.start + r.offset);
            self.problems.push(MarkdownProblem {
                line: self.file_line(line),
                column,
                message: r.message,
                fix: r.fix.to_string(),
            });
        }
    }

    /// A link or image to a `javascript:`, `vbscript:` or `data:` URL is a problem.
    fn check_url(&mut self, i: usize, url: &str, image: bool) {
        if self.opts.trusted_html {
            return;
        }
        if let Some(scheme) = raw_html::refused_scheme(url, image) {
            let (line, column) = self.lines.position(self.events[i].1.start);
            self.problems.push(MarkdownProblem {
                line: self.file_line(line),
                column,
                message: format!(
                    "a {} to a `{scheme}:` URL is not allowed in a page",
                    if image { "image" } else { "link" }
                ),
                fix: "link to an https:// address or to a page of the site instead".into(),
            });
        }
    }

    fn link(&mut self, i: usize, link_type: LinkType, dest: &str, title: &str) {
        let url = match link_type {
            LinkType::Email => format!("mailto:{dest}"),
            _ => dest.to_owned(),
        };
        self.check_url(i, &url, false);
        let (line, _) = self.lines.position(self.events[i].1.start);
        let a = links::link_start(&url, title, self.opts.base_url);
        self.out.push(Event::InlineHtml(a.into()));
        self.links.push(LinkRef {
            url,
            line: self.file_line(line),
        });
    }

    fn footnote_reference(&mut self, label: &str) {
        if let Some(html) = self.footnotes.reference(label) {
            self.out.push(Event::InlineHtml(html.into()));
        }
    }

    fn footnote_definition(&mut self, label: &str) {
        let html = self.footnotes.definition_start(label);
        self.out.push(Event::Html(html.into()));
        self.open_notes.push((label.to_owned(), false));
    }

    /// The link from a footnote back to where it is cited, written once per note.
    fn push_back_link(&mut self) {
        let Some((label, written)) = self.open_notes.last_mut() else {
            return;
        };
        if *written {
            return;
        }
        *written = true;
        if let Some(html) = self.footnotes.back_link(label) {
            self.out.push(Event::InlineHtml(html.into()));
        }
    }

    fn file_line(&self, line: usize) -> usize {
        (self.opts.first_line + line).saturating_sub(1)
    }

    fn finish(self) -> Result<Rendered, Vec<MarkdownProblem>> {
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let mut out = self.out;
        let mut html = String::with_capacity(self.src_len + self.src_len / 2);
        let summary_html = match (self.more_at, self.first_paragraph) {
            (Some(more), _) => {
                let rest = out.split_off(more);
                html::push_html(&mut html, out.into_iter());
                let summary = html.trim_end().to_owned();
                html::push_html(&mut html, rest.into_iter());
                summary
            }
            (None, first) => {
                let mut summary = String::new();
                if let Some(range) = first {
                    html::push_html(
                        &mut summary,
                        out.get(range).unwrap_or_default().iter().cloned(),
                    );
                }
                html::push_html(&mut html, out.into_iter());
                summary.trim_end().to_owned()
            }
        };
        let mut text = self.text.finish();
        let prose = self.prose.finish();
        // Pages keep these for the whole build: without the spare room of growing (about a
        // sixth of their size, 50 MB at 10,000 posts).
        html.shrink_to_fit();
        text.shrink_to_fit();
        Ok(Rendered {
            html,
            toc: toc::nest(self.toc),
            summary_html,
            word_count: text.split_whitespace().count(),
            text,
            prose,
            links: self.links,
            images: self.images,
        })
    }
}

fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::TableCell
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::TableCell
    )
}
