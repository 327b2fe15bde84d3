//! Named types -> Rust items: structs with serde attributes and a `new` for the required fields,
//! string enums that also accept values added after generation, untagged unions.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{paragraphs, DocBlocks};
use super::types::{ident, rust_type as rust_type_in, Place};
use crate::ir::{EnumValue, Field, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::naming::{self, unraw};

fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_in(ty, Place::Models)
}

/// The items of one model file.
pub fn model(def: &TypeDef, types: &BTreeMap<String, TypeDef>, docs: &DocBlocks) -> TokenStream {
    let fallback = format!("The `{}` schema.", def.name);
    let origin = def
        .origin
        .as_ref()
        .map(|o| format!("Generated from `{o}`."));
    let doc = paragraphs([def.doc.as_deref().or(Some(&fallback)), origin.as_deref()]);
    let doc = docs.attrs(doc.as_deref());
    let deprecated = def.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(&name, s, types, quote!(#doc #deprecated), docs),
        TypeKind::StringEnum(values) => string_enum(&name, values, quote!(#doc #deprecated)),
        TypeKind::Untagged(variants) => untagged(&name, variants, quote!(#doc #deprecated), docs),
        TypeKind::Tagged(t) => super::serde_impls::tagged(&name, t, quote!(#doc #deprecated), docs),
        TypeKind::IntegerEnum(values) => {
            super::serde_impls::integer_enum(&name, values, quote!(#doc #deprecated))
        }
        // A type alias cannot contain itself (`D = Vec<D>`); such a schema is a newtype.
        TypeKind::Alias(ty) if is_newtype(def, types) => {
            let ty = rust_type(ty);
            quote! {
                #doc #deprecated
                #[derive(Debug, Clone, PartialEq)]
                pub struct #name(pub #ty);

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        ::serde::Serialize::serialize(&self.0, serializer)
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        ::serde::Deserialize::deserialize(deserializer).map(Self)
                    }
                }
            }
        }
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty);
            quote!(#doc #deprecated pub type #name = #ty;)
        }
    }
}

fn structure(
    name: &proc_macro2::Ident,
    s: &Struct,
    types: &BTreeMap<String, TypeDef>,
    head: TokenStream,
    docs: &DocBlocks,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(f, docs));
    let additional = s.additional.as_ref().map(|ty| {
        let ty = rust_type(ty);
        quote! {
            /// Properties beyond the ones listed above.
            pub additional_properties: ::std::collections::BTreeMap<String, #ty>,
        }
    });
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.optional()).collect();
    let params = required.iter().map(|f| {
        let name = ident(&f.name);
        let ty = if f.takes_into_string() {
            quote!(impl Into<String>)
        } else {
            field_type(f)
        };
        quote!(#name: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        if f.optional() {
            quote!(#name: None)
        } else if f.takes_into_string() {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        }
    });
    let additional_init = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    let new_doc = if required.is_empty() {
        " An instance with every optional field left out.".to_string()
    } else {
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", unraw(&f.name)))
            .collect();
        format!(
            " An instance from the required fields ({}); the optional ones are left out.",
            names.join(", ")
        )
    };
    // A constructor takes every required field, however many the schema has.
    let many_arguments = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let allow_deprecated = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    // With nothing required, `Default` is the natural way to start (and what clippy expects).
    let serde = object_impls(name, s, types);
    let default = required.is_empty().then(|| quote!(Default,));
    let setters = s.fields.iter().map(setter);
    // `non_exhaustive`: a struct literal outside this crate would break when the spec adds an
    // optional property; `new(required...)` and the setters are how a value is built, so adding
    // a field is a compatible change of the crate.
    quote! {
        #head
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #serde

        impl #name {
            #[doc = #new_doc]
            #allow_deprecated
            #many_arguments
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #additional_init }
            }

            #(#setters)*
        }
    }
}

/// `with_field(value)`: sets one field and gives the value back, so that a body is one
/// expression (`Dto::new(a, b).with_description("x")`). Its signature is the same whether the
/// field is required or optional, so a field that changes between the two keeps its setter.
/// `#[inline]`: compiled only where it is called.
fn setter(f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let method = quote::format_ident!("{}", naming::setter(&f.name));
    let inner = rust_type(&f.ty);
    let (arg, value) = if f.tristate() {
        let ty = if f.boxed {
            quote!(Option<Box<#inner>>)
        } else {
            quote!(Option<#inner>)
        };
        (ty, quote!(value))
    } else if f.boxed {
        (inner, quote!(Box::new(value)))
    } else if f.takes_into_string() {
        (quote!(impl Into<String>), quote!(value.into()))
    } else {
        (inner, quote!(value))
    };
    // A tristate field's setter takes the inner `Option` (`None` sends `null`).
    let value = if f.optional() {
        quote!(Some(#value))
    } else {
        value
    };
    let doc = if f.tristate() {
        format!(
            " Sets `{}`: `Some` sends the value, `None` sends `null`.",
            f.wire
        )
    } else {
        format!(" Sets `{}`.", f.wire)
    };
    let deprecated = f
        .deprecated
        .then(|| quote!(#[deprecated] #[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #deprecated
        #[inline]
        pub fn #method(mut self, value: #arg) -> Self {
            self.#field = #value;
            self
        }
    }
}

/// The field's type, with `Box` and `Option` as needed.
fn field_type(f: &Field) -> TokenStream {
    let mut ty = rust_type(&f.ty);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    if f.tristate() {
        ty = quote!(Option<Option<#ty>>);
    } else if f.optional() {
        ty = quote!(Option<#ty>);
    }
    ty
}

/// `Serialize` and `Deserialize` for a struct: one `impl_object!` of the generated crate's
/// runtime (runtime/src/runtime/object.rs) listing the fields with their JSON names and how each
/// is written and read. A list rather than the impls themselves: the generated file stays short
/// and reads like the schema, and the code all models share is written once.
fn object_impls(
    name: &proc_macro2::Ident,
    s: &Struct,
    types: &BTreeMap<String, TypeDef>,
) -> TokenStream {
    let fields = s.fields.iter().enumerate().map(|(i, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let field = ident(&f.name);
        let wire = &f.wire;
        let mode = quote::format_ident!("{}", field_mode(f, types));
        quote!(#index => #field: #wire #mode,)
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(..additional_properties));
    quote! {
        crate::runtime::object::impl_object! {
            #name {
                #(#fields)*
                #additional
            }
        }
    }
}

/// How a field is written and read; see `impl_object!` in runtime/src/runtime/object.rs.
fn field_mode(f: &Field, types: &BTreeMap<String, TypeDef>) -> &'static str {
    if f.tristate() {
        "tristate"
    } else if !f.optional() {
        "required"
    } else if !f.skip_if_none() {
        if lenient(f, types) {
            "lenient_nullable"
        } else {
            "nullable"
        }
    } else if lenient(f, types) {
        // The server side reads requests strictly, where `null` matters (`de::strictly`).
        if f.nullable {
            "lenient_optional_nullable"
        } else {
            "lenient"
        }
    } else if f.nullable {
        "optional_nullable"
    } else {
        "optional"
    }
}

/// The server sends `""` for objects and dates it has no value for (the seed's own example has
/// `"ownerRef": ""`); optional fields of those types read `""` as absent instead of failing the
/// whole response.
fn lenient(f: &Field, types: &BTreeMap<String, TypeDef>) -> bool {
    match crate::ir::behind_aliases(&f.ty, types) {
        TypeRef::DateTime | TypeRef::Date => true,
        TypeRef::Named(n) => matches!(types.get(&n).map(|t| &t.kind), Some(TypeKind::Struct(_))),
        _ => false,
    }
}

fn field(f: &Field, docs: &DocBlocks) -> TokenStream {
    let name = ident(&f.name);
    let ty = field_type(f);
    let default = f
        .default
        .as_ref()
        .map(|d| format!("The API's default: `{d}`."));
    let access = match (f.read_only, f.write_only) {
        (true, _) => Some("Read-only: set by the server and ignored when sent."),
        (_, true) => Some("Write-only: sent to the server, never returned."),
        _ => None,
    };
    let tristate = f
        .tristate()
        .then_some("`None` leaves it out; `Some(None)` sends `null`.");
    let fallback = format!("The `{}` property.", f.wire);
    let doc = paragraphs([
        f.doc.as_deref().or(Some(&fallback)),
        default.as_deref(),
        access,
        tristate,
    ]);
    let doc = docs.attrs(doc.as_deref());
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub #name: #ty,
    }
}

fn string_enum(name: &proc_macro2::Ident, values: &[EnumValue], head: TokenStream) -> TokenStream {
    let variants = values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        let doc = if wire.is_empty() {
            " `\"\"` (the empty string)".to_string()
        } else {
            format!(" `{wire}`")
        };
        quote!(#[doc = #doc] #variant,)
    });
    let arms = values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#variant => #wire,)
    });
    let wires = values.iter().map(|v| &v.wire);
    let decode_arms = values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#variant,)
    });
    // serde's derive would need `#[serde(untagged)]` for `Unknown`, which buffers every value
    // and compiles a fallback decoder per enum; an enum on the wire is just its string.
    // `non_exhaustive` and compared by wire value (see `by_wire_value!` in
    // runtime/src/runtime/object.rs): a value the spec adds is a compatible change of the crate.
    quote! {
        #head
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet: APIs add enum values without notice.
            Unknown(String),
        }

        crate::runtime::object::by_wire_value!(#name, as_str);

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    #(#decode_arms)*
                    // A request the server reads must use the documented values.
                    _ if crate::runtime::de::strict() => {
                        return Err(<D::Error as ::serde::de::Error>::unknown_variant(&value, &[#(#wires),*]));
                    }
                    _ => Self::Unknown(value),
                })
            }
        }
    }
}

fn untagged(
    name: &proc_macro2::Ident,
    variants: &[Variant],
    head: TokenStream,
    docs: &DocBlocks,
) -> TokenStream {
    let items = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut ty = rust_type(&v.ty);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let fallback = format!("A value of the `{}` alternative.", v.name);
        let doc = docs.attrs(Some(v.doc.as_deref().unwrap_or(&fallback)));
        quote!(#doc #variant(#ty),)
    });
    // `From` for every payload type that only one variant has, so values convert with `.into()`.
    let conversions = variants
        .iter()
        .filter(|v| !v.boxed && variants.iter().filter(|o| o.ty == v.ty).count() == 1)
        .map(|v| {
            let variant = ident(&v.name);
            let ty = rust_type(&v.ty);
            let from_str = (v.ty == TypeRef::String).then(|| {
                quote! {
                    impl ::std::convert::From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#variant(value.to_string())
                        }
                    }
                }
            });
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(value)
                    }
                }
                #from_str
            }
        });
    let encode_arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => ::serde::Serialize::serialize(value, serializer),)
    });
    let attempts = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut ty = rust_type(&v.ty);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        quote! {
            if let Ok(value) = <#ty as ::serde::Deserialize>::deserialize(&value) {
                return Ok(Self::#variant(value));
            }
        }
    });
    // (`_value` only for an enum without alternatives, which nothing can decode.)
    let value = if variants.is_empty() {
        quote!(_value)
    } else {
        quote!(value)
    };
    let no_match = format!("data did not match any variant of untagged enum {name}");
    quote! {
        #head
        ///
        /// Decoded by trying each alternative in the order listed, narrowest first.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#items)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#encode_arms)*
                }
            }
        }

        /// The value is read once, then each alternative is tried on it in order.
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let #value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#attempts)*
                Err(::serde::de::Error::custom(#no_match))
            }
        }
        #(#conversions)*
    }
}

/// Whether an alias is written as a newtype: one that names itself (`D = Vec<D>`).
pub(crate) fn is_newtype(def: &TypeDef, types: &BTreeMap<String, TypeDef>) -> bool {
    matches!(&def.kind, TypeKind::Alias(ty) if refers_to(ty, &def.name, types, &mut Vec::new()))
}

/// Whether `ty` names `target` through containers and other aliases only (what a type alias
/// would have to expand forever).
fn refers_to(
    ty: &TypeRef,
    target: &str,
    types: &BTreeMap<String, TypeDef>,
    seen: &mut Vec<String>,
) -> bool {
    match ty.named() {
        Some(name) if name == target => true,
        Some(name) if !seen.iter().any(|s| s == name) => {
            seen.push(name.to_string());
            matches!(types.get(name).map(|t| &t.kind), Some(TypeKind::Alias(inner)) if refers_to(inner, target, types, seen))
        }
        _ => false,
    }
}
