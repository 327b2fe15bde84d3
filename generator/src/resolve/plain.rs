//! `$ref` as a plain JSON reference, wherever it is written. OpenAPI 3.0 allows a Reference
//! Object only in some places (a parameter, a response, a schema, ...), but every bundler
//! resolves a `$ref` anywhere as JSON Reference does: the object is replaced by the value it
//! points at. Specs rely on that (a tag's `description`, a whole `properties` map or `responses`
//! map in a file of its own), so the resolver does the same before anything is parsed as
//! OpenAPI: a container written as a `$ref` is inlined and then walked as what it is, and a value
//! the generator does not interpret (`info`, a tag, an `enum`) is walked as plain JSON.
//!
//! Advisory parts are not worth a failed run: an `example` whose reference cannot be followed is
//! dropped with a warning, and so is a discriminator `mapping` entry that names no schema (or
//! goes through a `$ref` on the way, which a JSON pointer cannot follow). The generator works
//! without either: the example is documentation, and the mapping only renames an alternative's
//! tag, which the alternative's own schema name gives otherwise.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{escape_pointer, ref_at, Cx, Resolver};
use crate::error::Diagnostic;

/// Keys a plain walk leaves alone: extensions and the parts the generator does not use are
/// free-form (see `crate::unused`); a problem inside them is never worth an error.
fn left_alone(key: &str) -> bool {
    key.starts_with("x-") || key == "externalDocs" || key == "xml"
}

/// Whether `value` is a reference: an object whose `$ref` is a string. (A `$ref` that is not a
/// string is a property named `$ref` in a `properties` map, or data.)
pub(super) fn is_reference(value: &Value) -> bool {
    value.get("$ref").is_some_and(Value::is_string)
}

impl Resolver {
    /// Replaces `value`, when it is a `$ref`, by what the chain of references ends in (followed
    /// in a loop), and calls `then` on the result in the context of the file it came from
    /// (`true`: it was inlined); on `value` itself in `cx` when it is no reference. Nothing is
    /// called when the reference cannot be followed (reported) or the walk is too deep or big.
    pub(super) fn inline(
        &mut self,
        value: &mut Value,
        cx: &Cx,
        then: impl FnOnce(&mut Self, &mut Value, &Cx, bool),
    ) {
        if self.too_big || !self.deep_enough(cx) {
            return;
        }
        let Some(first) = self.reference_in(value, cx) else {
            if value.get("$ref").is_none() {
                then(self, value, cx, false);
            } else {
                // Not a string; reported.
                self.unresolved
                    .push((cx.file.to_path_buf(), cx.pointer.clone()));
            }
            return;
        };
        let mut file = cx.file.to_path_buf();
        let mut pointer = cx.pointer.clone();
        let mut reference = first;
        let mut pushed = 0;
        let target = loop {
            let here = Cx {
                file: &file,
                pointer: pointer.clone(),
                at: cx.at.clone(),
                depth: cx.depth,
            };
            let Some((target_file, target_pointer)) = self.target(&reference, &here) else {
                break None;
            };
            let key = (target_file.clone(), target_pointer.clone());
            if self.inline_set.contains(&key) {
                let start = self
                    .inline_stack
                    .iter()
                    .position(|k| *k == key)
                    .unwrap_or(0);
                let chain: Vec<String> = self.inline_stack[start..]
                    .iter()
                    .chain([&key])
                    .map(|(f, p)| self.show_target(f, p))
                    .collect();
                self.diagnostics.push(
                    Diagnostic::at(
                        here.file,
                        &ref_at(&here),
                        format!(
                            "`$ref: {reference}` loops back to itself: {}",
                            chain.join(" -> ")
                        ),
                    )
                    .with_help("a chain of references must end in a definition"),
                );
                break None;
            }
            if !self.exists(&target_file, &target_pointer, &reference, &here) {
                break None;
            }
            self.inline_set.insert(key.clone());
            self.inline_stack.push(key);
            pushed += 1;
            let site = (
                std::mem::replace(&mut file, target_file),
                std::mem::replace(&mut pointer, target_pointer),
            );
            let found = self.get(&file, &pointer);
            let here = Cx {
                file: &file,
                pointer: pointer.clone(),
                at: cx.at.clone(),
                depth: cx.depth,
            };
            match self.reference_in(&found, &here) {
                Some(next) => reference = next,
                None if found.get("$ref").is_some() => break None,
                None => {
                    let site = Cx {
                        file: &site.0,
                        pointer: format!("{}/$ref", site.1),
                        at: cx.at.clone(),
                        depth: cx.depth,
                    };
                    if self.within_budget(&found, &site) {
                        break Some(found);
                    }
                    break None;
                }
            }
        };
        if let Some(mut target) = target {
            self.sources.insert(&cx.at, &file, &pointer);
            let inner = Cx {
                file: &file,
                pointer: pointer.clone(),
                at: cx.at.clone(),
                depth: cx.depth + 1,
            };
            then(self, &mut target, &inner, true);
            *value = target;
        } else {
            self.unresolved
                .push((cx.file.to_path_buf(), cx.pointer.clone()));
        }
        for _ in 0..pushed {
            if let Some(key) = self.inline_stack.pop() {
                self.inline_set.remove(&key);
            }
        }
    }

