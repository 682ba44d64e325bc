//! The [`Highs`] backend: options, translation of a [`Problem`] and of HiGHS's answer.

use corridor_lp::{LpError, LpSolver, Outcome, Problem, RowId, Solution, VarId};
use highs::{ColProblem, HighsModelStatus, HighsOptionValue, Model, Sense, SolvedModel};

use crate::status::{verdict, Limit, Verdict};

const NAME: &str = "highs";

/// Options of the HiGHS backend. `Highs::default()` runs HiGHS with its own defaults, silenced.
#[derive(Clone, Debug)]
pub struct Highs {
    /// Which HiGHS algorithm solves the LP (option `solver`). Default [`Algorithm::Choose`].
    pub algorithm: Algorithm,
    /// Run HiGHS's presolve (option `presolve`: `choose` when true, `off` when false).
    /// Default `true`.
    pub presolve: bool,
    /// Absolute primal feasibility tolerance (option `primal_feasibility_tolerance`), at least
    /// `1e-10`. Default `1e-7`, HiGHS's own.
    pub primal_feasibility_tolerance: f64,
    /// Absolute dual feasibility tolerance (option `dual_feasibility_tolerance`), at least
    /// `1e-10`. Default `1e-7`, HiGHS's own.
    pub dual_feasibility_tolerance: f64,
    /// Simplex iteration limit (option `simplex_iteration_limit`); `None` means none.
    pub simplex_iteration_limit: Option<usize>,
    /// Wall-clock limit in seconds (option `time_limit`); `None` means none. Makes results depend
    /// on the machine's speed, so leave it unset where reproducibility matters.
    pub time_limit_s: Option<f64>,
    /// Let HiGHS stop at "infeasible or unbounded" when presolve proves one of the two (option
    /// `allow_unbounded_or_infeasible`). When `false` (the default) HiGHS itself re-solves the
    /// original LP with the primal simplex to tell them apart.
    pub allow_infeasible_or_unbounded: bool,
    /// Let HiGHS print its log to standard output (options `output_flag` and `log_to_console`).
    /// Default `false`: library code never touches the terminal.
    pub log_to_console: bool,
}

/// The algorithm HiGHS uses for an LP.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Algorithm {
    /// HiGHS decides (its default).
    #[default]
    Choose,
    /// The simplex method (dual by default).
    Simplex,
    /// The interior-point method followed by crossover, which yields a basic solution.
    Ipm,
}

impl Algorithm {
    fn option_value(self) -> &'static str {
        match self {
            Algorithm::Choose => "choose",
            Algorithm::Simplex => "simplex",
            Algorithm::Ipm => "ipm",
        }
    }
}

impl Default for Highs {
    fn default() -> Self {
        Highs {
            algorithm: Algorithm::Choose,
            presolve: true,
            primal_feasibility_tolerance: 1e-7,
            dual_feasibility_tolerance: 1e-7,
            simplex_iteration_limit: None,
            time_limit_s: None,
            allow_infeasible_or_unbounded: false,
            log_to_console: false,
        }
    }
}

/// Everything one HiGHS run concluded, before it is folded into an [`Outcome`].
#[derive(Clone, Debug)]
pub struct Report {
    /// HiGHS's model status, verbatim. For a problem without variables, which [`Highs`] answers
    /// without calling HiGHS, it is `ModelEmpty` (what HiGHS would have said).
    pub model_status: HighsModelStatus,
    /// What the status means (see [`verdict`]); for a problem without variables, the answer
    /// [`Highs`] worked out itself (`Optimal` or `Infeasible`).
    pub verdict: Verdict,
    /// Simplex iterations (HiGHS's `simplex_iteration_count`).
    pub simplex_iterations: u64,
    /// Interior-point iterations.
    pub ipm_iterations: u64,
    /// Crossover iterations.
    pub crossover_iterations: u64,
    /// The optimal primal–dual pair, in corridor-lp's sign convention; `Some` exactly when the
    /// verdict is [`Verdict::Optimal`].
    pub solution: Option<Solution>,
}

impl Report {
    /// Simplex, interior-point and crossover iterations added up, as reported in
    /// [`Outcome::IterationLimit`].
    pub fn total_iterations(&self) -> usize {
        let total = self.simplex_iterations + self.ipm_iterations + self.crossover_iterations;
        usize::try_from(total).unwrap_or(usize::MAX)
    }
}

