//! `components/securitySchemes` -> how a client authenticates: which `ClientBuilder` methods the
//! generated crate offers, and the data each passes to the runtime (header, query or cookie
//! name, the token URL). The runtime applies the credentials; nothing here is a runtime choice.
//!
//! One method per kind of credential: `bearer_token` (an HTTP bearer scheme, or any OAuth2
//! scheme: whatever flow issued a token, it is sent as a bearer token), `basic_auth`, `api_key`
//! and `client_credentials` (with `token_url`). Where a spec declares two schemes of one kind,
//! the one its top-level `security` names first wins, else the first declared; the rest are
//! reported where they would be sent differently (another key name, another token URL). Kinds the client cannot run (OpenID Connect discovery, OAuth2 flows other than
//! client credentials where the scheme has no client-credentials flow, HTTP schemes other than
//! bearer and basic) are left out with a warning,
//! never an error: the spec still generates. Per-operation `security` is not followed: every
//! request carries the credentials the client was built with.

use std::path::Path;

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};

use crate::error::Diagnostic;

/// The authentication a generated client offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auth {
    /// `bearer_token(token)`, and `Client::new(base_url, token)`.
    pub bearer: Option<Scheme>,
    /// `basic_auth(username, password)`.
    pub basic: Option<Scheme>,
    /// `api_key(key)`.
    pub api_key: Option<ApiKey>,
    /// `client_credentials(client_id, client_secret)` and `token_url(url)`.
    pub client_credentials: Option<ClientCredentials>,
}

/// The scheme a method comes from, for its docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Its key under `components/securitySchemes`.
    pub name: String,
    /// Its `description`, if not blank.
    pub description: Option<String>,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// An `apiKey` scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The scheme.
    pub scheme: Scheme,
    /// Where the key goes.
    pub location: KeyLocation,
    /// The header, query parameter or cookie name.
    pub name: String,
}

/// Where the client-credentials flow gets its tokens by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenUrl {
    /// Used as written.
    Absolute(String),
    /// Resolved against the client's base URL (`/oauth/token`: on the base URL's host), so a
    /// client pointed at another host (a tenant, a test server) gets its tokens there too.
    Relative(String),
}

/// An OAuth2 scheme's client-credentials flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    /// The scheme.
    pub scheme: Scheme,
    /// The default token URL.
    pub token_url: TokenUrl,
}

impl Auth {
    /// Whether the spec gives any way to authenticate.
    pub fn is_empty(&self) -> bool {
        *self == Auth::default()
    }
}

