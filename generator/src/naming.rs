//! Every naming decision: case conversion (through `heck`), keyword escaping, invalid first
//! characters, uniqueness within a scope, and the derived names of anonymous schemas. A name is
//! always kept together with the wire name it came from, so every rename becomes an explicit
//! `#[serde(rename = "...")]` in the output.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers even as raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Strict and reserved keywords of Rust 2021; these become raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// A `snake_case` identifier for a field, parameter, method or module. Keywords become raw
/// identifiers (`type` -> `r#type`); a leading digit gets an `n` (`3d` -> `n3d`).
pub fn snake(raw: &str) -> String {
    let words: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = words.to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    escape_keyword(name)
}

/// An `UpperCamelCase` identifier for a type or enum variant. A leading digit gets a `V`
/// (`2fa` -> `V2fa`); an empty or symbol-only name becomes `Empty`.
pub fn pascal(raw: &str) -> String {
    let words: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = words.to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Package names the generated crate cannot take: its own dependencies (a package cannot depend
/// on its namesake) and the crates every Rust program already has in scope.
const TAKEN_CRATE_NAMES: &[&str] = &[
    "axum",
    "bytes",
    "chrono",
    "futures_core",
    "futures_util",
    "reqwest",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "serde_urlencoded",
    "tokio",
    "tracing",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
];

/// Why `name` cannot be the generated crate's package name, or `None` when it can. Its library
/// name is the same with `-` as `_` (`isc-v3` -> `isc_v3`), so it must be an identifier too.
pub fn crate_name_problem(name: &str) -> Option<&'static str> {
    let lib = name.replace('-', "_");
    if name.is_empty() {
        Some("it is empty")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some("only ASCII letters, digits, `-` and `_` may be used")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with a letter")
    } else if KEYWORDS.contains(&lib.as_str()) || NOT_RAW.contains(&lib.as_str()) {
        Some("its library name would be a Rust keyword")
    } else if TAKEN_CRATE_NAMES.contains(&lib.as_str()) {
        Some("the generated crate depends on a crate of that name, or every program has one")
    } else {
        None
    }
}

/// The name without a raw-identifier prefix, for messages and for building derived names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The chaining setter of a model field (`description` -> `with_description`, `r#type` ->
/// `with_type`). Methods and fields live in different namespaces, field names are unique in a
/// struct and `with_` + an identifier is never a keyword, so setters never collide with each
/// other, with fields or with `new`.
pub fn setter(field: &str) -> String {
    // `self_` (a keyword that cannot be raw) reads as `with_self`, which no other field can give.
    let name = unraw(field);
    match name.strip_suffix('_').filter(|k| NOT_RAW.contains(k)) {
        Some(keyword) => format!("with_{keyword}"),
        None => format!("with_{name}"),
    }
}

/// The name of the anonymous item schema of a list named `parent` (`Tags` -> `TagsItem`).
pub fn item_of(parent: &str) -> String {
    format!("{parent}Item")
}

/// The name of the anonymous value schema of a map named `parent` (`Labels` -> `LabelsValue`).
pub fn value_of(parent: &str) -> String {
    format!("{parent}Value")
}

/// The name of an anonymous schema inside `parent`, under the wire name `wire`: a property of a
/// model or a parameter of an operation (`Owner` + `display-name` -> `OwnerDisplayName`).
pub fn part_of(parent: &str, wire: &str) -> String {
    format!("{parent}{}", pascal(wire))
}

/// The name of an operation's anonymous request body schema (`CreateItem` -> `CreateItemRequest`).
pub fn request_of(builder: &str) -> String {
    format!("{builder}Request")
}

/// The name of an operation's anonymous response schema (`GetItem` -> `GetItemResponse`).
pub fn response_of(builder: &str) -> String {
    format!("{builder}Response")
}

/// The name of the inline schema of a definition many operations share, from its file stem or
/// last pointer segment (`base`) and what it is (`suffix`: `Response`, `Request`, `Param`,
/// `Header`): a response named by a status is its reason (`401` -> `UnauthorizedError`,
/// `200` -> `OkResponse`; `None` for a status without one), any other gets the suffix unless it
/// ends with it (`Item` -> `ItemRequest`, `NotFoundResponse` stays).
pub fn shared_name(base: &str, suffix: &str) -> Option<String> {
    if let (true, Ok(code)) = (suffix == "Response", base.parse::<u16>()) {
        let reason = status_reason(code)?;
        let kind = if code >= 400 { "Error" } else { "Response" };
        return Some(format!("{reason}{kind}"));
    }
    let pascal = pascal(base);
    Some(if pascal.ends_with(suffix) {
        pascal
    } else {
        format!("{pascal}{suffix}")
    })
}

/// The variant name of a success status in a server's response enum: its reason phrase
/// (`201` -> `Created`), else `Status` and the code.
pub fn success_variant(code: u16) -> String {
    match status_reason(code).filter(|_| (200..300).contains(&code)) {
        Some(reason) => reason.to_string(),
        None => format!("Status{code}"),
    }
}

/// The reason phrase of an HTTP status as an identifier (`404` -> `NotFound`), for the statuses
/// an API is likely to document.
pub fn status_reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}

