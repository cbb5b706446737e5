//! The files of `data/`: YAML, JSON and CSV (with a header row) that templates and shortcodes
//! read as `data.<file name>` (`data/partners.csv` → `data.partners`, `data/events/2027.yaml`
//! → `data.events["2027"]`). Every file is read and checked on each build, used or not, and
//! an error names the file, line and column.

use std::path::Path;

use serde_json::{Map, Value};
use walkdir::WalkDir;

use crate::diagnostics::{decode_text, Diagnostic};
use crate::yaml::Fragment;

/// The folder of data files, beside site.yaml.
pub const DIR: &str = "data";

/// Reads every file of `root/data` into one value (an empty object when there is no folder),
/// with every error found; a file with an error is left out.
pub fn load(root: &Path) -> (Value, Vec<Diagnostic>) {
    let dir = root.join(DIR);
    let mut data = Map::new();
    let mut errors = Vec::new();
    if !dir.is_dir() {
        return (Value::Object(data), errors);
    }
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !crate::content::discovery_is_ignored(&e.file_name().to_string_lossy())
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(Diagnostic::general(format!("cannot read {DIR}/: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match read(root, &rel) {
            Ok(Some(value)) => {
                if let Err(d) = insert(&mut data, &rel, value) {
                    errors.push(d);
                }
            }
            Ok(None) => errors.push(
                Diagnostic::warning(
                    &rel,
                    0,
                    0,
                    "this file is not read: data files are .yaml, .yml, .json or .csv",
                )
                .with_hint("move it out of data/, or give it one of those extensions"),
            ),
            Err(d) => errors.push(d),
        }
    }
    (Value::Object(data), errors)
}

/// One data file's value; `None` for a file that is not data.
fn read(root: &Path, rel: &Path) -> Result<Option<Value>, Diagnostic> {
    let extension = rel.extension().map(|e| e.to_string_lossy().to_lowercase());
    let Some(extension) =
        extension.filter(|e| ["yaml", "yml", "json", "csv"].contains(&e.as_str()))
    else {
        return Ok(None);
    };
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| Diagnostic::error(rel, 0, 0, format!("cannot read the file: {e}")))?;
    let text = decode_text(rel, &bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match extension.as_str() {
        "json" => json(rel, text),
        "csv" => csv_rows(rel, text),
        _ => yaml(rel, text),
    }
    .map(Some)
}

fn yaml(rel: &Path, text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    let fragment = Fragment::new(rel, text, text, 0);
    fragment.parse::<Value>()
}

fn json(rel: &Path, text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        Diagnostic::error(rel, e.line().max(1), e.column().max(1), message)
            .with_source(text)
            .with_hint("check the JSON syntax: quote names and text with \"\", no comma after the last item")
    })
}

/// A CSV file with a header row: a list of rows, each an object from header to cell (text).
fn csv_rows(rel: &Path, text: &str) -> Result<Value, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| crate::content::rows::csv_error(rel, text, &e))?
        .clone();
    crate::content::rows::check_headers(rel, text, &headers)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| crate::content::rows::csv_error(rel, text, &e))?;
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, cell)| (h.trim().to_string(), Value::from(cell)))
            .collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

/// Puts a file's value at its place: `data/a/b.yaml` at `a.b`. A name given twice (`a.yaml`
/// and `a.json`, or `a.yaml` and a folder `a/`) is an error naming both.
fn insert(data: &mut Map<String, Value>, rel: &Path, value: Value) -> Result<(), Diagnostic> {
    let inner = rel.strip_prefix(DIR).unwrap_or(rel);
    let mut parts: Vec<String> = inner
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(file) = parts.pop() else {
        return Ok(());
    };
    let name = Path::new(&file)
        .file_stem()
        .map_or(file.clone(), |s| s.to_string_lossy().into_owned());
    let clash = |what: String| {
        Diagnostic::error(
            rel,
            0,
            0,
            format!("`data.{what}` is also given by another file of data/"),
        )
        .with_hint("rename one of them: each file and folder of data/ needs a name of its own")
    };
    let mut place = data;
    let mut path = Vec::new();
    for folder in parts {
        path.push(folder.clone());
        let entry = place
            .entry(folder)
            .or_insert_with(|| Value::Object(Map::new()));
        place = match entry {
            Value::Object(map) => map,
            _ => return Err(clash(path.join("."))),
        };
    }
    path.push(name.clone());
    match place.contains_key(&name) {
        true => Err(clash(path.join("."))),
        false => {
            place.insert(name, value);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = tmp.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        tmp
    }

    #[test]
    fn files_become_values_by_name_and_folder() {
        let tmp = site(&[
            ("data/partners.csv", "name,url\nMind,https://mind.example\n"),
            ("data/events/2027.yaml", "venue: Leeds\n"),
            ("data/numbers.json", "[1, 2]"),
        ]);
        let (data, errors) = load(tmp.path());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(data["partners"][0]["name"], "Mind");
        assert_eq!(data["events"]["2027"]["venue"], "Leeds");
        assert_eq!(data["numbers"][1], 2);
    }

    #[test]
    fn a_name_given_twice_is_an_error() {
        let tmp = site(&[("data/a.yaml", "x: 1\n"), ("data/a.json", "{}")]);
        let (_, errors) = load(tmp.path());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("`data.a` is also given"),
            "{errors:?}"
        );
    }
}
