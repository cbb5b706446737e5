//! The check of what a build publishes: every URL of every HTML page written that points
//! inside the site (relative, root-relative, or under `base_url`) must name a written file,
//! and its `#fragment` an id of the page it names. A dangling one is an error where it was
//! written: at its Markdown line, else in the template that rendered the page.
//!
//! Each page is read once, as it is rendered ([`PageLinks::read`], from its final bytes, so a
//! site under a sub-path is checked as it is served); [`check`] runs when every file is
//! written, before the output is swapped in, for `build` and `serve` alike.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::bytes::Bytes;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::html;
use crate::images::ImageSizes;
use crate::markdown::Rendered;
use crate::render::{AssetMap, Job, RenderInput, Renderer};
use crate::routes;

/// What one HTML page written offers links, and the links it holds, kept small: a site
/// keeps one for each of its pages until every page is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageLinks {
    /// Every id (and `<a name>`): what a `#fragment` may name; sorted, each once.
    ids: Box<[Box<str>]>,
    /// Its links into the site, each as a site path with its fragment (`/about/#team`), one
    /// a line, in the order written.
    internal: Box<str>,
    /// Its `http(s)` links elsewhere, one a line, in the order written.
    external: Box<str>,
}

impl PageLinks {
    /// Reads the final bytes of the page at site path `page`.
    pub fn read(html: &[u8], page: &str, address: &Address) -> PageLinks {
        let text = match std::str::from_utf8(html) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(html),
        };
        let (mut ids, mut internal, mut external) = (Vec::new(), Vec::new(), Vec::new());
        html::for_each_id_and_url(&text, |found| match found {
            html::Found::Id(id) => ids.push(id),
            html::Found::Url(url) => match address.reference_of(url, page, Written::AtHost) {
                Reference::Internal(target) => internal.push(target),
                Reference::External(url) => external.push(url),
                Reference::Other => {}
            },
        });
        ids.sort_unstable();
        ids.dedup();
        PageLinks {
            ids: ids.into_iter().map(|id| id.into()).collect(),
            internal: lines(internal),
            external: lines(external),
        }
    }

    /// Its links into the site.
    fn internal(&self) -> impl Iterator<Item = &str> {
        self.internal.split('\n').filter(|l| !l.is_empty())
    }

    /// Its `http(s)` links elsewhere.
    pub fn external(&self) -> impl Iterator<Item = &str> {
        self.external.split('\n').filter(|l| !l.is_empty())
    }

    /// Whether the page has an element with this id.
    fn has_id(&self, id: &str) -> bool {
        self.ids.binary_search_by(|known| (**known).cmp(id)).is_ok()
    }
}

/// URLs one a line (a URL has no line break: browsers drop them).
fn lines(urls: Vec<Cow<str>>) -> Box<str> {
    let mut out = String::with_capacity(urls.iter().map(|u| u.len() + 1).sum());
    for url in &urls {
        match memchr::memchr3(b'\n', b'\r', b'\t', url.as_bytes()).is_some() {
            true => out.extend(url.chars().filter(|c| !matches!(c, '\n' | '\r' | '\t'))),
            false => out.push_str(url),
        }
        out.push('\n');
    }
    out.into_boxed_str()
}

/// Where the site lives: what makes a URL one of its own.
#[derive(Debug, Clone)]
pub(crate) struct Address {
    /// `base_url`, without a trailing slash.
    base_url: String,
    /// `base_url`'s scheme and host.
    origin: String,
    /// `base_url`'s path (`/campaign`), empty at the root of the host.
    path: String,
}

/// How a root-relative URL was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// In a finished page, as a browser follows it: from the host's root, under the base path.
    AtHost,
    /// In Markdown or a template: from the site's root.
    AtSite,
}

/// What a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reference<'a> {
    /// A file of the site: its site path, with the fragment if any (`/about/#team`).
    Internal(Cow<'a, str>),
    /// An `http(s)` address elsewhere.
    External(Cow<'a, str>),
    /// Neither: `mailto:`, `tel:`, `data:`, a path of the host outside the site.
    Other,
}

impl Reference<'_> {
    fn into_owned(self) -> Reference<'static> {
        match self {
            Reference::Internal(t) => Reference::Internal(Cow::Owned(t.into_owned())),
            Reference::External(u) => Reference::External(Cow::Owned(u.into_owned())),
            Reference::Other => Reference::Other,
        }
    }

    /// Whether it is the site path `target`.
    fn is(&self, target: &str) -> bool {
        matches!(self, Reference::Internal(t) if t == target)
    }
}

