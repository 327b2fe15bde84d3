//! References inside the parts of a spec the generator does not use (examples, links,
//! callbacks) are followed like any other, but one that cannot be followed only earns a warning:
//! such parts never stop a run (see `crate::unused`). The reference stays as it was written,
//! and the typed parse takes the part out if it must.

use super::{Cx, Kind, Resolver};

impl Resolver {
    /// Walks one entry of a map of `kind` objects: [`Resolver::walk`], where problems inside an
    /// unused part are warnings. Running out of the size or depth budget is still an error: it
    /// stops the whole walk.
    pub(super) fn walk_part(&mut self, value: &mut serde_json::Value, kind: Kind, cx: &Cx) {
        if !matches!(kind, Kind::Example | Kind::Link | Kind::Callback) {
            return self.walk(value, kind, cx);
        }
        let before = self.diagnostics.len();
        self.walk(value, kind, cx);
        if self.too_big || self.too_deep {
            return;
        }
        let word = match kind {
            Kind::Example => "examples",
            Kind::Link => "links",
            _ => "callbacks",
        };
        for mut diagnostic in self.diagnostics.take_from(before) {
            diagnostic.message = format!(
                "{}; ignored: the generator does not use `{word}`",
                diagnostic.message
            );
            self.warnings.push(diagnostic);
        }
    }
}
