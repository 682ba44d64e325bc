//! The network and everything it refers to.

use crate::diagnostic::Location;
use crate::ids::*;
use crate::units::{Dimension, RateUnit};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The value as data files write it (the inverse of `FromStr`).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("expected one of: {}", [$($text),+].join(", "))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// What a node is.
    NodeKind {
        /// Where a commodity is produced: an origin of supplies.
        Field = "field",
        /// Where goods are stored or change from one mode to another on land.
        Terminal = "terminal",
        /// Where goods move between land and water.
        Port = "port",
        /// Where lines meet or split, with no handling of its own.
        Junction = "junction",
        /// Where a line crosses a frontier (a change of gauge, customs).
        BorderCrossing = "border_crossing",
        /// A trading or transhipment centre that several routes serve.
        Hub = "hub",
        /// Where goods are sold: a destination of flows.
        Market = "market",
    }
);
text_enum!(
    /// How a link moves goods.
    Mode {
        /// A pipeline (crude, products, gas).
        Pipeline = "pipeline",
        /// A railway.
        Rail = "rail",
        /// A road, by truck.
        Road = "road",
        /// A tanker leg across an inland sea (the Caspian).
        Tanker = "tanker",
        /// A rail or truck ferry.
        Ferry = "ferry",
        /// A deep-sea shipping leg.
        Sea = "sea",
    }
);
text_enum!(
    /// Whether a link runs one way or both; a `both` link has its capacity in each direction.
    Direction {
        /// From `from` to `to` only.
        OneWay = "oneway",
        /// Either way, with the full capacity in each direction.
        Both = "both",
    }
);
text_enum!(
    /// Where a link is in its life.
    Status {
        /// In service.
        Operating = "operating",
        /// Intact but carrying nothing (shut in, suspended).
        Idle = "idle",
        /// Being built; in service from its start year.
        UnderConstruction = "under_construction",
        /// Proposed; in service from its start year, if it has one.
        Planned = "planned",
        /// Out of service for good.
        Retired = "retired",
    }
);
text_enum!(
    /// How much to trust a figure: reported by a source, derived by arithmetic on sourced figures, or an estimate.
    Confidence {
        /// A figure a source states.
        Reported = "reported",
        /// Worked out from sourced figures (a conversion, a sum).
        Derived = "derived",
        /// A judgement where no source gives the figure.
        Estimate = "estimate",
    }
);

/// Descriptive metadata of a dataset.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DatasetMeta {
    /// The dataset's text id (`caspian`).
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// What the dataset covers, in a sentence or two.
    pub description: String,
    /// The version of the data, so that results can say which data they came from.
    pub version: String,
    /// The year scenarios use when they name none.
    pub default_year: i32,
}

/// Where a figure comes from.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Source {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// Who published it (an agency, a company, a journal).
    pub publisher: String,
    /// The title of the document or page.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// When it was published, as the publisher dates it.
    pub date: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A country that nodes, links and policies refer to by its code.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Country {
    /// The ISO 3166-1 alpha-2 code.
    pub code: CountryCode,
    /// The name shown to readers.
    pub name: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A country's membership of a bloc, from a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Membership {
    /// The member.
    pub country: CountryCode,
    /// The first year of the membership.
    pub since: i32,
}

/// A group of countries (OTS, EU, EAEU, …) that policies can name.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Bloc {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// Full members; policies that name the bloc apply to them.
    pub members: Vec<Membership>,
    /// Observers, which policies that name the bloc do not cover.
    pub observers: Vec<Membership>,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl Bloc {
    /// Whether `country` is a full member in `year` (observers are not).
    pub fn is_member(&self, country: CountryCode, year: i32) -> bool {
        self.members
            .iter()
            .any(|m| m.country == country && m.since <= year)
    }
}

/// A figure with its provenance, for values that are not link capacities (those carry their own).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Sourced<T> {
    /// The figure.
    pub value: T,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
}

/// A good that moves: crude oil, gas, containers, general cargo.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Commodity {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// What its volumes are counted in; its base unit is this dimension's base unit.
    pub dimension: Dimension,
    /// The grade used when a crude figure is given in barrels.
    pub default_grade: Option<GradeId>,
    /// Tonnes per base unit, so that the commodity can share a capacity measured in tonnes.
    pub tonnes_per_unit: Option<Sourced<f64>>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl Commodity {
    /// The unit results are shown in (`Mt/y`, `bcm/y`, `kTEU/y`).
    pub fn display_unit(&self) -> RateUnit {
        self.dimension.display_rate()
    }
    /// How many display units one base unit is (e.g. 1e-6 Mt per t).
    pub fn base_to_display(&self) -> f64 {
        let unit = self.display_unit();
        unit.period.per_year() / unit.amount.factor()
    }
}

