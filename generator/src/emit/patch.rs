//! Constructors for JSON Patch operations (RFC 6902): `JsonPatchOperation::replace(path, value)`
//! in place of `new(op, path)` plus a field assignment. Written for every object shaped like a
//! patch operation (a required string-enum `op`, a required string `path`, an optional `value`),
//! one constructor per operation its `op` enum lists, so an API that allows only `replace` gets
//! only `replace`. They live in a file of their own (`src/patch.rs`), beside the models they extend.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{ident, rust_type, Place};
use crate::ir::features::Features;
use crate::ir::{Field, TypeDef, TypeKind, TypeRef};

/// The constructors of every patch-shaped type. (Untagged values already convert `From` their
/// alternatives' types, so `replace("/name", "HR desk")` needs no wrapping.)
pub fn patch_helpers(types: &BTreeMap<String, TypeDef>, features: &Features) -> TokenStream {
    let cfg = |name: &str| super::cfg_attr(features.types.get(name));
    let mut out = TokenStream::new();
    for def in types.values() {
        let Some(shape) = PatchShape::of(def, types) else {
            continue;
        };
        out.extend(shape.constructors(def, cfg(&def.name)));
    }
    out
}

/// The parts of a patch-shaped object.
struct PatchShape<'a> {
    /// The `op` enum's type and its (variant, wire value) pairs.
    op_type: &'a str,
    ops: Vec<(&'a str, &'a str)>,
    value: Option<&'a Field>,
    from: Option<&'a Field>,
}

impl<'a> PatchShape<'a> {
    fn of(def: &'a TypeDef, types: &'a BTreeMap<String, TypeDef>) -> Option<Self> {
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let field = |wire: &str| s.fields.iter().find(|f| f.wire == wire);
        let op = field("op").filter(|f| !f.optional())?;
        let path = field("path").filter(|f| !f.optional() && f.ty == TypeRef::String)?;
        // `new` takes the required fields: only `op` and `path` may be among them.
        if s.fields
            .iter()
            .any(|f| !f.optional() && f.wire != op.wire && f.wire != path.wire)
        {
            return None;
        }
        let TypeRef::Named(op_type) = &op.ty else {
            return None;
        };
        let TypeKind::StringEnum(values) = &types.get(op_type)?.kind else {
            return None;
        };
        let ops = values
            .iter()
            .filter(|v| {
                ["add", "remove", "replace", "move", "copy", "test"].contains(&v.wire.as_str())
            })
            .map(|v| (v.name.as_str(), v.wire.as_str()))
            .collect::<Vec<_>>();
        let from = field("from").filter(|f| f.optional() && f.ty == TypeRef::String);
        (!ops.is_empty()).then_some(PatchShape {
            op_type,
            ops,
            value: field("value").filter(|f| f.optional()),
            from,
        })
    }

    fn constructors(&self, def: &TypeDef, cfg: TokenStream) -> TokenStream {
        let name = ident(&def.name);
        let op_type = ident(self.op_type);
        let functions = self.ops.iter().filter_map(|(variant, wire)| {
            let variant = ident(variant);
            // Typed first: `new` may take the path as `String` or `impl Into<String>`.
            let start = quote! {
                let path: String = path.into();
                #[allow(unused_mut)]
                let mut patch = Self::new(crate::models::#op_type::#variant, path);
            };
            match *wire {
                "add" | "replace" | "test" => {
                    let value = self.value?;
                    let ty = rust_type(&value.ty, Place::Absolute);
                    let field = ident(&value.name);
                    let set = if value.tristate() {
                        quote!(Some(Some(value.into())))
                    } else {
                        quote!(Some(value.into()))
                    };
                    let doc =
                        format!(" `{{\"op\": \"{wire}\", \"path\": path, \"value\": value}}`");
                    let function = format_ident!("{}", wire);
                    Some(quote! {
                        #[doc = #doc]
                        pub fn #function(path: impl Into<String>, value: impl Into<#ty>) -> Self {
                            #start
                            patch.#field = #set;
                            patch
                        }
                    })
                }
                "remove" => {
                    let doc = format!(" `{{\"op\": \"{wire}\", \"path\": path}}`");
                    Some(quote! {
                        #[doc = #doc]
                        pub fn remove(path: impl Into<String>) -> Self {
                            #start
                            patch
                        }
                    })
                }
                _ => {
                    let from = self.from?;
                    let field = ident(&from.name);
                    let set = if from.tristate() {
                        quote!(Some(Some(from.into())))
                    } else {
                        quote!(Some(from.into()))
                    };
                    let doc = format!(" `{{\"op\": \"{wire}\", \"from\": from, \"path\": path}}`");
                    let function = format_ident!("{}_from", wire);
                    Some(quote! {
                        #[doc = #doc]
                        pub fn #function(from: impl Into<String>, path: impl Into<String>) -> Self {
                            #start
                            patch.#field = #set;
                            patch
                        }
                    })
                }
            }
        });
        quote! {
            #cfg
            impl crate::models::#name {
                #(#functions)*
            }
        }
    }
}
