//! The theme: Tera templates and static files, from the site's themes/ folder or the default theme
//! built into radpress, with the site's own templates/ and static/ overriding by name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;

use crate::error::{Diagnostic, Error, Result};

/// The default theme, built in so that a site with no themes/ folder still builds.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Bytes of a file to publish: from disk, or built into radpress.
#[derive(Debug, Clone)]
pub enum Source {
    Disk(PathBuf),
    BuiltIn(&'static [u8]),
}

/// Templates ready to render, and where each came from (for errors).
pub struct Theme {
    pub tera: Tera,
    /// Template name → the file shown in errors.
    pub template_files: BTreeMap<String, String>,
    /// Static files of the theme and the site: site path → source (the site's own win).
    pub static_files: BTreeMap<String, Source>,
    /// A hash of every template's name and text: pages rendered with other templates differ.
    pub version: u64,
    /// Font files of the theme's `fonts/` folder (file name → source), for share cards. Fonts come
    /// only from here, never from the system or the web.
    pub fonts: BTreeMap<String, Source>,
}

impl Theme {
    pub fn load(root: &Path, theme: &str) -> Result<Theme> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut fonts = BTreeMap::new();
        let theme_dir = root.join("themes").join(theme);
        // The folders on the way to the theme's files must be the site's own, not links.
        for dir in [root.join("themes"), theme_dir.clone()] {
            if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::Site(vec![crate::input::link_diagnostic(Path::new(
                    &shown(root, &dir),
                ))]));
            }
        }
        if theme_dir.is_dir() {
            for (name, path) in list_files(&theme_dir.join("templates"))? {
                let text = read_template(&path, root)?;
                sources.insert(name, (shown(root, &path), text));
            }
            for (name, path) in list_files(&theme_dir.join("static"))? {
                static_files.insert(format!("/{name}"), Source::Disk(path));
            }
            for (name, path) in list_files(&theme_dir.join("fonts"))? {
                fonts.insert(name, Source::Disk(path));
            }
        } else if theme == "default" {
            collect_builtin(&DEFAULT_THEME, &mut sources, &mut static_files);
            collect_builtin_fonts(&DEFAULT_THEME, &mut fonts);
        } else {
            return Err(Diagnostic::new(
                crate::config::CONFIG_FILE,
                format!("theme `{theme}` not found: there is no folder themes/{theme}"),
            )
            .fix("set theme = \"default\", or put the theme in themes/<name>/")
            .into());
        }
        for (name, path) in list_files(&root.join("templates"))? {
            let text = read_template(&path, root)?;
            sources.insert(name, (shown(root, &path), text));
        }
        for (name, path) in list_files(&root.join("static"))? {
            static_files.insert(format!("/{name}"), Source::Disk(path));
        }

        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, (_, text)) in &sources {
            hasher.update(name.as_bytes());
            hasher.update(text.as_bytes());
        }
        let version = hasher.digest();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        tera.register_function("range", bounded_range);
        let template_files = sources
            .iter()
            .map(|(n, (f, _))| (n.clone(), f.clone()))
            .collect();
        tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &template_files))?;
        Ok(Theme {
            tera,
            template_files,
            static_files,
            version,
            fonts,
        })
    }

    /// Render `name`, turning Tera's errors into diagnostics with the template file and line.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        for_page: Option<&Path>,
    ) -> Result<String> {
        RANGE_STEPS.with(|steps| steps.set(0));
        self.tera.render(name, context).map_err(|e| {
            let mut d = template_error(&e, &self.template_files);
            if let Some(page) = for_page {
                d.message = format!("{} (while rendering {})", d.message, page.display());
            }
            Error::Site(vec![d])
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.template_files.contains_key(name)
    }
}

/// Loop steps over `range()` one render may take. Tera caps each `range()` at 100,000 elements,
/// but loops over ranges nested three deep would run for days: a template that asks for more
/// than this is an error naming it, not a build that never ends. Loops over the site's own
/// lists (pages, terms) are bounded by the site and not counted.
const RANGE_STEPS_PER_RENDER: u64 = 2_000_000;

thread_local! {
    /// `range()` elements handed out since the render on this thread began.
    static RANGE_STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Tera's `range(start, end, step_by)`, counted against `RANGE_STEPS_PER_RENDER`.
fn bounded_range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("range() was called with step_by = 0"));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "range() was called with a start greater than its end",
        ));
    }
    let span = if step > 0 {
        end.checked_sub(start)
    } else {
        start.checked_sub(end)
    };
    // A descending range whose start is below its end is empty; an overflowing one is endless.
    let span = match span {
        Some(s) => u128::try_from(s).unwrap_or(0),
        None => u128::MAX,
    };
    let step_size = step.unsigned_abs();
    let len = span.div_ceil(step_size);
    let used = RANGE_STEPS.with(|steps| {
        let used = u128::from(steps.get()).saturating_add(len);
        steps.set(u64::try_from(used).unwrap_or(u64::MAX));
        used
    });
    if used > u128::from(RANGE_STEPS_PER_RENDER) {
        return Err(tera::Error::message(format!(
            "the template's loops over range() take more than {RANGE_STEPS_PER_RENDER} steps for one page (nested loops that would run for hours): loop over fewer elements"
        )));
    }
    Ok((0..len as i128).map(|i| start + i * step).collect())
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn read_template(path: &Path, root: &Path) -> Result<String> {
    crate::content::load::read_text(path, Path::new(&shown(root, path))).map_err(Error::from)
}

