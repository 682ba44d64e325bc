//! Reading a scenario TOML file against a dataset, and the checks that need both.

use crate::resolve::{
    check_at_most, check_positive, rate_in_base, resolve, table_commodity, table_links, written,
    MAX_UNIT_USD,
};
use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::units::{closest, RateUnit};
use corridor_model::*;

use crate::cite::cited_sources;
use std::collections::{BTreeSet, VecDeque};

/// The `[scenario]` header fields needed before the dataset is known.
#[derive(Clone, Debug)]
pub struct ScenarioHeader {
    pub dataset: String,
    pub location: Location,
    /// The scenario this one changes (`extends = "kazakh-crude-2024"` or a path), if any.
    pub extends: Option<String>,
    /// Where `extends` is written (the `[scenario]` table when it is not).
    pub extends_location: Location,
}

/// Reads only `scenario.dataset`, so the caller can load the right dataset first.
pub fn scenario_header(file: &str, text: &str) -> Result<ScenarioHeader, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut diags) else {
        return Err(diags);
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let Some(header) = root.table("scenario", &mut diags) else {
        diags.push(Diagnostic::error(
            &Location::new(file, 1),
            "scenario",
            "missing [scenario] table",
            "add [scenario] with name, dataset and year",
        ));
        return Err(diags);
    };
    let dataset = header
        .opt_str("dataset", &mut diags)
        .unwrap_or_else(|| crate::EMBEDDED_DATASET.to_string());
    let extends = header.opt_str("extends", &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(ScenarioHeader {
        dataset,
        location: header.key_location("dataset"),
        extends_location: header.key_location("extends"),
        extends,
    })
}

/// Parses and resolves a scenario against `dataset`; returns it when no error was found, with every
/// diagnostic either way.
pub fn parse_scenario(
    file: &str,
    text: &str,
    dataset: &Dataset,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    parse_onto(file, text, dataset, None)
}

/// Parses a scenario that `extends` `base`: its `[scenario]` keys override the base's (all optional but
/// `name`), its supplies, markets, contracts, background flows, disruptions and growth rules are added,
/// and a contract with the name of one of the base's replaces it.
pub fn parse_overlay(
    file: &str,
    text: &str,
    dataset: &Dataset,
    base: &Scenario,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    parse_onto(file, text, dataset, Some(base))
}

fn parse_onto(
    file: &str,
    text: &str,
    dataset: &Dataset,
    base: Option<&Scenario>,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut diags) else {
        return (None, diags);
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let mut scenario = match base {
        Some(b) => Scenario {
            location: Location::new(file, 1),
            ..b.clone()
        },
        None => Scenario {
            location: Location::new(file, 1),
            ..Scenario::default()
        },
    };
    // Sources, nodes, links and link changes of the scenario's own were applied to the dataset by the
    // loader (`overlay::apply`).
    for key in ["sources", "nodes", "links", "link_changes"] {
        root.raw(key);
    }
    let ds = dataset;

    let node = |t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>| {
        let text = t.str("node", diags)?;
        resolve(
            "node",
            &text,
            |s| ds.node_id(s),
            ds.nodes.iter().map(|n| n.id.as_str()),
            &t.key_location("node"),
            &t.field("node"),
            diags,
        )
    };
    let commodity =
        |t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>| table_commodity(t, ds, diags);
    let sources =
        |t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>| cited_sources(t, ds, diags);
    // A volume with its unit, converted to the commodity's base unit per year.
    let volume = |t: &TableReader<'_, '_>,
                  key: &str,
                  c: Option<CommodityId>,
                  required: bool,
                  diags: &mut Vec<Diagnostic>|
     -> Option<f64> {
        let value = if required {
            t.f64(key, diags)?
        } else {
            t.opt_f64(key, diags)?
        };
        if !check_positive(value, key, &t.key_location(key), &t.field(key), diags) {
            return None;
        }
        let unit_text = t.str("unit", diags)?;
        let unit = match unit_text.parse::<RateUnit>() {
            Ok(u) => u,
            Err(e) => {
                diags.push(Diagnostic::error(
                    &t.key_location("unit"),
                    t.field("unit"),
                    format!("invalid unit `{unit_text}`"),
                    e.to_string(),
                ));
                return None;
            }
        };
        rate_in_base(
            ds,
            c?,
            value,
            unit,
            (&t.key_location(key), &t.field(key)),
            (&t.key_location("unit"), &t.field("unit")),
            diags,
        )
    };

    if let Some(h) = root.table("scenario", &mut diags) {
        scenario.name = h.str("name", &mut diags).unwrap_or_default();
        h.raw("extends");
        if let Some(d) = h.opt_str("description", &mut diags) {
            scenario.description = d;
        } else if base.is_none() {
            scenario.description = String::new();
        }
        match h.opt_str("dataset", &mut diags) {
            Some(d) => scenario.dataset = d,
            None if base.is_none() => scenario.dataset = crate::EMBEDDED_DATASET.into(),
            None => {}
        }
        match (h.opt_i32("year", &mut diags), base) {
            (Some(y), _) if !(MIN_YEAR..=MAX_YEAR).contains(&y) => {
                diags.push(Diagnostic::error(
                    &h.key_location("year"),
                    h.field("year"),
                    format!("{y} is not a year a scenario can model"),
                    format!("write a year between {MIN_YEAR} and {MAX_YEAR}, e.g. 2024"),
                ));
                // The rest is checked in the dataset's year, so that one wrong figure does not also
                // make every market unreachable.
                scenario.year = ds.meta.default_year;
            }
            // An overlay for another year starts from its base moved there: supplies, contracts and
            // limits take the base's growth rules for that year.
            (Some(y), Some(b)) if y != b.year => {
                let moved = b.in_year(y);
                scenario.supplies = moved.supplies;
                scenario.contracts = moved.contracts;
                scenario.markets = moved.markets;
                scenario.background = moved.background;
                scenario.year = y;
            }
            (Some(y), _) => scenario.year = y,
            (None, None) => scenario.year = ds.meta.default_year,
            (None, Some(_)) => {}
        }
        scenario.unmet_penalty_usd = match base {
            Some(b) => h
                .opt_f64("unmet_penalty_usd", &mut diags)
                .unwrap_or(b.unmet_penalty_usd),
            None => h.f64("unmet_penalty_usd", &mut diags).unwrap_or(0.0),
        };
        check_positive(
            scenario.unmet_penalty_usd,
            "unmet penalty",
            &h.key_location("unmet_penalty_usd"),
            &h.field("unmet_penalty_usd"),
            &mut diags,
        );
        check_at_most(
            scenario.unmet_penalty_usd,
            MAX_UNIT_USD,
            &format!(
                "the unmet penalty {} USD",
                written(scenario.unmet_penalty_usd)
            ),
            "1 million USD per base unit",
            &h.key_location("unmet_penalty_usd"),
            &h.field("unmet_penalty_usd"),
            &mut diags,
        );
        let own = sources(&h, &mut diags);
        if base.is_none() || !own.is_empty() {
            scenario.sources.extend(own);
        }
        scenario.location = h.location();
        if let Some(text) = h.opt_str("shippers", &mut diags) {
            match ds.shipper_scope(&text) {
                Some(scope) => scenario.shippers = Some(scope),
                None => diags.push(Diagnostic::error(
                    &h.key_location("shippers"),
                    h.field("shippers"),
                    format!("`{text}` is neither `all` nor a country of the dataset"),
                    "write the country whose shipments the scenario models (e.g. \"KZ\"), or \"all\"",
                )),
            }
        }
        if let Some(file) = h.opt_str("calibration", &mut diags) {
            // The file itself is read by `load_scenario`, which knows where the scenario lives.
            scenario.calibration = Some(Calibration {
                file,
                ..Calibration::default()
            });
        }
        h.finish(
            &[
                "name",
                "description",
                "dataset",
                "year",
                "unmet_penalty_usd",
                "shippers",
                "calibration",
                "extends",
                "sources",
            ],
            &mut diags,
        );
    } else {
        diags.push(Diagnostic::error(
            &Location::new(file, 1),
            "scenario",
            "missing [scenario] table",
            "add [scenario] with name, dataset, year and unmet_penalty_usd",
        ));
    }

    for t in root.tables("supplies", &mut diags) {
        let n = node(&t, &mut diags);
        let c = commodity(&t, &mut diags);
        let v = volume(&t, "volume", c, true, &mut diags);
        let s = sources(&t, &mut diags);
        if t.str_list("sources", &mut diags).is_empty() && scenario.sources.is_empty() {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("sources"),
                "figure without a source",
                "cite the source of this volume (or give [scenario] sources)",
            ));
        }
        t.opt_str("notes", &mut diags);
        let penalty = t.opt_f64("unmet_penalty_usd", &mut diags);
        if let Some(p) = penalty {
            check_positive(
                p,
                "unmet penalty",
                &t.key_location("unmet_penalty_usd"),
                &t.field("unmet_penalty_usd"),
                &mut diags,
            );
        }
        t.finish(
            &[
                "node",
                "commodity",
                "volume",
                "unit",
                "unmet_penalty_usd",
                "sources",
                "notes",
            ],
            &mut diags,
        );
        if let (Some(node), Some(commodity), Some(volume)) = (n, c, v) {
            scenario.supplies.push(Supply {
                node,
                commodity,
                volume,
                unmet_penalty_usd: penalty,
                sources: s,
                location: t.location(),
            });
        }
    }
    if scenario.supplies.is_empty() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(Diagnostic::error(
            &scenario.location,
            "supplies",
            "the scenario has no supply",
            "add at least one [[supplies]] entry",
        ));
    }

    for t in root.tables("markets", &mut diags) {
        let n = node(&t, &mut diags);
        let c = commodity(&t, &mut diags);
        let limit = if t.table.contains_key("limit") {
            volume(&t, "limit", c, false, &mut diags)
        } else {
            None
        };
        let price = match (t.opt_f64("price_usd", &mut diags), c) {
            (Some(p), Some(c)) => {
                let unit_text = t
                    .opt_str("price_unit", &mut diags)
                    .unwrap_or_else(|| ds.commodity(c).dimension.base_unit().to_string());
                match unit_text.parse::<corridor_model::units::AmountUnit>() {
                    Ok(unit) => {
                        let commodity = ds.commodity(c);
                        match corridor_model::units::convert_amount(
                            1.0,
                            commodity.dimension.base_unit(),
                            unit,
                            ds.bbl_per_t(c),
                        ) {
                            Ok(k) if p.is_finite() => Some(p * k),
                            Ok(_) => {
                                diags.push(Diagnostic::error(
                                    &t.key_location("price_usd"),
                                    t.field("price_usd"),
                                    "price is not finite",
                                    "write a number",
                                ));
                                None
                            }
                            Err(e) => {
                                diags.push(Diagnostic::error(
                                    &t.key_location("price_unit"),
                                    t.field("price_unit"),
                                    format!("unit mismatch: {e}"),
                                    "give the price per unit of the commodity",
                                ));
                                None
                            }
                        }
                    }
                    Err(e) => {
                        diags.push(Diagnostic::error(
                            &t.key_location("price_unit"),
                            t.field("price_unit"),
                            format!("invalid unit `{unit_text}`"),
                            e.to_string(),
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        if !t.table.contains_key("limit") {
            // `unit` is only needed for a limit; accept it otherwise, and say where a price's unit goes.
            let unit = t.opt_str("unit", &mut diags);
            if unit.is_some()
                && t.table.contains_key("price_usd")
                && !t.table.contains_key("price_unit")
            {
                diags.push(Diagnostic::warning(
                    &t.key_location("unit"),
                    t.field("unit"),
                    "`unit` applies to a limit, and this market has none",
                    "the price is read per `price_unit` (default: the commodity's base unit, e.g. price_unit = \"bbl\")",
                ));
            }
        }
        t.str_list("sources", &mut diags);
        t.opt_str("notes", &mut diags);
        t.finish(
            &[
                "node",
                "commodity",
                "limit",
                "unit",
                "price_usd",
                "price_unit",
                "sources",
                "notes",
            ],
            &mut diags,
        );
        if let (Some(node), Some(commodity)) = (n, c) {
            if ds.node(node).kind != NodeKind::Market {
                diags.push(Diagnostic::warning(
                    &t.key_location("node"),
                    t.field("node"),
                    format!(
                        "node `{}` is a {}, not a market",
                        ds.node(node).id,
                        ds.node(node).kind
                    ),
                    "markets are normally nodes of kind `market`",
                ));
            }
            scenario.markets.push(Market {
                node,
                commodity,
                limit,
                price_usd: price,
                location: t.location(),
            });
        }
    }
    if scenario.markets.is_empty() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(Diagnostic::error(
            &scenario.location,
            "markets",
            "the scenario has no market",
            "add at least one [[markets]] entry",
        ));
    }

    if let Some(p) = root.table("policy", &mut diags) {
        for text in p.str_list("avoid_countries", &mut diags) {
            match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
                Some(c) => scenario.policy.avoid_countries.push(c),
                None => {
                    let help = closest(&text, ds.countries.iter().map(|c| c.code.as_str()))
                        .map_or("use a country declared in the dataset".to_string(), |s| {
                            format!("did you mean `{s}`?")
                        });
                    diags.push(Diagnostic::error(
                        &p.key_location("avoid_countries"),
                        p.field("avoid_countries"),
                        format!("unknown country `{text}`"),
                        help,
                    ));
                }
            }
        }
        for text in p.str_list("avoid_blocs", &mut diags) {
            if let Some(b) = resolve(
                "bloc",
                &text,
                |s| ds.bloc_id(s),
                ds.blocs.iter().map(|b| b.id.as_str()),
                &p.key_location("avoid_blocs"),
                &p.field("avoid_blocs"),
                &mut diags,
            ) {
                scenario.policy.avoid_blocs.push(b);
            }
        }
        if let Some(text) = p.opt_str("only_via_bloc", &mut diags) {
            scenario.policy.only_via_bloc = resolve(
                "bloc",
                &text,
                |s| ds.bloc_id(s),
                ds.blocs.iter().map(|b| b.id.as_str()),
                &p.key_location("only_via_bloc"),
                &p.field("only_via_bloc"),
                &mut diags,
            );
        }
        for text in p.str_list("also_via", &mut diags) {
            if let Some(b) = ds.bloc_id(&text) {
                scenario.policy.also_via_blocs.push(b);
            } else if let Some(c) = CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
                scenario.policy.also_via_countries.push(c);
            } else {
                let known = ds
                    .blocs
                    .iter()
                    .map(|b| b.id.as_str())
                    .chain(ds.countries.iter().map(|c| c.code.as_str()));
                let help = closest(&text, known).map_or(
                    "use a bloc id or a country code declared in the dataset".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(Diagnostic::error(
                    &p.key_location("also_via"),
                    p.field("also_via"),
                    format!("unknown bloc or country `{text}`"),
                    help,
                ));
            }
        }
        if p.table.contains_key("also_via") && scenario.policy.only_via_bloc.is_none() {
            diags.push(Diagnostic::error(
                &p.key_location("also_via"),
                p.field("also_via"),
                "`also_via` widens `only_via_bloc`, which is not set",
                "add only_via_bloc = \"…\" or remove also_via",
            ));
        }
        if let Some(item) = p.raw("max_transit_share") {
            let loc = p.key_location("max_transit_share");
            let field = p.field("max_transit_share");
            let entries = item
                .as_array()
                .map(|a| a.iter().map(|v| v.as_inline_table()).collect::<Vec<_>>())
                .unwrap_or_default();
            if entries.is_empty() {
                diags.push(Diagnostic::error(
                    &loc,
                    &field,
                    "expected a list of { commodity, share }",
                    "write [{ commodity = \"crude\", share = 0.6 }]",
                ));
            }
            for entry in entries {
                let c = entry
                    .and_then(|e| e.get("commodity"))
                    .and_then(|v| v.as_str());
                let share = entry
                    .and_then(|e| e.get("share"))
                    .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
                match (c, share) {
                    (Some(c), Some(share)) => {
                        let commodity = resolve(
                            "commodity",
                            c,
                            |s| ds.commodity_id(s),
                            ds.commodities.iter().map(|c| c.id.as_str()),
                            &loc,
                            &field,
                            &mut diags,
                        );
                        if !(share > 0.0 && share <= 1.0) {
                            diags.push(Diagnostic::error(
                                &loc,
                                &field,
                                format!("share {share} is outside (0, 1]"),
                                "write a fraction such as 0.6 for 60 %",
                            ));
                        } else if let Some(commodity) = commodity {
                            scenario
                                .policy
                                .max_transit_share
                                .push(TransitShareCap { commodity, share });
                        }
                    }
                    _ => diags.push(Diagnostic::error(
                        &loc,
                        &field,
                        "each entry needs a commodity and a share",
                        "write { commodity = \"crude\", share = 0.6 }",
                    )),
                }
            }
        }
        p.finish(
            &[
                "avoid_countries",
                "avoid_blocs",
                "only_via_bloc",
                "also_via",
                "max_transit_share",
            ],
            &mut diags,
        );
    }

    for t in root.tables("contracts", &mut diags) {
        let c = commodity(&t, &mut diags);
        let links = table_links(&t, "links", ds, &mut diags);
        if links.is_empty()
            && t.table.contains_key("links")
            && !diags.iter().any(Diagnostic::is_error)
        {
            diags.push(Diagnostic::error(
                &t.key_location("links"),
                t.field("links"),
                "no link",
                "name the link(s) the contract runs over",
            ));
        }
        let has_max = t.table.contains_key("max_volume");
        let min = if has_max && !t.table.contains_key("min_volume") {
            Some(0.0)
        } else {
            volume(&t, "min_volume", c, true, &mut diags)
        };
        let max = if has_max {
            volume(&t, "max_volume", c, true, &mut diags)
        } else {
            None
        };
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                diags.push(Diagnostic::error(
                    &t.key_location("min_volume"),
                    t.field("min_volume"),
                    "the minimum is above the ceiling",
                    "check min_volume and max_volume",
                ));
            }
        }
        let s = sources(&t, &mut diags);
        if t.str_list("sources", &mut diags).is_empty() {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("sources"),
                "figure without a source",
                "cite the agreement",
            ));
        }
        let name = t.opt_str("name", &mut diags).unwrap_or_default();
        t.opt_str("notes", &mut diags);
        // `soft = true` with `penalty_usd` (per base unit short): a minimum that may be missed at a cost.
        let soft = match t.raw("soft") {
            None => false,
            Some(item) => match item.as_bool() {
                Some(b) => b,
                None => {
                    diags.push(Diagnostic::error(
                        &t.key_location("soft"),
                        t.field("soft"),
                        "expected true or false",
                        "write soft = true for a minimum that may be missed at a penalty",
                    ));
                    false
                }
            },
        };
        let penalty = t.opt_f64("penalty_usd", &mut diags);
        let shortfall_penalty_usd = match (soft, penalty) {
            (true, Some(p)) => {
                check_positive(
                    p,
                    "shortfall penalty",
                    &t.key_location("penalty_usd"),
                    &t.field("penalty_usd"),
                    &mut diags,
                );
                check_at_most(
                    p,
                    MAX_UNIT_USD,
                    &format!("the shortfall penalty {} USD", written(p)),
                    "1 million USD per base unit",
                    &t.key_location("penalty_usd"),
                    &t.field("penalty_usd"),
                    &mut diags,
                );
                Some(p)
            }
            (true, None) => {
                diags.push(Diagnostic::error(
                    &t.location(),
                    t.field("penalty_usd"),
                    "a soft contract needs a penalty",
                    "add penalty_usd = USD per base unit (t, m3, TEU) short of the minimum",
                ));
                None
            }
            (false, Some(_)) => {
                diags.push(Diagnostic::error(
                    &t.key_location("penalty_usd"),
                    t.field("penalty_usd"),
                    "a penalty on a hard contract",
                    "add soft = true, or remove penalty_usd",
                ));
                None
            }
            (false, None) => None,
        };
        t.finish(
            &[
                "name",
                "links",
                "commodity",
                "min_volume",
                "max_volume",
                "unit",
                "soft",
                "penalty_usd",
                "sources",
                "notes",
            ],
            &mut diags,
        );
        if let (Some(commodity), Some(min_volume), true) = (c, min, !has_max || max.is_some()) {
            for &l in &links {
                if !ds.link(l).carries(commodity) {
                    diags.push(Diagnostic::error(
                        &t.key_location("links"),
                        t.field("links"),
                        format!(
                            "link `{}` does not carry `{}`",
                            ds.link(l).id,
                            ds.commodity(commodity).id
                        ),
                        "name a link that carries the commodity",
                    ));
                }
            }
            let contract = Contract {
                name,
                links,
                commodity,
                min_volume,
                max_volume: max,
                shortfall_penalty_usd,
                sources: s,
                location: t.location(),
            };
            // In an overlay, a contract named like one of the base's replaces it (growth rules that
            // point at it keep pointing at it).
            match scenario
                .contracts
                .iter()
                .position(|c| base.is_some() && !c.name.is_empty() && c.name == contract.name)
            {
                Some(j) => scenario.contracts[j] = contract,
                None => scenario.contracts.push(contract),
            }
        }
    }

    for t in root.tables("background", &mut diags) {
        let c = commodity(&t, &mut diags);
        let links = link_list(&t, ds, &mut diags);
        let v = volume(&t, "volume", c, true, &mut diags);
        let s = sources(&t, &mut diags);
        if t.str_list("sources", &mut diags).is_empty() {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("sources"),
                "figure without a source",
                "cite where the volume of the other shippers comes from",
            ));
        }
        let name = t.str("name", &mut diags).unwrap_or_default();
        let notes = t.opt_str("notes", &mut diags).unwrap_or_default();
        t.finish(
            &[
                "name",
                "links",
                "commodity",
                "volume",
                "unit",
                "sources",
                "notes",
            ],
            &mut diags,
        );
        if let (Some(commodity), Some(volume)) = (c, v) {
            scenario.background.push(BackgroundFlow {
                name,
                links,
                commodity,
                volume,
                sources: s,
                notes,
                location: t.location(),
            });
        }
    }

    for t in root.tables("disruptions", &mut diags) {
        let loc = t.location();
        let mut targets = Vec::new();
        if let Some(text) = t.opt_str("link", &mut diags) {
            targets.extend(
                resolve(
                    "link",
                    &text,
                    |s| ds.link_id(s),
                    ds.links.iter().map(|l| l.id.as_str()),
                    &t.key_location("link"),
                    &t.field("link"),
                    &mut diags,
                )
                .map(Element::Link),
            );
        }
        if let Some(text) = t.opt_str("node", &mut diags) {
            targets.extend(
                resolve(
                    "node",
                    &text,
                    |s| ds.node_id(s),
                    ds.nodes.iter().map(|n| n.id.as_str()),
                    &t.key_location("node"),
                    &t.field("node"),
                    &mut diags,
                )
                .map(Element::Node),
            );
        }
        if let Some(text) = t.opt_str("country", &mut diags) {
            match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
                Some(c) => targets.push(Element::Country(c)),
                None => diags.push(Diagnostic::error(
                    &t.key_location("country"),
                    t.field("country"),
                    format!("unknown country `{text}`"),
                    "use a country declared in the dataset",
                )),
            }
        }
        if let Some(text) = t.opt_str("chokepoint", &mut diags) {
            targets.extend(
                resolve(
                    "chokepoint",
                    &text,
                    |s| ds.chokepoint_id(s),
                    ds.chokepoints.iter().map(|k| k.id.as_str()),
                    &t.key_location("chokepoint"),
                    &t.field("chokepoint"),
                    &mut diags,
                )
                .map(Element::Chokepoint),
            );
        }
        let present = ["link", "node", "country", "chokepoint"]
            .iter()
            .filter(|k| t.table.contains_key(k))
            .count();
        if present != 1 {
            diags.push(Diagnostic::error(
                &loc,
                t.field("link"),
                format!("{present} targets given"),
                "name exactly one of link, node, country or chokepoint",
            ));
        }
        let years = year_list(&t, "years", &mut diags);
        let derate_pct = t.opt_f64("derate_pct", &mut diags).unwrap_or(100.0);
        if !(derate_pct > 0.0 && derate_pct <= 100.0) {
            diags.push(Diagnostic::error(
                &t.key_location("derate_pct"),
                t.field("derate_pct"),
                format!("{derate_pct} is outside (0, 100]"),
                "100 takes the element out; 30 removes 30 % of its capacity",
            ));
        }
        t.opt_str("notes", &mut diags);
        t.str_list("sources", &mut diags);
        t.finish(
            &[
                "link",
                "node",
                "country",
                "chokepoint",
                "derate_pct",
                "years",
                "notes",
                "sources",
            ],
            &mut diags,
        );
        if let (1, Some(&element)) = (present, targets.first()) {
            scenario.disruptions.push(Disruption {
                element,
                derate_pct,
                years,
                location: loc,
            });
        }
    }

    crate::growth::read_growth(&root, &mut scenario, ds, &mut diags);

    if let Some(b) = root.table("bypass", &mut diags) {
        scenario.bypass.leave_out = crate::resolve::table_links(&b, "leave_out", ds, &mut diags);
        match b.opt_str("reason", &mut diags) {
            Some(r) if !r.trim().is_empty() => scenario.bypass.reason = r,
            _ => diags.push(Diagnostic::error(
                &b.location(),
                b.field("reason"),
                "missing",
                "say why the bypass question leaves these links out (it is shown beside the answer)",
            )),
        }
        b.finish(&["leave_out", "reason"], &mut diags);
    }

    root.finish(
        &[
            "scenario",
            "sources",
            "supplies",
            "markets",
            "policy",
            "contracts",
            "background",
            "disruptions",
            "growth",
            "bypass",
        ],
        &mut diags,
    );
    if !diags.iter().any(Diagnostic::is_error) {
        check_scenario(ds, &scenario, &mut diags);
    }
    diags.sort_by(|a, b| a.location.cmp(&b.location));
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(scenario), diags)
}

