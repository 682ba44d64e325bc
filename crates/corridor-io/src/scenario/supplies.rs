//! `[[supplies]]`: what the scenario ships, where, how much a year, and the penalty for leaving it unmet.

use super::fields::{node, volume};
use crate::cite::cited_sources;
use crate::resolve::{check_positive, table_commodity};
use crate::toml_reader::TableReader;
use corridor_model::*;

/// Appends every `[[supplies]]` entry that reads cleanly to `scenario.supplies`; a scenario with none
/// (and no other error) is an error.
pub(super) fn read_supplies(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for t in root.tables("supplies", diags) {
        let n = node(&t, ds, diags);
        let c = table_commodity(&t, ds, diags);
        let v = volume(&t, ds, "volume", c, true, diags);
        let s = cited_sources(&t, ds, diags);
        if t.str_list("sources", diags).is_empty() && scenario.sources.is_empty() {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("sources"),
                "figure without a source",
                "cite the source of this volume (or give [scenario] sources)",
            ));
        }
        t.opt_str("notes", diags);
        let penalty = t.opt_f64("unmet_penalty_usd", diags);
        if let Some(p) = penalty {
            check_positive(
                p,
                "unmet penalty",
                &t.key_location("unmet_penalty_usd"),
                &t.field("unmet_penalty_usd"),
                diags,
            );
        }
        t.finish(
            &[
                "node",
                "commodity",
                "volume",
                "unit",
                "unmet_penalty_usd",
                "sources",
                "notes",
            ],
            diags,
        );
        if let (Some(node), Some(commodity), Some(volume)) = (n, c, v) {
            scenario.supplies.push(Supply {
                node,
                commodity,
                volume,
                unmet_penalty_usd: penalty,
                sources: s,
                location: t.location(),
            });
        }
    }
    if scenario.supplies.is_empty() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(Diagnostic::error(
            &scenario.location,
            "supplies",
            "the scenario has no supply",
            "add at least one [[supplies]] entry",
        ));
    }
}
