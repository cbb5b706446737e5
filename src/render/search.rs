//! The full-text search index, for a search that runs in the reader's browser on any static
//! host. The index is split so that `search.js` downloads only what a query needs:
//!
//! - `search/index.json`, the manifest: how many term files there are, the stemmer, the kinds
//!   and tags to filter by, and a version that every other file is fetched with (`?v=`), so a
//!   browser never mixes the files of two builds;
//! - `search/terms/<n>.json`: every stem whose hash ([`part_of`]) falls in part `n`, with the
//!   pages it is found in and its weight there (`{"stem":[id,weight,id,weight,…]}`, each page
//!   id as the difference from the one before);
//! - `search/pages/<id>.json`: what a result shows of a page: its address, title, kind, date,
//!   place and plain text (from which the excerpt is cut);
//! - `search/kinds/<kind>.json` and `search/tags/<n>.json`: the ids of the pages of a kind or
//!   of the manifest's `n`th tag (as differences), fetched only when a reader filters by one.
//!
//! Each language has an index of its own pages beside its search page (`/search/`,
//! `/cy/search/`), stemmed in its language; one with no Snowball stemmer (Welsh) keeps its
//! words whole. A page's id is its index in the site's pages. A stem weighs [`TITLE`] in a page whose
//! title has it, [`HEADING`] in one whose headings or tags have it, and 1 to [`BODY`] by how
//! often its text (with the summary and an event's venue) has it, so a title match outranks
//! any page that only mentions the word.

mod text;
mod words;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::json;

use crate::content::{Kind, KindData, Page};
use crate::digest::hash_of;
use crate::markdown::{Rendered, TocEntry};
use crate::routes::{self, SearchFile};
use crate::site::Site;
use text::text_of;
use words::each_word;
pub use words::{stemmer_name, words, Stemmer, MAX_WORD_CHARS};

/// The weight of a stem in a page whose title has it.
pub const TITLE: u8 = 10;
/// The weight of a stem in a page whose headings or tags have it.
pub const HEADING: u8 = 5;
/// The most a stem weighs for how often a page's text has it (1 once, 2 twice, 3 from four
/// times, 4 from eight): less than a heading.
pub const BODY: u8 = 4;

/// The files of the index of a language (`None`: the default), in the order they are
/// written.
pub fn files<'a>(site: &'a Site, lang: Option<&'a str>) -> impl Iterator<Item = SearchFile> + 'a {
    let pages: Vec<usize> = pages_in(site, lang).collect();
    let tags = tags(site, lang).len();
    std::iter::once(SearchFile::Manifest)
        .chain((0..part_count(pages.len())).map(SearchFile::Terms))
        .chain(pages.into_iter().map(SearchFile::Page))
        .chain(kinds(site, lang).into_iter().map(SearchFile::Kind))
        .chain((0..tags).map(SearchFile::Tag))
}

/// The pages of a language (`None`: the default), by index.
fn pages_in<'a>(site: &'a Site, lang: Option<&'a str>) -> impl Iterator<Item = usize> + 'a {
    let pages = site.content.pages.iter().enumerate();
    pages
        .filter(move |(_, p)| p.lang.as_deref() == lang)
        .map(|(i, _)| i)
}

/// The tags of a language's pages, by slug.
fn tags<'a>(
    site: &'a Site,
    lang: Option<&str>,
) -> &'a std::collections::BTreeMap<String, crate::site::Term> {
    site.terms(lang, crate::content::taxonomies::TAGS)
}

/// How many term files an index of `pages` pages is split into: one per 20 pages or so,
/// rounded to a power of two, so that a term file stays small whatever the site's size.
pub fn part_count(pages: usize) -> usize {
    (pages / 20).next_power_of_two().min(1024)
}

/// The term file a stem is in: its FNV-1a hash (over its characters) modulo the number of
/// files; `search.js` works it out the same way.
pub fn part_of(stem: &str, parts: usize) -> usize {
    let hash = stem.chars().fold(0x811c_9dc5_u32, |h, c| {
        (h ^ c as u32).wrapping_mul(0x0100_0193)
    });
    hash as usize % parts.max(1)
}

