//! Which links can be used in a question, in which direction, with how much capacity.
//!
//! This is where the domain meets the solvers: a `UsableNetwork` lists directed arcs (a `both` link
//! gives two) after applying the year, the policy and the disruptions, and knows the countries each arc
//! touches in its direction of travel.

use corridor_model::*;
use std::collections::BTreeSet;

/// The countries a question may not touch, and the rule for bloc-only transit.
#[derive(Clone, Debug, Default)]
pub struct Territory {
    /// Countries no route may touch (the policy's countries and the members of its avoided blocs).
    pub avoid: BTreeSet<CountryCode>,
    /// When set, only these countries may be touched (bloc members plus origin and market countries).
    pub only: Option<BTreeSet<CountryCode>>,
}

impl Territory {
    /// Whether a route may touch `country`: not avoided, and in the bloc rule's countries when there is one.
    pub fn allows(&self, country: CountryCode) -> bool {
        !self.avoid.contains(&country)
            && self
                .only
                .as_ref()
                .is_none_or(|only| only.contains(&country))
    }

    /// Builds the territory rule of a policy; `endpoints` are the origin and market countries, which
    /// bloc-only transit keeps allowed.
    pub(crate) fn from_policy(
        dataset: &Dataset,
        policy: &Policy,
        year: i32,
        endpoints: &[CountryCode],
    ) -> Territory {
        let mut avoid: BTreeSet<CountryCode> = policy.avoid_countries.iter().copied().collect();
        for &bloc in &policy.avoid_blocs {
            avoid.extend(
                dataset
                    .bloc(bloc)
                    .members
                    .iter()
                    .filter(|m| m.since <= year)
                    .map(|m| m.country),
            );
        }
        let only = policy.only_via_bloc.map(|bloc| {
            let mut allowed: BTreeSet<CountryCode> = dataset
                .bloc(bloc)
                .members
                .iter()
                .filter(|m| m.since <= year)
                .map(|m| m.country)
                .collect();
            for &other in &policy.also_via_blocs {
                allowed.extend(
                    dataset
                        .bloc(other)
                        .members
                        .iter()
                        .filter(|m| m.since <= year)
                        .map(|m| m.country),
                );
            }
            allowed.extend(policy.also_via_countries.iter().copied());
            allowed.extend(endpoints.iter().copied());
            allowed
        });
        Territory { avoid, only }
    }
}

/// One direction of travel over a link.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UsableArc {
    pub(crate) link: LinkId,
    /// True when travelling `to → from` over a `both` link.
    pub(crate) reverse: bool,
    pub(crate) tail: NodeId,
    pub(crate) head: NodeId,
    /// Capacity per year in the link capacity's base unit, after derating.
    pub(crate) capacity_base: f64,
    /// Countries touched in the direction of travel (end nodes included, no repeats in a row).
    pub(crate) countries: Vec<CountryCode>,
}

impl UsableArc {
    /// Whether flow on this arc *enters* `country` (touches it, having started outside it). Summing
    /// entering flow counts each route once per country it transits.
    pub(crate) fn enters(&self, country: CountryCode) -> bool {
        self.countries.first() != Some(&country) && self.countries.contains(&country)
    }
}

/// The arcs that may carry flow in one question.
#[derive(Clone, Debug)]
pub(crate) struct UsableNetwork {
    pub(crate) arcs: Vec<UsableArc>,
    /// Capacity per year of each capacity group (base unit), after derating, by group index.
    pub(crate) group_capacity: Vec<f64>,
}

/// The share of capacity left on a link after the disruptions that hit it (the largest derate wins).
pub(crate) fn remaining_share(dataset: &Dataset, disruptions: &[Disruption], link: LinkId) -> f64 {
    let lost = disruptions
        .iter()
        .filter(|d| d.element.hits_link(dataset, link))
        .map(|d| d.derate_pct)
        .fold(0.0_f64, f64::max);
    (1.0 - lost / 100.0).max(0.0)
}

/// Where a capacity group's single gadget arc can stand: in front of its member arcs' shared tail, or
/// behind their shared head. Members with neither shared need the LP's group row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GadgetEnd {
    /// Every member leaves this node: the gadget arc runs from it to a new node the members leave.
    Tail(NodeId),
    /// Every member enters this node: the members enter a new node the gadget arc leaves.
    Head(NodeId),
}

