//! The kinds of page: one file each (`kinds/post.rs`, …) and the registry [`KINDS`] that lists
//! them, plus turning raw front matter into validated, typed data by the page's kind.
//!
//! Everything pamphlet knows of a kind is in its [`KindSpec`]: its name, its own fields, how its
//! sections sort, its template, the section and skeleton `pamphlet new` writes, and the parser of
//! its fields. A new kind is its file, a variant of [`Kind`] and [`KindData`], a line in
//! [`KINDS`], its raw fields in [`RawPage`], and a template.

mod chapter;
mod event;
mod page;
mod post;
mod video;

use std::collections::BTreeMap;

use jiff::tz::TimeZone;

pub use event::{EventData, EventFormat, EventStatus, Registration};
pub use post::{Original, PostData};
pub use video::{parse_duration, Provider, VideoData};

use super::front_matter::{RawPage, RawSection};
use super::{Meta, Page, PageDate, Section, SortBy, Source};
use crate::config::Config;
use crate::dates::{DateError, DateValue};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::links::ContentLink;
use crate::yaml::{Fragment, Partial};

/// Every kind of page, in the order their names are listed to authors.
pub static KINDS: &[&KindSpec] = &[
    &page::SPEC,
    &post::SPEC,
    &event::SPEC,
    &video::SPEC,
    &chapter::SPEC,
];

/// What a section's pages are, which decides their fields and template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plain page.
    Page,
    /// A blog post.
    Post,
    /// An event with a time and place.
    Event,
    /// A recorded video.
    Video,
    /// A chapter of the concordat.
    Chapter,
}

impl Kind {
    /// Everything known of the kind, from the registry (which lists the kinds in this order).
    pub fn spec(self) -> &'static KindSpec {
        KINDS[self as usize]
    }

    /// The name used in front matter and template file names.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The kind of this name (`post`), as written in `kind:` or on the command line.
    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|s| s.name == name).map(|s| s.kind)
    }
}

/// Everything pamphlet knows of one kind of page, in one place.
#[derive(Debug)]
pub struct KindSpec {
    /// The kind described.
    pub kind: Kind,
    /// Its name in a section's `kind:`, on the command line and in messages.
    pub name: &'static str,
    /// The front-matter fields only pages of this kind have: on another kind's page, an error.
    pub fields: &'static [Field],
    /// The fields a page of this kind must have written, besides `title` (which every page
    /// needs): the schema and the CMS config mark them required, as the kind's parser does.
    pub required: &'static [&'static str],
    /// How a section of such pages is ordered unless its `sort_by:` says otherwise.
    pub sort_by: SortBy,
    /// The template its pages are rendered with (`page.html` when the theme has not got it).
    pub template: &'static str,
    /// The section `pamphlet new` creates for a site without one; `None`: the page is
    /// written at the top of `content/`.
    pub section: Option<NewSection>,
    /// Whether `pamphlet new` starts the file name with the date (`2017-08-06-title.md`).
    pub dated_file_name: bool,
    /// The kind's own lines of the front matter `pamphlet new` writes.
    pub skeleton: fn(&Skeleton) -> String,
    /// The values of its fields that are still placeholders of the skeleton (an empty venue,
    /// `PASTE-THE-VIDEO-ID`): a page published with one is warned about.
    pub placeholders: fn(&KindData) -> Vec<Placeholder>,
    /// Reads and checks the kind's own fields, reporting into the checker.
    parse: fn(&mut Checker, &KindInput) -> KindData,
}

/// A front-matter field of one kind: its name, and whether a page has it written.
#[derive(Debug)]
pub struct Field {
    /// The key written in front matter.
    pub name: &'static str,
    /// Whether the page's front matter sets it.
    pub written: fn(&RawPage) -> bool,
}

/// A field still holding what `pamphlet new` wrote in it, to be filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    /// The field's path (`venue.name`).
    pub path: &'static str,
    /// The value as it reads: `empty`, `"PASTE-THE-VIDEO-ID"`.
    pub value: &'static str,
    /// What to write instead.
    pub hint: &'static str,
}

