use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, StatusCode, Url};

use super::auth::{Credentials, Secret, SharedTokens, TokenProvider, TokenSource, TokenUrl};
use super::clock::{Clock, SystemClock};
use super::error::Failure;
use super::retry::RetryPolicy;
use super::{BoxFuture, Error, RawResponse};
use crate::DEFAULT_BASE_URL;

/// A client for the API.
///
/// Cheap to clone: clones share one connection pool and one token cache. Build one with
/// `Client::new` or [`Client::builder`], whose methods authenticate as the API's security
/// schemes say; every operation of the API is a method that returns a request builder, which is
/// sent by `.await`ing it.
///
/// ```no_run
/// use client_runtime::Client;
///
/// let client = Client::builder().base_url("https://api.example.com/v1").build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    tokens: TokenSource,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    experimental: bool,
    /// Paths already reported as deprecated, so the warning is logged once per path.
    deprecated_seen: Mutex<BTreeSet<String>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials are `Secret`s: they print as <redacted>.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("retry", &self.inner.retry)
            .field("experimental", &self.inner.experimental)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL that operation paths are appended to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// A request for `path` below the base URL that accepts the operation's response types.
    /// `path` is URL text (`/items/a%20b`): the template's literal text, with each parameter
    /// value already encoded by [`path_part`](super::path_part).
    ///
    /// A segment that is `.` or `..` (a parameter's whole value) is refused: every URL
    /// resolves it away, so the request would go to another path.
    ///
    /// Not generic over the operation's error type (`Error<E>` converts from [`Failure`]), so it
    /// is compiled once, as `execute` is.
    pub(crate) fn request(
        &self,
        method: Method,
        path: &str,
        accept: &'static str,
    ) -> Result<RequestBuilder, Failure> {
        if let Some(segment) = path.split('/').find(|s| {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
            )
        }) {
            return Err(Failure::InvalidRequest(format!(
                "the path `{path}` has a `{segment}` segment, which no URL can carry"
            )));
        }
        let mut url = self.inner.base_url.clone();
        let joined = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        Ok(self.inner.http.request(method, url).header(ACCEPT, accept))
    }

    /// This client's access tokens for other clients to send, or `None` when it has none to
    /// share (no bearer token, client credentials or shared provider). The generated
    /// `Client::token_provider` calls this.
    pub(crate) fn shared_tokens(&self) -> Option<TokenProvider> {
        if !self.inner.tokens.can_share() {
            return None;
        }
        let inner = self.inner.clone();
        Some(Arc::new(move |refused| {
            let inner = inner.clone();
            Box::pin(async move {
                let token = inner.tokens.shared_token(&inner.http, refused).await;
                token.map_err(|err| err.to_string())
            })
        }))
    }

    /// Whether the client opted into operations the spec marks experimental.
    pub(crate) fn experimental_enabled(&self) -> bool {
        self.inner.experimental
    }

    /// Adds a JSON body with the given content type.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized, E>(
        request: RequestBuilder,
        content_type: &'static str,
        body: &T,
    ) -> Result<RequestBuilder, Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|err| {
            Error::InvalidRequest(format!("cannot encode the request body: {err}"))
        })?;
        Ok(request.header(CONTENT_TYPE, content_type).body(bytes))
    }

    /// [`execute`](Self::execute) as a future that borrows nothing (it holds a handle on the
    /// client), for [`Sending`](super::Sending).
    ///
    /// Neither this nor `execute` is generic over an operation's error type: they are the
    /// biggest code of a request (the retry loop, the token cache, reqwest's futures), and a
    /// generic one is compiled again for every error type a program awaits (358 in the V3 API).
    pub(crate) fn start(
        &self,
        request: RequestBuilder,
    ) -> BoxFuture<'static, Result<RawResponse, Failure>> {
        let client = self.clone();
        Box::pin(async move { client.execute(request).await })
    }

    /// Sends a request with authentication and retries (see [`RetryPolicy`]), and reads the
    /// whole answer.
    pub(crate) async fn execute(&self, request: RequestBuilder) -> Result<RawResponse, Failure> {
        let request = request.build().map_err(Failure::Transport)?;
        let method = request.method().clone();
        let path = request.url().path().to_string();
        let policy = &self.inner.retry;
        let mut retries = 0;
        let mut waited = Duration::ZERO;
        let mut refreshed = false;
        loop {
            let mut attempt = request.try_clone().ok_or_else(|| {
                Failure::InvalidRequest("the request body cannot be sent twice".into())
            })?;
            let generation = self
                .inner
                .tokens
                .apply(&self.inner.http, &mut attempt)
                .await
                .map_err(Failure::Auth)?;
            let outcome = self.send_once(attempt).await;
            let (wait, reason) = match &outcome {
                // A refused token is refreshed once, whatever the method: the server did nothing.
                Ok(response)
                    if response.status == StatusCode::UNAUTHORIZED
                        && self.inner.tokens.can_refresh()
                        && !refreshed =>
                {
                    refreshed = true;
                    if let Some(generation) = generation {
                        self.inner.tokens.invalidate(generation).await;
                    }
                    tracing::warn!(
                        %method,
                        path,
                        "401 Unauthorized: fetching a new access token and trying once more"
                    );
                    continue;
                }
                Ok(response) if response.status == StatusCode::TOO_MANY_REQUESTS => {
                    let wait =
                        retry_after(&response.headers).unwrap_or_else(|| policy.backoff(retries));
                    (wait, "429 Too Many Requests")
                }
                Ok(response)
                    if matches!(response.status.as_u16(), 502..=504)
                        && policy.may_replay(&method) =>
                {
                    let wait =
                        retry_after(&response.headers).unwrap_or_else(|| policy.backoff(retries));
                    (wait, "server error")
                }
                Ok(_) => return outcome.map_err(Failure::Transport),
                // A connection that was never opened carried nothing: safe to retry for any method.
                Err(err) if err.is_connect() || policy.may_replay(&method) => {
                    (policy.backoff(retries), "connection error")
                }
                Err(_) => return outcome.map_err(Failure::Transport),
            };
            if retries >= policy.max_retries_value()
                || waited + wait > policy.max_total_wait_value()
            {
                return outcome.map_err(Failure::Transport);
            }
            retries += 1;
            waited += wait;
            let status = outcome.as_ref().ok().map(|r| r.status.as_u16());
            let wait_ms = wait.as_millis() as u64;
            tracing::warn!(%method, path, retry = retries, wait_ms, ?status, reason, "retrying");
            self.inner.clock.sleep(wait).await;
        }
    }

    /// One attempt: send, then read the whole body (a broken body is a transport error too).
    async fn send_once(&self, request: reqwest::Request) -> Result<RawResponse, reqwest::Error> {
        let response = self.inner.http.execute(request).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let path = response.url().path().to_string();
        let body = response.bytes().await?;
        if headers
            .get("x-deprecated")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            let first_time = self
                .inner
                .deprecated_seen
                .lock()
                .map(|mut seen| seen.insert(path.clone()))
                .unwrap_or(false);
            if first_time {
                tracing::warn!(
                    path,
                    "the server marks this endpoint as deprecated (X-Deprecated: true)"
                );
            }
        }
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// `Retry-After` as a wait: delta-seconds or an HTTP date (RFC 9110).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Makes *ring* the process's rustls crypto provider, unless the program installed one already.
///
/// reqwest is compiled here without a provider of its own (`rustls-no-provider`): *ring* builds
/// in about a third less CPU time than reqwest's default, aws-lc-rs, and needs no CMake
/// (BENCHMARKS.md). [`ClientBuilder::build`] calls this; call it yourself before building a
/// `reqwest::Client` of your own (for [`ClientBuilder::http_client`], or any other use), which
/// otherwise panics for want of a provider. Calling it again does nothing.
///
/// ```no_run
/// client_runtime::install_crypto_provider();
/// let http = client_runtime::reqwest::Client::builder().build()?;
/// let client = client_runtime::Client::builder().http_client(http).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn install_crypto_provider() {
    // An error means a provider is installed already (the program's own, or ours): keep it.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Configures a [`Client`]: where it sends requests, how it authenticates (a method per kind of
