//! The most volume per year that can move from some origins to some markets, the minimum cut that
//! limits it, and the routes that carry it.
//!
//! Single-commodity, so it is a max-flow problem: each usable arc gets the capacity left for the
//! commodity (link capacity ÷ capacity used per unit). A capacity group whose arcs all leave one node
//! (or all enter one node) — a port's berths, a terminal's loading — is exact as an extra arc through a
//! gadget node; any other group is shared between unrelated arcs, which max-flow cannot express, and the
//! query is then solved as a linear program instead (the bottleneck is then the set of binding
//! constraints).

use crate::allocate::{sort_routes, Route};
use crate::network::{GadgetEnd, Territory, UsableArc, UsableNetwork};
use crate::AnalysisError;
use corridor_flow::{decompose_paths, max_flow, Network, NodeIdx};
use corridor_lp::{LpSolver, Outcome, Problem, VarId};
use corridor_model::*;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) use crate::scaling::FLOW_SCALE;

/// Whether a link carrying `commodity` leaves `node`: a gas field is no origin of crude.
pub(crate) fn is_origin_of(dataset: &Dataset, commodity: CommodityId, node: NodeId) -> bool {
    dataset.links.iter().any(|l| {
        l.carries(commodity) && (l.from == node || l.direction == Direction::Both && l.to == node)
    })
}

/// Whether a link carrying `commodity` reaches `node`: a gas market is no market of crude, so its
/// country neither ends a crude route nor opens territory to it.
pub(crate) fn is_market_of(dataset: &Dataset, commodity: CommodityId, node: NodeId) -> bool {
    dataset.links.iter().any(|l| {
        l.carries(commodity) && (l.to == node || l.direction == Direction::Both && l.from == node)
    })
}

/// What to measure.
#[derive(Clone, Debug)]
pub struct CapacityQuery {
    /// The single commodity measured.
    pub commodity: CommodityId,
    /// The supply nodes flow may start from.
    pub origins: Vec<NodeId>,
    /// The market nodes flow may end at.
    pub markets: Vec<NodeId>,
    /// The year whose capacities and statuses apply.
    pub year: i32,
    /// The countries and links a route may use (avoided countries, bloc).
    pub territory: Territory,
    /// Outages applied on top of the year's network.
    pub disruptions: Vec<Disruption>,
    /// Other shippers' volumes that occupy capacity (empty for the nameplate capacity).
    pub background: Vec<BackgroundFlow>,
}

/// What a cut element is: a link's capacity or a shared capacity group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CutItem {
    /// A link's capacity.
    Link(LinkId),
    /// A shared capacity group's capacity.
    Group(GroupId),
}

impl CutItem {
    /// The element's id in the dataset.
    pub fn id(self, dataset: &Dataset) -> &str {
        match self {
            CutItem::Link(l) => &dataset.link(l).id,
            CutItem::Group(g) => &dataset.group(g).id,
        }
    }
}

/// One element of the minimum cut.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CutElement {
    /// The link or group cut.
    pub item: CutItem,
    /// Capacity for this commodity, base units per year.
    pub capacity: f64,
}

/// How a capacity was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapacityMethod {
    /// Nothing to solve: no origin or market of the commodity.
    None,
    /// Push-relabel max-flow with its minimum cut.
    MaxFlow,
    /// The LP, when a shared capacity group cannot be a gadget arc.
    Lp,
}

impl CapacityMethod {
    /// The name results show.
    pub fn label(self) -> &'static str {
        match self {
            CapacityMethod::None => "none (no origin or market of the commodity)",
            CapacityMethod::MaxFlow => "max-flow",
            CapacityMethod::Lp => "lp",
        }
    }
}

