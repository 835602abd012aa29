//! The loopback server the client benchmarks and the pagination memory test share.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server with `pages` pages of 100 distinct keepers (the zoo's paged operation), answering the
/// `page` query parameter (past the end: an empty page). The bodies are made up front, so that measurements see the client,
/// not the test server; it records no requests, so that its memory stays flat too.
pub async fn paged(pages: u64) -> MockServer {
    let server = MockServer::builder().disable_request_recording().start().await;
    let total = pages * 100;
    let bodies: Vec<String> = (0..=pages).map(|page| crate::synthetic::keeper_page(page, 100, total, 7)).collect();
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let page: usize =
                request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            let body = bodies.get(page).or(bodies.last()).cloned().unwrap_or_default();
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    server
}
