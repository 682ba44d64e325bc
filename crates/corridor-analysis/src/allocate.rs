//! Least-cost allocation of every supply to the markets, all commodities at once, as one linear program.
//!
//! Variables: the flow of each commodity on each usable arc, the unmet part of each supply, the volume
//! delivered to each market. Rows: conservation at every node for every commodity; link capacities
//! (commodities weighted by how much capacity a unit uses); shared capacity groups; contract minimums;
//! transit-share caps. Cost: tariffs + the unmet penalty − market netbacks. Unmet volume is a variable
//! with a price, so it is always reported, never dropped.

use crate::network::{route_countries, UsableArc, UsableNetwork};
use crate::AnalysisError;
use corridor_flow::{decompose_paths, Network, NodeIdx};
use corridor_lp::{LpSolver, Outcome, Problem, RowId, VarId};
use corridor_model::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod calibrate;
mod native;

pub use calibrate::{calibrate, CalibrateOptions, CalibrationResult, ObservationFit};

/// Flows below this share of the largest supply are treated as zero when listing routes and uses
/// (the LP's own tolerance is far tighter; this only keeps round-off out of reports).
const REPORT_EPS: f64 = 1e-7;

/// One way a volume travels from an origin to a market.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// The supply node the volume leaves.
    pub origin: NodeId,
    /// The market node it is delivered to.
    pub market: NodeId,
    /// What it carries.
    pub commodity: CommodityId,
    /// Base units per year.
    pub volume: f64,
    /// Tariffs summed along the route, USD per base unit.
    pub cost_usd: f64,
    /// Transit times summed along the route, days.
    pub transit_days: f64,
    /// Every country of the nodes and links on the route, in order, origin included.
    pub countries: Vec<CountryCode>,
    /// The links travelled, origin first.
    pub links: Vec<LinkId>,
}

impl Route {
    /// The route of `amount` base units per year of `commodity` along `arcs` (origin first); `None` for
    /// no arcs.
    pub(crate) fn along(
        dataset: &Dataset,
        commodity: CommodityId,
        arcs: &[&UsableArc],
        amount: f64,
    ) -> Option<Route> {
        Some(Route {
            origin: arcs.first()?.tail,
            market: arcs.last()?.head,
            commodity,
            volume: amount,
            cost_usd: arcs
                .iter()
                .map(|a| {
                    dataset
                        .link(a.link)
                        .carriage(commodity)
                        .map_or(0.0, |k| k.tariff_usd)
                })
                .sum(),
            transit_days: arcs.iter().map(|a| dataset.link(a.link).transit_days).sum(),
            countries: route_countries(arcs.iter().copied()),
            links: arcs.iter().map(|a| a.link).collect(),
        })
    }
}

/// Largest volume first; equal volumes in the order of their links' ids, so output is stable.
pub(crate) fn sort_routes(dataset: &Dataset, routes: &mut [Route]) {
    let ids = |r: &Route| -> Vec<&str> {
        r.links
            .iter()
            .map(|&l| dataset.link(l).id.as_str())
            .collect()
    };
    routes.sort_by(|a, b| {
        b.volume
            .total_cmp(&a.volume)
            .then_with(|| ids(a).cmp(&ids(b)))
    });
}

/// What happened to one supply (the supplies of one commodity at one node taken together), in base units per
/// year.
#[derive(Clone, Debug, PartialEq)]
pub struct OriginResult {
    /// The supply node.
    pub origin: NodeId,
    /// The commodity supplied.
    pub commodity: CommodityId,
    /// All the node's supply of the commodity.
    pub supplied: f64,
    /// What reaches a market (supplied − unmet).
    pub delivered: f64,
    /// What stays at the origin, paying the unmet penalty.
    pub unmet: f64,
    /// Largest volume first.
    pub routes: Vec<Route>,
}

