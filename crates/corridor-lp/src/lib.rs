//! Linear programming for corridor: a problem builder, a solver trait and a pure-Rust simplex.
//!
//! This crate knows nothing about transport, countries or units: it solves
//!
//! ```text
//! minimise    c·x
//! subject to  row_lower <= A x <= row_upper,   var_lower <= x <= var_upper
//! ```
//!
//! and reports primal values, row activities, row duals (shadow prices) and reduced costs.
//!
//! * [`Problem`] is the builder. It never panics; bad numbers or ids surface as an [`LpError`]
//!   when a solver validates the problem.
//! * [`LpSolver`] is the backend trait. [`Simplex`] is the default pure-Rust backend; a HiGHS
//!   backend can live in another crate behind a feature and implement the same trait.
//! * [`Outcome`] keeps the statuses apart: `Optimal`, `Infeasible` (proved by phase 1),
//!   `Unbounded` (an improving ray was found from a feasible point) and `IterationLimit`.
//!
//! # Sign convention of duals
//!
//! Every dual is a derivative of the optimal objective (of the minimisation):
//!
//! * `row_duals[i]` = d objective / d (the active bound of row `i`). A row at its upper bound has a
//!   dual `<= 0` (raising a capacity can only lower the cost), a row at its lower bound has a dual
//!   `>= 0`, an equality row may have either sign, and a row strictly between its bounds has 0.
//! * `reduced_costs[j]` = d objective / d (the active bound of variable `j`) = `cost_j - Σ_i
//!   row_duals[i] * a_ij`. It is `>= 0` at a lower bound, `<= 0` at an upper bound and 0 for a
//!   variable strictly between its bounds.
//!
//! Hence strong duality reads `objective = Σ_i row_duals[i] * row_activity[i] + Σ_j
//! reduced_costs[j] * x[j]`, where only active bounds contribute.
//!
//! # Tolerances of [`Simplex`]
//!
//! The default backend works on a copy of the problem scaled by powers of two (exact) and uses
//! `primal_tol = 1e-9` relative (a variable or row may be `1e-9 * (1 + |bound|)` outside a
//! bound), `dual_tol = 1e-9` relative to the largest |cost| (the optimality test on reduced costs)
//! and `pivot_tol = 1e-9` (smallest accepted pivot). Primal values are reported clamped to the
//! variable bounds. Every option is a public field of [`Simplex`].
//!
//! # Example
//!
//! ```
//! use corridor_lp::{LpSolver, Outcome, Problem, Simplex};
//!
//! // Ship 10 units to one sink from two sources with unit costs 1 and 3; source `a` can send 6.
//! let mut p = Problem::new();
//! let a = p.add_var(0.0, f64::INFINITY, 1.0);
//! let b = p.add_var(0.0, f64::INFINITY, 3.0);
//! let demand = p.add_row(10.0, 10.0, &[(a, 1.0), (b, 1.0)]);
//! let cap_a = p.add_row(f64::NEG_INFINITY, 6.0, &[(a, 1.0)]);
//!
//! let Outcome::Optimal(s) = Simplex::default().solve(&p)? else { panic!("not optimal") };
//! assert!((s.objective - 18.0).abs() < 1e-9); // 6*1 + 4*3
//! assert!((s.dual(demand) - 3.0).abs() < 1e-9); // one more unit of demand costs 3
//! assert!((s.dual(cap_a) + 2.0).abs() < 1e-9); // one more unit of capacity saves 2
//! # Ok::<(), corridor_lp::LpError>(())
//! ```

#![warn(missing_docs, unreachable_pub)]
// Index loops mirror the linear algebra (and often walk several arrays at once).
#![allow(clippy::needless_range_loop)]

mod lu;
mod problem;
mod simplex;

pub use problem::{CscMatrix, Problem, RowId, VarId};
pub use simplex::{Simplex, SolveStats};

/// An optimal primal–dual pair. All vectors are indexed by `VarId.0` or `RowId.0`.
#[derive(Clone, Debug)]
pub struct Solution {
    /// `Σ cost_j * x_j`.
    pub objective: f64,
    /// Value of each variable.
    pub x: Vec<f64>,
    /// `Σ_j a_ij * x_j` for each row.
    pub row_activity: Vec<f64>,
    /// d objective / d (active bound of row i): `<= 0` for a row at its upper bound, `>= 0` for a
    /// row at its lower bound, 0 for a row strictly between its bounds (see the crate docs).
    pub row_duals: Vec<f64>,
    /// d objective / d (active bound of variable j) = `cost_j - Σ_i row_duals[i] * a_ij`.
    pub reduced_costs: Vec<f64>,
}

