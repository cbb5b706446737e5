//! What a build writes — one [`Job`] per file — and the context each job is rendered with.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use tera::Value;

use super::context::{Printed, PrintedContext, Shared};
use super::values::{self, extend, json, obj};
use super::{ics, jsonld, search, site_files, Renderer};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::links::with_anchor;
use crate::markdown::Rendered;
use crate::routes::{self, FeedFormat, FeedOf};
use crate::site::{Site, HOME};
use crate::theme;

pub use crate::routes::Job;

/// Summaries of every page, built once and shared by all lists, each printed once.
pub struct Summaries(pub Vec<Arc<Shared>>);

impl Summaries {
    /// Builds the summary of every page, for `build` and `serve` alike: the one `kept` gives
    /// (a rebuild's page whose summary cannot have changed), else one made from the page.
    pub fn build(
        site: &Site,
        rendered: &[Arc<Rendered>],
        kept: impl Fn(usize) -> Option<Arc<Shared>> + Sync,
    ) -> Summaries {
        use rayon::prelude::*;
        Summaries(
            (0..site.content.pages.len())
                .into_par_iter()
                .map(|i| {
                    kept(i)
                        .unwrap_or_else(|| Shared::new(values::page_summary(site, i, &rendered[i])))
                })
                .collect(),
        )
    }

    /// The summary of page `i`.
    fn of(&self, i: usize) -> Printed {
        Printed::shared(&self.0[i])
    }

    fn list(&self, indices: &[usize]) -> Printed {
        Printed::list(indices.iter().map(|i| self.of(*i)).collect())
    }
}

/// A value printed from its serialisation.
fn plain(value: Value) -> Printed {
    Printed::plain(value)
}

/// A job rendered with a template: the template, its context, what the file is (for errors)
/// and where it goes.
pub struct Templated {
    /// The template's name.
    pub template: String,
    /// What the template is given, with its print.
    pub context: PrintedContext,
    /// What the file is, as an error about it names it.
    pub what: String,
    /// The site path the file is written to.
    pub path: String,
}

/// A document of at most this many chapters is listed whole on each chapter page.
const CONTENTS_WHOLE_UP_TO: usize = 25;

/// How many chapters a long document's chapter page lists before and after its own.
const CONTENTS_AROUND: usize = 5;

/// The chapters a chapter page lists in its document's contents: all of a short document, the
/// neighbourhood of `current` in a long one (its section page lists them all), so that a
/// 500-chapter document does not repeat its whole contents in each of its 500 pages.
fn contents_window(chapters: &[usize], current: usize) -> &[usize] {
    if chapters.len() <= CONTENTS_WHOLE_UP_TO {
        return chapters;
    }
    let at = chapters.iter().position(|c| *c == current).unwrap_or(0);
    let from = at.saturating_sub(CONTENTS_AROUND);
    let to = (at + CONTENTS_AROUND + 1).min(chapters.len());
    &chapters[from..to]
}

/// A term of one language: its language, its taxonomy's name and its slug.
type TermKey = (Option<String>, String, String);

/// Everything needed to render any job.
pub struct RenderInput<'a> {
    /// The resolved site.
    pub site: &'a Site,
    /// Markdown of each page.
    pub pages: &'a [Arc<Rendered>],
    /// Markdown of each section, by key.
    pub sections: &'a BTreeMap<String, Arc<Rendered>>,
    /// Page summaries.
    pub summaries: &'a Summaries,
    /// Each section's value, built when a job first needs it and shared by all its list pages.
    section_values: BTreeMap<String, OnceLock<Arc<Shared>>>,
    /// Each term's value, by language, taxonomy and slug, shared the same way by its list
    /// pages.
    term_values: BTreeMap<TermKey, OnceLock<Arc<Shared>>>,
    /// Each language's search index, built when a job first needs it.
    search_index: BTreeMap<Option<String>, OnceLock<search::Index>>,
    /// What the previous build's search index read, that this one may keep.
    search_kept: Option<Arc<search::Kept>>,
}

