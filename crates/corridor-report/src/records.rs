//! Display records: a typed result of `corridor-analysis` (ids, base units) turned once into what people
//! and JSON read — ids and names as text, volumes in the commodity's display unit with the unit beside
//! them. Tables, the HTML report and `--format json` are built from these; nothing parses them back.
//!
//! Field names are the JSON output's (`docs/output-schemas/`), so they stay stable.

use corridor_analysis::{
    constraint_label, contract_name, Allocation, Amount, Binding, Bypass, CapacityResult,
    CommodityTotals, Constraint, Contingency, ContingencyResult, ContingencyStats,
    ContractShortfall, CountryDependence, CountryTransit, CutElement, CutItem, Distribution,
    DurationModel, IndicesResult, LinkUse, OriginResult, OutageSource, PathwayResult, RankedRoute,
    RiskResult, Route, Timing,
};
use corridor_model::units::Dimension;
use corridor_model::{CommodityId, CountryCode, Dataset, Element, NodeId, Scenario};
use serde::Serialize;

/// A volume in base units per year shown in its commodity's display unit.
pub fn display(dataset: &Dataset, commodity: CommodityId, base: f64) -> f64 {
    base * dataset.commodity(commodity).base_to_display()
}

/// The display unit of a commodity (`Mt/y`, `bcm/y`, `TEU/y`).
pub fn unit(dataset: &Dataset, commodity: CommodityId) -> String {
    dataset.commodity(commodity).display_unit().to_string()
}

/// The base unit of a commodity (`t`, `m3`, `TEU`).
fn base_unit(dataset: &Dataset, commodity: CommodityId) -> String {
    dataset
        .commodity(commodity)
        .dimension
        .base_unit()
        .to_string()
}

fn commodity_id(dataset: &Dataset, commodity: CommodityId) -> String {
    dataset.commodity(commodity).id.clone()
}

fn node_id(dataset: &Dataset, node: NodeId) -> String {
    dataset.node(node).id.clone()
}

/// A country's name from the dataset, empty when it has none.
pub(crate) fn country_name(dataset: &Dataset, country: CountryCode) -> String {
    dataset
        .country(country)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// One way a volume travels from an origin to a market.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RouteRecord {
    /// The origin (supply node) id.
    pub origin: String,
    /// The market node id.
    pub market: String,
    /// The commodity's id.
    pub commodity: String,
    /// In `unit`.
    pub volume: f64,
    /// The display unit of `volume` (`Mt/y`, `bcm/y`, `kTEU/y` …).
    pub unit: String,
    /// Tariffs summed along the route, USD per base unit (`cost_unit`).
    pub cost_usd: f64,
    /// The base unit the cost is per: `t`, `m3` or `TEU`.
    pub cost_unit: String,
    /// Days in transit along the route.
    pub transit_days: f64,
    /// Every country of the nodes and links on the route, in order, origin included.
    pub countries: Vec<String>,
    /// Link ids, in order along the route.
    pub links: Vec<String>,
}

impl RouteRecord {
    /// The record of `route`.
    pub fn new(dataset: &Dataset, route: &Route) -> RouteRecord {
        let c = route.commodity;
        RouteRecord {
            origin: node_id(dataset, route.origin),
            market: node_id(dataset, route.market),
            commodity: commodity_id(dataset, c),
            volume: display(dataset, c, route.volume),
            unit: unit(dataset, c),
            cost_usd: route.cost_usd,
            cost_unit: base_unit(dataset, c),
            transit_days: route.transit_days,
            countries: route.countries.iter().map(|c| c.to_string()).collect(),
            links: route
                .links
                .iter()
                .map(|&l| dataset.link(l).id.clone())
                .collect(),
        }
    }
}

/// What happened to one supply.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OriginRecord {
    /// The origin (supply node) id.
    pub origin: String,
    /// The commodity's id.
    pub commodity: String,
    /// The display unit of the volumes.
    pub unit: String,
    /// Volume the origin supplies, in `unit`.
    pub supplied: f64,
    /// Volume delivered to markets, in `unit`.
    pub delivered: f64,
    /// Supply that reaches no market (at the unmet penalty), in `unit`.
    pub unmet: f64,
    /// Its routes, largest volume first.
    pub routes: Vec<RouteRecord>,
}

impl OriginRecord {
    fn new(dataset: &Dataset, o: &OriginResult) -> OriginRecord {
        let c = o.commodity;
        OriginRecord {
            origin: node_id(dataset, o.origin),
            commodity: commodity_id(dataset, c),
            unit: unit(dataset, c),
            supplied: display(dataset, c, o.supplied),
            delivered: display(dataset, c, o.delivered),
            unmet: display(dataset, c, o.unmet),
            routes: o
                .routes
                .iter()
                .map(|r| RouteRecord::new(dataset, r))
                .collect(),
        }
    }
}

/// Flow and utilisation of a link in one direction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinkUseRecord {
    /// The link's id.
    pub link: String,
    /// The node id this direction starts at.
    pub from: String,
    /// The node id this direction ends at.
    pub to: String,
    /// `(commodity, volume in its display unit)`.
    pub flows: Vec<(String, f64)>,
    /// Capacity used, 0–1.
    pub utilisation: f64,
    /// As written in the dataset (`capacity_unit`), scaled by any derate.
    pub capacity: f64,
    /// The unit of `capacity`, as the dataset writes it.
    pub capacity_unit: String,
}

