//! The path template's `{names}` against the declared path parameters. SailPoint's published
//! specs disagree with themselves here for months at a time (`/revocable-objects` declaring an
//! `identityId` path parameter, `/data-segments/{segmentId}` declaring none); every such
//! disagreement has one evident meaning, so it is repaired, never refused:
//!
//! 1. The same number of names and parameters are unmatched (`filterId` declared for
//!    `/campaign-filters/{id}`): they are matched by position; each parameter keeps its Rust
//!    name and is sent as the template's name.
//! 2. Otherwise a template name no parameter declares becomes a required string path parameter
//!    (the template needs a value, and a string is what a URL segment is), and
//! 3. a declared path parameter the template does not contain is ignored (there is nowhere to
//!    send it).

use std::path::Path;

use super::{Param, ParamLocation, TypeRef};
use crate::error::Diagnostic;
use crate::naming::{snake, Scope};
use crate::repair::{Fix, Repair, Unit};

/// Where the operation is, for the repairs' messages.
pub struct At<'a> {
    /// The spec's root file.
    pub root: &'a Path,
    /// The operation's pointer in the bundle.
    pub operation: &'a str,
    /// Each declared parameter's pointer in the bundle, by wire name and location.
    pub param_pointer: &'a dyn Fn(&Param) -> String,
}

/// Makes `params` agree with `path`'s template, whose parameter names are `template` (each
/// once, in order), recording each repair.
pub fn match_path_parameters(
    path: &str,
    template: &[String],
    params: &mut Vec<Param>,
    scope: &mut Scope,
    at: &At,
    repairs: &mut Vec<Repair>,
) {
    let declared = |name: &str, params: &[Param]| {
        params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire == name)
    };
    let unmatched_names: Vec<String> = template
        .iter()
        .filter(|n| !declared(n, params))
        .cloned()
        .collect();
    let unmatched_params: Vec<usize> = params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Path && !template.contains(&p.wire))
        .map(|(i, _)| i)
        .collect();
    if unmatched_names.is_empty() && unmatched_params.is_empty() {
        return;
    }
    if unmatched_names.len() == unmatched_params.len() {
        for (name, &index) in unmatched_names.iter().zip(&unmatched_params) {
            let param = &params[index];
            repairs.push(
                Repair::operation(
                    Fix::Repaired,
                    at.root,
                    at.operation,
                    &(at.param_pointer)(param),
                    format!(
                        "path parameter `{}` is sent as `{{{name}}}`: the path `{path}` has no `{{{}}}`, and no parameter declares its `{{{name}}}` (matched by position)",
                        param.wire, param.wire
                    ),
                )
                .with_help(format!("rename the parameter to `{name}`, or the template's `{{{name}}}` to `{{{}}}`", param.wire)),
            );
            params[index].wire = name.clone();
        }
        return;
    }
    for &index in unmatched_params.iter().rev() {
        let param = params.remove(index);
        repairs.push(
            Repair::operation(
                Fix::Repaired,
                at.root,
                at.operation,
                &(at.param_pointer)(&param),
                format!(
                    "path parameter `{}` is ignored: the path `{path}` has no `{{{}}}` to send it in",
                    param.wire, param.wire
                ),
            )
            .with_help(format!(
                "remove the parameter, or add `{{{}}}` to the path",
                param.wire
            )),
        );
    }
    for name in unmatched_names {
        let rust_name = scope.claim(snake(&name));
        repairs.push(
            Repair::operation(
                Fix::Repaired,
                at.root,
                at.operation,
                at.operation,
                format!(
                    "the path `{path}` has `{{{name}}}` but the operation declares no path parameter `{name}`: it becomes a required string parameter `{rust_name}`"
                ),
            )
            .with_help(format!("declare `{name}` among the operation's parameters with `in: path`")),
        );
        params.push(Param {
            name: rust_name,
            wire: name.clone(),
            location: ParamLocation::Path,
            ty: TypeRef::String,
            required: true,
            doc: Some(format!(
                "The path's `{{{name}}}`, which the spec does not declare as a parameter."
            )),
            default: None,
            minimum: None,
            maximum: None,
            deprecated: false,
            example: None,
        });
    }
}

/// The operations (`methods`) of the path item at `path`, left out because the template cannot
/// be sent as written (`why`, from [`super::path_template::parse`]).
pub fn left_out<'a>(
    root: &Path,
    path: &str,
    methods: impl Iterator<Item = &'a str>,
    why: &str,
) -> Vec<Repair> {
    let at = format!(
        "/paths/{}",
        crate::diagnostics::location::escape_pointer(path)
    );
    methods
        .map(|method| {
            let unit = Unit::Operation(format!("{at}/{method}"));
            let error = Diagnostic::at(root, &at, why).with_help(
                "write the path as OpenAPI 3.0 templates it: literal text and `{name}` parameters, each within one segment",
            );
            crate::leave_out::leave_out(unit, error)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, location: ParamLocation) -> Param {
        Param::for_test(name, location, TypeRef::I64)
    }

    fn run(path: &str, mut params: Vec<Param>) -> (Vec<(String, TypeRef)>, Vec<String>) {
        let mut repairs = Vec::new();
        let pointer = |p: &Param| format!("/p/{}", p.wire);
        let at = At {
            root: Path::new("openapi.yaml"),
            operation: "/paths/x/get",
            param_pointer: &pointer,
        };
        let mut scope = Scope::default();
        for p in &params {
            scope.claim(p.name.clone());
        }
        let template = crate::ir::path_template::parse(path).unwrap();
        let template = crate::ir::path_template::names(&template);
        match_path_parameters(path, &template, &mut params, &mut scope, &at, &mut repairs);
        (
            params.into_iter().map(|p| (p.wire, p.ty)).collect(),
            repairs
                .into_iter()
                .map(|r| r.diagnostic.pointer.unwrap())
                .collect(),
        )
    }

    #[test]
    fn agreeing_parameters_are_left_alone() {
        let (params, repairs) = run("/a/{id}", vec![param("id", ParamLocation::Path)]);
        assert_eq!(params, [("id".into(), TypeRef::I64)]);
        assert!(repairs.is_empty());
    }

    #[test]
    fn one_for_one_mismatches_match_by_position() {
        let (params, repairs) = run("/a/{id}", vec![param("filterId", ParamLocation::Path)]);
        assert_eq!(params, [("id".into(), TypeRef::I64)]);
        assert_eq!(repairs, ["/p/filterId"]);
    }

    #[test]
    fn undeclared_template_names_become_string_parameters() {
        let (params, repairs) = run(
            "/a/{id}/b/{bId}",
            vec![
                param("id", ParamLocation::Path),
                param("bId", ParamLocation::Query),
            ],
        );
        assert_eq!(
            params,
            [
                ("id".into(), TypeRef::I64),
                ("bId".into(), TypeRef::I64),
                ("bId".into(), TypeRef::String)
            ]
        );
        assert_eq!(repairs, ["/paths/x/get"]);
    }

    #[test]
    fn parameters_not_in_the_template_are_ignored() {
        let (params, repairs) = run(
            "/a",
            vec![
                param("identityId", ParamLocation::Path),
                param("entitlementId", ParamLocation::Path),
                param("limit", ParamLocation::Query),
            ],
        );
        assert_eq!(params, [("limit".into(), TypeRef::I64)]);
        assert_eq!(repairs, ["/p/entitlementId", "/p/identityId"]);
    }
}
