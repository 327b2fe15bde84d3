//! Reading spec files. This is the only module that touches YAML, so that `serde_yaml` (deprecated
//! by its author) can be replaced by a maintained fork in one place. Documents are handed on as
//! `serde_json::Value`, which keeps key order (`preserve_order`) and so keeps the output stable.

use std::path::Path;

use serde_json::{Map, Number, Value};

use crate::error::Diagnostic;

/// Reads and parses one spec file: JSON when its extension says so, YAML (a superset) otherwise.
pub fn load_document(path: &Path) -> Result<Value, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|err| {
        let found = if err.kind() == std::io::ErrorKind::NotFound {
            "the file does not exist".to_string()
        } else {
            err.to_string()
        };
        Diagnostic::in_file(path, format!("cannot read the spec file: {found}"))
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        Diagnostic::in_file(
            path,
            format!(
                "the file is not UTF-8 (invalid byte at offset {})",
                err.valid_up_to()
            ),
        )
        .with_help("OpenAPI documents must be UTF-8 encoded")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::in_file(
            path,
            "the file is empty; expected a YAML or JSON document",
        ));
    }
    let is_json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        serde_json::from_str(text).map_err(|err| {
            let mut diagnostic = Diagnostic::in_file(path, format!("invalid JSON: {err}"));
            diagnostic.line_column = Some((err.line(), err.column()));
            diagnostic
        })
    } else {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|err| {
            let mut diagnostic = Diagnostic::in_file(path, format!("invalid YAML: {err}"));
            diagnostic.line_column = err.location().map(|l| (l.line(), l.column()));
            diagnostic
        })?;
        yaml_to_json(yaml).map_err(|message| Diagnostic::in_file(path, message))
    }
}

/// Converts a YAML tree to JSON's data model. YAML allows keys that are not strings (`200:` is an
/// integer); OpenAPI means them as strings, so scalar keys are written out as text.
fn yaml_to_json(yaml: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => yaml_number(&n)?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut map = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                map.insert(yaml_key(key)?, yaml_to_json(value)?);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
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
        other => Err(format!("a mapping key must be a scalar, found {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(name: &str, text: &str) -> Result<Value, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        load_document(&path)
    }

    #[test]
    fn integer_keys_become_strings() {
        let value = load_str("a.yaml", "responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
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
        assert!(load_document(&path).unwrap_err().message.contains("UTF-8"));
    }
}
