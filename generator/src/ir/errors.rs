//! Operations' error types. Each operation that documents errors has a type of its own name,
//! `{Builder}Error`, and operations whose documented errors are alike (the same statuses, with
//! the same variant names and body types) share one enum behind those names (type aliases).
//!
//! Why both: a name per operation keeps the crate's API stable when one operation's spec gains
//! an error status (its alias moves to another shared enum; the variants it had are still there,
//! and the enums are `non_exhaustive`), and shared enums keep the compile cost flat. An enum per
//! operation, each with its derives, decoder and `Display`, cost the V3 crate (358 operations)
//! about 15% more rustc memory than the 4 enums they share (BENCHMARKS.md, section 2).

use std::collections::BTreeMap;

use super::{ErrorType, ErrorVariant, Operation, StatusMatch, TypeRef};

/// An enum shared by the operations whose documented errors are alike.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedError {
    /// The enum's name: its statuses (`Errors400_404`), plus a digest of its variants when
    /// another shared enum has the same statuses. Not part of the crate's API: users name an
    /// operation's alias, so the name may change from one spec to the next.
    pub name: String,
    /// One per status, in status order; a variant's doc is kept where every sharer agrees.
    pub variants: Vec<ErrorVariant>,
    /// The aliases that name it (operations' `{Builder}Error`), sorted.
    pub aliases: Vec<String>,
}

/// What makes two operations' errors the same enum: each variant's name, status and body type.
type Shape = Vec<(String, StatusMatch, Option<TypeRef>)>;

/// Names each operation's error type and groups them into shared enums: the operations' error
/// types (by name) and the shared enums (by name).
pub fn name_error_types(
    operations: &mut [(Operation, Vec<ErrorVariant>)],
) -> (BTreeMap<String, ErrorType>, BTreeMap<String, SharedError>) {
    let mut by_shape: BTreeMap<Shape, Vec<(String, Vec<ErrorVariant>)>> = BTreeMap::new();
    let mut error_types = BTreeMap::new();
    for (op, variants) in operations.iter_mut() {
        if variants.is_empty() {
            continue;
        }
        let name = format!("{}Error", op.builder_name);
        op.error_type = Some(name.clone());
        by_shape
            .entry(shape(variants))
            .or_default()
            .push((name.clone(), variants.clone()));
        error_types.insert(
            name.clone(),
            ErrorType {
                name,
                variants: variants.clone(),
                used_by: vec![op.method_name.clone()],
                shared: String::new(),
            },
        );
    }
    let mut statuses_taken: BTreeMap<String, usize> = BTreeMap::new();
    for shape in by_shape.keys() {
        *statuses_taken.entry(statuses_name(shape)).or_default() += 1;
    }
    let mut shared = BTreeMap::new();
    for (shape, users) in by_shape {
        let base = statuses_name(&shape);
        let name = if statuses_taken[&base] > 1 {
            format!("{base}_{:08x}", fnv1a(format!("{shape:?}").as_bytes()))
        } else {
            base
        };
        let aliases: Vec<String> = users.iter().map(|(alias, _)| alias.clone()).collect();
        for alias in &aliases {
            if let Some(error) = error_types.get_mut(alias) {
                error.shared = name.clone();
            }
        }
        let variants = agreed_docs(&users);
        shared.insert(
            name.clone(),
            SharedError {
                name,
                variants,
                aliases,
            },
        );
    }
    (error_types, shared)
}

fn shape(variants: &[ErrorVariant]) -> Shape {
    variants
        .iter()
        .map(|v| (v.name.clone(), v.status, v.ty.clone()))
        .collect()
}

/// `Errors400_404_5XX_Default`: the statuses a shared enum stands for.
fn statuses_name(shape: &Shape) -> String {
    let mut name = "Errors".to_string();
    for (i, (_, status, _)) in shape.iter().enumerate() {
        if i > 0 {
            name.push('_');
        }
        match status {
            StatusMatch::Code(code) => name.push_str(&code.to_string()),
            StatusMatch::Range(class) => name.push_str(&format!("{class}XX")),
            StatusMatch::Default => name.push_str("Default"),
        }
    }
    name
}

/// The first user's variants, each keeping its doc only where every user's is the same (the
/// usual case: error responses are shared components).
fn agreed_docs(users: &[(String, Vec<ErrorVariant>)]) -> Vec<ErrorVariant> {
    let mut variants = users[0].1.clone();
    for (i, variant) in variants.iter_mut().enumerate() {
        if users.iter().any(|(_, other)| other[i].doc != variant.doc) {
            variant.doc = Some(
                "documented differently by the operations that share this enum (see each operation's docs)"
                    .into(),
            );
        }
    }
    variants
}

/// FNV-1a: a digest that is the same on every machine and Rust version (std's hashers promise
/// neither), so a shared enum's name is deterministic.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, &byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}
