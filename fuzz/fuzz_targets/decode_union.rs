//! Decoding arbitrary bytes into a list of the zoo's `Sighting`, a union told apart by shape.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tests::fuzzing::decode_union(data));