impl<'a> RenderInput<'a> {
    /// Gathers what rendering needs and builds the values shared between pages.
    pub fn new(
        site: &'a Site,
        pages: &'a [Arc<Rendered>],
        sections: &'a BTreeMap<String, Arc<Rendered>>,
        summaries: &'a Summaries,
    ) -> Self {
        RenderInput {
            site,
            pages,
            sections,
            summaries,
            section_values: site
                .content
                .sections
                .keys()
                .map(|k| (k.clone(), OnceLock::new()))
                .collect(),
            search_index: site
                .config
                .language_codes()
                .map(|lang| (lang.map(str::to_string), OnceLock::new()))
                .collect(),
            search_kept: None,
            term_values: site
                .taxonomies
                .iter()
                .flat_map(|(lang, taxonomies)| {
                    taxonomies.iter().flat_map(move |(taxonomy, terms)| {
                        terms.keys().map(move |slug| {
                            let key = (lang.clone(), taxonomy.clone(), slug.clone());
                            (key, OnceLock::new())
                        })
                    })
                })
                .collect(),
        }
    }

    /// What a term's pages show of it: its name, address, feeds and every page it classifies.
    fn term_value(
        &self,
        lang: Option<&str>,
        taxonomy: &str,
        term: &crate::site::Term,
    ) -> Arc<Shared> {
        let key = (
            lang.map(str::to_string),
            taxonomy.to_string(),
            term.slug.clone(),
        );
        let build = || {
            let url = routes::term(lang, taxonomy, &term.slug);
            let own = obj([
                ("name", Value::from(term.name.as_str())),
                ("slug", Value::from(term.slug.as_str())),
                ("url", Value::from(url.as_str())),
                (
                    "feed_url",
                    Value::from(routes::feed(&url, FeedFormat::Atom)),
                ),
                ("rss_url", Value::from(routes::feed(&url, FeedFormat::Rss))),
            ]);
            let pages = vec![("pages", self.summaries.list(&term.pages))];
            Shared::of(Printed::map(Some(plain(own)), pages))
        };
        match self.term_values.get(&key) {
            Some(cell) => cell.get_or_init(build).clone(),
            None => build(),
        }
    }

    /// Lets the search index keep the words of the pages that did not change since the build
    /// that gave `kept` (a `serve` session's previous build).
    pub fn keeping_search(mut self, kept: Option<Arc<search::Kept>>) -> Self {
        self.search_kept = kept;
        self
    }

    /// What the next build may keep of this one's search index (the previous build's, when no
    /// file of the index was made again).
    pub fn search_kept(&self) -> Option<Arc<search::Kept>> {
        match self.search_index.get(&None).and_then(OnceLock::get) {
            Some(index) => Some(index.kept()),
            None => self.search_kept.clone(),
        }
    }

    fn shared_section_value(&self, key: &str) -> Arc<Shared> {
        match self.section_values.get(key) {
            Some(cell) => Arc::clone(cell.get_or_init(|| Shared::of(self.section_value(key)))),
            None => Shared::new(Value::none()),
        }
    }

    /// Every file the build generates (see [`jobs`]).
    pub fn jobs(&self, r: &Renderer) -> Vec<Job> {
        jobs(self.site, r.has("search.html"))
    }

    /// What a feed lists, in its order: the newest posts of the site or of a term, the newest
    /// posts and videos of a section's list, the soonest upcoming events of an event section.
    fn feed_pages(&self, of: &FeedOf) -> Vec<usize> {
        let site = self.site;
        let kind = |i: &usize| site.content.pages[*i].kind.kind();
        match of {
            FeedOf::Site(lang) => site_files::posts(site, lang.as_deref()),
            FeedOf::Term(lang, taxonomy, slug) => {
                let terms = site.terms(lang.as_deref(), taxonomy);
                terms.get(slug).map_or_else(Vec::new, |t| {
                    t.pages
                        .iter()
                        .copied()
                        .filter(|i| kind(i) == Kind::Post)
                        .collect()
                })
            }
            FeedOf::Section(key) => {
                let mut pages: Vec<usize> = site
                    .pages_of(key)
                    .iter()
                    .copied()
                    .filter(|i| matches!(kind(i), Kind::Post | Kind::Video))
                    .collect();
                site.sort_newest_first(&mut pages);
                pages
            }
            FeedOf::Events(key) => {
                let mut events: Vec<(jiff::Timestamp, usize)> = site
                    .pages_of(key)
                    .iter()
                    .filter_map(|i| match &site.content.pages[*i].kind {
                        crate::content::KindData::Event(e) if e.end.timestamp() >= site.now => {
                            Some((e.start.timestamp(), *i))
                        }
                        _ => None,
                    })
                    .collect();
                events.sort_unstable();
                events.into_iter().map(|(_, i)| i).collect()
            }
        }
    }