impl LinkUseRecord {
    fn new(dataset: &Dataset, u: &LinkUse) -> LinkUseRecord {
        let link = dataset.link(u.link);
        LinkUseRecord {
            link: link.id.clone(),
            from: node_id(dataset, u.from),
            to: node_id(dataset, u.to),
            flows: u
                .flows
                .iter()
                .map(|&(c, v)| (commodity_id(dataset, c), display(dataset, c, v)))
                .collect(),
            utilisation: u.utilisation,
            capacity: link.capacity * (u.capacity_base / link.capacity_base.max(f64::MIN_POSITIVE)),
            capacity_unit: link.capacity_unit.to_string(),
        }
    }
}

/// Volume of one commodity entering a country's territory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryTransitRecord {
    /// The ISO code of the country entered.
    pub country: String,
    /// The commodity's id.
    pub commodity: String,
    /// Volume entering the country's territory, in `unit`.
    pub volume: f64,
    /// The commodity's display unit.
    pub unit: String,
    /// Of the commodity's delivered volume.
    pub share: f64,
}

impl CountryTransitRecord {
    fn new(dataset: &Dataset, t: &CountryTransit) -> CountryTransitRecord {
        CountryTransitRecord {
            country: t.country.to_string(),
            commodity: commodity_id(dataset, t.commodity),
            volume: display(dataset, t.commodity, t.volume),
            unit: unit(dataset, t.commodity),
            share: t.share,
        }
    }
}

/// A constraint at its limit and what relaxing it by one unit is worth.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BindingRecord {
    /// `link`, `group`, `contract` or `transit_share`.
    pub kind: String,
    /// The link's, group's or contract's id, `commodity:country` for a transit-share cap.
    pub id: String,
    /// USD saved per year by one more base unit per year of capacity (negative for a contract minimum:
    /// what one unit less would save).
    pub shadow_price_usd: f64,
    /// The unit of the shadow price (`USD per t/y of capacity` …).
    pub unit: String,
}

/// The unit of a constraint's shadow price: USD per base unit per year of what it limits.
pub(crate) fn shadow_price_unit(
    dataset: &Dataset,
    scenario: &Scenario,
    constraint: Constraint,
) -> String {
    match constraint {
        Constraint::Link(l) => {
            let dim = dataset.link(l).capacity_unit.dimension();
            // Oil capacities are written in barrels or tonnes; the LP counts tonnes.
            let base = if dim == Dimension::OilVolume {
                "t".to_string()
            } else {
                dim.base_unit().to_string()
            };
            format!("USD per {base}/y of capacity")
        }
        Constraint::Group(g) => format!(
            "USD per {}/y of capacity",
            dataset.group(g).unit.dimension().base_unit()
        ),
        Constraint::Contract(ci) => format!(
            "USD per {}/y of minimum",
            base_unit(dataset, scenario.contracts[ci].commodity)
        ),
        Constraint::TransitShare(c, _) => format!("USD per {}/y", base_unit(dataset, c)),
    }
}

impl BindingRecord {
    /// The record of `binding` (a contract is named from `scenario`).
    pub fn new(dataset: &Dataset, scenario: &Scenario, b: &Binding) -> BindingRecord {
        BindingRecord {
            kind: b.constraint.kind().to_string(),
            id: constraint_label(dataset, scenario, b.constraint),
            shadow_price_usd: b.shadow_price_usd,
            unit: shadow_price_unit(dataset, scenario, b.constraint),
        }
    }
}

/// Totals of one commodity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalsRecord {
    /// The commodity's id.
    pub commodity: String,
    /// The display unit of the volumes.
    pub unit: String,
    /// Volume supplied, in `unit`.
    pub supplied: f64,
    /// Volume delivered to markets, in `unit`.
    pub delivered: f64,
    /// Supply that reaches no market, in `unit`.
    pub unmet: f64,
}

impl TotalsRecord {
    /// The record of `totals`.
    pub fn new(dataset: &Dataset, t: &CommodityTotals) -> TotalsRecord {
        let c = t.commodity;
        TotalsRecord {
            commodity: commodity_id(dataset, c),
            unit: unit(dataset, c),
            supplied: display(dataset, c, t.supplied),
            delivered: display(dataset, c, t.delivered),
            unmet: display(dataset, c, t.unmet),
        }
    }
}

/// A soft contract minimum the allocation does not meet on one of its links.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShortfallRecord {
    /// The contract's name, or its position when it has none.
    pub contract: String,
    /// The link's id.
    pub link: String,
    /// The contract's commodity's id.
    pub commodity: String,
    /// The minimum and the volume short of it, in `unit`.
    pub minimum: f64,
    /// How much the flow falls short of the minimum, in `unit`.
    pub shortfall: f64,
    /// The commodity's display unit.
    pub unit: String,
    /// The shortfall times the contract's penalty, USD per year.
    pub cost_usd: f64,
}

