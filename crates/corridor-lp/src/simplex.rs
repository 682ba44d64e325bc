//! The default backend: a bounded-variable revised primal simplex with duals.
//!
//! # Method
//!
//! Each row `i` gets a logical variable `r_i = a_i·x` with the row's bounds, so the constraints
//! become `A x - r = 0` and every variable (structural or logical) is simply boxed. The solver
//! starts from the all-logical basis with every structural at a finite bound (free ones at 0) and
//! runs
//!
//! * **phase 1** — minimise the sum of bound violations of the basic variables (a piecewise-linear
//!   objective whose costs are recomputed whenever a basic variable changes side) plus a small
//!   multiple of the true cost ([`Simplex::phase1_cost_weight`], which steers towards a cheap
//!   feasible point and roughly halves the work of phase 2), until the violations are 0. When no
//!   improving column is left the cost term is dropped; if the pure sum of violations then has no
//!   improving column either, infeasibility is *proved*;
//! * **phase 2** — minimise the true cost from the feasible basis; a column that improves the
//!   objective with no variable blocking it, from a feasible point, proves unboundedness.
//!
//! Pricing uses the Devex reference framework. The ratio test is Harris's two-pass test: it
//! allows basic variables to drift by at most the primal tolerance and in exchange picks the
//! largest pivot among near-ties, which keeps the basis well conditioned. Nonbasic variables whose
//! range is shorter than the step are simply flipped to their other bound.
//!
//! The basis is held as a sparse LU factorisation ([`crate::lu`]) updated in product form and
//! refactorised every [`Simplex::refactor_interval`] updates (sooner when the eta file outgrows
//! the factors); each refactorisation recomputes the basic values and the duals from scratch,
//! which removes accumulated rounding error. Optimality, infeasibility and unboundedness are only
//! declared right after such a fresh recomputation.
//!
//! # Anti-cycling
//!
//! After [`Simplex::bland_after`] consecutive degenerate pivots the solver switches to Bland's rule
//! (lowest-index entering column, lowest-index leaving variable among ties) until a pivot makes
//! progress. Bland's rule cannot cycle, so together with the iteration limit the solver always
//! terminates.
//!
//! # Scaling
//!
//! Rows and columns are scaled by powers of two (four passes of geometric-mean scaling) and costs
//! by a power of two near the largest |cost|; powers of two are exact, so unscaling loses nothing.
//! The tolerances below apply to the scaled problem.

use crate::lu::{BasisColumns, Factor};
use crate::{CscMatrix, LpError, LpSolver, Outcome, Problem, Solution};

const NAME: &str = "corridor-simplex";
const NONE: usize = usize::MAX;

/// Options of the pure-Rust simplex. `Simplex::default()` suits problems up to a few thousand rows.
#[derive(Clone, Debug)]
pub struct Simplex {
    /// Primal feasibility tolerance, relative: a variable with bounds `[l, u]` may lie up to
    /// `primal_tol * (1 + max(|l|, |u|))` outside them (finite bounds only). Default `1e-9`.
    pub primal_tol: f64,
    /// Dual feasibility (optimality) tolerance, relative to the largest |cost|: a column is
    /// attractive when its reduced cost has the improving sign and magnitude above
    /// `dual_tol * max|cost|`. Default `1e-9`.
    pub dual_tol: f64,
    /// Smallest |entry| of the entering column that may become a pivot (scaled). Default `1e-9`.
    pub pivot_tol: f64,
    /// Iteration limit; `None` means `10_000 + 20 * (n_rows + n_vars)`.
    pub max_iterations: Option<usize>,
    /// Basis updates between refactorisations. Default 100.
    pub refactor_interval: usize,
    /// Consecutive degenerate pivots before switching to Bland's rule. Default 50.
    pub bland_after: usize,
    /// Scale rows and columns by powers of two before solving. Default `true`.
    pub scaling: bool,
    /// Weight of the true cost, relative to the largest |cost|, added to the phase-1 objective
    /// (the sum of infeasibilities) so that phase 1 heads for a cheap feasible point. Phase 1
    /// drops it before concluding infeasibility, so it never changes a status. 0 gives the
    /// textbook phase 1. Default `1e-3`.
    pub phase1_cost_weight: f64,
}

impl Default for Simplex {
    fn default() -> Self {
        Simplex {
            primal_tol: 1e-9,
            dual_tol: 1e-9,
            pivot_tol: 1e-9,
            max_iterations: None,
            refactor_interval: 100,
            bland_after: 50,
            scaling: true,
            phase1_cost_weight: 1e-3,
        }
    }
}

/// Counters from one solve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SolveStats {
    /// Simplex iterations (basis changes plus bound flips).
    pub iterations: usize,
    /// Of which in phase 1.
    pub phase1_iterations: usize,
    /// Of which bound flips (no basis change).
    pub bound_flips: usize,
    /// Of which chosen by Bland's rule.
    pub bland_iterations: usize,
    /// LU factorisations.
    pub refactorizations: usize,
    /// Basis columns replaced by logicals because the basis had become singular.
    pub singular_repairs: usize,
}

impl LpSolver for Simplex {
    fn name(&self) -> &'static str {
        NAME
    }

    fn solve(&self, p: &Problem) -> Result<Outcome, LpError> {
        self.solve_with_stats(p).map(|(outcome, _)| outcome)
    }
}

