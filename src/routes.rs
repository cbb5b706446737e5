//! Routes: the one place that says where each output of a build lives and how it is linked.
//!
//! Inside the build every URL is a *site path*: the path from the site's root (`/about/`),
//! whatever host and folder the site is published at. Three functions turn a site path into
//! what a reader's browser needs, and they alone know `base_url`:
//!
//! - [`permalink`]: the absolute URL (`https://host.example/campaign/about/`), for feeds,
//!   the sitemap, calendars, JSON-LD, canonical links and redirects;
//! - [`href`]: the path from the host's root (`/campaign/about/`), for links handed to a
//!   browser outside HTML attributes (the search index);
//! - [`rebase`]: the same for the links of a finished HTML page, written by templates or in
//!   Markdown, so that theme and author alike may write `href="/about/"` for the site's root.
//!
//! A site at the root of its host has an empty base path: then `href` is the site path
//! itself and pages are not rewritten at all.

mod rebase;

use crate::config::Config;
use crate::content::{Content, Failed, Kind, Page, Section};

pub use rebase::rebase;

/// Where the search page is written, and the files of the search index beside it.
pub const SEARCH_URL: &str = "/search/";
/// Author pages live below it.
pub const AUTHORS_URL: &str = "/authors/";
/// The not-found page a static host shows for any missing address.
pub const NOT_FOUND_URL: &str = "/404.html";
/// The file name of an Atom feed, beside the page it is the feed of (`/blog/atom.xml`).
pub const ATOM_FILE: &str = "atom.xml";
/// The file name of an RSS 2.0 feed, beside the page it is the feed of (`/blog/rss.xml`).
pub const RSS_FILE: &str = "rss.xml";
/// The sitemap for search engines.
pub const SITEMAP_URL: &str = "/sitemap.xml";
/// `robots.txt`.
pub const ROBOTS_URL: &str = "/robots.txt";
/// The calendar of every event.
pub const CALENDAR_URL: &str = "/events.ics";
/// The most bytes a file or folder name may have on the file systems a site is built on.
pub const MAX_NAME_BYTES: usize = 255;

/// One file the build writes from a template or by itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Job {
    /// A content page, by index.
    Page(usize),
    /// Page `n` (1-based) of a section's list.
    Section(String, usize),
    /// A chapter section as one page (`<section>/all/`).
    WholeDocument(String),
    /// The list of a taxonomy's terms in a language (`None`: the default), by the
    /// taxonomy's name: `/tags/`, `/cy/tags/`.
    TermList(Option<String>, String),
    /// Page `n` (1-based) of a term's list: its language, the taxonomy's name, the term's
    /// slug and `n`.
    Term(Option<String>, String, String, usize),
    /// An author's page, by key in site.yaml.
    Author(String),
    /// The not-found page of a language (`None`: the default).
    NotFound(Option<String>),
    /// The search page of a language, which reads that language's index in the browser.
    Search(Option<String>),
    /// A feed of what `FeedOf` names, in one format.
    Feed(FeedOf, FeedFormat),
    /// `sitemap.xml`.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// One file of a language's search index.
    SearchIndex(Option<String>, SearchFile),
    /// `events.ics` of a language (`None`: the default), with that language's events.
    Calendar(Option<String>),
    /// One event's `event.ics`, by page index.
    EventCalendar(usize),
    /// A redirect from a page's old URL: the page index and the alias's position.
    Alias(usize, usize),
}

/// What a feed lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FeedOf {
    /// The posts of a language (`None`: the default) of the whole site (`/atom.xml`,
    /// `/cy/atom.xml`).
    Site(Option<String>),
    /// The posts of one term: its language, the taxonomy's name and the term's slug
    /// (`/tags/policy/atom.xml`).
    Term(Option<String>, String, String),
    /// The posts and videos of a section's list, by key (`/blog/atom.xml`).
    Section(String),
    /// The upcoming events of an event section's list, by key (`/events/atom.xml`).
    Events(String),
}

