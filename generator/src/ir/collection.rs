//! What the V3 collection conventions add to a list operation: paging by `offset`/`limit`
//! (with `count` for `X-Total-Count`), and the fields that `filters` and `sorters` accept, as
//! the parameters' descriptions list them (`**name**: *eq, in*`).

use super::{Pagination, Param, ParamLocation, TypeRef};

/// Paging, for an operation whose query has integer `offset` and `limit` and whose result is a list.
pub fn pagination(params: &[Param], success: Option<&TypeRef>) -> Option<Pagination> {
    let Some(TypeRef::Vec(item)) = success else {
        return None;
    };
    let find = |wire: &str| {
        params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire == wire && !p.required)
    };
    let is_integer = |p: &&Param| matches!(p.ty, TypeRef::I32 | TypeRef::I64);
    let offset = find("offset").filter(is_integer)?;
    let limit = find("limit").filter(is_integer)?;
    let count = find("count")
        .filter(|p| p.ty == TypeRef::Bool)
        .map(|p| p.name.clone());
    let default = limit.default.as_ref().and_then(serde_json::Value::as_i64);
    let page_size = default.or(limit.maximum).unwrap_or(250).max(1);
    Some(Pagination {
        offset: offset.name.clone(),
        limit: limit.name.clone(),
        limit_ty: limit.ty.clone(),
        count,
        item: (**item).clone(),
        page_size: limit.maximum.map_or(page_size, |max| page_size.min(max)),
        max_page_size: limit.maximum,
    })
}

/// (filterable fields with their operators, sortable fields), from the descriptions of the
/// `filters` and `sorters` query parameters.
pub fn documented_fields(params: &[Param]) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let doc = |wire: &str| {
        params
            .iter()
            .find(|p| {
                p.location == ParamLocation::Query && p.wire == wire && p.ty == TypeRef::String
            })
            .and_then(|p| p.doc.clone())
            .unwrap_or_default()
    };
    (filter_fields(&doc("filters")), sort_fields(&doc("sorters")))
}

/// `**id**: *eq, in*` lines -> (`id`, [`eq`, `in`]).
fn filter_fields(doc: &str) -> Vec<(String, Vec<String>)> {
    let mut fields = Vec::new();
    for line in doc.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("**") else {
            continue;
        };
        let Some((field, rest)) = rest.split_once("**") else {
            continue;
        };
        let Some(ops) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let ops: Vec<String> = ops
            .trim()
            .trim_matches('*')
            .split(',')
            .map(|op| op.trim().trim_matches('*').to_string())
            .filter(|op| KNOWN_OPERATORS.contains(&op.as_str()))
            .collect();
        if !ops.is_empty() && is_field_path(field) {
            fields.push((field.to_string(), ops));
        }
    }
    fields
}

/// The `**bold**` names after "following fields" in a sorters description.
fn sort_fields(doc: &str) -> Vec<String> {
    let Some(start) = doc
        .find("following fields")
        .or_else(|| doc.find("supported"))
    else {
        return Vec::new();
    };
    doc[start..]
        .split("**")
        .skip(1)
        .step_by(2)
        .flat_map(|names| names.split(','))
        .map(|name| name.trim().to_string())
        .filter(|name| is_field_path(name))
        .collect()
}

const KNOWN_OPERATORS: &[&str] = &[
    "eq", "ne", "gt", "ge", "lt", "le", "co", "sw", "in", "ca", "pr", "isnull",
];

fn is_field_path(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_filter_and_sort_fields() {
        let filters = "Filter results ...\n\nFiltering is supported for the following fields and operators:\n\n**id**: *eq, in*\n\n**name**: *eq*\n\n**owner.id**: *eq, in, sw*";
        assert_eq!(
            filter_fields(filters),
            [
                ("id".to_string(), vec!["eq".to_string(), "in".to_string()]),
                ("name".to_string(), vec!["eq".to_string()]),
                (
                    "owner.id".to_string(),
                    vec!["eq".to_string(), "in".to_string(), "sw".to_string()]
                ),
            ]
        );
        assert_eq!(
            sort_fields(
                "Sort results ...\n\nSorting is supported for the following fields: **name**"
            ),
            ["name"]
        );
        assert_eq!(
            sort_fields("following fields: **type, created**, **modified**"),
            ["type", "created", "modified"]
        );
        assert!(sort_fields("no list here").is_empty());
    }
}
