//! YAML parsing shared by `site.yaml` and front matter: typed deserialisation with errors
//! turned into [`Diagnostic`]s that point at the right line of the right file.
//!
//! serde-saphyr is used rather than serde_yaml (archived): it is pure Rust, follows YAML 1.2
//! (so `no` stays the string "no"), and reports line and column for every error.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, Diagnostic};

/// Where a YAML fragment sits inside its file, so error positions can be made absolute.
#[derive(Debug, Clone, Copy)]
pub struct Fragment<'a> {
    /// The file the YAML comes from, relative to the site root.
    pub path: &'a Path,
    /// The whole text of that file, for source snippets.
    pub file_text: &'a str,
    /// The YAML itself.
    pub yaml: &'a str,
    /// How many lines of the file precede the YAML (1 for front matter after `---`).
    pub line_offset: usize,
}

impl Fragment<'_> {
    /// Deserialises the fragment into `T`, or explains in a diagnostic why it cannot.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        if let Some(d) = self.tab_indentation() {
            return Err(d);
        }
        serde_saphyr::from_str::<T>(self.yaml).map_err(|e| self.convert(&e))
    }

    /// YAML forbids tabs for indentation; say so plainly instead of a parser message.
    fn tab_indentation(&self) -> Option<Diagnostic> {
        self.yaml.lines().enumerate().find_map(|(i, line)| {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            indent.contains('\t').then(|| {
                let col = indent.find('\t').map_or(1, |c| c + 1);
                self.error_at(
                    i + 1,
                    col,
                    "a tab is used for indentation, which YAML does not allow",
                )
                .with_hint("indent with spaces instead of tabs (two spaces per level)")
            })
        })
    }

    /// An error at a line and column counted inside the fragment.
    pub fn error_at(&self, line: usize, col: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path, line + self.line_offset, col, message)
            .with_source(self.file_text)
    }

    fn convert(&self, err: &serde_saphyr::Error) -> Diagnostic {
        let (line, col) = err
            .location()
            .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let raw = err.without_snippet().to_string();
        // A wrong type is reported at its key; point at the value instead.
        let col = match raw.starts_with("invalid") {
            true => value_column(self.yaml, line)
                .filter(|v| col < *v)
                .unwrap_or(col),
            false => col,
        };
        let (what, hint) = explain(&raw, value_at(self.yaml, line, col));
        let message = match key_on_line(self.yaml, line) {
            Some(key) if !raw.starts_with("unknown field") && !raw.starts_with("missing field") => {
                format!("{key}: {what}")
            }
            _ => what,
        };
        self.error_at(line.max(1), col.max(1), message)
            .with_hint(hint)
    }

    /// The position of the value of `key` (a dotted path such as `venue.name`), for errors
    /// found after deserialisation (a date that does not parse, an end before a start).
    pub fn locate(&self, key_path: &str) -> (usize, usize) {
        let (line, col) = locate_key(self.yaml, key_path).unwrap_or((1, 1));
        (line + self.line_offset, col)
    }

    /// An error about the value of `key_path`, pointing at it.
    pub fn error_for(&self, key_path: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.locate(key_path);
        Diagnostic::error(self.path, line, col, message).with_source(self.file_text)
    }
}

/// The 1-based column of the value on a `key: value` line, for errors reported at the key.
fn value_column(yaml: &str, line: usize) -> Option<usize> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let key = key_on_line(yaml, line)?;
    let after = text.find(&format!("{key}:"))? + key.len() + 1;
    let rest = &text[after..];
    let value = rest.trim_start();
    (!value.is_empty()).then(|| after + (rest.len() - value.len()) + 1)
}

/// The mapping key written on a 1-based line, if the line is `key: ...`.
fn key_on_line(yaml: &str, line: usize) -> Option<&str> {
    let text = yaml
        .lines()
        .nth(line.checked_sub(1)?)?
        .trim_start()
        .trim_start_matches("- ");
    let (key, _) = text.split_once(':')?;
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

/// Strips serde-saphyr's trailing location (we print our own) and keeps the first line.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let first = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    first.trim_end_matches('.').to_string()
}

/// The plain scalar written at a 1-based line and column, without quotes, for messages.
fn value_at(yaml: &str, line: usize, col: usize) -> Option<&str> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let value = text.get(col.checked_sub(1)?..)?.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    (!value.is_empty() && !value.starts_with(['[', '{', '#']) && value.len() <= 60).then_some(value)
}