/// The format of a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    /// Atom (RFC 4287).
    Atom,
    /// RSS 2.0.
    Rss,
}

impl FeedFormat {
    /// The feed's file name, beside the page it is the feed of.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => ATOM_FILE,
            FeedFormat::Rss => RSS_FILE,
        }
    }
}

impl Job {
    /// Whether the job is an HTML page made from a template (what the summary counts as pages).
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Job::Page(_)
                | Job::Section(..)
                | Job::WholeDocument(_)
                | Job::TermList(..)
                | Job::Term(..)
                | Job::Author(_)
                | Job::NotFound(_)
                | Job::Search(_)
        )
    }
}

/// The site path a job writes to. Every output's address comes from here.
pub fn path(content: &Content, job: &Job) -> String {
    match job {
        Job::Page(i) => page(&content.pages[*i]),
        Job::Section(key, n) => list_page(&section_of(&content.sections[key]), *n),
        Job::WholeDocument(key) => whole_document(&section_of(&content.sections[key])),
        Job::TermList(lang, taxonomy) => taxonomy_list(lang.as_deref(), taxonomy),
        Job::Term(lang, taxonomy, slug, n) => list_page(&term(lang.as_deref(), taxonomy, slug), *n),
        Job::Author(key) => author(key),
        Job::NotFound(lang) => in_language(lang.as_deref(), NOT_FOUND_URL),
        Job::Search(lang) => in_language(lang.as_deref(), SEARCH_URL),
        Job::Feed(of, format) => {
            let page = match of {
                FeedOf::Site(lang) => in_language(lang.as_deref(), "/"),
                FeedOf::Term(lang, taxonomy, slug) => term(lang.as_deref(), taxonomy, slug),
                FeedOf::Section(key) | FeedOf::Events(key) => section_of(&content.sections[key]),
            };
            feed(&page, *format)
        }
        Job::Sitemap => SITEMAP_URL.to_string(),
        Job::Robots => ROBOTS_URL.to_string(),
        Job::SearchIndex(lang, file) => search_file(lang.as_deref(), file),
        Job::Calendar(lang) => calendar(lang.as_deref()),
        Job::EventCalendar(i) => event_calendar(&page(&content.pages[*i])),
        Job::Alias(i, n) => alias(&content.pages[*i].meta.aliases[*n]).unwrap_or_default(),
    }
}

/// One file of the search index (`render::search` says what each holds).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SearchFile {
    /// `search/index.json`, read first: what the other files are.
    Manifest,
    /// `search/terms/<n>.json`: the words whose hash falls in part `n`.
    Terms(usize),
    /// `search/pages/<n>.json`: what a result shows of page `n`.
    Page(usize),
    /// `search/kinds/<kind>.json`: the pages of a kind, for the filter.
    Kind(Kind),
    /// `search/tags/<n>.json`: the pages of the site's `n`th tag (by slug), for the filter;
    /// numbered, since a tag's slug may be as long as a file name may be.
    Tag(usize),
}

/// The site path of a file of a language's search index (`None`: the default's), in the
/// folder of its search page.
pub fn search_file(lang: Option<&str>, file: &SearchFile) -> String {
    let dir = in_language(lang, SEARCH_URL);
    match file {
        SearchFile::Manifest => format!("{dir}index.json"),
        SearchFile::Terms(n) => format!("{dir}terms/{n}.json"),
        SearchFile::Page(n) => format!("{dir}pages/{n}.json"),
        SearchFile::Kind(kind) => format!("{dir}kinds/{}.json", kind.name()),
        SearchFile::Tag(n) => format!("{dir}tags/{n}.json"),
    }
}

/// The site path of a content folder, which its section's list is written at: `/` for the
/// content root, `/blog/` for `blog`.
pub fn section(dir: &str) -> String {
    if dir.is_empty() {
        "/".to_string()
    } else {
        format!("/{dir}/")
    }
}

/// The site path of a section's list, in its language's folder: `/blog/`, `/cy/blog/`.
pub fn section_of(s: &Section) -> String {
    in_language(s.lang.as_deref(), &section(&s.dir))
}

