//! The runtime: a dependency or a copy (issue 17). What the runtime crate (runtime/) costs to
//! compile on its own, against what a generated crate and programs with one and with two
//! generated crates cost, each built as a user builds it: `cargo build`, debug,
//! `CARGO_INCREMENTAL=0`, dependencies prebuilt, the measured crates cleaned before each round.
//!
//! Today every generated crate carries a copy of the runtime. A generated crate that depended on
//! the runtime crate instead would compile the same code once per program instead of once per
//! generated crate: the runtime's own build is the most a dependency could save for each
//! generated crate beyond the first. BENCHMARKS.md, "The runtime: a dependency or a copy", has
//! the figures and the decision.
//!
//! `cargo run --release -p bench --bin runtime_choice [-- --rounds N]`

use std::path::Path;

use bench::builds::{copy_dir, time_build, workspace_of, Build, Timed};
use bench::{machine, mib, secs, workspace};

fn main() {
    let rounds = bench::rounds_arg(3);
    let root = workspace().join("target/runtime-choice");
    for member in ["client-runtime", "crate-a", "crate-b", "one", "two"] {
        let _ = std::fs::remove_dir_all(root.join(member));
    }
    std::fs::create_dir_all(&root).expect("a directory for the builds");
    copy_runtime(&root.join("client-runtime"));
    for name in ["crate-a", "crate-b"] {
        copy_generated_client(&root.join(name), name);
    }
    write_program(&root.join("one"), "one", &["crate-a"]);
    write_program(&root.join("two"), "two", &["crate-a", "crate-b"]);
    workspace_of(
        &root,
        &["client-runtime", "crate-a", "crate-b", "one", "two"],
    );

    let builds = [
        Build {
            label: "the runtime alone, client side (what a crate compiles)",
            dir: root.clone(),
            package: "client-runtime",
            clean: &[],
            features: &["--no-default-features"],
        },
        Build {
            label: "the runtime alone, with the server side",
            dir: root.clone(),
            package: "client-runtime",
            clean: &[],
            features: &[],
        },
        Build {
            label: "generated-client (default features)",
            dir: root.clone(),
            package: "crate-a",
            clean: &[],
            features: &[],
        },
        Build {
            label: "a program with one generated crate",
            dir: root.clone(),
            package: "one",
            clean: &["one", "crate-a"],
            features: &[],
        },
        Build {
            label: "a program with two generated crates",
            dir: root.clone(),
            package: "two",
            clean: &["two", "crate-a", "crate-b"],
            features: &[],
        },
    ];
    println!("the runtime, a dependency or a copy: {}", machine());
    println!(
        "  cargo build, debug, CARGO_INCREMENTAL=0, dependencies prebuilt; {rounds} rounds, medians:"
    );
    let mut results: Vec<Timed> = Vec::new();
    for build in &builds {
        let timed = time_build(build, rounds);
        println!(
            "    {:<56} wall {:>8}  cpu {:>8}  peak {:>10}",
            build.label,
            secs(timed.wall),
            secs(timed.cpu),
            mib(timed.peak_kib)
        );
        results.push(timed);
    }
    let (runtime, crate_a, one, two) = (results[0], results[2], results[3], results[4]);
    let share = |part: std::time::Duration, whole: std::time::Duration| {
        100.0 * part.as_secs_f64() / whole.as_secs_f64()
    };
    let lines = |path: &Path| std::fs::read_to_string(path).map_or(0, |t| t.lines().count());
    let rust_lines = |dir: &Path| -> usize {
        bench::files_with_extension(dir, "rs")
            .iter()
            .map(|path| lines(path))
            .sum()
    };
    let client = workspace().join("generated-client/src");
    let copied = rust_lines(&client.join("runtime")) + lines(&client.join("sailpoint.rs"));
    println!(
        "  the runtime's client side is {copied} of generated-client's {} lines of Rust",
        rust_lines(&client)
    );
    println!(
        "  its build is {:.0}% of generated-client's CPU time ({:.0}% of the wall time)",
        share(runtime.cpu, crate_a.cpu),
        share(runtime.wall, crate_a.wall)
    );
    println!(
        "  the second generated crate adds {} wall, {} CPU to the program; a dependency would save at most the runtime's {} CPU of it",
        secs(two.wall.saturating_sub(one.wall)),
        secs(two.cpu.saturating_sub(one.cpu)),
        secs(runtime.cpu)
    );
}

/// The runtime crate, with the workspace's inherited package keys written out.
fn copy_runtime(to: &Path) {
    copy_dir(&workspace().join("runtime"), to);
    let manifest = to.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("the runtime's manifest");
    let text = text
        .replace("edition.workspace = true", "edition = \"2021\"")
        .replace("rust-version.workspace = true", "rust-version = \"1.88\"")
        .replace("license.workspace = true", "license = \"MIT\"")
        .replace("publish.workspace = true", "publish = false");
    std::fs::write(&manifest, text).expect("the runtime's manifest");
}

/// generated-client as checked in, renamed `name`: two of them are two generated crates.
fn copy_generated_client(to: &Path, name: &str) {
    copy_dir(&workspace().join("generated-client"), to);
    let manifest = to.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("generated-client's manifest");
    let text = text
        .replace("name = \"generated-client\"", &format!("name = \"{name}\""))
        .replace(
            "name = \"generated_client\"",
            &format!("name = \"{}\"", name.replace('-', "_")),
        );
    std::fs::write(&manifest, text).expect("the renamed manifest");
}

/// A program that builds a client of each of `crates`.
fn write_program(dir: &Path, name: &str, crates: &[&str]) {
    std::fs::create_dir_all(dir.join("src")).expect("a directory for the program");
    let dependencies: Vec<String> = crates
        .iter()
        .map(|c| format!("{c} = {{ path = \"../{c}\" }}"))
        .collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{}\n",
            dependencies.join("\n")
        ),
    )
    .expect("the program's manifest");
    let clients: Vec<String> = crates
        .iter()
        .map(|c| {
            format!(
                "    let client = {}::Client::new(\"https://example.com/v3\", \"token\").unwrap();\n    \
                 std::hint::black_box(client.get_service_desk_integrations());",
                c.replace('-', "_")
            )
        })
        .collect();
    std::fs::write(
        dir.join("src/main.rs"),
        format!("fn main() {{\n{}\n}}\n", clients.join("\n")),
    )
    .expect("the program's source");
}
