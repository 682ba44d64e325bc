//! Re-solving one scenario under many outages: the engine behind contingency, risk and indices.
//!
//! A *case* is the scenario with some links' capacities scaled down (a share of 0 takes a link out).
//! The engine solves the base scenario once and then each case from the base's optimal basis:
//!
//! * **native** — when the scenario is one commodity on a pure network (capacity groups whose member
//!   arcs share a tail or a head become a gadget arc, contract minimums become lower bounds), a warm
//!   network simplex ([`corridor_flow::McfSolver`]) re-solves each case from a snapshot of the base
//!   basis. Every case starts from that same snapshot, so a case's answer never depends on which cases
//!   were solved before it — the property that makes parallel and sharded runs bit-identical;
//! * **lp** — otherwise, the full allocation LP of [`crate::allocate_with`] on the scenario with the
//!   case's derates.
//!
//! A contract minimum cannot oblige flow over capacity that a case removed: its bound is clipped to
//! what is left, and when the minimums still cannot be met the case is solved without them (the
//! outcome says so).

use crate::allocate::{allocate_with, Allocation, Method};
use crate::network::{remaining_share, Territory, UsableNetwork};
use crate::scaling::{to_int as scale, COST_SCALE, FLOW_SCALE};
use crate::AnalysisError;
use corridor_flow::{ArcIdx, McfOutcome, McfSolver, Network, NodeIdx, INF};
use corridor_lp::LpSolver;
use corridor_model::*;
use std::collections::BTreeMap;

/// What happened to the scenario in one case. Volumes are base units per year.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CaseOutcome {
    /// Unmet volume per origin slot (see [`CaseEngine::origins`]).
    pub unmet: Vec<f64>,
    pub transport_cost_usd: f64,
    pub penalty_usd: f64,
    pub revenue_usd: f64,
    /// Flow per link and commodity slot (`slot * n_links + link`), both directions added; empty
    /// unless asked for.
    pub flow: Vec<f64>,
    /// The contract minimums could not be met and were dropped for this case.
    pub contracts_relaxed: bool,
}

impl CaseOutcome {
    /// Tariffs + penalties − revenue, USD per year.
    pub fn objective(&self) -> f64 {
        self.transport_cost_usd + self.penalty_usd - self.revenue_usd
    }
}

/// One origin (a supply node and commodity), with the scenario's supplies there added up.
#[derive(Clone, Debug)]
pub(crate) struct OriginSlot {
    pub node: NodeId,
    pub commodity: CommodityId,
    /// Base units per year.
    pub supplied: f64,
    /// USD per base unit left unserved (the volume-weighted penalty of its supplies).
    pub penalty_usd: f64,
}

#[derive(Clone, Debug)]
struct NativeArcs {
    solver: McfSolver,
    base: corridor_flow::Basis,
    /// Per network arc: base bounds, and what the arc stands for.
    lower: Vec<i64>,
    /// The capacity bound (before any contract ceiling), which outages scale.
    upper: Vec<i64>,
    /// A contract ceiling ("up to") on the arc, which outages do not scale; `INF` when none.
    ceiling: Vec<i64>,
    role: Vec<Role>,
    /// Network arcs of each dataset link (usable arcs only).
    link_arcs: Vec<Vec<u32>>,
    /// Tariff (USD per base unit) of each arc that carries flow on a link.
    tariff: Vec<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Link(LinkId),
    Gadget,
    /// Unmet part of the supply at this origin slot.
    Unmet(usize),
    /// Delivered to the market with this index.
    Market(usize),
}

#[derive(Clone, Debug)]
enum Backend<'a> {
    Native(Box<NativeArcs>),
    Lp(&'a (dyn LpSolver + Sync)),
}

/// A scenario ready to be re-solved under outages; `Clone` gives each worker thread its own.
#[derive(Clone)]
pub(crate) struct CaseEngine<'a> {
    dataset: &'a Dataset,
    scenario: Scenario,
    backend: Backend<'a>,
    origins: Vec<OriginSlot>,
    commodities: Vec<CommodityId>,
    /// Remaining share of each link after the scenario's own disruptions (1 for untouched links).
    base_share: Vec<f64>,
    /// Links with a usable arc that carries a scenario commodity, in id order.
    usable_links: Vec<LinkId>,
    base: Option<CaseOutcome>,
}

