//! YAML parsing shared by `site.yaml` and front matter: typed deserialisation with errors
//! turned into [`Diagnostic`]s that point at the right line of the right file.
//!
//! A file with several bad fields reports each of them: when the whole fails to read, each
//! top-level field is read alone ([`Fragment::parse_partial`]). Positions of values come from
//! the parser's own spans, so they are right in block and flow (`{ a: 1 }`) style alike.
//!
//! serde-saphyr is used rather than serde_yaml (archived): it is pure Rust, follows YAML 1.2
//! (so `no` stays the string "no"), and reports line and column for every error.

use std::borrow::Cow;
use std::path::Path;

use serde::de::{DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::Diagnostic;

mod explain;

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
                let col = indent.chars().position(|c| c == '\t').map_or(1, |c| c + 1);
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
        let col = match explain::reported_at_key(err) {
            true => value_column(self.yaml, line)
                .filter(|v| col < *v)
                .unwrap_or(col),
            false => col,
        };
        let col = match explain::unknown_field(err) {
            Some(field) => col + hidden_in_key(self.yaml, line, col, field),
            None => col,
        };
        let explained = explain::explain(err, value_at(self.yaml, line, col));
        let message = match key_before(self.yaml, line, col) {
            Some(key) if explained.about_value => format!("{key}: {}", explained.message),
            _ => explained.message,
        };
        let hint = match explain::is_syntax(err) {
            true => lookalike_dash_hint(self.yaml, line).unwrap_or(explained.hint),
            false => explained.hint,
        };
        self.error_at(line.max(1), col.max(1), message)
            .with_hint(hint)
    }

    /// The position of the value of `key` (a dotted path such as `venue.name`), for errors
    /// found after deserialisation (a date that does not parse, an end before a start).
    /// A number in the path picks an item of a list (`menu.2.url`). Works for block and
    /// flow (`{ ... }`, `[ ... ]`) style alike.
    pub fn locate(&self, key_path: &str) -> (usize, usize) {
        let (line, col) = locate(self.yaml, key_path).unwrap_or((1, 1));
        (line + self.line_offset, col)
    }

    /// Whether `key_path` is written, even with an empty value (`id:`).
    pub fn contains(&self, key_path: &str) -> bool {
        locate_node(self.yaml, key_path).is_some()
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
    (!value.is_empty()).then(|| column_at(text, after + (rest.len() - value.len())))
}

/// How many characters of an unknown key written at a line and column precede its first
/// character that is hard to see, so the error points at that character.
fn hidden_in_key(yaml: &str, line: usize, col: usize, key: &str) -> usize {
    let Some(text) = line.checked_sub(1).and_then(|i| yaml.lines().nth(i)) else {
        return 0;
    };
    match text[offset_of_column(text, col)..].starts_with(key) {
        true => key
            .chars()
            .position(|c| crate::diagnostics::hard_to_see(c).is_some())
            .unwrap_or(0),
        false => 0,
    }
}

/// For a syntax error on a line that starts with a dash that is not a hyphen (`— item`, as
/// word processors write it), how list items are written.
fn lookalike_dash_hint(yaml: &str, line: usize) -> Option<String> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?.trim_start();
    let dash = text.chars().next().filter(|c| {
        matches!(
            c,
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
        )
    })?;
    Some(format!(
        "a list item starts with a hyphen and a space (`- `); `{dash}` (U+{:04X}) is another character",
        u32::from(dash)
    ))
}

/// The 1-based column of byte offset `at` of a line, counted in characters as the parser
/// counts columns (`café: x` has its value at column 7, byte 8).
fn column_at(line: &str, at: usize) -> usize {
    line.get(..at).unwrap_or(line).chars().count() + 1
}

