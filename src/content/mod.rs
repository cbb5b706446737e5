//! The content stage: find the Markdown files of a site and parse their front matter into
//! typed [`Page`]s and [`Section`]s. Nothing here knows about templates or output.

mod discovery;
pub mod field_schemas;
pub mod front_matter;
pub mod kinds;
pub mod publication;
pub mod rows;
pub mod taxonomies;
pub mod translations;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::ZonedDateTime;
use rayon::prelude::*;

pub use discovery::{
    dir_of as discovery_dir_of, discover, is_ignored as discovery_is_ignored, Discovered,
};
pub use kinds::{
    EventData, EventFormat, EventStatus, FieldLink, Kind, KindData, KindSpec, PostData, VideoData,
    KINDS,
};
pub use publication::{Moment, Unpublished};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::yaml::Fragment;

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Lightest first, then title.
    Weight,
    /// Alphabetical.
    Title,
}

/// A page's date as written and as resolved in the site's time zone.
#[derive(Debug, Clone)]
pub struct PageDate {
    /// The instant, in the site's (or event's) zone.
    pub zoned: ZonedDateTime,
    /// Whether a time of day was given.
    pub has_time: bool,
}

/// The fields every page shares, validated.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The page title.
    pub title: String,
    /// Publication date.
    pub date: Option<PageDate>,
    /// Date of the last significant update.
    pub updated: Option<PageDate>,
    /// Drafts are only built with `--drafts`.
    pub draft: bool,
    /// From this instant the page is no longer published.
    pub expires: Option<PageDate>,
    /// The last URL segment.
    pub slug: String,
    /// A summary written by hand.
    pub summary: Option<String>,
    /// Taxonomy terms.
    pub tags: Vec<String>,
    /// The terms of each other taxonomy site.yaml declares, by taxonomy name.
    pub terms: BTreeMap<String, Vec<String>>,
    /// A social-card / listing image.
    pub image: Option<String>,
    /// What the image shows, for people who cannot see it.
    pub image_alt: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    /// Manual ordering.
    pub weight: Option<i64>,
    /// A template overriding the kind's.
    pub template: Option<String>,
    /// Free-form values for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Meta {
    /// The terms a page is classified by in one taxonomy, as written.
    pub fn terms_of(&self, taxonomy: &str) -> &[String] {
        match taxonomy {
            taxonomies::TAGS => &self.tags,
            other => self.terms.get(other).map_or(&[], Vec::as_slice),
        }
    }
}

/// A Markdown source file: its location and text, kept for diagnostics and rendering.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file relative to the site root, as shown in diagnostics (`content/blog/x.md`).
    pub file: PathBuf,
    /// The file relative to `content/`, with `/` separators: the key of `@/` links.
    pub key: String,
    /// The whole text (UTF-8, LF line endings).
    pub text: String,
    /// Byte range of the front matter YAML within `text`.
    pub yaml: std::ops::Range<usize>,
    /// Byte offset of the body within `text`.
    pub body_start: usize,
    /// 1-based line of the first body line.
    pub body_line: usize,
    /// For a page made from a row of a `_pages.csv`, the row: its text is then held whole and
    /// never read again from disk, and its diagnostics are placed at the row.
    pub row: Option<std::sync::Arc<rows::Row>>,
    /// For a translation, its front matter followed by the fields it takes from the page it
    /// translates ([`translations::inherit`]): what its fields are read from.
    pub inherited: Option<std::sync::Arc<str>>,
}

impl Source {
    /// Drops the Markdown body, keeping the front matter for diagnostics: a large site's bodies
    /// are read again one at a time when they are rendered, so they are never all in memory.
    pub fn forget_body(&mut self) {
        if self.row.is_some() {
            return;
        }
        self.text.truncate(self.body_start);
        self.text.shrink_to_fit();
    }

