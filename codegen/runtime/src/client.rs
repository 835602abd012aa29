//! The HTTP client: configuration, authentication, retries with backoff, per-attempt timeouts,
//! tracing, and decoding of responses.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::{Credentials, Secret, Secrets, Security};
use crate::codec::from_slice;
use crate::encode::{fill_path, to_query};
use crate::error::{ApiError, Error, retry_after, retryable_status};
use crate::response::Pending;
use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::marker::PhantomData;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
/// A server's `Retry-After` is honoured up to this long; longer asks fall back to the backoff.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The largest response body read by default: generous for any JSON API, and a bound on memory.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 128 * 1024 * 1024;
/// Redirects followed within one origin before giving up.
const MAX_REDIRECTS: usize = 10;
/// What the URL parser percent-encodes in a path (the WHATWG URL standard's path
/// percent-encode set), so that a filled path can be compared with the parsed one.
const URL_PATH: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// What a generated crate tells the client about its API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiInfo {
    /// The base URL used when none is configured (the document's first server); empty when the
    /// document gives no absolute one, and the client must then be given one.
    pub default_base_url: &'static str,
    /// The environment variable [`ClientBuilder::from_env`] reads the API key from.
    pub api_key_env: &'static str,
    /// The environment variable that overrides the base URL in [`ClientBuilder::from_env`].
    pub base_url_env: &'static str,
    /// The `User-Agent` header: the generated crate's name and version.
    pub user_agent: &'static str,
    /// The header that carries an idempotency key, when the API accepts one. Requests with a
    /// non-idempotent method (`POST`, `PATCH`) are retried only when it is set: the client sends
    /// the same fresh key on every attempt, so the server applies the request once.
    pub idempotency_header: Option<&'static str>,
    /// The API's security schemes, as the credentials they need.
    pub auth: crate::auth::AuthInfo,
}

/// The API client. Cheap to clone: clones share one connection pool and configuration.
///
/// Each attempt of a request is bounded by the timeout (60 s by default), which covers
/// connecting, sending, and reading the whole response body. Failed attempts are retried (2
/// times by default) on connection errors, timeouts, 408, 409, 429 and 5xx, after an
/// exponential backoff of `min(0.5 s × 2^n, 8 s)` less up to 25 % random jitter, or after the
/// server's `retry-after-ms` / `Retry-After` when that is between 0 and 60 s. A response header
/// `x-should-retry: true|false` overrides the status rule. Other 4xx are never retried.
///
/// An API that authenticates clients by mutual TLS ([`Scheme::MutualTls`](crate::Scheme::MutualTls))
/// needs a TLS client identity, which no request carries: build a `reqwest::Client` with
/// `reqwest::ClientBuilder::identity` and give it to [`ClientBuilder::http_client`].
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    timeout: Duration,
    max_retries: u32,
}

