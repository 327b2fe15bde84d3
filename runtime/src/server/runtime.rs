//! The server side's runtime: how a generated handler reads a request (path, query, headers,
//! JSON body) into typed inputs and writes a typed answer. Written once in the workspace's runtime
//! crate and copied into every generated crate; compiled only with the `server` feature.
//!
//! Reading is the inverse of what the client writes: a parameter value is text that is either
//! the string itself or the value's JSON (numbers, booleans; strings unquoted), arrays in the
//! query come one pair per item, and bodies are JSON with the documented content type.

// Not every spec uses every helper (a spec without header parameters never reads one).
#![allow(dead_code)]

use std::fmt;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Query, RawPathParams};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::runtime::de::strictly;

/// A request as axum hands it to a handler.
pub(crate) type Request = axum::extract::Request;

/// What an operation's handler returns: the answer, once the implementation has given it.
pub(crate) type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>;

/// The axum handler of every route: the implementation and the operation's handler function.
/// One closure type for all operations, so that axum's `Handler` is resolved once, not once per
/// route (which costs seconds of compile time in a large API).
pub(crate) fn handler<A: Send + Sync + 'static>(
    api: &std::sync::Arc<A>,
    handle: fn(std::sync::Arc<A>, Request) -> Answer,
) -> impl FnOnce(Request) -> Answer + Clone + Send + Sync + 'static {
    let api = api.clone();
    move |request| handle(api, request)
}

/// An operation's handler function.
pub(crate) type Handle<A> = fn(std::sync::Arc<A>, Request) -> Answer;

/// A piece of a segment's template, for a segment the router captures whole.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Piece {
    /// Literal text, as the client sends it.
    Literal(&'static str),
    /// A parameter, by its name in the template.
    Param(&'static str),
}

/// A segment an operation's template takes apart: its index in the path, the route's name for
/// the capture, and the template's pieces.
pub(crate) type Split = (usize, &'static str, &'static [Piece]);

/// The parameters taken out of captured segments, for [`Inputs::read`].
#[derive(Debug, Clone)]
struct SplitParams(Vec<(String, String)>);

/// The axum handler of a route whose segments are fitted to templates (a parameter inside a
/// segment, `/Accounts/{Sid}.json`, or operations of one shape, `/files/{id}` and
/// `/files/{name}.json`): the first operation whose templates fit gets the request, with the
/// parameters taken out of them; none is a 404.
pub(crate) fn dispatch<A: Send + Sync + 'static>(
    api: &std::sync::Arc<A>,
    candidates: &[(&'static [Split], Handle<A>)],
) -> impl FnOnce(Request) -> Answer + Clone + Send + Sync + 'static {
    let api = api.clone();
    let candidates: std::sync::Arc<[(&'static [Split], Handle<A>)]> = candidates.into();
    move |request| {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let captured: Vec<(String, String)> =
                match RawPathParams::from_request_parts(&mut parts, &()).await {
                    Ok(params) => params
                        .iter()
                        .map(|(name, value)| (name.to_string(), value.to_string()))
                        .collect(),
                    Err(rejection) => return rejection.into_response(),
                };
            let path = parts.uri.path().to_string();
            let raw: Vec<&str> = path.split('/').skip(1).collect();
            let chosen = candidates.iter().find_map(|(splits, handle)| {
                let mut values = Vec::new();
                for (segment, capture, pieces) in splits.iter() {
                    let value = captured
                        .iter()
                        .find(|(name, _)| name == capture)
                        .map(|(_, value)| value.as_str())?;
                    values.extend(fit(pieces, raw.get(*segment).copied(), value)?);
                }
                Some((values, *handle))
            });
            match chosen {
                Some((values, handle)) => {
                    parts.extensions.insert(SplitParams(values));
                    handle(api, Request::from_parts(parts, body)).await
                }
                None => StatusCode::NOT_FOUND.into_response(),
            }
        })
    }
}

/// The parameters of a segment that fits `pieces`, or `None`. The segment is read as the client
/// sent it (`raw`, values percent-encoded, so a `:` or `,` in a value is not the template's), then
/// each value decoded; when `raw` is not the segment the router captured (`decoded`, say under a
/// layer that rewrote the URI), the decoded segment is read instead. Each parameter's value ends
/// at the first place the literal text after it occurs (the last one's at the segment's end).
fn fit(pieces: &[Piece], raw: Option<&str>, decoded: &str) -> Option<Vec<(String, String)>> {
    let raw = raw.filter(|raw| percent_decode(raw).as_deref() == Some(decoded));
    let text = raw.unwrap_or(decoded);
    let mut values = Vec::new();
    let mut at = 0;
    let mut pending: Option<&str> = None;
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Param(name) => pending = Some(name),
            Piece::Literal(literal) => {
                let start = match pending.take() {
                    None => at,
                    Some(name) => {
                        let end = if i + 1 == pieces.len() {
                            text.len()
                                .checked_sub(literal.len())
                                .filter(|&end| end >= at && text[end..] == *literal)?
                        } else {
                            at + text.get(at..)?.find(literal)?
                        };
                        values.push((name, text.get(at..end)?));
                        end
                    }
                };
                if !text.get(start..)?.starts_with(literal) {
                    return None;
                }
                at = start + literal.len();
            }
        }
    }
    match pending {
        Some(name) => values.push((name, text.get(at..)?)),
        None if at != text.len() => return None,
        None => {}
    }
    values
        .into_iter()
        .map(|(name, value)| {
            let value = if raw.is_some() {
                percent_decode(value)?
            } else {
                value.to_string()
            };
            Some((name.to_string(), value))
        })
        .collect()
}

