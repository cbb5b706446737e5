//! YAML parsing shared by `site.yaml` and front matter: typed deserialisation with errors
//! turned into [`Diagnostic`]s that point at the right line of the right file.
//!
//! What reads YAML, and why:
//! - **One typed parse** (`serde_saphyr::from_str::<T>`) reads the values. On the happy path
//!   it is the only one.
//! - **One spanned tree** (`tree::Tree`) is the only reader of positions and keys: which
//!   key an error is about, what a bad value says, where `venue.name` is written, where each
//!   top-level field starts. It is parsed at most once per [`Fragment`], and only when a
//!   message needs a position. Its positions are the parser's own, so they are right in
//!   block and flow (`{ a: 1 }`) style alike.
//! - **A line splitter** (`split_lines`, with `key_on_line` for the key a syntax error's line
//!   starts with) is only the recovery path for a document that is not YAML (a syntax
//!   error), which has no tree, so that its other fields are still read and reported.
//!
//! Hints about syntax read lines too (a tab used for indentation, a dash that is not a
//! hyphen): they say what is wrong with a line, not where anything is.
//!
//! A file with several bad fields reports each of them: when the whole fails to read, each
//! top-level field is read alone ([`Fragment::parse_partial`]), and within a bad field whose
//! value is a mapping each entry is read alone (the others left blank), down the mappings it
//! holds; the good entries are kept, so that errors found after reading (a date) are found
//! in the same run. Messages name a nested key by its dotted path (`registration.capacity`).
//!
//! serde-saphyr is used rather than serde_yaml (archived): it is pure Rust, follows YAML 1.2
//! (so `no` stays the string "no"), and reports line and column for every error.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;

use serde::de::{DeserializeOwned, Deserializer, Visitor};

use crate::diagnostics::Diagnostic;
use tree::{Kind, Pos, Tree};

mod explain;
mod tree;

/// Where a YAML fragment sits inside its file, so error positions can be made absolute; and,
/// once a message has needed one, where everything in it is written.
#[derive(Debug, Clone)]
pub struct Fragment<'a> {
    /// The file the YAML comes from, relative to the site root.
    pub path: &'a Path,
    /// The whole text of that file, for source snippets.
    pub file_text: &'a str,
    /// The YAML itself.
    yaml: &'a str,
    /// How many lines of the file precede the YAML (1 for front matter after `---`).
    pub line_offset: usize,
    /// The spanned tree of `yaml`, parsed the first time a position is asked for; `None`
    /// inside when `yaml` is not YAML.
    tree: OnceCell<Option<Tree>>,
}

impl<'a> Fragment<'a> {
    /// The YAML `yaml` of the file at `path` (whose whole text is `file_text`), which starts
    /// after `line_offset` lines of it.
    pub fn new(path: &'a Path, file_text: &'a str, yaml: &'a str, line_offset: usize) -> Self {
        Fragment {
            path,
            file_text,
            yaml,
            line_offset,
            tree: OnceCell::new(),
        }
    }

    /// The same file and lines, holding other YAML (the text with some fields left blank).
    pub fn with_yaml(&self, yaml: &'a str) -> Fragment<'a> {
        Fragment::new(self.path, self.file_text, yaml, self.line_offset)
    }

    /// One field of this fragment, read alone: its text starts at the 0-based `first_line`.
    pub(crate) fn field(&self, field: &Field<'a>) -> Fragment<'a> {
        Fragment::new(
            self.path,
            self.file_text,
            field.text,
            self.line_offset + field.first_line,
        )
    }

    /// The YAML itself.
    pub fn yaml(&self) -> &'a str {
        self.yaml
    }

    /// The spanned tree of the YAML, parsed on first use.
    fn tree(&self) -> Option<&Tree> {
        self.tree.get_or_init(|| Tree::parse(self.yaml)).as_ref()
    }
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
        let at = Pos { line, col };
        let at = match explain::reported_at_key(err) {
            true => self.value_of_key_at(at).unwrap_or(at),
            false => at,
        };
        let col = match explain::unknown_field(err) {
            Some(field) => at.col + self.hidden_in_key(at, field),
            None => at.col,
        };
        let at = Pos { col, ..at };
        let explained = explain::explain(err, self.value_at(at).as_deref());
        let message = match self.key_of(at) {
            Some(key) if explained.about_value => format!("{key}: {}", explained.message),
            _ => explained.message,
        };
        let hint = match explain::is_syntax(err) {
            true => lookalike_dash_hint(self.yaml, line).unwrap_or(explained.hint),
            false => explained.hint,
        };
        self.error_at(at.line.max(1), at.col.max(1), message)
            .with_hint(hint)
    }

