//! Multilingual sites: `about.cy.md` translates `about.md` and is published under `/cy/`,
//! each language has its own lists, every page links its translations both ways, and the
//! errors of a language the site does not list. Each test builds a small bilingual site
//! written here through the real binary (or the library, for `serve`'s sessions).

mod common;

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use common::search::Search;
use common::{assert_built, assert_same_tree, pamphlet, stderr, tree, Site};
use scraper::{Html, Selector};

const BASE: &str = "https://bi.example.org";

/// A site in English (en-GB) and Welsh: home, about, an event section with an event and its
/// translation (which writes only its title), a bundle with its translation, and
/// `report.v2.md`, a page whose suffix is no language.
fn bilingual() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let site = Site { tmp, root, out };
    site.write(
        "site.yaml",
        format!(
            "title: Concordat\nbase_url: {BASE}\nlanguage: en-GB\nmenu:\n  - {{ title: Events, url: \"@/events/_index.md\" }}\nlanguages:\n  cy:\n    title: Concordat Cymraeg\n    menu:\n      - {{ title: Digwyddiadau, url: \"@/events/_index.cy.md\" }}\n"
        ),
    );
    site.write("content/_index.md", "---\ntitle: Home\n---\nHello.\n");
    site.write("content/_index.cy.md", "---\ntitle: Hafan\n---\nHelo.\n");
    site.write("content/about.md", "---\ntitle: About\n---\nAbout us.\n");
    site.write(
        "content/about.cy.md",
        "---\ntitle: Amdanom\nslug: amdanom\n---\nAmdanom ni.\n",
    );
    site.write("content/report.v2.md", "---\ntitle: Report two\n---\nv2.\n");
    site.write(
        "content/events/_index.md",
        "---\ntitle: Events\nkind: event\n---\n",
    );
    site.write(
        "content/events/_index.cy.md",
        "---\ntitle: Digwyddiadau\n---\n",
    );
    site.write(
        "content/events/launch.md",
        "---\ntitle: Launch\nstart: 2027-03-16T10:00\nend: 2027-03-16T16:00\nvenue:\n  name: Riverside Hall\n  address: 1 Quay Street, Cardiff\n---\nThe launch.\n",
    );
    site.write(
        "content/events/launch.cy.md",
        "---\ntitle: Lansiad\n---\nY lansiad.\n",
    );
    site.write(
        "content/events/workshop.md",
        "---\ntitle: Workshop\nstart: 2027-04-01T10:00\nend: 2027-04-01T12:00\nformat: online\nonline:\n  url: https://meet.example.org/w\n---\nOnly in English.\n",
    );
    site
}

fn read(site: &Site, rel: &str) -> Html {
    Html::parse_document(&site.output_file(rel))
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap();
    html.select(&selector).collect()
}

