//! Feature tests: the real `pamphlet` binary builds the fixture site in
//! `tests/fixtures/features/` (posts, events, videos, chapters, shortcodes, raw HTML), and the
//! output files are checked the way a reader, a feed reader or a calendar app would see them.
//!
//! Feeds are parsed with `feed-rs` and calendars with `ical`, independent parsers, so the tests
//! check the files against their formats rather than against pamphlet's own writer.

use std::collections::BTreeSet;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::cargo::cargo_bin_cmd;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use predicates::prelude::*;
use tempfile::TempDir;

/// The `--now` of every build: after the 2017–2018 events, before the 2027 ones.
const NOW: &str = "2026-11-24T12:00";
/// `base_url` in the fixture's site.yaml.
const BASE: &str = "https://features.example.org";

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features")
}

/// Copies the fixture site into `to` (created).
fn copy_fixture(to: &Path) {
    let from = fixture();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk the fixture");
        let rel = entry
            .path()
            .strip_prefix(&from)
            .expect("inside the fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder of the copy");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// A copy of the fixture (changed by `edit`) built into `<tmp>/public`.
struct Build {
    dir: TempDir,
    output: Output,
}

impl Build {
    fn run(edit: impl FnOnce(&Path)) -> Build {
        let dir = tempfile::Builder::new()
            .prefix("features-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("create a temporary folder");
        let root = dir.path().join("site");
        copy_fixture(&root);
        edit(&root);
        let output = cargo_bin_cmd!("pamphlet")
            .arg("build")
            .arg("--root")
            .arg(&root)
            .arg("--out")
            .arg(dir.path().join("public"))
            .arg("--now")
            .arg(NOW)
            .output()
            .expect("run pamphlet");
        Build { dir, output }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Panics with the build's output unless it succeeded.
    fn expect_success(&self) {
        assert!(
            self.output.status.success(),
            "the build failed ({:?})\nstdout:\n{}\nstderr:\n{}",
            self.output.status.code(),
            self.stdout(),
            self.stderr()
        );
    }

    /// A file of the output, by its path from the output root (`atom.xml`).
    fn file(&self, rel: &str) -> String {
        let path = self.out().join(rel.trim_start_matches('/'));
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The HTML of a page, by its URL path (`/blog/x/`).
    fn page(&self, url: &str) -> String {
        self.file(&format!("{url}index.html"))
    }
}

/// The fixture as it is, built once for every test that only reads the output.
fn site() -> &'static Build {
    static SITE: OnceLock<Build> = OnceLock::new();
    SITE.get_or_init(|| {
        let build = Build::run(|_| {});
        build.expect_success();
        build
    })
}

/// Writes `text` to `rel` inside a site root.
fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
    std::fs::write(path, text).expect("write a file");
}

// ---------------------------------------------------------------------------------------------
// Reading HTML
// ---------------------------------------------------------------------------------------------

/// The `<main>` element of a page (without the header and footer every page shares).
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("the page has a <main>");
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e + "</main>".len());
    &html[start..end]
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The text a reader sees: tags removed, entities decoded, whitespace collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = decode_entities(&out);
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Tags between words and punctuation leave a space behind: "Leeds , LS1" -> "Leeds, LS1".
    joined
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" :", ":")
}

/// A start tag: its name and attributes (values decoded), in order.
#[derive(Debug, Clone)]
struct Tag {
    name: String,
    attrs: Vec<(String, Option<String>)>,
    /// Byte offset of `<` in the document.
    at: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }

    fn has_attr(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, _)| n == name)
    }
}

/// Every start tag of `html`, with its attributes (comments and end tags skipped).
fn tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let at = i + p;
        i = at + 1;
        if html[at..].starts_with("<!--") {
            i = html[at..].find("-->").map_or(html.len(), |e| at + e + 3);
            continue;
        }
        let name_len = html[at + 1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[at + 1..at + 1 + name_len].to_ascii_lowercase();
        let mut j = at + 1 + name_len;
        let mut attrs = Vec::new();
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || html[j..].starts_with("/>") {
                break;
            }
            let n_len = html[j..]
                .bytes()
                .take_while(|b| !b.is_ascii_whitespace() && !b"=>/".contains(b))
                .count()
                .max(1);
            let attr = html[j..j + n_len].to_ascii_lowercase();
            j += n_len;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let value = match bytes.get(j) {
                    Some(q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..]
                            .find(*q as char)
                            .map_or(html.len(), |e| j + 1 + e);
                        let v = &html[j + 1..end];
                        j = (end + 1).min(html.len());
                        v
                    }
                    _ => {
                        let len = html[j..]
                            .bytes()
                            .take_while(|b| !b.is_ascii_whitespace() && *b != b'>')
                            .count();
                        let v = &html[j..j + len];
                        j += len;
                        v
                    }
                };
                attrs.push((attr, Some(decode_entities(value))));
            } else {
                attrs.push((attr, None));
            }
        }
        out.push(Tag { name, attrs, at });
        i = j;
    }
    out
}

/// The `href` of every `<a>` in `html`, in document order.
fn hrefs(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href").map(str::to_string))
        .collect()
}

/// The `href` of the `<a rel="...">` in `html`, if there is one.
fn rel_link(html: &str, rel: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find(|t| {
            t.name == "a"
                && t.attr("rel")
                    .is_some_and(|r| r.split_whitespace().any(|x| x == rel))
        })
        .and_then(|t| t.attr("href").map(str::to_string))
}

/// The elements `<name ...>…</name>` of `html` (not nested in each other), whole.
fn elements<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let close = format!("</{name}>");
    tags(html)
        .into_iter()
        .filter(|t| t.name == name)
        .filter_map(|t| {
            html[t.at..]
                .find(&close)
                .map(|e| &html[t.at..t.at + e + close.len()])
        })
        .collect()
}

/// The first element `<name ...>…</name>` whose start tag has `attr="value"`.
fn element_with<'a>(html: &'a str, name: &str, attr: &str, value: &str) -> Option<&'a str> {
    let close = format!("</{name}>");
    tags(html)
        .into_iter()
        .find(|t| t.name == name && t.attr(attr) == Some(value))
        .and_then(|t| {
            html[t.at..]
                .find(&close)
                .map(|e| &html[t.at..t.at + e + close.len()])
        })
}

/// The JSON-LD objects of a page.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    elements(html, "script")
        .into_iter()
        .filter(|s| {
            tags(s)
                .first()
                .and_then(|t| t.attr("type"))
                .is_some_and(|ty| ty.eq_ignore_ascii_case("application/ld+json"))
        })
        .map(|s| {
            let body =
                &s[s.find('>').expect("end of the start tag") + 1..s.len() - "</script>".len()];
            serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("JSON-LD is not valid JSON ({e}):\n{body}"))
        })
        .collect()
}

