//! The README as a new user follows it: a crate outside this workspace (in a temporary directory)
//! with the dependencies the README lists, its client example as `src/main.rs` (compiled; it
//! would call a tenant) and its fake-service-desk test as `tests/fake.rs` (run against a fake on
//! 127.0.0.1). The README's `path/to/this/repository` is this checkout. Nothing else is added:
//! a dependency the snippets need and the README does not list fails this test, and so does a
//! crate its dependencies hold in two versions (`cargo tree --duplicates`).

use std::path::Path;
use std::process::Command;

use workspace_tests::workspace;

/// The fenced blocks of `text` as (info string, body).
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let mut body = String::new();
        for line in lines.by_ref() {
            if line.starts_with("```") {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        blocks.push((info.trim().to_string(), body));
    }
    blocks
}

/// The one block with `info` whose body contains `marker`.
fn block<'a>(blocks: &'a [(String, String)], info: &str, marker: &str) -> &'a str {
    let found: Vec<&str> = blocks
        .iter()
        .filter(|(i, body)| i.split(',').next() == Some(info) && body.contains(marker))
        .map(|(_, body)| body.as_str())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "README.md should have exactly one ```{info} block with `{marker}`"
    );
    found[0]
}

#[test]
fn a_crate_outside_the_workspace_builds_and_passes_by_the_readme_alone() {
    let root = workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks = fenced_blocks(&readme);
    let checkout = root.to_str().expect("a UTF-8 checkout path");
    let here = |toml: &str| toml.replace("path/to/this/repository", checkout);
    let dependencies = here(block(&blocks, "toml", "[dependencies]"));
    let dev_dependencies = here(block(&blocks, "toml", "[dev-dependencies]"));
    let main = block(&blocks, "rust", "#[tokio::main]");
    let test = block(&blocks, "rust", "#[tokio::test]");
    assert!(
        dependencies.contains(&format!("{checkout}/generated-client")),
        "the README's dependency on generated-client should be a path in path/to/this/repository:\n{dependencies}"
    );

    let dir = tempfile::tempdir().unwrap();
    let krate = dir.path();
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::create_dir_all(krate.join("tests")).unwrap();
    // The workspace's profile tweak (no debug info for dependencies) only keeps the build small;
    // an empty `[workspace]` keeps cargo from looking for one above the temporary directory.
    let manifest = format!(
        "[package]\nname = \"readme-user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n{dependencies}\n{dev_dependencies}\n[profile.dev.package.\"*\"]\ndebug = false\n"
    );
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(krate.join("src/main.rs"), main).unwrap();
    std::fs::write(krate.join("tests/fake.rs"), test).unwrap();
    // The versions this workspace is tested with; cargo drops what the crate does not use.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();

    let output = cargo(krate, &["test", "--all-targets"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the README's crate does not build or its test fails:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The fake test ran (a `#[tokio::main]` under tests/ would compile and run none).
    assert!(
        stdout.contains("test creates_pages_and_patches_against_the_fake ... ok"),
        "{stdout}"
    );

    // What the crate's users compile holds each crate once (two versions of one crate, such as
    // reqwest 0.12's second base64, would be compiled twice by every downstream build).
    let tree = cargo(krate, &["tree", "--duplicates", "--edges", "normal"]);
    let duplicates = String::from_utf8_lossy(&tree.stdout);
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    assert!(
        duplicates.trim().is_empty(),
        "a crate is compiled twice in a downstream build:\n{duplicates}"
    );
}

/// `cargo <args>` in `krate`, with a target directory of its own under the workspace's (kept
/// between runs, so only the first run compiles the dependencies) and warnings denied.
fn cargo(krate: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(krate)
        .env("CARGO_TARGET_DIR", workspace().join("target/readme-crate"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}
