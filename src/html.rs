//! Reading HTML: the start tags of a document or fragment with their attributes and where
//! each is, as a browser's tokenizer reads them — comments, doctypes, end tags and the text
//! of scripts and styles are passed over, a `>` inside a quoted value does not end a tag,
//! and the first of two attributes of one name is the one that counts. On it: the ids a
//! page holds and the URLs it names ([`scan`]), for the check of what a build publishes.
//!
//! The tokenizer is written here rather than taken from lol_html because it runs over every
//! byte a build writes: lol_html, which builds a rewritable element for each tag, costs several
//! times more (measured on the 10,000-page corpus), and this needs to read, never to rewrite.
//! Its results are compared with lol_html's in the tests.

use std::borrow::Cow;
use std::collections::HashSet;

/// The attributes whose value is one URL that a reader's browser follows or loads.
pub const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// Elements whose content is text up to their end tag, never markup. `<noscript>` is not
/// among them: its content is read as the HTML a reader without scripts sees.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// One attribute of a start tag, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// Its name, as written (compare it without regard to case).
    pub name: &'a str,
    /// Its value with character references not yet decoded ([`decode`]); empty when
    /// written without one.
    pub value: &'a str,
    /// Where the value starts, in bytes from the start of the HTML.
    pub value_offset: usize,
}

/// One start tag.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'t, 'a> {
    /// The element's name, as written (compare it without regard to case).
    pub name: &'a str,
    /// Its attributes, in order.
    pub attributes: &'t [Attribute<'a>],
    /// Where the tag's `<` is, in bytes from the start of the HTML.
    pub offset: usize,
}

impl<'a> Tag<'_, 'a> {
    /// The value of the attribute `name` (lowercase), the first one when there are two.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.attribute(name).map(|a| a.value)
    }

    /// The attribute `name` (lowercase), the first one when there are two.
    pub fn attribute(&self, name: &str) -> Option<&Attribute<'a>> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// Whether the element is `name` (lowercase).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// Calls `each` with every start tag of `html`, in order. A tag cut off by the end of the
/// text is not a tag (as in a browser).
pub fn for_each_start_tag<'a>(html: &'a str, mut each: impl FnMut(&Tag<'_, 'a>)) {
    let bytes = html.as_bytes();
    let mut attributes: Vec<Attribute> = Vec::new();
    let mut pos = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[pos..]) {
        let at = pos + found;
        pos = at + 1;
        match bytes.get(pos) {
            Some(b'!') => pos = after_markup_declaration(html, pos + 1),
            Some(b'?') => pos = after(html, pos, ">"),
            Some(b'/') => match bytes.get(pos + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    attributes.clear();
                    pos = read_tag(html, pos + 1, &mut attributes).map_or(html.len(), |t| t.end);
                }
                Some(b'>') => pos += 2,
                Some(_) => pos = after(html, pos, ">"),
                None => pos = html.len(),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                attributes.clear();
                let Some(read) = read_tag(html, pos, &mut attributes) else {
                    return;
                };
                pos = read.end;
                each(&Tag {
                    name: read.name,
                    attributes: &attributes,
                    offset: at,
                });
                if let Some(raw) = RAW_TEXT.iter().find(|r| read.name.eq_ignore_ascii_case(r)) {
                    pos = end_of_raw_text(html, pos, raw);
                } else if read.name.eq_ignore_ascii_case("plaintext") {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// A tag's name and where it ends (after its `>`).
struct ReadTag<'a> {
    name: &'a str,
    end: usize,
}

/// Reads a tag whose name starts at `start`, its attributes into `attributes`; `None` if the
/// text ends inside it.
fn read_tag<'a>(
    html: &'a str,
    start: usize,
    attributes: &mut Vec<Attribute<'a>>,
) -> Option<ReadTag<'a>> {
    let bytes = html.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C');
    let mut i = start;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = &html[start..i];
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => return Some(ReadTag { name, end: i + 1 }),
            _ => {
                // A name may begin with `=`; it runs to a space, `/`, `>` or `=`.
                let name_start = i;
                i += 1;
                while i < bytes.len()
                    && !is_space(bytes[i])
                    && !matches!(bytes[i], b'/' | b'>' | b'=')
                {
                    i += 1;
                }
                let attribute_name = &html[name_start..i];
                while i < bytes.len() && is_space(bytes[i]) {
                    i += 1;
                }
                let (value, value_offset) = if bytes.get(i) == Some(&b'=') {
                    i += 1;
                    while i < bytes.len() && is_space(bytes[i]) {
                        i += 1;
                    }
                    match bytes.get(i)? {
                        quote @ (b'"' | b'\'') => {
                            let from = i + 1;
                            let len = memchr::memchr(*quote, &bytes[from..])?;
                            i = from + len + 1;
                            (&html[from..from + len], from)
                        }
                        _ => {
                            let from = i;
                            while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                                i += 1;
                            }
                            (&html[from..i], from)
                        }
                    }
                } else {
                    ("", i)
                };
                attributes.push(Attribute {
                    name: attribute_name,
                    value,
                    value_offset,
                });
            }
        }
    }
}

