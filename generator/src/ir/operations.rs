//! Operations -> IR: parameters (path-level merged with the operation's own), the request body,
//! the success type and the typed error enum, one variant per documented error status.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Response, SchemaKind, StatusCode,
    Type,
};

use super::media::{self, MediaKind};
use super::path_params;
use super::path_template;
use super::types::TypeSpace;
use super::{
    Api, ErrorVariant, Method, Operation, Param, ParamLocation, RequestBody, StatusMatch, Success,
    TypeRef,
};
use crate::error::Error;
use crate::naming::{self, pascal, snake, Scope, BUILDER_RESERVED, CLIENT_METHODS};
use crate::repair::{Fix, Repair};

/// Lowers a bundled document (every `$ref` internal, see `resolve`) to the IR: each operation
/// is lowered on its own ([`Lowering::operation`]), then the whole is assembled ([`assemble`]).
/// `sailpoint`: the spec is SailPoint's (see [`super::vendor`]), so `x-sailpoint-experimental`
/// marks operations the client must opt into; elsewhere it means nothing. Security schemes are
/// lowered apart ([`super::security::lower`]), since their warnings are located.
pub fn lower_api(
    openapi: &OpenAPI,
    origins: &BTreeMap<String, String>,
    root: &std::path::Path,
    sailpoint: bool,
) -> Result<Api, Error> {
    let empty = IndexMap::new();
    let components = openapi
        .components
        .as_ref()
        .map(|c| &c.schemas)
        .unwrap_or(&empty);
    let mut lowering = Lowering {
        space: TypeSpace::new(components, origins),
        // Client's own methods are taken; an operation named like one gets a number.
        method_names: Scope::with_reserved(CLIENT_METHODS),
        builder_names: Scope::with_reserved(naming::RESERVED_TYPE_NAMES),
        ids: BTreeMap::new(),
        repairs: Vec::new(),
        root,
        sailpoint,
    };
    let mut operations = Vec::new();
    for (path, item) in openapi.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        }; // inlined by the resolver
        let segments = match path_template::parse(path) {
            Ok(segments) => segments,
            Err(why) => {
                let methods = item.iter().map(|(method, _)| method);
                lowering
                    .repairs
                    .extend(path_params::left_out(root, path, methods, &why));
                continue;
            }
        };
        for (method, op) in item.iter() {
            operations.push(lowering.operation(path, item, &segments, method, op));
        }
    }
    Ok(super::assemble::assemble(
        openapi,
        lowering.space,
        operations,
        lowering.repairs,
        sailpoint,
    ))
}

/// What lowering the operations one by one shares: the type space their schemas go into, the
/// names taken so far, and the repairs made.
struct Lowering<'a> {
    space: TypeSpace<'a>,
    method_names: Scope,
    builder_names: Scope,
    /// Each operationId taken, and the pointer of the operation that took it.
    ids: BTreeMap<String, String>,
    repairs: Vec<Repair>,
    root: &'a std::path::Path,
    /// The spec is SailPoint's: its experimental marker means something.
    sailpoint: bool,
}

