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
    /// The text of the line at [`Diagnostic::line_column`], shown under the location like rustc.
    pub source_line: Option<String>,
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
            source_line: None,
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
            source_line: None,
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Diagnostic {
    /// The message and where it is, without the `error:`/`warning:` label: the form that
    /// [`crate::Output::warnings`] holds and that follows the label in [`fmt::Display`].
    ///
    /// ```text
    /// `$ref: ./missing.yaml` cannot be followed: the file does not exist
    ///  --> spec/openapi.yaml:5:5 at #/paths/~1a
    ///   |
    /// 5 |     $ref: './missing.yaml'
    ///   |     ^
    ///   = help: the reference resolves to spec/missing.yaml
    /// ```
    pub fn body(&self) -> String {
        let mut out = self.message.clone();
        let gutter = match (&self.source_line, self.line_column) {
            (Some(_), Some((line, _))) => line.to_string().len(),
            _ => 1,
        };
        let pad = " ".repeat(gutter);
        out.push_str(&format!("\n{pad}--> {}", self.file.display()));
        if let Some((line, column)) = self.line_column {
            out.push_str(&format!(":{line}:{column}"));
        }
        if let Some(pointer) = self.pointer.as_deref().filter(|p| !p.is_empty()) {
            out.push_str(&format!(" at #{pointer}"));
        }
        if let (Some(text), Some((line, column))) = (&self.source_line, self.line_column) {
            // Tabs would misplace the caret; the caret counts characters, not bytes. A long line
            // (minified JSON) is shown around the column.
            let chars: Vec<char> = text.replace('\t', " ").chars().collect();
            let skip = column.saturating_sub(80);
            let shown: String = chars.iter().skip(skip).take(120).collect();
            let (prefix, shown) = if skip > 0 {
                ("...", shown)
            } else {
                ("", shown)
            };
            let caret = " ".repeat(prefix.len() + (column - 1 - skip).min(shown.chars().count()));
            out.push_str(&format!(
                "\n{pad} |\n{line} | {prefix}{}\n{pad} | {caret}^",
                shown.trim_end()
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n{pad} = help: {help}"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.body())
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

    /// How many problems have been recorded.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The last `count` recorded, to amend them.
    pub fn last_mut(&mut self, count: usize) -> &mut [Diagnostic] {
        let from = self.items.len().saturating_sub(count);
        &mut self.items[from..]
    }

    /// Takes out what was recorded after the first `from`, to report it otherwise.
    pub fn take_from(&mut self, from: usize) -> Vec<Diagnostic> {
        self.items.split_off(from.min(self.items.len()))
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
    /// Ctrl-C arrived before the new output was swapped in; the previous output is untouched.
    #[error("interrupted; {} was left as it was", path.display())]
    Interrupted {
        /// The output directory.
        path: PathBuf,
    },
    /// The generated crate's name (given, or taken from the output directory) is not one Cargo
    /// accepts.
    #[error("`{name}` cannot be the generated crate's name: {reason}\n  = help: pass a name with `--crate-name` (letters, digits, `-` and `_`, starting with a letter)")]
    CrateName {
        /// The name.
        name: String,
        /// Why not.
        reason: &'static str,
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
