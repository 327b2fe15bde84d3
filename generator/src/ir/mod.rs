//! The intermediate representation between the OpenAPI model and the emitters. Emitters read only
//! these types, never `openapiv3`'s; lowering never produces tokens. Every collection that reaches
//! the output is ordered (`BTreeMap`, or a `Vec` sorted by a stable key), so output is deterministic.

mod assemble;
mod collection;
mod cycles;
pub mod errors;
pub mod features;
pub mod media;
mod modifiers;
pub mod operations;
pub mod path_params;
pub mod path_template;
pub mod routes;
pub mod security;
pub mod types;
mod unions;
pub mod vendor;

use std::collections::BTreeMap;

use serde_json::Value;

pub use operations::lower_api;
pub(crate) use unions::resolve as behind_aliases;

/// Spec text meant for docs (`description`, `summary`, `title`): `None` when it is missing or
/// blank, so that `description: ""` gets the same fallback doc as no description at all (an
/// empty doc is none, and the generated crate denies missing docs).
pub(crate) fn text(value: &Option<String>) -> Option<String> {
    value.clone().filter(|text| !text.trim().is_empty())
}

/// [`text`] of a field the spec requires (a response's `description`).
pub(crate) fn required_text(value: &str) -> Option<String> {
    text(&Some(value.to_string()))
}

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server's URL with every variable at its default.
    pub base_url: String,
    /// Every named type, by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Every operation, sorted by method name.
    pub operations: Vec<Operation>,
    /// Each operation's error type (`{Builder}Error`), by name: an alias of a shared enum.
    pub error_types: BTreeMap<String, ErrorType>,
    /// The enums behind the operations' error types, by name (see [`errors`]).
    pub shared_errors: BTreeMap<String, errors::SharedError>,
    /// What was accepted but is worth the user's attention.
    pub warnings: Vec<String>,
    /// Defects repaired or units left out, at pointers into the bundled document.
    pub repairs: Vec<crate::repair::Repair>,
    /// Per-tag cargo features and what each needs.
    pub features: features::Features,
    /// The generated server's routes.
    pub routes: Vec<routes::Route>,
    /// Whether the spec is SailPoint's (see [`vendor`]): its runtime module and wording.
    pub sailpoint: bool,
    /// How clients authenticate, from the spec's security schemes (see [`security`]).
    pub auth: security::Auth,
}

/// A reference to a Rust type from a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f32`
    F32,
    /// `f64`
    F64,
    /// `String`
    String,
    /// `chrono::DateTime<Utc>` (format `date-time`)
    DateTime,
    /// `chrono::NaiveDate` (format `date`)
    Date,
    /// Any JSON value: schemas without a type.
    Json,
    /// A free-form JSON object (`type: object` with no properties).
    JsonObject,
    /// `BTreeMap<String, T>` (`additionalProperties: <schema>`).
    Map(Box<TypeRef>),
    /// `Vec<T>`
    Vec(Box<TypeRef>),
    /// A type of [`Api::types`], by Rust name.
    Named(String),
    /// Raw bytes (`format: binary`, non-text downloads and uploads).
    Bytes,
}

impl TypeRef {
    /// The named type this one is or holds, through `Vec` and maps (at most one: a container
    /// holds one type).
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Rustdoc, from the schema's description or title.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
    /// Where it came from (`schemas/OwnerDto.yaml`), for docs; `None` for inline schemas.
    pub origin: Option<String>,
    /// The schema's own `example`, if it gives one (sample payloads are tested against it).
    pub example: Option<Value>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum; always decodes unknown values too, since APIs add values freely.
    StringEnum(Vec<EnumValue>),
    /// An integer enum (`enum: [1, 2, 3]`), with a catch-all for values added later.
    IntegerEnum(Vec<(String, i64)>),
    /// `oneOf` / `anyOf` without a discriminator: tried in the order given, which lowering sorts
    /// so that decoding is sound (see `types::variant_rank`).
    Untagged(Vec<Variant>),
    /// Another type under this name (`pub type Name = ...;`).
    Alias(TypeRef),
    /// `oneOf` with a `discriminator`: the property's value picks the alternative; values this
    /// client does not know decode too (SailPoint adds kinds freely).
    Tagged(Tagged),
}

