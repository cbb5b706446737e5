//! Translations: `about.cy.md` is the Welsh `about.md`, `blog/_index.cy.md` the Welsh blog
//! section, `b/index.cy.md` the Welsh page of a bundle. A translation takes the fields it does
//! not write from the page it translates (an event's `start`, a section's `kind`), and each
//! language has its own tree of sections, so its lists hold only its pages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::discovery::{dir_of, section_key, Discovered};
use super::{kinds, read_source, Section, Source};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::languages::{split_key, translated_key};

/// Fields a translation never takes from its original: its words, and the old addresses
/// that only the original had.
const NOT_INHERITED: &[&str] = &["title", "summary", "aliases"];

/// The language of a content file (`Some("cy")` for `about.cy.md` on a site whose
/// `languages:` lists `cy`; `None` for the default language, suffixed or not), or the error
/// for a suffix naming a language the site does not have.
pub fn language_of(key: &str, config: &Config) -> Result<Option<String>, Diagnostic> {
    let Some((base, lang)) = split_key(key) else {
        return Ok(None);
    };
    if config.languages.contains_key(lang) {
        return Ok(Some(lang.to_string()));
    }
    let primary = crate::languages::primary;
    if lang.eq_ignore_ascii_case(&config.language) || primary(lang) == primary(&config.language) {
        return Ok(None);
    }
    let configured: Vec<&str> = config.languages.keys().map(String::as_str).collect();
    let best = crate::diagnostics::did_you_mean(lang, configured.iter().copied())
        .or_else(|| (configured.len() == 1).then(|| configured[0]));
    let listed = std::iter::once(format!("{} (the default)", config.language))
        .chain(configured.iter().map(|c| c.to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    let add = format!("to publish in \"{lang}\", add `{lang}:` under `languages:` in site.yaml");
    let hint = match best {
        Some(best) => format!(
            "did you mean {}? The site's languages are {listed}; {add}",
            translated_key(&base, best)
        ),
        None => format!("the site's languages are {listed}; {add}"),
    };
    let file = Path::new("content").join(key);
    let message = format!("\"{lang}\" is a language that site.yaml does not list");
    Err(Diagnostic::error(&file, 0, 0, message).with_hint(hint))
}

/// Reads a content file; for a translation whose original exists, with the original's
/// front matter fields it does not write itself (see [`inherit`]).
pub fn read(root: &Path, key: &str) -> Result<Source, Diagnostic> {
    let mut source = read_source(root, key)?;
    if let Some((base, _)) = split_key(key) {
        if let Ok(original) = read_source(root, &base) {
            let own = &source.text[source.yaml.clone()];
            source.inherited = inherit(own, &original.text[original.yaml.clone()]).map(Into::into);
        }
    }
    Ok(source)
}

/// A translation's front matter followed by the top-level fields of its original's that it
/// does not write (but for [`NOT_INHERITED`]), so that every kind's fields are read and
/// checked as if written in it. `None` when there is nothing to take.
pub fn inherit(own: &str, original: &str) -> Option<String> {
    let written: BTreeSet<&str> = fields(own).map(|(name, _)| name).collect();
    let taken: Vec<&str> = fields(original)
        .filter(|(name, _)| !written.contains(name) && !NOT_INHERITED.contains(name))
        .map(|(_, block)| block)
        .collect();
    if taken.is_empty() {
        return None;
    }
    let mut merged = own.trim_end_matches('\n').to_string();
    for block in taken {
        merged.push('\n');
        merged.push_str(block.trim_end_matches('\n'));
    }
    merged.push('\n');
    Some(merged)
}

/// The top-level fields of a front matter: each one's name and its lines (the key's and the
/// indented or list lines below it).
fn fields(yaml: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut starts: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        if let Some(name) = top_level_key(line) {
            starts.push((at, name));
        }
        at += line.len();
    }
    let ends: Vec<usize> = starts.iter().skip(1).map(|(s, _)| *s).collect();
    starts
        .into_iter()
        .zip(ends.into_iter().chain([yaml.len()]))
        .map(move |((start, name), end)| (name, &yaml[start..end]))
}

/// The key a front matter line starts at its first column (`venue` in `venue:`).
fn top_level_key(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with('-');
    plain.then_some(key)
}

/// The sections of every language of the site besides the default one, added to `sections`
/// (which holds the default language's, parents first): the home page of each language,
/// each `_index.<lang>.md`, and each section a translated page is in, with their parents; a
/// section with no file of its own in a language is its original's, with no text. Returns
/// the keys of the sections whose kind cannot be told (see `load_sections`).
pub fn load_sections(
    root: &Path,
    found: &Discovered,
    config: &Config,
    sections: &mut BTreeMap<String, Section>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeSet<String> {
    let mut unknown = BTreeSet::new();
    for lang in config.languages.keys() {
        let own: BTreeSet<&String> = found
            .translated_sections
            .iter()
            .filter(|k| split_key(k).is_some_and(|(_, l)| l == lang))
            .collect();
        let with_section: BTreeSet<String> = sections
            .values()
            .filter(|s| s.lang.is_none())
            .map(|s| s.dir.clone())
            .chain(own.iter().map(|k| dir_of(k)))
            .collect();
        let mut needed = BTreeSet::from([String::new()]);
        let pages = found.pages.iter().filter_map(|p| {
            let (base, l) = split_key(&p.key)?;
            (l == lang).then_some(base)
        });
        let page_dirs = pages.map(|base| {
            let dir = dir_of(&base);
            match base.ends_with("/index.md") || base == "index.md" {
                true => dir_of(&dir),
                false => dir,
            }
        });
        for dir in own.iter().map(|k| dir_of(k)).chain(page_dirs) {
            let mut dir = Some(dir);
            while let Some(d) = dir {
                if with_section.contains(&d) {
                    needed.insert(d.clone());
                }
                dir = (!d.is_empty()).then(|| dir_of(&d));
            }
        }
        let mut needed: Vec<String> = needed.into_iter().collect();
        needed.sort_by_key(|d| (!d.is_empty(), d.matches('/').count()));
        for dir in needed {
            let key = translated_key(&section_key(&dir), lang);
            let parent = (!dir.is_empty()).then(|| {
                let mut up = dir_of(&dir);
                while !up.is_empty() && !with_section.contains(&up) {
                    up = dir_of(&up);
                }
                translated_key(&section_key(&up), lang)
            });
            let original = sections
                .get(&section_key(&dir))
                .filter(|s| s.lang.is_none());
            let made_up = || made_up_section(original, &key, lang, config);
            let mut section = match own.contains(&key) {
                false => made_up(),
                true => {
                    let parent_section = parent.as_ref().and_then(|p| sections.get(p));
                    let read = read(root, &key)
                        .map_err(|d| vec![d])
                        .and_then(|src| kinds::parse_section(src, parent_section, config));
                    match read {
                        Ok(mut section) => {
                            section.source.forget_body();
                            section
                        }
                        Err(d) => {
                            diagnostics.extend(d);
                            if original.is_none() {
                                unknown.insert(key.clone());
                            }
                            made_up()
                        }
                    }
                }
            };
            section.lang = Some(lang.clone());
            section.parent = parent;
            sections.insert(key, section);
        }
    }
    unknown
}

/// The section of a language that has no file of its own: its original's settings (or a
/// home page's), its title (the language's site title for a home page), and no text.
fn made_up_section(original: Option<&Section>, key: &str, lang: &str, config: &Config) -> Section {
    let mut section = original
        .cloned()
        .unwrap_or_else(|| kinds::implicit_home(config));
    section.dir = dir_of(key);
    if section.dir.is_empty() {
        section.title = config.title_in(Some(lang)).to_string();
    }
    section.source.key = key.to_string();
    section.source.text.clear();
    section.source.yaml = 0..0;
    section.source.body_start = 0;
    section.source.body_line = 1;
    section.source.inherited = None;
    section.summary = None;
    section
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_takes_the_fields_it_does_not_write() {
        let original = "title: Launch\nstart: 2017-03-14T10:00\nvenue:\n  name: Hall\n  city: Leeds\naliases: [/old/]\n";
        let own = "title: Lansiad\nstart: 2017-03-15T10:00\n";
        assert_eq!(
            inherit(own, original).as_deref(),
            Some("title: Lansiad\nstart: 2017-03-15T10:00\nvenue:\n  name: Hall\n  city: Leeds\n")
        );
        assert_eq!(
            inherit("title: A\nkind: post\n", "title: B\nkind: post\n"),
            None
        );
    }
}
