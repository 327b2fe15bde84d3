//! Authentication: every kind of credential a spec's security schemes can ask for, applied to a
//! request in one place ([`TokenSource::apply`]). Which kinds a crate offers is the spec's
//! choice: the generated `ClientBuilder` methods (`src/auth.rs`) build these credentials.
//!
//! OAuth2 client-credential tokens are cached, refreshed shortly before they expire and once
//! after a 401, and concurrent requests wait for one shared refresh instead of each fetching a
//! token.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};
use reqwest::{StatusCode, Url};
use tokio::sync::Mutex;

use super::clock::Clock;
use super::BoxFuture;

/// A string that never shows in `Debug` or `Display` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; call only where it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How the client authenticates. Non-exhaustive: OpenAPI may gain kinds of credential, and a
/// new one must not break a `match` downstream.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// Nothing is added to requests.
    None,
    /// A fixed bearer token: `Authorization: Bearer <token>`.
    BearerToken(Secret),
    /// OAuth2 client credentials: a client id and secret, exchanged at `token_url` for
    /// short-lived access tokens, sent as bearer tokens.
    ClientCredentials {
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: Secret,
        /// Where tokens come from.
        token_url: Url,
    },
    /// HTTP Basic authentication: `Authorization: Basic <base64 of username:password>`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key, sent in the header, query parameter or cookie the spec names.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
        /// The key.
        key: Secret,
    },
}

/// Access tokens one client shares with others: called with the token a server refused (after
/// a 401), if any, it gives the token to send now, fetching a new one when the refused token is
/// still the newest. Made by `Client::token_provider` and taken by
/// `ClientBuilder::token_provider`, where the spec has bearer tokens.
///
/// Its types are all the standard library's, so the provider of one generated crate's client is
/// accepted by another generated crate's builder: two APIs of one vendor (say V3 and v2025) in
/// one program then share one token cache, one token fetch and one refresh.
pub type TokenProvider =
    Arc<dyn Fn(Option<String>) -> BoxFuture<'static, Result<String, String>> + Send + Sync>;

/// A [`TokenProvider`] in the builder, whose `Debug` shows nothing of it.
#[derive(Clone)]
pub(crate) struct SharedTokens(pub(crate) TokenProvider);

impl fmt::Debug for SharedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedTokens")
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie (added to the `Cookie` header).
    Cookie,
}

/// Where client-credential tokens come from by default, as the spec gives it; resolved against
/// the base URL when the client is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenUrl {
    /// Used as written.
    Absolute(&'static str),
    /// Joined to the base URL as a link would be (`/oauth/token`: on the base URL's host), so
    /// a client pointed at another host gets its tokens there too.
    Relative(&'static str),
}

/// Why no access token could be had.
#[derive(Debug, Clone)]
pub struct AuthError {
    /// The token endpoint's status, when it answered.
    pub status: Option<StatusCode>,
    /// What went wrong (never contains the secret).
    pub message: String,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "the token endpoint answered {status}: {}", self.message),
            None => write!(f, "cannot get an access token: {}", self.message),
        }
    }
}

impl std::error::Error for AuthError {}

struct CachedToken {
    header: HeaderValue,
    refresh_at: Instant,
    generation: u64,
    /// A server refused it (a 401): the next request asks a shared provider for a newer one.
    refused: bool,
}

/// Applies the credentials to requests, fetching and caching tokens as needed.
pub(crate) struct TokenSource {
    credentials: Credentials,
    /// Another client's tokens, sent instead of `credentials` (which are then `None`).
    shared: Option<SharedTokens>,
    cache: Mutex<Option<CachedToken>>,
    clock: Arc<dyn Clock>,
}

impl TokenSource {
    pub(crate) fn new(
        credentials: Credentials,
        shared: Option<SharedTokens>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        TokenSource {
            credentials,
            shared,
            cache: Mutex::new(None),
            clock,
        }
    }

    /// Whether a 401 can be cured by fetching a new token.
    pub(crate) fn can_refresh(&self) -> bool {
        self.shared.is_some() || matches!(self.credentials, Credentials::ClientCredentials { .. })
    }

    /// Whether this client has access tokens to share ([`shared_token`](Self::shared_token)).
    pub(crate) fn can_share(&self) -> bool {
        self.shared.is_some()
            || matches!(
                self.credentials,
                Credentials::BearerToken(_) | Credentials::ClientCredentials { .. }
            )
    }

