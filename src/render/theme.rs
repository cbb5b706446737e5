//! Where templates and static files come from: the site's own `templates/` and `static/`,
//! over a theme's, with the default theme compiled into the binary.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::content::discovery_is_ignored as is_ignored;
use crate::diagnostics::Diagnostic;

/// The default theme, embedded so that an installed binary needs no other files.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file's bytes: embedded in the binary or on disk.
#[derive(Debug, Clone)]
pub enum Bytes {
    /// Compiled in.
    Embedded(&'static [u8]),
    /// Read when needed.
    File(PathBuf),
    /// Generated during the build.
    Owned(std::sync::Arc<[u8]>),
}

impl Bytes {
    /// The content.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            Bytes::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Bytes::File(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
            Bytes::Owned(b) => Ok(std::borrow::Cow::Owned(b.to_vec())),
        }
    }
}

/// A template: its lookup name (`post.html`), its text, and the file shown in errors.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name relative to a `templates/` folder.
    pub name: String,
    /// The template text.
    pub text: String,
    /// The file as shown in diagnostics.
    pub file: PathBuf,
}

/// A theme's parts.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Its templates.
    pub templates: Vec<TemplateSource>,
    /// Its static files by output path.
    pub statics: Vec<(String, Bytes)>,
    /// The text of its `theme.yaml`, if any.
    pub manifest: Option<String>,
    /// The theme's folder as shown in diagnostics.
    pub dir: PathBuf,
}

/// Loads the theme named in site.yaml: `themes/<name>/` in the site, else the built-in default.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
    let dir = root.join("themes").join(name);
    let shown = Path::new("themes").join(name);
    if dir.is_dir() {
        return Ok(Theme {
            templates: templates_in(&dir.join("templates"), &shown.join("templates")),
            statics: files_in(&dir.join("static")),
            manifest: std::fs::read_to_string(dir.join("theme.yaml")).ok(),
            dir: shown,
        });
    }
    if name == "default" {
        return Ok(embedded_default());
    }
    Err(Diagnostic::error(
        "site.yaml",
        0,
        0,
        format!("theme: there is no theme \"{name}\" (no folder themes/{name}/)"),
    )
    .with_hint(
        "use `theme: default`, or put the theme in themes/<name>/ with templates/ and static/",
    ))
}

/// The built-in shortcodes (and the partials they use), available whatever the theme.
pub fn builtin_shortcodes() -> Vec<TemplateSource> {
    embedded_default()
        .templates
        .into_iter()
        .filter(|t| t.name.starts_with("shortcodes/") || t.name == "partials/video_player.html")
        .collect()
}

fn embedded_default() -> Theme {
    let mut theme = Theme {
        dir: PathBuf::from("themes/default"),
        ..Theme::default()
    };
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                theme.templates.push(TemplateSource {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(file.contents()).into_owned(),
                    file: Path::new("themes/default").join(&path),
                });
            } else if let Some(rel) = path.strip_prefix("static/") {
                theme
                    .statics
                    .push((rel.to_string(), Bytes::Embedded(file.contents())));
            } else if path == "theme.yaml" {
                theme.manifest = Some(String::from_utf8_lossy(file.contents()).into_owned());
            }
        }
    }
    theme.templates.sort_by(|a, b| a.name.cmp(&b.name));
    theme.statics.sort_by(|a, b| a.0.cmp(&b.0));
    theme
}

/// The files under `dir` as (relative path, bytes), sorted, skipping hidden files.
pub fn files_in(dir: &Path) -> Vec<(String, Bytes)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, Bytes::File(e.path().to_path_buf()))
        })
        .collect()
}

/// The templates under `dir`, named by their path relative to it.
pub fn templates_in(dir: &Path, shown: &Path) -> Vec<TemplateSource> {
    files_in(dir)
        .into_iter()
        .filter_map(|(name, bytes)| {
            let Bytes::File(path) = bytes else {
                return None;
            };
            let text = std::fs::read(&path).ok()?;
            Some(TemplateSource {
                text: String::from_utf8_lossy(&text).into_owned(),
                file: shown.join(&name),
                name,
            })
        })
        .collect()
}
