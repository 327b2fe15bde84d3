//! Where a JSON pointer's value is written in a spec file, for messages. Every diagnostic that
//! names a pointer is shown at its line and column, and a run can have hundreds of them in one
//! multi-megabyte file: [`locate_all`] finds them all in one pass over the file's parse events
//! (saphyr's parser, which reports each event's position, or for JSON a scan of its own), instead
//! of one parse per pointer. What that pass cannot find (a pointer through an alias or a key YAML writes
//! otherwise, or a file the event parser refuses) is looked up on its own by the serde parsers
//! that read the file ([`Find`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::load::events::{yaml_events, yaml_failure, Ev};
use crate::load::{is_json, read_text};

/// A place in a file: 1-based line and column, and the text of that line.
pub type Located = (usize, usize, String);

/// Where the value at `pointer` is written in the file: 1-based line and column, and the line's
/// text. For a mapping entry that is the position of its key; for a list item, of the item. Used
/// only to point error messages at the right line, so a file that cannot be read gives `None`.
pub fn locate(path: &Path, pointer: &str, max_size: u64) -> Option<Located> {
    locate_all(path, &[pointer], max_size).pop().flatten()
}

/// [`locate`] for many pointers of one file, reading and parsing it once: one answer per pointer,
/// in order.
pub fn locate_all(path: &Path, pointers: &[&str], max_size: u64) -> Vec<Option<Located>> {
    let Ok(text) = read_text(path, max_size) else {
        return vec![None; pointers.len()];
    };
    let wanted: Vec<Option<Vec<String>>> = pointers.iter().map(|p| segments(p)).collect();
    let json = is_json(path);
    let found = match json {
        true => positions(json_events(&text), wanted.iter().flatten()),
        false => positions(yaml_events(&text), wanted.iter().flatten()),
    };
    wanted
        .iter()
        .map(|segments| {
            let segments = segments.as_ref()?;
            let (line, column) = match found.get(segments) {
                Some(&at) => at,
                None => find(&text, json, segments)?,
            };
            let source = text
                .lines()
                .nth(line.checked_sub(1)?)?
                .chars()
                .take(200)
                .collect();
            Some((line, column, source))
        })
        .collect()
}

/// The unescaped segments of a non-empty pointer.
fn segments(pointer: &str) -> Option<Vec<String>> {
    let segments: Vec<String> = pointer
        .strip_prefix('/')?
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    Some(segments)
}

/// The events of a JSON document, scanned for their positions (saphyr reads JSON too, but
/// several times slower, holding the tokens of a whole flow mapping). Stops at anything that is
/// not JSON; what it has not reached is looked up apart.
fn json_events(text: &str) -> impl Iterator<Item = (Ev<'_>, (usize, usize))> {
    let bytes = text.as_bytes();
    let (mut i, mut line, mut column) = (0, 1, 1);
    std::iter::from_fn(move || loop {
        let &byte = bytes.get(i)?;
        let at = (line, column);
        let advance = |i: &mut usize, column: &mut usize, to: usize| {
            // Columns count characters: UTF-8 continuation bytes are not one.
            *column += bytes[*i..to].iter().filter(|&&b| b & 0xC0 != 0x80).count();
            *i = to;
        };
        match byte {
            b'\n' => {
                i += 1;
                line += 1;
                column = 1;
            }
            b' ' | b'\t' | b'\r' | b',' | b':' => {
                i += 1;
                column += 1;
            }
            b'{' | b'[' | b'}' | b']' => {
                i += 1;
                column += 1;
                let ev = match byte {
                    b'{' => Ev::MapStart,
                    b'[' => Ev::SeqStart,
                    _ => Ev::End,
                };
                return Some((ev, at));
            }
            b'"' => {
                let mut end = i + 1;
                let mut escaped = false;
                while bytes.get(end).is_some_and(|&b| b != b'"' || escaped) {
                    escaped = !escaped && bytes[end] == b'\\';
                    if bytes[end] == b'\n' {
                        return None;
                    }
                    end += 1;
                }
                let raw = text.get(i..=end)?;
                let value = match raw.contains('\\') {
                    false => Some(Cow::Borrowed(&raw[1..raw.len() - 1])),
                    true => serde_json::from_str::<String>(raw).ok().map(Cow::Owned),
                };
                advance(&mut i, &mut column, end + 1);
                return Some((Ev::Scalar(value), at));
            }
            _ => {
                let end = (i..bytes.len())
                    .find(|&j| b" \t\r\n,:{}[]\"".contains(&bytes[j]))
                    .unwrap_or(bytes.len());
                if end == i {
                    return None;
                }
                advance(&mut i, &mut column, end);
                return Some((Ev::Scalar(None), at));
            }
        }
    })
}

