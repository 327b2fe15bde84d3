//! Writing the generated crate: only files whose contents changed are written (so a
//! regeneration triggers no needless rebuild), generated files that are no longer produced are
//! removed, and `--check` compares without writing anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// What writing (or checking) found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// New files.
    pub added: Vec<PathBuf>,
    /// Files whose contents differ.
    pub changed: Vec<PathBuf>,
    /// Generated files that are no longer produced.
    pub removed: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl WriteReport {
    /// Whether the output on disk already matches.
    pub fn is_clean(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// The marker that makes a file ours to replace or remove.
pub const GENERATED_MARKER: &str = "@generated";

/// Compares `files` (relative path -> contents) with `out`, and unless `check`, makes `out` match.
pub fn write_output(
    out: &Path,
    files: &BTreeMap<String, String>,
    check: bool,
) -> Result<WriteReport, Error> {
    let mut report = WriteReport::default();
    for (relative, contents) in files {
        let path = out.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => report.unchanged += 1,
            Ok(_) => report.changed.push(path),
            Err(_) => report.added.push(path),
        }
    }
    for stale in existing_generated(&out.join("src")) {
        let relative = stale
            .strip_prefix(out)
            .unwrap_or(&stale)
            .to_string_lossy()
            .replace('\\', "/");
        if !files.contains_key(&relative) {
            report.removed.push(stale);
        }
    }
    if check {
        return Ok(report);
    }
    for path in report.added.iter().chain(&report.changed) {
        let relative = path
            .strip_prefix(out)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        write_atomically(path, files[&relative].as_bytes())?;
    }
    for path in &report.removed {
        std::fs::remove_file(path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(report)
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), Error> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(error)?;
    }
    let temporary = path.with_extension("generator-tmp");
    std::fs::write(&temporary, contents).map_err(error)?;
    std::fs::rename(&temporary, path).map_err(error)
}

/// Every file below `dir` whose first line carries the generated marker, sorted.
fn existing_generated(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| text.lines().next().map(|l| l.contains(GENERATED_MARKER)))
                .unwrap_or(false)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        std::fs::create_dir_all(out.join("src")).unwrap();
        std::fs::write(out.join("src/same.rs"), "// @generated\nsame").unwrap();
        std::fs::write(out.join("src/old.rs"), "// @generated\nold").unwrap();
        std::fs::write(out.join("src/hand.rs"), "// mine\n").unwrap();
        let files = BTreeMap::from([
            ("src/same.rs".to_string(), "// @generated\nsame".to_string()),
            ("src/new.rs".to_string(), "// @generated\nnew".to_string()),
        ]);
        let checked = write_output(out, &files, true).unwrap();
        assert!(!checked.is_clean());
        assert!(out.join("src/old.rs").exists(), "--check writes nothing");
        let written = write_output(out, &files, false).unwrap();
        assert_eq!(written.added, [out.join("src/new.rs")]);
        assert_eq!(written.removed, [out.join("src/old.rs")]);
        assert_eq!(written.unchanged, 1);
        assert!(
            out.join("src/hand.rs").exists(),
            "files without the marker are left alone"
        );
        assert!(write_output(out, &files, true).unwrap().is_clean());
    }
}
