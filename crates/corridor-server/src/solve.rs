//! One re-solve of the web app: a scenario with some links, nodes, countries or chokepoints out of
//! service, some countries avoided and a bloc policy, answered with the least-cost allocation, the bypass
//! capacity (with its minimum cut and the countries it depends on) and how to draw every link for each.
//!
//! A request only edits a copy of the scenario (its disruptions and its policy); which arcs exist is
//! then decided where it always is, in `corridor_analysis::network`, so the app's answer is the one
//! `corridor allocate` gives for a scenario file stating the same outages and `[policy]`.

use crate::error::ApiError;
use corridor_analysis::{allocate, find_bloc, scenario_bypass, Bypass};
use corridor_lp::LpSolver;
use corridor_model::units::closest;
use corridor_model::{
    BlocId, CountryCode, Dataset, Disruption, Element, Location, Policy, Scenario,
};
use corridor_report::flows::{FlowView, LinkFlow};
use corridor_report::map::{link_style, links_for};
use corridor_report::records::{AllocationRecord, BypassRecord};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// The most ids any one list of a request may hold (the Caspian dataset has fewer than 100 links).
pub const MAX_IDS: usize = 2000;

/// What to take out of service.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Off {
    /// Link ids.
    #[serde(default)]
    pub links: Vec<String>,
    /// Node ids: every link that starts or ends at one is out.
    #[serde(default)]
    pub nodes: Vec<String>,
    /// ISO codes: every link touching the country's territory is out.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Strait or canal ids: every sea leg through it is out.
    #[serde(default)]
    pub chokepoints: Vec<String>,
}

/// A bloc policy for the allocation, as a scenario's `[policy]` table states it (`avoid_blocs`,
/// `only_via_bloc`, `also_via`).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlocPolicy {
    /// Bloc ids: the allocation may not touch their members' territory (origins included, as in a
    /// scenario file).
    #[serde(default)]
    pub avoid_blocs: Vec<String>,
    /// A bloc id: transit only through its members; origin and market countries stay allowed.
    #[serde(default)]
    pub only_via_bloc: Option<String>,
    /// With `only_via_bloc`: more bloc ids or country codes that may be crossed, e.g. `["EU", "GE"]`.
    #[serde(default)]
    pub also_via: Vec<String>,
}

impl BlocPolicy {
    /// The bloc part of `policy`, by ids.
    pub fn of(dataset: &Dataset, policy: &Policy) -> BlocPolicy {
        BlocPolicy {
            avoid_blocs: policy
                .avoid_blocs
                .iter()
                .map(|b| dataset.bloc(*b).id.clone())
                .collect(),
            only_via_bloc: policy.only_via_bloc.map(|b| dataset.bloc(b).id.clone()),
            also_via: policy
                .also_via_blocs
                .iter()
                .map(|b| dataset.bloc(*b).id.clone())
                .chain(policy.also_via_countries.iter().map(|c| c.to_string()))
                .collect(),
        }
    }
}

/// The body of `POST /api/solve`.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolveRequest {
    /// A scenario name from `GET /api/scenarios`; the first one when absent.
    pub scenario: Option<String>,
    /// What to take out of service on top of the scenario's own disruptions.
    #[serde(default)]
    pub off: Off,
    /// Countries the allocation may not cross (added to the scenario's own policy).
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Countries the bypass question avoids; `["RU", "CN"]` when absent, as in `corridor run`.
    pub bypass_avoid: Option<Vec<String>>,
    /// The allocation's bloc policy, replacing the scenario's own (`GET /api/scenarios` lists it); the
    /// scenario's own when absent. The bypass question is not bound by it: like `corridor run`, it
    /// asks only what can leave avoiding `bypass_avoid`.
    pub policy: Option<BlocPolicy>,
}

/// How the map draws one link in one view.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LinkView {
    /// Stroke colour (CSS), by utilisation.
    pub color: String,
    /// Stroke width in pixels, by flow.
    pub width: f64,
    /// Drawn dashed: the link carries nothing.
    pub dashed: bool,
    /// In the minimum cut, or a binding capacity of the allocation: drawn as a bottleneck.
    pub bottleneck: bool,
    /// Taken out of service by the request.
    pub off: bool,
    /// Share of the capacity used in the busier direction, 0–1, rounded to three decimals.
    pub utilisation: f64,
    /// `(commodity, volume, unit)`.
    pub flows: Vec<(String, f64, String)>,
}

/// The answer of `POST /api/solve`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SolveResponse {
    /// The scenario solved.
    pub scenario: String,
    /// Its year.
    pub year: i32,
    /// Time spent solving, milliseconds (allocation, bypass and dependence together).
    pub solve_ms: f64,
    /// What the request took out, as understood (sorted, without repeats).
    pub off: Off,
    /// The countries the allocation avoided, beyond the scenario's own policy.
    pub avoid: Vec<String>,
    /// The countries the bypass question avoided.
    pub bypass_avoid: Vec<String>,
    /// The bloc policy the allocation was solved under (the request's, else the scenario's own).
    pub policy: BlocPolicy,
    /// The least-cost allocation, unless it could not be solved.
    pub allocation: Option<AllocationRecord>,
    /// Why there is no allocation (e.g. a contract that can no longer be met).
    pub allocation_error: Option<String>,
    /// The bypass capacity of each commodity.
    pub bypass: Vec<BypassRecord>,
    /// Why there is no bypass answer, when there is none.
    pub bypass_error: Option<String>,
    /// Link id → how to draw it, for the allocation view and for the bypass view.
    pub allocation_links: BTreeMap<String, LinkView>,
    /// As `allocation_links`, for the bypass view.
    pub bypass_links: BTreeMap<String, LinkView>,
}

