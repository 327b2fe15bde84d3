//! Resolving `$ref`s across files. The result is one self-contained OpenAPI document:
//!
//! - a `$ref` where a **schema** is expected becomes an entry of `components/schemas`, named after
//!   its file (`../schemas/OwnerDto.yaml` -> `OwnerDto`) or its last pointer segment, and the
//!   reference is rewritten to `#/components/schemas/OwnerDto`. Schemas keep their identity this
//!   way, so each becomes one named Rust type, and recursive schemas need no special case;
//! - every other `$ref` (path items, parameters, responses, request bodies, headers, examples) is
//!   replaced by the document it points at, itself resolved relative to its own file; so is a
//!   `$ref` where OpenAPI 3.0 allows none (a whole `properties` map, a tag's `description`),
//!   as a plain JSON reference, the way bundlers read it (see `plain`).
//!
//! Two different schemas that would get the same name are told apart by a deterministic rule (see
//! `schema_names::assign_names`), never merged. References may not leave the spec's root
//! directory (unless [`Options::allow_outside_root`]) and remote (`http://`) references are not
//! fetched: a spec must not make the generator read arbitrary files.
//!
//! While inlining, the resolver records where each part of the bundled document was written
//! ([`SourceMap`]), so that later phases, which only see the bundle, can still point at the file
//! and pointer the user wrote. Work is bounded whatever the input: chains of references are
//! followed in a loop (a 10,000-file chain needs no deep stack), nesting is capped at
//! [`MAX_DEPTH`], and the bundle may not grow past [`MAX_VALUES`] values (references can
//! multiply a document exponentially).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::location::{
    absolute, count_values, dedup, describe, escape_pointer, relative_to, SourceMap,
};
use crate::error::{Diagnostic, Diagnostics, Error};
use crate::load::{load_document, DEFAULT_MAX_FILE_SIZE};
use schema_names::{assign_names, fold_aliases, placeholder_target, shared_schema_name};
use version::check_version;

mod plain;
mod prefetch;
mod schema_names;
mod targets;
mod unused;
mod version;

/// How far nested objects may reach in the bundled document, counting inlined references.
/// One file's own nesting is capped at 128 by the parsers; this bounds what inlining adds.
pub const MAX_DEPTH: usize = 256;

/// The most JSON values (objects, arrays and scalars) that inlining may copy into the bundle.
/// Each inlined reference also counts the length of its place in the bundle, which the source map
/// keeps. Fifteen times what a large real spec needs (SailPoint's 830-file V3 API counts about
/// 66,000), and small enough that an exponential `$ref` bomb stops within a second.
pub const MAX_VALUES: usize = 1_000_000;

/// What the resolver may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Let `$ref`s reach files outside the root document's directory.
    pub allow_outside_root: bool,
    /// The largest file read, in bytes.
    pub max_file_size: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allow_outside_root: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Where a component schema came from: file and JSON pointer inside it (empty for a whole file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The file, as a path relative to the spec's root directory (`..` when it is outside).
    pub file: PathBuf,
    /// JSON pointer inside the file; empty when the schema is the whole file.
    pub pointer: String,
}

/// The bundled document, where its parts came from, and what the resolver noticed.
#[derive(Debug)]
pub struct Bundle {
    /// The root document with every `$ref` resolved as described in the module docs.
    pub document: Value,
    /// Component schema name -> origin, for error messages and docs.
    pub origins: BTreeMap<String, Origin>,
    /// Bundled JSON pointer -> the file and pointer it was written at.
    pub sources: SourceMap,
    /// The root document's directory (absolute).
    pub root_dir: PathBuf,
    /// Accepted but ignored (`$ref` siblings), at the place they were written.
    pub warnings: Vec<Diagnostic>,
    /// What [`bundle_lenient`] found wrong and went on past (every reference it could follow is
    /// resolved); always empty from [`bundle`], which refuses the spec instead.
    pub errors: Vec<Diagnostic>,
    /// Where the references that could not be followed are written (file and pointer of the
    /// object holding the `$ref`); they are left in the bundle as written.
    pub unresolved: Vec<(PathBuf, String)>,
}

/// Whether an inline schema would become a type of its own (rather than a plain value).
fn defines_a_type(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    !map.contains_key("$ref")
        && ["properties", "allOf", "oneOf", "anyOf", "enum"]
            .iter()
            .any(|k| map.contains_key(*k))
}

