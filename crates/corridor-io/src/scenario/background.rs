//! `[[background]]`: volumes other shippers move over the scenario's links, which take up capacity.

use super::fields::{link_list, volume};
use crate::cite::cited_sources;
use crate::resolve::table_commodity;
use crate::toml_reader::TableReader;
use corridor_model::*;

/// Appends every `[[background]]` flow that reads cleanly to `scenario.background`.
pub(super) fn read_background(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for t in root.tables("background", diags) {
        let c = table_commodity(&t, ds, diags);
        let links = link_list(&t, ds, diags);
        let v = volume(&t, ds, "volume", c, true, diags);
        let s = cited_sources(&t, ds, diags);
        if t.str_list("sources", diags).is_empty() {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("sources"),
                "figure without a source",
                "cite where the volume of the other shippers comes from",
            ));
        }
        let name = t.str("name", diags).unwrap_or_default();
        let notes = t.opt_str("notes", diags).unwrap_or_default();
        t.finish(
            &[
                "name",
                "links",
                "commodity",
                "volume",
                "unit",
                "sources",
                "notes",
            ],
            diags,
        );
        if let (Some(commodity), Some(volume)) = (c, v) {
            scenario.background.push(BackgroundFlow {
                name,
                links,
                commodity,
                volume,
                sources: s,
                notes,
                location: t.location(),
            });
        }
    }
}
