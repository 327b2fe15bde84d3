//! Run by tests/auth_schemes.rs against the crates generated from the `auth-*` fixtures: each
//! client authenticates as its spec's security scheme says, against a server on 127.0.0.1 that
//! records what each request carried (Authorization, the API key header, query and Cookie).
//! For client credentials, the token URL the spec gives is called on the test server, which the
//! client's base URL points at. Two of the crates share one token cache. Panics on the first
//! difference.
#![deny(warnings)]

use std::sync::{Arc, Mutex};

use auth_none::server::axum;

type Log = Arc<Mutex<Vec<String>>>;

/// A server that records each request as `METHOD path?query authorization=.. x-api-key=..
/// cookie=..` (`-` for a header not sent), and a token request with its form body. Tokens are
/// `token-1`, `token-2`, ... in the order they are asked for. Below `/v1/refusing-token-1/` it
/// answers `token-1` with a 401, as a server does a token that was revoked.
async fn recorder() -> (String, Log) {
    let log = Log::default();
    let record = log.clone();
    let issued = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let record = record.clone();
        let issued = issued.clone();
        async move {
            let (parts, body) = request.into_parts();
            // The headers are read before the body is awaited: a borrow of the request held
            // across the await would make the handler's future not `Send`.
            let header = |name: &str| {
                let value = parts.headers.get(name);
                value.map_or("-".to_string(), |v| v.to_str().unwrap().to_string())
            };
            let line = format!(
                "{} {} authorization={} x-api-key={} cookie={}",
                parts.method,
                parts.uri,
                header("authorization"),
                header("x-api-key"),
                header("cookie"),
            );
            let token_request = parts.uri.path() == "/oauth2/token";
            let refused = parts.uri.path().starts_with("/v1/refusing-token-1/")
                && header("authorization") == "Bearer token-1";
            let body = axum::body::to_bytes(body, 4096).await.unwrap();
            let mut log = record.lock().unwrap();
            let answer = match token_request {
                true => {
                    log.push(format!("{line} form={}", String::from_utf8_lossy(&body)));
                    let issued = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    format!(r#"{{"access_token":"token-{issued}","token_type":"bearer","expires_in":3600}}"#)
                }
                false => {
                    log.push(line);
                    r#"{"name":"someone"}"#.to_string()
                }
            };
            axum::http::Response::builder()
                .status(if refused { 401 } else { 200 })
                .header("content-type", "application/json")
                .body(axum::body::Body::from(answer))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/v1"), log)
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// What the server recorded for one `GET /v1/whoami` carrying these credentials.
fn whoami(query: &str, authorization: &str, key: &str, cookie: &str) -> String {
    format!("GET /v1/whoami{query} authorization={authorization} x-api-key={key} cookie={cookie}")
}

async fn http_bearer_sends_the_token() {
    let (base, log) = recorder().await;
    let client = auth_bearer::Client::new(&base, "tok").unwrap();
    assert_eq!(client.who_am_i().await.unwrap().name.as_deref(), Some("someone"));
    let client = auth_bearer::Client::builder().base_url(&base).bearer_token("other").build().unwrap();
    client.who_am_i().verbose(true).await.unwrap();
    assert_eq!(take(&log), [whoami("", "Bearer tok", "-", "-"), whoami("?verbose=true", "Bearer other", "-", "-")]);
}

async fn http_basic_sends_user_and_password() {
    let (base, log) = recorder().await;
    let client = auth_basic::Client::builder().base_url(&base).basic_auth("Aladdin", "open sesame").build().unwrap();
    client.who_am_i().await.unwrap();
    // RFC 7617's own example.
    assert_eq!(take(&log), [whoami("", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "-", "-")]);
}

async fn api_keys_go_where_the_spec_says() {
    let (base, log) = recorder().await;
    let header = auth_api_key_header::Client::builder().base_url(&base).api_key("k1").build().unwrap();
    header.who_am_i().await.unwrap();
    let query = auth_api_key_query::Client::builder().base_url(&base).api_key("k 2&").build().unwrap();
    query.who_am_i().verbose(false).await.unwrap();
    query.who_am_i().await.unwrap();
    let cookie = auth_api_key_cookie::Client::builder().base_url(&base).api_key("k3").build().unwrap();
    cookie.who_am_i().await.unwrap();
    assert_eq!(
        take(&log),
        [
            whoami("", "-", "k1", "-"),
            // Beside the operation's own parameters, encoded as any query value is.
            whoami("?verbose=false&api_key=k+2%26", "-", "-", "-"),
            whoami("?api_key=k+2%26", "-", "-", "-"),
            whoami("", "-", "-", "session=k3"),
        ]
    );
}

async fn client_credentials_fetch_a_token_from_the_spec_token_url_once() {
    let (base, log) = recorder().await;
    let client = auth_client_credentials::Client::builder()
        .base_url(&base)
        .client_credentials("my-id", "my secret")
        .build()
        .unwrap();
    client.who_am_i().await.unwrap();
    client.who_am_i().await.unwrap();
    // The spec's token URL, https://api.example.com/oauth2/token, is on its server's host: it
    // follows the base URL there.
    assert_eq!(
        take(&log),
        [
            "POST /oauth2/token authorization=- x-api-key=- cookie=- form=grant_type=client_credentials&client_id=my-id&client_secret=my+secret".to_string(),
            whoami("", "Bearer token-1", "-", "-"),
            whoami("", "Bearer token-1", "-", "-"),
        ]
    );
    // `token_url` overrides it.
    let elsewhere = base.replace("/v1", "/oauth2/token");
    let client = auth_client_credentials::Client::builder()
        .base_url(&format!("{base}/nested"))
        .client_credentials("id", "s")
        .token_url(&elsewhere)
        .build()
        .unwrap();
    client.who_am_i().await.unwrap();
    let log = take(&log);
    assert!(log[0].starts_with("POST /oauth2/token "), "{log:?}");
    assert_eq!(log[1], "GET /v1/nested/whoami authorization=Bearer token-2 x-api-key=- cookie=-");
}

async fn no_scheme_sends_no_credentials() {
    let (base, log) = recorder().await;
    auth_none::Client::new(&base).unwrap().who_am_i().await.unwrap();
    // Schemes the client cannot run are left out; the OAuth2 one still takes a bearer token.
    let client = auth_unsupported::Client::new(&base, "brought").unwrap();
    client.who_am_i().await.unwrap();
    assert_eq!(take(&log), [whoami("", "-", "-", "-"), whoami("", "Bearer brought", "-", "-")]);
}

/// Two generated crates in one program, one token cache: a client of `auth-bearer` sends the
/// tokens of a client of `auth-client-credentials` (a `TokenProvider` is the same type in both
/// crates), so there is one token fetch for both, and a 401 to either makes the owner of the
/// cache fetch a new token, which both then send.
async fn two_crates_share_one_token_cache() {
    let (base, log) = recorder().await;
    let owner = auth_client_credentials::Client::builder()
        .base_url(&base)
        .client_credentials("my-id", "my secret")
        .build()
        .unwrap();
    let shared: auth_bearer::TokenProvider = owner.token_provider().unwrap();
    let borrower = auth_bearer::Client::builder().base_url(&base).token_provider(shared.clone()).build().unwrap();
    owner.who_am_i().await.unwrap();
    borrower.who_am_i().await.unwrap();
    borrower.who_am_i().await.unwrap();
    let log_of = |lines: Vec<String>| lines.into_iter().map(|l| l.split(" form=").next().unwrap().to_string()).collect::<Vec<_>>();
    let token_request = "POST /oauth2/token authorization=- x-api-key=- cookie=-";
    assert_eq!(
        log_of(take(&log)),
        [
            token_request.to_string(),
            whoami("", "Bearer token-1", "-", "-"),
            whoami("", "Bearer token-1", "-", "-"),
            whoami("", "Bearer token-1", "-", "-"),
        ]
    );
    // The borrower's request is refused: it tells the provider, the owner fetches token-2, the
    // borrower sends its request once more with it, and the owner sends token-2 from then on.
    let refusing = auth_bearer::Client::builder()
        .base_url(&format!("{base}/refusing-token-1"))
        .token_provider(shared)
        .build()
        .unwrap();
    refusing.who_am_i().await.unwrap();
    owner.who_am_i().await.unwrap();
    let refused = "GET /v1/refusing-token-1/whoami authorization=Bearer token-1 x-api-key=- cookie=-";
    let retried = "GET /v1/refusing-token-1/whoami authorization=Bearer token-2 x-api-key=- cookie=-";
    assert_eq!(
        log_of(take(&log)),
        [refused, token_request, retried, &whoami("", "Bearer token-2", "-", "-")]
    );
}

#[tokio::main]
async fn main() {
    http_bearer_sends_the_token().await;
    http_basic_sends_user_and_password().await;
    api_keys_go_where_the_spec_says().await;
    client_credentials_fetch_a_token_from_the_spec_token_url_once().await;
    no_scheme_sends_no_credentials().await;
    two_crates_share_one_token_cache().await;
    println!("all authentication checks passed");
}