/// The sections of `components` other than `schemas`, and what each holds.
const COMPONENT_SECTIONS: [(&str, Kind); 8] = [
    ("parameters", Kind::Parameter),
    ("responses", Kind::Response),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("examples", Kind::Example),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
    ("securitySchemes", Kind::SecurityScheme),
];

/// The keys of a schema that [`Resolver::schema`] walks as schemas; the others are plain JSON.
const SCHEMA_WALKED: &[&str] = &[
    "items",
    "not",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "properties",
    "discriminator",
];

/// Placeholder written where a schema reference goes until names are assigned; `\u{0}` cannot
/// occur in a real reference.
pub(crate) const PLACEHOLDER: &str = "\u{0}schema:";

/// Loads the root document and everything it references, and bundles it.
pub fn bundle(root: &Path, options: &Options) -> Result<Bundle, Error> {
    let mut bundle = bundle_lenient(root, options)?;
    match bundle.errors.is_empty() {
        true => Ok(bundle),
        false => Err(Error::Spec(std::mem::take(&mut bundle.errors))),
    }
}

/// [`bundle`], except that references which cannot be followed (and other problems the walk goes
/// on past) are in [`Bundle::errors`], with a bundle of everything else: the later checks can
/// then report their problems in the same run. A spec that cannot be walked at all (an
/// unreadable root, another OpenAPI version, a walk too big or too deep) is still an error.
pub fn bundle_lenient(root: &Path, options: &Options) -> Result<Bundle, Error> {
    let root_file = absolute(root);
    let root_dir = root_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut resolver = Resolver {
        root_dir: root_dir.clone(),
        options: options.clone(),
        // Read in parallel up front; the walk reads any file this missed.
        files: prefetch::load_all(&root_file, &root_dir, options),
        schemas: Vec::new(),
        schema_ids: HashMap::new(),
        inline_stack: Vec::new(),
        inline_set: HashSet::new(),
        shared: Vec::new(),
        diagnostics: Diagnostics::default(),
        warnings: Vec::new(),
        sources: SourceMap::default(),
        copied: 0,
        too_big: false,
        too_deep: false,
        unresolved: Vec::new(),
    };
    let Some(document) = resolver.file(&root_file) else {
        let mut diagnostic = resolver.take_load_error(&root_file);
        if diagnostic.message.ends_with("does not exist") {
            diagnostic.help = Some("name the spec's root document with `--spec path/to/openapi.yaml` (the default is the workspace's spec/openapi.yaml)".into());
        }
        return Err(Error::Spec(vec![diagnostic]));
    };
    let mut document = document.clone();
    check_version(&root_file, &document, &mut resolver.diagnostics);
    resolver.diagnostics.finish()?;
    resolver.sources.insert("", &root_file, "");

    // Component schemas of the root keep their names: register them before anything refers to them.
    // (`components` or its `schemas` may be a `$ref` to another file, which holds them.)
    let (schemas_file, schemas_at) = resolver.reached(&root_file, &["components", "schemas"]);
    let component_names: Vec<String> = resolver
        .file(&schemas_file)
        .and_then(|document| document.pointer(&schemas_at))
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &component_names {
        resolver.schema_id(
            &schemas_file,
            &format!("{schemas_at}/{}", escape_pointer(name)),
        );
    }
    let cx = Cx {
        file: &root_file,
        pointer: String::new(),
        at: String::new(),
        depth: 0,
    };
    resolver.walk_root(&mut document, &cx);
    // Schemas discovered while walking can reference further schemas; walk until none is pending.
    let mut next = 0;
    while next < resolver.schemas.len() {
        resolver.walk_schema_target(next);
        next += 1;
    }
    resolver.check_alias_loops();
    if resolver.too_big || resolver.too_deep {
        resolver.diagnostics.finish()?;
    }
    let errors = match resolver.diagnostics.finish() {
        Err(Error::Spec(errors)) => errors,
        _ => Vec::new(),
    };

    let mut names = assign_names(&resolver.schemas, &resolver.root_dir);
    let folded = fold_aliases(&resolver.schemas, &root_file, &mut names);
    let mut schemas = Map::new();
    let mut origins = BTreeMap::new();
    // The walked schemas move into the document: nothing reads them after this.
    for (id, (entry, name)) in resolver.schemas.iter_mut().zip(&names).enumerate() {
        if folded.contains(&id) {
            continue;
        }
        let mut value = entry.value.take().unwrap_or(Value::Null);
        replace_placeholders(&mut value, &names);
        schemas.insert(name.clone(), value);
        origins.insert(name.clone(), entry.origin(&resolver.root_dir));
        let at = format!("/components/schemas/{}", escape_pointer(name));
        resolver.sources.insert(&at, &entry.file, &entry.pointer);
        resolver.sources.rebase(&format!("{PLACEHOLDER}{id}"), &at);
    }
    replace_placeholders(&mut document, &names);
    if let Value::Object(root) = &mut document {
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(components) = components {
            components.insert("schemas".into(), Value::Object(schemas));
        }
    }
    Ok(Bundle {
        document,
        origins,
        sources: resolver.sources,
        root_dir,
        warnings: dedup(resolver.warnings),
        errors,
        unresolved: resolver.unresolved,
    })
}

