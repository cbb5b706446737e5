//! The publishing schedule: whether a page is published at the build's "now", and if not,
//! why — a draft, a page whose `date` is still to come, or one whose `expires` has passed.
//! The reasons are kept (by content key) so that a link to such a page is told apart from a
//! link to no page at all, and so that a build can say when its output next changes.

use jiff::Timestamp;

use super::{Content, KindData, LoadOptions, Page, PageDate, Section};
use crate::dates::human_moment;

/// Why a page or section that exists is not published.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unpublished {
    /// `draft: true` (on the page or its section), and no `--drafts`.
    Draft,
    /// Its `date` is after "now", and no `--future`: it goes live then.
    Scheduled(Moment),
    /// Its `expires` is at or before "now": it is no longer published.
    Expired(Moment),
}

/// An instant as written in front matter, with the way a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Moment {
    /// The instant.
    pub at: Timestamp,
    /// "1 May 2030" or "1 May 2030, 09:00 BST".
    pub shown: String,
}

impl Moment {
    /// The moment of a date read from front matter.
    pub fn of(date: &PageDate) -> Moment {
        Moment {
            at: date.zoned.timestamp(),
            shown: human_moment(&date.zoned, date.has_time),
        }
    }
}

impl Unpublished {
    /// What a message says of the page: "is a draft", "is scheduled for 1 May 2030".
    pub fn describe(&self) -> String {
        match self {
            Unpublished::Draft => "is a draft".to_string(),
            Unpublished::Scheduled(m) => format!("is scheduled for {}", m.shown),
            Unpublished::Expired(m) => format!("expired on {}", m.shown),
        }
    }

    /// How an author sees the page anyway, or makes the link work.
    pub fn hint(&self) -> &'static str {
        match self {
            Unpublished::Draft => {
                "the page is left out until it is published; build with --drafts to preview it"
            }
            Unpublished::Scheduled(_) => {
                "the page is left out until its date; build with --future to preview it"
            }
            Unpublished::Expired(_) => {
                "the page is no longer published; remove the link, or change the page's `expires`"
            }
        }
    }
}

impl LoadOptions {
    /// Every page, whatever its state: drafts, pages dated later and pages expired alike.
    pub fn everything() -> LoadOptions {
        LoadOptions {
            drafts: true,
            future: true,
            now: Timestamp::MIN,
        }
    }

    /// Why `page` of `section` is not published, or `None` when it is. Events are never
    /// scheduled by their `date`: what is ahead of an event is its `start`.
    pub fn withholds(&self, page: &Page, section: &Section) -> Option<Unpublished> {
        if (page.meta.draft || section.draft) && !self.drafts {
            return Some(Unpublished::Draft);
        }
        if let Some(expires) = page.meta.expires.as_ref().map(Moment::of) {
            if expires.at <= self.now {
                return Some(Unpublished::Expired(expires));
            }
        }
        match scheduled(page, self.now) {
            Some(date) if !self.future => Some(Unpublished::Scheduled(date)),
            _ => None,
        }
    }
}

/// The date a page that is not an event goes live, when that is after `now`.
pub fn scheduled(page: &Page, now: Timestamp) -> Option<Moment> {
    if matches!(page.kind, KindData::Event(_)) {
        return None;
    }
    let date = page
        .meta
        .date
        .as_ref()
        .filter(|d| d.zoned.timestamp() > now)?;
    Some(Moment::of(date))
}

/// The instants at which what a published page shows changes by itself (all but the past
/// ones): it expires, or it goes live (a `--future` build shows it early, with a banner).
fn publication_changes(page: &Page, now: Timestamp) -> [Option<Timestamp>; 2] {
    let expires = page.meta.expires.as_ref().map(|d| d.zoned.timestamp());
    [expires, scheduled(page, now).map(|m| m.at)]
}

/// The instants at which an event's page changes by itself: it ends (and so becomes past),
/// its registration closes. Its start changes nothing: an event is upcoming until it ends.
fn event_changes(page: &Page) -> [Option<Timestamp>; 2] {
    match &page.kind {
        KindData::Event(e) => [
            Some(e.end.timestamp()),
            e.registration
                .as_ref()
                .and_then(|r| r.closes.as_ref())
                .map(|c| c.timestamp()),
        ],
        _ => [None, None],
    }
}

impl Content {
    /// The first instant after `now` at which a build of the same sources would write
    /// something else: a scheduled page goes live, a page expires, an event ends, a
    /// registration closes. Drafts never go live by themselves.
    pub fn next_change(&self, now: Timestamp) -> Option<Timestamp> {
        let events = self.pages.iter().flat_map(event_changes);
        self.publication_instants(now)
            .chain(events.flatten())
            .filter(|t| *t > now)
            .min()
    }

    /// Whether a page went live or expired after `then` and by `now`: then the pages
    /// published at `now` are not those published at `then`.
    pub fn publication_passed(&self, then: Timestamp, now: Timestamp) -> bool {
        self.publication_instants(then)
            .any(|t| then < t && t <= now)
    }

    /// When each scheduled page goes live, and when each published page expires or loses its
    /// "scheduled" banner.
    fn publication_instants(&self, now: Timestamp) -> impl Iterator<Item = Timestamp> + '_ {
        let held = self.unpublished.values().filter_map(|why| match why {
            Unpublished::Scheduled(m) => Some(m.at),
            _ => None,
        });
        let published = self
            .pages
            .iter()
            .flat_map(move |p| publication_changes(p, now))
            .flatten();
        held.chain(published)
    }
}
