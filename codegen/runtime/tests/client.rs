//! The runtime's client against real servers on loopback: response size limits, redirects and
//! credentials, retries of non-idempotent requests, and what errors show.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::time::Duration;

use codegen_runtime::{ApiInfo, AuthInfo, Client, ClientBuilder, Error, ErrorKind, Method, Scheme, SecurityScheme};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_runtime_secret_8c1d";

static INFO: ApiInfo = ApiInfo {
    default_base_url: "http://localhost",
    api_key_env: "RUNTIME_TEST_API_KEY",
    base_url_env: "RUNTIME_TEST_BASE_URL",
    user_agent: "runtime-test/1",
    idempotency_header: None,
    auth: AuthInfo {
        api_key: true,
        basic: false,
        required: true,
        username_env: "RUNTIME_TEST_USERNAME",
        password_env: "RUNTIME_TEST_PASSWORD",
        schemes: &[],
    },
};

/// Every request of these tests sends the key as a bearer token.
const BEARER: &[&[SecurityScheme]] = &[&[SecurityScheme { name: "bearer", kind: Scheme::Bearer }]];

static INFO_WITH_IDEMPOTENCY: ApiInfo = ApiInfo { idempotency_header: Some("idempotency-key"), ..INFO };

fn builder(info: &'static ApiInfo, base_url: &str) -> ClientBuilder {
    ClientBuilder::new(info)
        .api_key(KEY)
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
}

async fn get(client: &Client, path: &'static str) -> Result<Value, Error> {
    client.request::<Value, ()>(Method::GET, path, &[], &(), BEARER).await
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_length() {
    let server = MockServer::start().await;
    let big = "x".repeat(64 * 1024);
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_string(big.clone()))
        .mount(&server)
        .await;
    let client = builder(&INFO, &server.uri()).max_response_bytes(1024).build().expect("valid");
    let error = get(&client, "/big").await.expect_err("too large");
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge);
    assert_eq!(error.status(), Some(200));
    assert!(!error.is_retryable());
    assert!(error.to_string().ends_with("is larger than the limit of 1024 bytes"), "{error}");

    let roomy = builder(&INFO, &server.uri()).max_response_bytes(1 << 20).build().expect("valid");
    let error = get(&roomy, "/big").await.expect_err("not JSON, but read whole");
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(error.body().map(str::len), Some(big.len()), "the whole body is kept");
}

