//! `TypeRef` -> Rust type tokens, with absolute paths so generated code never depends on imports.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Operation, TypeRef};

/// An identifier from a name the naming module already made valid (`r#type` becomes a raw ident).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where generated code refers to a type from: model files reach their siblings through
/// `super::`, other modules through a `use crate::models;` at their top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside `src/models/`.
    Models,
    /// Modules with a `use crate::models;` at their top.
    Outside,
    /// Modules whose items may all be compiled out (the error enums): absolute paths, so no
    /// import is left unused.
    Absolute,
}

/// The Rust type of a reference. Prelude types are unqualified: generated types never take
/// their names (see [`crate::naming::RESERVED_TYPE_NAMES`]).
pub fn rust_type(ty: &TypeRef, place: Place) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::JsonObject => quote!(::serde_json::Map<String, ::serde_json::Value>),
        TypeRef::Map(value) => {
            let value = rust_type(value, place);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Vec(item) => {
            let item = rust_type(item, place);
            quote!(Vec<#item>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            match place {
                Place::Models => quote!(super::#name),
                Place::Outside => quote!(models::#name),
                Place::Absolute => quote!(crate::models::#name),
            }
        }
    }
}

/// The operation's typed error (`errors::...`; `Infallible` for an operation without one).
pub fn error_type(op: &Operation) -> TokenStream {
    match &op.error_type {
        Some(name) => {
            let name = ident(name);
            quote!(errors::#name)
        }
        None => quote!(::std::convert::Infallible),
    }
}
