//! Doc comments from spec descriptions. Descriptions are Markdown written for a web page; rustdoc
//! is stricter: indented lines become doctests, bare URLs and `[brackets]` are lint warnings, and
//! `<Tags>` are taken for HTML. Each is made safe here, and nowhere else.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `text` (one per line); nothing when there is no text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = sanitize(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
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
        } else {
            // Indentation of four or more would start a code block (and a doctest).
            out.push(escape_inline(trimmed));
        }
    }
    if in_fence {
        out.push("```".into());
    }
    out
}

/// Escapes one line of Markdown prose outside code spans: bare URLs get `<...>`, brackets that are
/// not links get backslashes, `<` that is not an autolink becomes `&lt;`.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
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
                // A Markdown link `[text](url)` stays; any other bracket is escaped.
                let closing = chars[i..].iter().position(|&ch| ch == ']').map(|p| p + i);
                let is_link = closing.is_some_and(|end| chars.get(end + 1) == Some(&'('));
                out.push_str(if is_link { "[" } else { "\\[" });
            }
            ']' => {
                let is_link = chars.get(i + 1) == Some(&'(');
                out.push_str(if is_link { "]" } else { "\\]" });
            }
            '<' => {
                out.push_str("&lt;");
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
