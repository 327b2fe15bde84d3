//! Target 2, compile cost of the generated code: `cargo build` (debug, `CARGO_INCREMENTAL=0`,
//! dependencies prebuilt) of the whole-V3 crate with all features, with the default features
//! (every operation, no server) and with one tag's feature; of a program that awaits every V3
//! operation (an operation's code is compiled where it is awaited: what using all of them costs
//! on top of the crate, see [`write_every_operation`]); of generated-client; and, when
//! openapi-generator is installed, of its Rust client for the same spec with the three hand
//! fixes it needs before it compiles (see [`patch_openapi_generator`]), in the same run.
//!
//! For each build: one untimed build (dependencies, with the same features), then `--rounds`
//! times `cargo clean -p <crate>` and a timed build; medians of wall time and of peak memory
//! (the largest rustc, `ru_maxrss`). Everything lives in `target/compile-cost/`, so a second run
//! reuses the prebuilt dependencies.
//!
//! `cargo run --release -p bench --bin compile_cost [-- --rounds N]`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bench::builds::{copy_dir, time_build, workspace_of, Build};
use bench::{find_program, machine, mib, secs, workspace};

fn main() {
    let rounds = bench::rounds_arg(3);
    let generator = bench::generator_binary();
    let root = workspace().join("target/compile-cost");
    let spec = bench::upstream_spec();

    // The whole-V3 crate, named `client`, in a workspace of its own.
    let ours = root.join("ours");
    let _ = std::fs::remove_dir_all(ours.join("client"));
    std::fs::create_dir_all(&ours).expect("a directory for the V3 crate");
    let status = Command::new(&generator)
        .arg("--spec")
        .arg(&spec)
        .arg("--out")
        .arg(ours.join("client"))
        .stderr(Stdio::null())
        .status()
        .expect("the generator runs");
    assert!(
        status.success(),
        "the generator failed on the upstream spec"
    );
    write_every_operation(&ours);
    workspace_of(&ours, &["client", "every-operation"]);

    // generated-client as checked in.
    let checked_in = root.join("generated-client");
    let _ = std::fs::remove_dir_all(checked_in.join("generated-client"));
    copy_dir(
        &workspace().join("generated-client"),
        &checked_in.join("generated-client"),
    );
    workspace_of(&checked_in, &["generated-client"]);

    let mut builds = vec![
        Build {
            label: "V3, all features (every operation + server)",
            dir: ours.clone(),
            package: "client",
            clean: &[],
            features: &["--all-features"],
        },
        Build {
            label: "V3, default features (every operation)",
            dir: ours.clone(),
            package: "client",
            clean: &[],
            features: &[],
        },
        Build {
            label: "a program awaiting every V3 operation (its own build)",
            dir: ours.clone(),
            package: "every-operation",
            clean: &[],
            features: &[],
        },
        Build {
            label: "V3, one tag (service-desk-integration)",
            dir: ours.clone(),
            package: "client",
            clean: &[],
            features: &[
                "--no-default-features",
                "--features",
                "service-desk-integration",
            ],
        },
        Build {
            label: "generated-client (default features)",
            dir: checked_in.clone(),
            package: "generated-client",
            clean: &[],
            features: &[],
        },
        Build {
            label: "generated-client (all features: + server)",
            dir: checked_in,
            package: "generated-client",
            clean: &[],
            features: &["--all-features"],
        },
    ];
    let peer = find_program("OPENAPI_GENERATOR_CLI", "openapi-generator-cli");
    if let Some(peer) = &peer {
        let theirs = root.join("openapi-generator");
        let _ = std::fs::remove_dir_all(theirs.join("openapi"));
        std::fs::create_dir_all(&theirs).expect("a directory for openapi-generator's crate");
        let status = Command::new(peer)
            .args(["generate", "-g", "rust", "-i"])
            .arg(&spec)
            .arg("-o")
            .arg(theirs.join("openapi"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openapi-generator runs");
        assert!(
            status.success(),
            "openapi-generator failed on the upstream spec"
        );
        patch_openapi_generator(&theirs.join("openapi"));
        workspace_of(&theirs, &["openapi"]);
        builds.push(Build {
            label: "openapi-generator 7 (rust), patched, default features",
            dir: theirs,
            package: "openapi",
            clean: &[],
            features: &[],
        });
    }

    println!("compile cost: {}", machine());
    println!(
        "  cargo build, debug, CARGO_INCREMENTAL=0, dependencies prebuilt; {rounds} rounds, medians:"
    );
    let mut results = Vec::new();
    for build in &builds {
        let timed = time_build(build, rounds);
        let (wall, peak) = (timed.wall, timed.peak_kib);
        println!(
            "    {:<56} {:>9}  peak {:>10}",
            build.label,
            secs(wall),
            mib(peak)
        );
        results.push((wall, peak));
    }
    let (all, all_peak) = results[0];
    let tag = results[3].0;
    println!(
        "  one tag / all features: {:.3} (target <= 0.1)",
        tag.as_secs_f64() / all.as_secs_f64()
    );
    println!("  generated-client: {} (target < 10 s)", secs(results[4].0));
    println!(
        "  V3 default features + a program awaiting every operation: {} (an operation's code is compiled where it is awaited)",
        secs(results[1].0 + results[2].0)
    );
    if peer.is_some() {
        let (theirs, theirs_peak) = results[6];
        println!(
            "  V3 all features / openapi-generator: time {:.3} (target <= 0.45), peak memory {:.3} (target <= 0.5)",
            all.as_secs_f64() / theirs.as_secs_f64(),
            all_peak as f64 / theirs_peak.max(1) as f64
        );
        println!(
            "  V3 default features / openapi-generator: time {:.3}, peak memory {:.3}",
            results[1].0.as_secs_f64() / theirs.as_secs_f64(),
            results[1].1 as f64 / theirs_peak.max(1) as f64
        );
    } else {
        println!("  openapi-generator: skipped (not installed; `bench/run.sh --with-peers`)");
    }
}

/// A crate beside the V3 crate that makes its compiler build what awaiting each operation (and
/// streaming each list operation) needs: an operation's sending and decoding are `#[inline]` and
/// generic, compiled in the program that awaits them, so the V3 crate's own build leaves them out.
/// This measures what a program that uses all 358 operations pays for them.
fn write_every_operation(dir: &Path) {
    let crate_dir = dir.join("every-operation");
    std::fs::create_dir_all(crate_dir.join("src")).expect("a directory for the program crate");
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        "[package]\nname = \"every-operation\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclient = { path = \"../client\" }\n",
    )
    .expect("the program's manifest");
    let mut lines = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("client/src/apis"))
        .expect("the V3 crate's request builders")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.file_stem().is_some_and(|stem| stem != "mod"))
        .collect();
    files.sort();
    for path in files {
        let module = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("a builder module");
        let mut builder = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                builder = rest.strip_suffix("<'a> {").map(str::to_string);
                if let Some(name) = &builder {
                    lines.push(format!(
                        "    awaited::<client::apis::{module}::{name}<'static>>();"
                    ));
                }
            } else if line.trim_start().starts_with("pub fn stream(") {
                if let Some(name) = &builder {
                    lines.push(format!(
                        "    std::hint::black_box(client::apis::{module}::{name}::stream as fn(_) -> _);"
                    ));
                }
            }
        }
    }
    let source = format!(
        "//! Written by the compile_cost bench: what awaiting every operation compiles.\n\
         #![allow(deprecated)]\n\n\
         use std::future::{{Future, IntoFuture}};\nuse std::pin::Pin;\n\n\
         type Boxed<T> = Pin<Box<dyn Future<Output = T> + Send>>;\n\n\
         fn awaited<B>()\nwhere\n    B: IntoFuture + 'static,\n    B::IntoFuture: Send + 'static,\n{{\n    \
         let send: fn(B) -> Boxed<B::Output> = |builder| Box::pin(builder.into_future());\n    \
         std::hint::black_box(send);\n}}\n\n\
         pub fn every_operation() {{\n{}\n}}\n",
        lines.join("\n")
    );
    std::fs::write(crate_dir.join("src/lib.rs"), source).expect("the program's source");
}

/// The three hand fixes openapi-generator 7.26's Rust client for the V3 spec needs before it
/// compiles: an operation named `move` gives an error enum `R#moveError`; a `oneOf` item type
/// gives the variant name `ArrayVecserde_json::Value`; a path parameter is `{id}` in the URL
/// template but `filterId` in the `format!` arguments.
fn patch_openapi_generator(dir: &Path) {
    let patch = |file: &str, from: &str, to: &str| {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("openapi-generator's file");
        assert!(
            text.contains(from),
            "{file} has no `{from}`: a new openapi-generator?"
        );
        std::fs::write(&path, text.replace(from, to)).expect("the patched file");
    };
    patch(
        "src/apis/certification_campaigns_api.rs",
        "R#moveError",
        "RMoveError",
    );
    patch(
        "src/models/workflow_library_action_example_output.rs",
        "ArrayVecserde_json::Value(",
        "ArrayVecSerdeJsonValue(",
    );
    patch(
        "src/apis/certification_campaign_filters_api.rs",
        "\"{}/campaign-filters/{id}\", configuration.base_path, filterId=",
        "\"{}/campaign-filters/{id}\", configuration.base_path, id=",
    );
}