/// One schema that became a component, by its origin.
pub(crate) struct SchemaEntry {
    pub(crate) file: PathBuf,
    pub(crate) pointer: String,
    /// The walked value; `None` until walked (or when the target was missing).
    pub(crate) value: Option<Value>,
    /// The name for an inline schema of a shared definition (see [`shared_schema_name`]).
    pub(crate) hint: Option<String>,
}

impl SchemaEntry {
    pub(crate) fn origin(&self, root_dir: &Path) -> Origin {
        Origin {
            file: relative_to(&self.file, root_dir),
            pointer: self.pointer.clone(),
        }
    }
}

/// The position being walked: file and pointer (for resolving references and for messages), the
/// position in the bundled document, and how deep that is.
struct Cx<'a> {
    file: &'a Path,
    pointer: String,
    at: String,
    depth: usize,
}

impl Cx<'_> {
    fn child(&self, key: &str) -> Cx<'_> {
        let segment = escape_pointer(key);
        Cx {
            file: self.file,
            pointer: format!("{}/{segment}", self.pointer),
            at: format!("{}/{segment}", self.at),
            depth: self.depth + 1,
        }
    }
}

struct Resolver {
    root_dir: PathBuf,
    options: Options,
    /// Every file read so far, or why it could not be read (reported once). The maps and sets
    /// here that are only looked up (never iterated) are hashed: comparing paths is slow, and
    /// the walk looks a file up at every reference.
    files: HashMap<PathBuf, Result<Value, Diagnostic>>,
    schemas: Vec<SchemaEntry>,
    schema_ids: HashMap<(PathBuf, String), usize>,
    /// Non-schema references being inlined, in order, to detect and describe `$ref` loops.
    inline_stack: Vec<(PathBuf, String)>,
    inline_set: HashSet<(PathBuf, String)>,
    /// While walking a response, request body, parameter or header that was inlined from a
    /// `$ref` (one definition shared by many operations), the name its inline schema gets.
    shared: Vec<String>,
    diagnostics: Diagnostics,
    warnings: Vec<Diagnostic>,
    sources: SourceMap,
    /// Values copied into the bundle by inlining, against [`MAX_VALUES`].
    copied: usize,
    too_big: bool,
    too_deep: bool,
    /// Where references that could not be followed are written.
    unresolved: Vec<(PathBuf, String)>,
}

/// What kind of object is expected where a value is walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Example,
    Link,
    Callback,
    SecurityScheme,
}

impl Resolver {
    fn file(&mut self, path: &Path) -> Option<&Value> {
        if !self.files.contains_key(path) {
            let loaded = load_document(path, self.options.max_file_size);
            self.files.insert(path.to_path_buf(), loaded);
        }
        self.files.get(path).and_then(|r| r.as_ref().ok())
    }

    fn take_load_error(&self, path: &Path) -> Diagnostic {
        match self.files.get(path) {
            Some(Err(diagnostic)) => diagnostic.clone(),
            _ => Diagnostic::in_file(path, "cannot read the spec file"),
        }
    }