impl std::fmt::Debug for CaseEngine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseEngine")
            .field("scenario", &self.scenario.name)
            .field("method", &self.method())
            .finish_non_exhaustive()
    }
}

fn endpoints(dataset: &Dataset, scenario: &Scenario) -> Vec<CountryCode> {
    scenario
        .supplies
        .iter()
        .map(|s| s.node)
        .chain(scenario.markets.iter().map(|m| m.node))
        .filter_map(|n| dataset.node(n).country)
        .collect()
}

/// The usable network of a scenario: year, policy and its own disruptions applied.
pub(crate) fn base_network(dataset: &Dataset, scenario: &Scenario) -> UsableNetwork {
    let territory = Territory::from_policy(
        dataset,
        &scenario.policy,
        scenario.year,
        &endpoints(dataset, scenario),
    );
    UsableNetwork::build(
        dataset,
        scenario.year,
        &territory,
        &scenario.disruptions,
        &scenario.background,
    )
}

impl<'a> CaseEngine<'a> {
    /// Prepares `scenario` and solves its base case.
    pub fn new(
        dataset: &'a Dataset,
        scenario: &Scenario,
        solver: &'a (dyn LpSolver + Sync),
    ) -> Result<CaseEngine<'a>, AnalysisError> {
        let commodities = scenario.commodities();
        let mut slots: BTreeMap<(NodeId, CommodityId), (f64, f64)> = BTreeMap::new();
        for s in &scenario.supplies {
            let e = slots.entry((s.node, s.commodity)).or_default();
            e.0 += s.volume;
            e.1 += s.volume * scenario.penalty_for(s);
        }
        let origins = slots
            .into_iter()
            .map(|((node, commodity), (supplied, weighted))| OriginSlot {
                node,
                commodity,
                supplied,
                penalty_usd: if supplied > 0.0 {
                    weighted / supplied
                } else {
                    scenario.unmet_penalty_usd
                },
            })
            .collect();
        let network = base_network(dataset, scenario);
        let mut usable: Vec<LinkId> = network
            .arcs
            .iter()
            .filter(|a| commodities.iter().any(|&c| dataset.link(a.link).carries(c)))
            .map(|a| a.link)
            .collect();
        usable.sort();
        usable.dedup();
        let base_share = dataset
            .link_ids()
            .map(|l| remaining_share(dataset, &scenario.active_disruptions(), l))
            .collect();
        let backend = match build_native(dataset, scenario, &network, &commodities)? {
            Some(native) => Backend::Native(Box::new(native)),
            None => Backend::Lp(solver),
        };
        let mut engine = CaseEngine {
            dataset,
            scenario: scenario.clone(),
            backend,
            origins,
            commodities,
            base_share,
            usable_links: usable,
            base: None,
        };
        let base = engine.evaluate(&[], true)?;
        // Contracts give way only under outages: a base case that cannot meet them is the infeasible
        // scenario `allocate` reports, not an answer with the contracts quietly dropped.
        if base.contracts_relaxed {
            return Err(crate::allocate::explain_infeasible(
                dataset, scenario, solver,
            ));
        }
        if let Backend::Native(native) = &mut engine.backend {
            native.base = native.solver.snapshot();
        }
        engine.base = Some(base);
        Ok(engine)
    }

    /// `network-simplex` (warm re-solves) or `lp`.
    pub fn method(&self) -> &'static str {
        match self.backend {
            Backend::Native(_) => "network-simplex",
            Backend::Lp(_) => "lp",
        }
    }

    pub fn dataset(&self) -> &'a Dataset {
        self.dataset
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn origins(&self) -> &[OriginSlot] {
        &self.origins
    }

    pub fn commodities(&self) -> &[CommodityId] {
        &self.commodities
    }

    /// Links that carry a scenario commodity over a usable arc, in id order.
    pub fn usable_links(&self) -> &[LinkId] {
        &self.usable_links
    }

    /// The base case (no outage beyond the scenario's own disruptions).
    pub fn base(&self) -> &CaseOutcome {
        // `new` always sets it before returning the engine.
        self.base
            .as_ref()
            .unwrap_or_else(|| unreachable!("base case solved in new"))
    }

    /// Solves the case where each listed link keeps `share` (0–1) of its capacity (a link listed twice
    /// keeps the product). `flows` asks for the flow per link.
    pub fn evaluate(
        &mut self,
        shares: &[(LinkId, f64)],
        flows: bool,
    ) -> Result<CaseOutcome, AnalysisError> {
        let mut combined: BTreeMap<LinkId, f64> = BTreeMap::new();
        for &(l, s) in shares {
            *combined.entry(l).or_insert(1.0) *= s.clamp(0.0, 1.0);
        }
        match &mut self.backend {
            Backend::Native(native) => native_case(
                native,
                self.dataset,
                &self.scenario,
                &self.origins,
                &self.commodities,
                &combined,
                flows,
            ),
            Backend::Lp(solver) => lp_case(
                *solver,
                self.dataset,
                &self.scenario,
                &self.origins,
                &self.commodities,
                &self.base_share,
                &combined,
                flows,
            ),
        }
    }
}

