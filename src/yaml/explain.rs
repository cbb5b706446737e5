//! serde-saphyr's errors in words an author understands, each with how to fix it.
//!
//! The parser's structured error variants are matched here, never its English text; only a
//! syntax error of the YAML scanner is shown as the scanner words it.

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::Error;

use crate::diagnostics::{did_you_mean, hard_to_see, spell_out_hidden};

/// An error in words: what is wrong and how to fix it.
#[derive(Debug)]
pub(super) struct Explained {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Whether the message is about one key's value, and so is told after that key
    /// (`draft: "maybe" is not true or false`), rather than about a key itself.
    pub about_value: bool,
}

/// The error itself, without the snippet or the alias it was reached through.
fn cause(err: &Error) -> &Error {
    let mut err = err.without_snippet();
    while let Error::AliasError { error, .. } = err {
        err = error.without_snippet();
    }
    err
}

/// Whether the parser places the error at the key although it is about the value.
pub(super) fn reported_at_key(err: &Error) -> bool {
    matches!(
        cause(err),
        Error::InvalidScalar { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
    )
}

/// Whether the error is a required field that is not written.
pub(super) fn is_missing_field(err: &Error) -> bool {
    matches!(cause(err), Error::SerdeMissingField { .. })
}

/// Whether the error is one of YAML syntax, found by the scanner.
pub(super) fn is_syntax(err: &Error) -> bool {
    matches!(cause(err), Error::ExternalMessage { .. })
}

/// The key of an unknown field error, as written.
pub(super) fn unknown_field(err: &Error) -> Option<&str> {
    match cause(err) {
        Error::SerdeUnknownField { field, .. } => Some(field),
        _ => None,
    }
}

/// The known field an unknown key most likely meant.
pub(super) fn meant(err: &Error) -> Option<String> {
    match cause(err) {
        Error::SerdeUnknownField {
            field, expected, ..
        } => did_you_mean(&without_hidden(field), expected.iter().copied()).map(str::to_string),
        _ => None,
    }
}

/// `err` in words; `value` is the plain scalar written where it points, if any.
pub(super) fn explain(err: &Error, value: Option<&str>) -> Explained {
    let (message, hint) = match cause(err) {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let message = format!("unknown field `{}`", spell_out_hidden(field));
            return about_a_key(message, unknown_field_hint(field, expected));
        }
        Error::SerdeMissingField { field, .. } => {
            let message = format!("the required field `{field}` is missing");
            return about_a_key(message, format!("add a `{field}: ...` line"));
        }
        Error::InvalidScalar { ty, .. } => not_a(ty, value),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => wrong_type(unexpected, expected),
        Error::Unexpected { expected, .. } => expected_shape(expected),
        Error::DuplicateMappingKey { .. } => return written_twice(),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => (
            format!("\"{variant}\" is not one of: {}", expected.join(", ")),
            format!("write one of: {}", expected.join(", ")),
        ),
        Error::MultipleDocuments { .. } => (
            "a line `---` or `...` ends the YAML here, and more follows".into(),
            "remove that line: the file holds one block of `name: value` fields".into(),
        ),
        Error::UnknownAnchor { .. } => (
            "`*` refers to an anchor (`&name`) that is not defined above".into(),
            "put text that starts with `*` in quotes, or define `&name` before using `*name`"
                .into(),
        ),
        Error::NullIntoString { .. } => (
            "expected text, but nothing is written".into(),
            "write the value after the colon, or remove the line".into(),
        ),
        Error::TaggedScalarCannotDeserializeIntoString { .. } => (
            "expected text, but the value is tagged (`!!...`)".into(),
            "remove the tag, or put the whole value in quotes".into(),
        ),
        Error::Budget {
            breach: BudgetBreach::Depth { .. },
            ..
        } => too_deep(),
        Error::Budget { .. } => (
            "the YAML expands to too many values (aliases repeated inside aliases)".into(),
            "write the values out, or repeat aliases fewer times".into(),
        ),
        // The scanner tells of its nesting limit in words only.
        Error::ExternalMessage { msg, .. } if msg.contains("recursion limit") => too_deep(),
        Error::ExternalMessage { msg, .. } => syntax(first_line(msg)),
        Error::Eof { .. } => syntax("the YAML ends in the middle of a value"),
        other => syntax(&without_location(&other.to_string())),
    };
    Explained {
        message,
        hint,
        about_value: true,
    }
}

