//! Data safety: nothing outside the output folder is ever written, read or deleted, and a failed
//! build never costs the last good site. Each test here is one way an outside tester lost files
//! or a site (issue 17), tried against a built fixture site.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestSite, snapshot};

/// Files a user keeps in a folder of their own, some named the way radpress names cache
/// entries: none of them may be touched by a build that finds the folder linked into its cache.
fn user_folder(at: &Path) -> Vec<(String, Vec<u8>)> {
    for (rel, bytes) in [
        ("holiday.jpg", &b"a photo"[..]),
        ("notes.txt", b"my notes"),
        ("images/scan.png", b"a picture"),
        ("cards/birthday.png", b"a card"),
        (
            "highlight/0123456789abcdef0123456789abcdef.html",
            b"named like a cache entry",
        ),
        ("0123456789abcdef0123456789abcdef.png", b"named like a card"),
        ("search/00000000000000aa.bin", b"named like an index"),
    ] {
        let p = at.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    snapshot(at)
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

fn error_of(site: &TestSite) -> String {
    match site.build() {
        Ok(_) => panic!("the build should have failed"),
        Err(e) => e.to_string(),
    }
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_is_a_link_is_refused_and_its_target_untouched() {
    for linked in [
        ".radpress-cache",
        ".radpress-cache/images",
        ".radpress-cache/cards",
    ] {
        let site = TestSite::new("basic");
        let outside = tempfile::tempdir().unwrap();
        let pictures = outside.path().join("Pictures");
        let before = user_folder(&pictures);
        // Once with a cache radpress made, once without one.
        if linked != ".radpress-cache" {
            site.build().unwrap();
            std::fs::remove_dir_all(site.root().join(linked)).unwrap();
        }
        let public = if site.out().exists() {
            snapshot(&site.out())
        } else {
            Vec::new()
        };
        link(&pictures, &site.root().join(linked));
        let e = error_of(&site);
        assert!(
            e.contains("symbolic link") && e.contains(linked),
            "{linked}: {e}"
        );
        assert_eq!(
            snapshot(&pictures),
            before,
            "{linked}: the user's files changed"
        );
        if site.out().exists() {
            assert_eq!(
                snapshot(&site.out()),
                public,
                "{linked}: the last good site changed"
            );
        }
        // `radpress check` and a forced build read the cache too.
        let status = Command::new(env!("CARGO_BIN_EXE_radpress"))
            .args(["--root", site.root().to_str().unwrap(), "build", "--force"])
            .output()
            .unwrap();
        assert_eq!(status.status.code(), Some(1), "{linked}");
        assert_eq!(
            snapshot(&pictures),
            before,
            "{linked}: the user's files changed"
        );
    }
}

#[test]
fn a_cache_folder_holding_other_files_is_refused() {
    let site = TestSite::new("basic");
    let cache = site.root().join(".radpress-cache");
    let before = user_folder(&cache);
    let e = error_of(&site);
    assert!(e.contains("radpress did not make"), "{e}");
    assert_eq!(snapshot(&cache), before);
    assert!(!site.out().exists(), "nothing was built");
}

#[test]
fn an_old_unmarked_cache_is_taken_over_and_marked() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    std::fs::remove_file(site.root().join(".radpress-cache/CACHEDIR.TAG")).unwrap();
    site.build_forced().unwrap();
    let tag = std::fs::read_to_string(site.root().join(".radpress-cache/CACHEDIR.TAG")).unwrap();
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
}

/// Cache files radpress made and no longer needs go; a file it did not make stays, wherever in
/// the cache it is.
#[test]
fn pruning_removes_only_what_radpress_made() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let cache = site.root().join(".radpress-cache");
    let mine = [
        "cards/my-card.png",
        "images/holiday.jpg",
        "highlight/notes.html",
        "search/old.bin",
    ];
    for rel in mine {
        std::fs::create_dir_all(cache.join(rel).parent().unwrap()).unwrap();
        std::fs::write(cache.join(rel), b"mine").unwrap();
    }
    let stale = [
        "cards/00000000000000000000000000000001.png",
        "images/00000000000000000000000000000001.png",
        "highlight/00000000000000000000000000000001.html",
    ];
    for rel in stale {
        std::fs::create_dir_all(cache.join(rel).parent().unwrap()).unwrap();
        std::fs::write(cache.join(rel), b"stale").unwrap();
    }
    // Every page and card changes.
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let retitled = config.replacen("title = \"", "title = \"New ", 1);
    assert_ne!(config, retitled);
    std::fs::write(site.root().join("site.toml"), retitled).unwrap();
    site.build().unwrap();
    for rel in mine {
        assert_eq!(std::fs::read(cache.join(rel)).unwrap(), b"mine", "{rel}");
    }
    for rel in stale {
        assert!(!cache.join(rel).exists(), "{rel} was not pruned");
    }
}

#[test]
fn a_second_build_into_the_same_folder_at_the_same_time_stops_with_a_clear_message() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let public = snapshot(&site.out());
    site.write(
        "content/posts/new.md",
        "+++\ntitle = \"New\"\ndate = 2026-01-12\n+++\nText.\n",
    );
    // Another build is writing the output folder.
    let lock = std::fs::File::open(site.out().join(".radpress-output")).unwrap();
    lock.try_lock().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root", site.root().to_str().unwrap(), "build"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("another radpress build is writing"),
        "{stderr}"
    );
    assert_eq!(snapshot(&site.out()), public);
    drop(lock);
    site.build().unwrap();
    assert!(site.out().join("posts/new/index.html").exists());
}

