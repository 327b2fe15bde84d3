//! How the generated server routes requests to operations. axum's router (matchit) captures
//! whole segments, and a parameter only as a segment's end (`/v{id}`, never `/{id}.json`), so a
//! segment with a parameter inside it is captured whole and taken apart by the operation's
//! template (`server/runtime.rs`, `dispatch`).
//!
//! Operations whose paths have the same shape (the same literal segments, captures at the same
//! places: `/files/{id}` and `/files/{name}.json`) share one route: for each method, their
//! templates are tried in turn, the most literal text first, and a segment no template fits is a
//! 404. A template with two parameters side by side (`{year}{month}`) cannot be taken apart: the
//! operation is not routed, with a warning (the client still sends it).

use std::collections::BTreeMap;

use super::path_template::{Piece, Segment};
use super::{Method, Operation};

/// One route of the server's router.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The route's path as axum reads it: literal segments as the client sends them, `{name}`
    /// for each captured segment.
    pub path: String,
    /// Each method's operations, in the order they are tried, sorted by method.
    pub methods: Vec<(Method, Vec<Candidate>)>,
}

/// An operation a route may lead to.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Its index in [`super::Api::operations`].
    pub operation: usize,
    /// The captured segments its template takes apart; none when every capture is one of its
    /// parameters by name.
    pub splits: Vec<Split>,
}

/// A captured segment and the template it must fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// The segment's index in the path (`/a/{b}`: 1).
    pub segment: usize,
    /// The capture's name in the route.
    pub capture: String,
    /// The operation's template of that segment.
    pub pieces: Vec<Piece>,
}

/// What a segment is to the router: literal text, or captured.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Literal(String),
    Capture,
}

fn shape(segment: &Segment) -> Shape {
    match segment.literal() {
        // axum refuses segments that start as its old captures did (`:id`, `*rest`), unless
        // every router the user nests this one in opts out: such a literal is captured and
        // compared instead.
        Some(text) if !text.starts_with([':', '*']) => Shape::Literal(text.to_string()),
        _ => Shape::Capture,
    }
}

/// The routes of `operations`, sorted by path, and a warning for each operation not routed.
pub fn routes(operations: &[Operation]) -> (Vec<Route>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut by_shape: BTreeMap<Vec<Shape>, Vec<usize>> = BTreeMap::new();
    for (index, op) in operations.iter().enumerate() {
        if op.segments.iter().any(Segment::has_adjacent_params) {
            warnings.push(format!(
                "{} {}: the generated server does not route this operation: its path has parameters side by side, and no router can tell where one ends and the next begins (the client sends it as the template says)",
                op.method.as_str(),
                op.path
            ));
            continue;
        }
        let key = op.segments.iter().map(shape).collect();
        by_shape.entry(key).or_default().push(index);
    }
    let mut routes: Vec<Route> = by_shape
        .into_iter()
        .map(|(key, members)| route(&key, &members, operations))
        .collect();
    routes.sort_by(|a, b| a.path.cmp(&b.path));
    (routes, warnings)
}

