//! Writing the generated crate, all or nothing, and only when something changed.
//!
//! - **Nothing changed**: nothing is touched (no file is rewritten, no mtime moves, cargo does
//!   not rebuild).
//! - **Something changed**: the whole new crate is staged in `.<name>.generator-new` next to the
//!   output directory (same file system), then swapped in with two renames: the output becomes
//!   `.<name>.generator-old`, the staging directory becomes the output, and the old one is
//!   removed. Unchanged files are hard links to the old ones (copies, with their mtime, where the
//!   file system cannot link), so they keep their identity.
//! - **What is carried over**: every file in the output directory that the generator does not
//!   produce (a user's `tests/`, a `target/` directory, `.gitignore`, a hand-written module),
//!   in the same way (hard link or copy). Generated files that are no longer produced (files
//!   under `src/` whose first line has the `@generated` marker) are dropped: that is their
//!   removal.
//! - **Failure or Ctrl-C**: a failed run never gets here. Ctrl-C (see [`interrupt`]) is checked
//!   while staging and before the swap; when it has arrived, the staging directory is removed and
//!   the output is left exactly as it was. Once the swap has begun it is finished first (it is two
//!   renames). A run killed outright between the two renames leaves the old output as
//!   `.<name>.generator-old`; the next run puts it back before doing anything else, and removes
//!   any other leftover.
//!
//! - **Run from inside the output directory** (`--out .`): the directory cannot be swapped under
//!   the process (and the user's shell) standing in it, so files are written one by one, each
//!   through a temporary file and a rename: never half a file, but not all or nothing.
//!
//! `--check` compares without writing anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

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

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Asks a write in progress to stop before it swaps anything in (the CLI calls this on Ctrl-C).
/// Safe to call from a signal handler: it only stores a flag.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether [`interrupt`] has been called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A point in a write where [`write_output_with`] calls its hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// The new crate is complete in the staging directory; nothing has been swapped yet.
    Staged,
    /// The old output has been renamed away; the new one is not in place yet.
    Swapping,
}

impl Moment {
    /// The name used by the CLI's test hook (`GENERATOR_TEST_PAUSE=staged`).
    pub fn name(self) -> &'static str {
        match self {
            Moment::Staged => "staged",
            Moment::Swapping => "swapping",
        }
    }
}

/// Compares `files` (relative path -> contents) with `out`, and unless `check`, makes `out` match.
pub fn write_output(
    out: &Path,
    files: &BTreeMap<String, String>,
    check: bool,
) -> Result<WriteReport, Error> {
    write_output_with(out, files, check, &|_| {}, &interrupted)
}

/// [`write_output`], calling `hook` at each [`Moment`] (tests pause or interrupt a write there),
/// and stopping before the swap once `stop` says so (the CLI passes [`interrupted`]).
pub fn write_output_with(
    out: &Path,
    files: &BTreeMap<String, String>,
    check: bool,
    hook: &dyn Fn(Moment),
    stop: &dyn Fn() -> bool,
) -> Result<WriteReport, Error> {
    let names = Names::of(out)?;
    if !check {
        names.recover()?;
    }
    let mut report = WriteReport::default();
    for (relative, contents) in files {
        let path = out.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == contents.as_bytes() => report.unchanged += 1,
            Ok(_) => report.changed.push(path),
            Err(_) => report.added.push(path),
        }
    }
    // A file the run produces is never stale, whatever its first line: only the others are read.
    let produced = |path: &Path| files.contains_key(&relative_name(path, out));
    report.removed = existing_generated(&out.join("src"), &produced);
    if check || report.is_clean() {
        return Ok(report);
    }
    if names.holds_current_dir() {
        // Swapping the directory the process stands in would leave it (and the user's shell)
        // in a deleted directory: write file by file instead, each one atomically.
        if stop() {
            return Err(Error::Interrupted {
                path: out.to_path_buf(),
            });
        }
        write_in_place(out, files, &report)?;
        return Ok(report);
    }
    let differs: BTreeSet<&PathBuf> = report.added.iter().chain(&report.changed).collect();
    let unchanged: BTreeSet<String> = files
        .keys()
        .filter(|r| !differs.contains(&out.join(r)))
        .cloned()
        .collect();
    let removed: BTreeSet<PathBuf> = report.removed.iter().cloned().collect();
    if let Err(err) = stage(out, &names.staging, files, &unchanged, &removed, stop) {
        let _ = std::fs::remove_dir_all(&names.staging);
        return Err(err);
    }
    hook(Moment::Staged);
    if stop() {
        let _ = std::fs::remove_dir_all(&names.staging);
        return Err(Error::Interrupted {
            path: out.to_path_buf(),
        });
    }
    names.swap(hook)?;
    Ok(report)
}

/// The output directory and the two directories next to it that a write uses.
struct Names {
    out: PathBuf,
    staging: PathBuf,
    backup: PathBuf,
}