/// A crude grade and its density in barrels per tonne.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Grade {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// Barrels per tonne, for converting crude figures between volume and mass.
    pub bbl_per_t: f64,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A place goods pass through.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Node {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// What role the node plays (field, port, market, …).
    pub kind: NodeKind,
    /// `None` for points at sea.
    pub country: Option<CountryCode>,
    /// Latitude in degrees, for maps.
    pub lat: f64,
    /// Longitude in degrees, for maps.
    pub lon: f64,
    /// The place a reader knows the node by, for map labels ("Baku" for the Sangachal terminal); nodes
    /// that share a place get one label.
    pub place: Option<String>,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// One commodity on one link: what a base unit costs to move, and how much of the link's (or its
/// group's) capacity a base unit uses.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Carriage {
    /// The commodity carried.
    pub commodity: CommodityId,
    /// USD per base unit of the commodity (t, m3, TEU).
    pub tariff_usd: f64,
    /// Capacity units (in the capacity's base unit) used by one base unit of the commodity.
    pub capacity_use: f64,
    /// Group capacity units (in the group's base unit) used by one base unit, when the link is in a group.
    pub group_use: Option<f64>,
}

/// A capacity shared by several links and/or commodities, e.g. one ferry fleet serving several lines.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CapacityGroup {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// Annual capacity in the base unit of `unit`'s dimension.
    pub capacity_base: f64,
    /// The capacity as written, in `unit`.
    pub capacity: f64,
    /// The unit the capacity is written in.
    pub unit: RateUnit,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// The year the capacity figure is valid for.
    pub year: i32,
    /// Planned changes of the capacity, in year order: each applies from its year on.
    pub expansions: Vec<CapacityStep>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A change of a capacity group's capacity from a year on (a planned expansion, a new phase).
#[derive(Clone, Debug, serde::Serialize)]
pub struct CapacityStep {
    /// The first year the new capacity applies.
    pub year: i32,
    /// The new capacity as written, in the group's unit.
    pub capacity: f64,
    /// The new capacity per year in the base unit of the group's dimension.
    pub capacity_base: f64,
    /// Whether the new capacity is built, under construction or planned.
    pub status: Status,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
}

impl CapacityGroup {
    /// The group's capacity per year (base unit) in `year`: the latest expansion that has started, else
    /// the sourced capacity.
    pub fn capacity_base_in(&self, year: i32) -> f64 {
        self.expansions
            .iter()
            .filter(|e| e.year <= year)
            .max_by_key(|e| e.year)
            .map_or(self.capacity_base, |e| e.capacity_base)
    }
}

/// A connection between two nodes with a capacity.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Link {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// The start node (the tail of a one-way link).
    pub from: NodeId,
    /// The end node.
    pub to: NodeId,
    /// How the link moves goods.
    pub mode: Mode,
    /// One way, or the same capacity in each direction.
    pub direction: Direction,
    /// The commodities it carries, with their tariffs.
    pub carries: Vec<Carriage>,
    /// The capacity as written.
    pub capacity: f64,
    /// The unit `capacity` is written in.
    pub capacity_unit: RateUnit,
    /// The capacity per year in the base unit of the capacity's dimension (crude in barrels is turned into
    /// tonnes through the commodity's grade when the link is loaded).
    pub capacity_base: f64,
    /// The capacity group the link shares capacity with, if any.
    pub capacity_group: Option<GroupId>,
    /// Days a shipment takes end to end.
    pub transit_days: f64,
    /// Territory crossed, in order; empty for a sea leg.
    pub countries: Vec<CountryCode>,
    /// The link's status as the dataset states it (see [`Link::status_in`] for a given year).
    pub status: Status,
    /// The first year in service, when known (planned links enter pathways from it).
    pub start_year: Option<i32>,
    /// The last year in service, when known.
    pub end_year: Option<i32>,
    /// The year the capacity figure is valid for.
    pub year: i32,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// The published route courses the link runs along (Global Energy Monitor project ids such as
    /// `P0644`, `gem_project_id` in links.csv), in order; empty when it has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gem_projects: Vec<String>,
    /// Sourced status of particular years (`status.csv`), e.g. intact but idle 2022–2024; it overrides
    /// the start/end years for the years it covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub status_history: Vec<StatusPeriod>,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// The status of a link over a span of years, with its sources.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StatusPeriod {
    /// The first year the period covers.
    pub from_year: i32,
    /// Inclusive; `None` means open-ended.
    pub to_year: Option<i32>,
    /// The link's status throughout the period.
    pub status: Status,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl StatusPeriod {
    /// Whether `year` falls in the period.
    pub fn covers(&self, year: i32) -> bool {
        self.from_year <= year && self.to_year.is_none_or(|to| year <= to)
    }
}