fn collect_builtin(
    dir: &'static Dir<'static>,
    templates: &mut BTreeMap<String, (String, String)>,
    statics: &mut BTreeMap<String, Source>,
) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect_builtin(d, templates, statics),
            include_dir::DirEntry::File(f) => {
                let rel = f.path().to_string_lossy().replace('\\', "/");
                if let Some(name) = rel.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(f.contents()).into_owned();
                    templates.insert(
                        name.to_string(),
                        (format!("themes/default/{rel} (built into radpress)"), text),
                    );
                } else if let Some(name) = rel.strip_prefix("static/") {
                    statics.insert(format!("/{name}"), Source::BuiltIn(f.contents()));
                }
            }
        }
    }
}

fn collect_builtin_fonts(dir: &'static Dir<'static>, fonts: &mut BTreeMap<String, Source>) {
    if let Some(d) = dir.get_dir("fonts") {
        for f in d.files() {
            let name = f.path().file_name().unwrap_or_default().to_string_lossy();
            fonts.insert(name.into_owned(), Source::BuiltIn(f.contents()));
        }
    }
}

/// Files under `dir` as (path relative to dir with `/`, full path), skipping editor leftovers.
fn list_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut links = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::load::is_ignored(&e.file_name().to_string_lossy())
        });
    for entry in walker {
        let entry =
            entry.map_err(|e| Error::Usage(format!("cannot read {}: {e}", dir.display())))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, entry.path().to_path_buf()));
        } else if entry.file_type().is_symlink() {
            links.push(crate::input::link_diagnostic(entry.path()));
        }
    }
    if !links.is_empty() {
        return Err(Error::Site(links));
    }
    Ok(out)
}

/// A Tera error as a diagnostic pointing at the template file and line.
pub fn template_error(err: &tera::Error, files: &BTreeMap<String, String>) -> Diagnostic {
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut d = Diagnostic::new(
                file_of(report.filename()),
                format!("template error: {}", report.message()),
            )
            .at(span.start_line, span.start_col + 1);
            d.fix = Some(if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
                "fix the template syntax at this line ({{ value }}, {% tag %}, every block closed)"
                    .into()
            } else {
                "check the variable names against docs/templates.md; Tera 2 treats an undefined variable as an error (test it with `is defined`)".into()
            });
            d
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            Diagnostic::new(file_of(name), format!("template `{name}` not found")).fix(format!(
                "add templates/{name} to the site, or use a theme that has it"
            ))
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            file_of(current),
            format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .fix(format!(
            "add templates/{parent}, or correct the name in {{% extends %}}"
        )),
        _ => {
            let mut msg = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            // Errors without a span (an include cycle, …) still name a template: the first one
            // quoted in the message whose file is known.
            let named = msg
                .split('\'')
                .skip(1)
                .step_by(2)
                .find(|name| files.contains_key(*name))
                .map(file_of);
            let d = Diagnostic::new(
                named.unwrap_or_else(|| "templates".into()),
                format!("template error: {msg}"),
            );
            if msg.contains("ircular include") {
                d.fix("break the cycle: a template must not include itself, directly or through the templates it includes")
            } else {
                d
            }
        }
    }
}