impl Names {
    fn of(out: &Path) -> Result<Names, Error> {
        // The real directory: `--out .` has a name too, and a symlinked output is swapped where
        // it really is, not by replacing the link.
        let out = &std::fs::canonicalize(out)
            .unwrap_or_else(|_| crate::diagnostics::location::absolute(out));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::Write {
                path: out.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the output must be a named directory",
                ),
            })?;
        let parent = out.parent().unwrap_or(Path::new(""));
        Ok(Names {
            out: out.to_path_buf(),
            staging: parent.join(format!(".{name}.generator-new")),
            backup: parent.join(format!(".{name}.generator-old")),
        })
    }

    /// Whether the current directory is the output directory or inside it.
    fn holds_current_dir(&self) -> bool {
        std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .is_ok_and(|cwd| cwd.starts_with(&self.out))
    }

    /// Cleans up after a run that was killed: puts back an output that was renamed away and
    /// never replaced, and removes a half-built staging directory.
    fn recover(&self) -> Result<(), Error> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        if self.backup.exists() {
            if self.out.exists() {
                std::fs::remove_dir_all(&self.backup).map_err(io(&self.backup))?;
            } else {
                std::fs::rename(&self.backup, &self.out).map_err(io(&self.out))?;
            }
        }
        if self.staging.exists() {
            std::fs::remove_dir_all(&self.staging).map_err(io(&self.staging))?;
        }
        Ok(())
    }

    /// Two renames; the old output is removed afterwards (a leftover is removed by the next run).
    fn swap(&self, hook: &dyn Fn(Moment)) -> Result<(), Error> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        if self.out.exists() {
            std::fs::rename(&self.out, &self.backup).map_err(io(&self.out))?;
            hook(Moment::Swapping);
            if let Err(source) = std::fs::rename(&self.staging, &self.out) {
                // Put the old output back; the new one stays staged until the next run.
                let _ = std::fs::rename(&self.backup, &self.out);
                return Err(Error::Write {
                    path: self.out.clone(),
                    source,
                });
            }
            let _ = std::fs::remove_dir_all(&self.backup);
        } else {
            std::fs::rename(&self.staging, &self.out).map_err(io(&self.out))?;
        }
        Ok(())
    }
}

/// The fallback when the output directory cannot be swapped: changed and new files are written
/// through a temporary file and a rename each (a reader never sees half a file), stale ones removed.
fn write_in_place(
    out: &Path,
    files: &BTreeMap<String, String>,
    report: &WriteReport,
) -> Result<(), Error> {
    for path in report.added.iter().chain(&report.changed) {
        let error = |source| Error::Write {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(error)?;
        }
        let temporary = path.with_extension("generator-tmp");
        std::fs::write(&temporary, files[&relative_name(path, out)].as_bytes()).map_err(error)?;
        std::fs::rename(&temporary, path).map_err(error)?;
    }
    for path in &report.removed {
        std::fs::remove_file(path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(())
}

/// Builds the new crate in `staging`: new and changed files written, unchanged generated files
/// and everything not generated linked (or copied) from `out`, stale generated files left out.
fn stage(
    out: &Path,
    staging: &Path,
    files: &BTreeMap<String, String>,
    unchanged: &BTreeSet<String>,
    removed: &BTreeSet<PathBuf>,
    stop: &dyn Fn() -> bool,
) -> Result<(), Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(staging).map_err(io(staging))?;
    // Each directory is made once, not asked for again before each of its files (a thousand
    // files in a few directories: 18 -> 15 ms of a V3 write on tmpfs).
    let mut made: BTreeSet<PathBuf> = BTreeSet::new();
    for (relative, contents) in files {
        if stop() {
            return Err(Error::Interrupted {
                path: out.to_path_buf(),
            });
        }
        let target = staging.join(relative);
        if let Some(parent) = target.parent() {
            if !made.contains(parent) {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
                made.insert(parent.to_path_buf());
            }
        }
        if unchanged.contains(relative) {
            link_or_copy(&out.join(relative), &target)?;
        } else {
            std::fs::write(&target, contents).map_err(io(&target))?;
        }
    }
    // Everything else in the output directory is carried over, in a sorted walk.
    let mut pending = vec![out.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if stop() {
            return Err(Error::Interrupted {
                path: out.to_path_buf(),
            });
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries.into_iter().rev() {
            let relative = relative_name(&path, out);
            let target = staging.join(&relative);
            let kind = std::fs::symlink_metadata(&path)
                .map_err(io(&path))?
                .file_type();
            if kind.is_dir() {
                std::fs::create_dir_all(&target).map_err(io(&target))?;
                pending.push(path);
            } else if files.contains_key(&relative) || removed.contains(&path) {
                continue;
            } else if kind.is_symlink() {
                copy_symlink(&path, &target)?;
            } else {
                link_or_copy(&path, &target)?;
            }
        }
    }
    Ok(())
}

/// A hard link where the file system allows it, else a copy that keeps the modification time.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), Error> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let error = |source| Error::Write {
        path: to.to_path_buf(),
        source,
    };
    std::fs::copy(from, to).map_err(error)?;
    if let Ok(modified) = std::fs::metadata(from).and_then(|m| m.modified()) {
        let _ = std::fs::File::options()
            .write(true)
            .open(to)
            .and_then(|f| f.set_modified(modified));
    }
    Ok(())
}

