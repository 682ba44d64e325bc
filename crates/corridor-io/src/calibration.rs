//! Calibration files (`*.calibration.toml`, written by `corridor calibrate`): the implied premiums and the
//! completed baseline flows a scenario includes with `calibration = "…"`.

use crate::resolve::{table_commodity, table_link};
use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::units::{convert_rate, RateUnit};
use corridor_model::*;

/// Parses a calibration file against `dataset`. `name` is how the scenario named the file.
pub fn parse_calibration(
    name: &str,
    file: &str,
    text: &str,
    dataset: &Dataset,
) -> (Option<Calibration>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut diags) else {
        return (None, diags);
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let ds = dataset;
    let mut calibration = Calibration {
        file: name.to_string(),
        ..Calibration::default()
    };
    match root.table("calibration", &mut diags) {
        Some(h) => {
            h.opt_str("scenario", &mut diags);
            calibration.year = h.i32("year", &mut diags).unwrap_or_default();
            calibration.tie_break_usd = h.f64("tie_break_usd", &mut diags).unwrap_or_default();
            if !(calibration.tie_break_usd >= 0.0 && calibration.tie_break_usd.is_finite()) {
                diags.push(Diagnostic::error(
                    &h.key_location("tie_break_usd"),
                    h.field("tie_break_usd"),
                    "must be a finite number ≥ 0",
                    "write a small cost such as 0.01 (USD per base unit)",
                ));
            }
            for key in ["in_sample", "method", "notes"] {
                h.raw(key);
            }
            h.finish(
                &[
                    "scenario",
                    "year",
                    "tie_break_usd",
                    "in_sample",
                    "method",
                    "notes",
                ],
                &mut diags,
            );
        }
        None => diags.push(Diagnostic::error(
            &Location::new(file, 1),
            "calibration",
            "missing [calibration] table",
            "write the file with `corridor calibrate SCENARIO --year Y --out FILE`",
        )),
    }
    for t in root.tables("premiums", &mut diags) {
        let l = table_link(&t, "link", ds, &mut diags);
        let c = table_commodity(&t, ds, &mut diags);
        let usd = t.f64("usd_per_unit", &mut diags).filter(|v| v.is_finite());
        // `unit` says what the premium is per (the commodity's base unit); it is informative.
        t.opt_str("unit", &mut diags);
        t.finish(&["link", "commodity", "usd_per_unit", "unit"], &mut diags);
        if let (Some(link), Some(commodity), Some(usd_per_unit)) = (l, c, usd) {
            calibration.premiums.push(Premium {
                link,
                commodity,
                usd_per_unit,
            });
        }
    }
    for t in root.tables("reference", &mut diags) {
        let l = table_link(&t, "link", ds, &mut diags);
        let c = table_commodity(&t, ds, &mut diags);
        let value = t.f64("volume", &mut diags);
        let unit = t
            .str("unit", &mut diags)
            .and_then(|u| match u.parse::<RateUnit>() {
                Ok(u) => Some(u),
                Err(e) => {
                    diags.push(Diagnostic::error(
                        &t.key_location("unit"),
                        t.field("unit"),
                        format!("invalid unit `{u}`"),
                        e.to_string(),
                    ));
                    None
                }
            });
        let reverse = match t.raw("reverse").map(|i| i.as_bool()) {
            None => false,
            Some(Some(b)) => b,
            Some(None) => {
                diags.push(Diagnostic::error(
                    &t.key_location("reverse"),
                    t.field("reverse"),
                    "expected true or false",
                    "write reverse = true for the to → from direction of a two-way link",
                ));
                false
            }
        };
        t.finish(
            &["link", "commodity", "volume", "unit", "reverse"],
            &mut diags,
        );
        if let (Some(link), Some(commodity), Some(value), Some(unit)) = (l, c, value, unit) {
            let base = RateUnit::base(ds.commodity(commodity).dimension);
            match convert_rate(value, unit, base, ds.bbl_per_t(commodity)) {
                Ok(volume) if volume >= 0.0 => calibration.reference.push(ReferenceFlow {
                    link,
                    reverse,
                    commodity,
                    volume,
                }),
                Ok(_) => diags.push(Diagnostic::error(
                    &t.key_location("volume"),
                    t.field("volume"),
                    "a flow cannot be negative",
                    "write zero or a positive volume",
                )),
                Err(e) => diags.push(Diagnostic::error(
                    &t.key_location("unit"),
                    t.field("unit"),
                    format!("unit mismatch: {e}"),
                    "use the commodity's unit",
                )),
            }
        }
    }
    // Findings the calibration wrote for people to read.
    root.raw("residuals");
    root.finish(
        &["calibration", "premiums", "reference", "residuals"],
        &mut diags,
    );
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(calibration), diags)
}
