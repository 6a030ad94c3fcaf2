//! Rebuilds in one process (what `radpress serve` does) render only what an edit affects.

mod common;

use common::TestSite;
use radpress::{Engine, Publish};

fn render(engine: &Engine, site: &TestSite) -> radpress::RenderStats {
    let rendered = engine.render(site.root(), Publish::default()).unwrap();
    engine.keep(rendered.site);
    engine.stats()
}

#[test]
fn unchanged_site_renders_nothing_again() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let first = render(&engine, &site);
    assert!(
        first.outputs_rendered > 20 && first.outputs_reused == 0,
        "{first:?}"
    );
    let second = render(&engine, &site);
    assert_eq!(second.outputs_rendered, 0, "{second:?}");
    assert_eq!(second.outputs_reused, first.outputs_rendered);
}

#[test]
fn editing_one_body_renders_that_page_and_the_listings_that_show_it() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let first = render(&engine, &site);
    let path = site.root().join("content/posts/welcome.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("We have a new site.", "We have a brand new site."),
    )
    .unwrap();
    let rendered = engine.render(site.root(), Publish::default()).unwrap();
    let post = rendered
        .files
        .iter()
        .find(|f| f.path == "/posts/welcome/index.html")
        .unwrap();
    let radpress::outputs::Body::Bytes(bytes) = &post.body else {
        panic!()
    };
    assert!(String::from_utf8_lossy(bytes).contains("brand new site"));
    engine.keep(rendered.site);
    let stats = engine.stats();
    // The post, the home page and the posts section list it, the news tag page, and the author's
    // page lists it: five pages, not the whole site.
    assert_eq!(stats.outputs_rendered, 5, "{stats:?}");
    assert_eq!(stats.outputs_reused, first.outputs_rendered - 5);
}

#[test]
fn changing_a_title_or_a_template_renders_everything() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let first = render(&engine, &site);
    let path = site.root().join("content/about.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("title = \"About\"", "title = \"About us\""),
    )
    .unwrap();
    assert_eq!(
        render(&engine, &site).outputs_rendered,
        first.outputs_rendered
    );
    let base = site.root().join("templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&base, text.replace("<main", "<main data-x=\"1\"")).unwrap();
    assert_eq!(
        render(&engine, &site).outputs_rendered,
        first.outputs_rendered
    );
}

#[test]
fn a_failed_rebuild_keeps_the_caches_for_the_fix() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let first = render(&engine, &site);
    let path = site.root().join("content/posts/welcome.md");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        good.replace("(../../education/ct-scan/)", "(/nowhere/)"),
    )
    .unwrap();
    assert!(engine.render(site.root(), Publish::default()).is_err());
    std::fs::write(&path, &good).unwrap();
    // Only the pages the broken edit touched render again, not the whole site.
    let fixed = render(&engine, &site);
    assert!(fixed.outputs_rendered <= 5, "{fixed:?} after {first:?}");
}

#[test]
fn watcher_hints_reread_only_edited_files_and_fall_back_for_new_ones() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let root = site.root().canonicalize().unwrap();
    let first = engine.render(&root, Publish::default()).unwrap();
    engine.keep(first.site);

    let post = root.join("content/posts/welcome.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text.replace("We have a new site.", "Edited through a hint."),
    )
    .unwrap();
    let hinted = engine
        .render_changed(&root, Publish::default(), Some(std::slice::from_ref(&post)))
        .unwrap();
    let page = hinted
        .files
        .iter()
        .find(|f| f.path == "/posts/welcome/index.html")
        .unwrap();
    let radpress::outputs::Body::Bytes(bytes) = &page.body else {
        panic!()
    };
    assert!(String::from_utf8_lossy(bytes).contains("Edited through a hint."));
    engine.keep(hinted.site);

    // A file the last load did not know: the hint is not enough, everything is walked again.
    let new = root.join("content/posts/new.md");
    std::fs::write(
        &new,
        "+++\ntitle = \"New\"\ndate = 2026-02-02\n+++\nNew page.\n",
    )
    .unwrap();
    let again = engine
        .render_changed(&root, Publish::default(), Some(std::slice::from_ref(&new)))
        .unwrap();
    assert!(
        again
            .files
            .iter()
            .any(|f| f.path == "/posts/new/index.html")
    );
}

