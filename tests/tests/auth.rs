//! Every security scheme on the wire, against wiremock on loopback, through the zoo crate (its
//! document declares bearer, basic, OAuth2, API keys in a header, the query and a cookie, and
//! mutual TLS, with per-operation requirements, including `security: []`).

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use zoo::Client;

const KEY: &str = "zk_secret_81c2";
const USER: &str = "keeper";
const PASSWORD: &str = "pw_secret_7d1e";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn client(server: &MockServer, key: bool, basic: bool) -> Client {
    let mut builder = Client::builder().base_url(server.uri());
    if key {
        builder = builder.api_key(KEY);
    }
    if basic {
        builder = builder.basic_auth(USER, PASSWORD);
    }
    builder.build().expect("valid configuration")
}

/// The one request the server received: its credentials-bearing parts.
async fn sent(server: &MockServer) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
    let requests: Vec<Request> = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    (header("authorization"), header("x-zoo-key"), header("cookie"), request.url.query().map(str::to_owned))
}

fn basic() -> String {
    // `keeper:pw_secret_7d1e` in base64, computed once by hand: the test must not share the
    // runtime's encoder.
    "Basic a2VlcGVyOnB3X3NlY3JldF83ZDFl".to_owned()
}

#[tokio::test]
async fn bearer_and_oauth2_send_the_key_as_a_bearer_token() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_bearer().await.expect("204");
    assert_eq!(sent(&server).await, (Some(format!("Bearer {KEY}")), None, None, None));
}

#[tokio::test]
async fn basic_sends_username_and_password() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_basic().await.expect("204");
    assert_eq!(sent(&server).await, (Some(basic()), None, None, None));
}

#[tokio::test]
async fn an_api_key_goes_in_its_header() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_header().await.expect("204");
    assert_eq!(sent(&server).await, (None, Some(KEY.to_owned()), None, None));
}

#[tokio::test]
async fn an_api_key_goes_in_its_query_parameter() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_query().await.expect("204");
    assert_eq!(sent(&server).await, (None, None, None, Some(format!("zoo_key={KEY}"))));
}

#[tokio::test]
async fn an_api_key_goes_in_its_cookie() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_cookie().await.expect("204");
    assert_eq!(sent(&server).await, (None, None, Some(format!("zoo_session={KEY}")), None));
}

#[tokio::test]
async fn security_none_sends_no_credentials() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_public().await.expect("204");
    assert_eq!(sent(&server).await, (None, None, None, None));
}

/// Mutual TLS authenticates the connection, not the request: an operation that needs only it
/// sends none of the client's credentials, and a client without any sends it all the same.
#[tokio::test]
async fn mutual_tls_sends_nothing_in_the_request() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_mtls().await.expect("204");
    assert_eq!(sent(&server).await, (None, None, None, None));

    let server = self::server().await;
    client(&server, false, false).auth().get_auth_mtls().await.expect("204");
    assert_eq!(sent(&server).await, (None, None, None, None));
}

#[tokio::test]
async fn the_first_alternative_the_client_can_satisfy_is_sent() {
    let server = server().await;
    client(&server, true, true).auth().get_auth_either().await.expect("204");
    assert_eq!(sent(&server).await, (Some(basic()), None, None, None), "basic comes first");

    let server = self::server().await;
    client(&server, true, false).auth().get_auth_either().await.expect("204");
    assert_eq!(sent(&server).await, (Some(format!("Bearer {KEY}")), Some(KEY.to_owned()), None, None), "token and key");
}

#[tokio::test]
async fn without_credentials_nothing_is_sent_and_the_server_decides() {
    let server = server().await;
    // No operation of the zoo requires credentials of every caller, so a client without any is
    // allowed; an operation that needs some is sent without them.
    client(&server, false, false).auth().get_auth_header().await.expect("204");
    assert_eq!(sent(&server).await, (None, None, None, None));
}

#[tokio::test]
async fn credentials_never_show_in_debug_or_errors() {
    let builder = Client::builder().api_key(KEY).basic_auth(USER, PASSWORD);
    let client = Client::builder()
        .api_key(KEY)
        .basic_auth(USER, PASSWORD)
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .expect("valid");
    let debug = format!("{builder:?} {client:?}");
    assert!(!debug.contains(KEY) && !debug.contains(PASSWORD) && !debug.contains(USER), "{debug}");
    // Port 9 (discard) refuses the connection; the key sent in the query must not be in the error.
    let error = client.auth().get_auth_query().await.expect_err("nothing listens");
    let text = format!("{error} {error:?} {:?}", std::error::Error::source(&error));
    assert!(!text.contains(KEY), "{text}");
}

/// `from_env` is checked in a child process, since changing this process's environment is unsafe.
#[test]
fn from_env_reads_username_and_password() {
    if std::env::var_os("ZOO_TEST_FROM_ENV_CHILD").is_some() {
        let debug = format!("{:?}", Client::builder().from_env().expect("nothing is required"));
        assert!(debug.contains("basic_auth: Some(([redacted], [redacted]))"), "{debug}");
        assert!(debug.contains("api_key: Some([redacted])"), "{debug}");
        return;
    }
    tests::run_child_test("from_env_reads_username_and_password", |child| {
        child
            .env("ZOO_TEST_FROM_ENV_CHILD", "1")
            .env("ZOO_USERNAME", USER)
            .env("ZOO_PASSWORD", PASSWORD)
            .env("ZOO_API_KEY", KEY);
    });
}
