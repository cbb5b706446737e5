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
