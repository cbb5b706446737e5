//! Front matter: splitting it from the body, and the raw YAML shapes for pages and sections.
//!
//! The raw structs accept every field of every kind so that a field used on the wrong kind
//! gets a precise message ("`start` is an event field") rather than a bare "unknown field";
//! [`super::kinds`] then turns them into typed, validated per-kind data.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

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
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// Written as a whole number.
    Int(u64),
    /// Written as text.
    Text(String),
}

/// Front matter of a page of any kind, exactly as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawPage {
    pub title: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: Option<bool>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Option<Vec<String>>,
    pub image: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub aliases: Option<Vec<String>>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub extra: Option<BTreeMap<String, serde_json::Value>>,
    // kind: post
    #[serde(default, deserialize_with = "one_or_many")]
    pub authors: Option<Vec<String>>,
    pub originally_published: Option<RawOriginal>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub related: Option<Vec<String>>,
    // kind: event
    pub start: Option<String>,
    pub end: Option<String>,
    pub timezone: Option<String>,
    pub format: Option<String>,
    pub venue: Option<Venue>,
    pub online: Option<Online>,
    pub registration: Option<RawRegistration>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub partners: Option<Vec<String>>,
    pub status: Option<String>,
    pub recording: Option<String>,
    // kind: video
    pub provider: Option<String>,
    pub id: Option<Scalar>,
    pub src: Option<String>,
    pub duration: Option<Scalar>,
    pub poster: Option<String>,
    pub captions: Option<String>,
    pub event: Option<String>,
    pub transcript: Option<String>,
    // kind: chapter
    pub number: Option<u32>,
}

/// Where a post first appeared.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOriginal {
    /// The publication's name.
    pub publication: String,
    /// The original's address.
    pub url: Option<String>,
    /// When it was first published.
    pub date: Option<String>,
}

/// Where an in-person or hybrid event takes place.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
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
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Online {
    /// The platform (Zoom, Teams...).
    #[serde(default)]
    pub platform: Option<String>,
    /// The joining link.
    #[serde(default)]
    pub url: Option<String>,
}

/// Registration details as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegistration {
    /// Where to register.
    pub url: String,
    /// When registration closes.
    pub closes: Option<String>,
    /// How many places there are.
    pub capacity: Option<u32>,
}

/// Front matter of a section's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawSection {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub kind: Option<String>,
    pub sort_by: Option<String>,
    pub paginate: Option<usize>,
    pub template: Option<String>,
    pub weight: Option<i64>,
    pub draft: Option<bool>,
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
