//! `[[growth]]` in a scenario: how a supply, a contract minimum or a market limit changes over the years
//! of a pathway. Optional; a scenario without it is the same in every year.

use crate::resolve::resolve;
use crate::toml_reader::TableReader;
use corridor_model::units::{closest, convert_rate, RateUnit};
use corridor_model::*;

/// Reads every `[[growth]]` table of `root` into `scenario.growth`. Runs after supplies, markets and
/// contracts, which the rules point at by position.
pub(crate) fn read_growth(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for t in root.tables("growth", diags) {
        let loc = t.location();
        let commodity = t.opt_str("commodity", diags).and_then(|text| {
            resolve(
                "commodity",
                &text,
                |s| ds.commodity_id(s),
                ds.commodities.iter().map(|c| c.id.as_str()),
                &t.key_location("commodity"),
                &t.field("commodity"),
                diags,
            )
        });
        let present: Vec<&str> = ["supply", "contract", "market", "background"]
            .into_iter()
            .filter(|k| t.table.contains_key(k))
            .collect();
        if present.len() != 1 {
            diags.push(Diagnostic::error(
                &loc,
                t.field("supply"),
                format!("{} targets given", present.len()),
                "name exactly one of supply (a supply's node), contract (a contract's name), market (a market's node) or background (a background flow's name)",
            ));
        }
        let target = target(&t, scenario, ds, commodity, diags);
        // Every target key counts as read: naming two is one mistake, reported above.
        for key in ["supply", "contract", "market", "background"] {
            t.raw(key);
        }
        // The unit the values are written in must fit the target's commodity.
        let target_commodity = match target {
            Some(GrowthTarget::Supply(i)) => scenario.supplies.get(i).map(|s| s.commodity),
            Some(GrowthTarget::Contract(i) | GrowthTarget::ContractMax(i)) => {
                scenario.contracts.get(i).map(|c| c.commodity)
            }
            Some(GrowthTarget::Background(i)) => scenario.background.get(i).map(|b| b.commodity),
            Some(GrowthTarget::MarketLimit(i)) => scenario.markets.get(i).map(|m| m.commodity),
            None => None,
        };
        let unit = t
            .opt_str("unit", diags)
            .and_then(|text| match text.parse::<RateUnit>() {
                Ok(u) => Some(u),
                Err(e) => {
                    diags.push(Diagnostic::error(
                        &t.key_location("unit"),
                        t.field("unit"),
                        format!("invalid unit `{text}`"),
                        e.to_string(),
                    ));
                    None
                }
            });
        let rule = rule(&t, scenario.year, unit, target_commodity, ds, diags);
        let sources: Vec<SourceId> = crate::cite::cited_sources(&t, ds, diags);
        if t.str_list("sources", diags).is_empty() {
            diags.push(Diagnostic::error(
                &loc,
                t.field("sources"),
                "figure without a source",
                "cite where the future volumes come from (or `corridor-assumptions` with a note)",
            ));
        }
        t.opt_str("notes", diags);
        t.finish(
            &[
                "supply",
                "contract",
                "market",
                "background",
                "commodity",
                "unit",
                "steps",
                "annual_pct",
                "sources",
                "notes",
            ],
            diags,
        );
        if let (1, Some(target), Some(rule)) = (present.len(), target, rule) {
            scenario.growth.push(Growth {
                target,
                rule,
                sources,
                location: loc,
            });
        }
    }
}

