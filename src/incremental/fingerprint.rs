//! Fingerprints: a hash of everything an output file shows. A rebuild compares each file's
//! fingerprint with the one it had in the previous build and renders only the files whose
//! fingerprint changed, so editing a post's body re-renders that post (and the lists, feeds
//! and neighbours whose view of it changed), not the whole site.

use std::collections::HashMap;

use tera::Value;

use crate::build::Markdown;
use crate::content::{Kind, KindData, Page};
use crate::digest::hash_of;
use crate::render::{Job, RenderInput, Renderer};
use crate::routes::SearchFile;
use crate::site::Site;

/// What the outputs of the site show of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePrint {
    /// Its front matter, URL and the side of "now" it is on (sitemaps, calendars, the search
    /// index).
    pub front: u64,
    /// Its summary: what lists, tags, neighbours and related links show.
    pub shown: u64,
    /// Everything, body included: what its own page and whole-document views show.
    pub full: u64,
}

impl PagePrint {
    /// The prints of a page from its front matter, URL, Markdown hash and summary.
    pub fn of(
        page: &Page,
        url: &str,
        now: jiff::Timestamp,
        markdown: u64,
        summary: &Value,
    ) -> PagePrint {
        let front = hash_of(&(&page.source.text, url, clock(page, now)));
        let mut hasher = HashWriter(std::collections::hash_map::DefaultHasher::new());
        let _ = serde_json::to_writer(&mut hasher, summary);
        let shown = std::hash::Hasher::finish(&hasher.0);
        PagePrint {
            front,
            shown,
            full: hash_of(&(front, shown, markdown)),
        }
    }
}

