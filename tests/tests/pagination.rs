//! The runtime's page streams against a real HTTP server on loopback (wiremock): every page
//! walked, the reported total, and the servers that would make a stream run forever.
//!
//! No operation of the Revox API pages since 0.5.0 (`GET /campaigns/{id}/rows` answers every row
//! at once), so these run over the zoo's paged operation, `keepers.list_by_enclosure`
//! (`x-pagination`: `page` numbers pages, `keepers` holds the items, `count` the total).

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::time::Duration;

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use zoo::{Client, ListByEnclosureParams};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("zoo_key")
        .base_url(server.uri())
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

fn row(index: usize) -> Value {
    json!({"name": format!("row_{index}")})
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
        json_body(json!({"keepers": rows, "count": lie.unwrap_or(total)}).to_string())
    }
}

async fn all_rows(server: &MockServer, start: u128) -> Vec<String> {
    let stream = client(server).keepers().list_by_enclosure_all("e", "p", 1, ListByEnclosureParams::new(start));
    let rows = tokio::time::timeout(Duration::from_secs(10), stream.try_collect::<Vec<_>>()).await;
    rows.expect("the stream ends").expect("no error").into_iter().map(|r| r.name).collect()
}

#[tokio::test]
async fn pagination_walks_every_page_and_stops_at_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, None)).mount(&server).await;
    let ids = all_rows(&server, 0).await;
    assert_eq!(ids, (0..10).map(|i| format!("row_{i}")).collect::<Vec<_>>());
    assert_eq!(requests(&server).await.len(), 3, "no request after the total was seen");
    let pages: Vec<String> =
        requests(&server).await.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
    assert_eq!(pages, ["page=0", "page=1", "page=2"]);
}

#[tokio::test]
async fn pagination_starts_at_the_callers_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, None)).mount(&server).await;
    assert_eq!(all_rows(&server, 1).await.len(), 6);
}

#[tokio::test]
async fn pagination_survives_a_server_that_lies_about_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, Some(1_000_000))).mount(&server).await;
    assert_eq!(all_rows(&server, 0).await.len(), 10, "ends on the empty page");
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(paged(10, 4, Some(5))).mount(&server).await;
    assert_eq!(all_rows(&server, 0).await.len(), 8, "ends once the reported total is seen");
}

/// The stream as it ends: the ids it yielded, and the error that ended it, if any.
async fn rows_until_the_end(server: &MockServer, max_pages: Option<u64>) -> (Vec<String>, Option<zoo::Error>) {
    let mut pages = client(server).keepers().list_by_enclosure_pages("e", "p", 1, ListByEnclosureParams::new(0));
    if let Some(max) = max_pages {
        pages = pages.max_pages(max);
    }
    let mut items = pages.items();
    let mut ids = Vec::new();
    let outcome = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match items.try_next().await {
                Ok(Some(row)) => ids.push(row.name),
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
    let body = json!({"keepers": [row(0), row(1)], "count": 1_000_000}).to_string();
    Mock::given(method("GET")).respond_with(json_body(body)).mount(&server).await;
    let (ids, error) = rows_until_the_end(&server, None).await;
    assert_eq!(ids, ["row_0", "row_1"]);
    let error = error.expect("an error");
    assert_eq!(error.kind(), zoo::ErrorKind::Pagination);
    assert!(error.to_string().contains("same items as page 0"), "{error}");
    assert_eq!(requests(&server).await.len(), 2);
}

/// A repeated page is told by its items as sent, whatever else the body says: a server that
/// ignores the page it is asked for but echoes it, with a new request id each time, is caught on
/// the second page.
#[tokio::test]
async fn a_repeated_page_echoing_its_number_is_still_a_repeat() {
    let server = MockServer::start().await;
    let served = std::sync::atomic::AtomicU64::new(0);
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let id = served.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let body =
                json!({"page": page_of(request), "request_id": id, "keepers": [row(0), row(1)], "count": 1_000_000});
            json_body(body.to_string())
        })
        .mount(&server)
        .await;
    let (ids, error) = rows_until_the_end(&server, None).await;
    assert_eq!(ids, ["row_0", "row_1"]);
    assert!(error.expect("an error").to_string().contains("same items as page 0"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_server_alternating_two_pages_is_stopped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let page = page_of(request);
            let rows = if page.is_multiple_of(2) { [row(0), row(1)] } else { [row(2), row(3)] };
            json_body(json!({"keepers": rows, "count": 1_000_000_000_000_000_000u64}).to_string())
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
            json_body(json!({"keepers": rows, "count": 100}).to_string())
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
    let mut pages = client(&server).keepers().list_by_enclosure_pages("e", "p", 1, ListByEnclosureParams::new(0));
    assert!(pages.try_next().await.is_err());
    assert!(matches!(pages.try_next().await, Ok(None)));
}
