//! The client's runtime: the HTTP client, responses, errors and lenient decoding. Written once in
//! templates/runtime/ and copied into every generated crate; the generated operations call it.

mod client;
pub(crate) mod de;
mod error;
mod response;

pub use client::{BuildError, Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{Error, ErrorBody};
pub use response::ApiResponse;

pub(crate) use response::RawResponse;

/// The future returned when a request builder is awaited.
pub type BoxFuture<'a, T> = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = T> + Send + 'a>>;

/// Fails with [`Error::InvalidRequest`] when `value` lies outside the bounds the spec gives.
pub(crate) fn check_range<E>(name: &str, value: i64, minimum: Option<i64>, maximum: Option<i64>) -> Result<(), Error<E>> {
    let below = minimum.is_some_and(|min| value < min);
    let above = maximum.is_some_and(|max| value > max);
    if below || above {
        let min = minimum.map_or("-∞".to_string(), |m| m.to_string());
        let max = maximum.map_or("∞".to_string(), |m| m.to_string());
        return Err(Error::InvalidRequest(format!("parameter `{name}` is {value}, outside {min}..={max}")));
    }
    Ok(())
}
