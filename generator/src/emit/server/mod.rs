//! IR -> the server side of the API (`src/server/mod.rs`, compiled with the generated crate's
//! `server` feature): an `Api` trait with one async method per operation, taking the operation's
//! typed inputs and returning its typed response enum (one variant per documented status), and an
//! axum `router` that reads requests into those inputs and writes the enums back as answers.
//!
//! Client and server come from the same IR, so a request the client writes is one the router
//! reads, and an answer an implementation can give is one the client decodes. The static part
//! (reading parameters and bodies, writing answers) is `runtime/src/server/runtime.rs` (copied in).

mod handlers;
mod responses;

use std::sync::Arc;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{paragraphs, DocBlocks};
use super::types::{ident, rust_type, Place};
use super::{FilePlan, Part};
use crate::ir::media::MediaKind;
use crate::ir::path_template::Piece;
use crate::ir::routes::{Candidate, Route};
use crate::ir::{Api, Method, Operation, Param, ParamLocation, RequestBody, StatusMatch, TypeRef};
use crate::naming::{unraw, Scope};

use responses::Answer;

/// One plan per operation, knowing whether the router serves it.
fn plans(api: &Api) -> Vec<Plan<'_>> {
    let routed: std::collections::BTreeSet<usize> = (api.routes.iter())
        .flat_map(|route| &route.methods)
        .flat_map(|(_, candidates)| candidates.iter().map(|c| c.operation))
        .collect();
    (api.operations.iter().enumerate())
        .map(|(i, op)| Plan::new(op, api, routed.contains(&i)))
        .collect()
}

/// The server module of the generated crate.
pub(in crate::emit) fn plan_file(api: &Api) -> FilePlan<'_> {
    let plans = plans(api);
    let hooks = Hooks::new(&plans, api);
    // Every part refers to the plans; they live as long as the longest-lived part.
    let shared = Arc::new((plans, hooks));
    let count = shared.0.len();
    let part = |make: fn(&[Plan], &Hooks, usize, &DocBlocks) -> TokenStream, i: usize| -> Part {
        let shared = Arc::clone(&shared);
        Box::new(move |docs: &DocBlocks| make(&shared.0, &shared.1, i, docs))
    };
    let mut items = Vec::new();
    for i in 0..count {
        items.push(part(|plans, _, i, docs| plans[i].request_struct(docs), i));
        items.push(part(
            |plans, _, i, docs| responses::response_enum(&plans[i], docs),
            i,
        ));
    }
    items.push(part(
        |plans, hooks, _, docs| api_trait(plans, hooks, docs),
        0,
    ));
    let routes = &api.routes;
    let for_router = Arc::clone(&shared);
    items.push(Box::new(move |_: &DocBlocks| router(&for_router.0, routes)));
    items.push(part(|_, hooks, _, _| accept(hooks), 0));
    // An operation the router cannot reach (see `ir::routes`) has no handler; its `Api` method
    // stays, so the trait is the same either way.
    for i in (0..count).filter(|&i| shared.0[i].routed) {
        items.push(part(
            |plans, hooks, i, _| handlers::handler(&plans[i], hooks),
            i,
        ));
    }
    let head: Part = Box::new(|_: &DocBlocks| {
        quote! {
            // A large success body next to bodiless errors is what a response enum is; boxing it would
            // only make implementations noisier. Operations take as many inputs as the spec gives them.
            #![allow(
                clippy::large_enum_variant,
                clippy::redundant_closure_call,
                clippy::too_many_arguments
            )]

            mod runtime;

            pub use runtime::{decode_strictly, Rejection, RequestContext, RequestPart};
            /// The axum the router is built on, re-exported so that serving it needs no dependency
            /// of its own: `server::axum::serve(listener, server::router(api))`.
            pub use ::axum;
        }
    });
    FilePlan {
        path: "src/server/mod.rs".into(),
        doc: MODULE_DOC.into(),
        head: vec![head],
        imports: Some(&[]),
        items,
    }
}

const MODULE_DOC: &str = "The server side of the API, from the same spec as the client: implement `Api` (one async method per operation, typed inputs in, a typed response enum out) and serve `router` with axum.

