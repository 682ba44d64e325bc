//! Pathways: the scenario year by year. Links enter and leave service by their status and years,
//! capacity-group expansions apply from their year, and supplies, contract minimums and market limits
//! follow the scenario's `[[growth]]` rules. Each year gets its allocation and its bypass capacity (the
//! max-flow avoiding the named countries), and every constraint that binds is traced back to the first
//! year it binds.

use crate::allocate::{allocate, constraint_label, Binding, CommodityTotals, Constraint, Route};
use crate::capacity::CutItem;
use crate::reporter::Reporter;
use crate::AnalysisError;
use corridor_lp::LpSolver;
use corridor_model::*;
use std::collections::BTreeMap;

/// What a pathway covers.
#[derive(Clone, Debug)]
pub struct PathwayConfig {
    /// The first year, included.
    pub first_year: i32,
    /// The last year, included.
    pub last_year: i32,
    /// Countries the bypass avoids (the origins' own countries never are).
    pub avoid: Vec<CountryCode>,
}

/// The bypass capacity of one commodity in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct BypassYear {
    /// The commodity measured.
    pub commodity: CommodityId,
    /// Base units per year.
    pub capacity: f64,
    /// The links and groups in its minimum cut.
    pub bottleneck: Vec<CutItem>,
}

/// A contract's floor and ceiling in one year, base units per year.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractYear {
    /// The index of the contract in `Scenario::contracts`.
    pub contract: usize,
    /// The contract's commodity.
    pub commodity: CommodityId,
    /// The contract minimum that year.
    pub min_volume: f64,
    /// `None` when the contract has no ceiling.
    pub max_volume: Option<f64>,
}

/// One year of a pathway.
#[derive(Clone, Debug, PartialEq)]
pub struct PathwayYear {
    /// The calendar year.
    pub year: i32,
    /// Why the year has no allocation (an unmeetable contract, say); `None` when it solved.
    pub error: Option<String>,
    /// Supplied, delivered and unmet volume per commodity, base units per year (empty when `error`).
    pub totals: Vec<CommodityTotals>,
    /// Tariffs times flows, USD per year.
    pub transport_cost_usd: f64,
    /// The allocation's binding constraints, largest shadow price first.
    pub binding: Vec<Binding>,
    /// The bypass capacity of each commodity, avoiding the pathway's countries.
    pub bypass: Vec<BypassYear>,
    /// Every contract's floor and ceiling that year, after growth.
    pub contracts: Vec<ContractYear>,
    /// The routes of the year's least-cost allocation, every origin's.
    pub routes: Vec<Route>,
}

/// Where a constraint binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BottleneckRole {
    /// A binding row of the least-cost allocation.
    Allocation,
    /// In the bypass's minimum cut.
    Bypass,
}

impl BottleneckRole {
    /// `allocation` or `bypass`.
    pub fn label(self) -> &'static str {
        match self {
            BottleneckRole::Allocation => "allocation",
            BottleneckRole::Bypass => "bypass",
        }
    }
}

/// A constraint that binds in some year.
#[derive(Clone, Debug, PartialEq)]
pub struct Bottleneck {
    /// In the allocation or in the bypass's minimum cut.
    pub role: BottleneckRole,
    /// The link, group, contract or transit-share cap.
    pub constraint: Constraint,
    /// The first year it binds.
    pub first_year: i32,
    /// Every year it binds, in order.
    pub years: Vec<i32>,
    /// Allocation bottlenecks: the shadow price in the first year, USD per base unit per year.
    pub shadow_price_usd: Option<f64>,
}

/// The answer of [`pathway`].
#[derive(Clone, Debug, PartialEq)]
pub struct PathwayResult {
    /// The first year of the pathway.
    pub first_year: i32,
    /// The last year of the pathway.
    pub last_year: i32,
    /// The countries the bypass avoids.
    pub avoided: Vec<CountryCode>,
    /// One entry per year, in order.
    pub years: Vec<PathwayYear>,
    /// Ordered by first year, then role and id.
    pub bottlenecks: Vec<Bottleneck>,
}

