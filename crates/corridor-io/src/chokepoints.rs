//! `[[chokepoints]]` in `dataset.toml`: straits and canals, the countries that control them and the sea
//! legs that pass them. Read after the links, which they name.

use crate::cite::provenance;
use crate::resolve::{check_duplicate, check_id_syntax, table_links};
use crate::toml_reader::TableReader;
use corridor_model::*;
use std::collections::HashMap;

pub(crate) fn read_chokepoints(
    root: &TableReader<'_, '_>,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let ds: &Dataset = dataset;
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    for t in root.tables("chokepoints", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(&mut seen, "chokepoint", &id, &loc, &t.field("id"), diags);
        let name = t.str("name", diags).unwrap_or_default();
        let mut countries = Vec::new();
        for code in t.str_list("countries", diags) {
            match CountryCode::parse(&code).filter(|c| ds.country(*c).is_some()) {
                Some(c) => countries.push(c),
                None => diags.push(Diagnostic::error(
                    &t.key_location("countries"),
                    t.field("countries"),
                    format!("unknown country `{code}`"),
                    "declare it under [[countries]] first",
                )),
            }
        }
        if countries.is_empty() && !t.table.contains_key("countries") {
            diags.push(Diagnostic::error(
                &loc,
                t.field("countries"),
                "missing",
                "name the countries that control the passage, e.g. countries = [\"TR\"]",
            ));
        }
        let links = table_links(&t, "links", ds, diags);
        let (sources, confidence) = provenance(&t, ds, diags);
        let position = chokepoint_position(&t, diags);
        let notes = t.opt_str("notes", diags).unwrap_or_default();
        t.finish(
            &[
                "id",
                "name",
                "countries",
                "links",
                "sources",
                "confidence",
                "lat",
                "lon",
                "notes",
            ],
            diags,
        );
        out.push(Chokepoint {
            id,
            name,
            countries,
            links,
            sources,
            confidence,
            position,
            notes,
            location: loc,
        });
    }
    dataset.chokepoints = out;
}

/// `lat` and `lon` together (both or neither), inside their ranges.
fn chokepoint_position(t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<(f64, f64)> {
    let lat = t.opt_f64("lat", diags);
    let lon = t.opt_f64("lon", diags);
    match (lat, lon) {
        (None, None) => None,
        (Some(lat), Some(lon)) => {
            let mut ok = true;
            if !(-90.0..=90.0).contains(&lat) {
                ok = false;
                diags.push(Diagnostic::error(
                    &t.key_location("lat"),
                    t.field("lat"),
                    format!("latitude {lat} is outside −90…90"),
                    "check the coordinate (lat and lon swapped?)",
                ));
            }
            if !(-180.0..=180.0).contains(&lon) {
                ok = false;
                diags.push(Diagnostic::error(
                    &t.key_location("lon"),
                    t.field("lon"),
                    format!("longitude {lon} is outside −180…180"),
                    "check the coordinate",
                ));
            }
            ok.then_some((lon, lat))
        }
        (Some(_), None) | (None, Some(_)) => {
            let missing = if lat.is_none() { "lat" } else { "lon" };
            diags.push(Diagnostic::error(
                &t.location(),
                t.field(missing),
                "missing",
                "give both lat and lon (degrees) to mark the passage on maps, or neither",
            ));
            None
        }
    }
}