/// A server that answers one request with a chunked body of `chunks` chunks of 64 KiB and no
/// length, then closes.
async fn chunked_server(chunks: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
        for _ in 0..chunks {
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                return; // The client stopped reading: what the test wants.
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_chunked_body_is_cut_off_at_the_limit() {
    // 64 MiB offered, 1 MiB allowed: the client stops reading long before the end.
    let base = chunked_server(1024).await;
    let client = builder(&INFO, &base).max_response_bytes(1 << 20).max_retries(0).build().expect("valid");
    let error = tokio::time::timeout(Duration::from_secs(20), get(&client, "/stream")).await.expect("ends");
    let error = error.expect_err("too large");
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
}

#[tokio::test]
async fn error_bodies_are_bounded_in_messages_but_kept_whole() {
    let server = MockServer::start().await;
    let body = "e".repeat(100_000);
    Mock::given(path("/fail"))
        .respond_with(ResponseTemplate::new(400).set_body_string(body.clone()))
        .mount(&server)
        .await;
    let client = builder(&INFO, &server.uri()).build().expect("valid");
    let error = get(&client, "/fail").await.expect_err("400");
    assert_eq!(error.body(), Some(body.as_str()));
    assert!(error.to_string().len() < 1_000, "Display: {} bytes", error.to_string().len());
    let debug = format!("{error:?}");
    assert!(debug.len() < 2_000, "Debug: {} bytes", debug.len());
    assert!(debug.contains("(100000 bytes)"), "{debug}");
}

#[tokio::test]
async fn redirects_are_followed_within_the_origin_only() {
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{}")).mount(&other).await;
    let server = MockServer::start().await;
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/stolen", other.uri())))
        .mount(&server)
        .await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/here"))
        .mount(&server)
        .await;
    Mock::given(path("/here"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"ok\": true}"))
        .mount(&server)
        .await;
    let client = builder(&INFO, &server.uri()).default_header("x-api-key", "header_secret_77").build().expect("valid");

    let value = get(&client, "/moved").await.expect("followed within the origin");
    assert_eq!(value["ok"], true);
    let here = server.received_requests().await.expect("recorded");
    let followed = here.iter().find(|r| r.url.path() == "/here").expect("followed");
    assert_eq!(followed.headers.get("x-api-key").and_then(|v| v.to_str().ok()), Some("header_secret_77"));

    let error = get(&client, "/away").await.expect_err("not followed");
    assert_eq!(error.status(), Some(302));
    assert!(other.received_requests().await.expect("recorded").is_empty(), "nothing reached the other origin");
}

#[tokio::test]
async fn credentials_never_show_in_errors_or_debug() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let base = format!("http://user:pw_secret_42@{address}/api");
    let client =
        builder(&INFO, &base).default_header("x-api-key", "header_secret_77").max_retries(0).build().expect("valid");
    let error = get(&client, "/x").await.expect_err("refused");
    let mut shown = format!("{error} {error:?} {client:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    let builder = builder(&INFO, &base).default_header("x-api-key", "header_secret_77");
    shown.push_str(&format!(" {builder:?}"));
    for secret in [KEY, "pw_secret_42", "header_secret_77"] {
        assert!(!shown.contains(secret), "{secret} shown in: {shown}");
    }
    assert!(shown.contains(&address.to_string()), "the address itself is still useful: {shown}");

    let error = ClientBuilder::<Client>::new(&INFO).api_key(KEY).base_url("ftp://user:pw_secret_42@host").build();
    let message = error.expect_err("not http").to_string();
    assert!(!message.contains("pw_secret_42") && message.contains("[redacted]"), "{message}");
}

#[tokio::test]
async fn a_post_is_not_repeated_without_an_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = builder(&INFO, &server.uri()).max_retries(3).build().expect("valid");
    let error = client.request::<Value, ()>(Method::POST, "/calls", &[], &(), BEARER).await.expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "sent once");

    // The same with an idempotency key: retried, with the same key on every attempt.
    let client = builder(&INFO_WITH_IDEMPOTENCY, &server.uri()).max_retries(2).build().expect("valid");
    let _ = client.request::<Value, ()>(Method::POST, "/calls", &[], &(), BEARER).await.expect_err("503");
    let sent = server.received_requests().await.expect("recorded");
    let keys: Vec<_> = sent[1..]
        .iter()
        .map(|r| r.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned))
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys[0].as_deref().is_some_and(|k| k.len() == 32), "{keys:?}");
    assert!(keys.iter().all(|k| k == &keys[0]), "one key for every attempt: {keys:?}");
}

#[tokio::test]
async fn a_post_that_never_reached_the_server_is_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = builder(&INFO, &format!("http://{address}")).max_retries(2).build().expect("valid");
    let error = client.request::<Value, ()>(Method::POST, "/calls", &[], &(), BEARER).await.expect_err("refused");
    assert_eq!(error.attempts(), Some(3), "a refused connection sent nothing: safe to try again");
}

#[tokio::test]
async fn a_post_is_not_repeated_after_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}").set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client =
        builder(&INFO, &server.uri()).timeout(Duration::from_millis(100)).max_retries(3).build().expect("valid");
    let error = client.request::<Value, ()>(Method::POST, "/calls", &[], &(), BEARER).await.expect_err("timeout");
    assert_eq!(error.attempts(), Some(1), "the server may have acted on it");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

