//! `links.csv`: the pipelines, railways, roads and sea legs between nodes, each field read by a helper
//! of its own. Every check of a row reports at the row's line, in the order of the columns.

use crate::cite::{read_rate_unit, source_ids};
use crate::csv_table::{read_csv, CsvRow};
use crate::resolve::{
    check_at_most, check_duplicate, check_id_syntax, check_non_negative, check_positive,
    commodity_named, max_volume_base, node_named, resolve, written, MAX_UNIT_USD,
};
use corridor_model::units::{
    closest, convert_amount, convert_rate, AmountUnit, Dimension, RateUnit,
};
use corridor_model::*;
use std::collections::HashMap;

/// The longest transit time a link may have, days (docs/data-format.md, "Valid ranges").
const MAX_TRANSIT_DAYS: f64 = 365.0;

/// The required columns of `links.csv` (and the keys of a scenario's `[[links]]`).
pub(super) const LINK_COLUMNS: [&str; 20] = [
    "id",
    "name",
    "from",
    "to",
    "mode",
    "direction",
    "commodities",
    "capacity",
    "capacity_unit",
    "capacity_group",
    "tariff_usd",
    "tariff_unit",
    "transit_days",
    "countries",
    "status",
    "start_year",
    "end_year",
    "year",
    "sources",
    "confidence",
];

/// Reads `links.csv` into `dataset.links`, and its optional outage columns into
/// `dataset.outages.links`.
pub(super) fn read_links(
    file: &str,
    text: &str,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = HashMap::new();
    let mut links = Vec::new();
    let ds: &Dataset = dataset;
    // Optional outage columns: (index of the link, annual probability, mean days).
    let mut outages: Vec<(usize, f64, f64)> = Vec::new();
    let optional = ["notes", "outage_prob", "outage_days", "gem_project_id"];
    read_csv(file, text, &LINK_COLUMNS, &optional, diags, |r, diags| {
        let (link, outage) = read_link(r, ds, &mut seen, diags);
        if let Some((p, d)) = outage {
            outages.push((links.len(), p, d));
        }
        links.push(link);
    });
    dataset.outages.links = outages
        .into_iter()
        .map(|(i, annual_prob, mean_days)| LinkOutage {
            link: LinkId(i as u32),
            rate: OutageRate {
                annual_prob,
                mean_days,
                sources: links[i].sources.clone(),
                confidence: links[i].confidence,
            },
        })
        .collect();
    dataset.links = links;
}

/// One row of `links.csv` with its outage columns (annual probability, mean days) when given; `seen`
/// holds the ids of the rows above.
fn read_link(
    r: &CsvRow<'_>,
    ds: &Dataset,
    seen: &mut HashMap<String, Location>,
    diags: &mut Vec<Diagnostic>,
) -> (Link, Option<(f64, f64)>) {
    let loc = &r.location;
    let id = r.required("id", diags).unwrap_or_default().to_string();
    check_id_syntax(&id, loc, "id", diags);
    check_duplicate(seen, "link", &id, loc, "id", diags);
    let (from, to) = end_nodes(r, ds, diags);
    let mode = r.parsed::<Mode>("mode", diags).unwrap_or(Mode::Rail);
    let direction = r
        .parsed::<Direction>("direction", diags)
        .unwrap_or(Direction::OneWay);
    let status = r
        .parsed::<Status>("status", diags)
        .unwrap_or(Status::Operating);
    let confidence = r
        .parsed::<Confidence>("confidence", diags)
        .unwrap_or(Confidence::Estimate);
    let commodity_ids = commodities(r, ds, diags);
    let capacity = read_capacity(r, ds, &commodity_ids, diags);
    let capacity_group = capacity_group(r, ds, diags);
    let carries = carriages(
        r,
        ds,
        &commodity_ids,
        capacity.dimension,
        capacity_group,
        diags,
    );
    let transit_days = transit_days(r, diags);
    let countries = countries(r, ds, mode, diags);
    let (start_year, end_year, year) = years(r, status, diags);
    let sources = source_ids(ds, &r.list("sources"), loc, "sources", true, diags);
    let gem_projects = gem_project_ids(&r.list("gem_project_id"), loc, diags);
    let outage = crate::resilience::link_outage_columns(
        r.get("outage_prob"),
        r.get("outage_days"),
        loc,
        diags,
    );
    let link = Link {
        name: r.required("name", diags).unwrap_or(&id).to_string(),
        id,
        from: from.unwrap_or(NodeId(0)),
        to: to.unwrap_or(NodeId(0)),
        mode,
        direction,
        carries,
        capacity: capacity.value,
        capacity_unit: capacity.unit.unwrap_or(RateUnit::base(Dimension::Mass)),
        capacity_base: capacity.base,
        capacity_group,
        transit_days,
        countries,
        status,
        start_year,
        end_year,
        year,
        sources,
        confidence,
        notes: r.get("notes").to_string(),
        gem_projects,
        status_history: Vec::new(),
        location: loc.clone(),
    };
    (link, outage)
}