/// The JSON-LD object of a page with `@type` `ty`, searching `@graph` arrays too.
fn json_ld_of_type(html: &str, ty: &str) -> Option<serde_json::Value> {
    fn find(v: &serde_json::Value, ty: &str) -> Option<serde_json::Value> {
        match v {
            serde_json::Value::Array(items) => items.iter().find_map(|i| find(i, ty)),
            serde_json::Value::Object(map) => {
                let matches = match map.get("@type") {
                    Some(serde_json::Value::String(s)) => s == ty,
                    Some(serde_json::Value::Array(a)) => a.iter().any(|x| x == ty),
                    _ => false,
                };
                if matches {
                    Some(v.clone())
                } else {
                    map.get("@graph").and_then(|g| find(g, ty))
                }
            }
            _ => None,
        }
    }
    json_ld(html).iter().find_map(|v| find(v, ty))
}

/// Positions of the first link to each of `urls` in `html`; panics naming a missing one.
fn link_positions(html: &str, urls: &[&str]) -> Vec<usize> {
    let links: Vec<(usize, String)> = tags(html)
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attr("href").map(|h| (t.at, h.to_string())))
        .collect();
    urls.iter()
        .map(|u| {
            links
                .iter()
                .find(|(_, h)| h == u)
                .map(|(at, _)| *at)
                .unwrap_or_else(|| panic!("no link to {u} in:\n{html}"))
        })
        .collect()
}

fn assert_in_order(positions: &[usize], what: &[&str], html: &str) {
    for w in 0..positions.len().saturating_sub(1) {
        assert!(
            positions[w] < positions[w + 1],
            "expected {} before {}, in:\n{html}",
            what[w],
            what[w + 1]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Reading feeds and calendars
// ---------------------------------------------------------------------------------------------

fn feed(build: &Build, rel: &str) -> feed_rs::model::Feed {
    let xml = build.file(rel);
    feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("{rel} is not a valid feed ({e}):\n{xml}"))
}

fn entry_title(e: &feed_rs::model::Entry) -> String {
    e.title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default()
}

fn london() -> TimeZone {
    TimeZone::get("Europe/London").expect("the Europe/London zone")
}

fn calendar(build: &Build, rel: &str) -> IcalCalendar {
    let text = build.file(rel);
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser
        .next()
        .unwrap_or_else(|| panic!("{rel} holds no VCALENDAR:\n{text}"))
        .unwrap_or_else(|e| panic!("{rel} is not valid iCalendar ({e}):\n{text}"));
    assert!(
        parser.next().is_none(),
        "{rel} holds more than one VCALENDAR"
    );
    cal
}

fn prop<'a>(event: &'a IcalEvent, name: &str) -> &'a Property {
    event
        .properties
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("the VEVENT has no {name}: {:#?}", event.properties))
}

fn value<'a>(event: &'a IcalEvent, name: &str) -> &'a str {
    prop(event, name).value.as_deref().unwrap_or("")
}

/// The event of `cal` whose URL is the page `url_path`.
fn event_at<'a>(cal: &'a IcalCalendar, url_path: &str) -> &'a IcalEvent {
    let url = format!("{BASE}{url_path}");
    cal.events
        .iter()
        .find(|e| value(e, "URL") == url)
        .unwrap_or_else(|| panic!("no VEVENT with URL {url}"))
}

/// The instant a DATE-TIME property means: UTC (`...Z`) or local time in its `TZID`.
fn instant(p: &Property) -> Timestamp {
    let v = p.value.as_deref().expect("a value");
    let tzid = p.params.iter().flatten().find_map(|(k, vals)| {
        k.eq_ignore_ascii_case("TZID")
            .then(|| vals.first().cloned())
            .flatten()
    });
    let local = |s: &str| {
        DateTime::strptime("%Y%m%dT%H%M%S", s)
            .unwrap_or_else(|e| panic!("{}:{v} is not a DATE-TIME ({e})", p.name))
    };
    match (v.strip_suffix('Z'), tzid) {
        (Some(utc), _) => local(utc)
            .to_zoned_datetime(TimeZone::UTC)
            .expect("a UTC time")
            .timestamp(),
        (None, Some(zone)) => {
            let tz = TimeZone::get(zone.trim_matches('"')).expect("a known TZID");
            local(v)
                .to_zoned_datetime(tz)
                .expect("a local time")
                .timestamp()
        }
        (None, None) => panic!("{}:{v} is a floating time, neither UTC nor TZID", p.name),
    }
}

fn utc(text: &str) -> Timestamp {
    text.parse().expect("an RFC 3339 instant")
}

/// Content lines of an iCalendar text with the folding undone (RFC 5545 §3.1).
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in text.split("\r\n") {
        match physical.strip_prefix([' ', '\t']) {
            Some(rest) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(rest);
                }
            }
            _ => lines.push(physical.to_string()),
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Every `.ics` file of the output, by path from the output root.
fn ics_files(build: &Build) -> Vec<String> {
    let out = build.out();
    let mut files: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .expect("inside the output")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Whether every `,` and `;` of an iCalendar TEXT value is escaped with a backslash.
fn all_escaped(text: &str) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ',' | ';' => return false,
            _ => {}
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Feeds
// ---------------------------------------------------------------------------------------------

/// (title, URL path, date in London) of each post in the fixture.
const POSTS: [(&str, &str, (i16, i8, i8)); 4] = [
    ("A post without tags", "/blog/no-tags/", (2018, 1, 10)),
    (
        "The Concordat is published",
        "/blog/concordat-published/",
        (2017, 8, 6),
    ),
    (
        "Help shape the Concordat",
        "/blog/help-shape/",
        (2017, 3, 1),
    ),
    (
        "Policy & practice: early thoughts",
        "/blog/early-thoughts/",
        (2016, 11, 8),
    ),
];

/// Checks a feed's entries against the posts of `POSTS` whose paths are `paths`.
fn check_entries(feed: &feed_rs::model::Feed, paths: &[&str]) {
    let titles: BTreeSet<String> = feed.entries.iter().map(entry_title).collect();
    let expected: BTreeSet<String> = POSTS
        .iter()
        .filter(|p| paths.contains(&p.1))
        .map(|p| p.0.to_string())
        .collect();
    assert_eq!(titles, expected, "the entries of the feed");
    for (title, path, (y, m, d)) in POSTS.iter().filter(|p| paths.contains(&p.1)) {
        let entry = feed
            .entries
            .iter()
            .find(|e| entry_title(e) == *title)
            .expect("the entry");
        let links: Vec<&str> = entry.links.iter().map(|l| l.href.as_str()).collect();
        assert!(
            links.contains(&format!("{BASE}{path}").as_str()),
            "entry {title:?} should link to {BASE}{path}, links: {links:?}"
        );
        let published = entry
            .published
            .unwrap_or_else(|| panic!("entry {title:?} has no published date"));
        let day = Timestamp::from_second(published.timestamp())
            .expect("a timestamp")
            .to_zoned_datetime(london())
            .date();
        assert_eq!(
            day,
            Date::new(*y, *m, *d).expect("a date"),
            "published date of {title:?} ({published})"
        );
    }
}

#[test]
fn atom_feed_lists_every_post_with_absolute_links_and_dates() {
    let site = site();
    let feed = feed(site, "atom.xml");
    check_entries(&feed, &POSTS.map(|p| p.1));
    let links: Vec<&str> = feed.links.iter().map(|l| l.href.as_str()).collect();
    assert!(
        links.contains(&format!("{BASE}/atom.xml").as_str()),
        "the feed should name itself absolutely, links: {links:?}"
    );
    for entry in &feed.entries {
        for link in &entry.links {
            assert!(
                link.href.starts_with(BASE),
                "entry links must be absolute: {}",
                link.href
            );
        }
    }
}

#[test]
fn feeds_and_the_search_index_carry_summaries_taken_from_the_text() {
    let site = site();
    let feed = feed(site, "atom.xml");
    assert!(!feed.authors.is_empty(), "the feed names its publisher");
    let early = feed
        .entries
        .iter()
        .find(|e| {
            e.links
                .iter()
                .any(|l| l.href.ends_with("/blog/early-thoughts/"))
        })
        .expect("the post without a summary field is in the feed");
    let summary = early
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    assert!(
        summary.starts_with("Early thoughts about the shape"),
        "its first paragraph is its summary: {summary:?}"
    );
    let result = (0..)
        .map(|n| site.out().join(format!("search/pages/{n}.json")))
        .take_while(|f| f.is_file())
        .map(|f| serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(f).unwrap()))
        .map(Result::unwrap)
        .find(|r| r["url"] == "/blog/early-thoughts/")
        .expect("the post is in the search index");
    assert!(
        result["text"]
            .as_str()
            .unwrap_or("")
            .starts_with("Early thoughts"),
        "{result}"
    );
}

