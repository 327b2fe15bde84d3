//! The OpenAPI 3.0 object model as data, for [`crate::shape`]: every object the specification
//! defines, the fields it has, what each holds, and which are required.
#![allow(missing_docs)] // the variants and fields are the specification's own names

/// The objects of OpenAPI 3.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum K {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    SecurityRequirement,
}

impl K {
    /// How messages name it: "expected {a parameter}".
    pub fn name(self) -> &'static str {
        match self {
            K::Document => "an OpenAPI document",
            K::Info => "an Info object",
            K::Contact => "a Contact object",
            K::License => "a License object",
            K::Server => "a Server object",
            K::ServerVariable => "a Server Variable object",
            K::Components => "a Components object",
            K::Paths => "a Paths object (path -> Path Item)",
            K::PathItem => "a Path Item object",
            K::Operation => "an Operation object",
            K::ExternalDocs => "an External Documentation object",
            K::Parameter => "a Parameter object",
            K::RequestBody => "a Request Body object",
            K::MediaType => "a Media Type object",
            K::Encoding => "an Encoding object",
            K::Responses => "a Responses object (status -> Response)",
            K::Response => "a Response object",
            K::Callback => "a Callback object",
            K::Example => "an Example object",
            K::Link => "a Link object",
            K::Header => "a Header object",
            K::Tag => "a Tag object",
            K::Schema => "a Schema object",
            K::Discriminator => "a Discriminator object",
            K::Xml => "an XML object",
            K::SecurityScheme => "a Security Scheme object",
            K::OAuthFlows => "an OAuth Flows object",
            K::OAuthFlow => "an OAuth Flow object",
            K::SecurityRequirement => "a Security Requirement object",
        }
    }
}

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Want {
    Str,
    Bool,
    Num,
    /// A non-negative integer.
    Count,
    Any,
    Obj(K),
    MapOf(K),
    ListOf(K),
    StrList,
    /// `additionalProperties`: a boolean or a schema.
    BoolOrSchema,
    /// A map of names to free-form values (`scopes`, link `parameters`).
    FreeMap,
}

/// One field of an object.
pub struct F {
    /// The key.
    pub name: &'static str,
    /// What it holds.
    pub want: Want,
    /// Whether the object needs it.
    pub required: bool,
}

const fn f(name: &'static str, want: Want) -> F {
    F {
        name,
        want,
        required: false,
    }
}

const fn req(name: &'static str, want: Want) -> F {
    F {
        name,
        want,
        required: true,
    }
}

use Want::*;