impl ShortfallRecord {
    fn new(dataset: &Dataset, scenario: &Scenario, s: &ContractShortfall) -> ShortfallRecord {
        let c = s.commodity;
        ShortfallRecord {
            contract: constraint_label(dataset, scenario, Constraint::Contract(s.contract)),
            link: dataset.link(s.link).id.clone(),
            commodity: commodity_id(dataset, c),
            minimum: display(dataset, c, s.minimum),
            shortfall: display(dataset, c, s.shortfall),
            unit: unit(dataset, c),
            cost_usd: s.cost_usd,
        }
    }
}

/// The allocation of a scenario, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AllocationRecord {
    /// The scenario's name.
    pub scenario: String,
    /// The year allocated.
    pub year: i32,
    /// Tariffs + calibrated premiums + penalties − revenue, USD per year.
    pub objective_usd: f64,
    /// Tariffs paid, USD per year.
    pub transport_cost_usd: f64,
    /// Calibrated premiums times flows, USD per year (0 for an uncalibrated run).
    pub premium_usd: f64,
    /// The calibration file the run used, if any.
    pub calibration: Option<String>,
    /// Penalty on unmet supply (the export value lost), USD per year.
    pub unmet_penalty_usd: f64,
    /// Penalties of soft contract minimums not met, USD per year.
    pub shortfall_penalty_usd: f64,
    /// Soft contract minimums missed, with the shortfall and its cost.
    pub shortfalls: Vec<ShortfallRecord>,
    /// Netback revenue at the markets, USD per year.
    pub revenue_usd: f64,
    /// Per commodity: supplied, delivered and unmet volume.
    pub totals: Vec<TotalsRecord>,
    /// Per origin and commodity, with its routes.
    pub origins: Vec<OriginRecord>,
    /// Every link direction that carries flow, busiest first.
    pub links: Vec<LinkUseRecord>,
    /// Volume entering each country, per commodity.
    pub countries: Vec<CountryTransitRecord>,
    /// Constraints at their limit, largest shadow price first.
    pub binding: Vec<BindingRecord>,
    /// `network-simplex` or `lp`.
    pub method: String,
}

impl AllocationRecord {
    /// The record of `allocation`, the answer to `scenario` on `dataset`.
    pub fn new(dataset: &Dataset, scenario: &Scenario, a: &Allocation) -> AllocationRecord {
        AllocationRecord {
            scenario: scenario.name.clone(),
            year: a.year,
            objective_usd: a.objective_usd,
            transport_cost_usd: a.transport_cost_usd,
            premium_usd: a.premium_usd,
            calibration: scenario.calibration.as_ref().map(|c| c.file.clone()),
            unmet_penalty_usd: a.unmet_penalty_usd,
            shortfall_penalty_usd: a.shortfall_penalty_usd,
            shortfalls: a
                .shortfalls
                .iter()
                .map(|s| ShortfallRecord::new(dataset, scenario, s))
                .collect(),
            revenue_usd: a.revenue_usd,
            totals: a
                .totals
                .iter()
                .map(|t| TotalsRecord::new(dataset, t))
                .collect(),
            origins: a
                .origins
                .iter()
                .map(|o| OriginRecord::new(dataset, o))
                .collect(),
            links: a
                .links
                .iter()
                .map(|u| LinkUseRecord::new(dataset, u))
                .collect(),
            countries: a
                .countries
                .iter()
                .map(|t| CountryTransitRecord::new(dataset, t))
                .collect(),
            binding: a
                .binding
                .iter()
                .map(|b| BindingRecord::new(dataset, scenario, b))
                .collect(),
            method: a.method.label().to_string(),
        }
    }
}

/// One element of the minimum cut.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CutRecord {
    /// `link` or `group`.
    pub kind: String,
    /// The link's or group's id.
    pub id: String,
    /// The link's or group's name.
    pub name: String,
    /// Capacity for this commodity, in the result's unit.
    pub capacity: f64,
}

impl CutRecord {
    fn new(dataset: &Dataset, commodity: CommodityId, e: &CutElement) -> CutRecord {
        let (kind, name) = match e.item {
            CutItem::Link(l) => ("link", dataset.link(l).name.clone()),
            CutItem::Group(g) => ("group", dataset.group(g).name.clone()),
        };
        CutRecord {
            kind: kind.to_string(),
            id: e.item.id(dataset).to_string(),
            name,
            capacity: display(dataset, commodity, e.capacity),
        }
    }
}