    /// The whole text, as held or read again from disk, and where its body starts. A file read
    /// again whose front matter is no longer the one parsed, or that is gone, is an error: its
    /// page would be made of half of each version.
    pub fn full_text(&self, root: &Path) -> Result<(std::borrow::Cow<'_, str>, usize), Diagnostic> {
        let held = self.row.is_some() || self.text.len() > self.body_start;
        // An empty text is a section made up rather than read (a home page or a
        // translation's section without a file of its own), or an empty file.
        if held || self.text.is_empty() {
            return Ok((std::borrow::Cow::Borrowed(&self.text), self.body_start));
        }
        let changed = |what: &str| {
            Diagnostic::error(
                &self.file,
                0,
                0,
                format!("the file {what} while the site was being built"),
            )
            .with_hint("build again")
        };
        let bytes = std::fs::read(root.join(&self.file)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => changed("disappeared"),
            _ => Diagnostic::error(&self.file, 0, 0, format!("cannot read the file: {e}")),
        })?;
        let text = front_matter::decode(&self.file, &bytes)?;
        match text.starts_with(self.text.as_str()) {
            true => Ok((std::borrow::Cow::Owned(text), self.body_start)),
            false => Err(changed("changed")),
        }
    }

    /// The front matter as a [`Fragment`] for positioned errors.
    pub fn fragment(&self) -> Fragment<'_> {
        let yaml = match &self.inherited {
            Some(merged) => merged,
            None => &self.text[self.yaml.clone()],
        };
        Fragment::new(&self.file, &self.text, yaml, 1)
    }
}

/// One page of content.
#[derive(Debug, Clone)]
pub struct Page {
    /// Where it came from.
    pub source: Source,
    /// The common fields.
    pub meta: Meta,
    /// The kind-specific fields.
    pub kind: KindData,
    /// The key of the section the page belongs to.
    pub section: String,
    /// The directory of the page's URL, relative to content (`blog`), from its location.
    pub dir: String,
    /// Files beside a bundle's `index.md`, copied next to its output.
    pub assets: Vec<PathBuf>,
    /// The language of a translation (`cy` for `about.cy.md`); `None` for the default one.
    pub lang: Option<String>,
}

/// A section: a directory with an `_index.md`, listing the pages below it.
#[derive(Debug, Clone)]
pub struct Section {
    /// Where it came from (a synthetic source for a missing home `_index.md`).
    pub source: Source,
    /// The section title.
    pub title: String,
    /// A hand-written summary.
    pub summary: Option<String>,
    /// The kind of the pages in the section (inherited by nested sections).
    pub kind: Kind,
    /// How its pages are ordered.
    pub sort_by: SortBy,
    /// Items per list page, when set here.
    pub paginate: Option<usize>,
    /// A template overriding `section.html`.
    pub template: Option<String>,
    /// Ordering among sibling sections.
    pub weight: Option<i64>,
    /// A draft section hides its pages too.
    pub draft: bool,
    /// The banner at the top of its first page, if it has one.
    pub hero: Option<Hero>,
    /// Free-form values for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The directory relative to content (`` for home, `events/2017`).
    pub dir: String,
    /// The key of the parent section (None for home).
    pub parent: Option<String>,
    /// The language of a translation's section (`cy` for `_index.cy.md`); `None` for the
    /// default one.
    pub lang: Option<String>,
}

/// A section's hero banner: what the theme shows above the section's introduction.
#[derive(Debug, Clone)]
pub struct Hero {
    /// The picture, as written (a path of the site, or relative to the `_index.md`).
    pub image: Option<String>,
    /// What the picture shows.
    pub alt: String,
    /// The call to action.
    pub cta: Option<Cta>,
}

/// A call to action: a button's words and where it leads.
#[derive(Debug, Clone)]
pub struct Cta {
    /// The button's words.
    pub label: String,
    /// Where it leads: an `@/` link, resolved when the page is rendered, or an address.
    pub url: crate::links::Href,
}

/// Everything the content stage found: sections by key, pages, and loose files to copy.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// Sections keyed by their `_index.md` key (`blog/_index.md`; `_index.md` for home).
    pub sections: BTreeMap<String, Section>,
    /// Sections left out as drafts, by key: a page read again below one is left out as
    /// [`load`] leaves it out ([`Content::all_sections`]).
    pub draft_sections: BTreeMap<String, Section>,
    /// Pages in discovery order (sorted by path).
    pub pages: Vec<Page>,
    /// Files under `content/` that are not Markdown and not in a bundle: (source, content-relative path).
    pub files: Vec<(PathBuf, String)>,
    /// Pages that could not be parsed (their errors are reported): links to them are not
    /// reported again as broken, and their bodies are still checked.
    pub failed: Vec<Failed>,
    /// Pages and sections that exist but are not published, by key, and why: a link to one
    /// is a warning, not a broken link.
    pub unpublished: BTreeMap<String, Unpublished>,
}

/// A page that could not be read: its errors are reported and it is never published, but it
/// exists, so links to it are not broken links, and its body is still checked for the errors
/// the Markdown stage finds.
#[derive(Debug, Clone)]
pub struct Failed {
    /// Its content key.
    pub key: String,
    /// Its whole text, when the file could be read and its front matter split from its body.
    pub source: Option<Source>,
    /// Its language (`None`: the site's default).
    pub lang: Option<String>,
    /// Where it would have been published.
    pub place: Place,
}