    /// The access token another client is to send: this client's own (fetched, cached and
    /// refreshed as for its own requests), after forgetting it if it is `refused`.
    pub(crate) async fn shared_token(
        &self,
        http: &reqwest::Client,
        refused: Option<String>,
    ) -> Result<String, AuthError> {
        if let Some(shared) = &self.shared {
            return (shared.0)(refused).await.map_err(provider_error);
        }
        match &self.credentials {
            Credentials::BearerToken(token) => Ok(token.expose().to_string()),
            Credentials::ClientCredentials { .. } => {
                if let Some(refused) = refused {
                    let refused = bearer(&refused)?;
                    let mut cache = self.cache.lock().await;
                    if let Some(token) = cache.as_mut().filter(|token| token.header == refused) {
                        token.refresh_at = self.clock.now();
                    }
                }
                let (header, _) = self.access_token(http).await?;
                Ok(token_of(&header))
            }
            _ => Err(AuthError {
                status: None,
                message: "this client has no access token to share".into(),
            }),
        }
    }

    /// The shared provider's token, with a generation of its own: a new one whenever the
    /// token changes, so that [`invalidate`](Self::invalidate) forgets the token it was given.
    async fn provided_token(&self, shared: &SharedTokens) -> Result<(HeaderValue, u64), AuthError> {
        let mut cache = self.cache.lock().await;
        let refused = cache
            .as_ref()
            .filter(|token| token.refused)
            .map(|token| token_of(&token.header));
        let token = (shared.0)(refused).await.map_err(provider_error)?;
        let header = bearer(&token)?;
        let generation = match cache.as_ref() {
            Some(cached) if cached.header == header => cached.generation,
            Some(cached) => cached.generation + 1,
            None => 1,
        };
        *cache = Some(CachedToken {
            header: header.clone(),
            refresh_at: self.clock.now(),
            generation,
            refused: false,
        });
        Ok((header, generation))
    }

    /// Adds the credentials to `request`: the one place where any kind of them is sent. Gives
    /// the generation of the token sent, for [`invalidate`](Self::invalidate) after a 401.
    pub(crate) async fn apply(
        &self,
        http: &reqwest::Client,
        request: &mut reqwest::Request,
    ) -> Result<Option<u64>, AuthError> {
        if let Some(shared) = &self.shared {
            let (header, generation) = self.provided_token(shared).await?;
            request.headers_mut().insert(AUTHORIZATION, header);
            return Ok(Some(generation));
        }
        let (header, generation) = match &self.credentials {
            Credentials::None => return Ok(None),
            Credentials::BearerToken(token) => (bearer(token.expose())?, 0),
            Credentials::Basic { username, password } => (
                sensitive(
                    &format!(
                        "Basic {}",
                        base64(&format!("{username}:{}", password.expose()))
                    ),
                    "the user name or password",
                )?,
                0,
            ),
            Credentials::ApiKey {
                location,
                name,
                key,
            } => {
                apply_key(*location, name, key, request)?;
                return Ok(None);
            }
            Credentials::ClientCredentials { .. } => {
                let (header, generation) = self.access_token(http).await?;
                (header, generation)
            }
        };
        request.headers_mut().insert(AUTHORIZATION, header);
        Ok(Some(generation))
    }

    /// A client-credentials access token. Holding the lock while fetching makes concurrent
    /// callers wait for that one fetch and then share its token.
    async fn access_token(&self, http: &reqwest::Client) -> Result<(HeaderValue, u64), AuthError> {
        let Credentials::ClientCredentials {
            client_id,
            client_secret,
            token_url,
        } = &self.credentials
        else {
            return Err(AuthError {
                status: None,
                message: "no client credentials".into(),
            });
        };
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref() {
            if self.clock.now() < token.refresh_at {
                return Ok((token.header.clone(), token.generation));
            }
        }
        let fetched_at = self.clock.now();
        let (header, lifetime) = fetch_token(http, token_url, client_id, client_secret).await?;
        let generation = cache.as_ref().map_or(1, |t| t.generation + 1);
        *cache = Some(CachedToken {
            header: header.clone(),
            refresh_at: fetched_at + refresh_after(lifetime),
            generation,
            refused: false,
        });
        tracing::debug!(
            generation,
            lifetime_s = lifetime.as_secs(),
            "fetched an access token"
        );
        Ok((header, generation))
    }

    /// Forgets the token of `generation` after the server refused it, unless a newer one is
    /// already cached (another request may have refreshed it in the meantime).
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|t| t.generation == generation) {
            if let Some(token) = cache.as_mut() {
                token.refresh_at = self.clock.now();
                token.refused = true;
            }
        }
    }
}

