//! Every `<img>` of a rendered body, however it was written (Markdown, a shortcode, raw HTML):
//! a relative `src` rooted at the page's URL, so the image still shows where the HTML is
//! shown elsewhere (lists, feeds); `width` and `height` from the file; and `loading="lazy"` on
//! all but the first, which is often the largest thing the page paints. A JPEG, PNG or WebP
//! of the site becomes a `<picture>` offering its WebP widths, with `srcset` and `sizes` on the
//! `<img>` in its own format, so a browser downloads the width its screen needs.

use std::fmt::Write as _;

use crate::images::{Format, ImageSizes};

use super::{escape, is_relative};

/// Which images load only as they come into view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Loading {
    /// All but the first: a page's own content.
    AllButFirst,
    /// All of them: a summary, shown in a list below other things.
    All,
}

/// The HTML with its images rooted, sized and lazy as described above.
pub(super) fn dress(
    html: &str,
    page_url: &str,
    sizes: Option<&ImageSizes>,
    loading: Loading,
) -> String {
    if find_img(html).is_none() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let mut first = true;
    while let Some(at) = find_img(rest) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(tag) = Tag::parse(rest) else {
            out.push_str("<img");
            rest = &rest["<img".len()..];
            continue;
        };
        rest = &rest[tag.len..];
        let lazy = !(first && loading == Loading::AllButFirst);
        tag.write(&mut out, page_url, sizes, lazy);
        first = false;
    }
    out.push_str(rest);
    out
}

/// Whether the HTML has an `<img>`.
pub(super) fn any(html: &str) -> bool {
    find_img(html).is_some()
}