/// An API whose description gives no absolute server: the client needs a base URL, and says
/// where to give it.
#[test]
fn without_a_default_base_url_the_client_asks_for_one() {
    static NO_SERVER: ApiInfo = ApiInfo { default_base_url: "", ..INFO };
    let error = ClientBuilder::<Client>::new(&NO_SERVER).api_key(KEY).build().expect_err("no base URL");
    let message = error.to_string();
    assert!(message.contains("no base URL") && message.contains("RUNTIME_TEST_BASE_URL"), "{message}");
    let client = ClientBuilder::<Client>::new(&NO_SERVER).api_key(KEY).base_url("http://127.0.0.1:1/api").build();
    assert_eq!(client.expect("a given base URL suffices").base_url(), "http://127.0.0.1:1/api");
}

/// Two schemes with variables of their own; the key scheme's is also the client-wide variable.
static INFO_WITH_SCHEME_ENVS: ApiInfo = ApiInfo {
    auth: AuthInfo {
        api_key: true,
        basic: true,
        required: true,
        username_env: "RUNTIME_TEST_USERNAME",
        password_env: "RUNTIME_TEST_PASSWORD",
        schemes: &[
            codegen_runtime::SchemeEnv { scheme: "api_key", var: "RUNTIME_TEST_API_KEY", password_var: None },
            codegen_runtime::SchemeEnv {
                scheme: "login",
                var: "RUNTIME_TEST_LOGIN_USERNAME",
                password_var: Some("RUNTIME_TEST_LOGIN_PASSWORD"),
            },
        ],
    },
    ..INFO
};

/// `from_env` with per-scheme variables, in a child process (changing this process's
/// environment is unsafe): without any, the error names every scheme's variables; a scheme's own
/// variable that is also the client-wide one gives that scheme alone its credential.
#[test]
fn from_env_reads_each_schemes_variables_and_names_them() {
    const CHILD: &str = "RUNTIME_TEST_SCHEME_ENV_CHILD";
    let name = "from_env_reads_each_schemes_variables_and_names_them";
    match std::env::var(CHILD).as_deref() {
        Ok("none") => {
            let error = ClientBuilder::<Client>::new(&INFO_WITH_SCHEME_ENVS).from_env().expect_err("nothing set");
            let text = error.to_string();
            for var in ["RUNTIME_TEST_API_KEY", "RUNTIME_TEST_LOGIN_USERNAME and RUNTIME_TEST_LOGIN_PASSWORD"] {
                assert!(text.contains(var), "{var} in {text}");
            }
            assert!(text.contains("RUNTIME_TEST_USERNAME and RUNTIME_TEST_PASSWORD for every basic scheme"), "{text}");
            return;
        }
        Ok("key") => {
            let builder = ClientBuilder::<Client>::new(&INFO_WITH_SCHEME_ENVS).from_env().expect("a scheme's key");
            let debug = format!("{builder:?}");
            assert!(debug.contains("api_key: None"), "the scheme's own variable is not client-wide: {debug}");
            assert!(debug.contains("credentials: [\"api_key\"]"), "{debug}");
            assert!(!debug.contains("k_own"), "{debug}");
            return;
        }
        _ => {}
    }
    for (mode, key) in [("none", None), ("key", Some("k_own"))] {
        let exe = std::env::current_exe().expect("the test binary");
        let mut child = std::process::Command::new(exe);
        child.args(["--exact", name, "--test-threads", "1"]).env(CHILD, mode);
        for var in [
            "RUNTIME_TEST_USERNAME",
            "RUNTIME_TEST_PASSWORD",
            "RUNTIME_TEST_LOGIN_USERNAME",
            "RUNTIME_TEST_LOGIN_PASSWORD",
        ] {
            child.env_remove(var);
        }
        match key {
            Some(key) => child.env("RUNTIME_TEST_API_KEY", key),
            None => child.env_remove("RUNTIME_TEST_API_KEY"),
        };
        let output = child.output().expect("the child runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{mode}: {stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("1 passed"), "{mode}: the child ran the test: {stdout}");
    }
}
