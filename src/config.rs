//! `site.yaml`, parsed into a typed [`Config`] with every default in one place.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};
use crate::links::Href;
use crate::yaml::Fragment;

/// The site configuration file name, at the root of a site.
pub const CONFIG_FILE: &str = "site.yaml";

/// The whole site configuration as written in `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in every page title.
    pub title: String,
    /// The public address of the site, without a trailing slash; used for absolute URLs.
    #[schemars(regex(pattern = "^https?://"))]
    pub base_url: String,
    /// The BCP 47 language tag of the content (`lang` attribute, feeds).
    #[serde(default = "default_language")]
    pub language: String,
    /// More languages than the default one, by language code, each published under
    /// `/<code>/` (`languages::is_known` checks the codes).
    #[serde(default)]
    pub languages: BTreeMap<String, Language>,
    /// The IANA zone for event times written without an offset.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The theme's name: `default` is built in; others live in `themes/<name>/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Branding handed to the theme (colours, logo, footer text...).
    #[serde(default)]
    pub theme_options: BTreeMap<String, serde_json::Value>,
    /// The site's description, for the home page's meta tags and feeds.
    #[serde(default)]
    pub description: String,
    /// People who write posts, referenced by key from a post's `authors`.
    #[serde(default)]
    pub authors: BTreeMap<String, Author>,
    /// The main navigation, in order.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// How many pages a section lists per page.
    #[serde(default = "default_paginate")]
    #[schemars(range(min = 1))]
    pub paginate: usize,
    /// Markdown rendering options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// The widths and quality of the images derived from the site's photos.
    #[serde(default)]
    pub images: ImagesConfig,
    /// The taxonomies pages can be classified by (only `tags` is rendered today).
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<String>,
    /// The mailing-list form shown by the `signup` shortcode and the theme.
    #[serde(default)]
    pub signup: Option<Signup>,
    /// The organisation behind the events, for schema.org data.
    #[serde(default)]
    pub organizer: Option<Organizer>,
    /// Free-form values for templates, as `config.extra`.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The files of `data/` (read by the `data` module with the settings): templates see them as
    /// `data`. Not part of site.yaml; serialised with the settings so that what depends on
    /// them is rendered again when they change.
    #[serde(skip_deserializing, serialize_with = "as_value")]
    #[schemars(skip)]
    pub data: std::sync::Arc<serde_json::Value>,
    /// The words of every language of the site (the `i18n` module reads them with the
    /// settings). Serialised with the settings, like `data`, so that a strings edit renders
    /// again what shows them.
    #[serde(skip_deserializing)]
    #[schemars(skip)]
    pub strings: std::sync::Arc<crate::i18n::Strings>,
    /// How seriously each check of what authors write is taken.
    #[serde(default)]
    pub checks: Checks,
    /// The text of `site.yaml` as read, to point later errors at its lines (see
    /// [`Config::error_for`]). Not part of the configuration itself.
    #[serde(skip)]
    pub text: String,
}

/// An author of posts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// Full name as displayed.
    pub name: String,
    /// Job title or affiliation.
    #[serde(default)]
    pub role: Option<String>,
    /// A short biography shown on the author page.
    #[serde(default)]
    pub bio: Option<String>,
    /// A path to a photo.
    #[serde(default)]
    pub photo: Option<String>,
    /// A personal web page.
    #[serde(default)]
    pub url: Option<String>,
}

/// A language of the site besides the default one: what its pages say of the site.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// The site's name in this language (and the language's name in the switcher).
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// The main navigation of this language's pages, in order.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
}

/// One entry of the main navigation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link text.
    pub title: String,
    /// An `@/` source path or a URL.
    #[schemars(with = "String")]
    pub url: Href,
}

/// Options for the Markdown renderer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Curly quotes, en and em dashes, ellipses.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Let raw HTML through without sanitising it.
    #[serde(default)]
    pub trust_html: bool,
    /// The syntect theme the code-highlighting CSS is generated from.
    #[serde(default = "default_highlight_theme")]
    #[schemars(schema_with = "highlight_themes")]
    pub highlight_theme: String,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            trust_html: false,
            highlight_theme: default_highlight_theme(),
        }
    }
}

/// How the site's JPEG, PNG and WebP images are resized, so a phone does not download a
/// photo made for a wide screen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// The widths, in pixels, each image is also written at (never wider than the image).
    #[serde(default = "default_image_widths")]
    pub widths: Vec<u32>,
    /// The JPEG and WebP quality, 1 to 100.
    #[serde(default = "default_image_quality")]
    #[schemars(range(min = 1, max = 100))]
    pub quality: u8,
    /// The `sizes` attribute of a content image: how wide it is shown at each screen width
    /// (the default fits the default theme's text column).
    #[serde(default = "default_image_sizes")]
    pub sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: default_image_widths(),
            quality: default_image_quality(),
            sizes: default_image_sizes(),
        }
    }
}

