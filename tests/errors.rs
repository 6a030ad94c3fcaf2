//! Bad input: every fixture under tests/fixtures/errors/ is laid over the basic site and must fail
//! with the file, the line and a message that says what is wrong and how to fix it.

mod common;

use common::{TestSite, snapshot};
use radpress::Diagnostic;

/// The single problem the overlay causes.
fn only_problem(case: &str) -> Diagnostic {
    let problems = TestSite::with_overlay(case).problems();
    assert_eq!(problems.len(), 1, "{case}: {problems:#?}");
    problems.into_iter().next().unwrap()
}

fn assert_at(d: &Diagnostic, file: &str, line: usize, message_part: &str) {
    assert_eq!(d.file.to_string_lossy().replace('\\', "/"), file, "{d}");
    assert_eq!(d.line, Some(line), "{d}");
    assert!(
        d.message.contains(message_part),
        "message `{}` lacks `{message_part}`",
        d.message
    );
    assert!(
        d.fix.as_deref().is_some_and(|f| !f.is_empty()),
        "no fix in {d}"
    );
}

#[test]
fn toml_syntax_error_names_file_line_and_column() {
    let d = only_problem("toml-syntax");
    assert_at(&d, "content/posts/broken.md", 2, "invalid TOML");
    assert!(d.column.is_some());
    assert_eq!(d.source_line.as_deref(), Some("title = \"Broken quote"));
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let d = only_problem("unknown-key");
    assert_at(&d, "content/posts/typo.md", 4, "unknown key `sumary`");
    assert!(d.fix.unwrap().contains("did you mean `summary`?"));
}

#[test]
fn unknown_vocabulary_value_lists_the_allowed_ones() {
    let d = only_problem("bad-vocab");
    assert_at(
        &d,
        "content/cases/bad-modality.md",
        8,
        "`MRI` is not a known modality",
    );
    assert!(d.message.contains("CT, MR, US"), "{}", d.message);
    assert!(d.message.contains("did you mean `MR`"), "{}", d.message);
}

#[test]
fn missing_image_is_an_error_at_its_line() {
    let d = only_problem("missing-image");
    assert_at(
        &d,
        "content/cases/no-image.md",
        12,
        "image `/images/not-there.png` not found",
    );
}

#[test]
fn missing_author_suggests_a_known_person() {
    let d = only_problem("missing-author");
    assert_at(
        &d,
        "content/posts/ghost.md",
        4,
        "author `jane-do` has no page",
    );
    assert!(d.fix.unwrap().contains("did you mean \"jane-doe\""));
}

#[test]
fn two_pages_claiming_one_url_are_both_named() {
    // The pages collide, and so do their share cards beside them: the page is what matters.
    let problems = TestSite::with_overlay("duplicate-url").problems();
    let d = problems
        .iter()
        .find(|d| d.message.starts_with("/posts/welcome/ is claimed twice"))
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert!(
        d.message.contains("/posts/welcome/ is claimed twice"),
        "{}",
        d.message
    );
    assert!(
        d.message.contains("content/posts/welcome.md"),
        "{}",
        d.message
    );
    // At the front-matter line that chose the address.
    assert!(d.file.ends_with("content/posts/welcome-again.md"), "{d}");
    assert_eq!(d.line, Some(4), "{d}");
    assert!(d.column.is_some(), "{d}");
    assert!(
        d.message.contains("content/posts/welcome-again.md"),
        "{}",
        d.message
    );
}

#[test]
fn link_to_a_missing_page_names_its_line_and_a_close_match() {
    let d = only_problem("broken-link");
    assert_at(
        &d,
        "content/posts/links.md",
        7,
        "link to `/cases/pneumothorx/` goes to no page",
    );
    assert!(d.fix.unwrap().contains("/cases/pneumothorax/"));
}

#[test]
fn missing_template_names_the_page_and_template() {
    let d = only_problem("missing-template");
    assert_eq!(d.file.to_string_lossy(), "content/posts/special.md");
    assert!(
        d.message.contains("template `special.html` not found"),
        "{}",
        d.message
    );
}

#[test]
fn template_syntax_error_names_the_template_file_and_line() {
    let d = only_problem("template-syntax");
    assert_eq!(d.file.to_string_lossy(), "templates/post.html", "{d}");
    assert!(d.line.is_some_and(|l| (4..=6).contains(&l)), "{d}");
    assert!(d.message.starts_with("template error"), "{d}");
}

#[test]
fn undefined_template_variable_names_the_template_line_and_the_page() {
    let d = only_problem("template-undefined");
    assert_eq!(d.file.to_string_lossy(), "templates/page.html", "{d}");
    assert_eq!(d.line, Some(4), "{d}");
    assert!(
        d.message.contains("while rendering content/about.md"),
        "{d}"
    );
}

#[test]
fn invalid_utf8_names_the_line() {
    let d = only_problem("invalid-utf8");
    assert_at(&d, "content/posts/latin1.md", 4, "not valid UTF-8");
}

#[test]
fn empty_file_is_an_error() {
    let d = only_problem("empty-file");
    assert_eq!(d.file.to_string_lossy(), "content/posts/empty.md");
    assert!(d.message.contains("empty"), "{d}");
}

#[test]
fn unknown_site_toml_key_suggests_the_right_one() {
    let d = only_problem("config-unknown-key");
    assert_at(&d, "site.toml", 3, "unknown key `paginate`");
    assert!(d.fix.unwrap().contains("`paginate_by`"));
}

