//! The generated client against a real HTTP server on loopback (wiremock): requests on the wire,
//! errors, retries, timeouts and pagination.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use revox::types::RowsResult;
use revox::{Client, Error, GetRowsParams};
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
    let params = GetRowsParams::new(2.0, 50.0).result(RowsResult::IosScreeningFilter).query("Zoë & co");
    let page = client(&server).campaigns().get_rows("cmp_123", params).await.expect("success");
    assert_eq!(page.rows.len(), 1);

    let sent = &requests(&server).await[0];
    assert_eq!(sent.url.query(), Some("page=2&page_size=50&query=Zo%C3%AB+%26+co&result=ios-screening-filter"));
    let header = |name: &str| sent.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("authorization"), format!("Bearer {KEY}"));
    assert_eq!(header("user-agent"), concat!("revox/", env!("CARGO_PKG_VERSION")));
    assert_eq!(header("accept"), "application/json");
}

#[tokio::test]
async fn optional_parameters_are_omitted_and_whole_numbers_have_no_fraction() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json_body(read_fixture("responses/seed.json"))).mount(&server).await;
    client(&server).campaigns().get_rows("c", GetRowsParams::new(0, 25.5)).await.expect("success");
    assert_eq!(requests(&server).await[0].url.query(), Some("page=0&page_size=25.5"));
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
        client.campaigns().get_rows(id, GetRowsParams::new(0, 1)).await.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let paths: Vec<String> = requests(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    let expected: Vec<String> = cases.iter().map(|(_, enc)| format!("/api/campaigns/{enc}/rows")).collect();
    assert_eq!(paths, expected);
    for id in ["", ".", ".."] {
        let error = client.campaigns().get_rows(id, GetRowsParams::new(0, 1)).await.expect_err("refused");
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
        let error = client(&server).with_max_retries(0).campaigns().get_rows("c", GetRowsParams::new(0, 1)).await;
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
    let error = client(&server).campaigns().get_rows("c", GetRowsParams::new(0, 1)).await.expect_err("bad body");
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
        let error = client(&server).campaigns().get_rows("c", GetRowsParams::new(0, 1)).await.expect_err("bad");
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
    client(&server).campaigns().get_rows("c", GetRowsParams::new(0, 1)).await.expect("what the API sent decodes");
}

/// Answers `failure` once, then the seed page; returns how long the call took, after checking
/// that it succeeded on its second attempt.
async fn fails_once_with(failure: ResponseTemplate) -> Duration {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(failure).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(json_body(read_fixture("responses/seed.json"))).mount(&server).await;
    let started = Instant::now();
    client(&server).campaigns().get_rows("c", GetRowsParams::new(0, 1)).await.expect("retried");
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
    let error = client(&server).with_max_retries(3).campaigns().get_rows("c", GetRowsParams::new(0, 1)).await;
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
        let _ = client.campaigns().get_rows(id, GetRowsParams::new(0, 1)).await.expect_err("an error status");
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
    let error = slow.campaigns().get_rows("c", GetRowsParams::new(0, 1)).await.expect_err("times out");
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
    let error = client.campaigns().get_rows("c", GetRowsParams::new(0, 1)).await.expect_err("refused");
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(!format!("{error:?}").contains(KEY));
}

fn row(index: usize) -> Value {
    json!({"id": format!("row_{index}"), "input_data": {}, "phone_number": "+1", "row_index": index})
}

/// The `page` query parameter of a request (0 when absent).
fn page_of(request: &Request) -> usize {
    request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or_default()
}

/// A server with `total` rows in pages of `size`, answering `page` from the query; `lie` replaces
/// the reported total.
fn paged(total: usize, size: usize, lie: Option<usize>) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let page = page_of(request);
        let rows: Vec<Value> = (page * size..((page + 1) * size).min(total)).map(row).collect();
        json_body(json!({"page": page, "page_size": size, "rows": rows, "total": lie.unwrap_or(total)}).to_string())
    }
}

async fn all_rows(server: &MockServer, start: f64) -> Vec<String> {
    let stream = client(server).campaigns().get_rows_all("c", GetRowsParams::new(start, 4.0));
    let rows = tokio::time::timeout(Duration::from_secs(10), stream.try_collect::<Vec<_>>()).await;
    rows.expect("the stream ends").expect("no error").into_iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn pagination_walks_every_page_and_stops_at_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, None)).mount(&server).await;
    let ids = all_rows(&server, 0.0).await;
    assert_eq!(ids, (0..10).map(|i| format!("row_{i}")).collect::<Vec<_>>());
    assert_eq!(requests(&server).await.len(), 3, "no request after the total was seen");
    let pages: Vec<String> =
        requests(&server).await.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
    assert_eq!(pages, ["page=0&page_size=4", "page=1&page_size=4", "page=2&page_size=4"]);
}

#[tokio::test]
async fn pagination_starts_at_the_callers_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, None)).mount(&server).await;
    assert_eq!(all_rows(&server, 1.0).await.len(), 6);
}