impl LpSolver for Highs {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Solves `p` with HiGHS and folds the [`Report`] into an [`Outcome`]:
    ///
    /// * `Optimal`, `Infeasible` and `Unbounded` map to the variants of the same name.
    /// * "Infeasible or unbounded" is settled by a second run on the same constraints with a zero
    ///   objective, which cannot be unbounded: if that finds a feasible point the problem is
    ///   unbounded, if it proves infeasibility the problem is infeasible.
    /// * Every early stop (iteration or time limit, interrupt, objective bound or target) becomes
    ///   [`Outcome::IterationLimit`] with the iterations done; [`Highs::solve_with_report`] tells
    ///   which limit it was.
    /// * A HiGHS failure becomes [`LpError::Numerical`] naming HiGHS's model status.
    fn solve(&self, p: &Problem) -> Result<Outcome, LpError> {
        let report = self.solve_with_report(p)?;
        match report.verdict {
            Verdict::InfeasibleOrUnbounded => self.settle_infeasible_or_unbounded(p),
            _ => outcome(report),
        }
    }
}

impl Highs {
    /// Solves `p` and reports HiGHS's own status alongside the solution.
    ///
    /// HiGHS treats bounds of magnitude `>= 1e20` as infinite, drops coefficients of magnitude
    /// `<= 1e-9` and rejects coefficients of magnitude `>= 1e15`; corridor's problems stay far from
    /// those limits.
    ///
    /// # Errors
    /// A malformed problem (see [`Problem::validate`]); an invalid option
    /// ([`LpError::InvalidOption`]); HiGHS rejecting the model or ending its run with an error
    /// ([`LpError::Numerical`]), or an optimum that violates a row by far more than the
    /// tolerance.
    pub fn solve_with_report(&self, p: &Problem) -> Result<Report, LpError> {
        self.check_options()?;
        let a = p.csc()?;
        if p.n_vars() == 0 {
            return Ok(self.solve_without_variables(p));
        }
        let mut hp = ColProblem::new();
        let rows: Vec<highs::Row> = (0..p.n_rows())
            .map(|i| {
                let (lower, upper) = p.row_bounds(RowId(i)).unwrap_or((0.0, 0.0));
                hp.add_row(lower..=upper)
            })
            .collect();
        for j in 0..p.n_vars() {
            let (lower, upper) = p.var_bounds(VarId(j)).unwrap_or((0.0, 0.0));
            let cost = p.cost(VarId(j)).unwrap_or(0.0);
            hp.add_column(cost, lower..=upper, a.column(j).map(|(i, v)| (rows[i], v)));
        }
        // `try_optimise` silences HiGHS before it passes the model, so that no warning about the
        // model reaches the terminal either.
        let mut model = hp.try_optimise(Sense::Minimise).map_err(|status| {
            numerical(format!(
                "HiGHS rejected the model ({status:?}); a coefficient of magnitude 1e15 or more \
                 is one cause"
            ))
        })?;
        self.apply_options(&mut model)?;
        let solved = model.try_solve().map_err(|status| {
            // The binding drops the model on an error return, so the model status is lost. Per
            // HiGHS's sources it is LoadError, ModelError, PresolveError, SolveError,
            // PostsolveError or ReachedMemoryLimit, or UnboundedOrInfeasible in a case HiGHS
            // itself does not permit (its issue 3383).
            numerical(format!("HiGHS's run ended with an error ({status:?})"))
        })?;
        self.report(p, &solved)
    }

    fn check_options(&self) -> Result<(), LpError> {
        for (name, value) in [
            (
                "primal_feasibility_tolerance",
                self.primal_feasibility_tolerance,
            ),
            (
                "dual_feasibility_tolerance",
                self.dual_feasibility_tolerance,
            ),
        ] {
            if !(value.is_finite() && value >= 1e-10) {
                return Err(LpError::InvalidOption {
                    name,
                    message: format!("{value} is not a finite number of at least 1e-10"),
                });
            }
        }
        if let Some(t) = self.time_limit_s {
            if t.is_nan() || t < 0.0 {
                return Err(LpError::InvalidOption {
                    name: "time_limit_s",
                    message: format!("{t} is not a number of seconds >= 0"),
                });
            }
        }
        Ok(())
    }

