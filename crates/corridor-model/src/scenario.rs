//! What to ask of a dataset: who supplies what, who buys it, and what rules and outages apply.

use crate::dataset::Dataset;
use crate::diagnostic::Location;
use crate::ids::*;
use std::collections::BTreeSet;

/// Volume that an origin offers for export in the scenario year.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Supply {
    /// The origin that offers the volume.
    pub node: NodeId,
    /// What it offers.
    pub commodity: CommodityId,
    /// Base units per year.
    pub volume: f64,
    /// USD per base unit left unserved, overriding the scenario's penalty for this supply.
    pub unmet_penalty_usd: Option<f64>,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A place that takes a commodity, optionally up to a limit and at a netback price.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Market {
    /// Where the market is.
    pub node: NodeId,
    /// What it takes.
    pub commodity: CommodityId,
    /// Base units per year; `None` means the market takes any volume.
    pub limit: Option<f64>,
    /// USD per base unit received at this market; higher prices attract volume.
    pub price_usd: Option<f64>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A ceiling on the share of one commodity's delivered volume that may cross any single transit country.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TransitShareCap {
    /// The commodity whose deliveries are capped.
    pub commodity: CommodityId,
    /// Between 0 and 1.
    pub share: f64,
}

/// Political rules on which territory flows may cross.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Policy {
    /// Countries no flow may cross (origins and markets included).
    pub avoid_countries: Vec<CountryCode>,
    /// Blocs whose members no flow may cross.
    pub avoid_blocs: Vec<BlocId>,
    /// Transit only through members of this bloc; origin and market countries stay allowed.
    pub only_via_bloc: Option<BlocId>,
    /// With `only_via_bloc`: members of these blocs may be crossed too (e.g. the EU besides the OTS).
    pub also_via_blocs: Vec<BlocId>,
    /// With `only_via_bloc`: these countries may be crossed too (e.g. Georgia).
    pub also_via_countries: Vec<CountryCode>,
    /// Caps on how much of a commodity may cross any one transit country.
    pub max_transit_share: Vec<TransitShareCap>,
}

impl Policy {
    /// Whether the policy restricts nothing (the allowances `also_via_*` only matter with `only_via_bloc`).
    pub fn is_empty(&self) -> bool {
        self.avoid_countries.is_empty()
            && self.avoid_blocs.is_empty()
            && self.only_via_bloc.is_none()
            && self.max_transit_share.is_empty()
    }
}

/// A volume that must (floor) or may at most (ceiling) move over each of the listed links, as an
/// agreement is written: a transit minimum, or an "up to" quota.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Contract {
    /// The agreement's name, as reports show it.
    pub name: String,
    /// The links the volume must (or may) move over, each of them.
    pub links: Vec<LinkId>,
    /// The commodity it binds.
    pub commodity: CommodityId,
    /// Base units per year; 0 when the contract only sets a ceiling.
    pub min_volume: f64,
    /// Base units per year; `None` when the contract sets no ceiling.
    pub max_volume: Option<f64>,
    /// A soft minimum: USD per base unit short of it. The answer then reports the shortfall and its cost
    /// instead of "infeasible". `None`: the minimum is hard.
    pub shortfall_penalty_usd: Option<f64>,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// What an outage hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// One link.
    Link(LinkId),
    /// One node, with every link that starts or ends there.
    Node(NodeId),
    /// Every link and node on the country's territory.
    Country(CountryCode),
    /// A strait or canal: every sea leg that passes it.
    Chokepoint(ChokepointId),
}

impl Element {
    /// A human label: the link or node id, or the country code.
    pub fn label(&self, dataset: &Dataset) -> String {
        match *self {
            Element::Link(l) => dataset.link(l).id.clone(),
            Element::Node(n) => dataset.node(n).id.clone(),
            Element::Country(c) => c.to_string(),
            Element::Chokepoint(k) => dataset.chokepoint(k).id.clone(),
        }
    }

