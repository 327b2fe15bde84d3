//! Compares two API listings (see [`super::listing`]) and says what changed: each change marked
//! compatible or breaking, by the rules cargo-semver-checks applies to the same Rust items, and
//! the semver bump they imply.
//!
//! The rules, per line:
//! - an item removed is breaking;
//! - an item added is compatible, except a field or variant of a type that is not
//!   `#[non_exhaustive]` and a trait method without a default (`provided`);
//! - a type line whose kind changes is breaking; one that gains `#[non_exhaustive]` or loses a
//!   trait impl is breaking; one that only gains trait impls, loses `#[non_exhaustive]`, or
//!   changes `#[deprecated]` is compatible;
//! - any other line that changes is breaking (a signature, a field's type, a variant's payload or
//!   wire value), unless only its `#[deprecated]` changed;
//! - a struct or enum that becomes an alias of another (`type = models::X`) is judged as if it had
//!   become `X`: its line against `X`'s, each of its members against `X`'s member of that name
//!   (one that `X` has alike is no change), and a field `X` has beyond them breaks an exhaustive
//!   struct. Code that names the old type then still compiles.
//!
//! The members of a type added or removed are folded into its line, so that a new operation or
//! schema reads as one change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a change means to the crate's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code that compiled against the previous version may not compile against this one.
    Breaking,
    /// Code that compiled before still compiles.
    Compatible,
}

/// One changed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaking or compatible.
    pub severity: Severity,
    /// The item's path.
    pub path: String,
    /// Its previous declaration (`None`: added).
    pub old: Option<String>,
    /// Its new declaration (`None`: removed).
    pub new: Option<String>,
    /// How many members (fields, variants, methods) came or went with it.
    pub members: usize,
}

/// The semver bump a set of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing in the API changed.
    None,
    /// Only compatible changes.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Bump {
    /// `version` bumped under Cargo's rules: before 1.0 the first non-zero part is the major
    /// one (`0.3.1` -> `0.4.0` for a break, `0.3.2` for an addition). Pre-release and build
    /// suffixes are dropped. `None` for a version that is not `x.y.z`.
    pub fn apply(self, version: &str) -> Option<String> {
        let core = version.split(['-', '+']).next().unwrap_or_default();
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        Some(match (self, major, minor) {
            (Bump::None, ..) => format!("{major}.{minor}.{patch}"),
            (Bump::Major, 0, 0) | (Bump::Minor, 0, 0) => format!("0.0.{}", patch + 1),
            (Bump::Major, 0, _) => format!("0.{}.0", minor + 1),
            (Bump::Minor, 0, _) => format!("0.{minor}.{}", patch + 1),
            (Bump::Major, ..) => format!("{}.0.0", major + 1),
            (Bump::Minor, ..) => format!("{major}.{}.0", minor + 1),
        })
    }

    fn word(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Minor => "minor (compatible)",
            Bump::Major => "major (breaking)",
        }
    }
}

/// Every change between two listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Breaking changes first, then by path.
    pub changes: Vec<Change>,
}

impl Report {
    /// The bump the changes imply.
    pub fn bump(&self) -> Bump {
        if self
            .changes
            .iter()
            .any(|c| c.severity == Severity::Breaking)
        {
            Bump::Major
        } else if self.changes.is_empty() {
            Bump::None
        } else {
            Bump::Minor
        }
    }

    /// How many changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }
}

/// The lines of a listing by path (comments and blank lines skipped).
fn parse(listing: &str) -> BTreeMap<&str, &str> {
    listing
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once(' ').unwrap_or((l, "")))
        .collect()
}

/// The path of the item a member belongs to (`models::X` for `models::X::name`).
fn parent(path: &str) -> Option<&str> {
    path.rsplit_once("::").map(|(p, _)| p)
}

