//! The radpress binary: exit codes, messages and the refusal of dangerous output folders.

mod common;

use std::process::Command;

use common::TestSite;

fn radpress(site: &TestSite, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_radpress"))
        .arg("--root")
        .arg(site.root())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn build_succeeds_with_exit_code_zero_and_a_summary() {
    let site = TestSite::new("basic");
    let out = radpress(&site, &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Built 7 pages"));
}

#[test]
fn content_error_exits_one_with_file_and_line() {
    let site = TestSite::with_overlay("unknown-key");
    let out = radpress(&site, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/posts/typo.md:4:1: error: unknown key `sumary`"),
        "{err}"
    );
    assert!(err.contains("fix: did you mean `summary`?"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
}

#[test]
fn refuses_output_folders_that_hold_the_site() {
    let site = TestSite::new("basic");
    for bad in [".", "content", "static", "themes", "content/cases", ".."] {
        let out = radpress(&site, &["build", "--output", bad]);
        assert_eq!(out.status.code(), Some(2), "--output {bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing"),
            "--output {bad}"
        );
    }
    assert!(site.root().join("content/about.md").exists());
}

#[test]
fn never_empties_a_folder_it_did_not_make() {
    let site = TestSite::new("basic");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("precious.txt"), "keep me").unwrap();
    let out = radpress(
        &site,
        &["build", "--output", other.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(other.path().join("precious.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = TestSite::new("basic");
    let out = radpress(&site, &["build", "--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}