/// The level of each check of the accessibility of what authors write (`checks:` in
/// site.yaml); a rule not written keeps the level its findings have by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// An image with no text alternative (error by default).
    #[serde(default)]
    pub image_alt: Option<Level>,
    /// Alt text that is a file name or only "image" (warning by default).
    #[serde(default)]
    pub alt_text: Option<Level>,
    /// Headings that skip a level, or a `#` heading in a body (warning by default).
    #[serde(default)]
    pub heading_levels: Option<Level>,
    /// A link with no text (error by default) or with text that means nothing out of
    /// context, such as "click here" (warning by default).
    #[serde(default)]
    pub link_text: Option<Level>,
    /// A video file without captions (warning by default).
    #[serde(default)]
    pub captions: Option<Level>,
}

/// What a check's finding is: an error that stops the build, a warning, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Stops the build.
    Error,
    /// Reported; the build goes on.
    Warning,
    /// Not checked.
    Off,
}

impl Level {
    /// The severity of a finding whose rule is set to `level` (`None`: not set, so the
    /// finding's own `default`), or `None` when the rule is off.
    pub fn severity(level: Option<Level>, default: Severity) -> Option<Severity> {
        match level {
            None => Some(default),
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Off) => None,
        }
    }
}

fn default_image_widths() -> Vec<u32> {
    vec![480, 960, 1600]
}
fn default_image_quality() -> u8 {
    80
}
fn default_image_sizes() -> String {
    "(min-width: 44rem) 42rem, 100vw".into()
}

/// The mailing-list sign-up form.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signup {
    /// Where the form posts to.
    pub action: String,
    /// The button and heading text.
    #[serde(default = "default_signup_label")]
    pub label: String,
}

/// The organisation that runs the events.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organizer {
    /// Its name.
    pub name: String,
    /// Its web site.
    #[serde(default)]
    pub url: Option<String>,
}

fn as_value<S: serde::Serializer>(
    data: &std::sync::Arc<serde_json::Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    data.as_ref().serialize(serializer)
}