/// Builds started together: each one either builds the whole site or stops with the message,
/// and what is left is exactly what one build makes.
#[test]
fn builds_started_together_never_mix_their_files() {
    let site = TestSite::new("basic");
    for i in 0..150 {
        site.write(
            &format!("content/posts/p{i}.md"),
            &format!("+++\ntitle = \"Post {i}\"\ndate = 2026-01-10\n+++\nText of post {i}.\n"),
        );
    }
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_radpress"))
                .args(["--root", site.root().to_str().unwrap(), "build", "--force"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut built = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => built += 1,
            Some(1) => assert!(stderr.contains("another radpress build"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(built >= 1);
    let report = site.build_forced().unwrap();
    assert_eq!(
        (report.written, report.removed),
        (0, 0),
        "the output differs from what one build makes"
    );
    let left = temporaries(site.root());
    assert!(left.is_empty(), "{left:?}");
}

/// A folder inside the output that is a link to somewhere else is never written through, and a
/// file there that is a link is replaced, not written through.
#[cfg(unix)]
#[test]
fn links_inside_the_output_folder_are_not_written_through() {
    let site = TestSite::new("basic");
    site.build().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let before = user_folder(outside.path());

    // A folder of the site's pages swapped for a link.
    std::fs::remove_dir_all(site.out().join("posts")).unwrap();
    link(outside.path(), &site.out().join("posts"));
    site.write("content/posts/welcome.md", &welcome("Changed once"));
    let e = error_of(&site);
    assert!(e.contains("symbolic link") && e.contains("posts"), "{e}");
    assert_eq!(snapshot(outside.path()), before, "written through the link");
    std::fs::remove_file(site.out().join("posts")).unwrap();
    site.build().unwrap();

    // One page swapped for a link to a file outside.
    let page = site.out().join("posts/welcome/index.html");
    std::fs::remove_file(&page).unwrap();
    link(&outside.path().join("notes.txt"), &page);
    site.write("content/posts/welcome.md", &welcome("Changed twice"));
    site.build().unwrap();
    assert_eq!(snapshot(outside.path()), before, "written through the link");
    assert!(
        !std::fs::symlink_metadata(&page)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        site.read("posts/welcome/index.html")
            .contains("Changed twice")
    );

    // The marker swapped for a link to a file that does not exist yet.
    let marker = site.out().join(".radpress-output");
    std::fs::remove_file(&marker).unwrap();
    link(&outside.path().join("planted"), &marker);
    site.write("content/posts/welcome.md", &welcome("Changed thrice"));
    assert!(site.build().is_err());
    assert!(!outside.path().join("planted").exists());
    assert_eq!(snapshot(outside.path()), before);
}

/// radpress's temporary files under `dir`: pages and files beside their places
/// (`.index.html.3.radpress-tmp`) and cache files (`<key>.tmp<pid>-<n>`).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".radpress-tmp")
                || name
                    .split_once(".tmp")
                    .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect()
}

fn welcome(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2026-01-10\n+++\nWelcome.\n")
}

/// The disk fills up during a rebuild (a real small file system: a tmpfs mounted in a private
/// mount namespace). The last good site must stay byte-identical, no temporary file may be left
/// to keep the disk full, and once there is room again the build succeeds.
///
/// The test runs itself again inside `unshare`, which mounts the tmpfs; the inner run finds the
/// mount through RADPRESS_TEST_FULL_DISK.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_during_a_rebuild_leaves_the_last_good_site_whole() {
    if let Ok(mount) = std::env::var("RADPRESS_TEST_FULL_DISK") {
        full_disk_inside(Path::new(&mount));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small-disk");
    std::fs::create_dir(&mount).unwrap();
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
        .arg(r#"mount -t tmpfs -o size=48m tmpfs "$1" && shift && exec "$@""#)
        .arg("sh")
        .arg(&mount)
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_full_disk_during_a_rebuild_leaves_the_last_good_site_whole",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("RADPRESS_TEST_FULL_DISK", &mount)
        .output()
        .expect("unshare (util-linux) runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("1 passed"),
        "the inner test did not run: {text}"
    );
    assert!(text.contains("full-disk rounds: "), "{text}");
}

#[cfg(target_os = "linux")]
fn full_disk_inside(mount: &Path) {
    let root = mount.join("site");
    common::copy_dir(&common::fixture("basic"), &root);
    for i in 0..20 {
        std::fs::write(
            root.join(format!("content/posts/p{i}.md")),
            format!(
                "+++\ntitle = \"Post {i}\"\ndate = 2026-01-10\n+++\n{}\n",
                "Text. ".repeat(200)
            ),
        )
        .unwrap();
    }
    let build = || {
        radpress::build(&radpress::BuildOptions {
            root: root.clone(),
            output: PathBuf::from("public"),
            publish: radpress::Publish::default(),
            force: true,
        })
    };
    build().unwrap();
    let filler = mount.join("filler");
    let mut rounds = 0;
    // Leave less and less room, so that the disk fills at different points of the rebuild.
    for room_kib in [0u64, 16, 64, 256, 1024, 2048] {
        let good = snapshot(&root.join("public"));
        // Every page changes.
        let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
        let title = format!("title = \"Round {room_kib} ");
        std::fs::write(
            root.join("site.toml"),
            config.replacen("title = \"", &title, 1),
        )
        .unwrap();
        fill(&filler, room_kib);
        match build() {
            Ok(_) => {
                // Enough room this time: the new site is whole.
                let index = std::fs::read_to_string(root.join("public/index.html")).unwrap();
                assert!(index.contains(&format!("Round {room_kib} ")));
            }
            Err(e) => {
                rounds += 1;
                assert!(e.to_string().contains("No space left"), "{e}");
                assert_eq!(
                    snapshot(&root.join("public")),
                    good,
                    "{room_kib} KiB free: the last good site changed"
                );
            }
        }
        let left = temporaries(&root);
        assert!(
            left.is_empty(),
            "{room_kib} KiB free: temporary files left: {left:?}"
        );
        std::fs::remove_file(&filler).unwrap();
        build().unwrap();
    }
    assert!(rounds >= 3, "only {rounds} rounds ran out of room");
    println!("full-disk rounds: {rounds}");
}

/// Fills the file system of `filler` until only about `room_kib` KiB are free.
#[cfg(target_os = "linux")]
fn fill(filler: &Path, room_kib: u64) {
    use std::io::Write;
    let mut f = std::fs::File::create(filler).unwrap();
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.flush();
    let len = f.metadata().unwrap().len();
    f.set_len(len.saturating_sub(room_kib * 1024)).unwrap();
}

/// A theme is a folder name under themes/, never a path: `theme = "../../x"` published the static
/// files of a folder outside the site.
#[test]
fn a_theme_is_a_name_not_a_path() {
    for theme in [
        "../../outside",
        "/etc",
        "a/b",
        ".hidden",
        "",
        "..",
        "x\\\\y",
    ] {
        let site = TestSite::new("basic");
        let outside = site.root().join("../outside/static");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "secret").unwrap();
        let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
        std::fs::write(
            site.root().join("site.toml"),
            format!("theme = \"{theme}\"\n{config}"),
        )
        .unwrap();
        let problems = site.problems();
        let d = &problems[0];
        assert!(d.file.ends_with("site.toml"), "{theme}: {d}");
        assert_eq!(d.line, Some(1), "{theme}: {d}");
        assert!(d.message.contains("not a theme name"), "{theme}: {d}");
        assert!(!site.out().join("secret.txt").exists());
    }
}

/// Links in the site's sources are refused with the file named: following one could publish
/// any file of the machine (a key, another patient's images).
#[cfg(unix)]
#[test]
fn links_among_the_sources_are_refused_and_nothing_behind_them_is_published() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "secret").unwrap();
    std::fs::create_dir(outside.path().join("theme")).unwrap();
    for (at, target, named) in [
        ("static/notes.txt", secret.clone(), "static/notes.txt"),
        (
            "content/posts/notes.md",
            secret.clone(),
            "content/posts/notes.md",
        ),
        (
            "content/cases/quiz-one/scan.png",
            secret.clone(),
            "quiz-one/scan.png",
        ),
        ("static/more", outside.path().to_path_buf(), "static/more"),
        ("themes", outside.path().to_path_buf(), "themes"),
    ] {
        let site = TestSite::new("basic");
        std::fs::create_dir_all(site.root().join(at).parent().unwrap()).unwrap();
        link(&target, &site.root().join(at));
        let e = error_of(&site);
        assert!(
            e.contains("symbolic link") && e.contains(named),
            "{at}: {e}"
        );
        assert!(!site.out().exists(), "{at}: something was built");
    }
}

/// site.toml that is a FIFO, a link to /dev/zero or far too large: a clear error, at once (a
/// FIFO used to hang the build; /dev/zero read until memory ran out).
#[cfg(unix)]
#[test]
fn a_site_toml_that_is_not_a_plain_file_is_refused_at_once() {
    type Make = fn(&Path);
    let cases: [(&str, Make); 3] = [
        ("fifo", |p| {
            assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
        }),
        ("/dev/zero", |p| link(Path::new("/dev/zero"), p)),
        ("17 MiB", |p| {
            let mut text = String::from("title = \"x\"\nbase_url = \"https://x.org\"\n");
            while text.len() < 17 << 20 {
                text.push_str("# a comment line to make the file large\n");
            }
            std::fs::write(p, text).unwrap();
        }),
    ];
    for (what, make) in cases {
        let site = TestSite::new("basic");
        let config = site.root().join("site.toml");
        std::fs::remove_file(&config).unwrap();
        make(&config);
        let mut child = Command::new(env!("CARGO_BIN_EXE_radpress"))
            .args(["--root", site.root().to_str().unwrap(), "build"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > std::time::Duration::from_secs(20) {
                let _ = child.kill();
                panic!("{what}: the build hangs");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(1), "{what}: {stderr}");
        assert!(stderr.contains("site.toml"), "{what}: {stderr}");
        assert!(
            stderr.contains("not a regular file")
                || stderr.contains("symbolic link")
                || stderr.contains("limit"),
            "{what}: {stderr}"
        );
    }
}

/// Invalid UTF-8 in site.toml names its line.
#[test]
fn invalid_utf8_in_site_toml_names_its_line() {
    let site = TestSite::new("basic");
    let config = std::fs::read(site.root().join("site.toml")).unwrap();
    let mut bytes = b"# first line\n# caf\xe9\n".to_vec();
    bytes.extend(config);
    std::fs::write(site.root().join("site.toml"), bytes).unwrap();
    let problems = site.problems();
    assert_eq!(problems[0].line, Some(2), "{}", problems[0]);
    assert!(problems[0].message.contains("UTF-8"), "{}", problems[0]);
}

/// CRC-32 as PNG chunks use it (ISO 3309), for hand-made PNG headers.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend(data);
    out.extend(&body);
    out.extend(crc32(&body).to_be_bytes());
}

/// A PNG of under a hundred bytes declaring `width`×`height` RGBA pixels.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// A GIF of a few hundred bytes: a `side`×`side` canvas and `frames` frames of one pixel each,
/// which a decoder turns into `frames` full canvases.
fn gif_of_many_frames(side: u16, frames: usize) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend(side.to_le_bytes());
    gif.extend(side.to_le_bytes());
    gif.extend([0x00, 0, 0]); // no global colour table
    for _ in 0..frames {
        gif.extend([0x21, 0xF9, 4, 0x00, 1, 0, 0, 0]); // graphic control: 10 ms
        gif.push(0x2C); // image descriptor: 1×1 at 0,0, a local table of 2 colours
        gif.extend([0, 0, 0, 0, 1, 0, 1, 0, 0x80]);
        gif.extend([0, 0, 0, 255, 255, 255]);
        gif.extend([2, 2, 0x44, 0x01, 0]); // LZW: clear, pixel 0, end
    }
    gif.push(0x3B);
    gif
}

/// Images that declare far more pixels or frames than their size: a clear error naming the
/// file, quickly, instead of a 40 GB allocation that aborted the build with no file named.
#[test]
fn image_bombs_are_refused_naming_the_file() {
    let png = png_declaring(200_000, 200_000);
    assert!(png.len() < 100, "{}", png.len());
    let gif = gif_of_many_frames(8000, 20);
    assert!(gif.len() < 1000, "{}", gif.len());
    let tall = png_declaring(1, 30_000);
    for (name, bytes, says) in [
        ("bomb.png", png, "200000×200000 pixels"),
        ("cine.gif", gif, "frames"),
        ("tall.png", tall, "1×30000 pixels"),
    ] {
        let site = TestSite::new("basic");
        std::fs::write(site.root().join("static/images").join(name), bytes).unwrap();
        let started = std::time::Instant::now();
        let problems = site.problems();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{name}: {:?}",
            started.elapsed()
        );
        let d = problems
            .iter()
            .find(|d| d.file.to_string_lossy().contains(name))
            .unwrap_or_else(|| panic!("{name}: {problems:#?}"));
        assert!(d.message.contains(says), "{name}: {d}");
    }
}

