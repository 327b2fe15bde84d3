//! The client runtime against servers on 127.0.0.1: tokens, retries, pagination, filters,
//! request headers, forward compatibility and security. Waits use an injected `ManualClock`, so
//! no test sleeps for real seconds.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use generated_client::apis::service_desk_integration::GetServiceDeskIntegrationsFilter;
use generated_client::models::ServiceDeskIntegrationDto;
use generated_client::{
    errors::GetServiceDeskIntegrationsError, Client, ClientBuilder, Config, Error, ManualClock,
    RetryPolicy, Secret, Sorters,
};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn integration(i: usize) -> Value {
    json!({"id": format!("id-{i}"), "name": format!("integration {i}"), "description": "d", "type": "ServiceNowSDIM", "attributes": {}})
}

fn base(server: &MockServer) -> String {
    format!("{}/v3", server.uri())
}

/// A client with a manual clock, so retry waits are recorded instead of slept.
fn client_with(
    server: &MockServer,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> (Client, ManualClock) {
    let clock = ManualClock::new();
    let builder = Client::builder()
        .base_url(&base(server))
        .clock(Arc::new(clock.clone()));
    (configure(builder).build().unwrap(), clock)
}

/// A token endpoint that hands out `token-1`, `token-2`, ... living `lifetime` seconds each.
struct TokenEndpoint {
    issued: Arc<Mutex<usize>>,
    lifetime: u64,
}

impl Respond for TokenEndpoint {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut issued = self.issued.lock().unwrap();
        *issued += 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("token-{issued}"), "token_type": "bearer", "expires_in": self.lifetime,
            "scope": "sp:scopes:all", "tenant_id": "t", "jti": "j"
        }))
    }
}

async fn mount_token_endpoint(server: &MockServer, lifetime: u64) -> Arc<Mutex<usize>> {
    let issued = Arc::new(Mutex::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=my-id"))
        .and(body_string_contains("client_secret=my-secret"))
        .respond_with(TokenEndpoint {
            issued: issued.clone(),
            lifetime,
        })
        .mount(server)
        .await;
    issued
}

fn pat(builder: ClientBuilder) -> ClientBuilder {
    builder.client_credentials("my-id", "my-secret")
}

/// Serves `total` integrations by offset and limit, recording the query of each request.
struct Collection {
    total: usize,
    queries: Arc<Mutex<Vec<String>>>,
    odd_item: Option<usize>,
}

impl Respond for Collection {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.queries
            .lock()
            .unwrap()
            .push(request.url.query().unwrap_or_default().to_string());
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let offset: usize = param("offset").map_or(0, |v| v.parse().unwrap());
        let limit: usize = param("limit").map_or(250, |v| v.parse().unwrap());
        if offset >= self.total && offset > 0 {
            // As some endpoints do past the end.
            return ResponseTemplate::new(400)
                .set_body_json(json!({"detailCode": "400.1 Bad Request Content"}));
        }
        let items: Vec<Value> = (offset..(offset + limit).min(self.total))
            .map(|i| {
                if Some(i) == self.odd_item {
                    json!({"id": i, "name": 42})
                } else {
                    integration(i)
                }
            })
            .collect();
        let mut response = ResponseTemplate::new(200).set_body_json(items);
        if param("count").as_deref() == Some("true") {
            response = response.insert_header("X-Total-Count", self.total.to_string().as_str());
        }
        response
    }
}

async fn mount_collection(
    server: &MockServer,
    total: usize,
    odd_item: Option<usize>,
) -> Arc<Mutex<Vec<String>>> {
    let queries = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .and(path("/v3/service-desk-integrations"))
        .respond_with(Collection {
            total,
            queries: queries.clone(),
            odd_item,
        })
        .mount(server)
        .await;
    queries
}

fn authorizations(requests: &[Request], path_prefix: &str) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.url.path().starts_with(path_prefix))
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        })
        .collect()
}

// ---------------------------------------------------------------- authentication

#[tokio::test]
async fn client_credentials_fetch_one_token_and_reuse_it() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    mount_collection(&server, 3, None).await;
    let (client, _) = client_with(&server, pat);
    client.get_service_desk_integrations().await.unwrap();
    client.get_service_desk_integrations().await.unwrap();
    assert_eq!(*issued.lock().unwrap(), 1);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        authorizations(&requests, "/v3"),
        ["Bearer token-1", "Bearer token-1"]
    );
}

