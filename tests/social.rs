//! Social snippets: the X counter and hashtag extraction against twitter-text's conformance
//! files (tests/fixtures/twitter-text/, twitter-text's conformance suite, Apache-2.0, kept as
//! published with its LICENSE), composing, limits,
//! quiz safety, share links and social.json.

mod common;

use std::path::{Path, PathBuf};

use radpress::social::count::{X_V2, X_V3, XConfig, parse_tweet};
use radpress::social::{HashtagCaps, Network, compose::fit, hashtags, share};
use yaml_rust2::{Yaml, YamlLoader};

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/twitter-text")
}

fn load(file: &str) -> Yaml {
    let path = conformance_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0)
}

fn run_counter_section(section: &str, config: &XConfig) -> (usize, Vec<String>) {
    let doc = load("validate.yml");
    let cases = doc["tests"][section].as_vec().expect("section exists");
    let mut failures = Vec::new();
    for case in cases {
        let text = case["text"].as_str().expect("text");
        let expected = &case["expected"];
        let want_len = expected["weightedLength"].as_i64().expect("length") as usize;
        let want_valid = expected["valid"].as_bool().expect("valid");
        let want_per = expected["permillage"].as_i64().expect("permillage") as usize;
        let got = parse_tweet(text, config);
        if got.weighted_length != want_len || got.valid != want_valid || got.permillage != want_per
        {
            failures.push(format!(
                "{}: want {want_len}/{want_valid}/{want_per}, got {}/{}/{}",
                case["description"].as_str().unwrap_or("?"),
                got.weighted_length,
                got.valid,
                got.permillage
            ));
        }
    }
    (cases.len(), failures)
}

