//! Structured errors. Every problem found in a spec is a [`Diagnostic`] that names the file and,
//! where known, the line, column and JSON pointer; a phase collects all of its diagnostics before
//! the pipeline stops, so the user sees every broken `$ref` at once, not one per run.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the input, with where it was found and, when we know it, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line and column, known for syntax errors.
    pub line_column: Option<(usize, usize)>,
    /// JSON pointer inside the document (`/paths/~1items/get`), when known.
    pub pointer: Option<String>,
    /// What was expected and what was found.
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at a JSON pointer inside `file`.
    pub fn at(file: &Path, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line_column: None,
            pointer: Some(pointer.to_string()),
            message: message.into(),
            help: None,
        }
    }

    /// A problem with a file as a whole (unreadable, not YAML, ...).
    pub fn in_file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line_column: None,
            pointer: None,
            message: message.into(),
            help: None,
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        write!(f, "  --> {}", self.file.display())?;
        if let Some((line, column)) = self.line_column {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, "#{pointer}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// Collects the diagnostics of one phase; [`Diagnostics::finish`] turns them into an error.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem and goes on.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Whether nothing has been recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Ends the phase: `Ok` when nothing went wrong, otherwise every problem, in the order found.
    pub fn finish(&mut self) -> Result<(), Error> {
        if self.items.is_empty() {
            Ok(())
        } else {
            Err(Error::Spec(std::mem::take(&mut self.items)))
        }
    }
}

/// Everything that can stop a generator run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is wrong or unsupported; every problem of the failing phase is listed.
    #[error("{}", render_all(.0))]
    Spec(Vec<Diagnostic>),
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or directory being written.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The generator produced Rust it cannot parse: a bug in the generator, not in the spec.
    #[error(
        "internal error: generated code for {what} does not parse ({message}); please report this"
    )]
    Emit {
        /// Which output file.
        what: String,
        /// The parser's message.
        message: String,
    },
    /// A template failed to render: a bug in templates/.
    #[error("template {name} failed to render: {message}")]
    Template {
        /// The template's name.
        name: String,
        /// minijinja's message.
        message: String,
    },
}

fn render_all(items: &[Diagnostic]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&item.to_string());
        out.push_str("\n\n");
    }
    let count = items.len();
    out.push_str(&format!(
        "{count} error{} found; nothing was written",
        if count == 1 { "" } else { "s" }
    ));
    out
}
