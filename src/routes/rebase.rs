//! The links of finished HTML, moved onto the base path: a root-relative URL (`/about/`)
//! written by a template, a theme or in Markdown means the site's root, which for a site
//! published under `/campaign/` is `/campaign/about/`.

use lol_html::html_content::{ContentType, Element, TextChunk};
use lol_html::{element, text, HtmlRewriter, Settings};

/// Attributes whose whole value is one URL.
const URL_ATTRIBUTES: [&str; 6] = ["href", "src", "poster", "action", "formaction", "cite"];
/// Attributes that list image candidates (`a.png 1x, b.png 2x`).
const SRCSET_ATTRIBUTES: [&str; 2] = ["srcset", "imagesrcset"];
/// Every element with an attribute that may hold a URL.
const SELECTOR: &str = "[href], [src], [poster], [action], [formaction], [cite], [srcset], \
    [imagesrcset], object[data], [style], meta[http-equiv]";

/// `html` with `prefix` put before every root-relative URL of its links, images, media,
/// scripts, stylesheets, forms, styles and refresh redirects. `prefix` is the base
/// path (`/campaign`) for pages of the site, or the absolute `base_url` for HTML shown
/// elsewhere (a feed's entries). Protocol-relative (`//host/x`), relative and absolute URLs,
/// and text that is not in such an attribute, are left as they are.
pub fn rebase(html: &[u8], prefix: &str) -> Result<Vec<u8>, String> {
    let (mut noscript, mut stylesheet) = (String::new(), String::new());
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let handler = element!(SELECTOR, |el: &mut Element| {
        rebase_element(el, prefix);
        Ok(())
    });
    // A parser that runs scripts reads `<noscript>` as text, but a reader without scripts
    // sees its links: its text is rebased as HTML of its own, once whole.
    let fallback = text!("noscript", |chunk: &mut TextChunk| {
        noscript.push_str(chunk.as_str());
        match chunk.last_in_text_node() {
            true => {
                let rebased = rebase(noscript.as_bytes(), prefix)?;
                chunk.replace(&String::from_utf8_lossy(&rebased), ContentType::Html);
                noscript.clear();
            }
            false => chunk.remove(),
        }
        Ok(())
    });
    let styles = text!("style", |chunk: &mut TextChunk| {
        stylesheet.push_str(chunk.as_str());
        match chunk.last_in_text_node() {
            true => {
                let rebased = css(&stylesheet, prefix).unwrap_or_else(|| stylesheet.clone());
                chunk.replace(&rebased, ContentType::Html);
                stylesheet.clear();
            }
            false => chunk.remove(),
        }
        Ok(())
    });
    let settings = Settings::new()
        .append_element_content_handler(handler)
        .append_element_content_handler(fallback)
        .append_element_content_handler(styles)
        .with_strict(false);
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| out.extend_from_slice(chunk));
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    Ok(out)
}

fn rebase_element(el: &mut Element, prefix: &str) {
    let set = |el: &mut Element, name: &str, value: Option<String>| {
        if let Some(value) = value {
            // The names are fixed and valid, so setting them cannot fail.
            let _ = el.set_attribute(name, &value);
        }
    };
    for name in URL_ATTRIBUTES {
        let value = el.get_attribute(name).and_then(|v| url(&v, prefix));
        set(el, name, value);
    }
    for name in SRCSET_ATTRIBUTES {
        let value = el.get_attribute(name).and_then(|v| srcset(&v, prefix));
        set(el, name, value);
    }
    if el.tag_name() == "object" {
        let value = el.get_attribute("data").and_then(|v| url(&v, prefix));
        set(el, "data", value);
    }
    let value = el.get_attribute("style").and_then(|v| css(&v, prefix));
    set(el, "style", value);
    let refresh = el
        .get_attribute("http-equiv")
        .is_some_and(|h| h.eq_ignore_ascii_case("refresh"));
    if refresh {
        let value = el
            .get_attribute("content")
            .and_then(|v| refresh_target(&v, prefix));
        set(el, "content", value);
    }
}