    /// For an error the parser places at a key although it is about the value: where the
    /// value is, when it is written on the key's line.
    fn value_of_key_at(&self, at: Pos) -> Option<Pos> {
        let value = &self.tree()?.key_at(at)?.value;
        (value.at.line == at.line && value.at.col > at.col).then_some(value.at)
    }

    /// How many characters of an unknown key written at `at` precede its first character
    /// that is hard to see, so the error points at that character. The parser names the key
    /// and where it is, so no tree is needed (nor is there one when a later line is not
    /// YAML); zero for a quoted key, whose characters are not where the key's text says.
    fn hidden_in_key(&self, at: Pos, key: &str) -> usize {
        let written = offset_of(self.yaml, at).and_then(|i| self.yaml.get(i..));
        match written.is_some_and(|w| w.starts_with(key)) {
            true => key
                .chars()
                .position(|c| crate::diagnostics::hard_to_see(c).is_some())
                .unwrap_or(0),
            false => 0,
        }
    }

    /// The scalar written at `at`, without quotes and with any character that is hard to see
    /// spelled out, for messages: only a short one on one line.
    fn value_at(&self, at: Pos) -> Option<Cow<'_, str>> {
        let text = self.tree()?.scalar_at(at)?.text(self.yaml)?;
        let text = text.trim_end_matches(['\n', '\r']);
        let value = ['"', '\'']
            .into_iter()
            .find_map(|q| text.strip_prefix(q)?.strip_suffix(q))
            .unwrap_or(text);
        let plain = !value.is_empty() && !value.contains(['\n', '\r']) && value.len() <= 60;
        plain.then(|| crate::diagnostics::spell_out_hidden(value))
    }

    /// The key whose value (or which itself) is written at `at`, as a dotted path inside a
    /// mapping (`registration.capacity`). For a document that is not YAML the tree cannot
    /// say, and the key is read from the error's line.
    fn key_of(&self, at: Pos) -> Option<String> {
        let key = match self.tree() {
            Some(tree) => return tree.path_at(at),
            None => key_written_before(self.yaml, at),
        };
        key.filter(|k| !k.is_empty()).map(str::to_string)
    }

    /// The position of the value of `key` (a dotted path such as `venue.name`), for errors
    /// found after deserialisation (a date that does not parse, an end before a start).
    /// A number in the path picks an item of a list (`menu.2.url`). Works for block and
    /// flow (`{ ... }`, `[ ... ]`) style alike.
    pub fn locate(&self, key_path: &str) -> (usize, usize) {
        self.written_at(key_path)
            .unwrap_or((1 + self.line_offset, 1))
    }

    /// Where the value of `key_path` is written in the file, as [`Fragment::locate`] tells
    /// it; `None` when it is not written.
    pub fn written_at(&self, key_path: &str) -> Option<(usize, usize)> {
        let at = self.position_of(key_path)?;
        Some((at.line + self.line_offset, at.col))
    }

    /// Where the value at `key_path` is written: at the value for a scalar and for a mapping
    /// or list that starts on its key's line; at the key for one written on the lines below.
    fn position_of(&self, key_path: &str) -> Option<Pos> {
        let (node, entry) = self.tree()?.find(key_path)?;
        match (entry, &node.kind) {
            (Some(e), Kind::Map(_) | Kind::Seq(_)) if node.at.line > e.key_at.line => {
                Some(e.key_at)
            }
            _ => Some(node.at),
        }
    }

    /// Whether `key_path` is written, even with an empty value (`id:`).
    pub fn contains(&self, key_path: &str) -> bool {
        self.tree().is_some_and(|t| t.find(key_path).is_some())
    }

    /// An error about the value of `key_path`, pointing at it.
    pub fn error_for(&self, key_path: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.locate(key_path);
        Diagnostic::error(self.path, line, col, message).with_source(self.file_text)
    }
}

/// The byte offset in `yaml` of a position the parser gives, whose lines end at `\n`, `\r\n`
/// or a lone `\r` as YAML's do; `None` for a position past the text.
fn offset_of(yaml: &str, at: Pos) -> Option<usize> {
    let mut here = Pos { line: 1, col: 1 };
    let mut chars = yaml.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if here == at {
            return Some(i);
        }
        match c {
            '\r' if chars.peek().is_some_and(|(_, next)| *next == '\n') => {}
            '\n' | '\r' => {
                here = Pos {
                    line: here.line + 1,
                    col: 1,
                }
            }
            _ => here.col += 1,
        }
    }
    (here == at).then_some(yaml.len())
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

