//! What real clients find in the output: the links a mail client follows, the headings and
//! images an HTML validator and a browser check, the text a feed reader shows.
//!
//! Each test builds a small site (a copy of `tests/fixtures/minimal`, with the files it needs
//! written in) through the real binary and reads the files it wrote; the whole-site checks walk
//! every HTML file of the example site at the repository root and of the features fixture,
//! parsed with a real HTML parser.

mod common;

use common::{assert_built, Site};

/// A post of the minimal fixture, rewritten with `body` (and `front` lines of front matter).
fn post(site: &Site, front: &str, body: &str) {
    site.write(
        "content/blog/2017-08-06-x.md",
        format!("---\ntitle: A first post\ntags: [prevention]\n{front}---\n\n{body}"),
    );
}

/// The `href` of every link in `html`.
fn hrefs(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    let a = scraper::Selector::parse("a[href]").expect("a selector");
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

#[test]
fn email_autolinks_are_mailto_links_in_pages_lists_and_feeds() {
    let site = Site::copy("minimal");
    post(
        &site,
        "",
        "Write to <foo@bar.example.com> or <foo+special@Bar.baz-bar0.com>.\n",
    );
    assert_built(&site.build(&[]));
    let expected = [
        "mailto:foo@bar.example.com",
        "mailto:foo+special@Bar.baz-bar0.com",
    ];
    let page = site.output_file("blog/x/index.html");
    for (what, html) in [
        ("the page", page.as_str()),
        ("the blog list", &site.output_file("blog/index.html")),
        (
            "the tag page",
            &site.output_file("tags/prevention/index.html"),
        ),
    ] {
        let links = hrefs(html);
        for want in expected {
            assert!(links.iter().any(|h| h == want), "{what}: {links:?}");
        }
        assert!(!html.contains("mailto:/"), "{what}");
    }
    assert!(page.contains("<a href=\"mailto:foo@bar.example.com\">foo@bar.example.com</a>"));
    let content = first_feed_entry(&site);
    assert_eq!(hrefs(&content), expected, "the feed's links: {content}");
}

#[test]
fn shortcodes_in_indented_code_are_shown_as_written() {
    let site = Site::copy("minimal");
    site.write(
        "templates/shortcodes/shout.html",
        "<strong>{{ text }}</strong>",
    );
    post(
        &site,
        "",
        concat!(
            "How to embed a video:\n\n",
            "    {{ video(provider=\"youtube\", id=\"abc\", title=\"A talk\") }}\n",
            "    {{ no_such_shortcode() }}\n\n",
            "A paragraph goes on\n",
            "    {{ shout(text=\"lazily\") }}\n\n",
            "- A list item\n\n",
            "    {{ shout(text=\"in the item\") }}\n",
        ),
    );
    assert_built(&site.build(&[]));
    let page = site.output_file("blog/x/index.html");
    let code = "<pre class=\"code\"><code>{{ video(provider=&quot;youtube&quot;, id=&quot;abc&quot;, title=&quot;A talk&quot;) }}\n{{ no_such_shortcode() }}\n</code></pre>";
    assert!(page.contains(code), "{page}");
    assert!(!page.contains("video-player"), "the video was rendered");
    assert!(page.contains("<strong>lazily</strong>"), "{page}");
    assert!(page.contains("<strong>in the item</strong>"), "{page}");
}

/// The example site at the repository root and the features fixture, each built once.
fn built_sites() -> &'static [(String, common::Tree)] {
    static SITES: std::sync::OnceLock<Vec<(String, common::Tree)>> = std::sync::OnceLock::new();
    SITES.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        [
            ("the example site", common::repo()),
            ("the features fixture", common::fixture("features")),
        ]
        .into_iter()
        .enumerate()
        .map(|(n, (name, root))| {
            let out = tmp.path().join(n.to_string());
            assert_built(&common::build(&root, &out, &[]));
            (name.to_string(), common::tree(&out))
        })
        .collect()
    })
}

