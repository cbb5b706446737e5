//! The Markdown stage: CommonMark with extensions to HTML, with heading anchors and a table
//! of contents, `@/` links resolved to URLs, highlighted code and sanitised raw HTML.

pub mod accessibility;
mod code_lines;
mod images;
mod sanitize;
pub mod shortcodes;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use crate::config::{Checks, MarkdownConfig};
use crate::content::Unpublished;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::html;
use crate::images::ImageSizes;
use crate::links::ContentLink;
use accessibility::{Finding, Headings};
use images::Loading;

/// What the renderer needs to know about the page and the site.
pub struct Input<'a> {
    /// The file, for diagnostics.
    pub file: &'a Path,
    /// The whole file text, for line numbers and snippets.
    pub text: &'a str,
    /// Where the Markdown body starts in `text`.
    pub body_start: usize,
    /// Rendering options from site.yaml.
    pub options: &'a MarkdownConfig,
    /// The level of each check of what authors write, from site.yaml.
    pub checks: &'a Checks,
    /// URL of every page and section, by content key (`blog/x.md`).
    pub urls: &'a HashMap<String, String>,
    /// Pages and sections that exist but are not published, by key, and why: a link to one
    /// keeps its text, without the link.
    pub unpublished: &'a BTreeMap<String, Unpublished>,
    /// For chapters: the number that prefixes heading numbers (2 → 2.1, 2.1.1).
    pub chapter: Option<u32>,
    /// The page's URL path; relative links and images are made relative to the site root
    /// with it, so they still work where the HTML is shown elsewhere (lists, feeds).
    pub page_url: &'a str,
    /// Renders shortcode calls; `None` leaves `{{ }}` text as it is.
    pub shortcodes: Option<&'a dyn shortcodes::Shortcodes>,
    /// The `summary` of the front matter, inline Markdown that replaces the summary taken
    /// from the body.
    pub summary: Option<&'a str>,
    /// The size of every image of the site, for the `width` and `height` of `<img>`.
    pub images: Option<&'a ImageSizes>,
    /// The words of the page's language, for the accessible names the HTML carries.
    pub words: &'a crate::i18n::Language,
}

/// One heading in a table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u32,
    /// The anchor.
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    /// "2.1" in chapters, empty elsewhere.
    pub number: String,
    /// Headings nested below this one.
    pub children: Vec<TocEntry>,
}

/// An `@/` link with an anchor, checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    /// The link, with its anchor.
    pub link: ContentLink,
    /// Where the link is.
    pub line: usize,
    /// Where the link is.
    pub col: usize,
}

/// A URL written in Markdown (a link, an image, raw HTML, a shortcode's HTML) as the HTML
/// has it, and where: a link the output check finds broken is reported at its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLink {
    /// The URL, as in the HTML of the body (a site path: not yet under a base path).
    pub url: String,
    /// Where it is written.
    pub line: usize,
    /// Where it is written.
    pub col: usize,
}

/// The HTML of a page and what templates and later checks need to know about it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// The front matter's `summary`, else the text before `<!-- more -->`, else the first
    /// paragraph, as HTML.
    pub summary: Option<String>,
    /// Nested headings.
    pub toc: Vec<TocEntry>,
    /// Every id a link can point at.
    pub anchors: HashSet<String>,
    /// `@/` links with anchors, to check later.
    pub anchor_refs: Vec<AnchorRef>,
    /// Every URL written, with its line.
    pub links: Vec<WrittenLink>,
    /// Words of prose.
    pub words: usize,
    /// Whether there is a code block (the page then loads the highlighting CSS).
    pub has_code: bool,
    /// Broken links, removed HTML.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the body calls shortcodes (its HTML then depends on their templates).
    pub uses_shortcodes: bool,
    /// Whether the HTML shows images (it then depends on their sizes).
    pub has_images: bool,
    /// The print of what pages show of it, worked out on first use (see [`Rendered::print`]).
    print: OnceLock<u64>,
}

impl Rendered {
    /// What is known of a file that could not be read: why.
    pub fn failed(why: Diagnostic) -> Rendered {
        Rendered {
            diagnostics: vec![why],
            ..Rendered::default()
        }
    }

    /// A hash of what the templates show of the Markdown (its HTML, summary, headings and
    /// counts), worked out once however many files show it, for `serve` to tell what changed.
    pub fn print(&self) -> u64 {
        *self.print.get_or_init(|| {
            let toc = crate::digest::hash_of_serialized(&self.toc);
            crate::digest::hash_of(&(
                &self.html,
                &self.summary,
                toc,
                self.words,
                self.has_code,
                self.uses_shortcodes,
                self.has_images,
            ))
        })
    }
}

const MORE: &str = "<!-- more -->";

