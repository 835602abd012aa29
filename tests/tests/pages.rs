//! Every pagination scheme on the wire: the `pages` fixture crate (generated from a document
//! with no pagination extension, so every stream here was detected) against loopback servers
//! (wiremock) that page the way the real APIs do. Each test checks every item in order, one
//! request per page, and the caller's parameters on every request.

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::num::NonZeroU64;
use std::time::Duration;

use futures_util::TryStreamExt;
use pages::{
    Client, ErrorKind, ListBooksParams, ListCallParams, ListCustomersParams, ListEventsParams, ListIssuesParams,
    ListNamespacedPodParams, ListOrdersParams,
};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("secret_token")
        .base_url(server.uri())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("valid configuration")
}

fn json_body(value: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(value.to_string(), "application/json")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// A query parameter of a request.
fn param(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Every request's value of `name` (`-` when absent).
async fn sent(server: &MockServer, name: &str) -> Vec<String> {
    requests(server).await.iter().map(|r| param(r, name).unwrap_or_else(|| "-".to_owned())).collect()
}

/// The stream's items, within a time limit so that a stream that never ends fails the test.
async fn collect<T>(stream: impl futures_util::Stream<Item = Result<T, pages::Error>>) -> Result<Vec<T>, pages::Error> {
    tokio::time::timeout(Duration::from_secs(10), stream.try_collect::<Vec<_>>()).await.expect("the stream ends")
}

#[tokio::test]
async fn stripe_cursor_is_the_last_items_id_until_has_more_is_false() {
    let server = MockServer::start().await;
    let ids: Vec<String> = (0..7).map(|i| format!("cus_{i}")).collect();
    let all = ids.clone();
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let limit: usize = param(request, "limit").and_then(|l| l.parse().ok()).unwrap_or(10);
            let start = match param(request, "starting_after") {
                Some(after) => all.iter().position(|id| *id == after).map_or(all.len(), |i| i + 1),
                None => 0,
            };
            let end = (start + limit).min(all.len());
            let data: Vec<Value> = all[start..end].iter().map(|id| json!({"id": id, "object": "customer"})).collect();
            json_body(&json!({"object": "list", "data": data, "has_more": end < all.len(), "url": "/v1/customers"}))
        })
        .mount(&server)
        .await;
    let params = ListCustomersParams::new().limit(NonZeroU64::new(3).expect("not zero")).email("a@b.test");
    let customers = collect(client(&server).customers().list_customers_all(params)).await.expect("no error");
    assert_eq!(customers.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), ids);
    assert_eq!(sent(&server, "starting_after").await, ["-", "cus_2", "cus_5"], "one request per page");
    assert_eq!(sent(&server, "limit").await, ["3", "3", "3"]);
    assert_eq!(sent(&server, "email").await, ["a@b.test", "a@b.test", "a@b.test"]);
    for request in requests(&server).await {
        let auth = request.headers.get("authorization").and_then(|v| v.to_str().ok());
        assert_eq!(auth, Some("Bearer secret_token"));
    }
}

/// A GitHub-like server: the first request at `/repos/o/r/issues`, the next pages at the
/// repository's id path, as GitHub's `Link` header sends them, absolute.
fn github(base: String, total: usize) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let per_page: usize = param(request, "per_page").and_then(|p| p.parse().ok()).unwrap_or(30);
        let page: usize = param(request, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
        let state = param(request, "state").unwrap_or_default();
        let last = total.div_ceil(per_page);
        let issues: Vec<Value> = ((page - 1) * per_page..(page * per_page).min(total))
            .map(|i| json!({"id": 1000 + i, "number": i + 1, "title": format!("issue {i}")}))
            .collect();
        let link = |page: usize, rel: &str| {
            format!("<{base}/repositories/42/issues?state={state}&per_page={per_page}&page={page}>; rel=\"{rel}\"")
        };
        let mut links = Vec::new();
        if page > 1 {
            links.push(link(page - 1, "prev"));
        }
        if page < last {
            links.push(link(page + 1, "next"));
            links.push(link(last, "last"));
        }
        let mut response = json_body(&Value::Array(issues));
        if !links.is_empty() {
            response = response.insert_header("link", links.join(", ").as_str());
        }
        response
    }
}

