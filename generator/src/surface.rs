//! The generated crate's public API as a reviewable text file (`API.txt`), built from the IR (not
//! by reading the Rust back): one line per operation, type, field, variant and method, with its
//! Rust signature, sorted. `git diff` of a regeneration shows the API change in a few lines, and
//! [`report`] compares two listings and says which changes are breaking.
//!
//! A line is `<path> <declaration>`: the item's path in the crate (no spaces), then what it is.
//! Type lines carry the attributes and trait impls that decide compatibility
//! (`struct #[non_exhaustive] impl Clone + Debug`), which [`report`] reads back.

pub mod report;
pub mod spelling;

use std::collections::BTreeMap;

use crate::ir::{Api, Field, StatusMatch, TypeDef, TypeKind, TypeRef};
use crate::naming::{self, snake, unraw};
use spelling::ty;

/// The file's name in the generated crate.
pub const FILE: &str = "API.txt";

/// The header of the file: what it is and how to read it. Lines starting with `#` are comments.
const HEADER: &str = "\
# The public API of this crate as generated from its spec: one line per operation, type, field,
# variant and method, `<path> <declaration>`, sorted by path. Written by the generator (never by
# hand), which compares it with the previous version on every run and prints what changed, each
# change marked compatible or breaking, and the semver bump it implies.
#
# Paths are relative to the crate root (`models::X` is `crate::models::X`); `server::` items need
# the `server` feature. Type lines list the attributes and trait impls that compatibility depends
# on (`struct #[non_exhaustive] impl Clone + Debug`); `provided` marks a trait method with a
# default body. An `enum alias` (an operation's error type) names an enum shared by operations
# whose errors are alike; which enum that is is not part of the API, its variants are. The
# runtime (`Client`'s own methods, `Error`, `ApiResponse`, ...) is the same for every spec and is
# not listed, except what varies with the spec: `Client::new`, the `ClientBuilder` methods its
# security schemes give, and the configuration methods of the vendor the spec is known to be from.
# A `type = X` line is an alias: the same type as X under another name, whose members are
# listed under X.
";

/// The listing of `api`, as written to [`FILE`].
pub fn listing(api: &Api) -> String {
    let mut lines: BTreeMap<String, String> = BTreeMap::new();
    for def in api.types.values() {
        model(def, &api.types, &mut lines);
    }
    for error in api.error_types.values() {
        let path = format!("errors::{}", error.name);
        lines.insert(
            path.clone(),
            "enum alias #[non_exhaustive] impl Clone + Debug + Display + PartialEq".into(),
        );
        for v in &error.variants {
            let status = match v.status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(class) => format!("{class}XX"),
                StatusMatch::Default => "default".into(),
            };
            let payload =
                v.ty.as_ref()
                    .map(|t| format!("({})", ty(t)))
                    .unwrap_or_default();
            lines.insert(
                format!("{path}::{}", v.name),
                format!("variant{payload} for {status}"),
            );
        }
    }
    for op in &api.operations {
        operation(op, &mut lines);
    }
    authentication(api, &mut lines);
    for (path, declaration) in crate::emit::server::surface(api) {
        lines.insert(path, declaration);
    }
    let mut text = HEADER.to_string();
    for (path, declaration) in lines {
        text.push_str(&path);
        text.push(' ');
        text.push_str(&declaration);
        text.push('\n');
    }
    text
}

fn deprecated(yes: bool) -> &'static str {
    if yes {
        " #[deprecated]"
    } else {
        ""
    }
}

fn field_type(f: &Field) -> String {
    let mut t = ty(&f.ty);
    if f.boxed {
        t = format!("Box<{t}>");
    }
    if f.tristate() {
        format!("Option<Option<{t}>>")
    } else if f.optional() {
        format!("Option<{t}>")
    } else {
        t
    }
}

