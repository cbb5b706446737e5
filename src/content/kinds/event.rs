//! Events: when and where they happen, how to attend and register, and their recording.

use jiff::tz::TimeZone;
use jiff::ZonedDateTime;
use serde::Serialize;

use super::{Checker, Field, KindData, KindInput, KindSpec, NewSection, Placeholder, Skeleton};
use crate::content::front_matter::{Online, RawPage, Venue};
use crate::content::{Kind, SortBy};
use crate::links::ContentLink;

/// An event: upcoming ones first, soonest first, then past ones.
pub(super) static SPEC: KindSpec = KindSpec {
    kind: Kind::Event,
    name: "event",
    fields: &[
        Field {
            name: "start",
            written: |r| r.start.is_some(),
        },
        Field {
            name: "end",
            written: |r| r.end.is_some(),
        },
        Field {
            name: "timezone",
            written: |r| r.timezone.is_some(),
        },
        Field {
            name: "format",
            written: |r| r.format.is_some(),
        },
        Field {
            name: "venue",
            written: |r| r.venue.is_some(),
        },
        Field {
            name: "online",
            written: |r| r.online.is_some(),
        },
        Field {
            name: "registration",
            written: |r| r.registration.is_some(),
        },
        Field {
            name: "partners",
            written: |r| r.partners.is_some(),
        },
        Field {
            name: "status",
            written: |r| r.status.is_some(),
        },
        Field {
            name: "recording",
            written: |r| r.recording.is_some(),
        },
    ],
    required: &["start"],
    sort_by: SortBy::Date,
    template: "event.html",
    section: Some(NewSection {
        dir: "events",
        title: "Events",
    }),
    dated_file_name: false,
    skeleton,
    placeholders,
    parse,
};

/// How people attend an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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

impl EventData {
    /// Whether the event is over at `now`: from its end on, it is a past event.
    pub fn is_over(&self, now: jiff::Timestamp) -> bool {
        self.end.timestamp() <= now
    }
}

fn skeleton(s: &Skeleton) -> String {
    let today = s.today;
    format!(
        "start: {today}T10:00\nend: {today}T12:00\nformat: in-person   # in-person, online or hybrid\nvenue:\n  name: \"\"\n  address: \"\"\n  postcode: \"\"\n# online: {{ platform: Zoom, url: \"\" }}\n# registration: {{ url: \"\", closes: {today}T09:00, capacity: 50 }}\npartners: []\n# status: cancelled   # or postponed, full\n# recording: \"@/videos/recording.md\"\n"
    )
}

/// The venue, joining link and registration link the skeleton leaves empty.
fn placeholders(data: &KindData) -> Vec<Placeholder> {
    let KindData::Event(e) = data else {
        return Vec::new();
    };
    let empty = |v: Option<&String>| v.is_some_and(|v| v.trim().is_empty());
    let venue = e.venue.as_ref();
    [
        (
            empty(venue.map(|v| &v.name)),
            Placeholder::empty(
                "venue.name",
                "write the venue's name, e.g. `name: Leeds Civic Hall`",
            ),
        ),
        (
            empty(venue.and_then(|v| v.address.as_ref())),
            Placeholder::empty(
                "venue.address",
                "write the venue's street address, or remove the line",
            ),
        ),
        (
            empty(venue.and_then(|v| v.postcode.as_ref())),
            Placeholder::empty(
                "venue.postcode",
                "write the venue's postcode, or remove the line",
            ),
        ),
        (
            empty(e.online.as_ref().and_then(|o| o.url.as_ref())),
            Placeholder::empty(
                "online.url",
                "paste the link people join with, or remove `url:`",
            ),
        ),
        (
            empty(e.registration.as_ref().map(|r| &r.url)),
            Placeholder::empty(
                "registration.url",
                "paste the address where people register, or remove `registration:`",
            ),
        ),
    ]
    .into_iter()
    .filter_map(|(found, p)| found.then_some(p))
    .collect()
}

/// An event whose start cannot be read has no data of its own (its errors are reported).
fn parse(c: &mut Checker, input: &KindInput) -> KindData {
    event_data(c, input.raw, input.site_tz).map_or(KindData::Page, |e| KindData::Event(Box::new(e)))
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
