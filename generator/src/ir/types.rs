//! Schemas -> named Rust types. Every component schema gets its name before any schema is
//! converted, so forward and recursive references resolve; inline schemas are named from their
//! parents (`ProvisioningConfig` + `planInitializerScript` -> `ProvisioningConfigPlanInitializerScript`).

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::modifiers::{adjusted, keep_copied_names, split_members};
use super::{EnumValue, Field, Struct, Tagged, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::{self, pascal, snake, Scope};

type Components = IndexMap<String, ReferenceOr<Schema>>;

/// How deep inline schemas may nest inside each other (see [`TypeSpace::inline`]).
const MAX_INLINE_DEPTH: usize = 32;

/// Builds the type space: the named types of an API.
pub struct TypeSpace<'a> {
    components: &'a Components,
    /// Component name -> Rust name.
    names: BTreeMap<String, String>,
    scope: Scope,
    /// Finished types, by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Things accepted with a compromise, for the run's summary.
    pub warnings: Vec<String>,
    /// How many inline schemas are being lowered inside each other right now.
    depth: usize,
    /// (alias, object it names) for each schema that only annotates a referenced object: see
    /// [`Shape::Alias`] and [`Self::finish`].
    annotated: Vec<(String, String)>,
}

/// A lowered schema: a type, and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The type.
    pub ty: TypeRef,
    /// `nullable: true` on the schema or on the component it refers to.
    pub nullable: bool,
}

impl<'a> TypeSpace<'a> {
    /// Names every component (in name order, so the result never depends on file order), then
    /// converts them.
    pub fn new(components: &'a Components, origins: &BTreeMap<String, String>) -> Self {
        let mut space = TypeSpace {
            components,
            names: BTreeMap::new(),
            scope: Scope::with_reserved(naming::RESERVED_TYPE_NAMES),
            types: BTreeMap::new(),
            warnings: Vec::new(),
            depth: 0,
            annotated: Vec::new(),
        };
        let ordered: BTreeSet<&String> = components.keys().collect();
        for name in &ordered {
            let rust = space.scope.claim(pascal(name));
            space.names.insert((*name).clone(), rust);
        }
        for name in ordered {
            let rust = space.names[name].clone();
            let schema = &components[name];
            let (kind, doc, deprecated, example) = match schema {
                ReferenceOr::Reference { reference } => (
                    TypeKind::Alias(space.reference(reference).ty),
                    None,
                    false,
                    None,
                ),
                ReferenceOr::Item(schema) => {
                    let (kind, doc) = match space.shape(schema, &rust) {
                        Shape::Defined(kind) => (kind, doc_of(schema)),
                        Shape::Ref(lowered) => (TypeKind::Alias(lowered.ty), doc_of(schema)),
                        Shape::Alias { lowered, copied } => {
                            if copied {
                                space.annotated(&rust, &lowered.ty);
                            }
                            (
                                TypeKind::Alias(lowered.ty.clone()),
                                alias_doc(schema, &lowered),
                            )
                        }
                    };
                    (
                        kind,
                        doc,
                        adjusted(schema).deprecated,
                        schema.schema_data.example.clone(),
                    )
                }
            };
            let origin = origins.get(name).cloned();
            space.types.insert(
                rust.clone(),
                TypeDef {
                    name: rust,
                    doc,
                    deprecated,
                    kind,
                    origin,
                    example,
                },
            );
        }
        space
    }

    /// The finished types, once every schema of the API is lowered.
    pub fn finish(mut self) -> (BTreeMap<String, TypeDef>, Vec<String>) {
        let components: BTreeSet<String> = self.names.values().cloned().collect();
        keep_copied_names(
            &mut self.types,
            &mut self.scope,
            &components,
            std::mem::take(&mut self.annotated),
        );
        (self.types, self.warnings)
    }

    /// Notes that `name` is an alias of `target` because its schema only annotates it.
    fn annotated(&mut self, name: &str, target: &TypeRef) {
        if let TypeRef::Named(target) = target {
            self.annotated.push((name.to_string(), target.clone()));
        }
    }

