//! The files that are not Rust logic (Cargo.toml, README, lib.rs, the example), rendered from
//! templates/ with minijinja. The templates are compiled into the generator so it runs from anywhere.

use minijinja::Environment;
use serde::Serialize;

use crate::error::Error;

/// (template name, output path, source). Output paths are relative to the crate root.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "Cargo.toml",
        "Cargo.toml",
        include_str!("../../templates/Cargo.toml.j2"),
    ),
    (
        "README.md",
        "README.md",
        include_str!("../../templates/README.md.j2"),
    ),
    (
        "lib.rs",
        "src/lib.rs",
        include_str!("../../templates/lib.rs.j2"),
    ),
];

/// What the templates can use.
#[derive(Debug, Serialize)]
pub struct Context {
    /// The package name (`generated-client`).
    pub crate_name: String,
    /// The package version.
    pub crate_version: String,
    /// The package's `license` (an SPDX expression).
    pub license: String,
    /// The package's `repository`, if any.
    pub repository: Option<String>,
    /// The library name (`generated_client`).
    pub lib_name: String,
    /// The API's title.
    pub title: String,
    /// The API's version.
    pub api_version: String,
    /// The API's description.
    pub description: Option<String>,
    /// The default base URL.
    pub base_url: String,
    /// The path part of the base URL (`/v3`): where the API lives below a tenant's root.
    pub api_path: String,
    /// Whether any operation documents errors (so `errors` has items to re-export).
    pub has_errors: bool,
    /// Whether any operation sends `multipart/form-data` (reqwest's `multipart` feature); with
    /// tag features, only those that need it turn it on.
    pub uses_multipart: bool,
    /// Tag features (name, needs multipart), when the API has more than one tag.
    pub tag_features: Vec<(String, bool)>,
    /// The command that regenerates the crate.
    pub command: String,
    /// How many operations and types the crate has.
    pub operation_count: usize,
    /// Number of named types.
    pub type_count: usize,
    /// The list operation the example pages through, if the API has one.
    pub example: Option<Example>,
    /// (method name, HTTP method, path, summary) of every operation, for the README.
    pub operations: Vec<(String, String, String, String)>,
    /// Whether the spec is SailPoint's: the runtime's SailPoint module and wording.
    pub sailpoint: bool,
    /// The `ClientBuilder` authentication methods the spec's security schemes give
    /// (`bearer_token`, `basic_auth`, `api_key`, `client_credentials`), for the README.
    pub auth_methods: Vec<String>,
}

/// What the example program calls.
#[derive(Debug, Serialize)]
pub struct Example {
    /// The client method of a paginated list operation.
    pub method: String,
    /// Whether it takes `count`.
    pub has_count: bool,
    /// The tag feature it needs, when the crate has tag features.
    pub feature: Option<String>,
}

/// The example program: rendered only when the API has a paginated list operation.
const EXAMPLE: (&str, &str, &str) = (
    "examples/page_through.rs",
    "examples/page_through.rs",
    include_str!("../../templates/examples/page_through.rs.j2"),
);

impl Context {
    /// The context for `api`, generated into a crate named `crate_name` by `command`.
    pub fn new(api: &crate::ir::Api, crate_name: &str, command: &str) -> Self {
        let after_scheme = api
            .base_url
            .split_once("://")
            .map_or(api.base_url.as_str(), |(_, rest)| rest);
        let api_path = after_scheme
            .find('/')
            .map_or("", |i| &after_scheme[i..])
            .trim_end_matches('/')
            .to_string();
        Context {
            crate_name: crate_name.to_string(),
            crate_version: "0.1.0".into(),
            license: "MIT".into(),
            repository: None,
            lib_name: crate_name.replace('-', "_"),
            title: api.title.clone(),
            api_version: api.version.clone(),
            description: api.description.clone(),
            base_url: api.base_url.clone(),
            api_path,
            has_errors: !api.error_types.is_empty(),
            tag_features: api
                .features
                .all
                .iter()
                .map(|(name, multipart)| (name.clone(), *multipart))
                .collect(),
            uses_multipart: api.operations.iter().any(|op| {
                op.body
                    .as_ref()
                    .is_some_and(|b| b.kind == crate::ir::media::MediaKind::Multipart)
            }),
            example: api
                .operations
                .iter()
                .find(|op| op.pagination.is_some() && !op.params.iter().any(|p| p.required))
                .map(|op| Example {
                    method: crate::naming::unraw(&op.method_name).to_string(),
                    has_count: op.pagination.as_ref().is_some_and(|p| p.count.is_some()),
                    feature: (!api.features.all.is_empty())
                        .then(|| crate::ir::features::tag_feature(&op.tag)),
                }),
            command: command.to_string(),
            sailpoint: api.sailpoint,
            auth_methods: crate::emit::auth_methods(&api.auth)
                .into_iter()
                .map(String::from)
                .collect(),
            operation_count: api.operations.len(),
            type_count: api.types.len(),
            operations: api
                .operations
                .iter()
                .map(|op| {
                    let summary = op.summary.clone().unwrap_or_default().replace('|', "\\|");
                    (
                        op.method_name.clone(),
                        op.method.as_str().to_string(),
                        op.path.clone(),
                        summary,
                    )
                })
                .collect(),
        }
    }
}

/// Renders every template: (output path, contents). Rust outputs get the `@generated` header.
pub fn render_all(context: &Context, rust_header: &str) -> Result<Vec<(String, String)>, Error> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    for (name, _, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|err| Error::Template {
                name: name.to_string(),
                message: err.to_string(),
            })?;
    }
    let mut templates: Vec<(&str, &str, &str)> = TEMPLATES.to_vec();
    if context.example.is_some() {
        templates.push(EXAMPLE);
        env.add_template(EXAMPLE.0, EXAMPLE.2)
            .map_err(|err| Error::Template {
                name: EXAMPLE.0.to_string(),
                message: err.to_string(),
            })?;
    }
    let mut out = Vec::with_capacity(templates.len());
    for (name, path, _) in templates {
        let template = env.get_template(name).map_err(|err| Error::Template {
            name: name.to_string(),
            message: err.to_string(),
        })?;
        let text = template.render(context).map_err(|err| Error::Template {
            name: name.to_string(),
            message: format!("{err:#}"),
        })?;
        let text = if path.ends_with(".rs") {
            format!("{rust_header}\n{text}")
        } else {
            text
        };
        out.push((path.to_string(), text));
    }
    Ok(out)
}
