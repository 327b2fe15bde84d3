//! Bad input, one case per directory of tests/error-fixtures/: the generator's whole message for
//! each is an insta snapshot (generator/tests/snapshots/), so a change in wording or location
//! shows up as a reviewable diff (`cargo insta review`). Cases too big to commit (a 50 MB file,
//! 10,000 levels of nesting, a 10,000-file chain of references, a reference bomb) are written to a
//! temporary directory by the tests below. Paths in messages are relative, as the user gave them,
//! so the snapshots do not depend on where the workspace is.

use std::path::{Path, PathBuf};

/// What the user reads for `spec`: the error (or, for a spec that is accepted, its warnings),
/// with the fixture's own directory (`dir`) taken out of every path.
fn message_for(spec: &Path, dir: &str, configure: impl FnOnce(&mut generator::Settings)) -> String {
    let mut settings = generator::Settings::new(spec, Path::new("client"));
    configure(&mut settings);
    let text = match generator::generate(&settings) {
        Err(err) => err.to_string(),
        Ok(output) if output.warnings.is_empty() => {
            panic!("{} was accepted without a warning", spec.display())
        }
        Ok(output) => {
            let mut text = String::new();
            for warning in &output.warnings {
                text.push_str(&format!("warning: {warning}\n\n"));
            }
            text.push_str(&format!("{} warning(s)", output.warnings.len()));
            text
        }
    };
    text.replace(dir, "")
}

/// The committed cases, each with its root document: `openapi.yaml`, `openapi.json`, or
/// `spec/openapi.yaml` for cases about the root directory (the missing-root case has none).
fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new("../tests/error-fixtures");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .expect("tests/error-fixtures exists (tests run from generator/)")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            let root = ["openapi.json", "spec/openapi.yaml"]
                .iter()
                .map(|n| p.join(n))
                .find(|r| r.exists())
                .unwrap_or_else(|| p.join("openapi.yaml"));
            (p.file_name().unwrap().to_string_lossy().into_owned(), root)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_error_fixture_matches_its_snapshot() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 25, "{} fixtures", fixtures.len());
    for (name, root) in fixtures {
        let dir = format!("../tests/error-fixtures/{name}/");
        // With --strict, so that a defect that would be repaired or left out (see
        // repair_fixtures.rs) is still an error here.
        let text = message_for(&root, &dir, |s| s.strict = true);
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn refs_outside_the_root_are_read_when_allowed() {
    let root = Path::new("../tests/error-fixtures/ref-outside-root/spec/openapi.yaml");
    let dir = "../tests/error-fixtures/ref-outside-root/";
    // With the flag the shared file is read; /etc/passwd is still not a parameter.
    let text = message_for(root, dir, |s| s.allow_outside_root = true);
    assert!(!text.contains("outside"), "{text}");
    assert!(text.contains("passwd"), "{text}");
}

/// A scratch directory for the generated cases; messages name it as `[tmp]/`.
fn scratch() -> (tempfile::TempDir, String) {
    let temp = tempfile::tempdir().unwrap();
    let prefix = format!("{}/", temp.path().display());
    (temp, prefix)
}

#[test]
fn a_50_mb_file_is_refused_without_being_read() {
    let (temp, prefix) = scratch();
    let spec = temp.path().join("openapi.yaml");
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    let mut i = 0;
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&format!("    Schema{i}:\n      type: object\n      description: filler to make a very large file\n"));
        i += 1;
    }
    std::fs::write(&spec, text).unwrap();
    let message = message_for(&spec, &prefix, |_| {});
    insta::assert_snapshot!("big-file", message);
}

