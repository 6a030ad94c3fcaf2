//! Code blocks: syntax highlighting with syntect as `hl-` CSS classes, and the stylesheet for them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use syntect::highlighting::{Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape;

/// Classes carry a prefix so a site's own CSS (e.g. `.comment`) never restyles code by accident.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// The language token of a fence's info string: "python" from "python {.numbered}" or
/// "python,ignore".
pub(super) fn language(info: &str) -> Option<&str> {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .filter(|lang| !lang.is_empty())
}

/// Highlighted blocks are kept up to this many bytes in all; past it the cache starts over.
const CACHE_BYTES: usize = 16 << 20;
/// Larger blocks are rare and not worth a place in the cache.
const CACHE_MAX_BLOCK: usize = 64 << 10;

/// The syntax set (loaded once, its regexes compiled on first use and kept) and a cache of
/// highlighted blocks: sites repeat the same snippets on many pages, and highlighting with
/// fancy-regex costs far more than the rest of rendering a page.
pub(super) struct Highlighter {
    syntaxes: SyntaxSet,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    /// Keyed by language, a NUL, then the code.
    blocks: HashMap<Box<str>, Arc<str>>,
    bytes: usize,
}

impl Highlighter {
    pub(super) fn new() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            cache: Mutex::default(),
        }
    }

    pub(super) fn syntax_count(&self) -> usize {
        self.syntaxes.syntaxes().len()
    }

    /// `<pre class="code" data-lang="…"><code>…</code></pre>`, highlighted when the language is
    /// one syntect knows, else plain escaped text in the same wrapper.
    pub(super) fn code_block(&self, lang: Option<&str>, code: &str) -> String {
        let mut out = String::with_capacity(code.len() * 3 + 64);
        out.push_str("<pre class=\"code\"");
        if let Some(lang) = lang {
            out.push_str(" data-lang=\"");
            escape::push_html(&mut out, lang);
            out.push('"');
        }
        out.push_str("><code>");
        match lang.and_then(|lang| self.cached(lang, code)) {
            Some(html) => out.push_str(&html),
            None => escape::push_html(&mut out, code),
        }
        out.push_str("</code></pre>\n");
        out
    }

    fn cached(&self, lang: &str, code: &str) -> Option<Arc<str>> {
        if code.len() > CACHE_MAX_BLOCK {
            return self.highlighted(lang, code).map(Arc::from);
        }
        let key = format!("{lang}\0{code}");
        // A poisoned lock only means another thread panicked mid-insert; the map is still sound.
        let lock = || self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(html) = lock().blocks.get(key.as_str()) {
            return Some(Arc::clone(html));
        }
        // Highlight outside the lock so threads never wait on each other's regexes.
        let html: Arc<str> = Arc::from(self.highlighted(lang, code)?);
        let mut cache = lock();
        if cache.bytes + key.len() + html.len() > CACHE_BYTES {
            *cache = Cache::default();
        }
        cache.bytes += key.len() + html.len();
        cache.blocks.insert(key.into_boxed_str(), Arc::clone(&html));
        Some(html)
    }

    fn highlighted(&self, lang: &str, code: &str) -> Option<String> {
        let syntaxes = &self.syntaxes;
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        // Plain text gains nothing from a highlighting pass but its cost.
        if syntax.name == "Plain Text" {
            return None;
        }
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        // The "newlines" syntaxes expect every line to end in one, even an unclosed fence's last.
        let owned;
        let code = if code.is_empty() || code.ends_with('\n') {
            code
        } else {
            owned = format!("{code}\n");
            &owned
        };
        for line in LinesWithEndings::from(code) {
            // A grammar error (e.g. a regex backtracking limit) falls back to plain text.
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// The light theme as the default, the dark theme inside `prefers-color-scheme: dark`.
pub(super) fn css() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::new();
    if let Some(light) = themes.themes.get(LIGHT_THEME) {
        css.push_str(&theme_css(light));
    }
    if let Some(dark) = themes.themes.get(DARK_THEME) {
        css.push_str("\n@media (prefers-color-scheme: dark) {\n");
        for line in theme_css(dark).lines() {
            if !line.is_empty() {
                css.push_str("  ");
                css.push_str(line);
            }
            css.push('\n');
        }
        css.push_str("}\n");
    }
    css
}

fn theme_css(theme: &Theme) -> String {
    let mut css = css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    // syntect puts the theme's base colours on `.hl-code`, a class our `<pre>` does not carry.
    let mut base = String::new();
    if let Some(c) = theme.settings.foreground {
        base.push_str(&format!(" color: #{:02x}{:02x}{:02x};\n", c.r, c.g, c.b));
    }
    if let Some(c) = theme.settings.background {
        base.push_str(&format!(
            " background-color: #{:02x}{:02x}{:02x};\n",
            c.r, c.g, c.b
        ));
    }
    if !base.is_empty() {
        css.push_str(&format!("pre.code {{\n{base}}}\n"));
    }
    css
}
