//! One handler per operation: read the request into the operation's typed inputs (refusing it
//! first if the implementation's authentication says so), call the trait method, and write its
//! response enum back. A request that cannot be read never reaches the method.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::super::types::{ident, rust_type, Place};
use super::{Hooks, Plan};
use crate::ir::media::MediaKind;
use crate::ir::{Param, ParamLocation, TypeRef};
use crate::naming::unraw;

pub(super) fn handler(plan: &Plan, hooks: &Hooks) -> TokenStream {
    let op = plan.op;
    let name = format_ident!("handle_{}", unraw(&op.method_name));
    let method = ident(&op.method_name);
    let response = ident(&plan.response);
    let operation = &op.id;

    // The operation's documented 401, when the implementation's authentication can answer it.
    let unauthorized = hooks.authenticate.as_ref().and_then(|(_, ty)| {
        let answer = plan.answer(401)?;
        (answer.body.as_ref() == Some(ty)).then(|| ident(&answer.constructor))
    });
    let reject = match plan.answer(400) {
        Some(answer) if answer.body.is_none() => {
            let variant = ident(&answer.constructor);
            quote!({ let _ = rejection; #response::#variant().into_response() })
        }
        Some(answer) => match &hooks.bad_request {
            Some((hook, ty)) if answer.body.as_ref() == Some(ty) => {
                let hook = ident(hook);
                let variant = ident(&answer.constructor);
                quote! {
                    match api.#hook(&rejection) {
                        Some(body) => #response::#variant(body).into_response(),
                        None => runtime::rejected(&rejection),
                    }
                }
            }
            _ => quote!(runtime::rejected(&rejection)),
        },
        None => quote!(runtime::rejected(&rejection)),
    };

    // Each input is read into a local named `arg0`, `arg1`, ... (names that no parameter can
    // take), then they all go into the operation's request struct.
    let mut reads = Vec::new();
    let mut fields = Vec::new();
    let mut next_arg = |field: &str| {
        let arg = format_ident!("arg{}", fields.len());
        let field = ident(field);
        fields.push(quote!(#field: #arg));
        arg
    };
    for p in plan.params(ParamLocation::Path) {
        let arg = next_arg(&p.name);
        let ty = rust_type(&p.ty, Place::Outside);
        let wire = &p.wire;
        reads.push(quote!(let #arg: #ty = inputs.path(#wire)?;));
        reads.push(range_check(p, quote!(#arg), quote!(Path)));
    }
    for p in plan.params(ParamLocation::Query) {
        let arg = next_arg(&p.name);
        let wire = &p.wire;
        let read = match (&p.ty, p.required) {
            (TypeRef::Vec(_), true) => quote!(inputs.query_all(#wire)?),
            (TypeRef::Vec(_), false) => quote!(inputs.query_all_optional(#wire)?),
            (_, true) => quote!(inputs.query_required(#wire)?),
            (_, false) => quote!(inputs.query(#wire)?),
        };
        reads.push(quote!(let #arg = #read;));
        reads.push(range_check(p, quote!(#arg), quote!(Query)));
    }
    for p in plan.params(ParamLocation::Header) {
        let arg = next_arg(&p.name);
        let ty = rust_type(&p.ty, Place::Outside);
        let wire = &p.wire;
        if p.required {
            reads.push(quote!(let #arg: #ty = inputs.header_required(#wire)?;));
        } else {
            reads.push(quote!(let #arg: Option<#ty> = inputs.header(#wire)?;));
        }
        reads.push(range_check(p, quote!(#arg), quote!(Header)));
    }
    let mut reads_body = false;
    if let Some(body) = &op.body {
        let arg = next_arg(&plan.body_arg);
        let ty = super::body_type(body);
        let content_type = &body.content_type;
        reads_body = true;
        let read = match body.kind {
            MediaKind::Json => quote!(inputs.json_body(#content_type)?),
            MediaKind::Form => quote!(inputs.form_body()?),
            MediaKind::Text => quote!(inputs.text_body()?),
            MediaKind::Binary => quote!(inputs.bytes_body()?),
            MediaKind::Multipart => quote!(inputs.raw_body()?),
        };
        if body.required {
            let what = format!("a body of type {content_type}");
            reads.push(quote!(let #arg = #read;));
            reads.push(quote!(let #arg: #ty = inputs.required(#arg, #what)?;));
        } else {
            reads.push(quote!(let #arg: Option<#ty> = #read;));
        }
    }
    let request = ident(&plan.request);
    let take_inputs = if fields.is_empty() {
        quote!(inputs?;)
    } else if reads_body {
        quote!(let mut inputs = inputs?;)
    } else {
        quote!(let inputs = inputs?;)
    };
    // One wait for the request (authentication and body included), one for the implementation;
    // the inputs are then read without waiting, in a closure rather than an async block: each
    // state machine is compile time, in every operation.
    let accept = match unauthorized {
        Some(variant) => quote! {
            let (context, inputs) = match accept(&*api, #operation, request, #reads_body).await {
                Ok(accepted) => accepted,
                Err(body) => return #response::#variant(body).into_response(),
            };
        },
        None => quote! {
            let (context, inputs) = runtime::Inputs::read(#operation, request, #reads_body).await;
        },
    };
    quote! {
        fn #name<A: Api>(api: ::std::sync::Arc<A>, request: runtime::Request) -> runtime::Answer {
            Box::pin(async move {
                #accept
                let decoded = (move || {
                    #take_inputs
                    #(#reads)*
                    Ok::<_, Rejection>(#request { #(#fields),* })
                })();
                match decoded {
                    Ok(request) => api.#method(context, request).await.into_response(),
                    Err(rejection) => #reject,
                }
            })
        }
    }
}

/// Checks an integer parameter against its documented bounds; `value` is the parameter, or an
/// `Option` of it when not required.
fn range_check(p: &Param, value: TokenStream, part: TokenStream) -> TokenStream {
    if p.minimum.is_none() && p.maximum.is_none() {
        return TokenStream::new();
    }
    if !matches!(p.ty, TypeRef::I32 | TypeRef::I64) {
        return TokenStream::new();
    }
    let bound = |b: Option<i64>| match b {
        Some(b) => {
            let b = Literal::i64_unsuffixed(b);
            quote!(Some(#b))
        }
        None => quote!(None),
    };
    let (min, max) = (bound(p.minimum), bound(p.maximum));
    let wire = &p.wire;
    let widen = |v: TokenStream| {
        if p.ty == TypeRef::I64 {
            v
        } else {
            quote!(i64::from(#v))
        }
    };
    if p.required {
        let v = widen(value);
        quote!(inputs.check_range(RequestPart::#part, #wire, #v, #min, #max)?;)
    } else {
        let v = widen(quote!(value));
        quote! {
            if let Some(value) = #value {
                inputs.check_range(RequestPart::#part, #wire, #v, #min, #max)?;
            }
        }
    }
}