impl Simplex {
    /// Like [`LpSolver::solve`], also returning iteration counters.
    ///
    /// # Errors
    /// A malformed problem (see [`Problem::validate`]), invalid options, or unrecoverable
    /// numerical trouble.
    pub fn solve_with_stats(&self, p: &Problem) -> Result<(Outcome, SolveStats), LpError> {
        self.check_options()?;
        let a = p.csc()?;
        let mut engine = Engine::new(self, p, &a);
        let result = engine.run()?;
        let stats = engine.stats;
        let outcome = match result {
            EngineEnd::Optimal => Outcome::Optimal(engine.solution(p)?),
            EngineEnd::Infeasible => Outcome::Infeasible,
            EngineEnd::Unbounded => Outcome::Unbounded,
            EngineEnd::Limit => Outcome::IterationLimit {
                iterations: stats.iterations,
            },
        };
        Ok((outcome, stats))
    }

    fn check_options(&self) -> Result<(), LpError> {
        for (name, v) in [
            ("primal_tol", self.primal_tol),
            ("dual_tol", self.dual_tol),
            ("pivot_tol", self.pivot_tol),
        ] {
            if !(v.is_finite() && v > 0.0 && v < 1.0) {
                return Err(LpError::InvalidOption {
                    name,
                    message: format!("must be a number in (0, 1), got {v}"),
                });
            }
        }
        if !(self.phase1_cost_weight.is_finite() && self.phase1_cost_weight >= 0.0) {
            return Err(LpError::InvalidOption {
                name: "phase1_cost_weight",
                message: format!(
                    "must be a finite number >= 0, got {}",
                    self.phase1_cost_weight
                ),
            });
        }
        if self.refactor_interval == 0 {
            return Err(LpError::InvalidOption {
                name: "refactor_interval",
                message: "must be at least 1".to_string(),
            });
        }
        Ok(())
    }
}

/// Where a nonbasic variable sits; basic variables are `Basic`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Basic,
    Lower,
    Upper,
    /// A free variable, nonbasic at its current value (0 unless moved there by a basis repair).
    Free,
    /// Lower bound equals upper bound: never enters the basis.
    Fixed,
}

enum EngineEnd {
    Optimal,
    Infeasible,
    Unbounded,
    Limit,
}

enum Step {
    /// The entering variable reaches its other bound first.
    Flip { t: f64 },
    /// Basic variable at position `r` leaves at `bound` after a step of length `t`.
    Pivot { r: usize, t: f64, bound: f64 },
    /// Nothing blocks.
    Unblocked,
}

/// The scaled problem in bounded standard form plus the simplex state.
struct Engine<'a> {
    opts: &'a Simplex,
    m: usize,
    n: usize,
    /// Scaled structural columns (CSC) and rows (CSR; `r_index` holds column indices).
    a_start: Vec<usize>,
    a_index: Vec<usize>,
    a_value: Vec<f64>,
    r_start: Vec<usize>,
    r_index: Vec<usize>,
    r_value: Vec<f64>,
    col_scale: Vec<f64>,
    row_scale: Vec<f64>,
    cost_scale: f64,
    /// Per variable (structurals then logicals): bounds, true cost, tolerance, value, status.
    lo: Vec<f64>,
    up: Vec<f64>,
    cost: Vec<f64>,
    ptol: Vec<f64>,
    x: Vec<f64>,
    status: Vec<Status>,
    /// Cost the reduced costs `d` currently refer to (phase-1 or phase-2 cost).
    used_cost: Vec<f64>,
    d: Vec<f64>,
    /// Devex reference weights.
    w: Vec<f64>,
    /// Pricing sign: `-1` at a lower bound (improving when `d < 0`), `+1` at an upper bound, 0
    /// for basic, fixed, free or rejected variables.
    price_sign: Vec<f64>,
    /// Nonbasic free variables (may contain stale entries that have since become basic).
    free_nonbasic: Vec<usize>,
    head: Vec<usize>,
    pos: Vec<usize>,
    phase: u8,
    /// Weight of the true cost in the phase-1 objective (0 = pure sum of infeasibilities).
    phase1_weight: f64,
    factor: Factor,
    need_refactor: bool,
    /// True right after a refactorisation with freshly computed values and duals.
    fresh: bool,
    dtol: f64,
    degenerate_run: usize,
    bland: bool,
    /// Phase-1 costs changed outside the basic set (a leaving variable was infeasible).
    duals_dirty: bool,
    /// Phase-1 bookkeeping by basis position: the infeasibility cost (-1, 0, +1) last recorded
    /// for the basic variable there, how many are nonzero, and the positions whose basic value
    /// or variable changed since (only those can change side). `recheck_all` asks for a full
    /// pass (after a refactorisation or a change of the phase-1 objective).
    infeas: Vec<f64>,
    n_infeasible: usize,
    recheck: Vec<usize>,
    recheck_all: bool,
    rejected: Vec<bool>,
    n_rejected: usize,
    rejection_rounds: usize,
    stats: SolveStats,
    // Scratch.
    col: Vec<f64>,
    rhs: Vec<f64>,
    rho: Vec<f64>,
    alpha_row: Vec<f64>,
    in_row: Vec<bool>,
    touched: Vec<usize>,
    candidates: Vec<(usize, f64, f64, f64, f64)>,
}