/// A site path in a language's folder: `/cy/about/` for `/about/` in `cy`; the path itself
/// in the default language (`None`).
pub fn in_language(lang: Option<&str>, path: &str) -> String {
    match lang {
        Some(lang) => format!("/{lang}{path}"),
        None => path.to_string(),
    }
}

/// The site path of a page: its language's folder, its folder and its slug
/// (`/blog/concordat-published/`, `/cy/blog/lansio/`).
pub fn page(page: &Page) -> String {
    let path = format!("{}{}/", section(&page.dir), page.meta.slug);
    in_language(page.lang.as_deref(), &path)
}

/// Page `n` of a section's list: the section itself for 1, `/blog/page/2/` after.
pub fn list_page(section: &str, n: usize) -> String {
    match n {
        1 => section.to_string(),
        n => format!("{section}page/{n}/"),
    }
}

/// A chapter section shown whole on one page: `/concordat/all/`.
pub fn whole_document(section: &str) -> String {
    format!("{section}all/")
}

/// The list of a taxonomy's terms in a language, by the taxonomy's name: `/tags/`,
/// `/cy/tags/`.
pub fn taxonomy_list(lang: Option<&str>, taxonomy: &str) -> String {
    in_language(lang, &format!("/{taxonomy}/"))
}

/// A term's page in a language, by its taxonomy's name and its slug: `/tags/policy/`,
/// `/cy/tags/policy/`.
pub fn term(lang: Option<&str>, taxonomy: &str, slug: &str) -> String {
    in_language(lang, &format!("/{taxonomy}/{slug}/"))
}

/// The calendar of a language's events: `/events.ics`, `/cy/events.ics`.
pub fn calendar(lang: Option<&str>) -> String {
    in_language(lang, CALENDAR_URL)
}

/// The feed of a page that lists (the home page, a section, a term), beside it:
/// `/blog/atom.xml`, `/tags/policy/rss.xml`.
pub fn feed(page: &str, format: FeedFormat) -> String {
    format!("{page}{}", format.file_name())
}

/// The subscription address of a calendar (`webcal://host.example/events.ics`): the scheme
/// calendar apps open to subscribe rather than download once.
pub fn webcal(config: &Config, path: &str) -> String {
    let url = permalink(config, path);
    match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url,
    }
}

/// An author's page, by key in site.yaml.
pub fn author(key: &str) -> String {
    format!("{AUTHORS_URL}{}/", slug::slugify(key))
}

/// An event's calendar file, beside its page.
pub fn event_calendar(page: &str) -> String {
    format!("{page}event.ics")
}

/// The site path of an alias (an old address of a page): `/news/x/` for `news/x`, a file
/// path kept as written (`/2017/x.html`). Refuses what is not a writable path of the site.
pub fn alias(alias: &str) -> Result<String, Unwritable> {
    let trimmed = alias.trim();
    if trimmed.is_empty() || trimmed.contains("://") || trimmed.contains(['?', '#']) {
        return Err(Unwritable::NotAPath);
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control()) {
        return Err(Unwritable::Control(c));
    }
    if trimmed.contains('\\') {
        return Err(Unwritable::Reserved('\\'));
    }
    let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Err(Unwritable::LeavesOutput);
    }
    if segments.is_empty() || segments.iter().any(|s| s.starts_with('.')) {
        return Err(Unwritable::NotAPath);
    }
    let mut path = format!("/{}", segments.join("/"));
    if let Some(dir) = path.strip_suffix("index.html") {
        return Ok(dir.to_string());
    }
    if !segments.last().is_some_and(|last| last.contains('.')) {
        path.push('/');
    }
    writable(&path)?;
    Ok(path)
}

