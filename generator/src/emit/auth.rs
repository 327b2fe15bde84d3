//! `src/auth.rs`: the ways to authenticate that the spec's security schemes declare, as
//! `Client::new` and `ClientBuilder` methods. The methods only build the runtime's
//! `Credentials` from the spec's data (header, query or cookie name, token URL); the runtime
//! sends them, the same code for every spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{paragraphs, DocBlocks};
use crate::ir::security::{Auth, KeyLocation, Scheme, TokenUrl};

/// The `ClientBuilder` methods `auth` gives, in the order they are emitted.
pub fn auth_methods(auth: &Auth) -> Vec<&'static str> {
    let mut methods = Vec::new();
    if auth.bearer.is_some() {
        methods.push("bearer_token");
    }
    if auth.basic.is_some() {
        methods.push("basic_auth");
    }
    if auth.api_key.is_some() {
        methods.push("api_key");
    }
    if auth.client_credentials.is_some() {
        methods.extend(["client_credentials", "token_url"]);
    }
    if shares_tokens(auth) {
        methods.push("token_provider");
    }
    methods
}

/// Whether clients send access tokens as bearer tokens, and so can share them with other
/// clients (`Client::token_provider`, `ClientBuilder::token_provider`).
pub fn shares_tokens(auth: &Auth) -> bool {
    auth.bearer.is_some() || auth.client_credentials.is_some()
}

