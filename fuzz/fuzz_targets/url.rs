//! The URL builder on arbitrary path values: no request leaves its operation's path.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tests::fuzzing::url(data));