/// The themes `highlight_theme` may name, for the schema.
fn highlight_themes(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": crate::highlight::theme_names() })
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
/// Whether `name` can name a theme: one plain folder name, so that `themes/<name>/` stays
/// inside the site (not empty, `.`, `..`, nor anything with a path separator or drive).
pub fn is_theme_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

fn default_theme() -> String {
    "default".into()
}
fn default_paginate() -> usize {
    10
}
fn default_taxonomies() -> Vec<String> {
    vec!["tags".into()]
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".into()
}
fn default_signup_label() -> String {
    "Subscribe to our mailing list".into()
}
fn yes() -> bool {
    true
}

impl Config {
    /// Reads and validates `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Config::read(root).map(|(config, _)| config)
    }

    /// Like [`Config::load`], also returning the file's text (for later positioned errors),
    /// and checking that the theme it names exists (as a build needs it to).
    pub fn load_with_text(root: &Path) -> Result<(Config, String), Vec<Diagnostic>> {
        let (config, text) = Config::read(root)?;
        match config.missing_theme(root) {
            Some(d) => Err(vec![d]),
            None => Ok((config, text)),
        }
    }

    fn read(root: &Path) -> Result<(Config, String), Vec<Diagnostic>> {
        let path = PathBuf::from(CONFIG_FILE);
        let bytes = std::fs::read(root.join(CONFIG_FILE)).map_err(|e| {
            vec![Diagnostic::general(format!(
                "cannot read {} in {}: {e}",
                CONFIG_FILE,
                root.display()
            ))
            .with_hint(
                "run pamphlet in a site folder, or pass --root DIR (pamphlet init DIR creates one)",
            )]
        })?;
        let text = crate::diagnostics::decode_text(&path, &bytes).map_err(|d| vec![d])?;
        if text.trim_start_matches('\u{feff}').trim().is_empty() {
            return Err(vec![Diagnostic::error(&path, 1, 1, "site.yaml is empty")
                .with_hint(
                    "write at least `title: My site` and `base_url: https://example.org`",
                )]);
        }
        Config::parse(&path, &text).map(|config| (config, text))
    }

    /// Parses and validates the text of a `site.yaml`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let fragment = Fragment::new(path, text, text, 0);
        let mut read = fragment.parse_partial::<Config>();
        let Some(mut config) = read.value.take() else {
            return Err(read.errors);
        };
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        config.text = text.to_string();
        let fragment = fragment.with_yaml(&read.good_yaml);
        let mut errors = read.errors;
        errors.extend(config.validate(&fragment));
        if errors.is_empty() {
            Ok(config)
        } else {
            crate::diagnostics::sort(&mut errors);
            Err(errors)
        }
    }

    /// An error about the value at `key_path` in site.yaml (`menu.2.url`: a number picks a
    /// list item), pointing at it and showing its line.
    pub fn error_for(&self, key_path: &str, message: impl Into<String>) -> Diagnostic {
        Fragment::new(Path::new(CONFIG_FILE), &self.text, &self.text, 0)
            .error_for(key_path, message)
    }

    /// The error for a `theme:` that is neither built in nor a folder under `themes/`.
    fn missing_theme(&self, root: &Path) -> Option<Diagnostic> {
        let name = &self.theme;
        let exists = name == "default" || root.join("themes").join(name).is_dir();
        let message = format!("theme: there is no theme \"{name}\" (no folder themes/{name}/)");
        (!exists).then(|| {
            self.error_for("theme", message).with_hint(
                "use `theme: default`, or put the theme in themes/<name>/ with templates/ and static/",
            )
        })
    }

    fn validate(&self, fragment: &Fragment) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if let Some(problem) = base_url_problem(&self.base_url) {
            errors.push(
                fragment
                    .error_for(
                        "base_url",
                        format!("base_url: \"{}\" {problem}", self.base_url),
                    )
                    .with_hint(
                        "write the public address of the site, e.g. https://concordat.example.org",
                    ),
            );
        }
        if TimeZone::get(&self.timezone).is_err() {
            errors.push(
                fragment
                    .error_for(
                        "timezone",
                        format!("timezone: \"{}\" is not a known time zone", self.timezone),
                    )
                    .with_hint("use an IANA zone name such as Europe/London or UTC"),
            );
        }
        if !(1..=100).contains(&self.images.quality) {
            errors.push(
                fragment
                    .error_for(
                        "images.quality",
                        format!(
                            "images.quality: {} is not between 1 and 100",
                            self.images.quality
                        ),
                    )
                    .with_hint("80 keeps photos sharp at a third of the size"),
            );
        }
        if self.images.widths.contains(&0) {
            errors.push(
                fragment
                    .error_for("images.widths", "images.widths: a width of 0 pixels")
                    .with_hint("list widths in pixels, e.g. widths: [480, 960, 1600]"),
            );
        }
        if self.paginate == 0 {
            errors.push(
                fragment
                    .error_for("paginate", "paginate: must be at least 1")
                    .with_hint("set how many items a list page shows, e.g. paginate: 10"),
            );
        }
        if !is_theme_name(&self.theme) {
            errors.push(
                fragment
                    .error_for(
                        "theme",
                        format!(
                            "theme: \"{}\" is not the name of a theme (a folder in themes/, or `default`)",
                            self.theme
                        ),
                    )
                    .with_hint(
                        "write the name of a folder in themes/ (`theme: campaign` for themes/campaign/), or `theme: default`; a path such as /etc or ../x cannot be a theme",
                    ),
            );
        }
        errors.extend(self.language_errors(fragment));
        if !crate::highlight::theme_exists(&self.markdown.highlight_theme) {
            errors.push(
                fragment
                    .error_for(
                        "markdown.highlight_theme",
                        format!(
                            "markdown.highlight_theme: \"{}\" is not a known theme",
                            self.markdown.highlight_theme
                        ),
                    )
                    .with_hint(format!(
                        "choose one of: {}",
                        crate::highlight::theme_names().join(", ")
                    )),
            );
        }
        errors.extend(self.script_links(fragment));
        errors
    }

    /// An error for each address the theme writes as a link or a form's action that would
    /// run a script (`javascript:`), as in front matter.
    fn script_links(&self, fragment: &Fragment) -> Vec<Diagnostic> {
        let menus = self.language_codes().flat_map(|lang| {
            let items = self.menu_in(lang).iter().enumerate();
            items.filter_map(move |(i, item)| match &item.url {
                Href::Url(url) => Some((Config::menu_key(lang, i), url.as_str())),
                Href::Content(_) => None,
            })
        });
        let signup = self
            .signup
            .as_ref()
            .map(|s| ("signup.action".to_string(), s.action.as_str()));
        let organizer = self.organizer.as_ref().and_then(|o| o.url.as_deref());
        let organizer = organizer.map(|url| ("organizer.url".to_string(), url));
        let authors = self.authors.iter().flat_map(|(key, a)| {
            let url = a.url.as_deref().map(|u| (format!("authors.{key}.url"), u));
            let photo = a
                .photo
                .as_deref()
                .map(|p| (format!("authors.{key}.photo"), p));
            url.into_iter().chain(photo)
        });
        menus
            .chain(signup)
            .chain(organizer)
            .chain(authors)
            .filter(|(_, url)| crate::links::runs_script(url))
            .map(|(key, _)| {
                let message =
                    format!("{key}: a script is not a link (javascript: URLs are not allowed)");
                fragment
                    .error_for(&key, message)
                    .with_hint("write a web address (https://…) or a path on the site (/about/)")
            })
            .collect()
    }

    /// An error for each key of `languages:` that is not a language code CLDR knows, or that
    /// is the default `language:` again.
    fn language_errors(&self, fragment: &Fragment) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for code in self.languages.keys() {
            let key = format!("languages.{code}");
            if code.eq_ignore_ascii_case(&self.language) {
                errors.push(
                    fragment
                        .error_for(&key, format!("languages: \"{code}\" is the default language already"))
                        .with_hint("list under languages: only the other languages; `language:` names the default one"),
                );
            } else if !crate::languages::is_known(code) {
                let hint = match crate::languages::suggestion(code) {
                    Some(best) => format!("did you mean `{best}`? Language codes are BCP 47 tags CLDR knows (cy, en-GB, pl, ur)"),
                    None => "use a BCP 47 language code CLDR knows, such as cy, en-GB, pl or ur".to_string(),
                };
                errors.push(
                    fragment
                        .error_for(
                            &key,
                            format!("languages: \"{code}\" is not a language code CLDR knows"),
                        )
                        .with_hint(hint),
                );
            }
        }
        errors
    }

    /// The language of the site path `path`: the code of the language whose folder it is in
    /// (`cy` for `/cy/about/`), or `None` for the default language.
    pub fn language_of_path(&self, path: &str) -> Option<&str> {
        let first = path.trim_start_matches('/').split('/').next()?;
        self.languages.get_key_value(first).map(|(k, _)| k.as_str())
    }

    /// Every language of the site: `None` for the default, then each code of `languages:`.
    pub fn language_codes(&self) -> impl Iterator<Item = Option<&str>> {
        let others = self.languages.keys().map(|k| Some(k.as_str()));
        std::iter::once(None).chain(others)
    }

    /// The language tag of a page in `lang` (`None`: the default language).
    pub fn lang_tag<'a>(&'a self, lang: Option<&'a str>) -> &'a str {
        lang.unwrap_or(&self.language)
    }

    /// The site's title in `lang` (`None`: the default language).
    pub fn title_in(&self, lang: Option<&str>) -> &str {
        lang.and_then(|l| self.languages.get(l))
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description in `lang` (`None`: the default language).
    pub fn description_in(&self, lang: Option<&str>) -> &str {
        lang.and_then(|l| self.languages.get(l))
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The main navigation of `lang` (`None`: the default language).
    pub fn menu_in(&self, lang: Option<&str>) -> &[MenuItem] {
        match lang.and_then(|l| self.languages.get(l)) {
            Some(l) => &l.menu,
            None => &self.menu,
        }
    }

    /// Where a menu item of `lang` sits in site.yaml, for its errors (`languages.cy.menu.2`).
    pub fn menu_key(lang: Option<&str>, i: usize) -> String {
        match lang {
            Some(l) => format!("languages.{l}.menu.{i}.url"),
            None => format!("menu.{i}.url"),
        }
    }

    /// The configured default time zone (validated at load, so always present).
    pub fn time_zone(&self) -> TimeZone {
        TimeZone::get(&self.timezone).unwrap_or(TimeZone::UTC)
    }
}

/// Why `url` cannot be a site's `base_url`, if it cannot. Every address of the site is its
/// path followed by a page's, so it must be an absolute http(s) URL with a host and nothing
/// after its path.
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some("is not an absolute URL");
    };
    if rest.split('/').next().is_none_or(str::is_empty) {
        return Some("has no host name");
    }
    if url.contains(['?', '#']) {
        return Some("has a query or a fragment, which no page's address can follow");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("has a space in it (write a space in a path as %20)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_keys() {
        let c = Config::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.org/\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://x.org");
        assert_eq!(c.paginate, 10);
        assert!(c.markdown.smart_punctuation);
        assert_eq!(c.taxonomies, vec!["tags".to_string()]);
    }

    #[test]
    fn unknown_key_gets_a_hint() {
        let errs = Config::parse(
            Path::new("site.yaml"),
            "title: T\nbase_url: https://x.org\npaginte: 3\n",
        )
        .unwrap_err();
        assert_eq!(errs[0].line, 3);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `paginate`?"));
    }
}
