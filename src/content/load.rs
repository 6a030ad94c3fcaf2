//! Loading content/: walk the folder, tell sections, pages, page bundles and plain files apart,
//! and build every page in parallel.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::frontmatter::{RawSectionFrontMatter, split};
use super::page::{Page, PageContext, PageLocation, build_page};
use crate::error::{Diagnostic, offset_to_line_col};

pub const CONTENT_DIR: &str = "content";

/// A section: a folder under content/, described by its optional `_index.md`.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// Folder under content/ ("" for the home page, "cases", "cases/neuro").
    pub name: String,
    pub path: String,
    pub url: String,
    pub permalink: String,
    pub title: String,
    pub description: String,
    pub content: String,
    #[serde(skip)]
    pub paginate_by: Option<usize>,
    #[serde(skip)]
    pub template: Option<String>,
    pub in_nav: bool,
    pub weight: i64,
}

/// A file under content/ published as it is (not Markdown, not in a bundle).
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Site path, e.g. `/cases/diagram.svg`.
    pub path: String,
}

#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub assets: Vec<Asset>,
    /// What content/ holds and what each file is, for the next load to reuse.
    pub layout: std::sync::Arc<Layout>,
}

/// The files under content/ and what each one is: a page (and where), a section's `_index.md`, a
/// page bundle's file, or a plain file. It depends only on the list of files, so `radpress serve`
/// keeps it while the watcher reports only edits.
#[derive(Debug, Default)]
pub struct Layout {
    /// Every file under content/, relative to it.
    pub files: rustc_hash::FxHashSet<PathBuf>,
    locations: Vec<PageLocation>,
    /// `_index.md` files: (section name, file relative to the site root).
    section_files: Vec<(String, PathBuf)>,
    /// Per page bundle folder (relative to content/): its files and their paths inside it.
    bundle_assets: rustc_hash::FxHashMap<PathBuf, Vec<(PathBuf, String)>>,
    assets: Vec<Asset>,
    problems: Vec<Diagnostic>,
}

/// Files an editor or the OS leaves around that are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#")
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a text file, turning invalid UTF-8 into an error with its line.
pub fn read_text(path: &Path, shown_as: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::input::read_source(path)
        .map_err(|e| {
            Diagnostic::new(shown_as, format!("cannot read the file: {e}")).fix(
                "make sure it is a regular file that you can read (check its permissions, e.g. chmod u+r), or move it out of the site",
            )
        })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, col) = offset_to_line_col(&text, valid);
        Diagnostic::new(shown_as, "the file is not valid UTF-8 text")
            .at(line, col)
            .fix("save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)")
    })
}

/// What the caller already knows about content/ (in `radpress serve`, from the file watcher): the
/// files it holds, unchanged since the last load, and the few that were edited. Pages not named in
/// `edited` are taken from the cache without even looking at their file.
pub struct LoadHint<'a> {
    /// What content/ held at the last load (`Content::layout`), unchanged since.
    pub layout: std::sync::Arc<Layout>,
    /// Edited files, relative to the site root (`content/cases/x.md`).
    pub edited: &'a HashSet<PathBuf>,
}

/// Load every page and section under `root/content`.
pub fn load(
    root: &Path,
    ctx: &PageContext,
    cache: Option<&PageCache>,
    hint: Option<LoadHint>,
) -> Result<Content, Vec<Diagnostic>> {
    let content_dir = root.join(CONTENT_DIR);
    let edited = hint.as_ref().map(|h| h.edited);
    let layout = match hint {
        Some(h) => h.layout,
        None => std::sync::Arc::new(Layout::of(&content_dir)?),
    };
    let mut problems = layout.problems.clone();
    let built: Vec<Result<Page, Vec<Diagnostic>>> = layout
        .locations
        .par_iter()
        .map(|loc| {
            if let (Some(edited), Some(cache)) = (edited, cache)
                && !edited.contains(&loc.file)
                && let Some(page) = cache.take_trusted(&loc.file)
            {
                // The same layout: the page's bundle files are as they were.
                return Ok(page);
            }
            let mut page = load_page(root, loc, cache, ctx)?;
            page.assets = page
                .file
                .parent()
                .and_then(|d| d.strip_prefix(CONTENT_DIR).ok())
                .and_then(|dir| layout.bundle_assets.get(dir))
                .map(|list| {
                    list.iter()
                        .map(|(src, inner)| (src.clone(), format!("{}{}", page.path, inner)))
                        .collect()
                })
                .unwrap_or_default();
            Ok(page)
        })
        .collect();
    let mut pages = Vec::new();
    for result in built {
        match result {
            Ok(page) => pages.push(page),
            Err(mut d) => problems.append(&mut d),
        }
    }

    let mut sections = Vec::new();
    for (name, shown) in &layout.section_files {
        match load_section(root, name, shown, ctx) {
            Ok(s) => sections.push(s),
            Err(d) => problems.push(d),
        }
    }
    // Folders holding pages are sections even without an _index.md, and so is the home page.
    let mut names: Vec<&str> = pages.iter().map(|p| p.section.as_str()).collect();
    names.push("");
    names.sort_unstable();
    names.dedup();
    for name in names {
        if !sections.iter().any(|s| s.name == name) {
            sections.push(implicit_section(name, ctx));
        }
    }
    sections.sort_by(|a, b| a.name.cmp(&b.name));

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Content {
        pages,
        sections,
        assets: layout.assets.clone(),
        layout,
    })
}

