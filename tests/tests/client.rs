//! The generated client against a real HTTP server on loopback (wiremock): requests on the wire,
//! errors, retries and timeouts. (Pagination: `pagination.rs`, over the zoo's paged operation,
//! since no operation of the Revox API pages.)

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::time::{Duration, Instant};

use revox::types::{CampaignUpdateParams, VoicesRetrieveProvider};
use revox::{Client, Error, VoicesRetrieveParams};
use serde_json::{Value, json};
use tests::read_fixture;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_secret_4f9a";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/api", server.uri()))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("valid configuration")
}

fn json_body(text: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text.into(), "application/json")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

#[tokio::test]
async fn sends_method_path_query_and_headers_exactly() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/campaigns/cmp_123/rows"))
        .respond_with(json_body(read_fixture("responses/seed.json")))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server).campaigns().get_rows("cmp_123").await.expect("success");
    assert_eq!(page.rows.len(), 1);

    let sent = &requests(&server).await[0];
    assert_eq!(sent.url.query(), None, "`get_rows` takes no query parameter since 0.5.0");
    let header = |name: &str| sent.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("authorization"), format!("Bearer {KEY}"));
    assert_eq!(header("user-agent"), concat!("revox/", env!("CARGO_PKG_VERSION")));
    assert_eq!(header("accept"), "application/json");
}

#[tokio::test]
async fn query_parameters_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/voices/v%201"))
        .respond_with(json_body(r#"{"voice": {"id": "v 1", "name": "Léa"}}"#))
        .mount(&server)
        .await;
    let params = VoicesRetrieveParams::new(VoicesRetrieveProvider::Elevenlabs);
    let voice = client(&server).voices().retrieve("v 1", params).await.expect("success").voice;
    assert_eq!((voice.name.as_str(), &voice.description), ("Léa", &None));
    assert_eq!(requests(&server).await[0].url.query(), Some("provider=elevenlabs"));
}

/// A PATCH body sends what is set, `null` where the caller says so, and leaves the rest out.
#[tokio::test]
async fn unset_body_fields_are_omitted_and_null_ones_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/campaigns/cmp_1"))
        .respond_with(json_body(
            json!({"campaign": {
                "id": "cmp_1", "assistant_id": "a", "created_at": "2026-01-01T00:00:00Z", "is_cancelled": false,
                "name": "n", "organization_id": "o", "status": "paused", "updated_at": "2026-01-01T00:00:00Z"
            }})
            .to_string(),
        ))
        .mount(&server)
        .await;
    let mut update = CampaignUpdateParams::default();
    update.name = Some("n".to_owned());
    update.max_concurrent_calls = Some(None);
    let campaign = client(&server).campaigns().update("cmp_1", &update).await.expect("success").campaign;
    assert_eq!(campaign.status.as_str(), "paused");
    let sent = &requests(&server).await[0];
    assert_eq!(String::from_utf8_lossy(&sent.body), r#"{"max_concurrent_calls":null,"name":"n"}"#);
    let header = sent.headers.get("content-type").and_then(|v| v.to_str().ok());
    assert_eq!(header, Some("application/json"));
}

#[tokio::test]
async fn hostile_ids_never_change_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json_body(read_fixture("responses/seed.json"))).mount(&server).await;
    let client = client(&server);
    let cases = [
        ("a/b", "a%2Fb"),
        ("a?b=1", "a%3Fb%3D1"),
        ("a#frag", "a%23frag"),
        ("100%", "100%25"),
        ("%2F", "%252F"),
        ("../admin", "..%2Fadmin"),
        ("a b", "a%20b"),
        ("ünïcødé", "%C3%BCn%C3%AFc%C3%B8d%C3%A9"),
        ("...", "..."),
    ];
    for (id, _) in cases {
        client.campaigns().get_rows(id).await.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let paths: Vec<String> = requests(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    let expected: Vec<String> = cases.iter().map(|(_, enc)| format!("/api/campaigns/{enc}/rows")).collect();
    assert_eq!(paths, expected);
    for id in ["", ".", ".."] {
        let error = client.campaigns().get_rows(id).await.expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest(_)), "{id:?}: {error}");
    }
    assert_eq!(requests(&server).await.len(), cases.len(), "refused ids send nothing");
}