#[tokio::test]
async fn github_next_page_is_the_link_headers_rel_next() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(github(server.uri(), 5)).mount(&server).await;
    let params = ListIssuesParams::new().state(pages::types::ListIssuesState::Open).per_page(2);
    let issues = collect(client(&server).issues().list_issues_all("o", "r", params)).await.expect("no error");
    assert_eq!(issues.iter().map(|i| i.number).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let paths: Vec<String> = requests(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/repos/o/r/issues", "/repositories/42/issues", "/repositories/42/issues"]);
    assert_eq!(sent(&server, "page").await, ["-", "2", "3"]);
    assert_eq!(sent(&server, "per_page").await, ["2", "2", "2"]);
    assert_eq!(sent(&server, "state").await, ["open", "open", "open"]);
    for request in requests(&server).await {
        assert!(request.headers.get("authorization").is_some(), "same origin: the credentials go along");
    }
}

#[tokio::test]
async fn a_next_url_on_another_origin_is_an_error_and_is_never_requested() {
    let (server, elsewhere) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET")).respond_with(github(elsewhere.uri(), 5)).mount(&server).await;
    Mock::given(method("GET")).respond_with(github(elsewhere.uri(), 5)).mount(&elsewhere).await;
    let params = ListIssuesParams::new().per_page(2);
    let mut issues = client(&server).issues().list_issues_all("o", "r", params);
    let mut seen = Vec::new();
    let error = loop {
        match issues.try_next().await {
            Ok(Some(issue)) => seen.push(issue.number),
            Ok(None) => panic!("the stream ended without following the link"),
            Err(error) => break error,
        }
    };
    assert_eq!(seen, [1, 2], "the first page's items come before the error");
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(error.to_string().contains("another origin"), "{error}");
    assert!(requests(&elsewhere).await.is_empty(), "no request, so no credential, went to the other origin");
    assert_eq!(issues.try_next().await.expect("the stream ended"), None);
}

#[tokio::test]
async fn google_page_token_continues_past_an_empty_page_until_no_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            // Google may answer a page with no items and a token: the list goes on.
            let body = match param(request, "pageToken").as_deref() {
                None => json!({"books": [{"name": "b0"}, {"name": "b1"}], "nextPageToken": "t1"}),
                Some("t1") => json!({"nextPageToken": "t2"}),
                Some("t2") => json!({"books": [{"name": "b2"}], "nextPageToken": ""}),
                Some(other) => panic!("unexpected token {other}"),
            };
            json_body(&body)
        })
        .mount(&server)
        .await;
    let params = ListBooksParams::new().page_size(2).filter("genre=sf");
    let books = collect(client(&server).books().list_books_all("p", params)).await.expect("no error");
    assert_eq!(books.iter().map(|b| b.name.clone().unwrap_or_default()).collect::<Vec<_>>(), ["b0", "b1", "b2"]);
    assert_eq!(sent(&server, "pageToken").await, ["-", "t1", "t2"]);
    assert_eq!(sent(&server, "pageSize").await, ["2", "2", "2"]);
    assert_eq!(sent(&server, "filter").await, ["genre=sf", "genre=sf", "genre=sf"]);
}

#[tokio::test]
async fn kubernetes_continue_comes_from_the_list_metadata() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let pod = |name: &str| json!({"metadata": {"name": name, "namespace": "default"}});
            let body = match param(request, "continue").as_deref() {
                None => json!({"kind": "PodList", "items": [pod("a"), pod("b")], "metadata": {"continue": "eyJ2IjoxfQ", "remainingItemCount": 3}}),
                Some("eyJ2IjoxfQ") => json!({"kind": "PodList", "items": [pod("c"), pod("d")], "metadata": {"continue": "eyJ2IjoyfQ", "remainingItemCount": 1}}),
                Some("eyJ2IjoyfQ") => json!({"kind": "PodList", "items": [pod("e")], "metadata": {"resourceVersion": "9"}}),
                Some(other) => panic!("unexpected continue token {other}"),
            };
            json_body(&body)
        })
        .mount(&server)
        .await;
    let params = ListNamespacedPodParams::new().limit(2).label_selector("app=web");
    let pods = collect(client(&server).pods().list_namespaced_pod_all("default", params)).await.expect("no error");
    let names: Vec<String> =
        pods.iter().map(|p| p.metadata.as_ref().and_then(|m| m.name.clone()).unwrap_or_default()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(sent(&server, "continue").await, ["-", "eyJ2IjoxfQ", "eyJ2IjoyfQ"]);
    assert_eq!(sent(&server, "limit").await, ["2", "2", "2"]);
    assert_eq!(sent(&server, "labelSelector").await, ["app=web", "app=web", "app=web"]);
}

#[tokio::test]
async fn twilio_next_page_uri_is_relative_to_the_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let call = |sid: &str| json!({"sid": sid, "to": "+15550100"});
            let uri = |page: u32, token: &str| {
                format!("/2010-04-01/Accounts/AC1/Calls.json?To=%2B15550100&PageSize=2&Page={page}&PageToken={token}")
            };
            let body = match param(request, "PageToken").as_deref() {
                None => json!({"calls": [call("CA0"), call("CA1")], "page": 0, "next_page_uri": uri(1, "PACA1")}),
                Some("PACA1") => {
                    json!({"calls": [call("CA2"), call("CA3")], "page": 1, "next_page_uri": uri(2, "PACA3")})
                }
                Some("PACA3") => json!({"calls": [call("CA4")], "page": 2, "next_page_uri": null}),
                Some(other) => panic!("unexpected token {other}"),
            };
            json_body(&body)
        })
        .mount(&server)
        .await;
    let params = ListCallParams::new().to("+15550100").page_size(NonZeroU64::new(2).expect("not zero"));
    let calls = collect(client(&server).calls().list_call_all("AC1", params)).await.expect("no error");
    let sids: Vec<String> = calls.iter().map(|c| c.sid.clone().unwrap_or_default()).collect();
    assert_eq!(sids, ["CA0", "CA1", "CA2", "CA3", "CA4"]);
    assert_eq!(sent(&server, "PageToken").await, ["-", "PACA1", "PACA3"]);
    assert_eq!(sent(&server, "PageSize").await, ["2", "2", "2"]);
    assert_eq!(sent(&server, "To").await, ["+15550100", "+15550100", "+15550100"]);
}

