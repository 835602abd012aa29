//! Decoding arbitrary bytes into `CampaignGetRowsResponse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tests::fuzzing::decode(data));