impl Link {
    /// The status the link had in `year`: the sourced status of that year when `status.csv` gives one,
    /// otherwise the link's own status.
    pub fn status_in(&self, year: i32) -> Status {
        self.status_history
            .iter()
            .rev()
            .find(|p| p.covers(year))
            .map_or(self.status, |p| p.status)
    }

    /// Whether the link moves goods in `year`: a year with a sourced status is in service only when that
    /// status is `operating`; otherwise the link has started (a planned or unfinished link counts once
    /// its start year is reached, which is how pathways bring expansions in) and has not ended.
    pub fn in_service(&self, year: i32) -> bool {
        if let Some(period) = self.status_history.iter().rev().find(|p| p.covers(year)) {
            return period.status == Status::Operating;
        }
        let started = match self.start_year {
            Some(start) => start <= year,
            None => self.status == Status::Operating,
        };
        let ended = match self.end_year {
            Some(end) => year > end,
            None => self.status == Status::Retired,
        };
        started && !ended
    }

    /// What carrying `commodity` costs and uses on this link, if the link carries it.
    pub fn carriage(&self, commodity: CommodityId) -> Option<&Carriage> {
        self.carries.iter().find(|c| c.commodity == commodity)
    }

    /// Whether the link carries `commodity` at all.
    pub fn carries(&self, commodity: CommodityId) -> bool {
        self.carriage(commodity).is_some()
    }
}

/// A strait or canal that sea legs pass, controlled by one or more countries: avoiding such a country
/// closes the legs that pass it (`--avoid TR` closes the Turkish Straits), and its leverage counts them.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Chokepoint {
    /// The text id written in data files and on the command line.
    pub id: String,
    /// The name shown to readers.
    pub name: String,
    /// The countries that control the passage.
    pub countries: Vec<CountryCode>,
    /// The sea legs that pass it.
    pub links: Vec<LinkId>,
    /// The sources behind the figures.
    pub sources: Vec<SourceId>,
    /// How far to trust the figures.
    pub confidence: Confidence,
    /// Where a map marks the passage (lon, lat, degrees), when the dataset gives it.
    pub position: Option<(f64, f64)>,
    /// Free-text remarks from the dataset: caveats, what a figure includes.
    pub notes: String,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// A whole dataset, resolved: every reference is a typed id that exists.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Dataset {
    /// Id, name, version and default year.
    pub meta: DatasetMeta,
    /// Every source the figures cite.
    pub sources: Vec<Source>,
    /// Countries that nodes, links and policies refer to.
    pub countries: Vec<Country>,
    /// Blocs that policies can name.
    pub blocs: Vec<Bloc>,
    /// The goods the network carries.
    pub commodities: Vec<Commodity>,
    /// Crude grades, for converting barrels to tonnes.
    pub grades: Vec<Grade>,
    /// Capacities shared by several links.
    pub capacity_groups: Vec<CapacityGroup>,
    /// The places goods pass through.
    pub nodes: Vec<Node>,
    /// The connections between them.
    pub links: Vec<Link>,
    /// Outage assumptions for risk analyses (empty when the dataset gives none).
    pub outages: crate::outage::Outages,
    /// Straits and canals, with the legs that pass them (empty when the dataset gives none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chokepoints: Vec<Chokepoint>,
    /// Published volumes that actually moved (`observed.csv`), to compare with and calibrate the model.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<crate::observed::Observation>,
    /// Waypoints of the links that have them (display and export only), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<crate::geometry::LinkPath>,
    /// Published pipeline courses (a routes file, e.g. `routes.geojson`), one per project id; display
    /// and export only. Not serialised: they are large and are their source's data, not ours. Shared,
    /// because datasets are cloned (overlays, results) and courses run to thousands of points.
    #[serde(skip)]
    pub routes: std::sync::Arc<Vec<crate::geometry::RouteCourse>>,
    /// The text id → typed id lookups; rebuilt by [`Dataset::reindex`].
    #[serde(skip)]
    pub index: DatasetIndex,
}

/// Text id → typed id lookups, built once by [`Dataset::reindex`].
#[derive(Clone, Debug, Default)]
pub struct DatasetIndex {
    nodes: HashMap<String, NodeId>,
    links: HashMap<String, LinkId>,
    commodities: HashMap<String, CommodityId>,
    grades: HashMap<String, GradeId>,
    blocs: HashMap<String, BlocId>,
    sources: HashMap<String, SourceId>,
    groups: HashMap<String, GroupId>,
}

fn index_of<T, I: Copy>(
    items: &[T],
    id: impl Fn(&T) -> &str,
    make: impl Fn(u32) -> I,
) -> HashMap<String, I> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (id(item).to_string(), make(i as u32)))
        .collect()
}

