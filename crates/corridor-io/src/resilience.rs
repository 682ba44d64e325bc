//! The parts of a dataset that resilience analyses need: outage assumptions (`[[outage_defaults]]`,
//! `[[outage_events]]` in `dataset.toml`, the optional `outage_prob` / `outage_days` columns of
//! `links.csv`) and planned capacity-group expansions (`expansions = [...]` of a `[[capacity_groups]]`).
//! Every one of them is optional, so datasets written before they existed load unchanged.

use crate::cite::{parse_confidence, provenance, source_ids};
use crate::resolve::{check_duplicate, check_id_syntax, check_positive, resolve, table_derate_pct};
use crate::toml_reader::TableReader;
use corridor_model::units::{convert_rate, RateUnit};
use corridor_model::*;
use std::collections::{BTreeSet, HashMap};

/// Checks an annual probability and a mean duration; returns them when both are usable.
pub(crate) fn check_rate(
    prob: Option<f64>,
    days: Option<f64>,
    prob_at: (&Location, &str),
    days_at: (&Location, &str),
    diags: &mut Vec<Diagnostic>,
) -> Option<(f64, f64)> {
    let mut ok = true;
    if let Some(p) = prob {
        if !(0.0..=1.0).contains(&p) {
            diags.push(Diagnostic::error(
                prob_at.0,
                prob_at.1,
                format!("{p} is not a probability"),
                "write the chance of an outage in a year as a number from 0 to 1, e.g. 0.1 for once in ten years",
            ));
            ok = false;
        }
    }
    if let Some(d) = days {
        if !(d > 0.0 && d <= 365.0) {
            diags.push(Diagnostic::error(
                days_at.0,
                days_at.1,
                format!("{d} days is not a possible outage length"),
                "write the mean length of one outage in days, more than 0 and at most 365",
            ));
            ok = false;
        }
    }
    match (prob, days) {
        (Some(p), Some(d)) if ok => Some((p, d)),
        _ => None,
    }
}

/// The outage columns of one `links.csv` row (`outage_prob`, `outage_days`): both or neither.
pub(crate) fn link_outage_columns(
    prob_text: &str,
    days_text: &str,
    location: &Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<(f64, f64)> {
    if prob_text.is_empty() && days_text.is_empty() {
        return None;
    }
    let number = |text: &str, column: &str, diags: &mut Vec<Diagnostic>| -> Option<f64> {
        if text.is_empty() {
            diags.push(Diagnostic::error(
                location,
                column,
                "empty while the other outage column is filled",
                "give both outage_prob and outage_days, or neither (the mode's default then applies)",
            ));
            return None;
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                diags.push(Diagnostic::error(
                    location,
                    column,
                    format!("`{text}` is not a number"),
                    "write a plain number such as 0.1 or 14",
                ));
                None
            }
        }
    };
    let prob = number(prob_text, "outage_prob", diags);
    let days = number(days_text, "outage_days", diags);
    check_rate(
        prob,
        days,
        (location, "outage_prob"),
        (location, "outage_days"),
        diags,
    )
}

