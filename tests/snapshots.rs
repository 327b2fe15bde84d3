//! Snapshot review: small fixture specs, one construct each. Their generated code is an insta
//! snapshot (tests/snapshots/), so any change to the generator shows up as a reviewable diff
//! (`cargo insta review`), and every fixture's crate must compile with warnings denied.

use std::path::Path;

use workspace_tests::{check_crates, fixtures, generate_into};

/// Files that are the same for every spec but for a few substituted names: the runtime's copy
/// (reviewed where it lives, in runtime/) and what is rendered from templates/ (the manifest,
/// README, `lib.rs` and the example). The drift test compares them in generated-client/.
/// Repeating the 3,000 lines of runtime in every snapshot would bury the part that differs.
fn same_for_every_spec(path: &str) -> bool {
    generator::runtime_files::is_copy(path)
        || path.starts_with("examples/")
        || ["Cargo.toml", "README.md", "src/lib.rs"].contains(&path)
}

/// The reviewable part of a generated crate: everything the generator makes from the spec
/// (models, builders, errors, the server side, filters, patch helpers, `FromStr`, the API
/// listing), that is every file not in [`same_for_every_spec`]. A new kind of output file is
/// snapshotted without a change here.
fn reviewable(output: &generator::Output) -> String {
    let mut text = String::new();
    for (path, contents) in &output.files {
        if !same_for_every_spec(path) {
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