impl Failed {
    /// A page known by its key alone (its file could not be read, or its section's kind
    /// cannot be told): any page of its folder may be it.
    fn unread(key: &str, source: Option<Source>, sections: &BTreeMap<String, Section>) -> Failed {
        let section = sections.get(&discovery::owning_section(key, sections));
        let lang = section.and_then(|s| s.lang.clone());
        Failed {
            key: key.to_string(),
            source,
            place: kinds::place(key, None, Vec::new()),
            lang,
        }
    }
}

/// Where a page that failed to load would have been, as its key and the fields that did read
/// tell, from which the routes make its site paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The folder of its section's pages, relative to `content/` (as [`Page::dir`]).
    pub dir: String,
    /// Its URL segment, from a `slug` that read or its file name; `None` when a `slug` is
    /// written that cannot be read.
    pub slug: Option<String>,
    /// The URL segment its file name gives it.
    pub name: String,
    /// Whether it is a bundle (`index.md` beside its files).
    pub bundle: bool,
    /// Its `aliases` that did read, as written.
    pub aliases: Vec<String>,
}

/// Options of the content stage: which pages are published.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Include pages dated after `now` (events are never held back by their date).
    pub future: bool,
    /// "Now", which decides what is scheduled and what has expired.
    pub now: jiff::Timestamp,
}

/// Reads and parses every content file under `root/content`, in parallel.
pub fn load(root: &Path, config: &Config, options: LoadOptions) -> (Content, Vec<Diagnostic>) {
    let mut found = match discover(root) {
        Ok(found) => found,
        Err(d) => return (Content::default(), vec![d]),
    };
    let mut diagnostics = taxonomies::check_names(config);
    leave_out_unknown_languages(&mut found, config, &mut diagnostics);
    let (mut sections, mut unknown) = load_sections(root, &found, config, &mut diagnostics);
    if !config.languages.is_empty() {
        let more =
            translations::load_sections(root, &found, config, &mut sections, &mut diagnostics);
        unknown.extend(more);
    }
    let results: Vec<PageRead> = found
        .pages
        .par_iter()
        .map(
            |p| match unknown.contains(&discovery::owning_section(&p.key, &sections)) {
                // Its fields are not checked, but its body is.
                true => Err(Box::new(Unread {
                    errors: Vec::new(),
                    page: Failed::unread(&p.key, read_source(root, &p.key).ok(), &sections),
                })),
                false => read_page(root, &p.key, &sections, config, p.assets.clone(), options),
            },
        )
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    let mut unpublished = BTreeMap::new();
    for (r, found_page) in results.into_iter().zip(&found.pages) {
        match r {
            Ok(Read::Published(page)) => pages.push(*page),
            Ok(Read::Unpublished(why)) => {
                unpublished.insert(found_page.key.clone(), why);
            }
            Err(unread) => {
                diagnostics.extend(unread.errors);
                failed.push(unread.page);
            }
        }
    }
    if !found.sheets.is_empty() {
        let keys: std::collections::HashSet<&str> =
            found.pages.iter().map(|p| p.key.as_str()).collect();
        let sheets: Vec<String> = found
            .sheets
            .iter()
            .filter(|s| !unknown.contains(&discovery::owning_section(s, &sections)))
            .cloned()
            .collect();
        let read = rows::read_sheets(root, &sheets, &sections, config, options, &keys);
        pages.extend(read.pages);
        diagnostics.extend(read.diagnostics);
        failed.extend(read.failed.iter().map(|key| {
            let lang = sections
                .get(&discovery::owning_section(key, &sections))
                .and_then(|s| s.lang.clone());
            // A row's page is named by its slug, or its title.
            Failed {
                key: key.clone(),
                source: None,
                lang,
                place: kinds::place(key, Some(None), Vec::new()),
            }
        }));
        unpublished.extend(read.unpublished);
        pages.sort_by(|a, b| discovery_order(&a.source.key, &b.source.key));
        failed.sort_by(|a, b| discovery_order(&a.key, &b.key));
    }
    let (draft_sections, sections): (BTreeMap<_, _>, _) = sections
        .into_iter()
        .partition(|(_, s)| s.draft && !options.drafts);
    unpublished.extend(
        draft_sections
            .keys()
            .map(|k| (k.clone(), Unpublished::Draft)),
    );
    (
        Content {
            sections,
            draft_sections,
            pages,
            files: found.files,
            failed,
            unpublished,
        },
        diagnostics,
    )
}