    fn apply_options(&self, model: &mut Model) -> Result<(), LpError> {
        set(model, "log_to_console", "output_flag", self.log_to_console)?;
        set(
            model,
            "log_to_console",
            "log_to_console",
            self.log_to_console,
        )?;
        set(model, "algorithm", "solver", self.algorithm.option_value())?;
        let presolve = if self.presolve { "choose" } else { "off" };
        set(model, "presolve", "presolve", presolve)?;
        set(
            model,
            "primal_feasibility_tolerance",
            "primal_feasibility_tolerance",
            self.primal_feasibility_tolerance,
        )?;
        set(
            model,
            "dual_feasibility_tolerance",
            "dual_feasibility_tolerance",
            self.dual_feasibility_tolerance,
        )?;
        if let Some(limit) = self.simplex_iteration_limit {
            // HiGHS counts in a 32-bit integer; a larger limit is no limit.
            let limit = i32::try_from(limit).unwrap_or(i32::MAX);
            set(
                model,
                "simplex_iteration_limit",
                "simplex_iteration_limit",
                limit,
            )?;
        }
        if let Some(t) = self.time_limit_s {
            set(model, "time_limit_s", "time_limit", t)?;
        }
        set(
            model,
            "allow_infeasible_or_unbounded",
            "allow_unbounded_or_infeasible",
            self.allow_infeasible_or_unbounded,
        )
    }

    fn report(&self, p: &Problem, solved: &SolvedModel) -> Result<Report, LpError> {
        let model_status = solved.status();
        let verdict = verdict(model_status);
        // Info values are invalid after some statuses; a missing count is reported as 0.
        let count = |name: &std::ffi::CStr| {
            solved
                .int_info_value(name)
                .ok()
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0)
        };
        let solution = match verdict {
            Verdict::Optimal => Some(self.solution(p, solved)?),
            _ => None,
        };
        Ok(Report {
            model_status,
            verdict,
            simplex_iterations: count(c"simplex_iteration_count"),
            ipm_iterations: count(c"ipm_iteration_count"),
            crossover_iterations: count(c"crossover_iteration_count"),
            solution,
        })
    }

    /// Translates HiGHS's optimal solution into corridor-lp's conventions.
    fn solution(&self, p: &Problem, solved: &SolvedModel) -> Result<Solution, LpError> {
        let raw = solved.get_solution();
        // Basic variables may sit within the tolerance outside a bound; report them on it, as
        // corridor-lp's simplex does.
        let x: Vec<f64> = raw
            .columns()
            .iter()
            .enumerate()
            .map(|(j, &v)| v.max(p.var_lowers()[j]).min(p.var_uppers()[j]))
            .collect();
        // For a minimisation HiGHS's row dual y_i and column dual d_j satisfy d = c - Aᵀy, with
        // y_i >= 0 at a lower bound and <= 0 at an upper bound: exactly corridor-lp's
        // "derivative of the objective with respect to the active bound". No sign change.
        let row_duals = raw.dual_rows().to_vec();
        let reduced_costs = raw.dual_columns().to_vec();
        let row_activity = p.row_activities(&x);
        let objective = p.objective_of(&x);
        let finite = objective.is_finite()
            && x.iter().all(|v| v.is_finite())
            && row_duals.iter().all(|v| v.is_finite())
            && reduced_costs.iter().all(|v| v.is_finite());
        if !finite {
            return Err(numerical(
                "the optimal solution contains non-finite values".to_string(),
            ));
        }
        if x.len() != p.n_vars() || row_duals.len() != p.n_rows() {
            return Err(numerical(format!(
                "HiGHS returned {} values and {} row duals for {} variables and {} rows",
                x.len(),
                row_duals.len(),
                p.n_vars(),
                p.n_rows()
            )));
        }
        // HiGHS checks feasibility in absolute terms on the unscaled problem; a violation far
        // beyond its tolerance would mean a wrong answer, which is reported rather than returned.
        let allowed = (100.0 * self.primal_feasibility_tolerance).max(1e-6);
        for (i, &act) in row_activity.iter().enumerate() {
            let (l, u) = (p.row_lowers()[i], p.row_uppers()[i]);
            let excess = (l - act).max(act - u);
            let mag = [l, u]
                .iter()
                .filter(|b| b.is_finite())
                .fold(0.0f64, |m, b| m.max(b.abs()));
            if excess > allowed * (1.0 + mag) {
                return Err(numerical(format!(
                    "row {i} is violated by {excess:e} at HiGHS's optimum"
                )));
            }
        }
        Ok(Solution {
            objective,
            x,
            row_activity,
            row_duals,
            reduced_costs,
        })
    }

    /// HiGHS refuses a model without columns (`ModelEmpty`), so such a problem is answered here:
    /// every row's activity is 0, which is feasible exactly when every row admits 0.
    fn solve_without_variables(&self, p: &Problem) -> Report {
        let tol = self.primal_feasibility_tolerance;
        let feasible = p
            .row_lowers()
            .iter()
            .zip(p.row_uppers())
            .all(|(&l, &u)| l <= tol && u >= -tol);
        let solution = feasible.then(|| Solution {
            objective: 0.0,
            x: Vec::new(),
            row_activity: vec![0.0; p.n_rows()],
            row_duals: vec![0.0; p.n_rows()],
            reduced_costs: Vec::new(),
        });
        Report {
            model_status: HighsModelStatus::ModelEmpty,
            verdict: if feasible {
                Verdict::Optimal
            } else {
                Verdict::Infeasible
            },
            simplex_iterations: 0,
            ipm_iterations: 0,
            crossover_iterations: 0,
            solution,
        }
    }

    /// Settles "infeasible or unbounded" by solving the same constraints with a zero objective.
    fn settle_infeasible_or_unbounded(&self, p: &Problem) -> Result<Outcome, LpError> {
        let mut feasibility = p.clone();
        for j in 0..p.n_vars() {
            feasibility.set_cost(VarId(j), 0.0);
        }
        let report = self.solve_with_report(&feasibility)?;
        match report.verdict {
            // HiGHS proved that the objective is unbounded below if the problem is feasible.
            Verdict::Optimal => Ok(Outcome::Unbounded),
            Verdict::Infeasible => Ok(Outcome::Infeasible),
            Verdict::Stopped(_) => Ok(Outcome::IterationLimit {
                iterations: report.total_iterations(),
            }),
            Verdict::Unbounded | Verdict::InfeasibleOrUnbounded | Verdict::Failed => {
                Err(numerical(format!(
                    "HiGHS found the problem infeasible or unbounded, and its feasibility check \
                     ended with status {:?}",
                    report.model_status
                )))
            }
        }
    }
}