/// One pass over the events of a document: the line and column of each wanted place that the
/// pass can name (a key that is a scalar, an item of a list), as the serde parsers report them.
/// Parts of the document no wanted pointer goes into are parsed but not followed.
fn positions<'a, 'b>(
    events: impl Iterator<Item = (Ev<'b>, (usize, usize))>,
    wanted: impl Iterator<Item = &'a Vec<String>>,
) -> HashMap<Vec<String>, (usize, usize)> {
    let wanted: HashSet<&[String]> = wanted.map(Vec::as_slice).collect();
    // Every proper prefix of a wanted pointer: the containers worth following.
    let mut within: HashSet<&[String]> = HashSet::new();
    for pointer in &wanted {
        for end in 0..pointer.len() {
            within.insert(&pointer[..end]);
        }
    }
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return found;
    }
    /// An open mapping or list; `followed` when some wanted pointer goes into it.
    enum Open {
        Map { followed: bool, key: Option<String> },
        List { followed: bool, next: usize },
    }
    // The place of the open container, after a first segment that stands for the root (the
    // root is pushed like any container): a place is `path[1..]`.
    let mut path: Vec<String> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut record = |path: &mut Vec<String>, name: String, at| {
        path.push(name);
        if wanted.contains(&path[1..]) {
            found.entry(path[1..].to_vec()).or_insert(at);
        }
        path.pop();
    };
    for (event, at) in events {
        // Where this node is: a key of a mapping (its text names the entry), the value of the
        // last key, or an item of a list.
        let mut named = None;
        match open.last_mut() {
            _ if matches!(event, Ev::End) => {}
            Some(Open::Map { followed, key }) => match key.take() {
                None => {
                    // A key. Keys that are not scalars are refused by the loader anyway; they are
                    // skipped as containers no pointer goes into.
                    let text = match &event {
                        Ev::Scalar(Some(text)) => text.to_string(),
                        _ => String::new(),
                    };
                    if *followed {
                        record(&mut path, text.clone(), at);
                    }
                    *key = Some(text);
                    let skipped = match event {
                        Ev::MapStart => Open::Map {
                            followed: false,
                            key: None,
                        },
                        Ev::SeqStart => Open::List {
                            followed: false,
                            next: 0,
                        },
                        _ => continue,
                    };
                    open.push(skipped);
                    path.push(String::new());
                    continue;
                }
                Some(key) => named = followed.then_some(key),
            },
            Some(Open::List { followed, next }) => {
                let index = *next;
                *next += 1;
                if *followed {
                    record(&mut path, index.to_string(), at);
                    named = Some(index.to_string());
                }
            }
            None => {}
        }
        match event {
            Ev::MapStart | Ev::SeqStart => {
                // The root is followed; a child when its place is a proper prefix of a pointer.
                let followed = open.is_empty()
                    || named.as_ref().is_some_and(|name| {
                        path.push(name.clone());
                        let followed = within.contains(&path[1..]);
                        path.pop();
                        followed
                    });
                path.push(named.unwrap_or_default());
                open.push(match event {
                    Ev::MapStart => Open::Map {
                        followed,
                        key: None,
                    },
                    _ => Open::List { followed, next: 0 },
                });
            }
            Ev::End => {
                open.pop();
                path.pop();
            }
            Ev::Scalar(_) | Ev::Alias => {}
        }
    }
    found
}

