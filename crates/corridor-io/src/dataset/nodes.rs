//! `nodes.csv`: the places links join — id, name, kind, country and coordinates.

use crate::csv_table::{read_csv, CsvRow};
use crate::resolve::{check_duplicate, check_id_syntax};
use corridor_model::units::closest;
use corridor_model::*;
use std::collections::HashMap;

/// The required columns of `nodes.csv` (and the keys of a scenario's `[[nodes]]`).
pub(super) const NODE_COLUMNS: [&str; 6] = ["id", "name", "kind", "country", "lat", "lon"];

/// Reads `nodes.csv` into `dataset`; returns the ids of the rows that could not be read.
pub(super) fn read_nodes(
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut seen = HashMap::new();
    let mut nodes = Vec::new();
    let ds: &Dataset = dataset;
    let optional = ["place", "notes"];
    let unreadable = read_csv(file, text, &NODE_COLUMNS, &optional, diags, |r, diags| {
        nodes.push(read_node(r, ds, &mut seen, diags));
    });
    dataset.nodes = nodes;
    unreadable
}

/// One row of `nodes.csv`; `seen` holds the ids of the rows above.
fn read_node(
    r: &CsvRow<'_>,
    ds: &Dataset,
    seen: &mut HashMap<String, Location>,
    diags: &mut Vec<Diagnostic>,
) -> Node {
    let id = r.required("id", diags).unwrap_or_default().to_string();
    check_id_syntax(&id, &r.location, "id", diags);
    check_duplicate(seen, "node", &id, &r.location, "id", diags);
    let kind = r
        .parsed::<NodeKind>("kind", diags)
        .unwrap_or(NodeKind::Junction);
    let country = node_country(r, ds, diags);
    let (lat, lon) = coordinates(r, diags);
    Node {
        name: r.required("name", diags).unwrap_or(&id).to_string(),
        id,
        kind,
        country,
        lat,
        lon,
        place: Some(r.get("place").trim())
            .filter(|p| !p.is_empty())
            .map(str::to_string),
        notes: r.get("notes").to_string(),
        location: r.location.clone(),
    }
}

/// The optional `country` column: a country declared in dataset.toml.
fn node_country(r: &CsvRow<'_>, ds: &Dataset, diags: &mut Vec<Diagnostic>) -> Option<CountryCode> {
    let text = r.get("country");
    if text.is_empty() {
        return None;
    }
    let found = CountryCode::parse(text).filter(|c| ds.country(*c).is_some());
    if found.is_none() {
        let help = match closest(text, ds.countries.iter().map(|c| c.code.as_str())) {
            Some(s) => format!("did you mean `{s}`? (or declare it under [[countries]])"),
            None => "declare it under [[countries]] in dataset.toml".into(),
        };
        diags.push(Diagnostic::error(
            &r.location,
            "country",
            format!("unknown country `{text}`"),
            help,
        ));
    }
    found
}

/// `lat` and `lon`, each checked to lie on the globe (0 where unreadable).
fn coordinates(r: &CsvRow<'_>, diags: &mut Vec<Diagnostic>) -> (f64, f64) {
    let lat = r.number("lat", diags).unwrap_or(0.0);
    let lon = r.number("lon", diags).unwrap_or(0.0);
    if !(-90.0..=90.0).contains(&lat) {
        diags.push(Diagnostic::error(
            &r.location,
            "lat",
            format!("latitude {lat} is outside −90…90"),
            "check the coordinate (lat and lon swapped?)",
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        diags.push(Diagnostic::error(
            &r.location,
            "lon",
            format!("longitude {lon} is outside −180…180"),
            "check the coordinate",
        ));
    }
    (lat, lon)
}
