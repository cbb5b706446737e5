//! Front matter: splitting it from the body, and the raw YAML shapes for pages and sections.
//!
//! The raw structs accept every field of every kind so that a field used on the wrong kind
//! gets a precise message ("`start` is an event field") rather than a bare "unknown field";
//! [`super::kinds`] then turns them into typed, validated per-kind data.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;

use super::field_schemas as fs;
use crate::diagnostics::Diagnostic;

/// A source file split into its front matter and Markdown body.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// The 1-based line on which the body starts.
    pub body_line: usize,
}

/// Reads a file's bytes as text: shared with site.yaml, which is read the same way.
pub use crate::diagnostics::decode_text as decode;

/// Splits `text` at the `---` lines that open and close the front matter.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    const SKELETON: &str = "start the file with a front matter block: a line `---`, then `title: Your title`, then `---`";
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, 1, 1, "the file is empty").with_hint(SKELETON));
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Err(
            Diagnostic::error(path, 1, 1, "the file does not start with front matter")
                .with_hint(SKELETON)
                .with_source(text),
        );
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start;
    for (i, line) in text[yaml_start.min(text.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[body_start.min(text.len())..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "the front matter opened on line 1 is never closed",
    )
    .with_hint("add a line containing only `---` after the last front matter field")
    .with_source(text))
}

/// A list of text that may also be written as one item: `tags: policy` or `tags: [a, b]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Option<Vec<String>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("text or a list of text")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                items.push(item);
            }
            Ok(Some(items))
        }
    }
    d.deserialize_any(Visitor)
}

/// The terms of a taxonomy declared in site.yaml (`topics: [a, b]`, or one as `topics: a`),
/// read before the typed fields since the taxonomies are the site's to name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms(pub Vec<String>);

impl<'de> Deserialize<'de> for Terms {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        one_or_many(d).map(|terms| Terms(terms.unwrap_or_default()))
    }
}

/// A scalar that authors may write as a number or as text (durations, capacities).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// Written as a whole number.
    Int(u64),
    /// Written as text.
    Text(String),
}

/// Front matter of a page of any kind, exactly as written. Each field's doc comment is the
/// hint editors see (`pamphlet schema`, `pamphlet cms`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawPage {
    /// The page's title: its heading, and its name in lists, feeds and search.
    #[schemars(regex(pattern = r"\S"))]
    pub title: Option<String>,
    /// When it was published: 2017-08-06, or 2017-08-06T10:00. A post takes it from the start of its file name if not given.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub date: Option<String>,
    /// When it was last changed significantly: 2017-08-06, or 2017-08-06T10:00.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub updated: Option<String>,
    /// A draft is built only with --drafts.
    pub draft: Option<bool>,
    /// From this moment the page is no longer published: 2027-03-31, or 2027-03-31T17:00.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub expires: Option<String>,
    /// The last part of the page's address; by default made from the file name.
    #[serde(default)]
    #[schemars(schema_with = "fs::slug")]
    pub slug: Option<String>,
    /// A sentence or two for lists, feeds and search; by default the text before <!-- more -->, else the first paragraph.
    pub summary: Option<String>,
    /// Tags the page is listed under, e.g. [policy, prevention].
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(schema_with = "fs::tags")]
    pub tags: Option<Vec<String>>,
    /// The picture shown in lists and when the page is shared, e.g. /images/cover.png.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub image: Option<String>,
    /// What the image shows, for people who cannot see it (in lists and when the page is shared).
    pub image_alt: Option<String>,
    /// Old addresses of the page, each redirected here, e.g. [/old-address/].
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(schema_with = "fs::one_or_many")]
    pub aliases: Option<Vec<String>>,
    /// Orders the page among its section's pages: lighter first.
    pub weight: Option<i64>,
    /// A template to render the page with instead of its kind's, e.g. wide.html.
    pub template: Option<String>,
    /// Free-form values for templates, as page.extra.
    pub extra: Option<BTreeMap<String, serde_json::Value>>,
    // kind: post
    /// Keys of site.yaml authors, or plain names.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(schema_with = "fs::one_or_many")]
    pub authors: Option<Vec<String>>,
    /// Where the post first appeared: { publication, url, date }.
    pub originally_published: Option<RawOriginal>,
    /// Related posts, chosen by hand: links such as "@/blog/2017-08-06-title.md"; else chosen by shared tags.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(schema_with = "fs::links")]
    pub related: Option<Vec<String>>,
    // kind: event
    /// When the event starts: 2017-03-14T10:00 (local time in its timezone), or with an offset.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub start: Option<String>,
    /// When the event ends: 2017-03-14T16:00; not before start. By default when it starts.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub end: Option<String>,
    /// The time zone of start and end, e.g. Europe/London; by default the site's.
    pub timezone: Option<String>,
    /// How people attend; by default told from venue and online.
    #[schemars(with = "Option<super::kinds::EventFormat>")]
    pub format: Option<String>,
    /// Where it takes place: { name, address, postcode }; needed for in-person and hybrid events.
    pub venue: Option<Venue>,
    /// How to join online: { platform, url }.
    pub online: Option<Online>,
    /// How to register: { url, closes, capacity }.
    pub registration: Option<RawRegistration>,
    /// The organisations running the event.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(schema_with = "fs::one_or_many")]
    pub partners: Option<Vec<String>>,
    /// Whether it goes ahead; scheduled by default.
    #[schemars(with = "Option<super::kinds::EventStatus>")]
    pub status: Option<String>,
    /// The video of the event, once there is one: "@/videos/recording.md".
    #[serde(default)]
    #[schemars(schema_with = "fs::link")]
    pub recording: Option<String>,
    // kind: video
    /// Where the video is hosted: youtube, vimeo, or file (served by the site).
    #[schemars(with = "Option<super::kinds::Provider>")]
    pub provider: Option<String>,
    /// The provider's id of the video: the part after watch?v= (YouTube) or vimeo.com/.
    #[serde(default)]
    #[schemars(schema_with = "fs::video_id")]
    pub id: Option<Scalar>,
    /// The video file, for provider file: /media/webinar.mp4.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub src: Option<String>,
    /// How long it runs: 58:12, 01:02:03 or a number of seconds.
    pub duration: Option<Scalar>,
    /// The picture shown before the video plays, e.g. /images/poster.png.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub poster: Option<String>,
    /// Captions in WebVTT, e.g. /media/webinar.vtt.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub captions: Option<String>,
    /// The event the video recorded: "@/events/the-event.md".
    #[serde(default)]
    #[schemars(schema_with = "fs::link")]
    pub event: Option<String>,
    /// A transcript of the video (the page's text is also shown as one).
    pub transcript: Option<String>,
    // kind: chapter
    /// The chapter's number; by default the one after the chapter before it.
    pub number: Option<u32>,
}

