//! `pamphlet init` (a new site) and `pamphlet new` (a new page with a complete front matter).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::kinds::{NewSection, Skeleton};
use crate::content::{self, Kind, KindSpec, LoadOptions, KINDS};

/// The files of a new site: path, content.
const SKELETON: &[(&str, &str)] = &[
    ("site.yaml", include_str!("site.yaml")),
    ("content/_index.md", include_str!("home.md")),
    ("content/about.md", include_str!("about.md")),
    ("content/blog/_index.md", include_str!("blog_index.md")),
    ("content/events/_index.md", include_str!("events_index.md")),
    ("content/events/launch-webinar.md", include_str!("event.md")),
    ("content/videos/_index.md", include_str!("videos_index.md")),
    (
        "content/document/_index.md",
        include_str!("document_index.md"),
    ),
    (
        "content/document/01-introduction.md",
        include_str!("chapter.md"),
    ),
    ("static/.gitkeep", ""),
];

/// The sample post, written at `content/blog/<today>-our-first-post.md`: dated the day the
/// site is made, it is published at once.
const SAMPLE_POST: (&str, &str) = ("our-first-post.md", include_str!("post.md"));

/// Creates a new site in `dir`, which must not exist or be empty; `now` dates its sample post
/// (the day it is in the new site's time zone, so that the post is not scheduled for later).
pub fn init(dir: &Path, now: jiff::Timestamp) -> Result<Vec<PathBuf>, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty; choose a new folder name",
            dir.display()
        ));
    }
    let post = format!("content/blog/{}-{}", sample_day(now), SAMPLE_POST.0);
    let files = SKELETON
        .iter()
        .copied()
        .chain([(post.as_str(), SAMPLE_POST.1)]);
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The day `now` falls on in the time zone of the new site's site.yaml.
fn sample_day(now: jiff::Timestamp) -> jiff::civil::Date {
    let zone = Config::parse(Path::new("site.yaml"), SKELETON[0].1)
        .map(|c| c.time_zone())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    now.to_zoned_datetime(zone).date()
}

/// Why `pamphlet new` wrote nothing.
#[derive(Debug)]
pub enum NewError {
    /// The site itself has errors (site.yaml).
    Site(Vec<crate::diagnostics::Diagnostic>),
    /// The request cannot be done (bad title, the file exists, a write failed).
    Usage(String),
}

impl From<String> for NewError {
    fn from(message: String) -> NewError {
        NewError::Usage(message)
    }
}

/// Writes a new draft of `kind` titled `title` into the first section of that kind, creating
/// the section (`content/blog/`, `events/`, `videos/`, `chapters/`) when the site has none;
/// in `lang`, one of site.yaml's `languages:`, as a translation (`<slug>.cy.md`).
pub fn new_page(
    root: &Path,
    kind: Kind,
    title: &str,
    today: jiff::civil::Date,
    lang: Option<&str>,
) -> Result<PathBuf, NewError> {
    let config = Config::load(root).map_err(NewError::Site)?;
    if let Some(lang) = lang.filter(|l| !config.languages.contains_key(*l)) {
        let codes: Vec<&str> = config.languages.keys().map(String::as_str).collect();
        let hint = match crate::diagnostics::did_you_mean(lang, codes.iter().copied()) {
            Some(best) => format!("did you mean --lang {best}? "),
            None => String::new(),
        };
        return Err(format!(
            "--lang {lang}: site.yaml does not list \"{lang}\" under languages: ({hint}its languages are: {})",
            if codes.is_empty() { "none besides the default".to_string() } else { codes.join(", ") }
        )
        .into());
    }
    let suffix = lang.map_or_else(String::new, |l| format!(".{l}"));
    let (found, _) = content::load(root, &config, LoadOptions::everything());
    let slug = short_slug(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit"
            .to_string()
            .into());
    }
    let spec = kind.spec();
    let dir = match spec.section {
        None => String::new(),
        Some(usual) => match found
            .sections
            .values()
            .find(|s| s.kind == kind && s.lang.is_none())
        {
            Some(section) => section.dir.clone(),
            None => new_section(root, kind, usual)?,
        },
    };
    let name = if spec.dated_file_name {
        format!("{today}-{slug}{suffix}.md")
    } else {
        format!("{slug}{suffix}.md")
    };
    let rel = if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    };
    let path = root.join("content").join(&rel);
    if path.exists() {
        return Err(format!(
            "content/{rel} already exists; choose another title or edit that file"
        )
        .into());
    }
    let existing = found.pages.iter().filter(|p| p.kind.kind() == kind).count();
    let text = skeleton(
        kind,
        title,
        &config.taxonomies,
        Skeleton { today, existing },
    );
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(PathBuf::from("content").join(rel))
}

