//! Typed error enums: one variant per documented error status, each decoding its own body type.
//! The status decides the variant, never the body's shape.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::types::{ident, rust_type, Place};
use crate::ir::{ErrorType, ErrorVariant, StatusMatch};
use crate::naming::unraw;

/// The enum, its `ErrorBody` decoding and its `Display`.
pub fn error_type(error: &ErrorType, cfg: &TokenStream) -> TokenStream {
    let name = ident(&error.name);
    let users: Vec<String> = error
        .used_by
        .iter()
        .map(|m| format!("[`{0}`](crate::Client::{0})", unraw(m)))
        .collect();
    let doc = if users.len() <= 3 {
        format!(" The errors documented for {}.", users.join(", "))
    } else {
        format!(
            " The errors documented for {} operations, {} among them.",
            users.len(),
            users[..3].join(", ")
        )
    };
    let variants = error.variants.iter().map(variant);
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

fn variant(v: &ErrorVariant) -> TokenStream {
    let name = ident(&v.name);
    let status = match v.status {
        StatusMatch::Code(code) => format!("`{code}`"),
        StatusMatch::Range(class) => format!("`{class}XX`"),
        StatusMatch::Default => "any other status".to_string(),
    };
    let text = format!("{status}: {}", v.doc.as_deref().unwrap_or("undocumented"));
    let doc = doc_attrs(Some(&text));
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
