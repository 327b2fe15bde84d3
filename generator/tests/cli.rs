//! The command line: exit codes, where messages go, and `--check`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator runs")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn check_passes_on_the_checked_in_client() {
    let output = generator(&["--check"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn check_names_each_file_that_would_change_and_exits_1() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("client");
    let spec = workspace().join("spec/openapi.yaml");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    assert!(generator(&["--spec", spec, "--out", out_arg])
        .status
        .success());
    std::fs::write(out.join("src/errors.rs"), "// @generated\n").unwrap();
    std::fs::remove_file(out.join("README.md")).unwrap();
    let output = generator(&["--spec", spec, "--out", out_arg, "--check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("would be changed:") && stdout.contains("errors.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("would be added:") && stdout.contains("README.md"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/errors.rs")).unwrap(),
        "// @generated\n"
    );
    // A second write brings it back, and only touches what differed.
    assert!(generator(&["--spec", spec, "--out", out_arg])
        .status
        .success());
    assert!(generator(&["--spec", spec, "--out", out_arg, "--check"])
        .status
        .success());
}

#[test]
fn a_bad_spec_exits_1_with_the_problem_on_stderr() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    std::fs::write(&spec, "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './missing.yaml'\n").unwrap();
    let out = temp.path().join("out");
    let output = generator(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("missing.yaml") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("openapi.yaml#/paths/~1a"), "{stderr}");
    assert!(!out.exists(), "nothing is written for a bad spec");
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(generator(&["--no-such-flag"]).status.code(), Some(2));
}
