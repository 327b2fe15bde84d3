use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// Why an operation failed. `E` is the operation's typed error: one variant per error status
/// the API documents, each with its own body type.
///
/// Its `Display` is one line for a log: the status, the server's message, its detail code and
/// tracking id (`404 Not Found: Referenced object not found (detail code: 404 Not found,
/// tracking id: 0d6c...)`). The same parts come one by one from [`status`](Error::status),
/// [`message`](Error::message), [`detail_code`](Error::detail_code) and
/// [`tracking_id`](Error::tracking_id), whatever the status; match on the variant (and on `E`)
/// for the typed body.
///
/// ```
/// use client_runtime::reqwest::StatusCode;
/// use client_runtime::Error;
///
/// /// What to do with the answer of any operation.
/// fn report<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, Error<E>>) -> Option<T> {
///     match result {
///         Ok(found) => Some(found),
///         Err(err) if err.status() == Some(StatusCode::NOT_FOUND) => {
///             println!("no such thing (tracking id {:?})", err.tracking_id());
///             None
///         }
///         Err(err) if err.retry_after().is_some() => {
///             println!("rate limited; the server asks to wait {:?}", err.retry_after());
///             None
///         }
///         Err(err) => {
///             // `400 Bad Request: <the server's message> (detail code: ..., tracking id: ...)`
///             eprintln!("{err}");
///             None
///         }
///     }
/// }
/// # let invalid: Result<(), Error<std::convert::Infallible>> =
/// #     Err(Error::InvalidRequest("x".into()));
/// # assert_eq!(report(invalid), None);
/// ```
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
        /// The body as received (what [`Error::message`] and [`Error::tracking_id`] read).
        raw_body: Bytes,
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

