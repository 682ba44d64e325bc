//! Turning text references into typed ids, with "did you mean" when they do not exist.

use corridor_model::units::closest;
use corridor_model::{Diagnostic, Location};

/// Looks up `text` with `find`; on failure records `unknown <kind> `text``, suggesting the closest of
/// `candidates`.
pub(crate) fn resolve<'a, T>(
    kind: &str,
    text: &str,
    find: impl Fn(&str) -> Option<T>,
    candidates: impl IntoIterator<Item = &'a str>,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    if let Some(found) = find(text) {
        return Some(found);
    }
    let help = match closest(text, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("declare the {kind} first, or use an existing id"),
    };
    diags.push(Diagnostic::error(
        location,
        field,
        format!("unknown {kind} `{text}`"),
        help,
    ));
    None
}

/// Records a duplicate id; returns true when `id` was already seen.
pub(crate) fn check_duplicate(
    seen: &mut std::collections::HashMap<String, Location>,
    kind: &str,
    id: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if let Some(first) = seen.get(id) {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("duplicate {kind} id `{id}` (first defined at {first})"),
            "give each one a unique id",
        ));
        return true;
    }
    seen.insert(id.to_string(), location.clone());
    false
}

/// Checks that an id is made of lowercase letters, digits, `-` and `_` (so it is safe in CSV, URLs and
/// command lines). Country codes and bloc ids are upper case and use their own check.
pub(crate) fn check_id_syntax(
    id: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("invalid id `{id}`"),
            "use lowercase letters, digits, `-` and `_` only",
        ));
    }
}

/// Checks a quantity is a finite, strictly positive number.
pub(crate) fn check_positive(
    value: f64,
    what: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if value.is_nan() {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("{what} is not a number (NaN)"),
            "write a positive number",
        ));
        false
    } else if value.is_infinite() {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("{what} is infinite"),
            "write a finite positive number",
        ));
        false
    } else if value < 0.0 {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("{what} is negative ({value})"),
            "write a positive number",
        ));
        false
    } else if value == 0.0 {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("{what} is zero"),
            "write a positive number, or mark the element `retired` / remove it",
        ));
        false
    } else {
        true
    }
}

/// Checks a value is finite and not negative (tariffs, days).
pub(crate) fn check_non_negative(
    value: f64,
    what: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if !value.is_finite() || value < 0.0 {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("{what} must be a finite number ≥ 0, got {value}"),
            "write zero or a positive number",
        ));
        false
    } else {
        true
    }
}

