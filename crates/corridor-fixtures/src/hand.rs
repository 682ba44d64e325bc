//! Hand-checked LPs that corridor-lp's and corridor-highs's tests both solve: the optimum, primal
//! values and duals of each worked out on paper, and the infeasible, unbounded and malformed
//! problems each backend must recognise. Each backend's tests add what only it has (simplex
//! settings, HiGHS's options).

use corridor_lp::{Problem, RowId, Solution, VarId};

const INF: f64 = f64::INFINITY;

/// Asserts `actual` is `expected` to a relative 1e-9, naming `what` when it is not.
pub fn assert_near(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-9 * (1.0 + expected.abs()),
        "{what}: got {actual}, expected {expected}"
    );
}

/// A hand-made LP and what its optimum must be.
#[derive(Debug)]
pub struct HandLp {
    /// Names the LP in failure messages.
    pub name: &'static str,
    /// The LP.
    pub problem: Problem,
    /// The optimal objective.
    pub objective: f64,
    /// Variables whose optimal value is unique, with that value.
    pub values: Vec<(VarId, f64)>,
    /// Rows whose dual is unique, with that dual.
    pub duals: Vec<(RowId, f64)>,
    /// Variables whose reduced cost is unique, with that reduced cost.
    pub reduced_costs: Vec<(VarId, f64)>,
    /// Rows whose activity at the optimum is unique, with that activity.
    pub row_activity: Vec<(RowId, f64)>,
}

impl HandLp {
    fn new(name: &'static str, problem: Problem, objective: f64) -> HandLp {
        HandLp {
            name,
            problem,
            objective,
            values: Vec::new(),
            duals: Vec::new(),
            reduced_costs: Vec::new(),
            row_activity: Vec::new(),
        }
    }

    /// Asserts that `s` has the worked-out objective, values, duals, reduced costs and row
    /// activities.
    pub fn check(&self, s: &Solution) {
        let name = self.name;
        assert_near(s.objective, self.objective, &format!("{name}: objective"));
        for &(v, x) in &self.values {
            assert_near(s.value(v), x, &format!("{name}: value of var {}", v.0));
        }
        for &(r, y) in &self.duals {
            assert_near(s.dual(r), y, &format!("{name}: dual of row {}", r.0));
        }
        for &(v, d) in &self.reduced_costs {
            let what = format!("{name}: reduced cost of var {}", v.0);
            assert_near(s.reduced_costs[v.0], d, &what);
        }
        for &(r, a) in &self.row_activity {
            let what = format!("{name}: activity of row {}", r.0);
            assert_near(s.row_activity[r.0], a, &what);
        }
    }
}

/// Every hand-checked LP with an optimum, but for the cycling-prone ones of [`cycling`].
pub fn optima() -> Vec<HandLp> {
    vec![
        transport(),
        crate_example(),
        diet(),
        wyndor(),
        equality_rows(),
        free_variables(),
        ranged_row_at_its_lower_bound(),
        negative_lower_bounds(),
        bounds_only_optimum(),
        duplicate_coefficients(),
    ]
}

/// Two plants (capacities 20 and 40) ship to three markets (demands 10, 25, 15).
///
/// Unit costs: plant 1 → (2, 4, 5), plant 2 → (3, 1, 7). Plant 2 serves market 2 (cost 1);
/// plant 1 cannot cover markets 1 and 3 (25 > 20), and moving market-1 volume to plant 2 costs
/// +1 per unit versus +2 for market 3, so 5 units of market 1 go to plant 2.
/// Optimum 2·5 + 5·15 + 3·5 + 1·25 = 125. Duals (u + v = cost on basic arcs, u₂ = 0 since plant
/// 2 has slack): v₁ = 3, v₂ = 1, u₁ = −1, v₃ = 6; reduced costs 4 (p1→m2) and 1 (p2→m3).
pub fn transport() -> HandLp {
    let mut p = Problem::new();
    let cost = [[2.0, 4.0, 5.0], [3.0, 1.0, 7.0]];
    let x: Vec<Vec<VarId>> = cost
        .iter()
        .map(|row| row.iter().map(|&c| p.add_var(0.0, INF, c)).collect())
        .collect();
    let plant: Vec<_> = [20.0, 40.0]
        .iter()
        .zip(&x)
        .map(|(&cap, xi)| p.add_row(-INF, cap, &[(xi[0], 1.0), (xi[1], 1.0), (xi[2], 1.0)]))
        .collect();
    let market: Vec<_> = [10.0, 25.0, 15.0]
        .iter()
        .enumerate()
        .map(|(j, &d)| p.add_row(d, d, &[(x[0][j], 1.0), (x[1][j], 1.0)]))
        .collect();
    let mut lp = HandLp::new("transport", p, 125.0);
    let expected_x = [[5.0, 0.0, 15.0], [5.0, 25.0, 0.0]];
    for (xi, ei) in x.iter().zip(expected_x) {
        lp.values.extend(xi.iter().copied().zip(ei));
    }
    lp.duals = vec![
        (plant[0], -1.0),
        (plant[1], 0.0),
        (market[0], 3.0),
        (market[1], 1.0),
        (market[2], 6.0),
    ];
    lp.reduced_costs = vec![(x[0][1], 4.0), (x[1][2], 1.0)];
    lp.row_activity = vec![(plant[1], 30.0)];
    lp
}

