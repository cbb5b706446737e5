//! Where outputs live: a site published under a sub-path works when served there, every
//! output has one owner, and a name no file system could hold is an error at its line, the
//! same in `check` and `build`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use common::{assert_built, pamphlet, stderr, stdout, Site, NOW};

const BASE: &str = "https://host.example/campaign";
const POST: &str = "content/blog/2017-08-06-x.md";
const ABOUT: &str = "content/about.md";

// ---------------------------------------------------------------------------------------
// A plain static file server and a client, to follow links as a browser would
// ---------------------------------------------------------------------------------------

/// Python's `http.server` serving a folder: a static host that knows nothing of pamphlet.
struct StaticHost {
    child: Child,
    port: u16,
}

impl StaticHost {
    fn serve(dir: &Path) -> StaticHost {
        let mut child = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs the static file server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let port = line
            .split(" port ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the server's first line: {line:?}"));
        StaticHost { child, port }
    }

    /// The status code of `GET path`.
    fn status(&self, path: &str) -> u16 {
        self.get(path).0
    }

    /// The status code and body of `GET path`.
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
            encode(path)
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let head_end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP answer");
        let head = String::from_utf8_lossy(&raw[..head_end]);
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, raw[head_end + 4..].to_vec())
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Bytes a request line may not hold, percent-encoded.
fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'!'..=b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every value of the attributes a browser follows (`href`, `src`, `srcset` candidates,
/// `poster`, and the `action` of forms sent with GET), with entities decoded.
fn followed_urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let is_post_form = tag.starts_with("form")
            && attribute(tag, "method").is_some_and(|m| m.eq_ignore_ascii_case("post"));
        for name in ["href", "src", "poster", "action", "srcset"] {
            let Some(value) = attribute(tag, name) else {
                continue;
            };
            match name {
                "action" if is_post_form => {}
                "srcset" => found.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                ),
                _ => found.push(value),
            }
        }
    }
    found
}

/// The value of attribute `name` in the text of a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let value = &tag[at..at + tag[at..].find('"')?];
    Some(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

/// The path on the host that a link found on `page` (a path) asks for, if it stays on the
/// site's host: relative, root-relative, or an absolute URL of the site.
fn target(page: &str, link: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or("");
    let link = link.split('?').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    if let Some(rest) = link.strip_prefix("https://host.example") {
        return Some(if rest.is_empty() {
            "/".into()
        } else {
            rest.into()
        });
    }
    if link.starts_with("//") || link.contains(':') {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_string());
    }
    let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in link.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = if link.ends_with('/') { "/" } else { "" };
    Some(format!("/{}{trailing}", parts.join("/")))
}

/// Every absolute URL of the site's host in a text: feeds (entries' HTML included), the
/// sitemap, calendars (lines unfolded), JSON-LD and meta tags.
fn absolute_urls(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .replace("&quot;", "\"")
        .split(['<', '>', '"', '\n', '\r', ' '])
        .map(|s| s.trim_start_matches("URL:"))
        .filter(|s| s.starts_with("https://host.example"))
        .map(str::to_string)
        .collect()
}

/// The URL path of every file of an output served under `/campaign/`.
fn served_paths(out: &Path) -> Vec<(String, PathBuf)> {
    common::tree(out)
        .into_keys()
        .map(|rel| {
            let url = match rel.strip_suffix("index.html") {
                Some(dir) => format!("/campaign/{dir}"),
                None => format!("/campaign/{rel}"),
            };
            (url, out.join(rel))
        })
        .collect()
}

