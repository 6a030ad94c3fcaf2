//! `radpress serve` end to end: it serves the site, tells a connected browser to reload after an
//! edit, shows a broken save as an error and clears it with the fix, swaps stylesheets in place,
//! and never serves a file from outside the build.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Child;
use std::time::{Duration, Instant};

use common::TestSite;

/// A running `radpress serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let (child, addr) = common::start_serve(site);
        Server { child, addr }
    }

    /// (status, body) of a GET of `raw_path`, sent exactly as given.
    fn get(&self, raw_path: &str) -> (u16, String) {
        self.get_from("localhost", raw_path)
    }

    /// (status, body) of a GET of `raw_path` with the `Host` header `host`.
    fn get_from(&self, host: &str, raw_path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().unwrap();
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        write!(
            stream,
            "GET /__radpress/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        Events {
            reader: BufReader::new(stream),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The names of the events that arrive within `window`.
    fn during(&mut self, window: Duration) -> Vec<String> {
        let deadline = Instant::now() + window;
        let mut names = Vec::new();
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => {
                    if let Some(ev) = line.trim_end().strip_prefix("event: ") {
                        names.push(ev.to_string());
                    }
                }
                Err(_) => continue,
            }
        }
        names
    }

    /// The next event of kind `name`, skipping others; its data line.
    fn next(&mut self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut current = String::new();
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => {
                    let l = line.trim_end();
                    if let Some(ev) = l.strip_prefix("event: ") {
                        current = ev.to_string();
                    } else if let Some(data) = l.strip_prefix("data: ")
                        && current == name
                    {
                        return data.to_string();
                    }
                }
                Err(_) => continue,
            }
        }
        panic!("no `{name}` event within 20 s");
    }
}

#[test]
fn serves_pages_with_the_reload_script_and_404_for_the_rest() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let (status, body) = server.get("/posts/welcome/");
    assert_eq!(status, 200);
    assert!(body.contains("We have a new site."));
    assert!(
        body.contains("/__radpress/live.js"),
        "the reload script is injected"
    );
    let (status, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Not found"), "404.html is served");
    // The build on disk never carries the script.
    site.build().unwrap();
    assert!(!site.read("posts/welcome/index.html").contains("live.js"));
}

#[test]
fn an_edit_reloads_the_browser_and_a_broken_save_shows_the_error_until_fixed() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next("ok");

    let path = site.root().join("content/posts/welcome.md");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        good.replace("We have a new site.", "We have a shiny new site."),
    )
    .unwrap();
    events.next("reload");
    let (_, body) = server.get("/posts/welcome/");
    assert!(body.contains("shiny new site"), "{body}");

    std::fs::write(
        &path,
        good.replace("title = \"Welcome to the new site\"", "title = \"Unclosed"),
    )
    .unwrap();
    let error = events.next("build-error");
    assert!(error.contains("content/posts/welcome.md:2"), "{error}");
    assert!(error.contains("fix:"), "{error}");
    let (status, body) = server.get("/posts/welcome/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(body.contains("shiny new site"));
    // A browser connecting now sees the error at once.
    let mut late = server.events();
    assert!(late.next("build-error").contains("welcome.md"));

    std::fs::write(&path, &good).unwrap();
    events.next("reload");
    let (_, body) = server.get("/posts/welcome/");
    assert!(body.contains("We have a new site."));
}

/// Share cards, social.json and the search index are brought up to date right after the reload
/// (serve renders the pages first); a broken card template still shows as an error.
#[test]
fn cards_and_snippets_follow_an_edit_and_their_errors_show() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next("ok");
    let (_, before) = server.get("/social.json");
    assert!(before.contains("Welcome to the new site"), "{before}");

    let path = site.root().join("content/posts/welcome.md");
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        good.replace("Welcome to the new site", "Opening day of the new site"),
    )
    .unwrap();
    events.next("reload");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, social) = server.get("/social.json");
        if social.contains("Opening day of the new site") {
            assert!(!social.contains("Welcome to the new site"), "{social}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "social.json never caught up: {social}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // A card template that is not SVG breaks the build after the pages are shown.
    let card = site.root().join("templates/card.svg");
    std::fs::create_dir_all(card.parent().unwrap()).unwrap();
    std::fs::write(&card, "<svg><text>{{ card.title.lines | first }}</svg>").unwrap();
    let error = events.next("build-error");
    assert!(error.contains("card.svg"), "{error}");
    let (status, _) = server.get("/posts/welcome/");
    assert_eq!(status, 200, "the pages are still served");
}

/// New searchable text reaches the preview's search: the index is built again in the
/// background after the reload, and swapped in when done.
#[test]
fn the_search_index_catches_up_with_new_pages() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next("ok");
    let page_count = || {
        let (status, body) = server.get("/pagefind/pagefind-entry.json");
        assert_eq!(status, 200);
        let entry: serde_json::Value = serde_json::from_str(&body).unwrap();
        entry["languages"]["en"]["page_count"].as_u64().unwrap()
    };
    let before = page_count();

    std::fs::write(
        site.root().join("content/posts/second.md"),
        "+++\ntitle = \"A second post\"\ndate = 2024-05-02\n+++\n\nAbout gadolinium.\n",
    )
    .unwrap();
    events.next("reload");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while page_count() != before + 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the index never caught up: {} pages",
            page_count()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_stylesheet_change_swaps_the_stylesheet_without_a_reload() {
    let site = TestSite::new("basic");
    site.write("static/css/extra.css", "body { color: black; }\n");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next("ok");
    site.write("static/css/extra.css", "body { color: navy; }\n");
    let paths = events.next("css");
    assert!(paths.contains("/css/extra.css"), "{paths}");
    assert_eq!(server.get("/css/extra.css").1, "body { color: navy; }\n");
}

#[test]
fn files_created_renamed_and_deleted_are_picked_up() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next("ok");
    site.write(
        "content/posts/second.md",
        "+++\ntitle = \"Second\"\ndate = 2026-06-01\n+++\nMore.\n",
    );
    events.next("reload");
    assert_eq!(server.get("/posts/second/").0, 200);
    std::fs::rename(
        site.root().join("content/posts/second.md"),
        site.root().join("content/posts/renamed.md"),
    )
    .unwrap();
    events.next("reload");
    assert_eq!(server.get("/posts/second/").0, 404);
    assert_eq!(server.get("/posts/renamed/").0, 200);
    std::fs::remove_file(site.root().join("content/posts/renamed.md")).unwrap();
    events.next("reload");
    assert_eq!(server.get("/posts/renamed/").0, 404);
}