fn target(
    t: &TableReader<'_, '_>,
    scenario: &Scenario,
    ds: &Dataset,
    commodity: Option<CommodityId>,
    diags: &mut Vec<Diagnostic>,
) -> Option<GrowthTarget> {
    let by_node = |key: &str,
                   nodes: Vec<(usize, NodeId, CommodityId)>,
                   what: &str,
                   diags: &mut Vec<Diagnostic>|
     -> Option<usize> {
        let text = t.opt_str(key, diags)?;
        let node = resolve(
            "node",
            &text,
            |s| ds.node_id(s),
            ds.nodes.iter().map(|n| n.id.as_str()),
            &t.key_location(key),
            &t.field(key),
            diags,
        )?;
        let matching: Vec<usize> = nodes
            .iter()
            .filter(|(_, n, c)| *n == node && commodity.is_none_or(|k| k == *c))
            .map(|(i, _, _)| *i)
            .collect();
        match matching[..] {
            [i] => Some(i),
            [] => {
                diags.push(Diagnostic::error(
                    &t.key_location(key),
                    t.field(key),
                    format!("the scenario has no {what} at `{text}`"),
                    format!("name the node of one of the scenario's [[{what}s]]"),
                ));
                None
            }
            _ => {
                diags.push(Diagnostic::error(
                    &t.key_location(key),
                    t.field(key),
                    format!("several {what}s at `{text}`"),
                    "add `commodity = \"…\"` to say which",
                ));
                None
            }
        }
    };
    if t.table.contains_key("supply") {
        let supplies = scenario
            .supplies
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.node, s.commodity))
            .collect();
        return by_node("supply", supplies, "supply", diags).map(GrowthTarget::Supply);
    }
    if t.table.contains_key("market") {
        let markets = scenario
            .markets
            .iter()
            .enumerate()
            .map(|(i, m)| (i, m.node, m.commodity))
            .collect();
        let i = by_node("market", markets, "market", diags)?;
        if scenario.markets[i].limit.is_none() {
            diags.push(Diagnostic::error(
                &t.key_location("market"),
                t.field("market"),
                "this market has no limit to grow",
                "give the market a `limit` first",
            ));
            return None;
        }
        return Some(GrowthTarget::MarketLimit(i));
    }
    if t.table.contains_key("contract") {
        let text = t.opt_str("contract", diags)?;
        return match scenario.contracts.iter().position(|c| c.name == text) {
            // A ceiling-only contract grows its ceiling; otherwise the minimum grows.
            Some(i) if scenario.contracts[i].min_volume == 0.0 => {
                Some(GrowthTarget::ContractMax(i))
            }
            Some(i) => Some(GrowthTarget::Contract(i)),
            None => {
                let help = closest(&text, scenario.contracts.iter().map(|c| c.name.as_str()))
                    .map_or(
                        "name one of the scenario's [[contracts]] by its `name`".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                diags.push(Diagnostic::error(
                    &t.key_location("contract"),
                    t.field("contract"),
                    format!("unknown contract `{text}`"),
                    help,
                ));
                None
            }
        };
    }
    if t.table.contains_key("background") {
        let text = t.opt_str("background", diags)?;
        return match scenario.background.iter().position(|b| b.name == text) {
            Some(i) => Some(GrowthTarget::Background(i)),
            None => {
                let help = closest(&text, scenario.background.iter().map(|b| b.name.as_str()))
                    .map_or(
                        "name one of the scenario's [[background]] flows by its `name`".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                diags.push(Diagnostic::error(
                    &t.key_location("background"),
                    t.field("background"),
                    format!("unknown background flow `{text}`"),
                    help,
                ));
                None
            }
        };
    }
    None
}

fn rule(
    t: &TableReader<'_, '_>,
    scenario_year: i32,
    unit: Option<RateUnit>,
    commodity: Option<CommodityId>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<GrowthRule> {
    let has_steps = t.table.contains_key("steps");
    let has_pct = t.table.contains_key("annual_pct");
    // Both keys count as read, so that giving both is one mistake, not three.
    t.raw("steps");
    t.raw("annual_pct");
    if has_steps == has_pct {
        diags.push(Diagnostic::error(
            &t.location(),
            t.field("steps"),
            if has_steps {
                "both steps and annual_pct given"
            } else {
                "no growth given"
            },
            "give either steps = [{ year = 2025, volume = 2.2 }] (with `unit`) or annual_pct = 3",
        ));
        return None;
    }
    if has_pct {
        let pct = t.opt_f64("annual_pct", diags)?;
        if !(pct.is_finite() && pct > -100.0) {
            diags.push(Diagnostic::error(
                &t.key_location("annual_pct"),
                t.field("annual_pct"),
                format!("{pct} % a year is not a growth rate"),
                "write a percentage above −100, e.g. 3 or -2",
            ));
            return None;
        }
        return Some(GrowthRule::AnnualPct(pct));
    }
    let loc = t.key_location("steps");
    let field = t.field("steps");
    let help = "write steps = [{ year = 2025, volume = 2.2 }, …] with `unit = \"Mt/y\"`";
    let Some(array) = t.raw("steps").and_then(|i| i.as_array()) else {
        diags.push(Diagnostic::error(
            &loc,
            &field,
            "expected a list of steps",
            help,
        ));
        return None;
    };
    let Some(unit) = unit else {
        if !t.table.contains_key("unit") {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("unit"),
                "missing",
                "add `unit = \"Mt/y\"` (the unit of the steps' volumes)",
            ));
        }
        return None;
    };
    let mut steps: Vec<GrowthStep> = Vec::new();
    let mut ok = true;
    for (i, value) in array.iter().enumerate() {
        let at = format!("{field}[{}]", i + 1);
        let entry = value.as_inline_table();
        let year = entry
            .and_then(|e| e.get("year"))
            .and_then(|v| v.as_integer())
            .and_then(|y| i32::try_from(y).ok());
        let volume = entry
            .and_then(|e| e.get("volume"))
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
        let (Some(year), Some(volume)) = (year, volume) else {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                "each step needs a year and a volume",
                help,
            ));
            ok = false;
            continue;
        };
        if !(volume.is_finite() && volume >= 0.0) {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                format!("{volume} is not a volume"),
                "write a number of at least 0",
            ));
            ok = false;
            continue;
        }
        if year == scenario_year {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                format!("a step in the scenario year {scenario_year} itself"),
                "change the volume of the scenario year in its own table; steps say what differs in other years (earlier years for backtests, later ones for pathways)",
            ));
            ok = false;
            continue;
        }
        if steps.iter().any(|s| s.year == year) {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                format!("two steps in {year}"),
                "give one volume per year",
            ));
            ok = false;
            continue;
        }
        let Some(c) = commodity else {
            ok = false;
            continue;
        };
        let target = RateUnit::base(ds.commodity(c).dimension);
        match convert_rate(volume, unit, target, ds.bbl_per_t(c)) {
            Ok(v) => steps.push(GrowthStep { year, value: v }),
            Err(e) => {
                diags.push(Diagnostic::error(
                    &t.key_location("unit"),
                    t.field("unit"),
                    format!("unit mismatch: {e}"),
                    format!(
                        "`{}` is counted in {}; use a unit such as {}",
                        ds.commodity(c).id,
                        ds.commodity(c).dimension.base_unit(),
                        ds.commodity(c).display_unit()
                    ),
                ));
                return None;
            }
        }
    }
    steps.sort_by_key(|s| s.year);
    (ok && !steps.is_empty()).then_some(GrowthRule::Steps(steps))
}
