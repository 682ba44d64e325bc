//! Hand-checked LPs: corridor-fixtures' `hand` LPs, shared with corridor-lp's tests (optimum,
//! primal values and duals worked out on paper; infeasible, unbounded and malformed problems),
//! and a few more about the translation to HiGHS. Every optimum is also solved by corridor-lp's
//! simplex, which must agree on the objective, and on the duals wherever they are unique.

use crate::support::{check_solution, highs, nondegenerate, optimal, simplex};
use corridor_fixtures::hand::{self, assert_near};
use corridor_highs::Highs;
use corridor_lp::{LpSolver, Outcome, Problem, Simplex, Solution};

const INF: f64 = f64::INFINITY;

/// HiGHS's optimum (checked by [`optimal`]) after comparing it with corridor-lp's simplex.
fn solve_both(p: &Problem) -> Solution {
    let s = optimal(p);
    let Outcome::Optimal(reference) = simplex(p) else {
        panic!("corridor-lp's simplex finds no optimum")
    };
    check_solution(p, &reference);
    assert_near(
        s.objective,
        reference.objective,
        "objective against simplex",
    );
    if nondegenerate(p, &s) || nondegenerate(p, &reference) {
        for (i, (a, b)) in s.row_duals.iter().zip(&reference.row_duals).enumerate() {
            assert_near(*a, *b, &format!("row {i} dual against simplex"));
        }
        for (j, (a, b)) in s
            .reduced_costs
            .iter()
            .zip(&reference.reduced_costs)
            .enumerate()
        {
            assert_near(*a, *b, &format!("var {j} reduced cost against simplex"));
        }
    }
    s
}

#[test]
fn name_is_highs() {
    assert_eq!(Highs::default().name(), "highs");
}

#[test]
fn hand_checked_optima() {
    for lp in hand::optima().into_iter().chain(hand::cycling()) {
        lp.check(&solve_both(&lp.problem));
    }
}

#[test]
fn infeasible_problems() {
    for (name, p) in hand::infeasible() {
        assert!(matches!(highs(&p), Outcome::Infeasible), "{name}");
        assert!(matches!(simplex(&p), Outcome::Infeasible), "{name}");
    }
}

#[test]
fn unbounded_problems() {
    for (name, p) in hand::unbounded() {
        assert!(matches!(highs(&p), Outcome::Unbounded), "{name}");
        assert!(matches!(simplex(&p), Outcome::Unbounded), "{name}");
    }
}

/// HiGHS refuses a model without columns, so the backend answers it itself.
#[test]
fn problems_without_variables() {
    let s = optimal(&Problem::new());
    assert_eq!(s.objective, 0.0);

    let mut slack = Problem::new();
    let r = slack.add_row(-1.0, 2.0, &[]);
    let s = optimal(&slack);
    assert_eq!(s.dual(r), 0.0);
    assert_eq!(s.row_activity, vec![0.0]);

    let mut impossible = Problem::new();
    impossible.add_row(1.0, 2.0, &[]);
    assert!(matches!(highs(&impossible), Outcome::Infeasible));
    assert!(matches!(simplex(&impossible), Outcome::Infeasible));
}

#[test]
fn free_row_and_empty_rows() {
    let mut p = Problem::new();
    let x = p.add_var(-INF, INF, 0.0);
    let free = p.add_row(-INF, INF, &[(x, 1.0)]);
    let s = optimal(&p);
    assert_eq!(s.objective, 0.0);
    assert_eq!(s.dual(free), 0.0);

    // A row without coefficients that admits 0 is inert; one that does not is infeasible.
    let mut p = Problem::new();
    let x = p.add_var(1.0, 2.0, 1.0);
    let inert = p.add_row(-1.0, 1.0, &[]);
    let s = optimal(&p);
    assert_near(s.value(x), 1.0, "x");
    assert_eq!(s.dual(inert), 0.0);
    p.set_row_bounds(inert, 1.0, 1.0);
    assert!(matches!(highs(&p), Outcome::Infeasible));
}

/// Malformed problems are rejected before HiGHS sees them, with corridor-lp's own errors.
#[test]
fn bad_numbers_are_the_same_errors_as_simplex() {
    for p in &hand::malformed() {
        let (Err(ours), Err(theirs)) = (Highs::default().solve(p), Simplex::default().solve(p))
        else {
            panic!("a malformed problem was solved: {p:?}")
        };
        // Compared as text: the errors may carry a NaN, which is not equal to itself.
        assert_eq!(ours.to_string(), theirs.to_string());
    }
}

/// Huge but finite data must not panic or abort (whatever the outcome): HiGHS rejects
/// coefficients of 1e15 or more, which surfaces as an error.
#[test]
fn huge_values_do_not_panic() {
    for p in hand::huge_values() {
        for presolve in [true, false] {
            let _ = Highs {
                presolve,
                ..Highs::default()
            }
            .solve(&p);
        }
    }
}
