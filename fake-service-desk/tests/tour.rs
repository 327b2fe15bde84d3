//! A tour of the whole API with the generated client: all 10 operations, documented errors, and
//! paging through 600 integrations. Against a fake it starts itself; or, when
//! `TOUR_BASE_URL` is set, against that API root (with tokens from `TOUR_TOKEN_URL` and the
//! fake's default credentials): `.ci/conformance` points it at Prism, a validating proxy in
//! front of a running fake, so that every request and response of the tour is checked against
//! spec/ by a tool of its own.

use fake_service_desk::{FakeServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use generated_client::errors::{
    DeleteServiceDeskIntegrationError, GetServiceDeskIntegrationError,
    GetServiceDeskIntegrationTemplateError, PatchServiceDeskIntegrationError,
    PutServiceDeskIntegrationError,
};
use generated_client::models::{
    JsonPatchOperation, JsonPatchOperationOp, QueuedCheckConfigDetails, ServiceDeskIntegrationDto,
};
use generated_client::{Client, Error, RetryPolicy};

/// How many integrations the tour creates and pages through.
const ITEMS: usize = 600;

fn integration(i: usize) -> ServiceDeskIntegrationDto {
    let mut attributes = serde_json::Map::new();
    attributes.insert(
        "instanceUrl".into(),
        format!("https://desk-{i}.example.com").into(),
    );
    ServiceDeskIntegrationDto::new(
        format!("tour {i:04}"),
        format!("integration {i} of the tour"),
        if i.is_multiple_of(3) {
            "Web Service SDIM"
        } else {
            "ServiceNowSDIM"
        },
        attributes,
    )
}

/// The documented 404: the `NotFound` variant of the operation's own error enum, with the
/// server's tracking id.
macro_rules! not_found {
    ($error:ident, $result:expr $(,)?) => {
        match $result {
            Err(Error::Api {
                body: $error::NotFound(dto),
                ..
            }) => assert!(dto.tracking_id.is_some()),
            other => panic!("expected the documented 404, got {other:?}"),
        }
    };
}

#[tokio::test]
async fn every_operation_and_600_items_paged() {
    // Kept alive for the whole tour when the tour runs against its own fake.
    let mut own = None;
    let builder = match std::env::var("TOUR_BASE_URL") {
        Ok(base) => {
            let token_url = std::env::var("TOUR_TOKEN_URL").expect("TOUR_TOKEN_URL is set too");
            eprintln!("tour: against {base} (tokens from {token_url})");
            Client::builder().base_url(&base).token_url(&token_url)
        }
        Err(_) => {
            let fake = own.insert(FakeServer::start().await);
            Client::builder().base_url(fake.base_url())
        }
    };
    let client = builder
        .client_credentials(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let before = client
        .get_service_desk_integrations()
        .count(true)
        .limit(1)
        .await
        .unwrap()
        .total_count()
        .expect("X-Total-Count with count=true");

    // Create.
    let mut ids = Vec::new();
    for i in 0..ITEMS {
        let created = client
            .create_service_desk_integration(&integration(i))
            .await
            .unwrap();
        ids.push(created.id.clone().expect("an id"));
    }

    // List: every page, counted.
    let mut stream = client
        .get_service_desk_integrations()
        .limit(250)
        .count(true)
        .stream();
    let mut seen = 0;
    while let Some(item) = stream.try_next().await.unwrap() {
        seen += usize::from(item.name.starts_with("tour "));
    }
    assert_eq!(seen, ITEMS);
    assert_eq!(stream.total_count(), Some(before + ITEMS as u64));
    let filtered = client
        .get_service_desk_integrations()
        .filters("name eq \"tour 0007\"")
        .sorters("-name")
        .await
        .unwrap();
    assert_eq!(filtered.len(), 1);

    // Get, put, patch, delete.
    let id = &ids[7];
    let got = client.get_service_desk_integration(id).await.unwrap();
    assert_eq!(got.name, "tour 0007");
    let mut changed = integration(7);
    changed.description = "replaced".into();
    let put = client
        .put_service_desk_integration(id, &changed)
        .await
        .unwrap();
    assert_eq!(put.description, "replaced");
    let mut replace = JsonPatchOperation::new(JsonPatchOperationOp::Replace, "/name");
    replace.value = Some("patched".into());
    let patched = client
        .patch_service_desk_integration(id, &[replace.clone()])
        .await
        .unwrap();
    assert_eq!(patched.name, "patched");
    for id in &ids {
        let deleted = client.delete_service_desk_integration(id).await.unwrap();
        assert_eq!(deleted.status().as_u16(), 204);
    }

    // The documented 404s.
    not_found!(
        GetServiceDeskIntegrationError,
        client.get_service_desk_integration(&ids[0]).await
    );
    not_found!(
        PutServiceDeskIntegrationError,
        client.put_service_desk_integration(&ids[0], &changed).await
    );
    not_found!(
        PatchServiceDeskIntegrationError,
        client
            .patch_service_desk_integration(&ids[0], &[replace])
            .await,
    );
    not_found!(
        DeleteServiceDeskIntegrationError,
        client.delete_service_desk_integration(&ids[0]).await
    );

    // Types, templates, the status-check configuration.
    let types = client.get_service_desk_integration_types().await.unwrap();
    assert!(!types.is_empty());
    for kind in types.iter() {
        client
            .get_service_desk_integration_template(&kind.script_name)
            .await
            .unwrap();
    }
    not_found!(
        GetServiceDeskIntegrationTemplateError,
        client
            .get_service_desk_integration_template("no-such-script")
            .await,
    );
    let config = client
        .get_status_check_details()
        .await
        .unwrap()
        .into_inner();
    let updated = client
        .update_status_check_details(&QueuedCheckConfigDetails::new("15", "3"))
        .await
        .unwrap();
    assert_eq!(updated.provisioning_status_check_interval_minutes, "15");
    // Leave the configuration as it was, for whatever runs next against the same fake.
    client.update_status_check_details(&config).await.unwrap();
    drop(own);
}
