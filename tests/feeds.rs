//! Feeds and calendars as their readers get them: every feed (RSS 2.0 and Atom, of the site,
//! a tag, a section of posts, a section of videos, the upcoming events) read back with
//! `feed-rs`, every XML file checked by `xmllint` where it is installed, and calendars read
//! back with `ical`.
//!
//! Each test builds a copy of `tests/fixtures/features` through the real binary.

mod common;

use std::io::BufReader;
use std::path::Path;

use common::{assert_built, Site};
use feed_rs::model::{Feed, FeedType};

/// `base_url` of the features fixture.
const BASE: &str = "https://features.example.org";

/// The features fixture, built.
fn built() -> Site {
    let site = Site::copy("features");
    assert_built(&site.build(&[]));
    site
}

fn feed(site: &Site, rel: &str) -> Feed {
    let xml = site.output_file(rel);
    feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("{rel} is not a valid feed ({e}):\n{xml}"))
}

fn titles(feed: &Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

fn entry_links(feed: &Feed) -> Vec<String> {
    feed.entries
        .iter()
        .flat_map(|e| e.links.iter().map(|l| l.href.clone()))
        .collect()
}

/// The `href` of every link of a page, with the attributes of the element.
fn links(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let doc = scraper::Html::parse_document(html);
    let a = scraper::Selector::parse("a[href], link[href]").expect("a selector");
    doc.select(&a)
        .map(|e| {
            let attrs = e
                .value()
                .attrs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            (e.value().attr("href").unwrap_or("").to_string(), attrs)
        })
        .collect()
}

fn has_attr(attrs: &[(String, String)], name: &str, value: &str) -> bool {
    attrs.iter().any(|(k, v)| k == name && v == value)
}

#[test]
fn the_site_a_tag_and_each_section_of_posts_or_videos_have_rss_beside_atom() {
    let site = built();
    let posts = [
        "A post without tags",
        "The Concordat is published",
        "Help shape the Concordat",
        "Policy & practice: early thoughts",
    ];
    let videos = ["Self-hosted talk", "Summer webinar recording"];
    let cases: [(&str, &str, &[&str]); 4] = [
        ("", BASE, &posts),
        (
            "tags/prevention/",
            &format!("{BASE}/tags/prevention/"),
            &["The Concordat is published", "Help shape the Concordat"],
        ),
        ("blog/", &format!("{BASE}/blog/"), &posts),
        ("videos/", &format!("{BASE}/videos/"), &videos),
    ];
    for (dir, page, expected) in cases {
        let page = page.trim_end_matches('/');
        for (file, kind) in [("atom.xml", FeedType::Atom), ("rss.xml", FeedType::RSS2)] {
            let rel = format!("{dir}{file}");
            let read = feed(&site, &rel);
            assert_eq!(read.feed_type, kind, "{rel}");
            assert_eq!(titles(&read), *expected, "{rel}: newest first");
            let own: Vec<&str> = read.links.iter().map(|l| l.href.as_str()).collect();
            assert!(
                own.contains(&format!("{BASE}/{rel}").as_str())
                    && own.iter().any(|l| l.trim_end_matches('/') == page),
                "{rel} names itself and the page it is the feed of: {own:?}"
            );
            for link in entry_links(&read) {
                assert!(link.starts_with(BASE), "{rel}: {link} is not absolute");
            }
            for entry in &read.entries {
                assert!(
                    entry.published.is_some(),
                    "{rel}: {:?} has no date",
                    entry.id
                );
            }
        }
    }
    let rss = site.output_file("blog/rss.xml");
    assert!(
        rss.contains("<pubDate>Sun, 6 Aug 2017 00:00:00 +0100</pubDate>"),
        "dates in RFC 2822:\n{rss}"
    );
}

#[test]
fn pages_link_the_feeds_of_what_they_list() {
    let site = built();
    for (page, feeds) in [
        ("index.html", vec!["/atom.xml", "/rss.xml"]),
        ("blog/index.html", vec!["/blog/atom.xml", "/blog/rss.xml"]),
        (
            "videos/index.html",
            vec!["/videos/atom.xml", "/videos/rss.xml"],
        ),
        (
            "tags/policy/index.html",
            vec!["/tags/policy/atom.xml", "/tags/policy/rss.xml"],
        ),
        ("events/index.html", vec!["/events/atom.xml"]),
    ] {
        let found = links(&site.output_file(page));
        for want in feeds {
            let kind = match want.ends_with("rss.xml") {
                true => "application/rss+xml",
                false => "application/atom+xml",
            };
            assert!(
                found.iter().any(|(href, attrs)| href == want
                    && has_attr(attrs, "rel", "alternate")
                    && has_attr(attrs, "type", kind)),
                "{page} has no <link rel=alternate type={kind}> to {want}"
            );
            assert!(site.out.join(want.trim_start_matches('/')).is_file());
        }
    }
    assert!(
        !site.out.join("events/rss.xml").exists(),
        "events have an Atom feed only"
    );
}

#[test]
fn the_events_feed_lists_upcoming_events_soonest_first_with_their_status() {
    let site = Site::copy("features");
    let event = |name: &str, start: &str, extra: &str| {
        site.write(
            &format!("content/events/{name}.md"),
            format!(
                "---\ntitle: {name}\nstart: {start}\nend: {start}\nformat: online\n{extra}---\n\nAbout {name}.\n"
            ),
        );
    };
    event(
        "a-postponed-talk",
        "2027-01-05T10:00",
        "status: postponed\n",
    );
    event(
        "a-cancelled-forum",
        "2027-03-01T10:00",
        "status: cancelled\n",
    );
    event("a-later-seminar", "2028-05-01T10:00", "");
    assert_built(&site.build(&[]));
    let read = feed(&site, "events/atom.xml");
    assert_eq!(read.feed_type, FeedType::Atom);
    assert_eq!(
        titles(&read),
        [
            "Postponed: a-postponed-talk",
            "Winter conference",
            "Tenth anniversary webinar",
            "Cancelled: a-cancelled-forum",
            "a-later-seminar",
        ],
        "upcoming events only, soonest first"
    );
    let postponed = &read.entries[0];
    assert!(
        postponed.categories.iter().any(|c| c.term == "postponed"),
        "{:?}",
        postponed.categories
    );
    let summary = postponed.summary.as_ref().map(|s| s.content.as_str());
    assert_eq!(
        summary,
        Some("Tuesday, 5 January 2027, 10:00 GMT. About a-postponed-talk.")
    );
    assert!(read.entries.iter().all(|e| e.updated.is_some()));
}

#[test]
fn every_xml_file_is_well_formed() {
    let site = built();
    let xml: Vec<_> = walkdir::WalkDir::new(&site.out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "xml"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(xml.len() >= 12, "{xml:?}");
    let lint = |path: &Path| {
        std::process::Command::new("xmllint")
            .arg("--noout")
            .arg(path)
            .output()
    };
    let Ok(probe) = lint(&xml[0]) else {
        eprintln!("xmllint is not installed: the XML files were read by feed-rs only");
        for path in xml.iter().filter(|p| !p.ends_with("sitemap.xml")) {
            let text = std::fs::read(path).unwrap();
            feed_rs::parser::parse(text.as_slice())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        return;
    };
    assert!(
        probe.status.success(),
        "{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    for path in &xml {
        let out = lint(path).unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The VEVENTs of a calendar file, read by `ical`.
fn events(site: &Site, rel: &str) -> Vec<ical::parser::ical::component::IcalEvent> {
    let text = site.output_file(rel);
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .unwrap_or_else(|| panic!("{rel} holds no calendar"))
        .unwrap_or_else(|e| panic!("{rel} is not iCalendar ({e}):\n{text}"));
    calendar.events
}

fn property(event: &ical::parser::ical::component::IcalEvent, name: &str) -> String {
    event
        .properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name} in {:?}", event.properties))
}

#[test]
fn each_event_calendar_describes_the_event_and_gives_its_page() {
    let site = built();
    for page in [
        "events/gmt-workshop/",
        "events/cancelled/",
        "events/future-open/",
    ] {
        let url = format!("{BASE}/{page}");
        let own = events(&site, &format!("{page}event.ics"));
        assert_eq!(own.len(), 1);
        assert_eq!(property(&own[0], "URL"), url);
        let description = property(&own[0], "DESCRIPTION");
        assert!(
            description.ends_with(&url) && description.len() > url.len() + 10,
            "{page}: the description holds the summary and the page's address: {description:?}"
        );
    }
    let future = events(&site, "events/future-open/event.ics");
    assert!(
        property(&future[0], "DESCRIPTION").starts_with("Registration for this webinar is open."),
        "the first paragraph describes an event without a summary"
    );
}

#[test]
fn the_events_page_offers_to_subscribe_to_the_calendar_and_to_download_it() {
    let site = built();
    let found = links(&site.output_file("events/index.html"));
    assert!(
        found
            .iter()
            .any(|(href, _)| href == "webcal://features.example.org/events.ics"),
        "{found:?}"
    );
    assert!(
        found.iter().any(
            |(href, attrs)| href == "/events.ics" && attrs.iter().any(|(k, _)| k == "download")
        ),
        "{found:?}"
    );
    let under = Site::copy("features");
    let base = "https://host.example/campaign";
    assert_built(&under.build(&["--base-url", base]));
    let found = links(&under.output_file("events/index.html"));
    for want in [
        "webcal://host.example/campaign/events.ics",
        "/campaign/events.ics",
    ] {
        assert!(
            found.iter().any(|(href, _)| href == want),
            "{want}: {found:?}"
        );
    }
    let blog = links(&under.output_file("blog/index.html"));
    assert!(blog
        .iter()
        .any(|(href, _)| href == "/campaign/blog/rss.xml"));
    let read = feed(&under, "blog/rss.xml");
    assert!(entry_links(&read).iter().all(|l| l.starts_with(base)));
}
