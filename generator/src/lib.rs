//! Generates a typed Rust client crate from an OpenAPI 3.0 description.
//!
//! The pipeline, one module per step:
//! [`load`] (files -> documents) -> [`resolve`] (multi-file `$ref`s -> one document) ->
//! [`shape`] and [`lint`] (every shape error at once; warnings) -> `openapiv3` parsing ->
//! [`ir`] (types and operations) -> [`emit`] (token streams) -> formatting (prettyplease) and
//! [`render`] (templates) -> [`mod@write`] (all or nothing, write-if-changed).
//!
//! Each phase collects all of its problems and the run stops after the first phase that found
//! any; references that cannot be followed do not stop the shape checks, so both are
//! reported in one run. Defects confined to one operation or schema do not stop it: they are
//! repaired or the unit is left out, with a warning ([`repair`]; `--strict` refuses them). Every problem is a [`Diagnostic`] that names the file the user wrote, the JSON pointer in
//! it and, where the file can be read, the line and column: later phases only see the bundled
//! document, and [`diagnostics::location::SourceMap`] takes their pointers back to the files.
#![warn(missing_docs)]

pub mod diagnostics;
pub mod emit;
pub mod error;
#[doc(hidden)]
pub mod fault;
pub mod ir;
mod leave_out;
pub mod lint;
pub mod load;
pub mod naming;
pub mod openapi30;
pub mod render;
pub mod repair;
pub mod resolve;
pub mod runtime_files;
pub mod shape;
pub mod surface;
mod unused;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::{Diagnostic, Error};
pub use write::WriteReport;

/// The command that regenerates the checked-in client, as written into every file's header.
pub const DEFAULT_COMMAND: &str = "cargo run -p generator";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The root document of the spec.
    pub spec: PathBuf,
    /// The generated crate's package name; its library name is the same with `-` as `_`. Two
    /// crates generated under different names can be dependencies of one program.
    pub crate_name: String,
    /// The command named in each file's `@generated` header.
    pub command: String,
    /// Let `$ref`s read files outside the root document's directory (off: a spec must not make
    /// the generator read arbitrary files).
    pub allow_outside_root: bool,
    /// The largest spec file read, in bytes.
    pub max_file_size: u64,
    /// The generated crate's version (`Cargo.toml`); see [`existing_version`].
    pub crate_version: String,
    /// Refuse the spec (an error naming each) where a defect would be repaired or a unit left
    /// out (see [`repair`]); for CI that wants no defect to pass.
    pub strict: bool,
    /// The generated crate's `license` (an SPDX expression).
    pub license: String,
    /// The generated crate's `repository`, if any.
    pub repository: Option<String>,
    /// Whether the spec is SailPoint's (its configuration, experimental header and wording in
    /// the runtime): `None` detects it from the spec (see [`ir::vendor`]), `Some` forces it.
    pub sailpoint: Option<bool>,
}

/// The version in the `Cargo.toml` of the crate in `out`, if it has one: regenerating keeps it,
/// and the CLI's `--crate-version auto` bumps it.
pub fn existing_version(out: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok()?;
    let line = manifest.lines().find(|l| l.starts_with("version = \""))?;
    Some(
        line.trim_start_matches("version = \"")
            .trim_end_matches('"')
            .to_string(),
    )
}

impl Settings {
    /// Settings for `spec`, naming the crate after the output directory and keeping the version
    /// of the crate already there (0.1.0 for a new one).
    pub fn new(spec: impl Into<PathBuf>, out: &Path) -> Self {
        let crate_name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != "..")
            .unwrap_or_else(|| "generated-client".into());
        Settings {
            spec: spec.into(),
            crate_name,
            command: DEFAULT_COMMAND.into(),
            allow_outside_root: false,
            max_file_size: load::DEFAULT_MAX_FILE_SIZE,
            crate_version: existing_version(out).unwrap_or_else(|| "0.1.0".into()),
            strict: false,
            license: "MIT".into(),
            repository: None,
            sailpoint: None,
        }
    }
}

/// The generated crate, in memory.
#[derive(Debug)]
pub struct Output {
    /// Relative path -> contents.
    pub files: BTreeMap<String, String>,
    /// Accepted with a compromise or ignored; worth reading. Each is reported once: its message,
    /// then where it is (` --> file:line:column at #/pointer`) and any help, as
    /// [`Diagnostic::body`] renders them.
    pub warnings: Vec<String>,
    /// Defects repaired and units left out (see [`repair`]), each also among the warnings.
    pub repairs: Vec<repair::Repair>,
    /// How many operations and schemas were repaired and left out.
    pub counts: repair::Counts,
    /// Number of operations generated.
    pub operations: usize,
    /// Number of named types.
    pub types: usize,
    /// The intermediate representation the files were emitted from, for tools and tests that
    /// want to know what was generated without parsing Rust.
    pub api: ir::Api,
}