/// Every HTML file of the built sites: which site, its path and the parsed document.
fn html_files() -> impl Iterator<Item = (&'static str, &'static str, scraper::Html)> {
    built_sites().iter().flat_map(|(site, files)| {
        files
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .map(move |(path, bytes)| {
                let text = std::str::from_utf8(bytes).expect("HTML is UTF-8");
                (
                    site.as_str(),
                    path.as_str(),
                    scraper::Html::parse_document(text),
                )
            })
    })
}

#[test]
fn no_page_skips_a_heading_level() {
    let headings = scraper::Selector::parse("h1, h2, h3, h4, h5, h6").expect("a selector");
    let mut skips = Vec::new();
    for (site, path, doc) in html_files() {
        let mut previous = 0;
        for h in doc.select(&headings) {
            let level: usize = h.value().name()[1..].parse().expect("h1 to h6");
            if level > previous + 1 {
                let text: String = h.text().collect();
                skips.push(format!(
                    "{site}: {path}: h{previous} then h{level} \"{}\"",
                    text.trim()
                ));
            }
            previous = level;
        }
    }
    assert!(
        skips.is_empty(),
        "headings skip a level:\n{}",
        skips.join("\n")
    );
}

#[test]
fn the_whole_document_puts_chapter_headings_below_chapter_titles() {
    let site = Site::copy("minimal");
    site.write(
        "content/concordat/01-x.md",
        "---\ntitle: Introduction\nnumber: 1\n---\n\n## Why it matters\n\n### In short\n\nPrevention matters.\n",
    );
    assert_built(&site.build(&[]));
    let doc = scraper::Html::parse_document(&site.output_file("concordat/all/index.html"));
    let chapter = scraper::Selector::parse("section.chapter").expect("a selector");
    let headings = scraper::Selector::parse("h1, h2, h3, h4, h5, h6").expect("a selector");
    let outline: Vec<Vec<(String, String)>> = doc
        .select(&chapter)
        .map(|c| {
            c.select(&headings)
                .map(|h| {
                    let text: String = h.text().take(2).collect();
                    (h.value().name().to_string(), text.trim().to_string())
                })
                .collect()
        })
        .collect();
    let pair = |h: &str, t: &str| (h.to_string(), t.to_string());
    assert_eq!(
        outline,
        [
            vec![
                pair("h2", "1 Introduction"),
                pair("h3", "1.1 Why it matters"),
                pair("h4", "1.1.1 In short"),
            ],
            vec![
                pair("h2", "2 Commitments"),
                pair("h3", "2.1 What we commit to")
            ],
        ]
    );
    let chapter_page = site.output_file("concordat/01-x/index.html");
    assert!(
        chapter_page.contains("<h2 id=\"why-it-matters\">"),
        "{chapter_page}"
    );
}

/// The content of the first entry of `atom.xml`, as a feed reader gets it.
fn first_feed_entry(site: &Site) -> String {
    let feed = site.output_file("atom.xml");
    let feed = feed_rs::parser::parse(feed.as_bytes()).expect("a valid feed");
    feed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("the entry has content")
}

#[test]
fn feed_entries_carry_headings_without_their_anchor_links() {
    let site = Site::copy("minimal");
    post(
        &site,
        "",
        "Opening words.\n\n<!-- more -->\n\n## What we heard\n\nMany things.\n",
    );
    assert_built(&site.build(&[]));
    let page = site.output_file("blog/x/index.html");
    assert!(page.contains("Link to this section: What we heard"));
    let content = first_feed_entry(&site);
    let doc = scraper::Html::parse_fragment(&content);
    let h2 = scraper::Selector::parse("h2").expect("a selector");
    let headings: Vec<String> = doc.select(&h2).map(|h| h.text().collect()).collect();
    assert_eq!(headings, ["What we heard"], "{content}");
    assert!(!content.contains("heading-anchor"), "{content}");
}