impl Address {
    /// The address of a site with this `base_url`.
    pub fn new(base_url: &str) -> Address {
        let base_url = without_default_port(base_url.trim_end_matches('/'));
        let base_url = &*base_url;
        Address {
            base_url: base_url.to_string(),
            origin: routes::origin(base_url).to_string(),
            path: routes::base_path(base_url).to_string(),
        }
    }

    /// [`Address::reference`] of a URL that may be borrowed from the page.
    fn reference_of<'a>(&self, url: Cow<'a, str>, page: &str, written: Written) -> Reference<'a> {
        match url {
            Cow::Borrowed(url) => self.reference(url, page, written),
            Cow::Owned(url) => self.reference(&url, page, written).into_owned(),
        }
    }

    /// What `url`, written on the page at site path `page`, names.
    fn reference<'a>(&self, url: &'a str, page: &str, written: Written) -> Reference<'a> {
        let url = url.trim();
        match url.as_bytes() {
            [] => Reference::Other,
            [b'/', b'/', ..] => {
                let rest = &url[2..];
                let host = self.origin.split_once("//").map_or("", |(_, h)| h);
                match under(rest, host) {
                    Some(path) => self.at_host(path),
                    None => Reference::External(Cow::Owned(format!("https://{rest}"))),
                }
            }
            [b'/', ..] => match written {
                Written::AtHost => self.at_host(url),
                Written::AtSite => site_reference(url, "/"),
            },
            // In the output, a fragment of the page itself stays as it is: the check knows
            // the page.
            [b'#', ..] if written == Written::AtHost => Reference::Internal(Cow::Borrowed(url)),
            [b'#', ..] => site_reference(&format!("{page}{url}"), "/").into_owned(),
            [b'?', ..] => site_reference(&format!("{page}{url}"), "/").into_owned(),
            _ => match scheme_of(url) {
                Some(scheme) => {
                    match under_ignoring_case(&without_default_port(url), &self.base_url) {
                        Some(rest) => site_reference(rest, "/").into_owned(),
                        None if scheme.eq_ignore_ascii_case("http")
                            || scheme.eq_ignore_ascii_case("https") =>
                        {
                            Reference::External(Cow::Borrowed(url))
                        }
                        None => Reference::Other,
                    }
                }
                None => {
                    let folder = &page[..page.rfind('/').map_or(0, |at| at + 1)];
                    site_reference(&format!("{folder}{url}"), "/").into_owned()
                }
            },
        }
    }

    /// A path from the host's root: the site's if it is under the base path.
    fn at_host<'a>(&self, path: &'a str) -> Reference<'a> {
        match under(path, &self.path) {
            Some(rest) => site_reference(rest, "/"),
            None => Reference::Other,
        }
    }
}

/// The rest of `url` after `prefix`, if `prefix` is a whole part of it (followed by `/`, `?`,
/// `#` or nothing).
fn under<'a>(url: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix.is_empty() {
        return Some(url);
    }
    let rest = url.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(rest)
}

/// [`under`], the prefix (a scheme and host) compared without regard to case.
fn under_ignoring_case<'a>(url: &'a str, prefix: &str) -> Option<&'a str> {
    let head = url.get(..prefix.len())?;
    let rest = &url[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && (rest.is_empty() || rest.starts_with(['/', '?', '#'])))
        .then_some(rest)
}

/// `url` without the port its scheme has anyway (`https://host:443/a` is `https://host/a`).
fn without_default_port(url: &str) -> Cow<'_, str> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Cow::Borrowed(url);
    };
    let default = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return Cow::Borrowed(url),
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..host_end].strip_suffix(default) {
        Some(host) => Cow::Owned(format!("{scheme}://{host}{}", &rest[host_end..])),
        None => Cow::Borrowed(url),
    }
}

/// The scheme of an absolute URL (`https`, `mailto`), if it has one.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// A path from the site's root (`rest`, or `root` when it is empty or only a query or
/// fragment) as a site path with its fragment: the query dropped, percent-encoding decoded,
/// `.` and `..` resolved.
fn site_reference<'a>(rest: &'a str, root: &str) -> Reference<'a> {
    if is_plain(rest) {
        return Reference::Internal(Cow::Borrowed(rest));
    }
    let (path, fragment) = match rest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (rest, None),
    };
    let path = path.split_once('?').map_or(path, |(path, _)| path);
    let path = if path.is_empty() { root } else { path };
    let decoded = match path.contains('%') {
        true => percent_encoding::percent_decode_str(path).decode_utf8_lossy(),
        false => Cow::Borrowed(path),
    };
    let mut target = normalized(&decoded);
    if let Some(fragment) = fragment {
        // An id is matched as the browser matches it: decoded (`#caf%C3%A9` names `café`).
        target.push('#');
        target.push_str(&percent_encoding::percent_decode_str(fragment).decode_utf8_lossy());
    }
    Reference::Internal(Cow::Owned(target))
}

