//! `pamphlet schema`: JSON Schema (draft 2020-12) of `site.yaml`, of a section's `_index.md`
//! and of the front matter of each kind of page, so that editors complete and check fields as
//! people type.
//!
//! Every schema is generated from the structs that parse the files ([`Config`],
//! [`RawSection`], [`RawPage`], whose doc comments are the descriptions), so the two cannot
//! drift apart. A kind's schema is the raw page's, less the fields of the other kinds (from the
//! registry, [`KINDS`]), with the fields the kind requires. What the types cannot say — a
//! venue for an in-person event, an `id` for a hosted video — is added as `if`/`then` rules
//! mirroring the kinds' checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::content::front_matter::{RawPage, RawSection};
use crate::content::{Kind, KINDS};

/// The file name of the schema of `site.yaml`.
pub const SITE_FILE: &str = "site.schema.json";

/// The file name of the schema of a section's `_index.md` front matter.
pub const SECTION_FILE: &str = "section.schema.json";

/// The file name of the schema of a kind's front matter (`post.schema.json`).
pub fn page_file(kind: Kind) -> String {
    format!("{}.schema.json", kind.name())
}

/// Every schema, by file name, in the order they are written: site.yaml's (with the options
/// the theme declares, when given), the section's, then one per kind in the registry's order.
pub fn all(theme_options: Option<&BTreeMap<String, Value>>) -> Vec<(String, Value)> {
    let mut files = vec![
        (SITE_FILE.to_string(), site(theme_options)),
        (SECTION_FILE.to_string(), section()),
    ];
    files.extend(
        KINDS
            .iter()
            .map(|spec| (page_file(spec.kind), page(spec.kind))),
    );
    files
}

/// The schema of `site.yaml`. With the theme's declared options, `theme_options` accepts those
/// only, each described as the theme describes it (colours as hex).
pub fn site(theme_options: Option<&BTreeMap<String, Value>>) -> Value {
    let mut schema = root_schema::<Config>("pamphlet site.yaml");
    if let Some(options) = theme_options {
        let properties: Map<String, Value> = options
            .iter()
            .map(|(name, about)| (name.clone(), theme_option(name, about)))
            .collect();
        schema["properties"]["theme_options"] = json!({
            "description": "Branding handed to the theme: the options its theme.yaml declares.",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
    }
    schema
}

fn theme_option(name: &str, about: &Value) -> Value {
    let mut option = Map::new();
    if let Some(text) = about.as_str() {
        option.insert("description".into(), text.into());
    }
    if name.ends_with("_colour") || name.ends_with("_color") {
        option.insert("type".into(), "string".into());
        option.insert(
            "pattern".into(),
            "^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$".into(),
        );
    }
    Value::Object(option)
}

/// The schema of a section's `_index.md` front matter.
pub fn section() -> Value {
    root_schema::<RawSection>("pamphlet section (_index.md) front matter")
}

/// The schema of the front matter of a page of `kind`: the common fields and the kind's own.
pub fn page(kind: Kind) -> Value {
    let spec = kind.spec();
    let title = format!("pamphlet {} front matter", spec.name);
    let mut schema = root_schema::<RawPage>(&title);
    let foreign: Vec<&str> = KINDS
        .iter()
        .filter(|other| other.kind != kind)
        .flat_map(|other| other.fields.iter().map(|f| f.name))
        .collect();
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.retain(|name, _| !foreign.contains(&name.as_str()));
    }
    let required: Vec<&str> = std::iter::once("title")
        .chain(spec.required.iter().copied())
        .collect();
    for name in &required {
        if let Some(field) = schema["properties"].get_mut(*name) {
            strip_null(field);
        }
    }
    schema["required"] = json!(required);
    let rules = rules(kind);
    if !rules.is_empty() {
        schema["allOf"] = Value::Array(rules);
    }
    prune_definitions(&mut schema);
    schema
}

/// The checks of a kind that depend on another field's value, as `if`/`then` rules.
fn rules(kind: Kind) -> Vec<Value> {
    match kind {
        // event.rs: an in-person or hybrid event needs a venue.
        Kind::Event => vec![json!({
            "if": {
                "required": ["format"],
                "properties": { "format": { "enum": ["in-person", "hybrid"] } }
            },
            "then": { "required": ["venue"] }
        })],
        // video.rs: a file needs its `src`, a hosted video the provider's `id`.
        Kind::Video => vec![json!({
            "if": {
                "required": ["provider"],
                "properties": { "provider": { "const": "file" } }
            },
            "then": { "required": ["src"] },
            "else": { "required": ["id"] }
        })],
        Kind::Page | Kind::Post | Kind::Chapter => Vec::new(),
    }
}

/// The draft 2020-12 schema of `T`, titled.
fn root_schema<T: JsonSchema>(title: &str) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    schema["title"] = title.into();
    schema
}

