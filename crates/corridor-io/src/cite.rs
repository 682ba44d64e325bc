//! Citations and rates shared by the dataset's tables and the scenario's: `sources` lists resolved to
//! declared sources, `confidence`, and rate units.

use crate::resolve::resolve;
use crate::toml_reader::TableReader;
use corridor_model::units::RateUnit;
use corridor_model::*;

pub(crate) fn source_ids(
    dataset: &Dataset,
    ids: &[String],
    location: &Location,
    field: &str,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceId> {
    if ids.is_empty() && required {
        diags.push(Diagnostic::error(
            location,
            field,
            "figure without a source",
            "cite at least one source id declared under [[sources]] in dataset.toml",
        ));
    }
    ids.iter()
        .filter_map(|id| {
            resolve(
                "source",
                id.trim(),
                |s| dataset.source_id(s),
                dataset.sources.iter().map(|s| s.id.as_str()),
                location,
                field,
                diags,
            )
        })
        .collect()
}

/// The `sources` of a table, at least one, each declared under `[[sources]]`.
pub(crate) fn table_sources(
    t: &TableReader<'_, '_>,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceId> {
    source_ids(
        dataset,
        &t.str_list("sources", diags),
        &t.key_location("sources"),
        &t.field("sources"),
        true,
        diags,
    )
}

/// The `sources` (at least one) and `confidence` of a table: every sourced figure in a dataset carries both.
pub(crate) fn provenance(
    t: &TableReader<'_, '_>,
    dataset: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<SourceId>, Confidence) {
    let sources = table_sources(t, dataset, diags);
    let confidence = parse_confidence(
        t.opt_str("confidence", diags),
        &t.key_location("confidence"),
        &t.field("confidence"),
        diags,
    );
    (sources, confidence)
}

pub(crate) fn parse_confidence(
    text: Option<String>,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Confidence {
    match text.as_deref().map(str::parse::<Confidence>) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            diags.push(Diagnostic::error(
                location,
                field,
                format!("invalid confidence `{}`", text.unwrap_or_default()),
                e,
            ));
            Confidence::Estimate
        }
        None => {
            diags.push(Diagnostic::error(
                location,
                field,
                "missing",
                "say how sure the figure is: reported, derived or estimate",
            ));
            Confidence::Estimate
        }
    }
}

pub(crate) fn read_rate_unit(
    text: Option<String>,
    location: &Location,
    field: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<RateUnit> {
    let text = text?;
    match text.parse::<RateUnit>() {
        Ok(u) => Some(u),
        Err(e) => {
            diags.push(Diagnostic::error(
                location,
                field,
                format!("invalid unit `{text}`"),
                e.to_string(),
            ));
            None
        }
    }
}
/// The dataset sources a scenario table cites in its `sources` list; unknown ids are reported with a
/// suggestion. Whether a citation is required is for the caller to decide.
pub(crate) fn cited_sources(
    t: &TableReader<'_, '_>,
    ds: &Dataset,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SourceId> {
    t.str_list("sources", diags)
        .iter()
        .filter_map(|s| {
            resolve(
                "source",
                s,
                |x| ds.source_id(x),
                ds.sources.iter().map(|s| s.id.as_str()),
                &t.key_location("sources"),
                &t.field("sources"),
                diags,
            )
        })
        .collect()
}
