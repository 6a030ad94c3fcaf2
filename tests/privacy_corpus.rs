//! The privacy guard measured on the generated corpus of tests/fixtures/privacy/corpus/: recall
//! per kind of identifier and false findings per 10 clean pages, for the part the rules were
//! tuned on (`tune/`) and for the held-out part written apart from them (`heldout/`).
//!
//! The targets are recall 0.99 for structured identifiers and 0.95 for names and places, and at
//! most one false finding per 10 clean pages, on each part. They are not met yet: each test fails
//! when its part falls below the floor measured when the test was last raised (`Floor`), and
//! prints the targets beside the measurement. Raise a floor whenever the guard improves; the
//! targets are the floors to reach.
//!
//! Regenerate a part with `python3 tests/fixtures/privacy/corpus/<part>/generate.py`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::fixture;
use radpress::checks::privacy::{Hit, Known, scan_file_name_with, scan_source_with, scan_with};

/// Kinds judged against the names floor; every other kind is structured.
const NAME_KINDS: &[&str] = &["name", "city"];
/// The targets every part must reach.
const TARGET: Floor = Floor {
    structured: 0.99,
    names: 0.95,
    false_per_10: 1.0,
};

/// What a part must not fall below (measured; raised as the guard improves).
#[derive(Clone, Copy)]
struct Floor {
    structured: f64,
    names: f64,
    false_per_10: f64,
}

#[derive(Default)]
struct Count {
    planted: usize,
    found: usize,
}

fn known_of(dir: &Path) -> Known {
    let mut texts = Vec::new();
    let mut phones = Vec::new();
    if let Ok(text) = fs::read_to_string(dir.join("practice.toml")) {
        let value: toml::Value = toml::from_str(&text).expect("practice.toml parses");
        let practice = &value["practice"];
        for key in ["name"] {
            if let Some(v) = practice.get(key).and_then(|v| v.as_str()) {
                texts.push(v.to_string());
            }
        }
        for key in ["phone", "fax"] {
            if let Some(v) = practice.get(key).and_then(|v| v.as_str()) {
                phones.push(v.to_string());
            }
        }
        for key in ["email", "website"] {
            if let Some(v) = practice.get(key).and_then(|v| v.as_str()) {
                texts.push(v.to_string());
            }
        }
        if let Some(a) = practice.get("address").and_then(|v| v.as_table()) {
            for v in a.values().filter_map(|v| v.as_str()) {
                texts.push(v.to_string());
            }
        }
    }
    let names = fs::read_to_string(dir.join("people.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    Known::new(texts, phones, names)
}

fn scan_file(path: &Path, text: &str, known: &Known) -> Vec<Hit> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("md") => scan_source_with(text, known),
        _ => scan_with(text, known),
    }
}

fn overlaps(hits: &[Hit], start: usize, end: usize) -> bool {
    hits.iter().any(|h| h.start < end && start < h.end)
}

