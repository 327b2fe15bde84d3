//! The spec-version check of the root document: only OpenAPI 3.0.x is read, and anything else
//! (Swagger 2.0, OpenAPI 3.1, a number, no version at all) gets a diagnostic saying what to do.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::location::describe;
use crate::error::{Diagnostic, Diagnostics};

pub(super) fn check_version(file: &Path, document: &Value, diagnostics: &mut Diagnostics) {
    let Some(map) = document.as_object() else {
        diagnostics.push(
            Diagnostic::in_file(
                file,
                format!(
                    "expected an OpenAPI 3.0 document (a mapping with `openapi: 3.0.x`), found {}",
                    describe(document)
                ),
            )
            .with_help("is this the spec's root document, written in YAML or JSON?"),
        );
        return;
    };
    match (map.get("openapi"), map.get("swagger")) {
        (Some(Value::String(version)), _)
            if version.starts_with("3.0.") || version == "3.0" => {}
        (Some(Value::String(version)), _) if version.starts_with("3.1") => diagnostics.push(
            Diagnostic::at(
                file,
                "/openapi",
                format!("unsupported OpenAPI version {version}; this generator reads OpenAPI 3.0.x"),
            )
            .with_help("OpenAPI 3.1 is not supported yet; write the spec as 3.0 (`openapi: 3.0.3`: `nullable: true` instead of `type: [..., 'null']`, `example` instead of `examples` in schemas)"),
        ),
        (Some(Value::String(version)), _) => diagnostics.push(
            Diagnostic::at(
                file,
                "/openapi",
                format!("unsupported OpenAPI version {version}; this generator reads OpenAPI 3.0.x"),
            )
            .with_help("convert the document to OpenAPI 3.0 first"),
        ),
        (Some(Value::Number(n)), _) => diagnostics.push(
            Diagnostic::at(
                file,
                "/openapi",
                format!("the `openapi` version must be a string, found the number {n}"),
            )
            .with_help("quote it: `openapi: '3.0.3'` (YAML reads an unquoted 3.0 as a number)"),
        ),
        (Some(other), _) => diagnostics.push(Diagnostic::at(
            file,
            "/openapi",
            format!("the `openapi` version must be a string like `3.0.3`, found {}", describe(other)),
        )),
        (None, Some(_)) => diagnostics.push(
            Diagnostic::at(
                file,
                "/swagger",
                "Swagger 2.0 documents are not supported; this generator reads OpenAPI 3.0.x",
            )
            .with_help("convert the document to OpenAPI 3.0 first (e.g. with swagger2openapi)"),
        ),
        (None, None) => diagnostics.push(
            Diagnostic::at(
                file,
                "",
                format!(
                    "the root document has no `openapi` version field; expected `openapi: 3.0.x`, found {}",
                    describe(document)
                ),
            )
            .with_help("is this the spec's root document? Other files are found through its `$ref`s"),
        ),
    }
}