/// The authentication `openapi` declares, and a warning for each scheme or flow left out.
/// `base_url` is the spec's default server URL; `sailpoint` says the spec is SailPoint's
/// (see [`super::vendor`]), whose token URL names an example tenant.
pub fn lower(
    openapi: &OpenAPI,
    base_url: &str,
    sailpoint: bool,
    root: &Path,
) -> (Auth, Vec<Diagnostic>) {
    let mut auth = Auth::default();
    let mut warnings = Vec::new();
    let Some(components) = &openapi.components else {
        return (auth, warnings);
    };
    // The schemes the top-level `security` names, in its order, then the others as declared.
    let mut names: Vec<&String> = Vec::new();
    let required = openapi.security.iter().flatten().flat_map(|r| r.keys());
    for name in required.chain(components.security_schemes.keys()) {
        if components.security_schemes.contains_key(name) && !names.contains(&name) {
            names.push(name);
        }
    }
    for name in names {
        let ReferenceOr::Item(scheme) = &components.security_schemes[name] else {
            continue; // inlined by the resolver
        };
        let pointer = format!(
            "/components/securitySchemes/{}",
            crate::diagnostics::location::escape_pointer(name)
        );
        let mut warn = |at: &str, message: String| {
            warnings.push(Diagnostic::at(root, &format!("{pointer}{at}"), message));
        };
        let taken = |what: &str| {
            format!("security scheme `{name}` is left out: `{what}` already authenticates with an earlier scheme of the same kind, sent differently")
        };
        match scheme {
            SecurityScheme::HTTP {
                scheme: kind,
                description,
                ..
            } => {
                // A second bearer or basic scheme would be sent the same way: nothing to report.
                let slot = match kind.to_ascii_lowercase().as_str() {
                    "bearer" => &mut auth.bearer,
                    "basic" => &mut auth.basic,
                    other => {
                        warn("/scheme", format!("security scheme `{name}` is left out: the client sends only the HTTP `bearer` and `basic` schemes, not `{other}`"));
                        continue;
                    }
                };
                if slot.is_none() {
                    *slot = Some(of(name, description));
                }
            }
            SecurityScheme::APIKey {
                location,
                name: key_name,
                description,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Header => KeyLocation::Header,
                    APIKeyLocation::Query => KeyLocation::Query,
                    APIKeyLocation::Cookie => KeyLocation::Cookie,
                };
                if let Some(first) = &auth.api_key {
                    if (first.location, first.name.as_str()) != (location, key_name.as_str()) {
                        warn("", taken("api_key"));
                    }
                    continue;
                }
                if let Some(why) = unsendable(location, key_name) {
                    warn(
                        "/name",
                        format!("security scheme `{name}` is left out: {why}"),
                    );
                    continue;
                }
                auth.api_key = Some(ApiKey {
                    scheme: of(name, description),
                    location,
                    name: key_name.clone(),
                });
            }
            SecurityScheme::OAuth2 {
                flows, description, ..
            } => {
                if auth.bearer.is_none() {
                    auth.bearer = Some(of(name, description));
                }
                let Some(flow) = &flows.client_credentials else {
                    // Beside a client-credentials flow, the others need no word: the client
                    // fetches its own tokens. Without one, the user has to bring a token.
                    let others = [
                        ("implicit", flows.implicit.is_some()),
                        ("password", flows.password.is_some()),
                        ("authorizationCode", flows.authorization_code.is_some()),
                    ];
                    let others: Vec<String> = others
                        .iter()
                        .filter(|(_, present)| *present)
                        .map(|(flow, _)| format!("`{flow}`"))
                        .collect();
                    warn("/flows", format!("the flows of security scheme `{name}` ({}) are left out: the client runs only the client-credentials flow (pass a token obtained otherwise to `ClientBuilder::bearer_token`)", others.join(", ")));
                    continue;
                };
                let token_url = token_url(&flow.token_url, base_url, sailpoint);
                if let Some(first) = &auth.client_credentials {
                    if first.token_url != token_url {
                        warn("/flows/clientCredentials", taken("client_credentials"));
                    }
                    continue;
                }
                auth.client_credentials = Some(ClientCredentials {
                    scheme: of(name, description),
                    token_url,
                });
            }
            SecurityScheme::OpenIDConnect { .. } => {
                warn("", format!("security scheme `{name}` is left out: the client does not run OpenID Connect discovery"));
            }
        }
    }
    (auth, warnings)
}

fn of(name: &str, description: &Option<String>) -> Scheme {
    Scheme {
        name: name.to_string(),
        description: super::text(description),
    }
}

/// Why an API key of this name could not be sent, if it could not: a header or cookie name must
/// be an HTTP token (RFC 9110), and no name may be empty.
fn unsendable(location: KeyLocation, name: &str) -> Option<String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    match location {
        _ if name.is_empty() => Some("its `name` is empty".into()),
        KeyLocation::Header | KeyLocation::Cookie if !name.chars().all(token) => Some(format!(
            "`{name}` cannot be a header or cookie name (only letters, digits and !#$%&'*+-.^_`|~)"
        )),
        _ => None,
    }
}