    /// The type of a schema found at a position named `hint` (used if it needs a name of its own).
    pub fn lower(&mut self, schema: &ReferenceOr<Schema>, hint: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference),
            ReferenceOr::Item(schema) => self.inline(schema, hint),
        }
    }

    fn lower_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference),
            ReferenceOr::Item(schema) => self.inline(schema, hint),
        }
    }

    /// The description of the component behind a named type, for fields that have none of their own.
    fn named_doc(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(rust) = ty else {
            return None;
        };
        let component = self.names.iter().find(|(_, r)| *r == rust).map(|(c, _)| c);
        let component = match (component, self.types.get(rust)) {
            (Some(component), _) => component,
            // An alias made for an annotated position documents what it names.
            (
                None,
                Some(TypeDef {
                    kind: TypeKind::Alias(TypeRef::Named(target)),
                    ..
                }),
            ) => self
                .names
                .iter()
                .find(|(_, r)| *r == target)
                .map(|(c, _)| c)?,
            (None, _) => return None,
        };
        match self.components.get(component)? {
            ReferenceOr::Item(schema) => doc_of(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn reference(&mut self, reference: &str) -> Lowered {
        let component = component_name(reference);
        match (self.names.get(component), self.components.get(component)) {
            (Some(rust), Some(target)) => {
                let nullable = matches!(target, ReferenceOr::Item(s) if adjusted(s).nullable);
                Lowered {
                    ty: TypeRef::Named(rust.clone()),
                    nullable,
                }
            }
            _ => {
                // The resolver guarantees internal references; anything else is a bug upstream of us.
                self.warnings
                    .push(format!("unresolved reference {reference}; typed as JSON"));
                Lowered {
                    ty: TypeRef::Json,
                    nullable: false,
                }
            }
        }
    }

    fn inline(&mut self, schema: &Schema, hint: &str) -> Lowered {
        // An `allOf` that includes its own schema re-creates the property that holds it at every
        // level; no real nesting is this deep, so stop there rather than recurse forever.
        if self.depth >= MAX_INLINE_DEPTH {
            self.warnings.push(format!("{hint}: inline schemas nest more than {MAX_INLINE_DEPTH} deep (an allOf that includes itself?); typed as JSON"));
            return Lowered {
                ty: TypeRef::Json,
                nullable: true,
            };
        }
        self.depth += 1;
        let lowered = self.inline_shape(schema, hint);
        self.depth -= 1;
        lowered
    }

    fn inline_shape(&mut self, schema: &Schema, hint: &str) -> Lowered {
        let adjusted = adjusted(schema);
        let nullable = adjusted.nullable;
        match self.shape(schema, hint) {
            Shape::Ref(mut lowered)
            | Shape::Alias {
                mut lowered,
                copied: false,
            } => {
                lowered.nullable |= nullable;
                lowered
            }
            Shape::Defined(kind) => {
                let name = self.scope.claim(pascal(hint));
                let def = TypeDef {
                    name: name.clone(),
                    doc: doc_of(schema),
                    deprecated: adjusted.deprecated,
                    kind,
                    origin: None,
                    example: schema.schema_data.example.clone(),
                };
                self.types.insert(name.clone(), def);
                Lowered {
                    ty: TypeRef::Named(name),
                    nullable,
                }
            }
            Shape::Alias {
                lowered,
                copied: true,
            } => {
                let name = self.scope.claim(pascal(hint));
                self.annotated(&name, &lowered.ty);
                // Deprecation and the like belong to the position (the field), not the type.
                let def = TypeDef {
                    name: name.clone(),
                    doc: alias_doc(schema, &lowered),
                    deprecated: false,
                    kind: TypeKind::Alias(lowered.ty),
                    origin: None,
                    example: None,
                };
                self.types.insert(name.clone(), def);
                Lowered {
                    ty: TypeRef::Named(name),
                    nullable: nullable || lowered.nullable,
                }
            }
        }
    }

    /// What a schema is: a new type to define, or an existing one.
    fn shape(&mut self, schema: &Schema, name: &str) -> Shape {
        let discriminator = schema.schema_data.discriminator.as_ref();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                // A value listed twice is one value (`repair::duplicate_enum_values` warns).
                let mut seen = std::collections::BTreeSet::new();
                let values: Vec<&str> = string
                    .enumeration
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .filter(|v| seen.insert(*v))
                    .collect();
                if !values.is_empty() {
                    return Shape::Defined(TypeKind::StringEnum(enum_values(&values)));
                }
                Shape::plain(match &string.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let mut seen = std::collections::BTreeSet::new();
                let values: Vec<i64> = (integer.enumeration.iter().flatten().copied())
                    .filter(|v| seen.insert(*v))
                    .collect();
                if !values.is_empty() {
                    let mut scope = Scope::with_reserved(&["Unknown"]);
                    let values = values
                        .iter()
                        .map(|v| {
                            let word = if *v < 0 {
                                format!("Minus{}", v.unsigned_abs())
                            } else {
                                format!("V{v}")
                            };
                            (scope.claim(word), *v)
                        })
                        .collect();
                    return Shape::Defined(TypeKind::IntegerEnum(values));
                }
                Shape::plain(match integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                })
            }
            SchemaKind::Type(Type::Number(number)) => Shape::plain(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::plain(TypeRef::Bool),
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => self.lower_boxed(items, &naming::item_of(name)).ty,
                    None => TypeRef::Json,
                };
                Shape::plain(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(object)) => self.object(
                &object.properties,
                &object.required,
                object.additional_properties.as_ref(),
                name,
            ),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, &IndexMap::new(), &[], name),
            SchemaKind::OneOf { one_of } => self.union(one_of, discriminator, name),
            SchemaKind::AnyOf { any_of } => self.union(any_of, discriminator, name),
            SchemaKind::Not { .. } => Shape::plain(TypeRef::Json),
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    self.all_of(&any.all_of, &any.properties, &any.required, name)
                } else if !any.one_of.is_empty() {
                    self.union(&any.one_of, discriminator, name)
                } else if !any.any_of.is_empty() {
                    self.union(&any.any_of, discriminator, name)
                } else if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    self.object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        name,
                    )
                } else if let Some(ty) = unbounded_integer(any) {
                    Shape::plain(ty)
                } else {
                    Shape::plain(TypeRef::Json)
                }
            }
        }
    }

    fn object(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        name: &str,
    ) -> Shape {
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                Some(self.lower(schema, &naming::value_of(name)).ty)
            }
            // Declared open: keep what is not listed, so a read-modify-write loses nothing.
            Some(AdditionalProperties::Any(true)) if !properties.is_empty() => Some(TypeRef::Json),
            _ => None,
        };
        if properties.is_empty() {
            return Shape::plain(match additional {
                Some(value) => TypeRef::Map(Box::new(value)),
                None => TypeRef::JsonObject,
            });
        }
        // The catch-all map of additional properties has this name; a property may not take it.
        let mut scope = if additional.is_some() {
            Scope::with_reserved(&["additional_properties"])
        } else {
            Scope::default()
        };
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, schema) in properties {
            let hint = naming::part_of(name, wire);
            let lowered = self.lower_boxed(schema, &hint);
            let type_doc = self.named_doc(&lowered.ty);
            let data = match schema {
                ReferenceOr::Item(schema) => Some(adjusted(schema)),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                name: scope.claim(snake(wire)),
                wire: wire.clone(),
                ty: lowered.ty,
                required: required.contains(wire),
                nullable: lowered.nullable,
                boxed: false,
                doc: data.as_ref().and_then(|d| d.doc.clone()).or(type_doc),
                deprecated: data.as_ref().is_some_and(|d| d.deprecated),
                read_only: data.as_ref().is_some_and(|d| d.read_only),
                write_only: data.as_ref().is_some_and(|d| d.write_only),
                default: data.and_then(|d| d.default),
                tristate: false,
            });
        }
        Shape::Defined(TypeKind::Struct(Struct { fields, additional }))
    }

    /// `allOf`: the wrapper `allOf: [$ref]` that only attaches a description is the referenced
    /// type, and so is one member beside modifiers (`[$ref, {nullable: true}]`; their annotations
    /// are applied by [`adjusted`]); anything else is merged into one object.
    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own_properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        own_required: &[String],
        name: &str,
    ) -> Shape {
        if let ([ReferenceOr::Reference { reference }], true) = (members, own_properties.is_empty())
        {
            return Shape::Ref(self.reference(reference));
        }
        if own_properties.is_empty() && own_required.is_empty() {
            if let Some((member, _)) = split_members(members) {
                return match member {
                    ReferenceOr::Reference { reference } => Shape::Alias {
                        lowered: self.reference(reference),
                        copied: self.was_copied(member),
                    },
                    ReferenceOr::Item(schema) => self.shape(schema, name),
                };
            }
        }
        let mut merged = Merged::default();
        for member in members {
            if !self.merge_into(member, &mut merged, 0) {
                self.warnings.push(format!(
                    "{name}: an allOf member is not an object; the schema is typed as JSON"
                ));
                return Shape::plain(TypeRef::Json);
            }
        }
        for (key, value) in own_properties {
            merged.properties.insert(key.clone(), value.clone());
        }
        merged.required.extend(own_required.iter().cloned());
        let required: Vec<String> = merged.required.into_iter().collect();
        self.object(
            &merged.properties,
            &required,
            merged.additional.as_ref(),
            name,
        )
    }

    /// Whether merging `member` makes an object with properties (a struct of its own).
    fn was_copied(&self, member: &ReferenceOr<Schema>) -> bool {
        let mut merged = Merged::default();
        self.merge_into(member, &mut merged, 0) && !merged.properties.is_empty()
    }

    /// Adds one allOf member's properties to `merged`; false when the member is not an object.
    fn merge_into(&self, member: &ReferenceOr<Schema>, merged: &mut Merged, depth: usize) -> bool {
        if depth > 64 {
            return false; // An allOf cycle: no finite object.
        }
        let schema = match member {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                match self.components.get(component_name(reference)) {
                    Some(target) => return self.merge_into(target, merged, depth + 1),
                    None => return false,
                }
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                merged.add(
                    &object.properties,
                    &object.required,
                    object.additional_properties.as_ref(),
                );
                true
            }
            SchemaKind::AllOf { all_of } => {
                all_of.iter().all(|m| self.merge_into(m, merged, depth + 1))
            }
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                merged.add(
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                );
                any.all_of
                    .iter()
                    .all(|m| self.merge_into(m, merged, depth + 1))
            }
            _ => false,
        }
    }

    /// `oneOf` / `anyOf`: dispatched on the discriminator's property when the spec gives one and
    /// every alternative is a named schema; otherwise an untagged enum in an order that decodes
    /// soundly.
    fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        name: &str,
    ) -> Shape {
        let mut variants = Vec::with_capacity(members.len());
        for member in members {
            let base = match member {
                ReferenceOr::Reference { reference } => component_name(reference).to_string(),
                ReferenceOr::Item(schema) => super::text(&schema.schema_data.title)
                    .unwrap_or_else(|| kind_word(&schema.schema_kind).to_string()),
            };
            let variant_name = pascal(&base);
            let lowered = self.lower(member, &format!("{name}{variant_name}"));
            let doc = match member {
                ReferenceOr::Item(schema) => super::text(&schema.schema_data.description),
                ReferenceOr::Reference { .. } => None,
            };
            variants.push(Variant {
                name: variant_name,
                ty: lowered.ty,
                boxed: false,
                doc,
            });
        }
        if let Some(mut tagged) = discriminator.and_then(|d| tagged(d, members, &variants)) {
            let mut scope = Scope::default();
            for (_, variant) in &mut tagged.variants {
                variant.name = scope.claim(std::mem::take(&mut variant.name));
            }
            return Shape::Defined(TypeKind::Tagged(tagged));
        }
        // Named, merged where alternatives coincide and ordered for decoding by
        // `unions::settle`, once every type they may refer to exists.
        Shape::Defined(TypeKind::Untagged(variants))
    }
}