/// Recovery for a document that is not YAML, which has no tree: the key written before a
/// position, to name it in a syntax error there. The key of the line, or inside a flow
/// mapping (`registration: {url: "x, capacity: 3}`) the key just before the position.
fn key_written_before(yaml: &str, at: Pos) -> Option<&str> {
    let text = yaml.lines().nth(at.line.checked_sub(1)?)?;
    let before = text
        .char_indices()
        .nth(at.col.saturating_sub(1))
        .map_or(text, |(i, _)| &text[..i]);
    let open = before.matches(['{', '[']).count();
    if open == 0 || open <= before.matches(['}', ']']).count() {
        return key_on_line(yaml, at.line);
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
    Some(&head[start..])
}

/// Whether a character may be part of a plain key that messages name (`venue_name`, `café`).
fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The mapping key written on a 1-based line, if the line is `key: ...` (for
/// [`key_written_before`]).
fn key_on_line(yaml: &str, line: usize) -> Option<&str> {
    let text = yaml
        .lines()
        .nth(line.checked_sub(1)?)?
        .trim_start()
        .trim_start_matches("- ");
    let (key, _) = text.split_once(':')?;
    (!key.is_empty() && key.chars().all(is_key_char)).then_some(key)
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
    /// The key.
    pub(crate) key: String,
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

impl<'a> Fragment<'a> {
    /// Splits a block mapping into its top-level fields, each from its key's line to the
    /// next key's; `None` when it is not written so (a flow mapping `{title: A}`, a key that
    /// does not start its line). The tree says where the keys are; for a document that is
    /// not YAML, the lines are split as they look ([`split_lines`]).
    pub(crate) fn fields(&self) -> Option<Vec<Field<'a>>> {
        let Some(tree) = self.tree() else {
            return split_lines(self.yaml);
        };
        let entries = tree.top_level()?;
        let block = entries.first().is_none_or(|e| e.key_at == tree.root_at());
        let starts_lines = entries.iter().all(|e| e.key_at.col == 1);
        let in_order = entries
            .windows(2)
            .all(|w| w[0].key_at.line < w[1].key_at.line);
        if !(block && starts_lines && in_order) {
            return None;
        }
        let ends = entries.iter().skip(1).map(|e| e.key_byte);
        let ends = ends.chain([self.yaml.len()]);
        entries
            .iter()
            .zip(ends)
            .map(|(e, end)| {
                Some(Field {
                    key: e.key.clone(),
                    text: self.yaml.get(e.key_byte..end)?,
                    first_line: e.key_at.line - 1,
                })
            })
            .collect()
    }
}

/// Recovery for a document that is not YAML, which has no tree: the key of a line that looks
/// like it starts a top-level mapping entry (`key: value` at column 1).
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

/// Recovery for a document that is not YAML (a syntax error), which has no tree: splits it
/// into the top-level fields its lines look like, so that the fields without the error are
/// still read and the others reported each. `None` when it does not look like a block mapping.
fn split_lines(yaml: &str) -> Option<Vec<Field<'_>>> {
    let mut fields: Vec<Field> = Vec::new();
    let mut offset = 0;
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        if let Some(key) = top_level_key(line) {
            if let Some(last) = fields.last_mut() {
                let start = last.text.as_ptr() as usize - yaml.as_ptr() as usize;
                last.text = &yaml[start..offset];
            }
            fields.push(Field {
                key: key.to_string(),
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
    /// The bytes of the fragment the error is about when they are one entry of the field's
    /// mapping (the rest of the field is good); `None` for the whole field.
    entry: Option<Range<usize>>,
    /// The dotted path of that entry (`registration.capacity`), or the field's key.
    key: String,
    error: Diagnostic,
    /// The known field an unknown key likely meant.
    meant: Option<String>,
}

impl<'a> Fragment<'a> {
    /// The fragment read as a whole into `T`, when it reads so without an error. Nothing is
    /// explained otherwise: for a caller that then reads it another way.
    pub fn parse_whole<T: DeserializeOwned>(&self) -> Option<Partial<'a, T>> {
        if self.tab_indentation().is_some() {
            return None;
        }
        let value = serde_saphyr::from_str::<T>(self.yaml).ok()?;
        Some(Partial {
            value: Some(value),
            good_yaml: Cow::Borrowed(self.yaml),
            errors: Vec::new(),
            failed: Vec::new(),
        })
    }

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
        let Some(fields) = self.fields() else {
            return only(vec![whole]);
        };
        let mut bad = self.field_errors::<T>(&fields);
        if bad.is_empty() {
            return only(vec![whole]);
        }
        // The whole document's error is the one reported until now: keep it for its field
        // (for its entry, when the field's entries were read each alone).
        let whole_line = whole.line.saturating_sub(self.line_offset + 1);
        let holds = |e: &FieldError| {
            e.field
                .and_then(|i| fields.get(i))
                .is_some_and(|f| f.holds(whole_line))
        };
        let same_place = |e: &FieldError| (e.error.line, e.error.col) == (whole.line, whole.col);
        match bad
            .iter()
            .position(same_place)
            .or(bad.iter().position(holds))
        {
            Some(i) if bad[i].entry.is_none() || same_place(&bad[i]) => bad[i].error = whole,
            Some(_) => {}
            None => bad.push(FieldError {
                field: None,
                entry: None,
                key: String::new(),
                error: whole,
                meant: None,
            }),
        }
        read_good_fields(self.yaml, &fields, bad)
    }

    /// The error of each field read alone. A repeated key is an error of its second field.
    fn field_errors<T: DeserializeOwned>(&self, fields: &[Field<'a>]) -> Vec<FieldError> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            let line = field.first_line + 1;
            if !seen.insert(field.key.as_str()) {
                let twice = explain::written_twice();
                let error = self.error_at(line, 1, format!("{}: {}", field.key, twice.message));
                out.push(FieldError {
                    field: Some(i),
                    entry: None,
                    key: field.key.clone(),
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
            if let Some(entries) = self.entry_errors::<T>(i, field) {
                out.extend(entries);
                continue;
            }
            let alone = self.field(field);
            out.push(FieldError {
                field: Some(i),
                entry: None,
                key: field.key.clone(),
                error: alone.convert(&e),
                meant: explain::meant(&e),
            });
        }
        out
    }

    /// When the value of field `i` is a mapping, the errors of its entries each read alone
    /// inside the field (the others left out), so that every bad entry is reported; `None`
    /// when it is not a mapping, no entry alone has an error (the field is wrong as a whole)
    /// or its entries cannot be left out.
    fn entry_errors<T: DeserializeOwned>(
        &self,
        i: usize,
        field: &Field<'a>,
    ) -> Option<Vec<FieldError>> {
        let entry = self.tree()?.top_level()?.get(i)?;
        let start = entry.key_byte;
        let within = Within {
            field: i,
            start,
            text: field.text,
            first_line: field.first_line,
        };
        let end = start + field.text.len();
        let errors = self.errors_of_entries::<T>(&within, &[], &entry.key, &entry.value, end)?;
        (!errors.is_empty()).then_some(errors)
    }

    /// The errors of the entries of `map` (at `path`, its mapping entry ending at byte `end`),
    /// each read alone in the field with `left_out` and the other entries blank. An entry
    /// whose value is a mapping has its own entries read alone the same way.
    fn errors_of_entries<T: DeserializeOwned>(
        &self,
        within: &Within<'a>,
        left_out: &[Range<usize>],
        path: &str,
        map: &tree::Node,
        end: usize,
    ) -> Option<Vec<FieldError>> {
        let spans = map.entry_spans(self.yaml, end)?;
        let mut out = Vec::new();
        for (k, (entry, span)) in spans.iter().enumerate() {
            let others = spans.iter().enumerate().filter(|(j, _)| *j != k);
            let mut blank = left_out.to_vec();
            blank.extend(others.map(|(_, (_, span))| span.clone()));
            let alone = within.blanked(&blank);
            let Err(e) = serde_saphyr::from_str::<T>(&alone) else {
                continue;
            };
            if explain::is_missing_field(&e) {
                continue;
            }
            let key = format!("{path}.{}", entry.key);
            let inner = self.errors_of_entries::<T>(within, &blank, &key, &entry.value, span.end);
            if let Some(inner) = inner.filter(|inner| !inner.is_empty()) {
                out.extend(inner);
                continue;
            }
            let fragment = Fragment::new(
                self.path,
                self.file_text,
                &alone,
                self.line_offset + within.first_line,
            );
            // Leaving the others out must leave YAML (an alias of an anchor left out is not).
            fragment.tree()?;
            out.push(FieldError {
                field: Some(within.field),
                entry: Some(span.clone()),
                error: fragment.convert(&e),
                meant: explain::meant(&e).map(|meant| format!("{path}.{meant}")),
                key,
            });
        }
        Some(out)
    }
}

/// One top-level field whose entries are read each alone.
struct Within<'a> {
    /// The field's index.
    field: usize,
    /// The byte of the fragment where the field starts.
    start: usize,
    /// The field's text.
    text: &'a str,
    /// 0-based line of the field within the fragment.
    first_line: usize,
}

impl Within<'_> {
    /// The field's text with the bytes of the fragment in `ranges` blanked: each character
    /// a space but line ends kept, so that lines and columns stay where they were.
    fn blanked(&self, ranges: &[Range<usize>]) -> String {
        self.text
            .char_indices()
            .map(|(i, c)| {
                let left_out = ranges.iter().any(|r| r.contains(&(self.start + i)));
                match left_out && !matches!(c, '\n' | '\r') {
                    true => ' ',
                    false => c,
                }
            })
            .collect()
    }
}

/// Reads `T` from the fields without errors, the others left as blank lines; a field with
/// errors in some entries of its mapping only keeps its other entries, unless `T` cannot be
/// read without them (an entry it requires), when the whole field is left out. Every field
/// with an error is among the failed ones, even when partly read: a mapping whose entries
/// are all bad is read as nothing, and must not be reported as missing.
fn read_good_fields<'a, T: DeserializeOwned>(
    yaml: &str,
    fields: &[Field],
    bad: Vec<FieldError>,
) -> Partial<'a, T> {
    let mut errors = Vec::new();
    let mut failed = Vec::new();
    for e in &bad {
        let field = e.field.and_then(|i| fields.get(i));
        failed.extend(field.map(|f| f.key.clone()));
        failed.extend(field.filter(|f| f.key != e.key).map(|_| e.key.clone()));
        failed.extend(e.meant.clone());
    }
    let mut good_yaml = good_text(yaml, fields, &bad, true);
    let mut value = serde_saphyr::from_str::<T>(&good_yaml).ok();
    if value.is_none() && bad.iter().any(|e| e.entry.is_some()) {
        good_yaml = good_text(yaml, fields, &bad, false);
        value = serde_saphyr::from_str::<T>(&good_yaml).ok();
    }
    errors.extend(bad.into_iter().map(|e| e.error));
    crate::diagnostics::sort(&mut errors);
    Partial {
        value,
        good_yaml: Cow::Owned(good_yaml),
        errors,
        failed,
    }
}

/// The YAML with the fields of `bad` errors left blank, or only their bad entries when
/// `entries` and the errors are about entries.
fn good_text(yaml: &str, fields: &[Field], bad: &[FieldError], entries: bool) -> String {
    let preamble = fields.first().map_or(yaml.len(), |f| {
        f.text.as_ptr() as usize - yaml.as_ptr() as usize
    });
    let mut good_yaml = yaml[..preamble].to_string();
    for (i, field) in fields.iter().enumerate() {
        let errors: Vec<&FieldError> = bad.iter().filter(|e| e.field == Some(i)).collect();
        let spans: Option<Vec<Range<usize>>> = errors.iter().map(|e| e.entry.clone()).collect();
        match spans {
            _ if errors.is_empty() => good_yaml.push_str(field.text),
            Some(spans) if entries => {
                let start = field.text.as_ptr() as usize - yaml.as_ptr() as usize;
                let within = Within {
                    field: i,
                    start,
                    text: field.text,
                    first_line: field.first_line,
                };
                good_yaml.push_str(&within.blanked(&spans));
            }
            _ => good_yaml.push_str(&"\n".repeat(field.line_count())),
        }
    }
    good_yaml
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

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

    /// A fragment that is a whole file of its own.
    fn fragment(yaml: &str) -> Fragment<'_> {
        Fragment::new(Path::new("a.yaml"), yaml, yaml, 0)
    }

    #[test]
    fn locates_nested_values() {
        let yaml = "title: x\nvenue:\n  name: Hall\n  postcode: AB1\nstart: 2017-03-14\n";
        let f = fragment(yaml);
        assert_eq!(f.written_at("start"), Some((5, 8)));
        assert_eq!(f.written_at("venue.postcode"), Some((4, 13)));
        assert_eq!(f.written_at("venue"), Some((2, 1)));
        assert_eq!(f.written_at("missing"), None);
        assert_eq!(f.locate("missing"), (1, 1));
        assert!(f.contains("venue.name") && !f.contains("venue.city"));
    }

    #[test]
    fn locates_values_in_flow_style_and_lists() {
        let yaml = "reg: {url: x, closes: soon}\nmenu:\n  - title: A\n    url: a\nm: [ {url: b}, {url: c} ]\n";
        let f = fragment(yaml);
        assert_eq!(f.written_at("reg.closes"), Some((1, 23)));
        assert_eq!(f.written_at("menu.0.url"), Some((4, 10)));
        assert_eq!(f.written_at("m.1.url"), Some((5, 22)));
        assert_eq!(f.written_at("menu"), Some((2, 1)));
        assert_eq!(f.written_at("reg"), Some((1, 6)));
        assert_eq!(f.written_at("menu.3.url"), None);
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_first_line() {
        let f = fragment("title: A\ntitle: B\n");
        assert_eq!(f.written_at("title"), Some((1, 8)));
        assert_eq!(f.key_of(Pos { line: 2, col: 1 }).as_deref(), Some("title"));
    }

    #[test]
    fn names_the_key_of_a_value_inside_braces() {
        let f = fragment("registration: {url: x, capacity: lots}\n");
        let at = Pos { line: 1, col: 34 };
        assert_eq!(f.key_of(at).as_deref(), Some("registration.capacity"));
        assert_eq!(f.value_at(at).as_deref(), Some("lots"));
        let tags = fragment("tags: 5\n");
        assert_eq!(
            tags.key_of(Pos { line: 1, col: 7 }).as_deref(),
            Some("tags")
        );
        let quoted = fragment("reg: {url: \"x y\", n: 'it''s'}\n");
        assert_eq!(
            quoted.value_at(Pos { line: 1, col: 12 }).as_deref(),
            Some("x y")
        );
        assert_eq!(
            quoted.value_at(Pos { line: 1, col: 22 }).as_deref(),
            Some("it''s")
        );
        let hidden = fragment("draft: \u{a0}yes\n");
        let at = Pos { line: 1, col: 8 };
        assert_eq!(hidden.value_at(at).as_deref(), Some("<U+00A0>yes"));
    }

    #[test]
    fn a_syntax_error_names_the_key_of_its_line() {
        let f = fragment("draft: true\ntitle: Prevention: a primer\n");
        assert!(f.tree().is_none());
        assert_eq!(f.key_of(Pos { line: 2, col: 18 }).as_deref(), Some("title"));
        let f = fragment("reg: {url: \"x, capacity: 3}\n");
        assert!(f.tree().is_none());
        assert_eq!(f.key_of(Pos { line: 1, col: 12 }).as_deref(), Some("url"));
    }

    /// The key and the value a message names are those the parser read, not those a line
    /// looks like: a comment is no part of a value, a mapping below a key is that key's
    /// value, and a character that is hard to see is spelled out.
    #[test]
    fn messages_name_the_key_and_value_the_parser_read() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Page {
            title: Option<String>,
            draft: Option<bool>,
            tags: Option<Vec<String>>,
        }
        let message = |yaml: &str| match fragment(yaml).parse::<Page>() {
            Ok(_) => String::from("read"),
            Err(d) => format!("{}:{}: {}", d.line, d.col, d.message),
        };
        let said = [
            (
                "draft: maybe # or not\n",
                "1:8: draft: \"maybe\" is not true or false",
            ),
            ("title:\n  a: b\n", "2:3: title: expected text"),
            ("tags:\n  first: a\n", "2:3: tags: expected a list"),
            ("tags: [a, [b]]\n", "1:11: tags: expected text"),
            (
                "draft: >\n  maybe\n",
                "2:3: draft: \"maybe\" is not true or false",
            ),
            (
                "draft: \u{a0}yes\n",
                "1:8: draft: \"<U+00A0>yes\" is not true or false",
            ),
        ];
        for (yaml, expected) in said {
            assert_eq!(message(yaml), expected, "{yaml:?}");
        }
    }

    #[test]
    fn an_empty_key_is_not_named() {
        let f = fragment("venue: {name: a, postcode,: b}\n");
        assert_eq!(f.key_of(Pos { line: 1, col: 27 }), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = fragment("registration: {url: caf\u{e9}, capacity: lots}\n");
        let at = Pos { line: 1, col: 37 };
        assert_eq!(f.key_of(at).as_deref(), Some("registration.capacity"));
        assert_eq!(f.value_at(at).as_deref(), Some("lots"));
        let f = fragment("caf\u{e9}: 5\n");
        let value = f.value_of_key_at(Pos { line: 1, col: 1 });
        assert_eq!(value, Some(Pos { line: 1, col: 7 }));
        assert_eq!(
            fragment("\u{a0}title: x\n").written_at("\u{a0}title"),
            Some((1, 9))
        );
        assert_eq!(top_level_key("caf\u{e9}: 1"), Some("caf\u{e9}"));
        assert_eq!(top_level_key("\u{2014} x: y"), Some("\u{2014} x"));
    }

    #[test]
    fn splits_top_level_fields() {
        let yaml = "# note\ntitle: A\ntags:\n- a\n- b\nsummary: |\n  weight: 3\nweight: x";
        let split = |f: Fragment| -> Option<Vec<(String, usize, usize)>> {
            let fields = f.fields()?;
            Some(
                fields
                    .iter()
                    .map(|f| (f.key.clone(), f.first_line, f.line_count()))
                    .collect(),
            )
        };
        let expected = [
            ("title".to_string(), 1, 1),
            ("tags".to_string(), 2, 3),
            ("summary".to_string(), 5, 2),
            ("weight".to_string(), 7, 1),
        ];
        assert_eq!(split(fragment(yaml)).unwrap(), expected);
        assert!(split(fragment("{title: A}\n")).is_none());
        assert!(split(fragment("{\ntitle: A}\n")).is_none());
        // A document that is not YAML is split as its lines look.
        let broken = yaml.replace("weight: x", "weight: x: y");
        assert!(fragment(&broken).tree().is_none());
        assert_eq!(split(fragment(&broken)).unwrap(), expected);
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
        let fragment = Fragment::new(
            Path::new("a.md"),
            "---\ntitel: A\nweight: x\ndraft: true\n---\n",
            "titel: A\nweight: x\ndraft: true\n",
            1,
        );
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

    /// An event's front matter as far as the reading of nested mappings needs: a mapping
    /// with a required entry, inside it another mapping.
    mod event {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Page {
            pub title: Option<String>,
            pub registration: Option<Registration>,
        }

        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Registration {
            pub url: String,
            pub closes: Option<String>,
            pub capacity: Option<u32>,
            pub desk: Option<Desk>,
        }

        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        pub struct Desk {
            pub opens: Option<u32>,
            pub staffed: Option<bool>,
        }
    }

    /// Each error of a read: where it is and what it says.
    fn said<T: DeserializeOwned>(yaml: &str) -> (Vec<String>, Option<T>, String) {
        let read = fragment(yaml).parse_partial::<T>();
        let errors = read.errors.iter();
        let errors = errors.map(|d| format!("{}:{}: {}", d.line, d.col, d.message));
        (errors.collect(), read.value, read.good_yaml.into_owned())
    }

    #[test]
    fn every_bad_entry_of_a_mapping_is_reported_and_the_good_ones_read() {
        let block =
            "title: A\nregistration:\n  url: x\n  capacity: lots\n  closes: soon\n  desk: 5\n";
        let flow = "title: A\nregistration: { url: x, capacity: lots, closes: soon, desk: 5 }\n";
        let wanted = [
            (
                block,
                [
                    "4:13: registration.capacity: \"lots\" is not a whole number (0 or more)",
                    "6:9: registration.desk: expected `name: value` fields",
                ],
            ),
            (
                flow,
                [
                    "2:35: registration.capacity: \"lots\" is not a whole number (0 or more)",
                    "2:61: registration.desk: expected `name: value` fields",
                ],
            ),
        ];
        for (yaml, expected) in wanted {
            let (errors, page, _) = said::<event::Page>(yaml);
            assert_eq!(errors, expected, "{yaml:?}");
            let registration = page.and_then(|p| p.registration).expect("the good entries");
            assert_eq!(registration.url, "x");
            assert_eq!(registration.closes.as_deref(), Some("soon"));
            assert!(registration.capacity.is_none() && registration.desk.is_none());
        }
        let (_, _, good) = said::<event::Page>(flow);
        assert_eq!(
            good.lines().nth(1).map(str::trim_end),
            Some("registration: { url: x,                 closes: soon,         }")
        );
    }

    #[test]
    fn entries_of_a_mapping_inside_a_mapping_are_read_each_alone() {
        let yaml = "registration:\n  url: x\n  desk: {opens: late, staffed: maybe}\n  capacity: -1\ntitle: [A]\n";
        let (errors, page, _) = said::<event::Page>(yaml);
        assert_eq!(
            errors,
            [
                "3:17: registration.desk.opens: \"late\" is not a whole number (0 or more)",
                "3:32: registration.desk.staffed: \"maybe\" is not true or false",
                "4:13: registration.capacity: \"-1\" is not a whole number (0 or more)",
                "5:8: title: expected text",
            ]
        );
        let registration = page.and_then(|p| p.registration).expect("the good entries");
        assert_eq!(registration.url, "x");
    }

    /// "Missing field" errors that only come from leaving entries out are not reported; when
    /// a required entry is itself wrong, the mapping cannot be read without it and is left
    /// out whole, as a bad field is.
    #[test]
    fn leaving_entries_out_reports_no_missing_entry() {
        let (errors, page, _) =
            said::<event::Page>("registration: {url: x, capacity: no, cap: 3}\ntitle: A\n");
        assert_eq!(
            errors,
            [
                "1:34: registration.capacity: \"no\" is not a whole number (0 or more)",
                "1:38: unknown field `cap`",
            ]
        );
        assert!(page.is_some_and(|p| p.registration.is_some()));
        let yaml = "registration:\n  url: [x]\n  closes: soon\n  capacity: lots\ntitle: A\n";
        let read = fragment(yaml).parse_partial::<event::Page>();
        let errors: Vec<_> = read.errors.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(errors, [(2, 8), (4, 13)]);
        let page = read.value.expect("the other fields");
        assert_eq!(page.title.as_deref(), Some("A"));
        assert!(page.registration.is_none());
        assert!(read.failed.iter().any(|f| f == "registration"));
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
            "venue: {name: [a], postcode: [b]}",
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
            // Mappings whose entries are read each alone.
            "venue: {name: [a], postcode: {b: 1}, }\n".to_string(),
            "venue:\n  name: [a]\n  # note\n  postcode: {x: [1}\n".to_string(),
            "venue: {name: &n [a], postcode: *n}\n".to_string(),
            "venue: {name: [a], postcode: [b]} # c}\n".to_string(),
            "venue: {\"na\\\"me\": [a], 'post''code': [b]}\n".to_string(),
            "venue: {name: [a], ? postcode : [b]}\n".to_string(),
            "venue: { name: [a] , postcode: [b] ,}\nextra: {a: {b: [c, {d: e}]}}\n".to_string(),
            "venue: {name: [a], postcode, : [c]}\n".to_string(),
            "venue:\n  name: [a]\n  name: [b]\n".to_string(),
            "venue: {name: [\u{e9}], post\u{2014}code: [\u{1F600}]}\n".to_string(),
        ];
        for yaml in &cases {
            for (path, line_offset) in [("content/a.md", 1), ("site.yaml", 0)] {
                let fragment = Fragment::new(Path::new(path), yaml, yaml, line_offset);
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

    /// Calls every reader of positions on `yaml`, at every line and column (of the first 80).
    fn read_everything<T: DeserializeOwned>(yaml: &str) {
        let fragment = Fragment::new(Path::new("a.md"), yaml, yaml, 1);
        let _ = fragment.parse::<T>().map_err(|d| d.to_string());
        let _ = fragment.parse_partial::<T>();
        let _ = fragment.fields();
        for line in yaml.lines() {
            let _ = top_level_key(line);
        }
        let _ = split_lines(yaml);
        for key in ["title", "venue", "venue.name", "key", "item", "0", "a.0.b"] {
            let _ = (fragment.locate(key), fragment.contains(key));
        }
        let longest = yaml.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        for line in 0..=(yaml.lines().count() + 1).min(80) {
            let _ = key_on_line(yaml, line);
            for col in 0..=(longest + 2).min(80) {
                let at = Pos { line, col };
                let _ = (fragment.value_at(at), fragment.key_of(at));
                let _ = key_written_before(yaml, at);
                let _ = (
                    fragment.value_of_key_at(at),
                    fragment.hidden_in_key(at, "x"),
                );
            }
        }
    }

    /// The shapes of YAML that stretch a parser: none may make a reader of positions panic
    /// or hang.
    #[test]
    fn odd_shapes_of_yaml_do_not_panic() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            title: Option<String>,
            weight: Option<u8>,
        }
        let laughs = (1..7).fold("a0: &a0 [lol, lol]\n".to_string(), |doc, n| {
            let refs = vec![format!("*a{}", n - 1); 9].join(", ");
            format!("{doc}a{n}: &a{n} [{refs}]\n")
        });
        let deep = format!("title: {}x{}\n", "[".repeat(2000), "]".repeat(2000));
        let deep_block: String = (0..300)
            .map(|d| format!("{}k{d}:\n", " ".repeat(d)))
            .collect();
        let shapes = [
            laughs,
            deep,
            deep_block,
            "title: &t x\nweight: *t\nother: *nope\n".into(),
            "base: &b {title: x}\npage:\n  <<: *b\n  weight: 1\n".into(),
            "weight: 123456789012345678901234567890123456789012345678901234567890\n".into(),
            "123456789012345678901234567890: x\n1.5: y\n~: z\ntrue: w\n".into(),
            "title: A\ntitle: B\ntitle:\n".into(),
            "title: A\n---\ntitle: B\n...\n".into(),
            "title: !!int x\nweight: !custom 3\n!!str w: 1\n".into(),
            "? [a, b]\n: c\n? {x: y}\n: d\n".into(),
            "title: .inf\nweight: .nan\n".into(),
            "\ttitle: x\r\n weight:\t1\r\n".into(),
            "title: \"\u{a0}\u{200B}\u{200F}\u{1F600}\\u0000\"\n\u{feff}weight: 1\n".into(),
            "- a\n- b: c\n".into(),
            "\"unclosed: x\nweight: 1\n".into(),
            String::new(),
            "# only a comment\n".into(),
        ];
        for yaml in &shapes {
            read_everything::<Page>(yaml);
        }
    }
}