/// serde-saphyr's message in words an author understands, and how to fix it.
fn explain(raw: &str, value: Option<&str>) -> (String, String) {
    let message = clean_message(raw);
    let quoted = |what: &str, fallback: &str| match value {
        Some(v) => format!("\"{v}\" is not {what}"),
        None => fallback.to_string(),
    };
    if let Some(hint) = unknown_field_hint(raw) {
        let short = message
            .split(", expected")
            .next()
            .unwrap_or(&message)
            .to_string();
        return (short, hint);
    }
    if let Some(ty) = message.strip_prefix("invalid ") {
        let ty = ty.split_whitespace().next().unwrap_or(ty);
        if ty == "boolean" || ty == "bool" {
            return (
                quoted("true or false", "expected true or false"),
                "write `true` or `false`, without quotes".into(),
            );
        }
        if let Some(bits) = ty.strip_prefix(['i', 'u']) {
            if bits == "size" || bits.parse::<u8>().is_ok() {
                let what = if ty.starts_with('u') {
                    "a whole number (0 or more)"
                } else {
                    "a whole number"
                };
                return (
                    quoted(what, &format!("expected {what}")),
                    "write a whole number such as 3, without quotes".into(),
                );
            }
        }
        if ty == "f32" || ty == "f64" {
            return (
                quoted("a number", "expected a number"),
                "write a number such as 2.5, without quotes".into(),
            );
        }
    }
    let expected = |what: &str, hint: &str| (format!("expected {what}"), hint.to_string());
    match message.as_str() {
        "expected sequence start" => expected(
            "a list",
            "write a list: `[first, second]` on one line, or each item on its own line starting with `- `",
        ),
        "expected mapping start" => expected(
            "`name: value` fields",
            "write one `name: value` per line, indented under the field they belong to",
        ),
        "expected string scalar" | "expected scalar" => expected(
            "text",
            "write plain text here; put it in quotes if it starts with [ { * & ! or contains `: `",
        ),
        m if m.ends_with("expected text or a list of text") => expected(
            "a list",
            "write a list: `[first, second]` on one line, or each item on its own line starting with `- `",
        ),
        m if m.starts_with("duplicate mapping key") => (
            "this field is written twice".into(),
            "keep only one of the lines that set it".into(),
        ),
        m if m.starts_with("invalid type") || m.starts_with("invalid value") => (
            message,
            "check the value's type: text, a number, true/false, a list (- item) or a map (key: value)".into(),
        ),
        m if m.starts_with("missing field") => {
            let field = m.split('`').nth(1).unwrap_or("");
            (
                format!("the required field `{field}` is missing"),
                format!("add a `{field}: ...` line"),
            )
        }
        _ => (
            message,
            "check the YAML syntax on this line: quote text that contains `: ` or starts with a special character".into(),
        ),
    }
}

/// Turns serde's "unknown field `x`, expected one of a, b" into a "did you mean" hint.
fn unknown_field_hint(raw: &str) -> Option<String> {
    let rest = raw.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let list = rest.split(" at line ").next().unwrap_or(rest);
    let list = list.split_once("expected ").map_or("", |(_, l)| l);
    let list = list.strip_prefix("one of ").unwrap_or(list);
    let expected: Vec<&str> = list
        .split(", ")
        .map(|w| w.trim().trim_matches('`'))
        .filter(|w| !w.is_empty() && !w.contains(' '))
        .collect();
    Some(match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if field == "extra" || expected.is_empty() => {
            "remove it, or move it under `extra:` for templates".to_string()
        }
        None => format!(
            "remove it, or move it under `extra:`; known fields are: {}",
            expected.join(", ")
        ),
    })
}

/// Finds a key by dotted path in simple block-style YAML and returns the 1-based line and
/// column of its value (or of the key when the value is on following lines).
pub fn locate_key(yaml: &str, key_path: &str) -> Option<(usize, usize)> {
    let mut parent_indent: Option<usize> = None;
    let mut start = 0usize;
    let lines: Vec<&str> = yaml.lines().collect();
    let parts: Vec<&str> = key_path.split('.').collect();
    for (depth, part) in parts.iter().enumerate() {
        let mut found = None;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let indent = line.len() - line.trim_start().len();
            let body = line.trim_start().trim_start_matches("- ");
            if let Some(pi) = parent_indent {
                if indent <= pi && !line.trim().is_empty() && i > start {
                    break;
                }
            }
            let key_indent = line.len() - body.len();
            if body.starts_with(&format!("{part}:")) {
                found = Some((i, key_indent));
                break;
            }
        }
        let (i, key_indent) = found?;
        if depth + 1 == parts.len() {
            let line = lines[i];
            let after = key_indent + part.len() + 1;
            let value_offset = line[after..].len() - line[after..].trim_start().len();
            let col = if line[after..].trim().is_empty() {
                key_indent + 1
            } else {
                after + value_offset + 1
            };
            return Some((i + 1, col));
        }
        parent_indent = Some(key_indent);
        start = i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_values() {
        let yaml = "title: x\nvenue:\n  name: Hall\n  postcode: AB1\nstart: 2017-03-14\n";
        assert_eq!(locate_key(yaml, "start"), Some((5, 8)));
        assert_eq!(locate_key(yaml, "venue.postcode"), Some((4, 13)));
        assert_eq!(locate_key(yaml, "venue"), Some((2, 1)));
        assert_eq!(locate_key(yaml, "missing"), None);
    }

    #[test]
    fn explains_type_errors_in_words() {
        let (message, hint) = explain("invalid boolean", Some("maybe"));
        assert_eq!(message, "\"maybe\" is not true or false");
        assert!(hint.contains("`true` or `false`"));
        let (message, _) = explain("invalid u32", Some("-1"));
        assert_eq!(message, "\"-1\" is not a whole number (0 or more)");
        let (message, hint) = explain("expected sequence start", None);
        assert_eq!(message, "expected a list");
        assert!(hint.contains("- "));
        let (message, _) = explain(
            "duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable",
            None,
        );
        assert!(!message.contains("DuplicateKeyPolicy"));
    }

    #[test]
    fn hints_unknown_fields() {
        let raw = "unknown field `titel`, expected one of title, date at line 2, column 1";
        assert_eq!(
            unknown_field_hint(raw).as_deref(),
            Some("did you mean `title`?")
        );
    }
}
