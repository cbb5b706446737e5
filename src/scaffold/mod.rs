//! `pamphlet init` (a new site) and `pamphlet new` (a new page with a complete front matter).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, Kind, LoadOptions};

/// The files of a new site: path, content.
const SKELETON: &[(&str, &str)] = &[
    ("site.yaml", include_str!("site.yaml")),
    ("content/_index.md", include_str!("home.md")),
    ("content/about.md", include_str!("about.md")),
    ("content/blog/_index.md", include_str!("blog_index.md")),
    (
        "content/blog/2027-01-05-our-first-post.md",
        include_str!("post.md"),
    ),
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

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
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
    let mut written = Vec::new();
    for (rel, text) in SKELETON {
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
/// the section (`content/blog/`, `events/`, `videos/`, `chapters/`) when the site has none.
pub fn new_page(
    root: &Path,
    kind: Kind,
    title: &str,
    today: jiff::civil::Date,
) -> Result<PathBuf, NewError> {
    let config = Config::load(root).map_err(NewError::Site)?;
    let (found, _) = content::load(root, &config, LoadOptions { drafts: true });
    let slug = short_slug(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit"
            .to_string()
            .into());
    }
    let dir = match kind {
        Kind::Page => String::new(),
        _ => match found.sections.values().find(|s| s.kind == kind) {
            Some(section) => section.dir.clone(),
            None => new_section(root, kind)?,
        },
    };
    let name = match kind {
        Kind::Post => format!("{}-{slug}.md", today),
        _ => format!("{slug}.md"),
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
    let next_chapter = found
        .pages
        .iter()
        .filter(|p| p.kind.kind() == Kind::Chapter)
        .count()
        + 1;
    let text = skeleton(kind, title, today, next_chapter);
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
fn new_section(root: &Path, kind: Kind) -> Result<String, NewError> {
    let (dir, title) = match kind {
        Kind::Post => ("blog", "Blog"),
        Kind::Event => ("events", "Events"),
        Kind::Video => ("videos", "Videos"),
        _ => ("chapters", "Chapters"),
    };
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

fn skeleton(kind: Kind, title: &str, today: jiff::civil::Date, next_chapter: usize) -> String {
    let title = serde_json::to_string(title).unwrap_or_else(|_| "\"Untitled\"".into());
    let common = format!("title: {title}\ndate: {today}\ndraft: true\nsummary: \"\"\ntags: []\n");
    let specific = match kind {
        Kind::Post => "authors: []\n# originally_published: { publication: \"\", url: \"\", date: 2017-01-01 }\n# related: [\"@/blog/other-post.md\"]\n".to_string(),
        Kind::Event => format!(
            "start: {today}T10:00\nend: {today}T12:00\nformat: in-person   # in-person, online or hybrid\nvenue:\n  name: \"\"\n  address: \"\"\n  postcode: \"\"\n# online: {{ platform: Zoom, url: \"\" }}\n# registration: {{ url: \"\", closes: {today}T09:00, capacity: 50 }}\npartners: []\n# status: cancelled   # or postponed, full\n# recording: \"@/videos/recording.md\"\n"
        ),
        Kind::Video => "provider: youtube   # youtube, vimeo or file\nid: \"PASTE-THE-VIDEO-ID\"   # the part after watch?v= (youtube) or vimeo.com/\nduration: \"00:00:00\"\n# src: /media/video.mp4   (provider: file)\n# captions: /media/video.vtt\n# event: \"@/events/the-event.md\"\n".to_string(),
        Kind::Chapter => format!("number: {next_chapter}\n"),
        Kind::Page => String::new(),
    };
    format!("---\n{common}{specific}---\nWrite the text here, in Markdown.\n")
}

/// Parses the kind named on the command line.
pub fn parse_kind(text: &str) -> Option<Kind> {
    [
        Kind::Post,
        Kind::Event,
        Kind::Video,
        Kind::Chapter,
        Kind::Page,
    ]
    .into_iter()
    .find(|k| k.name() == text)
}
