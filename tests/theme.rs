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
