//! `@/` links: a page or section named by its source file under `content/`, with an optional
//! anchor (`@/concordat/01-introduction.md#why`).
//!
//! Authors write them in Markdown bodies, in front matter (`related`, `recording`, `event`), in
//! the menu of site.yaml and in templates (`url_for`). Each is parsed once, where it is read,
//! into a [`ContentLink`]; resolvers take that type, so nothing else takes the text apart.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What marks a link to a source file.
const PREFIX: &str = "@/";

/// A link to a page or section by its source file, e.g. `@/videos/x.md#t`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentLink {
    /// The source file relative to `content/`, with `/` separators (`videos/x.md`).
    pub key: String,
    /// The anchor after `#`, without it; `None` when there is none (or it is empty).
    pub anchor: Option<String>,
}

impl ContentLink {
    /// Reads an `@/` link; `None` when `text` is not one.
    pub fn parse(text: &str) -> Option<ContentLink> {
        let rest = text.strip_prefix(PREFIX)?;
        let (key, anchor) = match rest.split_once('#') {
            Some((key, anchor)) => (key, Some(anchor)),
            None => (rest, None),
        };
        Some(ContentLink {
            key: key.to_string(),
            anchor: anchor.filter(|a| !a.is_empty()).map(str::to_string),
        })
    }

    /// The link's URL given its target's URL: the target's, with the anchor appended.
    pub fn url_at(&self, target_url: &str) -> String {
        with_anchor(target_url, self.anchor.as_deref())
    }

    /// The link's URL among the URLs of the site's pages and sections (by content key), or
    /// `None` when it names no source file.
    pub fn resolve(&self, urls: &HashMap<String, String>) -> Option<String> {
        urls.get(&self.key).map(|url| self.url_at(url))
    }
}

/// A page's URL with an anchor of it, when there is one: `/about/#team`.
pub fn with_anchor(url: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(anchor) => format!("{url}#{anchor}"),
        None => url.to_string(),
    }
}

/// The link as written: `@/videos/x.md#t`.
impl fmt::Display for ContentLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}{}", self.key)?;
        match &self.anchor {
            Some(anchor) => write!(f, "#{anchor}"),
            None => Ok(()),
        }
    }
}

/// Where a link that may name either points (a menu item's `url`): a page by its source
/// file, or an address written out (`/contact/`, `https://…`), used as it is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
pub enum Href {
    /// `@/…`: a page or section of the site.
    Content(ContentLink),
    /// Anything else.
    Url(String),
}

impl From<String> for Href {
    fn from(text: String) -> Href {
        match ContentLink::parse(&text) {
            Some(link) => Href::Content(link),
            None => Href::Url(text),
        }
    }
}

impl From<Href> for String {
    fn from(href: Href) -> String {
        href.to_string()
    }
}

/// The address as written.
impl fmt::Display for Href {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Href::Content(link) => link.fmt(f),
            Href::Url(url) => f.write_str(url),
        }
    }
}

/// Fragments every page has whatever its ids: none, the top, or a text fragment
/// (`#:~:text=`).
pub fn is_any_page_fragment(fragment: &str) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case("top") || fragment.starts_with(":~:")
}

/// Whether a link destination would run a script when followed (`javascript:`, `vbscript:`),
/// however it is spelled (case, spaces, control characters, character references such as
/// `&#106;` that a browser decodes in an attribute).
pub fn runs_script(dest: &str) -> bool {
    let mut scheme = String::new();
    let mut rest = dest;
    while scheme.len() < 11 {
        let Some((c, after)) = char_as_read(rest) else {
            break;
        };
        if !c.is_whitespace() && !c.is_control() {
            scheme.push(c.to_ascii_lowercase());
        }
        rest = after;
    }
    scheme.starts_with("javascript:") || scheme.starts_with("vbscript:")
}

/// The first character of `text` as a browser reads an attribute value, a character reference
/// (`&#106;`, `&#x6A`, `&colon;`) decoded, and the text after it.
fn char_as_read(text: &str) -> Option<(char, &str)> {
    let c = text.chars().next()?;
    let after = &text[c.len_utf8()..];
    let reference = || {
        after.strip_prefix('#').and_then(|num| {
            let (digits, radix) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16),
                None => (num, 10),
            };
            let len = digits.chars().take_while(|d| d.is_digit(radix)).count();
            let value = u32::from_str_radix(digits.get(..len).filter(|d| !d.is_empty())?, radix);
            let decoded = value.ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
            Some((decoded, &digits[len..]))
        })
    };
    let named = || {
        [("colon;", ':'), ("Tab;", '\t'), ("NewLine;", '\n')]
            .into_iter()
            .find_map(|(name, decoded)| Some((decoded, after.strip_prefix(name)?)))
    };
    match c {
        '&' => match reference() {
            Some((decoded, rest)) => Some((decoded, rest.strip_prefix(';').unwrap_or(rest))),
            None => Some(named().unwrap_or(('&', after))),
        },
        c => Some((c, after)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_key_and_anchor_and_writes_them_back() {
        let link = ContentLink::parse("@/videos/x.md#t").unwrap();
        assert_eq!(link.key, "videos/x.md");
        assert_eq!(link.anchor.as_deref(), Some("t"));
        assert_eq!(link.to_string(), "@/videos/x.md#t");
        let plain = ContentLink::parse("@/about.md").unwrap();
        assert_eq!((plain.key.as_str(), plain.anchor), ("about.md", None));
        assert_eq!(ContentLink::parse("@/about.md#").unwrap().anchor, None);
        assert_eq!(ContentLink::parse("/about/"), None);
        assert_eq!(ContentLink::parse("https://x.org/@/a.md"), None);
    }

    #[test]
    fn resolves_to_the_target_url_with_the_anchor() {
        let urls = HashMap::from([("a.md".to_string(), "/a/".to_string())]);
        let link = ContentLink::parse("@/a.md#why").unwrap();
        assert_eq!(link.resolve(&urls).as_deref(), Some("/a/#why"));
        assert_eq!(ContentLink::parse("@/b.md").unwrap().resolve(&urls), None);
    }

    #[test]
    fn an_href_is_a_content_link_or_an_address() {
        let content = Href::from("@/a.md#x".to_string());
        assert!(matches!(&content, Href::Content(l) if l.anchor.as_deref() == Some("x")));
        assert_eq!(String::from(content), "@/a.md#x");
        assert_eq!(Href::from("/x/".to_string()), Href::Url("/x/".into()));
    }

    #[test]
    fn a_script_url_is_seen_however_it_is_spelled() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#0000106avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "vbscript:msgbox(1)",
        ] {
            assert!(runs_script(url), "{url:?}");
        }
        for url in [
            "https://x.org/javascript:",
            "/javascript/a",
            "&amp;javascript",
            "&#",
            "&#x;",
            "&#99999999999;",
            "java",
        ] {
            assert!(!runs_script(url), "{url:?}");
        }
    }
}
