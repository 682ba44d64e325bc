//! The LP test support that corridor-lp's and corridor-highs's tests (and the `lp_scale` example)
//! share: an independent reference solver (microlp), random problem generators, multi-commodity
//! flow LPs of corridor's size and solution checks, so every `LpSolver` backend faces the same LPs
//! and the same thresholds.

use corridor_lp::{verify, LpSolver, Outcome, Problem, RowId, Simplex, Solution, VarId};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What the reference solver concluded.
#[derive(Debug, Clone)]
pub enum Reference {
    /// An optimum.
    Optimal {
        /// The optimal objective.
        objective: f64,
        /// An optimal point, one value per variable.
        x: Vec<f64>,
    },
    /// No point meets the rows and bounds.
    Infeasible,
    /// The objective decreases without limit.
    Unbounded,
    /// microlp gave no verdict (it panicked, ran out of time or reported an error): compare nothing.
    Failed(String),
}

/// The same problem for microlp (ranged rows become two rows, free rows are dropped).
pub fn to_microlp(p: &Problem) -> (microlp::Problem, Vec<microlp::Variable>) {
    use microlp::{ComparisonOp, OptimizationDirection};
    let mut q = microlp::Problem::new(OptimizationDirection::Minimize);
    let vars: Vec<_> = (0..p.n_vars())
        .map(|j| {
            let (l, u) = p.var_bounds(VarId(j)).unwrap_or((0.0, 0.0));
            q.add_var(p.cost(VarId(j)).unwrap_or(0.0), (l, u))
        })
        .collect();
    for i in 0..p.n_rows() {
        let (l, u) = p.row_bounds(RowId(i)).unwrap_or((0.0, 0.0));
        let expr: Vec<(microlp::Variable, f64)> = p
            .row_coeffs(RowId(i))
            .iter()
            .map(|&(v, a)| (vars[v.0], a))
            .collect();
        if l == u {
            q.add_constraint(expr.as_slice(), ComparisonOp::Eq, l);
            continue;
        }
        if l.is_finite() {
            q.add_constraint(expr.as_slice(), ComparisonOp::Ge, l);
        }
        if u.is_finite() {
            q.add_constraint(expr.as_slice(), ComparisonOp::Le, u);
        }
    }
    (q, vars)
}

/// Solves `p` with microlp. A panic inside microlp, or a run longer than `time_limit_s` (microlp
/// can cycle), is reported as `Failed`.
pub fn solve_microlp(p: &Problem, time_limit_s: f64) -> Reference {
    let (mut q, vars) = to_microlp(p);
    q.set_time_limit(std::time::Duration::from_secs_f64(time_limit_s));
    let result = std::panic::catch_unwind(move || q.solve());
    match result {
        Err(_) => Reference::Failed("microlp panicked".to_string()),
        Ok(Err(microlp::Error::Infeasible)) => Reference::Infeasible,
        Ok(Err(microlp::Error::Unbounded)) => Reference::Unbounded,
        Ok(Err(e)) => Reference::Failed(e.to_string()),
        Ok(Ok(outcome)) => match outcome.solution() {
            Some(s) => Reference::Optimal {
                objective: s.objective(),
                x: vars.iter().map(|&v| s.var_value(v)).collect(),
            },
            None => Reference::Failed("interrupted".to_string()),
        },
    }
}

/// Solves with `solver`; panics (test failure) on an error, naming the backend.
pub fn solve_with(solver: &impl LpSolver, p: &Problem) -> Outcome {
    match solver.solve(p) {
        Ok(o) => o,
        Err(e) => panic!("{} error: {e}", solver.name()),
    }
}

/// Solves with `solver` and insists on an optimum that passes [`check_solution`].
pub fn optimal_with(solver: &impl LpSolver, p: &Problem) -> Solution {
    match solve_with(solver, p) {
        Outcome::Optimal(s) => {
            check_solution(p, &s);
            s
        }
        other => panic!("expected an optimum from {}, got {other:?}", solver.name()),
    }
}