impl UsableNetwork {
    /// Where the gadget of a group with these member arcs (indices into [`UsableNetwork::arcs`],
    /// at least one) can stand; a shared tail is preferred.
    pub(crate) fn gadget_end(&self, members: &[usize]) -> Option<GadgetEnd> {
        let first = &self.arcs[*members.first()?];
        if members.iter().all(|&i| self.arcs[i].tail == first.tail) {
            Some(GadgetEnd::Tail(first.tail))
        } else if members.iter().all(|&i| self.arcs[i].head == first.head) {
            Some(GadgetEnd::Head(first.head))
        } else {
            None
        }
    }

    /// The network a scenario's own question runs on: its year, its policy (the supplies' and markets'
    /// countries always allowed) and its own disruptions and background flows.
    pub(crate) fn of_scenario(dataset: &Dataset, scenario: &Scenario) -> UsableNetwork {
        let endpoints: Vec<CountryCode> = scenario
            .supplies
            .iter()
            .map(|s| s.node)
            .chain(scenario.markets.iter().map(|m| m.node))
            .filter_map(|n| dataset.node(n).country)
            .collect();
        let territory =
            Territory::from_policy(dataset, &scenario.policy, scenario.year, &endpoints);
        UsableNetwork::build(
            dataset,
            scenario.year,
            &territory,
            &scenario.disruptions,
            &scenario.background,
        )
    }

    /// Arcs of links in service in `year`, allowed by `territory`, with the capacity left after the
    /// `disruptions` in force that year and after the `background` flows of other shippers.
    pub(crate) fn build(
        dataset: &Dataset,
        year: i32,
        territory: &Territory,
        disruptions: &[Disruption],
        background: &[BackgroundFlow],
    ) -> UsableNetwork {
        let disruptions: Vec<Disruption> = disruptions
            .iter()
            .filter(|d| d.applies_in(year))
            .cloned()
            .collect();
        let occupied = |link_id: LinkId| -> f64 {
            let link = dataset.link(link_id);
            background
                .iter()
                .filter(|b| b.links.contains(&link_id))
                .filter_map(|b| {
                    link.carriage(b.commodity)
                        .map(|k| b.volume * k.capacity_use)
                })
                .sum()
        };
        let mut arcs = Vec::new();
        for link_id in dataset.link_ids() {
            let link = dataset.link(link_id);
            if !link.in_service(year) {
                continue;
            }
            let countries = dataset.link_countries(link_id);
            if !countries.iter().all(|&c| territory.allows(c)) {
                continue;
            }
            let share = remaining_share(dataset, &disruptions, link_id);
            if share <= 0.0 {
                continue;
            }
            // Other shippers' volume takes the forward direction first; what is left may be nothing.
            let capacity_base = (link.capacity_base * share - occupied(link_id)).max(0.0);
            arcs.push(UsableArc {
                link: link_id,
                reverse: false,
                tail: link.from,
                head: link.to,
                capacity_base,
                countries: countries.clone(),
            });
            if link.direction == Direction::Both {
                arcs.push(UsableArc {
                    link: link_id,
                    reverse: true,
                    tail: link.to,
                    head: link.from,
                    capacity_base: link.capacity_base * share,
                    countries: countries.into_iter().rev().collect(),
                });
            }
        }
        // A group loses capacity only when the group itself is disrupted through all its links, which
        // the link derates already express; the shared ceiling stays as sourced (with any expansion
        // that has started by `year`).
        let mut group_capacity: Vec<f64> = dataset
            .capacity_groups
            .iter()
            .map(|g| g.capacity_base_in(year))
            .collect();
        for b in background {
            for &l in &b.links {
                let link = dataset.link(l);
                if let (Some(g), Some(k)) = (
                    link.capacity_group,
                    link.carriage(b.commodity).and_then(|k| k.group_use),
                ) {
                    let left = &mut group_capacity[g.idx()];
                    *left = (*left - b.volume * k).max(0.0);
                }
            }
        }
        UsableNetwork {
            arcs,
            group_capacity,
        }
    }
}

/// The countries of a route given as arcs, in order, without repeating a country twice in a row.
pub(crate) fn route_countries<'a>(
    arcs: impl IntoIterator<Item = &'a UsableArc>,
) -> Vec<CountryCode> {
    let mut out: Vec<CountryCode> = Vec::new();
    for arc in arcs {
        for &c in &arc.countries {
            if out.last() != Some(&c) {
                out.push(c);
            }
        }
    }
    out
}
