//! The generator's command line. Inside a checkout of this workspace, `cargo run -p generator`
//! regenerates generated-client/ from spec/; anywhere else `--spec` and `--out` say what to read
//! and write. The logic is in the library; what the terminal shows is in `terminal`.

mod terminal;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use terminal::{plural, ColorChoice, Reporter};

/// Generating is mostly building, parsing and printing token streams: many small allocations,
/// which mimalloc serves markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates a typed Rust client crate (and an axum server side behind its `server` feature) from
/// an OpenAPI 3.0 description.
#[derive(Debug, Parser)]
#[command(
    version,
    about = "Generates a typed Rust client crate from an OpenAPI 3.0 description",
    long_about = "Generates a typed Rust client crate (and an axum server side behind its `server` feature) \
from an OpenAPI 3.0 description: one YAML or JSON file, or many joined by relative `$ref`s.\n\n\
Defects that other tools accept are repaired or the smallest unit is left out, each with a warning \
naming file:line:column and JSON pointer (`--strict` refuses them). Files are written only when \
their contents change, all or nothing; `--check` compares instead of writing.",
    after_help = "Run inside a checkout of the generator's workspace, --spec and --out default to its \
spec/openapi.yaml and generated-client/; elsewhere both are required.\n\
Exit status: 0 done (or up to date with --check), 1 a bad spec, an output that cannot be written \
or (with --check) an out-of-date one, 2 bad command-line use, 130 interrupted."
)]
struct Cli {
    /// The spec's root document (YAML or JSON); other files are found through its `$ref`s.
    /// [default: spec/openapi.yaml of the workspace checkout the current directory is in;
    /// required elsewhere]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate directory to write. [default: generated-client/ of the workspace checkout the
    /// current directory is in; required elsewhere]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The generated crate's package name (its library name is the same with `-` as `_`), so
    /// that crates generated from several specs can be used by one program.
    /// [default: the output directory's name]
    #[arg(long, value_parser = crate_name)]
    crate_name: Option<String>,
    /// Write nothing; exit 1 and name each file that would change (on stdout).
    #[arg(long)]
    check: bool,
    /// With --check: also print a unified diff of each file that would change (on stdout, from
    /// what the output directory holds to what would be written).
    #[arg(long, requires = "check")]
    diff: bool,
    /// Print only errors and warnings (and --check's findings): no summary, no API change report.
    #[arg(long, short)]
    quiet: bool,
    /// Colour the `error:` and `warning:` labels: `auto` when stderr is a terminal and
    /// `NO_COLOR` is unset or empty.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Let `$ref`s read files outside the root document's directory. Off by default, so that a
    /// spec cannot make the generator read arbitrary files; use it only for specs you trust.
    #[arg(long)]
    allow_outside_root: bool,
    /// Refuse the spec where it has a defect that would otherwise be repaired or a unit left out
    /// (each is named as an error); exit 1 and write nothing. For CI that wants no defect to pass.
    #[arg(long)]
    strict: bool,
    /// The largest spec file read, in MiB.
    #[arg(long, value_name = "MiB", default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_file_size: u64,
    /// The generated crate's version: `X.Y.Z`, or `auto` for the version in --out's Cargo.toml
    /// bumped as the API change report implies (Cargo's rules: a breaking change bumps the major
    /// part, from 0.y.z the minor one; a compatible one the minor part, from 0.y.z the patch
    /// one). Without it, the version in --out is kept (0.1.0 for a new crate).
    #[arg(long, value_name = "X.Y.Z|auto", value_parser = crate_version)]
    crate_version: Option<String>,
    /// The generated crate's `license` in its Cargo.toml (an SPDX expression). [default: MIT]
    #[arg(long, value_name = "SPDX", value_parser = manifest_text)]
    license: Option<String>,
    /// The generated crate's `repository` in its Cargo.toml (a URL). [default: none]
    #[arg(long, value_name = "URL", value_parser = manifest_text)]
    repository: Option<String>,
    /// Whether the spec is SailPoint's, which gives the client SailPoint's configuration
    /// (`Client::from_env`: SAIL_* variables, ./config.json, ~/.sailpoint/config.yaml), the
    /// opt-in and `X-SailPoint-Experimental` header of operations marked
    /// `x-sailpoint-experimental`, and SailPoint's wording. `auto` knows it by an `x-sailpoint-*`
    /// extension (on the document, its info or an operation) or a server on `*.identitynow.com`
    /// or `*.sailpoint.com`.
    #[arg(long, value_enum, default_value_t = Sailpoint::Auto)]
    sailpoint: Sailpoint,
}

