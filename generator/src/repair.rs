//! Defects the generator works around instead of refusing the whole spec. Vendors publish specs
//! with small mistakes (a path parameter the template lacks, a template variable nobody
//! declares), and one of them must not leave a user with no client at all: the smallest unit
//! fails, not the spec.
//!
//! - Where the intent is unambiguous, the defect is **repaired** (see each rule's module) and
//!   reported as a warning that names the file, line, column and JSON pointer, what was done and
//!   why.
//! - Where it is not, the one operation or schema that cannot be understood is **left out**, with
//!   what depends only on it, and reported the same way.
//!
//! With `--strict` ([`crate::Settings::strict`]) every repair and omission is an error instead,
//! for users who want CI to refuse a defective spec.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::Diagnostic;

/// What was done about a defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fix {
    /// The defect was repaired; the unit is generated as the spec evidently meant it.
    Repaired,
    /// The unit could not be understood and is not generated.
    LeftOut,
}

/// The unit a defect belongs to: what is counted as repaired or left out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    /// An operation, by its pointer in the bundled document (`/paths/~1items/get`).
    Operation(String),
    /// A component schema, by name.
    Schema(String),
    /// Anything else (a component parameter or response), by pointer: counted as neither.
    Other(String),
}

/// One defect and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// Repaired or left out.
    pub fix: Fix,
    /// What it belongs to.
    pub unit: Unit,
    /// Where the defect is (a pointer into the bundled document until it is presented), what was
    /// repaired or left out, and why.
    pub diagnostic: Diagnostic,
}

impl Repair {
    /// A repaired defect of the operation at `operation` (a pointer into the bundle), found at
    /// `pointer`.
    pub fn operation(
        fix: Fix,
        root: &std::path::Path,
        operation: &str,
        pointer: &str,
        message: impl Into<String>,
    ) -> Self {
        Repair {
            fix,
            unit: Unit::Operation(operation.to_string()),
            diagnostic: Diagnostic::at(root, pointer, message),
        }
    }

    /// Adds the diagnostic's help.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.with_help(help);
        self
    }

    /// The label the message starts with: `repaired` or `left out`.
    pub fn label(&self) -> &'static str {
        match self.fix {
            Fix::Repaired => "repaired",
            Fix::LeftOut => "left out",
        }
    }

    /// The warning a run prints (without its `warning:` label): `repaired: ...`, then where.
    pub fn warning(&self) -> String {
        format!("{}: {}", self.label(), self.diagnostic.body())
    }

    /// The error `--strict` makes of it: the same defect, refused.
    pub fn refusal(&self) -> Diagnostic {
        let mut diagnostic = self.diagnostic.clone();
        diagnostic.message = format!(
            "a defect ({} without --strict): {}",
            self.label(),
            diagnostic.message
        );
        diagnostic
    }
}

impl Unit {
    /// The unit a pointer into the bundled document belongs to: the operation or component
    /// schema it is in, else [`Unit::Other`].
    pub fn of(pointer: &str) -> Unit {
        let segments: Vec<&str> = pointer.split('/').collect();
        match segments.as_slice() {
            ["", "components", "schemas", name, ..] => {
                Unit::Schema(name.replace("~1", "/").replace("~0", "~"))
            }
            ["", "paths", path, method, ..] if crate::openapi30::METHODS.contains(method) => {
                Unit::Operation(format!("/paths/{path}/{method}"))
            }
            _ => Unit::Other(pointer.to_string()),
        }
    }
}

/// A schema whose `enum` lists a value more than once: the value is one enum variant (two would
/// be one wire value decoded two ways). Checked on the document, where the pointer is known;
/// lowering keeps the first of each value.
pub(crate) fn duplicate_enum_values(
    schema: &Map<String, Value>,
    at: &str,
    root: &Path,
) -> Option<Repair> {
    let values = schema.get("enum")?.as_array()?;
    let mut seen = BTreeSet::new();
    let mut twice: Vec<String> = Vec::new();
    for value in values {
        if !seen.insert(value.to_string()) && !twice.contains(&value.to_string()) {
            twice.push(value.to_string());
        }
    }
    if twice.is_empty() {
        return None;
    }
    let listed: Vec<String> = twice.iter().map(|v| format!("`{v}`")).collect();
    Some(
        Repair {
            fix: Fix::Repaired,
            unit: Unit::of(at),
            diagnostic: Diagnostic::at(
                root,
                &format!("{at}/enum"),
                format!(
                    "`enum` lists {} more than once: each value is one variant",
                    listed.join(", ")
                ),
            ),
        }
        .with_help("list each value once"),
    )
}

