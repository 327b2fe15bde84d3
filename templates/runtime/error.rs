use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Why an operation failed. `E` is the operation's typed error: one variant per error status
/// the API documents, each with its own body type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with a documented error status; `body` is decoded by that status.
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (`Retry-After` among them; see [`Error::retry_after`]).
        headers: HeaderMap,
        /// The decoded error.
        body: E,
    },
    /// The server answered with a status the API does not document.
    UnexpectedStatus {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
    },
    /// The body could not be decoded into its documented type; the raw body is kept.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
        /// What was wrong with it.
        source: serde_json::Error,
    },
    /// One item of a paged stream could not be decoded; the stream goes on with the next.
    Item {
        /// The item's raw JSON.
        body: Bytes,
        /// What was wrong with it.
        source: serde_json::Error,
    },
    /// No access token could be had from the token endpoint.
    Auth(super::AuthError),
    /// The request could not be sent or the answer not received (connection, TLS, timeout).
    Transport(reqwest::Error),
    /// The request was not sent because it is invalid (a parameter out of its documented bounds,
    /// a body that cannot be encoded).
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Auth(err) => err.status,
            Error::Transport(err) => err.status(),
            Error::Item { .. } | Error::InvalidRequest(_) => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::UnexpectedStatus { headers, .. } | Error::Decode { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The documented error, when the status is documented and its body decoded.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The raw body, when it was not decoded.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::UnexpectedStatus { body, .. } | Error::Decode { body, .. } | Error::Item { body, .. } => Some(body),
            _ => None,
        }
    }

    /// How long the server asks to wait before trying again (`Retry-After`, in seconds or as an
    /// HTTP date), as sent with `429 Too Many Requests` and `503 Service Unavailable`.
    pub fn retry_after(&self) -> Option<Duration> {
        super::client::retry_after(self.headers()?)
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, body, .. } => write!(f, "the server answered {status}: {body:?}"),
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "the server answered with undocumented status {status}: {}", String::from_utf8_lossy(&body[..body.len().min(512)]))
            }
            Error::Decode { status, source, .. } => write!(f, "the {status} answer's body does not match its documented type: {source}"),
            Error::Item { source, .. } => write!(f, "an item of the page does not match its documented type: {source}"),
            Error::Auth(err) => write!(f, "{err}"),
            Error::Transport(err) => write!(f, "the request failed: {err}"),
            Error::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } | Error::Item { source, .. } => Some(source),
            Error::Auth(err) => Some(err),
            Error::Transport(err) => Some(err),
            _ => None,
        }
    }
}

/// A typed error enum that decodes an error body by its status.
pub trait ErrorBody: Sized {
    /// `None` when `status` is not documented; otherwise the decoded body or why it failed.
    fn decode(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// For operations that document no error at all.
impl ErrorBody for std::convert::Infallible {
    fn decode(_: u16, _: &[u8]) -> Option<Result<Self, serde_json::Error>> {
        None
    }
}