/// The answer to a capacity question, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityRecord {
    /// The commodity's id.
    pub commodity: String,
    /// The year measured.
    pub year: i32,
    /// The most that can move per year, in `unit`.
    pub capacity: f64,
    /// The commodity's display unit.
    pub unit: String,
    /// The origin node ids.
    pub origins: Vec<String>,
    /// The market node ids.
    pub markets: Vec<String>,
    /// Country codes the question avoids.
    pub avoided: Vec<String>,
    /// Ids of the links and groups in the minimum cut.
    pub bottleneck: Vec<String>,
    /// The minimum cut: the links and groups whose capacities add up to `capacity`.
    pub cut: Vec<CutRecord>,
    /// The routes carrying the capacity, largest volume first.
    pub routes: Vec<RouteRecord>,
    /// `max-flow` (push-relabel) or `lp` (when a shared capacity group needs it).
    pub method: String,
    /// When the capacity is zero: why, in one line each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl CapacityRecord {
    /// The record of `result`.
    pub fn new(dataset: &Dataset, result: &CapacityResult) -> CapacityRecord {
        let c = result.commodity;
        let ids = |nodes: &[NodeId]| nodes.iter().map(|&n| node_id(dataset, n)).collect();
        CapacityRecord {
            commodity: commodity_id(dataset, c),
            year: result.year,
            capacity: display(dataset, c, result.capacity),
            unit: unit(dataset, c),
            origins: ids(&result.origins),
            markets: ids(&result.markets),
            avoided: result.avoided.iter().map(|c| c.to_string()).collect(),
            bottleneck: result
                .cut
                .iter()
                .map(|e| e.item.id(dataset).to_string())
                .collect(),
            cut: result
                .cut
                .iter()
                .map(|e| CutRecord::new(dataset, c, e))
                .collect(),
            routes: result
                .routes
                .iter()
                .map(|r| RouteRecord::new(dataset, r))
                .collect(),
            method: result.method.label().to_string(),
            reasons: result.reasons.clone(),
        }
    }
}

/// The effect of closing one country to a capacity question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DependenceRecord {
    /// The ISO code of the country closed.
    pub country: String,
    /// The country's name (empty when the dataset has none).
    pub name: String,
    /// Capacity left without the country, in the question's unit.
    pub capacity_without: f64,
    /// Capacity lost, in the question's unit.
    pub lost: f64,
    /// Lost share of the capacity, 0–1.
    pub share_lost: f64,
}

impl DependenceRecord {
    /// The record of `d`, an answer about `commodity`.
    pub fn new(
        dataset: &Dataset,
        commodity: CommodityId,
        d: &CountryDependence,
    ) -> DependenceRecord {
        DependenceRecord {
            country: d.country.to_string(),
            name: country_name(dataset, d.country),
            capacity_without: display(dataset, commodity, d.capacity_without),
            lost: display(dataset, commodity, d.lost),
            share_lost: d.share_lost,
        }
    }
}

/// The bypass capacity of one commodity and what it depends on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BypassRecord {
    /// What the scenario's supplies can move: capacity left after other shippers' volumes.
    pub capacity: CapacityRecord,
    /// The same question on nameplate capacities, when the scenario has background flows that lower it.
    pub nameplate: Option<CapacityRecord>,
    /// Empty unless asked for.
    pub dependence: Vec<DependenceRecord>,
}

impl BypassRecord {
    /// The record of `bypass`.
    pub fn new(dataset: &Dataset, bypass: &Bypass) -> BypassRecord {
        let c = bypass.capacity.commodity;
        BypassRecord {
            capacity: CapacityRecord::new(dataset, &bypass.capacity),
            nameplate: bypass
                .nameplate
                .as_ref()
                .map(|n| CapacityRecord::new(dataset, n)),
            dependence: bypass
                .dependence
                .iter()
                .map(|d| DependenceRecord::new(dataset, c, d))
                .collect(),
        }
    }
}

/// A volume of one commodity in its display unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AmountRecord {
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// Volume per year, in `unit`.
    pub value: f64,
}

impl AmountRecord {
    fn new(dataset: &Dataset, a: &Amount) -> AmountRecord {
        AmountRecord {
            commodity: commodity_id(dataset, a.commodity),
            unit: unit(dataset, a.commodity),
            value: display(dataset, a.commodity, a.value),
        }
    }

    fn all(dataset: &Dataset, amounts: &[Amount]) -> Vec<AmountRecord> {
        amounts
            .iter()
            .map(|a| AmountRecord::new(dataset, a))
            .collect()
    }
}

/// An element as shown to people: its kind, id and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ElementRef {
    /// `link`, `node`, `country`, `chokepoint` or `event`.
    pub kind: String,
    /// The element's id in the dataset (a country's ISO code, an event's id).
    pub id: String,
    /// The element's name as the dataset gives it (empty for a country the dataset does not name).
    pub name: String,
}

/// The kind, id and name of `element`.
pub fn element_ref(dataset: &Dataset, element: Element) -> ElementRef {
    let name = match element {
        Element::Link(l) => dataset.link(l).name.clone(),
        Element::Node(n) => dataset.node(n).name.clone(),
        Element::Country(c) => dataset
            .country(c)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        Element::Chokepoint(k) => dataset.chokepoint(k).name.clone(),
    };
    ElementRef {
        kind: element.kind().to_string(),
        id: element.label(dataset),
        name,
    }
}

/// Volume an origin loses in a case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OriginLossRecord {
    /// The origin (supply node) id.
    pub origin: String,
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// Delivered volume the origin loses, in `unit`.
    pub lost: f64,
}

/// A link that carries more in a case than in the base.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RerouteRecord {
    /// The link's id.
    pub link: String,
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// Extra volume, in `unit`.
    pub change: f64,
}

