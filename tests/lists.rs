//! Lists of pages: taxonomy term pages paginate, site.yaml declares the taxonomies (each with
//! its term pages and feeds, and no link to one it does not declare), and the sitemap lists
//! exactly the pages a build writes.
//!
//! Each test builds a copy of a fixture through the real binary.

mod common;

use std::collections::BTreeSet;

use common::{assert_built, stderr, Site};

/// The `href` of every link of a page.
fn hrefs(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let a = scraper::Selector::parse("a[href], link[href]").expect("a selector");
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// The `href` of the links of a page with `rel`.
fn rel(html: &str, rel: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let a = scraper::Selector::parse(&format!("a[rel={rel}]")).expect("a selector");
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// Appends lines to site.yaml.
fn configure(site: &Site, lines: &str) {
    let path = site.root.join("site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}{lines}")).unwrap();
}

/// `n` posts of the minimal fixture's blog, each with the front matter line `front`.
fn posts(site: &Site, n: usize, front: &str) {
    for i in 1..=n {
        site.write(
            &format!("content/blog/2018-01-{i:02}-post-{i}.md"),
            format!("---\ntitle: Post {i}\n{front}\n---\n\nPost number {i}.\n"),
        );
    }
}

#[test]
fn a_term_with_more_pages_than_a_list_shows_is_paginated_like_a_section() {
    let site = Site::copy("minimal");
    configure(&site, "paginate: 4\n");
    posts(&site, 9, "tags: [many]");
    assert_built(&site.build(&[]));
    let first = site.output_file("tags/many/index.html");
    let second = site.output_file("tags/many/page/2/index.html");
    let third = site.output_file("tags/many/page/3/index.html");
    assert!(!site.out.join("tags/many/page/4").exists());
    assert_eq!(rel(&first, "next"), ["/tags/many/page/2/"]);
    assert_eq!(rel(&second, "prev"), ["/tags/many/"]);
    assert_eq!(rel(&second, "next"), ["/tags/many/page/3/"]);
    assert_eq!(rel(&third, "prev"), ["/tags/many/page/2/"]);
    let listed = |html: &str| {
        hrefs(html)
            .into_iter()
            .filter(|h| h.starts_with("/blog/post-"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        listed(&first),
        [
            "/blog/post-9/",
            "/blog/post-8/",
            "/blog/post-7/",
            "/blog/post-6/"
        ]
    );
    assert_eq!(listed(&third), ["/blog/post-1/"]);
    assert!(third.contains("(page 3)"), "the title says which page");
    let sitemap = site.output_file("sitemap.xml");
    assert!(sitemap.contains("<loc>https://minimal.example.org/tags/many/page/3/</loc>"));
}

#[test]
fn a_declared_taxonomy_has_term_pages_feeds_and_links_from_its_pages() {
    let site = Site::copy("minimal");
    configure(&site, "taxonomies: [tags, topics, target_audiences]\n");
    site.write(
        "content/blog/2017-08-06-x.md",
        "---\ntitle: A first post\ntags: [prevention]\ntopics:\n  - Mental health\n  - Schools\ntarget_audiences: Parents\n---\n\nThe post.\n",
    );
    site.write(
        "content/events/fair.md",
        "---\ntitle: A fair\nstart: 2027-03-14T10:00\nend: 2027-03-14T16:00\nformat: online\ntopics: [Schools]\n---\n\nA fair.\n",
    );
    assert_built(&site.build(&[]));
    let list = site.output_file("topics/index.html");
    assert!(list.contains("<h1>Topics</h1>"), "{list}");
    for term in ["/topics/mental-health/", "/topics/schools/"] {
        assert!(hrefs(&list).contains(&term.to_string()), "{term} in {list}");
    }
    let schools = site.output_file("topics/schools/index.html");
    let listed = hrefs(&schools);
    for page in ["/blog/x/", "/events/fair/"] {
        assert!(listed.contains(&page.to_string()), "{page}: {listed:?}");
    }
    assert!(
        listed.contains(&"/topics/".to_string()),
        "the breadcrumbs lead back"
    );
    for file in ["topics/schools/atom.xml", "topics/schools/rss.xml"] {
        let xml = site.output_file(file);
        let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let titles: Vec<String> = feed
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        assert_eq!(titles, ["A first post"], "{file}: the posts of the term");
    }
    let audiences = site.output_file("target_audiences/parents/index.html");
    assert!(
        audiences.contains("Target audiences: Parents"),
        "{audiences}"
    );
    let post = site.output_file("blog/x/index.html");
    for link in [
        "/tags/prevention/",
        "/topics/mental-health/",
        "/topics/schools/",
        "/target_audiences/parents/",
    ] {
        assert!(
            hrefs(&post).contains(&link.to_string()),
            "{link} on the post"
        );
    }
    let home = hrefs(&site.output_file("index.html"));
    for taxonomy in ["/tags/", "/topics/", "/target_audiences/"] {
        assert!(home.contains(&taxonomy.to_string()), "{taxonomy}: {home:?}");
    }
}

#[test]
fn a_field_of_an_undeclared_taxonomy_is_an_error_at_its_line() {
    let site = Site::copy("minimal");
    site.write(
        "content/blog/2017-08-06-x.md",
        "---\ntitle: A first post\ntags: [prevention]\ntopics: [schools]\n---\n\nThe post.\n",
    );
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "error: content/blog/2017-08-06-x.md:4:1: unknown field `topics`: site.yaml declares no taxonomy `topics`"
        ),
        "{err}"
    );
    assert!(
        err.contains("hint: did you mean `tags`? Or, to classify pages by topics, add it to site.yaml: `taxonomies: [tags, topics]`"),
        "{err}"
    );
    configure(&site, "taxonomies: [tags, topics]\n");
    site.write(
        "content/about.md",
        "---\ntitle: About\ntopcs: [schools]\n---\n\nAbout.\n",
    );
    let err = stderr(&site.build(&[]));
    assert!(
        err.contains("content/about.md:3:1: unknown field `topcs`")
            && err.contains("did you mean `topics`?"),
        "{err}"
    );
    assert!(
        !err.contains("2017-08-06-x.md"),
        "topics are declared now:\n{err}"
    );
}

#[test]
fn with_no_taxonomy_tags_are_an_error_and_nothing_links_to_a_tag_page() {
    let site = Site::copy("minimal");
    configure(&site, "taxonomies: []\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/blog/2017-08-06-x.md:3:1: unknown field `tags`: site.yaml declares no taxonomy `tags`")
            && err.contains("`taxonomies: [tags]`"),
        "{err}"
    );
    site.write(
        "content/blog/2017-08-06-x.md",
        "---\ntitle: A first post\n---\n\nThe post.\n",
    );
    assert_built(&site.build(&[]));
    assert!(!site.out.join("tags").exists());
    for (path, bytes) in common::tree(&site.out) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            let to_tags: Vec<String> = hrefs(&html)
                .into_iter()
                .filter(|h| h.contains("/tags"))
                .collect();
            assert!(to_tags.is_empty(), "{path} links {to_tags:?}");
        }
    }
}

