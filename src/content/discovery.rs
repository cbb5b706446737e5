//! Finding content files: one walk of `content/`, classified into sections, pages, page
//! bundles with their assets, and loose files. Hidden files and editor backups are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::Section;
use crate::diagnostics::Diagnostic;

/// A page found on disk, before it is read.
#[derive(Debug, Clone)]
pub struct FoundPage {
    /// Path relative to `content/` with `/` separators.
    pub key: String,
    /// Files to copy beside the page's output (bundles only): absolute source paths.
    pub assets: Vec<PathBuf>,
}

/// The result of walking `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Keys of the `_index.md` files.
    pub sections: Vec<String>,
    /// Keys of the sections' translations (`blog/_index.cy.md`).
    pub translated_sections: Vec<String>,
    /// Pages, sorted by key.
    pub pages: Vec<FoundPage>,
    /// Other files: (absolute source, path relative to content).
    pub files: Vec<(PathBuf, String)>,
    /// Keys of the sections' spreadsheets of pages (`events/_pages.csv`), never copied.
    pub sheets: Vec<String>,
}

/// Whether a file name belongs to an editor or the OS rather than to the author.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".bak",
            ".tmp",
            ".orig",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Walks `root/content` once and classifies what it finds.
pub fn discover(root: &Path) -> Result<Discovered, Diagnostic> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::general(format!(
            "there is no content/ folder in {}",
            root.display()
        ))
        .with_hint(
            "create content/_index.md for the home page (pamphlet init DIR creates a whole site)",
        ));
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| Diagnostic::general(format!("cannot read content/: {e}")))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&content).unwrap_or(entry.path());
            let key = rel.to_string_lossy().replace('\\', "/");
            files.push((entry.path().to_path_buf(), key));
        }
    }
    Ok(classify(files))
}

/// The key a content file has in the default language: `blog/x.md` for `blog/x.cy.md`.
fn untranslated(key: &str) -> std::borrow::Cow<'_, str> {
    match crate::languages::split_key(key) {
        Some((base, _)) => base.into(),
        None => key.into(),
    }
}

fn classify(files: Vec<(PathBuf, String)>) -> Discovered {
    let bundles: BTreeSet<String> = files
        .iter()
        .filter(|(_, k)| k.ends_with(".md") && untranslated(k).ends_with("/index.md"))
        .map(|(_, k)| dir_of(k))
        .collect();
    let mut found = Discovered::default();
    let mut assets: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (path, key) in files {
        let bundle = bundles.iter().find(|b| key.starts_with(&format!("{b}/")));
        let base = untranslated(&key).into_owned();
        match bundle {
            Some(b) if base != format!("{b}/index.md") => {
                assets.entry(b.clone()).or_default().push(path);
            }
            _ if key == "_index.md" || key.ends_with("/_index.md") => found.sections.push(key),
            _ if base == "_index.md" || base.ends_with("/_index.md") => {
                found.translated_sections.push(key)
            }
            _ if key == super::rows::FILE_NAME
                || key.ends_with(&format!("/{}", super::rows::FILE_NAME)) =>
            {
                found.sheets.push(key)
            }
            _ if key.ends_with(".md") => found.pages.push(FoundPage {
                key,
                assets: Vec::new(),
            }),
            _ => found.files.push((path, key)),
        }
    }
    for page in &mut found.pages {
        // A bundle's translations (`index.cy.md`) share its files.
        if let Some(a) = assets
            .get(&dir_of(&page.key))
            .filter(|_| untranslated(&page.key).ends_with("index.md"))
        {
            page.assets = a.clone();
        }
    }
    found
}

/// The directory part of a content key (`blog` for `blog/x.md`, `` for `about.md`).
pub fn dir_of(key: &str) -> String {
    key.rfind('/')
        .map_or(String::new(), |i| key[..i].to_string())
}

/// The key of the section of a content folder: `blog/_index.md`, `_index.md` for the root.
pub fn section_key(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    }
}

/// The nearest section at or above `dir`, in language `lang` (`None`: the default).
fn nearest_section(
    mut dir: String,
    lang: Option<&str>,
    sections: &BTreeMap<String, Section>,
) -> String {
    loop {
        let key = section_key(&dir);
        let key = match lang {
            Some(lang) => crate::languages::translated_key(&key, lang),
            None => key,
        };
        if sections.contains_key(&key) || dir.is_empty() {
            return key;
        }
        dir = dir_of(&dir);
    }
}

/// The section a page belongs to: the nearest `_index.md` above it (a bundle's own
/// directory does not count); for a translation (`x.cy.md`), the nearest of its language's
/// sections, which exist for each language of the site (its home, `_index.cy.md`, always).
pub fn owning_section(page_key: &str, sections: &BTreeMap<String, Section>) -> String {
    let (page_key, lang) = match crate::languages::split_key(page_key) {
        Some((base, lang)) if sections.contains_key(&format!("_index.{lang}.md")) => {
            (std::borrow::Cow::Owned(base), Some(lang))
        }
        _ => (std::borrow::Cow::Borrowed(page_key), None),
    };
    let mut dir = dir_of(&page_key);
    if page_key.ends_with("/index.md") || page_key == "index.md" {
        dir = dir_of(&dir);
    }
    nearest_section(dir, lang, sections)
}

/// The parent of a section, among the sections loaded so far (parents load first).
pub fn parent_section_key(key: &str, sections: &BTreeMap<String, Section>) -> Option<String> {
    if key == "_index.md" {
        return None;
    }
    Some(nearest_section(dir_of(&dir_of(key)), None, sections))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_take_their_files() {
        let files = [
            "_index.md",
            "blog/_index.md",
            "blog/b/index.md",
            "blog/b/chart.svg",
            "blog/a.md",
            "logo.png",
        ]
        .iter()
        .map(|k| (PathBuf::from(k), k.to_string()))
        .collect();
        let d = classify(files);
        assert_eq!(d.sections, vec!["_index.md", "blog/_index.md"]);
        assert_eq!(d.pages.len(), 2);
        let bundle = d.pages.iter().find(|p| p.key == "blog/b/index.md").unwrap();
        assert_eq!(bundle.assets, vec![PathBuf::from("blog/b/chart.svg")]);
        assert_eq!(d.files.len(), 1);
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored(".hidden.md"));
        assert!(is_ignored("post.md~"));
        assert!(is_ignored("post.md.swp"));
        assert!(!is_ignored("post.md"));
    }
}
