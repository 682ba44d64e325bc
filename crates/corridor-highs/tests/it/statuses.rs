//! HiGHS's statuses beyond optimal/infeasible/unbounded, and the options that produce them.

use corridor_highs::{Algorithm, Highs, HighsModelStatus, Limit, Verdict};
use corridor_lp::{LpError, LpSolver, Outcome, Problem};

const INF: f64 = f64::INFINITY;

/// The Wyndor LP (needs a few simplex iterations from the slack basis).
fn wyndor() -> Problem {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, -3.0);
    let y = p.add_var(0.0, INF, -5.0);
    p.add_row(-INF, 4.0, &[(x, 1.0)]);
    p.add_row(-INF, 12.0, &[(y, 2.0)]);
    p.add_row(-INF, 18.0, &[(x, 3.0), (y, 2.0)]);
    p
}

/// Feasible, and unbounded through a free column that appears in no row, which presolve spots
/// without knowing whether the rest is feasible.
fn unbounded_by_presolve() -> Problem {
    let mut p = wyndor();
    p.add_var(-INF, INF, 1.0);
    p
}

/// The same free column next to rows that cannot hold together (x + y <= 1, x - y <= 1, x >= 2).
fn infeasible_and_dual_infeasible() -> Problem {
    let mut p = Problem::new();
    let x = p.add_var(-INF, INF, 0.0);
    let y = p.add_var(-INF, INF, 0.0);
    p.add_var(-INF, INF, 1.0);
    p.add_row(-INF, 1.0, &[(x, 1.0), (y, 1.0)]);
    p.add_row(-INF, 1.0, &[(x, 1.0), (y, -1.0)]);
    p.add_row(2.0, INF, &[(x, 1.0)]);
    p
}

fn report(solver: &Highs, p: &Problem) -> corridor_highs::Report {
    match solver.solve_with_report(p) {
        Ok(r) => r,
        Err(e) => panic!("HiGHS error: {e}"),
    }
}

fn allowing() -> Highs {
    Highs {
        allow_infeasible_or_unbounded: true,
        ..Highs::default()
    }
}

#[test]
fn presolve_reports_infeasible_or_unbounded_when_allowed() {
    let r = report(&allowing(), &unbounded_by_presolve());
    assert_eq!(r.model_status, HighsModelStatus::UnboundedOrInfeasible);
    assert_eq!(r.verdict, Verdict::InfeasibleOrUnbounded);
    assert!(r.solution.is_none());
}

#[test]
fn infeasible_or_unbounded_is_settled_as_unbounded_when_feasible() {
    let p = unbounded_by_presolve();
    assert!(matches!(allowing().solve(&p), Ok(Outcome::Unbounded)));
    // By default HiGHS settles it itself.
    let r = report(&Highs::default(), &p);
    assert_eq!(r.verdict, Verdict::Unbounded);
}

#[test]
fn infeasible_or_unbounded_is_settled_as_infeasible_when_infeasible() {
    let p = infeasible_and_dual_infeasible();
    let r = report(&allowing(), &p);
    assert_eq!(r.model_status, HighsModelStatus::UnboundedOrInfeasible);
    assert!(matches!(allowing().solve(&p), Ok(Outcome::Infeasible)));
    assert!(matches!(
        Highs::default().solve(&p),
        Ok(Outcome::Infeasible)
    ));
}

#[test]
fn iteration_limit_is_an_outcome() {
    let solver = Highs {
        simplex_iteration_limit: Some(0),
        presolve: false,
        ..Highs::default()
    };
    let r = report(&solver, &wyndor());
    assert_eq!(r.model_status, HighsModelStatus::ReachedIterationLimit);
    assert_eq!(r.verdict, Verdict::Stopped(Limit::Iterations));
    assert!(matches!(
        solver.solve(&wyndor()),
        Ok(Outcome::IterationLimit { iterations: 0 })
    ));
}

#[test]
fn time_limit_is_told_apart_from_iteration_limit() {
    let solver = Highs {
        time_limit_s: Some(0.0),
        presolve: false,
        ..Highs::default()
    };
    let r = report(&solver, &wyndor());
    assert_eq!(r.model_status, HighsModelStatus::ReachedTimeLimit);
    assert_eq!(r.verdict, Verdict::Stopped(Limit::Time));
    assert!(matches!(
        solver.solve(&wyndor()),
        Ok(Outcome::IterationLimit { .. })
    ));
}

#[test]
fn invalid_options_are_errors() {
    for solver in [
        Highs {
            primal_feasibility_tolerance: 0.0,
            ..Highs::default()
        },
        Highs {
            dual_feasibility_tolerance: f64::NAN,
            ..Highs::default()
        },
        Highs {
            time_limit_s: Some(-1.0),
            ..Highs::default()
        },
    ] {
        assert!(
            matches!(solver.solve(&wyndor()), Err(LpError::InvalidOption { .. })),
            "{solver:?}"
        );
    }
}

#[test]
fn every_algorithm_reaches_the_same_optimum() {
    for algorithm in [Algorithm::Choose, Algorithm::Simplex, Algorithm::Ipm] {
        for presolve in [true, false] {
            let solver = Highs {
                algorithm,
                presolve,
                ..Highs::default()
            };
            let r = report(&solver, &wyndor());
            assert_eq!(r.verdict, Verdict::Optimal, "{solver:?}");
            let Some(s) = r.solution else {
                panic!("no solution from {solver:?}")
            };
            assert!(
                (s.objective + 36.0).abs() < 1e-7,
                "{solver:?}: {}",
                s.objective
            );
            let expected = [0.0, -1.5, -1.0];
            for (got, want) in s.row_duals.iter().zip(expected) {
                assert!((got - want).abs() < 1e-7, "{solver:?}: {:?}", s.row_duals);
            }
        }
    }
}

#[test]
fn optimal_report_counts_iterations() {
    let r = report(
        &Highs {
            presolve: false,
            ..Highs::default()
        },
        &wyndor(),
    );
    assert!(r.simplex_iterations > 0, "{r:?}");
    assert_eq!(r.total_iterations() as u64, r.simplex_iterations);
}
