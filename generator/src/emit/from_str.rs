//! `FromStr` for string enums: `"ServiceNowSDIM".parse::<Kind>()`, read as decoding reads the
//! same string in JSON, so a value this client does not know parses as decoding takes it. In a
//! file of its own (`src/from_str.rs`): the impls need nothing from the models' own files.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::types::ident;
use crate::ir::features::Features;
use crate::ir::{TypeDef, TypeKind};

/// One `FromStr` impl per string enum.
pub fn from_str_impls(types: &BTreeMap<String, TypeDef>, features: &Features) -> TokenStream {
    let impls = types
        .values()
        .filter(|def| matches!(def.kind, TypeKind::StringEnum(_)))
        .map(|def| {
            let name = ident(&def.name);
            let cfg = super::cfg_attr(features.types.get(&def.name));
            let doc = format!(
                " Parses a wire value of [`{0}`](crate::models::{0}), as decoding it from JSON does.",
                def.name
            );
            quote! {
                #cfg
                #[doc = #doc]
                impl ::std::str::FromStr for crate::models::#name {
                    type Err = ::serde_json::Error;

                    fn from_str(value: &str) -> Result<Self, Self::Err> {
                        ::serde_json::from_value(::serde_json::Value::String(value.to_owned()))
                    }
                }
            }
        });
    quote!(#(#impls)*)
}
