//! Turning raw front matter into validated, typed data per kind of page.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use jiff::ZonedDateTime;
use serde::Serialize;

use super::front_matter::{Online, RawPage, RawSection, Scalar, Venue};
use super::{Kind, Meta, Page, PageDate, Section, SortBy, Source};
use crate::config::Config;
use crate::dates::{DateError, DateValue};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::links::ContentLink;
use crate::yaml::{Fragment, Partial};

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

/// Where a post first appeared.
#[derive(Debug, Clone, Serialize)]
pub struct Original {
    /// The publication's name.
    pub publication: String,
    /// The original's address.
    pub url: Option<String>,
    /// When it was first published.
    #[serde(skip)]
    pub date: Option<ZonedDateTime>,
}

/// A blog post's own fields.
#[derive(Debug, Clone, Default)]
pub struct PostData {
    /// Keys into site.yaml `authors`, or plain names.
    pub authors: Vec<String>,
    /// "Originally posted in ..." details.
    pub original: Option<Original>,
    /// `@/` links to related posts, chosen by hand.
    pub related: Vec<ContentLink>,
}

/// How people attend an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventFormat {
    /// At a venue.
    InPerson,
    /// On the internet.
    Online,
    /// Both.
    Hybrid,
}

/// Whether an event goes ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Going ahead as planned.
    Scheduled,
    /// Called off.
    Cancelled,
    /// Moved to a later date.
    Postponed,
    /// No places left.
    Full,
}

/// Registration for an event, resolved.
#[derive(Debug, Clone)]
pub struct Registration {
    /// Where to register.
    pub url: String,
    /// When registration closes.
    pub closes: Option<ZonedDateTime>,
    /// How many places there are.
    pub capacity: Option<u32>,
}

/// An event's own fields.
#[derive(Debug, Clone)]
pub struct EventData {
    /// When it starts, in the event's zone.
    pub start: ZonedDateTime,
    /// When it ends (equal to start when not given).
    pub end: ZonedDateTime,
    /// Whether times of day were given (else an all-day event).
    pub has_time: bool,
    /// The event's zone.
    pub tz: TimeZone,
    /// How people attend, when known.
    pub format: Option<EventFormat>,
    /// Where.
    pub venue: Option<Venue>,
    /// How to join online.
    pub online: Option<Online>,
    /// How to register.
    pub registration: Option<Registration>,
    /// Organisations running it.
    pub partners: Vec<String>,
    /// Whether it goes ahead.
    pub status: EventStatus,
    /// `@/` link to the recording.
    pub recording: Option<ContentLink>,
}

/// Where a video is hosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// youtube-nocookie.com after the click.
    Youtube,
    /// player.vimeo.com with dnt=1 after the click.
    Vimeo,
    /// A file served by the site itself.
    File,
}

impl Provider {
    /// The name written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Youtube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::File => "file",
        }
    }
}

/// A video's own fields.
#[derive(Debug, Clone)]
pub struct VideoData {
    /// The host.
    pub provider: Provider,
    /// The provider's id (YouTube, Vimeo).
    pub id: Option<String>,
    /// The file's address (provider `file`).
    pub src: Option<String>,
    /// Length in seconds.
    pub duration: Option<u64>,
    /// A local poster image.
    pub poster: Option<String>,
    /// A WebVTT captions file.
    pub captions: Option<String>,
    /// `@/` link to the event it recorded.
    pub event: Option<ContentLink>,
    /// A transcript file or text.
    pub transcript: Option<String>,
}

