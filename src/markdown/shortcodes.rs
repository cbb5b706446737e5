//! Shortcodes: `{{ name(key="value") }}` inline and `{% name() %}…{% end %}` with a body.
//!
//! Calls are cut out of the Markdown before it is parsed and replaced by placeholders (keeping
//! the line count, so positions stay right); the rendered HTML is put back afterwards, so the
//! sanitizer never sees the trusted output of templates. Code spans, fenced code and indented
//! code blocks are left alone.

use std::collections::BTreeMap;

use super::code_lines::CodeLines;

/// One shortcode call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The shortcode's name.
    pub name: String,
    /// Its arguments.
    pub args: BTreeMap<String, serde_json::Value>,
    /// The Markdown between `{% name() %}` and `{% end %}`.
    pub body: Option<String>,
    /// 1-based line within the Markdown body.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// A problem in a call: where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    /// 1-based line within the body.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// Why a call cannot be rendered, with its own hint when the general advice on the syntax of
/// shortcodes would not help (a bad value rather than a bad call).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// What is wrong.
    pub message: String,
    /// How to fix it, if not by writing the call differently.
    pub hint: Option<String>,
}

impl From<String> for Refusal {
    fn from(message: String) -> Self {
        Refusal {
            message,
            hint: None,
        }
    }
}

impl From<&str> for Refusal {
    fn from(message: &str) -> Self {
        Refusal::from(message.to_string())
    }
}

/// Renders a call to HTML; implemented by the render stage with the site's templates.
pub trait Shortcodes: Sync {
    /// The HTML for a call, or why it cannot be rendered.
    fn render(&self, call: &Call, body_html: Option<&str>) -> Result<String, Refusal>;
}

