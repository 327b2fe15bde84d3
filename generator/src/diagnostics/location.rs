//! Where things are, for messages and for the resolver: JSON pointers (RFC 6901), file paths
//! relative to the spec's root directory, the [`SourceMap`] from the bundled document back to the
//! files, and short descriptions of values ("a list of 3 items").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::error::Diagnostic;

/// Maps a JSON pointer in the bundled document back to the file and pointer it was written at.
/// Every inlined reference and every component schema is an entry; a pointer is mapped through
/// its longest prefix that is an entry.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    entries: BTreeMap<String, (PathBuf, String)>,
}

impl SourceMap {
    /// The absolute file and the pointer inside it where `pointer` (in the bundle) was written.
    pub fn origin_of(&self, pointer: &str) -> Option<(PathBuf, String)> {
        let mut prefix = pointer;
        loop {
            if let Some((file, at)) = self.entries.get(prefix) {
                return Some((file.clone(), format!("{at}{}", &pointer[prefix.len()..])));
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }

    /// Moves the entries at `from` and under it to `to`.
    pub(crate) fn rebase(&mut self, from: &str, to: &str) {
        let moved: Vec<String> = self
            .entries
            .range(from.to_string()..)
            .map(|(key, _)| key)
            .take_while(|key| key.starts_with(from))
            .filter(|key| within(key, from))
            .cloned()
            .collect();
        for key in moved {
            if let Some(entry) = self.entries.remove(&key) {
                self.entries
                    .insert(format!("{to}{}", &key[from.len()..]), entry);
            }
        }
    }

    pub(crate) fn insert(&mut self, bundled: &str, file: &Path, pointer: &str) {
        self.entries.insert(
            bundled.to_string(),
            (file.to_path_buf(), pointer.to_string()),
        );
    }
}

/// Whether `pointer` is `part` or inside it.
pub(crate) fn within(pointer: &str, part: &str) -> bool {
    pointer == part
        || pointer
            .strip_prefix(part)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Drops repeated diagnostics (a file inlined at several places is walked once per place),
/// keeping the first of each.
pub fn dedup(items: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    items
        .into_iter()
        .filter(|d| seen.insert((d.file.clone(), d.pointer.clone(), d.message.clone())))
        .collect()
}

/// What kind of JSON value this is, for messages: "a string (`abc`)", "a list of 3 items".
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean (`{b}`)"),
        Value::Number(n) => format!("a number (`{n}`)"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "..." } else { "" };
            format!("a string (`{short}{more}`)")
        }
        Value::Array(items) => format!(
            "a list of {} item{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        ),
        Value::Object(map) if map.is_empty() => "an empty mapping".into(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(6).map(|k| format!("`{k}`")).collect();
            let more = if map.len() > 6 { ", ..." } else { "" };
            format!("a mapping with keys {}{more}", keys.join(", "))
        }
    }
}

/// For a pointer that does not resolve: what the deepest existing object on its way does hold.
pub(crate) fn nearest_keys(doc: &Value, pointer: &str) -> Option<String> {
    let mut current = doc;
    let mut walked = String::new();
    for segment in pointer.split('/').skip(1) {
        let key = unescape_pointer(segment);
        let next = match current {
            Value::Object(map) => map.get(&key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => {
                current = next;
                walked.push('/');
                walked.push_str(segment);
            }
            None => {
                let at = if walked.is_empty() {
                    "the document".to_string()
                } else {
                    format!("`{walked}`")
                };
                return Some(match current {
                    Value::Object(map) => {
                        let keys: Vec<String> =
                            map.keys().take(10).map(|k| format!("`{k}`")).collect();
                        let more = if map.len() > 10 { ", ..." } else { "" };
                        format!("{at} has no `{key}`; it has {}{more}", keys.join(", "))
                    }
                    other => format!("{at} is {}, which has no `{key}`", describe(other)),
                });
            }
        }
    }
    None
}

/// Counts the values in `value`, stopping early once past `limit`.
pub(crate) fn count_values(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        count += 1;
        if count > limit {
            break;
        }
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// Escapes a key for use as one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Decodes the `%XX` escapes of a reference (RFC 3986). A `%` that does not start an escape
/// stays as written, and bytes that do not make UTF-8 become U+FFFD: the file of that name then
/// does not exist, and the resolver says so.
pub(crate) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// `path` made absolute (against the current directory) and normalized, without touching the
/// file system.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    normalize(&joined)
}

/// `path` relative to `base`, with `..` where it lies outside (both absolute and normalized).
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    if let Ok(inside) = path.strip_prefix(base) {
        return inside.to_path_buf();
    }
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part);
    }
    out
}

/// Removes `.` and `..` without touching the file system, so paths compare by text.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The pointer of `key` below `at`.
pub(crate) fn child(at: &str, key: &str) -> String {
    format!("{at}/{}", escape_pointer(key))
}

/// The JSON pointer of a serde path (`paths./a.get.parameters[0]` -> `/paths/~1a/get/parameters/0`).
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer(key));
            }
            Segment::Enum { .. } => {}
            Segment::Unknown => break,
        }
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%7E"), "a b~");
        assert_eq!(percent_decode("100%"), "100%");
        // An escape cut short by a character of several bytes is no escape (this once sliced
        // inside the character and panicked).
        assert_eq!(percent_decode("./%aé.yaml"), "./%aé.yaml");
        assert_eq!(percent_decode("%é%"), "%é%");
        assert_eq!(percent_decode("%C3%A9.yaml"), "é.yaml");
        assert_eq!(percent_decode("%e9.yaml"), "\u{fffd}.yaml");
    }

    #[test]
    fn relative_paths() {
        let base = Path::new("/a/spec");
        assert_eq!(
            relative_to(Path::new("/a/spec/x/y.yaml"), base),
            Path::new("x/y.yaml")
        );
        assert_eq!(
            relative_to(Path::new("/a/shared/y.yaml"), base),
            Path::new("../shared/y.yaml")
        );
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
    }

    #[test]
    fn descriptions() {
        assert_eq!(describe(&serde_json::json!([1, 2])), "a list of 2 items");
        assert_eq!(
            describe(&serde_json::json!({"a": 1})),
            "a mapping with keys `a`"
        );
        assert_eq!(describe(&serde_json::json!("x")), "a string (`x`)");
    }
}