/// The min-cost-flow form of the scenario, or `None` when it is not a pure single-commodity network.
fn build_native(
    dataset: &Dataset,
    scenario: &Scenario,
    network: &UsableNetwork,
    commodities: &[CommodityId],
) -> Result<Option<NativeArcs>, AnalysisError> {
    let [c] = commodities[..] else {
        return Ok(None);
    };
    // Transit-share caps, contract ceilings and a calibration's reference flows are side constraints.
    // Transit-share caps and a calibration's reference flows are side constraints.
    if !scenario.policy.max_transit_share.is_empty() || scenario.calibration.is_some() {
        return Ok(None);
    }
    // Usable arcs carrying the commodity, with their capacity for it.
    let arcs: Vec<(usize, f64, f64)> = network
        .arcs
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let k = dataset.link(a.link).carriage(c)?;
            (k.capacity_use > 0.0).then(|| (i, a.capacity_base / k.capacity_use, k.tariff_usd))
        })
        .collect();
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
    let n = dataset.nodes.len();
    let mut net = Network::new(n);
    let mut role = Vec::new();
    let mut moved_tail: BTreeMap<usize, NodeIdx> = BTreeMap::new();
    let mut moved_head: BTreeMap<usize, NodeIdx> = BTreeMap::new();
    for (&g, members) in &groups {
        let t = network.arcs[members[0]].tail;
        let h = network.arcs[members[0]].head;
        let k = dataset
            .link(network.arcs[members[0]].link)
            .carriage(c)
            .and_then(|k| k.group_use)
            .unwrap_or(1.0);
        let Some(cap) = scale(network.group_capacity[g.idx()] / k, FLOW_SCALE) else {
            return Ok(None);
        };
        let gadget = net.add_node();
        if members.iter().all(|&i| network.arcs[i].tail == t) {
            net.add_arc(NodeIdx(t.0), gadget, 0, cap, 0)
                .map_err(AnalysisError::flow)?;
            members.iter().for_each(|&i| {
                moved_tail.insert(i, gadget);
            });
        } else if members.iter().all(|&i| network.arcs[i].head == h) {
            net.add_arc(gadget, NodeIdx(h.0), 0, cap, 0)
                .map_err(AnalysisError::flow)?;
            members.iter().for_each(|&i| {
                moved_head.insert(i, gadget);
            });
        } else {
            return Ok(None);
        }
        role.push(Role::Gadget);
    }
    // Contract minimums as lower bounds: only over one-way links (one arc each).
    let mut lower_of: BTreeMap<usize, f64> = BTreeMap::new();
    let mut ceiling_of: BTreeMap<usize, f64> = BTreeMap::new();
    for contract in &scenario.contracts {
        // Another commodity's contract, or a soft minimum (a penalised shortfall): the LP's.
        if contract.commodity != c || contract.shortfall_penalty_usd.is_some() {
            return Ok(None);
        }
        for &link in &contract.links {
            let found: Vec<usize> = arcs
                .iter()
                .filter(|(i, _, _)| network.arcs[*i].link == link)
                .map(|(i, _, _)| *i)
                .collect();
            match found[..] {
                [i] => {
                    let e = lower_of.entry(i).or_insert(0.0);
                    *e = e.max(contract.min_volume);
                    if let Some(max) = contract.max_volume {
                        let c = ceiling_of.entry(i).or_insert(f64::INFINITY);
                        *c = c.min(max);
                    }
                }
                // A contract on a link the policy removed: the LP reports it as infeasible.
                _ => return Ok(None),
            }
        }
    }
    let mut link_arcs = vec![Vec::new(); dataset.links.len()];
    // (network arc, capacity bound, contract ceiling) of each link arc.
    let mut capacity_of_arc: Vec<(usize, i64, i64)> = Vec::new();
    let mut tariff = Vec::new();
    tariff.resize(net.n_arcs(), 0.0);
    for &(i, cap, t) in &arcs {
        let arc = &network.arcs[i];
        let (Some(upper), Some(cost)) = (scale(cap, FLOW_SCALE), scale(t, COST_SCALE)) else {
            return Ok(None);
        };
        let lower = match lower_of.get(&i) {
            Some(&v) => match scale(v, FLOW_SCALE) {
                Some(l) => l.min(upper),
                None => return Ok(None),
            },
            None => 0,
        };
        let ceiling = match ceiling_of.get(&i) {
            Some(&v) => match scale(v, FLOW_SCALE) {
                Some(c) => c,
                None => return Ok(None),
            },
            None => INF,
        };
        let tail = moved_tail.get(&i).copied().unwrap_or(NodeIdx(arc.tail.0));
        let head = moved_head.get(&i).copied().unwrap_or(NodeIdx(arc.head.0));
        let a = net
            .add_arc(tail, head, lower.min(ceiling), upper.min(ceiling), cost)
            .map_err(AnalysisError::flow)?;
        capacity_of_arc.push((a.0 as usize, upper, ceiling));
        link_arcs[arc.link.idx()].push(a.0);
        role.push(Role::Link(arc.link));
        tariff.push(t);
    }
    let sink = net.add_node();
    let mut supply = vec![0i64; net.n_nodes()];
    let mut slot_of: BTreeMap<(NodeId, CommodityId), usize> = BTreeMap::new();
    {
        let mut keys: Vec<(NodeId, CommodityId)> = scenario
            .supplies
            .iter()
            .map(|s| (s.node, s.commodity))
            .collect();
        keys.sort();
        keys.dedup();
        for (i, k) in keys.into_iter().enumerate() {
            slot_of.insert(k, i);
        }
    }
    for s in &scenario.supplies {
        let Some(volume) = scale(s.volume, FLOW_SCALE) else {
            return Ok(None);
        };
        let Some(penalty) = scale(scenario.penalty_for(s), COST_SCALE) else {
            return Ok(None);
        };
        supply[s.node.idx()] += volume;
        supply[sink.idx()] -= volume;
        net.add_arc(NodeIdx(s.node.0), sink, 0, volume, penalty)
            .map_err(AnalysisError::flow)?;
        role.push(Role::Unmet(slot_of[&(s.node, s.commodity)]));
        tariff.push(0.0);
    }
    for (i, m) in scenario.markets.iter().enumerate() {
        let upper = match m.limit {
            Some(limit) => match scale(limit, FLOW_SCALE) {
                Some(u) => u,
                None => return Ok(None),
            },
            None => INF,
        };
        let Some(cost) = scale(-m.price_usd.unwrap_or(0.0), COST_SCALE) else {
            return Ok(None);
        };
        net.add_arc(NodeIdx(m.node.0), sink, 0, upper, cost)
            .map_err(AnalysisError::flow)?;
        role.push(Role::Market(i));
        tariff.push(0.0);
    }
    let solver = match McfSolver::new(&net, &supply) {
        Ok(s) => s,
        // Figures too large for exact integer arithmetic: the LP takes over.
        Err(_) => return Ok(None),
    };
    let lower = net.arc_indices().map(|a| net.arc(a).lower).collect();
    let mut upper: Vec<i64> = net.arc_indices().map(|a| net.arc(a).upper).collect();
    let mut ceiling = vec![INF; upper.len()];
    for &(a, capacity, c) in &capacity_of_arc {
        upper[a] = capacity;
        ceiling[a] = c;
    }
    let base = solver.snapshot();
    Ok(Some(NativeArcs {
        solver,
        base,
        lower,
        upper,
        ceiling,
        role,
        link_arcs,
        tariff,
    }))
}