/// Flow and utilisation of a link in one direction.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkUse {
    /// The link carrying the flow.
    pub link: LinkId,
    /// True for the `to → from` direction of a two-way link.
    pub reverse: bool,
    /// Where this direction starts (the link's `to` node when `reverse`).
    pub from: NodeId,
    /// Where this direction ends.
    pub to: NodeId,
    /// Volume of each commodity carried, base units per year.
    pub flows: Vec<(CommodityId, f64)>,
    /// Capacity used, 0–1.
    pub utilisation: f64,
    /// The capacity of this direction in the link's capacity base unit per year, after any derate.
    pub capacity_base: f64,
}

/// Volume of one commodity entering a country's territory, base units per year.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryTransit {
    /// A country the flow enters: a transit country or the market's, not the one it starts in.
    pub country: CountryCode,
    /// The commodity entering it.
    pub commodity: CommodityId,
    /// Base units per year entering the country's territory.
    pub volume: f64,
    /// Of the commodity's delivered volume.
    pub share: f64,
}

/// A constraint of the allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Constraint {
    /// A link's capacity (both directions of a two-way link count alike).
    Link(LinkId),
    /// A shared capacity group.
    Group(GroupId),
    /// A contract's minimum or maximum on one link: the index of the contract in `Scenario::contracts`.
    Contract(usize),
    /// A cap on the share of a commodity's delivered volume that may cross one country.
    TransitShare(CommodityId, CountryCode),
}

impl Constraint {
    /// `link`, `group`, `contract` or `transit_share`: what results call the kind of constraint.
    pub fn kind(self) -> &'static str {
        match self {
            Constraint::Link(_) => "link",
            Constraint::Group(_) => "group",
            Constraint::Contract(_) => "contract",
            Constraint::TransitShare(..) => "transit_share",
        }
    }
}

/// A constraint at its limit and what relaxing it by one unit is worth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Binding {
    /// Which constraint binds.
    pub constraint: Constraint,
    /// USD saved per year by one more base unit per year of capacity (negative for a contract minimum:
    /// what one unit less would save).
    pub shadow_price_usd: f64,
}

/// Totals of one commodity, base units per year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CommodityTotals {
    /// The commodity these totals are of.
    pub commodity: CommodityId,
    /// All its supplies, summed.
    pub supplied: f64,
    /// What reaches markets.
    pub delivered: f64,
    /// What no market takes, at the unmet penalty.
    pub unmet: f64,
}

/// The flow of one commodity over one direction of a link, in base units per year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkFlow {
    /// The link carrying the flow.
    pub link: LinkId,
    /// True for the `to → from` direction of a two-way link.
    pub reverse: bool,
    /// The commodity carried.
    pub commodity: CommodityId,
    /// Base units per year.
    pub volume: f64,
}

/// The allocation of a scenario: typed ids, base units. `corridor-report::records` turns it into the
/// display record (names, display units) that tables and JSON show.
#[derive(Clone, Debug, PartialEq)]
pub struct Allocation {
    /// The scenario year allocated (capacities, disruptions and supplies of that year).
    pub year: i32,
    /// Tariffs + calibrated premiums + penalties − revenue, USD per year.
    pub objective_usd: f64,
    /// Tariffs times flows, USD per year.
    pub transport_cost_usd: f64,
    /// Calibrated premiums times flows, USD per year (0 for an uncalibrated run): the cost shippers act on
    /// beyond tariffs.
    pub premium_usd: f64,
    /// Every non-zero flow (what maps and comparisons with observations use).
    pub flows: Vec<LinkFlow>,
    /// Unmet supply times its penalty, USD per year.
    pub unmet_penalty_usd: f64,
    /// Penalties of soft contract minimums not met, USD per year.
    pub shortfall_penalty_usd: f64,
    /// Soft contract minimums not met: by how much, and what it costs.
    pub shortfalls: Vec<ContractShortfall>,
    /// Delivered volume times market netback prices, USD per year.
    pub revenue_usd: f64,
    /// One entry per commodity of the scenario.
    pub totals: Vec<CommodityTotals>,
    /// One entry per (supply node, commodity), repeated supplies at a node merged.
    pub origins: Vec<OriginResult>,
    /// Busiest first.
    pub links: Vec<LinkUse>,
    /// Volume entering each country, per commodity; by commodity, then largest volume first.
    pub countries: Vec<CountryTransit>,
    /// Largest shadow price first.
    pub binding: Vec<Binding>,
    /// [`Method::NetworkSimplex`] (a single-commodity network) or [`Method::Lp`] (shared capacities, several
    /// commodities or side constraints); never `Auto`.
    pub method: Method,
}

