//! `[[capacity_groups]]`: a capacity several links share (a port, a border crossing), in tonnes, cubic
//! metres or TEU, with planned expansions.

use crate::cite::{provenance, read_rate_unit};
use crate::resolve::{check_duplicate, check_id_syntax, check_positive};
use crate::toml_reader::TableReader;
use corridor_model::units::{convert_rate, Dimension, RateUnit};
use corridor_model::*;
use std::collections::HashMap;

/// Appends every `[[capacity_groups]]` entry to `dataset.capacity_groups`.
pub(super) fn read_capacity_groups(
    root: &TableReader<'_, '_>,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = HashMap::new();
    for t in root.tables("capacity_groups", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_id_syntax(&id, &loc, &t.field("id"), diags);
        let field = t.field("id");
        check_duplicate(&mut seen, "capacity group", &id, &loc, &field, diags);
        let (capacity, unit, capacity_base) = group_capacity(&t, diags);
        let (sources, confidence) = provenance(&t, dataset, diags);
        let year = t.i32("year", diags).unwrap_or(0);
        let expansions = crate::resilience::read_expansions(&t, unit, dataset, diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &[
                "id",
                "name",
                "capacity",
                "unit",
                "sources",
                "confidence",
                "year",
                "expansions",
                "notes",
            ],
            diags,
        );
        dataset.capacity_groups.push(CapacityGroup {
            name,
            id,
            capacity_base,
            capacity,
            unit: unit.unwrap_or(RateUnit::base(Dimension::Mass)),
            sources,
            confidence,
            year,
            expansions,
            location: loc,
        });
    }
}

/// `capacity` and `unit` (not barrels): the capacity as written, its unit, and in base units per year.
fn group_capacity(
    t: &TableReader<'_, '_>,
    diags: &mut Vec<Diagnostic>,
) -> (f64, Option<RateUnit>, f64) {
    let capacity = t.f64("capacity", diags).unwrap_or(f64::NAN);
    check_positive(
        capacity,
        "capacity",
        &t.key_location("capacity"),
        &t.field("capacity"),
        diags,
    );
    let unit = read_rate_unit(
        t.str("unit", diags),
        &t.key_location("unit"),
        &t.field("unit"),
        diags,
    );
    let capacity_base = unit
        .and_then(|u| convert_rate(capacity, u, RateUnit::base(u.dimension()), None).ok())
        .unwrap_or(f64::NAN);
    if matches!(unit, Some(u) if u.dimension() == Dimension::OilVolume) {
        diags.push(Diagnostic::error(
            &t.key_location("unit"),
            t.field("unit"),
            "a capacity group cannot be measured in barrels",
            "give the group capacity in tonnes (e.g. Mt/y), converted with the grade it refers to",
        ));
    }
    (capacity, unit, capacity_base)
}
