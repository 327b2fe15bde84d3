//! The seed's example payloads (../shared/seed/service-desk-integration-api.txt) decode into the
//! generated types and encode back. The seed sends `""` for `ownerRef`, `clusterRef` and
//! `beforeProvisioningRule`, which the API declares as objects: those read as absent, so encoding
//! leaves them out; every other value survives the round trip unchanged.

use generated_client::models::{
    JsonPatchOperation, JsonPatchOperationOp, JsonPatchOperationValue, QueuedCheckConfigDetails,
    ServiceDeskIntegrationDto, ServiceDeskSourceType,
};
use serde_json::{json, Value};

/// The seed's `ServiceDeskIntegrationDto` example, as printed there (its XML rule shortened).
fn seed_integration() -> Value {
    json!({
        "ownerRef" : "",
        "cluster" : "xyzzy999",
        "created" : "2024-01-17T18:45:25.994Z",
        "description" : "A very nice Service Desk integration",
        "clusterRef" : "",
        "type" : "ServiceNowSDIM",
        "managedSources" : [ "2c9180835d191a86015d28455b4a2329", "2c5680835d191a85765d28455b4a9823" ],
        "provisioningConfig" : {
            "managedResourceRefs" : [ {
                "type" : "SOURCE",
                "id" : "2c9180855d191c59015d291ceb051111",
                "name" : "My Source 1"
            }, {
                "type" : "SOURCE",
                "id" : "2c9180855d191c59015d291ceb052222",
                "name" : "My Source 2"
            } ],
            "provisioningRequestExpiration" : 7,
            "noProvisioningRequests" : true,
            "universalManager" : true,
            "planInitializerScript" : {
                "source" : "<?xml version='1.0' encoding='UTF-8'?>\\r\\n<Rule name=\\\"Example Rule\\\" type=\\\"BeforeProvisioning\\\"/>\n"
            }
        },
        "name" : "Service Desk Integration Name",
        "modified" : "2024-02-18T18:45:25.994Z",
        "attributes" : { "property" : "value", "key" : "value" },
        "id" : "62945a496ef440189b1f03e3623411c8",
        "beforeProvisioningRule" : ""
    })
}

#[test]
#[allow(deprecated)] // `cluster` and `managedSources` are deprecated, and read here on purpose.
fn seed_integration_decodes_and_encodes_back() {
    let original = seed_integration();
    let dto: ServiceDeskIntegrationDto = serde_json::from_value(original.clone()).unwrap();
    assert_eq!(dto.name, "Service Desk Integration Name");
    assert_eq!(dto.r#type, "ServiceNowSDIM");
    assert_eq!(dto.cluster, Some(Some("xyzzy999".to_string())));
    assert_eq!(dto.managed_sources.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        dto.created.unwrap().to_rfc3339(),
        "2024-01-17T18:45:25.994+00:00"
    );
    assert!(
        dto.owner_ref.is_none()
            && dto.cluster_ref.is_none()
            && dto.before_provisioning_rule.is_none()
    );
    let config = dto.provisioning_config.as_ref().unwrap();
    assert_eq!(config.provisioning_request_expiration, Some(7));
    let refs = config.managed_resource_refs.as_ref().unwrap();
    assert_eq!(refs[1].r#type, Some(ServiceDeskSourceType::Source));
    assert_eq!(refs[1].name.as_deref(), Some("My Source 2"));

    let encoded = serde_json::to_value(&dto).unwrap();
    let mut expected = original;
    for empty in ["ownerRef", "clusterRef", "beforeProvisioningRule"] {
        expected.as_object_mut().unwrap().remove(empty);
    }
    assert_eq!(encoded, expected);
    let again: ServiceDeskIntegrationDto = serde_json::from_value(encoded).unwrap();
    assert_eq!(again, dto);
}

#[test]
fn seed_status_check_configuration_round_trips() {
    let original = json!({
        "provisioningStatusCheckIntervalMinutes" : "30",
        "provisioningMaxStatusCheckDays" : "2"
    });
    let details: QueuedCheckConfigDetails = serde_json::from_value(original.clone()).unwrap();
    assert_eq!(details.provisioning_status_check_interval_minutes, "30");
    assert_eq!(serde_json::to_value(&details).unwrap(), original);
}

#[test]
fn spec_patch_example_round_trips_with_a_typed_value() {
    let original = json!([{
        "op": "replace",
        "path": "/ownerRef",
        "value": { "id": "2c9180867d05b227017d09921a205b4d", "type": "IDENTITY", "name": "Angelo Medici" }
    }]);
    let operations: Vec<JsonPatchOperation> = serde_json::from_value(original.clone()).unwrap();
    assert_eq!(operations[0].op, JsonPatchOperationOp::Replace);
    assert!(matches!(
        operations[0].value,
        Some(JsonPatchOperationValue::Object(_))
    ));
    assert_eq!(serde_json::to_value(&operations).unwrap(), original);
}

#[test]
fn patch_values_decode_into_the_right_alternative() {
    let decode = |v: Value| serde_json::from_value::<JsonPatchOperationValue>(v).unwrap();
    assert_eq!(
        decode(json!("New description")),
        JsonPatchOperationValue::from("New description")
    );
    assert_eq!(decode(json!(true)), JsonPatchOperationValue::Boolean(true));
    assert_eq!(decode(json!(300)), JsonPatchOperationValue::Integer(300));
    assert!(
        matches!(decode(json!(["001", 2, {"a": 1}])), JsonPatchOperationValue::Array(items) if items.len() == 3)
    );
    assert!(matches!(
        decode(json!({"attributes": {"name": "philip"}})),
        JsonPatchOperationValue::Object(_)
    ));
}

#[test]
fn unknown_enum_values_and_fields_decode() {
    let op: JsonPatchOperationOp = serde_json::from_value(json!("merge")).unwrap();
    assert_eq!(op, JsonPatchOperationOp::Unknown("merge".into()));
    assert_eq!(serde_json::to_value(&op).unwrap(), json!("merge"));
    let mut payload = seed_integration();
    payload["aFieldAddedLater"] = json!({"x": 1});
    payload["provisioningConfig"]["managedResourceRefs"][0]["type"] = json!("APPLICATION");
    let dto: ServiceDeskIntegrationDto = serde_json::from_value(payload).unwrap();
    let refs = dto
        .provisioning_config
        .unwrap()
        .managed_resource_refs
        .unwrap();
    assert_eq!(
        refs[0].r#type,
        Some(ServiceDeskSourceType::Unknown("APPLICATION".into()))
    );
}

#[test]
fn dates_without_seconds_or_zone_decode() {
    let mut payload = seed_integration();
    payload["created"] = json!("2012-04-23T18:25Z");
    payload["modified"] = json!("2012-04-23T18:25:43");
    let dto: ServiceDeskIntegrationDto = serde_json::from_value(payload).unwrap();
    assert_eq!(
        dto.created.unwrap().to_rfc3339(),
        "2012-04-23T18:25:00+00:00"
    );
    assert_eq!(
        dto.modified.unwrap().to_rfc3339(),
        "2012-04-23T18:25:43+00:00"
    );
}
