//! Chapters of a document published in parts, numbered in reading order.

use super::{Checker, Field, KindData, KindInput, KindSpec, NewSection, Skeleton};
use crate::content::{Kind, SortBy};

/// A chapter: ordered by `number`, then `weight`; one without a number follows the one before.
pub(super) static SPEC: KindSpec = KindSpec {
    kind: Kind::Chapter,
    name: "chapter",
    fields: &[Field {
        name: "number",
        written: |r| r.number.is_some(),
    }],
    required: &[],
    sort_by: SortBy::Weight,
    template: "chapter.html",
    section: Some(NewSection {
        dir: "chapters",
        title: "Chapters",
    }),
    dated_file_name: false,
    skeleton,
    placeholders: super::no_placeholders,
    parse,
};

/// A new chapter comes after the chapters the site has.
fn skeleton(s: &Skeleton) -> String {
    format!("number: {}\n", s.existing + 1)
}

fn parse(_: &mut Checker, input: &KindInput) -> KindData {
    KindData::Chapter(input.raw.number)
}
