//! Reading spec files. This is the only module that touches YAML (with `events`, which gives
//! diagnostics the parse events they are located in), so that `serde_yaml` (deprecated
//! by its author) can be replaced by a maintained fork in one place. Documents are handed on as
//! `serde_json::Value`, which keeps key order (`preserve_order`) and so keeps the output stable.

// A diagnostic is a few strings; it is returned once per unreadable file, never in a loop.
#![allow(clippy::result_large_err)]

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::Diagnostic;

pub(crate) mod events;

/// The largest spec file read by default (32 MiB): larger than any real single-file spec we know
/// of, small enough that a stray 50 MB file is refused at once instead of parsed for minutes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// Reads and parses one spec file: JSON when its extension says so, YAML (a superset) otherwise.
/// Files larger than `max_size` bytes, directories and devices are refused without being read.
/// Nesting deeper than 128 levels is refused by the parsers (their recursion limit), so nothing
/// downstream can overflow the stack on a deep document.
pub fn load_document(path: &Path, max_size: u64) -> Result<Value, Diagnostic> {
    let text = read_text(path, max_size)?;
    if text.trim().is_empty() {
        return Err(Diagnostic::in_file(
            path,
            "the file is empty; expected a YAML or JSON document",
        ));
    }
    if is_json(path) {
        serde_json::from_str(&text).map_err(|err| {
            let mut diagnostic =
                Diagnostic::in_file(path, format!("invalid JSON: {}", json_message(&err)));
            deep_help(&mut diagnostic);
            set_line(&mut diagnostic, &text, err.line(), err.column());
            diagnostic
        })
    } else {
        if let Ok(value) = FastYaml.deserialize(serde_yaml::Deserializer::from_str(&text)) {
            return Ok(value);
        }
        // Something is unusual or wrong: the way through serde_yaml's own tree says what.
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|err| {
            let mut diagnostic =
                Diagnostic::in_file(path, format!("invalid YAML: {}", yaml_message(&err)));
            deep_help(&mut diagnostic);
            if let Some(location) = err.location() {
                set_line(&mut diagnostic, &text, location.line(), location.column());
            }
            diagnostic
        })?;
        yaml_to_json(yaml, &mut String::new())
            .map_err(|(pointer, message)| Diagnostic::at(path, &pointer, message))
    }
}

/// The file's text: a regular file, at most `max_size` bytes, UTF-8 (a leading BOM is dropped).
pub(crate) fn read_text(path: &Path, max_size: u64) -> Result<String, Diagnostic> {
    let unreadable = |err: std::io::Error| {
        let found = if err.kind() == std::io::ErrorKind::NotFound {
            "the file does not exist".to_string()
        } else {
            err.to_string()
        };
        Diagnostic::in_file(path, format!("cannot read the spec file: {found}"))
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(
            Diagnostic::in_file(path, "cannot read the spec file: it is a directory")
                .with_help("name the root document itself, e.g. `spec/openapi.yaml`"),
        );
    }
    if !metadata.is_file() {
        // A device or pipe could be endless (`/dev/zero`); a spec is a regular file.
        return Err(Diagnostic::in_file(
            path,
            "cannot read the spec file: it is not a regular file",
        ));
    }
    let too_big = |size: u64| {
        Diagnostic::in_file(
            path,
            format!(
                "the file is {}, larger than the limit of {} for one spec file",
                megabytes(size),
                megabytes(max_size)
            ),
        )
        .with_help("split the spec into files joined by `$ref`s, or raise the limit with `--max-file-size <MiB>`")
    };
    if metadata.len() > max_size {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(max_size.saturating_add(1))
                .read_to_end(&mut bytes)
        })
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_size {
        return Err(too_big(bytes.len() as u64));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..offset]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let hint = match bytes {
            [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => "; it looks like UTF-16",
            _ if bytes.iter().take(512).any(|&b| b == 0) => "; it looks like a binary file",
            _ => "",
        };
        let mut diagnostic = Diagnostic::in_file(
            path,
            format!(
                "the file is not UTF-8 text: byte 0x{:02X} at offset {offset} is not valid UTF-8{hint}",
                bytes[offset]
            ),
        )
        .with_help("OpenAPI documents must be UTF-8 encoded; convert the file (e.g. `iconv -t UTF-8`)");
        if hint.is_empty() {
            set_line(&mut diagnostic, &String::from_utf8_lossy(bytes), line, column);
        } else {
            diagnostic.line_column = Some((line, column));
        }
        diagnostic
    })
}

