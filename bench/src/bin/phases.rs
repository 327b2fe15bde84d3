//! Where the generator's time goes: each phase of the pipeline on a spec (by default the whole
//! upstream V3 spec), timed in one process, with the peak memory after each. A profiling aid for
//! `generator_speed`, not a benchmark of its own.
//!
//! `cargo run --release -p bench --bin phases [-- path/to/openapi.yaml]`

use std::path::PathBuf;
use std::time::Instant;

/// The generator CLI's allocator (see generator/src/main.rs), so the phases add up to its time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let spec = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(bench::upstream_spec);
    let root = generator::diagnostics::location::absolute(&spec);
    let start = Instant::now();
    let mut last = start;
    let mut lap = |name: &str| {
        let now = Instant::now();
        println!(
            "{name:>22}: {:>7.1} ms   peak {}",
            (now - last).as_secs_f64() * 1e3,
            bench::mib(bench::own_peak_kib())
        );
        last = now;
    };
    let bundle = generator::resolve::bundle(&root, &Default::default()).expect("a valid spec");
    lap("load + resolve");
    let findings = generator::shape::check(&bundle.document, &root);
    lap("shape checks");
    let openapi: openapiv3::OpenAPI =
        serde_path_to_error::deserialize(&bundle.document).expect("OpenAPI 3.0");
    lap("openapiv3 parse");
    let sailpoint = generator::ir::vendor::is_sailpoint(&openapi);
    let api = generator::ir::operations::lower_api(&openapi, &Default::default(), &root, sailpoint)
        .expect("a spec that lowers");
    lap("lower to IR");
    let files =
        generator::emit::format::format_files(&api, "// @generated").expect("formatted files");
    lap("emit + format");
    let context = generator::render::Context::new(&api, "client", "cargo run -p generator");
    let rendered = generator::render::render_all(&context, "// @generated").expect("templates");
    lap("render templates");
    println!(
        "{:>22}: {:>7.1} ms   ({} files, {} bytes of Rust, {} shape warnings)",
        "total",
        start.elapsed().as_secs_f64() * 1e3,
        files.len() + rendered.len(),
        files.iter().map(|(_, text)| text.len()).sum::<usize>(),
        findings.warnings.len()
    );
    // Formatting takes each part through three stages on every core at once, so the stages are
    // timed apart by running all the parts up to each stage in turn: the differences are the
    // stages' shares. Run after the total, which they would otherwise inflate.
    use generator::emit::format::{format_files_until, Stage};
    let mut stage_ms = Vec::new();
    for stage in [
        Stage::Tokens,
        Stage::Parsed,
        Stage::Printed,
        Stage::Displayed,
    ] {
        let begun = Instant::now();
        format_files_until(&api, "// @generated", stage).expect("formatted files");
        stage_ms.push(begun.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{:>22}: {:.1} ms quote tokens + {:.1} ms syn parse + {:.1} ms prettyplease and docs",
        "emit + format again",
        stage_ms[0],
        stage_ms[1] - stage_ms[0],
        stage_ms[2] - stage_ms[1]
    );
    // What printing tokens costs at the least, with no formatting at all: a bound on what any
    // formatter that starts from token streams could save.
    println!(
        "{:>22}  tokens displayed unformatted instead: {:.1} ms in all",
        "", stage_ms[3]
    );
}