/// `--sailpoint`: detect, or force either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Sailpoint {
    /// Detect it from the spec.
    Auto,
    /// The spec is SailPoint's, whatever it says.
    Yes,
    /// The spec is not SailPoint's, whatever it says.
    No,
}

/// A value written as it is into a TOML string of the generated Cargo.toml (and quoted in the
/// headers' command): no quote, backslash or control character can break out of it (a usage
/// error, exit 2).
fn manifest_text(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    match value
        .chars()
        .find(|c| *c == '"' || *c == '\'' || *c == '\\' || c.is_control())
    {
        Some(c) => Err(format!("{c:?} cannot stand in a Cargo.toml string here")),
        None => Ok(value.to_string()),
    }
}

fn crate_version(value: &str) -> Result<String, String> {
    let plain = generator::surface::report::Bump::None.apply(value);
    if value == "auto" || plain.as_deref() == Some(value) {
        Ok(value.to_string())
    } else {
        Err("expected `auto` or a version `X.Y.Z`".into())
    }
}

/// Exit status for a bad spec (and for output that cannot be written); clap exits 2 for bad
/// command-line use.
const BAD_SPEC: u8 = 1;
/// Exit status after Ctrl-C, as shells report a process ended by SIGINT.
const INTERRUPTED: u8 = 130;