/// 40,000 headings with one title: each gets its own id (`same-1`, `same-2`, …) without the
/// quadratic search for a free one (it took 76 s).
#[test]
fn forty_thousand_identical_headings_build_in_reasonable_time() {
    let site = TestSite::new("basic");
    let body = "## Same\n\ntext\n\n".repeat(40_000);
    site.write(
        "content/posts/headings.md",
        &format!("+++\ntitle = \"Headings\"\ndate = 2026-01-10\n+++\n{body}"),
    );
    let started = std::time::Instant::now();
    site.build().unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    let html = site.read("posts/headings/index.html");
    assert!(html.contains("id=\"same-39999\""));
}

/// Raw HTML that runs code is an error at its line and column; ordinary HTML passes; a site
/// that trusts its authors may allow it all.
#[test]
fn raw_html_that_runs_code_is_refused_at_its_line() {
    let cases = [
        ("<script>alert(1)</script>", "<script>"),
        (
            "<p>Fine</p>\n\n<img src=x\n  onerror=\"alert(1)\">",
            "onerror",
        ),
        (
            "Text with <a href=\"&#106;avascript:alert(1)\">a link</a>.",
            "javascript:",
        ),
        ("[Click](javascript:alert(1))", "javascript:"),
        ("<iframe srcdoc=\"<b>x</b>\"></iframe>", "srcdoc"),
        (
            "<svg viewBox=\"0 0 1 1\"><script>alert(1)</script></svg>",
            "<script>",
        ),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ];
    for (body, says) in cases {
        let site = TestSite::new("basic");
        site.write(
            "content/posts/raw.md",
            &format!("+++\ntitle = \"Raw\"\ndate = 2026-01-10\n+++\nFirst line.\n\n{body}\n"),
        );
        let problems = site.problems();
        let d = problems
            .iter()
            .find(|d| d.file.ends_with("content/posts/raw.md"))
            .unwrap_or_else(|| panic!("{body}: {problems:#?}"));
        assert!(d.message.contains(says), "{body}: {d}");
        assert!(d.line.is_some_and(|l| l >= 7), "{body}: {d}");
        assert!(d.column.is_some(), "{body}: {d}");
        assert!(d.fix.is_some(), "{body}: {d}");

        // A site whose authors are all trusted.
        let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
        std::fs::write(
            site.root().join("site.toml"),
            format!("trusted_html = true\n{config}"),
        )
        .unwrap();
        site.build().unwrap_or_else(|e| panic!("{body}: {e}"));
    }
    let site = TestSite::new("basic");
    site.write(
        "content/posts/ok.md",
        "+++\ntitle = \"Ok\"\ndate = 2026-01-10\n+++\n<details><summary>Answer</summary>\n\n\
         Pneumothorax.\n\n</details>\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/x\" \
         title=\"Video\"></iframe>\n",
    );
    site.build().unwrap();
}