    fn walk_root(&mut self, document: &mut Value, cx: &Cx) {
        let Value::Object(map) = document else { return };
        if let Some(paths) = map.get_mut("paths") {
            self.container(paths, &cx.child("paths"), |this, paths, cx| {
                if let Value::Object(paths) = paths {
                    for (path, item) in paths.iter_mut() {
                        if !path.starts_with("x-") {
                            this.walk(item, Kind::PathItem, &cx.child(path));
                        }
                    }
                }
            });
        }
        if let Some(components) = map.get_mut("components") {
            self.container(
                components,
                &cx.child("components"),
                |this, components, cx| {
                    let Value::Object(components) = components else {
                        return;
                    };
                    for (section, kind) in COMPONENT_SECTIONS {
                        if let Some(entries) = components.get_mut(section) {
                            this.container(entries, &cx.child(section), |this, entries, cx| {
                                if let Value::Object(entries) = entries {
                                    for (name, entry) in entries.iter_mut() {
                                        this.walk_part(entry, kind, &cx.child(name));
                                    }
                                }
                            });
                        }
                    }
                    // Root component schemas are registered as targets and walked with the others.
                    components.remove("schemas");
                    let walked: Vec<&str> = COMPONENT_SECTIONS.iter().map(|(s, _)| *s).collect();
                    this.plain_rest(components, &walked, cx);
                },
            );
        }
        self.plain_rest(map, &["paths", "components"], cx);
    }

    /// Whether the walk may go deeper; reports the first place where it may not.
    fn deep_enough(&mut self, cx: &Cx) -> bool {
        if cx.depth <= MAX_DEPTH {
            return true;
        }
        if !self.too_deep {
            self.too_deep = true;
            self.diagnostics.push(
                Diagnostic::at(
                    cx.file,
                    &cx.pointer,
                    format!("the document nests more than {MAX_DEPTH} levels deep here (counting inlined references)"),
                )
                .with_help("a real API does not nest this deep; look for references that include each other"),
            );
        }
        false
    }

    /// The `$ref` of a value, if it has one; a `$ref` that is not a string is reported. Keys next
    /// to a `$ref` are ignored by OpenAPI 3.0, and so by us: each gets a warning.
    fn reference_in(&mut self, value: &Value, cx: &Cx) -> Option<String> {
        let map = value.as_object()?;
        match map.get("$ref")? {
            Value::String(reference) => {
                for key in map.keys() {
                    if key != "$ref" && !key.starts_with("x-") {
                        self.warnings.push(
                            Diagnostic::at(
                                cx.file,
                                &format!("{}/{}", cx.pointer, escape_pointer(key)),
                                format!("`{key}` next to `$ref` is ignored (OpenAPI 3.0 ignores every sibling of `$ref`)"),
                            )
                            .with_help("for a schema, wrap the reference to keep it: `allOf: [{$ref: ...}]` with the keyword beside `allOf`"),
                        );
                    }
                }
                Some(reference.clone())
            }
            other => {
                self.diagnostics.push(Diagnostic::at(
                    cx.file,
                    &format!("{}/$ref", cx.pointer),
                    format!(
                        "`$ref` must be a string (a relative file path and/or `#/json/pointer`), found {}",
                        describe(other)
                    ),
                ));
                None
            }
        }
    }

    /// Walks a non-schema object: inlines it when it is a `$ref` (following a chain of them in a
    /// loop), then walks its children.
    fn walk(&mut self, value: &mut Value, kind: Kind, cx: &Cx) {
        self.inline(value, cx, |this, target, inner, inlined| {
            let shared = match inlined {
                true => shared_schema_name(inner.file, &inner.pointer, kind),
                false => None,
            };
            let is_shared = shared.is_some();
            this.shared.extend(shared);
            this.walk_children(target, kind, inner);
            if is_shared {
                this.shared.pop();
            }
        });
    }