impl TypeKind {
    /// The types this one holds directly: fields, the map of additional properties, variants,
    /// an alias's target.
    pub fn members(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => (s.fields.iter().map(|f| &f.ty))
                .chain(&s.additional)
                .collect(),
            TypeKind::Untagged(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Tagged(tagged) => tagged.variants.iter().map(|(_, v)| &v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Vec::new(),
        }
    }
}

/// A discriminated union.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    /// The discriminating property (`type`).
    pub property: String,
    /// Each alternative with the tag values that select it.
    pub variants: Vec<(Vec<String>, Variant)>,
}

/// The fields of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// In the order the spec lists them.
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema: captured in a flattened map.
    pub additional: Option<TypeRef>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (may be a raw identifier).
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// The value's type, without `Option`.
    pub ty: TypeRef,
    /// In the schema's `required` list.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Boxed because it closes a cycle of by-value fields.
    pub boxed: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`: set by the server, ignored when sent.
    pub read_only: bool,
    /// `writeOnly: true`: sent, never returned.
    pub write_only: bool,
    /// `default`, as the spec gives it.
    pub default: Option<Value>,
    /// See [`Field::tristate`]; set for the types that PUT and PATCH bodies reach.
    pub tristate: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`. Read-only and write-only fields are, even when
    /// required: the server never receives the one and never returns the other.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable || self.read_only || self.write_only
    }

    /// Whether absent and `null` are different things: an optional, nullable property of a
    /// PUT or PATCH body, which may be left out (keep the value) or sent as `null` (clear it).
    /// Such fields are `Option<Option<T>>`.
    pub fn tristate(&self) -> bool {
        self.tristate
    }

    /// Whether `new` and the setter take the value as `impl Into<String>` (so `"x"` works): string
    /// fields do; every other field is given as its own type, which seldom needs a conversion.
    /// Generic arguments on every field made the V3 crate's build cost rise past 10%
    /// (BENCHMARKS.md, "Same machine, before and after"). Operation builders follow the same rule.
    pub fn takes_into_string(&self) -> bool {
        !self.boxed && !self.tristate && matches!(self.ty, TypeRef::String)
    }

    /// Whether `None` is left out when sending (rather than sent as `null`).
    pub fn skip_if_none(&self) -> bool {
        !self.required || self.read_only || self.write_only
    }
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The Rust variant name.
    pub name: String,
    /// The string on the wire.
    pub wire: String,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// Its payload.
    pub ty: TypeRef,
    /// Boxed because it closes a cycle.
    pub boxed: bool,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// Upper-case name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one derived from method and path.
    pub id: String,
    /// The client method's name (`snake_case`).
    pub method_name: String,
    /// The request builder's type name (`UpperCamelCase`).
    pub builder_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL (`/service-desk-integrations/{id}`).
    pub path: String,
    /// The same template taken apart: what the client sends and the server routes.
    pub segments: Vec<path_template::Segment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The first tag.
    pub tag: String,
    /// Path, query and header parameters, path parameters first in template order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// The success statuses and the one type they decode into (`None`: no body).
    pub success: Success,
    /// Name of the error enum in [`Api::error_types`], or `None` when no error is documented.
    pub error_type: Option<String>,
    /// Marked `x-sailpoint-experimental`: callable only after opting in.
    pub experimental: bool,
    /// How to page through the operation's results, for list operations with offset and limit.
    pub pagination: Option<Pagination>,
    /// Filterable fields and their operators, as the `filters` parameter documents them.
    pub filter_fields: Vec<(String, Vec<String>)>,
    /// Sortable fields, as the `sorters` parameter documents them.
    pub sort_fields: Vec<String>,
}

