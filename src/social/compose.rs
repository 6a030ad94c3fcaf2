//! The snippet of a page for a network: hook, teaser, URL and hashtags, within the limit.
//!
//! Layout: `hook`, a blank line, `teaser`, a blank line, the URL, a blank line, the hashtags.
//! When it is too long, the teaser is cut at a word boundary (never inside a URL or a hashtag)
//! and ends with "…"; when even one word of the teaser does not fit, hashtags are dropped from
//! the end, then the teaser. The hook and the URL are never cut, except a hook that alone is
//! over the limit, which is cut like a teaser as a last resort.
//!
//! Quiz cases: the hook is "Case of the day:" and the spoiler-free title, the teaser is the
//! summary or presentation (checked spoiler-free at load), and any text or hashtag that still
//! contains the diagnosis, the answer title, a differential item, a correct quiz answer or a
//! teaching point (compared on letters and digits only, so `#AcuteAppendicitis` spoils "acute
//! appendicitis") is left out.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::{HashtagCaps, Network, hashtags, share, urls};
use crate::config::Config;
use crate::content::Page;

/// What composing needs from site.toml.
#[derive(Debug, Clone)]
pub struct Settings {
    pub default_hashtags: Vec<String>,
    /// Vocabulary code → hashtag (an empty hashtag switches a code off).
    pub mapping: BTreeMap<String, String>,
    pub mastodon_limit: usize,
    pub mastodon_instance: Option<String>,
    /// Hashtags per post, per network. Part of `SnippetCache`'s key (it hashes this struct's
    /// `Debug` form), so a changed cap recomposes every snippet.
    pub hashtag_caps: HashtagCaps,
}

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            default_hashtags: config.default_hashtags.clone(),
            mapping: config.social.hashtag_map.clone(),
            mastodon_limit: config.social.mastodon_limit,
            mastodon_instance: config.social.mastodon_instance.clone(),
            hashtag_caps: config.social.hashtag_caps,
        }
    }
}

/// One ready-to-paste post.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    #[serde(skip)]
    pub network: Network,
    pub text: String,
    /// As the network counts it.
    pub length: usize,
    pub limit: usize,
    /// Without `#`, in the order they appear.
    pub hashtags: Vec<String>,
    pub share_url: Option<String>,
}

/// Text a quiz case's posts must never contain, in `letters_only` form.
pub fn spoilers(page: &Page) -> Vec<String> {
    let Some(case) = page.case.as_deref().filter(|c| c.is_quiz) else {
        return Vec::new();
    };
    let mut out = vec![case.diagnosis.clone()];
    out.extend(case.answer_title.iter().cloned());
    out.extend(case.differential.iter().cloned());
    out.extend(case.teaching_points.iter().cloned());
    for q in &case.quiz {
        out.extend(
            q.options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.text.clone()),
        );
    }
    out.iter()
        .map(|s| letters_only(s))
        .filter(|s| s.chars().count() >= 3)
        .collect()
}

/// Lower-cased letters and digits only, so that "Acute appendicitis" is found in
/// `#AcuteAppendicitis` and in "acute-appendicitis" alike.
fn letters_only(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn spoils(text: &str, spoilers: &[String]) -> bool {
    // Most pages are no quiz and have nothing to hide.
    if spoilers.is_empty() {
        return false;
    }
    let text = letters_only(text);
    spoilers.iter().any(|s| text.contains(s.as_str()))
}

/// The hashtags of `page` (`hashtags::for_page`), less any that would spoil a quiz case.
pub fn page_hashtags(page: &Page, settings: &Settings) -> Vec<String> {
    let spoilers = spoilers(page);
    let mut tags = hashtags::for_page(page, &settings.default_hashtags, &settings.mapping);
    tags.retain(|t| !spoils(t, &spoilers));
    tags
}

/// The hook and teaser of a page (before any shortening).
pub fn hook_and_teaser(page: &Page) -> (String, String) {
    let spoilers = spoilers(page);
    let safe = |s: &str| !s.trim().is_empty() && !spoils(s, &spoilers);
    if let Some(text) = page.social.text.as_deref().filter(|t| safe(t)) {
        return (String::new(), squash(text));
    }
    let case = page.case.as_deref();
    let is_quiz = case.is_some_and(|c| c.is_quiz);
    let hook = if is_quiz {
        // "Unknown case: wrist pain" → "Case of the day: wrist pain".
        let title = page.title.trim();
        let bare = match title.get(..13) {
            Some(head) if head.eq_ignore_ascii_case("unknown case:") => title[13..].trim(),
            _ => title,
        };
        format!("Case of the day: {bare}")
    } else {
        page.title.clone()
    };
    let hook = if spoils(&hook, &spoilers) {
        "Case of the day".to_string()
    } else {
        hook
    };
    let teaser = match case {
        Some(c) => {
            // The summary (or, for quiz cases, never the body's first paragraph), else the
            // presentation.
            let summary = if is_quiz {
                page.summary.clone()
            } else {
                Some(page.description.clone())
            };
            summary
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| c.presentation.clone())
        }
        None => page.description.clone(),
    };
    let teaser = squash(&teaser);
    let teaser = if safe(&teaser) && teaser != hook {
        teaser
    } else {
        String::new()
    };
    (hook, teaser)
}

