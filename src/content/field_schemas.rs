//! The JSON Schema of front-matter values whose Rust type says less than the checks do: dates,
//! `@/` links, addresses, slugs, tags, and lists that may be written as one item. Used by the
//! `JsonSchema` derives of [`super::front_matter`], so the schema `pamphlet schema` writes is
//! generated from the very structs that parse front matter.

use schemars::{json_schema, Schema, SchemaGenerator};

use super::kinds::KINDS;

/// The forms [`crate::dates::DateValue::parse`] reads: a day, a local time, or an exact time.
pub const DATE_PATTERN: &str =
    r"^\s*\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?\s*$";

/// An `@/` link to a page's source file, as [`crate::links::ContentLink::parse`] reads it.
pub const LINK_PATTERN: &str = "^@/";

/// A date (`2017-03-14`) or date-time (`2017-03-14T10:00`, `2017-03-14T10:00:00+01:00`).
pub fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": DATE_PATTERN })
}

/// One `@/` link (`recording`, `event`).
pub fn link(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": LINK_PATTERN })
}

/// `@/` links, one or a list (`related`).
pub fn links(_: &mut SchemaGenerator) -> Schema {
    let one = json_schema!({ "type": "string", "pattern": LINK_PATTERN });
    one_or_list(one)
}

/// Text, or a list of text: `tags: policy` is `tags: [policy]`.
pub fn one_or_many(_: &mut SchemaGenerator) -> Schema {
    one_or_list(json_schema!({ "type": "string" }))
}

/// Tags: each needs a letter or digit to name its page by.
pub fn tags(_: &mut SchemaGenerator) -> Schema {
    one_or_list(json_schema!({ "type": "string", "pattern": r"[\p{L}\p{N}]" }))
}

fn one_or_list(one: Schema) -> Schema {
    json_schema!({
        "anyOf": [one.clone(), { "type": "array", "items": one }, { "type": "null" }]
    })
}

/// A web address or a path of the site, never a script (`javascript:`), as
/// [`crate::links::runs_script`] refuses.
pub fn address(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "not": { "pattern": SCRIPT_PATTERN } })
}

/// [`address`], required.
pub fn required_address(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "not": { "pattern": SCRIPT_PATTERN } })
}

const SCRIPT_PATTERN: &str = r"^\s*([Jj][Aa][Vv][Aa]|[Vv][Bb])[Ss][Cc][Rr][Ii][Pp][Tt]\s*:";

/// One URL segment: no `/`, `\` or `..`, not blank.
pub fn slug(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "null"],
        "pattern": r"^[^/\\]*[^/\\\s.][^/\\]*$",
        "not": { "pattern": r"\.\." }
    })
}

/// A video's id: letters, digits, `-` and `_`, or a number.
pub fn video_id(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            { "type": "string", "pattern": r"^\s*[A-Za-z0-9_-]+\s*$" },
            { "type": "integer", "minimum": 0 },
            { "type": "null" }
        ]
    })
}

/// A section's `kind`: the names of the registry.
pub fn kind(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
    json_schema!({ "type": ["string", "null"], "enum": names.into_iter().map(Some).chain([None]).collect::<Vec<_>>() })
}

/// A section's `sort_by`.
pub fn sort_by(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "enum": ["date", "weight", "title", null] })
}
