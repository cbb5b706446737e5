//! Every word a reader sees, in the page's language: the strings files (`i18n/<lang>.yaml` of
//! the theme, with the site's over them), and dates, times and plural forms from CLDR.
//!
//! A language is chosen by its BCP 47 tag (`en-GB`); the first subtag names the file
//! (`i18n/en.yaml`). A language's texts are merged once, when the settings are read: its own
//! file over the default language's over English, so a lookup is one map access and a missing
//! key is reported once, not once a page.

pub mod cldr;
mod files;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::ZonedDateTime;
use serde::{Deserialize, Serialize};

pub use cldr::Cldr;
pub use files::StringsFile;

use crate::diagnostics::Diagnostic;

/// The folder of strings files, in the site and in a theme.
pub const DIR: &str = "i18n";

/// The plural categories of CLDR, in its order: the keys of a text with plural forms.
pub const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One entry of a strings file: a text, or a text for each plural category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// The same words whatever the number.
    Plain(String),
    /// The words for each CLDR plural category (`one: "{count} minute"`).
    Plural(BTreeMap<String, String>),
}

/// The file a language's strings come from: `en-GB` → `en`.
pub fn file_code(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// The texts and CLDR formatters of one language, shared by every page written in it.
#[derive(Debug, Serialize)]
pub struct Language {
    /// The tag asked for (`en-GB`), as `lang` attributes show it.
    pub tag: String,
    texts: BTreeMap<String, Text>,
    #[serde(skip)]
    cldr: Cldr,
}

impl Language {
    fn new(tag: &str, texts: BTreeMap<String, Text>) -> Language {
        Language {
            tag: tag.to_string(),
            texts,
            cldr: Cldr::new(tag),
        }
    }

    /// The text of `key` with `{name}` placeholders filled from `args`; with `count`, the
    /// plural form CLDR chooses for it, and `{count}` replaced by it. `None` for a key no
    /// strings file has.
    pub fn text(&self, key: &str, count: Option<i64>, args: &[(&str, &str)]) -> Option<String> {
        let words = match (self.texts.get(key)?, count) {
            (Text::Plain(s), _) => s.as_str(),
            (Text::Plural(forms), n) => {
                let category = self.cldr.plural(n.unwrap_or(0));
                forms
                    .get(category)
                    .or_else(|| forms.get("other"))
                    .or_else(|| forms.values().next())?
            }
        };
        let mut out = words.to_string();
        if let Some(n) = count {
            out = out.replace("{count}", &n.to_string());
        }
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        Some(out)
    }

    /// The text of `key`, or the key itself for one that no strings file has (the generator's
    /// own keys are all in the theme's `en.yaml`, so this shows only in a broken theme).
    pub fn say(&self, key: &str) -> String {
        self.text(key, None, &[]).unwrap_or_else(|| key.to_string())
    }

    /// [`Language::say`] with a count and placeholders.
    pub fn say_with(&self, key: &str, count: Option<i64>, args: &[(&str, &str)]) -> String {
        self.text(key, count, args)
            .unwrap_or_else(|| key.to_string())
    }

    /// The plural forms of `key`, each with `{count}` left in, for scripts that count on the
    /// page (the search page's "3 results"); a plain text is given as `other`.
    pub fn plural_forms(&self, key: &str) -> Option<BTreeMap<String, String>> {
        match self.texts.get(key)? {
            Text::Plain(s) => Some(BTreeMap::from([("other".to_string(), s.clone())])),
            Text::Plural(forms) => Some(forms.clone()),
        }
    }

    /// A time zone as people say it: the strings file's `timezone_<zone>` for the zone
    /// (`timezone_europe_london`: "UK time"), else `timezone_city` with the zone's city
    /// ("New York time"): never the IANA id itself.
    pub fn zone_name(&self, iana: &str) -> String {
        let key = format!(
            "timezone_{}",
            iana.to_ascii_lowercase().replace(['/', '-'], "_")
        );
        self.text(&key, None, &[]).unwrap_or_else(|| {
            let city = iana.rsplit('/').next().unwrap_or(iana).replace('_', " ");
            self.say_with("timezone_city", None, &[("city", &city)])
        })
    }

    /// CLDR's formatters for the language.
    pub fn cldr(&self) -> &Cldr {
        &self.cldr
    }

    /// `rtl` for a language written right to left, else `ltr`.
    pub fn dir(&self) -> &'static str {
        if self.cldr.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// A day as the language writes it in full: "Tuesday, 14 March 2017".
    pub fn full_date(&self, z: &ZonedDateTime) -> String {
        self.cldr.full_date(z.date())
    }

    /// A day without its weekday: "14 March 2017".
    pub fn long_date(&self, z: &ZonedDateTime) -> String {
        self.cldr.long_date(z.date())
    }

    /// A time of day: "10:00".
    pub fn time(&self, z: &ZonedDateTime) -> String {
        self.cldr.time(z.time())
    }

    /// A day and a time: "Tuesday, 14 March 2017, 10:00 GMT".
    pub fn full_moment(&self, z: &ZonedDateTime) -> String {
        self.moment(&self.full_date(z), z)
    }

    /// A day without its weekday and a time: "14 March 2017, 10:00 GMT".
    pub fn long_moment(&self, z: &ZonedDateTime) -> String {
        self.moment(&self.long_date(z), z)
    }

    fn moment(&self, date: &str, z: &ZonedDateTime) -> String {
        let time = format!("{} {}", self.time(z), zone(z));
        self.say_with("date_time", None, &[("date", date), ("time", &time)])
    }

    /// `from` to `to` in the language's words: "10:00 to 16:00".
    pub fn range(&self, from: &str, to: &str) -> String {
        self.say_with("range", None, &[("start", from), ("end", to)])
    }

    /// "1 hour 28 minutes" from seconds, with the language's plural forms.
    pub fn duration(&self, secs: u64) -> String {
        let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
        let count = |key: &str, n: u64| self.say_with(key, Some(n as i64), &[]);
        match (h, m) {
            (0, 0) => count("seconds", s),
            (0, _) => count("minutes", m),
            (_, 0) => count("hours", h),
            _ => format!("{} {}", count("hours", h), count("minutes", m)),
        }
    }

    /// Formats a moment with strftime, the names of months and days in the language
    /// (`%B`, `%b`, `%A`, `%a`), the rest as jiff writes it.
    pub fn strftime(&self, z: &ZonedDateTime, format: &str) -> String {
        let mut out = String::with_capacity(format.len() + 16);
        let mut rest = format;
        while let Some(at) = rest.find('%') {
            out.push_str(&z.strftime(&rest[..at]).to_string());
            let spec = &rest[at..];
            let named = match spec.get(1..2) {
                Some("B") => Some(self.cldr.month(z.date(), false)),
                Some("b") | Some("h") => Some(self.cldr.month(z.date(), true)),
                Some("A") => Some(self.cldr.weekday(z.date(), false)),
                Some("a") => Some(self.cldr.weekday(z.date(), true)),
                _ => None,
            };
            match named {
                Some(name) => {
                    out.push_str(&name);
                    rest = &spec[2..];
                }
                None => {
                    // A conversion jiff knows (with its flags: `%-d`, `%:z`), or a literal `%`.
                    let len = spec[1..]
                        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
                        .map_or(spec.len(), |i| i + 2);
                    out.push_str(&z.strftime(&spec[..len]).to_string());
                    rest = &spec[len..];
                }
            }
        }
        out.push_str(&z.strftime(rest).to_string());
        out
    }
}

/// The zone's abbreviation as people in it read it ("GMT", "BST").
pub fn zone(z: &ZonedDateTime) -> String {
    z.strftime("%Z").to_string()
}

/// Every language of a site, by the file its strings come from, with the default language's
/// code; what templates and the generator ask for words.
#[derive(Debug, Serialize)]
pub struct Strings {
    default: String,
    languages: BTreeMap<String, Arc<Language>>,
}

impl Default for Strings {
    /// English alone, from the theme's file: what a site has before its settings are read.
    fn default() -> Strings {
        let (strings, _) = Strings::load(Path::new(""), &files::english(), "", "en", &[]);
        strings
    }
}

impl Strings {
    /// Reads the strings of the default language `default` and of `others` (the site's
    /// further `languages:`) from the site's `i18n/` over the theme's `theme_files`. A
    /// missing key is a warning; for the default language a missing file is a warning too
    /// (English is used), for one of `others` it is an error naming the file to add, at the
    /// line of `site_yaml` that names the language.
    pub fn load(
        root: &Path,
        theme_files: &[StringsFile],
        site_yaml: &str,
        default: &str,
        others: &[String],
    ) -> (Strings, Vec<Diagnostic>) {
        let mut found = Vec::new();
        let files = files::Files::read(root, theme_files, &mut found);
        let english = files.merged("en");
        let default_code = file_code(default);
        let default_texts = match files.has(&default_code) {
            true => files.merged(&default_code),
            false => {
                found.push(files::no_file(
                    &default_code,
                    default,
                    false,
                    site_yaml,
                    "language",
                ));
                BTreeMap::new()
            }
        };
        let mut languages = BTreeMap::new();
        let fallback: BTreeMap<String, Text> = english
            .iter()
            .chain(default_texts.iter())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if files.has(&default_code) {
            found.extend(files.missing_keys(&default_code, default, &english));
        }
        languages.insert(
            default_code.clone(),
            Arc::new(Language::new(default, fallback.clone())),
        );
        for tag in others {
            let code = file_code(tag);
            if languages.contains_key(&code) {
                continue;
            }
            if !files.has(&code) {
                found.push(files::no_file(
                    &code,
                    tag,
                    true,
                    site_yaml,
                    &format!("languages.{tag}"),
                ));
                continue;
            }
            found.extend(files.missing_keys(&code, tag, &english));
            let mut texts = fallback.clone();
            texts.extend(files.merged(&code));
            languages.insert(code, Arc::new(Language::new(tag, texts)));
        }
        (
            Strings {
                default: default_code,
                languages,
            },
            found,
        )
    }

    /// The language of `tag` (its first subtag), or the default language for one the site
    /// does not have.
    pub fn get(&self, tag: &str) -> &Arc<Language> {
        self.languages
            .get(&file_code(tag))
            .or_else(|| self.languages.get(&self.default))
            .expect("the default language is always loaded")
    }

    /// The site's default language.
    pub fn default_language(&self) -> &Arc<Language> {
        self.get(&self.default.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn welsh() -> Arc<Language> {
        let (strings, _) = Strings::load(Path::new(""), &files::theme_default(), "", "cy", &[]);
        Arc::clone(strings.get("cy"))
    }

    #[test]
    fn strftime_names_months_and_days_in_the_language() {
        let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
        let z = crate::dates::DateValue::parse("2017-03-14T10:00")
            .unwrap()
            .resolve(&tz)
            .unwrap();
        assert_eq!(
            welsh().strftime(&z, "%A %-d %B %Y, %H:%M %Z"),
            "Dydd Mawrth 14 Mawrth 2017, 10:00 GMT"
        );
        assert_eq!(welsh().strftime(&z, "100%% %Y"), "100% 2017");
    }

    #[test]
    fn plural_forms_follow_cldr() {
        let cy = welsh();
        assert_eq!(cy.say_with("minutes", Some(2), &[]), "2 funud");
        let (strings, _) = Strings::load(Path::new(""), &files::theme_default(), "", "en-GB", &[]);
        let en = strings.get("en-GB");
        assert_eq!(en.duration(60), "1 minute");
        assert_eq!(en.duration(5320), "1 hour 28 minutes");
    }
}
