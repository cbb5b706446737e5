//! Fingerprints: a hash of everything an output file shows. A rebuild compares each file's
//! fingerprint with the one it had in the previous build and renders only the files whose
//! fingerprint changed, so editing a post's body re-renders that post (and the lists, feeds
//! and neighbours whose view of it changed), not the whole site.

use std::collections::HashMap;

use crate::content::{KindData, Page};
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
    /// The prints of a page from its front matter, URL, Markdown hash and its summary's print.
    pub fn of(
        page: &Page,
        url: &str,
        now: jiff::Timestamp,
        markdown: u64,
        shown: u64,
    ) -> PagePrint {
        let front = hash_of(&(&page.source.text, url, clock(page, now)));
        PagePrint {
            front,
            shown,
            full: hash_of(&(front, shown, markdown)),
        }
    }
}

/// The fingerprints of one build's outputs. A file made with a template is printed from the
/// context [`RenderInput::templated`] builds for it, the one it is rendered with; the files
/// made without one (the search index, the calendars) from the prints of the pages they show.
pub struct Fingerprints<'a> {
    input: &'a RenderInput<'a>,
    renderer: &'a Renderer,
    pages: &'a [PagePrint],
    /// What every file made without a template depends on: settings, URLs, assets, section
    /// titles.
    global: u64,
    /// Each template with every template it includes, extends or imports.
    templates: &'a HashMap<String, u64>,
    /// Each language's pages whole, in order (its search index's words), by language.
    language_full: HashMap<Option<String>, u64>,
    /// Every page's front matter and URL (the search index's lists).
    structure: u64,
}

impl<'a> Fingerprints<'a> {
    /// Works out the shared parts once; `global` is what every file made without a template
    /// depends on.
    pub fn new(
        input: &'a RenderInput<'a>,
        renderer: &'a Renderer,
        templates: &'a HashMap<String, u64>,
        pages: &'a [PagePrint],
        global: u64,
    ) -> Fingerprints<'a> {
        let site = input.site;
        let sections_urls: Vec<&String> = site.section_urls.values().collect();
        Fingerprints {
            input,
            renderer,
            pages,
            global,
            templates,
            language_full: language_full(site, pages),
            structure: hash_of(&(
                pages.iter().map(|p| p.front).collect::<Vec<_>>(),
                sections_urls,
            )),
        }
    }

    /// The site path a job writes to and the fingerprint of everything its output shows.
    pub fn of_job(&self, job: &Job) -> (String, u64) {
        match self.input.templated(self.renderer, job) {
            Ok(Some(templated)) => {
                let template = self.templates.get(&templated.template).copied();
                let functions = self.renderer.functions_print();
                let print = hash_of(&(job, template, functions, templated.context.print()));
                (templated.path, print)
            }
            Ok(None) => {
                let print = hash_of(&(self.global, job, self.of_site_file(job)));
                (self.input.url_of(job), print)
            }
            // Rendered again, for the render to report the error.
            Err(_) => (
                self.input.url_of(job),
                hash_of(&(job, "cannot be rendered")),
            ),
        }
    }

    /// The fingerprint of a file made without a template.
    fn of_site_file(&self, job: &Job) -> u64 {
        match job {
            Job::SearchIndex(_, SearchFile::Page(i)) => self.pages[*i].full,
            Job::SearchIndex(_, SearchFile::Kind(_) | SearchFile::Tag(_)) => self.structure,
            Job::SearchIndex(lang, SearchFile::Manifest | SearchFile::Terms(_)) => {
                hash_of(&(self.structure, self.language_full.get(lang)))
            }
            // A calendar describes its events with their summaries; it is not made again for
            // other pages' edits, which would only move its DTSTAMP.
            Job::Calendar(_) | Job::EventCalendar(_) => {
                let events = self.input.calendar_events(job);
                let shown = |i: &usize| (self.pages[*i].front, self.pages[*i].shown);
                hash_of(&events.iter().map(shown).collect::<Vec<_>>())
            }
            // Files made with a template are printed from their contexts and never asked
            // here; named, so that a new kind of file makes the compiler ask for its print.
            Job::Page(_)
            | Job::Section(..)
            | Job::WholeDocument(_)
            | Job::TermList(..)
            | Job::Term(..)
            | Job::Author(_)
            | Job::NotFound(_)
            | Job::Search(_)
            | Job::Feed(..)
            | Job::Sitemap
            | Job::Robots
            | Job::Alias(..) => self.global,
        }
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