/// `from` and `to`: two different nodes of nodes.csv.
fn end_nodes(
    r: &CsvRow<'_>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> (Option<NodeId>, Option<NodeId>) {
    let mut node = |column: &str| {
        let text = r.required(column, diags)?;
        node_named(ds, text, &r.location, column, diags)
    };
    let (from, to) = (node("from"), node("to"));
    if from.is_some() && from == to {
        diags.push(Diagnostic::error(
            &r.location,
            "to",
            "a link must join two different nodes",
            "check `from` and `to`",
        ));
    }
    (from, to)
}

/// `commodities`: what the link carries, `;`-separated (at least one).
fn commodities(r: &CsvRow<'_>, ds: &Dataset, diags: &mut Vec<Diagnostic>) -> Vec<CommodityId> {
    let listed = r.list("commodities");
    let ids = listed
        .iter()
        .filter_map(|c| commodity_named(ds, c, &r.location, "commodities", diags))
        .collect();
    if listed.is_empty() {
        diags.push(Diagnostic::error(
            &r.location,
            "commodities",
            "empty",
            "list what the link carries, e.g. crude or crude;cargo",
        ));
    }
    ids
}

/// A link's capacity as written, its unit, and in base units per year of the dimension it is counted in.
struct Capacity {
    value: f64,
    unit: Option<RateUnit>,
    /// The dimension of `base`: the unit's, or mass for a capacity in barrels.
    dimension: Option<Dimension>,
    /// NaN when the capacity or its unit did not read, or is out of range.
    base: f64,
}

/// `capacity` and `capacity_unit`; a capacity in barrels is turned into tonnes with the grade of the
/// crude the link carries.
fn read_capacity(
    r: &CsvRow<'_>,
    ds: &Dataset,
    commodity_ids: &[CommodityId],
    diags: &mut Vec<Diagnostic>,
) -> Capacity {
    let loc = &r.location;
    let read = r.number("capacity", diags);
    let value = read.unwrap_or(f64::NAN);
    // A capacity that did not read has its error already; checking its NaN again would only repeat it.
    let ok = read.is_some() && check_positive(value, "capacity", loc, "capacity", diags);
    let unit = read_rate_unit(
        r.required("capacity_unit", diags).map(str::to_string),
        loc,
        "capacity_unit",
        diags,
    );
    let (dimension, base) = match unit {
        Some(u) => capacity_in_base(r, ds, commodity_ids, value, u, ok, diags),
        None => (None, f64::NAN),
    };
    // Out of range once is enough: an infinite or negative capacity is not also "above any corridor".
    let base = if ok { base } else { f64::NAN };
    check_at_most(
        base,
        dimension.map_or(f64::INFINITY, max_volume_base),
        &format!("the capacity {} {}", written(value), r.get("capacity_unit")),
        "any real corridor's (10,000 Mt/y, 10,000 bcm/y or 10 billion TEU/y)",
        loc,
        "capacity",
        diags,
    );
    Capacity {
        value,
        unit,
        dimension,
        base,
    }
}

