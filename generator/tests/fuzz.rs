//! Fuzzing on stable Rust: proptest mutates real specs (spec/, tests/fixtures/*,
//! tests/error-fixtures/*) and runs the pipeline on each mutant through loading, `$ref`
//! resolution, shape checks, parsing and lowering to emitted files. Whatever the input, the
//! generator must answer `Ok` or `Err`: never panic, never overflow the stack, never hang (the
//! resolver's budgets bound the work; a hang shows up as a test that does not finish), and give
//! the same answer twice.
//!
//! Mutations: byte flips, deletions, duplications and insertions of YAML-significant tokens on
//! the text; and, on the parsed tree, deleted nodes, subtrees spliced from anywhere in the seed,
//! scalars swapped for other kinds, nodes wrapped in deep schema nesting, and `$ref`s rewritten
//! to other files, missing pointers, loops, remote URLs and paths outside the root. Names and
//! references also turn non-ASCII and percent-escaped: keys renamed to `é`, `İ`, `ß`, `%aé`, ...,
//! references to `./%aé.yaml` or to a file through its escaped name, and files renamed to
//! non-ASCII names with every reference to them rewritten (raw or escaped).
//!
//! Each case runs on a thread of its own with a deadline (`FUZZ_CASE_SECONDS`, 120 by default,
//! far above the milliseconds a case takes): a case that has not finished by then is a hang, and a
//! failure like a panic.
//!
//! `cargo test -p generator --test fuzz` runs a short smoke run (64 cases);
//! `PROPTEST_CASES=20000 cargo test --release -p generator --test fuzz -- --nocapture` a long one,
//! printing its figures. A failing case is shrunk and saved under `generator/tests/` by proptest
//! (`fuzz.proptest-regressions`), and replayed first on the next run. A crash that ends the
//! process (a stack overflow) cannot be shrunk: run with `FUZZ_CURRENT_CASE=/tmp/case` and the
//! crashing spec's directory is named in that file, and left in place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::Value;

mod common;
use common::workspace;

/// A spec to mutate: its files (relative path, bytes, parsed tree) and its root document.
struct Seed {
    name: String,
    /// Whether the unmutated seed generates (spec/ and tests/fixtures do; error fixtures do not).
    valid: bool,
    root: String,
    files: Vec<(String, Vec<u8>, Option<Value>)>,
}

