//! A section's pages kept in a spreadsheet: `content/<section>/_pages.csv`, one row a page.
//!
//! The header row names front-matter fields (`body` is the Markdown body, `venue.name` a
//! nested field). Each row is turned into the text of a Markdown file — front matter then body
//! — and parsed exactly as one ([`super::kinds::parse_page`]): every check of a page applies.
//! Every cell is text, read as YAML would read that field: a text field (`title`, `summary`,
//! dates, addresses) takes the cell as written, any other (`draft`, `weight`, `tags`, `venue`)
//! reads it as YAML (`true`, `3`, `[a, b]`, `{ name: Hall }`). An empty cell is an absent field.
//!
//! A row's page has the key of the file it stands for, `<section>/<slug>.md` (the slug from
//! the `slug` column, else from the title), so `@/events/leeds-2027.md` links to it. Its
//! diagnostics are placed by [`Row::place`] at the sheet, the line its row starts on and the
//! 1-based number of the field: `content/events/_pages.csv:7:3: start: ...`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::front_matter::RawPage;
use super::{discovery, kinds, Content, LoadOptions, Page, Section, Source, Unpublished};
use crate::config::Config;
use crate::diagnostics::{decode_text, Diagnostic};

/// The file name of a section's spreadsheet of pages.
pub const FILE_NAME: &str = "_pages.csv";

/// Where a page made from a row came from, to place its diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The sheet, relative to the site root (`content/events/_pages.csv`).
    pub sheet: PathBuf,
    /// The 1-based line the row starts on.
    pub line: usize,
    /// For each line of the page's text, the 1-based field its content comes from (0: none).
    fields: Vec<usize>,
}

impl Row {
    /// A diagnostic about the page's text, placed at the row and field it comes from (the
    /// text's lines are not the sheet's, so no line of it is shown).
    pub fn place(&self, mut d: Diagnostic) -> Diagnostic {
        d.col = d
            .line
            .checked_sub(1)
            .and_then(|i| self.fields.get(i))
            .copied()
            .unwrap_or(0);
        d.path = self.sheet.clone();
        d.line = self.line;
        d.source_line = None;
        d
    }
}

/// Places every diagnostic about a page made from a row at its row (see [`Row::place`]).
pub fn place_all(content: &Content, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let rows: HashMap<&Path, &Row> = content
        .pages
        .iter()
        .filter_map(|p| {
            p.source
                .row
                .as_deref()
                .map(|r| (p.source.file.as_path(), r))
        })
        .collect();
    if rows.is_empty() {
        return diagnostics;
    }
    diagnostics
        .into_iter()
        .map(|d| match rows.get(d.path.as_path()) {
            Some(row) => row.place(d),
            None => d,
        })
        .collect()
}

/// What reading the sheets found: their pages, errors, and the keys of rows with errors.
#[derive(Debug, Default)]
pub struct SheetPages {
    /// The pages published (see [`LoadOptions::withholds`]).
    pub pages: Vec<Page>,
    /// The rows' pages that are not published, and why.
    pub unpublished: BTreeMap<String, Unpublished>,
    /// Every error and warning, placed at its row.
    pub diagnostics: Vec<Diagnostic>,
    /// Keys of the rows that could not be read.
    pub failed: Vec<String>,
}

/// Reads every sheet (content keys: `events/_pages.csv`) into pages of their sections; `taken`
/// holds the keys of the site's Markdown pages, which a row may not take.
pub fn read_sheets(
    root: &Path,
    sheets: &[String],
    sections: &BTreeMap<String, Section>,
    config: &Config,
    options: LoadOptions,
    taken: &HashSet<&str>,
) -> SheetPages {
    let mut found = SheetPages::default();
    let mut keys: HashMap<String, usize> = HashMap::new();
    for sheet in sheets {
        read_sheet(
            root, sheet, sections, config, options, taken, &mut keys, &mut found,
        );
    }
    found
}

