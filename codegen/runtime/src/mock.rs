//! Typed mocks for the tests of a generated crate's users (the `mock` feature): a real HTTP
//! server on loopback (wiremock's), and what the generated `mock` module needs to match one
//! operation's requests and answer them with typed bodies.
//!
//! A generated crate emits only thin typed methods, one per operation: its `MockServer` wraps
//! [`Server`], each operation's matcher wraps [`When`], and each method returns a [`Mocked`]
//! typed by the operation's success body and request body.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{Client, ClientBuilder};
use crate::encode::{Styled, split_params};
use crate::error::{DecodeError, Error};

/// wiremock itself, for what the typed methods do not cover ([`Mocked::respond_with`]).
pub use wiremock;

/// The API key a mock server's client sends for every scheme that takes a key or token.
pub const MOCK_API_KEY: &str = "mock-api-key";
/// The username a mock server's client sends for every basic-authentication scheme.
pub const MOCK_USERNAME: &str = "mock-user";
/// The password a mock server's client sends for every basic-authentication scheme.
pub const MOCK_PASSWORD: &str = "mock-password";

/// A real HTTP server on a loopback port, started by a test. Requests that no mock matches are
/// answered 404; every request is recorded. Expectations set with [`Mocked::expect`] are checked
/// when the server is dropped (a failed one panics, failing the test).
pub struct Server {
    server: wiremock::MockServer,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server").field("uri", &self.server.uri()).finish()
    }
}

impl Server {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        Self { server: wiremock::MockServer::start().await }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server, for mocks the typed methods do not express.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// `builder` pointed at this server, with credentials for every security scheme
    /// ([`MOCK_API_KEY`], [`MOCK_USERNAME`] and [`MOCK_PASSWORD`]) and retries after 1 to 10 ms
    /// instead of 0.5 to 8 s (the number of retries is the client's default).
    pub fn configure<C: From<Client>>(&self, builder: ClientBuilder<C>) -> ClientBuilder<C> {
        builder
            .base_url(self.uri())
            .api_key(MOCK_API_KEY)
            .basic_auth(MOCK_USERNAME, MOCK_PASSWORD)
            .retry_backoff(Duration::from_millis(1), Duration::from_millis(10))
    }

    /// A mock of the operation `when` matches, answering with bodies of type `T` and reading
    /// request bodies as `B`.
    pub fn mock<T, B>(&self, when: When) -> Mocked<'_, T, B> {
        Mocked { server: &self.server, when, times: None, expect: None, types: PhantomData }
    }

    /// Every request the server received, in order, whatever it matched.
    pub async fn received(&self) -> Vec<Received<serde_json::Value>> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests.into_iter().map(Received::new).collect()
    }
}

/// One piece of a path template: text sent as it is, or a parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// A parameter: its name, and whether it may span segments (`{+name}`).
    Value(String, bool),
}

fn pieces(template: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            pieces.push(Piece::Text(rest[..start].to_owned()));
        }
        let placeholder = &rest[start + 1..start + len];
        pieces.push(match placeholder.strip_prefix('+') {
            Some(name) => Piece::Value(name.to_owned(), true),
            None => Piece::Value(placeholder.to_owned(), false),
        });
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    pieces
}