/// A title holding `<!-- <script>` must not keep the JSON-LD script element from ending (which
/// blanked the page in browsers): `<`, `>` and `&` are escaped there.
#[test]
fn a_title_cannot_break_out_of_the_json_ld() {
    let site = TestSite::new("basic");
    // The built-in theme, which writes the JSON-LD.
    std::fs::remove_dir_all(site.root().join("templates")).unwrap();
    site.write(
        "content/posts/tricky.md",
        "+++\ntitle = \"A <!-- <script> & </script> title\"\ndate = 2026-01-10\n+++\nText.\n",
    );
    site.build().unwrap();
    let html = site.read("posts/tricky/index.html");
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let scripts: Vec<_> = doc.select(&sel).collect();
    assert_eq!(scripts.len(), 1);
    let json = scripts[0].inner_html();
    assert!(!json.contains('<') && !json.contains('>'), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        value
            .to_string()
            .contains("A <!-- <script> & </script> title")
    );
    // The page's body is still there after the script.
    let main = scraper::Selector::parse("main").unwrap();
    assert!(doc.select(&main).next().is_some());
}

/// A NUL in a title or body is an error at its line, not a failure blamed on the theme's
/// card.svg (and a NUL in the body was published).
#[test]
fn control_characters_are_errors_at_their_line() {
    for (text, line) in [
        (
            "+++\ntitle = \"Nul \\u0000 here\"\ndate = 2026-01-10\n+++\nText.\n",
            2,
        ),
        (
            "+++\ntitle = \"Fine\"\ndate = 2026-01-10\n+++\nText.\n\nA \0 NUL.\n",
            7,
        ),
        (
            "+++\ntitle = \"Esc \u{1b}[31m\"\ndate = 2026-01-10\n+++\nText.\n",
            2,
        ),
    ] {
        let site = TestSite::new("basic");
        site.write("content/posts/nul.md", text);
        let problems = site.problems();
        let d = problems
            .iter()
            .find(|d| d.file.ends_with("content/posts/nul.md"))
            .unwrap_or_else(|| panic!("{text:?}: {problems:#?}"));
        assert_eq!(d.line, Some(line), "{text:?}: {d}");
        assert!(d.message.contains("control character"), "{text:?}: {d}");
    }
    let site = TestSite::new("basic");
    let config = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let config = config.replacen("title = \"", "title = \"\\u0000", 1);
    std::fs::write(site.root().join("site.toml"), config).unwrap();
    let d = &site.problems()[0];
    assert!(d.file.ends_with("site.toml") && d.line == Some(1), "{d}");
}