/// Why a site path cannot be written as a file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unwritable {
    /// A web address, a query or a fragment, the site root, or a hidden name.
    NotAPath,
    /// A control character (NUL, a newline...).
    Control(char),
    /// `:` or `\`, which some file systems do not allow in a name.
    Reserved(char),
    /// A name longer than [`MAX_NAME_BYTES`]: its length.
    TooLong(usize),
    /// `..` or `.`, which would lead elsewhere than the output.
    LeavesOutput,
    /// Two slashes in a row: a name that would be empty.
    Empty,
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unwritable::NotAPath => write!(f, "it is not a path of the site"),
            Unwritable::Control(c) => write!(
                f,
                "it holds a control character ({}), which a file name cannot",
                c.escape_unicode()
            ),
            Unwritable::Reserved(c) => {
                write!(
                    f,
                    "it holds \"{c}\", which file names may not hold on every system"
                )
            }
            Unwritable::TooLong(bytes) => write!(
                f,
                "it has a name of {bytes} bytes, and a file name may have at most {MAX_NAME_BYTES}"
            ),
            Unwritable::LeavesOutput => {
                write!(f, "\"..\" or \".\" would lead out of the output folder")
            }
            Unwritable::Empty => write!(f, "one of its names would be empty"),
        }
    }
}

/// Whether every name of a site path can be a file or folder name of the output on any
/// file system a site is built on. `check` and `build` both ask this of every route.
pub fn writable(path: &str) -> Result<(), Unwritable> {
    let inner = path.strip_prefix('/').unwrap_or(path);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Ok(());
    }
    for name in inner.split('/') {
        if name.is_empty() {
            return Err(Unwritable::Empty);
        }
        if name == "." || name == ".." {
            return Err(Unwritable::LeavesOutput);
        }
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            return Err(Unwritable::Control(c));
        }
        if let Some(c) = name.chars().find(|c| matches!(c, ':' | '\\')) {
            return Err(Unwritable::Reserved(c));
        }
        if name.len() > MAX_NAME_BYTES {
            return Err(Unwritable::TooLong(name.len()));
        }
    }
    Ok(())
}

/// The path part of `base_url` (`/campaign` for `https://host.example/campaign`), empty for
/// a site at the root of its host.
pub fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(at) => after_scheme[at..].trim_end_matches('/'),
        None => "",
    }
}

/// `base_url` without its path: the scheme and host a site is served from.
pub fn origin(base_url: &str) -> &str {
    &base_url[..base_url.len() - base_path(base_url).len()]
}

/// The absolute URL of a site path: `base_url` followed by the path.
pub fn permalink(config: &Config, path: &str) -> String {
    format!("{}{path}", config.base_url)
}

/// The address of a site path from the host's root, as a browser follows it: the base path
/// followed by the site path.
pub fn href(config: &Config, path: &str) -> String {
    format!("{}{path}", base_path(&config.base_url))
}

/// Where a page that failed to load would have been published, as far as its file name and
/// the fields that did read tell: the site paths a link to it may name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Whereabouts {
    /// Its site path (`/blog/x/`), where links to it lead; from its file name when its `slug`
    /// cannot be read.
    pub url: String,
    /// Whether `url` is sure: when the `slug` cannot be read, any page of `folder` may be it.
    pub sure: bool,
    /// The folder of its pages (`/blog/`).
    pub folder: String,
    /// Whether it is a bundle (`index.md` beside its files): paths below its own are its files.
    pub bundle: bool,
    /// The site paths of its `aliases` that did read.
    pub aliases: Vec<String>,
}

impl Whereabouts {
    /// Whether a link to the site path `path` (without its fragment) may name the page, its
    /// files or one of its aliases.
    pub fn may_be_at(&self, path: &str) -> bool {
        let same = |at: &str| {
            path.strip_prefix(at.trim_end_matches('/'))
                .is_some_and(|rest| matches!(rest, "" | "/" | "/index.html"))
        };
        if self.aliases.iter().any(|a| same(a)) {
            return true;
        }
        let rest = match self.sure {
            true => match path.strip_prefix(self.url.as_str()) {
                Some(rest) => rest,
                None => return same(&self.url),
            },
            false => {
                let Some(rest) = path.strip_prefix(self.folder.as_str()) else {
                    return false;
                };
                let (segment, rest) = rest.split_once('/').unwrap_or((rest, ""));
                let slug = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
                if segment.is_empty() || !segment.bytes().all(slug) {
                    return false;
                }
                rest
            }
        };
        rest.is_empty() || rest == "index.html" || self.bundle
    }
}

