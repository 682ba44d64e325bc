//! Questions as a user states them — a commodity id, country codes, origins and markets as text — turned
//! into the typed queries the analyses take. The command line and the Python package both ask through
//! these, so a name means the same thing, and a wrong one gets the same message, everywhere.

use crate::capacity::{is_market_of, is_origin_of, query_territory, resolve_endpoints_for};
use crate::{AnalysisError, CapacityQuery};
use corridor_model::units::closest;
use corridor_model::*;

/// The commodity with the id `id`, or an error naming the known ones.
pub fn find_commodity(dataset: &Dataset, id: &str) -> Result<CommodityId, AnalysisError> {
    dataset.commodity_id(id).ok_or_else(|| {
        let known: Vec<&str> = dataset.commodities.iter().map(|c| c.id.as_str()).collect();
        let hint = closest(id, known.iter().copied())
            .map(|s| format!(" — did you mean `{s}`?"))
            .unwrap_or_default();
        AnalysisError::Query(format!(
            "unknown commodity `{id}`{hint} (known: {})",
            known.join(", ")
        ))
    })
}

/// The bloc with the id `id`, or an error with a suggestion.
pub fn find_bloc(dataset: &Dataset, id: &str) -> Result<BlocId, AnalysisError> {
    dataset.bloc_id(id).ok_or_else(|| {
        let hint = closest(id, dataset.blocs.iter().map(|b| b.id.as_str()))
            .map(|s| format!(" — did you mean `{s}`?"))
            .unwrap_or_default();
        AnalysisError::Query(format!("unknown bloc `{id}`{hint}"))
    })
}

/// Country codes, each part of `parts` possibly a comma-separated list. A well-formed upper-case code
/// the dataset does not know is kept (nothing in the network touches it) and named in the returned
/// warnings; anything else is an error with a suggestion.
pub fn parse_countries<'a>(
    dataset: &Dataset,
    parts: impl IntoIterator<Item = &'a str>,
) -> Result<(Vec<CountryCode>, Vec<String>), AnalysisError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for part in parts
        .into_iter()
        .flat_map(|p| p.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let code =
            CountryCode::parse(part).filter(|_| part.chars().all(|c| c.is_ascii_alphabetic()));
        match code {
            Some(c) if dataset.country(c).is_some() => out.push(c),
            Some(c) if part.chars().all(|ch| ch.is_ascii_uppercase()) => {
                warnings.push(format!(
                    "country `{c}` does not appear in dataset `{}`; avoiding it changes nothing",
                    dataset.meta.id
                ));
                out.push(c);
            }
            _ => {
                let hint = closest(part, dataset.countries.iter().map(|c| c.code.as_str()))
                    .map(|s| format!(" — did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(AnalysisError::Query(format!(
                    "unknown country `{part}`{hint} (use upper-case ISO 3166-1 alpha-2 codes, e.g. RU,CN)"
                )));
            }
        }
    }
    Ok((out, warnings))
}

/// Adds `avoid` to the scenario's avoided countries, less the countries its supplies start in (an
/// origin's own country is never avoided). Returns the countries added.
pub fn avoid_in_scenario(
    dataset: &Dataset,
    scenario: &mut Scenario,
    avoid: &[CountryCode],
) -> Vec<CountryCode> {
    let origins: Vec<CountryCode> = scenario
        .supplies
        .iter()
        .filter_map(|s| dataset.node(s.node).country)
        .collect();
    let mut added = Vec::new();
    for &c in avoid {
        if !origins.contains(&c) && !scenario.policy.avoid_countries.contains(&c) {
            scenario.policy.avoid_countries.push(c);
            added.push(c);
        }
    }
    added
}

/// A capacity question as stated: `corridor capacity --commodity … --from … --to …`.
#[derive(Clone, Debug)]
pub struct CapacitySpec {
    /// The commodity to move.
    pub commodity: CommodityId,
    /// Origins: node ids or country codes (a country means its nodes that ship the commodity).
    pub from: Vec<String>,
    /// Markets: node ids, country codes, or `any`.
    pub to: Vec<String>,
    /// Countries no route may touch.
    pub avoid: Vec<CountryCode>,
    /// Transit only through this bloc's members (origin and market countries stay allowed).
    pub only_bloc: Option<BlocId>,
    /// Default: the scenario's year, else the dataset's default year.
    pub year: Option<i32>,
}

/// The [`CapacityQuery`] of `spec`; with a scenario, beside its other shippers (background flows moved
/// to the year) and under its disruptions of that year, else on the nameplate network.
pub fn capacity_query(
    dataset: &Dataset,
    scenario: Option<&Scenario>,
    spec: &CapacitySpec,
) -> Result<CapacityQuery, AnalysisError> {
    let commodity = spec.commodity;
    let year = spec
        .year
        .or(scenario.map(|s| s.year))
        .unwrap_or(dataset.meta.default_year);
    let origins = resolve_endpoints_for(dataset, &spec.from, NodeKind::Field, Some(commodity))?;
    let markets = resolve_endpoints_for(dataset, &spec.to, NodeKind::Market, Some(commodity))?;
    // Only endpoints of this commodity open their countries to it: `--to any` for crude must not let
    // crude through Georgia because Georgia buys gas.
    let mut endpoints: Vec<_> = origins
        .iter()
        .copied()
        .filter(|&n| is_origin_of(dataset, commodity, n))
        .collect();
    endpoints.extend(
        markets
            .iter()
            .copied()
            .filter(|&n| is_market_of(dataset, commodity, n)),
    );
    let territory = query_territory(dataset, &spec.avoid, spec.only_bloc, year, &endpoints);
    Ok(CapacityQuery {
        commodity,
        origins,
        markets,
        year,
        territory,
        disruptions: scenario.map_or_else(Vec::new, |s| {
            s.bypass_disruptions()
                .into_iter()
                .filter(|d| d.applies_in(year))
                .collect()
        }),
        background: scenario.map_or_else(Vec::new, |s| s.in_year(year).background),
    })
}