/// One place looked up on its own: the serde parser that reads the file walks to it and fails on
/// purpose there ([`Find`]), and its error tells where.
fn find(text: &str, json: bool, segments: &[String]) -> Option<(usize, usize)> {
    if segments.is_empty() {
        return None;
    }
    Some(if json {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let err = Find { path: segments }
            .deserialize(&mut deserializer)
            .err()?;
        if !err.to_string().starts_with(FOUND) {
            return None;
        }
        if err.to_string().starts_with(FOUND_KEY) {
            // serde_json reports the position of the key's closing quote.
            let back = segments.last()?.chars().count() + 1;
            (err.line(), err.column().saturating_sub(back).max(1))
        } else {
            json_value_start(text, err.line(), err.column())?
        }
    } else {
        let (message, at) = yaml_failure(text, Find { path: segments })?;
        if !message.contains(FOUND) {
            return None;
        }
        at?
    })
}

/// Where the value ends that serde_json stopped at (it reports the position after what it
/// read): back over whitespace to an opening bracket, or over a scalar to its start.
fn json_value_start(text: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let chars: Vec<(usize, char)> = text[line_start..]
        .char_indices()
        .take(column)
        .map(|(i, c)| (i + line_start, c))
        .collect();
    let mut end = line_start
        + chars
            .last()
            .map_or(0, |(i, c)| i + c.len_utf8() - line_start);
    let before = &text[..end];
    let trimmed = before.trim_end();
    end = trimmed.len();
    let start = match trimmed.chars().last()? {
        '{' | '[' => end - 1,
        '"' => {
            // Back to the opening quote, skipping escaped ones.
            let bytes = trimmed.as_bytes();
            let mut i = end - 1;
            loop {
                i = trimmed[..i].rfind('"')?;
                if i == 0 || bytes[i - 1] != b'\\' {
                    break i;
                }
            }
        }
        _ => trimmed
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
            .map_or(0, |i| i + 1),
    };
    let line = text[..start].matches('\n').count() + 1;
    let line_begin = text[..start].rfind('\n').map_or(0, |i| i + 1);
    Some((line, text[line_begin..start].chars().count() + 1))
}

/// The error [`Find`] raises where it finds its target; its position is the target's.
const FOUND: &str = "\u{0}found";
const FOUND_KEY: &str = "\u{0}found key";

/// Walks a document along a JSON pointer without building it, and fails on purpose at the
/// target, so the parser's error carries the target's line and column.
struct Find<'a> {
    path: &'a [String],
}

