//! Videos: where they are hosted, how long they run, their captions and the event they recorded.

use serde::Serialize;

use super::{
    written, Checker, Field, KindData, KindInput, KindSpec, NewSection, Placeholder, Skeleton,
};
use crate::content::front_matter::{RawPage, Scalar};
use crate::content::{Kind, SortBy};
use crate::links::ContentLink;

/// A video: sorted newest first.
pub(super) static SPEC: KindSpec = KindSpec {
    kind: Kind::Video,
    name: "video",
    fields: &[
        Field {
            name: "provider",
            written: |r| r.provider.is_some(),
        },
        Field {
            name: "id",
            written: |r| r.id.is_some(),
        },
        Field {
            name: "src",
            written: |r| r.src.is_some(),
        },
        Field {
            name: "duration",
            written: |r| r.duration.is_some(),
        },
        Field {
            name: "poster",
            written: |r| r.poster.is_some(),
        },
        Field {
            name: "captions",
            written: |r| r.captions.is_some(),
        },
        Field {
            name: "event",
            written: |r| r.event.is_some(),
        },
        Field {
            name: "transcript",
            written: |r| r.transcript.is_some(),
        },
    ],
    required: &["provider"],
    sort_by: SortBy::Date,
    template: "video.html",
    section: Some(NewSection {
        dir: "videos",
        title: "Videos",
    }),
    dated_file_name: false,
    skeleton,
    placeholders,
    parse,
};

/// Where a video is hosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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

fn skeleton(_: &Skeleton) -> String {
    format!("provider: youtube   # youtube, vimeo or file\nid: \"{ID_PLACEHOLDER}\"   # the part after watch?v= (youtube) or vimeo.com/\nduration: \"00:00:00\"\n# src: /media/video.mp4   (provider: file)\n# captions: /media/video.vtt\n# event: \"@/events/the-event.md\"\n")
}

/// The id the skeleton asks to paste, written as the skeleton writes it.
const ID_PLACEHOLDER: &str = "PASTE-THE-VIDEO-ID";

/// The id and length the skeleton leaves to fill in.
fn placeholders(data: &KindData) -> Vec<Placeholder> {
    let KindData::Video(v) = data else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if v.id.as_deref() == Some(ID_PLACEHOLDER) {
        found.push(Placeholder {
            path: "id",
            value: "\"PASTE-THE-VIDEO-ID\"",
            hint: "paste the video's id: the part after watch?v= (YouTube) or vimeo.com/ (Vimeo)",
        });
    }
    if v.duration == Some(0) {
        found.push(Placeholder {
            path: "duration",
            value: "00:00:00",
            hint: "write the video's length as HH:MM:SS or MM:SS, e.g. 58:12, or remove the line",
        });
    }
    found
}

/// A video whose provider cannot be read has no data of its own (its errors are reported).
fn parse(c: &mut Checker, input: &KindInput) -> KindData {
    video_data(c, input.raw).map_or(KindData::Page, KindData::Video)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_three_forms() {
        assert_eq!(parse_duration("58:12"), Some(3492));
        assert_eq!(parse_duration("01:02:03"), Some(3723));
        assert_eq!(parse_duration("PT1H2M"), Some(3720));
        assert_eq!(parse_duration("an hour"), None);
    }
}
