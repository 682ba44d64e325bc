//! N-1 and N-2 contingencies: take each element out (a link; a node with its links; a country with every
//! link touching its territory; a strait or canal with every sea leg through it), re-solve the
//! allocation, and rank what is lost.
//!
//! Pairs (`k = 2`) are pruned without changing any answer. Removing capacity can only make the optimum
//! worse, and an optimal flow that does not use an element stays optimal once that element is removed.
//! So a pair {a, b} needs its own solve only when `a` carries flow in the base case and `b` carries flow
//! once `a` is out (or the other way round); every other pair loses exactly what one of its elements
//! loses alone, has no synergy, and is skipped. Pairs whose elements nest (a link inside a country) are
//! skipped too.

use crate::allocate::Method;
use crate::capacity::FLOW_SCALE;
use crate::cases::{elements_links, CaseEngine, CaseOutcome};
use crate::reporter::{with_threads, Reporter};
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// Which kinds of element to take out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElementKinds {
    /// Take out each link.
    pub links: bool,
    /// Take out each node with its links.
    pub nodes: bool,
    /// Take out each country with every link touching its territory.
    pub countries: bool,
    /// Straits and canals: every sea leg through one at once.
    pub chokepoints: bool,
}

impl Default for ElementKinds {
    fn default() -> Self {
        ElementKinds {
            links: true,
            nodes: true,
            countries: true,
            chokepoints: true,
        }
    }
}

/// What a contingency analysis does.
#[derive(Clone, Debug)]
pub struct ContingencyConfig {
    /// Which kinds of element to take out.
    pub kinds: ElementKinds,
    /// 1: each element alone; 2: also every pair.
    pub k: usize,
    /// Worker threads; `None` uses one per core.
    pub threads: Option<usize>,
    /// Take out exactly these elements instead of every element of `kinds` (empty: use `kinds`).
    pub only: Vec<Element>,
}

impl Default for ContingencyConfig {
    fn default() -> Self {
        ContingencyConfig {
            kinds: ElementKinds::default(),
            k: 1,
            threads: None,
            only: Vec::new(),
        }
    }
}

/// A volume of one commodity, base units per year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Amount {
    /// The commodity measured.
    pub commodity: CommodityId,
    /// Base units per year.
    pub value: f64,
}

/// Volume an origin loses in a case, base units per year.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OriginLoss {
    /// The supply node that delivers less.
    pub origin: NodeId,
    /// Its commodity.
    pub commodity: CommodityId,
    /// Deliveries lost, base units per year.
    pub lost: f64,
}

/// A link that carries more in a case than in the base: where the flow goes instead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reroute {
    /// The link gaining flow.
    pub link: LinkId,
    /// The commodity rerouted onto it.
    pub commodity: CommodityId,
    /// Extra volume, base units per year.
    pub change: f64,
}

/// One case: what is lost when its elements are out.
#[derive(Clone, Debug, PartialEq)]
pub struct Contingency {
    /// Position in its list by `loss_usd`, 1 for the largest.
    pub rank: usize,
    /// The elements out: one for a single, two for a pair.
    pub elements: Vec<Element>,
    /// Deliveries lost (the rise of unmet volume) per commodity.
    pub lost: Vec<Amount>,
    /// Unmet volume in the case, per commodity.
    pub unmet: Vec<Amount>,
    /// Change of tariffs paid, USD per year (negative when less moves).
    pub extra_transport_usd: f64,
    /// Rise of the objective (tariffs + unmet penalties − netback revenue), USD per year: the ranking key.
    pub loss_usd: f64,
    /// Pairs only: `loss_usd` minus the two elements' own losses (positive: the pair is worse than its
    /// parts, i.e. each element backs the other up).
    pub synergy_usd: Option<f64>,
    /// The origins that deliver less, largest loss first.
    pub origins_hit: Vec<OriginLoss>,
    /// The links that gain the most flow, largest first (at most three).
    pub reroutes: Vec<Reroute>,
    /// Contract minimums could not be met and were dropped for this case.
    pub contracts_relaxed: bool,
}

