//! Flow results seen per link, whatever analysis produced them: what moves on each link, how full it is,
//! and whether it limits the answer. Maps, GeoJSON and the web app draw from this one view.

use crate::records::{display, unit};
use corridor_analysis::{Allocation, CapacityResult, Constraint, CutItem};
use corridor_model::units::Dimension;
use corridor_model::{CommodityId, Dataset, GroupId, LinkId, Scenario};
use std::collections::BTreeMap;

/// What one link carries in a result.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct LinkFlow {
    /// `(commodity, volume, unit)` in the commodity's display unit (Mt/y, kTEU/y …), both directions summed.
    pub flows: Vec<(String, f64, String)>,
    /// Share of the link's capacity used in its busier direction, 0–1.
    pub utilisation: f64,
    /// The flow in the link's own capacity unit (utilisation × capacity).
    pub flow_in_capacity_unit: f64,
    /// Tonnes per year moved (containers through the commodity's tonnes per TEU when it has one):
    /// a common measure so that line widths compare across commodities.
    pub weight_t_per_y: f64,
    /// In the minimum cut, or a binding capacity of the allocation (directly or through its group).
    pub bottleneck: bool,
}

/// Every link's flow in one result, by link id; links without flow are absent.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct FlowView {
    /// Short title of what the flows are ("Least-cost allocation", "Bypass capacity …").
    pub title: String,
    /// The flow on each link that carries any, by link id.
    pub links: BTreeMap<String, LinkFlow>,
}

/// Tonnes per base unit of a commodity (1 for mass; a container's tonnes when the dataset gives them).
fn tonnes_per_base(dataset: &Dataset, commodity: CommodityId) -> f64 {
    let c = dataset.commodity(commodity);
    match (c.dimension, &c.tonnes_per_unit) {
        (Dimension::Mass, _) => 1.0,
        (_, Some(tpu)) => tpu.value,
        _ => 1.0,
    }
}

impl LinkFlow {
    /// Adds `base` base units per year of `commodity`.
    fn add(&mut self, dataset: &Dataset, commodity: CommodityId, base: f64) {
        let id = &dataset.commodity(commodity).id;
        let shown = display(dataset, commodity, base);
        match self.flows.iter_mut().find(|f| &f.0 == id) {
            Some(f) => f.1 += shown,
            None => self
                .flows
                .push((id.clone(), shown, unit(dataset, commodity))),
        }
        self.weight_t_per_y += base * tonnes_per_base(dataset, commodity);
    }
}

impl FlowView {
    /// The flows of an allocation of `scenario`; binding link and group capacities are the bottlenecks.
    pub fn from_allocation(
        dataset: &Dataset,
        scenario: &Scenario,
        allocation: &Allocation,
    ) -> FlowView {
        let mut links: BTreeMap<String, LinkFlow> = BTreeMap::new();
        for use_ in &allocation.links {
            let link = dataset.link(use_.link);
            let entry = links.entry(link.id.clone()).or_default();
            for &(commodity, volume) in &use_.flows {
                entry.add(dataset, commodity, volume);
            }
            if use_.utilisation >= entry.utilisation {
                entry.utilisation = use_.utilisation;
                // The capacity as written (in its own unit), scaled by any derate.
                let capacity = link.capacity
                    * (use_.capacity_base / link.capacity_base.max(f64::MIN_POSITIVE));
                entry.flow_in_capacity_unit = use_.utilisation * capacity;
            }
        }
        let mut view = FlowView {
            title: format!(
                "Least-cost allocation — {} ({})",
                scenario.name, allocation.year
            ),
            links,
        };
        for b in &allocation.binding {
            match b.constraint {
                Constraint::Link(l) => {
                    view.mark_bottleneck(dataset, &[dataset.link(l).id.as_str()])
                }
                Constraint::Group(g) => view.mark_group(dataset, g),
                Constraint::Contract(_) | Constraint::TransitShare(..) => {}
            }
        }
        view
    }

    /// The flows of a capacity result (its routes, summed per link); the minimum cut is the bottleneck.
    /// Utilisation is against the link's nominal capacity for the commodity.
    pub fn from_capacity(dataset: &Dataset, result: &CapacityResult) -> FlowView {
        let c = result.commodity;
        let mut links: BTreeMap<String, LinkFlow> = BTreeMap::new();
        let mut base_volume: BTreeMap<LinkId, f64> = BTreeMap::new();
        for route in &result.routes {
            for &link in &route.links {
                links.entry(dataset.link(link).id.clone()).or_default().add(
                    dataset,
                    c,
                    route.volume,
                );
                *base_volume.entry(link).or_default() += route.volume;
            }
        }
        for (&l, &volume_base) in &base_volume {
            let link = dataset.link(l);
            let use_per_unit = link.carriage(c).map_or(1.0, |k| k.capacity_use);
            if let (Some(entry), true) = (links.get_mut(&link.id), link.capacity_base > 0.0) {
                entry.utilisation = volume_base * use_per_unit / link.capacity_base;
                entry.flow_in_capacity_unit = entry.utilisation * link.capacity;
            }
        }
        let avoided = if result.avoided.is_empty() {
            String::new()
        } else {
            let codes: Vec<String> = result.avoided.iter().map(|c| c.to_string()).collect();
            format!(", avoiding {}", codes.join(", "))
        };
        let mut view = FlowView {
            title: format!(
                "Bypass capacity of {} ({}){avoided}",
                dataset.commodity(c).id,
                result.year
            ),
            links,
        };
        for cut in &result.cut {
            match cut.item {
                CutItem::Link(l) => view.mark_bottleneck(dataset, &[dataset.link(l).id.as_str()]),
                CutItem::Group(g) => view.mark_group(dataset, g),
            }
        }
        view
    }

