//! Hand-checked tiny LPs: optimum, primal values and duals worked out on paper.

use corridor_fixtures::lp::{optimal, solve};
use corridor_lp::{LpError, LpSolver, Outcome, Problem, Simplex, VarId};

const INF: f64 = f64::INFINITY;

fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * (1.0 + expected.abs()),
        "{what}: got {actual}, expected {expected}"
    );
}

/// Two plants (capacities 20 and 40) ship to three markets (demands 10, 25, 15).
///
/// Unit costs: plant 1 → (2, 4, 5), plant 2 → (3, 1, 7). Plant 2 serves market 2 (cost 1);
/// plant 1 cannot cover markets 1 and 3 (25 > 20), and moving market-1 volume to plant 2 costs
/// +1 per unit versus +2 for market 3, so 5 units of market 1 go to plant 2.
/// Optimum 2·5 + 5·15 + 3·5 + 1·25 = 125. Duals (u + v = cost on basic arcs, u₂ = 0 since plant
/// 2 has slack): v₁ = 3, v₂ = 1, u₁ = −1, v₃ = 6; reduced costs 4 (p1→m2) and 1 (p2→m3).
#[test]
fn transport_with_known_duals() {
    let mut p = Problem::new();
    let cost = [[2.0, 4.0, 5.0], [3.0, 1.0, 7.0]];
    let x: Vec<Vec<VarId>> = cost
        .iter()
        .map(|row| row.iter().map(|&c| p.add_var(0.0, INF, c)).collect())
        .collect();
    let plant: Vec<_> = [20.0, 40.0]
        .iter()
        .enumerate()
        .map(|(i, &cap)| p.add_row(-INF, cap, &[(x[i][0], 1.0), (x[i][1], 1.0), (x[i][2], 1.0)]))
        .collect();
    let market: Vec<_> = [10.0, 25.0, 15.0]
        .iter()
        .enumerate()
        .map(|(j, &d)| p.add_row(d, d, &[(x[0][j], 1.0), (x[1][j], 1.0)]))
        .collect();
    let s = optimal(&p);
    assert_near(s.objective, 125.0, "objective");
    let expected_x = [[5.0, 0.0, 15.0], [5.0, 25.0, 0.0]];
    for i in 0..2 {
        for j in 0..3 {
            assert_near(s.value(x[i][j]), expected_x[i][j], "flow");
        }
    }
    assert_near(
        s.dual(plant[0]),
        -1.0,
        "plant 1 dual (capacity at upper bound)",
    );
    assert_near(s.dual(plant[1]), 0.0, "plant 2 dual (slack)");
    assert_near(s.dual(market[0]), 3.0, "market 1 dual");
    assert_near(s.dual(market[1]), 1.0, "market 2 dual");
    assert_near(s.dual(market[2]), 6.0, "market 3 dual");
    assert_near(s.reduced_costs[x[0][1].0], 4.0, "reduced cost p1→m2");
    assert_near(s.reduced_costs[x[1][2].0], 1.0, "reduced cost p2→m3");
    assert_near(s.row_activity[plant[1].0], 30.0, "plant 2 output");
}

/// Diet: minimise 2x + 3y with x + y ≥ 4 and x + 3y ≥ 6. The vertex (3, 1) costs 9 against 12
/// at (0, 4) and (6, 0). Duals solve y₁ + y₂ = 2, y₁ + 3y₂ = 3: y₁ = 1.5, y₂ = 0.5.
#[test]
fn diet_with_known_duals() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 2.0);
    let y = p.add_var(0.0, INF, 3.0);
    let r1 = p.add_row(4.0, INF, &[(x, 1.0), (y, 1.0)]);
    let r2 = p.add_row(6.0, INF, &[(x, 1.0), (y, 3.0)]);
    let s = optimal(&p);
    assert_near(s.objective, 9.0, "objective");
    assert_near(s.value(x), 3.0, "x");
    assert_near(s.value(y), 1.0, "y");
    assert_near(s.dual(r1), 1.5, "dual of x + y >= 4");
    assert_near(s.dual(r2), 0.5, "dual of x + 3y >= 6");
}