// Names reserved in the scopes of the generated code: a generated name that would be one of
// them gets a number (see `Scope::with_reserved`).

/// Type names the generated code uses unqualified (prelude names and the runtime's), which no
/// generated type may take.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Client",
    "Error",
    "ApiResponse",
];

/// Names the builder uses for itself; a parameter with one of these names gets a suffix.
pub const BUILDER_RESERVED: &[&str] = &[
    "client",
    "send",
    "build_request",
    "decode_response_as",
    "stream",
    "into_future",
    "body",
];

/// Methods of the runtime's `Client` (every `impl Client` of runtime/src/, and `clone` of
/// its derived `Clone`), which operation methods must not shadow: a test compares the two.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "base_url",
    "request",
    "experimental",
    "experimental_enabled",
    "shared_tokens",
    "token_provider",
    "json_body",
    "execute",
    "start",
    "send_once",
    "clone",
];

/// Hands out names unique within one scope (the fields of a struct, the variants of an enum, the
/// types of a crate), so two inputs that convert to the same identifier never merge: the later
/// one, in the scope's own stable order, gets a number (`name_2`, `Name2`).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `name`, or the first free numbered variant of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = unraw(&name).to_string();
        let separator = if base.contains(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always finds a free name")
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names() {
        for good in ["isc-v3", "generated-client", "sailpoint_v2025", "a"] {
            assert_eq!(crate_name_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "2025-api",
            "-x",
            "isc.v3",
            "isc v3",
            "säil",
            "type",
            "self",
            "serde",
            "serde-json",
            "std",
        ] {
            assert!(crate_name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn snake_case_names() {
        assert_eq!(snake("scriptName"), "script_name");
        assert_eq!(snake("X-Total-Count"), "x_total_count");
        assert_eq!(snake("provisioningConfig"), "provisioning_config");
        assert_eq!(snake("HTTPStatus"), "http_status");
        assert_eq!(snake("3d"), "n3d");
        assert_eq!(snake(""), "value");
        assert_eq!(snake("$$"), "value");
    }

    #[test]
    fn setters_read_as_with_the_field() {
        assert_eq!(setter("description"), "with_description");
        assert_eq!(setter("r#type"), "with_type");
        assert_eq!(setter("self_"), "with_self");
        assert_eq!(setter("foo_"), "with_foo_");
        assert_eq!(setter("n3d"), "with_n3d");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("move"), "r#move");
        assert_eq!(snake("async"), "r#async");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn pascal_case_names() {
        assert_eq!(
            pascal("ServiceDeskIntegrationDto"),
            "ServiceDeskIntegrationDto"
        );
        assert_eq!(pascal("json-patch operation"), "JsonPatchOperation");
        assert_eq!(pascal("IDENTITY"), "Identity");
        assert_eq!(pascal("in_progress"), "InProgress");
        assert_eq!(pascal("2fa"), "V2fa");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(pascal("Self"), "Self_");
    }

    #[test]
    fn scopes_never_merge_names() {
        let mut scope = Scope::with_reserved(&["client"]);
        assert_eq!(scope.claim("client".into()), "client_2");
        assert_eq!(scope.claim("foo_bar".into()), "foo_bar");
        assert_eq!(scope.claim("foo_bar".into()), "foo_bar_2");
        assert_eq!(scope.claim("FooBar".into()), "FooBar");
        assert_eq!(scope.claim("FooBar".into()), "FooBar2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type_2");
    }

    #[test]
    fn derived_names_of_anonymous_schemas() {
        assert_eq!(item_of("Tags"), "TagsItem");
        assert_eq!(value_of("Labels"), "LabelsValue");
        assert_eq!(part_of("Owner", "display-name"), "OwnerDisplayName");
        assert_eq!(part_of("GetItem", "3d"), "GetItemV3d");
        assert_eq!(request_of("CreateItem"), "CreateItemRequest");
        assert_eq!(response_of("GetItem"), "GetItemResponse");
        assert_eq!(
            shared_name("401", "Response").as_deref(),
            Some("UnauthorizedError")
        );
        assert_eq!(
            shared_name("200", "Response").as_deref(),
            Some("OkResponse")
        );
        assert_eq!(shared_name("299", "Response"), None);
        assert_eq!(
            shared_name("NotFound", "Response").as_deref(),
            Some("NotFoundResponse")
        );
        assert_eq!(
            shared_name("item", "Request").as_deref(),
            Some("ItemRequest")
        );
        assert_eq!(shared_name("limit", "Param").as_deref(), Some("LimitParam"));
    }

    #[test]
    fn success_variants_use_the_reason_phrase_of_a_success_only() {
        assert_eq!(success_variant(200), "Ok");
        assert_eq!(success_variant(203), "NonAuthoritativeInformation");
        assert_eq!(success_variant(206), "PartialContent");
        assert_eq!(success_variant(299), "Status299");
        // A redirect documented as a success keeps its code: its reason is not a success's.
        assert_eq!(success_variant(302), "Status302");
    }

    /// Every method name of the runtime's `Client` (each `impl Client` block of the runtime
    /// crate, runtime/src/runtime/ and its SailPoint module, and of the `Client::new` generated
    /// beside it; whatever the method's visibility, since an operation method of the same name
    /// in the same crate would clash), and the methods of the traits it derives that callers use
    /// as methods (`clone`): exactly [`CLIENT_METHODS`], so a method added to the runtime cannot
    /// be shadowed (or clash with) an operation of that name, and no stale name is kept.
    #[test]
    fn client_methods_are_the_runtime_clients_methods() {
        let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let runtime = workspace.join("runtime/src/runtime");
        let mut found = BTreeSet::new();
        let mut files: Vec<_> = std::fs::read_dir(&runtime)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no runtime in {}", runtime.display());
        files.push(workspace.join("runtime/src/sailpoint.rs"));
        // `Client::new` is generated beside the runtime, shaped by the spec's security schemes.
        files.push(workspace.join("generated-client/src/auth.rs"));
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for item in file.items {
                match item {
                    syn::Item::Impl(block) if block.trait_.is_none() => {
                        let syn::Type::Path(ty) = &*block.self_ty else {
                            continue;
                        };
                        if !ty.path.is_ident("Client") {
                            continue;
                        }
                        for item in block.items {
                            if let syn::ImplItem::Fn(f) = item {
                                found.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                    syn::Item::Struct(s) if s.ident == "Client" => {
                        for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                            attr.parse_nested_meta(|meta| {
                                if meta.path.is_ident("Clone") {
                                    found.insert("clone".to_string());
                                }
                                Ok(())
                            })
                            .unwrap();
                        }
                    }
                    _ => {}
                }
            }
        }
        let listed: BTreeSet<String> = CLIENT_METHODS.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            listed, found,
            "CLIENT_METHODS (left) against the runtime's Client (right)"
        );
    }
}
