//! `pamphlet cms`: a `config.yml` in the Decap CMS format (read by Decap and Sveltia), with a
//! collection per section and a field per front-matter field.
//!
//! Each field is made from the kind's JSON Schema ([`crate::schema`]): the same names, the same
//! required fields, the description as the hint, and a widget told from the schema's type (a
//! date pattern is a `datetime`, an `@/` link a `relation`, values a `select`, a nested struct an
//! `object`, text or a list of text a `list`). Fields are listed in the order the structs
//! declare them. Nothing of the CMS itself (its `index.html`, its script) is written.

use std::path::{Path, PathBuf};

use serde::de::{Deserialize, Deserializer, Visitor};
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::content::field_schemas::{DATE_PATTERN, LINK_PATTERN};
use crate::content::front_matter::{
    Online, RawCta, RawHero, RawOriginal, RawPage, RawRegistration, RawSection, Venue,
};
use crate::content::{Content, Kind, LoadOptions, Section};
use crate::diagnostics::Diagnostic;

/// The file written.
pub const FILE: &str = "config.yml";

/// The whole `config.yml`.
#[derive(Debug, Serialize)]
pub struct CmsConfig {
    /// How the CMS reaches the repository.
    pub backend: Backend,
    /// The site's address, for the CMS's links to it.
    pub site_url: String,
    /// Where uploads go in the repository.
    pub media_folder: String,
    /// The address of that folder on the site.
    pub public_folder: String,
    /// A field left empty is left out of the file (pamphlet reads `date: ""` as a bad date).
    pub omit_empty_optional_fields: bool,
    /// The languages of a site with `languages:`: each translation is the original's file
    /// with the language before `.md` (`about.cy.md`), edited beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i18n: Option<I18n>,
    /// The sections' collections, then the sections' own `_index.md` files.
    pub collections: Vec<Collection>,
}

/// Decap's `i18n` settings, as pamphlet names translations: `multiple_files`, the default
/// language without a suffix (`about.md`, `about.cy.md`).
#[derive(Debug, Serialize)]
pub struct I18n {
    /// `multiple_files`: a file per language beside the original.
    pub structure: String,
    /// The default language first, then those of `languages:`.
    pub locales: Vec<String>,
    /// The site's `language`.
    pub default_locale: String,
    /// The original has no language in its name.
    pub omit_default_locale_from_filename: bool,
}

/// The repository backend: Git Gateway on `main`, the Decap default; change it to yours.
#[derive(Debug, Serialize)]
pub struct Backend {
    /// The backend's name.
    pub name: String,
    /// The branch edits are committed to.
    pub branch: String,
}

/// A collection: the pages of one section (a folder), or the sections' `_index.md` files.
#[derive(Debug, Serialize)]
pub struct Collection {
    /// The collection's id.
    pub name: String,
    /// Its name in the CMS.
    pub label: String,
    /// The section's folder (`content/blog`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<String>,
    /// Whether editors may add pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create: Option<bool>,
    /// The file name of a new page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// A page bundle's path (`{{slug}}/index`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A bundle keeps its files beside its `index.md`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_folder: Option<String>,
    /// The address of a bundle's files, relative to the page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_folder: Option<String>,
    /// `md`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// YAML front matter between `---` lines.
    pub format: String,
    /// The files of a files collection (the sections' `_index.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<CmsFile>>,
    /// The fields of each page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// `true` on a site with languages: its pages have translations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i18n: Option<bool>,
}

/// One file of a files collection.
#[derive(Debug, Serialize)]
pub struct CmsFile {
    /// Its id.
    pub name: String,
    /// Its name in the CMS.
    pub label: String,
    /// Its path in the repository.
    pub file: String,
    /// Its fields.
    pub fields: Vec<Field>,
    /// `true` on a site with languages: a section's `_index.md` has translations too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i18n: Option<bool>,
}

/// A field of the form, as Decap's widgets take it.
#[derive(Debug, Default, Serialize)]
pub struct Field {
    /// Its label.
    pub label: String,
    /// The front-matter key.
    pub name: String,
    /// The widget that edits it.
    pub widget: String,
    /// Whether it must be filled (Decap's default is true, so it is always written).
    pub required: bool,
    /// What it is for, from the schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The values of a `select`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// A `relation`'s collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// What a `relation` writes: the `@/` link of the page chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_field: Option<String>,
    /// What a `relation` searches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_fields: Option<Vec<String>>,
    /// What a `relation` shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_fields: Option<Vec<String>>,
    /// Whether a `relation` takes several pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
    /// How a `datetime` is written (`YYYY-MM-DDTHH:mm`, as pamphlet reads local times).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `false` for a day without a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_format: Option<bool>,
    /// `int` for whole numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    /// A pattern the value must match, and the message when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<[String; 2]>,
    /// The fields of an `object`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// `true` for text a translation translates; a field without it is left out of a
    /// translation, which takes it from its original.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i18n: Option<bool>,
}

