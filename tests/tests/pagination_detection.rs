//! Pagination detection on real documents: how many of each document's list operations get an
//! `…_all` stream, by scheme, snapshotted (the README's figures come from this snapshot), with
//! the operations it detects elsewhere and the list operations it leaves without one.
//!
//! A list operation is counted by a criterion independent of detection: a `GET` with a query
//! parameter the paging APIs name (`page`, `per_page`, `limit`, `offset`, `cursor`,
//! `starting_after`, `pageToken`, `continue`, `PageSize`, …).

// Test helpers fail by panicking, as assertions do.
#![allow(clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;

use codegen::ir::{Location, PageScheme};
use tests::{fixture, root};

/// The documents: Stripe's, GitHub's, Kubernetes', two Google APIs', Twilio's, OpenAI's.
const DOCUMENTS: &[&str] = &[
    "named/stripe-apisguru.json.gz",
    "github-api.json",
    "named/kubernetes-apisguru.json.gz",
    "named/google-storage-v1-apisguru.json",
    "named/google-youtube-v3-apisguru.json",
    "named/twilio-api-v2010.json.gz",
    "named/openai.yaml.gz",
];

/// Query parameters that make a `GET` a list operation, lower case.
const PAGING_PARAMS: &[&str] = &[
    "page",
    "per_page",
    "page_size",
    "pagesize",
    "pagetoken",
    "page_token",
    "cursor",
    "starting_after",
    "ending_before",
    "limit",
    "offset",
    "continue",
    "maxresults",
    "nexttoken",
    "next_token",
];

fn read(name: &str) -> String {
    let path = fixture(&format!("corpus/{name}"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if !name.ends_with(".gz") {
        return String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("cannot decompress {}: {e}", path.display()));
    text
}

fn scheme_name(scheme: &PageScheme) -> &'static str {
    match scheme {
        PageScheme::PageNumber(_) => "page number",
        PageScheme::Offset(_) => "offset",
        PageScheme::Cursor { .. } => "cursor",
        PageScheme::LastItem { .. } => "last item",
        PageScheme::NextUrl(_) => "next URL",
        PageScheme::Link => "Link header",
    }
}

/// One document's counts, and its undetected list operations.
fn count(name: &str) -> (String, Vec<String>) {
    let label = format!("tests/fixtures/corpus/{name}");
    let doc = codegen::Document::parse(&label, &read(name)).unwrap_or_else(|e| panic!("{e}"));
    let api = codegen::lower(&doc, &codegen::Settings::new(&label, "CORPUS")).unwrap_or_else(|e| panic!("{e}"));
    let (mut lists, mut detected, mut elsewhere) = (0, 0, 0);
    let mut schemes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut missed = Vec::new();
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        let params = op.params.required.iter().chain(&op.params.optional);
        let list = op.http_method == "GET"
            && params
                .clone()
                .any(|p| p.location == Location::Query && PAGING_PARAMS.contains(&p.wire_name.to_lowercase().as_str()));
        match (&op.pagination, list) {
            (Some(p), true) => {
                detected += 1;
                *schemes.entry(scheme_name(&p.scheme)).or_default() += 1;
            }
            (Some(p), false) => {
                elsewhere += 1;
                *schemes.entry(scheme_name(&p.scheme)).or_default() += 1;
            }
            (None, true) => missed.push(format!("{} {}", op.http_method, op.path)),
            (None, false) => {}
        }
        lists += usize::from(list);
    }
    let by_scheme: Vec<String> = schemes.iter().map(|(scheme, n)| format!("{n} {scheme}")).collect();
    let line = format!(
        "{name}: {detected} of {lists} list operations, {elsewhere} other operations; {}",
        by_scheme.join(", ")
    );
    (line, missed)
}

#[test]
fn detection_on_real_documents() {
    let mut out = String::new();
    let mut missed_all = String::new();
    for name in DOCUMENTS {
        let (line, missed) = count(name);
        let _ = writeln!(out, "{line}");
        if !missed.is_empty() {
            let watches = missed.iter().filter(|op| op.contains("/watch/")).count();
            let _ = writeln!(
                missed_all,
                "{name}: {} list operations without a stream ({watches} of them `watch` endpoints, which stream \
                 events, not pages):",
                missed.len()
            );
            for op in missed.iter().filter(|op| !op.contains("/watch/")).take(40) {
                let _ = writeln!(missed_all, "  {op}");
            }
        }
    }
    out.push_str(&missed_all);
    let mut insta = insta::Settings::clone_current();
    insta.set_snapshot_path(root().join("tests/snapshots"));
    insta.set_prepend_module_to_snapshot(false);
    insta.set_omit_expression(true);
    insta.bind(|| insta::assert_snapshot!("pagination_detection", out));
}

/// `Settings::detect_pagination` off (`cargo xtask gen --no-pagination-detection`): only declared
/// pagination, and no notes; on, one note per detected operation.
#[test]
fn detection_can_be_turned_off() {
    let label = "tests/fixtures/pages/openapi.json";
    let doc =
        codegen::Document::parse(label, &tests::read_fixture("pages/openapi.json")).unwrap_or_else(|e| panic!("{e}"));
    let mut settings = codegen::Settings::new(label, "PAGES");
    let paged = |api: &codegen::ir::Api| {
        api.resources.iter().flat_map(|r| &r.operations).filter(|op| op.pagination.is_some()).count()
    };
    let detected = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((paged(&detected), detected.notes.len()), (7, 7));
    settings.detect_pagination = false;
    let declared = codegen::lower(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((paged(&declared), declared.notes.len()), (0, 0));
    let generated = codegen::generate_crate(&doc, &settings).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.notes.is_empty());
    assert!(generated.files.iter().all(|f| !f.contents.contains("_all(")), "no stream without detection");
}
