//! Side-by-side benchmarks of `corridor-flow` against peer solvers.
//!
//! `bench/run.sh` installs the peers (LEMON, OR-Tools, NetworkX, HiGHS), builds this crate and
//! then calls its `bench` binary, which
//!
//! 1. generates every instance of `bench/instances.toml` for the chosen tier into
//!    `bench/out/instances/` and checks each file against the SHA-256 recorded in the manifest
//!    ([`manifest`], [`gen`]);
//! 2. runs every solver on every instance as a fresh process per solve, interleaving rounds, and
//!    appends each result to `bench/out/runs.csv` ([`runner`]);
//! 3. writes `bench/out/summary.md`: medians, ratios ours/peer, geometric means per family, an
//!    objective check and the N-1 table ([`report`]).
//!
//! Every solver driver, ours (`corridor-mcf`, `corridor-maxflow`, `corridor-n1`,
//! `corridor-alloc-lp`, `petgraph-maxflow`) or a peer's (`bench/drivers/`), prints one JSON line, a [`RunRecord`]:
//! `solve_seconds` excludes reading and parsing the instance file, which `load_seconds` counts.
//!
//! # Example
//!
//! ```
//! use corridor_bench::gen::rmf::{rmf, RmfParams};
//!
//! // A 2 x 2 x 3 RMF max-flow instance: 12 nodes, one source, one sink.
//! let text = rmf(&RmfParams { a: 2, b: 3, c1: 1, c2: 100, seed: 7 });
//! assert!(text.contains("p max 12 "));
//! let problem = corridor_dimacs::parse(&text)?;
//! assert_eq!(problem.net().n_nodes(), 12);
//! # Ok::<(), corridor_dimacs::ParseError>(())
//! ```

pub mod gen;
pub mod manifest;
pub mod mps;
pub mod record;
pub mod report;
pub mod runner;
pub mod stats;

pub use record::RunRecord;
