//! Following a `$ref` to its target and reporting on it: turning a reference into a file and
//! JSON pointer (refusing remote references and files outside the root), checking that the target
//! exists, and showing targets in messages relative to the spec's root directory.

use std::path::{Path, PathBuf};

use super::{ref_at, relative_to, Cx, Resolver};
use crate::diagnostics::location::{nearest_keys, normalize, percent_decode};
use crate::error::Diagnostic;

impl Resolver {
    /// A path for messages: relative to the root directory, `/` separated.
    fn show(&self, path: &Path) -> String {
        relative_to(path, &self.root_dir)
            .to_string_lossy()
            .replace('\\', "/")
    }

    pub(super) fn show_target(&self, file: &Path, pointer: &str) -> String {
        if pointer.is_empty() {
            self.show(file)
        } else {
            format!("{}#{pointer}", self.show(file))
        }
    }

    /// Turns a reference into (absolute file, pointer), refusing remote and escaping ones.
    pub(super) fn target(&mut self, reference: &str, cx: &Cx) -> Option<(PathBuf, String)> {
        let (location, fragment) = match reference.split_once('#') {
            Some((location, fragment)) => (location, fragment),
            None => (reference, ""),
        };
        if location.contains("://") || location.starts_with("//") {
            self.diagnostics.push(
                Diagnostic::at(
                    cx.file,
                    &ref_at(cx),
                    format!("remote reference `{reference}` is not fetched: the generator reads only local files"),
                )
                .with_help("download the referenced document next to the spec and refer to it by a relative path"),
            );
            return None;
        }
        let file = if location.is_empty() {
            cx.file.to_path_buf()
        } else {
            let base = cx.file.parent().unwrap_or(Path::new(""));
            normalize(&base.join(percent_decode(location)))
        };
        if !self.options.allow_outside_root && !file.starts_with(&self.root_dir) {
            self.diagnostics.push(
                Diagnostic::at(
                    cx.file,
                    &ref_at(cx),
                    format!(
                        "`$ref: {reference}` points outside the spec's root directory (to {}); refused, so that a spec cannot make the generator read arbitrary files",
                        self.show(&file)
                    ),
                )
                .with_help("keep every file of the spec under the root document's directory, or pass `--allow-outside-root` if you trust this spec"),
            );
            return None;
        }
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            self.diagnostics.push(Diagnostic::at(
                cx.file,
                &ref_at(cx),
                format!("`$ref: {reference}` has a fragment that is not a JSON pointer (it must start with `/`)"),
            ).with_help(format!("write `#/{pointer}` if `{pointer}` is a top-level key")));
            return None;
        }
        Some(self.through_references(file, pointer))
    }

    /// Where `pointer` in `file` leads when the way goes through a `$ref` (`#/components/schemas/A`
    /// where `schemas` is a `$ref` to a file of its own): the way is followed into each reference
    /// it meets, as JSON Reference resolution does. A pointer that exists as written, or that
    /// leads nowhere, is given back as it is (for [`Resolver::exists`] to report).
    fn through_references(&mut self, file: PathBuf, pointer: String) -> (PathBuf, String) {
        let exists = |this: &mut Self, file: &Path, pointer: &str| {
            this.file(file)
                .is_some_and(|document| document.pointer(pointer).is_some())
        };
        if pointer.is_empty() || exists(self, &file, &pointer) {
            return (file, pointer);
        }
        let segments: Vec<&str> = pointer.split('/').skip(1).collect();
        let mut at = (file.clone(), String::new());
        // At most this many references on the way; more is a loop.
        let mut hops = 0;
        let mut i = 0;
        while i < segments.len() {
            let next = format!("{}/{}", at.1, segments[i]);
            if exists(self, &at.0, &next) {
                at.1 = next;
                i += 1;
                continue;
            }
            let reference = self
                .file(&at.0)
                .and_then(|document| document.pointer(&at.1))
                .filter(|value| super::plain::is_reference(value))
                .and_then(|value| value.get("$ref"))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string);
            hops += 1;
            let Some(reference) = reference.filter(|_| hops <= 64) else {
                return (file, pointer);
            };
            let cx = Cx {
                file: &at.0,
                pointer: at.1.clone(),
                at: String::new(),
                depth: 0,
            };
            let before = self.diagnostics.len();
            let target = self.target(&reference, &cx);
            self.diagnostics.take_from(before);
            match target {
                Some(target) if exists(self, &target.0, &target.1) => at = target,
                _ => return (file, pointer),
            }
        }
        at
    }

    /// Whether `pointer` exists in `file`; if not, a diagnostic names the reference that wanted it.
    pub(super) fn exists(&mut self, file: &Path, pointer: &str, reference: &str, cx: &Cx) -> bool {
        if self.file(file).is_none() {
            let cause = self.take_load_error(file);
            let resolves_to = self.show(file);
            self.diagnostics.push(
                Diagnostic::at(
                    cx.file,
                    &ref_at(cx),
                    format!("`$ref: {reference}` cannot be followed: {}", cause.message),
                )
                .with_help(format!("the reference resolves to {resolves_to}")),
            );
            if cause.message.contains("does not exist") {
                return false;
            }
            // A file that exists but is broken gets its own diagnostic too, once.
            if !self.reported_broken(file) {
                self.diagnostics.push(cause);
            }
            return false;
        }
        let found = self
            .file(file)
            .is_some_and(|doc| doc.pointer(pointer).is_some());
        if !found {
            let keys = self
                .file(file)
                .and_then(|doc| nearest_keys(doc, pointer))
                .unwrap_or_default();
            let shown = self.show(file);
            let mut diagnostic = Diagnostic::at(
                cx.file,
                &ref_at(cx),
                format!(
                    "`$ref: {reference}` points at `{pointer}`, which {shown} does not contain"
                ),
            );
            if !keys.is_empty() {
                diagnostic = diagnostic.with_help(keys);
            }
            self.diagnostics.push(diagnostic);
        }
        found
    }

    fn reported_broken(&mut self, file: &Path) -> bool {
        // Mark by replacing the stored error's help; cheap and keeps one report per file.
        match self.files.get_mut(file) {
            Some(Err(diagnostic)) if diagnostic.help.as_deref() == Some(REPORTED) => true,
            Some(Err(diagnostic)) => {
                diagnostic.help = Some(REPORTED.to_string());
                false
            }
            _ => true,
        }
    }
}

const REPORTED: &str = "(reported)";
