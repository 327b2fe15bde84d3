//! The fake's store over HTTP, as the live API behaves (shared/ISC-API-NOTES.md): where it
//! serves, CRUD with generated ids and timestamps, 404 and 400 `ErrorResponseDto`s, replace-only
//! PATCH (403 otherwise), templates, types and the status-check configuration.

use std::sync::Arc;
use std::time::Duration;

use common::{integration, message, no_retries, raw, typed_error};
use fake_service_desk::FakeServer;
use generated_client::errors::{
    self, DeleteServiceDeskIntegrationError, GetServiceDeskIntegrationError,
    PatchServiceDeskIntegrationError, PutServiceDeskIntegrationError,
};
use generated_client::models::{
    JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue, QueuedCheckConfigDetails,
};
use generated_client::ManualClock;
use serde_json::{json, Value as Json};

mod common;

// ---------------------------------------------------------------- serving

#[tokio::test]
async fn serves_the_api_under_v3_and_tokens_at_oauth_token_on_localhost() {
    let fake = FakeServer::start().await;
    assert!(fake.address().ip().is_loopback());
    assert_ne!(fake.address().port(), 0);
    assert_eq!(fake.base_url(), format!("http://{}/v3", fake.address()));
    assert_eq!(fake.tenant_url(), format!("http://{}", fake.address()));
    assert_eq!(
        fake.token_url(),
        format!("http://{}/oauth/token", fake.address())
    );
    let page = fake.client().get_service_desk_integrations().await.unwrap();
    assert!(page.is_empty());
    let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/oauth/token", "/v3/service-desk-integrations"]);
}

// ---------------------------------------------------------------- integrations