/// The `hreflang` alternates of a page: hreflang to absolute URL.
fn alternates(html: &Html) -> BTreeMap<String, String> {
    href_by_language(html, r#"link[rel="alternate"][hreflang]"#)
}

/// The `href` of each element `css` selects, by its `hreflang`.
fn href_by_language(html: &Html, css: &str) -> BTreeMap<String, String> {
    select(html, css)
        .into_iter()
        .map(|l| {
            let v = l.value();
            (
                v.attr("hreflang").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

/// The output file of an absolute URL of the site.
fn file_of(url: &str) -> String {
    let path = url.strip_prefix(BASE).unwrap();
    format!("{}index.html", path.trim_start_matches('/'))
}

#[test]
fn every_alternate_links_back_and_names_itself_and_the_default() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    for page in ["index.html", "about/index.html", "events/launch/index.html"] {
        let own = alternates(&read(&site, page));
        let me = format!("{BASE}/{}", page.trim_end_matches("index.html"));
        assert_eq!(own.get("en-GB"), Some(&me), "{page}: {own:?}");
        assert_eq!(own.get("x-default"), Some(&me), "{page}: {own:?}");
        let welsh = own.get("cy").unwrap_or_else(|| panic!("{page}: {own:?}"));
        let back = alternates(&read(&site, &file_of(welsh)));
        assert_eq!(back, own, "{welsh} does not link back as {page} links it");
        let html = read(&site, &file_of(welsh));
        assert_eq!(
            select(&html, "html")[0].value().attr("lang"),
            Some("cy"),
            "{welsh}"
        );
    }
    assert_eq!(
        alternates(&read(&site, "about/index.html"))
            .get("cy")
            .unwrap(),
        &format!("{BASE}/cy/amdanom/")
    );
}

#[test]
fn each_language_lists_only_its_pages_and_has_its_menu_and_switcher() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let links = |rel: &str| -> Vec<String> {
        let html = read(&site, rel);
        select(&html, "main a")
            .into_iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    let welsh = links("cy/events/index.html");
    assert!(
        welsh.contains(&"/cy/events/launch/".to_string()),
        "{welsh:?}"
    );
    assert!(
        !welsh.iter().any(|l| l.starts_with("/events/")),
        "{welsh:?}"
    );
    let english = links("events/index.html");
    assert!(
        english.contains(&"/events/workshop/".to_string()),
        "{english:?}"
    );
    assert!(
        !english.iter().any(|l| l.starts_with("/cy/")),
        "{english:?}"
    );

    let html = read(&site, "cy/events/launch/index.html");
    let menu: Vec<String> = select(&html, r#"nav[aria-label="Prif ddewislen"] a"#)
        .into_iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(menu, ["Digwyddiadau"]);
    // The switcher goes to the translation, else to the language's home page.
    let switcher = |rel: &str| -> Vec<String> {
        let html = read(&site, rel);
        select(&html, "nav.languages a")
            .into_iter()
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect()
    };
    assert_eq!(
        switcher("cy/events/launch/index.html"),
        ["/events/launch/", "/cy/events/launch/"]
    );
    assert_eq!(
        switcher("events/workshop/index.html"),
        ["/events/workshop/", "/cy/"]
    );
}

#[test]
fn a_welsh_page_names_the_site_by_its_welsh_title() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let title = |rel: &str| -> String {
        let html = read(&site, rel);
        select(&html, "title")
            .first()
            .map(|t| t.text().collect())
            .unwrap_or_default()
    };
    assert!(
        title("cy/events/launch/index.html").ends_with("Concordat Cymraeg"),
        "{}",
        title("cy/events/launch/index.html")
    );
    assert!(
        title("events/workshop/index.html").ends_with("| Concordat"),
        "{}",
        title("events/workshop/index.html")
    );
    let html = read(&site, "cy/index.html");
    let header: String = select(&html, "header")
        .first()
        .map(|h| h.text().collect())
        .unwrap_or_default();
    assert!(header.contains("Concordat Cymraeg"), "{header}");
}

#[test]
fn a_translation_takes_the_start_and_venue_it_does_not_write() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let page = site.output_file("cy/events/launch/index.html");
    assert!(page.contains("Riverside Hall"), "{page}");
    assert!(page.contains("2027-03-16T10:00"), "{page}");
    let calendar = site.output_file("cy/events/launch/event.ics");
    let mut parser = ical::IcalParser::new(BufReader::new(calendar.as_bytes()));
    let cal = parser.next().unwrap().unwrap();
    let event = &cal.events[0];
    let prop = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(prop("SUMMARY"), "Lansiad");
    assert!(prop("LOCATION").contains("Riverside Hall"), "{calendar}");
    assert!(prop("DTSTART").starts_with("20270316T10"), "{calendar}");
}

#[test]
fn a_welsh_event_feed_holds_only_welsh_events() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let feed = feed_rs::parser::parse(site.output_file("cy/events/atom.xml").as_bytes()).unwrap();
    let links: Vec<String> = feed
        .entries
        .iter()
        .flat_map(|e| e.links.iter().map(|l| l.href.clone()))
        .collect();
    assert_eq!(links, [format!("{BASE}/cy/events/launch/")]);
}

#[test]
fn the_sitemap_lists_alternates_and_is_valid_xml() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let sitemap = site.output_file("sitemap.xml");
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    assert!(sitemap.contains(&format!(
        r#"<xhtml:link rel="alternate" hreflang="cy" href="{BASE}/cy/amdanom/"/>"#
    )));
    match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg(site.out.join("sitemap.xml"))
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => eprintln!("xmllint is not installed: the sitemap was not validated"),
    }
}

#[test]
fn a_dot_that_is_no_language_is_part_of_the_name() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    assert!(site
        .output_file("report-v2/index.html")
        .contains("Report two"));
}

