//! The shape of the bundled document, checked before `openapiv3` parses it: every object the
//! OpenAPI 3.0 specification defines, with the type of each of its fields, which are required,
//! and what nests where. `openapiv3` stops at its first problem, often with "data did not match
//! any variant", and silently drops what it does not know (a path without a leading `/`, a
//! response keyed `OK`); this walk reports *every* shape problem at its exact JSON pointer, says
//! what was expected and what was found, and warns about keywords that are ignored. The checks of
//! values against meaning (formats, examples) are in [`crate::lint`].
//!
//! Pointers here are pointers into the bundled document; `lib.rs` maps them back to the file and
//! pointer the user wrote (see [`crate::diagnostics::location::SourceMap`]).

use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::closest;
use crate::diagnostics::location::{child, describe};
use crate::error::Diagnostic;
use crate::openapi30::{fields, Want, K, SCHEMA_31_KEYWORDS, SCHEMA_TYPES};
use Want::*;

/// What the walk found: errors stop the run, warnings are reported with its summary.
#[derive(Debug, Default)]
pub struct Findings {
    /// Shape errors, at pointers into the bundled document.
    pub errors: Vec<Diagnostic>,
    /// Ignored keywords, odd formats and mismatched examples, at pointers into the bundle.
    pub warnings: Vec<Diagnostic>,
    /// Shape errors inside parts the generator does not use (see [`crate::unused`]): they do
    /// not stop a run.
    pub ignored: Vec<Diagnostic>,
    /// Defects repaired (see [`crate::repair`]), at pointers into the bundled document.
    pub repairs: Vec<crate::repair::Repair>,
    /// The pointer of every part the generator does not use, outermost only, with what it holds.
    pub unused_parts: Vec<(String, Want)>,
}

/// Checks `document` (the bundle of the spec whose root is `root`).
pub fn check(document: &Value, root: &Path) -> Findings {
    let mut checker = Checker {
        document,
        root,
        findings: Findings::default(),
        in_unused: false,
    };
    checker.node(document, K::Document, "", 0);
    checker.findings
}

struct Checker<'a> {
    document: &'a Value,
    root: &'a Path,
    findings: Findings,
    /// Inside a part the generator does not use: errors are only worth a warning.
    in_unused: bool,
}

/// Where nesting stops being checked; the resolver already refused deeper documents.
const MAX_DEPTH: usize = 600;