    fn mark_bottleneck(&mut self, dataset: &Dataset, ids: &[&str]) {
        for id in ids {
            if dataset.link_id(id).is_some() {
                self.links.entry(id.to_string()).or_default().bottleneck = true;
            }
        }
    }

    /// Marks the links of a capacity group that carry flow (all of them when none does).
    fn mark_group(&mut self, dataset: &Dataset, g: GroupId) {
        let members: Vec<&str> = dataset
            .links
            .iter()
            .filter(|l| l.capacity_group == Some(g))
            .map(|l| l.id.as_str())
            .collect();
        let used: Vec<&str> = members
            .iter()
            .copied()
            .filter(|id| self.links.get(*id).is_some_and(|f| !f.flows.is_empty()))
            .collect();
        let marked = if used.is_empty() { members } else { used };
        self.mark_bottleneck(dataset, &marked);
    }

    /// The flow on `link`, if it carries any or limits the result.
    pub fn get(&self, dataset: &Dataset, link: LinkId) -> Option<&LinkFlow> {
        self.links.get(&dataset.link(link).id)
    }

    /// What the widest line stands for, in the commodity's own unit when the view has one commodity
    /// (`30 bcm/y`), else in tonnes a year (containers by their weight).
    pub fn widest_label(&self) -> String {
        let commodities: std::collections::BTreeSet<&str> = self
            .links
            .values()
            .flat_map(|f| f.flows.iter().map(|(c, _, _)| c.as_str()))
            .collect();
        let widest = self
            .links
            .values()
            .max_by(|a, b| a.weight_t_per_y.total_cmp(&b.weight_t_per_y));
        match (commodities.len(), widest) {
            (1, Some(f)) => {
                let (_, volume, unit) = &f.flows[0];
                format!("{} {unit}", crate::svg::label_number(*volume))
            }
            _ => format!(
                "{} Mt/y (by weight)",
                crate::svg::label_number(self.max_weight() / 1e6)
            ),
        }
    }

    /// The largest weight of any link (for scaling widths); at least a tonne a year.
    pub fn max_weight(&self) -> f64 {
        self.links
            .values()
            .map(|f| f.weight_t_per_y)
            .fold(1.0, f64::max)
    }
}

/// Line colour for a utilisation (0–1): green when there is room, through amber, to red when full.
pub fn utilisation_color(utilisation: f64) -> String {
    let u = if utilisation.is_finite() {
        utilisation.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Stops chosen to stay distinguishable for the common colour-vision deficiencies (blue → amber → red).
    let stops: [(f64, (f64, f64, f64)); 4] = [
        (0.0, (49.0, 130.0, 189.0)),
        (0.5, (120.0, 120.0, 200.0)),
        (0.8, (244.0, 165.0, 30.0)),
        (1.0, (203.0, 24.0, 29.0)),
    ];
    let mut lo = stops[0];
    let mut hi = stops[stops.len() - 1];
    for w in stops.windows(2) {
        if u >= w[0].0 && u <= w[1].0 {
            lo = w[0];
            hi = w[1];
            break;
        }
    }
    let t = if hi.0 > lo.0 {
        (u - lo.0) / (hi.0 - lo.0)
    } else {
        0.0
    };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round().clamp(0.0, 255.0) as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(lo.1 .0, hi.1 .0),
        mix(lo.1 .1, hi.1 .1),
        mix(lo.1 .2, hi.1 .2)
    )
}

/// Line width (in map units of a 1000-wide map) for a weight, relative to the largest: area-true (square
/// root) so that small flows stay visible, between 1.6 and 12.
pub(crate) fn flow_width(weight: f64, max_weight: f64) -> f64 {
    // Written to also catch NaN: a weight that is not a positive number draws the thinnest line.
    if weight.is_nan() || max_weight.is_nan() || weight <= 0.0 || max_weight <= 0.0 {
        return 1.6;
    }
    1.6 + 10.4 * (weight / max_weight).clamp(0.0, 1.0).sqrt()
}
