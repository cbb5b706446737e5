//! Which lines of a Markdown body are code, told line by line before the body is parsed, so
//! that shortcode calls are not looked for there: fenced code, and indented code blocks as
//! CommonMark defines them (four columns past the enclosing list item's content, not
//! continuing a paragraph).
//!
//! Block quotes and HTML blocks are read as ordinary text.

/// The state of the blocks open at the end of the lines read so far.
#[derive(Debug, Default)]
pub(super) struct CodeLines {
    /// The open fence: its character and its length.
    fence: Option<(char, usize)>,
    /// Whether the previous line belonged to an indented code block.
    indented: bool,
    /// Whether the previous line was paragraph text, which an indented line continues.
    paragraph: bool,
    /// The content column of each open list item, innermost last.
    items: Vec<usize>,
}

impl CodeLines {
    /// Reads the next line (with or without its newline): whether it is code.
    pub(super) fn is_code(&mut self, line: &str) -> bool {
        let line = line.trim_end_matches(['\n', '\r']);
        if let Some(fence) = self.fence {
            if closes(line, fence) {
                self.fence = None;
            }
            return true;
        }
        let (indent, rest) = indentation(line);
        if rest.is_empty() {
            self.paragraph = false;
            return self.indented;
        }
        let lazy = self.paragraph;
        if !lazy {
            while self.items.last().is_some_and(|column| indent < *column) {
                self.items.pop();
            }
        }
        let base = self.items.last().copied().unwrap_or(0);
        self.indented = indent >= base + 4 && !lazy;
        if self.indented || lazy && indent >= base + 4 {
            return self.indented;
        }
        if let Some(fence) = opens_fence(rest) {
            self.fence = Some(fence);
            self.paragraph = false;
            return true;
        }
        if is_break(rest) {
            self.paragraph = false;
            return false;
        }
        if let Some(width) = list_marker(rest) {
            self.items.push(indent + width);
            self.paragraph = !rest[width..].trim().is_empty();
            return false;
        }
        self.paragraph = !rest.starts_with('#');
        false
    }
}

/// The line's indentation in columns (a tab reaches the next multiple of four) and the rest.
fn indentation(line: &str) -> (usize, &str) {
    let mut columns = 0;
    for (at, ch) in line.char_indices() {
        match ch {
            ' ' => columns += 1,
            '\t' => columns += 4 - columns % 4,
            _ => return (columns, &line[at..]),
        }
    }
    (columns, "")
}

/// The fence a line opens: three or more backticks or tildes.
fn opens_fence(rest: &str) -> Option<(char, usize)> {
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    let info = &rest[len..];
    (len >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, len))
}

/// Whether a line closes the fence: as long a run of its character, alone on the line.
fn closes(line: &str, (ch, len): (char, usize)) -> bool {
    let (indent, rest) = indentation(line);
    let run = rest.chars().take_while(|c| *c == ch).count();
    indent < 4 && run >= len && rest[run..].trim().is_empty()
}

/// A thematic break (`***`, `- - -`) or a setext underline (`===`, `---`): both end a paragraph.
fn is_break(rest: &str) -> bool {
    let marks: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(first) = marks.chars().next() else {
        return false;
    };
    let all_same = marks.chars().all(|c| c == first);
    all_same && (matches!(first, '*' | '-' | '_') && marks.len() >= 3 || first == '=')
}

/// The width of a list item's marker and the spaces after it (`- `, `12. `), if the line
/// starts one: the item's content begins that many columns further on.
fn list_marker(rest: &str) -> Option<usize> {
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let marker = match rest[digits..].chars().next()? {
        '-' | '*' | '+' if digits == 0 => 1,
        '.' | ')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let after = &rest[marker..];
    let spaces = after.chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 if after.is_empty() => Some(marker + 1),
        0 => None,
        1..=4 if spaces < after.len() => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which lines of `text` are code, by 1-based line number.
    fn code(text: &str) -> Vec<usize> {
        let mut lines = CodeLines::default();
        text.lines()
            .enumerate()
            .filter(|(_, l)| lines.is_code(l) && !l.trim().is_empty())
            .map(|(n, _)| n + 1)
            .collect()
    }

    #[test]
    fn an_indented_block_after_a_blank_line_is_code() {
        assert_eq!(code("Text.\n\n    {{ x() }}\n\tmore\n\nText.\n"), [3, 4]);
        assert_eq!(code("    at the start\n"), [1]);
        assert_eq!(code("# Heading\n    code\n"), [2]);
    }

    #[test]
    fn an_indented_line_continuing_a_paragraph_is_text() {
        assert_eq!(code("Text\n    {{ x() }}\n"), Vec::<usize>::new());
        assert_eq!(code("Text\n===\n    code\n"), [3]);
    }

    #[test]
    fn list_items_move_the_code_column() {
        let text = "- item\n\n    continued\n\n      code\n\nout\n\n    code\n";
        assert_eq!(code(text), [5, 9]);
        assert_eq!(code("1. item\n\n       code\n"), [3]);
        assert_eq!(code("- - -\n\n    code\n"), [3]);
    }

    #[test]
    fn fences_hold_code_until_they_close() {
        assert_eq!(code("```\na\n``` x\nb\n```\nc\n"), [1, 2, 3, 4, 5]);
        assert_eq!(code("~~~~\n~~~\n~~~~\ntext\n"), [1, 2, 3]);
        assert_eq!(code("- a\n\n  ```\n  b\n  ```\n"), [3, 4, 5]);
    }
}
