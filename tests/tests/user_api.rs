//! `revox` as a user writes against it. This crate does not depend on `reqwest` or `http`, so
//! everything here compiles with `revox`'s own public API: parameters and bodies as plain values,
//! statuses matched as numbers, the status and headers of a success, errors that count their attempts.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::time::Duration;

use revox::types::{CampaignContact, CampaignCreateParams, VoicesRetrieveProvider};
use revox::{Client, ErrorKind, VoicesRetrieveParams};
use tests::read_fixture;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("sk_test")
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("valid configuration")
}

fn page() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(read_fixture("responses/seed.json"), "application/json")
}

#[test]
fn parameters_and_bodies_serialize_as_sent() {
    let params = VoicesRetrieveParams::new(VoicesRetrieveProvider::Gradium);
    assert_eq!(serde_json::to_value(&params).expect("serializes"), serde_json::json!({"provider": "gradium"}));
    let contact = CampaignContact::new(serde_json::json!({"first_name": "Zoë"}), "+33612345678");
    let mut body = CampaignCreateParams::new("asst_1", vec![contact], "Spring");
    body.max_concurrent_calls = Some(2.0);
    body.additional_properties.insert("labels".to_owned(), serde_json::json!(["vip"]));
    assert_eq!(
        serde_json::to_value(&body).expect("serializes"),
        serde_json::json!({
            "assistant_id": "asst_1",
            "contacts": [{"prompt_variables": {"first_name": "Zoë"}, "to_phone_number": "+33612345678"}],
            "name": "Spring",
            "max_concurrent_calls": 2.0,
            "labels": ["vip"],
        }),
        "unset optional fields are left out; properties this crate does not know are sent",
    );
}

#[tokio::test]
async fn a_success_can_carry_its_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/campaigns/cmp_1/rows"))
        .respond_with(page().insert_header("x-request-id", "req_42").insert_header("x-extra", "yes"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let response = client.campaigns().get_rows("cmp_1").with_response().await.expect("ok");
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req_42"));
    assert_eq!(response.headers().get("x-extra").and_then(|v| v.to_str().ok()), Some("yes"));
    assert_eq!(response.rows.len(), 1, "the response dereferences to the page");
    let page = response.into_inner();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "one request, not two");
}

#[tokio::test]
async fn errors_are_matched_by_status_number_and_kind() {
    let server = MockServer::start().await;
    Mock::given(path("/campaigns/gone/rows"))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"error":"no campaign"}"#))
        .mount(&server)
        .await;
    Mock::given(path("/campaigns/busy/rows"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let client = client(&server.uri()).with_max_retries(0);

    let error = client.campaigns().get_rows("gone").await.expect_err("404");
    assert_eq!(error.status(), Some(404));
    assert!(error.is_not_found() && !error.is_rate_limited() && !error.is_retryable());
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.body(), Some(r#"{"error":"no campaign"}"#));

    let error = client.campaigns().get_rows("busy").await.expect_err("429");
    assert!(error.is_rate_limited() && error.is_retryable());
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(120)),
        "the server's ask, even beyond what retries honour"
    );
    match error.kind() {
        ErrorKind::NotFound => panic!("a 429 is not a 404"),
        ErrorKind::RateLimited => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn per_request_overrides_apply_to_that_request_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = client(&server.uri()).with_max_retries(3);
    let error = client.campaigns().get_rows("c").max_retries(0).await.expect_err("503");
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "no retry for this request");
    let _ = client.campaigns().get_rows("c").await.expect_err("503");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 5, "the client's own 3 retries still apply");

    let slow = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page().set_delay(Duration::from_secs(5))).mount(&slow).await;
    let error = self::client(&slow.uri())
        .campaigns()
        .get_rows("c")
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .await
        .expect_err("times out");
    assert!(error.is_timeout());
    assert_eq!(error.attempts(), Some(2));
    assert!(error.to_string().ends_with("timed out after 100ms (2 attempts)"), "{error}");
}

#[tokio::test]
async fn an_api_error_after_retries_counts_its_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).set_body_string("slow down").insert_header("x-request-id", "req_9"))
        .mount(&server)
        .await;
    let error = client(&server.uri()).with_max_retries(2).campaigns().get_rows("c").await.expect_err("429");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
    assert!(error.is_rate_limited());
    assert_eq!(error.attempts(), Some(3), "429 retried twice");
    assert_eq!(
        error.to_string(),
        "the API answered 429 Too Many Requests after 3 attempts (request id req_9): slow down"
    );

    let not_retried = client(&server.uri()).with_max_retries(0).campaigns().get_rows("c").await.expect_err("429");
    assert_eq!(not_retried.attempts(), Some(1));
    assert_eq!(not_retried.to_string(), "the API answered 429 Too Many Requests (request id req_9): slow down");
}

/// Every message of an error's chain, as `anyhow`'s `{:#}` or a `Report` prints it.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

#[tokio::test]
async fn a_connection_error_counts_its_attempts_and_says_each_cause_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = client(&format!("http://{address}")).with_max_retries(2);
    let error = client.campaigns().get_rows("c").await.expect_err("refused");
    assert!(error.is_connection() && error.kind() == ErrorKind::Connection);
    assert_eq!(error.attempts(), Some(3));
    let messages = chain(&error);
    assert!(messages[0].ends_with("could not connect (3 attempts)"), "{messages:?}");
    assert!(messages.len() >= 2, "the cause follows through `source()`: {messages:?}");
    let root = messages.last().expect("a cause");
    assert!(root.to_lowercase().contains("refused"), "{messages:?}");
    for (i, message) in messages.iter().enumerate() {
        for later in &messages[i + 1..] {
            assert!(!message.contains(later.as_str()), "{message:?} repeats its cause {later:?}");
        }
    }
}

#[tokio::test]
async fn a_decode_error_is_said_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"page": "one"}"#, "application/json"))
        .mount(&server)
        .await;
    let error = client(&server.uri()).campaigns().get_rows("c").await.expect_err("bad");
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert_eq!(chain(&error).len(), 1, "{:?}", chain(&error));
}
