//! Live reload seen in headless Chromium (Debian's `chromium`, driven by playwright-core through
//! tests/browser/reload.mjs): an edit reloads the open page, a broken save shows the error overlay
//! and the fix clears it, and a stylesheet change applies without a reload.
//! Needs Node.js, /usr/bin/chromium and the npm packages: `scripts/test.sh` installs them.

mod common;

use std::process::Command;

use common::TestSite;

const INSTALL_HINT: &str = "run scripts/test.sh, which installs Chromium and the npm packages";

#[test]
fn an_open_page_reloads_shows_errors_and_swaps_styles_in_chromium() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        std::path::Path::new("/usr/bin/chromium").is_file()
            || std::env::var_os("CHROMIUM").is_some(),
        "no /usr/bin/chromium: {INSTALL_HINT}"
    );
    assert!(
        repo.join("node_modules/playwright-core").is_dir(),
        "no playwright-core: {INSTALL_HINT}"
    );

    let site = TestSite::new("basic");
    // The default theme, so that the page has a stylesheet to swap.
    std::fs::remove_dir_all(site.root().join("templates")).unwrap();
    let (mut server, addr) = common::start_serve(&site);
    let origin = format!("http://{addr}");

    let out = Command::new("node")
        .current_dir(repo)
        .arg("tests/browser/reload.mjs")
        .arg(&origin)
        .arg(site.root())
        .output()
        .unwrap_or_else(|e| panic!("could not start node ({e}): {INSTALL_HINT}"));
    let _ = server.kill();
    let _ = server.wait();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    assert_eq!(report.matches("ok: ").count(), 7, "{report}");
}
