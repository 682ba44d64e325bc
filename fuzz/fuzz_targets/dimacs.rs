//! libFuzzer entry point of the `dimacs` target; the target itself is `corridor_fuzz::dimacs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| corridor_fuzz::dimacs(data));