/// Where `pamphlet cms` writes when `--out` is not given: `<root>/static/admin/`, where Decap
/// looks for `config.yml` beside its `admin/index.html`.
pub fn default_out(root: &Path) -> PathBuf {
    root.join("static").join("admin")
}

/// Why `pamphlet cms` could not write the config.
#[derive(Debug)]
pub enum CmsError {
    /// A bad option (exit code 2).
    Usage(String),
    /// site.yaml cannot be read (exit code 1).
    Site(Vec<Diagnostic>),
}

/// `pamphlet cms`: reads site.yaml and the sections of `content/`, writes `config.yml` into
/// `out` (default [`default_out`]) and returns its path.
pub fn write_for_site(root: &Path, out: Option<&Path>) -> Result<PathBuf, CmsError> {
    if !root.is_dir() {
        return Err(CmsError::Usage(format!(
            "--root {}: there is no such folder",
            root.display()
        )));
    }
    let config = Config::load(root).map_err(CmsError::Site)?;
    let (content, _) = crate::content::load(root, &config, LoadOptions::everything());
    let text = to_yaml(&of_site(&config, &content, root));
    let out = out.map_or_else(|| default_out(root), Path::to_path_buf);
    let path = out.join(FILE);
    std::fs::create_dir_all(&out)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| CmsError::Usage(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// The config as written: a comment saying where it comes from, then the YAML.
pub fn to_yaml(config: &CmsConfig) -> String {
    let yaml = serde_saphyr::to_string(config).unwrap_or_default();
    format!(
        "# Decap CMS configuration written by `pamphlet cms` from site.yaml and content/.\n\
         # Set `backend` to your repository's; write it again when sections change.\n{yaml}"
    )
}

/// The CMS config of a site: a collection per section with pages, and one for the sections.
pub fn of_site(config: &Config, content: &Content, root: &Path) -> CmsConfig {
    // A translated section is its original's folder in another language, not a collection.
    let sections: Vec<&Section> = content
        .sections
        .values()
        .filter(|s| s.lang.is_none())
        .collect();
    let mut collections: Vec<Collection> = sections
        .iter()
        .map(|s| section_collection(s, content, &sections))
        .chain(sections_files(&sections, root))
        .collect();
    let i18n = (!config.languages.is_empty()).then(|| I18n {
        structure: "multiple_files".into(),
        locales: std::iter::once(config.language.clone())
            .chain(config.languages.keys().cloned())
            .collect(),
        default_locale: config.language.clone(),
        omit_default_locale_from_filename: true,
    });
    if i18n.is_some() {
        collections.iter_mut().for_each(translatable);
    }
    CmsConfig {
        i18n,
        backend: Backend {
            name: "git-gateway".into(),
            branch: "main".into(),
        },
        site_url: config.base_url.clone(),
        media_folder: "static/images".into(),
        public_folder: "/images".into(),
        omit_empty_optional_fields: true,
        collections,
    }
}

/// The collection name of a section: its folder (`events-2027`), `pages` for the home's.
fn collection_name(section: &Section) -> String {
    match section.dir.is_empty() {
        true => "pages".into(),
        false => section.dir.replace('/', "-"),
    }
}

fn folder_of(section: &Section) -> String {
    match section.dir.is_empty() {
        true => "content".into(),
        false => format!("content/{}", section.dir),
    }
}

/// Whether every page of a section (and there is one) is a bundle: new pages are then bundles.
fn is_bundle_section(section: &Section, content: &Content) -> bool {
    let key = &section.source.key;
    let mut pages = content
        .pages
        .iter()
        .filter(|p| p.section == *key)
        .peekable();
    pages.peek().is_some() && pages.all(|p| p.source.key.ends_with("/index.md"))
}

fn section_collection(section: &Section, content: &Content, all: &[&Section]) -> Collection {
    let spec = section.kind.spec();
    let bundle = is_bundle_section(section, content);
    let slug = match spec.dated_file_name {
        true => "{{year}}-{{month}}-{{day}}-{{slug}}",
        false => "{{slug}}",
    };
    let schema = crate::schema::page(section.kind);
    let mut fields = fields_of(&schema, declared_fields::<RawPage>(), all, bundle);
    fields.push(body(section.kind));
    Collection {
        name: collection_name(section),
        label: section.title.clone(),
        folder: Some(folder_of(section)),
        create: Some(true),
        slug: Some(slug.into()),
        path: bundle.then(|| "{{slug}}/index".into()),
        media_folder: bundle.then(String::new),
        public_folder: bundle.then(String::new),
        extension: Some("md".into()),
        format: "yaml-frontmatter".into(),
        files: None,
        fields: Some(fields),
        i18n: None,
    }
}

/// Marks a collection, its files and its text fields as translated.
fn translatable(collection: &mut Collection) {
    fn text_fields(fields: &mut [Field]) {
        for field in fields {
            if matches!(field.widget.as_str(), "string" | "text" | "markdown") {
                field.i18n = Some(true);
            }
        }
    }
    collection.i18n = Some(true);
    text_fields(collection.fields.as_deref_mut().unwrap_or_default());
    for file in collection.files.iter_mut().flatten() {
        file.i18n = Some(true);
        text_fields(&mut file.fields);
    }
}

/// The Markdown body, which Decap names `body`.
fn body(kind: Kind) -> Field {
    let (label, hint) = match kind {
        Kind::Video => (
            "Transcript",
            "The transcript or description of the video, in Markdown.",
        ),
        Kind::Chapter => (
            "Text",
            "The chapter's text, in Markdown; its headings are numbered.",
        ),
        _ => ("Body", "The page's text, in Markdown."),
    };
    Field {
        label: label.into(),
        name: "body".into(),
        widget: "markdown".into(),
        required: false,
        hint: Some(hint.into()),
        ..Field::default()
    }
}

/// The `_index.md` of every section, as a files collection (Decap edits each on its own).
fn sections_files(sections: &[&Section], root: &Path) -> Option<Collection> {
    let schema = crate::schema::section();
    let files: Vec<CmsFile> = sections
        .iter()
        .filter(|s| root.join(&s.source.file).is_file())
        .map(|s| {
            let mut fields = fields_of(&schema, declared_fields::<RawSection>(), &[], false);
            fields.push(Field {
                hint: Some("The section's introduction, in Markdown.".into()),
                label: "Introduction".into(),
                ..body(Kind::Page)
            });
            CmsFile {
                name: collection_name(s),
                label: s.title.clone(),
                file: crate::diagnostics::display_path(&s.source.file),
                fields,
                i18n: None,
            }
        })
        .collect();
    (!files.is_empty()).then(|| Collection {
        name: "sections".into(),
        label: "Sections".into(),
        folder: None,
        create: None,
        slug: None,
        path: None,
        media_folder: None,
        public_folder: None,
        extension: None,
        format: "yaml-frontmatter".into(),
        files: Some(files),
        fields: None,
        i18n: None,
    })
}

/// The fields of an object schema, in `order`; `extra` (free-form) has no widget and is left
/// out of the form.
fn fields_of(schema: &Value, order: &[&str], sections: &[&Section], bundle: bool) -> Vec<Field> {
    let properties = schema["properties"].as_object();
    let required = |name: &str| {
        schema["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|n| n == name))
    };
    order
        .iter()
        .filter(|name| **name != "extra")
        .filter_map(|name| {
            let property = properties?.get(*name)?;
            let context = FieldContext {
                root: schema,
                sections,
                bundle,
            };
            Some(field(name, property, required(name), &context))
        })
        .collect()
}

/// What a field's widget may depend on besides its own schema.
struct FieldContext<'a> {
    /// The whole schema, for its `$defs`.
    root: &'a Value,
    /// The site's sections, for the collection a relation points into.
    sections: &'a [&'a Section],
    /// Whether the collection is of bundles (images stay beside the page).
    bundle: bool,
}

fn field(name: &str, property: &Value, required: bool, cx: &FieldContext) -> Field {
    let schema = resolve(cx.root, property);
    let base = Field {
        label: label(name),
        name: name.into(),
        required,
        hint: property["description"]
            .as_str()
            .or(schema["description"].as_str())
            .map(str::to_string),
        ..Field::default()
    };
    if let Some(values) = choices(&schema) {
        return Field {
            widget: "select".into(),
            options: Some(values),
            ..base
        };
    }
    if let Some(one) = list_item(&schema) {
        return match one["pattern"].as_str() == Some(LINK_PATTERN) {
            true => link_field(base, name, true, cx),
            false => Field {
                widget: "list".into(),
                ..base
            },
        };
    }
    if schema["pattern"].as_str() == Some(DATE_PATTERN) {
        let with_time = matches!(name, "start" | "end" | "closes");
        return Field {
            widget: "datetime".into(),
            format: Some(
                if with_time {
                    "YYYY-MM-DDTHH:mm"
                } else {
                    "YYYY-MM-DD"
                }
                .into(),
            ),
            time_format: (!with_time).then_some(false),
            ..base
        };
    }
    if schema["pattern"].as_str() == Some(LINK_PATTERN) {
        return link_field(base, name, false, cx);
    }
    if let Some(properties) = schema["properties"].as_object() {
        let order: Vec<&str> = nested_order(name)
            .iter()
            .copied()
            .filter(|n| properties.contains_key(*n))
            .collect();
        return Field {
            widget: "object".into(),
            fields: Some(fields_of(&schema, &order, cx.sections, cx.bundle)),
            ..base
        };
    }
    let widget = match types(&schema).as_slice() {
        ["boolean"] => "boolean",
        ["integer"] => {
            return Field {
                widget: "number".into(),
                value_type: Some("int".into()),
                ..base
            }
        }
        _ if matches!(name, "image" | "poster") && !cx.bundle => "image",
        _ if matches!(name, "summary" | "transcript" | "description") => "text",
        _ => "string",
    };
    Field {
        widget: widget.into(),
        ..base
    }
}

/// The order of the fields of a nested struct, as it declares them.
fn nested_order(name: &str) -> &'static [&'static str] {
    match name {
        "originally_published" => declared_fields::<RawOriginal>(),
        "venue" => declared_fields::<Venue>(),
        "online" => declared_fields::<Online>(),
        "registration" => declared_fields::<RawRegistration>(),
        "hero" => declared_fields::<RawHero>(),
        "cta" => declared_fields::<RawCta>(),
        _ => &[],
    }
}