    /// The pages whose content a job shows in full (not only their summaries): a feed's
    /// entries.
    pub fn feed_posts(&self, job: &Job) -> Vec<usize> {
        let Job::Feed(of, _) = job else {
            return Vec::new();
        };
        let mut pages = self.feed_pages(of);
        pages.truncate(site_files::FEED_ENTRIES);
        pages
    }

    /// The events a calendar describes: every event of its language, or its own event.
    pub fn calendar_events(&self, job: &Job) -> Vec<usize> {
        match job {
            Job::Calendar(lang) => events(self.site, lang.as_deref()),
            Job::EventCalendar(i) => vec![*i],
            _ => Vec::new(),
        }
    }

    /// The site path a job writes to.
    pub fn url_of(&self, job: &Job) -> String {
        routes::path(&self.site.content, job)
    }

    /// The bytes of one job's file.
    pub fn render(&self, r: &Renderer, job: &Job) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.render_to(r, job, &mut out)?;
        Ok(out)
    }

    /// The text of a site-wide file made without a template: data (the search index) and
    /// calendars.
    fn site_file(&self, job: &Job) -> String {
        let site = self.site;
        match job {
            Job::SearchIndex(lang, file) => {
                let lang = lang.as_deref();
                search::file(site, self.pages, lang, file, || self.search_index(lang))
            }
            Job::Calendar(lang) => {
                let lang = lang.as_deref();
                ics::calendar(site, self.pages, lang, &self.calendar_events(job))
            }
            Job::EventCalendar(i) => {
                let lang = site.content.pages[*i].lang.as_deref();
                ics::calendar(site, self.pages, lang, &self.calendar_events(job))
            }
            _ => String::new(),
        }
    }

    /// A language's search index, built on first use. Only the default language's keeps
    /// what a `serve` session's previous build read.
    fn search_index(&self, lang: Option<&str>) -> &search::Index {
        let site = self.site;
        let build = || {
            let kept = self.search_kept.as_deref().filter(|_| lang.is_none());
            search::Index::build(site, self.pages, lang, kept)
        };
        let cell = self.search_index.iter().find(|(l, _)| l.as_deref() == lang);
        match cell {
            Some((_, cell)) => cell.get_or_init(build),
            None => self.search_index[&None].get_or_init(build),
        }
    }

    /// What the template of a feed shows: its title, its page and its entries.
    fn feed_value(&self, job: &Job, of: &FeedOf) -> Printed {
        let site = self.site;
        let (name, page) = match of {
            FeedOf::Site(lang) => (None, routes::in_language(lang.as_deref(), "/")),
            FeedOf::Term(lang, taxonomy, slug) => (
                site.terms(lang.as_deref(), taxonomy)
                    .get(slug)
                    .map(|t| t.name.as_str()),
                routes::term(lang.as_deref(), taxonomy, slug),
            ),
            FeedOf::Section(key) | FeedOf::Events(key) => (
                site.content.sections.get(key).map(|s| s.title.as_str()),
                site.section_urls[key].clone(),
            ),
        };
        let lang = site.config.language_of_path(&page);
        let words = site.config.strings.get(site.config.lang_tag(lang));
        let site_title = site.config.title_in(lang);
        let title = match name {
            Some(name) => {
                words.say_with("feed_title", None, &[("site", site_title), ("title", name)])
            }
            None => site_title.to_string(),
        };
        let feed = self.url_of(job);
        let paths = site_files::FeedPaths {
            feed: &feed,
            page: &page,
        };
        site_files::feed(site, self.pages, &title, paths, &self.feed_pages(of))
    }

    /// Renders one job into `out`.
    pub fn render_to(
        &self,
        r: &Renderer,
        job: &Job,
        mut out: impl std::io::Write,
    ) -> Result<(), Diagnostic> {
        let Some(Templated {
            template,
            context,
            what,
            path,
        }) = self.templated(r, job)?
        else {
            let path = self.url_of(job);
            return out
                .write_all(self.site_file(job).as_bytes())
                .map_err(|e| Diagnostic::general(format!("cannot write {path}: {e}")));
        };
        let ctx = context.context();
        let base = routes::base_path(&self.site.config.base_url);
        // Feeds, the sitemap and robots.txt carry absolute URLs already; only HTML is rebased.
        let html_page = path.ends_with('/') || path.ends_with(".html");
        if base.is_empty() || !html_page {
            return r.render_to(&template, ctx, &what, out);
        }
        let mut html = Vec::with_capacity(32 * 1024);
        r.render_to(&template, ctx, &what, &mut html)?;
        let rebased = routes::rebase(&html, base).map_err(|e| {
            Diagnostic::general(format!("{what}: cannot move its links under {base}: {e}"))
        })?;
        out.write_all(&rebased)
            .map_err(|e| Diagnostic::general(format!("cannot write {path}: {e}")))
    }

    /// The language a job's file is written in: its path's, but a redirect's is its page's
    /// (an alias of a Welsh page may be any path of the site).
    fn language_of(&self, job: &Job, path: &str) -> Option<&'a str> {
        match job {
            Job::Alias(i, _) => self.site.content.pages[*i].lang.as_deref(),
            _ => self.site.config.language_of_path(path),
        }
    }

    /// The template of a job and the context it is rendered with (`None` for files made
    /// without a template). What the file shows comes from these alone, so `serve` renders it
    /// again when their prints change.
    pub fn templated(&self, r: &Renderer, job: &Job) -> Result<Option<Templated>, Diagnostic> {
        let path = self.url_of(job);
        let Some(template) = self.template_of(r, job)? else {
            return Ok(None);
        };
        let language = self.language_of(job, &path);
        let mut ctx = r.context(self.site, &path, language);
        let words = self
            .site
            .config
            .strings
            .get(self.site.config.lang_tag(language));
        let what = match job {
            Job::Page(i) => {
                let page = &self.site.content.pages[*i];
                ctx.insert_printed("page", self.page_value(*i));
                ctx.insert_value("section", self.section_summary(&page.section));
                if page.kind.kind() == Kind::Chapter {
                    let all = self.site.pages_of(&page.section);
                    ctx.insert_printed("chapters", self.summaries.list(contents_window(all, *i)));
                    ctx.insert_value("chapters_total", Value::from(all.len()));
                }
                page.source.file.display().to_string()
            }
            Job::Section(key, n) => {
                let per_page = self.site.per_page_of(key);
                let pages = self.site.pages_of(key);
                let base = &self.site.section_urls[key];
                ctx.insert_shared("section", &self.shared_section_value(key));
                ctx.insert_printed("paginator", self.paginator(pages, per_page, base, *n));
                if self.site.is_home(key) {
                    let lang = self.site.content.sections[key].lang.as_deref();
                    self.home_lists(&mut ctx, lang);
                }
                let section = &self.site.content.sections[key];
                section.source.file.display().to_string()
            }
            Job::WholeDocument(key) => {
                ctx.insert_shared("section", &self.shared_section_value(key));
                let chapters: Vec<Printed> = self
                    .site
                    .pages_of(key)
                    .iter()
                    .map(|i| self.page_value(*i))
                    .collect();
                ctx.insert_printed("chapters", Printed::list(chapters));
                format!("the whole document of content/{key}")
            }
            Job::TermList(lang, taxonomy) => {
                let lang = lang.as_deref();
                let terms: Vec<Value> = self
                    .site
                    .terms(lang, taxonomy)
                    .values()
                    .map(|t| {
                        obj([
                            ("name", Value::from(t.name.as_str())),
                            ("slug", Value::from(t.slug.as_str())),
                            ("url", Value::from(routes::term(lang, taxonomy, &t.slug))),
                            ("count", Value::from(t.pages.len())),
                        ])
                    })
                    .collect();
                ctx.insert_value("taxonomy", values::taxonomy(lang, taxonomy, words));
                ctx.insert_value("terms", Value::from(terms));
                format!("the list of {taxonomy}")
            }
            Job::Term(lang, taxonomy, slug, n) => {
                let lang = lang.as_deref();
                let t = self.site.terms(lang, taxonomy).get(slug).ok_or_else(|| {
                    Diagnostic::general(format!("{path}: {taxonomy} has no term {slug}"))
                })?;
                let url = routes::term(lang, taxonomy, slug);
                ctx.insert_value("taxonomy", values::taxonomy(lang, taxonomy, words));
                ctx.insert_shared("term", &self.term_value(lang, taxonomy, t));
                let per_page = self.site.config.paginate;
                ctx.insert_printed("paginator", self.paginator(&t.pages, per_page, &url, *n));
                format!("the {taxonomy} page {path}")
            }
            Job::Author(key) => {
                let a = &self.site.config.authors[key];
                let own = obj([
                    ("key", Value::from(key.as_str())),
                    ("name", Value::from(a.name.as_str())),
                    (
                        "role",
                        a.role.as_deref().map_or_else(Value::none, Value::from),
                    ),
                    (
                        "bio",
                        a.bio.as_deref().map_or_else(Value::none, Value::from),
                    ),
                    (
                        "photo",
                        a.photo.as_deref().map_or_else(Value::none, Value::from),
                    ),
                    ("url", Value::from(path.as_str())),
                ]);
                let pages = vec![("pages", self.summaries.list(&self.site.authors[key]))];
                ctx.insert_printed("author", Printed::map(Some(plain(own)), pages));
                format!("the author page of {key}")
            }
            Job::NotFound(_) => "the 404 page".to_string(),
            Job::Search(_) => "the search page".to_string(),
            Job::Feed(of, _) => {
                ctx.insert_printed("feed", self.feed_value(job, of));
                format!("the feed {path}")
            }
            Job::Sitemap => {
                ctx.insert_value("entries", site_files::sitemap(self.site, &self.jobs(r)));
                path.clone()
            }
            Job::Robots => {
                ctx.insert("sitemap_url", &site_files::sitemap_url(self.site));
                path.clone()
            }
            Job::Alias(i, _) => {
                let target = &self.site.page_urls[*i];
                ctx.insert("url", &routes::permalink(&self.site.config, target));
                format!("the redirect {path}")
            }
            _ => path.clone(),
        };
        if !self.site.config.languages.is_empty() {
            let versions = site_files::versions(self.site, job);
            let (translations, switcher) = values::languages(self.site, &versions, language);
            ctx.insert_value("translations", translations);
            ctx.insert_value("languages", switcher);
        }
        Ok(Some(Templated {
            template,
            context: ctx,
            what,
            path,
        }))
    }

    fn section_template(&self, key: &str) -> String {
        let section = self.site.content.sections.get(key);
        match section.and_then(|s| s.template.clone()) {
            Some(t) => t,
            None if self.site.is_home(key) => "index.html".into(),
            None => "section.html".into(),
        }
    }

    /// The template a job renders with (`None` for files made without one); an error for a
    /// page whose `template:` does not exist.
    pub fn template_of(&self, r: &Renderer, job: &Job) -> Result<Option<String>, Diagnostic> {
        Ok(Some(match job {
            Job::Page(i) => self.page_template(r, *i)?,
            Job::Section(key, _) => self.section_template(key),
            Job::WholeDocument(_) => "chapter_all.html".into(),
            Job::TermList(..) => "taxonomy_list.html".into(),
            Job::Term(..) => "taxonomy_term.html".into(),
            Job::Author(_) => "author.html".into(),
            Job::NotFound(_) => "404.html".into(),
            Job::Search(_) => "search.html".into(),
            Job::Feed(_, FeedFormat::Atom) => theme::ATOM.into(),
            Job::Feed(_, FeedFormat::Rss) => theme::RSS.into(),
            Job::Sitemap => theme::SITEMAP.into(),
            Job::Robots => theme::ROBOTS.into(),
            Job::Alias(..) => theme::ALIAS.into(),
            _ => return Ok(None),
        }))
    }

    /// The home page's highlights: latest posts and videos, next events.
    fn home_lists(&self, ctx: &mut PrintedContext, lang: Option<&str>) {
        let site = self.site;
        let of_kind = |kind: Kind| -> Vec<usize> {
            site.content
                .sections
                .iter()
                .filter(|(_, s)| s.kind == kind && s.lang.as_deref() == lang)
                .flat_map(|(k, _)| site.own_pages(k, site.pages_of(k)))
                .collect()
        };
        let posts = site.newest_of_kind(Kind::Post, lang);
        let videos = site.newest_of_kind(Kind::Video, lang);
        let mut events: Vec<usize> = of_kind(Kind::Event)
            .into_iter()
            .filter(|i| !site.is_past(&site.content.pages[*i]))
            .collect();
        events.sort_by_key(|i| match &site.content.pages[*i].kind {
            crate::content::KindData::Event(e) => e.start.timestamp(),
            _ => jiff::Timestamp::MAX,
        });
        ctx.insert_printed(
            "latest_posts",
            self.summaries.list(&posts[..posts.len().min(3)]),
        );
        ctx.insert_printed(
            "latest_videos",
            self.summaries.list(&videos[..videos.len().min(3)]),
        );
        ctx.insert_printed(
            "upcoming_events",
            self.summaries.list(&events[..events.len().min(3)]),
        );
    }

    fn page_template(&self, r: &Renderer, i: usize) -> Result<String, Diagnostic> {
        let page = &self.site.content.pages[i];
        if let Some(t) = &page.meta.template {
            if r.has(t) {
                return Ok(t.clone());
            }
            return Err(page
                .source
                .fragment()
                .error_for("template", format!("template: \"{t}\" does not exist"))
                .with_hint("put the template in templates/, or remove the `template:` line to use the kind's default"));
        }
        let own = page.kind.kind().spec().template;
        Ok(if r.has(own) {
            own.to_string()
        } else {
            "page.html".to_string()
        })
    }

    /// `page`: the page's summary with its content and what surrounds it. The parts taken
    /// from its Markdown and from other pages' summaries print from their own prints.
    fn page_value(&self, i: usize) -> Printed {
        let site = self.site;
        let md = &self.pages[i];
        let (prev, next) = site.neighbours[i];
        let neighbour =
            |n: Option<usize>| n.map_or_else(|| plain(Value::none()), |n| self.summaries.of(n));
        let markdown = |show: fn(&Rendered, &()) -> Value| Printed::markdown(md, (), show);
        let page = &site.content.pages[i];
        let jsonld = jsonld::for_page(site, i).map_or_else(Value::none, |j| Value::safe_string(&j));
        Printed::map(
            Some(self.summaries.of(i)),
            vec![
                ("content", markdown(|md, _| Value::safe_string(&md.html))),
                ("word_count", markdown(|md, _| Value::from(md.words))),
                ("toc", markdown(|md, _| json(&md.toc))),
                ("has_code", markdown(|md, _| Value::from(md.has_code))),
                ("previous", neighbour(prev)),
                ("next", neighbour(next)),
                ("ancestors", plain(self.ancestors(&page.section, true))),
                ("jsonld", plain(jsonld)),
                ("related", self.related(i)),
                ("translations", plain(self.translations(&page.source.key))),
            ],
        )
    }

    /// `page.translations`: the page's versions in each language (none on a site of one).
    fn translations(&self, key: &str) -> Value {
        let config = &self.site.config;
        let versions = self.site.translations_of(key).iter().map(|t| {
            obj([
                ("lang", Value::from(config.lang_tag(t.lang.as_deref()))),
                ("url", Value::from(t.url.as_str())),
                ("title", Value::from(t.title.as_str())),
            ])
        });
        Value::from(versions.collect::<Vec<_>>())
    }

    /// The related posts of post `i`, each linked to the anchor its `related` link names.
    fn related(&self, i: usize) -> Printed {
        let site = self.site;
        let items = site.related[i].iter().map(|r| {
            let summary = self.summaries.of(r.page);
            match &r.anchor {
                Some(anchor) => {
                    let url = with_anchor(&site.page_urls[r.page], Some(anchor));
                    Printed::map(Some(summary), vec![("url", plain(Value::from(url)))])
                }
                None => summary,
            }
        });
        Printed::list(items.collect())
    }

    fn ancestors(&self, key: &str, include_self: bool) -> Value {
        let mut chain = Vec::new();
        let mut current = Some(key.to_string());
        if !include_self {
            current = self
                .site
                .content
                .sections
                .get(key)
                .and_then(|s| s.parent.clone());
        }
        while let Some(k) = current {
            let Some(s) = self.site.content.sections.get(&k) else {
                break;
            };
            chain.push(obj([
                ("title", Value::from(s.title.as_str())),
                ("url", Value::from(self.site.section_urls[&k].as_str())),
            ]));
            current = s.parent.clone();
        }
        chain.reverse();
        Value::from(chain)
    }

    fn section_summary(&self, key: &str) -> Value {
        let site = self.site;
        let Some(s) = site.content.sections.get(key) else {
            return Value::none();
        };
        let url = &site.section_urls[key];
        obj([
            ("title", Value::from(s.title.as_str())),
            ("url", Value::from(url.as_str())),
            (
                "permalink",
                Value::from(routes::permalink(&site.config, url)),
            ),
            ("kind", Value::from(s.kind.name())),
            ("key", Value::from(key)),
        ])
    }

    fn section_value(&self, key: &str) -> Printed {
        let site = self.site;
        let s = &site.content.sections[key];
        let md = self.sections.get(key);
        let content = md.map_or(String::new(), |m| m.html.clone());
        let summary = md.and_then(|m| m.summary.as_deref());
        let description = summary.map(values::plain_text).unwrap_or_default();
        let pages = site.pages_of(key);
        let (upcoming, past): (Vec<usize>, Vec<usize>) = pages
            .iter()
            .partition(|i| !site.is_past(&site.content.pages[**i]));
        let feed = section_feed(site, key);
        let feed_url = |format: FeedFormat| match &feed {
            Some(FeedOf::Events(_)) if format == FeedFormat::Rss => Value::none(),
            Some(_) => Value::from(routes::feed(&site.section_urls[key], format)),
            None => Value::none(),
        };
        // An event section with events links its language's calendar, which holds them.
        let events = matches!(feed, Some(FeedOf::Events(_)));
        let calendar = |url: String| match events {
            true => Value::from(url),
            false => Value::none(),
        };
        let subsections: Vec<Value> = site
            .subsections
            .get(key)
            .into_iter()
            .flatten()
            .map(|k| self.section_summary(k))
            .collect();
        let own = extend(
            &self.section_summary(key),
            [
                ("content", Value::safe_string(&content)),
                ("toc", md.map_or_else(Value::none, |m| json(&m.toc))),
                ("description", Value::from(description)),
                (
                    "summary",
                    summary
                        .filter(|_| s.summary.is_some())
                        .map_or_else(Value::none, Value::safe_string),
                ),
                ("subsections", Value::from(subsections)),
                ("ancestors", self.ancestors(key, false)),
                ("extra", json(&s.extra)),
                ("hero", super::values::hero_value(site, s.hero.as_ref())),
                (
                    "whole_document_url",
                    Value::from(routes::whole_document(&site.section_urls[key])),
                ),
                ("atom_url", feed_url(FeedFormat::Atom)),
                ("rss_url", feed_url(FeedFormat::Rss)),
                (
                    "calendar_url",
                    calendar(routes::calendar(s.lang.as_deref())),
                ),
                (
                    "subscribe_url",
                    calendar(routes::webcal(
                        &site.config,
                        &routes::calendar(s.lang.as_deref()),
                    )),
                ),
            ],
        );
        let events = |list: &[usize]| match s.kind == Kind::Event {
            true => self.summaries.list(list),
            false => plain(Value::none()),
        };
        let lists = vec![
            ("pages", self.summaries.list(pages)),
            ("upcoming", events(&upcoming)),
            ("past", events(&past)),
        ];
        Printed::map(Some(plain(own)), lists)
    }

    /// Page `n` of a list of `pages` shown `per_page` at a time, the list's first page at
    /// `base` (a section's or a term's).
    fn paginator(&self, pages: &[usize], per_page: usize, base: &str, n: usize) -> Printed {
        let site = self.site;
        let total = pages.len().div_ceil(per_page).max(1);
        let url = |p: usize| routes::list_page(base, p);
        let slice = &pages[((n - 1) * per_page).min(pages.len())..(n * per_page).min(pages.len())];
        // Events are ordered upcoming then past, so each page splits into the two lists.
        let (upcoming, past): (Vec<usize>, Vec<usize>) = slice
            .iter()
            .partition(|i| !site.is_past(&site.content.pages[**i]));
        let own = obj([
            ("current", Value::from(n)),
            ("total", Value::from(total)),
            (
                "previous",
                if n > 1 {
                    Value::from(url(n - 1))
                } else {
                    Value::none()
                },
            ),
            (
                "next",
                if n < total {
                    Value::from(url(n + 1))
                } else {
                    Value::none()
                },
            ),
            ("first", Value::from(url(1))),
            ("last", Value::from(url(total))),
        ]);
        let lists = vec![
            ("pages", self.summaries.list(slice)),
            ("upcoming", self.summaries.list(&upcoming)),
            ("past", self.summaries.list(&past)),
        ];
        Printed::map(Some(plain(own)), lists)
    }
}