/// `target` with its fragment percent-decoded (`/a/#caf%C3%A9` is `/a/#café`).
fn decoded_fragment(target: &str) -> Cow<'_, str> {
    match target.split_once('#') {
        Some((path, fragment)) if fragment.contains('%') => {
            let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
            Cow::Owned(format!("{path}#{fragment}"))
        }
        _ => Cow::Borrowed(target),
    }
}

/// Whether a path from the site's root is already a site path with its fragment: no query,
/// no percent-encoding, no `.` or `..` (read in one pass: most links are such).
fn is_plain(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    bytes.first() == Some(&b'/')
        && bytes.iter().enumerate().all(|(i, b)| match b {
            b'?' | b'%' => false,
            b'.' => bytes[i - 1] != b'/',
            _ => true,
        })
}

/// A path with `.` and `..` resolved (never above the root), starting with `/`.
fn normalized(path: &str) -> String {
    if !path.contains("/.") {
        let mut out = String::with_capacity(path.len() + 16);
        if !path.starts_with('/') {
            out.push('/');
        }
        out.push_str(path);
        return out;
    }
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, segment) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        match *segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            "" if !last => {}
            s => segments.push(s),
        }
        if last && matches!(*segment, "." | "..") {
            segments.push("");
        }
    }
    format!("/{}", segments.join("/"))
}

/// Every file a build writes, by site path, folders' pages also by their folder's path
/// (`/about/index.html` and `/about/`); and where the pages that failed to load would have
/// been, which exist all the same (their own errors are reported).
#[derive(Debug, Default)]
pub(crate) struct WrittenFiles(HashSet<String>, Vec<routes::Whereabouts>);

impl WrittenFiles {
    /// The files of the jobs, the static files, the fingerprinted assets and the images
    /// derived from the static files.
    pub fn new(
        input: &RenderInput,
        jobs: &[Job],
        statics: &BTreeMap<String, Bytes>,
        assets: &AssetMap,
        images: &ImageSizes,
    ) -> WrittenFiles {
        let mut files = HashSet::with_capacity(jobs.len() * 2 + statics.len() * 2);
        let mut add = |path: String| {
            if let Some(folder) = path.strip_suffix("index.html").filter(|f| f.ends_with('/')) {
                files.insert(folder.to_string());
            }
            if path.ends_with('/') {
                files.insert(format!("{path}index.html"));
            }
            files.insert(path);
        };
        jobs.iter().for_each(|job| add(input.url_of(job)));
        statics.keys().for_each(|rel| add(format!("/{rel}")));
        assets.values().for_each(|url| add(url.clone()));
        images
            .rasters()
            .flat_map(|(_, raster)| raster.derived())
            .for_each(|v| add(format!("/{}", v.path)));
        let failed = &input.site.content.failed;
        WrittenFiles(files, failed.iter().map(routes::failed_page).collect())
    }

    /// Whether a site path names a written file (`/x` also names the folder `/x/`, as static
    /// hosts serve it), or may name a page that failed to load.
    fn has(&self, path: &str) -> bool {
        self.0.contains(path)
            || !path.ends_with('/') && self.0.contains(&format!("{path}/"))
            || self.1.iter().any(|failed| failed.may_be_at(path))
    }
}

/// An `http(s)` link of the site elsewhere, with every place it is written, for
/// `check --external`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// The address, as written.
    pub url: String,
    /// Where it is written: its Markdown lines and front matter or site.yaml fields, else the
    /// template that shows it.
    pub places: Vec<Place>,
}

/// Where something is written, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// 1-based; 0 when not known.
    pub line: usize,
    /// 1-based; 0 when not known.
    pub col: usize,
    /// The front matter or site.yaml field it is the value of, if it is one.
    pub field: Option<String>,
}

impl From<Origin> for Place {
    fn from(origin: Origin) -> Place {
        match origin {
            Origin::Written {
                file,
                line,
                col,
                field,
                ..
            } => Place {
                file,
                line,
                col,
                field,
            },
            Origin::Template(file, line, _) => Place {
                file,
                line,
                col: 0,
                field: None,
            },
        }
    }
}