fn model(def: &TypeDef, types: &BTreeMap<String, TypeDef>, lines: &mut BTreeMap<String, String>) {
    let path = format!("models::{}", def.name);
    let dep = deprecated(def.deprecated);
    let serde = "Deserialize + Serialize";
    match &def.kind {
        TypeKind::Struct(s) => {
            let default = if s.fields.iter().all(Field::optional) {
                " + Default"
            } else {
                ""
            };
            lines.insert(
                path.clone(),
                format!("struct #[non_exhaustive]{dep} impl Clone + Debug{default} + PartialEq + {serde}"),
            );
            let mut required = Vec::new();
            for f in &s.fields {
                let fdep = deprecated(f.deprecated);
                lines.insert(
                    format!("{path}::{}", f.name),
                    format!("field: {}{fdep}", field_type(f)),
                );
                let arg = if f.tristate() {
                    let inner = if f.boxed {
                        format!("Box<{}>", ty(&f.ty))
                    } else {
                        ty(&f.ty)
                    };
                    format!("Option<{inner}>")
                } else if f.takes_into_string() {
                    "impl Into<String>".to_string()
                } else {
                    ty(&f.ty)
                };
                lines.insert(
                    format!("{path}::{}", naming::setter(&f.name)),
                    format!("fn(self, value: {arg}) -> Self{fdep}"),
                );
                if !f.optional() {
                    let arg = match f.takes_into_string() {
                        true => "impl Into<String>".to_string(),
                        false => field_type(f),
                    };
                    required.push(format!("{}: {arg}", f.name));
                }
            }
            if let Some(additional) = &s.additional {
                lines.insert(
                    format!("{path}::additional_properties"),
                    format!("field: BTreeMap<String, {}>", ty(additional)),
                );
            }
            lines.insert(
                format!("{path}::new"),
                format!("fn({}) -> Self", required.join(", ")),
            );
        }
        TypeKind::StringEnum(values) => {
            lines.insert(
                path.clone(),
                format!("enum #[non_exhaustive]{dep} impl Clone + Debug + Display + Eq + Hash + Ord + {serde}"),
            );
            for v in values {
                lines.insert(
                    format!("{path}::{}", v.name),
                    format!("variant = {:?}", v.wire),
                );
            }
            lines.insert(format!("{path}::Unknown"), "variant(String)".into());
            lines.insert(format!("{path}::as_str"), "fn(&self) -> &str".into());
        }
        TypeKind::IntegerEnum(values) => {
            lines.insert(
                path.clone(),
                format!("enum #[non_exhaustive]{dep} impl Clone + Copy + Debug + Eq + From<i64> + Hash + Ord + {serde}"),
            );
            for (name, value) in values {
                lines.insert(format!("{path}::{name}"), format!("variant = {value}"));
            }
            lines.insert(format!("{path}::Unknown"), "variant(i64)".into());
            lines.insert(format!("{path}::value"), "fn(self) -> i64".into());
        }
        TypeKind::Untagged(variants) => {
            let mut traits = vec!["Clone".to_string(), "Debug".into(), "PartialEq".into()];
            for v in variants {
                if !v.boxed && variants.iter().filter(|o| o.ty == v.ty).count() == 1 {
                    traits.push(format!("From<{}>", ty(&v.ty)));
                    if v.ty == TypeRef::String {
                        traits.push("From<&str>".into());
                    }
                }
                let payload = if v.boxed {
                    format!("Box<{}>", ty(&v.ty))
                } else {
                    ty(&v.ty)
                };
                lines.insert(format!("{path}::{}", v.name), format!("variant({payload})"));
            }
            traits.sort();
            lines.insert(
                path,
                format!(
                    "enum #[non_exhaustive]{dep} impl {} + {serde}",
                    traits.join(" + ")
                ),
            );
        }
        TypeKind::Tagged(t) => {
            lines.insert(
                path.clone(),
                format!("enum #[non_exhaustive]{dep} impl Clone + Debug + PartialEq + {serde}"),
            );
            for (tags, v) in &t.variants {
                let payload = if v.boxed {
                    format!("Box<{}>", ty(&v.ty))
                } else {
                    ty(&v.ty)
                };
                let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
                lines.insert(
                    format!("{path}::{}", v.name),
                    format!(
                        "variant({payload}) when {} = {}",
                        t.property,
                        tags.join(" | ")
                    ),
                );
            }
            lines.insert(
                format!("{path}::Unknown"),
                "variant(serde_json::Value)".into(),
            );
        }
        TypeKind::Alias(target) if crate::emit::models::is_newtype(def, types) => {
            lines.insert(
                path,
                format!(
                    "struct(pub {}){dep} impl Clone + Debug + PartialEq + {serde}",
                    ty(target)
                ),
            );
        }
        TypeKind::Alias(target) => {
            lines.insert(path, format!("type = {}{dep}", ty(target)));
        }
    }
}

