//! The stable harness of the fuzz targets: replays every file of `corpus/<target>/` and
//! `regressions/<target>/` (every crash ever found stays there), then runs a bounded number of random
//! mutations of them. No fuzzer to install: this is the short run of `scripts/test.sh`.
//!
//! `FUZZ_SMOKE_SECS` (default 8) bounds the mutation run of each target, `FUZZ_SMOKE_SEED` picks its
//! random stream (default fixed, so a failure repeats), `FUZZ_SMOKE_EXECS` stops each target's mutation
//! run after that many inputs (whichever of the two bounds comes first), `FUZZ_TARGETS` (e.g. `dataset,scenario`) limits
//! the run to some targets. A failing input is written to `target/fuzz-failures/` and named in the
//! failure message.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One call slower than this is reported as a hang.
const SLOW: Duration = Duration::from_secs(2);
/// Mutated inputs stay below this size, as libFuzzer's `-max_len` keeps them in the long runs.
const MAX_LEN: usize = 16 * 1024;

/// Values and syntax the readers treat specially, spliced in by the mutator.
const TOKENS: &[&str] = &[
    "-1",
    "0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e308",
    "9e18",
    "1e-320",
    "18446744073709551616",
    "100000000",
    "\"",
    "\"\"",
    ",",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ".",
    "#",
    "\\",
    "'''",
    "\"\"\"",
    "true",
    "null",
    "p min ",
    "p max ",
    "a ",
    "n ",
    "c ",
    "s ",
    "t",
    "\0",
    "extends = \"kazakh-crude-2024\"",
    "year = 0",
    "Mt/y",
    "bbl/d",
    "TEU/y",
    "RU",
    "KZ",
];

/// A small, fixed-seed random stream (xorshift64*): enough for mutations, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut input = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        let at = rng.below(len + 1);
        match rng.below(8) {
            0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
            1 if len > 0 => input[at.min(len - 1)] = rng.next() as u8,
            2 => input.insert(at, rng.next() as u8),
            3 if len > 0 => {
                let end = (at + 1 + rng.below(32)).min(len);
                input.drain(at.min(end)..end);
            }
            4 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                let piece = input[start..end].to_vec();
                input.splice(at..at, piece);
            }
            5 | 6 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                if rng.below(2) == 0 || len == 0 {
                    input.splice(at..at, token.iter().copied());
                } else {
                    // Replace the token under the cursor (up to the next separator) with this one.
                    let end = input[at.min(len)..]
                        .iter()
                        .position(|b| b" ,=\n\"".contains(b))
                        .map_or(len, |p| at + p);
                    input.splice(at.min(end)..end, token.iter().copied());
                }
            }
            _ => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + 1 + rng.below(256)).min(other.len());
                    input.splice(at..at, other[start..end].iter().copied());
                }
            }
        }
    }
    input.truncate(MAX_LEN);
    input
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a corpus file reads");
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

/// Runs `target` on `input`; a panic or a hang is returned as a message.
fn run(target: fn(&[u8]), input: &[u8]) -> Option<String> {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| target(input)));
    let elapsed = started.elapsed();
    match result {
        Err(panic) => Some(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into()),
        ),
        Ok(()) if elapsed > SLOW => Some(format!("took {elapsed:?}")),
        Ok(()) => None,
    }
}

fn save_failure(name: &str, input: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{name}-{hash:016x}"));
    let _ = std::fs::write(&path, input);
    path
}

#[test]
fn corpus_regressions_and_a_bounded_mutation_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let secs: u64 = std::env::var("FUZZ_SMOKE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let max_execs: u64 = std::env::var("FUZZ_SMOKE_EXECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(u64::MAX);
    let seed: u64 = std::env::var("FUZZ_SMOKE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00c0_771d_0000_0001);
    // Panics are collected and reported below, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let only = std::env::var("FUZZ_TARGETS").ok();
    for (name, target) in corridor_fuzz::TARGETS {
        if only
            .as_ref()
            .is_some_and(|o| !o.split(',').any(|t| t == name))
        {
            continue;
        }
        let corpus = files(&root.join("corpus").join(name));
        let regressions = files(&root.join("regressions").join(name));
        assert!(!corpus.is_empty(), "corpus/{name} is empty");
        for (path, input) in corpus.iter().chain(&regressions) {
            if let Some(why) = run(target, input) {
                failures.push(format!("{name}: {}: {why}", path.display()));
            }
        }
        let seeds: Vec<Vec<u8>> = corpus.iter().map(|(_, b)| b.clone()).collect();
        let mut rng = Rng(seed ^ name.len() as u64);
        let started = Instant::now();
        let mut n_mutations = 0u64;
        while started.elapsed() < Duration::from_secs(secs) && n_mutations < max_execs {
            for _ in 0..64 {
                let input = mutate(&mut rng, &seeds);
                n_mutations += 1;
                if let Some(why) = run(target, &input) {
                    let path = save_failure(name, &input);
                    failures.push(format!(
                        "{name}: mutation saved as {}: {why}",
                        path.display()
                    ));
                }
            }
        }
        println!(
            "fuzz smoke: {name}: {} corpus files, {} regressions, {n_mutations} mutations",
            corpus.len(),
            regressions.len()
        );
    }
    let _ = std::panic::take_hook();
    assert!(
        failures.is_empty(),
        "{} failing input(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
