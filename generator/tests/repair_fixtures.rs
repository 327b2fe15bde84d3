//! Defects the generator repairs or leaves out instead of refusing the spec, one class per
//! directory of tests/repair-fixtures/: what the user reads is an insta snapshot
//! (generator/tests/snapshots/), both without `--strict` (the warnings, each at its
//! file:line:column and pointer, and the counts) and with it (the refusal, naming each defect).
//! tests/repairs.rs compiles what these fixtures generate.

use std::path::{Path, PathBuf};

/// Every case, by name, with its root document.
fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new("../tests/repair-fixtures");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .expect("tests/repair-fixtures exists (tests run from generator/)")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, p.join("openapi.yaml"))
        })
        .collect();
    found.sort();
    found
}

/// What the user reads for `spec`, with or without `--strict`, and the fixture's own directory
/// (`dir`) taken out of every path.
fn message_for(spec: &Path, dir: &str, strict: bool) -> String {
    let mut settings = generator::Settings::new(spec, Path::new("client"));
    settings.strict = strict;
    let text = match generator::generate(&settings) {
        Err(err) => err.to_string(),
        Ok(output) => {
            let mut text = String::new();
            for warning in &output.warnings {
                text.push_str(&format!("warning: {warning}\n\n"));
            }
            let counts = output.counts;
            text.push_str(&format!(
                "{} operations ({} repaired, {} left out), {} types ({} schemas repaired, {} left out); {} warning(s)",
                output.operations,
                counts.operations_repaired,
                counts.operations_left_out,
                output.types,
                counts.schemas_repaired,
                counts.schemas_left_out,
                output.warnings.len()
            ));
            text
        }
    };
    text.replace(dir, "")
}

#[test]
fn every_repair_fixture_matches_its_snapshot() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 8, "{} fixtures", fixtures.len());
    for (name, root) in fixtures {
        let dir = format!("../tests/repair-fixtures/{name}/");
        let lenient = message_for(&root, &dir, false);
        let strict = message_for(&root, &dir, true);
        insta::assert_snapshot!(
            name,
            format!("---- without --strict ----\n{lenient}\n\n---- with --strict ----\n{strict}")
        );
    }
}

#[test]
fn strict_refuses_every_repair_and_leave_out() {
    for (name, root) in fixtures() {
        let mut settings = generator::Settings::new(&root, Path::new("client"));
        let lenient = generator::generate(&settings)
            .unwrap_or_else(|err| panic!("{name} is generated without --strict:\n{err}"));
        settings.strict = true;
        let refused = generator::generate(&settings);
        if lenient.repairs.is_empty() {
            // Malformed parts the generator does not use are ignored either way.
            assert!(refused.is_ok(), "{name}");
            continue;
        }
        let Err(generator::Error::Spec(errors)) = refused else {
            panic!(
                "{name}: --strict accepted {} repairs",
                lenient.repairs.len()
            );
        };
        // One error per defect the lenient run repaired or left out (shape errors are refused as
        // themselves, so count them by place).
        let places = |items: Vec<Option<String>>| {
            items.into_iter().collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(
            places(errors.iter().map(|e| e.pointer.clone()).collect()),
            places(
                lenient
                    .repairs
                    .iter()
                    .map(|r| r.diagnostic.pointer.clone())
                    .collect()
            ),
            "{name}"
        );
    }
}
