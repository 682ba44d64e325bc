//! Shadow prices against finite differences.
//!
//! The optimal value V(b) of an LP is convex and piecewise linear in the active bound `b` of a
//! row, and a correct dual `y` is a subgradient: `V(b + δ) ≥ V(b) + y·δ` for every δ, so
//! `(V(b) − V(b − δ))/δ ≤ y ≤ (V(b + δ) − V(b))/δ`. When the basis does not change over
//! `[b − δ, b + δ]` both difference quotients equal `y`; at a degenerate vertex (a kink of V)
//! they differ and `y` may be anywhere between them.

use corridor_fixtures::lp::{check_solution, optimal, random_boxed_lp, solve};
use corridor_lp::{Outcome, Problem, RowId, VarId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// V(b) with row `r`'s active bound moved by `delta` (both bounds for an equality row).
fn value_with_shift(p: &Problem, r: RowId, at_upper: bool, delta: f64) -> Option<f64> {
    let (l, u) = p.row_bounds(r)?;
    let mut q = p.clone();
    if l == u {
        q.set_row_bounds(r, l + delta, u + delta);
    } else if at_upper {
        if u + delta < l {
            return None;
        }
        q.set_row_bounds(r, l, u + delta);
    } else {
        if l + delta > u {
            return None;
        }
        q.set_row_bounds(r, l + delta, u);
    }
    match solve(&q) {
        Outcome::Optimal(s) => Some(s.objective),
        _ => None,
    }
}

struct Tally {
    checked: usize,
    exact: usize,
}

fn check_row_duals(p: &Problem, tally: &mut Tally) {
    let s = optimal(p);
    let delta = 1e-3;
    for i in 0..p.n_rows() {
        let r = RowId(i);
        let Some((l, u)) = p.row_bounds(r) else {
            continue;
        };
        let act = s.row_activity[i];
        let y = s.dual(r);
        let at_upper = u.is_finite() && (act - u).abs() < 1e-7;
        let at_lower = l.is_finite() && (act - l).abs() < 1e-7;
        if !(at_upper || at_lower) {
            assert!(y.abs() < 1e-9, "row {i} is slack but has dual {y}");
            continue;
        }
        let tol = 1e-6 * (1.0 + s.objective.abs()) / delta;
        let up = value_with_shift(p, r, at_upper, delta).map(|v| (v - s.objective) / delta);
        let down = value_with_shift(p, r, at_upper, -delta).map(|v| (s.objective - v) / delta);
        if let Some(right) = up {
            assert!(
                y <= right + tol,
                "row {i}: dual {y} above right slope {right}"
            );
        }
        if let Some(left) = down {
            assert!(y >= left - tol, "row {i}: dual {y} below left slope {left}");
        }
        tally.checked += 1;
        if let (Some(left), Some(right)) = (down, up) {
            if (right - left).abs() <= tol {
                // No kink: the dual is the derivative.
                assert!(
                    (y - right).abs() <= 2.0 * tol,
                    "row {i}: dual {y}, slope {right}"
                );
                tally.exact += 1;
            }
        }
    }
}

#[test]
fn duals_are_subgradients_and_match_slopes_without_degeneracy() {
    let mut rng = ChaCha8Rng::seed_from_u64(20240611);
    let mut tally = Tally {
        checked: 0,
        exact: 0,
    };
    let mut problems = 0;
    while problems < 150 {
        let n = rng.gen_range(2..8);
        let m = rng.gen_range(1..7);
        let p = random_boxed_lp(&mut rng, n, m);
        if let Outcome::Optimal(s) = solve(&p) {
            check_solution(&p, &s);
            check_row_duals(&p, &mut tally);
            problems += 1;
        }
    }
    // The exact-slope branch must actually be exercised, not skipped as "degenerate".
    assert!(tally.checked > 100, "only {} binding rows", tally.checked);
    assert!(
        tally.exact * 2 > tally.checked,
        "only {} of {} binding rows had a kink-free value function",
        tally.exact,
        tally.checked
    );
}

/// Reduced costs are shadow prices of variable bounds: moving the active bound of a nonbasic
/// variable by δ changes the objective by d·δ as long as the basis stays optimal.
#[test]
fn reduced_costs_match_bound_slopes() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut exact = 0;
    let mut checked = 0;
    let mut problems = 0;
    while problems < 100 {
        let n = rng.gen_range(2..8);
        let m = rng.gen_range(1..6);
        let p = random_boxed_lp(&mut rng, n, m);
        let Outcome::Optimal(s) = solve(&p) else {
            continue;
        };
        problems += 1;
        let delta = 1e-3;
        for j in 0..p.n_vars() {
            let v = VarId(j);
            let Some((l, u)) = p.var_bounds(v) else {
                continue;
            };
            let d = s.reduced_costs[j];
            if l == u || d.abs() < 1e-9 {
                continue;
            }
            let shifted = |shift: f64| {
                let mut q = p.clone();
                if d > 0.0 {
                    q.set_var_bounds(v, (l + shift).min(u), u);
                } else {
                    q.set_var_bounds(v, l, (u + shift).max(l));
                }
                match solve(&q) {
                    Outcome::Optimal(t) => Some(t.objective),
                    _ => None,
                }
            };
            let tol = 1e-6 * (1.0 + s.objective.abs()) / delta;
            let right = shifted(delta).map(|o| (o - s.objective) / delta);
            let left = shifted(-delta).map(|o| (s.objective - o) / delta);
            if let Some(right) = right {
                assert!(
                    d <= right + tol,
                    "var {j}: reduced cost {d} above slope {right}"
                );
            }
            if let Some(left) = left {
                assert!(
                    d >= left - tol,
                    "var {j}: reduced cost {d} below slope {left}"
                );
            }
            checked += 1;
            if let (Some(a), Some(b)) = (left, right) {
                if (a - b).abs() <= tol {
                    exact += 1;
                }
            }
        }
    }
    assert!(
        checked > 50 && exact * 2 > checked,
        "{exact} of {checked} exact"
    );
}
