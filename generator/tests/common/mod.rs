//! Helpers shared by the generator's integration tests: where the workspace is, its specs, and
//! reading and copying directory trees.
// Each test file uses some of them.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `openapi.yaml` roots of the spec folders in the workspace folder `dir`, sorted; none when
/// the folder does not exist.
pub fn spec_roots(dir: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(workspace().join(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path().join("openapi.yaml"))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found
}

/// Every file below `dir`: its path relative to `dir` (`/`-separated) -> bytes and
/// modification time.
pub fn files_below(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                files.insert(relative, (std::fs::read(&path).unwrap(), modified));
            }
        }
    }
    files
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
