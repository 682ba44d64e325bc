//! `[[markets]]`: where the scenario's supplies may go, with an optional limit and price.

use super::fields::{node, volume};
use crate::toml_reader::TableReader;
use corridor_model::units::{convert_amount, AmountUnit};
use corridor_model::*;

/// Appends every `[[markets]]` entry that reads cleanly to `scenario.markets`; a scenario with none (and
/// no other error) is an error.
pub(super) fn read_markets(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for t in root.tables("markets", diags) {
        let n = node(&t, ds, diags);
        let c = crate::resolve::table_commodity(&t, ds, diags);
        let limit = if t.table.contains_key("limit") {
            volume(&t, ds, "limit", c, false, diags)
        } else {
            None
        };
        let price = match (t.opt_f64("price_usd", diags), c) {
            (Some(p), Some(c)) => price_per_base_unit(&t, ds, c, p, diags),
            _ => None,
        };
        if !t.table.contains_key("limit") {
            unit_without_limit(&t, diags);
        }
        t.str_list("sources", diags);
        t.opt_str("notes", diags);
        t.finish(
            &[
                "node",
                "commodity",
                "limit",
                "unit",
                "price_usd",
                "price_unit",
                "sources",
                "notes",
            ],
            diags,
        );
        if let (Some(node), Some(commodity)) = (n, c) {
            if ds.node(node).kind != NodeKind::Market {
                diags.push(Diagnostic::warning(
                    &t.key_location("node"),
                    t.field("node"),
                    format!(
                        "node `{}` is a {}, not a market",
                        ds.node(node).id,
                        ds.node(node).kind
                    ),
                    "markets are normally nodes of kind `market`",
                ));
            }
            scenario.markets.push(Market {
                node,
                commodity,
                limit,
                price_usd: price,
                location: t.location(),
            });
        }
    }
    if scenario.markets.is_empty() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(Diagnostic::error(
            &scenario.location,
            "markets",
            "the scenario has no market",
            "add at least one [[markets]] entry",
        ));
    }
}

/// The price `p` (USD per `price_unit`, by default the commodity's base unit) in USD per base unit of `c`.
fn price_per_base_unit(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    c: CommodityId,
    p: f64,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let base_unit = ds.commodity(c).dimension.base_unit();
    let unit_text = t
        .opt_str("price_unit", diags)
        .unwrap_or_else(|| base_unit.to_string());
    let unit = match unit_text.parse::<AmountUnit>() {
        Ok(unit) => unit,
        Err(e) => {
            diags.push(Diagnostic::error(
                &t.key_location("price_unit"),
                t.field("price_unit"),
                format!("invalid unit `{unit_text}`"),
                e.to_string(),
            ));
            return None;
        }
    };
    match convert_amount(1.0, base_unit, unit, ds.bbl_per_t(c)) {
        Ok(k) if p.is_finite() => Some(p * k),
        Ok(_) => {
            diags.push(Diagnostic::error(
                &t.key_location("price_usd"),
                t.field("price_usd"),
                "price is not finite",
                "write a number",
            ));
            None
        }
        Err(e) => {
            diags.push(Diagnostic::error(
                &t.key_location("price_unit"),
                t.field("price_unit"),
                format!("unit mismatch: {e}"),
                "give the price per unit of the commodity",
            ));
            None
        }
    }
}

/// `unit` is only needed for a limit; it is accepted otherwise, with a word on where a price's unit goes.
fn unit_without_limit(t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) {
    let unit = t.opt_str("unit", diags);
    if unit.is_some() && t.table.contains_key("price_usd") && !t.table.contains_key("price_unit") {
        diags.push(Diagnostic::warning(
            &t.key_location("unit"),
            t.field("unit"),
            "`unit` applies to a limit, and this market has none",
            "the price is read per `price_unit` (default: the commodity's base unit, e.g. price_unit = \"bbl\")",
        ));
    }
}
