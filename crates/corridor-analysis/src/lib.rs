#![warn(missing_docs, unreachable_pub)]

//! Corridor analyses on a resolved dataset: least-cost [`allocate`]ion of supplies to markets (an LP over
//! all commodities), the bypass [`capacity`] of a corridor with its minimum cut (max-flow), and how much
//! that capacity depends on each country (`country_dependence`). Resilience: N-1/N-2 [`contingency`]
//! rankings, Monte Carlo [`risk`] over sourced outage rates (deterministic for any thread count or
//! sharding), dependence [`indices`] (HHI, bypass ratio, leverage), and year-by-year [`pathway`]s.
//! Long analyses report progress through a [`Reporter`].
//!
//! The analyses translate the domain (links, countries, policies) into the solvers' plain networks and
//! LPs and back; the solvers know nothing of countries. Results are typed: ids (`NodeId`, `LinkId`,
//! `CommodityId`, `CountryCode`) and volumes in base units per year; `corridor-report::records` turns them
//! into what people read (names, display units) at the edge. Nothing here prints.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let loaded = corridor_io::load_scenario("kazakh-crude-2024", None)?;
//! let result = corridor_analysis::allocate(&loaded.dataset, &loaded.scenario, &corridor_lp::Simplex::default())?;
//! assert!(!result.origins.is_empty());
//! # Ok(()) }
//! ```

mod allocate;
mod backtest;
mod bypass;
mod capacity;
mod cases;
mod compare;
mod contingency;
mod dependence;
mod indices;
mod lowering;
pub mod network;
mod pathway;
mod query;
mod reporter;
mod risk;
mod routes;
mod scaling;

pub use allocate::{
    allocate, allocate_with, constraint_label, contract_name, Allocation, Binding, CommodityTotals,
    Constraint, ContractShortfall, CountryTransit, LinkUse, Method, OriginResult, Route,
};
pub use allocate::{calibrate, CalibrateOptions, CalibrationResult, LinkFlow, ObservationFit};
pub use backtest::{
    backtest, compare_observed, weighted_abs_pct_error, Backtest, BacktestYear, Comparison,
    DisruptionBacktest,
};
pub use bypass::compare_bypass;
pub use bypass::{scenario_bypass, Bypass};
pub use capacity::{
    capacity, query_territory, resolve_endpoints, CapacityMethod, CapacityQuery, CapacityResult,
    CutElement, CutItem,
};
pub use compare::{
    compare_allocations, comparison_dataset, BindingChange, CountryChange, LinkChange,
    ScenarioComparison,
};
pub use contingency::{
    contingency, Amount, BaseCase, Contingency, ContingencyConfig, ContingencyResult,
    ContingencyStats, ElementKinds, OriginLoss, Reroute,
};
pub use dependence::{country_dependence, CountryDependence};
pub use indices::{
    indices, indices_from, CorridorShare, CountryLeverage, CountryShare, IndicesResult,
    OriginIndices,
};
pub use pathway::{
    pathway, Bottleneck, BottleneckRole, BypassYear, ContractYear, PathwayConfig, PathwayResult,
    PathwayYear,
};
pub use query::{
    avoid_in_scenario, capacity_query, find_bloc, find_commodity, parse_countries, CapacitySpec,
};
pub use reporter::{Reporter, Silent};
pub use risk::{
    risk, risk_merge, risk_shard, CommodityRisk, Distribution, DurationModel, OriginRisk,
    OutageSource, RiskConfig, RiskContext, RiskOrigin, RiskResult, RiskShard, SampleRecord,
    TailContributor, Timing, SHARD_FORMAT,
};
pub use routes::{k_routes, RankedRoute, RouteMetric, RouteQuery};

/// Why an analysis could not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// No answer meets the constraints (contract minimums, say).
    #[error("{what} is infeasible: {why}")]
    Infeasible {
        /// What was solved: a scenario, the calibration, a capacity query.
        what: String,
        /// What cannot be met.
        why: String,
    },
    /// The objective has no lower bound.
    #[error("{what} is unbounded: a loop of negative cost with no capacity limit — check tariffs and netback prices")]
    Unbounded {
        /// What was solved.
        what: String,
    },
    /// The solver gave up before an answer.
    #[error("the solver stopped after {iterations} iterations without an answer")]
    SolverLimit {
        /// Iterations done when it stopped.
        iterations: usize,
    },
    /// An id that names nothing in the dataset.
    #[error("unknown {kind} `{id}`{}", suggestion.as_ref().map(|s| format!(" — did you mean `{s}`?")).unwrap_or_default())]
    UnknownId {
        /// What the id should name (`node or country`, say).
        kind: &'static str,
        /// The id as given.
        id: String,
        /// The closest id of that kind, when one is close.
        suggestion: Option<String>,
    },
    /// A question that cannot be answered as asked (no samples, an empty range of years, no matching
    /// node), with the fix.
    #[error("{what}")]
    Empty {
        /// What is wrong and how to ask instead.
        what: String,
    },
    /// A question naming something the dataset does not have (a commodity, country or bloc), with the fix.
    #[error("{0}")]
    Query(String),
    /// The LP solver failed.
    #[error("LP solver: {0}")]
    Lp(#[from] corridor_lp::LpError),
    /// The network-flow solver failed (its error as text).
    #[error("flow solver: {0}")]
    Flow(String),
    /// A solver's answer that fails its own optimality conditions: never printed as a result.
    #[error("the {solver} answer for {case} failed its check ({what}): this is a solver defect, not a property of the data — try the other solver (--solver simplex|highs) and report the input")]
    Check {
        /// The solver's name.
        solver: String,
        /// The problem solved (`the allocation of scenario …`).
        case: String,
        /// Which condition failed.
        what: String,
    },
}

impl AnalysisError {
    fn flow(e: corridor_flow::FlowError) -> AnalysisError {
        AnalysisError::Flow(e.to_string())
    }

    /// Turns a failed certificate (`corridor_flow::certify_*`, `corridor_lp::certify`) into an error.
    pub(crate) fn check<T>(
        result: Result<T, String>,
        solver: &str,
        case: impl FnOnce() -> String,
    ) -> Result<T, AnalysisError> {
        result.map_err(|what| AnalysisError::Check {
            solver: solver.to_string(),
            case: case(),
            what,
        })
    }
}
