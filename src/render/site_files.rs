//! Site-wide files. Feeds, the sitemap, robots.txt and alias redirects are made from built-in
//! templates that a theme or the site may replace by name; this module builds what those
//! templates are given (permalinks and dates already formatted, so the templates stay simple).

use std::borrow::Cow;
use std::sync::Arc;

use tera::Value;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use super::context::Printed;
use super::values::{description, event_status, event_when, obj};
use crate::content::{Kind, KindData, Page};
use crate::dates::rfc3339;
use crate::markdown::Rendered;
use crate::routes::{self, Job};
use crate::site::{Site, Translation};

/// The (hreflang, permalink) of each version of a page, for the sitemap.
type Alternates = Vec<(String, String)>;

/// `entries` of `sitemap.xml`: every HTML page of `jobs` but the not-found page (alias
/// redirects are not pages), with the permalink and, for a content page, its last change;
/// sorted by URL.
pub fn sitemap(site: &Site, jobs: &[Job]) -> Value {
    let mut entries: Vec<(String, Option<String>, Alternates)> = jobs
        .iter()
        .filter(|job| job.is_page() && !matches!(job, Job::NotFound(_)))
        .map(|job| {
            let alternates = alternates(site, &versions(site, job));
            let lastmod = match job {
                Job::Page(i) => {
                    let meta = &site.content.pages[*i].meta;
                    meta.updated
                        .as_ref()
                        .or(meta.date.as_ref())
                        .map(|d| d.zoned.strftime("%Y-%m-%d").to_string())
                }
                _ => None,
            };
            (routes::path(&site.content, job), lastmod, alternates)
        })
        .collect();
    entries.sort();
    entries.dedup();
    let entries: Vec<Value> = entries
        .into_iter()
        .map(|(url, lastmod, alternates)| {
            let alternates = alternates.into_iter().map(|(hreflang, permalink)| {
                obj([
                    ("hreflang", Value::from(hreflang)),
                    ("permalink", Value::from(permalink)),
                ])
            });
            obj([
                (
                    "permalink",
                    Value::from(routes::permalink(&site.config, &url)),
                ),
                ("lastmod", lastmod.map_or_else(Value::none, Value::from)),
                ("alternates", Value::from(alternates.collect::<Vec<_>>())),
            ])
        })
        .collect();
    Value::from(entries)
}

/// The versions of a job's page in each language, for its `hreflang` links and the sitemap
/// (none on a site of one language): a page's or a section list's translations, and each
/// page of their lists and whole documents that the translation has too; a taxonomy's list, a
/// term's pages, the search and not-found pages in every language that has one; an author's
/// page, which is in the default language only.
pub fn versions<'a>(site: &'a Site, job: &Job) -> Cow<'a, [Translation]> {
    if site.config.languages.is_empty() {
        return Cow::Borrowed(&[]);
    }
    let version = |lang: Option<&str>, job: &Job| Translation {
        lang: lang.map(str::to_string),
        url: routes::path(&site.content, job),
        title: site.config.title_in(lang).to_string(),
    };
    let in_each = |job_in: &dyn Fn(Option<String>) -> Option<Job>| {
        let each = site.config.language_codes().filter_map(|lang| {
            let job = job_in(lang.map(str::to_string))?;
            Some(version(lang, &job))
        });
        Cow::Owned(each.collect())
    };
    // The same list or document of each translation of section `key` that has it.
    let of_sections = |key: &str, job_of: &dyn Fn(&str) -> Option<Job>| {
        let each = site.translations_of(key).iter().filter_map(|t| {
            let job = job_of(site.section_at(&t.url)?)?;
            Some(version(t.lang.as_deref(), &job))
        });
        Cow::Owned(each.collect())
    };
    match job {
        Job::Page(i) => Cow::Borrowed(site.translations_of(&site.content.pages[*i].source.key)),
        Job::Section(key, 1) => Cow::Borrowed(site.translations_of(key)),
        Job::Section(key, n) => of_sections(key, &|k| {
            (site.list_pages_of_section(k) >= *n).then(|| Job::Section(k.to_string(), *n))
        }),
        Job::WholeDocument(key) => of_sections(key, &|k| {
            site.has_whole_document(k)
                .then(|| Job::WholeDocument(k.to_string()))
        }),
        Job::TermList(_, taxonomy) => in_each(&|lang| Some(Job::TermList(lang, taxonomy.clone()))),
        Job::Term(_, taxonomy, slug, n) => in_each(&|lang| {
            let term = site.terms(lang.as_deref(), taxonomy).get(slug)?;
            let has = site.list_pages_of_term(term) >= *n;
            has.then(|| Job::Term(lang, taxonomy.clone(), slug.clone(), *n))
        }),
        Job::Search(_) => in_each(&|lang| Some(Job::Search(lang))),
        Job::NotFound(_) => in_each(&|lang| Some(Job::NotFound(lang))),
        Job::Author(_) => Cow::Owned(vec![version(None, job)]),
        _ => Cow::Borrowed(&[]),
    }
}

/// The `xhtml:link` alternates of a page in the sitemap: (hreflang, permalink) of each of its
/// `versions`, itself included, and `x-default` for the default language's.
fn alternates(site: &Site, versions: &[Translation]) -> Alternates {
    let config = &site.config;
    let each = versions.iter().map(|t| {
        let tag = config.lang_tag(t.lang.as_deref()).to_string();
        (tag, routes::permalink(config, &t.url))
    });
    let default = versions.iter().find(|t| t.lang.is_none());
    let x_default = default.map(|t| ("x-default".to_string(), routes::permalink(config, &t.url)));
    each.chain(x_default).collect()
}

/// `sitemap_url` of `robots.txt`: the sitemap's absolute address.
pub fn sitemap_url(site: &Site) -> String {
    routes::permalink(&site.config, routes::SITEMAP_URL)
}