#[test]
fn every_tag_page_links_to_a_feed_that_exists() {
    let build = Build::run(|root| {
        write(
            root,
            "content/shortcodes.md",
            &std::fs::read_to_string(root.join("content/shortcodes.md"))
                .unwrap()
                .replacen("---\n", "---\ntags: [only-on-a-page]\n", 1),
        );
    });
    build.expect_success();
    let mut seen = 0;
    for entry in std::fs::read_dir(build.out().join("tags"))
        .unwrap()
        .flatten()
    {
        if entry.path().is_dir() {
            let slug = entry.file_name().to_string_lossy().into_owned();
            let page = build.page(&format!("/tags/{slug}/"));
            if page.contains("atom.xml") {
                feed(&build, &format!("tags/{slug}/atom.xml"));
            }
            seen += 1;
        }
    }
    assert!(build.out().join("tags/only-on-a-page/atom.xml").is_file());
    assert!(seen >= 3);
}

#[test]
fn a_javascript_link_in_markdown_is_removed_with_a_warning() {
    let build = Build::run(|root| {
        write(
            root,
            "content/clicks.md",
            "---\ntitle: Clicks\n---\n\nA [harmless looking link](javascript:alert(1)) here.\n",
        );
    });
    build.expect_success();
    assert!(!build.page("/clicks/").contains("javascript:"));
    assert!(
        build.stderr().contains("content/clicks.md:5"),
        "the warning names the file and line:\n{}",
        build.stderr()
    );
}

#[test]
fn a_chapter_without_a_number_takes_the_next_free_one() {
    let build = Build::run(|root| {
        write(
            root,
            "content/concordat/99-annex.md",
            "---\ntitle: Annex\n---\n\n## Sources\n\nText.\n",
        );
    });
    build.expect_success();
    let annex = build.page("/concordat/99-annex/");
    assert!(
        annex.contains("4.1"),
        "the annex follows chapter 3: {}",
        main_of(&annex)
    );
}

#[test]
fn a_bad_base_url_option_or_a_missing_root_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_fixture(&root);
    let run = |args: &[&str]| cargo_bin_cmd!("pamphlet").args(args).output().unwrap();
    let root_arg = root.to_string_lossy().into_owned();
    let bad_url = run(&["build", "--root", &root_arg, "--base-url", "notaurl"]);
    assert_eq!(bad_url.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_url.stderr).contains("--base-url"));
    let missing = tmp.path().join("nowhere").to_string_lossy().into_owned();
    let no_root = run(&["build", "--root", &missing]);
    assert_eq!(no_root.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_root.stderr).contains("no such folder"));
}

#[test]
fn tag_feeds_list_only_the_posts_with_that_tag() {
    let site = site();
    let prevention = feed(site, "tags/prevention/atom.xml");
    check_entries(
        &prevention,
        &["/blog/concordat-published/", "/blog/help-shape/"],
    );
    let links: Vec<&str> = prevention.links.iter().map(|l| l.href.as_str()).collect();
    assert!(
        links.contains(&format!("{BASE}/tags/prevention/atom.xml").as_str()),
        "links: {links:?}"
    );
    let policy = feed(site, "tags/policy/atom.xml");
    check_entries(
        &policy,
        &["/blog/concordat-published/", "/blog/early-thoughts/"],
    );
}

// ---------------------------------------------------------------------------------------------
// Calendars
// ---------------------------------------------------------------------------------------------

const EVENT_PAGES: [&str; 6] = [
    "/events/gmt-workshop/",
    "/events/bst-webinar/",
    "/events/multi-day/",
    "/events/cancelled/",
    "/events/future-closed/",
    "/events/future-open/",
];

#[test]
fn site_calendar_holds_every_event_and_each_event_has_its_own() {
    let site = site();
    let all = calendar(site, "events.ics");
    assert_eq!(all.events.len(), EVENT_PAGES.len(), "VEVENTs in events.ics");
    for page in EVENT_PAGES {
        event_at(&all, page);
        let own = calendar(site, &format!("{page}event.ics"));
        assert_eq!(own.events.len(), 1, "VEVENTs in {page}event.ics");
        event_at(&own, page);
        assert!(
            hrefs(main_of(&site.page(page))).contains(&format!("{page}event.ics")),
            "the page {page} should link to its calendar file"
        );
    }
    let uids: BTreeSet<&str> = all.events.iter().map(|e| value(e, "UID")).collect();
    assert_eq!(
        uids.len(),
        EVENT_PAGES.len(),
        "UIDs must be unique: {uids:?}"
    );
}

