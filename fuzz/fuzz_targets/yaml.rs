//! The YAML reader on arbitrary text: aliases, merge keys, several documents.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tests::fuzzing::yaml(data));