/// Collapse runs of whitespace into single spaces (a snippet's paragraphs are its own).
fn squash(s: &str) -> String {
    let mut squashed = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !squashed.is_empty() {
            squashed.push(' ');
        }
        squashed.push_str(word);
    }
    squashed
}

/// Put a post together from its parts (empty parts are left out).
pub fn assemble(hook: &str, teaser: &str, url: &str, tags: &[String]) -> String {
    // Made once per length tried while shortening: one allocation, no pieces joined.
    let tags_len: usize = tags.iter().map(|t| t.len() + 2).sum();
    let mut post = String::with_capacity(hook.len() + teaser.len() + url.len() + tags_len + 6);
    for part in [hook, teaser, url] {
        if !part.is_empty() {
            if !post.is_empty() {
                post.push_str("\n\n");
            }
            post.push_str(part);
        }
    }
    // The hashtags, on one line: "#One #Two".
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            post.push(' ');
        } else if !post.is_empty() {
            post.push_str("\n\n");
        }
        post.push('#');
        post.push_str(tag);
    }
    post
}

/// Byte offsets where `text` may be cut: word boundaries, not inside a URL, not between `#` and
/// its tag. Ascending, without 0 and the full length.
fn cut_points(text: &str) -> Vec<usize> {
    let spans = urls::extract_urls(text, true);
    text.split_word_bound_indices()
        .map(|(i, _)| i)
        .filter(|&i| i > 0 && i < text.len())
        .filter(|&i| !spans.iter().any(|s| s.start < i && i < s.end))
        .filter(|&i| !text[..i].ends_with(['#', '＃', '@']))
        .collect()
}

/// The end of what is kept of `text` cut at `at`: trailing spaces and punctuation removed. None
/// when nothing is left.
fn head_end(text: &str, at: usize) -> Option<usize> {
    let head = text[..at].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '(' | '[' | '/' | '#')
    });
    (!head.is_empty()).then_some(head.len())
}

/// A text and the ways it may be shortened, shortest first: one per cut point (`cut_points`)
/// that leaves a word, so two points around one space are two equal cuts. Finding them takes a
/// URL scan and word segmentation, so a teaser's are found at most once per page and shared by
/// every network and number of hashtags; each cut's text is only made when it is tried.
#[derive(Debug, Clone)]
pub struct Cuts<'a> {
    pub text: &'a str,
    /// Per cut, the end of the text it keeps (before its "…"); found when first needed, as a
    /// teaser that fits everywhere never is cut.
    heads: OnceCell<Vec<usize>>,
}

