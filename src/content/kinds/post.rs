//! Blog posts: dated, with authors, where they first appeared, and hand-picked related posts.

use jiff::tz::TimeZone;
use jiff::ZonedDateTime;
use serde::Serialize;

use super::{Checker, Field, KindData, KindInput, KindSpec, NewSection, Placeholder, Skeleton};
use crate::content::front_matter::RawPage;
use crate::content::{Kind, SortBy};
use crate::links::ContentLink;

/// A post: sorted newest first, written as `content/blog/2017-08-06-title.md`.
pub(super) static SPEC: KindSpec = KindSpec {
    kind: Kind::Post,
    name: "post",
    fields: &[
        Field {
            name: "authors",
            written: |r| r.authors.is_some(),
        },
        Field {
            name: "originally_published",
            written: |r| r.originally_published.is_some(),
        },
        Field {
            name: "related",
            written: |r| r.related.is_some(),
        },
    ],
    required: &[],
    sort_by: SortBy::Date,
    template: "post.html",
    section: Some(NewSection {
        dir: "blog",
        title: "Blog",
    }),
    dated_file_name: true,
    skeleton,
    placeholders,
    parse,
};

/// Where a post first appeared.
#[derive(Debug, Clone, Serialize)]
pub struct Original {
    /// The publication's name.
    pub publication: String,
    /// The original's address.
    pub url: Option<String>,
    /// When it was first published.
    #[serde(skip)]
    pub date: Option<ZonedDateTime>,
}

/// A blog post's own fields.
#[derive(Debug, Clone, Default)]
pub struct PostData {
    /// Keys into site.yaml `authors`, or plain names.
    pub authors: Vec<String>,
    /// "Originally posted in ..." details.
    pub original: Option<Original>,
    /// `@/` links to related posts, chosen by hand.
    pub related: Vec<ContentLink>,
}

fn skeleton(_: &Skeleton) -> String {
    "authors: []\n# originally_published: { publication: \"\", url: \"\", date: 2017-01-01 }\n# related: [\"@/blog/other-post.md\"]\n".to_string()
}

/// Where the post first appeared, when the skeleton's lines for it are kept but left empty.
fn placeholders(data: &KindData) -> Vec<Placeholder> {
    let KindData::Post(p) = data else {
        return Vec::new();
    };
    let Some(original) = &p.original else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if original.publication.trim().is_empty() {
        found.push(Placeholder::empty(
            "originally_published.publication",
            "write the name of the publication the post first appeared in",
        ));
    }
    if original.url.as_deref().is_some_and(|u| u.trim().is_empty()) {
        found.push(Placeholder::empty(
            "originally_published.url",
            "paste the address of the original, or remove `url:`",
        ));
    }
    found
}

/// A post needs a date: written, or at the start of its file name.
fn parse(c: &mut Checker, input: &KindInput) -> KindData {
    if input.date.is_none() && c.missing("date", input.raw.date.as_ref()) {
        match super::impossible_name_date(input.key) {
            Some(text) => c.required(
                &format!(
                    "date: the file name starts with {text}, which is not a day of the calendar"
                ),
                "correct the date at the start of the file name, or add `date: 2017-08-06`",
            ),
            None => c.required(
                "date: a blog post needs a date",
                "add `date: 2017-08-06`, or start the file name with the date: 2017-08-06-title.md",
            ),
        }
    }
    KindData::Post(post_data(c, input.raw, input.site_tz))
}

fn post_data(c: &mut Checker, raw: &RawPage, tz: &TimeZone) -> PostData {
    let written_url = raw
        .originally_published
        .as_ref()
        .and_then(|o| o.url.as_ref());
    c.safe_url("originally_published.url", written_url);
    let original = raw.originally_published.as_ref().map(|o| Original {
        publication: o.publication.clone(),
        url: o.url.clone(),
        date: c
            .date("originally_published.date", o.date.as_ref(), tz, false)
            .map(|d| d.zoned),
    });
    let related = raw
        .related
        .iter()
        .flatten()
        .filter_map(|l| c.link("related", Some(l)))
        .collect();
    PostData {
        authors: raw.authors.clone().unwrap_or_default(),
        original,
        related,
    }
}