/// `%XX` escapes decoded; `None` when the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// The largest request body read, in bytes; a larger one is rejected.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What an implementation may want to know about a request beyond its typed inputs: which
/// operation it is for, and the method, URI and headers it came with (`Authorization` among them).
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The request URI, as received (below wherever the router is nested).
    pub uri: Uri,
    /// The request headers.
    pub headers: HeaderMap,
}

impl RequestContext {
    /// A context for `operation` from a request's method, URI and headers.
    pub fn new(operation: &'static str, method: Method, uri: Uri, headers: HeaderMap) -> Self {
        RequestContext {
            operation,
            method,
            uri,
            headers,
        }
    }

    /// The token of an `Authorization: Bearer <token>` header, if there is one.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.header(AUTHORIZATION.as_str())?.trim();
        let (scheme, token) = value.split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
    }

    /// A header's value as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// The part of a request a [`Rejection`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestPart {
    /// A path parameter.
    Path,
    /// The query string or a query parameter.
    Query,
    /// A header parameter.
    Header,
    /// The request body.
    Body,
}

/// Why a request could not be read into an operation's typed inputs: a parameter that is
/// missing, malformed or out of its documented bounds, or a body that is not the documented JSON.
/// `Display` says which, in a sentence fit for an error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// Which part of the request is at fault.
    pub part: RequestPart,
    /// The parameter's name on the wire; `None` for the body or the query string as a whole.
    pub name: Option<String>,
    /// What is wrong with it.
    pub message: String,
}