/// `value` in `unit` as base units per year, with the dimension they are counted in; barrels become
/// tonnes through a carried commodity's grade (an error when none has one and the capacity is `ok`).
fn capacity_in_base(
    r: &CsvRow<'_>,
    ds: &Dataset,
    commodity_ids: &[CommodityId],
    value: f64,
    unit: RateUnit,
    ok: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Dimension>, f64) {
    if unit.dimension() != Dimension::OilVolume {
        let base = convert_rate(value, unit, RateUnit::base(unit.dimension()), None);
        return (Some(unit.dimension()), base.unwrap_or(f64::NAN));
    }
    match commodity_ids.iter().find_map(|&c| ds.bbl_per_t(c)) {
        Some(g) => {
            let base = convert_rate(value, unit, RateUnit::base(Dimension::Mass), Some(g));
            (Some(Dimension::Mass), base.unwrap_or(f64::NAN))
        }
        None => {
            if ok {
                diags.push(Diagnostic::error(
                    &r.location,
                    "capacity_unit",
                    format!("unit mismatch: capacity in {unit} but no carried commodity has a grade to turn barrels into tonnes"),
                    "give the commodity a default_grade, or write the capacity in tonnes",
                ));
            }
            (Some(unit.dimension()), f64::NAN)
        }
    }
}

/// The optional `capacity_group` column: a group declared in dataset.toml.
fn capacity_group(r: &CsvRow<'_>, ds: &Dataset, diags: &mut Vec<Diagnostic>) -> Option<GroupId> {
    match r.get("capacity_group") {
        "" => None,
        text => resolve(
            "capacity group",
            text,
            |s| ds.group_id(s),
            ds.capacity_groups.iter().map(|g| g.id.as_str()),
            &r.location,
            "capacity_group",
            diags,
        ),
    }
}

