//! The publishing schedule: pages dated after "now" wait for their date (`--future` previews
//! them, with a banner), `expires` takes a page down, links to pages that are not published
//! are warnings, and `--json` says when the output next changes. Every build has a `--now`.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{assert_built, assert_same_tree, pamphlet, stderr, stdout, tree, Site, NOW};
use pamphlet::{BuildOptions, Session};

/// A post dated 1 May 2030 (midnight in London, so 23:00 UTC the day before), sharing a tag
/// with the fixture's post.
const LATER: &str = "content/blog/2030-05-01-later.md";
const LATER_TEXT: &str =
    "---\ntitle: Coming later\ntags: [prevention, embargoed]\n---\n\nNot yet.\n";
/// The fixture's post (tagged `prevention`), at /blog/x/.
const POST: &str = "content/blog/2017-08-06-x.md";

/// The minimal fixture with the post dated 2030.
fn with_later_post() -> Site {
    let site = Site::copy("minimal");
    site.write(LATER, LATER_TEXT);
    site
}

/// Appends a paragraph to a file of the site; returns the 1-based line it is on.
fn append(site: &Site, rel: &str, paragraph: &str) -> usize {
    let path = site.root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = format!("{}\n\n{paragraph}\n", text.trim_end());
    std::fs::write(&path, &text).unwrap();
    text.lines().count()
}

/// Whether any file of the output mentions `needle`, with the first that does.
fn mentioned_in(out: &Path, needle: &str) -> Option<String> {
    tree(out)
        .into_iter()
        .find(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
}

/// `pamphlet build --json` with the fixed `--now` (or the one in `extra`): the report.
fn json_build(site: &Site, extra: &[&str]) -> serde_json::Value {
    let now = match extra.contains(&"--now") {
        true => Vec::new(),
        false => vec!["--now", NOW],
    };
    let output = site.run(&[&["--json"][..], &now, extra].concat());
    assert_built(&output);
    serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| {
        panic!("not JSON ({e}):\n{}", stdout(&output));
    })
}

#[test]
fn a_post_dated_later_is_nowhere_until_its_date() {
    let site = with_later_post();
    assert_built(&site.build(&[]));
    assert!(!site.out.join("blog/later").exists(), "the post has a page");
    assert!(
        !site.out.join("tags/embargoed").exists(),
        "its tag has a page"
    );
    for file in [
        "blog/index.html",
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "search/index.json",
        "tags/index.html",
        "tags/prevention/index.html",
        "tags/prevention/atom.xml",
        "blog/x/index.html", // related posts, neighbours
    ] {
        let text = site.output_file(file);
        assert!(
            !text.contains("Coming later") && !text.contains("/blog/later/"),
            "{file} shows the post dated later:\n{text}"
        );
    }
    assert_eq!(mentioned_in(&site.out, "Coming later"), None);
}

