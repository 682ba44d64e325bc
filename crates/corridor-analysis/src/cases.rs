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
use crate::lowering::{ArcRole, FlowLowering};
use crate::network::{remaining_share, UsableNetwork};
use crate::scaling::FLOW_SCALE;
use crate::AnalysisError;
use corridor_flow::{ArcIdx, McfOutcome, McfSolver};
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
    pub(crate) fn objective(&self) -> f64 {
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

impl<'a> CaseEngine<'a> {
    /// Prepares `scenario` and solves its base case.
    pub(crate) fn new(
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
        let origins: Vec<OriginSlot> = slots
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
        let network = UsableNetwork::of_scenario(dataset, scenario);
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
        let backend = match build_native(dataset, scenario, &network, &origins) {
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
    pub(crate) fn method(&self) -> Method {
        match self.backend {
            Backend::Native(_) => Method::NetworkSimplex,
            Backend::Lp(_) => Method::Lp,
        }
    }

    pub(crate) fn dataset(&self) -> &'a Dataset {
        self.dataset
    }

    pub(crate) fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub(crate) fn origins(&self) -> &[OriginSlot] {
        &self.origins
    }

    pub(crate) fn commodities(&self) -> &[CommodityId] {
        &self.commodities
    }

    /// Links that carry a scenario commodity over a usable arc, in id order.
    pub(crate) fn usable_links(&self) -> &[LinkId] {
        &self.usable_links
    }

    /// The base case (no outage beyond the scenario's own disruptions).
    pub(crate) fn base(&self) -> &CaseOutcome {
        // `new` always sets it before returning the engine.
        self.base
            .as_ref()
            .unwrap_or_else(|| unreachable!("base case solved in new"))
    }

    /// Solves the case where each listed link keeps `share` (0–1) of its capacity (a link listed twice
    /// keeps the product). `flows` asks for the flow per link.
    pub(crate) fn evaluate(
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

/// The warm network simplex over the scenario's min-cost-flow form ([`FlowLowering`], capacity groups
/// as gadget arcs), or `None` when the scenario is not a pure single-commodity network or its figures do
/// not fit exact integer arithmetic.
fn build_native(
    dataset: &Dataset,
    scenario: &Scenario,
    network: &UsableNetwork,
    origins: &[OriginSlot],
) -> Option<NativeArcs> {
    let lowering = FlowLowering::build(dataset, scenario, network, true)?;
    let solver = McfSolver::new(&lowering.net, &lowering.supply).ok()?;
    let mut link_arcs = vec![Vec::new(); dataset.links.len()];
    let role = lowering
        .roles
        .iter()
        .enumerate()
        .map(|(a, r)| match *r {
            ArcRole::Link { link, .. } => {
                link_arcs[link.idx()].push(a as u32);
                Some(Role::Link(link))
            }
            ArcRole::Gadget(_) => Some(Role::Gadget),
            ArcRole::Unmet(i) => {
                let s = &scenario.supplies[i];
                origins
                    .iter()
                    .position(|o| o.node == s.node && o.commodity == s.commodity)
                    .map(Role::Unmet)
            }
            ArcRole::Delivered(i) => Some(Role::Market(i)),
        })
        .collect::<Option<Vec<Role>>>()?;
    let base = solver.snapshot();
    Some(NativeArcs {
        solver,
        base,
        lower: lowering.minimum,
        upper: lowering.capacity,
        ceiling: lowering.ceiling,
        role,
        link_arcs,
        tariff: lowering.tariff,
    })
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
                    let arc = ArcIdx(a as u32);
                    let upper = native.solver.arc(arc).map_err(AnalysisError::flow)?.upper;
                    native
                        .solver
                        .set_bounds(arc, 0, upper)
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
    let unmet = origins
        .iter()
        .map(|o| a.origin(o.node, o.commodity).map_or(0.0, |r| r.unmet))
        .collect();
    let n_links = dataset.links.len();
    let mut flow = Vec::new();
    if flows {
        flow = vec![0.0; n_links * commodities.len()];
        for f in &a.flows {
            if let Some(slot) = commodities.iter().position(|&k| k == f.commodity) {
                flow[slot * n_links + f.link.idx()] += f.volume;
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
