//! What the scale examples share: a seeded generator, so that every run builds the same
//! instances, and timing that separates CPU time from wall time.

// Each example uses only part of this module.
#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Time this thread has spent on a CPU, from Linux's `/proc/thread-self/schedstat`: unlike
/// wall time it does not count waiting for a core on a busy machine. `None` elsewhere.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f`, returning its result, wall time and (if available) CPU time.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let cpu0 = cpu_time();
    let wall0 = Instant::now();
    let out = f();
    let wall = wall0.elapsed();
    let cpu = cpu0.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    (out, wall, cpu)
}

/// The seeded generator every fixed-seed test and example shares.
pub use corridor_fixtures::SplitMix as Rng;