impl Lowering<'_> {
    /// One operation, with its error variants (grouped into error types at assembly).
    fn operation(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        segments: &[path_template::Segment],
        method: &str,
        op: &openapiv3::Operation,
    ) -> (Operation, Vec<ErrorVariant>) {
        let pointer = format!(
            "/paths/{}/{method}",
            crate::diagnostics::location::escape_pointer(path)
        );
        let (id, method_name, builder_name) = self.names(path, method, op, &pointer);
        let mut params = self.params(path, item, op, segments, &pointer, &builder_name);
        let body = match &op.request_body {
            Some(ReferenceOr::Item(body)) => request_body(&mut self.space, body, &builder_name),
            _ => None,
        };

        let (success, errors) = self.responses(op, &id, &builder_name);
        let experimental = self.sailpoint
            && op
                .extensions
                .get("x-sailpoint-experimental")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
        // An experimental operation's own header parameter is sent by the client itself.
        params
            .retain(|p| !(experimental && p.wire.eq_ignore_ascii_case("X-SailPoint-Experimental")));
        let pagination = super::collection::pagination(
            &params,
            success.ty.as_ref().filter(|_| success.bodiless.is_empty()),
        );
        let (filter_fields, sort_fields) = super::collection::documented_fields(&params);
        (
            Operation {
                id,
                method_name,
                builder_name,
                method: method_of(method),
                path: path.to_string(),
                segments: segments.to_vec(),
                summary: super::text(&op.summary),
                description: super::text(&op.description),
                deprecated: op.deprecated,
                tag: op.tags.first().cloned().unwrap_or_else(|| "default".into()),
                params,
                body,
                success,
                error_type: None,
                experimental,
                pagination,
                filter_fields,
                sort_fields,
            },
            errors,
        )
    }

    /// The operation's id (its operationId, unless taken: then one derived from its method and
    /// path, with a repair), method name and builder name.
    fn names(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> (String, String, String) {
        let mut id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| derived_id(method, path));
        if let Some(previous) = self.ids.get(&id) {
            // The operation is all there; only its name is taken. It is named after its
            // method and path instead, as if it had no operationId.
            let derived = derived_id(method, path);
            let unique = (1..)
                .map(|n| match n {
                    1 => derived.clone(),
                    n => format!("{derived} {n}"),
                })
                .find(|candidate| !self.ids.contains_key(candidate))
                .unwrap_or(derived);
            self.repairs.push(
                Repair::operation(
                    Fix::Repaired,
                    self.root,
                    pointer,
                    &match op.operation_id {
                        Some(_) => format!("{pointer}/operationId"),
                        None => pointer.to_string(),
                    },
                    format!(
                        "operationId `{id}` is used twice (also at {previous}): this operation is named `{}` after its method and path",
                        snake(&unique)
                    ),
                )
                .with_help("every operationId must be unique"),
            );
            id = unique;
        }
        self.ids.insert(id.clone(), pointer.to_string());
        let method_name = self.method_names.claim(snake(&id));
        let builder_name = self.builder_names.claim(pascal(&id));
        (id, method_name, builder_name)
    }

    /// The operation's parameters: the path item's merged with its own (which override them),
    /// matched with the path template (see `path_params`), path parameters first.
    fn params(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        op: &openapiv3::Operation,
        segments: &[path_template::Segment],
        pointer: &str,
        builder_name: &str,
    ) -> Vec<Param> {
        let template = path_template::names(segments);
        let mut params: Vec<Param> = Vec::new();
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);
        // Operation-level parameters override path-level ones with the same name and location.
        let mut merged: IndexMap<(String, &'static str), &Parameter> = IndexMap::new();
        let mut param_pointers: BTreeMap<(String, &'static str), String> = BTreeMap::new();
        let path_pointer = format!(
            "/paths/{}",
            crate::diagnostics::location::escape_pointer(path)
        );
        let declared = (item.parameters.iter().enumerate())
            .map(|(i, p)| (format!("{path_pointer}/parameters/{i}"), p))
            .chain(
                (op.parameters.iter().enumerate())
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        for (at, p) in declared {
            let ReferenceOr::Item(p) = p else { continue };
            if is_ignored_header(p) {
                continue;
            }
            let key = (p.parameter_data_ref().name.clone(), location_key(p));
            param_pointers.insert(key.clone(), at);
            merged.insert(key, p);
        }
        for p in merged.values() {
            let location = match p {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            let data = p.parameter_data_ref();
            let hint = naming::part_of(builder_name, &data.name);
            // For the docs' examples: the parameter's own, else its inline schema's.
            let schema_example = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                    s.schema_data.example.clone()
                }
                _ => None,
            };
            let example = data.example.clone().or(schema_example);
            let (ty, default, minimum, maximum) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let ty = self.space.lower(schema, &hint).ty;
                    let (default, minimum, maximum) = match schema {
                        ReferenceOr::Item(s) => {
                            let (min, max) = match &s.schema_kind {
                                SchemaKind::Type(Type::Integer(i)) => (i.minimum, i.maximum),
                                _ => (None, None),
                            };
                            (s.schema_data.default.clone(), min, max)
                        }
                        ReferenceOr::Reference { .. } => (None, None, None),
                    };
                    (ty, default, minimum, maximum)
                }
                ParameterSchemaOrContent::Content(_) => (TypeRef::String, None, None, None),
            };
            // A parameter named like the builder's own members gets a telling suffix.
            let mut name = snake(&data.name);
            if BUILDER_RESERVED.contains(&name.as_str()) {
                name = format!("{name}_param");
            }
            params.push(Param {
                name: scope.claim(name),
                wire: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: super::text(&data.description),
                default,
                minimum,
                maximum,
                deprecated: data.deprecated.unwrap_or(false),
                example,
            });
        }
        let param_pointer = |p: &Param| {
            param_pointers
                .get(&(p.wire.clone(), "path"))
                .cloned()
                .unwrap_or_else(|| pointer.to_string())
        };
        let at = path_params::At {
            root: self.root,
            operation: pointer,
            param_pointer: &param_pointer,
        };
        path_params::match_path_parameters(
            path,
            &template,
            &mut params,
            &mut scope,
            &at,
            &mut self.repairs,
        );
        // Path parameters first, in the order the template names them.
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => (0, template.iter().position(|n| *n == p.wire).unwrap_or(0)),
            _ => (1, 0),
        });
        params
    }

    /// The success (its statuses, type, headers and `Accept`) and the error variants.
    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        id: &str,
        builder_name: &str,
    ) -> (Success, Vec<ErrorVariant>) {
        let mut success = Success::default();
        let mut errors = Vec::new();
        // The media types of the success and of the other responses, for `Accept`.
        let mut success_content = Vec::new();
        let mut other_content = Vec::new();
        let responses = op
            .responses
            .responses
            .iter()
            .map(|(status, response)| (status_match(status), response))
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| (StatusMatch::Default, r)),
            );
        for (status, response) in responses {
            let ReferenceOr::Item(response) = response else {
                continue;
            };
            let is_success = matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2));
            if is_success {
                let code = match status {
                    StatusMatch::Code(code) => code,
                    _ => 200,
                };
                success.statuses.push(code);
                if success.doc.is_none() {
                    success.doc = super::required_text(&response.description);
                }
                for name in response.headers.keys() {
                    success
                        .headers
                        .push((name.clone(), header_doc(response, name)));
                }
                success_content.push(&response.content);
                let ty = response_type(
                    &mut self.space,
                    response,
                    &naming::response_of(builder_name),
                );
                if ty.is_none() {
                    success.bodiless.push(code);
                }
                if let Some((ty, kind)) = ty {
                    match &success.ty {
                        None => {
                            success.ty = Some(ty);
                            success.kind = kind;
                        }
                        Some(existing) if *existing == ty && success.kind == kind => {}
                        Some(_) => {
                            self.space.warnings.push(format!("{id}: success statuses carry different types; the body is typed as JSON"));
                            success.ty = Some(TypeRef::Json);
                            success.kind = MediaKind::Json;
                        }
                    }
                }
            } else {
                other_content.push(&response.content);
                let variant = status_variant(status);
                let ty = response_type(
                    &mut self.space,
                    response,
                    &format!("{builder_name}{variant}"),
                )
                .map(|(ty, _)| ty);
                errors.push(ErrorVariant {
                    name: variant,
                    status,
                    ty,
                    doc: super::required_text(&response.description),
                });
            }
        }
        errors.sort_by_key(|e| e.status);
        if success.ty.is_none() {
            success.bodiless.clear();
        }
        success.accept = match success.ty {
            Some(_) => media::accept(&success_content, success.kind),
            None => media::accept(&other_content, MediaKind::Json),
        };
        (success, errors)
    }
}