/// The runtime's methods that depend on the spec: the constructor and authentication methods
/// of its security schemes ([`crate::ir::security`]), SailPoint's configuration.
fn authentication(api: &Api, lines: &mut BTreeMap<String, String>) {
    let mut add = |path: &str, declaration: &str| {
        lines.insert(path.to_string(), declaration.to_string());
    };
    match api.auth.bearer.is_some() {
        true => add(
            "Client::new",
            "fn(base_url: &str, token: &str) -> Result<Self, BuildError>",
        ),
        false => add(
            "Client::new",
            "fn(base_url: &str) -> Result<Self, BuildError>",
        ),
    }
    for method in crate::emit::auth_methods(&api.auth) {
        let args = match method {
            "bearer_token" => "token: &str",
            "basic_auth" => "username: &str, password: &str",
            "api_key" => "key: &str",
            "client_credentials" => "client_id: &str, client_secret: &str",
            "token_provider" => "provider: TokenProvider",
            _ => "token_url: &str",
        };
        add(
            &format!("ClientBuilder::{method}"),
            &format!("fn(self, {args}) -> Self"),
        );
    }
    if crate::emit::shares_tokens(&api.auth) {
        add(
            "Client::token_provider",
            "fn(&self) -> Option<TokenProvider>",
        );
    }
    if api.sailpoint {
        add("Client::from_env", "fn() -> Result<Self, BuildError>");
        add("ClientBuilder::config", "fn(self, config: &Config) -> Self");
        add(
            "ClientBuilder::experimental",
            "fn(self, enabled: bool) -> Self",
        );
    }
}

fn operation(op: &crate::ir::Operation, lines: &mut BTreeMap<String, String>) {
    let builder = format!("apis::{}::{}", snake(&op.tag), op.builder_name);
    let dep = deprecated(op.deprecated);
    let mut args = vec!["&self".to_string()];
    for p in op.params.iter().filter(|p| p.required) {
        let t = match &p.ty {
            TypeRef::String => "&str".into(),
            TypeRef::Vec(item) => format!("&[{}]", ty(item)),
            t @ (TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64) => {
                ty(t)
            }
            other => format!("&{}", ty(other)),
        };
        args.push(format!("{}: {t}", p.name));
    }
    let body_ty = |t: &TypeRef| match t {
        TypeRef::String => "&str".to_string(),
        TypeRef::Bytes => "&[u8]".into(),
        other => format!("&{}", ty(other)),
    };
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push(format!("body: {}", body_ty(&body.ty)));
    }
    lines.insert(
        format!("Client::{}", op.method_name),
        format!("fn({}) -> {builder}<'_>{dep}", args.join(", ")),
    );
    let success = match &op.success.ty {
        Some(t) if !op.success.bodiless.is_empty() => format!("Option<{}>", ty(t)),
        Some(t) => ty(t),
        None => "()".into(),
    };
    let error = match &op.error_type {
        Some(name) => format!("errors::{name}"),
        None => "Infallible".into(),
    };
    lines.insert(
        builder.clone(),
        format!("struct impl Clone + Debug + IntoFuture<Output = Result<ApiResponse<{success}>, Error<{error}>>>"),
    );
    lines.insert(
        format!("{builder}::send"),
        format!("fn(self) -> Sending<{success}, {error}>"),
    );
    for p in op.params.iter().filter(|p| !p.required) {
        let arg = match &p.ty {
            TypeRef::String => "impl Into<String>".into(),
            other => ty(other),
        };
        lines.insert(
            format!("{builder}::{}", p.name),
            format!("fn(self, value: {arg}) -> Self{}", deprecated(p.deprecated)),
        );
    }
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        lines.insert(
            format!("{builder}::body"),
            format!("fn(self, body: {}) -> Self", body_ty(&body.ty)),
        );
    }
    if let Some(paging) = &op.pagination {
        lines.insert(
            format!("{builder}::stream"),
            format!("fn(self) -> Pages<'_, {}, {error}>", ty(&paging.item)),
        );
    }
    if !op.sort_fields.is_empty() {
        lines.insert(
            format!("{builder}::SORTABLE_FIELDS"),
            "const: &[&str]".into(),
        );
    }
    if !op.filter_fields.is_empty() {
        let filter = format!(
            "apis::{}::{}Filter",
            snake(&op.tag),
            unraw(&op.builder_name)
        );
        lines.insert(filter.clone(), "struct impl Clone + Copy + Debug".into());
        for (field, operators) in &op.filter_fields {
            let base = unraw(&snake(field)).to_string();
            for operator in operators {
                let (suffix, signature) = match operator.as_str() {
                    "in" => (
                        "in",
                        "values: impl IntoIterator<Item = impl Into<FilterValue>>",
                    ),
                    "ca" => (
                        "contains_all",
                        "values: impl IntoIterator<Item = impl Into<FilterValue>>",
                    ),
                    "pr" => ("present", ""),
                    "isnull" => ("is_null", ""),
                    other => (other, "value: impl Into<FilterValue>"),
                };
                lines.insert(
                    format!("{filter}::{base}_{suffix}"),
                    format!("fn({signature}) -> Filter"),
                );
            }
        }
    }
}
