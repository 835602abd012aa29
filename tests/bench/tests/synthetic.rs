//! The synthetic data is what the benchmarks claim: valid for the schema, deterministic, rows
//! of 2–5 KB, the 1000-row page about 3–4 MB.

use revox::types::{CampaignGetRowsResponse, LlmModel, TranscriptEntryToolArguments as ToolArguments};

#[test]
fn a_1000_row_page_decodes_and_has_the_claimed_shape() {
    let text = bench::synthetic::single_page(1000);
    assert_eq!(text, bench::synthetic::single_page(1000), "deterministic");
    let mb = text.len() as f64 / 1e6;
    eprintln!("1000 rows: {mb} MB");
    assert!((3.0..=4.5).contains(&mb), "{mb} MB");
    let page: CampaignGetRowsResponse = revox::from_str(&text).expect("decodes");
    assert_eq!(page.rows.len(), 1000);
    let without_call = page.rows.iter().filter(|r| r.call.is_none()).count();
    assert!(without_call > 50 && without_call < 300, "{without_call} rows without a call");
    let calls: Vec<_> = page.rows.iter().filter_map(|r| r.call.as_ref().and_then(Option::as_deref)).collect();
    assert!(calls.iter().any(|c| matches!(c.llm_model, LlmModel::DedicatedInstance(_))));
    assert!(calls.iter().any(|c| matches!(c.llm_model, LlmModel::Openrouter(_))));
    let arguments: Vec<_> = calls
        .iter()
        .flat_map(|c| &c.call_attempts)
        .flat_map(|a| a.transcript.iter().flatten().flatten())
        .filter_map(|t| t.tool_arguments.as_ref().and_then(Option::as_ref))
        .collect();
    assert!(arguments.iter().any(|a| matches!(a, ToolArguments::Object(o) if !o.is_empty())));
    assert!(arguments.iter().any(|a| matches!(a, ToolArguments::String(s) if !s.is_empty())));
    let mut sizes: Vec<usize> = page
        .rows
        .iter()
        .filter(|r| r.call.is_some())
        .map(|r| serde_json::to_string(r).expect("encodes").len())
        .collect();
    sizes.sort_unstable();
    let (low, median, high) = (sizes[sizes.len() / 20], sizes[sizes.len() / 2], sizes[sizes.len() * 19 / 20]);
    eprintln!("rows with a call: 5th percentile {low} B, median {median} B, 95th percentile {high} B");
    assert!(low >= 2000 && high <= 5500, "rows with a call: {low}..{high} bytes");
}
