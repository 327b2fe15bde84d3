//! Operations -> request builders. Each operation is a `Client` method taking the required
//! parameters; optional parameters are builder setters, so none has to be spelled out as `None`;
//! the builder is sent by `.await`ing it (or `.send()`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{paragraphs, DocBlocks};
use super::types::{error_type, ident, rust_type as rust_type_in, Place};
use std::collections::BTreeMap;

use crate::ir::media::MediaKind;
use crate::ir::path_template::Piece;
use crate::ir::{Operation, Param, ParamLocation, RequestBody, TypeDef, TypeKind, TypeRef};
use crate::naming::unraw;

pub(super) fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_in(ty, Place::Outside)
}

/// The builder struct, its setters and `send`, and the `Client` method, for one operation.
pub fn operation(
    op: &Operation,
    types: &BTreeMap<String, TypeDef>,
    docs: &DocBlocks,
) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method_name = ident(&op.method_name);
    let output = output_type(op);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let body = op.body.as_ref();

    // Builder fields: required values as given, optional ones as `Option`.
    let mut fields = vec![quote!(client: &'a Client,)];
    let mut args = Vec::new();
    let mut inits = vec![quote!(client: self,)];
    for p in &required {
        let name = ident(&p.name);
        let ty = arg_type(&p.ty);
        fields.push(quote!(#name: #ty,));
        args.push(quote!(#name: #ty));
        inits.push(quote!(#name,));
    }
    for p in &optional {
        let name = ident(&p.name);
        let ty = rust_type(&p.ty);
        fields.push(quote!(#name: Option<#ty>,));
        inits.push(quote!(#name: None,));
    }
    if let Some(b) = body {
        let ty = body_ref_type(&b.ty);
        if b.required {
            fields.push(quote!(body: &'a #ty,));
            args.push(quote!(body: &'a #ty));
            inits.push(quote!(body,));
        } else {
            fields.push(quote!(body: Option<&'a #ty>,));
            inits.push(quote!(body: None,));
        }
    }

    let setters = optional.iter().map(|p| setter(p, op, docs));
    let body_setter = body.filter(|b| !b.required).map(|b| {
        let ty = body_ref_type(&b.ty);
        let doc = docs.attrs(b.doc.as_deref().or(Some("The request body.")));
        quote! {
            #doc
            pub fn body(mut self, body: &'a #ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });

    let success = success_type(op);
    let error = error_type(op);
    let build_request = build_request(op, types);
    let arms = success_arms(op);
    // How the answer decodes: a closure (a function pointer for `Sending`), or for list
    // operations a generic function, so that their stream can take raw items.
    let (decode, decode_as) = match &op.pagination {
        Some(_) => (
            quote!(Self::decode_response_as),
            quote! {
                fn decode_response_as<R: ::serde::de::DeserializeOwned>(
                    response: crate::runtime::RawResponse,
                ) -> Result<ApiResponse<R>, Error<#error>> {
                    match response.code() {
                        #arms
                        _ => Err(response.error()),
                    }
                }
            },
        ),
        None => (
            quote! {
                |response| match response.code() {
                    #arms
                    _ => Err(response.error()),
                }
            },
            TokenStream::new(),
        ),
    };
    // An operation's code is `#[inline]` (see the runtime's `Sending`): compiled in the
    // program that awaits it, not in this crate for every operation.
    let send = quote! {
        /// Sends the request and decodes the answer (what `.await`ing the builder does).
        #[inline]
        pub fn send(self) -> crate::Sending<#success, #error> {
            crate::Sending::new(self.client, self.build_request(), #decode)
        }

        #[inline]
        fn build_request(&self) -> Result<::reqwest::RequestBuilder, Error<#error>> {
            #build_request
        }

        #decode_as
    };
    let extras = super::collection::stream(op);
    let filters = super::collection::filter_helpers(op);
    let method_doc = method_doc(op, types, docs);
    let builder_doc = format!(
        " Request builder for [`Client::{}`]: set optional parameters with its methods, then `.await` it.",
        unraw(&op.method_name)
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder<'a> {
            #(#fields)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter
            #send
            #extras
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = #output;
            type IntoFuture = crate::Sending<#success, #error>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }

        impl Client {
            #method_doc
            #deprecated
            pub fn #method_name<'a>(&'a self, #(#args),*) -> #builder<'a> {
                #builder { #(#inits)* }
            }
        }

        #filters
    }
}

/// `Result<ApiResponse<T>, Error<E>>`: what sending the operation gives.
pub(super) fn output_type(op: &Operation) -> TokenStream {
    let success = success_type(op);
    let error = error_type(op);
    quote!(Result<ApiResponse<#success>, Error<#error>>)
}

/// `T` of [`output_type`]: the success body, `Option` of it when some success has none.
fn success_type(op: &Operation) -> TokenStream {
    match &op.success.ty {
        Some(ty) if !op.success.bodiless.is_empty() => {
            let ty = rust_type(ty);
            quote!(Option<#ty>)
        }
        Some(ty) => rust_type(ty),
        None => quote!(()),
    }
}

/// Required parameters are borrowed: strings as `&'a str`, lists as slices, numbers by value.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&'a str),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => rust_type(ty),
        TypeRef::Vec(item) => {
            let item = rust_type(item);
            quote!(&'a [#item])
        }
        other => {
            let ty = rust_type(other);
            quote!(&'a #ty)
        }
    }
}

fn setter(p: &Param, op: &Operation, docs: &DocBlocks) -> TokenStream {
    let name = ident(&p.name);
    let ty = rust_type(&p.ty);
    let default = p
        .default
        .as_ref()
        .map(|d| format!("The server's default is `{d}`."));
    let bounds = bounds_doc(p);
    let fallback = format!("The `{}` parameter.", p.wire);
    let helpers = (p.wire == "filters").then(|| {
        let typed = (!op.filter_fields.is_empty()).then(|| {
            let name = super::collection::filter_type_name(op);
            format!("the typed helpers of [`filters::{name}`](crate::filters::{name}), or ")
        });
        format!(
            "Build it with {}[`Filter`](crate::filters::Filter); a raw string works too.",
            typed.unwrap_or_default()
        )
    });
    let doc = paragraphs([
        p.doc.as_deref().or(Some(&fallback)),
        helpers.as_deref(),
        default.as_deref(),
        bounds.as_deref(),
    ]);
    let doc = docs.attrs(doc.as_deref());
    let (arg, store) = match &p.ty {
        TypeRef::String => (quote!(value: impl Into<String>), quote!(value.into())),
        _ => (quote!(value: #ty), quote!(value)),
    };
    let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #doc
        #deprecated
        pub fn #name(mut self, #arg) -> Self {
            self.#name = Some(#store);
            self
        }
    }
}

fn bounds_doc(p: &Param) -> Option<String> {
    super::docs::bounds(p.minimum, p.maximum)
        .map(|bounds| format!("Must be {bounds}; any other value is refused before sending."))
}

/// The body of `build_request`: check bounds, build the URL and query, attach the body.
fn build_request(op: &Operation, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let method = format_ident!("{}", op.method.as_str());
    let path = path_expression(op);
    let checks = op
        .params
        .iter()
        .filter(|p| p.minimum.is_some() || p.maximum.is_some())
        .map(|p| {
            let field = ident(&p.name);
            let wire = &p.wire;
            let min = option_tokens(p.minimum);
            let max = option_tokens(p.maximum);
            let value = if p.required {
                quote!(self.#field)
            } else {
                quote!(value)
            };
            let value = if p.ty == TypeRef::I64 {
                value
            } else {
                quote!(#value as i64)
            };
            let check = quote!(crate::runtime::check_range(#wire, #value, #min, #max)?;);
            if p.required {
                check
            } else {
                quote!(if let Some(value) = self.#field { #check })
            }
        });
    let query: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let field = ident(&p.name);
            let push = push_value(&p.ty, &p.wire);
            if p.required {
                quote!({ let value = &self.#field; #push })
            } else {
                quote!(if let Some(value) = &self.#field { #push })
            }
        })
        .collect();
    let query = (!query.is_empty()).then(|| {
        quote! {
            let mut query: Vec<(&str, String)> = Vec::new();
            #(#query)*
            request = request.query(&query);
        }
    });
    let headers = op.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let field = ident(&p.name);
        let wire = &p.wire;
        if p.required {
            quote!(request = request.header(#wire, crate::runtime::simple_value(&self.#field));)
        } else {
            quote!(if let Some(value) = &self.#field { request = request.header(#wire, crate::runtime::simple_value(value)); })
        }
    });
    // Cookies travel together in one `Cookie` header: `a=1; b=2`.
    let cookie_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Cookie)
        .collect();
    let cookies = (!cookie_params.is_empty()).then(|| {
        let pushes = cookie_params.iter().map(|p| {
            let field = ident(&p.name);
            let wire = format!("{}=", p.wire);
            if p.required {
                quote!(cookies.push(#wire.to_string() + &crate::runtime::simple_value(&self.#field));)
            } else {
                quote!(if let Some(value) = &self.#field { cookies.push(#wire.to_string() + &crate::runtime::simple_value(value)); })
            }
        });
        quote! {
            let mut cookies: Vec<String> = Vec::new();
            #(#pushes)*
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, cookies.join("; "));
            }
        }
    });
    let experimental = op.experimental.then(|| {
        let id = &op.id;
        quote!(request = self.client.experimental(#id, request)?;)
    });
    let body = op.body.as_ref().map(|b| {
        if b.required {
            attach_body(b, quote!(self.body), types)
        } else {
            let attach = attach_body(b, quote!(body), types);
            quote!(if let Some(body) = self.body { #attach })
        }
    });
    let accept = &op.success.accept;
    let mutable = query.is_some()
        || op.body.is_some()
        || op.experimental
        || op
            .params
            .iter()
            .any(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie));
    let binding = if mutable {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #(#checks)*
        #binding = self.client.request(::reqwest::Method::#method, #path, #accept)?;
        #query
        #(#headers)*
        #cookies
        #experimental
        #body
        Ok(request)
    }
}

/// The path below the base URL as a `&str` expression: the template's literal text as it is
/// (see `ir::path_template`), each parameter's value percent-encoded where the template has it,
/// whether it fills a segment or is part of one (`/Accounts/{Sid}.json`).
fn path_expression(op: &Operation) -> TokenStream {
    // Runs of literal text are one string; each value is one part between them.
    let mut parts: Vec<TokenStream> = Vec::new();
    let mut text = String::new();
    for segment in &op.segments {
        text.push('/');
        for piece in &segment.0 {
            match piece {
                Piece::Literal(literal) => text.push_str(literal),
                Piece::Param(name) => {
                    if !text.is_empty() {
                        parts.push(quote!(#text));
                        text.clear();
                    }
                    parts.push(path_value(op, name));
                }
            }
        }
    }
    if parts.is_empty() {
        return quote!(#text);
    }
    if !text.is_empty() {
        parts.push(quote!(#text));
    }
    quote!(&[#(#parts),*].concat())
}

/// A path parameter's value, percent-encoded for its place in a segment.
fn path_value(op: &Operation, name: &str) -> TokenStream {
    let param = op
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Path && p.wire == name);
    match param {
        Some(p) if p.ty == TypeRef::String => {
            let field = ident(&p.name);
            quote!(&crate::runtime::path_part(self.#field))
        }
        Some(p) => {
            let field = ident(&p.name);
            quote!(&crate::runtime::path_value(&self.#field))
        }
        // Lowering gives every template name a parameter (see `ir::path_params`).
        None => quote!(""),
    }
}

/// Match arms for the success statuses: a body decodes, no body is `()` (or `None` when other
/// success statuses do have a body).
fn success_arms(op: &Operation) -> TokenStream {
    let literals = |codes: &[u16]| {
        codes
            .iter()
            .map(|c| Literal::u16_unsuffixed(*c))
            .collect::<Vec<_>>()
    };
    let success = &op.success;
    let decode_body = match success.kind {
        MediaKind::Text => quote!(Ok(response.text())),
        MediaKind::Binary => quote!(Ok(response.bytes())),
        _ => quote!(response.json()),
    };
    if success.statuses.is_empty() {
        let decode = if success.ty.is_some() {
            decode_body
        } else {
            quote!(Ok(response.empty()))
        };
        return quote!(200..=299 => #decode,);
    }
    if success.ty.is_none() {
        let codes = literals(&success.statuses);
        return quote!(#(#codes)|* => Ok(response.empty()),);
    }
    if success.bodiless.is_empty() {
        let codes = literals(&success.statuses);
        return quote!(#(#codes)|* => #decode_body,);
    }
    let with_body: Vec<u16> = success
        .statuses
        .iter()
        .copied()
        .filter(|s| !success.bodiless.contains(s))
        .collect();
    let with_body = literals(&with_body);
    let bodiless = literals(&success.bodiless);
    let body_ty = success.ty.as_ref().map(rust_type);
    let decode_some = match success.kind {
        MediaKind::Text => quote!(Ok(response.text().map(Some))),
        MediaKind::Binary => quote!(Ok(response.bytes().map(Some))),
        _ => quote!(response.json::<#body_ty, _>().map(|response| response.map(Some))),
    };
    quote! {
        #(#with_body)|* => #decode_some,
        #(#bodiless)|* => Ok(response.empty().map(|()| None)),
    }
}

/// What a builder holds for a body: strings, bytes and lists as slices (so `&vec` and `&[..]`
/// both do), anything else by reference.
fn body_ref_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(str),
        TypeRef::Bytes => quote!([u8]),
        TypeRef::Vec(item) => {
            let item = rust_type(item);
            quote!([#item])
        }
        other => rust_type(other),
    }
}

/// Attaches the body `value` (a reference) to `request`, encoded as its content type says.
fn attach_body(
    body: &RequestBody,
    value: TokenStream,
    types: &BTreeMap<String, TypeDef>,
) -> TokenStream {
    let content_type = &body.content_type;
    match body.kind {
        MediaKind::Json => quote!(request = Client::json_body(request, #content_type, #value)?;),
        MediaKind::Form => quote!(request = request.form(#value);),
        MediaKind::Text => quote! {
            request = request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(#value.to_string());
        },
        MediaKind::Binary => quote! {
            request = request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(#value.to_vec());
        },
        MediaKind::Multipart => {
            let parts = multipart_parts(&body.ty, &value, types);
            quote! {
                let mut form = ::reqwest::multipart::Form::new();
                #parts
                request = request.multipart(form);
            }
        }
    }
}

/// One part per field of a multipart body: bytes as file parts, everything else as text.
fn multipart_parts(
    ty: &TypeRef,
    value: &TokenStream,
    types: &BTreeMap<String, TypeDef>,
) -> TokenStream {
    // `reference` is an expression of type `&T`.
    let part = |ty: &TypeRef, wire: &str, reference: TokenStream| match ty {
        TypeRef::Bytes => {
            quote!(form = form.part(#wire, ::reqwest::multipart::Part::bytes(#reference.to_vec()).file_name(#wire));)
        }
        _ => quote!(form = form.text(#wire, crate::runtime::query_value(#reference));),
    };
    // An alias of an object is that object: its fields are the parts.
    let fields = match crate::ir::behind_aliases(ty, types) {
        TypeRef::Named(name) => match types.get(&name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => &s.fields,
            _ => return part(ty, "body", value.clone()),
        },
        other => return part(&other, "file", value.clone()),
    };
    let parts = fields.iter().map(|f| {
        let name = ident(&f.name);
        if f.tristate() {
            let add = part(&f.ty, &f.wire, quote!(field));
            quote!(if let Some(Some(field)) = &#value.#name { #add })
        } else if f.optional() {
            let add = part(&f.ty, &f.wire, quote!(field));
            quote!(if let Some(field) = &#value.#name { #add })
        } else {
            let field = quote!(field);
            let add = part(&f.ty, &f.wire, field.clone());
            quote!({ let #field = &#value.#name; #add })
        }
    });
    quote!(#(#parts)*)
}

fn option_tokens(value: Option<i64>) -> TokenStream {
    match value {
        Some(v) => {
            let v = Literal::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// Pushes `value` (a reference to the parameter) onto `query`; arrays are exploded into one
/// pair per item, as OpenAPI's default `form` style says. Values other than strings are written
/// as they serialize (enums as their wire names, date-times in RFC 3339).
fn push_value(ty: &TypeRef, wire: &str) -> TokenStream {
    match ty {
        TypeRef::Vec(item) => {
            let item = if **item == TypeRef::String {
                quote!(item.clone())
            } else {
                quote!(crate::runtime::query_value(item))
            };
            quote!(for item in value.iter() { query.push((#wire, #item)); })
        }
        TypeRef::String => quote!(query.push((#wire, value.to_string()));),
        _ => quote!(query.push((#wire, crate::runtime::query_value(value)));),
    }
}

fn method_doc(op: &Operation, types: &BTreeMap<String, TypeDef>, docs: &DocBlocks) -> TokenStream {
    let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
    let arguments: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            format!(
                "- `{}`: {}",
                unraw(&p.name),
                p.doc
                    .as_deref()
                    .unwrap_or("(undocumented)")
                    .trim()
                    .replace('\n', " ")
            )
        })
        .chain(op.body.iter().filter(|b| b.required).map(|b| {
            format!(
                "- `body`: {}",
                b.doc
                    .as_deref()
                    .unwrap_or("the request body")
                    .trim()
                    .replace('\n', " ")
            )
        }))
        .collect();
    let arguments =
        (!arguments.is_empty()).then(|| format!("Arguments:\n\n{}", arguments.join("\n")));
    let errors = op
        .error_type
        .as_ref()
        .map(|e| format!("Documented errors decode into [`{e}`](crate::errors::{e})."));
    let returns = match (&op.success.ty, &op.success.doc) {
        (Some(_), Some(doc)) => Some(format!("Answers: {}", doc.trim())),
        _ => None,
    };
    let experimental = op.experimental.then_some(
        "Experimental: SailPoint may change it without notice; the client must opt in with `ClientBuilder::experimental(true)`.",
    );
    let paging = op
        .pagination
        .as_ref()
        .map(|_| "Page through every item with the builder's `stream()`.");
    let output = output_type(op)
        .to_string()
        .replace(' ', "")
        .replace(",", ", ");
    let gives = format!(
        "Awaiting the builder sends the request and gives `{output}`: an [`ApiResponse`](crate::ApiResponse) \
         (the decoded body, with status and headers) or an [`Error`](crate::Error)."
    );
    let example = super::examples::operation_example(op, types);
    let doc = paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(endpoint.as_str()),
        arguments.as_deref(),
        returns.as_deref(),
        Some(gives.as_str()),
        paging,
        experimental,
        errors.as_deref(),
        Some(example.as_str()),
    ]);
    docs.attrs(doc.as_deref())
}
