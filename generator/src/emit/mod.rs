//! IR -> Rust files, as token streams formatted by prettyplease. One module per shape: models,
//! operations, errors; docs and type spelling are shared helpers.

mod auth;
mod collection;
pub mod docs;
mod errors;
mod examples;
mod field_lists;
mod format;
mod from_str;
mod models;
mod operations;
mod patch;
mod serde_impls;
mod server;
pub mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::ir::Api;
use crate::naming::{snake, Scope};

pub use auth::auth_methods;
pub use examples::CRATE as CRATE_IN_DOCS;
pub use format::{format_files, format_files_until, Stage};
pub(crate) use models::is_newtype;
pub(crate) use server::surface as server_surface;

/// A Rust file to write: path relative to the crate root, inner doc, items.
pub struct RustFile {
    /// Path below the generated crate's root (`src/models/owner_dto.rs`).
    pub path: String,
    /// The module's `//!` doc.
    pub doc: String,
    /// The module's items, their doc comments as markers (see [`docs::doc_attrs`]).
    pub tokens: TokenStream,
    /// The doc comments the markers in `tokens` stand for.
    pub docs: docs::DocBlocks,
}

/// Every Rust file of the crate except the runtime and `lib.rs`, which come from templates.
pub fn rust_files(api: &Api) -> Vec<RustFile> {
    plan_files(api).iter().map(FilePlan::to_file).collect()
}

/// A part of a file: makes its tokens when called. Parts are formatted one by one, possibly on
/// other threads than the one that planned them (token streams themselves cannot cross threads).
pub(crate) type Part<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A Rust file as the parts it is made of; formatting the parts one by one and concatenating
/// them gives what formatting the whole file gives (prettyplease prints a file's items one after
/// another, each on its own), which [`format_files`] relies on.
pub(crate) struct FilePlan<'a> {
    /// Path below the generated crate's root.
    pub path: String,
    /// The module's `//!` doc.
    pub doc: String,
    /// Inner attributes and the items before the imports.
    pub head: Vec<Part<'a>>,
    /// `Some(names)`: a `use crate::{...}` of these names, and of `errors` and `models` when
    /// the items refer to them, goes between `head` and `items` (see [`with_imports`]).
    pub imports: Option<&'static [&'static str]>,
    /// The items, in order.
    pub items: Vec<Part<'a>>,
}

impl FilePlan<'_> {
    fn to_file(&self) -> RustFile {
        let head = self.head.iter().map(|part| part());
        let items: TokenStream = self.items.iter().map(|part| part()).collect();
        let body = match self.imports {
            Some(names) => with_imports(items, import_names(names)),
            None => items,
        };
        let tokens = quote!(#(#head)* #body);
        RustFile {
            path: self.path.clone(),
            doc: self.doc.clone(),
            tokens,
            docs: docs::DocBlocks::take(),
        }
    }
}

