//! `[[blocs]]`: groups of countries (OTS, EU, EAEU, …) that policies can name, with the year each member
//! or observer joined.

use crate::cite::table_sources;
use crate::resolve::check_duplicate;
use crate::toml_reader::TableReader;
use corridor_model::*;
use std::collections::HashMap;

/// Appends every `[[blocs]]` entry to `dataset.blocs` (after the countries they name).
pub(super) fn read_blocs(
    root: &TableReader<'_, '_>,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = HashMap::new();
    for t in root.tables("blocs", diags) {
        let loc = t.location();
        let id = t.str("id", diags).unwrap_or_default();
        check_duplicate(&mut seen, "bloc", &id, &loc, &t.field("id"), diags);
        let members = read_memberships(&t, "members", dataset, diags);
        let observers = read_memberships(&t, "observers", dataset, diags);
        let sources = table_sources(&t, dataset, diags);
        let name = t.opt_str("name", diags).unwrap_or_else(|| id.clone());
        t.opt_str("notes", diags);
        t.finish(
            &["id", "name", "members", "observers", "sources", "notes"],
            diags,
        );
        dataset.blocs.push(Bloc {
            name,
            id,
            members,
            observers,
            sources,
            location: loc,
        });
    }
}

/// The list `key` of `{ country, since }` entries (members or observers) of a bloc.
fn read_memberships(
    t: &TableReader<'_, '_>,
    key: &str,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Membership> {
    let Some(item) = t.raw(key) else {
        return Vec::new();
    };
    let loc = t.key_location(key);
    let field = t.field(key);
    let Some(array) = item.as_array() else {
        diags.push(Diagnostic::error(
            &loc,
            &field,
            "expected a list",
            "write [{ country = \"AZ\", since = 2009 }, …]",
        ));
        return Vec::new();
    };
    array
        .iter()
        .filter_map(|value| membership(value.as_inline_table(), dataset, &loc, &field, diags))
        .collect()
}

/// One `{ country, since }` entry: a declared country and a year in 1800–2200.
fn membership(
    entry: Option<&toml_edit::InlineTable>,
    dataset: &Dataset,
    loc: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Membership> {
    let country = entry
        .and_then(|e| e.get("country"))
        .and_then(|v| v.as_str());
    let since = entry
        .and_then(|e| e.get("since"))
        .and_then(|v| v.as_integer());
    let (Some(c), Some(since)) = (country, since) else {
        diags.push(Diagnostic::error(
            loc,
            field,
            "each entry needs a country and a year",
            "write { country = \"AZ\", since = 2009 }",
        ));
        return None;
    };
    if !(1800..=2200).contains(&since) {
        diags.push(Diagnostic::error(
            loc,
            field,
            format!("`since = {since}` is not a plausible year"),
            "write the year the country joined, between 1800 and 2200, e.g. 2009",
        ));
        return None;
    }
    let code = CountryCode::parse(c).filter(|code| dataset.country(*code).is_some());
    if code.is_none() {
        diags.push(Diagnostic::error(
            loc,
            field,
            format!("unknown country `{c}`"),
            "declare it under [[countries]] first",
        ));
    }
    Some(Membership {
        country: code?,
        since: since as i32,
    })
}