/// The kinds of a language's pages, in the registry's order.
fn kinds(site: &Site, lang: Option<&str>) -> Vec<Kind> {
    let pages = pages_in(site, lang);
    let mut kinds: Vec<Kind> = pages.map(|i| site.content.pages[i].kind.kind()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// How the search page names a kind of page in its filter, in the index's language.
fn kind_label(site: &Site, lang: Option<&str>, kind: Kind) -> String {
    let words = site.config.strings.get(site.config.lang_tag(lang));
    words.say(&format!("kind_{}", kind.name()))
}

/// A stem's pages with its weight in each, in the order of the pages.
type Postings = Vec<(u32, u8)>;

/// The term files of a language's index, worked out together since each holds words of
/// every page of the language.
pub struct Index {
    /// Each part's stems, sorted, with their postings.
    parts: Vec<Vec<(Box<str>, Postings)>>,
    /// What every file is fetched with, changing whenever any file of the index does.
    version: String,
    /// What the next build of a `serve` session may keep.
    kept: Arc<Kept>,
}

/// The words of every page of one build, for the next build of a `serve` session: a page whose
/// Markdown (the same rendering) and front matter are unchanged is not read again.
pub struct Kept {
    /// The index's language tag, which decides the stems.
    language: String,
    /// Every stem met, numbered.
    vocabulary: Vocabulary,
    /// By content key: the page's Markdown, a hash of its front matter, and its words.
    pages: HashMap<String, (Arc<Rendered>, u64, Arc<PageWords>)>,
}

/// Stems by number, and numbers by stem.
#[derive(Clone, Default)]
struct Vocabulary {
    numbers: HashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
}

impl Vocabulary {
    fn number(&mut self, stem: &str) -> u32 {
        if let Some(n) = self.numbers.get(stem) {
            return *n;
        }
        let n = self.stems.len() as u32;
        self.stems.push(stem.into());
        self.numbers.insert(stem.into(), n);
        n
    }
}

/// One page's words: each stem (by its number in the [`Vocabulary`]) with its weight there,
/// and a hash of the page's text.
struct PageWords {
    stems: Vec<(u32, u8)>,
    text: u64,
}

impl Index {
    /// Reads the words of every page of `lang` (`None`: the default language) that
    /// `previous` (the index of a `serve` session's last build) does not hold unchanged. The pages are split between threads of their own
    /// rather than rayon's: the index is built on the first request for one of its files, from
    /// a job rendered by rayon, and a rayon thread waiting for its own tasks would take up
    /// another job, which would wait for the index being built.
    pub fn build(
        site: &Site,
        rendered: &[Arc<Rendered>],
        lang: Option<&str>,
        previous: Option<&Kept>,
    ) -> Index {
        let pages = &site.content.pages;
        let ids: Vec<usize> = pages_in(site, lang).collect();
        let language = site.config.lang_tag(lang);
        let previous = previous.filter(|p| p.language == *language);
        let fronts: Vec<u64> = ids
            .iter()
            .map(|i| hash_of(&pages[*i].source.text))
            .collect();
        // By page index; none for the pages of other languages.
        let mut words: Vec<Option<Arc<PageWords>>> = vec![None; pages.len()];
        for (i, front_now) in ids.iter().zip(&fronts) {
            let kept = previous.and_then(|p| p.pages.get(&pages[*i].source.key));
            words[*i] = kept
                .filter(|(md, front, _)| Arc::ptr_eq(md, &rendered[*i]) && front == front_now)
                .map(|(_, _, words)| Arc::clone(words));
        }
        let todo: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|i| words[*i].is_none())
            .collect();
        let mut vocabulary = previous.map_or_else(Vocabulary::default, |p| p.vocabulary.clone());
        for chunk in read_pages(site, rendered, language, &todo) {
            let numbers: Vec<u32> = chunk.stems.iter().map(|s| vocabulary.number(s)).collect();
            for read in chunk.pages {
                let stems = read.stems.iter().map(|(n, w)| (numbers[*n as usize], *w));
                words[read.page] = Some(Arc::new(PageWords {
                    stems: stems.collect(),
                    text: read.text,
                }));
            }
        }
        // By position in `ids`.
        let words: Vec<Arc<PageWords>> = words.into_iter().flatten().collect();
        let parts = parts(&vocabulary, &ids, &words);
        let shown: Vec<u64> = ids
            .iter()
            .zip(&words)
            .map(|(i, words)| {
                let (page, shown) = (&pages[*i], Shown::of(site, *i, &pages[*i]));
                let what = (shown.url, shown.date, shown.place, &page.meta.title);
                hash_of(&(what, page.kind.kind(), words.text))
            })
            .collect();
        let version = format!("{:016x}", hash_of(&(&parts, shown)));
        let kept = Kept {
            language: language.to_string(),
            vocabulary,
            pages: ids
                .iter()
                .zip(fronts.iter().zip(&words))
                .map(|(i, (front, words))| {
                    let entry = (Arc::clone(&rendered[*i]), *front, Arc::clone(words));
                    (pages[*i].source.key.clone(), entry)
                })
                .collect(),
        };
        Index {
            parts,
            version,
            kept: Arc::new(kept),
        }
    }

    /// What the next build of a `serve` session may keep of this one.
    pub fn kept(&self) -> Arc<Kept> {
        Arc::clone(&self.kept)
    }

    fn manifest(&self, site: &Site, lang: Option<&str>) -> String {
        let kinds: Vec<serde_json::Value> = kinds(site, lang)
            .into_iter()
            .map(|k| json!({ "name": k.name(), "label": kind_label(site, lang, k) }))
            .collect();
        let tags: Vec<serde_json::Value> = tags(site, lang)
            .values()
            .map(|t| json!({ "slug": t.slug, "name": t.name }))
            .collect();
        json!({
            "version": self.version,
            "parts": self.parts.len(),
            "pages": self.kept.pages.len(),
            "stemmer": stemmer_name(site.config.lang_tag(lang)),
            "max_word": MAX_WORD_CHARS,
            "kinds": kinds,
            "tags": tags,
        })
        .to_string()
    }
}

/// The text of one file of the index of `lang`. The manifest and the term files are parts of
/// the whole `index`, asked for only then; the others are made from one page or from the
/// site's lists.
pub fn file<'a>(
    site: &Site,
    rendered: &[Arc<Rendered>],
    lang: Option<&str>,
    file: &SearchFile,
    index: impl FnOnce() -> &'a Index,
) -> String {
    match file {
        SearchFile::Manifest => index().manifest(site, lang),
        SearchFile::Terms(n) => index().parts.get(*n).map_or_else(String::new, |p| terms(p)),
        SearchFile::Page(i) => result_file(site, *i, &rendered[*i]),
        SearchFile::Kind(kind) => {
            ids(pages_in(site, lang).filter(|i| site.content.pages[*i].kind.kind() == *kind))
        }
        SearchFile::Tag(n) => {
            let tag = tags(site, lang).values().nth(*n);
            let mut pages = tag.map_or_else(Vec::new, |t| t.pages.clone());
            pages.sort_unstable();
            ids(pages.into_iter())
        }
    }
}

