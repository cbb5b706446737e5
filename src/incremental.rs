//! What `serve` reuses from one build to the next: each templated file gets a fingerprint of
//! everything it shows, and a file whose fingerprint did not change is linked from the previous
//! build instead of being rendered again. Editing a post's body re-renders that post and the
//! few pages that show it (neighbours, lists, tags), not the whole site.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use crate::content::{Kind, KindData};
use crate::render::Job;
use crate::site::Site;

fn hash_of(value: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Fingerprints of the pages and sections of one build.
pub struct Fingerprints {
    global: u64,
    pages: Vec<u64>,
    sections: BTreeMap<String, u64>,
}

impl Fingerprints {
    /// Combines the Markdown hash of every file (its text, URL, chapter number and the site's
    /// links, config and templates) with what depends on the clock (past events, registration).
    pub fn new(site: &Site, markdown: &HashMap<String, u64>, global: u64) -> Fingerprints {
        let pages = site
            .content
            .pages
            .iter()
            .map(|p| {
                let clock = match &p.kind {
                    KindData::Event(e) => (
                        site.is_past(p),
                        e.registration
                            .as_ref()
                            .and_then(|r| r.closes.as_ref())
                            .map(|c| c.timestamp() <= site.now),
                    ),
                    _ => (false, None),
                };
                hash_of((markdown.get(&p.source.key), clock))
            })
            .collect();
        let sections: BTreeMap<String, u64> = site
            .content
            .sections
            .keys()
            .map(|k| (k.clone(), hash_of(markdown.get(k))))
            .collect();
        // Every page shows section titles (breadcrumbs, menus), so any section change counts.
        let global = hash_of((global, &sections));
        Fingerprints {
            global,
            pages,
            sections,
        }
    }

    fn pages_of<'a>(&self, list: impl IntoIterator<Item = &'a usize>) -> u64 {
        hash_of(list.into_iter().map(|i| self.pages[*i]).collect::<Vec<_>>())
    }

    fn section(&self, site: &Site, key: &str) -> u64 {
        let children: Vec<u64> = site
            .subsections
            .get(key)
            .into_iter()
            .flatten()
            .map(|k| self.sections.get(k).copied().unwrap_or(0))
            .collect();
        hash_of((
            self.sections.get(key),
            self.pages_of(site.pages_of(key)),
            children,
        ))
    }

    /// The fingerprint of everything a job's output shows.
    pub fn of_job(&self, site: &Site, job: &Job) -> u64 {
        let specific = match job {
            Job::Page(i) => {
                let page = &site.content.pages[*i];
                let (prev, next) = site.neighbours[*i];
                let chapters = (page.kind.kind() == Kind::Chapter)
                    .then(|| self.pages_of(site.pages_of(&page.section)));
                hash_of((
                    self.pages[*i],
                    prev.map(|p| self.pages[p]),
                    next.map(|n| self.pages[n]),
                    self.pages_of(&site.related[*i]),
                    self.sections.get(&page.section),
                    chapters,
                ))
            }
            Job::Section(key, n) => {
                let home = (key == "_index.md")
                    .then(|| self.pages_of(&(0..self.pages.len()).collect::<Vec<_>>()));
                hash_of((self.section(site, key), n, home))
            }
            Job::WholeDocument(key) => self.section(site, key),
            Job::TagList => self.pages_of(&(0..self.pages.len()).collect::<Vec<_>>()),
            Job::Term(slug) => site.tags.get(slug).map_or(0, |t| self.pages_of(&t.pages)),
            Job::Author(key) => site.authors.get(key).map_or(0, |p| self.pages_of(p)),
            Job::NotFound | Job::Search => 0,
        };
        hash_of((self.global, format!("{job:?}"), specific))
    }
}
