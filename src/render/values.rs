//! The data templates see. Each page's summary is built once and shared (tera values are
//! reference-counted) by every list that shows it: sections, tags, neighbours, the home page.

use jiff::ZonedDateTime;
use serde::Serialize;
use tera::Value;

use crate::content::kinds::{Provider, Registration};
use crate::content::publication::scheduled;
use crate::content::taxonomies::TAGS;
use crate::content::{EventData, EventFormat, EventStatus, KindData, Page, PostData, VideoData};
use crate::dates::rfc3339;
use crate::i18n::Language;
use crate::markdown::Rendered;
use crate::routes;
use crate::site::Site;

/// A tera map from key/value pairs, in order.
pub fn obj<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    let map: indexmap::IndexMap<&'static str, Value> = pairs.into_iter().collect();
    Value::from(map)
}

/// Any serialisable value as a tera value.
pub fn json<T: Serialize + ?Sized>(v: &T) -> Value {
    Value::from_serializable(v)
}

/// Adds entries to a map value.
pub fn extend(base: &Value, more: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut map = base.clone().into_map().unwrap_or_default();
    for (k, v) in more {
        map.insert(k.into(), v);
    }
    Value::from(map)
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}

fn date_value(z: Option<&ZonedDateTime>, words: &Language) -> (Value, Value) {
    match z {
        Some(z) => (Value::from(rfc3339(z)), Value::from(words.long_date(z))),
        None => (Value::none(), Value::none()),
    }
}

/// Text with tags removed, for meta descriptions.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page's summary as plain text: its `summary`, else the text before `<!-- more -->`,
/// else its first paragraph (for meta descriptions, feeds and the search index).
pub fn description(md: &Rendered) -> String {
    md.summary.as_deref().map(plain_text).unwrap_or_default()
}

/// A taxonomy as templates see it: its name (`topics`), its title as a heading shows it
/// (`taxonomy_topics` of the strings, else `Topics`) and the address of its list of terms in
/// a language (`None`: the default).
pub fn taxonomy(lang: Option<&str>, name: &str, words: &Language) -> Value {
    let title = words
        .text(&format!("taxonomy_{name}"), None, &[])
        .unwrap_or_else(|| {
            let spaced = name.replace(['_', '-'], " ");
            let mut chars = spaced.chars();
            chars
                .next()
                .map_or(String::new(), |f| f.to_uppercase().chain(chars).collect())
        });
    obj([
        ("name", Value::from(name)),
        ("title", Value::from(title)),
        ("url", Value::from(routes::taxonomy_list(lang, name))),
    ])
}

/// The words of the language page `i` is written in.
pub fn language_of(site: &Site, i: usize) -> &Language {
    let lang = site.content.pages[i].lang.as_deref();
    site.config.strings.get(site.config.lang_tag(lang))
}

