//! Response enums: one variant per documented status of an operation, carrying that status's
//! body type and the headers the server side can set (`X-Total-Count` of a counted list,
//! documented success headers, `Retry-After` of a 429 or 503), and their encoding as answers.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::docs::DocBlocks;
use super::super::types::{ident, rust_type, Place};
use super::Plan;
use crate::ir::media::MediaKind;
use crate::ir::{Api, Operation, StatusMatch, TypeRef};
use crate::naming::{snake, unraw, Scope};

/// One documented answer.
pub(in crate::emit) struct Answer {
    /// The variant name.
    pub name: String,
    /// Its constructor's name (`ok`, `not_found`).
    pub constructor: String,
    pub status: StatusMatch,
    pub body: Option<TypeRef>,
    pub headers: Vec<HeaderField>,
    pub doc: String,
    /// How the body is written.
    pub encoding: Encoding,
}

/// How an answer's body is written: as the client reads it.
#[derive(Clone, PartialEq, Eq)]
pub(in crate::emit) enum Encoding {
    Json,
    /// A string, with this content type.
    Text(String),
    /// Bytes, with this content type.
    Bytes(String),
}

/// A header an answer may carry.
pub(in crate::emit) struct HeaderField {
    /// The field name.
    pub field: String,
    /// The header name, lower case (as HTTP/2 and axum want them).
    pub wire: String,
    pub kind: HeaderKind,
    pub doc: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::emit) enum HeaderKind {
    /// `X-Total-Count`: a count.
    Count,
    /// `Retry-After`: seconds.
    Seconds,
    /// Any other documented header: text.
    Text,
}

const TOTAL_COUNT: &str = "x-total-count";

/// Every answer of `op`, success first, each under a unique variant name.
pub(super) fn answers(op: &Operation, api: &Api) -> Vec<Answer> {
    let mut names = Scope::with_reserved(&[]);
    let mut answers = Vec::new();
    let success = &op.success;
    let statuses = if success.statuses.is_empty() {
        vec![200]
    } else {
        success.statuses.clone()
    };
    // The content type the client asks for, when it names one; else a generic one.
    let concrete = |fallback: &str| {
        let accept = success.accept.split(',').next().unwrap_or_default().trim();
        if accept.is_empty() || accept.contains('*') {
            fallback.to_string()
        } else {
            accept.to_string()
        }
    };
    let encoding = match success.kind {
        MediaKind::Text => Encoding::Text(concrete("text/plain")),
        MediaKind::Binary => Encoding::Bytes(concrete("application/octet-stream")),
        _ => Encoding::Json,
    };
    for (i, &code) in statuses.iter().enumerate() {
        let body = success
            .ty
            .clone()
            .filter(|_| !success.bodiless.contains(&code));
        let doc = match (i, &success.doc) {
            (0, Some(doc)) => format!("`{code}`: {doc}"),
            _ => format!("`{code}`."),
        };
        answers.push(Answer {
            name: names.claim(crate::naming::success_variant(code)),
            constructor: String::new(),
            status: StatusMatch::Code(code),
            body,
            headers: success_headers(op),
            doc,
            encoding: encoding.clone(),
        });
    }
    let variants = op
        .error_type
        .as_ref()
        .and_then(|name| api.error_types.get(name))
        .map(|e| e.variants.as_slice())
        .unwrap_or_default();
    for variant in variants {
        let status = match variant.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(class) => format!("`{class}XX`"),
            StatusMatch::Default => "Any other status".into(),
        };
        let headers = match variant.status {
            StatusMatch::Code(429 | 503) => vec![HeaderField {
                field: "retry_after".into(),
                wire: "retry-after".into(),
                kind: HeaderKind::Seconds,
                doc: "`Retry-After`: how many seconds the client should wait before trying again."
                    .into(),
            }],
            _ => Vec::new(),
        };
        answers.push(Answer {
            name: names.claim(variant.name.clone()),
            constructor: String::new(),
            status: variant.status,
            body: variant.ty.clone(),
            headers,
            doc: format!(
                "{status}: {}",
                variant.doc.as_deref().unwrap_or("undocumented")
            ),
            // The client decodes every documented error body as JSON.
            encoding: Encoding::Json,
        });
    }
    // Last: what a trait method answers until it is implemented (see `Plan::unimplemented`).
    answers.push(Answer {
        name: names.claim("NotImplemented".into()),
        constructor: String::new(),
        status: StatusMatch::Code(501),
        body: None,
        headers: Vec::new(),
        doc: "`501`: the implementation does not serve this operation (what the `Api` method answers unless implemented).".into(),
        encoding: Encoding::Json,
    });
    let mut constructors = Scope::with_reserved(&["into_response"]);
    for answer in &mut answers {
        answer.constructor = constructors.claim(snake(&answer.name));
    }
    answers
}

