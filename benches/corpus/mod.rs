//! A deterministic synthetic site for benchmarking `pamphlet build`.
//!
//! For `pages` content pages it writes `site.yaml` and a `content/` tree in pamphlet's
//! schema, with the same mix as the shared Python generator's `--flavor pamphlet`:
//!
//! | share | folder           | files              | section kind |
//! |-------|------------------|--------------------|--------------|
//! | 60 %  | `content/blog`   | `post-NNNNN.md`    | `post`       |
//! | 25 %  | `content/events` | `event-NNNNN.md`   | `event`      |
//! | 10 %  | `content/videos` | `video-NNNNN.md`   | `video`      |
//! |  5 %  | `content/policy` | `chapter-NNNNN.md` | `chapter`    |
//!
//! Posts have Markdown bodies of 300–1500 words: `##`/`###` headings, paragraphs with
//! emphasis, strong text, inline code and links (half of them internal `/blog/post-NNNNN/`
//! links), one bullet or numbered list, one blockquote, and a fenced code block in about one
//! post in ten. Events carry `start`/`end`/`format` (and a `venue` unless online), videos
//! `provider: youtube` with an 11-character `id`, chapters a `number` and a longer body
//! (1500–4000 words). Every page has a title, a date, a one-sentence summary and one to four
//! tags drawn with zipf-like popularity from a vocabulary of 40.
//!
//! Randomness comes from a hand-written SplitMix64, so the same `(pages, seed)` always gives
//! byte-identical files and no dependency is needed. The words differ from the Python
//! generator's; the shape (counts, sizes, Markdown features, front matter) is the same.
//!
//! Shared by `benches/build.rs` and `examples/gen_corpus.rs` (the latter through `#[path]`).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The default seed (the Python generator's default too).
pub const DEFAULT_SEED: u64 = 42;

/// The smallest corpus with at least one page of every kind.
pub const MIN_PAGES: usize = 20;

// ---------------------------------------------------------------------------------------------
// Randomness

/// SplitMix64 (Steele, Lea and Flood, 2014): one add and two multiply-xorshifts per number.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x7061_6d70_686c_6574) // "pamphlet"
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is negligible for these small ranges).
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/// Body words: a public-health campaign register padded with neutral filler.
#[rustfmt::skip]
const VOCAB: &[&str] = &[
    "the", "a", "of", "and", "to", "in", "for", "with", "on", "by", "from", "about", "our",
    "their", "every", "local", "national", "regional", "shared", "early", "practical", "simple",
    "clear", "open", "careful", "steady", "public", "mental", "physical", "social", "young",
    "older", "working", "caring", "better", "healthier", "stronger", "quiet", "busy", "new",
    "health", "wellbeing", "prevention", "support", "service", "services", "community",
    "communities", "council", "partner", "partners", "plan", "plans", "action", "actions",
    "evidence", "outcome", "outcomes", "priority", "priorities", "strategy", "practice",
    "programme", "network", "people", "family", "families", "school", "schools", "workplace",
    "employer", "volunteer", "volunteers", "neighbourhood", "housing", "transport", "park",
    "library", "clinic", "surgery", "pharmacy", "hospital", "charity", "forum", "workshop",
    "meeting", "report", "survey", "budget", "data", "measure", "measures", "target", "goal",
    "risk", "resilience", "loneliness", "stress", "sleep", "exercise", "nutrition", "walking",
    "cycling", "garden", "market", "river", "bridge", "harbour", "festival", "museum",
    "archive", "campaign", "leaflet", "newsletter", "webinar", "recording", "consultation",
    "feedback", "review", "pilot", "project", "funding", "grant", "training", "guidance",
    "toolkit", "framework", "commitment", "agreement", "statement", "principle", "chapter",
    "week", "month", "season", "year", "morning", "evening", "together", "often", "rarely",
    "already", "still", "soon", "later", "now", "here", "there", "across", "between", "within",
    "beyond", "around", "builds", "helps", "shapes", "reaches", "listens", "learns", "shares",
    "connects", "improves", "protects", "reduces", "supports", "invites", "explains",
    "describes", "measures", "welcomes", "gathers", "plans", "starts", "continues", "changes",
];

