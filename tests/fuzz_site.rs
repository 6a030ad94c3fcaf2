//! The whole build fuzzed: random file layouts (hostile names, links, deep folders), random front
//! matter (known keys with hostile values, and plain junk) and random Markdown (raw HTML, huge
//! and repeated constructs, control characters) laid over a small site that built before.
//!
//! For every generated site, `radpress build`:
//! - does not panic and finishes (a build that runs past a minute fails the case);
//! - writes nothing outside the site's `public/` and `.radpress-cache/`: a folder beside the
//!   site and the site's own sources are compared before and after;
//! - publishes nothing from outside the site (a canary file beside it is linked in);
//! - when it fails, leaves the last good `public/` byte-identical.
//!
//! CI runs a bounded number of cases (`RADPRESS_FUZZ_CASES`, 48 by default). A long run:
//! `RADPRESS_FUZZ_SECONDS=3600 cargo test --release --test fuzz_site -- --nocapture` runs batches
//! of cases with fresh seeds until the time is up and prints how many it ran.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRng, TestRunner};

const CANARY: &str = "canary-from-outside-the-site";

/// Generated sites that built, for the summary (a fuzzer whose every case fails early tests
/// little).
static BUILT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// One file (or link) of a generated site.
#[derive(Debug, Clone)]
enum Entry {
    Page {
        path: String,
        front: Vec<(String, String)>,
        junk_front: Option<String>,
        body: String,
    },
    Bytes {
        path: String,
        bytes: Vec<u8>,
    },
    /// A link at `path` to the canary beside the site, or to a folder outside it.
    Link {
        path: String,
        to_folder: bool,
    },
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => "[a-z0-9][a-z0-9-]{0,10}",
        1 => Just("..".to_string()),
        1 => Just(".".to_string()),
        1 => Just("con".to_string()),
        1 => Just("Cases".to_string()),
        1 => Just("cases".to_string()),
        1 => Just("a b".to_string()),
        1 => Just("x".repeat(300)),
        1 => "\\PC{1,6}",
        1 => Just("_index.md".to_string()),
        1 => Just("index.md".to_string()),
    ]
}

fn rel_path(top: &'static str, ext: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 0..4).prop_map(move |dirs| {
        let mut path = String::from(top);
        for d in &dirs {
            path.push('/');
            path.push_str(d);
        }
        if !path.ends_with(".md") || ext != "md" {
            path.push_str(&format!("/f.{ext}"));
        }
        path
    })
}

/// Values a hostile or careless author might write, as TOML.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"Title\"".to_string()),
        Just("\"../../escaped.html\"".to_string()),
        Just("[\"../../x.html\", \"/./index.html\", \"/a//b/\"]".to_string()),
        Just("[\"/cases/\", \"/index.html\"]".to_string()),
        Just("2026-01-10".to_string()),
        Just("2999-01-01".to_string()),
        Just("true".to_string()),
        Just("\"\\u0000 NUL\"".to_string()),
        Just("\"<!-- <script>alert(1)</script>\"".to_string()),
        Just("[\"CT\", \"MR\"]".to_string()),
        Just(format!("\"{}\"", "t".repeat(10_000))),
        Just("[\"con\", \"NUL\", \"a/b\", \"..\"]".to_string()),
        Just("-1".to_string()),
        Just("{ a = 1 }".to_string()),
        "\"[^\"\\\\\\PC]{0,30}\"",
        "[0-9]{1,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "title", "date", "draft", "tags", "aliases", "slug", "path", "authors", "summary",
            "modality", "modalities", "systems", "body_regions", "kind", "template", "weight",
            "diagnosis", "updated", "quiz", "description", "image",
        ])
        .prop_map(str::to_string),
        1 => "[a-z_]{1,10}",
    ]
}

/// Markdown pieces that have broken builds or that a hostile author would try.
fn markdown() -> impl Strategy<Value = String> {
    let benign = prop_oneof![
        Just("# Heading\n\n".to_string()),
        Just("Plain text of a teaching case.\n\n".to_string()),
        Just("- a list\n- of items\n\n".to_string()),
        Just("<details><summary>Answer</summary>\n\nIt was benign.\n\n</details>\n\n".to_string()),
        Just("[home](/)\n\n".to_string()),
        "[a-zA-Z ,.]{0,80}\n\n",
    ];
    let piece = prop_oneof![
        Just("# Heading\n\n".to_string()),
        Just("## Same\n\n".repeat(50)),
        Just("<script>alert(1)</script>\n\n".to_string()),
        Just("<img src=x onerror=alert(1)>\n\n".to_string()),
        Just("[click](javascript:alert(1))\n\n".to_string()),
        Just("<iframe srcdoc=\"<script>x</script>\"></iframe>\n\n".to_string()),
        Just("![scan](/images/missing.png)\n\n".to_string()),
        Just("![scan](../../../etc/passwd)\n\n".to_string()),
        Just("[link](/cases/nowhere/)\n\n".to_string()),
        Just("```rust\nfn main() {}\n```\n\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n\n".to_string()),
        Just("[^1]\n\n[^1]: a note\n\n".to_string()),
        Just(">".repeat(500) + " deep\n\n"),
        Just("*".repeat(2000) + "\n\n"),
        Just("[".repeat(2000) + "\n\n"),
        Just("text\0with NUL\n\n".to_string()),
        Just("+++\n".to_string()),
        "\\PC{0,40}\n\n",
    ];
    prop::collection::vec(prop_oneof![10 => benign, 1 => piece], 0..8).prop_map(|p| p.concat())
}