/// Where the text after `<!` at `start` resumes: after a comment, a CDATA section, or a
/// doctype or other declaration.
fn after_markup_declaration(html: &str, start: usize) -> usize {
    let rest = &html[start..];
    if let Some(comment) = rest.strip_prefix("--") {
        // `<!-->` and `<!--->` end where they begin.
        for closed in [">", "->"] {
            if comment.starts_with(closed) {
                return start + 2 + closed.len();
            }
        }
        return after(html, start + 2, "-->");
    }
    if rest.starts_with("[CDATA[") {
        return after(html, start, "]]>");
    }
    after(html, start, ">")
}

/// Where the text resumes after the first `end` from `from`: the end of the text if none.
fn after(html: &str, from: usize, end: &str) -> usize {
    html[from..]
        .find(end)
        .map_or(html.len(), |at| from + at + end.len())
}

/// Where the raw text of element `name`, from `from`, ends: at its end tag (`</script` and
/// a space, `/` or `>`), which is then read as markup.
fn end_of_raw_text(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut pos = from;
    while let Some(found) = html[pos..].find("</") {
        let at = pos + found;
        let name_end = at + 2 + name.len();
        let same_name = html
            .get(at + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        let ends = matches!(
            bytes.get(name_end),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'/' | b'>') | None
        );
        if same_name && ends {
            return at;
        }
        pos = at + 2;
    }
    html.len()
}

/// What a page offers links (its ids) and the URLs it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every `id`, and the `name` of every `<a name>`: what a `#fragment` may name.
    pub ids: HashSet<String>,
    /// Every URL of an `href`, `src`, `poster` or `srcset` candidate, trimmed, with
    /// character references decoded, each once, sorted.
    pub urls: Vec<String>,
}

/// One thing a start tag holds that a check of links needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'a> {
    /// An `id` (or the `name` of an `<a name>`): what a `#fragment` may name.
    Id(Cow<'a, str>),
    /// The URL of an `href`, `src`, `poster` or `srcset` candidate, trimmed, with its
    /// character references decoded.
    Url(Cow<'a, str>),
}

/// Calls `each` with every id and URL of a page, in order (those in `<noscript>` included,
/// as a reader without scripts sees them).
pub fn for_each_id_and_url<'a>(html: &'a str, mut each: impl FnMut(Found<'a>)) {
    for_each_start_tag(html, |tag| {
        if tag.attributes.is_empty() {
            return;
        }
        for (i, a) in tag.attributes.iter().enumerate() {
            let Some(kind) = kind_of(a.name).filter(|k| *k != Kind::Name || tag.is("a")) else {
                continue;
            };
            // The first of two attributes of one name is the one a browser reads.
            let name = a.name;
            if tag.attributes[..i]
                .iter()
                .any(|b| b.name.eq_ignore_ascii_case(name))
            {
                continue;
            }
            match kind {
                Kind::Id | Kind::Name => each(Found::Id(decode(a.value))),
                Kind::Url => {
                    let url = a.value.trim();
                    if !url.is_empty() {
                        each(Found::Url(decode(url)));
                    }
                }
                Kind::Srcset => srcset_urls(a.value).for_each(|url| each(Found::Url(decode(url)))),
            }
        }
    });
}

/// What an attribute holds, of what a check of links reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `id`.
    Id,
    /// `name` (an id on `<a>`).
    Name,
    /// `href`, `src`, `poster`.
    Url,
    /// `srcset`.
    Srcset,
}

/// What an attribute of this name holds, if a check of links reads it.
fn kind_of(name: &str) -> Option<Kind> {
    let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
    match name.len() {
        2 if is("id") => Some(Kind::Id),
        3 if is("src") => Some(Kind::Url),
        4 if is("href") => Some(Kind::Url),
        4 if is("name") => Some(Kind::Name),
        6 if is("poster") => Some(Kind::Url),
        6 if is("srcset") => Some(Kind::Srcset),
        _ => None,
    }
}

