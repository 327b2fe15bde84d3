//! IR -> Rust files, as token streams formatted by prettyplease. One module per shape: models,
//! operations, errors; docs and type spelling are shared helpers. [`plan`] lays the crate out as
//! files of parts, [`format`] turns the parts into text on every core.

mod auth;
mod collection;
pub mod docs;
mod errors;
mod examples;
mod field_lists;
pub mod format;
mod from_str;
pub(crate) mod models;
mod operations;
mod patch;
mod plan;
mod serde_impls;
pub(crate) mod server;
pub mod types;

use proc_macro2::TokenStream;
use quote::quote;

pub use auth::{auth_methods, shares_tokens};
pub use examples::CRATE as CRATE_IN_DOCS;

/// A part of a file: makes its tokens when called, its doc comments into the [`docs::DocBlocks`]
/// it is given (the two are formatted together). Parts are formatted one by one, possibly on
/// other threads than the one that planned them (token streams themselves cannot cross threads).
pub(crate) type Part<'a> = Box<dyn Fn(&docs::DocBlocks) -> TokenStream + Send + Sync + 'a>;

/// A Rust file as the parts it is made of; formatting the parts one by one and concatenating
/// them gives what formatting the whole file gives (prettyplease prints a file's items one after
/// another, each on its own), which [`format::format_files`] relies on.
pub(crate) struct FilePlan<'a> {
    /// Path below the generated crate's root.
    pub path: String,
    /// The module's `//!` doc.
    pub doc: String,
    /// Inner attributes and the items before the imports.
    pub head: Vec<Part<'a>>,
    /// `Some(names)`: a `use crate::{...}` of these names, and of `errors` and `models` when
    /// the items refer to them, goes between `head` and `items` (see [`plan::imports`]).
    pub imports: Option<&'static [&'static str]>,
    /// The items, in order.
    pub items: Vec<Part<'a>>,
}

/// `#[cfg(...)]` compiling an item only with the given features; nothing for `None` (always).
pub(crate) fn cfg_attr(features: Option<&std::collections::BTreeSet<String>>) -> TokenStream {
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