impl<'a> Engine<'a> {
    fn new(opts: &'a Simplex, p: &Problem, a: &CscMatrix) -> Self {
        let m = p.n_rows();
        let n = p.n_vars();
        let nt = n + m;
        let (row_scale, col_scale) = if opts.scaling {
            scale_factors(m, n, a)
        } else {
            (vec![1.0; m], vec![1.0; n])
        };
        let mut a_value = a.value.clone();
        for j in 0..n {
            for k in a.start[j]..a.start[j + 1] {
                a_value[k] *= row_scale[a.index[k]] * col_scale[j];
            }
        }
        // Row-wise copy.
        let mut r_start = vec![0usize; m + 1];
        for &i in &a.index {
            r_start[i + 1] += 1;
        }
        for i in 0..m {
            r_start[i + 1] += r_start[i];
        }
        let mut next = r_start.clone();
        let mut r_index = vec![0usize; a.index.len()];
        let mut r_value = vec![0.0f64; a.index.len()];
        for j in 0..n {
            for k in a.start[j]..a.start[j + 1] {
                let i = a.index[k];
                r_index[next[i]] = j;
                r_value[next[i]] = a_value[k];
                next[i] += 1;
            }
        }
        let mut lo = Vec::with_capacity(nt);
        let mut up = Vec::with_capacity(nt);
        let mut cost = Vec::with_capacity(nt);
        for j in 0..n {
            lo.push(p.var_lowers()[j] / col_scale[j]);
            up.push(p.var_uppers()[j] / col_scale[j]);
            cost.push(p.costs()[j] * col_scale[j]);
        }
        let max_cost = cost.iter().fold(0.0f64, |acc, c| acc.max(c.abs()));
        let cost_scale = if opts.scaling {
            pow2_near(max_cost)
        } else {
            1.0
        };
        for c in cost.iter_mut() {
            *c /= cost_scale;
        }
        let dtol = if opts.scaling {
            opts.dual_tol
        } else {
            opts.dual_tol * max_cost.max(1.0)
        };
        for i in 0..m {
            lo.push(p.row_lowers()[i] * row_scale[i]);
            up.push(p.row_uppers()[i] * row_scale[i]);
            cost.push(0.0);
        }
        let max_scaled_cost = cost.iter().fold(0.0f64, |acc, c| acc.max(c.abs()));
        let phase1_weight = if max_scaled_cost > 0.0 {
            opts.phase1_cost_weight / max_scaled_cost
        } else {
            0.0
        };
        let ptol: Vec<f64> = (0..nt)
            .map(|j| {
                let mut mag = 0.0f64;
                if lo[j].is_finite() {
                    mag = mag.max(lo[j].abs());
                }
                if up[j].is_finite() {
                    mag = mag.max(up[j].abs());
                }
                opts.primal_tol * (1.0 + mag)
            })
            .collect();
        let mut x = vec![0.0; nt];
        let mut status = vec![Status::Basic; nt];
        for j in 0..n {
            let (s, v) = nonbasic_position(lo[j], up[j], 0.0);
            status[j] = s;
            x[j] = v;
        }
        let head: Vec<usize> = (n..nt).collect();
        let mut pos = vec![NONE; nt];
        for (p_, &j) in head.iter().enumerate() {
            pos[j] = p_;
        }
        Engine {
            opts,
            m,
            n,
            a_start: a.start.clone(),
            a_index: a.index.clone(),
            a_value,
            r_start,
            r_index,
            r_value,
            col_scale,
            row_scale,
            cost_scale,
            lo,
            up,
            cost,
            ptol,
            x,
            status,
            used_cost: vec![0.0; nt],
            d: vec![0.0; nt],
            w: vec![1.0; nt],
            price_sign: vec![0.0; nt],
            free_nonbasic: Vec::new(),
            head,
            pos,
            phase: 1,
            phase1_weight,
            factor: Factor::default(),
            need_refactor: true,
            fresh: false,
            dtol,
            degenerate_run: 0,
            bland: false,
            duals_dirty: false,
            infeas: vec![0.0; m],
            n_infeasible: 0,
            recheck: Vec::new(),
            recheck_all: true,
            rejected: vec![false; nt],
            n_rejected: 0,
            rejection_rounds: 0,
            stats: SolveStats::default(),
            col: vec![0.0; m],
            rhs: vec![0.0; m],
            rho: vec![0.0; m],
            alpha_row: vec![0.0; nt],
            in_row: vec![false; nt],
            touched: Vec::new(),
            candidates: Vec::new(),
        }
    }

    fn nt(&self) -> usize {
        self.n + self.m
    }

