//! The taxonomy fields of front matter. site.yaml names the taxonomies (`taxonomies: [tags,
//! topics]`) and a page lists its terms of each under the taxonomy's name (`topics: [a, b]`).
//! The typed front matter ([`RawPage`]) cannot know those names, so they are read here first
//! and their lines left blank for the typed read. A field that would be a taxonomy the site
//! does not declare (`topics:` with `taxonomies: [tags]`, `tags:` with `taxonomies: []`) is an
//! error at its line, with the taxonomy it likely meant; any other unknown field is left to
//! the typed read to report.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::front_matter::{RawPage, Terms};
use crate::config::Config;
use crate::diagnostics::{did_you_mean, hard_to_see, Diagnostic};
use crate::yaml::{self, Field, Fragment};

/// The taxonomy sites have unless site.yaml says otherwise, read by [`RawPage`] itself.
pub const TAGS: &str = "tags";

/// What reading the taxonomy fields of one front matter found.
#[derive(Debug)]
pub struct Taken<'a> {
    /// The front matter with the lines of the fields read here left blank (so every line
    /// keeps its number), for the typed read.
    pub yaml: Cow<'a, str>,
    /// The terms of each declared taxonomy but `tags`, by taxonomy name.
    pub terms: BTreeMap<String, Vec<String>>,
    /// Errors at the fields read here.
    pub errors: Vec<Diagnostic>,
}

impl<'a> Taken<'a> {
    /// Nothing taken from the front matter `yaml`.
    pub fn nothing(yaml: &'a str) -> Self {
        Taken {
            yaml: Cow::Borrowed(yaml),
            terms: BTreeMap::new(),
            errors: Vec::new(),
        }
    }
}

/// Whether [`take`] has nothing to do for a front matter that reads as a [`RawPage`] as a
/// whole: true on a site that declares `tags`. A field of any other taxonomy is unknown to
/// `RawPage` (so the front matter would not read as one), and `tags`, which `RawPage` reads
/// itself, is only taken where it is not declared. Most pages are read so: with one typed
/// parse and no spanned tree.
pub fn nothing_to_take(taxonomies: &[String]) -> bool {
    taxonomies.iter().any(|t| t == TAGS)
}

/// Reads the fields of the declared `taxonomies` (but `tags`) from a page's front matter, and
/// reports those of undeclared ones.
pub fn take<'a>(fragment: &Fragment<'a>, taxonomies: &[String]) -> Taken<'a> {
    let mut taken = Taken::nothing(fragment.yaml());
    // A front matter written as one flow mapping (`{title: A}`) is left to the typed read.
    let Some(fields) = fragment.fields() else {
        return taken;
    };
    let declared = |key: &str| taxonomies.iter().any(|t| t == key);
    let mut blank = Vec::new();
    for (n, field) in fields.iter().enumerate() {
        let key = field.key.as_str();
        if declared(key) && key != TAGS {
            blank.push(n);
            if taken.terms.contains_key(key) {
                let d = fragment.error_at(
                    field.first_line + 1,
                    1,
                    format!("{key}: this field is written twice"),
                );
                taken
                    .errors
                    .push(d.with_hint("keep only one of the lines that set it"));
                continue;
            }
            match read(fragment, field) {
                Ok(terms) => {
                    taken.errors.extend(nameless(fragment, key, &terms));
                    taken.terms.insert(key.to_string(), terms);
                }
                Err(d) => taken.errors.push(d),
            }
        } else if !declared(key) && looks_like_a_taxonomy(fragment, field) {
            blank.push(n);
            taken.errors.push(undeclared(fragment, field, taxonomies));
        }
    }
    if !blank.is_empty() {
        taken.yaml = Cow::Owned(blanked(fragment.yaml(), &fields, &blank));
    }
    taken
}

/// The terms written in one field.
fn read<'a>(fragment: &Fragment<'a>, field: &Field<'a>) -> Result<Vec<String>, Diagnostic> {
    let mut read: BTreeMap<String, Terms> = fragment.field(field).parse()?;
    Ok(read.remove(&field.key).unwrap_or_default().0)
}

/// Whether an unknown field is one of an undeclared taxonomy: `tags:`, or a key that is no
/// field's misspelling (nor holds a character hard to see) and lists terms. Other unknown
/// fields are reported by the typed read, with the field they likely meant.
fn looks_like_a_taxonomy<'a>(fragment: &Fragment<'a>, field: &Field<'a>) -> bool {
    let key = field.key.as_str();
    if key == TAGS {
        return true;
    }
    let known = yaml::field_names::<RawPage>();
    !known.contains(&key)
        && !key.chars().any(|c| hard_to_see(c).is_some())
        && did_you_mean(key, known.iter().copied()).is_none()
        && read(fragment, field).is_ok()
}

/// The error at a field of a taxonomy site.yaml does not declare.
fn undeclared(fragment: &Fragment, field: &Field, taxonomies: &[String]) -> Diagnostic {
    let key = field.key.as_str();
    let message = format!("unknown field `{key}`: site.yaml declares no taxonomy `{key}`");
    let names = || taxonomies.iter().map(String::as_str);
    let with_it = names().chain([key]).collect::<Vec<_>>().join(", ");
    let declare =
        format!("to classify pages by {key}, add it to site.yaml: `taxonomies: [{with_it}]`");
    let closest = did_you_mean(key, names()).or_else(|| {
        names()
            .map(|t| (strsim::jaro_winkler(key, t), t))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, t)| t)
    });
    let hint = match closest {
        Some(best) => format!("did you mean `{best}`? Or, {declare}"),
        None => format!("{declare}; or remove the field"),
    };
    fragment
        .error_at(field.first_line + 1, 1, message)
        .with_hint(hint)
}

