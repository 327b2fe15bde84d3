//! A faithful in-memory fake of the ISC V3 service-desk API, for tests and local tries without
//! a tenant or credentials.
//!
//! It is the generated server (`generated_client::server`, from the same spec as the client)
//! with an in-memory store behind it, served on 127.0.0.1 like a tenant: the API under `/v3`,
//! OAuth2 client credentials at `/oauth/token`. It behaves as the live API does (see
//! `shared/ISC-API-NOTES.md`): generated ids and timestamps, 404 and 400 `ErrorResponseDto`s,
//! replace-only PATCH (403 otherwise), `offset`/`limit`/`count`/`sorters`/`filters`, 401 with the
//! live body for a missing, unknown or expired token. Tests can queue faults: 429 with
//! `Retry-After`, any status, or a slow answer.
//!
//! ```no_run
//! # async fn run() {
//! use fake_service_desk::{FakeServer, Fault};
//!
//! let fake = FakeServer::start().await;           // 127.0.0.1, a free port
//! let client = fake.client();                      // base URL and credentials set
//! let page = client.get_service_desk_integrations().await.unwrap();
//! assert!(page.is_empty());
//!
//! fake.fail_next(2, Fault::TooManyRequests { retry_after: 3 });
//! # }
//! ```
#![warn(missing_docs)]

pub mod filter;
mod service;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use generated_client::server::axum::{
    self, body::Bytes, extract::State, middleware, response::IntoResponse,
};
use generated_client::{Client, ClientBuilder, Clock, SystemClock, API_PATH};
use serde_json::json;
use tokio::sync::oneshot;

pub use service::FakeServiceDesk;

/// The client id the fake accepts unless told otherwise.
pub const DEFAULT_CLIENT_ID: &str = "fake-client-id";
/// The client secret the fake accepts unless told otherwise.
pub const DEFAULT_CLIENT_SECRET: &str = "fake-client-secret";
/// How long issued tokens live unless told otherwise: 12 minutes, about what a tenant issues.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(720);

/// What to do to the next API request instead of (or before) serving it. Faults apply to the API
/// under `/v3`, not to `/oauth/token`, so they test the client's handling of API answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// `429 Too Many Requests` with `Retry-After: <seconds>` and the live body
    /// (`{"message": " Rate Limit Exceeded "}`).
    TooManyRequests {
        /// The `Retry-After` value, in seconds.
        retry_after: u64,
    },
    /// This status (a 5xx, typically 502, 503 or 504), with an `ErrorResponseDto` body.
    Status(u16),
    /// Wait this long, then serve the request normally.
    Delay(Duration),
}

/// One request the fake served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path (`/v3/service-desk-integrations`).
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The status answered.
    pub status: u16,
}

/// Configures a [`FakeServer`]; [`FakeServer::builder`] makes one.
pub struct FakeServerBuilder {
    port: u16,
    client_id: String,
    client_secret: String,
    token_lifetime: Duration,
    clock: Arc<dyn Clock>,
}

impl Default for FakeServerBuilder {
    fn default() -> Self {
        FakeServerBuilder {
            port: 0,
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: DEFAULT_CLIENT_SECRET.into(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            clock: Arc::new(SystemClock),
        }
    }
}

impl FakeServerBuilder {
    /// The port on 127.0.0.1; 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The personal access token (client credentials) `/oauth/token` accepts.
    pub fn client_credentials(mut self, client_id: &str, client_secret: &str) -> Self {
        self.client_id = client_id.into();
        self.client_secret = client_secret.into();
        self
    }

    /// How long issued access tokens live (`expires_in`).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// The clock for token expiry and timestamps. Share a `ManualClock` with the client to
    /// test expiry without waiting.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The fake, not yet serving: for mounting its [`router`](FakeServiceDesk::router) yourself.
    pub fn build(self) -> FakeServiceDesk {
        FakeServiceDesk::new(service::Settings {
            client_id: self.client_id,
            client_secret: self.client_secret,
            token_lifetime: self.token_lifetime,
            clock: self.clock,
        })
    }

    /// Starts serving on 127.0.0.1; panics if the port cannot be bound (see [`try_start`](Self::try_start)).
    pub async fn start(self) -> FakeServer {
        let port = self.port;
        self.try_start().await.unwrap_or_else(|err| {
            panic!("cannot start the fake service desk on 127.0.0.1:{port}: {err}")
        })
    }

    /// Starts serving on 127.0.0.1.
    pub async fn try_start(self) -> std::io::Result<FakeServer> {
        let port = self.port;
        let fake = self.build();
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let address = listener.local_addr()?;
        let app = app(&fake);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(err) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                eprintln!("the fake service desk stopped: {err}");
            }
        });
        Ok(FakeServer {
            fake,
            address,
            tenant_url: format!("http://{address}"),
            base_url: format!("http://{address}{API_PATH}"),
            _stop: stop,
        })
    }
}

