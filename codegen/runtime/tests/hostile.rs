//! Hostile values against a real server on loopback: path parameters that would leave the
//! operation's path, non-finite numbers in bodies, redirect loops, header and cookie parameters
//! the client must not send, and error bodies that are decoded only when asked for.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use codegen_runtime::{
    ApiError, ApiInfo, AuthInfo, Client, ClientBuilder, Error, ErrorKind, In, Method, Scheme, SecurityScheme,
};
use codegen_runtime::{Style, Styled};
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_hostile_secret_31";

static INFO: ApiInfo = ApiInfo {
    default_base_url: "http://localhost",
    api_key_env: "HOSTILE_TEST_API_KEY",
    base_url_env: "HOSTILE_TEST_BASE_URL",
    user_agent: "hostile-test/1",
    idempotency_header: None,
    auth: AuthInfo {
        api_key: true,
        basic: false,
        required: true,
        username_env: "HOSTILE_TEST_USERNAME",
        password_env: "HOSTILE_TEST_PASSWORD",
        schemes: &[],
    },
};

const BEARER: &[&[SecurityScheme]] = &[&[SecurityScheme { name: "bearer", kind: Scheme::Bearer }]];

/// A server answering `{}` to everything, and a client whose base URL has a path of its own.
async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    let client = ClientBuilder::<Client>::new(&INFO)
        .api_key(KEY)
        .base_url(format!("{}/okay/api", server.uri()))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("valid");
    (server, client)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

async fn docs(client: &Client, value: &str) -> Result<Value, Error> {
    client.request::<Value, ()>(Method::GET, "/docs/{+p}", &[("p", value)], &(), BEARER).await
}

#[tokio::test]
async fn no_path_parameter_leaves_the_operations_path() {
    let (server, client) = server().await;
    let escapes = [
        "%2e%2e/%2e%2e/admin",
        ".%2e/.%2e/admin",
        "%2E%2E/x",
        "%2e./x",
        "a/%2e%2E/%2e%2e/%2e%2e/b",
        "a/%2e",
        "..",
        "a/../../b",
        "a/./b",
        "",
    ];
    for value in escapes {
        let error = docs(&client, value).await.expect_err(value);
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{value:?}: {error}");
        assert!(error.to_string().contains("`p`"), "{value:?}: the parameter is named: {error}");
    }
    // Segment parameters encode everything that could become a separator or a dot segment.
    for value in ["%2e%2e", "..%2f..%2fadmin", "a/../..", "\\..\\admin"] {
        let sent = client.request::<Value, ()>(Method::GET, "/seg/{id}", &[("id", value)], &(), BEARER).await;
        assert!(sent.is_ok(), "{value:?} sent as one segment: {sent:?}");
    }
    // The final URL is checked too, whatever made it: a template resolving dot segments.
    let error = client.request::<Value, ()>(Method::GET, "/a/../../admin", &[], &(), BEARER).await;
    let error = error.expect_err("leaves the base URL");
    assert!(error.to_string().contains("outside the operation's path"), "{error}");

    let paths: Vec<String> = received(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    assert!(paths.iter().all(|p| p.starts_with("/okay/api/seg/")), "only segment requests were sent: {paths:?}");
    assert_eq!(paths.len(), 4);

    // Reserved characters and escapes that are no dot segment still go through.
    docs(&client, "v1/a%2Fb/c.d/..e/%2e%2e%2fx").await.expect("sendable");
    let last = received(&server).await.pop().expect("sent");
    assert_eq!(last.url.path(), "/okay/api/docs/v1/a%2Fb/c.d/..e/%2e%2e%2fx");
}

#[derive(Serialize)]
struct Num {
    x: f64,
    m: BTreeMap<String, f32>,
    list: Vec<f64>,
}

#[tokio::test]
async fn non_finite_numbers_are_refused_before_sending() {
    let (server, client) = server().await;
    let cases = [
        (Num { x: f64::NAN, m: BTreeMap::new(), list: vec![] }, "NaN at `x`"),
        (Num { x: 1.0, m: [("k".to_owned(), f32::INFINITY)].into(), list: vec![] }, "inf at `m.k`"),
        (Num { x: 1.0, m: BTreeMap::new(), list: vec![0.5, f64::NEG_INFINITY] }, "-inf at `list[1]`"),
    ];
    for (body, said) in &cases {
        let sent = client.request::<Value, ()>(Method::POST, "/num", &[], &(), BEARER).json(body).await;
        let error = sent.expect_err("non-finite");
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        assert!(error.to_string().contains(said), "{error}");
        let form = client.request::<Value, ()>(Method::POST, "/num", &[], &(), BEARER).form(body).await;
        assert_eq!(form.expect_err("non-finite").kind(), ErrorKind::InvalidRequest);
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
    let body = Num { x: -0.0, m: [("k".to_owned(), 1.5)].into(), list: vec![1e308] };
    client.request::<Value, ()>(Method::POST, "/num", &[], &(), BEARER).json(&body).await.expect("finite");
    let sent: Value = serde_json::from_slice(&received(&server).await[0].body).expect("JSON");
    assert_eq!(sent, json!({"x": -0.0, "m": {"k": 1.5}, "list": [1e308]}));
}

#[tokio::test]
async fn a_redirect_loop_is_its_own_error_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&server)
        .await;
    let client = ClientBuilder::<Client>::new(&INFO)
        .api_key(KEY)
        .base_url(server.uri())
        .max_retries(2)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("valid");
    let error = client.request::<Value, ()>(Method::GET, "/loop", &[], &(), BEARER).await.expect_err("loops");
    assert_eq!(error.kind(), ErrorKind::TooManyRedirects, "{error}");
    assert!(!error.is_retryable() && !error.is_connection());
    assert!(error.to_string().contains("redirected more times than the client follows"), "{error}");
    assert_eq!(received(&server).await.len(), 11, "the request and 10 redirects, once");
}