impl Checker<'_> {
    fn error(&mut self, at: &str, message: String) -> &mut Diagnostic {
        let list = if self.in_unused {
            &mut self.findings.ignored
        } else {
            &mut self.findings.errors
        };
        list.push(Diagnostic::at(self.root, at, message));
        list.last_mut().expect("just pushed")
    }

    fn warn(&mut self, at: &str, message: String) -> &mut Diagnostic {
        self.findings
            .warnings
            .push(Diagnostic::at(self.root, at, message));
        self.findings.warnings.last_mut().expect("just pushed")
    }

    fn node(&mut self, value: &Value, kind: K, at: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Value::Object(map) = value else {
            self.not_an_object(value, kind, at);
            return;
        };
        if map.contains_key("$ref") && kind != K::PathItem {
            // The resolver has inlined every reference it could; what is left points at a
            // component schema (or was reported already). Siblings were warned about there.
            if !map["$ref"].is_string() {
                self.error(
                    &format!("{at}/$ref"),
                    format!("`$ref` must be a string, found {}", describe(&map["$ref"])),
                );
            }
            return;
        }
        match kind {
            K::Paths => return self.paths(map, at, depth),
            K::Responses => return self.responses(map, at, depth),
            K::Callback => {
                for (expression, item) in map {
                    self.node(item, K::PathItem, &child(at, expression), depth + 1);
                }
                return;
            }
            K::SecurityRequirement => {
                for (name, scopes) in map {
                    self.want(
                        scopes,
                        StrList,
                        K::SecurityRequirement,
                        &child(at, name),
                        depth,
                    );
                }
                return;
            }
            _ => {}
        }
        let table = fields(kind);
        let missing: Vec<&str> = table
            .iter()
            .filter(|field| field.required && !map.contains_key(field.name))
            .map(|field| field.name)
            .collect();
        let complete = missing.is_empty();
        if !complete {
            self.missing(map, kind, at, &missing);
        }
        for (key, value) in map {
            if key.starts_with("x-") {
                continue;
            }
            match table.iter().find(|field| field.name == key) {
                Some(field) => self.want(value, field.want, kind, &child(at, key), depth),
                None => self.unknown_key(kind, key, at),
            }
        }
        match kind {
            K::Parameter if complete => self.parameter(map, at),
            K::Header => self.schema_or_content(map, at, K::Header),
            K::Schema => {
                self.schema_type(map, at);
                if !self.in_unused {
                    let repair = crate::repair::duplicate_enum_values(map, at, self.root);
                    self.findings.repairs.extend(repair);
                }
                crate::lint::schema(
                    self.document,
                    map,
                    at,
                    &mut self.findings.warnings,
                    self.root,
                );
            }
            _ => {}
        }
        if matches!(kind, K::Parameter | K::Header | K::MediaType) {
            crate::lint::example_of(
                self.document,
                map,
                at,
                &mut self.findings.warnings,
                self.root,
            );
        }
    }

    fn want(&mut self, value: &Value, want: Want, parent: K, at: &str, depth: usize) {
        let entering = !self.in_unused && crate::openapi30::is_unused(want);
        if entering {
            self.in_unused = true;
            self.findings.unused_parts.push((at.to_string(), want));
        }
        self.want_here(value, want, parent, at, depth);
        if entering {
            self.in_unused = false;
        }
    }

    fn want_here(&mut self, value: &Value, want: Want, parent: K, at: &str, depth: usize) {
        let ok = match want {
            Str => value.is_string(),
            Bool => value.is_boolean(),
            Num => value.is_number(),
            Count => value.as_u64().is_some(),
            Any => true,
            FreeMap => value.is_object(),
            StrList => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            Obj(kind) => {
                self.node(value, kind, at, depth + 1);
                true
            }
            MapOf(kind) => match value {
                Value::Object(entries) => {
                    for (name, entry) in entries {
                        self.node(entry, kind, &child(at, name), depth + 1);
                    }
                    true
                }
                _ => false,
            },
            ListOf(kind) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.node(item, kind, &child(at, &i.to_string()), depth + 1);
                    }
                    true
                }
                _ => false,
            },
            BoolOrSchema => match value {
                Value::Bool(_) => true,
                schema => {
                    self.node(schema, K::Schema, at, depth + 1);
                    true
                }
            },
        };
        if ok {
            return;
        }
        let expected = match want {
            Str => "a string",
            Bool => "a boolean (`true` or `false`)",
            Num => "a number",
            Count => "a non-negative integer",
            FreeMap => "a mapping",
            StrList => "a list of strings",
            MapOf(_) => "a mapping of names to objects",
            ListOf(_) => "a list",
            Any | Obj(_) | BoolOrSchema => "something else",
        };
        let key = at.rsplit('/').next().unwrap_or_default().to_string();
        let message = format!("`{key}` must be {expected}, found {}", describe(value));
        let help = match (parent, key.as_str(), value) {
            (K::Schema, "exclusiveMinimum" | "exclusiveMaximum", Value::Number(_)) => Some(format!(
                "in OpenAPI 3.0 `{key}` is a boolean that makes `{}` exclusive; a number here is OpenAPI 3.1",
                if key == "exclusiveMinimum" { "minimum" } else { "maximum" }
            )),
            (K::Schema, "type", Value::Array(_)) => Some(
                "OpenAPI 3.0 has one `type` per schema; for `[T, 'null']` write `type: T` with `nullable: true`".into(),
            ),
            (_, "required", Value::Bool(_)) if parent == K::Schema => Some(
                "in a schema, `required` lists the names of required properties; `required: true` belongs to a parameter".into(),
            ),
            (_, _, Value::String(s)) if matches!(want, Bool) && (s == "true" || s == "false") => {
                Some(format!("write `{s}` without quotes"))
            }
            (_, _, Value::String(_)) if matches!(want, Num | Count) => {
                Some("write the number without quotes".into())
            }
            _ => None,
        };
        let diagnostic = self.error(at, message);
        if let Some(help) = help {
            diagnostic.help = Some(help);
        }
    }

    fn not_an_object(&mut self, value: &Value, kind: K, at: &str) {
        let message = format!("expected {}, found {}", kind.name(), describe(value));
        let help = match (kind, value) {
            (K::Schema, Value::Bool(_)) => {
                Some("boolean schemas are OpenAPI 3.1; in 3.0 write `{}` for any value".to_string())
            }
            (K::Parameter, Value::String(s)) | (K::Response, Value::String(s))
                if s.contains('/') || s.ends_with(".yaml") || s.ends_with(".json") =>
            {
                Some(format!("to refer to another file, write `$ref: '{s}'`"))
            }
            (K::Document, _) => Some("is this the spec's root document?".to_string()),
            _ => None,
        };
        let diagnostic = self.error(at, message);
        diagnostic.help = help;
    }

    fn missing(&mut self, map: &Map<String, Value>, kind: K, at: &str, missing: &[&str]) {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        let found = describe(&Value::Object(map.clone()));
        let message = format!(
            "expected {} (it needs {}), found {found}",
            kind.name(),
            names.join(" and ")
        );
        let looks_like_schema = [
            "type",
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "enum",
            "format",
        ]
        .iter()
        .any(|k| map.contains_key(*k));
        let help = match kind {
            K::Parameter | K::Header if looks_like_schema => Some(
                "this looks like a schema; a parameter carries its schema under `schema`: `{name: id, in: path, required: true, schema: {type: string}}`".to_string(),
            ),
            K::Response if looks_like_schema => Some(
                "this looks like a schema; a response carries it under `content`: `{description: ..., content: {application/json: {schema: ...}}}`".to_string(),
            ),
            K::RequestBody if looks_like_schema => Some(
                "this looks like a schema; a request body carries it under `content`: `{content: {application/json: {schema: ...}}}`".to_string(),
            ),
            K::Response if missing == ["description"] => {
                Some("OpenAPI 3.0 requires a `description` on every response".to_string())
            }
            K::Operation if missing == ["responses"] => {
                Some("every operation documents at least one response".to_string())
            }
            _ => None,
        };
        let diagnostic = self.error(at, message);
        diagnostic.help = help;
    }

    fn unknown_key(&mut self, kind: K, key: &str, at: &str) {
        let known: Vec<&str> = fields(kind).iter().map(|field| field.name).collect();
        let message = if kind == K::Schema && SCHEMA_31_KEYWORDS.contains(&key) {
            format!("`{key}` is an OpenAPI 3.1 (JSON Schema 2020-12) keyword; OpenAPI 3.0 ignores it here")
        } else if kind == K::Document && key == "webhooks" {
            "`webhooks` is an OpenAPI 3.1 keyword; OpenAPI 3.0 ignores it".to_string()
        } else if kind == K::Document && key == "definitions" {
            "`definitions` is Swagger 2.0; OpenAPI 3.0 ignores it (schemas go under `components/schemas`)".to_string()
        } else {
            format!("`{key}` is not a field of {}; it is ignored", kind.name())
        };
        let suggestion = closest(key, &known).map(|k| format!("did you mean `{k}`?"));
        let diagnostic = self.warn(&child(at, key), message);
        diagnostic.help = suggestion;
    }

    fn paths(&mut self, map: &Map<String, Value>, at: &str, depth: usize) {
        for (path, item) in map {
            let here = child(at, path);
            if path.starts_with("x-") {
                continue;
            }
            if !path.starts_with('/') {
                self.error(&here, format!("the path `{path}` does not start with `/`"))
                    .help = Some(format!("write `/{path}`; OpenAPI paths are relative to the server URL and begin with `/`"));
                continue;
            }
            self.node(item, K::PathItem, &here, depth + 1);
        }
    }

    fn responses(&mut self, map: &Map<String, Value>, at: &str, depth: usize) {
        for (status, response) in map {
            if status.starts_with("x-") {
                continue;
            }
            let here = child(at, status);
            if !is_status(status) {
                self.error(
                    &here,
                    format!("`{status}` is not a response status: expected `default`, a code from 100 to 599, or a range like `4XX`"),
                );
                continue;
            }
            self.node(response, K::Response, &here, depth + 1);
        }
    }

    fn parameter(&mut self, map: &Map<String, Value>, at: &str) {
        if let Some(Value::String(location)) = map.get("in") {
            if !["query", "header", "path", "cookie"].contains(&location.as_str()) {
                let suggestion = match location.as_str() {
                    "body" | "formData" => {
                        " (Swagger 2.0 `in: body`/`formData` became `requestBody` in OpenAPI 3.0)"
                    }
                    _ => "",
                };
                self.error(
                    &child(at, "in"),
                    format!("`in: {location}` is not a parameter location: expected `query`, `header`, `path` or `cookie`{suggestion}"),
                );
            }
            if location == "path" && map.get("required") != Some(&Value::Bool(true)) {
                self.warn(
                    at,
                    "a path parameter must say `required: true`; it is treated as required".into(),
                );
            }
        }
        self.schema_or_content(map, at, K::Parameter);
    }

    fn schema_or_content(&mut self, map: &Map<String, Value>, at: &str, kind: K) {
        match (map.contains_key("schema"), map.contains_key("content")) {
            (true, true) => {
                self.error(
                    at,
                    format!(
                        "{} has both `schema` and `content`; it must have exactly one",
                        kind.name()
                    ),
                );
            }
            (false, false) if kind == K::Parameter => {
                self.error(
                    at,
                    format!(
                        "{} needs a `schema` (or a `content`), found neither",
                        kind.name()
                    ),
                )
                .help = Some("for a plain string parameter write `schema: {type: string}`".into());
            }
            _ => {}
        }
    }

    fn schema_type(&mut self, map: &Map<String, Value>, at: &str) {
        let Some(Value::String(ty)) = map.get("type") else {
            return;
        };
        if SCHEMA_TYPES.contains(&ty.as_str()) {
            return;
        }
        let help = if ty == "null" {
            "OpenAPI 3.0 has no `null` type; use `nullable: true` on the schema that may be null"
                .to_string()
        } else if let Some(close) = closest(ty, SCHEMA_TYPES) {
            format!("did you mean `{close}`?")
        } else {
            format!("one of {}", SCHEMA_TYPES.join(", "))
        };
        self.error(
            &child(at, "type"),
            format!("`type: {ty}` is not a JSON Schema type"),
        )
        .help = Some(help);
    }
}

