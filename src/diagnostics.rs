//! Problems found in a run, with enough context for a non-programmer to fix them.
//!
//! Every stage returns its findings as [`Diagnostic`] values instead of stopping at the
//! first one; only the binary decides how to print them and which exit code to use.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce correct output.
    Error,
    /// The output was produced but something deserves attention.
    Warning,
}

/// One problem in one input file, pointing at a line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root (`content/blog/x.md`), or empty for the whole run.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
}

/// The JSON form (`--json`): the file under both `file` and `path`, with `/` separators.
impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let file = display_path(&self.path);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("file", &file)?;
        map.serialize_entry("path", &file)?;
        map.serialize_entry("line", &self.line)?;
        map.serialize_entry("col", &self.col)?;
        map.serialize_entry("message", &self.message)?;
        if let Some(hint) = &self.hint {
            map.serialize_entry("hint", hint)?;
        }
        if let Some(source) = &self.source_line {
            map.serialize_entry("source", source)?;
        }
        map.end()
    }
}

impl Diagnostic {
    /// An error in `path` at `line:col`.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A warning in `path` at `line:col`.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// An error about the run as a whole (a bad option, an unreadable directory).
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic::error(PathBuf::new(), 0, 0, message)
    }

    /// Adds a hint on how to fix the problem.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the offending line, taken from the file's text.
    #[must_use]
    pub fn with_source(mut self, text: &str) -> Self {
        if self.line > 0 {
            self.source_line = text
                .lines()
                .nth(self.line - 1)
                .map(|l| shortened(l.trim_end_matches('\r'), self.col));
        }
        self
    }

    /// The same finding as a warning: worth saying, not worth stopping the build for.
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `path:line:col` prefix, as editors and terminals can follow it.
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.col) {
            (0, _) => path,
            (line, 0) => format!("{path}:{line}"),
            (line, col) => format!("{path}:{line}:{col}"),
        }
    }
}

/// A path as shown to users: forward slashes whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.path.as_os_str().is_empty() {
            writeln!(f, "{label}: {}", terminal_safe(&self.message))?;
        } else {
            let message = terminal_safe(&self.message);
            writeln!(f, "{label}: {}: {message}", self.location())?;
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let (shown, caret) = shown_line(src, self.col);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {shown}")?;
            if self.col > 0 {
                writeln!(f, "{pad} | {}^", " ".repeat(caret))?;
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {}", terminal_safe(hint))?;
        }
        Ok(())
    }
}

/// A source line as printed under a diagnostic, and how many terminal cells precede the
/// character at 1-based column `col` (counted in characters, as every stage counts them):
/// a tab is shown as one space, a wide character (`😀`, `漢`) takes two cells, a character
/// that takes none (a zero-width space) none, and one that would garble the terminal is
/// spelled out (`<U+202E>`) and takes the cells of its spelling.
fn shown_line(line: &str, col: usize) -> (String, usize) {
    use unicode_width::UnicodeWidthStr as _;
    let mut shown = String::with_capacity(line.len());
    let mut caret = None;
    for (i, c) in line.chars().enumerate() {
        if i + 1 == col {
            caret = Some(shown.width());
        }
        match c {
            '\t' => shown.push(' '),
            c if disrupts_terminal(c) => shown.push_str(&spelled(c)),
            c => shown.push(c),
        }
    }
    let past_end = col.saturating_sub(line.chars().count() + 1);
    let caret = caret.unwrap_or_else(|| shown.width() + past_end);
    (shown, caret)
}

/// Whether printing a character as it is would move the cursor, run a terminal command
/// (ESC) or reorder the rest of the line (right-to-left overrides): control characters
/// other than tab, and the bidirectional controls.
fn disrupts_terminal(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character as `<U+202E>`.
fn spelled(c: char) -> String {
    format!("<U+{:04X}>", u32::from(c))
}

/// Text with the characters that would garble a terminal spelled out (`<U+202E>`).
fn terminal_safe(text: &str) -> Cow<'_, str> {
    match text.chars().any(disrupts_terminal) {
        true => text
            .chars()
            .map(|c| match disrupts_terminal(c) {
                true => spelled(c),
                false => c.to_string(),
            })
            .collect(),
        false => Cow::Borrowed(text),
    }
}

/// What a character that is hard to see is called, for messages about names that must be
/// retyped: spaces that are not the plain space, characters that take no room, and the
/// ones that change the direction of text.
pub fn hard_to_see(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "a no-break space",
        '\u{202F}' => "a narrow no-break space",
        '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => "a special space",
        '\u{200B}' => "a zero-width space",
        '\u{200C}' => "a zero-width non-joiner",
        '\u{200D}' => "a zero-width joiner",
        '\u{2060}' => "a word joiner",
        '\u{FEFF}' => "a byte order mark",
        '\u{00AD}' => "a soft hyphen",
        c if disrupts_terminal(c) && !c.is_control() => "a text direction mark",
        c if c.is_control() => "a control character",
        _ => return None,
    })
}

