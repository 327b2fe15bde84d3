//! Reading a spec's files on every core before the resolver walks them. Reading and parsing 800
//! files is a large part of the generator's work, and the resolver finds them one `$ref` at a
//! time; here every file that some `$ref` (or discriminator mapping) names is read as soon as a
//! file naming it has been parsed, by as many threads as there are cores. The resolver then finds
//! its files already read, and reads any other itself (see [`crate::resolve`]).
//!
//! This only reads earlier: each file's result is what [`load_document`] returns for it, whoever
//! calls it, so what the resolver makes of them (and reports) does not change. The same rules
//! apply as for the resolver: no remote references, nothing outside the root directory unless
//! allowed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use serde_json::Value;

use super::Options;
use crate::diagnostics::location::{normalize, percent_decode};
use crate::error::Diagnostic;
use crate::load::load_document;

/// Every file read: its parsed document or why it could not be read. Only looked up, never
/// iterated.
pub(crate) type Files = HashMap<PathBuf, Result<Value, Diagnostic>>;

/// More threads than this only add memory.
const MAX_THREADS: usize = 16;

/// Reads `root_file` and every file reachable from it through references, in parallel.
pub(crate) fn load_all(root_file: &Path, root_dir: &Path, options: &Options) -> Files {
    let queue = Queue {
        state: Mutex::new(State {
            pending: vec![root_file.to_path_buf()],
            seen: HashSet::from([root_file.to_path_buf()]),
            busy: 0,
            abandoned: false,
            files: Files::new(),
        }),
        changed: Condvar::new(),
    };
    let work = || queue.work(root_dir, options);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_THREADS);
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("generator-load".into())
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        work();
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    match queue.state.into_inner() {
        Ok(state) => state.files,
        Err(poisoned) => poisoned.into_inner().files,
    }
}

struct Queue {
    state: Mutex<State>,
    /// Signalled when a file is done (it may have added work, or been the last).
    changed: Condvar,
}

struct State {
    /// Files to read.
    pending: Vec<PathBuf>,
    /// Files read, being read, or to read.
    seen: HashSet<PathBuf>,
    /// Files being read.
    busy: usize,
    /// A worker panicked (a bug): the others stop instead of waiting for its file forever, so
    /// the panic reaches the caller (see [`Abandon`]).
    abandoned: bool,
    files: Files,
}

impl Queue {
    /// Reads files until there are none left and none being read (which could name more).
    fn work(&self, root_dir: &Path, options: &Options) {
        let lock = || self.state.lock().unwrap_or_else(|p| p.into_inner());
        // Dropped by unwinding only: a worker that panics while reading a file (its `busy` never
        // goes down) tells the others to stop, or they would wait for that file forever and the
        // scope would never join to pass the panic on.
        let abandon = Abandon(self);
        let mut state = lock();
        loop {
            if state.abandoned {
                break;
            }
            let Some(path) = state.pending.pop() else {
                if state.busy == 0 {
                    break;
                }
                state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
                continue;
            };
            state.busy += 1;
            drop(state);
            crate::fault::maybe_panic(crate::fault::Pool::Load);
            let loaded = load_document(&path, options.max_file_size);
            let mut named = Vec::new();
            if let Ok(document) = &loaded {
                references(document, &path, root_dir, options, &mut named);
            }
            state = lock();
            for file in named {
                if state.seen.insert(file.clone()) {
                    state.pending.push(file);
                }
            }
            state.files.insert(path, loaded);
            state.busy -= 1;
            self.changed.notify_all();
        }
        drop(state);
        drop(abandon);
    }
}

/// When the worker holding it unwinds from a panic, marks the queue abandoned and wakes every
/// worker. (Dropped after the worker's lock guard, which is declared later.)
struct Abandon<'a>(&'a Queue);

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let mut state = self.0.state.lock().unwrap_or_else(|p| p.into_inner());
        state.abandoned = true;
        self.0.changed.notify_all();
    }
}

/// The files that `document` (the file `file`) refers to, as the resolver would resolve them;
/// which of them it really reads depends on where the references are.
fn references(
    document: &Value,
    file: &Path,
    root_dir: &Path,
    options: &Options,
    out: &mut Vec<PathBuf>,
) {
    let base = file.parent().unwrap_or(Path::new(""));
    let mut add = |reference: &str| {
        let location = reference.split_once('#').map_or(reference, |(l, _)| l);
        if location.is_empty() || location.contains("://") || location.starts_with("//") {
            return;
        }
        let target = normalize(&base.join(percent_decode(location)));
        if options.allow_outside_root || target.starts_with(root_dir) {
            out.push(target);
        }
    };
    let mut pending = vec![document];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    add(reference);
                }
                if let Some(Value::Object(mapping)) =
                    map.get("discriminator").and_then(|d| d.get("mapping"))
                {
                    for reference in mapping.values().filter_map(Value::as_str) {
                        add(reference);
                    }
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
}
