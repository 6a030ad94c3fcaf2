//! Helpers for integration tests: copy a fixture site into a temp dir, build it, read the output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use radpress::{BuildOptions, BuildReport, Diagnostic, Error, Publish};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture site copied into a fresh temp dir (so tests may edit it).
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    pub fn new(fixture_name: &str) -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(fixture_name), dir.path());
        TestSite { dir }
    }

    /// The basic site with the files of `tests/fixtures/errors/<case>/` laid over it.
    pub fn with_overlay(case: &str) -> TestSite {
        let site = TestSite::new("basic");
        copy_dir(&fixture("errors").join(case), site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn build(&self) -> Result<BuildReport, Error> {
        self.build_with(Publish::default())
    }

    pub fn build_with(&self, publish: Publish) -> Result<BuildReport, Error> {
        radpress::build(&BuildOptions {
            root: self.root().to_path_buf(),
            output: PathBuf::from("public"),
            publish,
            force: false,
        })
    }

    /// `radpress build --force`: the whole pipeline runs even when nothing changed.
    pub fn build_forced(&self) -> Result<BuildReport, Error> {
        radpress::build(&BuildOptions {
            root: self.root().to_path_buf(),
            output: PathBuf::from("public"),
            publish: Publish::default(),
            force: true,
        })
    }

    /// Build, expecting it to fail with site problems; returns them.
    pub fn problems(&self) -> Vec<Diagnostic> {
        match self.build() {
            Ok(_) => panic!("the build should have failed"),
            Err(e) => {
                let d = e.diagnostics().to_vec();
                assert!(!d.is_empty(), "expected site problems, got: {e}");
                d
            }
        }
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel.trim_start_matches('/'));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }
}

/// Texts of every element matching `selector`.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Values of attribute `attr` of every element matching `selector`.
pub fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(String::from))
        .collect()
}

/// Build the demo site at the repository root into a temp dir; returns (guard, output folder).
pub fn build_demo() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("public");
    radpress::build(&BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: dir.clone(),
        publish: Publish::default(),
        force: false,
    })
    .unwrap_or_else(|e| panic!("the demo site must build:\n{e}"));
    (out, dir)
}

/// Every `index.html` under `out`, relative to it (`cases/x/index.html`).
pub fn index_pages(out: &Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|rel| rel.ends_with("index.html"))
        .collect()
}

/// `radpress serve --port 0` on `site`, with the address it printed (`127.0.0.1:PORT`).
/// Its stdout keeps being read so the server never blocks on a full pipe.
pub fn start_serve(site: &TestSite) -> (std::process::Child, String) {
    start_serve_with(site, &[])
}

/// `start_serve` with more options for `serve` (`--allow-host NAME`, …).
pub fn start_serve_with(site: &TestSite, options: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args([
            "--root",
            site.root().to_str().unwrap(),
            "serve",
            "--port",
            "0",
        ])
        .args(options)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Serving at http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// A page may have the site's search box (a GET form to the site's own search page) and nothing
/// else that takes input: no form in the content, no text area, no field but the search query.
pub fn assert_collects_nothing(doc: &scraper::Html, page: &str) {
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    for tag in [
        "main form",
        "main input",
        "textarea",
        "select:not(form[role=search] select)",
    ] {
        if let Ok(selector) = scraper::Selector::parse(tag) {
            assert!(
                doc.select(&selector).next().is_none(),
                "{page}: has `{tag}`"
            );
        }
    }
    for form in doc.select(&sel("form")) {
        let v = form.value();
        assert_eq!(
            v.attr("role"),
            Some("search"),
            "{page}: a form that is not the search box"
        );
        assert!(
            v.attr("method")
                .is_none_or(|m| m.eq_ignore_ascii_case("get")),
            "{page}: search form must GET"
        );
        assert!(
            v.attr("action").is_some_and(|a| a.starts_with('/')),
            "{page}: search form leaves the site"
        );
        for input in form.select(&sel("input")) {
            let kind = input.value().attr("type").unwrap_or("text");
            assert!(
                matches!(kind, "search" | "submit"),
                "{page}: search form has a `{kind}` field"
            );
        }
    }
}

/// What a `node` run did: exit code (None when killed at the time limit), output, duration.
pub struct NodeOutput {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub seconds: f64,
}

/// `node <args>` in the repository, output to files (no pipe to fill), killed after `limit`.
pub fn run_node(
    args: &[std::ffi::OsString],
    limit: std::time::Duration,
    install_hint: &str,
) -> NodeOutput {
    let logs = tempfile::tempdir().unwrap();
    let stdout_path = logs.path().join("stdout");
    let stderr_path = logs.path().join("stderr");
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new("node")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start node ({e}): {install_hint}"));
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    NodeOutput {
        code,
        stdout: std::fs::read_to_string(&stdout_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&stderr_path).unwrap_or_default(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Every file under `dir` with its bytes, sorted: to show a failed build left the output alone.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A little-endian TIFF block with Orientation = `orientation` and a GPS IFD holding
/// GPSLatitudeRef = "N": the smallest EXIF a phone photo could carry.
pub fn exif_tiff(orientation: u16) -> Vec<u8> {
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: two entries, ends at 8 + 2 + 24 + 4 = 38, where the GPS IFD starts.
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&0x0112u16.to_le_bytes());
    t.extend_from_slice(&3u16.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&(orientation as u32).to_le_bytes());
    t.extend_from_slice(&0x8825u16.to_le_bytes());
    t.extend_from_slice(&4u16.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&38u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend_from_slice(&0x0001u16.to_le_bytes());
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&2u32.to_le_bytes());
    t.extend_from_slice(b"N\0\0\0");
    t.extend_from_slice(&0u32.to_le_bytes());
    t
}

/// `img` as a JPEG with these segments (marker, data) right after its start marker, as a
/// camera writes EXIF (APP1, 0xE1), XMP (APP1) and comments (COM, 0xFE).
pub fn jpeg_with_segments(img: image::RgbImage, segments: &[(u8, &[u8])]) -> Vec<u8> {
    let mut plain = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut out = plain[..2].to_vec();
    for (marker, data) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(&plain[2..]);
    out
}

/// EXIF as a JPEG APP1 segment carries it: the `Exif` header and `exif_tiff(orientation)`.
pub fn exif_app1(orientation: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(&exif_tiff(orientation));
    exif
}