    fn run(&mut self) -> Result<EngineEnd, LpError> {
        let max_iter = self
            .opts
            .max_iterations
            .unwrap_or(10_000 + 20 * (self.m + self.n));
        let max_passes = max_iter.saturating_mul(3).saturating_add(1000);
        let mut passes = 0usize;
        loop {
            passes += 1;
            if self.stats.iterations >= max_iter || passes > max_passes {
                return Ok(EngineEnd::Limit);
            }
            if self.need_refactor {
                self.refactor()?;
            }
            if self.phase == 1 {
                let (infeasible, dirty) = self.phase1_costs();
                let dirty = dirty || std::mem::take(&mut self.duals_dirty);
                if !infeasible {
                    self.phase = 2;
                    self.used_cost.clone_from(&self.cost);
                    self.compute_duals();
                } else if dirty {
                    self.compute_duals();
                }
            }
            let Some((q, dir)) = self.price() else {
                if !self.fresh {
                    self.need_refactor = true;
                    continue;
                }
                if self.n_rejected > 0 {
                    // Columns were set aside for numerical reasons: retry them on a fresh basis
                    // a few times before giving up.
                    if self.rejection_rounds >= 3 {
                        return Err(LpError::Numerical {
                            solver: NAME,
                            message: "no acceptable pivot for the remaining improving columns"
                                .to_string(),
                        });
                    }
                    self.rejection_rounds += 1;
                    self.clear_rejections();
                    self.need_refactor = true;
                    continue;
                }
                if self.phase == 1 && self.phase1_weight != 0.0 {
                    self.pure_phase1();
                    continue;
                }
                return Ok(if self.phase == 1 {
                    EngineEnd::Infeasible
                } else {
                    EngineEnd::Optimal
                });
            };
            self.load_column(q);
            let step = if self.bland {
                self.ratio_test_bland(q, dir)
            } else {
                self.ratio_test_harris(q, dir)
            };
            match step {
                Step::Flip { t } => {
                    self.apply_step(q, dir, t);
                    self.status[q] = match self.status[q] {
                        Status::Lower => Status::Upper,
                        _ => Status::Lower,
                    };
                    self.price_sign[q] = sign_of(self.status[q]);
                    self.x[q] = if self.status[q] == Status::Upper {
                        self.up[q]
                    } else {
                        self.lo[q]
                    };
                    self.stats.bound_flips += 1;
                    self.count_iteration(t);
                }
                Step::Unblocked => {
                    if !self.fresh {
                        self.need_refactor = true;
                        continue;
                    }
                    if self.phase == 2 {
                        return Ok(EngineEnd::Unbounded);
                    }
                    if self.phase1_weight != 0.0 {
                        // The weighted cost is unbounded along this ray; the infeasibility sum
                        // alone is not.
                        self.pure_phase1();
                        continue;
                    }
                    // Impossible in exact arithmetic (phase 1 is bounded below by 0).
                    self.reject(q);
                }
                Step::Pivot { r, t, bound } => {
                    if !self.pivot(q, dir, r, t, bound) {
                        continue;
                    }
                    self.count_iteration(t);
                }
            }
        }
    }

    fn count_iteration(&mut self, t: f64) {
        self.stats.iterations += 1;
        if self.phase == 1 {
            self.stats.phase1_iterations += 1;
        }
        if self.bland {
            self.stats.bland_iterations += 1;
        }
        self.fresh = false;
        if t > 1e-12 {
            self.degenerate_run = 0;
            self.bland = false;
        } else {
            self.degenerate_run += 1;
            if self.degenerate_run >= self.opts.bland_after {
                self.bland = true;
            }
        }
    }

    fn reject(&mut self, q: usize) {
        if !self.rejected[q] {
            self.rejected[q] = true;
            self.n_rejected += 1;
            self.price_sign[q] = 0.0;
        }
    }

    fn clear_rejections(&mut self) {
        if self.n_rejected > 0 {
            self.rejected.iter_mut().for_each(|r| *r = false);
            self.n_rejected = 0;
            self.refresh_price_signs();
        }
    }

    /// Recomputes `price_sign` and `free_nonbasic` from the statuses.
    fn refresh_price_signs(&mut self) {
        self.free_nonbasic.clear();
        for j in 0..self.nt() {
            self.price_sign[j] = if self.rejected[j] {
                0.0
            } else {
                sign_of(self.status[j])
            };
            if self.status[j] == Status::Free {
                self.free_nonbasic.push(j);
            }
        }
    }

    /// Factorises the basis (repairing it if singular), recomputes basic values, the phase and
    /// the duals.
    fn refactor(&mut self) -> Result<(), LpError> {
        let m = self.m;
        let mut start = Vec::with_capacity(m + 1);
        let mut index = Vec::new();
        let mut value = Vec::new();
        start.push(0);
        for p in 0..m {
            let j = self.head[p];
            if j < self.n {
                for k in self.a_start[j]..self.a_start[j + 1] {
                    index.push(self.a_index[k]);
                    value.push(self.a_value[k]);
                }
            } else {
                index.push(j - self.n);
                value.push(-1.0);
            }
            start.push(index.len());
        }
        let replaced = self.factor.factorize(
            m,
            &BasisColumns {
                start: &start,
                index: &index,
                value: &value,
            },
        );
        self.stats.refactorizations += 1;
        for (p, i) in replaced {
            let old = self.head[p];
            let new = self.n + i;
            if self.pos[new] != NONE {
                return Err(LpError::Numerical {
                    solver: NAME,
                    message: "basis repair chose a logical that is already basic".to_string(),
                });
            }
            let (s, v) = nonbasic_position(self.lo[old], self.up[old], self.x[old]);
            self.status[old] = s;
            self.x[old] = v;
            self.pos[old] = NONE;
            self.head[p] = new;
            self.pos[new] = p;
            self.status[new] = Status::Basic;
            self.stats.singular_repairs += 1;
        }
        self.refresh_price_signs();
        self.compute_basic_values();
        if self.x.iter().any(|v| !v.is_finite()) {
            return Err(LpError::Numerical {
                solver: NAME,
                message: "basic values are not finite (the data may be too large)".to_string(),
            });
        }
        let infeasible = self.head.iter().any(|&j| self.infeasibility_cost(j) != 0.0);
        if infeasible {
            self.phase = 1;
            self.set_phase1_costs();
        } else {
            self.phase = 2;
            self.used_cost.clone_from(&self.cost);
        }
        self.compute_duals();
        self.need_refactor = false;
        self.duals_dirty = false;
        self.recheck_all = true;
        self.fresh = true;
        Ok(())
    }