impl Rejection {
    fn new(
        operation: &'static str,
        part: RequestPart,
        name: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Rejection {
            operation,
            part,
            name: name.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = match self.part {
            RequestPart::Path => "path parameter",
            RequestPart::Query => "query parameter",
            RequestPart::Header => "header",
            RequestPart::Body => "request body",
        };
        match &self.name {
            Some(name) => write!(f, "{part} `{name}`: {}", self.message),
            None if self.part == RequestPart::Query => write!(f, "query string: {}", self.message),
            None => write!(f, "{part}: {}", self.message),
        }
    }
}

impl std::error::Error for Rejection {}

/// A request taken apart for reading its typed inputs.
pub(crate) struct Inputs {
    operation: &'static str,
    headers: HeaderMap,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    /// The body as received, until [`load_body`] reads it.
    body: Option<Body>,
    /// The body once read; `None` when it is empty (or was not read).
    bytes: Option<Bytes>,
}

impl Inputs {
    /// Splits `request` into its context and its inputs, and reads its body if `body` says so
    /// (else [`load_body`] does, after authentication). Path and query are parsed here, but a
    /// problem with them is reported only when the handler reads the inputs, after the
    /// implementation had the chance to refuse the request (a 401 comes before a 400).
    pub(crate) async fn read(
        operation: &'static str,
        request: Request,
        body: bool,
    ) -> (RequestContext, Result<Inputs, Rejection>) {
        let (mut parts, request_body) = request.into_parts();
        let context = RequestContext::new(
            operation,
            parts.method.clone(),
            parts.uri.clone(),
            parts.headers.clone(),
        );
        let mut path: Vec<(String, String)> =
            match RawPathParams::from_request_parts(&mut parts, &()).await {
                Ok(params) => params
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.to_string()))
                    .collect(),
                Err(rejection) => {
                    return (
                        context,
                        Err(Rejection::new(
                            operation,
                            RequestPart::Path,
                            None,
                            rejection.body_text(),
                        )),
                    )
                }
            };
        // Parameters taken out of captured segments by `dispatch` come first.
        if let Some(SplitParams(split)) = parts.extensions.remove::<SplitParams>() {
            path.splice(0..0, split);
        }
        let query = match Query::<Vec<(String, String)>>::try_from_uri(&parts.uri) {
            Ok(Query(pairs)) => pairs,
            Err(rejection) => {
                return (
                    context,
                    Err(Rejection::new(
                        operation,
                        RequestPart::Query,
                        None,
                        rejection.body_text(),
                    )),
                )
            }
        };
        let mut inputs = Ok(Inputs {
            operation,
            headers: parts.headers,
            path,
            query,
            body: Some(request_body),
            bytes: None,
        });
        if body {
            load_body(&mut inputs).await;
        }
        (context, inputs)
    }

    fn reject(&self, part: RequestPart, name: &str, message: impl Into<String>) -> Rejection {
        Rejection::new(self.operation, part, Some(name), message)
    }

    fn parse<T: DeserializeOwned>(
        &self,
        part: RequestPart,
        name: &str,
        text: &str,
    ) -> Result<T, Rejection> {
        from_text(text).map_err(|message| self.reject(part, name, message))
    }

    /// A path parameter.
    pub(crate) fn path<T: DeserializeOwned>(&self, name: &str) -> Result<T, Rejection> {
        match self.path.iter().find(|(key, _)| key == name) {
            Some((_, text)) => self.parse(RequestPart::Path, name, text),
            None => Err(self.reject(RequestPart::Path, name, "is missing")),
        }
    }

    /// An optional query parameter (the first value, if it is given more than once).
    pub(crate) fn query<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Rejection> {
        match self.query.iter().find(|(key, _)| key == name) {
            Some((_, text)) => self.parse(RequestPart::Query, name, text).map(Some),
            None => Ok(None),
        }
    }

    /// A required query parameter.
    pub(crate) fn query_required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Rejection> {
        self.query(name)?
            .ok_or_else(|| self.reject(RequestPart::Query, name, "is required"))
    }

    /// Every value of an array query parameter (`name=a&name=b`), in order; none is an empty list.
    pub(crate) fn query_all<T: DeserializeOwned>(&self, name: &str) -> Result<Vec<T>, Rejection> {
        self.query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, text)| self.parse(RequestPart::Query, name, text))
            .collect()
    }

    /// An optional array query parameter: `None` when no value is given.
    pub(crate) fn query_all_optional<T: DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<Vec<T>>, Rejection> {
        let values = self.query_all(name)?;
        Ok((!values.is_empty()).then_some(values))
    }

    /// An optional header parameter.
    pub(crate) fn header<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Rejection> {
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|_| self.reject(RequestPart::Header, name, "is not visible ASCII"))?;
        self.parse(RequestPart::Header, name, text).map(Some)
    }

    /// A required header parameter.
    pub(crate) fn header_required<T: DeserializeOwned>(&self, name: &str) -> Result<T, Rejection> {
        self.header(name)?
            .ok_or_else(|| self.reject(RequestPart::Header, name, "is required"))
    }

    /// Fails when an integer parameter lies outside the bounds the spec gives.
    pub(crate) fn check_range(
        &self,
        part: RequestPart,
        name: &str,
        value: i64,
        minimum: Option<i64>,
        maximum: Option<i64>,
    ) -> Result<(), Rejection> {
        let below = minimum.is_some_and(|min| value < min);
        let above = maximum.is_some_and(|max| value > max);
        if below || above {
            let min = minimum.map_or("-∞".to_string(), |m| m.to_string());
            let max = maximum.map_or("∞".to_string(), |m| m.to_string());
            return Err(self.reject(part, name, format!("{value} is outside {min}..={max}")));
        }
        Ok(())
    }

    /// Fails when a required body is missing.
    pub(crate) fn required<T>(&self, body: Option<T>, what: &str) -> Result<T, Rejection> {
        body.ok_or_else(|| {
            Rejection::new(
                self.operation,
                RequestPart::Body,
                None,
                format!("is missing; expected {what}"),
            )
        })
    }

    fn reject_body(&self, message: impl Into<String>) -> Rejection {
        Rejection::new(self.operation, RequestPart::Body, None, message)
    }

    /// Reads the whole body, so that the typed reads below need no waiting.
    async fn read_body(&mut self) -> Result<(), Rejection> {
        let body = self.body.take().unwrap_or_default();
        let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
            .await
            .map_err(|err| {
                self.reject_body(format!(
                    "cannot be read (at most {MAX_BODY_BYTES} bytes are accepted): {err}"
                ))
            })?;
        self.bytes = (!bytes.is_empty()).then_some(bytes);
        Ok(())
    }

    /// The body [`load_body`] read; `None` when it is empty.
    fn take_body(&mut self) -> Option<Bytes> {
        self.bytes.take()
    }

    /// A JSON body of the documented content type (or any other JSON type).
    pub(crate) fn json_body<T: DeserializeOwned>(
        &mut self,
        content_type: &str,
    ) -> Result<Option<T>, Rejection> {
        let Some(bytes) = self.take_body() else {
            return Ok(None);
        };
        let sent = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !accepts_content_type(content_type, sent) {
            let sent = if sent.is_empty() { "none" } else { sent };
            return Err(self.reject_body(format!(
                "expected Content-Type `{content_type}`, got {sent}"
            )));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value =
            strictly(|| serde_path_to_error::deserialize(&mut deserializer)).map_err(|err| {
                let path = err.path().to_string();
                let inner = err.into_inner();
                if path == "." || path.is_empty() {
                    self.reject_body(inner.to_string())
                } else {
                    self.reject_body(format!("at `{path}`: {inner}"))
                }
            })?;
        deserializer
            .end()
            .map_err(|err| self.reject_body(err.to_string()))?;
        Ok(Some(value))
    }

    /// An `application/x-www-form-urlencoded` body.
    pub(crate) fn form_body<T: DeserializeOwned>(&mut self) -> Result<Option<T>, Rejection> {
        let Some(bytes) = self.take_body() else {
            return Ok(None);
        };
        strictly(|| serde_urlencoded::from_bytes(&bytes))
            .map(Some)
            .map_err(|err| self.reject_body(err.to_string()))
    }

    /// A text body.
    pub(crate) fn text_body(&mut self) -> Result<Option<String>, Rejection> {
        let Some(bytes) = self.take_body() else {
            return Ok(None);
        };
        String::from_utf8(bytes.to_vec())
            .map(Some)
            .map_err(|_| self.reject_body("is not UTF-8 text"))
    }

    /// A body of bytes.
    pub(crate) fn bytes_body(&mut self) -> Result<Option<Vec<u8>>, Rejection> {
        Ok(self.take_body().map(|bytes| bytes.to_vec()))
    }

    /// A body handed over as received (multipart: the server does not take it apart).
    pub(crate) fn raw_body(&mut self) -> Result<Option<Bytes>, Rejection> {
        Ok(self.take_body())
    }
}

