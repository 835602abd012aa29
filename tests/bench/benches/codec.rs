//! Decoding, encoding and generation, each beside its peer (typify, with `--features peer-bench`)
//! and its limits, measured in the same run.
//!
//! `cargo bench -p bench --features peer-bench --bench codec`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use revox::types::CampaignGetRowsResponse;

fn decode(c: &mut Criterion) {
    let text = bench::synthetic::single_page(1000);
    let bytes = text.as_bytes();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(30);
    group.bench_function("revox::from_slice", |b| {
        b.iter(|| revox::from_slice::<CampaignGetRowsResponse>(black_box(bytes)).expect("decodes"))
    });
    group.bench_function("serde_json::from_slice::<revox>", |b| {
        b.iter(|| serde_json::from_slice::<CampaignGetRowsResponse>(black_box(bytes)).expect("decodes"))
    });
    #[cfg(feature = "peer-bench")]
    group.bench_function("serde_json::from_slice::<typify>", |b| {
        b.iter(|| serde_json::from_slice::<bench::peer::CampaignGetRowsResponse>(black_box(bytes)).expect("decodes"))
    });
    group.bench_function("serde_json::from_slice::<Value>", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(bytes)).expect("decodes"))
    });
    group.bench_function("serde_json::from_slice::<IgnoredAny>", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(bytes)).expect("parses"))
    });
    group.finish();
}

/// Encoding into a buffer that is reused (its capacity kept), so that the figures measure the
/// encoder rather than how the allocator grows a fresh 3.5 MB vector.
fn encode(c: &mut Criterion) {
    let text = bench::synthetic::single_page(1000);
    let ours: CampaignGetRowsResponse = revox::from_str(&text).expect("decodes");
    let mut group = c.benchmark_group("encode");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(30);
    let mut buffer = Vec::with_capacity(2 * text.len());
    group.bench_function("revox", |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&ours)).expect("encodes");
        })
    });
    #[cfg(feature = "peer-bench")]
    {
        let theirs: bench::peer::CampaignGetRowsResponse = serde_json::from_str(&text).expect("decodes");
        group.bench_function("typify", |b| {
            b.iter(|| {
                buffer.clear();
                serde_json::to_writer(&mut buffer, black_box(&theirs)).expect("encodes");
            })
        });
    }
    group.finish();
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(20);
    group.bench_function("codegen: models + client", |b| {
        b.iter(|| {
            let document =
                codegen::Document::parse("schema/revox.openapi.json", black_box(bench::SCHEMA)).expect("parses");
            codegen::generate(&document, &codegen::Settings::new("schema/revox.openapi.json", "REVOX"))
                .expect("generates")
        })
    });
    #[cfg(feature = "peer-bench")]
    group.bench_function("typify: models", |b| {
        b.iter(|| bench::peer_gen::typify_source(black_box(bench::SCHEMA)).expect("generates"))
    });
    group.finish();
}

criterion_group!(benches, decode, encode, generate);
criterion_main!(benches);
