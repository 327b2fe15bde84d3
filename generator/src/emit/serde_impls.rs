//! Types whose serde impls are written out: discriminated unions (the discriminator property's
//! value picks the alternative, so decoding
//! never guesses from the shape; a value this client does not know is kept as JSON.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::DocBlocks;
use super::types::{ident, rust_type, Place};
use crate::ir::Tagged;

/// The enum, with `Serialize` (each alternative as itself) and `Deserialize` (by the tag).
pub fn tagged(name: &Ident, tagged: &Tagged, head: TokenStream, docs: &DocBlocks) -> TokenStream {
    let property = &tagged.property;
    let variants = tagged.variants.iter().map(|(tags, v)| {
        let variant = ident(&v.name);
        let mut ty = rust_type(&v.ty, Place::Models);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let selectors: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
        let text = format!("`{property}` is {}.", selectors.join(" or "));
        let doc = docs.attrs(Some(v.doc.as_deref().unwrap_or(&text)));
        quote!(#doc #variant(#ty),)
    });
    let serialize_arms = tagged.variants.iter().map(|(_, v)| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => value.serialize(serializer),)
    });
    let deserialize_arms = tagged.variants.iter().map(|(tags, v)| {
        let variant = ident(&v.name);
        let decode = if v.boxed {
            quote!(::serde_json::from_value(value).map(|v| Self::#variant(Box::new(v))))
        } else {
            quote!(::serde_json::from_value(value).map(Self::#variant))
        };
        quote!(#(Some(#tags))|* => #decode.map_err(::serde::de::Error::custom),)
    });
    let documented: Vec<String> = tagged
        .variants
        .iter()
        .flat_map(|(tags, _)| tags.iter().map(|t| format!("`{t}`")))
        .collect();
    let unknown_kind = format!("`{property}` must be one of {}", documented.join(", "));
    quote! {
        #head
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A kind this client does not know yet (APIs add kinds without notice), as sent.
            Unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = ::serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(::serde_json::Value::as_str) {
                    #(#deserialize_arms)*
                    // A request the server reads must be one of the documented kinds.
                    _ if crate::runtime::de::strict() => Err(::serde::de::Error::custom(#unknown_kind)),
                    _ => Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// An integer enum: written and read as its number; numbers added after generation decode as
/// `Unknown`.
pub fn integer_enum(name: &Ident, values: &[(String, i64)], head: TokenStream) -> TokenStream {
    let variants = values.iter().map(|(variant, value)| {
        let variant = ident(variant);
        let doc = format!(" `{value}`");
        quote!(#[doc = #doc] #variant,)
    });
    let to_number = values.iter().map(|(variant, value)| {
        let variant = ident(variant);
        let value = proc_macro2::Literal::i64_unsuffixed(*value);
        quote!(Self::#variant => #value,)
    });
    let listed: Vec<String> = values.iter().map(|(_, value)| value.to_string()).collect();
    let expected = format!("one of {}", listed.join(", "));
    let from_number = values.iter().map(|(variant, value)| {
        let variant = ident(variant);
        let value = proc_macro2::Literal::i64_unsuffixed(*value);
        quote!(#value => Self::#variant,)
    });
    quote! {
        #head
        #[derive(Debug, Clone, Copy)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet.
            Unknown(i64),
        }

        crate::runtime::object::by_wire_value!(#name, value);

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #(#to_number)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_number)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = Self::from(i64::deserialize(deserializer)?);
                match value {
                    // A request the server reads must use the documented values.
                    Self::Unknown(number) if crate::runtime::de::strict() => Err(::serde::de::Error::invalid_value(
                        ::serde::de::Unexpected::Signed(number),
                        &#expected,
                    )),
                    value => Ok(value),
                }
            }
        }
    }
}