/// Reports each file in a language the site does not list (`about.fr.md` when site.yaml
/// lists only `cy`), and leaves it out; the pages and sections of default-language files
/// with a suffix (`about.en.md` on an English site) count as the default language's.
fn leave_out_unknown_languages(
    found: &mut Discovered,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut known = |key: &String| match translations::language_of(key, config) {
        Ok(_) => true,
        Err(d) => {
            diagnostics.push(d);
            false
        }
    };
    found.pages.retain(|p| known(&p.key));
    found.translated_sections.retain(&mut known);
    let (default, translated): (Vec<String>, Vec<String>) =
        std::mem::take(&mut found.translated_sections)
            .into_iter()
            .partition(|k| translations::language_of(k, config).is_ok_and(|l| l.is_none()));
    found.translated_sections = translated;
    for key in default {
        let base = crate::languages::split_key(&key).map_or(key.clone(), |(b, _)| b);
        diagnostics.push(
            Diagnostic::error(
                Path::new("content").join(&key),
                0,
                0,
                format!(
                    "this section is in the site's default language ({})",
                    config.language
                ),
            )
            .with_hint(format!("name it content/{base}")),
        );
    }
}

impl Content {
    /// Every section the pages were read against, drafts left out included: what a page read
    /// again must be read against ([`read_page`]) to be kept or left out as [`load`] did.
    pub fn all_sections(&self) -> std::borrow::Cow<'_, BTreeMap<String, Section>> {
        match self.draft_sections.is_empty() {
            true => std::borrow::Cow::Borrowed(&self.sections),
            false => std::borrow::Cow::Owned(
                self.sections
                    .iter()
                    .chain(&self.draft_sections)
                    .map(|(k, s)| (k.clone(), s.clone()))
                    .collect(),
            ),
        }
    }
}

/// A page read: published or why not, or the errors that stopped it.
pub type PageRead = Result<Read, Box<Unread>>;

/// A page that could not be read: the errors that stopped it, and what is known of it.
#[derive(Debug)]
pub struct Unread {
    /// Its errors (none for a page below a section whose kind cannot be told).
    pub errors: Vec<Diagnostic>,
    /// The page.
    pub page: Failed,
}

/// A page read without errors.
#[derive(Debug)]
pub enum Read {
    /// It is published.
    Published(Box<Page>),
    /// It is left out, for this reason.
    Unpublished(Unpublished),
}

/// Reads and parses one page below the sections found, and decides whether it is published.
pub fn read_page(
    root: &Path,
    key: &str,
    sections: &BTreeMap<String, Section>,
    config: &Config,
    assets: Vec<PathBuf>,
    options: LoadOptions,
) -> PageRead {
    let section_key = discovery::owning_section(key, sections);
    let unread = |errors: Vec<Diagnostic>, source: Option<Source>| {
        Box::new(Unread {
            errors,
            page: Failed::unread(key, source, sections),
        })
    };
    let section = sections.get(&section_key).ok_or_else(|| {
        unread(
            vec![Diagnostic::general(format!(
                "content/{key} is not below any section"
            ))],
            None,
        )
    })?;
    let source = translations::read(root, key).map_err(|d| unread(vec![d], None))?;
    let own_lines = source.text[..source.body_start].lines().count();
    let mut page = kinds::parse_page(source, section, config, assets).map_err(|mut errors| {
        // An error in a field taken from the original is the original's, reported there.
        errors.retain(|d| d.line <= own_lines);
        Box::new(Unread {
            errors,
            page: failed_page(root, key, section),
        })
    })?;
    page.source.forget_body();
    Ok(match options.withholds(&page, section) {
        Some(why) => Read::Unpublished(why),
        None => Read::Published(Box::new(page)),
    })
}

/// A page whose front matter has errors, read again (only then: its body is checked, and its
/// `slug` and `aliases` tell where it would have been published).
fn failed_page(root: &Path, key: &str, section: &Section) -> Failed {
    let source = translations::read(root, key).ok();
    let (slug, aliases) = match &source {
        Some(source) => kinds::readable_place(source),
        None => (None, Vec::new()),
    };
    let lang = section.lang.clone();
    Failed {
        key: key.to_string(),
        place: kinds::place(key, slug, aliases),
        source,
        lang,
    }
}