/// Keys with values of the right type, some of them hostile in content.
fn valid_pair() -> impl Strategy<Value = (String, String)> {
    prop::sample::select(vec![
        ("tags", "[\"chest\", \"emergency\"]"),
        ("tags", "[\"Con\"]"),
        ("tags", "[\"a very long tag that goes on\"]"),
        ("aliases", "[\"/old/address/\"]"),
        ("aliases", "[\"/posts/\"]"),
        ("aliases", "[\"../../escaped.html\"]"),
        (
            "summary",
            "\"A short summary with <b>bold</b> & an ampersand.\"",
        ),
        ("draft", "false"),
        ("draft", "true"),
        ("slug", "\"another-slug\""),
        ("slug", "\"index\""),
        ("date", "2999-12-31"),
        ("title", "\"<!-- <script>alert(1)</script>\""),
        ("title", "\"Ünïcödé 漢字 🧑‍⚕️\""),
    ])
    .prop_map(|(k, v)| (k.to_string(), v.to_string()))
}

/// Front matter: mostly a title and a date with a few more keys, sometimes anything at all.
fn front() -> impl Strategy<Value = Vec<(String, String)>> {
    let extra = prop::collection::vec(prop_oneof![8 => valid_pair(), 1 => (key(), value())], 0..3);
    prop_oneof![
        4 => extra.prop_map(|mut keys| {
            keys.insert(0, ("title".into(), "\"A page\"".into()));
            keys.insert(1, ("date".into(), "2026-01-10".into()));
            let mut seen = std::collections::HashSet::new();
            keys.retain(|(k, _)| seen.insert(k.clone()));
            keys
        }),
        1 => prop::collection::vec((key(), value()), 0..6),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        8 => (
            rel_path("content", "md"),
            front(),
            prop::option::weighted(0.05, "\\PC{0,60}"),
            markdown(),
        )
            .prop_map(|(path, front, junk_front, body)| Entry::Page {
                path,
                front,
                junk_front,
                body,
            }),
        2 => (
            prop_oneof![
                4 => rel_path("static", "txt"),
                1 => rel_path("static", "png"),
                1 => rel_path("content", "gif"),
            ],
            prop::collection::vec(any::<u8>(), 0..64),
        )
            .prop_map(|(path, bytes)| Entry::Bytes { path, bytes }),
        1 => (
            prop_oneof![
                rel_path("static", "txt"),
                rel_path("content", "md"),
                Just(".radpress-cache".to_string()),
                Just("public/posts".to_string()),
                Just("themes".to_string()),
            ],
            any::<bool>(),
        )
            .prop_map(|(path, to_folder)| Entry::Link { path, to_folder }),
    ]
}

/// Every file under `dir` (links as their targets' names), with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path().to_path_buf();
            let bytes = if e.file_type().is_file() {
                std::fs::read(&path).unwrap_or_default()
            } else if e.file_type().is_symlink() {
                std::fs::read_link(&path)
                    .map(|t| t.to_string_lossy().into_owned().into_bytes())
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            (path, bytes)
        })
        .collect();
    out.sort();
    out
}

/// The site's own files: everything but the output and the cache.
fn sources(site: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    tree(site)
        .into_iter()
        .filter(|(p, _)| {
            let rel = p.strip_prefix(site).unwrap();
            !rel.starts_with("public") && !rel.starts_with(".radpress-cache")
        })
        .collect()
}

