//! IR -> Rust files, as token streams formatted by prettyplease. One module per shape: models,
//! operations, errors; docs and type spelling are shared helpers.

mod collection;
pub mod docs;
mod errors;
mod models;
mod operations;
mod serde_impls;
mod server;
pub mod types;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::ir::Api;
use crate::naming::{snake, Scope};

/// A Rust file to write: path relative to the crate root, inner doc, items.
pub struct RustFile {
    /// Path below the generated crate's root (`src/models/owner_dto.rs`).
    pub path: String,
    /// The module's `//!` doc.
    pub doc: String,
    /// The module's items.
    pub tokens: TokenStream,
}

/// Every Rust file of the crate except the runtime and `lib.rs`, which come from templates.
pub fn rust_files(api: &Api) -> Vec<RustFile> {
    let mut files = rust_files_unmarked(api);
    // Using a deprecated type is a warning wherever it happens, in generated code too; the
    // generated crate uses them on purpose (their users still get the warning).
    if api.types.values().any(|t| t.deprecated) {
        for file in &mut files {
            let tokens = std::mem::take(&mut file.tokens);
            file.tokens = quote!(#![allow(deprecated)] #tokens);
        }
    }
    files
}

fn rust_files_unmarked(api: &Api) -> Vec<RustFile> {
    let features = &api.features;
    let mut files = Vec::new();
    let mut modules = Scope::with_reserved(&["mod"]);
    let mut declarations = Vec::new();
    for def in api.types.values() {
        let module = modules.claim(snake(&def.name));
        let module_ident = types::ident(&module);
        let type_ident = types::ident(&def.name);
        let cfg = cfg_attr(features.types.get(&def.name));
        declarations.push(quote!(#cfg mod #module_ident; #cfg pub use #module_ident::#type_ident;));
        files.push(RustFile {
            path: format!("src/models/{}.rs", crate::naming::unraw(&module)),
            doc: format!("The `{}` type.", def.name),
            tokens: models::model(def, &api.types),
        });
    }
    files.push(RustFile {
        path: "src/models/mod.rs".into(),
        doc: "The API's data types, one module each, all re-exported here.".into(),
        tokens: quote!(#(#declarations)*),
    });

    let mut by_tag: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    let mut tag_cfg: BTreeMap<String, TokenStream> = BTreeMap::new();
    for op in &api.operations {
        let module = snake(&op.tag);
        if !features.all.is_empty() {
            let feature = crate::ir::features::tag_feature(&op.tag);
            tag_cfg
                .entry(module.clone())
                .or_insert_with(|| quote!(#[cfg(feature = #feature)]));
        }
        by_tag
            .entry(module)
            .or_default()
            .push(operations::operation(op, &api.types));
    }
    let mut tag_modules = Vec::new();
    // `mod` would be the index file itself.
    let mut tag_scope = Scope::with_reserved(&["mod", "r#mod"]);
    for (tag, items) in by_tag {
        let cfg = tag_cfg.get(&tag).cloned().unwrap_or_default();
        let tag = tag_scope.claim(tag);
        let module = types::ident(&tag);
        tag_modules.push(quote!(#cfg pub mod #module;));
        files.push(RustFile {
            path: format!("src/apis/{}.rs", crate::naming::unraw(&tag)),
            doc: format!(
                "Request builders of the `{}` operations.",
                crate::naming::unraw(&tag)
            ),
            tokens: with_imports(quote!(#(#items)*), quote!(ApiResponse, Client, Error)),
        });
    }
    files.push(RustFile {
        path: "src/apis/mod.rs".into(),
        doc: "Request builders, one module per tag. The operations themselves are methods of `Client`.".into(),
        tokens: quote!(#(#tag_modules)*),
    });

    let error_items = api
        .error_types
        .values()
        .map(|error| errors::error_type(error, &cfg_attr(features.errors.get(&error.name))));
    files.push(RustFile {
        path: "src/errors.rs".into(),
        doc: "Typed errors: one enum variant per documented error status, each with its own body type.".into(),
        tokens: quote!(#(#error_items)*),
    });
    // The server side, compiled only with the generated crate's `server` feature.
    files.extend(server::rust_files(api));
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
    let text = items.to_string();
    let errors = text.contains("errors ::").then(|| quote!(errors,));
    let models = text.contains("models ::").then(|| quote!(models,));
    if errors.is_none() && models.is_none() && names.is_empty() {
        return items;
    }
    quote! {
        use crate::{#errors #models #names};
        #items
    }
}

/// Formats a file with prettyplease, under its `@generated` header and module doc.
pub fn format_file(file: &RustFile, header: &str) -> Result<String, Error> {
    let syntax: syn::File = syn::parse2(file.tokens.clone()).map_err(|err| Error::Emit {
        what: file.path.clone(),
        message: err.to_string(),
    })?;
    let mut out = String::with_capacity(4096);
    out.push_str(header);
    out.push('\n');
    for line in docs::sanitize(&file.doc) {
        out.push_str("//!");
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&line);
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&prettyplease::unparse(&syntax));
    Ok(out)
}
