//! Calibration by inverse optimisation (Ahuja & Orlin 2001): the smallest per-link cost adjustments under
//! which the observed flows of a year are the least-cost allocation.
//!
//! 1. *Complete the observation*: solve the allocation LP with a pair of deviation variables per observed
//!    figure, minimising the weighted relative deviation first and the ordinary cost second. The result x⁰
//!    is a feasible allocation that matches the observations as closely as the network allows; a deviation
//!    that remains is a finding (an observation above a capacity, supplies that do not add up).
//! 2. *Invert*: find row duals y and premiums δ on link flows, of least L1 size (then least largest |δ|),
//!    such that x⁰ satisfies the optimality conditions of the LP with costs c + δ.
//!
//! Linear costs cannot make one origin split between two routes that both have room; the calibration
//! therefore also keeps x⁰ as the reference flow that the solver prefers among equally cheap allocations.

use super::{formulate, Formulation};
use crate::AnalysisError;
use corridor_lp::{LpSolver, Outcome, Problem, VarId};
use corridor_model::*;
use std::collections::BTreeMap;

/// How an observation came out of the completion step.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservationFit {
    /// Index into `dataset.observations`.
    pub observation: usize,
    /// Base units per year.
    pub observed: f64,
    /// The completed baseline's flow over the observation's links, base units per year.
    pub completed: f64,
}

impl ObservationFit {
    /// Observed − completed: what no allocation within the network's limits could reproduce.
    pub fn residual(&self) -> f64 {
        self.observed - self.completed
    }
}

/// A calibration and how well the completed baseline reproduces the observations.
#[derive(Clone, Debug)]
pub struct CalibrationResult {
    /// The year whose observations were fitted.
    pub year: i32,
    /// The premiums and reference flows to run the scenario with.
    pub calibration: Calibration,
    /// How each observation used came out of the completion step.
    pub fits: Vec<ObservationFit>,
    /// Σ |δ| over links, USD per base unit.
    pub premium_l1: f64,
}

/// Options of [`calibrate`].
#[derive(Clone, Copy, Debug)]
pub struct CalibrateOptions {
    /// USD per base unit that moving away from the reference costs (see [`Calibration::tie_break_usd`]).
    pub tie_break_usd: f64,
}

impl Default for CalibrateOptions {
    fn default() -> Self {
        CalibrateOptions {
            tie_break_usd: 0.01,
        }
    }
}

/// Tolerance, relative to the largest supply, for deciding that a value sits at a bound.
const AT_BOUND: f64 = 1e-7;

/// Fits `scenario` (its own calibration ignored) to the observed flows of `year`.
pub fn calibrate(
    dataset: &Dataset,
    scenario: &Scenario,
    year: i32,
    solver: &dyn LpSolver,
    options: CalibrateOptions,
) -> Result<CalibrationResult, AnalysisError> {
    let mut base = scenario.in_year(year);
    base.calibration = None;
    let f = formulate(dataset, &base, true);
    let scope = base.shippers.unwrap_or(ShipperScope::All);
    let observed: Vec<(usize, &Observation)> = dataset
        .observations_for(scope, &f.commodities, year)
        .collect();
    if observed.is_empty() {
        return Err(AnalysisError::Empty {
            what: format!(
                "no observed flows to calibrate to: the dataset has no `fit` observation for {year} of the scenario's commodities with origin `{scope}` (see observed.csv)"
            ),
        });
    }
    let largest = base.supplies.iter().map(|s| s.volume).fold(1.0, f64::max);
    let x0 = complete(&f, &base, &observed, solver, largest)?;
    let fits = observed
        .iter()
        .map(|&(i, o)| ObservationFit {
            observation: i,
            observed: o.volume_base,
            completed: observation_flow(&f, o, &x0),
        })
        .collect();
    let (premiums, premium_l1) = invert(&f, &x0, solver, largest)?;
    let reference = f
        .flow
        .iter()
        .filter(|(_, &v)| x0[v.0] > AT_BOUND * largest)
        .map(|(&(ai, c), &v)| {
            let arc = &f.network.arcs[ai];
            ReferenceFlow {
                link: arc.link,
                reverse: arc.reverse,
                commodity: c,
                volume: x0[v.0],
            }
        })
        .collect();
    Ok(CalibrationResult {
        year,
        calibration: Calibration {
            file: String::new(),
            year,
            premiums,
            reference,
            tie_break_usd: options.tie_break_usd,
        },
        fits,
        premium_l1,
    })
}