/// The parsers' "recursion limit exceeded" and "repetition limit exceeded", said in the user's
/// terms.
fn deep_help(diagnostic: &mut Diagnostic) {
    if diagnostic.message.contains("repetition limit exceeded") {
        diagnostic.message = diagnostic.message.replace(
            "repetition limit exceeded",
            "YAML aliases (`*name`) repeat the document past the parser's limit",
        );
        diagnostic.help = Some(
            "aliases that repeat aliases multiply the document (a \"billion laughs\"); write the repeated parts out, or use `$ref`".into(),
        );
    }
    if diagnostic.message.contains("recursion limit exceeded") {
        diagnostic.message = diagnostic.message.replace(
            "recursion limit exceeded",
            "the document nests more than 128 levels deep here",
        );
        diagnostic.help =
            Some("no API description nests this deep; is the file generated or damaged?".into());
    }
}

fn megabytes(bytes: u64) -> String {
    if bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

pub(crate) fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
}

/// Records a 1-based line and column and the text of that line.
fn set_line(diagnostic: &mut Diagnostic, text: &str, line: usize, column: usize) {
    if line == 0 {
        return;
    }
    diagnostic.line_column = Some((line, column.max(1)));
    diagnostic.source_line = text.lines().nth(line - 1).map(|l| {
        // A minified JSON line can be megabytes long: keep what is shown around the column
        // (see `Diagnostic::body`), and no control characters (they would garble a terminal).
        l.chars()
            .take(column + 100)
            .map(|c| if c.is_control() && c != '\t' { '?' } else { c })
            .collect()
    });
}

/// serde_json's message without its own " at line L column C" (the location is printed apart).
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// serde_yaml's message without the location it appends (printed apart, as for JSON).
/// libyaml's "P at line L column C, while parsing X at line M column N" becomes
/// "P, while parsing X that starts at line M column N": the first place is printed apart.
fn yaml_message(err: &serde_yaml::Error) -> String {
    let text = err.to_string();
    let (problem, context) = match text.split_once(", while ") {
        Some((problem, context)) => (problem, Some(context)),
        None => (text.as_str(), None),
    };
    let problem = problem
        .rfind(" at line ")
        .map_or(problem, |at| &problem[..at]);
    match context {
        Some(context) => match context.rfind(" at line ") {
            Some(at) => format!(
                "{problem}, while {} that starts{}",
                &context[..at],
                &context[at..]
            ),
            None => format!("{problem}, while {context}"),
        },
        None => problem.to_string(),
    }
}