/// Folds a report whose verdict is settled into an [`Outcome`].
fn outcome(report: Report) -> Result<Outcome, LpError> {
    let iterations = report.total_iterations();
    match (report.verdict, report.solution) {
        (Verdict::Optimal, Some(s)) => Ok(Outcome::Optimal(s)),
        (Verdict::Infeasible, _) => Ok(Outcome::Infeasible),
        (Verdict::Unbounded, _) => Ok(Outcome::Unbounded),
        (
            Verdict::Stopped(
                Limit::Iterations
                | Limit::Time
                | Limit::Interrupt
                | Limit::Solutions
                | Limit::ObjectiveBound
                | Limit::ObjectiveTarget,
            ),
            _,
        ) => Ok(Outcome::IterationLimit { iterations }),
        (Verdict::Optimal, None) | (Verdict::InfeasibleOrUnbounded | Verdict::Failed, _) => {
            Err(numerical(format!(
                "HiGHS ended with model status {:?}",
                report.model_status
            )))
        }
    }
}

fn numerical(message: String) -> LpError {
    LpError::Numerical {
        solver: NAME,
        message,
    }
}

/// Sets one HiGHS option, naming the [`Highs`] field in the error.
fn set<V: HighsOptionValue + std::fmt::Debug + Copy>(
    model: &mut Model,
    field: &'static str,
    option: &str,
    value: V,
) -> Result<(), LpError> {
    model
        .try_set_option(option, value)
        .map_err(|_| LpError::InvalidOption {
            name: field,
            message: format!("HiGHS refused {option} = {value:?}"),
        })
}
