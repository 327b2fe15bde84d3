//! Formatting every planned file on every core. Each part of each file (see [`FilePlan`]) is a
//! job: a worker makes the part's tokens, formats them with prettyplease, and hands back the
//! text; the files are then put together from their parts in order, so the output does not
//! depend on which thread did what. Formatting is most of the generator's work, and the server
//! module alone is a third of it, so the jobs are parts rather than files.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{
    file_start, fill_in_docs, format_tokens, import_names, imports, mentions, plan_files,
    print_tokens, FilePlan, Part,
};
use crate::error::Error;
use crate::ir::Api;

/// The stack of each worker: as for the pipeline's own thread (see `generate` in lib.rs), the
/// memory is reserved, not used, until something nests that deep.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// More threads than this only add memory: the jobs are small and the machine's cores few.
const MAX_WORKERS: usize = 16;

/// Every Rust file of the crate except the runtime and `lib.rs`, formatted under `header`:
/// (path, contents), in the order of [`super::rust_files`], each exactly what
/// [`super::format_file`] makes of it.
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
                let no_docs = super::docs::DocBlocks::default();
                append(&mut text, &format_tokens(line, &no_docs, &plan.path)?);
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
        let tokens = (self.part)();
        let docs = super::docs::DocBlocks::take();
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
