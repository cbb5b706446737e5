//! What a build writes — one [`Job`] per file — and the context each job is rendered with.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use tera::{Context, Value};

use super::values::{self, extend, json, obj};
use super::{ics, jsonld, search, site_files, Renderer};
use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::links::with_anchor;
use crate::markdown::Rendered;
use crate::routes;
use crate::site::Site;
use crate::theme;

pub use crate::routes::Job;

/// Summaries of every page, built once and shared by all lists.
pub struct Summaries(pub Vec<Value>);

impl Summaries {
    /// Builds the summary of every page, for `build` and `serve` alike: the one `kept` gives
    /// (a rebuild's page whose summary cannot have changed), else one made from the page.
    pub fn build(
        site: &Site,
        rendered: &[Arc<Rendered>],
        kept: impl Fn(usize) -> Option<Value> + Sync,
    ) -> Summaries {
        use rayon::prelude::*;
        Summaries(
            (0..site.content.pages.len())
                .into_par_iter()
                .map(|i| kept(i).unwrap_or_else(|| values::page_summary(site, i, &rendered[i])))
                .collect(),
        )
    }

    fn list(&self, indices: &[usize]) -> Value {
        Value::from(
            indices
                .iter()
                .map(|i| self.0[*i].clone())
                .collect::<Vec<_>>(),
        )
    }
}

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
    section_values: BTreeMap<String, OnceLock<Value>>,
    /// The search index, built when a job first needs it.
    search_index: OnceLock<search::Index>,
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
            search_index: OnceLock::new(),
            search_kept: None,
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
        match self.search_index.get() {
            Some(index) => Some(index.kept()),
            None => self.search_kept.clone(),
        }
    }

    fn shared_section_value(&self, key: &str) -> Value {
        match self.section_values.get(key) {
            Some(cell) => cell.get_or_init(|| self.section_value(key)).clone(),
            None => Value::none(),
        }
    }

    /// Every file the build generates (see [`jobs`]).
    pub fn jobs(&self, r: &Renderer) -> Vec<Job> {
        jobs(self.site, r.has("search.html"))
    }

    /// The posts of a tag, for its feed.
    fn posts_of(&self, term: &crate::site::Term) -> Vec<usize> {
        term.pages
            .iter()
            .copied()
            .filter(|i| self.site.content.pages[*i].kind.kind() == Kind::Post)
            .collect()
    }

    /// The pages whose content a job shows in full (not only their summaries): a feed's posts.
    pub fn feed_posts(&self, job: &Job) -> Vec<usize> {
        let posts = match job {
            Job::Feed(None) => site_files::posts(self.site),
            Job::Feed(Some(slug)) => self
                .site
                .tags
                .get(slug)
                .map(|t| self.posts_of(t))
                .unwrap_or_default(),
            _ => return Vec::new(),
        };
        posts.into_iter().take(site_files::FEED_ENTRIES).collect()
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
            Job::SearchIndex(file) => search::file(site, self.pages, file, || {
                self.search_index.get_or_init(|| {
                    search::Index::build(site, self.pages, self.search_kept.as_deref())
                })
            }),
            Job::Calendar(None) => ics::calendar(site, &events(self.site)),
            Job::Calendar(Some(i)) => ics::calendar(site, &[*i]),
            _ => String::new(),
        }
    }

    /// What the template of a feed shows: its title and its newest posts.
    fn feed_value(&self, job: &Job, tag: Option<&String>) -> Value {
        let site = self.site;
        let term = tag.and_then(|slug| site.tags.get(slug));
        let title = match term {
            Some(t) => format!("{}: {}", site.config.title, t.name),
            None => site.config.title.clone(),
        };
        let posts = match (tag, term) {
            (None, _) => site_files::posts(site),
            (Some(_), Some(t)) => self.posts_of(t),
            (Some(_), None) => Vec::new(),
        };
        site_files::atom(site, self.pages, &title, &self.url_of(job), &posts)
    }

    /// Renders one job into `out`.
    pub fn render_to(
        &self,
        r: &Renderer,
        job: &Job,
        mut out: impl std::io::Write,
    ) -> Result<(), Diagnostic> {
        let path = self.url_of(job);
        let Some(template) = self.template_of(r, job)? else {
            return out
                .write_all(self.site_file(job).as_bytes())
                .map_err(|e| Diagnostic::general(format!("cannot write {path}: {e}")));
        };
        let mut ctx = r.context(self.site, &path);
        let what = match job {
            Job::Page(i) => {
                let page = &self.site.content.pages[*i];
                ctx.insert_value("page", self.page_value(*i));
                ctx.insert_value("section", self.section_summary(&page.section));
                if page.kind.kind() == Kind::Chapter {
                    ctx.insert_value(
                        "chapters",
                        self.summaries.list(self.site.pages_of(&page.section)),
                    );
                }
                page.source.file.display().to_string()
            }
            Job::Section(key, n) => {
                ctx.insert_value("section", self.shared_section_value(key));
                ctx.insert_value("paginator", self.paginator(key, *n));
                if key == "_index.md" {
                    self.home_lists(&mut ctx);
                }
                let section = &self.site.content.sections[key];
                section.source.file.display().to_string()
            }
            Job::WholeDocument(key) => {
                ctx.insert_value("section", self.shared_section_value(key));
                let chapters: Vec<Value> = self
                    .site
                    .pages_of(key)
                    .iter()
                    .map(|i| self.page_value(*i))
                    .collect();
                ctx.insert_value("chapters", Value::from(chapters));
                format!("the whole document of content/{key}")
            }
            Job::TagList => {
                let terms: Vec<Value> = self
                    .site
                    .tags
                    .values()
                    .map(|t| {
                        obj([
                            ("name", Value::from(t.name.as_str())),
                            ("slug", Value::from(t.slug.as_str())),
                            ("url", Value::from(routes::term(&t.slug))),
                            ("count", Value::from(t.pages.len())),
                        ])
                    })
                    .collect();
                ctx.insert_value("terms", Value::from(terms));
                "the tag list".to_string()
            }
            Job::Term(slug) => {
                let t = &self.site.tags[slug];
                ctx.insert_value(
                    "term",
                    obj([
                        ("name", Value::from(t.name.as_str())),
                        ("slug", Value::from(t.slug.as_str())),
                        ("url", Value::from(path.as_str())),
                        ("feed_url", Value::from(routes::term_feed(slug))),
                        ("pages", self.summaries.list(&t.pages)),
                    ]),
                );
                format!("the tag page {path}")
            }
            Job::Author(key) => {
                let a = &self.site.config.authors[key];
                ctx.insert_value(
                    "author",
                    obj([
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
                        ("pages", self.summaries.list(&self.site.authors[key])),
                    ]),
                );
                format!("the author page of {key}")
            }
            Job::NotFound => "the 404 page".to_string(),
            Job::Search => "the search page".to_string(),
            Job::Feed(tag) => {
                ctx.insert_value("feed", self.feed_value(job, tag.as_ref()));
                format!("the feed {path}")
            }
            Job::Sitemap => {
                ctx.insert_value("entries", site_files::sitemap(self.site));
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
        let base = routes::base_path(&self.site.config.base_url);
        // Feeds, the sitemap and robots.txt carry absolute URLs already; only HTML is rebased.
        let html_page = path.ends_with('/') || path.ends_with(".html");
        if base.is_empty() || !html_page {
            return r.render_to(&template, &ctx, &what, out);
        }
        let mut html = Vec::with_capacity(32 * 1024);
        r.render_to(&template, &ctx, &what, &mut html)?;
        let rebased = routes::rebase(&html, base).map_err(|e| {
            Diagnostic::general(format!("{what}: cannot move its links under {base}: {e}"))
        })?;
        out.write_all(&rebased)
            .map_err(|e| Diagnostic::general(format!("cannot write {path}: {e}")))
    }

    fn section_template(&self, key: &str) -> String {
        let section = self.site.content.sections.get(key);
        match section.and_then(|s| s.template.clone()) {
            Some(t) => t,
            None if key == "_index.md" => "index.html".into(),
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
            Job::TagList => "taxonomy_list.html".into(),
            Job::Term(_) => "taxonomy_term.html".into(),
            Job::Author(_) => "author.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Search => "search.html".into(),
            Job::Feed(_) => theme::ATOM.into(),
            Job::Sitemap => theme::SITEMAP.into(),
            Job::Robots => theme::ROBOTS.into(),
            Job::Alias(..) => theme::ALIAS.into(),
            _ => return Ok(None),
        }))
    }

    /// The home page's highlights: latest posts and videos, next events.
    fn home_lists(&self, ctx: &mut Context) {
        let site = self.site;
        let of_kind = |kind: Kind| -> Vec<usize> {
            site.content
                .sections
                .iter()
                .filter(|(_, s)| s.kind == kind)
                .flat_map(|(k, _)| site.pages_of(k).iter().copied())
                .collect()
        };
        let posts = site.newest_of_kind(Kind::Post);
        let videos = site.newest_of_kind(Kind::Video);
        let mut events: Vec<usize> = of_kind(Kind::Event)
            .into_iter()
            .filter(|i| !site.is_past(&site.content.pages[*i]))
            .collect();
        events.sort_by_key(|i| match &site.content.pages[*i].kind {
            crate::content::KindData::Event(e) => e.start.timestamp(),
            _ => jiff::Timestamp::MAX,
        });
        ctx.insert_value(
            "latest_posts",
            self.summaries.list(&posts[..posts.len().min(3)]),
        );
        ctx.insert_value(
            "latest_videos",
            self.summaries.list(&videos[..videos.len().min(3)]),
        );
        ctx.insert_value(
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

    fn page_value(&self, i: usize) -> Value {
        let site = self.site;
        let md = &self.pages[i];
        let (prev, next) = site.neighbours[i];
        let neighbour =
            |n: Option<usize>| n.map_or_else(Value::none, |n| self.summaries.0[n].clone());
        extend(
            &self.summaries.0[i],
            [
                ("content", Value::safe_string(&md.html)),
                ("word_count", Value::from(md.words)),
                ("toc", json(&md.toc)),
                ("has_code", Value::from(md.has_code)),
                ("previous", neighbour(prev)),
                ("next", neighbour(next)),
                (
                    "ancestors",
                    self.ancestors(&site.content.pages[i].section, true),
                ),
                (
                    "jsonld",
                    jsonld::for_page(site, i).map_or_else(Value::none, |j| Value::safe_string(&j)),
                ),
                ("related", self.related(i)),
            ],
        )
    }

    /// The related posts of post `i`, each linked to the anchor its `related` link names.
    fn related(&self, i: usize) -> Value {
        let site = self.site;
        let items = site.related[i].iter().map(|r| {
            let summary = &self.summaries.0[r.page];
            match &r.anchor {
                Some(anchor) => {
                    let url = with_anchor(&site.page_urls[r.page], Some(anchor));
                    extend(summary, [("url", Value::from(url))])
                }
                None => summary.clone(),
            }
        });
        Value::from(items.collect::<Vec<_>>())
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

    fn section_value(&self, key: &str) -> Value {
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
        let subsections: Vec<Value> = site
            .subsections
            .get(key)
            .into_iter()
            .flatten()
            .map(|k| self.section_summary(k))
            .collect();
        extend(
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
                ("pages", self.summaries.list(pages)),
                (
                    "upcoming",
                    if s.kind == Kind::Event {
                        self.summaries.list(&upcoming)
                    } else {
                        Value::none()
                    },
                ),
                (
                    "past",
                    if s.kind == Kind::Event {
                        self.summaries.list(&past)
                    } else {
                        Value::none()
                    },
                ),
                ("subsections", Value::from(subsections)),
                ("ancestors", self.ancestors(key, false)),
                ("extra", json(&s.extra)),
                (
                    "whole_document_url",
                    Value::from(routes::whole_document(&site.section_urls[key])),
                ),
            ],
        )
    }

    fn paginator(&self, key: &str, n: usize) -> Value {
        let site = self.site;
        let s = &site.content.sections[key];
        let per_page = s.paginate.unwrap_or(site.config.paginate);
        let pages = site.pages_of(key);
        let total = pages.len().div_ceil(per_page).max(1);
        let base = &site.section_urls[key];
        let url = |p: usize| routes::list_page(base, p);
        let slice = &pages[((n - 1) * per_page).min(pages.len())..(n * per_page).min(pages.len())];
        // Events are ordered upcoming then past, so each page splits into the two lists.
        let (upcoming, past): (Vec<usize>, Vec<usize>) = slice
            .iter()
            .partition(|i| !site.is_past(&site.content.pages[**i]));
        obj([
            ("pages", self.summaries.list(slice)),
            ("upcoming", self.summaries.list(&upcoming)),
            ("past", self.summaries.list(&past)),
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
        ])
    }
}

/// Every file the build writes from the site, in the order it renders them: the templated
/// pages first, then the site-wide files. `search`: whether the theme has a search page.
/// The writer and the route check (`build::check_routes`) both take this list.
pub fn jobs(site: &Site, search: bool) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.content.pages.len()).map(Job::Page).collect();
    for (key, section) in &site.content.sections {
        let per_page = section.paginate.unwrap_or(site.config.paginate);
        let n = site.pages_of(key).len().div_ceil(per_page).max(1);
        jobs.extend((1..=n).map(|p| Job::Section(key.clone(), p)));
        if section.kind == Kind::Chapter && !site.pages_of(key).is_empty() {
            jobs.push(Job::WholeDocument(key.clone()));
        }
    }
    if site.config.taxonomies.iter().any(|t| t == "tags") {
        jobs.push(Job::TagList);
        jobs.extend(site.tags.keys().map(|k| Job::Term(k.clone())));
    }
    jobs.extend(site.authors.keys().map(|k| Job::Author(k.clone())));
    jobs.push(Job::NotFound);
    if search {
        jobs.push(Job::Search);
    }
    jobs.extend([Job::Sitemap, Job::Robots, Job::Feed(None)]);
    jobs.extend(search::files(site).map(Job::SearchIndex));
    jobs.extend(site.tags.keys().map(|slug| Job::Feed(Some(slug.clone()))));
    let events = events(site);
    if !events.is_empty() {
        jobs.push(Job::Calendar(None));
        jobs.extend(events.into_iter().map(|i| Job::Calendar(Some(i))));
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

/// Every event page, in the order of their sections' lists.
fn events(site: &Site) -> Vec<usize> {
    site.section_pages
        .iter()
        .filter(|(k, _)| site.content.sections[*k].kind == Kind::Event)
        .flat_map(|(_, pages)| pages.iter().copied())
        .collect()
}