/// Offset/limit paging of a list operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The Rust name of the offset parameter.
    pub offset: String,
    /// The Rust name of the limit parameter.
    pub limit: String,
    /// Its Rust type (`i32` or `i64`).
    pub limit_ty: TypeRef,
    /// The Rust name of the boolean `count` parameter, when there is one.
    pub count: Option<String>,
    /// The item type.
    pub item: TypeRef,
    /// Page size when the user sets no limit: the limit's default, else its maximum, else 250.
    pub page_size: i64,
    /// The largest limit the server accepts, if documented.
    pub max_page_size: Option<i64>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the URL's path, `{name}`.
    Path,
    /// In the query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, sent in the `Cookie` header.
    Cookie,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name (setter and argument).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required parameters are method arguments; optional ones have builder setters.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The server's default when left out.
    pub default: Option<Value>,
    /// Inclusive bounds, checked before sending.
    pub minimum: Option<i64>,
    /// Inclusive upper bound.
    pub maximum: Option<i64>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The spec's example value (the parameter's, else its inline schema's), for the docs.
    pub example: Option<Value>,
}

#[cfg(test)]
impl Param {
    /// A required parameter `wire` (its Rust name in snake case), for tests.
    pub(crate) fn for_test(wire: &str, location: ParamLocation, ty: TypeRef) -> Param {
        Param {
            name: crate::naming::snake(wire),
            wire: wire.into(),
            location,
            ty,
            required: true,
            doc: None,
            default: None,
            minimum: None,
            maximum: None,
            deprecated: false,
            example: None,
        }
    }
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The content type sent (`application/json`, `application/json-patch+json`).
    pub content_type: String,
    /// How it is encoded.
    pub kind: media::MediaKind,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the body must be given.
    pub required: bool,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The spec's example (the media type's, else its inline schema's), for the docs; a named
    /// type's own example is in [`TypeDef::example`].
    pub example: Option<Value>,
}

/// The successful outcome of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// Documented 2xx statuses.
    pub statuses: Vec<u16>,
    /// The body type; `None` when no success status has a body.
    pub ty: Option<TypeRef>,
    /// Rustdoc of the first success status.
    pub doc: Option<String>,
    /// Response headers the spec documents (name, doc).
    pub headers: Vec<(String, Option<String>)>,
    /// Statuses among [`statuses`](Self::statuses) that have no body while others do: the body
    /// is then an `Option`.
    pub bodiless: Vec<u16>,
    /// How the body is decoded (JSON, text or bytes).
    pub kind: media::MediaKind,
    /// The `Accept` header to send.
    pub accept: String,
}

impl Default for Success {
    /// No documented success yet: decoded as JSON, asking for JSON.
    fn default() -> Self {
        Success {
            statuses: Vec::new(),
            ty: None,
            doc: None,
            headers: Vec::new(),
            bodiless: Vec::new(),
            kind: media::MediaKind::Json,
            accept: "application/json".into(),
        }
    }
}

/// An operation's typed error: one variant per documented error status.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorType {
    /// The type's name (`{Builder}Error`).
    pub name: String,
    /// One per status, in status order.
    pub variants: Vec<ErrorVariant>,
    /// The operations that use it (method names), for its rustdoc.
    pub used_by: Vec<String>,
    /// The shared enum it names (in [`Api::shared_errors`]).
    pub shared: String,
}

/// One documented error status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ErrorVariant {
    /// The variant name (`NotFound`).
    pub name: String,
    /// What it matches.
    pub status: StatusMatch,
    /// The body's type; `None` when the spec gives no body.
    pub ty: Option<TypeRef>,
    /// Rustdoc, from the response's description.
    pub doc: Option<String>,
}

/// Which statuses an error variant stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// `4XX`: a whole class.
    Range(u16),
    /// `default`: every other non-success status.
    Default,
}