/// Every file the build writes from the site, in the order it renders them: the templated
/// pages first, then the site-wide files. `search`: whether the theme has a search page.
/// The writer and the route check (`build::check_routes`) both take this list.
pub fn jobs(site: &Site, search: bool) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.content.pages.len()).map(Job::Page).collect();
    for key in site.content.sections.keys() {
        let n = site.list_pages_of_section(key);
        jobs.extend((1..=n).map(|p| Job::Section(key.clone(), p)));
        if site.has_whole_document(key) {
            jobs.push(Job::WholeDocument(key.clone()));
        }
    }
    for (lang, taxonomies) in &site.taxonomies {
        for (taxonomy, terms) in taxonomies {
            jobs.push(Job::TermList(lang.clone(), taxonomy.clone()));
            for (slug, term) in terms {
                let n = site.list_pages_of_term(term);
                jobs.extend(
                    (1..=n).map(|p| Job::Term(lang.clone(), taxonomy.clone(), slug.clone(), p)),
                );
            }
        }
    }
    jobs.extend(site.authors.keys().map(|k| Job::Author(k.clone())));
    let languages = || site.config.language_codes().map(|l| l.map(str::to_string));
    jobs.extend(languages().map(Job::NotFound));
    if search {
        jobs.extend(languages().map(Job::Search));
    }
    jobs.extend([Job::Sitemap, Job::Robots]);
    for lang in languages() {
        let files = search::files(site, lang.as_deref());
        jobs.extend(files.map(|file| Job::SearchIndex(lang.clone(), file)));
    }
    jobs.extend(feeds(site));
    for lang in languages() {
        let events = events(site, lang.as_deref());
        if !events.is_empty() {
            jobs.push(Job::Calendar(lang));
            jobs.extend(events.into_iter().map(Job::EventCalendar));
        }
    }
    for (i, page) in site.content.pages.iter().enumerate() {
        jobs.extend(
            (0..page.meta.aliases.len())
                .filter(|n| routes::alias(&page.meta.aliases[*n]).is_ok())
                .map(|n| Job::Alias(i, n)),
        );
    }
    jobs
}