fn import_names(names: &[&str]) -> TokenStream {
    let names = names.iter().map(|name| types::ident(name));
    quote!(#(#names),*)
}

/// Every Rust file of the crate, planned part by part.
pub(crate) fn plan_files(api: &Api) -> Vec<FilePlan<'_>> {
    let mut files = plan_files_unmarked(api);
    // Using a deprecated type is a warning wherever it happens, in generated code too; the
    // generated crate uses them on purpose (their users still get the warning).
    if api.types.values().any(|t| t.deprecated) {
        for file in &mut files {
            file.head
                .insert(0, Box::new(|| quote!(#![allow(deprecated)])));
        }
    }
    files
}

fn plan_files_unmarked(api: &Api) -> Vec<FilePlan<'_>> {
    let features = &api.features;
    let mut files = Vec::new();
    let mut modules = Scope::with_reserved(&["mod"]);
    let mut declarations = Vec::new();
    for def in api.types.values() {
        let module = modules.claim(snake(&def.name));
        files.push(FilePlan {
            path: format!("src/models/{}.rs", crate::naming::unraw(&module)),
            doc: format!("The `{}` type.", def.name),
            head: Vec::new(),
            imports: None,
            items: vec![Box::new(move || models::model(def, &api.types))],
        });
        declarations.push((module, def));
    }
    files.push(FilePlan {
        path: "src/models/mod.rs".into(),
        doc: "The API's data types, one module each, all re-exported here.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move || {
            let declarations = declarations.iter().map(|(module, def)| {
                let module_ident = types::ident(module);
                let type_ident = types::ident(&def.name);
                let cfg = cfg_attr(features.types.get(&def.name));
                quote!(#cfg mod #module_ident; #cfg pub use #module_ident::#type_ident;)
            });
            quote!(#(#declarations)*)
        })],
    });

    let mut by_tag: BTreeMap<String, Vec<Part>> = BTreeMap::new();
    let mut tag_features: BTreeMap<String, String> = BTreeMap::new();
    // The typed filter helpers of each tag module, re-exported together in `filters`.
    let mut filter_helpers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &api.operations {
        let module = snake(&op.tag);
        if !op.filter_fields.is_empty() {
            filter_helpers
                .entry(module.clone())
                .or_default()
                .push(collection::filter_type_name(op));
        }
        if !features.all.is_empty() {
            tag_features
                .entry(module.clone())
                .or_insert_with(|| crate::ir::features::tag_feature(&op.tag));
        }
        by_tag
            .entry(module)
            .or_default()
            .push(Box::new(move || operations::operation(op, &api.types)));
    }
    let mut tag_modules = Vec::new();
    let mut filter_exports = Vec::new();
    // `mod` would be the index file itself.
    let mut tag_scope = Scope::with_reserved(&["mod", "r#mod"]);
    for (tag, items) in by_tag {
        let feature = tag_features.get(&tag).cloned();
        let helpers = filter_helpers.remove(&tag).unwrap_or_default();
        let tag = tag_scope.claim(tag);
        if !helpers.is_empty() {
            filter_exports.push((tag.clone(), feature.clone(), helpers));
        }
        files.push(FilePlan {
            path: format!("src/apis/{}.rs", crate::naming::unraw(&tag)),
            doc: format!(
                "Request builders of the `{}` operations.",
                crate::naming::unraw(&tag)
            ),
            head: Vec::new(),
            imports: Some(&["ApiResponse", "Client", "Error"]),
            items,
        });
        tag_modules.push((tag, feature));
    }
    files.push(FilePlan {
        path: "src/apis/mod.rs".into(),
        doc: "Request builders, one module per tag. The operations themselves are methods of `Client`.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move || {
            let tag_modules = tag_modules.iter().map(|(tag, feature)| {
                let cfg = feature.as_ref().map(|feature| quote!(#[cfg(feature = #feature)]));
                let module = types::ident(tag);
                quote!(#cfg pub mod #module;)
            });
            quote!(#(#tag_modules)*)
        })],
    });
    files.push(FilePlan {
        path: "src/from_str.rs".into(),
        doc: "`FromStr` for the string enums: a wire value parses as it decodes.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move || {
            from_str::from_str_impls(&api.types, features)
        })],
    });
    files.push(FilePlan {
        path: "src/patch.rs".into(),
        doc:
            "Constructors for JSON Patch operations, one per operation the spec's `op` enum lists."
                .into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move || patch::patch_helpers(&api.types, features))],
    });
    files.push(FilePlan {
        path: "src/filters.rs".into(),
        doc: "The `filters` and `sorters` builders, and every operation's typed filter helpers, in one place.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move || {
            let exports = filter_exports.iter().map(|(tag, feature, helpers)| {
                let cfg = feature.as_ref().map(|feature| quote!(#[cfg(feature = #feature)]));
                let module = types::ident(tag);
                let helpers = helpers.iter().map(|h| types::ident(h));
                quote!(#cfg pub use crate::apis::#module::{#(#helpers),*};)
            });
            quote! {
                pub use crate::runtime::{Filter, FilterField, FilterValue, Sorters};
                #(#exports)*
            }
        })],
    });

    files.push(FilePlan {
        path: "src/errors.rs".into(),
        doc: "Typed errors: one enum variant per documented error status, each with its own body type;\neach operation's type (`{Operation}Error`) names an enum shared by the operations whose\nerrors are alike.".into(),
        head: Vec::new(),
        imports: None,
        items: api
            .error_types
            .values()
            .map(|error| -> Part {
                Box::new(move || {
                    errors::error_alias(error, &cfg_attr(features.errors.get(&error.name)))
                })
            })
            .chain(api.shared_errors.values().map(|shared| -> Part {
                Box::new(move || {
                    errors::shared_error(shared, &cfg_attr(features.errors.get(&shared.name)))
                })
            }))
            .collect(),
    });
    files.push(FilePlan {
        path: "src/auth.rs".into(),
        doc: "How a client authenticates: `Client::new`, and a `ClientBuilder` method for each kind of\ncredential the spec's security schemes accept.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move || {
            auth::auth_items(&api.auth, &api.base_url, api.sailpoint)
        })],
    });
    // The server side, compiled only with the generated crate's `server` feature.
    files.push(server::plan_file(api));
    files
}

