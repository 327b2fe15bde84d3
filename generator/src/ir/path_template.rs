//! A path template taken apart into what the client sends and the server routes. OpenAPI 3.0
//! lets a parameter be a whole segment (`/items/{id}`) or part of one, with literal text before,
//! after and between parameters (`/Accounts/{Sid}.json`, `/files/{name}.{ext}`,
//! `/v1/{a}-{b}/x`). The literal text is kept as written, except that characters a URL path
//! cannot carry are percent-encoded here, once, so the client and the server's routes agree on
//! it; parameter values are percent-encoded when the request is made.
//!
//! A template that cannot be sent as written (an unbalanced brace, an empty `{}`, a query string
//! or a `..` segment) is an error, and its operations are left out: sending such a path would
//! send something else than the spec says.

/// One segment of a path (between two `/`): literal text and parameters, in order. A literal
/// piece is never empty and never follows another literal piece.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Segment(pub Vec<Piece>);

/// A part of a segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Piece {
    /// Literal text, as it goes on the wire: valid URL path characters and `%XX` escapes.
    Literal(String),
    /// A parameter, by its name in the template.
    Param(String),
}

impl Segment {
    /// The parameter's name when the segment is exactly one parameter (`{id}`).
    pub fn whole_param(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Piece::Param(name)] => Some(name),
            _ => None,
        }
    }

    /// The segment's text when it has no parameter.
    pub fn literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [] => Some(""),
            [Piece::Literal(text)] => Some(text),
            _ => None,
        }
    }

    /// Whether the segment has parameters with nothing between them (`{year}{month}`): a value
    /// can be sent, but no reader can tell where one ends and the next begins.
    pub fn has_adjacent_params(&self) -> bool {
        self.0
            .windows(2)
            .any(|w| matches!(w, [Piece::Param(_), Piece::Param(_)]))
    }
}

/// Takes `path` apart into segments, or says why it cannot be sent as written. A path that does
/// not begin with `/` is read as if it did (the shape check reports that already).
pub fn parse(path: &str) -> Result<Vec<Segment>, String> {
    if let Some(at) = path.find(['?', '#']) {
        let what = if path.as_bytes()[at] == b'?' {
            "a query string"
        } else {
            "a fragment"
        };
        return Err(format!(
            "the path `{path}` cannot be sent as written: it has {what} (`{}`), and a path template is a path only (query parameters are declared with `in: query`)",
            &path[at..]
        ));
    }
    let body = path.strip_prefix('/').unwrap_or(path);
    let mut segments = Vec::new();
    for text in body.split('/') {
        let segment = parse_segment(text)
            .map_err(|why| format!("the path `{path}` cannot be sent as written: {why}"))?;
        let dots = segment.literal().map(str::to_ascii_lowercase);
        if matches!(
            dots.as_deref(),
            Some("." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e.")
        ) {
            return Err(format!(
                "the path `{path}` cannot be sent as written: every URL resolves its `{text}` segment away"
            ));
        }
        segments.push(segment);
    }
    Ok(segments)
}

fn parse_segment(text: &str) -> Result<Segment, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                pieces.push(Piece::Literal(encode_literal(rest)));
                break;
            }
            Some(at) if rest.as_bytes()[at] == b'}' => {
                return Err(format!(
                    "the `}}` in `{text}` closes no `{{` (a brace cannot be literal text of a path template)"
                ));
            }
            Some(at) => {
                if at > 0 {
                    pieces.push(Piece::Literal(encode_literal(&rest[..at])));
                }
                let inside = &rest[at + 1..];
                let Some(close) = inside.find(['{', '}']) else {
                    return Err(format!(
                        "the `{{` in `{text}` is never closed within its segment"
                    ));
                };
                if inside.as_bytes()[close] == b'{' {
                    return Err(format!(
                        "a `{{` in `{text}` is inside another `{{...}}` (parameters cannot nest)"
                    ));
                }
                let name = &inside[..close];
                if name.is_empty() {
                    return Err(format!("the `{{}}` in `{text}` names no parameter"));
                }
                pieces.push(Piece::Param(name.to_string()));
                rest = &inside[close + 1..];
            }
        }
    }
    Ok(Segment(pieces))
}