    /// A copy of the value at `pointer` in `file` (which [`Resolver::exists`] has confirmed).
    fn get(&mut self, file: &Path, pointer: &str) -> Value {
        self.file(file)
            .and_then(|doc| doc.pointer(pointer))
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Counts what inlining `value` copies into the bundle; false (reported once) past the limit.
    fn within_budget(&mut self, value: &Value, cx: &Cx) -> bool {
        if self.too_big {
            return false;
        }
        self.copied += count_values(value, MAX_VALUES) + cx.at.len() / 8;
        if self.copied <= MAX_VALUES {
            return true;
        }
        self.too_big = true;
        self.diagnostics.push(
            Diagnostic::at(
                cx.file,
                &cx.pointer,
                format!("inlining references here makes the bundled document larger than {MAX_VALUES} values"),
            )
            .with_help("references that include each other several times multiply the document; refer to a schema (it stays one component) instead of repeating a large object"),
        );
        false
    }

    fn walk_children(&mut self, value: &mut Value, kind: Kind, cx: &Cx) {
        let Value::Object(map) = value else { return };
        let children: &[(&str, Child)] = match kind {
            Kind::PathItem => &[
                ("get", Child::One(Kind::Operation)),
                ("put", Child::One(Kind::Operation)),
                ("post", Child::One(Kind::Operation)),
                ("delete", Child::One(Kind::Operation)),
                ("options", Child::One(Kind::Operation)),
                ("head", Child::One(Kind::Operation)),
                ("patch", Child::One(Kind::Operation)),
                ("trace", Child::One(Kind::Operation)),
                ("parameters", Child::List(Kind::Parameter)),
            ],
            Kind::Operation => &[
                ("parameters", Child::List(Kind::Parameter)),
                ("requestBody", Child::One(Kind::RequestBody)),
                ("responses", Child::Map(Kind::Response)),
                ("callbacks", Child::Map(Kind::Callback)),
            ],
            Kind::Parameter | Kind::Header => &[
                ("schema", Child::Schema),
                ("content", Child::Map(Kind::MediaType)),
                ("examples", Child::Map(Kind::Example)),
            ],
            Kind::RequestBody => &[("content", Child::Map(Kind::MediaType))],
            Kind::Response => &[
                ("headers", Child::Map(Kind::Header)),
                ("content", Child::Map(Kind::MediaType)),
                ("links", Child::Map(Kind::Link)),
            ],
            Kind::MediaType => &[
                ("schema", Child::Schema),
                ("examples", Child::Map(Kind::Example)),
            ],
            Kind::Callback => {
                for (expression, item) in map.iter_mut() {
                    if !expression.starts_with("x-") {
                        self.walk(item, Kind::PathItem, &cx.child(expression));
                    }
                }
                return;
            }
            Kind::Example | Kind::Link | Kind::SecurityScheme => &[],
        };
        let walked: Vec<&str> = children.iter().map(|(key, _)| *key).collect();
        for (key, child) in children {
            let Some(value) = map.get_mut(*key) else {
                continue;
            };
            let cx = cx.child(key);
            match (child, value) {
                (Child::One(kind), value) => self.walk(value, *kind, &cx),
                (Child::Schema, value) => match self.shared.last().cloned() {
                    // The inline schema of a shared definition is one component, not a copy per
                    // operation that refers to the definition.
                    Some(name) if defines_a_type(value) => {
                        let id = self.schema_id(cx.file, &cx.pointer);
                        self.schemas[id].hint.get_or_insert(name);
                        *value = component_ref(id);
                    }
                    _ => self.schema(value, &cx),
                },
                // Anything but a list or map is a shape error, which the shape checks report
                // with the right words.
                (Child::List(kind), value) => self.container(value, &cx, |this, list, cx| {
                    if let Value::Array(items) = list {
                        for (i, item) in items.iter_mut().enumerate() {
                            this.walk(item, *kind, &cx.child(&i.to_string()));
                        }
                    }
                }),
                (Child::Map(kind), value) => self.container(value, &cx, |this, map, cx| {
                    if let Value::Object(entries) = map {
                        for (name, entry) in entries.iter_mut() {
                            this.walk_part(entry, *kind, &cx.child(name));
                        }
                    }
                }),
            }
        }
        self.plain_rest(map, &walked, cx);
    }

    /// Walks a schema: a `$ref` becomes a component reference; subschemas are walked in turn.
    fn schema(&mut self, value: &mut Value, cx: &Cx) {
        if !self.deep_enough(cx) {
            return;
        }
        if let Some(reference) = self.reference_in(value, cx) {
            match self.target(&reference, cx) {
                Some((file, pointer)) if self.exists(&file, &pointer, &reference, cx) => {
                    let id = self.schema_id(&file, &pointer);
                    *value = component_ref(id);
                }
                _ => self
                    .unresolved
                    .push((cx.file.to_path_buf(), cx.pointer.clone())),
            }
            return;
        }
        let Value::Object(map) = value else { return };
        if map.contains_key("$ref") {
            // Not a string; reported.
            self.unresolved
                .push((cx.file.to_path_buf(), cx.pointer.clone()));
            return;
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(child) = map.get_mut(key) {
                if child.is_object() {
                    self.schema(child, &cx.child(key));
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = map.get_mut(key) {
                self.container(list, &cx.child(key), |this, list, cx| {
                    if let Value::Array(items) = list {
                        for (i, item) in items.iter_mut().enumerate() {
                            this.schema(item, &cx.child(&i.to_string()));
                        }
                    }
                });
            }
        }
        if let Some(properties) = map.get_mut("properties") {
            self.container(
                properties,
                &cx.child("properties"),
                |this, properties, cx| {
                    if let Value::Object(properties) = properties {
                        for (name, property) in properties.iter_mut() {
                            this.schema(property, &cx.child(name));
                        }
                    }
                },
            );
        }
        // Discriminator mappings name schemas by reference too.
        if let Some(discriminator) = map.get_mut("discriminator") {
            self.mapping(discriminator, &cx.child("discriminator"));
        }
        self.plain_rest(map, SCHEMA_WALKED, cx);
    }

    /// Walks the schema registered as `id`, once.
    fn walk_schema_target(&mut self, id: usize) {
        let file = self.schemas[id].file.clone();
        let pointer = self.schemas[id].pointer.clone();
        let Some(mut value) = self
            .file(&file)
            .and_then(|doc| doc.pointer(&pointer))
            .cloned()
        else {
            return; // Reported where it was referenced.
        };
        // Its place in the bundle is known once it is named: until then, parts inlined into it
        // are mapped under a stand-in (see `bundle`).
        self.schema(
            &mut value,
            &Cx {
                file: &file,
                pointer,
                at: format!("{PLACEHOLDER}{id}"),
                depth: 0,
            },
        );
        self.schemas[id].value = Some(value);
    }

    /// Schemas that are nothing but a `$ref` to another such schema, in a circle, define nothing.
    fn check_alias_loops(&mut self) {
        let alias_of = |entry: &SchemaEntry| entry.value.as_ref().and_then(placeholder_target);
        // 0: not visited, 1: on the current chain, 2: done.
        let mut state = vec![0u8; self.schemas.len()];
        for start in 0..self.schemas.len() {
            let mut chain = Vec::new();
            let mut id = start;
            while state[id] == 0 {
                state[id] = 1;
                chain.push(id);
                match alias_of(&self.schemas[id]) {
                    Some(next) if next < self.schemas.len() => id = next,
                    _ => break,
                }
            }
            if state[id] == 1 && alias_of(&self.schemas[id]).is_some() {
                let from = chain.iter().position(|&c| c == id).unwrap_or(0);
                let names: Vec<String> = chain[from..]
                    .iter()
                    .chain([&id])
                    .map(|&c| self.show_target(&self.schemas[c].file, &self.schemas[c].pointer))
                    .collect();
                let entry = &self.schemas[id];
                self.diagnostics.push(
                    Diagnostic::at(
                        &entry.file,
                        &format!("{}/$ref", entry.pointer),
                        format!(
                            "this schema is only a `$ref`, and the chain loops back to it: {}",
                            names.join(" -> ")
                        ),
                    )
                    .with_help("a chain of schema references must end in a definition"),
                );
            }
            for c in chain {
                state[c] = 2;
            }
        }
    }

    fn schema_id(&mut self, file: &Path, pointer: &str) -> usize {
        let key = (file.to_path_buf(), pointer.to_string());
        if let Some(&id) = self.schema_ids.get(&key) {
            return id;
        }
        let id = self.schemas.len();
        self.schemas.push(SchemaEntry {
            file: key.0.clone(),
            pointer: key.1.clone(),
            value: None,
            hint: None,
        });
        self.schema_ids.insert(key, id);
        id
    }
}

/// The pointer of the `$ref` being followed at `cx`: problems with a reference point at it.
fn ref_at(cx: &Cx) -> String {
    format!("{}/$ref", cx.pointer)
}

#[derive(Clone, Copy)]
enum Child {
    One(Kind),
    List(Kind),
    Map(Kind),
    Schema,
}

fn component_ref(id: usize) -> Value {
    Value::Object(Map::from_iter([(
        "$ref".to_string(),
        Value::String(format!("{PLACEHOLDER}{id}")),
    )]))
}

fn replace_placeholders(value: &mut Value, names: &[String]) {
    match value {
        Value::String(s) => {
            if let Some(id) = s
                .strip_prefix(PLACEHOLDER)
                .and_then(|id| id.parse::<usize>().ok())
            {
                *s = format!("#/components/schemas/{}", escape_pointer(&names[id]));
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_placeholders(v, names)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| replace_placeholders(v, names)),
        _ => {}
    }
}

#[cfg(test)]
pub(crate) mod tests;