#[test]
fn the_example_site_under_a_sub_path_has_no_broken_link_when_served_there() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_example_site(&root);
    let out = tmp.path().join("www/campaign");
    let output = common::build(&root, &out, &["--base-url", BASE]);
    assert_built(&output);
    let host = StaticHost::serve(&tmp.path().join("www"));

    // Every page, feed, sitemap and index of the output, and what each one links to.
    let mut links: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (url, file) in served_paths(&out) {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(_) => continue,
        };
        let found: Vec<String> = if url.ends_with(".html") || url.ends_with('/') {
            let (status, _) = host.get(&url);
            assert_eq!(status, 200, "GET {url}");
            let mut found = followed_urls(&text);
            // Canonical and social URLs, JSON-LD.
            found.extend(absolute_urls(&text));
            found
        } else if url.ends_with(".xml") || url.ends_with(".ics") || url.ends_with(".txt") {
            absolute_urls(&text)
        } else if url.starts_with("/campaign/search/pages/") {
            let result: serde_json::Value = serde_json::from_str(&text).unwrap();
            vec![result["url"].as_str().unwrap().to_string()]
        } else {
            Vec::new()
        };
        for link in found {
            if let Some(path) = target(&url, &link) {
                links.entry(path).or_default().insert(url.clone());
            }
        }
    }

    // The search script finds its index in the folder its search form goes to, wherever the
    // site is published: each language's search page has its own.
    for (page, folder) in [
        ("search/index.html", "/campaign/search/"),
        ("cy/search/index.html", "/campaign/cy/search/"),
    ] {
        let search_page = std::fs::read_to_string(out.join(page)).unwrap();
        let script = followed_urls(&search_page)
            .into_iter()
            .find(|u| u.contains("/search.") && u.ends_with(".js"))
            .expect("the search page loads search.js");
        let (status, js) = host.get(&script);
        assert_eq!(status, 200, "GET {script}");
        let js = String::from_utf8(js).unwrap();
        assert!(
            js.contains("new URL(form.getAttribute('action')"),
            "search.js resolves its index against its form's action:\n{js}"
        );
        let action = search_page
            .split(r#"<form class="search" role="search" action=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the search page has its form");
        assert_eq!(action, folder, "{page}");
        links
            .entry(format!("{action}index.json"))
            .or_default()
            .insert(format!("/{page}"));
    }

    let pages = served_paths(&out)
        .iter()
        .filter(|(url, _)| url.ends_with('/'))
        .count();
    assert!(
        pages > 40 && links.len() > pages,
        "{} distinct links for {pages} pages: the crawl did not see the site",
        links.len()
    );
    let broken: Vec<String> = links
        .iter()
        .filter(|(path, _)| host.status(path) != 200)
        .map(|(path, from)| format!("{path} (linked from {})", from.iter().next().unwrap()))
        .collect();
    assert!(
        broken.is_empty(),
        "{} of {} links do not answer 200 under /campaign/:\n{}",
        broken.len(),
        links.len(),
        broken.join("\n")
    );
}

#[test]
fn redirects_feeds_and_the_sitemap_of_a_sub_path_site_carry_its_path() {
    let site = Site::copy("minimal");
    std::fs::remove_file(site.root.join(POST)).unwrap();
    site.write(
        "content/blog/2017-08-06-x/index.md",
        "---\ntitle: A first post\ntags: [prevention]\naliases: [\"/old/x/\"]\n---\n\nSee [about](/about/) and ![a chart](chart.svg).\n",
    );
    site.write(
        "content/blog/2017-08-06-x/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 2\"></svg>\n",
    );
    site.write(ABOUT, "---\ntitle: About\n---\n\nWho we are.\n");
    assert_built(&site.build(&["--base-url", BASE]));

    let redirect = site.output_file("old/x/index.html");
    assert!(
        redirect.contains("url=https://host.example/campaign/blog/x/\"")
            && redirect.contains("href=\"https://host.example/campaign/blog/x/\""),
        "the alias does not send readers under /campaign/:\n{redirect}"
    );
    let post = site.output_file("blog/x/index.html");
    assert!(
        post.contains("href=\"/campaign/about/\"")
            && post.contains("src=\"/campaign/blog/x/chart.svg\""),
        "a root-relative Markdown link does not mean the site's root:\n{post}"
    );
    assert!(
        !post.contains("/campaign/campaign/"),
        "prefixed twice:\n{post}"
    );

    let sitemap = site.output_file("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    assert!(!locs.is_empty());
    for loc in &locs {
        assert!(
            loc.starts_with("https://host.example/campaign/"),
            "sitemap entry {loc}"
        );
    }
    assert!(site
        .output_file("robots.txt")
        .contains("Sitemap: https://host.example/campaign/sitemap.xml"));

    let atom = site.output_file("atom.xml");
    assert!(
        atom.contains("href=\"https://host.example/campaign/atom.xml\"")
            && atom.contains("href=\"https://host.example/campaign/blog/x/\""),
        "the feed's links lack the path:\n{atom}"
    );
    assert!(
        atom.contains("href=&quot;https://host.example/campaign/about/&quot;")
            && atom.contains("src=&quot;https://host.example/campaign/blog/x/chart.svg&quot;"),
        "a feed entry's links are not absolute URLs of the site:\n{atom}"
    );
    let results = std::fs::read_dir(site.out.join("search/pages")).unwrap();
    let shown: Vec<String> = results
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert!(
        shown
            .iter()
            .any(|r| r.contains("\"url\":\"/campaign/blog/x/\"")),
        "{shown:?}"
    );
}

#[test]
fn a_site_at_the_root_of_its_host_keeps_root_relative_links() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\n---\n\nSee [about](/about/).\n",
    );
    site.write(ABOUT, "---\ntitle: About\n---\n\nWho we are.\n");
    assert_built(&site.build(&["--base-url", "https://host.example/"]));
    let post = site.output_file("blog/x/index.html");
    assert!(post.contains("href=\"/about/\""), "{post}");
    assert!(site
        .output_file("atom.xml")
        .contains("href=&quot;/about/&quot;"));
}