impl<'a> Cuts<'a> {
    pub fn new(text: &'a str) -> Cuts<'a> {
        Cuts {
            text,
            heads: OnceCell::new(),
        }
    }

    fn heads(&self) -> &[usize] {
        self.heads.get_or_init(|| {
            cut_points(self.text)
                .into_iter()
                .filter_map(|p| head_end(self.text, p))
                .collect()
        })
    }

    /// The `i`-th cut: the text up to it, with an ellipsis.
    fn cut(&self, i: usize) -> String {
        format!("{}…", &self.text[..self.heads()[i]])
    }
}

/// The longest cut of `cuts` (at least one word) that `fit` accepts, with what `fit` made of it.
///
/// `fit` must accept no cut where it refuses `""`, which holds when it puts the cut in a
/// paragraph of its own: a post never counts less on any network for one more paragraph, as no
/// URL, grapheme cluster or NFC composition reaches across a line break (tests/social.rs checks
/// this).
fn longest_cut<T>(cuts: &Cuts, fit: impl Fn(&str) -> Option<T>) -> Option<T> {
    // Longer cuts count longer (almost always): binary search, only making the cuts it tries.
    let (mut lo, mut hi) = (0usize, cuts.heads().len());
    let mut last_fit = None;
    let mut too_long = Vec::new();
    while lo < hi {
        let mid = (lo + hi) / 2;
        match fit(&cuts.cut(mid)) {
            Some(fitted) => {
                lo = mid + 1;
                last_fit = Some(fitted);
            }
            None => {
                hi = mid;
                too_long.push(mid);
            }
        }
    }
    // The search ends just past the last cut that fitted, the longest it found.
    if last_fit.is_some() {
        return last_fit;
    }
    // Not even the shortest cut fits. A longer one still may, as counting is not quite
    // monotonic (a URL counts 23 however long, and whether a word is a URL can depend on what
    // follows it): unless the post is too long even without the cut, try every cut, the longest
    // first.
    fit("")?;
    (0..cuts.heads().len())
        .rev()
        .filter(|i| !too_long.contains(i))
        .find_map(|i| fit(&cuts.cut(i)))
}

/// A post put together by `fit_cuts`, with its length when it was measured.
struct Fitted {
    text: String,
    hashtags: Vec<String>,
    /// As the network counts it; None for the bare URL, which was not measured.
    length: Option<usize>,
}

/// The post for these parts on `network`, within `limit` and with at most `max_tags` of `tags`,
/// with the hashtags it kept.
pub fn fit(
    network: Network,
    limit: usize,
    max_tags: usize,
    hook: &str,
    teaser: &str,
    url: &str,
    tags: &[String],
) -> (String, Vec<String>) {
    let teaser = Cuts::new(teaser);
    let fitted = fit_cuts(network, limit, max_tags, hook, &teaser, url, tags);
    (fitted.text, fitted.hashtags)
}

/// `fit` for a teaser whose cuts are shared by every network of a page, keeping the length of
/// the post that fitted.
fn fit_cuts(
    network: Network,
    limit: usize,
    max_tags: usize,
    hook: &str,
    teaser: &Cuts,
    url: &str,
    tags: &[String],
) -> Fitted {
    // A post tried: its length and itself, when it fits.
    let measured = |post: String| Some((network.length_within(&post, limit)?, post));
    let fitted = |(length, text): (usize, String), tags: &[String]| Fitted {
        text,
        hashtags: tags.to_vec(),
        length: Some(length),
    };
    let tags = &tags[..tags.len().min(max_tags)];
    // 1. The whole teaser, else the teaser shortened, with as many hashtags as possible.
    for n in (0..=tags.len()).rev() {
        let tags = &tags[..n];
        let found = measured(assemble(hook, teaser.text, url, tags))
            .or_else(|| longest_cut(teaser, |t| measured(assemble(hook, t, url, tags))));
        if let Some(found) = found {
            return fitted(found, tags);
        }
    }
    // 2. No teaser.
    for n in (0..=tags.len()).rev() {
        if let Some(found) = measured(assemble(hook, "", url, &tags[..n])) {
            return fitted(found, &tags[..n]);
        }
    }
    // 3. A hook that alone is too long.
    if let Some(found) = longest_cut(&Cuts::new(hook), |h| measured(assemble(h, "", url, &[]))) {
        return fitted(found, &[]);
    }
    Fitted {
        text: url.to_string(),
        hashtags: Vec::new(),
        length: None,
    }
}

/// The snippet of `page` for `network`.
pub fn compose(page: &Page, settings: &Settings, network: Network) -> Snippet {
    let (hook, teaser) = hook_and_teaser(page);
    let tags = page_hashtags(page, settings);
    compose_parts(page, settings, network, &hook, &Cuts::new(&teaser), &tags)
}

/// `compose` with the hook, teaser (and its cuts) and hashtags already worked out (they are the
/// same for every network).
pub fn compose_parts(
    page: &Page,
    settings: &Settings,
    network: Network,
    hook: &str,
    teaser: &Cuts,
    tags: &[String],
) -> Snippet {
    let limit = network.limit(settings.mastodon_limit);
    let url = &page.permalink;
    let max_tags = settings.hashtag_caps.of(network);
    let fitted = fit_cuts(network, limit, max_tags, hook, teaser, url, tags);
    let text = fitted.text;
    let without_url = text.replacen(&format!("\n\n{url}"), "", 1);
    let share_url = share::share_url(
        network,
        &text,
        &without_url,
        url,
        settings.mastodon_instance.as_deref(),
    );
    Snippet {
        network,
        length: fitted.length.unwrap_or_else(|| network.count(&text)),
        limit,
        text,
        hashtags: fitted.hashtags,
        share_url,
    }
}

/// Split text into sentences (at ". ", "! ", "? " and line breaks).
fn sentences(text: &str) -> Vec<String> {
    text.split_sentence_bounds()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A numbered thread for a case: the hook and presentation, each study's findings, the
/// teaching points (not for quiz cases), and the URL with hashtags last. Each post ends with
/// "i/n" and is within the limit.
pub fn thread(page: &Page, settings: &Settings, network: Network) -> Vec<Snippet> {
    let limit = network.limit(settings.mastodon_limit);
    // Each post gets "\n\ni/n"; measure with "\n\n99/99" appended rather than with the limit
    // less 7, so that a second limit (Bluesky's bytes) counts the number too.
    let fits = |t: &str| network.fits(&format!("{t}\n\n99/99"), limit);
    let inner = limit.saturating_sub(7).max(1);
    let (hook, teaser) = hook_and_teaser(page);
    let spoilers = spoilers(page);
    let mut pieces: Vec<String> = Vec::new();
    if !hook.is_empty() {
        pieces.push(hook.clone());
    }
    let mut body = Vec::new();
    if let Some(case) = page.case.as_deref() {
        if !case.presentation.trim().is_empty() {
            body.push(squash(&case.presentation));
        } else if !teaser.is_empty() {
            body.push(teaser.clone());
        }
        for study in &case.studies {
            let text = squash(&study.findings_text);
            if !text.is_empty() {
                body.push(format!("{}: {}", study.label, text));
            }
        }
        if !case.is_quiz {
            for tp in &case.teaching_points {
                body.push(squash(tp));
            }
        }
    } else if !teaser.is_empty() {
        body.push(teaser.clone());
    }
    body.retain(|b| !spoils(b, &spoilers));
    // Pack sentences into posts.
    let mut posts: Vec<String> = Vec::new();
    let mut current = pieces.pop().unwrap_or_default();
    for paragraph in body {
        let mut para_sentences = sentences(&paragraph);
        let mut first = true;
        while let Some(s) = (!para_sentences.is_empty()).then(|| para_sentences.remove(0)) {
            let sep = if first { "\n\n" } else { " " };
            first = false;
            let joined = if current.is_empty() {
                s.clone()
            } else {
                format!("{current}{sep}{s}")
            };
            if fits(&joined) {
                current = joined;
                continue;
            }
            if !current.is_empty() {
                posts.push(std::mem::take(&mut current));
            }
            if fits(&s) {
                current = s;
            } else {
                // A sentence longer than a post: cut it and carry the rest on.
                let (cut, kept) =
                    match longest_cut(&Cuts::new(&s), |t| fits(t).then(|| t.to_string())) {
                        Some(cut) => {
                            let kept = cut.trim_end_matches('…').len();
                            (cut, kept)
                        }
                        None => hard_cut(&s, &fits),
                    };
                posts.push(cut);
                let rest = s[kept..].trim().to_string();
                if !rest.is_empty() {
                    para_sentences.insert(0, format!("…{rest}"));
                }
            }
        }
    }
    if !current.is_empty() {
        posts.push(current);
    }
    let tags = page_hashtags(page, settings);
    let max_tags = settings.hashtag_caps.of(network);
    let (last, kept) = fit(network, inner, max_tags, "", "", &page.permalink, &tags);
    posts.push(last);
    let n = posts.len();
    posts
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let text = format!("{text}\n\n{}/{n}", i + 1);
            let share_url = share::share_url(
                network,
                &text,
                &text,
                &page.permalink,
                settings.mastodon_instance.as_deref(),
            );
            Snippet {
                network,
                length: network.count(&text),
                limit,
                hashtags: if i + 1 == n { kept.clone() } else { Vec::new() },
                text,
                share_url,
            }
        })
        .collect()
}

/// The longest prefix of `s` (at least one character) that fits with an ellipsis, and its
/// length in bytes.
fn hard_cut(s: &str, fits: &impl Fn(&str) -> bool) -> (String, usize) {
    let mut best = s.chars().next().map_or(0, char::len_utf8);
    for (i, c) in s.char_indices().skip(1) {
        if fits(&format!("{}…", &s[..i])) {
            best = i;
        } else {
            break;
        }
        let _ = c;
    }
    (format!("{}…", &s[..best]), best)
}