/// The base case, for reference.
#[derive(Clone, Debug, PartialEq)]
pub struct BaseCase {
    /// Delivered volume per commodity.
    pub delivered: Vec<Amount>,
    /// Unmet volume per commodity.
    pub unmet: Vec<Amount>,
    /// Tariffs paid, USD per year.
    pub transport_cost_usd: f64,
    /// Tariffs + unmet penalties − netback revenue, USD per year.
    pub objective_usd: f64,
}

/// How much work the analysis did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ContingencyStats {
    /// Elements taken out one at a time.
    pub elements: usize,
    /// Solves of single elements (one per element).
    pub single_solves: usize,
    /// Pairs considered (`k = 2`).
    pub pairs: usize,
    /// Pairs that needed their own solve; the rest were settled by the pruning rule.
    pub pair_solves: usize,
}

/// The answer of [`contingency`].
#[derive(Clone, Debug, PartialEq)]
pub struct ContingencyResult {
    /// The scenario year analysed.
    pub year: i32,
    /// [`Method::NetworkSimplex`] (warm re-solves from the base basis) or [`Method::Lp`].
    pub method: Method,
    /// The allocation with every element in.
    pub base: BaseCase,
    /// Every element, ranked by `loss_usd` (largest first).
    pub singles: Vec<Contingency>,
    /// Pairs worse than their parts (positive synergy), ranked by `loss_usd`; empty unless `k = 2`.
    pub pairs: Vec<Contingency>,
    /// How much work the analysis did.
    pub stats: ContingencyStats,
}

/// The elements of a scenario's network, of the kinds asked for: links that carry a scenario commodity,
/// the nodes they join (not the scenario's origins and markets) and the countries they touch (not the
/// origins' countries: an origin without its own territory is no corridor question).
pub(crate) fn scenario_elements(engine: &CaseEngine<'_>, kinds: ElementKinds) -> Vec<Element> {
    let ds = engine.dataset();
    let sc = engine.scenario();
    let usable = engine.usable_links();
    let mut out = Vec::new();
    if kinds.links {
        out.extend(usable.iter().map(|&l| Element::Link(l)));
    }
    if kinds.nodes {
        let ends: BTreeSet<NodeId> = sc
            .supplies
            .iter()
            .map(|s| s.node)
            .chain(sc.markets.iter().map(|m| m.node))
            .collect();
        let nodes: BTreeSet<NodeId> = usable
            .iter()
            .flat_map(|&l| [ds.link(l).from, ds.link(l).to])
            .filter(|n| !ends.contains(n))
            .collect();
        out.extend(nodes.into_iter().map(Element::Node));
    }
    if kinds.countries {
        let origin_countries: BTreeSet<CountryCode> = sc
            .supplies
            .iter()
            .filter_map(|s| ds.node(s.node).country)
            .collect();
        let countries: BTreeSet<CountryCode> = usable
            .iter()
            .flat_map(|&l| ds.link_countries(l))
            .filter(|c| !origin_countries.contains(c))
            .collect();
        out.extend(countries.into_iter().map(Element::Country));
    }
    if kinds.chokepoints {
        out.extend(
            ds.chokepoint_ids()
                .filter(|&k| ds.chokepoint(k).links.iter().any(|l| usable.contains(l)))
                .map(Element::Chokepoint),
        );
    }
    out
}

/// Per commodity of the engine: `f(slot)` summed over the origins of that commodity.
fn per_commodity(engine: &CaseEngine<'_>, f: impl Fn(usize) -> f64) -> Vec<Amount> {
    engine
        .commodities()
        .iter()
        .map(|&c| {
            let total: f64 = engine
                .origins()
                .iter()
                .enumerate()
                .filter(|(_, o)| o.commodity == c)
                .map(|(i, _)| f(i))
                .sum();
            Amount {
                commodity: c,
                value: clean(total),
            }
        })
        .collect()
}

/// Rounds away differences below a thousandth of a base unit (solver round-off).
fn clean(v: f64) -> f64 {
    if v.abs() < 1e-9 {
        0.0
    } else {
        v
    }
}

