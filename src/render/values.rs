//! The data templates see. Each page's summary is built once and shared (tera values are
//! reference-counted) by every list that shows it: sections, tags, neighbours, the home page.

use jiff::ZonedDateTime;
use serde::Serialize;
use tera::Value;

use crate::content::kinds::{Provider, Registration};
use crate::content::publication::scheduled;
use crate::content::taxonomies::TAGS;
use crate::content::{EventData, EventFormat, EventStatus, KindData, Page, PostData, VideoData};
use crate::dates::{human_date, rfc3339};
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

fn date_value(z: Option<&ZonedDateTime>) -> (Value, Value) {
    match z {
        Some(z) => (Value::from(rfc3339(z)), Value::from(human_date(z))),
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
/// (`Topics`) and the address of its list of terms in a language (`None`: the default).
pub fn taxonomy(lang: Option<&str>, name: &str) -> Value {
    let words = name.replace(['_', '-'], " ");
    let mut chars = words.chars();
    let title: String = chars
        .next()
        .map_or(String::new(), |f| f.to_uppercase().chain(chars).collect());
    obj([
        ("name", Value::from(name)),
        ("title", Value::from(title)),
        ("url", Value::from(routes::taxonomy_list(lang, name))),
    ])
}

/// The summary of page `i`: what a list, a neighbour link or a feed needs.
pub fn page_summary(site: &Site, i: usize, md: &Rendered) -> Value {
    let page = &site.content.pages[i];
    let url = &site.page_urls[i];
    let summary_html = md.summary.as_deref().unwrap_or_default();
    let description = description(md);
    let (date, date_display) = date_value(page.meta.date.as_ref().map(|d| &d.zoned));
    let (updated, updated_display) = date_value(page.meta.updated.as_ref().map(|d| &d.zoned));
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
        .map(|t| extend(&taxonomy(lang, t), [("terms", Value::from(terms(t)))]))
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
        ("image", opt_str(page.meta.image.as_deref())),
        ("draft", Value::from(page.meta.draft)),
        // Set only in a preview of pages dated later (`--future`): their date as read.
        (
            "scheduled",
            opt_str(scheduled(page, site.now).map(|m| m.shown).as_deref()),
        ),
        (
            "weight",
            page.meta.weight.map_or_else(Value::none, Value::from),
        ),
        ("extra", json(&page.meta.extra)),
    ]);
    // A kind's own fields are shown under its name: `page.event.start`.
    let own = match &page.kind {
        KindData::Post(p) => post_value(site, p),
        KindData::Event(e) => event_value(site, page, url, e),
        KindData::Video(v) => video_value(site, v),
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

fn post_value(site: &Site, post: &PostData) -> Value {
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
        let (date, date_display) = date_value(o.date.as_ref());
        obj([
            ("publication", Value::from(o.publication.as_str())),
            ("url", opt_str(o.url.as_deref())),
            ("date", date),
            ("date_display", date_display),
        ])
    });
    obj([("authors", Value::from(authors)), ("original", original)])
}

/// "Tuesday 14 March 2017, 10:00 to 16:00 GMT", as a person reads an event's time.
pub fn event_when(e: &EventData) -> String {
    let (s, end) = (&e.start, &e.end);
    let day = |z: &ZonedDateTime| z.strftime("%A %-d %B %Y").to_string();
    let time = |z: &ZonedDateTime| z.strftime("%H:%M").to_string();
    let zone = |z: &ZonedDateTime| z.strftime("%Z").to_string();
    let same_day = s.date() == end.date();
    if !e.has_time {
        return if same_day {
            day(s)
        } else {
            format!("{} to {}", day(s), day(end))
        };
    }
    let zones = if zone(s) == zone(end) {
        zone(s)
    } else {
        format!("{} to {}", zone(s), zone(end))
    };
    match (same_day, s == end) {
        (true, true) => format!("{}, {} {}", day(s), time(s), zones),
        (true, false) => format!("{}, {} to {} {}", day(s), time(s), time(end), zones),
        (false, _) if zone(s) == zone(end) => format!(
            "{}, {} to {}, {} {}",
            day(s),
            time(s),
            day(end),
            time(end),
            zones
        ),
        (false, _) => format!(
            "{}, {} {} to {}, {} {}",
            day(s),
            time(s),
            zone(s),
            day(end),
            time(end),
            zone(end)
        ),
    }
}