    /// Where the value at `segments` (object keys from the root of `file`) is written, following
    /// the `$ref`s on the way (a `components` in a file of its own); a reference that cannot be
    /// followed ends the way where it is written (the walk reports it).
    pub(super) fn reached(&mut self, file: &Path, segments: &[&str]) -> (PathBuf, String) {
        let mut at = (file.to_path_buf(), String::new());
        for segment in segments {
            at.1 = format!("{}/{}", at.1, escape_pointer(segment));
            // A chain of at most this many references; a longer one is a loop, reported later.
            for _ in 0..64 {
                let reference = self
                    .file(&at.0)
                    .and_then(|document| document.pointer(&at.1))
                    .filter(|value| is_reference(value))
                    .and_then(|value| value.get("$ref"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let Some(reference) = reference else { break };
                let before = self.diagnostics.len();
                let cx = Cx {
                    file: &at.0,
                    pointer: at.1.clone(),
                    at: String::new(),
                    depth: 0,
                };
                // Silently: the walk meets the same reference and reports it.
                let target = self.target(&reference, &cx);
                self.diagnostics.take_from(before);
                let target = target.filter(|(file, pointer)| {
                    self.file(file)
                        .is_some_and(|document| document.pointer(pointer).is_some())
                });
                match target {
                    Some(target) => at = target,
                    None => break,
                }
            }
        }
        at
    }

    /// A map or list written as a `$ref` is inlined before `then` walks its entries; anything
    /// else is walked as it is.
    pub(super) fn container(
        &mut self,
        value: &mut Value,
        cx: &Cx,
        then: impl FnOnce(&mut Self, &mut Value, &Cx),
    ) {
        if is_reference(value) {
            self.inline(value, cx, |this, value, cx, _| then(this, value, cx));
        } else {
            then(self, value, cx);
        }
    }

    /// Walks a value the generator does not interpret as OpenAPI objects (`info`, a tag, an
    /// `enum`), resolving every `$ref` in it as a plain JSON reference.
    pub(super) fn plain(&mut self, value: &mut Value, cx: &Cx) {
        if !is_reference(value) && !value.is_object() && !value.is_array() {
            return;
        }
        self.container(value, cx, |this, value, cx| match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if !left_alone(key) {
                        this.plain(child, &cx.child(key));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    this.plain(item, &cx.child(&i.to_string()));
                }
            }
            _ => {}
        });
    }

