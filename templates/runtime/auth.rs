//! Authentication: a static bearer token, or OAuth2 client credentials (SailPoint's personal
//! access tokens). Tokens are cached, refreshed shortly before they expire and once after a
//! 401, and concurrent requests wait for one shared refresh instead of each fetching a token.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use reqwest::{StatusCode, Url};
use tokio::sync::Mutex;

use super::clock::Clock;

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

/// How the client authenticates.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// No `Authorization` header.
    None,
    /// A fixed bearer token.
    BearerToken(Secret),
    /// OAuth2 client credentials: a personal access token's client id and secret, exchanged
    /// at `token_url` for short-lived access tokens.
    ClientCredentials {
        /// The personal access token's client id.
        client_id: String,
        /// The personal access token's secret.
        client_secret: Secret,
        /// Where tokens come from (`https://{tenant}.api.identitynow.com/oauth/token`).
        token_url: Url,
    },
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

/// The `Authorization` value to send, and which token it is (to invalidate the right one).
pub(crate) struct Authorization {
    pub(crate) header: HeaderValue,
    pub(crate) generation: u64,
}

struct CachedToken {
    header: HeaderValue,
    refresh_at: Instant,
    generation: u64,
}

/// Hands out `Authorization` headers, fetching and caching tokens as needed.
pub(crate) struct TokenSource {
    credentials: Credentials,
    cache: Mutex<Option<CachedToken>>,
    clock: Arc<dyn Clock>,
}

impl TokenSource {
    pub(crate) fn new(credentials: Credentials, clock: Arc<dyn Clock>) -> Self {
        TokenSource { credentials, cache: Mutex::new(None), clock }
    }

    /// Whether a 401 can be cured by fetching a new token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ClientCredentials { .. })
    }

    /// The header for the next request. Holding the lock while fetching makes concurrent
    /// callers wait for that one fetch and then share its token.
    pub(crate) async fn authorization(&self, http: &reqwest::Client) -> Result<Option<Authorization>, AuthError> {
        let (client_id, client_secret, token_url) = match &self.credentials {
            Credentials::None => return Ok(None),
            Credentials::BearerToken(token) => {
                return Ok(Some(Authorization { header: bearer(token.expose())?, generation: 0 }));
            }
            Credentials::ClientCredentials { client_id, client_secret, token_url } => (client_id, client_secret, token_url),
        };
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref() {
            if self.clock.now() < token.refresh_at {
                return Ok(Some(Authorization { header: token.header.clone(), generation: token.generation }));
            }
        }
        let fetched_at = self.clock.now();
        let (header, lifetime) = fetch_token(http, token_url, client_id, client_secret).await?;
        let generation = cache.as_ref().map_or(1, |t| t.generation + 1);
        *cache = Some(CachedToken { header: header.clone(), refresh_at: fetched_at + refresh_after(lifetime), generation });
        tracing::debug!(generation, lifetime_s = lifetime.as_secs(), "fetched an access token");
        Ok(Some(Authorization { header, generation }))
    }

    /// Forgets the token of `generation` after the server refused it, unless a newer one is
    /// already cached (another request may have refreshed it in the meantime).
    pub(crate) async fn invalidate(&self, generation: u64) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|t| t.generation == generation) {
            if let Some(token) = cache.as_mut() {
                token.refresh_at = self.clock.now();
            }
        }
    }
}

/// Refresh a little before the token runs out: a fifth of its life early, at most a minute.
fn refresh_after(lifetime: Duration) -> Duration {
    let margin = (lifetime / 5).min(Duration::from_secs(60));
    lifetime - margin
}

fn bearer(token: &str) -> Result<HeaderValue, AuthError> {
    let mut header = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| AuthError {
        status: None,
        message: "the access token contains characters not allowed in an HTTP header".into(),
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
            Some(seconds) => Some(seconds.as_u64().ok_or("`expires_in` is not a number of seconds")?),
        };
        Ok(TokenResponse { access_token, expires_in })
    }
}

async fn fetch_token(
    http: &reqwest::Client,
    token_url: &Url,
    client_id: &str,
    client_secret: &Secret,
) -> Result<(HeaderValue, Duration), AuthError> {
    let form = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", client_secret.expose())];
    let response = http
        .post(token_url.clone())
        .form(&form)
        .send()
        .await
        .map_err(|err| AuthError { status: None, message: format!("{}", err.without_url()) })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|err| AuthError { status: Some(status), message: err.without_url().to_string() })?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
        return Err(AuthError { status: Some(status), message: text });
    }
    let token = TokenResponse::from_json(&body).map_err(|err| AuthError {
        status: Some(status),
        message: format!("the token response is not what OAuth2 describes: {err}"),
    })?;
    // Without `expires_in`, assume the shortest lifetime SailPoint issues rather than forever.
    let lifetime = Duration::from_secs(token.expires_in.unwrap_or(300));
    Ok((bearer(&token.access_token)?, lifetime))
}

#[cfg(test)]
mod tests {
    use super::TokenResponse;

    #[test]
    fn token_responses_are_read_as_oauth2_describes_them() {
        let token = TokenResponse::from_json(br#"{"access_token":"t","token_type":"bearer","expires_in":749}"#).unwrap();
        assert_eq!((token.access_token.as_str(), token.expires_in), ("t", Some(749)));
        let token = TokenResponse::from_json(br#"{"access_token":"t","expires_in":null}"#).unwrap();
        assert_eq!(token.expires_in, None);
        let token = TokenResponse::from_json(br#"{"access_token":"t"}"#).unwrap();
        assert_eq!(token.expires_in, None);
    }

    #[test]
    fn odd_token_responses_say_what_is_wrong() {
        let err = |body: &[u8]| TokenResponse::from_json(body).err().unwrap();
        assert_eq!(err(br#"{"token":"t"}"#), "missing field `access_token`");
        assert_eq!(err(br#"{"access_token":7}"#), "`access_token` is not a string");
        assert_eq!(err(br#"{"access_token":"t","expires_in":"soon"}"#), "`expires_in` is not a number of seconds");
        assert!(err(b"<html>").contains("expected value"), "{}", err(b"<html>"));
        assert!(err(b"[]").contains("invalid type: sequence"), "{}", err(b"[]"));
    }
}
