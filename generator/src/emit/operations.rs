//! Operations -> request builders. Each operation is a `Client` method taking the required
//! parameters; optional parameters are builder setters, so none has to be spelled out as `None`;
//! the builder is sent by `.await`ing it (or `.send()`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::types::{ident, rust_type as rust_type_in, Place};
use crate::ir::{Operation, Param, ParamLocation, TypeRef};
use crate::naming::unraw;

fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_in(ty, Place::Outside)
}

/// The builder struct, its setters and `send`, and the `Client` method, for one operation.
pub fn operation(op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method_name = ident(&op.method_name);
    let output = output_type(op);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let body = op.body.as_ref();
    let body_required = body.is_some_and(|b| b.required);

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
        let ty = rust_type(&b.ty);
        if b.required {
            fields.push(quote!(body: &'a #ty,));
            args.push(quote!(body: &'a #ty));
            inits.push(quote!(body,));
        } else {
            fields.push(quote!(body: Option<&'a #ty>,));
            inits.push(quote!(body: None,));
        }
    }

    let setters = optional.iter().map(|p| setter(p));
    let body_setter = body.filter(|_| !body_required).map(|b| {
        let ty = rust_type(&b.ty);
        let doc = doc_attrs(b.doc.as_deref().or(Some("The request body.")));
        quote! {
            #doc
            pub fn body(mut self, body: &'a #ty) -> Self {
                self.body = Some(body);
                self
            }
        }
    });

    let send_body = send_body(op);
    let method_doc = method_doc(op);
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

            /// Sends the request and decodes the answer.
            pub async fn send(self) -> #output {
                #send_body
            }
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = #output;
            type IntoFuture = crate::runtime::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        impl Client {
            #method_doc
            #deprecated
            pub fn #method_name<'a>(&'a self, #(#args),*) -> #builder<'a> {
                #builder { #(#inits)* }
            }
        }
    }
}

fn output_type(op: &Operation) -> TokenStream {
    let success = match &op.success.ty {
        Some(ty) => rust_type(ty),
        None => quote!(()),
    };
    let error = match &op.error_type {
        Some(name) => {
            let name = ident(name);
            quote!(errors::#name)
        }
        None => quote!(::std::convert::Infallible),
    };
    quote!(Result<ApiResponse<#success>, Error<#error>>)
}

/// Required parameters are borrowed: strings as `&'a str`, everything else by value or reference.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&'a str),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => rust_type(ty),
        other => {
            let ty = rust_type(other);
            quote!(&'a #ty)
        }
    }
}

fn setter(p: &Param) -> TokenStream {
    let name = ident(&p.name);
    let ty = rust_type(&p.ty);
    let default = p
        .default
        .as_ref()
        .map(|d| format!("The server's default is `{d}`."));
    let bounds = match (p.minimum, p.maximum) {
        (None, None) => None,
        (min, max) => Some(format!(
            "Must lie in {}..={}; a value outside is refused before sending.",
            min.map_or(String::new(), |m| m.to_string()),
            max.map_or(String::new(), |m| m.to_string())
        )),
    };
    let fallback = format!("The `{}` parameter.", p.wire);
    let doc = paragraphs([
        p.doc.as_deref().or(Some(&fallback)),
        default.as_deref(),
        bounds.as_deref(),
    ]);
    let doc = doc_attrs(doc.as_deref());
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

/// The body of `send`: check bounds, build the URL and query, attach the body, send, decode.
fn send_body(op: &Operation) -> TokenStream {
    let method = format_ident!("{}", op.method.as_str());
    let segments = op.path.split('/').filter(|s| !s.is_empty()).map(|segment| {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let param = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.wire == name);
                match param {
                    Some(p) if p.ty == TypeRef::String => {
                        let field = ident(&p.name);
                        quote!(self.#field)
                    }
                    Some(p) => {
                        let field = ident(&p.name);
                        quote!(&self.#field.to_string())
                    }
                    None => quote!(#segment),
                }
            }
            None => quote!(#segment),
        }
    });
    let checks = op
        .params
        .iter()
        .filter(|p| p.minimum.is_some() || p.maximum.is_some())
        .map(|p| {
            let field = ident(&p.name);
            let wire = &p.wire;
            let min = option_tokens(p.minimum);
            let max = option_tokens(p.maximum);
            if p.required {
                quote!(crate::runtime::check_range(#wire, self.#field as i64, #min, #max)?;)
            } else {
                quote! {
                    if let Some(value) = self.#field {
                        crate::runtime::check_range(#wire, value as i64, #min, #max)?;
                    }
                }
            }
        });
    let query: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let field = ident(&p.name);
            let wire = &p.wire;
            let push = push_value(&p.ty, wire);
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
            quote!(request = request.header(#wire, self.#field.to_string());)
        } else {
            quote!(if let Some(value) = &self.#field { request = request.header(#wire, value.to_string()); })
        }
    });
    let body = op.body.as_ref().map(|b| {
        let content_type = &b.content_type;
        if b.required {
            quote!(request = Client::json_body(request, #content_type, self.body)?;)
        } else {
            quote!(if let Some(body) = self.body { request = Client::json_body(request, #content_type, body)?; })
        }
    });
    let statuses = &op.success.statuses;
    let decode = if op.success.ty.is_some() {
        quote!(response.json())
    } else {
        quote!(Ok(response.empty()))
    };
    let success_arm = if statuses.is_empty() {
        quote!(200..=299 => #decode,)
    } else {
        let statuses = statuses
            .iter()
            .map(|s| proc_macro2::Literal::u16_unsuffixed(*s));
        quote!(#(#statuses)|* => #decode,)
    };
    let request_binding = if query.is_some()
        || op.body.is_some()
        || op
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Header)
    {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #(#checks)*
        #request_binding = self.client.request(::reqwest::Method::#method, &[#(#segments),*]);
        #query
        #(#headers)*
        #body
        let response = self.client.execute(request).await?;
        match response.code() {
            #success_arm
            _ => Err(response.error()),
        }
    }
}

fn option_tokens(value: Option<i64>) -> TokenStream {
    match value {
        Some(v) => {
            let v = proc_macro2::Literal::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// Pushes `value` (a reference to the parameter) onto `query`; arrays are exploded into one
/// pair per item, as OpenAPI's default `form` style says.
fn push_value(ty: &TypeRef, wire: &str) -> TokenStream {
    match ty {
        TypeRef::Vec(_) => quote!(for item in value { query.push((#wire, item.to_string())); }),
        TypeRef::String => quote!(query.push((#wire, value.clone()));),
        _ => quote!(query.push((#wire, value.to_string()));),
    }
}

fn method_doc(op: &Operation) -> TokenStream {
    let endpoint = format!("`{} {}`", op.method.as_str(), op.path);
    let summary = op
        .summary
        .as_deref()
        .map(|s| s.trim_end_matches('.').to_string());
    let errors = op
        .error_type
        .as_ref()
        .map(|e| format!("Documented errors decode into [`{e}`](crate::errors::{e})."));
    let returns = match (&op.success.ty, &op.success.doc) {
        (Some(_), Some(doc)) => Some(format!("Answers: {}", doc.trim())),
        _ => None,
    };
    let doc = paragraphs([
        summary.as_deref(),
        op.description.as_deref(),
        Some(endpoint.as_str()),
        returns.as_deref(),
        errors.as_deref(),
    ]);
    doc_attrs(doc.as_deref())
}
