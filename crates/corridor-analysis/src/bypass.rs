//! The bypass question of a scenario, per commodity: from the supplies' countries to every market, how
//! much can move while avoiding some countries (never the origins' own), what limits it, and which of
//! the countries it crosses it cannot do without. This is the question `corridor run` asks; the report
//! and the web app ask it too, so they share this one definition.

use crate::capacity::{
    capacity, query_territory, resolve_endpoints, CapacityQuery, CapacityResult,
};
use crate::dependence::{country_dependence, CountryDependence};
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;
use std::collections::BTreeSet;

/// The bypass capacity of one commodity and what it depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Bypass {
    /// What the scenario's supplies can move: capacity left after other shippers' volumes.
    pub capacity: CapacityResult,
    /// The same question on nameplate capacities, when the scenario has background flows that lower it.
    pub nameplate: Option<CapacityResult>,
    /// Empty unless asked for.
    pub dependence: Vec<CountryDependence>,
}

/// Measures the bypass of every commodity that `scenario` supplies, avoiding `avoid` (less the origins'
/// countries) under the scenario's year and disruptions. `with_dependence` adds, per commodity, the
/// capacity left when each crossed country is closed too (one more max-flow per country).
pub fn scenario_bypass(
    dataset: &Dataset,
    scenario: &Scenario,
    avoid: &[CountryCode],
    with_dependence: bool,
    solver: &dyn LpSolver,
) -> Result<Vec<Bypass>, AnalysisError> {
    let mut out = Vec::new();
    for c in scenario.commodities() {
        let origin_countries: BTreeSet<CountryCode> = scenario
            .supplies
            .iter()
            .filter(|s| s.commodity == c)
            .filter_map(|s| dataset.node(s.node).country)
            .collect();
        let origin_specs: Vec<String> = origin_countries.iter().map(|c| c.to_string()).collect();
        let origins = resolve_endpoints(dataset, &origin_specs, NodeKind::Field)?;
        let markets = resolve_endpoints(dataset, &["any".to_string()], NodeKind::Market)?;
        let avoided: Vec<CountryCode> = avoid
            .iter()
            .copied()
            .filter(|c| !origin_countries.contains(c))
            .collect();
        let mut endpoints = origins.clone();
        endpoints.extend(&markets);
        let territory = query_territory(dataset, &avoided, None, scenario.year, &endpoints);
        let disruptions = scenario.bypass_disruptions();
        let query = CapacityQuery {
            commodity: c,
            origins,
            markets,
            year: scenario.year,
            territory,
            disruptions,
            background: scenario.background.clone(),
        };
        let result = capacity(dataset, &query, solver)?;
        let nameplate = if scenario.background.iter().any(|b| b.commodity == c) {
            let mut q = query.clone();
            q.background.clear();
            Some(capacity(dataset, &q, solver)?)
        } else {
            None
        };
        let dependence = if with_dependence {
            country_dependence(dataset, &query, &result, solver)?
        } else {
            Vec::new()
        };
        out.push(Bypass {
            capacity: result,
            nameplate,
            dependence,
        });
    }
    Ok(out)
}

/// The bypass of each commodity that both scenarios supply, avoiding `avoid`: (commodity, capacity in
/// A, capacity in B, base units per year). This is what `compare` shows beside the allocations.
pub fn compare_bypass(
    a: (&Dataset, &Scenario),
    b: (&Dataset, &Scenario),
    avoid: &[CountryCode],
    solver: &dyn LpSolver,
) -> Result<Vec<(CommodityId, f64, f64)>, AnalysisError> {
    // Each scenario on its own dataset: an overlay may have changed or added links.
    let bypass_a = scenario_bypass(a.0, a.1, avoid, false, solver)?;
    let bypass_b = scenario_bypass(b.0, b.1, avoid, false, solver)?;
    Ok(bypass_a
        .iter()
        .filter_map(|x| {
            let y = bypass_b
                .iter()
                .find(|y| y.capacity.commodity == x.capacity.commodity)?;
            Some((
                x.capacity.commodity,
                x.capacity.capacity,
                y.capacity.capacity,
            ))
        })
        .collect())
}