    /// `x_B = -B⁻¹ N x_N`.
    fn compute_basic_values(&mut self) {
        let m = self.m;
        let mut rhs = std::mem::take(&mut self.rhs);
        rhs.clear();
        rhs.resize(m, 0.0);
        for j in 0..self.n {
            let v = self.x[j];
            if self.status[j] != Status::Basic && v != 0.0 {
                for k in self.a_start[j]..self.a_start[j + 1] {
                    rhs[self.a_index[k]] -= self.a_value[k] * v;
                }
            }
        }
        for i in 0..m {
            if self.status[self.n + i] != Status::Basic {
                rhs[i] += self.x[self.n + i];
            }
        }
        let mut xb = std::mem::take(&mut self.col);
        self.factor.ftran(&mut rhs, &mut xb);
        for p in 0..m {
            self.x[self.head[p]] = xb[p];
        }
        self.col = xb;
        self.rhs = rhs;
    }

    /// Phase-1 cost of a basic variable: -1 below its lower bound, +1 above its upper bound.
    fn infeasibility_cost(&self, j: usize) -> f64 {
        if self.x[j] < self.lo[j] - self.ptol[j] {
            -1.0
        } else if self.x[j] > self.up[j] + self.ptol[j] {
            1.0
        } else {
            0.0
        }
    }

    /// Sets every phase-1 cost: infeasibility cost of basic variables plus the weighted cost.
    fn set_phase1_costs(&mut self) {
        self.recheck_all = true;
        for j in 0..self.nt() {
            let infeasibility = if self.status[j] == Status::Basic {
                self.infeasibility_cost(j)
            } else {
                0.0
            };
            self.used_cost[j] = infeasibility + self.phase1_weight * self.cost[j];
        }
    }

    /// Drops the true cost from the phase-1 objective (needed to prove infeasibility, or when
    /// the weighted objective is unbounded) and recomputes the reduced costs.
    fn pure_phase1(&mut self) {
        self.phase1_weight = 0.0;
        self.set_phase1_costs();
        self.compute_duals();
    }

    /// Updates the phase-1 costs of the basic variables; returns (any infeasible, costs changed).
    ///
    /// Only the positions in `recheck` are looked at (a basic variable changes side only when
    /// its value moves or a new variable enters there), unless `recheck_all` asks for a full
    /// pass.
    fn phase1_costs(&mut self) -> (bool, bool) {
        let mut dirty = false;
        if std::mem::take(&mut self.recheck_all) {
            self.recheck.clear();
            self.n_infeasible = 0;
            for p in 0..self.m {
                dirty |= self.update_phase1_cost(p, true);
            }
        } else {
            let recheck = std::mem::take(&mut self.recheck);
            for &p in &recheck {
                dirty |= self.update_phase1_cost(p, false);
            }
            self.recheck = recheck;
            self.recheck.clear();
        }
        (self.n_infeasible > 0, dirty)
    }

    /// Re-derives the phase-1 cost of the basic variable at position `p`, keeping
    /// `n_infeasible` in step; returns whether its cost changed. With `fresh` the position's
    /// previous record is ignored (the count is being rebuilt).
    #[inline]
    fn update_phase1_cost(&mut self, p: usize, fresh: bool) -> bool {
        let j = self.head[p];
        let infeasibility = self.infeasibility_cost(j);
        let old = if fresh { 0.0 } else { self.infeas[p] };
        if old != 0.0 {
            self.n_infeasible -= 1;
        }
        if infeasibility != 0.0 {
            self.n_infeasible += 1;
        }
        self.infeas[p] = infeasibility;
        let c = infeasibility + self.phase1_weight * self.cost[j];
        if c != self.used_cost[j] {
            self.used_cost[j] = c;
            true
        } else {
            false
        }
    }

    /// Recomputes all reduced costs from `used_cost`: `y = B⁻ᵀ c_B`, `d_j = c_j - yᵀ a_j`.
    fn compute_duals(&mut self) {
        let m = self.m;
        let mut cb = std::mem::take(&mut self.rhs);
        cb.clear();
        cb.resize(m, 0.0);
        for p in 0..m {
            cb[p] = self.used_cost[self.head[p]];
        }
        let mut y = std::mem::take(&mut self.rho);
        self.factor.btran(&mut cb, &mut y);
        for j in 0..self.n {
            self.d[j] = if self.status[j] == Status::Basic {
                0.0
            } else {
                let mut dj = self.used_cost[j];
                for k in self.a_start[j]..self.a_start[j + 1] {
                    dj -= y[self.a_index[k]] * self.a_value[k];
                }
                dj
            };
        }
        for i in 0..m {
            let j = self.n + i;
            self.d[j] = if self.status[j] == Status::Basic {
                0.0
            } else {
                self.used_cost[j] + y[i]
            };
        }
        self.rho = y;
        self.rhs = cb;
    }

    /// Chooses the entering variable and its direction (+1 increase, -1 decrease): the largest
    /// `d_j² / w_j` among attractive columns (Devex), or the lowest attractive index under Bland.
    fn price(&self) -> Option<(usize, f64)> {
        let tol = self.dtol;
        if self.bland {
            return (0..self.nt()).find_map(|j| self.attractive(j, tol).map(|dir| (j, dir)));
        }
        let mut best: Option<usize> = None;
        let mut best_score = 0.0;
        for (j, ((&dj, &sign), &w)) in self.d.iter().zip(&self.price_sign).zip(&self.w).enumerate()
        {
            // `v` is the rate of improvement per unit move; it is positive only when attractive.
            let v = dj * sign;
            if v > tol {
                let score = v * v;
                if score > best_score * w {
                    best_score = score / w;
                    best = Some(j);
                }
            }
        }
        for &j in &self.free_nonbasic {
            if self.status[j] != Status::Free || self.rejected[j] {
                continue;
            }
            let v = self.d[j].abs();
            if v > tol && v * v > best_score * self.w[j] {
                best_score = v * v / self.w[j];
                best = Some(j);
            }
        }
        let j = best?;
        self.attractive(j, tol).map(|dir| (j, dir))
    }

