//! Response enums: one variant per documented status of an operation, carrying that status's
//! body type and the headers the server side can set (`X-Total-Count` of a counted list,
//! documented success headers, `Retry-After` of a 429 or 503), and their encoding as answers.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::super::docs::doc_attrs;
use super::super::types::{ident, rust_type, Place};
use super::Plan;
use crate::ir::media::MediaKind;
use crate::ir::{Api, Operation, StatusMatch, TypeRef};
use crate::naming::{snake, unraw, Scope};

/// One documented answer.
pub(in crate::emit) struct Answer {
    /// The variant name.
    pub name: String,
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
            name: names.claim(success_name(code)),
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
        status: StatusMatch::Code(501),
        body: None,
        headers: Vec::new(),
        doc: "`501`: the implementation does not serve this operation (what the `Api` method answers unless implemented).".into(),
        encoding: Encoding::Json,
    });
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

/// The variant name of a success status.
fn success_name(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritativeInformation".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        other => format!("Status{other}"),
    }
}

impl Answer {
    /// Whether the variant needs named fields (a chosen status, or headers next to the body).
    fn is_struct(&self) -> bool {
        !self.headers.is_empty() || !matches!(self.status, StatusMatch::Code(_))
    }
}

/// The enum and its `into_response`: an inherent method rather than axum's `IntoResponse`,
/// whose many blanket impls make rustc's coherence check of hundreds of impls cost seconds.
pub(super) fn response_enum(plan: &Plan) -> TokenStream {
    let name = ident(&plan.response);
    let variants = plan.answers.iter().map(variant);
    let arms = plan.answers.iter().map(encode_arm);
    let doc = format!(
        " What [`Api::{}`] may answer: one variant per status the spec documents.",
        unraw(&plan.op.method_name)
    );
    // `non_exhaustive`: a status the spec adds is a new variant, not a breaking change.
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The answer as an HTTP response: the status, its headers and the encoded body.
            pub fn into_response(self) -> ::axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// A variant's line in the API listing: its payload and the status it answers.
pub(super) fn shape(answer: &Answer) -> String {
    let body = answer.body.as_ref().map(crate::surface::ty);
    let status = match answer.status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(class) => format!("{class}XX"),
        StatusMatch::Default => "default".into(),
    };
    if !answer.is_struct() {
        let payload = body.map(|b| format!("({b})")).unwrap_or_default();
        return format!("variant{payload} for {status}");
    }
    let mut fields = Vec::new();
    if !matches!(answer.status, StatusMatch::Code(_)) {
        fields.push("status: u16".to_string());
    }
    if let Some(body) = body {
        fields.push(format!("body: {body}"));
    }
    for h in &answer.headers {
        let t = match h.kind {
            HeaderKind::Count | HeaderKind::Seconds => "Option<u64>",
            HeaderKind::Text => "Option<String>",
        };
        fields.push(format!("{}: {t}", h.field));
    }
    format!("variant {{ {} }} for {status}", fields.join(", "))
}

fn variant(answer: &Answer) -> TokenStream {
    let name = ident(&answer.name);
    let doc = doc_attrs(Some(&answer.doc));
    let body = answer.body.as_ref().map(|ty| rust_type(ty, Place::Outside));
    if !answer.is_struct() {
        return match body {
            Some(ty) => quote!(#doc #name(#ty),),
            None => quote!(#doc #name,),
        };
    }
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
    let body = body.map(|ty| quote!(#[doc = " The body."] body: #ty,));
    let headers = answer.headers.iter().map(|h| {
        let field = ident(&h.field);
        let doc = doc_attrs(Some(&h.doc));
        let ty = match h.kind {
            HeaderKind::Count | HeaderKind::Seconds => quote!(Option<u64>),
            HeaderKind::Text => quote!(Option<String>),
        };
        quote!(#doc #field: #ty,)
    });
    quote! {
        #doc
        #name {
            #status
            #body
            #(#headers)*
        },
    }
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
    if !answer.is_struct() {
        return match answer.body {
            Some(_) => quote!(Self::#name(body) => #write,),
            None => quote!(Self::#name => #write,),
        };
    }
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