/// The checkout of this workspace the defaults point into: the nearest of the current directory
/// and its ancestors that holds `spec/openapi.yaml` and `generator/Cargo.toml`, as a path relative
/// to the current directory (empty for the current directory itself, then `..`, `../..`, ...).
/// Never the directory the binary was built in: an installed binary run elsewhere has no defaults.
fn workspace() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    let mut relative = PathBuf::new();
    for dir in current.ancestors() {
        if dir.join("spec/openapi.yaml").is_file() && dir.join("generator/Cargo.toml").is_file() {
            return Some(relative);
        }
        relative.push("..");
    }
    None
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let reporter = Reporter::new(cli.color, cli.quiet);
    // Ctrl-C only sets a flag: a write stops before swapping anything in, or finishes its swap.
    // Without a handler (it can fail where signals are unavailable) Ctrl-C kills the process as
    // usual, and the next run repairs whatever a kill mid-swap left.
    let _ = ctrlc::set_handler(generator::write::interrupt);
    let label = reporter.error_label();
    std::panic::set_hook(Box::new(move |info| {
        eprintln!(
            "{label} internal error: the generator crashed ({info})\n  = help: this is a bug in the generator, not in the spec; please report it with the spec that caused it. The output directory is as it was (or the next run repairs it)."
        );
    }));
    // The CLI tests' hook for proving that a panic in any thread pool ends the run (fault.rs).
    match std::env::var("GENERATOR_TEST_PANIC").ok().as_deref() {
        Some("load") => generator::fault::inject_panic(generator::fault::Pool::Load),
        Some("format") => generator::fault::inject_panic(generator::fault::Pool::Format),
        _ => {}
    }
    // The defaults are those of the workspace checkout the current directory is in, so that
    // `cargo run -p generator` works from any directory of it; elsewhere there are none.
    let workspace = match (&cli.spec, &cli.out) {
        (Some(_), Some(_)) => None,
        _ => match workspace() {
            Some(workspace) => Some(workspace),
            None => Cli::command()
                .error(
                    clap::error::ErrorKind::MissingRequiredArgument,
                    "--spec and --out are required outside a checkout of the generator's workspace \
                     (no spec/openapi.yaml and generator/Cargo.toml in the current directory or above)",
                )
                .exit(),
        },
    };
    let spec = cli
        .spec
        .clone()
        .or_else(|| workspace.as_ref().map(|w| w.join("spec/openapi.yaml")))
        .unwrap_or_default();
    let out = cli
        .out
        .clone()
        .or_else(|| workspace.as_ref().map(|w| w.join("generated-client")))
        .unwrap_or_default();
    let mut settings = generator::Settings::new(&spec, &out);
    settings.allow_outside_root = cli.allow_outside_root;
    settings.strict = cli.strict;
    settings.max_file_size = cli.max_file_size * 1024 * 1024;
    if let Some(version) = cli.crate_version.as_ref().filter(|v| *v != "auto") {
        settings.crate_version = version.clone();
    }
    if let Some(name) = &cli.crate_name {
        settings.crate_name = name.clone();
    }
    if let Some(license) = &cli.license {
        settings.license = license.clone();
    }
    settings.repository = cli.repository.clone();
    settings.sailpoint = match cli.sailpoint {
        Sailpoint::Auto => None,
        Sailpoint::Yes => Some(true),
        Sailpoint::No => Some(false),
    };
    if cli.spec.is_some() || cli.out.is_some() {
        settings.command = format!(
            "{} -- --spec {} --out {}",
            generator::DEFAULT_COMMAND,
            spec.display(),
            out.display()
        );
    }
    // The flags that change what is read belong in the command the headers name.
    if cli.allow_outside_root {
        settings.command.push_str(" --allow-outside-root");
    }
    if let Some(name) = &cli.crate_name {
        settings.command.push_str(&format!(" --crate-name {name}"));
    }
    if let Some(forced) = settings.sailpoint {
        let value = if forced { "yes" } else { "no" };
        settings.command.push_str(&format!(" --sailpoint {value}"));
    }
    // The manifest's metadata too, so the header's command regenerates the same Cargo.toml.
    if let Some(license) = &cli.license {
        settings
            .command
            .push_str(&format!(" --license '{license}'"));
    }
    if let Some(repository) = &cli.repository {
        settings
            .command
            .push_str(&format!(" --repository {repository}"));
    }
    // `--crate-version` stays out: the version is read back from the Cargo.toml being replaced
    // (`Settings::new`), so the header's command keeps it without the flag, and naming a fixed
    // version there would undo the next `--crate-version auto` bump.
    if cli.max_file_size != 32 {
        settings
            .command
            .push_str(&format!(" --max-file-size {}", cli.max_file_size));
    }
    let mut output = match generator::generate(&settings) {
        Ok(output) => output,
        Err(err) => {
            reporter.error(&err.to_string());
            return ExitCode::from(BAD_SPEC);
        }
    };
    for warning in &output.warnings {
        reporter.warning(warning);
    }
    if let Err(message) = report_api_changes(
        &out,
        &mut output,
        &settings,
        cli.crate_version.as_deref(),
        &reporter,
    ) {
        reporter.error(&message);
        return ExitCode::from(BAD_SPEC);
    }
    if generator::write::interrupted() {
        reporter.error(&format!(
            "interrupted; {} was left as it was",
            out.display()
        ));
        return ExitCode::from(INTERRUPTED);
    }
    let report = match generator::write::write_output_with(
        &out,
        &output.files,
        cli.check,
        &test_pause,
        &generator::write::interrupted,
    ) {
        Ok(report) => report,
        Err(err @ generator::Error::Interrupted { .. }) => {
            reporter.error(&err.to_string());
            return ExitCode::from(INTERRUPTED);
        }
        Err(err) => {
            reporter.error(&err.to_string());
            return ExitCode::from(BAD_SPEC);
        }
    };
    let summary = summary(&output, report.unchanged);
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
        if cli.diff {
            print_diffs(&out, &output, &report);
        }
        if report.is_clean() {
            reporter.note(&format!("{} is up to date: {summary}", out.display()));
            ExitCode::SUCCESS
        } else {
            reporter.error(&format!(
                "{} is out of date; run `{}` to regenerate",
                out.display(),
                settings.command
            ));
            ExitCode::from(1)
        }
    } else {
        let written = report.added.len() + report.changed.len();
        reporter.note(&format!(
            "wrote {}, removed {} in {}: {summary}",
            plural(written, "file", "files"),
            report.removed.len(),
            out.display()
        ));
        ExitCode::SUCCESS
    }
}