/// The explanation of a key written twice in one mapping.
pub(super) fn written_twice() -> Explained {
    Explained {
        message: "this field is written twice".into(),
        hint: "keep only one of the lines that set it".into(),
        about_value: true,
    }
}

fn about_a_key(message: String, hint: String) -> Explained {
    Explained {
        message,
        hint,
        about_value: false,
    }
}

/// A scalar that does not read as the type `ty` (serde's name: `boolean`, `u32`, `f64`).
fn not_a(ty: &str, value: Option<&str>) -> (String, String) {
    let quoted = |what: &str| match value {
        Some(v) => format!("\"{v}\" is not {what}"),
        None => format!("expected {what}"),
    };
    let whole = ["i8", "i16", "i32", "i64", "i128", "isize"];
    let natural = ["u8", "u16", "u32", "u64", "u128", "usize"];
    match ty {
        "boolean" | "bool" => (
            quoted("true or false"),
            "write `true` or `false`, without quotes".into(),
        ),
        t if whole.contains(&t) => (
            quoted("a whole number"),
            "write a whole number such as 3, without quotes".into(),
        ),
        t if natural.contains(&t) => (
            quoted("a whole number (0 or more)"),
            "write a whole number such as 3, without quotes".into(),
        ),
        "f32" | "f64" => (
            quoted("a number"),
            "write a number such as 2.5, without quotes".into(),
        ),
        t => (format!("invalid {t}"), TYPE_HINT.into()),
    }
}

const TYPE_HINT: &str =
    "check the value's type: text, a number, true/false, a list (- item) or a map (key: value)";

const LIST_HINT: &str =
    "write a list: `[first, second]` on one line, or each item on its own line starting with `- `";

/// A value of the wrong kind, in serde's words for both (`integer `5``, `a string`).
fn wrong_type(unexpected: &str, expected: &str) -> (String, String) {
    match expected {
        "text or a list of text" => ("expected a list".into(), LIST_HINT.into()),
        _ => (
            format!("invalid type: {unexpected}, expected {expected}"),
            TYPE_HINT.into(),
        ),
    }
}

/// A value of the wrong shape, the parser's expectation named by its YAML event.
fn expected_shape(expected: &str) -> (String, String) {
    let (what, hint) = match expected {
        "sequence start" => ("a list", LIST_HINT),
        "mapping start" => (
            "`name: value` fields",
            "write one `name: value` per line, indented under the field they belong to",
        ),
        "string scalar" | "scalar" => (
            "text",
            "write plain text here; put it in quotes if it starts with [ { * & ! or contains `: `",
        ),
        other => return syntax(&format!("expected {other}")),
    };
    (format!("expected {what}"), hint.into())
}

fn too_deep() -> (String, String) {
    (
        "the YAML is nested too deeply".into(),
        "lists and maps may be nested a few levels, not hundreds".into(),
    )
}

fn syntax(message: &str) -> (String, String) {
    (
        message.trim_end_matches('.').to_string(),
        "check the YAML syntax on this line: quote text that contains `: ` or starts with a special character".into(),
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text).trim()
}

