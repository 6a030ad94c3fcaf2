//! `radpress init` and `radpress new`: the starters build, nothing is ever overwritten, and new
//! pages of every kind land in the right folder, list every key and build as drafts.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{attrs, texts};
use radpress::config::Config;
use radpress::content::frontmatter::RawFrontMatter;
use radpress::scaffold::{self, NewKind, Starter};
use radpress::{BuildOptions, Error, Publish};

const KINDS: [NewKind; 4] = [
    NewKind::Case,
    NewKind::Education,
    NewKind::Post,
    NewKind::Person,
];

fn build(root: &Path, publish: Publish) -> Result<radpress::BuildReport, Error> {
    radpress::build(&BuildOptions {
        root: root.to_path_buf(),
        output: "public".into(),
        publish,
        force: false,
    })
}

fn drafts() -> Publish {
    Publish {
        drafts: true,
        future: false,
    }
}

/// A new site from `starter` in a fresh temp dir (the site is a sub-folder that does not exist
/// yet, as `radpress init my-site` would make it).
fn init(starter: Starter) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("my-site");
    let files = scaffold::init(&root, starter).unwrap();
    for f in &files {
        assert!(
            root.join(f).is_file(),
            "{} listed but not written",
            f.display()
        );
    }
    (tmp, root)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn html(root: &Path, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(&root.join("public").join(rel)))
}

