//! Solving with HiGHS; the rest of the LP test support (solution checks, random LPs and
//! multi-commodity flow LPs of corridor's size) is corridor-lp's, from corridor-fixtures, so both
//! backends face the same LPs and the same thresholds.

use corridor_highs::Highs;
use corridor_lp::{Outcome, Problem, Solution};

pub use corridor_fixtures::lp::{
    check_solution, close, multicommodity, nondegenerate, random_boxed_lp, random_open_lp,
    solve as simplex, McfConfig,
};

/// Solves with HiGHS's defaults; panics (test failure) on an error.
pub fn highs(p: &Problem) -> Outcome {
    corridor_fixtures::lp::solve_with(&Highs::default(), p)
}

/// Solves with HiGHS and insists on an optimum that passes [`check_solution`].
pub fn optimal(p: &Problem) -> Solution {
    corridor_fixtures::lp::optimal_with(&Highs::default(), p)
}