impl Allocation {
    /// The origin result of `node`'s supply of `commodity`, if the scenario has one.
    pub fn origin(&self, node: NodeId, commodity: CommodityId) -> Option<&OriginResult> {
        self.origins
            .iter()
            .find(|o| o.origin == node && o.commodity == commodity)
    }

    /// Every route, origin by origin.
    pub fn routes(&self) -> impl Iterator<Item = &Route> {
        self.origins.iter().flat_map(|o| &o.routes)
    }
}

/// A soft contract minimum the allocation does not meet on one of its links, base units per year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContractShortfall {
    /// The index of the contract in `Scenario::contracts`.
    pub contract: usize,
    /// The contract's link where the minimum is not met.
    pub link: LinkId,
    /// The contract's commodity.
    pub commodity: CommodityId,
    /// The contract minimum, base units per year.
    pub minimum: f64,
    /// How much the flow falls short of it, base units per year.
    pub shortfall: f64,
    /// The shortfall times the contract's penalty, USD per year.
    pub cost_usd: f64,
}

/// A contract's name as written, or its position when it has none.
pub fn contract_name(scenario: &Scenario, index: usize) -> String {
    let contract = &scenario.contracts[index];
    if contract.name.is_empty() {
        format!("contracts[{}]", index + 1)
    } else {
        contract.name.clone()
    }
}

/// Which solver an allocation uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Method {
    /// The network simplex whenever the scenario is a pure single-commodity network, else the LP.
    #[default]
    Auto,
    /// Always the LP.
    Lp,
    /// The network simplex; an error when the scenario is not a pure network.
    NetworkSimplex,
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl Method {
    /// The name results and `--method` use: `auto`, `lp` or `network-simplex`.
    pub fn label(self) -> &'static str {
        match self {
            Method::Auto => "auto",
            Method::Lp => "lp",
            Method::NetworkSimplex => "network-simplex",
        }
    }
}

/// One conservation row being built: its coefficients and its right-hand side.
type Balance = (Vec<(VarId, f64)>, f64);

struct Formulation {
    problem: Problem,
    network: UsableNetwork,
    commodities: Vec<CommodityId>,
    /// (arc index, commodity) → flow variable.
    flow: BTreeMap<(usize, CommodityId), VarId>,
    unmet: Vec<VarId>,
    delivered: Vec<VarId>,
    capacity_rows: Vec<(usize, RowId)>,
    group_rows: Vec<(GroupId, RowId)>,
    contract_rows: Vec<(usize, RowId)>,
    /// (contract, link, shortfall variable) of each soft minimum.
    shortfalls: Vec<(usize, LinkId, VarId)>,
    share_rows: Vec<(CommodityId, CountryCode, RowId)>,
}

