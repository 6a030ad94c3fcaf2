//! Social snippets: for every page and network, a ready-to-paste post (hook, teaser, URL,
//! hashtags) counted the way that network counts and always within its limit, with share links.
//!
//! - `count`: each network's counting rules (X by twitter-text v3).
//! - `urls`: URLs in text, as twitter-text finds them (for counting).
//! - `hashtags`: twitter-text hashtag rules, CamelCase, the page/mapping/defaults sources.
//! - `compose`: the snippet of a page for a network, shortening, quiz safety, threads.
//! - `share`: share-intent links.

pub mod compose;
pub mod count;
pub mod hashtags;
pub mod share;
pub mod urls;

use serde::Serialize;

pub use compose::{Snippet, compose, thread};

/// A network radpress writes posts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    X,
    Bluesky,
    Mastodon,
    Threads,
    Linkedin,
}

/// Bluesky's second limit: UTF-8 bytes.
pub const BLUESKY_MAX_BYTES: usize = 3000;

impl Network {
    pub const ALL: [Network; 5] = [
        Network::X,
        Network::Bluesky,
        Network::Mastodon,
        Network::Threads,
        Network::Linkedin,
    ];

    /// The name used in social.json and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Bluesky => "bluesky",
            Network::Mastodon => "mastodon",
            Network::Threads => "threads",
            Network::Linkedin => "linkedin",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Network::X => "X",
            Network::Bluesky => "Bluesky",
            Network::Mastodon => "Mastodon",
            Network::Threads => "Threads",
            Network::Linkedin => "LinkedIn",
        }
    }

    pub fn from_name(name: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| {
            n.name().eq_ignore_ascii_case(name) || (name == "twitter" && *n == Network::X)
        })
    }

    /// The text limit (Mastodon's is the instance's, from site.toml).
    pub fn limit(self, mastodon_limit: usize) -> usize {
        match self {
            Network::X => 280,
            Network::Bluesky => 300,
            Network::Mastodon => mastodon_limit,
            Network::Threads => 500,
            Network::Linkedin => 3000,
        }
    }

    /// Length of `text` as this network counts it.
    pub fn count(self, text: &str) -> usize {
        match self {
            Network::X => count::x_length(text),
            Network::Bluesky => count::graphemes(text),
            Network::Mastodon => count::mastodon_length(text),
            Network::Threads => count::threads_length(text),
            Network::Linkedin => count::linkedin_length(text),
        }
    }

    /// Whether `text` is within this network's limits (Bluesky: graphemes and bytes).
    pub fn fits(self, text: &str, limit: usize) -> bool {
        self.length_within(text, limit).is_some()
    }

    /// The length of `text` as this network counts it (`count`), when it is within this
    /// network's limits (`fits`): one count where composing needs both.
    pub fn length_within(self, text: &str, limit: usize) -> Option<usize> {
        if self == Network::X {
            // Within the limit, and no character X refuses.
            let parsed = count::parse_tweet(text, &count::X_V3);
            let fits =
                parsed.weighted_length <= limit && (parsed.valid || parsed.weighted_length == 0);
            return fits.then_some(parsed.weighted_length);
        }
        let length = self.count(text);
        let fits = length <= limit && (self != Network::Bluesky || text.len() <= BLUESKY_MAX_BYTES);
        fits.then_some(length)
    }
}

/// How many hashtags a post carries at most on each network: `[social.hashtag_caps]` of
/// site.toml over the defaults (2 on X, 1 on Threads, 3 elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HashtagCaps {
    pub x: usize,
    pub bluesky: usize,
    pub mastodon: usize,
    pub threads: usize,
    pub linkedin: usize,
}

impl Default for HashtagCaps {
    fn default() -> HashtagCaps {
        HashtagCaps {
            x: 2,
            bluesky: 3,
            mastodon: 3,
            threads: 1,
            linkedin: 3,
        }
    }
}

impl HashtagCaps {
    /// The highest cap site.toml may set: more tags than this is a wall of hashtags, not a post.
    pub const MAX: usize = 10;

    /// The cap of `network`.
    pub fn of(&self, network: Network) -> usize {
        match network {
            Network::X => self.x,
            Network::Bluesky => self.bluesky,
            Network::Mastodon => self.mastodon,
            Network::Threads => self.threads,
            Network::Linkedin => self.linkedin,
        }
    }
}

/// A share link of a page, for the Share block of its template.
#[derive(Debug, Clone, Serialize)]
pub struct ShareLink {
    /// `x`, `bluesky`, …
    pub network: &'static str,
    /// `X`, `Bluesky`, …
    pub label: &'static str,
    pub url: String,
}

/// Every snippet of a page, one per network, in `Network::ALL` order.
pub fn snippets(page: &crate::content::Page, settings: &compose::Settings) -> Vec<Snippet> {
    let (hook, teaser) = compose::hook_and_teaser(page);
    // Where the teaser may be cut is the same on every network: found once.
    let teaser = compose::Cuts::new(&teaser);
    let tags = compose::page_hashtags(page, settings);
    Network::ALL
        .into_iter()
        .map(|n| compose::compose_parts(page, settings, n, &hook, &teaser, &tags))
        .collect()
}

/// The share links of a page from its snippets (networks without a link, such as Mastodon on a
/// site with no instance configured, are left out).
pub fn share_links(snippets: &[Snippet]) -> Vec<ShareLink> {
    snippets
        .iter()
        .filter_map(|s| {
            Some(ShareLink {
                network: s.network.name(),
                label: s.network.label(),
                url: s.share_url.clone()?,
            })
        })
        .collect()
}

/// The snippets of every page of a build, composed once for the page's share links and
/// social.json alike, and kept between builds of one process while a page, its URL and the
/// social settings are unchanged.
#[derive(Default)]
pub struct SnippetCache {
    pages: crate::kept::PerPage<std::sync::Arc<PageSnippets>>,
}

/// The snippets of one page, one per network in `Network::ALL` order.
#[derive(Debug)]
pub struct PageSnippets {
    pub list: Vec<Snippet>,
    /// The page's entry in social.json, written once while the snippets are kept.
    pub json: std::sync::OnceLock<String>,
}

impl SnippetCache {
    /// Per page of `site`, in order, its snippets.
    pub fn all(&self, site: &crate::site::Site) -> Vec<std::sync::Arc<PageSnippets>> {
        let settings = compose::Settings::from_config(&site.config);
        let shared = xxhash_rust::xxh3::xxh3_64(format!("{settings:?}").as_bytes());
        self.pages.all(
            &site.pages,
            |page| {
                let mut h = xxhash_rust::xxh3::Xxh3::with_seed(shared);
                h.update(&page.version.to_le_bytes());
                h.update(page.permalink.as_bytes());
                h.digest()
            },
            |page| {
                std::sync::Arc::new(PageSnippets {
                    list: snippets(page, &settings),
                    json: std::sync::OnceLock::new(),
                })
            },
        )
    }
}
