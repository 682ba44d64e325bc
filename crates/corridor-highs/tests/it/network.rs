//! Multi-commodity network-flow LPs of the size corridor solves: HiGHS against corridor-lp's
//! simplex.
//!
//! The 2,000-row instance runs only with `CORRIDOR_SLOW_TESTS=1`: corridor-lp's simplex takes
//! seconds on it at the test profile's opt-level.

use crate::support::{check_solution, close, multicommodity, simplex, McfConfig};
use corridor_highs::{Highs, Verdict};
use corridor_lp::Outcome;

fn check(seed: u64, cfg: McfConfig) {
    let p = multicommodity(seed, cfg);
    let report = match Highs::default().solve_with_report(&p) {
        Ok(r) => r,
        Err(e) => panic!("seed {seed}: HiGHS error: {e}"),
    };
    assert_eq!(report.verdict, Verdict::Optimal, "seed {seed}");
    let Some(s) = report.solution else {
        panic!("seed {seed}: no solution")
    };
    check_solution(&p, &s);
    let Outcome::Optimal(reference) = simplex(&p) else {
        panic!("seed {seed}: corridor-lp's simplex finds no optimum")
    };
    assert!(
        close(s.objective, reference.objective, 1e-7),
        "seed {seed}: HiGHS {} vs simplex {}",
        s.objective,
        reference.objective
    );
}

#[test]
fn typical_multicommodity_flow_matches_simplex() {
    for seed in 1..=3 {
        check(seed, McfConfig::TYPICAL);
    }
}

#[test]
fn large_multicommodity_flow_matches_simplex() {
    if std::env::var_os("CORRIDOR_SLOW_TESTS").is_none() {
        return;
    }
    check(1, McfConfig::LARGE);
}