pub(crate) fn base_case(engine: &CaseEngine<'_>) -> BaseCase {
    let base = engine.base();
    BaseCase {
        delivered: per_commodity(engine, |i| engine.origins()[i].supplied - base.unmet[i]),
        unmet: per_commodity(engine, |i| base.unmet[i]),
        transport_cost_usd: base.transport_cost_usd,
        objective_usd: base.objective(),
    }
}

/// Describes one solved case against the base.
pub(crate) fn describe(
    engine: &CaseEngine<'_>,
    elements: &[Element],
    case: &CaseOutcome,
) -> Contingency {
    let ds = engine.dataset();
    let base = engine.base();
    let eps = 0.5 / FLOW_SCALE;
    let origins_hit = engine
        .origins()
        .iter()
        .enumerate()
        .filter(|(i, _)| case.unmet[*i] - base.unmet[*i] > eps)
        .map(|(i, o)| OriginLoss {
            origin: o.node,
            commodity: o.commodity,
            lost: case.unmet[i] - base.unmet[i],
        })
        .collect();
    let n_links = ds.links.len();
    let mut reroutes: Vec<Reroute> = Vec::new();
    if !case.flow.is_empty() && !base.flow.is_empty() {
        for (slot, &c) in engine.commodities().iter().enumerate() {
            for l in ds.link_ids() {
                let change =
                    case.flow[slot * n_links + l.idx()] - base.flow[slot * n_links + l.idx()];
                if change > eps {
                    reroutes.push(Reroute {
                        link: l,
                        commodity: c,
                        change,
                    });
                }
            }
        }
        // Compared in display units, so that a bcm of gas and a Mt of crude weigh alike, as shown.
        let shown = |r: &Reroute| r.change * ds.commodity(r.commodity).base_to_display();
        reroutes.sort_by(|a, b| {
            shown(b)
                .total_cmp(&shown(a))
                .then_with(|| ds.link(a.link).id.cmp(&ds.link(b.link).id))
        });
        reroutes.truncate(3);
    }
    Contingency {
        rank: 0,
        elements: elements.to_vec(),
        lost: per_commodity(engine, |i| (case.unmet[i] - base.unmet[i]).max(0.0)),
        unmet: per_commodity(engine, |i| case.unmet[i]),
        extra_transport_usd: case.transport_cost_usd - base.transport_cost_usd,
        loss_usd: clean_usd(case.objective() - base.objective()),
        synergy_usd: None,
        origins_hit,
        reroutes,
        contracts_relaxed: case.contracts_relaxed,
    }
}

fn clean_usd(v: f64) -> f64 {
    if v.abs() < 1e-3 {
        0.0
    } else {
        v
    }
}

fn rank(dataset: &Dataset, list: &mut [Contingency]) {
    let key = |c: &Contingency| -> Vec<(&str, String)> {
        c.elements
            .iter()
            .map(|e| (e.kind(), e.label(dataset)))
            .collect()
    };
    // Volumes lost in display units (as shown), all commodities together: the tie-break after value.
    let volume = |c: &Contingency| -> f64 {
        c.lost
            .iter()
            .map(|x| x.value * dataset.commodity(x.commodity).base_to_display())
            .sum()
    };
    list.sort_by(|a, b| {
        b.loss_usd
            .total_cmp(&a.loss_usd)
            .then_with(|| volume(b).total_cmp(&volume(a)))
            .then_with(|| key(a).cmp(&key(b)))
    });
    for (i, c) in list.iter_mut().enumerate() {
        c.rank = i + 1;
    }
}

/// Whether any link of `links` carries flow in `case`.
fn uses(engine: &CaseEngine<'_>, case: &CaseOutcome, links: &[LinkId]) -> bool {
    let n = engine.dataset().links.len();
    let eps = 0.5 / FLOW_SCALE;
    (0..engine.commodities().len()).any(|slot| {
        links
            .iter()
            .any(|l| case.flow.get(slot * n + l.idx()).copied().unwrap_or(0.0) > eps)
    })
}