/// Forty tags; earlier ones are more popular (see [`TagPicker`]).
#[rustfmt::skip]
const TAG_VOCAB: &[&str] = &[
    "news", "prevention", "mental-health", "events", "community", "workplaces", "schools",
    "young-people", "older-people", "housing", "loneliness", "physical-activity", "nutrition",
    "sleep", "data", "evaluation", "funding", "partnerships", "local-government", "nhs",
    "primary-care", "pharmacy", "volunteering", "carers", "parents", "digital", "accessibility",
    "equality", "rural", "urban", "transport", "green-spaces", "culture", "arts", "sport",
    "research", "training", "policy", "consultation", "webinars",
];

const VENUES: &[&str] = &[
    "Civic Centre, Committee Room 2",
    "Central Library Lecture Theatre",
    "Riverside Community Hub",
    "St Anne's Church Hall",
    "The Old Corn Exchange",
    "Online (video conference)",
    "Northgate Health Centre, Seminar Room",
    "Harbourside Arts Centre",
    "County Hall, Council Chamber",
    "Eastfield Sports Pavilion",
];

const STREETS: &[&str] = &[
    "High Street",
    "Station Road",
    "Market Place",
    "Church Lane",
    "Victoria Road",
    "Mill Street",
    "Queen's Avenue",
    "Park Terrace",
];

/// `(language, body)` for the fenced code blocks.
const SNIPPETS: &[(&str, &str)] = &[
    (
        "rust",
        "fn reading_minutes(words: usize) -> usize {\n    (words + 199) / 200\n}\n\nfn main() {\n    for w in [150, 900, 2400] {\n        println!(\"{w} words: {} min\", reading_minutes(w));\n    }\n}",
    ),
    (
        "python",
        "from collections import Counter\n\nattendance = [\"leeds\", \"york\", \"leeds\", \"hull\"]\nfor town, n in Counter(attendance).most_common():\n    print(f\"{town}: {n}\")",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfind content -name '*.md' -print0 \\\n  | xargs -0 grep -l '^kind: event' \\\n  | sort",
    ),
    (
        "yaml",
        "title: Spring workshop\nstart: 2025-04-02T10:00\nend: 2025-04-02T15:30\nformat: in-person\nvenue:\n  name: Civic Centre\n  postcode: AB1 2CD",
    ),
    (
        "javascript",
        "const rows = document.querySelectorAll('table tr');\nconst total = [...rows]\n  .map((r) => Number(r.dataset.count || 0))\n  .reduce((a, b) => a + b, 0);\nconsole.log(`total: ${total}`);",
    ),
];

/// How many tags a page gets, as a bag to draw from (mostly two).
const TAG_COUNTS: &[usize] = &[1, 1, 2, 2, 2, 3, 3, 4];

/// Draws tags with weight `1 / rank^0.8`.
struct TagPicker {
    cumulative: Vec<f64>,
}

impl TagPicker {
    fn new() -> Self {
        let mut total = 0.0;
        let cumulative = (0..TAG_VOCAB.len())
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(0.8);
                total
            })
            .collect();
        TagPicker { cumulative }
    }

    fn one(&self, rng: &mut Rng) -> &'static str {
        let x = rng.unit() * self.cumulative[self.cumulative.len() - 1];
        let i = self.cumulative.partition_point(|&c| c <= x);
        TAG_VOCAB[i.min(TAG_VOCAB.len() - 1)]
    }

    fn pick(&self, rng: &mut Rng) -> Vec<&'static str> {
        let k = rng.pick(TAG_COUNTS);
        let mut tags = Vec::with_capacity(k);
        while tags.len() < k {
            let t = self.one(rng);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }
}

// ---------------------------------------------------------------------------------------------
// Dates

/// `YYYY-MM-DDTHH:MM:SSZ` for a count of seconds since 1970-01-01T00:00:00Z.
fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Proleptic Gregorian date of a day number (days since 1970-01-01), after Howard Hinnant.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// 2015-01-01T00:00:00Z: page dates fall in the ten years after it.
const PAGE_EPOCH: i64 = 1_420_070_400;
/// 2024-01-01T00:00:00Z: event starts fall in the three years after it.
const EVENT_EPOCH: i64 = 1_704_067_200;

// ---------------------------------------------------------------------------------------------
// Text

/// Writes Markdown into a buffer; every block method returns the words it wrote.
struct Text<'r> {
    rng: &'r mut Rng,
    /// Number of blog posts, for internal links (`/blog/post-NNNNN/`).
    posts: usize,
}