/// `expansions = [{ year, capacity, status, sources, confidence, notes }]` of a capacity group.
pub(crate) fn read_expansions(
    t: &TableReader<'_, '_>,
    unit: Option<RateUnit>,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<CapacityStep> {
    let Some(item) = t.raw("expansions") else {
        return Vec::new();
    };
    let loc = t.key_location("expansions");
    let field = t.field("expansions");
    let help = "write [{ year = 2028, capacity = 25, status = \"planned\", sources = [\"…\"], confidence = \"reported\" }]";
    let Some(array) = item.as_array() else {
        diags.push(Diagnostic::error(
            &loc,
            &field,
            "expected a list of expansions",
            help,
        ));
        return Vec::new();
    };
    let mut out: Vec<CapacityStep> = Vec::new();
    for (i, value) in array.iter().enumerate() {
        let at = format!("{field}[{}]", i + 1);
        let Some(entry) = value.as_inline_table() else {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                "expected { year, capacity, … }",
                help,
            ));
            continue;
        };
        let known = [
            "year",
            "capacity",
            "status",
            "sources",
            "confidence",
            "notes",
        ];
        for (key, _) in entry.iter() {
            if !known.contains(&key) {
                let hint = corridor_model::units::closest(key, known).map_or_else(
                    || format!("known fields: {}", known.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(Diagnostic::error(
                    &loc,
                    format!("{at}.{key}"),
                    "unknown field",
                    hint,
                ));
            }
        }
        let year = entry
            .get("year")
            .and_then(|v| v.as_integer())
            .and_then(|y| i32::try_from(y).ok());
        let capacity = entry
            .get("capacity")
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
        let (Some(year), Some(capacity)) = (year, capacity) else {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                "each expansion needs a year and a capacity",
                help,
            ));
            continue;
        };
        if !(1800..=2200).contains(&year) {
            diags.push(Diagnostic::error(
                &loc,
                format!("{at}.year"),
                format!("{year} is not a year an expansion can happen in"),
                "write the year the new capacity is available, between 1800 and 2200",
            ));
            continue;
        }
        if !check_positive(capacity, "capacity", &loc, &format!("{at}.capacity"), diags) {
            continue;
        }
        let status = match entry.get("status").and_then(|v| v.as_str()) {
            None => Status::Planned,
            Some(text) => match text.parse::<Status>() {
                Ok(s) => s,
                Err(e) => {
                    diags.push(Diagnostic::error(
                        &loc,
                        format!("{at}.status"),
                        format!("invalid status `{text}`"),
                        e,
                    ));
                    Status::Planned
                }
            },
        };
        let source_list: Vec<String> = match entry.get("sources") {
            Some(v) => match v.as_array() {
                Some(a) => a
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect(),
                None => v.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
            },
            None => Vec::new(),
        };
        let sources = source_ids(
            dataset,
            &source_list,
            &loc,
            &format!("{at}.sources"),
            true,
            diags,
        );
        let confidence = parse_confidence(
            entry
                .get("confidence")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            &loc,
            &format!("{at}.confidence"),
            diags,
        );
        let capacity_base = unit
            .and_then(|u| convert_rate(capacity, u, RateUnit::base(u.dimension()), None).ok())
            .unwrap_or(f64::NAN);
        if out.iter().any(|e| e.year == year) {
            diags.push(Diagnostic::error(
                &loc,
                &at,
                format!("two expansions in {year}"),
                "give one capacity per year",
            ));
        }
        out.push(CapacityStep {
            year,
            capacity,
            capacity_base,
            status,
            sources,
            confidence,
            notes: entry
                .get("notes")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string(),
        });
    }
    out.sort_by_key(|e| e.year);
    out
}

