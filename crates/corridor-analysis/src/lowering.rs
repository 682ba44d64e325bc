//! The one lowering of a single-commodity scenario to a min-cost-flow network, shared by the allocation's
//! network simplex (`allocate/native.rs`) and the case engine (`cases.rs`), so that `allocate` and a
//! contingency base case solve the same integer problem and agree to the last unit.
//!
//! The usable network ([`UsableNetwork`]) decides which arcs exist; this module decides how they become
//! integer arcs: capacities in the commodity's units scaled by [`FLOW_SCALE`], tariffs by [`COST_SCALE`]
//! ([`crate::scaling`]); contract minimums as lower bounds and ceilings as upper bounds (only over one-way
//! links, one arc each); shared capacity groups whose member arcs share a tail or a head as one gadget arc
//! in front of them; each supply's unmet part as an arc to a super sink at its penalty, each market's
//! deliveries as an arc to the sink at minus its netback.
//!
//! A scenario that is not a pure network — several commodities, transit-share caps, a calibration, soft
//! contract minimums, a contract over a two-way link or on a link that is not usable, a group without a
//! shared end, a figure that does not scale to integers, or a contract minimum above what its arc can
//! carry — is `None`: the LP answers it (and explains an infeasible contract).

use crate::network::{GadgetEnd, UsableNetwork};
use crate::scaling::{to_int as scaled, COST_SCALE, FLOW_SCALE};
use corridor_flow::{Network, NodeIdx, INF};
use corridor_model::*;
use std::collections::BTreeMap;

/// What an arc of the lowered network stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArcRole {
    /// The usable arc with this index (see [`UsableNetwork::arcs`]), on `link`.
    Link { usable: usize, link: LinkId },
    /// A shared capacity group in front of its member arcs.
    Gadget(GroupId),
    /// The unmet part of the supply with this index in `Scenario::supplies`.
    Unmet(usize),
    /// Deliveries to the market with this index in `Scenario::markets`.
    Delivered(usize),
}

/// A single-commodity scenario as an integer min-cost-flow problem.
#[derive(Clone, Debug)]
pub(crate) struct FlowLowering {
    pub commodity: CommodityId,
    /// Bounds: `[minimum, min(capacity, ceiling)]` per arc.
    pub net: Network,
    /// Per node: supplies positive, the super sink takes them all.
    pub supply: Vec<i64>,
    /// Per arc of `net`.
    pub roles: Vec<ArcRole>,
    /// Per arc: the capacity bound, which outages scale (for a gadget, the group's capacity).
    pub capacity: Vec<i64>,
    /// Per arc: a contract ceiling, which outages do not scale; [`INF`] when none.
    pub ceiling: Vec<i64>,
    /// Per arc: a contract minimum (0 when none).
    pub minimum: Vec<i64>,
    /// Per arc: the tariff in USD per base unit (0 off links).
    pub tariff: Vec<f64>,
}