/// Renders a Markdown body, with its shortcodes, and the summary of the front matter.
pub fn render(input: &Input) -> Rendered {
    let mut rendered = render_body(input);
    if let Some(summary) = input.summary {
        let mut state = State::new(input, input.text);
        rendered.summary = Some(state.summary(summary));
        rendered.diagnostics.append(&mut state.diagnostics);
        rendered.links.append(&mut state.links);
    }
    let dress = |html: &str, loading| images::dress(html, input.page_url, input.images, loading);
    rendered.has_images = images::any(&rendered.html);
    if rendered.has_images {
        rendered.html = dress(&rendered.html, Loading::AllButFirst);
    }
    if let Some(summary) = rendered.summary.as_mut().filter(|s| images::any(s)) {
        *summary = dress(summary, Loading::All);
        rendered.has_images = true;
    }
    if let Some(summary) = rendered
        .summary
        .as_mut()
        .filter(|_| !input.page_url.is_empty())
    {
        *summary = rooted_fragments(summary, input.page_url);
    }
    rendered
}

/// A summary's links to parts of its own page (`#why`, a footnote) made to lead there from
/// the lists and feeds it is shown in.
fn rooted_fragments(html: &str, page_url: &str) -> String {
    html.replace("href=\"#", &format!("href=\"{}#", escape(page_url)))
}

/// Whether a URL is relative to the page it is on (`chart.png`, `img/a.png`).
fn is_relative(url: &str) -> bool {
    !url.is_empty()
        && !url.starts_with(['/', '#', '?'])
        && !url
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .contains(':')
}

/// Text written as inline Markdown (a front matter `summary`) as plain text, for where no
/// markup is shown: meta descriptions, feeds' summaries, calendars, structured data.
pub fn plain_inline(text: &str, options: &MarkdownConfig) -> String {
    let words: Vec<String> = Parser::new_ext(text, parser_options(options))
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
            // The end of a block parts words; the end of a link or an emphasis does not
            // ("the [videos](/v/)." is "the videos.").
            Event::End(
                TagEnd::Link
                | TagEnd::Image
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough,
            ) => None,
            Event::SoftBreak | Event::HardBreak | Event::End(_) => Some(" ".into()),
            _ => None,
        })
        .collect();
    words
        .concat()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders a Markdown body with its shortcodes.
fn render_body(input: &Input) -> Rendered {
    let body = &input.text[input.body_start..];
    let Some(sc) = input
        .shortcodes
        .filter(|_| body.contains("{{") || body.contains("{%"))
    else {
        return render_text(input, input.text);
    };
    let (replaced, calls, errors) = shortcodes::extract(body);
    let text = format!("{}{}", &input.text[..input.body_start], replaced);
    let mut rendered = render_text(input, &text);
    rendered.uses_shortcodes = true;
    let body_line = input.text[..input.body_start].matches('\n').count();
    let at = |line: usize, col: usize, message: String| {
        Diagnostic::error(input.file, line + body_line, col, message).with_source(input.text)
    };
    for e in errors {
        rendered
            .diagnostics
            .push(at(e.line, e.col, e.message).with_hint(SHORTCODE_HINT));
    }
    let mut outputs = Vec::with_capacity(calls.len());
    for call in &calls {
        let (line, col) = (call.line + body_line, call.col);
        let finding = audit_call(call);
        let checks = input.checks;
        rendered.diagnostics.extend(
            finding
                .and_then(|f| f.diagnostic(checks, input.file, line, col))
                .map(|d| d.with_source(input.text)),
        );
        let written = |url: &str| WrittenLink {
            url: url.to_string(),
            line,
            col,
        };
        let body_html = call.body.as_deref().map(|b| {
            let inner = Input {
                text: b,
                body_start: 0,
                shortcodes: None,
                chapter: None,
                page_url: "",
                ..*input
            };
            let body = render_text(&inner, b);
            let urls = body.links.iter().map(|l| written(&l.url));
            rendered.links.extend(urls);
            body.html
        });
        match sc.render(call, body_html.as_deref()) {
            Ok(html) => {
                html::for_each_start_tag(&html, |tag| {
                    rendered
                        .links
                        .extend(tag_urls(tag).map(|(_, url)| written(&url)));
                });
                outputs.push(html);
            }
            Err(refusal) => {
                let hint = refusal.hint.as_deref().unwrap_or(SHORTCODE_HINT);
                rendered
                    .diagnostics
                    .push(at(call.line, call.col, refusal.message).with_hint(hint));
                outputs.push(String::new());
            }
        }
    }
    rendered.html = shortcodes::restore(&rendered.html, &outputs);
    rendered.summary = rendered.summary.map(|s| shortcodes::restore(&s, &outputs));
    rendered
}

