//! Hand-checked tiny LPs (corridor-fixtures' `hand`, shared with corridor-highs), solved by the
//! simplex with its default settings and with settings that lean on its anti-cycling machinery,
//! and the simplex's own errors and limits.

use corridor_fixtures::hand;
use corridor_fixtures::lp::{optimal, solve};
use corridor_lp::{LpError, LpSolver, Outcome, Problem, Simplex, VarId};

const INF: f64 = f64::INFINITY;

#[test]
fn hand_checked_optima() {
    for lp in hand::optima() {
        lp.check(&optimal(&lp.problem));
    }
}

#[test]
fn infeasible_problems() {
    for (name, p) in hand::infeasible() {
        assert!(matches!(solve(&p), Outcome::Infeasible), "{name}");
    }
}

#[test]
fn unbounded_problems() {
    for (name, p) in hand::unbounded() {
        assert!(matches!(solve(&p), Outcome::Unbounded), "{name}");
    }
}

#[test]
fn empty_problem_is_optimal_at_zero() {
    let s = optimal(&Problem::new());
    assert_eq!(s.objective, 0.0);
    let mut p = Problem::new();
    let x = p.add_var(-INF, INF, 0.0);
    let r = p.add_row(-INF, INF, &[(x, 1.0)]);
    let s = optimal(&p);
    assert_eq!(s.objective, 0.0);
    assert_eq!(s.dual(r), 0.0);
}

/// Beale's and Chvátal's cycling examples and a degenerate assignment terminate at their optimum
/// under every cycling-prone setting.
#[test]
fn cycling_examples_terminate() {
    for lp in hand::cycling() {
        for simplex in cycling_prone_settings() {
            let Outcome::Optimal(s) = simplex.solve(&lp.problem).expect("solves") else {
                panic!("{} not optimal with {simplex:?}", lp.name);
            };
            lp.check(&s);
        }
    }
}

/// The default, plus settings that lean on the anti-cycling machinery: Bland's rule after a single
/// degenerate pivot, no scaling, refactorisation after every update, and the textbook phase 1.
fn cycling_prone_settings() -> Vec<Simplex> {
    vec![
        Simplex::default(),
        Simplex {
            phase1_cost_weight: 0.0,
            bland_after: 5,
            ..Simplex::default()
        },
        Simplex {
            bland_after: 1,
            ..Simplex::default()
        },
        Simplex {
            scaling: false,
            refactor_interval: 1,
            ..Simplex::default()
        },
    ]
}

#[test]
fn bad_numbers_are_errors_not_panics() {
    let solver = Simplex::default();
    // In the order of `hand::malformed`.
    let expected: [fn(&LpError) -> bool; 10] = [
        |e| matches!(e, LpError::NonFinite { .. }),
        |e| matches!(e, LpError::NonFinite { .. }),
        |e| matches!(e, LpError::NonFinite { .. }),
        |e| matches!(e, LpError::NonFinite { .. }),
        |e| matches!(e, LpError::NonFinite { .. }),
        |e| matches!(e, LpError::InvertedBounds { index: 0, .. }),
        |e| matches!(e, LpError::NonFinite { index: 1, .. }),
        |e| matches!(e, LpError::UnknownVar { var: 7, .. }),
        |e| matches!(e, LpError::UnknownVar { var: 3, .. }),
        |e| matches!(e, LpError::UnknownRow { row: 5, .. }),
    ];
    let malformed = hand::malformed();
    assert_eq!(malformed.len(), expected.len());
    for (i, (p, expected)) in malformed.iter().zip(expected).enumerate() {
        match solver.solve(p) {
            Err(e) => assert!(expected(&e), "malformed problem {i}: unexpected error {e}"),
            Ok(_) => panic!("malformed problem {i} was solved: {p:?}"),
        }
    }
    let mut p = Problem::new();
    let x = p.add_var(0.0, 1.0, 1.0);
    p.add_row(0.0, 1.0, &[(x, 1.0)]);
    let bad_options = Simplex {
        primal_tol: f64::NAN,
        ..Simplex::default()
    };
    assert!(matches!(
        bad_options.solve(&p),
        Err(LpError::InvalidOption { .. })
    ));
}

/// Huge but finite data must not panic (whatever the outcome), scaled or not.
#[test]
fn huge_values_do_not_panic() {
    for p in hand::huge_values() {
        let _ = Simplex::default().solve(&p);
        let _ = Simplex {
            scaling: false,
            ..Simplex::default()
        }
        .solve(&p);
    }
}

#[test]
fn iteration_limit_is_reported() {
    let mut p = Problem::new();
    let x: Vec<VarId> = (0..5)
        .map(|j| p.add_var(0.0, INF, -(j as f64) - 1.0))
        .collect();
    for i in 0..5 {
        let row: Vec<_> = x.iter().map(|&v| (v, 1.0 + ((i * 3) % 5) as f64)).collect();
        p.add_row(-INF, 10.0 + i as f64, &row);
    }
    let limited = Simplex {
        max_iterations: Some(0),
        ..Simplex::default()
    };
    assert!(matches!(
        limited.solve(&p),
        Ok(Outcome::IterationLimit { iterations: 0 })
    ));
    assert!(matches!(solve(&p), Outcome::Optimal(_)));
}
