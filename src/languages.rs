//! Language codes: which ones CLDR knows, and the language suffix of a content file
//! (`about.cy.md` is the Welsh `about.md`).
//!
//! CLDR's likely-subtags data (ICU4X's `LocaleExpander`, extended set) decides: a language
//! subtag is known when CLDR can tell its likely script and region. Syntax alone would take
//! any two or three letters (`xx`) for a language.

use icu_locale::{LanguageIdentifier, LocaleExpander, TransformResult};

/// Whether `code` is a language tag (`cy`, `en-GB`) whose language CLDR knows.
pub fn is_known(code: &str) -> bool {
    let Ok(id) = LanguageIdentifier::try_from_str(code) else {
        return false;
    };
    if id.language.is_unknown() {
        return false;
    }
    // Built from static data: as cheap as a reference.
    let expander = LocaleExpander::new_extended();
    let mut bare = LanguageIdentifier::from(id.language);
    expander.maximize(&mut bare) == TransformResult::Modified
}

/// A known language code close to a mistyped one: the same in canonical case and
/// separators (`CY` and `cy_GB` are `cy` and `cy-GB`), or its CLDR alias (`cym`, `wel` are `cy`).
pub fn suggestion(code: &str) -> Option<String> {
    let mut locale = icu_locale::Locale::try_from_str(&code.replace('_', "-")).ok()?;
    icu_locale::LocaleCanonicalizer::new_extended().canonicalize(&mut locale);
    let best = locale.to_string();
    (best != code && is_known(&best)).then_some(best)
}

/// The first subtag of a language tag, lower-cased (`en` for `en-GB`).
pub fn primary(code: &str) -> String {
    code.split(['-', '_'])
        .next()
        .unwrap_or(code)
        .to_ascii_lowercase()
}

/// A content key split into the key of the page it translates and the language suffix:
/// `blog/x.cy.md` is `("blog/x.md", "cy")`, `_index.cy.md` is `("_index.md", "cy")`. `None`
/// for a key without a suffix CLDR knows as a language (`report.v2.md`, `about.md`).
pub fn split_key(key: &str) -> Option<(String, &str)> {
    let stem = key.strip_suffix(".md")?;
    let dot = stem.rfind('.')?;
    let code = &stem[dot + 1..];
    let name_start = stem.rfind('/').map_or(0, |i| i + 1);
    if dot <= name_start || !is_known(code) {
        return None;
    }
    Some((format!("{}.md", &stem[..dot]), code))
}

/// The key of the translation of `key` (a default-language key) into `lang`:
/// `blog/_index.md` into `cy` is `blog/_index.cy.md`.
pub fn translated_key(key: &str, lang: &str) -> String {
    let stem = key.strip_suffix(".md").unwrap_or(key);
    format!("{stem}.{lang}.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cldr_decides_what_a_language_is() {
        assert!(is_known("cy"));
        assert!(is_known("en-GB"));
        assert!(is_known("ur"));
        assert!(!is_known("xx"));
        assert!(!is_known("v2"));
        assert!(!is_known("draft"));
        assert_eq!(suggestion("CY").as_deref(), Some("cy"));
        assert_eq!(suggestion("cy_GB").as_deref(), Some("cy-GB"));
        assert_eq!(suggestion("wel").as_deref(), Some("cy"));
        assert_eq!(suggestion("xx"), None);
    }

    #[test]
    fn a_suffix_is_a_language_only_when_cldr_knows_it() {
        assert_eq!(
            split_key("blog/x.cy.md"),
            Some(("blog/x.md".to_string(), "cy"))
        );
        assert_eq!(
            split_key("b/index.cy.md"),
            Some(("b/index.md".to_string(), "cy"))
        );
        assert_eq!(split_key("report.v2.md"), None);
        assert_eq!(split_key("about.md"), None);
        assert_eq!(split_key("blog/.cy.md"), None);
        assert_eq!(translated_key("blog/_index.md", "cy"), "blog/_index.cy.md");
    }
}
