//! Helpers shared by the workspace's end-to-end tests: where things are, generating a spec into a
//! directory, and compiling generated crates the way a downstream user would.
#![doc = include_str!("../README.md")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Generates `spec` into `out` with the same settings as `cargo run -p generator`, panicking
/// with the generator's own message on failure.
pub fn generate_into(spec: &Path, out: &Path) -> generator::Output {
    let settings = generator::Settings::new(spec, out);
    let output = generator::generate(&settings)
        .unwrap_or_else(|err| panic!("generating {}:\n{err}", spec.display()));
    generator::write(out, &output, false)
        .unwrap_or_else(|err| panic!("writing {}: {err}", out.display()));
    output
}

/// Every fixture spec, by name, sorted: a directory under tests/fixtures/ with an `openapi.yaml`
/// or `openapi.json` root.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = workspace().join("tests/fixtures");
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter_map(|p| {
            let root = ["openapi.yaml", "openapi.json"]
                .iter()
                .map(|n| p.join(n))
                .find(|r| r.exists())?;
            Some((p.file_name()?.to_string_lossy().into_owned(), root))
        })
        .collect();
    found.sort();
    found
}

/// Makes `root` a throwaway workspace of the generated crates in `members`, resolved from the
/// workspace's own Cargo.lock: the versions tested are the ones the workspace locks, and a crate
/// that only a generated crate needs (say `mime_guess`, for multipart bodies) is resolved and
/// downloaded by cargo like any other.
pub fn throwaway_workspace(root: &Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
}

/// Runs `cargo <args> --quiet` in a throwaway workspace with warnings denied. Every test that
/// builds generated crates goes through here: one target directory (target/generated-check) and
/// the same flags, so they reuse each other's dependencies. Never offline: on a fresh machine
/// the cargo cache holds only what the workspace itself needed, so whatever else a generated
/// crate needs is downloaded here (cargo's own locks keep concurrent runs apart).
pub fn cargo_denying_warnings(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .arg("--quiet")
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/generated-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// Builds and runs, with warnings denied, a program named `name` whose `src/main.rs` is `main`
/// and whose `[dependencies]` are `dependencies` (Cargo.toml lines), in a throwaway workspace at
/// `root` beside the generated crates `crates` (already there); its output. For tests that
/// exercise generated clients over HTTP.
pub fn run_program(
    root: &Path,
    name: &str,
    main: &str,
    dependencies: &[String],
    crates: &[&str],
) -> std::process::Output {
    let program = root.join(name);
    std::fs::create_dir_all(program.join("src")).unwrap();
    std::fs::write(
        program.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }}\n",
            dependencies.join("\n")
        ),
    )
    .unwrap();
    std::fs::write(program.join("src/main.rs"), main).unwrap();
    let mut members = vec![name];
    members.extend(crates);
    throwaway_workspace(root, &members);
    cargo_denying_warnings(root, &["run", "-p", name])
}

/// Runs `cargo check --all-targets` with warnings denied on generated crates, as members of one
/// throwaway workspace (one cargo run for all), with `features` (e.g. `--all-features`).
pub fn check_crates_with(root: &Path, members: &[&str], features: &[&str]) {
    throwaway_workspace(root, members);
    let mut args = vec!["check", "--workspace", "--all-targets"];
    args.extend_from_slice(features);
    let output = cargo_denying_warnings(root, &args);
    assert!(
        output.status.success(),
        "generated code does not compile warning-free (cargo {}):\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// [`check_crates_with`] the crates' default features.
pub fn check_crates(root: &Path, members: &[&str]) {
    check_crates_with(root, members, &[]);
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A new operation, `GET /service-desk-integrations/stats` (an optional query parameter and an
/// inline response schema, so a new type too), as its own path file: the change spec updates
/// most often bring, shared by the spec-change and semver tests.
pub const STATS_OPERATION: &str = r#"get:
  tags:
    - Service Desk Integration
  summary: Count service desk integrations
  description: Counts the integrations of the tenant.
  operationId: getServiceDeskIntegrationStats
  parameters:
    - name: type
      in: query
      required: false
      schema:
        type: string
  responses:
    '200':
      description: The counts
      content:
        application/json:
          schema:
            type: object
            properties:
              total:
                type: integer
                format: int64
    '404':
      $ref: '../responses/404.yaml'
"#;

/// Adds [`STATS_OPERATION`] to the copy of spec/ at `spec`: its path file, listed in openapi.yaml.
pub fn add_stats_operation(spec: &Path) {
    std::fs::write(
        spec.join("paths/service-desk-integration-stats.yaml"),
        STATS_OPERATION,
    )
    .unwrap();
    let root = spec.join("openapi.yaml");
    let text = std::fs::read_to_string(&root).unwrap();
    assert!(
        text.contains("\npaths:\n"),
        "spec/openapi.yaml has no `paths:` line; update add_stats_operation"
    );
    let listed = text.replacen(
        "\npaths:\n",
        "\npaths:\n  /service-desk-integrations/stats:\n    $ref: './paths/service-desk-integration-stats.yaml'\n",
        1,
    );
    std::fs::write(&root, listed).unwrap();
}