/// `X-Total-Count` for a list that can be counted, and every header the spec documents.
fn success_headers(op: &Operation) -> Vec<HeaderField> {
    let mut fields = Scope::with_reserved(&["status", "body", "response", "value"]);
    let mut headers = Vec::new();
    let documented_count = op
        .success
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case(TOTAL_COUNT));
    let counted = op.pagination.as_ref().is_some_and(|p| p.count.is_some());
    if counted || documented_count {
        headers.push(HeaderField {
            field: fields.claim("total_count".into()),
            wire: TOTAL_COUNT.into(),
            kind: HeaderKind::Count,
            doc: if counted {
                "`X-Total-Count`: how many items match, ignoring offset and limit; send it when the request asks with `count=true`.".into()
            } else {
                "`X-Total-Count`: how many items match, ignoring offset and limit.".into()
            },
        });
    }
    let mut seen = vec![TOTAL_COUNT.to_string()];
    for (name, doc) in &op.success.headers {
        let wire = name.to_ascii_lowercase();
        if seen.contains(&wire) {
            continue;
        }
        seen.push(wire.clone());
        headers.push(HeaderField {
            field: fields.claim(snake(name)),
            wire,
            kind: HeaderKind::Text,
            doc: format!(
                "`{name}`: {}",
                doc.as_deref().unwrap_or("a documented header.")
            ),
        });
    }
    headers
}

impl Answer {
    /// Whether the implementation chooses the status (a `4XX` or `default` answer).
    fn chosen_status(&self) -> bool {
        !matches!(self.status, StatusMatch::Code(_))
    }
}

fn header_type(kind: HeaderKind) -> TokenStream {
    match kind {
        HeaderKind::Count | HeaderKind::Seconds => quote!(u64),
        HeaderKind::Text => quote!(String),
    }
}

