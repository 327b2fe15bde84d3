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

/// Runs `cargo check --all-targets` with warnings denied on generated crates, as members of one
/// throwaway workspace (one cargo run for all). Dependencies resolve offline from the workspace's
/// own Cargo.lock, and builds are cached in target/generated-check between runs.
pub fn check_crates(root: &Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--quiet",
        ])
        .current_dir(root)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/generated-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "generated code does not compile warning-free:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
