//! Assembling the IR from the operations lowered one by one (see `operations`): operations in
//! method-name order, their error variants grouped into shared error types, routes, unions
//! settled, cycles boxed, then the crate's features and the fields PUT and PATCH bodies reach.

use openapiv3::OpenAPI;

use super::types::TypeSpace;
use super::{cycles, Api, ErrorVariant, Method, Operation};
use crate::repair::Repair;

/// The API of `openapi` from its lowered operations (each with its error variants), the type
/// space their schemas went into, and the repairs made while lowering.
pub(super) fn assemble(
    openapi: &OpenAPI,
    mut space: TypeSpace,
    mut operations: Vec<(Operation, Vec<ErrorVariant>)>,
    repairs: Vec<Repair>,
    sailpoint: bool,
) -> Api {
    operations.sort_by(|a, b| a.0.method_name.cmp(&b.0.method_name));
    let (error_types, shared_errors) = super::errors::name_error_types(&mut operations);
    let operations: Vec<Operation> = operations.into_iter().map(|(op, _)| op).collect();
    let (routes, unrouted) = super::routes::routes(&operations);
    space.warnings.extend(unrouted);
    let (mut types, warnings) = space.finish();
    super::unions::settle(&mut types);
    cycles::box_cycles(&mut types);

    let info = &openapi.info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        description: super::text(&info.description),
        base_url: base_url(openapi),
        types,
        operations,
        error_types,
        shared_errors,
        warnings,
        repairs,
        features: Default::default(),
        routes,
        sailpoint,
        auth: Default::default(),
    };
    api.features = super::features::features(&api);
    mark_tristate_fields(&mut api);
    api
}

fn base_url(openapi: &OpenAPI) -> String {
    let Some(server) = openapi.servers.first() else {
        return "http://localhost".into();
    };
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    url.trim_end_matches('/').to_string()
}

/// In the types that PUT and PATCH bodies reach, an optional, nullable property can be left
/// out (the server keeps its value) or sent as `null` (the server clears it): those fields
/// tell the two apart. Responses need no such distinction and keep a plain `Option`.
fn mark_tristate_fields(api: &mut Api) {
    let mut reached = std::collections::BTreeSet::new();
    for op in &api.operations {
        if matches!(op.method, Method::Put | Method::Patch) {
            if let Some(body) = &op.body {
                super::features::reach(&body.ty, api, &mut reached);
            }
        }
    }
    for name in reached {
        if let Some(super::TypeDef {
            kind: super::TypeKind::Struct(s),
            ..
        }) = api.types.get_mut(&name)
        {
            for field in &mut s.fields {
                field.tristate = !field.required && field.nullable;
            }
        }
    }
}
