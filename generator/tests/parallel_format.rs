//! Formatting part by part on several threads (`emit::format_files`, what `generate` does) gives
//! exactly what formatting each whole file on one thread gives (`emit::rust_files`, then
//! `emit::format_file`): prettyplease prints a file's items one after another, and the parts
//! are put back together in order.

use std::path::{Path, PathBuf};

mod common;
use common::{spec_roots, workspace};

/// spec/, every fixture spec, and the error fixtures that generate (with warnings).
fn specs() -> Vec<PathBuf> {
    let mut specs = vec![workspace().join("spec/openapi.yaml")];
    for dir in ["tests/fixtures", "tests/error-fixtures"] {
        specs.extend(spec_roots(dir));
    }
    specs
}

#[test]
fn parts_formatted_in_parallel_make_the_files_formatted_whole() {
    let header = "// @generated (test)";
    let mut compared = 0;
    for spec in specs() {
        let Ok(output) = generator::generate(&generator::Settings::new(&spec, Path::new("c")))
        else {
            continue; // an error fixture that stops before emitting
        };
        let parallel = generator::emit::format_files(&output.api, header).unwrap();
        let whole: Vec<(String, String)> = generator::emit::rust_files(&output.api)
            .iter()
            .map(|file| {
                let text = generator::emit::format_file(file, header).unwrap();
                (file.path.clone(), text)
            })
            .collect();
        assert_eq!(parallel.len(), whole.len(), "{}", spec.display());
        for ((path, text), (whole_path, whole_text)) in parallel.iter().zip(&whole) {
            assert_eq!(path, whole_path, "{}", spec.display());
            assert!(
                text == whole_text,
                "{path} of {} differs:\n--- whole\n{whole_text}\n--- parts\n{text}",
                spec.display()
            );
        }
        compared += 1;
    }
    assert!(compared > 20, "only {compared} specs generated");
}
