//! The markup for links and images: `rel="noopener"` on links leaving the site, lazy images,
//! and figures for images that stand alone.

use super::escape;

/// `<a href="…">`, marked `rel="noopener"` when it leaves the site.
pub(super) fn link_start(url: &str, title: &str, base_url: &str) -> String {
    let mut a = String::with_capacity(url.len() + title.len() + 32);
    a.push_str("<a href=\"");
    escape::push_href(&mut a, url);
    a.push('"');
    if !title.is_empty() {
        a.push_str(" title=\"");
        escape::push_html(&mut a, title);
        a.push('"');
    }
    if is_external(url, base_url) {
        a.push_str(" rel=\"noopener\"");
    }
    a.push('>');
    a
}

/// `base_url` must match whole, so "https://a.org.evil" is not "https://a.org".
pub(super) fn is_external(url: &str, base_url: &str) -> bool {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return false;
    }
    let base_url = base_url.trim_end_matches('/');
    if base_url.is_empty() {
        return true;
    }
    match url.strip_prefix(base_url) {
        Some(rest) => !(rest.is_empty() || rest.starts_with(['/', '?', '#'])),
        None => true,
    }
}

/// An inline `<img>`, or, for an image standing alone, a `<figure>` whose caption is the title.
pub(super) fn image(src: &str, alt: &str, title: &str, figure: bool) -> String {
    let mut html = String::with_capacity(src.len() + alt.len() + title.len() + 96);
    if figure {
        html.push_str("<figure>");
    }
    html.push_str("<img src=\"");
    escape::push_href(&mut html, src);
    html.push_str("\" alt=\"");
    escape::push_html(&mut html, alt);
    html.push('"');
    if !figure && !title.is_empty() {
        html.push_str(" title=\"");
        escape::push_html(&mut html, title);
        html.push('"');
    }
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
    if figure {
        if !title.is_empty() {
            html.push_str("<figcaption>");
            escape::push_html(&mut html, title);
            html.push_str("</figcaption>");
        }
        html.push_str("</figure>\n");
    }
    html
}
