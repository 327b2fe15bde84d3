//! Doc comments from spec descriptions. Descriptions are Markdown written for a web page; rustdoc
//! is stricter: indented lines become doctests, bare URLs and `[brackets]` are lint warnings, and
//! `<Tags>` are taken for HTML. Each is made safe here, and nowhere else.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Starts the one `#[doc]` that stands for a whole doc block in the tokens (see
/// [`DocBlocks::attrs`]).
const MARKER: char = '\u{E000}';

/// The doc blocks of one part's tokens, kept beside them: the part is made with its own
/// `DocBlocks` and formatted with it, so the tokens and the docs they stand for travel together
/// (no thread-local table that must be taken on the thread that made the tokens).
///
/// The tokens carry one `#[doc]` marker per block instead of the text: a third of the generated
/// code is doc text, and turning it into string literals that `syn` parses back and
/// prettyplease prints again cost more than all else about docs. [`DocBlocks::fill_in`] puts the
/// lines where prettyplease printed the marker, as the `///` lines it would have printed.
#[derive(Debug, Default)]
pub struct DocBlocks(RefCell<Vec<Vec<String>>>);

impl DocBlocks {
    /// The doc comment for `text`, as a marker whose lines these blocks keep; nothing when there
    /// is no text.
    pub fn attrs(&self, text: Option<&str>) -> TokenStream {
        let Some(text) = text else {
            return TokenStream::new();
        };
        let lines = sanitize(text);
        if lines.is_empty() {
            return TokenStream::new();
        }
        let index = {
            let mut blocks = self.0.borrow_mut();
            blocks.push(lines);
            blocks.len() - 1
        };
        let marker = format!("{MARKER}{index}");
        quote!(#[doc = #marker])
    }

    /// `text` (prettyplease's output) with each marker line replaced by its block's lines; an
    /// error counting the blocks whose marker was not printed as a doc line (a doc comment
    /// inside a macro's tokens would be printed as tokens and stay a marker).
    pub fn fill_in(&self, text: String) -> Result<String, usize> {
        let blocks = self.0.borrow();
        if blocks.is_empty() {
            return Ok(text);
        }
        let mut out = String::with_capacity(text.len() + blocks.len() * 80);
        let mut placed = 0;
        for line in text.split_inclusive('\n') {
            match marked_block(&blocks, line) {
                Some((indent, block)) => {
                    placed += 1;
                    for doc in block {
                        out.push_str(indent);
                        out.push_str("///");
                        if !doc.is_empty() {
                            out.push(' ');
                            // As prettyplease does with a doc line.
                            out.push_str(doc.trim_end_matches(' '));
                        }
                        out.push('\n');
                    }
                }
                None => out.push_str(line),
            }
        }
        if placed == blocks.len() {
            Ok(out)
        } else {
            Err(blocks.len() - placed)
        }
    }
}

/// The indentation and block of a marker line (`    ///<marker>12`).
fn marked_block<'a, 'l>(
    blocks: &'a [Vec<String>],
    line: &'l str,
) -> Option<(&'l str, &'a [String])> {
    let code = line.trim_end_matches('\n');
    let start = code.find("///")?;
    let (indent, rest) = code.split_at(start);
    let index = rest[3..].strip_prefix(MARKER)?;
    if !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    let block = blocks.get(index.parse::<usize>().ok()?)?;
    Some((indent, block))
}

/// A parameter's bounds in words, for its doc (`None` when it has none): an open end is left
/// out rather than written as an empty half of a range.
pub fn bounds(minimum: Option<i64>, maximum: Option<i64>) -> Option<String> {
    match (minimum, maximum) {
        (None, None) => None,
        (Some(min), None) => Some(format!("at least {min}")),
        (None, Some(max)) => Some(format!("at most {max}")),
        (Some(min), Some(max)) => Some(format!("in {min}..={max}")),
    }
}

/// Joins paragraphs into one doc text, skipping empty ones.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let parts: Vec<&str> = parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// The lines of a rustdoc-safe version of `text`.
pub fn sanitize(text: &str) -> Vec<String> {
    let raw: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    let indent = raw
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut in_fence = false;
    let mut continuation = Continuation::None;
    let mut out = Vec::with_capacity(raw.len());
    for line in raw {
        let line = line.get(indent..).unwrap_or(line.trim_start());
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            // A fence without a language would be compiled as a doctest.
            out.push(if !in_fence && trimmed == "```" {
                "```text".to_string()
            } else {
                trimmed.to_string()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        // Indentation of four or more would start a code block (and a doctest), so lines are
        // written flush left; a line that continues a list item or a quote is marked as such,
        // so that Markdown (and clippy's doc lints) read it the same way the author meant.
        let escaped = escape_inline(trimmed);
        if trimmed.is_empty() {
            continuation = Continuation::None;
            out.push(String::new());
        } else if let Some(width) = list_marker_width(trimmed) {
            continuation = Continuation::List(width);
            out.push(escaped);
        } else if trimmed.starts_with('>') {
            continuation = Continuation::Quote;
            out.push(escaped);
        } else {
            out.push(match continuation {
                Continuation::List(width) => format!("{}{escaped}", " ".repeat(width)),
                Continuation::Quote => format!("> {escaped}"),
                Continuation::None => escaped,
            });
        }
    }
    if in_fence {
        out.push("```".into());
    }
    out
}

/// What a line without a marker of its own continues.
#[derive(Clone, Copy)]
enum Continuation {
    None,
    List(usize),
    Quote,
}

/// The width of a list item's marker (`- `, `* `, `1. `), or `None` for other lines.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// Escapes one line of Markdown prose outside code spans: bare URLs get `<...>`, brackets that are
/// not links get backslashes, `<` that is not an autolink becomes `&lt;`. One pass over the line
/// (descriptions run to kilobytes, and there are thousands of them).
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    // A byte index, always at a character boundary.
    let mut i = 0;
    while let Some(c) = line[i..].chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let rest = &line[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let previous = line[..i].chars().next_back().unwrap_or(' ');
            let end = rest
                .find(|ch: char| ch.is_whitespace() || ch == ')' || ch == '>' || ch == '"')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            if previous == '(' || previous == '<' {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            i += url.len();
            continue;
        }
        match c {
            '[' => {
                // A Markdown link `[text](url)` stays; any other bracket is escaped.
                let is_link = rest
                    .find(']')
                    .is_some_and(|end| rest[end + 1..].starts_with('('));
                out.push_str(if is_link { "[" } else { "\\[" });
            }
            ']' => {
                let is_link = rest[1..].starts_with('(');
                out.push_str(if is_link { "]" } else { "\\]" });
            }
            '<' => {
                out.push_str("&lt;");
            }
            _ => out.push(c),
        }
        i += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_leave_an_open_end_out() {
        assert_eq!(bounds(None, None), None);
        assert_eq!(bounds(Some(0), None).as_deref(), Some("at least 0"));
        assert_eq!(bounds(None, Some(250)).as_deref(), Some("at most 250"));
        assert_eq!(bounds(Some(-1), Some(250)).as_deref(), Some("in -1..=250"));
    }

    #[test]
    fn doc_blocks_print_as_prettyplease_prints_doc_lines() {
        let docs = DocBlocks::default();
        let tokens = docs.attrs(Some("First line.  \n\nSecond `line`."));
        let printed = prettyplease::unparse(&syn::parse_quote! {
            impl A {
                #tokens
                fn f() {}
            }
        });
        assert_eq!(
            docs.fill_in(printed).unwrap(),
            "impl A {\n    /// First line.\n    ///\n    /// Second `line`.\n    fn f() {}\n}\n"
        );
        assert_eq!(docs.attrs(None).to_string(), "");
        assert_eq!(docs.0.borrow().len(), 1);
    }

    #[test]
    fn what_is_not_a_known_marker_is_left_alone() {
        let docs = DocBlocks(vec![vec!["Doc.".to_string()]].into());
        let text = "/// plain\n///\u{E000}7\nx ///\u{E000}0\n///\u{E000}0\n";
        assert_eq!(
            docs.fill_in(text.to_string()).unwrap(),
            "/// plain\n///\u{E000}7\nx ///\u{E000}0\n/// Doc.\n"
        );
        // A block whose marker never became a doc line is an error, not a lost comment.
        let two = DocBlocks(vec![vec!["A.".to_string()], vec!["B.".to_string()]].into());
        assert_eq!(
            two.fill_in("///\u{E000}1\nm! { #[doc = \"\u{E000}0\"] }\n".into()),
            Err(1)
        );
    }

    #[test]
    fn bare_urls_are_autolinked_and_links_kept() {
        assert_eq!(
            escape_inline("see https://x.io/a."),
            "see <https://x.io/a>."
        );
        assert_eq!(
            escape_inline("[JSON Patch](https://tools.ietf.org/html/rfc6902)"),
            "[JSON Patch](https://tools.ietf.org/html/rfc6902)"
        );
    }

    #[test]
    fn brackets_and_tags_are_escaped_outside_code() {
        assert_eq!(escape_inline("a [b] c"), "a \\[b\\] c");
        assert_eq!(escape_inline("<Rule> `<Rule>`"), "&lt;Rule> `<Rule>`");
    }

    #[test]
    fn indentation_never_becomes_a_doctest() {
        assert_eq!(
            sanitize("Types:\n\n    - A\n    - B"),
            ["Types:", "", "- A", "- B"]
        );
        assert_eq!(sanitize("```\ncode\n```"), ["```text", "code", "```"]);
    }

    #[test]
    fn continuation_lines_stay_in_their_list_item_or_quote() {
        assert_eq!(
            sanitize("- first item\nwraps here\n\nNew paragraph."),
            ["- first item", "  wraps here", "", "New paragraph."]
        );
        assert_eq!(sanitize("12. item\nmore"), ["12. item", "    more"]);
        assert_eq!(sanitize("> quoted\nlazy"), ["> quoted", "> lazy"]);
    }

    /// The previous implementation, which looked at the rest of the line as a new string at every
    /// character; the one-pass version must say exactly what it said.
    fn escape_inline_per_char(line: &str) -> String {
        let mut out = String::new();
        let mut in_code = false;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '`' {
                in_code = !in_code;
                out.push(c);
                i += 1;
                continue;
            }
            if in_code {
                out.push(c);
                i += 1;
                continue;
            }
            let rest: String = chars[i..].iter().collect();
            if rest.starts_with("http://") || rest.starts_with("https://") {
                let previous = if i > 0 { chars[i - 1] } else { ' ' };
                let end = rest
                    .find(|ch: char| ch.is_whitespace() || ch == ')' || ch == '>' || ch == '"')
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                if previous == '(' || previous == '<' {
                    out.push_str(url);
                } else {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                }
                i += url.chars().count();
                continue;
            }
            match c {
                '[' => {
                    let closing = chars[i..].iter().position(|&ch| ch == ']').map(|p| p + i);
                    let is_link = closing.is_some_and(|end| chars.get(end + 1) == Some(&'('));
                    out.push_str(if is_link { "[" } else { "\\[" });
                }
                ']' => {
                    let is_link = chars.get(i + 1) == Some(&'(');
                    out.push_str(if is_link { "]" } else { "\\]" });
                }
                '<' => out.push_str("&lt;"),
                _ => out.push(c),
            }
            i += 1;
        }
        out
    }

    #[test]
    fn one_pass_escaping_says_what_the_per_character_version_said() {
        let pieces = [
            "a",
            " ",
            "é",
            "日本",
            "`",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "\"",
            ".",
            ",",
            ":",
            ";",
            "http://",
            "https://",
            "x.io/p",
            "ü.de",
            "[l](https://a.b/c)",
            "<https://q>",
        ];
        // Every sequence of up to three pieces.
        let mut lines = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|line| pieces.iter().map(move |p| format!("{line}{p}")))
                .collect();
            lines.extend(longer);
            lines.sort();
            lines.dedup();
        }
        for line in &lines {
            assert_eq!(
                escape_inline(line),
                escape_inline_per_char(line),
                "{line:?}"
            );
        }
    }
}