/// Text with every character that is [`hard_to_see`] spelled out (`title<U+00A0>`), for
/// naming what an author wrote when it differs from what they see.
pub fn spell_out_hidden(text: &str) -> Cow<'_, str> {
    match text.chars().any(|c| hard_to_see(c).is_some()) {
        true => text
            .chars()
            .map(|c| match hard_to_see(c) {
                Some(_) => spelled(c),
                None => c.to_string(),
            })
            .collect(),
        false => Cow::Borrowed(text),
    }
}

/// A source line as shown under a diagnostic: whole when short, else cut after the column
/// (a 100 KB line would bury the message).
fn shortened(line: &str, col: usize) -> String {
    const MAX: usize = 200;
    if line.len() <= MAX {
        return line.to_string();
    }
    let keep = (col + 60).max(MAX);
    let end = (0..=keep.min(line.len()))
        .rev()
        .find(|i| line.is_char_boundary(*i))
        .unwrap_or(0);
    match end < line.len() {
        true => format!("{}…", &line[..end]),
        false => line.to_string(),
    }
}

/// Reads a file's bytes as text, refusing what is not UTF-8 and normalising CRLF to LF.
pub fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\r') => Ok(text.replace("\r\n", "\n")),
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let line = valid.matches('\n').count() + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(
                Diagnostic::error(path, line, col, "the file is not UTF-8 text")
                    .with_hint(
                        "save the file with UTF-8 encoding (in most editors: Save As, Encoding: UTF-8)",
                    )
                    .with_source(&String::from_utf8_lossy(bytes)),
            )
        }
    }
}

/// Sorts diagnostics by file and position so that output is stable across runs, and drops
/// repeats (a template error met while rendering many pages is reported once).
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
    });
    diagnostics.dedup_by(|a, b| {
        (&a.path, a.line, a.col, &a.message) == (&b.path, b.line, b.col, &b.message)
    });
}

/// The closest of `candidates` to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_source_line_is_cut_after_the_column() {
        let line = format!("title: {}", "[".repeat(100_000));
        let d = Diagnostic::error("content/x.md", 1, 8, "title: expected text").with_source(&line);
        let shown = d.to_string();
        assert!(shown.len() < 1_000, "{} bytes", shown.len());
        assert!(shown.contains("title: [[[") && shown.contains('…'));
    }

    #[test]
    fn renders_location_snippet_and_hint() {
        let d = Diagnostic::error("content/a.md", 2, 8, "start: bad")
            .with_hint("write 2017-03-14T10:00")
            .with_source("---\nstart: 14/03/2017\n---");
        let text = d.to_string();
        assert!(text.starts_with("error: content/a.md:2:8: start: bad\n"));
        assert!(text.contains("2 | start: 14/03/2017"));
        assert!(text.contains("  |        ^"));
        assert!(text.contains("hint: write 2017-03-14T10:00"));
    }

    #[test]
    fn the_caret_is_under_its_character_after_tabs_and_wide_characters() {
        let line = "\tcaf\u{e9}: \u{1F600} x";
        let d = Diagnostic::error("content/a.md", 1, 10, "x").with_source(line);
        let text = d.to_string();
        assert!(text.contains("1 |  caf\u{e9}: \u{1F600} x\n"), "{text}");
        assert!(
            text.contains(&format!("  | {}^\n", " ".repeat(10))),
            "{text}"
        );
    }

    #[test]
    fn characters_that_garble_a_terminal_are_spelled_out() {
        let line = "title: a\u{202E}b\u{1b}[2J c";
        let d = Diagnostic::error("content/a.md", 1, 16, "title: \u{202E}b").with_source(line);
        let text = d.to_string();
        assert!(
            text.starts_with("error: content/a.md:1:16: title: <U+202E>b\n"),
            "{text}"
        );
        assert!(
            text.contains("1 | title: a<U+202E>b<U+001B>[2J c\n"),
            "{text}"
        );
        assert!(
            text.contains(&format!("  | {}^\n", " ".repeat(29))),
            "{text}"
        );
        assert!(!text.contains('\u{202E}') && !text.contains('\u{1b}'));
    }

    #[test]
    fn hidden_characters_are_spelled_out_in_names() {
        assert_eq!(spell_out_hidden("title\u{a0}"), "title<U+00A0>");
        assert_eq!(spell_out_hidden("ti\u{200b}tle"), "ti<U+200B>tle");
        assert_eq!(spell_out_hidden("caf\u{e9} \u{2014}"), "caf\u{e9} \u{2014}");
        assert_eq!(hard_to_see('\u{200b}'), Some("a zero-width space"));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