fn messages(e: &Error) -> String {
    match e {
        Error::Site(d) => d
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

#[test]
fn physician_starter_builds_a_profile_site() {
    let (_tmp, root) = init(Starter::Physician);
    let report = build(&root, Publish::default()).unwrap_or_else(|e| panic!("{}", messages(&e)));
    assert_eq!(report.pages, 6);
    for page in [
        "index.html",
        "cases/example-case/index.html",
        "education/example-guide/index.html",
        "posts/welcome/index.html",
        "people/alex-example/index.html",
        "about/index.html",
        "contact/index.html",
        "images/example-case.svg",
    ] {
        assert!(root.join("public").join(page).is_file(), "{page} missing");
    }
    let home = html(&root, "index.html");
    assert_eq!(
        attrs(&home, "nav.site-nav a", "href"),
        [
            "/people/",
            "/cases/",
            "/posts/",
            "/education/",
            "/about/",
            "/contact/"
        ]
    );
    let person = html(&root, "people/alex-example/index.html");
    assert_eq!(texts(&person, "h1.p-name"), ["Dr Alex Example, MD"]);
    let config = Config::from_root(&root).unwrap();
    assert_eq!(config.title, "Dr Alex Example, Radiologist");
    assert!(
        read(&root.join(".gitignore"))
            .lines()
            .any(|l| l == "public/")
    );
    assert!(!root.join("themes").exists(), "the built-in theme is used");
    // The example dates are the day of init, never the placeholder.
    let case = read(&root.join("content/cases/example-case.md"));
    assert!(!case.contains("@today@"));
}

#[test]
fn department_starter_builds_a_practice_site_with_education_first() {
    let (_tmp, root) = init(Starter::Department);
    let report = build(&root, Publish::default()).unwrap_or_else(|e| panic!("{}", messages(&e)));
    assert_eq!(report.pages, 7);
    for page in [
        "cases/example-case/index.html",
        "education/example-guide/index.html",
        "people/sam-example/index.html",
        "people/robin-example/index.html",
        "posts/welcome/index.html",
    ] {
        assert!(root.join("public").join(page).is_file(), "{page} missing");
    }
    let home = html(&root, "index.html");
    let nav = attrs(&home, "nav.site-nav a", "href");
    assert_eq!(nav[..3], ["/education/", "/cases/", "/people/"]);
    // [practice] is filled in: the home page invites a visit, the contact page shows the address.
    assert!(texts(&home, "h2").contains(&"Visit Example Radiology".to_string()));
    let contact = read(&root.join("public/contact/index.html"));
    assert!(contact.contains("1 Example Road"));
    common::assert_collects_nothing(&scraper::Html::parse_document(&contact), "contact");
}

#[test]
fn both_contact_pages_warn_against_sending_patient_information_once() {
    for starter in [Starter::Physician, Starter::Department] {
        let (_tmp, root) = init(starter);
        build(&root, Publish::default()).unwrap_or_else(|e| panic!("{}", messages(&e)));
        let doc = html(&root, "contact/index.html");
        let main = texts(&doc, "main").join(" ").to_lowercase();
        assert_eq!(
            main.matches("do not send any patient information").count(),
            1,
            "{starter:?}: {main}"
        );
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_leaves_it_alone() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let err = scaffold::init(tmp.path(), Starter::Department).unwrap_err();
    match &err {
        Error::Usage(msg) => {
            assert!(msg.contains("is not empty"), "{msg}");
            assert!(msg.contains("notes.txt"), "{msg}");
        }
        other => panic!("expected a usage error, got {other}"),
    }
    assert_eq!(read(&tmp.path().join("notes.txt")), "mine");
    assert!(!tmp.path().join("site.toml").exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);

    // An empty folder is fine; a file is not.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    scaffold::init(&empty, Starter::Physician).unwrap();
    assert!(matches!(
        scaffold::init(&tmp.path().join("notes.txt"), Starter::Physician),
        Err(Error::Usage(_))
    ));
}

#[test]
fn starter_site_toml_has_a_comment_above_every_key() {
    for starter in [Starter::Physician, Starter::Department] {
        let (_tmp, root) = init(starter);
        let text = read(&root.join("site.toml"));
        let mut previous = "";
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start_matches('#').trim();
            let is_key = code.starts_with('[')
                || code
                    .split_once(" = ")
                    .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            if is_key && !line.starts_with("# ") {
                assert!(
                    previous.starts_with("# "),
                    "{starter:?} site.toml line {}: `{line}` has no comment above it",
                    i + 1
                );
            }
            if !line.trim().is_empty() {
                previous = line;
            }
        }
    }
}

/// How a site.toml table is written: `[path]` or `[[path]]`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Plain,
    Array,
}

/// The keys a site.toml table allows, from the "Keys allowed here" hint of an unknown key in
/// it; None when `path` (with its ancestors `outer`) is not a table of that form.
fn config_keys(outer: &[(String, Table)], path: &str, form: Table) -> Option<Vec<String>> {
    let mut text = String::from("title = \"T\"\nbase_url = \"https://example.org\"\n");
    for (p, t) in outer.iter().chain([(path.to_string(), form)].iter()) {
        if p.is_empty() {
            continue;
        }
        match t {
            Table::Plain => text.push_str(&format!("[{p}]\n")),
            Table::Array => text.push_str(&format!("[[{p}]]\n")),
        }
    }
    text.push_str("zzz_unknown = 1\n");
    let fix = Config::parse(&text).err()?.fix?;
    let (_, keys) = fix.split_once("Keys allowed here: ")?;
    Some(keys.split(", ").map(|k| k.trim().to_string()).collect())
}

/// Every setting of site.toml as (dotted path, how it is written: `key =`, `[t]` or `[[t]]`).
fn config_settings() -> Vec<(String, String)> {
    let mut out = Vec::new();
    // (ancestors, path, form)
    let mut todo = vec![(Vec::<(String, Table)>::new(), String::new(), Table::Plain)];
    while let Some((outer, table, form)) = todo.pop() {
        let keys = config_keys(&outer, &table, form).expect("a table lists its keys");
        let mut inner = outer.clone();
        inner.push((table.clone(), form));
        for key in keys {
            let path = if table.is_empty() {
                key.clone()
            } else {
                format!("{table}.{key}")
            };
            if config_keys(&inner, &path, Table::Plain).is_some() {
                out.push((path.clone(), format!("[{path}]")));
                todo.push((inner.clone(), path, Table::Plain));
            } else if config_keys(&inner, &path, Table::Array).is_some() {
                out.push((path.clone(), format!("[[{path}]]")));
                todo.push((inner.clone(), path, Table::Array));
            } else {
                out.push((path, format!("{key} =")));
            }
        }
    }
    out
}

#[test]
fn starter_site_toml_shows_every_setting_radpress_knows() {
    // Every key of site.toml and of its tables ([brand.colors], [[practice.locations]], ...) is in
    // each starter, set or commented out, so a new site shows everything that can be configured.
    let expected = config_settings();
    for known in ["brand.colors.primary", "social.mastodon"] {
        assert!(expected.iter().any(|(p, _)| p == known), "{known}");
    }
    for starter in [Starter::Physician, Starter::Department] {
        let (_tmp, root) = init(starter);
        let text = read(&root.join("site.toml"));
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim_start_matches('#').trim())
            .collect();
        for (path, needle) in &expected {
            assert!(
                lines.iter().any(|l| l.starts_with(needle.as_str())),
                "{starter:?} site.toml does not show `{path}`"
            );
        }
    }
}

