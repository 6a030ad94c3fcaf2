//! The demo site at the repository root builds cleanly with the default theme, holds what the
//! README promises, and its pages meet the theme's accessibility and privacy basics.

mod common;

use std::path::{Path, PathBuf};

use common::{attrs, build_demo, texts};
use scraper::{Html, Selector};

fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn doc(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn count_pages(dir: &Path, section: &str) -> usize {
    std::fs::read_dir(dir.join(section))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").is_file() && e.file_name() != "page")
        .count()
}

#[test]
fn demo_site_has_the_promised_content() {
    let (_tmp, out) = build_demo();
    assert!(count_pages(&out, "cases") >= 8, "at least 8 teaching cases");
    assert!(
        count_pages(&out, "education") >= 5,
        "at least 5 education pages"
    );
    let people = count_pages(&out, "people");
    assert!(
        (2..=3).contains(&people),
        "2 or 3 physician profiles, found {people}"
    );
    assert!(out.join("about/index.html").is_file());
    assert!(out.join("contact/index.html").is_file());
    let modalities = texts(&doc(&out.join("modality/index.html")), "main a");
    for m in [
        "CT",
        "MRI",
        "Ultrasound",
        "Radiograph",
        "Mammography",
        "Angiography",
    ] {
        assert!(
            modalities.iter().any(|t| t.contains(m)),
            "no {m} case: {modalities:?}"
        );
    }
    assert!(
        modalities
            .iter()
            .any(|t| t.contains("Nuclear medicine") || t.contains("PET")),
        "no nuclear medicine case: {modalities:?}"
    );
    let quizzes = html_files(&out.join("cases"))
        .iter()
        .filter(|p| {
            doc(p)
                .select(&Selector::parse("details.reveal").unwrap())
                .next()
                .is_some()
        })
        .count();
    assert!(quizzes >= 2, "at least 2 quiz cases, found {quizzes}");
}

#[test]
fn every_page_has_landmarks_one_h1_and_a_skip_link() {
    let (_tmp, out) = build_demo();
    for path in html_files(&out) {
        let d = doc(&path);
        let shown = path.strip_prefix(&out).unwrap().display().to_string();
        assert_eq!(texts(&d, "h1").len(), 1, "{shown}: exactly one h1");
        let lang = attrs(&d, "html", "lang");
        assert!(
            lang.len() == 1 && lang[0].starts_with("en"),
            "{shown}: lang {lang:?}"
        );
        assert_eq!(texts(&d, "main").len(), 1, "{shown}: one main landmark");
        assert!(
            !texts(&d, "header").is_empty() && !texts(&d, "footer").is_empty(),
            "{shown}: header and footer"
        );
        let skip = attrs(&d, "a", "href");
        assert!(
            skip.first().is_some_and(|h| h.starts_with('#')),
            "{shown}: the first link skips to the content"
        );
        for img in d.select(&Selector::parse("img").unwrap()) {
            assert!(
                img.value().attr("alt").is_some(),
                "{shown}: an image without alt"
            );
        }
    }
}

#[test]
fn pages_load_nothing_from_other_hosts() {
    let (_tmp, out) = build_demo();
    for path in html_files(&out) {
        let d = doc(&path);
        let shown = path.strip_prefix(&out).unwrap().display().to_string();
        for (sel, attr) in [
            ("script[src]", "src"),
            ("link[rel=stylesheet]", "href"),
            ("img", "src"),
            ("link[rel=preload]", "href"),
            ("iframe", "src"),
        ] {
            for url in attrs(&d, sel, attr) {
                assert!(
                    !url.contains("//"),
                    "{shown}: {sel} loads {url} from another host"
                );
            }
        }
        let styles = texts(&d, "style").join(" ");
        assert!(
            !styles.contains("@import") && !styles.contains("url(http"),
            "{shown}: inline style fetches from elsewhere"
        );
    }
    let css = std::fs::read_to_string(out.join("css/site.css")).unwrap();
    assert!(
        !css.contains("url(http") && !css.contains("@import url(\"http"),
        "site.css fetches from elsewhere"
    );
}

#[test]
fn quiz_cases_hide_the_answer_until_the_reveal() {
    let (_tmp, out) = build_demo();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for path in html_files(&out.join("cases")) {
        let html = std::fs::read_to_string(&path).unwrap();
        let Some((before, _)) = html.split_once("<details") else {
            continue;
        };
        // The diagnosis is in the source file's front matter.
        let slug = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let source = [
            root.join(format!("content/cases/{slug}/index.md")),
            root.join(format!("content/cases/{slug}.md")),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap();
        let text = std::fs::read_to_string(source).unwrap();
        let diagnosis = text
            .lines()
            .find_map(|l| l.strip_prefix("diagnosis = "))
            .map(|d| d.trim_matches('"').to_lowercase())
            .unwrap();
        assert!(
            !before.to_lowercase().contains(&diagnosis),
            "{slug} shows `{diagnosis}` before the reveal"
        );
        checked += 1;
    }
    assert!(checked >= 2);
}