/// Where the next `<img` start tag begins.
fn find_img(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<img") {
        let at = from + at;
        let next = html[at + 4..].chars().next();
        if next.is_some_and(|c| c.is_whitespace() || c == '/' || c == '>') {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// One attribute as written: its name, and its value with the quote around it.
struct Attribute<'a> {
    name: &'a str,
    value: Option<(&'a str, char)>,
}

/// An `<img>` start tag, read from the HTML.
struct Tag<'a> {
    attributes: Vec<Attribute<'a>>,
    /// What closes the tag: `>` or ` />`.
    close: &'a str,
    /// How long the tag is in the HTML.
    len: usize,
}

impl<'a> Tag<'a> {
    /// Reads the tag at the start of `html`; `None` if it does not end or cannot be read
    /// (an unquoted value, as trusted raw HTML may have, leaves the tag as it is).
    fn parse(html: &'a str) -> Option<Tag<'a>> {
        let mut attributes = Vec::new();
        let mut i = "<img".len();
        loop {
            let attributes_end = i;
            i += html[i..].len() - html[i..].trim_start().len();
            let rest = &html[i..];
            if let Some(close_len) = [">", "/>"]
                .iter()
                .find(|c| rest.starts_with(**c))
                .map(|c| c.len())
            {
                return Some(Tag {
                    attributes,
                    close: &html[attributes_end..i + close_len],
                    len: i + close_len,
                });
            }
            let name_len = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
                .filter(|n| *n > 0)?;
            let name = &rest[..name_len];
            i += name_len;
            let value = match html[i..].trim_start().strip_prefix('=') {
                Some(v) => {
                    let v = v.trim_start();
                    let quote = v.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                    let end = v[1..].find(quote)?;
                    i = html.len() - v.len() + end + 2;
                    Some((&v[1..1 + end], quote))
                }
                None => None,
            };
            attributes.push(Attribute { name, value });
        }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .and_then(|a| a.value.map(|(v, _)| v))
    }

    /// Writes the tag again, changed as [`dress`] says.
    fn write(&self, out: &mut String, page_url: &str, sizes: Option<&ImageSizes>, lazy: bool) {
        let src = self.get("src").map(|s| s.replace("&amp;", "&"));
        let rooted = src
            .as_deref()
            .filter(|s| is_relative(s) && !page_url.is_empty())
            .map(|s| format!("{page_url}{s}"));
        let url = rooted.as_deref().or(src.as_deref());
        let raster = url
            .and_then(|u| sizes?.raster(u))
            .filter(|_| self.get("srcset").is_none());
        let shown_sizes = match self.get("width").and_then(|v| v.trim().parse::<u32>().ok()) {
            Some(w) => format!("{w}px"),
            None => sizes
                .map_or("100vw", ImageSizes::sizes_attribute)
                .to_string(),
        };
        if let Some(r) = raster {
            out.push_str("<picture>");
            if r.format != Format::Webp {
                let _ = write!(
                    out,
                    "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
                    r.srcset(Format::Webp),
                    escape(&shown_sizes)
                );
            }
        }
        out.push_str("<img");
        for a in &self.attributes {
            let eager_first = !lazy && a.name.eq_ignore_ascii_case("loading");
            if eager_first && a.value.is_some_and(|(v, _)| v == "lazy") {
                continue;
            }
            out.push(' ');
            out.push_str(a.name);
            match (a.name.eq_ignore_ascii_case("src"), &rooted, a.value) {
                (true, Some(url), Some((_, q))) => {
                    out.push('=');
                    out.push(q);
                    out.push_str(&escape(url));
                    out.push(q);
                }
                (_, _, Some((v, q))) => {
                    out.push('=');
                    out.push(q);
                    out.push_str(v);
                    out.push(q);
                }
                (_, _, None) => {}
            }
        }
        let size = url.and_then(|u| sizes?.get(u));
        let number = |name: &str| self.get(name).and_then(|v| v.trim().parse::<u32>().ok());
        let shown = match (number("width"), number("height"), size) {
            (None, None, Some(s)) => Some(s),
            (Some(w), None, Some(s)) => Some(s.at_width(w)),
            (None, Some(h), Some(s)) => Some(s.at_height(h)),
            _ => None,
        };
        if let Some(s) = shown {
            if self.get("width").is_none() {
                let _ = write!(out, " width=\"{}\"", s.width);
            }
            if self.get("height").is_none() {
                let _ = write!(out, " height=\"{}\"", s.height);
            }
        }
        if let Some(r) = raster {
            let _ = write!(
                out,
                " srcset=\"{}\" sizes=\"{}\"",
                r.srcset(r.format),
                escape(&shown_sizes)
            );
        }
        if lazy && self.get("loading").is_none() {
            out.push_str(" loading=\"lazy\"");
        }
        out.push_str(self.close);
        if raster.is_some() {
            out.push_str("</picture>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::Source;

    #[test]
    fn images_are_rooted_sized_and_lazy_but_the_first() {
        let svg = b"<svg viewBox=\"0 0 480 280\">";
        let sizes = ImageSizes::read(vec![("p/chart.svg", Source::Bytes(svg))]);
        let html = "<p><img src=\"chart.svg\" alt=\"a &amp; b\" /></p><figure><img src=\"/p/chart.svg\" width=\"240\" loading=\"lazy\"></figure><img src=\"https://x.example/a.png\" alt=\"\"><code>&lt;img src=x&gt;</code>";
        assert_eq!(
            dress(html, "/p/", Some(&sizes), Loading::AllButFirst),
            "<p><img src=\"/p/chart.svg\" alt=\"a &amp; b\" width=\"480\" height=\"280\" /></p><figure><img src=\"/p/chart.svg\" width=\"240\" loading=\"lazy\" height=\"140\"></figure><img src=\"https://x.example/a.png\" alt=\"\" loading=\"lazy\"><code>&lt;img src=x&gt;</code>"
        );
        let first_lazy = "<img src=\"/p/chart.svg\" loading=\"lazy\"/>";
        assert_eq!(
            dress(first_lazy, "/p/", Some(&sizes), Loading::AllButFirst),
            "<img src=\"/p/chart.svg\" width=\"480\" height=\"280\"/>"
        );
        assert_eq!(
            dress("<img src=x.png><imgx>", "/p/", None, Loading::All),
            "<img src=x.png><imgx>"
        );
    }
}
