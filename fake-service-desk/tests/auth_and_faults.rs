//! The fake's 401s and token endpoint, its programmable faults, and README.md's client example
//! against it, over HTTP.

use std::sync::Arc;
use std::time::Duration;

use common::{integration, no_retries, raw, typed_error};
use fake_service_desk::{FakeServer, Fault};
use generated_client::errors::{GetServiceDeskIntegrationError, GetServiceDeskIntegrationsError};
use generated_client::models::ServiceDeskIntegrationDto;
use generated_client::{Client, Error, ManualClock, RetryPolicy};
use serde_json::{json, Value as Json};

mod common;

// ---------------------------------------------------------------- authentication

#[tokio::test]
async fn a_missing_unknown_or_expired_token_is_a_401_with_the_live_body() {
    let fake = FakeServer::start().await;
    let path = "/service-desk-integrations";
    let (status, _, body) = raw(&fake, "GET", path, Some(""), "", "").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "JWT validation failed: JWT is missing"})
        )
    );
    let (status, _, body) = raw(&fake, "GET", path, Some("made-up"), "", "").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "JWT validation failed: JWT is invalid"})
        )
    );
    // Before the body is read: a broken body without a token is still a 401.
    let (status, _, _) = raw(&fake, "POST", path, Some(""), "application/json", "{").await;
    assert_eq!(status, 401);

    let (token, _) = fake.issue_token();
    let (status, _, _) = raw(&fake, "GET", path, Some(&token), "", "").await;
    assert_eq!(status, 200);
    fake.expire_tokens();
    let (status, _, body) = raw(&fake, "GET", path, Some(&token), "", "").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "JWT validation failed: JWT is expired"})
        )
    );

    // The typed client sees the documented 401.
    let client = Client::builder()
        .base_url(fake.base_url())
        .bearer_token("made-up")
        .build()
        .unwrap();
    match typed_error(client.get_service_desk_integrations().await) {
        GetServiceDeskIntegrationsError::Unauthorized(body) => {
            assert_eq!(
                body.error.as_deref(),
                Some("JWT validation failed: JWT is invalid")
            )
        }
        other => panic!("expected 401, got {other:?}"),
    }
}

#[tokio::test]
async fn the_token_endpoint_issues_tokens_for_the_configured_credentials_and_lifetime() {
    let clock = ManualClock::new();
    let fake = FakeServer::builder()
        .client_credentials("my-id", "my-secret")
        .token_lifetime(Duration::from_secs(90))
        .clock(Arc::new(clock.clone()))
        .start()
        .await;
    generated_client::install_crypto_provider(); // reqwest here has no TLS provider of its own
    let http = reqwest::Client::new();
    let post = |form: &'static str| {
        http.post(fake.token_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
    };
    let response = post("grant_type=client_credentials&client_id=my-id&client_secret=my-secret")
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let token: Json = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(token["token_type"], "bearer");
    assert_eq!(token["expires_in"], 90);
    let access = token["access_token"].as_str().unwrap().to_string();

    let (status, _, _) = raw(
        &fake,
        "GET",
        "/service-desk-integrations",
        Some(&access),
        "",
        "",
    )
    .await;
    assert_eq!(status, 200);
    clock.advance(Duration::from_secs(90));
    let (status, _, body) = raw(
        &fake,
        "GET",
        "/service-desk-integrations",
        Some(&access),
        "",
        "",
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("JWT validation failed: JWT is expired"))
    );

    let response = post("grant_type=client_credentials&client_id=my-id&client_secret=wrong")
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let body: Json = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["error"], "invalid_client");
    let response = post("grant_type=password&client_id=my-id&client_secret=my-secret")
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(fake.tokens_issued(), 1, "refused requests issue no token");

    // The client's own exchange, with those credentials.
    let client = fake
        .client_builder()
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    client.get_service_desk_integrations().await.unwrap();
    let wrong = Client::builder()
        .base_url(fake.base_url())
        .client_credentials("my-id", "nope")
        .build()
        .unwrap();
    match wrong.get_service_desk_integrations().await {
        Err(Error::Auth(err)) => assert_eq!(err.status.map(|s| s.as_u16()), Some(401)),
        other => panic!("expected an auth error, got {other:?}"),
    }
}

