//! Site search: what is indexed and what is not (quiz answers, drafts), the files of the index,
//! the index cache of `radpress serve`, and, in headless Chromium (`tests/browser/search.mjs`),
//! the search box, the results, a modality filter and a quiz diagnosis that finds nothing.
//!
//! The browser test needs Node.js, /usr/bin/chromium and the npm packages of package.json
//! (`scripts/test.sh` installs them); without them it fails, it does not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;
use radpress::outputs::search::{Record, records};
use radpress::{BuildOptions, Engine, Publish};

const INSTALL_HINT: &str = "run scripts/test.sh, which installs Chromium and the npm packages";
const TIMEOUT: Duration = Duration::from_secs(240);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn record<'a>(records: &'a [Record], url: &str) -> &'a Record {
    records
        .iter()
        .find(|r| r.url == url)
        .unwrap_or_else(|| panic!("no record for {url}: {:?}", urls(records)))
}

fn urls(records: &[Record]) -> Vec<&str> {
    records.iter().map(|r| r.url.as_str()).collect()
}

#[test]
fn drafts_are_never_indexed_and_quiz_answers_are_left_out() {
    let site = TestSite::new("basic");
    // Drafts are in the site (as in `radpress serve`), but never in the index.
    let rendered = radpress::render(
        site.root(),
        Publish {
            drafts: true,
            future: false,
        },
    )
    .unwrap();
    assert!(rendered.site.pages.iter().any(|p| p.draft));
    let records = records(&rendered.site);
    let drafts: Vec<&str> = rendered
        .site
        .pages
        .iter()
        .filter(|p| p.draft)
        .map(|p| p.path.as_str())
        .collect();
    for r in &records {
        assert!(!drafts.contains(&r.url.as_str()), "draft {} indexed", r.url);
        assert!(!r.content.contains("Draft diagnosis"));
    }

    let quiz = record(&records, "/cases/quiz-one/");
    let text = quiz.content.to_lowercase();
    for spoiler in [
        "appendicitis",
        "mesenteric adenitis",
        "non-compressible",
        "classic signs",
    ] {
        assert!(
            !text.contains(spoiler),
            "the quiz record gives away `{spoiler}`: {text}"
        );
    }
    assert!(
        !quiz
            .meta
            .values()
            .any(|v| v.to_lowercase().contains("appendicitis"))
    );
    assert_eq!(quiz.meta["title"], "Case 2: right lower quadrant pain");
    // What is shown before the reveal is searchable.
    assert!(
        text.contains("right lower quadrant pain and fever"),
        "{text}"
    );
    assert!(text.contains("blind-ending tubular structure"), "{text}");
    assert_eq!(quiz.filters["kind"], vec!["Teaching case".to_string()]);
    assert_eq!(quiz.filters["modality"], vec!["Ultrasound".to_string()]);
    assert!(quiz.filters.contains_key("region"));

    // Pages of every kind are indexed, with their kind.
    for (url, kind) in [
        ("/education/ct-scan/", "Patient education"),
        ("/posts/welcome/", "Article"),
        ("/people/jane-doe/", "Profile"),
    ] {
        assert_eq!(record(&records, url).meta["kind"], kind, "{url}");
    }
}

#[test]
fn a_case_that_is_not_a_quiz_is_indexed_whole() {
    let site = TestSite::new("basic");
    let rendered = radpress::render(site.root(), Publish::default()).unwrap();
    let records = records(&rendered.site);
    for page in rendered
        .site
        .pages
        .iter()
        .filter(|p| p.case.as_ref().is_some_and(|c| !c.is_quiz))
    {
        let r = record(&records, &page.path);
        let first_words: String = page
            .text
            .split_whitespace()
            .take(5)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            r.content
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&first_words),
            "{}: body text `{first_words}` not indexed",
            page.path
        );
    }
}

/// Every quiz case of the demo site: nothing of its answer reaches the index.
#[test]
fn demo_quiz_answers_are_not_indexed() {
    let rendered = radpress::render(repo(), Publish::default()).unwrap();
    let records = records(&rendered.site);
    let mut quizzes = 0;
    for page in &rendered.site.pages {
        let Some(case) = page.case.as_ref().filter(|c| c.is_quiz) else {
            continue;
        };
        quizzes += 1;
        let r = record(&records, &page.path);
        let all = format!("{} {:?}", r.content, r.meta).to_lowercase();
        let mut secrets = vec![case.diagnosis.clone()];
        secrets.extend(case.answer_title.clone());
        secrets.extend(case.differential.iter().cloned());
        secrets.extend(case.teaching_points.iter().cloned());
        for q in &case.quiz {
            secrets.extend(q.options.iter().filter_map(|o| o.rationale.clone()));
        }
        for secret in secrets {
            assert!(
                !all.contains(&secret.to_lowercase()),
                "{}: `{secret}` is in its search record",
                page.path
            );
        }
    }
    assert!(quizzes > 0, "the demo site has no quiz case");
}