/// Every `http(s)` link elsewhere of the written pages, of the front matter and of site.yaml,
/// each with the places it is written, sorted by address.
pub(crate) fn external_links<'a>(
    root: &Path,
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &'a [Job],
    links: impl Fn(&str) -> Option<&'a PageLinks>,
) -> Vec<ExternalLink> {
    let (written, pages) = (WrittenFiles::default(), HashMap::new());
    let report = Report::new(root, input, renderer, &written, &pages);
    let mut places: BTreeMap<String, BTreeSet<Place>> = report.written_elsewhere();
    let mut shown = html_pages(input, jobs, links);
    shown.sort_by(|a, b| a.1.cmp(&b.1));
    for (job, _, links) in shown {
        for url in links.external() {
            if !places.contains_key(url) {
                let origin = report.template_origin(job, url);
                places.insert(url.to_string(), BTreeSet::from([Place::from(origin)]));
            }
        }
    }
    places
        .into_iter()
        .map(|(url, places)| ExternalLink {
            url,
            places: places.into_iter().collect(),
        })
        .collect()
}

/// Each job that wrote an HTML page, with the page's site path and links.
fn html_pages<'a>(
    input: &RenderInput,
    jobs: &'a [Job],
    links: impl Fn(&str) -> Option<&'a PageLinks>,
) -> Vec<(&'a Job, String, &'a PageLinks)> {
    jobs.iter()
        .filter_map(|job| {
            let url = input.url_of(job);
            let links = links(&url)?;
            Some((job, url, links))
        })
        .collect()
}

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Broken {
    /// No file is written at its path.
    NoFile,
    /// Its page has no such id.
    NoId,
}

/// A broken link of one page.
struct Found<'a> {
    job: &'a Job,
    page: &'a str,
    target: &'a str,
    why: Broken,
}

/// Every broken link of the written pages (`links` gives each page's, by site path) as an
/// error at its Markdown line, else in its page's template (one error for all the pages a
/// template's link is broken on).
pub(crate) fn check<'a>(
    root: &Path,
    input: &RenderInput,
    renderer: &Renderer,
    jobs: &'a [Job],
    links: impl Fn(&str) -> Option<&'a PageLinks> + Sync,
    written: &WrittenFiles,
) -> Vec<Diagnostic> {
    let pages = html_pages(input, jobs, links);
    let by_path: HashMap<&str, &PageLinks> = pages
        .iter()
        .map(|(_, url, links)| (url.as_str(), *links))
        .collect();
    let found: Vec<Found> = pages
        .par_iter()
        .flat_map_iter(|(job, page, links)| {
            links.internal().filter_map(|target| {
                let why = broken(target, page, written, &by_path)?;
                Some(Found {
                    job,
                    page,
                    target,
                    why,
                })
            })
        })
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    Report::new(root, input, renderer, written, &by_path).of(found)
}

/// Why a link to `target` (a site path with its fragment, or a fragment of `page`, the page
/// it is on) is broken, if it is.
fn broken(
    target: &str,
    page: &str,
    written: &WrittenFiles,
    pages: &HashMap<&str, &PageLinks>,
) -> Option<Broken> {
    let (path, fragment) = match target.split_once('#') {
        Some(("", fragment)) => (page, Some(fragment)),
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    };
    if !written.has(path) {
        return Some(Broken::NoFile);
    }
    let fragment = fragment.filter(|f| !crate::links::is_any_page_fragment(f))?;
    let page = page_of(path, pages)?;
    let known = page.has_id(fragment) || {
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        page.has_id(&decoded)
    };
    (!known).then_some(Broken::NoId)
}

/// The page written at a site path, however the link names it (`/about/`, `/about`,
/// `/about/index.html`); `None` for a file that is not a page the build read.
fn page_of<'a>(path: &str, pages: &HashMap<&str, &'a PageLinks>) -> Option<&'a PageLinks> {
    let folder = path.strip_suffix("index.html").filter(|f| f.ends_with('/'));
    pages
        .get(path)
        .or_else(|| pages.get(folder?))
        .or_else(|| pages.get(format!("{path}/").as_str()))
        .copied()
}

/// Where a broken link was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Origin {
    /// In a source file (Markdown, front matter, site.yaml): where, the field if it is one,
    /// and the URL as written there.
    Written {
        file: PathBuf,
        line: usize,
        col: usize,
        field: Option<String>,
        url: String,
    },
    /// In a template: its file, the line (0 if unknown), and the URL as written there (the
    /// site path if it was not found).
    Template(PathBuf, usize, String),
}