/// An integer of a sized format whose bounds lie past what the format holds
/// (`format: int64, maximum: 18446744073709552000`, as generators write "no bound"): such a bound
/// is a float, which openapiv3's integer schema cannot hold, so it reads the schema as untyped;
/// yet it bounds nothing, and the type is the format's.
fn unbounded_integer(any: &openapiv3::AnySchema) -> Option<TypeRef> {
    // Only what the bounds explain: a schema read as untyped for another reason (an `items` on
    // an integer) stays what it was.
    if any.typ.as_deref() != Some("integer")
        || (any.minimum.is_none() && any.maximum.is_none())
        || !any.enumeration.is_empty()
        || any.multiple_of.is_some()
        || any.items.is_some()
        || !any.properties.is_empty()
    {
        return None;
    }
    let (ty, min, max) = match any.format.as_deref()? {
        "int32" => (TypeRef::I32, f64::from(i32::MIN), f64::from(i32::MAX)),
        "int64" => (TypeRef::I64, i64::MIN as f64, i64::MAX as f64),
        _ => return None,
    };
    let vacuous = any.minimum.is_none_or(|m| m <= min) && any.maximum.is_none_or(|m| m >= max);
    vacuous.then_some(ty)
}

/// The tag values of each alternative: the discriminator's `mapping` entries that name it, or
/// else its schema's name, as OpenAPI says. `None` when an alternative is not a named schema.
fn tagged(
    discriminator: &openapiv3::Discriminator,
    members: &[ReferenceOr<Schema>],
    variants: &[Variant],
) -> Option<Tagged> {
    let mut tagged = Vec::with_capacity(members.len());
    for (member, variant) in members.iter().zip(variants) {
        let ReferenceOr::Reference { reference } = member else {
            return None;
        };
        let component = component_name(reference);
        let mut tags: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| component_name(target) == component)
            .map(|(tag, _)| tag.clone())
            .collect();
        if tags.is_empty() {
            tags.push(component.to_string());
        }
        tagged.push((tags, variant.clone()));
    }
    Some(Tagged {
        property: discriminator.property_name.clone(),
        variants: tagged,
    })
}

