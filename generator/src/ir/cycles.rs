//! Boxing only what closes a cycle. A struct that contains itself by value (directly or through
//! other structs and unions) has no finite size; `Vec` and maps already put their items on the
//! heap. A depth-first walk over by-value edges, in name order, boxes exactly the edges that
//! point back into the walk's current path, so each cycle gets one box and nothing else does.

use std::collections::BTreeMap;

use super::{TypeDef, TypeKind, TypeRef};

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    New,
    OnPath,
    Done,
}

/// Sets `boxed` on the fields and variants that close a cycle.
pub fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let mut marks: BTreeMap<String, Mark> = names.iter().map(|n| (n.clone(), Mark::New)).collect();
    for name in &names {
        if marks[name] == Mark::New {
            visit(name, types, &mut marks);
        }
    }
}

fn visit(name: &str, types: &mut BTreeMap<String, TypeDef>, marks: &mut BTreeMap<String, Mark>) {
    marks.insert(name.to_string(), Mark::OnPath);
    let edges = by_value_edges(types.get(name), types);
    for (index, target) in edges {
        match marks.get(&target).copied() {
            Some(Mark::OnPath) => set_boxed(types.get_mut(name), index),
            Some(Mark::New) => visit(&target, types, marks),
            _ => {}
        }
    }
    marks.insert(name.to_string(), Mark::Done);
}

/// (field or variant index, target type) for each member held by value.
/// An alias is the type it names, so an edge to one goes on to that type: the box then lands on
/// the field (an alias itself cannot be boxed).
fn by_value_edges(
    def: Option<&TypeDef>,
    types: &BTreeMap<String, TypeDef>,
) -> Vec<(usize, String)> {
    let Some(def) = def else { return Vec::new() };
    let direct = |ty: &TypeRef| match super::behind_aliases(ty, types) {
        TypeRef::Named(target) => Some(target),
        _ => None,
    };
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| direct(&f.ty).map(|t| (i, t)))
            .collect(),
        TypeKind::Untagged(variants) => variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct(&v.ty).map(|t| (i, t)))
            .collect(),
        TypeKind::Alias(ty) => direct(ty)
            .map(|t| vec![(usize::MAX, t)])
            .unwrap_or_default(),
        TypeKind::Tagged(tagged) => tagged
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, (_, v))| direct(&v.ty).map(|t| (i, t)))
            .collect(),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Vec::new(),
    }
}

fn set_boxed(def: Option<&mut TypeDef>, index: usize) {
    let Some(def) = def else { return };
    match &mut def.kind {
        TypeKind::Struct(s) => s.fields[index].boxed = true,
        TypeKind::Untagged(variants) => variants[index].boxed = true,
        TypeKind::Tagged(tagged) => tagged.variants[index].1.boxed = true,
        // A type alias of itself cannot be boxed away; lowering never produces one.
        TypeKind::Alias(_) | TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Struct};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            wire: name.into(),
            ty,
            required: false,
            nullable: false,
            boxed: false,
            doc: None,
            deprecated: false,
            read_only: false,
            write_only: false,
            default: None,
            tristate: false,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        let kind = TypeKind::Struct(Struct {
            fields,
            additional: None,
        });
        (
            name.into(),
            TypeDef {
                name: name.into(),
                doc: None,
                deprecated: false,
                kind,
                origin: None,
                example: None,
            },
        )
    }

    fn boxed(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<bool> {
        match &types[name].kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.boxed).collect(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn boxes_only_the_closing_edge() {
        let named = |n: &str| TypeRef::Named(n.into());
        let mut types = BTreeMap::from([
            strukt(
                "A",
                vec![
                    field("b", named("B")),
                    field("many", TypeRef::Vec(Box::new(named("A")))),
                ],
            ),
            strukt("B", vec![field("a", named("A")), field("c", named("C"))]),
            strukt("C", vec![field("x", TypeRef::String)]),
            strukt("Node", vec![field("next", named("Node"))]),
        ]);
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "A"), [false, false]);
        assert_eq!(boxed(&types, "B"), [true, false]);
        assert_eq!(boxed(&types, "C"), [false]);
        assert_eq!(boxed(&types, "Node"), [true]);
    }
}