/// An `@/` link: a relation into the first section of the kind it names (`recording` a
/// video, `event` an event, `related` a post), writing `@/<folder>/<entry slug>.md` (Decap's
/// entry slug is the file's path in the folder without `.md`: `talk`, or `talk/index` in a
/// bundle); text with the pattern when the site has no such section.
fn link_field(base: Field, name: &str, multiple: bool, cx: &FieldContext) -> Field {
    let wants = match name {
        "recording" => Kind::Video,
        "event" => Kind::Event,
        _ => Kind::Post,
    };
    let target = cx
        .sections
        .iter()
        .find(|s| s.kind == wants && !s.dir.is_empty());
    match target {
        Some(section) => Field {
            widget: "relation".into(),
            collection: Some(collection_name(section)),
            value_field: Some(format!("@/{}/{{{{slug}}}}.md", section.dir)),
            search_fields: Some(vec!["title".into()]),
            display_fields: Some(vec!["title".into()]),
            multiple: multiple.then_some(true),
            ..base
        },
        None => Field {
            widget: if multiple { "list" } else { "string" }.into(),
            pattern: (!multiple).then(|| {
                [
                    LINK_PATTERN.to_string(),
                    "an @/ link to the page's file, e.g. @/videos/webinar.md".to_string(),
                ]
            }),
            ..base
        },
    }
}

