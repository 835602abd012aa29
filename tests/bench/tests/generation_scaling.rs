//! Generation memory and output grow linearly with the document: the peak bytes live while
//! generating, and the bytes emitted, of the 100× synthetic document stay within 15 times those
//! of the 10× one (linear would be 10). Bytes are measured, not time (see benches/scaling.rs).

#[global_allocator]
static ALLOCATOR: bench::alloc::Counting = bench::alloc::Counting::new();

/// (peak bytes live while generating, bytes emitted) for `scale`.
fn measure(scale: usize) -> (usize, usize) {
    let text = bench::documents::synthetic(scale);
    ALLOCATOR.reset_peak();
    let base = ALLOCATOR.live();
    let files = bench::documents::generate(&text).expect("the synthetic document generates");
    let peak = ALLOCATOR.peak() - base;
    (peak, files.iter().map(|f| f.contents.len()).sum())
}

#[test]
fn memory_and_output_grow_linearly() {
    let (peak_10, out_10) = measure(10);
    let (peak_100, out_100) = measure(100);
    eprintln!("10x: peak {peak_10} B, output {out_10} B; 100x: peak {peak_100} B, output {out_100} B");
    assert!(out_100 < 15 * out_10, "output: 10x {out_10} B, 100x {out_100} B");
    assert!(peak_100 < 15 * peak_10, "peak: 10x {peak_10} B, 100x {peak_100} B");
}