impl Placeholder {
    /// A field written but left empty (`""`).
    const fn empty(path: &'static str, hint: &'static str) -> Placeholder {
        Placeholder {
            path,
            value: "empty",
            hint,
        }
    }
}

/// A kind whose skeleton leaves nothing to fill in.
fn no_placeholders(_: &KindData) -> Vec<Placeholder> {
    Vec::new()
}

/// A warning at each field of a page that still holds a placeholder of its skeleton.
pub fn placeholders(page: &Page) -> Vec<Diagnostic> {
    (page.kind.kind().spec().placeholders)(&page.kind)
        .into_iter()
        .map(|p| {
            page.source
                .fragment()
                .error_for(
                    p.path,
                    format!("{}: {}, a placeholder to fill in", p.path, p.value),
                )
                .into_warning()
                .with_hint(p.hint)
        })
        .collect()
}

/// The section `pamphlet new` creates for a kind in a site that has none of its kind.
#[derive(Debug, Clone, Copy)]
pub struct NewSection {
    /// Its folder under `content/`.
    pub dir: &'static str,
    /// The title written in its `_index.md`.
    pub title: &'static str,
}

/// What a new page's skeleton may depend on.
#[derive(Debug, Clone, Copy)]
pub struct Skeleton {
    /// The day the page is written.
    pub today: jiff::civil::Date,
    /// How many pages of its kind the site already has.
    pub existing: usize,
}

/// What a kind's parser reads: the front matter, and what was made of the common fields.
struct KindInput<'a> {
    /// The front matter as written.
    raw: &'a RawPage,
    /// The file's key (`blog/2017-08-06-x.md`), which may carry a date.
    key: &'a str,
    /// The site's time zone, for dates written without an offset.
    site_tz: &'a TimeZone,
    /// The page's date, when written (or given by the file name) and valid.
    date: Option<&'a PageDate>,
}

/// The fields only some kinds of page have.
#[derive(Debug, Clone)]
pub enum KindData {
    /// A plain page has none.
    Page,
    /// A blog post.
    Post(PostData),
    /// An event.
    Event(Box<EventData>),
    /// A video.
    Video(VideoData),
    /// A chapter, with its explicit number if given.
    Chapter(Option<u32>),
}

impl KindData {
    /// The kind these fields belong to.
    pub fn kind(&self) -> Kind {
        match self {
            KindData::Page => Kind::Page,
            KindData::Post(_) => Kind::Post,
            KindData::Event(_) => Kind::Event,
            KindData::Video(_) => Kind::Video,
            KindData::Chapter(_) => Kind::Chapter,
        }
    }

    /// Every `@/` link of the front matter (`related`, `recording`, `event`), for the checks
    /// that need the whole site: does it name a page, of the right kind, with that anchor?
    pub fn links(&self) -> Vec<FieldLink<'_>> {
        fn one<'a>(
            field: &'static str,
            link: &'a Option<ContentLink>,
            wants: Kind,
        ) -> Vec<FieldLink<'a>> {
            link.iter()
                .map(|link| FieldLink {
                    field,
                    path: field.to_string(),
                    link,
                    wants: Some(wants),
                })
                .collect()
        }
        match self {
            KindData::Post(p) => p
                .related
                .iter()
                .enumerate()
                .map(|(i, link)| FieldLink {
                    field: "related",
                    path: format!("related.{i}"),
                    link,
                    wants: None,
                })
                .collect(),
            KindData::Event(e) => one("recording", &e.recording, Kind::Video),
            KindData::Video(v) => one("event", &v.event, Kind::Event),
            KindData::Page | KindData::Chapter(_) => Vec::new(),
        }
    }
}

impl KindData {
    /// The web addresses and paths of the kind's own fields, each with its field's path
    /// (`registration.url`), so that a link of the output can be told where it was written.
    pub fn urls(&self) -> Vec<(&'static str, &str)> {
        let fields: Vec<(&'static str, Option<&String>)> = match self {
            KindData::Post(p) => vec![(
                "originally_published.url",
                p.original.as_ref().and_then(|o| o.url.as_ref()),
            )],
            KindData::Event(e) => vec![
                ("registration.url", e.registration.as_ref().map(|r| &r.url)),
                ("online.url", e.online.as_ref().and_then(|o| o.url.as_ref())),
            ],
            KindData::Video(v) => vec![
                ("src", v.src.as_ref()),
                ("poster", v.poster.as_ref()),
                ("captions", v.captions.as_ref()),
            ],
            KindData::Page | KindData::Chapter(_) => Vec::new(),
        };
        fields
            .into_iter()
            .filter_map(|(field, url)| Some((field, url?.as_str())))
            .collect()
    }
}