/// What is wrong with the accessibility of a built-in shortcode's call: a `figure` with no
/// text alternative (unless it says it is `decorative`) or with one that says nothing, a
/// `video` file without captions.
fn audit_call(call: &shortcodes::Call) -> Option<Finding> {
    let text = |key: &str| call.args.get(key).and_then(|v| v.as_str());
    match call.name.as_str() {
        "figure" if !shortcodes::is_true(call.args.get("decorative")) => {
            accessibility::image(text("src").unwrap_or_default(), text("alt"))
        }
        "video" if text("provider") == Some("file") && !call.args.contains_key("captions") => {
            Some(accessibility::captions())
        }
        _ => None,
    }
}

/// The URLs of a tag's `href`, `src`, `poster` and `srcset`, by attribute, decoded.
fn tag_urls<'t>(tag: &'t html::Tag) -> impl Iterator<Item = (&'static str, String)> + 't {
    let single = html::URL_ATTRIBUTES
        .into_iter()
        .filter_map(|name| Some((name, tag.get(name)?)))
        .map(|(name, value)| (name, html::decode(value.trim()).into_owned()));
    let set = tag.get("srcset").into_iter().flat_map(html::srcset_urls);
    single.chain(set.map(|url| ("srcset", html::decode(url).into_owned())))
}

/// The summary as lists show it, away from the page its headings' anchors belong to.
fn summary_html(events: &[Event]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    without_heading_anchors(&html)
}

const SHORTCODE_HINT: &str = "shortcodes look like {{ name(key=\"value\") }} or {% name() %}…{% end %}; built in: video, figure, callout, signup";

/// Renders `text` (the file with its body, possibly with shortcode placeholders).
fn render_text(input: &Input, text: &str) -> Rendered {
    let body = &text[input.body_start..];
    let options = parser_options(input.options);
    let mut state = State::new(input, text);
    let mut events: Vec<Event> = Vec::new();
    let mut summary_end: Option<usize> = None;
    let mut first_paragraph: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let offset = input.body_start + range.start;
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Html(ref h) | Event::InlineHtml(ref h) if h.trim() == MORE => {
                summary_end.get_or_insert(events.len());
            }
            Event::Start(Tag::Paragraph)
                if depth == 1 && first_paragraph.is_none() && state.capture.is_none() =>
            {
                first_paragraph = Some((events.len(), 0));
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph)
                if depth == 0 && first_paragraph.is_some_and(|(_, e)| e == 0) =>
            {
                events.push(Event::End(TagEnd::Paragraph));
                if let Some(fp) = first_paragraph.as_mut() {
                    fp.1 = events.len();
                }
            }
            other => state.handle(other, offset, &mut events),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    let summary_events = match (summary_end, first_paragraph) {
        (Some(end), _) => Some(&events[..end]),
        (None, Some((start, end))) if end > start => Some(&events[start..end]),
        _ => None,
    };
    let mut summary = summary_events.map(summary_html);
    if state.raw_html && !input.options.trust_html {
        html = sanitize::clean(&html);
        summary = summary.map(|s| sanitize::clean(&s));
    }
    Rendered {
        html,
        summary,
        toc: nest(state.headings),
        anchors: state.ids,
        anchor_refs: state.anchor_refs,
        links: state.links,
        words: state.words,
        has_code: state.has_code,
        diagnostics: state.diagnostics,
        uses_shortcodes: false,
        has_images: false,
        print: OnceLock::new(),
    }
}

/// The CommonMark extensions a site's Markdown is read with.
fn parser_options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// A heading or code block whose events are gathered before they are written.
enum Capture<'a> {
    Heading {
        offset: usize,
        level: HeadingLevel,
        id: Option<String>,
        classes: Vec<String>,
        events: Vec<Event<'a>>,
    },
    Code {
        lang: String,
        text: String,
    },
}

struct State<'i, 'a> {
    input: &'i Input<'i>,
    text: &'i str,
    capture: Option<Capture<'a>>,
    headings: Vec<TocEntry>,
    ids: HashSet<String>,
    /// The next suffix to try for each heading id, so many equal headings stay linear.
    suffixes: HashMap<String, usize>,
    counters: [u32; 6],
    anchor_refs: Vec<AnchorRef>,
    links: Vec<WrittenLink>,
    words: usize,
    has_code: bool,
    raw_html: bool,
    /// The lines of the HTML block being read: each one's text and where it starts.
    html_block: Vec<(String, usize)>,
    tables: usize,
    diagnostics: Vec<Diagnostic>,
    /// The last position asked for: its byte offset, line and column.
    cursor: (usize, usize, usize),
    /// The links and images being read, innermost last, gathering their text.
    open: Vec<Open>,
    headings_seen: Headings,
}

/// A fragment of raw HTML read in parts (the lines of an HTML block), each with where it
/// starts in the file.
trait Parts {
    /// The fragment's text.
    fn concat_text(&self) -> String;
    /// Where a byte of the fragment's text is in the file.
    fn source_offset(&self, offset: usize) -> usize;
}