/// Reads the request's body, for an operation that has one, when the implementation has
/// authenticated the request (a refused request's body is never read); a body that cannot be
/// read becomes the request's rejection.
pub(crate) async fn load_body(inputs: &mut Result<Inputs, Rejection>) {
    if let Ok(ready) = inputs {
        if let Err(rejection) = ready.read_body().await {
            *inputs = Err(rejection);
        }
    }
}

/// Whether a body sent as `sent` may be read as the documented `expected` JSON type: the same
/// type, or any other JSON type (`application/json`, `*/*+json`), parameters ignored.
fn accepts_content_type(expected: &str, sent: &str) -> bool {
    let essence = |t: &str| {
        t.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    let sent = essence(sent);
    sent == essence(expected)
        || sent == "application/json"
        || (sent.starts_with("application/") && sent.ends_with("+json"))
}

/// A parameter value from its text: the text as a string if `T` takes one, else the text as
/// JSON (numbers, booleans, arrays), else an array's items joined by commas (the `simple` style
/// of path and header parameters). The inverse of how the client writes parameter values.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    strictly(|| {
        let as_string = serde_json::from_value(serde_json::Value::String(text.to_string()));
        let as_string_err = match as_string {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        let error = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => match serde_json::from_value(json) {
                Ok(value) => return Ok(value),
                Err(err) => format!("`{text}` is not valid here: {err}"),
            },
            Err(_) => format!("`{text}` is not valid here: {as_string_err}"),
        };
        // An array of a path or header parameter, in OpenAPI's `simple` style: `a,b,c`, whose
        // items are strings, or numbers and booleans as their text.
        let items = |typed: bool| {
            let item = |text: &str| match typed {
                true => serde_json::from_str(text)
                    .unwrap_or_else(|_| serde_json::Value::String(text.to_string())),
                false => serde_json::Value::String(text.to_string()),
            };
            serde_json::Value::Array(text.split(',').map(item).collect())
        };
        serde_json::from_value(items(false))
            .or_else(|_| serde_json::from_value(items(true)))
            .map_err(|_| error)
    })
}