/// An API key where the spec puts it. A cookie joins any the request already carries.
fn apply_key(
    location: ApiKeyLocation,
    name: &str,
    key: &Secret,
    request: &mut reqwest::Request,
) -> Result<(), AuthError> {
    match location {
        ApiKeyLocation::Header => {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| AuthError {
                status: None,
                message: format!("`{name}` is not a header name"),
            })?;
            request
                .headers_mut()
                .insert(header, sensitive(key.expose(), "the API key")?);
        }
        ApiKeyLocation::Query => {
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair(name, key.expose());
        }
        ApiKeyLocation::Cookie => {
            let pair = format!("{name}={}", key.expose());
            let cookie = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
                Some(existing) if !existing.is_empty() => format!("{existing}; {pair}"),
                _ => pair,
            };
            request
                .headers_mut()
                .insert(COOKIE, sensitive(&cookie, "the API key")?);
        }
    }
    Ok(())
}

/// Standard base64 with padding (RFC 4648), for Basic credentials: a few lines instead of a
/// dependency for every generated crate.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Refresh a little before the token runs out: a fifth of its life early, at most a minute.
fn refresh_after(lifetime: Duration) -> Duration {
    let margin = (lifetime / 5).min(Duration::from_secs(60));
    lifetime - margin
}

fn bearer(token: &str) -> Result<HeaderValue, AuthError> {
    sensitive(&format!("Bearer {token}"), "the access token")
}

/// The token of a header [`bearer`] made.
fn token_of(header: &HeaderValue) -> String {
    let text = header.to_str().unwrap_or_default();
    text.strip_prefix("Bearer ").unwrap_or(text).to_string()
}

/// A shared provider's failure, as this client's.
fn provider_error(message: String) -> AuthError {
    AuthError {
        status: None,
        message: format!("the shared token provider failed: {message}"),
    }
}

/// A header value that is never logged (HTTP/2 keeps it out of its header compression table too).
fn sensitive(value: &str, what: &str) -> Result<HeaderValue, AuthError> {
    let mut header = HeaderValue::from_str(value).map_err(|_| AuthError {
        status: None,
        message: format!("{what} contains characters not allowed in an HTTP header"),
    })?;
    header.set_sensitive(true);
    Ok(header)
}

/// The two fields of an OAuth2 token response this client uses. Read from a JSON object by
/// hand: the generated crate needs no serde derive (and so no proc-macro dependency).
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

impl TokenResponse {
    fn from_json(body: &[u8]) -> Result<Self, String> {
        let mut value: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|err| err.to_string())?;
        let access_token = match value.remove("access_token") {
            Some(serde_json::Value::String(token)) => token,
            Some(_) => return Err("`access_token` is not a string".into()),
            None => return Err("missing field `access_token`".into()),
        };
        let expires_in = match value.get("expires_in") {
            None | Some(serde_json::Value::Null) => None,
            Some(seconds) => Some(
                seconds
                    .as_u64()
                    .ok_or("`expires_in` is not a number of seconds")?,
            ),
        };
        Ok(TokenResponse {
            access_token,
            expires_in,
        })
    }
}

async fn fetch_token(
    http: &reqwest::Client,
    token_url: &Url,
    client_id: &str,
    client_secret: &Secret,
) -> Result<(HeaderValue, Duration), AuthError> {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", client_secret.expose()),
    ];
    let response = http
        .post(token_url.clone())
        .form(&form)
        .send()
        .await
        .map_err(|err| AuthError {
            status: None,
            message: format!("{}", err.without_url()),
        })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|err| AuthError {
        status: Some(status),
        message: err.without_url().to_string(),
    })?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
        return Err(AuthError {
            status: Some(status),
            message: text,
        });
    }
    let token = TokenResponse::from_json(&body).map_err(|err| AuthError {
        status: Some(status),
        message: format!("the token response is not what OAuth2 describes: {err}"),
    })?;
    // Without `expires_in`, assume a short lifetime (five minutes) rather than forever.
    let lifetime = Duration::from_secs(token.expires_in.unwrap_or(300));
    Ok((bearer(&token.access_token)?, lifetime))
}

#[cfg(test)]
mod tests {
    use super::{base64, TokenResponse};

    use std::sync::{Arc, Mutex};

    use super::{Credentials, SharedTokens, TokenSource};
    use crate::runtime::SystemClock;