/// How many of the newest posts a feed carries (feed readers keep what they have seen).
pub const FEED_ENTRIES: usize = 20;

/// A feed's address and the page it is the feed of.
pub struct FeedPaths<'a> {
    /// The site path of the feed itself (`/blog/atom.xml`).
    pub feed: &'a str,
    /// The site path of the page that lists what the feed lists (`/blog/`).
    pub page: &'a str,
}

/// `feed` of `atom.xml` and `rss.xml`: the newest posts (or videos, or the soonest events)
/// of the whole site, a term or a section, in the order given.
pub fn feed(
    site: &Site,
    rendered: &[Arc<Rendered>],
    title: &str,
    paths: FeedPaths,
    pages: &[usize],
) -> Printed {
    let c = &site.config;
    let updated = pages
        .iter()
        .filter_map(|i| last_change(&site.content.pages[*i]))
        .map(|z| z.timestamp())
        .max()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let entries: Vec<Printed> = pages
        .iter()
        .take(FEED_ENTRIES)
        .map(|i| feed_entry(site, *i, &rendered[*i]))
        .collect();
    let own = obj([
        ("title", Value::from(title)),
        ("url", Value::from(paths.feed)),
        ("permalink", Value::from(routes::permalink(c, paths.feed))),
        (
            "home",
            Value::from(routes::permalink(
                c,
                &routes::in_language(c.language_of_path(paths.page), "/"),
            )),
        ),
        ("alternate", Value::from(routes::permalink(c, paths.page))),
        ("updated", Value::from(updated.to_string())),
        // RSS may leave out the date of a feed with nothing in it, and does.
        (
            "updated_rfc2822",
            match pages.is_empty() {
                true => Value::none(),
                false => Value::from(rfc2822(&updated.to_zoned_datetime(TimeZone::UTC))),
            },
        ),
        (
            "author",
            Value::from(c.organizer.as_ref().map_or(&c.title, |o| &o.name).as_str()),
        ),
    ]);
    Printed::map(
        Some(Printed::plain(own)),
        vec![("entries", Printed::list(entries))],
    )
}

/// When a page last changed, as a feed tells it: its `updated`, else its `date`, else (an
/// event announced without a date) its start.
fn last_change(page: &Page) -> Option<&jiff::ZonedDateTime> {
    let written = page.meta.updated.as_ref().or(page.meta.date.as_ref());
    match (written, &page.kind) {
        (Some(d), _) => Some(&d.zoned),
        (None, KindData::Event(e)) => Some(&e.start),
        (None, _) => None,
    }
}

/// A date as RSS 2.0 writes it (RFC 2822: `Tue, 14 Mar 2017 10:00:00 +0000`).
fn rfc2822(z: &jiff::ZonedDateTime) -> String {
    jiff::fmt::rfc2822::to_string(z).unwrap_or_default()
}

/// One post, video or event of a feed; its `content` is the page's HTML without the
/// headings' anchor links, which the template escapes once. An event also has its time and
/// its status, when that is not "scheduled".
fn feed_entry(site: &Site, i: usize, md: &Arc<Rendered>) -> Printed {
    let c = &site.config;
    let page = &site.content.pages[i];
    let published = page.meta.date.as_ref().map(|d| &d.zoned);
    // Atom needs a date of every entry: an undated video's is the epoch's.
    let updated = last_change(page).map_or_else(|| Timestamp::UNIX_EPOCH.to_string(), rfc3339);
    let (when, status, status_label) = match &page.kind {
        KindData::Event(e) => {
            let words = super::values::language_of(site, i);
            let (status, label) = event_status(e.status, words);
            (Value::from(event_when(e, words)), status, label)
        }
        _ => (Value::none(), "", String::new()),
    };
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
    let own = obj([
        ("title", Value::from(page.meta.title.as_str())),
        ("url", Value::from(url.as_str())),
        ("permalink", Value::from(routes::permalink(c, url))),
        (
            "published",
            Value::from(published.map(rfc3339).unwrap_or_default()),
        ),
        (
            "published_rfc2822",
            Value::from(published.map(rfc2822).unwrap_or_default()),
        ),
        ("updated", Value::from(updated)),
        ("when", when),
        ("status", Value::from(status)),
        ("status_label", Value::from(status_label)),
        ("authors", Value::from(authors)),
        ("tags", Value::from(tags)),
    ]);
    let summary = Printed::markdown(md, (), |md, _| Value::from(description(md)));
    let content = Printed::markdown(md, c.base_url.clone(), |md, base_url| {
        let html = crate::markdown::without_heading_anchors(&md.html);
        Value::from(off_site(base_url, &html).as_ref())
    });
    Printed::map(
        Some(Printed::plain(own)),
        vec![("summary", summary), ("content", content)],
    )
}

/// A page's HTML as shown away from the site (a feed reader): a link to the site's root
/// (`/about/`) becomes an absolute URL when the site is not at the root of its host, where
/// a reader would resolve it against the host. A site at the root keeps its links as written.
fn off_site<'a>(base_url: &str, html: &'a str) -> std::borrow::Cow<'a, str> {
    if routes::base_path(base_url).is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    // Rebasing fails only where lol_html would exceed a memory limit, which is not set here.
    match routes::rebase(html.as_bytes(), base_url).map(String::from_utf8) {
        Ok(Ok(rebased)) => std::borrow::Cow::Owned(rebased),
        _ => std::borrow::Cow::Borrowed(html),
    }
}

/// Posts of the whole site in a language (`None`: the default), newest first.
pub fn posts(site: &Site, lang: Option<&str>) -> Vec<usize> {
    site.newest_of_kind(Kind::Post, lang)
}
