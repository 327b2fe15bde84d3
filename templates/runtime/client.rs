use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder, Url};

use super::{Error, RawResponse};

/// The base URL used when none is given: the spec's first server with its variables at their defaults.
pub const DEFAULT_BASE_URL: &str = "{{ base_url }}";

/// A client for the {{ title }}.
///
/// Cheap to clone: clones share one connection pool. Build one with [`Client::builder`]; every
/// operation of the API is a method that returns a request builder, which is sent by `.await`ing it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    authorization: Option<HeaderValue>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the token.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("authorization", &self.inner.authorization.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Client {
    /// A client for `base_url` (such as `https://acme.api.identitynow.com/v3`) that sends
    /// `token` as its bearer token.
    pub fn new(base_url: &str, token: &str) -> Result<Self, BuildError> {
        Self::builder().base_url(base_url).bearer_token(token).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL that operation paths are appended to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// A request for `segments` below the base URL; each segment is percent-encoded.
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let mut url = self.inner.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        let mut request = self.inner.http.request(method, url).header(ACCEPT, "application/json");
        if let Some(authorization) = &self.inner.authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }
        request
    }

    /// Adds a JSON body with the given content type.
    pub(crate) fn json_body<T: serde::Serialize + ?Sized, E>(
        request: RequestBuilder,
        content_type: &'static str,
        body: &T,
    ) -> Result<RequestBuilder, Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|err| Error::InvalidRequest(format!("cannot encode the request body: {err}")))?;
        Ok(request.header(CONTENT_TYPE, content_type).body(bytes))
    }

    /// Sends a request and reads the whole response body.
    pub(crate) async fn execute<E>(&self, request: RequestBuilder) -> Result<RawResponse, Error<E>> {
        let response = request.send().await.map_err(Error::Transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?;
        Ok(RawResponse { status, headers, body })
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ClientBuilder {
    /// The API root, such as `https://acme.api.identitynow.com/v3`. Defaults to [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, base_url: &str) -> Self {
        self.base_url = Some(base_url.to_string());
        self
    }

    /// The bearer token sent as `Authorization: Bearer <token>` with every request.
    pub fn bearer_token(mut self, token: &str) -> Self {
        self.token = Some(token.to_string());
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

    /// The `User-Agent` header; defaults to this crate's name and version.
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = Some(user_agent.to_string());
        self
    }

    /// A `reqwest::Client` of your own (proxies, certificates); the timeouts and user agent set
    /// here are then ignored in favour of that client's.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let raw = self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = Url::parse(raw).map_err(|err| BuildError::InvalidBaseUrl(format!("{raw}: {err}")))?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl(format!("{raw}: expected an http(s) URL")));
        }
        let authorization = match &self.token {
            Some(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                    .map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .user_agent(self.user_agent.unwrap_or_else(|| concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string()));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        Ok(Client { inner: Arc::new(Inner { http, base_url, authorization }) })
    }
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute http(s) URL.
    InvalidBaseUrl(String),
    /// The token contains characters that cannot be sent in a header.
    InvalidToken,
    /// The HTTP client could not be set up (for instance, no TLS backend).
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl(reason) => write!(f, "invalid base URL {reason}"),
            BuildError::InvalidToken => f.write_str("the bearer token contains characters not allowed in an HTTP header"),
            BuildError::Http(err) => write!(f, "cannot set up the HTTP client: {err}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(err) => Some(err),
            _ => None,
        }
    }
}