/// Decoding order of untagged variants: an untagged enum takes the first variant that accepts the
/// input, so narrower types go first (integer before number, objects with fields before free-form
/// objects, anything before a bare JSON value). The sort is stable, so ties keep the spec's order.
pub(super) fn variant_rank(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> u8 {
    match ty {
        TypeRef::Bool => 0,
        TypeRef::I32 | TypeRef::I64 => 1,
        TypeRef::F32 | TypeRef::F64 => 2,
        TypeRef::DateTime | TypeRef::Date => 3,
        TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::StringEnum(_)) => 3,
            Some(TypeKind::IntegerEnum(_)) => 1,
            // A struct with nothing required accepts any object: try it after those that require fields.
            Some(TypeKind::Struct(s)) if s.fields.iter().any(|f| !f.optional()) => 6,
            Some(TypeKind::Struct(_)) => 7,
            _ => 8,
        },
        TypeRef::String => 4,
        TypeRef::Vec(_) | TypeRef::Bytes => 5,
        TypeRef::Map(_) => 9,
        TypeRef::JsonObject => 10,
        TypeRef::Json => 11,
    }
}

#[derive(Default)]
struct Merged {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: BTreeSet<String>,
    additional: Option<AdditionalProperties>,
}

impl Merged {
    fn add(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
    ) {
        for (key, value) in properties {
            self.properties.insert(key.clone(), value.clone());
        }
        self.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            self.additional = Some(additional.clone());
        }
    }
}

