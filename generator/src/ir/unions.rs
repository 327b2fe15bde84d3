//! Untagged unions whose alternatives are the same Rust type. `oneOf: [Email, Uuid]`, where both
//! are strings told apart only by `format` or `pattern`, is `String` twice in Rust: as two
//! variants it would have two `From<String>` impls (which do not compile) and a second variant
//! that no value ever decodes into. So alternatives whose Rust types coincide, once aliases are
//! followed (through `Vec` and maps too), are one variant; a union left with one alternative is
//! that type. This runs once every type exists, since a union may name a type lowered after it.
//!
//! Alternatives that are different Rust types stay apart even when their JSON looks alike (two
//! objects with the same fields, `i32` and `i64`): each has its own `From`, and the decoding order
//! (`types::variant_rank`, applied here to the types behind the aliases) tries the narrower first.

use std::collections::BTreeMap;

use super::types::variant_rank;
use super::{TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::Scope;

/// Merges coinciding alternatives, orders the rest for decoding, and names the variants (lowering
/// leaves each variant's name as its alternative's base name, unclaimed).
pub fn settle(types: &mut BTreeMap<String, TypeDef>) {
    let unions: Vec<String> = types
        .iter()
        .filter(|(_, def)| matches!(def.kind, TypeKind::Untagged(_)))
        .map(|(name, _)| name.clone())
        .collect();
    for name in unions {
        let TypeKind::Untagged(variants) = &types[&name].kind else {
            continue;
        };
        let before = variants.len();
        let mut merged = merge(variants, types);
        let kind = match merged.as_mut_slice() {
            // Several alternatives, one Rust type: the union is that type, unless the type
            // holds the union itself (an alias of itself would not compile).
            [(only, names)]
                if before > 1 && resolve(&only.ty, types).named() != Some(name.as_str()) =>
            {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                let note = format!(
                    "All {before} of its alternatives ({}) are this one Rust type, so it is that type.",
                    names.join(", ")
                );
                let def = types.get_mut(&name).expect("listed above");
                def.doc = Some(match def.doc.take() {
                    Some(doc) => format!("{doc}\n\n{note}"),
                    None => note,
                });
                TypeKind::Alias(only.ty.clone())
            }
            _ => {
                let mut variants: Vec<Variant> = merged.into_iter().map(|(v, _)| v).collect();
                variants.sort_by_key(|v| variant_rank(&resolve(&v.ty, types), types));
                let mut scope = Scope::default();
                for variant in &mut variants {
                    variant.name = scope.claim(std::mem::take(&mut variant.name));
                }
                TypeKind::Untagged(variants)
            }
        };
        types.get_mut(&name).expect("listed above").kind = kind;
    }
}

/// One variant per distinct Rust type, in the order each type first appears; a variant that
/// stands for several alternatives is named after all of them (`EmailOrUuid`).
fn merge(variants: &[Variant], types: &BTreeMap<String, TypeDef>) -> Vec<(Variant, Vec<String>)> {
    let mut groups: Vec<(TypeRef, Vec<&Variant>)> = Vec::new();
    for variant in variants {
        let resolved = resolve(&variant.ty, types);
        match groups.iter_mut().find(|(ty, _)| *ty == resolved) {
            Some((_, members)) => members.push(variant),
            None => groups.push((resolved, vec![variant])),
        }
    }
    groups
        .into_iter()
        .map(|(resolved, members)| {
            let first = members[0];
            let mut names: Vec<String> = Vec::new();
            for member in &members {
                if !names.contains(&member.name) {
                    names.push(member.name.clone());
                }
            }
            if members.len() == 1 {
                return (first.clone(), names);
            }
            // Under different names, the type they all are; under one, that name.
            let ty = if members.iter().all(|m| m.ty == first.ty) {
                first.ty.clone()
            } else {
                resolved
            };
            let docs: Vec<&str> = members.iter().filter_map(|m| m.doc.as_deref()).collect();
            let note = (names.len() > 1).then(|| {
                format!(
                    "The alternatives {} are the same Rust type, so they decode as one.",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            let doc: Vec<&str> = docs.into_iter().chain(note.as_deref()).collect();
            let variant = Variant {
                name: names.join("Or"),
                ty,
                boxed: false,
                doc: (!doc.is_empty()).then(|| doc.join("\n\n")),
            };
            (variant, names)
        })
        .collect()
}

/// The Rust type behind `ty`: aliases followed, inside `Vec` and maps too.
pub fn resolve(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> TypeRef {
    resolve_within(ty, types, &mut Vec::new())
}

fn resolve_within(
    ty: &TypeRef,
    types: &BTreeMap<String, TypeDef>,
    seen: &mut Vec<String>,
) -> TypeRef {
    match ty {
        TypeRef::Vec(inner) => TypeRef::Vec(Box::new(resolve_within(inner, types, seen))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(resolve_within(inner, types, seen))),
        TypeRef::Named(name) if !seen.contains(name) => match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) => {
                seen.push(name.clone());
                let resolved = resolve_within(inner, types, seen);
                seen.pop();
                resolved
            }
            _ => ty.clone(),
        },
        _ => ty.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        let def = TypeDef {
            name: name.into(),
            doc: None,
            deprecated: false,
            kind,
            origin: None,
            example: None,
        };
        (name.into(), def)
    }

    fn variant(name: &str, ty: TypeRef) -> Variant {
        Variant {
            name: name.into(),
            ty,
            boxed: false,
            doc: None,
        }
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    fn variants(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<(String, TypeRef)> {
        match &types[name].kind {
            TypeKind::Untagged(variants) => variants
                .iter()
                .map(|v| (v.name.clone(), v.ty.clone()))
                .collect(),
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn alternatives_of_one_rust_type_merge() {
        let mut types = BTreeMap::from([
            def("Email", TypeKind::Alias(TypeRef::String)),
            def("Count", TypeKind::Alias(TypeRef::I64)),
            def(
                "U",
                TypeKind::Untagged(vec![
                    variant("Number", TypeRef::F64),
                    variant("Email", named("Email")),
                    variant("Count", named("Count")),
                    variant("String", TypeRef::String),
                    variant("Integer", TypeRef::I64),
                    variant("Emails", TypeRef::Vec(Box::new(named("Email")))),
                    variant("Strings", TypeRef::Vec(Box::new(TypeRef::String))),
                ]),
            ),
        ]);
        settle(&mut types);
        // Integers before numbers (the alias counts as what it is), then strings, then lists.
        assert_eq!(
            variants(&types, "U"),
            [
                ("CountOrInteger".to_string(), TypeRef::I64),
                ("Number".to_string(), TypeRef::F64),
                ("EmailOrString".to_string(), TypeRef::String),
                (
                    "EmailsOrStrings".to_string(),
                    TypeRef::Vec(Box::new(TypeRef::String))
                ),
            ]
        );
    }

    #[test]
    fn one_type_under_one_name_keeps_it_and_repeats_are_named_once() {
        let mut types = BTreeMap::from([
            def("Email", TypeKind::Alias(TypeRef::String)),
            def("Uuid", TypeKind::Alias(TypeRef::String)),
            def(
                "Id",
                TypeKind::Untagged(vec![
                    variant("Email", named("Email")),
                    variant("Uuid", named("Uuid")),
                ]),
            ),
            def(
                "Twice",
                TypeKind::Untagged(vec![
                    variant("Object", TypeRef::JsonObject),
                    variant("Object", TypeRef::JsonObject),
                    variant("Object", TypeRef::Bool),
                ]),
            ),
        ]);
        settle(&mut types);
        assert_eq!(types["Id"].kind, TypeKind::Alias(TypeRef::String));
        assert!(types["Id"]
            .doc
            .as_deref()
            .unwrap()
            .contains("`Email`, `Uuid`"));
        assert_eq!(
            variants(&types, "Twice"),
            [
                ("Object".to_string(), TypeRef::Bool),
                ("Object2".to_string(), TypeRef::JsonObject),
            ]
        );
    }

    #[test]
    fn a_union_of_itself_stays_a_union() {
        let mut types = BTreeMap::from([
            def("Again", TypeKind::Alias(named("Tree"))),
            def(
                "Tree",
                TypeKind::Untagged(vec![
                    variant("Tree", TypeRef::Vec(Box::new(named("Tree")))),
                    variant("Again", TypeRef::Vec(Box::new(named("Again")))),
                ]),
            ),
        ]);
        settle(&mut types);
        assert_eq!(variants(&types, "Tree").len(), 1);
    }
}