/// The body type of a response (the schema's type for JSON, `String` for text, bytes
/// otherwise) and how it is decoded.
fn response_type(
    space: &mut TypeSpace,
    response: &Response,
    hint: &str,
) -> Option<(TypeRef, MediaKind)> {
    let (_, media, kind) = media::pick(&response.content)?;
    let ty = match (kind, &media.schema) {
        (MediaKind::Text, _) => TypeRef::String,
        (MediaKind::Binary, _) => TypeRef::Bytes,
        (_, Some(schema)) => space.lower(schema, hint).ty,
        (_, None) => TypeRef::Json,
    };
    Some((ty, kind))
}

/// A request body: JSON, form and multipart bodies have the schema's type (form and multipart
/// ones must be objects), text is a string, anything else bytes.
fn request_body(
    space: &mut TypeSpace,
    body: &openapiv3::RequestBody,
    builder_name: &str,
) -> Option<RequestBody> {
    let (content_type, media, kind) = media::pick(&body.content)?;
    let ty = match (kind, &media.schema) {
        (MediaKind::Text, _) => TypeRef::String,
        (MediaKind::Binary, _) => TypeRef::Bytes,
        (_, Some(schema)) => space.lower(schema, &naming::request_of(builder_name)).ty,
        (_, None) => TypeRef::Json,
    };
    let schema_example = match &media.schema {
        Some(ReferenceOr::Item(s)) => s.schema_data.example.clone(),
        _ => None,
    };
    Some(RequestBody {
        content_type: content_type.to_string(),
        kind,
        ty,
        required: body.required,
        doc: super::text(&body.description),
        example: media.example.clone().or(schema_example),
    })
}