/// The route of operations of one shape.
fn route(key: &[Shape], members: &[usize], operations: &[Operation]) -> Route {
    let segments = |i: usize| &operations[i].segments;
    // A capture position keeps the parameter's name when every operation has that one
    // parameter there; any other is named after its position and taken apart.
    let taken: Vec<&str> = members
        .iter()
        .flat_map(|&i| &operations[i].params)
        .map(|p| p.wire.as_str())
        .collect();
    let mut path = String::new();
    let mut splits: Vec<Vec<Split>> = vec![Vec::new(); members.len()];
    for (position, shape) in key.iter().enumerate() {
        path.push('/');
        if let Shape::Literal(text) = shape {
            path.push_str(text);
            continue;
        }
        let first = segments(members[0])[position].whole_param();
        let shared = first.filter(|name| {
            members
                .iter()
                .all(|&i| segments(i)[position].whole_param() == Some(*name))
        });
        if let Some(name) = shared {
            path.push_str(&format!("{{{name}}}"));
            continue;
        }
        let mut capture = format!("segment{position}");
        while taken.contains(&capture.as_str()) {
            capture.insert(0, '_');
        }
        path.push_str(&format!("{{{capture}}}"));
        for (member, splits) in members.iter().zip(&mut splits) {
            splits.push(Split {
                segment: position,
                capture: capture.clone(),
                pieces: segments(*member)[position].0.clone(),
            });
        }
    }
    let mut methods: BTreeMap<Method, Vec<Candidate>> = BTreeMap::new();
    for (&operation, splits) in members.iter().zip(splits) {
        methods
            .entry(operations[operation].method)
            .or_default()
            .push(Candidate { operation, splits });
    }
    // The template with the most literal text first: `{name}.json` before `{id}`.
    for candidates in methods.values_mut() {
        candidates.sort_by_key(|c| {
            let literal: usize = (c.splits.iter().flat_map(|s| &s.pieces))
                .map(|piece| match piece {
                    Piece::Literal(text) => text.len(),
                    Piece::Param(_) => 0,
                })
                .sum();
            (
                std::cmp::Reverse(literal),
                operations[c.operation].path.clone(),
            )
        });
    }
    Route {
        path,
        methods: methods.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::path_template::parse;
    use crate::ir::{Param, ParamLocation, Success, TypeRef};

    fn op(method: Method, path: &str) -> Operation {
        let segments = parse(path).unwrap();
        let params = crate::ir::path_template::names(&segments)
            .iter()
            .map(|name| Param::for_test(name, ParamLocation::Path, TypeRef::String))
            .collect();
        Operation {
            id: path.into(),
            method_name: path.into(),
            builder_name: path.into(),
            method,
            path: path.into(),
            segments,
            summary: None,
            description: None,
            deprecated: false,
            tag: "default".into(),
            params,
            body: None,
            success: Success {
                statuses: vec![204],
                ..Success::default()
            },
            error_type: None,
            experimental: false,
            pagination: None,
            filter_fields: Vec::new(),
            sort_fields: Vec::new(),
        }
    }

    /// Each route's path, and per method the candidates as (operation, fitted segments).
    fn summary(operations: &[Operation]) -> Vec<String> {
        let (routes, _) = routes(operations);
        routes
            .iter()
            .flat_map(|route| {
                route.methods.iter().map(move |(method, candidates)| {
                    let tried: Vec<String> = candidates
                        .iter()
                        .map(|c| {
                            let splits: Vec<String> =
                                c.splits.iter().map(|s| s.capture.clone()).collect();
                            format!("{}{:?}", operations[c.operation].path, splits)
                        })
                        .collect();
                    format!("{} {}: {}", method.as_str(), route.path, tried.join(" | "))
                })
            })
            .collect()
    }

    #[test]
    fn whole_segment_parameters_keep_their_names() {
        let ops = [
            op(Method::Get, "/items/{id}"),
            op(Method::Delete, "/items/{id}"),
            op(Method::Get, "/items/{id}/parts/{partId}"),
        ];
        assert_eq!(
            summary(&ops),
            [
                "GET /items/{id}: /items/{id}[]",
                "DELETE /items/{id}: /items/{id}[]",
                "GET /items/{id}/parts/{partId}: /items/{id}/parts/{partId}[]",
            ]
        );
    }

    #[test]
    fn operations_of_one_shape_share_a_route_most_literal_text_first() {
        let ops = [
            op(Method::Get, "/files/{id}"),
            op(Method::Get, "/files/{name}.json"),
            op(Method::Get, "/files/{name}.{ext}"),
            op(Method::Put, "/files/v{version}"),
        ];
        assert_eq!(
            summary(&ops),
            [
                "GET /files/{segment1}: /files/{name}.json[\"segment1\"] | /files/{name}.{ext}[\"segment1\"] | /files/{id}[\"segment1\"]",
                "PUT /files/{segment1}: /files/v{version}[\"segment1\"]",
            ]
        );
    }

    #[test]
    fn literal_segments_axum_would_refuse_are_captured_and_fitted() {
        let ops = [
            op(Method::Post, "/jobs/:batch"),
            op(Method::Get, "/jobs/all"),
        ];
        assert_eq!(
            summary(&ops),
            [
                "GET /jobs/all: /jobs/all[]",
                "POST /jobs/{segment1}: /jobs/:batch[\"segment1\"]",
            ]
        );
    }

    #[test]
    fn a_capture_name_never_shadows_a_parameter() {
        let ops = [op(Method::Get, "/a/{segment1}/{segment2}.json")];
        assert_eq!(
            summary(&ops),
            ["GET /a/{segment1}/{_segment2}: /a/{segment1}/{segment2}.json[\"_segment2\"]"]
        );
    }

    #[test]
    fn parameters_side_by_side_are_not_routed_with_a_warning() {
        let ops = [
            op(Method::Get, "/reports/{year}{month}"),
            op(Method::Get, "/x"),
        ];
        let (routes, warnings) = routes(&ops);
        assert_eq!(routes.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0]
            .starts_with("GET /reports/{year}{month}: the generated server does not route"));
    }
}