/// What the link carries: per commodity, its tariff and how much of the link's (and its group's)
/// capacity one base unit uses. A commodity whose figures do not read is left out, its errors reported.
fn carriages(
    r: &CsvRow<'_>,
    ds: &Dataset,
    commodity_ids: &[CommodityId],
    capacity_dim: Option<Dimension>,
    group: Option<GroupId>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Carriage> {
    let n = commodity_ids.len();
    let tariffs = aligned(r, "tariff_usd", n, diags);
    let tariff_units = aligned(r, "tariff_unit", n, diags);
    let mut carries = Vec::new();
    for (i, &c) in commodity_ids.iter().enumerate() {
        let (Some(t), Some(u)) = (tariffs.get(i), tariff_units.get(i)) else {
            continue;
        };
        let Some(tariff_usd) = tariff_per_base(r, ds, c, t, u, diags) else {
            continue;
        };
        let commodity = ds.commodity(c);
        let capacity_use = match capacity_dim.map(|d| capacity_weight(commodity, d)) {
            Some(Ok(k)) => k,
            Some(Err(message)) => {
                diags.push(Diagnostic::error(&r.location, "capacity_unit", message, "use a capacity unit of the commodity's dimension, or give the commodity a sourced tonnes_per_unit"));
                continue;
            }
            None => f64::NAN,
        };
        carries.push(Carriage {
            commodity: c,
            tariff_usd,
            capacity_use,
            group_use: group_use(r, ds, commodity, group, diags),
        });
    }
    carries
}

/// The `;`-separated values of `column`, one per commodity: a single value applies to all `n`.
fn aligned(r: &CsvRow<'_>, column: &str, n: usize, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let list = r.list(column);
    match list.len() {
        1 => vec![list[0].clone(); n],
        len if len == n => list,
        0 => {
            diags.push(Diagnostic::error(&r.location, column, "empty", "give the cost per unit moved (0 if unknown is not acceptable: estimate it and say so)"));
            Vec::new()
        }
        len => {
            diags.push(Diagnostic::error(
                &r.location,
                column,
                format!("{len} values for {n} commodities"),
                "give one value, or one per commodity separated by `;`",
            ));
            Vec::new()
        }
    }
}

/// The tariff `t` USD per unit `u` of commodity `c`, in USD per base unit: a finite number ≥ 0 in an
/// amount unit of the commodity's dimension, at most [`MAX_UNIT_USD`].
fn tariff_per_base(
    r: &CsvRow<'_>,
    ds: &Dataset,
    c: CommodityId,
    t: &str,
    u: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let loc = &r.location;
    let commodity = ds.commodity(c);
    let Ok(tariff) = t.parse::<f64>() else {
        diags.push(Diagnostic::error(
            loc,
            "tariff_usd",
            format!("`{t}` is not a number"),
            "write USD per unit as a plain number",
        ));
        return None;
    };
    if !check_non_negative(tariff, "tariff", loc, "tariff_usd", diags) {
        return None;
    }
    let unit = match u.parse::<AmountUnit>() {
        Ok(unit) => unit,
        Err(e) => {
            diags.push(Diagnostic::error(
                loc,
                "tariff_unit",
                format!("invalid unit `{u}`"),
                format!("{e}; a tariff is per amount, e.g. t, bbl, TEU or mcm"),
            ));
            return None;
        }
    };
    // USD per base unit = tariff × (tariff units in one base unit).
    match convert_amount(1.0, commodity.dimension.base_unit(), unit, ds.bbl_per_t(c)) {
        Ok(k) => check_at_most(
            tariff * k,
            MAX_UNIT_USD,
            &format!("the tariff {} USD/{unit}", written(tariff)),
            "1 million USD per base unit",
            loc,
            "tariff_usd",
            diags,
        )
        .then_some(tariff * k),
        Err(e) => {
            diags.push(Diagnostic::error(
                loc,
                "tariff_unit",
                format!("unit mismatch for `{}`: {e}", commodity.id),
                format!("give the tariff per {}", commodity.dimension.base_unit()),
            ));
            None
        }
    }
}

/// How much of its capacity group's capacity one base unit of `commodity` uses (an error, and `None`,
/// when the group's unit does not convert).
fn group_use(
    r: &CsvRow<'_>,
    ds: &Dataset,
    commodity: &Commodity,
    group: Option<GroupId>,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    match capacity_weight(commodity, ds.group(group?).unit.dimension()) {
        Ok(k) => Some(k),
        Err(message) => {
            diags.push(Diagnostic::error(
                &r.location,
                "capacity_group",
                message,
                "measure the group in a unit every member commodity converts to",
            ));
            None
        }
    }
}

/// How many base units of `capacity_dim` one base unit of `commodity` uses, or why it cannot share it.
fn capacity_weight(commodity: &Commodity, capacity_dim: Dimension) -> Result<f64, String> {
    if commodity.dimension == capacity_dim {
        return Ok(1.0);
    }
    match (
        commodity.dimension,
        capacity_dim,
        &commodity.tonnes_per_unit,
    ) {
        (_, Dimension::Mass, Some(tpu)) => Ok(tpu.value),
        (_, Dimension::Mass, None) => Err(format!(
            "unit mismatch: the capacity is in tonnes but `{}` is counted in {}",
            commodity.id,
            commodity.dimension.base_unit()
        )),
        _ => Err(format!(
            "unit mismatch: the capacity is in {} but `{}` is counted in {}",
            capacity_dim.base_unit(),
            commodity.id,
            commodity.dimension.base_unit()
        )),
    }
}

/// `transit_days`: a number of days ≥ 0, at most [`MAX_TRANSIT_DAYS`].
fn transit_days(r: &CsvRow<'_>, diags: &mut Vec<Diagnostic>) -> f64 {
    let loc = &r.location;
    let days = r.number("transit_days", diags).unwrap_or(0.0);
    if check_non_negative(days, "transit time", loc, "transit_days", diags)
        && days > MAX_TRANSIT_DAYS
    {
        diags.push(Diagnostic::error(
            loc,
            "transit_days",
            format!("{} days is longer than any voyage", written(days)),
            format!("write the days one shipment takes, at most {MAX_TRANSIT_DAYS}"),
        ));
    }
    days
}

/// `countries`: the territory the link crosses, `;`-separated (a warning on a sea leg).
fn countries(
    r: &CsvRow<'_>,
    ds: &Dataset,
    mode: Mode,
    diags: &mut Vec<Diagnostic>,
) -> Vec<CountryCode> {
    let loc = &r.location;
    let mut countries = Vec::new();
    for text in r.list("countries") {
        match CountryCode::parse(&text).filter(|c| ds.country(*c).is_some()) {
            Some(c) => countries.push(c),
            None => {
                let help = match closest(&text, ds.countries.iter().map(|c| c.code.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "declare it under [[countries]] in dataset.toml".into(),
                };
                diags.push(Diagnostic::error(
                    loc,
                    "countries",
                    format!("unknown country `{text}`"),
                    help,
                ));
            }
        }
    }
    if matches!(mode, Mode::Sea | Mode::Tanker | Mode::Ferry) && !countries.is_empty() {
        diags.push(Diagnostic::warning(
            loc,
            "countries",
            format!("a {mode} leg lists territory crossed"),
            "sea legs normally cross no country; list only land territory",
        ));
    }
    countries
}

/// `start_year`, `end_year` (optional, in order) and `year` (required: the year of the capacity figure).
fn years(
    r: &CsvRow<'_>,
    status: Status,
    diags: &mut Vec<Diagnostic>,
) -> (Option<i32>, Option<i32>, i32) {
    let loc = &r.location;
    let start_year = r.opt_year("start_year", diags);
    let end_year = r.opt_year("end_year", diags);
    if let (Some(s), Some(e)) = (start_year, end_year) {
        if e < s {
            diags.push(Diagnostic::error(
                loc,
                "end_year",
                format!("ends ({e}) before it starts ({s})"),
                "swap or correct the years",
            ));
        }
    }
    if matches!(status, Status::Planned | Status::UnderConstruction) && start_year.is_none() {
        diags.push(Diagnostic::warning(
            loc,
            "start_year",
            format!("a {status} link without a start year is never in service"),
            "add the expected start year",
        ));
    }
    let year = r.opt_year("year", diags).unwrap_or_else(|| {
        if r.get("year").is_empty() {
            diags.push(Diagnostic::error(
                loc,
                "year",
                "empty",
                "give the year the capacity figure is valid for",
            ));
        }
        0
    });
    (start_year, end_year, year)
}
/// The `gem_project_id` column: Global Energy Monitor project ids (`P` and digits, e.g. `P0644`),
/// `;`-separated when a link runs along consecutive pipelines. Whether each has a course is checked
/// once the routes are read.
fn gem_project_ids(ids: &[String], loc: &Location, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let well_formed =
            id.len() > 1 && id.starts_with('P') && id[1..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            diags.push(Diagnostic::error(
                loc,
                "gem_project_id",
                format!("`{id}` is not a GEM project id"),
                "write Global Energy Monitor's ProjectID, such as P0644 (several separated by `;`), or leave the cell empty",
            ));
        } else if out.contains(id) {
            diags.push(Diagnostic::error(
                loc,
                "gem_project_id",
                format!("project `{id}` is named twice"),
                "name each project once",
            ));
        } else {
            out.push(id.clone());
        }
    }
    out
}
