//! iCalendar (RFC 5545) files for events: one per event and one for the whole site.
//! Written by hand because the crates emit random UIDs; ours are stable across builds.

use std::fmt::Write as _;

use jiff::Timestamp;

use crate::content::{EventData, EventStatus, KindData};
use crate::markdown::Rendered;
use crate::routes;
use crate::site::Site;

/// A calendar of `events` in `lang` (`None`: the default language): `events.ics` with every
/// event of the language, or one event's `event.ics`. `rendered` is every page's Markdown,
/// whose summary describes each event.
pub fn calendar(
    site: &Site,
    rendered: &[std::sync::Arc<Rendered>],
    lang: Option<&str>,
    events: &[usize],
) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//pamphlet//pamphlet static site generator//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(site.config.title_in(lang))),
    ];
    for i in events {
        if let KindData::Event(e) = &site.content.pages[*i].kind {
            lines.extend(vevent(site, *i, e, &rendered[*i]));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

fn vevent(site: &Site, i: usize, e: &EventData, md: &Rendered) -> Vec<String> {
    let page = &site.content.pages[i];
    let host = site
        .config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("pamphlet")
        .trim_end_matches('/');
    let url = routes::permalink(&site.config, &site.page_urls[i]);
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:{}@{}",
            site.page_urls[i].trim_matches('/').replace('/', "-"),
            host
        ),
        format!("DTSTAMP:{}", utc(site.now)),
    ];
    if e.has_time {
        lines.push(format!("DTSTART:{}", utc(e.start.timestamp())));
        lines.push(format!("DTEND:{}", utc(e.end.timestamp())));
    } else {
        let next = e.end.date().tomorrow().unwrap_or(e.end.date());
        lines.push(format!("DTSTART;VALUE=DATE:{}", e.start.strftime("%Y%m%d")));
        lines.push(format!("DTEND;VALUE=DATE:{}", next.strftime("%Y%m%d")));
    }
    lines.push(format!("SUMMARY:{}", escape(&page.meta.title)));
    // Calendar apps show the description and many ignore URL: it ends with the page's address.
    let mut description = super::values::description(md);
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&url);
    lines.push(format!("DESCRIPTION:{}", escape(&description)));
    if let Some(location) = location(e, super::values::language_of(site, i)) {
        lines.push(format!("LOCATION:{}", escape(&location)));
    }
    lines.push(format!("URL:{url}"));
    let status = match e.status {
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Postponed => "TENTATIVE",
        EventStatus::Scheduled | EventStatus::Full => "CONFIRMED",
    };
    lines.push(format!("STATUS:{status}"));
    lines.push("END:VEVENT".to_string());
    lines
}

fn location(e: &EventData, words: &crate::i18n::Language) -> Option<String> {
    let venue = e.venue.as_ref().map(|v| {
        [
            Some(v.name.as_str()),
            v.address.as_deref(),
            v.postcode.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    });
    let online = e
        .online
        .as_ref()
        .and_then(|o| o.url.clone().or_else(|| o.platform.clone()));
    match (venue, online) {
        (Some(v), Some(o)) => Some(words.say_with(
            "calendar_venue_and_online",
            None,
            &[("venue", &v), ("where", &o)],
        )),
        (Some(v), None) => Some(v),
        (None, Some(o)) => Some(words.say_with("calendar_online", None, &[("where", &o)])),
        (None, None) => None,
    }
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => s.push_str("\\\\"),
            ';' => s.push_str("\\;"),
            ',' => s.push_str("\\,"),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            c => s.push(c),
        }
    }
    s
}

/// Writes a content line folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_at_75_octets() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        assert!(out.contains("\r\n "));
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