/// The flow variables an observation measures.
fn observation_vars(f: &Formulation, o: &Observation) -> Vec<VarId> {
    f.flow
        .iter()
        .filter(|(&(ai, c), _)| c == o.commodity && o.links.contains(&f.network.arcs[ai].link))
        .map(|(_, &v)| v)
        .collect()
}

fn observation_flow(f: &Formulation, o: &Observation, x: &[f64]) -> f64 {
    observation_vars(f, o).iter().map(|v| x[v.0]).sum()
}

fn optimal(
    solver: &dyn LpSolver,
    problem: &Problem,
    what: &str,
) -> Result<corridor_lp::Solution, AnalysisError> {
    match solver.solve(problem)? {
        Outcome::Optimal(s) => {
            AnalysisError::check(corridor_lp::certify(problem, &s), solver.name(), || {
                what.to_string()
            })?;
            Ok(s)
        }
        Outcome::Infeasible => Err(AnalysisError::Infeasible {
            what: what.to_string(),
            why:
                "no allocation meets the scenario's contract minimums; fix them before calibrating"
                    .into(),
        }),
        Outcome::Unbounded => Err(AnalysisError::Unbounded {
            what: what.to_string(),
        }),
        Outcome::IterationLimit { iterations } => Err(AnalysisError::SolverLimit { iterations }),
    }
}

/// Step 1: the feasible allocation closest to the observations (weighted relative L1), cheapest among
/// those. Returns the values of the formulation's own variables.
fn complete(
    f: &Formulation,
    scenario: &Scenario,
    observed: &[(usize, &Observation)],
    solver: &dyn LpSolver,
    largest: f64,
) -> Result<Vec<f64>, AnalysisError> {
    let mut p = f.problem.clone();
    let n = p.n_vars();
    let costs = p.costs().to_vec();
    for j in 0..n {
        p.set_cost(VarId(j), 0.0);
    }
    // Supplies are published figures too: leaving one unserved counts as a large miss (as if every
    // tonne were 1 % of the commodity's supply off), so routes absorb the difference first.
    // `misses` holds every phase-1 term (deviations and unserved supply) with its weight; phase 2 keeps
    // their weighted sum at its optimum.
    let mut misses = Vec::new();
    for (s, &v) in scenario.supplies.iter().zip(&f.unmet) {
        let w = largest / (0.01 * supply_of(scenario, s.commodity).max(largest * 1e-6));
        p.set_cost(v, w);
        misses.push((v, w));
    }
    let mut deviations = Vec::new();
    for &(_, o) in observed {
        // A relative miss: a 0.5 Mt miss on a 1.5 Mt route counts more than on a 55 Mt one.
        let floor = 0.01 * supply_of(scenario, o.commodity).max(largest * 1e-6);
        // Scaled by the largest supply so that costs are of order one (the simplex's tolerances are
        // absolute: a cost of 1e-8 per tonne would read as zero).
        let w = o.weight() * largest / o.volume_base.max(floor);
        let plus = p.add_var(0.0, f64::INFINITY, w);
        let minus = p.add_var(0.0, f64::INFINITY, w);
        let mut coeffs: Vec<(VarId, f64)> = observation_vars(f, o)
            .into_iter()
            .map(|v| (v, 1.0))
            .collect();
        coeffs.push((plus, -1.0));
        coeffs.push((minus, 1.0));
        p.add_row(o.volume_base, o.volume_base, &coeffs);
        deviations.push((plus, w));
        deviations.push((minus, w));
    }
    let first = optimal(
        solver,
        &p,
        &format!("calibration of `{}` (matching observations)", scenario.name),
    )?;
    let best = first.objective.max(0.0);
    for (j, &c) in costs.iter().enumerate() {
        p.set_cost(VarId(j), c);
    }
    for &(v, _) in &deviations {
        p.set_cost(v, 0.0);
    }
    misses.extend(deviations.iter().copied());
    p.add_row(f64::NEG_INFINITY, best * (1.0 + 1e-9) + 1e-9, &misses);
    let second = optimal(
        solver,
        &p,
        &format!("calibration of `{}` (cheapest match)", scenario.name),
    )?;
    Ok(second.x[..n].to_vec())
}

fn supply_of(scenario: &Scenario, c: CommodityId) -> f64 {
    scenario
        .supplies
        .iter()
        .filter(|s| s.commodity == c)
        .map(|s| s.volume)
        .sum()
}

