//! Two allocations of the same dataset side by side: what a change of scenario moves (the flow on each
//! link, the volume through each country, cost, unmet volume, the binding constraints), ranked by size.

use crate::allocate::{contract_name, Allocation, Constraint, LinkFlow};
use corridor_model::*;
use std::collections::{BTreeMap, BTreeSet};

/// One link's flow of one commodity in A and in B (base units per year, both directions summed).
#[derive(Clone, Debug, PartialEq)]
pub struct LinkChange {
    /// The link.
    pub link: LinkId,
    /// The commodity carried.
    pub commodity: CommodityId,
    /// Flow in allocation A.
    pub a: f64,
    /// Flow in allocation B.
    pub b: f64,
}

/// The volume of one commodity entering a country in A and in B, base units per year.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryChange {
    /// The country entered.
    pub country: CountryCode,
    /// The commodity entering it.
    pub commodity: CommodityId,
    /// Volume entering in allocation A.
    pub a: f64,
    /// Volume entering in allocation B.
    pub b: f64,
    /// Share of the commodity's delivered volume in A, 0–1.
    pub share_a: f64,
    /// Share of the commodity's delivered volume in B, 0–1.
    pub share_b: f64,
}

/// A constraint binding in A or B, with its shadow price in each (0 where it does not bind). A contract of
/// B is the same constraint as A's contract of the same name; `Constraint::Contract(i)` is A's contract
/// `i` when `i` is below A's number of contracts, else B's contract `i − A's number` (one A lacks).
#[derive(Clone, Debug, PartialEq)]
pub struct BindingChange {
    /// The constraint.
    pub constraint: Constraint,
    /// Shadow price in A, as [`crate::Binding::shadow_price_usd`] (0 where it does not bind).
    pub a: f64,
    /// Shadow price in B, as [`crate::Binding::shadow_price_usd`] (0 where it does not bind).
    pub b: f64,
}

/// What changes from allocation A to allocation B.
#[derive(Clone, Debug)]
pub struct ScenarioComparison {
    /// Tariffs + premiums + penalties − revenue, USD per year.
    pub objective_usd: (f64, f64),
    /// (A, B) tariffs times flows, USD per year.
    pub transport_cost_usd: (f64, f64),
    /// (A, B) calibrated premiums times flows, USD per year.
    pub premium_usd: (f64, f64),
    /// (A, B) unmet supply times its penalty, USD per year.
    pub unmet_penalty_usd: (f64, f64),
    /// Links whose flow differs, largest change first.
    pub links: Vec<LinkChange>,
    /// Volume entering each country in A or B, by commodity and country (the display ranks them by size).
    pub countries: Vec<CountryChange>,
    /// Constraints binding in A or B, largest change of shadow price first.
    pub binding: Vec<BindingChange>,
}

fn by_link(flows: &[LinkFlow]) -> BTreeMap<(LinkId, CommodityId), f64> {
    let mut out = BTreeMap::new();
    for f in flows {
        *out.entry((f.link, f.commodity)).or_insert(0.0) += f.volume;
    }
    out
}

/// Compares two allocations of the same dataset. `tolerance` is the smallest change (base units) listed.
pub fn compare_allocations(
    (scenario_a, a): (&Scenario, &Allocation),
    (scenario_b, b): (&Scenario, &Allocation),
    tolerance: f64,
) -> ScenarioComparison {
    let (fa, fb) = (by_link(&a.flows), by_link(&b.flows));
    let keys: BTreeSet<(LinkId, CommodityId)> = fa.keys().chain(fb.keys()).copied().collect();
    let mut links: Vec<LinkChange> = keys
        .into_iter()
        .map(|(link, commodity)| LinkChange {
            link,
            commodity,
            a: fa.get(&(link, commodity)).copied().unwrap_or(0.0),
            b: fb.get(&(link, commodity)).copied().unwrap_or(0.0),
        })
        .filter(|c| (c.b - c.a).abs() > tolerance)
        .collect();
    links.sort_by(|x, y| {
        (y.b - y.a)
            .abs()
            .total_cmp(&(x.b - x.a).abs())
            .then_with(|| x.link.cmp(&y.link))
    });

    let mut countries: BTreeMap<(CommodityId, CountryCode), CountryChange> = BTreeMap::new();
    for (side, alloc) in [(0, a), (1, b)] {
        for c in &alloc.countries {
            let e = countries
                .entry((c.commodity, c.country))
                .or_insert_with(|| CountryChange {
                    country: c.country,
                    commodity: c.commodity,
                    a: 0.0,
                    b: 0.0,
                    share_a: 0.0,
                    share_b: 0.0,
                });
            if side == 0 {
                e.a = c.volume;
                e.share_a = c.share;
            } else {
                e.b = c.volume;
                e.share_b = c.share;
            }
        }
    }
    // By commodity and country: base units of different commodities do not compare, so ranking by size
    // is the display's (in each commodity's display unit).
    let countries: Vec<CountryChange> = countries.into_values().collect();

    // B's contracts in A's numbering: the same name is the same contract.
    let in_a = |constraint: Constraint| match constraint {
        Constraint::Contract(j) => {
            let name = contract_name(scenario_b, j);
            let i = (0..scenario_a.contracts.len())
                .find(|&i| contract_name(scenario_a, i) == name)
                .unwrap_or(scenario_a.contracts.len() + j);
            Constraint::Contract(i)
        }
        other => other,
    };
    let mut binding: BTreeMap<Constraint, BindingChange> = BTreeMap::new();
    for (side, alloc) in [(0, a), (1, b)] {
        for c in &alloc.binding {
            let constraint = if side == 0 {
                c.constraint
            } else {
                in_a(c.constraint)
            };
            let e = binding.entry(constraint).or_insert_with(|| BindingChange {
                constraint,
                a: 0.0,
                b: 0.0,
            });
            if side == 0 {
                e.a = c.shadow_price_usd;
            } else {
                e.b = c.shadow_price_usd;
            }
        }
    }
    let mut binding: Vec<BindingChange> = binding.into_values().collect();
    binding.sort_by(|x, y| {
        (y.b - y.a)
            .abs()
            .total_cmp(&(x.b - x.a).abs())
            .then_with(|| x.constraint.cmp(&y.constraint))
    });

    ScenarioComparison {
        objective_usd: (a.objective_usd, b.objective_usd),
        transport_cost_usd: (a.transport_cost_usd, b.transport_cost_usd),
        premium_usd: (a.premium_usd, b.premium_usd),
        unmet_penalty_usd: (a.unmet_penalty_usd, b.unmet_penalty_usd),
        links,
        countries,
        binding,
    }
}

/// The dataset two scenarios can be compared on: theirs when they share it, or the larger when one's
/// overlay extends the other's (links and nodes appended, figures changed), so that link ids mean the same
/// in both. `None` when they run on different datasets.
pub fn comparison_dataset<'d>(a: &'d Dataset, b: &'d Dataset) -> Option<&'d Dataset> {
    let (small, large) = if a.links.len() <= b.links.len() {
        (a, b)
    } else {
        (b, a)
    };
    let extends = small
        .links
        .iter()
        .zip(&large.links)
        .all(|(x, y)| x.id == y.id)
        && small
            .nodes
            .iter()
            .zip(&large.nodes)
            .all(|(x, y)| x.id == y.id);
    (a.meta.id == b.meta.id && extends).then_some(large)
}