fn formulate(dataset: &Dataset, scenario: &Scenario, with_contracts: bool) -> Formulation {
    let network = UsableNetwork::of_scenario(dataset, scenario);
    let commodities = scenario.commodities();
    let mut problem = Problem::new();

    // A calibration's tie-break: moving away from the reference flow costs ε per unit either way (flow
    // cost − ε, and an excess variable e ≥ flow − reference at 2ε).
    let tie_break = scenario
        .calibration
        .as_ref()
        .map_or(0.0, |c| c.tie_break_usd);
    let mut flow = BTreeMap::new();
    let mut excess_rows = Vec::new();
    for (ai, arc) in network.arcs.iter().enumerate() {
        for carriage in &dataset.link(arc.link).carries {
            if commodities.contains(&carriage.commodity) {
                let cost = scenario.unit_cost(arc.link, carriage);
                let reference = scenario.calibration.as_ref().map_or(0.0, |c| {
                    c.reference_flow(arc.link, arc.reverse, carriage.commodity)
                });
                let var = problem.add_var(0.0, f64::INFINITY, cost - tie_break);
                flow.insert((ai, carriage.commodity), var);
                if tie_break > 0.0 {
                    let excess = problem.add_var(0.0, f64::INFINITY, 2.0 * tie_break);
                    excess_rows.push((reference, [(var, 1.0), (excess, -1.0)]));
                }
            }
        }
    }
    for (reference, coeffs) in &excess_rows {
        problem.add_row(f64::NEG_INFINITY, *reference, coeffs);
    }
    let unmet: Vec<VarId> = scenario
        .supplies
        .iter()
        .map(|s| problem.add_var(0.0, s.volume, scenario.penalty_for(s)))
        .collect();
    let delivered: Vec<VarId> = scenario
        .markets
        .iter()
        .map(|m| {
            problem.add_var(
                0.0,
                m.limit.unwrap_or(f64::INFINITY),
                -m.price_usd.unwrap_or(0.0),
            )
        })
        .collect();

    // Conservation: inflow − outflow − delivered − unmet = −supply at every (node, commodity).
    let mut balance: BTreeMap<(NodeId, CommodityId), Balance> = BTreeMap::new();
    for (&(ai, c), &var) in &flow {
        let arc = &network.arcs[ai];
        balance.entry((arc.head, c)).or_default().0.push((var, 1.0));
        balance
            .entry((arc.tail, c))
            .or_default()
            .0
            .push((var, -1.0));
    }
    for (m, &var) in scenario.markets.iter().zip(&delivered) {
        balance
            .entry((m.node, m.commodity))
            .or_default()
            .0
            .push((var, -1.0));
    }
    for (s, &var) in scenario.supplies.iter().zip(&unmet) {
        let entry = balance.entry((s.node, s.commodity)).or_default();
        entry.0.push((var, -1.0));
        entry.1 -= s.volume;
    }
    for (coeffs, rhs) in balance.values() {
        problem.add_row(*rhs, *rhs, coeffs);
    }

    let mut capacity_rows = Vec::new();
    let mut group_members: BTreeMap<GroupId, Vec<(VarId, f64)>> = BTreeMap::new();
    for (ai, arc) in network.arcs.iter().enumerate() {
        let link = dataset.link(arc.link);
        let mut coeffs = Vec::new();
        for carriage in &link.carries {
            if let Some(&var) = flow.get(&(ai, carriage.commodity)) {
                coeffs.push((var, carriage.capacity_use));
                if let (Some(g), Some(k)) = (link.capacity_group, carriage.group_use) {
                    group_members.entry(g).or_default().push((var, k));
                }
            }
        }
        if !coeffs.is_empty() {
            capacity_rows.push((
                ai,
                problem.add_row(f64::NEG_INFINITY, arc.capacity_base, &coeffs),
            ));
        }
    }
    let group_rows = group_members
        .into_iter()
        .map(|(g, coeffs)| {
            (
                g,
                problem.add_row(f64::NEG_INFINITY, network.group_capacity[g.idx()], &coeffs),
            )
        })
        .collect();

    let mut contract_rows = Vec::new();
    let mut shortfalls = Vec::new();
    if with_contracts {
        for (ci, contract) in scenario.contracts.iter().enumerate() {
            for &link in &contract.links {
                let coeffs: Vec<(VarId, f64)> = network
                    .arcs
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.link == link)
                    .filter_map(|(ai, _)| flow.get(&(ai, contract.commodity)).map(|&v| (v, 1.0)))
                    .collect();
                // A contract on a link that the policy or a disruption removed still binds: an empty row
                // with a positive minimum makes the problem infeasible, which is reported as such.
                let mut coeffs = coeffs;
                // A soft minimum: a shortfall variable at its penalty fills what the flow lacks.
                if let (Some(penalty), true) =
                    (contract.shortfall_penalty_usd, contract.min_volume > 0.0)
                {
                    let short = problem.add_var(0.0, contract.min_volume, penalty);
                    coeffs.push((short, 1.0));
                    shortfalls.push((ci, link, short));
                }
                contract_rows.push((
                    ci,
                    problem.add_row(
                        contract.min_volume,
                        contract.max_volume.unwrap_or(f64::INFINITY),
                        &coeffs,
                    ),
                ));
            }
        }
    }

    let mut share_rows = Vec::new();
    for cap in &scenario.policy.max_transit_share {
        let countries: BTreeSet<CountryCode> = network
            .arcs
            .iter()
            .flat_map(|a| a.countries.iter().copied())
            .collect();
        for country in countries {
            let mut coeffs: Vec<(VarId, f64)> = flow
                .iter()
                .filter(|((ai, c), _)| *c == cap.commodity && network.arcs[*ai].enters(country))
                .map(|(_, &v)| (v, 1.0))
                .collect();
            if coeffs.is_empty() {
                continue;
            }
            for (m, &var) in scenario.markets.iter().zip(&delivered) {
                if m.commodity == cap.commodity {
                    coeffs.push((var, -cap.share));
                }
            }
            share_rows.push((
                cap.commodity,
                country,
                problem.add_row(f64::NEG_INFINITY, 0.0, &coeffs),
            ));
        }
    }

    Formulation {
        problem,
        network,
        commodities,
        flow,
        unmet,
        delivered,
        capacity_rows,
        group_rows,
        contract_rows,
        shortfalls,
        share_rows,
    }
}