/// Solves with corridor-lp's default simplex; panics (test failure) on an error.
pub fn solve(p: &Problem) -> Outcome {
    solve_with(&Simplex::default(), p)
}

/// Solves with corridor-lp's default simplex and insists on an optimum that passes
/// [`check_solution`].
pub fn optimal(p: &Problem) -> Solution {
    optimal_with(&Simplex::default(), p)
}

/// Primal feasibility, dual signs, complementary slackness and strong duality within 1e-6, and
/// `objective` equal to `c·x`.
pub fn check_solution(p: &Problem, s: &Solution) {
    assert_eq!(s.x.len(), p.n_vars());
    assert_eq!(s.row_activity.len(), p.n_rows());
    assert_eq!(s.row_duals.len(), p.n_rows());
    assert_eq!(s.reduced_costs.len(), p.n_vars());
    let v = verify(p, s);
    assert!(v.primal_violation <= 1e-6, "primal violation {v:?}");
    let dual_scale = 1.0 + p.costs().iter().fold(0.0f64, |a, c| a.max(c.abs()));
    assert!(
        v.dual_violation <= 1e-6 * dual_scale,
        "dual sign violation {v:?}"
    );
    assert!(v.complementarity <= 1e-6, "complementarity {v:?}");
    assert!(v.duality_gap <= 1e-6, "duality gap {v:?}");
    let obj = p.objective_of(&s.x);
    assert!((obj - s.objective).abs() <= 1e-9 * (1.0 + obj.abs()));
}

/// `|a - b| <= tol * (1 + max(|a|, |b|))`.
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

/// Whether `s` is a nondegenerate vertex: exactly `n_vars` of the variables and rows sit at a
/// bound (a fixed one counting once). Such a vertex has a unique dual solution, so any optimal
/// duals of the problem must equal its duals.
pub fn nondegenerate(p: &Problem, s: &Solution) -> bool {
    let at_bound = |value: f64, lower: f64, upper: f64| {
        let near = |b: f64| b.is_finite() && (value - b).abs() <= 1e-9 * (1.0 + b.abs());
        near(lower) || near(upper)
    };
    let vars = (0..p.n_vars())
        .filter(|&j| at_bound(s.x[j], p.var_lowers()[j], p.var_uppers()[j]))
        .count();
    let rows = (0..p.n_rows())
        .filter(|&i| at_bound(s.row_activity[i], p.row_lowers()[i], p.row_uppers()[i]))
        .count();
    vars + rows == p.n_vars()
}

/// Sizes of a multi-commodity network-flow LP.
#[derive(Clone, Copy, Debug)]
pub struct McfConfig {
    /// Nodes of the network.
    pub nodes: usize,
    /// Commodities, each with its own flow column per arc and conservation row per node.
    pub commodities: usize,
    /// Arcs, each with a capacity row shared by the commodities.
    pub arcs: usize,
    /// Groups of arcs under a weighted "corridor" limit, one row each.
    pub groups: usize,
    /// Markets of each commodity, each with its demand and `unmet` column.
    pub sinks_per_commodity: usize,
}

impl McfConfig {
    /// 2,000 rows × ~5,100 columns, 4 nonzeros per arc column.
    pub const LARGE: McfConfig = McfConfig {
        nodes: 140,
        commodities: 10,
        arcs: 500,
        groups: 100,
        sinks_per_commodity: 10,
    };
    /// ≈300 rows × ≈800 columns, the typical corridor size.
    pub const TYPICAL: McfConfig = McfConfig {
        nodes: 50,
        commodities: 4,
        arcs: 200,
        groups: 20,
        sinks_per_commodity: 6,
    };
}