enum Shape {
    Defined(TypeKind),
    Ref(Lowered),
    /// A referenced type that the schema only annotates (`allOf: [$ref, {nullable: true}]`).
    /// A component is an alias of it. So is an inline schema when `copied`: earlier versions
    /// merged an object there into a copy named after the position, and that name stays, so
    /// code that names it still compiles; otherwise an inline schema is just that type.
    Alias {
        lowered: Lowered,
        copied: bool,
    },
}

impl Shape {
    fn plain(ty: TypeRef) -> Shape {
        Shape::Ref(Lowered {
            ty,
            nullable: false,
        })
    }
}

fn enum_values(values: &[&str]) -> Vec<EnumValue> {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    values
        .iter()
        .map(|wire| EnumValue {
            name: scope.claim(pascal(wire)),
            wire: wire.to_string(),
        })
        .collect()
}

fn kind_word(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        _ => "Value",
    }
}

/// A schema's description (or title); for an `allOf`, the first inline member's when it has none.
fn doc_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    super::text(&data.description)
        .or_else(|| super::text(&data.title))
        .or_else(|| {
            let members = match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => all_of,
                SchemaKind::Any(any) => &any.all_of,
                _ => return None,
            };
            members
                .iter()
                .filter_map(ReferenceOr::as_item)
                .find_map(doc_of)
        })
}

/// The doc of an alias whose schema only annotates `target`: the schema's, and why it is an alias.
fn alias_doc(schema: &Schema, target: &Lowered) -> Option<String> {
    let TypeRef::Named(target) = &target.ty else {
        return doc_of(schema);
    };
    let note = format!("The same type as `{target}`, which the spec only annotates here.");
    Some(match doc_of(schema) {
        Some(doc) => format!("{doc}\n\n{note}"),
        None => note,
    })
}

/// `#/components/schemas/Name` -> `Name` (the resolver writes only such references).
pub fn component_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
