//! The generated crate as files of parts ([`FilePlan`]): which file holds which items, in which
//! order, and what each file imports.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::DocBlocks;
use super::{auth, collection, errors, from_str, models, operations, patch, server, types};
use super::{cfg_attr, FilePlan, Part};
use crate::ir::Api;
use crate::naming::{snake, Scope};

pub(super) fn import_names(names: &[&str]) -> TokenStream {
    let names = names.iter().map(|name| types::ident(name));
    quote!(#(#names),*)
}

/// Every Rust file of the crate, planned part by part.
pub(super) fn plan_files(api: &Api) -> Vec<FilePlan<'_>> {
    let mut files = plan_files_unmarked(api);
    // Using a deprecated type is a warning wherever it happens, in generated code too; the
    // generated crate uses them on purpose (their users still get the warning).
    if api.types.values().any(|t| t.deprecated) {
        for file in &mut files {
            file.head
                .insert(0, Box::new(|_: &DocBlocks| quote!(#![allow(deprecated)])));
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
            items: vec![Box::new(move |docs: &DocBlocks| {
                models::model(def, &api.types, docs)
            })],
        });
        declarations.push((module, def));
    }
    files.push(FilePlan {
        path: "src/models/mod.rs".into(),
        doc: "The API's data types, one module each, all re-exported here.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move |_: &DocBlocks| {
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
            .push(Box::new(move |docs: &DocBlocks| {
                operations::operation(op, &api.types, docs)
            }));
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
        items: vec![Box::new(move |_: &DocBlocks| {
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
        items: vec![Box::new(move |_: &DocBlocks| {
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
        items: vec![Box::new(move |_: &DocBlocks| {
            patch::patch_helpers(&api.types, features)
        })],
    });
    files.push(FilePlan {
        path: "src/filters.rs".into(),
        doc: "The `filters` and `sorters` builders, and every operation's typed filter helpers, in one place.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move |_: &DocBlocks| {
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
                Box::new(move |_: &DocBlocks| {
                    errors::error_alias(error, &cfg_attr(features.errors.get(&error.name)))
                })
            })
            .chain(api.shared_errors.values().map(|shared| -> Part {
                Box::new(move |docs: &DocBlocks| {
                    let cfg = cfg_attr(features.errors.get(&shared.name));
                    errors::shared_error(shared, &cfg, docs)
                })
            }))
            .collect(),
    });
    files.push(FilePlan {
        path: "src/auth.rs".into(),
        doc: "How a client authenticates: `Client::new`, and a `ClientBuilder` method for each kind of\ncredential the spec's security schemes accept.".into(),
        head: Vec::new(),
        imports: None,
        items: vec![Box::new(move |docs: &DocBlocks| {
            auth::auth_items(&api.auth, &api.base_url, api.sailpoint, docs)
        })],
    });
    // The server side, compiled only with the generated crate's `server` feature.
    files.push(server::plan_file(api));
    files
}

/// Whether code refers to the `errors` and the `models` module, from its text: as prettyplease
/// prints it (`errors::`) or as tokens display (`errors ::`), before doc comments are filled in
/// (a doc may name a module the code does not use).
pub(super) fn mentions(code: &str) -> (bool, bool) {
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

/// The `use crate::{...}` of a file's [`FilePlan::imports`], if it imports anything.
pub(super) fn imports(errors: bool, models: bool, names: TokenStream) -> Option<TokenStream> {
    if !errors && !models && names.is_empty() {
        return None;
    }
    let errors = errors.then(|| quote!(errors,));
    let models = models.then(|| quote!(models,));
    Some(quote!(use crate::{#errors #models #names};))
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
