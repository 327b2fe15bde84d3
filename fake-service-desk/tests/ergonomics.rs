//! What a caller touches first, against the fake: errors that read well (`Display`, `status()`,
//! `message()`, `tracking_id()`), streams read without the `futures` crate (`try_next`,
//! `collect_all`), JSON Patch constructors passed as a slice, and the typed filter helpers at
//! `generated_client::filters`.

use fake_service_desk::FakeServer;
use generated_client::filters::{Filter, GetServiceDeskIntegrationsFilter};
use generated_client::models::{JsonPatchOperation, ServiceDeskIntegrationDto};
use generated_client::reqwest::StatusCode;

fn integration(name: &str) -> ServiceDeskIntegrationDto {
    ServiceDeskIntegrationDto::new(name, "d", "ServiceNowSDIM", serde_json::Map::new())
}

#[tokio::test]
async fn errors_say_the_status_the_servers_message_and_its_tracking_id() {
    let fake = FakeServer::start().await;
    let client = fake.client();
    let err = client
        .get_service_desk_integration("no-such-id")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let message = err.message().expect("the 404's message");
    assert_eq!(
        message,
        "The service desk integration with id 'no-such-id' was not found."
    );
    assert_eq!(err.detail_code().as_deref(), Some("404 Not found"));
    let tracking_id = err.tracking_id().expect("the 404's tracking id");
    assert_eq!(tracking_id.len(), 32, "{tracking_id}");
    assert_eq!(
        err.to_string(),
        format!(
            "404 Not Found: {message} (detail code: 404 Not found, tracking id: {tracking_id})"
        )
    );
    // The raw body stays available beside the typed one.
    assert!(err.raw_body().is_some_and(|body| body.starts_with(b"{")));
}

#[tokio::test]
async fn patch_constructors_go_as_a_slice_and_refused_operations_read_as_403() {
    let fake = FakeServer::start().await;
    let client = fake.client();
    let created = client
        .create_service_desk_integration(&integration("HR desk"))
        .await
        .unwrap();
    let id = created.id.clone().unwrap();

    let patched = client
        .patch_service_desk_integration(
            &id,
            &[JsonPatchOperation::replace(
                "/description",
                "Tickets for HR",
            )],
        )
        .await
        .unwrap();
    assert_eq!(patched.description, "Tickets for HR");

    // A Vec still goes by reference: it derefs to the slice.
    let refused = vec![JsonPatchOperation::remove("/description")];
    let err = client
        .patch_service_desk_integration(&id, &refused)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    let shown = err.to_string();
    assert!(
        shown.starts_with("403 Forbidden: Only replace operations are supported; `remove` at /description is not allowed. (detail code: 403 Forbidden, tracking id: "),
        "{shown}"
    );
}

#[tokio::test]
async fn streams_are_read_with_their_own_methods_and_typed_filters() {
    let fake = FakeServer::start().await;
    let client = fake.client();
    for name in ["a", "b", "c", "d", "e"] {
        client
            .create_service_desk_integration(&integration(name))
            .await
            .unwrap();
    }
    // Pages of two: three requests for five items.
    let mut items = client
        .get_service_desk_integrations()
        .limit(2)
        .count(true)
        .stream();
    assert!(format!("{items:?}").starts_with("Pages {"));
    let mut names = Vec::new();
    while let Some(item) = items.try_next().await.unwrap() {
        names.push(item.name);
    }
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(items.total_count(), Some(5));

    let first = client
        .get_service_desk_integrations()
        .limit(2)
        .stream()
        .max_items(3)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(first.len(), 3);

    let filter = GetServiceDeskIntegrationsFilter::name_eq("c").or(Filter::field("name").eq("e"));
    let found = client
        .get_service_desk_integrations()
        .filters(filter)
        .stream()
        .collect_all()
        .await
        .unwrap();
    let found: Vec<&str> = found.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(found, ["c", "e"]);
}

#[test]
fn string_enums_parse_as_they_decode() {
    use generated_client::models::JsonPatchOperationOp;
    let op: JsonPatchOperationOp = "replace".parse().unwrap();
    assert_eq!(op, JsonPatchOperationOp::Replace);
    // A value this client does not know yet parses as decoding takes it, not as an error.
    let future: JsonPatchOperationOp = "merge".parse().unwrap();
    assert_eq!(
        future,
        serde_json::from_str::<JsonPatchOperationOp>("\"merge\"").unwrap()
    );
}
