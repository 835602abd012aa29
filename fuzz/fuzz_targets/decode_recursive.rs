//! Decoding arbitrary bytes into the zoo's recursive `Animal`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tests::fuzzing::decode_recursive(data));
