//! Regenerating tracks spec changes: a copy of spec/ gains a property and an operation, and the
//! regenerated crate has the new field and the new method, and compiles with code that uses them.

use workspace_tests::{add_stats_operation, check_crates, copy_dir, generate_into, workspace};

/// Code a downstream user would write against the new spec.
const USES_NEW_API: &str = r#"
#[allow(dead_code)]
async fn uses_new_api(client: &generated_client::Client) {
    let stats = client.get_service_desk_integration_stats().r#type("ServiceNowSDIM").await.unwrap();
    let _total: Option<i64> = stats.total;
    let integration = client.get_service_desk_integration("id").await.unwrap();
    let _priority: Option<i32> = integration.priority;
}
"#;

#[test]
fn a_new_property_and_operation_appear_and_compile() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("spec");
    copy_dir(&workspace().join("spec"), &spec);

    let schema = spec.join("schemas/ServiceDeskIntegrationDto.yaml");
    let text = std::fs::read_to_string(&schema).unwrap();
    let anchor = "    properties:\n";
    assert!(
        text.contains(anchor),
        "ServiceDeskIntegrationDto.yaml changed shape; update this test"
    );
    let added = "    properties:\n      priority:\n        type: integer\n        format: int32\n        description: Ticket priority.\n";
    std::fs::write(&schema, text.replacen(anchor, added, 1)).unwrap();
    add_stats_operation(&spec);
    let root = spec.join("openapi.yaml");

    let out = temp.path().join("generated-client");
    let output = generate_into(&root, &out);
    let model = &output.files["src/models/service_desk_integration_dto.rs"];
    assert!(model.contains("pub priority: Option<i32>"), "{model}");
    let apis = &output.files["src/apis/service_desk_integration.rs"];
    assert!(
        apis.contains("pub fn get_service_desk_integration_stats<'a>"),
        "{apis}"
    );
    assert!(output.files["src/models/mod.rs"].contains("GetServiceDeskIntegrationStatsResponse"));

    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/uses_new_api.rs"), USES_NEW_API).unwrap();
    check_crates(temp.path(), &["generated-client"]);
}
