//! A [HiGHS](https://highs.dev) backend for corridor-lp's [`LpSolver`](corridor_lp::LpSolver)
//! trait.
//!
//! Everything here is behind the cargo feature `highs`, which builds HiGHS (C++) from source
//! through the `highs-sys` crate and so needs cmake, a C++ compiler and libclang
//! (`scripts/setup-highs.sh` installs them on Debian). Without the feature the crate is empty, so
//! the rest of the workspace builds and tests without a C++ toolchain.
//!
//! * `Highs` holds the options and implements `LpSolver`; HiGHS's output is off by default.
//! * `Highs::solve_with_report` returns a `Report` with HiGHS's model status verbatim, its
//!   `Verdict` (`Optimal`, `Infeasible`, `Unbounded`, `InfeasibleOrUnbounded`,
//!   `Stopped(Limit)`, `Failed`) and the iteration counts.
//! * `LpSolver::solve` folds the report into corridor-lp's `Outcome`; "infeasible or unbounded"
//!   is never folded into either, but settled by a second run (see `Highs`'s `solve`).
//!
//! Duals follow corridor-lp's convention (derivative of the objective with respect to the active
//! bound), which for a minimisation is also HiGHS's, so the two backends agree on them wherever
//! the dual solution is unique.
//!
//! # Example
//!
//! ```
//! # #[cfg(feature = "highs")]
//! # {
//! use corridor_highs::Highs;
//! use corridor_lp::{LpSolver, Outcome, Problem};
//!
//! // Ship 10 units to one sink from two sources with unit costs 1 and 3; source `a` can send 6.
//! let mut p = Problem::new();
//! let a = p.add_var(0.0, f64::INFINITY, 1.0);
//! let b = p.add_var(0.0, f64::INFINITY, 3.0);
//! let demand = p.add_row(10.0, 10.0, &[(a, 1.0), (b, 1.0)]);
//! let cap_a = p.add_row(f64::NEG_INFINITY, 6.0, &[(a, 1.0)]);
//!
//! let Outcome::Optimal(s) = Highs::default().solve(&p)? else { panic!("not optimal") };
//! assert!((s.objective - 18.0).abs() < 1e-9); // 6*1 + 4*3
//! assert!((s.dual(demand) - 3.0).abs() < 1e-9); // one more unit of demand costs 3
//! assert!((s.dual(cap_a) + 2.0).abs() < 1e-9); // one more unit of capacity saves 2
//! # }
//! # Ok::<(), corridor_lp::LpError>(())
//! ```

#![warn(missing_docs, unreachable_pub)]

#[cfg(feature = "highs")]
mod solver;
#[cfg(feature = "highs")]
mod status;

#[cfg(feature = "highs")]
pub use highs::HighsModelStatus;
#[cfg(feature = "highs")]
pub use solver::{Algorithm, Highs, Report};
#[cfg(feature = "highs")]
pub use status::{verdict, Limit, Verdict};
