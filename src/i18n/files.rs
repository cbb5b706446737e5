//! Reading the strings files of the theme and the site, and what is wrong with them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{file_code, Text, DIR, PLURAL_CATEGORIES};
use crate::diagnostics::Diagnostic;
use crate::yaml::Fragment;

/// One strings file as read: the language it is for (`cy`), the file as shown in
/// diagnostics and its text.
#[derive(Debug, Clone)]
pub struct StringsFile {
    /// The file's name without `.yaml`: the first subtag of the language.
    pub code: String,
    /// The file as shown in diagnostics (`themes/default/i18n/cy.yaml`).
    pub file: PathBuf,
    /// Its text.
    pub text: String,
}

impl StringsFile {
    /// A file called `<code>.yaml`, or `None` for one of another name.
    pub fn named(name: &str, file: PathBuf, text: String) -> Option<StringsFile> {
        let code = name.strip_suffix(".yaml").or(name.strip_suffix(".yml"))?;
        Some(StringsFile {
            code: code.to_ascii_lowercase(),
            file,
            text,
        })
    }
}

/// A language's texts in one file.
struct Read {
    file: PathBuf,
    texts: BTreeMap<String, Text>,
}

/// The theme's and the site's strings, by language code.
pub(super) struct Files {
    theme: BTreeMap<String, Read>,
    site: BTreeMap<String, Read>,
}

impl Files {
    /// Reads the theme's files and the site's `i18n/*.yaml`; a file that cannot be read is an
    /// error in `found`, and counts as empty.
    pub fn read(root: &Path, theme: &[StringsFile], found: &mut Vec<Diagnostic>) -> Files {
        let mut files = Files {
            theme: BTreeMap::new(),
            site: BTreeMap::new(),
        };
        // The built-in theme's words are under any theme's, as its built-in templates are.
        for f in theme_default().iter().chain(theme) {
            let read = parse(f, found);
            match files.theme.get_mut(&f.code) {
                Some(under) => {
                    under.texts.extend(read.texts);
                    under.file = read.file;
                }
                None => {
                    files.theme.insert(f.code.clone(), read);
                }
            }
        }
        for f in site_files(root, found) {
            files.site.insert(f.code.clone(), parse(&f, found));
        }
        files
    }

    /// Whether the theme or the site has a file for `code`.
    pub fn has(&self, code: &str) -> bool {
        self.theme.contains_key(code) || self.site.contains_key(code)
    }

    /// The texts of `code`: the site's over the theme's.
    pub fn merged(&self, code: &str) -> BTreeMap<String, Text> {
        let mut texts = self
            .theme
            .get(code)
            .map(|r| r.texts.clone())
            .unwrap_or_default();
        if let Some(site) = self.site.get(code) {
            texts.extend(site.texts.clone());
        }
        texts
    }

    /// A warning for each key of English that the files of `code` lack, at the site's file
    /// when there is one (that is where to add it), else the theme's.
    pub fn missing_keys(
        &self,
        code: &str,
        tag: &str,
        english: &BTreeMap<String, Text>,
    ) -> Vec<Diagnostic> {
        if code == "en" {
            return Vec::new();
        }
        let own = self.merged(code);
        let Some(file) = self.site.get(code).or_else(|| self.theme.get(code)) else {
            return Vec::new();
        };
        english
            .iter()
            .filter(|(key, _)| !own.contains_key(*key))
            .map(|(key, text)| {
                let example = match text {
                    Text::Plain(s) => format!("{key}: \"{s}\""),
                    Text::Plural(forms) => format!(
                        "{key}: {{ one: ..., other: ... }} (English: \"{}\")",
                        forms.get("other").map_or("", String::as_str)
                    ),
                };
                Diagnostic::warning(
                    &file.file,
                    0,
                    0,
                    format!(
                        "the string \"{key}\" is missing for language \"{tag}\"; the text of the default language (else English) is used"
                    ),
                )
                .with_hint(format!("add its translation to {}: {example}", shown_site_file(code)))
            })
            .collect()
    }
}

/// The site's `i18n/<code>.yaml`, as a hint names it.
fn shown_site_file(code: &str) -> String {
    format!("{DIR}/{code}.yaml")
}