/// The enum and its `into_response`: an inherent method rather than axum's `IntoResponse`,
/// whose many blanket impls make rustc's coherence check of hundreds of impls cost seconds.
pub(super) fn response_enum(plan: &Plan, docs: &DocBlocks) -> TokenStream {
    let name = ident(&plan.response);
    let variants = plan.answers.iter().map(|a| variant(a, docs));
    let arms = plan.answers.iter().map(encode_arm);
    let constructors = plan.answers.iter().map(|a| constructor(a, docs));
    let setters = header_setters(&plan.answers);
    let doc = format!(
        " What [`Api::{}`] may answer: one variant per status the spec documents.",
        unraw(&plan.op.method_name)
    );
    // `non_exhaustive`, and so is every variant: a status the spec adds is a new variant, a header
    // a new field, neither a breaking change; implementations build answers with the
    // constructors (`ok(body)`) and set headers with `with_...` setters.
    quote! {
        #[doc = #doc]
        // Debug only, as the requests (see `Plan::request_struct`).
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            #(#constructors)*
            #(#setters)*

            /// The answer as an HTTP response: the status, its headers and the encoded body.
            // `inline`: compiled in the program that serves the API, where the handlers that
            // call it are (they are generic over the `Api`), not in this crate for every
            // operation: with all features that was 10% of the V3 crate's build.
            #[inline]
            pub fn into_response(self) -> ::axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// A variant's lines in the API listing (`path` is the enum's): the variant, its fields, its
/// constructor; then, from [`header_setter_lines`], the header setters.
pub(super) fn shape(path: &str, answer: &Answer) -> Vec<(String, String)> {
    let status = match answer.status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(class) => format!("{class}XX"),
        StatusMatch::Default => "default".into(),
    };
    let variant = format!("{path}::{}", answer.name);
    let mut lines = vec![(
        variant.clone(),
        format!("variant #[non_exhaustive] {{}} for {status}"),
    )];
    let mut params = Vec::new();
    if answer.chosen_status() {
        lines.push((format!("{variant}::status"), "field: u16".into()));
        params.push("status: u16".to_string());
    }
    if let Some(body) = answer.body.as_ref().map(crate::surface::spelling::ty) {
        lines.push((format!("{variant}::body"), format!("field: {body}")));
        params.push(format!("body: {body}"));
    }
    for h in &answer.headers {
        let t = match h.kind {
            HeaderKind::Count | HeaderKind::Seconds => "u64",
            HeaderKind::Text => "String",
        };
        lines.push((
            format!("{variant}::{}", h.field),
            format!("field: Option<{t}>"),
        ));
        lines.push((
            format!("{path}::with_{}", unraw(&h.field)),
            format!("fn(self, value: impl Into<Option<{t}>>) -> Self"),
        ));
    }
    lines.push((
        format!("{path}::{}", answer.constructor),
        format!("fn({}) -> Self", params.join(", ")),
    ));
    lines
}

fn variant(answer: &Answer, docs: &DocBlocks) -> TokenStream {
    let name = ident(&answer.name);
    let doc = docs.attrs(Some(&answer.doc));
    let status = match answer.status {
        StatusMatch::Code(_) => None,
        StatusMatch::Range(class) => {
            let doc = format!(" The status to answer, one of {class}00..={class}99.");
            Some(quote!(#[doc = #doc] status: u16,))
        }
        StatusMatch::Default => Some(
            quote!(#[doc = " The status to answer (one the spec does not list itself)."] status: u16,),
        ),
    };
    let body = answer.body.as_ref().map(|ty| {
        let ty = rust_type(ty, Place::Outside);
        quote!(#[doc = " The body."] body: #ty,)
    });
    let headers = answer.headers.iter().map(|h| {
        let field = ident(&h.field);
        let doc = docs.attrs(Some(&h.doc));
        let ty = header_type(h.kind);
        quote!(#doc #field: Option<#ty>,)
    });
    quote! {
        #doc
        #[non_exhaustive]
        #name {
            #status
            #body
            #(#headers)*
        },
    }
}

/// `ok(body)`, `not_found(body)`, `status_4xx(status, body)`: the answer with its headers unset.
fn constructor(answer: &Answer, docs: &DocBlocks) -> TokenStream {
    let name = ident(&answer.name);
    let function = ident(&answer.constructor);
    let doc = docs.attrs(Some(&answer.doc));
    let mut params = Vec::new();
    let mut fields = Vec::new();
    if answer.chosen_status() {
        params.push(quote!(status: u16));
        fields.push(quote!(status));
    }
    if let Some(ty) = &answer.body {
        let ty = rust_type(ty, Place::Outside);
        params.push(quote!(body: #ty));
        fields.push(quote!(body));
    }
    for h in &answer.headers {
        let field = ident(&h.field);
        fields.push(quote!(#field: None));
    }
    quote! {
        #doc
        #[inline]
        pub fn #function(#(#params),*) -> Self {
            Self::#name { #(#fields),* }
        }
    }
}

/// One `with_<header>(value)` per header any answer documents: sets it on the answers that
/// carry it, leaves the others as they are.
fn header_setters(answers: &[Answer]) -> Vec<TokenStream> {
    let mut fields: Vec<&HeaderField> = Vec::new();
    for h in answers.iter().flat_map(|a| &a.headers) {
        if !fields.iter().any(|f| f.field == h.field) {
            fields.push(h);
        }
    }
    fields
        .into_iter()
        .map(|h| {
            let field = ident(&h.field);
            let setter = ident(&format!("with_{}", unraw(&h.field)));
            let ty = header_type(h.kind);
            let carriers = answers
                .iter()
                .filter(|a| a.headers.iter().any(|o| o.field == h.field))
                .map(|a| {
                    let name = ident(&a.name);
                    quote!(Self::#name { #field, .. })
                });
            let doc = format!(" Sets {}", h.doc);
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #setter(mut self, value: impl Into<Option<#ty>>) -> Self {
                    if let #(#carriers)|* = &mut self {
                        *#field = value.into();
                    }
                    self
                }
            }
        })
        .collect()
}

fn encode_arm(answer: &Answer) -> TokenStream {
    let name = ident(&answer.name);
    let status = match answer.status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        _ => quote!(status),
    };
    let write = match (&answer.body, &answer.encoding) {
        (None, _) => quote!(runtime::empty(#status)),
        (Some(_), Encoding::Json) => quote!(runtime::json(#status, &body)),
        (Some(_), Encoding::Text(content_type)) => {
            quote!(runtime::text(#status, #content_type, body))
        }
        (Some(_), Encoding::Bytes(content_type)) => {
            quote!(runtime::bytes(#status, #content_type, body))
        }
    };
    let mut bindings = Vec::new();
    if !matches!(answer.status, StatusMatch::Code(_)) {
        bindings.push(quote!(status));
    }
    if answer.body.is_some() {
        bindings.push(quote!(body));
    }
    let headers: Vec<TokenStream> = answer
        .headers
        .iter()
        .map(|h| {
            let field = ident(&h.field);
            bindings.push(quote!(#field));
            let wire = &h.wire;
            let value = match h.kind {
                HeaderKind::Count | HeaderKind::Seconds => {
                    quote!(#field.map(|value| value.to_string()))
                }
                HeaderKind::Text => quote!(#field),
            };
            quote!(runtime::header(&mut response, #wire, #value);)
        })
        .collect();
    if headers.is_empty() {
        return quote!(Self::#name { #(#bindings),* } => #write,);
    }
    quote! {
        Self::#name { #(#bindings),* } => {
            let mut response = #write;
            #(#headers)*
            response
        }
    }
}
