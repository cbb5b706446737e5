//! Site-wide files. Feeds, the sitemap, robots.txt and alias redirects are made from built-in
//! templates that a theme or the site may replace by name; this module builds what those
//! templates are given (permalinks and dates already formatted, so the templates stay simple).

use std::sync::Arc;

use tera::Value;

use super::values::{description, obj};
use crate::content::{Kind, KindData};
use crate::dates::rfc3339;
use crate::markdown::Rendered;
use crate::routes;
use crate::site::Site;

/// `entries` of `sitemap.xml`: every page and section (permalink, lastmod), sorted by URL.
pub fn sitemap(site: &Site) -> Value {
    let mut entries: Vec<(&str, Option<String>)> = site
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
            (site.page_urls[i].as_str(), lastmod)
        })
        .chain(site.section_urls.values().map(|u| (u.as_str(), None)))
        .collect();
    entries.sort();
    entries.dedup();
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|(url, lastmod)| {
            obj([
                (
                    "permalink",
                    Value::from(routes::permalink(&site.config, url)),
                ),
                ("lastmod", lastmod.map_or_else(Value::none, Value::from)),
            ])
        })
        .collect();
    Value::from(entries)
}

/// `sitemap_url` of `robots.txt`: the sitemap's absolute address.
pub fn sitemap_url(site: &Site) -> String {
    routes::permalink(&site.config, routes::SITEMAP_URL)
}

/// How many of the newest posts a feed carries (feed readers keep what they have seen).
pub const FEED_ENTRIES: usize = 20;

/// `feed` of `atom.xml`: a feed of the newest posts, of the whole site or of one tag.
pub fn atom(
    site: &Site,
    rendered: &[Arc<Rendered>],
    title: &str,
    feed_path: &str,
    posts: &[usize],
) -> Value {
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
    let entries: Vec<Value> = posts
        .iter()
        .take(FEED_ENTRIES)
        .map(|i| feed_entry(site, *i, &rendered[*i]))
        .collect();
    obj([
        ("title", Value::from(title)),
        ("url", Value::from(feed_path)),
        ("permalink", Value::from(routes::permalink(c, feed_path))),
        ("home", Value::from(routes::permalink(c, "/"))),
        ("updated", Value::from(updated)),
        (
            "author",
            Value::from(c.organizer.as_ref().map_or(&c.title, |o| &o.name).as_str()),
        ),
        ("entries", Value::from(entries)),
    ])
}

/// One post of a feed; its `content` is the page's HTML without the headings' anchor links,
/// which the template escapes once.
fn feed_entry(site: &Site, i: usize, md: &Rendered) -> Value {
    let c = &site.config;
    let page = &site.content.pages[i];
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
    let authors: Vec<Value> = match &page.kind {
        KindData::Post(p) => p
            .authors
            .iter()
            .map(|a| Value::from(c.authors.get(a).map_or(a.as_str(), |x| x.name.as_str())))
            .collect(),
        _ => Vec::new(),
    };
    let tags: Vec<Value> = page
        .meta
        .tags
        .iter()
        .map(|t| Value::from(t.as_str()))
        .collect();
    let url = &site.page_urls[i];
    obj([
        ("title", Value::from(page.meta.title.as_str())),
        ("url", Value::from(url.as_str())),
        ("permalink", Value::from(routes::permalink(c, url))),
        ("published", Value::from(published)),
        ("updated", Value::from(updated)),
        ("authors", Value::from(authors)),
        ("tags", Value::from(tags)),
        ("summary", Value::from(description(md))),
        (
            "content",
            Value::from(off_site(c, &crate::markdown::without_heading_anchors(&md.html)).as_ref()),
        ),
    ])
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