struct Shared {
    http: reqwest::Client,
    base_url: Url,
    /// Marked sensitive, so that they never show in `Debug` output.
    credentials: Credentials,
    headers: HeaderMap,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_response_bytes: u64,
    idempotency_header: Option<HeaderName>,
    /// Every credential the client sends, scrubbed from anything it reports.
    secrets: Vec<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.redact_url(&self.shared.base_url))
            .field("api_key", &"[redacted]")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A clone of this client whose requests use another per-attempt timeout.
    #[must_use]
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        Self { timeout, ..self.clone() }
    }

    /// A clone of this client whose requests are retried at most `max_retries` times
    /// (0 disables retries).
    #[must_use]
    pub fn with_max_retries(&self, max_retries: u32) -> Self {
        Self { max_retries, ..self.clone() }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.shared.base_url.as_str()
    }

    /// The per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How many times a failed request is retried.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// A request for an operation: `template` is the path with `{name}` placeholders, each
    /// filled with its percent-encoded value from `path`; `query` is the operation's parameters
    /// struct (or `()`), sent as a query string. The JSON body is decoded as `T`.
    #[doc(hidden)]
    pub fn request<T, Q>(
        &self,
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
    ) -> Pending<T>
    where
        T: DeserializeOwned,
        Q: serde::Serialize + ?Sized,
    {
        Pending::new(self.clone(), Request::build(method, template, path, query, security), decode::<T>)
    }

    /// Like [`Client::request`], with the success body decoded by `decode` (text, bytes, or an
    /// enum by status).
    #[doc(hidden)]
    pub fn request_as<T, Q>(
        &self,
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
        decode: fn(&Received) -> Result<T, Error>,
    ) -> Pending<T>
    where
        Q: serde::Serialize + ?Sized,
    {
        Pending::new(self.clone(), Request::build(method, template, path, query, security), decode)
    }

    /// Like [`Client::request`], for an operation whose success body is ignored.
    #[doc(hidden)]
    pub fn request_empty<Q>(
        &self,
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
    ) -> Pending<()>
    where
        Q: serde::Serialize + ?Sized,
    {
        Pending::new(self.clone(), Request::build(method, template, path, query, security), |_| Ok(()))
    }

    /// The URL a request for `template` with these path values would go to, without sending
    /// anything: for the fuzz target that checks no value makes a request leave its path.
    ///
    /// # Errors
    /// As a request would fail before sending: a value that cannot be sent, or a URL that
    /// leaves the operation's path.
    #[doc(hidden)]
    pub fn url_for(&self, template: &'static str, path: &[(&'static str, &str)]) -> Result<String, Error> {
        let request = Request::build(Method::GET, template, path, &(), &[])?;
        self.url(&request).map(String::from)
    }

    /// The request's URL. However the parameters were filled in, the request must reach the
    /// operation's path under the base URL: the path of the URL as parsed (after the parser
    /// resolved dot segments, read `\` as `/`, cut at `?` or `#`) must be the base URL's path
    /// followed by the filled template, else the request is refused.
    fn url(&self, request: &Request) -> Result<Url, Error> {
        if let Some(url) = &request.url {
            return Ok(url.clone());
        }
        let base = self.shared.base_url.as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{}", request.path))
            .map_err(|e| Error::InvalidRequest(format!("cannot build a URL from `{base}{}`: {e}", request.path)))?;
        let expected = format!("{}{}", self.shared.base_url.path().trim_end_matches('/'), request.path);
        if url.path() != utf8_percent_encode(&expected, URL_PATH).to_string() {
            let names: Vec<String> = request.path_names.iter().map(|name| format!("`{name}`")).collect();
            let parameters = match names.len() {
                0 => "the path".to_owned(),
                1 => format!("the path parameter {}", names[0]),
                _ => format!("the path parameters {}", names.join(", ")),
            };
            return Err(Error::InvalidRequest(format!(
                "{parameters} would send the request to `{}`, outside the operation's path `{}` under \
                 the base URL",
                self.shared.redact(url.path()),
                request.template
            )));
        }
        if !request.query.is_empty() {
            // The pairs are encoded already (`encode::query_pair`), some with reserved characters
            // kept, which `query_pairs_mut` would encode.
            let pairs: Vec<String> = request.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            url.set_query(Some(&pairs.join("&")));
        }
        Ok(url)
    }

    pub(crate) async fn execute(&self, request: Request) -> Result<Received, Error> {
        let url = self.url(&request)?;
        let span = tracing::info_span!("http_request", method = %request.method, path = %request.path);
        // A non-idempotent request is retried only with an idempotency key, the same on every
        // attempt, or when it provably never reached the server (the connection was refused).
        let idempotency_key = match &self.shared.idempotency_header {
            Some(name) if !is_idempotent(&request.method) => Some((name.clone(), idempotency_key())),
            _ => None,
        };
        let safe_to_repeat = is_idempotent(&request.method) || idempotency_key.is_some();
        // A body with a stream is consumed by the first attempt: it is never sent again.
        let max_retries = match &request.body {
            Some((_, body)) if !body.is_replayable() => 0,
            _ => self.max_retries,
        };
        async {
            let mut attempt = 0;
            loop {
                let started = Instant::now();
                let outcome = self.attempt(&request, &url, idempotency_key.as_ref()).await;
                let elapsed = started.elapsed();
                let can_retry = attempt < max_retries;
                let delay = match outcome {
                    Ok(received) if received.status.is_success() => {
                        tracing::debug!(status = received.status.as_u16(), attempt, ?elapsed, "response");
                        return Ok(received);
                    }
                    Ok(received) => {
                        tracing::debug!(status = received.status.as_u16(), attempt, ?elapsed, "error response");
                        if !(can_retry && safe_to_repeat && should_retry(received.status, &received.headers)) {
                            let mut error = ApiError::new(received.status, received.headers, received.body);
                            error.attempts = attempt + 1;
                            return Err(Error::Api(Box::new(error)));
                        }
                        retry_after(&received.headers)
                            .filter(|delay| *delay <= MAX_RETRY_AFTER)
                            .unwrap_or_else(|| self.backoff(attempt))
                    }
                    Err(error) => {
                        tracing::debug!(%error, attempt, ?elapsed, "request failed");
                        let never_sent = matches!(&error, Error::Connection { source, .. } if source.is_connect());
                        if !(can_retry && error.is_retryable() && (safe_to_repeat || never_sent)) {
                            return Err(counted(error, attempt + 1));
                        }
                        self.backoff(attempt)
                    }
                };
                attempt += 1;
                tracing::warn!(attempt, ?delay, "retrying");
                tokio::time::sleep(delay).await;
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt: send, and read the whole body (at most the configured size) within the
    /// timeout.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        idempotency_key: Option<&(HeaderName, HeaderValue)>,
    ) -> Result<Received, Error> {
        let (method, security) = (&request.method, request.security);
        let describe = || format!("{method} {}", self.shared.redact_url(url));
        let classify = |e: reqwest::Error| {
            // An API key sent in the query must not show in the error's URL.
            let e = if crate::auth::in_url(security) { e.without_url() } else { e };
            if e.is_timeout() {
                Error::Timeout { request: describe(), timeout: self.timeout, attempts: 1 }
            } else if e.is_redirect() {
                // Only `same_origin_redirects` (or a policy given with `http_client`) fails this way.
                Error::TooManyRedirects { request: describe() }
            } else if e.is_builder() {
                Error::InvalidRequest(self.shared.redact(&e.without_url().to_string()))
            } else {
                // The URL is in `request`, with its credentials redacted; the error keeps none.
                Error::Connection { request: describe(), source: e.without_url(), attempts: 1 }
            }
        };
        let mut headers = self.shared.headers.clone();
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        let builder = self.shared.http.request(method.clone(), url.clone()).headers(headers);
        let mut builder = self.shared.credentials.apply(builder, security, &request.cookies);
        // A stream's body has no deadline as a whole: the timeout bounds the wait for the
        // response's head, and `stream::chunks` the wait for each chunk after it.
        if !request.streamed {
            builder = builder.timeout(self.timeout);
        }
        if let Some((name, value)) = idempotency_key {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some((content_type, body)) = &request.body {
            // Bytes in memory are shared: every attempt sends the same body without a copy. Files
            // are opened and streams taken here, per attempt.
            let (body, length) = body.to_http().await?;
            builder = builder.header(header::CONTENT_TYPE, content_type.clone()).body(body);
            if let Some(length) = length {
                builder = builder.header(header::CONTENT_LENGTH, length);
            }
        }
        let mut response = if request.streamed {
            let timeout = Error::Timeout { request: describe(), timeout: self.timeout, attempts: 1 };
            tokio::time::timeout(self.timeout, builder.send()).await.map_err(|_| timeout)?.map_err(classify)?
        } else {
            builder.send().await.map_err(classify)?
        };
        let status = response.status();
        let headers = response.headers().clone();
        if request.streamed && status.is_success() {
            // Read as the caller polls it: the retry loop ends here, before any byte is delivered.
            let body = Bytes::new();
            return Ok(Received { status, headers, body, response: Some(response), request: describe() });
        }
        let limit = self.shared.max_response_bytes;
        let too_large = || Error::ResponseTooLarge { request: describe(), status: status.as_u16(), limit };
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        // Within the limit, so the capacity is bounded by it too.
        let capacity = response.content_length().unwrap_or(0).min(limit);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Received { status, headers, body: body.into(), response: None, request: String::new() })
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self.shared.initial_backoff.saturating_mul(2u32.saturating_pow(attempt));
        let capped = exponential.min(self.shared.max_backoff);
        capped.mul_f64(1.0 - 0.25 * fastrand::f64())
    }
}

/// A request as the generated operations describe it.
#[derive(Debug)]
pub(crate) struct Request {
    method: Method,
    /// The operation's path template, for messages.
    template: &'static str,
    /// The names of the path parameters filled into the template, for messages.
    path_names: Vec<&'static str>,
    /// The path below the base URL, with parameters already encoded.
    path: String,
    /// Query pairs, percent-encoded.
    pub(crate) query: Vec<(String, String)>,
    /// Header parameters.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookie parameters, as `name=value`.
    pub(crate) cookies: Vec<String>,
    /// The body and its content type.
    pub(crate) body: Option<(HeaderValue, crate::body::Body)>,
    security: Security,
    /// Whether a success body is streamed to the caller (`stream.rs`) rather than read whole.
    pub(crate) streamed: bool,
    /// A page stream's next page, which the stream checked to be on the base URL's origin:
    /// sent instead of the path and query.
    pub(crate) url: Option<Url>,
}

impl Request {
    pub(crate) fn build<Q: serde::Serialize + ?Sized>(
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
    ) -> Result<Self, Error> {
        Self::assemble(method, template, path, to_query(query), security)
    }

    /// [`Request::build`] once the query is encoded: not generic, so compiled once rather than
    /// for every operation's query.
    fn assemble(
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: Result<Vec<(String, String)>, Error>,
        security: Security,
    ) -> Result<Self, Error> {
        Ok(Self {
            method,
            template,
            path_names: path.iter().map(|(name, _)| *name).collect(),
            path: fill_path(template, path)?,
            query: query?,
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security,
            streamed: false,
            url: None,
        })
    }
}

/// A response read in full, as the generated decoders of responses with several shapes see it.
#[doc(hidden)]
pub struct Received {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// A streamed success response, its body not read yet (`body` is empty).
    pub(crate) response: Option<reqwest::Response>,
    /// The request's method and URL (credentials redacted), for the stream's errors.
    pub(crate) request: String,
}

impl Received {
    /// The status, which picks the shape to decode.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }
}

/// Decodes a success body as JSON.
#[doc(hidden)]
pub fn decode_json<T: DeserializeOwned>(received: &Received) -> Result<T, Error> {
    decode(received)
}

/// A success body as text (invalid UTF-8 is an error naming the content type).
#[doc(hidden)]
pub fn decode_text(received: &Received) -> Result<String, Error> {
    String::from_utf8(received.body.to_vec()).map_err(|e| {
        let mut error =
            crate::error::DecodeError::new(String::new(), format!("the body is not UTF-8 text: {e}"), String::new());
        error.status = Some(received.status);
        Error::from(error)
    })
}

/// A success body as bytes, without a copy.
#[doc(hidden)]
pub fn decode_bytes(received: &Received) -> Result<Bytes, Error> {
    Ok(received.body.clone())
}

/// A success response whose body is ignored.
#[doc(hidden)]
pub fn decode_unit(_: &Received) -> Result<(), Error> {
    Ok(())
}

/// A success status the API description does not declare, for an operation whose responses
/// differ by status: a decode error that keeps the body.
#[doc(hidden)]
pub fn unexpected_status(received: &Received) -> Error {
    let mut error = crate::error::DecodeError::new(
        String::new(),
        format!("the status {} is not one the API description declares for this operation", received.status),
        String::from_utf8_lossy(&received.body).into_owned(),
    );
    error.status = Some(received.status);
    Error::from(error)
}

/// Methods whose repetition has the same effect as one request (RFC 9110, 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE)
        // OpenAPI 3.2's `QUERY`: safe and idempotent, a `GET` with a body.
        || method.as_str() == "QUERY"
}