fn native_case(
    native: &mut NativeArcs,
    dataset: &Dataset,
    scenario: &Scenario,
    origins: &[OriginSlot],
    commodities: &[CommodityId],
    shares: &BTreeMap<LinkId, f64>,
    flows: bool,
) -> Result<CaseOutcome, AnalysisError> {
    native.solver.restore(&native.base);
    let mut contract_arcs = Vec::new();
    for (&link, &share) in shares {
        for &a in &native.link_arcs[link.idx()] {
            let base_upper = native.upper[a as usize];
            let upper = if share >= 1.0 {
                base_upper
            } else {
                (base_upper as f64 * share).floor() as i64
            }
            .min(native.ceiling[a as usize]);
            let lower = native.lower[a as usize].min(upper);
            native
                .solver
                .set_bounds(ArcIdx(a), lower, upper)
                .map_err(AnalysisError::flow)?;
        }
    }
    let mut relaxed = false;
    let solution = loop {
        match native.solver.solve().map_err(AnalysisError::flow)? {
            McfOutcome::Optimal(s) => {
                AnalysisError::check(native.solver.certify(&s), "warm network simplex", || {
                    let out: Vec<String> = shares
                        .iter()
                        .map(|(l, share)| {
                            format!("{} at {:.0} %", dataset.link(*l).id, share * 100.0)
                        })
                        .collect();
                    format!("the case with {}", out.join(", "))
                })?;
                break s;
            }
            McfOutcome::Infeasible if !relaxed => {
                // Unmet volume is always allowed, so only the contract minimums can make a case
                // infeasible: drop them for this case.
                relaxed = true;
                if contract_arcs.is_empty() {
                    contract_arcs = (0..native.lower.len())
                        .filter(|&a| native.lower[a] > 0)
                        .collect();
                }
                for &a in &contract_arcs {
                    let upper = native.solver.network().arc(ArcIdx(a as u32)).upper;
                    native
                        .solver
                        .set_bounds(ArcIdx(a as u32), 0, upper)
                        .map_err(AnalysisError::flow)?;
                }
            }
            McfOutcome::Infeasible => {
                return Err(AnalysisError::Infeasible {
                    what: format!("scenario `{}` under outages", scenario.name),
                    why: "no flow meets the supplies even without contract minimums".into(),
                })
            }
            McfOutcome::Unbounded => {
                return Err(AnalysisError::Unbounded {
                    what: format!("scenario `{}`", scenario.name),
                })
            }
        }
    };
    let n_links = dataset.links.len();
    let mut out = CaseOutcome {
        unmet: vec![0.0; origins.len()],
        transport_cost_usd: 0.0,
        penalty_usd: 0.0,
        revenue_usd: 0.0,
        flow: if flows {
            vec![0.0; n_links * commodities.len()]
        } else {
            Vec::new()
        },
        contracts_relaxed: relaxed,
    };
    for (a, &r) in native.role.iter().enumerate() {
        let f = solution.flow[a];
        if f == 0 {
            continue;
        }
        let v = f as f64 / FLOW_SCALE;
        match r {
            Role::Link(l) => {
                out.transport_cost_usd += v * native.tariff[a];
                if flows {
                    out.flow[l.idx()] += v;
                }
            }
            Role::Gadget => {}
            Role::Unmet(slot) => {
                out.unmet[slot] += v;
                out.penalty_usd += v * origins[slot].penalty_usd;
            }
            Role::Market(i) => {
                out.revenue_usd += v * scenario.markets[i].price_usd.unwrap_or(0.0);
            }
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn lp_case(
    solver: &(dyn LpSolver + Sync),
    dataset: &Dataset,
    scenario: &Scenario,
    origins: &[OriginSlot],
    commodities: &[CommodityId],
    base_share: &[f64],
    shares: &BTreeMap<LinkId, f64>,
    flows: bool,
) -> Result<CaseOutcome, AnalysisError> {
    let mut case = scenario.clone();
    if !shares.is_empty() {
        // The scenario's own disruptions and the case's, combined per link.
        let mut disruptions: Vec<Disruption> = Vec::new();
        for l in dataset.link_ids() {
            let share = base_share[l.idx()] * shares.get(&l).copied().unwrap_or(1.0);
            if share < 1.0 {
                disruptions.push(Disruption {
                    element: Element::Link(l),
                    derate_pct: (1.0 - share) * 100.0,
                    years: Vec::new(),
                    location: Location::default(),
                });
            }
        }
        case.disruptions = disruptions;
    }
    let mut relaxed = false;
    let allocation = match allocate_with(dataset, &case, solver, Method::Auto) {
        Ok(a) => a,
        Err(AnalysisError::Infeasible { .. }) if !case.contracts.is_empty() => {
            relaxed = true;
            case.contracts.clear();
            allocate_with(dataset, &case, solver, Method::Auto)?
        }
        Err(e) => return Err(e),
    };
    Ok(from_allocation(
        dataset,
        origins,
        commodities,
        &allocation,
        flows,
        relaxed,
    ))
}

fn from_allocation(
    dataset: &Dataset,
    origins: &[OriginSlot],
    commodities: &[CommodityId],
    a: &Allocation,
    flows: bool,
    relaxed: bool,
) -> CaseOutcome {
    let to_base = |c: CommodityId, v: f64| v / dataset.commodity(c).base_to_display();
    let unmet = origins
        .iter()
        .map(|o| {
            let id = &dataset.node(o.node).id;
            let cid = &dataset.commodity(o.commodity).id;
            a.origins
                .iter()
                .find(|r| &r.origin == id && &r.commodity == cid)
                .map_or(0.0, |r| to_base(o.commodity, r.unmet))
        })
        .collect();
    let n_links = dataset.links.len();
    let mut flow = Vec::new();
    if flows {
        flow = vec![0.0; n_links * commodities.len()];
        for u in &a.links {
            let Some(l) = dataset.link_id(&u.link) else {
                continue;
            };
            for (cid, v) in &u.flows {
                if let Some(slot) = dataset
                    .commodity_id(cid)
                    .and_then(|c| commodities.iter().position(|&k| k == c))
                {
                    flow[slot * n_links + l.idx()] += to_base(commodities[slot], *v);
                }
            }
        }
    }
    CaseOutcome {
        unmet,
        transport_cost_usd: a.transport_cost_usd,
        penalty_usd: a.unmet_penalty_usd,
        revenue_usd: a.revenue_usd,
        flow,
        contracts_relaxed: relaxed,
    }
}

/// The links (among `usable`) each element takes out, in `usable` order: a link itself, a node the links
/// that start or end there, a country the links that touch its territory.
///
/// # Complexity
/// O(elements + usable links × countries per link), by indexing the links once.
pub(crate) fn elements_links(
    dataset: &Dataset,
    elements: &[Element],
    usable: &[LinkId],
) -> Vec<Vec<LinkId>> {
    let mut by_node: BTreeMap<NodeId, Vec<LinkId>> = BTreeMap::new();
    let mut by_country: BTreeMap<CountryCode, Vec<LinkId>> = BTreeMap::new();
    for &l in usable {
        let link = dataset.link(l);
        by_node.entry(link.from).or_default().push(l);
        if link.to != link.from {
            by_node.entry(link.to).or_default().push(l);
        }
        let mut countries = dataset.link_countries(l);
        countries.sort();
        countries.dedup();
        for c in countries {
            by_country.entry(c).or_default().push(l);
        }
    }
    elements
        .iter()
        .map(|e| {
            let mut links = match *e {
                Element::Link(l) => usable
                    .binary_search(&l)
                    .map(|_| vec![l])
                    .unwrap_or_default(),
                Element::Node(n) => by_node.get(&n).cloned().unwrap_or_default(),
                Element::Country(c) => by_country.get(&c).cloned().unwrap_or_default(),
                Element::Chokepoint(k) => dataset
                    .chokepoint(k)
                    .links
                    .iter()
                    .copied()
                    .filter(|l| usable.binary_search(l).is_ok())
                    .collect(),
            };
            links.sort();
            links
        })
        .collect()
}

/// The links (among `usable`) an element takes out.
pub(crate) fn element_links(dataset: &Dataset, element: Element, usable: &[LinkId]) -> Vec<LinkId> {
    elements_links(dataset, &[element], usable)
        .pop()
        .unwrap_or_default()
}
