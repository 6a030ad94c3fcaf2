//! Code blocks: syntax highlighting with syntect as `hl-` CSS classes, and the stylesheet for them.

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

/// `<pre class="code" data-lang="…"><code>…</code></pre>`, highlighted when the language is one
/// syntect knows, else plain escaped text in the same wrapper.
pub(super) fn code_block(syntaxes: &SyntaxSet, lang: Option<&str>, code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 3 + 64);
    out.push_str("<pre class=\"code\"");
    if let Some(lang) = lang {
        out.push_str(" data-lang=\"");
        escape::push_html(&mut out, lang);
        out.push('"');
    }
    out.push_str("><code>");
    match lang.and_then(|lang| highlighted(syntaxes, lang, code)) {
        Some(html) => out.push_str(&html),
        None => escape::push_html(&mut out, code),
    }
    out.push_str("</code></pre>\n");
    out
}

fn highlighted(syntaxes: &SyntaxSet, lang: &str, code: &str) -> Option<String> {
    let syntax = syntaxes.find_syntax_by_token(lang)?;
    // Plain text gains nothing from a highlighting pass but its cost.
    if syntax.name == "Plain Text" {
        return None;
    }
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    // The "newlines" syntaxes expect every line to end in one, including an unclosed fence's last.
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
