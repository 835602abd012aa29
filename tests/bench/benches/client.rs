//! The client's overhead over a raw `reqwest` GET on the same loopback server, and pagination
//! throughput.
//!
//! `cargo bench -p bench --bench client`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::TryStreamExt;
use revox::Client;
use revox::types::CampaignGetRowsResponse;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime")
}

fn client_overhead(c: &mut Criterion) {
    let rt = runtime();
    let body = bench::synthetic::single_page(1000);
    let server = rt.block_on(async {
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .mount(&server)
            .await;
        server
    });
    let base = format!("{}/api", server.uri());
    let client = Client::builder().api_key("bench").base_url(&base).build().expect("client");
    let raw = reqwest::Client::new();
    let url = format!("{base}/campaigns/cmp_123/rows");

    let mut group = c.benchmark_group("client");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("revox get_rows", |b| {
        b.to_async(&rt).iter(|| async { client.campaigns().get_rows(black_box("cmp_123")).await.expect("ok") })
    });
    group.bench_function("reqwest GET + serde_json::from_slice", |b| {
        b.to_async(&rt).iter(|| async {
            let response = raw.get(black_box(&url)).bearer_auth("bench").send().await.expect("sent");
            let bytes = response.bytes().await.expect("body");
            serde_json::from_slice::<CampaignGetRowsResponse>(&bytes).expect("decodes")
        })
    });
    group.finish();
}

/// No operation of the Revox API pages since 0.5.0: the zoo's paged operation, with keepers the
/// size of a campaign row.
fn pagination(c: &mut Criterion) {
    let rt = runtime();
    let server = rt.block_on(bench::server::paged(100));
    let client = zoo::Client::builder().api_key("bench").base_url(server.uri()).build().expect("client");
    let mut group = c.benchmark_group("pagination");
    group.throughput(Throughput::Elements(100 * 100));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("list_by_enclosure_all, 100 pages of 100 keepers", |b| {
        b.to_async(&rt).iter(|| async {
            let rows = client.keepers().list_by_enclosure_all("e", "p", 1, zoo::ListByEnclosureParams::new(0));
            rows.try_fold(0u64, |n, _| async move { Ok(n + 1) }).await.expect("every row")
        })
    });
    let raw = reqwest::Client::new();
    let base = server.uri();
    group.bench_function("reqwest + serde_json, the same 100 pages in a loop", |b| {
        b.to_async(&rt).iter(|| async {
            let mut rows = 0u64;
            for page in 0..100 {
                let url = format!("{base}/enclosures/e/keepers/p/1?page={page}");
                let response = raw.get(&url).bearer_auth("bench").send().await.expect("sent");
                let bytes = response.bytes().await.expect("body");
                rows += serde_json::from_slice::<zoo::types::KeeperPage>(&bytes).expect("decodes").keepers.len() as u64;
            }
            rows
        })
    });
    group.finish();
}

criterion_group!(benches, client_overhead, pagination);
criterion_main!(benches);