/// The fields of an object of kind `kind`.
pub fn fields(kind: K) -> &'static [F] {
    match kind {
        K::Document => {
            const {
                &[
                    req("openapi", Str),
                    req("info", Obj(K::Info)),
                    f("servers", ListOf(K::Server)),
                    req("paths", Obj(K::Paths)),
                    f("components", Obj(K::Components)),
                    f("security", ListOf(K::SecurityRequirement)),
                    f("tags", ListOf(K::Tag)),
                    f("externalDocs", Obj(K::ExternalDocs)),
                ]
            }
        }
        K::Info => {
            const {
                &[
                    req("title", Str),
                    f("description", Str),
                    f("termsOfService", Str),
                    f("contact", Obj(K::Contact)),
                    f("license", Obj(K::License)),
                    req("version", Str),
                ]
            }
        }
        K::Contact => const { &[f("name", Str), f("url", Str), f("email", Str)] },
        K::License => const { &[req("name", Str), f("url", Str)] },
        K::Server => {
            const {
                &[
                    req("url", Str),
                    f("description", Str),
                    f("variables", MapOf(K::ServerVariable)),
                ]
            }
        }
        K::ServerVariable => {
            const {
                &[
                    f("enum", StrList),
                    req("default", Str),
                    f("description", Str),
                ]
            }
        }
        K::Components => {
            const {
                &[
                    f("schemas", MapOf(K::Schema)),
                    f("responses", MapOf(K::Response)),
                    f("parameters", MapOf(K::Parameter)),
                    f("examples", MapOf(K::Example)),
                    f("requestBodies", MapOf(K::RequestBody)),
                    f("headers", MapOf(K::Header)),
                    f("securitySchemes", MapOf(K::SecurityScheme)),
                    f("links", MapOf(K::Link)),
                    f("callbacks", MapOf(K::Callback)),
                ]
            }
        }
        K::PathItem => {
            const {
                &[
                    f("$ref", Str),
                    f("summary", Str),
                    f("description", Str),
                    f("get", Obj(K::Operation)),
                    f("put", Obj(K::Operation)),
                    f("post", Obj(K::Operation)),
                    f("delete", Obj(K::Operation)),
                    f("options", Obj(K::Operation)),
                    f("head", Obj(K::Operation)),
                    f("patch", Obj(K::Operation)),
                    f("trace", Obj(K::Operation)),
                    f("servers", ListOf(K::Server)),
                    f("parameters", ListOf(K::Parameter)),
                ]
            }
        }
        K::Operation => {
            const {
                &[
                    f("tags", StrList),
                    f("summary", Str),
                    f("description", Str),
                    f("externalDocs", Obj(K::ExternalDocs)),
                    f("operationId", Str),
                    f("parameters", ListOf(K::Parameter)),
                    f("requestBody", Obj(K::RequestBody)),
                    req("responses", Obj(K::Responses)),
                    f("callbacks", MapOf(K::Callback)),
                    f("deprecated", Bool),
                    f("security", ListOf(K::SecurityRequirement)),
                    f("servers", ListOf(K::Server)),
                ]
            }
        }
        K::ExternalDocs => const { &[f("description", Str), req("url", Str)] },
        K::Parameter => {
            const {
                &[
                    req("name", Str),
                    req("in", Str),
                    f("description", Str),
                    f("required", Bool),
                    f("deprecated", Bool),
                    f("allowEmptyValue", Bool),
                    f("style", Str),
                    f("explode", Bool),
                    f("allowReserved", Bool),
                    f("schema", Obj(K::Schema)),
                    f("example", Any),
                    f("examples", MapOf(K::Example)),
                    f("content", MapOf(K::MediaType)),
                ]
            }
        }
        K::RequestBody => {
            const {
                &[
                    f("description", Str),
                    req("content", MapOf(K::MediaType)),
                    f("required", Bool),
                ]
            }
        }
        K::MediaType => {
            const {
                &[
                    f("schema", Obj(K::Schema)),
                    f("example", Any),
                    f("examples", MapOf(K::Example)),
                    f("encoding", MapOf(K::Encoding)),
                ]
            }
        }
        K::Encoding => {
            const {
                &[
                    f("contentType", Str),
                    f("headers", MapOf(K::Header)),
                    f("style", Str),
                    f("explode", Bool),
                    f("allowReserved", Bool),
                ]
            }
        }
        K::Response => {
            const {
                &[
                    req("description", Str),
                    f("headers", MapOf(K::Header)),
                    f("content", MapOf(K::MediaType)),
                    f("links", MapOf(K::Link)),
                ]
            }
        }
        K::Example => {
            const {
                &[
                    f("summary", Str),
                    f("description", Str),
                    f("value", Any),
                    f("externalValue", Str),
                ]
            }
        }
        K::Link => {
            const {
                &[
                    f("operationRef", Str),
                    f("operationId", Str),
                    f("parameters", FreeMap),
                    f("requestBody", Any),
                    f("description", Str),
                    f("server", Obj(K::Server)),
                ]
            }
        }
        K::Header => {
            const {
                &[
                    f("description", Str),
                    f("required", Bool),
                    f("deprecated", Bool),
                    f("allowEmptyValue", Bool),
                    f("style", Str),
                    f("explode", Bool),
                    f("allowReserved", Bool),
                    f("schema", Obj(K::Schema)),
                    f("example", Any),
                    f("examples", MapOf(K::Example)),
                    f("content", MapOf(K::MediaType)),
                ]
            }
        }
        K::Tag => {
            const {
                &[
                    req("name", Str),
                    f("description", Str),
                    f("externalDocs", Obj(K::ExternalDocs)),
                ]
            }
        }
        K::Schema => {
            const {
                &[
                    f("$ref", Str),
                    f("title", Str),
                    f("multipleOf", Num),
                    f("maximum", Num),
                    f("exclusiveMaximum", Bool),
                    f("minimum", Num),
                    f("exclusiveMinimum", Bool),
                    f("maxLength", Count),
                    f("minLength", Count),
                    f("pattern", Str),
                    f("maxItems", Count),
                    f("minItems", Count),
                    f("uniqueItems", Bool),
                    f("maxProperties", Count),
                    f("minProperties", Count),
                    f("required", StrList),
                    f("enum", Any),
                    f("type", Str),
                    f("allOf", ListOf(K::Schema)),
                    f("oneOf", ListOf(K::Schema)),
                    f("anyOf", ListOf(K::Schema)),
                    f("not", Obj(K::Schema)),
                    f("items", Obj(K::Schema)),
                    f("properties", MapOf(K::Schema)),
                    f("additionalProperties", BoolOrSchema),
                    f("description", Str),
                    f("format", Str),
                    f("default", Any),
                    f("nullable", Bool),
                    f("discriminator", Obj(K::Discriminator)),
                    f("readOnly", Bool),
                    f("writeOnly", Bool),
                    f("xml", Obj(K::Xml)),
                    f("externalDocs", Obj(K::ExternalDocs)),
                    f("example", Any),
                    f("deprecated", Bool),
                ]
            }
        }
        K::Discriminator => const { &[req("propertyName", Str), f("mapping", FreeMap)] },
        K::Xml => {
            const {
                &[
                    f("name", Str),
                    f("namespace", Str),
                    f("prefix", Str),
                    f("attribute", Bool),
                    f("wrapped", Bool),
                ]
            }
        }
        K::SecurityScheme => {
            const {
                &[
                    req("type", Str),
                    f("description", Str),
                    f("name", Str),
                    f("in", Str),
                    f("scheme", Str),
                    f("bearerFormat", Str),
                    f("flows", Obj(K::OAuthFlows)),
                    f("openIdConnectUrl", Str),
                ]
            }
        }
        K::OAuthFlows => {
            const {
                &[
                    f("implicit", Obj(K::OAuthFlow)),
                    f("password", Obj(K::OAuthFlow)),
                    f("clientCredentials", Obj(K::OAuthFlow)),
                    f("authorizationCode", Obj(K::OAuthFlow)),
                ]
            }
        }
        K::OAuthFlow => {
            const {
                &[
                    f("authorizationUrl", Str),
                    f("tokenUrl", Str),
                    f("refreshUrl", Str),
                    f("scopes", FreeMap),
                ]
            }
        }
        // Maps with keys of their own; handled in `Checker::node`.
        K::Paths | K::Responses | K::Callback | K::SecurityRequirement => const { &[] },
    }
}

/// JSON Schema keywords that OpenAPI 3.1 added and 3.0 does not know.
pub const SCHEMA_31_KEYWORDS: &[&str] = &[
    "const",
    "examples",
    "$schema",
    "$id",
    "$defs",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$comment",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
];

/// The values of `type` in OpenAPI 3.0.
pub const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// The HTTP methods of a path item, the keys that are operations.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Whether a field holding `want` is a part the generator does not use.
pub fn is_unused(want: Want) -> bool {
    matches!(
        want,
        Want::Obj(K::ExternalDocs | K::Xml) | Want::MapOf(K::Example | K::Link | K::Callback)
    )
}