/// corridor-lp's crate example: ship 10 from `a` (cost 1, capacity 6) and `b` (cost 3):
/// 6·1 + 4·3 = 18; one more unit of demand costs 3, one more unit of capacity saves 2.
pub fn crate_example() -> HandLp {
    let mut p = Problem::new();
    let a = p.add_var(0.0, INF, 1.0);
    let b = p.add_var(0.0, INF, 3.0);
    let demand = p.add_row(10.0, 10.0, &[(a, 1.0), (b, 1.0)]);
    let cap_a = p.add_row(-INF, 6.0, &[(a, 1.0)]);
    let mut lp = HandLp::new("crate example", p, 18.0);
    lp.duals = vec![(demand, 3.0), (cap_a, -2.0)];
    lp
}

/// Diet: minimise 2x + 3y with x + y ≥ 4 and x + 3y ≥ 6. The vertex (3, 1) costs 9 against 12
/// at (0, 4) and (6, 0). Duals solve y₁ + y₂ = 2, y₁ + 3y₂ = 3: y₁ = 1.5, y₂ = 0.5.
pub fn diet() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 2.0);
    let y = p.add_var(0.0, INF, 3.0);
    let r1 = p.add_row(4.0, INF, &[(x, 1.0), (y, 1.0)]);
    let r2 = p.add_row(6.0, INF, &[(x, 1.0), (y, 3.0)]);
    let mut lp = HandLp::new("diet", p, 9.0);
    lp.values = vec![(x, 3.0), (y, 1.0)];
    lp.duals = vec![(r1, 1.5), (r2, 0.5)];
    lp
}

/// max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18 (Hillier and Lieberman's Wyndor) as a
/// minimisation: optimum (2, 6) at −36; rows at their upper bounds have duals 0, −1.5 and −1.
pub fn wyndor() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, -3.0);
    let y = p.add_var(0.0, INF, -5.0);
    let plant1 = p.add_row(-INF, 4.0, &[(x, 1.0)]);
    let plant2 = p.add_row(-INF, 12.0, &[(y, 2.0)]);
    let plant3 = p.add_row(-INF, 18.0, &[(x, 3.0), (y, 2.0)]);
    let mut lp = HandLp::new("wyndor", p, -36.0);
    lp.values = vec![(x, 2.0), (y, 6.0)];
    lp.duals = vec![(plant1, 0.0), (plant2, -1.5), (plant3, -1.0)];
    lp
}

/// x + y + z = 10, x − y = 2, minimise x + 2y + 3z: cost is 14 + 1.5z on the feasible line, so
/// z = 0, x = 6, y = 4. Duals: y₁ + y₂ = 1, y₁ − y₂ = 2 → 1.5 and −0.5; z's reduced cost 1.5.
pub fn equality_rows() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let y = p.add_var(0.0, INF, 2.0);
    let z = p.add_var(0.0, INF, 3.0);
    let sum = p.add_row(10.0, 10.0, &[(x, 1.0), (y, 1.0), (z, 1.0)]);
    let diff = p.add_row(2.0, 2.0, &[(x, 1.0), (y, -1.0)]);
    let mut lp = HandLp::new("equality rows", p, 14.0);
    lp.values = vec![(x, 6.0), (y, 4.0), (z, 0.0)];
    lp.duals = vec![(sum, 1.5), (diff, -0.5)];
    lp.reduced_costs = vec![(z, 1.5)];
    lp
}

/// Free variables: minimise t with t ≥ x − 3, t ≥ 3 − x and x ≥ 5 (as a row), x and t free.
/// Optimum t = 2 at x = 5; duals 1 on t − x ≥ −3 and on x ≥ 5, 0 on the slack row.
pub fn free_variables() -> HandLp {
    let mut p = Problem::new();
    let t = p.add_var(-INF, INF, 1.0);
    let x = p.add_var(-INF, INF, 0.0);
    let r1 = p.add_row(-3.0, INF, &[(t, 1.0), (x, -1.0)]);
    let r2 = p.add_row(3.0, INF, &[(t, 1.0), (x, 1.0)]);
    let r3 = p.add_row(5.0, INF, &[(x, 1.0)]);
    let mut lp = HandLp::new("free variables", p, 2.0);
    lp.values = vec![(t, 2.0), (x, 5.0)];
    lp.duals = vec![(r1, 1.0), (r2, 0.0), (r3, 1.0)];
    lp.reduced_costs = vec![(t, 0.0)];
    lp
}