/// The summary of page `i`: what a list, a neighbour link or a feed needs.
pub fn page_summary(site: &Site, i: usize, md: &Rendered) -> Value {
    let page = &site.content.pages[i];
    let words = language_of(site, i);
    let url = &site.page_urls[i];
    let summary_html = md.summary.as_deref().unwrap_or_default();
    let description = description(md);
    let (date, date_display) = date_value(page.meta.date.as_ref().map(|d| &d.zoned), words);
    let (updated, updated_display) =
        date_value(page.meta.updated.as_ref().map(|d| &d.zoned), words);
    // A page's terms link to the term pages of its language.
    let lang = page.lang.as_deref();
    let terms = |taxonomy: &str| -> Vec<Value> {
        page.meta
            .terms_of(taxonomy)
            .iter()
            .map(|t| {
                obj([
                    ("name", Value::from(t.as_str())),
                    (
                        "url",
                        Value::from(routes::term(lang, taxonomy, &slug::slugify(t))),
                    ),
                ])
            })
            .collect()
    };
    let tags = terms(TAGS);
    // The page's terms of each taxonomy that has some, in the order of site.yaml.
    let taxonomies: Vec<Value> = site
        .config
        .taxonomies
        .iter()
        .filter(|t| !page.meta.terms_of(t).is_empty())
        .map(|t| {
            extend(
                &taxonomy(lang, t, words),
                [("terms", Value::from(terms(t)))],
            )
        })
        .collect();
    let base = obj([
        ("title", Value::from(page.meta.title.as_str())),
        ("url", Value::from(url.as_str())),
        (
            "permalink",
            Value::from(routes::permalink(&site.config, url)),
        ),
        ("key", Value::from(page.source.key.as_str())),
        (
            "lang",
            Value::from(site.config.lang_tag(page.lang.as_deref())),
        ),
        ("kind", Value::from(page.kind.kind().name())),
        ("date", date),
        ("date_display", date_display),
        ("updated", updated),
        ("updated_display", updated_display),
        ("summary", Value::safe_string(summary_html)),
        ("description", Value::from(description)),
        ("tags", Value::from(tags)),
        ("taxonomies", Value::from(taxonomies)),
        ("reading_time", Value::from(md.words.div_ceil(200).max(1))),
        (
            "reading_time_display",
            Value::from(words.say_with(
                "reading_time",
                Some(md.words.div_ceil(200).max(1) as i64),
                &[],
            )),
        ),
        ("image", opt_str(page.meta.image.as_deref())),
        (
            "image_alt",
            Value::from(page.meta.image_alt.as_deref().unwrap_or("")),
        ),
        ("draft", Value::from(page.meta.draft)),
        // Set only in a preview of pages dated later (`--future`): their date as read.
        (
            "scheduled",
            opt_str(
                scheduled(page, site.now)
                    .and(page.meta.date.as_ref())
                    .map(|d| match d.has_time {
                        true => words.long_moment(&d.zoned),
                        false => words.long_date(&d.zoned),
                    })
                    .as_deref(),
            ),
        ),
        (
            "weight",
            page.meta.weight.map_or_else(Value::none, Value::from),
        ),
        ("extra", json(&page.meta.extra)),
    ]);
    // A kind's own fields are shown under its name: `page.event.start`.
    let own = match &page.kind {
        KindData::Post(p) => post_value(site, p, words),
        KindData::Event(e) => event_value(site, page, url, e, words),
        KindData::Video(v) => video_value(site, v, words),
        KindData::Chapter(_) => obj([(
            "number",
            site.chapter_numbers
                .get(&i)
                .map_or_else(Value::none, |n| Value::from(*n)),
        )]),
        KindData::Page => return base,
    };
    extend(&base, [(page.kind.kind().name(), own)])
}

fn post_value(site: &Site, post: &PostData, words: &Language) -> Value {
    let authors: Vec<Value> = post
        .authors
        .iter()
        .map(|key| match site.config.authors.get(key) {
            Some(a) => obj([
                ("key", Value::from(key.as_str())),
                ("name", Value::from(a.name.as_str())),
                ("role", opt_str(a.role.as_deref())),
                ("bio", opt_str(a.bio.as_deref())),
                ("photo", opt_str(a.photo.as_deref())),
                ("url", Value::from(routes::author(key))),
            ]),
            None => obj([
                ("key", Value::none()),
                ("name", Value::from(key.as_str())),
                ("url", Value::none()),
            ]),
        })
        .collect();
    let original = post.original.as_ref().map_or_else(Value::none, |o| {
        let (date, date_display) = date_value(o.date.as_ref(), words);
        obj([
            ("publication", Value::from(o.publication.as_str())),
            ("url", opt_str(o.url.as_deref())),
            ("date", date),
            ("date_display", date_display),
        ])
    });
    obj([("authors", Value::from(authors)), ("original", original)])
}