/// A message without the location serde-saphyr appends (we print our own).
fn without_location(raw: &str) -> String {
    let first = first_line(raw);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// A name without the characters that are hard to see.
fn without_hidden(name: &str) -> String {
    name.chars().filter(|c| hard_to_see(*c).is_none()).collect()
}

/// How to fix an unknown key: the field it likely meant, or what to do with it.
fn unknown_field_hint(field: &str, expected: &[&str]) -> String {
    let seen = without_hidden(field);
    let suggestion = match did_you_mean(&seen, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if seen == "extra" || expected.is_empty() => {
            "remove it, or move it under `extra:` for templates".to_string()
        }
        None => format!(
            "remove it, or move it under `extra:`; known fields are: {}",
            expected.join(", ")
        ),
    };
    let Some((c, name)) = field.chars().find_map(|c| Some((c, hard_to_see(c)?))) else {
        return suggestion;
    };
    let hidden = format!(
        "the name holds {name} (U+{:04X}), which is hard to see",
        u32::from(c)
    );
    match expected.contains(&seen.as_str()) {
        true => format!("{hidden}: delete it to write `{seen}`"),
        false => format!("{hidden}: delete it; {suggestion}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Page {
        title: Option<String>,
        draft: Option<bool>,
        number: Option<u32>,
        weight: Option<i64>,
        tags: Option<Vec<String>>,
        extra: Option<serde_json::Value>,
        #[serde(default)]
        note: String,
    }

    fn explained(yaml: &str, value: Option<&str>) -> Explained {
        let err = serde_saphyr::from_str::<Page>(yaml).unwrap_err();
        explain(&err, value)
    }

    #[test]
    fn explains_type_errors_in_words() {
        let e = explained("draft: maybe\n", Some("maybe"));
        assert_eq!(e.message, "\"maybe\" is not true or false");
        assert!(e.hint.contains("`true` or `false`") && e.about_value);
        let e = explained("number: -1\n", Some("-1"));
        assert_eq!(e.message, "\"-1\" is not a whole number (0 or more)");
        let e = explained("weight: 1.5\n", None);
        assert_eq!(e.message, "expected a whole number");
        let e = explained("tags: {a: 1}\n", None);
        assert_eq!(e.message, "expected a list");
        assert!(e.hint.contains("- "));
        let e = explained("title: [a]\n", None);
        assert_eq!(e.message, "expected text");
    }

    #[test]
    fn explains_structure_errors_in_words() {
        let e = explained("title: A\ntitle: B\n", None);
        assert_eq!(e.message, "this field is written twice");
        let e = explained("title: x\n---\ntitle: y\n", None);
        assert!(e.message.contains("`---`") && !e.message.contains("from_str"));
        let e = explained("note:\n", None);
        assert_eq!(e.message, "expected text, but nothing is written");
        let e = explained("title: *x\n", None);
        assert!(e.message.contains("anchor"), "{e:?}");
        let e = explained("title: Prevention: a primer\n", None);
        assert_eq!(e.message, "mapping values are not allowed in this context");
        assert!(e.hint.contains("quote text"));
        let deep = format!("extra: {}x{}\n", "{a: ".repeat(100), "}".repeat(100));
        assert_eq!(
            explained(&deep, None).message,
            "the YAML is nested too deeply"
        );
    }

    #[test]
    fn hints_unknown_fields() {
        let e = explained("titel: x\n", None);
        assert_eq!(e.message, "unknown field `titel`");
        assert_eq!(e.hint, "did you mean `title`?");
        assert!(!e.about_value);
        let e = explained("zzz: x\n", None);
        assert!(e.hint.contains("known fields are: title, draft"), "{e:?}");
    }

    #[test]
    fn names_the_hidden_character_of_an_unknown_field() {
        let e = explained("title\u{a0}: x\n", None);
        assert_eq!(e.message, "unknown field `title<U+00A0>`");
        assert_eq!(
            e.hint,
            "the name holds a no-break space (U+00A0), which is hard to see: delete it to write `title`"
        );
        let e = explained("tit\u{200B}el: x\n", None);
        assert!(
            e.hint.ends_with("delete it; did you mean `title`?"),
            "{e:?}"
        );
        let err = serde_saphyr::from_str::<Page>("tit\u{200B}el: x\n").unwrap_err();
        assert_eq!(meant(&err).as_deref(), Some("title"));
    }
}
