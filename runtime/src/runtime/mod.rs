//! The client's runtime: the HTTP client, responses, errors and lenient decoding. Written once in
//! the workspace's `runtime` crate (runtime/src/runtime/), where it is compiled and tested, and
//! copied from there into every generated crate; the generated operations call it.

// Not every spec uses every helper (a spec without bounded parameters never calls
// `check_range`); unused ones are fine, not a sign of a bug.
#![allow(dead_code)]

mod auth;
mod client;
mod clock;
pub(crate) mod de;
mod error;
mod filter;
pub(crate) mod object;
mod pagination;
mod response;
mod retry;
mod sending;

pub use auth::{ApiKeyLocation, AuthError, Credentials, Secret, TokenProvider};
// For the generated `src/auth.rs`, which names it only when the spec has client credentials.
#[allow(unused_imports)]
pub(crate) use auth::TokenUrl;
pub use client::{install_crypto_provider, BuildError, Client, ClientBuilder, ConfigError};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, ErrorBody};
pub use filter::{Filter, FilterField, FilterValue, Sorters};
pub use pagination::Pages;
pub use response::ApiResponse;
pub use retry::RetryPolicy;
pub use sending::Sending;

pub(crate) use response::RawResponse;

/// A boxed future that can be sent between threads (the [`Clock`]'s sleeps, the pages of a
/// [`Pages`] stream).
pub type BoxFuture<'a, T> =
    ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = T> + Send + 'a>>;

/// Fails with [`Error::InvalidRequest`] when `value` lies outside the bounds the spec gives.
pub(crate) fn check_range<E>(
    name: &str,
    value: i64,
    minimum: Option<i64>,
    maximum: Option<i64>,
) -> Result<(), Error<E>> {
    let below = minimum.is_some_and(|min| value < min);
    let above = maximum.is_some_and(|max| value > max);
    if below || above {
        let min = minimum.map_or("-∞".to_string(), |m| m.to_string());
        let max = maximum.map_or("∞".to_string(), |m| m.to_string());
        return Err(Error::InvalidRequest(format!(
            "parameter `{name}` is {value}, outside {min}..={max}"
        )));
    }
    Ok(())
}

/// A path parameter's value as part of a path segment: percent-encoded (as UTF-8) except for
/// letters, digits and `-._~`, so that nothing in it reads as a delimiter (`/`, `;`, `?`, ...)
/// and the literal text around it in the template stays recognizable.
pub(crate) fn path_part(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    encoded
}

/// A parameter value as text for a query string or form: as it serializes to JSON, with strings
/// unquoted (so enums give their wire names and date-times RFC 3339).
pub(crate) fn query_value<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(value) => scalar_text(value),
        Err(_) => String::new(),
    }
}

fn scalar_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

/// The items of a path, header or cookie parameter in OpenAPI's `simple` style, their default:
/// a scalar is one item, an array its elements, an object its keys and values in turn.
fn simple_items<T: serde::Serialize + ?Sized>(value: &T) -> Vec<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Array(items)) => items.into_iter().map(scalar_text).collect(),
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .flat_map(|(key, value)| [key, scalar_text(value)])
            .collect(),
        Ok(scalar) => vec![scalar_text(scalar)],
        Err(_) => vec![String::new()],
    }
}

/// A header or cookie parameter's value in the `simple` style: `a,b,c` for an array.
pub(crate) fn simple_value<T: serde::Serialize + ?Sized>(value: &T) -> String {
    simple_items(value).join(",")
}

/// A path parameter's value in the `simple` style, for its place in a segment: each item
/// percent-encoded ([`path_part`]), the commas between items literal (`a%20b,c`).
pub(crate) fn path_value<T: serde::Serialize + ?Sized>(value: &T) -> String {
    simple_items(value)
        .iter()
        .map(|item| path_part(item))
        .collect::<Vec<_>>()
        .join(",")
}