/// The links named by a `links` list, each resolved against the dataset (at least one).
fn link_list(t: &TableReader<'_, '_>, ds: &Dataset, diags: &mut Vec<Diagnostic>) -> Vec<LinkId> {
    let names = t.str_list("links", diags);
    if names.is_empty() {
        diags.push(Diagnostic::error(
            &t.key_location("links"),
            t.field("links"),
            "no link",
            "name the link(s), e.g. links = [\"btc\"]",
        ));
    }
    table_links(t, "links", ds, diags)
}

/// The years a scenario, a step or a disruption may name (docs/data-format.md, "Valid ranges").
const MIN_YEAR: i32 = 1800;
const MAX_YEAR: i32 = 2200;

/// An optional list of years, e.g. `years = [2022]`.
fn year_list(t: &TableReader<'_, '_>, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<i32> {
    let Some(item) = t.raw(key) else {
        return Vec::new();
    };
    let years: Option<Vec<i32>> = item.as_array().and_then(|a| {
        a.iter()
            .map(|v| {
                v.as_integer()
                    .and_then(|i| i32::try_from(i).ok())
                    .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
            })
            .collect()
    });
    match years {
        Some(y) if !y.is_empty() => y,
        _ => {
            diags.push(Diagnostic::error(
                &t.key_location(key),
                t.field(key),
                "expected a list of years",
                "write e.g. years = [2022] or years = [2022, 2023]",
            ));
            Vec::new()
        }
    }
}

/// Checks that need the whole scenario: links used outside their life, markets no supply can reach.
fn check_scenario(ds: &Dataset, scenario: &Scenario, diags: &mut Vec<Diagnostic>) {
    let year = scenario.year;
    for (i, contract) in scenario.contracts.iter().enumerate() {
        for &l in &contract.links {
            let link = ds.link(l);
            if !link.in_service(year) {
                diags.push(Diagnostic::error(
                    &contract.location,
                    format!("contracts[{}].links", i + 1),
                    format!(
                        "link `{}` is not in service in {year} (status {}, years {}–{})",
                        link.id,
                        link.status,
                        link.start_year.map_or("?".into(), |y| y.to_string()),
                        link.end_year.map_or("".into(), |y| y.to_string())
                    ),
                    "change the scenario year or the link's start/end years",
                ));
            }
        }
    }
    for (i, d) in scenario.disruptions.iter().enumerate() {
        if let Element::Link(l) = d.element {
            if !ds.link(l).in_service(year) {
                diags.push(Diagnostic::warning(
                    &d.location,
                    format!("disruptions[{}].link", i + 1),
                    format!(
                        "link `{}` is not in service in {year} anyway",
                        ds.link(l).id
                    ),
                    "the disruption has no effect",
                ));
            }
        }
    }
    for (i, market) in scenario.markets.iter().enumerate() {
        let field = |key: &str| format!("markets[{}].{key}", i + 1);
        let origins: Vec<NodeId> = scenario
            .supplies
            .iter()
            .filter(|s| s.commodity == market.commodity)
            .map(|s| s.node)
            .collect();
        if origins.is_empty() {
            diags.push(Diagnostic::warning(
                &market.location,
                field("commodity"),
                format!(
                    "no supply of `{}` in the scenario",
                    ds.commodity(market.commodity).id
                ),
                "add a supply or remove the market",
            ));
            continue;
        }
        if !reachable(ds, year, market.commodity, &origins).contains(&market.node) {
            diags.push(Diagnostic::error(
                &market.location,
                field("node"),
                format!("market `{}` is unreachable from every `{}` supply in {year}", ds.node(market.node).id, ds.commodity(market.commodity).id),
                "add or bring into service a link that carries the commodity there, or remove the market",
            ));
        }
    }
}

/// Nodes reachable from `origins` over links in service in `year` that carry `commodity`.
pub fn reachable(
    ds: &Dataset,
    year: i32,
    commodity: CommodityId,
    origins: &[NodeId],
) -> BTreeSet<NodeId> {
    let mut seen: BTreeSet<NodeId> = origins.iter().copied().collect();
    let mut queue: VecDeque<NodeId> = origins.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        for link in &ds.links {
            if !link.in_service(year) || !link.carries(commodity) {
                continue;
            }
            let next = if link.from == n {
                Some(link.to)
            } else if link.to == n && link.direction == Direction::Both {
                Some(link.from)
            } else {
                None
            };
            if let Some(next) = next {
                if seen.insert(next) {
                    queue.push_back(next);
                }
            }
        }
    }
    seen
}