/// The ids and URLs of a page, gathered ([`for_each_id_and_url`]).
pub fn scan(html: &str) -> Scan {
    let mut found = Scan::default();
    for_each_id_and_url(html, |f| match f {
        Found::Id(id) => {
            found.ids.insert(id.into_owned());
        }
        Found::Url(url) => found.urls.push(url.into_owned()),
    });
    found.urls.sort_unstable();
    found.urls.dedup();
    found
}

/// The URLs of a `srcset` (`a.png 1x, b.png 2x`), without their descriptors.
pub fn srcset_urls(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
}

/// An attribute value as a browser reads it: character references (`&amp;`, `&#106;`,
/// `&#x6A;`, `&quot;`) decoded; an unknown or broken one is kept as written.
pub fn decode(value: &str) -> Cow<'_, str> {
    if memchr::memchr(b'&', value.as_bytes()).is_none() {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference at the start of `text` (`&amp;`) stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    let end = text.find(';').filter(|end| *end <= 10)?;
    let body = &text[1..end];
    let c = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "colon" => ':',
        _ => {
            let number = body.strip_prefix('#')?;
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(value)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags, with their attributes, that `for_each_start_tag` reads.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut out = Vec::new();
        for_each_start_tag(html, |t| {
            let attributes = t
                .attributes
                .iter()
                .map(|a| (a.name.to_ascii_lowercase(), a.value.to_string()))
                .collect();
            out.push((t.name.to_ascii_lowercase(), attributes));
        });
        out
    }

    /// The same, as lol_html reads them.
    fn lol_html_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        use lol_html::{element, HtmlRewriter, Settings};
        let mut out = Vec::new();
        let settings = Settings::new()
            .append_element_content_handler(element!("*", |el| {
                let attributes = el
                    .attributes()
                    .iter()
                    .map(|a| (a.name(), a.value()))
                    .collect();
                out.push((el.tag_name(), attributes));
                Ok(())
            }))
            .with_strict(false);
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(html.as_bytes()).unwrap();
        rewriter.end().unwrap();
        out
    }

    #[test]
    fn tags_are_read_as_lol_html_reads_them() {
        let html = r##"<!DOCTYPE html><html lang=en-GB><head><title>a <b> c</title>
            <meta charset="utf-8"><link rel=stylesheet href='/s.css'>
            <script>if (a < b && "</p>") { x = '<a href="/no/">'; }</script>
            <style>a > b { content: "<i>" }</style></head>
            <body><!-- <a href="/commented/"> --><!----><!-- a -- b -->
            <p class="x" data-a='1 > 0' hidden>Text <a HREF="/a/?q=1&amp;r=2" href="/second/">a</a>
            <img src=/i.png alt=""/><br/><input value="a/b" disabled><svg viewBox="0 0 1 1"><use href="#i"/></svg>
            <textarea><a href="/in-textarea/"></textarea><p =odd x = "y">
            </body></html>"##;
        assert_eq!(tags(html), lol_html_tags(html));
        assert!(tags(html)
            .iter()
            .any(|(name, attrs)| name == "a"
                && attrs[0] == ("href".into(), "/a/?q=1&amp;r=2".into())));
    }

    #[test]
    fn a_tag_cut_off_by_the_end_is_not_a_tag() {
        assert_eq!(tags("<p>a</p><a href=\"/x/"), tags("<p>a</p>"));
        assert_eq!(tags("<p>a <b"), tags("<p>a"));
        assert_eq!(tags("a < b and 1<2 <3"), Vec::new());
    }

    #[test]
    fn a_page_gives_its_ids_and_each_url_once() {
        let html = r##"<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head>
            <body><h2 id="why">Why</h2><a name="old"></a><a href="/about/?a=1&amp;b=2">a</a>
            <img src="/a.png" srcset="/a-480.png 480w, /a-960.png 960w"><video poster=" /p.jpg "></video>
            <a href="/style.css">again</a><script>var x = '<a href="/not/">';</script>
            <noscript><a href="/fallback/" id="nojs">x</a></noscript></body></html>"##;
        let found = scan(html);
        let mut ids: Vec<&str> = found.ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["nojs", "old", "why"]);
        assert_eq!(
            found.urls,
            [
                "/a-480.png",
                "/a-960.png",
                "/a.png",
                "/about/?a=1&b=2",
                "/fallback/",
                "/p.jpg",
                "/style.css",
            ]
        );
    }

    #[test]
    fn references_are_decoded_and_others_kept() {
        assert_eq!(decode("a&amp;b&#106;&#x6A;&quot;"), "a&bjj\"");
        assert_eq!(decode("a&b &unknown; &#xZZ;"), "a&b &unknown; &#xZZ;");
    }
}