/// Matches `path` (as sent: percent-encoded) against `pieces`, collecting each parameter's raw
/// value; a parameter matches one character or more, and no `/` unless it may span segments.
fn match_path<'p>(pieces: &'p [Piece], path: &str, values: &mut Vec<(&'p str, String)>) -> bool {
    match pieces.split_first() {
        None => path.is_empty(),
        Some((Piece::Text(text), rest)) => {
            path.strip_prefix(text.as_str()).is_some_and(|p| match_path(rest, p, values))
        }
        Some((Piece::Value(name, spans), rest)) => {
            let end = if *spans { path.len() } else { path.find('/').unwrap_or(path.len()) };
            // The longest value first; backtrack when what follows does not match.
            for cut in (1..=end).rev().filter(|cut| path.is_char_boundary(*cut)) {
                values.push((name, path[..cut].to_owned()));
                if match_path(rest, &path[cut..], values) {
                    return true;
                }
                values.pop();
            }
            false
        }
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// What a request must be to match one operation's mock: its method and path template, and the
/// values a test adds (path parameters, query parameters, headers, the JSON body).
#[derive(Clone)]
pub struct When {
    method: Method,
    template: &'static str,
    pieces: Vec<Piece>,
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    /// Why a value given to match cannot be sent, which no request can then match.
    invalid: Option<String>,
}

impl fmt::Debug for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("When")
            .field("method", &self.method)
            .field("template", &self.template)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("cookies", &self.cookies)
            .field("body", &self.body)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl When {
    /// Requests with this method whose path fills `template` (as the operation sends it:
    /// `{name}` one segment, `{+name}` any number).
    pub fn new(method: Method, template: &'static str) -> Self {
        Self {
            method,
            template,
            pieces: pieces(template),
            path: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            invalid: None,
        }
    }

    /// The path parameter `name` is `value` (compared with the segment percent-decoded).
    #[must_use]
    pub fn path(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.path.retain(|(n, _)| *n != name);
        self.path.push((name, value.into()));
        self
    }

    /// The request carries every parameter `params` sets (an operation's params struct, written
    /// as `styles` say, exactly as the client writes it): each query pair, header and cookie.
    /// Parameters it leaves unset may have any value.
    #[must_use]
    pub fn params<Q: Serialize + ?Sized>(mut self, params: &Q, styles: &[Styled]) -> Self {
        match split_params(params, styles) {
            Ok(split) => {
                self.query.extend(split.query.into_iter().map(|(k, v)| (decode(&k), decode(&v))));
                self.headers.extend(split.headers.into_iter().map(|(k, v)| (k.to_owned(), v)));
                self.cookies.extend(split.cookies.into_iter().map(|(k, v)| (k.to_owned(), v)));
            }
            Err(error) => self.invalid = Some(error.to_string()),
        }
        self
    }

    /// The query pair `name=value` is in the request (both compared percent-decoded).
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// The header `name` is `value`.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body is the JSON `body` serializes to (compared as JSON values, so key order and
    /// spacing do not matter).
    #[must_use]
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Some(value),
            Err(error) => self.invalid = Some(format!("the body cannot be encoded as JSON: {error}")),
        }
        self
    }

    /// Whether `request` is one this matcher accepts.
    pub fn accepts(&self, request: &wiremock::Request) -> bool {
        if self.invalid.is_some() || request.method != self.method {
            return false;
        }
        let mut values = Vec::new();
        if !match_path(&self.pieces, request.url.path(), &mut values) {
            return false;
        }
        let path_ok = self
            .path
            .iter()
            .all(|(name, expected)| values.iter().any(|(n, raw)| n == name && decode(raw) == *expected));
        let pairs: Vec<(String, String)> =
            request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let query_ok = self.query.iter().all(|pair| pairs.contains(pair));
        let header =
            |name: &str| request.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
        let headers_ok = self.headers.iter().all(|(name, value)| header(name).contains(&value.as_str()));
        let cookies = cookies(&request.headers);
        let cookies_ok = self.cookies.iter().all(|(name, value)| cookies.iter().any(|(n, v)| n == name && v == value));
        let body_ok = match &self.body {
            None => true,
            Some(expected) => serde_json::from_slice::<serde_json::Value>(&request.body).is_ok_and(|v| v == *expected),
        };
        path_ok && query_ok && headers_ok && cookies_ok && body_ok
    }
}

impl wiremock::Match for When {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.accepts(request)
    }
}

/// The cookies of a request's `Cookie` headers.
fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(reqwest::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// One operation's mock, before it is mounted: `T` is the operation's success body, `B` its
/// request body (`()` when it takes none). Nothing is mounted until one of the `respond…`
/// methods is awaited; [`Mocked::received`] lists what the server received that matches.
///
/// When several mounted mocks match a request, the first mounted answers (limit one with
/// [`Mocked::times`] to answer a first request differently from the next).
#[must_use = "a mock answers only once one of its `respond…` methods is awaited"]
pub struct Mocked<'a, T, B = ()> {
    server: &'a wiremock::MockServer,
    when: When,
    times: Option<u64>,
    expect: Option<u64>,
    types: PhantomData<fn(B) -> T>,
}

impl<T, B> fmt::Debug for Mocked<'_, T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocked").field("when", &self.when).field("times", &self.times).finish_non_exhaustive()
    }
}