/// The link check skips pages it found good while the site's paths stay the same, but a page
/// that goes away is still missed by the unchanged pages that link to it.
#[test]
fn a_removed_page_breaks_the_links_of_unchanged_pages() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let first = engine.render(site.root(), Publish::default()).unwrap();
    engine.keep(first.site);
    let again = engine.render(site.root(), Publish::default()).unwrap();
    engine.keep(again.site);

    // content/cases/pneumothorax.md links to /education/ct-scan/.
    std::fs::remove_file(site.root().join("content/education/ct-scan.md")).unwrap();
    let Err(radpress::error::Error::Site(problems)) =
        engine.render(site.root(), Publish::default())
    else {
        panic!("a link to a removed page must fail the build");
    };
    assert!(
        problems
            .iter()
            .any(|d| d.file.ends_with("content/cases/pneumothorax.md")
                && d.message.contains("/education/ct-scan/")),
        "{problems:?}"
    );
}

/// After a save of only Markdown files, serve takes the other files as the last good render saw
/// them, without asking the file system. A render that failed before it got to the files does not
/// count: an image replaced along with it is published new once the Markdown is fixed.
#[test]
fn files_changed_during_a_failed_render_are_seen_after_the_fix() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let root = site.root().canonicalize().unwrap();
    let first = engine.render(&root, Publish::default()).unwrap();
    engine.keep(first.site);

    let post = root.join("content/posts/welcome.md");
    let good = std::fs::read_to_string(&post).unwrap();
    let png = root.join("static/images/chest.png");
    image::RgbImage::from_pixel(3, 2, image::Rgb([200, 0, 0]))
        .save(&png)
        .unwrap();
    // A patient identifier stops the render before any file is looked at.
    std::fs::write(&post, format!("{good}\nSSN 123-45-6789.\n")).unwrap();
    let changed = [png.clone(), post.clone()];
    assert!(
        engine
            .render_changed(&root, Publish::default(), Some(&changed))
            .is_err()
    );

    std::fs::write(&post, &good).unwrap();
    let fixed = engine
        .render_changed(&root, Publish::default(), Some(std::slice::from_ref(&post)))
        .unwrap();
    let file = fixed
        .files
        .iter()
        .find(|f| f.path == "/images/chest.png")
        .unwrap();
    let radpress::outputs::Body::Copy(radpress::theme::Source::Disk(published)) = &file.body else {
        panic!("{file:?}")
    };
    let img = image::open(published).unwrap();
    assert_eq!(
        (img.width(), img.height()),
        (3, 2),
        "the new image, sanitised"
    );
}

/// Give every file under `dir` a modification time an hour ago, as if the site had been written
/// earlier (files saved just before a build make it keep no manifest).
fn age_files(dir: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(then).unwrap();
        }
    }
}

