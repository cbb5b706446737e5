//! Plain pages (`content/about.md`): the common fields only.

use super::{Checker, KindData, KindInput, KindSpec, Skeleton};
use crate::content::{Kind, SortBy};

/// A page: ordered by `weight`; `pamphlet new page` writes at the top of `content/`.
pub(super) static SPEC: KindSpec = KindSpec {
    kind: Kind::Page,
    name: "page",
    fields: &[],
    required: &[],
    sort_by: SortBy::Weight,
    template: "page.html",
    section: None,
    dated_file_name: false,
    skeleton,
    placeholders: super::no_placeholders,
    parse,
};

fn skeleton(_: &Skeleton) -> String {
    String::new()
}

fn parse(_: &mut Checker, _: &KindInput) -> KindData {
    KindData::Page
}