/// x + y + z = 10, x − y = 2, minimise x + 2y + 3z: cost is 14 + 1.5z on the feasible line, so
/// z = 0, x = 6, y = 4. Duals: y₁ + y₂ = 1, y₁ − y₂ = 2 → 1.5 and −0.5; z's reduced cost 1.5.
#[test]
fn equality_rows() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let y = p.add_var(0.0, INF, 2.0);
    let z = p.add_var(0.0, INF, 3.0);
    let sum = p.add_row(10.0, 10.0, &[(x, 1.0), (y, 1.0), (z, 1.0)]);
    let diff = p.add_row(2.0, 2.0, &[(x, 1.0), (y, -1.0)]);
    let s = optimal(&p);
    assert_near(s.objective, 14.0, "objective");
    assert_near(s.value(x), 6.0, "x");
    assert_near(s.value(y), 4.0, "y");
    assert_near(s.value(z), 0.0, "z");
    assert_near(s.dual(sum), 1.5, "dual of the sum row");
    assert_near(s.dual(diff), -0.5, "dual of the difference row");
    assert_near(s.reduced_costs[z.0], 1.5, "reduced cost of z");
}

/// Free variables: minimise t with t ≥ x − 3, t ≥ 3 − x and x ≥ 5 (as a row), x and t free.
/// Optimum t = 2 at x = 5; duals 1 on t − x ≥ −3 and on x ≥ 5, 0 on the slack row.
#[test]
fn free_variables() {
    let mut p = Problem::new();
    let t = p.add_var(-INF, INF, 1.0);
    let x = p.add_var(-INF, INF, 0.0);
    let r1 = p.add_row(-3.0, INF, &[(t, 1.0), (x, -1.0)]);
    let r2 = p.add_row(3.0, INF, &[(t, 1.0), (x, 1.0)]);
    let r3 = p.add_row(5.0, INF, &[(x, 1.0)]);
    let s = optimal(&p);
    assert_near(s.objective, 2.0, "objective");
    assert_near(s.value(t), 2.0, "t");
    assert_near(s.value(x), 5.0, "x");
    assert_near(s.dual(r1), 1.0, "dual of t - x >= -3");
    assert_near(s.dual(r2), 0.0, "dual of t + x >= 3");
    assert_near(s.dual(r3), 1.0, "dual of x >= 5");
    assert_near(s.reduced_costs[t.0], 0.0, "reduced cost of free t");
}

/// Negative bounds: minimise x + 2y, x ∈ [−4, 4], y ∈ [−2, 5], x + y ≥ −5. On x + y = −5 the
/// cost is −10 − x, so x is as large as y ≥ −2 allows: x = −3, y = −2, objective −7. Row dual 1,
/// reduced cost of y (at its lower bound) 2 − 1 = 1.
#[test]
fn negative_lower_bounds() {
    let mut p = Problem::new();
    let x = p.add_var(-4.0, 4.0, 1.0);
    let y = p.add_var(-2.0, 5.0, 2.0);
    let r = p.add_row(-5.0, INF, &[(x, 1.0), (y, 1.0)]);
    let s = optimal(&p);
    assert_near(s.objective, -7.0, "objective");
    assert_near(s.value(x), -3.0, "x");
    assert_near(s.value(y), -2.0, "y");
    assert_near(s.dual(r), 1.0, "row dual");
    assert_near(s.reduced_costs[y.0], 1.0, "reduced cost of y");
    assert_near(s.reduced_costs[x.0], 0.0, "reduced cost of x");
}

/// A variable fixed by equal bounds and one pushed to its upper bound by a negative cost:
/// minimise −x − y with x ∈ [0, 3], y = 2 fixed, x + y ≤ 10. x = 3 at its upper bound (reduced
/// cost −1), the row is slack.
#[test]
fn bounds_only_optimum() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, 3.0, -1.0);
    let y = p.add_var(2.0, 2.0, -1.0);
    let r = p.add_row(-INF, 10.0, &[(x, 1.0), (y, 1.0)]);
    let s = optimal(&p);
    assert_near(s.objective, -5.0, "objective");
    assert_near(s.value(x), 3.0, "x");
    assert_near(s.value(y), 2.0, "y");
    assert_near(s.dual(r), 0.0, "slack row");
    assert_near(s.reduced_costs[x.0], -1.0, "reduced cost at upper bound");
}

#[test]
fn infeasible_rows() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let y = p.add_var(0.0, INF, 1.0);
    p.add_row(-INF, 1.0, &[(x, 1.0), (y, 1.0)]);
    p.add_row(2.0, INF, &[(x, 1.0), (y, 1.0)]);
    assert!(matches!(solve(&p), Outcome::Infeasible));
}

