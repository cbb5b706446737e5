//! Dates and times as authors write them, resolved into exact instants with time zones.
//!
//! A value is a date (`2017-03-14`), a local date-time (`2017-03-14T10:00`, read in the
//! event's or site's zone) or an exact date-time with an offset (`2017-03-14T10:00:00+01:00`).
//! Local times that fall in a daylight-saving gap or overlap are refused, never guessed.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

/// A date or date-time exactly as written in front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar day, with no time.
    Date(Date),
    /// A wall-clock time, to be read in a time zone.
    Local(DateTime),
    /// An exact instant with the offset it was written with.
    Exact(Timestamp, Offset),
}

/// Why a written date could not be turned into an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// What is wrong.
    pub message: String,
    /// How to write it instead.
    pub hint: String,
}

impl DateValue {
    /// Parses the forms authors write; the error names the expected form.
    pub fn parse(text: &str) -> Result<DateValue, DateError> {
        let t = text.trim();
        if let Ok(ts) = t.parse::<Timestamp>() {
            let offset = offset_of(t).unwrap_or(Offset::UTC);
            return Ok(DateValue::Exact(ts, offset));
        }
        if let Ok(d) = t.parse::<Date>() {
            if t.len() == 10 {
                return Ok(DateValue::Date(d));
            }
        }
        if let Ok(dt) = t.replacen(' ', "T", 1).parse::<DateTime>() {
            return Ok(DateValue::Local(dt));
        }
        Err(DateError {
            message: format!("\"{t}\" is not a date (expected 2017-03-14 or 2017-03-14T10:00)"),
            hint: "write dates as YYYY-MM-DD and times as YYYY-MM-DDTHH:MM, e.g. 2017-03-14T10:00"
                .into(),
        })
    }

    /// Whether the value carries a time of day.
    pub fn has_time(&self) -> bool {
        !matches!(self, DateValue::Date(_))
    }

    /// The instant this value means in `tz` (midnight for a bare date).
    pub fn resolve(&self, tz: &TimeZone) -> Result<ZonedDateTime, DateError> {
        match *self {
            DateValue::Exact(ts, _) => Ok(ts.to_zoned_datetime(tz.clone())),
            DateValue::Date(d) => resolve_local(d.to_datetime(jiff::civil::Time::midnight()), tz),
            DateValue::Local(dt) => resolve_local(dt, tz),
        }
    }
}

/// Reads the offset from the end of an RFC 3339 string (`Z`, `+01:00`).
pub fn offset_of(text: &str) -> Option<Offset> {
    if text.ends_with('Z') || text.ends_with('z') {
        return Some(Offset::UTC);
    }
    let tail = text.get(text.len().checked_sub(6)?..)?;
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = tail.get(1..3)?.parse().ok()?;
    let minutes: i32 = tail.get(4..6)?.parse().ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

fn resolve_local(dt: DateTime, tz: &TimeZone) -> Result<ZonedDateTime, DateError> {
    let ambiguous = tz.to_ambiguous_zoned_datetime(dt);
    let zone = tz.iana_name().unwrap_or("the time zone");
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => ambiguous.compatible().map_err(|e| DateError {
            message: format!("{dt} cannot be placed in {zone}: {e}"),
            hint: "check the date".into(),
        }),
        AmbiguousOffset::Gap { before, after } => Err(DateError {
            message: format!("{dt} does not exist in {zone}: the clocks go forward at that time"),
            hint: format!(
                "pick a time outside the gap, or give the offset explicitly, e.g. {}{}",
                dt.strftime("%Y-%m-%dT%H:%M:%S"),
                format_offset(after.max(before))
            ),
        }),
        AmbiguousOffset::Fold { before, after } => Err(DateError {
            message: format!("{dt} happens twice in {zone}: the clocks go back at that time"),
            hint: format!(
                "give the offset to say which one you mean: {0}{1} (first) or {0}{2} (second)",
                dt.strftime("%Y-%m-%dT%H:%M:%S"),
                format_offset(before),
                format_offset(after)
            ),
        }),
    }
}

fn format_offset(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// RFC 3339 with the zone's offset, the form handed to templates and feeds.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A day as people read it in Britain: "14 March 2017".
pub fn human_date(z: &ZonedDateTime) -> String {
    z.strftime("%-d %B %Y").to_string()
}

/// A moment as people read it: "14 March 2017", with the time when there is one
/// ("14 March 2017, 10:00 GMT").
pub fn human_moment(z: &ZonedDateTime, has_time: bool) -> String {
    match has_time {
        true => z.strftime("%-d %B %Y, %H:%M %Z").to_string(),
        false => human_date(z),
    }
}

/// An instant as RFC 3339 in UTC, to the second (`2030-05-01T08:00:00Z`): the form given to
/// pipelines.
pub fn utc_rfc3339(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses `--now`: an RFC 3339 instant, or a local date or date-time in the site's zone.
pub fn parse_now(text: &str, tz: &TimeZone) -> Result<Timestamp, DateError> {
    DateValue::parse(text)?.resolve(tz).map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    #[test]
    fn local_times_take_the_zone_offset() {
        let winter = DateValue::parse("2017-03-14T10:00")
            .unwrap()
            .resolve(&london())
            .unwrap();
        assert_eq!(rfc3339(&winter), "2017-03-14T10:00:00+00:00");
        let summer = DateValue::parse("2017-06-14 10:00")
            .unwrap()
            .resolve(&london())
            .unwrap();
        assert_eq!(rfc3339(&summer), "2017-06-14T10:00:00+01:00");
    }

    #[test]
    fn gaps_and_folds_are_refused() {
        let gap = DateValue::parse("2017-03-26T01:30")
            .unwrap()
            .resolve(&london());
        assert!(gap.unwrap_err().message.contains("does not exist"));
        let fold = DateValue::parse("2017-10-29T01:30")
            .unwrap()
            .resolve(&london());
        assert!(fold.unwrap_err().hint.contains("+01:00"));
    }

    #[test]
    fn explicit_offsets_are_kept() {
        let v = DateValue::parse("2018-06-05T10:00:00+01:00").unwrap();
        assert_eq!(
            rfc3339(&v.resolve(&london()).unwrap()),
            "2018-06-05T10:00:00+01:00"
        );
        assert!(DateValue::parse("14/03/2017").is_err());
        assert!(DateValue::parse("2017-02-30").is_err());
    }
}