/// Output names that break on Windows and macOS, and slugs or tags too long for a file system,
/// are errors naming the page and its line (a 10,000-character tag failed with the system's
/// "file name too long" naming only the output path).
#[test]
fn unportable_and_overlong_output_names_are_errors_at_their_line() {
    let long = "t".repeat(10_000);
    for (front, says, line) in [
        ("tags = [\"con\"]".to_string(), "device name", 4),
        ("slug = \"aux\"".to_string(), "device name", 4),
        (format!("tags = [\"{long}\"]"), "bytes long", 4),
        (format!("slug = \"{long}\""), "bytes long", 4),
        (
            "aliases = [\"/old/page./\"]".to_string(),
            "ends in a dot",
            4,
        ),
    ] {
        let site = TestSite::new("basic");
        site.write(
            "content/posts/odd.md",
            &format!("+++\ntitle = \"Odd\"\ndate = 2026-01-10\n{front}\n+++\nText.\n"),
        );
        let problems = site.problems();
        let d = problems
            .iter()
            .find(|d| d.message.contains(says))
            .unwrap_or_else(|| panic!("{says}: {problems:#?}"));
        assert!(
            d.file.to_string_lossy().contains("content/posts/odd.md"),
            "{says}: {d}"
        );
        assert_eq!(d.line, Some(line), "{says}: {d}");
        assert!(!site.out().exists(), "{says}: something was written");
    }
    // Two files whose paths differ only in case (slugs are always lower case; file names of
    // static files are published as they are).
    let site = TestSite::new("basic");
    site.write("static/Images/Notes.txt", "notes");
    site.write("static/images/notes.txt", "other notes");
    let problems = site.problems();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("differ only in letter case")),
        "{problems:#?}"
    );
}