#[test]
fn a_50_mb_referenced_file_is_refused_too() {
    let (temp, prefix) = scratch();
    std::fs::write(
        temp.path().join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './big.yaml'\n",
    )
    .unwrap();
    let file = std::fs::File::create(temp.path().join("big.yaml")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap(); // sparse: no 50 MB of writes
    let message = message_for(&temp.path().join("openapi.yaml"), &prefix, |_| {});
    assert!(
        message.contains("big.yaml") && message.contains("larger than the limit"),
        "{message}"
    );
}

#[test]
fn nesting_10000_levels_deep_is_an_error_not_a_stack_overflow() {
    let (temp, prefix) = scratch();
    let header = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n";
    // Block style: `- - - ...` nests a list in a list on one line.
    let block = format!("{header}      example:\n        {}x\n", "- ".repeat(10_000));
    std::fs::write(temp.path().join("openapi.yaml"), block).unwrap();
    let yaml = message_for(&temp.path().join("openapi.yaml"), &prefix, |_| {});
    // Flow style and JSON: brackets only.
    let flow = format!(
        "{header}      example: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(temp.path().join("flow.yaml"), flow).unwrap();
    let flow = message_for(&temp.path().join("flow.yaml"), &prefix, |_| {});
    let json = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"x-deep\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(temp.path().join("openapi.json"), json).unwrap();
    let json = message_for(&temp.path().join("openapi.json"), &prefix, |_| {});
    insta::assert_snapshot!(
        "deep-nesting",
        format!("{yaml}\n\n---\n\n{flow}\n\n---\n\n{json}")
    );
}

#[test]
fn a_chain_of_10000_references_needs_no_deep_stack() {
    let (temp, prefix) = scratch();
    std::fs::write(
        temp.path().join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './chain/0.yaml'\n",
    )
    .unwrap();
    std::fs::create_dir(temp.path().join("chain")).unwrap();
    for i in 0..10_000 {
        std::fs::write(
            temp.path().join(format!("chain/{i}.yaml")),
            format!("$ref: './{}.yaml'\n", i + 1),
        )
        .unwrap();
    }
    // The chain ends in a loop back to its start: the worst case, reported once.
    std::fs::write(temp.path().join("chain/10000.yaml"), "$ref: './0.yaml'\n").unwrap();
    let message = message_for(&temp.path().join("openapi.yaml"), &prefix, |_| {});
    assert!(
        message.contains("loops back"),
        "{}",
        &message[..message.len().min(2000)]
    );
    assert!(
        message.ends_with("1 error found; nothing was written"),
        "{}",
        &message[message.len().saturating_sub(500)..]
    );
    // And a chain that ends in a definition is followed.
    std::fs::write(
        temp.path().join("chain/10000.yaml"),
        "get:\n  responses:\n    '200':\n      description: ok\n",
    )
    .unwrap();
    let settings = generator::Settings::new(temp.path().join("openapi.yaml"), Path::new("client"));
    generator::generate(&settings).unwrap_or_else(|err| panic!("{err}"));
}

#[test]
fn a_reference_bomb_stops_at_the_size_limit() {
    let (temp, prefix) = scratch();
    std::fs::write(
        temp.path().join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './p0.yaml'\n",
    )
    .unwrap();
    // Each level is a path item whose callbacks hold the next level twice: 2^40 copies.
    for i in 0..40 {
        std::fs::write(
            temp.path().join(format!("p{i}.yaml")),
            format!("get:\n  responses:\n    '200':\n      description: ok\n  callbacks:\n    a:\n      '{{$url}}':\n        $ref: './p{n}.yaml'\n    b:\n      '{{$url}}':\n        $ref: './p{n}.yaml'\n", n = i + 1),
        )
        .unwrap();
    }
    std::fs::write(
        temp.path().join("p40.yaml"),
        "get:\n  responses:\n    '200':\n      description: ok\n",
    )
    .unwrap();
    let message = message_for(&temp.path().join("openapi.yaml"), &prefix, |_| {});
    insta::assert_snapshot!("reference-bomb", message);
}

#[test]
fn a_schema_nested_to_the_parser_limit_generates_on_a_small_stack() {
    // 120 levels of inline objects (the YAML parser stops at 128): lowering and emitting must not
    // overflow even a 2 MiB thread stack, the default for test threads.
    let (temp, _) = scratch();
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n");
    for level in 0..60 {
        let indent = " ".repeat(6 + 4 * level);
        text.push_str(&format!(
            "{indent}type: object\n{indent}properties:\n{indent}  next:\n"
        ));
    }
    text.push_str(&format!("{}type: string\n", " ".repeat(6 + 4 * 60)));
    std::fs::write(temp.path().join("openapi.yaml"), text).unwrap();
    let spec = temp.path().join("openapi.yaml");
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            generator::generate(&generator::Settings::new(&spec, Path::new("client")))
                .map(|o| o.types)
                .map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .expect("no panic or overflow");
    assert!(result.is_ok(), "{result:?}");
}
