use std::ops::Deref;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::{Error, ErrorBody};

/// A successful answer: the decoded body with the status and headers it came with.
///
/// Dereferences to the body, so `response.name` reads a field of it.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `X-Total-Count`: the size of the whole collection, sent when a list is requested with
    /// `count(true)`.
    pub fn total_count(&self) -> Option<u64> {
        self.headers
            .get("x-total-count")?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }

    /// Takes status, headers and body apart.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

impl<T> Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// An answer read to the end, before it is decoded.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl RawResponse {
    /// The status as a number, for matching against the documented ones.
    pub(crate) fn code(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body straight from the received bytes; on failure the bytes are kept.
    pub(crate) fn json<T: serde::de::DeserializeOwned, E>(
        self,
    ) -> Result<ApiResponse<T>, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(ApiResponse {
                status: self.status,
                headers: self.headers,
                body,
            }),
            Err(source) => Err(Error::Decode {
                status: self.status,
                headers: self.headers,
                body: self.body,
                source,
            }),
        }
    }

    /// A text body (`text/csv`, `text/plain`); bytes that are not UTF-8 are replaced.
    pub(crate) fn text(self) -> ApiResponse<String> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    /// A binary body (downloads), as received.
    pub(crate) fn bytes(self) -> ApiResponse<Vec<u8>> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: self.body.to_vec(),
        }
    }

    /// A success without a body.
    pub(crate) fn empty(self) -> ApiResponse<()> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: (),
        }
    }

    /// An error answer, decoded into the operation's error type by its status.
    pub(crate) fn error<E: ErrorBody>(self) -> Error<E> {
        match E::decode(self.status.as_u16(), &self.body) {
            Some(Ok(body)) => Error::Api {
                status: self.status,
                headers: self.headers,
                body,
                raw_body: self.body,
            },
            Some(Err(source)) => Error::Decode {
                status: self.status,
                headers: self.headers,
                body: self.body,
                source,
            },
            None => Error::UnexpectedStatus {
                status: self.status,
                headers: self.headers,
                body: self.body,
            },
        }
    }
}