/// The finding for a language with no strings file, at its line of site.yaml (`site_yaml`,
/// found under `key`): an error for one of `languages:`, a warning (English is used) for the
/// default language.
pub(super) fn no_file(
    code: &str,
    tag: &str,
    error: bool,
    site_yaml: &str,
    key: &str,
) -> Diagnostic {
    let file = shown_site_file(code);
    let site = crate::yaml::Fragment::new(Path::new("site.yaml"), site_yaml, site_yaml, 0);
    let (line, col) = site.written_at(key).unwrap_or((0, 0));
    let message = format!("there are no strings for language \"{tag}\" (no {file})");
    let hint = format!(
        "add {file} beside site.yaml with the theme's words in that language (copy themes/default/i18n/en.yaml and translate it)"
    );
    let found = match error {
        true => Diagnostic::error(PathBuf::from("site.yaml"), line, col, message),
        false => Diagnostic::warning(
            PathBuf::from("site.yaml"),
            line,
            col,
            format!("{message}; English is used"),
        ),
    };
    found.with_source(site_yaml).with_hint(hint)
}

/// The site's strings files, sorted by name.
fn site_files(root: &Path, found: &mut Vec<Diagnostic>) -> Vec<StringsFile> {
    let Ok(entries) = std::fs::read_dir(root.join(DIR)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // Hidden files (an editor's `.#cy.yaml`) are not strings; backups (`cy.yaml~`) are
        // not `.yaml` files.
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let shown = Path::new(DIR).join(&name);
            let bytes = match std::fs::read(root.join(&shown)) {
                Ok(b) => b,
                Err(e) => {
                    found.push(Diagnostic::error(
                        &shown,
                        0,
                        0,
                        format!("cannot read it: {e}"),
                    ));
                    return None;
                }
            };
            let text = match crate::diagnostics::decode_text(&shown, &bytes) {
                Ok(t) => t,
                Err(d) => {
                    found.push(d);
                    return None;
                }
            };
            StringsFile::named(&name, shown, text)
        })
        .filter(|f| file_code(&f.code) == f.code)
        .collect()
}

/// A file's texts; a file with nothing in it (or only comments) has none.
fn parse(f: &StringsFile, found: &mut Vec<Diagnostic>) -> Read {
    let empty = f
        .text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---");
    let fragment = Fragment::new(&f.file, &f.text, &f.text, 0);
    let texts: BTreeMap<String, Text> = match empty {
        true => BTreeMap::new(),
        false => match fragment.parse() {
            Ok(t) => t,
            Err(d) => {
                found.push(d.with_hint(
                    "a strings file maps each key to its text (`next: Next`), or to its plural forms (`minutes: { one: \"{count} minute\", other: \"{count} minutes\" }`)",
                ));
                BTreeMap::new()
            }
        },
    };
    for (key, text) in &texts {
        if let Text::Plural(forms) = text {
            for category in forms.keys() {
                if !PLURAL_CATEGORIES.contains(&category.as_str()) {
                    let at = format!("{key}.{category}");
                    found.push(
                        fragment
                            .error_for(
                                &at,
                                format!("{key}: \"{category}\" is not a plural category"),
                            )
                            .with_hint(format!(
                                "the plural forms are keyed by CLDR's categories: {}",
                                PLURAL_CATEGORIES.join(", ")
                            )),
                    );
                }
            }
        }
    }
    Read {
        file: f.file.clone(),
        texts,
    }
}

/// The default theme's English, the words of a site before its settings are read.
pub(super) fn english() -> Vec<StringsFile> {
    theme_default().into_iter().take(1).collect()
}

/// The default theme's strings files (the theme module embeds the same files for builds).
pub(super) fn theme_default() -> Vec<StringsFile> {
    [
        ("en", include_str!("../../themes/default/i18n/en.yaml")),
        ("cy", include_str!("../../themes/default/i18n/cy.yaml")),
    ]
    .into_iter()
    .map(|(code, text)| StringsFile {
        code: code.into(),
        file: PathBuf::from(format!("themes/default/i18n/{code}.yaml")),
        text: text.into(),
    })
    .collect()
}