/// The fields that belong to one kind only, for "wrong kind" errors.
fn kind_fields(raw: &RawPage) -> [(&'static str, Kind, bool); 22] {
    [
        ("authors", Kind::Post, raw.authors.is_some()),
        (
            "originally_published",
            Kind::Post,
            raw.originally_published.is_some(),
        ),
        ("related", Kind::Post, raw.related.is_some()),
        ("start", Kind::Event, raw.start.is_some()),
        ("end", Kind::Event, raw.end.is_some()),
        ("timezone", Kind::Event, raw.timezone.is_some()),
        ("format", Kind::Event, raw.format.is_some()),
        ("venue", Kind::Event, raw.venue.is_some()),
        ("online", Kind::Event, raw.online.is_some()),
        ("registration", Kind::Event, raw.registration.is_some()),
        ("partners", Kind::Event, raw.partners.is_some()),
        ("status", Kind::Event, raw.status.is_some()),
        ("recording", Kind::Event, raw.recording.is_some()),
        ("provider", Kind::Video, raw.provider.is_some()),
        ("id", Kind::Video, raw.id.is_some()),
        ("src", Kind::Video, raw.src.is_some()),
        ("duration", Kind::Video, raw.duration.is_some()),
        ("poster", Kind::Video, raw.poster.is_some()),
        ("captions", Kind::Video, raw.captions.is_some()),
        ("event", Kind::Video, raw.event.is_some()),
        ("transcript", Kind::Video, raw.transcript.is_some()),
        ("number", Kind::Chapter, raw.number.is_some()),
    ]
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
            fragment: Fragment {
                yaml: &read.good_yaml,
                ..fragment
            },
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
        if value.is_some_and(|v| crate::markdown::runs_script(v)) {
            self.error(
                key,
                format!("{key}: a script is not a link (javascript: URLs are not allowed)"),
                "write a web address (https://…) or a path on the site (/images/x.png)",
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

/// Parses a page's front matter according to its section's kind.
pub fn parse_page(
    source: Source,
    section: &Section,
    config: &Config,
    assets: Vec<std::path::PathBuf>,
) -> Result<Page, Vec<Diagnostic>> {
    let fragment = source.fragment();
    let mut read = fragment.parse_partial::<RawPage>();
    let Some(raw) = read.value.take() else {
        return Err(read.errors);
    };
    let mut c = Checker::new(fragment, &mut read);
    let kind = section.kind;
    for (field, owner, present) in kind_fields(&raw) {
        if present && owner != kind {
            c.error(
                field,
                format!(
                    "`{field}` is a field of {} pages, but this page is a {}",
                    owner.name(),
                    kind.name()
                ),
                format!(
                    "remove it, or move the file into a section whose _index.md says `kind: {}`",
                    owner.name()
                ),
            );
        }
    }
    let site_tz = config.time_zone();
    let (name_slug, name_date) = from_file_name(&source.key);
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
    let slug = check_slug(&mut c, raw.slug.as_ref(), &name_slug);
    c.safe_url("image", raw.image.as_ref());
    c.tags(raw.tags.as_ref());
    let kind_data = match kind {
        Kind::Page => KindData::Page,
        Kind::Chapter => KindData::Chapter(raw.number),
        Kind::Post => {
            if date.is_none() && c.missing("date", raw.date.as_ref()) {
                match impossible_name_date(&source.key) {
                    Some(text) => c.required(
                        &format!("date: the file name starts with {text}, which is not a day of the calendar"),
                        "correct the date at the start of the file name, or add `date: 2017-08-06`",
                    ),
                    None => c.required(
                        "date: a blog post needs a date",
                        "add `date: 2017-08-06`, or start the file name with the date: 2017-08-06-title.md",
                    ),
                }
            }
            KindData::Post(post_data(&mut c, &raw, &site_tz))
        }
        Kind::Event => event_data(&mut c, &raw, &site_tz)
            .map_or(KindData::Page, |e| KindData::Event(Box::new(e))),
        Kind::Video => video_data(&mut c, &raw).map_or(KindData::Page, KindData::Video),
    };
    c.finish()?;
    let meta = Meta {
        title,
        date,
        updated,
        draft: raw.draft.unwrap_or(false),
        slug,
        summary: written(raw.summary),
        tags: raw.tags.unwrap_or_default(),
        image: raw.image,
        aliases: raw.aliases.unwrap_or_default(),
        weight: raw.weight,
        template: raw.template,
        extra: raw.extra.unwrap_or_default(),
    };
    let dir = super::discovery::dir_of(&source.key);
    let dir = if source.key.ends_with("/index.md") {
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
    })
}

fn post_data(c: &mut Checker, raw: &RawPage, tz: &TimeZone) -> PostData {
    let written_url = raw
        .originally_published
        .as_ref()
        .and_then(|o| o.url.as_ref());
    c.safe_url("originally_published.url", written_url);
    let original = raw.originally_published.as_ref().map(|o| Original {
        publication: o.publication.clone(),
        url: o.url.clone(),
        date: c
            .date("originally_published.date", o.date.as_ref(), tz, false)
            .map(|d| d.zoned),
    });
    let related = raw
        .related
        .iter()
        .flatten()
        .filter_map(|l| c.link("related", Some(l)))
        .collect();
    PostData {
        authors: raw.authors.clone().unwrap_or_default(),
        original,
        related,
    }
}

fn event_data(c: &mut Checker, raw: &RawPage, site_tz: &TimeZone) -> Option<EventData> {
    let tz = match raw.timezone.as_deref() {
        Some(name) => match TimeZone::get(name) {
            Ok(tz) => tz,
            Err(_) => {
                c.error(
                    "timezone",
                    format!("timezone: \"{name}\" is not a known time zone"),
                    "use an IANA zone name such as Europe/London",
                );
                site_tz.clone()
            }
        },
        None => site_tz.clone(),
    };
    if c.missing("start", raw.start.as_ref()) {
        c.required(
            "start: an event needs a start date-time",
            "add `start: 2017-03-14T10:00` (local time in the site's timezone)",
        );
    }
    let start = c.date("start", raw.start.as_ref(), &tz, true);
    let end = c.date("end", raw.end.as_ref(), &tz, true);
    let format = c.choice(
        "format",
        raw.format.as_ref(),
        &[
            ("in-person", EventFormat::InPerson),
            ("online", EventFormat::Online),
            ("hybrid", EventFormat::Hybrid),
        ],
    );
    let format = format.or(match (&raw.venue, &raw.online) {
        (Some(_), Some(_)) => Some(EventFormat::Hybrid),
        (Some(_), None) => Some(EventFormat::InPerson),
        (None, Some(_)) => Some(EventFormat::Online),
        (None, None) => None,
    });
    let in_person = matches!(format, Some(EventFormat::InPerson | EventFormat::Hybrid));
    if in_person && c.missing("venue", raw.venue.as_ref()) {
        c.error(
            "format",
            "venue: an in-person or hybrid event needs a venue".into(),
            "add `venue:` with `name:`, `address:` and `postcode:` lines indented below it",
        );
    }
    let status = c
        .choice(
            "status",
            raw.status.as_ref(),
            &[
                ("scheduled", EventStatus::Scheduled),
                ("cancelled", EventStatus::Cancelled),
                ("postponed", EventStatus::Postponed),
                ("full", EventStatus::Full),
            ],
        )
        .unwrap_or(EventStatus::Scheduled);
    c.safe_url(
        "registration.url",
        raw.registration.as_ref().map(|r| &r.url),
    );
    c.safe_url(
        "online.url",
        raw.online.as_ref().and_then(|o| o.url.as_ref()),
    );
    let registration = raw.registration.as_ref().map(|r| Registration {
        url: r.url.clone(),
        closes: c
            .date("registration.closes", r.closes.as_ref(), &tz, true)
            .map(|d| d.zoned),
        capacity: r.capacity,
    });
    let recording = c.link("recording", raw.recording.as_ref());
    let start = start?;
    let end = end.unwrap_or_else(|| start.clone());
    if end.zoned.timestamp() < start.zoned.timestamp() {
        c.error(
            "end",
            format!(
                "end: the event ends ({}) before it starts ({})",
                end.zoned.strftime("%Y-%m-%d %H:%M"),
                start.zoned.strftime("%Y-%m-%d %H:%M")
            ),
            "check the dates: `end` must be the same as or later than `start`",
        );
    }
    Some(EventData {
        has_time: start.has_time,
        start: start.zoned,
        end: end.zoned,
        tz,
        format,
        venue: raw.venue.clone(),
        online: raw.online.clone(),
        registration,
        partners: raw.partners.clone().unwrap_or_default(),
        status,
        recording,
    })
}

fn video_data(c: &mut Checker, raw: &RawPage) -> Option<VideoData> {
    if c.missing("provider", raw.provider.as_ref()) {
        c.required(
            "provider: a video needs a provider",
            "add `provider: youtube` (or vimeo, or file) and the video's `id:` (or `src:` for a file)",
        );
    }
    let provider = c.choice(
        "provider",
        raw.provider.as_ref(),
        &[
            ("youtube", Provider::Youtube),
            ("vimeo", Provider::Vimeo),
            ("file", Provider::File),
        ],
    )?;
    let id = raw
        .id
        .as_ref()
        .map(|s| match s {
            Scalar::Int(n) => n.to_string(),
            Scalar::Text(t) => t.trim().to_string(),
        })
        .filter(|id| !id.is_empty());
    let src = written(raw.src.clone());
    check_source(c, provider, id.as_ref(), src.as_ref());
    if let Some(id) = &id {
        if !id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        {
            c.error(
                "id",
                format!("id: \"{id}\" is not a video id"),
                "use only the id, not the whole address",
            );
        }
    }
    let duration = raw.duration.as_ref().and_then(|d| match d {
        Scalar::Int(n) => Some(*n),
        Scalar::Text(t) => match parse_duration(t) {
            Some(secs) => Some(secs),
            None => {
                c.error(
                    "duration",
                    format!("duration: \"{t}\" is not a duration"),
                    "write it as HH:MM:SS or MM:SS, e.g. 58:12",
                );
                None
            }
        },
    });
    let event = c.link("event", raw.event.as_ref());
    for (key, value) in [
        ("poster", raw.poster.as_ref()),
        ("captions", raw.captions.as_ref()),
        ("src", raw.src.as_ref()),
    ] {
        c.safe_url(key, value);
    }
    Some(VideoData {
        provider,
        id,
        src,
        duration,
        poster: raw.poster.clone(),
        captions: raw.captions.clone(),
        event,
        transcript: raw.transcript.clone(),
    })
}

/// A hosted video needs its `id`, a file its `src`: the error points at the field when it is
/// written but empty, else at `provider`.
fn check_source(c: &mut Checker, provider: Provider, id: Option<&String>, src: Option<&String>) {
    let (key, value) = match provider {
        Provider::File => ("src", src),
        Provider::Youtube | Provider::Vimeo => ("id", id),
    };
    if !c.missing(key, value) {
        return;
    }
    let at = if c.fragment.contains(key) {
        key
    } else {
        "provider"
    };
    match provider {
        Provider::File => c.error(
            at,
            "src: a video with provider `file` needs `src`".into(),
            "add `src: /media/webinar.mp4` pointing at the video file",
        ),
        Provider::Youtube | Provider::Vimeo => c.error(
            at,
            format!("id: a {} video needs the provider's `id`", provider.name()),
            "add `id:` with the video's id from its address (youtube.com/watch?v=<id>, vimeo.com/<id>)",
        ),
    }
}

/// Reads `HH:MM:SS`, `MM:SS` or ISO 8601 `PT1H2M3S` into seconds.
pub fn parse_duration(text: &str) -> Option<u64> {
    let t = text.trim();
    if let Some(iso) = t.strip_prefix("PT") {
        let mut total = 0u64;
        let mut number = String::new();
        for ch in iso.chars() {
            if ch.is_ascii_digit() {
                number.push(ch);
            } else {
                let n: u64 = number.parse().ok()?;
                number.clear();
                total += n * match ch {
                    'H' => 3600,
                    'M' => 60,
                    'S' => 1,
                    _ => return None,
                };
            }
        }
        return number.is_empty().then_some(total);
    }
    let parts: Vec<u64> = t
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [m, s] if *s < 60 => Some(m * 60 + s),
        [h, m, s] if *m < 60 && *s < 60 => Some(h * 3600 + m * 60 + s),
        _ => None,
    }
}

/// The names of the kinds a section may give its pages.
const KIND_NAMES: [(&str, Kind); 5] = [
    ("page", Kind::Page),
    ("post", Kind::Post),
    ("event", Kind::Event),
    ("video", Kind::Video),
    ("chapter", Kind::Chapter),
];

/// The kind of a section whose `_index.md` has errors, when it can still be told (its `kind`
/// is valid, or absent and inherited): its pages are then checked as what they are, rather
/// than reported for fields their kind does not have.
pub fn section_kind(source: &Source, parent: Option<&Section>) -> Option<Kind> {
    let fragment = source.fragment();
    let raw = fragment.parse_partial::<RawSection>().value?;
    match raw.kind {
        Some(name) => KIND_NAMES
            .iter()
            .find(|(n, _)| *n == name.trim())
            .map(|(_, k)| *k),
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
    let kind = c
        .choice("kind", raw.kind.as_ref(), &KIND_NAMES)
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
        .unwrap_or(match kind {
            Kind::Post | Kind::Video | Kind::Event => SortBy::Date,
            Kind::Chapter | Kind::Page => SortBy::Weight,
        });
    if raw.paginate == Some(0) {
        c.error(
            "paginate",
            "paginate: must be at least 1".into(),
            "set how many items a list page shows, e.g. paginate: 10",
        );
    }
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
        extra: raw.extra.unwrap_or_default(),
        dir,
        parent: None,
        source,
    })
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
        extra: BTreeMap::new(),
        dir: String::new(),
        parent: None,
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
    fn durations_in_three_forms() {
        assert_eq!(parse_duration("58:12"), Some(3492));
        assert_eq!(parse_duration("01:02:03"), Some(3723));
        assert_eq!(parse_duration("PT1H2M"), Some(3720));
        assert_eq!(parse_duration("an hour"), None);
    }
}