/// A random multi-commodity min-cost flow LP.
///
/// Rows: per commodity and node a conservation row (source: `0 <= out - in <= supply`; sink:
/// `out - in - unmet = -demand`; transit: `out - in = 0`), per arc a shared capacity row and per
/// group of arcs a weighted "corridor" limit. Columns: one flow per commodity and arc (4
/// nonzeros) plus one heavily penalised `unmet` column per sink, so the LP is always feasible.
// Index loops walk the flow matrix, the arcs and their lengths together.
#[allow(clippy::needless_range_loop)]
pub fn multicommodity(seed: u64, cfg: McfConfig) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let McfConfig {
        nodes,
        commodities,
        arcs,
        groups,
        sinks_per_commodity,
    } = cfg;
    // A ring in both directions keeps the network strongly connected; the rest is random.
    let mut arc_list: Vec<(usize, usize)> = Vec::with_capacity(arcs);
    for v in 0..nodes {
        if arc_list.len() + 2 > arcs {
            break;
        }
        arc_list.push((v, (v + 1) % nodes));
        arc_list.push(((v + 1) % nodes, v));
    }
    while arc_list.len() < arcs {
        let a = rng.gen_range(0..nodes);
        let b = rng.gen_range(0..nodes);
        if a != b {
            arc_list.push((a, b));
        }
    }
    let pos: Vec<(f64, f64)> = (0..nodes)
        .map(|_| (rng.gen_range(0.0..100.0), rng.gen_range(0.0..100.0)))
        .collect();
    let length: Vec<f64> = arc_list
        .iter()
        .map(|&(a, b)| {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            (dx * dx + dy * dy).sqrt() + 1.0
        })
        .collect();
    let mut p = Problem::new();
    let mut flow = vec![vec![VarId(0); arcs]; commodities];
    let weight: Vec<f64> = (0..commodities).map(|_| rng.gen_range(0.5..2.0)).collect();
    for k in 0..commodities {
        for (a, &len) in length.iter().enumerate() {
            let c = len * (1.0 + 0.1 * k as f64) * rng.gen_range(0.8..1.2);
            flow[k][a] = p.add_var(0.0, f64::INFINITY, c);
        }
    }
    let mut total_demand = 0.0;
    for k in 0..commodities {
        let source = rng.gen_range(0..nodes);
        let mut sinks = Vec::new();
        while sinks.len() < sinks_per_commodity.min(nodes - 1) {
            let s = rng.gen_range(0..nodes);
            if s != source && !sinks.contains(&s) {
                sinks.push(s);
            }
        }
        let demands: Vec<f64> = sinks.iter().map(|_| rng.gen_range(5.0..50.0)).collect();
        let supply: f64 = demands.iter().sum::<f64>() * 1.1;
        total_demand += supply;
        for v in 0..nodes {
            let mut coeffs = Vec::new();
            for (a, &(from, to)) in arc_list.iter().enumerate() {
                if from == v {
                    coeffs.push((flow[k][a], 1.0));
                } else if to == v {
                    coeffs.push((flow[k][a], -1.0));
                }
            }
            if v == source {
                p.add_row(0.0, supply, &coeffs);
            } else if let Some(s) = sinks.iter().position(|&s| s == v) {
                let unmet = p.add_var(0.0, f64::INFINITY, 1e4);
                coeffs.push((unmet, -1.0));
                p.add_row(-demands[s], -demands[s], &coeffs);
            } else {
                p.add_row(0.0, 0.0, &coeffs);
            }
        }
    }
    let typical = total_demand / commodities.max(1) as f64 * 0.5;
    for a in 0..arcs {
        let coeffs: Vec<_> = (0..commodities).map(|k| (flow[k][a], 1.0)).collect();
        p.add_row(
            f64::NEG_INFINITY,
            typical * rng.gen_range(0.3..1.5),
            &coeffs,
        );
    }
    let mut group_of: Vec<usize> = (0..arcs).map(|a| a % groups.max(1)).collect();
    for g in group_of.iter_mut() {
        if rng.gen_bool(0.3) {
            *g = rng.gen_range(0..groups.max(1));
        }
    }
    for g in 0..groups {
        let mut coeffs = Vec::new();
        for a in (0..arcs).filter(|&a| group_of[a] == g) {
            for k in 0..commodities {
                coeffs.push((flow[k][a], weight[k]));
            }
        }
        let n_arcs = coeffs.len() / commodities.max(1);
        p.add_row(
            f64::NEG_INFINITY,
            typical * n_arcs as f64 * rng.gen_range(0.3..1.0),
            &coeffs,
        );
    }
    p
}

