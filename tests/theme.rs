//! The default theme through the CLI: branding from site.yaml, fingerprinted assets,
//! highlighting CSS only where there is code, social tags, and site overrides.

mod common;

use common::{assert_built, stderr, Site};

const SITE: &str = "title: Minimal Test Site\nbase_url: https://minimal.example.org\nlanguage: en-GB\ntimezone: Europe/London\n";

fn with_options(options: &str) -> Site {
    let site = Site::copy("minimal");
    site.write("site.yaml", format!("{SITE}theme_options:\n{options}"));
    site
}

#[test]
fn brand_colours_become_css_custom_properties() {
    let site = with_options("  brand_colour: \"#1d4f91\"\n  footer: Run by the test team\n");
    assert_built(&site.build(&[]));
    let home = site.output_file("index.html");
    assert!(home.contains("--brand: #1d4f91;"), "{home}");
    assert!(home.contains("Run by the test team"));
    assert!(home.contains("<html lang=\"en-GB\">"));
}

#[test]
fn a_colour_white_text_cannot_be_read_on_is_refused() {
    let site = with_options("  brand_colour: \"#ffdd00\"\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:6:17: brand_colour: #ffdd00 is too light"),
        "{err}"
    );
    assert!(err.contains("4.5:1"), "{err}");
}

#[test]
fn an_option_the_theme_does_not_declare_is_refused_with_a_hint() {
    let site = with_options("  brand_color: \"#1d4f91\"\n");
    let out = site.build(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:6:16: theme_options: `brand_color` is not an option of this theme"),
        "{err}"
    );
    assert!(err.contains("did you mean `brand_colour`?"), "{err}");
}

#[test]
fn stylesheets_are_fingerprinted_and_highlighting_loads_only_with_code() {
    let site = Site::copy("minimal");
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\n```rust\nfn main() {}\n```\n",
    );
    assert_built(&site.build(&[]));
    let home = site.output_file("index.html");
    let href = home
        .split("href=\"/style.")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a fingerprinted stylesheet");
    assert_eq!(href.len(), "01234567.css".len(), "{href}");
    assert!(site.out.join(format!("style.{href}")).is_file());
    assert!(
        !home.contains("highlight."),
        "a page without code loads no highlighting CSS"
    );
    let code = site.output_file("code/index.html");
    assert!(code.contains("href=\"/highlight."), "{code}");
    assert!(code.contains("class=\"hl-"), "{code}");
}

#[test]
fn pages_carry_canonical_and_social_tags_with_absolute_urls() {
    let site = Site::copy("minimal");
    site.write(
        "content/about.md",
        "---\ntitle: About us\nsummary: Who we are.\nimage: /card.png\n---\nHello.\n",
    );
    assert_built(&site.build(&[]));
    let about = site.output_file("about/index.html");
    for tag in [
        "<link rel=\"canonical\" href=\"https://minimal.example.org/about/\">",
        "<meta property=\"og:title\" content=\"About us\">",
        "<meta property=\"og:image\" content=\"https://minimal.example.org/card.png\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<meta name=\"description\" content=\"Who we are.\">",
        "<link rel=\"alternate\" type=\"application/atom+xml\"",
    ] {
        assert!(about.contains(tag), "missing {tag}");
    }
}

#[test]
fn site_templates_override_the_theme_by_path() {
    let site = Site::copy("minimal");
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><title>Lost</title><p>Our own 404</p>",
    );
    assert_built(&site.build(&[]));
    assert!(site.output_file("404.html").contains("Our own 404"));
    assert!(
        site.output_file("index.html").contains("skip-link"),
        "other pages keep the theme"
    );
}

/// The site's feed, read by an independent parser.
fn read_feed(site: &Site, rel: &str) -> feed_rs::model::Feed {
    let xml = site.output_file(rel);
    feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("{rel} is not a valid feed ({e}):\n{xml}"))
}

/// The minimal site on its own copy of the default theme, `themes/mine`.
fn with_own_theme() -> Site {
    let site = Site::copy("minimal");
    common::copy_dir(
        &common::repo().join("themes/default"),
        &site.root.join("themes/mine"),
    );
    site.write("site.yaml", format!("{SITE}theme: mine\n"));
    site
}

const POST: &str = "content/blog/2017-08-06-x.md";

