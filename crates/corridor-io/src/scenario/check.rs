//! Checks that need the whole scenario read: links used outside their life, markets no supply can reach.

use corridor_model::*;
use std::collections::{BTreeSet, VecDeque};

/// Checks that need the whole scenario: links used outside their life, markets no supply can reach.
pub(super) fn check_scenario(ds: &Dataset, scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    let year = scenario.year;
    for (i, contract) in scenario.contracts.iter().enumerate() {
        for &l in &contract.links {
            let link = ds.link(l);
            if !link.in_service(year) {
                diags.push(Diagnostic::error(
                    &contract.location,
                    format!("contracts[{}].links", i + 1),
                    format!(
                        "link `{}` is not in service in {year} (status {}, years {}–{})",
                        link.id,
                        link.status,
                        link.start_year.map_or("?".into(), |y| y.to_string()),
                        link.end_year.map_or("".into(), |y| y.to_string())
                    ),
                    "change the scenario year or the link's start/end years",
                ));
            }
        }
    }
    for (i, d) in scenario.disruptions.iter().enumerate() {
        if let Element::Link(l) = d.element {
            if !ds.link(l).in_service(year) {
                diags.push(Diagnostic::warning(
                    &d.location,
                    format!("disruptions[{}].link", i + 1),
                    format!(
                        "link `{}` is not in service in {year} anyway",
                        ds.link(l).id
                    ),
                    "the disruption has no effect",
                ));
            }
        }
    }
    for (i, market) in scenario.markets.iter().enumerate() {
        let field = |key: &str| format!("markets[{}].{key}", i + 1);
        let origins: Vec<NodeId> = scenario
            .supplies
            .iter()
            .filter(|s| s.commodity == market.commodity)
            .map(|s| s.node)
            .collect();
        if origins.is_empty() {
            diags.push(Diagnostic::warning(
                &market.location,
                field("commodity"),
                format!(
                    "no supply of `{}` in the scenario",
                    ds.commodity(market.commodity).id
                ),
                "add a supply or remove the market",
            ));
            continue;
        }
        if !reachable(ds, year, market.commodity, &origins).contains(&market.node) {
            diags.push(Diagnostic::error(
                &market.location,
                field("node"),
                format!("market `{}` is unreachable from every `{}` supply in {year}", ds.node(market.node).id, ds.commodity(market.commodity).id),
                "add or bring into service a link that carries the commodity there, or remove the market",
            ));
        }
    }
}

/// Nodes reachable from `origins` over links in service in `year` that carry `commodity`.
pub fn reachable(
    ds: &Dataset,
    year: i32,
    commodity: CommodityId,
    origins: &[NodeId],
) -> BTreeSet<NodeId> {
    let mut seen: BTreeSet<NodeId> = origins.iter().copied().collect();
    let mut queue: VecDeque<NodeId> = origins.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        for link in &ds.links {
            if !link.in_service(year) || !link.carries(commodity) {
                continue;
            }
            let next = if link.from == n {
                Some(link.to)
            } else if link.to == n && link.direction == Direction::Both {
                Some(link.from)
            } else {
                None
            };
            if let Some(next) = next {
                if seen.insert(next) {
                    queue.push_back(next);
                }
            }
        }
    }
    seen
}
