//! Formatting every planned file on every core. Each part of each file (see [`FilePlan`]) is a
//! job: a worker makes the part's tokens, formats them with prettyplease, and hands back the
//! text; the files are then put together from their parts in order, so the output does not
//! depend on which thread did what. Formatting is most of the generator's work, and the server
//! module alone is a third of it, so the jobs are parts rather than files.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use super::docs::{self, DocBlocks};
use super::plan::{import_names, imports, mentions, plan_files};
use super::{field_lists, FilePlan, Part};
use crate::error::Error;
use crate::ir::Api;

/// The stack of each worker: as for the pipeline's own thread (see `generate` in lib.rs), the
/// memory is reserved, not used, until something nests that deep.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// More threads than this only add memory: the jobs are small and the machine's cores few.
const MAX_WORKERS: usize = 16;

/// Every Rust file of the crate except the runtime and `lib.rs` (which come from templates),
/// formatted under `header`: (path, contents), in the order the files are planned.
pub fn format_files(api: &Api, header: &str) -> Result<Vec<(String, String)>, Error> {
    format_files_until(api, header, Stage::Printed)
}

/// Moves the job counter past every job when the worker holding it unwinds from a panic.
struct StopOthers<'a>(&'a AtomicUsize);

impl Drop for StopOthers<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(usize::MAX / 2, Ordering::Relaxed);
        }
    }
}

/// How far [`format_files_until`] takes each part: a profiling aid (`bench`'s `phases` times
/// each stage), since the stages cannot be timed apart inside one run on several threads.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Make each part's tokens, then drop them: the files are empty.
    Tokens,
    /// Instead of parsing, display the tokens as proc_macro2 does (unformatted, one line): the
    /// least any printing of token streams costs. The files hold that text.
    Displayed,
    /// Also parse the tokens with syn: the files are still empty.
    Parsed,
    /// Also print them with prettyplease and fill in the docs: [`format_files`].
    Printed,
}

/// [`format_files`], stopping each part at `stage`.
#[doc(hidden)]
pub fn format_files_until(
    api: &Api,
    header: &str,
    stage: Stage,
) -> Result<Vec<(String, String)>, Error> {
    let plans = plan_files(api);
    let jobs = jobs(&plans, stage);
    let mut done: Vec<Option<Result<Formatted, Error>>> = Vec::new();
    done.resize_with(jobs.len(), || None);
    let next = AtomicUsize::new(0);
    let work = || {
        // A worker that panics (a bug) makes the others stop taking jobs, so the panic reaches
        // the caller as soon as the jobs under way are done.
        let stop = StopOthers(&next);
        let mut finished = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            crate::fault::maybe_panic(crate::fault::Pool::Format);
            finished.push((i, job.run()));
        }
        drop(stop);
        finished
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_WORKERS)
        .min(jobs.len().max(1));
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .name("generator-format".into())
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // This thread works too; a helper that could not be started leaves its share to it.
        let mut finished = work();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => finished.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, result) in finished {
            done[i] = Some(result);
        }
    });
    let mut done = done
        .into_iter()
        .map(|slot| slot.unwrap_or_else(|| unreachable!("every job is taken by some worker")));
    let mut files = Vec::with_capacity(plans.len());
    for plan in &plans {
        let mut text = file_start(header, &plan.doc);
        for _ in &plan.head {
            append(
                &mut text,
                &done.next().unwrap_or_else(|| unreachable!())?.text,
            );
        }
        let mut items = Vec::with_capacity(plan.items.len());
        let (mut errors, mut models) = (false, false);
        for _ in &plan.items {
            let part = done.next().unwrap_or_else(|| unreachable!())?;
            errors |= part.errors;
            models |= part.models;
            items.push(part.text);
        }
        if let Some(names) = plan.imports {
            if let Some(line) = imports(errors, models, import_names(names)) {
                let no_docs = DocBlocks::default();
                let printed = print_tokens(line, &plan.path)?;
                append(&mut text, &fill_in_docs(printed, &no_docs, &plan.path)?);
            }
        }
        for item in &items {
            append(&mut text, item);
        }
        files.push((plan.path.clone(), text));
    }
    Ok(files)
}