    /// The improving direction of nonbasic `j`, if its reduced cost makes it attractive.
    fn attractive(&self, j: usize, tol: f64) -> Option<f64> {
        if self.rejected[j] {
            return None;
        }
        let dj = self.d[j];
        match self.status[j] {
            Status::Lower if dj < -tol => Some(1.0),
            Status::Upper if dj > tol => Some(-1.0),
            Status::Free if dj.abs() > tol => Some(-dj.signum()),
            _ => None,
        }
    }

    /// `col = B⁻¹ a_q`.
    fn load_column(&mut self, q: usize) {
        let mut rhs = std::mem::take(&mut self.rhs);
        rhs.clear();
        rhs.resize(self.m, 0.0);
        if q < self.n {
            for k in self.a_start[q]..self.a_start[q + 1] {
                rhs[self.a_index[k]] = self.a_value[k];
            }
        } else {
            rhs[q - self.n] = -1.0;
        }
        let mut col = std::mem::take(&mut self.col);
        self.factor.ftran(&mut rhs, &mut col);
        self.col = col;
        self.rhs = rhs;
    }

    /// The bound that basic variable `j` moves towards at rate `g`, if any.
    #[inline]
    fn target_bound(&self, j: usize, g: f64) -> Option<f64> {
        let below = self.x[j] < self.lo[j] - self.ptol[j];
        let above = self.x[j] > self.up[j] + self.ptol[j];
        let bound = if self.phase == 1 && below {
            if g > 0.0 {
                self.lo[j]
            } else {
                return None;
            }
        } else if self.phase == 1 && above {
            if g < 0.0 {
                self.up[j]
            } else {
                return None;
            }
        } else if g > 0.0 {
            self.up[j]
        } else {
            self.lo[j]
        };
        bound.is_finite().then_some(bound)
    }

    fn entering_range(&self, q: usize) -> f64 {
        let r = self.up[q] - self.lo[q];
        if r.is_finite() {
            r
        } else {
            f64::INFINITY
        }
    }

    /// Collects the basic variables that block the move: `(position, |alpha|, distance to the
    /// bound they move towards (may be slightly negative), tolerance, bound)`, where the step to
    /// reach the bound is `distance / |alpha|`.
    fn blocking_candidates(&mut self, dir: f64, min_pivot: f64) {
        self.candidates.clear();
        for p in 0..self.m {
            let a = self.col[p];
            if a.abs() <= min_pivot {
                continue;
            }
            let j = self.head[p];
            let g = -dir * a;
            if let Some(bound) = self.target_bound(j, g) {
                let dist = (bound - self.x[j]) * g.signum();
                self.candidates
                    .push((p, a.abs(), dist, self.ptol[j], bound));
            }
        }
    }

    /// Harris's two-pass ratio test.
    fn ratio_test_harris(&mut self, q: usize, dir: f64) -> Step {
        let range = self.entering_range(q);
        self.blocking_candidates(dir, self.opts.pivot_tol);
        let mut theta_max = f64::INFINITY;
        for &(_, a, dist, tol, _) in &self.candidates {
            let ratio = (dist + tol).max(0.0) / a;
            if ratio < theta_max {
                theta_max = ratio;
            }
        }
        if range <= theta_max {
            return if range.is_finite() {
                Step::Flip { t: range }
            } else {
                Step::Unblocked
            };
        }
        let mut best: Option<(usize, f64, f64, f64)> = None; // (r, |a|, t, bound)
        for &(p, a, dist, _, bound) in &self.candidates {
            let ratio = dist.max(0.0) / a;
            if ratio <= theta_max && best.is_none_or(|(_, ba, ..)| a > ba) {
                best = Some((p, a, ratio, bound));
            }
        }
        match best {
            Some((r, _, t, bound)) => Step::Pivot { r, t, bound },
            None => Step::Unblocked,
        }
    }

    /// Textbook ratio test with Bland's tie-break (lowest variable index), used against cycling.
    fn ratio_test_bland(&self, q: usize, dir: f64) -> Step {
        let range = self.entering_range(q);
        // Prefer pivots that are not tiny; fall back to the plain pivot tolerance.
        for min_pivot in [1e-7f64.max(self.opts.pivot_tol), self.opts.pivot_tol] {
            let mut min_ratio = f64::INFINITY;
            for p in 0..self.m {
                let a = self.col[p];
                if a.abs() < min_pivot {
                    continue;
                }
                let j = self.head[p];
                let g = -dir * a;
                if let Some(bound) = self.target_bound(j, g) {
                    let ratio = ((bound - self.x[j]) * g.signum()).max(0.0) / g.abs();
                    min_ratio = min_ratio.min(ratio);
                }
            }
            if range <= min_ratio {
                return if range.is_finite() {
                    Step::Flip { t: range }
                } else if min_pivot > self.opts.pivot_tol {
                    continue;
                } else {
                    Step::Unblocked
                };
            }
            let tie = min_ratio + 1e-12 * (1.0 + min_ratio);
            let mut best: Option<(usize, usize, f64, f64)> = None; // (var, r, t, bound)
            for p in 0..self.m {
                let a = self.col[p];
                if a.abs() < min_pivot {
                    continue;
                }
                let j = self.head[p];
                let g = -dir * a;
                if let Some(bound) = self.target_bound(j, g) {
                    let ratio = ((bound - self.x[j]) * g.signum()).max(0.0) / g.abs();
                    if ratio <= tie && best.is_none_or(|(bj, ..)| j < bj) {
                        best = Some((j, p, ratio, bound));
                    }
                }
            }
            if let Some((_, r, t, bound)) = best {
                return Step::Pivot { r, t, bound };
            }
        }
        Step::Unblocked
    }