/// `radpress new` with a title holding line breaks and `+++` writes a page that builds.
#[test]
fn a_new_page_with_any_title_builds() {
    let site = TestSite::new("basic");
    let out = Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root", site.root().to_str().unwrap(), "new", "post"])
        .arg("Line one\n+++\n\"quoted\" \\ back")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let published = Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root", site.root().to_str().unwrap(), "build", "--drafts"])
        .output()
        .unwrap();
    assert_eq!(
        published.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&published.stderr)
    );
}

/// Messages that named nothing useful: `--output` onto a file names the option, and a folder
/// without site.toml is a usage error (exit 2).
#[test]
fn usage_messages_name_the_option_and_exit_2() {
    let site = TestSite::new("basic");
    let out = Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args([
            "--root",
            site.root().to_str().unwrap(),
            "build",
            "--output",
            "site.toml",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--output"), "{stderr}");

    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root", empty.path().to_str().unwrap(), "build"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no site.toml"), "{stderr}");
}

/// A template include cycle names a template and says how to fix it.
#[test]
fn a_template_include_cycle_names_the_template() {
    let site = TestSite::new("basic");
    site.write("templates/a.html", "{% include \"b.html\" %}\n");
    site.write("templates/b.html", "{% include \"a.html\" %}\n");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"a.html\" %}{% endblock %}",
    );
    let problems = site.problems();
    let d = &problems[0];
    assert!(
        d.file.ends_with("a.html") || d.file.ends_with("b.html"),
        "{d}"
    );
    assert!(d.fix.as_deref().is_some_and(|f| f.contains("cycle")), "{d}");
}

