//! SailPoint's v2025 and beta APIs as they are published (../shared/upstream/isc-v2025-beta,
//! 2,913 files, read in place), defects included: path parameters the template lacks, template
//! variables no parameter declares, an enum value listed twice. Every operation is generated,
//! each defect repaired with a warning, and both crates check with every feature on and warnings
//! denied; `--strict` refuses both specs, naming each defect.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use workspace_tests::{check_crates_with, generate_into, workspace};

fn upstream(version: &str) -> PathBuf {
    let root = workspace().join(format!(
        "../shared/upstream/isc-v2025-beta/idn/sailpoint-api.{version}.yaml"
    ));
    assert!(
        root.exists(),
        "the upstream corpus is expected at {}",
        root.display()
    );
    root
}

/// The defect classes each version has, as the refusals word them.
fn classes(version: &str) -> &'static [&'static str] {
    match version {
        "v2025" => &[
            "is ignored: the path",
            "declares no path parameter",
            "(matched by position)",
            "more than once: each value is one variant",
        ],
        _ => &["is ignored: the path"],
    }
}

/// The published versions and how many operations each has.
const VERSIONS: [(&str, usize); 2] = [("v2025", 812), ("beta", 559)];

/// Generating is the slow part: each spec is generated once, leniently (written and checked)
/// and with `--strict` (refused, which stops before emitting).
#[test]
fn v2025_and_beta_generate_every_operation_check_warning_free_and_strict_refuses_them() {
    let temp = tempfile::tempdir().unwrap();
    let mut members = Vec::new();
    for (version, operations) in VERSIONS {
        let name = format!("isc-{version}");
        let output = generate_into(&upstream(version), &temp.path().join(&name));
        let counts = output.counts;
        println!(
            "{version}: {} operations generated ({} repaired, {} left out), {} types ({} schemas repaired, {} left out), {} warnings",
            output.operations,
            counts.operations_repaired,
            counts.operations_left_out,
            output.types,
            counts.schemas_repaired,
            counts.schemas_left_out,
            output.warnings.len()
        );
        assert_eq!(
            output.operations, operations,
            "every operation of {version}"
        );
        assert_eq!(counts.operations_left_out, 0, "{version}: nothing left out");
        assert_eq!(counts.schemas_left_out, 0, "{version}: nothing left out");
        assert!(
            counts.operations_repaired > 0,
            "{version} has known defects"
        );
        // Every repair is a located warning.
        for repair in &output.repairs {
            let d = &repair.diagnostic;
            assert!(
                d.pointer.is_some() && d.line_column.is_some(),
                "{version}: {}",
                d.body()
            );
        }
        strict_refuses(version, &output);
        members.push(name);
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    check_crates_with(temp.path(), &members, &["--all-features"]);
}

/// `--strict` refuses `version`, with one error per defect that `lenient` repaired.
fn strict_refuses(version: &str, lenient: &generator::Output) {
    let mut settings = generator::Settings::new(upstream(version), Path::new("client"));
    settings.strict = true;
    let Err(generator::Error::Spec(errors)) = generator::generate(&settings) else {
        panic!("--strict accepted {version}");
    };
    let defect = |file: &Path, pointer: &Option<String>, message: &str| {
        (file.to_path_buf(), pointer.clone(), message.to_string())
    };
    let refused: BTreeSet<_> = errors
        .iter()
        .map(|e| defect(&e.file, &e.pointer, &e.message))
        .collect();
    let repaired: BTreeSet<_> = lenient
        .repairs
        .iter()
        .map(|r| {
            let d = r.refusal();
            defect(&d.file, &d.pointer, &d.message)
        })
        .collect();
    assert_eq!(refused, repaired, "{version}: one error per defect");
    assert_eq!(errors.len(), lenient.repairs.len(), "{version}");
    let text = generator::Error::Spec(errors).to_string();
    for class in classes(version) {
        assert!(text.contains(class), "{version}: no `{class}` in\n{text}");
    }
    assert!(text.ends_with("nothing was written"), "{version}");
}