#[test]
fn a_written_summary_is_markdown_in_lists_and_plain_text_elsewhere() {
    let site = Site::copy("minimal");
    post(
        &site,
        "summary: \"A **bold** start, see [the introduction](@/concordat/01-x.md)\"\n",
        "The body.\n",
    );
    assert_built(&site.build(&[]));
    let plain = "A bold start, see the introduction";
    for list in [
        "blog/index.html",
        "tags/prevention/index.html",
        "index.html",
    ] {
        let doc = scraper::Html::parse_document(&site.output_file(list));
        let summary = scraper::Selector::parse(".card-post .summary").expect("a selector");
        let summary = doc.select(&summary).next().expect("the post is listed");
        let text: String = summary.text().collect();
        assert_eq!(text.trim(), plain, "{list}");
        assert!(
            summary.inner_html().contains("<strong>bold</strong>"),
            "{list}: {}",
            summary.inner_html()
        );
        assert_eq!(hrefs(&summary.inner_html()), ["/concordat/01-x/"], "{list}");
    }
    let page = scraper::Html::parse_document(&site.output_file("blog/x/index.html"));
    let meta = scraper::Selector::parse("meta[name=description]").expect("a selector");
    let description = page
        .select(&meta)
        .next()
        .and_then(|m| m.value().attr("content"));
    assert_eq!(description, Some(plain));
    let feed = site.output_file("atom.xml");
    let feed = feed_rs::parser::parse(feed.as_bytes()).expect("a valid feed");
    let summary = feed.entries[0].summary.as_ref().map(|s| s.content.as_str());
    assert_eq!(summary, Some(plain));
    let result = std::fs::read_dir(site.out.join("search/pages"))
        .expect("the search index")
        .map(|f| std::fs::read_to_string(f.expect("a file").path()).expect("text"))
        .map(|text| serde_json::from_str::<serde_json::Value>(&text).expect("JSON"))
        .find(|r| r["url"] == "/blog/x/")
        .expect("the post is in the search index");
    assert_eq!(result["text"], format!("{plain} The body."));
}

#[test]
fn every_image_of_the_example_site_has_a_width_and_a_height() {
    let img = scraper::Selector::parse("img").expect("a selector");
    let (site, files) = &built_sites()[0];
    let mut seen = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).expect("UTF-8"));
        for image in doc.select(&img) {
            seen += 1;
            let number = |name| image.value().attr(name).and_then(|v| v.parse::<u32>().ok());
            assert!(
                number("width").is_some() && number("height").is_some(),
                "{site}: {path}: {:?}",
                image.value()
            );
        }
    }
    assert!(
        seen > 1,
        "{site} shows images (the logo on every page, a chart)"
    );
}

/// A `width` × `height` PNG of one colour (a real one: the build decodes it to resize it).
fn png(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let pixels = vec![200u8; (width * height * 3) as usize];
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
        .expect("a PNG");
    bytes
}

/// Every `<img>` inside `selector` of an HTML file: its `src`, `width`, `height` and `loading`.
fn images_in(html: &str, selector: &str) -> Vec<[Option<String>; 4]> {
    let doc = scraper::Html::parse_document(html);
    let scope = scraper::Selector::parse(selector).expect("a selector");
    let img = scraper::Selector::parse("img").expect("a selector");
    doc.select(&scope)
        .flat_map(|s| s.select(&img).collect::<Vec<_>>())
        .map(|i| {
            ["src", "width", "height", "loading"].map(|a| i.value().attr(a).map(str::to_string))
        })
        .collect()
}

fn image(src: &str, width: u32, height: u32, lazy: bool) -> [Option<String>; 4] {
    [
        Some(src.to_string()),
        Some(width.to_string()),
        Some(height.to_string()),
        lazy.then(|| "lazy".to_string()),
    ]
}