#[test]
fn the_build_writes_the_index_pagefind_and_the_search_page() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let out = site.out();
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind-worker.js",
        "pagefind/wasm.en.pagefind",
        "search/index.html",
        "js/search.js",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    let index_files = std::fs::read_dir(out.join("pagefind/index"))
        .unwrap()
        .count();
    let fragments = std::fs::read_dir(out.join("pagefind/fragment"))
        .unwrap()
        .count();
    assert!(
        index_files >= 1 && fragments >= 5,
        "{index_files} index, {fragments} fragments"
    );
    let html = std::fs::read_to_string(out.join("search/index.html")).unwrap();
    for expected in [
        "role=\"search\"",
        "name=\"q\"",
        "aria-live=\"polite\"",
        "<noscript>",
        "/js/search.js",
    ] {
        assert!(html.contains(expected), "search page lacks {expected}");
    }
}

/// `radpress serve`'s engine: a rebuild where no searchable text changed reuses the index; an
/// edit of searchable text rebuilds it; an edit inside a quiz's reveal does not.
#[test]
fn the_index_is_rebuilt_only_when_a_record_changes() {
    let site = TestSite::new("basic");
    let engine = Engine::new();
    let render = |engine: &Engine| {
        let r = engine.render(site.root(), Publish::default()).unwrap();
        let index = r
            .files
            .iter()
            .filter(|f| f.path.starts_with("/pagefind/"))
            .count();
        engine.keep(r.site);
        (engine.stats(), index)
    };
    let (first, files) = render(&engine);
    assert_eq!((first.search_built, first.search_reused), (1, 0));
    assert!(files > 10);
    let (second, again) = render(&engine);
    assert_eq!((second.search_built, second.search_reused), (1, 1));
    assert_eq!(files, again, "the reused index has every file");

    // A template change re-renders pages but indexes nothing.
    let base = site.root().join("templates/base.html");
    let html = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&base, html.replace("</body>", "<!-- edited --></body>")).unwrap();
    let (third, _) = render(&engine);
    assert_eq!((third.search_built, third.search_reused), (1, 2));

    // A post's body text is searchable: the index is built again.
    let post = site.root().join("content/posts/welcome.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\nA new searchable sentence.\n")).unwrap();
    let (fourth, _) = render(&engine);
    assert_eq!((fourth.search_built, fourth.search_reused), (2, 2));
}

/// A new process (a fresh engine) building text it has indexed before takes the index kept in
/// .radpress-cache/search/ instead of running Pagefind, byte for byte the same; new searchable
/// text runs Pagefind again.
#[test]
fn a_later_build_reuses_the_index_kept_on_disk() {
    let site = TestSite::new("basic");
    let index_of = |engine: &Engine| {
        let r = engine.render(site.root(), Publish::default()).unwrap();
        let mut files: Vec<(String, Vec<u8>)> = r
            .files
            .iter()
            .filter(|f| f.path.starts_with("/pagefind/"))
            .map(|f| match &f.body {
                radpress::outputs::Body::Bytes(b) => (f.path.clone(), b.to_vec()),
                _ => panic!("{} is not in memory", f.path),
            })
            .collect();
        files.sort();
        let stats = engine.stats();
        (files, stats.search_built, stats.search_reused)
    };
    let (first, built, _) = index_of(&Engine::new());
    assert_eq!(built, 1);
    let kept: Vec<_> = std::fs::read_dir(site.root().join(".radpress-cache/search"))
        .unwrap()
        .collect();
    assert_eq!(kept.len(), 1, "one index kept");
    let (second, built, reused) = index_of(&Engine::new());
    assert_eq!((built, reused), (0, 1), "the kept index is used");
    assert_eq!(first, second);

    let post = site.root().join("content/posts/welcome.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\nA new searchable sentence.\n")).unwrap();
    let (third, built, _) = index_of(&Engine::new());
    assert_eq!(built, 1, "new text is indexed");
    assert_ne!(first, third);
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Fails (never skips) when the browser test's tools are not installed.
fn require_tools() {
    match Command::new("node")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!("`node --version` failed ({}): {INSTALL_HINT}", out.status),
        Err(e) => panic!("no `node` on PATH ({e}): {INSTALL_HINT}"),
    }
    assert!(
        chromium().is_file(),
        "no Chromium at {}: {INSTALL_HINT}",
        chromium().display()
    );
    let manifest = repo().join("node_modules/playwright-core/package.json");
    assert!(
        manifest.is_file(),
        "no {}: {INSTALL_HINT}",
        manifest.display()
    );
}

