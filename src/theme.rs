//! Where templates and static files come from: the site's own `templates/` and `static/`,
//! over a theme's, with the default theme compiled into the binary.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::bytes::Bytes;
use crate::content::discovery_is_ignored as is_ignored;
use crate::diagnostics::Diagnostic;

/// The default theme, embedded so that an installed binary needs no other files.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

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
    /// Its words in each language it ships, `i18n/<lang>.yaml`.
    pub strings: Vec<crate::i18n::StringsFile>,
    /// The theme's folder as shown in diagnostics.
    pub dir: PathBuf,
}

/// Loads the theme named in site.yaml: `themes/<name>/` in the site, else the built-in default.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
    if !crate::config::is_theme_name(name) {
        return Err(Diagnostic::error(
            "site.yaml",
            0,
            0,
            format!(
                "theme: \"{name}\" is not the name of a theme (a folder in themes/, or `default`)"
            ),
        ));
    }
    let dir = root.join("themes").join(name);
    let shown = Path::new("themes").join(name);
    if dir.is_dir() {
        return Ok(Theme {
            templates: templates_in(&dir.join("templates"), &shown.join("templates")),
            statics: files_in(&dir.join("static")),
            manifest: match std::fs::read(dir.join("theme.yaml")) {
                Ok(bytes) => Some(crate::diagnostics::decode_text(
                    &shown.join("theme.yaml"),
                    &bytes,
                )?),
                Err(_) => None,
            },
            strings: strings_in(&dir.join(crate::i18n::DIR), &shown.join(crate::i18n::DIR)),
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

/// The template of every Atom feed: the site's, each term's, each section's and the events'.
pub const ATOM: &str = "atom.xml";
/// The template of every RSS 2.0 feed: the site's, each term's and each section's.
pub const RSS: &str = "rss.xml";
/// The template of `sitemap.xml`.
pub const SITEMAP: &str = "sitemap.xml";
/// The template of `robots.txt`.
pub const ROBOTS: &str = "robots.txt";
/// The template of the page an alias of a page redirects from.
pub const ALIAS: &str = "alias.html";

/// The templates of site-wide files, built in so that a theme that lacks them still has them.
pub const SITE_FILE_TEMPLATES: [&str; 5] = [ATOM, RSS, SITEMAP, ROBOTS, ALIAS];

/// The built-in templates, available whatever the theme: the shortcodes (and the partial they
/// use) and those of the site-wide files (feeds, sitemap, robots.txt, alias redirects).
pub fn builtin_templates() -> Vec<TemplateSource> {
    embedded_default()
        .templates
        .into_iter()
        .filter(|t| {
            t.name.starts_with("shortcodes/")
                || t.name == "partials/video_player.html"
                || SITE_FILE_TEMPLATES.contains(&t.name.as_str())
        })
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
            } else if let Some(name) = path.strip_prefix("i18n/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                let shown = Path::new("themes/default").join(&path);
                theme
                    .strings
                    .extend(crate::i18n::StringsFile::named(name, shown, text));
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

/// A theme's strings files, `<lang>.yaml` in its `i18n/` folder.
fn strings_in(dir: &Path, shown: &Path) -> Vec<crate::i18n::StringsFile> {
    files_in(dir)
        .into_iter()
        .filter_map(|(name, bytes)| {
            let text = String::from_utf8_lossy(&bytes.read().ok()?).into_owned();
            crate::i18n::StringsFile::named(&name, shown.join(&name), text)
        })
        .collect()
}

/// Checks site.yaml `theme_options` against the options the theme declares in `theme.yaml`,
/// and that colours are readable: white text on them must reach WCAG AA contrast (4.5:1).
pub fn check_options(
    theme: &Theme,
    config: &crate::config::Config,
    site_yaml: &str,
) -> Vec<Diagnostic> {
    let fragment = crate::yaml::Fragment::new(Path::new("site.yaml"), site_yaml, site_yaml, 0);
    let declared: Vec<String> = declared_options(theme)
        .map(|options| options.into_keys().collect())
        .unwrap_or_default();
    let mut errors = Vec::new();
    for (key, value) in &config.theme_options {
        let at = format!("theme_options.{key}");
        if theme.manifest.is_some() && !declared.iter().any(|d| d == key) {
            let hint = crate::diagnostics::did_you_mean(key, declared.iter().map(String::as_str))
                .map_or_else(
                    || format!("the theme accepts: {}", declared.join(", ")),
                    |b| format!("did you mean `{b}`?"),
                );
            errors.push(
                fragment
                    .error_for(
                        &at,
                        format!("theme_options: `{key}` is not an option of this theme"),
                    )
                    .with_hint(hint),
            );
            continue;
        }
        if key.ends_with("_colour") || key.ends_with("_color") {
            let text = value.as_str().unwrap_or_default();
            let shown = match value.as_str() {
                Some(s) => format!("\"{s}\""),
                None => value.to_string(),
            };
            match parse_hex(text) {
                None => errors.push(
                    fragment
                        .error_for(&at, format!("{key}: {shown} is not a colour"))
                        .with_hint("write a hex colour such as \"#1d4f91\""),
                ),
                Some(rgb) if contrast(rgb, (255, 255, 255)) < 4.5 => errors.push(
                    fragment
                        .error_for(&at, format!("{key}: {text} is too light: white text on it has a contrast of {:.1}:1", contrast(rgb, (255, 255, 255))))
                        .with_hint("WCAG AA needs 4.5:1; choose a darker shade"),
                ),
                Some(_) => {}
            }
        }
    }
    errors
}

/// The `theme_options` a theme declares in its `theme.yaml`, each with what it is for; `None`
/// for a theme without a `theme.yaml` (which takes any option).
pub fn declared_options(
    theme: &Theme,
) -> Option<std::collections::BTreeMap<String, serde_json::Value>> {
    let manifest = theme.manifest.as_deref()?;
    let read = serde_saphyr::from_str::<Manifest>(manifest).map(|m| m.options);
    Some(read.unwrap_or_default())
}

#[derive(serde::Deserialize)]
struct Manifest {
    #[serde(default)]
    options: std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(flatten)]
    _rest: std::collections::BTreeMap<String, serde_json::Value>,
}

fn parse_hex(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// The WCAG contrast ratio of two sRGB colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let ch = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    };
    let (la, lb) = (lum(a), lum(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// For each template, a hash of its text and of every template it uses, directly or not: what
/// a file made with it depends on. A template that defines components is counted as used by
/// all, since any may call them.
pub fn closures(templates: &[TemplateSource]) -> HashMap<String, u64> {
    let by_name: BTreeMap<&str, &TemplateSource> =
        templates.iter().map(|t| (t.name.as_str(), t)).collect();
    let shared: Vec<&str> = templates
        .iter()
        .filter(|t| t.text.contains("{% component") || t.text.contains("{%- component"))
        .map(|t| t.name.as_str())
        .collect();
    let uses: HashMap<&str, Vec<&str>> = templates
        .iter()
        .map(|t| {
            let mut used = referenced_names(&t.text, &by_name);
            used.extend(shared.iter().copied());
            (t.name.as_str(), used)
        })
        .collect();
    by_name
        .keys()
        .map(|name| {
            let mut seen = HashSet::new();
            let mut stack = vec![*name];
            while let Some(n) = stack.pop() {
                if seen.insert(n) {
                    stack.extend(uses.get(n).into_iter().flatten().copied());
                }
            }
            let mut closure: Vec<&str> = seen.into_iter().collect();
            closure.sort_unstable();
            let texts: Vec<(&str, &str)> = closure
                .iter()
                .filter_map(|n| by_name.get(n).map(|t| (*n, t.text.as_str())))
                .collect();
            (name.to_string(), crate::digest::hash_of(&texts))
        })
        .collect()
}

/// The names of known templates quoted inside the `{% … %}` tags of a template.
fn referenced_names<'t>(text: &str, known: &BTreeMap<&'t str, &TemplateSource>) -> Vec<&'t str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag = &rest[start + 2..];
        let end = tag.find("%}").unwrap_or(tag.len());
        for quote in ['"', '\''] {
            let mut parts = tag[..end].split(quote);
            parts.next();
            while let (Some(inside), Some(_)) = (parts.next(), parts.next()) {
                if let Some((name, _)) = known.get_key_value(inside) {
                    found.push(*name);
                }
            }
        }
        rest = &tag[end..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag() {
        assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        assert!(contrast(parse_hex("#1d4f91").unwrap(), (255, 255, 255)) > 4.5);
        assert!(contrast(parse_hex("#ffcc00").unwrap(), (255, 255, 255)) < 4.5);
        assert_eq!(parse_hex("#abc"), Some((0xaa, 0xbb, 0xcc)));
    }

    fn template(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            text: text.into(),
            file: PathBuf::from(name),
        }
    }

    #[test]
    fn a_template_depends_on_what_it_includes_and_extends() {
        let mut set = vec![
            template(
                "base.html",
                "<html>{% include \"partials/nav.html\" %}{% block main %}{% endblock %}</html>",
            ),
            template(
                "post.html",
                "{% extends 'base.html' %}{% block main %}post{% endblock %}",
            ),
            template("event.html", "{% extends \"base.html\" %}"),
            template("partials/nav.html", "<nav></nav>"),
            template("partials/tags.html", "tags"),
        ];
        let before = closures(&set);
        set[3].text = "<nav>changed</nav>".into();
        set[4].text = "tags changed".into();
        let after = closures(&set);
        for uses_nav in ["base.html", "post.html", "event.html", "partials/nav.html"] {
            assert_ne!(before[uses_nav], after[uses_nav], "{uses_nav}");
        }
        set[4].text = "tags".into();
        let tags_back = closures(&set);
        assert_eq!(
            before["partials/tags.html"],
            tags_back["partials/tags.html"]
        );
    }
}