/// Appends a formatted part. prettyplease ends every item with a line break, but not a file's
/// last inner attribute (`#![allow(...)]`): a part of nothing but inner attributes gets its
/// line break when something follows it, as it would in the whole file.
fn append(text: &mut String, part: &str) {
    if part.is_empty() {
        return;
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(part);
}

/// One part to format.
struct Job<'p, 'a> {
    part: &'p Part<'a>,
    path: &'p str,
    /// Whether to find out if the part refers to `errors` and `models` (for the imports).
    imports: bool,
    stage: Stage,
}

/// A formatted part.
struct Formatted {
    text: String,
    errors: bool,
    models: bool,
}

impl Job<'_, '_> {
    fn run(&self) -> Result<Formatted, Error> {
        let docs = DocBlocks::default();
        let tokens = (self.part)(&docs);
        let (mut errors, mut models) = (false, false);
        let text = match self.stage {
            Stage::Printed => {
                let printed = print_tokens(tokens, self.path)?;
                if self.imports {
                    (errors, models) = mentions(&printed);
                }
                fill_in_docs(printed, &docs, self.path)?
            }
            Stage::Parsed => {
                drop(syn::parse2::<syn::File>(tokens));
                String::new()
            }
            Stage::Displayed => tokens.to_string(),
            Stage::Tokens => String::new(),
        };
        Ok(Formatted {
            text,
            errors,
            models,
        })
    }
}

/// The parts of all files, in the order the files are put together from them.
fn jobs<'p, 'a>(plans: &'p [FilePlan<'a>], stage: Stage) -> Vec<Job<'p, 'a>> {
    let mut jobs = Vec::new();
    for plan in plans {
        for part in &plan.head {
            jobs.push(Job {
                part,
                path: &plan.path,
                imports: false,
                stage,
            });
        }
        for part in &plan.items {
            jobs.push(Job {
                part,
                path: &plan.path,
                imports: plan.imports.is_some(),
                stage,
            });
        }
    }
    jobs
}

/// Items printed by prettyplease, their doc comments still markers.
fn print_tokens(tokens: TokenStream, what: &str) -> Result<String, Error> {
    let syntax: syn::File = syn::parse2(tokens).map_err(|err| Error::Emit {
        what: what.to_string(),
        message: err.to_string(),
    })?;
    Ok(prettyplease::unparse(&syntax))
}

/// Printed items with their doc comments put in and field lists laid out.
fn fill_in_docs(printed: String, docs: &DocBlocks, what: &str) -> Result<String, Error> {
    let text = docs.fill_in(printed).map_err(|missing| Error::Emit {
        what: what.to_string(),
        message: format!(
            "{missing} doc comment(s) not printed as doc lines (inside a macro's tokens?)"
        ),
    })?;
    Ok(field_lists::lay_out(text))
}

/// The `@generated` header and the module doc that start every Rust file.
fn file_start(header: &str, doc: &str) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    for line in docs::sanitize(doc) {
        out.push_str("//!");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&line);
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use quote::quote;

    use super::*;

    /// spec/, every fixture spec, and the error fixtures that generate (with warnings).
    fn specs() -> Vec<PathBuf> {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut specs = vec![workspace.join("spec/openapi.yaml")];
        for dir in ["tests/fixtures", "tests/error-fixtures"] {
            let mut found: Vec<PathBuf> = std::fs::read_dir(workspace.join(dir))
                .into_iter()
                .flatten()
                .map(|e| e.unwrap().path().join("openapi.yaml"))
                .filter(|p| p.exists())
                .collect();
            found.sort();
            specs.extend(found);
        }
        specs
    }

    /// A planned file made whole and formatted at once: what formatting part by part must give.
    fn formatted_whole(plan: &FilePlan, header: &str) -> String {
        let docs = DocBlocks::default();
        let head = plan.head.iter().map(|part| part(&docs));
        let items: TokenStream = plan.items.iter().map(|part| part(&docs)).collect();
        let imports = plan.imports.and_then(|names| {
            let (errors, models) = mentions(&items.to_string());
            imports(errors, models, import_names(names))
        });
        let tokens = quote!(#(#head)* #imports #items);
        let mut text = file_start(header, &plan.doc);
        let printed = print_tokens(tokens, &plan.path).unwrap();
        text.push_str(&fill_in_docs(printed, &docs, &plan.path).unwrap());
        text
    }

    /// Formatting part by part on several threads ([`format_files`], what `generate` does) gives
    /// exactly what formatting each whole file on one thread gives: prettyplease prints a
    /// file's items one after another, and the parts are put back together in order.
    #[test]
    fn parts_formatted_in_parallel_make_the_files_formatted_whole() {
        let header = "// @generated (test)";
        let mut compared = 0;
        for spec in specs() {
            let settings = crate::Settings::new(&spec, Path::new("c"));
            let Ok(output) = crate::generate(&settings) else {
                continue; // an error fixture that stops before emitting
            };
            let parallel = format_files(&output.api, header).unwrap();
            let plans = plan_files(&output.api);
            assert_eq!(parallel.len(), plans.len(), "{}", spec.display());
            for ((path, text), plan) in parallel.iter().zip(&plans) {
                assert_eq!(path, &plan.path, "{}", spec.display());
                let whole = formatted_whole(plan, header);
                assert!(
                    *text == whole,
                    "{path} of {} differs:\n--- whole\n{whole}\n--- parts\n{text}",
                    spec.display()
                );
            }
            compared += 1;
        }
        assert!(compared > 20, "only {compared} specs generated");
    }
}
