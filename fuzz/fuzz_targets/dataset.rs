//! libFuzzer entry point of the `dataset` target; the target itself is `corridor_fuzz::dataset`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| corridor_fuzz::dataset(data));
