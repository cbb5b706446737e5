//! The allow-list for raw HTML written in Markdown (ammonia), and the detection of what it
//! removes so that authors are told, with a line number.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::html;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "figure",
        "figcaption",
        "details",
        "summary",
        "section",
        "aside",
        "input",
        "mark",
        "abbr",
        "time",
    ])
    .add_generic_attributes(["id", "class", "lang", "title"])
    .add_generic_attribute_prefixes(["aria-", "data-"])
    .add_tag_attributes("input", ["type", "checked", "disabled"])
    .add_tag_attributes("a", ["href", "hreflang"])
    .add_tag_attributes("time", ["datetime"])
    .add_tag_attributes("section", ["tabindex"])
    .add_tag_attributes("td", ["style"])
    .add_tag_attributes("th", ["style", "scope"])
    .link_rel(None)
    .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
    b
});

/// Removes everything outside the allow-list from rendered HTML.
pub fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

/// One thing the sanitizer removes from raw HTML: an element, or an attribute of one that
/// stays, and where its tag starts in the fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Where the tag starts, in bytes from the start of the fragment.
    pub offset: usize,
    /// The element (`script`), lowercase.
    pub element: String,
    /// The attribute (`onclick`), lowercase; `None` when the whole element goes.
    pub attribute: Option<String>,
}

impl std::fmt::Display for Removal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.attribute {
            Some(attribute) => write!(f, "the {attribute} attribute of <{}>", self.element),
            None => write!(f, "<{}>", self.element),
        }
    }
}

/// Everything the sanitizer removes from a fragment of raw HTML (an HTML block, or one inline
/// tag), found by comparing the start tags of the fragment with those of what it is cleaned
/// to: an element whose name the allow-list lacks is removed, and one that stays loses the
/// attributes the cleaned tag lacks. Elements the parser adds (`<tbody>`) are passed over.
pub fn removed(fragment: &str) -> Vec<Removal> {
    let cleaned = clean(fragment);
    let mut kept: Vec<(String, Vec<String>)> = Vec::new();
    html::for_each_start_tag(&cleaned, |tag| {
        let names = tag.attributes.iter().map(|a| a.name.to_ascii_lowercase());
        kept.push((tag.name.to_ascii_lowercase(), names.collect()));
    });
    let mut removals = Vec::new();
    let mut next = 0;
    html::for_each_start_tag(fragment, |tag| {
        let element = tag.name.to_ascii_lowercase();
        let removal = |attribute| Removal {
            offset: tag.offset,
            element: element.clone(),
            attribute,
        };
        let found = kept[next..].iter().position(|(name, _)| *name == element);
        let Some(at) = found.filter(|_| ALLOWED.contains(element.as_str())) else {
            removals.push(removal(None));
            return;
        };
        let attributes = &kept[next + at].1;
        next += at + 1;
        let mut seen = Vec::new();
        for a in tag.attributes {
            let name = a.name.to_ascii_lowercase();
            if !attributes.contains(&name) && !seen.contains(&name) {
                removals.push(removal(Some(name.clone())));
            }
            seen.push(name);
        }
    });
    removals
}

/// The elements the allow-list keeps.
static ALLOWED: LazyLock<HashSet<&'static str>> = LazyLock::new(|| CLEANER.clone_tags());

/// How to do without what was removed.
pub fn hint(removals: &[Removal]) -> &'static str {
    let any = |names: &[&str], attribute: bool| {
        removals.iter().any(|r| match (&r.attribute, attribute) {
            (None, false) => names.contains(&r.element.as_str()),
            (Some(a), true) => names.iter().any(|n| a.starts_with(n)),
            _ => false,
        })
    };
    if any(
        &["video", "audio", "iframe", "embed", "object", "source"],
        false,
    ) {
        return "raw HTML may not embed media or other sites; use the video shortcode: {{ video(provider=\"youtube\", id=\"…\", title=\"…\") }}";
    }
    if any(&["script"], false) || any(&["on"], true) || any(&["href", "src"], true) {
        return "raw HTML may not run scripts (no <script>, on…= handlers or javascript: URLs); set markdown.trust_html: true only for content you trust";
    }
    "raw HTML keeps only an allow-list of elements and attributes (no style=, <svg>, <form>); write it in Markdown or a shortcode (figure, video, callout), or set markdown.trust_html: true for content you trust"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(fragment: &str) -> Vec<String> {
        removed(fragment).iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn every_element_and_attribute_removed_is_named() {
        assert_eq!(
            named("<img src=x onerror=alert(1)>"),
            ["the onerror attribute of <img>"]
        );
        assert_eq!(named("<p>turn on the light</p>"), Vec::<String>::new());
        assert_eq!(
            named("<a href=\"JavaScript:x\">a</a> <a href=\"&#106;avascript:x\">b</a>"),
            ["the href attribute of <a>", "the href attribute of <a>"]
        );
        assert_eq!(
            named("<svg width=\"10\"><circle r=\"4\"/></svg><p style=\"color: red\">x</p>"),
            ["<svg>", "<circle>", "the style attribute of <p>"]
        );
        assert_eq!(
            named("<video src=\"a.mp4\" controls></video><audio src=a.mp3></audio>"),
            ["<video>", "<audio>"]
        );
        assert_eq!(removed("<p>a <script>x()</script></p>")[0].offset, 5);
    }

    #[test]
    fn elements_the_parser_adds_are_not_removals() {
        let table = "<table><tr><td style=\"text-align: left\">a</td></tr></table>";
        assert_eq!(named(table), Vec::<String>::new());
    }
}
