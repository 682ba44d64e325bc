//! libFuzzer entry point of the `scenario` target; the target itself is `corridor_fuzz::scenario`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| corridor_fuzz::scenario(data));