/// A required field may not be left empty (`title:` is null in YAML).
fn strip_null(field: &mut Value) {
    let is_null = |v: &Value| v == &json!({ "type": "null" }) || v.is_null();
    if let Some(Value::Array(types)) = field.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone();
            field["type"] = only;
        }
    }
    for key in ["anyOf", "oneOf", "enum"] {
        if let Some(Value::Array(options)) = field.get_mut(key) {
            options.retain(|o| !is_null(o));
        }
    }
}

/// Drops the `$defs` no longer referenced once other kinds' fields are gone.
fn prune_definitions(schema: &mut Value) {
    let Some(Value::Object(defs)) = schema.get("$defs").cloned() else {
        return;
    };
    let mut used = std::collections::BTreeSet::new();
    let mut todo = Vec::new();
    let mut without_defs = schema.clone();
    if let Some(object) = without_defs.as_object_mut() {
        object.remove("$defs");
    }
    references(&without_defs, &mut todo);
    while let Some(name) = todo.pop() {
        if used.insert(name.clone()) {
            if let Some(def) = defs.get(&name) {
                references(def, &mut todo);
            }
        }
    }
    let kept: Map<String, Value> = defs.into_iter().filter(|(n, _)| used.contains(n)).collect();
    match kept.is_empty() {
        true => schema.as_object_mut().map(|o| o.remove("$defs")),
        false => schema
            .as_object_mut()
            .map(|o| o.insert("$defs".into(), kept.into())),
    };
}

/// The names of the `$defs` a schema refers to.
fn references(schema: &Value, found: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value.as_str()) {
                    ("$ref", Some(target)) => {
                        if let Some(name) = target.strip_prefix("#/$defs/") {
                            found.push(name.to_string());
                        }
                    }
                    _ => references(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

/// Where `pamphlet schema` writes when `--out` is not given: `<root>/schemas/`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("schemas")
}

/// Writes every schema into `out` as pretty-printed JSON (the same bytes for the same
/// pamphlet and theme), returning the files written. `theme_options` are the options the
/// site's theme declares, if it declares any.
pub fn write(
    out: &Path,
    theme_options: Option<&BTreeMap<String, Value>>,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out)?;
    all(theme_options)
        .into_iter()
        .map(|(name, schema)| {
            let path = out.join(name);
            let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            text.push('\n');
            std::fs::write(&path, text).map(|()| path)
        })
        .collect()
}

/// What `pamphlet schema` did: the files written, and what kept it from knowing the theme.
#[derive(Debug)]
pub struct Written {
    /// The schema files, in the order written.
    pub files: Vec<PathBuf>,
    /// Why `theme_options` was left open (site.yaml or the theme could not be read).
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// `pamphlet schema`: reads the site's theme for its options, then writes every schema into
/// `out` (default [`default_out`]). A site.yaml that cannot be read leaves `theme_options`
/// open, with a warning: the schema is what helps fix it. The error is for the command line.
pub fn write_for_site(root: &Path, out: Option<&Path>) -> Result<Written, String> {
    if !root.is_dir() {
        return Err(format!(
            "--root {}: there is no such folder",
            root.display()
        ));
    }
    let out = out.map_or_else(|| default_out(root), Path::to_path_buf);
    let mut warnings = Vec::new();
    let options = match Config::load(root) {
        Ok(config) => match crate::theme::load_theme(root, &config.theme) {
            Ok(theme) => crate::theme::declared_options(&theme),
            Err(d) => {
                warnings.push(d.into_warning());
                None
            }
        },
        Err(found) => {
            warnings.extend(found.into_iter().map(|d| d.into_warning()));
            None
        }
    };
    let files = write(&out, options.as_ref())
        .map_err(|e| format!("cannot write the schemas into {}: {e}", out.display()))?;
    Ok(Written { files, warnings })
}