/// Solves `scenario` for every year of `config`.
///
/// A year whose allocation has no answer (a contract minimum on a link not yet in service, say) is kept
/// with its `error`; the pathway goes on.
pub fn pathway(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &dyn LpSolver,
    config: &PathwayConfig,
    reporter: &dyn Reporter,
) -> Result<PathwayResult, AnalysisError> {
    if config.last_year < config.first_year {
        return Err(AnalysisError::Empty {
            what: format!(
                "the years {}..{} are empty: write the first year first, e.g. 2023..2030",
                config.first_year, config.last_year
            ),
        });
    }
    if config.last_year - config.first_year > 200 {
        return Err(AnalysisError::Empty {
            what: "a pathway covers at most 200 years".into(),
        });
    }
    reporter.start("years", (config.last_year - config.first_year + 1) as u64);
    let mut years = Vec::new();
    for year in config.first_year..=config.last_year {
        let sc = scenario.in_year(year);
        let contracts = sc
            .contracts
            .iter()
            .enumerate()
            .map(|(i, c)| ContractYear {
                contract: i,
                commodity: c.commodity,
                min_volume: c.min_volume,
                max_volume: c.max_volume,
            })
            .collect();
        let mut entry = PathwayYear {
            year,
            error: None,
            totals: Vec::new(),
            transport_cost_usd: 0.0,
            binding: Vec::new(),
            bypass: Vec::new(),
            contracts,
            routes: Vec::new(),
        };
        match allocate(dataset, &sc, solver) {
            Ok(a) => {
                entry.totals = a.totals;
                entry.transport_cost_usd = a.transport_cost_usd;
                entry.binding = a.binding;
                entry.routes = a.origins.into_iter().flat_map(|o| o.routes).collect();
            }
            Err(e @ (AnalysisError::Infeasible { .. } | AnalysisError::Unbounded { .. })) => {
                entry.error = Some(e.to_string());
            }
            Err(e) => return Err(e),
        }
        entry.bypass = bypass(dataset, &sc, solver, &config.avoid)?;
        years.push(entry);
        reporter.advance(1);
    }
    reporter.finish();

    // First year each constraint binds.
    let mut seen: BTreeMap<(BottleneckRole, Constraint), Bottleneck> = BTreeMap::new();
    for y in &years {
        for b in &y.binding {
            seen.entry((BottleneckRole::Allocation, b.constraint))
                .or_insert_with(|| Bottleneck {
                    role: BottleneckRole::Allocation,
                    constraint: b.constraint,
                    first_year: y.year,
                    years: Vec::new(),
                    shadow_price_usd: Some(b.shadow_price_usd),
                })
                .years
                .push(y.year);
        }
        for bp in &y.bypass {
            for item in &bp.bottleneck {
                let constraint = match *item {
                    CutItem::Link(l) => Constraint::Link(l),
                    CutItem::Group(g) => Constraint::Group(g),
                };
                let entry = seen
                    .entry((BottleneckRole::Bypass, constraint))
                    .or_insert_with(|| Bottleneck {
                        role: BottleneckRole::Bypass,
                        constraint,
                        first_year: y.year,
                        years: Vec::new(),
                        shadow_price_usd: None,
                    });
                if entry.years.last() != Some(&y.year) {
                    entry.years.push(y.year);
                }
            }
        }
    }
    let mut bottlenecks: Vec<Bottleneck> = seen.into_values().collect();
    let label = |b: &Bottleneck| constraint_label(dataset, scenario, b.constraint);
    bottlenecks.sort_by(|a, b| {
        a.first_year
            .cmp(&b.first_year)
            .then_with(|| a.role.cmp(&b.role))
            .then_with(|| label(a).cmp(&label(b)))
    });
    Ok(PathwayResult {
        first_year: config.first_year,
        last_year: config.last_year,
        avoided: config.avoid.clone(),
        years,
        bottlenecks,
    })
}

/// The bypass capacity per commodity of `scenario` (the question `corridor run` asks, see
/// [`crate::scenario_bypass`]), reduced to what a pathway year reports.
fn bypass(
    dataset: &Dataset,
    scenario: &Scenario,
    solver: &dyn LpSolver,
    avoid: &[CountryCode],
) -> Result<Vec<BypassYear>, AnalysisError> {
    Ok(
        crate::bypass::scenario_bypass(dataset, scenario, avoid, false, solver)?
            .into_iter()
            .map(|b| BypassYear {
                commodity: b.capacity.commodity,
                capacity: b.capacity.capacity,
                bottleneck: b.capacity.cut.iter().map(|e| e.item).collect(),
            })
            .collect(),
    )
}