/// The slug of a title, cut at a word to at most 80 characters (file names have limits, and
/// addresses read better short).
fn short_slug(title: &str) -> String {
    let slug = slug::slugify(title);
    if slug.len() <= 80 {
        return slug;
    }
    let cut = slug[..80].rfind('-').unwrap_or(80);
    slug[..cut].to_string()
}

/// Creates the usual section for pages of `kind` and returns its folder; refuses a folder
/// that exists already (it would hold pages of another kind).
fn new_section(root: &Path, kind: Kind, usual: NewSection) -> Result<String, NewError> {
    let NewSection { dir, title } = usual;
    let index = root.join("content").join(dir).join("_index.md");
    if index.exists() {
        return Err(format!(
            "content/{dir}/_index.md is not a section of {kind}s; add `kind: {kind}` to it, or to the _index.md of another folder",
            kind = kind.name()
        )
        .into());
    }
    if let Some(parent) = index.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let text = format!("---\ntitle: {title}\nkind: {}\n---\n", kind.name());
    std::fs::write(&index, text).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok(dir.to_string())
}

/// A draft's whole text: the fields every page has (an empty list of terms for each of the
/// site's `taxonomies`), then its kind's own.
fn skeleton(kind: Kind, title: &str, taxonomies: &[String], input: Skeleton) -> String {
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"Untitled\"".into());
    let today = input.today;
    let mut common = format!("title: {title}\ndate: {today}\ndraft: true\nsummary: \"\"\n");
    for taxonomy in taxonomies {
        common.push_str(&format!("{taxonomy}: []\n"));
    }
    let specific = (kind.spec().skeleton)(&input);
    format!("---\n{common}{specific}---\nWrite the text here, in Markdown.\n")
}

/// The kinds `pamphlet new` writes, as a reader would list them: those with a section of
/// their own first, then plain pages ("post, event, video, chapter or page").
pub fn kind_list() -> String {
    let mut names: Vec<&KindSpec> = KINDS.to_vec();
    names.sort_by_key(|s| s.section.is_none());
    let names: Vec<&str> = names.iter().map(|s| s.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_template_in_the_default_theme_and_a_section_folder_of_its_own() {
        let nowhere = tempfile::tempdir().unwrap();
        let theme = crate::theme::load_theme(nowhere.path(), "default").unwrap();
        let mut folders = Vec::new();
        for spec in KINDS {
            assert!(
                theme.templates.iter().any(|t| t.name == spec.template),
                "the default theme has no {} for {} pages",
                spec.template,
                spec.name
            );
            if let Some(usual) = spec.section {
                assert!(!folders.contains(&usual.dir), "{} is shared", usual.dir);
                folders.push(usual.dir);
            }
        }
    }

    #[test]
    fn every_skeleton_is_front_matter_its_kind_accepts() {
        let today = jiff::civil::date(2027, 1, 5);
        for spec in KINDS {
            let tags = ["tags".to_string()];
            let text = skeleton(
                spec.kind,
                "A \"new\" page",
                &tags,
                Skeleton { today, existing: 0 },
            );
            let yaml = text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("---\n"))
                .map(|(yaml, _)| yaml)
                .unwrap_or_else(|| panic!("{}: no front matter in {text}", spec.name));
            let raw: crate::content::front_matter::RawPage = serde_saphyr::from_str(yaml)
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", spec.name));
            assert_eq!(raw.title.as_deref(), Some("A \"new\" page"));
            for other in KINDS.iter().filter(|o| o.kind != spec.kind) {
                for field in other.fields {
                    assert!(
                        !(field.written)(&raw),
                        "{} skeleton has `{}`",
                        spec.name,
                        field.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_sample_post_is_dated_the_day_it_is_in_the_new_sites_zone() {
        // 23:30 UTC on 30 June is already 1 July in London (BST).
        let now: jiff::Timestamp = "2027-06-30T23:30:00Z".parse().unwrap();
        assert_eq!(sample_day(now), jiff::civil::date(2027, 7, 1));
    }

    #[test]
    fn the_kinds_are_listed_pages_last() {
        assert_eq!(kind_list(), "post, event, video, chapter or page");
    }
}
