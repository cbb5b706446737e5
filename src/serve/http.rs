//! The preview server's HTTP side: files of the current build (only those: a path is a key
//! of the build's file map, never a path on disk),
//! the site's 404 page, and a live-reload channel over server-sent events.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use super::{Shared, Signal};
use crate::bytes::Bytes;
use crate::output::Files;

/// The path of the live-reload event stream.
pub const LIVE_PATH: &str = "/__pamphlet/live";

/// How the error overlay looks, shared by the server's and the script's.
macro_rules! overlay_style {
    () => {
        "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;background:#1b1b1b;color:#fff;font:14px/1.45 monospace;padding:1rem 1.25rem;z-index:2147483647;white-space:pre-wrap;border-top:6px solid #d4351c"
    };
}

/// What the overlay says above the diagnostics.
macro_rules! overlay_lead {
    () => {
        "pamphlet: your last change did not build; the page shows the last good version."
    };
}

/// The script added to served HTML (never to `build` output): reload after a good
/// rebuild, show an overlay with the diagnostics after a bad one.
const LIVE_SCRIPT: &str = concat!(
    r#"<script>(function(){var s=new EventSource("/__pamphlet/live");function box(){var d=document.getElementById("pamphlet-error");if(!d){d=document.createElement("div");d.id="pamphlet-error";d.setAttribute("role","alert");d.style.cssText=""#,
    overlay_style!(),
    r#"";document.body.appendChild(d);}return d;}s.addEventListener("reload",function(){location.reload();});s.addEventListener("failed",function(e){box().textContent=""#,
    overlay_lead!(),
    r#"\n\n"+e.data;});})();</script>"#
);

/// Answers a request for a file of the current build.
pub async fn file(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    let error = shared.last_error();
    let Some(files) = shared.current() else {
        let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>The site did not build</title></head><body><main><h1>The site did not build</h1><p>Fix the error shown here and in the terminal; this page reloads when the site builds.</p></main></body></html>";
        let body = inject(page.as_bytes().to_vec(), error.as_deref());
        let mut response = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return response;
    };
    let raw = request.uri().path();
    let error = error.as_deref();
    let Some(segments) = safe_segments(raw) else {
        return not_found(&files, error).await;
    };
    let path = segments.join("/");
    if !path.is_empty() {
        if let Some(bytes) = files.get(&path) {
            return respond(&path, bytes, StatusCode::OK, error).await;
        }
    }
    let index = match path.is_empty() {
        true => "index.html".to_string(),
        false => format!("{path}/index.html"),
    };
    match files.get(&index) {
        Some(_) if !raw.ends_with('/') => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("{raw}/"))],
        )
            .into_response(),
        Some(bytes) => respond(&index, bytes, StatusCode::OK, error).await,
        None => nearest_not_found(&files, &segments, error).await,
    }
}

/// The 404 page nearest the missing path: `/cy/nothing/` answers with `cy/404.html` (the Welsh
/// one) when it exists, as static hosts that look up the folders for a `404.html` do.
async fn nearest_not_found(files: &Files, segments: &[String], error: Option<&str>) -> Response {
    for depth in (1..segments.len()).rev() {
        let candidate = format!("{}/404.html", segments[..depth].join("/"));
        if let Some(bytes) = files.get(&candidate) {
            return respond(&candidate, bytes, StatusCode::NOT_FOUND, error).await;
        }
    }
    not_found(files, error).await
}

/// The decoded path segments, or `None` for anything that could leave the output:
/// `..`, `.`, backslashes, NUL, or undecodable bytes.
pub fn safe_segments(raw: &str) -> Option<Vec<String>> {
    if raw.contains('\\') || raw.to_ascii_lowercase().contains("%5c") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut segments = Vec::new();
    for s in decoded.split('/').filter(|s| !s.is_empty()) {
        if s == ".." || s == "." || s.contains(':') {
            return None;
        }
        segments.push(s.to_string());
    }
    Some(segments)
}

async fn not_found(files: &Files, error: Option<&str>) -> Response {
    match files.get("404.html") {
        Some(bytes) => respond("404.html", bytes, StatusCode::NOT_FOUND, error).await,
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Answers with a file of the build; files copied from the sources are read now. HTML gets
/// the live-reload script, and the overlay with `error` while the last rebuild failed.
async fn respond(path: &str, bytes: &Bytes, status: StatusCode, error: Option<&str>) -> Response {
    let bytes = match bytes {
        Bytes::File(source) => match tokio::fs::read(source).await {
            Ok(b) => b,
            Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
        other => match other.read() {
            Ok(b) => b.into_owned(),
            Err(_) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
    };
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html { inject(bytes, error) } else { bytes };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Adds the live-reload script before `</body>` (or at the end), after the error overlay
/// when the last rebuild failed (so it shows even on a page opened or reloaded since).
pub fn inject(bytes: Vec<u8>, error: Option<&str>) -> Vec<u8> {
    let Ok(mut html) = String::from_utf8(bytes) else {
        return Vec::new();
    };
    let mut added = String::new();
    if let Some(error) = error {
        added = format!(
            "<div id=\"pamphlet-error\" role=\"alert\" style=\"{}\">{}\n\n{}</div>",
            overlay_style!(),
            overlay_lead!(),
            crate::markdown::escape(error)
        );
    }
    added.push_str(LIVE_SCRIPT);
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &added),
        None => html.push_str(&added),
    }
    html.into_bytes()
}

/// The live-reload stream: the current error at once if there is one, then every signal.
pub async fn live(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let first = shared
        .last_error()
        .map(|e| Ok(Event::default().event("failed").data(e)));
    // The stream ends when the server stops, so that open pages do not hold up Ctrl-C.
    let updates = BroadcastStream::new(shared.signals.subscribe())
        .take_while(|signal| !matches!(signal, Ok(Signal::Stop)))
        .filter_map(|signal| match signal {
            Ok(Signal::Reload) => Some(Ok(Event::default().event("reload").data("ok"))),
            Ok(Signal::Failed(text)) => Some(Ok(Event::default().event("failed").data(text))),
            Ok(Signal::Stop) | Err(_) => None,
        });
    Sse::new(tokio_stream::iter(first).chain(updates)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::path::{Path, PathBuf};

    fn resolve(dir: &Path, raw: &str) -> Option<PathBuf> {
        let mut path = dir.to_path_buf();
        safe_segments(raw)?.iter().for_each(|s| path.push(s));
        Some(path)
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..\\x",
            "/%5c..%5cx",
            "/a/./b",
            "/%00",
        ] {
            assert!(safe_segments(bad).is_none(), "{bad}");
        }
        assert_eq!(safe_segments("/blog/a%20b/").unwrap(), vec!["blog", "a b"]);
        assert_eq!(
            resolve(Path::new("/srv"), "//etc/passwd").unwrap(),
            PathBuf::from("/srv/etc/passwd")
        );
    }

    #[test]
    fn script_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>".to_vec(), None))
            .unwrap();
        assert!(out.contains("EventSource") && out.ends_with("</script></body></html>"));
    }
}
