//! The accessibility of what authors write, judged where it is written: an image with no
//! text alternative, alt text that says nothing, headings that skip a level, links with no
//! text or with text that means nothing out of context, and videos without captions. Each
//! rule's level comes from `checks:` in site.yaml ([`Checks`]).

use std::path::Path;

use crate::config::{Checks, Level};
use crate::diagnostics::{Diagnostic, Severity};

/// One of the rules of `checks:`, by the name site.yaml gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// An image with no text alternative.
    ImageAlt,
    /// Alt text that is a file name or only "image".
    AltText,
    /// Headings that skip a level, or a `#` heading in a body.
    HeadingLevels,
    /// A link with no text, or with text that means nothing out of context.
    LinkText,
    /// A video file without captions.
    Captions,
}

impl Rule {
    /// The rule's name in `checks:`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::ImageAlt => "image_alt",
            Rule::AltText => "alt_text",
            Rule::HeadingLevels => "heading_levels",
            Rule::LinkText => "link_text",
            Rule::Captions => "captions",
        }
    }

    fn level(self, checks: &Checks) -> Option<Level> {
        match self {
            Rule::ImageAlt => checks.image_alt,
            Rule::AltText => checks.alt_text,
            Rule::HeadingLevels => checks.heading_levels,
            Rule::LinkText => checks.link_text,
            Rule::Captions => checks.captions,
        }
    }
}

/// A finding of one rule: what is wrong and how to fix it, and how serious it is unless
/// `checks:` says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Its severity when the rule is not set.
    pub default: Severity,
    /// What is wrong, after the rule's name.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Finding {
    fn new(rule: Rule, default: Severity, message: String, hint: impl Into<String>) -> Finding {
        Finding {
            rule,
            default,
            message,
            hint: hint.into(),
        }
    }

    /// The finding as a diagnostic at `path:line:col`, at the level `checks` gives its rule;
    /// `None` when the rule is off.
    pub fn diagnostic(
        self,
        checks: &Checks,
        path: &Path,
        line: usize,
        col: usize,
    ) -> Option<Diagnostic> {
        let severity = Level::severity(self.rule.level(checks), self.default)?;
        let message = format!("{}: {}", self.rule.name(), self.message);
        let d = Diagnostic::error(path, line, col, message).with_hint(self.hint);
        Some(match severity {
            Severity::Error => d,
            Severity::Warning => d.into_warning(),
        })
    }
}

/// What is wrong with an image's text alternative, if anything: none at all (`alt` empty or
/// not written), or one that is a file name or a word such as "image".
pub fn image(src: &str, alt: Option<&str>) -> Option<Finding> {
    let alt = alt.map(str::trim).unwrap_or_default();
    let name = src.rsplit('/').next().unwrap_or(src);
    if alt.is_empty() {
        let message = format!("the image {src} has no text alternative");
        let hint = format!(
            "describe what it shows, e.g. ![A bar chart of referrals by month]({src}); an image that only decorates says so: {{{{ figure(src=\"{src}\", decorative=true) }}}}"
        );
        return Some(Finding::new(Rule::ImageAlt, Severity::Error, message, hint));
    }
    let hint = "write what the image shows or means to the reader, e.g. \"Referrals rose by a third in 2017\"";
    if is_file_name(alt) || alt.eq_ignore_ascii_case(name) {
        let message = format!("the alt text \"{alt}\" of {src} is a file name");
        return Some(Finding::new(
            Rule::AltText,
            Severity::Warning,
            message,
            hint,
        ));
    }
    let word = alt
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_lowercase();
    if GENERIC_ALT.contains(&word.as_str()) {
        let message = format!("the alt text \"{alt}\" of {src} says only that it is an image");
        return Some(Finding::new(
            Rule::AltText,
            Severity::Warning,
            message,
            hint,
        ));
    }
    None
}

/// Alt text that only says there is an image.
const GENERIC_ALT: [&str; 8] = [
    "image",
    "picture",
    "photo",
    "photograph",
    "img",
    "graphic",
    "icon",
    "logo",
];

/// Whether text looks like a file name: one word ending in an image or document extension.
fn is_file_name(text: &str) -> bool {
    let Some((stem, extension)) = text.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && !text.contains(char::is_whitespace)
        && [
            "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "tif", "tiff", "pdf",
        ]
        .contains(&extension.to_ascii_lowercase().as_str())
}