/// Step 2: premiums of least L1 (then least L∞) size under which `x0` is optimal.
fn invert(
    f: &Formulation,
    x0: &[f64],
    solver: &dyn LpSolver,
    largest: f64,
) -> Result<(Vec<Premium>, f64), AnalysisError> {
    let p = &f.problem;
    let tol = AT_BOUND * largest;
    let activity = p.row_activities(x0);
    let mut inv = Problem::new();
    // Row duals with the sign their row's status allows.
    let y: Vec<Option<VarId>> = (0..p.n_rows())
        .map(|i| {
            let (lo, hi) = (p.row_lowers()[i], p.row_uppers()[i]);
            let a = activity[i];
            let at_lo = lo.is_finite() && (a - lo).abs() <= tol;
            let at_hi = hi.is_finite() && (a - hi).abs() <= tol;
            match (at_lo, at_hi) {
                (true, true) => Some(inv.add_var(f64::NEG_INFINITY, f64::INFINITY, 0.0)),
                (true, false) => Some(inv.add_var(0.0, f64::INFINITY, 0.0)),
                (false, true) => Some(inv.add_var(f64::NEG_INFINITY, 0.0, 0.0)),
                (false, false) => None,
            }
        })
        .collect();
    // One premium pair per (link, commodity), shared by both directions of a two-way link.
    let mut delta: BTreeMap<(LinkId, CommodityId), (VarId, VarId)> = BTreeMap::new();
    let mut column_delta: BTreeMap<usize, (VarId, VarId)> = BTreeMap::new();
    for (&(ai, c), &v) in &f.flow {
        let key = (f.network.arcs[ai].link, c);
        let pair = *delta.entry(key).or_insert_with(|| {
            (
                inv.add_var(0.0, f64::INFINITY, 1.0),
                inv.add_var(0.0, f64::INFINITY, 1.0),
            )
        });
        column_delta.insert(v.0, pair);
    }
    let csc = p.csc()?;
    for (j, &xj) in x0.iter().enumerate().take(p.n_vars()) {
        let (lb, ub) = (p.var_lowers()[j], p.var_uppers()[j]);
        let at_lb = lb.is_finite() && xj - lb <= tol;
        let at_ub = ub.is_finite() && ub - xj <= tol;
        // Reduced cost d = c + δ − yᵀA must be ≥ 0 at the lower bound, ≤ 0 at the upper, 0 between.
        // Written as yᵀA − δ (⋚) c.
        let (lo, hi) = match (at_lb, at_ub) {
            (true, true) => continue,
            (true, false) => (f64::NEG_INFINITY, p.costs()[j]),
            (false, true) => (p.costs()[j], f64::INFINITY),
            (false, false) => (p.costs()[j], p.costs()[j]),
        };
        let mut coeffs: Vec<(VarId, f64)> = csc
            .column(j)
            .filter_map(|(i, a)| y[i].map(|yi| (yi, a)))
            .collect();
        if let Some(&(plus, minus)) = column_delta.get(&j) {
            coeffs.push((plus, -1.0));
            coeffs.push((minus, 1.0));
        }
        if coeffs.is_empty() {
            if lo > 1e-9 || hi < -1e-9 {
                return Err(AnalysisError::Infeasible {
                    what: "the calibration".into(),
                    why:
                        "a variable without a premium cannot be made optimal at the completed flows"
                            .into(),
                });
            }
            continue;
        }
        inv.add_row(lo, hi, &coeffs);
    }
    let first = optimal(solver, &inv, "the calibration's premium LP")?;
    let l1 = first.objective;
    // Among the least-L1 premiums, the one with the smallest largest premium (a deterministic choice).
    let pairs: Vec<(VarId, VarId)> = delta.values().copied().collect();
    let all: Vec<(VarId, f64)> = pairs
        .iter()
        .flat_map(|&(a, b)| [(a, 1.0), (b, 1.0)])
        .collect();
    for &(a, b) in &pairs {
        inv.set_cost(a, 0.0);
        inv.set_cost(b, 0.0);
    }
    inv.add_row(f64::NEG_INFINITY, l1 * (1.0 + 1e-9) + 1e-9, &all);
    let t = inv.add_var(0.0, f64::INFINITY, 1.0);
    for &(a, b) in &pairs {
        inv.add_row(f64::NEG_INFINITY, 0.0, &[(a, 1.0), (b, 1.0), (t, -1.0)]);
    }
    let second = optimal(solver, &inv, "the calibration's premium LP (second pass)")?;
    let mut premiums = Vec::new();
    for (&(link, commodity), &(a, b)) in &delta {
        let value = second.x[a.0] - second.x[b.0];
        // Round-off of the LP, not a premium: a thousandth of a dollar per unit.
        if value.abs() > 1e-3 {
            premiums.push(Premium {
                link,
                commodity,
                usd_per_unit: value,
            });
        }
    }
    Ok((premiums, l1))
}
