//! The privacy check: recall on the first labelled sentences of tests/fixtures/privacy/ (each
//! identifier with a context word, kept as a regression set beside the larger generated corpus of
//! tests/privacy_corpus.rs), false findings on its tricky lines and clean pages, and the check
//! wired into build and check (errors, waivers, masking, JSON).

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::{TestSite, fixture};
use radpress::Publish;
use radpress::checks::privacy::{RULES, scan, scan_source};

/// Rules whose identifiers have a fixed shape: recall must be at least 0.98.
const STRUCTURED: &[&str] = &[
    "date",
    "age-over-89",
    "phone",
    "email",
    "ssn",
    "record-number",
    "zip",
    "street-address",
    "ip-address",
    "identifying-url",
];

#[derive(Default, Debug)]
struct Count {
    positives: usize,
    found: usize,
    true_hits: usize,
    false_hits: usize,
}

#[test]
fn corpus_recall_and_precision() {
    let dir = fixture("privacy");
    let tsv = fs::read_to_string(dir.join("positives.tsv")).unwrap();
    let mut counts: BTreeMap<&str, Count> = BTreeMap::new();
    for (rule, _, _) in RULES {
        counts.insert(rule, Count::default());
    }
    let mut missed = Vec::new();
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.split('\t');
        let (rule, ident, sentence) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap(),
        );
        let at = sentence
            .find(ident)
            .unwrap_or_else(|| panic!("`{ident}` is not in `{sentence}`"));
        let span = (at, at + ident.len());
        let c = counts
            .get_mut(rule)
            .unwrap_or_else(|| panic!("unknown rule {rule}"));
        c.positives += 1;
        // Found when any finding covers it: the rule that names it may be a more specific one.
        let hits = scan(sentence);
        if hits.iter().any(|h| h.start < span.1 && span.0 < h.end) {
            c.found += 1;
            c.true_hits += 1;
        } else {
            missed.push(format!("{rule}: {sentence}"));
        }
    }

    // Clean radiology pages: every hit is a false positive.
    let mut pages = 0;
    let mut clean_false = 0;
    let mut entries: Vec<_> = fs::read_dir(dir.join("clean"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let text = fs::read_to_string(&path).unwrap();
        pages += 1;
        for h in scan_source(&text) {
            clean_false += 1;
            counts.get_mut(h.rule).unwrap().false_hits += 1;
            missed.push(format!(
                "false positive {} in {}: `{}`",
                h.rule,
                path.file_name().unwrap().to_string_lossy(),
                &text[h.start..h.end]
            ));
        }
    }

    // Tricky radiology lines: every hit is a false positive too.
    let negatives = fs::read_to_string(dir.join("negatives.tsv")).unwrap();
    let mut negative_lines = 0;
    let mut negative_false = 0;
    for line in negatives
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        negative_lines += 1;
        for h in scan(line) {
            negative_false += 1;
            counts.get_mut(h.rule).unwrap().false_hits += 1;
            missed.push(format!(
                "false positive {} in negatives: `{}` in {line}",
                h.rule,
                &line[h.start..h.end]
            ));
        }
    }

    let mut report = String::from("rule               positives  recall  false findings\n");
    let mut failures = Vec::new();
    for (rule, c) in &counts {
        let recall = c.found as f64 / c.positives.max(1) as f64;
        report.push_str(&format!(
            "{rule:<18} {:>9}  {recall:>6.3}  {:>9}\n",
            c.positives, c.false_hits
        ));
        let floor = if STRUCTURED.contains(rule) { 0.98 } else { 0.9 };
        if c.positives > 0 && recall < floor {
            failures.push(format!("{rule}: recall {recall:.3} < {floor}"));
        }
    }
    let total: usize = counts.values().map(|c| c.positives).sum();
    report.push_str(&format!(
        "positives {total}, clean pages {pages}, false positives on clean pages {clean_false} ({:.3} per page)\n",
        clean_false as f64 / pages as f64
    ));
    report.push_str(&format!(
        "tricky negative lines {negative_lines}, false positives on them {negative_false}\n"
    ));
    if negative_false * 10 > negative_lines {
        failures.push(format!(
            "{negative_false} false positives on {negative_lines} negative lines"
        ));
    }
    println!("{report}");
    for m in &missed {
        println!("  {m}");
    }
    assert!(total >= 150, "the corpus needs at least 150 positives");
    assert!(pages >= 40, "the corpus needs at least 40 clean pages");
    if clean_false * 10 > pages {
        failures.push(format!(
            "{clean_false} false positives on {pages} clean pages (at most one per ten pages)"
        ));
    }
    assert!(failures.is_empty(), "{report}\n{}", failures.join("\n"));
}

