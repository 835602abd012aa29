//! How much memory a decoded page holds, beside its JSON: the bytes live after decoding the
//! synthetic page of 1000 rows (and, with `peer-bench`, the same for typify's types), and the
//! inline size of a row. Printed, not asserted beyond a generous bound: this is a measurement,
//! and `README.md` reports it (`cargo test --release -p bench --features peer-bench --test
//! decoded_memory -- --nocapture`).

#[global_allocator]
static ALLOCATOR: bench::alloc::Counting = bench::alloc::Counting::new();

/// Bytes live once `decode` has turned `json` into a value that is still held.
fn held<T>(json: &str, decode: impl Fn(&str) -> T) -> usize {
    let before = ALLOCATOR.live();
    let value = decode(json);
    let after = ALLOCATOR.live();
    drop(value);
    after - before
}

#[test]
fn a_decoded_page_stays_within_a_small_multiple_of_its_json() {
    let json = bench::synthetic::single_page(1000);
    let ours = held(&json, |text| revox::from_str::<revox::types::CampaignGetRowsResponse>(text).expect("decodes"));
    let ratio = ours as f64 / json.len() as f64;
    eprintln!(
        "JSON {} B; revox holds {ours} B ({ratio:.2}x the JSON, {} B per row); a Row is {} B inline",
        json.len(),
        ours / 1000,
        std::mem::size_of::<revox::types::Row>()
    );
    #[cfg(feature = "peer-bench")]
    {
        let theirs =
            held(&json, |text| serde_json::from_str::<bench::peer::CampaignGetRowsResponse>(text).expect("decodes"));
        eprintln!(
            "typify holds {theirs} B ({:.2}x the JSON, {} B per row); revox / typify {:.2}",
            theirs as f64 / json.len() as f64,
            theirs / 1000,
            ours as f64 / theirs as f64
        );
    }
    assert!(ratio < 4.0, "a decoded page holds {ratio:.2}x its JSON");
}
