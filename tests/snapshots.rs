//! Snapshot review: small fixture specs, one construct each. Their generated code is an insta
//! snapshot (tests/snapshots/), so any change to the generator shows up as a reviewable diff
//! (`cargo insta review`), and every fixture's crate must compile with warnings denied.

use std::path::Path;

use workspace_tests::{check_crates, fixtures, generate_into};

/// The reviewable part of a generated crate: models, builders, errors and authentication (the
/// runtime and manifest come from templates and are the same for every spec, but for
/// SailPoint's module).
fn reviewable(output: &generator::Output) -> String {
    let mut text = String::new();
    for (path, contents) in &output.files {
        if path.starts_with("src/models/")
            || path.starts_with("src/apis/")
            || path == "src/errors.rs"
            || path == "src/auth.rs"
        {
            text.push_str(&format!("==> {path} <==\n{contents}\n"));
        }
    }
    text
}

#[test]
fn generated_code_matches_the_snapshots() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 8,
        "expected the fixture set under tests/fixtures, found {}",
        fixtures.len()
    );
    for (name, root) in fixtures {
        let settings = generator::Settings::new(&root, Path::new(&name));
        let output =
            generator::generate(&settings).unwrap_or_else(|err| panic!("fixture {name}:\n{err}"));
        insta::assert_snapshot!(name.clone(), reviewable(&output));
    }
}

#[test]
fn every_snapshot_compiles_without_warnings() {
    let temp = tempfile::tempdir().unwrap();
    let fixtures = fixtures();
    let mut members = Vec::new();
    for (name, root) in &fixtures {
        generate_into(root, &temp.path().join(name));
        members.push(name.as_str());
    }
    check_crates(temp.path(), &members);
}