#[tokio::test]
async fn create_get_put_delete_with_generated_ids_and_timestamps() {
    let clock = ManualClock::new();
    let fake = FakeServer::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await;
    let client = fake
        .client_builder()
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();

    let mut sent = integration("HR desk", "ServiceNowSDIM");
    sent.id = Some("chosen-by-the-caller".into());
    let created = client
        .create_service_desk_integration(&sent)
        .await
        .unwrap()
        .into_inner();
    let id = created.id.clone().unwrap();
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert_ne!(id, "chosen-by-the-caller");
    assert_eq!(created.created, created.modified);
    assert_eq!(
        (created.name.as_str(), created.attributes.clone()),
        ("HR desk", sent.attributes.clone())
    );

    let found = client
        .get_service_desk_integration(&id)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(found, created);

    clock.advance(Duration::from_secs(5));
    let mut changed = integration("HR desk (renamed)", "ServiceNow");
    changed.created = Some(chrono::Utc::now());
    let replaced = client
        .put_service_desk_integration(&id, &changed)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(replaced.id.as_deref(), Some(id.as_str()));
    assert_eq!(replaced.created, created.created, "created is the server's");
    assert_eq!(
        replaced.modified.unwrap() - created.modified.unwrap(),
        chrono::Duration::seconds(5)
    );
    assert_eq!(
        (replaced.name.as_str(), replaced.r#type.as_str()),
        ("HR desk (renamed)", "ServiceNow")
    );
    assert_eq!(fake.integrations(), std::slice::from_ref(&replaced));

    let deleted = client.delete_service_desk_integration(&id).await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    assert!(fake.integrations().is_empty());

    // Ids come from a counter: every fake hands out the same sequence.
    let other = FakeServer::start().await;
    assert_eq!(
        other.insert(integration("x", "y")).id.as_deref(),
        Some(id.as_str())
    );
}

#[tokio::test]
async fn an_unknown_id_is_a_404_error_response_dto_everywhere() {
    let fake = FakeServer::start().await;
    let client = no_retries(&fake);
    let body = integration("x", "y");
    let patch = vec![JsonPatchOperation::new(
        JsonPatchOperationOp::Replace,
        "/name",
    )];
    // Each operation has an error enum of its own; their `NotFound`s carry the same type.
    let not_found = |error: &dyn std::fmt::Debug| format!("{error:?}");
    let errors = [
        match typed_error(client.get_service_desk_integration("nope").await) {
            GetServiceDeskIntegrationError::NotFound(dto) => Ok(dto),
            other => Err(not_found(&other)),
        },
        match typed_error(client.put_service_desk_integration("nope", &body).await) {
            PutServiceDeskIntegrationError::NotFound(dto) => Ok(dto),
            other => Err(not_found(&other)),
        },
        match typed_error(client.patch_service_desk_integration("nope", &patch).await) {
            PatchServiceDeskIntegrationError::NotFound(dto) => Ok(dto),
            other => Err(not_found(&other)),
        },
        match typed_error(client.delete_service_desk_integration("nope").await) {
            DeleteServiceDeskIntegrationError::NotFound(dto) => Ok(dto),
            other => Err(not_found(&other)),
        },
    ];
    for error in errors {
        match error {
            Ok(dto) => {
                assert_eq!(dto.detail_code.as_deref(), Some("404 Not found"));
                assert_eq!(dto.tracking_id.as_ref().map(String::len), Some(32));
                assert!(dto.messages.unwrap()[0]
                    .text
                    .as_deref()
                    .unwrap()
                    .contains("'nope'"));
            }
            other => panic!("expected 404, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_body_that_breaks_the_schema_is_a_400_saying_what_is_wrong() {
    let fake = FakeServer::start().await;
    let json = "application/json";
    let cases = [
        (
            r#"{"name": "n", "type": "t", "attributes": {}}"#,
            "missing field `description`",
        ),
        (
            r#"{"name": "n", "description": "d", "type": "t", "attributes": "x"}"#,
            "at `attributes`: invalid type: string \"x\", expected a map",
        ),
        (
            r#"{"name": 7, "description": "d", "type": "t", "attributes": {}}"#,
            "at `name`: invalid type: integer `7`, expected a string",
        ),
        (r#"{"name": "n""#, "EOF while parsing"),
    ];
    for (body, expected) in cases {
        let (status, _, answer) = raw(
            &fake,
            "POST",
            "/service-desk-integrations",
            None,
            json,
            body,
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["detailCode"], "400.1 Bad Request Content");
        let text = message(&answer);
        assert!(text.contains(expected), "{body}: {text}");
        let (status, _, answer) = raw(
            &fake,
            "PUT",
            "/service-desk-integrations/some-id",
            None,
            json,
            body,
        )
        .await;
        assert_eq!(status, 400, "{body}: {answer}");
    }
    assert!(fake.integrations().is_empty());
}

// ---------------------------------------------------------------- PATCH

fn replace(path: &str, value: impl Into<JsonPatchOperationValue>) -> JsonPatchOperation {
    let mut op = JsonPatchOperation::new(JsonPatchOperationOp::Replace, path);
    op.value = Some(value.into());
    op
}

#[tokio::test]
async fn patch_applies_replace_operations_and_refuses_the_others_with_403() {
    let clock = ManualClock::new();
    let fake = FakeServer::builder()
        .clock(Arc::new(clock.clone()))
        .start()
        .await;
    let client = no_retries(&fake);
    let stored = fake.insert(integration("desk", "ServiceNowSDIM"));
    let id = stored.id.clone().unwrap();
    clock.advance(Duration::from_secs(60));

    let owner: serde_json::Map<String, Json> =
        serde_json::from_value(json!({"type": "IDENTITY", "id": "2c91", "name": "Angelo Medici"}))
            .unwrap();
    let patched = client
        .patch_service_desk_integration(
            &id,
            &[
                replace("/description", "changed"),
                replace("/attributes/instanceUrl", "https://other.example.com"),
                replace("/ownerRef", owner),
            ],
        )
        .await
        .unwrap()
        .into_inner();
    assert_eq!(patched.description, "changed");
    assert_eq!(
        patched.attributes["instanceUrl"],
        "https://other.example.com"
    );
    assert_eq!(
        patched.owner_ref.as_ref().and_then(|o| o.name.as_deref()),
        Some("Angelo Medici")
    );
    assert_eq!(patched.created, stored.created);
    assert_eq!(
        patched.modified.unwrap() - stored.modified.unwrap(),
        chrono::Duration::seconds(60)
    );
    assert_eq!(fake.integrations(), std::slice::from_ref(&patched));

    for op in [
        JsonPatchOperationOp::Add,
        JsonPatchOperationOp::Remove,
        JsonPatchOperationOp::Move,
    ] {
        let mut operation = JsonPatchOperation::new(op.clone(), "/description");
        operation.value = Some("x".into());
        let error = typed_error(
            client
                .patch_service_desk_integration(&id, &[replace("/name", "first"), operation])
                .await,
        );
        match error {
            PatchServiceDeskIntegrationError::Forbidden(dto) => {
                assert_eq!(dto.detail_code.as_deref(), Some("403 Forbidden"));
                let text = dto.messages.unwrap()[0].text.clone().unwrap();
                assert!(text.contains(&format!("`{op}`")), "{text}");
            }
            other => panic!("{op}: expected 403, got {other:?}"),
        }
    }
    assert_eq!(
        fake.integrations(),
        [patched],
        "a refused patch changes nothing"
    );

    for (operation, expected) in [
        (replace("/id", "other"), "set by the server"),
        (replace("/name", 42i64), "not valid"),
        (replace("/nosuch/deeper", "x"), "does not name a field"),
        (
            JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/name"),
            "needs a value",
        ),
    ] {
        match typed_error(
            client
                .patch_service_desk_integration(&id, &[operation])
                .await,
        ) {
            PatchServiceDeskIntegrationError::BadRequest(dto) => {
                let text = dto.messages.unwrap()[0].text.clone().unwrap();
                assert!(text.contains(expected), "{text}");
            }
            other => panic!("expected 400, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn patch_takes_json_patch_content() {
    let fake = FakeServer::start().await;
    let id = fake.insert(integration("desk", "t")).id.unwrap();
    let path = format!("/service-desk-integrations/{id}");
    let body = r#"[{"op": "replace", "path": "/name", "value": "renamed"}]"#;
    let (status, _, answer) = raw(
        &fake,
        "PATCH",
        &path,
        None,
        "application/json-patch+json",
        body,
    )
    .await;
    assert_eq!((status, answer["name"].as_str()), (200, Some("renamed")));
    let (status, _, answer) = raw(&fake, "PATCH", &path, None, "text/plain", body).await;
    assert_eq!(status, 400);
    assert!(
        message(&answer).contains("application/json-patch+json"),
        "{answer}"
    );
}

// ---------------------------------------------------------------- templates, types, status check

#[tokio::test]
async fn templates_by_script_name_types_and_the_status_check_configuration() {
    let fake = FakeServer::start().await;
    let client = no_retries(&fake);

    let types = client
        .get_service_desk_integration_types()
        .await
        .unwrap()
        .into_inner();
    assert!(!types.is_empty());
    for kind in &types {
        let template = client
            .get_service_desk_integration_template(&kind.script_name)
            .await
            .unwrap()
            .into_inner();
        assert_eq!(template.r#type, kind.r#type, "{}", kind.script_name);
    }
    match typed_error(
        client
            .get_service_desk_integration_template("no-such-script")
            .await,
    ) {
        errors::GetServiceDeskIntegrationTemplateError::NotFound(dto) => {
            assert_eq!(dto.detail_code.as_deref(), Some("404 Not found"))
        }
        other => panic!("expected 404, got {other:?}"),
    }

    let config = client
        .get_status_check_details()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(config, QueuedCheckConfigDetails::new("30", "2"));
    let changed = QueuedCheckConfigDetails::new("15", "3");
    let updated = client
        .update_status_check_details(&changed)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated, changed);
    assert_eq!(
        client
            .get_status_check_details()
            .await
            .unwrap()
            .into_inner(),
        changed
    );
    let bad = QueuedCheckConfigDetails::new("often", "3");
    match typed_error(client.update_status_check_details(&bad).await) {
        errors::UpdateStatusCheckDetailsError::BadRequest(dto) => {
            let text = dto.messages.unwrap()[0].text.clone().unwrap();
            assert!(
                text.contains("provisioningStatusCheckIntervalMinutes"),
                "{text}"
            );
        }
        other => panic!("expected 400, got {other:?}"),
    }
    assert_eq!(fake.status_check_configuration(), changed);
}