/// Where a page that failed to load would have been published: links there are not broken.
pub fn failed_page(failed: &Failed) -> Whereabouts {
    let place = &failed.place;
    let folder = in_language(failed.lang.as_deref(), &section(&place.dir));
    let url = match (&place.slug, place.name.is_empty()) {
        (Some(slug), _) => format!("{folder}{slug}/"),
        (None, false) => format!("{folder}{}/", place.name),
        (None, true) => folder.clone(),
    };
    Whereabouts {
        url,
        sure: place.slug.is_some(),
        folder,
        bundle: place.bundle,
        aliases: place.aliases.iter().filter_map(|a| alias(a).ok()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_cannot_escape() {
        assert_eq!(alias("old/page").as_deref(), Ok("/old/page/"));
        assert_eq!(alias("/a/b.html").as_deref(), Ok("/a/b.html"));
        assert_eq!(alias("/../etc"), Err(Unwritable::LeavesOutput));
        assert_eq!(alias("https://x.org/a"), Err(Unwritable::NotAPath));
        assert_eq!(alias("/"), Err(Unwritable::NotAPath));
        assert_eq!(alias("/C:/old/"), Err(Unwritable::Reserved(':')));
        assert_eq!(alias("/a\0b/"), Err(Unwritable::Control('\0')));
    }

    #[test]
    fn names_longer_than_a_file_system_allows_are_refused() {
        let long = format!("/blog/{}/", "a".repeat(256));
        assert!(matches!(writable(&long), Err(Unwritable::TooLong(256))));
        assert_eq!(writable(&format!("/blog/{}/", "a".repeat(255))), Ok(()));
        assert_eq!(writable("/authors//"), Err(Unwritable::Empty));
    }

    #[test]
    fn the_base_path_is_the_path_of_base_url() {
        assert_eq!(base_path("https://host.example/campaign"), "/campaign");
        assert_eq!(base_path("https://host.example/a/b/"), "/a/b");
        assert_eq!(base_path("https://host.example"), "");
        assert_eq!(
            origin("https://host.example/campaign"),
            "https://host.example"
        );
    }

    /// A page that failed to load, named by its file, by its slug, or not surely at all.
    fn failed(key: &str, slug: Option<Option<String>>, lang: Option<&str>) -> Whereabouts {
        let aliases = vec!["/old/".to_string()];
        failed_page(&Failed {
            key: key.to_string(),
            source: None,
            lang: lang.map(String::from),
            place: crate::content::kinds::place(key, slug, aliases),
        })
    }

    #[test]
    fn a_page_that_failed_to_load_is_where_its_name_or_its_folder_says() {
        let named = failed("blog/2017-08-06-x.md", Some(None), None);
        assert_eq!(named.url, "/blog/x/");
        for at in ["/blog/x/", "/blog/x", "/blog/x/index.html", "/old", "/old/"] {
            assert!(named.may_be_at(at), "{at}");
        }
        for not in ["/blog/y/", "/blog/x/photo.jpg", "/blog/", "/x/"] {
            assert!(!named.may_be_at(not), "{not}");
        }
        let bundle = failed("blog/x/index.md", Some(Some("Y".into())), None);
        assert_eq!(bundle.url, "/blog/y/");
        assert!(bundle.may_be_at("/blog/y/photo.jpg"));
        let unknown = failed("blog/x.cy.md", None, Some("cy"));
        assert_eq!((unknown.url.as_str(), unknown.sure), ("/cy/blog/x/", false));
        assert!(unknown.may_be_at("/cy/blog/other-name/"));
        for not in [
            "/cy/blog/",
            "/cy/blog/a/b/",
            "/cy/blog/style.css",
            "/blog/x/",
        ] {
            assert!(!unknown.may_be_at(not), "{not}");
        }
    }
}