/// One contingency case, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContingencyRecord {
    /// The position in its list by `loss_usd`, from 1.
    pub rank: usize,
    /// The elements taken out (one, or two for a pair).
    pub elements: Vec<ElementRef>,
    /// Deliveries lost (the rise of unmet volume) per commodity.
    pub lost: Vec<AmountRecord>,
    /// Unmet volume in the case, per commodity.
    pub unmet: Vec<AmountRecord>,
    /// Change of tariffs paid, USD per year.
    pub extra_transport_usd: f64,
    /// Rise of the objective, USD per year: the ranking key.
    pub loss_usd: f64,
    /// Pairs only: `loss_usd` minus the two elements' own losses.
    pub synergy_usd: Option<f64>,
    /// The origins that deliver less, largest loss first.
    pub origins_hit: Vec<OriginLossRecord>,
    /// The links whose flow rises most: where the volume moves to.
    pub reroutes: Vec<RerouteRecord>,
    /// Contract minimums could not be met and were dropped for this case.
    pub contracts_relaxed: bool,
}

impl ContingencyRecord {
    fn new(dataset: &Dataset, c: &Contingency) -> ContingencyRecord {
        ContingencyRecord {
            rank: c.rank,
            elements: c
                .elements
                .iter()
                .map(|&e| element_ref(dataset, e))
                .collect(),
            lost: AmountRecord::all(dataset, &c.lost),
            unmet: AmountRecord::all(dataset, &c.unmet),
            extra_transport_usd: c.extra_transport_usd,
            loss_usd: c.loss_usd,
            synergy_usd: c.synergy_usd,
            origins_hit: c
                .origins_hit
                .iter()
                .map(|o| OriginLossRecord {
                    origin: node_id(dataset, o.origin),
                    commodity: commodity_id(dataset, o.commodity),
                    unit: unit(dataset, o.commodity),
                    lost: display(dataset, o.commodity, o.lost),
                })
                .collect(),
            reroutes: c
                .reroutes
                .iter()
                .map(|r| RerouteRecord {
                    link: dataset.link(r.link).id.clone(),
                    commodity: commodity_id(dataset, r.commodity),
                    unit: unit(dataset, r.commodity),
                    change: display(dataset, r.commodity, r.change),
                })
                .collect(),
            contracts_relaxed: c.contracts_relaxed,
        }
    }
}

/// The base case of a contingency analysis, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BaseCaseRecord {
    /// Delivered volume per commodity.
    pub delivered: Vec<AmountRecord>,
    /// Unmet volume per commodity.
    pub unmet: Vec<AmountRecord>,
    /// Tariffs paid, USD per year.
    pub transport_cost_usd: f64,
    /// Tariffs + unmet penalties − netback revenue, USD per year.
    pub objective_usd: f64,
}

/// A contingency analysis, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContingencyResultRecord {
    /// The scenario's name.
    pub scenario: String,
    /// The year analysed.
    pub year: i32,
    /// `network-simplex` (warm re-solves from the base basis) or `lp`.
    pub method: String,
    /// The base case every contingency is compared with.
    pub base: BaseCaseRecord,
    /// Each element out on its own, ranked by loss (largest first).
    pub singles: Vec<ContingencyRecord>,
    /// Pairs worse than their parts, ranked by loss; empty unless pairs were asked for.
    pub pairs: Vec<ContingencyRecord>,
    /// How many elements, pairs and solves the analysis took.
    pub stats: ContingencyStats,
}

impl ContingencyResultRecord {
    /// The record of `r`, the answer to `scenario`.
    pub fn new(dataset: &Dataset, scenario: &Scenario, r: &ContingencyResult) -> Self {
        let cases = |list: &[Contingency]| {
            list.iter()
                .map(|c| ContingencyRecord::new(dataset, c))
                .collect()
        };
        ContingencyResultRecord {
            scenario: scenario.name.clone(),
            year: r.year,
            method: r.method.label().to_string(),
            base: BaseCaseRecord {
                delivered: AmountRecord::all(dataset, &r.base.delivered),
                unmet: AmountRecord::all(dataset, &r.base.unmet),
                transport_cost_usd: r.base.transport_cost_usd,
                objective_usd: r.base.objective_usd,
            },
            singles: cases(&r.singles),
            pairs: cases(&r.pairs),
            stats: r.stats.clone(),
        }
    }
}

/// A country path and its share of an origin's deliveries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorridorShareRecord {
    /// Countries after the origin's, e.g. `AZ→GE→TR`; `(domestic)` when none.
    pub path: String,
    /// Volume on the path, in the origin's unit.
    pub volume: f64,
    /// Of the origin's delivered volume, 0–1.
    pub share: f64,
}

/// A country path as shown: `AZ→GE→TR`, or `(domestic)`.
pub(crate) fn country_path(path: &[CountryCode]) -> String {
    if path.is_empty() {
        "(domestic)".to_string()
    } else {
        path.iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("→")
    }
}

/// One country on an origin's routes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryShareRecord {
    /// The ISO code of the country crossed.
    pub country: String,
    /// Volume crossing it, in the origin's unit.
    pub volume: f64,
    /// Of the origin's delivered volume.
    pub share: f64,
    /// Share of the origin's base deliveries still delivered without this country.
    pub bypass_ratio: Option<f64>,
}