/// An `@/` link written in front matter, and where.
#[derive(Debug, Clone)]
pub struct FieldLink<'a> {
    /// The field, as messages name it (`related`).
    pub field: &'static str,
    /// The field's path, to point at the link (`related.1`: the second item of the list).
    pub path: String,
    /// The link.
    pub link: &'a ContentLink,
    /// The kind of page it must name, if only one will do.
    pub wants: Option<Kind>,
}

/// Collects every error of one file, each pointing at its field.
struct Checker<'a> {
    fragment: Fragment<'a>,
    errors: Vec<Diagnostic>,
    /// Fields that are written but could not be read (already reported).
    failed: Vec<String>,
}

impl<'a> Checker<'a> {
    /// Starts from what reading the front matter found: its errors and its good fields.
    fn new<T>(fragment: Fragment<'a>, read: &'a mut Partial<'_, T>) -> Self {
        let errors = std::mem::take(&mut read.errors);
        let failed = std::mem::take(&mut read.failed);
        Checker {
            fragment: fragment.with_yaml(&read.good_yaml),
            errors,
            failed,
        }
    }

    /// Whether `key` is missing: not written, or not yet reported as written wrongly.
    fn missing(&self, key: &str, value: Option<impl Sized>) -> bool {
        value.is_none() && !self.failed.iter().any(|f| f == key)
    }

    /// An error at line 2 (where front matter starts) about a required field not written.
    fn required(&mut self, message: &str, hint: &str) {
        let d = Diagnostic::error(self.fragment.path, 2, 1, message)
            .with_hint(hint)
            .with_source(self.fragment.file_text);
        self.errors.push(d);
    }

    /// The errors found, in line order, or nothing.
    fn finish(mut self) -> Result<(), Vec<Diagnostic>> {
        if self.errors.is_empty() {
            return Ok(());
        }
        crate::diagnostics::sort(&mut self.errors);
        Err(self.errors)
    }

    fn error(&mut self, key: &str, message: String, hint: impl Into<String>) {
        self.errors
            .push(self.fragment.error_for(key, message).with_hint(hint));
    }

