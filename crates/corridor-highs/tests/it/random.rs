//! Property tests: random small LPs solved by HiGHS and by corridor-lp's simplex.

use crate::support::{
    check_solution, close, nondegenerate, random_boxed_lp, random_open_lp, simplex,
};
use corridor_highs::{Algorithm, Highs};
use corridor_lp::{LpSolver, Outcome, Problem};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Same status; for optima, HiGHS's solution passes the optimality checks, both objectives agree
/// to 1e-6 relative and, when either optimum is a nondegenerate vertex (so the dual solution is
/// unique), so do the row duals and reduced costs.
fn agree(p: &Problem, solver: &Highs) -> Result<(), TestCaseError> {
    let ours = solver
        .solve(p)
        .map_err(|e| TestCaseError::fail(format!("HiGHS error: {e}")))?;
    let reference = simplex(p);
    match (&ours, &reference) {
        (Outcome::Optimal(h), Outcome::Optimal(s)) => {
            check_solution(p, h);
            prop_assert!(
                close(h.objective, s.objective, 1e-6),
                "HiGHS objective {} vs simplex {}",
                h.objective,
                s.objective
            );
            if nondegenerate(p, h) || nondegenerate(p, s) {
                for (i, (a, b)) in h.row_duals.iter().zip(&s.row_duals).enumerate() {
                    prop_assert!(close(*a, *b, 1e-6), "row {i}: HiGHS dual {a}, simplex {b}");
                }
                for (j, (a, b)) in h.reduced_costs.iter().zip(&s.reduced_costs).enumerate() {
                    prop_assert!(
                        close(*a, *b, 1e-6),
                        "var {j}: HiGHS reduced cost {a}, simplex {b}"
                    );
                }
            }
        }
        (Outcome::Infeasible, Outcome::Infeasible) | (Outcome::Unbounded, Outcome::Unbounded) => {}
        _ => prop_assert!(false, "HiGHS says {ours:?}, simplex says {reference:?}"),
    }
    Ok(())
}

proptest! {
    // corridor-lp's generator (from corridor-fixtures) places the rows around a feasible point,
    // so most of these LPs have optima to compare and some are infeasible; HiGHS and the simplex
    // together take well under a second.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn boxed_lps_match_simplex(seed in any::<u64>(), n in 1usize..9, m in 1usize..8) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = random_boxed_lp(&mut rng, n, m);
        agree(&p, &Highs::default())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn open_lps_match_simplex(seed in any::<u64>(), n in 1usize..8, m in 0usize..7) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = random_open_lp(&mut rng, n, m);
        agree(&p, &Highs::default())?;
    }

    #[test]
    fn other_algorithms_match_simplex(seed in any::<u64>(), n in 1usize..9, m in 1usize..8) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = random_boxed_lp(&mut rng, n, m);
        agree(&p, &Highs { presolve: false, algorithm: Algorithm::Simplex, ..Highs::default() })?;
        agree(&p, &Highs { algorithm: Algorithm::Ipm, ..Highs::default() })?;
    }
}
