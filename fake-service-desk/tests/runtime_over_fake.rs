//! The client runtime's retries, token refresh and pagination against the fake: the same
//! behaviours tests/runtime.rs checks with hand-written wiremock answers, here against a server
//! that keeps real state. Waits go through a `ManualClock` shared by client and fake, so nothing
//! sleeps for real.

use std::sync::Arc;
use std::time::Duration;

use fake_service_desk::{FakeServer, Fault};
use futures::{StreamExt, TryStreamExt};
use generated_client::errors::GetServiceDeskIntegrationsError;
use generated_client::models::ServiceDeskIntegrationDto;
use generated_client::{Client, Error, ManualClock, RetryPolicy};

fn integration(i: usize) -> ServiceDeskIntegrationDto {
    ServiceDeskIntegrationDto::new(
        format!("integration {i:02}"),
        "d",
        "ServiceNowSDIM",
        serde_json::Map::new(),
    )
}

/// A fake and a client of it sharing one manual clock.
async fn fake_and_client(lifetime: Duration) -> (FakeServer, Client, ManualClock) {
    let clock = ManualClock::new();
    let fake = FakeServer::builder()
        .token_lifetime(lifetime)
        .clock(Arc::new(clock.clone()))
        .start()
        .await;
    let client = fake
        .client_builder()
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();
    (fake, client, clock)
}

/// (path, status) of every API request, the token endpoint's left out.
fn api_requests(fake: &FakeServer) -> Vec<(String, u16)> {
    fake.requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v3"))
        .map(|r| (r.path, r.status))
        .collect()
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn a_429_is_retried_after_exactly_its_retry_after_even_for_post() {
    let (fake, client, clock) = fake_and_client(Duration::from_secs(600)).await;
    fake.fail_next(2, Fault::TooManyRequests { retry_after: 7 });
    let created = client
        .create_service_desk_integration(&integration(1))
        .await
        .unwrap();
    assert_eq!(created.name, "integration 01");
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(7), Duration::from_secs(7)]
    );
    let statuses: Vec<u16> = api_requests(&fake).iter().map(|r| r.1).collect();
    assert_eq!(statuses, [429, 429, 200]);
    assert_eq!(fake.integrations().len(), 1, "the 429s created nothing");
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_for_idempotent_methods_only() {
    let (fake, client, clock) = fake_and_client(Duration::from_secs(600)).await;
    let id = fake.insert(integration(1)).id.unwrap();
    fake.fail_next(1, Fault::Status(503));
    fake.fail_next(1, Fault::Status(502));
    let found = client.get_service_desk_integration(&id).await.unwrap();
    assert_eq!(found.id.as_deref(), Some(id.as_str()));
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2);
    // Exponential backoff with equal jitter: 0.5-1 s, then 1-2 s.
    let within = |wait: Duration, full: u64| {
        wait * 2 >= Duration::from_secs(full) && wait <= Duration::from_secs(full)
    };
    assert!(within(sleeps[0], 1) && within(sleeps[1], 2), "{sleeps:?}");

    // A POST that may have reached the server is not replayed: it could create a duplicate.
    fake.fail_next(1, Fault::Status(503));
    let err = client
        .create_service_desk_integration(&integration(2))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(fake.integrations().len(), 1);
    assert_eq!(clock.sleeps().len(), 2, "no wait for the POST");
}

#[tokio::test]
async fn retries_stop_at_the_policy_and_the_last_answer_is_typed() {
    let clock = ManualClock::new();
    let fake = FakeServer::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await;
    let client = fake
        .client_builder()
        .clock(Arc::new(clock.clone()))
        .retry_policy(RetryPolicy::default().max_retries(2))
        .build()
        .unwrap();
    fake.fail_next(5, Fault::TooManyRequests { retry_after: 3 });
    match client.get_service_desk_integrations().await {
        Err(Error::Api {
            body: GetServiceDeskIntegrationsError::TooManyRequests(body),
            ..
        }) => {
            assert_eq!(body.message.as_deref(), Some(" Rate Limit Exceeded "))
        }
        other => panic!("expected the last 429, typed, got {other:?}"),
    }
    assert_eq!(clock.sleeps(), [Duration::from_secs(3); 2]);
    assert_eq!(api_requests(&fake).len(), 3);
}