/// One page, from the cache when its file is unchanged, else read and built.
fn load_page(
    root: &Path,
    loc: &PageLocation,
    cache: Option<&PageCache>,
    ctx: &PageContext,
) -> Result<Page, Vec<Diagnostic>> {
    let full = root.join(&loc.file);
    // Stat before reading: if the file changes in between, the stamp is older than the text and
    // the next build reads it again.
    let stamp = file_stamp(&full);
    if let Some(page) = cache.and_then(|c| c.take_unchanged(&loc.file, stamp)) {
        return Ok(page);
    }
    let text = read_text(&full, &loc.file).map_err(|d| vec![d])?;
    if let Some(mut page) = cache.and_then(|c| c.take(&loc.file, &text)) {
        page.stamp = stamp;
        return Ok(page);
    }
    let mut page = build_page(loc.clone(), text, ctx)?;
    page.stamp = stamp;
    Ok(page)
}

impl Layout {
    /// Walk content/ and tell what each file is.
    fn of(content_dir: &Path) -> Result<Layout, Vec<Diagnostic>> {
        let mut files = Vec::new();
        let mut links = Vec::new();
        if content_dir.is_dir() {
            let walker = walkdir::WalkDir::new(content_dir)
                .follow_root_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
            for entry in walker {
                let entry = entry.map_err(|e| {
                    vec![Diagnostic::new(
                        e.path().unwrap_or(content_dir).to_path_buf(),
                        format!("cannot read: {e}"),
                    )]
                })?;
                if entry.file_type().is_file() {
                    let rel = entry
                        .path()
                        .strip_prefix(content_dir)
                        .unwrap_or(entry.path());
                    files.push(rel.to_path_buf());
                } else if entry.file_type().is_symlink() {
                    let rel = entry
                        .path()
                        .strip_prefix(content_dir)
                        .unwrap_or(entry.path());
                    links.push(crate::input::link_diagnostic(
                        &Path::new(CONTENT_DIR).join(rel),
                    ));
                }
            }
        }
        if !links.is_empty() {
            return Err(links);
        }
        let mut layout = Layout::default();
        layout.sort(content_dir, &files);
        layout.files = files.into_iter().collect();
        Ok(layout)
    }

    fn sort(&mut self, content_dir: &Path, files: &[PathBuf]) {
        let bundle_dirs: HashSet<PathBuf> = files
            .iter()
            .filter(|f| f.file_name().is_some_and(|n| n == "index.md"))
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .collect();
        let bundle_of = |file: &Path| -> Option<PathBuf> {
            file.ancestors()
                .skip(1)
                .find(|a| bundle_dirs.contains(*a))
                .map(Path::to_path_buf)
        };
        let mut bundle_assets: BTreeMap<PathBuf, Vec<(PathBuf, String)>> = BTreeMap::new();
        for rel in files {
            let shown = Path::new(CONTENT_DIR).join(rel);
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = rel.parent().unwrap_or(Path::new(""));
            let is_md = rel.extension().is_some_and(|e| e == "md");
            if is_md && name == "_index.md" {
                self.section_files.push((rel_string(dir), shown));
            } else if is_md && name == "index.md" {
                if dir.as_os_str().is_empty() {
                    self.problems.push(
                        Diagnostic::new(
                            &shown,
                            "content/index.md would be a page at the site root",
                        )
                        .fix("rename it to content/_index.md: that is the home page"),
                    );
                    continue;
                }
                let parent = dir.parent().unwrap_or(Path::new(""));
                self.locations.push(PageLocation {
                    file: shown,
                    section: section_of(parent),
                    file_slug: dir
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    is_bundle: true,
                    parent_path: dir_path(parent),
                });
            } else if let Some(bundle) = bundle_of(rel) {
                let inner = rel.strip_prefix(&bundle).unwrap_or(rel);
                bundle_assets
                    .entry(bundle)
                    .or_default()
                    .push((content_dir.join(rel), rel_string(inner)));
            } else if is_md {
                self.locations.push(PageLocation {
                    file: shown,
                    section: section_of(dir),
                    file_slug: rel
                        .file_stem()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    is_bundle: false,
                    parent_path: dir_path(dir),
                });
            } else {
                self.assets.push(Asset {
                    source: content_dir.join(rel),
                    path: format!("/{}", rel_string(rel)),
                });
            }
        }
        self.bundle_assets = bundle_assets.into_iter().collect();
    }
}

