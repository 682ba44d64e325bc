//! The `[scenario]` table: name, description, dataset, year, unmet penalty, sources, shippers and
//! calibration; in an overlay every key but `name` falls back to the base's.

use super::fields::{MAX_YEAR, MIN_YEAR};
use crate::cite::cited_sources;
use crate::resolve::{check_at_most, check_positive, written, MAX_UNIT_USD};
use crate::toml_reader::TableReader;
use corridor_model::*;

/// Reads `[scenario]` into `scenario` (a copy of `base` for an overlay), or reports it missing.
pub(super) fn read_header(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    base: Option<&Scenario>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(h) = root.table("scenario", diags) else {
        diags.push(Diagnostic::error(
            &Location::new(&scenario.location.file, 1),
            "scenario",
            "missing [scenario] table",
            "add [scenario] with name, dataset, year and unmet_penalty_usd",
        ));
        return;
    };
    scenario.name = h.str("name", diags).unwrap_or_default();
    h.raw("extends");
    if let Some(d) = h.opt_str("description", diags) {
        scenario.description = d;
    } else if base.is_none() {
        scenario.description = String::new();
    }
    match h.opt_str("dataset", diags) {
        Some(d) => scenario.dataset = d,
        None if base.is_none() => scenario.dataset = crate::EMBEDDED_DATASET.into(),
        None => {}
    }
    read_year(&h, scenario, ds, base, diags);
    read_unmet_penalty(&h, scenario, base, diags);
    let own = cited_sources(&h, ds, diags);
    if base.is_none() || !own.is_empty() {
        scenario.sources.extend(own);
    }
    scenario.location = h.location();
    read_shippers(&h, scenario, ds, diags);
    if let Some(file) = h.opt_str("calibration", diags) {
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
        diags,
    );
}

/// `year`: the dataset's default year when absent; an overlay for another year starts from its base
/// moved there.
fn read_year(
    h: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    base: Option<&Scenario>,
    diags: &mut Vec<Diagnostic>,
) {
    match (h.opt_i32("year", diags), base) {
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
}

/// `unmet_penalty_usd`: required in a scenario of its own, inherited in an overlay; positive and at most
/// [`MAX_UNIT_USD`].
fn read_unmet_penalty(
    h: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    base: Option<&Scenario>,
    diags: &mut Vec<Diagnostic>,
) {
    scenario.unmet_penalty_usd = match base {
        Some(b) => h
            .opt_f64("unmet_penalty_usd", diags)
            .unwrap_or(b.unmet_penalty_usd),
        None => h.f64("unmet_penalty_usd", diags).unwrap_or(0.0),
    };
    check_positive(
        scenario.unmet_penalty_usd,
        "unmet penalty",
        &h.key_location("unmet_penalty_usd"),
        &h.field("unmet_penalty_usd"),
        diags,
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
        diags,
    );
}

/// `shippers`: `all`, or the country whose shipments the scenario models.
fn read_shippers(
    h: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(text) = h.opt_str("shippers", diags) else {
        return;
    };
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
