//! Resolving `$ref`s across files. The result is one self-contained OpenAPI document:
//!
//! - a `$ref` where a **schema** is expected becomes an entry of `components/schemas`, named after
//!   its file (`../schemas/OwnerDto.yaml` -> `OwnerDto`) or its last pointer segment, and the
//!   reference is rewritten to `#/components/schemas/OwnerDto`. Schemas keep their identity this
//!   way, so each becomes one named Rust type, and recursive schemas need no special case;
//! - every other `$ref` (path items, parameters, responses, request bodies, headers, examples) is
//!   replaced by the document it points at, itself resolved relative to its own file.
//!
//! Two different schemas that would get the same name are told apart by a deterministic rule (see
//! [`assign_names`]), never merged. References may not leave the spec's root directory and remote
//! (`http://`) references are not fetched: a spec must not make the generator read arbitrary files.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Diagnostic, Diagnostics, Error};
use crate::load::load_document;

/// Where a component schema came from: file and JSON pointer inside it (empty for a whole file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The file, as a path under the spec's root directory.
    pub file: PathBuf,
    /// JSON pointer inside the file; empty when the schema is the whole file.
    pub pointer: String,
}

/// The bundled document and where each of its component schemas came from.
#[derive(Debug)]
pub struct Bundle {
    /// The root document with every `$ref` resolved as described in the module docs.
    pub document: Value,
    /// Component schema name -> origin, for error messages and docs.
    pub origins: BTreeMap<String, Origin>,
}

/// Placeholder written where a schema reference goes until names are assigned; `\u{0}` cannot
/// occur in a real reference.
const PLACEHOLDER: &str = "\u{0}schema:";

/// Loads the root document and everything it references, and bundles it.
pub fn bundle(root: &Path) -> Result<Bundle, Error> {
    let root_file = absolute(root);
    let root_dir = root_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut resolver = Resolver {
        root_dir,
        files: BTreeMap::new(),
        schemas: Vec::new(),
        schema_ids: BTreeMap::new(),
        inline_stack: Vec::new(),
        diagnostics: Diagnostics::default(),
    };
    let Some(document) = resolver.file(&root_file) else {
        return Err(Error::Spec(vec![resolver.take_load_error(&root_file)]));
    };
    let mut document = document.clone();
    check_version(&root_file, &document, &mut resolver.diagnostics);
    resolver.diagnostics.finish()?;

    // Component schemas of the root keep their names: register them before anything refers to them.
    let component_names: Vec<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &component_names {
        resolver.schema_id(
            &root_file,
            &format!("/components/schemas/{}", escape_pointer(name)),
        );
    }
    let cx = Cx {
        file: &root_file,
        pointer: String::new(),
    };
    resolver.walk_root(&mut document, &cx);
    // Schemas discovered while walking can reference further schemas; walk until none is pending.
    let mut next = 0;
    while next < resolver.schemas.len() {
        resolver.walk_schema_target(next);
        next += 1;
    }
    resolver.diagnostics.finish()?;

    let names = assign_names(&resolver.schemas, &resolver.root_dir);
    let mut schemas = Map::new();
    let mut origins = BTreeMap::new();
    for (entry, name) in resolver.schemas.iter().zip(&names) {
        let mut value = entry.value.clone().unwrap_or(Value::Null);
        replace_placeholders(&mut value, &names);
        schemas.insert(name.clone(), value);
        origins.insert(name.clone(), entry.origin(&resolver.root_dir));
    }
    replace_placeholders(&mut document, &names);
    let components = document
        .as_object_mut()
        .expect("checked to be a mapping by check_version")
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(components) = components {
        components.insert("schemas".into(), Value::Object(schemas));
    }
    Ok(Bundle { document, origins })
}