#[tokio::test]
async fn fifty_concurrent_requests_cause_exactly_one_token_request() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    mount_collection(&server, 3, None).await;
    let (client, _) = client_with(&server, pat);
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .get_service_desk_integrations()
                .await
                .map(|r| r.len())
        })
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().unwrap(), 3);
    }
    assert_eq!(*issued.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_token_that_expires_between_two_pages_is_refreshed() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    mount_collection(&server, 300, None).await;
    let (client, clock) = client_with(&server, pat);
    let mut stream = client.get_service_desk_integrations().stream();
    for _ in 0..250 {
        stream.next().await.unwrap().unwrap();
    }
    clock.advance(Duration::from_secs(601));
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 50);
    assert_eq!(*issued.lock().unwrap(), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        authorizations(&requests, "/v3"),
        ["Bearer token-1", "Bearer token-2"]
    );
}

#[tokio::test]
async fn tokens_are_refreshed_shortly_before_they_expire() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    mount_collection(&server, 1, None).await;
    let (client, clock) = client_with(&server, pat);
    client.get_service_desk_integrations().await.unwrap();
    clock.advance(Duration::from_secs(530)); // 70 s left: still used
    client.get_service_desk_integrations().await.unwrap();
    assert_eq!(*issued.lock().unwrap(), 1);
    clock.advance(Duration::from_secs(20)); // 50 s left: inside the one-minute margin
    client.get_service_desk_integrations().await.unwrap();
    assert_eq!(*issued.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "JWT validation failed: JWT is expired"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([integration(1)])))
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, pat);
    assert_eq!(
        client.get_service_desk_integrations().await.unwrap().len(),
        1
    );
    assert_eq!(*issued.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_401_after_a_fresh_token_is_returned_not_looped() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": "JWT validation failed"})),
        )
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, pat);
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert!(
        matches!(
            err.api_error(),
            Some(GetServiceDeskIntegrationsError::Unauthorized(_))
        ),
        "{err:?}"
    );
    assert_eq!(
        *issued.lock().unwrap(),
        2,
        "one refresh, then the 401 is the answer"
    );
}

#[tokio::test]
async fn a_failing_token_endpoint_is_an_auth_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"})))
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, pat);
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(auth) if auth.status.map(|s| s.as_u16()) == Some(401)),
        "{err:?}"
    );
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains("my-secret"), "{text}");
        assert!(text.contains("invalid_client"), "{text}");
    }
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn a_429_waits_exactly_the_retry_after_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .set_body_json(json!({"message": " Rate Limit Exceeded "})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_collection(&server, 2, None).await;
    let (client, clock) = client_with(&server, |b| b.bearer_token("t"));
    assert_eq!(
        client.get_service_desk_integrations().await.unwrap().len(),
        2
    );
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
}

#[tokio::test]
async fn a_429_with_an_http_date_waits_until_then() {
    let server = MockServer::start().await;
    let date = (chrono::Utc::now() + chrono::Duration::seconds(90))
        .to_rfc2822()
        .replace("+0000", "GMT");
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", date.as_str())
                .set_body_json(json!({"message": "slow down"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_collection(&server, 1, None).await;
    let (client, clock) = client_with(&server, |b| b.bearer_token("t"));
    client.get_service_desk_integrations().await.unwrap();
    let waited = clock.sleeps();
    assert_eq!(waited.len(), 1);
    assert!(
        waited[0] > Duration::from_secs(80) && waited[0] <= Duration::from_secs(90),
        "{waited:?} for {date}"
    );
}

#[tokio::test]
async fn a_429_even_for_post_is_retried_since_the_server_did_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration(1)))
        .mount(&server)
        .await;
    let (client, clock) = client_with(&server, |b| b.bearer_token("t"));
    let dto: ServiceDeskIntegrationDto = serde_json::from_value(integration(1)).unwrap();
    client.create_service_desk_integration(&dto).await.unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
}