/// The summary line: what was generated, repaired and left out, how many files were
/// `unchanged`, and how many warnings there were.
fn summary(output: &generator::Output, unchanged: usize) -> String {
    let counts = output.counts;
    let mut summary = format!(
        "{} generated ({} repaired, {} left out), {}",
        plural(output.operations, "operation", "operations"),
        counts.operations_repaired,
        counts.operations_left_out,
        plural(output.types, "type", "types"),
    );
    if counts.schemas_repaired + counts.schemas_left_out > 0 {
        summary.push_str(&format!(
            " ({} repaired, {} left out)",
            plural(counts.schemas_repaired, "schema", "schemas"),
            counts.schemas_left_out
        ));
    }
    format!(
        "{summary}, {} ({} unchanged); {}",
        plural(output.files.len(), "file", "files"),
        unchanged,
        plural(output.warnings.len(), "warning", "warnings")
    )
}

/// `--check --diff`: the unified diff of each file that would be added, changed or removed, in
/// path order, on stdout.
fn print_diffs(out: &Path, output: &generator::Output, report: &generator::WriteReport) {
    let mut paths: Vec<&PathBuf> = (report.added.iter())
        .chain(&report.changed)
        .chain(&report.removed)
        .collect();
    paths.sort();
    for path in paths {
        let before = std::fs::read_to_string(path).unwrap_or_default();
        let relative = path.strip_prefix(out).unwrap_or(path);
        let key = relative.to_string_lossy().replace('\\', "/");
        let after = output.files.get(&key).map_or("", String::as_str);
        print!("{}", terminal::unified_diff(out, path, &before, after));
    }
}

/// Prints how the API changed against the listing already in `out` (nothing for a new crate or
/// an unchanged API), and applies the implied bump with `--crate-version auto`.
fn report_api_changes(
    out: &Path,
    output: &mut generator::Output,
    settings: &generator::Settings,
    flag: Option<&str>,
    reporter: &Reporter,
) -> Result<(), String> {
    let listing = out.join(generator::surface::FILE);
    let Ok(previous) = std::fs::read_to_string(&listing) else {
        return Ok(());
    };
    let report = generator::surface::report::compare(&previous, output.surface());
    let current = &settings.crate_version;
    let previous = generator::existing_version(out).unwrap_or_else(|| current.clone());
    let implied = report.bump().apply(&previous);
    let version = match (flag, &implied) {
        (Some("auto"), Some(bumped)) => {
            output.set_crate_version(bumped);
            format!("crate version {current} -> {bumped} (--crate-version auto)")
        }
        (Some("auto"), None) => {
            return Err(format!(
                "--crate-version auto: the version in {} is `{current}`, not X.Y.Z",
                out.join("Cargo.toml").display()
            ));
        }
        (Some(_), Some(bumped)) => format!(
            "crate version {current} (--crate-version); the changes imply {bumped} from {previous}"
        ),
        (_, Some(bumped)) if bumped != current => {
            format!("crate version stays {current}; `--crate-version auto` makes it {bumped}")
        }
        _ => format!("crate version {current}"),
    };
    if !report.changes.is_empty() && !reporter.quiet {
        println!(
            "API changes against {}:\n{report}; {version}",
            listing.display()
        );
    }
    Ok(())
}

/// Checks `--crate-name` as Cargo would, so a bad name is a usage error (exit 2).
fn crate_name(name: &str) -> Result<String, String> {
    match generator::naming::crate_name_problem(name) {
        None => Ok(name.to_string()),
        Some(reason) => Err(reason.to_string()),
    }
}

/// A hook for the CLI's own tests: with `GENERATOR_TEST_PAUSE=staged` (or `swapping`) the write
/// stops at that moment, creates the file named by `GENERATOR_TEST_PAUSE_MARKER`, and waits for
/// Ctrl-C, so a test can interrupt (or kill) the process at a known point. Unset, it does nothing.
fn test_pause(moment: generator::write::Moment) {
    if std::env::var("GENERATOR_TEST_PAUSE").ok().as_deref() != Some(moment.name()) {
        return;
    }
    if let Some(marker) = std::env::var_os("GENERATOR_TEST_PAUSE_MARKER") {
        let _ = std::fs::write(marker, moment.name());
    }
    while !generator::write::interrupted() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