// ---------------------------------------------------------------- tokens

#[tokio::test]
async fn tokens_are_fetched_once_and_refreshed_before_they_expire() {
    let (fake, client, clock) = fake_and_client(Duration::from_secs(600)).await;
    client.get_service_desk_integrations().await.unwrap();
    client.get_service_desk_integrations().await.unwrap();
    assert_eq!(fake.tokens_issued(), 1);
    clock.advance(Duration::from_secs(590)); // still valid on the fake, but about to expire
    client.get_service_desk_integrations().await.unwrap();
    assert_eq!(fake.tokens_issued(), 2);
    assert!(
        api_requests(&fake).iter().all(|r| r.1 == 200),
        "the fake never saw an expired token"
    );
}

#[tokio::test]
async fn a_token_the_server_refuses_is_refreshed_once_and_the_request_repeated() {
    let (fake, client, _) = fake_and_client(Duration::from_secs(600)).await;
    let id = fake.insert(integration(1)).id.unwrap();
    client.get_service_desk_integration(&id).await.unwrap();
    fake.expire_tokens();
    let patch = vec![{
        let mut op = generated_client::models::JsonPatchOperation::new(
            generated_client::models::JsonPatchOperationOp::Replace,
            "/description",
        );
        op.value = Some("after refresh".into());
        op
    }];
    let patched = client
        .patch_service_desk_integration(&id, &patch)
        .await
        .unwrap();
    assert_eq!(patched.description, "after refresh");
    assert_eq!(fake.tokens_issued(), 2);
    let statuses: Vec<u16> = api_requests(&fake).iter().map(|r| r.1).collect();
    assert_eq!(statuses, [200, 401, 200]);
}

#[tokio::test]
async fn concurrent_requests_share_one_token() {
    let (fake, client, _) = fake_and_client(Duration::from_secs(600)).await;
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .get_service_desk_integration_types()
                .await
                .map(|t| t.len())
        })
    });
    for result in futures::future::join_all(calls).await {
        assert!(result.unwrap().unwrap() > 0);
    }
    assert_eq!(fake.tokens_issued(), 1);
}

// ---------------------------------------------------------------- pagination

#[tokio::test]
async fn the_stream_pages_through_the_fake_by_offset() {
    let (fake, client, _) = fake_and_client(Duration::from_secs(600)).await;
    for i in 0..7 {
        fake.insert(integration(i));
    }
    let mut stream = client
        .get_service_desk_integrations()
        .limit(3)
        .sorters("-name")
        .count(true)
        .stream();
    let mut names = Vec::new();
    while let Some(item) = stream.try_next().await.unwrap() {
        names.push(item.name);
    }
    let expected: Vec<String> = (0..7)
        .rev()
        .map(|i| format!("integration {i:02}"))
        .collect();
    assert_eq!(names, expected);
    assert_eq!(stream.total_count(), Some(7));
    let queries: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/v3"))
        .map(|r| r.query.unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        [
            "offset=0&limit=3&sorters=-name&count=true",
            "offset=3&limit=3&sorters=-name",
            "offset=6&limit=3&sorters=-name",
        ]
    );
}

#[tokio::test]
async fn a_collection_that_fills_its_last_page_ends_on_an_empty_page() {
    let (fake, client, _) = fake_and_client(Duration::from_secs(600)).await;
    for i in 0..6 {
        fake.insert(integration(i));
    }
    let all: Vec<_> = client
        .get_service_desk_integrations()
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(
        api_requests(&fake).len(),
        3,
        "two full pages, then an empty one"
    );

    let first_four: Vec<_> = client
        .get_service_desk_integrations()
        .limit(3)
        .stream()
        .max_items(4)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(first_four.len(), 4);
}

#[tokio::test]
async fn paging_survives_a_rate_limit_in_the_middle() {
    let (fake, client, clock) = fake_and_client(Duration::from_secs(600)).await;
    for i in 0..5 {
        fake.insert(integration(i));
    }
    let mut stream = client.get_service_desk_integrations().limit(2).stream();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.name, "integration 00");
    stream.next().await.unwrap().unwrap();
    fake.fail_next(1, Fault::TooManyRequests { retry_after: 4 });
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 3);
    assert_eq!(clock.sleeps(), [Duration::from_secs(4)]);
}
