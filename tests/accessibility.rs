//! Accessibility is checked, not assumed: the demo site's home, a case, a quiz case, an education
//! page and a person page are opened in headless Chromium (Debian's `chromium`) and checked with
//! axe-core against WCAG 2.2 A and AA, in the light and the dark colour scheme, and a quiz with
//! its reveal open too (`tests/browser/axe.mjs`). Any violation fails the test.
//!
//! Needs Node.js, /usr/bin/chromium and the npm packages of package.json: `scripts/test.sh`
//! installs them. Without them these tests fail, they do not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use radpress::{BuildOptions, Publish};

const INSTALL_HINT: &str = "run scripts/test.sh, which installs Chromium and the npm packages";
/// axe.mjs gives up by itself after 300 s; this is the backstop if node itself hangs.
const TIMEOUT: Duration = Duration::from_secs(420);

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Fails (never skips) when the browser test's tools are not installed.
fn require_tools() {
    let node = Command::new("node")
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    match node {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!("`node --version` failed ({}): {INSTALL_HINT}", out.status),
        Err(e) => panic!("no `node` on PATH ({e}): {INSTALL_HINT}"),
    }
    let chromium = chromium();
    assert!(
        chromium.is_file(),
        "no Chromium at {}: {INSTALL_HINT}",
        chromium.display()
    );
    for package in ["axe-core", "playwright-core"] {
        let manifest = repo()
            .join("node_modules")
            .join(package)
            .join("package.json");
        assert!(
            manifest.is_file(),
            "no {} (npm package {package}): {INSTALL_HINT}",
            manifest.display()
        );
    }
}

/// What a `node` command (`tests/browser/axe.mjs`, `node --test`) did.
struct NodeRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
}

impl NodeRun {
    fn output(&self) -> String {
        format!(
            "exit code {:?} after {:.1} s\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.seconds, self.stdout, self.stderr
        )
    }

    /// The JSON summary axe.mjs prints first.
    fn summary(&self) -> serde_json::Value {
        let mut values =
            serde_json::Deserializer::from_str(&self.stdout).into_iter::<serde_json::Value>();
        match values.next() {
            Some(Ok(v)) => v,
            _ => panic!("axe.mjs printed no JSON summary\n{}", self.output()),
        }
    }
}

fn run_axe(site: &Path, paths: &[String]) -> NodeRun {
    require_tools();
    let mut args = vec![
        repo().join("tests/browser/axe.mjs").into_os_string(),
        site.into(),
    ];
    args.extend(paths.iter().map(Into::into));
    run_node(&args)
}

/// Runs `node <args>` in the repository, output to files (no pipe to fill), killed after TIMEOUT.
fn run_node(args: &[std::ffi::OsString]) -> NodeRun {
    let out = common::run_node(args, TIMEOUT, INSTALL_HINT);
    let killed = out.code.is_none();
    let run = NodeRun {
        code: out.code,
        stdout: out.stdout,
        stderr: out.stderr,
        seconds: out.seconds,
    };
    assert!(
        !killed,
        "node did not finish within {} s; killed\n{}",
        TIMEOUT.as_secs(),
        run.output()
    );
    run
}

/// The built pages of a section (`out/<section>/<slug>/index.html`), as URL paths, sorted.
fn section_pages(out: &Path, section: &str) -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(out.join(section))
        .unwrap_or_else(|e| panic!("{section}/ in the built demo site: {e}"))
        .map(Result::unwrap)
        .filter(|e| e.file_name() != "page" && e.path().join("index.html").is_file())
        .map(|e| format!("/{section}/{}/", e.file_name().to_string_lossy()))
        .collect();
    pages.sort();
    pages
}

fn is_quiz(out: &Path, url_path: &str) -> bool {
    let html =
        std::fs::read_to_string(out.join(url_path.trim_matches('/')).join("index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    doc.select(&scraper::Selector::parse("details.reveal").unwrap())
        .next()
        .is_some()
}

#[test]
fn demo_site_pages_have_no_wcag_a_or_aa_violations() {
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

    let cases = section_pages(&out, "cases");
    let (quizzes, plain): (Vec<String>, Vec<String>) =
        cases.into_iter().partition(|p| is_quiz(&out, p));
    let pick = |list: &[String], what: &str| -> String {
        list.first()
            .unwrap_or_else(|| panic!("the demo site has no {what}"))
            .clone()
    };
    let paths = vec![
        "/".to_string(),
        pick(&plain, "case without a quiz"),
        pick(&quizzes, "quiz case"),
        pick(&section_pages(&out, "education"), "education page"),
        pick(&section_pages(&out, "people"), "person page"),
    ];

    let run = run_axe(&out, &paths);
    eprintln!(
        "axe-core on {} in {:.1} s: {}",
        paths.join(" "),
        run.seconds,
        if run.code == Some(0) { "ok" } else { "failed" }
    );
    assert_eq!(
        run.code,
        Some(0),
        "axe-core found WCAG 2.2 A/AA violations (or could not check the pages)\n{}",
        run.output()
    );
    // Every page was checked in both colour schemes (and the quiz with its reveal open too).
    let summary = run.summary();
    let runs = summary["runs"].as_array().expect("runs in the summary");
    for path in &paths {
        for scheme in ["light", "dark"] {
            assert!(
                runs.iter()
                    .any(|r| r["page"] == path.as_str() && r["colorScheme"] == scheme),
                "{path} was not checked in the {scheme} scheme\n{}",
                run.output()
            );
        }
    }
    assert!(
        runs.iter()
            .any(|r| r["page"] == paths[2].as_str() && r["state"] == "details open"),
        "the quiz {} was not checked with its reveal open\n{}",
        paths[2],
        run.output()
    );
}

/// The check can fail: a page with known violations is reported, by rule and page.
#[test]
fn axe_check_reports_violations() {
    require_tools();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("bad")).unwrap();
    std::fs::write(
        tmp.path().join("bad/index.html"),
        "<!doctype html><html><head><title>Bad</title>\
         <style>p { color: #aaa; background: #fff }</style></head>\
         <body><main><p>Faint text</p><a href=\"/bad/\"></a></main></body></html>",
    )
    .unwrap();
    let run = run_axe(tmp.path(), &["/bad/".to_string()]);
    assert_eq!(run.code, Some(1), "{}", run.output());
    for expected in [
        "color-contrast",
        "html-has-lang",
        "link-name",
        "page: /bad/",
    ] {
        assert!(
            run.stdout.contains(expected),
            "the report should name {expected}\n{}",
            run.output()
        );
    }
    assert!(run.summary()["violations"].as_u64().unwrap() > 0);
}

/// The file server the check uses serves the site's files and nothing outside it.
#[test]
fn browser_test_server_serves_only_the_site() {
    require_tools();
    let run = run_node(&[
        "--test".into(),
        repo().join("tests/browser/serve.test.mjs").into(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.output());
}
