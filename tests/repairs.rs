//! What the generator makes of a spec with defects it repairs or leaves out
//! (tests/repair-fixtures/, whose warnings generator/tests/repair_fixtures.rs snapshots) is a
//! crate that compiles with warnings denied: a repaired parameter is an argument, a left-out
//! operation leaves nothing behind, and a left-out schema's name stays for free-form JSON.

use workspace_tests::{check_crates_with, generate_into, workspace};

#[test]
fn every_repair_fixture_compiles_without_warnings() {
    let dir = workspace().join("tests/repair-fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    let temp = tempfile::tempdir().unwrap();
    for name in &names {
        let output = generate_into(
            &dir.join(name).join("openapi.yaml"),
            &temp.path().join(name),
        );
        assert!(
            !output.warnings.is_empty(),
            "{name} has a defect to warn about"
        );
    }
    let members: Vec<&str> = names.iter().map(String::as_str).collect();
    check_crates_with(temp.path(), &members, &["--all-features"]);
}

#[test]
fn a_repaired_template_variable_is_a_required_argument() {
    let dir = workspace().join("tests/repair-fixtures/template-variable-not-declared");
    let temp = tempfile::tempdir().unwrap();
    let output = generate_into(&dir.join("openapi.yaml"), &temp.path().join("c"));
    let op = &output.api.operations[0];
    let params: Vec<(&str, &str, bool)> = op
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.wire.as_str(), p.required))
        .collect();
    assert_eq!(
        params,
        [("item_id", "itemId", true), ("part_id", "partId", true)]
    );
    assert_eq!(op.params[1].ty, generator::ir::TypeRef::String);
}
