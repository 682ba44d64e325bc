//! Ranked route listings: the k cheapest (or fastest) loopless routes from origins to markets, by
//! Yen's algorithm, with each route's bottleneck capacity and the countries it crosses.

use crate::network::{route_countries, Territory, UsableArc, UsableNetwork};
use crate::AnalysisError;
use corridor_flow::{k_shortest_paths, ArcIdx, Network, NodeIdx};
use corridor_model::*;

/// Integer resolution of route lengths: thousandths of a USD per base unit, or of a day.
const WEIGHT_SCALE: f64 = 1000.0;

/// What "shortest" means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteMetric {
    /// Sum of tariffs, USD per base unit.
    Cost,
    /// Sum of transit days.
    Days,
}

/// What to list.
#[derive(Clone, Debug)]
pub struct RouteQuery {
    /// The commodity the routes carry (only links carrying it count).
    pub commodity: CommodityId,
    /// The supply nodes a route may start from.
    pub origins: Vec<NodeId>,
    /// The market nodes a route may end at.
    pub markets: Vec<NodeId>,
    /// The year whose links in service apply.
    pub year: i32,
    /// The countries and links a route may use.
    pub territory: Territory,
    /// How many routes to list, over all origins and markets together.
    pub k: usize,
    /// Cheapest or fastest.
    pub metric: RouteMetric,
}

/// One listed route.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedRoute {
    /// Position in the listing, 1 for the best.
    pub rank: usize,
    /// The supply node the route starts at.
    pub origin: NodeId,
    /// The market node it ends at.
    pub market: NodeId,
    /// The commodity it carries.
    pub commodity: CommodityId,
    /// Tariffs summed along the route, USD per base unit.
    pub cost_usd: f64,
    /// Transit times summed along the route, days.
    pub transit_days: f64,
    /// The smallest link capacity on the route for this commodity, base units per year.
    pub bottleneck_capacity: f64,
    /// The link with that smallest capacity.
    pub bottleneck_link: LinkId,
    /// Every country of the nodes and links on the route, in order, origin included.
    pub countries: Vec<CountryCode>,
    /// The links travelled, origin first.
    pub links: Vec<LinkId>,
}

/// The `k` best routes of `query`, best first (ties broken by arc order, so the listing is stable).
pub fn k_routes(dataset: &Dataset, query: &RouteQuery) -> Result<Vec<RankedRoute>, AnalysisError> {
    let c = query.commodity;
    let network = UsableNetwork::build(dataset, query.year, &query.territory, &[], &[]);
    let usable: Vec<(&UsableArc, f64, f64)> = network
        .arcs
        .iter()
        .filter_map(|a| {
            let k = dataset.link(a.link).carriage(c)?;
            (k.capacity_use > 0.0).then(|| (a, k.tariff_usd, a.capacity_base / k.capacity_use))
        })
        .collect();
    // A super source feeding every origin and a super sink fed by every market turn many-to-many into
    // one pair; their arcs weigh nothing and are stripped from the listing.
    let n = dataset.nodes.len();
    let mut net = Network::new(n + 2);
    let (source, sink) = (NodeIdx(n as u32), NodeIdx(n as u32 + 1));
    for a in &usable {
        net.add_arc(NodeIdx(a.0.tail.0), NodeIdx(a.0.head.0), 0, 1, 0)
            .map_err(AnalysisError::flow)?;
    }
    let n_real = usable.len();
    for &o in &query.origins {
        net.add_arc(source, NodeIdx(o.0), 0, 1, 0)
            .map_err(AnalysisError::flow)?;
    }
    for &m in &query.markets {
        if !query.origins.contains(&m) {
            net.add_arc(NodeIdx(m.0), sink, 0, 1, 0)
                .map_err(AnalysisError::flow)?;
        }
    }
    let weight = |arc: ArcIdx| -> Option<u64> {
        let Some(&(a, tariff, _)) = usable.get(arc.idx()) else {
            return Some(0);
        };
        let value = match query.metric {
            RouteMetric::Cost => tariff,
            RouteMetric::Days => dataset.link(a.link).transit_days,
        };
        Some((value * WEIGHT_SCALE).round().max(0.0) as u64)
    };
    let paths = k_shortest_paths(&net, source, sink, query.k, weight);
    let mut out = Vec::new();
    for (rank, path) in paths.iter().enumerate() {
        let arcs: Vec<&(&UsableArc, f64, f64)> = path
            .arcs
            .iter()
            .filter(|a| a.idx() < n_real)
            .map(|a| &usable[a.idx()])
            .collect();
        let (Some(first), Some(last)) = (arcs.first(), arcs.last()) else {
            continue;
        };
        let Some(bottleneck) = arcs.iter().min_by(|a, b| a.2.total_cmp(&b.2)) else {
            continue;
        };
        out.push(RankedRoute {
            rank: rank + 1,
            origin: first.0.tail,
            market: last.0.head,
            commodity: c,
            cost_usd: arcs.iter().map(|a| a.1).sum(),
            transit_days: arcs
                .iter()
                .map(|a| dataset.link(a.0.link).transit_days)
                .sum(),
            bottleneck_capacity: bottleneck.2,
            bottleneck_link: bottleneck.0.link,
            countries: route_countries(arcs.iter().map(|a| a.0)),
            links: arcs.iter().map(|a| a.0.link).collect(),
        });
    }
    Ok(out)
}