/// Compares the listing a crate had (`old`) with the one it gets (`new`).
pub fn compare(old: &str, new: &str) -> Report {
    let (old, new) = (parse(old), parse(new));
    let paths: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let aliased = aliased(&old, &new);
    let mut changes = Vec::new();
    let mut folded: BTreeMap<&str, usize> = BTreeMap::new();
    for &path in &paths {
        let (before, mut after) = (old.get(path).copied(), new.get(path).copied());
        if before == after {
            continue;
        }
        // A member of a type that became an alias is what the aliased type has under its name.
        if let Some((owner, member)) = path.rsplit_once("::") {
            if let (Some(target), Some(before)) = (aliased.get(owner), before) {
                let same = new.get(format!("{target}::{member}").as_str()).copied();
                // The type's own parts became aliases too (`models::ACopyPart` of `models::APart`).
                let before = through_aliases(before, &aliased);
                if same.is_some_and(|same| changed(&before, same) == Severity::Compatible) {
                    *folded.entry(owner).or_default() += 1;
                    continue;
                }
                after = after.or(same);
            }
        }
        // A member of a type that came or went with it is counted on the type's line.
        if let Some(owner) = parent(path) {
            let came = before.is_none() && new.contains_key(owner) && !old.contains_key(owner);
            let went = after.is_none() && old.contains_key(owner) && !new.contains_key(owner);
            if came || went {
                *folded.entry(owner).or_default() += 1;
                continue;
            }
        }
        let severity = match (before, after) {
            (Some(_), None) => Severity::Breaking,
            (None, Some(declaration)) => added(path, declaration, &new),
            (Some(a), Some(_)) if aliased.contains_key(path) => {
                became_alias(path, a, aliased[path], &old, &new)
            }
            (Some(a), Some(b)) => changed(a, b),
            (None, None) => continue,
        };
        changes.push(Change {
            severity,
            path: path.to_string(),
            old: before.map(str::to_string),
            new: after.map(str::to_string),
            members: 0,
        });
    }
    for change in &mut changes {
        change.members = folded.get(change.path.as_str()).copied().unwrap_or(0);
    }
    changes.sort_by(|a, b| (a.severity, &a.path).cmp(&(b.severity, &b.path)));
    Report { changes }
}

/// The types of `old` (structs and enums) that are aliases in `new`, with the type each names
/// in the end (through aliases of aliases).
fn aliased<'a>(
    old: &BTreeMap<&'a str, &'a str>,
    new: &BTreeMap<&'a str, &'a str>,
) -> BTreeMap<&'a str, &'a str> {
    let alias_of = |path: &str| {
        new.get(path)
            .and_then(|d| d.strip_prefix("type = "))
            .map(|target| target.split(' ').next().unwrap_or(target))
    };
    let mut aliased = BTreeMap::new();
    for (&path, &declaration) in old {
        if !(declaration.starts_with("struct") || declaration.starts_with("enum")) {
            continue;
        }
        let mut target = path;
        for _ in 0..new.len() {
            match alias_of(target) {
                Some(next) => target = next,
                None => break,
            }
        }
        if target != path && new.contains_key(target) {
            aliased.insert(path, target);
        }
    }
    aliased
}

/// `declaration` with each type path that became an alias written as the type it names.
fn through_aliases(declaration: &str, aliased: &BTreeMap<&str, &str>) -> String {
    let is_path = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut out = String::with_capacity(declaration.len());
    let mut rest = declaration;
    while let Some(start) = rest.find(is_path) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c| !is_path(c)).unwrap_or(run.len());
        out.push_str(aliased.get(&run[..end]).copied().unwrap_or(&run[..end]));
        rest = &run[end..];
    }
    out.push_str(rest);
    out
}

/// A type that became an alias of `target`: its line against `target`'s, and breaking when
/// `target` is an exhaustive struct with fields the type did not have.
fn became_alias(
    path: &str,
    declaration: &str,
    target: &str,
    old: &BTreeMap<&str, &str>,
    new: &BTreeMap<&str, &str>,
) -> Severity {
    let exhaustive_struct = |d: &str| d.starts_with("struct") && !d.contains("#[non_exhaustive]");
    let more_fields = new.iter().any(|(p, d)| {
        d.starts_with("field")
            && parent(p) == Some(target)
            && !old.contains_key(format!("{path}::{}", &p[target.len() + 2..]).as_str())
    });
    if more_fields && exhaustive_struct(new[target]) {
        return Severity::Breaking;
    }
    changed(declaration, new[target])
}

/// An added item: compatible unless its owner cannot take it without breaking users.
fn added(path: &str, declaration: &str, new: &BTreeMap<&str, &str>) -> Severity {
    let owner = parent(path).and_then(|p| new.get(p));
    let member = declaration.starts_with("field") || declaration.starts_with("variant");
    match owner {
        Some(owner) if member && !owner.contains("#[non_exhaustive]") => Severity::Breaking,
        Some(owner) if owner.starts_with("trait") && !declaration.ends_with(" provided") => {
            Severity::Breaking
        }
        _ => Severity::Compatible,
    }
}