#[tokio::test]
async fn a_burst_of_503s_backs_off_exponentially_with_jitter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(3)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_collection(&server, 1, None).await;
    let (client, clock) = client_with(&server, |b| b.bearer_token("t"));
    client.get_service_desk_integrations().await.unwrap();
    let waits = clock.sleeps();
    assert_eq!(waits.len(), 3);
    for (wait, full) in waits.iter().zip([1, 2, 4]) {
        let full = Duration::from_secs(full);
        assert!(*wait >= full / 2 && *wait <= full, "{waits:?}");
    }
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let (client, clock) = client_with(&server, |b| {
        b.bearer_token("t")
            .retry_policy(RetryPolicy::default().max_retries(2))
    });
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedStatus { status, .. } if status.as_u16() == 502),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(clock.sleeps().len(), 2);
}

#[tokio::test]
async fn a_wait_beyond_the_budget_is_not_started() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1200")
                .set_body_json(json!({"message": "tier 3"})),
        )
        .mount(&server)
        .await;
    let (client, clock) = client_with(&server, |b| b.bearer_token("t"));
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1200)));
    assert!(matches!(
        err.api_error(),
        Some(GetServiceDeskIntegrationsError::TooManyRequests(_))
    ));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_post_is_not_replayed_after_a_server_error_unless_allowed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(integration(1)))
        .mount(&server)
        .await;
    let dto: ServiceDeskIntegrationDto = serde_json::from_value(integration(1)).unwrap();
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let err = client
        .create_service_desk_integration(&dto)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    let (client, _) = client_with(&server, |b| {
        b.bearer_token("t")
            .retry_policy(RetryPolicy::default().retry_non_idempotent(true))
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    client.create_service_desk_integration(&dto).await.unwrap();
}

#[tokio::test]
async fn a_response_slower_than_the_timeout_fails_as_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([]))
                .set_delay(Duration::from_millis(800)),
        )
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, |b| {
        b.bearer_token("t")
            .timeout(Duration::from_millis(100))
            .retry_policy(RetryPolicy::none())
    });
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
}

/// A raw HTTP server: the first connection gets half a body and is closed, later ones a whole answer.
async fn server_that_drops_the_first_body() -> (String, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let connections = Arc::new(Mutex::new(0));
    let seen = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = {
                let mut count = seen.lock().unwrap();
                *count += 1;
                *count
            };
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                let body = json!([integration(1)]).to_string();
                let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = socket.write_all(head.as_bytes()).await;
                let end = if n == 1 { body.len() / 2 } else { body.len() };
                let _ = socket.write_all(&body.as_bytes()[..end]).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{address}/v3"), connections)
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_retried_for_a_get() {
    let (base, connections) = server_that_drops_the_first_body().await;
    let clock = ManualClock::new();
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("t")
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    assert_eq!(
        client.get_service_desk_integrations().await.unwrap().len(),
        1
    );
    assert_eq!(*connections.lock().unwrap(), 2);
    assert_eq!(clock.sleeps().len(), 1);

    let (base, _) = server_that_drops_the_first_body().await;
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("t")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

// ---------------------------------------------------------------- pagination

#[tokio::test]
async fn the_stream_pages_lazily_and_stops_on_a_short_page() {
    let server = MockServer::start().await;
    let queries = mount_collection(&server, 600, None).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let mut stream = client
        .get_service_desk_integrations()
        .sorters("name")
        .stream();
    assert_eq!(stream.next().await.unwrap().unwrap().name, "integration 0");
    assert_eq!(
        queries.lock().unwrap().len(),
        1,
        "one page fetched for the first item"
    );
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 599);
    assert_eq!(
        *queries.lock().unwrap(),
        [
            "offset=0&limit=250&sorters=name",
            "offset=250&limit=250&sorters=name",
            "offset=500&limit=250&sorters=name"
        ]
    );
}

#[tokio::test]
async fn the_stream_honours_a_cap_a_page_size_and_a_start() {
    let server = MockServer::start().await;
    let queries = mount_collection(&server, 1000, None).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let items: Vec<_> = client
        .get_service_desk_integrations()
        .offset(10)
        .limit(100)
        .stream()
        .max_items(150)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 150);
    assert_eq!(items[0].id.as_deref(), Some("id-10"));
    assert_eq!(
        *queries.lock().unwrap(),
        ["offset=10&limit=100", "offset=110&limit=50"]
    );
    // A cap smaller than a page asks for no more than the cap.
    let server = MockServer::start().await;
    let queries = mount_collection(&server, 1000, None).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let _ = client
        .get_service_desk_integrations()
        .limit(250)
        .stream()
        .max_items(1)
        .next()
        .await;
    assert_eq!(*queries.lock().unwrap(), ["offset=0&limit=1"]);
    // The page size never exceeds the documented maximum of 250, even when a larger limit is set.
    let server = MockServer::start().await;
    let queries = mount_collection(&server, 1000, None).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let items: Vec<_> = client
        .get_service_desk_integrations()
        .limit(1000)
        .stream()
        .max_items(300)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 300);
    assert_eq!(
        *queries.lock().unwrap(),
        ["offset=0&limit=250", "offset=250&limit=50"]
    );
}