#[test]
fn a_language_the_site_does_not_list_is_an_error_with_the_file_to_write() {
    let site = bilingual();
    site.write("content/about.fr.md", "---\ntitle: \u{00C0} propos\n---\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "error: content/about.fr.md: \"fr\" is a language that site.yaml does not list"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean about.cy.md?"), "{err}");
    assert!(err.contains("en-GB (the default), cy"), "{err}");
}

#[test]
fn a_language_code_cldr_does_not_know_is_an_error_with_a_suggestion() {
    let site = bilingual();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("  cy:\n", "  wel:\n"));
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:7:3: languages: \"wel\" is not a language code CLDR knows"),
        "{err}"
    );
    assert!(err.contains("did you mean `cy`?"), "{err}");
}

#[test]
fn new_with_lang_writes_a_translation_beside_the_section() {
    let site = bilingual();
    let out = pamphlet()
        .args(["new", "event", "Gweithdy", "--lang", "cy", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.root.join("content/events/gweithdy.cy.md").is_file());
    let out = pamphlet()
        .args(["new", "event", "Atelier", "--lang", "fr", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("its languages are: cy"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn serve_after_editing_and_adding_welsh_pages_equals_a_fresh_build() {
    use pamphlet::{build, BuildOptions, Session};
    let site = bilingual();
    let options = BuildOptions {
        root: site.root.clone(),
        now: Some(common::NOW.into()),
        ..BuildOptions::default()
    };
    let mut session = Session::new(options.clone());
    session.update(&[]).unwrap();
    let same_as_fresh = |session: &Session, what: &str| {
        let served: PathBuf = site.tmp.path().join(format!("served-{what}"));
        let fresh: PathBuf = site.tmp.path().join(format!("fresh-{what}"));
        session.files().write_to(&served).unwrap();
        build(&BuildOptions {
            out: Some(fresh.clone()),
            write: true,
            ..options.clone()
        })
        .unwrap();
        assert_same_tree(&tree(&fresh), &tree(&served), what);
    };
    site.write(
        "content/events/launch.cy.md",
        "---\ntitle: Lansiad mawr\n---\nY lansiad.\n",
    );
    session
        .update(&[Path::new("content/events/launch.cy.md").to_path_buf()])
        .unwrap();
    same_as_fresh(&session, "edited");
    site.write(
        "content/events/workshop.cy.md",
        "---\ntitle: Gweithdy\n---\nYn Gymraeg.\n",
    );
    session
        .update(&[Path::new("content/events/workshop.cy.md").to_path_buf()])
        .unwrap();
    same_as_fresh(&session, "added");
    let list =
        std::fs::read_to_string(site.tmp.path().join("served-added/cy/events/index.html")).unwrap();
    assert!(
        list.contains("Gweithdy") && list.contains("Lansiad mawr"),
        "{list}"
    );
}

/// [`bilingual`] with a blog: a post tagged "policy" and its Welsh translation (which takes
/// its date and tags), an English-only post, and two Welsh-only posts tagged "policy"; a
/// list shows one page at a time, so a term's pages are paginated.
fn bilingual_blog() -> Site {
    let site = bilingual();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}paginate: 1\n"));
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\nkind: post\n---\n",
    );
    site.write(
        "content/blog/2026-01-10-plan.md",
        "---\ntitle: Plan\ntags: [policy]\n---\nThe plan for volunteers.\n",
    );
    site.write(
        "content/blog/2026-01-10-plan.cy.md",
        "---\ntitle: Cynllun\n---\nY cynllun ar gyfer gwirfoddolwyr.\n",
    );
    site.write(
        "content/blog/2026-02-01-english-only.md",
        "---\ntitle: English only\ntags: [policy, health]\n---\nOnly in English.\n",
    );
    site.write(
        "content/blog/2026-03-01-newyddion.cy.md",
        "---\ntitle: Newyddion\ntags: [policy]\n---\nNewyddion gwirfoddolwyr.\n",
    );
    site.write(
        "content/blog/2026-04-01-adroddiad.cy.md",
        "---\ntitle: Adroddiad\ntags: [policy]\n---\nAdroddiad blynyddol.\n",
    );
    site
}

/// The title and address of each entry of a feed of the output, in its order.
fn feed_entries(site: &Site, rel: &str) -> (String, Vec<String>) {
    let feed = feed_rs::parser::parse(site.output_file(rel).as_bytes())
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    let links = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.trim_start_matches(BASE).to_string())
        .collect();
    (feed.title.map(|t| t.content).unwrap_or_default(), links)
}

#[test]
fn each_language_has_its_own_site_feeds() {
    let site = bilingual_blog();
    assert_built(&site.build(&[]));
    let welsh = [
        "/cy/blog/adroddiad/",
        "/cy/blog/newyddion/",
        "/cy/blog/plan/",
    ];
    for feed in ["cy/atom.xml", "cy/rss.xml"] {
        let (title, links) = feed_entries(&site, feed);
        assert_eq!(title, "Concordat Cymraeg", "{feed}");
        assert_eq!(links, welsh, "{feed}");
    }
    for feed in ["atom.xml", "rss.xml"] {
        let (title, links) = feed_entries(&site, feed);
        assert_eq!(title, "Concordat", "{feed}");
        assert_eq!(links, ["/blog/english-only/", "/blog/plan/"], "{feed}");
    }
    // Every Welsh page's head and footer name the Welsh feeds.
    let home = read(&site, "cy/index.html");
    let atom = select(&home, r#"link[type="application/atom+xml"]"#);
    assert_eq!(atom[0].value().attr("href"), Some("/cy/atom.xml"));
}

#[test]
fn each_language_has_its_own_term_pages_and_term_feeds() {
    let site = bilingual_blog();
    assert_built(&site.build(&[]));
    let list = read(&site, "cy/tags/index.html");
    let terms: Vec<&str> = select(&list, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.starts_with("/cy/tags/"))
        .collect();
    assert_eq!(
        terms,
        ["/cy/tags/policy/"],
        "the Welsh pages have no health tag"
    );
    assert_eq!(select(&list, "html")[0].value().attr("lang"), Some("cy"));
    // Three Welsh posts, one a page: the term's list has three pages of Welsh posts only.
    let shown = |rel: &str| -> Vec<String> {
        let html = read(&site, rel);
        select(&html, "main a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| h.contains("/blog/"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(shown("cy/tags/policy/index.html"), ["/cy/blog/adroddiad/"]);
    assert_eq!(
        shown("cy/tags/policy/page/3/index.html"),
        ["/cy/blog/plan/"]
    );
    assert!(!site.out.join("cy/tags/policy/page/4").exists());
    assert!(!site.out.join("cy/tags/health").exists());
    assert_eq!(shown("tags/policy/index.html"), ["/blog/english-only/"]);
    assert!(!site.out.join("tags/policy/page/3").exists());
    let (_, links) = feed_entries(&site, "cy/tags/policy/atom.xml");
    assert_eq!(links.len(), 3);
    assert!(links.iter().all(|l| l.starts_with("/cy/")), "{links:?}");
    let (_, links) = feed_entries(&site, "tags/policy/rss.xml");
    assert_eq!(links, ["/blog/english-only/", "/blog/plan/"]);
    // A Welsh post's tags go to the Welsh term pages, an English one's to the English.
    let post = read(&site, "cy/blog/plan/index.html");
    let tag_links: Vec<&str> = select(&post, "a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.contains("/tags/policy/"))
        .collect();
    assert_eq!(tag_links, ["/cy/tags/policy/"]);
    let post = read(&site, "blog/plan/index.html");
    assert!(select(&post, r#"a[href="/tags/policy/"]"#).len() == 1);
    // The term pages of the two languages are each other's alternates.
    let own = alternates(&read(&site, "cy/tags/policy/index.html"));
    assert_eq!(own.get("en-GB"), Some(&format!("{BASE}/tags/policy/")));
    assert_eq!(own.get("cy"), Some(&format!("{BASE}/cy/tags/policy/")));
}

#[test]
fn each_language_has_its_own_events_calendar() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let summaries = |rel: &str| -> Vec<String> {
        let text = site.output_file(rel);
        let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = parser.next().unwrap().unwrap();
        cal.events
            .iter()
            .flat_map(|e| e.properties.iter().filter(|p| p.name == "SUMMARY"))
            .filter_map(|p| p.value.clone())
            .collect()
    };
    assert_eq!(summaries("cy/events.ics"), ["Lansiad"]);
    assert_eq!(summaries("events.ics"), ["Launch", "Workshop"]);
    let list = read(&site, "cy/events/index.html");
    let calendar = |css: &str| -> Vec<String> {
        select(&list, css)
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(calendar("a[download]"), ["/cy/events.ics"]);
    assert_eq!(
        calendar(r#"a[href^="webcal:"]"#),
        ["webcal://bi.example.org/cy/events.ics"]
    );
}

#[test]
fn each_language_has_its_own_not_found_page() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let lang = |rel: &str| {
        let html = read(&site, rel);
        let lang = select(&html, "html")[0].value().attr("lang");
        lang.map(str::to_string)
    };
    assert_eq!(lang("cy/404.html").as_deref(), Some("cy"));
    assert_eq!(lang("404.html").as_deref(), Some("en-GB"));
    // Each one leads back to its own language's home page.
    let home_link = |rel: &str| {
        let html = read(&site, rel);
        let links: Vec<String> = select(&html, "main a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        links
    };
    assert_eq!(home_link("cy/404.html"), ["/cy/"]);
    assert_eq!(home_link("404.html"), ["/"]);
    let sitemap = site.output_file("sitemap.xml");
    assert!(!sitemap.contains("404"), "{sitemap}");
}

#[test]
fn each_language_has_its_own_search_index_and_page() {
    let site = bilingual_blog();
    assert_built(&site.build(&[]));
    let welsh = Search::at(&site.out, "cy/search");
    // Welsh has no Snowball stemmer: its words are kept whole.
    assert_eq!(welsh.manifest["stemmer"], serde_json::Value::Null);
    assert_eq!(welsh.stems("gwirfoddolwyr"), ["gwirfoddolwyr"]);
    let found: std::collections::BTreeSet<String> = welsh
        .find("gwirfoddolwyr", None, None)
        .into_iter()
        .map(|h| h.url)
        .collect();
    assert_eq!(
        found,
        ["/cy/blog/newyddion/", "/cy/blog/plan/"]
            .map(String::from)
            .into()
    );
    let tagged = welsh.find("gwirfoddolwyr", Some("post"), Some("policy"));
    assert_eq!(tagged.len(), 2);
    let all = welsh.all();
    assert!(all.iter().all(|h| h.url.starts_with("/cy/")), "{all:?}");
    assert!(all.iter().any(|h| h.title == "Lansiad"));
    let tags: Vec<&str> = welsh.manifest["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["slug"].as_str())
        .collect();
    assert_eq!(tags, ["policy"]);
    let english = Search::of(&site.out);
    assert_eq!(english.manifest["stemmer"], "english");
    assert!(english.find("gwirfoddolwyr", None, None).is_empty());
    assert_eq!(english.find("volunteers", None, None)[0].url, "/blog/plan/");
    let all = english.all();
    assert!(all.iter().all(|h| !h.url.starts_with("/cy/")), "{all:?}");
    // The Welsh search page reads the Welsh index: search.js takes it from the form.
    let page = read(&site, "cy/search/index.html");
    let form = select(&page, "form.search");
    assert_eq!(form[0].value().attr("action"), Some("/cy/search/"));
    let footer = read(&site, "cy/amdanom/index.html");
    assert_eq!(select(&footer, r#"footer a[href="/cy/search/"]"#).len(), 1);
    let own = alternates(&page);
    assert_eq!(own.get("en-GB"), Some(&format!("{BASE}/search/")));
}

#[test]
fn the_sitemap_lists_each_languages_term_and_search_pages_with_alternates() {
    let site = bilingual_blog();
    assert_built(&site.build(&[]));
    let sitemap = site.output_file("sitemap.xml");
    for path in [
        "/cy/tags/",
        "/cy/tags/policy/",
        "/cy/tags/policy/page/2/",
        "/cy/search/",
    ] {
        let loc = format!("<loc>{BASE}{path}</loc>");
        assert!(sitemap.contains(&loc), "{loc} missing from {sitemap}");
    }
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains(&format!("<loc>{BASE}/cy/tags/policy/</loc>")))
        .unwrap();
    assert!(entry.contains(&format!(
        r#"<xhtml:link rel="alternate" hreflang="en-GB" href="{BASE}/tags/policy/"/>"#
    )));
    assert!(entry.contains(&format!(
        r#"<xhtml:link rel="alternate" hreflang="x-default" href="{BASE}/tags/policy/"/>"#
    )));
}

#[test]
fn a_welsh_page_speaks_welsh_with_cldr_day_and_month_names() {
    let site = bilingual();
    assert_built(&site.build(&[]));
    let welsh = site.output_file("cy/events/launch/index.html");
    assert!(welsh.contains("<dt>Pryd</dt>"), "Welsh labels: {welsh}");
    assert!(
        welsh.contains("Dydd Mawrth, 16 Mawrth 2027, 10:00 i 16:00 UTC"),
        "a Welsh date: {welsh}"
    );
    assert!(
        welsh.contains("r prif gynnwys</a>"),
        "the skip link: {welsh}"
    );
    assert!(
        welsh.contains(r#"<nav class="languages" aria-label="Ieithoedd">"#),
        "{welsh}"
    );
    let english = site.output_file("events/launch/index.html");
    assert!(english.contains("<dt>When</dt>"), "{english}");
    assert!(
        english.contains("Tuesday, 16 March 2027, 10:00 to 16:00 UTC"),
        "{english}"
    );
}

#[test]
fn a_listed_language_without_strings_is_an_error_naming_the_file_to_add() {
    let site = bilingual();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}  fr:\n    title: Concordat fran\u{00E7}ais\n"),
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("i18n/fr.yaml"), "{err}");
}

/// The `href` of each language in the switcher of a page of the output, by hreflang.
fn switcher(site: &Site, rel: &str) -> BTreeMap<String, String> {
    href_by_language(&read(site, rel), "nav.languages a")
}

/// Pages of a list after the first, and author pages, link their versions like any page:
/// each names itself, and a page of the Welsh list that the English list has too links it.
#[test]
fn every_page_of_a_list_and_an_author_page_link_their_versions() {
    let site = bilingual_blog();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}authors:\n  sean:\n    name: Sean Jones\n"),
    );
    site.write(
        "content/blog/2026-02-01-english-only.md",
        "---\ntitle: English only\nauthors: [sean]\n---\nOnly in English.\n",
    );
    assert_built(&site.build(&[]));
    let url = |path: &str| format!("{BASE}{path}");
    let both = BTreeMap::from([
        ("cy".to_string(), url("/cy/blog/page/2/")),
        ("en-GB".to_string(), url("/blog/page/2/")),
        ("x-default".to_string(), url("/blog/page/2/")),
    ]);
    assert_eq!(alternates(&read(&site, "blog/page/2/index.html")), both);
    assert_eq!(alternates(&read(&site, "cy/blog/page/2/index.html")), both);
    // English has two posts, Welsh three: only Welsh has a third page.
    assert_eq!(
        alternates(&read(&site, "cy/blog/page/3/index.html")),
        BTreeMap::from([("cy".to_string(), url("/cy/blog/page/3/"))])
    );
    let on_page_two = switcher(&site, "blog/page/2/index.html");
    assert_eq!(on_page_two["cy"], "/cy/blog/page/2/");
    assert_eq!(on_page_two["en-GB"], "/blog/page/2/");
    assert_eq!(switcher(&site, "cy/blog/page/3/index.html")["en-GB"], "/");
    let author = BTreeMap::from([
        ("en-GB".to_string(), url("/authors/sean/")),
        ("x-default".to_string(), url("/authors/sean/")),
    ]);
    assert_eq!(alternates(&read(&site, "authors/sean/index.html")), author);
    assert_eq!(
        switcher(&site, "authors/sean/index.html")["en-GB"],
        "/authors/sean/"
    );
}

/// A redirect from an old address of a Welsh page is in Welsh, wherever the old address is.
#[test]
fn a_welsh_pages_redirect_speaks_welsh() {
    let site = bilingual();
    site.write(
        "content/about.cy.md",
        "---\ntitle: Amdanom\nslug: amdanom\naliases: [/hen-amdanom/]\n---\nAmdanom ni.\n",
    );
    assert_built(&site.build(&[]));
    let html = read(&site, "hen-amdanom/index.html");
    assert_eq!(select(&html, "html")[0].value().attr("lang"), Some("cy"));
    let text = site.output_file("hen-amdanom/index.html");
    assert!(
        text.contains("Yn ailgyfeirio i")
            && text.contains("wedi symud i")
            && !text.contains("has moved"),
        "{text}"
    );
    assert!(text.contains("/cy/amdanom/"), "{text}");
}
