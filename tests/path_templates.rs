//! Path templates over HTTP: the crates generated from the fixtures path-templates (every form
//! of path template: parameters inside a segment, with prefixes and suffixes, several per
//! segment, trailing slashes, literal `:` segments) and ignored-headers-and-accept are
//! dependencies of a program (tests/path_templates/main.rs) that calls each operation against a
//! server on 127.0.0.1 recording the exact path, `Accept` and `Content-Type` received, values
//! needing percent-encoding included, then through the generated server's router, which must
//! hand each operation the values it was sent. Built and run with warnings denied.

use workspace_tests::{cargo_denying_warnings, fixtures, generate_into, throwaway_workspace};

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
    let program = root.join("path-check");
    std::fs::create_dir_all(program.join("src")).unwrap();
    let dependencies: Vec<String> = CRATES
        .iter()
        .map(|c| format!("{c} = {{ path = \"../{c}\", features = [\"server\"] }}"))
        .collect();
    std::fs::write(
        program.join("Cargo.toml"),
        format!(
            "[package]\nname = \"path-check\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\"] }}\n",
            dependencies.join("\n")
        ),
    )
    .unwrap();
    std::fs::write(
        program.join("src/main.rs"),
        include_str!("path_templates/main.rs"),
    )
    .unwrap();
    let mut members = vec!["path-check"];
    members.extend(CRATES);
    throwaway_workspace(root, &members);

    let output = cargo_denying_warnings(root, &["run", "-p", "path-check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("all path template checks passed"),
        "the path template program failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
