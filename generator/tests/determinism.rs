//! Determinism: the same input gives byte-identical output ten times in one process, in two
//! processes, and whatever order the file system lists files in (for the spec's files and for
//! what is already in the output directory).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{files_below, spec_roots, workspace};

/// spec/ and every fixture spec (tests/fixtures/*, the warnings error fixture).
fn specs() -> Vec<PathBuf> {
    let mut specs = vec![workspace().join("spec/openapi.yaml")];
    specs.extend(spec_roots("tests/fixtures"));
    specs.push(workspace().join("tests/error-fixtures/warnings/openapi.yaml"));
    specs
}

/// What a run gives: every file, every warning, or the whole error message.
fn run(spec: &Path) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    generator::generate(&generator::Settings::new(spec, Path::new("client")))
        .map(|output| (output.files, output.warnings))
        .map_err(|err| err.to_string())
}

#[test]
fn ten_runs_in_one_process_give_identical_output() {
    let mut specs = specs();
    // Errors too: every diagnostic, in the same order, with the same words.
    for case in [
        "shape-errors",
        "ref-to-missing-file",
        "broken-referenced-file",
    ] {
        specs.push(workspace().join(format!("tests/error-fixtures/{case}/openapi.yaml")));
    }
    for spec in specs {
        let first = run(&spec);
        for i in 1..10 {
            assert!(
                run(&spec) == first,
                "run {i} of {} differs from the first",
                spec.display()
            );
        }
    }
}

/// Every file below `dir`, relative path -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .map(|(path, (bytes, _))| (path, bytes))
        .collect()
}

#[test]
fn two_processes_write_identical_trees() {
    let spec = workspace().join("spec/openapi.yaml");
    let trees: Vec<BTreeMap<String, Vec<u8>>> = (0..2)
        .map(|_| {
            let temp = tempfile::tempdir().unwrap();
            // The same relative --out in two directories, so that the headers name the same command.
            let status = Command::new(env!("CARGO_BIN_EXE_generator"))
                .args(["--spec", spec.to_str().unwrap(), "--out", "client"])
                .current_dir(temp.path())
                .status()
                .unwrap();
            assert!(status.success());
            tree(&temp.path().join("client"))
        })
        .collect();
    assert!(!trees[0].is_empty());
    assert!(trees[0] == trees[1], "two processes wrote different trees");
}

/// Copies every file below `from` to `to`, creating files and directories in the order given.
fn copy_in_order(from: &Path, to: &Path, reverse: bool) {
    let mut files: Vec<String> = tree(from).into_keys().collect();
    if reverse {
        files.reverse();
    }
    for relative in files {
        let target = to.join(&relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&relative), target).unwrap();
    }
}

#[test]
fn the_order_in_which_spec_files_were_created_does_not_matter() {
    let mut sources = vec![workspace().join("spec")];
    let multi_file = workspace().join("tests/fixtures/multi-file");
    if multi_file.exists() {
        sources.push(multi_file);
    }
    for source in sources {
        let temp = tempfile::tempdir().unwrap();
        let (forward, backward) = (temp.path().join("a"), temp.path().join("b"));
        copy_in_order(&source, &forward, false);
        copy_in_order(&source, &backward, true);
        assert!(
            run(&forward.join("openapi.yaml")) == run(&backward.join("openapi.yaml")),
            "{}: the output depends on the order the files were created in",
            source.display()
        );
    }
}

#[test]
fn the_order_of_what_is_already_in_the_output_does_not_matter() {
    let output = generator::generate(&generator::Settings::new(
        workspace().join("spec/openapi.yaml"),
        Path::new("client"),
    ))
    .unwrap();
    // Stale generated files and hand-written ones, created in opposite orders in two outputs.
    let extra: Vec<(String, String)> = (0..20)
        .map(|i| match i % 3 {
            0 => (
                format!("src/models/stale_{i}.rs"),
                "// @generated\n".to_string(),
            ),
            1 => (format!("src/hand_{i}.rs"), "// mine\n".to_string()),
            _ => (format!("tests/t{i}/case.rs"), "// mine\n".to_string()),
        })
        .collect();
    let temp = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for reverse in [false, true] {
        let out = temp
            .path()
            .join(if reverse { "b" } else { "a" })
            .join("client");
        let mut files = extra.clone();
        if reverse {
            files.reverse();
        }
        for (relative, contents) in &files {
            let path = out.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        let report = generator::write(&out, &output, false).unwrap();
        let relative = |paths: &[PathBuf]| -> Vec<PathBuf> {
            paths
                .iter()
                .map(|p| p.strip_prefix(&out).unwrap().to_path_buf())
                .collect()
        };
        results.push((
            tree(&out),
            relative(&report.added),
            relative(&report.changed),
            relative(&report.removed),
        ));
    }
    assert!(
        results[0] == results[1],
        "the write depends on the listing order of the output"
    );
    assert!(
        results[0].0.contains_key("src/hand_1.rs")
            && !results[0].0.contains_key("src/models/stale_0.rs")
    );
}