#[test]
fn nothing_outside_the_build_is_ever_served() {
    let site = TestSite::new("basic");
    std::fs::write(site.root().join("secret.txt"), "secret").unwrap();
    std::fs::write(site.root().join("static/notes.txt"), "public notes").unwrap();
    let server = Server::start(&site);
    assert_eq!(server.get("/notes.txt"), (200, "public notes".to_string()));
    // A published file swapped for a link, and a new link, while serve runs: the rebuild fails
    // (a link is an error), and the file already served is not read through the link.
    #[cfg(unix)]
    for (target, at) in [
        ("secret.txt", "static/link.txt"),
        ("secret.txt", "static/notes.txt"),
    ] {
        let _ = std::fs::remove_file(site.root().join(at));
        std::os::unix::fs::symlink(site.root().join(target), site.root().join(at)).unwrap();
    }
    std::thread::sleep(Duration::from_millis(500));
    for path in [
        "/../secret.txt",
        "/images/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/images%2f..%2f..%2fsecret.txt",
        "//secret.txt",
        "/site.toml",
        "/content/about.md",
        "/link.txt",
        "/notes.txt",
        "/secret.txt",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("secret") || body.contains("Not found"),
            "{path}: {body}"
        );
    }
}

/// DNS rebinding: a page on another site whose name resolves to 127.0.0.1 must not read the
/// preview (drafts included); loopback names, IP addresses and `--allow-host` names are answered.
#[test]
fn only_loopback_names_and_addresses_are_answered() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        "attacker.example.com",
        "attacker.example.com:1111",
        "localhost.evil.org",
    ] {
        let (status, body) = server.get_from(host, "/");
        assert_eq!(status, 403, "{host}");
        assert!(body.contains("--allow-host"), "{host}: {body}");
        let (status, _) = server.get_from(host, "/__radpress/live.js");
        assert_eq!(status, 403, "{host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
        "site.localhost".to_string(),
    ] {
        assert_eq!(server.get_from(&host, "/").0, 200, "{host}");
    }
    drop(server);

    let (child, addr) = common::start_serve_with(&site, &["--allow-host", "preview.example.org"]);
    let server = Server { child, addr };
    assert_eq!(server.get_from("preview.example.org", "/").0, 200);
    assert_eq!(server.get_from("other.example.org", "/").0, 403);
}

#[test]
fn a_save_through_a_temporary_file_and_rename_rebuilds_once() {
    let site = TestSite::new("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    events.next("ok");
    let posts = site.root().join("content/posts");
    let text = std::fs::read_to_string(posts.join("welcome.md")).unwrap();
    // What vim does: a probe file, a backup by rename, a new file, the backup removed.
    std::fs::write(posts.join("4913"), "").unwrap();
    std::fs::remove_file(posts.join("4913")).unwrap();
    std::fs::rename(posts.join("welcome.md"), posts.join("welcome.md~")).unwrap();
    std::fs::write(
        posts.join("welcome.md"),
        text.replace("new site", "renamed site"),
    )
    .unwrap();
    std::fs::remove_file(posts.join("welcome.md~")).unwrap();
    // What VS Code and many others do: write a temporary file, rename it over the page.
    std::fs::write(
        posts.join(".welcome.md.tmp"),
        text.replace("new site", "twice renamed site"),
    )
    .unwrap();
    std::fs::rename(posts.join(".welcome.md.tmp"), posts.join("welcome.md")).unwrap();
    let seen = events.during(Duration::from_millis(1500));
    assert_eq!(
        seen.iter().filter(|e| *e == "reload").count(),
        1,
        "{seen:?}"
    );
    assert!(
        server
            .get("/posts/welcome/")
            .1
            .contains("twice renamed site")
    );
}
