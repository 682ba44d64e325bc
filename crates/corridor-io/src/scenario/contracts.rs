//! `[[contracts]]`: agreed minimum (floor) or maximum (ceiling) volumes over named links; a soft minimum
//! may be missed at a penalty. In an overlay, a contract named like one of the base's replaces it.

use super::fields::volume;
use crate::cite::cited_sources;
use crate::resolve::{
    check_at_most, check_positive, table_commodity, table_links, written, MAX_UNIT_USD,
};
use crate::toml_reader::TableReader;
use corridor_model::*;

/// Reads every `[[contracts]]` entry into `scenario.contracts`; `overlay` says whether a contract named
/// like an existing one replaces it.
pub(super) fn read_contracts(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    overlay: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for t in root.tables("contracts", diags) {
        let Some(contract) = read_contract(&t, ds, diags) else {
            continue;
        };
        // In an overlay, a contract named like one of the base's replaces it (growth rules that
        // point at it keep pointing at it).
        match scenario
            .contracts
            .iter()
            .position(|c| overlay && !c.name.is_empty() && c.name == contract.name)
        {
            Some(j) => scenario.contracts[j] = contract,
            None => scenario.contracts.push(contract),
        }
    }
}

/// One contract, when its commodity and volumes read (problems of its other fields are reported).
fn read_contract(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<Contract> {
    let c = table_commodity(t, ds, diags);
    let links = table_links(t, "links", ds, diags);
    if links.is_empty() && t.table.contains_key("links") && !diags.iter().any(Diagnostic::is_error)
    {
        diags.push(Diagnostic::error(
            &t.key_location("links"),
            t.field("links"),
            "no link",
            "name the link(s) the contract runs over",
        ));
    }
    let (min, max, has_max) = min_max(t, ds, c, diags);
    let s = cited_sources(t, ds, diags);
    if t.str_list("sources", diags).is_empty() {
        diags.push(Diagnostic::error(
            &t.location(),
            t.field("sources"),
            "figure without a source",
            "cite the agreement",
        ));
    }
    let name = t.opt_str("name", diags).unwrap_or_default();
    t.opt_str("notes", diags);
    let shortfall_penalty_usd = shortfall_penalty(t, diags);
    t.finish(
        &[
            "name",
            "links",
            "commodity",
            "min_volume",
            "max_volume",
            "unit",
            "soft",
            "penalty_usd",
            "sources",
            "notes",
        ],
        diags,
    );
    let (Some(commodity), Some(min_volume), true) = (c, min, !has_max || max.is_some()) else {
        return None;
    };
    check_links_carry(t, ds, &links, commodity, diags);
    Some(Contract {
        name,
        links,
        commodity,
        min_volume,
        max_volume: max,
        shortfall_penalty_usd,
        sources: s,
        location: t.location(),
    })
}

/// `min_volume` and `max_volume`, and whether a ceiling is given: a contract with only a ceiling has a
/// minimum of 0; a minimum above the ceiling is an error.
fn min_max(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    c: Option<CommodityId>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<f64>, Option<f64>, bool) {
    let has_max = t.table.contains_key("max_volume");
    let min = if has_max && !t.table.contains_key("min_volume") {
        Some(0.0)
    } else {
        volume(t, ds, "min_volume", c, true, diags)
    };
    let max = if has_max {
        volume(t, ds, "max_volume", c, true, diags)
    } else {
        None
    };
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            diags.push(Diagnostic::error(
                &t.key_location("min_volume"),
                t.field("min_volume"),
                "the minimum is above the ceiling",
                "check min_volume and max_volume",
            ));
        }
    }
    (min, max, has_max)
}

/// `soft = true` with `penalty_usd` (per base unit short): a minimum that may be missed at a cost. A soft
/// contract without a penalty, or a penalty on a hard one, is an error.
fn shortfall_penalty(t: &TableReader<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    let soft = match t.raw("soft") {
        None => false,
        Some(item) => item.as_bool().unwrap_or_else(|| {
            diags.push(Diagnostic::error(
                &t.key_location("soft"),
                t.field("soft"),
                "expected true or false",
                "write soft = true for a minimum that may be missed at a penalty",
            ));
            false
        }),
    };
    match (soft, t.opt_f64("penalty_usd", diags)) {
        (true, Some(p)) => {
            let (location, field) = (t.key_location("penalty_usd"), t.field("penalty_usd"));
            check_positive(p, "shortfall penalty", &location, &field, diags);
            check_at_most(
                p,
                MAX_UNIT_USD,
                &format!("the shortfall penalty {} USD", written(p)),
                "1 million USD per base unit",
                &location,
                &field,
                diags,
            );
            Some(p)
        }
        (true, None) => {
            diags.push(Diagnostic::error(
                &t.location(),
                t.field("penalty_usd"),
                "a soft contract needs a penalty",
                "add penalty_usd = USD per base unit (t, m3, TEU) short of the minimum",
            ));
            None
        }
        (false, Some(_)) => {
            diags.push(Diagnostic::error(
                &t.key_location("penalty_usd"),
                t.field("penalty_usd"),
                "a penalty on a hard contract",
                "add soft = true, or remove penalty_usd",
            ));
            None
        }
        (false, None) => None,
    }
}

/// Reports every link of a contract that does not carry its commodity.
fn check_links_carry(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    links: &[LinkId],
    commodity: CommodityId,
    diags: &mut Vec<Diagnostic>,
) {
    for &l in links {
        if !ds.link(l).carries(commodity) {
            diags.push(Diagnostic::error(
                &t.key_location("links"),
                t.field("links"),
                format!(
                    "link `{}` does not carry `{}`",
                    ds.link(l).id,
                    ds.commodity(commodity).id
                ),
                "name a link that carries the commodity",
            ));
        }
    }
}