    /// What kind of element it is (`link`, `node`, `country`, `chokepoint`), for labels and output fields.
    pub fn kind(&self) -> &'static str {
        match self {
            Element::Link(_) => "link",
            Element::Node(_) => "node",
            Element::Country(_) => "country",
            Element::Chokepoint(_) => "chokepoint",
        }
    }

    /// Whether this element takes `link` out of the network (a node takes its links, a country the
    /// links that touch its territory).
    pub fn hits_link(&self, dataset: &Dataset, link: LinkId) -> bool {
        match *self {
            Element::Link(l) => l == link,
            Element::Node(n) => {
                let l = dataset.link(link);
                l.from == n || l.to == n
            }
            Element::Country(c) => dataset.link_countries(link).contains(&c),
            Element::Chokepoint(k) => dataset.chokepoint(k).links.contains(&link),
        }
    }
}

/// An element out of service (100 %) or derated by a percentage of its capacity.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Disruption {
    /// What is hit.
    pub element: Element,
    /// 0–100: the share of capacity lost.
    pub derate_pct: f64,
    /// The years it applies in (e.g. a 2022 terminal outage averaged over that year); empty means every
    /// year the scenario is moved to.
    pub years: Vec<i32>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl Disruption {
    /// Whether the disruption is in force in `year`.
    pub fn applies_in(&self, year: i32) -> bool {
        self.years.is_empty() || self.years.contains(&year)
    }
}

/// Volume that shippers outside the scenario move over links the scenario uses (Azerbaijan's own crude in
/// BTC, Russian crude in CPC): it occupies capacity the scenario's supplies cannot use.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BackgroundFlow {
    /// The shippers' name, as reports show it.
    pub name: String,
    /// The links the volume occupies, each of them.
    pub links: Vec<LinkId>,
    /// The commodity moved.
    pub commodity: CommodityId,
    /// Base units per year.
    pub volume: f64,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// An implied premium: a cost per base unit on a link that tariffs do not show (contracts, shareholdings,
/// quality bank, netback differences, politics), found by calibrating to observed flows. Negative values
/// are discounts: the route is worth more to shippers than its tariffs suggest.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Premium {
    /// The link the premium applies on.
    pub link: LinkId,
    /// The commodity it applies to.
    pub commodity: CommodityId,
    /// USD per base unit; negative for a discount.
    pub usd_per_unit: f64,
}

/// The flow of the calibrated baseline over one link, which the solver prefers among equally cheap answers.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct ReferenceFlow {
    /// The link the flow runs over.
    pub link: LinkId,
    /// True for the `to → from` direction of a two-way link.
    pub reverse: bool,
    /// The commodity that flows.
    pub commodity: CommodityId,
    /// Base units per year.
    pub volume: f64,
}

/// A calibration a scenario includes: premiums that make the observed flows of `year` the least-cost
/// allocation, and the completed baseline flows.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Calibration {
    /// As the scenario names it.
    pub file: String,
    /// The year whose observations it was fitted to.
    pub year: i32,
    /// The fitted premiums, one per link and commodity that needed one.
    pub premiums: Vec<Premium>,
    /// The baseline flows the tie-break pulls towards.
    pub reference: Vec<ReferenceFlow>,
    /// USD per base unit: moving away from the reference costs this much, so that among allocations of equal
    /// calibrated cost the one closest to the observed baseline is chosen (linear costs alone cannot say how
    /// one origin splits between two routes that both have room).
    pub tie_break_usd: f64,
}

impl Calibration {
    /// The premium on `link` for `commodity`, 0 when none was fitted.
    pub fn premium(&self, link: LinkId, commodity: CommodityId) -> f64 {
        self.premiums
            .iter()
            .find(|p| p.link == link && p.commodity == commodity)
            .map_or(0.0, |p| p.usd_per_unit)
    }

