//! What list operations get beyond `send`: a `stream()` of every item, paged lazily, and typed
//! helpers for the filters and sort fields that the operation documents.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::{error_type, ident, rust_type, Place};
use crate::ir::{Operation, TypeRef};
use crate::naming::{snake, unraw};

/// The `stream()` method of a list operation's builder.
pub fn stream(op: &Operation) -> TokenStream {
    let Some(paging) = &op.pagination else {
        return TokenStream::new();
    };
    let item = rust_type(&paging.item, Place::Outside);
    let error = error_type(op);
    let offset = ident(&paging.offset);
    let limit = ident(&paging.limit);
    let page_size = Literal::i64_unsuffixed(paging.page_size);
    let (widen, narrow) = match paging.limit_ty {
        TypeRef::I32 => (
            quote!(i64::from),
            quote!(|v: i64| i32::try_from(v).unwrap_or(i32::MAX)),
        ),
        _ => (quote!(|v: i64| v), quote!(|v: i64| v)),
    };
    let clamp = match paging.max_page_size {
        Some(max) => {
            let max = Literal::i64_unsuffixed(max);
            quote!(.clamp(1, #max))
        }
        None => quote!(.max(1)),
    };
    let count = paging.count.as_ref().map(|count| {
        let count = ident(count);
        quote! {
            if !first {
                page.#count = None;
            }
        }
    });
    let uses_first = if count.is_some() {
        quote!(first)
    } else {
        quote!(_first)
    };
    let doc = format!(
        " Every item, as a stream that fetches pages lazily: {} items a page unless `{}` is set{}, starting at `{}` (or 0). \
         Stops after a short page; cap it with [`Pages::max_items`](crate::Pages::max_items).",
        paging.page_size,
        unraw(&paging.limit),
        paging.max_page_size.map(|m| format!(" (never more than {m})")).unwrap_or_default(),
        unraw(&paging.offset),
    );
    quote! {
        #[doc = #doc]
        // Inline for the reason `send` is (see the runtime's `Sending`).
        #[inline]
        pub fn stream(self) -> crate::Pages<'a, #item, #error> {
            let widen = #widen;
            let narrow = #narrow;
            let start = self.#offset.map_or(0, widen);
            let page_size = self.#limit.map_or(#page_size, widen)#clamp;
            crate::Pages::new(start, page_size, move |offset, limit, #uses_first| {
                let mut page = self.clone();
                page.#offset = Some(narrow(offset));
                page.#limit = Some(narrow(limit));
                #count
                let request = page.build_request();
                Box::pin(crate::Sending::new(
                    page.client,
                    request,
                    Self::decode_response_as::<Vec<Box<::serde_json::value::RawValue>>>,
                ))
            })
        }
    }
}

/// The name of an operation's typed filter helper (`{Builder}Filter`).
pub fn filter_type_name(op: &Operation) -> String {
    format!("{}Filter", unraw(&op.builder_name))
}

/// `{Builder}Filter`, with one function per documented field and operator, and the builder's
/// `SORTABLE_FIELDS`.
pub fn filter_helpers(op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let sortable = (!op.sort_fields.is_empty()).then(|| {
        let fields = &op.sort_fields;
        let doc = format!(
            " The fields [`Client::{}`] can sort by; pass them to `.sorters(...)` (with `-` for descending), or use [`Sorters`](crate::Sorters).",
            unraw(&op.method_name)
        );
        quote! {
            impl #builder<'_> {
                #[doc = #doc]
                pub const SORTABLE_FIELDS: &'static [&'static str] = &[#(#fields),*];
            }
        }
    });
    if op.filter_fields.is_empty() {
        return sortable.unwrap_or_default();
    }
    let name = format_ident!("{}", filter_type_name(op));
    let mut functions = Vec::new();
    for (field, operators) in &op.filter_fields {
        let base = unraw(&snake(field)).to_string();
        for operator in operators {
            let (suffix, call, list) = match operator.as_str() {
                "in" => ("in", quote!(is_in(values)), true),
                "ca" => ("contains_all", quote!(contains_all(values)), true),
                "pr" => ("present", quote!(is_present()), false),
                "isnull" => ("is_null", quote!(is_null()), false),
                other => (
                    other,
                    {
                        let m = format_ident!("{}", other);
                        quote!(#m(value))
                    },
                    false,
                ),
            };
            let function = format_ident!("{}_{}", base, suffix);
            let doc = format!(" `{field} {operator} ...`");
            let signature = match (list, operator.as_str()) {
                (true, _) => {
                    quote!(<V: Into<crate::FilterValue>>(values: impl IntoIterator<Item = V>))
                }
                (false, "pr" | "isnull") => quote!(()),
                _ => quote!((value: impl Into<crate::FilterValue>)),
            };
            functions.push(quote! {
                #[doc = #doc]
                pub fn #function #signature -> crate::Filter {
                    crate::Filter::field(#field).#call
                }
            });
        }
    }
    let doc = format!(
        " The filters [`Client::{}`] documents, one function per field and operator; combine them with \
         `and`, `or` and `not` and pass the result to `.filters(...)`.",
        unraw(&op.method_name)
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name;

        impl #name {
            #(#functions)*
        }

        #sortable
    }
}
