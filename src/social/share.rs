//! Share-intent links: plain links that open each network's composer, no JavaScript needed.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Network;

/// Everything but the unreserved characters of RFC 3986 is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encode a query parameter value (UTF-8; spaces as %20, newlines as %0A).
pub fn encode(value: &str) -> String {
    // Sized for every byte encoded (a post is short), so that it never grows piece by piece.
    let mut encoded = String::with_capacity(value.len() * 3);
    encoded.extend(utf8_percent_encode(value, COMPONENT));
    encoded
}

/// The share link of a snippet. `text` is the whole post (URL included); `text_without_url` is
/// the post without its URL paragraph, for networks that take the URL separately (X; pass `text`
/// again for a post whose URL, if any, stays in the text). Mastodon
/// needs the site's instance (none without one).
pub fn share_url(
    network: Network,
    text: &str,
    text_without_url: &str,
    url: &str,
    mastodon_instance: Option<&str>,
) -> Option<String> {
    Some(match network {
        // The same text twice means "no separate URL" (a thread's posts).
        Network::X if text_without_url == text => {
            format!("https://twitter.com/intent/tweet?text={}", encode(text))
        }
        Network::X => format!(
            "https://twitter.com/intent/tweet?text={}&url={}",
            encode(text_without_url),
            encode(url)
        ),
        Network::Bluesky => format!("https://bsky.app/intent/compose?text={}", encode(text)),
        Network::Mastodon => {
            let instance = mastodon_instance?;
            format!("https://{instance}/share?text={}", encode(text))
        }
        Network::Threads => format!("https://www.threads.com/intent/post?text={}", encode(text)),
        Network::Linkedin => format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encode(url)
        ),
    })
}
