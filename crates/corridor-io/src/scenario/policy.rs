//! `[policy]`: countries and blocs a scenario's flows avoid or must stay within, and caps on the share of
//! a commodity that may transit any one country.

use crate::resolve::{commodity_named, resolve};
use crate::toml_reader::TableReader;
use corridor_model::units::closest;
use corridor_model::*;
use toml_edit::InlineTable;

/// Reads the optional `[policy]` table into `scenario.policy`.
pub(super) fn read_policy(
    root: &TableReader<'_, '_>,
    scenario: &mut Scenario,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(p) = root.table("policy", diags) else {
        return;
    };
    let policy = &mut scenario.policy;
    read_avoid_countries(&p, policy, ds, diags);
    for text in p.str_list("avoid_blocs", diags) {
        if let Some(b) = bloc(&p, "avoid_blocs", &text, ds, diags) {
            policy.avoid_blocs.push(b);
        }
    }
    if let Some(text) = p.opt_str("only_via_bloc", diags) {
        policy.only_via_bloc = bloc(&p, "only_via_bloc", &text, ds, diags);
    }
    read_also_via(&p, policy, ds, diags);
    read_max_transit_share(&p, policy, ds, diags);
    p.finish(
        &[
            "avoid_countries",
            "avoid_blocs",
            "only_via_bloc",
            "also_via",
            "max_transit_share",
        ],
        diags,
    );
}

/// The bloc `text` written under `key`, or an `unknown bloc` error.
fn bloc(
    p: &TableReader<'_, '_>,
    key: &str,
    text: &str,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<BlocId> {
    resolve(
        "bloc",
        text,
        |s| ds.bloc_id(s),
        ds.blocs.iter().map(|b| b.id.as_str()),
        &p.key_location(key),
        &p.field(key),
        diags,
    )
}

/// `avoid_countries`: countries of the dataset no flow may cross.
fn read_avoid_countries(
    p: &TableReader<'_, '_>,
    policy: &mut Policy,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for text in p.str_list("avoid_countries", diags) {
        match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
            Some(c) => policy.avoid_countries.push(c),
            None => {
                let help = closest(&text, ds.countries.iter().map(|c| c.code.as_str()))
                    .map_or("use a country declared in the dataset".to_string(), |s| {
                        format!("did you mean `{s}`?")
                    });
                diags.push(Diagnostic::error(
                    &p.key_location("avoid_countries"),
                    p.field("avoid_countries"),
                    format!("unknown country `{text}`"),
                    help,
                ));
            }
        }
    }
}

/// `also_via`: blocs or countries that widen `only_via_bloc` (an error without it).
fn read_also_via(
    p: &TableReader<'_, '_>,
    policy: &mut Policy,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    for text in p.str_list("also_via", diags) {
        if let Some(b) = ds.bloc_id(&text) {
            policy.also_via_blocs.push(b);
        } else if let Some(c) = CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
            policy.also_via_countries.push(c);
        } else {
            let known = ds
                .blocs
                .iter()
                .map(|b| b.id.as_str())
                .chain(ds.countries.iter().map(|c| c.code.as_str()));
            let help = closest(&text, known).map_or(
                "use a bloc id or a country code declared in the dataset".to_string(),
                |s| format!("did you mean `{s}`?"),
            );
            diags.push(Diagnostic::error(
                &p.key_location("also_via"),
                p.field("also_via"),
                format!("unknown bloc or country `{text}`"),
                help,
            ));
        }
    }
    if p.table.contains_key("also_via") && policy.only_via_bloc.is_none() {
        diags.push(Diagnostic::error(
            &p.key_location("also_via"),
            p.field("also_via"),
            "`also_via` widens `only_via_bloc`, which is not set",
            "add only_via_bloc = \"…\" or remove also_via",
        ));
    }
}

/// `max_transit_share = [{ commodity, share }, …]`: per commodity, the most of it one country may carry.
fn read_max_transit_share(
    p: &TableReader<'_, '_>,
    policy: &mut Policy,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(item) = p.raw("max_transit_share") else {
        return;
    };
    let loc = p.key_location("max_transit_share");
    let field = p.field("max_transit_share");
    let entries = item
        .as_array()
        .map(|a| a.iter().map(|v| v.as_inline_table()).collect::<Vec<_>>())
        .unwrap_or_default();
    if entries.is_empty() {
        diags.push(Diagnostic::error(
            &loc,
            &field,
            "expected a list of { commodity, share }",
            "write [{ commodity = \"crude\", share = 0.6 }]",
        ));
    }
    for entry in entries {
        if let Some(cap) = transit_share_cap(entry, ds, &loc, &field, diags) {
            policy.max_transit_share.push(cap);
        }
    }
}

/// One `{ commodity, share }` entry of `max_transit_share`, the share in (0, 1].
fn transit_share_cap(
    entry: Option<&InlineTable>,
    ds: &Dataset,
    loc: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<TransitShareCap> {
    let c = entry
        .and_then(|e| e.get("commodity"))
        .and_then(|v| v.as_str());
    let share = entry
        .and_then(|e| e.get("share"))
        .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    let (Some(c), Some(share)) = (c, share) else {
        diags.push(Diagnostic::error(
            loc,
            field,
            "each entry needs a commodity and a share",
            "write { commodity = \"crude\", share = 0.6 }",
        ));
        return None;
    };
    let commodity = commodity_named(ds, c, loc, field, diags);
    if !(share > 0.0 && share <= 1.0) {
        diags.push(Diagnostic::error(
            loc,
            field,
            format!("share {share} is outside (0, 1]"),
            "write a fraction such as 0.6 for 60 %",
        ));
        return None;
    }
    Some(TransitShareCap {
        commodity: commodity?,
        share,
    })
}