#[test]
fn future_previews_the_post_with_a_scheduled_banner() {
    let site = with_later_post();
    assert_built(&site.build(&["--future"]));
    let page = site.output_file("blog/later/index.html");
    assert!(
        page.contains(
            "<p class=\"scheduled-banner\" role=\"status\"><strong>Scheduled for 1 May 2030</strong>"
        ),
        "no banner on the preview:\n{page}"
    );
    for file in [
        "blog/index.html",
        "atom.xml",
        "sitemap.xml",
        "tags/embargoed/index.html",
        "tags/prevention/index.html",
        "blog/x/index.html", // related posts, neighbours
    ] {
        assert!(
            site.output_file(file).contains("/blog/later/"),
            "{file} does not list the previewed post"
        );
    }
    assert!(
        mentioned_in(&site.out.join("search/pages"), "/blog/later/").is_some(),
        "the search does not find the previewed post"
    );
    // A page already published has no banner.
    let published = site.output_file("blog/x/index.html");
    assert!(!published.contains("scheduled-banner"), "{published}");
    // `check` takes --future too, and checks the page.
    let output = pamphlet()
        .args(["check", "--future", "--now", NOW, "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_built(&output);
}

#[test]
fn a_date_without_a_time_is_midnight_in_the_sites_time_zone() {
    let site = with_later_post();
    // London is on BST in May: midnight there is 23:00 UTC the day before.
    assert_built(&site.run(&["--now", "2030-04-30T22:59:00Z"]));
    assert!(!site.out.join("blog/later/index.html").exists());
    assert_built(&site.run(&["--now", "2030-04-30T23:00:00Z"]));
    let page = site.output_file("blog/later/index.html");
    assert!(!page.contains("scheduled-banner"), "{page}");
}

#[test]
fn expires_takes_a_page_down_from_that_instant() {
    let site = Site::copy("minimal");
    site.write(
        "content/notice.md",
        "---\ntitle: Consultation notice\nexpires: 2026-12-01T09:00\n---\n\nRespond by 1 December.\n",
    );
    assert_built(&site.run(&["--now", "2026-12-01T08:59"]));
    assert!(site.output_file("notice/index.html").contains("Respond by"));
    assert!(site.output_file("sitemap.xml").contains("/notice/"));
    assert_built(&site.run(&["--now", "2026-12-01T09:00"]));
    assert!(!site.out.join("notice").exists());
    assert!(!site.output_file("sitemap.xml").contains("/notice/"));
}

#[test]
fn an_expired_event_leaves_the_calendars_and_the_events_list() {
    let site = Site::copy("minimal");
    site.write(
        "content/events/webinar.md",
        "---\ntitle: A webinar\nstart: 2017-05-02T10:00\nformat: online\n---\nBody.\n",
    );
    assert_built(&site.build(&[]));
    assert!(site
        .output_file("events.ics")
        .contains("SUMMARY:A workshop"));
    let event = "content/events/workshop.md";
    let text = std::fs::read_to_string(site.root.join(event)).unwrap();
    site.write(
        event,
        text.replacen("---\n", "---\nexpires: 2018-01-01\n", 1),
    );
    assert_built(&site.build(&[]));
    assert!(!site.out.join("events/workshop").exists());
    let calendar = site.output_file("events.ics");
    assert!(
        calendar.contains("SUMMARY:A webinar") && !calendar.contains("A workshop"),
        "{calendar}"
    );
    let list = site.output_file("events/index.html");
    assert!(
        list.contains("A webinar") && !list.contains("A workshop"),
        "{list}"
    );
}

#[test]
fn expires_must_be_a_date_later_than_the_pages_date() {
    let site = Site::copy("minimal");
    site.write(
        "content/notice.md",
        "---\ntitle: Notice\nexpires: soon\n---\nBody.\n",
    );
    site.write(
        "content/blog/2020-01-10-short.md",
        "---\ntitle: Short-lived\nexpires: 2020-01-01\n---\nBody.\n",
    );
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "error: content/notice.md:3:10: expires: \"soon\" is not a date (expected 2017-03-14)"
        ),
        "{err}"
    );
    assert!(
        err.contains("error: content/blog/2020-01-10-short.md:3:10: expires: the page expires (2020-01-01 00:00) before it is published (2020-01-10 00:00)"),
        "{err}"
    );
}

#[test]
fn a_body_link_to_a_page_not_yet_published_is_a_warning_and_keeps_its_text() {
    let site = with_later_post();
    site.write(
        "content/secret.md",
        "---\ntitle: Secret\ndraft: true\n---\nHush.\n",
    );
    let paragraph = "And [the later post](@/blog/2030-05-01-later.md) and [a secret](@/secret.md).";
    let line = append(&site, POST, paragraph);
    let output = site.build(&[]);
    assert_built(&output);
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "warning: {POST}:{line}:5: link to an unpublished page: @/blog/2030-05-01-later.md is scheduled for 1 May 2030 (its text is shown without the link)"
        )),
        "{err}"
    );
    let col = paragraph.find("[a secret").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "warning: {POST}:{line}:{col}: link to an unpublished page: @/secret.md is a draft"
        )),
        "{err}"
    );
    assert!(!err.contains("error"), "{err}");
    assert!(err.contains("build with --future to preview it"), "{err}");
    let page = site.output_file("blog/x/index.html");
    assert!(
        page.contains("<p>And the later post and a secret.</p>"),
        "{page}"
    );
    // Previewed, the link is there and nothing is said about it.
    let output = site.build(&["--future", "--drafts"]);
    assert_built(&output);
    assert!(
        !stderr(&output).contains("unpublished"),
        "{}",
        stderr(&output)
    );
    let page = site.output_file("blog/x/index.html");
    assert!(
        page.contains("<a href=\"/blog/later/\">the later post</a>")
            && page.contains("<a href=\"/secret/\">a secret</a>"),
        "{page}"
    );
}