/// The file's items. `sailpoint`: SailPoint's wording (its client credentials are personal
/// access tokens).
pub fn auth_items(auth: &Auth, base_url: &str, sailpoint: bool, docs: &DocBlocks) -> TokenStream {
    let mut runtime = Vec::new();
    let mut methods = Vec::new();
    if let Some(scheme) = &auth.bearer {
        runtime.extend([quote!(Credentials), quote!(Secret)]);
        let doc = with_scheme(
            "Sends `token` as `Authorization: Bearer <token>` with every request.",
            scheme,
            docs,
        );
        methods.push(quote! {
            #doc
            pub fn bearer_token(self, token: &str) -> Self {
                self.credentials(Credentials::BearerToken(Secret::new(token)))
            }
        });
    }
    if let Some(scheme) = &auth.basic {
        runtime.extend([quote!(Credentials), quote!(Secret)]);
        let doc = with_scheme(
            "Sends `username` and `password` with every request, as HTTP Basic authentication (`Authorization: Basic ...`).",
            scheme,
            docs,
        );
        methods.push(quote! {
            #doc
            pub fn basic_auth(self, username: &str, password: &str) -> Self {
                self.credentials(Credentials::Basic {
                    username: username.to_string(),
                    password: Secret::new(password),
                })
            }
        });
    }
    if let Some(key) = &auth.api_key {
        runtime.extend([quote!(ApiKeyLocation), quote!(Credentials), quote!(Secret)]);
        let (location, place) = match key.location {
            KeyLocation::Header => (quote!(ApiKeyLocation::Header), "header"),
            KeyLocation::Query => (quote!(ApiKeyLocation::Query), "query parameter"),
            KeyLocation::Cookie => (quote!(ApiKeyLocation::Cookie), "cookie"),
        };
        let name = &key.name;
        let doc = with_scheme(
            &format!("Sends `key` as the API key, in the `{name}` {place}, with every request."),
            &key.scheme,
            docs,
        );
        methods.push(quote! {
            #doc
            pub fn api_key(self, key: &str) -> Self {
                self.credentials(Credentials::ApiKey {
                    location: #location,
                    name: #name.to_string(),
                    key: Secret::new(key),
                })
            }
        });
    }
    if let Some(flow) = &auth.client_credentials {
        runtime.push(quote!(TokenUrl));
        let what = match sailpoint {
            true => "a personal access token (OAuth2 client credentials)",
            false => "OAuth2 client credentials",
        };
        let doc = with_scheme(
            &format!("Authenticates with {what}: tokens are fetched from the token URL, cached, and refreshed before they expire or after a 401."),
            &flow.scheme,
            docs,
        );
        let (default, default_doc) = match &flow.token_url {
            TokenUrl::Absolute(url) => (
                quote!(TokenUrl::Absolute(#url)),
                format!("the spec's `{url}`"),
            ),
            TokenUrl::Relative(path) if path.starts_with('/') => (
                quote!(TokenUrl::Relative(#path)),
                format!("`{path}` on the base URL's host"),
            ),
            TokenUrl::Relative(path) => (
                quote!(TokenUrl::Relative(#path)),
                format!("`{path}` resolved against the base URL"),
            ),
        };
        let url_doc = docs.attrs(Some(&format!(
            "Where tokens come from; defaults to {default_doc}."
        )));
        methods.push(quote! {
            #doc
            pub fn client_credentials(self, client_id: &str, client_secret: &str) -> Self {
                self.with_client_credentials(client_id, client_secret, #default)
            }

            #url_doc
            pub fn token_url(self, token_url: &str) -> Self {
                self.with_token_url(token_url)
            }
        });
    }
    let getter = shares_tokens(auth).then(|| {
        runtime.push(quote!(TokenProvider));
        let (doc, getter) = token_provider_docs(auth, docs);
        methods.push(quote! {
            #doc
            pub fn token_provider(self, provider: TokenProvider) -> Self {
                self.with_token_provider(provider)
            }
        });
        quote! {
            #getter
            pub fn token_provider(&self) -> Option<TokenProvider> {
                self.shared_tokens()
            }
        }
    });
    let constructor = match auth.bearer.is_some() {
        true => {
            let doc = docs.attrs(Some(&format!(
                "A client for `base_url` (such as `{base_url}`) that sends `token` as its bearer token."
            )));
            quote! {
                #doc
                pub fn new(base_url: &str, token: &str) -> Result<Self, BuildError> {
                    Self::builder().base_url(base_url).bearer_token(token).build()
                }
            }
        }
        false => {
            let how = match methods.is_empty() {
                true => "the spec declares no way to authenticate",
                false => "authenticate with `Client::builder()`",
            };
            let doc = docs.attrs(Some(&format!(
                "A client for `base_url` (such as `{base_url}`) that sends no credentials ({how})."
            )));
            quote! {
                #doc
                pub fn new(base_url: &str) -> Result<Self, BuildError> {
                    Self::builder().base_url(base_url).build()
                }
            }
        }
    };
    let mut seen = Vec::new();
    runtime.retain(|name| {
        let text = name.to_string();
        let first = !seen.contains(&text);
        seen.push(text);
        first
    });
    runtime.sort_by_key(|name| name.to_string());
    let runtime_use = (!runtime.is_empty()).then(|| quote!(use crate::runtime::{#(#runtime),*};));
    let builder = (!methods.is_empty()).then(|| {
        quote! {
            impl ClientBuilder {
                #(#methods)*
            }
        }
    });
    let crate_names = match builder.is_some() {
        true => quote!(BuildError, Client, ClientBuilder),
        false => quote!(BuildError, Client),
    };
    quote! {
        #runtime_use
        use crate::{#crate_names};

        impl Client {
            #constructor
            #getter
        }

        #builder
    }
}

/// The docs of `ClientBuilder::token_provider` and `Client::token_provider`, the latter with an
/// example that shares one client's tokens with another.
fn token_provider_docs(auth: &Auth, docs: &DocBlocks) -> (TokenStream, TokenStream) {
    let builder = "Sends the access tokens `provider` gives, as `Authorization: Bearer <token>`: \
        another client's, from its `Client::token_provider`, whether of this crate or of another \
        generated crate. The clients then share one token cache: one token fetch, one refresh, \
        and a 401 on any of them makes the provider fetch a new token. Replaces any credentials \
        set before.";
    let authenticate = match auth.client_credentials.is_some() {
        true => ".client_credentials(\"client-id\", \"client-secret\")",
        false => ".bearer_token(\"access-token\")",
    };
    let crate_name = super::CRATE_IN_DOCS;
    let getter = format!(
        "This client's access tokens, for other clients to send (`ClientBuilder::token_provider`), \
         whether of this crate or of another generated crate (say, another version of the same \
         API): every client then uses this one's token cache. `None` when this client sends no \
         bearer token.\n\n\
         ```no_run\n\
         # fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let first = {crate_name}::Client::builder(){authenticate}.build()?;\n\
         let shared = first.token_provider().expect(\"a client with access tokens\");\n\
         // In a program with two generated crates, this would be the other crate's `Client`.\n\
         let second = {crate_name}::Client::builder().token_provider(shared).build()?;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    );
    (docs.attrs(Some(builder)), docs.attrs(Some(&getter)))
}

/// `summary`, then where it comes from: the scheme's name and description.
fn with_scheme(summary: &str, scheme: &Scheme, docs: &DocBlocks) -> TokenStream {
    let origin = format!("The spec's security scheme `{}`.", scheme.name);
    let origin = match &scheme.description {
        Some(description) => format!("{origin} {description}"),
        None => origin,
    };
    docs.attrs(paragraphs([Some(summary), Some(origin.as_str())]).as_deref())
}