const CASE: &str = "+++\ntitle = \"Privacy test case\"\ndate = 2026-01-10\nauthors = [\"jane-doe\"]\npresentation = \"Pain after a fall.\"\ndiagnosis = \"Fracture\"\n[[studies]]\nmodality = \"CR\"\n[privacy]\ndeidentified = true\nburned_in_checked = true\n@WAIVERS@+++\nSeen with SSN 123-45-6789 on the form.\n";

fn case_with(waivers: &str) -> String {
    CASE.replace("@WAIVERS@", waivers)
}

fn author(site: &TestSite) {
    // The basic fixture's authors; write one if it has none of this name.
    if !site.root().join("content/people/jane-doe.md").exists() {
        site.write(
            "content/people/jane-doe.md",
            "+++\ntitle = \"Jane Doe\"\nname = \"Jane Doe\"\n+++\nRadiologist.\n",
        );
    }
}

#[test]
fn an_identifier_stops_the_build_with_a_masked_finding() {
    let site = TestSite::new("basic");
    author(&site);
    site.write("content/cases/privacy-test.md", &case_with(""));
    let problems = site.problems();
    let p = problems
        .iter()
        .find(|d| d.message.contains("social security"))
        .unwrap_or_else(|| panic!("no privacy finding in {problems:?}"));
    assert_eq!(
        p.file,
        std::path::Path::new("content/cases/privacy-test.md")
    );
    assert_eq!(p.line, Some(13));
    assert_eq!(p.column, Some(15));
    assert!(p.message.contains("***-**-****"), "{}", p.message);
    assert!(!p.message.contains("123-45"), "{}", p.message);
    let shown = p.source_line.as_deref().unwrap();
    assert!(
        shown.contains("***-**-****") && !shown.contains("123-45"),
        "{shown}"
    );
    assert!(p.fix.as_deref().unwrap().contains("[[privacy.waivers]]"));
    assert!(
        !site.out().join("index.html").exists(),
        "nothing is written"
    );
}

#[test]
fn a_waiver_with_a_reason_lets_the_build_through_and_a_stale_one_is_an_error() {
    let site = TestSite::new("basic");
    author(&site);
    let waiver = "[[privacy.waivers]]\nrule = \"ssn\"\ntext = \"123-45-6789\"\nreason = \"a specimen number printed in a textbook\"\n";
    site.write("content/cases/privacy-test.md", &case_with(waiver));
    site.build()
        .expect("the waived finding no longer stops the build");

    // The same waiver on a page without the text: stale.
    site.write(
        "content/cases/privacy-test.md",
        &case_with(waiver).replace("SSN 123-45-6789", "no number"),
    );
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("matches nothing")),
        "{problems:?}"
    );

    // A waiver for another rule does not excuse the finding.
    site.write(
        "content/cases/privacy-test.md",
        &case_with(&waiver.replace("\"ssn\"", "\"phone\"")),
    );
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("social security"))
    );
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("matches nothing"))
    );
}

#[test]
fn waivers_are_allowed_on_every_kind_but_attestations_stay_case_only() {
    let site = TestSite::new("basic");
    site.write(
        "content/posts/privacy-post.md",
        "+++\ntitle = \"Contact\"\ndate = 2026-01-10\n[[privacy.waivers]]\nrule = \"phone\"\ntext = \"(555) 555-0142\"\nreason = \"the department's public number\"\n+++\nCall (555) 555-0142.\n",
    );
    site.build().expect("a post may waive a finding");
    site.write(
        "content/posts/privacy-post.md",
        "+++\ntitle = \"Contact\"\ndate = 2026-01-10\n[privacy]\ndeidentified = true\n+++\nHello.\n",
    );
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("`privacy` belongs to case pages")),
        "{problems:?}"
    );
}