/// A fresh idempotency key: 128 random bits as hex.
fn idempotency_key() -> HeaderValue {
    let key = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    HeaderValue::from_str(&key).unwrap_or(HeaderValue::from_static("0"))
}

impl Shared {
    /// `text` with every credential the client sends replaced by `[redacted]`.
    fn redact(&self, text: &str) -> String {
        self.secrets
            .iter()
            .filter(|s| !s.is_empty())
            .fold(text.to_owned(), |text, secret| text.replace(secret, "[redacted]"))
    }

    /// A URL as the client reports it: without a password, with every credential redacted.
    fn redact_url(&self, url: &Url) -> String {
        let text = match url.password() {
            // As serialized (percent-encoded), which is how it appears in the URL's text.
            Some(password) => url.as_str().replacen(&format!(":{password}@"), ":[redacted]@", 1),
            None => url.as_str().to_owned(),
        };
        self.redact(&text)
    }
}

/// The error with the number of attempts that were made.
fn counted(error: Error, attempts: u32) -> Error {
    match error {
        Error::Timeout { request, timeout, .. } => Error::Timeout { request, timeout, attempts },
        Error::Connection { request, source, .. } => Error::Connection { request, source, attempts },
        other => other,
    }
}

fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => true,
        Some("false") => false,
        _ => retryable_status(status),
    }
}

