//! What the CLI prints, as cargo's tools print it: `error:` and `warning:` labels (coloured when
//! wanted), notes that `--quiet` silences, plurals, and `--check --diff`'s unified diffs. The
//! library returns messages; only the binary decides how a terminal shows them.

use std::io::IsTerminal;
use std::path::Path;

/// `--color`: whether the `error:`/`warning:` labels are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Coloured when stderr is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    /// Always coloured (the flag overrides `NO_COLOR`, as <https://no-color.org> allows).
    Always,
    /// Never coloured.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given `NO_COLOR`'s value and whether stderr is a terminal.
    pub fn colours(self, no_color: Option<&str>, stderr_is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_is_terminal && no_color.is_none_or(str::is_empty),
        }
    }
}

/// Prints the run's messages on stderr: errors and warnings always, notes unless `quiet`.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    /// `--quiet`: no notes (summary, API changes), only errors and warnings.
    pub quiet: bool,
    /// Colour the labels (ANSI bold red `error`, bold yellow `warning`, as cargo does).
    pub colour: bool,
}

impl Reporter {
    /// The reporter for `--color` and `--quiet` in this process's environment.
    pub fn new(choice: ColorChoice, quiet: bool) -> Self {
        let no_color = std::env::var("NO_COLOR").ok();
        let colour = choice.colours(no_color.as_deref(), std::io::stderr().is_terminal());
        Reporter { quiet, colour }
    }

    /// `error:`, coloured if wanted.
    pub fn error_label(&self) -> &'static str {
        if self.colour {
            "\x1b[1;31merror\x1b[0m\x1b[1m:\x1b[0m"
        } else {
            "error:"
        }
    }

    /// `warning:`, coloured if wanted.
    pub fn warning_label(&self) -> &'static str {
        if self.colour {
            "\x1b[1;33mwarning\x1b[0m\x1b[1m:\x1b[0m"
        } else {
            "warning:"
        }
    }

    /// An error: `text` under the `error:` label, unless it is already a list of labelled
    /// diagnostics (a spec's errors), whose labels are coloured where they start a line.
    pub fn error(&self, text: &str) {
        let labelled = text.starts_with("error: ");
        let text = match labelled {
            true => text.to_string(),
            false => format!("error: {text}"),
        };
        eprintln!("{}", self.paint(&text));
    }

    /// A warning (a [`generator::Output::warnings`] entry), followed by an empty line.
    pub fn warning(&self, text: &str) {
        eprintln!("{} {text}\n", self.warning_label());
    }

    /// A note (progress, summary): silenced by `--quiet`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// `text` with each `error: ` that starts a line under the coloured label. Only labels start
    /// a line: a diagnostic's other lines start with its gutter (spaces or a line number).
    fn paint(&self, text: &str) -> String {
        if !self.colour {
            return text.to_string();
        }
        text.split_inclusive('\n')
            .map(|line| match line.strip_prefix("error:") {
                Some(rest) => format!("{}{rest}", self.error_label()),
                None => line.to_string(),
            })
            .collect()
    }
}

/// `count` and the noun, singular or plural (`1 file`, `2 files`, `0 warnings`).
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The unified diff (3 lines of context) of a file of the output directory that would change:
/// `before` is what `out` holds (empty for a new file), `after` what the generator makes of the
/// spec (empty for a removed one). Headers name the file relative to `out`, as `a/` and `b/`.
pub fn unified_diff(out: &Path, path: &Path, before: &str, after: &str) -> String {
    let name = path
        .strip_prefix(out)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let (old, new) = match (before.is_empty(), after.is_empty()) {
        (true, _) => ("/dev/null".to_string(), format!("b/{name}")),
        (_, true) => (format!("a/{name}"), "/dev/null".to_string()),
        _ => (format!("a/{name}"), format!("b/{name}")),
    };
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .missing_newline_hint(true)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_no_color_then_the_terminal() {
        use ColorChoice::*;
        assert!(Always.colours(Some("1"), false));
        assert!(!Never.colours(None, true));
        assert!(Auto.colours(None, true));
        assert!(Auto.colours(Some(""), true), "an empty NO_COLOR is unset");
        assert!(!Auto.colours(Some("1"), true));
        assert!(!Auto.colours(None, false));
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(0, "warning", "warnings"), "0 warnings");
        assert_eq!(plural(2, "type", "types"), "2 types");
    }

    #[test]
    fn labels_are_painted_only_where_they_start_a_line() {
        let plain = Reporter {
            quiet: false,
            colour: false,
        };
        assert_eq!(plain.paint("error: a\nerror: b"), "error: a\nerror: b");
        let painted = Reporter {
            quiet: false,
            colour: true,
        };
        let text = painted.paint("error: a\n  = help: no error: here\nerror: b");
        assert_eq!(text.matches("\x1b[1;31merror").count(), 2, "{text:?}");
        assert!(text.contains("no error: here"));
    }

    #[test]
    fn diffs_name_the_file_below_the_output_directory() {
        let out = Path::new("/o");
        let diff = unified_diff(out, &out.join("src/a.rs"), "x\ny\n", "x\nz\n");
        assert_eq!(
            diff,
            "--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n"
        );
        let added = unified_diff(out, &out.join("README.md"), "", "new\n");
        assert!(
            added.starts_with("--- /dev/null\n+++ b/README.md\n"),
            "{added}"
        );
    }
}