#[test]
fn infeasible_through_bounds() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, 1.0, 0.0);
    let y = p.add_var(-1.0, 1.0, 0.0);
    p.add_row(2.5, 2.5, &[(x, 1.0), (y, 1.0)]);
    assert!(matches!(solve(&p), Outcome::Infeasible));
}

/// An infeasible problem that also has an improving ray must be reported infeasible.
#[test]
fn infeasible_beats_unbounded() {
    let mut p = Problem::new();
    let _x = p.add_var(0.0, INF, -1.0);
    let y = p.add_var(0.0, INF, 0.0);
    p.add_row(-INF, -1.0, &[(y, 1.0)]);
    assert!(matches!(solve(&p), Outcome::Infeasible));
}

/// Minimise −x − y with x − y ≤ 1: y (and x with it) grows without limit.
#[test]
fn unbounded_ray() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, -1.0);
    let y = p.add_var(0.0, INF, -1.0);
    p.add_row(-INF, 1.0, &[(x, 1.0), (y, -1.0)]);
    assert!(matches!(solve(&p), Outcome::Unbounded));
}

#[test]
fn unbounded_free_variable_without_rows() {
    let mut p = Problem::new();
    p.add_var(-INF, INF, 1.0);
    assert!(matches!(solve(&p), Outcome::Unbounded));
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

/// Beale's (1955) cycling example: with the textbook most-negative-reduced-cost rule and
/// lowest-index tie-break the simplex cycles. Optimum −1/20 at x₁ = 1/25, x₃ = 1.
#[test]
fn beale_cycling_example_terminates() {
    let mut p = Problem::new();
    let x1 = p.add_var(0.0, INF, -0.75);
    let x2 = p.add_var(0.0, INF, 150.0);
    let x3 = p.add_var(0.0, INF, -0.02);
    let x4 = p.add_var(0.0, INF, 6.0);
    p.add_row(
        -INF,
        0.0,
        &[(x1, 0.25), (x2, -60.0), (x3, -0.04), (x4, 9.0)],
    );
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -90.0), (x3, -0.02), (x4, 3.0)]);
    p.add_row(-INF, 1.0, &[(x3, 1.0)]);
    for simplex in cycling_prone_settings() {
        let Outcome::Optimal(s) = simplex.solve(&p).expect("solves") else {
            panic!("Beale's example not optimal with {simplex:?}");
        };
        assert_near(s.objective, -0.05, "objective");
        assert_near(s.value(x1), 0.04, "x1");
        assert_near(s.value(x3), 1.0, "x3");
    }
}

/// Chvátal's cycling example (maximise 10x₁ − 57x₂ − 9x₃ − 24x₄, written as a minimisation):
/// optimum 1 at x₁ = 1, x₃ = 1.
#[test]
fn chvatal_cycling_example_terminates() {
    let mut p = Problem::new();
    let x1 = p.add_var(0.0, INF, -10.0);
    let x2 = p.add_var(0.0, INF, 57.0);
    let x3 = p.add_var(0.0, INF, 9.0);
    let x4 = p.add_var(0.0, INF, 24.0);
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -5.5), (x3, -2.5), (x4, 9.0)]);
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -1.5), (x3, -0.5), (x4, 1.0)]);
    p.add_row(-INF, 1.0, &[(x1, 1.0)]);
    for simplex in cycling_prone_settings() {
        let Outcome::Optimal(s) = simplex.solve(&p).expect("solves") else {
            panic!("Chvátal's example not optimal with {simplex:?}");
        };
        assert_near(s.objective, -1.0, "objective");
        assert_near(s.value(x1), 1.0, "x1");
        assert_near(s.value(x3), 1.0, "x3");
    }
}

/// A highly degenerate assignment LP: every vertex has n − 1 of its 2n − 1 basic variables at
/// zero. The assignment polytope is integral, so the LP optimum is the best permutation, found
/// here by brute force over all 7! of them.
#[test]
fn degenerate_assignment_matches_brute_force() {
    let n = 7;
    let cost = |i: usize, j: usize| ((i * 5 + j * 3 + i * j) % 11) as f64;
    let mut p = Problem::new();
    let x: Vec<Vec<VarId>> = (0..n)
        .map(|i| (0..n).map(|j| p.add_var(0.0, INF, cost(i, j))).collect())
        .collect();
    for i in 0..n {
        let row: Vec<_> = (0..n).map(|j| (x[i][j], 1.0)).collect();
        p.add_row(1.0, 1.0, &row);
    }
    for j in 0..n {
        let col: Vec<_> = (0..n).map(|i| (x[i][j], 1.0)).collect();
        p.add_row(1.0, 1.0, &col);
    }
    let best = brute_force_assignment(n, &cost);
    for simplex in cycling_prone_settings() {
        let Outcome::Optimal(s) = simplex.solve(&p).expect("solves") else {
            panic!("assignment not optimal with {simplex:?}");
        };
        assert_near(s.objective, best, "assignment optimum");
    }
}

