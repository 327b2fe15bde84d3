//! The generator on one multi-megabyte single-file spec, in YAML and in JSON (issue 18): the
//! whole upstream V3 spec (830 files) bundled into one document, written once as YAML and once
//! as JSON into a temporary directory, and generated from each in turn. Reading YAML must cost
//! no more than a small multiple of reading JSON, and the run's time per input megabyte must be
//! what the multi-file spec costs.
//!
//! The bundle is the generator's own (`generator::resolve::bundle`): every relative `$ref` is
//! inlined, except schemas, which become `components/schemas` entries named after their files
//! and are referred to as `#/components/schemas/Name`, the shape of a vendor's single-file spec.
//! The upstream files are read in place; only the two bundled files are written, and removed at
//! the end.
//!
//! Each round runs the floor (the file read and parsed into `serde_json::Value`, by serde_yaml or
//! serde_json: nothing else), the generator for each form, and the generator on the 830 files
//! the bundle was made from (the same spec as published, for the cost per input megabyte), every
//! one a process of its own timed from spawn to exit; the report gives medians and ratios.
//!
//! `cargo run --release -p bench --bin single_file [-- --rounds N]`; `-- --write DIR` only writes
//! the two files into `DIR` and keeps them (for `phases`, or to look at them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bench::{machine, mib, ms, run, Measured};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--floor") {
        floor(Path::new(&args[2]));
        return;
    }
    if args.get(1).map(String::as_str) == Some("--write") {
        // The two files alone, kept (for `phases` or a look at them).
        let dir = PathBuf::from(args.get(2).expect("--write DIR"));
        std::fs::create_dir_all(&dir).expect("the directory for the bundles");
        let (yaml, json) = write_bundles(&bench::upstream_spec(), &dir);
        println!("{}\n{}", yaml.display(), json.display());
        return;
    }
    let rounds = bench::rounds_arg(7);
    let exe = std::env::current_exe().expect("this program's path");
    let generator = bench::generator_binary();
    let scratch = bench::scratch_dir("single-file-bench");
    let (yaml, json) = write_bundles(&bench::upstream_spec(), &scratch);
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
    let megabytes = |path: &Path| size(path) as f64 / 1e6;

    println!("single-file spec, YAML and JSON: {}", machine());
    println!(
        "  the upstream V3 spec bundled into one file: {} ({:.2} MB), {} ({:.2} MB); {rounds} rounds, medians:",
        yaml.file_name().unwrap_or_default().to_string_lossy(),
        megabytes(&yaml),
        json.file_name().unwrap_or_default().to_string_lossy(),
        megabytes(&json),
    );
    // The same spec as published, 830 files: its size is what the generator reads of them.
    let upstream = bench::upstream_spec();
    let upstream_mb = spec_bytes(&upstream) as f64 / 1e6;
    let mut results: Vec<(String, Vec<Measured>)> = [
        "floor: read + parse the YAML file",
        "floor: read + parse the JSON file",
        "generator on the YAML file",
        "generator on the JSON file",
        "generator on the 830 files (YAML)",
    ]
    .iter()
    .map(|name| (name.to_string(), Vec::new()))
    .collect();
    let out = scratch.join("out");
    for _ in 0..rounds {
        for (i, spec) in [&yaml, &json].into_iter().enumerate() {
            let mut floor = Command::new(&exe);
            floor.arg("--floor").arg(spec);
            results[i].1.push(run(&mut floor));
        }
        for (i, spec) in [&yaml, &json, &upstream].into_iter().enumerate() {
            let _ = std::fs::remove_dir_all(&out);
            let mut command = Command::new(&generator);
            command.arg("--spec").arg(spec).arg("--out").arg(&out);
            results[2 + i].1.push(run(&mut command));
        }
    }
    let mut summary = Vec::new();
    for (name, runs) in &results {
        let (medians, failed) = bench::medians(runs);
        println!(
            "    {name:<36} {:>10}  CPU {:>10}  peak {:>10}{failed}",
            ms(medians.wall),
            ms(medians.cpu),
            mib(medians.peak_kib)
        );
        summary.push(medians);
    }
    let seconds = |i: usize| summary[i].wall.as_secs_f64();
    let cpu = |i: usize| summary[i].cpu.as_secs_f64();
    println!(
        "  generator YAML/JSON: {:.2} wall, {:.2} CPU (floor YAML/JSON: {:.2})",
        seconds(2) / seconds(3),
        cpu(2) / cpu(3),
        seconds(0) / seconds(1)
    );
    for (what, of) in [("wall", &seconds as &dyn Fn(usize) -> f64), ("CPU", &cpu)] {
        println!(
            "  generator {what} per input MB: YAML {:.1} ms/MB, JSON {:.1} ms/MB; the 830 files ({upstream_mb:.2} MB) {:.1} ms/MB",
            of(2) * 1e3 / megabytes(&yaml),
            of(3) * 1e3 / megabytes(&json),
            of(4) * 1e3 / upstream_mb,
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Bundles the spec at `root` and writes it as `v3.yaml` and `v3.json` into `dir`.
fn write_bundles(root: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let bundle = generator::resolve::bundle(root, &Default::default())
        .unwrap_or_else(|err| panic!("the upstream spec bundles: {err}"));
    let yaml = dir.join("v3.yaml");
    let json = dir.join("v3.json");
    let text = serde_yaml::to_string(&bundle.document).expect("a document YAML can hold");
    std::fs::write(&yaml, text).expect("the YAML bundle is written");
    let text = serde_json::to_string_pretty(&bundle.document).expect("a JSON document");
    std::fs::write(&json, text).expect("the JSON bundle is written");
    (yaml, json)
}

/// The bytes of every file under the spec's directory that a `$ref` can reach: its YAML files.
fn spec_bytes(root: &Path) -> u64 {
    let dir = root.parent().unwrap_or(Path::new("."));
    bench::yaml_files(dir)
        .iter()
        .map(|file| std::fs::metadata(file).map_or(0, |m| m.len()))
        .sum()
}

/// The floor: read the file and parse it into `serde_json::Value`; nothing else.
fn floor(file: &Path) {
    let start = Instant::now();
    let text = std::fs::read_to_string(file).expect("a readable spec file");
    let value: serde_json::Value = if file.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).expect("JSON")
    } else {
        serde_yaml::from_str(&text).expect("YAML")
    };
    std::hint::black_box((value, start.elapsed()));
}
