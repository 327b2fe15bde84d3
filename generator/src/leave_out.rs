//! The smallest unit fails, not the spec: a shape error (or a failure of the typed parse) inside
//! one operation, one path item or one component schema leaves out that unit, with a warning
//! that says where and why, instead of stopping the run. What refers to a left-out schema
//! still compiles: the schema's name stays, for free-form JSON (`serde_json::Value`).
//! Problems anywhere else (the document's
//! `info`, its `servers`, its security schemes) still stop the run.

use std::path::Path;

use serde_json::Value;

use crate::error::Diagnostic;
use crate::openapi30::METHODS;
use crate::repair::{Fix, Repair, Unit};
use crate::shape::Findings;

/// The typed document, with what was ignored and left out to get it.
pub(crate) struct Parsed {
    /// The document without the units left out.
    pub openapi: openapiv3::OpenAPI,
    /// Problems in parts the generator does not use (see [`crate::unused`]).
    pub ignored: Vec<Diagnostic>,
    /// The units left out, at pointers into the bundle.
    pub left_out: Vec<Repair>,
}

/// How many units a failing typed parse may leave out, one per attempt, before it is an error.
const MAX_PARSE_ATTEMPTS: usize = 64;

/// The typed parse of `document` after the shape checks (`findings`): the units their errors
/// are in are left out (with `strict`, every shape error is an error), and so is each unit the
/// parse then fails in. The parse only sees a document without shape errors: unused parts with
/// errors are taken out first too (a parse that fails in nested schemas can take exponential
/// time; see `generate_here`).
pub(crate) fn parse(
    document: &Value,
    findings: &Findings,
    root: &Path,
    strict: bool,
) -> Result<Parsed, Vec<Diagnostic>> {
    let (still, mut left_out) = split(&findings.errors, document);
    if !still.is_empty() || (strict && !left_out.is_empty()) {
        return Err(findings.errors.clone());
    }
    let mut stripped: Option<Value> = None;
    if !left_out.is_empty() || !findings.ignored.is_empty() {
        let mut copy = document.clone();
        for (at, _) in &left_out {
            remove(&mut copy, at);
        }
        if !findings.ignored.is_empty() {
            for (part, _) in &findings.unused_parts {
                crate::unused::remove(&mut copy, part);
            }
        }
        stripped = Some(copy);
    }
    let mut first = serde::Deserialize::deserialize(stripped.as_ref().unwrap_or(document));
    for _ in 0..MAX_PARSE_ATTEMPTS {
        let current = stripped.as_ref().unwrap_or(document);
        let err = match crate::unused::parse(current, first, findings, root) {
            Ok((openapi, mut ignored)) => {
                if !findings.ignored.is_empty() {
                    // The parts were taken out before the parse: look at the rest of them here.
                    crate::unused::check_parts(document, findings, root, &mut ignored);
                }
                return Ok(Parsed {
                    openapi,
                    ignored,
                    left_out: left_out.into_iter().map(|(_, r)| r).collect(),
                });
            }
            Err(err) => err,
        };
        let pointer = crate::diagnostics::location::pointer_of(err.path());
        let unit = unit_at(&pointer, current).filter(|_| !strict);
        let Some((at, units)) = unit else {
            let message = format!(
                "the document (with its references resolved) is not valid OpenAPI 3.0: {}",
                err.inner()
            );
            return Err(vec![Diagnostic::at(root, &pointer, message)]);
        };
        let message = format!("this cannot be read as OpenAPI 3.0: {}", err.inner());
        for unit in units {
            let error = Diagnostic::at(root, &pointer, message.clone());
            left_out.push((at.clone(), leave_out(unit, error)));
        }
        let mut copy = current.clone();
        remove(&mut copy, &at);
        first = serde::Deserialize::deserialize(&copy);
        stripped = Some(copy);
    }
    Err(left_out.into_iter().map(|(_, r)| r.diagnostic).collect())
}