/// Converts a YAML tree to JSON's data model. YAML allows keys that are not strings (`200:` is an
/// integer); OpenAPI means them as strings, so scalar keys are written out as text. Two keys that
/// become the same text (`200:` and `'200':`) would silently merge: that is an error, at the
/// pointer of the mapping (`at`), like every problem found here.
fn yaml_to_json(yaml: serde_yaml::Value, at: &mut String) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    let fail = |at: &String, message: String| Err((at.clone(), message));
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => match yaml_number(&n) {
            Ok(value) => value,
            Err(message) => return fail(at, message),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                out.push(yaml_to_json(item, at)?);
                at.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(mapping) => {
            let mut map = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let described = match &key {
                    Y::String(s) => format!("'{s}'"),
                    other => yaml_key(other.clone()).unwrap_or_default(),
                };
                let key = match yaml_key(key) {
                    Ok(key) => key,
                    Err(message) => return fail(at, message),
                };
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                if map.contains_key(&key) {
                    return Err((
                        at.clone(),
                        format!("the key `{key}` occurs twice in one mapping once YAML keys are read as text (here as {described}): two names that mean the same key"),
                    ));
                }
                let value = yaml_to_json(value, at)?;
                at.truncate(len);
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

/// YAML read straight into JSON's data model, without building serde_yaml's own tree first: what
/// [`yaml_to_json`] makes of that tree, for every document that it accepts and that has nothing
/// unusual. Anything else fails (the error says nothing; the caller then goes the long way,
/// which explains the problem): a tag, a key that is a float, a list or a mapping, two keys with
/// the same text, a number JSON cannot hold, and every error of the parser.
struct FastYaml;

impl<'de> DeserializeSeed<'de> for FastYaml {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FastYaml {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a plain YAML document")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }
    /// An integer past 64 bits (`maximum: 18446744073709552000`, as generators write
    /// `Number.MAX_VALUE`-like bounds) is the nearest float, as serde_json reads the same number
    /// in a JSON document: the YAML and JSON forms of a spec are one document.
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        self.visit_f64(i as f64)
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        self.visit_f64(u as f64)
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| E::custom(""))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(FastYaml)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut map = Map::with_capacity(entries.size_hint().unwrap_or(0));
        while let Some(key) = entries.next_key_seed(FastKey)? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(""));
            }
            let value = entries.next_value_seed(FastYaml)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// A mapping key as [`yaml_key`] writes it; floats (whose text serde_yaml decides) fail.
struct FastKey;

impl<'de> DeserializeSeed<'de> for FastKey {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FastKey {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a plain mapping key")
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }
    fn visit_i128<E: de::Error>(self, i: i128) -> Result<String, E> {
        Ok(i.to_string())
    }
    fn visit_u128<E: de::Error>(self, u: u128) -> Result<String, E> {
        Ok(u.to_string())
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_owned())
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<String, E> {
        Ok(s)
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_string())
    }
}

fn yaml_number(n: &serde_yaml::Number) -> Result<Value, String> {
    if let Some(i) = n.as_i64() {
        Ok(Value::Number(i.into()))
    } else if let Some(u) = n.as_u64() {
        Ok(Value::Number(u.into()))
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("the number {n} has no JSON representation"))
    }
}