fn check_version(file: &Path, document: &Value, diagnostics: &mut Diagnostics) {
    let Some(map) = document.as_object() else {
        diagnostics.push(Diagnostic::in_file(
            file,
            "the root document is not a mapping; expected an OpenAPI 3.0 document",
        ));
        return;
    };
    match (
        map.get("openapi").and_then(Value::as_str),
        map.get("swagger"),
    ) {
        (Some(version), _) if version.starts_with("3.0.") || version == "3.0" => {}
        (Some(version), _) => diagnostics.push(
            Diagnostic::at(
                file,
                "/openapi",
                format!(
                    "unsupported OpenAPI version {version}; this generator reads OpenAPI 3.0.x"
                ),
            )
            .with_help("convert the document to OpenAPI 3.0 first"),
        ),
        (None, Some(_)) => diagnostics.push(
            Diagnostic::at(
                file,
                "/swagger",
                "Swagger 2.0 documents are not supported; this generator reads OpenAPI 3.0.x",
            )
            .with_help("convert the document to OpenAPI 3.0 first (e.g. with swagger2openapi)"),
        ),
        (None, None) => diagnostics.push(Diagnostic::at(
            file,
            "",
            "the root document has no `openapi` version field; expected `openapi: 3.0.x`",
        )),
    }
}

/// One schema that became a component, by its origin.
struct SchemaEntry {
    file: PathBuf,
    pointer: String,
    /// The walked value; `None` until walked (or when the target was missing).
    value: Option<Value>,
}

impl SchemaEntry {
    fn origin(&self, root_dir: &Path) -> Origin {
        Origin {
            file: self
                .file
                .strip_prefix(root_dir)
                .unwrap_or(&self.file)
                .to_path_buf(),
            pointer: self.pointer.clone(),
        }
    }
}

/// The position being walked: file and pointer, for resolving references and for messages.
struct Cx<'a> {
    file: &'a Path,
    pointer: String,
}

impl Cx<'_> {
    fn child(&self, key: &str) -> Cx<'_> {
        Cx {
            file: self.file,
            pointer: format!("{}/{}", self.pointer, escape_pointer(key)),
        }
    }
}

struct Resolver {
    root_dir: PathBuf,
    /// Every file read so far; `None` when it could not be read (the problem is reported once).
    files: BTreeMap<PathBuf, Result<Value, Diagnostic>>,
    schemas: Vec<SchemaEntry>,
    schema_ids: BTreeMap<(PathBuf, String), usize>,
    /// Non-schema references being inlined, to detect `$ref` loops.
    inline_stack: Vec<(PathBuf, String)>,
    diagnostics: Diagnostics,
}