#[test]
fn images_in_content_get_their_files_size_and_all_but_the_first_load_lazily() {
    let site = Site::copy("minimal");
    std::fs::remove_file(site.root.join("content/blog/2017-08-06-x.md")).expect("remove");
    site.write(
        "content/blog/2017-08-06-x/index.md",
        concat!(
            "---\ntitle: A first post\ntags: [prevention]\n---\n\n",
            "Opening words.\n\n",
            "![A photo of the launch](launch.png)\n\n",
            "{{ figure(src=\"/charts/sign-ups.svg\", alt=\"Sign-ups by month\") }}\n\n",
            "{{ figure(src=\"launch.png\", alt=\"The launch again, smaller\", width=300) }}\n\n",
            "![The map](/maps/area.png)\n",
        ),
    );
    site.write("content/blog/2017-08-06-x/launch.png", png(1200, 800));
    site.write(
        "static/charts/sign-ups.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"></svg>",
    );
    site.write("content/maps/area.png", png(500, 250));
    assert_built(&site.build(&[]));
    assert_eq!(
        images_in(&site.output_file("blog/x/index.html"), ".prose"),
        [
            image("/blog/x/launch.png", 1200, 800, false),
            image("/charts/sign-ups.svg", 640, 360, true),
            image("/blog/x/launch.png", 300, 200, true),
            image("/maps/area.png", 500, 250, true),
        ]
    );
}

#[test]
fn a_figure_in_the_first_paragraph_shows_in_lists_and_feeds() {
    let site = Site::copy("minimal");
    std::fs::remove_file(site.root.join("content/blog/2017-08-06-x.md")).expect("remove");
    site.write(
        "content/blog/2017-08-06-x/index.md",
        concat!(
            "---\ntitle: A first post\ntags: [prevention]\n---\n\n",
            "{{ figure(src=\"chart.png\", alt=\"Attendance by event\") }}\n\n",
            "What the chart shows.\n",
        ),
    );
    site.write("content/blog/2017-08-06-x/chart.png", png(480, 280));
    assert_built(&site.build(&[]));
    let listed = image("/blog/x/chart.png", 480, 280, true);
    for list in [
        "blog/index.html",
        "index.html",
        "tags/prevention/index.html",
    ] {
        let html = site.output_file(list);
        assert_eq!(
            images_in(&html, ".card-post .summary"),
            std::slice::from_ref(&listed),
            "{list}"
        );
    }
    assert!(site.out.join("blog/x/chart.png").is_file());
    let content = first_feed_entry(&site);
    let doc = scraper::Html::parse_fragment(&content);
    let img = scraper::Selector::parse("img").expect("a selector");
    let srcs: Vec<&str> = doc
        .select(&img)
        .filter_map(|i| i.value().attr("src"))
        .collect();
    assert_eq!(srcs, ["/blog/x/chart.png"], "{content}");
}

#[test]
fn every_link_of_the_example_site_into_the_site_names_a_written_file() {
    let (site, files) = &built_sites()[0];
    let base = "https://concordat.example.org";
    let linked = scraper::Selector::parse("[href], [src], [poster], [action]").expect("a selector");
    let mut dangling = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).expect("UTF-8"));
        for element in doc.select(&linked) {
            for name in ["href", "src", "poster", "action"] {
                let Some(url) = element.value().attr(name) else {
                    continue;
                };
                let url = url.strip_prefix(base).unwrap_or(url);
                let Some(target) = url.strip_prefix('/').filter(|u| !u.starts_with('/')) else {
                    continue;
                };
                let target = target.split(['#', '?']).next().unwrap_or_default();
                let written = files.contains_key(target)
                    || files.contains_key(&format!("{target}index.html"))
                    || files.contains_key(&format!("{target}/index.html"));
                if !written {
                    dangling.push(format!("{path}: {name}=\"{url}\""));
                }
            }
        }
    }
    dangling.dedup();
    assert!(
        dangling.is_empty(),
        "{site} links to files it does not write:\n{}",
        dangling.join("\n")
    );
}
