//! schema.org structured data for events and videos, as JSON-LD for search engines.

use serde_json::{json, Value};

use crate::content::kinds::{Provider, VideoData};
use crate::content::{EventData, EventFormat, EventStatus, KindData};
use crate::dates::rfc3339;
use crate::markdown::plain_inline;
use crate::routes;
use crate::site::Site;

/// The JSON-LD of page `i`, ready to place in a `<script type="application/ld+json">`.
pub fn for_page(site: &Site, i: usize) -> Option<String> {
    let page = &site.content.pages[i];
    let url = routes::permalink(&site.config, &site.page_urls[i]);
    let value = match &page.kind {
        KindData::Event(e) => event(
            site,
            &page.meta.title,
            page.meta
                .summary
                .as_deref()
                .map(|s| plain_inline(s, &site.config.markdown))
                .as_deref(),
            &url,
            e,
        ),
        KindData::Video(v) => video(site, i, v, &url),
        _ => return None,
    };
    // `</` would end the script element early.
    Some(value.to_string().replace("</", "<\\/"))
}

fn organizer(site: &Site) -> Value {
    match &site.config.organizer {
        Some(o) => {
            json!({ "@type": "Organization", "name": o.name, "url": o.url.clone().unwrap_or_else(|| site.config.base_url.clone()) })
        }
        None => {
            json!({ "@type": "Organization", "name": site.config.title, "url": site.config.base_url })
        }
    }
}

fn event(site: &Site, name: &str, description: Option<&str>, url: &str, e: &EventData) -> Value {
    let status = match e.status {
        EventStatus::Cancelled => "https://schema.org/EventCancelled",
        EventStatus::Postponed => "https://schema.org/EventPostponed",
        EventStatus::Scheduled | EventStatus::Full => "https://schema.org/EventScheduled",
    };
    let mode = match e.format {
        Some(EventFormat::Online) => "https://schema.org/OnlineEventAttendanceMode",
        Some(EventFormat::Hybrid) => "https://schema.org/MixedEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    };
    let place = e.venue.as_ref().map(|v| {
        json!({
            "@type": "Place",
            "name": v.name,
            "address": { "@type": "PostalAddress", "streetAddress": v.address, "postalCode": v.postcode },
        })
    });
    let virtual_location = match (&e.online, e.format) {
        (Some(o), _) => Some(
            json!({ "@type": "VirtualLocation", "url": o.url.clone().unwrap_or_else(|| url.to_string()) }),
        ),
        (None, Some(EventFormat::Online | EventFormat::Hybrid)) => {
            Some(json!({ "@type": "VirtualLocation", "url": url }))
        }
        _ => None,
    };
    let location: Vec<Value> = place.into_iter().chain(virtual_location).collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "url": url,
        "startDate": rfc3339(&e.start),
        "endDate": rfc3339(&e.end),
        "eventStatus": status,
        "eventAttendanceMode": mode,
        "organizer": organizer(site),
    });
    if let Some(d) = description {
        v["description"] = json!(d);
    }
    match location.len() {
        0 => {}
        1 => v["location"] = location[0].clone(),
        _ => v["location"] = Value::Array(location),
    }
    v
}

fn video(site: &Site, i: usize, v: &VideoData, url: &str) -> Value {
    let page = &site.content.pages[i];
    let (watch, embed) = super::values::video_urls(v.provider, v.id.as_deref(), v.src.as_deref());
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": page.meta.title,
        "url": url,
        "description": page.meta.summary.as_deref().map_or_else(
            || page.meta.title.clone(),
            |s| plain_inline(s, &site.config.markdown)
        ),
    });
    if let Some(d) = &page.meta.date {
        value["uploadDate"] = json!(rfc3339(&d.zoned));
    }
    if let Some(secs) = v.duration {
        value["duration"] = json!(format!(
            "PT{}H{}M{}S",
            secs / 3600,
            (secs % 3600) / 60,
            secs % 60
        ));
    }
    if let Some(poster) = &v.poster {
        value["thumbnailUrl"] = json!(absolute(site, poster));
    }
    match v.provider {
        Provider::File => value["contentUrl"] = json!(absolute(site, &watch)),
        _ => {
            value["embedUrl"] = json!(embed);
            value["contentUrl"] = json!(watch);
        }
    }
    value
}

fn absolute(site: &Site, path: &str) -> String {
    if path.starts_with('/') {
        routes::permalink(&site.config, path)
    } else {
        path.to_string()
    }
}
