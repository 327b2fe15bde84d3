//! The files that are not Rust logic (Cargo.toml, README, lib.rs) and the runtime, rendered from
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
    (
        "runtime/mod.rs",
        "src/runtime/mod.rs",
        include_str!("../../templates/runtime/mod.rs"),
    ),
    (
        "runtime/client.rs",
        "src/runtime/client.rs",
        include_str!("../../templates/runtime/client.rs"),
    ),
    (
        "runtime/response.rs",
        "src/runtime/response.rs",
        include_str!("../../templates/runtime/response.rs"),
    ),
    (
        "runtime/error.rs",
        "src/runtime/error.rs",
        include_str!("../../templates/runtime/error.rs"),
    ),
    (
        "runtime/de.rs",
        "src/runtime/de.rs",
        include_str!("../../templates/runtime/de.rs"),
    ),
];

/// What the templates can use.
#[derive(Debug, Serialize)]
pub struct Context {
    /// The package name (`generated-client`).
    pub crate_name: String,
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
    /// The command that regenerates the crate.
    pub command: String,
    /// How many operations and types the crate has.
    pub operation_count: usize,
    /// Number of named types.
    pub type_count: usize,
    /// (method name, HTTP method, path, summary) of every operation, for the README.
    pub operations: Vec<(String, String, String, String)>,
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
    let mut out = Vec::with_capacity(TEMPLATES.len());
    for (name, path, _) in TEMPLATES {
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