/// The most candidates an error lists in full; longer lists (links, nodes, countries) only get the
/// closest one suggested.
const MAX_LISTED: usize = 12;

/// "`off.links`: unknown link `x` — did you mean `y`?", listing every valid id when there are few.
fn unknown(field: &str, kind: &str, id: &str, candidates: Vec<&str>) -> ApiError {
    let hint = closest(id, candidates.iter().copied())
        .map(|s| format!(" — did you mean `{s}`?"))
        .unwrap_or_default();
    let listed = if candidates.len() <= MAX_LISTED {
        format!(" (valid: {})", candidates.join(", "))
    } else {
        String::new()
    };
    ApiError::UnknownId(format!("`{field}`: unknown {kind} `{id}`{hint}{listed}"))
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
                    what,
                    "country",
                    text,
                    dataset.countries.iter().map(|c| c.code.as_str()).collect(),
                )
            })?;
        out.insert(code);
    }
    Ok(out.into_iter().collect())
}

/// A bloc id from a request, through the same lookup as the command line (`find_bloc`), the error
/// naming the field and the valid ids.
fn parse_bloc(dataset: &Dataset, field: &str, id: &str) -> Result<BlocId, ApiError> {
    find_bloc(dataset, id.trim()).map_err(|_| {
        unknown(
            field,
            "bloc",
            id,
            dataset.blocs.iter().map(|b| b.id.as_str()).collect(),
        )
    })
}

/// `policy` as the scenario's bloc policy (the rest of `base`, e.g. its avoided countries and transit
/// share caps, is kept).
fn bloc_policy(dataset: &Dataset, base: &Policy, policy: &BlocPolicy) -> Result<Policy, ApiError> {
    check_len("policy.avoid_blocs", policy.avoid_blocs.len())?;
    check_len("policy.also_via", policy.also_via.len())?;
    let mut out = Policy {
        avoid_blocs: Vec::new(),
        only_via_bloc: None,
        also_via_blocs: Vec::new(),
        also_via_countries: Vec::new(),
        ..base.clone()
    };
    for id in &policy.avoid_blocs {
        let b = parse_bloc(dataset, "policy.avoid_blocs", id)?;
        if !out.avoid_blocs.contains(&b) {
            out.avoid_blocs.push(b);
        }
    }
    out.only_via_bloc = match &policy.only_via_bloc {
        Some(id) => Some(parse_bloc(dataset, "policy.only_via_bloc", id)?),
        None => None,
    };
    if !policy.also_via.is_empty() && out.only_via_bloc.is_none() {
        return Err(ApiError::BadRequest(
            "`policy.also_via` widens `policy.only_via_bloc`, which is not set — set only_via_bloc \
             or leave also_via empty"
                .into(),
        ));
    }
    for text in &policy.also_via {
        // A bloc id first, then a country code: the reading of `also_via` in a scenario file.
        let text = text.trim();
        if let Some(b) = dataset.bloc_id(text) {
            if !out.also_via_blocs.contains(&b) {
                out.also_via_blocs.push(b);
            }
        } else if let Some(c) = CountryCode::parse(text).filter(|c| dataset.country(*c).is_some()) {
            if !out.also_via_countries.contains(&c) {
                out.also_via_countries.push(c);
            }
        } else {
            let blocs: Vec<&str> = dataset.blocs.iter().map(|b| b.id.as_str()).collect();
            let hint = closest(
                text,
                blocs
                    .iter()
                    .copied()
                    .chain(dataset.countries.iter().map(|c| c.code.as_str())),
            )
            .map(|s| format!(" — did you mean `{s}`?"))
            .unwrap_or_default();
            return Err(ApiError::UnknownId(format!(
                "`policy.also_via`: unknown bloc or country `{text}`{hint} (valid: a bloc id — {} — \
                 or a country code of the dataset)",
                blocs.join(", ")
            )));
        }
    }
    Ok(out)
}

/// The scenario with the request's outages and policy applied, and the bypass's avoid list.
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
                "off.links",
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
                "off.nodes",
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
                "off.chokepoints",
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
    if let Some(policy) = &request.policy {
        scenario.policy = bloc_policy(dataset, &scenario.policy, policy)?;
    }
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
    solver: &dyn LpSolver,
) -> Result<SolveResponse, ApiError> {
    let (scenario, off, avoid, bypass_avoid) = apply(dataset, base, request)?;
    let n_base = base.disruptions.len();
    let started = Instant::now();
    let (allocation, allocation_error) = match allocate(dataset, &scenario, solver) {
        Ok(a) => (Some(a), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let (bypass, bypass_error) =
        match scenario_bypass(dataset, &scenario, &bypass_avoid, true, solver) {
            Ok(b) => (b, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
    let solve_ms = started.elapsed().as_secs_f64() * 1000.0;
    let allocation_view = allocation
        .as_ref()
        .map(|a| FlowView::from_allocation(dataset, &scenario, a))
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
        policy: BlocPolicy::of(dataset, &scenario.policy),
        allocation: allocation
            .as_ref()
            .map(|a| AllocationRecord::new(dataset, &scenario, a)),
        allocation_error,
        bypass: bypass
            .iter()
            .map(|b| BypassRecord::new(dataset, b))
            .collect(),
        bypass_error,
    })
}
