//! Fields that several scenario tables share: a node, a volume with its unit, a list of links, a list of
//! years.

use crate::cite::read_rate_unit;
use crate::resolve::{check_positive, node_named, rate_in_base, table_links};
use crate::toml_reader::TableReader;
use corridor_model::*;

/// The years a scenario, a step or a disruption may name (docs/data-format.md, "Valid ranges").
pub(super) const MIN_YEAR: i32 = 1800;
pub(super) const MAX_YEAR: i32 = 2200;

/// The node named by the required `node = "…"` of a table.
pub(super) fn node(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<NodeId> {
    let text = t.str("node", diags)?;
    node_named(ds, &text, &t.key_location("node"), &t.field("node"), diags)
}

/// The volume `key` with its `unit`, converted to commodity `c`'s base unit per year; `required` says
/// whether a missing `key` is an error.
pub(super) fn volume(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    key: &str,
    c: Option<CommodityId>,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let value = if required {
        t.f64(key, diags)?
    } else {
        t.opt_f64(key, diags)?
    };
    if !check_positive(value, key, &t.key_location(key), &t.field(key), diags) {
        return None;
    }
    let unit_text = t.str("unit", diags)?;
    let unit = read_rate_unit(
        Some(unit_text),
        &t.key_location("unit"),
        &t.field("unit"),
        diags,
    )?;
    rate_in_base(
        ds,
        c?,
        value,
        unit,
        (&t.key_location(key), &t.field(key)),
        (&t.key_location("unit"), &t.field("unit")),
        diags,
    )
}

/// The links named by a `links` list, each resolved against the dataset (at least one).
pub(super) fn link_list(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<LinkId> {
    let names = t.str_list("links", diags);
    if names.is_empty() {
        diags.push(Diagnostic::error(
            &t.key_location("links"),
            t.field("links"),
            "no link",
            "name the link(s), e.g. links = [\"btc\"]",
        ));
    }
    table_links(t, "links", ds, diags)
}

/// An optional list of years, e.g. `years = [2022]`.
pub(super) fn year_list(
    t: &TableReader<'_, '_>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<i32> {
    let Some(item) = t.raw(key) else {
        return Vec::new();
    };
    let years: Option<Vec<i32>> = item.as_array().and_then(|a| {
        a.iter()
            .map(|v| {
                v.as_integer()
                    .and_then(|i| i32::try_from(i).ok())
                    .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
            })
            .collect()
    });
    match years {
        Some(y) if !y.is_empty() => y,
        _ => {
            diags.push(Diagnostic::error(
                &t.key_location(key),
                t.field(key),
                "expected a list of years",
                "write e.g. years = [2022] or years = [2022, 2023]",
            ));
            Vec::new()
        }
    }
}
