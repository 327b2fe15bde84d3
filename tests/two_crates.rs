//! Two generated crates in one program: SailPoint's V3 API and its v2025 API, generated under two
//! `--crate-name`s, are dependencies of one binary that calls an operation of each, and
//! `cargo check` accepts it with warnings denied. Nothing in a generated crate may be global
//! to a program: a `links` key, a build script, an exported symbol.

use std::path::Path;
use std::process::Command;

use workspace_tests::workspace;

/// The second API, relative to the workspace: SailPoint's v2025 spec, as published (its defects
/// are repaired with warnings). It must have `getServiceDeskIntegrations` (the program calls it).
const SECOND_SPEC: &str = "../shared/upstream/isc-v2025-beta/idn/sailpoint-api.v2025.yaml";

const V3_SPEC: &str = "../shared/upstream/isc-v3/idn/sailpoint-api.v3.yaml";

/// The program: a call from each crate, and each crate's own error type by name.
const PROGRAM: &str = r#"#![deny(warnings)]
//! Calls SailPoint's V3 API and a second API from one program.

async fn calls(v3: &isc_v3::Client, v2025: &isc_v2025::Client) -> Result<usize, Box<dyn std::error::Error>> {
    let accounts: Result<_, isc_v3::Error<isc_v3::errors::ListAccountsError>> =
        v3.list_accounts().limit(10).await;
    let integrations: Result<_, isc_v2025::Error<isc_v2025::errors::GetServiceDeskIntegrationsError>> =
        v2025.get_service_desk_integrations().await;
    Ok(accounts?.len() + integrations?.len())
}

fn main() {
    let v3 = isc_v3::Client::new("https://acme.api.identitynow.com/v3", "token").expect("a client");
    let v2025 = isc_v2025::Client::new("https://acme.api.identitynow.com/v2025", "token").expect("a client");
    // Checked, not run: building the future is enough to type-check both calls.
    let pending = calls(&v3, &v2025);
    drop(pending);
}
"#;

fn generate(spec: &str, name: &str, root: &Path) {
    let spec = workspace().join(spec);
    assert!(spec.exists(), "the spec is expected at {}", spec.display());
    // What `--crate-name` sets (generator/tests/cli.rs checks the flag itself).
    let mut settings = generator::Settings::new(&spec, &root.join(name));
    settings.crate_name = name.to_string();
    let output = generator::generate(&settings)
        .unwrap_or_else(|err| panic!("generating {}:\n{err}", spec.display()));
    generator::write(&root.join(name), &output, false).unwrap();
}

/// What would make two crates clash in one program, found in one crate's files.
fn global_items(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    for key in ["links", "build"] {
        if manifest
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{key} =")))
        {
            found.push(format!("Cargo.toml has `{key}`"));
        }
    }
    if dir.join("build.rs").exists() {
        found.push("build.rs".into());
    }
    let mut stack = vec![dir.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in [
                "no_mangle",
                "export_name",
                "extern \"C\"",
                "global_allocator",
                "#[link",
            ] {
                if text.contains(marker) {
                    found.push(format!("{} has `{marker}`", path.display()));
                }
            }
        }
    }
    found
}

#[test]
fn one_program_uses_two_generated_crates() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    generate(V3_SPEC, "isc-v3", root);
    generate(SECOND_SPEC, "isc-v2025", root);
    for name in ["isc-v3", "isc-v2025"] {
        assert_eq!(
            global_items(&root.join(name)),
            Vec::<String>::new(),
            "{name}"
        );
    }

    std::fs::create_dir_all(root.join("two-apis/src")).unwrap();
    std::fs::write(
        root.join("two-apis/Cargo.toml"),
        "[package]\nname = \"two-apis\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nisc-v3 = { path = \"../isc-v3\" }\nisc-v2025 = { path = \"../isc-v2025\" }\n",
    )
    .unwrap();
    std::fs::write(root.join("two-apis/src/main.rs"), PROGRAM).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"two-apis\", \"isc-v3\", \"isc-v2025\"]\n",
    )
    .unwrap();

    // The target directory of tests/upstream.rs, which checks the same V3 crate: its
    // dependencies are built once for both.
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "-p", "two-apis"])
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/upstream-check"),
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the program using both crates does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