fn header_doc(response: &Response, name: &str) -> Option<String> {
    match response.headers.get(name)? {
        ReferenceOr::Item(header) => super::text(&header.description),
        ReferenceOr::Reference { .. } => None,
    }
}

/// The JSON media type of a content map: `application/json`, then any `+json` type.
fn status_match(status: &StatusCode) -> StatusMatch {
    match status {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(class) => StatusMatch::Range(*class),
    }
}

/// The variant name of an error status: its reason phrase (`404` -> `NotFound`).
fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Default => "Other".to_string(),
        StatusMatch::Range(class) => format!("Status{class}xx"),
        StatusMatch::Code(code) => match crate::naming::status_reason(code) {
            Some(reason) => reason.to_string(),
            None => format!("Status{code}"),
        },
    }
}

/// Header parameters that OpenAPI 3.0 says to ignore: the client sets these headers itself
/// (`Accept` from the responses' media types, `Content-Type` from the body's, `Authorization`
/// from its credentials), so an argument for them would only send the header twice.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

fn is_ignored_header(p: &Parameter) -> bool {
    matches!(p, Parameter::Header { .. })
        && IGNORED_HEADERS
            .iter()
            .any(|h| p.parameter_data_ref().name.eq_ignore_ascii_case(h))
}

fn location_key(p: &Parameter) -> &'static str {
    match p {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn method_of(method: &str) -> Method {
    match method {
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => Method::Get,
    }
}

/// An id for an operation without `operationId`: method and path (`get /items/{id}` -> `get_items_by_id`).
fn derived_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_string()),
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_and_templates() {
        assert_eq!(
            snake(&derived_id("get", "/items/{itemId}/parts")),
            "get_items_by_item_id_parts"
        );
        let template = path_template::parse("/a/{id}/b/{scriptName}").unwrap();
        assert_eq!(path_template::names(&template), ["id", "scriptName"]);
    }

    #[test]
    fn status_names() {
        assert_eq!(status_variant(StatusMatch::Code(404)), "NotFound");
        assert_eq!(status_variant(StatusMatch::Code(418)), "Status418");
        assert_eq!(status_variant(StatusMatch::Range(4)), "Status4xx");
        assert_eq!(status_variant(StatusMatch::Default), "Other");
    }
}