fn brute_force_assignment(n: usize, cost: &dyn Fn(usize, usize) -> f64) -> f64 {
    fn go(
        i: usize,
        n: usize,
        used: &mut Vec<bool>,
        acc: f64,
        best: &mut f64,
        cost: &dyn Fn(usize, usize) -> f64,
    ) {
        if i == n {
            *best = best.min(acc);
            return;
        }
        for j in 0..n {
            if !used[j] {
                used[j] = true;
                go(i + 1, n, used, acc + cost(i, j), best, cost);
                used[j] = false;
            }
        }
    }
    let mut best = f64::INFINITY;
    go(0, n, &mut vec![false; n], 0.0, &mut best, cost);
    best
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
    let base = || {
        let mut p = Problem::new();
        let x = p.add_var(0.0, 1.0, 1.0);
        p.add_row(0.0, 1.0, &[(x, 1.0)]);
        (p, x)
    };
    let (mut p, x) = base();
    p.set_cost(x, f64::NAN);
    assert!(matches!(solver.solve(&p), Err(LpError::NonFinite { .. })));
    let (mut p, x) = base();
    p.set_cost(x, f64::INFINITY);
    assert!(matches!(solver.solve(&p), Err(LpError::NonFinite { .. })));
    let (mut p, x) = base();
    p.set_var_bounds(x, f64::NAN, 1.0);
    assert!(matches!(solver.solve(&p), Err(LpError::NonFinite { .. })));
    let (mut p, x) = base();
    p.set_var_bounds(x, INF, INF);
    assert!(matches!(solver.solve(&p), Err(LpError::NonFinite { .. })));
    let (mut p, _) = base();
    p.set_row_bounds(corridor_lp::RowId(0), 0.0, -INF);
    assert!(matches!(solver.solve(&p), Err(LpError::NonFinite { .. })));
    let (mut p, x) = base();
    p.set_var_bounds(x, 2.0, 1.0);
    assert!(matches!(
        solver.solve(&p),
        Err(LpError::InvertedBounds { index: 0, .. })
    ));
    let (mut p, x) = base();
    p.add_row(0.0, 1.0, &[(x, f64::NEG_INFINITY)]);
    assert!(matches!(
        solver.solve(&p),
        Err(LpError::NonFinite { index: 1, .. })
    ));
    let (mut p, _) = base();
    p.add_row(0.0, 1.0, &[(VarId(7), 1.0)]);
    assert!(matches!(
        solver.solve(&p),
        Err(LpError::UnknownVar { var: 7, .. })
    ));
    let (mut p, _) = base();
    p.set_cost(VarId(3), 1.0);
    assert!(matches!(
        solver.solve(&p),
        Err(LpError::UnknownVar { var: 3, .. })
    ));
    let (mut p, _) = base();
    p.set_row_bounds(corridor_lp::RowId(5), 0.0, 1.0);
    assert!(matches!(
        solver.solve(&p),
        Err(LpError::UnknownRow { row: 5, .. })
    ));
    let bad_options = Simplex {
        primal_tol: f64::NAN,
        ..Simplex::default()
    };
    assert!(matches!(
        bad_options.solve(&base().0),
        Err(LpError::InvalidOption { .. })
    ));
}

/// Huge but finite data must not panic (whatever the outcome).
#[test]
fn huge_values_do_not_panic() {
    for big in [1e150, 1e300, f64::MAX] {
        let mut p = Problem::new();
        let x = p.add_var(-big, big, big);
        let y = p.add_var(0.0, INF, -1.0 / big);
        p.add_row(-big, big, &[(x, big), (y, 1.0)]);
        p.add_row(1.0, INF, &[(x, 1e-300), (y, big)]);
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
    let x: Vec<_> = (0..5)
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