fn write_entry(site: &Path, outside: &Path, entry: &Entry) {
    let place = |rel: &str| -> Option<PathBuf> {
        // Generated names may hold `..`; the test itself never writes outside the site.
        let p = site.join(rel);
        let inside = p
            .components()
            .all(|c| !matches!(c, std::path::Component::ParentDir));
        inside.then_some(p)
    };
    match entry {
        Entry::Page {
            path,
            front,
            junk_front,
            body,
        } => {
            let Some(p) = place(path) else { return };
            let mut text = String::from("+++\n");
            for (k, v) in front {
                text.push_str(&format!("{k} = {v}\n"));
            }
            if let Some(junk) = junk_front {
                text.push_str(junk);
                text.push('\n');
            }
            text.push_str("+++\n");
            text.push_str(body);
            let _ = std::fs::create_dir_all(p.parent().unwrap());
            let _ = std::fs::write(p, text);
        }
        Entry::Bytes { path, bytes } => {
            let Some(p) = place(path) else { return };
            let _ = std::fs::create_dir_all(p.parent().unwrap());
            let _ = std::fs::write(p, bytes);
        }
        Entry::Link { path, to_folder } => {
            let Some(p) = place(path) else { return };
            let _ = std::fs::create_dir_all(p.parent().unwrap());
            if p.exists() {
                let _ = std::fs::remove_dir_all(&p);
                let _ = std::fs::remove_file(&p);
            }
            let target = if *to_folder {
                outside.to_path_buf()
            } else {
                outside.join("canary.txt")
            };
            #[cfg(unix)]
            let _ = std::os::unix::fs::symlink(target, &p);
        }
    }
}

fn build(site: &Path) -> std::thread::Result<radpress::Result<radpress::BuildReport>> {
    let opts = radpress::BuildOptions {
        root: site.to_path_buf(),
        output: PathBuf::from("public"),
        publish: radpress::Publish::default(),
        force: true,
    };
    std::panic::catch_unwind(|| radpress::build(&opts))
}

/// One case: the base site builds, the entries are laid over it, and the build of the result is
/// checked (see the module comment).
fn check(entries: &[Entry]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(outside.join("static")).unwrap();
    std::fs::write(outside.join("canary.txt"), CANARY).unwrap();
    std::fs::write(outside.join("static/canary.txt"), CANARY).unwrap();
    common::copy_dir(&common::fixture("fuzz-base"), &site);
    let first = build(&site).map_err(|_| TestCaseError::fail("the base site panicked"))?;
    prop_assert!(first.is_ok(), "the base site must build: {:?}", first.err());

    for e in entries {
        write_entry(&site, &outside, e);
    }
    let outside_before = tree(&outside);
    let sources_before = sources(&site);
    let public = site.join("public");
    let public_before = if std::fs::symlink_metadata(&public).is_ok_and(|m| m.is_dir()) {
        Some(tree(&public))
    } else {
        None
    };

    let (tx, rx) = std::sync::mpsc::channel();
    let site_for_build = site.clone();
    std::thread::spawn(move || {
        let _ = tx.send(build(&site_for_build));
    });
    let result = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(result) => result,
        Err(_) => {
            return Err(TestCaseError::fail(format!(
                "the build hangs: {entries:#?}"
            )));
        }
    };
    let result = result.map_err(|_| TestCaseError::fail(format!("panic: {entries:#?}")))?;
    match &result {
        Ok(_) => {
            BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Err(e) if std::env::var_os("RADPRESS_FUZZ_SHOW").is_some() => {
            eprintln!(
                "fuzz error: {}",
                e.to_string().lines().next().unwrap_or_default()
            );
        }
        Err(_) => {}
    }

    prop_assert_eq!(tree(&outside), outside_before, "written outside the site");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    prop_assert_eq!(
        names.len(),
        2,
        "something appeared beside the site: {:?}",
        names
    );
    prop_assert_eq!(sources(&site), sources_before, "the site's sources changed");
    if std::fs::symlink_metadata(&public).is_ok_and(|m| m.is_dir()) {
        for (path, bytes) in tree(&public) {
            prop_assert!(
                !String::from_utf8_lossy(&bytes).contains(CANARY),
                "{} publishes a file from outside the site",
                path.display()
            );
        }
    }
    if result.is_err()
        && let Some(before) = public_before
    {
        prop_assert_eq!(
            tree(&public),
            before,
            "a failed build changed the last good site"
        );
    }
    Ok(())
}

fn site_strategy() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec(entry(), 1..4)
}

#[test]
fn random_sites_never_panic_hang_or_touch_anything_outside() {
    let cases: u32 = std::env::var("RADPRESS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    let budget = std::env::var("RADPRESS_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_secs);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let started = Instant::now();
    let mut executed = 0u64;
    let mut batch = 0u64;
    loop {
        // Fixed seeds: a CI failure can be replayed; a long run walks through many of them.
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&batch.to_le_bytes());
        let rng = TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &seed);
        let mut runner = TestRunner::new_with_rng(config.clone(), rng);
        if let Err(e) = runner.run(&site_strategy(), |entries| check(&entries)) {
            panic!("batch {batch}: {e}");
        }
        executed += u64::from(cases);
        batch += 1;
        match budget {
            Some(budget) if started.elapsed() < budget => continue,
            _ => break,
        }
    }
    println!(
        "fuzz: {executed} sites built in {:.0} s ({} of them without an error), no panic, hang or escape",
        started.elapsed().as_secs_f64(),
        BUILT.load(std::sync::atomic::Ordering::Relaxed)
    );
}