#[tokio::test]
async fn error_statuses_become_api_errors_with_the_body() {
    for status in [400u16, 401, 404, 422, 500] {
        let server = MockServer::start().await;
        let body = json!({"error": {"message": format!("status {status}")}});
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(&body).insert_header("x-request-id", "req_42"))
            .mount(&server)
            .await;
        let error = client(&server).with_max_retries(0).campaigns().get_rows("c").await;
        let error = error.expect_err("an error status");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.request_id(), Some("req_42"));
        let Error::Api(api) = &error else { panic!("{status}: {error:?}") };
        assert_eq!(api.json().as_ref(), Some(&body));
        assert!(error.to_string().contains(&format!("status {status}")), "{error}");
        assert_eq!(error.is_retryable(), status == 500);
        assert!(!format!("{error:?}{error}").contains(KEY), "the key leaked into an error");
    }
}

#[tokio::test]
async fn bodies_that_do_not_decode_are_decode_errors_with_a_path() {
    let server = MockServer::start().await;
    let mut value: Value = serde_json::from_str(&read_fixture("responses/realistic.json")).expect("JSON");
    value["rows"][2]["call"]["status"] = json!(3);
    Mock::given(method("GET")).respond_with(json_body(value.to_string())).mount(&server).await;
    let error = client(&server).campaigns().get_rows("c").await.expect_err("bad body");
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "rows[2].call.status");
    assert_eq!(decode.status.map(|s| s.as_u16()), Some(200));
    assert_eq!(decode.body, value.to_string());
    assert_eq!(requests(&server).await.len(), 1, "decode errors are not retried");
}

#[tokio::test]
async fn malformed_json_a_wrong_content_type_and_an_empty_body_are_clear_errors() {
    let cases = [
        (ResponseTemplate::new(200).set_body_raw("{\"page\": 0, ", "application/json"), "EOF"),
        (
            ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"),
            "the content type is `text/html`",
        ),
        (ResponseTemplate::new(200).set_body_raw("", "application/json"), "the body is empty"),
    ];
    for (response, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(response).mount(&server).await;
        let error = client(&server).campaigns().get_rows("c").await.expect_err("bad");
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
        assert!(error.to_string().contains(expected), "{error}");
    }
}

#[tokio::test]
async fn json_under_a_wrong_content_type_still_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(read_fixture("responses/seed.json"), "text/plain"))
        .mount(&server)
        .await;
    client(&server).campaigns().get_rows("c").await.expect("what the API sent decodes");
}

/// Answers `failure` once, then the seed page; returns how long the call took, after checking
/// that it succeeded on its second attempt.
async fn fails_once_with(failure: ResponseTemplate) -> Duration {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(failure).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(json_body(read_fixture("responses/seed.json"))).mount(&server).await;
    let started = Instant::now();
    client(&server).campaigns().get_rows("c").await.expect("retried");
    let elapsed = started.elapsed();
    assert_eq!(requests(&server).await.len(), 2);
    elapsed
}

#[tokio::test]
async fn a_429_then_200_succeeds() {
    fails_once_with(ResponseTemplate::new(429)).await;
}

#[tokio::test]
async fn retry_after_is_honoured() {
    for (header, value, at_least) in [("retry-after", "1", 1000), ("retry-after-ms", "300", 300)] {
        let elapsed = fails_once_with(ResponseTemplate::new(503).insert_header(header, value)).await;
        assert!(elapsed >= Duration::from_millis(at_least), "{header}: {elapsed:?}");
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let elapsed = fails_once_with(ResponseTemplate::new(429).insert_header("retry-after", at.as_str())).await;
    // HTTP dates have a one-second resolution, so the wait is at least one second.
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_60_seconds_falls_back_to_the_backoff() {
    let elapsed = fails_once_with(ResponseTemplate::new(429).insert_header("retry-after", "3600")).await;
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn persistent_500s_give_up_after_exactly_max_plus_one_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500).set_body_string("boom")).mount(&server).await;
    let error = client(&server).with_max_retries(3).campaigns().get_rows("c").await;
    assert_eq!(error.expect_err("gives up").body(), Some("boom"));
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn client_errors_are_not_retried_unless_the_server_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/campaigns/missing/rows"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/campaigns/busy/rows"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/campaigns/retry/rows"))
        .respond_with(ResponseTemplate::new(400).insert_header("x-should-retry", "true"))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["missing", "busy", "retry"] {
        let _ = client.campaigns().get_rows(id).await.expect_err("an error status");
    }
    let sent = requests(&server).await;
    let count = |id: &str| sent.iter().filter(|r| r.url.path().contains(&format!("/{id}/"))).count();
    assert_eq!(count("missing"), 1);
    assert_eq!(count("busy"), 1);
    assert_eq!(count("retry"), 3);
}

