//! Code blocks: syntax highlighting with syntect as `hl-` CSS classes, and the stylesheet for them.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use syntect::highlighting::{Theme, ThemeSet};
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
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

/// Parsed lines are kept up to about this many bytes in all; past it that cache starts over.
const LINE_CACHE_BYTES: usize = 16 << 20;
/// Longer lines are parsed every time: rare, and each would take a large share of the cache.
const LINE_CACHE_MAX_LINE: usize = 512;
/// At most this many parser states are kept for one line text (the same line inside and outside
/// a string or comment parses differently); further states parse every time.
const LINE_CACHE_STATES: usize = 8;

/// What the highlighted HTML of a block depends on besides its language and code: the radpress
/// version (syntect and its syntaxes come with it), the class style and this format. Part of
/// every disk cache key, so a new radpress never reads an older one's blocks. Bump the last part
/// when a change here alters the HTML of a block.
const DISK_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " hl- classes, format 1");

/// The syntax set (loaded once, its regexes compiled on first use and kept), a cache of
/// highlighted blocks, a cache of parsed lines, and the blocks of earlier builds on disk: sites
/// repeat the same snippets on many pages, code repeats lines (imports, boilerplate, blank lines,
/// closing brackets) within and across blocks, and parsing with fancy-regex costs far more than
/// the rest of rendering a page.
pub(super) struct Highlighter {
    syntaxes: SyntaxSet,
    cache: Mutex<Cache>,
    lines: Mutex<LineCache>,
    disk: Mutex<Option<Arc<DiskCache>>>,
}

/// Highlighted blocks of earlier builds, one file per block (`<key>.html`, the key an xxh3-128
/// of `DISK_VERSION`, the language and the code), so that a new build of an unchanged site
/// highlights nothing. Files are written beside and renamed (`outputs::write_cache`); one that
/// cannot be read or is not UTF-8 is highlighted again and rewritten. Writing is best effort: a
/// read-only cache folder only costs speed.
pub(super) struct DiskCache {
    dir: PathBuf,
    /// Keys looked up since the cache was opened, for `prune`.
    used: Mutex<HashSet<u128>>,
}