impl Parts for [(String, usize)] {
    fn concat_text(&self) -> String {
        self.iter().map(|(text, _)| text.as_str()).collect()
    }

    fn source_offset(&self, offset: usize) -> usize {
        let mut start = 0;
        for (text, at) in self {
            if offset < start + text.len() {
                return at + offset - start;
            }
            start += text.len();
        }
        self.last().map_or(0, |(text, at)| at + text.len())
    }
}

/// A link or image being read, and the text it has so far.
enum Open {
    /// A link: which of the written links it is, where it is, the start of its text (enough
    /// to judge it), and whether raw HTML in it leaves its text unknown.
    Link {
        link: usize,
        offset: usize,
        text: String,
        opaque: bool,
    },
    /// An image: its source as written, where it is, its alt text.
    Image {
        src: String,
        offset: usize,
        alt: String,
    },
    /// An email autolink, whose text is its address.
    Email,
    /// A link to a page that is not published: left out, its text kept.
    Unpublished,
}

impl<'i, 'a> State<'i, 'a> {
    fn new(input: &'i Input<'i>, text: &'i str) -> Self {
        State {
            input,
            text,
            capture: None,
            headings: Vec::new(),
            ids: HashSet::new(),
            suffixes: HashMap::new(),
            counters: [0; 6],
            anchor_refs: Vec::new(),
            links: Vec::new(),
            words: 0,
            has_code: false,
            raw_html: false,
            html_block: Vec::new(),
            tables: 0,
            diagnostics: Vec::new(),
            cursor: (0, 1, 1),
            open: Vec::new(),
            headings_seen: Headings::default(),
        }
    }

    /// Reports a finding at a byte offset of the file, at the level site.yaml gives its rule.
    fn report(&mut self, finding: Option<Finding>, offset: usize) {
        let Some(finding) = finding else { return };
        let (line, col) = self.position(offset);
        let input = self.input;
        if let Some(d) = finding.diagnostic(input.checks, input.file, line, col) {
            self.diagnostics.push(d.with_source(input.text));
        }
    }

    /// 1-based line and column of a byte offset in the file. Offsets come mostly in order,
    /// so each call reads only the text since the last one.
    fn position(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let offset = offset.min(text.len());
        let (mut at, mut line, mut col) = self.cursor;
        if offset < at {
            (at, line, col) = (0, 1, 1);
        }
        let between = &text.as_bytes()[at..offset];
        if let Some(last) = memchr::memrchr(b'\n', between) {
            line += memchr::memchr_iter(b'\n', between).count();
            (at, col) = (at + last + 1, 1);
        }
        col += text.get(at..offset).map_or(0, |s| s.chars().count());
        self.cursor = (offset, line, col);
        (line, col)
    }