/// Decodes `value` the way the server decodes a request: strictly, so that an enum value the
/// spec does not list, `null` for a property that is not nullable, `""` for an object or date,
/// or a date-time that is not RFC 3339 is an error, where the client's lenient decoding of
/// responses takes them. For an implementation that builds a request's value itself (say, by
/// applying a JSON Patch) and must hold it to the same rules.
pub fn decode_strictly<T: DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, serde_json::Error> {
    strictly(|| serde_json::from_value(value))
}

/// A JSON answer.
pub(crate) fn json<T: serde::Serialize>(status: u16, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut response = (status_code(status), bytes).into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot encode the response body: {err}"),
        )
            .into_response(),
    }
}

/// A text answer.
pub(crate) fn text(status: u16, content_type: &'static str, body: String) -> Response {
    let mut response = (status_code(status), body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, content_type_value(content_type));
    response
}

/// An answer of bytes.
pub(crate) fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = (status_code(status), body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, content_type_value(content_type));
    response
}

/// An answer without a body.
pub(crate) fn empty(status: u16) -> Response {
    status_code(status).into_response()
}

/// Sets a response header when there is a value (and it is a valid header value).
pub(crate) fn header(response: &mut Response, name: &'static str, value: Option<String>) {
    let Some(value) = value else { return };
    if let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(&value),
    ) {
        response.headers_mut().insert(name, value);
    }
}

/// A request the operation documents no `400` for: a plain-text 400 saying what is wrong.
pub(crate) fn rejected(rejection: &Rejection) -> Response {
    (StatusCode::BAD_REQUEST, rejection.to_string()).into_response()
}

fn content_type_value(content_type: &str) -> HeaderValue {
    HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
