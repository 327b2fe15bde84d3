//! The command line: exit codes, where messages go, and `--check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

mod common;
use common::{copy_dir, files_below, workspace};

fn generator(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator runs")
}

#[test]
fn check_passes_on_the_checked_in_client() {
    let output = generator(&["--check"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
}

/// The client generated from spec/ into `temp/client`, then its src/errors.rs edited by hand
/// (the edited text is returned) and its README.md removed.
fn an_edited_client(temp: &Path) -> (PathBuf, String) {
    let out = temp.join("client");
    let spec = workspace().join("spec/openapi.yaml");
    assert!(generator(&spec_and_out(&spec, &out)).status.success());
    let errors = std::fs::read_to_string(out.join("src/errors.rs")).unwrap();
    let edited = errors.replacen("//!", "//! edited by hand\n//!", 1);
    std::fs::write(out.join("src/errors.rs"), &edited).unwrap();
    std::fs::remove_file(out.join("README.md")).unwrap();
    (out, edited)
}

#[test]
fn check_names_each_file_that_would_change_and_exits_1() {
    let temp = tempfile::tempdir().unwrap();
    let (out, edited) = an_edited_client(temp.path());
    let spec = workspace().join("spec/openapi.yaml");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let output = generator(&["--spec", spec, "--out", out_arg, "--check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("would be changed:") && stdout.contains("errors.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("would be added:") && stdout.contains("README.md"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/errors.rs")).unwrap(),
        edited
    );
    // A second write brings it back, and only touches what differed.
    assert!(generator(&["--spec", spec, "--out", out_arg])
        .status
        .success());
    assert!(generator(&["--spec", spec, "--out", out_arg, "--check"])
        .status
        .success());
}

#[test]
fn a_bad_spec_exits_1_with_the_problem_on_stderr() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    std::fs::write(&spec, "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './missing.yaml'\n").unwrap();
    let out = temp.path().join("out");
    let output = generator(&spec_and_out(&spec, &out));
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("missing.yaml") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains("openapi.yaml:5:5 at #/paths/~1a"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written for a bad spec");
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(generator(&["--no-such-flag"]).status.code(), Some(2));
}

/// Every file below `dir` with its bytes and modification time (and the directory's siblings:
/// a staging or backup directory left next to it would show up there).
type Tree = BTreeMap<String, (Vec<u8>, SystemTime)>;

fn snapshot(dir: &Path) -> (Tree, Vec<String>) {
    let files = files_below(dir);
    let mut siblings: Vec<String> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    (files, siblings)
}

/// A copy of spec/ in `<temp>/spec`: generated over, then changed with [`change_spec`]. (The
/// output names the spec's path in its headers, so one path serves both states.)
fn copy_spec(temp: &Path) -> PathBuf {
    let dir = temp.join("spec");
    copy_dir(&workspace().join("spec"), &dir);
    dir.join("openapi.yaml")
}

/// One more property on the integration DTO, so that generating the spec changes files.
fn change_spec(spec: &Path) {
    let dto = spec
        .parent()
        .unwrap()
        .join("schemas/ServiceDeskIntegrationDto.yaml");
    let text = std::fs::read_to_string(&dto).unwrap();
    let text = text.replacen(
        "properties:\n",
        "properties:\n      fuzzNewField:\n        type: string\n        description: Added by a test.\n",
        1,
    );
    std::fs::write(&dto, text).unwrap();
}

/// The output of `spec` in `<temp>/work/client`, with a hand-written file in it.
fn previous_output(temp: &Path, spec: &Path) -> PathBuf {
    let out = temp.join("work/client");
    let status = generator(&spec_and_out(spec, &out)).status;
    assert!(status.success());
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(
        out.join("tests/mine.rs"),
        "// hand-written, kept across regenerations\n",
    )
    .unwrap();
    out
}

/// Whether `out` is exactly what the generator makes of `spec` (`--check` passes).
fn up_to_date(spec: &Path, out: &Path) -> bool {
    generator(&[
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--check",
    ])
    .status
    .success()
}

#[test]
fn a_failed_run_leaves_the_previous_output_byte_for_byte() {
    let temp = tempfile::tempdir().unwrap();
    let spec = copy_spec(temp.path());
    let out = previous_output(temp.path(), &spec);
    let before = snapshot(&out);
    change_spec(&spec);
    let limit = spec.parent().unwrap().join("parameters/limit.yaml");
    std::fs::write(limit, "name: limit\nin: query\nschema: {type: integer\n").unwrap();
    let output = generator(&spec_and_out(&spec, &out));
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "errors go to stderr");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("limit.yaml:4:1") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn a_good_run_replaces_generated_files_and_keeps_the_users() {
    let temp = tempfile::tempdir().unwrap();
    let spec = copy_spec(temp.path());
    let out = previous_output(temp.path(), &spec);
    let (before, _) = snapshot(&out);
    change_spec(&spec);
    let output = generator(&spec_and_out(&spec, &out));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (after, siblings) = snapshot(&out);
    assert_eq!(
        after["tests/mine.rs"], before["tests/mine.rs"],
        "carried over, same mtime"
    );
    assert_eq!(
        after["src/runtime/mod.rs"], before["src/runtime/mod.rs"],
        "unchanged, same mtime"
    );
    assert_ne!(
        after["src/models/service_desk_integration_dto.rs"],
        before["src/models/service_desk_integration_dto.rs"]
    );
    assert_eq!(
        siblings,
        ["client"],
        "no staging or backup directory is left"
    );
}

#[cfg(unix)]
mod interrupts {
    use super::*;
    use std::process::{Child, Stdio};

    fn spawn(spec: &Path, out: &Path, pause: &str, marker: &Path) -> Child {
        Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(spec_and_out(spec, out))
            .env("GENERATOR_TEST_PAUSE", pause)
            .env("GENERATOR_TEST_PAUSE_MARKER", marker)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Waits (without a deadline that could fail a slow machine, but not forever) for the
    /// generator to reach its pause.
    fn wait_for(marker: &Path, child: &mut Child) {
        for _ in 0..60_000 {
            if marker.exists() {
                return;
            }
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the generator ended before pausing: {status}");
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        panic!("the generator never reached its pause");
    }

    fn signal(child: &Child, name: &str) {
        let status = Command::new("kill")
            .args([name, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    #[test]
    fn ctrl_c_before_the_swap_leaves_the_previous_output_byte_for_byte() {
        let temp = tempfile::tempdir().unwrap();
        let spec = copy_spec(temp.path());
        let out = previous_output(temp.path(), &spec);
        let before = snapshot(&out);
        change_spec(&spec);
        let marker = temp.path().join("paused");
        let mut child = spawn(&spec, &out, "staged", &marker);
        wait_for(&marker, &mut child);
        signal(&child, "-INT");
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(130));
        assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
        assert_eq!(snapshot(&out), before);
    }

    #[test]
    fn ctrl_c_during_the_swap_finishes_it() {
        let temp = tempfile::tempdir().unwrap();
        let spec = copy_spec(temp.path());
        let out = previous_output(temp.path(), &spec);
        change_spec(&spec);
        let marker = temp.path().join("paused");
        let mut child = spawn(&spec, &out, "swapping", &marker);
        wait_for(&marker, &mut child);
        signal(&child, "-INT");
        assert!(child.wait().unwrap().success());
        // The output is the new one, complete: --check on the changed spec finds nothing to do.
        assert!(up_to_date(&spec, &out));
        assert_eq!(snapshot(&out).1, ["client"]);
    }

    #[test]
    fn a_kill_mid_swap_is_repaired_by_the_next_run() {
        let temp = tempfile::tempdir().unwrap();
        let spec = copy_spec(temp.path());
        let out = previous_output(temp.path(), &spec);
        let before = snapshot(&out);
        change_spec(&spec);
        let marker = temp.path().join("paused");
        let mut child = spawn(&spec, &out, "swapping", &marker);
        wait_for(&marker, &mut child);
        signal(&child, "-KILL");
        child.wait().unwrap();
        assert!(!out.exists(), "killed between the two renames");
        // The next run (here a --check: it repairs nothing) sees it gone; the next write puts it
        // back before anything else (here with the old spec, so nothing else changes).
        assert!(!up_to_date(&spec, &out));
        copy_dir(&workspace().join("spec"), spec.parent().unwrap());
        let output = generator(&spec_and_out(&spec, &out));
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(snapshot(&out), before);
    }

    #[test]
    fn ctrl_c_at_any_moment_leaves_the_old_output_or_the_new_one() {
        // Signals land wherever the run happens to be; every outcome must be one of the two
        // complete trees, never a mix, and nothing may be left next to the output.
        for delay_ms in [0, 1, 2, 4, 8, 15, 30, 60, 120] {
            let temp = tempfile::tempdir().unwrap();
            let spec = copy_spec(temp.path());
            let out = previous_output(temp.path(), &spec);
            let (old, _) = snapshot(&out);
            change_spec(&spec);
            let mut child = Command::new(env!("CARGO_BIN_EXE_generator"))
                .args(spec_and_out(&spec, &out))
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(delay_ms));
            signal(&child, "-INT");
            child.wait().unwrap();
            let (found, siblings) = snapshot(&out);
            assert!(
                found == old
                    || (up_to_date(&spec, &out) && found["tests/mine.rs"] == old["tests/mine.rs"]),
                "delay {delay_ms} ms: neither the old output nor the new one"
            );
            assert_eq!(siblings, ["client"], "delay {delay_ms} ms: leftovers");
        }
    }
}

#[test]
fn outside_root_refs_need_the_flag() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(temp.path().join("spec")).unwrap();
    std::fs::write(
        temp.path().join("spec/openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: '../shared/a.yaml'\n",
    )
    .unwrap();
    std::fs::create_dir_all(temp.path().join("shared")).unwrap();
    std::fs::write(
        temp.path().join("shared/a.yaml"),
        "get:\n  operationId: getA\n  responses:\n    '200':\n      description: ok\n",
    )
    .unwrap();
    let spec = temp.path().join("spec/openapi.yaml");
    let out = temp.path().join("out");
    let args = spec_and_out(&spec, &out);
    let refused = generator(&args);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--allow-outside-root"));
    let allowed = generator(&[&args[..], &["--allow-outside-root"]].concat());
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
}

#[test]
fn warnings_are_printed_once_each_with_their_place_and_counted() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("tests/error-fixtures/warnings/openapi.yaml");
    let out = temp.path().join("out");
    let output = generator(&spec_and_out(&spec, &out));
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .split("\n\n")
        .filter(|w| w.starts_with("warning: "))
        .collect();
    assert!(warnings.len() >= 5, "{stderr}");
    for warning in &warnings {
        assert!(warning.contains(" --> "), "no location: {warning}");
        assert_eq!(
            warnings.iter().filter(|w| *w == warning).count(),
            1,
            "twice: {warning}"
        );
    }
    assert!(
        stderr.contains(&format!("; {} warnings", warnings.len())),
        "{stderr}"
    );
}

#[test]
fn the_checked_in_spec_has_no_warnings() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("spec/openapi.yaml");
    let out = temp.path().join("client");
    let output = generator(&spec_and_out(&spec, &out));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stderr.contains("warning:") && stderr.contains("; 0 warnings"),
        "{stderr}"
    );
}

#[test]
fn bad_values_of_flags_exit_2() {
    assert_eq!(generator(&["--max-file-size", "0"]).status.code(), Some(2));
    assert_eq!(generator(&["--spec"]).status.code(), Some(2));
    let output = generator(&["--max-file-size", "lots"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty() && !output.stderr.is_empty());
}

#[test]
fn a_missing_spec_exits_1_naming_it() {
    let output = generator(&[
        "--spec",
        "no/such/openapi.yaml",
        "--out",
        "/nonexistent/out",
        "--check",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--> no/such/openapi.yaml") && stderr.contains("does not exist"),
        "{stderr}"
    );
}

/// `--spec spec --out out`, the arguments most runs start with.
fn spec_and_out<'a>(spec: &'a Path, out: &'a Path) -> [&'a str; 4] {
    let utf8 = |path: &'a Path| path.to_str().expect("test paths are UTF-8");
    ["--spec", utf8(spec), "--out", utf8(out)]
}

/// Runs the generator to its end, or kills it and fails after `limit`: a hang is a failure, not
/// a test that never finishes. (The limit is generous: a run takes a second or two.)
fn generator_within(args: &[&str], env: &[(&str, &str)], limit: std::time::Duration) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the generator runs");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the generator hung (killed after {limit:?}): {args:?} {env:?}\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_percent_escape_cut_by_a_non_ascii_character_is_a_clear_error() {
    let temp = tempfile::tempdir().unwrap();
    let spec = temp.path().join("openapi.yaml");
    // `%a` followed by `é` is no escape; it once made the generator panic while slicing the
    // reference, and the panicking file reader left the others waiting forever.
    for reference in ["./%aé.yaml", "./%é.yaml", "./%e9.yaml", "./é%.yaml"] {
        std::fs::write(
            &spec,
            format!("openapi: 3.0.1\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    $ref: '{reference}'\n"),
        )
        .unwrap();
        let out = temp.path().join("out");
        let args = spec_and_out(&spec, &out);
        let output = generator_within(&args, &[], std::time::Duration::from_secs(120));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{reference}: {stderr}");
        assert!(
            stderr.contains("does not exist") && stderr.contains("openapi.yaml:5:5 at #/paths/~1a"),
            "{reference}: {stderr}"
        );
        assert!(!stderr.contains("internal error"), "{stderr}");
    }
}

#[test]
fn a_percent_escaped_reference_reaches_its_file() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("spec"), temp.path());
    let root = temp.path().join("openapi.yaml");
    let text = std::fs::read_to_string(&root).unwrap();
    // Some path file, renamed to a non-ASCII name and referred to with escapes.
    let (from, to) = text
        .lines()
        .find_map(|line| {
            let reference = line
                .trim()
                .strip_prefix("$ref: ")?
                .trim_matches(['\'', '"']);
            reference
                .starts_with("./paths/")
                .then(|| reference.to_string())
        })
        .map(|r| (r.clone(), r.replace(".yaml", "-é.yaml")))
        .expect("the root refers to path files");
    std::fs::rename(temp.path().join(&from), temp.path().join(&to)).unwrap();
    let escaped = to.replace('é', "%C3%A9");
    std::fs::write(&root, text.replace(&from, &escaped)).unwrap();
    let out = temp.path().join("out");
    let args = spec_and_out(&root, &out);
    let output = generator_within(&args, &[], std::time::Duration::from_secs(300));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_panic_in_any_thread_pool_ends_the_run_with_the_internal_error() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("spec/openapi.yaml");
    let out = temp.path().join("out");
    let args = spec_and_out(&spec, &out);
    for pool in ["load", "format"] {
        let env = [("GENERATOR_TEST_PANIC", pool)];
        let output = generator_within(&args, &env, std::time::Duration::from_secs(300));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{pool}: {stderr}");
        assert_eq!(output.status.code(), Some(101), "{pool}: {stderr}");
        assert!(
            stderr.contains("error: internal error: the generator crashed")
                && stderr.contains(&format!(
                    "injected into the {}",
                    ["Load", "Format"][usize::from(pool == "format")]
                )),
            "{pool}: {stderr}"
        );
        assert!(!out.exists(), "{pool}: nothing is written after a crash");
    }
}

#[test]
fn a_bad_leaf_under_deeply_nested_one_ofs_is_left_out_or_refused_not_a_hang() {
    // openapiv3 reads schemas through untagged enums that retry every alternative on a failure,
    // so parsing this took time exponential in the depth: the shape checks must stop it first,
    // and the parse only sees the document without the operation they leave out.
    let mut schema = serde_json::json!({"type": "object", "properties": 0});
    for _ in 0..40 {
        schema = serde_json::json!({"oneOf": [schema, {"type": "string"}]});
    }
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": schema}}
        }}}}}
    });
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("openapi.json");
    std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let out = temp.path().join("out");
    let args = spec_and_out(&path, &out);
    let output = generator_within(&args, &[], std::time::Duration::from_secs(300));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("left out: operation `GET /a`") && stderr.contains("/properties"),
        "{stderr}"
    );
    let strict = [&args[..], &["--strict"]].concat();
    let output = generator_within(&strict, &[], std::time::Duration::from_secs(300));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/properties"), "{stderr}");
}