    /// The reference flow over one direction of `link`, 0 when none.
    pub fn reference_flow(&self, link: LinkId, reverse: bool, commodity: CommodityId) -> f64 {
        self.reference
            .iter()
            .find(|r| r.link == link && r.reverse == reverse && r.commodity == commodity)
            .map_or(0.0, |r| r.volume)
    }
}

/// What a scenario's bypass question leaves out, and why: links whose capacity is no answer to the
/// question (the deep-sea route's placeholder capacity when the question is what the overland and
/// Trans-Caspian routes can carry).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct BypassScope {
    /// The links the bypass question treats as out of service.
    pub leave_out: Vec<LinkId>,
    /// Why, as reports explain it.
    pub reason: String,
}

impl Scenario {
    /// The disruptions a bypass question runs under: the scenario's own, and the links its `[bypass]`
    /// leaves out as full outages.
    pub fn bypass_disruptions(&self) -> Vec<Disruption> {
        let mut out = self.disruptions.clone();
        out.extend(self.bypass.leave_out.iter().map(|&l| Disruption {
            element: Element::Link(l),
            derate_pct: 100.0,
            years: Vec::new(),
            location: self.location.clone(),
        }));
        out
    }
}

/// A question put to a dataset for one year.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Scenario {
    /// The scenario's name, as reports and the web app show it.
    pub name: String,
    /// What the scenario asks, in a sentence or two.
    pub description: String,
    /// As written: `caspian` or a folder path.
    pub dataset: String,
    /// The year the question is asked for.
    pub year: i32,
    /// USD per base unit of supply left unserved.
    pub unmet_penalty_usd: f64,
    /// What the origins offer.
    pub supplies: Vec<Supply>,
    /// Who takes it.
    pub markets: Vec<Market>,
    /// Which territory flows may cross.
    pub policy: Policy,
    /// Volumes that must or may at most move over given links.
    pub contracts: Vec<Contract>,
    /// Elements out of service or derated.
    pub disruptions: Vec<Disruption>,
    /// `[bypass]`: what the bypass question (`run`, `report`, `capacity --scenario`) leaves out.
    pub bypass: BypassScope,
    /// How supplies, contract minimums and market limits change from year to year (for pathways).
    pub growth: Vec<Growth>,
    /// Capacity taken by shippers outside the scenario.
    pub background: Vec<BackgroundFlow>,
    /// Whose shipments the scenario models, for comparing with observed flows (`KZ`: Kazakh crude only).
    pub shippers: Option<crate::observed::ShipperScope>,
    /// The calibration the scenario includes, unless run uncalibrated.
    pub calibration: Option<Calibration>,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// What a [`Growth`] rule changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthTarget {
    /// The volume of `supplies[i]`.
    Supply(usize),
    /// The minimum of `contracts[i]`.
    Contract(usize),
    /// The ceiling of `contracts[i]`.
    ContractMax(usize),
    /// The volume of `background[i]`.
    Background(usize),
    /// The limit of `markets[i]`.
    MarketLimit(usize),
}

/// One value from a year on, in base units per year.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct GrowthStep {
    /// The first year the value applies.
    pub year: i32,
    /// Base units per year.
    pub value: f64,
}

/// How a value changes with the year.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthRule {
    /// From each step's year on, the value is the step's; steps before the scenario year describe earlier
    /// years (for backtests), steps after it later ones; the scenario year keeps its own value.
    Steps(Vec<GrowthStep>),
    /// Compound growth of this many percent a year after the scenario year (negative for decline).
    AnnualPct(f64),
}