// ---------------------------------------------------------------------------------------
// One owner per output
// ---------------------------------------------------------------------------------------

/// Runs `check` (or `build`) and returns its exit code and stderr.
fn run(site: &Site, command: &str, extra: &[&str]) -> (Option<i32>, String) {
    let output: Output = match command {
        "build" => site.build(extra),
        _ => pamphlet()
            .args(["check", "--root"])
            .arg(&site.root)
            .args(["--now", NOW])
            .args(extra)
            .output()
            .unwrap(),
    };
    (output.status.code(), stderr(&output))
}

/// `check` and `build` both fail with the same errors, each of which holds `expected`.
fn both_fail_with(site: &Site, expected: &[&str]) -> String {
    let (check_code, check_err) = run(site, "check", &[]);
    let (build_code, build_err) = run(site, "build", &[]);
    assert_eq!(check_code, Some(1), "check passed:\n{check_err}");
    assert_eq!(build_code, Some(1), "build passed:\n{build_err}");
    let errors = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.ends_with("untouched") && !l.ends_with("nothing was written"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        errors(&check_err),
        errors(&build_err),
        "check and build disagree"
    );
    for e in expected {
        assert!(check_err.contains(e), "stderr lacks {e:?}:\n{check_err}");
    }
    assert!(!site.out.exists(), "a failed build wrote its output");
    check_err
}

#[test]
fn an_author_page_and_a_page_at_the_same_url_are_an_error() {
    let site = Site::copy("minimal");
    site.write(
        "site.yaml",
        "title: Minimal Test Site\nbase_url: https://minimal.example.org\nauthors:\n  jane:\n    name: Jane Doe\n",
    );
    site.write(
        POST,
        "---\ntitle: A first post\nauthors: [jane]\n---\n\nBody.\n",
    );
    site.write(
        "content/authors/jane.md",
        "---\ntitle: About Jane\n---\n\nHi.\n",
    );
    let first = both_fail_with(
        &site,
        &["error: content/authors/jane.md: the URL /authors/jane/ is also written by the author page of \"jane\" (site.yaml:4)"],
    );
    // The same every time, whichever thread gets there first.
    for _ in 0..3 {
        assert_eq!(run(&site, "check", &[]).1, first);
    }
    site.write(
        "content/authors/jane.md",
        "---\ntitle: About Jane\nslug: jane\n---\n\nHi.\n",
    );
    both_fail_with(
        &site,
        &["error: content/authors/jane.md:3:7: the URL /authors/jane/ is also written by the author page"],
    );
}

