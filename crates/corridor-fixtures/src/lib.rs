//! Test support shared by corridor's crates, used only as a `[dev-dependencies]` entry (never
//! published): one copy of what several crates' tests need.
//!
//! - [`mini`]: the mini dataset (a Kazakh field and a world market, one route through Russia and
//!   one across the Caspian through Azerbaijan and Turkey), as text, as a folder and loaded.
//! - [`flow`]: simple reference algorithms (min-cost flow, max-flow, shortest paths) that
//!   corridor-flow's and corridor-dimacs's tests compare against.
//! - [`hand`]: hand-checked LPs (optimum, values and duals worked out on paper) and the
//!   infeasible, unbounded and malformed problems every `LpSolver` backend must recognise.
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