#[tokio::test]
async fn pagination_survives_a_server_that_lies_about_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, Some(1_000_000))).mount(&server).await;
    assert_eq!(all_rows(&server, 0.0).await.len(), 10, "ends on the empty page");
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, Some(5))).mount(&server).await;
    assert_eq!(all_rows(&server, 0.0).await.len(), 8, "ends once the reported total is seen");
}

/// The stream as it ends: the ids it yielded, and the error that ended it, if any.
async fn rows_until_the_end(server: &MockServer, max_pages: Option<u64>) -> (Vec<String>, Option<revox::Error>) {
    let mut pages = client(server).campaigns().get_rows_pages("c", GetRowsParams::new(0, 4));
    if let Some(max) = max_pages {
        pages = pages.max_pages(max);
    }
    let mut items = pages.items();
    let mut ids = Vec::new();
    let outcome = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match items.try_next().await {
                Ok(Some(row)) => ids.push(row.id),
                Ok(None) => return None,
                Err(error) => return Some(error),
            }
        }
    });
    let error = outcome.await.expect("the stream ends");
    assert!(matches!(items.try_next().await, Ok(None)), "nothing after the end");
    (ids, error)
}

#[tokio::test]
async fn a_server_that_repeats_a_page_is_an_error_not_a_quiet_end() {
    let server = MockServer::start().await;
    let body = json!({"page": 0, "page_size": 4, "rows": [row(0), row(1)], "total": 1_000_000}).to_string();
    Mock::given(method("GET")).respond_with(json_body(body)).mount(&server).await;
    let (ids, error) = rows_until_the_end(&server, None).await;
    assert_eq!(ids, ["row_0", "row_1"]);
    let error = error.expect("an error");
    assert_eq!(error.kind(), revox::ErrorKind::Pagination);
    assert!(error.to_string().contains("same items as page 0"), "{error}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_server_alternating_two_pages_is_stopped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let page = page_of(request);
            let rows = if page.is_multiple_of(2) { [row(0), row(1)] } else { [row(2), row(3)] };
            json_body(json!({"page": page, "page_size": 2, "rows": rows, "total": 1e18}).to_string())
        })
        .mount(&server)
        .await;
    let (ids, error) = rows_until_the_end(&server, None).await;
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(error.expect("an error").to_string().contains("page 2 of the stream has the same items as page 0"));
}

/// A page that merely starts with the previous page's first row (rows moved between requests)
/// is a new page: the stream goes on.
#[tokio::test]
async fn a_page_that_shares_its_first_row_with_the_last_one_goes_on() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let page = page_of(request);
            let rows: Vec<Value> = match page {
                0 => vec![row(0), row(1), row(2)],
                1 => vec![row(0), row(3), row(4)],
                _ => vec![],
            };
            json_body(json!({"page": page, "page_size": 3, "rows": rows, "total": 100}).to_string())
        })
        .mount(&server)
        .await;
    let (ids, error) = rows_until_the_end(&server, None).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["row_0", "row_1", "row_2", "row_0", "row_3", "row_4"]);
}

#[tokio::test]
async fn a_stream_that_never_ends_stops_at_its_page_cap_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(1_000, 4, None)).mount(&server).await;
    let (ids, error) = rows_until_the_end(&server, Some(3)).await;
    assert_eq!(ids.len(), 12);
    let error = error.expect("an error");
    assert!(error.to_string().contains("fetched 3 pages (12 items) and did not end"), "{error}");
    assert_eq!(requests(&server).await.len(), 3, "no request beyond the cap");
}

#[tokio::test]
async fn pagination_yields_an_error_once_and_ends() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let mut pages = client(&server).campaigns().get_rows_pages("c", GetRowsParams::new(0.0, 4.0));
    assert!(pages.try_next().await.is_err());
    assert!(matches!(pages.try_next().await, Ok(None)));
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
    let exe = std::env::current_exe().expect("test binary");
    let run = |key: Option<&str>| {
        let mut command = std::process::Command::new(&exe);
        command.args(["--exact", "from_env_reads_the_key_and_base_url", "--quiet"]);
        command.env("REVOX_TEST_FROM_ENV_CHILD", "1").env("REVOX_BASE_URL", "http://127.0.0.1:9/v2");
        match key {
            Some(key) => command.env("REVOX_API_KEY", key),
            None => command.env_remove("REVOX_API_KEY"),
        };
        let output = command.output().expect("child runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
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

    let page = client.campaigns().get_rows("small", GetRowsParams::new(0, 1)).await.expect("kept");
    assert_eq!(page.additional_properties["zz"], json!([1, 2, {"a": "b"}]));
    let error = client.campaigns().get_rows("big", GetRowsParams::new(0, 1)).await.expect_err("too costly");
    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert!(decode.path.starts_with("zz["), "the path into the unknown property: {error}");
    assert!(decode.message.contains("more memory than the body's size plus 8 MiB"), "{error}");
}
