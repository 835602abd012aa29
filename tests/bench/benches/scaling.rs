//! Generation time as the document grows: synthetic documents of 1×, 10× and 100× the base size
//! (20, 200 and 2,000 components; 5, 50 and 500 operations). Throughput is in components, so
//! linear growth shows as a constant rate.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("generation scaling");
    group.sample_size(10);
    for scale in [1, 10, 100] {
        let text = bench::documents::synthetic(scale);
        group.throughput(Throughput::Elements(20 * scale as u64));
        group.bench_function(format!("{scale}x ({} components)", 20 * scale), |b| {
            b.iter(|| bench::documents::generate(std::hint::black_box(&text)).expect("generates"));
        });
    }
    group.finish();
}

criterion_group!(benches, scaling);
criterion_main!(benches);