/// What kind of object is expected where a value is walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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
            let loaded = load_document(path);
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
        if let Some(Value::Object(paths)) = map.get_mut("paths") {
            let cx = cx.child("paths");
            for (path, item) in paths.iter_mut() {
                self.walk(item, Kind::PathItem, &cx.child(path));
            }
        }
        if let Some(Value::Object(components)) = map.get_mut("components") {
            let cx = cx.child("components");
            for (section, kind) in [
                ("parameters", Kind::Parameter),
                ("responses", Kind::Response),
                ("requestBodies", Kind::RequestBody),
                ("headers", Kind::Header),
                ("examples", Kind::Example),
                ("links", Kind::Link),
                ("callbacks", Kind::Callback),
                ("securitySchemes", Kind::SecurityScheme),
            ] {
                if let Some(Value::Object(entries)) = components.get_mut(section) {
                    let cx = cx.child(section);
                    for (name, entry) in entries.iter_mut() {
                        self.walk(entry, kind, &cx.child(name));
                    }
                }
            }
            // Root component schemas are registered as targets and walked with the others.
            components.remove("schemas");
        }
    }

    /// Walks a non-schema object: inlines it when it is a `$ref`, then walks its children.
    fn walk(&mut self, value: &mut Value, kind: Kind, cx: &Cx) {
        if let Some(reference) = ref_of(value) {
            let Some((file, pointer)) = self.target(&reference, cx) else {
                return;
            };
            let key = (file.clone(), pointer.clone());
            if self.inline_stack.contains(&key) {
                self.diagnostics.push(
                    Diagnostic::at(
                        cx.file,
                        &cx.pointer,
                        format!("`$ref: {reference}` loops back to itself"),
                    )
                    .with_help("a chain of references must end in a definition"),
                );
                return;
            }
            let Some(mut target) = self.lookup(&file, &pointer, &reference, cx) else {
                return;
            };
            self.inline_stack.push(key);
            self.walk(
                &mut target,
                kind,
                &Cx {
                    file: &file,
                    pointer: pointer.clone(),
                },
            );
            self.inline_stack.pop();
            *value = target;
            return;
        }
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
                    self.walk(item, Kind::PathItem, &cx.child(expression));
                }
                return;
            }
            Kind::Example | Kind::Link | Kind::SecurityScheme => &[],
        };
        for (key, child) in children {
            let Some(value) = map.get_mut(*key) else {
                continue;
            };
            let cx = cx.child(key);
            match (child, value) {
                (Child::One(kind), value) => self.walk(value, *kind, &cx),
                (Child::Schema, value) => self.schema(value, &cx),
                (Child::List(kind), Value::Array(items)) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.walk(item, *kind, &cx.child(&i.to_string()));
                    }
                }
                (Child::Map(kind), Value::Object(entries)) => {
                    for (name, entry) in entries.iter_mut() {
                        self.walk(entry, *kind, &cx.child(name));
                    }
                }
                _ => {} // A shape error; the OpenAPI parser reports it with the right words.
            }
        }
    }

    /// Walks a schema: a `$ref` becomes a component reference; subschemas are walked in turn.
    fn schema(&mut self, value: &mut Value, cx: &Cx) {
        if let Some(reference) = ref_of(value) {
            if let Some((file, pointer)) = self.target(&reference, cx) {
                if self.lookup(&file, &pointer, &reference, cx).is_some() {
                    let id = self.schema_id(&file, &pointer);
                    *value = component_ref(id);
                }
            }
            return;
        }
        let Value::Object(map) = value else { return };
        for key in ["items", "not", "additionalProperties"] {
            if let Some(child) = map.get_mut(key) {
                if child.is_object() {
                    self.schema(child, &cx.child(key));
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(items)) = map.get_mut(key) {
                let cx = cx.child(key);
                for (i, item) in items.iter_mut().enumerate() {
                    self.schema(item, &cx.child(&i.to_string()));
                }
            }
        }
        if let Some(Value::Object(properties)) = map.get_mut("properties") {
            let cx = cx.child("properties");
            for (name, property) in properties.iter_mut() {
                self.schema(property, &cx.child(name));
            }
        }
        // Discriminator mappings name schemas by reference too.
        if let Some(Value::Object(mapping)) = map
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        {
            let discriminator = cx.child("discriminator");
            let cx = discriminator.child("mapping");
            for (tag, target) in mapping.iter_mut() {
                if let Some(reference) = target.as_str().map(str::to_string) {
                    if !reference.contains('/') && !reference.contains('.') {
                        // A bare schema name, as OpenAPI allows.
                        *target = Value::String(format!("#/components/schemas/{reference}"));
                    }
                    let mut wrapped =
                        Value::Object(Map::from_iter([("$ref".to_string(), target.clone())]));
                    self.schema(&mut wrapped, &cx.child(tag));
                    if let Some(resolved) = wrapped.get("$ref") {
                        *target = resolved.clone();
                    }
                }
            }
        }
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
        self.schema(
            &mut value,
            &Cx {
                file: &file,
                pointer,
            },
        );
        self.schemas[id].value = Some(value);
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
        });
        self.schema_ids.insert(key, id);
        id
    }

    /// Turns a reference into (absolute file, pointer), refusing remote and escaping ones.
    fn target(&mut self, reference: &str, cx: &Cx) -> Option<(PathBuf, String)> {
        let (location, fragment) = match reference.split_once('#') {
            Some((location, fragment)) => (location, fragment),
            None => (reference, ""),
        };
        if location.contains("://") {
            self.diagnostics.push(
                Diagnostic::at(cx.file, &cx.pointer, format!("remote reference `{reference}` is not fetched"))
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
        if !file.starts_with(&self.root_dir) {
            self.diagnostics.push(
                Diagnostic::at(
                    cx.file,
                    &cx.pointer,
                    format!(
                        "`$ref: {reference}` points outside the spec's directory {}",
                        self.root_dir.display()
                    ),
                )
                .with_help("keep every file of the spec under the root document's directory"),
            );
            return None;
        }
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            self.diagnostics.push(Diagnostic::at(
                cx.file,
                &cx.pointer,
                format!("`$ref: {reference}` has a fragment that is not a JSON pointer (it must start with `/`)"),
            ));
            return None;
        }
        Some((file, pointer))
    }

    /// The value at `pointer` in `file`, or a diagnostic naming the reference that wanted it.
    fn lookup(&mut self, file: &Path, pointer: &str, reference: &str, cx: &Cx) -> Option<Value> {
        if self.file(file).is_none() {
            let cause = self.take_load_error(file);
            self.diagnostics.push(
                Diagnostic::at(
                    cx.file,
                    &cx.pointer,
                    format!("`$ref: {reference}` cannot be followed: {}", cause.message),
                )
                .with_help(format!("the reference resolves to {}", file.display())),
            );
            if cause.message.contains("does not exist") {
                return None;
            }
            // A file that exists but is broken gets its own diagnostic too, once.
            if !self.reported_broken(file) {
                self.diagnostics.push(cause);
            }
            return None;
        }
        let found = self
            .file(file)
            .and_then(|doc| doc.pointer(pointer))
            .cloned();
        if found.is_none() {
            self.diagnostics.push(Diagnostic::at(
                cx.file,
                &cx.pointer,
                format!(
                    "`$ref: {reference}` points at `{pointer}`, which {} does not contain",
                    file.display()
                ),
            ));
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

#[derive(Clone, Copy)]
enum Child {
    One(Kind),
    List(Kind),
    Map(Kind),
    Schema,
}

fn ref_of(value: &Value) -> Option<String> {
    value.as_object()?.get("$ref")?.as_str().map(str::to_string)
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

/// Gives every component schema a unique name: its file stem, or the last segment of its pointer.
/// When several different schemas want one name, the one with the shortest path (then the
/// alphabetically first) keeps it and the others are prefixed with their folder's name
/// (`schemas/schedule/Schedule.yaml` -> `scheduleSchedule`); a number settles what is left. The
/// rule depends only on the paths, never on the order in which references were found.
fn assign_names(schemas: &[SchemaEntry], root_dir: &Path) -> Vec<String> {
    let wanted: Vec<String> = schemas.iter().map(base_name).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, name) in wanted.iter().enumerate() {
        groups.entry(name.as_str()).or_default().push(id);
    }
    let mut names = wanted.clone();
    let mut taken: std::collections::BTreeSet<String> = wanted.iter().cloned().collect();
    for ids in groups.values() {
        if ids.len() < 2 {
            continue;
        }
        let mut ordered = ids.clone();
        ordered.sort_by_key(|&id| {
            let origin = schemas[id].origin(root_dir);
            (
                origin.file.components().count(),
                origin.file.clone(),
                origin.pointer,
            )
        });
        for &id in &ordered[1..] {
            let folder = schemas[id]
                .file
                .parent()
                .and_then(Path::file_name)
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut candidate = format!("{folder}{}", wanted[id]);
            let mut n = 2;
            while taken.contains(&candidate) {
                candidate = format!("{folder}{}{n}", wanted[id]);
                n += 1;
            }
            taken.insert(candidate.clone());
            names[id] = candidate;
        }
    }
    names
}

fn base_name(entry: &SchemaEntry) -> String {
    match entry.pointer.rsplit('/').next() {
        Some(last) if !entry.pointer.is_empty() => unescape_pointer(last),
        _ => entry
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Schema".into()),
    }
}

/// Escapes a key for use as one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    normalize(&joined)
}

/// Removes `.` and `..` without touching the file system, so paths compare by text.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const ROOT: &str = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './paths/a.yaml'\n";

    #[test]
    fn file_refs_become_components_and_path_items_are_inlined() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "root.yaml", ROOT);
        write(
            dir.path(),
            "paths/a.yaml",
            "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: '../schemas/Thing.yaml'\n",
        );
        write(dir.path(), "schemas/Thing.yaml", "type: object\nproperties:\n  next:\n    $ref: './Thing.yaml'\n  other:\n    $ref: './Other.yaml#/definitions/Other'\n");
        write(
            dir.path(),
            "schemas/Other.yaml",
            "definitions:\n  Other:\n    type: string\n",
        );
        let bundle = bundle(&dir.path().join("root.yaml")).unwrap();
        let doc = &bundle.document;
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref")
                .unwrap(),
            "#/components/schemas/Thing"
        );
        assert_eq!(
            doc.pointer("/components/schemas/Thing/properties/next/$ref")
                .unwrap(),
            "#/components/schemas/Thing"
        );
        assert_eq!(
            doc.pointer("/components/schemas/Thing/properties/other/$ref")
                .unwrap(),
            "#/components/schemas/Other"
        );
        assert_eq!(
            doc.pointer("/components/schemas/Other/type").unwrap(),
            "string"
        );
        assert_eq!(bundle.origins["Other"].pointer, "/definitions/Other");
    }

    #[test]
    fn same_file_name_in_two_folders_gives_two_names() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        x: {$ref: './schemas/Schedule.yaml'}\n        y: {$ref: './schemas/schedule/Schedule.yaml'}\n");
        write(dir.path(), "schemas/Schedule.yaml", "type: string\n");
        write(
            dir.path(),
            "schemas/schedule/Schedule.yaml",
            "type: integer\n",
        );
        let bundle = bundle(&dir.path().join("root.yaml")).unwrap();
        let schemas = bundle.document.pointer("/components/schemas").unwrap();
        assert_eq!(schemas["Schedule"]["type"], "string");
        assert_eq!(schemas["scheduleSchedule"]["type"], "integer");
    }

    #[test]
    fn broken_refs_are_all_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "root.yaml", "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        x: {$ref: './missing.yaml'}\n        y: {$ref: './B.yaml#/nope'}\n        z: {$ref: 'https://example.com/x.yaml'}\n        w: {$ref: '../../etc/passwd'}\n");
        write(dir.path(), "B.yaml", "type: string\n");
        let Err(Error::Spec(items)) = bundle(&dir.path().join("root.yaml")) else {
            panic!("expected errors")
        };
        assert_eq!(items.len(), 4, "{items:#?}");
        assert!(items[0].message.contains("does not exist"));
        assert!(items[1].message.contains("/nope"));
        assert!(items[2].message.contains("remote"));
        assert!(items[3].message.contains("outside"));
        assert_eq!(
            items[0].pointer.as_deref(),
            Some("/components/schemas/A/properties/x")
        );
    }

    #[test]
    fn looping_non_schema_refs_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "root.yaml",
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: './p.yaml'\n",
        );
        write(dir.path(), "p.yaml", "$ref: './q.yaml'\n");
        write(dir.path(), "q.yaml", "$ref: './p.yaml'\n");
        let Err(Error::Spec(items)) = bundle(&dir.path().join("root.yaml")) else {
            panic!("expected errors")
        };
        assert!(items[0].message.contains("loops"), "{items:#?}");
    }

    #[test]
    fn other_versions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.yaml", "swagger: '2.0'\n");
        write(dir.path(), "b.yaml", "openapi: 3.1.0\n");
        for name in ["a.yaml", "b.yaml"] {
            let Err(Error::Spec(items)) = bundle(&dir.path().join(name)) else {
                panic!("expected errors")
            };
            assert!(items[0].message.contains("3.0.x"), "{items:#?}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%7E"), "a b~");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