/// Whether a URL starts at the host's root: `/x`, but not `//host/x` (nor `/\host`, which
/// browsers read the same way).
fn is_root_relative(url: &str) -> bool {
    let mut bytes = url.bytes();
    bytes.next() == Some(b'/') && !matches!(bytes.next(), Some(b'/' | b'\\'))
}

/// One URL, rebased if it is root-relative (surrounding spaces kept).
fn url(value: &str, prefix: &str) -> Option<String> {
    let trimmed = value.trim_start();
    is_root_relative(trimmed).then(|| {
        let lead = &value[..value.len() - trimmed.len()];
        format!("{lead}{prefix}{trimmed}")
    })
}

/// A `srcset`: each candidate's URL rebased, descriptors and separators kept.
fn srcset(value: &str, prefix: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len() + prefix.len() * 2);
    let mut rest = value;
    let mut changed = false;
    while !rest.is_empty() {
        let start = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
                .len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let candidate = &rest[..end];
        if is_root_relative(candidate) {
            out.push_str(prefix);
            changed = true;
        }
        out.push_str(candidate);
        rest = &rest[end..];
        if !candidate.ends_with(',') {
            let descriptors = rest.find(',').map_or(rest.len(), |at| at + 1);
            out.push_str(&rest[..descriptors]);
            rest = &rest[descriptors..];
        }
    }
    changed.then_some(out)
}

/// Inline CSS: every `url(/...)` rebased, quoted or not.
fn css(value: &str, prefix: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len() + prefix.len());
    let mut rest = value;
    let mut changed = false;
    while let Some(at) = rest.find("url(") {
        let open = at + 4;
        let inside = &rest[open..];
        let unquoted =
            inside.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        let url_at = open + inside.len() - unquoted.len();
        out.push_str(&rest[..url_at]);
        if is_root_relative(unquoted) {
            out.push_str(prefix);
            changed = true;
        }
        rest = &rest[url_at..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// `<meta http-equiv="refresh" content="0; url=/x/">`: the target rebased.
fn refresh_target(value: &str, prefix: &str) -> Option<String> {
    let at = value.to_ascii_lowercase().find("url=")? + 4;
    let target = url(&value[at..], prefix)?;
    Some(format!("{}{target}", &value[..at]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebased(html: &str) -> String {
        String::from_utf8(rebase(html.as_bytes(), "/campaign").unwrap()).unwrap()
    }

    #[test]
    fn root_relative_links_move_under_the_base_path() {
        assert_eq!(
            rebased(
                r#"<a href="/about/">a</a> <img src="/logo.svg" alt=""> <form action="/search/"></form>"#
            ),
            r#"<a href="/campaign/about/">a</a> <img src="/campaign/logo.svg" alt=""> <form action="/campaign/search/"></form>"#
        );
    }

    #[test]
    fn other_urls_and_text_stay_as_they_are() {
        let html = r##"<a href="https://x.org/a">/b/</a><a href="//cdn.example/x"></a><a href="#top"></a><a href="rel/x">x</a><script>var u = "/a/";</script>"##;
        assert_eq!(rebased(html), html);
    }

    #[test]
    fn srcsets_styles_and_refreshes_are_rebased() {
        assert_eq!(
            rebased(r#"<img srcset="/a.png 1x, /b.png 2x,https://x.org/c.png 3x">"#),
            r#"<img srcset="/campaign/a.png 1x, /campaign/b.png 2x,https://x.org/c.png 3x">"#
        );
        assert_eq!(
            rebased(r#"<div style="background-image: url('/p.jpg')"></div>"#),
            r#"<div style="background-image: url('/campaign/p.jpg')"></div>"#
        );
        assert_eq!(
            rebased(r#"<noscript><p>Browse <a href="/tags/">topics</a>.</p></noscript>"#),
            r#"<noscript><p>Browse <a href="/campaign/tags/">topics</a>.</p></noscript>"#
        );
        assert_eq!(
            rebased(r#"<style>.a { background: url(/a.png) }</style>"#),
            r#"<style>.a { background: url(/campaign/a.png) }</style>"#
        );
        assert_eq!(
            rebased(r#"<meta http-equiv="refresh" content="0; url=/new/">"#),
            r#"<meta http-equiv="refresh" content="0; url=/campaign/new/">"#
        );
    }
}