#[test]
fn calendar_times_are_exact_instants_in_winter_and_summer() {
    let site = site();
    for file in ["events.ics", "events/gmt-workshop/event.ics"] {
        let cal = calendar(site, file);
        let gmt = event_at(&cal, "/events/gmt-workshop/");
        assert_eq!(instant(prop(gmt, "DTSTART")), utc("2017-03-14T10:00:00Z"));
        assert_eq!(instant(prop(gmt, "DTEND")), utc("2017-03-14T16:00:00Z"));
    }
    for file in ["events.ics", "events/bst-webinar/event.ics"] {
        let cal = calendar(site, file);
        let bst = event_at(&cal, "/events/bst-webinar/");
        assert_eq!(instant(prop(bst, "DTSTART")), utc("2017-06-14T09:00:00Z"));
        assert_eq!(instant(prop(bst, "DTEND")), utc("2017-06-14T10:30:00Z"));
    }
    let cal = calendar(site, "events.ics");
    let multi = event_at(&cal, "/events/multi-day/");
    assert_eq!(instant(prop(multi, "DTSTART")), utc("2018-01-23T10:00:00Z"));
    assert_eq!(instant(prop(multi, "DTEND")), utc("2018-01-24T16:00:00Z"));
}

#[test]
fn calendar_times_are_written_in_utc() {
    // The form the brief asks for (RFC 5545 also allows TZID; pamphlet writes UTC).
    let site = site();
    let cal = calendar(site, "events.ics");
    let gmt = event_at(&cal, "/events/gmt-workshop/");
    assert_eq!(value(gmt, "DTSTART"), "20170314T100000Z");
    assert_eq!(value(gmt, "DTEND"), "20170314T160000Z");
    let bst = event_at(&cal, "/events/bst-webinar/");
    assert_eq!(value(bst, "DTSTART"), "20170614T090000Z");
    assert_eq!(value(bst, "DTEND"), "20170614T103000Z");
}

#[test]
fn cancelled_event_has_status_cancelled() {
    let site = site();
    for file in ["events.ics", "events/cancelled/event.ics"] {
        let cal = calendar(site, file);
        assert_eq!(
            value(event_at(&cal, "/events/cancelled/"), "STATUS"),
            "CANCELLED"
        );
    }
    let cal = calendar(site, "events.ics");
    assert_ne!(
        value(event_at(&cal, "/events/gmt-workshop/"), "STATUS"),
        "CANCELLED"
    );
}

#[test]
fn calendar_files_use_crlf_and_fold_lines_at_75_octets() {
    let site = site();
    let files = ics_files(site);
    assert!(files.len() > EVENT_PAGES.len(), "calendar files: {files:?}");
    for rel in &files {
        let bytes = std::fs::read(site.out().join(rel)).expect("read the calendar");
        let text = String::from_utf8(bytes.clone())
            .unwrap_or_else(|e| panic!("{rel} is not UTF-8 (a fold split a character?): {e}"));
        assert!(text.ends_with("\r\n"), "{rel} must end with CRLF");
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                assert!(
                    i > 0 && bytes[i - 1] == b'\r',
                    "{rel}: a bare LF at byte {i}"
                );
            }
            if *b == b'\r' {
                assert_eq!(
                    bytes.get(i + 1),
                    Some(&b'\n'),
                    "{rel}: a bare CR at byte {i}"
                );
            }
        }
        for line in text.split("\r\n") {
            assert!(
                line.len() <= 75,
                "{rel}: a line of {} octets: {line:?}",
                line.len()
            );
        }
    }
    // The long description (with accented letters) is folded, and unfolds to the whole text.
    let text = site.file("events/multi-day/event.ics");
    assert!(
        text.contains("\r\n "),
        "the long DESCRIPTION should be folded:\n{text}"
    );
    let description = unfold(&text)
        .into_iter()
        .find_map(|l| l.strip_prefix("DESCRIPTION:").map(str::to_string))
        .expect("a DESCRIPTION");
    assert_eq!(
        description,
        "A residential over two days\\, with café conversations\\, long walks and a great \
         deal of time to talk about prevention\\, partnerships\\, and the résumé of the \
         programme so far.\\n\\nhttps://features.example.org/events/multi-day/"
    );
}

#[test]
fn calendar_text_escapes_commas_and_semicolons() {
    let site = site();
    for file in ["events.ics", "events/gmt-workshop/event.ics"] {
        let cal = calendar(site, file);
        let e = event_at(&cal, "/events/gmt-workshop/");
        assert_eq!(
            value(e, "SUMMARY"),
            "Workshop: planning\\, priorities\\; next steps"
        );
        let location = value(e, "LOCATION");
        assert!(location.contains("Town Hall"), "LOCATION: {location}");
        assert!(
            location.contains("Leeds\\; West Yorkshire"),
            "LOCATION: {location}"
        );
        assert!(
            all_escaped(location),
            "unescaped , or ; in LOCATION: {location}"
        );
    }
    for line in unfold(&site.file("events.ics")) {
        for name in ["SUMMARY", "LOCATION", "DESCRIPTION"] {
            if let Some(v) = line.strip_prefix(&format!("{name}:")) {
                assert!(all_escaped(v), "unescaped , or ; in {line}");
            }
        }
    }
}

#[test]
fn calendar_uids_are_stable_across_builds() {
    let site = site();
    let again = Build::run(|_| {});
    again.expect_success();
    let uids = |b: &Build| -> Vec<(String, String)> {
        calendar(b, "events.ics")
            .events
            .iter()
            .map(|e| (value(e, "URL").to_string(), value(e, "UID").to_string()))
            .collect()
    };
    assert_eq!(uids(site), uids(&again));
    for file in ics_files(site) {
        assert_eq!(
            site.file(&file),
            again.file(&file),
            "{file} differs between two builds with the same --now"
        );
    }
}

