//! The optional tables of what happened: `status.csv` (a link's status in particular years) and
//! `observed.csv` (published volumes that actually moved). Both are validated like the network itself.

use crate::cite::{read_rate_unit, source_ids};
use crate::csv_table::{read_csv, CsvRow};
use crate::resolve::{
    check_duplicate, check_id_syntax, check_non_negative, commodity_named, link_named,
    rate_in_base, resolve,
};
use corridor_model::*;
use std::collections::HashMap;

/// The name of the status table in a dataset folder.
pub const STATUS_FILE: &str = "status.csv";
/// The name of the observed-flows table in a dataset folder.
pub const OBSERVED_FILE: &str = "observed.csv";

/// Sources and confidence of one row: at least one source, and a valid confidence.
fn row_provenance(
    r: &CsvRow<'_>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<SourceId>, Confidence) {
    let sources = source_ids(ds, &r.list("sources"), &r.location, "sources", true, diags);
    let confidence = r
        .parsed::<Confidence>("confidence", diags)
        .unwrap_or(Confidence::Estimate);
    (sources, confidence)
}

/// Reads `status.csv` into each link's `status_history`.
pub(crate) fn read_status(
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    const COLUMNS: [&str; 6] = [
        "link",
        "from_year",
        "to_year",
        "status",
        "sources",
        "confidence",
    ];
    let mut periods: Vec<(LinkId, StatusPeriod)> = Vec::new();
    let ds: &Dataset = dataset;
    read_csv(file, text, &COLUMNS, &["notes"], diags, |r, diags| {
        let link = r
            .required("link", diags)
            .and_then(|t| link_named(ds, t, &r.location, "link", diags));
        let from_year = r.opt_year("from_year", diags);
        if r.get("from_year").is_empty() {
            r.required("from_year", diags);
        }
        let to_year = r.opt_year("to_year", diags);
        if let (Some(from), Some(to)) = (from_year, to_year) {
            if to < from {
                diags.push(Diagnostic::error(
                    &r.location,
                    "to_year",
                    format!("{to} is before from_year {from}"),
                    "give the last year of the period (inclusive), or leave it empty for open-ended",
                ));
            }
        }
        let status = r.parsed::<Status>("status", diags);
        let (sources, confidence) = row_provenance(r, ds, diags);
        if let (Some(link), Some(from_year), Some(status)) = (link, from_year, status) {
            periods.push((
                link,
                StatusPeriod {
                    from_year,
                    to_year,
                    status,
                    sources,
                    confidence,
                    notes: r.get("notes").to_string(),
                    location: r.location.clone(),
                },
            ));
        }
    });
    // Periods of one link must not overlap: a year has one status.
    for (i, (link, p)) in periods.iter().enumerate() {
        let clash = periods[..i].iter().find(|(l, q)| {
            l == link
                && p.from_year <= q.to_year.unwrap_or(i32::MAX)
                && q.from_year <= p.to_year.unwrap_or(i32::MAX)
        });
        if let Some((_, q)) = clash {
            diags.push(Diagnostic::error(
                &p.location,
                "from_year",
                format!(
                    "overlaps the period of `{}` on {}",
                    dataset.link(*link).id,
                    q.location
                ),
                "give each year of a link one status",
            ));
        }
    }
    for (link, period) in periods {
        dataset.links[link.idx()].status_history.push(period);
    }
}

