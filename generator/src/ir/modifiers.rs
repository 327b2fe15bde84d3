//! `allOf` members that only adjust the member beside them: `allOf: [{$ref: X}, {nullable: true}]`
//! is how 3.0 specs make a reference nullable, describe it or mark it read-only, since a `$ref`
//! takes no siblings. Such an `allOf` is its one substantive member, with these adjustments
//! applied, rather than a merged object (which fails when the member is not an object).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use openapiv3::{ReferenceOr, Schema, SchemaData, SchemaKind};
use serde_json::Value;

use super::{TypeDef, TypeKind, TypeRef};
use crate::naming::Scope;

/// A schema's own annotations combined with those of its `allOf` modifier members.
#[derive(Debug, Default)]
pub struct Adjusted {
    pub nullable: bool,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// The schema's description or title, else a modifier member's.
    pub doc: Option<String>,
    pub default: Option<Value>,
}

/// The annotations that apply to `schema`, its own first.
pub fn adjusted(schema: &Schema) -> Adjusted {
    let own = &schema.schema_data;
    let mut adjusted = annotations(own);
    let Some((member, modifiers)) = split(schema) else {
        return adjusted;
    };
    // An inline member's own `nullable` holds for the type it becomes (a `$ref`'s is the target's).
    if let ReferenceOr::Item(member) = member {
        adjusted.nullable |= member.schema_data.nullable;
    }
    for data in modifiers {
        let more = annotations(data);
        adjusted.nullable |= more.nullable;
        adjusted.deprecated |= more.deprecated;
        adjusted.read_only |= more.read_only;
        adjusted.write_only |= more.write_only;
        adjusted.doc = adjusted.doc.or(more.doc);
        adjusted.default = adjusted.default.or(more.default);
    }
    adjusted
}

/// For an `allOf` of one substantive member and at least one modifier (and nothing of its own
/// that would be lost, such as properties), that member and the modifiers' data.
fn split(schema: &Schema) -> Option<(&ReferenceOr<Schema>, Vec<&SchemaData>)> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => split_members(all_of),
        SchemaKind::Any(any) if any.properties.is_empty() && any.required.is_empty() => {
            split_members(&any.all_of)
        }
        _ => None,
    }
}

/// [`split`] of the members of an `allOf` that has no properties of its own.
pub fn split_members(
    members: &[ReferenceOr<Schema>],
) -> Option<(&ReferenceOr<Schema>, Vec<&SchemaData>)> {
    let mut substantive = None;
    let mut modifiers = Vec::new();
    for member in members {
        match member {
            ReferenceOr::Item(data) if is_modifier(data) => modifiers.push(&data.schema_data),
            _ if substantive.is_some() => return None,
            _ => substantive = Some(member),
        }
    }
    match (substantive, modifiers.is_empty()) {
        (Some(member), false) => Some((member, modifiers)),
        _ => None,
    }
}

/// A member with no type, shape or composition of its own: only annotations (and validation
/// keywords, which change no Rust type). `required` counts as shape: it changes the object.
fn is_modifier(schema: &Schema) -> bool {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return false;
    };
    any.typ.is_none()
        && any.properties.is_empty()
        && any.required.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.format.is_none()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
        && schema.schema_data.discriminator.is_none()
}

/// Keeps the names of the parts of the copies that earlier versions merged. `annotated` lists
/// (alias, object) for each schema that only annotates a referenced object: such a schema was
/// merged into a copy of the object, and the copy named its inline parts after the alias
/// (`CompletedApprovalRequesterComment` + `Author`) where the object names them after itself
/// (`CommentDto` + `Author`). Each such name becomes an alias of the object's part, recursively,
/// unless another type has it by now (then it was not the copy's either). A part that is itself
/// such an alias is left alone: through it an object may hold itself
/// (`Person.manager: allOf [$ref Person, ...]`), and copies of it nested until a depth limit.
pub fn keep_copied_names(
    types: &mut BTreeMap<String, TypeDef>,
    scope: &mut Scope,
    components: &BTreeSet<String>,
    annotated: Vec<(String, String)>,
) {
    let aliases: BTreeSet<String> = annotated.iter().map(|(alias, _)| alias.clone()).collect();
    let mut queue = VecDeque::from(annotated);
    while let Some((alias, object)) = queue.pop_front() {
        let TypeRef::Named(object) = super::behind_aliases(&TypeRef::Named(object), types) else {
            continue;
        };
        let Some(def) = types.get(&object) else {
            continue;
        };
        let parts: BTreeSet<String> = (def.kind.members().into_iter())
            .filter_map(|member| member.named().map(str::to_string))
            .collect();
        for part in parts {
            let Some(suffix) = part.strip_prefix(object.as_str()) else {
                continue;
            };
            let copy = format!("{alias}{suffix}");
            if suffix.is_empty()
                || components.contains(&part)
                || aliases.contains(&part)
                || scope.contains(&copy)
            {
                continue;
            }
            scope.claim(copy.clone());
            let doc = format!(
                "The same type as `{part}`: `{alias}` only annotates `{object}`, whose part this is."
            );
            types.insert(
                copy.clone(),
                TypeDef {
                    name: copy.clone(),
                    doc: Some(doc),
                    deprecated: false,
                    kind: TypeKind::Alias(TypeRef::Named(part.clone())),
                    origin: None,
                    example: None,
                },
            );
            queue.push_back((copy, part));
        }
    }
}

fn annotations(data: &SchemaData) -> Adjusted {
    Adjusted {
        nullable: data.nullable,
        deprecated: data.deprecated,
        read_only: data.read_only,
        write_only: data.write_only,
        doc: super::text(&data.description).or_else(|| super::text(&data.title)),
        default: data.default.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: serde_json::Value) -> Schema {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_reference_beside_modifiers_takes_their_annotations() {
        let s = schema(serde_json::json!({"allOf": [
            {"description": "Said here."},
            {"$ref": "#/components/schemas/X"},
            {"nullable": true, "readOnly": true, "deprecated": true, "default": 3},
        ]}));
        let (member, modifiers) = split(&s).unwrap();
        assert!(matches!(member, ReferenceOr::Reference { .. }));
        assert_eq!(modifiers.len(), 2);
        let a = adjusted(&s);
        assert!(a.nullable && a.read_only && a.deprecated && !a.write_only);
        assert_eq!(a.doc.as_deref(), Some("Said here."));
        assert_eq!(a.default, Some(serde_json::json!(3)));
    }

    #[test]
    fn the_schemas_own_annotations_come_first() {
        let s = schema(serde_json::json!({"description": "Own.", "allOf": [
            {"$ref": "#/components/schemas/X"},
            {"description": "Modifier's."},
        ]}));
        assert_eq!(adjusted(&s).doc.as_deref(), Some("Own."));
    }

    #[test]
    fn two_substantive_members_or_none_are_no_split() {
        for json in [
            serde_json::json!({"allOf": [
                {"$ref": "#/components/schemas/X"},
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"nullable": true},
            ]}),
            // `required` changes the object: a member that has it is not a modifier.
            serde_json::json!({"allOf": [{"$ref": "#/components/schemas/X"}, {"required": ["a"]}]}),
            // Nothing to adjust: the lone wrapper keeps its own handling.
            serde_json::json!({"allOf": [{"$ref": "#/components/schemas/X"}]}),
            serde_json::json!({"allOf": [{"nullable": true}]}),
        ] {
            let s = schema(json.clone());
            assert!(split(&s).is_none(), "{json}");
            assert!(!adjusted(&s).nullable, "{json}");
        }
    }
}