/// A `$ref` replaced by its definition; `anyOf [x, null]` by `x`.
fn resolve(root: &Value, schema: &Value) -> Value {
    if let Some(target) = schema["$ref"].as_str() {
        let name = target.trim_start_matches("#/$defs/");
        return resolve(root, &root["$defs"][name]);
    }
    if let Some(options) = schema["anyOf"].as_array() {
        let real: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
        if let [only] = real.as_slice() {
            return resolve(root, only);
        }
    }
    schema.clone()
}

/// The values of an enumeration (`enum`, or `oneOf` of `const`s), `null` left out.
fn choices(schema: &Value) -> Option<Vec<String>> {
    let strings = |values: &[Value]| -> Vec<String> {
        values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    if let Some(values) = schema["enum"].as_array() {
        return Some(strings(values));
    }
    let consts: Vec<Value> = schema["oneOf"]
        .as_array()?
        .iter()
        .map(|o| o["const"].clone())
        .collect();
    consts
        .iter()
        .all(|c| !c.is_null())
        .then(|| strings(&consts))
}

/// The item of "one, or a list of" (`tags: policy` or `tags: [a, b]`).
fn list_item(schema: &Value) -> Option<Value> {
    let options = schema["anyOf"].as_array()?;
    options
        .iter()
        .find(|o| o["type"] == "array")
        .map(|a| a["items"].clone())
}

/// A schema's types, `null` left out.
fn types(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

/// `originally_published` → "Originally published"; `url` → "URL".
fn label(name: &str) -> String {
    if matches!(name, "url" | "id") {
        return name.to_uppercase();
    }
    let text = name.replace('_', " ");
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The fields of a struct in the order it declares them, as its `Deserialize` names them (the
/// schema's properties are sorted by name; a form reads better in the struct's order).
pub fn declared_fields<T: Deserialize<'static>>() -> &'static [&'static str] {
    struct Names(&'static [&'static str]);
    impl<'de> Deserializer<'de> for &mut Names {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(serde::de::Error::custom("names read"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_in_the_order_the_struct_declares_them() {
        let names = declared_fields::<RawPage>();
        assert_eq!(&names[..3], ["title", "date", "updated"]);
        assert_eq!(declared_fields::<Venue>(), ["name", "address", "postcode"]);
    }
}