    /// The `Authorization` a request gets from `tokens`, and the generation it reports.
    async fn sent(tokens: &TokenSource) -> (String, Option<u64>) {
        let http = reqwest::Client::new();
        let url = reqwest::Url::parse("http://127.0.0.1/").unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        let generation = tokens.apply(&http, &mut request).await.unwrap();
        let header = request.headers()["authorization"]
            .to_str()
            .unwrap()
            .to_string();
        (header, generation)
    }

    #[tokio::test]
    async fn a_shared_provider_is_told_which_token_a_server_refused() {
        // A provider that hands out token-1 until token-1 is refused, then token-2.
        let refusals = Arc::new(Mutex::new(Vec::new()));
        let seen = refusals.clone();
        let provider = SharedTokens(Arc::new(move |refused: Option<String>| {
            let mut seen = seen.lock().unwrap();
            seen.push(refused.clone());
            let current = match seen.iter().any(|r| r.as_deref() == Some("token-1")) {
                true => "token-2",
                false => "token-1",
            };
            Box::pin(std::future::ready(Ok(current.to_string())))
        }));
        crate::install_crypto_provider();
        let tokens = TokenSource::new(Credentials::None, Some(provider), Arc::new(SystemClock));
        assert!(tokens.can_refresh() && tokens.can_share());
        assert_eq!(sent(&tokens).await, ("Bearer token-1".into(), Some(1)));
        assert_eq!(sent(&tokens).await, ("Bearer token-1".into(), Some(1)));
        // A 401 with generation 1: the next request names token-1 as refused, once.
        tokens.invalidate(1).await;
        assert_eq!(sent(&tokens).await, ("Bearer token-2".into(), Some(2)));
        assert_eq!(sent(&tokens).await, ("Bearer token-2".into(), Some(2)));
        let refusals = refusals.lock().unwrap().clone();
        assert_eq!(refusals, [None, None, Some("token-1".into()), None]);
        // What this client shares on is its provider's token.
        let http = reqwest::Client::new();
        assert_eq!(tokens.shared_token(&http, None).await.unwrap(), "token-2");
    }

    #[tokio::test]
    async fn only_clients_with_access_tokens_share_them() {
        crate::install_crypto_provider();
        let clock = Arc::new(SystemClock);
        let http = reqwest::Client::new();
        let bearer = Credentials::BearerToken(super::Secret::new("fixed"));
        let bearer = TokenSource::new(bearer, None, clock.clone());
        assert_eq!(bearer.shared_token(&http, None).await.unwrap(), "fixed");
        let key = Credentials::ApiKey {
            location: super::ApiKeyLocation::Header,
            name: "X-Key".into(),
            key: super::Secret::new("k"),
        };
        let key = TokenSource::new(key, None, clock);
        assert!(!key.can_share());
        let err = key.shared_token(&http, None).await.unwrap_err();
        assert!(err.message.contains("no access token"), "{err}");
    }

    #[test]
    fn basic_credentials_are_base64_as_rfc_4648_gives_it() {
        // RFC 4648's test vectors, and RFC 7617's example.
        for (text, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(text), encoded, "{text}");
        }
        assert_eq!(
            base64("Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn token_responses_are_read_as_oauth2_describes_them() {
        let token = TokenResponse::from_json(
            br#"{"access_token":"t","token_type":"bearer","expires_in":749}"#,
        )
        .unwrap();
        assert_eq!(
            (token.access_token.as_str(), token.expires_in),
            ("t", Some(749))
        );
        let token = TokenResponse::from_json(br#"{"access_token":"t","expires_in":null}"#).unwrap();
        assert_eq!(token.expires_in, None);
        let token = TokenResponse::from_json(br#"{"access_token":"t"}"#).unwrap();
        assert_eq!(token.expires_in, None);
    }

    #[test]
    fn odd_token_responses_say_what_is_wrong() {
        let err = |body: &[u8]| TokenResponse::from_json(body).err().unwrap();
        assert_eq!(err(br#"{"token":"t"}"#), "missing field `access_token`");
        assert_eq!(
            err(br#"{"access_token":7}"#),
            "`access_token` is not a string"
        );
        assert_eq!(
            err(br#"{"access_token":"t","expires_in":"soon"}"#),
            "`expires_in` is not a number of seconds"
        );
        assert!(
            err(b"<html>").contains("expected value"),
            "{}",
            err(b"<html>")
        );
        assert!(
            err(b"[]").contains("invalid type: sequence"),
            "{}",
            err(b"[]")
        );
    }
}
