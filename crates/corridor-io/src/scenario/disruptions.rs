//! `[[disruptions]]`: a link, node, country or chokepoint taken out (or derated) in some or all years.

use super::fields::year_list;
use crate::resolve::{link_named, node_named, resolve, table_derate_pct};
use crate::toml_reader::TableReader;
use corridor_model::*;

/// Appends every `[[disruptions]]` entry with exactly one known target to `scenario.disruptions`.
pub(super) fn read_disruptions(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for t in root.tables("disruptions", diags) {
        let loc = t.location();
        let targets = targets(&t, ds, diags);
        let present = ["link", "node", "country", "chokepoint"]
            .iter()
            .filter(|k| t.table.contains_key(k))
            .count();
        if present != 1 {
            diags.push(Diagnostic::error(
                &loc,
                t.field("link"),
                format!("{present} targets given"),
                "name exactly one of link, node, country or chokepoint",
            ));
        }
        let years = year_list(&t, "years", diags);
        let derate_pct = table_derate_pct(
            &t,
            "100 takes the element out; 30 removes 30 % of its capacity",
            diags,
        );
        t.opt_str("notes", diags);
        t.str_list("sources", diags);
        t.finish(
            &[
                "link",
                "node",
                "country",
                "chokepoint",
                "derate_pct",
                "years",
                "notes",
                "sources",
            ],
            diags,
        );
        if let (1, Some(&element)) = (present, targets.first()) {
            scenario.disruptions.push(Disruption {
                element,
                derate_pct,
                years,
                location: loc,
            });
        }
    }
}

/// The elements the `link`, `node`, `country` and `chokepoint` keys name (those that exist).
fn targets(t: &TableReader<'_, '_>, ds: &Dataset, diags: &mut Vec<Diagnostic>) -> Vec<Element> {
    let mut targets = Vec::new();
    let at = |key: &str| (t.key_location(key), t.field(key));
    if let Some(text) = t.opt_str("link", diags) {
        let (loc, field) = at("link");
        targets.extend(link_named(ds, &text, &loc, &field, diags).map(Element::Link));
    }
    if let Some(text) = t.opt_str("node", diags) {
        let (loc, field) = at("node");
        targets.extend(node_named(ds, &text, &loc, &field, diags).map(Element::Node));
    }
    if let Some(text) = t.opt_str("country", diags) {
        match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
            Some(c) => targets.push(Element::Country(c)),
            None => diags.push(Diagnostic::error(
                &t.key_location("country"),
                t.field("country"),
                format!("unknown country `{text}`"),
                "use a country declared in the dataset",
            )),
        }
    }
    if let Some(text) = t.opt_str("chokepoint", diags) {
        let (loc, field) = at("chokepoint");
        let known = ds.chokepoints.iter().map(|k| k.id.as_str());
        let found = resolve(
            "chokepoint",
            &text,
            |s| ds.chokepoint_id(s),
            known,
            &loc,
            &field,
            diags,
        );
        targets.extend(found.map(Element::Chokepoint));
    }
    targets
}