/// `(kind and attributes, trait impls)` of a type line.
fn split_type(declaration: &str) -> (&str, BTreeSet<&str>) {
    match declaration.split_once(" impl ") {
        Some((head, traits)) => (head, traits.split(" + ").collect()),
        None => (declaration, BTreeSet::new()),
    }
}

fn changed(old: &str, new: &str) -> Severity {
    let undeprecated = |d: &str| d.replace(" #[deprecated]", "");
    let (old, new) = (undeprecated(old), undeprecated(new));
    if old == new {
        return Severity::Compatible;
    }
    let is_type = |d: &str| ["struct", "enum", "trait"].iter().any(|k| d.starts_with(k));
    if !(is_type(&old) && is_type(&new)) {
        return Severity::Breaking;
    }
    let ((old_head, old_traits), (new_head, new_traits)) = (split_type(&old), split_type(&new));
    let attribute = " #[non_exhaustive]";
    let kind = |h: &str| h.replace(attribute, "");
    let lost_trait = !old_traits.is_subset(&new_traits);
    let became_non_exhaustive = !old_head.contains(attribute) && new_head.contains(attribute);
    if kind(old_head) != kind(new_head) || lost_trait || became_non_exhaustive {
        Severity::Breaking
    } else {
        Severity::Compatible
    }
}