/// An event's status as templates and feeds name it, and as readers are told it (nothing
/// for a scheduled event).
pub fn event_status(status: EventStatus) -> (&'static str, &'static str) {
    match status {
        EventStatus::Scheduled => ("scheduled", ""),
        EventStatus::Cancelled => ("cancelled", "Cancelled"),
        EventStatus::Postponed => ("postponed", "Postponed"),
        EventStatus::Full => ("full", "Fully booked"),
    }
}

fn event_value(site: &Site, page: &Page, url: &str, e: &EventData) -> Value {
    let past = site.is_past(page);
    let format = match e.format {
        Some(EventFormat::InPerson) => ("in-person", "In person"),
        Some(EventFormat::Online) => ("online", "Online"),
        Some(EventFormat::Hybrid) => ("hybrid", "In person and online"),
        None => ("", ""),
    };
    let status = event_status(e.status);
    let recording_url = e
        .recording
        .as_ref()
        .and_then(|r| r.resolve(&site.urls))
        .map_or_else(Value::none, Value::from);
    obj([
        ("start", Value::from(rfc3339(&e.start))),
        ("end", Value::from(rfc3339(&e.end))),
        ("when", Value::from(event_when(e))),
        (
            "date_display",
            Value::from(e.start.strftime("%-d %B %Y").to_string()),
        ),
        ("day", Value::from(e.start.strftime("%-d").to_string())),
        ("month", Value::from(e.start.strftime("%b").to_string())),
        ("year", Value::from(e.start.strftime("%Y").to_string())),
        ("timezone", Value::from(e.tz.iana_name().unwrap_or("UTC"))),
        ("format", Value::from(format.0)),
        ("format_label", Value::from(format.1)),
        ("venue", json(&e.venue)),
        ("online", json(&e.online)),
        (
            "registration",
            registration_value(site, e.registration.as_ref(), past, e.status),
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
) -> Value {
    let Some(r) = r else { return Value::none() };
    let closed_by_date = r.closes.as_ref().is_some_and(|c| c.timestamp() <= site.now);
    let open = !past && !closed_by_date && matches!(status, EventStatus::Scheduled);
    let (closes, closes_display) = match &r.closes {
        Some(c) => (
            Value::from(rfc3339(c)),
            Value::from(c.strftime("%A %-d %B %Y, %H:%M %Z").to_string()),
        ),
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

/// "1 hour 28 minutes" from seconds.
pub fn duration_display(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match (h, m) {
        (0, 0) => plural(s, "second"),
        (0, _) => plural(m, "minute"),
        (_, 0) => plural(h, "hour"),
        _ => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
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

fn video_value(site: &Site, v: &VideoData) -> Value {
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
                .map_or_else(Value::none, |d| Value::from(duration_display(d))),
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
            let name = match lang.and_then(|l| config.languages.get(l)) {
                Some(l) => l
                    .title
                    .clone()
                    .unwrap_or_else(|| config.lang_tag(lang).to_string()),
                None => config.lang_tag(lang).to_string(),
            };
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

    #[test]
    fn event_times_read_naturally() {
        assert_eq!(
            event_when(&event("2017-03-14T10:00", "2017-03-14T16:00")),
            "Tuesday 14 March 2017, 10:00 to 16:00 GMT"
        );
        assert_eq!(
            event_when(&event("2017-06-14T10:00", "2017-06-14T16:00")),
            "Wednesday 14 June 2017, 10:00 to 16:00 BST"
        );
        assert_eq!(
            event_when(&event("2018-01-23T10:00", "2018-01-24T16:00")),
            "Tuesday 23 January 2018, 10:00 to Wednesday 24 January 2018, 16:00 GMT"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_display(3492), "58 minutes");
        assert_eq!(duration_display(5320), "1 hour 28 minutes");
    }
}