#[tokio::test]
async fn offset_moves_past_the_items_received_until_the_total() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            // The server caps the page at 3 whatever the limit asks: the offset must follow what
            // came, not what was asked.
            let offset: usize = param(request, "offset").and_then(|o| o.parse().ok()).unwrap_or(0);
            let orders: Vec<Value> = (offset..(offset + 3).min(8)).map(|i| json!({"id": i})).collect();
            json_body(&json!({"orders": orders, "total": 8}))
        })
        .mount(&server)
        .await;
    let params = ListOrdersParams::new().limit(5).status("paid");
    let orders = collect(client(&server).orders().list_orders_all(params)).await.expect("no error");
    assert_eq!(orders.iter().map(|o| o.id).collect::<Vec<_>>(), (0..8).collect::<Vec<_>>());
    assert_eq!(sent(&server, "offset").await, ["-", "3", "6"], "no request after the total was seen");
    assert_eq!(sent(&server, "limit").await, ["5", "5", "5"]);
    assert_eq!(sent(&server, "status").await, ["paid", "paid", "paid"]);
}

#[tokio::test]
// `listEvents` is deprecated in the document, and so are its streams.
#[allow(deprecated)]
async fn page_numbers_start_at_the_documented_default() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let page: usize = param(request, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let events: Vec<Value> =
                ((page - 1) * 2..(page * 2).min(5)).map(|i| json!({"id": format!("ev_{i}")})).collect();
            json_body(&json!({"events": events, "total_count": 5}))
        })
        .mount(&server)
        .await;
    let params = ListEventsParams::new().per_page(2).kind("deploy");
    let events = collect(client(&server).events().list_events_all(params)).await.expect("no error");
    assert_eq!(events.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), ["ev_0", "ev_1", "ev_2", "ev_3", "ev_4"]);
    assert_eq!(sent(&server, "page").await, ["-", "2", "3"]);
    assert_eq!(sent(&server, "per_page").await, ["2", "2", "2"]);
    assert_eq!(sent(&server, "kind").await, ["deploy", "deploy", "deploy"]);
}

#[tokio::test]
async fn a_cursor_that_repeats_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            // Distinct items on every page: only the cursor repeats.
            let name = format!("b{}", param(request, "pageToken").unwrap_or_default());
            json_body(&json!({"books": [{"name": name}], "nextPageToken": "same"}))
        })
        .mount(&server)
        .await;
    let error = collect(client(&server).books().list_books_all("p", ListBooksParams::new())).await.expect_err("a loop");
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(error.to_string().contains("same next page"), "{error}");
    assert_eq!(requests(&server).await.len(), 2, "stopped at the first repeat");
}

#[tokio::test]
async fn a_link_that_points_back_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let page = param(request, "page").unwrap_or_else(|| "1".to_owned());
            // Pages 2 and 3 point at each other.
            let next = if page == "2" { 3 } else { 2 };
            json_body(&json!([{"id": 1, "number": page.parse::<u32>().unwrap_or(1), "title": "t"}]))
                .insert_header("link", format!("<{base}/repositories/42/issues?page={next}>; rel=\"next\"").as_str())
        })
        .mount(&server)
        .await;
    let error =
        collect(client(&server).issues().list_issues_all("o", "r", ListIssuesParams::new())).await.expect_err("a loop");
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert_eq!(sent(&server, "page").await, ["-", "2", "3"], "stopped when page 3 pointed back at page 2");
}

#[tokio::test]
async fn stripe_stream_ends_on_has_more_false_even_with_items() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|_: &Request| {
            json_body(&json!({"object": "list", "data": [{"id": "cus_0", "object": "customer"}], "has_more": false, "url": "/v1/customers"}))
        })
        .mount(&server)
        .await;
    let customers =
        collect(client(&server).customers().list_customers_all(ListCustomersParams::new())).await.expect("no error");
    assert_eq!(customers.len(), 1);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_protocol_relative_next_url_to_another_host_is_refused() {
    let (server, elsewhere) = (MockServer::start().await, MockServer::start().await);
    let other = elsewhere.uri().replacen("http:", "", 1);
    Mock::given(method("GET"))
        .respond_with(move |_: &Request| {
            let next = format!("{other}/2010-04-01/Accounts/AC1/Calls.json?PageToken=PA1");
            json_body(&json!({"calls": [{"sid": "CA0"}], "next_page_uri": next}))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(json_body(&json!({"calls": []}))).mount(&elsewhere).await;
    let error =
        collect(client(&server).calls().list_call_all("AC1", ListCallParams::new())).await.expect_err("another origin");
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(requests(&elsewhere).await.is_empty(), "`//host/…` is another origin: never requested");
    assert_eq!(requests(&server).await.len(), 1);
}