/// The answer to a [`CapacityQuery`]: typed ids, base units.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityResult {
    /// The commodity measured.
    pub commodity: CommodityId,
    /// The year measured.
    pub year: i32,
    /// Base units per year.
    pub capacity: f64,
    /// The supply nodes the query resolved to.
    pub origins: Vec<NodeId>,
    /// The market nodes the query resolved to.
    pub markets: Vec<NodeId>,
    /// The countries the query avoids.
    pub avoided: Vec<CountryCode>,
    /// The minimum cut, by id.
    pub cut: Vec<CutElement>,
    /// Largest volume first.
    pub routes: Vec<Route>,
    /// Max-flow, the LP, or nothing to solve.
    pub method: CapacityMethod,
    /// When the capacity is zero: why, in one line each.
    pub reasons: Vec<String>,
}

/// Turns origin or market specs into nodes: a node id; a country code (its `field` nodes for origins,
/// its `market` nodes for markets, or every node of the country when it has none of that kind); or
/// `any` for markets (every market node).
pub fn resolve_endpoints(
    dataset: &Dataset,
    specs: &[String],
    role: NodeKind,
) -> Result<Vec<NodeId>, AnalysisError> {
    resolve_endpoints_for(dataset, specs, role, None)
}

/// As [`resolve_endpoints`], but a country means its nodes of that role *for this commodity* when it
/// has any: Uzbekistan's freight starts at Tashkent (a hub), not at its gas field.
pub(crate) fn resolve_endpoints_for(
    dataset: &Dataset,
    specs: &[String],
    role: NodeKind,
    commodity: Option<CommodityId>,
) -> Result<Vec<NodeId>, AnalysisError> {
    let serves = |n: NodeId| match commodity {
        None => true,
        Some(c) if role == NodeKind::Market => is_market_of(dataset, c, n),
        Some(c) => is_origin_of(dataset, c, n),
    };
    let mut out = BTreeSet::new();
    for spec in specs
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if spec.eq_ignore_ascii_case("any") || spec.eq_ignore_ascii_case("all") {
            out.extend(dataset.node_ids().filter(|&n| dataset.node(n).kind == role));
            continue;
        }
        if let Some(n) = dataset.node_id(spec) {
            out.insert(n);
            continue;
        }
        if let Some(code) = CountryCode::parse(spec).filter(|c| dataset.country(*c).is_some()) {
            // Falling back to "every node of the country" never mixes roles: origins skip market nodes.
            let in_country: Vec<NodeId> = dataset
                .node_ids()
                .filter(|&n| dataset.node(n).country == Some(code))
                .filter(|&n| role == NodeKind::Market || dataset.node(n).kind != NodeKind::Market)
                .collect();
            let of_kind: Vec<NodeId> = in_country
                .iter()
                .copied()
                .filter(|&n| dataset.node(n).kind == role)
                .collect();
            let of_kind_serving: Vec<NodeId> =
                of_kind.iter().copied().filter(|&n| serves(n)).collect();
            let serving: Vec<NodeId> = in_country.iter().copied().filter(|&n| serves(n)).collect();
            out.extend(if !of_kind_serving.is_empty() {
                of_kind_serving
            } else if commodity.is_some() && !serving.is_empty() {
                serving
            } else if of_kind.is_empty() {
                in_country
            } else {
                of_kind
            });
            continue;
        }
        let candidates = dataset
            .nodes
            .iter()
            .map(|n| n.id.as_str())
            .chain(dataset.countries.iter().map(|c| c.code.as_str()));
        return Err(AnalysisError::UnknownId {
            kind: "node or country",
            id: spec.to_string(),
            suggestion: corridor_model::units::closest(spec, candidates).map(str::to_string),
        });
    }
    if out.is_empty() {
        return Err(AnalysisError::Empty {
            what: format!("no {role} node matches {}", specs.join(",")),
        });
    }
    Ok(out.into_iter().collect())
}

/// Capacity of an arc for one commodity, in the commodity's base units per year.
fn arc_capacity(dataset: &Dataset, arc: &UsableArc, commodity: CommodityId) -> Option<f64> {
    let carriage = dataset.link(arc.link).carriage(commodity)?;
    (carriage.capacity_use > 0.0).then(|| arc.capacity_base / carriage.capacity_use)
}

