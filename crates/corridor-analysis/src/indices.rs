//! Dependence indices from the optimised, capacity-feasible flows of a scenario.
//!
//! For each origin and commodity:
//! * the share of its delivered volume that crosses each country beyond its own (the market's country
//!   counts too: it can stop the flow as well as a transit country);
//! * route concentration as a Herfindahl–Hirschman index over *country paths* (routes grouped by the
//!   sequence of countries they cross after the origin's): 1 when every route crosses the same countries,
//!   1/n for n equally used country paths;
//! * the HHI of its transit-country shares (each country's share of the total country crossings);
//! * for each country crossed, the bypass ratio: the share of its base deliveries still delivered when
//!   that country is out (every link touching it removed, the allocation re-solved).
//!
//! For each country crossed, its *leverage*: the volume that would not be delivered without it, all
//! origins together, i.e. the loss of the country contingency. A corridor with a single transit country
//! has HHI 1, bypass ratio 0 and that country's leverage equal to the whole volume.

use crate::allocate::{allocate, Allocation, Method};
use crate::cases::{element_links, CaseEngine};
use crate::reporter::{with_threads, Reporter};
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One country on an origin's routes.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryShare {
    /// The country crossed.
    pub country: CountryCode,
    /// Volume crossing it, base units per year.
    pub volume: f64,
    /// Of the origin's delivered volume.
    pub share: f64,
    /// Share of the origin's base deliveries still delivered without this country (`None` when the
    /// origin delivers nothing in the base case).
    pub bypass_ratio: Option<f64>,
}

/// A country path and its share of an origin's deliveries.
#[derive(Clone, Debug, PartialEq)]
pub struct CorridorShare {
    /// Countries after the origin's, in order (`AZ→GE→TR`); empty for a domestic route.
    pub path: Vec<CountryCode>,
    /// Base units per year.
    pub volume: f64,
    /// Of the origin's delivered volume, 0–1.
    pub share: f64,
}

/// Indices of one origin and commodity.
#[derive(Clone, Debug, PartialEq)]
pub struct OriginIndices {
    /// The supply node.
    pub origin: NodeId,
    /// Its commodity.
    pub commodity: CommodityId,
    /// Base units per year.
    pub delivered: f64,
    /// HHI over country paths (0–1).
    pub hhi_routes: f64,
    /// HHI over the countries crossed (0–1).
    pub hhi_countries: f64,
    /// Each country path and its share, largest first.
    pub corridors: Vec<CorridorShare>,
    /// Each country crossed beyond the origin's own.
    pub countries: Vec<CountryShare>,
}

/// A country's hold over the scenario's flows.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryLeverage {
    /// The country crossed.
    pub country: CountryCode,
    /// The commodity crossing it.
    pub commodity: CommodityId,
    /// Volume crossing it in the base allocation, base units per year.
    pub transit: f64,
    /// Volume lost without it (the rise of unmet volume when it is out), base units per year.
    pub leverage: f64,
    /// `leverage` over the commodity's base deliveries.
    pub share_of_delivered: f64,
    /// `(origin, volume lost in base units per year)`, largest first.
    pub origins_hit: Vec<(NodeId, f64)>,
}

/// The answer of [`indices`].
#[derive(Clone, Debug, PartialEq)]
pub struct IndicesResult {
    /// The scenario year analysed.
    pub year: i32,
    /// Solver of the country cases.
    pub method: Method,
    /// One entry per origin and commodity, in origin order.
    pub origins: Vec<OriginIndices>,
    /// Ranked by leverage, largest first.
    pub leverage: Vec<CountryLeverage>,
}

fn hhi(shares: impl Iterator<Item = f64>) -> f64 {
    shares.map(|s| s * s).sum()
}

/// Computes the dependence indices of `scenario`.
///
/// # Returns
/// Indices per origin (in origin order) and leverage per country crossed (largest first).
///
/// # Complexity
/// One allocation, plus one warm re-solve per country crossed.
pub fn indices(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &(dyn LpSolver + Sync),
    threads: Option<usize>,
    reporter: &dyn Reporter,
) -> Result<IndicesResult, AnalysisError> {
    let allocation = allocate(dataset, scenario, solver)?;
    indices_from(dataset, scenario, solver, &allocation, threads, reporter)
}