/// (status, body bytes) of a GET of `path` from a running `radpress serve`.
fn http_get(addr: &str, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let status = String::from_utf8_lossy(&response[9..12]).parse().unwrap();
    let body = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| response[at + 4..].to_vec())
        .unwrap_or_default();
    (status, body)
}

/// A build beside `serve` must not delete cache files serve still shows: the draft's share card
/// (serve shows drafts, the build leaves them out and used to prune their cards).
#[test]
fn a_build_beside_serve_leaves_what_serve_shows() {
    let site = TestSite::new("basic");
    let (mut child, addr) = common::start_serve(&site);
    let card = "/cases/draft-case/card.png";
    let started = std::time::Instant::now();
    let before = loop {
        let (status, body) = http_get(&addr, card);
        if status == 200 {
            break body;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "serve never showed the draft's card"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let out = Command::new(env!("CARGO_BIN_EXE_radpress"))
        .args(["--root", site.root().to_str().unwrap(), "build"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.out().join("cases/draft-case").exists());
    let (status, after) = http_get(&addr, card);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200, "the build pruned the card serve shows");
    assert_eq!(after, before);
}

/// A template whose loops over range() would run for days stops with an error naming it.
#[test]
fn a_template_that_loops_for_days_is_an_error() {
    let site = TestSite::new("basic");
    site.write(
        "templates/post.html",
        "{% extends \"base.html\" %}{% block main %}\
         {% for a in range(end=100000) %}{% for b in range(end=100000) %}{% for c in range(end=100000) %}x{% endfor %}{% endfor %}{% endfor %}\
         {% endblock %}",
    );
    let started = std::time::Instant::now();
    let problems = site.problems();
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let d = &problems[0];
    assert!(d.file.ends_with("post.html"), "{d}");
    assert!(d.message.contains("range()"), "{d}");
    // Ordinary ranges still work, counting down included.
    site.write(
        "templates/post.html",
        "{% extends \"base.html\" %}{% block main %}\
         {% for i in range(start=5, end=0, step_by=-1) %}[{{ i }}]{% endfor %}\
         {% for i in range(end=3) %}<{{ i }}>{% endfor %}{% endblock %}",
    );
    site.build().unwrap();
    let html = site.read("posts/welcome/index.html");
    assert!(html.contains("[5][4][3][2][1]"), "{html}");
    assert!(
        html.contains("&lt;0&gt;&lt;1&gt;&lt;2&gt;") || html.contains("<0><1><2>"),
        "{html}"
    );
}

/// A folder among the sources swapped for a link to a folder outside the site after radpress
/// walked it: the file is refused when it is opened, not read through the link. (Simulated
/// with the library's reader: the site root is registered, then a folder becomes a link.)
#[cfg(target_os = "linux")]
#[test]
fn a_folder_swapped_for_a_link_after_the_walk_is_refused_at_open() {
    let site = TestSite::new("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("chest.png"), b"outside").unwrap();
    radpress::input::register_root(site.root());
    let file = site.root().join("static/images/chest.png");
    assert!(radpress::input::read(&file, 1 << 20).is_ok());
    std::fs::rename(
        site.root().join("static/images"),
        site.root().join("static/was-images"),
    )
    .unwrap();
    link(outside.path(), &site.root().join("static/images"));
    let e = radpress::input::read(&file, 1 << 20).unwrap_err();
    assert!(e.to_string().contains("symbolic link"), "{e}");
}
