//! `pamphlet serve` end to end: the real binary on a free loopback port, serving a copy of
//! `tests/fixtures/minimal`, with a client made of nothing but `std::net::TcpStream` and raw
//! HTTP/1.1. Every server is stopped (SIGINT, then SIGKILL if it does not stop) when its guard
//! is dropped, so a failing test never leaks a process.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::sleep;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long the first build and the "Serving" line may take (a debug build on a busy machine).
const START: Duration = Duration::from_secs(60);
/// How long a change may take to show in the served site.
const CHANGE: Duration = Duration::from_secs(10);
/// How long a signal may take to stop the server.
const STOP: Duration = Duration::from_secs(5);
/// How long one HTTP exchange may take.
const IO: Duration = Duration::from_secs(30);
/// How often polling loops look again.
const POLL: Duration = Duration::from_millis(50);

/// The post of the fixture, served at /blog/x/.
const POST: &str = "content/blog/2017-08-06-x.md";
/// The error overlay the server adds to pages while the last rebuild failed.
const OVERLAY: &str = "<div id=\"pamphlet-error\"";

/// The load and burst tests run one at a time: the first would disturb the timing of the second.
static HEAVY: Mutex<()> = Mutex::new(());

fn heavy() -> MutexGuard<'static, ()> {
    HEAVY.lock().unwrap_or_else(|e| e.into_inner())
}

// ---------------------------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------------------------

/// Collects everything a pipe delivers, line by line, into a shared string.
fn collect(pipe: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buffer = Arc::new(Mutex::new(String::new()));
    let shared = buffer.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => shared
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&String::from_utf8_lossy(&line)),
            }
        }
    });
    buffer
}

/// A running `pamphlet serve`; dropping it stops the process (SIGINT, then SIGKILL).
struct Process {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Process {
    fn spawn(args: &[&str], temp_dir: &Path) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(args)
            .env("TMPDIR", temp_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start pamphlet serve");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        Process {
            child,
            stdout,
            stderr,
        }
    }

    fn stdout(&self) -> String {
        self.stdout
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sends a signal with `kill`, only while the child has not been reaped.
    fn signal(&mut self, name: &str) {
        if let Ok(None) = self.child.try_wait() {
            let status = Command::new("kill")
                .arg(format!("-{name}"))
                .arg(self.child.id().to_string())
                .status()
                .expect("cannot run kill");
            assert!(status.success(), "kill -{name} failed");
        }
    }

    /// Waits for the process to end, up to `limit`.
    fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => sleep(Duration::from_millis(20)),
                _ => return None,
            }
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .arg("-INT")
                .arg(self.child.id().to_string())
                .status();
            if self.wait_for_exit(Duration::from_secs(10)).is_none() {
                let _ = self.child.kill();
            }
        }
        let _ = self.child.wait();
    }
}

/// A free loopback port (free when asked; `serve` moves on by itself if it is taken meanwhile).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `pamphlet serve` on a private copy of the minimal fixture, with its own TMPDIR.
struct Server {
    // Declared first so that it is dropped (the process stopped) before the folders go.
    process: Process,
    /// Holds the site copy (`site/`), the server's TMPDIR (`tmp/`) and anything else.
    tmp: TempDir,
    root: PathBuf,
    temp_dir: PathBuf,
    addr: SocketAddr,
}

impl Server {
    fn start() -> Server {
        Server::start_on(free_port(), &[])
    }

    fn start_on(port: u16, extra: &[&str]) -> Server {
        Server::start_site(port, extra, |_| {})
    }

    /// Serves a copy of the minimal fixture changed by `edit` first.
    fn start_with(edit: impl FnOnce(&Path)) -> Server {
        Server::start_site(free_port(), &[], edit)
    }

    fn start_site(port: u16, extra: &[&str], edit: impl FnOnce(&Path)) -> Server {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        common::copy_dir(&common::fixture("minimal"), &root);
        edit(&root);
        let temp_dir = tmp.path().join("tmp");
        std::fs::create_dir_all(&temp_dir).unwrap();
        let port = port.to_string();
        let mut args = vec![
            "serve",
            "--root",
            root.to_str().unwrap(),
            "--port",
            port.as_str(),
        ];
        args.extend_from_slice(extra);
        let mut process = Process::spawn(&args, &temp_dir);
        let addr = Server::wait_for_url(&mut process);
        Server {
            process,
            tmp,
            root,
            temp_dir,
            addr,
        }
    }

