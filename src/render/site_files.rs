//! Site-wide files that need no template: sitemap, robots.txt, alias redirects, Atom feeds.

use std::fmt::Write as _;

use crate::content::{Kind, KindData};
use crate::dates::rfc3339;
use std::sync::Arc;

use super::values::description;
use crate::markdown::{escape, Rendered};
use crate::routes;
use crate::site::Site;

/// `sitemap.xml`: every page and section, sorted by URL.
pub fn sitemap(site: &Site) -> String {
    let mut entries: Vec<(String, Option<String>)> = site
        .content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let lastmod = p
                .meta
                .updated
                .as_ref()
                .or(p.meta.date.as_ref())
                .map(|d| d.zoned.strftime("%Y-%m-%d").to_string());
            (site.page_urls[i].clone(), lastmod)
        })
        .chain(site.section_urls.values().map(|u| (u.clone(), None)))
        .collect();
    entries.sort();
    entries.dedup();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in entries {
        let _ = write!(
            xml,
            "  <url><loc>{}</loc>",
            escape(&routes::permalink(&site.config, &url))
        );
        if let Some(m) = lastmod {
            let _ = write!(xml, "<lastmod>{m}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`, allowing everything and naming the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        routes::permalink(&site.config, routes::SITEMAP_URL)
    )
}

/// A page that sends readers (and search engines) from an old URL to the new one.
pub fn alias_page(site: &Site, target: &str) -> String {
    let url = escape(&routes::permalink(&site.config, target));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting to {url}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<main><p>This page has moved to <a href=\"{url}\">{url}</a>.</p></main>\n</body>\n</html>\n",
        lang = escape(&site.config.language)
    )
}

/// How many of the newest posts a feed carries (feed readers keep what they have seen).
pub const FEED_ENTRIES: usize = 20;

/// An Atom feed of the newest posts, of the whole site or of one tag.
pub fn atom(
    site: &Site,
    rendered: &[Arc<Rendered>],
    title: &str,
    feed_path: &str,
    posts: &[usize],
) -> String {
    let c = &site.config;
    let updated = posts
        .iter()
        .filter_map(|i| {
            let m = &site.content.pages[*i].meta;
            m.updated
                .as_ref()
                .or(m.date.as_ref())
                .map(|d| d.zoned.timestamp())
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |t| t.to_string());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{sub}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{self_url}</id>\n  <updated>{updated}</updated>\n  <author><name>{publisher}</name></author>\n",
        lang = escape(&c.language),
        publisher = escape(c.organizer.as_ref().map_or(&c.title, |o| &o.name)),
        title = escape(title),
        sub = escape(&c.description),
        self_url = escape(&routes::permalink(c, feed_path)),
        home = escape(&routes::permalink(c, "/")),
    );
    for i in posts.iter().take(FEED_ENTRIES) {
        let page = &site.content.pages[*i];
        let link = escape(&routes::permalink(c, &site.page_urls[*i]));
        let published = page
            .meta
            .date
            .as_ref()
            .map(|d| rfc3339(&d.zoned))
            .unwrap_or_default();
        let updated = page
            .meta
            .updated
            .as_ref()
            .map_or(published.clone(), |d| rfc3339(&d.zoned));
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <published>{published}</published>\n    <updated>{updated}</updated>\n",
            escape(&page.meta.title)
        );
        if let KindData::Post(p) = &page.kind {
            for a in &p.authors {
                let name = c.authors.get(a).map_or(a.as_str(), |x| x.name.as_str());
                let _ = writeln!(xml, "    <author><name>{}</name></author>", escape(name));
            }
        }
        for tag in &page.meta.tags {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", escape(tag));
        }
        let summary = description(page, &rendered[*i]);
        if !summary.is_empty() {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape(&summary));
        }
        let _ = writeln!(
            xml,
            "    <content type=\"html\">{}</content>\n  </entry>",
            escape(&off_site(c, &rendered[*i].html))
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// A page's HTML as shown away from the site (a feed reader): a link to the site's root
/// (`/about/`) becomes an absolute URL when the site is not at the root of its host, where
/// a reader would resolve it against the host. A site at the root keeps its links as written.
fn off_site<'a>(config: &crate::config::Config, html: &'a str) -> std::borrow::Cow<'a, str> {
    if routes::base_path(&config.base_url).is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    // Rebasing fails only where lol_html would exceed a memory limit, which is not set here.
    match routes::rebase(html.as_bytes(), &config.base_url).map(String::from_utf8) {
        Ok(Ok(rebased)) => std::borrow::Cow::Owned(rebased),
        _ => std::borrow::Cow::Borrowed(html),
    }
}

/// Posts of the whole site, newest first.
pub fn posts(site: &Site) -> Vec<usize> {
    site.newest_of_kind(Kind::Post)
}

/// `search-index.json`: what a client-side search needs, for a site on a static host.
pub fn search_index(site: &Site, rendered: &[Arc<Rendered>]) -> String {
    let entries: Vec<serde_json::Value> = site
        .content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "title": p.meta.title,
                "url": routes::href(&site.config, &site.page_urls[i]),
                "kind": p.kind.kind().name(),
                "summary": description(p, &rendered[i]),
                "tags": p.meta.tags,
                "date": p.meta.date.as_ref().map(|d| d.zoned.strftime("%Y-%m-%d").to_string()),
            })
        })
        .collect();
    serde_json::Value::Array(entries).to_string()
}