#[allow(clippy::too_many_arguments)]
fn read_sheet(
    root: &Path,
    sheet: &str,
    sections: &BTreeMap<String, Section>,
    config: &Config,
    options: LoadOptions,
    taken: &HashSet<&str>,
    keys: &mut HashMap<String, usize>,
    found: &mut SheetPages,
) {
    let rel = Path::new("content").join(sheet);
    let text = match std::fs::read(root.join(&rel)) {
        Ok(bytes) => match decode_text(&rel, &bytes) {
            Ok(text) => text,
            Err(d) => return found.diagnostics.push(d),
        },
        Err(e) => {
            let d = Diagnostic::error(&rel, 0, 0, format!("cannot read the file: {e}"));
            return found.diagnostics.push(d);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => match check_headers(&rel, text, h) {
            Ok(()) => h.iter().map(|n| n.trim().to_string()).collect(),
            Err(d) => return found.diagnostics.push(d),
        },
        Err(e) => return found.diagnostics.push(csv_error(&rel, text, &e)),
    };
    let dir = discovery::dir_of(sheet);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                found.diagnostics.push(csv_error(&rel, text, &e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<(usize, &str, &str)> = headers
            .iter()
            .zip(record.iter())
            .enumerate()
            .filter(|(_, (_, cell))| !cell.trim().is_empty())
            .map(|(i, (name, cell))| (i + 1, name.as_str(), cell))
            .collect();
        let key = row_key(&dir, &cells, line);
        if let Some(other) = taken
            .get(key.as_str())
            .map(|_| format!("content/{key}"))
            .or_else(|| keys.get(&key).map(|l| format!("the row on line {l}")))
        {
            found.diagnostics.push(
                Diagnostic::error(
                    &rel,
                    line,
                    0,
                    format!("this row's page would be content/{key}, as is {other}"),
                )
                .with_hint("give the row a `slug` of its own"),
            );
            found.failed.push(key);
            continue;
        }
        keys.insert(key.clone(), line);
        let source = row_source(&rel, key.clone(), line, &cells);
        let section_key = discovery::owning_section(&key, sections);
        let Some(section) = sections.get(&section_key) else {
            continue;
        };
        let placed = source.row.clone();
        let place = |d: Diagnostic| placed.as_ref().map_or(d.clone(), |row| row.place(d));
        match kinds::parse_page(source, section, config, Vec::new()) {
            Ok(page) => match options.withholds(&page, section) {
                Some(why) => {
                    found.unpublished.insert(key, why);
                }
                None => found.pages.push(page),
            },
            Err(errors) => {
                found.diagnostics.extend(errors.into_iter().map(place));
                found.failed.push(key);
            }
        }
    }
}

/// The key of the file a row stands for: `<dir>/<slug or title, slugified>.md`.
fn row_key(dir: &str, cells: &[(usize, &str, &str)], line: usize) -> String {
    let cell = |name: &str| {
        cells
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(_, _, c)| *c)
    };
    let name = slug::slugify(cell("slug").or(cell("title")).unwrap_or_default());
    let name = match name.is_empty() {
        true => format!("row-{line}"),
        false => name,
    };
    match dir.is_empty() {
        true => format!("{name}.md"),
        false => format!("{dir}/{name}.md"),
    }
}

/// The text of the Markdown file a row stands for, as a [`Source`] whose lines map to fields.
fn row_source(rel: &Path, key: String, line: usize, cells: &[(usize, &str, &str)]) -> Source {
    // Line 2 is where errors about a field that is not written point: no field.
    let mut lines: Vec<(String, usize)> = vec![("---".into(), 0), ("# a row of a sheet".into(), 0)];
    let fields: Vec<(Vec<&str>, usize, &str)> = cells
        .iter()
        .filter(|(_, name, _)| *name != "body")
        .map(|(n, name, cell)| (name.split('.').map(str::trim).collect(), *n, *cell))
        .collect();
    write_fields(&fields, &mut Vec::new(), &mut lines);
    lines.push(("---".into(), 0));
    let yaml_start = "---\n".len();
    let mut text = String::new();
    for (l, _) in &lines[..lines.len() - 1] {
        text.push_str(l);
        text.push('\n');
    }
    let yaml_end = text.len();
    text.push_str("---\n");
    let body_start = text.len();
    let body_line = lines.len() + 1;
    let mut map: Vec<usize> = lines.iter().map(|(_, f)| *f).collect();
    if let Some((n, _, body)) = cells.iter().find(|(_, name, _)| *name == "body") {
        text.push_str(body);
        if !body.ends_with('\n') {
            text.push('\n');
        }
        map.extend(std::iter::repeat_n(*n, body.lines().count().max(1)));
    }
    let row = Arc::new(Row {
        sheet: rel.to_path_buf(),
        line,
        fields: map,
    });
    Source {
        file: PathBuf::from(format!("{}:{line}", rel.display())),
        key,
        text,
        yaml: yaml_start..yaml_end,
        body_start,
        body_line,
        row: Some(row),
        inherited: None,
    }
}

/// Writes the fields under `prefix` as YAML lines, nested fields (`venue.name`) under their
/// parent, in the order their columns come.
fn write_fields(
    fields: &[(Vec<&str>, usize, &str)],
    prefix: &mut Vec<String>,
    lines: &mut Vec<(String, usize)>,
) {
    let depth = prefix.len();
    let indent = "  ".repeat(depth);
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for (path, n, cell) in fields {
        let Some(name) = path.get(depth).copied() else {
            continue;
        };
        if path[..depth] != prefix[..] || path.len() > depth + 1 && done.contains(name) {
            continue;
        }
        let key = yaml_key(name);
        if path.len() == depth + 1 {
            prefix.push(name.to_string());
            let dotted = prefix.join(".");
            prefix.pop();
            write_value(
                &indent,
                &key,
                cell,
                text_fields().contains(&dotted),
                *n,
                lines,
            );
            continue;
        }
        done.insert(name);
        lines.push((format!("{indent}{key}:"), *n));
        prefix.push(name.to_string());
        write_fields(fields, prefix, lines);
        prefix.pop();
    }
}

/// A key as YAML reads it back: plain when it can be, else quoted (an unknown field is then
/// reported by its name).
fn yaml_key(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    match plain {
        true => name.to_string(),
        false => serde_json::to_string(name).unwrap_or_default(),
    }
}

/// One field's line(s): a text field quoted as written, any other read as YAML.
fn write_value(
    indent: &str,
    key: &str,
    cell: &str,
    text: bool,
    n: usize,
    lines: &mut Vec<(String, usize)>,
) {
    if text {
        let quoted = serde_json::to_string(cell).unwrap_or_default();
        return lines.push((format!("{indent}{key}: {quoted}"), n));
    }
    if !cell.contains('\n') {
        return lines.push((format!("{indent}{key}: {}", cell.trim_end()), n));
    }
    lines.push((format!("{indent}{key}:"), n));
    lines.extend(cell.lines().map(|l| (format!("{indent}  {l}"), n)));
}

/// The dotted names of the front-matter fields whose value is text (`title`, `venue.name`),
/// from [`RawPage`]'s schema: their cells are taken as written.
fn text_fields() -> &'static BTreeSet<String> {
    static FIELDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let schema = schemars::schema_for!(RawPage).to_value();
        let mut found = BTreeSet::new();
        collect_text(&schema, &schema, "", &mut found);
        found
    })
}

