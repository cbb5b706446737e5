//! Problems found in a run, with enough context for a non-programmer to fix them.
//!
//! Every stage returns its findings as [`Diagnostic`] values instead of stopping at the
//! first one; only the binary decides how to print them and which exit code to use.

use std::fmt::{self, Write as _};
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
            writeln!(f, "{label}: {}", self.message)?;
        } else {
            writeln!(f, "{label}: {}: {}", self.location(), self.message)?;
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {}", src.replace('\t', " "))?;
            if self.col > 0 {
                let mut marker = String::new();
                let _ = write!(marker, "{}^", " ".repeat(self.col.saturating_sub(1)));
                writeln!(f, "{pad} | {marker}")?;
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
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
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