/// credential the API's security schemes accept), retries and times out.
///
/// ```no_run
/// use std::time::Duration;
///
/// use client_runtime::Client;
///
/// let client = Client::builder()
///     .base_url("https://api.example.com/v1")
///     .application("my-app", "1.2.3")
///     .timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    /// The way to authenticate set last (each replaces the others).
    auth: Option<Authentication>,
    token_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    application: Option<(String, String)>,
    retry: Option<RetryPolicy>,
    experimental: bool,
    allow_insecure_http: bool,
    clock: Option<ClockHandle>,
    http: Option<reqwest::Client>,
}

/// How a built client authenticates, as the builder was told.
#[derive(Debug)]
enum Authentication {
    /// Sent as they are.
    Credentials(Credentials),
    /// Client id, secret and the spec's token URL: the token URL is resolved against the base
    /// URL, known only when the client is built.
    ClientCredentials(String, Secret, TokenUrl),
    /// Another client's access tokens ([`TokenProvider`]).
    Shared(SharedTokens),
}

struct ClockHandle(Arc<dyn Clock>);

impl fmt::Debug for ClockHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

impl ClientBuilder {
    /// The API root, such as `https://api.example.com/v1`. Defaults to [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.base_url = Some(base_url.to_string());
        self
    }

    /// Authenticates with `credentials`, replacing any set before. The generated
    /// authentication methods (`bearer_token`, `basic_auth`, `api_key`, as the spec has them)
    /// call this.
    pub(crate) fn credentials(mut self, credentials: Credentials) -> Self {
        self.auth = Some(Authentication::Credentials(credentials));
        self
    }

    /// Authenticates with OAuth2 client credentials, fetching tokens from `token_url` unless
    /// [`with_token_url`](Self::with_token_url) says otherwise; replaces any credentials set
    /// before.
    pub(crate) fn with_client_credentials(
        mut self,
        client_id: &str,
        client_secret: &str,
        token_url: TokenUrl,
    ) -> Self {
        self.auth = Some(Authentication::ClientCredentials(
            client_id.to_string(),
            Secret::new(client_secret),
            token_url,
        ));
        self
    }

    /// Sends the access tokens `provider` gives (another client's), replacing any credentials
    /// set before. The generated `token_provider` method calls this.
    pub(crate) fn with_token_provider(mut self, provider: TokenProvider) -> Self {
        self.auth = Some(Authentication::Shared(SharedTokens(provider)));
        self
    }

    /// Where client-credential tokens come from, overriding the spec's token URL.
    pub(crate) fn with_token_url(mut self, token_url: &str) -> Self {
        self.token_url = Some(token_url.to_string());
        self
    }

    /// The longest a whole request may take, from sending to the last byte of the answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Names your application in the `User-Agent`, so the API's operators can tell its traffic
    /// apart: `<this crate>/<its version> (<name>/<version>) (<os>; <arch>)`.
    pub fn application(mut self, name: &str, version: &str) -> Self {
        self.application = Some((name.to_string(), version.to_string()));
        self
    }

    /// How to retry rate-limited and failed requests; see [`RetryPolicy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Opts into the operations the spec marks experimental (where it marks any).
    pub(crate) fn with_experimental(mut self, enabled: bool) -> Self {
        self.experimental = enabled;
        self
    }

    /// Allows plain `http://` to hosts other than this machine. Credentials would cross the
    /// network unencrypted: meant for test rigs, never for a real deployment.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The clock used for token expiry and retry waits (for tests:
    /// [`ManualClock`](crate::ManualClock)).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(ClockHandle(clock));
        self
    }

    /// A `reqwest::Client` of your own (proxies, certificates); the timeouts and application
    /// set here are then ignored in favour of that client's. Call
    /// [`install_crypto_provider`](crate::install_crypto_provider) before building it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let raw = self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = parse_url(raw, self.allow_insecure_http)?;
        let (credentials, shared) = match self.auth {
            Some(Authentication::ClientCredentials(client_id, client_secret, default_url)) => {
                let token_url = match (self.token_url.as_deref(), default_url) {
                    (Some(url), _) | (None, TokenUrl::Absolute(url)) => {
                        parse_url(url, self.allow_insecure_http)?
                    }
                    (None, TokenUrl::Relative(path)) => base_url.join(path).map_err(|err| {
                        BuildError::InvalidBaseUrl(format!(
                            "{raw} with the token URL {path}: {err}"
                        ))
                    })?,
                };
                let credentials = Credentials::ClientCredentials {
                    client_id,
                    client_secret,
                    token_url,
                };
                (credentials, None)
            }
            Some(Authentication::Credentials(credentials)) => (credentials, None),
            Some(Authentication::Shared(shared)) => (Credentials::None, Some(shared)),
            None => (Credentials::None, None),
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                install_crypto_provider();
                let mut builder =
                    reqwest::Client::builder().user_agent(user_agent(self.application.as_ref()));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        let clock = self
            .clock
            .map(|c| c.0)
            .unwrap_or_else(|| Arc::new(SystemClock));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                tokens: TokenSource::new(credentials, shared, clock.clone()),
                retry: self.retry.unwrap_or_default(),
                clock,
                experimental: self.experimental,
                deprecated_seen: Mutex::default(),
            }),
        })
    }
}