#[test]
fn crate_name_names_the_package_and_the_library() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("tests/fixtures/minimal/openapi.yaml");
    let out = temp.path().join("some.dir");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let written = generator(&["--spec", spec, "--out", out_arg, "--crate-name", "isc-v3"]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nname = \"isc-v3\"\n"), "{manifest}");
    assert!(
        manifest.contains("[lib]\nname = \"isc_v3\"\n"),
        "{manifest}"
    );
    // The header's command regenerates the same crate, name included.
    assert!(manifest
        .lines()
        .next()
        .unwrap()
        .contains("--crate-name isc-v3"));
    // The crate docs are its README (`#![doc = include_str!("../README.md")]`).
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("use isc_v3::Client;"),
        "the crate docs use the library name"
    );

    // A name Cargo would refuse is a usage error; so is a directory name that cannot be one.
    let bad = generator(&["--spec", spec, "--out", out_arg, "--crate-name", "isc.v3"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("only ASCII letters"));
    let from_dir = generator(&["--spec", spec, "--out", out_arg, "--check"]);
    assert_eq!(from_dir.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&from_dir.stderr);
    assert!(
        stderr.contains("`some.dir` cannot be the generated crate's name")
            && stderr.contains("--crate-name"),
        "{stderr}"
    );
}

#[test]
fn repairs_are_counted_in_the_summary_and_strict_refuses_them() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("tests/repair-fixtures/malformed-operation-left-out/openapi.yaml");
    let out = temp.path().join("out");
    let args = spec_and_out(&spec, &out);
    let strict = generator(&[&args[..], &["--strict"]].concat());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.ends_with("3 errors found; nothing was written\n"),
        "{stderr}"
    );
    assert!(!out.exists(), "--strict wrote {}", out.display());

    let lenient = generator(&args);
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert!(lenient.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: left out: operation `GET /users`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(": 1 operation generated (0 repaired, 3 left out), 0 types, "),
        "{stderr}"
    );

    let spec =
        workspace().join("tests/repair-fixtures/template-variable-not-declared/openapi.yaml");
    let args = spec_and_out(&spec, &out);
    let repaired = generator(&args);
    let stderr = String::from_utf8_lossy(&repaired.stderr);
    assert!(
        stderr.contains(": 1 operation generated (1 repaired, 0 left out), 0 types, "),
        "{stderr}"
    );
}