    fn handle(&mut self, event: Event<'a>, offset: usize, out: &mut Vec<Event<'a>>) {
        match (&mut self.capture, event) {
            (Some(Capture::Code { text, .. }), Event::Text(t)) => text.push_str(&t),
            (Some(Capture::Code { .. }), Event::End(TagEnd::CodeBlock)) => {
                if let Some(Capture::Code { lang, text }) = self.capture.take() {
                    out.push(Event::Html(code_block(&lang, &text).into()));
                }
            }
            (Some(Capture::Heading { .. }), Event::End(TagEnd::Heading(_))) => {
                if let Some(Capture::Heading {
                    offset,
                    level,
                    id,
                    classes,
                    events,
                }) = self.capture.take()
                {
                    let finding = self.headings_seen.next(level as usize);
                    self.report(finding, offset);
                    self.heading(level, id, classes, events, out);
                }
            }
            (Some(Capture::Heading { .. }), event) => {
                let event = self.inline(event, offset);
                if let Some(Capture::Heading { events, .. }) = &mut self.capture {
                    events.extend(event);
                }
            }
            (_, Event::Start(Tag::CodeBlock(kind))) => {
                self.has_code = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.capture = Some(Capture::Code {
                    lang,
                    text: String::new(),
                });
            }
            (
                _,
                Event::Start(Tag::Heading {
                    level, id, classes, ..
                }),
            ) => {
                self.capture = Some(Capture::Heading {
                    offset,
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                });
            }
            (_, Event::Start(Tag::Table(alignments))) => {
                // A wide table scrolls inside a region keyboard users can focus.
                self.tables += 1;
                let number = match self.input.chapter {
                    Some(chapter) => format!("{chapter}.{}", self.tables),
                    None => self.tables.to_string(),
                };
                let label = escape(&self.input.words.say_with(
                    "table",
                    None,
                    &[("number", &number)],
                ));
                out.push(Event::Html(
                    format!(
                        "<section class=\"table-scroll\" aria-label=\"{label}\" tabindex=\"0\">\n"
                    )
                    .into(),
                ));
                out.push(Event::Start(Tag::Table(alignments)));
            }
            (_, Event::End(TagEnd::Table)) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</section>\n".into()));
            }
            (_, event) => out.extend(self.inline(event, offset)),
        }
    }

    /// A summary written as inline Markdown, as one paragraph of HTML: block markup (a list,
    /// a heading) keeps only its text. Problems are reported at the `summary:` line.
    fn summary(&mut self, summary: &'a str) -> String {
        let front = &self.text[..self.input.body_start.min(self.text.len())];
        let offset = front
            .match_indices("summary:")
            .find(|(at, _)| *at == 0 || front[..*at].ends_with('\n'))
            .map_or(0, |(at, _)| at);
        let mut events = vec![Event::Start(Tag::Paragraph)];
        for event in Parser::new_ext(summary, parser_options(self.input.options)) {
            match event {
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
                Event::Start(
                    Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Link { .. }
                    | Tag::Image { .. },
                )
                | Event::End(
                    TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
                    | TagEnd::Link
                    | TagEnd::Image,
                )
                | Event::Text(_)
                | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
                | Event::HardBreak => events.extend(self.inline(event, offset)),
                Event::End(_) => events.push(Event::SoftBreak),
                _ => {}
            }
        }
        events.push(Event::End(TagEnd::Paragraph));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        match self.raw_html && !self.input.options.trust_html {
            true => sanitize::clean(&html),
            false => html,
        }
    }

    /// Resolves links, counts words, reads raw HTML and judges the text of links and images;
    /// `None` leaves the event out (a link to a page that is not published, whose text stays).
    fn inline(&mut self, event: Event<'a>, offset: usize) -> Option<Event<'a>> {
        Some(match event {
            Event::Text(ref t) => {
                self.words += t.split_whitespace().count();
                self.note_text(t);
                event
            }
            Event::Code(ref t) => {
                self.note_text(t);
                event
            }
            Event::Start(Tag::HtmlBlock) => {
                self.raw_html = true;
                self.html_block.clear();
                event
            }
            Event::Html(ref h) => {
                self.raw_html = true;
                self.html_block.push((h.to_string(), offset));
                event
            }
            Event::End(TagEnd::HtmlBlock) => {
                let block = std::mem::take(&mut self.html_block);
                self.raw_fragment(&block);
                event
            }
            Event::InlineHtml(ref h) => {
                self.raw_html = true;
                if let Some(Open::Link { opaque, .. }) = self.open.last_mut() {
                    *opaque = true;
                }
                self.raw_fragment(&[(h.to_string(), offset)]);
                event
            }
            // An email autolink's destination is an address, written after `mailto:`.
            event @ Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {
                self.open.push(Open::Email);
                event
            }
            mut event @ Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) =
                    &mut event
                {
                    let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    let written = is_image.then(|| dest.to_string());
                    let Some(resolved) = self.destination(dest, offset) else {
                        self.open.push(Open::Unpublished);
                        return None;
                    };
                    *dest_url = resolved;
                    let (line, col) = self.position(offset);
                    self.links.push(WrittenLink {
                        url: dest_url.to_string(),
                        line,
                        col,
                    });
                    self.open.push(match written {
                        Some(src) => Open::Image {
                            src,
                            offset,
                            alt: String::new(),
                        },
                        None => Open::Link {
                            link: self.links.len() - 1,
                            offset,
                            text: String::new(),
                            opaque: false,
                        },
                    });
                }
                event
            }
            Event::End(TagEnd::Link | TagEnd::Image) => match self.open.pop() {
                Some(Open::Unpublished) => return None,
                Some(open) => {
                    self.close(open);
                    event
                }
                None => event,
            },
            other => other,
        })
    }

    /// Adds text to the link or image being read (to a link's only as much as judging it
    /// needs: text longer than vague words says something).
    fn note_text(&mut self, text: &str) {
        match self.open.last_mut() {
            Some(Open::Link { text: so_far, .. })
                if so_far.trim().len() <= accessibility::LONGEST_VAGUE =>
            {
                so_far.push_str(text);
            }
            Some(Open::Image { alt: so_far, .. }) => so_far.push_str(text),
            Some(Open::Link { .. } | Open::Email | Open::Unpublished) | None => {}
        }
    }

    /// Judges a link or image read to its end; an image's alt text is also the text of the
    /// link it is in.
    fn close(&mut self, open: Open) {
        match open {
            Open::Link {
                link,
                offset,
                text,
                opaque: false,
            } => {
                let finding = accessibility::link(&self.links[link].url, &text);
                self.report(finding, offset);
            }
            Open::Image { src, offset, alt } => {
                self.report(accessibility::image(&src, Some(&alt)), offset);
                self.note_text(&alt);
            }
            Open::Link { .. } | Open::Email | Open::Unpublished => {}
        }
    }

    /// Reads a fragment of raw HTML (an HTML block, line by line, or one inline tag), each
    /// part with where it starts in the file: the URLs it names, its images' text
    /// alternatives, and, unless raw HTML is trusted, what the sanitizer removes from it.
    fn raw_fragment(&mut self, parts: &[(String, usize)]) {
        let text = parts.concat_text();
        let at = |offset: usize| parts.source_offset(offset);
        let (mut found, mut images, mut tags) = (Vec::new(), Vec::new(), 0);
        html::for_each_start_tag(&text, |tag| {
            tags += 1;
            for (name, url) in tag_urls(tag) {
                let value = tag.attribute(name).map_or(tag.offset, |a| a.value_offset);
                found.push((url, at(value)));
            }
            if tag.is("img") {
                let alt = tag.get("alt").map(|alt| html::decode(alt).into_owned());
                let src = tag.get("src").unwrap_or_default();
                // `alt=""` is how HTML says an image only decorates.
                let finding = match &alt {
                    Some(alt) if alt.is_empty() => None,
                    _ => accessibility::image(src, alt.as_deref()),
                };
                images.push((finding, at(tag.offset)));
            }
        });
        if tags == 0 {
            return;
        }
        for (url, offset) in found {
            let (line, col) = self.position(offset);
            self.links.push(WrittenLink { url, line, col });
        }
        for (finding, offset) in images {
            self.report(finding, offset);
        }
        if self.input.options.trust_html {
            return;
        }
        let removals = sanitize::removed(&text);
        let Some(first) = removals.first() else {
            return;
        };
        let (line, col) = self.position(at(first.offset));
        let mut named: Vec<(String, usize)> = Vec::new();
        for r in &removals {
            let what = r.to_string();
            match named.iter_mut().find(|(n, _)| *n == what) {
                Some((_, count)) => *count += 1,
                None => named.push((what, 1)),
            }
        }
        let list: Vec<String> = named
            .into_iter()
            .map(|(what, n)| match n {
                1 => what,
                n => format!("{what} ({n} times)"),
            })
            .collect();
        self.diagnostics.push(
            Diagnostic::warning(
                self.input.file,
                line,
                col,
                format!("removed from raw HTML: {}", list.join(", ")),
            )
            .with_hint(sanitize::hint(&removals))
            .with_source(self.input.text),
        );
    }

    /// Resolves `@/` links and roots relative ones at the page's URL; `None` for a link to a
    /// page that is not published (with a warning) or to no page (with an error).
    fn destination(&mut self, dest: CowStr<'a>, offset: usize) -> Option<CowStr<'a>> {
        if let Some(link) = ContentLink::parse(&dest) {
            return self.resolve_link(link, offset);
        }
        if !self.input.options.trust_html && crate::links::runs_script(&dest) {
            let (line, col) = self.position(offset);
            self.diagnostics.push(
                Diagnostic::warning(
                    self.input.file,
                    line,
                    col,
                    "removed a link that would run a script (javascript: URL)".to_string(),
                )
                .with_hint("link to a page instead; set markdown.trust_html: true only for content you trust")
                .with_source(self.input.text),
            );
            return Some("#".into());
        }
        if is_relative(&dest) && !self.input.page_url.is_empty() {
            return Some(format!("{}{dest}", self.input.page_url).into());
        }
        Some(dest)
    }

    fn resolve_link(&mut self, link: ContentLink, offset: usize) -> Option<CowStr<'a>> {
        let (line, col) = self.position(offset);
        if let Some(why) = self.input.unpublished.get(&link.key) {
            self.diagnostics.push(
                Diagnostic::warning(
                    self.input.file,
                    line,
                    col,
                    format!(
                        "link to an unpublished page: {link} {} (its text is shown without the link)",
                        why.describe()
                    ),
                )
                .with_hint(why.hint())
                .with_source(self.input.text),
            );
            return None;
        }
        let Some(url) = link.resolve(self.input.urls) else {
            let key = &link.key;
            let hint = match did_you_mean(key, self.input.urls.keys().map(String::as_str)) {
                Some(best) => {
                    format!("did you mean @/{best}? Links name the source file under content/")
                }
                None => {
                    "links name the source file under content/, e.g. @/blog/2017-08-06-published.md"
                        .into()
                }
            };
            self.diagnostics.push(
                Diagnostic::error(
                    self.input.file,
                    line,
                    col,
                    format!("broken link: {link} (there is no content/{key})"),
                )
                .with_hint(hint)
                .with_source(self.input.text),
            );
            // Its text is shown without the link (the build fails: nothing is published).
            return None;
        };
        if link.anchor.is_some() {
            self.anchor_refs.push(AnchorRef { link, line, col });
        }
        Some(url.into())
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<String>,
        classes: Vec<String>,
        events: Vec<Event<'a>>,
        out: &mut Vec<Event<'a>>,
    ) {
        let n = level as usize;
        let title: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = self.unique_id(id.unwrap_or_else(|| slug::slugify(&title)));
        let number = self.number(n);
        let class_attr = if classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&classes.join(" ")))
        };
        let mut open = format!("<h{n} id=\"{}\"{class_attr}>", escape(&id));
        if !number.is_empty() {
            let _ = write!(open, "<span class=\"heading-number\">{number}</span> ");
        }
        out.push(Event::Html(open.into()));
        out.extend(events);
        out.push(Event::Html(
            format!(
                "{ANCHOR_START}{0}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">{1}</span></a></h{n}>\n",
                escape(&id),
                escape(&self.input.words.say_with("link_to_section", None, &[("title", &title)]))
            )
            .into(),
        ));
        self.headings.push(TocEntry {
            level: n as u32,
            id,
            title,
            number,
            children: Vec::new(),
        });
    }

    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        // Start after the last suffix given to this base, so repeats stay linear.
        let mut i = self.suffixes.get(&base).copied().unwrap_or(0);
        let mut id = match i {
            0 => base.clone(),
            n => format!("{base}-{n}"),
        };
        while !self.ids.insert(id.clone()) {
            i += 1;
            id = format!("{base}-{i}");
        }
        self.suffixes.insert(base, i + 1);
        id
    }

    /// The chapter-relative number of a heading: `2.1` for the first `##` of chapter 2.
    fn number(&mut self, level: usize) -> String {
        let Some(chapter) = self.input.chapter else {
            return String::new();
        };
        if level < 2 {
            return String::new();
        }
        let i = level - 2;
        self.counters[i] += 1;
        for c in &mut self.counters[i + 1..] {
            *c = 0;
        }
        let mut parts = vec![chapter.to_string()];
        parts.extend(self.counters[..=i].iter().map(|c| c.max(&1).to_string()));
        parts.join(".")
    }
}

