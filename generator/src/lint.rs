//! Warnings about what is accepted but odd: formats that change nothing or look misspelled, and
//! examples that do not match their schema. Called by [`crate::shape`] for each schema, parameter,
//! header and media type of the bundled document; each warning is reported once, at the place the
//! user wrote it, and counted in the summary line.
//!
//! Formats. OpenAPI lets `format` hold any string, and for strings the generator only acts on
//! `date` and `date-time`: any other string format is documentation (SailPoint's
//! `comma-separated`, `uuid`, `email`, ...), generates exactly the type alone, and is not worth a
//! warning on every run. A warning is deserved where the format looks like a misspelling of one
//! we know (`UUID`, `dateTime`: the user meant something and did not get it), where a numeric
//! format is unknown (the width of the Rust type falls back to `i64`/`f64`), and where a format
//! is set on a type that has none (booleans, arrays, objects).

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::closest;
use crate::diagnostics::location::child;
use crate::error::Diagnostic;

/// Formats the OpenAPI Format Registry defines for strings.
const STRING_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "time",
    "duration",
    "password",
    "byte",
    "binary",
    "base64url",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "uri-template",
    "iri",
    "iri-reference",
    "uuid",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "char",
    "commonmark",
    "html",
    "media-range",
    "http-date",
    "decimal",
    "decimal128",
    "int64",
    "sf-string",
    "sf-token",
    "sf-binary",
];

const INTEGER_FORMATS: &[&str] = &["int32", "int64", "int8", "int16", "uint8"];

const NUMBER_FORMATS: &[&str] = &["float", "double", "decimal", "decimal128", "int32", "int64"];

/// How deep an example is compared with its schema (through properties, items and `$ref`s).
const EXAMPLE_DEPTH: usize = 32;

/// Checks one schema object (at `at` in the bundle): its `format` and its own `example`.
pub fn schema(
    document: &Value,
    map: &Map<String, Value>,
    at: &str,
    warnings: &mut Vec<Diagnostic>,
    root: &Path,
) {
    if let Some(Value::String(format)) = map.get("format") {
        if let Some((message, help)) =
            format_problem(map.get("type").and_then(Value::as_str), format)
        {
            let mut warning = Diagnostic::at(root, &child(at, "format"), message);
            warning.help = help;
            warnings.push(warning);
        }
    }
    if let Some(example) = map.get("example") {
        let schema = Value::Object(map.clone());
        if let Some((inner, problem)) = mismatch(document, &schema, example, 0) {
            warnings.push(
                Diagnostic::at(root, &format!("{}{inner}", child(at, "example")), format!("this example does not match its schema: {problem}"))
                    .with_help("the example is documentation only, but clients and tests that use it will fail to decode it"),
            );
        }
    }
}

/// Checks the `example` and `examples` of a parameter, header or media type against its schema.
pub fn example_of(
    document: &Value,
    map: &Map<String, Value>,
    at: &str,
    warnings: &mut Vec<Diagnostic>,
    root: &Path,
) {
    let Some(schema) = map.get("schema") else {
        return;
    };
    let mut candidates = Vec::new();
    if let Some(example) = map.get("example") {
        candidates.push((child(at, "example"), example));
    }
    if let Some(Value::Object(examples)) = map.get("examples") {
        for (name, example) in examples {
            if let Some(value) = example.get("value") {
                candidates.push((child(&child(&child(at, "examples"), name), "value"), value));
            }
        }
    }
    for (pointer, example) in candidates {
        if let Some((inner, problem)) = mismatch(document, schema, example, 0) {
            warnings.push(
                Diagnostic::at(root, &format!("{pointer}{inner}"), format!("this example does not match its schema: {problem}"))
                    .with_help("the example is documentation only, but clients and tests that use it will fail to decode it"),
            );
        }
    }
}

fn format_problem(ty: Option<&str>, format: &str) -> Option<(String, Option<String>)> {
    let known: &[&str] = match ty {
        Some("string") => STRING_FORMATS,
        Some("integer") => INTEGER_FORMATS,
        Some("number") => NUMBER_FORMATS,
        Some(other @ ("boolean" | "array" | "object")) => {
            return Some((
                format!("`format: {format}` has no meaning for `type: {other}`; it is ignored"),
                None,
            ))
        }
        _ => return None,
    };
    if known.contains(&format) {
        return None;
    }
    let ty = ty.unwrap_or_default();
    match closest(format, known) {
        Some(meant) => Some((
            format!("unknown format `{format}` for a {ty}; it is treated as having no format"),
            Some(format!("did you mean `{meant}`?")),
        )),
        None if ty == "string" => None,
        None => Some((
            format!(
                "unknown format `{format}` for {}; the Rust type is `{}`",
                if ty == "integer" {
                    "an integer"
                } else {
                    "a number"
                },
                if ty == "integer" { "i64" } else { "f64" }
            ),
            Some(format!("known formats: {}", known.join(", "))),
        )),
    }
}