/// "Tuesday, 14 March 2017, 10:00 to 16:00 GMT", as a person reads an event's time, in the
/// page's language.
pub fn event_when(e: &EventData, words: &Language) -> String {
    let (s, end) = (&e.start, &e.end);
    let day = |z: &ZonedDateTime| words.full_date(z);
    let time = |z: &ZonedDateTime| words.time(z);
    let zone = crate::i18n::zone;
    let at = |date: String, time: String| {
        words.say_with("date_time", None, &[("date", &date), ("time", &time)])
    };
    let same_day = s.date() == end.date();
    if !e.has_time {
        return if same_day {
            day(s)
        } else {
            words.range(&day(s), &day(end))
        };
    }
    let zones = if zone(s) == zone(end) {
        zone(s)
    } else {
        words.range(&zone(s), &zone(end))
    };
    match (same_day, s == end) {
        (true, true) => at(day(s), format!("{} {zones}", time(s))),
        (true, false) => at(
            day(s),
            format!("{} {zones}", words.range(&time(s), &time(end))),
        ),
        (false, _) if zone(s) == zone(end) => format!(
            "{} {zones}",
            words.range(&at(day(s), time(s)), &at(day(end), time(end)))
        ),
        (false, _) => words.range(
            &at(day(s), format!("{} {}", time(s), zone(s))),
            &at(day(end), format!("{} {}", time(end), zone(end))),
        ),
    }
}

/// An event's status as templates and feeds name it, and as readers are told it (nothing
/// for a scheduled event).
pub fn event_status(status: EventStatus, words: &Language) -> (&'static str, String) {
    let (name, key) = match status {
        EventStatus::Scheduled => return ("scheduled", String::new()),
        EventStatus::Cancelled => ("cancelled", "status_cancelled"),
        EventStatus::Postponed => ("postponed", "status_postponed"),
        EventStatus::Full => ("full", "status_full"),
    };
    (name, words.say(key))
}

fn event_value(site: &Site, page: &Page, url: &str, e: &EventData, words: &Language) -> Value {
    let past = site.is_past(page);
    let format = match e.format {
        Some(EventFormat::InPerson) => ("in-person", words.say("format_in_person")),
        Some(EventFormat::Online) => ("online", words.say("format_online")),
        Some(EventFormat::Hybrid) => ("hybrid", words.say("format_hybrid")),
        None => ("", String::new()),
    };
    let status = event_status(e.status, words);
    let recording_url = e
        .recording
        .as_ref()
        .and_then(|r| r.resolve(&site.urls))
        .map_or_else(Value::none, Value::from);
    obj([
        ("start", Value::from(rfc3339(&e.start))),
        ("end", Value::from(rfc3339(&e.end))),
        ("when", Value::from(event_when(e, words))),
        ("date_display", Value::from(words.long_date(&e.start))),
        ("day", Value::from(e.start.strftime("%-d").to_string())),
        ("month", Value::from(words.strftime(&e.start, "%b"))),
        ("year", Value::from(e.start.strftime("%Y").to_string())),
        ("timezone", Value::from(e.tz.iana_name().unwrap_or("UTC"))),
        (
            "timezone_name",
            Value::from(words.zone_name(e.tz.iana_name().unwrap_or("UTC"))),
        ),
        ("format", Value::from(format.0)),
        ("format_label", Value::from(format.1)),
        ("venue", json(&e.venue)),
        ("online", json(&e.online)),
        (
            "registration",
            registration_value(site, e.registration.as_ref(), past, e.status, words),
        ),
        ("partners", json(&e.partners)),
        ("status", Value::from(status.0)),
        ("status_label", Value::from(status.1)),
        ("is_past", Value::from(past)),
        ("recording_url", recording_url),
        ("ics_url", Value::from(routes::event_calendar(url))),
    ])
}

fn registration_value(
    site: &Site,
    r: Option<&Registration>,
    past: bool,
    status: EventStatus,
    words: &Language,
) -> Value {
    let Some(r) = r else { return Value::none() };
    let closed_by_date = r.closes.as_ref().is_some_and(|c| c.timestamp() <= site.now);
    let open = !past && !closed_by_date && matches!(status, EventStatus::Scheduled);
    let (closes, closes_display) = match &r.closes {
        Some(c) => (Value::from(rfc3339(c)), Value::from(words.full_moment(c))),
        None => (Value::none(), Value::none()),
    };
    obj([
        ("url", Value::from(r.url.as_str())),
        ("closes", closes),
        ("closes_display", closes_display),
        ("capacity", r.capacity.map_or_else(Value::none, Value::from)),
        ("open", Value::from(open)),
    ])
}

