//! The generator on arbitrary and mutated OpenAPI documents.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tests::fuzzing::generator(data));
