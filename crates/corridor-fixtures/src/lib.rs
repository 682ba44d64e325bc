//! Test support shared by corridor's crates, used only as a `[dev-dependencies]` entry (never
//! published): one copy of what several crates' tests need.
//!
//! - [`mini`]: the mini dataset (a Kazakh field and a world market, one route through Russia and
//!   one across the Caspian through Azerbaijan and Turkey), as text, as a folder and loaded.
//! - [`flow`]: simple reference algorithms (min-cost flow, max-flow, shortest paths) that
//!   corridor-flow's and corridor-dimacs's tests compare against.
//! - [`hand`]: hand-checked LPs (optimum, values and duals worked out on paper) and the
//!   infeasible, unbounded and malformed problems every `LpSolver` backend must recognise.
//! - [`SplitMix`]: a small seeded generator, the same on every platform, for fixed-seed tests and
//!   the scale examples.
//! - [`lp`]: the LP test support run against every `LpSolver` backend: an independent reference
//!   solver (microlp), random problem generators, multi-commodity flow LPs of corridor's size and
//!   the optimality checks of a solution.
//!
//! ```
//! let dataset = corridor_fixtures::mini::dataset();
//! assert!(dataset.link_id("ferry").is_some());
//!
//! let p = corridor_fixtures::lp::multicommodity(1, corridor_fixtures::lp::McfConfig::TYPICAL);
//! let s = corridor_fixtures::lp::optimal(&p);
//! corridor_fixtures::lp::check_solution(&p, &s);
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod flow;
pub mod hand;
pub mod lp;
pub mod mini;

/// SplitMix64: small, seeded and the same on every platform, so a fixed seed builds the same instance
/// everywhere.
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)] // not an iterator: it never ends
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Shuffles `v` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}