/// Feeds serialised bytes into a hasher, so a value is hashed without building its text.
struct HashWriter(std::collections::hash_map::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        std::hash::Hasher::write(&mut self.0, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprints of one build's outputs.
pub struct Fingerprints<'a> {
    input: &'a RenderInput<'a>,
    renderer: &'a Renderer,
    pages: &'a [PagePrint],
    /// What every file depends on: settings, URLs, assets, section titles.
    global: u64,
    /// Each template with every template it includes, extends or imports.
    templates: &'a HashMap<String, u64>,
    /// What each section's lists show: its pages' summaries in order, and its own Markdown.
    sections: HashMap<String, u64>,
    /// Every page's summary, in order (the home page's highlights, the tag list).
    all_shown: u64,
    /// Each language's pages whole, in order (its search index's words), by language.
    language_full: HashMap<Option<String>, u64>,
    /// Every page's front matter and URL (sitemap, search index, site calendar).
    structure: u64,
}

impl<'a> Fingerprints<'a> {
    /// Works out the shared parts once; `global` is what every output depends on.
    pub fn new(
        input: &'a RenderInput<'a>,
        renderer: &'a Renderer,
        templates: &'a HashMap<String, u64>,
        pages: &'a [PagePrint],
        markdown: &Markdown,
        global: u64,
    ) -> Fingerprints<'a> {
        let site = input.site;
        let shown =
            |list: &[usize]| hash_of(&list.iter().map(|i| pages[*i].shown).collect::<Vec<_>>());
        let sections = site
            .section_pages
            .iter()
            .map(|(key, list)| {
                let own = markdown.by_key.get(key).map(|(h, _)| *h);
                (key.clone(), hash_of(&(own, shown(list))))
            })
            .collect();
        let sections_urls: Vec<&String> = site.section_urls.values().collect();
        Fingerprints {
            input,
            renderer,
            pages,
            global,
            templates,
            sections,
            all_shown: hash_of(&pages.iter().map(|p| p.shown).collect::<Vec<_>>()),
            language_full: language_full(site, pages),
            structure: hash_of(&(
                pages.iter().map(|p| p.front).collect::<Vec<_>>(),
                sections_urls,
            )),
        }
    }

    fn shown(&self, list: &[usize]) -> u64 {
        hash_of(
            &list
                .iter()
                .map(|i| self.pages[*i].shown)
                .collect::<Vec<_>>(),
        )
    }

    fn full(&self, list: &[usize]) -> u64 {
        hash_of(&list.iter().map(|i| self.pages[*i].full).collect::<Vec<_>>())
    }

    /// The fingerprint of everything a job's output shows.
    pub fn of_job(&self, job: &Job) -> u64 {
        let site: &Site = self.input.site;
        let section = |key: &str| self.sections.get(key).copied().unwrap_or(0);
        let specific = match job {
            Job::Page(i) => {
                let page = &site.content.pages[*i];
                let (prev, next) = site.neighbours[*i];
                let chapters = (page.kind.kind() == Kind::Chapter).then(|| section(&page.section));
                hash_of(&(
                    self.pages[*i].full,
                    prev.map(|p| self.pages[p].shown),
                    next.map(|n| self.pages[n].shown),
                    site.related[*i]
                        .iter()
                        .map(|r| (self.pages[r.page].shown, &r.anchor))
                        .collect::<Vec<_>>(),
                    chapters,
                ))
            }
            Job::Section(key, _) => {
                let home = site.is_home(key).then_some(self.all_shown);
                let children: Vec<u64> = site
                    .subsections
                    .get(key)
                    .into_iter()
                    .flatten()
                    .map(|k| section(k))
                    .collect();
                hash_of(&(section(key), children, home))
            }
            Job::WholeDocument(key) => hash_of(&(section(key), self.full(site.pages_of(key)))),
            Job::TermList(..) => self.all_shown,
            Job::Term(lang, taxonomy, slug, _) => site
                .terms(lang.as_deref(), taxonomy)
                .get(slug)
                .map_or(0, |t| self.shown(&t.pages)),
            Job::Author(key) => site.authors.get(key).map_or(0, |p| self.shown(p)),
            Job::Feed(..) => hash_of(&(self.structure, self.full(&self.input.feed_posts(job)))),
            Job::SearchIndex(_, SearchFile::Page(i)) => self.pages[*i].full,
            Job::SearchIndex(_, SearchFile::Kind(_) | SearchFile::Tag(_)) => self.structure,
            Job::SearchIndex(lang, SearchFile::Manifest | SearchFile::Terms(_)) => {
                hash_of(&(self.structure, self.language_full.get(lang)))
            }
            // Calendars describe events with their summaries.
            Job::Calendar(_) => hash_of(&(self.structure, self.all_shown)),
            Job::Sitemap => {
                let jobs = self.input.jobs(self.renderer);
                let pages: Vec<String> = jobs
                    .iter()
                    .filter(|j| j.is_page())
                    .map(|j| self.input.url_of(j))
                    .collect();
                hash_of(&(self.structure, pages))
            }
            Job::EventCalendar(i) => hash_of(&(self.pages[*i].front, self.pages[*i].shown)),
            Job::Alias(i, _) => self.pages[*i].front,
            Job::NotFound(_) | Job::Search(_) | Job::Robots => 0,
        };
        let template = self
            .input
            .template_of(self.renderer, job)
            .ok()
            .flatten()
            .and_then(|t| self.templates.get(&t).copied());
        hash_of(&(self.global, job, template, specific))
    }
}

/// Whether anything a summary shows depends on the clock for this page (past events,
/// closed registrations), so that a rebuild later in the day notices the change.
pub fn clock(page: &Page, now: jiff::Timestamp) -> (bool, Option<bool>) {
    match &page.kind {
        KindData::Event(e) => (
            e.is_over(now),
            e.registration
                .as_ref()
                .and_then(|r| r.closes.as_ref())
                .map(|c| c.timestamp() <= now),
        ),
        _ => (false, None),
    }
}

/// A hash of each language's pages whole, in order, by language (`None`: the default).
fn language_full(site: &Site, pages: &[PagePrint]) -> HashMap<Option<String>, u64> {
    let mut by_language: HashMap<Option<String>, Vec<u64>> = HashMap::new();
    for (page, print) in site.content.pages.iter().zip(pages) {
        by_language
            .entry(page.lang.clone())
            .or_default()
            .push(print.full);
    }
    by_language
        .into_iter()
        .map(|(lang, fulls)| (lang, hash_of(&fulls)))
        .collect()
}