impl<'de> DeserializeSeed<'de> for Find<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.path.is_empty() {
            deserializer.deserialize_any(Fail)
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Find<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let key = Key {
            want: &self.path[0],
            last: self.path.len() == 1,
        };
        while let Some(found) = map.next_key_seed(Key { ..key })? {
            if found {
                return map.next_value_seed(Find {
                    path: &self.path[1..],
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Ok(index) = self.path[0].parse::<usize>() else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        for _ in 0..index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Find {
            path: &self.path[1..],
        })?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A mapping key: `Ok(true)` when it is the wanted one; the last wanted key fails on purpose.
#[derive(Clone, Copy)]
struct Key<'a> {
    want: &'a str,
    last: bool,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.want {
            true if self.last => Err(E::custom(FOUND_KEY)),
            matches => Ok(matches),
        }
    }
    fn visit_bool<E: de::Error>(self, key: bool) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_i64<E: de::Error>(self, key: i64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_u64<E: de::Error>(self, key: u64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_f64<E: de::Error>(self, key: f64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        self.visit_str("null")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// Fails on whatever value it meets: the error then carries that value's position.
struct Fail;

impl<'de> Visitor<'de> for Fail {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("anything")
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_document, DEFAULT_MAX_FILE_SIZE};
    use serde_json::Value;

    /// Every pointer of a document (keys and items), in document order.
    fn pointers_of(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    at.push(key.clone());
                    out.push(at.clone());
                    pointers_of(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(i.to_string());
                    out.push(at.clone());
                    pointers_of(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    /// The one pass finds what the serde parsers find, place by place, in every spec file of the
    /// workspace (YAML and JSON, block and flow style).
    #[test]
    fn one_pass_agrees_with_the_serde_parsers() {
        let mut files = Vec::new();
        let mut pending: Vec<std::path::PathBuf> =
            ["../spec", "../tests"].iter().map(Into::into).collect();
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 100, "{} files", files.len());
        let mut compared = 0;
        for file in files {
            let Ok(document) = crate::load::load_document(&file, u64::MAX) else {
                continue;
            };
            let mut all = Vec::new();
            pointers_of(&document, &mut Vec::new(), &mut all);
            // The file as it is, and each document as JSON, pretty and on one line.
            let texts = [
                (read_text(&file, u64::MAX).unwrap(), is_json(&file)),
                (serde_json::to_string_pretty(&document).unwrap(), true),
                (serde_json::to_string(&document).unwrap(), true),
            ];
            for (text, json) in &texts {
                let found = match json {
                    true => positions(json_events(text), all.iter()),
                    false => positions(yaml_events(text), all.iter()),
                };
                for pointer in &all {
                    let expected = find(text, *json, pointer);
                    if let (Some(expected), Some(got)) = (expected, found.get(pointer)) {
                        let at = format!("{} ({json}) at /{}", file.display(), pointer.join("/"));
                        assert_eq!(*got, expected, "{at}");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 8_000, "{compared} places compared");
    }

    #[test]
    fn locate_finds_keys_and_items_in_yaml_and_json() {
        let yaml = "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      parameters:\n        - name: x\n        - {name: y, in: path}\n";
        let (dir, path) = file("a.yaml", yaml);
        let at = |p: &str| locate(&path, p, DEFAULT_MAX_FILE_SIZE).map(|(l, c, _)| (l, c));
        assert_eq!(at("/paths/~1a/get"), Some((4, 5)));
        assert_eq!(at("/paths/~1a/get/parameters/1"), Some((7, 11)));
        assert_eq!(at("/paths/~1a/get/parameters/1/in"), Some((7, 21)));
        assert_eq!(at("/paths/~1b"), None);
        let json =
            serde_json::to_string_pretty(&load_document(&path, DEFAULT_MAX_FILE_SIZE).unwrap())
                .unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, json).unwrap();
        let at = |p: &str| locate(&path, p, DEFAULT_MAX_FILE_SIZE).map(|(l, c, _)| (l, c));
        assert_eq!(at("/paths"), Some((3, 3)));
        assert_eq!(at("/paths/~1a/get/parameters/1"), Some((10, 11)));
    }

    /// `text` written as `name` in a new temporary directory (kept while it lives).
    fn file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn flow_style_aliases_and_odd_keys_are_found() {
        let yaml = "a: &x {b: [1, {c: 2}]}\nd: *x\n0x1F: e\n'f': [ {g: h} ]\n~: 1\n";
        let (_dir, path) = file("a.yaml", yaml);
        let at = |pointers: &[&str]| -> Vec<Option<(usize, usize)>> {
            locate_all(&path, pointers, u64::MAX)
                .into_iter()
                .map(|l| l.map(|(line, column, _)| (line, column)))
                .collect()
        };
        assert_eq!(
            at(&["/a/b/1/c", "/d/b", "/31", "/f/0/g", "/null", "/a/b/1", "/nope", ""]),
            [
                Some((1, 16)),
                // Through the alias: found by serde_yaml, which follows it to the anchor.
                Some((1, 8)),
                Some((3, 1)),
                Some((4, 9)),
                Some((5, 1)),
                Some((1, 15)),
                None,
                None
            ]
        );
    }
}
