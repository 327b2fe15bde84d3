//! Authentication from the spec's security schemes, over HTTP: the crates generated from the
//! `auth-*` fixtures (HTTP bearer and basic, an API key in a header, the query and a cookie,
//! OAuth2 client credentials, no scheme, schemes the client cannot run) are dependencies of a
//! program (tests/auth_schemes/main.rs) that authenticates each way against a server on
//! 127.0.0.1 recording what every request carried; two of the crates share one token cache
//! (`Client::token_provider`). Built and run with warnings denied.
//!
//! And the other half of the runtime being shaped by the spec: only SailPoint's specs get its
//! configuration, environment variables, experimental header and wording.

use workspace_tests::{fixtures, generate_into, run_program};

const CRATES: [&str; 8] = [
    "auth-api-key-cookie",
    "auth-api-key-header",
    "auth-api-key-query",
    "auth-basic",
    "auth-bearer",
    "auth-client-credentials",
    "auth-none",
    "auth-unsupported",
];

#[test]
fn each_security_scheme_authenticates_requests_as_the_spec_says() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let found: Vec<_> = fixtures()
        .into_iter()
        .filter(|(n, _)| CRATES.contains(&n.as_str()))
        .collect();
    assert_eq!(found.len(), CRATES.len(), "a fixture is missing: {found:?}");
    for (name, spec) in found {
        generate_into(&spec, &root.join(&name));
    }
    // `auth-none` with its server feature: the test server is the axum it re-exports.
    let dependencies: Vec<String> = CRATES
        .iter()
        .map(|c| match *c {
            "auth-none" => format!("{c} = {{ path = \"../{c}\", features = [\"server\"] }}"),
            _ => format!("{c} = {{ path = \"../{c}\" }}"),
        })
        .collect();
    let output = run_program(
        root,
        "auth-check",
        include_str!("auth_schemes/main.rs"),
        &dependencies,
        &CRATES,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("all authentication checks passed"),
        "the authentication program failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Generates `spec` in memory with `sailpoint` as `--sailpoint` would set it.
fn generated(spec: &std::path::Path, sailpoint: Option<bool>) -> generator::Output {
    let mut settings = generator::Settings::new(spec, std::path::Path::new("some-crate"));
    settings.sailpoint = sailpoint;
    generator::generate(&settings).unwrap_or_else(|err| panic!("{}:\n{err}", spec.display()))
}

/// Every file of the crate that names SailPoint, its configuration or its header.
fn sailpoint_mentions(output: &generator::Output) -> Vec<String> {
    let words = ["sailpoint", "sail_", "from_env", "identitynow"];
    output
        .files
        .iter()
        .filter(|(_, text)| {
            let text = text.to_ascii_lowercase();
            words.iter().any(|w| text.contains(w))
        })
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn only_sailpoint_specs_get_sailpoint_configuration_and_wording() {
    // No fixture names SailPoint but operation-odds, whose `x-sailpoint-experimental` marks it.
    for (name, spec) in fixtures() {
        let output = generated(&spec, None);
        let mentions = sailpoint_mentions(&output);
        match name.as_str() {
            "operation-odds" => assert!(output.api.sailpoint, "{name}"),
            _ => assert!(
                mentions.is_empty() && !output.api.sailpoint,
                "{name}: {mentions:?}"
            ),
        }
    }
    // The service-desk spec is known by its extensions and servers, and keeps all it had.
    let service_desk = generated(
        &workspace_tests::workspace().join("spec/openapi.yaml"),
        None,
    );
    let runtime = &service_desk.files["src/sailpoint.rs"];
    for needed in [
        "SAIL_CLIENT_SECRET",
        ".sailpoint/config.yaml",
        "X-SailPoint-Experimental",
        "pub fn from_env",
    ] {
        assert!(runtime.contains(needed), "{needed}");
    }
    // `--sailpoint` forces either way.
    let bearer = workspace_tests::workspace().join("tests/fixtures/auth-bearer/openapi.yaml");
    assert!(generated(&bearer, Some(true))
        .files
        .contains_key("src/sailpoint.rs"));
    let forced_off = generated(
        &workspace_tests::workspace().join("spec/openapi.yaml"),
        Some(false),
    );
    assert!(!forced_off.files.contains_key("src/sailpoint.rs"));
    assert!(!forced_off.surface().contains("from_env"));
}