#[test]
fn calendar_dtstamp_is_the_build_time() {
    let site = site();
    for file in ics_files(site) {
        for e in &calendar(site, &file).events {
            assert_eq!(value(e, "DTSTAMP"), "20261124T120000Z", "in {file}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

#[test]
fn event_page_shows_a_winter_time_in_gmt() {
    let text = text_of(main_of(&site().page("/events/gmt-workshop/")));
    assert!(
        text.contains("Tuesday, 14 March 2017, 10:00 to 16:00 GMT"),
        "{text}"
    );
}

#[test]
fn event_page_shows_a_summer_time_in_bst() {
    let text = text_of(main_of(&site().page("/events/bst-webinar/")));
    assert!(
        text.contains("Wednesday, 14 June 2017, 10:00 to 11:30 BST"),
        "{text}"
    );
}

#[test]
fn multi_day_event_shows_both_days() {
    let text = text_of(main_of(&site().page("/events/multi-day/")));
    assert!(
        text.contains("Tuesday, 23 January 2018, 10:00 to Wednesday, 24 January 2018, 16:00 GMT"),
        "{text}"
    );
}

#[test]
fn registration_closes_at_its_closing_date() {
    // The event is in 2027, but its registration closed on 20 November 2026.
    let html = site().page("/events/future-closed/");
    let main = main_of(&html);
    assert!(text_of(main).contains("Registration closed"), "{main}");
    assert!(
        !hrefs(main)
            .iter()
            .any(|h| h.contains("/register/winter-conference")),
        "a closed registration must not be linked:\n{main}"
    );
}

#[test]
fn registration_open_for_a_future_event_is_linked() {
    let html = site().page("/events/future-open/");
    let main = main_of(&html);
    assert!(
        hrefs(main).contains(&"https://tickets.example.org/register/anniversary".to_string()),
        "the registration link is missing:\n{main}"
    );
    assert!(!text_of(main).contains("Registration closed"), "{main}");
}

#[test]
fn events_section_lists_upcoming_soonest_first_then_past_latest_first() {
    let html = site().page("/events/");
    let main = main_of(&html);
    let order = [
        "/events/future-closed/", // 2027-01-20, upcoming
        "/events/future-open/",   // 2027-02-10, upcoming
        "/events/cancelled/",     // 2018-05-01, past
        "/events/multi-day/",     // 2018-01-23, past
        "/events/bst-webinar/",   // 2017-06-14, past
        "/events/gmt-workshop/",  // 2017-03-14, past
    ];
    assert_in_order(&link_positions(main, &order), &order, main);
}

#[test]
fn events_of_a_nested_section_are_listed_on_the_events_page_once_in_each_calendar() {
    let build = Build::run(|root| {
        write(
            root,
            "content/events/2027/_index.md",
            "---\ntitle: Events in 2027\n---\n",
        );
        write(
            root,
            "content/events/2027/spring-conference.md",
            "---\ntitle: Spring conference\nstart: 2027-01-25T09:30\nend: 2027-01-25T16:00\nformat: online\n---\n\nA day of talks.\n",
        );
    });
    build.expect_success();
    let html = build.page("/events/");
    let main = main_of(&html);
    let order = [
        "/events/future-closed/",          // 2027-01-20
        "/events/2027/spring-conference/", // 2027-01-25, in the nested section
        "/events/future-open/",            // 2027-02-10
    ];
    assert_in_order(&link_positions(main, &order), &order, main);
    let nested = build.page("/events/2027/");
    assert!(hrefs(main_of(&nested)).contains(&"/events/2027/spring-conference/".to_string()));
    let all = calendar(&build, "events.ics");
    assert_eq!(
        all.events.len(),
        EVENT_PAGES.len() + 1,
        "each event once in events.ics"
    );
    event_at(&all, "/events/2027/spring-conference/");
    let home = main_of(&build.page("/")).to_string();
    assert_eq!(
        home.matches("/events/2027/spring-conference/\"").count(),
        1,
        "the home page's upcoming events hold it once:\n{home}"
    );
}

fn bad_event_time(time: &str) -> Build {
    Build::run(|root| {
        write(
            root,
            "content/events/bad-time.md",
            &format!(
                "---\ntitle: Bad time\nstart: {time}\nend: 2017-12-01T10:00\nformat: online\n---\n\nBody.\n"
            ),
        );
    })
}

#[test]
fn local_time_in_the_spring_forward_gap_is_an_error() {
    let build = bad_event_time("2017-03-26T01:30");
    assert_eq!(build.output.status.code(), Some(1), "{}", build.stderr());
    let stderr = build.stderr();
    assert!(
        predicate::str::contains("error: content/events/bad-time.md:3").eval(&stderr),
        "the error should name the file and line 3:\n{stderr}"
    );
}

#[test]
fn ambiguous_local_time_at_fall_back_is_an_error() {
    let build = bad_event_time("2017-10-29T01:30");
    assert_eq!(build.output.status.code(), Some(1), "{}", build.stderr());
    let stderr = build.stderr();
    assert!(
        predicate::str::contains("error: content/events/bad-time.md:3").eval(&stderr),
        "the error should name the file and line 3:\n{stderr}"
    );
}

fn event_json_ld(url: &str) -> serde_json::Value {
    let html = site().page(url);
    json_ld_of_type(&html, "Event").unwrap_or_else(|| {
        panic!(
            "{url} has no schema.org Event JSON-LD; its <head>:\n{}",
            &html[..html.find("<body").unwrap_or(html.len())]
        )
    })
}

fn str_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("JSON-LD {key} is not a string: {v}"))
}

#[test]
fn event_pages_carry_event_json_ld() {
    let gmt = event_json_ld("/events/gmt-workshop/");
    let start = str_of(&gmt, "startDate");
    assert_eq!(
        start.parse::<Timestamp>().ok(),
        Some(utc("2017-03-14T10:00:00Z")),
        "startDate {start} must be an instant with an offset"
    );
    assert!(
        str_of(&gmt, "eventStatus").ends_with("EventScheduled"),
        "{gmt}"
    );
    assert!(
        str_of(&gmt, "eventAttendanceMode").ends_with("OfflineEventAttendanceMode"),
        "{gmt}"
    );
    let bst = event_json_ld("/events/bst-webinar/");
    let start = str_of(&bst, "startDate");
    assert_eq!(
        start.parse::<Timestamp>().ok(),
        Some(utc("2017-06-14T09:00:00Z")),
        "startDate {start} must be an instant with an offset"
    );
    assert!(
        str_of(&bst, "eventAttendanceMode").ends_with("OnlineEventAttendanceMode"),
        "{bst}"
    );
    let cancelled = event_json_ld("/events/cancelled/");
    assert!(
        str_of(&cancelled, "eventStatus").ends_with("EventCancelled"),
        "{cancelled}"
    );
}

// ---------------------------------------------------------------------------------------------
// Posts
// ---------------------------------------------------------------------------------------------

#[test]
fn post_shows_its_authors_from_site_yaml() {
    let site = site();
    let html = site.page("/blog/concordat-published/");
    let main = main_of(&html);
    assert!(
        hrefs(main).contains(&"/authors/sean/".to_string()),
        "{main}"
    );
    assert!(text_of(main).contains("Sean Duggan"), "{main}");
    // A plain name (not a key of site.yaml authors) is shown as it is.
    let text = text_of(main_of(&site.page("/blog/help-shape/")));
    assert!(
        text.contains("Sean Duggan") && text.contains("A Guest Writer"),
        "{text}"
    );
}

#[test]
fn author_page_lists_the_authors_posts() {
    let html = site().page("/authors/sean/");
    let main = main_of(&html);
    assert!(text_of(main).contains("Sean Duggan"), "{main}");
    let links = hrefs(main);
    for post in ["/blog/concordat-published/", "/blog/help-shape/"] {
        assert!(
            links.contains(&post.to_string()),
            "{post} missing from:\n{main}"
        );
    }
    for other in ["/blog/no-tags/", "/blog/early-thoughts/"] {
        assert!(
            !links.contains(&other.to_string()),
            "{other} is not Sean's:\n{main}"
        );
    }
}

#[test]
fn originally_published_links_the_original() {
    let html = site().page("/blog/concordat-published/");
    let main = main_of(&html);
    assert!(
        text_of(main).contains("Originally posted in The Health Journal on 7 August 2017"),
        "{}",
        text_of(main)
    );
    assert!(
        hrefs(main).contains(&"https://journal.example.org/concordat-published".to_string()),
        "{main}"
    );
}

#[test]
fn post_shows_reading_time() {
    let text = text_of(main_of(&site().page("/blog/concordat-published/")));
    let at = text
        .find(" min read")
        .unwrap_or_else(|| panic!("no reading time: {text}"));
    assert!(
        text[..at].ends_with(|c: char| c.is_ascii_digit()),
        "a number of minutes should come before \"min read\": {text}"
    );
}

#[test]
fn posts_link_to_previous_and_next_post() {
    let site = site();
    let html = site.page("/blog/concordat-published/");
    let main = main_of(&html);
    assert_eq!(rel_link(main, "prev").as_deref(), Some("/blog/help-shape/"));
    assert_eq!(rel_link(main, "next").as_deref(), Some("/blog/no-tags/"));
    let oldest = site.page("/blog/early-thoughts/");
    assert_eq!(rel_link(main_of(&oldest), "prev"), None);
    assert_eq!(
        rel_link(main_of(&oldest), "next").as_deref(),
        Some("/blog/help-shape/")
    );
}

#[test]
fn related_posts_are_chosen_by_shared_tags() {
    // concordat-published shares `prevention` with help-shape and `policy` with early-thoughts;
    // early-thoughts is not its neighbour, so a link to it can only be a related post.
    let html = site().page("/blog/concordat-published/");
    let main = main_of(&html);
    assert!(
        text_of(main).to_lowercase().contains("related"),
        "no related posts on the page:\n{main}"
    );
    assert!(
        hrefs(main).contains(&"/blog/early-thoughts/".to_string()),
        "the related post sharing a tag is not linked:\n{main}"
    );
}

#[test]
fn related_posts_can_be_chosen_by_hand() {
    // help-shape says `related: [@/blog/2018-01-10-no-tags.md]`; no-tags is not its neighbour.
    let html = site().page("/blog/help-shape/");
    let main = main_of(&html);
    assert!(
        hrefs(main).contains(&"/blog/no-tags/".to_string()),
        "the hand-picked related post is not linked:\n{main}"
    );
}

#[test]
fn post_without_tags_builds() {
    let html = site().page("/blog/no-tags/");
    assert!(text_of(main_of(&html)).contains("This post has no tags at all"));
}

// ---------------------------------------------------------------------------------------------
// Videos
// ---------------------------------------------------------------------------------------------

/// Checks that nothing in `html` can make a request to the provider before the click:
/// no iframe, and provider URLs only in `data-embed` (the player URL) or a link's `href`.
fn assert_no_provider_request(html: &str) {
    assert!(!html.contains("<iframe"), "an <iframe> in:\n{html}");
    for tag in tags(html) {
        for (name, value) in &tag.attrs {
            let Some(value) = value else { continue };
            if value.contains("youtube-nocookie.com") {
                assert_eq!(
                    name, "data-embed",
                    "youtube-nocookie.com in <{} {name}=...>",
                    tag.name
                );
            }
            let third_party = ["youtube.com", "ytimg.com", "vimeo.com", "googleapis.com"]
                .iter()
                .any(|h| value.contains(h));
            if third_party && name != "data-embed" {
                assert!(
                    tag.name == "a" && name == "href",
                    "a third-party URL that the browser would load: <{} {name}=\"{value}\">",
                    tag.name
                );
            }
        }
    }
}

/// The video facade in `html`: the play button's text and the fallback link.
fn assert_facade(html: &str, title: &str, id: &str) {
    assert_no_provider_request(html);
    let buttons: Vec<&str> = elements(html, "button")
        .into_iter()
        .filter(|b| {
            tags(b)
                .first()
                .and_then(|t| t.attr("data-embed"))
                .is_some_and(|e| e.contains(id))
        })
        .collect();
    assert_eq!(
        buttons.len(),
        1,
        "one play <button> with data-embed:\n{html}"
    );
    let button = buttons[0];
    let start = &tags(button)[0];
    let name = start
        .attr("aria-label")
        .map_or_else(|| text_of(button), str::to_string);
    assert!(
        name.contains(title),
        "the button's accessible name {name:?} should include {title:?}"
    );
    assert_eq!(start.attr("type"), Some("button"), "{button}");
    let watch = format!("https://www.youtube.com/watch?v={id}");
    assert!(
        hrefs(html).contains(&watch),
        "no plain link to {watch} for readers without JavaScript:\n{html}"
    );
}

#[test]
fn youtube_video_page_is_a_click_to_load_facade() {
    let html = site().page("/videos/webinar-recording/");
    assert_facade(&html, "Summer webinar recording", "aBc123XyZ_-");
}

#[test]
fn file_video_plays_in_a_native_player_with_captions() {
    let html = site().page("/videos/self-hosted/");
    let main = main_of(&html);
    let video = tags(main)
        .into_iter()
        .find(|t| t.name == "video")
        .unwrap_or_else(|| panic!("no <video>:\n{main}"));
    assert!(video.has_attr("controls"), "{main}");
    let track = tags(main)
        .into_iter()
        .find(|t| t.name == "track")
        .unwrap_or_else(|| panic!("no <track>:\n{main}"));
    assert_eq!(track.attr("kind"), Some("captions"));
    assert_eq!(track.attr("src"), Some("/media/talk.vtt"));
    assert!(!html.contains("<iframe"));
}

#[test]
fn video_pages_carry_videoobject_json_ld() {
    let html = site().page("/videos/webinar-recording/");
    let v = json_ld_of_type(&html, "VideoObject").unwrap_or_else(|| {
        panic!(
            "no schema.org VideoObject JSON-LD; the <head>:\n{}",
            &html[..html.find("<body").unwrap_or(html.len())]
        )
    });
    assert_eq!(v["name"], "Summer webinar recording");
    let text = v.to_string();
    assert!(
        text.contains("aBc123XyZ_-"),
        "the video's URLs are missing: {v}"
    );
}

#[test]
fn event_and_its_recording_link_to_each_other() {
    let site = site();
    let event = site.page("/events/bst-webinar/");
    assert!(
        hrefs(main_of(&event)).contains(&"/videos/webinar-recording/".to_string()),
        "the event should link to its recording"
    );
    let video = site.page("/videos/webinar-recording/");
    assert!(
        hrefs(main_of(&video)).contains(&"/events/bst-webinar/".to_string()),
        "the video should link back to its event"
    );
}

/// The fixture with `@/` links to headings (`#anchor`) in every place a link is written: an
/// event's `recording`, a post's `related`, a menu item and a template's `url_for`.
fn anchored() -> &'static Build {
    static SITE: OnceLock<Build> = OnceLock::new();
    SITE.get_or_init(|| {
        let build = Build::run(|root| {
            let edit = |rel: &str, from: &str, to: &str| {
                let text = std::fs::read_to_string(root.join(rel)).expect("read a fixture file");
                assert!(text.contains(from), "{rel} lacks {from:?}");
                write(root, rel, &text.replace(from, to));
            };
            edit(
                "content/videos/webinar-recording.md",
                "with a transcript below.\n",
                "with a transcript below.\n\n## Transcript\n\nWelcome, everyone.\n",
            );
            edit(
                "content/events/bst-webinar.md",
                "webinar-recording.md\"",
                "webinar-recording.md#transcript\"",
            );
            edit(
                "content/blog/2018-01-10-no-tags.md",
                "This post has no tags",
                "## Why no tags\n\nThis post has no tags",
            );
            edit(
                "content/blog/2017-03-01-help-shape.md",
                "no-tags.md\"",
                "no-tags.md#why-no-tags\"",
            );
            edit(
                "site.yaml",
                "    url: \"@/events/_index.md\"\n",
                "    url: \"@/events/_index.md\"\n  - title: Why it matters\n    url: \"@/concordat/01-introduction.md#why-it-matters\"\n",
            );
            write(
                root,
                "templates/shortcodes/background.html",
                "<a class=\"background\" href=\"{{ url_for(path=\"@/concordat/01-introduction.md#background\") }}\">the background</a>",
            );
            edit(
                "content/shortcodes.md",
                "{{ hello(name=\"Reader\") }}",
                "{{ hello(name=\"Reader\") }}\n\nRead {{ background() }}.",
            );
        });
        build.expect_success();
        build
    })
}

#[test]
fn a_recording_link_to_a_heading_is_shown_with_its_anchor() {
    let event = anchored().page("/events/bst-webinar/");
    assert!(
        hrefs(main_of(&event)).contains(&"/videos/webinar-recording/#transcript".to_string()),
        "the event should link to its recording's transcript:\n{}",
        main_of(&event)
    );
}

#[test]
fn a_related_link_to_a_heading_is_kept_with_its_anchor() {
    let html = anchored().page("/blog/help-shape/");
    assert!(
        hrefs(main_of(&html)).contains(&"/blog/no-tags/#why-no-tags".to_string()),
        "the hand-picked related post is not linked at its heading:\n{}",
        main_of(&html)
    );
}

#[test]
fn a_menu_item_and_url_for_may_link_to_a_heading() {
    let html = anchored().page("/shortcodes/");
    assert!(
        hrefs(&html).contains(&"/concordat/01-introduction/#why-it-matters".to_string()),
        "the menu item does not link to the heading:\n{html}"
    );
    assert!(
        main_of(&html)
            .contains("<a class=\"background\" href=\"/concordat/01-introduction/#background\">"),
        "url_for did not resolve the link with its anchor:\n{}",
        main_of(&html)
    );
}

// ---------------------------------------------------------------------------------------------
// Chapters
// ---------------------------------------------------------------------------------------------

/// Chapter pages in number order (file names sort 00-signing-up first; its number is 3).
const CHAPTERS: [&str; 3] = [
    "/concordat/01-introduction/",
    "/concordat/02-commitments/",
    "/concordat/00-signing-up/",
];

#[test]
fn chapters_are_ordered_by_number() {
    let html = site().page("/concordat/");
    let main = main_of(&html);
    assert_in_order(&link_positions(main, &CHAPTERS), &CHAPTERS, main);
    let text = text_of(main);
    let numbered = ["1. Introduction", "2. Commitments", "3. Signing up"];
    let at: Vec<usize> = numbered
        .iter()
        .map(|n| {
            text.find(n)
                .unwrap_or_else(|| panic!("{n:?} missing: {text}"))
        })
        .collect();
    assert_in_order(&at, &numbered, &text);
}

fn heading_text(html: &str, level: &str, id: &str) -> String {
    text_of(
        element_with(html, level, "id", id)
            .unwrap_or_else(|| panic!("no <{level} id=\"{id}\"> in:\n{html}")),
    )
}

#[test]
fn chapter_headings_are_numbered() {
    let site = site();
    let html = site.page("/concordat/02-commitments/");
    let main = main_of(&html);
    assert!(heading_text(main, "h2", "acting-together").starts_with("2.1 Acting together"));
    assert!(heading_text(main, "h3", "local-partnerships").starts_with("2.1.1 Local partnerships"));
    assert!(heading_text(main, "h2", "measuring-progress").starts_with("2.2 Measuring progress"));
    let third = site.page("/concordat/00-signing-up/");
    assert!(heading_text(main_of(&third), "h2", "how-to-sign-up").starts_with("3.1 How to sign up"));
}

#[test]
fn chapter_page_has_document_contents_own_contents_and_neighbours() {
    let site = site();
    let html = site.page("/concordat/02-commitments/");
    let main = main_of(&html);
    let links = hrefs(main);
    for chapter in CHAPTERS {
        assert!(
            links.contains(&chapter.to_string()),
            "the document's contents should link {chapter}:\n{main}"
        );
    }
    for anchor in [
        "#acting-together",
        "#local-partnerships",
        "#measuring-progress",
    ] {
        assert!(
            links
                .iter()
                .any(|l| l == anchor || l.ends_with(&format!("02-commitments/{anchor}"))),
            "the chapter's own contents should link {anchor}:\n{main}"
        );
    }
    assert_eq!(rel_link(main, "prev").as_deref(), Some(CHAPTERS[0]));
    assert_eq!(rel_link(main, "next").as_deref(), Some(CHAPTERS[2]));
    let first = site.page(CHAPTERS[0]);
    assert_eq!(rel_link(main_of(&first), "prev"), None);
    assert_eq!(
        rel_link(main_of(&first), "next").as_deref(),
        Some(CHAPTERS[1])
    );
}

#[test]
fn a_long_documents_chapter_lists_its_neighbours_and_links_the_whole_contents() {
    let build = Build::run(|root| {
        write(
            root,
            "content/report/_index.md",
            "---\ntitle: A long document\nkind: chapter\n---\n",
        );
        for n in 1..=40 {
            write(
                root,
                &format!("content/report/part-{n:02}.md"),
                &format!("---\ntitle: Part {n}\nnumber: {n}\n---\n\nThe text of part {n}.\n"),
            );
        }
    });
    build.expect_success();
    let chapter = |n: u32| format!("/report/part-{n:02}/");
    let html = build.page(&chapter(20));
    let main = main_of(&html);
    let links = hrefs(main);
    for n in 15..=25 {
        assert!(
            links.contains(&chapter(n)),
            "part {n} is not listed:\n{main}"
        );
    }
    for n in [1, 14, 26, 40] {
        assert!(
            !links.contains(&chapter(n)),
            "part {n} is listed far from part 20:\n{main}"
        );
    }
    assert!(
        links.contains(&"/report/".to_string()) && text_of(main).contains("All 40 chapters"),
        "no link to the whole contents:\n{main}"
    );
    let first = build.page(&chapter(1));
    let first_links = hrefs(main_of(&first));
    assert!(first_links.contains(&chapter(6)) && !first_links.contains(&chapter(7)));
    let contents = build.page("/report/");
    let contents_links = hrefs(main_of(&contents));
    for n in 1..=40 {
        assert!(
            contents_links.contains(&chapter(n)),
            "the contents page misses part {n}"
        );
    }
}

#[test]
fn whole_document_page_holds_every_chapter_in_order() {
    let text = text_of(main_of(&site().page("/concordat/all/")));
    let parts = [
        "Introduction",
        "Prevention matters to everyone.",
        "Commitments",
        "Partners act together on prevention.",
        "Signing up",
        "Send us your statement of intent.",
    ];
    let mut from = 0;
    for part in parts {
        let at = text[from..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} missing (in order) from: {text}"));
        from += at + part.len();
    }
}

#[test]
fn cross_reference_to_a_chapter_anchor_resolves() {
    let site = site();
    let html = site.page("/blog/concordat-published/");
    assert!(
        hrefs(main_of(&html)).contains(&"/concordat/02-commitments/#acting-together".to_string()),
        "{}",
        main_of(&html)
    );
    let target = site.page("/concordat/02-commitments/");
    assert!(
        tags(&target)
            .iter()
            .any(|t| t.attr("id") == Some("acting-together")),
        "the target anchor must exist"
    );
}

// ---------------------------------------------------------------------------------------------
// Shortcodes
// ---------------------------------------------------------------------------------------------

fn shortcodes_page() -> String {
    main_of(&site().page("/shortcodes/")).to_string()
}

#[test]
fn video_shortcode_renders_the_facade() {
    assert_facade(&shortcodes_page(), "Shortcode video", "XyZ987abc_-");
}

#[test]
fn figure_shortcode_renders_an_image_with_alt_text() {
    let main = shortcodes_page();
    let img = tags(&main)
        .into_iter()
        .find(|t| t.name == "img" && t.attr("src") == Some("/images/chart.png"))
        .unwrap_or_else(|| panic!("no <img>:\n{main}"));
    assert_eq!(img.attr("alt"), Some("A bar chart of sign-ups"));
}

#[test]
fn callout_body_is_rendered_as_markdown() {
    let main = shortcodes_page();
    assert!(main.contains("<strong>really important</strong>"), "{main}");
    assert!(!main.contains("**really important**"), "{main}");
}

#[test]
fn signup_shortcode_renders_a_labelled_email_form() {
    let main = shortcodes_page();
    let form = elements(&main, "form")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no <form>:\n{main}"));
    let form_tags = tags(form);
    assert_eq!(
        form_tags[0].attr("action"),
        Some("https://features.example.org/subscribe")
    );
    let input = form_tags
        .iter()
        .find(|t| t.name == "input" && t.attr("type") == Some("email"))
        .unwrap_or_else(|| panic!("no email input:\n{form}"));
    let id = input.attr("id").expect("the input has an id");
    assert!(
        form_tags
            .iter()
            .any(|t| t.name == "label" && t.attr("for") == Some(id)),
        "no <label for=\"{id}\">:\n{form}"
    );
}

#[test]
fn shortcodes_inside_code_are_left_literally() {
    let main = shortcodes_page();
    let text = decode_entities(&main);
    assert!(
        text.contains("<code>{{ figure(src=\"inline.png\") }}</code>"),
        "{main}"
    );
    assert!(text.contains("{{ figure(src=\"fenced.png\") }}"), "{main}");
    assert!(
        text.contains("{% callout(type=\"warning\") %}fenced body{% end %}"),
        "{main}"
    );
    for src in ["inline.png", "fenced.png"] {
        assert!(
            !tags(&main).iter().any(|t| t.attr("src") == Some(src)),
            "a shortcode in code was rendered: {src}"
        );
    }
}

#[test]
fn site_shortcode_template_is_used() {
    let main = shortcodes_page();
    assert!(
        main.contains("<span class=\"hello\">Hello, Reader, from a site shortcode!</span>"),
        "{main}"
    );
}

fn bad_shortcode(call: &str) -> Build {
    Build::run(|root| {
        write(
            root,
            "content/bad-shortcode.md",
            &format!("---\ntitle: A bad shortcode\n---\n\nSome text.\n\n{call}\n\nMore text.\n"),
        );
    })
}

#[test]
fn figure_without_alt_is_an_error_with_its_position() {
    let build = bad_shortcode("{{ figure(src=\"/images/chart.png\") }}");
    assert_eq!(build.output.status.code(), Some(1), "{}", build.stderr());
    let stderr = build.stderr();
    assert!(
        stderr.contains("error: content/bad-shortcode.md:7") && stderr.contains("alt"),
        "the error should name the file, line 7 and `alt`:\n{stderr}"
    );
}

#[test]
fn unknown_shortcode_is_an_error_with_its_position() {
    let build = bad_shortcode("{{ nope() }}");
    assert_eq!(build.output.status.code(), Some(1), "{}", build.stderr());
    let stderr = build.stderr();
    assert!(
        stderr.contains("error: content/bad-shortcode.md:7") && stderr.contains("nope"),
        "the error should name the file, line 7 and the shortcode:\n{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Raw HTML
// ---------------------------------------------------------------------------------------------

#[test]
fn dangerous_raw_html_never_reaches_the_output() {
    let html = site().page("/raw/");
    let main = main_of(&html);
    for bad in [
        "<script",
        "alert(",
        "onclick",
        "javascript:",
        "<iframe",
        "evil.example.com",
    ] {
        assert!(!main.contains(bad), "{bad} reached the output:\n{main}");
    }
    assert!(
        main.contains("<div class=\"kept\">Allowed <em>markup</em> stays.</div>"),
        "allowed HTML should be kept:\n{main}"
    );
}

#[test]
fn removed_raw_html_is_reported_as_warnings_with_positions() {
    let site = site();
    let all = format!("{}{}", site.stdout(), site.stderr());
    let warnings: Vec<&str> = all.lines().filter(|l| l.starts_with("warning:")).collect();
    for line in [7, 9, 11] {
        let at = format!("content/raw.md:{line}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("{at}:")) || w.ends_with(&at)),
            "no warning at {at}; warnings: {warnings:#?}"
        );
    }
}

#[test]
fn trust_html_lets_raw_html_through() {
    let build = Build::run(|root| {
        let path = root.join("site.yaml");
        let yaml = std::fs::read_to_string(&path).expect("read site.yaml");
        let trusted = yaml.replace("trust_html: false", "trust_html: true");
        assert_ne!(
            yaml, trusted,
            "the fixture's site.yaml sets trust_html: false"
        );
        std::fs::write(&path, trusted).expect("write site.yaml");
    });
    build.expect_success();
    let html = build.page("/raw/");
    let main = main_of(&html);
    for kept in [
        "<script>alert(\"owned\")</script>",
        "onclick=\"steal()\"",
        "href=\"javascript:alert(1)\"",
        "<iframe src=\"https://evil.example.com/embed\">",
    ] {
        assert!(
            main.contains(kept),
            "{kept} should pass with trust_html:\n{main}"
        );
    }
}