/// A term file: `{"stem":[id,weight,…],…}`, each id the difference from the one before.
fn terms(part: &[(Box<str>, Postings)]) -> String {
    let mut out = String::from("{");
    for (n, (stem, postings)) in part.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::from(&**stem).to_string());
        out.push_str(":[");
        let mut last = 0;
        for (i, (page, weight)) in postings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_number(&mut out, page - last);
            out.push(',');
            push_number(&mut out, u32::from(*weight));
            last = *page;
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// What a result shows of page `i`: `{"url","title","kind","date","place","text"}`.
fn result_file(site: &Site, i: usize, md: &Rendered) -> String {
    let page = &site.content.pages[i];
    let shown = Shown::of(site, i, page);
    json!({
        "url": shown.url,
        "title": page.meta.title,
        "kind": page.kind.kind().name(),
        "date": shown.date,
        "place": shown.place,
        "text": page_text(page, md),
    })
    .to_string()
}

/// Writes a number in decimal (the term files hold millions of them).
fn push_number(out: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|d| char::from(*d)));
}

/// Page ids as a JSON array of differences.
fn ids(pages: impl Iterator<Item = usize>) -> String {
    let mut out = String::from("[");
    let mut last = 0;
    for (n, page) in pages.enumerate() {
        let sep = if n > 0 { "," } else { "" };
        let _ = write!(out, "{sep}{}", page - last);
        last = page;
    }
    out.push(']');
    out
}