/// [`indices`] on an allocation already solved (`corridor run` has one).
pub fn indices_from(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &(dyn LpSolver + Sync),
    allocation: &Allocation,
    threads: Option<usize>,
    reporter: &dyn Reporter,
) -> Result<IndicesResult, AnalysisError> {
    let engine = CaseEngine::new(dataset, scenario, solver)?;
    let origin_countries: BTreeSet<CountryCode> = scenario
        .supplies
        .iter()
        .filter_map(|s| dataset.node(s.node).country)
        .collect();

    // Countries crossed by each origin's routes (beyond its own), with volumes.
    let mut crossed_all: BTreeSet<CountryCode> = BTreeSet::new();
    struct Partial {
        origin: NodeId,
        commodity: CommodityId,
        delivered: f64,
        corridors: BTreeMap<Vec<CountryCode>, f64>,
        countries: BTreeMap<CountryCode, f64>,
    }
    let mut partials = Vec::new();
    for o in &allocation.origins {
        let own = o
            .routes
            .first()
            .and_then(|r| r.countries.first().copied())
            .or_else(|| dataset.node(o.origin).country);
        let mut corridors: BTreeMap<Vec<CountryCode>, f64> = BTreeMap::new();
        let mut countries: BTreeMap<CountryCode, f64> = BTreeMap::new();
        for r in &o.routes {
            let beyond: Vec<CountryCode> = r
                .countries
                .iter()
                .copied()
                .filter(|&c| Some(c) != own)
                .collect();
            let unique: BTreeSet<CountryCode> = beyond.iter().copied().collect();
            *corridors.entry(beyond).or_default() += r.volume;
            for c in unique {
                *countries.entry(c).or_default() += r.volume;
                crossed_all.insert(c);
            }
        }
        partials.push(Partial {
            origin: o.origin,
            commodity: o.commodity,
            delivered: o.delivered,
            corridors,
            countries,
        });
    }
    let crossed: Vec<CountryCode> = crossed_all
        .into_iter()
        .filter(|c| !origin_countries.contains(c))
        .collect();

    // One case per country crossed: every link touching it is out.
    reporter.start("countries", crossed.len() as u64);
    let cases = with_threads(threads, || {
        crossed
            .par_iter()
            .map_init(
                || engine.clone(),
                |eng, &c| {
                    let links = element_links(dataset, Element::Country(c), eng.usable_links());
                    let shares: Vec<(LinkId, f64)> = links.iter().map(|&l| (l, 0.0)).collect();
                    let out = eng.evaluate(&shares, false);
                    reporter.advance(1);
                    out
                },
            )
            .collect::<Result<Vec<_>, _>>()
    })??;
    reporter.finish();
    let base = engine.base();
    let slot_of = |origin: NodeId, commodity: CommodityId| {
        engine
            .origins()
            .iter()
            .position(|o| o.node == origin && o.commodity == commodity)
    };

    let origins = partials
        .into_iter()
        .map(|p| {
            let delivered = p.delivered;
            let share = |v: f64| if delivered > 0.0 { v / delivered } else { 0.0 };
            let mut corridors: Vec<CorridorShare> = p
                .corridors
                .iter()
                .map(|(path, &v)| CorridorShare {
                    path: path.clone(),
                    volume: v,
                    share: share(v),
                })
                .collect();
            corridors.sort_by(|a, b| {
                b.volume
                    .total_cmp(&a.volume)
                    .then_with(|| a.path.cmp(&b.path))
            });
            let crossings: f64 = p.countries.values().sum();
            let hhi_countries = if crossings > 0.0 {
                hhi(p.countries.values().map(|v| v / crossings))
            } else {
                0.0
            };
            let slot = slot_of(p.origin, p.commodity);
            let mut countries: Vec<CountryShare> = p
                .countries
                .iter()
                .map(|(c, &v)| {
                    let bypass_ratio = match (slot, crossed.iter().position(|k| k == c)) {
                        (Some(s), Some(k)) => {
                            let o = &engine.origins()[s];
                            let base_delivered = o.supplied - base.unmet[s];
                            let without = o.supplied - cases[k].unmet[s];
                            (base_delivered > 1e-9)
                                .then(|| (without / base_delivered).clamp(0.0, 1.0))
                        }
                        _ => None,
                    };
                    CountryShare {
                        country: *c,
                        volume: v,
                        share: share(v),
                        bypass_ratio,
                    }
                })
                .collect();
            countries.sort_by(|a, b| {
                b.volume
                    .total_cmp(&a.volume)
                    .then_with(|| a.country.cmp(&b.country))
            });
            OriginIndices {
                hhi_routes: if delivered > 0.0 {
                    hhi(corridors.iter().map(|c| c.share))
                } else {
                    0.0
                },
                hhi_countries,
                corridors,
                countries,
                origin: p.origin,
                commodity: p.commodity,
                delivered,
            }
        })
        .collect::<Vec<_>>();

    let mut leverage = Vec::new();
    for (k, &country) in crossed.iter().enumerate() {
        for &c in engine.commodities() {
            let commodity = dataset.commodity(c);
            let factor = commodity.base_to_display();
            let mut lost = 0.0;
            let mut base_delivered = 0.0;
            let mut hit = Vec::new();
            for (s, o) in engine.origins().iter().enumerate() {
                if o.commodity != c {
                    continue;
                }
                base_delivered += o.supplied - base.unmet[s];
                let l = (cases[k].unmet[s] - base.unmet[s]).max(0.0);
                // Losses under half a unit of the last digit shown (5e-7 display units) are round-off.
                if l * factor > 5e-7 {
                    hit.push((o.node, l));
                }
                lost += l;
            }
            let transit: f64 = origins
                .iter()
                .filter(|o| o.commodity == c)
                .flat_map(|o| o.countries.iter())
                .filter(|s| s.country == country)
                .map(|s| s.volume)
                .sum();
            if transit <= 0.0 && lost * factor <= 5e-7 {
                continue;
            }
            let node_id = |n: NodeId| dataset.node(n).id.as_str();
            hit.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| node_id(a.0).cmp(node_id(b.0)))
            });
            leverage.push(CountryLeverage {
                country,
                commodity: c,
                transit,
                leverage: lost,
                share_of_delivered: if base_delivered > 0.0 {
                    lost / base_delivered
                } else {
                    0.0
                },
                origins_hit: hit,
            });
        }
    }
    let commodity_id = |c: CommodityId| dataset.commodity(c).id.as_str();
    leverage.sort_by(|a, b| {
        commodity_id(a.commodity)
            .cmp(commodity_id(b.commodity))
            .then(b.leverage.total_cmp(&a.leverage))
            .then(b.transit.total_cmp(&a.transit))
            .then_with(|| a.country.cmp(&b.country))
    });
    Ok(IndicesResult {
        year: scenario.year,
        method: engine.method(),
        origins,
        leverage,
    })
}