fn collect_text(root: &Value, schema: &Value, prefix: &str, found: &mut BTreeSet<String>) {
    let Some(properties) = schema["properties"].as_object() else {
        return;
    };
    for (name, property) in properties {
        let dotted = format!("{prefix}{name}");
        let is_text = match &property["type"] {
            Value::String(t) => t == "string",
            Value::Array(ts) => ts.iter().all(|t| t == "string" || t == "null"),
            _ => false,
        } && property.get("enum").is_none();
        if is_text {
            found.insert(dotted);
            continue;
        }
        let target = property["$ref"].as_str().or_else(|| {
            property["anyOf"]
                .as_array()?
                .iter()
                .find_map(|o| o["$ref"].as_str())
        });
        if let Some(target) = target {
            let def = &root["$defs"][target.trim_start_matches("#/$defs/")];
            collect_text(root, def, &format!("{dotted}."), found);
        }
    }
}

/// Every column needs a name, and only one column may have it.
pub fn check_headers(
    rel: &Path,
    text: &str,
    headers: &csv::StringRecord,
) -> Result<(), Diagnostic> {
    let names: Vec<&str> = headers.iter().map(str::trim).collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err(Diagnostic::error(rel, 1, 0, "the file has no header row")
            .with_hint("start the file with a row naming each column, e.g. title,start,body"));
    }
    for (i, name) in names.iter().enumerate() {
        let message = match name.is_empty() {
            true => format!("column {} has no name in the header row", i + 1),
            false if names[..i].contains(name) => {
                format!(
                    "column {} is named `{name}`, as an earlier column is",
                    i + 1
                )
            }
            false => continue,
        };
        return Err(Diagnostic::error(rel, 1, i + 1, message)
            .with_source(text)
            .with_hint("give every column its own name in the first row"));
    }
    Ok(())
}

/// A CSV error at the line it is on.
pub fn csv_error(rel: &Path, text: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(0, |p| p.line() as usize);
    let d = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => Diagnostic::error(
            rel,
            line,
            0,
            format!("this row has {len} fields, but the header row names {expected_len}"),
        )
        .with_hint(
            "give every row one field per column; quote a field with a comma in it: \"Leeds, UK\"",
        ),
        _ => Diagnostic::error(rel, line, 0, format!("cannot read the row: {e}")),
    };
    d.with_source(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_the_schemas_strings() {
        let fields = text_fields();
        for text in [
            "title",
            "summary",
            "start",
            "venue.name",
            "registration.url",
        ] {
            assert!(fields.contains(text), "{text}: {fields:?}");
        }
        for other in [
            "draft",
            "weight",
            "tags",
            "venue",
            "registration.capacity",
            "format",
        ] {
            assert!(!fields.contains(other), "{other}");
        }
    }

    #[test]
    fn a_row_becomes_front_matter_with_each_line_from_its_field() {
        let cells = [
            (1, "title", "Leeds: a workshop"),
            (2, "venue.name", "Hall"),
            (3, "tags", "[a, b]"),
            (4, "venue.postcode", "LS1"),
            (5, "body", "Hello.\n\nMore."),
        ];
        let source = row_source(
            Path::new("content/events/_pages.csv"),
            "events/leeds.md".into(),
            7,
            &cells,
        );
        assert_eq!(
            source.text,
            "---\n# a row of a sheet\ntitle: \"Leeds: a workshop\"\nvenue:\n  name: \"Hall\"\n  postcode: \"LS1\"\ntags: [a, b]\n---\nHello.\n\nMore.\n"
        );
        let row = source.row.as_ref().unwrap();
        assert_eq!(row.fields, [0, 0, 1, 2, 2, 4, 3, 0, 5, 5, 5]);
        let placed = row.place(Diagnostic::error("x", 7, 3, "tags: bad"));
        assert_eq!(placed.location(), "content/events/_pages.csv:7:3");
    }
}