/// `#[cfg(...)]` compiling an item only with the given features; nothing for `None` (always).
fn cfg_attr(features: Option<&std::collections::BTreeSet<String>>) -> TokenStream {
    match features {
        None => TokenStream::new(),
        Some(set) if set.len() == 1 => {
            let feature = set.iter().next();
            quote!(#[cfg(feature = #feature)])
        }
        Some(set) => {
            let set = set.iter();
            quote!(#[cfg(any(#(feature = #set),*))])
        }
    }
}

/// Puts `use crate::{...}` above `items`: the given names, and the `errors` and `models` modules
/// when the items refer to them (an unused import would be a warning in the generated crate).
fn with_imports(items: TokenStream, names: TokenStream) -> TokenStream {
    let (errors, models) = mentions(&items.to_string());
    let imports = imports(errors, models, names);
    quote! {
        #imports
        #items
    }
}

/// Whether code refers to the `errors` and the `models` module, from its text: as prettyplease
/// prints it (`errors::`) or as tokens display (`errors ::`), before doc comments are filled in
/// (a doc may name a module the code does not use).
fn mentions(code: &str) -> (bool, bool) {
    // A word that only ends in the name (`handle_list_errors::<A>`) is not the module.
    let at_word_start = |at: usize| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    let either = |module: &str| {
        [format!("{module}::"), format!("{module} ::")]
            .iter()
            .any(|path| {
                code.match_indices(path.as_str())
                    .any(|(at, _)| at_word_start(at))
            })
    };
    (either("errors"), either("models"))
}

/// The `use crate::{...}` of [`with_imports`], if it imports anything.
fn imports(errors: bool, models: bool, names: TokenStream) -> Option<TokenStream> {
    if !errors && !models && names.is_empty() {
        return None;
    }
    let errors = errors.then(|| quote!(errors,));
    let models = models.then(|| quote!(models,));
    Some(quote!(use crate::{#errors #models #names};))
}

/// Formats a file with prettyplease, under its `@generated` header and module doc.
pub fn format_file(file: &RustFile, header: &str) -> Result<String, Error> {
    let mut out = file_start(header, &file.doc);
    out.push_str(&format_tokens(file.tokens.clone(), &file.docs, &file.path)?);
    Ok(out)
}

/// Formats items with prettyplease, their doc comments filled in from `docs`; `what` names the
/// file in the error.
fn format_tokens(tokens: TokenStream, docs: &docs::DocBlocks, what: &str) -> Result<String, Error> {
    fill_in_docs(print_tokens(tokens, what)?, docs, what)
}

/// The first half of [`format_tokens`]: the items printed by prettyplease, their doc comments
/// still markers.
fn print_tokens(tokens: TokenStream, what: &str) -> Result<String, Error> {
    let syntax: syn::File = syn::parse2(tokens).map_err(|err| Error::Emit {
        what: what.to_string(),
        message: err.to_string(),
    })?;
    Ok(prettyplease::unparse(&syntax))
}

/// The second half of [`format_tokens`]: the doc comments put in, field lists laid out.
fn fill_in_docs(printed: String, docs: &docs::DocBlocks, what: &str) -> Result<String, Error> {
    let text = docs.fill_in(printed).map_err(|missing| Error::Emit {
        what: what.to_string(),
        message: format!(
            "{missing} doc comment(s) not printed as doc lines (inside a macro's tokens?)"
        ),
    })?;
    Ok(field_lists::lay_out(text))
}

/// The `@generated` header and the module doc that start every Rust file.
fn file_start(header: &str, doc: &str) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    for line in docs::sanitize(doc) {
        out.push_str("//!");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&line);
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn mentions_of_modules_are_whole_words() {
        assert_eq!(super::mentions("errors::ApiError"), (true, false));
        assert_eq!(super::mentions("x(models :: A)"), (false, true));
        assert_eq!(
            super::mentions("handle_list_errors::<A>, get_models::<B>"),
            (false, false)
        );
    }
}