/// Ranks what each element (and, with `k = 2`, each pair) of the scenario's network is worth.
///
/// # Arguments
/// * `solver` — the LP backend, used when the scenario is not a pure single-commodity network.
/// * `reporter` — progress, one step per solved case.
///
/// # Returns
/// Every element ranked by loss, and the pairs with positive synergy ranked by loss. Results do not
/// depend on `config.threads`.
///
/// # Complexity
/// One warm re-solve per element, plus one per pair that the pruning rule cannot settle.
pub fn contingency(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &(dyn LpSolver + Sync),
    config: &ContingencyConfig,
    reporter: &dyn Reporter,
) -> Result<ContingencyResult, AnalysisError> {
    if !(1..=2).contains(&config.k) {
        return Err(AnalysisError::Empty {
            what: format!(
                "k = {} is not supported: use 1 (each element) or 2 (also every pair)",
                config.k
            ),
        });
    }
    let engine = CaseEngine::new(dataset, scenario, solver)?;
    let elements = if config.only.is_empty() {
        scenario_elements(&engine, config.kinds)
    } else {
        config.only.clone()
    };
    let links = elements_links(dataset, &elements, engine.usable_links());
    let n = elements.len();
    let n_pairs = if config.k == 2 {
        n * n.saturating_sub(1) / 2
    } else {
        0
    };
    reporter.start("cases", n as u64);

    let singles: Vec<CaseOutcome> = with_threads(config.threads, || {
        (0..n)
            .into_par_iter()
            .map_init(
                || engine.clone(),
                |eng, i| {
                    let shares: Vec<(LinkId, f64)> = links[i].iter().map(|&l| (l, 0.0)).collect();
                    let out = eng.evaluate(&shares, true);
                    reporter.advance(1);
                    out
                },
            )
            .collect::<Result<Vec<_>, _>>()
    })??;
    reporter.finish();

    let base = engine.base();
    let mut single_results: Vec<Contingency> = elements
        .iter()
        .zip(&singles)
        .map(|(&e, case)| describe(&engine, &[e], case))
        .collect();

    let mut pair_results = Vec::new();
    let mut stats = ContingencyStats {
        elements: n,
        single_solves: n,
        pairs: n_pairs,
        pair_solves: 0,
    };
    if config.k == 2 {
        let subset = |a: &[LinkId], b: &[LinkId]| a.iter().all(|l| b.contains(l));
        let mut todo: Vec<(usize, usize)> = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                if subset(&links[a], &links[b]) || subset(&links[b], &links[a]) {
                    continue;
                }
                // Settled: neither carries base flow (the pair loses nothing), or one element's own
                // optimum does not use the other (the pair loses what that element loses alone).
                let settled = (!uses(&engine, base, &links[a]) && !uses(&engine, base, &links[b]))
                    || !uses(&engine, &singles[a], &links[b])
                    || !uses(&engine, &singles[b], &links[a]);
                if !settled {
                    todo.push((a, b));
                }
            }
        }
        stats.pair_solves = todo.len();
        reporter.start("pairs", todo.len() as u64);
        let solved: Vec<CaseOutcome> = with_threads(config.threads, || {
            todo.par_iter()
                .map_init(
                    || engine.clone(),
                    |eng, &(a, b)| {
                        let shares: Vec<(LinkId, f64)> = links[a]
                            .iter()
                            .chain(&links[b])
                            .map(|&l| (l, 0.0))
                            .collect();
                        let out = eng.evaluate(&shares, true);
                        reporter.advance(1);
                        out
                    },
                )
                .collect::<Result<Vec<_>, _>>()
        })??;
        reporter.finish();
        let tol = 1.0 + 1e-9 * base.objective().abs();
        for (&(a, b), case) in todo.iter().zip(&solved) {
            let mut c = describe(&engine, &[elements[a], elements[b]], case);
            let synergy = c.loss_usd - single_results[a].loss_usd - single_results[b].loss_usd;
            if synergy > tol {
                c.synergy_usd = Some(synergy);
                pair_results.push(c);
            }
        }
        rank(dataset, &mut pair_results);
    }
    rank(dataset, &mut single_results);
    Ok(ContingencyResult {
        year: scenario.year,
        method: engine.method(),
        base: base_case(&engine),
        singles: single_results,
        pairs: pair_results,
        stats,
    })
}
