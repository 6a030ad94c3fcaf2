//! radpress: a static site generator for a radiology practice's social presence.
//!
//! Data flows one way: config → content → site → checks → outputs → writer. The library never
//! prints; the binary does.

// Diagnostics are large (file, message, fix, source line) but only travel on the cold error path,
// where boxing each one would buy nothing measurable and cost readability.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod checks;
pub mod config;
pub mod content;
pub mod error;
pub mod input;
pub mod kept;
pub mod manifest;
pub mod markdown;
pub mod outputs;
pub mod practice;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod social;
pub mod theme;
pub mod timing;
pub mod vocab;
pub mod writer;

use std::path::{Path, PathBuf};

pub use error::{Diagnostic, Error, Result};
pub use site::{Publish, Site};

use config::Config;
use content::PageContext;
use markdown::Markdown;
use outputs::OutputFile;
use theme::Theme;

/// What `radpress build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site goes; relative paths are under `root`.
    pub output: PathBuf,
    pub publish: Publish,
    /// Build even when the last build's manifest says nothing changed.
    pub force: bool,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub output: PathBuf,
    /// Share cards rendered by this build; the others came from the card cache.
    pub cards_rendered: usize,
    /// Nothing changed since the last build: nothing was rendered or written.
    pub up_to_date: bool,
}

/// A site rendered in memory: every file, nothing written yet.
pub struct Rendered {
    pub site: Site,
    pub files: Vec<OutputFile>,
}

/// The path part of a base URL: `https://x.org/sub/` → `/sub`, `https://x.org` → "".
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].trim_end_matches('/').to_string(),
        None => String::new(),
    }
}

/// Highlighted code blocks kept between builds (see `Markdown::use_disk_cache`).
const HIGHLIGHT_CACHE_DIR: &str = ".radpress-cache/highlight";

/// The pages that scanned clean of patient identifiers (see `PrivacyCache::use_disk_cache`).
const PRIVACY_CACHE_FILE: &str = ".radpress-cache/privacy-clean";

/// Load, check and render the site at `root` into memory.
pub fn render(root: &Path, publish: Publish) -> Result<Rendered> {
    Engine::new().render(root, publish)
}

/// The build machinery kept alive between builds of one process (`radpress serve`): the Markdown
/// renderer (its syntax set is costly to load, and it caches highlighted code), the pages of the
/// last build, and the rendered outputs with the fingerprints of their inputs.
#[derive(Default)]
pub struct Engine {
    markdown: Markdown,
    pages: content::PageCache,
    outputs: outputs::pages::RenderCache,
    /// Share cards rendered and reused (the cards themselves are cached on disk).
    cards: outputs::cards::CardStats,
    /// The last search index, reused while no searchable record changes.
    search: outputs::search::SearchCache,
    /// Raster images sanitised and reused (the sanitised copies are cached on disk).
    images: outputs::images::ImageStats,
    /// Privacy findings per page, rescanned only when a page changes.
    privacy: checks::privacy::PrivacyCache,
    /// Privacy findings of the published files (DICOM, SVG text, image metadata) of the last
    /// render, reused while the watcher reports only Markdown edits.
    file_findings: std::sync::Mutex<Option<Vec<checks::Finding>>>,
    /// Set when the last render succeeded: it saw every file, so a render that follows only
    /// Markdown edits may take the other files as they were then.
    files_seen: std::sync::atomic::AtomicBool,
    /// Pages whose links were good, checked again only when they or the site's paths change.
    links: checks::links::LinkCache,
    /// What cached pages were built against (base URL, raw-HTML policy); a change empties the
    /// page cache.
    page_key: std::sync::Mutex<String>,
    /// The configuration, templates and content file list of the last load.
    last: std::sync::Mutex<Option<Last>>,
    /// `radpress check`: privacy findings are collected here instead of stopping the render, so
    /// they come back with their rule names next to every other finding.
    privacy_findings: Option<std::sync::Mutex<Vec<checks::Finding>>>,
    /// `radpress serve`: render the pages first and the secondary outputs (cards, social.json,
    /// search index, sitemap) after the browser has reloaded, in `finish_deferred`.
    defer_secondary: std::sync::atomic::AtomicBool,
    /// The secondary outputs of the last render, served until `finish_deferred` replaces them.
    secondary: std::sync::Mutex<Option<Vec<OutputFile>>>,
    /// Set when the last render served the earlier secondary outputs.
    deferred: std::sync::atomic::AtomicBool,
    /// This process's shared hold on the site's cache folder (see `cache`), checked again before
    /// every render.
    cache: std::sync::Mutex<Option<std::sync::Arc<cache::Held>>>,
    /// The HTML pages of a deferred render, for its sitemap.
    deferred_pages: std::sync::Mutex<Vec<OutputFile>>,
}

