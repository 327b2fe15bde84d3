//! Target 2, compile cost of the generated code: `cargo build` (debug, `CARGO_INCREMENTAL=0`,
//! dependencies prebuilt) of the whole-V3 crate with all features, with the default features
//! (every operation, no server) and with one tag's feature; of generated-client; and, when
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
use std::time::Duration;

use bench::{find_program, machine, measure, median, median_u64, mib, secs, workspace};

/// One crate to build with some features.
struct Build {
    label: &'static str,
    /// The workspace that holds the crate.
    dir: PathBuf,
    package: &'static str,
    features: &'static [&'static str],
}

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
    single_member_workspace(&ours, "client");

    // generated-client as checked in.
    let checked_in = root.join("generated-client");
    let _ = std::fs::remove_dir_all(checked_in.join("generated-client"));
    copy_dir(
        &workspace().join("generated-client"),
        &checked_in.join("generated-client"),
    );
    single_member_workspace(&checked_in, "generated-client");

    let mut builds = vec![
        Build {
            label: "V3, all features (every operation + server)",
            dir: ours.clone(),
            package: "client",
            features: &["--all-features"],
        },
        Build {
            label: "V3, default features (every operation)",
            dir: ours.clone(),
            package: "client",
            features: &[],
        },
        Build {
            label: "V3, one tag (service-desk-integration)",
            dir: ours.clone(),
            package: "client",
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
            features: &[],
        },
        Build {
            label: "generated-client (all features: + server)",
            dir: checked_in,
            package: "generated-client",
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
        single_member_workspace(&theirs, "openapi");
        builds.push(Build {
            label: "openapi-generator 7 (rust), patched, default features",
            dir: theirs,
            package: "openapi",
            features: &[],
        });
    }

    println!("compile cost: {}", machine());
    println!(
        "  cargo build, debug, CARGO_INCREMENTAL=0, dependencies prebuilt; {rounds} rounds, medians:"
    );
    let mut results = Vec::new();
    for build in &builds {
        let (wall, peak) = time_build(build, rounds);
        println!(
            "    {:<56} {:>9}  peak {:>10}",
            build.label,
            secs(wall),
            mib(peak)
        );
        results.push((wall, peak));
    }
    let (all, all_peak) = results[0];
    let tag = results[2].0;
    println!(
        "  one tag / all features: {:.3} (target <= 0.1)",
        tag.as_secs_f64() / all.as_secs_f64()
    );
    println!("  generated-client: {} (target < 10 s)", secs(results[3].0));
    if peer.is_some() {
        let (theirs, theirs_peak) = results[5];
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

/// An untimed build (dependencies), then `rounds` clean rebuilds of the crate alone.
fn time_build(build: &Build, rounds: usize) -> (Duration, u64) {
    let cargo = |args: &[&str]| {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .current_dir(&build.dir)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TARGET_DIR", build.dir.join("target"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let mut args = vec!["build", "-p", build.package];
    args.extend(build.features);
    let warm = cargo(&args).status().expect("cargo runs");
    assert!(warm.success(), "{}: the build fails", build.label);
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..rounds {
        let cleaned = cargo(&["clean", "-p", build.package])
            .status()
            .expect("cargo runs");
        assert!(cleaned.success());
        let measured = measure(&mut cargo(&args)).expect("cargo runs");
        assert!(measured.success, "{}: the build fails", build.label);
        walls.push(measured.wall);
        peaks.push(measured.peak_kib);
    }
    (median(&walls), median_u64(&peaks))
}

/// `[workspace]` around one crate, with the workspace's Cargo.lock so that the dependencies are
/// the versions the project tests with.
fn single_member_workspace(dir: &Path, member: &str) {
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"{member}\"]\n"),
    )
    .expect("a workspace manifest");
    if !dir.join("Cargo.lock").exists() {
        let _ = std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from)
        .expect("a readable directory")
        .flatten()
    {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("a copied file");
        }
    }
}