Each operation's response enum has one variant per status the spec documents for it, with that status's body type and documented headers, so an implementation cannot answer anything the client would not decode. Requests whose parameters or body cannot be read are answered by the router: with the operation's documented `400` (its body from the rejection hook of `Api`, where the spec documents one), else with a plain-text 400.

Compiled only with the crate's `server` feature.";

/// What the generated code needs to know about one operation, worked out once.
pub(super) struct Plan<'a> {
    pub op: &'a Operation,
    /// The response enum.
    pub response: String,
    /// The request struct: every parameter and the body.
    pub request: String,
    /// The documented answers, success first, then the `501` of an unimplemented method.
    pub answers: Vec<Answer>,
    /// Argument names of the trait method (context, request) and the body's field name.
    pub context_arg: String,
    pub request_arg: String,
    pub body_arg: String,
    /// Whether the router serves it (see `ir::routes`).
    pub routed: bool,
}

impl<'a> Plan<'a> {
    fn new(op: &'a Operation, api: &Api, routed: bool) -> Self {
        let mut scope = Scope::with_reserved(&["self"]);
        for p in &op.params {
            scope.claim(p.name.clone());
        }
        Plan {
            op,
            response: format!("{}Response", op.builder_name),
            request: format!("{}Request", op.builder_name),
            answers: responses::answers(op, api),
            context_arg: scope.claim("context".into()),
            request_arg: scope.claim("request".into()),
            body_arg: scope.claim("body".into()),
            routed,
        }
    }