    /// Moves the entering variable by `dir * t` and the basic variables accordingly.
    fn apply_step(&mut self, q: usize, dir: f64, t: f64) {
        if t == 0.0 {
            return;
        }
        self.x[q] += dir * t;
        let track = self.phase == 1 && !self.recheck_all;
        for p in 0..self.m {
            let a = self.col[p];
            if a != 0.0 {
                self.x[self.head[p]] -= dir * a * t;
                if track {
                    self.recheck.push(p);
                }
            }
        }
    }

    /// Computes the pivot row `alpha_row[j] = (B⁻ᵀ e_r)ᵀ a_j` for nonbasic `j` into `touched`.
    fn compute_pivot_row(&mut self, r: usize) {
        let m = self.m;
        let mut e = std::mem::take(&mut self.rhs);
        e.clear();
        e.resize(m, 0.0);
        e[r] = 1.0;
        let mut rho = std::mem::take(&mut self.rho);
        self.factor.btran(&mut e, &mut rho);
        for &j in &self.touched {
            self.in_row[j] = false;
            self.alpha_row[j] = 0.0;
        }
        self.touched.clear();
        let mut nz = Vec::new();
        let mut row_work = 0usize;
        for (i, &v) in rho.iter().enumerate() {
            if v.abs() > 1e-14 {
                nz.push(i);
                row_work += self.r_start[i + 1] - self.r_start[i];
            }
        }
        if row_work * 2 < self.a_index.len() {
            for &i in &nz {
                let v = rho[i];
                for k in self.r_start[i]..self.r_start[i + 1] {
                    let j = self.r_index[k];
                    if self.status[j] == Status::Basic {
                        continue;
                    }
                    if !self.in_row[j] {
                        self.in_row[j] = true;
                        self.touched.push(j);
                    }
                    self.alpha_row[j] += v * self.r_value[k];
                }
            }
        } else {
            for j in 0..self.n {
                if self.status[j] == Status::Basic {
                    continue;
                }
                let mut s = 0.0;
                for k in self.a_start[j]..self.a_start[j + 1] {
                    s += rho[self.a_index[k]] * self.a_value[k];
                }
                if s != 0.0 {
                    self.in_row[j] = true;
                    self.touched.push(j);
                    self.alpha_row[j] = s;
                }
            }
        }
        for &i in &nz {
            let j = self.n + i;
            if self.status[j] != Status::Basic {
                self.in_row[j] = true;
                self.touched.push(j);
                self.alpha_row[j] = -rho[i];
            }
        }
        self.rho = rho;
        self.rhs = e;
    }

    /// Performs a basis change; returns false (and schedules a refactorisation) if the pivot
    /// looks numerically unreliable.
    fn pivot(&mut self, q: usize, dir: f64, r: usize, t: f64, bound: f64) -> bool {
        let leaving = self.head[r];
        let arq = self.col[r];
        self.compute_pivot_row(r);
        let arq_row = self.alpha_row[q];
        if (arq - arq_row).abs() > 1e-8 * (1.0 + arq.abs()) {
            if !self.fresh {
                self.need_refactor = true;
                return false;
            }
            if arq.abs() < 1e-7 {
                self.reject(q);
                return false;
            }
        }
        self.apply_step(q, dir, t);
        self.x[leaving] = bound;
        // Reduced costs: d_j -= (d_q / alpha_rq) * alpha_rj.
        let theta_d = self.d[q] / arq;
        for &j in &self.touched {
            self.d[j] -= theta_d * self.alpha_row[j];
        }
        self.d[q] = 0.0;
        self.d[leaving] = -theta_d;
        // Devex reference weights.
        let wq = self.w[q].max(1.0);
        let mut max_w = 0.0f64;
        for &j in &self.touched {
            if j == q {
                continue;
            }
            let ratio = self.alpha_row[j] / arq;
            let wj = (ratio * ratio * wq).max(self.w[j]);
            self.w[j] = wj;
            max_w = max_w.max(wj);
        }
        self.w[leaving] = (wq / (arq * arq)).max(1.0);
        if max_w > 1e8 || self.w[leaving] > 1e8 {
            self.w.iter_mut().for_each(|w| *w = 1.0);
        }
        // Basis bookkeeping.
        self.status[leaving] = if self.lo[leaving] == self.up[leaving] {
            Status::Fixed
        } else if bound == self.up[leaving] {
            Status::Upper
        } else {
            Status::Lower
        };
        if self.phase == 1 {
            // The leaving variable now sits at a bound, so its infeasibility cost is 0; if it
            // was infeasible the reduced costs must be recomputed.
            let c = self.phase1_weight * self.cost[leaving];
            if self.used_cost[leaving] != c {
                self.used_cost[leaving] = c;
                self.duals_dirty = true;
            }
        }
        self.status[q] = Status::Basic;
        self.price_sign[q] = 0.0;
        self.price_sign[leaving] = sign_of(self.status[leaving]);
        self.head[r] = q;
        self.pos[q] = r;
        if self.phase == 1 && !self.recheck_all {
            self.recheck.push(r);
        }
        self.pos[leaving] = NONE;
        self.factor.push_eta(r, &self.col);
        if self.factor.n_updates() >= self.opts.refactor_interval
            || self.factor.eta_nnz() > 2 * self.factor.factor_nnz() + 10 * self.m
        {
            self.need_refactor = true;
        }
        self.clear_rejections();
        self.rejection_rounds = 0;
        true
    }