#[test]
fn check_reports_privacy_findings_with_their_rules() {
    let site = TestSite::new("basic");
    author(&site);
    site.write("content/cases/privacy-test.md", &case_with(""));
    site.write(
        "content/posts/privacy-post.md",
        "+++\ntitle = \"Old note\"\ndate = 2026-01-10\n+++\nMrs. Alvarez was seen on 03/14/2024; MRN: 00482913.\n",
    );
    let findings = radpress::check(site.root(), Publish::default()).unwrap();
    let rules: Vec<(&str, String)> = findings
        .iter()
        .filter(|f| f.severity == radpress::checks::Severity::Error)
        .map(|f| {
            (
                f.rule,
                f.diagnostic.file.to_string_lossy().replace('\\', "/"),
            )
        })
        .collect();
    for (rule, file) in [
        ("ssn", "content/cases/privacy-test.md"),
        ("patient-name", "content/posts/privacy-post.md"),
        ("date", "content/posts/privacy-post.md"),
        ("record-number", "content/posts/privacy-post.md"),
    ] {
        assert!(
            rules.iter().any(|(r, f)| *r == rule && f == file),
            "{rule} in {file}: {rules:?}"
        );
    }
    let json: Vec<radpress::checks::FindingJson> = findings
        .iter()
        .map(radpress::checks::FindingJson::from)
        .collect();
    let text = serde_json::to_string(&json).unwrap();
    assert!(text.contains("\"rule\":\"ssn\""), "{text}");
    assert!(!text.contains("00482913") && !text.contains("123-45-6789"));
}

#[test]
fn the_demo_site_is_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let findings = radpress::check(root, Publish::default()).unwrap();
    let privacy: Vec<_> = findings
        .iter()
        .filter(|f| {
            RULES.iter().any(|r| r.0 == f.rule) || f.rule == radpress::checks::privacy::WAIVER_RULE
        })
        .map(|f| f.diagnostic.to_string())
        .collect();
    assert!(privacy.is_empty(), "{privacy:#?}");
}

#[test]
fn published_files_are_checked_by_name_content_and_kind() {
    let cases: [(&str, &[u8], &str); 7] = [
        // Two identifiers in one name: each message masks both.
        (
            "static/img/maria-gonzalez-4471823.txt",
            b"nothing here",
            "file's name",
        ),
        (
            "content/posts/mrn-4471823-note.md",
            b"+++\ntitle = \"Note\"\ndate = 2026-01-10\n+++\nHello.\n",
            "file or folder name",
        ),
        (
            "static/docs/list.csv",
            b"case,mrn\n1,4471823\n",
            "record",
        ),
        ("static/docs/series.zip", b"PK\x03\x04rest", "archive"),
        // A DICOM data set without the preamble: group 0008, explicit VR.
        (
            "static/img/IM0001",
            b"\x08\x00\x16\x00UI\x1a\x001.2.840.10008.5.1.4.1.1.2\x00",
            "DICOM",
        ),
        ("static/img/mrn-4471823-ct.txt", b"nothing here", "file's name"),
        (
            "content/posts/inline.md",
            b"+++\ntitle = \"Inline\"\ndate = 2026-01-10\n+++\n![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUg)\n",
            "data: URL",
        ),
    ];
    for (path, bytes, expect) in cases {
        let site = TestSite::new("basic");
        let target = site.root().join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, bytes).unwrap();
        let problems = site.problems();
        assert!(
            problems.iter().any(|d| d.message.contains(expect)),
            "{path}: {problems:#?}"
        );
        let all = format!("{problems:?}");
        assert!(
            !all.contains("4471823") && !all.to_lowercase().contains("gonzalez"),
            "{path}: an identifier is shown: {all}"
        );
    }
}

#[test]
fn pages_found_clean_are_remembered_between_builds_and_an_edit_is_scanned_again() {
    let site = TestSite::new("basic");
    author(&site);
    site.build().expect("the basic site is clean");
    let kept = site.root().join(".radpress-cache/privacy-clean");
    let bytes = fs::read(&kept).expect("the clean pages are kept");
    assert!(bytes.len() > 24, "keys are written: {} bytes", bytes.len());
    // A second build in a new engine reads them; an edited page is scanned again.
    site.build().expect("still clean");
    site.write("content/cases/privacy-test.md", &case_with(""));
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("social security")),
        "{problems:?}"
    );
}