/// The stack the pipeline runs on. Parsing (openapiv3's flattened, untagged schemas) and lowering
/// recurse once per level of an inline schema, and the parsers allow 128 levels: a debug build
/// needs about 4 MiB for the deepest spec they accept, more than a test thread's 2 MiB. The
/// memory is reserved, not used, until a spec nests that deep.
const PIPELINE_STACK: usize = 64 * 1024 * 1024;

/// Runs the pipeline up to, not including, writing. Reads only the spec's files. Runs on a thread
/// of its own with a large stack (64 MiB, see `PIPELINE_STACK`), so the caller's stack size does not
/// matter; a panic (a bug) is passed on to the caller as it is.
pub fn generate(settings: &Settings) -> Result<Output, Error> {
    std::thread::scope(|scope| {
        let pipeline = std::thread::Builder::new()
            .name("generator".into())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || generate_here(settings));
        match pipeline {
            Ok(pipeline) => pipeline
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: run here, on whatever stack the caller has.
            Err(_) => generate_here(settings),
        }
    })
}

fn generate_here(settings: &Settings) -> Result<Output, Error> {
    if let Some(reason) = naming::crate_name_problem(&settings.crate_name) {
        return Err(Error::CrateName {
            name: settings.crate_name.clone(),
            reason,
        });
    }
    let root_file = diagnostics::location::absolute(&settings.spec);
    let mut present = diagnostics::Present {
        sources: None,
        root_dir: root_file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        shown_dir: settings
            .spec
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        max_file_size: settings.max_file_size,
    };
    let options = resolve::Options {
        allow_outside_root: settings.allow_outside_root,
        max_file_size: settings.max_file_size,
    };
    let mut bundle = resolve::bundle_lenient(&settings.spec, &options)
        .map_err(|err| present.error(err, false))?;
    present.sources = Some(bundle.sources.clone());
    if !bundle.errors.is_empty() {
        // References that cannot be followed, and in the same run every shape error that would
        // stop the next one, except where a reference was left unresolved (its object is not
        // what it stands for).
        let mut errors = present.all(std::mem::take(&mut bundle.errors), false);
        let findings = shape::check(&bundle.document, &root_file);
        let sources = &bundle.sources;
        let shape_errors = leave_out::refusals(&bundle.document, &findings, settings.strict)
            .into_iter()
            .filter(|error| {
                let origin = error.pointer.as_deref().and_then(|p| sources.origin_of(p));
                !origin.is_some_and(|(file, pointer)| {
                    bundle
                        .unresolved
                        .iter()
                        .any(|(f, p)| *f == file && diagnostics::location::within(&pointer, p))
                })
            })
            .collect();
        errors.extend(present.all(shape_errors, true));
        return Err(Error::Spec(errors));
    }

    // The shape checks come first, and openapiv3's parse only runs on a document that passed
    // them. Not side by side (which saved their 11 ms): openapiv3 reads schemas through untagged
    // enums, which on a failure retry each alternative, so a parse that fails deep inside nested
    // `oneOf`s takes time exponential in their depth (a 35-level nest with a bad leaf ran for
    // hours), and a scoped parse cannot be abandoned once the shape errors are known. Shape
    // errors confined to one unit leave the unit out of the parsed document (see `leave_out`);
    // others (or any, with --strict) are what the user sees.
    let findings = shape::check(&bundle.document, &root_file);
    let parsed = leave_out::parse(&bundle.document, &findings, &root_file, settings.strict)
        .map_err(|errors| present.error(Error::Spec(errors), true))?;
    let (openapi, ignored) = (parsed.openapi, parsed.ignored);
    let origins: BTreeMap<String, String> = bundle
        .origins
        .iter()
        .map(|(name, origin)| {
            let file = origin.file.to_string_lossy().replace('\\', "/");
            let text = if origin.pointer.is_empty() {
                file
            } else {
                format!("{file}#{}", origin.pointer)
            };
            (name.clone(), text)
        })
        .collect();
    let sailpoint = settings
        .sailpoint
        .unwrap_or_else(|| ir::vendor::is_sailpoint(&openapi));
    // Locating the warnings reads their files again: that goes on beside lowering.
    let (warnings_so_far, api) = side_by_side(
        "generator-warnings",
        || -> Vec<String> {
            let mut lists = [
                (bundle.warnings.clone(), false),
                (findings.warnings.clone(), true),
                (ignored.clone(), true),
            ];
            let mut slices: Vec<(&mut [Diagnostic], bool)> = lists
                .iter_mut()
                .map(|(items, bundled)| (items.as_mut_slice(), *bundled))
                .collect();
            present.each_of(&mut slices);
            lists
                .into_iter()
                .flat_map(|(items, _)| diagnostics::location::dedup(items))
                .map(|w| w.body())
                .collect()
        },
        || ir::lower_api(&openapi, &origins, &root_file, sailpoint),
    );
    let mut api = api.map_err(|err| present.error(err, true))?;
    let (auth, mut auth_warnings) =
        ir::security::lower(&openapi, &api.base_url, sailpoint, &root_file);
    api.auth = auth;
    present.each(&mut auth_warnings, true);
    let mut repairs: Vec<repair::Repair> = (findings.repairs.iter().cloned())
        .chain(parsed.left_out)
        .chain(std::mem::take(&mut api.repairs))
        .collect();
    let mut diagnostics: Vec<Diagnostic> = repairs
        .iter_mut()
        .map(|r| std::mem::replace(&mut r.diagnostic, Diagnostic::in_file(Path::new(""), "")))
        .collect();
    present.each(&mut diagnostics, true);
    for (repair, mut diagnostic) in repairs.iter_mut().zip(diagnostics) {
        repair::at_file_start(&mut diagnostic);
        repair.diagnostic = diagnostic;
    }
    // A file inlined at several places is checked once per place; its defect is reported once.
    let mut seen = std::collections::BTreeSet::new();
    let repairs: Vec<repair::Repair> = repairs
        .into_iter()
        .filter(|r| {
            let d = &r.diagnostic;
            seen.insert((d.file.clone(), d.pointer.clone(), d.message.clone()))
        })
        .collect();
    if settings.strict && !repairs.is_empty() {
        return Err(Error::Spec(
            repairs.iter().map(repair::Repair::refusal).collect(),
        ));
    }
    let mut warnings: Vec<String> = repairs.iter().map(repair::Repair::warning).collect();
    let mut seen = std::collections::BTreeSet::new();
    warnings.extend(
        warnings_so_far
            .into_iter()
            .filter(|w| seen.insert(w.clone())),
    );
    warnings.extend(api.warnings.iter().cloned());
    warnings.extend(auth_warnings.iter().map(Diagnostic::body));
    api.repairs = repairs.clone();

    let header = format!(
        "// @generated by `{}`. Do not edit by hand: edit the spec or templates/ and regenerate.",
        settings.command
    );
    let mut context = render::Context::new(&api, &settings.crate_name, &settings.command);
    context.crate_version = settings.crate_version.clone();
    context.license = settings.license.clone();
    context.repository = settings.repository.clone();
    // The doc examples name the crate, which the emitted code otherwise never does.
    let mut files: BTreeMap<String, String> = emit::format::format_files(&api, &header)?
        .into_iter()
        .map(|(path, text)| match text.contains(emit::CRATE_IN_DOCS) {
            true => (path, text.replace(emit::CRATE_IN_DOCS, &context.lib_name)),
            false => (path, text),
        })
        .collect();
    for (path, text) in render::render_all(&context, &header)? {
        files.insert(path, text);
    }
    files.extend(runtime_files::copies(
        &context.lib_name,
        api.sailpoint,
        &settings.command,
    ));
    files.insert(surface::FILE.into(), surface::listing(&api));
    Ok(Output {
        files,
        warnings,
        counts: repair::Counts::of(&repairs),
        repairs,
        operations: api.operations.len(),
        types: api.types.len(),
        api,
    })
}