/// The byte offset in a line of a 1-based column counted in characters (the line's end when
/// the column is past it): the inverse of [`column_at`].
fn offset_of_column(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

/// Whether a character may be part of a plain key that messages name (`venue_name`, `café`).
fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The mapping key written on a 1-based line, if the line is `key: ...`.
fn key_on_line(yaml: &str, line: usize) -> Option<&str> {
    let text = yaml
        .lines()
        .nth(line.checked_sub(1)?)?
        .trim_start()
        .trim_start_matches("- ");
    let (key, _) = text.split_once(':')?;
    (!key.is_empty() && key.chars().all(is_key_char)).then_some(key)
}

/// The key whose value is at a 1-based line and column: the key of the line, or inside a
/// flow mapping (`registration: {url: x, capacity: lots}`) the key just before the value.
fn key_before(yaml: &str, line: usize, col: usize) -> Option<&str> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    let before = &text[..offset_of_column(text, col)];
    if !in_flow(before) {
        return key_on_line(yaml, line);
    }
    let colon = before
        .char_indices()
        .rev()
        .find(|(i, c)| *c == ':' && before[i + 1..].starts_with(char::is_whitespace))
        .map(|(i, _)| i)?;
    let head = &before[..colon];
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !is_key_char(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let key = &head[start..];
    (!key.is_empty()).then_some(key)
}

/// Whether the end of `text` is inside a flow collection (`{ ...` or `[ ...`).
fn in_flow(text: &str) -> bool {
    let open = text.matches(['{', '[']).count();
    open > 0 && open > text.matches(['}', ']']).count()
}

/// The first scalar of flow text (`lots}` is `lots`; a quoted one keeps its quotes).
fn flow_scalar(value: &str) -> &str {
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].find(q).map_or(value, |end| &value[..end + 2]),
        _ => value
            .split([',', '}', ']'])
            .next()
            .unwrap_or(value)
            .trim_end(),
    }
}

/// The plain scalar written at a 1-based line and column, without quotes, for messages.
fn value_at(yaml: &str, line: usize, col: usize) -> Option<&str> {
    let text = yaml.lines().nth(line.checked_sub(1)?)?;
    if col == 0 {
        return None;
    }
    let start = offset_of_column(text, col);
    let value = text[start..].trim();
    let value = match in_flow(&text[..start]) {
        true => flow_scalar(value),
        false => value,
    };
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    (!value.is_empty() && !value.starts_with(['[', '{', '#']) && value.len() <= 60).then_some(value)
}

/// Where the value at `key_path` is written: at the value for a scalar; at the key for a
/// mapping or list written on the lines below it.
fn locate(yaml: &str, key_path: &str) -> Option<(usize, usize)> {
    let by_key = || {
        let indexed = key_path.split('.').any(|p| p.parse::<usize>().is_ok());
        (!indexed).then(|| locate_key(yaml, key_path)).flatten()
    };
    match locate_node(yaml, key_path) {
        Some((line, col, false)) => Some((line, col)),
        Some((line, col, true)) => by_key().or(Some((line, col))),
        None => by_key(),
    }
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
                column_at(line, key_indent)
            } else {
                column_at(line, after + value_offset)
            };
            return Some((i + 1, col));
        }
        parent_indent = Some(key_indent);
        start = i + 1;
    }
    None
}

/// A YAML document reduced to its shape and the position of every node, for pointing at
/// values however they are written (block or flow style, inside lists).
#[derive(Debug)]
enum Node {
    /// A mapping, its keys in order.
    Map(Vec<(String, Spanned<Node>)>),
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// A scalar or null.
    Scalar,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// Builds a [`Node`] from whatever the YAML holds.
struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_i128<E>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_u128<E>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_bytes<E>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<KeyText, Spanned<Node>>()? {
            entries.push((key.0, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A mapping key as text, whatever scalar it is written as.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyText;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }

            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

/// Where the node at `key_path` (dotted; a number picks a list item) is written: its
/// 1-based line and column, and whether it holds a mapping or list rather than a scalar.
fn locate_node(yaml: &str, key_path: &str) -> Option<(usize, usize, bool)> {
    let mut node = serde_saphyr::from_str::<Spanned<Node>>(yaml).ok()?;
    for part in key_path.split('.') {
        let child = match node.value {
            Node::Map(entries) => entries.into_iter().find(|(k, _)| k == part).map(|(_, v)| v),
            Node::Seq(items) => part
                .parse()
                .ok()
                .and_then(|i: usize| items.into_iter().nth(i)),
            Node::Scalar => None,
        };
        node = child?;
    }
    let at = node.referenced;
    let container = !matches!(node.value, Node::Scalar);
    (at.line() > 0).then(|| (at.line() as usize, at.column().max(1) as usize, container))
}

/// A fragment read field by field: the value of its good fields and the errors of the others.
#[derive(Debug)]
pub struct Partial<'a, T> {
    /// The value of the fields without errors; `None` when even they cannot be read.
    pub value: Option<T>,
    /// The YAML with the lines of bad fields left blank (so line numbers are unchanged): the
    /// text to locate later errors in.
    pub good_yaml: Cow<'a, str>,
    /// Every error found, in line order.
    pub errors: Vec<Diagnostic>,
    /// Fields written but not read: keys with errors, and the fields unknown keys likely
    /// meant. "This field is required" errors about them would only repeat an error.
    pub failed: Vec<String>,
}

/// One top-level `key: value` of a mapping, with the lines below it that belong to it.
#[derive(Debug)]
pub(crate) struct Field<'a> {
    /// The key, as written.
    pub(crate) key: &'a str,
    /// The field's lines, the key's included.
    pub(crate) text: &'a str,
    /// 0-based line of the key within the fragment.
    pub(crate) first_line: usize,
}

impl Field<'_> {
    /// How many lines of the fragment the field takes.
    pub(crate) fn line_count(&self) -> usize {
        self.text.lines().count().max(1)
    }

