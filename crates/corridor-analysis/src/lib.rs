//! Corridor analyses on a resolved dataset: least-cost [`allocate`]ion of supplies to markets (an LP over
//! all commodities), the bypass [`capacity`] of a corridor with its minimum cut (max-flow), and how much
//! that capacity depends on each country (`country_dependence`).
//!
//! The analyses translate the domain (links, countries, policies) into the solvers' plain networks and
//! LPs and back; the solvers know nothing of countries. Results are plain serialisable structs; nothing
//! here prints.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let loaded = corridor_io::load_scenario("kazakh-crude-2024", None)?;
//! let result = corridor_analysis::allocate(&loaded.dataset, &loaded.scenario, &corridor_lp::Simplex::default())?;
//! println!("{} origins", result.origins.len());
//! # Ok(()) }
//! ```

mod allocate;
mod capacity;
mod dependence;
pub mod network;
mod routes;

pub use allocate::{
    allocate, allocate_with, Allocation, Binding, CommodityTotals, CountryTransit, LinkUse, Method,
    OriginResult, Route,
};
pub use capacity::{
    capacity, query_territory, resolve_endpoints, CapacityQuery, CapacityResult, CutElement,
    FLOW_SCALE,
};
pub use dependence::{country_dependence, CountryDependence};
pub use routes::{k_routes, RankedRoute, RouteMetric, RouteQuery};

/// Why an analysis could not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("{what} is infeasible: {why}")]
    Infeasible { what: String, why: String },
    #[error("{what} is unbounded: a loop of negative cost with no capacity limit — check tariffs and netback prices")]
    Unbounded { what: String },
    #[error("the solver stopped after {iterations} iterations without an answer")]
    SolverLimit { iterations: usize },
    #[error("unknown {kind} `{id}`{}", suggestion.as_ref().map(|s| format!(" — did you mean `{s}`?")).unwrap_or_default())]
    UnknownId {
        kind: &'static str,
        id: String,
        suggestion: Option<String>,
    },
    #[error("{what}")]
    Empty { what: String },
    #[error("LP solver: {0}")]
    Lp(#[from] corridor_lp::LpError),
    #[error("flow solver: {0}")]
    Flow(String),
}

impl AnalysisError {
    fn flow(e: corridor_flow::FlowError) -> AnalysisError {
        AnalysisError::Flow(e.to_string())
    }
}