/// Reads `observed.csv` into `dataset.observations`.
pub(crate) fn read_observed(
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    const COLUMNS: [&str; 12] = [
        "id",
        "name",
        "links",
        "capacity_group",
        "commodity",
        "origin",
        "year",
        "volume",
        "unit",
        "role",
        "sources",
        "confidence",
    ];
    let ds: &Dataset = dataset;
    let mut seen = HashMap::new();
    let mut fitted: HashMap<(Vec<LinkId>, CommodityId, ShipperScope, i32), Location> =
        HashMap::new();
    let mut observations = Vec::new();
    read_csv(file, text, &COLUMNS, &["notes"], diags, |r, diags| {
        let loc = &r.location;
        let id = r.required("id", diags).unwrap_or_default().to_string();
        check_id_syntax(&id, loc, "id", diags);
        check_duplicate(&mut seen, "observation", &id, loc, "id", diags);
        let name = r.required("name", diags).unwrap_or(&id).to_string();
        let commodity = r
            .required("commodity", diags)
            .and_then(|t| commodity_named(ds, t, loc, "commodity", diags));
        let named_links = r.list("links");
        let group_text = r.get("capacity_group");
        let (mut links, capacity_group) = match (named_links.is_empty(), group_text.is_empty()) {
            (false, true) => (
                named_links
                    .iter()
                    .filter_map(|t| link_named(ds, t, loc, "links", diags))
                    .collect::<Vec<_>>(),
                None,
            ),
            (true, false) => {
                let group = resolve(
                    "capacity group",
                    group_text,
                    |s| ds.group_id(s),
                    ds.capacity_groups.iter().map(|g| g.id.as_str()),
                    loc,
                    "capacity_group",
                    diags,
                );
                let members = group.map_or_else(Vec::new, |g| {
                    ds.link_ids()
                        .filter(|&l| ds.link(l).capacity_group == Some(g))
                        .collect()
                });
                (members, group)
            }
            _ => {
                diags.push(Diagnostic::error(
                    loc,
                    "links",
                    "give either links or capacity_group",
                    "name the links the figure measures (`a;b`), or one capacity group, not both",
                ));
                (Vec::new(), None)
            }
        };
        links.sort();
        links.dedup();
        if let Some(c) = commodity {
            for &l in &links {
                if !ds.link(l).carries(c) {
                    diags.push(Diagnostic::error(
                        loc,
                        "links",
                        format!(
                            "link `{}` does not carry `{}`",
                            ds.link(l).id,
                            ds.commodity(c).id
                        ),
                        "name links that carry the observed commodity",
                    ));
                }
            }
        }
        let scope = r.required("origin", diags).and_then(|t| {
            let scope = ds.shipper_scope(t);
            if scope.is_none() {
                diags.push(Diagnostic::error(
                    loc,
                    "origin",
                    format!("`{t}` is neither `all` nor a country of the dataset"),
                    "write the country whose shipments the figure counts (e.g. KZ), or `all` for everything on the links",
                ));
            }
            scope
        });
        let year = r.opt_year("year", diags);
        if r.get("year").is_empty() {
            r.required("year", diags);
        }
        let volume = r
            .number("volume", diags)
            .filter(|v| check_non_negative(*v, "volume", loc, "volume", diags));
        let unit = read_rate_unit(
            r.required("unit", diags).map(str::to_string),
            loc,
            "unit",
            diags,
        );
        let volume_base = match (volume, unit, commodity) {
            (Some(v), Some(u), Some(c)) => {
                rate_in_base(ds, c, v, u, (loc, "volume"), (loc, "unit"), diags)
            }
            _ => None,
        };
        let role = r.parsed::<ObservationRole>("role", diags);
        let (sources, confidence) = row_provenance(r, ds, diags);
        if let (
            Some(commodity),
            Some(scope),
            Some(year),
            Some(volume),
            Some(unit),
            Some(volume_base),
            Some(role),
        ) = (commodity, scope, year, volume, unit, volume_base, role)
        {
            if role == ObservationRole::Fit && !links.is_empty() {
                if let Some(first) =
                    fitted.insert((links.clone(), commodity, scope, year), loc.clone())
                {
                    diags.push(Diagnostic::error(
                        loc,
                        "role",
                        format!("a second `fit` figure for the same links, commodity, origin and year (first on {first})"),
                        "keep one as `fit` and mark the other `alternative`, saying in notes which you use and why",
                    ));
                }
            }
            if !links.is_empty() {
                observations.push(Observation {
                    id,
                    name,
                    links,
                    capacity_group,
                    commodity,
                    scope,
                    year,
                    volume_base,
                    volume,
                    unit,
                    role,
                    sources,
                    confidence,
                    notes: r.get("notes").to_string(),
                    location: loc.clone(),
                });
            }
        }
    });
    dataset.observations = observations;
}
