//! Property tests: random small LPs cross-checked against microlp.

use crate::support::{
    check_solution, close, random_boxed_lp, random_open_lp, solve, solve_microlp, Reference,
};
use corridor_lp::Outcome;
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
    let ours = solve(p);
    let reference = solve_microlp(p);
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
    #![proptest_config(ProptestConfig::with_cases(400))]

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
}
