//! Hand-checked LPs: the tiny LPs of corridor-lp's tests (optimum, primal values and duals
//! worked out on paper), a few more about the translation to HiGHS, infeasible and unbounded
//! problems, and malformed input. Every optimum is also solved by corridor-lp's simplex, which
//! must agree on the objective, and on the duals wherever they are unique.

use crate::support::{check_solution, highs, nondegenerate, optimal, simplex};
use corridor_highs::Highs;
use corridor_lp::{LpSolver, Outcome, Problem, RowId, Simplex, Solution, VarId};

const INF: f64 = f64::INFINITY;

fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * (1.0 + expected.abs()),
        "{what}: got {actual}, expected {expected}"
    );
}

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

/// Two plants (capacities 20 and 40) ship to three markets (demands 10, 25, 15); see
/// corridor-lp's `transport_with_known_duals` for the derivation. Optimum 125; duals −1 and 0 on
/// the plants, 3, 1 and 6 on the markets.
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
    let s = solve_both(&p);
    assert_near(s.objective, 125.0, "objective");
    let expected_x = [[5.0, 0.0, 15.0], [5.0, 25.0, 0.0]];
    for (xi, ei) in x.iter().zip(expected_x) {
        for (&v, e) in xi.iter().zip(ei) {
            assert_near(s.value(v), e, "flow");
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

/// The crate example: ship 10 from `a` (cost 1, capacity 6) and `b` (cost 3): 6·1 + 4·3 = 18.
#[test]
fn crate_example() {
    let mut p = Problem::new();
    let a = p.add_var(0.0, INF, 1.0);
    let b = p.add_var(0.0, INF, 3.0);
    let demand = p.add_row(10.0, 10.0, &[(a, 1.0), (b, 1.0)]);
    let cap_a = p.add_row(-INF, 6.0, &[(a, 1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, 18.0, "objective");
    assert_near(s.dual(demand), 3.0, "one more unit of demand costs 3");
    assert_near(s.dual(cap_a), -2.0, "one more unit of capacity saves 2");
}

/// Diet: minimise 2x + 3y with x + y ≥ 4 and x + 3y ≥ 6: (3, 1) costs 9; duals 1.5 and 0.5.
#[test]
fn diet_with_known_duals() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 2.0);
    let y = p.add_var(0.0, INF, 3.0);
    let r1 = p.add_row(4.0, INF, &[(x, 1.0), (y, 1.0)]);
    let r2 = p.add_row(6.0, INF, &[(x, 1.0), (y, 3.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, 9.0, "objective");
    assert_near(s.value(x), 3.0, "x");
    assert_near(s.value(y), 1.0, "y");
    assert_near(s.dual(r1), 1.5, "dual of x + y >= 4");
    assert_near(s.dual(r2), 0.5, "dual of x + 3y >= 6");
}

/// max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 (Hillier and Lieberman's Wyndor) as a
/// minimisation: optimum (2, 6) at −36; rows at their upper bounds have duals 0, −1.5 and −1.
#[test]
fn rows_at_upper_bounds_have_nonpositive_duals() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, -3.0);
    let y = p.add_var(0.0, INF, -5.0);
    let plant1 = p.add_row(-INF, 4.0, &[(x, 1.0)]);
    let plant2 = p.add_row(-INF, 12.0, &[(y, 2.0)]);
    let plant3 = p.add_row(-INF, 18.0, &[(x, 3.0), (y, 2.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, -36.0, "objective");
    assert_near(s.value(x), 2.0, "x");
    assert_near(s.value(y), 6.0, "y");
    assert_near(s.dual(plant1), 0.0, "slack plant 1");
    assert_near(s.dual(plant2), -1.5, "plant 2");
    assert_near(s.dual(plant3), -1.0, "plant 3");
}

/// x + y + z = 10, x − y = 2, minimise x + 2y + 3z: z = 0, x = 6, y = 4, objective 14; duals 1.5
/// and −0.5; z's reduced cost 1.5.
#[test]
fn equality_rows() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let y = p.add_var(0.0, INF, 2.0);
    let z = p.add_var(0.0, INF, 3.0);
    let sum = p.add_row(10.0, 10.0, &[(x, 1.0), (y, 1.0), (z, 1.0)]);
    let diff = p.add_row(2.0, 2.0, &[(x, 1.0), (y, -1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, 14.0, "objective");
    assert_near(s.value(x), 6.0, "x");
    assert_near(s.value(y), 4.0, "y");
    assert_near(s.value(z), 0.0, "z");
    assert_near(s.dual(sum), 1.5, "dual of the sum row");
    assert_near(s.dual(diff), -0.5, "dual of the difference row");
    assert_near(s.reduced_costs[z.0], 1.5, "reduced cost of z");
}

/// Minimise t with t ≥ x − 3, t ≥ 3 − x and x ≥ 5 (as a row), x and t free: t = 2 at x = 5;
/// duals 1, 0 and 1.
#[test]
fn free_variables() {
    let mut p = Problem::new();
    let t = p.add_var(-INF, INF, 1.0);
    let x = p.add_var(-INF, INF, 0.0);
    let r1 = p.add_row(-3.0, INF, &[(t, 1.0), (x, -1.0)]);
    let r2 = p.add_row(3.0, INF, &[(t, 1.0), (x, 1.0)]);
    let r3 = p.add_row(5.0, INF, &[(x, 1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, 2.0, "objective");
    assert_near(s.value(t), 2.0, "t");
    assert_near(s.value(x), 5.0, "x");
    assert_near(s.dual(r1), 1.0, "dual of t - x >= -3");
    assert_near(s.dual(r2), 0.0, "dual of t + x >= 3");
    assert_near(s.dual(r3), 1.0, "dual of x >= 5");
    assert_near(s.reduced_costs[t.0], 0.0, "reduced cost of free t");
}

/// Minimise x with −2 ≤ x − y ≤ 5, x free, 1 ≤ y ≤ 3: x = y − 2 is least at y = 1. The ranged
/// row sits at its lower bound (dual 1) and y at its lower bound (reduced cost 0 − 1·(−1) = 1).
#[test]
fn ranged_row_at_its_lower_bound() {
    let mut p = Problem::new();
    let x = p.add_var(-INF, INF, 1.0);
    let y = p.add_var(1.0, 3.0, 0.0);
    let band = p.add_row(-2.0, 5.0, &[(x, 1.0), (y, -1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, -1.0, "objective");
    assert_near(s.value(x), -1.0, "x");
    assert_near(s.value(y), 1.0, "y");
    assert_near(s.dual(band), 1.0, "dual of the ranged row");
    assert_near(s.reduced_costs[y.0], 1.0, "reduced cost of y");
}

/// Minimise x + 2y, x ∈ [−4, 4], y ∈ [−2, 5], x + y ≥ −5: x = −3, y = −2, objective −7; row
/// dual 1, reduced costs 0 (x) and 1 (y).
#[test]
fn negative_lower_bounds() {
    let mut p = Problem::new();
    let x = p.add_var(-4.0, 4.0, 1.0);
    let y = p.add_var(-2.0, 5.0, 2.0);
    let r = p.add_row(-5.0, INF, &[(x, 1.0), (y, 1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, -7.0, "objective");
    assert_near(s.value(x), -3.0, "x");
    assert_near(s.value(y), -2.0, "y");
    assert_near(s.dual(r), 1.0, "row dual");
    assert_near(s.reduced_costs[y.0], 1.0, "reduced cost of y");
    assert_near(s.reduced_costs[x.0], 0.0, "reduced cost of x");
}

/// Minimise −x − y with x ∈ [0, 3], y = 2 fixed, x + y ≤ 10: x = 3 at its upper bound (reduced
/// cost −1), the row is slack.
#[test]
fn bounds_only_optimum() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, 3.0, -1.0);
    let y = p.add_var(2.0, 2.0, -1.0);
    let r = p.add_row(-INF, 10.0, &[(x, 1.0), (y, 1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, -5.0, "objective");
    assert_near(s.value(x), 3.0, "x");
    assert_near(s.value(y), 2.0, "y");
    assert_near(s.dual(r), 0.0, "slack row");
    assert_near(s.reduced_costs[x.0], -1.0, "reduced cost at upper bound");
}

/// Minimise x + z with x + x + z ≥ 4 (a coefficient listed twice) and z fixed at 1: x = 1.5,
/// row dual 0.5, z's reduced cost 1 − 0.5 = 0.5.
#[test]
fn duplicate_coefficients_are_summed() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let z = p.add_var(1.0, 1.0, 1.0);
    let row = p.add_row(4.0, INF, &[(x, 1.0), (x, 1.0), (z, 1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, 2.5, "objective");
    assert_near(s.value(x), 1.5, "x");
    assert_near(s.dual(row), 0.5, "row dual");
    assert_near(s.reduced_costs[z.0], 0.5, "reduced cost of fixed z");
}

/// Beale's (1955) cycling example: optimum −1/20 at x₁ = 1/25, x₃ = 1.
#[test]
fn beale_cycling_example() {
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
    let s = solve_both(&p);
    assert_near(s.objective, -0.05, "objective");
    assert_near(s.value(x1), 0.04, "x1");
    assert_near(s.value(x3), 1.0, "x3");
}

/// Chvátal's cycling example (maximise 10x₁ − 57x₂ − 9x₃ − 24x₄, as a minimisation): optimum 1
/// at x₁ = 1, x₃ = 1.
#[test]
fn chvatal_cycling_example() {
    let mut p = Problem::new();
    let x1 = p.add_var(0.0, INF, -10.0);
    let x2 = p.add_var(0.0, INF, 57.0);
    let x3 = p.add_var(0.0, INF, 9.0);
    let x4 = p.add_var(0.0, INF, 24.0);
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -5.5), (x3, -2.5), (x4, 9.0)]);
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -1.5), (x3, -0.5), (x4, 1.0)]);
    p.add_row(-INF, 1.0, &[(x1, 1.0)]);
    let s = solve_both(&p);
    assert_near(s.objective, -1.0, "objective");
    assert_near(s.value(x1), 1.0, "x1");
    assert_near(s.value(x3), 1.0, "x3");
}

/// A highly degenerate 7×7 assignment LP against the best of all 7! permutations.
#[test]
fn degenerate_assignment_matches_brute_force() {
    let n = 7;
    let cost = |i: usize, j: usize| ((i * 5 + j * 3 + i * j) % 11) as f64;
    let mut p = Problem::new();
    let x: Vec<Vec<VarId>> = (0..n)
        .map(|i| (0..n).map(|j| p.add_var(0.0, INF, cost(i, j))).collect())
        .collect();
    for xi in &x {
        let row: Vec<_> = xi.iter().map(|&v| (v, 1.0)).collect();
        p.add_row(1.0, 1.0, &row);
    }
    for j in 0..n {
        let col: Vec<_> = x.iter().map(|xi| (xi[j], 1.0)).collect();
        p.add_row(1.0, 1.0, &col);
    }
    let s = solve_both(&p);
    assert_near(
        s.objective,
        brute_force_assignment(n, &cost),
        "assignment optimum",
    );
}

fn brute_force_assignment(n: usize, cost: &dyn Fn(usize, usize) -> f64) -> f64 {
    fn go(i: usize, used: &mut [bool], acc: f64, cost: &dyn Fn(usize, usize) -> f64) -> f64 {
        if i == used.len() {
            return acc;
        }
        let mut best = f64::INFINITY;
        for j in 0..used.len() {
            if !used[j] {
                used[j] = true;
                best = best.min(go(i + 1, used, acc + cost(i, j), cost));
                used[j] = false;
            }
        }
        best
    }
    go(0, &mut vec![false; n], 0.0, cost)
}

#[test]
fn infeasible_rows() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let y = p.add_var(0.0, INF, 1.0);
    p.add_row(-INF, 1.0, &[(x, 1.0), (y, 1.0)]);
    p.add_row(2.0, INF, &[(x, 1.0), (y, 1.0)]);
    assert!(matches!(highs(&p), Outcome::Infeasible));
    assert!(matches!(simplex(&p), Outcome::Infeasible));
}

#[test]
fn infeasible_through_bounds() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, 1.0, 0.0);
    let y = p.add_var(-1.0, 1.0, 0.0);
    p.add_row(2.5, 2.5, &[(x, 1.0), (y, 1.0)]);
    assert!(matches!(highs(&p), Outcome::Infeasible));
    assert!(matches!(simplex(&p), Outcome::Infeasible));
}

/// An infeasible problem that also has an improving ray must be reported infeasible.
#[test]
fn infeasible_beats_unbounded() {
    let mut p = Problem::new();
    let _x = p.add_var(0.0, INF, -1.0);
    let y = p.add_var(0.0, INF, 0.0);
    p.add_row(-INF, -1.0, &[(y, 1.0)]);
    assert!(matches!(highs(&p), Outcome::Infeasible));
    assert!(matches!(simplex(&p), Outcome::Infeasible));
}

/// Minimise −x − y with x − y ≤ 1: y (and x with it) grows without limit.
#[test]
fn unbounded_ray() {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, -1.0);
    let y = p.add_var(0.0, INF, -1.0);
    p.add_row(-INF, 1.0, &[(x, 1.0), (y, -1.0)]);
    assert!(matches!(highs(&p), Outcome::Unbounded));
    assert!(matches!(simplex(&p), Outcome::Unbounded));
}

#[test]
fn unbounded_free_variable_without_rows() {
    let mut p = Problem::new();
    p.add_var(-INF, INF, 1.0);
    assert!(matches!(highs(&p), Outcome::Unbounded));
    assert!(matches!(simplex(&p), Outcome::Unbounded));
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
    let base = || {
        let mut p = Problem::new();
        let x = p.add_var(0.0, 1.0, 1.0);
        p.add_row(0.0, 1.0, &[(x, 1.0)]);
        (p, x)
    };
    let mut cases = Vec::new();
    for edit in [
        (|p: &mut Problem, x: VarId| p.set_cost(x, f64::NAN)) as fn(&mut Problem, VarId),
        |p, x| p.set_cost(x, INF),
        |p, x| p.set_var_bounds(x, f64::NAN, 1.0),
        |p, x| p.set_var_bounds(x, INF, INF),
        |p, _| p.set_row_bounds(RowId(0), 0.0, -INF),
        |p, x| p.set_var_bounds(x, 2.0, 1.0),
        |p, x| {
            p.add_row(0.0, 1.0, &[(x, f64::NEG_INFINITY)]);
        },
        |p, _| {
            p.add_row(0.0, 1.0, &[(VarId(7), 1.0)]);
        },
        |p, _| p.set_cost(VarId(3), 1.0),
        |p, _| p.set_row_bounds(RowId(5), 0.0, 1.0),
    ] {
        let (mut p, x) = base();
        edit(&mut p, x);
        cases.push(p);
    }
    for p in &cases {
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
    for big in [1e150, 1e300, f64::MAX] {
        let mut p = Problem::new();
        let x = p.add_var(-big, big, big);
        let y = p.add_var(0.0, INF, -1.0 / big);
        p.add_row(-big, big, &[(x, big), (y, 1.0)]);
        p.add_row(1.0, INF, &[(x, 1e-300), (y, big)]);
        for presolve in [true, false] {
            let _ = Highs {
                presolve,
                ..Highs::default()
            }
            .solve(&p);
        }
    }
}
