//! Markdown to HTML, rendered once: pulldown-cmark for the text, syntect (pure Rust, CSS classes)
//! for code. Later stages read `Rendered` and never parse Markdown again.
//!
//! INTERFACE CONTRACT (used by content/ and outputs/; keep these names and meanings):

mod escape;
mod footnotes;
mod highlight;
mod links;
mod plain;
pub mod raw_html;
mod render;
#[cfg(test)]
mod tests;
mod toc;

use highlight::Highlighter;

/// Renders Markdown. Holds the syntax set, which is costly to load: build one per build and share
/// it across threads (`Markdown` is `Sync`).
pub struct Markdown {
    highlighter: Highlighter,
}

impl Markdown {
    /// Loads the bundled syntaxes; do this once per build, not per page.
    pub fn new() -> Markdown {
        Markdown {
            highlighter: Highlighter::new(),
        }
    }

    /// Renders one Markdown fragment, or returns every problem found in it.
    pub fn render(
        &self,
        src: &str,
        opts: &RenderOptions,
    ) -> Result<Rendered, Vec<MarkdownProblem>> {
        render::render(&self.highlighter, src, opts)
    }

    /// Keep highlighted code blocks in `dir` (the site's `.radpress-cache/highlight/`) between
    /// builds, so a build of an unchanged site highlights nothing.
    pub fn use_disk_cache(&self, dir: &std::path::Path) {
        self.highlighter.use_disk_cache(dir);
    }

    /// Removes the cached blocks that no render since `use_disk_cache` asked for. Only after a
    /// render of every page (a `radpress build`), or blocks still in use would go.
    pub fn prune_disk_cache(&self) {
        self.highlighter.prune_disk_cache();
    }

    /// The stylesheet for highlighted code (`hl-` classes): a light theme, and a dark one for
    /// readers whose system prefers dark.
    pub fn highlight_css() -> String {
        highlight::css()
    }
}

impl Default for Markdown {
    fn default() -> Self {
        Markdown::new()
    }
}

impl std::fmt::Debug for Markdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The syntax set is large and says nothing useful in a debug print.
        f.debug_struct("Markdown")
            .field("syntaxes", &self.highlighter.syntax_count())
            .finish()
    }
}

/// Per-call options.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// File line of the first line of the Markdown source, so problems point into the file.
    pub first_line: usize,
    /// The site's base URL without trailing slash; links to it are not external.
    pub base_url: &'a str,
    /// Prefix for generated ids (headings, footnotes), e.g. "" for a page body or "study-2-" for a
    /// study's findings, so several fragments on one page never share an id.
    pub id_prefix: &'a str,
    /// The site trusts its authors' raw HTML (`trusted_html` in site.toml): scripts, event
    /// handlers and `javascript:` links are let through instead of refused (see `raw_html`).
    pub trusted_html: bool,
}

/// The result of rendering one Markdown fragment.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Nested table of contents from the headings.
    pub toc: Vec<TocEntry>,
    /// HTML before `<!-- more -->`, or else the first paragraph's HTML.
    pub summary_html: String,
    /// Plain text of the prose (no code blocks, no HTML tags), paragraphs separated by blank lines.
    pub text: String,
    /// Like `text` but without table content (code blocks are already left out): the running
    /// prose that readability scores. Blocks (paragraphs, headings, list items) are separated by
    /// blank lines.
    pub prose: String,
    pub word_count: usize,
    /// Every link target, with its file line, for the link check.
    pub links: Vec<LinkRef>,
    /// Every image, with its file line, for the missing-image check.
    pub images: Vec<ImageRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub url: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub src: String,
    pub alt: String,
    pub line: usize,
}

/// A problem in the Markdown itself (e.g. an image without alt text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownProblem {
    /// File line (already offset by `first_line`).
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub fix: String,
}
