//! The resolved site: every page's URL, sections with their ordered pages, taxonomies,
//! neighbours, and the clock that splits upcoming from past events.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

use crate::config::Config;
use crate::content::taxonomies::TAGS;
use crate::content::{Content, Kind, KindData, Page, SortBy};
use crate::routes;

/// A taxonomy term and the pages classified by it.
#[derive(Debug, Clone)]
pub struct Term {
    /// The name as first written.
    pub name: String,
    /// The URL segment.
    pub slug: String,
    /// Pages, newest first (indices into `Content::pages`).
    pub pages: Vec<usize>,
}

/// A post shown as related to another: chosen by hand (`related`, perhaps to one of its
/// headings) or by the tags they share.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Related {
    /// The related post (an index into `Content::pages`).
    pub page: usize,
    /// The anchor of a hand-written link (`@/blog/x.md#why`).
    pub anchor: Option<String>,
}

/// The content with everything that depends on the whole site worked out.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Sections and pages.
    pub content: Content,
    /// URL path of every page (`/blog/x/`), by page index.
    pub page_urls: Vec<String>,
    /// URL path of every section, by key.
    pub section_urls: BTreeMap<String, String>,
    /// URL of every page and section by content key, for `@/` links.
    pub urls: HashMap<String, String>,
    /// Page index by content key.
    pub page_index: HashMap<String, usize>,
    /// Pages of each section, in display order.
    pub section_pages: BTreeMap<String, Vec<usize>>,
    /// Child sections of each section, ordered by weight then title.
    pub subsections: BTreeMap<String, Vec<String>>,
    /// The terms of each taxonomy site.yaml declares, by language (`None`: the default), by
    /// taxonomy name, then by slug: each language's terms classify only its own pages.
    pub taxonomies: BTreeMap<Option<String>, BTreeMap<String, BTreeMap<String, Term>>>,
    /// Previous and next page in reading order.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
    /// The number of each chapter page (explicit or by position).
    pub chapter_numbers: HashMap<usize, u32>,
    /// "Now", for upcoming and past events.
    pub now: Timestamp,
    /// Up to three related posts of each post (empty for other pages).
    pub related: Vec<Vec<Related>>,
    /// Posts of each author listed in site.yaml, newest first.
    pub authors: BTreeMap<String, Vec<usize>>,
    /// The versions of each page and section in the site's languages, by the key of the
    /// original (`about.md` for `about.cy.md`): the default language's first, then by code.
    /// Empty for a site of one language.
    pub translations: HashMap<String, Vec<Translation>>,
}

/// One language's version of a page or section, for `hreflang` links and the switcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// Its language (`None`: the default).
    pub lang: Option<String>,
    /// Its site path.
    pub url: String,
    /// Its title.
    pub title: String,
}

/// The key of the original of a content key: `about.md` for `about.cy.md` and `about.md`.
pub fn original_key(key: &str) -> String {
    crate::languages::split_key(key).map_or_else(|| key.to_string(), |(base, _)| base)
}

/// The key of the home page's section.
pub const HOME: &str = "_index.md";
/// How many related posts a post shows.
const RELATED: usize = 3;
/// How many posts of one tag are considered as related candidates (keeps the work linear).
const CANDIDATES_PER_TAG: usize = 100;

impl Site {
    /// Resolves URLs (from [`routes`], which also checks them: see `build::check_routes`)
    /// and orderings.
    pub fn resolve(config: Config, content: Content, now: Timestamp) -> Site {
        let section_urls: BTreeMap<String, String> = content
            .sections
            .iter()
            .map(|(k, s)| (k.clone(), routes::section_of(s)))
            .collect();
        let page_urls: Vec<String> = content.pages.iter().map(routes::page).collect();
        let mut urls: HashMap<String, String> = section_urls
            .iter()
            .map(|(k, u)| (k.clone(), u.clone()))
            .collect();
        // A page with errors of its own still exists: links to it are not broken links, and
        // lead where it would be.
        for failed in &content.failed {
            urls.insert(failed.key.clone(), routes::failed_page(failed).url);
        }
        let mut page_index = HashMap::new();
        for (i, p) in content.pages.iter().enumerate() {
            urls.insert(p.source.key.clone(), page_urls[i].clone());
            page_index.insert(p.source.key.clone(), i);
        }
        let mut site = Site {
            config,
            content,
            page_urls,
            section_urls,
            urls,
            page_index,
            section_pages: BTreeMap::new(),
            subsections: BTreeMap::new(),
            taxonomies: BTreeMap::new(),
            neighbours: Vec::new(),
            chapter_numbers: HashMap::new(),
            now,
            related: Vec::new(),
            authors: BTreeMap::new(),
            translations: HashMap::new(),
        };
        site.collect_translations();
        site.order_sections();
        site.collect_terms();
        site.link_neighbours();
        site.relate_posts();
        site.collect_authors();
        site
    }