    /// The keys of an object that its typed walk does not visit (`description`, `enum`, ...),
    /// walked as plain JSON; an `example` whose references cannot be followed is dropped with a
    /// warning.
    pub(super) fn plain_rest(&mut self, map: &mut Map<String, Value>, walked: &[&str], cx: &Cx) {
        let mut dropped = Vec::new();
        for (key, child) in map.iter_mut() {
            if left_alone(key) || key == "$ref" || walked.contains(&key.as_str()) {
                continue;
            }
            let cx = cx.child(key);
            if key == "example" {
                let problems = self.advisory(|this| this.plain(child, &cx));
                if problems > 0 {
                    self.drop_warnings(problems, "the example is left out");
                    dropped.push(key.clone());
                }
            } else {
                self.plain(child, &cx);
            }
        }
        for key in dropped {
            map.remove(&key);
        }
    }

    /// Runs `walk`, and gives how many problems it found (still among the diagnostics, last;
    /// none when the walk ran out of its size or depth budget, which stops the whole run).
    pub(super) fn advisory(&mut self, walk: impl FnOnce(&mut Self)) -> usize {
        let before = self.diagnostics.len();
        walk(self);
        if self.too_big || self.too_deep {
            return 0;
        }
        self.diagnostics.len() - before
    }

    /// Turns the last `count` diagnostics into warnings saying what was done instead.
    pub(super) fn drop_warnings(&mut self, count: usize, done: &str) {
        let from = self.diagnostics.len() - count;
        for mut diagnostic in self.diagnostics.take_from(from) {
            diagnostic.message = format!("{}; {done}", diagnostic.message);
            self.warnings.push(diagnostic);
        }
    }

    /// A discriminator's `mapping` (tag -> schema reference, or a bare schema name): each target
    /// becomes a component reference like any schema `$ref`; an entry whose target cannot be
    /// followed is dropped with a warning.
    pub(super) fn mapping(&mut self, discriminator: &mut Value, cx: &Cx) {
        self.container(discriminator, cx, |this, discriminator, cx| {
            let Some(mapping) = discriminator.get_mut("mapping") else {
                return;
            };
            let cx = cx.child("mapping");
            this.container(mapping, &cx, |this, mapping, cx| {
                let Value::Object(mapping) = mapping else {
                    return;
                };
                let mut dropped = Vec::new();
                for (tag, target) in mapping.iter_mut() {
                    let Some(reference) = target.as_str().map(str::to_string) else {
                        this.warnings.push(Diagnostic::at(
                            cx.file,
                            &cx.child(tag).pointer,
                            format!(
                                "a discriminator mapping names a schema by a string (a name or a reference), found {}; the mapping entry `{tag}` is left out",
                                crate::diagnostics::location::describe(target)
                            ),
                        ).with_help(format!("write the reference itself: `{tag}: '#/components/schemas/...'`")));
                        dropped.push(tag.clone());
                        continue;
                    };
                    if !reference.contains('/') && !reference.contains('.') {
                        // A bare schema name, as OpenAPI allows.
                        *target = Value::String(format!("#/components/schemas/{reference}"));
                    }
                    let mut wrapped =
                        Value::Object(Map::from_iter([("$ref".to_string(), target.clone())]));
                    let problems = this.advisory(|this| this.schema(&mut wrapped, &cx.child(tag)));
                    if problems > 0 {
                        let done = format!(
                            "the mapping entry `{tag}` is left out (an alternative that no entry names is tagged with its schema's name)"
                        );
                        // The problem is the mapping's value, which is not an object with a `$ref`.
                        let at = cx.child(tag).pointer;
                        for diagnostic in this.diagnostics.last_mut(problems) {
                            if diagnostic.pointer.as_deref() == Some(&format!("{at}/$ref")) {
                                diagnostic.pointer = Some(at.clone());
                            }
                        }
                        this.drop_warnings(problems, &done);
                        dropped.push(tag.clone());
                    } else if let Some(resolved) = wrapped.get("$ref") {
                        *target = resolved.clone();
                    }
                }
                for tag in dropped {
                    mapping.remove(&tag);
                }
            });
        });
    }
}
