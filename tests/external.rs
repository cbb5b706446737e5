//! `pamphlet check --external` against a server on 127.0.0.1 started by the test, which
//! answers 200, 301 then 200, 404, 500, 405 to HEAD and 200 to GET, and never at all; the
//! requests it gets are counted, so that a rerun within `--max-age` is seen to ask nothing.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{pamphlet, stderr, stdout, Site, NOW};

const POST: &str = "content/blog/2017-08-06-x.md";

/// A server that answers by path, and remembers each request as `METHOD /path`.
struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || answer(stream, &seen));
            }
        });
        Server { port, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        let mut all = self.requests.lock().unwrap().clone();
        all.sort();
        all
    }
}

fn answer(stream: TcpStream, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    seen.lock().unwrap().push(format!("{method} {path}"));
    let status = match (method, path) {
        (_, "/ok") => "200 OK",
        (_, "/moved") => "301 Moved Permanently\r\nLocation: /ok",
        (_, "/missing") => "404 Not Found",
        (_, "/error") => "500 Internal Server Error",
        ("HEAD", "/no-head") => "405 Method Not Allowed",
        ("GET", "/no-head") => "200 OK",
        (_, "/silent") => {
            std::thread::sleep(Duration::from_secs(20));
            return;
        }
        _ => "404 Not Found",
    };
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `pamphlet check --external` and `extra` on the site, with a short timeout.
fn check(site: &Site, extra: &[&str]) -> std::process::Output {
    pamphlet()
        .args(["check", "--external", "--root"])
        .arg(&site.root)
        .args(["--now", NOW])
        .args(extra)
        .env("PAMPHLET_EXTERNAL_TIMEOUT_MS", "700")
        .output()
        .unwrap()
}

/// The minimal site with a post linking to every kind of answer, one link a line (lines 5 to
/// 11), and a video whose `src` is a page that is not there.
fn site_linking_to(server: &Server) -> Site {
    let site = Site::copy("minimal");
    let refused = format!("http://127.0.0.1:{}/", closed_port());
    let lines = [
        format!("- [ok]({})", server.url("/ok")),
        format!("- [moved]({})", server.url("/moved")),
        format!("- [missing]({})", server.url("/missing")),
        format!("- [error]({})", server.url("/error")),
        format!("- [no head]({})", server.url("/no-head")),
        format!("- [silent]({})", server.url("/silent")),
        format!("- [refused]({refused})"),
    ];
    site.write(
        POST,
        format!("---\ntitle: A first post\n---\n\n{}\n", lines.join("\n")),
    );
    site.write(
        "content/videos/_index.md",
        "---\ntitle: Videos\nkind: video\n---\n",
    );
    site.write(
        "content/videos/talk.md",
        format!(
            "---\ntitle: A talk\ndate: 2017-05-01\nprovider: file\nsrc: {}\ncaptions: {}\n---\n\nThe talk.\n",
            server.url("/missing-video"),
            server.url("/ok")
        ),
    );
    site
}

#[test]
fn broken_external_links_are_warnings_at_their_lines_and_good_ones_are_not() {
    let server = Server::start();
    let site = site_linking_to(&server);
    let output = check(&site, &[]);
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "broken external links are warnings:\n{err}"
    );
    let at = |line: usize, what: &str| {
        format!("warning: content/blog/2017-08-06-x.md:{line}:3: external link {what}")
    };
    for expected in [
        at(
            7,
            &format!("{} is broken: 404 Not Found", server.url("/missing")),
        ),
        at(
            8,
            &format!(
                "{} is broken: 500 Internal Server Error",
                server.url("/error")
            ),
        ),
        at(
            10,
            &format!(
                "{} is broken: timed out after 700 ms",
                server.url("/silent")
            ),
        ),
        format!(
            "warning: content/videos/talk.md:5:6: src: external link {} is broken: 404 Not Found",
            server.url("/missing-video")
        ),
    ] {
        assert!(err.contains(&expected), "no {expected:?}:\n{err}");
    }
    assert!(
        err.contains(":11:3: external link http://127.0.0.1:")
            && err.contains("is broken: connection refused"),
        "{err}"
    );
    for good in ["/ok)", "/moved", "/no-head"] {
        assert!(
            !err.contains(&format!("{}{good} is broken", server.url(""))),
            "{good}:\n{err}"
        );
    }
    let asked = server.requests();
    assert!(
        asked.contains(&"HEAD /no-head".to_string()) && asked.contains(&"GET /no-head".to_string()),
        "{asked:?}"
    );
    assert!(
        asked.contains(&"HEAD /moved".to_string()) && asked.contains(&"HEAD /ok".to_string()),
        "{asked:?}"
    );
    assert!(stdout(&output).contains("broken"), "{}", stdout(&output));
}

#[test]
fn a_rerun_within_max_age_asks_nothing_and_still_reports_the_broken_links() {
    let server = Server::start();
    let site = site_linking_to(&server);
    assert_eq!(check(&site, &[]).status.code(), Some(0));
    let asked = server.requests().len();
    assert!(site
        .root
        .join(".pamphlet-cache/external-links.json")
        .is_file());

    let again = check(&site, &["--max-age", "12h"]);
    let err = stderr(&again);
    assert_eq!(
        server.requests().len(),
        asked,
        "the rerun asked the server again"
    );
    assert!(
        err.contains(&format!(
            "{} is broken: 404 Not Found",
            server.url("/missing")
        )),
        "{err}"
    );
    assert!(err.contains("is broken: timed out after 700 ms"), "{err}");

    let json = check(&site, &["--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("one JSON object");
    assert_eq!(report["external"]["tried"], 0, "{report}");
    assert_eq!(report["external"]["broken"], 5, "{report}");
    let warnings = report["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["line"] == 7 && w["path"] == POST),
        "{report}"
    );

    assert_eq!(check(&site, &["--max-age", "0s"]).status.code(), Some(0));
    assert!(server.requests().len() > asked, "--max-age 0s asks again");
}

#[test]
fn build_never_goes_to_the_network() {
    let server = Server::start();
    let site = site_linking_to(&server);
    common::assert_built(&site.build(&[]));
    assert_eq!(server.requests(), Vec::<String>::new());
    let refused = pamphlet()
        .args(["build", "--external", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "build takes no --external");
}

#[test]
fn a_max_age_that_is_not_a_duration_is_a_usage_error() {
    let site = Site::copy("minimal");
    let output = check(&site, &["--max-age", "a day"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("12h, 30m, 0s, 1d"),
        "{}",
        stderr(&output)
    );
}