#[tokio::test]
async fn a_4xx_past_a_full_last_page_ends_the_stream() {
    let server = MockServer::start().await;
    let queries = mount_collection(&server, 500, None).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let items: Vec<_> = client
        .get_service_desk_integrations()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 500);
    assert_eq!(
        queries.lock().unwrap().len(),
        3,
        "the third request got a 400 and ended the stream"
    );
}

#[tokio::test]
async fn count_is_asked_once_and_the_total_is_available() {
    let server = MockServer::start().await;
    let queries = mount_collection(&server, 260, None).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let mut stream = client.get_service_desk_integrations().count(true).stream();
    assert_eq!(stream.total_count(), None);
    stream.next().await.unwrap().unwrap();
    assert_eq!(stream.total_count(), Some(260));
    while stream.next().await.is_some() {}
    let queries = queries.lock().unwrap();
    assert!(
        queries[0].contains("count=true") && !queries[1].contains("count"),
        "{queries:?}"
    );
}

#[tokio::test]
async fn one_odd_item_does_not_fail_the_page() {
    let server = MockServer::start().await;
    mount_collection(&server, 5, Some(2)).await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let results: Vec<_> = client
        .get_service_desk_integrations()
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 5);
    assert!(results
        .iter()
        .enumerate()
        .all(|(i, r)| r.is_ok() == (i != 2)));
    let Err(Error::Item { body, .. }) = &results[2] else {
        panic!("{:?}", results[2])
    };
    assert_eq!(
        serde_json::from_slice::<Value>(body).unwrap(),
        json!({"id": 2, "name": 42})
    );
}

// ---------------------------------------------------------------- filters, sorters, headers