/// A rate read from a table with `annual_prob`, `mean_days`, `sources` and `confidence`.
fn read_rate(
    t: &TableReader<'_, '_>,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<OutageRate> {
    let prob = t.f64("annual_prob", diags);
    let days = t.f64("mean_days", diags);
    let (sources, confidence) = provenance(t, dataset, diags);
    let (annual_prob, mean_days) = check_rate(
        prob,
        days,
        (&t.key_location("annual_prob"), &t.field("annual_prob")),
        (&t.key_location("mean_days"), &t.field("mean_days")),
        diags,
    )?;
    Some(OutageRate {
        annual_prob,
        mean_days,
        sources,
        confidence,
    })
}

/// Reads `[[outage_defaults]]` and `[[outage_events]]` of `dataset.toml` into `dataset.outages`. Runs
/// after the links are read, since events name links, nodes and countries.
pub(crate) fn read_outage_tables(
    root: &TableReader<'_, '_>,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let ds: &Dataset = dataset;

    let mut defaults: Vec<OutageDefault> = Vec::new();
    let mut seen_modes: HashMap<String, Location> = HashMap::new();
    for t in root.tables("outage_defaults", diags) {
        let loc = t.location();
        let mode = match t.str("mode", diags).map(|m| m.parse::<Mode>()) {
            Some(Ok(m)) => Some(m),
            Some(Err(e)) => {
                diags.push(Diagnostic::error(
                    &t.key_location("mode"),
                    t.field("mode"),
                    "invalid mode",
                    e,
                ));
                None
            }
            None => None,
        };
        if let Some(m) = mode {
            check_duplicate(
                &mut seen_modes,
                "outage default for mode",
                m.as_str(),
                &loc,
                &t.field("mode"),
                diags,
            );
        }
        let rate = read_rate(&t, ds, diags);
        let notes = t.opt_str("notes", diags).unwrap_or_default();
        t.finish(
            &[
                "mode",
                "annual_prob",
                "mean_days",
                "sources",
                "confidence",
                "notes",
            ],
            diags,
        );
        if let (Some(mode), Some(rate)) = (mode, rate) {
            defaults.push(OutageDefault {
                mode,
                rate,
                notes,
                location: loc,
            });
        }
    }

    let mut events = Vec::new();
    let mut seen = HashMap::new();
    for t in root.tables("outage_events", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(&mut seen, "outage event", &id, &loc, &t.field("id"), diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        let rate = read_rate(&t, ds, diags);
        let derate_pct = table_derate_pct(
            &t,
            "100 takes the links out; 30 removes 30 % of their capacity while the event lasts",
            diags,
        );
        let mut scope = Vec::new();
        let mut candidates: BTreeSet<LinkId> = BTreeSet::new();
        let mut any_selector = false;
        for text in t.str_list("links", diags) {
            any_selector = true;
            scope.push(format!("link {text}"));
            if let Some(l) = resolve(
                "link",
                &text,
                |s| ds.link_id(s),
                ds.links.iter().map(|l| l.id.as_str()),
                &t.key_location("links"),
                &t.field("links"),
                diags,
            ) {
                candidates.insert(l);
            }
        }
        for text in t.str_list("nodes", diags) {
            any_selector = true;
            scope.push(format!("node {text}"));
            if let Some(n) = resolve(
                "node",
                &text,
                |s| ds.node_id(s),
                ds.nodes.iter().map(|n| n.id.as_str()),
                &t.key_location("nodes"),
                &t.field("nodes"),
                diags,
            ) {
                candidates.extend(ds.link_ids().filter(|&l| Element::Node(n).hits_link(ds, l)));
            }
        }
        for text in t.str_list("countries", diags) {
            any_selector = true;
            scope.push(format!("country {text}"));
            match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
                Some(c) => candidates.extend(
                    ds.link_ids()
                        .filter(|&l| Element::Country(c).hits_link(ds, l)),
                ),
                None => {
                    let help = corridor_model::units::closest(
                        &text,
                        ds.countries.iter().map(|c| c.code.as_str()),
                    )
                    .map_or(
                        "use a country declared under [[countries]]".to_string(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    diags.push(Diagnostic::error(
                        &t.key_location("countries"),
                        t.field("countries"),
                        format!("unknown country `{text}`"),
                        help,
                    ));
                }
            }
        }
        let mut modes = Vec::new();
        for text in t.str_list("modes", diags) {
            match text.parse::<Mode>() {
                Ok(m) => {
                    scope.push(format!("mode {m}"));
                    modes.push(m);
                }
                Err(e) => diags.push(Diagnostic::error(
                    &t.key_location("modes"),
                    t.field("modes"),
                    format!("invalid mode `{text}`"),
                    e,
                )),
            }
        }
        if !any_selector && modes.is_empty() {
            diags.push(Diagnostic::error(
                &loc,
                t.field("links"),
                "the event hits nothing",
                "name what it hits: links, nodes, countries and/or modes",
            ));
        }
        if !any_selector {
            candidates.extend(ds.link_ids());
        }
        let links: Vec<LinkId> = candidates
            .into_iter()
            .filter(|&l| modes.is_empty() || modes.contains(&ds.link(l).mode))
            .collect();
        if links.is_empty() && (any_selector || !modes.is_empty()) {
            diags.push(Diagnostic::warning(
                &loc,
                t.field("links"),
                "no link matches the event's selectors",
                "check the nodes, countries and modes it names",
            ));
        }
        let notes = t.opt_str("notes", diags).unwrap_or_default();
        t.finish(
            &[
                "id",
                "name",
                "annual_prob",
                "mean_days",
                "derate_pct",
                "links",
                "nodes",
                "countries",
                "modes",
                "sources",
                "confidence",
                "notes",
            ],
            diags,
        );
        if let Some(rate) = rate {
            events.push(OutageEvent {
                id,
                name,
                rate,
                derate_pct,
                links,
                scope,
                notes,
                location: loc,
            });
        }
    }
    dataset.outages.defaults = defaults;
    dataset.outages.events = events;
}