#[test]
fn a_menu_item_to_a_draft_is_left_out_with_a_warning_at_its_line() {
    let site = Site::copy("minimal");
    site.write(
        "content/secret.md",
        "---\ntitle: Secret\ndraft: true\n---\nHush.\n",
    );
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let line = yaml.lines().count() + 3;
    site.write(
        "site.yaml",
        format!("{yaml}menu:\n  - title: Blog\n    url: \"@/blog/_index.md\"\n  - title: Secret\n    url: \"@/secret.md\"\n"),
    );
    let output = site.build(&[]);
    assert_built(&output);
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "warning: site.yaml:{}:10: menu: \"Secret\" links to @/secret.md, which is a draft (the item is left out)",
            line + 2
        )),
        "{err}"
    );
    let home = site.output_file("index.html");
    assert!(home.contains("<a href=\"/blog/\""), "{home}");
    assert!(
        !home.contains(">Secret<") && !home.contains("@/secret.md"),
        "{home}"
    );
    // With drafts the item is there.
    assert_built(&site.build(&["--drafts"]));
    assert!(site
        .output_file("index.html")
        .contains("<a href=\"/secret/\""));
}

#[test]
fn a_recording_not_yet_published_is_a_warning_and_no_link() {
    let site = Site::copy("minimal");
    site.write(
        "content/videos/_index.md",
        "---\ntitle: Videos\nkind: video\n---\n",
    );
    site.write(
        "content/videos/recording.md",
        "---\ntitle: The recording\ndate: 2030-01-01\nprovider: youtube\nid: abc123\n---\nTranscript.\n",
    );
    let event = "content/events/workshop.md";
    let text = std::fs::read_to_string(site.root.join(event)).unwrap();
    site.write(
        event,
        text.replacen("---\n", "---\nrecording: \"@/videos/recording.md\"\n", 1),
    );
    let output = site.build(&[]);
    assert_built(&output);
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "warning: {event}:2:12: recording: @/videos/recording.md is scheduled for 1 January 2030 (the link is left out)"
        )),
        "{err}"
    );
    let page = site.output_file("events/workshop/index.html");
    assert!(!page.contains("/videos/recording/"), "{page}");
    assert_built(&site.build(&["--future"]));
    let page = site.output_file("events/workshop/index.html");
    assert!(page.contains("href=\"/videos/recording/\""), "{page}");
}

#[test]
fn next_change_is_the_first_instant_the_output_would_change() {
    let site = Site::copy("minimal");
    // Nothing pending: the fixture's only event is long past.
    assert_eq!(
        json_build(&site, &[])["next_change"],
        serde_json::Value::Null
    );

    site.write(LATER, LATER_TEXT); // goes live 2030-04-30T23:00:00Z
    site.write(
        "content/notice.md",
        "---\ntitle: Notice\nexpires: 2029-03-01T10:00\n---\nBody.\n",
    );
    site.write(
        "content/events/conference.md",
        "---\ntitle: Conference\nstart: 2028-06-01T10:00\nend: 2028-06-01T16:00\nformat: online\nregistration: { url: \"https://tickets.example.org\", closes: 2027-12-01T12:00 }\n---\nBody.\n",
    );
    // A draft never goes live by itself, whatever its date.
    site.write(
        "content/blog/2027-01-01-draft.md",
        "---\ntitle: Draft\ndraft: true\n---\nBody.\n",
    );
    let mut now = NOW.to_string();
    for expected in [
        "2027-12-01T12:00:00Z", // the registration closes
        "2028-06-01T15:00:00Z", // the event ends (16:00 BST); its start changes nothing
        "2029-03-01T10:00:00Z", // the notice expires
        "2030-04-30T23:00:00Z", // the post goes live
    ] {
        let report = json_build(&site, &["--now", &now]);
        assert_eq!(report["next_change"], expected, "after {now}");
        now = expected.to_string();
    }
    assert_eq!(
        json_build(&site, &["--now", &now])["next_change"],
        serde_json::Value::Null
    );
    // A preview changes when the post's banner goes, at its date.
    let preview = json_build(&site, &["--now", "2029-06-01T00:00:00Z", "--future"]);
    assert_eq!(preview["next_change"], "2030-04-30T23:00:00Z");
}