/// The diagnosis of the first quiz case of the demo site, and its URL path.
fn demo_quiz() -> (String, String) {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("content/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("index.md").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let text = std::fs::read_to_string(dir.join("index.md")).unwrap();
        if !text.contains("[[quiz]]") {
            continue;
        }
        let diagnosis = text
            .lines()
            .find_map(|l| l.strip_prefix("diagnosis = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .expect("a quiz case has a diagnosis")
            .to_string();
        let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
        return (diagnosis, format!("/cases/{slug}/"));
    }
    panic!("the demo site has no quiz case");
}

#[test]
fn search_works_in_a_browser() {
    require_tools();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    radpress::build(&BuildOptions {
        root: repo().to_path_buf(),
        output: out.clone(),
        publish: Publish::default(),
        force: false,
    })
    .unwrap_or_else(|e| panic!("the demo site must build:\n{e}"));
    // The header of every page has the search box, which works without JavaScript.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("action=\"/search/\"") && home.contains("name=\"q\""));

    let (diagnosis, quiz) = demo_quiz();
    let args: Vec<std::ffi::OsString> = [
        repo().join("tests/browser/search.mjs").into_os_string(),
        out.clone().into_os_string(),
        "contrast".into(),
        "/education/contrast-dye/".into(),
        diagnosis.into(),
        quiz.into(),
    ]
    .into();
    let run = common::run_node(&args, TIMEOUT, INSTALL_HINT);
    let status = run.code;
    let output = format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        run.stdout, run.stderr
    );
    eprintln!("{output}");
    assert!(
        status == Some(0),
        "search.mjs failed ({status:?})\n{output}"
    );
}

/// Numbers for `bench/search.sh` on a generated site (`RADPRESS_BENCH_SITE`): a cold render, the
/// Pagefind index build alone, the index size, and what `radpress serve` pays for a rebuild with
/// no searchable change and for an edit of one post.
#[test]
#[ignore = "benchmark: run by bench/search.sh"]
fn bench_search_index() {
    let root = PathBuf::from(std::env::var_os("RADPRESS_BENCH_SITE").expect("RADPRESS_BENCH_SITE"));
    let publish = Publish::default();
    let engine = Engine::new();
    let t = Instant::now();
    let rendered = engine.render(&root, publish).unwrap();
    let cold = t.elapsed().as_secs_f64();
    let records = records(&rendered.site);
    let record_count = records.len();
    let t = Instant::now();
    let files = radpress::outputs::search::build_index("en", records).unwrap();
    let index_alone = t.elapsed().as_secs_f64();
    let is_index = |name: &str| {
        ["index/", "fragment/", "filter/"]
            .iter()
            .any(|p| name.starts_with(p))
            || name.ends_with(".pf_meta")
            || name == "pagefind-entry.json"
    };
    let index_bytes: usize = files
        .iter()
        .filter(|(n, _)| is_index(n))
        .map(|(_, b)| b.len())
        .sum();
    let index_files = files.iter().filter(|(n, _)| is_index(n)).count();
    let all_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    engine.keep(rendered.site);

    // A save that changes nothing searchable: the same file, touched.
    let post = walkdir::WalkDir::new(root.join("content/posts"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
        .expect("a post")
        .into_path();
    let original = std::fs::read_to_string(&post).unwrap();
    let timed = |engine: &Engine| {
        let t = Instant::now();
        let r = engine
            .render_changed(&root, publish, Some(std::slice::from_ref(&post)))
            .unwrap();
        let s = t.elapsed().as_secs_f64();
        engine.keep(r.site);
        (s, engine.stats())
    };
    std::fs::write(&post, &original).unwrap();
    let (touch, touch_stats) = timed(&engine);
    std::fs::write(
        &post,
        format!("{original}\nOne more searchable sentence about gadolinium.\n"),
    )
    .unwrap();
    let (edit, edit_stats) = timed(&engine);
    std::fs::write(&post, &original).unwrap();
    println!(
        "{}",
        serde_json::json!({
            "records": record_count,
            "cold_render_s": cold,
            "index_build_s": index_alone,
            "index_files": index_files,
            "index_bytes": index_bytes,
            "pagefind_total_bytes": all_bytes,
            "rebuild_unchanged_s": touch,
            "rebuild_unchanged_index_reused": touch_stats.search_reused,
            "rebuild_edit_s": edit,
            "rebuild_edit_index_built": edit_stats.search_built,
        })
    );
}