/// Where a post first appeared.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOriginal {
    /// The publication's name.
    pub publication: String,
    /// The original's address.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub url: Option<String>,
    /// When it was first published: 2017-08-06.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub date: Option<String>,
}

/// Where an in-person or hybrid event takes place.
#[derive(Debug, Clone, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    /// The venue's name.
    pub name: String,
    /// Street address.
    #[serde(default)]
    pub address: Option<String>,
    /// Postcode.
    #[serde(default)]
    pub postcode: Option<String>,
}

/// How to join an online or hybrid event.
#[derive(Debug, Clone, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Online {
    /// The platform (Zoom, Teams...).
    #[serde(default)]
    pub platform: Option<String>,
    /// The joining link.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub url: Option<String>,
}

/// Registration details as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegistration {
    /// Where to register.
    #[schemars(schema_with = "fs::required_address")]
    pub url: String,
    /// When registration closes: 2017-03-13T17:00.
    #[serde(default)]
    #[schemars(schema_with = "fs::date")]
    pub closes: Option<String>,
    /// How many places there are.
    pub capacity: Option<u32>,
}

/// A section's hero banner as written: a picture and a call to action, each optional.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHero {
    /// The banner's picture (JPEG, PNG or WebP), e.g. /images/hero.png or hero.png beside _index.md.
    #[serde(default)]
    #[schemars(schema_with = "fs::address")]
    pub image: Option<String>,
    /// What the picture shows, for people who cannot see it; needed with image.
    #[serde(default)]
    pub alt: Option<String>,
    /// The button under the banner's text: { label, url }.
    #[serde(default)]
    pub cta: Option<RawCta>,
}

/// A call to action: a button-styled link.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCta {
    /// The button's words, e.g. Read the Concordat.
    pub label: String,
    /// Where it leads: "@/concordat/_index.md", a path of the site or a web address.
    #[schemars(schema_with = "fs::required_address")]
    pub url: String,
}

/// Front matter of a section's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawSection {
    /// The section's title; by default its folder's name.
    pub title: Option<String>,
    /// A sentence or two about the section, for lists and its meta description.
    pub summary: Option<String>,
    /// What the section's pages are; nested sections inherit it. By default page.
    #[serde(default)]
    #[schemars(schema_with = "fs::kind")]
    pub kind: Option<String>,
    /// How its pages are ordered: date (newest first), weight or title; by default as its kind orders them.
    #[serde(default)]
    #[schemars(schema_with = "fs::sort_by")]
    pub sort_by: Option<String>,
    /// How many pages a list page shows; by default site.yaml's paginate.
    #[schemars(range(min = 1))]
    pub paginate: Option<usize>,
    /// A template for the section's list pages instead of section.html.
    pub template: Option<String>,
    /// Orders the section among its sibling sections: lighter first.
    pub weight: Option<i64>,
    /// A draft section, and its pages, are built only with --drafts.
    pub draft: Option<bool>,
    /// The banner at the top of the section's first page (the home page's, in `content/_index.md`): { image, alt, cta: { label, url } }.
    pub hero: Option<RawHero>,
    /// Free-form values for templates, as section.extra.
    pub extra: Option<BTreeMap<String, serde_json::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_line() {
        let s = split(Path::new("a.md"), "---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn refuses_unclosed_and_empty() {
        assert!(split(Path::new("a.md"), "---\ntitle: A\n")
            .unwrap_err()
            .message
            .contains("never closed"));
        assert!(split(Path::new("a.md"), "")
            .unwrap_err()
            .message
            .contains("empty"));
    }

    #[test]
    fn one_tag_may_be_written_without_a_list() {
        let one: RawPage = serde_saphyr::from_str("title: A\ntags: policy\n").unwrap();
        assert_eq!(one.tags, Some(vec!["policy".to_string()]));
        let many: RawPage = serde_saphyr::from_str("title: A\ntags: [a, b]\n").unwrap();
        assert_eq!(many.tags, Some(vec!["a".to_string(), "b".to_string()]));
        assert!(serde_saphyr::from_str::<RawPage>("title: A\ntags: 5\n").is_err());
    }

    #[test]
    fn decodes_bom_crlf_and_rejects_latin1() {
        assert_eq!(
            decode(Path::new("a"), b"\xEF\xBB\xBF---\r\nx\r\n").unwrap(),
            "---\nx\n"
        );
        let err = decode(Path::new("a"), b"---\ntitle: caf\xe9\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 11));
        let err = decode(Path::new("a"), b"---\ntitle: Caf\xc3\xa9 caf\xe9\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 16), "the column counts characters");
        assert_eq!(
            err.source_line.as_deref(),
            Some("title: Caf\u{e9} caf\u{fffd}")
        );
    }
}