    /// Whether a 0-based line of the fragment belongs to this field.
    fn holds(&self, line: usize) -> bool {
        (self.first_line..self.first_line + self.line_count()).contains(&line)
    }
}

/// The key of a line that starts a top-level mapping entry (`key: value` at column 1).
fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if let Some(quote) = ['"', '\''].into_iter().find(|q| *q == first) {
        let end = line[1..].find(quote)? + 1;
        return line[end + 1..].starts_with(':').then(|| &line[1..end]);
    }
    if first.is_whitespace() || "-#{}[]?&*!|>%@`,".contains(first) {
        return None;
    }
    let colon = line.char_indices().find_map(|(i, c)| {
        let next = || line[i + 1..].chars().next();
        (c == ':' && next().is_none_or(char::is_whitespace)).then_some(i)
    })?;
    Some(line[..colon].trim_end())
}

/// Splits a block mapping into its top-level fields; `None` when it is not written so.
pub(crate) fn top_level_fields(yaml: &str) -> Option<Vec<Field<'_>>> {
    let mut fields: Vec<Field> = Vec::new();
    let mut offset = 0;
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        if let Some(key) = top_level_key(line) {
            if let Some(last) = fields.last_mut() {
                let start = last.text.as_ptr() as usize - yaml.as_ptr() as usize;
                last.text = &yaml[start..offset];
            }
            fields.push(Field {
                key,
                text: &yaml[offset..],
                first_line: i,
            });
        } else if fields.is_empty() && !matches!(line.trim_start().chars().next(), None | Some('#'))
        {
            return None;
        }
        offset += line.len();
    }
    Some(fields)
}

/// The names of the fields a struct reads, as its `Deserialize` implementation declares
/// them (serde's derive hands them to the deserializer): for checking keys before reading.
/// Empty for a type that is not read as a struct.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let found = std::cell::Cell::new(None);
    let _ = T::deserialize(FieldNames(&found));
    found.get().unwrap_or(&[])
}

/// A deserializer that reads nothing: it notes the fields a struct asks for, then stops.
struct FieldNames<'a>(&'a std::cell::Cell<Option<&'static [&'static str]>>);

/// Why [`FieldNames`] stops: always, once it has what it came for.
#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("only the field names were asked for")
    }
}

impl std::error::Error for Stop {}

impl serde::de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0.set(Some(fields));
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The error of one field read alone.
#[derive(Debug)]
struct FieldError {
    /// The field's index, or `None` for an error no single field has (read with the others).
    field: Option<usize>,
    error: Diagnostic,
    /// The known field an unknown key likely meant.
    meant: Option<String>,
}