#[test]
fn conformance_weighted_tweets_counter_v2() {
    let (n, failures) = run_counter_section("WeightedTweetsCounterTest", &X_V2);
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn conformance_weighted_tweets_with_discounted_emoji_v3() {
    let (n, failures) = run_counter_section("WeightedTweetsWithDiscountedEmojiCounterTest", &X_V3);
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn conformance_unicode_directional_markers() {
    let (n, failures) = run_counter_section("UnicodeDirectionalMarkerCounterTest", &X_V3);
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run_hashtag_section(section: &str, with_indices: bool) -> (usize, Vec<String>) {
    let doc = load("extract.yml");
    let cases = doc["tests"][section].as_vec().expect("section exists");
    let mut failures = Vec::new();
    for case in cases {
        let text = case["text"].as_str().expect("text");
        let found = hashtags::extract_with_indices(text);
        let expected = case["expected"].as_vec().expect("expected list");
        let ok = if with_indices {
            let want: Vec<(String, usize, usize)> = expected
                .iter()
                .map(|e| {
                    let idx = e["indices"].as_vec().expect("indices");
                    (
                        e["hashtag"].as_str().expect("tag").to_string(),
                        idx[0].as_i64().expect("start") as usize,
                        idx[1].as_i64().expect("end") as usize,
                    )
                })
                .collect();
            // twitter-text indices are in code points.
            let got: Vec<(String, usize, usize)> = found
                .iter()
                .map(|f| {
                    (
                        f.tag.clone(),
                        text[..f.start].chars().count(),
                        text[..f.end].chars().count(),
                    )
                })
                .collect();
            want == got
        } else {
            let want: Vec<&str> = expected.iter().map(|e| e.as_str().expect("tag")).collect();
            let got: Vec<&str> = found.iter().map(|f| f.tag.as_str()).collect();
            want == got
        };
        if !ok {
            failures.push(format!(
                "{}: {text:?} → {:?}",
                case["description"].as_str().unwrap_or("?"),
                found.iter().map(|f| &f.tag).collect::<Vec<_>>()
            ));
        }
    }
    (cases.len(), failures)
}

#[test]
fn conformance_hashtags() {
    for (section, indices) in [
        ("hashtags", false),
        ("hashtags_from_astral", false),
        ("hashtags_with_indices", true),
    ] {
        let (n, failures) = run_hashtag_section(section, indices);
        assert!(
            failures.is_empty(),
            "{section}: {} of {n} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

#[test]
fn conformance_validate_hashtags() {
    let doc = load("validate.yml");
    for case in doc["tests"]["hashtags"].as_vec().expect("section") {
        let text = case["text"].as_str().expect("text");
        let want = case["expected"].as_bool().expect("bool");
        assert_eq!(
            hashtags::is_valid(text.trim_start_matches('#')),
            want,
            "{text}"
        );
    }
}

#[test]
fn reference_examples_from_crates_md() {
    assert_eq!(radpress::social::count::x_length("肺の画像 chest"), 14);
    assert_eq!(
        radpress::social::count::x_length(
            "Case of the week 👩🏽‍⚕️🫁 https://example.org/cases/x/ #Radiology #FOAMrad"
        ),
        65
    );
    assert!(!parse_tweet(&"a".repeat(281), &X_V3).valid);
}

// ---------------------------------------------------------------------------------------------
// Share links.

#[test]
fn share_links_percent_encode_everything_but_unreserved() {
    assert_eq!(
        share::encode("Fracture & dislocation #MSKRad 100%\nline two"),
        "Fracture%20%26%20dislocation%20%23MSKRad%20100%25%0Aline%20two"
    );
    assert_eq!(
        share::encode("肺の画像"),
        "%E8%82%BA%E3%81%AE%E7%94%BB%E5%83%8F"
    );
    assert_eq!(
        share::encode("Снимок"),
        "%D0%A1%D0%BD%D0%B8%D0%BC%D0%BE%D0%BA"
    );
    assert_eq!(share::encode("a-b.c_d~e"), "a-b.c_d~e");
    assert_eq!(share::encode("a+b=c?d/e"), "a%2Bb%3Dc%3Fd%2Fe");
    let text = "Pneumo & co #1\n100% 肺";
    let url = "https://example.org/cases/x/";
    let x = share::share_url(Network::X, text, "Pneumo & co #1\n100% 肺 ", url, None).unwrap();
    assert_eq!(
        x,
        "https://twitter.com/intent/tweet?text=Pneumo%20%26%20co%20%231%0A100%25%20%E8%82%BA%20&url=https%3A%2F%2Fexample.org%2Fcases%2Fx%2F"
    );
    assert!(
        share::share_url(Network::Bluesky, text, text, url, None)
            .unwrap()
            .starts_with("https://bsky.app/intent/compose?text=Pneumo%20%26")
    );
    assert_eq!(
        share::share_url(Network::Mastodon, text, text, url, Some("med.social")).unwrap(),
        format!("https://med.social/share?text={}", share::encode(text))
    );
    assert_eq!(
        share::share_url(Network::Mastodon, text, text, url, None),
        None
    );
    assert!(
        share::share_url(Network::Threads, text, text, url, None)
            .unwrap()
            .starts_with("https://www.threads.com/intent/post?text=")
    );
    assert_eq!(
        share::share_url(Network::Linkedin, text, text, url, None).unwrap(),
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fexample.org%2Fcases%2Fx%2F"
    );
}

// ---------------------------------------------------------------------------------------------
// Counting per network.

#[test]
fn each_network_counts_its_own_way() {
    let url = "https://radiology.example.org/cases/a-very-long-case-name-for-testing/";
    let text = format!("Case 🫁 {url}");
    // X: 5 + 2 (emoji) + 1 + 23.
    assert_eq!(Network::X.count(&text), 31);
    // Mastodon: graphemes, URL 23.
    assert_eq!(Network::Mastodon.count(&text), 5 + 1 + 1 + 23);
    // Bluesky: graphemes, URL as written.
    assert_eq!(Network::Bluesky.count(&text), 7 + url.chars().count());
    // Threads: emoji as its UTF-8 bytes (🫁 is 4 bytes).
    assert_eq!(Network::Threads.count("a🫁"), 5);
    // LinkedIn: UTF-16 code units.
    assert_eq!(Network::Linkedin.count("a🫁"), 3);
    assert!(!Network::Bluesky.fits(&"ü".repeat(1600), 300));
}

// ---------------------------------------------------------------------------------------------
// Hashtags.

#[test]
fn hashtags_are_camel_case_valid_deduplicated() {
    assert_eq!(hashtags::camel_case("neuro rad"), "NeuroRad");
    assert_eq!(hashtags::camel_case("#FOAMrad"), "FOAMrad");
    assert_eq!(hashtags::camel_case("head-and-neck"), "HeadAndNeck");
    // One word: capitalised when all lower case, else kept as its author wrote it.
    assert_eq!(hashtags::camel_case("radiology"), "Radiology");
    assert_eq!(hashtags::camel_case("#iRad"), "iRad");
    assert_eq!(hashtags::camel_case("肺"), "肺");
    let cleaned = hashtags::clean(
        vec![
            "Radiology".into(),
            "radiology".into(),
            "#FOAMrad".into(),
            "123".into(),
            "MSK rad".into(),
            "a b".into(),
        ],
        true,
    );
    assert_eq!(cleaned, ["Radiology", "FOAMrad", "MSKRad", "AB"]);
    let not_educational = hashtags::clean(vec!["FOAMrad".into(), "Radiology".into()], false);
    assert_eq!(not_educational, ["Radiology"]);
}

// ---------------------------------------------------------------------------------------------
// Composing and shortening.

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn long_teaser_is_cut_at_a_word_with_an_ellipsis_and_the_url_and_hook_stay() {
    let teaser = "word ".repeat(120);
    let url = "https://radiology.example.org/cases/x/";
    let (text, kept) = fit(
        Network::X,
        280,
        HashtagCaps::default().x,
        "A hook",
        teaser.trim(),
        url,
        &tags(&["NeuroRad", "FOAMrad", "MRI"]),
    );
    assert!(Network::X.count(&text) <= 280, "{text}");
    assert!(text.starts_with("A hook\n\n"));
    assert!(text.contains("word…"), "{text}");
    assert!(text.contains(url));
    assert_eq!(kept, ["NeuroRad", "FOAMrad"], "X keeps two hashtags");
    assert!(text.ends_with("#NeuroRad #FOAMrad"));
}

#[test]
fn hashtags_are_dropped_whole_when_even_one_word_does_not_fit() {
    let hook = "h".repeat(200);
    let url = "https://radiology.example.org/cases/x/";
    let (text, kept) = fit(
        Network::X,
        280,
        HashtagCaps::default().x,
        &hook,
        "teaser words here",
        url,
        &tags(&["NeuroRadiologyTeachingFile", "FOAMrad"]),
    );
    assert!(Network::X.count(&text) <= 280, "{text}");
    assert!(text.starts_with(&hook));
    for tag in &kept {
        assert!(text.contains(&format!("#{tag}")));
    }
    // No partial hashtag anywhere.
    let found = hashtags::extract(&text);
    assert_eq!(found, kept);
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,12}",
        "[a-z]{30,120}",
        "[\u{4e00}-\u{4e80}]{1,30}",
        "[\u{3041}-\u{3096}]{1,10}",
        Just("🫁".to_string()),
        Just("👩🏽‍⚕️".to_string()),
        Just("🏴󠁧󠁢󠁳󠁣󠁴󠁿".to_string()),
        Just("https://example.org/a/very/long/path/that/goes/on?and=on&on=1".to_string()),
        Just("example.com".to_string()),
        Just("#hashtag".to_string()),
        Just("&%#".to_string()),
        "[Ѐ-ӿ]{1,12}",
        "[\u{0600}-\u{06ff}]{1,12}",
    ]
}

fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..max).prop_map(|w| w.join(" "))
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn every_snippet_is_within_its_networks_limit(
        title in words(30),
        summary in words(80),
        tag_list in prop::collection::vec("[A-Z][a-z]{2,20}", 0..5),
        mastodon_limit in 100usize..600,
    ) {
        let url = "https://radiology.example.org/cases/some-case-name/";
        for network in Network::ALL {
            let limit = network.limit(mastodon_limit);
            let max_tags = HashtagCaps::default().of(network);
            let (text, kept) = fit(network, limit, max_tags, &title, &summary, url, &tag_list);
            prop_assert!(network.fits(&text, limit), "{network:?} over: {} > {limit}: {text:?}", network.count(&text));
            prop_assert!(text.contains(url), "URL kept");
            prop_assert!(kept.len() <= max_tags);
            // The hook is whole unless it alone is over the limit.
            if network.fits(&format!("{title}\n\n{url}"), limit) {
                prop_assert!(text.starts_with(&title), "hook kept whole: {text:?}");
            }
            // Hashtags are whole: every kept tag appears as a hashtag.
            for tag in &kept {
                let hash_tag = format!("#{tag}");
                let followed = format!("{} ", hash_tag);
                prop_assert!(text.ends_with(&hash_tag) || text.contains(&followed));
            }
        }
    }
}

/// Words, and what counting treats specially where paragraphs meet: combining marks, CR, a
/// character X refuses, URLs that a following character could end or extend, keycaps.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        word(),
        Just(" ".to_string()),
        Just("\u{301}".to_string()),
        Just("\r".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("a.co".to_string()),
        Just("-b.".to_string()),
        Just("http://x.org/p".to_string()),
        Just("1\u{FE0F}\u{20E3}".to_string()),
        Just("…".to_string()),
    ]
}

fn paragraph(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Shortening relies on this: when a post is over the limit without the teaser, no cut of
    /// the teaser is tried.
    #[test]
    fn a_post_never_counts_less_for_one_more_paragraph(
        before in paragraph(8),
        extra in paragraph(12),
        after in paragraph(8),
    ) {
        // As `assemble` puts paragraphs together.
        let join = |parts: &[&str]| {
            parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("\n\n")
        };
        let without = join(&[&before, &after]);
        let with = join(&[&before, &extra, &after]);
        for network in Network::ALL {
            prop_assert!(network.count(&with) >= network.count(&without), "{network:?}: {with:?}");
            for limit in [0, 5, 20, 60, 280, 3000] {
                prop_assert!(!network.fits(&with, limit) || network.fits(&without, limit));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The demo site: social.json, share blocks, quiz safety.

fn demo() -> radpress::Rendered {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    radpress::render(root, radpress::Publish::default()).expect("demo site renders")
}

fn file_text(rendered: &radpress::Rendered, path: &str) -> String {
    let f = rendered
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"));
    match &f.body {
        radpress::outputs::Body::Bytes(b) => String::from_utf8(b.to_vec()).expect("UTF-8"),
        _ => panic!("{path} is a copied file"),
    }
}

#[test]
fn demo_social_json_has_every_page_and_network_within_limits() {
    let rendered = demo();
    let json: serde_json::Value =
        serde_json::from_str(&file_text(&rendered, "/social.json")).expect("valid JSON");
    let entries = json.as_array().expect("array");
    assert_eq!(entries.len(), rendered.site.pages.len());
    for page in &rendered.site.pages {
        let entry = entries
            .iter()
            .find(|e| e["url"] == page.permalink.as_str())
            .unwrap_or_else(|| panic!("no entry for {}", page.permalink));
        assert_eq!(entry["title"], page.title.as_str());
        for network in Network::ALL {
            let s = &entry["networks"][network.name()];
            let text = s["text"].as_str().expect("text");
            let length = s["length"].as_u64().expect("length") as usize;
            let limit = s["limit"].as_u64().expect("limit") as usize;
            assert_eq!(length, network.count(text), "{} {network:?}", page.path);
            assert!(
                network.fits(text, limit),
                "{} {network:?}: {length} > {limit}",
                page.path
            );
            assert!(
                text.contains(&page.permalink),
                "URL in {} {network:?}",
                page.path
            );
            let share_url = s["share_url"]
                .as_str()
                .expect("share url (demo has a Mastodon instance)");
            assert!(share_url.starts_with("https://"));
            for tag in s["hashtags"].as_array().expect("hashtags") {
                let tag = tag.as_str().expect("tag");
                assert!(hashtags::is_valid(tag));
                assert!(text.contains(&format!("#{tag}")));
                if tag.eq_ignore_ascii_case("foamrad") {
                    assert!(
                        matches!(
                            page.kind,
                            radpress::content::Kind::Case | radpress::content::Kind::Education
                        ),
                        "#FOAMrad on {}",
                        page.path
                    );
                }
            }
            assert!(
                s["hashtags"].as_array().unwrap().len()
                    <= rendered.site.config.social.hashtag_caps.of(network)
            );
        }
    }
}

#[test]
fn quiz_snippets_and_threads_never_spoil() {
    let rendered = demo();
    let settings = radpress::social::compose::Settings::from_config(&rendered.site.config);
    let mut quizzes = 0;
    for page in &rendered.site.pages {
        let Some(case) = page.case.as_deref().filter(|c| c.is_quiz) else {
            continue;
        };
        quizzes += 1;
        let mut forbidden = vec![case.diagnosis.to_lowercase()];
        forbidden.extend(case.answer_title.iter().map(|t| t.to_lowercase()));
        forbidden.extend(case.differential.iter().map(|d| d.to_lowercase()));
        for q in &case.quiz {
            forbidden.extend(
                q.options
                    .iter()
                    .filter(|o| o.correct)
                    .map(|o| o.text.to_lowercase()),
            );
        }
        for network in Network::ALL {
            let snippet = radpress::social::compose(page, &settings, network).text;
            if page.social.text.is_none() {
                assert!(snippet.starts_with("Case of the day: "), "{snippet}");
            }
            let mut texts = vec![snippet];
            texts.extend(
                radpress::social::thread(page, &settings, network)
                    .into_iter()
                    .map(|s| s.text),
            );
            for text in texts {
                // Ignoring case, spaces and punctuation: #AcuteAppendicitis spoils too.
                let squashed = letters_only(&text);
                for f in &forbidden {
                    assert!(
                        !squashed.contains(&letters_only(f)),
                        "{} {network:?} spoils {f:?}: {text}",
                        page.path
                    );
                }
            }
        }
    }
    assert!(quizzes > 0, "the demo has quiz cases");
}

fn letters_only(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn threads_are_numbered_and_within_the_limit() {
    let rendered = demo();
    let settings = radpress::social::compose::Settings::from_config(&rendered.site.config);
    for page in rendered.site.pages.iter().filter(|p| p.case.is_some()) {
        for network in Network::ALL {
            let posts = radpress::social::thread(page, &settings, network);
            let n = posts.len();
            assert!(n >= 2);
            for (i, post) in posts.iter().enumerate() {
                assert!(
                    post.text.ends_with(&format!("{}/{n}", i + 1)),
                    "{}",
                    post.text
                );
                assert!(
                    network.fits(&post.text, post.limit),
                    "{} {network:?}: {}",
                    page.path,
                    post.text
                );
            }
            assert!(posts[n - 1].text.contains(&page.permalink));
        }
    }
}

#[test]
fn every_content_page_has_an_accessible_share_block_without_other_hosts() {
    let rendered = demo();
    for page in &rendered.site.pages {
        let html = file_text(&rendered, &format!("{}index.html", page.path));
        let doc = scraper::Html::parse_document(&html);
        let nav = scraper::Selector::parse("nav.share[aria-labelledby]").unwrap();
        let nav = doc
            .select(&nav)
            .next()
            .unwrap_or_else(|| panic!("no share block on {}", page.path));
        let links: Vec<String> = nav
            .select(&scraper::Selector::parse("li > a[href]").unwrap())
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(links.len(), 5, "{}", page.path);
        for prefix in [
            "https://twitter.com/intent/tweet?text=",
            "https://bsky.app/intent/compose?text=",
            "https://med-mastodon.example/share?text=",
            "https://www.threads.com/intent/post?text=",
            "https://www.linkedin.com/sharing/share-offsite/?url=",
        ] {
            assert!(
                links.iter().any(|l| l.starts_with(prefix)),
                "{} lacks {prefix}",
                page.path
            );
        }
        // Nothing in the block loads anything (no images, scripts or styles).
        assert_eq!(
            nav.select(&scraper::Selector::parse("img, script, link, iframe").unwrap())
                .count(),
            0
        );
    }
}

#[test]
fn find_page_accepts_files_bundles_and_site_paths() {
    let rendered = demo();
    let site = &rendered.site;
    let case = site
        .pages
        .iter()
        .find(|p| p.file.ends_with("index.md") && p.case.is_some())
        .expect("a bundled case");
    let folder = case.file.parent().unwrap().to_string_lossy().to_string();
    for arg in [
        case.file.to_string_lossy().to_string(),
        folder.clone(),
        format!("{folder}/"),
        format!("./{folder}"),
        case.path.clone(),
        case.path.trim_end_matches('/').to_string(),
    ] {
        let found = radpress::outputs::social::find_page(site, &arg)
            .unwrap_or_else(|| panic!("{arg} not found"));
        assert_eq!(found.path, case.path, "{arg}");
    }
    assert!(radpress::outputs::social::find_page(site, "/nope/").is_none());
}

#[test]
fn site_toml_sets_the_mastodon_limit_and_overrides_the_hashtag_mapping() {
    use radpress::config::Config;
    let base = "title = \"T\"\nbase_url = \"https://example.org\"\n";
    let c = Config::parse(base).expect("minimal config");
    assert_eq!(c.social.mastodon_limit, 500);
    assert_eq!(c.social.hashtag_map["MR"], "MRI");
    assert_eq!(c.social.hashtag_map["neuro"], "NeuroRad");
    let c = Config::parse(&format!(
        "{base}[social]\nmastodon_limit = 1000\n[social.hashtags]\nMR = \"#MagneticResonance\"\nneuro = \"\"\nUS = \"POCUS\"\n"
    ))
    .expect("config with overrides");
    assert_eq!(c.social.mastodon_limit, 1000);
    assert_eq!(c.social.hashtag_map["MR"], "MagneticResonance");
    assert!(!c.social.hashtag_map.contains_key("neuro"));
    assert_eq!(c.social.hashtag_map["US"], "POCUS");
    let err = Config::parse(&format!("{base}[social.hashtags]\nMR = \"not valid!\"\n"))
        .expect_err("invalid hashtag");
    assert!(
        err.message.contains("not a valid hashtag"),
        "{}",
        err.message
    );
    assert!(Config::parse(&format!("{base}[social]\nmastodon_limit = 10\n")).is_err());
    assert!(Config::parse(&format!("{base}[social]\nmastodn_limit = 600\n")).is_err());
}

#[test]
fn social_command_prints_posts_with_counts_and_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_radpress"))
            .arg("--root")
            .arg(root)
            .arg("social")
            .args(args)
            .output()
            .expect("radpress runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (code, text) = run(&["/cases/fdg-avid-lung-nodule/", "--network", "x"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("── X: "), "{text}");
    assert!(text.contains(" of 280 ──"), "{text}");
    assert!(!text.contains("Bluesky"));
    let (code, json) = run(&["content/cases/fdg-avid-lung-nodule", "--json", "--thread"]);
    assert_eq!(code, Some(0), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["networks"].as_array().unwrap().len(), 5);
    assert!(v["networks"][0]["posts"].as_array().unwrap().len() >= 2);
    let (code, _) = run(&["/no/such/page/"]);
    assert_eq!(code, Some(1));
}

// ---------------------------------------------------------------------------------------------
// Hashtag caps from site.toml.

/// The basic fixture with five default hashtags, so that every page has more candidates than
/// any cap below, and `caps` as its `[social.hashtag_caps]` table.
fn site_with_caps(caps: &str) -> common::TestSite {
    let site = common::TestSite::new("basic");
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    let toml = toml.replacen(
        "paginate_by = 2\n",
        "paginate_by = 2\ndefault_hashtags = [\"Radiology\", \"FOAMrad\", \"MedEd\", \"Imaging\", \"RadRes\", \"Scans\"]\n",
        1,
    );
    site.write(
        "site.toml",
        &format!("{toml}\n[social.hashtag_caps]\n{caps}"),
    );
    site
}

/// Per network, the most hashtags any page's post in `social_json` carries, checking on the
/// way that each post's `hashtags` are exactly the hashtags in its text.
fn most_hashtags(social_json: &str) -> std::collections::BTreeMap<&'static str, usize> {
    let json: serde_json::Value = serde_json::from_str(social_json).expect("valid JSON");
    let mut most = std::collections::BTreeMap::new();
    for entry in json.as_array().expect("array") {
        for network in Network::ALL {
            let s = &entry["networks"][network.name()];
            let listed: Vec<&str> = s["hashtags"]
                .as_array()
                .expect("hashtags")
                .iter()
                .map(|t| t.as_str().expect("tag"))
                .collect();
            let in_text = hashtags::extract(s["text"].as_str().expect("text"));
            assert_eq!(in_text, listed, "{} {network:?}", entry["url"]);
            let n = most.entry(network.name()).or_insert(0);
            *n = (*n).max(listed.len());
        }
    }
    most
}

#[test]
fn hashtag_caps_in_site_toml_limit_the_hashtags_of_every_post() {
    let site = site_with_caps("x = 1\nbluesky = 4\nmastodon = 0\nthreads = 2\nlinkedin = 5\n");
    site.build().expect("builds");
    let most = most_hashtags(&site.read("/social.json"));
    // Every page has at least five candidate tags, so each cap is reached and never passed.
    let want = [
        ("bluesky", 4),
        ("linkedin", 5),
        ("mastodon", 0),
        ("threads", 2),
        ("x", 1),
    ];
    assert_eq!(most.into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn changing_hashtag_caps_recomposes_kept_snippets() {
    // serve keeps snippets between builds; a new cap must not be hidden by that cache.
    let site = site_with_caps("x = 2\n");
    let engine = radpress::Engine::new();
    let first = engine
        .render(site.root(), radpress::Publish::default())
        .expect("renders");
    assert_eq!(most_hashtags(&file_text(&first, "/social.json"))["x"], 2);
    engine.keep(first.site);
    let toml = std::fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("x = 2\n", "x = 0\nlinkedin = 6\n"),
    );
    let second = engine
        .render(site.root(), radpress::Publish::default())
        .expect("renders");
    let most = most_hashtags(&file_text(&second, "/social.json"));
    assert_eq!((most["x"], most["linkedin"]), (0, 6));
}

#[test]
fn quiz_hashtags_never_name_the_diagnosis_differential_or_answer() {
    // Hashtags are CamelCase, so "acute appendicitis" is spoiled as #AcuteAppendicitis.
    let site = common::TestSite::new("basic");
    let file = "content/cases/quiz-one/index.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let (front, body) = text.rsplit_once("+++\n").unwrap();
    site.write(
        file,
        &format!(
            "{front}\n[social]\nhashtags = [\"GIRad\", \"AcuteAppendicitis\", \"mesenteric adenitis\"]\n+++\n{body}"
        ),
    );
    site.build().expect("builds");
    let json: serde_json::Value = serde_json::from_str(&site.read("/social.json")).unwrap();
    let entry = json
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["url"].as_str().unwrap().ends_with("/cases/quiz-one/"))
        .expect("the quiz case");
    for network in Network::ALL {
        let s = &entry["networks"][network.name()];
        let text = s["text"].as_str().unwrap().to_lowercase();
        assert!(text.contains("#girad"), "{network:?}: {text}");
        for spoiler in ["appendicitis", "adenitis"] {
            assert!(!text.contains(spoiler), "{network:?} spoils: {text}");
        }
    }
}

#[test]
fn thread_posts_stay_within_bluesky_bytes_with_their_numbers() {
    // 👩🏽‍⚕️ is one grapheme of 17 bytes: Bluesky's 3000-byte limit binds before its 300
    // graphemes, and the "\n\n1/n" added to each post must still fit.
    let site = common::TestSite::new("basic");
    let file = "content/cases/mri-knee.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let emoji = "👩🏽‍⚕️".repeat(400);
    site.write(
        file,
        &text.replace(
            "presentation = \"Locked knee after a twisting injury.\"",
            &format!("presentation = \"{}\"", emoji.trim()),
        ),
    );
    let rendered = radpress::render(site.root(), radpress::Publish::default()).expect("renders");
    let settings = radpress::social::compose::Settings::from_config(&rendered.site.config);
    let page = rendered
        .site
        .pages
        .iter()
        .find(|p| p.path == "/cases/mri-knee/")
        .expect("the case");
    for network in Network::ALL {
        let posts = radpress::social::thread(page, &settings, network);
        assert!(posts.len() >= 2, "{network:?}: {}", posts.len());
        for post in &posts {
            assert!(
                network.fits(&post.text, post.limit),
                "{network:?}: {} bytes, {} counted",
                post.text.len(),
                post.length
            );
        }
    }
}

/// `radpress build` writes pages and social.json to disk as it goes (they are never whole in
/// memory); what it writes is what a render in memory (serve) produces, byte for byte.
#[test]
fn the_built_site_is_the_site_rendered_in_memory() {
    let (_guard, out) = common::build_demo();
    let rendered = demo();
    let mut compared = 0;
    for file in &rendered.files {
        let radpress::outputs::Body::Bytes(bytes) = &file.body else {
            continue;
        };
        let on_disk = std::fs::read(out.join(file.path.trim_start_matches('/')))
            .unwrap_or_else(|e| panic!("{}: {e}", file.path));
        assert!(on_disk == bytes[..], "{} differs", file.path);
        compared += 1;
    }
    let pages = rendered.files.iter().filter(|f| f.path.ends_with(".html"));
    assert!(
        compared > pages.count(),
        "every page and social.json compared"
    );
    assert!(
        rendered.files.iter().any(|f| f.path == "/social.json"),
        "social.json is rendered"
    );
}