/// A section's hero for templates: `image` and `alt` as written, `cta` with its `label` and
/// its `url` resolved (an `@/` link that names no page has been reported by the checks).
pub fn hero_value(site: &Site, hero: Option<&crate::content::Hero>) -> Value {
    let Some(h) = hero else { return Value::none() };
    let cta = h.cta.as_ref().map_or_else(Value::none, |cta| {
        let url = match &cta.url {
            crate::links::Href::Content(link) => link.resolve(&site.urls),
            crate::links::Href::Url(url) => Some(url.clone()),
        };
        obj([
            ("label", Value::from(cta.label.as_str())),
            ("url", url.map_or_else(Value::none, Value::from)),
        ])
    });
    obj([
        ("image", opt_str(h.image.as_deref())),
        ("alt", Value::from(h.alt.as_str())),
        ("cta", cta),
    ])
}

/// The provider's page for a video, and the privacy-friendly player loaded after the click.
pub fn video_urls(provider: Provider, id: Option<&str>, src: Option<&str>) -> (String, String) {
    let id = id.unwrap_or("");
    match provider {
        Provider::Youtube => (
            format!("https://www.youtube.com/watch?v={id}"),
            format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
        ),
        Provider::Vimeo => (
            format!("https://vimeo.com/{id}"),
            format!("https://player.vimeo.com/video/{id}?dnt=1&autoplay=1"),
        ),
        Provider::File => (src.unwrap_or("").to_string(), src.unwrap_or("").to_string()),
    }
}

fn video_value(site: &Site, v: &VideoData, words: &Language) -> Value {
    let (watch, embed) = video_urls(v.provider, v.id.as_deref(), v.src.as_deref());
    let event_url = v
        .event
        .as_ref()
        .and_then(|r| r.resolve(&site.urls))
        .map_or_else(Value::none, Value::from);
    obj([
        ("provider", json(&v.provider)),
        ("id", opt_str(v.id.as_deref())),
        ("src", opt_str(v.src.as_deref())),
        ("watch_url", Value::from(watch)),
        ("embed_url", Value::from(embed)),
        ("duration", v.duration.map_or_else(Value::none, Value::from)),
        (
            "duration_display",
            v.duration
                .map_or_else(Value::none, |d| Value::from(words.duration(d))),
        ),
        (
            "duration_iso",
            v.duration.map_or_else(Value::none, |d| {
                Value::from(format!("PT{}H{}M{}S", d / 3600, (d % 3600) / 60, d % 60))
            }),
        ),
        ("poster", opt_str(v.poster.as_deref())),
        ("captions", opt_str(v.captions.as_deref())),
        ("event_url", event_url),
    ])
}

