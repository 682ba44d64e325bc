//! One re-solve of the web app: a scenario with some links, nodes or countries out of service and some
//! countries avoided, answered with the least-cost allocation, the bypass capacity (with its minimum cut
//! and the countries it depends on) and how to draw every link for each.

use crate::error::ApiError;
use corridor_analysis::{allocate, scenario_bypass, Allocation, Bypass};
use corridor_lp::Simplex;
use corridor_model::units::closest;
use corridor_model::{CountryCode, Dataset, Disruption, Element, Location, Scenario};
use corridor_report::flows::{FlowView, LinkFlow};
use corridor_report::map::{link_style, links_for};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// The most ids any one list of a request may hold (the Caspian dataset has fewer than 100 links).
pub const MAX_IDS: usize = 2000;

/// What to take out of service.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Off {
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub nodes: Vec<String>,
    /// ISO codes: every link touching the country's territory is out.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Strait or canal ids: every sea leg through it is out.
    #[serde(default)]
    pub chokepoints: Vec<String>,
}

/// The body of `POST /api/solve`.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolveRequest {
    /// A scenario name from `GET /api/scenarios`; the first one when absent.
    pub scenario: Option<String>,
    #[serde(default)]
    pub off: Off,
    /// Countries the allocation may not cross (added to the scenario's own policy).
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Countries the bypass question avoids; `["RU", "CN"]` when absent, as in `corridor run`.
    pub bypass_avoid: Option<Vec<String>>,
}

/// How the map draws one link in one view.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LinkView {
    pub color: String,
    pub width: f64,
    pub dashed: bool,
    pub bottleneck: bool,
    /// Taken out of service by the request.
    pub off: bool,
    pub utilisation: f64,
    /// `(commodity, volume, unit)`.
    pub flows: Vec<(String, f64, String)>,
}

/// The answer of `POST /api/solve`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SolveResponse {
    pub scenario: String,
    pub year: i32,
    /// Time spent solving, milliseconds (allocation, bypass and dependence together).
    pub solve_ms: f64,
    /// What the request took out, as understood (sorted, without repeats).
    pub off: Off,
    pub avoid: Vec<String>,
    pub bypass_avoid: Vec<String>,
    pub allocation: Option<Allocation>,
    /// Why there is no allocation (e.g. a contract that can no longer be met).
    pub allocation_error: Option<String>,
    pub bypass: Vec<Bypass>,
    pub bypass_error: Option<String>,
    /// Link id → how to draw it, for the allocation view and for the bypass view.
    pub allocation_links: BTreeMap<String, LinkView>,
    pub bypass_links: BTreeMap<String, LinkView>,
}

fn unknown(kind: &str, id: &str, candidates: Vec<&str>) -> ApiError {
    let hint = closest(id, candidates)
        .map(|s| format!(" — did you mean `{s}`?"))
        .unwrap_or_default();
    ApiError::UnknownId(format!("unknown {kind} `{id}`{hint}"))
}

fn check_len(what: &str, n: usize) -> Result<(), ApiError> {
    if n > MAX_IDS {
        return Err(ApiError::BadRequest(format!(
            "`{what}` lists {n} ids; at most {MAX_IDS} are accepted"
        )));
    }
    Ok(())
}

/// Country codes from a request, each one the dataset knows.
pub fn parse_countries(
    dataset: &Dataset,
    what: &str,
    codes: &[String],
) -> Result<Vec<CountryCode>, ApiError> {
    check_len(what, codes.len())?;
    let mut out = BTreeSet::new();
    for text in codes {
        let code = CountryCode::parse(text.trim())
            .filter(|c| dataset.country(*c).is_some())
            .ok_or_else(|| {
                unknown(
                    "country",
                    text,
                    dataset.countries.iter().map(|c| c.code.as_str()).collect(),
                )
            })?;
        out.insert(code);
    }
    Ok(out.into_iter().collect())
}