    pub fn params(&self, location: ParamLocation) -> impl Iterator<Item = &'a Param> {
        self.op
            .params
            .iter()
            .filter(move |p| p.location == location)
    }

    /// The answer of a method that is not implemented: the `501` that `answers` ends with.
    pub fn unimplemented(&self) -> &Answer {
        &self.answers[self.answers.len() - 1]
    }

    /// The answer for an exact status, if documented.
    pub fn answer(&self, status: u16) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|a| a.status == StatusMatch::Code(status))
    }

    /// The struct of the operation's inputs: path, query and header parameters, and the body.
    /// One struct, `non_exhaustive`, for every operation (even one without inputs): a parameter
    /// the spec adds is a new field, not a new argument of the trait method.
    fn request_struct(&self, docs: &DocBlocks) -> TokenStream {
        let name = ident(&self.request);
        let params = [
            (ParamLocation::Path, "path parameter"),
            (ParamLocation::Query, "query parameter"),
            (ParamLocation::Header, "header"),
        ];
        let mut fields = Vec::new();
        for (location, what) in params {
            for p in self.params(location) {
                let field = ident(&p.name);
                let ty = param_type(p);
                let doc = docs.attrs(param_doc(p, what).as_deref());
                fields.push(quote!(#doc pub #field: #ty,));
            }
        }
        if let Some(body) = &self.op.body {
            let field = ident(&self.body_arg);
            let ty = body_type(body);
            let (ty, doc) = if body.required {
                (ty, format!(" The body, as `{}`.", body.content_type))
            } else {
                (
                    quote!(Option<#ty>),
                    format!(
                        " The body, as `{}`; `None` when there is none.",
                        body.content_type
                    ),
                )
            };
            fields.push(quote!(#[doc = #doc] pub #field: #ty,));
        }
        let doc = format!(
            " The inputs of [`Api::{}`], as the router read them.",
            unraw(&self.op.method_name)
        );
        quote! {
            #[doc = #doc]
            // Debug only: Clone and PartialEq on every operation's request and answer cost the V3
            // crate about 6% more rustc memory (BENCHMARKS.md, section 2), for values that go one
            // way, router -> implementation -> router.
            #[derive(Debug)]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
            }
        }
    }

    /// The trait method's arguments after `&self`: the request's context and its inputs.
    fn arguments(&self) -> Vec<TokenStream> {
        let context = ident(&self.context_arg);
        let request = ident(&self.request_arg);
        let ty = ident(&self.request);
        vec![quote!(#context: RequestContext), quote!(#request: #ty)]
    }
}

/// The server side's lines of the API listing (see `crate::surface`): the trait's methods, each
/// operation's request struct and response enum.
pub(crate) fn surface(api: &Api) -> Vec<(String, String)> {
    use crate::surface::spelling::ty;
    let plans = plans(api);
    let hooks = Hooks::new(&plans, api);
    let mut lines = vec![(
        "server::Api".to_string(),
        "trait: Send + Sync + 'static".to_string(),
    )];
    if let Some((name, t)) = &hooks.bad_request {
        lines.push((
            format!("server::Api::{name}"),
            format!(
                "fn(&self, rejection: &Rejection) -> Option<{}> provided",
                ty(t)
            ),
        ));
    }
    if let Some((name, t)) = &hooks.authenticate {
        lines.push((
            format!("server::Api::{name}"),
            format!("fn(&self, context: &RequestContext) -> impl Future<Output = Result<(), {}>> + Send provided", ty(t)),
        ));
    }
    let param = |p: &Param| {
        if p.required {
            ty(&p.ty)
        } else {
            format!("Option<{}>", ty(&p.ty))
        }
    };
    for plan in &plans {
        let op = plan.op;
        let (request, response) = (&plan.request, &plan.response);
        let dep = if op.deprecated { " #[deprecated]" } else { "" };
        lines.push((
            format!("server::Api::{}", op.method_name),
            format!("fn(&self, {}: RequestContext, {}: server::{request}) -> impl Future<Output = server::{response}> + Send provided{dep}", plan.context_arg, plan.request_arg),
        ));
        let path = format!("server::{request}");
        lines.push((path.clone(), "struct #[non_exhaustive] impl Debug".into()));
        for location in [
            ParamLocation::Path,
            ParamLocation::Query,
            ParamLocation::Header,
        ] {
            for p in plan.params(location) {
                lines.push((
                    format!("{path}::{}", p.name),
                    format!("field: {}", param(p)),
                ));
            }
        }
        if let Some(body) = &op.body {
            let t = match body.kind {
                MediaKind::Json | MediaKind::Form => ty(&body.ty),
                MediaKind::Text => "String".into(),
                MediaKind::Binary => "Vec<u8>".into(),
                MediaKind::Multipart => "axum::body::Bytes".into(),
            };
            let t = if body.required {
                t
            } else {
                format!("Option<{t}>")
            };
            lines.push((format!("{path}::{}", plan.body_arg), format!("field: {t}")));
        }
        let path = format!("server::{response}");
        lines.push((path.clone(), "enum #[non_exhaustive] impl Debug".into()));
        lines.push((
            format!("{path}::into_response"),
            "fn(self) -> axum::response::Response".into(),
        ));
        for answer in &plan.answers {
            lines.extend(responses::shape(&path, answer));
        }
    }
    lines
}

/// A body's type as the server receives it: decoded for JSON and forms, a string for text, bytes
/// for anything else, and the raw bytes of a multipart body (which the server does not take apart).
pub(super) fn body_type(body: &RequestBody) -> TokenStream {
    match body.kind {
        MediaKind::Json | MediaKind::Form => rust_type(&body.ty, Place::Outside),
        MediaKind::Text => quote!(String),
        MediaKind::Binary => quote!(Vec<u8>),
        MediaKind::Multipart => quote!(::axum::body::Bytes),
    }
}

/// A parameter's type as the server receives it: `Option` unless required.
fn param_type(p: &Param) -> TokenStream {
    let ty = rust_type(&p.ty, Place::Outside);
    if p.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn param_doc(p: &Param, what: &str) -> Option<String> {
    let fallback = format!("The `{}` {what}.", p.wire);
    let default = p
        .default
        .as_ref()
        .map(|d| format!("`None` means the API's default, `{d}`."));
    let bounds = crate::emit::docs::bounds(p.minimum, p.maximum)
        .map(|bounds| format!("Checked to be {bounds} before the method is called."));
    let deprecated = p.deprecated.then_some("Deprecated.");
    paragraphs([
        p.doc.as_deref().or(Some(&fallback)),
        default.as_deref(),
        bounds.as_deref(),
        deprecated,
    ])
}

/// Trait methods every operation shares: the body of a documented `400` for a request that could
/// not be read, and authentication before an operation that documents a `401`. Each exists only
/// when every operation documenting that status gives it the same body type.
pub(super) struct Hooks {
    pub bad_request: Option<(String, TypeRef)>,
    pub authenticate: Option<(String, TypeRef)>,
}

impl Hooks {
    fn new(plans: &[Plan], api: &Api) -> Self {
        let mut names = Scope::with_reserved(&[]);
        for op in &api.operations {
            names.claim(op.method_name.clone());
        }
        let common = |status: u16| -> Option<TypeRef> {
            let mut types = plans
                .iter()
                .filter_map(|plan| plan.answer(status))
                .map(|answer| answer.body.clone());
            let first = types.next()??;
            types.all(|ty| ty.as_ref() == Some(&first)).then_some(first)
        };
        let bad_request = common(400).map(|ty| (names.claim("bad_request".into()), ty));
        let authenticate = common(401).map(|ty| (names.claim("authenticate".into()), ty));
        Hooks {
            bad_request,
            authenticate,
        }
    }
}

fn api_trait(plans: &[Plan], hooks: &Hooks, docs: &DocBlocks) -> TokenStream {
    let bad_request = hooks.bad_request.as_ref().map(|(name, ty)| {
        let name = ident(name);
        let ty = rust_type(ty, Place::Outside);
        quote! {
            /// The body of the documented `400` that answers a request whose parameters or body
            /// cannot be read into an operation's typed inputs; the rejection says what is wrong
            /// and with which operation. The operation's own method is not called. The default,
            /// `None`, answers a plain-text 400 that says the same.
            fn #name(&self, rejection: &Rejection) -> Option<#ty> {
                let _ = rejection;
                None
            }
        }
    });
    let authenticate = hooks.authenticate.as_ref().map(|(name, ty)| {
        let name = ident(name);
        let ty = rust_type(ty, Place::Outside);
        quote! {
            /// Decides whether a request may be served, before its inputs are read: an `Err`
            /// answers the documented `401` with that body. Called for every operation that
            /// documents a `401`; the default serves every request.
            fn #name(&self, context: &RequestContext) -> impl ::std::future::Future<Output = Result<(), #ty>> + Send {
                let _ = context;
                async { Ok(()) }
            }
        }
    });
    let methods = plans.iter().map(|plan| {
        let op = plan.op;
        let name = ident(&op.method_name);
        let response = ident(&plan.response);
        let args = plan.arguments();
        let (context, request) = (ident(&plan.context_arg), ident(&plan.request_arg));
        let unimplemented = ident(&plan.unimplemented().constructor);
        let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
        let body = op.body.as_ref().map(|b| {
            let how = match b.kind {
                MediaKind::Multipart => " and is handed over undecoded",
                _ => "",
            };
            format!(
                "The body arrives as `{}`{how}{}.",
                b.content_type,
                if b.required {
                    ""
                } else {
                    "; `None` when there is none"
                }
            )
        });
        let deprecated = op.deprecated.then_some("Deprecated.");
        let unrouted = (!plan.routed).then_some(
            "Not served by `router`: its path has parameters side by side, which no router can take apart.",
        );
        let doc = paragraphs([
            op.summary.as_deref(),
            op.description.as_deref(),
            Some(&endpoint),
            body.as_deref(),
            Some("Unless implemented, answers `501 Not Implemented`."),
            unrouted,
            deprecated,
        ]);
        let doc = docs.attrs(doc.as_deref());
        quote! {
            #doc
            fn #name(&self, #(#args),*) -> impl ::std::future::Future<Output = #response> + Send {
                let _ = (#context, #request);
                // A ready future, not an `async` block: one coroutine type less per operation
                // for rustc to build (BENCHMARKS.md, section 2).
                ::std::future::ready(#response::#unimplemented())
            }
        }
    });
    quote! {
        /// The API as a server implements it: one async method per operation, taking the
        /// operation's typed inputs and returning its response enum. Serve an implementation
        /// with [`router`].
        ///
        /// Implement the methods with `async fn`; the futures must be `Send`, since the router
        /// runs them on a multi-threaded runtime. Every method has a default that answers `501
        /// Not Implemented`, and takes its inputs as one `non_exhaustive` struct: an operation or
        /// a parameter the spec adds does not break an implementation.
        pub trait Api: Send + Sync + 'static {
            #bad_request
            #authenticate
            #(#methods)*
        }
    }
}

/// The start of every handler whose operation the implementation authenticates: the request is
/// read, the implementation asked, and only then the body read.
fn accept(hooks: &Hooks) -> TokenStream {
    let Some((hook, ty)) = &hooks.authenticate else {
        return TokenStream::new();
    };
    let hook = ident(hook);
    let ty = rust_type(ty, Place::Outside);
    quote! {
        /// Reads a request's context and inputs once the implementation has authenticated it (its
        /// body only then, if `body`); `Err` holds the body of the `401` to answer instead.
        async fn accept<A: Api>(
            api: &A,
            operation: &'static str,
            request: runtime::Request,
            body: bool,
        ) -> Result<(RequestContext, Result<runtime::Inputs, Rejection>), #ty> {
            let (context, mut inputs) = runtime::Inputs::read(operation, request, false).await;
            api.#hook(&context).await?;
            if body {
                runtime::load_body(&mut inputs).await;
            }
            Ok((context, inputs))
        }
    }
}

fn router(plans: &[Plan], routes: &[Route]) -> TokenStream {
    let routes = routes.iter().map(|route| {
        let path = &route.path;
        let mut chain = TokenStream::new();
        for (i, (method, candidates)) in route.methods.iter().enumerate() {
            let method = format_ident!("{}", routing_function(*method));
            let service = service(plans, candidates);
            chain = if i == 0 {
                quote!(::axum::routing::#method(#service))
            } else {
                quote!(#chain.#method(#service))
            };
        }
        quote!(.route(#path, #chain))
    });
    let routes: Vec<TokenStream> = routes.collect();
    let unused = routes.is_empty().then(|| quote!(let _ = api;));
    let c = super::examples::CRATE;
    let example = [
        String::new(),
        "```no_run".into(),
        "use std::sync::Arc;".into(),
        String::new(),
        format!("use {c}::server::{{axum, router, Api}};"),
        String::new(),
        "/// Serves `api` on 127.0.0.1:8080, under the path a tenant serves the API at.".into(),
        "async fn serve<A: Api>(api: A) -> std::io::Result<()> {".into(),
        format!("    let app = axum::Router::new().nest({c}::API_PATH, router(Arc::new(api)));"),
        "    let listener = tokio::net::TcpListener::bind(\"127.0.0.1:8080\").await?;".into(),
        "    axum::serve(listener, app).await".into(),
        "}".into(),
        "```".into(),
    ]
    .map(|line| {
        if line.is_empty() {
            line
        } else {
            format!(" {line}")
        }
    });
    quote! {
        /// An axum router serving every operation of the API from `api`. Its paths are relative
        /// to the API root: nest it under [`API_PATH`](crate::API_PATH) (`Router::new().nest(API_PATH, router(api))`)
        /// to serve it where a client's base URL points.
        #(#[doc = #example])*
        pub fn router<A: Api>(api: ::std::sync::Arc<A>) -> ::axum::Router {
            #unused
            ::axum::Router::new() #(#routes)*
        }
    }
}

/// What serves one method of a route: the operation's handler, or when templates must be
/// fitted to the captured segments (see `ir::routes`), the runtime's `dispatch` over them.
fn service(plans: &[Plan], candidates: &[Candidate]) -> TokenStream {
    let handler = |c: &Candidate| {
        let name = format_ident!("handle_{}", unraw(&plans[c.operation].op.method_name));
        quote!(#name::<A>)
    };
    if let [only] = candidates {
        if only.splits.is_empty() {
            let handler = handler(only);
            return quote!(runtime::handler(&api, #handler));
        }
    }
    let candidates = candidates.iter().map(|c| {
        let handler = handler(c);
        let splits = c.splits.iter().map(|split| {
            let segment = proc_macro2::Literal::usize_unsuffixed(split.segment);
            let capture = &split.capture;
            let pieces = split.pieces.iter().map(|piece| match piece {
                Piece::Literal(text) => quote!(runtime::Piece::Literal(#text)),
                Piece::Param(name) => quote!(runtime::Piece::Param(#name)),
            });
            quote!((#segment, #capture, &[#(#pieces),*]))
        });
        quote!((&[#(#splits),*], #handler))
    });
    quote!(runtime::dispatch(&api, &[#(#candidates),*]))
}

fn routing_function(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Put => "put",
        Method::Post => "post",
        Method::Delete => "delete",
        Method::Options => "options",
        Method::Head => "head",
        Method::Patch => "patch",
        Method::Trace => "trace",
    }
}
