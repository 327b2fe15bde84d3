//! Naming the component schemas of the bundle. [`crate::resolve`] turns every schema `$ref` into
//! a component and registers it by its origin (file and JSON pointer); this module decides what
//! each component is called: its file stem or last pointer segment, a name for the inline schema of
//! a shared response, request body, parameter or header, a folder prefix when different schemas
//! want one name, and one name for a root component that only refers to another schema.
//!
//! It is separate from the ref walking because the names are a policy of their own: they become
//! the generated Rust type names, and they depend only on the schemas' paths, never on the order
//! in which the walk found them.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{Kind, SchemaEntry, PLACEHOLDER};
use crate::diagnostics::location::unescape_pointer;

/// The name of the inline schema of a definition inlined from `file#pointer`, when it is a kind
/// that many operations share: `responses/401.yaml` -> `UnauthorizedError`,
/// `#/components/responses/NotFound` -> `NotFoundResponse`, a request body `Item` -> `ItemRequest`.
pub(crate) fn shared_schema_name(file: &Path, pointer: &str, kind: Kind) -> Option<String> {
    let base = match pointer.rsplit('/').next().filter(|_| !pointer.is_empty()) {
        Some(last) => unescape_pointer(last),
        None => file.file_stem()?.to_string_lossy().into_owned(),
    };
    let suffix = match kind {
        Kind::Response => "Response",
        Kind::RequestBody => "Request",
        Kind::Parameter => "Param",
        Kind::Header => "Header",
        _ => return None,
    };
    crate::naming::shared_name(&base, suffix)
}

/// A root component that only refers to another schema (`Job: {$ref: ./schemas/Job.yaml}`, as
/// SailPoint's root document does for every schema) is that schema under the component's name:
/// one type, not an alias of a folder-prefixed twin. Returns the folded alias entries; their
/// references already carry the shared name.
pub(crate) fn fold_aliases(
    schemas: &[SchemaEntry],
    root_file: &Path,
    names: &mut [String],
) -> std::collections::BTreeSet<usize> {
    let is_root_component = |entry: &SchemaEntry| {
        entry.file == root_file && entry.pointer.starts_with("/components/schemas/")
    };
    let mut folded = std::collections::BTreeSet::new();
    let mut targets = std::collections::BTreeSet::new();
    for (alias, entry) in schemas.iter().enumerate() {
        let Some(target) = entry.value.as_ref().and_then(placeholder_target) else {
            continue;
        };
        if !is_root_component(entry)
            || target == alias
            || is_root_component(&schemas[target])
            || !targets.insert(target)
        {
            continue;
        }
        names[target] = names[alias].clone();
        folded.insert(alias);
    }
    folded
}

/// The schema id of a value that is nothing but a reference to another schema.
pub(crate) fn placeholder_target(value: &Value) -> Option<usize> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.get("$ref")?
        .as_str()?
        .strip_prefix(PLACEHOLDER)?
        .parse()
        .ok()
}

/// Gives every component schema a unique name: its file stem, or the last segment of its pointer.
/// When several different schemas want one name, the one with the shortest path (then the
/// alphabetically first) keeps it and the others are prefixed with their folder's name
/// (`schemas/schedule/Schedule.yaml` -> `scheduleSchedule`); a number settles what is left. The
/// rule depends only on the paths, never on the order in which references were found.
pub(crate) fn assign_names(schemas: &[SchemaEntry], root_dir: &Path) -> Vec<String> {
    let wanted: Vec<String> = schemas.iter().map(base_name).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, name) in wanted.iter().enumerate() {
        groups.entry(name.as_str()).or_default().push(id);
    }
    let mut names = wanted.clone();
    let mut taken: std::collections::BTreeSet<String> = wanted.iter().cloned().collect();
    for ids in groups.values() {
        if ids.len() < 2 {
            continue;
        }
        let mut ordered = ids.clone();
        ordered.sort_by_key(|&id| {
            let origin = schemas[id].origin(root_dir);
            (
                origin.file.components().count(),
                origin.file.clone(),
                origin.pointer,
            )
        });
        for &id in &ordered[1..] {
            let folder = schemas[id]
                .file
                .parent()
                .and_then(Path::file_name)
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut candidate = format!("{folder}{}", wanted[id]);
            let mut n = 2;
            while taken.contains(&candidate) {
                candidate = format!("{folder}{}{n}", wanted[id]);
                n += 1;
            }
            taken.insert(candidate.clone());
            names[id] = candidate;
        }
    }
    names
}

fn base_name(entry: &SchemaEntry) -> String {
    if let Some(hint) = &entry.hint {
        return hint.clone();
    }
    match entry.pointer.rsplit('/').next() {
        Some(last) if !entry.pointer.is_empty() => unescape_pointer(last),
        _ => entry
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Schema".into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve::tests::write;
    use crate::resolve::{bundle, Options};

    #[test]
    fn same_file_name_in_two_folders_gives_two_names() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        x: {$ref: './schemas/Schedule.yaml'}\n        y: {$ref: './schemas/schedule/Schedule.yaml'}\n");
        write(dir.path(), "schemas/Schedule.yaml", "type: string\n");
        write(
            dir.path(),
            "schemas/schedule/Schedule.yaml",
            "type: integer\n",
        );
        let bundle = bundle(&dir.path().join("root.yaml"), &Options::default()).unwrap();
        let schemas = bundle.document.pointer("/components/schemas").unwrap();
        assert_eq!(schemas["Schedule"]["type"], "string");
        assert_eq!(schemas["scheduleSchedule"]["type"], "integer");
    }
}
