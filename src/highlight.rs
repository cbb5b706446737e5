//! Code highlighting with syntect, as CSS classes so that a page's colours come from one
//! stylesheet generated from the configured theme. Syntaxes and themes load once, lazily.

use std::sync::LazyLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

/// The class prefix, so highlighting classes never clash with the theme's own.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Whether syntect ships a theme by this name.
pub fn theme_exists(name: &str) -> bool {
    THEMES.themes.contains_key(name)
}

/// The names of the built-in themes, sorted, for hints.
pub fn theme_names() -> Vec<&'static str> {
    THEMES.themes.keys().map(String::as_str).collect()
}

/// The stylesheet for a theme, or an empty one for an unknown name.
pub fn stylesheet(theme: &str) -> String {
    THEMES
        .themes
        .get(theme)
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default()
}

/// Highlights `code` as `lang` into class-annotated HTML, or `None` for unknown languages.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .or_else(|| SYNTAXES.find_syntax_by_extension(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_only() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("hl-"));
        assert!(highlight("x", "no-such-language").is_none());
        assert!(stylesheet("InspiredGitHub").contains(".hl-"));
    }
}