impl Output {
    /// The API listing (see [`surface`]).
    pub fn surface(&self) -> &str {
        self.files.get(surface::FILE).map_or("", String::as_str)
    }

    /// Sets the version in the generated `Cargo.toml` (its first `version = "..."` line, which
    /// the template writes in `[package]`).
    pub fn set_crate_version(&mut self, version: &str) {
        if let Some(manifest) = self.files.get_mut("Cargo.toml") {
            *manifest = manifest
                .lines()
                .scan(false, |done, line| {
                    Some(if !*done && line.starts_with("version = \"") {
                        *done = true;
                        format!("version = \"{version}\"\n")
                    } else {
                        format!("{line}\n")
                    })
                })
                .collect();
        }
    }
}

/// Runs `beside` on a thread of its own (with the pipeline's stack) while `here` runs on this
/// one, and gives both results; a panic over there is resumed here. Without a thread to be had,
/// `beside` runs here after `here`.
fn side_by_side<A: Send, B>(
    name: &str,
    beside: impl Fn() -> A + Sync,
    here: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .name(name.into())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, &beside);
        let b = here();
        let a = match other {
            Ok(other) => other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => beside(),
        };
        (a, b)
    })
}

/// Writes `output` into `out` (only what changed), or with `check` only compares.
pub fn write(out: &Path, output: &Output, check: bool) -> Result<WriteReport, Error> {
    write::write_output(out, &output.files, check)
}
