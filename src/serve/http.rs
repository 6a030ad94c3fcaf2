//! Answering requests from the in-memory site: files by path, 404.html for the rest, the reload
//! script injected into HTML, and the server-sent event stream. Only files of the build are ever
//! served; a request naming `..`, an encoded separator or anything outside the build gets 404.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body as HttpBody;
use axum::extract::State as AxumState;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::state::{State, Update};
use crate::outputs::Body;
use crate::theme::Source;

const LIVE_JS: &str = include_str!("live.js");
const SCRIPT_TAG: &str = "<script src=\"/__radpress/live.js\" defer></script>";

/// The preview's routes. Every request must name an allowed host (see `host_allowed`).
pub fn router(state: Arc<State>, allowed_hosts: Arc<Vec<String>>) -> Router {
    Router::new()
        .route("/__radpress/live.js", get(live_js))
        .route("/__radpress/events", get(events))
        .fallback(get(file))
        .with_state(state)
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let allowed = allowed_hosts.clone();
                async move {
                    let host = request
                        .headers()
                        .get(header::HOST)
                        .map(|h| h.to_str().unwrap_or("\u{0}"));
                    match host {
                        Some(host) if !host_allowed(host, &allowed) => (
                            StatusCode::FORBIDDEN,
                            format!(
                                "radpress serve answers only localhost and IP addresses, not the host {host:?}; \
                                 to preview under that name, start it with --allow-host NAME"
                            ),
                        )
                            .into_response(),
                        _ => next.run(request).await,
                    }
                }
            },
        ))
}

/// Whether a request's `Host` header may be answered: an IP address (v4, or v6 in brackets),
/// `localhost` or a name under `.localhost`, or a name given with `--allow-host`, each with any
/// port. Anything else is refused: a page on another site whose name an attacker points at
/// 127.0.0.1 (DNS rebinding) would otherwise read the preview, drafts included. An IP address
/// cannot be rebound, so listening on the network (`--bind`) still works by address.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((v6, port)) if port.is_empty() || port.starts_with(':') => {
                return v6.parse::<std::net::Ipv6Addr>().is_ok();
            }
            _ => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
        || allowed
            .iter()
            .any(|a| a.trim_end_matches('.').eq_ignore_ascii_case(&name))
}

async fn live_js(AxumState(state): AxumState<Arc<State>>) -> Response {
    state.requested();
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_JS,
    )
        .into_response()
}

async fn events(
    AxumState(state): AxumState<Arc<State>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // A browser that connects while the build is broken sees the error at once.
    let first = match state.error() {
        Some(message) => to_event(&Update::Error(message)),
        None => Event::default().event("ok").data("{}"),
    };
    let updates = BroadcastStream::new(state.updates.subscribe())
        .filter_map(|u| u.ok())
        .map(|u| Ok(to_event(&u)));
    let stream = tokio_stream::once(Ok(first)).chain(updates);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_event(update: &Update) -> Event {
    match update {
        Update::Reload => Event::default().event("reload").data("{}"),
        Update::Css(paths) => Event::default()
            .event("css")
            .data(serde_json::to_string(paths).unwrap_or_else(|_| "[]".into())),
        Update::Ok => Event::default().event("ok").data("{}"),
        Update::Error(message) => Event::default()
            .event("build-error")
            .data(serde_json::to_string(message).unwrap_or_else(|_| "\"\"".into())),
    }
}

async fn file(AxumState(state): AxumState<Arc<State>>, uri: Uri) -> Response {
    state.requested();
    if state.is_empty() {
        // Nothing has built yet: a page that shows the error and reloads once it is fixed.
        let message = state.error().unwrap_or_else(|| "Building…".into());
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>radpress: build error</title></head>\
             <body><h1>The site does not build yet</h1><pre>{}</pre></body></html>",
            crate::outputs::feeds::escape_xml(&message)
        );
        let mut response = Response::new(HttpBody::from(inject(html.into_bytes())));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return response;
    }
    let Some(mut path) = site_path(uri.path()) else {
        return not_found(&state);
    };
    let base = state.base_path();
    if !base.is_empty()
        && let Some(rest) = path.strip_prefix(&base)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        path = if rest.is_empty() {
            "/".into()
        } else {
            rest.to_string()
        };
    }
    let candidates = if path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.clone(), format!("{path}/index.html")]
    };
    for candidate in candidates {
        if let Some(body) = state.get(&candidate) {
            return respond(StatusCode::OK, &candidate, &body);
        }
    }
    not_found(&state)
}

fn not_found(state: &State) -> Response {
    match state.get("/404.html") {
        Some(body) => respond(StatusCode::NOT_FOUND, "/404.html", &body),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// The decoded site path of a request, or None for anything that tries to leave the build.
pub fn site_path(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            // An encoded separator or dot is only ever used to sneak past path checks.
            if matches!(value, b'/' | b'\\' | b'.' | 0) {
                return None;
            }
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    if !path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path.contains("//")
        || path.split('/').any(|seg| seg == ".." || seg == ".")
    {
        return None;
    }
    Some(path)
}

fn respond(status: StatusCode, path: &str, body: &Body) -> Response {
    let bytes: Vec<u8> = match body {
        Body::Bytes(b) => b.to_vec(),
        Body::Copy(Source::BuiltIn(b)) => b.to_vec(),
        // A source swapped for a link (or a FIFO) since the build is not served.
        Body::Copy(Source::Disk(p)) => match crate::input::read(p, crate::input::FILE_LIMIT) {
            Ok(b) => b,
            Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
        Body::Cached(p) => match std::fs::read(p) {
            Ok(b) => b,
            Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
        // serve's engine never stages pages (only `radpress build` does).
        Body::Staged(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    let content_type = content_type(path);
    let bytes = if content_type.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes
    };
    let mut response = Response::new(HttpBody::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Add the live-reload script to an HTML page, before `</body>` (or at the end).
fn inject(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => {
            let mut out = String::with_capacity(text.len() + SCRIPT_TAG.len());
            out.push_str(&text[..at]);
            out.push_str(SCRIPT_TAG);
            out.push_str(&text[at..]);
            out.into_bytes()
        }
        None => {
            let mut out = text.into_owned();
            out.push_str(SCRIPT_TAG);
            out.into_bytes()
        }
    }
}

fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_encoded_tricks_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/cases/../../x",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "//etc/passwd",
            "/a/%00",
            "/%zz",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        assert_eq!(site_path("/cases/a%20b/").as_deref(), Some("/cases/a b/"));
        assert_eq!(site_path("/").as_deref(), Some("/"));
    }

    #[test]
    fn only_loopback_names_addresses_and_allowed_hosts_are_answered() {
        let allowed = vec!["preview.example.org".to_string()];
        for good in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "site.localhost:1111",
            "127.0.0.1:1111",
            "192.168.1.20:1111",
            "[::1]:1111",
            "[::1]",
            "preview.example.org:1111",
            "Preview.Example.org.",
        ] {
            assert!(host_allowed(good, &allowed), "{good}");
        }
        for bad in [
            "attacker.example.com",
            "attacker.example.com:1111",
            "localhost.attacker.com",
            "127.0.0.1.nip.io:1111",
            "[::1]x",
            "[evil]:1111",
            "",
            "example.org",
        ] {
            assert!(!host_allowed(bad, &allowed), "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_end_of_body() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec())).unwrap();
        assert!(out.ends_with(&format!("<p>x</p>{SCRIPT_TAG}</body></html>")));
    }
}
