//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong in a request. Nothing here ever contains the API key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (after any retries).
    Api(Box<ApiError>),
    /// A success response whose body does not have the shape the API description promises.
    Decode(Box<DecodeError>),
    /// An attempt took longer than the configured timeout (after any retries).
    Timeout {
        /// The request's method and URL.
        request: String,
        /// The timeout that applied to each attempt.
        timeout: Duration,
    },
    /// The connection failed or broke (after any retries).
    Connection {
        /// The request's method and URL.
        request: String,
        /// What the HTTP client reported.
        source: reqwest::Error,
    },
    /// The request could not be made: no API key, a bad base URL or header, a path parameter
    /// that cannot be sent. Never retried.
    InvalidRequest(String),
}

impl Error {
    /// The HTTP status, for API errors and for bodies that did not decode.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Decode(e) => e.status,
            Self::Timeout { .. } | Self::Connection { .. } | Self::InvalidRequest(_) => None,
        }
    }

    /// Whether trying again may succeed: timeouts, connection errors, and the statuses the
    /// client retries (408, 409, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => retryable_status(e.status),
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Decode(_) | Self::InvalidRequest(_) => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// The server's request id (`x-request-id`), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The response body, for API errors and for bodies that did not decode.
    pub fn body(&self) -> Option<&str> {
        match self {
            Self::Api(e) => Some(&e.body),
            Self::Decode(e) => Some(&e.body),
            _ => None,
        }
    }
}

/// The statuses worth retrying: 408 Request Timeout, 409 Conflict, 429 Too Many Requests, 5xx.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Timeout { request, timeout } => write!(f, "{request} timed out after {timeout:?}"),
            Self::Connection { request, source } => write!(f, "{request} failed: {}", root_cause(source)),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Connection { source, .. } => Some(source),
            Self::Decode(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Self::Decode(Box::new(error))
    }
}

/// An error status from the API, with everything it sent.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The `x-request-id` header, when present: quote it to the API's support.
    pub request_id: Option<String>,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
    /// The body parsed as JSON, when it is JSON.
    pub json: Option<serde_json::Value>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Self {
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let json = serde_json::from_slice(body).ok();
        Self { status, headers, request_id, body: String::from_utf8_lossy(body).into_owned(), json }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if !self.body.is_empty() {
            write!(f, ": {}", excerpt(&self.body))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A body that is not the JSON the API description promises.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status of the response, when it came from one.
    pub status: Option<StatusCode>,
    /// The JSON path that failed, such as `rows[2].call.status`; empty for the whole body.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The whole body as text (invalid UTF-8 replaced).
    pub body: String,
}

impl DecodeError {
    pub(crate) fn new(path: String, message: String, body: String) -> Self {
        Self { status: None, path, message, body }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response body could not be decoded")?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// The innermost error of a chain ("Connection refused (os error 111)"), which says more than
/// the HTTP client's own wrapper.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// The first 500 characters of a body, for messages.
fn excerpt(body: &str) -> String {
    const LIMIT: usize = 500;
    match body.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &body[..end]),
        None => body.to_owned(),
    }
}