/// Indices of one origin and commodity, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OriginIndicesRecord {
    /// The origin (supply node) id.
    pub origin: String,
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// Volume delivered, in `unit`.
    pub delivered: f64,
    /// HHI over country paths (0–1).
    pub hhi_routes: f64,
    /// HHI over the countries crossed (0–1).
    pub hhi_countries: f64,
    /// The origin's country paths, largest share first.
    pub corridors: Vec<CorridorShareRecord>,
    /// The countries its deliveries cross, with the bypass ratio.
    pub countries: Vec<CountryShareRecord>,
}

/// A country's hold over the scenario's flows, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryLeverageRecord {
    /// The ISO code of the country.
    pub country: String,
    /// The country's name (empty when the dataset has none).
    pub name: String,
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit, of `transit`, `leverage` and `origins_hit`.
    pub unit: String,
    /// Volume crossing it in the base allocation.
    pub transit: f64,
    /// Volume lost without it.
    pub leverage: f64,
    /// `leverage` over the commodity's base deliveries.
    pub share_of_delivered: f64,
    /// `(origin, volume lost)`, largest first.
    pub origins_hit: Vec<(String, f64)>,
}

/// Dependence indices, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicesRecord {
    /// The scenario's name.
    pub scenario: String,
    /// The year analysed.
    pub year: i32,
    /// Solver of the country cases (`network-simplex` or `lp`).
    pub method: String,
    /// Per origin and commodity, in origin order.
    pub origins: Vec<OriginIndicesRecord>,
    /// Ranked by leverage, largest first.
    pub leverage: Vec<CountryLeverageRecord>,
}

impl IndicesRecord {
    /// The record of `r`, the answer to `scenario`.
    pub fn new(dataset: &Dataset, scenario: &Scenario, r: &IndicesResult) -> IndicesRecord {
        let origins = r
            .origins
            .iter()
            .map(|o| {
                let c = o.commodity;
                OriginIndicesRecord {
                    origin: node_id(dataset, o.origin),
                    commodity: commodity_id(dataset, c),
                    unit: unit(dataset, c),
                    delivered: display(dataset, c, o.delivered),
                    hhi_routes: o.hhi_routes,
                    hhi_countries: o.hhi_countries,
                    corridors: o
                        .corridors
                        .iter()
                        .map(|k| CorridorShareRecord {
                            path: country_path(&k.path),
                            volume: display(dataset, c, k.volume),
                            share: k.share,
                        })
                        .collect(),
                    countries: o
                        .countries
                        .iter()
                        .map(|k| CountryShareRecord {
                            country: k.country.to_string(),
                            volume: display(dataset, c, k.volume),
                            share: k.share,
                            bypass_ratio: k.bypass_ratio,
                        })
                        .collect(),
                }
            })
            .collect();
        let leverage = r
            .leverage
            .iter()
            .map(|l| {
                let c = l.commodity;
                CountryLeverageRecord {
                    country: l.country.to_string(),
                    name: country_name(dataset, l.country),
                    commodity: commodity_id(dataset, c),
                    unit: unit(dataset, c),
                    transit: display(dataset, c, l.transit),
                    leverage: display(dataset, c, l.leverage),
                    share_of_delivered: l.share_of_delivered,
                    origins_hit: l
                        .origins_hit
                        .iter()
                        .map(|&(n, v)| (node_id(dataset, n), display(dataset, c, v)))
                        .collect(),
                }
            })
            .collect();
        IndicesRecord {
            scenario: scenario.name.clone(),
            year: r.year,
            method: r.method.label().to_string(),
            origins,
            leverage,
        }
    }
}

/// The bypass capacity of one commodity in one year, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BypassYearRecord {
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// The bypass capacity, in `unit`.
    pub capacity: f64,
    /// Ids of the links and groups in its minimum cut.
    pub bottleneck: Vec<String>,
}

/// A contract's floor and ceiling in one year, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContractYearRecord {
    /// The contract's name, or its position when it has none.
    pub name: String,
    /// The contract's commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// The contract's minimum that year, in `unit`.
    pub min_volume: f64,
    /// `None` when the contract has no ceiling.
    pub max_volume: Option<f64>,
}

/// One year of a pathway, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathwayYearRecord {
    /// The calendar year.
    pub year: i32,
    /// Why the year has no allocation; `None` when it solved.
    pub error: Option<String>,
    /// Per commodity: supplied, delivered and unmet volume (empty when `error`).
    pub totals: Vec<TotalsRecord>,
    /// Tariffs paid, USD per year.
    pub transport_cost_usd: f64,
    /// The allocation's binding constraints, largest shadow price first.
    pub binding: Vec<BindingRecord>,
    /// The bypass capacity of each commodity.
    pub bypass: Vec<BypassYearRecord>,
    /// Every contract's floor and ceiling that year.
    pub contracts: Vec<ContractYearRecord>,
    /// The routes of the year's least-cost allocation, every origin's.
    pub routes: Vec<RouteRecord>,
}

