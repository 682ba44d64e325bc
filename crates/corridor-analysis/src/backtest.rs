//! Model against observation: per observed route and year, what was published and what the model
//! allocates, in sample (calibrated on the same year) and out of sample (calibrated on the year before,
//! predicting with the new year's capacities, supplies and disruptions).

use crate::allocate::{allocate, calibrate, Allocation, CalibrateOptions};
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;

/// One observed figure beside the model's flow over the same links, base units per year.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Index into `dataset.observations`.
    pub observation: usize,
    /// The published figure, base units per year.
    pub observed: f64,
    /// The model's flow over the observation's links, base units per year.
    pub modelled: f64,
}

impl Comparison {
    /// Modelled − observed, base units per year: positive where the model carries too much.
    pub fn error(&self) -> f64 {
        self.modelled - self.observed
    }
}

/// The model's flow over each `fit` observation of the allocation's year that the scenario can be
/// compared with (same commodity, same shippers).
pub fn compare_observed(
    dataset: &Dataset,
    scenario: &Scenario,
    allocation: &Allocation,
) -> Vec<Comparison> {
    let commodities = scenario.commodities();
    let scope = scenario.shippers.unwrap_or(ShipperScope::All);
    dataset
        .observations_for(scope, &commodities, allocation.year)
        .map(|(i, o)| Comparison {
            observation: i,
            observed: o.volume_base,
            modelled: allocation
                .flows
                .iter()
                .filter(|f| f.commodity == o.commodity && o.links.contains(&f.link))
                .map(|f| f.volume)
                .sum(),
        })
        .collect()
}

/// Σ|model − observed| / Σ observed: the share of the observed volume the model puts elsewhere.
pub fn weighted_abs_pct_error(comparisons: &[Comparison]) -> Option<f64> {
    let observed: f64 = comparisons.iter().map(|c| c.observed).sum();
    (observed > 0.0).then(|| comparisons.iter().map(|c| c.error().abs()).sum::<f64>() / observed)
}

/// One year of a backtest.
#[derive(Clone, Debug)]
pub struct BacktestYear {
    /// The year predicted and compared.
    pub year: i32,
    /// Least cost with tariffs only.
    pub uncalibrated: Vec<Comparison>,
    /// Calibrated on this year's own observations.
    pub in_sample: Vec<Comparison>,
    /// Calibrated on the year before (when it has observations), predicting this year.
    pub out_of_sample: Option<Vec<Comparison>>,
    /// When the scenario has disruptions dated to this year: the model with and without them, calibrated
    /// on the year before when there is one (else on this year), to show how the model reroutes around
    /// them beside what was reported.
    pub disruption: Option<DisruptionBacktest>,
}

/// The model with and without a year's dated disruptions.
#[derive(Clone, Debug)]
pub struct DisruptionBacktest {
    /// The year whose observations the calibration used.
    pub calibrated_on: i32,
    /// Compared with the year's disruptions applied.
    pub with: Vec<Comparison>,
    /// Compared with the same scenario without them.
    pub without: Vec<Comparison>,
}

/// A backtest over several years.
#[derive(Clone, Debug)]
pub struct Backtest {
    /// One entry per year, in the order asked.
    pub years: Vec<BacktestYear>,
}

/// Runs the backtest of `scenario` for `years` (in order).
pub fn backtest(
    dataset: &Dataset,
    scenario: &Scenario,
    years: &[i32],
    solver: &dyn LpSolver,
    options: CalibrateOptions,
) -> Result<Backtest, AnalysisError> {
    let mut uncalibrated_scenario = scenario.clone();
    uncalibrated_scenario.calibration = None;
    let mut out = Vec::new();
    let mut previous: Option<Calibration> = None;
    for &year in years {
        let plain = uncalibrated_scenario.in_year(year);
        let uncalibrated = compare_observed(dataset, &plain, &allocate(dataset, &plain, solver)?);
        let has_observations = !uncalibrated.is_empty();
        let fitted = if has_observations {
            Some(calibrate(dataset, &uncalibrated_scenario, year, solver, options)?.calibration)
        } else {
            None
        };
        let run_with =
            |calibration: &Calibration, s: &Scenario| -> Result<Vec<Comparison>, AnalysisError> {
                let mut s = s.clone();
                s.calibration = Some(calibration.clone());
                Ok(compare_observed(
                    dataset,
                    &s,
                    &allocate(dataset, &s, solver)?,
                ))
            };
        let in_sample = match &fitted {
            Some(c) => run_with(c, &plain)?,
            None => Vec::new(),
        };
        let out_of_sample = match &previous {
            Some(c) if has_observations => Some(run_with(c, &plain)?),
            _ => None,
        };
        let dated = plain.disruptions.iter().any(|d| d.years.contains(&year));
        let basis = match (&previous, &fitted) {
            (Some(c), _) if has_observations => Some((year - 1, c)),
            (_, Some(c)) => Some((year, c)),
            _ => None,
        };
        let disruption = match (basis, dated) {
            (Some((calibrated_on, c)), true) => {
                let mut calm = plain.clone();
                calm.disruptions.retain(|d| !d.years.contains(&year));
                Some(DisruptionBacktest {
                    calibrated_on,
                    with: run_with(c, &plain)?,
                    without: run_with(c, &calm)?,
                })
            }
            _ => None,
        };
        out.push(BacktestYear {
            year,
            uncalibrated,
            in_sample,
            out_of_sample,
            disruption,
        });
        previous = fitted;
    }
    Ok(Backtest { years: out })
}