impl<'a> Fragment<'a> {
    /// Deserialises the fragment into `T`; when that fails, reads each top-level field alone
    /// so that every bad field is reported, and reads `T` from the good ones.
    pub fn parse_partial<T: DeserializeOwned>(&self) -> Partial<'a, T> {
        let only = |errors: Vec<Diagnostic>| Partial {
            value: None,
            good_yaml: Cow::Borrowed(self.yaml),
            errors,
            failed: Vec::new(),
        };
        if let Some(d) = self.tab_indentation() {
            return only(vec![d]);
        }
        let whole = match serde_saphyr::from_str::<T>(self.yaml) {
            Ok(value) => {
                return Partial {
                    value: Some(value),
                    ..only(Vec::new())
                }
            }
            Err(e) => self.convert(&e),
        };
        let Some(fields) = top_level_fields(self.yaml) else {
            return only(vec![whole]);
        };
        let mut bad = self.field_errors::<T>(&fields);
        if bad.is_empty() {
            return only(vec![whole]);
        }
        // The whole document's error is the one reported until now: keep it for its field.
        let whole_line = whole.line.saturating_sub(self.line_offset + 1);
        let holds = |e: &FieldError| {
            e.field
                .and_then(|i| fields.get(i))
                .is_some_and(|f| f.holds(whole_line))
        };
        match bad.iter_mut().find(|e| holds(e)) {
            Some(e) => e.error = whole,
            None => bad.push(FieldError {
                field: None,
                error: whole,
                meant: None,
            }),
        }
        read_good_fields(self.yaml, &fields, bad)
    }

    /// The error of each field read alone. A repeated key is an error of its second field.
    fn field_errors<T: DeserializeOwned>(&self, fields: &[Field]) -> Vec<FieldError> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let line = field.first_line + 1;
            if !seen.insert(field.key) {
                let twice = explain::written_twice();
                let error = self.error_at(line, 1, format!("{}: {}", field.key, twice.message));
                out.push(FieldError {
                    field: Some(i),
                    error: error.with_hint(twice.hint),
                    meant: None,
                });
                continue;
            }
            let Err(e) = serde_saphyr::from_str::<T>(field.text) else {
                continue;
            };
            if explain::is_missing_field(&e) {
                continue;
            }
            let alone = Fragment {
                yaml: field.text,
                line_offset: self.line_offset + field.first_line,
                ..*self
            };
            out.push(FieldError {
                field: Some(i),
                error: alone.convert(&e),
                meant: explain::meant(&e),
            });
        }
        out
    }
}