    /// Unscales the optimal basis into a [`Solution`] of the original problem.
    fn solution(&self, p: &Problem) -> Result<Solution, LpError> {
        let n = self.n;
        let mut x = vec![0.0; n];
        for j in 0..n {
            let v = self.x[j] * self.col_scale[j];
            // Basic variables may sit within the tolerance outside a bound; report them on it.
            let (l, u) = (p.var_lowers()[j], p.var_uppers()[j]);
            x[j] = v.max(l).min(u);
        }
        let row_activity = p.row_activities(&x);
        let row_duals: Vec<f64> = (0..self.m)
            .map(|i| self.d[n + i] * self.cost_scale * self.row_scale[i])
            .collect();
        let reduced_costs: Vec<f64> = (0..n)
            .map(|j| self.d[j] * self.cost_scale / self.col_scale[j])
            .collect();
        let objective = p.objective_of(&x);
        let finite = objective.is_finite()
            && x.iter().all(|v| v.is_finite())
            && row_duals.iter().all(|v| v.is_finite())
            && reduced_costs.iter().all(|v| v.is_finite());
        if !finite {
            return Err(LpError::Numerical {
                solver: NAME,
                message: "the optimal solution contains non-finite values".to_string(),
            });
        }
        // Rows are satisfied in the scaled problem to the primal tolerance; a much larger
        // violation in the original units would mean the factorisation lost accuracy.
        for (i, &act) in row_activity.iter().enumerate() {
            let (l, u) = (p.row_lowers()[i], p.row_uppers()[i]);
            let excess = (l - act).max(act - u);
            let mag = if l.is_finite() { l.abs() } else { 0.0 }.max(if u.is_finite() {
                u.abs()
            } else {
                0.0
            });
            if excess > 1e-6 * (1.0 + mag) {
                return Err(LpError::Numerical {
                    solver: NAME,
                    message: format!("row {i} is violated by {excess:e} at the optimum"),
                });
            }
        }
        let solution = Solution {
            objective,
            x,
            row_activity,
            row_duals,
            reduced_costs,
        };
        // Debug builds (and so the tests) re-check the optimality conditions in the original
        // units; a failure here is a bug in the solver, reported as an error rather than a panic.
        #[cfg(debug_assertions)]
        {
            let v = crate::verify(p, &solution);
            let max_cost = p.costs().iter().fold(0.0f64, |acc, c| acc.max(c.abs()));
            let ok = v.primal_violation <= 1e-6 * (1.0 + self.max_abs_bound(p))
                && v.dual_violation <= 1e-6 * (1.0 + max_cost)
                && v.complementarity <= 1e-6
                && v.duality_gap <= 1e-6;
            if !ok {
                return Err(LpError::Numerical {
                    solver: NAME,
                    message: format!("optimality check failed: {v:?}"),
                });
            }
        }
        Ok(solution)
    }

    #[cfg(debug_assertions)]
    fn max_abs_bound(&self, p: &Problem) -> f64 {
        p.var_lowers()
            .iter()
            .chain(p.var_uppers())
            .chain(p.row_lowers())
            .chain(p.row_uppers())
            .filter(|b| b.is_finite())
            .fold(0.0f64, |acc, b| acc.max(b.abs()))
    }
}

fn sign_of(status: Status) -> f64 {
    match status {
        Status::Lower => -1.0,
        Status::Upper => 1.0,
        _ => 0.0,
    }
}

/// Where a nonbasic variable with bounds `[lo, up]` should sit, given its current value.
fn nonbasic_position(lo: f64, up: f64, current: f64) -> (Status, f64) {
    if lo == up {
        (Status::Fixed, lo)
    } else if lo.is_finite() && (!up.is_finite() || (current - lo).abs() <= (up - current).abs()) {
        (Status::Lower, lo)
    } else if up.is_finite() {
        (Status::Upper, up)
    } else {
        (
            Status::Free,
            if current.is_finite() { current } else { 0.0 },
        )
    }
}

/// The power of two nearest to `v` (1 for zero or non-finite input).
fn pow2_near(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let e = v.log2().round().clamp(-60.0, 60.0) as i32;
    2f64.powi(e)
}

/// Row and column scale factors (powers of two) from four passes of geometric-mean scaling, so
/// that the scaled entries `row_scale[i] * a_ij * col_scale[j]` are close to 1 in magnitude.
fn scale_factors(m: usize, n: usize, a: &CscMatrix) -> (Vec<f64>, Vec<f64>) {
    let mut r = vec![1.0; m];
    let mut c = vec![1.0; n];
    for _ in 0..4 {
        let mut rmin = vec![f64::INFINITY; m];
        let mut rmax = vec![0.0f64; m];
        for j in 0..n {
            for (i, v) in a.column(j) {
                let v = v.abs() * c[j];
                rmin[i] = rmin[i].min(v);
                rmax[i] = rmax[i].max(v);
            }
        }
        for i in 0..m {
            if rmax[i] > 0.0 {
                r[i] = 1.0 / (rmin[i] * rmax[i]).sqrt();
            }
        }
        for j in 0..n {
            let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
            for (i, v) in a.column(j) {
                let v = v.abs() * r[i];
                lo = lo.min(v);
                hi = hi.max(v);
            }
            if hi > 0.0 {
                c[j] = 1.0 / (lo * hi).sqrt();
            }
        }
    }
    (
        r.into_iter().map(pow2_near).collect(),
        c.into_iter().map(pow2_near).collect(),
    )
}