/// Terms whose name has no letter or digit, which would have no page of their own.
fn nameless(fragment: &Fragment, key: &str, terms: &[String]) -> Option<Diagnostic> {
    let n = terms.iter().position(|t| slug::slugify(t).is_empty())?;
    let d = fragment.error_for(
        &format!("{key}.{n}"),
        format!(
            "{key}: \"{}\" has no letter or digit to name its page by",
            terms[n]
        ),
    );
    Some(d.with_hint(format!(
        "give each term at least one letter or digit, e.g. `{key}: [policy]`"
    )))
}

/// The YAML with the lines of the fields numbered in `blank` left empty.
fn blanked(yaml: &str, fields: &[Field], blank: &[usize]) -> String {
    let preamble = fields.first().map_or(yaml.len(), |f| {
        f.text.as_ptr() as usize - yaml.as_ptr() as usize
    });
    let mut out = yaml[..preamble].to_string();
    for (n, field) in fields.iter().enumerate() {
        match blank.contains(&n) {
            true => out.push_str(&"\n".repeat(field.line_count())),
            false => out.push_str(field.text),
        }
    }
    out
}

/// The taxonomies of site.yaml that cannot be: a name that is not a plain lowercase word
/// (it is a front-matter field and a URL segment), one declared twice, or one that is a
/// front-matter field already (`authors`).
pub fn check_names(config: &Config) -> Vec<Diagnostic> {
    let known = yaml::field_names::<RawPage>();
    let mut errors = Vec::new();
    for (n, name) in config.taxonomies.iter().enumerate() {
        let at = format!("taxonomies.{n}");
        let plain = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        let (message, hint) = if !plain {
            (
                format!("taxonomies: \"{name}\" cannot name a taxonomy"),
                "a taxonomy's name is a front-matter field and a URL segment: use lowercase letters, digits, `-` or `_`, starting with a letter, e.g. `topics`".to_string(),
            )
        } else if config.taxonomies[..n].contains(name) {
            (
                format!("taxonomies: \"{name}\" is declared twice"),
                "keep one of them".to_string(),
            )
        } else if name != TAGS && known.contains(&name.as_str()) {
            (
                format!("taxonomies: \"{name}\" is a front-matter field already"),
                format!("give the taxonomy another name, e.g. `{name}_terms`"),
            )
        } else {
            continue;
        };
        errors.push(config.error_for(&at, message).with_hint(hint));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn taken<'a>(yaml: &'a str, taxonomies: &[&str]) -> Taken<'a> {
        let fragment = Fragment::new(Path::new("content/x.md"), yaml, yaml, 1);
        let taxonomies: Vec<String> = taxonomies.iter().map(|t| t.to_string()).collect();
        take(&fragment, &taxonomies)
    }

    #[test]
    fn declared_taxonomies_are_read_and_their_lines_left_blank() {
        let t = taken(
            "title: A\ntopics:\n  - Mental health\n  - Schools\naudiences: parents\n",
            &["tags", "topics", "audiences"],
        );
        assert!(t.errors.is_empty(), "{:?}", t.errors);
        assert_eq!(t.yaml, "title: A\n\n\n\n\n");
        assert_eq!(t.terms["topics"], ["Mental health", "Schools"]);
        assert_eq!(t.terms["audiences"], ["parents"]);
    }

    #[test]
    fn tags_are_left_to_the_typed_read_and_other_unknown_fields_too() {
        let t = taken("title: A\ntags: [a]\ntitel: B\nvenue: {}\n", &["tags"]);
        assert!(t.errors.is_empty());
        assert!(matches!(t.yaml, Cow::Borrowed(_)));
    }

    #[test]
    fn an_undeclared_taxonomy_is_an_error_at_its_line() {
        let t = taken("title: A\ntopics: [a]\n", &["tags"]);
        assert_eq!(t.errors.len(), 1);
        let e = &t.errors[0];
        assert_eq!((e.line, e.col), (3, 1));
        assert_eq!(
            e.message,
            "unknown field `topics`: site.yaml declares no taxonomy `topics`"
        );
        assert!(e
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `tags`?"));
        let t = taken("title: A\ntags: [a]\n", &[]);
        assert_eq!(t.errors[0].line, 3);
        assert!(t.errors[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("`taxonomies: [tags]`"));
        let typo = taken("title: A\ntopcs: [a]\n", &["tags", "topics"]);
        assert!(typo.errors[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `topics`?"));
    }

    #[test]
    fn a_term_must_be_text_with_a_letter_or_digit() {
        let t = taken("title: A\ntopics: {a: 1}\n", &["topics"]);
        assert_eq!(t.errors[0].line, 3, "{:?}", t.errors);
        let t = taken("title: A\ntopics: [ok, \"!!\"]\n", &["topics"]);
        assert!(t.errors[0]
            .message
            .contains("\"!!\" has no letter or digit"));
    }
}
