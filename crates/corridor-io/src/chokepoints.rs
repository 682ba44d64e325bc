//! `[[chokepoints]]` in `dataset.toml`: straits and canals, the countries that control them and the sea
//! legs that pass them. Read after the links, which they name.

use crate::dataset::provenance;
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
        let notes = t.opt_str("notes", diags).unwrap_or_default();
        t.finish(
            &[
                "id",
                "name",
                "countries",
                "links",
                "sources",
                "confidence",
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
            notes,
            location: loc,
        });
    }
    dataset.chokepoints = out;
}