/// Minimise x with −2 ≤ x − y ≤ 5, x free, 1 ≤ y ≤ 3: x = y − 2 is least at y = 1. The ranged
/// row sits at its lower bound (dual 1) and y at its lower bound (reduced cost 0 − 1·(−1) = 1).
pub fn ranged_row_at_its_lower_bound() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(-INF, INF, 1.0);
    let y = p.add_var(1.0, 3.0, 0.0);
    let band = p.add_row(-2.0, 5.0, &[(x, 1.0), (y, -1.0)]);
    let mut lp = HandLp::new("ranged row", p, -1.0);
    lp.values = vec![(x, -1.0), (y, 1.0)];
    lp.duals = vec![(band, 1.0)];
    lp.reduced_costs = vec![(y, 1.0)];
    lp
}

/// Negative bounds: minimise x + 2y, x ∈ [−4, 4], y ∈ [−2, 5], x + y ≥ −5. On x + y = −5 the
/// cost is −10 − x, so x is as large as y ≥ −2 allows: x = −3, y = −2, objective −7. Row dual 1,
/// reduced cost of y (at its lower bound) 2 − 1 = 1.
pub fn negative_lower_bounds() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(-4.0, 4.0, 1.0);
    let y = p.add_var(-2.0, 5.0, 2.0);
    let r = p.add_row(-5.0, INF, &[(x, 1.0), (y, 1.0)]);
    let mut lp = HandLp::new("negative lower bounds", p, -7.0);
    lp.values = vec![(x, -3.0), (y, -2.0)];
    lp.duals = vec![(r, 1.0)];
    lp.reduced_costs = vec![(y, 1.0), (x, 0.0)];
    lp
}

/// A variable fixed by equal bounds and one pushed to its upper bound by a negative cost:
/// minimise −x − y with x ∈ [0, 3], y = 2 fixed, x + y ≤ 10. x = 3 at its upper bound (reduced
/// cost −1), the row is slack.
pub fn bounds_only_optimum() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(0.0, 3.0, -1.0);
    let y = p.add_var(2.0, 2.0, -1.0);
    let r = p.add_row(-INF, 10.0, &[(x, 1.0), (y, 1.0)]);
    let mut lp = HandLp::new("bounds-only optimum", p, -5.0);
    lp.values = vec![(x, 3.0), (y, 2.0)];
    lp.duals = vec![(r, 0.0)];
    lp.reduced_costs = vec![(x, -1.0)];
    lp
}

/// Minimise x + z with x + x + z ≥ 4 (a coefficient listed twice) and z fixed at 1: x = 1.5,
/// row dual 0.5, z's reduced cost 1 − 0.5 = 0.5.
pub fn duplicate_coefficients() -> HandLp {
    let mut p = Problem::new();
    let x = p.add_var(0.0, INF, 1.0);
    let z = p.add_var(1.0, 1.0, 1.0);
    let row = p.add_row(4.0, INF, &[(x, 1.0), (x, 1.0), (z, 1.0)]);
    let mut lp = HandLp::new("duplicate coefficients", p, 2.5);
    lp.values = vec![(x, 1.5)];
    lp.duals = vec![(row, 0.5)];
    lp.reduced_costs = vec![(z, 0.5)];
    lp
}

/// The LPs on which a textbook simplex cycles or stalls: Beale's and Chvátal's cycling examples
/// and a highly degenerate assignment.
pub fn cycling() -> Vec<HandLp> {
    vec![beale(), chvatal(), degenerate_assignment(7)]
}

/// Beale's (1955) cycling example: with the textbook most-negative-reduced-cost rule and
/// lowest-index tie-break the simplex cycles. Optimum −1/20 at x₁ = 1/25, x₃ = 1.
pub fn beale() -> HandLp {
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
    let mut lp = HandLp::new("Beale's cycling example", p, -0.05);
    lp.values = vec![(x1, 0.04), (x3, 1.0)];
    lp
}