/// Literal text as it goes on the wire: what a path segment may carry as it is (RFC 3986
/// `pchar`: letters, digits, `-._~!$&'()*+,;=:@`) and well-formed `%XX` escapes stay; any
/// other character is percent-encoded (as UTF-8), a lone `%` included.
fn encode_literal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = byte == b'%'
            && bytes.len() > i + 2
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit();
        if escape || byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The parameter names of `segments`, in order, each once.
pub fn names(segments: &[Segment]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for piece in segments.iter().flat_map(|s| &s.0) {
        if let Piece::Param(name) = piece {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> Piece {
        Piece::Literal(text.into())
    }

    fn param(name: &str) -> Piece {
        Piece::Param(name.into())
    }

    #[test]
    fn whole_segments_and_parts_of_segments() {
        assert_eq!(
            parse("/items/{id}").unwrap(),
            [Segment(vec![lit("items")]), Segment(vec![param("id")])]
        );
        assert_eq!(
            parse("/Accounts/{Sid}.json").unwrap()[1],
            Segment(vec![param("Sid"), lit(".json")])
        );
        assert_eq!(
            parse("/files/{name}.{ext}").unwrap()[1],
            Segment(vec![param("name"), lit("."), param("ext")])
        );
        assert_eq!(
            parse("/v1/{a}-{b}/x").unwrap()[1],
            Segment(vec![param("a"), lit("-"), param("b")])
        );
        assert_eq!(
            parse("/users/id_{id}").unwrap()[1],
            Segment(vec![lit("id_"), param("id")])
        );
        assert!(parse("/r/{year}{month}").unwrap()[1].has_adjacent_params());
        assert!(!parse("/r/{a}-{b}").unwrap()[1].has_adjacent_params());
    }

    #[test]
    fn trailing_slashes_and_the_root_keep_their_empty_segment() {
        assert_eq!(
            parse("/items/").unwrap(),
            [Segment(vec![lit("items")]), Segment(vec![])]
        );
        assert_eq!(parse("/").unwrap(), [Segment(vec![])]);
    }

    #[test]
    fn literals_keep_what_a_path_may_carry_and_encode_the_rest() {
        assert_eq!(encode_literal("a-b.c_d~e:f@g;h=i,j"), "a-b.c_d~e:f@g;h=i,j");
        assert_eq!(encode_literal("caf%C3%A9"), "caf%C3%A9");
        assert_eq!(encode_literal("a b"), "a%20b");
        assert_eq!(encode_literal("café"), "caf%C3%A9");
        assert_eq!(encode_literal("100%"), "100%25");
        assert_eq!(encode_literal("%zz|^"), "%25zz%7C%5E");
    }

    #[test]
    fn what_cannot_be_sent_is_refused_with_the_reason() {
        for (path, reason) in [
            ("/a/{b", "never closed"),
            ("/a/{b/c}", "never closed"),
            ("/a/b}", "closes no"),
            ("/a/{}", "names no parameter"),
            ("/a/{b{c}}", "cannot nest"),
            ("/search?q={q}", "query string"),
            ("/a#top", "fragment"),
            ("/a/../b", "`..` segment"),
            ("/a/./b", "`.` segment"),
            ("/a/%2E%2e/b", "`%2E%2e` segment"),
        ] {
            let err = parse(path).unwrap_err();
            assert!(err.contains(reason), "{path}: {err}");
        }
    }

    #[test]
    fn names_in_order_each_once() {
        let segments = parse("/a/{id}/b/{name}.{ext}/c/{id}").unwrap();
        assert_eq!(names(&segments), ["id", "name", "ext"]);
    }
}
