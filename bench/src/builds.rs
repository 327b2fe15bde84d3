//! Timing `cargo build` of a crate in a throwaway workspace: what compile_cost and
//! runtime_choice share.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::{measure, median, median_u64, workspace};

/// One crate to build with some features.
pub struct Build {
    /// What the report calls it.
    pub label: &'static str,
    /// The workspace that holds the crate.
    pub dir: PathBuf,
    /// The package built.
    pub package: &'static str,
    /// The packages cleaned before each timed build (the package itself when empty): a
    /// program's build is timed with the generated crates it depends on cleaned too.
    pub clean: &'static [&'static str],
    /// Feature flags passed to `cargo build`.
    pub features: &'static [&'static str],
}

/// Medians of a build's timed rounds.
#[derive(Debug, Clone, Copy)]
pub struct Timed {
    /// Wall time.
    pub wall: Duration,
    /// User and system CPU time of cargo and every rustc.
    pub cpu: Duration,
    /// The largest rustc's peak resident memory.
    pub peak_kib: u64,
}

/// An untimed build (dependencies), then `rounds` times `cargo clean -p` of the cleaned packages
/// and a timed build, debug, `CARGO_INCREMENTAL=0`.
pub fn time_build(build: &Build, rounds: usize) -> Timed {
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
    let mut clean = vec!["clean"];
    let cleaned: &[&str] = match build.clean.is_empty() {
        true => &[build.package],
        false => build.clean,
    };
    for package in cleaned {
        clean.extend(["-p", package]);
    }
    let (mut walls, mut cpus, mut peaks) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let status = cargo(&clean).status().expect("cargo runs");
        assert!(status.success());
        let measured = measure(&mut cargo(&args)).expect("cargo runs");
        assert!(measured.success, "{}: the build fails", build.label);
        walls.push(measured.wall);
        cpus.push(measured.cpu);
        peaks.push(measured.peak_kib);
    }
    Timed {
        wall: median(&walls),
        cpu: median(&cpus),
        peak_kib: median_u64(&peaks),
    }
}

/// `[workspace]` around the crates, with the workspace's Cargo.lock so that the dependencies are
/// the versions the project tests with.
pub fn workspace_of(dir: &Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("a workspace manifest");
    if !dir.join("Cargo.lock").exists() {
        let _ = std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"));
    }
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
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