/// A defect in a whole file (a parameter that is a file of its own) is at the file's first
/// line: every repair names a line and column.
pub(crate) fn at_file_start(diagnostic: &mut Diagnostic) {
    if diagnostic.line_column.is_some() || diagnostic.pointer.as_deref() != Some("") {
        return;
    }
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(&diagnostic.file) else {
        return;
    };
    let mut first = String::new();
    if std::io::BufReader::new(file).read_line(&mut first).is_ok() {
        diagnostic.line_column = Some((1, 1));
        diagnostic.source_line = Some(first.trim_end().to_string());
    }
}

/// How many units were repaired and left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Operations generated with at least one repair.
    pub operations_repaired: usize,
    /// Operations not generated.
    pub operations_left_out: usize,
    /// Component schemas generated with at least one repair.
    pub schemas_repaired: usize,
    /// Component schemas not generated.
    pub schemas_left_out: usize,
}

impl Counts {
    /// Counts distinct units; a unit left out is not also counted as repaired.
    pub fn of(repairs: &[Repair]) -> Counts {
        let left_out: BTreeSet<&Unit> = repairs
            .iter()
            .filter(|r| r.fix == Fix::LeftOut)
            .map(|r| &r.unit)
            .collect();
        let repaired: BTreeSet<&Unit> = repairs
            .iter()
            .filter(|r| r.fix == Fix::Repaired && !left_out.contains(&r.unit))
            .map(|r| &r.unit)
            .collect();
        let operations = |set: &BTreeSet<&Unit>| {
            set.iter()
                .filter(|u| matches!(u, Unit::Operation(_)))
                .count()
        };
        let schemas =
            |set: &BTreeSet<&Unit>| set.iter().filter(|u| matches!(u, Unit::Schema(_))).count();
        Counts {
            operations_repaired: operations(&repaired),
            operations_left_out: operations(&left_out),
            schemas_repaired: schemas(&repaired),
            schemas_left_out: schemas(&left_out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn units_of_pointers() {
        assert_eq!(
            Unit::of("/paths/~1a/get/responses/200"),
            Unit::Operation("/paths/~1a/get".into())
        );
        assert_eq!(
            Unit::of("/components/schemas/A~1B/properties/x"),
            Unit::Schema("A/B".into())
        );
        assert!(matches!(
            Unit::of("/paths/~1a/parameters/0"),
            Unit::Other(_)
        ));
        assert!(matches!(
            Unit::of("/components/responses/E"),
            Unit::Other(_)
        ));
    }

    #[test]
    fn units_are_counted_once_and_left_out_wins() {
        let root = Path::new("openapi.yaml");
        let op = |fix, at: &str| Repair::operation(fix, root, at, at, "m");
        let schema = |fix, name: &str| Repair {
            fix,
            unit: Unit::Schema(name.into()),
            diagnostic: Diagnostic::at(root, "/components/schemas/x", "m"),
        };
        let repairs = vec![
            op(Fix::Repaired, "/paths/~1a/get"),
            op(Fix::Repaired, "/paths/~1a/get"),
            op(Fix::Repaired, "/paths/~1b/get"),
            op(Fix::LeftOut, "/paths/~1b/get"),
            op(Fix::LeftOut, "/paths/~1c/get"),
            schema(Fix::LeftOut, "A"),
            schema(Fix::Repaired, "B"),
        ];
        assert_eq!(
            Counts::of(&repairs),
            Counts {
                operations_repaired: 1,
                operations_left_out: 2,
                schemas_repaired: 1,
                schemas_left_out: 1,
            }
        );
    }
}