impl<T, B> Mocked<'_, T, B> {
    /// Answers at most `n` requests; later ones fall through to the next mock that matches (or
    /// a 404).
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Expects exactly `n` matching requests by the time the server is dropped, which panics
    /// (failing the test) otherwise.
    pub fn expect(mut self, n: u64) -> Self {
        self.expect = Some(n);
        self
    }

    /// Answers `status` with `body` as JSON.
    pub async fn respond_with_status(self, status: u16, body: T)
    where
        T: Serialize,
    {
        let template = json_template(status, &body);
        self.respond_with(template).await;
    }

    /// Answers 200 with `body` as JSON.
    pub async fn respond(self, body: T)
    where
        T: Serialize,
    {
        self.respond_with_status(200, body).await;
    }

    /// Answers `status` without a body (e.g. 204 for an operation that returns nothing).
    pub async fn respond_empty(self, status: u16) {
        self.respond_with(wiremock::ResponseTemplate::new(status)).await;
    }

    /// Answers `status` with `text` as `text/plain`.
    pub async fn respond_text(self, status: u16, text: impl Into<String>) {
        let text: String = text.into();
        self.respond_with(wiremock::ResponseTemplate::new(status).set_body_raw(text, "text/plain")).await;
    }

    /// Answers an error `status` with `body` as JSON (the operation's typed error body, or any
    /// JSON): the client returns [`Error::Api`] with it.
    pub async fn fail<E: Serialize + ?Sized>(self, status: u16, body: &E) {
        let template = json_template(status, body);
        self.respond_with(template).await;
    }

    /// Answers with anything wiremock can send (delays, headers, raw bytes).
    pub async fn respond_with(self, template: wiremock::ResponseTemplate) {
        let Self { server, when, times, expect, types: _ } = self;
        let mut mock = wiremock::Mock::given(when).respond_with(template);
        if let Some(n) = times {
            mock = mock.up_to_n_times(n);
        }
        if let Some(n) = expect {
            mock = mock.expect(n);
        }
        mock.mount(server).await;
    }

    /// The requests the server received that this mock's matcher accepts (whether or not a
    /// mock answered them), in order.
    pub async fn received(&self) -> Vec<Received<B>> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests.into_iter().filter(|r| self.when.accepts(r)).map(Received::new).collect()
    }
}

fn json_template<E: Serialize + ?Sized>(status: u16, body: &E) -> wiremock::ResponseTemplate {
    // A value the models cannot encode (a NaN) is written as `null`, which the client then
    // reports as a body that does not decode: the test sees it.
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"null".to_vec());
    wiremock::ResponseTemplate::new(status).set_body_raw(bytes, "application/json")
}

/// A request the server received; `B` is the operation's request body.
#[derive(Clone)]
#[non_exhaustive]
pub struct Received<B> {
    /// The method.
    pub method: Method,
    /// The path, percent-encoded as sent.
    pub path: String,
    /// The query pairs, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as sent.
    pub body: Bytes,
    body_type: PhantomData<fn() -> B>,
}

impl<B> fmt::Debug for Received<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl<B> Received<B> {
    fn new(request: wiremock::Request) -> Self {
        Self {
            method: request.method,
            path: request.url.path().to_owned(),
            query: request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
            headers: request.headers,
            body: Bytes::from(request.body),
            body_type: PhantomData,
        }
    }

    /// The header `name` as text, when sent (the first, if several were).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of the query parameter `name` (the first, if several were sent).
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The cookie `name`, when sent.
    pub fn cookie(&self, name: &str) -> Option<String> {
        cookies(&self.headers).into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The body decoded from JSON as the operation's body type.
    ///
    /// # Errors
    /// The body is not JSON of that type (or there is none).
    pub fn json(&self) -> Result<B, Error>
    where
        B: DeserializeOwned,
    {
        crate::codec::from_slice(&self.body).map_err(|e: DecodeError| Error::from(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        let pieces = pieces(template);
        let mut values = Vec::new();
        match_path(&pieces, path, &mut values).then(|| values.into_iter().map(|(n, v)| (n.to_owned(), v)).collect())
    }

    #[test]
    fn templates_match_paths_and_capture_their_values() {
        let pair = |n: &str, v: &str| (n.to_owned(), v.to_owned());
        assert_eq!(matches("/campaigns/{id}/rows", "/campaigns/cmp_1/rows"), Some(vec![pair("id", "cmp_1")]));
        assert_eq!(matches("/campaigns/{id}/rows", "/campaigns//rows"), None, "a value is not empty");
        assert_eq!(matches("/campaigns/{id}/rows", "/campaigns/a/b/rows"), None, "one segment");
        assert_eq!(matches("/campaigns/{id}", "/campaigns/a/rows"), None);
        assert_eq!(matches("/files/{+path}", "/files/a/b.txt"), Some(vec![pair("path", "a/b.txt")]));
        assert_eq!(
            matches("/r/{name}.{ext}", "/r/a.b.json"),
            Some(vec![pair("name", "a.b"), pair("ext", "json")]),
            "backtracks to the last dot"
        );
        assert_eq!(matches("/users", "/users"), Some(vec![]));
        assert_eq!(matches("/users", "/users/x"), None);
    }
}
