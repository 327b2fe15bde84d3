//! The runtime of every generated client, as a crate of its own so that it is compiled, tested,
//! formatted and linted where it is written.
//!
//! The generator copies `src/runtime/` (into a generated crate's `src/runtime/`),
//! `src/sailpoint.rs` (for SailPoint's specs) and `src/server/runtime.rs` (the generated `server`
//! module's runtime) into every crate it writes, as they are, with `client_runtime` in doctests
//! read as that crate's name. Generated crates do not depend on this one: BENCHMARKS.md,
//! "The runtime: a dependency or a copy", gives the figures behind that choice.
//!
//! This file stands in for what a generated crate's `lib.rs` gives the copied modules: the
//! constants its spec sets, the re-exports they link to and the module layout their paths
//! (`crate::runtime::...`) assume. Keep it in step with templates/lib.rs.j2.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// As in a generated crate (templates/lib.rs.j2 says why).
#![allow(clippy::result_large_err)]

mod runtime;
mod sailpoint;
#[cfg(feature = "server")]
mod server {
    //! The generated `server` module's home: its runtime sits at `crate::server::runtime`.
    pub(crate) mod runtime;
}

/// A generated crate's `filters` module re-exports the filter grammar (and adds the typed
/// helpers of its operations).
pub mod filters {
    pub use crate::runtime::{Filter, FilterField, FilterValue, Sorters};
}

/// The base URL used when none is given. A generated crate's is its spec's first server.
pub const DEFAULT_BASE_URL: &str = "https://api.example.com/v1";

/// The path of the API below a tenant's root URL, for SailPoint's [`Config`]. A generated
/// crate has it only for SailPoint's specs, derived from the base URL.
pub const API_PATH: &str = "/v1";

pub use runtime::{
    install_crypto_provider, ApiKeyLocation, ApiResponse, AuthError, BoxFuture, BuildError, Client,
    ClientBuilder, Clock, ConfigError, Credentials, Error, ErrorBody, Filter, FilterField,
    FilterValue, ManualClock, Pages, RetryPolicy, Secret, Sending, Sorters, SystemClock,
    TokenProvider,
};
pub use sailpoint::Config;
// `Pages` is one: `futures`' combinators work on it as they are.
pub use futures_core::Stream;
// reqwest's types are in this API: the same version, without a dependency of your own.
pub use reqwest;