/// Reads `T` from the fields without errors, the others left as blank lines.
fn read_good_fields<'a, T: DeserializeOwned>(
    yaml: &str,
    fields: &[Field],
    bad: Vec<FieldError>,
) -> Partial<'a, T> {
    let is_bad = |i: usize| bad.iter().any(|e| e.field == Some(i));
    let preamble = fields.first().map_or(yaml.len(), |f| {
        f.text.as_ptr() as usize - yaml.as_ptr() as usize
    });
    let mut good_yaml = yaml[..preamble].to_string();
    for (i, field) in fields.iter().enumerate() {
        match is_bad(i) {
            true => good_yaml.push_str(&"\n".repeat(field.line_count())),
            false => good_yaml.push_str(field.text),
        }
    }
    let mut failed = Vec::new();
    let mut errors = Vec::new();
    for e in bad {
        failed.extend(
            e.field
                .and_then(|i| fields.get(i))
                .map(|f| f.key.to_string()),
        );
        failed.extend(e.meant);
        errors.push(e.error);
    }
    crate::diagnostics::sort(&mut errors);
    Partial {
        value: serde_saphyr::from_str::<T>(&good_yaml).ok(),
        good_yaml: Cow::Owned(good_yaml),
        errors,
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_those_a_struct_reads() {
        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Two {
            title: String,
            #[serde(rename = "sort_by")]
            order: Option<String>,
        }
        assert_eq!(field_names::<Two>(), &["title", "sort_by"]);
        assert!(field_names::<String>().is_empty());
    }

    #[test]
    fn locates_nested_values() {
        let yaml = "title: x\nvenue:\n  name: Hall\n  postcode: AB1\nstart: 2017-03-14\n";
        assert_eq!(locate_key(yaml, "start"), Some((5, 8)));
        assert_eq!(locate_key(yaml, "venue.postcode"), Some((4, 13)));
        assert_eq!(locate_key(yaml, "venue"), Some((2, 1)));
        assert_eq!(locate_key(yaml, "missing"), None);
    }

    #[test]
    fn locates_values_in_flow_style_and_lists() {
        let yaml = "reg: {url: x, closes: soon}\nmenu:\n  - title: A\n    url: a\nm: [ {url: b}, {url: c} ]\n";
        assert_eq!(locate(yaml, "reg.closes"), Some((1, 23)));
        assert_eq!(locate(yaml, "menu.0.url"), Some((4, 10)));
        assert_eq!(locate(yaml, "m.1.url"), Some((5, 22)));
        assert_eq!(locate(yaml, "menu"), Some((2, 1)));
        assert_eq!(locate(yaml, "menu.3.url"), None);
    }

    #[test]
    fn names_the_key_of_a_value_inside_braces() {
        let yaml = "registration: {url: x, capacity: lots}\n";
        assert_eq!(key_before(yaml, 1, 34), Some("capacity"));
        assert_eq!(value_at(yaml, 1, 34), Some("lots"));
        assert_eq!(key_before("tags: 5\n", 1, 7), Some("tags"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let yaml = "registration: {url: caf\u{e9}, capacity: lots}\n";
        assert_eq!(key_before(yaml, 1, 37), Some("capacity"));
        assert_eq!(value_at(yaml, 1, 37), Some("lots"));
        assert_eq!(value_column("caf\u{e9}: 5\n", 1), Some(7));
        assert_eq!(locate_key("\u{a0}title: x\n", "title"), Some((1, 9)));
        assert_eq!(top_level_key("caf\u{e9}: 1"), Some("caf\u{e9}"));
        assert_eq!(top_level_key("\u{2014} x: y"), Some("\u{2014} x"));
    }

    #[test]
    fn splits_top_level_fields() {
        let yaml = "# note\ntitle: A\ntags:\n- a\n- b\nsummary: |\n  weight: 3\nweight: x";
        let fields = top_level_fields(yaml).unwrap();
        let keys: Vec<(&str, usize, usize)> = fields
            .iter()
            .map(|f| (f.key, f.first_line, f.line_count()))
            .collect();
        assert_eq!(
            keys,
            [
                ("title", 1, 1),
                ("tags", 2, 3),
                ("summary", 5, 2),
                ("weight", 7, 1)
            ]
        );
        assert!(top_level_fields("{title: A}\n").is_none());
    }

    #[test]
    fn reads_the_good_fields_of_a_bad_file() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Page {
            title: Option<String>,
            weight: Option<i64>,
            draft: Option<bool>,
        }
        let fragment = Fragment {
            path: Path::new("a.md"),
            file_text: "---\ntitel: A\nweight: x\ndraft: true\n---\n",
            yaml: "titel: A\nweight: x\ndraft: true\n",
            line_offset: 1,
        };
        let read = fragment.parse_partial::<Page>();
        let lines: Vec<usize> = read.errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 3]);
        assert_eq!(read.failed, ["titel", "title", "weight"]);
        let page = read.value.unwrap();
        assert_eq!(
            (page.title, page.weight, page.draft),
            (None, None, Some(true))
        );
        assert_eq!(read.good_yaml, "\n\ndraft: true\n");
    }

    /// Every reader of positions takes any text: a character of several bytes, one that is
    /// invisible or changes the direction of text, a tab or a carriage return inserted
    /// anywhere in a line must not make it cut a string inside a character.
    #[test]
    fn odd_characters_anywhere_in_a_line_do_not_panic() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Page {
            title: Option<String>,
            venue: Option<std::collections::BTreeMap<String, String>>,
            key: Option<String>,
        }
        let bases = [
            "title: x",
            "venue: {name: a, postcode: b}",
            "- item",
            "key: \"q\"",
        ];
        let odd = [
            "\u{e9}",
            "\u{2014}",
            "\u{a0}",
            "\u{200B}",
            "\u{200F}",
            "\u{202E}",
            "\u{1F600}",
            "\t",
            "\r",
        ];
        for base in bases {
            let cuts = base.char_indices().map(|(i, _)| i).chain([base.len()]);
            for (at, c) in cuts.flat_map(|at| odd.map(|c| (at, c))) {
                let line = format!("{}{c}{}", &base[..at], &base[at..]);
                for yaml in [
                    format!("{line}\n"),
                    format!("title: A\n{line}\n"),
                    format!("venue:\n  {line}\n"),
                ] {
                    read_everything::<Page>(&yaml);
                }
            }
        }
    }

    /// Shapes of YAML an author may write by mistake or a tool may produce — anchors and
    /// aliases (a billion laughs among them), deep nesting, numbers too big for any type,
    /// keys written twice at any depth, tags, several documents — read as front matter and
    /// as a file's whole text: each is read or refused with an error inside the fragment,
    /// never a panic.
    #[test]
    fn unusual_yaml_structures_are_read_or_refused_without_panic() {
        // With the stack of the binary's main thread: a debug build's frames are several
        // times the size of the release build's, which reads these on 2 MiB threads.
        let reader = std::thread::Builder::new().stack_size(8 << 20);
        let read = reader.spawn(read_unusual_structures).unwrap();
        assert!(read.join().is_ok());
    }

    /// Reads each case as a struct of known fields and as any value (aliases expanded).
    fn read_unusual_structures() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Page {
            title: Option<String>,
            summary: Option<String>,
            weight: Option<i64>,
            paginate: Option<u64>,
            venue: Option<std::collections::BTreeMap<String, String>>,
            extra: Option<serde_json::Value>,
        }
        let laughs = (1..9).fold(
            "a0: &a0 [x, x, x, x, x, x, x, x, x]\n".to_string(),
            |y, n| {
                let refs = vec![format!("*a{}", n - 1); 9].join(", ");
                format!("{y}a{n}: &a{n} [{refs}]\n")
            },
        );
        let deep = format!("title: {}x{}\n", "[".repeat(2000), "]".repeat(2000));
        let deep_block: String = (0..300)
            .map(|n| format!("{}k{n}:\n", "  ".repeat(n)))
            .collect();
        let cases = [
            "title: &t A\nsummary: *t\n".to_string(),
            "title: *nothing\n".to_string(),
            "base: &b {x: 1}\nextra:\n  <<: *b\n  y: 2\n".to_string(),
            laughs,
            deep,
            format!("extra:\n{deep_block}"),
            "weight: 99999999999999999999999999999999999999999\n".to_string(),
            "weight: -1e400\ntitle: 1e999\n".to_string(),
            "paginate: 340282366920938463463374607431768211456\n".to_string(),
            "title: A\ntitle: B\n".to_string(),
            "extra:\n  a: 1\n  a: 2\n".to_string(),
            "venue: {name: a, name: b}\n".to_string(),
            "title: !!binary aGVsbG8=\n".to_string(),
            "title: !custom x\n".to_string(),
            "title: A\n---\ntitle: B\n".to_string(),
            "? [complex, key]\n: value\n".to_string(),
            "title: \"unterminated\n".to_string(),
            "\t- tabbed\n".to_string(),
            "title:\t x\n".to_string(),
            "- a\n- b\n".to_string(),
            "\"\": empty key\n".to_string(),
            "~: null key\n".to_string(),
            ": no key\n".to_string(),
            "title: |\n  block\n   odd indent\n x\n".to_string(),
            "title: '\u{1F600}\u{202E}\u{200B}'\n".to_string(),
            "\u{feff}title: bom\n".to_string(),
        ];
        for yaml in &cases {
            for (path, line_offset) in [("content/a.md", 1), ("site.yaml", 0)] {
                let fragment = Fragment {
                    path: Path::new(path),
                    file_text: yaml,
                    yaml,
                    line_offset,
                };
                let lines = yaml.lines().count() + line_offset + 1;
                let strict = fragment.parse_partial::<Page>().errors;
                let loose = fragment.parse_partial::<serde_json::Value>().errors;
                for error in strict.into_iter().chain(loose) {
                    assert!(
                        error.line <= lines,
                        "{path}: {yaml:?}: an error past the end: {error}"
                    );
                }
                if yaml.len() < 200 {
                    read_everything::<Page>(yaml);
                }
            }
        }
    }

    /// Calls every reader of positions on `yaml`, at every line and column.
    fn read_everything<T: DeserializeOwned>(yaml: &str) {
        let fragment = Fragment {
            path: Path::new("a.md"),
            file_text: yaml,
            yaml,
            line_offset: 1,
        };
        let _ = fragment.parse::<T>().map_err(|d| d.to_string());
        let _ = fragment.parse_partial::<T>();
        for line in yaml.lines() {
            let _ = top_level_key(line);
        }
        for key in ["title", "venue", "venue.name", "key", "item"] {
            let _ = locate_key(yaml, key);
            let _ = fragment.locate(key);
        }
        let longest = yaml.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        for line in 0..=yaml.lines().count() + 1 {
            let _ = value_column(yaml, line);
            for col in 0..=longest + 2 {
                let _ = (value_at(yaml, line, col), key_before(yaml, line, col));
            }
        }
    }
}