/// `<this crate>/<its version> (my-app/1.2.3) (linux; x86_64)`
fn user_agent(application: Option<&(String, String)>) -> String {
    let product = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    let platform = format!("({}; {})", std::env::consts::OS, std::env::consts::ARCH);
    match application {
        Some((name, version)) => format!("{product} ({name}/{version}) {platform}"),
        None => format!("{product} {platform}"),
    }
}

/// An absolute http(s) URL; plain http only to this machine unless explicitly allowed.
fn parse_url(raw: &str, allow_insecure_http: bool) -> Result<Url, BuildError> {
    let url = Url::parse(raw).map_err(|err| BuildError::InvalidBaseUrl(format!("{raw}: {err}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::InvalidBaseUrl(format!(
            "{raw}: expected an http(s) URL"
        )));
    }
    let host = url.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if url.scheme() == "http" && !loopback && !allow_insecure_http {
        return Err(BuildError::InsecureHttp(raw.to_string()));
    }
    Ok(url)
}

/// A configuration that is missing or malformed, naming the source and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// `environment`, a file path.
    pub source: String,
    /// The key at fault, if one is.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(
                f,
                "configuration from {}: `{key}` {}",
                self.source, self.message
            ),
            None => write!(f, "configuration from {}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// A URL is not an absolute http(s) URL.
    InvalidBaseUrl(String),
    /// Plain `http://` to another machine; see [`ClientBuilder::allow_insecure_http`].
    InsecureHttp(String),
    /// The configuration could not be loaded.
    Config(ConfigError),
    /// The HTTP client could not be set up (for instance, no TLS backend).
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(reason) => write!(f, "invalid URL {reason}"),
            BuildError::InsecureHttp(url) => write!(
                f,
                "refusing plain http to {url}: credentials would cross the network unencrypted \
                 (use https, or ClientBuilder::allow_insecure_http(true) for a test rig)"
            ),
            BuildError::Config(err) => write!(f, "{err}"),
            BuildError::Http(err) => write!(f, "cannot set up the HTTP client: {err}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(err) => Some(err),
            BuildError::Config(err) => Some(err),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_go_below_the_base_url_as_given() {
        let url = |base: &str, path: &str| {
            let client = Client::builder().base_url(base).build().unwrap();
            client
                .request(Method::GET, path, "application/json")
                .unwrap()
                .build()
                .unwrap()
                .url()
                .to_string()
        };
        assert_eq!(
            url("https://acme.example/v3", "/items/a%2Fb.json"),
            "https://acme.example/v3/items/a%2Fb.json"
        );
        assert_eq!(
            url("https://acme.example/v3/", "/items/"),
            "https://acme.example/v3/items/"
        );
        assert_eq!(url("https://acme.example", "/"), "https://acme.example/");
        assert_eq!(
            url("https://acme.example/v3?key=1", "/x"),
            "https://acme.example/v3/x?key=1"
        );
        let client = Client::builder()
            .base_url("https://acme.example/v3")
            .build()
            .unwrap();
        for path in ["/items/..", "/items/./x", "/items/%2E%2e"] {
            let refused = client
                .request(Method::GET, path, "application/json")
                .unwrap_err();
            assert!(
                matches!(&refused, Failure::InvalidRequest(reason) if reason.contains("segment")),
                "{path}"
            );
        }
    }
}