/// Why a request got no answer: the part of [`Error`] that does not depend on the operation,
/// so that sending (`Client::execute`) is compiled once rather than once per error type.
#[derive(Debug)]
pub(crate) enum Failure {
    Auth(super::AuthError),
    Transport(reqwest::Error),
    InvalidRequest(String),
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Auth(err) => Error::Auth(err),
            Failure::Transport(mut err) => {
                // reqwest's message names the URL, and programs log errors: the query may hold
                // an API key (a security scheme `in: query`), so it is left out; the path stays.
                if let Some(url) = err.url_mut() {
                    url.set_query(None);
                }
                Error::Transport(err)
            }
            Failure::InvalidRequest(reason) => Error::InvalidRequest(reason),
        }
    }
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Auth(err) => err.status,
            Error::Transport(err) => err.status(),
            Error::Item { .. } | Error::InvalidRequest(_) => None,
        }
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::UnexpectedStatus { headers, .. }
            | Error::Decode { headers, .. } => Some(headers),
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

    /// The body as received, when the server answered (decoded or not), or the item that did
    /// not decode.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Api { raw_body: body, .. }
            | Error::UnexpectedStatus { body, .. }
            | Error::Decode { body, .. }
            | Error::Item { body, .. } => Some(body),
            _ => None,
        }
    }

    /// What the server said went wrong, when its error body says it: the text of ISC's
    /// `messages[]` (the English one when there are several locales), else a `message`,
    /// `error`, `error_description` or `detail` field. For a failed token request, what the
    /// token endpoint answered.
    pub fn message(&self) -> Option<String> {
        match self {
            Error::Auth(err) => Some(err.message.clone()),
            _ => self.server_body().and_then(|body| body.message),
        }
    }

    /// The `trackingId` of an ISC-style error body: quote it to the API's support.
    pub fn tracking_id(&self) -> Option<String> {
        self.server_body().and_then(|body| body.tracking_id)
    }

    /// The `detailCode` of an ISC error body (such as `400.1 Bad Request Content`).
    pub fn detail_code(&self) -> Option<String> {
        self.server_body().and_then(|body| body.detail_code)
    }

    /// The parts of an error answer's body that every ISC error shape shares.
    fn server_body(&self) -> Option<ServerError> {
        match self {
            Error::Api { raw_body: body, .. }
            | Error::UnexpectedStatus { body, .. }
            | Error::Decode { body, .. } => ServerError::read(body),
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
        let said = self.server_body().unwrap_or_default();
        match self {
            Error::Api { status, body, .. } => {
                write!(f, "{status}")?;
                match &said.message {
                    Some(message) => write!(f, ": {message}")?,
                    // A documented body that carries no message: its fields say what there is.
                    None => write!(f, ": {body:?}")?,
                }
                said.write_ids(f)
            }
            Error::UnexpectedStatus { status, body, .. } => {
                write!(f, "{status} (a status the API does not document)")?;
                match &said.message {
                    Some(message) => write!(f, ": {message}")?,
                    None if body.is_empty() => {}
                    None => write!(
                        f,
                        ": {}",
                        String::from_utf8_lossy(&body[..body.len().min(512)])
                    )?,
                }
                said.write_ids(f)
            }
            Error::Decode { status, source, .. } => {
                write!(
                    f,
                    "{status}, with a body that does not match its documented type: {source}"
                )?;
                if let Some(message) = &said.message {
                    write!(f, "; the server says: {message}")?;
                }
                said.write_ids(f)
            }
            Error::Item { source, .. } => write!(
                f,
                "an item of the page does not match its documented type: {source}"
            ),
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

/// The message, detail code and tracking id of an error body, read without its type: ISC's
/// `ErrorResponseDto` (`messages[].text`, `detailCode`, `trackingId`), its 401 (`error`) and
/// 429 (`message`) bodies, OAuth2's `error_description` and RFC 9457's `detail` all have them
/// under one name or another.
#[derive(Debug, Default)]
struct ServerError {
    message: Option<String>,
    detail_code: Option<String>,
    tracking_id: Option<String>,
}

impl ServerError {
    fn read(body: &[u8]) -> Option<ServerError> {
        let serde_json::Value::Object(fields) = serde_json::from_slice(body).ok()? else {
            return None;
        };
        let text = |name: &str| {
            let value = fields.get(name)?.as_str()?.trim();
            (!value.is_empty()).then(|| value.to_string())
        };
        let message = Self::messages(fields.get("messages"))
            .or_else(|| text("message"))
            .or_else(|| text("error_description"))
            .or_else(|| text("error"))
            .or_else(|| text("detail"))
            .or_else(|| text("title"));
        Some(ServerError {
            message,
            detail_code: text("detailCode"),
            tracking_id: text("trackingId"),
        })
    }

    /// The text of ISC's `messages[]`: the English one when there are several locales.
    fn messages(messages: Option<&serde_json::Value>) -> Option<String> {
        let texts: Vec<(&str, &str)> = messages?
            .as_array()?
            .iter()
            .filter_map(|m| {
                let text = m.get("text")?.as_str()?.trim();
                let locale = m.get("locale").and_then(|l| l.as_str()).unwrap_or("");
                (!text.is_empty()).then_some((locale, text))
            })
            .collect();
        let english = texts.iter().find(|(locale, _)| locale.starts_with("en"));
        english.or(texts.first()).map(|(_, text)| text.to_string())
    }

    fn write_ids(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.detail_code, &self.tracking_id) {
            (Some(code), Some(id)) => write!(f, " (detail code: {code}, tracking id: {id})"),
            (Some(code), None) => write!(f, " (detail code: {code})"),
            (None, Some(id)) => write!(f, " (tracking id: {id})"),
            (None, None) => Ok(()),
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

#[cfg(test)]
mod tests {
    use super::ServerError;

    fn read(body: &str) -> (Option<String>, Option<String>, Option<String>) {
        let said = ServerError::read(body.as_bytes()).unwrap_or_default();
        (said.message, said.detail_code, said.tracking_id)
    }

    #[test]
    fn every_isc_error_shape_gives_its_message() {
        const INVALID: &str =
            "The request was syntactically correct but its content is semantically invalid.";
        let dto = format!(
            r#"{{"detailCode":"400.1 Bad Request Content",
                "trackingId":"e7eab60924f64aa284175b9fa3309599",
                "messages":[{{"locale":"und","localeOrigin":"REQUEST","text":"ignored"}},
                            {{"locale":"en-US","localeOrigin":"DEFAULT","text":"{INVALID}"}}],
                "causes":[]}}"#
        );
        assert_eq!(
            read(&dto),
            (
                Some(INVALID.into()),
                Some("400.1 Bad Request Content".into()),
                Some("e7eab60924f64aa284175b9fa3309599".into()),
            )
        );
        assert_eq!(
            read(r#"{"error": "JWT validation failed: JWT is expired"}"#)
                .0
                .as_deref(),
            Some("JWT validation failed: JWT is expired")
        );
        assert_eq!(
            read(r#"{"message": " Rate Limit Exceeded "}"#).0.as_deref(),
            Some("Rate Limit Exceeded")
        );
        assert_eq!(
            read(r#"{"error":"invalid_client","error_description":"Bad credentials"}"#)
                .0
                .as_deref(),
            Some("Bad credentials")
        );
        assert_eq!(
            read(r#"{"title":"Not Found","detail":"no such integration"}"#)
                .0
                .as_deref(),
            Some("no such integration")
        );
        assert_eq!(
            read(r#"{"messages":[{"text":"  "}],"trackingId":""}"#),
            (None, None, None)
        );
        assert_eq!(read("<html>oops</html>"), (None, None, None));
    }

    #[tokio::test]
    async fn transport_errors_leave_the_query_out_of_their_message() {
        // Port 1 of the loopback address: nothing listens, so the request fails to connect.
        crate::install_crypto_provider();
        let failed = reqwest::Client::new()
            .get("http://127.0.0.1:1/things?api_key=s3cret")
            .send()
            .await;
        let error: super::Error<()> = super::Failure::Transport(failed.unwrap_err()).into();
        let text = format!("{error} {error:?}");
        assert!(
            !text.contains("s3cret") && text.contains("/things"),
            "{text}"
        );
    }
}