/// What is wrong with a link's text, if anything: none at all, or words that say nothing of
/// where it leads ("click here").
pub fn link(dest: &str, text: &str) -> Option<Finding> {
    // Longer than any vague text: most links, judged without copying their text.
    if text.trim().len() > LONGEST_VAGUE {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let normal = words
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c == '→')
        .to_lowercase();
    if normal.is_empty() {
        let message = format!("the link to {dest} has no text");
        let hint = format!(
            "write what the link leads to between the brackets, e.g. [the consultation report]({dest})"
        );
        return Some(Finding::new(Rule::LinkText, Severity::Error, message, hint));
    }
    if VAGUE_LINK_TEXT.contains(&normal.as_str()) {
        let message = format!(
            "the link text \"{}\" says nothing about where it leads",
            words.join(" ")
        );
        let hint = "screen readers list links out of context: write what the link leads to, e.g. [read the consultation report](…)";
        return Some(Finding::new(
            Rule::LinkText,
            Severity::Warning,
            message,
            hint,
        ));
    }
    None
}

/// Link text that means nothing out of context.
const VAGUE_LINK_TEXT: [&str; 6] = ["click here", "here", "read more", "more", "link", "click"];
/// The length of the longest of them, with room for punctuation around it ("Read more…").
pub const LONGEST_VAGUE: usize = 16;

/// Follows a body's heading levels: the page's title is its `#`, so a body starts at `##` and
/// goes down one level at a time.
#[derive(Debug, Clone)]
pub struct Headings {
    last: usize,
}

impl Default for Headings {
    fn default() -> Self {
        Headings { last: 1 }
    }
}

impl Headings {
    /// The next heading, of `level` (1 to 6): what is wrong with it, if anything.
    pub fn next(&mut self, level: usize) -> Option<Finding> {
        let last = std::mem::replace(&mut self.last, level);
        let hashes = |n: usize| "#".repeat(n);
        if level == 1 {
            return Some(Finding::new(
                Rule::HeadingLevels,
                Severity::Warning,
                "a # heading in the body: the page's title is its only top-level heading".into(),
                "start the body's headings at ##",
            ));
        }
        (level > last + 1).then(|| {
            let after = match last {
                1 => "the page's title".to_string(),
                n => hashes(n),
            };
            Finding::new(
                Rule::HeadingLevels,
                Severity::Warning,
                format!(
                    "{} follows {after}: a heading level is skipped",
                    hashes(level)
                ),
                format!(
                    "use {} here, so that people who navigate by headings follow the outline",
                    hashes(last + 1)
                ),
            )
        })
    }
}

/// What is wrong with a video file that has no captions.
pub fn captions() -> Finding {
    Finding::new(
        Rule::Captions,
        Severity::Warning,
        "the video file has no captions".into(),
        "add captions: /media/the-video.vtt (a WebVTT file), so that people who cannot hear it can follow it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_need_a_description() {
        assert_eq!(image("chart.png", None).unwrap().rule, Rule::ImageAlt);
        assert_eq!(image("chart.png", Some(" ")).unwrap().rule, Rule::ImageAlt);
        for alt in ["chart.png", "IMG_0042.JPG", "Image", "photo.", "picture"] {
            assert_eq!(
                image("/media/chart.png", Some(alt)).unwrap().rule,
                Rule::AltText,
                "{alt}"
            );
        }
        assert_eq!(image("chart.png", Some("Referrals by month")), None);
        assert_eq!(image("chart.png", Some("An image of the team")), None);
    }

    #[test]
    fn links_need_words_that_say_where_they_lead() {
        assert_eq!(link("/a/", " ").unwrap().default, Severity::Error);
        for text in ["Click here", "here.", "Read more…", "more", "Link"] {
            assert_eq!(
                link("/a/", text).unwrap().default,
                Severity::Warning,
                "{text}"
            );
        }
        assert_eq!(link("/a/", "Read more about the concordat"), None);
    }

    #[test]
    fn headings_go_down_one_level_at_a_time() {
        let mut h = Headings::default();
        assert_eq!(h.next(2), None);
        assert_eq!(h.next(3), None);
        assert_eq!(h.next(2), None);
        assert!(h.next(4).unwrap().message.starts_with("#### follows ##"));
        assert_eq!(h.next(2), None);
        assert!(h.next(1).is_some());
        let mut h = Headings::default();
        assert!(h.next(3).unwrap().message.contains("the page's title"));
    }
}