/// A new `radpress build` of a site where nothing changed only looks at file dates and sizes; an
/// edited source, an output file gone, a future-dated page whose date came, or `--force` build
/// again.
#[test]
fn a_build_with_nothing_changed_does_nothing() {
    let site = TestSite::new("basic");
    age_files(site.root());
    let first = site.build().unwrap();
    assert!(!first.up_to_date && first.written > 20);
    let again = site.build().unwrap();
    assert!(again.up_to_date, "{again:?}");
    assert_eq!((again.written, again.pages), (0, first.pages));

    // An edited post.
    let post = site.root().join("content/posts/welcome.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text.replace("We have a new site.", "We have a NEW site."),
    )
    .unwrap();
    let edited = site.build().unwrap();
    assert!(!edited.up_to_date && edited.written >= 1);
    assert!(
        site.read("posts/welcome/index.html")
            .contains("We have a NEW site.")
    );
    // Saved within seconds of the build: not trusted, so the next build runs in full too.
    assert!(!site.build().unwrap().up_to_date);

    // An output file removed or changed by hand.
    age_files(site.root());
    site.build().unwrap();
    assert!(site.build().unwrap().up_to_date);
    std::fs::remove_file(site.out().join("posts/welcome/index.html")).unwrap();
    let restored = site.build().unwrap();
    assert!(
        !restored.up_to_date && restored.written == 1,
        "{restored:?}"
    );
    assert!(site.out().join("posts/welcome/index.html").is_file());

    // --force.
    age_files(site.root());
    site.build().unwrap();
    let forced = site.build_forced().unwrap();
    assert!(!forced.up_to_date);

    // A page dated a few seconds ahead is published once its date has come.
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    site.write(
        "content/posts/soon.md",
        &format!("+++\ntitle = \"Soon\"\ndate = {soon}\n+++\nSoon.\n"),
    );
    age_files(site.root());
    site.build().unwrap();
    assert!(!site.out().join("posts/soon/index.html").exists());
    std::thread::sleep(std::time::Duration::from_secs(4));
    let later = site.build().unwrap();
    assert!(!later.up_to_date);
    assert!(site.out().join("posts/soon/index.html").is_file());
}

/// The highlighted HTML of every code block on disk (`.radpress-cache/highlight/`).
fn cached_blocks(site: &TestSite) -> Vec<(std::path::PathBuf, String)> {
    let dir = site.root().join(".radpress-cache/highlight");
    let mut blocks: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    let path = e.unwrap().path();
                    let html = std::fs::read_to_string(&path).unwrap();
                    (path, html)
                })
                .collect()
        })
        .unwrap_or_default();
    blocks.sort();
    blocks
}

#[test]
fn highlighted_code_is_kept_between_builds_and_pruned_when_gone() {
    let site = TestSite::new("basic");
    let page = "cases/pneumothorax/index.html";
    let code = |site: &TestSite| {
        let doc = site.html(page);
        let pre = scraper::Selector::parse("pre.code[data-lang=python] code").unwrap();
        doc.select(&pre).next().map(|c| c.inner_html())
    };
    site.build().unwrap();
    let blocks = cached_blocks(&site);
    assert_eq!(blocks.len(), 1, "{blocks:?}");
    let (path, html) = &blocks[0];
    assert!(html.contains("<span class=\"hl-"), "{html}");
    assert_eq!(code(&site).as_deref(), Some(html.as_str()));

    // A new process takes the block from the cache instead of highlighting it again: a marker
    // written into the cache file shows up in the page.
    std::fs::write(path, "<span class=\"hl-marker\">from the cache</span>").unwrap();
    let force = || site.build_forced().unwrap();
    force();
    assert_eq!(
        code(&site).as_deref(),
        Some("<span class=\"hl-marker\">from the cache</span>")
    );

    // A damaged cache file (not UTF-8) is highlighted again and replaced.
    std::fs::write(path, b"\xff\xfe not text").unwrap();
    force();
    assert_eq!(code(&site).as_deref(), Some(html.as_str()));
    assert_eq!(cached_blocks(&site), blocks);

    // Changed code gets its own block; the old one, used by no page, is removed.
    let md = site.root().join("content/cases/pneumothorax.md");
    let text = std::fs::read_to_string(&md).unwrap();
    let fence = text.find("```python\n").unwrap() + "```python\n".len();
    let mut edited = text.clone();
    edited.insert_str(fence, "answer = 42\n");
    std::fs::write(&md, edited).unwrap();
    force();
    let after = cached_blocks(&site);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after[0].0, blocks[0].0);
    assert!(after[0].1.contains("answer"), "{}", after[0].1);
    assert_eq!(code(&site).as_deref(), Some(after[0].1.as_str()));
}