/// Why `example` does not fit `schema`, with the pointer inside the example where it does not:
/// `None` when it fits as far as JSON kinds, enums and properties go.
fn mismatch(
    document: &Value,
    schema: &Value,
    example: &Value,
    depth: usize,
) -> Option<(String, String)> {
    if depth > EXAMPLE_DEPTH {
        return None;
    }
    let schema = resolve(document, schema, depth)?;
    let map = schema.as_object()?;
    if let Value::Array(members) = map.get("allOf").unwrap_or(&Value::Null) {
        for member in members {
            if let Some(found) = mismatch(document, member, example, depth + 1) {
                return Some(found);
            }
        }
    }
    if example.is_null() {
        return match map.get("nullable") {
            Some(Value::Bool(true)) => None,
            _ if map.get("type").is_none() => None,
            _ => Some((
                String::new(),
                "it is null, but the schema is not `nullable: true`".into(),
            )),
        };
    }
    if let Some(Value::String(ty)) = map.get("type") {
        let fits = match ty.as_str() {
            "string" => example.is_string(),
            "integer" => {
                example.is_i64()
                    || example.is_u64()
                    || example.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            "number" => example.is_number(),
            "boolean" => example.is_boolean(),
            "array" => example.is_array(),
            "object" => example.is_object(),
            _ => true,
        };
        if !fits {
            return Some((
                String::new(),
                format!(
                    "the schema's type is `{ty}`, the example is {}",
                    crate::diagnostics::location::describe(example)
                ),
            ));
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        if !values.is_empty() && !values.contains(example) {
            return Some((
                String::new(),
                format!(
                    "{} is not one of the schema's `enum` values",
                    crate::diagnostics::location::describe(example)
                ),
            ));
        }
    }
    match example {
        Value::Object(fields) => {
            let properties = map.get("properties").and_then(Value::as_object);
            for (name, value) in fields {
                if let Some(property) = properties.and_then(|p| p.get(name)) {
                    if let Some((inner, problem)) = mismatch(document, property, value, depth + 1) {
                        return Some((format!("{}{inner}", child("", name)), problem));
                    }
                }
            }
            None
        }
        Value::Array(items) => {
            let item_schema = map.get("items")?;
            // The first items are enough to catch a wrong item type; a huge example stays cheap.
            for (i, item) in items.iter().enumerate().take(16) {
                if let Some((inner, problem)) = mismatch(document, item_schema, item, depth + 1) {
                    return Some((format!("/{i}{inner}"), problem));
                }
            }
            None
        }
        _ => None,
    }
}

/// Follows `$ref`s to component schemas of the bundle.
fn resolve<'a>(document: &'a Value, mut schema: &'a Value, depth: usize) -> Option<&'a Value> {
    for _ in depth..EXAMPLE_DEPTH {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => schema = document.pointer(reference.strip_prefix('#')?)?,
            None => return Some(schema),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats() {
        assert!(format_problem(Some("string"), "comma-separated").is_none());
        assert!(format_problem(Some("string"), "uuid").is_none());
        let (_, help) = format_problem(Some("string"), "UUID").unwrap();
        assert_eq!(help.as_deref(), Some("did you mean `uuid`?"));
        assert!(format_problem(Some("integer"), "int").is_some());
        assert!(format_problem(Some("boolean"), "flag").is_some());
        assert!(format_problem(None, "anything").is_none());
    }

    #[test]
    fn examples() {
        let document = json!({"components": {"schemas": {"N": {"type": "integer"}}}});
        let schema = json!({
            "type": "object",
            "properties": {
                "n": {"$ref": "#/components/schemas/N"},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
            }
        });
        assert!(mismatch(&document, &schema, &json!({"n": 1, "tags": ["a"]}), 0).is_none());
        let (at, problem) = mismatch(&document, &schema, &json!({"n": "1"}), 0).unwrap();
        assert_eq!(at, "/n");
        assert!(problem.contains("`integer`"), "{problem}");
        let (at, _) = mismatch(&document, &schema, &json!({"tags": ["a", "c"]}), 0).unwrap();
        assert_eq!(at, "/tags/1");
        assert!(mismatch(&document, &schema, &json!(null), 0).is_some());
    }
}
