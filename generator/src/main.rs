//! `cargo run -p generator`: regenerates generated-client/ from spec/. The logic is in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Generates a typed Rust client crate from an OpenAPI 3.0 description.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The spec's root document (YAML or JSON); other files are found through its `$ref`s.
    /// [default: the workspace's spec/openapi.yaml]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate directory to write. [default: the workspace's generated-client/]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 and name each file that would change.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The defaults are the workspace's own, so `cargo run -p generator` works from any directory.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."));
    let spec = cli
        .spec
        .clone()
        .unwrap_or_else(|| workspace.join("spec/openapi.yaml"));
    let out = cli
        .out
        .clone()
        .unwrap_or_else(|| workspace.join("generated-client"));
    let mut settings = generator::Settings::new(&spec, &out);
    if cli.spec.is_some() || cli.out.is_some() {
        settings.command = format!(
            "{} -- --spec {} --out {}",
            generator::DEFAULT_COMMAND,
            spec.display(),
            out.display()
        );
    }
    let output = match generator::generate(&settings) {
        Ok(output) => output,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(1);
        }
    };
    for warning in &output.warnings {
        eprintln!("warning: {warning}");
    }
    let report = match generator::write(&out, &output, cli.check) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(1);
        }
    };
    let summary = format!(
        "{} operations, {} types, {} files ({} unchanged); {} warning(s)",
        output.operations,
        output.types,
        output.files.len(),
        report.unchanged,
        output.warnings.len()
    );
    if cli.check {
        for (label, paths) in [
            ("added", &report.added),
            ("changed", &report.changed),
            ("removed", &report.removed),
        ] {
            for path in paths {
                println!("would be {label}: {}", path.display());
            }
        }
        if report.is_clean() {
            eprintln!("{} is up to date: {summary}", out.display());
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "{} is out of date; run `{}` to regenerate",
                out.display(),
                settings.command
            );
            ExitCode::from(1)
        }
    } else {
        let written = report.added.len() + report.changed.len();
        eprintln!(
            "wrote {written} file(s), removed {} in {}: {summary}",
            report.removed.len(),
            out.display()
        );
        ExitCode::SUCCESS
    }
}