/// A random small LP with boxed variables (so it is never unbounded) and all kinds of rows.
pub fn random_boxed_lp(rng: &mut ChaCha8Rng, n: usize, m: usize) -> Problem {
    let mut p = Problem::new();
    for _ in 0..n {
        let lower = rng.gen_range(-10i32..=5) as f64;
        let upper = if rng.gen_bool(0.1) {
            lower
        } else {
            lower + rng.gen_range(1i32..=10) as f64
        };
        p.add_var(lower, upper, rng.gen_range(-10i32..=10) as f64);
    }
    add_random_rows(rng, &mut p, m, 0.6);
    p
}

/// A random sparse LP with boxed variables; `density` is the chance of each coefficient.
pub fn random_sparse_lp(rng: &mut ChaCha8Rng, n: usize, m: usize, density: f64) -> Problem {
    let mut p = Problem::new();
    for _ in 0..n {
        let lower = rng.gen_range(-10i32..=5) as f64;
        let upper = lower + rng.gen_range(0i32..=20) as f64;
        p.add_var(lower, upper, rng.gen_range(-10i32..=10) as f64);
    }
    add_random_rows(rng, &mut p, m, density);
    p
}

/// A random small LP that may have free or half-bounded variables (so it may be unbounded).
pub fn random_open_lp(rng: &mut ChaCha8Rng, n: usize, m: usize) -> Problem {
    let mut p = Problem::new();
    for _ in 0..n {
        let (lower, upper) = match rng.gen_range(0..5) {
            0 => (f64::NEG_INFINITY, f64::INFINITY),
            1 => (f64::NEG_INFINITY, rng.gen_range(-5i32..=5) as f64),
            2 => (rng.gen_range(-5i32..=5) as f64, f64::INFINITY),
            _ => {
                let l = rng.gen_range(-5i32..=5) as f64;
                (l, l + rng.gen_range(0i32..=6) as f64)
            }
        };
        p.add_var(lower, upper, rng.gen_range(-6i32..=6) as f64);
    }
    add_random_rows(rng, &mut p, m, 0.6);
    p
}

/// Adds `m` random rows. Their bounds are placed around the activity at a random integer point
/// inside the variable bounds, usually (not always) on the side that keeps that point feasible, so
/// most problems are feasible and some are not.
fn add_random_rows(rng: &mut ChaCha8Rng, p: &mut Problem, m: usize, density: f64) {
    let n = p.n_vars();
    let x0: Vec<f64> = (0..n)
        .map(|j| {
            let l = p.var_lowers()[j].max(-8.0);
            let u = p.var_uppers()[j].min(8.0).max(l);
            rng.gen_range(l.ceil() as i32..=u.floor().max(l.ceil()) as i32) as f64
        })
        .collect();
    for _ in 0..m {
        let mut coeffs = Vec::new();
        let mut act = 0.0;
        for (j, &x) in x0.iter().enumerate() {
            if rng.gen_bool(density) {
                let a = rng.gen_range(-5i32..=5) as f64;
                if a != 0.0 {
                    coeffs.push((VarId(j), a));
                    act += a * x;
                }
            }
        }
        let slack = rng.gen_range(-3i32..=8) as f64;
        let (lower, upper) = match rng.gen_range(0..7) {
            0 | 1 => (f64::NEG_INFINITY, act + slack),
            2 | 3 => (act - slack, f64::INFINITY),
            4 => (act, act),
            5 => (act - slack, act - slack + rng.gen_range(1i32..=8) as f64),
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        };
        p.add_row(lower, upper, &coeffs);
    }
}