/// A constraint that binds in some year, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BottleneckRecord {
    /// `allocation` or `bypass`.
    pub role: String,
    /// `link`, `group`, `contract` or `transit_share`.
    pub kind: String,
    /// The link's, group's or contract's id, `commodity:country` for a transit-share cap.
    pub id: String,
    /// The first year it binds.
    pub first_year: i32,
    /// Every year it binds, in order.
    pub years: Vec<i32>,
    /// Allocation bottlenecks: the shadow price in the first year, USD per base unit per year.
    pub shadow_price_usd: Option<f64>,
}

/// A pathway, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathwayRecord {
    /// The scenario's name.
    pub scenario: String,
    /// The first year of the pathway.
    pub first_year: i32,
    /// The last year of the pathway.
    pub last_year: i32,
    /// Country codes the bypass avoids.
    pub avoided: Vec<String>,
    /// One entry per year, in order.
    pub years: Vec<PathwayYearRecord>,
    /// Each bottleneck with the first year it binds, earliest first.
    pub bottlenecks: Vec<BottleneckRecord>,
}

impl PathwayRecord {
    /// The record of `r`, the pathway of `scenario`.
    pub fn new(dataset: &Dataset, scenario: &Scenario, r: &PathwayResult) -> PathwayRecord {
        let years = r
            .years
            .iter()
            .map(|y| PathwayYearRecord {
                year: y.year,
                error: y.error.clone(),
                totals: y
                    .totals
                    .iter()
                    .map(|t| TotalsRecord::new(dataset, t))
                    .collect(),
                transport_cost_usd: y.transport_cost_usd,
                binding: y
                    .binding
                    .iter()
                    .map(|b| BindingRecord::new(dataset, scenario, b))
                    .collect(),
                bypass: y
                    .bypass
                    .iter()
                    .map(|b| BypassYearRecord {
                        commodity: commodity_id(dataset, b.commodity),
                        unit: unit(dataset, b.commodity),
                        capacity: display(dataset, b.commodity, b.capacity),
                        bottleneck: b
                            .bottleneck
                            .iter()
                            .map(|i| i.id(dataset).to_string())
                            .collect(),
                    })
                    .collect(),
                contracts: y
                    .contracts
                    .iter()
                    .map(|k| ContractYearRecord {
                        name: contract_name(scenario, k.contract),
                        commodity: commodity_id(dataset, k.commodity),
                        unit: unit(dataset, k.commodity),
                        min_volume: display(dataset, k.commodity, k.min_volume),
                        max_volume: k.max_volume.map(|v| display(dataset, k.commodity, v)),
                    })
                    .collect(),
                routes: y
                    .routes
                    .iter()
                    .map(|r| RouteRecord::new(dataset, r))
                    .collect(),
            })
            .collect();
        PathwayRecord {
            scenario: scenario.name.clone(),
            first_year: r.first_year,
            last_year: r.last_year,
            avoided: r.avoided.iter().map(|c| c.to_string()).collect(),
            years,
            bottlenecks: r
                .bottlenecks
                .iter()
                .map(|b| BottleneckRecord {
                    role: b.role.label().to_string(),
                    kind: b.constraint.kind().to_string(),
                    id: constraint_label(dataset, scenario, b.constraint),
                    first_year: b.first_year,
                    years: b.years.clone(),
                    shadow_price_usd: b.shadow_price_usd,
                })
                .collect(),
        }
    }
}

/// One listed route of `corridor routes`, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedRouteRecord {
    /// The position in the listing, from 1 for the best.
    pub rank: usize,
    /// The origin (supply node) id.
    pub origin: String,
    /// The market node id.
    pub market: String,
    /// Tariffs summed along the route, USD per base unit (`cost_unit`).
    pub cost_usd: f64,
    /// The base unit the cost is per: `t`, `m3` or `TEU`.
    pub cost_unit: String,
    /// Days in transit along the route.
    pub transit_days: f64,
    /// The smallest link capacity on the route for this commodity, in `unit`.
    pub bottleneck_capacity: f64,
    /// The id of the link with the smallest capacity.
    pub bottleneck_link: String,
    /// The commodity's display unit, of `bottleneck_capacity`.
    pub unit: String,
    /// ISO codes of every country on the route, in order, origin's included.
    pub countries: Vec<String>,
    /// Link ids, in order along the route.
    pub links: Vec<String>,
}

impl RankedRouteRecord {
    /// The record of `r`.
    pub fn new(dataset: &Dataset, r: &RankedRoute) -> RankedRouteRecord {
        let c = r.commodity;
        RankedRouteRecord {
            rank: r.rank,
            origin: node_id(dataset, r.origin),
            market: node_id(dataset, r.market),
            cost_usd: r.cost_usd,
            cost_unit: base_unit(dataset, c),
            transit_days: r.transit_days,
            bottleneck_capacity: display(dataset, c, r.bottleneck_capacity),
            bottleneck_link: dataset.link(r.bottleneck_link).id.clone(),
            unit: unit(dataset, c),
            countries: r.countries.iter().map(|c| c.to_string()).collect(),
            links: r
                .links
                .iter()
                .map(|&l| dataset.link(l).id.clone())
                .collect(),
        }
    }
}