fn code_block(lang: &str, code: &str) -> String {
    let body = if lang.is_empty() {
        None
    } else {
        crate::highlight::highlight(code, lang)
    };
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(lang))
    };
    match body {
        Some(h) => format!("<pre class=\"code\"{lang_attr}><code>{h}</code></pre>\n"),
        None => format!(
            "<pre class=\"code\"{lang_attr}><code>{}</code></pre>\n",
            escape(code)
        ),
    }
}

/// How the link a heading carries to itself begins; its `href` follows.
const ANCHOR_START: &str = " <a class=\"heading-anchor\" href=\"#";

/// The HTML of a body without the links headings carry to themselves, for where they lead
/// nowhere (a list of summaries) or are noise (a feed reader shows their hidden text).
pub fn without_heading_anchors(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ANCHOR_START) {
        out.push_str(&rest[..at]);
        let anchor = &rest[at..];
        match anchor.find("</a>") {
            Some(end) => rest = &anchor[end + "</a>".len()..],
            None => {
                out.push_str(anchor);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML of a body with every heading `by` levels lower (`<h2>` to `<h3>`, h6 at most), for
/// a body shown below a heading of its own, as a chapter is on the whole-document page.
pub fn shift_headings(html: &str, by: usize) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<h").into_iter().chain(rest.find("</h")).min() {
        let tag_len = if rest[at..].starts_with("</h") { 3 } else { 2 };
        let after = &rest[at + tag_len..];
        let level = after
            .as_bytes()
            .first()
            .copied()
            .filter(|d| (b'1'..=b'6').contains(d));
        let ends = after
            .as_bytes()
            .get(1)
            .is_some_and(|c| matches!(c, b'>' | b' '));
        out.push_str(&rest[..at + tag_len]);
        match level.filter(|_| ends) {
            Some(d) => {
                let _ = write!(out, "{}", (usize::from(d - b'0') + by).min(6));
                rest = &after[1..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// `html` with `prefix` put before every id and every link to an id of the same page, so that
/// several pages' HTML can share one page (a document's chapters on `<section>/all/`). A link
/// to a fragment every page has (`#`, `#top`) is left as it is.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    const ID: &str = " id=\"";
    const HREF: &str = " href=\"#";
    let mut out = String::with_capacity(html.len() + html.len() / 32);
    let mut rest = html;
    while let Some((at, mark)) = [ID, HREF]
        .into_iter()
        .filter_map(|mark| rest.find(mark).map(|at| (at, mark)))
        .min()
    {
        let value = &rest[at + mark.len()..];
        let fragment = &value[..value.find('"').unwrap_or(value.len())];
        out.push_str(&rest[..at + mark.len()]);
        if mark == ID || !crate::links::is_any_page_fragment(fragment) {
            out.push_str(prefix);
        }
        rest = value;
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

/// Builds the nested table of contents from the flat list of headings.
fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut root: Vec<TocEntry> = Vec::new();
    for entry in flat {
        insert(&mut root, entry);
    }
    root
}

fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => list.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_ids_keep_links_to_the_top_of_the_page() {
        let html = r##"<h2 id="a">A <a href="#a">#</a></h2><p><a href="#">x</a> <a href="#top">t</a> <a href="/b/#a">b</a></p>"##;
        assert_eq!(
            prefix_ids(html, "c2-"),
            r##"<h2 id="c2-a">A <a href="#c2-a">#</a></h2><p><a href="#">x</a> <a href="#top">t</a> <a href="/b/#a">b</a></p>"##
        );
    }

    #[test]
    fn plain_text_of_a_summary_keeps_punctuation_beside_links_and_emphasis() {
        let options = MarkdownConfig::default();
        let text = "About the [videos](/v/). And *this* one, **too**.\n\nA second.";
        assert_eq!(
            plain_inline(text, &options),
            "About the videos. And this one, too. A second."
        );
    }

    fn render_str(body: &str, chapter: Option<u32>) -> Rendered {
        let urls = HashMap::from([("b.md".to_string(), "/b/".to_string())]);
        let options = MarkdownConfig::default();
        render(&Input {
            file: Path::new("content/a.md"),
            text: body,
            body_start: 0,
            options: &options,
            checks: &Checks::default(),
            urls: &urls,
            unpublished: &BTreeMap::from([("later.md".to_string(), Unpublished::Draft)]),
            chapter,
            page_url: "/a/",
            shortcodes: None,
            summary: None,
            images: None,
            words: crate::i18n::Strings::default().default_language(),
        })
    }

    #[test]
    fn headings_get_ids_numbers_and_toc() {
        let r = render_str(
            "## Why it matters\n\n### Detail {#d}\n\n## Why it matters\n",
            Some(2),
        );
        assert!(r
            .html
            .contains("<h2 id=\"why-it-matters\"><span class=\"heading-number\">2.1</span>"));
        assert!(r
            .html
            .contains("<h3 id=\"d\"><span class=\"heading-number\">2.1.1</span>"));
        assert!(r.html.contains("id=\"why-it-matters-1\""));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "d");
    }

    #[test]
    fn internal_links_resolve_or_fail_with_position() {
        let r = render_str("See [b](@/b.md#x).\n\nAnd [c](@/c.md).\n", None);
        assert!(r.html.contains("href=\"/b/#x\""));
        assert_eq!(r.anchor_refs[0].link.anchor.as_deref(), Some("x"));
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].col), (3, 5));
    }

    #[test]
    fn a_link_to_an_unpublished_page_keeps_its_text_without_the_link() {
        let r = render_str(
            "See [the *draft*](@/later.md) and [b](@/b.md).\n\n[![a chart](c.png)](@/later.md)\n",
            None,
        );
        assert!(
            r.html
                .contains("<p>See the <em>draft</em> and <a href=\"/b/\">b</a>.</p>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<p><img src=\"/a/c.png\" alt=\"a chart\""),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
        assert_eq!(r.html.matches("</a>").count(), 1, "{}", r.html);
        let lines: Vec<(usize, usize)> = r.diagnostics.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(lines, [(1, 5), (3, 1)]);
        assert!(r.diagnostics.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn summary_is_first_paragraph_or_before_more() {
        assert_eq!(
            render_str("One.\n\nTwo.\n", None).summary.as_deref(),
            Some("<p>One.</p>\n")
        );
        let r = render_str("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n", None);
        assert_eq!(r.summary.as_deref(), Some("<p>One.</p>\n<p>Two.</p>\n"));
    }

    #[test]
    fn headings_shift_down_to_h6_at_most() {
        let html = "<h2 id=\"a\">A <a href=\"#a\">#</a></h2>\n<p>x<hr></p><h5>B</h5><h6>C</h6>";
        assert_eq!(
            shift_headings(html, 1),
            "<h3 id=\"a\">A <a href=\"#a\">#</a></h3>\n<p>x<hr></p><h6>B</h6><h6>C</h6>"
        );
    }

    #[test]
    fn anchors_come_off_headings_for_summaries_and_feeds() {
        let r = render_str("## Why\n\nText.\n\n<!-- more -->\n\nMore.\n", None);
        assert!(r.html.contains("Link to this section: Why</span></a></h2>"));
        let bare = "<h2 id=\"why\">Why</h2>\n<p>Text.</p>\n";
        assert_eq!(r.summary.as_deref(), Some(bare));
        assert!(without_heading_anchors(&r.html).starts_with(bare));
    }

    #[test]
    fn raw_html_is_sanitised_with_a_warning() {
        let r = render_str(
            "Hi <script>alert(1)</script> <a href=\"javascript:x()\" onclick=\"y()\">z</a>\n",
            None,
        );
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("javascript:"));
        assert!(!r.html.contains("onclick"));
        assert!(!r.diagnostics.is_empty());
    }
}