#[cfg(unix)]
fn copy_symlink(from: &Path, to: &Path) -> Result<(), Error> {
    let error = |source| Error::Write {
        path: to.to_path_buf(),
        source,
    };
    let target = std::fs::read_link(from).map_err(error)?;
    std::os::unix::fs::symlink(target, to).map_err(error)
}

#[cfg(not(unix))]
fn copy_symlink(from: &Path, to: &Path) -> Result<(), Error> {
    link_or_copy(from, to)
}

/// `path` relative to `out`, `/`-separated, as the keys of the generated files are.
fn relative_name(path: &Path, out: &Path) -> String {
    path.strip_prefix(out)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every file below `dir` whose first line carries the generated marker, sorted, leaving out
/// (unread) those `skip` names.
fn existing_generated(dir: &Path, skip: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // The entry's own type costs no system call; a symlink is followed, as before.
            let is_dir = match entry.file_type() {
                Ok(kind) if kind.is_symlink() => path.is_dir(),
                Ok(kind) => kind.is_dir(),
                Err(_) => path.is_dir(),
            };
            if is_dir {
                pending.push(path);
            } else if !skip(&path) && first_line_is_generated(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Reads only the start of the file: a large hand-written file costs nothing.
fn first_line_is_generated(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 512];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(n) = file.read(&mut start) else {
        return false;
    };
    let first = start[..n].split(|&b| b == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(first).contains(GENERATED_MARKER)
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

    fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
        let mut found = BTreeMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in std::fs::read_dir(&current).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                    found.insert(
                        relative_name(&path, dir),
                        (std::fs::read(&path).unwrap(), modified),
                    );
                }
            }
        }
        found
    }

    #[test]
    fn nothing_is_touched_when_nothing_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("client");
        let files = BTreeMap::from([("src/lib.rs".to_string(), "// @generated\n".to_string())]);
        write_output(&out, &files, false).unwrap();
        let before = tree(&out);
        let report = write_output(&out, &files, false).unwrap();
        assert!(report.is_clean());
        assert_eq!(tree(&out), before, "same bytes and the same mtimes");
        let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(siblings.len(), 1, "no staging directory is left behind");
    }

    #[test]
    fn a_change_keeps_unchanged_and_hand_written_files_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("client");
        let mut files = BTreeMap::from([
            ("src/lib.rs".to_string(), "// @generated\nlib".to_string()),
            ("src/a.rs".to_string(), "// @generated\na".to_string()),
        ]);
        write_output(&out, &files, false).unwrap();
        std::fs::create_dir_all(out.join("tests")).unwrap();
        std::fs::write(out.join("tests/mine.rs"), "// mine\n").unwrap();
        let before = tree(&out);
        files.insert("src/a.rs".to_string(), "// @generated\nA".to_string());
        let report = write_output(&out, &files, false).unwrap();
        assert_eq!(report.changed, [out.join("src/a.rs")]);
        let after = tree(&out);
        assert_eq!(
            after["src/lib.rs"], before["src/lib.rs"],
            "unchanged: same bytes and mtime"
        );
        assert_eq!(
            after["tests/mine.rs"], before["tests/mine.rs"],
            "carried over"
        );
        assert_eq!(after["src/a.rs"].0, b"// @generated\nA");
        let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            siblings.len(),
            1,
            "no staging or backup directory is left behind"
        );
    }

    #[test]
    fn an_interrupted_write_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("client");
        let old = BTreeMap::from([("src/lib.rs".to_string(), "// @generated\nold".to_string())]);
        write_output(&out, &old, false).unwrap();
        let before = tree(&out);
        let new = BTreeMap::from([("src/lib.rs".to_string(), "// @generated\nnew".to_string())]);
        // Like Ctrl-C once staging is done (the real flag is process-wide; tests run in parallel).
        let staged = std::cell::Cell::new(false);
        let result = write_output_with(
            &out,
            &new,
            false,
            &|moment| staged.set(moment == Moment::Staged),
            &|| staged.get(),
        );
        assert!(
            matches!(result, Err(Error::Interrupted { .. })),
            "{result:?}"
        );
        assert_eq!(tree(&out), before);
        let siblings: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(siblings.len(), 1, "the staging directory is removed");
    }

    #[test]
    fn a_run_killed_mid_swap_is_rolled_back_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("client");
        let old = BTreeMap::from([("src/lib.rs".to_string(), "// @generated\nold".to_string())]);
        write_output(&out, &old, false).unwrap();
        // What a kill between the two renames leaves: the old output renamed away, a staging dir.
        let names = Names::of(&out).unwrap();
        std::fs::rename(&out, &names.backup).unwrap();
        std::fs::create_dir_all(names.staging.join("src")).unwrap();
        let report = write_output(&out, &old, true).unwrap();
        assert!(!report.is_clean(), "--check repairs nothing");
        let report = write_output(&out, &old, false).unwrap();
        assert!(report.is_clean(), "{report:?}");
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// @generated\nold"
        );
        assert!(!names.backup.exists() && !names.staging.exists());
    }
}