fn push_capitalised(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

impl Text<'_> {
    fn word(&mut self) -> &'static str {
        self.rng.pick(VOCAB)
    }

    /// Title Case words, `lo..=hi` of them.
    fn title(&mut self, lo: usize, hi: usize) -> String {
        let mut s = String::new();
        for i in 0..self.rng.between(lo, hi) {
            if i > 0 {
                s.push(' ');
            }
            let w = self.word();
            push_capitalised(&mut s, w);
        }
        s
    }

    /// A sentence with no Markdown in it (for summaries).
    fn plain_sentence(&mut self, lo: usize, hi: usize) -> String {
        let mut s = String::new();
        for i in 0..self.rng.between(lo, hi) {
            let w = self.word();
            if i == 0 {
                push_capitalised(&mut s, w);
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }

    fn link_target(&mut self) -> String {
        if self.posts > 0 && self.rng.chance(0.5) {
            format!("/blog/post-{:05}/", self.rng.below(self.posts))
        } else {
            format!("https://example.net/{}/{}", self.word(), self.word())
        }
    }

    /// One sentence of 6–18 words with at most one inline decoration: emphasis, strong
    /// text, a two-word link or inline code.
    fn sentence(&mut self, out: &mut String) -> usize {
        let n = self.rng.between(6, 18);
        let words: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let roll = self.rng.unit();
        // Never the first word (it is capitalised) nor the last (a link needs two words).
        let at = self.rng.between(1, n - 2);
        push_capitalised(out, words[0]);
        let mut i = 1;
        while i < n {
            let w = words[i];
            out.push(' ');
            if i != at {
                out.push_str(w);
            } else if roll < 0.12 {
                let _ = write!(out, "*{w}*");
            } else if roll < 0.20 {
                let _ = write!(out, "**{w}**");
            } else if roll < 0.32 {
                let target = self.link_target();
                let _ = write!(out, "[{w} {}]({target})", words[i + 1]);
                i += 1;
            } else if roll < 0.36 {
                let _ = write!(out, "`{w}`");
            } else {
                out.push_str(w);
            }
            i += 1;
        }
        out.push(self.rng.pick(&['.', '.', '.', '.', '.', '?', '!']));
        n
    }

    fn paragraph(&mut self, out: &mut String, lo: usize, hi: usize) -> usize {
        let mut words = 0;
        for i in 0..self.rng.between(lo, hi) {
            if i > 0 {
                out.push(' ');
            }
            words += self.sentence(out);
        }
        out.push_str("\n\n");
        words
    }

    fn list(&mut self, out: &mut String, ordered: bool) -> usize {
        let mut words = 0;
        for i in 1..=self.rng.between(3, 7) {
            if ordered {
                let _ = write!(out, "{i}. ");
            } else {
                out.push_str("- ");
            }
            words += self.sentence(out);
            out.push('\n');
        }
        out.push('\n');
        words
    }

    fn blockquote(&mut self, out: &mut String) -> usize {
        out.push_str("> ");
        self.paragraph(out, 1, 3)
    }

    fn code_block(&mut self, out: &mut String) -> usize {
        let (lang, code) = self.rng.pick(SNIPPETS);
        let _ = write!(out, "```{lang}\n{code}\n```\n\n");
        code.split_whitespace().count()
    }

    fn heading(&mut self, out: &mut String, level: usize, lo: usize, hi: usize) {
        for _ in 0..level {
            out.push('#');
        }
        out.push(' ');
        let t = self.title(lo, hi);
        out.push_str(&t);
        out.push_str("\n\n");
    }

    /// A blog post of about `target` words.
    fn post(&mut self, out: &mut String, target: usize, with_code: bool) {
        let mut words = self.paragraph(out, 3, 7);
        let sections = (target / 250).max(1);
        let list_at = self.rng.below(sections);
        let quote_at = self.rng.below(sections);
        let code_at = if with_code {
            Some(self.rng.below(sections))
        } else {
            None
        };
        let (mut listed, mut quoted, mut coded) = (false, false, !with_code);
        let mut section = 0;
        while words < target {
            self.heading(out, 2, 2, 5);
            for _ in 0..self.rng.between(1, 3) {
                words += self.paragraph(out, 3, 7);
            }
            if self.rng.chance(0.25) {
                self.heading(out, 3, 2, 4);
                words += self.paragraph(out, 2, 5);
            }
            if section == list_at {
                let ordered = self.rng.chance(0.3);
                words += self.list(out, ordered);
                listed = true;
            }
            if section == quote_at {
                words += self.blockquote(out);
                quoted = true;
            }
            if Some(section) == code_at {
                words += self.code_block(out);
                coded = true;
            }
            section += 1;
        }
        // The target can be reached before the chosen section: add what is still missing.
        if !listed {
            self.list(out, false);
        }
        if !quoted {
            self.blockquote(out);
        }
        if !coded {
            self.code_block(out);
        }
    }

    fn event(&mut self, out: &mut String, venue: &str, online: bool) {
        self.paragraph(out, 2, 5);
        out.push_str("## Programme\n\n");
        self.list(out, true);
        if online {
            out.push_str("## How to join\n\n");
            out.push_str("The session runs on a video call; the link is sent after you register. ");
        } else {
            out.push_str("## Getting there\n\n");
            let _ = write!(out, "We meet at **{venue}**. ");
        }
        self.paragraph(out, 1, 3);
        if self.rng.chance(0.5) {
            self.blockquote(out);
        }
    }

    fn video(&mut self, out: &mut String, id: &str) {
        self.paragraph(out, 1, 4);
        let _ = write!(
            out,
            "[Watch the recording on YouTube](https://www.youtube.com/watch?v={id})\n\n"
        );
        out.push_str("## Transcript (excerpt)\n\n");
        for _ in 0..self.rng.between(1, 3) {
            self.paragraph(out, 3, 7);
        }
    }

    /// A chapter of the long policy document, of about `target` words.
    fn chapter(&mut self, out: &mut String, target: usize) {
        let mut words = self.paragraph(out, 3, 7);
        while words < target {
            self.heading(out, 2, 2, 6);
            for _ in 0..self.rng.between(2, 4) {
                words += self.paragraph(out, 4, 8);
            }
            if self.rng.chance(0.3) {
                self.heading(out, 3, 2, 5);
                words += self.paragraph(out, 3, 6);
            }
            if self.rng.chance(0.5) {
                words += self.list(out, true);
            }
            if self.rng.chance(0.2) {
                words += self.blockquote(out);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Files

/// A string as a YAML double-quoted scalar (JSON string syntax, which YAML accepts).
fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn youtube_id(rng: &mut Rng) -> String {
    (0..11).map(|_| rng.pick(BASE64URL) as char).collect()
}

fn postcode(rng: &mut Rng) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let l = |rng: &mut Rng| rng.pick(LETTERS) as char;
    format!(
        "{}{}{} {}{}{}",
        l(rng),
        l(rng),
        rng.between(1, 29),
        rng.below(10),
        l(rng),
        l(rng)
    )
}

/// The four sections: `(folder, file prefix, kind, title, share in percent)`.
const SECTIONS: &[(&str, &str, &str, &str, usize)] = &[
    ("blog", "post", "post", "Blog", 60),
    ("events", "event", "event", "Events", 25),
    ("videos", "video", "video", "Videos", 10),
    ("policy", "chapter", "chapter", "Policy", 5),
];

/// Pages per section for `pages` in all: shares rounded, the last takes the remainder.
fn split(pages: usize) -> [usize; 4] {
    let mut counts = [0; 4];
    let mut used = 0;
    for (i, s) in SECTIONS[..3].iter().enumerate() {
        counts[i] = (pages * s.4 + 50) / 100;
        used += counts[i];
    }
    counts[3] = pages.saturating_sub(used);
    counts
}

/// What [`generate`] wrote.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub pages: usize,
    pub seed: u64,
    /// Pages per section: blog, events, videos, policy.
    pub counts: [usize; 4],
    pub distinct_tags: usize,
    /// Whitespace-separated words in all page bodies.
    pub body_words: usize,
    /// Bytes in all Markdown files.
    pub bytes: u64,
}

impl Manifest {
    /// The manifest as one JSON object (written to `corpus-manifest.json`).
    pub fn to_json(&self) -> String {
        format!(
            "{{\"generator\": \"pamphlet benches/corpus\", \"pages\": {}, \"seed\": {}, \
             \"counts\": {{\"blog\": {}, \"events\": {}, \"videos\": {}, \"policy\": {}}}, \
             \"distinct_tags\": {}, \"body_words\": {}, \"bytes\": {}}}",
            self.pages,
            self.seed,
            self.counts[0],
            self.counts[1],
            self.counts[2],
            self.counts[3],
            self.distinct_tags,
            self.body_words,
            self.bytes
        )
    }
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

/// Writes a site of `pages` content pages into `dir` (created if missing; existing files
/// with the same names are overwritten, others left alone).
pub fn generate(dir: &Path, pages: usize, seed: u64) -> io::Result<Manifest> {
    if pages < MIN_PAGES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("a corpus needs at least {MIN_PAGES} pages"),
        ));
    }
    let counts = split(pages);
    let mut rng = Rng::new(seed);
    let tags = TagPicker::new();
    let content = dir.join("content");
    let mut used_tags = std::collections::BTreeSet::new();
    let mut body_words = 0;
    let mut bytes = 0u64;

    write_file(
        &dir.join("site.yaml"),
        "title: Bench Site\nbase_url: https://example.org\nlanguage: en-GB\ntimezone: Europe/London\n",
    )?;
    write_file(
        &content.join("_index.md"),
        "---\ntitle: \"Bench Site\"\n---\n",
    )?;
    for &(folder, _, kind, title, _) in SECTIONS {
        write_file(
            &content.join(folder).join("_index.md"),
            &format!("---\ntitle: {}\nkind: {kind}\n---\n", quoted(title)),
        )?;
    }

    let mut file = String::with_capacity(64 * 1024);
    let mut body = String::with_capacity(64 * 1024);
    for (s, &(folder, prefix, kind, _, _)) in SECTIONS.iter().enumerate() {
        let folder = content.join(folder);
        fs::create_dir_all(&folder)?;
        for i in 0..counts[s] {
            file.clear();
            body.clear();
            let date = PAGE_EPOCH + 60 * rng.below(10 * 365 * 24 * 60) as i64;
            let page_tags = tags.pick(&mut rng);
            used_tags.extend(page_tags.iter().copied());
            let mut tx = Text {
                rng: &mut rng,
                posts: counts[0],
            };
            let summary = tx.plain_sentence(8, 20);
            let title;
            let mut extra = String::new();
            match kind {
                "post" => {
                    title = tx.title(3, 7);
                    let target = tx.rng.between(300, 1500);
                    let with_code = tx.rng.chance(0.10);
                    tx.post(&mut body, target, with_code);
                }
                "event" => {
                    title = format!("Event: {}", tx.title(2, 5));
                    let start = EVENT_EPOCH + 3600 * tx.rng.below(3 * 365 * 24) as i64;
                    let end = start + 3600 * tx.rng.between(1, 8) as i64;
                    let venue = tx.rng.pick(VENUES);
                    let online = venue.starts_with("Online");
                    let _ = write!(extra, "start: {}\nend: {}\n", utc(start), utc(end));
                    if online {
                        extra.push_str("format: online\n");
                    } else {
                        let street = tx.rng.pick(STREETS);
                        let number = tx.rng.between(1, 120);
                        let code = postcode(tx.rng);
                        let _ = write!(
                            extra,
                            "format: in-person\nvenue:\n  name: {}\n  address: {}\n  postcode: {}\n",
                            quoted(venue),
                            quoted(&format!("{number} {street}")),
                            quoted(&code)
                        );
                    }
                    tx.event(&mut body, venue, online);
                }
                "video" => {
                    title = format!("Video: {}", tx.title(2, 6));
                    let id = youtube_id(tx.rng);
                    let _ = write!(extra, "provider: youtube\nid: {}\n", quoted(&id));
                    tx.video(&mut body, &id);
                }
                _ => {
                    let number = i + 1;
                    title = format!("Chapter {number}: {}", tx.title(2, 5));
                    let _ = writeln!(extra, "number: {number}");
                    let target = tx.rng.between(1500, 4000);
                    tx.chapter(&mut body, target);
                }
            }
            // Blocks end in a blank line; keep exactly one newline at the end of the file.
            while body.ends_with('\n') {
                body.pop();
            }
            body_words += body.split_whitespace().count();

            file.push_str("---\n");
            let _ = writeln!(file, "title: {}", quoted(&title));
            let _ = writeln!(file, "date: {}", utc(date));
            let _ = writeln!(file, "summary: {}", quoted(&summary));
            file.push_str("tags: [");
            for (k, t) in page_tags.iter().enumerate() {
                if k > 0 {
                    file.push_str(", ");
                }
                file.push_str(&quoted(t));
            }
            file.push_str("]\n");
            file.push_str(&extra);
            file.push_str("---\n\n");
            file.push_str(&body);
            file.push('\n');

            bytes += file.len() as u64;
            fs::write(folder.join(format!("{prefix}-{i:05}.md")), &file)?;
        }
    }

    let manifest = Manifest {
        pages,
        seed,
        counts,
        distinct_tags: used_tags.len(),
        body_words,
        bytes,
    };
    write_file(
        &dir.join("corpus-manifest.json"),
        &format!("{}\n", manifest.to_json()),
    )?;
    Ok(manifest)
}