impl Solution {
    /// Value of variable `v` (0 for an unknown id).
    pub fn value(&self, v: VarId) -> f64 {
        self.x.get(v.0).copied().unwrap_or(0.0)
    }

    /// Dual (shadow price) of row `r` (0 for an unknown id).
    pub fn dual(&self, r: RowId) -> f64 {
        self.row_duals.get(r.0).copied().unwrap_or(0.0)
    }
}

/// What a solver concluded. Infeasibility and unboundedness are outcomes, not errors.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// An optimal solution with duals.
    Optimal(Solution),
    /// No point satisfies all bounds and rows (proved by phase 1).
    Infeasible,
    /// The problem is feasible and the objective decreases without limit along a ray.
    Unbounded,
    /// The solver stopped before reaching a conclusion.
    IterationLimit {
        /// Simplex iterations performed.
        iterations: usize,
    },
}

impl Outcome {
    /// The solution if optimal.
    pub fn optimal(&self) -> Option<&Solution> {
        match self {
            Outcome::Optimal(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a problem could not be solved at all (as opposed to an [`Outcome`]).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LpError {
    /// A cost or coefficient that is NaN or infinite, a NaN bound, a lower bound of `+inf` or an
    /// upper bound of `-inf`.
    #[error("{what} {index} is {value}, which is not allowed")]
    NonFinite {
        /// What the number is, e.g. "cost of variable" or "upper bound of row".
        what: String,
        /// Index of the variable or row.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// `lower > upper` for a variable or a row.
    #[error("{what} {index} has lower bound {lower} above its upper bound {upper}")]
    InvertedBounds {
        /// "variable" or "row".
        what: String,
        /// Index of the variable or row.
        index: usize,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// A variable id that the problem does not have.
    #[error("{context} refers to variable {var}, but the problem has only {n_vars} variables")]
    UnknownVar {
        /// The offending id.
        var: usize,
        /// Number of variables in the problem.
        n_vars: usize,
        /// Where it was used: a method name or "row i".
        context: String,
    },
    /// A row id that the problem does not have.
    #[error("{context} refers to row {row}, but the problem has only {n_rows} rows")]
    UnknownRow {
        /// The offending id.
        row: usize,
        /// Number of rows in the problem.
        n_rows: usize,
        /// The method that used it.
        context: String,
    },
    /// A solver option out of range (e.g. a tolerance that is not a positive finite number).
    #[error("invalid solver option `{name}`: {message}")]
    InvalidOption {
        /// The option's field name.
        name: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The solver lost accuracy and could not recover (e.g. values overflowed to infinity).
    #[error("numerical trouble in {solver}: {message}")]
    Numerical {
        /// The backend's name.
        solver: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// A linear-programming backend.
///
/// `Debug` is a supertrait so that types holding a `&dyn LpSolver` can derive `Debug`.
pub trait LpSolver: std::fmt::Debug {
    /// Short name for logs and reports, e.g. "corridor-simplex" or "highs".
    fn name(&self) -> &'static str;

    /// Solves `p` to optimality (or proves it infeasible or unbounded).
    ///
    /// # Errors
    /// [`LpError`] when the problem is malformed (see [`Problem::validate`]) or the backend fails;
    /// infeasibility and unboundedness are [`Outcome`]s, not errors.
    fn solve(&self, p: &Problem) -> Result<Outcome, LpError>;
}

/// How far a solution is from satisfying the optimality conditions, in the problem's own units.
///
/// Computed by [`verify`]; every field is `>= 0` and 0 for an exact optimum.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Verification {
    /// Largest violation of a variable bound or a row bound by `x`.
    pub primal_violation: f64,
    /// Largest violation of a dual sign condition, in cost units: the magnitude of a reduced cost
    /// or row dual that has the wrong sign for the bound its variable or row sits at, or of a
    /// nonzero one whose variable or row is strictly inside its bounds.
    pub dual_violation: f64,
    /// Largest `|dual| * distance to the active bound` (complementary slackness), relative to
    /// `1 + |objective|`.
    pub complementarity: f64,
    /// `|objective - (Σ duals * active row bounds + Σ reduced costs * active variable bounds)|`
    /// relative to `1 + |objective|`.
    pub duality_gap: f64,
}

/// [`verify`] with the tolerances an answer must meet before it is reported: bound and row
/// violations within 1e-6 of the largest bound, dual signs within 1e-6 of the largest cost, and
/// complementary slackness and the duality gap within 1e-6 of the objective. `Err` says which
/// condition failed and by how much.
pub fn certify(p: &Problem, s: &Solution) -> Result<Verification, String> {
    let v = verify(p, s);
    let max_bound = p
        .var_lowers()
        .iter()
        .chain(p.var_uppers())
        .chain(p.row_lowers())
        .chain(p.row_uppers())
        .filter(|b| b.is_finite())
        .fold(0.0f64, |acc, b| acc.max(b.abs()));
    let max_cost = p.costs().iter().fold(0.0f64, |acc, c| acc.max(c.abs()));
    let failures: Vec<String> = [
        (
            "primal violation",
            v.primal_violation,
            1e-6 * (1.0 + max_bound),
        ),
        (
            "dual sign violation",
            v.dual_violation,
            1e-6 * (1.0 + max_cost),
        ),
        ("complementary slackness", v.complementarity, 1e-6),
        ("duality gap", v.duality_gap, 1e-6),
    ]
    .iter()
    // A NaN violation fails too: only a value known to be within its limit passes.
    .filter(|(_, value, limit)| {
        !matches!(
            value.partial_cmp(limit),
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
        )
    })
    .map(|(what, value, limit)| format!("{what} {value:.3e} (allowed {limit:.1e})"))
    .collect();
    if failures.is_empty() {
        Ok(v)
    } else {
        Err(failures.join(", "))
    }
}

/// Checks a solution of `p` against primal feasibility, dual sign conditions, complementary
/// slackness and strong duality. Useful in tests and for comparing backends.
///
/// A bound counts as "active" for a variable or row when its value is within `1e-7 * (1 +
/// |bound|)` of it; the dual sign condition then applies to that side.
pub fn verify(p: &Problem, s: &Solution) -> Verification {
    let mut v = Verification::default();
    let obj_scale = 1.0 + s.objective.abs();
    let active = |value: f64, bound: f64| (value - bound).abs() <= 1e-7 * (1.0 + bound.abs());
    let mut dual_sum = 0.0;
    let mut check = |value: f64, lower: f64, upper: f64, dual: f64, v: &mut Verification| {
        v.primal_violation = v
            .primal_violation
            .max(lower - value)
            .max(value - upper)
            .max(if value.is_finite() {
                0.0
            } else {
                f64::INFINITY
            });
        let at_lower = lower.is_finite() && active(value, lower);
        let at_upper = upper.is_finite() && active(value, upper);
        let wrong_sign = match (at_lower, at_upper) {
            (true, true) => 0.0,
            (true, false) => (-dual).max(0.0),
            (false, true) => dual.max(0.0),
            (false, false) => dual.abs(),
        };
        v.dual_violation = v.dual_violation.max(wrong_sign);
        // Complementary slackness: the dual times the distance to the bound it belongs to.
        let bound = if dual > 0.0 { lower } else { upper };
        // With no bound on that side the dual should be 0; weigh it by the value's size.
        let gap = if dual == 0.0 {
            0.0
        } else if bound.is_finite() {
            (value - bound).abs() * dual.abs()
        } else {
            dual.abs() * (1.0 + value.abs())
        };
        v.complementarity = v.complementarity.max(gap / obj_scale);
        if dual != 0.0 {
            dual_sum += dual * if bound.is_finite() { bound } else { value };
        }
    };
    for j in 0..p.n_vars() {
        let (lower, upper) = p.var_bounds(VarId(j)).unwrap_or((0.0, 0.0));
        let value = s.x.get(j).copied().unwrap_or(f64::NAN);
        let d = s.reduced_costs.get(j).copied().unwrap_or(f64::NAN);
        check(value, lower, upper, d, &mut v);
    }
    let activity = p.row_activities(&s.x);
    for (i, &value) in activity.iter().enumerate() {
        let (lower, upper) = p.row_bounds(RowId(i)).unwrap_or((0.0, 0.0));
        let y = s.row_duals.get(i).copied().unwrap_or(f64::NAN);
        check(value, lower, upper, y, &mut v);
    }
    v.duality_gap = (p.objective_of(&s.x) - dual_sum).abs() / obj_scale;
    for field in [
        &mut v.primal_violation,
        &mut v.dual_violation,
        &mut v.complementarity,
        &mut v.duality_gap,
    ] {
        if field.is_nan() {
            *field = f64::INFINITY;
        }
    }
    v
}
