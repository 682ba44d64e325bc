//! Quick timing of the pure-Rust simplex against microlp on multi-commodity flow LPs.
//!
//! ```text
//! cargo run --release -p corridor-lp --example lp_scale [seed] [--no-microlp]
//! ```
//!
//! Builds the typical (~300 rows × ~800 columns) and the large (2,000 rows × ~5,100 columns,
//! 4 nonzeros per arc column) problem from the seed, solves each with both solvers and prints
//! the times, objectives and iteration counts. Not a test: nothing is asserted.

// An example run by hand: printing its measurements is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use corridor_fixtures::lp::{multicommodity, solve_microlp, McfConfig, Reference};
use corridor_lp::{Outcome, Simplex};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed: u64 = args.iter().find_map(|s| s.parse().ok()).unwrap_or(1);
    let with_microlp = !args.iter().any(|a| a == "--no-microlp");
    for (name, cfg) in [("typical", McfConfig::TYPICAL), ("large", McfConfig::LARGE)] {
        let p = multicommodity(seed, cfg);
        let nnz: usize = (0..p.n_rows())
            .map(|i| p.row_coeffs(corridor_lp::RowId(i)).len())
            .sum();
        println!(
            "{name}: {} rows × {} columns, {nnz} nonzeros (seed {seed})",
            p.n_rows(),
            p.n_vars()
        );
        let t = Instant::now();
        let mut simplex = Simplex::default();
        if let Some(k) = std::env::var("LP_REFACTOR")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            simplex.refactor_interval = k;
        }
        let result = simplex.solve_with_stats(&p);
        let ours = t.elapsed();
        match result {
            Ok((Outcome::Optimal(s), stats)) => {
                // The `unmet` columns are the only ones costing 1e4.
                let unmet: f64 = (0..p.n_vars())
                    .filter(|&j| p.costs()[j] >= 1e4)
                    .map(|j| s.x[j])
                    .sum();
                println!(
                    "  corridor-simplex: {:>9.1} ms  objective {:.6}  ({} iterations, {} in phase 1, {} refactorisations; unmet demand {unmet:.1})",
                    ours.as_secs_f64() * 1e3,
                    s.objective,
                    stats.iterations,
                    stats.phase1_iterations,
                    stats.refactorizations
                )
            }
            Ok((other, _)) => println!("  corridor-simplex: {other:?} after {ours:?}"),
            Err(e) => println!("  corridor-simplex: error {e}"),
        }
        if !with_microlp {
            continue;
        }
        let t = Instant::now();
        let reference = solve_microlp(&p, 120.0);
        let theirs = t.elapsed();
        match reference {
            Reference::Optimal { objective, .. } => println!(
                "  microlp:          {:>9.1} ms  objective {objective:.6}",
                theirs.as_secs_f64() * 1e3
            ),
            other => println!("  microlp: {other:?} after {theirs:?}"),
        }
    }
}