#[test]
fn a_page_at_a_list_page_or_whole_document_url_is_an_error() {
    let site = Site::copy("minimal");
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: post\npaginate: 1\n---\n",
    );
    site.write(
        "content/blog/2017-09-01-second.md",
        "---\ntitle: A second post\n---\n\nBody.\n",
    );
    site.write(
        "content/blog/page/two.md",
        "---\ntitle: Two\ndate: 2017-01-01\nslug: \"2\"\n---\n\nBody.\n",
    );
    both_fail_with(
        &site,
        &["error: content/blog/page/two.md:4:7: the URL /blog/page/2/ is also written by page 2 of the list of content/blog/_index.md"],
    );

    let site = Site::copy("minimal");
    site.write(
        "content/concordat/03-z.md",
        "---\ntitle: Everything\nslug: all\n---\n\nBody.\n",
    );
    both_fail_with(
        &site,
        &["error: content/concordat/03-z.md:3:7: the URL /concordat/all/ is also written by the whole-document page of content/concordat/_index.md"],
    );
}

#[test]
fn an_alias_over_a_generated_page_is_an_error_at_its_line() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\ntags: [prevention]\naliases:\n  - /old/\n  - /tags/prevention/\n---\n\nBody.\n",
    );
    both_fail_with(
        &site,
        &["error: content/blog/2017-08-06-x.md:6:5: the URL /tags/prevention/ is also written by the tag page for \"prevention\""],
    );
}

// ---------------------------------------------------------------------------------------
// Names a file system cannot hold
// ---------------------------------------------------------------------------------------

/// `check --json` and `build --json`: the errors, which must agree.
fn json_errors(site: &Site) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    for command in ["check", "build"] {
        let output = match command {
            "build" => site.build(&["--json"]),
            _ => pamphlet()
                .args(["check", "--json", "--root"])
                .arg(&site.root)
                .output()
                .unwrap(),
        };
        let report: serde_json::Value = serde_json::from_str(stdout(&output).trim())
            .unwrap_or_else(|e| panic!("{command} --json: {e}: {}", stdout(&output)));
        found.push(report["errors"].as_array().unwrap().clone());
    }
    assert_eq!(found[0], found[1], "check --json and build --json disagree");
    found.remove(0)
}

#[test]
fn names_too_long_or_unwritable_are_errors_at_their_line_in_check_and_build() {
    let long = "a".repeat(300);
    let cases = [
        (
            format!("slug: {long}"),
            "content/blog/2017-08-06-x.md:3:7: slug: \"aaaa",
            (3, 7),
        ),
        (
            format!("tags: [policy, {long}]"),
            "content/blog/2017-08-06-x.md:3:16: tags: \"aaaa",
            (3, 16),
        ),
        (
            "aliases: [\"/C:/old/\"]".to_string(),
            "content/blog/2017-08-06-x.md:3:11: aliases: \"/C:/old/\" is not a safe URL path: it holds \":\"",
            (3, 11),
        ),
        (
            "aliases:\n  - /fine/\n  - \"/a\\0b/\"".to_string(),
            "content/blog/2017-08-06-x.md:5:5: aliases: \"/a\\u{0}b/\" is not a safe URL path: it holds a control character",
            (5, 5),
        ),
    ];
    for (field, expected, (line, col)) in cases {
        let site = Site::copy("minimal");
        site.write(
            POST,
            format!("---\ntitle: A first post\n{field}\n---\n\nBody.\n"),
        );
        let err = both_fail_with(&site, &[expected]);
        assert!(err.contains("hint: "), "no hint:\n{err}");
        let errors = json_errors(&site);
        assert_eq!(errors.len(), 1, "{field}: {errors:?}");
        assert_eq!(errors[0]["path"], POST, "{field}: {errors:?}");
        assert_eq!(errors[0]["line"], line, "{field}: {errors:?}");
        assert_eq!(errors[0]["col"], col, "{field}: {errors:?}");
    }
}

#[test]
fn an_author_key_too_long_for_a_file_name_is_an_error_in_site_yaml() {
    let site = Site::copy("minimal");
    let key = "j".repeat(300);
    site.write(
        "site.yaml",
        format!("title: Minimal Test Site\nbase_url: https://minimal.example.org\nauthors:\n  {key}:\n    name: Jane Doe\n"),
    );
    site.write(
        POST,
        format!("---\ntitle: A first post\nauthors: [{key}]\n---\n\nBody.\n"),
    );
    both_fail_with(&site, &["error: site.yaml:4:3: authors: \"jjjj"]);
}