/// A one-page PDF whose page shows `text` (Helvetica) and whose document information names
/// `author`.
fn pdf(text: &str, author: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ],
    };
    let contents = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let info = doc.add_object(dictionary! { "Author" => Object::string_literal(author) });
    doc.trailer.set("Info", info);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn published_pdfs_are_read_and_checked() {
    // Identifiers on the page, and a patient's name in the document information.
    for (bytes, expect) in [
        (
            pdf(
                "Discharge letter. MRN 48213377, seen 14/03/2024.",
                "Radiology",
            ),
            "record",
        ),
        (
            pdf("Patient leaflet: what to expect.", "Maria Gonzalez"),
            "name",
        ),
        (
            b"%PDF-1.7\nnot really a PDF".to_vec(),
            "cannot check this PDF",
        ),
    ] {
        let site = TestSite::new("basic");
        let target = site.root().join("static/docs/letter.pdf");
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, &bytes).unwrap();
        let problems = site.problems();
        assert!(
            problems
                .iter()
                .any(|d| d.message.contains(expect) && d.file.ends_with("static/docs/letter.pdf")),
            "{expect}: {problems:#?}"
        );
        let all = format!("{problems:?}");
        assert!(
            !all.contains("48213377") && !all.contains("Gonzalez"),
            "{all}"
        );
    }
    // A clean leaflet is published as it is.
    let site = TestSite::new("basic");
    let bytes = pdf(
        "Your CT scan: drink water before you come. Call us if you are pregnant.",
        "Department of Radiology",
    );
    let target = site.root().join("static/docs/leaflet.pdf");
    fs::create_dir_all(target.parent().unwrap()).unwrap();
    fs::write(&target, &bytes).unwrap();
    site.build().expect("a clean PDF passes");
    assert_eq!(
        fs::read(site.root().join("public/docs/leaflet.pdf")).unwrap(),
        bytes
    );
}

#[test]
fn other_checks_never_show_an_identifier_either() {
    // A TOML error on a line that holds a patient's name and number; a broken link whose target
    // names a patient.
    let cases = [
        (
            "content/cases/broken.md",
            "+++\ntitle = \"Seen with Maria Gonzalez, MRN 48213377\ndate = 2026-01-10\n+++\nBody.\n",
        ),
        (
            "content/posts/link.md",
            "+++\ntitle = \"Link\"\ndate = 2026-01-10\n+++\nSee [the case](/cases/maria-gonzalez-48213377/).\n",
        ),
    ];
    for (path, text) in cases {
        let site = TestSite::new("basic");
        author(&site);
        site.write(path, text);
        let problems = site.problems();
        let all = format!("{problems:?}");
        assert!(
            !all.contains("48213377") && !all.contains("Gonzalez") && !all.contains("gonzalez"),
            "{path}: {all}"
        );
    }
}

#[test]
fn the_practice_s_own_details_pass_in_published_files_too() {
    let site = TestSite::new("basic");
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!(
            "{toml}\n[practice]\nname = \"Severn Imaging\"\nphone = \"01905 318 440\"\n\n[practice.address]\nstreet = \"41 Severn Terrace\"\nlocality = \"Worcester\"\npostal_code = \"WR1 2NB\"\ncountry = \"United Kingdom\"\n"
        ),
    );
    // The department's own contact sheet is published as it is.
    site.write(
        "static/docs/contact.csv",
        "what,value\nphone,01905 318 440\naddress,\"41 Severn Terrace, Worcester WR1 2NB\"\n",
    );
    site.build()
        .unwrap_or_else(|e| panic!("the practice's own details were refused: {e:?}"));
    // A patient's number beside them is not.
    site.write(
        "static/docs/contact.csv",
        "what,value\nphone,01905 318 440\nmrn,48213377\n",
    );
    let problems = site.problems();
    assert!(
        problems.iter().any(|d| d.message.contains("record")),
        "{problems:#?}"
    );
}