#[test]
fn unknown_hashtag_caps_key_names_the_line_and_the_networks() {
    let d = only_problem("config-hashtag-caps-key");
    assert_at(&d, "site.toml", 6, "unknown key `mastodn`");
    let fix = d.fix.unwrap();
    assert!(fix.contains("did you mean `mastodon`?"), "{fix}");
    assert!(
        fix.contains("x, bluesky, mastodon, threads, linkedin"),
        "{fix}"
    );
}

#[test]
fn negative_hashtag_cap_is_an_error_with_the_allowed_range() {
    let d = only_problem("config-hashtag-cap-negative");
    assert_at(&d, "site.toml", 8, "hashtag cap `threads = -1`");
    assert_eq!(d.source_line.as_deref(), Some("threads = -1"));
    assert!(d.message.contains("from 0 to 10"), "{d}");
    assert!(d.fix.unwrap().contains("threads = 1 (the default)"));
}

#[test]
fn image_without_alt_text_is_an_error() {
    let d = only_problem("image-no-alt");
    assert_at(&d, "content/posts/no-alt.md", 7, "no alt text");
}

#[test]
fn quiz_alt_text_must_not_give_the_answer_away() {
    let d = only_problem("quiz-spoiler");
    assert_at(
        &d,
        "content/cases/spoiler.md",
        14,
        "image alt text of this quiz case gives the diagnosis away",
    );
}

#[test]
fn case_without_privacy_attestation_is_refused() {
    let d = only_problem("not-attested");
    assert_at(
        &d,
        "content/cases/unattested.md",
        7,
        "not attested as de-identified",
    );
}

#[test]
fn a_failed_build_leaves_the_last_good_site_untouched() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let before = snapshot(&site.out());
    site.write("content/posts/broken.md", "+++\ntitle = \"oops\n+++\n");
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us, changed\"\n+++\nNew text.\n",
    );
    assert!(site.build().is_err());
    assert_eq!(snapshot(&site.out()), before);
}

/// A link check fails only after every page has rendered, when `radpress build` has already
/// staged the pages beside their places in the output folder: they must all be gone again.
#[test]
fn a_build_failing_after_its_pages_rendered_leaves_the_last_good_site_untouched() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let before = snapshot(&site.out());
    site.write(
        "content/about.md",
        "+++\ntitle = \"About us, changed\"\n+++\nNew text.\n",
    );
    site.write(
        "content/posts/new-folder/links.md",
        "+++\ntitle = \"Links\"\ndate = 2026-01-01\n+++\nSee [this](/cases/nowhere/).\n",
    );
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("/cases/nowhere/")),
        "{problems:?}"
    );
    // Byte for byte, with no temporary file or new folder left behind.
    assert_eq!(snapshot(&site.out()), before);
    assert!(!site.out().join("posts/new-folder").exists());
    // Fixed, the next build publishes the change.
    std::fs::remove_file(site.root().join("content/posts/new-folder/links.md")).unwrap();
    site.build().unwrap();
    let about = site.html("about/index.html");
    assert_eq!(common::texts(&about, "h1"), ["About us, changed"]);
}

/// The first build of a site fails after rendering its pages: no output folder is left.
#[test]
fn a_first_build_that_fails_leaves_no_output_folder() {
    let site = TestSite::with_overlay("broken-link");
    assert!(!site.out().exists());
    site.problems();
    assert!(!site.out().exists(), "{:?}", snapshot(&site.out()));
}

#[test]
fn every_error_fixture_has_a_test() {
    let tested = [
        "toml-syntax",
        "unknown-key",
        "bad-vocab",
        "missing-image",
        "missing-author",
        "duplicate-url",
        "broken-link",
        "missing-template",
        "template-syntax",
        "template-undefined",
        "invalid-utf8",
        "empty-file",
        "config-unknown-key",
        "config-hashtag-caps-key",
        "config-hashtag-cap-negative",
        "image-no-alt",
        "quiz-spoiler",
        "not-attested",
    ];
    for entry in std::fs::read_dir(common::fixture("errors")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            tested.contains(&name.as_str()),
            "fixture errors/{name} has no test"
        );
    }
}

/// An alias that would leave the output folder or land on another page by another name is an
/// error naming the page, and nothing is written anywhere.
#[test]
fn aliases_that_leave_the_output_folder_are_refused() {
    for alias in [
        "../../escaped.html",
        "../templates/page.html",
        "/./index.html",
        "/a//b/",
    ] {
        let site = TestSite::new("basic");
        let template = site.root().join("templates/page.html");
        let before = std::fs::read(&template).ok();
        site.write(
            "content/posts/moved.md",
            &format!(
                "+++\ntitle = \"Moved\"\ndate = 2026-01-10\naliases = [\"{alias}\"]\n+++\nText.\n"
            ),
        );
        let problems = site.problems();
        assert!(
            problems.iter().any(|d| {
                d.message.contains("is refused")
                    && d.file.ends_with("content/posts/moved.md")
                    && d.line == Some(4)
            }),
            "{alias}: {problems:?}"
        );
        let outside = site.root().parent().unwrap().join("escaped.html");
        assert!(
            !outside.exists(),
            "{alias}: a file was written outside the site"
        );
        assert_eq!(
            std::fs::read(&template).ok(),
            before,
            "{alias}: a template was overwritten"
        );
        assert!(
            !site.out().join("index.html").exists(),
            "{alias}: nothing is written"
        );
    }
}