/// What a pointer into the bundle is inside: the pointer of the unit to take out, and the units
/// counted (one per operation of a path item). `None` when it is in no such unit.
pub(crate) fn unit_at(pointer: &str, document: &Value) -> Option<(String, Vec<Unit>)> {
    let segments: Vec<&str> = pointer.split('/').collect();
    match segments.as_slice() {
        ["", "components", "schemas", name, ..] => {
            let at = format!("/components/schemas/{name}");
            let unit = Unit::of(&at);
            Some((at, vec![unit]))
        }
        ["", "paths", path, method, ..] if METHODS.contains(method) => {
            let at = format!("/paths/{path}/{method}");
            Some((at.clone(), vec![Unit::Operation(at)]))
        }
        ["", "paths", path, ..] => {
            let at = format!("/paths/{path}");
            let operations: Vec<Unit> = match document.pointer(&at) {
                Some(Value::Object(item)) => METHODS
                    .iter()
                    .filter(|m| item.contains_key(**m))
                    .map(|m| Unit::Operation(format!("{at}/{m}")))
                    .collect(),
                _ => Vec::new(),
            };
            let units = if operations.is_empty() {
                vec![Unit::Operation(at.clone())]
            } else {
                operations
            };
            Some((at, units))
        }
        _ => None,
    }
}

/// The shape errors that stop a run: what [`parse`] refuses, without parsing.
pub(crate) fn refusals(document: &Value, findings: &Findings, strict: bool) -> Vec<Diagnostic> {
    let (still, left_out) = split(&findings.errors, document);
    if !still.is_empty() || (strict && !left_out.is_empty()) {
        findings.errors.clone()
    } else {
        Vec::new()
    }
}

/// The errors of a phase, split: those inside a unit become its leave-outs (with the pointer of
/// the unit to take out of the document), the rest stay errors.
pub(crate) fn split(
    errors: &[Diagnostic],
    document: &Value,
) -> (Vec<Diagnostic>, Vec<(String, Repair)>) {
    let mut still = Vec::new();
    let mut left_out = Vec::new();
    for error in errors {
        let pointer = error.pointer.as_deref().unwrap_or_default();
        match unit_at(pointer, document) {
            Some((at, units)) => {
                for unit in units {
                    left_out.push((at.clone(), leave_out(unit, error.clone())));
                }
            }
            None => still.push(error.clone()),
        }
    }
    (still, left_out)
}

/// The repair that says `unit` is left out because of `error`.
pub(crate) fn leave_out(unit: Unit, mut error: Diagnostic) -> Repair {
    let what = match &unit {
        Unit::Schema(name) => {
            format!("schema `{name}` (its name stays, for any JSON value)")
        }
        Unit::Operation(at) | Unit::Other(at) => {
            let (path, method) = at
                .strip_prefix("/paths/")
                .and_then(|rest| rest.rsplit_once('/'))
                .unwrap_or((at, ""));
            let path = path.replace("~1", "/").replace("~0", "~");
            format!("operation `{} {path}`", method.to_ascii_uppercase())
        }
    };
    error.message = format!("{what}: {}", error.message);
    Repair {
        fix: Fix::LeftOut,
        unit,
        diagnostic: error,
    }
}

/// Takes the unit at `pointer` out of the document. A component schema stays, as a schema of
/// any value, so that what refers to it still has a type (free-form JSON).
pub(crate) fn remove(document: &mut Value, pointer: &str) {
    if pointer.starts_with("/components/schemas/") {
        if let Some(schema) = document.pointer_mut(pointer) {
            *schema = serde_json::json!({
                "description": "Any JSON value: the spec's schema cannot be understood (see the generator's warning)."
            });
        }
        return;
    }
    crate::unused::remove(document, pointer);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn units_of_pointers() {
        let doc = json!({"paths": {"/a": {"get": {}, "post": {}, "parameters": []}}});
        let (at, units) = unit_at("/paths/~1a/get/responses/200", &doc).unwrap();
        assert_eq!(at, "/paths/~1a/get");
        assert_eq!(units, [Unit::Operation("/paths/~1a/get".into())]);
        let (at, units) = unit_at("/paths/~1a/parameters/0", &doc).unwrap();
        assert_eq!(at, "/paths/~1a");
        assert_eq!(units.len(), 2);
        let (at, units) = unit_at("/components/schemas/A/properties/x", &doc).unwrap();
        assert_eq!(at, "/components/schemas/A");
        assert_eq!(units, [Unit::Schema("A".into())]);
        assert!(unit_at("/info", &doc).is_none());
        assert_eq!(unit_at("/paths/a", &doc).unwrap().0, "/paths/a");
    }
}
