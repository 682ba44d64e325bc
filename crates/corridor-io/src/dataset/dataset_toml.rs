//! `dataset.toml`: what the CSV files name — the dataset's header, sources, countries, grades,
//! commodities, blocs and capacity groups — each table read by a function of its own, in the order they
//! depend on one another.

use super::blocs::read_blocs;
use super::commodities::read_commodities;
use super::groups::read_capacity_groups;
use super::sources::read_sources;
use crate::cite::provenance;
use crate::resolve::{check_duplicate, check_id_syntax, check_positive};
use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::*;
use std::collections::HashMap;

/// Reads every table of `dataset.toml` into `dataset` (its link tables are read later, once the links
/// exist).
pub(super) fn read_dataset_toml(
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, diags) else {
        return;
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    read_meta(&root, file, dataset, diags);
    let sources = read_sources(&root, &mut HashMap::new(), diags);
    dataset.sources.extend(sources);
    dataset.reindex();
    read_countries(&root, dataset, diags);
    read_grades(&root, dataset, diags);
    dataset.reindex();
    read_commodities(&root, dataset, diags);
    dataset.reindex();
    read_blocs(&root, dataset, diags);
    read_capacity_groups(&root, dataset, diags);
    // Read after the links (they name links, nodes and countries) by `resilience::read_outage_tables`
    // and `chokepoints::read_chokepoints`.
    root.raw("outage_defaults");
    root.raw("outage_events");
    root.raw("chokepoints");
    root.finish(
        &[
            "dataset",
            "sources",
            "countries",
            "blocs",
            "commodities",
            "grades",
            "capacity_groups",
            "outage_defaults",
            "outage_events",
            "chokepoints",
        ],
        diags,
    );
}

/// `[dataset]`: id, name, description, version and the default year (1900–2200).
fn read_meta(
    root: &TableReader<'_, '_>,
    file: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(meta) = root.table("dataset", diags) else {
        diags.push(Diagnostic::error(
            &Location::new(file, 1),
            "dataset",
            "missing [dataset] table",
            "add [dataset] with id, name and default_year",
        ));
        return;
    };
    dataset.meta = DatasetMeta {
        id: meta.str("id", diags).unwrap_or_default(),
        name: meta.str("name", diags).unwrap_or_default(),
        description: meta.opt_str("description", diags).unwrap_or_default(),
        version: meta.opt_str("version", diags).unwrap_or_default(),
        default_year: meta.i32("default_year", diags).unwrap_or(2024),
    };
    if !(1900..=2200).contains(&dataset.meta.default_year) {
        diags.push(Diagnostic::error(
            &meta.key_location("default_year"),
            meta.field("default_year"),
            format!("{} is not a plausible year", dataset.meta.default_year),
            "write the year the figures describe, between 1900 and 2200, e.g. 2024",
        ));
    }
    meta.finish(
        &["id", "name", "description", "version", "default_year"],
        diags,
    );
}

/// `[[countries]]`: ISO 3166-1 alpha-2 codes with their names.
fn read_countries(root: &TableReader<'_, '_>, dataset: &mut Dataset, diags: &mut Vec<Diagnostic>) {
    let mut seen = HashMap::new();
    for t in root.tables("countries", diags) {
        let loc = t.location();
        let text = t.str("code", diags).unwrap_or_default();
        let Some(code) = CountryCode::parse(&text)
            .filter(|_| text.trim().chars().all(|c| c.is_ascii_uppercase()))
        else {
            diags.push(Diagnostic::error(
                &t.key_location("code"),
                t.field("code"),
                format!("`{text}` is not an ISO 3166-1 alpha-2 code"),
                "write two upper-case letters, e.g. KZ",
            ));
            continue;
        };
        let field = t.field("code");
        check_duplicate(&mut seen, "country", code.as_str(), &loc, &field, diags);
        let name = t.str("name", diags).unwrap_or_default();
        t.finish(&["code", "name"], diags);
        dataset.countries.push(Country {
            code,
            name,
            location: loc,
        });
    }
}

/// `[[grades]]`: crude grades with their barrels per tonne (5–9.5), sourced.
fn read_grades(root: &TableReader<'_, '_>, dataset: &mut Dataset, diags: &mut Vec<Diagnostic>) {
    let mut seen = HashMap::new();
    for t in root.tables("grades", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(&mut seen, "grade", &id, &loc, &t.field("id"), diags);
        let bbl_per_t = t.f64("bbl_per_t", diags).unwrap_or(f64::NAN);
        let (at, field) = (t.key_location("bbl_per_t"), t.field("bbl_per_t"));
        if check_positive(bbl_per_t, "barrels per tonne", &at, &field, diags)
            && !(5.0..=9.5).contains(&bbl_per_t)
        {
            diags.push(Diagnostic::error(
                &at,
                field,
                format!(
                    "{bbl_per_t} barrels per tonne is outside the range of real crudes (5–9.5)"
                ),
                "check the figure: light crudes are about 7.5–8, heavy ones about 6.5–7",
            ));
        }
        let (sources, confidence) = provenance(&t, dataset, diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &["id", "name", "bbl_per_t", "sources", "confidence", "notes"],
            diags,
        );
        dataset.grades.push(Grade {
            name,
            id,
            bbl_per_t,
            sources,
            confidence,
            location: loc,
        });
    }
}