impl Dataset {
    /// Rebuilds the id lookups; call after changing any vector.
    pub fn reindex(&mut self) {
        self.index = DatasetIndex {
            nodes: index_of(&self.nodes, |n| &n.id, NodeId),
            links: index_of(&self.links, |l| &l.id, LinkId),
            commodities: index_of(&self.commodities, |c| &c.id, CommodityId),
            grades: index_of(&self.grades, |g| &g.id, GradeId),
            blocs: index_of(&self.blocs, |b| &b.id, BlocId),
            sources: index_of(&self.sources, |s| &s.id, SourceId),
            groups: index_of(&self.capacity_groups, |g| &g.id, GroupId),
        };
    }

    /// The node with text id `id`.
    pub fn node_id(&self, id: &str) -> Option<NodeId> {
        self.index.nodes.get(id).copied()
    }
    /// The link with text id `id`.
    pub fn link_id(&self, id: &str) -> Option<LinkId> {
        self.index.links.get(id).copied()
    }
    /// The commodity with text id `id`.
    pub fn commodity_id(&self, id: &str) -> Option<CommodityId> {
        self.index.commodities.get(id).copied()
    }
    /// The grade with text id `id`.
    pub fn grade_id(&self, id: &str) -> Option<GradeId> {
        self.index.grades.get(id).copied()
    }
    /// The bloc with text id `id`.
    pub fn bloc_id(&self, id: &str) -> Option<BlocId> {
        self.index.blocs.get(id).copied()
    }
    /// The source with text id `id`.
    pub fn source_id(&self, id: &str) -> Option<SourceId> {
        self.index.sources.get(id).copied()
    }
    /// The capacity group with text id `id`.
    pub fn group_id(&self, id: &str) -> Option<GroupId> {
        self.index.groups.get(id).copied()
    }
    /// The country with ISO code `code`, when the dataset lists it.
    pub fn country(&self, code: CountryCode) -> Option<&Country> {
        self.countries.iter().find(|c| c.code == code)
    }

    /// The node behind a typed id (which exists by construction).
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.idx()]
    }
    /// The link behind a typed id.
    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.idx()]
    }
    /// The commodity behind a typed id.
    pub fn commodity(&self, id: CommodityId) -> &Commodity {
        &self.commodities[id.idx()]
    }
    /// The grade behind a typed id.
    pub fn grade(&self, id: GradeId) -> &Grade {
        &self.grades[id.idx()]
    }
    /// The bloc behind a typed id.
    pub fn bloc(&self, id: BlocId) -> &Bloc {
        &self.blocs[id.idx()]
    }
    /// The source behind a typed id.
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.idx()]
    }
    /// The capacity group behind a typed id.
    pub fn group(&self, id: GroupId) -> &CapacityGroup {
        &self.capacity_groups[id.idx()]
    }
    /// The chokepoint behind a typed id.
    pub fn chokepoint(&self, id: ChokepointId) -> &Chokepoint {
        &self.chokepoints[id.idx()]
    }
    /// The chokepoint with text id `id` (a linear search: there are few).
    pub fn chokepoint_id(&self, id: &str) -> Option<ChokepointId> {
        self.chokepoints
            .iter()
            .position(|k| k.id == id)
            .map(|i| ChokepointId(i as u32))
    }
    /// Every chokepoint's id, in dataset order.
    pub fn chokepoint_ids(&self) -> impl Iterator<Item = ChokepointId> + '_ {
        (0..self.chokepoints.len() as u32).map(ChokepointId)
    }

    /// Every link's id, in dataset order.
    pub fn link_ids(&self) -> impl Iterator<Item = LinkId> + '_ {
        (0..self.links.len() as u32).map(LinkId)
    }

    /// Every node's id, in dataset order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// The countries a link touches: its start node's, the territory it crosses, the countries of the
    /// chokepoints it passes, its end node's, in order and without repeating a country twice in a row.
    pub fn link_countries(&self, link: LinkId) -> Vec<CountryCode> {
        let l = self.link(link);
        let mut out: Vec<CountryCode> = Vec::new();
        let mut push = |c: CountryCode| {
            if out.last() != Some(&c) {
                out.push(c);
            }
        };
        if let Some(c) = self.node(l.from).country {
            push(c);
        }
        for &c in &l.countries {
            push(c);
        }
        for chokepoint in self.chokepoints.iter().filter(|k| k.links.contains(&link)) {
            for &c in &chokepoint.countries {
                push(c);
            }
        }
        if let Some(c) = self.node(l.to).country {
            push(c);
        }
        out
    }

    /// Barrels per tonne for a commodity, through its default grade.
    pub fn bbl_per_t(&self, commodity: CommodityId) -> Option<f64> {
        self.commodity(commodity)
            .default_grade
            .map(|g| self.grade(g).bbl_per_t)
    }
}