/// A params struct whose wire names are hostile: each test sends one field at a time.
#[derive(Serialize, Default)]
struct Hostile {
    #[serde(rename = "Authorization", skip_serializing_if = "Option::is_none")]
    authorization: Option<&'static str>,
    #[serde(rename = "Accept", skip_serializing_if = "Option::is_none")]
    accept: Option<&'static str>,
    #[serde(rename = "Content-Type", skip_serializing_if = "Option::is_none")]
    content_type: Option<&'static str>,
    #[serde(rename = "Host", skip_serializing_if = "Option::is_none")]
    host: Option<&'static str>,
    #[serde(rename = "Content-Length", skip_serializing_if = "Option::is_none")]
    content_length: Option<&'static str>,
    #[serde(rename = "transfer-encoding", skip_serializing_if = "Option::is_none")]
    transfer_encoding: Option<&'static str>,
    #[serde(rename = "Connection", skip_serializing_if = "Option::is_none")]
    connection: Option<&'static str>,
    #[serde(rename = "X Bad\r\nInjected: 1", skip_serializing_if = "Option::is_none")]
    injected: Option<&'static str>,
    #[serde(rename = "a=b; admin", skip_serializing_if = "Option::is_none")]
    cookie: Option<&'static str>,
    #[serde(rename = "session", skip_serializing_if = "Option::is_none")]
    session: Option<&'static str>,
    #[serde(rename = "X-Note", skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
}

const HEADER: fn(&'static str) -> Styled =
    |name| Styled { name, location: In::Header, style: Style::Simple, explode: false, allow_reserved: false };
const COOKIE: fn(&'static str) -> Styled =
    |name| Styled { name, location: In::Cookie, style: Style::Form, explode: true, allow_reserved: false };

async fn send(client: &Client, params: &Hostile) -> Result<Value, Error> {
    let styles = [
        HEADER("Authorization"),
        HEADER("Accept"),
        HEADER("Content-Type"),
        HEADER("Host"),
        HEADER("Content-Length"),
        HEADER("transfer-encoding"),
        HEADER("Connection"),
        HEADER("X Bad\r\nInjected: 1"),
        COOKIE("a=b; admin"),
        COOKIE("session"),
        HEADER("X-Note"),
    ];
    let client = client.with_timeout(Duration::from_secs(5)).with_max_retries(0);
    client.request::<Value, ()>(Method::GET, "/h", &[], &(), BEARER).params(params, &styles).await
}

#[tokio::test]
async fn reserved_and_invalid_header_and_cookie_parameters_are_never_sent() {
    let (server, client) = server().await;
    // Refused, naming the parameter: nothing is sent.
    let refused = [
        (Hostile { host: Some("evil.example"), ..Hostile::default() }, "`Host`"),
        (Hostile { content_length: Some("20"), ..Hostile::default() }, "`Content-Length`"),
        (Hostile { transfer_encoding: Some("chunked"), ..Hostile::default() }, "`transfer-encoding`"),
        (Hostile { connection: Some("close"), ..Hostile::default() }, "`Connection`"),
        (Hostile { injected: Some("1"), ..Hostile::default() }, "is not a header name"),
        (Hostile { cookie: Some("1"), ..Hostile::default() }, "is not a cookie name"),
    ];
    for (params, said) in &refused {
        let error = send(&client, params).await.expect_err(said);
        assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        assert!(error.to_string().contains(said), "{said}: {error}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");

    // Ignored, as OpenAPI says: the client's own values are sent, once.
    let ignored = Hostile {
        authorization: Some("Bearer attacker-chosen"),
        accept: Some("text/html"),
        content_type: Some("text/evil"),
        session: Some("s1"),
        note: Some("kept"),
        ..Hostile::default()
    };
    send(&client, &ignored).await.expect("sent");
    let sent = received(&server).await.pop().expect("sent");
    let all = |name: &str| -> Vec<String> {
        sent.headers.get_all(name).iter().map(|v| v.to_str().unwrap_or("?").to_owned()).collect()
    };
    assert_eq!(all("authorization"), [format!("Bearer {KEY}")]);
    assert_eq!(all("accept"), ["application/json"]);
    assert!(all("content-type").is_empty(), "a bodiless GET");
    assert_eq!(all("x-note"), ["kept"]);
    assert_eq!(all("cookie"), ["session=s1"]);
}

static DECODED: AtomicUsize = AtomicUsize::new(0);

fn detail(error: &ApiError) -> Option<Value> {
    DECODED.fetch_add(1, Ordering::SeqCst);
    error.decode::<Value>()
}

#[tokio::test]
async fn error_bodies_are_decoded_only_when_asked_for() {
    let server = MockServer::start().await;
    Mock::given(path("/fail"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(r#"{"error": "bad"}"#, "application/json"))
        .mount(&server)
        .await;
    let client = ClientBuilder::<Client>::new(&INFO).api_key(KEY).base_url(server.uri()).build().expect("valid");
    let pending = client.request::<Value, ()>(Method::GET, "/fail", &[], &(), BEARER).errors(detail);
    let error = pending.await.expect_err("400");
    assert_eq!(DECODED.load(Ordering::SeqCst), 0, "not decoded by the client");
    assert_eq!(error.detail::<Value>(), Some(&json!({"error": "bad"})));
    assert_eq!(error.detail::<String>(), None, "another type");
    assert_eq!(DECODED.load(Ordering::SeqCst), 1, "decoded once, then kept");
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(api.json(), Some(json!({"error": "bad"})));
    assert_eq!(error.body(), Some(r#"{"error": "bad"}"#));
}
