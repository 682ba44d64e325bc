//! A scenario's own changes to its dataset: new nodes and links (`[[nodes]]`, `[[links]]`, with the
//! columns of `nodes.csv` and `links.csv`) and changed figures of existing links (`[[link_changes]]`:
//! capacity, tariff, status, years), each citing its sources.
//!
//! New items are appended and changed links keep their place, so every id the base scenario resolved
//! still points at the same node or link.

use crate::cite::cited_sources;
use crate::dataset::{read_links_into, read_nodes_into};
use crate::resolve::{check_positive, table_link};
use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::units::{convert_rate, RateUnit};
use corridor_model::{Dataset, Diagnostic, Link, Status};

/// Applies the changes `text` makes to `dataset`; returns the diagnostics (errors and warnings).
pub(crate) fn apply(file: &str, text: &str, dataset: &mut Dataset) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut diags) else {
        return diags;
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let nodes = root.tables("nodes", &mut diags);
    let rows: Vec<_> = nodes.iter().map(|t| (t.location(), row(t))).collect();
    read_nodes_into(&rows, dataset, &mut diags);
    let links = root.tables("links", &mut diags);
    let rows: Vec<_> = links.iter().map(|t| (t.location(), row(t))).collect();
    read_links_into(&rows, dataset, &mut diags);
    for t in root.tables("link_changes", &mut diags) {
        change_link(&t, dataset, &mut diags);
    }
    diags
}

/// A TOML table's keys and values as CSV cells, lists joined by `;`.
fn row(t: &TableReader<'_, '_>) -> Vec<(String, String)> {
    t.table
        .iter()
        .map(|(key, item)| {
            let value = match item.as_value() {
                Some(toml_edit::Value::Array(a)) => a
                    .iter()
                    .map(|v| match v.as_str() {
                        Some(s) => s.to_string(),
                        None => v.to_string().trim().to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
                Some(toml_edit::Value::String(s)) => s.value().clone(),
                Some(v) => v.to_string().trim().to_string(),
                None => String::new(),
            };
            (key.to_string(), value)
        })
        .collect()
}

/// One `[[link_changes]]` entry: the link keeps its place and id, with the figures given replaced.
fn change_link(t: &TableReader<'_, '_>, ds: &mut Dataset, diags: &mut Vec<Diagnostic>) {
    let loc = t.location();
    let Some(id) = table_link(t, "link", ds, diags) else {
        return;
    };
    let sources = cited_sources(t, ds, diags);
    if t.str_list("sources", diags).is_empty() {
        diags.push(Diagnostic::error(
            &loc,
            t.field("sources"),
            "a changed figure without a source",
            "cite where the new figure comes from",
        ));
    }
    let capacity = t.opt_f64("capacity", diags);
    let unit = t.opt_str("unit", diags);
    let tariff = t.opt_f64("tariff_usd", diags);
    let commodity = t.opt_str("commodity", diags);
    let status = t.opt_str("status", diags);
    let start_year = t.opt_i32("start_year", diags);
    let end_year = t.opt_i32("end_year", diags);
    let notes = t.opt_str("notes", diags);
    t.finish(
        &[
            "link",
            "capacity",
            "unit",
            "tariff_usd",
            "commodity",
            "status",
            "start_year",
            "end_year",
            "sources",
            "notes",
        ],
        diags,
    );
    let mut changed = ds.links[id.idx()].clone();
    change_capacity(t, &mut changed, capacity, unit.as_deref(), diags);
    if let Some(usd) = tariff {
        change_tariff(t, ds, &mut changed, usd, commodity.as_deref(), diags);
    }
    if let Some(s) = status {
        change_status(t, &mut changed, &s, diags);
    }
    if start_year.is_some() {
        changed.start_year = start_year;
    }
    if end_year.is_some() {
        changed.end_year = end_year;
    }
    if let Some(n) = notes {
        changed.notes = n;
    }
    changed.sources.extend(sources);
    changed.location = loc;
    ds.links[id.idx()] = changed;
}

/// A new `capacity` in `unit` (default: the link's own), kept in the dimension of the link's unit; a
/// unit without a capacity is an error.
fn change_capacity(
    t: &TableReader<'_, '_>,
    link: &mut Link,
    capacity: Option<f64>,
    unit: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(value) = capacity else {
        if unit.is_some() {
            diags.push(Diagnostic::error(
                &t.key_location("unit"),
                t.field("unit"),
                "a unit without a capacity",
                "add capacity = …, or remove unit",
            ));
        }
        return;
    };
    let (at, field) = (t.key_location("capacity"), t.field("capacity"));
    if !check_positive(value, "capacity", &at, &field, diags) {
        return;
    }
    let unit = match unit.map(str::parse::<RateUnit>) {
        None => Ok(link.capacity_unit),
        Some(Ok(u)) => Ok(u),
        Some(Err(e)) => Err(e.to_string()),
    };
    // The link's capacity is kept in its own unit's dimension: convert within it.
    match unit.and_then(|u| {
        convert_rate(value, u, link.capacity_unit, None)
            .map_err(|e| e.to_string())
            .map(|v| (u, v))
    }) {
        Ok((u, in_link_unit)) if link.capacity > 0.0 => {
            link.capacity_base = link.capacity_base * in_link_unit / link.capacity;
            link.capacity = value;
            link.capacity_unit = u;
        }
        Ok(_) => diags.push(Diagnostic::error(
            &at,
            field,
            "the link has no capacity to scale",
            "define the link anew under [[links]]",
        )),
        Err(e) => diags.push(Diagnostic::error(
            &t.key_location("unit"),
            t.field("unit"),
            e,
            format!(
                "give the capacity in a unit like the link's own ({})",
                link.capacity_unit
            ),
        )),
    }
}

/// A new tariff `usd` for `commodity` (which may be left out on a link that carries one).
fn change_tariff(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    link: &mut Link,
    usd: f64,
    commodity: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let slot = match commodity {
        None if link.carries.len() == 1 => Some(0),
        None => {
            diags.push(Diagnostic::error(
                &t.key_location("tariff_usd"),
                t.field("tariff_usd"),
                "the link carries several commodities",
                "add commodity = \"…\" to say whose tariff changes",
            ));
            None
        }
        Some(c) => {
            let found = ds
                .commodity_id(c)
                .and_then(|cid| link.carries.iter().position(|k| k.commodity == cid));
            if found.is_none() {
                diags.push(Diagnostic::error(
                    &t.key_location("commodity"),
                    t.field("commodity"),
                    format!("link `{}` does not carry `{c}`", link.id),
                    "name a commodity the link carries",
                ));
            }
            found
        }
    };
    if usd < 0.0 || !usd.is_finite() {
        diags.push(Diagnostic::error(
            &t.key_location("tariff_usd"),
            t.field("tariff_usd"),
            format!("tariff {usd} is not a number ≥ 0"),
            "give USD per base unit of the commodity (t, m3, TEU)",
        ));
    } else if let Some(i) = slot {
        link.carries[i].tariff_usd = usd;
    }
}

/// A new `status`: the link's status in every year of the scenario.
fn change_status(t: &TableReader<'_, '_>, link: &mut Link, s: &str, diags: &mut Vec<Diagnostic>) {
    match s.parse::<Status>() {
        Ok(s) => {
            link.status = s;
            // A status given here is the link's status in every year of the scenario.
            link.status_history.clear();
        }
        Err(e) => diags.push(Diagnostic::error(
            &t.key_location("status"),
            t.field("status"),
            format!("unknown status `{s}`"),
            e,
        )),
    }
}
