//! The server side reads requests strictly where the client reads responses leniently: a value
//! the spec does not allow in a request body or query is the operation's documented 400, never
//! stored (so the fake's later responses never break the spec). And error tracking ids are never
//! resource ids.

use std::collections::BTreeSet;

use common::{message, raw};
use fake_service_desk::FakeServer;
use serde_json::{json, Value as Json};

mod common;

fn valid_body() -> Json {
    json!({
        "name": "HR desk",
        "description": "a description",
        "type": "ServiceNowSDIM",
        "attributes": {"instanceUrl": "https://desk.example.com"}
    })
}

/// The valid body with `field` set to `value`.
fn with(field: &str, value: Json) -> String {
    let mut body = valid_body();
    body[field] = value;
    body.to_string()
}

#[tokio::test]
async fn bodies_with_values_outside_the_spec_are_the_documented_400() {
    let fake = FakeServer::start().await;
    let cases = [
        // An enum value the spec does not list (the client would keep it as `Unknown`).
        (
            with("clusterRef", json!({"type": ""})),
            "unknown variant ``, expected `CLUSTER`",
        ),
        (
            with("ownerRef", json!({"type": "ROBOT", "id": "x"})),
            "unknown variant `ROBOT`",
        ),
        // `null` for properties that are not nullable (the client reads it as absent).
        (
            with("description", Json::Null),
            "at `description`: invalid type: null",
        ),
        (
            with("managedSources", Json::Null),
            "at `managedSources`: invalid type: null",
        ),
        (
            with("ownerRef", Json::Null),
            "at `ownerRef`: invalid type: null",
        ),
        // `""` for an object or date (the client reads it as absent).
        (
            with("clusterRef", json!("")),
            "at `clusterRef`: invalid type: string",
        ),
        (with("modified", json!("")), "at `modified`"),
        // Date-times that are not RFC 3339 (the client fills in seconds and zone).
        (with("created", json!("2012-04-23T18:25Z")), "at `created`"),
        (
            with("created", json!("2012-04-23T18:25:43")),
            "at `created`",
        ),
        (with("created", json!("yesterday")), "at `created`"),
    ];
    for (body, expected) in &cases {
        for (method, path) in [
            ("POST", "/service-desk-integrations"),
            ("PUT", "/service-desk-integrations/some-id"),
        ] {
            let (status, _, answer) =
                raw(&fake, method, path, None, "application/json", body).await;
            assert_eq!(status, 400, "{method} {body}: {answer}");
            assert_eq!(
                answer["detailCode"], "400.1 Bad Request Content",
                "{answer}"
            );
            let text = message(&answer);
            assert!(text.contains(expected), "{method} {body}: {text}");
        }
    }
    assert!(fake.integrations().is_empty());
    // What the spec allows still goes through: a nullable property's `null`, valid dates.
    let (status, _, answer) = raw(
        &fake,
        "POST",
        "/service-desk-integrations",
        None,
        "application/json",
        &with("cluster", Json::Null),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, answer) = raw(
        &fake,
        "POST",
        "/service-desk-integrations",
        None,
        "application/json",
        &with("created", json!("2012-04-23T18:25:43.511Z")),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
}

#[tokio::test]
async fn a_patch_cannot_store_what_a_create_could_not() {
    let fake = FakeServer::start().await;
    let (status, _, created) = raw(
        &fake,
        "POST",
        "/service-desk-integrations",
        None,
        "application/json",
        &valid_body().to_string(),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let path = format!(
        "/service-desk-integrations/{}",
        created["id"].as_str().unwrap()
    );
    for (patch, expected) in [
        (
            json!([{"op": "replace", "path": "/clusterRef", "value": {"type": "NOPE"}}]),
            "unknown variant `NOPE`",
        ),
        (
            json!([{"op": "replace", "path": "/description", "value": null}]),
            "invalid type: null",
        ),
    ] {
        let (status, _, answer) = raw(
            &fake,
            "PATCH",
            &path,
            None,
            "application/json-patch+json",
            &patch.to_string(),
        )
        .await;
        assert_eq!(status, 400, "{patch}: {answer}");
        assert!(message(&answer).contains(expected), "{patch}: {answer}");
    }
    let (status, _, stored) = raw(&fake, "GET", &path, None, "application/json", "").await;
    assert_eq!(status, 200);
    assert_eq!(stored, created, "a refused patch changes nothing");
}

#[tokio::test]
async fn queries_with_values_outside_the_spec_are_the_documented_400() {
    let fake = FakeServer::start().await;
    for query in ["limit=ten", "offset=-1", "count=maybe", "limit=251"] {
        let (status, _, answer) = raw(
            &fake,
            "GET",
            &format!("/service-desk-integrations?{query}"),
            None,
            "application/json",
            "",
        )
        .await;
        assert_eq!(status, 400, "{query}: {answer}");
        assert_eq!(
            answer["detailCode"], "400.1 Bad Request Content",
            "{answer}"
        );
    }
}

#[tokio::test]
async fn tracking_ids_are_never_resource_ids() {
    let fake = FakeServer::start().await;
    let mut ids = BTreeSet::new();
    let mut tracking = BTreeSet::new();
    for i in 0..40 {
        let (status, _, created) = raw(
            &fake,
            "POST",
            "/service-desk-integrations",
            None,
            "application/json",
            &with("name", json!(format!("desk {i}"))),
        )
        .await;
        assert_eq!(status, 200);
        ids.insert(created["id"].as_str().unwrap().to_string());
        let (status, _, error) = raw(
            &fake,
            "GET",
            &format!("/service-desk-integrations/missing-{i}"),
            None,
            "application/json",
            "",
        )
        .await;
        assert_eq!(status, 404);
        let id = error["trackingId"].as_str().unwrap().to_string();
        assert_eq!(id.len(), 32, "{id}");
        tracking.insert(id);
    }
    assert_eq!((ids.len(), tracking.len()), (40, 40), "all distinct");
    assert!(ids.is_disjoint(&tracking), "{ids:?} {tracking:?}");
}