impl Origin {
    /// A field's value (`registration.url` of a page, `menu.0.url` of site.yaml), at the
    /// place `at` points to.
    fn field(at: Diagnostic, field: &str, url: &str) -> Origin {
        Origin::Written {
            file: at.path,
            line: at.line,
            col: at.col,
            field: Some(field.to_string()),
            url: url.to_string(),
        }
    }
}

/// What turns broken links into errors: the site, and where its Markdown links are.
struct Report<'a> {
    root: &'a Path,
    input: &'a RenderInput<'a>,
    renderer: &'a Renderer,
    written: &'a WrittenFiles,
    pages: &'a HashMap<&'a str, &'a PageLinks>,
    address: Address,
    /// Every Markdown link of the site by target, the first written of each: for a page that
    /// shows other pages' Markdown (a list of their summaries). Made when first needed.
    everywhere: OnceLock<HashMap<String, Origin>>,
    /// Where each template writes each target, once asked (a template's broken link is on
    /// many pages).
    in_templates: std::sync::Mutex<HashMap<(String, String), Origin>>,
}

impl<'a> Report<'a> {
    fn new(
        root: &'a Path,
        input: &'a RenderInput<'a>,
        renderer: &'a Renderer,
        written: &'a WrittenFiles,
        pages: &'a HashMap<&'a str, &'a PageLinks>,
    ) -> Report<'a> {
        Report {
            root,
            input,
            renderer,
            written,
            pages,
            address: Address::new(&input.site.config.base_url),
            everywhere: OnceLock::new(),
            in_templates: Default::default(),
        }
    }

    /// The errors for the broken links found, one per origin and target.
    fn of(&self, found: Vec<Found>) -> Vec<Diagnostic> {
        let mut grouped: BTreeMap<(Origin, String, Broken), Vec<&str>> = BTreeMap::new();
        for f in &found {
            // The site path with its fragment decoded, as the Markdown's links are read: a
            // link to `#café` is one however the HTML spells it.
            let full = match f.target.starts_with('#') {
                true => format!("{}{}", f.page, decoded_fragment(f.target)),
                false => decoded_fragment(f.target).into_owned(),
            };
            let origin = self.origin(f.job, &full);
            grouped
                .entry((origin, full, f.why.clone()))
                .or_default()
                .push(f.page);
        }
        let mut errors: Vec<Diagnostic> = grouped
            .into_iter()
            .map(|((origin, target, why), mut pages)| {
                pages.sort_unstable();
                pages.dedup();
                self.diagnostic(origin, &target, &why, &pages)
            })
            .collect();
        // A link of a summary is found on its page and in lists: one error.
        crate::diagnostics::sort(&mut errors);
        errors.dedup();
        errors
    }

    /// Where the link to `target` on the page of `job` was written: in the Markdown the page
    /// shows, else in any page's Markdown shown there (a summary), else in its template.
    fn origin(&self, job: &Job, target: &str) -> Origin {
        let own = self
            .sources(job)
            .into_iter()
            .find_map(|(file, rendered, url)| self.written_in(file, rendered, url, target));
        if let Some(origin) = own.or_else(|| self.in_fields(job, target)) {
            return origin;
        }
        match self.everywhere().get(target) {
            Some(origin) => origin.clone(),
            None => self.template_origin(job, target),
        }
    }

    /// Where the template of a job's page writes `target` (a site path with its fragment, or
    /// an address).
    fn template_origin(&self, job: &Job, target: &str) -> Origin {
        let template = self
            .input
            .template_of(self.renderer, job)
            .ok()
            .flatten()
            .unwrap_or_default();
        let key = (template, target.to_string());
        if let Some(known) = self
            .in_templates
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return known;
        }
        let origin = self.locate(&key.0, target);
        if let Ok(mut known) = self.in_templates.lock() {
            known.insert(key, origin.clone());
        }
        origin
    }

    /// Where `template`, or a template it uses, writes `target`, or its fragment.
    fn locate(&self, template: &str, target: &str) -> Origin {
        let fragment = target.find('#').map(|at| &target[at..]);
        let (file, line) = self.renderer.locate(template, target);
        match (line, fragment) {
            (0, Some(fragment)) => match self.renderer.locate(template, fragment) {
                (file, 0) => Origin::Template(file, 0, target.to_string()),
                (file, line) => Origin::Template(file, line, fragment.to_string()),
            },
            _ => Origin::Template(file, line, target.to_string()),
        }
    }

    /// The front matter field of a job's page, or the site.yaml setting (a menu item, a
    /// theme option), that names `target`, if one does.
    fn in_fields(&self, job: &Job, target: &str) -> Option<Origin> {
        let site = self.input.site;
        let names = |url: &str, page: &str| {
            self.address
                .reference(url, page, Written::AtSite)
                .is(target)
        };
        if let Job::Page(i) = job {
            let page = &site.content.pages[*i];
            let url = &site.page_urls[*i];
            let image = page.meta.image.iter().map(|v| ("image", v.as_str()));
            let found = image
                .chain(page.kind.urls())
                .find(|(_, value)| names(value, url));
            if let Some((field, value)) = found {
                let at = page.source.fragment().error_for(field, String::new());
                return Some(Origin::field(at, field, value));
            }
        }
        let (field, value) = self
            .site_yaml_urls()
            .into_iter()
            .find(|(_, value)| names(value, "/"))?;
        Some(Origin::field(
            site.config.error_for(&field, String::new()),
            &field,
            value,
        ))
    }

    /// Every place an `http(s)` address elsewhere is written in Markdown, front matter or
    /// site.yaml, by address.
    fn written_elsewhere(&self) -> BTreeMap<String, BTreeSet<Place>> {
        let site = self.input.site;
        let mut all: BTreeMap<String, BTreeSet<Place>> = BTreeMap::new();
        let mut add = |url: &str, page: &str, origin: &dyn Fn() -> Origin| {
            if let Reference::External(address) = self.address.reference(url, page, Written::AtSite)
            {
                all.entry(address.into_owned())
                    .or_default()
                    .insert(origin().into());
            }
        };
        let pages = (0..site.content.pages.len()).map(|i| {
            (
                site.content.pages[i].source.file.as_path(),
                &*self.input.pages[i],
                site.page_urls[i].as_str(),
            )
        });
        let sections = site.content.sections.keys().filter_map(|k| self.section(k));
        for (file, rendered, url) in pages.chain(sections) {
            for link in &rendered.links {
                add(&link.url, url, &|| Origin::Written {
                    file: file.to_path_buf(),
                    line: link.line,
                    col: link.col,
                    field: None,
                    url: link.url.clone(),
                });
            }
        }
        for (i, page) in site.content.pages.iter().enumerate() {
            let image = page.meta.image.iter().map(|v| ("image", v.as_str()));
            for (field, value) in image.chain(page.kind.urls()) {
                let at = || {
                    Origin::field(
                        page.source.fragment().error_for(field, String::new()),
                        field,
                        value,
                    )
                };
                add(value, &site.page_urls[i], &at);
            }
        }
        for (field, value) in self.site_yaml_urls() {
            let at = || Origin::field(site.config.error_for(&field, String::new()), &field, value);
            add(value, "/", &at);
        }
        all
    }

    /// The URLs of site.yaml: the menu's and the theme options'.
    fn site_yaml_urls(&self) -> Vec<(String, &'a str)> {
        let config = &self.input.site.config;
        let menu = config
            .menu
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match &item.url {
                crate::links::Href::Url(url) => Some((format!("menu.{i}.url"), url.as_str())),
                crate::links::Href::Content(_) => None,
            });
        let options = config
            .theme_options
            .iter()
            .filter_map(|(key, value)| Some((format!("theme_options.{key}"), value.as_str()?)));
        menu.chain(options).collect()
    }

    /// Where a Markdown file (shown at site path `url`) links to `target`, if it does.
    fn written_in(
        &self,
        file: &Path,
        rendered: &Rendered,
        url: &str,
        target: &str,
    ) -> Option<Origin> {
        rendered.links.iter().find_map(|link| {
            let named = self.address.reference(&link.url, url, Written::AtSite);
            named.is(target).then(|| Origin::Written {
                file: file.to_path_buf(),
                line: link.line,
                col: link.col,
                field: None,
                url: link.url.clone(),
            })
        })
    }

    /// The Markdown a job's page shows in full: its own, a section's introduction, the
    /// chapters of a whole document.
    fn sources(&self, job: &Job) -> Vec<(&'a Path, &'a Rendered, &'a str)> {
        let site = self.input.site;
        let page = |i: usize| {
            (
                site.content.pages[i].source.file.as_path(),
                &*self.input.pages[i],
                site.page_urls[i].as_str(),
            )
        };
        match job {
            Job::Page(i) => vec![page(*i)],
            Job::Section(key, _) => self.section(key).into_iter().collect(),
            Job::WholeDocument(key) => {
                let chapters = site.pages_of(key).iter().map(|i| page(*i));
                self.section(key).into_iter().chain(chapters).collect()
            }
            _ => Vec::new(),
        }
    }

    fn section(&self, key: &str) -> Option<(&'a Path, &'a Rendered, &'a str)> {
        let site = self.input.site;
        Some((
            site.content.sections.get(key)?.source.file.as_path(),
            self.input.sections.get(key)?,
            site.section_urls.get(key)?.as_str(),
        ))
    }

    fn everywhere(&self) -> &HashMap<String, Origin> {
        self.everywhere.get_or_init(|| {
            let site = self.input.site;
            let pages = (0..site.content.pages.len()).map(|i| {
                (
                    site.content.pages[i].source.file.as_path(),
                    &*self.input.pages[i],
                    site.page_urls[i].as_str(),
                )
            });
            let sections = site.content.sections.keys().filter_map(|k| self.section(k));
            let mut all = HashMap::new();
            for (file, rendered, url) in pages.chain(sections) {
                for link in &rendered.links {
                    if let Reference::Internal(target) =
                        self.address.reference(&link.url, url, Written::AtSite)
                    {
                        all.entry(target.into_owned())
                            .or_insert_with(|| Origin::Written {
                                file: file.to_path_buf(),
                                line: link.line,
                                col: link.col,
                                field: None,
                                url: link.url.clone(),
                            });
                    }
                }
            }
            all
        })
    }

    /// The error for a broken link to `target` from `origin`, found on `pages` (sorted).
    fn diagnostic(&self, origin: Origin, target: &str, why: &Broken, pages: &[&str]) -> Diagnostic {
        let (path, fragment) = match target.split_once('#') {
            Some(("", fragment)) => (pages.first().copied().unwrap_or("/"), fragment),
            Some(split) => split,
            None => (target, ""),
        };
        let (Origin::Written { url: written, .. } | Origin::Template(_, _, written)) = &origin;
        let (reason, hint) = match why {
            Broken::NoFile if written.split('#').next() == Some(path) => (
                "the site has no page or file there".to_string(),
                self.nearest_file(path, &origin),
            ),
            Broken::NoFile => (
                format!("the site has no page or file at {path}"),
                self.nearest_file(path, &origin),
            ),
            Broken::NoId => (
                format!("the page {path} has no element with id=\"{fragment}\""),
                self.nearest_id(path, fragment),
            ),
        };
        match origin {
            Origin::Written {
                file,
                line,
                col,
                field,
                url,
            } => {
                let field = field.map(|f| format!("{f}: ")).unwrap_or_default();
                let message = format!("{field}broken link: {url} ({reason})");
                let text = std::fs::read_to_string(self.root.join(&file)).unwrap_or_default();
                Diagnostic::error(&file, line, col, message)
                    .with_hint(hint)
                    .with_source(&text)
            }
            Origin::Template(file, line, written) => {
                let shown = match pages {
                    [one] => format!("in the page {one}"),
                    [first, rest @ ..] => format!(
                        "in the page {first} and {} other{}",
                        rest.len(),
                        if rest.len() == 1 { "" } else { "s" }
                    ),
                    [] => String::new(),
                };
                let message = format!("broken link: {written} ({shown}: {reason})");
                let d = Diagnostic::error(&file, line, 0, message).with_hint(hint);
                match line {
                    0 => d,
                    _ => {
                        let text = std::fs::read_to_string(self.root.join(&file));
                        d.with_source(&text.unwrap_or_default())
                    }
                }
            }
        }
    }

    /// A hint naming the written path nearest to a missing one, of its kind (a page for a
    /// page, a file of the same type for a file).
    fn nearest_file(&self, path: &str, origin: &Origin) -> String {
        let extension = |p: &str| {
            let name = p
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
        };
        let wanted = extension(path);
        let mut candidates: Vec<&str> = self
            .written
            .0
            .iter()
            .map(String::as_str)
            .filter(|p| !p.ends_with("/index.html") && extension(p) == wanted)
            .collect();
        candidates.sort_unstable();
        match did_you_mean(path, candidates) {
            Some(best) => format!("did you mean {best}?"),
            None if wanted.is_some() => {
                "put the file in static/ (it is then at /its-name), or beside the page in its bundle".into()
            }
            None if matches!(origin, Origin::Template(..)) => "link to a page the site writes; in a template, url_for(path=\"@/about.md\") gives the address of a page by its source file".into(),
            None => "link to a page of the site; a Markdown link may name a page by its source file: [About us](@/about.md)".into(),
        }
    }

    /// A hint naming the id nearest to a missing one.
    fn nearest_id(&self, path: &str, fragment: &str) -> String {
        let ids: Vec<&str> = page_of(path, self.pages)
            .map(|p| p.ids.iter().map(|id| &**id).collect())
            .unwrap_or_default();
        match did_you_mean(fragment, ids.iter().copied()) {
            Some(best) => format!("did you mean #{best}?"),
            None if ids.is_empty() => format!("the page {path} has no ids to link to"),
            None => {
                let shown: Vec<&str> = ids.iter().take(12).copied().collect();
                let more = if ids.len() > shown.len() { ", …" } else { "" };
                format!("the ids of {path} are: {}{more}", shown.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(base: &str, url: &str, page: &str, written: Written) -> Reference<'static> {
        Address::new(base)
            .reference(url, page, written)
            .into_owned()
    }

    fn internal(target: &str) -> Reference<'_> {
        Reference::Internal(Cow::Borrowed(target))
    }

    #[test]
    fn links_into_the_site_are_told_from_others() {
        let site = "https://concordat.example.org";
        let at = |url| named(site, url, "/blog/x/", Written::AtHost);
        assert_eq!(at("/about/#team"), internal("/about/#team"));
        assert_eq!(at("#top"), internal("#top"));
        assert_eq!(at("?page=2#top"), internal("/blog/x/#top"));
        let in_markdown = named(site, "#top", "/blog/x/", Written::AtSite);
        assert_eq!(in_markdown, internal("/blog/x/#top"));
        assert_eq!(at("chart.png?v=2"), internal("/blog/x/chart.png"));
        assert_eq!(at("../y/"), internal("/blog/y/"));
        assert_eq!(at("../../../z"), internal("/z"));
        assert_eq!(at("/caf%C3%A9/"), internal("/café/"));
        assert_eq!(at("/a/#caf%C3%A9"), internal("/a/#café"));
        assert_eq!(at("https://concordat.example.org"), internal("/"));
        assert_eq!(at("HTTPS://Concordat.Example.org/a/"), internal("/a/"));
        assert_eq!(at("//concordat.example.org/a/"), internal("/a/"));
        assert_eq!(at("https://concordat.example.org:443/a/"), internal("/a/"));
        assert_eq!(
            at("https://concordat.example.org:8443/a/"),
            Reference::External("https://concordat.example.org:8443/a/".into())
        );
        assert_eq!(
            at("https://concordat.example.org.evil/a/"),
            Reference::External("https://concordat.example.org.evil/a/".into())
        );
        assert_eq!(
            at("//cdn.example/x.js"),
            Reference::External("https://cdn.example/x.js".into())
        );
        for other in [
            "mailto:a@b.org",
            "tel:+44",
            "data:image/png;base64,AA",
            "javascript:x",
        ] {
            assert_eq!(at(other), Reference::Other, "{other}");
        }
    }

    #[test]
    fn under_a_sub_path_the_output_is_read_from_the_host_and_markdown_from_the_site() {
        let site = "https://host.example/campaign";
        let page = "/about/";
        assert_eq!(
            named(site, "/campaign/blog/", page, Written::AtHost),
            internal("/blog/")
        );
        assert_eq!(
            named(site, "/campaign", page, Written::AtHost),
            internal("/")
        );
        assert_eq!(
            named(site, "/other/", page, Written::AtHost),
            Reference::Other
        );
        assert_eq!(
            named(site, "/blog/", page, Written::AtSite),
            internal("/blog/")
        );
        assert_eq!(
            named(
                site,
                "https://host.example/campaign/blog/",
                page,
                Written::AtHost
            ),
            internal("/blog/")
        );
        assert_eq!(
            named(
                site,
                "https://host.example/campaigns/",
                page,
                Written::AtHost
            ),
            Reference::External("https://host.example/campaigns/".into())
        );
    }

    #[test]
    fn a_page_file_is_found_however_it_is_named() {
        let written = WrittenFiles(
            ["/about/", "/about/index.html", "/404.html", "/style.css"]
                .map(String::from)
                .into(),
            Vec::new(),
        );
        let links = PageLinks {
            ids: ["team".into()].into(),
            ..PageLinks::default()
        };
        assert!(links.has_id("team") && !links.has_id("nope"));
        let pages = HashMap::from([("/about/", &links)]);
        let broken = |target| broken(target, "/about/", &written, &pages);
        assert_eq!(broken("/about/#team"), None);
        assert_eq!(broken("/about#team"), None);
        assert_eq!(broken("/about/index.html#team"), None);
        assert_eq!(broken("/about/#top"), None);
        assert_eq!(broken("/about/#nope"), Some(Broken::NoId));
        assert_eq!(broken("#team"), None);
        assert_eq!(broken("#nope"), Some(Broken::NoId));
        assert_eq!(broken("/style.css#x"), None);
        assert_eq!(broken("/abut/"), Some(Broken::NoFile));
    }
}