#[test]
fn a_site_robots_txt_template_replaces_the_built_in_one() {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    assert_eq!(
        site.output_file("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://minimal.example.org/sitemap.xml\n"
    );
    site.write(
        "templates/robots.txt",
        "User-agent: *\nDisallow: /drafts/\nSitemap: {{ sitemap_url }}\n",
    );
    assert_built(&site.build(&[]));
    assert_eq!(
        site.output_file("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\nSitemap: https://minimal.example.org/sitemap.xml\n"
    );
}

#[test]
fn site_templates_replace_the_sitemap_and_the_alias_page() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: A first post\naliases: [/old-post/]\n---\nBody.\n",
    );
    site.write(
        "templates/alias.html",
        "<!DOCTYPE html><title>Moved</title><p>Gone to <a href=\"{{ url }}\">the new page</a></p>",
    );
    site.write(
        "templates/sitemap.xml",
        "<urlset>{% for e in entries %}<loc>{{ e.permalink }}</loc>{% endfor %}</urlset>\n",
    );
    assert_built(&site.build(&[]));
    assert_eq!(
        site.output_file("old-post/index.html"),
        "<!DOCTYPE html><title>Moved</title><p>Gone to <a href=\"https://minimal.example.org/blog/x/\">the new page</a></p>"
    );
    let sitemap = site.output_file("sitemap.xml");
    assert!(
        sitemap.starts_with("<urlset><loc>https://minimal.example.org/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://minimal.example.org/blog/x/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_theme_atom_xml_changes_every_feed() {
    let site = with_own_theme();
    site.write(
        "themes/mine/templates/atom.xml",
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{{ feed.title }} (from the theme)</title>
  <id>{{ feed.permalink }}</id>
  <updated>{{ feed.updated }}</updated>
  <rights>Open Government Licence</rights>
{%- for entry in feed.entries %}
  <entry>
    <title>{{ entry.title }}</title>
    <id>{{ entry.permalink }}</id>
    <updated>{{ entry.updated }}</updated>
    <content type="html">{{ entry.content }}</content>
  </entry>
{%- endfor %}
</feed>
"#,
    );
    assert_built(&site.build(&[]));
    for rel in ["atom.xml", "tags/prevention/atom.xml"] {
        let feed = read_feed(&site, rel);
        let title = feed.title.map(|t| t.content).unwrap_or_default();
        assert!(title.ends_with("(from the theme)"), "{rel}: {title}");
        assert_eq!(
            feed.rights.map(|r| r.content).as_deref(),
            Some("Open Government Licence"),
            "{rel}"
        );
        assert_eq!(feed.entries.len(), 1, "{rel}");
    }
}

#[test]
fn a_theme_without_the_site_file_templates_gets_the_built_in_ones() {
    let default = Site::copy("minimal");
    assert_built(&default.build(&[]));
    let site = with_own_theme();
    for name in ["atom.xml", "sitemap.xml", "robots.txt", "alias.html"] {
        std::fs::remove_file(site.root.join("themes/mine/templates").join(name)).unwrap();
    }
    assert_built(&site.build(&[]));
    for rel in [
        "atom.xml",
        "tags/prevention/atom.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert_eq!(site.output_file(rel), default.output_file(rel), "{rel}");
    }
}

#[test]
fn feeds_hold_titles_and_content_escaped_exactly_once() {
    let site = Site::copy("minimal");
    site.write(
        POST,
        "---\ntitle: \"Fish & chips <3\"\ntags: [prevention]\n---\nSalt & vinegar, **crisp**.\n\n```\nif a < b { 'x' }\n```\n",
    );
    assert_built(&site.build(&[]));
    let page = site.output_file("blog/x/index.html");
    let feed = read_feed(&site, "atom.xml");
    let entry = &feed.entries[0];
    assert_eq!(
        entry.title.as_ref().map(|t| t.content.as_str()),
        Some("Fish & chips <3")
    );
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .expect("the entry has its content");
    assert!(
        html.contains("<p>Salt &amp; vinegar, <strong>crisp</strong>.</p>"),
        "the entry's HTML, unescaped once by the reader, is the page's HTML:\n{html}"
    );
    assert!(html.contains("a &lt; b"), "{html}");
    assert!(page.contains("<p>Salt &amp; vinegar, <strong>crisp</strong>.</p>"));
}

// ---------------------------------------------------------------------------------------------
// The campaign theme: hero, cards, events, videos, chapters, headings (issue 13)
// ---------------------------------------------------------------------------------------------

/// A small drawn picture, encoded as PNG: what the image pipeline is given.
fn png(width: u32, height: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            pixels.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn page(site: &Site, rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&site.output_file(rel))
}

fn select<'a>(html: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector).collect()
}

fn text_of(element: &scraper::ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const HERO_HOME: &str = "---\ntitle: Minimal Test Site\nsummary: Stop problems before they start.\nhero:\n  image: /images/hero.png\n  alt: A sun rising over green hills\n  cta: { label: Read the Concordat, url: \"@/concordat/_index.md\" }\n---\n\nWelcome.\n";

#[test]
fn a_hero_shows_its_picture_first_with_its_size_and_its_call_to_action_as_a_button() {
    let site = Site::copy("minimal");
    site.write("static/images/hero.png", png(1600, 800));
    site.write("content/_index.md", HERO_HOME);
    assert_built(&site.build(&[]));
    let home = page(&site, "index.html");
    let h1 = select(&home, ".hero h1");
    assert_eq!(h1.len(), 1, "the page's one heading is in the hero");
    assert_eq!(text_of(&h1[0]), "Minimal Test Site");
    let lede = select(&home, ".hero .hero-lede");
    assert_eq!(text_of(&lede[0]), "Stop problems before they start.");
    let button = select(&home, ".hero a.button");
    assert_eq!(button.len(), 1);
    assert_eq!(button[0].value().attr("href"), Some("/concordat/"));
    assert_eq!(text_of(&button[0]), "Read the Concordat");
    let img = select(&home, ".hero-image picture img");
    assert_eq!(
        img.len(),
        1,
        "the hero's picture goes through the image pipeline"
    );
    let img = img[0].value();
    assert_eq!(img.attr("alt"), Some("A sun rising over green hills"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1600"), Some("800"))
    );
    assert_eq!(
        img.attr("loading"),
        None,
        "the first picture of the page is not lazy"
    );
    assert!(
        img.attr("srcset").is_some_and(|s| s.contains(" 480w")),
        "{img:?}"
    );
    let webp = select(&home, ".hero-image picture source[type=\"image/webp\"]");
    assert_eq!(webp.len(), 1);
}

#[test]
fn a_section_without_a_hero_has_a_plain_heading() {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    let home = page(&site, "index.html");
    assert!(select(&home, ".hero").is_empty());
    assert_eq!(select(&home, "main h1").len(), 1);
}

#[test]
fn a_wrong_hero_is_an_error_at_its_line() {
    let cases = [
        (
            "---\ntitle: Home\nhero:\n  image: /images/hero.png\n---\n",
            "content/_index.md:4:",
            "hero.alt: the hero image has no text alternative",
        ),
        (
            "---\ntitle: Home\nhero:\n  image: [a, b]\n  alt: Hills\n---\n",
            "content/_index.md:4:10:",
            "image: expected text",
        ),
        (
            "---\ntitle: Home\nhero:\n  picture: /images/hero.png\n---\n",
            "content/_index.md:4:",
            "picture",
        ),
        (
            "---\ntitle: Home\nhero:\n  cta:\n    label: Go\n    url: \"@/nowhere.md\"\n---\n",
            "content/_index.md:6:",
            "hero.cta.url: @/nowhere.md does not exist",
        ),
        (
            "---\ntitle: Home\nhero:\n  cta:\n    label: Go\n    url: \"javascript:alert(1)\"\n---\n",
            "content/_index.md:6:",
            "hero.cta.url: a script is not a link",
        ),
    ];
    for (text, at, what) in cases {
        let site = Site::copy("minimal");
        site.write("static/images/hero.png", png(800, 400));
        site.write("content/_index.md", text);
        let out = site.build(&[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "built:\n{text}\n{err}");
        let line = err
            .lines()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_default();
        assert!(
            line.contains(at) && line.contains(what),
            "{at} {what}:\n{err}"
        );
        assert!(err.contains("hint:"), "{err}");
    }
}

#[test]
fn the_hero_is_a_field_of_the_section_schema_and_of_the_cms() {
    let site = Site::copy("minimal");
    let schema_out = site.tmp.path().join("schema");
    let out = common::pamphlet()
        .args(["schema", "--root"])
        .arg(&site.root)
        .arg("--out")
        .arg(&schema_out)
        .output()
        .unwrap();
    assert_built(&out);
    let section = std::fs::read_to_string(schema_out.join("section.schema.json")).unwrap();
    let section: serde_json::Value = serde_json::from_str(&section).unwrap();
    assert_eq!(
        section["properties"]["hero"]["anyOf"][0]["$ref"],
        "#/$defs/RawHero"
    );
    let hero = &section["$defs"]["RawHero"];
    for field in ["image", "alt", "cta"] {
        assert!(hero["properties"][field].is_object(), "{field}: {hero}");
    }
    assert_eq!(hero["additionalProperties"], false);
    let cta = &section["$defs"]["RawCta"];
    assert_eq!(cta["required"], serde_json::json!(["label", "url"]));
    let cms_out = site.tmp.path().join("cms");
    let out = common::pamphlet()
        .args(["cms", "--root"])
        .arg(&site.root)
        .arg("--out")
        .arg(&cms_out)
        .output()
        .unwrap();
    assert_built(&out);
    let cms = std::fs::read_to_string(cms_out.join("config.yml")).unwrap();
    for expected in ["name: hero", "widget: object", "name: cta", "name: alt"] {
        assert!(cms.contains(expected), "{expected}:\n{cms}");
    }
}

/// The minimal site with events at the fixed `--now` (24 November 2026): one open for
/// registration, one cancelled, one past, and one in New York.
fn events_site() -> Site {
    let site = Site::copy("minimal");
    site.write(
        "content/events/open.md",
        "---\ntitle: An open conference\nstart: 2027-03-16T09:30\nend: 2027-03-16T17:00\nformat: hybrid\nvenue: { name: The Hall, address: 1 High Street }\nonline: { platform: Zoom, url: \"https://zoom.example.org/j/1\" }\nregistration: { url: \"https://tickets.example.org/open\", capacity: 200 }\n---\n\nCome.\n",
    );
    site.write(
        "content/events/cancelled.md",
        "---\ntitle: A cancelled talk\nstart: 2027-04-01T10:00\nformat: online\nonline: { platform: Teams }\nstatus: cancelled\nregistration: { url: \"https://tickets.example.org/cancelled\" }\n---\n\nNo more.\n",
    );
    site.write(
        "content/events/past.md",
        "---\ntitle: A past workshop\nstart: 2018-04-01T10:00\nformat: in-person\nvenue: { name: Old Hall }\nregistration: { url: \"https://tickets.example.org/past\" }\n---\n\nDone.\n",
    );
    site.write(
        "content/events/new-york.md",
        "---\ntitle: A New York webinar\nstart: 2027-05-01T10:00\ntimezone: America/New_York\nformat: online\nonline: { platform: Zoom, url: \"https://zoom.example.org/j/2\" }\n---\n\nHello.\n",
    );
    site
}

#[test]
fn the_register_button_shows_only_while_registration_is_open() {
    let site = events_site();
    assert_built(&site.build(&[]));
    let open = page(&site, "events/open/index.html");
    let button = select(&open, "main a.button-register");
    assert_eq!(button.len(), 1, "an open registration has a button");
    assert_eq!(
        button[0].value().attr("href"),
        Some("https://tickets.example.org/open")
    );
    assert_eq!(text_of(&button[0]), "Register");
    assert_eq!(
        button[0].value().attr("aria-label"),
        Some("Register for An open conference"),
        "the button says what it registers for"
    );
    for (rel, status) in [
        ("events/cancelled/index.html", Some("Cancelled")),
        ("events/past/index.html", None),
    ] {
        let html = page(&site, rel);
        assert!(
            select(&html, "main a.button-register").is_empty(),
            "{rel} has a Register button"
        );
        let main = text_of(&select(&html, "main")[0]);
        assert!(main.contains("Registration closed"), "{rel}: {main}");
        if let Some(status) = status {
            assert_eq!(text_of(&select(&html, "main .event-status")[0]), status);
        }
    }
}

#[test]
fn event_cards_show_date_place_and_status_at_a_glance() {
    let site = events_site();
    assert_built(&site.build(&[]));
    let list = page(&site, "events/index.html");
    let card = |title: &str| {
        select(&list, "li.card-event")
            .into_iter()
            .find(|c| text_of(c).contains(title))
            .unwrap_or_else(|| panic!("no card for {title}"))
    };
    let open = card("An open conference");
    let date = text_of(
        &open
            .select(&scraper::Selector::parse(".card-date").unwrap())
            .next()
            .unwrap(),
    );
    assert_eq!(date, "16 Mar 2027");
    let where_ = text_of(
        &open
            .select(&scraper::Selector::parse(".card-where").unwrap())
            .next()
            .unwrap(),
    );
    assert_eq!(where_, "The Hall · Online");
    let cancelled = card("A cancelled talk");
    let status = text_of(
        &cancelled
            .select(&scraper::Selector::parse(".card-status").unwrap())
            .next()
            .unwrap(),
    );
    assert_eq!(status, "Cancelled");
}

#[test]
fn an_event_time_zone_is_named_as_people_say_it() {
    let site = events_site();
    assert_built(&site.build(&[]));
    let london = text_of(&select(&page(&site, "events/open/index.html"), "main")[0]);
    assert!(london.contains("(times are UK time)"), "{london}");
    assert!(!london.contains("Europe/London"), "{london}");
    let new_york = text_of(&select(&page(&site, "events/new-york/index.html"), "main")[0]);
    assert!(new_york.contains("(times are New York time)"), "{new_york}");
    assert!(!new_york.contains("America/New_York"), "{new_york}");
}

#[test]
fn a_welsh_event_says_uk_time_in_welsh() {
    let site = events_site();
    site.write(
        "site.yaml",
        format!("{SITE}languages:\n  cy:\n    title: Safle Prawf\n"),
    );
    site.write(
        "content/events/open.cy.md",
        "---\ntitle: Cynhadledd agored\nstart: 2027-03-16T09:30\nend: 2027-03-16T17:00\nformat: online\nonline: { platform: Zoom, url: \"https://zoom.example.org/j/1\" }\n---\n\nDewch.\n",
    );
    assert_built(&site.build(&[]));
    let welsh = page(&site, "cy/events/open/index.html");
    let main = text_of(&select(&welsh, "main")[0]);
    assert!(main.contains("amser y DU"), "{main}");
    assert!(
        !main.contains("UK time") && !main.contains("Europe/London"),
        "{main}"
    );
    let names: Vec<String> = select(&welsh, ".languages a").iter().map(text_of).collect();
    assert_eq!(
        names,
        ["English", "Cymraeg"],
        "each language is named in itself"
    );
}

#[test]
fn a_video_facade_shows_its_local_poster_and_nothing_from_the_provider() {
    let site = Site::copy("minimal");
    site.write(
        "content/videos/_index.md",
        "---\ntitle: Videos\nkind: video\n---\n",
    );
    site.write("static/images/poster.png", png(1280, 720));
    site.write(
        "content/videos/talk.md",
        "---\ntitle: A talk\ndate: 2017-03-14\nprovider: youtube\nid: abc123\nposter: /images/poster.png\n---\n\nThe talk.\n",
    );
    assert_built(&site.build(&[]));
    let html = page(&site, "videos/talk/index.html");
    let poster = select(&html, ".video-facade .video-poster picture img");
    assert_eq!(poster.len(), 1, "the poster is shown before play");
    let img = poster[0].value();
    assert_eq!(img.attr("src"), Some("/images/poster.png"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1280"), Some("720"))
    );
    assert!(
        select(&html, "iframe").is_empty(),
        "no player before the click"
    );
    for element in select(&html, "[src], [srcset]") {
        for attr in ["src", "srcset"] {
            let value = element.value().attr(attr).unwrap_or_default();
            assert!(
                !value.contains("youtube"),
                "{attr}=\"{value}\" loads from the provider"
            );
        }
    }
    let list = page(&site, "videos/index.html");
    let card = select(&list, "li.card-video .card-image img");
    assert_eq!(card.len(), 1, "a video's card shows its poster");
    assert_eq!(card[0].value().attr("loading"), Some("lazy"));
}

#[test]
fn post_cards_show_the_image_with_its_words() {
    let site = Site::copy("minimal");
    site.write("static/images/map.png", png(1200, 675));
    site.write(
        "content/blog/2017-08-06-x.md",
        "---\ntitle: A first post\nimage: /images/map.png\nimage_alt: A street map with a river\n---\n\nThe post.\n",
    );
    assert_built(&site.build(&[]));
    let list = page(&site, "blog/index.html");
    let img = select(&list, "li.card-post .card-image picture img");
    assert_eq!(img.len(), 1);
    assert_eq!(
        img[0].value().attr("alt"),
        Some("A street map with a river")
    );
    let post = site.output_file("blog/x/index.html");
    assert!(
        post.contains("<meta property=\"og:image:alt\" content=\"A street map with a river\">"),
        "{post}"
    );
}

#[test]
fn the_chapter_being_read_is_marked_in_the_contents() {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    let html = page(&site, "concordat/02-y/index.html");
    let current = select(&html, ".document-toc a[aria-current=\"page\"]");
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].value().attr("href"), Some("/concordat/02-y/"));
    assert_eq!(
        select(&html, ".document-toc a").len(),
        3,
        "two chapters and the whole document"
    );
}

#[test]
fn the_whole_document_breaks_between_chapters_and_leads_back_to_its_contents() {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    let html = page(&site, "concordat/all/index.html");
    assert_eq!(select(&html, "#document-contents").len(), 1);
    let chapters = select(&html, "section.chapter");
    assert_eq!(chapters.len(), 2);
    let label = scraper::Selector::parse(".chapter-label").unwrap();
    let back = scraper::Selector::parse(".back-to-contents a").unwrap();
    for (n, chapter) in chapters.iter().enumerate() {
        let shown = chapter.select(&label).next().map(|l| text_of(&l));
        assert_eq!(shown, Some(format!("Chapter {}", n + 1)));
        let link = chapter
            .select(&back)
            .next()
            .expect("a link back to the contents");
        assert_eq!(link.value().attr("href"), Some("#document-contents"));
        assert_eq!(text_of(&link), "Back to contents");
    }
}

#[test]
fn heading_anchors_show_on_hover_and_focus_only() {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    let html = page(&site, "concordat/01-x/index.html");
    let anchor = select(&html, "h2 > a.heading-anchor");
    assert!(!anchor.is_empty());
    let label = text_of(&anchor[0]);
    assert!(
        label.contains("Link to this section: Why it matters"),
        "{label}"
    );
    let css_url = select(&html, "link[rel=stylesheet]")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let css = site.output_file(css_url.trim_start_matches('/'));
    let rule = |selector: &str| {
        css.lines()
            .find(|l| l.starts_with(selector))
            .unwrap_or_else(|| panic!("no rule {selector}"))
            .to_string()
    };
    assert!(rule(".heading-anchor {").contains("opacity: 0"), "{css}");
    let shown = rule(":is(h2, h3, h4, h5, h6):hover > .heading-anchor");
    assert!(
        shown.contains(".heading-anchor:focus-visible") && shown.contains("opacity: 1"),
        "{shown}"
    );
}

#[test]
fn the_breadcrumbs_start_at_home_not_at_the_site_title_again() {
    let site = Site::copy("minimal");
    assert_built(&site.build(&[]));
    let html = page(&site, "blog/x/index.html");
    let first = select(&html, ".breadcrumbs a");
    assert_eq!(text_of(&first[0]), "Home");
    assert_eq!(first[0].value().attr("href"), Some("/"));
}

#[test]
fn a_hero_button_to_a_page_not_yet_published_is_left_out_with_a_warning() {
    let site = Site::copy("minimal");
    site.write(
        "content/soon.md",
        "---\ntitle: Soon\ndraft: true\n---\n\nNot yet.\n",
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Home\nhero:\n  cta: { label: Coming soon, url: \"@/soon.md\" }\n---\n",
    );
    let out = site.build(&[]);
    assert_built(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning: content/_index.md:4:") && err.contains("hero.cta.url: @/soon.md"),
        "{err}"
    );
    let home = page(&site, "index.html");
    assert!(
        select(&home, ".hero a.button").is_empty(),
        "no button to a page that is not there"
    );
}
