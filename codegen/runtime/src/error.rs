//! The one error type of the crate.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Everything that can go wrong in a request. Nothing here ever contains the API key.
///
/// Match on [`Error::kind`] or use the `is_…` helpers; statuses are plain numbers
/// ([`Error::status`]), so no HTTP crate is needed to handle them.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (after any retries).
    Api(Box<ApiError>),
    /// A success response whose body does not have the shape the API description promises.
    Decode(Box<DecodeError>),
    /// Every attempt took longer than the configured timeout.
    Timeout {
        /// The request's method and URL.
        request: String,
        /// The timeout that applied to each attempt.
        timeout: Duration,
        /// How many attempts were made (1 when the request was not retried).
        attempts: u32,
    },
    /// The connection failed or broke, on the last of `attempts` attempts.
    Connection {
        /// The request's method and URL.
        request: String,
        /// What the HTTP client reported; its own causes follow through `source()`.
        source: reqwest::Error,
        /// How many attempts were made (1 when the request was not retried).
        attempts: u32,
    },
    /// The response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it was
    /// not read further. Never retried.
    ResponseTooLarge {
        /// The request's method and URL.
        request: String,
        /// The response's HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The server kept redirecting: more redirects than the client follows (a loop, most
    /// likely). Never retried, since the next attempt would loop again.
    TooManyRedirects {
        /// The request's method and URL.
        request: String,
    },
    /// A pagination stream stopped abnormally: the server repeated a page (it would never end)
    /// or the stream reached its page limit.
    Pagination(String),
    /// A streamed response broke after it started: the server closed it in the middle of an
    /// item, it was not the text its media type says, or it went over its byte limit. Ends the
    /// stream; never retried, since items were delivered already.
    Stream(String),
    /// The request could not be made: no API key, a bad base URL or header, a path parameter
    /// that cannot be sent. Never retried.
    InvalidRequest(String),
}

/// What kind of failure an [`Error`] is, for `match`: the API's error statuses by meaning (as the
/// official SDKs name their error classes), then the failures that have no status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 Bad Request.
    BadRequest,
    /// 401 Unauthorized: the API key is missing, wrong or revoked.
    Unauthorized,
    /// 403 Forbidden: the key may not do this.
    Forbidden,
    /// 404 Not Found.
    NotFound,
    /// 409 Conflict.
    Conflict,
    /// 422 Unprocessable Entity: the request was understood but its values were refused.
    UnprocessableEntity,
    /// 429 Too Many Requests; see [`Error::retry_after`].
    RateLimited,
    /// Any 5xx status.
    ServerError,
    /// Any other error status.
    OtherStatus,
    /// The body of a success response did not decode.
    Decode,
    /// Every attempt timed out.
    Timeout,
    /// The connection failed or broke.
    Connection,
    /// The response body was larger than the client's limit.
    ResponseTooLarge,
    /// The server redirected more times than the client follows.
    TooManyRedirects,
    /// A pagination stream stopped abnormally.
    Pagination,
    /// A streamed response broke after it started.
    Stream,
    /// The request could not be made.
    InvalidRequest,
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Api(e) => match e.status.as_u16() {
                400 => ErrorKind::BadRequest,
                401 => ErrorKind::Unauthorized,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                409 => ErrorKind::Conflict,
                422 => ErrorKind::UnprocessableEntity,
                429 => ErrorKind::RateLimited,
                500..=599 => ErrorKind::ServerError,
                _ => ErrorKind::OtherStatus,
            },
            Self::Decode(_) => ErrorKind::Decode,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Connection { .. } => ErrorKind::Connection,
            Self::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Self::TooManyRedirects { .. } => ErrorKind::TooManyRedirects,
            Self::Pagination(_) => ErrorKind::Pagination,
            Self::Stream(_) => ErrorKind::Stream,
            Self::InvalidRequest(_) => ErrorKind::InvalidRequest,
        }
    }

    /// The HTTP status as a number (`Some(404)`), for API errors and for bodies that did not
    /// decode.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status.as_u16()),
            Self::Decode(e) => e.status.map(|s| s.as_u16()),
            Self::ResponseTooLarge { status, .. } => Some(*status),
            Self::Timeout { .. }
            | Self::Connection { .. }
            | Self::TooManyRedirects { .. }
            | Self::Pagination(_)
            | Self::Stream(_)
            | Self::InvalidRequest(_) => None,
        }
    }

    /// Whether the API answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// Whether the API answered 429 Too Many Requests (after any retries); see
    /// [`Error::retry_after`].
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == ErrorKind::RateLimited
    }

    /// Whether the API refused the credentials (401) or the permission (403).
    pub fn is_auth(&self) -> bool {
        matches!(self.kind(), ErrorKind::Unauthorized | ErrorKind::Forbidden)
    }

    /// Whether the API answered with a 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.kind() == ErrorKind::ServerError
    }

    /// Whether every attempt timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Whether the connection failed or broke.
    pub fn is_connection(&self) -> bool {
        matches!(self, Self::Connection { .. })
    }

    /// Whether trying again later may succeed: timeouts, connection errors, and the statuses the
    /// client retries (408, 409, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(e) => retryable_status(e.status),
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Decode(_)
            | Self::ResponseTooLarge { .. }
            | Self::TooManyRedirects { .. }
            | Self::Pagination(_)
            | Self::Stream(_)
            | Self::InvalidRequest(_) => false,
        }
    }

    /// How long the server asked to wait before trying again (`retry-after-ms`, or
    /// `Retry-After` in seconds or as an HTTP date), on an API error that says so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(e) => retry_after(&e.headers),
            _ => None,
        }
    }

    /// How many attempts were made, for API errors, timeouts and connection errors (1 when the
    /// request was not retried).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Api(e) => Some(e.attempts),
            Self::Timeout { attempts, .. } | Self::Connection { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// The server's request id (`x-request-id`), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The response headers, for API errors.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api(e) => Some(&e.headers),
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

/// The server's requested delay: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP
/// date. Unbounded here; the client caps what it honours.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return Duration::try_from_secs_f64(ms / 1000.0).ok();
    }
    let value = text("retry-after")?;
    match value.parse::<f64>() {
        Ok(seconds) => Duration::try_from_secs_f64(seconds).ok(),
        Err(_) => httpdate::parse_http_date(value)
            .ok()
            .map(|at| at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO)),
    }
}