    /// Reads the address from "Serving <root> at http://127.0.0.1:<port>/".
    fn wait_for_url(process: &mut Process) -> SocketAddr {
        let deadline = Instant::now() + START;
        loop {
            let out = process.stdout();
            if let Some(line) = out.lines().find(|l| l.starts_with("Serving ")) {
                let at = line
                    .find(" at http://")
                    .unwrap_or_else(|| panic!("no URL in {line:?}"));
                let rest = &line[at + " at http://".len()..];
                let host_port = rest.split('/').next().unwrap();
                assert!(
                    rest[host_port.len()..].starts_with('/'),
                    "the URL does not end in `/`: {line:?}"
                );
                return host_port
                    .parse()
                    .unwrap_or_else(|e| panic!("bad address in {line:?}: {e}"));
            }
            if let Ok(Some(status)) = process.child.try_wait() {
                sleep(Duration::from_millis(200));
                panic!(
                    "pamphlet serve ended ({status}) before serving\nstdout:\n{}\nstderr:\n{}",
                    process.stdout(),
                    process.stderr()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no \"Serving\" line within {START:?}\nstdout:\n{}\nstderr:\n{}",
                process.stdout(),
                process.stderr()
            );
            sleep(Duration::from_millis(20));
        }
    }

    fn stdout(&self) -> String {
        self.process.stdout()
    }

    fn logs(&self) -> String {
        format!(
            "--- server stdout:\n{}--- server stderr:\n{}",
            self.process.stdout(),
            self.process.stderr()
        )
    }

    /// How many "Rebuilt" lines the server has printed (the first build is one).
    fn rebuilds(&self) -> usize {
        self.stdout()
            .lines()
            .filter(|l| l.starts_with("Rebuilt "))
            .count()
    }

    fn get(&self, target: &str) -> Response {
        get(self.addr, target)
            .unwrap_or_else(|e| panic!("GET {target} failed: {e}\n{}", self.logs()))
    }

    /// Replaces a file of the site in one step (written beside the site, then renamed in),
    /// so the watcher never sees it half-written.
    fn write(&self, rel: &str, text: &str) {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let staging = self.tmp.path().join(format!(
            "staging-{}",
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&staging, text).unwrap();
        let target = self.root.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::rename(&staging, &target).unwrap();
    }

    /// Polls `check` until it passes, for up to `CHANGE`.
    fn eventually(&self, what: &str, mut check: impl FnMut() -> Result<(), String>) {
        let deadline = Instant::now() + CHANGE;
        loop {
            let last = match check() {
                Ok(()) => return,
                Err(e) => e,
            };
            if Instant::now() >= deadline {
                panic!(
                    "{what}: still not so after {CHANGE:?}; last: {last}\n{}",
                    self.logs()
                );
            }
            sleep(POLL);
        }
    }

    /// A check for `eventually`: `target` answers `status` and (un)contains a text.
    fn expect(
        &self,
        target: &str,
        status: u16,
        has: &[&str],
        lacks: &[&str],
    ) -> Result<(), String> {
        let r = get(self.addr, target).map_err(|e| format!("GET {target}: {e}"))?;
        if r.status != status {
            return Err(format!("GET {target}: {} instead of {status}", r.status));
        }
        let body = r.text();
        if let Some(missing) = has.iter().find(|t| !body.contains(*t)) {
            return Err(format!("GET {target}: no {missing:?} in the page"));
        }
        if let Some(present) = lacks.iter().find(|t| body.contains(*t)) {
            return Err(format!("GET {target}: {present:?} is still in the page"));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client
// ---------------------------------------------------------------------------------------------

struct Response {
    status: u16,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn invalid(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

/// Decodes as much of a chunked body as has arrived; `true` once the last chunk was seen.
fn dechunk(mut raw: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    loop {
        let Some(end) = find(raw, b"\r\n") else {
            return (out, false);
        };
        let size_line = String::from_utf8_lossy(&raw[..end]).into_owned();
        let Ok(size) = usize::from_str_radix(size_line.split(';').next().unwrap().trim(), 16)
        else {
            return (out, false);
        };
        if size == 0 {
            return (out, true);
        }
        let start = end + 2;
        if raw.len() < start + size + 2 {
            return (out, false);
        }
        out.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}

/// A response's status, headers (names in lower case) and where its body starts.
type Head = (u16, Vec<(String, String)>, usize);

/// Splits a response into status, headers and the (raw) rest.
fn parse_head(raw: &[u8]) -> Option<Head> {
    let end = find(raw, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, end + 4))
}

fn parse_response(raw: &[u8]) -> std::io::Result<Response> {
    let (status, headers, start) = parse_head(raw).ok_or_else(|| {
        invalid(format!(
            "incomplete response: {:?}",
            String::from_utf8_lossy(raw)
        ))
    })?;
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let rest = &raw[start..];
    if response
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        let (body, complete) = dechunk(rest);
        if !complete {
            return Err(invalid("the chunked body was cut short".into()));
        }
        response.body = body;
    } else {
        if let Some(length) = response.header("content-length") {
            let length: usize = length
                .parse()
                .map_err(|_| invalid(format!("bad content-length {length:?}")))?;
            if rest.len() != length {
                return Err(invalid(format!(
                    "content-length {length} but {} bytes arrived",
                    rest.len()
                )));
            }
        }
        response.body = rest.to_vec();
    }
    Ok(response)
}

/// Sends raw bytes on a fresh connection and reads the whole answer.
fn raw_request(addr: SocketAddr, request: &[u8]) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&addr, IO)?;
    stream.set_read_timeout(Some(IO))?;
    stream.set_write_timeout(Some(IO))?;
    stream.write_all(request)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

/// `GET <target>` with `Connection: close`.
fn get(addr: SocketAddr, target: &str) -> std::io::Result<Response> {
    raw_request(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// A client of the live-reload stream, reading on its own thread.
struct Live {
    stream: TcpStream,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Live {
    /// Connects and waits for the response head (by then the server has subscribed us).
    fn connect(server: &Server) -> Live {
        let mut stream = TcpStream::connect_timeout(&server.addr, IO).unwrap();
        write!(
            stream,
            "GET /__pamphlet/live HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.addr
        )
        .unwrap();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (mut reader, shared) = (stream.try_clone().unwrap(), raw.clone());
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n @ 1..) = reader.read(&mut buffer) {
                shared
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(&buffer[..n]);
            }
        });
        let live = Live { stream, raw };
        let deadline = Instant::now() + CHANGE;
        loop {
            let raw = live.raw.lock().unwrap().clone();
            if let Some((status, headers, _)) = parse_head(&raw) {
                assert_eq!(status, 200, "the live-reload stream answered {status}");
                let kind = headers
                    .iter()
                    .find(|(n, _)| n == "content-type")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                assert!(
                    kind.starts_with("text/event-stream"),
                    "live-reload content-type {kind:?}"
                );
                return live;
            }
            assert!(
                Instant::now() < deadline,
                "no answer on {} within {CHANGE:?}\n{}",
                "/__pamphlet/live",
                server.logs()
            );
            sleep(Duration::from_millis(20));
        }
    }

    /// The complete events received so far: (event name, data lines joined by `\n`).
    fn events(&self) -> Vec<(String, String)> {
        let raw = self.raw.lock().unwrap().clone();
        let Some((_, headers, start)) = parse_head(&raw) else {
            return Vec::new();
        };
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        let body = if chunked {
            dechunk(&raw[start..]).0
        } else {
            raw[start..].to_vec()
        };
        let text = String::from_utf8_lossy(&body).replace("\r\n", "\n");
        let mut events = Vec::new();
        let mut blocks: Vec<&str> = text.split("\n\n").collect();
        blocks.pop(); // the part after the last blank line is not complete yet
        for block in blocks {
            let mut name = String::new();
            let mut data: Vec<&str> = Vec::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim_start().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push(v.strip_prefix(' ').unwrap_or(v));
                }
            }
            if name.is_empty() && data.is_empty() {
                continue; // a keep-alive comment
            }
            if name.is_empty() {
                name = "message".into();
            }
            events.push((name, data.join("\n")));
        }
        events
    }

    /// Waits for an event called `name` at index `from` or later; returns its index and data.
    fn wait_for(&self, server: &Server, name: &str, from: usize) -> (usize, String) {
        let deadline = Instant::now() + CHANGE;
        loop {
            let events = self.events();
            if let Some((i, (_, data))) = events
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, (n, _))| n == name)
            {
                return (i, data.clone());
            }
            assert!(
                Instant::now() < deadline,
                "no `event: {name}` on the live-reload stream within {CHANGE:?}; events: {events:?}\n{}",
                server.logs()
            );
            sleep(POLL);
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

/// The value of the first `href="..."` after `marker`.
fn href_after(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{html}"));
    let rest = &html[at..];
    let start = rest.find("href=\"").unwrap() + "href=\"".len();
    rest[start..start + rest[start..].find('"').unwrap()].to_string()
}

/// The text from `open` up to and including `close`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("no {open:?} in:\n{text}"));
    let end = start
        + text[start..]
            .find(close)
            .unwrap_or_else(|| panic!("no {close:?} after {open:?} in:\n{text}"))
        + close.len();
    &text[start..end]
}

fn post(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ntags: [prevention]\n---\n\n{body}\n")
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn serves_pages_css_redirects_and_the_404_page_with_live_reload_only_in_serve() {
    let server = Server::start();

    let home = server.get("/");
    assert_eq!(home.status, 200, "{}", home.text());
    let kind = home.header("content-type").unwrap_or_default();
    assert!(kind.starts_with("text/html"), "content-type of /: {kind}");
    let html = home.text();
    assert!(
        html.contains("EventSource") && html.contains("/__pamphlet/live"),
        "no live-reload script in the served home page:\n{html}"
    );
    assert!(html.contains("Welcome to the minimal fixture."));

    let css_path = href_after(&html, "rel=\"stylesheet\"");
    let css = server.get(&css_path);
    assert_eq!(css.status, 200, "GET {css_path}");
    let kind = css.header("content-type").unwrap_or_default();
    assert!(
        kind.starts_with("text/css"),
        "content-type of {css_path}: {kind}"
    );
    assert!(!css.text().contains("EventSource"), "a script in the CSS");

    let blog = server.get("/blog");
    assert_eq!(blog.status, 301, "GET /blog");
    assert_eq!(blog.header("location"), Some("/blog/"), "GET /blog");
    let blog = server.get("/blog/");
    assert_eq!(blog.status, 200);
    assert!(blog.text().contains("A first post"));

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let kind = missing.header("content-type").unwrap_or_default();
    assert!(
        kind.starts_with("text/html"),
        "content-type of a 404: {kind}"
    );

    // `pamphlet build` of the same site: the same 404 page, and no live-reload script anywhere.
    let out = server.tmp.path().join("built");
    let output = common::build(&server.root, &out, &[]);
    common::assert_built(&output);
    let tree = common::tree(&out);
    for (path, bytes) in &tree {
        assert!(
            find(bytes, b"EventSource").is_none() && find(bytes, b"__pamphlet").is_none(),
            "`pamphlet build` wrote the live-reload script into {path}"
        );
    }
    let built_404 = String::from_utf8(tree["404.html"].clone()).unwrap();
    let served_404 = missing.text();
    assert_eq!(
        between(&served_404, "<main", "</main>"),
        between(&built_404, "<main", "</main>"),
        "the 404 answer is not the site's 404 page"
    );
    assert!(served_404.contains("EventSource"));
}

#[test]
fn a_missing_page_under_a_language_answers_with_that_languages_404_page() {
    let server = Server::start_with(|root| {
        let mut yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        yaml.push_str("languages:\n  cy:\n    title: Safle Prawf\n");
        std::fs::write(root.join("site.yaml"), yaml).unwrap();
    });
    let welsh = server.get("/cy/dim/tudalen/");
    assert_eq!(welsh.status, 404);
    let html = welsh.text();
    assert!(
        html.contains("lang=\"cy\"") && html.contains("Heb ddod o hyd"),
        "a missing Welsh page did not get the Welsh 404 page:\n{html}"
    );
    let english = server.get("/no/such/page/");
    assert_eq!(english.status, 404);
    assert!(english.text().contains("lang=\"en-GB\""));
}

#[test]
fn edits_new_posts_deletions_and_renames_show_up() {
    let server = Server::start();
    server
        .expect("/blog/x/", 200, &["A first post"], &[])
        .unwrap();

    // Edit a title: the list and the page change.
    server.write(POST, &post("An edited title", "Edited."));
    server.eventually("the edited title is served", || {
        server.expect("/blog/", 200, &["An edited title"], &["A first post"])?;
        server.expect("/blog/x/", 200, &["An edited title", "Edited."], &[])
    });

    // Add a post: it is listed and served.
    let new = "content/blog/2017-09-01-a-brand-new-post.md";
    server.write(new, &post("A brand new post", "Fresh."));
    server.eventually("the new post is served and listed", || {
        server.expect("/blog/a-brand-new-post/", 200, &["A brand new post"], &[])?;
        server.expect("/blog/", 200, &["A brand new post", "An edited title"], &[])
    });

    // Delete it: gone from the list, 404 at its address.
    std::fs::remove_file(server.root.join(new)).unwrap();
    server.eventually("the deleted post is gone", || {
        server.expect("/blog/a-brand-new-post/", 404, &[], &[])?;
        server.expect("/blog/", 200, &["An edited title"], &["A brand new post"])
    });

    // Rename a post file: the new address is served, the old one is 404.
    std::fs::rename(
        server.root.join(POST),
        server.root.join("content/blog/2017-08-06-renamed-post.md"),
    )
    .unwrap();
    server.eventually("the renamed post moved", || {
        server.expect("/blog/renamed-post/", 200, &["An edited title"], &[])?;
        server.expect("/blog/x/", 404, &[], &[])?;
        server.expect("/blog/", 200, &["/blog/renamed-post/"], &["/blog/x/"])
    });
}

#[test]
fn body_section_template_and_static_edits_show_up() {
    let server = Server::start();
    server
        .expect("/blog/x/", 200, &["A first post"], &[])
        .unwrap();

    // A body edit alone.
    server.write(POST, &post("A first post", "A body written again."));
    server.eventually("the new body is served", || {
        server.expect("/blog/x/", 200, &["A body written again."], &[])
    });

    // A section's introduction.
    server.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: post\n---\n\nNews from the partners.\n",
    );
    server.eventually("the section intro is served", || {
        server.expect("/blog/", 200, &["News from the partners."], &["The blog."])
    });

    // A site template overriding the theme's.
    server.write(
        "templates/post.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1><p>Own template</p>{% endblock content %}",
    );
    server.eventually("the site's template is used", || {
        server.expect("/blog/x/", 200, &["Own template"], &[])
    });

    // A static file.
    server.write("static/notes.txt", "first\n");
    server.eventually("the static file is served", || {
        server.expect("/notes.txt", 200, &["first"], &[])
    });
    server.write("static/notes.txt", "second\n");
    server.eventually("the edited static file is served", || {
        server.expect("/notes.txt", 200, &["second"], &["first"])
    });
    std::fs::remove_file(server.root.join("static/notes.txt")).unwrap();
    server.eventually("the removed static file is gone", || {
        server.expect("/notes.txt", 404, &[], &[])
    });
}

#[test]
fn a_broken_edit_keeps_the_last_good_build_and_the_fix_reloads() {
    let server = Server::start();
    let live = Live::connect(&server);
    server
        .expect("/blog/x/", 200, &["A first post"], &[])
        .unwrap();

    // Invalid YAML on line 3: an unclosed bracket.
    server.write(
        POST,
        "---\ntitle: A broken post\ntags: [prevention\n---\n\nBroken.\n",
    );
    let (failed_at, diagnostics) = live.wait_for(&server, "failed", 0);
    assert!(
        diagnostics.contains("content/blog/2017-08-06-x.md:3"),
        "the failure does not name the file and line:\n{diagnostics}"
    );
    // The last good build is still served, with the error over it (also without scripts).
    server
        .expect(
            "/blog/x/",
            200,
            &["A first post", OVERLAY, "content/blog/2017-08-06-x.md:3"],
            &["A broken post"],
        )
        .unwrap();
    server.expect("/", 200, &["EventSource"], &[]).unwrap();
    // A page opened now learns about the failure at once.
    let late = Live::connect(&server);
    let (_, again) = late.wait_for(&server, "failed", 0);
    assert!(again.contains("content/blog/2017-08-06-x.md:3"), "{again}");

    // Fix it: a reload arrives and the page shows the new text.
    server.write(POST, &post("A mended post", "Mended."));
    live.wait_for(&server, "reload", failed_at + 1);
    server
        .expect(
            "/blog/x/",
            200,
            &["A mended post", "Mended."],
            &["A first post", OVERLAY],
        )
        .unwrap();
    late.wait_for(&server, "reload", 0);
}

#[test]
fn a_site_that_never_built_shows_its_error_until_it_is_fixed() {
    let server = Server::start_with(|root| {
        std::fs::write(root.join(POST), "---\ntitle: [broken\n---\n").unwrap();
    });
    server
        .expect("/", 503, &[OVERLAY, "2017-08-06-x.md", "EventSource"], &[])
        .unwrap();
    server.write(POST, &post("A first post", "Fixed."));
    server.eventually("the fixed site is served", || {
        server.expect("/blog/x/", 200, &["Fixed."], &[OVERLAY])
    });
}

#[test]
fn a_site_published_under_a_sub_path_is_previewed_at_the_root() {
    let server = Server::start_with(|root| {
        let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        let yaml = yaml.replace(
            "https://minimal.example.org",
            "https://minimal.example.org/campaign",
        );
        std::fs::write(root.join("site.yaml"), yaml).unwrap();
    });
    let blog = server.get("/blog/");
    assert_eq!(blog.status, 200);
    let html = blog.text();
    assert!(
        html.contains("href=\"/blog/x/\"") && !html.contains("/campaign/"),
        "serve linked the preview under the published path:\n{html}"
    );
    let css = href_after(&html, "rel=\"stylesheet\"");
    assert_eq!(server.get(&css).status, 200, "GET {css}");
}

#[test]
fn no_request_reaches_a_file_outside_the_output() {
    let server = Server::start();
    let secret = "pamphlet-traversal-marker-5b1e7c";
    // Beside the site and the server's TMPDIR, in the site root, and next to the generations.
    std::fs::write(server.tmp.path().join("marker.txt"), secret).unwrap();
    std::fs::write(server.root.join("marker.txt"), secret).unwrap();
    std::fs::write(server.temp_dir.join("marker.txt"), secret).unwrap();

    let addr = server.addr;
    let mut targets: Vec<String> = [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "/%2E%2E%5c%2E%2E%5cetc%5cpasswd",
        "/static/..\\..\\x",
        "/etc/passwd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/%00",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for depth in 1..=6 {
        for step in [
            "../",
            "%2e%2e/",
            "..%2f",
            "%2E%2E%2F",
            "%2e%2e%5c",
            "..\\",
            ".%2e/",
        ] {
            let up = step.repeat(depth);
            targets.push(format!("/{up}marker.txt"));
            targets.push(format!("/blog/{up}marker.txt"));
        }
    }
    targets.push(format!("http://{addr}/../../../marker.txt"));
    targets.push(format!("http://{addr}/%2e%2e/%2e%2e/%2e%2e/marker.txt"));
    targets.push(format!("http://{addr}/etc/passwd"));
    targets.push("file:///etc/passwd".into());

    let mut tally = std::collections::BTreeMap::<u16, usize>::new();
    for target in &targets {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        let response = raw_request(addr, request.as_bytes())
            .unwrap_or_else(|e| panic!("GET {target}: no HTTP answer: {e}\n{}", server.logs()));
        let body = response.text();
        assert!(
            response.status == 404 || response.status == 400,
            "GET {target} answered {}:\n{body}",
            response.status
        );
        assert!(
            !body.contains(secret) && !body.contains("root:x:0:0") && !body.contains("[package]"),
            "GET {target} leaked a file outside the output:\n{body}"
        );
        *tally.entry(response.status).or_default() += 1;
    }
    eprintln!("{} traversal attempts answered {tally:?}", targets.len());
    server.expect("/", 200, &["EventSource"], &[]).unwrap();
}

/// Sets a flag when dropped.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[test]
fn concurrent_requests_all_succeed_while_the_site_rebuilds() {
    let _heavy = heavy();
    let server = Server::start();
    let css = href_after(&server.get("/").text(), "rel=\"stylesheet\"");
    let pages: Vec<String> = [
        "/",
        "/blog/",
        "/blog/x/",
        "/events/",
        "/events/workshop/",
        "/concordat/",
        "/concordat/01-x/",
        "/concordat/all/",
        "/tags/prevention/",
        "/atom.xml",
        css.as_str(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    let initial = server.rebuilds();
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Mutex::new(Vec::<String>::new());
    let done = AtomicUsize::new(0);
    let (elapsed, rebuilds) = std::thread::scope(|scope| {
        // Stops the editor however this scope ends, so that a failure cannot hang the test.
        let _stop_editor = StopOnDrop(stop.clone());
        // An editor saving the post in place every 100 ms. (In place: with write-and-rename
        // saves of one file every 100 ms the debouncer would hold every event back until
        // they stop, and nothing would be rebuilt during the load.)
        let editor = {
            let (path, stop) = (server.root.join(POST), stop.clone());
            scope.spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let text = post("A first post", &format!("Edit number {n}."));
                    std::fs::write(&path, text).unwrap();
                    sleep(Duration::from_millis(100));
                }
            })
        };
        // Start the load once rebuilds are under way.
        server.eventually("a rebuild after the first edit", || {
            if server.rebuilds() > initial {
                Ok(())
            } else {
                Err("no \"Rebuilt\" line yet".into())
            }
        });
        let before = server.rebuilds();
        let started = Instant::now();
        let workers: Vec<_> = (0..50)
            .map(|t| {
                let (pages, failures, done, addr) = (&pages, &failures, &done, server.addr);
                scope.spawn(move || {
                    for i in 0..40 {
                        let page = &pages[(t * 40 + i) % pages.len()];
                        let outcome = match get(addr, page) {
                            Ok(r) if r.status == 200 => None,
                            Ok(r) => Some(format!("GET {page}: {}", r.status)),
                            Err(e) => Some(format!("GET {page}: {e}")),
                        };
                        if let Some(f) = outcome {
                            failures.lock().unwrap().push(f);
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        workers.into_iter().for_each(|w| w.join().unwrap());
        let elapsed = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        editor.join().unwrap();
        (elapsed, server.rebuilds() - before)
    });

    let failures = failures.into_inner().unwrap();
    assert_eq!(done.load(Ordering::Relaxed), 2000);
    assert!(
        failures.is_empty(),
        "{} of 2000 requests failed, e.g. {:?}\n{}",
        failures.len(),
        &failures[..failures.len().min(10)],
        server.logs()
    );
    eprintln!("2000 requests in {elapsed:?} with {rebuilds} rebuilds meanwhile");
    // The server is still well after the load, and serves the last edit.
    server.eventually("the last edit is served", || {
        server.expect("/blog/x/", 200, &["Edit number"], &[])
    });
}

#[test]
fn serve_future_shows_a_post_dated_later_with_a_scheduled_banner() {
    let later = |root: &Path| {
        let text = post("Coming later", "Not yet.");
        std::fs::write(root.join("content/blog/2099-01-01-later.md"), text).unwrap();
    };
    let preview = Server::start_site(free_port(), &["--future"], later);
    preview
        .expect(
            "/blog/later/",
            200,
            &["role=\"status\"><strong>Scheduled for 1 January 2099</strong>"],
            &[],
        )
        .unwrap();
    preview
        .expect("/blog/x/", 200, &["A first post"], &["scheduled-banner"])
        .unwrap();
    let plain = Server::start_with(later);
    plain.expect("/blog/later/", 404, &[], &[]).unwrap();
    plain
        .expect("/blog/", 200, &["A first post"], &["Coming later"])
        .unwrap();
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start_on(port, &[]);
    let out = server.stdout();
    assert_ne!(server.addr.port(), port, "served on the taken port?\n{out}");
    assert!(
        out.contains(&format!(
            "Port {port} is in use; using port {} instead.",
            server.addr.port()
        )),
        "no notice about the taken port:\n{out}"
    );
    server.expect("/", 200, &["EventSource"], &[]).unwrap();
    drop(taken);
}

/// Stops the server with `signal` and checks it ends well and leaves nothing behind (it
/// builds in memory: nothing in TMPDIR, no output folder in the site).
fn stops_cleanly(signal: &str, with_live_client: bool) {
    let mut server = Server::start();
    server.expect("/", 200, &[], &[]).unwrap();
    let live = with_live_client.then(|| Live::connect(&server));

    let sent = Instant::now();
    server.process.signal(signal);
    let status = server.process.wait_for_exit(STOP).unwrap_or_else(|| {
        panic!(
            "still running {STOP:?} after SIG{signal}{}\n{}",
            if with_live_client {
                " (with a live-reload client connected)"
            } else {
                ""
            },
            server.logs()
        )
    });
    assert!(
        status.success(),
        "SIG{signal} ended serve with {status}\n{}",
        server.logs()
    );
    assert!(
        common::names_in(&server.temp_dir).is_empty(),
        "left behind in TMPDIR after SIG{signal}: {:?}",
        common::names_in(&server.temp_dir)
    );
    assert!(
        !server.root.join("public").exists(),
        "serve wrote an output folder into the site"
    );
    eprintln!("SIG{signal} stopped serve in {:?}", sent.elapsed());
    drop(live);
}

#[test]
fn sigint_stops_serve_and_removes_its_temporary_folder() {
    stops_cleanly("INT", false);
}

#[test]
fn sigterm_stops_serve_and_removes_its_temporary_folder() {
    stops_cleanly("TERM", false);
}

#[test]
fn sigint_stops_serve_while_a_page_listens_for_reloads() {
    stops_cleanly("INT", true);
}

#[test]
fn a_burst_of_writes_gives_at_most_two_rebuilds() {
    let _heavy = heavy();
    let server = Server::start();
    server.expect("/", 200, &[], &[]).unwrap();
    // Let the first build settle: no "Rebuilt" line for a while.
    let wait_for_quiet = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        let (mut count, mut since) = (server.rebuilds(), Instant::now());
        while since.elapsed() < Duration::from_millis(1500) {
            assert!(
                Instant::now() < deadline,
                "{what}: the server keeps rebuilding\n{}",
                server.logs()
            );
            sleep(POLL);
            if server.rebuilds() != count {
                (count, since) = (server.rebuilds(), Instant::now());
            }
        }
        count
    };
    let before = wait_for_quiet("before the burst");

    // Thirty files at once, written in place as `git checkout` does.
    for i in 1..=30 {
        let path = server
            .root
            .join(format!("content/blog/2017-09-{i:02}-burst-{i}.md"));
        std::fs::write(path, post(&format!("Burst post {i}"), "From a checkout.")).unwrap();
    }
    server.eventually("every post of the burst is served", || {
        (1..=30).try_for_each(|i| {
            server.expect(
                &format!("/blog/burst-{i}/"),
                200,
                &[&format!("Burst post {i}")],
                &[],
            )
        })
    });
    let after = wait_for_quiet("after the burst");
    let rebuilds = after - before;
    eprintln!("{rebuilds} rebuild(s) for a burst of 30 files");
    assert!(
        (1..=2).contains(&rebuilds),
        "{rebuilds} rebuilds for one burst of 30 files (at most 2 expected)\n{}",
        server.logs()
    );
}