/// Chvátal's cycling example (maximise 10x₁ − 57x₂ − 9x₃ − 24x₄, written as a minimisation):
/// optimum 1 at x₁ = 1, x₃ = 1.
pub fn chvatal() -> HandLp {
    let mut p = Problem::new();
    let x1 = p.add_var(0.0, INF, -10.0);
    let x2 = p.add_var(0.0, INF, 57.0);
    let x3 = p.add_var(0.0, INF, 9.0);
    let x4 = p.add_var(0.0, INF, 24.0);
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -5.5), (x3, -2.5), (x4, 9.0)]);
    p.add_row(-INF, 0.0, &[(x1, 0.5), (x2, -1.5), (x3, -0.5), (x4, 1.0)]);
    p.add_row(-INF, 1.0, &[(x1, 1.0)]);
    let mut lp = HandLp::new("Chvátal's cycling example", p, -1.0);
    lp.values = vec![(x1, 1.0), (x3, 1.0)];
    lp
}

/// A highly degenerate n × n assignment LP: every vertex has n − 1 of its 2n − 1 basic
/// variables at zero. The assignment polytope is integral, so the LP optimum is the best
/// permutation, found here by brute force over all n! of them.
pub fn degenerate_assignment(n: usize) -> HandLp {
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
    HandLp::new("degenerate assignment", p, brute_force_assignment(n, &cost))
}

/// The cheapest assignment of n rows to n columns under `cost`, over all n! permutations.
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

/// Infeasible LPs, named: rows that contradict each other, rows that bounds cannot meet, and one
/// that also has an improving ray (it must still be reported infeasible).
pub fn infeasible() -> Vec<(&'static str, Problem)> {
    let mut rows = Problem::new();
    let x = rows.add_var(0.0, INF, 1.0);
    let y = rows.add_var(0.0, INF, 1.0);
    rows.add_row(-INF, 1.0, &[(x, 1.0), (y, 1.0)]);
    rows.add_row(2.0, INF, &[(x, 1.0), (y, 1.0)]);

    let mut bounds = Problem::new();
    let x = bounds.add_var(0.0, 1.0, 0.0);
    let y = bounds.add_var(-1.0, 1.0, 0.0);
    bounds.add_row(2.5, 2.5, &[(x, 1.0), (y, 1.0)]);

    let mut with_ray = Problem::new();
    let _x = with_ray.add_var(0.0, INF, -1.0);
    let y = with_ray.add_var(0.0, INF, 0.0);
    with_ray.add_row(-INF, -1.0, &[(y, 1.0)]);

    vec![
        ("contradicting rows", rows),
        ("rows beyond the bounds", bounds),
        ("infeasible with an improving ray", with_ray),
    ]
}

/// Unbounded LPs, named: minimise −x − y with x − y ≤ 1 (y, and x with it, grows without
/// limit), and a free variable with a cost and no rows.
pub fn unbounded() -> Vec<(&'static str, Problem)> {
    let mut ray = Problem::new();
    let x = ray.add_var(0.0, INF, -1.0);
    let y = ray.add_var(0.0, INF, -1.0);
    ray.add_row(-INF, 1.0, &[(x, 1.0), (y, -1.0)]);

    let mut free = Problem::new();
    free.add_var(-INF, INF, 1.0);

    vec![("unbounded ray", ray), ("free variable without rows", free)]
}

/// Malformed variants of one small LP, each of which a backend must refuse with an error (not a
/// panic): in order, a NaN cost, an infinite cost, a NaN bound, a variable with both bounds
/// infinite, a row with bounds [0, −∞], inverted bounds on var 0, an infinite coefficient in row
/// 1, an unknown var 7 in a row, a cost on unknown var 3, bounds on unknown row 5.
pub fn malformed() -> Vec<Problem> {
    let base = || {
        let mut p = Problem::new();
        let x = p.add_var(0.0, 1.0, 1.0);
        p.add_row(0.0, 1.0, &[(x, 1.0)]);
        (p, x)
    };
    let edits: [fn(&mut Problem, VarId); 10] = [
        |p, x| p.set_cost(x, f64::NAN),
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
    ];
    edits
        .iter()
        .map(|edit| {
            let (mut p, x) = base();
            edit(&mut p, x);
            p
        })
        .collect()
}

/// LPs with huge but finite data (1e150, 1e300, `f64::MAX`), which must not panic whatever the
/// outcome.
pub fn huge_values() -> Vec<Problem> {
    [1e150, 1e300, f64::MAX]
        .into_iter()
        .map(|big| {
            let mut p = Problem::new();
            let x = p.add_var(-big, big, big);
            let y = p.add_var(0.0, INF, -1.0 / big);
            p.add_row(-big, big, &[(x, big), (y, 1.0)]);
            p.add_row(1.0, INF, &[(x, 1e-300), (y, big)]);
            p
        })
        .collect()
}