fn to_flow_units(value: f64) -> i64 {
    let scaled = (value * FLOW_SCALE).round();
    if scaled >= i64::MAX as f64 / 8.0 {
        i64::MAX / 8
    } else {
        scaled.max(0.0) as i64
    }
}

/// Measures the capacity of `query`; `solver` is used only when a shared group forces the LP.
pub fn capacity(
    dataset: &Dataset,
    query: &CapacityQuery,
    solver: &dyn LpSolver,
) -> Result<CapacityResult, AnalysisError> {
    let c = query.commodity;
    let commodity = dataset.commodity(c);
    // A node cannot be both where flow starts and where it ends: markets that are also origins drop out.
    let mut query = query.clone();
    query.markets.retain(|m| !query.origins.contains(m));
    if query.markets.is_empty() {
        return Err(AnalysisError::Empty {
            what: "every market is also an origin; name markets apart from the origins".into(),
        });
    }
    // Origins and markets of this commodity only: a gas field is no origin of crude, a crude market no
    // market for gas.
    let names = |nodes: &[NodeId]| {
        nodes
            .iter()
            .map(|&n| dataset.node(n).id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let asked_origins = query.origins.clone();
    query.origins.retain(|&n| is_origin_of(dataset, c, n));
    query.markets.retain(|&n| is_market_of(dataset, c, n));
    let unusable = if query.origins.is_empty() {
        Some(format!(
            "no supply of `{}` at the origins ({}): no link that carries it leaves them",
            commodity.id,
            names(&asked_origins)
        ))
    } else if query.markets.is_empty() {
        Some(format!(
            "no market of `{}` among the markets asked for: no link that carries it reaches them",
            commodity.id
        ))
    } else {
        None
    };
    if let Some(reason) = unusable {
        let mut result = empty_result(&query, &asked_origins);
        result.method = CapacityMethod::None;
        result.reasons = vec![reason];
        return Ok(result);
    }
    let query = &query;
    let network = UsableNetwork::build(
        dataset,
        query.year,
        &query.territory,
        &query.disruptions,
        &query.background,
    );
    let arcs: Vec<(usize, f64)> = network
        .arcs
        .iter()
        .enumerate()
        .filter_map(|(i, a)| arc_capacity(dataset, a, c).map(|cap| (i, cap)))
        .collect();

    // Which groups constrain this commodity, and can each be expressed as a gadget?
    let mut groups: BTreeMap<GroupId, Vec<usize>> = BTreeMap::new();
    for &(i, _) in &arcs {
        let link = dataset.link(network.arcs[i].link);
        if let (Some(g), Some(_)) = (
            link.capacity_group,
            link.carriage(c).and_then(|k| k.group_use),
        ) {
            groups.entry(g).or_default().push(i);
        }
    }
    let all_gadgets = groups.values().all(|m| network.gadget_end(m).is_some());

    let mut result = empty_result(query, &query.origins);

    // Per usable arc index: the flow found, in base units.
    let arc_flow: Vec<f64>;
    if all_gadgets {
        result.method = CapacityMethod::MaxFlow;
        let mut net = Network::new(dataset.nodes.len());
        // Where a gadget applies, the member arcs leave (or enter) the gadget node instead.
        let mut moved_tail: BTreeMap<usize, u32> = BTreeMap::new();
        let mut moved_head: BTreeMap<usize, u32> = BTreeMap::new();
        let mut gadget_arcs: Vec<(corridor_flow::ArcIdx, GroupId)> = Vec::new();
        for (&g, members) in &groups {
            let k = dataset
                .link(network.arcs[members[0]].link)
                .carriage(c)
                .and_then(|k| k.group_use)
                .unwrap_or(1.0);
            let cap = to_flow_units(network.group_capacity[g.idx()] / k);
            let gadget = net.add_node();
            let (from, to, moved) = match network.gadget_end(members) {
                Some(GadgetEnd::Tail(t)) => (NodeIdx(t.0), gadget, &mut moved_tail),
                Some(GadgetEnd::Head(h)) => (gadget, NodeIdx(h.0), &mut moved_head),
                // `all_gadgets` holds: every group has one.
                None => continue,
            };
            let a = net
                .add_arc(from, to, 0, cap, 0)
                .map_err(AnalysisError::flow)?;
            gadget_arcs.push((a, g));
            for &i in members {
                moved.insert(i, gadget.0);
            }
        }
        let mut link_arcs: Vec<(corridor_flow::ArcIdx, usize)> = Vec::new();
        for &(i, cap) in &arcs {
            let arc = &network.arcs[i];
            let tail = moved_tail.get(&i).copied().unwrap_or(arc.tail.0);
            let head = moved_head.get(&i).copied().unwrap_or(arc.head.0);
            let a = net
                .add_arc(NodeIdx(tail), NodeIdx(head), 0, to_flow_units(cap), 0)
                .map_err(AnalysisError::flow)?;
            link_arcs.push((a, i));
        }
        let sources: Vec<NodeIdx> = query.origins.iter().map(|n| NodeIdx(n.0)).collect();
        let sinks: Vec<NodeIdx> = query.markets.iter().map(|n| NodeIdx(n.0)).collect();
        let mf = max_flow(&net, &sources, &sinks).map_err(AnalysisError::flow)?;
        AnalysisError::check(
            corridor_flow::certify_max_flow(&net, &sources, &sinks, &mf),
            "push-relabel max-flow",
            || "the capacity query".to_string(),
        )?;
        result.capacity = mf.value as f64 / FLOW_SCALE;
        let mut flows = vec![0.0; network.arcs.len()];
        for &(a, i) in &link_arcs {
            flows[i] = mf.flow[a.0 as usize] as f64 / FLOW_SCALE;
        }
        arc_flow = flows;
        for cut in &mf.cut_arcs {
            if let Some(&(_, i)) = link_arcs.iter().find(|(a, _)| a == cut) {
                let link = network.arcs[i].link;
                let cap = arcs
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map_or(0.0, |(_, cap)| *cap);
                result.cut.push(CutElement {
                    item: CutItem::Link(link),
                    capacity: cap,
                });
            } else if let Some(&(_, g)) = gadget_arcs.iter().find(|(a, _)| a == cut) {
                let cap = net.arc(*cut).upper as f64 / FLOW_SCALE;
                result.cut.push(CutElement {
                    item: CutItem::Group(g),
                    capacity: cap,
                });
            }
        }
    } else {
        result.method = CapacityMethod::Lp;
        let (flows, binding) = capacity_lp(dataset, &network, &arcs, &groups, c, query, solver)?;
        result.capacity = query
            .markets
            .iter()
            .map(|&m| {
                arcs.iter()
                    .filter(|(i, _)| network.arcs[*i].head == m)
                    .map(|(i, _)| flows[*i])
                    .sum::<f64>()
                    - arcs
                        .iter()
                        .filter(|(i, _)| network.arcs[*i].tail == m)
                        .map(|(i, _)| flows[*i])
                        .sum::<f64>()
            })
            .sum::<f64>();
        arc_flow = flows;
        result.cut = binding;
    }
    result
        .cut
        .sort_by(|a, b| a.item.id(dataset).cmp(b.item.id(dataset)));
    result.cut.dedup_by(|a, b| a.item == b.item);

    // Routes: the flow decomposed into origin → market paths.
    let mut net = Network::new(dataset.nodes.len());
    for arc in &network.arcs {
        let added = net.add_arc(NodeIdx(arc.tail.0), NodeIdx(arc.head.0), 0, 1, 0);
        debug_assert!(added.is_ok());
    }
    let sources: Vec<NodeIdx> = query.origins.iter().map(|n| NodeIdx(n.0)).collect();
    let sinks: Vec<NodeIdx> = query.markets.iter().map(|n| NodeIdx(n.0)).collect();
    let decomposition = decompose_paths(&net, &arc_flow, &sources, &sinks, 0.5 / FLOW_SCALE);
    for path in decomposition.paths {
        let path_arcs: Vec<&UsableArc> = path
            .arcs
            .iter()
            .map(|a| &network.arcs[a.0 as usize])
            .collect();
        result
            .routes
            .extend(Route::along(dataset, c, &path_arcs, path.amount));
    }
    sort_routes(dataset, &mut result.routes);
    if result.capacity <= 0.0 {
        result.reasons = zero_reasons(dataset, query, &network);
    }
    Ok(result)
}

/// A result with nothing found yet: the question's commodity, year, endpoints and avoided countries.
fn empty_result(query: &CapacityQuery, origins: &[NodeId]) -> CapacityResult {
    CapacityResult {
        commodity: query.commodity,
        year: query.year,
        capacity: 0.0,
        origins: origins.to_vec(),
        markets: query.markets.clone(),
        avoided: query.territory.avoid.iter().copied().collect(),
        cut: Vec::new(),
        routes: Vec::new(),
        method: CapacityMethod::None,
        reasons: Vec::new(),
    }
}

/// Why nothing can move: no link in service leaves the origins, or every way on crosses an avoided country
/// (naming the first such links), or no route reaches a market that year.
fn zero_reasons(dataset: &Dataset, query: &CapacityQuery, network: &UsableNetwork) -> Vec<String> {
    let c = query.commodity;
    let commodity = &dataset.commodity(c).id;
    let carries = |a: &UsableArc| arc_capacity(dataset, a, c).is_some_and(|cap| cap > 0.0);
    // Nodes reachable from the origins over usable arcs of the commodity.
    let mut reached: BTreeSet<NodeId> = query.origins.iter().copied().collect();
    loop {
        let before = reached.len();
        for a in network.arcs.iter().filter(|a| carries(a)) {
            if reached.contains(&a.tail) {
                reached.insert(a.head);
            }
        }
        if reached.len() == before {
            break;
        }
    }
    // Links in service that would lead on from there but touch an avoided (or non-bloc) country.
    let blocked: Vec<String> = dataset
        .link_ids()
        .filter(|&l| {
            let link = dataset.link(l);
            link.carries(c) && link.in_service(query.year) && reached.contains(&link.from)
        })
        .filter_map(|l| {
            let outside: Vec<String> = dataset
                .link_countries(l)
                .into_iter()
                .filter(|&k| !query.territory.allows(k))
                .map(|k| k.to_string())
                .collect();
            (!outside.is_empty())
                .then(|| format!("{} ({})", dataset.link(l).id, outside.join(", ")))
        })
        .collect();
    let leaves = network
        .arcs
        .iter()
        .any(|a| carries(a) && query.origins.contains(&a.tail));
    let mut out = Vec::new();
    if !blocked.is_empty() {
        out.push(format!(
            "every route crosses an avoided country; the first such links: {}",
            blocked.into_iter().take(6).collect::<Vec<_>>().join(", ")
        ));
    } else if !leaves {
        out.push(format!(
            "no link that carries `{commodity}` leaves the origins in service in {}",
            query.year
        ));
    } else {
        out.push(format!(
            "no route of links in service in {} reaches a `{commodity}` market",
            query.year
        ));
    }
    out
}

/// The LP form of the capacity question, for shared groups that max-flow cannot express. Returns the
/// flow per usable arc and the binding capacity constraints (capacities in base units).
fn capacity_lp(
    dataset: &Dataset,
    network: &UsableNetwork,
    arcs: &[(usize, f64)],
    groups: &BTreeMap<GroupId, Vec<usize>>,
    c: CommodityId,
    query: &CapacityQuery,
    solver: &dyn LpSolver,
) -> Result<(Vec<f64>, Vec<CutElement>), AnalysisError> {
    let mut problem = Problem::new();
    let origins: BTreeSet<NodeId> = query.origins.iter().copied().collect();
    let markets: BTreeSet<NodeId> = query.markets.iter().copied().collect();
    let mut vars: BTreeMap<usize, VarId> = BTreeMap::new();
    let mut capacity_rows = Vec::new();
    for &(i, cap) in arcs {
        let arc = &network.arcs[i];
        // Flow into an origin or out of a market is never useful for the maximum; leaving those arcs out
        // keeps the LP's delivered volume equal to what the markets receive.
        let var = problem.add_var(0.0, f64::INFINITY, 0.0);
        if origins.contains(&arc.head) || markets.contains(&arc.tail) {
            problem.set_var_bounds(var, 0.0, 0.0);
        }
        // Maximise what reaches the markets: cost −1 on every arc into a market.
        if markets.contains(&arc.head) {
            problem.set_cost(var, -1.0);
        }
        vars.insert(i, var);
        capacity_rows.push((
            i,
            cap,
            problem.add_row(f64::NEG_INFINITY, cap, &[(var, 1.0)]),
        ));
    }
    let mut balance: BTreeMap<NodeId, Vec<(VarId, f64)>> = BTreeMap::new();
    for (&i, &var) in &vars {
        balance
            .entry(network.arcs[i].head)
            .or_default()
            .push((var, 1.0));
        balance
            .entry(network.arcs[i].tail)
            .or_default()
            .push((var, -1.0));
    }
    for (node, coeffs) in &balance {
        if !origins.contains(node) && !markets.contains(node) {
            problem.add_row(0.0, 0.0, coeffs);
        }
    }
    let mut group_rows = Vec::new();
    for (&g, members) in groups {
        let coeffs: Vec<(VarId, f64)> = members
            .iter()
            .filter_map(|i| {
                let k = dataset
                    .link(network.arcs[*i].link)
                    .carriage(c)
                    .and_then(|k| k.group_use)?;
                vars.get(i).map(|&v| (v, k))
            })
            .collect();
        let cap = network.group_capacity[g.idx()];
        group_rows.push((g, cap, problem.add_row(f64::NEG_INFINITY, cap, &coeffs)));
    }
    let solution = match solver.solve(&problem)? {
        Outcome::Optimal(s) => {
            AnalysisError::check(corridor_lp::certify(&problem, &s), solver.name(), || {
                "the capacity query (max-flow LP)".to_string()
            })?;
            s
        }
        Outcome::Infeasible => {
            return Err(AnalysisError::Infeasible {
                what: "capacity query".into(),
                why: "the max-flow LP has no feasible point".into(),
            })
        }
        Outcome::Unbounded => {
            return Err(AnalysisError::Unbounded {
                what: "capacity query (an uncapacitated path)".into(),
            })
        }
        Outcome::IterationLimit { iterations } => {
            return Err(AnalysisError::SolverLimit { iterations })
        }
    };
    let mut flows = vec![0.0; network.arcs.len()];
    for (&i, &v) in &vars {
        flows[i] = solution.x[v.0];
    }
    let mut binding = Vec::new();
    for (i, cap, row) in capacity_rows {
        if solution.row_duals[row.0].abs() > 1e-9 {
            binding.push(CutElement {
                item: CutItem::Link(network.arcs[i].link),
                capacity: cap,
            });
        }
    }
    for (g, cap, row) in group_rows {
        if solution.row_duals[row.0].abs() > 1e-9 {
            let k = groups[&g]
                .first()
                .and_then(|i| dataset.link(network.arcs[*i].link).carriage(c))
                .and_then(|k| k.group_use)
                .unwrap_or(1.0);
            binding.push(CutElement {
                item: CutItem::Group(g),
                capacity: cap / k,
            });
        }
    }
    Ok((flows, binding))
}

/// Builds the territory for a capacity query from avoided country codes and an optional bloc.
pub fn query_territory(
    dataset: &Dataset,
    avoid: &[CountryCode],
    only_bloc: Option<BlocId>,
    year: i32,
    endpoints: &[NodeId],
) -> Territory {
    let policy = Policy {
        avoid_countries: avoid.to_vec(),
        only_via_bloc: only_bloc,
        ..Policy::default()
    };
    let ends: Vec<CountryCode> = endpoints
        .iter()
        .filter_map(|&n| dataset.node(n).country)
        .collect();
    Territory::from_policy(dataset, &policy, year, &ends)
}
