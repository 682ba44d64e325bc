//! libFuzzer entry point of the `server_body` target; the target itself is `corridor_fuzz::server_body`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| corridor_fuzz::server_body(data));