/// Solves the least-cost allocation of `scenario`.
///
/// Returns [`AnalysisError::Infeasible`] naming the contracts that cannot be met (the only way the
/// problem can be infeasible, since unmet volume is always allowed), and [`AnalysisError::Unbounded`]
/// when a negative-cost loop exists (which validated data cannot produce: tariffs are ≥ 0).
pub fn allocate(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &dyn LpSolver,
) -> Result<Allocation, AnalysisError> {
    allocate_with(dataset, scenario, solver, Method::Auto)
}

/// [`allocate`] with an explicit choice of solver.
pub fn allocate_with(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &dyn LpSolver,
    method: Method,
) -> Result<Allocation, AnalysisError> {
    let f = formulate(dataset, scenario, true);
    let native = match method {
        Method::Lp => None,
        Method::Auto => native::NativeProblem::build(dataset, scenario, &f),
        Method::NetworkSimplex => Some(native::NativeProblem::build(dataset, scenario, &f).ok_or_else(|| AnalysisError::Empty {
            what: "the scenario is not a single-commodity network (several commodities, shared capacity groups, contracts over two-way links or transit-share caps): use the LP".into(),
        })?),
    };
    if let Some(problem) = native {
        return match problem.solve(&f)? {
            Some(solution) => Ok(report(
                dataset,
                scenario,
                &f,
                &solution,
                Method::NetworkSimplex,
            )),
            None => Err(explain_infeasible(dataset, scenario, solver)),
        };
    }
    let solution = match solver.solve(&f.problem)? {
        Outcome::Optimal(s) => {
            AnalysisError::check(corridor_lp::certify(&f.problem, &s), solver.name(), || {
                format!("the allocation of scenario `{}`", scenario.name)
            })?;
            s
        }
        Outcome::Infeasible => return Err(explain_infeasible(dataset, scenario, solver)),
        Outcome::Unbounded => {
            return Err(AnalysisError::Unbounded {
                what: format!("scenario `{}`", scenario.name),
            })
        }
        Outcome::IterationLimit { iterations } => {
            return Err(AnalysisError::SolverLimit { iterations })
        }
    };
    Ok(report(dataset, scenario, &f, &solution, Method::Lp))
}