/// Unmet volume of one origin and commodity over the sampled years, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OriginRiskRecord {
    /// The supply node's id.
    pub origin: String,
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// Supplied volume, in `unit`.
    pub supplied: f64,
    /// Unmet volume in the base case, in `unit`.
    pub base_unmet: f64,
    /// Unmet volume, in `unit`.
    pub unmet: Distribution,
    /// Unmet volume × the unmet penalty, MUSD per year.
    pub unmet_cost_musd: Distribution,
}

/// Unmet volume of one commodity, all origins together, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommodityRiskRecord {
    /// The commodity's id.
    pub commodity: String,
    /// The commodity's display unit.
    pub unit: String,
    /// Supplied volume, in `unit`.
    pub supplied: f64,
    /// Unmet volume, in `unit`.
    pub unmet: Distribution,
    /// Unmet volume × the unmet penalty, MUSD per year.
    pub unmet_cost_musd: Distribution,
}

/// An outage source behind the worst years, as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TailContributorRecord {
    /// `link` or `event`.
    pub kind: String,
    /// The link's or event's id in the dataset.
    pub id: String,
    /// The link's or event's name.
    pub name: String,
    /// Probability of failing in a year, 0–1.
    pub annual_prob: f64,
    /// Share of tail samples in which it failed.
    pub tail_frequency: f64,
    /// Share of all samples in which it failed.
    pub frequency: f64,
    /// `tail_frequency / frequency`.
    pub lift: f64,
    /// Mean outage days in the tail samples where it failed.
    pub mean_days_in_tail: f64,
}

/// A Monte Carlo risk run, as shown. Built from the run's context alone, so a merge of shards shows
/// without the dataset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskRecord {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario year sampled.
    pub year: i32,
    /// The dataset's id.
    pub dataset: String,
    /// The re-solve method (`network-simplex` or `lp`).
    pub method: String,
    /// Samples run.
    pub samples: u64,
    /// The run's seed.
    pub seed: u64,
    /// How outage durations were drawn.
    pub durations: DurationModel,
    /// How outages entered a sampled year.
    pub timing: Timing,
    /// The hash every shard of the run shares.
    pub fingerprint: String,
    /// Allocations solved over all samples.
    pub solves: u64,
    /// Unmet volume per origin and commodity.
    pub origins: Vec<OriginRiskRecord>,
    /// Unmet volume per commodity, all origins together.
    pub commodities: Vec<CommodityRiskRecord>,
    /// Tariffs paid, MUSD per year.
    pub transport_cost_musd: Distribution,
    /// Rise of the objective over the base case, MUSD per year.
    pub loss_musd: Distribution,
    /// The share of worst samples examined.
    pub tail_share: f64,
    /// How many samples the tail holds.
    pub tail_samples: u64,
    /// The outage sources behind the worst years, most over-represented first.
    pub tail: Vec<TailContributorRecord>,
    /// Samples where contract minimums had to be dropped.
    pub contracts_relaxed_samples: u64,
    /// The outage assumptions used.
    pub sources: Vec<OutageSource>,
}

impl RiskRecord {
    /// The record of `r`.
    pub fn new(r: &RiskResult) -> RiskRecord {
        let c = &r.context;
        let origins = r
            .origins
            .iter()
            .map(|o| {
                let slot = &c.origins[o.slot];
                let k = slot.display_per_base;
                OriginRiskRecord {
                    origin: slot.origin.clone(),
                    commodity: slot.commodity.clone(),
                    unit: slot.unit.clone(),
                    supplied: slot.supplied * k,
                    base_unmet: slot.base_unmet * k,
                    unmet: o.unmet.scaled(k),
                    unmet_cost_musd: o.unmet_cost_musd,
                }
            })
            .collect();
        let commodities = r
            .commodities
            .iter()
            .filter_map(|m| {
                let first = &c.origins[*m.slots.first()?];
                let k = first.display_per_base;
                Some(CommodityRiskRecord {
                    commodity: first.commodity.clone(),
                    unit: first.unit.clone(),
                    supplied: m.supplied * k,
                    unmet: m.unmet.scaled(k),
                    unmet_cost_musd: m.unmet_cost_musd,
                })
            })
            .collect();
        let tail = r
            .tail
            .iter()
            .map(|t| {
                let s = &c.sources[t.source];
                TailContributorRecord {
                    kind: s.kind.clone(),
                    id: s.id.clone(),
                    name: s.name.clone(),
                    annual_prob: s.annual_prob,
                    tail_frequency: t.tail_frequency,
                    frequency: t.frequency,
                    lift: t.lift,
                    mean_days_in_tail: t.mean_days_in_tail,
                }
            })
            .collect();
        RiskRecord {
            scenario: c.scenario.clone(),
            year: c.year,
            dataset: c.dataset.clone(),
            method: c.method.clone(),
            samples: c.samples,
            seed: c.seed,
            durations: c.durations,
            timing: c.timing,
            fingerprint: c.fingerprint.clone(),
            solves: r.solves,
            origins,
            commodities,
            transport_cost_musd: r.transport_cost_musd,
            loss_musd: r.loss_musd,
            tail_share: c.tail_share,
            tail_samples: r.tail_samples,
            tail,
            contracts_relaxed_samples: r.contracts_relaxed_samples,
            sources: c.sources.clone(),
        }
    }
}