/// What a result shows of a page besides its title and text.
struct Shown {
    url: String,
    /// The event's day, else the page's date.
    date: Option<String>,
    /// The event's venue.
    place: Option<String>,
}

impl Shown {
    fn of(site: &Site, i: usize, page: &Page) -> Shown {
        let event = match &page.kind {
            KindData::Event(e) => Some(e),
            _ => None,
        };
        let words = crate::render::values::language_of(site, i);
        Shown {
            url: routes::href(&site.config, &site.page_urls[i]),
            date: match event {
                Some(e) => Some(words.long_date(&e.start)),
                None => page.meta.date.as_ref().map(|d| words.long_date(&d.zoned)),
            },
            place: event.and_then(|e| e.venue.as_ref()).map(|v| v.name.clone()),
        }
    }
}

/// A page's text as a reader sees it: its summary when the front matter gives one, then its
/// body, without markup.
fn page_text(page: &Page, md: &Rendered) -> String {
    let body = text_of(&md.html);
    let summary = page
        .meta
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and(md.summary.as_deref())
        .map(text_of);
    match summary {
        Some(s) if !s.is_empty() => format!("{s} {body}"),
        _ => body,
    }
}

/// Every stem's postings, in the pages' order, split into parts by [`part_of`], each sorted:
/// `words` are the words of the pages `ids`.
fn parts(
    vocabulary: &Vocabulary,
    ids: &[usize],
    words: &[Arc<PageWords>],
) -> Vec<Vec<(Box<str>, Postings)>> {
    let mut postings: Vec<Postings> = vec![Vec::new(); vocabulary.stems.len()];
    for (page, words) in ids.iter().zip(words) {
        for (stem, weight) in &words.stems {
            postings[*stem as usize].push((*page as u32, *weight));
        }
    }
    let count = part_count(words.len());
    let mut parts: Vec<Vec<(Box<str>, Postings)>> = vec![Vec::new(); count];
    for (stem, postings) in vocabulary.stems.iter().zip(postings) {
        if !postings.is_empty() {
            parts[part_of(stem, count)].push((stem.clone(), postings));
        }
    }
    for part in &mut parts {
        part.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    parts
}

/// Reads the words of the pages `todo`, in `language`, split between as many threads as
/// there are cores.
fn read_pages(
    site: &Site,
    rendered: &[Arc<Rendered>],
    language: &str,
    todo: &[usize],
) -> Vec<Chunk> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = todo.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = todo
            .chunks(chunk)
            .map(|pages| scope.spawn(move || Chunk::read(site, rendered, language, pages)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The words of some pages, read by one thread.
struct Chunk {
    /// The stems met, by the numbers the pages give them.
    stems: Vec<Box<str>>,
    /// The pages read.
    pages: Vec<ReadPage>,
}

/// One page read by a [`Chunk`].
struct ReadPage {
    page: usize,
    /// Each stem, by its number in the chunk, with its weight.
    stems: Vec<(u32, u8)>,
    /// A hash of its text.
    text: u64,
}

/// Where in a page a stem was found.
#[derive(Clone, Copy, Default, PartialEq)]
struct Found {
    title: bool,
    heading: bool,
    text: u32,
}

impl Found {
    fn weight(self) -> u8 {
        let text = match self.text {
            0 => 0,
            n => (n.ilog2() as u8 + 1).min(BODY),
        };
        (if self.title { TITLE } else { 0 }) + (if self.heading { HEADING } else { 0 }) + text
    }
}

impl Chunk {
    fn read(site: &Site, rendered: &[Arc<Rendered>], language: &str, todo: &[usize]) -> Chunk {
        let mut stemmer = Stemmer::for_language(language);
        let mut pages = Vec::with_capacity(todo.len());
        // Where this page has each stem, by the stem's number, and the numbers met.
        let mut found: Vec<Found> = Vec::new();
        let mut met: Vec<u32> = Vec::new();
        for &i in todo {
            let page = &site.content.pages[i];
            let md = &rendered[i];
            let text = page_text(page, md);
            let mut mark = |text: &str, how: &dyn Fn(&mut Found)| {
                each_word(text, |word| {
                    let n = stemmer.number(word);
                    let at = n as usize;
                    if found.len() <= at {
                        found.resize(at + 1, Found::default());
                    }
                    if found[at] == Found::default() {
                        met.push(n);
                    }
                    how(&mut found[at]);
                });
            };
            mark(&page.meta.title, &|f| f.title = true);
            let mut headings = Vec::new();
            headings_of(&md.toc, &mut headings);
            headings.extend(&page.meta.tags);
            for heading in headings {
                mark(heading, &|f| f.heading = true);
            }
            mark(&text, &|f| f.text += 1);
            if let KindData::Event(e) = &page.kind {
                let venue = e.venue.iter();
                for v in
                    venue.flat_map(|v| [Some(&v.name), v.address.as_ref(), v.postcode.as_ref()])
                {
                    mark(v.map_or("", String::as_str), &|f| f.text += 1);
                }
            }
            let stems = met
                .drain(..)
                .map(|n| {
                    let weight = found[n as usize].weight();
                    found[n as usize] = Found::default();
                    (n, weight)
                })
                .collect();
            pages.push(ReadPage {
                page: i,
                stems,
                text: hash_of(&text),
            });
        }
        Chunk {
            stems: stemmer.into_stems(),
            pages,
        }
    }
}

/// The titles of a table of contents, nested ones included.
fn headings_of<'a>(toc: &'a [TocEntry], out: &mut Vec<&'a String>) {
    for entry in toc {
        out.push(&entry.title);
        headings_of(&entry.children, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_weighs_more_in_a_title_than_in_headings_than_in_text() {
        let text = |n| Found {
            text: n,
            ..Found::default()
        };
        let weights: Vec<u8> = [1, 2, 3, 4, 7, 8, 1000].map(|n| text(n).weight()).to_vec();
        assert_eq!(weights, [1, 2, 2, 3, 3, 4, 4]);
        let heading = Found {
            heading: true,
            ..Found::default()
        };
        let title = Found {
            title: true,
            ..Found::default()
        };
        assert!(heading.weight() > text(1000).weight());
        assert!(title.weight() > text(1000).weight() + heading.weight());
    }

    #[test]
    fn parts_are_numbered_from_a_hash_search_js_shares() {
        // FNV-1a of "webinar", as search.js computes it.
        assert_eq!(part_of("webinar", usize::MAX), 0x205a_0a01);
        assert_eq!(part_of("anything", 1), 0);
        assert_eq!(part_count(45), 2);
        assert_eq!(part_count(10), 1);
        assert_eq!(part_count(10_000), 512);
        assert_eq!(part_count(1_000_000), 1024);
    }

    #[test]
    fn postings_and_ids_are_written_as_differences() {
        let part = vec![
            ("a\"b".into(), vec![(3, 10), (5, 1)]),
            ("c".into(), vec![(0, 2)]),
        ];
        assert_eq!(terms(&part), r#"{"a\"b":[3,10,2,1],"c":[0,2]}"#);
        let mut out = String::new();
        for n in [0, 7, 10, 4_294_967_295] {
            push_number(&mut out, n);
            out.push(' ');
        }
        assert_eq!(out, "0 7 10 4294967295 ");
        assert_eq!(ids([2, 3, 10].into_iter()), "[2,1,7]");
        assert_eq!(ids(std::iter::empty()), "[]");
    }
}
