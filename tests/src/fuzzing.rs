//! The fuzz targets' entry points, shared with the stable test that replays the committed
//! corpus (`tests/tests/fuzz_corpus.rs`), so CI checks every finding without nightly.

/// The generator on arbitrary bytes: it never panics, and every file of an `Ok` output parses
/// as Rust.
///
/// # Panics
/// When an emitted file does not parse: that is the finding.
pub fn generator(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(document) = codegen::Document::parse("fuzz.json", text) else { return };
    let settings = codegen::Settings::new("fuzz.json", "FUZZ");
    if let Ok(files) = codegen::generate(&document, &settings) {
        for file in files {
            if let Err(e) = syn::parse_file(&file.contents) {
                panic!("{} does not parse: {e}\n{}", file.path, file.contents);
            }
        }
    }
    let _ = codegen::type_sources(&document);
}

/// Decoding arbitrary bytes never panics; whatever decodes encodes, and decodes again to the
/// same value.
///
/// # Panics
/// When a decoded value does not survive a round trip: that is the finding.
pub fn decode(data: &[u8]) {
    use revox::types::CampaignGetRowsResponse;
    let Ok(value) = revox::from_slice::<CampaignGetRowsResponse>(data) else { return };
    let encoded = match serde_json::to_vec(&value) {
        Ok(encoded) => encoded,
        Err(e) => panic!("a decoded value does not encode: {e}"),
    };
    match revox::from_slice::<CampaignGetRowsResponse>(&encoded) {
        Ok(again) if again == value => {}
        Ok(again) => panic!("a round trip changed the value:\n{value:?}\n{again:?}"),
        Err(e) => panic!("an encoded value does not decode: {e}"),
    }
}