/// The link named by the string `key` of a TOML table, if it exists.
pub(crate) fn table_link(
    t: &crate::toml_reader::TableReader<'_, '_>,
    key: &str,
    ds: &corridor_model::Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<corridor_model::LinkId> {
    let text = t.str(key, diags)?;
    link_named(ds, &text, &t.key_location(key), &t.field(key), diags)
}

/// The links named by the list `key` of a TOML table (the unknown ones reported and left out).
pub(crate) fn table_links(
    t: &crate::toml_reader::TableReader<'_, '_>,
    key: &str,
    ds: &corridor_model::Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<corridor_model::LinkId> {
    let (location, field) = (t.key_location(key), t.field(key));
    t.str_list(key, diags)
        .iter()
        .filter_map(|l| link_named(ds, l, &location, &field, diags))
        .collect()
}

/// The optional `derate_pct` of a TOML table (100 when absent): the share of capacity an event takes out,
/// in (0, 100]; `help` says what the figure does there.
pub(crate) fn table_derate_pct(
    t: &crate::toml_reader::TableReader<'_, '_>,
    help: &str,
    diags: &mut Vec<Diagnostic>,
) -> f64 {
    let derate_pct = t.opt_f64("derate_pct", diags).unwrap_or(100.0);
    if !(derate_pct > 0.0 && derate_pct <= 100.0) {
        diags.push(Diagnostic::error(
            &t.key_location("derate_pct"),
            t.field("derate_pct"),
            format!("{derate_pct} is outside (0, 100]"),
            help,
        ));
    }
    derate_pct
}

/// The commodity named by `commodity = "…"` in a TOML table.
pub(crate) fn table_commodity(
    t: &crate::toml_reader::TableReader<'_, '_>,
    ds: &corridor_model::Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Option<corridor_model::CommodityId> {
    let text = t.str("commodity", diags)?;
    commodity_named(
        ds,
        &text,
        &t.key_location("commodity"),
        &t.field("commodity"),
        diags,
    )
}

/// The largest annual volume or capacity read, in base units per year of `dimension`: 10,000 Mt/y (1e10 t),
/// 10,000 bcm/y (1e13 m³) or 10 billion TEU/y (1e10 TEU) — above any real corridor, and small enough that
/// solvers keep their precision. (Barrels, not a base unit of any commodity, get the tonnes' bound times
/// a light grade's 10 bbl/t.)
pub(crate) fn max_volume_base(dimension: corridor_model::units::Dimension) -> f64 {
    use corridor_model::units::Dimension;
    match dimension {
        Dimension::Mass | Dimension::Containers => 1e10,
        Dimension::OilVolume => 1e11,
        Dimension::GasVolume => 1e13,
    }
}

/// The largest cost per base unit read (tariffs, penalties, prices): 1 million USD per t, m³ or TEU.
pub(crate) const MAX_UNIT_USD: f64 = 1e6;

/// Records an error when `value` (in base units) is above `max`; `what` names the figure as written,
/// `scale` says what `max` is.
pub(crate) fn check_at_most(
    value: f64,
    max: f64,
    what: &str,
    scale: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if value > max {
        diags.push(Diagnostic::error(
            location,
            field,
            format!("{what} is above {scale}"),
            "check the value and its unit (a typo in the exponent?)",
        ));
        return false;
    }
    true
}

/// A number as a person would write it back: plain below a million, with an exponent above.
pub(crate) fn written(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The link with the text id `text`, or an `unknown link` error at `location`.
pub(crate) fn link_named(
    ds: &corridor_model::Dataset,
    text: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<corridor_model::LinkId> {
    resolve(
        "link",
        text,
        |s| ds.link_id(s),
        ds.links.iter().map(|l| l.id.as_str()),
        location,
        field,
        diags,
    )
}

/// The node with the text id `text`, or an `unknown node` error at `location`.
pub(crate) fn node_named(
    ds: &corridor_model::Dataset,
    text: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<corridor_model::NodeId> {
    resolve(
        "node",
        text,
        |s| ds.node_id(s),
        ds.nodes.iter().map(|n| n.id.as_str()),
        location,
        field,
        diags,
    )
}

/// The commodity with the text id `text`, or an `unknown commodity` error at `location`.
pub(crate) fn commodity_named(
    ds: &corridor_model::Dataset,
    text: &str,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<corridor_model::CommodityId> {
    resolve(
        "commodity",
        text,
        |s| ds.commodity_id(s),
        ds.commodities.iter().map(|c| c.id.as_str()),
        location,
        field,
        diags,
    )
}

/// `value` written in `unit`, as base units per year of commodity `c` (barrels through its grade), checked
/// against [`max_volume_base`]; a unit of another dimension is an error at `unit_at`, a volume beyond any
/// corridor one at `value_at`.
pub(crate) fn rate_in_base(
    ds: &corridor_model::Dataset,
    c: corridor_model::CommodityId,
    value: f64,
    unit: corridor_model::units::RateUnit,
    value_at: (&Location, &str),
    unit_at: (&Location, &str),
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    use corridor_model::units::{convert_rate, RateUnit};
    let commodity = ds.commodity(c);
    match convert_rate(
        value,
        unit,
        RateUnit::base(commodity.dimension),
        ds.bbl_per_t(c),
    ) {
        Ok(v) => check_at_most(
            v,
            max_volume_base(commodity.dimension),
            &format!("the volume {} {unit}", written(value)),
            "any real corridor's (10,000 Mt/y, 10,000 bcm/y or 10 billion TEU/y)",
            value_at.0,
            value_at.1,
            diags,
        )
        .then_some(v),
        Err(e) => {
            diags.push(Diagnostic::error(
                unit_at.0,
                unit_at.1,
                format!("unit mismatch: {e}"),
                format!(
                    "`{}` is counted in {}; use a unit such as {}",
                    commodity.id,
                    commodity.dimension.base_unit(),
                    commodity.display_unit()
                ),
            ));
            None
        }
    }
}
