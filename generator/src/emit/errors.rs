//! Typed errors: one variant per documented error status, each decoding its own body type (the
//! status decides the variant, never the body's shape); an alias per operation, naming an enum
//! shared by the operations whose errors are alike (see `ir::errors`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::DocBlocks;
use super::types::{ident, rust_type, Place};
use crate::ir::errors::SharedError;
use crate::ir::{ErrorType, ErrorVariant, StatusMatch};
use crate::naming::unraw;

/// An operation's error type: an alias of the shared enum behind it, documented as its own.
pub fn error_alias(error: &ErrorType, cfg: &TokenStream) -> TokenStream {
    let name = ident(&error.name);
    let shared = ident(&error.shared);
    let users: Vec<String> = error
        .used_by
        .iter()
        .map(|m| format!("[`{0}`](crate::Client::{0})", unraw(m)))
        .collect();
    let doc = format!(" The errors documented for {}.", users.join(", "));
    let variants = error.variants.iter().map(|v| {
        // One line per item: a description's own line breaks would end the list item.
        let text = v
            .doc
            .as_deref()
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty());
        format!(
            " - `{}` ({}): {}",
            v.name,
            status_text(v.status),
            text.as_deref().unwrap_or("undocumented")
        )
    });
    let sharing =
        " An alias of an enum shared with the operations whose errors are alike: name the \
                   alias (which enum it names may change with the spec), and do not rely on two \
                   operations' error types being one type.";
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #(#[doc = #variants])*
        #[doc = ""]
        #[doc = #sharing]
        #cfg
        pub type #name = #shared;
    }
}

/// A shared enum, its `ErrorBody` decoding and its `Display`. Hidden from the docs and from
/// semver checks: users name it through the aliases (see `ir::errors`).
pub fn shared_error(error: &SharedError, cfg: &TokenStream, docs: &DocBlocks) -> TokenStream {
    let name = ident(&error.name);
    let named: Vec<String> = error
        .aliases
        .iter()
        .take(3)
        .map(|a| format!("`{a}`"))
        .collect();
    let more = if error.aliases.len() > 3 { ", ..." } else { "" };
    let count = match error.aliases.len() {
        1 => "1 operation's error type".to_string(),
        n => format!("{n} operations' error types"),
    };
    let doc = format!(
        " The enum behind {count} ({}{more}): see their docs.",
        named.join(", ")
    );
    let variants = error.variants.iter().map(|v| variant(v, docs));
    let arms = error.variants.iter().map(decode_arm);
    let has_default = error
        .variants
        .iter()
        .any(|v| v.status == StatusMatch::Default);
    let fallback = (!has_default).then(|| quote!(_ => return None,));
    // With no variant carrying a body, the body is not read.
    let body_param = if error.variants.iter().any(|v| v.ty.is_some()) {
        quote!(body)
    } else {
        quote!(_body)
    };
    let display_arms = error.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let label = status_label(v);
        match &v.ty {
            Some(_) => {
                let format = format!("{label}: {{:?}}");
                quote!(Self::#variant(body) => write!(f, #format, body),)
            }
            None => quote!(Self::#variant => f.write_str(#label),),
        }
    });
    quote! {
        #[doc = #doc]
        #cfg
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #cfg
        impl crate::runtime::ErrorBody for #name {
            #[inline]
            fn decode(status: u16, #body_param: &[u8]) -> Option<Result<Self, ::serde_json::Error>> {
                Some(match status {
                    #(#arms)*
                    #fallback
                })
            }
        }

        #cfg
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                }
            }
        }
    }
}

/// `404 Not Found`, `4XX Status4xx`, `Other`: what `Display` says before the body.
fn status_label(v: &ErrorVariant) -> String {
    let mut words = String::new();
    for (i, c) in v.name.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            words.push(' ');
        }
        words.push(c);
    }
    match v.status {
        StatusMatch::Code(code) if words.starts_with("Status") => code.to_string(),
        StatusMatch::Code(code) => format!("{code} {words}"),
        StatusMatch::Range(class) => format!("{class}XX"),
        StatusMatch::Default => words,
    }
}

/// `` `404` ``, `` `4XX` `` or "any other status", for docs.
fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("`{code}`"),
        StatusMatch::Range(class) => format!("`{class}XX`"),
        StatusMatch::Default => "any other status".to_string(),
    }
}

fn variant(v: &ErrorVariant, docs: &DocBlocks) -> TokenStream {
    let name = ident(&v.name);
    let text = format!(
        "{}: {}",
        status_text(v.status),
        v.doc.as_deref().unwrap_or("undocumented")
    );
    let doc = docs.attrs(Some(&text));
    match &v.ty {
        Some(ty) => {
            let ty = rust_type(ty, Place::Absolute);
            quote!(#doc #name(#ty),)
        }
        None => quote!(#doc #name,),
    }
}

fn decode_arm(v: &ErrorVariant) -> TokenStream {
    let name = ident(&v.name);
    let pattern = match v.status {
        StatusMatch::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(class) => {
            let low = proc_macro2::Literal::u16_unsuffixed(class * 100);
            let high = proc_macro2::Literal::u16_unsuffixed(class * 100 + 99);
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(_),
    };
    match &v.ty {
        Some(_) => quote!(#pattern => ::serde_json::from_slice(body).map(Self::#name),),
        None => quote!(#pattern => Ok(Self::#name),),
    }
}