struct Last {
    config: Config,
    theme: std::sync::Arc<Theme>,
    layout: std::sync::Arc<content::Layout>,
}

/// The edited content files (relative to `root`) when every change is an edit of a content file
/// that existed at the last load; None when anything else changed (a new or deleted file, a
/// template, site.toml, a static file), which calls for a full load.
fn edited_content(
    root: &Path,
    changed: &[PathBuf],
    known: &rustc_hash::FxHashSet<PathBuf>,
) -> Option<std::collections::HashSet<PathBuf>> {
    let content_dir = root.join(content::load::CONTENT_DIR);
    let mut edited = std::collections::HashSet::new();
    for path in changed {
        let inner = path.strip_prefix(&content_dir).ok()?;
        let is_md = path.extension().is_some_and(|e| e == "md");
        if !is_md || !path.is_file() || !known.contains(inner) {
            return None;
        }
        edited.insert(Path::new(content::load::CONTENT_DIR).join(inner));
    }
    (!edited.is_empty()).then_some(edited)
}

/// How much of the last render was reused.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderStats {
    pub outputs_rendered: usize,
    pub outputs_reused: usize,
    /// Share cards rendered, and taken from the card cache (.radpress-cache/cards/).
    pub cards_rendered: usize,
    pub cards_reused: usize,
    /// Times the search index was built by Pagefind, and reused unchanged, by this engine.
    pub search_built: usize,
    pub search_reused: usize,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine for one `radpress build`: its pages are written to the output folder as they
    /// are rendered (see `writer::Staging`) instead of being held in memory.
    pub fn staged(staging: std::sync::Arc<writer::Staging>) -> Engine {
        let mut engine = Engine::default();
        engine.outputs.staging = Some(staging);
        engine.search.one_shot = true;
        engine
    }

    /// Load, check and render the site at `root` into memory, reusing what has not changed since
    /// this engine's last render.
    pub fn render(&self, root: &Path, publish: Publish) -> Result<Rendered> {
        self.render_changed(root, publish, None)
    }

    /// Like `render`, told which files changed since the last render (by a file watcher). When
    /// only existing content files were edited, the configuration, the templates and the list of
    /// files are reused and only the edited files are read again.
    pub fn render_changed(
        &self,
        root: &Path,
        publish: Publish,
        changed: Option<&[PathBuf]>,
    ) -> Result<Rendered> {
        // No message repeats a patient identifier, whichever check wrote it: the source lines
        // and quoted text of every problem are masked where the privacy rules find one.
        self.render_changed_unscrubbed(root, publish, changed)
            .map_err(checks::privacy::scrub_error)
    }

    fn render_changed_unscrubbed(
        &self,
        root: &Path,
        publish: Publish,
        changed: Option<&[PathBuf]>,
    ) -> Result<Rendered> {
        let held = cache::open(root)?;
        *self.cache.lock().unwrap_or_else(|e| e.into_inner()) = Some(held);
        input::register_root(root);
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner()).take();
        let edited = match (&last, changed) {
            (Some(last), Some(changed)) => edited_content(root, changed, &last.layout.files),
            _ => None,
        };
        // Only Markdown edits since a render that saw every file: the others are as it saw them.
        // Cleared now, set again only if this render succeeds.
        let last_succeeded = self
            .files_seen
            .swap(false, std::sync::atomic::Ordering::AcqRel);
        let files_unchanged = edited.is_some() && last_succeeded;
        self.images.trust_seen(files_unchanged);
        let (config, theme, hint_files) = match (last, &edited) {
            (Some(last), Some(_)) => (last.config, last.theme, Some(last.layout)),
            _ => {
                let config = timing::phase("config", || Config::from_root(root))?;
                let theme = timing::phase("theme", || Theme::load(root, &config.theme))?;
                (config, std::sync::Arc::new(theme), None)
            }
        };
        let base_path = base_path(&config.base_url);
        {
            // Pages are rendered against the base URL and the raw-HTML policy.
            let page_key = format!("{} trusted_html={}", config.base_url, config.trusted_html);
            let mut key = self.page_key.lock().unwrap_or_else(|e| e.into_inner());
            if *key != page_key {
                self.pages.clear();
                *key = page_key;
            }
        }
        self.markdown
            .use_disk_cache(&root.join(HIGHLIGHT_CACHE_DIR));
        self.privacy.use_disk_cache(&root.join(PRIVACY_CACHE_FILE));
        let ctx = PageContext {
            markdown: &self.markdown,
            base_url: &config.base_url,
            base_path: &base_path,
            trusted_html: config.trusted_html,
        };
        let hint = match (hint_files, &edited) {
            (Some(layout), Some(edited)) => Some(content::LoadHint { layout, edited }),
            _ => None,
        };
        let content = timing::phase("content", || {
            content::load(root, &ctx, Some(&self.pages), hint)
        })
        .map_err(Error::Site)?;
        let layout = content.layout.clone();
        let remembered = (config.clone(), theme.clone());
        let site = timing::phase("assemble", || {
            Site::assemble(
                root.to_path_buf(),
                config,
                base_path,
                content,
                publish,
                jiff::Timestamp::now(),
            )
        });
        let result = self.outputs_of(&site, &theme, files_unchanged);
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(Last {
            config: remembered.0,
            theme: remembered.1,
            layout,
        });
        match result {
            Ok(files) => {
                self.files_seen
                    .store(true, std::sync::atomic::Ordering::Release);
                Ok(Rendered { site, files })
            }
            Err(e) => {
                // The pages are fine; keep them so that the fix is quick to rebuild.
                self.keep(site);
                Err(e)
            }
        }
    }

    fn outputs_of(
        &self,
        site: &Site,
        theme: &Theme,
        files_unchanged: bool,
    ) -> Result<Vec<OutputFile>> {
        // Patient identifiers stop build and serve (issue 8); `check` collects them instead.
        let collecting = self.privacy_findings.is_some();
        let privacy = timing::phase("privacy", || {
            let mut found = checks::privacy::check_cached(site, &self.privacy);
            // DICOM files, images radpress cannot sanitise, SVG files; image metadata (warnings)
            // only for `check`, since the build publishes every image without it.
            let mut kept = self.file_findings.lock().unwrap_or_else(|e| e.into_inner());
            let files = match kept.take() {
                Some(files) if files_unchanged => files,
                _ => checks::privacy::files::check(
                    site,
                    theme,
                    &self.images,
                    &self.privacy,
                    collecting,
                ),
            };
            self.privacy.save_disk_cache();
            found.extend(files.iter().cloned());
            *kept = Some(files);
            found
        });
        match &self.privacy_findings {
            Some(store) => *store.lock().unwrap_or_else(|e| e.into_inner()) = privacy,
            None if !privacy.is_empty() => {
                return Err(Error::Site(
                    privacy.into_iter().map(|f| f.diagnostic).collect(),
                ));
            }
            None => {}
        }
        let mut problems = checks::links::check_authors(site);
        problems.extend(checks::starter::check(site));
        if !problems.is_empty() {
            return Err(Error::Site(problems));
        }
        let defer = self
            .defer_secondary
            .load(std::sync::atomic::Ordering::Relaxed);
        let files = if defer {
            let mut files =
                outputs::primary(site, theme, &self.markdown, &self.outputs, &self.images)?;
            let mut kept = self.secondary.lock().unwrap_or_else(|e| e.into_inner());
            let pages: Vec<OutputFile> = files
                .iter()
                .filter(|f| f.path.ends_with(".html"))
                .cloned()
                .collect();
            if kept.is_none() {
                files.extend(outputs::sitemap::sitemap(site, &pages));
                // The first render has nothing to show in their place: make them now.
                let search = || outputs::search::search_index(site, &self.search);
                *kept = Some(outputs::secondary(
                    site,
                    theme,
                    &self.outputs,
                    &self.cards,
                    &self.images,
                    search,
                )?);
                let sitemap = files.iter().find(|f| f.path == "/sitemap.xml").cloned();
                kept.iter_mut().for_each(|k| k.extend(sitemap.clone()));
                files.retain(|f| f.path != "/sitemap.xml");
            } else {
                // The last sitemap stands in until `finish_deferred` makes this one.
                let sitemap = kept.iter().flatten().find(|f| f.path == "/sitemap.xml");
                files.extend(sitemap.cloned());
                *self
                    .deferred_pages
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()) = pages;
                self.deferred
                    .store(true, std::sync::atomic::Ordering::Relaxed);
            }
            files.extend(kept.iter().flatten().cloned());
            files
        } else {
            outputs::generate(
                site,
                theme,
                &self.markdown,
                &self.outputs,
                &self.cards,
                &self.search,
                &self.images,
            )?
        };
        let problems = timing::phase("links", || {
            checks::links::check_cached(site, &files, &self.links)
        });
        if !problems.is_empty() {
            return Err(Error::Site(problems));
        }
        Ok(files)
    }

    /// Hand the pages of a finished render back, for the next render to reuse.
    pub fn keep(&self, site: Site) {
        self.pages.keep(site.pages);
    }

    /// In `radpress serve`: after the first index, keep serving it when pages change instead of
    /// re-running Pagefind on every save (the index catches up when serve restarts).
    pub fn keep_stale_search_index(&self) {
        self.search
            .keep_stale
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// In `radpress serve`, after a render that served a stale search index: build the index of
    /// the newest content (a full Pagefind run) and put it in place of the stale one. Returns the
    /// new index files and the paths of the old ones that are gone; None when no index is
    /// waiting. Meant for a thread of its own, so that saves and reloads do not wait for it.
    pub fn refresh_search(&self) -> Option<Result<(Vec<OutputFile>, Vec<String>)>> {
        let fresh = match outputs::search::refresh(&self.search)? {
            Ok(fresh) => fresh,
            Err(e) => return Some(Err(e)),
        };
        let is_index = |f: &OutputFile| f.path.starts_with(outputs::search::BUNDLE_DIR);
        let mut kept = self.secondary.lock().unwrap_or_else(|e| e.into_inner());
        let gone = replaced(kept.iter().flatten().filter(|f| is_index(f)), &fresh);
        if let Some(kept) = kept.as_mut() {
            kept.retain(|f| !is_index(f));
            kept.extend(fresh.iter().cloned());
        }
        Some(Ok((fresh, gone)))
    }

    /// Whether a stale search index waits for `refresh_search`.
    pub fn search_refresh_pending(&self) -> bool {
        outputs::search::refresh_pending(&self.search)
    }

    /// Claim the search refresh (one runs at a time); false when one is running.
    pub fn start_search_refresh(&self) -> bool {
        !self
            .search
            .refreshing
            .swap(true, std::sync::atomic::Ordering::AcqRel)
    }

    pub fn end_search_refresh(&self) {
        self.search
            .refreshing
            .store(false, std::sync::atomic::Ordering::Release);
    }

    /// In `radpress serve`: render pages first, and the secondary outputs in `finish_deferred`.
    pub fn defer_secondary_outputs(&self) {
        self.defer_secondary
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// After a deferred render of `site`: the secondary outputs brought up to date, and the
    /// paths of the earlier ones that are gone. None when nothing was deferred.
    pub fn finish_deferred(&self, site: &Site) -> Option<Result<(Vec<OutputFile>, Vec<String>)>> {
        if !self
            .deferred
            .swap(false, std::sync::atomic::Ordering::Relaxed)
        {
            return None;
        }
        let theme = self
            .last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()?
            .theme
            .clone();
        let search = || outputs::search::search_index(site, &self.search);
        let fresh = outputs::secondary(
            site,
            &theme,
            &self.outputs,
            &self.cards,
            &self.images,
            search,
        );
        let mut fresh = match fresh {
            Ok(fresh) => fresh,
            Err(e) => return Some(Err(e)),
        };
        let pages = std::mem::take(
            &mut *self
                .deferred_pages
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        fresh.extend(outputs::sitemap::sitemap(site, &pages));
        let mut kept = self.secondary.lock().unwrap_or_else(|e| e.into_inner());
        let gone = replaced(kept.iter().flatten(), &fresh);
        *kept = Some(fresh.clone());
        Some(Ok((fresh, gone)))
    }

    /// Raster images sanitised by this engine, and taken from the image cache.
    pub fn image_stats(&self) -> (usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        (
            self.images.sanitised.load(Relaxed),
            self.images.reused.load(Relaxed),
        )
    }

    pub fn stats(&self) -> RenderStats {
        use std::sync::atomic::Ordering::Relaxed;
        RenderStats {
            outputs_rendered: self.outputs.rendered.load(Relaxed),
            outputs_reused: self.outputs.reused.load(Relaxed),
            cards_rendered: self.cards.rendered.load(Relaxed),
            cards_reused: self.cards.reused.load(Relaxed),
            search_built: self.search.built.load(Relaxed),
            search_reused: self.search.reused.load(Relaxed),
        }
    }
}

/// The paths of `old` files that `fresh` does not have.
fn replaced<'a>(old: impl Iterator<Item = &'a OutputFile>, fresh: &[OutputFile]) -> Vec<String> {
    let now: std::collections::HashSet<&str> = fresh.iter().map(|f| f.path.as_str()).collect();
    old.filter(|f| !now.contains(f.path.as_str()))
        .map(|f| f.path.clone())
        .collect()
}

/// Load the site at `root` (configuration, theme, content) without rendering anything: for the
/// commands that look at one page (`radpress card`, `radpress social`).
pub fn load_site(root: &Path, publish: Publish) -> Result<(Site, Theme)> {
    input::register_root(root);
    let config = Config::from_root(root)?;
    let theme = Theme::load(root, &config.theme)?;
    let markdown = Markdown::default();
    let base_path = base_path(&config.base_url);
    let ctx = PageContext {
        markdown: &markdown,
        base_url: &config.base_url,
        base_path: &base_path,
        trusted_html: config.trusted_html,
    };
    let content = content::load(root, &ctx, None, None).map_err(Error::Site)?;
    let site = Site::assemble(
        root.to_path_buf(),
        config,
        base_path,
        content,
        publish,
        jiff::Timestamp::now(),
    );
    Ok((site, theme))
}

/// `radpress check`: every check, nothing written. Site errors come back as error findings, so
/// the author sees everything at once.
pub fn check(root: &Path, publish: Publish) -> Result<Vec<checks::Finding>> {
    let engine = Engine {
        privacy_findings: Some(std::sync::Mutex::default()),
        ..Engine::default()
    };
    let result = engine.render(root, publish);
    let privacy = engine
        .privacy_findings
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .unwrap_or_default();
    let mut findings = match result {
        Ok(rendered) => advisory_findings(&rendered.site),
        Err(Error::Site(diags)) => diags
            .into_iter()
            .map(|d| checks::Finding::new("build", checks::Severity::Error, d))
            .collect(),
        Err(e) => return Err(e),
    };
    findings.extend(privacy);
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    Ok(findings)
}

/// Findings that do not stop a build (warnings and notes).
pub fn advisory_findings(site: &Site) -> Vec<checks::Finding> {
    let mut findings = checks::readability::check(site);
    findings.extend(checks::plain_language::check(site));
    findings.extend(checks::starter::advisories(site));
    findings.extend(checks::readability::check_reviews(
        site,
        jiff::Timestamp::now(),
    ));
    // Grouped by file, then in file order; a page's grade note comes before its line findings.
    findings.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    findings
}

/// `radpress build`: render everything in memory, then write only what changed.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let output = if opts.output.is_absolute() {
        opts.output.clone()
    } else {
        opts.root.join(&opts.output)
    };
    writer::check_output_dir(&opts.root, &output)?;
    let options = format!("{:?}", opts.publish);
    let inputs = timing::phase("manifest", || {
        manifest::inputs(&opts.root, &output, &options)
    });
    if !opts.force
        && let Some(last) = manifest::up_to_date(&opts.root, &output, &inputs)
    {
        return Ok(BuildReport {
            pages: last.pages,
            files: last.files,
            written: 0,
            unchanged: last.files,
            removed: 0,
            output,
            cards_rendered: 0,
            up_to_date: true,
        });
    }
    manifest::forget(&opts.root);
    // Dropped uncommitted on any error below, which removes the pages staged so far.
    let staging = std::sync::Arc::new(writer::Staging::new(&output)?);
    let engine = Engine::staged(staging.clone());
    let rendered = engine.render(&opts.root, opts.publish)?;
    let stats = timing::phase("write", || writer::write_to_disk(&output, &rendered.files))?;
    staging.commit();
    let (pages, files) = (rendered.site.pages.len(), rendered.files.len());
    let valid_until = manifest::valid_until(rendered.site.next_publication);
    manifest::save(&opts.root, &output, &inputs, valid_until, pages, files);
    let cards_rendered = engine.stats().cards_rendered;
    engine.markdown.prune_disk_cache();
    // Freeing a whole site's pages and outputs takes a tenth of a second or more at 10,000
    // posts, and nothing needs to wait for it: `radpress build` exits without waiting.
    std::thread::spawn(move || drop((rendered, engine)));
    Ok(BuildReport {
        pages,
        files,
        written: stats.written,
        unchanged: stats.unchanged,
        removed: stats.removed,
        output,
        cards_rendered,
        up_to_date: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_url_path() {
        assert_eq!(base_path("https://x.org"), "");
        assert_eq!(base_path("https://x.org/"), "");
        assert_eq!(base_path("https://x.org/rad/"), "/rad");
    }
}
