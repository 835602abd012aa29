//! Pagination memory does not grow with the number of pages: the peak bytes live while
//! streaming 100 pages stay below twice the peak for 10 pages, where keeping the rows would make
//! it ten times (bytes, not time: this is measured, not benchmarked). No operation of the Revox
//! API pages since 0.5.0, so the stream is the zoo's `keepers.list_by_enclosure`, with keepers
//! the size of a campaign row.

use futures_util::TryStreamExt;
use zoo::{Client, ListByEnclosureParams};

#[global_allocator]
static ALLOCATOR: bench::alloc::Counting = bench::alloc::Counting::new();

/// Peak bytes live while streaming every row of `pages` pages.
async fn peak(pages: u64) -> (u64, usize) {
    let server = bench::server::paged(pages).await;
    let client = Client::builder().api_key("memory").base_url(server.uri()).build().expect("client");
    let rows = client.keepers().list_by_enclosure_all("e", "p", 1, ListByEnclosureParams::new(0));
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
    // Keeping the rows of every page would make the 100-page peak ten times the 10-page one
    // (about 34 MB of JSON); the interleaving of the server's and the client's buffers moves a
    // flat peak by up to a half from run to run.
    assert!(peak_100 < 2 * peak_10, "10 pages: {peak_10} B, 100 pages: {peak_100} B");
}