/// The default token URL: on the spec's own server host, or relative, it follows the client's
/// base URL; so does SailPoint's, which names an example tenant (`tenant.api.identitynow.com`)
/// that the base URL replaces. Anywhere else (an identity provider of its own) it is kept.
fn token_url(written: &str, base_url: &str, sailpoint: bool) -> TokenUrl {
    let Some((scheme, rest)) = written.split_once("://") else {
        return TokenUrl::Relative(written.to_string());
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let origin = format!("{scheme}://{authority}");
    let same_origin = base_url == origin || base_url.starts_with(&format!("{origin}/"));
    if same_origin || sailpoint {
        let path = if path.is_empty() { "/" } else { path };
        return TokenUrl::Relative(path.to_string());
    }
    TokenUrl::Absolute(written.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(schemes: &str, security: &str) -> (Auth, Vec<String>) {
        let text = format!(
            r#"{{"openapi":"3.0.1","info":{{"title":"t","version":"1"}},"paths":{{}},
            "security":{security},"components":{{"securitySchemes":{schemes}}}}}"#
        );
        let openapi: OpenAPI = serde_json::from_str(&text).unwrap();
        let (auth, warnings) = lower(
            &openapi,
            "https://api.example.com/v1",
            false,
            Path::new("s.yaml"),
        );
        (auth, warnings.into_iter().map(|w| w.message).collect())
    }

    #[test]
    fn each_kind_becomes_its_method() {
        let (auth, warnings) = lowered(
            r#"{"b":{"type":"http","scheme":"Bearer"},"u":{"type":"http","scheme":"basic","description":" "},
                "k":{"type":"apiKey","in":"cookie","name":"session"},
                "o":{"type":"oauth2","flows":{"clientCredentials":{"tokenUrl":"https://login.example.com/token","scopes":{}}}}}"#,
            "[]",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(auth.bearer.unwrap().name, "b");
        assert_eq!(auth.basic.unwrap().description, None);
        let key = auth.api_key.unwrap();
        assert_eq!(
            (key.location, key.name.as_str()),
            (KeyLocation::Cookie, "session")
        );
        let flow = auth.client_credentials.unwrap();
        assert_eq!(
            flow.token_url,
            TokenUrl::Absolute("https://login.example.com/token".into())
        );
    }

    #[test]
    fn the_top_level_requirement_picks_among_schemes_of_one_kind() {
        let (auth, warnings) = lowered(
            r#"{"first":{"type":"apiKey","in":"header","name":"X-A"},"second":{"type":"apiKey","in":"query","name":"key"}}"#,
            r#"[{"second":[]}]"#,
        );
        assert_eq!(auth.api_key.unwrap().name, "key");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("`first` is left out"), "{warnings:?}");
    }

    #[test]
    fn what_the_client_cannot_run_is_left_out_with_a_warning() {
        let (auth, warnings) = lowered(
            r#"{"oidc":{"type":"openIdConnect","openIdConnectUrl":"https://x/.well-known"},
                "digest":{"type":"http","scheme":"digest"},
                "bad":{"type":"apiKey","in":"header","name":"X Key"},
                "code":{"type":"oauth2","flows":{"authorizationCode":{"authorizationUrl":"https://a","tokenUrl":"https://t","scopes":{}}}}}"#,
            "[]",
        );
        // An authorization-code token is still a bearer token.
        assert_eq!(auth.bearer.unwrap().name, "code");
        assert!(
            auth.api_key.is_none() && auth.client_credentials.is_none() && auth.basic.is_none()
        );
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("OpenID Connect")));
        assert!(warnings.iter().any(|w| w.contains("`digest`")));
        assert!(warnings
            .iter()
            .any(|w| w.contains("`X Key` cannot be a header")));
        assert!(warnings
            .iter()
            .any(|w| w.contains("(`authorizationCode`) are left out")));
    }

    #[test]
    fn token_urls_on_the_spec_server_or_sailpoint_follow_the_base_url() {
        let base = "https://api.example.com/v1";
        assert_eq!(
            token_url("https://api.example.com/oauth/token", base, false),
            TokenUrl::Relative("/oauth/token".into())
        );
        assert_eq!(
            token_url("/token", base, false),
            TokenUrl::Relative("/token".into())
        );
        assert_eq!(
            token_url("https://api.example.com.evil/t", base, false),
            TokenUrl::Absolute("https://api.example.com.evil/t".into())
        );
        let sailpoint = "https://sailpoint.api.identitynow.com/v3";
        assert_eq!(
            token_url(
                "https://tenant.api.identitynow.com/oauth/token",
                sailpoint,
                true
            ),
            TokenUrl::Relative("/oauth/token".into())
        );
    }
}