    fn date(
        &mut self,
        key: &str,
        value: Option<&String>,
        tz: &TimeZone,
        want_time: bool,
    ) -> Option<PageDate> {
        let text = value?;
        let parsed = DateValue::parse(text).and_then(|v| v.resolve(tz).map(|z| (z, v.has_time())));
        match parsed {
            Ok((zoned, has_time)) => Some(PageDate { zoned, has_time }),
            Err(e) => {
                let message = date_message(key, text, &e, want_time);
                self.error(key, message, e.hint);
                None
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        key: &str,
        value: Option<&String>,
        options: &[(&str, T)],
    ) -> Option<T> {
        let text = value?;
        let found = options
            .iter()
            .find(|(name, _)| *name == text.trim())
            .map(|(_, v)| *v);
        if found.is_none() {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            let hint = match did_you_mean(text, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? (one of: {})", names.join(", ")),
                None => format!("use one of: {}", names.join(", ")),
            };
            self.error(key, format!("{key}: \"{text}\" is not a known value"), hint);
        }
        found
    }

    /// A web address or path shown as a link or image must not run a script when followed.
    fn safe_url(&mut self, key: &str, value: Option<&String>) {
        if value.is_some_and(|v| crate::links::runs_script(v)) {
            self.error(
                key,
                format!("{key}: a script is not a link (javascript: URLs are not allowed)"),
                "write a web address (https://…) or a path on the site (/images/x.png)",
            );
        }
    }

    /// A page that expires before its date would never be published: surely a slip.
    fn expires_after_date(&mut self, expires: Option<&PageDate>, date: Option<&PageDate>) {
        let (Some(expires), Some(date)) = (expires, date) else {
            return;
        };
        if expires.zoned.timestamp() <= date.zoned.timestamp() {
            self.error(
                "expires",
                format!(
                    "expires: the page expires ({}) before it is published ({})",
                    expires.zoned.strftime("%Y-%m-%d %H:%M"),
                    date.zoned.strftime("%Y-%m-%d %H:%M")
                ),
                "`expires` must be later than `date`: the page is published from its date until it expires",
            );
        }
    }

    /// Tags whose name has no letter or digit would have no page of their own.
    fn tags(&mut self, tags: Option<&Vec<String>>) {
        if let Some(bad) = tags
            .into_iter()
            .flatten()
            .find(|t| slug::slugify(t.as_str()).is_empty())
        {
            self.error(
                "tags",
                format!("tags: \"{bad}\" has no letter or digit to name its page by"),
                "give each tag at least one letter or digit, e.g. `tags: [policy]`",
            );
        }
    }

    /// An `@/` link to another page, read once here for every later use.
    fn link(&mut self, key: &str, value: Option<&String>) -> Option<ContentLink> {
        let text = value?;
        let link = ContentLink::parse(text);
        if link.is_none() {
            self.error(
                key,
                format!("{key}: \"{text}\" is not an internal link"),
                "link to the page's source file, e.g. \"@/videos/webinar.md\"",
            );
        }
        link
    }
}

fn date_message(key: &str, text: &str, e: &DateError, want_time: bool) -> String {
    if e.message.starts_with('"') {
        let expected = if want_time {
            "a date-time (expected 2017-03-14T10:00)"
        } else {
            "a date (expected 2017-03-14)"
        };
        format!("{key}: \"{text}\" is not {expected}")
    } else {
        format!("{key}: {}", e.message)
    }
}

/// The slug and date a file name implies: `2017-08-06-concordat-published.md`.
fn from_file_name(key: &str) -> (String, Option<String>) {
    let name = key.trim_end_matches("/index.md").trim_end_matches(".md");
    let name = name.rsplit('/').next().unwrap_or(name);
    let dated = name.len() > 11
        && name
            .as_bytes()
            .get(10)
            .is_some_and(|b| *b == b'-' || *b == b'_')
        && name[..10].parse::<jiff::civil::Date>().is_ok();
    if dated {
        (name[11..].to_string(), Some(name[..10].to_string()))
    } else {
        (name.to_string(), None)
    }
}

/// A file name that starts like a date (`2017-02-30-…`) but names no real day: the date part.
fn impossible_name_date(key: &str) -> Option<&str> {
    let name = key.trim_end_matches("/index.md").trim_end_matches(".md");
    let name = name.rsplit('/').next().unwrap_or(name);
    let prefix = name.get(..10)?;
    let shaped = prefix.bytes().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    (shaped && prefix.parse::<jiff::civil::Date>().is_err()).then_some(prefix)
}

fn check_slug(checker: &mut Checker, raw: Option<&String>, from_name: &str) -> String {
    let hint = "use one URL segment of letters, digits and hyphens, e.g. slug: concordat-published";
    if let Some(s) = raw {
        if s.contains('/')
            || s.contains('\\')
            || s.contains("..")
            || s.trim().is_empty()
            || s.trim() == "."
        {
            checker.error(
                "slug",
                format!("slug: \"{s}\" is not a single URL segment"),
                hint,
            );
            return String::new();
        }
    }
    let slug = slug::slugify(raw.map_or(from_name, |s| s.as_str()));
    if slug.is_empty() {
        checker.error("slug", "slug: the URL segment would be empty".into(), hint);
    }
    slug
}

/// Where a page that could not be parsed would have been, as [`parse_page`] would place it:
/// its folder from its key, its URL segment from `slug` (`Some(None)`: none written, so its
/// file name; `None`: one written that cannot be read).
pub fn place(key: &str, slug: Option<Option<String>>, aliases: Vec<String>) -> super::Place {
    let name_key = crate::languages::split_key(key).map(|(base, _)| base);
    let name_key = name_key.as_deref().unwrap_or(key);
    let bundle = name_key.ends_with("/index.md");
    let mut dir = super::discovery::dir_of(name_key);
    if bundle {
        dir = super::discovery::dir_of(&dir);
    }
    let readable = |s: &String| !(s.contains(['/', '\\']) || s.contains("..") || s.trim() == ".");
    let name = slug::slugify(from_file_name(name_key).0);
    let slug = match slug {
        Some(Some(written)) if !readable(&written) => None,
        Some(written) => Some(written.map_or_else(|| name.clone(), slug::slugify)),
        None => None,
    }
    .filter(|s| !s.is_empty());
    super::Place {
        dir,
        slug,
        name,
        bundle,
        aliases,
    }
}

/// The `slug` and `aliases` of a page's front matter that read, however bad its other fields:
/// the slug is `Some(None)` when none is written, `None` when one is written that cannot be
/// read.
pub fn readable_place(source: &Source) -> (Option<Option<String>>, Vec<String>) {
    #[derive(serde::Deserialize)]
    struct Place {
        slug: Option<String>,
        aliases: Option<Vec<String>>,
    }
    let fragment = source.fragment();
    let top_level = |name: &str| {
        fragment.yaml().lines().any(|line| {
            let line = line.trim_start_matches(['"', '\'']);
            line.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
        })
    };
    let read = fragment.parse_partial::<Place>().value;
    let aliases = read.as_ref().and_then(|p| p.aliases.clone());
    let slug = match top_level("slug") {
        false => Some(None),
        true => read.and_then(|p| p.slug).map(Some),
    };
    (slug, aliases.unwrap_or_default())
}

/// Parses a page's front matter according to its section's kind.
pub fn parse_page(
    source: Source,
    section: &Section,
    config: &Config,
    assets: Vec<std::path::PathBuf>,
) -> Result<Page, Vec<Diagnostic>> {
    let fragment = source.fragment();
    let whole = match super::taxonomies::nothing_to_take(&config.taxonomies) {
        true => fragment.parse_whole::<RawPage>(),
        false => None,
    };
    let taken = match whole {
        Some(_) => super::taxonomies::Taken::nothing(fragment.yaml()),
        None => super::taxonomies::take(&fragment, &config.taxonomies),
    };
    let typed = fragment.with_yaml(&taken.yaml);
    let mut read = match whole {
        Some(read) => read,
        None => typed.parse_partial::<RawPage>(),
    };
    let Some(raw) = read.value.take() else {
        let mut errors = read.errors;
        errors.extend(taken.errors);
        crate::diagnostics::sort(&mut errors);
        return Err(errors);
    };
    let mut c = Checker::new(fragment, &mut read);
    c.errors.extend(taken.errors);
    let kind = section.kind;
    for owner in KINDS.iter().filter(|s| s.kind != kind) {
        for field in owner.fields.iter().filter(|f| (f.written)(&raw)) {
            c.error(
                field.name,
                format!(
                    "`{}` is a field of {} pages, but this page is a {}",
                    field.name,
                    owner.name,
                    kind.name()
                ),
                format!(
                    "remove it, or move the file into a section whose _index.md says `kind: {}`",
                    owner.name
                ),
            );
        }
    }
    let site_tz = config.time_zone();
    // A translation (`about.cy.md`) takes its name from the page it translates.
    let name_key = crate::languages::split_key(&source.key).map(|(base, _)| base);
    let name_key = name_key.as_deref().unwrap_or(&source.key);
    let (name_slug, name_date) = from_file_name(name_key);
    let title = raw.title.clone().unwrap_or_default();
    let written_title = raw.title.as_deref().filter(|t| !t.trim().is_empty());
    if c.missing("title", written_title) {
        c.required(
            "title: every page needs a title",
            "add a line `title: Your page title` to the front matter",
        );
    }
    let date = c.date(
        "date",
        raw.date.as_ref().or(name_date.as_ref()),
        &site_tz,
        false,
    );
    let updated = c.date("updated", raw.updated.as_ref(), &site_tz, false);
    let expires = c.date("expires", raw.expires.as_ref(), &site_tz, false);
    if kind != Kind::Event {
        c.expires_after_date(expires.as_ref(), date.as_ref());
    }
    let slug = check_slug(&mut c, raw.slug.as_ref(), &name_slug);
    c.safe_url("image", raw.image.as_ref());
    c.tags(raw.tags.as_ref());
    let input = KindInput {
        raw: &raw,
        key: &source.key,
        site_tz: &site_tz,
        date: date.as_ref(),
    };
    let kind_data = (kind.spec().parse)(&mut c, &input);
    c.finish()?;
    let meta = Meta {
        title,
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        expires,
        slug,
        summary: written(raw.summary),
        tags: raw.tags.unwrap_or_default(),
        terms: taken.terms,
        image: raw.image,
        image_alt: written(raw.image_alt),
        aliases: raw.aliases.unwrap_or_default(),
        weight: raw.weight,
        template: raw.template,
        extra: raw.extra.unwrap_or_default(),
    };
    let dir = super::discovery::dir_of(name_key);
    let dir = if name_key.ends_with("/index.md") {
        super::discovery::dir_of(&dir)
    } else {
        dir
    };
    Ok(Page {
        source,
        meta,
        kind: kind_data,
        section: section.source.key.clone(),
        dir,
        assets,
        lang: section.lang.clone(),
    })
}

/// The kind of a section whose `_index.md` has errors, when it can still be told (its `kind`
/// is valid, or absent and inherited): its pages are then checked as what they are, rather
/// than reported for fields their kind does not have.
pub fn section_kind(source: &Source, parent: Option<&Section>) -> Option<Kind> {
    let fragment = source.fragment();
    let raw = fragment.parse_partial::<RawSection>().value?;
    match raw.kind {
        Some(name) => Kind::from_name(name.trim()),
        None => Some(parent.map_or(Kind::Page, |p| p.kind)),
    }
}

/// Parses a section's `_index.md`; nested sections inherit their parent's kind.
pub fn parse_section(
    source: Source,
    parent: Option<&Section>,
    config: &Config,
) -> Result<Section, Vec<Diagnostic>> {
    let fragment = source.fragment();
    let mut read = fragment.parse_partial::<RawSection>();
    let Some(raw) = read.value.take() else {
        return Err(read.errors);
    };
    let mut c = Checker::new(fragment, &mut read);
    let names: Vec<(&str, Kind)> = KINDS.iter().map(|s| (s.name, s.kind)).collect();
    let kind = c
        .choice("kind", raw.kind.as_ref(), &names)
        .or(parent.map(|p| p.kind))
        .unwrap_or(Kind::Page);
    let sort_by = c
        .choice(
            "sort_by",
            raw.sort_by.as_ref(),
            &[
                ("date", SortBy::Date),
                ("weight", SortBy::Weight),
                ("title", SortBy::Title),
            ],
        )
        .unwrap_or(kind.spec().sort_by);
    if raw.paginate == Some(0) {
        c.error(
            "paginate",
            "paginate: must be at least 1".into(),
            "set how many items a list page shows, e.g. paginate: 10",
        );
    }
    let hero = raw.hero.map(|h| hero(&mut c, h));
    c.finish()?;
    let dir = super::discovery::dir_of(&source.key);
    let title = raw.title.unwrap_or_else(|| {
        if dir.is_empty() {
            config.title.clone()
        } else {
            title_from_dir(&dir)
        }
    });
    Ok(Section {
        title,
        summary: written(raw.summary),
        kind,
        sort_by,
        paginate: raw.paginate,
        template: raw.template,
        weight: raw.weight,
        draft: raw.draft.unwrap_or(false),
        hero,
        extra: raw.extra.unwrap_or_default(),
        dir,
        parent: None,
        lang: None,
        source,
    })
}

/// A section's hero as written, checked: a picture needs words for those who cannot see it,
/// and neither the picture nor the button may run a script.
fn hero(c: &mut Checker, raw: super::front_matter::RawHero) -> super::Hero {
    c.safe_url("hero.image", raw.image.as_ref());
    let alt = written(raw.alt).unwrap_or_default();
    if raw.image.is_some() && alt.is_empty() {
        c.error(
            "hero.image",
            "hero.alt: the hero image has no text alternative".into(),
            "add `alt:` under `hero:` saying what the picture shows, e.g. alt: \"Hands joined around a map of England\"",
        );
    }
    let cta = raw.cta.map(|cta| {
        if cta.label.trim().is_empty() {
            c.error(
                "hero.cta.label",
                "hero.cta.label: the button has no words".into(),
                "say where it leads, e.g. label: Read the Concordat",
            );
        }
        c.safe_url("hero.cta.url", Some(&cta.url));
        super::Cta {
            label: cta.label,
            url: crate::links::Href::from(cta.url),
        }
    });
    super::Hero {
        image: raw.image,
        alt,
        cta,
    }
}

/// A hand-written text, unless it is empty or only spaces (then it counts as not written).
fn written(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

fn title_from_dir(dir: &str) -> String {
    let last = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut chars = last.chars();
    chars
        .next()
        .map_or(String::new(), |f| f.to_uppercase().chain(chars).collect())
}

/// The home section of a site without `content/_index.md`.
pub fn implicit_home(config: &Config) -> Section {
    let source = Source {
        file: "content/_index.md".into(),
        key: "_index.md".into(),
        text: String::new(),
        yaml: 0..0,
        body_start: 0,
        body_line: 1,
        row: None,
        inherited: None,
    };
    Section {
        title: config.title.clone(),
        summary: None,
        kind: Kind::Page,
        sort_by: SortBy::Weight,
        paginate: None,
        template: None,
        weight: None,
        draft: false,
        hero: None,
        extra: BTreeMap::new(),
        dir: String::new(),
        parent: None,
        lang: None,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_slug_and_date() {
        assert_eq!(
            from_file_name("blog/2017-08-06-published.md"),
            ("published".into(), Some("2017-08-06".into()))
        );
        assert_eq!(from_file_name("blog/b/index.md"), ("b".into(), None));
        assert_eq!(from_file_name("about.md"), ("about".into(), None));
    }

    #[test]
    fn the_registry_lists_each_kind_once_in_the_order_of_the_enum() {
        for (i, spec) in KINDS.iter().enumerate() {
            assert_eq!(spec.kind as usize, i, "{} is out of place", spec.name);
            assert_eq!(Kind::from_name(spec.name), Some(spec.kind));
        }
        assert_eq!(Kind::from_name("posts"), None);
    }

    #[test]
    fn no_field_belongs_to_two_kinds() {
        let mut seen = std::collections::BTreeMap::new();
        for spec in KINDS {
            for field in spec.fields {
                if let Some(other) = seen.insert(field.name, spec.name) {
                    panic!("`{}` is listed for {other} and {}", field.name, spec.name);
                }
            }
        }
    }

    #[test]
    fn each_field_is_seen_when_written() {
        // A value of the right type for every kind's field, each on its own.
        let values = [
            ("authors", "[a]"),
            ("originally_published", "{ publication: P }"),
            ("related", "[\"@/x.md\"]"),
            ("start", "2017-03-14"),
            ("end", "2017-03-14"),
            ("timezone", "UTC"),
            ("format", "online"),
            ("venue", "{ name: V }"),
            ("online", "{ url: \"https://x\" }"),
            ("registration", "{ url: \"https://x\" }"),
            ("partners", "[p]"),
            ("status", "full"),
            ("recording", "\"@/x.md\""),
            ("provider", "youtube"),
            ("id", "abc"),
            ("src", "/x.mp4"),
            ("duration", "58:12"),
            ("poster", "/x.png"),
            ("captions", "/x.vtt"),
            ("event", "\"@/x.md\""),
            ("transcript", "text"),
            ("number", "3"),
        ];
        for spec in KINDS {
            for field in spec.fields {
                let (_, value) = values
                    .iter()
                    .find(|(n, _)| *n == field.name)
                    .unwrap_or_else(|| panic!("no sample value for `{}`", field.name));
                let raw: RawPage = serde_saphyr::from_str(&format!("{}: {value}\n", field.name))
                    .unwrap_or_else(|e| panic!("{}: {e}", field.name));
                assert!(
                    (field.written)(&raw),
                    "`{}` written is not seen",
                    field.name
                );
                assert!(!(field.written)(&RawPage::default()), "{}", field.name);
            }
        }
    }
}
