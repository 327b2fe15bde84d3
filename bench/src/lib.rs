//! What the bench binaries share: running a process and measuring it, medians, and the few
//! facts about the machine that every report starts with.

pub mod builds;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new(".."))
        .to_path_buf()
}

/// The upstream V3 spec's root document (read in place, as the tests do).
pub fn upstream_spec() -> PathBuf {
    workspace().join("../shared/upstream/isc-v3/idn/sailpoint-api.v3.yaml")
}

/// Every YAML file under `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "yaml")
}

/// Every file under `dir` whose extension is `extension`, sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// What one process took.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// From spawn to exit.
    pub wall: Duration,
    /// The largest resident set of the process or of any descendant it waited for, as the
    /// kernel reports it (`ru_maxrss`): for `cargo build`, the largest rustc.
    pub peak_kib: u64,
    /// Whether it exited with status 0.
    pub success: bool,
    /// User and system CPU time of the process and the descendants it waited for: steadier than
    /// the wall time when other work shares the cores.
    pub cpu: Duration,
}

/// Runs `command` to its end, with its output discarded (or kept, see `quiet`), and measures it.
pub fn measure(command: &mut Command) -> std::io::Result<Measured> {
    let start = Instant::now();
    let child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in; the pid is our own child, waited once
    // (the `Child` handle is dropped without waiting, which does not reap it again).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        return Err(std::io::Error::last_os_error());
    }
    Ok(Measured {
        wall,
        peak_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        cpu: [usage.ru_utime, usage.ru_stime]
            .iter()
            .map(|t| {
                Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
                    + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
            })
            .sum(),
    })
}

/// [`measure`]s `command` with its output discarded; a failure is reported, not fatal.
pub fn run(command: &mut Command) -> Measured {
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let measured = measure(command).expect("the program starts");
    if !measured.success {
        eprintln!("warning: {command:?} failed");
    }
    measured
}

/// A new directory named `name` and this process's id, on tmpfs if the machine has one (creating
/// a file costs about 0.5 ms on this VM's disk), else in the temporary directory.
pub fn scratch_dir(name: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// The medians of some runs of one program.
#[derive(Debug, Clone, Copy)]
pub struct Medians {
    /// Wall time.
    pub wall: Duration,
    /// Peak memory, KiB.
    pub peak_kib: u64,
    /// CPU time (user + system).
    pub cpu: Duration,
}

/// The medians of `runs`, and a note naming the runs that failed (empty when none did).
pub fn medians(runs: &[Measured]) -> (Medians, String) {
    let walls: Vec<Duration> = runs.iter().map(|m| m.wall).collect();
    let peaks: Vec<u64> = runs.iter().map(|m| m.peak_kib).collect();
    let cpus: Vec<Duration> = runs.iter().map(|m| m.cpu).collect();
    let failed = runs.iter().filter(|m| !m.success).count();
    let note = match failed {
        0 => String::new(),
        n => format!("  ({n} runs FAILED)"),
    };
    let medians = Medians {
        wall: median(&walls),
        peak_kib: median_u64(&peaks),
        cpu: median(&cpus),
    };
    (medians, note)
}

/// The median of some durations (the mean of the middle two for an even count).
pub fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The median of some numbers.
pub fn median_u64(values: &[u64]) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    match sorted.len() {
        0 => 0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// This process's peak resident set so far (`VmHWM`), in KiB.
pub fn own_peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Milliseconds with one decimal.
pub fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

/// Seconds with two decimals.
pub fn secs(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

/// KiB as MiB with one decimal.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// A one-line description of the machine: CPU model, cores, memory.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
        })
        .map_or_else(
            || "?".into(),
            |kib| format!("{:.0} GiB", kib as f64 / 1048576.0),
        );
    format!("{cpu}, {cores} cores, {memory}")
}

/// Finds a program: `$NAME` (an environment variable naming it), else in `PATH`.
pub fn find_program(variable: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// The generator CLI beside the running bench binary (both built by `cargo build --release`).
pub fn generator_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("this program's path");
    let generator = exe.with_file_name("generator");
    assert!(
        generator.is_file(),
        "{} is missing: build it with `cargo build --release -p generator`",
        generator.display()
    );
    generator
}

/// The value of `--rounds N` on the command line, or `default`.
pub fn rounds_arg(default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One integration as the live API sends it (the seed's example, with its own id and name, and
/// `""` for `clusterRef` and `beforeProvisioningRule` as the server sends for none).
pub fn integration(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": format!("62945a496ef440189b1f03e3623{i:05}"),
        "name": format!("Service Desk Integration {i}"),
        "description": "A very nice Service Desk integration",
        "type": "ServiceNowSDIM",
        "created": "2024-01-17T18:45:25.994Z",
        "modified": "2024-02-18T18:45:25.994Z",
        "ownerRef": {"type": "IDENTITY", "id": "2c9180a46faadee4016fb4e018c20639", "name": "Support"},
        "clusterRef": "",
        "cluster": "xyzzy999",
        "managedSources": ["2c9180835d191a86015d28455b4a2329", "2c5680835d191a85765d28455b4a9823"],
        "provisioningConfig": {
            "managedResourceRefs": [
                {"type": "SOURCE", "id": "2c9180855d191c59015d291ceb051111", "name": "My Source 1"},
                {"type": "SOURCE", "id": "2c9180855d191c59015d291ceb052222", "name": "My Source 2"}
            ],
            "provisioningRequestExpiration": 7,
            "noProvisioningRequests": true,
            "universalManager": true,
            "planInitializerScript": {"source": "<?xml version='1.0' encoding='UTF-8'?>\r\n<Rule name=\"Example Rule\" type=\"BeforeProvisioning\"/>\n"}
        },
        "attributes": {"instanceUrl": "https://acme.service-now.com", "property": "value", "key": "value"},
        "beforeProvisioningRule": ""
    })
}