/// The order pages are discovered in (a walk of the folders, names sorted in each), for
/// a page added to a loaded site to take the place a fresh walk would give it.
pub fn discovery_order(a: &str, b: &str) -> std::cmp::Ordering {
    Path::new(a).cmp(Path::new(b))
}

/// Reads every section, parents first. A section with errors is kept as a stand-in so the
/// pages below still find it; the second value names the stand-ins whose kind cannot be told,
/// whose pages are then not checked (every field would look wrong for the wrong kind).
fn load_sections(
    root: &Path,
    found: &Discovered,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Section>, BTreeSet<String>) {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut unknown = BTreeSet::new();
    // Keys sort parents before children ("_index.md" < "blog/_index.md" < "blog/x/_index.md").
    let mut keys = found.sections.clone();
    keys.sort_by_key(|k| k.matches('/').count());
    if !keys.iter().any(|k| k == "_index.md") {
        keys.insert(0, "_index.md".to_string());
    }
    for key in keys {
        let parent = discovery::parent_section_key(&key, &sections);
        let parent_section = parent.as_ref().and_then(|p| sections.get(p));
        let result = if key == "_index.md" && !found.sections.contains(&key) {
            Ok(kinds::implicit_home(config))
        } else {
            read_source(root, &key)
                .map_err(|d| vec![d])
                .and_then(|src| kinds::parse_section(src, parent_section, config))
        };
        match result {
            Ok(mut section) => {
                section.parent = parent;
                section.source.forget_body();
                sections.insert(key, section);
            }
            Err(d) => {
                diagnostics.extend(d);
                // Keep a stand-in so pages below still find their section.
                let mut stand_in = kinds::implicit_home(config);
                stand_in.dir = discovery::dir_of(&key);
                stand_in.source.key = key.clone();
                let kind = read_source(root, &key)
                    .ok()
                    .and_then(|s| kinds::section_kind(&s, parent_section))
                    .filter(|_| !parent.as_ref().is_some_and(|p| unknown.contains(p)));
                match kind {
                    Some(kind) => stand_in.kind = kind,
                    None => {
                        unknown.insert(key.clone());
                    }
                }
                stand_in.parent = parent;
                sections.insert(key, stand_in);
            }
        }
    }
    (sections, unknown)
}

/// Reads a content file and splits its front matter from its body.
pub fn read_source(root: &Path, key: &str) -> Result<Source, Diagnostic> {
    let file = Path::new("content").join(key);
    let bytes = std::fs::read(root.join(&file))
        .map_err(|e| Diagnostic::error(&file, 0, 0, format!("cannot read the file: {e}")))?;
    let text = front_matter::decode(&file, &bytes)?;
    let split = front_matter::split(&file, &text)?;
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml = yaml_start..yaml_start + split.yaml.len();
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    let body_line = split.body_line;
    Ok(Source {
        file,
        key: key.to_string(),
        yaml,
        body_start,
        body_line,
        text,
        row: None,
        inherited: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page's source as a build holds it after parsing: front matter only.
    fn parsed(root: &Path, text: &str) -> Source {
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/x.md"), text).unwrap();
        let mut source = read_source(root, "x.md").unwrap();
        source.forget_body();
        source
    }

    #[test]
    fn a_body_read_again_comes_with_the_front_matter_parsed() {
        let tmp = tempfile::tempdir().unwrap();
        let source = parsed(tmp.path(), "---\ntitle: Old\n---\n\nOld body.\n");
        std::fs::write(
            tmp.path().join("content/x.md"),
            "---\ntitle: Old\n---\n\nNew body.\n",
        )
        .unwrap();
        let (text, body_start) = source.full_text(tmp.path()).unwrap();
        assert_eq!(&text[body_start..], "\nNew body.\n");
    }

    #[test]
    fn a_page_rewritten_or_removed_after_parsing_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let source = parsed(tmp.path(), "---\ntitle: Old\n---\n\nOld body.\n");
        let file = tmp.path().join("content/x.md");
        std::fs::write(&file, "---\ntitle: New\n---\n\nNew body.\n").unwrap();
        assert_eq!(
            source.full_text(tmp.path()).unwrap_err().to_string(),
            "error: content/x.md: the file changed while the site was being built\n  \
             = hint: build again\n"
        );
        std::fs::remove_file(&file).unwrap();
        assert_eq!(
            source.full_text(tmp.path()).unwrap_err().to_string(),
            "error: content/x.md: the file disappeared while the site was being built\n  \
             = hint: build again\n"
        );
    }
}
