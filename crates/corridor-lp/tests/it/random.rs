//! Property tests: random small LPs cross-checked against microlp.

use corridor_fixtures::lp::{
    check_solution, close, random_boxed_lp, random_open_lp, random_sparse_lp, solve, solve_microlp,
    Reference,
};
use corridor_lp::{LpSolver, Outcome, Simplex};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Compares our outcome with microlp's.
///
/// An optimum of ours comes with a certificate (`check_solution`: primal feasible, dual feasible,
/// zero duality gap), which proves optimality on its own; if microlp disagrees, its answer is only
/// held against us when its point is feasible and strictly better. Our `Infeasible` and
/// `Unbounded` carry no certificate, so they must match microlp exactly.
fn agree(p: &corridor_lp::Problem, allow_unbounded: bool) -> Result<(), TestCaseError> {
    agree_with(p, solve(p), allow_unbounded)
}

fn agree_with(
    p: &corridor_lp::Problem,
    ours: Outcome,
    allow_unbounded: bool,
) -> Result<(), TestCaseError> {
    let reference = solve_microlp(p, 0.5);
    match (&ours, &reference) {
        (Outcome::Optimal(s), _) => {
            check_solution(p, s);
            if let Reference::Optimal { objective, x } = &reference {
                if !close(s.objective, *objective, 1e-6) {
                    let better = *objective < s.objective - 1e-6 * (1.0 + s.objective.abs());
                    prop_assert!(
                        !(better && feasible(p, x)),
                        "microlp found a feasible point with objective {objective} < ours {}",
                        s.objective
                    );
                }
            }
        }
        (Outcome::Infeasible, Reference::Infeasible) => {}
        (Outcome::Unbounded, Reference::Unbounded) if allow_unbounded => {}
        (_, Reference::Failed(why)) => {
            prop_assert!(
                false,
                "we say {ours:?}, microlp failed ({why}): cannot confirm"
            )
        }
        _ => prop_assert!(false, "we say {ours:?}, microlp says {reference:?}"),
    }
    Ok(())
}

fn feasible(p: &corridor_lp::Problem, x: &[f64]) -> bool {
    let tol = 1e-6;
    let vars_ok = (0..p.n_vars()).all(|j| {
        let (l, u) = (p.var_lowers()[j], p.var_uppers()[j]);
        x[j] >= l - tol && x[j] <= u + tol
    });
    let rows_ok = p
        .row_activities(x)
        .iter()
        .enumerate()
        .all(|(i, &a)| a >= p.row_lowers()[i] - tol && a <= p.row_uppers()[i] + tol);
    vars_ok && rows_ok
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn boxed_lps_match_microlp(seed in any::<u64>(), n in 1usize..9, m in 1usize..8) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = random_boxed_lp(&mut rng, n, m);
        agree(&p, false)?;
    }

    #[test]
    fn open_lps_match_microlp(seed in any::<u64>(), n in 1usize..8, m in 0usize..7) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = random_open_lp(&mut rng, n, m);
        agree(&p, true)?;
    }

    /// Larger sparse LPs, solved with settings that force many refactorisations, eta updates and
    /// Markowitz eliminations (and, without scaling, unequal magnitudes), with and without the
    /// cost term in phase 1 (a weight of 1 makes it fight the infeasibility term).
    #[test]
    fn sparse_lps_match_microlp_under_all_settings(
        seed in any::<u64>(),
        n in 10usize..60,
        m in 5usize..40,
        refactor_interval in prop_oneof![Just(1usize), Just(3), Just(100)],
        scaling in any::<bool>(),
        phase1_cost_weight in prop_oneof![Just(0.0), Just(1e-3), Just(1.0)],
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let p = random_sparse_lp(&mut rng, n, m, 0.15);
        let simplex = Simplex { refactor_interval, scaling, phase1_cost_weight, ..Simplex::default() };
        let ours = simplex.solve(&p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        agree_with(&p, ours, false)?;
    }
}