/// Decodes a success body. A body that is not JSON is named by its content type in the error;
/// a JSON body under the wrong content type still decodes, since it is what the API sent.
fn decode<T: DeserializeOwned>(received: &Received) -> Result<T, Error> {
    from_slice(&received.body).map_err(|mut error| {
        // Explaining a failure is the only work beyond decoding: a success pays for nothing more.
        error.status = Some(received.status);
        let content_type = received.headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("(not text)"));
        let not_json = content_type.filter(|ct| {
            let essence = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            essence != "application/json" && !essence.ends_with("+json")
        });
        if received.body.iter().all(u8::is_ascii_whitespace) {
            error.message = "the body is empty; expected JSON".to_owned();
        } else if let Some(content_type) = not_json {
            error.message =
                format!("expected a JSON body, but the content type is `{content_type}` ({})", error.message);
        }
        Error::from(error)
    })
}

/// Configures a client. `C` is the client type it builds: a generated crate's own `Client`,
/// which wraps this crate's [`Client`].
pub struct ClientBuilder<C = Client> {
    info: &'static ApiInfo,
    pub(crate) secrets: Secrets,
    base_url: Option<String>,
    timeout: Duration,
    max_retries: u32,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_response_bytes: u64,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.secrets.api_key)
            .field("basic_auth", &self.secrets.basic)
            .field("credentials", &self.secrets.schemes.keys().collect::<Vec<_>>())
            .field("base_url", &self.base_url.as_deref().map(without_userinfo))
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder with every setting at its default, for the API `info` describes.
    pub fn new(info: &'static ApiInfo) -> Self {
        Self {
            info,
            secrets: Secrets::default(),
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            headers: Vec::new(),
            http: None,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            client: PhantomData,
        }
    }

    /// The API key, sent as the API's security schemes say (e.g. `Authorization: Bearer <key>`),
    /// for every scheme that sends a key or token and was given none of its own.
    #[must_use]
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.secrets.api_key = Some(Secret(api_key.into()));
        self
    }

    /// The username and password of HTTP basic authentication, for every basic scheme given none
    /// of its own.
    #[must_use]
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.secrets.basic = Some((Secret(username.into()), Secret(password.into())));
        self
    }

    /// The base URL, including any path prefix of the API; by default the document's first
    /// server.
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Reads the credentials the API's schemes need (the API key from the variable
    /// [`ApiInfo::api_key_env`] names; a username and password from
    /// [`AuthInfo::username_env`](crate::AuthInfo::username_env) and
    /// [`AuthInfo::password_env`](crate::AuthInfo::password_env)) and, when set, the base URL from
    /// [`ApiInfo::base_url_env`].
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the variables when every operation needs credentials and
    /// none are set.
    pub fn from_env(mut self) -> Result<Self, Error> {
        let ApiInfo { base_url_env, .. } = *self.info;
        self.secrets.read_env(self.info)?;
        if let Ok(base_url) = std::env::var(base_url_env)
            && !base_url.trim().is_empty()
        {
            self.base_url = Some(base_url);
        }
        Ok(self)
    }

    /// The timeout of each attempt (default 60 s), covering the whole response body.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed request is retried (default 2; 0 disables retries).
    #[must_use]
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The backoff before the first retry (default 0.5 s) and its cap (default 8 s).
    #[must_use]
    pub fn retry_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The largest response body the client reads (default 128 MiB); a larger one fails with
    /// [`Error::ResponseTooLarge`] as soon as it is known to be larger, without reading the rest.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// A header sent with every request. Its value is treated as a credential: never shown in
    /// `Debug` output or errors, and, like every header, never sent to another origin.
    #[must_use]
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends requests through this `reqwest::Client` (its own timeouts, proxies and redirect
    /// policy apply too: the client built by default follows redirects only within the origin
    /// they start from, so that no credential is ever sent to another host).
    ///
    /// This is how a client gets a TLS client identity, for an API that authenticates clients
    /// by mutual TLS: `reqwest::Client::builder().identity(reqwest::Identity::from_pem(&pem)?)`
    /// (with a reqwest 0.12 whose TLS feature matches, e.g. `rustls-tls`), plus
    /// `.redirect(reqwest::redirect::Policy::none())` or a policy of your own to keep redirects
    /// from reaching another host.
    #[must_use]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for missing credentials (when every operation needs some), a
    /// base URL that is not an absolute `http(s)` URL, a header that cannot be sent, or an HTTP
    /// client that cannot be built.
    pub fn build(self) -> Result<C, Error> {
        let credentials = Credentials::new(self.secrets, self.info)?;
        let base = self.base_url.unwrap_or_else(|| self.info.default_base_url.to_owned());
        if base.trim().is_empty() {
            return Err(Error::InvalidRequest(format!(
                "no base URL: the API description gives no absolute server URL; pass one to \
                 `ClientBuilder::base_url`, or set {}",
                self.info.base_url_env
            )));
        }
        let shown = without_userinfo(&base);
        let base_url =
            Url::parse(&base).map_err(|e| Error::InvalidRequest(format!("the base URL `{shown}` is invalid: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(Error::InvalidRequest(format!("the base URL `{shown}` is not an http(s) URL")));
        }
        let mut secrets = credentials.secrets();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::USER_AGENT,
            HeaderValue::from_str(self.info.user_agent).unwrap_or(HeaderValue::from_static("codegen-runtime")),
        );
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in self.headers {
            let parsed_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
            let mut parsed_value = HeaderValue::from_str(&value)
                .map_err(|_| Error::InvalidRequest(format!("the value of header `{name}` cannot be sent")))?;
            parsed_value.set_sensitive(true);
            headers.insert(parsed_name, parsed_value);
            secrets.push(value);
        }
        if let Some(password) = base_url.password() {
            secrets.push(password.to_owned());
        }
        let idempotency_header = match self.info.idempotency_header {
            Some(name) => Some(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid idempotency header name")))?,
            ),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::custom(same_origin_redirects))
                .build()
                .map_err(|e| Error::InvalidRequest(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(C::from(Client {
            shared: Arc::new(Shared {
                http,
                base_url,
                credentials,
                headers,
                initial_backoff: self.initial_backoff,
                max_backoff: self.max_backoff,
                max_response_bytes: self.max_response_bytes,
                idempotency_header,
                secrets,
            }),
            timeout: self.timeout,
            max_retries: self.max_retries,
        }))
    }
}

/// Follows a redirect only within the origin (scheme, host and port) the request started from,
/// at most `MAX_REDIRECTS` times. A redirect to another origin is not followed: its response is
/// returned as it is (an error status with its `Location`), so that no credential (the
/// `Authorization` header, an API-key header, a key in the query) reaches another host.
fn same_origin_redirects(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let first = attempt.previous().first().map(Url::origin);
    if attempt.previous().len() > MAX_REDIRECTS {
        attempt.error("too many redirects")
    } else if first.is_some_and(|origin| origin == attempt.url().origin()) {
        attempt.follow()
    } else {
        attempt.stop()
    }
}

/// A URL as text without the userinfo part (`user:password@`), for messages about a URL that
/// may not parse.
fn without_userinfo(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}[redacted]{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// Defines a generated crate's `Client` (a wrapper of this crate's [`Client`], so that the crate
/// can add its resource accessors to it) and `ClientBuilder`, for the API `$info` describes.
#[doc(hidden)]
#[macro_export]
macro_rules! api_client {
    ($info:path) => {
        /// The API client. Cheap to clone: clones share one connection pool and configuration.
        ///
        /// Each attempt of a request is bounded by the timeout (60 s by default), which covers
        /// connecting, sending, and reading the whole response body. Failed attempts are retried
        /// (2 times by default) on connection errors, timeouts, 408, 409, 429 and 5xx, after an
        /// exponential backoff of `min(0.5 s × 2^n, 8 s)` less up to 25 % random jitter, or after
        /// the server's `retry-after-ms` / `Retry-After` when that is between 0 and 60 s. A
        /// response header `x-should-retry: true|false` overrides the status rule. Other 4xx are
        /// never retried.
        ///
        /// An API that authenticates clients by mutual TLS (its operations' docs say so) needs
        /// a TLS client identity, which no request carries: build a `reqwest::Client` with
        /// `reqwest::ClientBuilder::identity` and give it to `ClientBuilder::http_client`.
        #[derive(Clone)]
        pub struct Client($crate::Client);

        /// Configures a [`Client`]: [`Client::builder`]. Besides the settings below, it takes a
        /// credential per security scheme of the API, with a method named after the scheme.
        pub struct ClientBuilder(pub(crate) $crate::ClientBuilder<Client>);

        impl ::std::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ClientBuilder {
            /// The username and password of HTTP basic authentication, for every basic scheme
            /// given none of its own.
            #[must_use]
            pub fn basic_auth(
                self,
                username: impl ::std::convert::Into<::std::string::String>,
                password: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                Self(self.0.basic_auth(username, password))
            }

            /// The base URL, including any path prefix of the API; by default the document's
            /// first server.
            #[must_use]
            pub fn base_url(self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(self.0.base_url(base_url))
            }

            /// Reads the credentials from the environment (the API key from
            /// [`API_KEY_ENV`](crate::API_KEY_ENV), a username and password from `<PREFIX>_USERNAME`
            /// and `<PREFIX>_PASSWORD` when the API uses basic authentication) and, when set, the
            /// base URL from [`BASE_URL_ENV`](crate::BASE_URL_ENV). The key read is sent for
            /// every scheme that takes a key and was given none of its own.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming the variables when
            /// every operation needs credentials and none are set.
            pub fn from_env(self) -> ::std::result::Result<Self, $crate::Error> {
                self.0.from_env().map(Self)
            }

            /// The timeout of each attempt (default 60 s), covering the whole response body.
            #[must_use]
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// How many times a failed request is retried (default 2; 0 disables retries).
            #[must_use]
            pub fn max_retries(self, max_retries: u32) -> Self {
                Self(self.0.max_retries(max_retries))
            }

            /// The backoff before the first retry (default 0.5 s) and its cap (default 8 s).
            #[must_use]
            pub fn retry_backoff(self, initial: ::std::time::Duration, max: ::std::time::Duration) -> Self {
                Self(self.0.retry_backoff(initial, max))
            }

            /// The largest response body the client reads (default 128 MiB).
            #[must_use]
            pub fn max_response_bytes(self, bytes: u64) -> Self {
                Self(self.0.max_response_bytes(bytes))
            }

            /// A header sent with every request. Its value is treated as a credential: never
            /// shown in `Debug` output or errors, and never sent to another origin.
            #[must_use]
            pub fn default_header(
                self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                Self(self.0.default_header(name, value))
            }

            /// Sends requests through this `reqwest::Client` (for a TLS client identity, proxies,
            /// a redirect policy of your own).
            #[must_use]
            pub fn http_client(self, http: $crate::HttpClient) -> Self {
                Self(self.0.http_client(http))
            }

            /// Builds the client.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for missing credentials
            /// (when every operation needs some), a base URL that is not an absolute `http(s)`
            /// URL, a header that cannot be sent, or an HTTP client that cannot be built.
            pub fn build(self) -> ::std::result::Result<Client, $crate::Error> {
                self.0.build()
            }
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::convert::From<$crate::Client> for Client {
            fn from(client: $crate::Client) -> Self {
                Self(client)
            }
        }

        impl Client {
            /// A client with the given API key and every other setting at its default.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) when the key cannot be
            /// sent in a header or the HTTP client cannot be built.
            pub fn new(
                api_key: impl ::std::convert::Into<::std::string::String>,
            ) -> ::std::result::Result<Self, $crate::Error> {
                Self::builder().api_key(api_key).build()
            }

            /// A client configured from the environment: the API key from
            /// [`API_KEY_ENV`](crate::API_KEY_ENV), a username and password from `<PREFIX>_USERNAME`
            /// and `<PREFIX>_PASSWORD` when the API uses basic authentication, the base URL from
            /// [`BASE_URL_ENV`](crate::BASE_URL_ENV) when it is set.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) when every operation needs
            /// credentials and none are set, or as
            /// [`ClientBuilder::build`].
            pub fn from_env() -> ::std::result::Result<Self, $crate::Error> {
                Self::builder().from_env()?.build()
            }

            /// A builder for every setting.
            pub fn builder() -> ClientBuilder {
                ClientBuilder($crate::ClientBuilder::new(&$info))
            }

            /// A clone of this client whose requests use another per-attempt timeout.
            #[must_use]
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Self {
                Self(self.0.with_timeout(timeout))
            }

            /// A clone of this client whose requests are retried at most `max_retries` times
            /// (0 disables retries).
            #[must_use]
            pub fn with_max_retries(&self, max_retries: u32) -> Self {
                Self(self.0.with_max_retries(max_retries))
            }

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.0.base_url()
            }

            /// The per-attempt timeout.
            pub fn timeout(&self) -> ::std::time::Duration {
                self.0.timeout()
            }

            /// How many times a failed request is retried.
            pub fn max_retries(&self) -> u32 {
                self.0.max_retries()
            }
        }
    };
}