#[tokio::test]
async fn the_timeout_fires_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_body(read_fixture("responses/seed.json")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let slow = client(&server).with_timeout(Duration::from_millis(200)).with_max_retries(1);
    let started = Instant::now();
    let error = slow.campaigns().get_rows("c").await.expect_err("times out");
    assert!(error.is_timeout() && error.is_retryable(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert_eq!(requests(&server).await.len(), 2, "one retry after the first timeout");
}

#[tokio::test]
async fn connection_errors_are_reported_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://{address}"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("valid");
    let error = client.campaigns().get_rows("c").await.expect_err("refused");
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(!format!("{error:?}").contains(KEY));
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let client = Client::new(KEY).expect("valid");
    let debug = format!("{client:?} {:?}", Client::builder().api_key(KEY));
    assert!(!debug.contains(KEY), "{debug}");
    assert!(debug.contains("[redacted]"));
}

#[test]
fn bad_configuration_is_an_invalid_request() {
    for base_url in ["not a url", "ftp://example.com", "mailto:someone@example.com"] {
        let error = Client::builder().api_key(KEY).base_url(base_url).build().expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest(_)), "{base_url}: {error:?}");
    }
    let error = Client::builder().build().expect_err("no key");
    assert!(error.to_string().contains("REVOX_API_KEY"), "{error}");
    let error = Client::builder().api_key(KEY).default_header("bad header", "x").build().expect_err("bad header");
    assert!(matches!(error, Error::InvalidRequest(_)));
    assert_eq!(Client::new(KEY).expect("valid").base_url(), "https://www.getrevox.com/api");
}

/// `from_env` is checked in a child process, since changing this process's environment is unsafe.
#[test]
fn from_env_reads_the_key_and_base_url() {
    if std::env::var_os("REVOX_TEST_FROM_ENV_CHILD").is_some() {
        let result = Client::from_env();
        match std::env::var("REVOX_API_KEY") {
            Ok(_) => assert_eq!(result.expect("configured").base_url(), "http://127.0.0.1:9/v2"),
            Err(_) => assert!(result.expect_err("no key").to_string().contains("REVOX_API_KEY is not set")),
        }
        return;
    }
    let run = |key: Option<&str>| {
        tests::run_child_test("from_env_reads_the_key_and_base_url", |command| {
            command.env("REVOX_TEST_FROM_ENV_CHILD", "1").env("REVOX_BASE_URL", "http://127.0.0.1:9/v2");
            match key {
                Some(key) => command.env("REVOX_API_KEY", key),
                None => command.env_remove("REVOX_API_KEY"),
            };
        });
    };
    run(Some(KEY));
    run(None);
}

/// Unknown properties are kept, within a memory budget of the body's size plus 8 MiB: a body
/// whose unknown array of numbers would take sixteen times its size is refused, naming it.
#[tokio::test]
async fn kept_unknown_values_are_bounded_in_memory() {
    let seed: Value = serde_json::from_str(&read_fixture("responses/seed.json")).expect("JSON");
    let with = |extra: Value| {
        let mut body = seed.clone();
        body["zz"] = extra;
        body.to_string()
    };
    let server = MockServer::start().await;
    Mock::given(path("/api/campaigns/small/rows"))
        .respond_with(json_body(with(json!([1, 2, {"a": "b"}]))))
        .mount(&server)
        .await;
    // 2 Mi zeros: 4 MiB of text, 64 MiB as `serde_json::Value`s.
    let zeros = format!("[{}0]", "0,".repeat(2 << 20));
    let big = with(Value::Null).replace("\"zz\":null", &format!("\"zz\":{zeros}"));
    assert!(big.len() > zeros.len(), "the array is in the body");
    Mock::given(path("/api/campaigns/big/rows")).respond_with(json_body(big)).mount(&server).await;
    let client = client(&server).with_max_retries(0);

    let page = client.campaigns().get_rows("small").await.expect("kept");
    assert_eq!(page.additional_properties["zz"], json!([1, 2, {"a": "b"}]));
    let error = client.campaigns().get_rows("big").await.expect_err("too costly");
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert!(decode.path.starts_with("zz["), "the path into the unknown property: {error}");
    assert!(decode.message.contains("more memory than the body's size plus 8 MiB"), "{error}");
}