fn yaml_key(key: serde_yaml::Value) -> Result<String, String> {
    use serde_yaml::Value as Y;
    match key {
        Y::String(s) => Ok(s),
        Y::Number(n) => Ok(n.to_string()),
        Y::Bool(b) => Ok(b.to_string()),
        Y::Null => Ok("null".to_string()),
        Y::Tagged(tagged) => yaml_key(tagged.value),
        Y::Sequence(_) => Err("a mapping key must be a plain name, found a list".into()),
        Y::Mapping(_) => Err("a mapping key must be a plain name, found a mapping".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(name: &str, text: &str) -> Result<Value, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        load_document(&path, DEFAULT_MAX_FILE_SIZE)
    }

    #[test]
    fn integer_keys_become_strings() {
        let value = load_str("a.yaml", "responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn keys_that_become_the_same_text_are_refused() {
        let err = load_str("a.yaml", "responses:\n  200: {}\n  '200': {}\n").unwrap_err();
        assert_eq!(err.pointer.as_deref(), Some("/responses/200"));
        assert!(err.message.contains("twice"), "{err}");
    }

    #[test]
    fn key_order_is_kept() {
        let value = load_str("a.yaml", "b: 1\na: 2\nc: 3\n").unwrap();
        let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a", "c"]);
    }

    #[test]
    fn yaml_errors_carry_line_and_column() {
        let err = load_str("a.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.line_column.is_some(), "{err}");
    }

    #[test]
    fn big_files_and_directories_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, "a: 1\n".repeat(100)).unwrap();
        let err = load_document(&path, 100).unwrap_err();
        assert!(err.message.contains("larger than the limit"), "{err}");
        let err = load_document(dir.path(), 100).unwrap_err();
        assert!(err.message.contains("directory"), "{err}");
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, b"\xEF\xBB\xBF{\"a\": 1}").unwrap();
        assert_eq!(load_document(&path, DEFAULT_MAX_FILE_SIZE).unwrap()["a"], 1);
    }

    #[test]
    fn integers_past_64_bits_read_as_json_reads_them() {
        let numbers = "18446744073709552000, -99999999999999999999, 18446744073709551615, \
                       -9223372036854775808, 340282366920938463463374607431768211456";
        let yaml = load_str("a.yaml", &format!("a: [{numbers}]\n")).unwrap();
        let json = load_str("a.json", &format!("{{\"a\": [{numbers}]}}")).unwrap();
        assert_eq!(yaml, json);
        assert_eq!(yaml["a"][0].as_f64(), Some(18446744073709552000.0));
        assert_eq!(yaml["a"][2].as_u64(), Some(u64::MAX));
        let keys = load_str("a.yaml", "18446744073709552000: x\n").unwrap();
        assert_eq!(keys["18446744073709552000"], "x");
    }

    #[test]
    fn json_is_read_as_json() {
        let value = load_str("a.json", r#"{"openapi": "3.0.1"}"#).unwrap();
        assert_eq!(value["openapi"], "3.0.1");
    }

    #[test]
    fn empty_and_non_utf8_files_are_refused() {
        assert!(load_str("a.yaml", "  \n")
            .unwrap_err()
            .message
            .contains("empty"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, b"a: \xff\xfe").unwrap();
        assert!(load_document(&path, DEFAULT_MAX_FILE_SIZE)
            .unwrap_err()
            .message
            .contains("UTF-8"));
    }

    /// The long way: serde_yaml's tree, then [`yaml_to_json`].
    fn through_tree(text: &str) -> Option<Value> {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
        yaml_to_json(yaml, &mut String::new()).ok()
    }

    #[test]
    fn the_fast_way_reads_what_the_long_way_reads_or_leaves_it_to_it() {
        let documents = [
            "a: 1\nb: -2\nc: 18446744073709551615\nd: 1.5\ne: 1e3\nf: .inf\ng: .nan\n",
            "200: {description: ok}\n'200': x\n",
            "200: a\n-1: b\ntrue: c\n~: d\nnull: e\n1.5: f\n",
            "[1, 2]: x\n",
            "{a: 1}: x\n",
            "a: !tag {b: 1}\n",
            "a: &x {b: [1, 2, {c: null}]}\nd: *x\ne: ~\nf: ''\ng: 'yes'\nh: yes\n",
            "a: 1\na: 2\n",
            "<<: {a: 1}\nb: 2\n",
            "- 1\n- [2, 3]\n- {a: b}\n",
            "just a string",
            "# only a comment\n",
            "a: 0x1F\nb: 0o17\nc: +12\nd: 1_000\n",
            "---\na: 1\n---\nb: 2\n",
            "a: [1, 2\n",
            "a: \"\\u00e9\\t\"\nb: |\n  line\n  line\nc: >\n  folded\n",
        ];
        for text in documents {
            let fast = FastYaml
                .deserialize(serde_yaml::Deserializer::from_str(text))
                .ok();
            let slow = through_tree(text);
            match (&fast, &slow) {
                (Some(fast), Some(slow)) => assert_eq!(fast, slow, "{text:?}"),
                (Some(fast), None) => panic!("only the fast way reads {text:?}: {fast}"),
                (None, _) => {}
            }
        }
        // Plain documents do take the fast way.
        assert!(FastYaml
            .deserialize(serde_yaml::Deserializer::from_str(documents[6]))
            .is_ok());
    }
}
