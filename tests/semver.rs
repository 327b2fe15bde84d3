//! Spec updates are semver-checked: a crate generated from spec/ is compared by cargo-semver-checks
//! (the ecosystem's tool, crates.io) with one generated from a copy that changed compatibly (one
//! change of each kind SailPoint makes), which must pass, and with one that changed in breaking
//! ways, each of which must be reported; the generator's own change report must agree with it.
//!
//! Needs `cargo-semver-checks` (`cargo install --locked cargo-semver-checks`): without it the test
//! prints a notice and passes, unless `REQUIRE_SEMVER_CHECKS=1` (set by .ci/run) makes it fail.
//! The generated crates depend on registry crates, so cargo may need the network the first time.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::surface::report::{compare, Bump, Severity};
use workspace_tests::{add_stats_operation, copy_dir, generate_into, workspace};

/// Edits `file` of the spec copy at `spec`: replaces the first `from` with `to`.
fn edit(spec: &Path, file: &str, from: &str, to: &str) {
    let path = spec.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(from),
        "{file} no longer contains {from:?}; update this test"
    );
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A copy of spec/ under `dir`.
fn spec_copy(dir: &Path) -> PathBuf {
    let spec = dir.join("spec");
    copy_dir(&workspace().join("spec"), &spec);
    spec
}

/// One compatible change of each kind: an optional property, an enum value (inserted first, so
/// every other value moves), an optional query parameter on an operation that had none, an error
/// status, a response header on a status that had none, an operation, and with it a schema.
fn compatible(spec: &Path) {
    edit(
        spec,
        "schemas/ServiceDeskIntegrationDto.yaml",
        "    properties:\n",
        "    properties:\n      note:\n        type: string\n        description: A note.\n",
    );
    edit(
        spec,
        "schemas/OwnerDto.yaml",
        "      - IDENTITY\n",
        "      - GOVERNANCE_GROUP\n      - IDENTITY\n",
    );
    edit(
        spec,
        "paths/service-desk-integration-types.yaml",
        "  responses:\n",
        "  parameters:\n    - name: locale\n      in: query\n      required: false\n      schema:\n        type: string\n  responses:\n",
    );
    edit(
        spec,
        "paths/service-desk-integration-types.yaml",
        "    '429':\n",
        "    '409':\n      $ref: '../responses/400.yaml'\n    '429':\n",
    );
    edit(
        spec,
        "paths/service-desk-integration-types.yaml",
        "      description: Array of the currently supported Service Desk integration types.\n",
        "      description: Array of the currently supported Service Desk integration types.\n      headers:\n        X-Request-Id:\n          schema:\n            type: string\n",
    );
    add_stats_operation(spec);
}

/// Breaking changes, each with the item cargo-semver-checks names for it and the path the
/// generator's report marks breaking.
const BREAKING: &[(&str, &str, &str)] = &[
    (
        "a removed operation",
        "get_service_desk_integration_template",
        "Client::get_service_desk_integration_template",
    ),
    (
        "a removed field",
        "field name of struct OwnerDto",
        "models::OwnerDto::name",
    ),
    (
        "a new required request field",
        "QueuedCheckConfigDetails::new",
        "models::QueuedCheckConfigDetails::new",
    ),
];

fn breaking(spec: &Path) {
    edit(
        spec,
        "openapi.yaml",
        "  /service-desk-integrations/templates/{scriptName}:\n    $ref: './paths/service-desk-integration-template.yaml'\n",
        "",
    );
    edit(
        spec,
        "schemas/OwnerDto.yaml",
        "  name:\n    type: string\n    description: Name of the owner.\n    example: Support\n",
        "",
    );
    edit(
        spec,
        "schemas/QueuedCheckConfigDetails.yaml",
        "  - provisioningMaxStatusCheckDays\nproperties:\n",
        "  - provisioningMaxStatusCheckDays\n  - provisioningTimeoutMinutes\nproperties:\n  provisioningTimeoutMinutes:\n    type: string\n",
    );
    // A changed type: cargo-semver-checks has no lint for a field's type, the report does.
    edit(
        spec,
        "schemas/OwnerDto.yaml",
        "  id:\n    type: string\n",
        "  id:\n    type: integer\n",
    );
}