/// `translations` and `languages` of a page of a site of more than one language: its
/// `versions` (see `site_files::versions`; each `lang`, `url`, `title`, `hreflang`; the default
/// language's also as `x-default`), and for the switcher every language of the site (`lang`,
/// `name`, `url`: the translation, else that language's home page; `current`, `translated`).
pub fn languages(
    site: &Site,
    versions: &[crate::site::Translation],
    current: Option<&str>,
) -> (Value, Value) {
    let config = &site.config;
    let mut translations: Vec<Value> = versions
        .iter()
        .map(|t| {
            obj([
                ("lang", Value::from(config.lang_tag(t.lang.as_deref()))),
                ("hreflang", Value::from(config.lang_tag(t.lang.as_deref()))),
                ("url", Value::from(t.url.as_str())),
                ("permalink", Value::from(routes::permalink(config, &t.url))),
                ("title", Value::from(t.title.as_str())),
            ])
        })
        .collect();
    if let Some(default) = versions.iter().find(|t| t.lang.is_none()) {
        translations.push(obj([
            ("lang", Value::from(config.language.as_str())),
            ("hreflang", Value::from("x-default")),
            ("url", Value::from(default.url.as_str())),
            (
                "permalink",
                Value::from(routes::permalink(config, &default.url)),
            ),
            ("title", Value::from(default.title.as_str())),
        ]));
    }
    let codes = std::iter::once(None).chain(config.languages.keys().map(|k| Some(k.as_str())));
    let switcher: Vec<Value> = codes
        .map(|lang| {
            let translation = versions.iter().find(|t| t.lang.as_deref() == lang);
            let home = crate::routes::in_language(lang, "/");
            let name = own_name(config, lang).unwrap_or_else(|| {
                match lang.and_then(|l| config.languages.get(l)) {
                    Some(l) => l
                        .title
                        .clone()
                        .unwrap_or_else(|| config.lang_tag(lang).to_string()),
                    None => config.lang_tag(lang).to_string(),
                }
            });
            obj([
                ("lang", Value::from(config.lang_tag(lang))),
                ("name", Value::from(name)),
                (
                    "url",
                    Value::from(translation.map_or(home, |t| t.url.clone())),
                ),
                ("current", Value::from(lang == current)),
                ("translated", Value::from(translation.is_some())),
            ])
        })
        .collect();
    (Value::from(translations), Value::from(switcher))
}

/// A language's name in itself ("Cymraeg"), from its strings file's `language_name`; none
/// when that is only the default language's name, filled in for a file that lacks it.
fn own_name(config: &crate::config::Config, lang: Option<&str>) -> Option<String> {
    let name = |l: &crate::i18n::Language| l.text("language_name", None, &[]);
    let own = name(config.strings.get(config.lang_tag(lang)))?;
    let borrowed = lang.is_some() && name(config.strings.default_language()) == Some(own.clone());
    (!borrowed).then_some(own)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    fn event(start: &str, end: &str) -> EventData {
        let tz = TimeZone::get("Europe/London").unwrap();
        let z = |s: &str| {
            crate::dates::DateValue::parse(s)
                .unwrap()
                .resolve(&tz)
                .unwrap()
        };
        EventData {
            start: z(start),
            end: z(end),
            has_time: true,
            tz,
            format: None,
            venue: None,
            online: None,
            registration: None,
            partners: vec![],
            status: EventStatus::Scheduled,
            recording: None,
        }
    }

    fn words(tag: &str) -> std::sync::Arc<Language> {
        let strings = crate::i18n::Strings::load(std::path::Path::new(""), &[], "", tag, &[]).0;
        std::sync::Arc::clone(strings.get(tag))
    }

    #[test]
    fn event_times_read_naturally() {
        let en = words("en-GB");
        assert_eq!(
            event_when(&event("2017-03-14T10:00", "2017-03-14T16:00"), &en),
            "Tuesday, 14 March 2017, 10:00 to 16:00 GMT"
        );
        assert_eq!(
            event_when(&event("2017-06-14T10:00", "2017-06-14T16:00"), &en),
            "Wednesday, 14 June 2017, 10:00 to 16:00 BST"
        );
        assert_eq!(
            event_when(&event("2018-01-23T10:00", "2018-01-24T16:00"), &en),
            "Tuesday, 23 January 2018, 10:00 to Wednesday, 24 January 2018, 16:00 GMT"
        );
        assert_eq!(
            event_when(&event("2017-03-14T10:00", "2017-03-14T16:00"), &words("cy")),
            "Dydd Mawrth, 14 Mawrth 2017, 10:00 i 16:00 GMT"
        );
    }

    #[test]
    fn durations_read_naturally() {
        let en = words("en-GB");
        assert_eq!(en.duration(3492), "58 minutes");
        assert_eq!(en.duration(5320), "1 hour 28 minutes");
    }
}