/// Whether an argument says yes: `true`, or the text "true" (`decorative=true`).
pub fn is_true(value: Option<&serde_json::Value>) -> bool {
    match value {
        Some(serde_json::Value::Bool(b)) => *b,
        Some(serde_json::Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The placeholder for call `n`: letters and digits only, so Markdown leaves it untouched.
pub fn placeholder(n: usize) -> String {
    format!("PAMPHLETSHORTCODE{n}X")
}

/// Cuts the calls out of `text`, returning the text with placeholders and the calls.
pub fn extract(text: &str) -> (String, Vec<Call>, Vec<CallError>) {
    let mut out = String::with_capacity(text.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut code = CodeLines::default();
    let mut at_line_start = true;
    while i < text.len() {
        if at_line_start {
            let line_end = text[i..].find('\n').map_or(text.len(), |e| i + e + 1);
            if code.is_code(&text[i..line_end]) {
                out.push_str(&text[i..line_end]);
                i = line_end;
                continue;
            }
            at_line_start = false;
        }
        let b = bytes[i];
        if b == b'\n' {
            out.push('\n');
            i += 1;
            at_line_start = true;
        } else if b == b'`' {
            let run = text[i..].bytes().take_while(|c| *c == b'`').count();
            let ticks = &text[i..i + run];
            let close = text[i + run..].find(ticks).map(|c| i + run + c + run);
            let end = close.unwrap_or(i + run);
            out.push_str(&text[i..end]);
            i = end;
        } else if text[i..].starts_with("{{") || text[i..].starts_with("{%") {
            match parse_at(text, i) {
                Some(Ok((call, end))) => {
                    let newlines = text[i..end].matches('\n').count();
                    out.push_str(&placeholder(calls.len()));
                    out.push_str(&"\n".repeat(newlines));
                    // The lines of a call are blank lines to the Markdown parser.
                    for _ in 0..newlines {
                        code.is_code("");
                    }
                    calls.push(call);
                    i = end;
                }
                Some(Err(e)) => {
                    errors.push(e);
                    out.push_str(&text[i..i + 2]);
                    i += 2;
                }
                None if find_end(&text[i..]).is_some_and(|(at, _)| at == 0) => {
                    let (line, col) = position(text, i);
                    errors.push(CallError {
                        line,
                        col,
                        message: "`{% end %}` closes no shortcode".into(),
                    });
                    out.push_str(&text[i..i + 2]);
                    i += 2;
                }
                None => {
                    out.push_str(&text[i..i + 2]);
                    i += 2;
                }
            }
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    (out, calls, errors)
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parses a call starting at `start` (`{{` or `{%`). `None` when it is not a call at all.
fn parse_at(text: &str, start: usize) -> Option<Result<(Call, usize), CallError>> {
    let block = text[start..].starts_with("{%");
    let close = if block { "%}" } else { "}}" };
    let inner_start = start + 2;
    let rest = &text[inner_start..];
    let name_len = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .count();
    let lead = rest.len() - rest.trim_start().len();
    if name_len == 0 || !rest[lead + name_len..].trim_start().starts_with('(') {
        return None;
    }
    let (line, col) = position(text, start);
    let err = |message: String| Some(Err(CallError { line, col, message }));
    let name = rest[lead..lead + name_len].to_string();
    let open_paren = inner_start + lead + name_len + rest[lead + name_len..].find('(')?;
    let (args, after_args) = match parse_args(text, open_paren + 1) {
        Ok(v) => v,
        Err(m) => return err(format!("shortcode {name}: {m}")),
    };
    let tail = &text[after_args..];
    let Some(close_at) = tail.find(close) else {
        return err(format!("shortcode {name} is not closed with `{close}`"));
    };
    if !tail[..close_at].trim().is_empty() {
        return err(format!(
            "shortcode {name}: unexpected `{}` after the arguments",
            tail[..close_at].trim()
        ));
    }
    let mut end = after_args + close_at + 2;
    let mut body = None;
    if block {
        let Some((body_end, end_len)) = find_end(&text[end..]) else {
            return err(format!("shortcode {name} has no `{{% end %}}`"));
        };
        body = Some(text[end..end + body_end].trim_matches('\n').to_string());
        end += body_end + end_len;
    }
    Some(Ok((
        Call {
            name,
            args,
            body,
            line,
            col,
        },
        end,
    )))
}

/// Finds `{% end %}` (any spacing): its offset and length.
fn find_end(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(p) = text[from..].find("{%") {
        let at = from + p;
        let rest = &text[at + 2..];
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix("end") {
            let after_trim = after.trim_start();
            if after_trim.starts_with("%}") {
                let len = 2 + (rest.len() - after_trim.len()) + 2;
                return Some((at, len));
            }
        }
        from = at + 2;
    }
    None
}

fn parse_args(
    text: &str,
    mut i: usize,
) -> Result<(BTreeMap<String, serde_json::Value>, usize), String> {
    let mut args = BTreeMap::new();
    let b = text.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && (b[i] as char).is_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        i = skip_ws(i);
        match b.get(i) {
            Some(b')') => return Ok((args, i + 1)),
            None => return Err("the argument list is not closed with `)`".into()),
            _ => {}
        }
        let key_len = text[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count();
        if key_len == 0 {
            return Err(format!(
                "expected an argument name at `{}`",
                text[i..].chars().take(10).collect::<String>()
            ));
        }
        let key = text[i..i + key_len].to_string();
        i = skip_ws(i + key_len);
        if b.get(i) != Some(&b'=') {
            return Err(format!("argument {key} needs a value: {key}=\"...\""));
        }
        i = skip_ws(i + 1);
        let (value, next) = parse_value(text, i).map_err(|m| format!("argument {key}: {m}"))?;
        args.insert(key, value);
        i = skip_ws(next);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b')') => {}
            _ => return Err("arguments are separated by commas".into()),
        }
    }
}

fn parse_value(text: &str, i: usize) -> Result<(serde_json::Value, usize), String> {
    let rest = &text[i..];
    if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut value = String::new();
        let mut chars = rest.char_indices().skip(1);
        while let Some((at, ch)) = chars.next() {
            match ch {
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        value.push(next);
                    }
                }
                c if c == quote => return Ok((serde_json::Value::String(value), i + at + 1)),
                c => value.push(c),
            }
        }
        return Err("the text is not closed with a quote".into());
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
        .collect();
    let value = match word.as_str() {
        "true" => serde_json::Value::Bool(true),
        "false" => serde_json::Value::Bool(false),
        w => match (w.parse::<i64>(), w.parse::<f64>()) {
            (Ok(n), _) => n.into(),
            (_, Ok(f)) => serde_json::Number::from_f64(f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            _ => return Err(format!("`{w}` is not a value: quote text, e.g. \"{w}\"")),
        },
    };
    Ok((value, i + word.len()))
}

/// Puts the rendered calls back in place of their placeholders.
pub fn restore(html: &str, rendered: &[String]) -> String {
    let mut out = html.to_string();
    for (n, r) in rendered.iter().enumerate() {
        let p = placeholder(n);
        let block = format!("<p>{p}</p>");
        out = if out.contains(&block) {
            out.replacen(&block, r, 1)
        } else {
            out.replacen(&p, r, 1)
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_end_is_an_error() {
        let (_, calls, errors) = extract("Text.\n\n{% end %}\n");
        assert!(calls.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].col), (3, 1));
        let (_, _, fine) = extract("{% callout() %}\nBody\n{% end %}\n");
        assert!(fine.is_empty(), "{fine:?}");
    }

    #[test]
    fn finds_inline_and_block_calls_outside_code() {
        let text = "A {{ video(provider=\"youtube\", id='abc', n=3) }} b.\n\n`{{ video() }}`\n\n```\n{{ figure() }}\n```\n\n{% callout(type=\"note\") %}\nBody *here*\n{% end %}\n";
        let (out, calls, errors) = extract(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].args["id"], "abc");
        assert_eq!(calls[0].args["n"], 3);
        assert_eq!(calls[1].body.as_deref(), Some("Body *here*"));
        assert_eq!(calls[1].line, 9);
        assert!(out.contains("`{{ video() }}`") && out.contains("{{ figure() }}"));
        assert_eq!(out.matches('\n').count(), text.matches('\n').count());
    }

    /// A character of several bytes, an invisible one, a tab or a carriage return anywhere
    /// in or around a call must not make the scanner cut a string inside a character.
    #[test]
    fn odd_characters_anywhere_in_a_call_do_not_panic() {
        let base = "a `b` {{ figure(src=\"x\", n=3) }}\n{% callout(t='y') %}\nz\n{% end %}\n";
        let odd = [
            "\u{e9}",
            "\u{2014}",
            "\u{a0}",
            "\u{200B}",
            "\u{202E}",
            "\u{1F600}",
            "\t",
            "\r",
            "\u{85}",
        ];
        let cuts = base.char_indices().map(|(i, _)| i).chain([base.len()]);
        for (at, c) in cuts.flat_map(|at| odd.map(|c| (at, c))) {
            let text = format!("{}{c}{}", &base[..at], &base[at..]);
            let (out, _, _) = extract(&text);
            assert_eq!(
                out.matches('\n').count(),
                text.matches('\n').count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reports_malformed_calls_with_position() {
        let (_, _, errors) = extract("x\n{{ figure(src=oops) }}\n");
        assert_eq!((errors[0].line, errors[0].col), (2, 1));
        let (_, calls, errors) = extract("{{ not a call }}");
        assert!(calls.is_empty() && errors.is_empty());
    }
}