fn plural(attempts: u32) -> &'static str {
    if attempts == 1 { "attempt" } else { "attempts" }
}

// Each message is said once: `Display` never repeats the text of `source()`, so printing an
// error with its chain (`{:#}` in anyhow, `Report`s) shows every cause exactly once.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Timeout { request, timeout, attempts } => {
                write!(f, "{request} timed out after {timeout:?} ({attempts} {})", plural(*attempts))
            }
            Self::Connection { request, source, attempts } => {
                let what = if source.is_connect() {
                    "could not connect"
                } else if source.is_body() || source.is_decode() {
                    "the connection broke while reading the response"
                } else {
                    "the connection failed"
                };
                write!(f, "{request}: {what} ({attempts} {})", plural(*attempts))
            }
            Self::ResponseTooLarge { request, status, limit } => {
                write!(f, "{request}: the response ({status}) is larger than the limit of {limit} bytes")
            }
            Self::TooManyRedirects { request } => {
                write!(f, "{request}: the server redirected more times than the client follows (a redirect loop?)")
            }
            Self::Pagination(message) => write!(f, "pagination stopped: {message}"),
            Self::Stream(message) => write!(f, "the stream broke: {message}"),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Connection { source, .. } => Some(source),
            // `Api` and `Decode` display their contents themselves: they have no further cause.
            Self::Api(_)
            | Self::Decode(_)
            | Self::Timeout { .. }
            | Self::ResponseTooLarge { .. }
            | Self::TooManyRedirects { .. }
            | Self::Pagination(_)
            | Self::Stream(_)
            | Self::InvalidRequest(_) => None,
        }
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Self::Decode(Box::new(error))
    }
}

/// An error status from the API, with everything it sent. `Display` and `Debug` show at most
/// 500 characters of the body; the field has all of it.
///
/// Nothing beyond the body's text is made when the error is: the typed body
/// ([`ApiError::detail`]) is decoded on its first call, and [`ApiError::json`] parses on each
/// call, so that a large error body costs its own size in memory and no more.
#[derive(Clone)]
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
    /// How many attempts were made: 1 when the request was not retried, 3 when a 429 was
    /// retried twice and the last answer was still an error.
    pub attempts: u32,
    /// How the body decodes as the type the API description declares for this status, and the
    /// result once [`ApiError::detail`] asked for it.
    detail: Option<(DetailFn, OnceLock<Option<Detail>>)>,
}

/// An error body decoded as its declared type.
pub(crate) type Detail = Arc<dyn Any + Send + Sync>;

/// A generated decoder of an operation's typed error bodies.
pub(crate) type DetailFn = Arc<dyn Fn(&ApiError) -> Option<Detail> + Send + Sync>;

impl ApiError {
    /// The error for a response: the body becomes its text without a copy when it is UTF-8.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: bytes::Bytes) -> Self {
        let request_id = request_id(&headers);
        // `Vec::from` takes the buffer back when this is its only owner, as a received body is.
        let body = match String::from_utf8(Vec::from(body)) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Self { status, headers, request_id, body, attempts: 1, detail: None }
    }

    /// The body decoded as the operation's typed error (each operation's documentation names
    /// the type), or `None` when `T` is not that type, the status declares no JSON body, or the
    /// body does not decode as declared. The raw body is always in [`ApiError::body`]. The body
    /// is decoded on the first call (by any `T`), and the result kept.
    pub fn detail<T: Any>(&self) -> Option<&T> {
        let (decode, decoded) = self.detail.as_ref()?;
        decoded.get_or_init(|| decode(self)).as_deref().and_then(|d| (d as &dyn Any).downcast_ref())
    }

    /// The body parsed as JSON, or `None` when it is not JSON. Parsed on each call: the error
    /// keeps only the text.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The body decoded as `T`, for the generated decoders of typed errors: plainly, since a
    /// failure is not reported (`detail` is then `None`) and needs no path.
    #[doc(hidden)]
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        crate::codec::from_str_unlocated(&self.body)
    }

    pub(crate) fn set_detail(&mut self, decode: DetailFn) {
        self.detail = Some((decode, OnceLock::new()));
    }
}

