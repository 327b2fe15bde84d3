//! Drift: the checked-in generated-client is exactly what the generator writes from spec/, so a
//! spec or generator change that was not regenerated fails here, with the command that fixes it.

use std::collections::BTreeMap;
use std::path::Path;

use workspace_tests::{generate_into, workspace};

/// Every file below `dir`, relative path -> contents, skipping build output.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn checked_in_client_is_what_the_generator_writes() {
    let root = workspace();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("generated-client");
    // The version is the checked-in crate's (a regeneration keeps it), not the spec's.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(
        root.join("generated-client/Cargo.toml"),
        out.join("Cargo.toml"),
    )
    .unwrap();
    generate_into(&root.join("spec/openapi.yaml"), &out);
    let fresh = tree(&out);
    let checked_in = tree(&root.join("generated-client"));
    let mut problems = Vec::new();
    for (path, contents) in &fresh {
        match checked_in.get(path) {
            None => problems.push(format!("missing: generated-client/{path}")),
            Some(existing) if existing != contents => {
                problems.push(format!("differs: generated-client/{path}"))
            }
            _ => {}
        }
    }
    for path in checked_in.keys().filter(|p| !fresh.contains_key(*p)) {
        problems.push(format!(
            "not generated (stale or hand-written): generated-client/{path}"
        ));
    }
    assert!(
        problems.is_empty(),
        "generated-client/ has drifted from spec/ and the generator:\n  {}\nrun `cargo run -p generator` and commit the result",
        problems.join("\n  ")
    );
}

#[test]
fn generating_twice_gives_identical_bytes() {
    let spec = workspace().join("spec/openapi.yaml");
    let settings = generator::Settings::new(&spec, Path::new("generated-client"));
    let first = generator::generate(&settings).unwrap();
    for _ in 0..3 {
        assert_eq!(generator::generate(&settings).unwrap().files, first.files);
    }
}

#[test]
fn check_mode_reports_an_edited_file_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("generated-client");
    let output = generate_into(&workspace().join("spec/openapi.yaml"), &out);
    let edited = out.join("src/errors.rs");
    std::fs::write(&edited, "// @generated\n// edited by hand\n").unwrap();
    let report = generator::write(&out, &output, true).unwrap();
    assert_eq!(report.changed, std::slice::from_ref(&edited));
    assert_eq!(
        std::fs::read_to_string(&edited).unwrap(),
        "// @generated\n// edited by hand\n"
    );
}