/// `default`, `100`..`599`, or `1XX`..`5XX`.
fn is_status(status: &str) -> bool {
    if status == "default" {
        return true;
    }
    let bytes = status.as_bytes();
    if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
        return false;
    }
    let digits = bytes[1..].iter().all(u8::is_ascii_digit);
    let range = bytes[1..].iter().all(|&b| b == b'X' || b == b'x');
    digits || range
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(doc: Value) -> Vec<String> {
        check(&doc, Path::new("openapi.yaml"))
            .errors
            .iter()
            .map(|d| format!("{} {}", d.pointer.as_deref().unwrap_or(""), d.message))
            .collect()
    }

    #[test]
    fn every_problem_is_reported_at_its_pointer() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t"},
            "paths": {
                "a": {},
                "/b": {"get": {"parameters": [{"type": "string"}], "responses": {"OK": {}}}},
                "/c": {"post": {"responses": {"200": {"description": 5}}}}
            }
        });
        let found = errors(doc);
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].starts_with("/info expected an Info object (it needs `version`)"));
        assert!(found[1].starts_with("/paths/a the path `a`"));
        assert!(found[2].starts_with(
            "/paths/~1b/get/parameters/0 expected a Parameter object (it needs `name` and `in`)"
        ));
        assert!(found[3].starts_with("/paths/~1b/get/responses/OK `OK` is not a response status"));
        assert!(found[4].starts_with(
            "/paths/~1c/post/responses/200/description `description` must be a string"
        ));
    }

    #[test]
    fn unknown_keys_are_warned_with_a_suggestion() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A": {"type": "object", "requried": ["a"], "const": 1}}}
        });
        let warnings = check(&doc, Path::new("openapi.yaml")).warnings;
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert_eq!(
            warnings[0].help.as_deref(),
            Some("did you mean `required`?")
        );
        assert!(warnings[1].message.contains("OpenAPI 3.1"));
    }

    #[test]
    fn statuses() {
        for ok in ["200", "default", "4XX", "599", "1xx"] {
            assert!(is_status(ok), "{ok}");
        }
        for bad in ["OK", "600", "20", "2000", "099", "2X0"] {
            assert!(!is_status(bad), "{bad}");
        }
    }
}
