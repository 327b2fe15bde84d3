//! Path templates over HTTP: the crates generated from the fixtures path-templates (every form
//! of path template: parameters inside a segment, with prefixes and suffixes, several per
//! segment, trailing slashes, literal `:` segments) and ignored-headers-and-accept are
//! dependencies of a program (tests/path_templates/main.rs) that calls each operation against a
//! server on 127.0.0.1 recording the exact path, `Accept` and `Content-Type` received, values
//! needing percent-encoding included, then through the generated server's router, which must
//! hand each operation the values it was sent. Built and run with warnings denied.

use workspace_tests::{fixtures, generate_into, run_program};

const CRATES: [&str; 2] = ["path-templates", "ignored-headers-and-accept"];

#[test]
fn every_path_form_reaches_the_server_as_written_and_is_routed_back() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    for (name, spec) in fixtures()
        .into_iter()
        .filter(|(n, _)| CRATES.contains(&n.as_str()))
    {
        generate_into(&spec, &root.join(&name));
    }
    let dependencies: Vec<String> = CRATES
        .iter()
        .map(|c| format!("{c} = {{ path = \"../{c}\", features = [\"server\"] }}"))
        .collect();
    let output = run_program(
        root,
        "path-check",
        include_str!("path_templates/main.rs"),
        &dependencies,
        &CRATES,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("all path template checks passed"),
        "the path template program failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