impl DiskCache {
    fn key(lang: &str, code: &str) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [DISK_VERSION, "\0", lang, "\0", code] {
            hasher.update(part.as_bytes());
        }
        hasher.digest128()
    }

    fn path(&self, key: u128) -> PathBuf {
        self.dir.join(format!("{key:032x}.html"))
    }

    /// Records that a render asked for the block, so `prune` keeps it.
    fn mark_used(&self, key: u128) {
        self.used
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key);
    }

    fn get(&self, key: u128) -> Option<String> {
        self.mark_used(key);
        String::from_utf8(std::fs::read(self.path(key)).ok()?).ok()
    }

    fn put(&self, key: u128, html: &str) {
        let _ = crate::outputs::write_cache(&self.path(key), html.as_bytes());
    }

    /// Removes the blocks no lookup asked for since the cache was opened.
    fn prune(&self) {
        // The site root: the highlight folder is `<root>/.radpress-cache/highlight`.
        let Some(root) = self.dir.parent().and_then(std::path::Path::parent) else {
            return;
        };
        let Some(_prune) = crate::cache::may_prune(root) else {
            return;
        };
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str().filter(|n| crate::cache::is_entry_name(n)) else {
                // Not a file radpress made: left alone.
                continue;
            };
            let key = name
                .strip_suffix(".html")
                .and_then(|hex| u128::from_str_radix(hex, 16).ok());
            if !key.is_some_and(|k| used.contains(&k)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[derive(Default)]
struct Cache {
    /// Keyed by language, a NUL, then the code.
    blocks: HashMap<Box<str>, Arc<str>>,
    bytes: usize,
}

/// What syntect's parser made of one line: parsing is a pure function of the parser state
/// before the line and the line's text (for one syntax set), so both are the key.
struct ParsedLine {
    before: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
    after: ParseState,
}

#[derive(Default)]
struct LineCache {
    /// Keyed by the line's text (with its newline); the parser state before it tells apart
    /// languages as well as positions such as inside a string, so no language is in the key.
    lines: HashMap<Box<str>, Vec<Arc<ParsedLine>>>,
    bytes: usize,
}

impl Highlighter {
    pub(super) fn new() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            cache: Mutex::default(),
            lines: Mutex::default(),
            disk: Mutex::default(),
        }
    }

    /// Keep highlighted blocks in `dir` between builds (and read earlier builds' blocks from it).
    /// Opening the same folder again keeps the record of blocks used so far.
    pub(super) fn use_disk_cache(&self, dir: &Path) {
        let mut disk = self.disk.lock().unwrap_or_else(PoisonError::into_inner);
        if disk.as_ref().is_none_or(|d| d.dir != dir) {
            *disk = Some(Arc::new(DiskCache {
                dir: dir.to_path_buf(),
                used: Mutex::default(),
            }));
        }
    }

    /// Removes the blocks on disk that no render of this highlighter asked for: call it after a
    /// build that rendered every page.
    pub(super) fn prune_disk_cache(&self) {
        let disk = self
            .disk
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(disk) = disk {
            disk.prune();
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
        let syntax = self.syntax(lang)?;
        let disk = self
            .disk
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let disk_key = disk.as_ref().map(|_| DiskCache::key(lang, code));
        let from_disk = |highlight: &dyn Fn() -> Option<String>| -> Option<String> {
            match (&disk, disk_key) {
                (Some(disk), Some(key)) => match disk.get(key) {
                    Some(html) => Some(html),
                    None => {
                        let html = highlight()?;
                        disk.put(key, &html);
                        Some(html)
                    }
                },
                _ => highlight(),
            }
        };
        let highlight = || self.highlighted(syntax, code);
        if code.len() > CACHE_MAX_BLOCK {
            return from_disk(&highlight).map(Arc::from);
        }
        let key = format!("{lang}\0{code}");
        // A poisoned lock only means another thread panicked mid-insert; the map is still sound.
        let lock = || self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(html) = lock().blocks.get(key.as_str()) {
            if let (Some(disk), Some(key)) = (&disk, disk_key) {
                disk.mark_used(key);
            }
            return Some(Arc::clone(html));
        }
        // Highlight outside the lock so threads never wait on each other's regexes.
        let html: Arc<str> = Arc::from(from_disk(&highlight)?);
        let mut cache = lock();
        if cache.bytes + key.len() + html.len() > CACHE_BYTES {
            *cache = Cache::default();
        }
        cache.bytes += key.len() + html.len();
        cache.blocks.insert(key.into_boxed_str(), Arc::clone(&html));
        Some(html)
    }

    /// The syntax for a fence's language, if highlighting it does anything.
    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let syntax = self.syntaxes.find_syntax_by_token(lang)?;
        // Plain text gains nothing from a highlighting pass but its cost.
        (syntax.name != "Plain Text").then_some(syntax)
    }

    fn highlighted(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let syntaxes = &self.syntaxes;
        // The "newlines" syntaxes expect every line to end in one, even an unclosed fence's last.
        let owned;
        let code = if code.is_empty() || code.ends_with('\n') {
            code
        } else {
            owned = format!("{code}\n");
            &owned
        };
        // What `ClassedHTMLGenerator` does, with each line's parse looked up before it is run.
        let mut state = ParseState::new(syntax);
        let mut scopes = ScopeStack::new();
        let mut open_spans = 0;
        let mut html = String::with_capacity(code.len() * 3);
        for line in LinesWithEndings::from(code) {
            let parsed;
            let ops = match self.parsed_line(&state, line) {
                Some(hit) => {
                    state.clone_from(&hit.after);
                    parsed = hit;
                    &parsed.ops
                }
                None => {
                    let before = state.clone();
                    // A grammar error (e.g. a regex backtracking limit) falls back to plain text.
                    let ops = state.parse_line(line, syntaxes).ok()?;
                    parsed = self.remember_line(line, before, ops, &state);
                    &parsed.ops
                }
            };
            let (spans, delta) =
                line_tokens_to_classed_spans(line, ops, CLASS_STYLE, &mut scopes).ok()?;
            open_spans += delta;
            html.push_str(&spans);
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Some(html)
    }

    fn lock_lines(&self) -> std::sync::MutexGuard<'_, LineCache> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still sound.
        self.lines.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached parse of `line` from `state`, if there is one.
    fn parsed_line(&self, state: &ParseState, line: &str) -> Option<Arc<ParsedLine>> {
        if line.len() > LINE_CACHE_MAX_LINE {
            return None;
        }
        let cache = self.lock_lines();
        let parses = cache.lines.get(line)?;
        parses.iter().find(|p| p.before == *state).map(Arc::clone)
    }

    /// Keeps a fresh parse for later lines with the same text and starting state, within the
    /// cache's bounds, and hands it back for rendering.
    fn remember_line(
        &self,
        line: &str,
        before: ParseState,
        mut ops: Vec<(usize, ScopeStackOp)>,
        after: &ParseState,
    ) -> Arc<ParsedLine> {
        // Kept for a while, so without the spare room parsing left.
        ops.shrink_to_fit();
        let parsed = Arc::new(ParsedLine {
            before,
            ops,
            after: after.clone(),
        });
        if line.len() > LINE_CACHE_MAX_LINE {
            return parsed;
        }
        // States are opaque; their debug text is a fair measure of their heap size (a state may
        // hold a copy of an earlier line, for back-references such as heredoc delimiters).
        let size = line.len()
            + parsed.ops.len() * std::mem::size_of::<(usize, ScopeStackOp)>()
            + debug_len(&parsed.before)
            + debug_len(&parsed.after)
            + 2 * std::mem::size_of::<ParseState>()
            + 128;
        if size > LINE_CACHE_BYTES / 64 {
            return parsed;
        }
        let mut cache = self.lock_lines();
        if cache.bytes + size > LINE_CACHE_BYTES {
            *cache = LineCache::default();
        }
        let LineCache { lines, bytes } = &mut *cache;
        let parses = lines.entry(Box::from(line)).or_default();
        // Another thread may have parsed the same line from the same state meanwhile.
        if parses.len() < LINE_CACHE_STATES && !parses.iter().any(|p| p.before == parsed.before) {
            parses.push(Arc::clone(&parsed));
            *bytes += size;
        }
        parsed
    }
}

/// The length of `value`'s debug text, without building it.
fn debug_len(value: &impl fmt::Debug) -> usize {
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = write!(count, "{value:?}");
    count.0
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

#[cfg(test)]
mod tests {
    use syntect::html::ClassedHTMLGenerator;

    use super::*;

    /// syntect's own line-by-line HTML, with no cache anywhere.
    fn uncached(h: &Highlighter, lang: &str, code: &str) -> String {
        let syntax = h
            .syntaxes
            .find_syntax_by_token(lang)
            .expect("known language");
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &h.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .expect("parses");
        }
        generator.finalize()
    }

    fn cached_states(h: &Highlighter, line: &str) -> usize {
        h.lock_lines().lines.get(line).map_or(0, Vec::len)
    }

    const PYTHON: &str = r#"import os
import sys


def main(argv):
    """Print each argument.

    import os
    """
    for arg in argv:  # a comment
        print(f"{arg!r} in {os.getcwd()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
"#;

    const RUST: &str = r###"use std::fmt;

/* A block comment
   fn not_code() {}
*/
fn main() {
    let raw = r##"
fn not_code() {}
"# still inside
"##;
    println!("{raw}");
}

fn not_code() {}
"###;

    const MULTILINE: [(&str, &str); 3] = [
        ("python", "x = 1\n'''\nx = 1\n'''\nx = 1\n"),
        (
            "js",
            "let a = 1;\n/*\nlet a = 1;\n*/\nlet a = `\nlet a = 1;\n`;\n",
        ),
        ("sh", "cat <<EOF\necho hi\nEOF\necho hi\n"),
    ];

    #[test]
    fn memoized_lines_give_syntects_html_cold_and_warm() {
        let h = Highlighter::new();
        let mut blocks = vec![("python", PYTHON), ("rust", RUST)];
        blocks.extend(MULTILINE);
        for (lang, code) in &blocks {
            let expected = uncached(&h, lang, code);
            assert!(expected.contains("<span class=\"hl-"), "{lang}: {expected}");
            let cold = h
                .syntax(lang)
                .and_then(|s| h.highlighted(s, code))
                .expect("highlighted");
            assert_eq!(cold, expected, "{lang}, cold cache");
            // Every line is now cached, so this run reuses each line's parse.
            let warm = h
                .syntax(lang)
                .and_then(|s| h.highlighted(s, code))
                .expect("highlighted");
            assert_eq!(warm, expected, "{lang}, warm cache");
        }
        // Blocks that share lines with cached ones in other states, and no trailing newline.
        for (lang, code) in [
            ("python", "'''\nimport os\nimport sys\n'''\nimport os"),
            (
                "rust",
                "fn not_code() {}\n/*\nfn main() {\n*/\nfn main() {\n}",
            ),
        ] {
            let expected = uncached(&h, lang, &format!("{code}\n"));
            assert_eq!(
                h.syntax(lang)
                    .and_then(|s| h.highlighted(s, code))
                    .as_deref(),
                Some(&*expected)
            );
        }
        assert!(cached_states(&h, "import os\n") >= 3);
    }

    #[test]
    fn a_repeated_line_in_different_states_highlights_differently() {
        let h = Highlighter::new();
        let (lang, code) = MULTILINE[0];
        let html = h
            .syntax(lang)
            .and_then(|s| h.highlighted(s, code))
            .expect("highlighted");
        assert_eq!(html, uncached(&h, lang, code));
        let lines: Vec<&str> = html.split('\n').collect();
        // Code before the string, text inside it, code again after it (the first line also
        // opens the `hl-source` span).
        assert!(lines[0].ends_with(lines[4]), "{html}");
        assert!(lines[4].contains("hl-numeric"), "{html}");
        assert_eq!(lines[2], "x = 1", "{html}");
        // Three lines `x = 1`: outside on the first line, inside, and outside again (the first
        // line's parser state differs from later lines', so it is kept on its own).
        assert_eq!(cached_states(&h, "x = 1\n"), 3);
        // Parsing it again from each state reuses the parse and gives the same HTML.
        assert_eq!(
            h.syntax(lang)
                .and_then(|s| h.highlighted(s, code))
                .as_deref(),
            Some(&*html)
        );
        assert_eq!(cached_states(&h, "x = 1\n"), 3);
    }

    #[test]
    fn long_lines_are_parsed_but_not_kept() {
        let h = Highlighter::new();
        let long = format!("x = \"{}\"\n", "a".repeat(LINE_CACHE_MAX_LINE));
        let code = format!("{long}y = 2\n");
        assert_eq!(
            h.syntax("python").and_then(|s| h.highlighted(s, &code)),
            Some(uncached(&h, "python", &code))
        );
        assert_eq!(cached_states(&h, &long), 0);
        assert_eq!(cached_states(&h, "y = 2\n"), 1);
        let cache = h.lock_lines();
        assert!(cache.bytes > 0 && cache.bytes < LINE_CACHE_BYTES);
    }
}
