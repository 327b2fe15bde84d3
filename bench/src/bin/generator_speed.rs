//! Target 1, generator speed: the generator's wall time and peak memory on the whole upstream V3
//! spec (830 files), against its floor (reading the same files and parsing them into
//! `serde_yaml::Value`, nothing else) and against openapi-generator's Rust client generator, in
//! the same run: each round runs all of them once, and the report gives medians.
//!
//! Every measurement is a process of its own (the floor too), timed from spawn to exit, its peak
//! memory the kernel's `ru_maxrss`. Output goes to a tmpfs directory (`/dev/shm`) when there is
//! one: creating a file costs about 0.5 ms on this VM's disk, which would measure the disk, not
//! the generators (both write about a thousand files); a run on disk is reported beside it.
//!
//! `cargo run --release -p bench --bin generator_speed [-- --rounds N]`; openapi-generator runs
//! when `OPENAPI_GENERATOR_CLI` names its launcher or `openapi-generator-cli` is in `PATH`
//! (`bench/run.sh --with-peers` installs it), and is skipped otherwise.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use bench::{find_program, machine, median, median_u64, mib, ms, run, secs, Measured};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--floor") {
        floor(Path::new(&args[2]));
        return;
    }
    let rounds = bench::rounds_arg(7);
    let exe = std::env::current_exe().expect("this program's path");
    let generator = bench::generator_binary();
    let spec = bench::upstream_spec();
    let spec_dir = spec
        .parent()
        .and_then(Path::parent)
        .expect("the upstream spec's directory")
        .to_path_buf();
    let scratch = bench::scratch_dir("generator-speed-bench");
    let disk = std::env::temp_dir().join("generator-speed-bench");
    let peer = find_program("OPENAPI_GENERATOR_CLI", "openapi-generator-cli");

    println!("generator speed: {}", machine());
    println!(
        "  whole upstream V3 spec ({} files), output in {}; {rounds} rounds, medians:",
        bench::yaml_files(&spec_dir).len(),
        scratch.display()
    );
    let mut results: Vec<(&str, Vec<Measured>)> = vec![
        ("floor: read + parse into serde_yaml::Value", Vec::new()),
        ("generator, fresh output directory", Vec::new()),
        ("generator, output unchanged (regenerate)", Vec::new()),
        ("generator, fresh output on disk", Vec::new()),
    ];
    if peer.is_some() {
        results.push(("openapi-generator 7 (rust), fresh output", Vec::new()));
    }
    for _ in 0..rounds {
        let mut floor = Command::new(&exe);
        floor.arg("--floor").arg(&spec_dir);
        results[0].1.push(run(&mut floor));

        let out = scratch.join("ours");
        let _ = std::fs::remove_dir_all(&out);
        results[1].1.push(run(generate(&generator, &spec, &out)));
        results[2].1.push(run(generate(&generator, &spec, &out)));

        let out_disk = disk.join("ours");
        let _ = std::fs::remove_dir_all(&out_disk);
        results[3]
            .1
            .push(run(generate(&generator, &spec, &out_disk)));

        if let Some(peer) = &peer {
            let out = scratch.join("openapi-generator");
            let _ = std::fs::remove_dir_all(&out);
            let mut command = Command::new(peer);
            command
                .args(["generate", "-g", "rust", "-i"])
                .arg(&spec)
                .arg("-o")
                .arg(&out);
            results[4].1.push(run(&mut command));
            // The first process to allocate much after the JVM exits pays for the kernel's
            // cleanup of its ~400 MiB (huge pages compacted on the fault path; measured by hand:
            // a generator run right after openapi-generator took 338 ms, the next ones 259-274
            // ms, with or without a pause). One untimed generator run absorbs it, so that no
            // timed run measures the other program's memory.
            let _ = std::fs::remove_dir_all(scratch.join("settle"));
            run(generate(&generator, &spec, &scratch.join("settle")));
        }
    }
    let mut summary: Vec<(Duration, u64)> = Vec::new();
    for (name, runs) in &results {
        let (medians, failed) = bench::medians(runs);
        println!(
            "    {name:<46} {:>10}  peak {:>10}{failed}",
            ms(medians.wall),
            mib(medians.peak_kib)
        );
        summary.push((medians.wall, medians.peak_kib));
    }
    let (floor, ours) = (summary[0].0, summary[1].0);
    println!(
        "  ratio generator/floor: {:.2} (target <= 3)",
        ours.as_secs_f64() / floor.as_secs_f64()
    );
    if peer.is_some() {
        println!(
            "  ratio generator/openapi-generator: {:.3} (target <= 0.05); openapi-generator took {}",
            ours.as_secs_f64() / summary[4].0.as_secs_f64(),
            secs(summary[4].0)
        );
    } else {
        println!("  openapi-generator: skipped (not installed; `bench/run.sh --with-peers`)");
    }
    println!(
        "  peak memory of the generator: {} (target <= 100 MiB)",
        mib(summary[1].1)
    );

    // The workspace's own spec, for reference.
    let service_desk = bench::workspace().join("spec/openapi.yaml");
    let out = scratch.join("service-desk");
    let runs: Vec<Measured> = (0..rounds)
        .map(|_| {
            let _ = std::fs::remove_dir_all(&out);
            run(generate(&generator, &service_desk, &out))
        })
        .collect();
    let walls: Vec<Duration> = runs.iter().map(|m| m.wall).collect();
    let peaks: Vec<u64> = runs.iter().map(|m| m.peak_kib).collect();
    println!(
        "  service-desk spec/ (fresh output): {}, peak {}",
        ms(median(&walls)),
        mib(median_u64(&peaks))
    );
    let _ = std::fs::remove_dir_all(scratch.join("ours"));
    let _ = std::fs::remove_dir_all(scratch.join("openapi-generator"));
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&disk);
}

fn generate<'a>(generator: &Path, spec: &Path, out: &Path) -> &'a mut Command {
    let command = Box::leak(Box::new(Command::new(generator)));
    command.arg("--spec").arg(spec).arg("--out").arg(out);
    command
}

/// The floor: read every file and parse it into `serde_yaml::Value`; nothing else.
fn floor(dir: &Path) {
    let start = Instant::now();
    let mut documents = 0;
    for file in bench::yaml_files(dir) {
        let text = std::fs::read_to_string(&file).expect("a readable spec file");
        let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
        documents += usize::from(!value.is_null());
        std::hint::black_box(value);
    }
    std::hint::black_box((documents, start.elapsed()));
}
