//! A page's HTML as the text a reader reads, in one pass (the index reads every page of the
//! site): tags dropped, a space where a block ends (`<td>a</td><td>b</td>` is "a b"), the
//! links headings carry to themselves left out with their hidden text, character references
//! decoded, and each run of white space made one space.

/// Whether an element (named in lowercase) does not end a run of text: no space is put where
/// it opens or closes.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

/// Whether an element's content (named in lowercase) is not text a reader reads.
fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "template")
}

/// The anchor a heading links to itself with (see `markdown`).
const HEADING_ANCHOR: &str = "<a class=\"heading-anchor\"";

/// The text of some HTML.
pub fn text_of(html: &str) -> String {
    let mut out = Text::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = if rest.starts_with('&') {
            let (decoded, after) = reference(rest);
            out.push_str(decoded.as_deref().unwrap_or("&"));
            after
        } else {
            tag(rest, &mut out)
        };
    }
    out.push_str(rest);
    out.finish()
}

/// Skips the tag at the start of `html` (with the content of a hidden element or a heading's
/// anchor) and returns what follows.
fn tag<'a>(html: &'a str, out: &mut Text) -> &'a str {
    let Some(end) = memchr::memchr(b'>', html.as_bytes()) else {
        return "";
    };
    if html.starts_with(HEADING_ANCHOR) || html.starts_with("<!--") {
        let close = if html.starts_with("<!--") {
            "-->"
        } else {
            "</a>"
        };
        return html.find(close).map_or("", |at| &html[at + close.len()..]);
    }
    let name = html[1..end].trim_start_matches('/');
    let name = &name[..name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len())];
    let lower: std::borrow::Cow<str> = match name.bytes().any(|b| b.is_ascii_uppercase()) {
        true => name.to_ascii_lowercase().into(),
        false => name.into(),
    };
    let after = &html[end + 1..];
    if is_hidden(&lower) && !html.starts_with("</") {
        let close = format!("</{name}");
        return after.find(&close).map_or("", |at| &after[at..]);
    }
    if !is_inline(&lower) {
        out.space();
    }
    after
}

/// The character a reference at the start of `html` stands for, and what follows it; `None`
/// for an `&` that starts no reference this knows.
fn reference(html: &str) -> (Option<String>, &str) {
    let Some(end) = html.bytes().take(12).position(|b| b == b';') else {
        return (None, &html[1..]);
    };
    let name = &html[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
            };
            number.and_then(char::from_u32)
        }
    };
    match decoded {
        Some(c) => (Some(c.to_string()), &html[end + 1..]),
        None => (None, &html[1..]),
    }
}

/// Text with its white space made single spaces as it is written.
struct Text {
    out: String,
    space: bool,
}

impl Text {
    fn with_capacity(n: usize) -> Text {
        Text {
            out: String::with_capacity(n),
            space: false,
        }
    }

    fn space(&mut self) {
        self.space = true;
    }

    fn push_str(&mut self, text: &str) {
        let bytes = text.as_bytes();
        // Printable ASCII but the space: copied in runs; anything else is looked at as a char.
        let plain = |b: u8| b.wrapping_sub(b'!') < b'~' - b'!' + 1;
        let mut at = 0;
        while at < bytes.len() {
            // A run of ASCII with single spaces between its words is copied as it is.
            let run = at;
            loop {
                while at < bytes.len() && plain(bytes[at]) {
                    at += 1;
                }
                let single_space = at > run
                    && bytes.get(at) == Some(&b' ')
                    && bytes.get(at + 1).is_some_and(|&b| plain(b));
                if !single_space {
                    break;
                }
                at += 2;
            }
            self.word(&text[run..at]);
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            if c.is_whitespace() {
                self.space = true;
            } else {
                self.word(&text[at..at + c.len_utf8()]);
            }
            at += c.len_utf8();
        }
    }

    /// Writes a run of text without white space, after a space if one is due.
    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push_str(word);
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_the_text_a_reader_reads() {
        let html = "<h2 id=\"a\"><span class=\"heading-number\">2.1</span> Why <em>it</em> \
                    matters <a class=\"heading-anchor\" href=\"#a\"><span aria-hidden=\"true\">#\
                    </span><span class=\"visually-hidden\">Link to this section: Why</span></a></h2>\n\
                    <p>Fish &amp; chips&nbsp;&#8212;&#x2014; <strong>un</strong>usual &bogus; &amp</p>\
                    <table><tr><th>Event</th><th>Format</th></tr></table><!-- a <p>comment</p> -->\
                    <script>var x = '<p>';</script><p>End</p>";
        assert_eq!(
            text_of(html),
            "2.1 Why it matters Fish & chips —— unusual &bogus; &amp Event Format End"
        );
        assert_eq!(text_of("  a\n\n b  "), "a b");
        assert_eq!(
            text_of("one two\tthree  four\u{a0}five’s  ’six"),
            "one two three four five’s ’six"
        );
        assert_eq!(text_of("<p>unclosed <a href="), "unclosed");
    }

    #[test]
    fn every_run_of_white_space_becomes_one_space() {
        let alphabet = [
            "a",
            "Z",
            "9",
            ".",
            " ",
            "  ",
            "\n",
            "\t",
            "\r",
            "\u{b}",
            "\u{1}",
            "\u{a0}",
            "\u{2003}",
            "\u{200b}",
            "\u{202f}",
            "\u{3000}",
            "\u{e9}",
            "\u{2014}",
            "\u{5d0}",
            "\u{1f600}",
        ];
        let mut seed = 0x2545_f491_u32;
        for _ in 0..2000 {
            let text: String = (0..24)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    alphabet[seed as usize % alphabet.len()]
                })
                .collect();
            let expected: Vec<&str> = text
                .split(char::is_whitespace)
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(text_of(&text), expected.join(" "), "{text:?}");
        }
    }
}