/// The response header that carries the server's request id.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

/// The request id response header, when it is text.
fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if !self.body.is_empty() {
            write!(f, ": {}", excerpt(&self.body))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("request_id", &self.request_id)
            .field("body", &Excerpt(&self.body))
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

impl Error {
    /// The typed body of an API error (see [`ApiError::detail`]).
    pub fn detail<T: Any>(&self) -> Option<&T> {
        match self {
            Error::Api(api) => api.detail(),
            _ => None,
        }
    }
}

/// A body that is not the JSON the API description promises. `Display` and `Debug` show at most
/// 500 characters of the body; the field has all of it.
#[derive(Clone)]
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

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("body", &Excerpt(&self.body))
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// A body in `Debug` output: its first 500 characters and its length.
struct Excerpt<'a>(&'a str);

impl fmt::Debug for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({} bytes)", excerpt(self.0), self.0.len())
    }
}

/// The first 500 characters of a body, for messages.
fn excerpt(body: &str) -> String {
    const LIMIT: usize = 500;
    match body.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", &body[..end]),
        None => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn api(status: u16, headers: &[(&'static str, &str)]) -> Error {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_str(value).expect("valid"));
        }
        let status = StatusCode::from_u16(status).expect("valid status");
        Error::Api(Box::new(ApiError::new(status, map, bytes::Bytes::from_static(b"{\"error\": \"x\"}"))))
    }

    #[test]
    fn statuses_map_to_kinds() {
        let kinds = [
            (400, ErrorKind::BadRequest),
            (401, ErrorKind::Unauthorized),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Conflict),
            (418, ErrorKind::OtherStatus),
            (422, ErrorKind::UnprocessableEntity),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::ServerError),
            (503, ErrorKind::ServerError),
        ];
        for (status, kind) in kinds {
            let error = api(status, &[]);
            assert_eq!((error.kind(), error.status()), (kind, Some(status)));
        }
        assert!(api(404, &[]).is_not_found() && !api(404, &[]).is_retryable());
        assert!(api(429, &[]).is_rate_limited() && api(429, &[]).is_retryable());
        assert!(api(401, &[]).is_auth() && api(403, &[]).is_auth());
        assert_eq!(api(404, &[]).body(), Some("{\"error\": \"x\"}"));
        assert_eq!(Error::InvalidRequest("x".into()).kind(), ErrorKind::InvalidRequest);
    }

    #[test]
    fn retry_after_reads_milliseconds_seconds_and_dates() {
        let delay = |headers: &[(&'static str, &str)]| api(429, headers).retry_after();
        assert_eq!(delay(&[("retry-after-ms", "1500")]), Some(Duration::from_millis(1500)));
        assert_eq!(delay(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(delay(&[("retry-after", "3600")]), Some(Duration::from_secs(3600)), "not capped here");
        assert_eq!(delay(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]), Some(Duration::ZERO), "a past date");
        assert_eq!(delay(&[("retry-after", "soon")]), None);
        assert_eq!(delay(&[]), None);
    }

    #[test]
    fn messages_count_attempts_and_show_the_request_id() {
        let timeout = Error::Timeout { request: "GET http://x/a".into(), timeout: Duration::from_secs(2), attempts: 1 };
        assert_eq!(timeout.to_string(), "GET http://x/a timed out after 2s (1 attempt)");
        assert_eq!(timeout.attempts(), Some(1));
        let error = api(500, &[("x-request-id", "req_1")]);
        assert_eq!(error.request_id(), Some("req_1"));
        assert_eq!(
            error.to_string(),
            "the API answered 500 Internal Server Error (request id req_1): {\"error\": \"x\"}"
        );
        assert_eq!(error.attempts(), Some(1), "an API error counts its attempts too");
        let Error::Api(mut retried) = api(429, &[]) else { unreachable!("api() makes an API error") };
        retried.attempts = 3;
        let retried = Error::Api(retried);
        assert_eq!(retried.attempts(), Some(3));
        assert_eq!(retried.to_string(), "the API answered 429 Too Many Requests after 3 attempts: {\"error\": \"x\"}");
        let long = excerpt(&"é".repeat(600));
        assert_eq!(long.chars().count(), 501, "500 characters and an ellipsis");
    }
}