// ---------------------------------------------------------------- faults

#[tokio::test]
async fn queued_faults_answer_the_next_api_requests_then_stop() {
    let fake = FakeServer::start().await;
    fake.fail_next(2, Fault::TooManyRequests { retry_after: 9 });
    fake.fail_next(1, Fault::Status(503));
    fake.fail_next(1, Fault::Delay(Duration::from_millis(20)));
    let path = "/service-desk-integrations";
    for _ in 0..2 {
        let (status, headers, body) = raw(&fake, "GET", path, None, "", "").await;
        assert_eq!(status, 429);
        assert_eq!(headers["retry-after"], "9");
        assert_eq!(body, json!({"message": " Rate Limit Exceeded "}));
    }
    let (status, _, body) = raw(&fake, "GET", path, None, "", "").await;
    assert_eq!(status, 503);
    assert_eq!(body["detailCode"], "503 Service Unavailable");
    let (status, _, _) = raw(&fake, "GET", path, None, "", "").await;
    assert_eq!(status, 200, "a delay serves the request after waiting");
    let (status, _, _) = raw(&fake, "GET", path, None, "", "").await;
    assert_eq!(status, 200);
    let statuses: Vec<u16> = fake.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 503, 200, 200]);

    // The token endpoint is not the API: faults wait for the next API request.
    fake.fail_next(1, Fault::Status(502));
    let client = no_retries(&fake);
    let err = client.get_service_desk_integrations().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    let last: Vec<(String, u16)> = fake
        .requests()
        .into_iter()
        .rev()
        .take(2)
        .map(|r| (r.path, r.status))
        .collect();
    assert_eq!(
        last,
        [
            ("/v3/service-desk-integrations".to_string(), 502),
            ("/oauth/token".to_string(), 200)
        ]
    );
}

#[tokio::test]
async fn a_slow_answer_trips_the_client_timeout() {
    let fake = FakeServer::start().await;
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.get_service_desk_integrations().await.unwrap(); // the token, fetched in time
    fake.fail_next(1, Fault::Delay(Duration::from_secs(600)));
    match client.get_service_desk_integrations().await {
        Err(Error::Transport(err)) => assert!(err.is_timeout(), "{err}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

// ---------------------------------------------------------------- the README's client example

/// The steps of README.md's client example, against the fake instead of a tenant.
#[tokio::test]
async fn the_readme_client_example_works_against_the_fake() {
    let fake = FakeServer::builder()
        .client_credentials("ID", "SECRET")
        .start()
        .await;
    fake.insert(integration("Existing", "ServiceNowSDIM"));
    let client = Client::builder()
        .base_url(fake.base_url())
        .client_credentials("ID", "SECRET")
        .build()
        .unwrap();

    let page = client
        .get_service_desk_integrations()
        .limit(50)
        .sorters("name")
        .count(true)
        .await
        .unwrap();
    assert_eq!((page.len(), page.total_count()), (1, Some(1)));

    let mut attributes = serde_json::Map::new();
    attributes.insert("instanceUrl".into(), "https://acme.service-now.com".into());
    let new = ServiceDeskIntegrationDto::new(
        "ServiceNow",
        "Tickets for access requests",
        "ServiceNowSDIM",
        attributes,
    );
    let created = client.create_service_desk_integration(&new).await.unwrap();
    assert!(created.id.is_some());

    match client.get_service_desk_integration("no-such-id").await {
        Err(Error::Api {
            body: GetServiceDeskIntegrationError::NotFound(details),
            ..
        }) => assert!(details.tracking_id.is_some()),
        other => panic!("expected a NotFound, got {other:?}"),
    }
}