/// Measures one part; returns the report and the failures.
fn measure(part: &str, floor: Floor) -> (String, Vec<String>) {
    let dir = fixture("privacy/corpus").join(part);
    let known = known_of(&dir);
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut hits_of: BTreeMap<String, (String, Vec<Hit>)> = BTreeMap::new();
    let labels = fs::read_to_string(dir.join("labels.tsv")).expect("labels.tsv");
    let mut labelled: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let mut published_as_group = 0;
    for line in labels
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, start, end, kind) = (
            cols[0],
            cols[1].parse::<usize>().unwrap(),
            cols[2].parse::<usize>().unwrap(),
            cols[3],
        );
        let (text, hits) = hits_of.entry(file.to_string()).or_insert_with(|| {
            let path = dir.join(file);
            let text = fs::read_to_string(&path).unwrap();
            let hits = scan_file(&path, &text, &known);
            (text, hits)
        });
        labelled
            .entry(file.to_string())
            .or_default()
            .push((start, end));
        // `[patient] age = 98` is published as "90+ years", never as written: no identifier
        // reaches the site (src/content/page.rs). Counted apart.
        let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
        if kind == "age-over-89" && text[line_start..start].trim() == "age =" {
            published_as_group += 1;
            continue;
        }
        let c = counts.entry(kind.to_string()).or_default();
        c.planted += 1;
        if overlaps(hits, start, end) {
            c.found += 1;
        } else {
            let from = (start.saturating_sub(50)..=start)
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(start);
            let to = (end..=(end + 30).min(text.len()))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(end);
            missed.push(format!(
                "missed {kind} in {file}: {:?} in …{}…",
                &text[start..end],
                text[from..to].replace('\n', "⏎")
            ));
        }
    }
    if let Ok(names) = fs::read_to_string(dir.join("filenames.tsv")) {
        for line in names
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let cols: Vec<&str> = line.split('\t').collect();
            let (kind, ident, name) = (cols[0], cols[1], cols[2]);
            let at = name
                .find(ident)
                .unwrap_or_else(|| panic!("{ident} not in {name}"));
            let hits = scan_file_name_with(name.trim_end_matches('/'), &known);
            let c = counts.entry(kind.to_string()).or_default();
            c.planted += 1;
            if overlaps(&hits, at, at + ident.len()) {
                c.found += 1;
            } else {
                missed.push(format!("missed {kind} in file name {name:?}"));
            }
        }
    }
    // Findings on planted pages that are no planted identifier (reported, not judged).
    let mut extra = 0;
    for (file, (text, hits)) in &hits_of {
        let spans = &labelled[file];
        for h in hits {
            if !spans.iter().any(|&(s, e)| h.start < e && s < h.end) {
                extra += 1;
                missed.push(format!(
                    "extra {} in {file}: {:?}",
                    h.rule,
                    &text[h.start..h.end]
                ));
            }
        }
    }
    // Clean pages: every finding is false.
    let mut pages = 0;
    let mut false_findings = 0;
    let mut clean: Vec<_> = fs::read_dir(dir.join("clean"))
        .expect("clean/")
        .map(|e| e.unwrap().path())
        .collect();
    clean.sort();
    for path in clean {
        let text = fs::read_to_string(&path).unwrap();
        pages += 1;
        for h in scan_file(&path, &text, &known) {
            false_findings += 1;
            missed.push(format!(
                "false {} in {}: {:?}",
                h.rule,
                path.file_name().unwrap().to_string_lossy(),
                &text[h.start..h.end]
            ));
        }
    }

    let mut report = format!("== {part}\nkind            planted  recall\n");
    let mut failures = Vec::new();
    let mut totals = [(0, 0), (0, 0)];
    for (kind, c) in &counts {
        let recall = c.found as f64 / c.planted.max(1) as f64;
        report.push_str(&format!("{kind:<15} {:>7}  {recall:.3}\n", c.planted));
        let names = NAME_KINDS.contains(&kind.as_str());
        let t = &mut totals[usize::from(names)];
        t.0 += c.planted;
        t.1 += c.found;
    }
    for (i, (label, floor, target)) in [
        ("structured", floor.structured, TARGET.structured),
        ("names", floor.names, TARGET.names),
    ]
    .into_iter()
    .enumerate()
    {
        let (planted, found) = totals[i];
        let recall = found as f64 / planted.max(1) as f64;
        report.push_str(&format!(
            "{label:<15} {planted:>7}  {recall:.3}  (floor {floor}, target {target})\n"
        ));
        if planted == 0 {
            failures.push(format!("{part}: no {label} identifiers planted"));
        } else if recall < floor {
            failures.push(format!("{part}: {label} recall {recall:.3} < {floor}"));
        }
    }
    report.push_str(&format!(
        "front-matter ages over 89 (published as \"90+ years\", not counted): {published_as_group}\n"
    ));
    let per10 = false_findings as f64 * 10.0 / pages.max(1) as f64;
    report.push_str(&format!(
        "clean pages {pages}, false findings {false_findings} ({per10:.2} per 10 pages; floor {}, target {}); findings on planted pages outside the planted spans: {extra}\n",
        floor.false_per_10, TARGET.false_per_10
    ));
    if per10 > floor.false_per_10 {
        failures.push(format!(
            "{part}: {per10:.2} false findings per 10 clean pages (at most {})",
            floor.false_per_10
        ));
    }
    if pages < 60 {
        failures.push(format!("{part}: only {pages} clean pages"));
    }
    // The held-out part shows its numbers only, unless asked: reading its misses is tuning on it.
    if !part.starts_with("heldout") || std::env::var_os("RADPRESS_SHOW_HELDOUT").is_some() {
        for m in &missed {
            report.push_str(&format!("  {m}\n"));
        }
    }
    (report, failures)
}

#[test]
fn recall_and_false_findings_on_the_tuning_part() {
    let (report, failures) = measure("tune", TARGET);
    println!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn recall_and_false_findings_on_the_second_tuning_part() {
    // Tuned on since 2026-12-07: structured 0.965, names 0.927, 1.75 false findings per 10
    // clean pages on 2026-12-08 (0.903, 0.849 and 11.23 when it landed). Floors at the latest
    // measurement; raise them as the guard improves.
    let floor = Floor {
        structured: 0.96,
        names: 0.92,
        false_per_10: 1.8,
    };
    let (report, failures) = measure("tune2", floor);
    println!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn recall_and_false_findings_on_the_held_out_part() {
    // Measured by its numbers only, never tuned on: structured 0.957, names 0.884, 6.06 false
    // findings per 10 clean pages on 2026-12-07; 0.960, 0.920 and 4.04 on 2026-12-08. The
    // targets are not met on this part yet.
    let floor = Floor {
        structured: 0.955,
        names: 0.915,
        false_per_10: 4.1,
    };
    let (report, failures) = measure("heldout", floor);
    println!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn recall_and_false_findings_on_the_second_held_out_part() {
    // Written on 2026-12-07 by a helper that read neither the guard nor the other parts, and
    // measured here once, numbers only, when it landed (never tuned on).
    // First measurement: structured 0.952, names 0.834, 9.02 false findings per 10 clean pages,
    // short of the targets, and below the first held-out part: the guard generalises less well
    // than the tuned parts show.
    let floor = Floor {
        structured: 0.95,
        names: 0.83,
        false_per_10: 9.1,
    };
    let (report, failures) = measure("heldout2", floor);
    println!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

    /// No text makes the guard panic: any mix of the characters its rules look at, multi-byte
    /// ones beside them.
    #[test]
    fn no_text_makes_the_guard_panic(
        text in "[-–—0-9A-Za-z &#;:/.,|^()\\[\\]<>'\"\n\t@+_=é漢🧑‍⚕️\u{3000}\u{a0}\u{2009}ß]{0,160}"
    ) {
        let known = Known::new(vec!["Riverside Radiology".into()], vec!["(555) 555-0142".into()], vec!["Ana Ruiz".into()]);
        let hits = scan_source_with(&text, &known);
        for h in hits {
            proptest::prop_assert!(h.start < h.end && h.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
        }
        let _ = scan_file_name_with(&text, &known);
    }
}