/// Every feed of the site, each in its formats: the site's, each term's, and each section's
/// ([`section_feed`]).
fn feeds(site: &Site) -> Vec<Job> {
    let mut feeds = Vec::new();
    let mut both = |of: FeedOf| {
        feeds.push(Job::Feed(of.clone(), FeedFormat::Atom));
        if !matches!(of, FeedOf::Events(_)) {
            feeds.push(Job::Feed(of, FeedFormat::Rss));
        }
    };
    for lang in site.config.language_codes() {
        both(FeedOf::Site(lang.map(str::to_string)));
    }
    for (lang, taxonomies) in &site.taxonomies {
        for (taxonomy, terms) in taxonomies {
            for slug in terms.keys() {
                both(FeedOf::Term(lang.clone(), taxonomy.clone(), slug.clone()));
            }
        }
    }
    for key in site.content.sections.keys() {
        if let Some(of) = section_feed(site, key) {
            both(of);
        }
    }
    feeds
}

/// The feed of a section's list, if it has one: the upcoming events of an event section that
/// holds events (Atom only), the posts and videos of another that holds some. The home page's
/// list has none: the site's feed is there.
fn section_feed(site: &Site, key: &str) -> Option<FeedOf> {
    let section = site.content.sections.get(key).filter(|_| key != HOME)?;
    let holds = |kinds: &[Kind]| {
        site.pages_of(key)
            .iter()
            .any(|i| kinds.contains(&site.content.pages[*i].kind.kind()))
    };
    match section.kind {
        Kind::Event => holds(&[Kind::Event]).then(|| FeedOf::Events(key.to_string())),
        _ => holds(&[Kind::Post, Kind::Video]).then(|| FeedOf::Section(key.to_string())),
    }
}

/// Every event page of a language (`None`: the default), once, in the order of their own
/// sections' lists.
fn events(site: &Site, lang: Option<&str>) -> Vec<usize> {
    site.section_pages
        .iter()
        .filter(|(k, _)| {
            site.content
                .sections
                .get(*k)
                .is_some_and(|s| s.kind == Kind::Event && s.lang.as_deref() == lang)
        })
        .flat_map(|(k, pages)| site.own_pages(k, pages))
        .filter(|i| site.content.pages[*i].kind.kind() == Kind::Event)
        .collect()
}