/// `text` with every commented-out key and table (`#key = ...`, `#[table]`) switched on; comments
/// (`# ...`) are left alone.
fn switch_on(text: &str) -> String {
    text.lines()
        .map(|l| match l.strip_prefix('#') {
            Some(code) if !code.is_empty() && !code.starts_with(' ') => code,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn starter_site_toml_is_valid_with_every_optional_setting_switched_on() {
    for starter in [Starter::Physician, Starter::Department] {
        let (_tmp, root) = init(starter);
        let text = switch_on(&read(&root.join("site.toml")));
        if let Err(d) = Config::parse(&text) {
            panic!("{starter:?}: {d}");
        }
    }
}

#[test]
fn new_writes_each_kind_in_its_folder_with_a_slug_from_the_title() {
    let (_tmp, root) = init(Starter::Physician);
    let title = "Acute Appendicitis: A Classic!";
    for (kind, rel) in [
        (
            NewKind::Case,
            "content/cases/acute-appendicitis-a-classic/index.md",
        ),
        (
            NewKind::Education,
            "content/education/acute-appendicitis-a-classic.md",
        ),
        (
            NewKind::Post,
            "content/posts/acute-appendicitis-a-classic.md",
        ),
        (
            NewKind::Person,
            "content/people/acute-appendicitis-a-classic.md",
        ),
    ] {
        let path = scaffold::new_page(&root, kind, title).unwrap();
        assert_eq!(path, root.join(rel));
        let text = read(&path);
        assert!(text.starts_with("+++\n"), "{rel}");
        assert!(text.contains("\ndraft = true\n"), "{rel} is not a draft");
    }
    // The case is a bundle, with a placeholder image beside it so that the draft builds.
    assert!(
        root.join("content/cases/acute-appendicitis-a-classic/placeholder.svg")
            .is_file()
    );
    // Allowed values come from the vocabularies.
    let case = read(&root.join("content/cases/acute-appendicitis-a-classic/index.md"));
    for v in radpress::vocab::MODALITY
        .values()
        .chain(radpress::vocab::SYSTEM.values())
    {
        assert!(case.contains(v), "the case's comments do not list {v}");
    }
    // Authors default to a person of the site, and the comment lists them.
    assert!(case.contains("authors = [\"alex-example\"]"));
}

#[test]
fn new_refuses_to_overwrite_a_page() {
    let (_tmp, root) = init(Starter::Department);
    for kind in KINDS {
        let path = scaffold::new_page(&root, kind, "Same title").unwrap();
        std::fs::write(&path, "+++\ntitle = \"Mine\"\n+++\n").unwrap();
        match scaffold::new_page(&root, kind, "Same  title") {
            Err(Error::Usage(msg)) => {
                assert!(msg.contains("already exists"), "{msg}");
                assert!(msg.contains("same-title"), "{msg}");
            }
            other => panic!("{kind:?}: expected a usage error, got {other:?}"),
        }
        assert_eq!(read(&path), "+++\ntitle = \"Mine\"\n+++\n");
    }
    // A page of the same address in the other form (file vs bundle) is refused too.
    match scaffold::new_page(&root, NewKind::Case, "Example case") {
        Err(Error::Usage(msg)) => assert!(msg.contains("example-case.md"), "{msg}"),
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn new_needs_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    let err = scaffold::new_page(tmp.path(), NewKind::Post, "Hello").unwrap_err();
    assert!(
        matches!(&err, Error::Usage(m) if m.starts_with("no site.toml")),
        "{err}"
    );
    assert!(std::fs::read_dir(tmp.path()).unwrap().next().is_none());
    assert!(matches!(
        scaffold::new_page(tmp.path(), NewKind::Post, "   "),
        Err(Error::Usage(_))
    ));
}

#[test]
fn new_pages_of_every_kind_build_as_drafts_once_the_case_is_attested() {
    let (_tmp, root) = init(Starter::Physician);
    let title = r#"The "double" sign \ revisited"#;
    let paths: Vec<PathBuf> = KINDS
        .iter()
        .map(|&k| scaffold::new_page(&root, k, title).unwrap())
        .collect();
    let slug = "the-double-sign-revisited";

    // The new case is honestly unattested: no build works until the author checks it.
    for publish in [drafts(), Publish::default()] {
        let err = build(&root, publish).unwrap_err();
        let text = messages(&err);
        assert!(
            text.contains("the case is not attested as de-identified"),
            "{text}"
        );
        assert_eq!(err.diagnostics().len(), 1, "{text}");
        assert!(
            err.diagnostics()[0]
                .source_line
                .as_deref()
                .is_some_and(|l| l.starts_with("[privacy]")),
            "{text}"
        );
    }

    let case = &paths[0];
    let attested = read(case)
        .replace("deidentified = false", "deidentified = true")
        .replace("burned_in_checked = false", "burned_in_checked = true");
    std::fs::write(case, attested).unwrap();

    build(&root, drafts()).unwrap_or_else(|e| panic!("{}", messages(&e)));
    for section in ["cases", "education", "posts", "people"] {
        let page = root.join(format!("public/{section}/{slug}/index.html"));
        assert!(page.is_file(), "{} missing", page.display());
    }
    let doc = html(&root, &format!("posts/{slug}/index.html"));
    assert_eq!(texts(&doc, "h1"), [title]);

    // Without --drafts, the new pages stay unpublished.
    build(&root, Publish::default()).unwrap_or_else(|e| panic!("{}", messages(&e)));
    for section in ["cases", "education", "posts", "people"] {
        assert!(!root.join(format!("public/{section}/{slug}")).exists());
    }
}

#[test]
fn starter_text_and_missing_brand_files_are_never_published() {
    let (_tmp, root) = init(Starter::Physician);
    let case = scaffold::new_page(&root, NewKind::Case, "Appendicitis").unwrap();
    let post = scaffold::new_page(&root, NewKind::Post, "Our new scanner").unwrap();
    let finish = |path: &Path| {
        let text = read(path)
            .replace("deidentified = false", "deidentified = true")
            .replace("burned_in_checked = false", "burned_in_checked = true")
            .replace("draft = true", "draft = false");
        std::fs::write(path, text).unwrap();
    };
    finish(&case);
    finish(&post);
    // Every placeholder left in a published page is an error at its line, and so is the
    // stand-in image.
    let err = build(&root, Publish::default()).unwrap_err();
    let text = messages(&err);
    let placeholders: usize = [&case, &post]
        .iter()
        .map(|p| {
            read(p)
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter(|l| l.contains("Replace with"))
                .count()
        })
        .sum();
    assert!(placeholders >= 10, "{placeholders}");
    let starter = err
        .diagnostics()
        .iter()
        .filter(|d| d.message.contains("starter text"))
        .count();
    assert_eq!(starter, placeholders, "{text}");
    assert!(text.contains("placeholder.svg"), "{text}");

    // Written out, the pages build; the stand-in image left in the folder does not.
    for path in [&case, &post] {
        let mine = read(path)
            .lines()
            .map(|l| {
                if l.trim_start().starts_with('#') {
                    l.to_string()
                } else {
                    l.replace("Replace with", "Written by me:")
                        .replace("placeholder.svg", "ct.png")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(path, mine).unwrap();
    }
    let png = image::RgbImage::from_pixel(8, 8, image::Rgb([90, 90, 90]));
    png.save(case.parent().unwrap().join("ct.png")).unwrap();
    let err = build(&root, Publish::default()).unwrap_err();
    let text = messages(&err);
    assert_eq!(err.diagnostics().len(), 1, "{text}");
    assert!(text.contains("delete placeholder.svg"), "{text}");
    std::fs::remove_file(case.parent().unwrap().join("placeholder.svg")).unwrap();
    build(&root, Publish::default()).unwrap_or_else(|e| panic!("{}", messages(&e)));

    // A logo that does not exist stops the build; an example domain is a warning of `check`.
    let toml = read(&root.join("site.toml"));
    std::fs::write(
        root.join("site.toml"),
        format!("logo = \"/images/missing-logo.svg\"\n{toml}"),
    )
    .unwrap();
    let err = build(&root, Publish::default()).unwrap_err();
    assert!(
        messages(&err).contains("missing-logo.svg"),
        "{}",
        messages(&err)
    );
    std::fs::write(root.join("site.toml"), toml).unwrap();
    let findings = radpress::check(&root, Publish::default()).unwrap();
    assert!(
        findings.iter().any(|f| f.rule == "example-domain"),
        "{findings:#?}"
    );
}

/// The keys a raw front-matter struct allows, from serde's unknown-field error.
fn front_matter_keys(toml_text: &str) -> Vec<String> {
    let err = toml::from_str::<RawFrontMatter>(toml_text).unwrap_err();
    let msg = err.message().to_string();
    let (_, expected) = msg
        .split_once("expected")
        .unwrap_or_else(|| panic!("{msg}"));
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// A new page of every kind, in a fresh site: (kind, text).
fn new_pages() -> Vec<(NewKind, String)> {
    let (_tmp, root) = init(Starter::Department);
    KINDS
        .iter()
        .map(|&k| (k, read(&scaffold::new_page(&root, k, "Every key").unwrap())))
        .collect()
}

/// Lines of `text` as TOML code, with `#` removed from commented-out keys.
fn code_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .collect()
}

#[test]
fn new_pages_show_every_front_matter_key() {
    let pages = new_pages();
    let all: Vec<String> = pages.iter().flat_map(|(_, t)| code_lines(t)).collect();
    for probe in [
        "zzz_unknown = 1",
        "[patient]\nzzz_unknown = 1",
        "[[studies]]\nmodality = \"CT\"\nzzz_unknown = 1",
        "[[studies]]\nmodality = \"CT\"\n[[studies.images]]\nsrc = \"a.png\"\nzzz_unknown = 1",
        "[[quiz]]\nquestion = \"Q\"\noptions = []\nzzz_unknown = 1",
        "[[quiz]]\nquestion = \"Q\"\noptions = [{ text = \"A\", zzz_unknown = 1 }]",
        "[[references]]\ncitation = \"C\"\nzzz_unknown = 1",
        "[privacy]\nzzz_unknown = 1",
        "[social]\nzzz_unknown = 1",
        "[socials]\nzzz_unknown = 1",
        "[[talks]]\ntitle = \"T\"\nzzz_unknown = 1",
    ] {
        let keys = front_matter_keys(probe);
        assert!(!keys.is_empty(), "{probe}");
        for key in keys {
            let set = format!("{key} =");
            let inline = format!(" {key} =");
            let header = [format!("[{key}]"), format!("[[{key}]]")];
            assert!(
                all.iter().any(|l| l.starts_with(&set)
                    || l.contains(&inline)
                    || header.contains(l)
                    || l.ends_with(&format!(".{key}]]"))),
                "no new page shows `{key}` (probe: {probe})"
            );
        }
    }
}

#[test]
fn commented_out_keys_are_valid_when_switched_on() {
    for (kind, text) in new_pages() {
        let front = text
            .strip_prefix("+++\n")
            .and_then(|t| t.split_once("\n+++\n"))
            .map(|(fm, _)| fm)
            .unwrap();
        let switched = switch_on(front);
        if let Err(e) = toml::from_str::<RawFrontMatter>(&switched) {
            panic!("{kind:?}: {e}\n{switched}");
        }
    }
}

#[test]
fn the_binary_exits_zero_on_success_and_two_on_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_radpress"))
            .args(args)
            .output()
            .unwrap()
    };
    let site_arg = site.to_str().unwrap();

    let out = run(&["init", site_arg, "--starter", "physician"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Created a new site"));

    let out = run(&["init", site_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));

    let out = run(&["--root", site_arg, "new", "post", "Hello, world"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("content/posts/hello-world.md").is_file());

    let out = run(&["--root", site_arg, "new", "post", "Hello, world"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    let out = run(&["--root", site_arg, "build", "--drafts"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let nowhere = tmp.path().join("not-a-site");
    let out = run(&["--root", nowhere.to_str().unwrap(), "new", "case", "X"]);
    assert_eq!(out.status.code(), Some(2), "no site is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no site.toml"));
}
