//! Presenting problems: where each is written (a JSON pointer taken back through the bundle to
//! the file the user wrote, then its line and column), and how it is shown. The problems
//! themselves are [`crate::error`]'s; the phases only name pointers, and this module finds them.

pub mod locate;
pub mod location;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Diagnostic, Error};
use locate::locate_all;
use location::{dedup, relative_to, SourceMap};

/// Turns diagnostics into what the user reads: pointers into the bundle go back to the file and
/// pointer they were written at, lines and columns are looked up, and paths are shown the way the
/// user named the spec (relative paths stay relative, so messages do not depend on where the
/// workspace lives).
pub(crate) struct Present {
    pub(crate) sources: Option<SourceMap>,
    /// The root document's directory, absolute.
    pub(crate) root_dir: PathBuf,
    /// The same directory as the user wrote it (`spec`, `../api`, or empty).
    pub(crate) shown_dir: PathBuf,
    pub(crate) max_file_size: u64,
}

/// Looking up lines means parsing each file again (once for all of its diagnostics); past this
/// many diagnostics, the rest are not looked up.
const MAX_LOCATED: usize = 200;

impl Present {
    pub(crate) fn error(&self, err: Error, bundled: bool) -> Error {
        match err {
            Error::Spec(items) => Error::Spec(self.all(items, bundled)),
            other => other,
        }
    }

    pub(crate) fn all(&self, mut items: Vec<Diagnostic>, bundled: bool) -> Vec<Diagnostic> {
        self.each(&mut items, bundled);
        dedup(items)
    }

    /// Presents each of `items` in place: back to its file and pointer (for pointers into the
    /// bundle), at its line and column (the first [`MAX_LOCATED`]), its path as the user wrote it.
    pub(crate) fn each(&self, items: &mut [Diagnostic], bundled: bool) {
        self.each_of(&mut [(items, bundled)]);
    }

    /// [`Present::each`] for several lists at once, each file read and parsed once for all the
    /// places wanted in it (a multi-megabyte single-file spec takes a tenth of a second to parse).
    pub(crate) fn each_of(&self, lists: &mut [(&mut [Diagnostic], bool)]) {
        for (items, bundled) in lists.iter_mut() {
            let Some(sources) = self.sources.as_ref().filter(|_| *bundled) else {
                continue;
            };
            for item in items.iter_mut() {
                let origin = item.pointer.as_ref().and_then(|p| sources.origin_of(p));
                if let Some((file, pointer)) = origin {
                    item.file = file;
                    item.pointer = Some(pointer);
                }
            }
        }
        let mut by_file: BTreeMap<PathBuf, Vec<(usize, usize)>> = BTreeMap::new();
        for (list, (items, _)) in lists.iter().enumerate() {
            for (i, item) in items.iter().enumerate().take(MAX_LOCATED) {
                let pointer = item.pointer.as_deref().filter(|p| !p.is_empty());
                if item.line_column.is_none() && pointer.is_some() {
                    by_file
                        .entry(item.file.clone())
                        .or_default()
                        .push((list, i));
                }
            }
        }
        for (file, places) in by_file {
            let pointers: Vec<&str> = places
                .iter()
                .map(|&(list, i)| lists[list].0[i].pointer.as_deref().unwrap_or_default())
                .collect();
            let found = locate_all(&file, &pointers, self.max_file_size);
            for ((list, i), found) in places.into_iter().zip(found) {
                if let Some((line, column, text)) = found {
                    lists[list].0[i].line_column = Some((line, column));
                    lists[list].0[i].source_line = Some(text);
                }
            }
        }
        for (items, _) in lists.iter_mut() {
            for item in items.iter_mut() {
                if item.file.is_absolute() {
                    item.file = self.shown_dir.join(relative_to(&item.file, &self.root_dir));
                }
            }
        }
    }
}

/// The known name closest to `word`: equal ignoring case, `-` and `_`, or one or two edits away.
pub(crate) fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let squashed = squash(word);
    if let Some(same) = known.iter().find(|k| squash(k) == squashed) {
        return Some(same);
    }
    if word.chars().count() < 4 {
        return None;
    }
    known
        .iter()
        .map(|k| (edit_distance(&squashed, &squash(k)), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        assert_eq!(closest("requried", &["required", "type"]), Some("required"));
        assert_eq!(closest("UUID", &["uuid"]), Some("uuid"));
        assert_eq!(closest("dateTime", &["date-time"]), Some("date-time"));
        assert_eq!(closest("foo", &["bar"]), None);
    }
}