impl FlowLowering {
    /// Lowers `scenario` on its usable `network`; `gadgets` allows shared capacity groups as gadget arcs
    /// (the allocation's dual translation has no row for them, so it refuses them).
    pub(crate) fn build(
        dataset: &Dataset,
        scenario: &Scenario,
        network: &UsableNetwork,
        gadgets: bool,
    ) -> Option<FlowLowering> {
        let [c] = scenario.commodities()[..] else {
            return None;
        };
        let side_constraints = !scenario.policy.max_transit_share.is_empty()
            || scenario.calibration.is_some()
            || scenario
                .contracts
                .iter()
                .any(|k| k.commodity != c || k.shortfall_penalty_usd.is_some());
        if side_constraints {
            return None;
        }
        // Usable arcs carrying the commodity, with their capacity for it in its base units.
        let mut arcs: Vec<(usize, f64, f64)> = Vec::new();
        for (i, a) in network.arcs.iter().enumerate() {
            if let Some(k) = dataset.link(a.link).carriage(c) {
                if k.capacity_use <= 0.0 {
                    return None;
                }
                arcs.push((i, a.capacity_base / k.capacity_use, k.tariff_usd));
            }
        }
        let mut groups: BTreeMap<GroupId, Vec<usize>> = BTreeMap::new();
        for &(i, _, _) in &arcs {
            let link = dataset.link(network.arcs[i].link);
            if let (Some(g), Some(_)) = (
                link.capacity_group,
                link.carriage(c).and_then(|k| k.group_use),
            ) {
                groups.entry(g).or_default().push(i);
            }
        }
        if !gadgets && !groups.is_empty() {
            return None;
        }

        let mut out = FlowLowering {
            commodity: c,
            net: Network::new(dataset.nodes.len()),
            supply: Vec::new(),
            roles: Vec::new(),
            capacity: Vec::new(),
            ceiling: Vec::new(),
            minimum: Vec::new(),
            tariff: Vec::new(),
        };
        let mut moved_tail: BTreeMap<usize, NodeIdx> = BTreeMap::new();
        let mut moved_head: BTreeMap<usize, NodeIdx> = BTreeMap::new();
        for (&g, members) in &groups {
            let first = &network.arcs[members[0]];
            let k = dataset
                .link(first.link)
                .carriage(c)
                .and_then(|k| k.group_use)
                .unwrap_or(1.0);
            let cap = scaled(network.group_capacity[g.idx()] / k, FLOW_SCALE)?;
            let gadget = out.net.add_node();
            let (from, to, moved) = match network.gadget_end(members)? {
                GadgetEnd::Tail(t) => (NodeIdx(t.0), gadget, &mut moved_tail),
                GadgetEnd::Head(h) => (gadget, NodeIdx(h.0), &mut moved_head),
            };
            out.push(from, to, ArcRole::Gadget(g), (0, cap, INF), 0.0, 0.0)?;
            for &i in members {
                moved.insert(i, gadget);
            }
        }

        // Contract minimums and ceilings per usable arc: only over one-way links (one arc each).
        let mut minimum_of: BTreeMap<usize, f64> = BTreeMap::new();
        let mut ceiling_of: BTreeMap<usize, f64> = BTreeMap::new();
        for contract in &scenario.contracts {
            for &link in &contract.links {
                let found: Vec<usize> = arcs
                    .iter()
                    .filter(|(i, _, _)| network.arcs[*i].link == link)
                    .map(|(i, _, _)| *i)
                    .collect();
                let [i] = found[..] else {
                    return None;
                };
                let m = minimum_of.entry(i).or_insert(0.0);
                *m = m.max(contract.min_volume);
                if let Some(max) = contract.max_volume {
                    let k = ceiling_of.entry(i).or_insert(f64::INFINITY);
                    *k = k.min(max);
                }
            }
        }
        for &(i, capacity, tariff) in &arcs {
            let arc = &network.arcs[i];
            let capacity = scaled(capacity, FLOW_SCALE)?;
            let minimum = match minimum_of.get(&i) {
                Some(&v) => scaled(v, FLOW_SCALE)?,
                None => 0,
            };
            let ceiling = match ceiling_of.get(&i) {
                Some(&v) => scaled(v, FLOW_SCALE)?,
                None => INF,
            };
            let tail = moved_tail.get(&i).copied().unwrap_or(NodeIdx(arc.tail.0));
            let head = moved_head.get(&i).copied().unwrap_or(NodeIdx(arc.head.0));
            let role = ArcRole::Link {
                usable: i,
                link: arc.link,
            };
            out.push(
                tail,
                head,
                role,
                (minimum, capacity, ceiling),
                tariff,
                tariff,
            )?;
        }

        let sink = out.net.add_node();
        out.supply = vec![0i64; out.net.n_nodes()];
        for (i, s) in scenario.supplies.iter().enumerate() {
            let volume = scaled(s.volume, FLOW_SCALE)?;
            out.supply[s.node.idx()] = out.supply[s.node.idx()].checked_add(volume)?;
            out.supply[sink.idx()] = out.supply[sink.idx()].checked_sub(volume)?;
            out.push_to_sink(
                s.node,
                sink,
                ArcRole::Unmet(i),
                volume,
                scenario.penalty_for(s),
            )?;
        }
        for (i, m) in scenario.markets.iter().enumerate() {
            let limit = match m.limit {
                Some(limit) => scaled(limit, FLOW_SCALE)?,
                None => INF,
            };
            let netback = -m.price_usd.unwrap_or(0.0);
            out.push_to_sink(m.node, sink, ArcRole::Delivered(i), limit, netback)?;
        }
        Some(out)
    }

    /// Adds an arc from `node` to the super sink for up to `limit`, costing `cost_usd` per base unit (a
    /// supply's unmet part at its penalty, or a market's deliveries at minus its netback).
    fn push_to_sink(
        &mut self,
        node: NodeId,
        sink: NodeIdx,
        role: ArcRole,
        limit: i64,
        cost_usd: f64,
    ) -> Option<()> {
        self.push(NodeIdx(node.0), sink, role, (0, limit, INF), cost_usd, 0.0)
    }

    /// Adds an arc with `(minimum, capacity, ceiling)`, costing `cost_usd` per base unit, of which
    /// `tariff` is paid to carriers; `None` when the minimum is above what the arc can carry (an
    /// infeasible contract, which the LP explains) or the cost does not scale.
    fn push(
        &mut self,
        tail: NodeIdx,
        head: NodeIdx,
        role: ArcRole,
        (minimum, capacity, ceiling): (i64, i64, i64),
        cost_usd: f64,
        tariff: f64,
    ) -> Option<()> {
        let upper = capacity.min(ceiling);
        if minimum > upper {
            return None;
        }
        let cost = scaled(cost_usd, COST_SCALE)?;
        self.net.add_arc(tail, head, minimum, upper, cost).ok()?;
        self.roles.push(role);
        self.capacity.push(capacity);
        self.ceiling.push(ceiling);
        self.minimum.push(minimum);
        self.tariff.push(tariff);
        Some(())
    }
}