/// The scenario with the request's outages and avoid policy applied, and the bypass's avoid list.
pub fn apply(
    dataset: &Dataset,
    base: &Scenario,
    request: &SolveRequest,
) -> Result<(Scenario, Off, Vec<CountryCode>, Vec<CountryCode>), ApiError> {
    let mut scenario = base.clone();
    let off = &request.off;
    check_len("off.links", off.links.len())?;
    check_len("off.nodes", off.nodes.len())?;
    let mut echo = Off::default();
    let mut elements = BTreeSet::new();
    for id in &off.links {
        let link = dataset.link_id(id).ok_or_else(|| {
            unknown(
                "link",
                id,
                dataset.links.iter().map(|l| l.id.as_str()).collect(),
            )
        })?;
        elements.insert(Element::Link(link));
    }
    for id in &off.nodes {
        let node = dataset.node_id(id).ok_or_else(|| {
            unknown(
                "node",
                id,
                dataset.nodes.iter().map(|n| n.id.as_str()).collect(),
            )
        })?;
        elements.insert(Element::Node(node));
    }
    for c in parse_countries(dataset, "off.countries", &off.countries)? {
        elements.insert(Element::Country(c));
    }
    check_len("off.chokepoints", off.chokepoints.len())?;
    for id in &off.chokepoints {
        let k = dataset.chokepoint_id(id).ok_or_else(|| {
            unknown(
                "chokepoint",
                id,
                dataset.chokepoints.iter().map(|k| k.id.as_str()).collect(),
            )
        })?;
        elements.insert(Element::Chokepoint(k));
    }
    for e in &elements {
        match e {
            Element::Link(l) => echo.links.push(dataset.link(*l).id.clone()),
            Element::Node(n) => echo.nodes.push(dataset.node(*n).id.clone()),
            Element::Country(c) => echo.countries.push(c.to_string()),
            Element::Chokepoint(k) => echo.chokepoints.push(dataset.chokepoint(*k).id.clone()),
        }
        scenario.disruptions.push(Disruption {
            element: *e,
            derate_pct: 100.0,
            years: Vec::new(),
            location: Location::new("request", 0),
        });
    }
    echo.links.sort();
    echo.nodes.sort();
    echo.countries.sort();
    echo.chokepoints.sort();
    let avoid = parse_countries(dataset, "avoid", &request.avoid)?;
    for c in &avoid {
        if !scenario.policy.avoid_countries.contains(c) {
            scenario.policy.avoid_countries.push(*c);
        }
    }
    let bypass_avoid = match &request.bypass_avoid {
        Some(list) => parse_countries(dataset, "bypass_avoid", list)?,
        None => ["CN", "RU"]
            .iter()
            .filter_map(|c| CountryCode::parse(c))
            .filter(|c| dataset.country(*c).is_some())
            .collect(),
    };
    Ok((scenario, echo, avoid, bypass_avoid))
}

/// Whether `link` is out of service because of what the request took out.
fn is_off(
    dataset: &Dataset,
    scenario: &Scenario,
    n_base: usize,
    link: corridor_model::LinkId,
) -> bool {
    scenario.disruptions[n_base..]
        .iter()
        .any(|d| d.element.hits_link(dataset, link))
}

fn views(
    dataset: &Dataset,
    scenario: &Scenario,
    n_base_disruptions: usize,
    flows: &FlowView,
) -> BTreeMap<String, LinkView> {
    let max = flows.max_weight();
    links_for(dataset, scenario.year, &scenario.commodities())
        .into_iter()
        .map(|l| {
            let flow: Option<&LinkFlow> = flows.get(dataset, l);
            let style = link_style(flow, max);
            (
                dataset.link(l).id.clone(),
                LinkView {
                    color: style.color,
                    width: style.width,
                    dashed: style.dashed,
                    bottleneck: style.bottleneck,
                    off: is_off(dataset, scenario, n_base_disruptions, l),
                    utilisation: flow.map_or(0.0, |f| (f.utilisation * 1000.0).round() / 1000.0),
                    flows: flow.map(|f| f.flows.clone()).unwrap_or_default(),
                },
            )
        })
        .collect()
}

/// Several bypass results (one per commodity) as one view: flows side by side, the busier
/// utilisation, any bottleneck.
fn merged_bypass_view(dataset: &Dataset, bypass: &[Bypass]) -> FlowView {
    let mut out = FlowView::default();
    for b in bypass {
        let view = FlowView::from_capacity(dataset, &b.capacity);
        if out.title.is_empty() {
            out.title = view.title.clone();
        }
        for (id, f) in view.links {
            let e = out.links.entry(id).or_default();
            e.flows.extend(f.flows);
            e.weight_t_per_y += f.weight_t_per_y;
            if f.utilisation > e.utilisation {
                e.utilisation = f.utilisation;
                e.flow_in_capacity_unit = f.flow_in_capacity_unit;
            }
            e.bottleneck |= f.bottleneck;
        }
    }
    out
}

/// Solves a request against `base` (a scenario of `dataset`).
pub fn solve(
    dataset: &Dataset,
    base: &Scenario,
    request: &SolveRequest,
) -> Result<SolveResponse, ApiError> {
    let (scenario, off, avoid, bypass_avoid) = apply(dataset, base, request)?;
    let n_base = base.disruptions.len();
    let solver = Simplex::default();
    let started = Instant::now();
    let (allocation, allocation_error) = match allocate(dataset, &scenario, &solver) {
        Ok(a) => (Some(a), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let (bypass, bypass_error) =
        match scenario_bypass(dataset, &scenario, &bypass_avoid, true, &solver) {
            Ok(b) => (b, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
    let solve_ms = started.elapsed().as_secs_f64() * 1000.0;
    let allocation_view = allocation
        .as_ref()
        .map(|a| FlowView::from_allocation(dataset, a))
        .unwrap_or_default();
    let bypass_view = merged_bypass_view(dataset, &bypass);
    Ok(SolveResponse {
        scenario: scenario.name.clone(),
        year: scenario.year,
        solve_ms: (solve_ms * 100.0).round() / 100.0,
        allocation_links: views(dataset, &scenario, n_base, &allocation_view),
        bypass_links: views(dataset, &scenario, n_base, &bypass_view),
        off,
        avoid: avoid.iter().map(|c| c.to_string()).collect(),
        bypass_avoid: bypass_avoid.iter().map(|c| c.to_string()).collect(),
        allocation,
        allocation_error,
        bypass,
        bypass_error,
    })
}