/// The whole tenant: the API under [`API_PATH`] (behind the fault queue) and the token endpoint,
/// every request recorded.
pub fn app(fake: &FakeServiceDesk) -> axum::Router {
    let api = fake
        .router()
        .layer(middleware::from_fn_with_state(fake.clone(), faults));
    axum::Router::new()
        .nest(API_PATH, api)
        .route(
            "/oauth/token",
            axum::routing::post(token).with_state(fake.clone()),
        )
        .layer(middleware::from_fn_with_state(fake.clone(), record))
}

/// A running fake, serving until it is dropped.
pub struct FakeServer {
    fake: FakeServiceDesk,
    address: SocketAddr,
    tenant_url: String,
    base_url: String,
    /// Dropping it stops the server.
    _stop: oneshot::Sender<()>,
}

impl FakeServer {
    /// A fake with the default credentials on a free port of 127.0.0.1.
    pub async fn start() -> FakeServer {
        FakeServer::builder().start().await
    }

    /// Configures a fake.
    pub fn builder() -> FakeServerBuilder {
        FakeServerBuilder::default()
    }

    /// The API's base URL, as a client wants it: `http://127.0.0.1:<port>/v3`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The tenant's root URL, as `SAIL_BASE_URL` wants it: `http://127.0.0.1:<port>`.
    pub fn tenant_url(&self) -> &str {
        &self.tenant_url
    }

    /// The token endpoint: `http://127.0.0.1:<port>/oauth/token`.
    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.tenant_url)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The client id it accepts.
    pub fn client_id(&self) -> &str {
        &self.fake.settings().client_id
    }

    /// The client secret it accepts.
    pub fn client_secret(&self) -> &str {
        &self.fake.settings().client_secret
    }

    /// A client builder with this fake's base URL and credentials, for more settings (a clock,
    /// a retry policy) before `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(&self.base_url)
            .client_credentials(self.client_id(), self.client_secret())
    }

    /// A client of this fake, with its credentials.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("a client for 127.0.0.1 always builds")
    }

    /// The fake behind the server: its store, tokens, faults and request log.
    pub fn fake(&self) -> &FakeServiceDesk {
        &self.fake
    }

    /// Queues `count` faults for the next API requests; see [`Fault`].
    pub fn fail_next(&self, count: usize, fault: Fault) {
        self.fake.fail_next(count, fault);
    }

    /// Every request served so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.fake.requests()
    }
}

impl std::ops::Deref for FakeServer {
    type Target = FakeServiceDesk;

    fn deref(&self) -> &FakeServiceDesk {
        &self.fake
    }
}

/// Serves the next queued fault instead of the request, or after a delay.
async fn faults(
    State(fake): State<FakeServiceDesk>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    match fake.next_fault() {
        None => next.run(request).await,
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            next.run(request).await
        }
        Some(Fault::TooManyRequests { retry_after }) => (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            [
                ("retry-after", retry_after.to_string()),
                ("content-type", "application/json".to_string()),
            ],
            json!({"message": " Rate Limit Exceeded "}).to_string(),
        )
            .into_response(),
        Some(Fault::Status(status)) => {
            let status = axum::http::StatusCode::from_u16(status)
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let body = fake.error(
                &format!(
                    "{} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error")
                ),
                "A fault injected by the test.",
            );
            let body = serde_json::to_string(&body).unwrap_or_default();
            (status, [("content-type", "application/json")], body).into_response()
        }
    }
}

/// Records every request with the status it got.
async fn record(
    State(fake): State<FakeServiceDesk>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let response = next.run(request).await;
    fake.record(RecordedRequest {
        method,
        path,
        query,
        status: response.status().as_u16(),
    });
    response
}

/// `POST /oauth/token`: the client credentials grant, as a tenant answers it.
async fn token(State(fake): State<FakeServiceDesk>, body: Bytes) -> axum::response::Response {
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let answer = |status: axum::http::StatusCode, body: serde_json::Value| {
        (
            status,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response()
    };
    if field("grant_type") != Some("client_credentials") {
        return answer(
            axum::http::StatusCode::BAD_REQUEST,
            json!({"error": "unsupported_grant_type", "error_description": "Only the client_credentials grant is supported."}),
        );
    }
    let settings = fake.settings();
    if field("client_id") != Some(settings.client_id.as_str())
        || field("client_secret") != Some(settings.client_secret.as_str())
    {
        return answer(
            axum::http::StatusCode::UNAUTHORIZED,
            json!({"error": "invalid_client", "error_description": "Bad credentials"}),
        );
    }
    let (access_token, lifetime) = fake.issue_token();
    answer(
        axum::http::StatusCode::OK,
        json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": lifetime.as_secs(),
            "scope": "sp:scopes:all",
            "tenant_id": "fake-tenant",
            "pod": "fake-pod",
            "org": "fake",
            "identity_id": "fake-identity",
            "user_name": "fake.admin",
            "strong_auth": true,
            "jti": access_token,
        }),
    )
}