pub(crate) fn explain_infeasible(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &dyn LpSolver,
) -> AnalysisError {
    let mut culprits = Vec::new();
    for (i, contract) in scenario.contracts.iter().enumerate() {
        let mut alone = scenario.clone();
        alone.contracts = vec![scenario.contracts[i].clone()];
        let f = formulate(dataset, &alone, true);
        if !matches!(solver.solve(&f.problem), Ok(Outcome::Optimal(_))) {
            culprits.push(format!(
                "{} ({})",
                contract_name(scenario, i),
                contract.location
            ));
        }
    }
    if culprits.is_empty() {
        culprits.push("the contract minimums taken together".into());
    }
    AnalysisError::Infeasible {
        what: format!("scenario `{}`", scenario.name),
        why: format!(
            "these contract minimums cannot be met with the capacity left in {}: {}",
            scenario.year,
            culprits.join(", ")
        ),
    }
}

fn report(
    dataset: &Dataset,
    scenario: &Scenario,
    f: &Formulation,
    solution: &corridor_lp::Solution,
    method: Method,
) -> Allocation {
    let x = |v: VarId| solution.x[v.0];
    let scale_eps = scenario
        .supplies
        .iter()
        .map(|s| s.volume)
        .fold(1.0, f64::max)
        * REPORT_EPS;

    let mut transport_cost_usd = 0.0;
    let mut premium_usd = 0.0;
    let mut flows = Vec::new();
    for (&(ai, c), &var) in &f.flow {
        let arc = &f.network.arcs[ai];
        let tariff = dataset
            .link(arc.link)
            .carriage(c)
            .map_or(0.0, |k| k.tariff_usd);
        transport_cost_usd += tariff * x(var);
        if let Some(cal) = &scenario.calibration {
            premium_usd += cal.premium(arc.link, c) * x(var);
        }
        if x(var) > scale_eps {
            flows.push(LinkFlow {
                link: arc.link,
                reverse: arc.reverse,
                commodity: c,
                volume: x(var),
            });
        }
    }
    let unmet_penalty_usd: f64 = scenario
        .supplies
        .iter()
        .zip(&f.unmet)
        .map(|(s, &v)| x(v) * scenario.penalty_for(s))
        .sum();
    let shortfalls: Vec<ContractShortfall> = f
        .shortfalls
        .iter()
        .filter(|&&(_, _, var)| x(var) > scale_eps)
        .map(|&(ci, link, var)| {
            let contract = &scenario.contracts[ci];
            ContractShortfall {
                contract: ci,
                link,
                commodity: contract.commodity,
                minimum: contract.min_volume,
                shortfall: x(var),
                cost_usd: x(var) * contract.shortfall_penalty_usd.unwrap_or(0.0),
            }
        })
        .collect();
    let shortfall_penalty_usd: f64 = shortfalls.iter().map(|s| s.cost_usd).sum();
    let revenue_usd: f64 = scenario
        .markets
        .iter()
        .zip(&f.delivered)
        .map(|(m, &v)| x(v) * m.price_usd.unwrap_or(0.0))
        .sum();

    // Routes: decompose each commodity's arc flow into origin → market paths.
    let mut routes_by_origin: HashMap<(NodeId, CommodityId), Vec<Route>> = HashMap::new();
    for &c in &f.commodities {
        let mut net = Network::new(dataset.nodes.len());
        let mut flows = Vec::with_capacity(f.network.arcs.len());
        for (ai, arc) in f.network.arcs.iter().enumerate() {
            // Capacities do not matter for decomposition; only the arc list and the flow do.
            let added = net.add_arc(NodeIdx(arc.tail.0), NodeIdx(arc.head.0), 0, 1, 0);
            debug_assert!(added.is_ok());
            flows.push(f.flow.get(&(ai, c)).map_or(0.0, |&v| x(v).max(0.0)));
        }
        let sources: Vec<NodeIdx> = scenario
            .supplies
            .iter()
            .filter(|s| s.commodity == c)
            .map(|s| NodeIdx(s.node.0))
            .collect();
        let sinks: Vec<NodeIdx> = scenario
            .markets
            .iter()
            .filter(|m| m.commodity == c)
            .map(|m| NodeIdx(m.node.0))
            .collect();
        let decomposition = decompose_paths(&net, &flows, &sources, &sinks, scale_eps);
        for path in decomposition.paths {
            let arcs: Vec<_> = path
                .arcs
                .iter()
                .map(|a| &f.network.arcs[a.0 as usize])
                .collect();
            let Some(route) = Route::along(dataset, c, &arcs, path.amount) else {
                continue;
            };
            routes_by_origin
                .entry((route.origin, c))
                .or_default()
                .push(route);
        }
    }

    // One result per (origin, commodity), merging repeated supplies at the same node.
    let mut origins: BTreeMap<(NodeId, CommodityId), (f64, f64)> = BTreeMap::new();
    for (s, &var) in scenario.supplies.iter().zip(&f.unmet) {
        let e = origins.entry((s.node, s.commodity)).or_default();
        e.0 += s.volume;
        e.1 += x(var);
    }
    let origins = origins
        .into_iter()
        .map(|((node, c), (supplied, unmet))| {
            let mut routes = routes_by_origin.remove(&(node, c)).unwrap_or_default();
            sort_routes(dataset, &mut routes);
            OriginResult {
                origin: node,
                commodity: c,
                supplied,
                delivered: supplied - unmet,
                unmet: unmet.max(0.0),
                routes,
            }
        })
        .collect();

    let totals: Vec<CommodityTotals> = f
        .commodities
        .iter()
        .map(|&c| {
            let supplied: f64 = scenario
                .supplies
                .iter()
                .filter(|s| s.commodity == c)
                .map(|s| s.volume)
                .sum();
            let unmet: f64 = scenario
                .supplies
                .iter()
                .zip(&f.unmet)
                .filter(|(s, _)| s.commodity == c)
                .map(|(_, &v)| x(v))
                .sum();
            CommodityTotals {
                commodity: c,
                supplied,
                delivered: supplied - unmet,
                unmet: unmet.max(0.0),
            }
        })
        .collect();

    let mut links = Vec::new();
    for &(ai, row) in &f.capacity_rows {
        let arc = &f.network.arcs[ai];
        let link = dataset.link(arc.link);
        let flows: Vec<(CommodityId, f64)> = link
            .carries
            .iter()
            .filter_map(|k| f.flow.get(&(ai, k.commodity)).map(|&v| (k.commodity, x(v))))
            .filter(|(_, v)| *v > scale_eps)
            .collect();
        if flows.is_empty() {
            continue;
        }
        let used = solution.row_activity[row.0];
        links.push(LinkUse {
            link: arc.link,
            reverse: arc.reverse,
            from: arc.tail,
            to: arc.head,
            flows,
            utilisation: if arc.capacity_base > 0.0 {
                used / arc.capacity_base
            } else {
                0.0
            },
            capacity_base: arc.capacity_base,
        });
    }
    links.sort_by(|a, b| {
        b.utilisation
            .total_cmp(&a.utilisation)
            .then_with(|| dataset.link(a.link).id.cmp(&dataset.link(b.link).id))
    });

    let mut countries: BTreeMap<(CountryCode, CommodityId), f64> = BTreeMap::new();
    for (&(ai, c), &var) in &f.flow {
        let v = x(var);
        if v <= scale_eps {
            continue;
        }
        let arc = &f.network.arcs[ai];
        for &country in &arc.countries {
            if arc.enters(country) {
                *countries.entry((country, c)).or_default() += v;
            }
        }
    }
    let delivered_of = |c: CommodityId| -> f64 {
        scenario
            .markets
            .iter()
            .zip(&f.delivered)
            .filter(|(m, _)| m.commodity == c)
            .map(|(_, &v)| x(v))
            .sum()
    };
    let mut countries: Vec<CountryTransit> = countries
        .into_iter()
        .map(|((country, c), v)| {
            let total = delivered_of(c);
            CountryTransit {
                country,
                commodity: c,
                volume: v,
                share: if total > 0.0 { v / total } else { 0.0 },
            }
        })
        .collect();
    countries.sort_by(|a, b| {
        let commodity = |t: &CountryTransit| dataset.commodity(t.commodity).id.as_str();
        commodity(a)
            .cmp(commodity(b))
            .then(b.volume.total_cmp(&a.volume))
            .then_with(|| a.country.cmp(&b.country))
    });

    let mut binding = Vec::new();
    // A row counts as binding only when it sits at a bound; a dual reported on a slack row (possible
    // at degenerate optima) would name a link that is not a bottleneck.
    let dual = |row: RowId| {
        let activity = solution.row_activity[row.0];
        let (lower, upper) = f.problem.row_bounds(row).unwrap_or((f64::NAN, f64::NAN));
        let tol = 1e-7 * (1.0 + activity.abs());
        let at_bound = (activity - upper).abs() <= tol || (activity - lower).abs() <= tol;
        if at_bound {
            solution.row_duals[row.0]
        } else {
            0.0
        }
    };
    let rows = f
        .capacity_rows
        .iter()
        .map(|&(ai, row)| (Constraint::Link(f.network.arcs[ai].link), row))
        .chain(
            f.group_rows
                .iter()
                .map(|&(g, row)| (Constraint::Group(g), row)),
        )
        .chain(
            f.contract_rows
                .iter()
                .map(|&(ci, row)| (Constraint::Contract(ci), row)),
        )
        .chain(
            f.share_rows
                .iter()
                .map(|&(c, country, row)| (Constraint::TransitShare(c, country), row)),
        );
    for (constraint, row) in rows {
        let d = dual(row);
        if d.abs() > 1e-9 {
            binding.push(Binding {
                constraint,
                shadow_price_usd: -d,
            });
        }
    }
    let label = |c: &Constraint| constraint_label(dataset, scenario, *c);
    binding.sort_by(|a, b| {
        b.shadow_price_usd
            .abs()
            .total_cmp(&a.shadow_price_usd.abs())
            .then_with(|| label(&a.constraint).cmp(&label(&b.constraint)))
    });

    Allocation {
        year: scenario.year,
        // Without the tie-break's constant: tariffs, premiums, penalties and revenue only.
        objective_usd: transport_cost_usd + premium_usd + unmet_penalty_usd + shortfall_penalty_usd
            - revenue_usd,
        transport_cost_usd,
        premium_usd,
        flows,
        unmet_penalty_usd,
        shortfall_penalty_usd,
        shortfalls,
        revenue_usd,
        totals,
        origins,
        links,
        countries,
        binding,
        method,
    }
}

/// How a constraint is named in results: a link's, group's or contract's id, `commodity:country` for a
/// transit-share cap.
pub fn constraint_label(dataset: &Dataset, scenario: &Scenario, constraint: Constraint) -> String {
    match constraint {
        Constraint::Link(l) => dataset.link(l).id.clone(),
        Constraint::Group(g) => dataset.group(g).id.clone(),
        Constraint::Contract(ci) => contract_name(scenario, ci),
        Constraint::TransitShare(c, country) => format!("{}:{country}", dataset.commodity(c).id),
    }
}