/// A supply, contract or market limit that changes over the years of a pathway.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Growth {
    /// What the rule changes.
    pub target: GrowthTarget,
    /// How it changes with the year.
    pub rule: GrowthRule,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl Growth {
    /// The value in `year`, given the value in the scenario year `base_year`.
    pub fn value_in(&self, base: f64, base_year: i32, year: i32) -> f64 {
        match &self.rule {
            // Later years take the latest step after the scenario year; earlier years (backtests) the
            // latest step before the scenario year that has started; otherwise the scenario's own value.
            GrowthRule::Steps(_) if year == base_year => base,
            GrowthRule::Steps(steps) => steps
                .iter()
                .filter(|s| s.year <= year && ((s.year > base_year) == (year > base_year)))
                .max_by_key(|s| s.year)
                .map_or(base, |s| s.value),
            GrowthRule::AnnualPct(pct) if year > base_year => {
                base * (1.0 + pct / 100.0).powi(year - base_year)
            }
            GrowthRule::AnnualPct(_) => base,
        }
    }
}

impl Scenario {
    /// The scenario moved to `year`: the year changes and every [`Growth`] rule is applied to its
    /// supply, contract or market limit. The growth rules themselves are kept.
    pub fn in_year(&self, year: i32) -> Scenario {
        let mut out = self.clone();
        out.year = year;
        for g in &self.growth {
            match g.target {
                GrowthTarget::Supply(i) => {
                    if let (Some(s), Some(base)) = (out.supplies.get_mut(i), self.supplies.get(i)) {
                        s.volume = g.value_in(base.volume, self.year, year);
                    }
                }
                GrowthTarget::Contract(i) => {
                    if let (Some(c), Some(base)) = (out.contracts.get_mut(i), self.contracts.get(i))
                    {
                        c.min_volume = g.value_in(base.min_volume, self.year, year);
                    }
                }
                GrowthTarget::ContractMax(i) => {
                    if let (Some(c), Some(base)) = (out.contracts.get_mut(i), self.contracts.get(i))
                    {
                        if let Some(max) = base.max_volume {
                            c.max_volume = Some(g.value_in(max, self.year, year));
                        }
                    }
                }
                GrowthTarget::Background(i) => {
                    if let (Some(b), Some(base)) =
                        (out.background.get_mut(i), self.background.get(i))
                    {
                        b.volume = g.value_in(base.volume, self.year, year);
                    }
                }
                GrowthTarget::MarketLimit(i) => {
                    if let (Some(m), Some(base)) = (out.markets.get_mut(i), self.markets.get(i)) {
                        if let Some(limit) = base.limit {
                            m.limit = Some(g.value_in(limit, self.year, year));
                        }
                    }
                }
            }
        }
        out
    }

    /// What moving one base unit of `commodity` over `link` costs in this scenario: the tariff plus any
    /// calibrated premium.
    pub fn unit_cost(&self, link: LinkId, carriage: &crate::dataset::Carriage) -> f64 {
        carriage.tariff_usd
            + self
                .calibration
                .as_ref()
                .map_or(0.0, |c| c.premium(link, carriage.commodity))
    }

    /// The disruptions in force in the scenario year.
    pub fn active_disruptions(&self) -> Vec<Disruption> {
        self.disruptions
            .iter()
            .filter(|d| d.applies_in(self.year))
            .cloned()
            .collect()
    }

    /// The penalty for leaving a unit of `supply` unserved.
    pub fn penalty_for(&self, supply: &Supply) -> f64 {
        supply.unmet_penalty_usd.unwrap_or(self.unmet_penalty_usd)
    }

    /// The commodities that have at least one supply, in id order.
    pub fn commodities(&self) -> Vec<CommodityId> {
        let set: BTreeSet<CommodityId> = self.supplies.iter().map(|s| s.commodity).collect();
        set.into_iter().collect()
    }

    /// Every country the policy rules out in `year`, given the dataset's bloc memberships.
    pub fn avoided_countries(&self, dataset: &Dataset) -> BTreeSet<CountryCode> {
        let mut out: BTreeSet<CountryCode> = self.policy.avoid_countries.iter().copied().collect();
        for &bloc in &self.policy.avoid_blocs {
            for m in &dataset.bloc(bloc).members {
                if m.since <= self.year {
                    out.insert(m.country);
                }
            }
        }
        out
    }
}