fn seeds() -> Vec<Seed> {
    let mut dirs = vec![workspace().join("spec")];
    for group in ["tests/fixtures", "tests/error-fixtures"] {
        if let Ok(entries) = std::fs::read_dir(workspace().join(group)) {
            let mut found: Vec<PathBuf> = entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            found.sort();
            dirs.extend(found);
        }
    }
    dirs.into_iter()
        .filter_map(|dir| {
            let root = ["openapi.yaml", "openapi.json", "spec/openapi.yaml"]
                .into_iter()
                .find(|r| dir.join(r).exists())?;
            let mut files = Vec::new();
            collect(&dir, &dir, &mut files);
            files.sort_by(|a, b| a.0.cmp(&b.0));
            let settings = generator::Settings::new(dir.join(root), Path::new("client"));
            Some(Seed {
                valid: generator::generate(&settings).is_ok(),
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                root: root.to_string(),
                files,
            })
        })
        .collect()
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>, Option<Value>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
            let relative = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let tree =
                generator::load::load_document(&path, generator::load::DEFAULT_MAX_FILE_SIZE).ok();
            out.push((relative, std::fs::read(&path).unwrap(), tree));
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte {
        at: usize,
        byte: u8,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Duplicate {
        at: usize,
        len: usize,
        to: usize,
    },
    Insert {
        at: usize,
        token: usize,
    },
    DeleteNode {
        pick: usize,
    },
    Splice {
        from_file: usize,
        from: usize,
        to: usize,
    },
    Scalar {
        pick: usize,
        kind: usize,
    },
    Nest {
        pick: usize,
        levels: usize,
        kind: usize,
    },
    RewriteRef {
        pick: usize,
        target: usize,
    },
    RenameKey {
        pick: usize,
        name: usize,
    },
    /// Puts one of [`NAMES`] inside a string: a `$ref` (one time in two) or any other.
    InsertName {
        pick: usize,
        at: usize,
        name: usize,
    },
    /// Renames file `file` (not the root) and rewrites the references to it in every file.
    RenameFile {
        file: usize,
        name: usize,
        escaped: bool,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = any::<usize>;
    // Text damage mostly stops a run at the parser; tree edits reach the later phases, so they
    // are drawn more often.
    prop_oneof![
        1 => (n(), any::<u8>()).prop_map(|(at, byte)| Mutation::FlipByte { at, byte }),
        1 => (n(), 1..64usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => (n(), 1..256usize, n()).prop_map(|(at, len, to)| Mutation::Duplicate { at, len, to }),
        1 => (n(), n()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        3 => n().prop_map(|pick| Mutation::DeleteNode { pick }),
        4 => (n(), n(), n()).prop_map(|(from_file, from, to)| Mutation::Splice { from_file, from, to }),
        3 => (n(), n()).prop_map(|(pick, kind)| Mutation::Scalar { pick, kind }),
        2 => (n(), prop_oneof![4 => 1..20usize, 1 => 20..70usize], n())
            .prop_map(|(pick, levels, kind)| Mutation::Nest { pick, levels, kind }),
        4 => (n(), n()).prop_map(|(pick, target)| Mutation::RewriteRef { pick, target }),
        3 => (n(), n()).prop_map(|(pick, name)| Mutation::RenameKey { pick, name }),
        4 => (n(), n(), n()).prop_map(|(pick, at, name)| Mutation::InsertName { pick, at, name }),
        2 => (n(), n(), any::<bool>())
            .prop_map(|(file, name, escaped)| Mutation::RenameFile { file, name, escaped }),
    ]
}

/// Text that means something to YAML, JSON or OpenAPI, for insertions.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "\t",
    "'",
    "\"",
    "#",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "---\n",
    "...\n",
    "~",
    "null",
    "\u{0}",
    "\u{feff}",
    "é",
    "İ",
    "ß",
    "名前",
    "\u{301}",
    "🦀",
    "%",
    "%a",
    "%aé",
    "%C3%A9",
    "%e9",
    "$ref: './%aé.yaml'\n",
    "$ref: '#/components/schemas/%C3%A9'\n",
    "$ref: './missing.yaml'\n",
    "$ref: '#/components/schemas/Nope'\n",
    "$ref: '../../../../etc/passwd'\n",
    "$ref: 'http://x/y.yaml'\n",
    "{id}",
    "/{",
    "1e400",
    "-0",
    "0x1F",
    "2019-01-01",
    "yes",
    "type: object\n",
    "allOf: []\n",
    "required: true\n",
    "in: path\n",
    "nullable: true\n",
    "additionalProperties: false\n",
];

/// Scalars and shapes to put in place of a node.
fn scalar(kind: usize) -> Value {
    match kind % 12 {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => 0.into(),
        3 => (-1).into(),
        4 => serde_json::json!(1.5e300),
        5 => "".into(),
        6 => "{id}".into(),
        7 => serde_json::json!([]),
        8 => serde_json::json!({}),
        9 => "x".repeat(5000).into(),
        10 => serde_json::json!({"$ref": "#/components/schemas/Missing"}),
        _ => serde_json::json!({"type": "string", "format": "date-time", "enum": ["a", null, 1]}),
    }
}

/// Names that case conversion, slicing by bytes and percent-decoding get wrong: characters of
/// several bytes, ones whose upper or lower case has another length (`İ`, `ß`, `ﬀ`), combining
/// marks, digits of other scripts, escapes cut short or decoding to invalid UTF-8.
const NAMES: &[&str] = &[
    "é",
    "Ünïcödé",
    "İstanbul",
    "straße",
    "ﬀ",
    "ǅungla",
    "名前",
    "a\u{301}",
    "🦀",
    "٣",
    "Ⅻ",
    "%aé",
    "%",
    "a%20b",
    "%C3%A9",
    "%e9",
    "%00",
    "é%",
    "{é}",
    "/é/{ü}",
    "x-é",
    "1é",
];

/// `text` with every byte but unreserved ASCII and `/` percent-escaped.
fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where a `$ref` can be made to point.
fn ref_target(seed: &Seed, target: usize) -> String {
    let files: Vec<&str> = seed.files.iter().map(|f| f.0.as_str()).collect();
    let file = files[target % files.len()];
    let name = NAMES[(target / 17) % NAMES.len()];
    match target % 17 {
        11 => format!("./{name}.yaml"),
        12 => format!("./%{}", &escape(file)[1..]),
        13 => escape(&format!("./{file}")),
        14 => format!("{file}#/components/schemas/{}", escape(name)),
        15 => format!("#/components/schemas/{name}"),
        16 => format!("./{name}/../{file}"),
        0 => format!("./{file}"),
        1 => format!("../{file}"),
        2 => format!("{file}#/components/schemas"),
        3 => "#/paths".into(),
        4 => "#/nope/deeper".into(),
        5 => "http://example.com/x.yaml".into(),
        6 => "../../../../../../etc/passwd".into(),
        7 => "#".into(),
        8 => "".into(),
        9 => format!("./{}", seed.root),
        _ => "%2e%2e/%2e%2e/x.yaml#/a~1b~0c".into(),
    }
}

/// Every node of a tree, as a path of keys and indexes, in document order.
fn nodes(value: &Value) -> Vec<Vec<PathStep>> {
    let mut found = Vec::new();
    let mut pending = vec![(value, Vec::new())];
    while let Some((value, path)) = pending.pop() {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter().rev() {
                    let mut p = path.clone();
                    p.push(PathStep::Key(k.clone()));
                    pending.push((v, p));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    let mut p = path.clone();
                    p.push(PathStep::Index(i));
                    pending.push((v, p));
                }
            }
            _ => {}
        }
        found.push(path);
        if found.len() > 20_000 {
            break;
        }
    }
    found
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(mut value: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    for step in path {
        value = match (value, step) {
            (Value::Object(map), PathStep::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), PathStep::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn at_path<'a>(value: &'a Value, path: &[PathStep]) -> Option<&'a Value> {
    at(value, path)
}

fn at<'a>(mut value: &'a Value, path: &[PathStep]) -> Option<&'a Value> {
    for step in path {
        value = match (value, step) {
            (Value::Object(map), PathStep::Key(k)) => map.get(k)?,
            (Value::Array(items), PathStep::Index(i)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Applies the tree mutations to `tree` (file `index` of `seed`), then the text mutations to its
/// serialized text (or to the original bytes when the file does not parse).
fn mutate(seed: &Seed, index: usize, mutations: &[Mutation]) -> Vec<u8> {
    let (_, original, tree) = &seed.files[index];
    let mut tree = tree.clone();
    let mut tree_changed = false;
    if let Some(tree) = tree.as_mut() {
        for m in mutations {
            let all = nodes(tree);
            let pick = |n: usize| all[n % all.len()].clone();
            match m {
                Mutation::DeleteNode { pick: p } => {
                    let path = pick(*p);
                    if let Some((last, parent)) = path.split_last() {
                        match (at_mut(tree, parent), last) {
                            (Some(Value::Object(map)), PathStep::Key(k)) => {
                                map.shift_remove(k);
                            }
                            (Some(Value::Array(items)), PathStep::Index(i)) if *i < items.len() => {
                                items.remove(*i);
                            }
                            _ => {}
                        }
                    }
                }
                Mutation::Splice {
                    from_file,
                    from,
                    to,
                } => {
                    let source = seed.files[from_file % seed.files.len()]
                        .2
                        .as_ref()
                        .unwrap_or(tree);
                    let source_nodes = nodes(source);
                    let piece = at(source, &source_nodes[from % source_nodes.len()]).cloned();
                    if let (Some(piece), Some(slot)) = (piece, at_mut(tree, &pick(*to))) {
                        *slot = piece;
                    }
                }
                Mutation::Scalar { pick: p, kind } => {
                    if let Some(slot) = at_mut(tree, &pick(*p)) {
                        *slot = scalar(*kind);
                    }
                }
                Mutation::Nest {
                    pick: p,
                    levels,
                    kind,
                } => {
                    if let Some(slot) = at_mut(tree, &pick(*p)) {
                        let mut inner = slot.take();
                        for _ in 0..*levels {
                            inner = match kind % 4 {
                                0 => {
                                    serde_json::json!({"type": "object", "properties": {"a": inner}})
                                }
                                1 => serde_json::json!({"allOf": [inner]}),
                                2 => serde_json::json!({"type": "array", "items": inner}),
                                _ => serde_json::json!({"oneOf": [inner, {"type": "string"}]}),
                            };
                        }
                        *slot = inner;
                    }
                }
                Mutation::RenameKey { pick: p, name } => {
                    let path = pick(*p);
                    if let Some((PathStep::Key(old), parent)) = path.split_last() {
                        if let Some(Value::Object(map)) = at_mut(tree, parent) {
                            let new = NAMES[(name / 3) % NAMES.len()];
                            let renamed = match name % 3 {
                                0 => new.to_string(),
                                1 => format!("{old}{new}"),
                                _ => format!("{new}{old}"),
                            };
                            let entries = std::mem::take(map);
                            for (k, v) in entries {
                                map.insert(if k == *old { renamed.clone() } else { k }, v);
                            }
                        }
                    }
                }
                Mutation::InsertName { pick: p, at, name } => {
                    let strings: Vec<&Vec<PathStep>> = all
                        .iter()
                        .filter(|path| matches!(at_path(tree, path), Some(Value::String(_))))
                        .filter(|path| {
                            p % 2 == 1
                                || matches!(path.last(), Some(PathStep::Key(k)) if k == "$ref")
                        })
                        .collect();
                    if let Some(path) = strings.get((p / 2) % strings.len().max(1)) {
                        let path = (*path).clone();
                        if let Some(Value::String(text)) = at_mut(tree, &path) {
                            let boundaries: Vec<usize> = text
                                .char_indices()
                                .map(|(i, _)| i)
                                .chain([text.len()])
                                .collect();
                            let i = boundaries[at % boundaries.len()];
                            text.insert_str(i, NAMES[name % NAMES.len()]);
                        }
                    }
                }
                Mutation::RewriteRef { pick: p, target } => {
                    let refs: Vec<Vec<PathStep>> = all
                        .iter()
                        .filter(|path| matches!(path.last(), Some(PathStep::Key(k)) if k == "$ref"))
                        .cloned()
                        .collect();
                    if let Some(path) = refs.get(p % refs.len().max(1)) {
                        if let Some(slot) = at_mut(tree, path) {
                            *slot = ref_target(seed, *target).into();
                        }
                    }
                }
                _ => continue,
            }
            tree_changed = true;
        }
    }
    let mut bytes = match (tree, tree_changed) {
        (Some(tree), true) => serde_json::to_vec_pretty(&tree).unwrap(),
        _ => original.clone(),
    };
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::FlipByte { at, byte } if !bytes.is_empty() => bytes[at % len] = *byte,
            Mutation::Delete { at, len: n } => {
                let start = (at % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Duplicate { at, len: n, to } => {
                let start = (at % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                let piece = bytes[start..end].to_vec();
                let to = (to % len).min(bytes.len());
                bytes.splice(to..to, piece);
            }
            Mutation::Insert { at, token } => {
                let at = (at % len).min(bytes.len());
                let token = TOKENS[token % TOKENS.len()].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

/// Renames `files[file]` (unless it is the root) by putting `name` before its file name, and
/// rewrites every mention of the old file name in every file to the new one, raw or escaped.
fn rename_file(
    files: &mut [(String, Vec<u8>)],
    root: &str,
    file: usize,
    name: &str,
    escaped: bool,
) {
    let file = file % files.len();
    if files[file].0 == root {
        return;
    }
    let (dir, old) = match files[file].0.rsplit_once('/') {
        Some((dir, old)) => (format!("{dir}/"), old.to_string()),
        None => (String::new(), files[file].0.clone()),
    };
    let new = format!("{name}{old}");
    files[file].0 = format!("{dir}{new}");
    let written = if escaped { escape(&new) } else { new };
    for (_, bytes) in files.iter_mut() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            if text.contains(&old) {
                *bytes = text.replace(&old, &written).into_bytes();
            }
        }
    }
}

/// Cases run and how they ended, for the closing figures.
static CASES: AtomicUsize = AtomicUsize::new(0);
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);
/// Failures, counted as proptest shrinks them too (the first failing case counts once here).
static PANICS: AtomicUsize = AtomicUsize::new(0);
static HANGS: AtomicUsize = AtomicUsize::new(0);

/// How long a case may take before it counts as a hang.
fn case_deadline() -> std::time::Duration {
    let seconds = std::env::var("FUZZ_CASE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    std::time::Duration::from_secs(seconds)
}

fn run_case(
    seeds: &[Seed],
    (valid_only, seed): (bool, usize),
    file: usize,
    mutations: &[Mutation],
) -> Result<(), TestCaseError> {
    // Mutants of valid specs reach the later phases; error fixtures seed odd structures.
    let pool: Vec<&Seed> = seeds.iter().filter(|s| s.valid || !valid_only).collect();
    let seed = pool[seed % pool.len()];
    let index = file % seed.files.len();
    let mutated = mutate(seed, index, mutations);
    let mut files: Vec<(String, Vec<u8>)> = seed
        .files
        .iter()
        .enumerate()
        .map(|(i, (relative, bytes, _))| {
            let bytes = if i == index { &mutated } else { bytes };
            (relative.clone(), bytes.clone())
        })
        .collect();
    for m in mutations {
        if let Mutation::RenameFile {
            file,
            name,
            escaped,
        } = m
        {
            rename_file(
                &mut files,
                &seed.root,
                *file,
                NAMES[name % NAMES.len()],
                *escaped,
            );
        }
    }
    let temp = tempfile::tempdir().unwrap();
    for (relative, bytes) in &files {
        let path = temp.path().join(relative);
        // A renamed file's name may not make a path here (`/`, NUL): then it is simply missing.
        let _ = std::fs::create_dir_all(path.parent().unwrap());
        let _ = std::fs::write(path, bytes);
    }
    // A crash that kills the process (a stack overflow) cannot be caught and shrunk: with
    // FUZZ_CURRENT_CASE=<file>, each case's directory is named there first, and kept by the crash.
    if let Some(record) = std::env::var_os("FUZZ_CURRENT_CASE") {
        std::fs::write(record, format!("{} {}\n", temp.path().display(), seed.root)).unwrap();
    }
    let settings = generator::Settings::new(temp.path().join(&seed.root), Path::new("client"));
    let outcome = |settings: &generator::Settings| {
        std::panic::catch_unwind(|| {
            generator::generate(settings)
                .map(|output| (output.files, output.warnings))
                .map_err(|err| err.to_string())
        })
    };
    let show_case = || {
        format!(
            "a mutant of {} ({})\n--- mutated file ---\n{}",
            seed.name,
            seed.files[index].0,
            String::from_utf8_lossy(&mutated[..mutated.len().min(4000)])
        )
    };
    // Both runs on a thread of their own, so that a hang is seen: past the deadline the thread
    // is left behind (it cannot be stopped) and the case fails, its directory kept.
    let (sender, receiver) = std::sync::mpsc::channel();
    let runs = {
        let settings = settings.clone();
        move || {
            let first = outcome(&settings);
            let second = first.is_ok().then(|| outcome(&settings));
            let _ = sender.send((first, second));
        }
    };
    std::thread::Builder::new()
        .name("fuzz-case".into())
        .spawn(runs)
        .unwrap();
    let (first, second) = match receiver.recv_timeout(case_deadline()) {
        Ok(done) => done,
        Err(_) => {
            HANGS.fetch_add(1, Ordering::Relaxed);
            let kept = temp.keep();
            return Err(TestCaseError::fail(format!(
                "the generator did not finish within {:?} (a hang) on {}\nkept in {}",
                case_deadline(),
                show_case(),
                kept.display()
            )));
        }
    };
    let first = first.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        PANICS.fetch_add(1, Ordering::Relaxed);
        TestCaseError::fail(format!(
            "the generator panicked on {}: {message}",
            show_case()
        ))
    })?;
    let second = second
        .unwrap_or_else(|| unreachable!("a second run follows a first without a panic"))
        .map_err(|_| TestCaseError::fail("panicked on the second run only"))?;
    prop_assert!(
        first == second,
        "two runs on the same mutant of {} differ",
        seed.name
    );
    CASES.fetch_add(1, Ordering::Relaxed);
    if first.is_ok() {
        ACCEPTED.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    assert!(seeds.len() >= 10, "seeds: {}", seeds.len());
    let mut config = Config::default();
    let long = std::env::var_os("PROPTEST_CASES").is_some();
    if !long {
        config.cases = 64; // a smoke run for CI; set PROPTEST_CASES for a long one
    }
    config.failure_persistence = Some(Box::new(
        proptest::test_runner::FileFailurePersistence::Direct("tests/fuzz.proptest-regressions"),
    ));
    // A hang costs a deadline per shrinking step: bound the shrinking.
    config.max_shrink_time = 10 * 60 * 1000;
    let cases = config.cases;
    let started = std::time::Instant::now();
    // The smoke run is the same 64 cases every time (CI must not flake); a long run draws anew.
    let mut runner = if long {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    };
    let seed = (
        prop_oneof![3 => Just(true), 1 => Just(false)],
        any::<usize>(),
    );
    let strategy = (
        seed,
        any::<usize>(),
        prop::collection::vec(mutation(), 1..4),
    );
    let result = runner.run(&strategy, |(seed, file, mutations)| {
        run_case(&seeds, seed, file, &mutations)
    });
    // Figures for the closing note of a long run (shown with --nocapture).
    eprintln!(
        "fuzz: {} cases ({} configured) in {:.1?} over {} seeds: {} accepted, {} refused with errors; {} panicking and {} hanging runs (counting the shrinking of a failure)",
        CASES.load(Ordering::Relaxed),
        cases,
        started.elapsed(),
        seeds.len(),
        ACCEPTED.load(Ordering::Relaxed),
        CASES.load(Ordering::Relaxed) - ACCEPTED.load(Ordering::Relaxed),
        PANICS.load(Ordering::Relaxed),
        HANGS.load(Ordering::Relaxed),
    );
    if let Err(err) = result {
        panic!("{err}");
    }
}