#[test]
fn init_then_build_shows_the_sample_post() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let output = pamphlet().arg("init").arg(&root).output().unwrap();
    assert_built(&output);
    let out = tmp.path().join("out");
    // The clock of the machine, as a new user's first build.
    let output = pamphlet()
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_built(&output);
    assert!(out.join("blog/our-first-post/index.html").is_file());
    let blog = std::fs::read_to_string(out.join("blog/index.html")).unwrap();
    assert!(blog.contains("Our first post"), "{blog}");
}

#[test]
fn a_new_event_still_holding_its_placeholders_is_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    assert_built(&pamphlet().arg("init").arg(&root).output().unwrap());
    for (kind, title) in [("event", "Spring launch"), ("video", "Launch recording")] {
        let output = pamphlet()
            .args(["new", kind, title, "--root"])
            .arg(&root)
            .output()
            .unwrap();
        assert_built(&output);
    }
    let check = |extra: &[&str]| {
        pamphlet()
            .arg("check")
            .args(extra)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap()
    };
    let output = check(&["--drafts"]);
    assert_built(&output);
    let err = stderr(&output);
    let event = "content/events/spring-launch.md";
    let text = std::fs::read_to_string(root.join(event)).unwrap();
    let line_of = |text: &str, start: &str| {
        1 + text
            .lines()
            .position(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starting {start:?} in:\n{text}"))
    };
    for (field, line_start, col) in [
        ("venue.name", "  name:", 9),
        ("venue.address", "  address:", 12),
        ("venue.postcode", "  postcode:", 13),
    ] {
        let expected = format!(
            "warning: {event}:{}:{col}: {field}: empty, a placeholder to fill in",
            line_of(&text, line_start)
        );
        assert!(err.contains(&expected), "no {expected:?} in:\n{err}");
    }
    let video = "content/videos/launch-recording.md";
    let text = std::fs::read_to_string(root.join(video)).unwrap();
    let expected = format!(
        "warning: {video}:{}:5: id: \"PASTE-THE-VIDEO-ID\", a placeholder to fill in",
        line_of(&text, "id:")
    );
    assert!(err.contains(&expected), "no {expected:?} in:\n{err}");
    assert!(err.contains("hint: write the venue's name"), "{err}");
    // Drafts left out are not warned about.
    let output = check(&[]);
    assert_built(&output);
    assert!(
        !stderr(&output).contains("placeholder"),
        "{}",
        stderr(&output)
    );
}

/// A site with no events (their calendars are stamped with the build's time) and a post
/// that goes live `wait` from now, built by a session that reads the clock.
fn clock_site(future: bool, wait: Duration) -> (tempfile::TempDir, BuildOptions) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&common::fixture("minimal"), &root);
    std::fs::remove_dir_all(root.join("content/events")).unwrap();
    let live = jiff::Timestamp::now() + jiff::SignedDuration::try_from(wait).unwrap();
    let post = format!(
        "---\ntitle: Going live soon\ndate: {}\n---\n\nSoon.\n",
        pamphlet::dates::utc_rfc3339(live)
    );
    std::fs::write(root.join("content/blog/soon.md"), post).unwrap();
    let options = BuildOptions {
        root,
        future,
        ..BuildOptions::default()
    };
    (tmp, options)
}

#[test]
fn a_session_publishes_a_page_when_the_clock_passes_its_date() {
    let wait = Duration::from_secs(3);
    let sessions = [false, true].map(|future| {
        let (tmp, options) = clock_site(future, wait);
        let mut session = Session::new(options.clone());
        session.update(&[]).unwrap();
        (tmp, options, session)
    });
    for (_, options, session) in &sessions {
        let page = session.files().get("blog/soon/index.html").map(|_| ());
        assert_eq!(page.is_some(), options.future, "before its date");
    }
    std::thread::sleep(wait + Duration::from_millis(500));
    for (tmp, options, mut session) in sessions {
        session.update(&[]).unwrap();
        let incremental = tmp.path().join("incremental");
        session.files().write_to(&incremental).unwrap();
        let fresh = tmp.path().join("fresh");
        pamphlet::build(&BuildOptions {
            out: Some(fresh.clone()),
            write: true,
            ..options.clone()
        })
        .unwrap();
        let what = format!("future: {}", options.future);
        assert_same_tree(&tree(&fresh), &tree(&incremental), &what);
        let page = std::fs::read_to_string(incremental.join("blog/soon/index.html"))
            .unwrap_or_else(|e| panic!("{what}: the post is not published after its date: {e}"));
        assert!(!page.contains("scheduled-banner"), "{what}: {page}");
    }
}