#[test]
fn license_and_repository_go_into_the_generated_manifest() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("tests/fixtures/minimal/openapi.yaml");
    let out = temp.path().join("isc");
    let (spec, out_arg) = (spec.to_str().unwrap(), out.to_str().unwrap());
    let written = generator(&["--spec", spec, "--out", out_arg]);
    assert!(written.status.success());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nlicense = \"MIT\"\n"), "{manifest}");
    assert!(!manifest.contains("repository"), "{manifest}");

    let args = [
        "--spec",
        spec,
        "--out",
        out_arg,
        "--license",
        "MIT OR Apache-2.0",
        "--repository",
        "https://example.com/acme/isc",
    ];
    let written = generator(&args);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(
            "\nlicense = \"MIT OR Apache-2.0\"\nrepository = \"https://example.com/acme/isc\"\n"
        ),
        "{manifest}"
    );
    assert!(manifest
        .lines()
        .next()
        .unwrap()
        .contains("--license 'MIT OR Apache-2.0' --repository https://example.com/acme/isc"));

    // A value that would break out of the TOML string is a usage error.
    let bad = generator(&[
        "--spec",
        spec,
        "--out",
        out_arg,
        "--license",
        "MIT\"\nbuild = \"x",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot stand in a Cargo.toml string"));
}

/// Runs the generator in `dir` with `env` set.
fn generator_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the generator runs")
}

