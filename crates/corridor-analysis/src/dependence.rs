//! How much a corridor depends on each country it crosses: the capacity lost when that country is
//! avoided too. A country whose loss takes the whole capacity is one the corridor cannot do without.

use crate::capacity::{capacity, CapacityQuery, CapacityResult};
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;
use std::collections::BTreeSet;

/// The effect of closing one country to a capacity query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountryDependence {
    /// The country closed on top of the query's avoided countries.
    pub country: CountryCode,
    /// Capacity left without the country, base units per year.
    pub capacity_without: f64,
    /// Capacity lost, base units per year.
    pub lost: f64,
    /// Lost share of the capacity, 0–1.
    pub share_lost: f64,
}

/// For every country on the routes of `base` other than the origins' countries, the capacity left when
/// that country is also avoided; sorted by loss, largest first.
pub fn country_dependence(
    dataset: &Dataset,
    query: &CapacityQuery,
    base: &CapacityResult,
    solver: &dyn LpSolver,
) -> Result<Vec<CountryDependence>, AnalysisError> {
    let origin_countries: BTreeSet<CountryCode> = query
        .origins
        .iter()
        .filter_map(|&n| dataset.node(n).country)
        .collect();
    let crossed: BTreeSet<CountryCode> = base
        .routes
        .iter()
        .flat_map(|r| r.countries.iter().copied())
        .filter(|c| !origin_countries.contains(c))
        .collect();
    let mut out = Vec::new();
    for country in crossed {
        let mut q = query.clone();
        q.territory.avoid.insert(country);
        let without = capacity(dataset, &q, solver)?;
        let lost = (base.capacity - without.capacity).max(0.0);
        out.push(CountryDependence {
            country,
            capacity_without: without.capacity,
            lost,
            share_lost: if base.capacity > 0.0 {
                lost / base.capacity
            } else {
                0.0
            },
        });
    }
    out.sort_by(|a, b| {
        b.lost
            .total_cmp(&a.lost)
            .then_with(|| a.country.cmp(&b.country))
    });
    Ok(out)
}
