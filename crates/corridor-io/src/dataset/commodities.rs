//! `[[commodities]]`: what moves — its dimension (mass, oil volume, gas volume, containers), default
//! grade and, for sharing a capacity counted in tonnes, its sourced tonnes per unit.

use crate::cite::provenance;
use crate::resolve::{check_duplicate, check_id_syntax, check_positive, resolve};
use crate::toml_reader::TableReader;
use corridor_model::units::Dimension;
use corridor_model::*;
use std::collections::HashMap;

/// Appends every `[[commodities]]` entry to `dataset.commodities` (after the grades they name).
pub(super) fn read_commodities(
    root: &TableReader<'_, '_>,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = HashMap::new();
    for t in root.tables("commodities", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        check_duplicate(&mut seen, "commodity", &id, &loc, &t.field("id"), diags);
        let dimension = dimension(&t, diags);
        let default_grade = t.opt_str("default_grade", diags).and_then(|g| {
            resolve(
                "grade",
                &g,
                |s| dataset.grade_id(s),
                dataset.grades.iter().map(|g| g.id.as_str()),
                &t.key_location("default_grade"),
                &t.field("default_grade"),
                diags,
            )
        });
        let tonnes_per_unit = tonnes_per_unit(&t, dataset, diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &[
                "id",
                "name",
                "dimension",
                "default_grade",
                "tonnes_per_unit",
                "notes",
            ],
            diags,
        );
        dataset.commodities.push(Commodity {
            name,
            id,
            dimension,
            default_grade,
            tonnes_per_unit,
            location: loc,
        });
    }
}

/// The required `dimension` (mass where it does not read).
fn dimension(t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Dimension {
    match t.str("dimension", diags).map(|d| d.parse::<Dimension>()) {
        Some(Ok(d)) => d,
        Some(Err(e)) => {
            diags.push(Diagnostic::error(
                &t.key_location("dimension"),
                t.field("dimension"),
                "invalid dimension",
                e,
            ));
            Dimension::Mass
        }
        None => Dimension::Mass,
    }
}

/// The optional `tonnes_per_unit = { value, sources, confidence }`; a bare number has no source, which
/// is an error.
fn tonnes_per_unit(
    t: &TableReader<'_, '_>,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<Sourced<f64>> {
    let tonnes_per_unit = t.table("tonnes_per_unit", diags).and_then(|tpu| {
        let value = tpu.f64("value", diags)?;
        check_positive(
            value,
            "tonnes per unit",
            &tpu.key_location("value"),
            &tpu.field("value"),
            diags,
        );
        let (sources, confidence) = provenance(&tpu, dataset, diags);
        tpu.opt_str("notes", diags);
        tpu.finish(&["value", "sources", "confidence", "notes"], diags);
        Some(Sourced {
            value,
            sources,
            confidence,
        })
    });
    if tonnes_per_unit.is_none() {
        // A `tonnes_per_unit = 14.0` written as a bare number is also accepted, but then it has no
        // source, which is an error of its own.
        if let Some(item) = t.raw("tonnes_per_unit") {
            if item.as_table().is_none() {
                diags.push(Diagnostic::error(
                    &t.key_location("tonnes_per_unit"),
                    t.field("tonnes_per_unit"),
                    "figure without a source",
                    "write it as { value = …, sources = [\"…\"], confidence = \"estimate\" }",
                ));
            }
        }
    }
    tonnes_per_unit
}