/// Whether cargo-semver-checks can be run; `false` (with a notice) when it cannot and the
/// environment does not require it.
fn semver_checks_available() -> bool {
    let found = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("REQUIRE_SEMVER_CHECKS").as_deref() != Ok("1"),
            "REQUIRE_SEMVER_CHECKS=1 but `cargo semver-checks` is not installed"
        );
        eprintln!("notice: cargo-semver-checks is not installed (`cargo install --locked cargo-semver-checks`); semver test skipped");
    }
    found
}

/// Generates `spec` into `dir/generated-client` with the workspace's Cargo.lock beside it.
fn generate(spec: &Path, dir: &Path) -> (PathBuf, String) {
    let out = dir.join("generated-client");
    let output = generate_into(&spec.join("openapi.yaml"), &out);
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    (out, output.surface().to_string())
}

/// Runs cargo-semver-checks on `current` against `baseline` (all features, so the server side
/// too) as a minor release; its exit status and output.
fn semver_checks(baseline: &Path, current: &Path) -> (bool, String) {
    // One target directory for every run, so the dependencies are built once.
    let target = workspace().join("target/semver-checks-test");
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--release-type", "minor"])
        .arg("--manifest-path")
        .arg(current.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(baseline)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("running cargo semver-checks");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn compatible_spec_changes_are_compatible_crate_changes_and_breaking_ones_are_reported() {
    if !semver_checks_available() {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let (base, base_api) = generate(&workspace().join("spec"), &temp.path().join("base"));

    let dir = temp.path().join("compatible");
    let spec = spec_copy(&dir);
    compatible(&spec);
    let (current, api) = generate(&spec, &dir);
    let report = compare(&base_api, &api);
    assert_eq!(
        report.bump(),
        Bump::Minor,
        "the generator's report:\n{report}"
    );
    for item in [
        "models::ServiceDeskIntegrationDto::note",
        "models::OwnerDtoType::GovernanceGroup",
        "apis::service_desk_integration::GetServiceDeskIntegrationTypes::locale",
        "server::GetServiceDeskIntegrationTypesRequest::locale",
        "errors::GetServiceDeskIntegrationTypesError::Conflict",
        "server::GetServiceDeskIntegrationTypesResponse::Conflict",
        "server::GetServiceDeskIntegrationTypesResponse::Ok::x_request_id",
        "server::GetServiceDeskIntegrationTypesResponse::with_x_request_id",
        "Client::get_service_desk_integration_stats",
        "server::Api::get_service_desk_integration_stats",
        "models::GetServiceDeskIntegrationStatsResponse",
    ] {
        assert!(
            report.changes.iter().any(|c| c.path == item),
            "{item} is not in the report:\n{report}"
        );
    }
    let (passed, output) = semver_checks(&base, &current);
    assert!(
        passed,
        "cargo-semver-checks found a break in compatible changes:\n{output}"
    );

    let dir = temp.path().join("breaking");
    let spec = spec_copy(&dir);
    breaking(&spec);
    let (current, api) = generate(&spec, &dir);
    let report = compare(&base_api, &api);
    assert_eq!(
        report.bump(),
        Bump::Major,
        "the generator's report:\n{report}"
    );
    let breaking_paths: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .map(|c| c.path.as_str())
        .collect();
    let (passed, output) = semver_checks(&base, &current);
    assert!(!passed, "cargo-semver-checks found no break:\n{output}");
    for (what, tool_names, path) in BREAKING {
        assert!(
            output.contains(tool_names),
            "cargo-semver-checks does not report {what} ({tool_names}):\n{output}"
        );
        assert!(
            breaking_paths.contains(path),
            "the generator's report does not mark {what} ({path}) breaking:\n{report}"
        );
    }
    assert!(
        breaking_paths.contains(&"models::OwnerDto::id"),
        "the generator's report does not mark the changed type breaking:\n{report}"
    );
}