#[test]
fn quiet_prints_only_errors_and_warnings() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    // Warnings stay; the summary goes.
    let spec = workspace().join("tests/error-fixtures/warnings/openapi.yaml");
    let mut args = spec_and_out(&spec, &out).to_vec();
    args.push("--quiet");
    let output = generator(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.starts_with("warning: "), "{stderr}");
    assert!(
        !stderr.contains("wrote ") && !stderr.contains(" generated ("),
        "{stderr}"
    );
    // Up to date: nothing at all, on either stream.
    let output = generator(&["--check", "-q"]);
    assert!(output.status.success());
    assert!(
        output.stdout.is_empty() && output.stderr.is_empty(),
        "{output:?}"
    );
    // Errors stay.
    let output = generator(&["--spec", "no/such.yaml", "--out", "x", "--quiet"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: "));
}

#[test]
fn labels_are_coloured_as_color_and_no_color_say() {
    let bad = ["--spec", "no/such.yaml", "--out", "x"];
    let red = "\x1b[1;31merror\x1b[0m";
    let run = |color: &str, env: &[(&str, &str)]| {
        let mut args = bad.to_vec();
        args.extend(["--color", color]);
        let output = generator_in(&workspace(), &args, env);
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(run("always", &[]).starts_with(red));
    // The flag overrides NO_COLOR; without it, NO_COLOR (or a stderr that is no terminal, as
    // here) means plain text.
    assert!(run("always", &[("NO_COLOR", "1")]).starts_with(red));
    assert!(run("never", &[]).starts_with("error: "));
    assert!(run("auto", &[]).starts_with("error: "));
    assert!(run("auto", &[("NO_COLOR", "1")]).starts_with("error: "));
    // Warnings too.
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("tests/error-fixtures/warnings/openapi.yaml");
    let out = temp.path().join("out");
    let mut args = spec_and_out(&spec, &out).to_vec();
    args.extend(["--color", "always"]);
    let stderr = String::from_utf8_lossy(&generator(&args).stderr).into_owned();
    assert!(stderr.starts_with("\x1b[1;33mwarning\x1b[0m"), "{stderr}");
    assert_eq!(generator(&["--color", "sometimes"]).status.code(), Some(2));
}

#[test]
fn check_diff_prints_a_unified_diff_of_what_would_change() {
    let temp = tempfile::tempdir().unwrap();
    let (out, edited) = an_edited_client(temp.path());
    let spec = workspace().join("spec/openapi.yaml");
    let output = generator(&[&spec_and_out(&spec, &out)[..], &["--check", "--diff"]].concat());
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("--- a/src/errors.rs\n+++ b/src/errors.rs\n@@ ")
            && stdout.contains("\n-//! edited by hand\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--- /dev/null\n+++ b/README.md\n"),
        "{stdout}"
    );
    // Only what differs: no other file's header.
    assert_eq!(stdout.matches("\n+++ ").count(), 2, "{stdout}");
    assert_eq!(
        std::fs::read_to_string(out.join("src/errors.rs")).unwrap(),
        edited
    );
    // Without --check there is nothing to diff: a usage error.
    assert_eq!(generator(&["--diff"]).status.code(), Some(2));
    // Up to date: no diff.
    let output = generator(&["--check", "--diff"]);
    assert!(output.status.success() && output.stdout.is_empty());
}

#[test]
fn help_describes_the_tool_not_one_api() {
    let output = generator(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for about in ["OpenAPI 3.0", "--quiet", "--color", "--diff", "Exit status"] {
        assert!(help.contains(about), "no {about}:\n{help}");
    }
    for specific in ["Service Desk", "ISC"] {
        assert!(!help.contains(specific), "{specific}:\n{help}");
    }
    // SailPoint is named only by the option that is about its specs (`--sailpoint`).
    let about = help.split("Options:").next().unwrap();
    assert!(!about.contains("SailPoint"), "{about}");
}

#[test]
fn counts_have_plurals_not_parentheses() {
    let temp = tempfile::tempdir().unwrap();
    let spec = workspace().join("tests/fixtures/minimal/openapi.yaml");
    let out = temp.path().join("out");
    let output = generator(&spec_and_out(&spec, &out));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("(s)"), "{stderr}");
    assert!(
        stderr.contains("1 operation generated") && stderr.contains("; 0 warnings"),
        "{stderr}"
    );
}

#[test]
fn defaults_come_from_the_checkout_the_current_directory_is_in() {
    // From a subdirectory of the workspace: its spec/ and generated-client/, named relative to
    // where the command runs.
    let output = generator_in(&workspace().join("spec"), &["--check"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.starts_with("../generated-client is up to date"),
        "{stderr}"
    );
    // Anywhere else there are none (not the checkout the binary was built in): a usage error.
    let temp = tempfile::tempdir().unwrap();
    for args in [&[][..], &["--check"], &["--spec", "openapi.yaml"]] {
        let output = generator_in(temp.path(), args, &[]);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--spec and --out are required"), "{stderr}");
        assert!(std::fs::read_dir(temp.path()).unwrap().next().is_none());
    }
}

#[test]
fn sailpoint_is_detected_or_forced_and_the_header_names_the_choice() {
    let temp = tempfile::tempdir().unwrap();
    let help = String::from_utf8_lossy(&generator(&["--help"]).stdout).into_owned();
    assert!(
        help.contains("--sailpoint") && help.contains("x-sailpoint-"),
        "{help}"
    );
    // The service-desk spec is SailPoint's by its servers and extensions; `no` overrides that.
    let spec = workspace().join("spec/openapi.yaml");
    let out = temp.path().join("plain");
    let args = spec_and_out(&spec, &out);
    assert!(generator(&[&args[..], &["--sailpoint", "no"]].concat())
        .status
        .success());
    assert!(!out.join("src/sailpoint.rs").exists());
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("--sailpoint no") && !lib.contains("API_PATH"),
        "{lib}"
    );
    // A plain spec forced to be SailPoint's gets the module.
    let spec = workspace().join("tests/fixtures/auth-basic/openapi.yaml");
    let out = temp.path().join("forced");
    let args = spec_and_out(&spec, &out);
    assert!(generator(&[&args[..], &["--sailpoint", "yes"]].concat())
        .status
        .success());
    assert!(out.join("src/sailpoint.rs").exists());
    assert_eq!(generator(&["--sailpoint", "maybe"]).status.code(), Some(2));
}
