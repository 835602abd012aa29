//! Pagination memory does not grow with the number of pages: the peak bytes live while
//! streaming 100 pages stay within 25 % of the peak for 10 pages (bytes, not time: this is
//! measured, not benchmarked).

use futures_util::TryStreamExt;
use revox::{Client, GetRowsParams};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[global_allocator]
static ALLOCATOR: bench::alloc::Counting = bench::alloc::Counting::new();

async fn server(pages: u64) -> MockServer {
    let server = MockServer::builder().disable_request_recording().start().await;
    let total = pages * 100;
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let page = request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok());
            ResponseTemplate::new(200)
                .set_body_raw(bench::synthetic::page(page.unwrap_or(0), 100, total, 7), "application/json")
        })
        .mount(&server)
        .await;
    server
}

/// Peak bytes live while streaming every row of `pages` pages.
async fn peak(pages: u64) -> (u64, usize) {
    let server = server(pages).await;
    let client = Client::builder().api_key("memory").base_url(server.uri()).build().expect("client");
    let rows = client.campaigns().get_rows_all("cmp", GetRowsParams::new(0.0, 100.0));
    ALLOCATOR.reset_peak();
    let base = ALLOCATOR.live();
    let count = rows.try_fold(0u64, |n, _row| async move { Ok(n + 1) }).await.expect("every row");
    (count, ALLOCATOR.peak() - base)
}

#[tokio::test(flavor = "current_thread")]
async fn memory_is_flat_in_the_number_of_pages() {
    let (rows_10, peak_10) = peak(10).await;
    let (rows_100, peak_100) = peak(100).await;
    assert_eq!((rows_10, rows_100), (1000, 10_000));
    eprintln!("peak bytes while streaming: 10 pages {peak_10}, 100 pages {peak_100}");
    assert!(peak_100 < peak_10 + peak_10 / 4, "10 pages: {peak_10} B, 100 pages: {peak_100} B");
}