#[tokio::test]
async fn typed_filters_and_sorters_are_sent_as_the_grammar_wants() {
    let server = MockServer::start().await;
    let filter = GetServiceDeskIntegrationsFilter::type_in(["ServiceNowSDIM", "ServiceNow"])
        .and(GetServiceDeskIntegrationsFilter::name_eq(
            "HR \"main\" desk",
        ))
        .or(GetServiceDeskIntegrationsFilter::id_eq("abc"));
    let expected =
        r#"type in ("ServiceNowSDIM", "ServiceNow") and name eq "HR \"main\" desk" or id eq "abc""#;
    Mock::given(method("GET"))
        .and(query_param("filters", expected))
        .and(query_param("sorters", "-name"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    assert_eq!(generated_client::apis::service_desk_integration::GetServiceDeskIntegrations::SORTABLE_FIELDS, ["name"]);
    client
        .get_service_desk_integrations()
        .filters(filter)
        .sorters(Sorters::new().desc("name"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_user_agent_names_the_application() {
    let server = MockServer::start().await;
    mount_collection(&server, 0, None).await;
    let (client, _) = client_with(&server, |b| {
        b.bearer_token("t").application("ticket-sync", "2.1.0")
    });
    client.get_service_desk_integrations().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let agent = requests[0]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    // The generated crate's own version, as its Cargo.toml says (the generator bumps it).
    let manifest =
        std::fs::read_to_string(workspace_tests::workspace().join("generated-client/Cargo.toml"))
            .unwrap();
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = "))
        .expect("generated-client/Cargo.toml has a version")
        .trim_matches('"');
    let expected = format!(
        "generated-client/{version} (ticket-sync/2.1.0) ({}; {})",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert_eq!(agent, expected);
    assert!(requests[0]
        .headers
        .get("x-sailpoint-experimental")
        .is_none());
}

/// Collects what tracing logs while `f` runs.
async fn logs_of<F: std::future::Future>(f: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let output = f.await;
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    (output, text)
}

#[tokio::test(flavor = "current_thread")]
async fn deprecated_answers_and_retries_are_logged_without_secrets() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 600).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Deprecated", "true")
                .set_body_json(json!([])),
        )
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, pat);
    let (result, logs) = logs_of(async {
        client.get_service_desk_integrations().await.unwrap();
        client.get_service_desk_integrations().await
    })
    .await;
    result.unwrap();
    assert!(logs.contains("retrying") && logs.contains("503"), "{logs}");
    assert_eq!(
        logs.matches("deprecated").count(),
        1,
        "warned once per path: {logs}"
    );
    assert!(logs.contains("fetched an access token"), "{logs}");
    assert!(
        !logs.contains("my-secret") && !logs.contains("token-1"),
        "{logs}"
    );
}

// ---------------------------------------------------------------- forward compatibility

#[tokio::test]
async fn new_fields_enum_values_and_odd_dates_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{
            "id": "1", "name": "n", "description": "d", "type": "BrandNewSDIM", "attributes": {},
            "created": "2012-04-23T18:25Z", "modified": "", "ownerRef": "", "clusterRef": {"type": "CLUSTER_V2", "id": "c"},
            "somethingAddedIn2027": {"nested": true}
        }])))
        .mount(&server)
        .await;
    let (client, _) = client_with(&server, |b| b.bearer_token("t"));
    let page = client.get_service_desk_integrations().await.unwrap();
    let item = &page[0];
    assert_eq!(item.r#type, "BrandNewSDIM");
    assert_eq!(
        item.created.unwrap().to_rfc3339(),
        "2012-04-23T18:25:00+00:00"
    );
    assert!(item.modified.is_none() && item.owner_ref.is_none());
    let cluster_type = item.cluster_ref.as_ref().unwrap().r#type.as_ref().unwrap();
    assert_eq!(cluster_type.as_str(), "CLUSTER_V2");
}

// ---------------------------------------------------------------- security and configuration

#[test]
fn plain_http_is_refused_except_to_this_machine() {
    let err = Client::builder()
        .base_url("http://acme.api.identitynow.com/v3")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("refusing plain http"), "{err}");
    assert!(Client::builder()
        .base_url("http://acme.example/v3")
        .allow_insecure_http(true)
        .build()
        .is_ok());
    for local in [
        "http://127.0.0.1:8080/v3",
        "http://localhost/v3",
        "http://[::1]:9/v3",
    ] {
        assert!(Client::builder().base_url(local).build().is_ok(), "{local}");
    }
    let err = Client::builder()
        .base_url("https://acme.api.identitynow.com/v3")
        .client_credentials("id", "secret")
        .token_url("http://tokens.example/oauth/token")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("tokens.example"), "{err}");
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let builder = Client::builder()
        .client_credentials("my-id", "very-secret")
        .bearer_token("tok-secret");
    let client = Client::builder()
        .client_credentials("my-id", "very-secret")
        .build()
        .unwrap();
    let config = Config {
        base_url: "https://acme.api.identitynow.com".into(),
        client_id: "my-id".into(),
        client_secret: Secret::new("very-secret"),
        source: "test".into(),
    };
    for text in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{config:?}"),
        format!("{}", config.client_secret),
    ] {
        assert!(
            !text.contains("very-secret") && !text.contains("tok-secret"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_config_points_the_client_at_the_tenant_and_its_token_endpoint() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 600).await;
    mount_collection(&server, 2, None).await;
    let config = Config {
        base_url: server.uri(),
        client_id: "my-id".into(),
        client_secret: Secret::new("my-secret"),
        source: "test".into(),
    };
    let client = Client::builder().config(&config).build().unwrap();
    assert_eq!(client.base_url(), format!("{}/v3", server.uri()));
    assert_eq!(
        client.get_service_desk_integrations().await.unwrap().len(),
        2
    );
    assert_eq!(*issued.lock().unwrap(), 1);
}