#[test]
fn a_taxonomy_name_that_cannot_be_a_field_and_a_folder_is_an_error_in_site_yaml() {
    let site = Site::copy("minimal");
    configure(&site, "taxonomies: [tags, Topics, authors, tags]\n");
    let err = stderr(&site.build(&[]));
    for message in [
        "site.yaml:5:20: taxonomies: \"Topics\" cannot name a taxonomy",
        "site.yaml:5:28: taxonomies: \"authors\" is a front-matter field already",
        "site.yaml:5:37: taxonomies: \"tags\" is declared twice",
    ] {
        assert!(err.contains(message), "{message} in:\n{err}");
    }
}

/// The site path of every HTML page of an output folder (`/blog/x/` for
/// `blog/x/index.html`).
fn html_pages(site: &Site) -> BTreeSet<String> {
    common::tree(&site.out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .map(|p| match p.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{p}"),
        })
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_written_but_the_not_found_page_and_redirects() {
    let site = Site::copy("features");
    configure(&site, "paginate: 2\n");
    let post = site
        .root
        .join("content/blog/2017-08-06-concordat-published.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text.replacen(
            "---\n",
            "---\naliases: [/old/published/, /2017/published.html]\n",
            1,
        ),
    )
    .unwrap();
    assert_built(&site.build(&[]));
    let sitemap = site.output_file("sitemap.xml");
    let listed: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(|loc| {
            loc.strip_prefix("https://features.example.org")
                .unwrap_or_else(|| panic!("{loc} is not a page of the site"))
                .to_string()
        })
        .collect();
    let mut written = html_pages(&site);
    for not_a_page in ["/404.html", "/old/published/", "/2017/published.html"] {
        assert!(written.remove(not_a_page), "{not_a_page} is written");
    }
    for kind in [
        "/tags/",
        "/authors/sean/",
        "/blog/page/2/",
        "/search/",
        "/concordat/all/",
    ] {
        assert!(listed.contains(kind), "{kind} in the sitemap");
    }
    assert_eq!(listed, written, "the sitemap and the pages written");
}

#[test]
fn the_new_lists_and_feeds_keep_their_addresses_to_themselves() {
    let site = Site::copy("minimal");
    configure(&site, "paginate: 1\n");
    posts(
        &site,
        2,
        "tags: [prevention]\naliases: [/blog/rss.xml, /tags/prevention/page/2/]",
    );
    let err = stderr(&site.build(&[]));
    for message in [
        "the URL /blog/rss.xml is also written by the feed of content/blog/_index.md",
        "the URL /tags/prevention/page/2/ is also written by page 2 of the tag page for \"prevention\"",
    ] {
        assert!(err.contains(message), "{message} in:\n{err}");
    }
}