impl fmt::Display for Report {
    /// One line per change: `breaking   removed  path declaration`, then the summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.changes {
            let severity = match c.severity {
                Severity::Breaking => "breaking  ",
                Severity::Compatible => "compatible",
            };
            let members = match c.members {
                0 => String::new(),
                1 => " (and 1 member)".into(),
                n => format!(" (and {n} members)"),
            };
            match (&c.old, &c.new) {
                (None, Some(new)) => {
                    writeln!(f, "  {severity} added    {} {new}{members}", c.path)?
                }
                (Some(old), None) => {
                    writeln!(f, "  {severity} removed  {} {old}{members}", c.path)?
                }
                (Some(old), Some(new)) => {
                    writeln!(f, "  {severity} changed  {} {new}", c.path)?;
                    writeln!(f, "             was      {} {old}", c.path)?;
                }
                (None, None) => {}
            }
        }
        write!(
            f,
            "{} breaking, {} compatible: semver bump {}",
            self.count(Severity::Breaking),
            self.count(Severity::Compatible),
            self.bump().word()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "\
# comment
Client::get fn(&self, id: &str) -> apis::a::Get<'_>
Client::gone fn(&self) -> apis::a::Gone<'_>
models::A struct #[non_exhaustive] impl Clone + Debug + Default + PartialEq
models::A::name field: Option<String>
models::A::new fn() -> Self
models::E enum #[non_exhaustive] impl Clone + Debug
models::E::On variant = \"on\"
models::Old struct #[non_exhaustive] impl Clone
models::Old::x field: i32
models::T type = String
server::Api trait: Send + Sync + 'static
";

    #[test]
    fn compatible_additions_are_minor() {
        let new = format!("{OLD}models::A::note field: Option<String>\nmodels::E::Off variant = \"off\"\nmodels::N struct #[non_exhaustive] impl Clone\nmodels::N::a field: i32\nmodels::N::b field: i32\nserver::Api::op fn(&self) provided\n");
        let report = compare(OLD, &new);
        assert_eq!(report.bump(), Bump::Minor, "{report}");
        assert_eq!(report.changes.len(), 4, "{report}");
        let folded = report
            .changes
            .iter()
            .find(|c| c.path == "models::N")
            .unwrap();
        assert_eq!(folded.members, 2);
        assert!(report
            .to_string()
            .ends_with("0 breaking, 4 compatible: semver bump minor (compatible)"));
    }

    #[test]
    fn removals_type_changes_and_new_required_fields_break() {
        let new = OLD
            .replace("Client::gone fn(&self) -> apis::a::Gone<'_>\n", "")
            .replace("models::T type = String", "models::T type = i64")
            .replace(
                "models::A::new fn() -> Self",
                "models::A::new fn(id: i32) -> Self",
            )
            .replace(" + Default", "")
            + "models::A::id field: i32\nserver::Api::required fn(&self)\n";
        let report = compare(OLD, &new);
        assert_eq!(report.bump(), Bump::Major);
        let breaking: Vec<&str> = report
            .changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(
            breaking,
            [
                "Client::gone",
                "models::A",
                "models::A::new",
                "models::T",
                "server::Api::required"
            ]
        );
    }

    #[test]
    fn members_of_exhaustive_types_and_attributes() {
        let new = OLD.replace(
            "models::Old struct #[non_exhaustive] impl Clone",
            "models::Old struct impl Clone + Debug",
        ) + "models::Old::y field: i32\n";
        let report = compare(OLD, &new);
        let severity = |p: &str| {
            report
                .changes
                .iter()
                .find(|c| c.path == p)
                .unwrap()
                .severity
        };
        // Losing non_exhaustive and gaining Debug is compatible; a field of an exhaustive struct is not.
        assert_eq!(severity("models::Old"), Severity::Compatible);
        assert_eq!(severity("models::Old::y"), Severity::Breaking);
        let deprecated = OLD.replace(
            "field: Option<String>",
            "field: Option<String> #[deprecated]",
        );
        assert_eq!(compare(OLD, &deprecated).bump(), Bump::Minor);
        assert_eq!(compare(OLD, OLD).bump(), Bump::None);
    }

    #[test]
    fn a_type_that_becomes_an_alias_is_judged_as_the_type_it_names() {
        let old = "\
models::Copy struct #[non_exhaustive] impl Clone + Debug
models::Copy::kind field: Option<models::CopyKind>
models::Copy::new fn() -> Self
models::CopyKind enum #[non_exhaustive] impl Clone
models::CopyKind::A variant = \"a\"
models::X struct #[non_exhaustive] impl Clone + Debug + PartialEq
models::X::kind field: Option<models::XKind>
models::X::new fn() -> Self
models::XKind enum #[non_exhaustive] impl Clone
models::XKind::A variant = \"a\"
";
        // Every member is the aliased type's alike (its part's name an alias too): compatible,
        // the members folded into the type's line.
        let new = old
            .lines()
            .filter(|l| !l.starts_with("models::Copy"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            + "models::Copy type = models::X\nmodels::CopyKind type = models::XKind\n";
        let report = compare(old, &new);
        assert_eq!(report.bump(), Bump::Minor, "{report}");
        assert_eq!(report.changes.len(), 2, "{report}");
        assert_eq!(report.changes[0].members, 2, "{report}");
        // A member the aliased type lacks is removed; one it has otherwise has changed.
        let lacking = new.replace("models::X::new fn() -> Self\n", "");
        let retyped = new.replace(
            "models::X::new fn() -> Self",
            "models::X::new fn(a: i32) -> Self",
        );
        for new in [lacking, retyped] {
            let report = compare(old, &new);
            let breaking: Vec<&str> = (report.changes.iter())
                .filter(|c| c.severity == Severity::Breaking)
                .map(|c| c.path.as_str())
                .collect();
            assert!(breaking.contains(&"models::Copy::new"), "{report}");
        }
        // Aliasing an exhaustive struct with more fields breaks struct literals of the old name.
        let exhaustive = new.replace(
            "models::X struct #[non_exhaustive] impl Clone + Debug + PartialEq",
            "models::X struct impl Clone + Debug + PartialEq",
        ) + "models::X::more field: i32\n";
        let report = compare(old, &exhaustive);
        let copy = report
            .changes
            .iter()
            .find(|c| c.path == "models::Copy")
            .unwrap();
        assert_eq!(copy.severity, Severity::Breaking, "{report}");
    }

    #[test]
    fn bumps_follow_cargo_rules() {
        assert_eq!(Bump::Major.apply("0.3.1").as_deref(), Some("0.4.0"));
        assert_eq!(Bump::Minor.apply("0.3.1").as_deref(), Some("0.3.2"));
        assert_eq!(Bump::Major.apply("1.3.1").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Minor.apply("1.3.1").as_deref(), Some("1.4.0"));
        assert_eq!(Bump::Major.apply("0.0.3").as_deref(), Some("0.0.4"));
        assert_eq!(Bump::None.apply("1.2.3-rc.1").as_deref(), Some("1.2.3"));
        assert_eq!(Bump::Minor.apply("1.2").as_deref(), None);
    }
}
