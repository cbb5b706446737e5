//! The allow-list for raw HTML written in Markdown (ammonia), and the detection of what it
//! removes so that authors are told, with a line number.

use std::collections::HashSet;
use std::sync::LazyLock;

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

/// Names the first dangerous construct in a raw HTML fragment, if any.
pub fn dangerous(fragment: &str) -> Option<&'static str> {
    let lower = fragment.to_ascii_lowercase();
    if lower.contains("<script") {
        return Some("a <script> element");
    }
    if lower.contains("<iframe") {
        return Some("an <iframe> (use the video shortcode for videos)");
    }
    if ["<object", "<embed", "<style", "<form", "<frame"]
        .iter()
        .any(|t| lower.contains(t))
    {
        return Some("an element that is not allowed");
    }
    if lower.contains("javascript:") {
        return Some("a javascript: URL");
    }
    if has_event_handler(&lower) {
        return Some("an on…= event handler attribute");
    }
    None
}

fn has_event_handler(lower: &str) -> bool {
    lower.match_indices(" on").any(|(i, _)| {
        let rest = &lower[i + 3..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with('=')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_handlers_but_not_prose() {
        assert!(dangerous("<img src=x onerror=alert(1)>").is_some());
        assert!(dangerous("<p>turn on the light</p>").is_none());
        assert!(dangerous("<a href=\"JavaScript:x\">").is_some());
    }
}
