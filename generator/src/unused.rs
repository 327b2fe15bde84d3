//! Parts of a spec the generator does not use (links, callbacks, examples maps, externalDocs,
//! xml; extensions are free-form already) never stop a run, however malformed: a `links` entry
//! without `operationId` says nothing about the client. [`crate::shape`] reports the problems it
//! finds inside them as warnings, not errors, and when `openapiv3`'s typed parse fails inside
//! one of them, the parse is run again on the document without them.

use serde_json::Value;

use crate::diagnostics::location::within;
use crate::error::Diagnostic;
use crate::openapi30::{Want, K};
use crate::shape::Findings;

/// The typed parse of `document`, given the result of a first, untracked attempt (`first`): when
/// it failed inside a part the generator does not use, the parts are taken out and the parse
/// runs again. Also gives the warnings about the parts that were ignored.
pub(crate) fn parse(
    document: &Value,
    first: Result<openapiv3::OpenAPI, serde_json::Error>,
    findings: &Findings,
    root: &std::path::Path,
) -> Result<(openapiv3::OpenAPI, Vec<Diagnostic>), serde_path_to_error::Error<serde_json::Error>> {
    let parts: Vec<&str> = findings
        .unused_parts
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    let mut warnings: Vec<Diagnostic> = findings
        .ignored
        .iter()
        .map(|d| ignored(d.clone(), &parts))
        .collect();
    if let Ok(openapi) = first {
        return Ok((openapi, warnings));
    }
    // Tracking the path costs a third of the parse; it is only needed to explain a failure.
    let failure = match serde_path_to_error::deserialize(document) {
        Ok(openapi) => return Ok((openapi, warnings)),
        Err(failure) => failure,
    };
    let pointer = crate::diagnostics::location::pointer_of(failure.path());
    if !parts.iter().any(|part| within(&pointer, part)) {
        return Err(failure);
    }
    let mut stripped = document.clone();
    for part in &parts {
        remove(&mut stripped, part);
    }
    let openapi = serde_path_to_error::deserialize(&stripped)?;
    check_parts(document, findings, root, &mut warnings);
    Ok((openapi, warnings))
}

/// The shape checks are looser than the parse in places (a link needs `operationId` or
/// `operationRef`): each unused part of `document` they found nothing wrong with is parsed on its
/// own, and the parse's complaint, if any, is a warning. Only worth doing once the parts have
/// been taken out of the parse: otherwise the parse itself has accepted them.
pub(crate) fn check_parts(
    document: &Value,
    findings: &Findings,
    root: &std::path::Path,
    warnings: &mut Vec<Diagnostic>,
) {
    let parts: Vec<&str> = findings
        .unused_parts
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    for (part, want) in &findings.unused_parts {
        if warnings
            .iter()
            .any(|w| w.pointer.as_deref().is_some_and(|p| within(p, part)))
        {
            continue;
        }
        let Some(value) = document.pointer(part) else {
            continue;
        };
        if let Err(err) = parse_part(value, *want) {
            let at = format!(
                "{part}{}",
                crate::diagnostics::location::pointer_of(err.path())
            );
            let message = format!("this cannot be read as OpenAPI 3.0: {}", err.inner());
            warnings.push(ignored(Diagnostic::at(root, &at, message), &parts));
        }
    }
}

/// Parses one unused part as the type `openapiv3` reads it as (it skips `xml`).
fn parse_part(
    value: &Value,
    want: Want,
) -> Result<(), serde_path_to_error::Error<serde_json::Error>> {
    use indexmap::IndexMap;
    use openapiv3::ReferenceOr;
    match want {
        Want::Obj(K::ExternalDocs) => {
            serde_path_to_error::deserialize::<_, openapiv3::ExternalDocumentation>(value).map(drop)
        }
        Want::MapOf(K::Example) => serde_path_to_error::deserialize::<
            _,
            IndexMap<String, ReferenceOr<openapiv3::Example>>,
        >(value)
        .map(drop),
        Want::MapOf(K::Link) => serde_path_to_error::deserialize::<
            _,
            IndexMap<String, ReferenceOr<openapiv3::Link>>,
        >(value)
        .map(drop),
        Want::MapOf(K::Callback) => {
            serde_path_to_error::deserialize::<_, IndexMap<String, openapiv3::Callback>>(value)
                .map(drop)
        }
        _ => Ok(()),
    }
}

/// A problem inside an unused part, as the warning that says it is ignored and why.
fn ignored<P: AsRef<str>>(mut diagnostic: Diagnostic, parts: &[P]) -> Diagnostic {
    let at = diagnostic.pointer.clone().unwrap_or_default();
    let key = parts
        .iter()
        .map(AsRef::as_ref)
        .find(|part| within(&at, part))
        .and_then(|part| part.rsplit('/').next())
        .unwrap_or("this part");
    diagnostic.message = format!(
        "{}; ignored: the generator does not use `{key}`",
        diagnostic.message
    );
    diagnostic
}

/// Removes the member at `pointer` (always an object's key: unused parts are fields).
pub(crate) fn remove(document: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(map)) = document.pointer_mut(parent) {
        map.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_within_parts() {
        assert!(within("/a/links", "/a/links"));
        assert!(within("/a/links/x", "/a/links"));
        assert!(!within("/a/linksx", "/a/links"));
        assert!(!within("/a", "/a/links"));
    }

    #[test]
    fn removing_a_part_keeps_the_rest() {
        let mut doc = json!({"paths": {"/a/b": {"get": {"links": {}, "x": 1}}}});
        remove(&mut doc, "/paths/~1a~1b/get/links");
        assert_eq!(doc, json!({"paths": {"/a/b": {"get": {"x": 1}}}}));
    }
}