    fn order_sections(&mut self) {
        let mut by_section: BTreeMap<String, Vec<usize>> = self
            .content
            .sections
            .keys()
            .map(|k| (k.clone(), Vec::new()))
            .collect();
        for (i, p) in self.content.pages.iter().enumerate() {
            by_section.entry(p.section.clone()).or_default().push(i);
            // A section lists the pages of the sections nested in it; the home page lists
            // only its own (its highlights come from the whole site).
            let mut above = self
                .content
                .sections
                .get(&p.section)
                .and_then(|s| s.parent.as_ref());
            while let Some(key) = above.filter(|k| !self.is_home(k)) {
                by_section.entry(key.clone()).or_default().push(i);
                above = self
                    .content
                    .sections
                    .get(key)
                    .and_then(|s| s.parent.as_ref());
            }
        }
        for (key, pages) in &mut by_section {
            let Some(section) = self.content.sections.get(key) else {
                continue;
            };
            let list = &self.content.pages;
            match (section.kind, section.sort_by) {
                (Kind::Event, SortBy::Date) => sort_events(pages, list, self.now),
                (Kind::Chapter, SortBy::Weight) => {
                    pages.sort_by_key(|i| {
                        let p = &list[*i];
                        let number = match p.kind {
                            KindData::Chapter(n) => n.map(i64::from),
                            _ => None,
                        };
                        (
                            number.or(p.meta.weight).unwrap_or(i64::MAX),
                            p.source.key.clone(),
                        )
                    });
                    // A chapter without a number takes the one after the chapter before it.
                    let mut previous = 0;
                    for i in pages.iter().filter(|i| list[**i].section == *key) {
                        let number = match list[*i].kind {
                            KindData::Chapter(Some(explicit)) => explicit,
                            _ => previous + 1,
                        };
                        self.chapter_numbers.insert(*i, number);
                        previous = number;
                    }
                }
                (_, SortBy::Date) => pages.sort_by(|a, b| newest_first(&list[*a], &list[*b])),
                (_, SortBy::Weight) => pages.sort_by_key(|i| {
                    let p = &list[*i];
                    (
                        p.meta.weight.unwrap_or(i64::MAX),
                        p.meta.title.to_lowercase(),
                        p.source.key.clone(),
                    )
                }),
                (_, SortBy::Title) => pages.sort_by_key(|i| {
                    let p = &list[*i];
                    (p.meta.title.to_lowercase(), p.source.key.clone())
                }),
            }
        }
        self.section_pages = by_section;
        let mut subsections: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, s) in &self.content.sections {
            if let Some(parent) = &s.parent {
                subsections
                    .entry(parent.clone())
                    .or_default()
                    .push(key.clone());
            }
        }
        for children in subsections.values_mut() {
            children.sort_by_key(|k| {
                let s = &self.content.sections[k];
                (s.weight.unwrap_or(i64::MAX), s.title.to_lowercase())
            });
        }
        self.subsections = subsections;
    }

    fn collect_translations(&mut self) {
        if self.config.languages.is_empty() {
            return;
        }
        let pages = self.content.pages.iter().zip(&self.page_urls);
        let pages = pages.map(|(p, url)| (&p.source.key, &p.lang, url, &p.meta.title));
        let sections = self.content.sections.iter().map(|(key, s)| {
            let url = &self.section_urls[key];
            (key, &s.lang, url, &s.title)
        });
        let mut all: HashMap<String, Vec<Translation>> = HashMap::new();
        for (key, lang, url, title) in pages.chain(sections) {
            all.entry(original_key(key)).or_default().push(Translation {
                lang: lang.clone(),
                url: url.clone(),
                title: title.clone(),
            });
        }
        for versions in all.values_mut() {
            versions.sort_by(|a, b| a.lang.cmp(&b.lang));
        }
        self.translations = all;
    }

    /// The versions of the page or section `key` in every language (none for a site of one
    /// language).
    pub fn translations_of(&self, key: &str) -> &[Translation] {
        self.translations
            .get(&original_key(key))
            .map_or(&[], Vec::as_slice)
    }

    fn collect_terms(&mut self) {
        let mut order: Vec<usize> = (0..self.content.pages.len()).collect();
        order.sort_by(|a, b| newest_first(&self.content.pages[*a], &self.content.pages[*b]));
        let codes = self.config.language_codes().map(|l| l.map(str::to_string));
        let mut taxonomies: BTreeMap<_, BTreeMap<String, BTreeMap<String, Term>>> = codes
            .map(|lang| {
                let each = self.config.taxonomies.iter();
                (lang, each.map(|t| (t.clone(), BTreeMap::new())).collect())
            })
            .collect();
        for i in &order {
            let page = &self.content.pages[*i];
            let Some(of_language) = taxonomies.get_mut(&page.lang) else {
                continue;
            };
            for (taxonomy, terms) in of_language.iter_mut() {
                for name in page.meta.terms_of(taxonomy) {
                    let slug = slug::slugify(name);
                    if slug.is_empty() {
                        continue;
                    }
                    let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: name.clone(),
                        slug,
                        pages: Vec::new(),
                    });
                    if term.pages.last() != Some(i) {
                        term.pages.push(*i);
                    }
                }
            }
        }
        self.taxonomies = taxonomies;
    }

    /// The terms of a taxonomy in a language (`None`: the default) by slug (none for a
    /// taxonomy site.yaml does not declare).
    pub fn terms(&self, lang: Option<&str>, taxonomy: &str) -> &BTreeMap<String, Term> {
        static NONE: BTreeMap<String, Term> = BTreeMap::new();
        let of_language = match lang {
            None => self.taxonomies.get(&None),
            Some(lang) => self.taxonomies.get(&Some(lang.to_string())),
        };
        of_language.and_then(|t| t.get(taxonomy)).unwrap_or(&NONE)
    }

    /// Previous/next in reading order: chronological for dated lists, list order otherwise.
    fn link_neighbours(&mut self) {
        self.neighbours = vec![(None, None); self.content.pages.len()];
        for (key, pages) in &self.section_pages {
            let Some(section) = self.content.sections.get(key) else {
                continue;
            };
            let chronological = section.sort_by == SortBy::Date && section.kind != Kind::Event;
            let mut order: Vec<usize> = self.own_pages(key, pages).collect();
            if chronological {
                order.reverse();
            }
            for (n, i) in order.iter().enumerate() {
                let prev = n.checked_sub(1).map(|p| order[p]);
                let next = order.get(n + 1).copied();
                self.neighbours[*i] = (prev, next);
            }
        }
    }

    /// Explicit `related` links, else the posts sharing most tags (newest first on ties),
    /// found through the tag index rather than by comparing every pair of posts.
    fn relate_posts(&mut self) {
        let pages = &self.content.pages;
        let related: Vec<Vec<Related>> = (0..pages.len())
            .map(|i| {
                let KindData::Post(post) = &pages[i].kind else {
                    return Vec::new();
                };
                if !post.related.is_empty() {
                    return post
                        .related
                        .iter()
                        .filter_map(|link| {
                            let page = *self.page_index.get(&link.key)?;
                            let anchor = link.anchor.clone();
                            (page != i).then_some(Related { page, anchor })
                        })
                        .take(RELATED)
                        .collect();
                }
                let mut shared: HashMap<usize, usize> = HashMap::new();
                // Posts are related to posts of their own language.
                let tags = self.terms(pages[i].lang.as_deref(), TAGS);
                for tag in &pages[i].meta.tags {
                    let Some(term) = tags.get(&slug::slugify(tag)) else {
                        continue;
                    };
                    for j in term.pages.iter().take(CANDIDATES_PER_TAG) {
                        if *j != i && matches!(pages[*j].kind, KindData::Post(_)) {
                            *shared.entry(*j).or_default() += 1;
                        }
                    }
                }
                let mut ranked: Vec<(usize, usize)> = shared.into_iter().collect();
                ranked.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| newest_first(&pages[a.0], &pages[b.0]))
                });
                ranked
                    .into_iter()
                    .take(RELATED)
                    .map(|(page, _)| Related { page, anchor: None })
                    .collect()
            })
            .collect();
        self.related = related;
    }

    fn collect_authors(&mut self) {
        let mut order: Vec<usize> = (0..self.content.pages.len()).collect();
        order.sort_by(|a, b| newest_first(&self.content.pages[*a], &self.content.pages[*b]));
        for i in order {
            if let KindData::Post(p) = &self.content.pages[i].kind {
                for a in p
                    .authors
                    .iter()
                    .filter(|a| self.config.authors.contains_key(*a))
                {
                    self.authors.entry(a.clone()).or_default().push(i);
                }
            }
        }
    }

    /// Whether a section is a home page: the default language's (`_index.md`) or another
    /// language's (`_index.cy.md`).
    pub fn is_home(&self, key: &str) -> bool {
        key == HOME || original_key(key) == HOME
    }

    /// The pages of one kind in one language (`None`: the default), newest first.
    pub fn newest_of_kind(&self, kind: Kind, lang: Option<&str>) -> Vec<usize> {
        let pages = &self.content.pages;
        let mut found: Vec<usize> = (0..pages.len())
            .filter(|i| pages[*i].kind.kind() == kind && pages[*i].lang.as_deref() == lang)
            .collect();
        found.sort_by(|a, b| newest_first(&pages[*a], &pages[*b]));
        found
    }

    /// Sorts pages newest first (by date; an event by its start), as feeds list them.
    pub fn sort_newest_first(&self, pages: &mut [usize]) {
        let list = &self.content.pages;
        pages.sort_by(|a, b| newest_first(&list[*a], &list[*b]));
    }

    /// The page list of a section (empty for an unknown key).
    pub fn pages_of(&self, section: &str) -> &[usize] {
        self.section_pages.get(section).map_or(&[], Vec::as_slice)
    }

    /// How many pages a section's list is written on (one at least, even when empty).
    pub fn list_pages_of_section(&self, key: &str) -> usize {
        let per_page = self.per_page_of(key);
        self.pages_of(key).len().div_ceil(per_page).max(1)
    }

    /// How many pages a section's list shows on each of its pages.
    pub fn per_page_of(&self, key: &str) -> usize {
        let own = self.content.sections.get(key).and_then(|s| s.paginate);
        own.unwrap_or(self.config.paginate)
    }

    /// How many pages a term's list is written on.
    pub fn list_pages_of_term(&self, term: &Term) -> usize {
        term.pages.len().div_ceil(self.config.paginate).max(1)
    }

    /// Whether a section is also written as one page (`<section>/all/`): a document of
    /// chapters that has some.
    pub fn has_whole_document(&self, key: &str) -> bool {
        let chapters = self
            .content
            .sections
            .get(key)
            .is_some_and(|s| s.kind == Kind::Chapter);
        chapters && !self.pages_of(key).is_empty()
    }

    /// The key of the section whose list is at site path `url`, if one is.
    pub fn section_at(&self, url: &str) -> Option<&str> {
        let mut keys = self.section_urls.iter();
        keys.find(|(_, at)| *at == url).map(|(key, _)| key.as_str())
    }

    /// The pages of a section's list that are its own, not those of a section nested in it,
    /// in the order of `list` (one of `section_pages`).
    pub fn own_pages<'a>(
        &'a self,
        section: &'a str,
        list: &'a [usize],
    ) -> impl Iterator<Item = usize> + 'a {
        list.iter()
            .copied()
            .filter(move |i| self.content.pages[*i].section == section)
    }

    /// Whether an event has finished, relative to the build's "now".
    pub fn is_past(&self, page: &Page) -> bool {
        match &page.kind {
            KindData::Event(e) => e.is_over(self.now),
            _ => false,
        }
    }
}

fn timestamp_of(p: &Page) -> Option<Timestamp> {
    match &p.kind {
        KindData::Event(e) => Some(e.start.timestamp()),
        _ => p.meta.date.as_ref().map(|d| d.zoned.timestamp()),
    }
}

fn newest_first(a: &Page, b: &Page) -> std::cmp::Ordering {
    timestamp_of(b)
        .cmp(&timestamp_of(a))
        .then_with(|| a.meta.title.cmp(&b.meta.title))
        .then_with(|| a.source.key.cmp(&b.source.key))
}

/// Upcoming events soonest first, then past events latest first.
fn sort_events(pages: &mut [usize], list: &[Page], now: Timestamp) {
    let key = |i: &usize| {
        let p = &list[*i];
        let (start, past) = match &p.kind {
            KindData::Event(e) => (e.start.timestamp(), e.is_over(now)),
            _ => (Timestamp::MIN, true),
        };
        let order = if past {
            -start.as_second()
        } else {
            start.as_second()
        };
        (past, order, p.source.key.clone())
    };
    pages.sort_by_key(key);
}