/// The section a page in `dir` belongs to: the folder itself, under content/.
fn section_of(dir: &Path) -> String {
    rel_string(dir)
}

fn dir_path(dir: &Path) -> String {
    let s = rel_string(dir);
    if s.is_empty() {
        "/".into()
    } else {
        format!("/{s}/")
    }
}

fn title_from_name(name: &str) -> String {
    let last = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .replace(['-', '_'], " ");
    let mut chars = last.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn implicit_section(name: &str, ctx: &PageContext) -> Section {
    let path = dir_path(Path::new(name));
    Section {
        file: None,
        name: name.to_string(),
        url: format!("{}{}", ctx.base_path, path),
        permalink: format!("{}{}", ctx.base_url, path),
        path,
        title: title_from_name(name),
        description: String::new(),
        content: String::new(),
        paginate_by: None,
        template: None,
        in_nav: !name.is_empty() && !name.contains('/'),
        weight: 0,
    }
}

fn load_section(
    root: &Path,
    name: &str,
    shown: &Path,
    ctx: &PageContext,
) -> Result<Section, Diagnostic> {
    let text = read_text(&root.join(shown), shown)?;
    let split = split(shown, &text)?;
    if let Some(d) = super::frontmatter::control_character(
        shown,
        &text,
        Some((split.front_matter, split.front_matter_line)),
    ) {
        return Err(d);
    }
    let raw: RawSectionFrontMatter = toml::from_str(split.front_matter).map_err(|e| {
        crate::config::toml_diagnostic(shown, split.front_matter, &e, split.front_matter_line)
    })?;
    let RawSectionFrontMatter {
        title,
        description,
        paginate_by,
        template,
        in_nav,
        weight,
    } = raw;
    if paginate_by == Some(0) {
        return Err(Diagnostic::new(shown, "paginate_by must be at least 1")
            .locate(split.front_matter, "paginate_by", split.front_matter_line)
            .fix("use a number such as 10"));
    }
    let opts = crate::markdown::RenderOptions {
        first_line: split.body_line,
        base_url: ctx.base_url,
        id_prefix: "",
        trusted_html: ctx.trusted_html,
    };
    let rendered = ctx.markdown.render(split.body, &opts).map_err(|problems| {
        let p = &problems[0];
        Diagnostic::new(shown, p.message.clone())
            .at(p.line, p.column)
            .fix(p.fix.clone())
            .with_source(&text)
    })?;
    let mut section = implicit_section(name, ctx);
    section.file = Some(shown.to_path_buf());
    if let Some(t) = title {
        section.title = t;
    }
    section.description = description.unwrap_or_default();
    section.content = rendered.html;
    section.paginate_by = paginate_by;
    section.template = template;
    if let Some(v) = in_nav {
        section.in_nav = v;
    }
    section.weight = weight.unwrap_or(0);
    Ok(section)
}

/// Pages of the previous build of one process (`radpress serve`), reused when their file has not
/// changed, so an edit re-reads every file but renders only the Markdown that changed.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<std::collections::HashMap<PathBuf, Page>>,
}

/// When and how big a file was, to tell an unchanged file without reading it.
fn file_stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl PageCache {
    /// The cached page for `file`, which the caller knows is unchanged.
    fn take_trusted(&self, file: &Path) -> Option<Page> {
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(file)
    }

    /// The cached page for `file` when the file's modification time and size are unchanged.
    fn take_unchanged(
        &self,
        file: &Path,
        stamp: Option<(std::time::SystemTime, u64)>,
    ) -> Option<Page> {
        let stamp = stamp?;
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        if pages.get(file)?.stamp == Some(stamp) {
            pages.remove(file)
        } else {
            None
        }
    }

    /// The cached page for `file` when its text is unchanged.
    fn take(&self, file: &Path, text: &str) -> Option<Page> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        let page = pages.remove(file)?;
        (page.version == xxhash_rust::xxh3::xxh3_64(text.as_bytes()) && page.source == text)
            .then_some(page)
    }

    /// Keep `pages` for the next build.
    pub fn keep(&self, pages: impl IntoIterator<Item = Page>) {
        let mut map = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        map.clear();
        map.extend(pages.into_iter().map(|p| (p.file.clone(), p)));
    }

    pub fn clear(&self) {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
