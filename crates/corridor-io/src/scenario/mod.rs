//! Reading a scenario TOML file against a dataset, and the checks that need both: one module per table
//! (`[scenario]`, `[[supplies]]`, `[[markets]]`, `[policy]`, `[[contracts]]`, `[[background]]`,
//! `[[disruptions]]`, `[bypass]`; `[[growth]]` is `crate::growth`), read in that order.

mod background;
mod bypass;
mod check;
mod contracts;
mod disruptions;
mod fields;
mod header;
mod markets;
mod policy;
mod supplies;

pub use check::reachable;

use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::*;

/// The `[scenario]` header fields needed before the dataset is known.
#[derive(Clone, Debug)]
pub struct ScenarioHeader {
    /// The dataset the scenario runs on: `caspian` (the default) or a folder relative to the scenario.
    pub dataset: String,
    /// Where `dataset` is written (the `[scenario]` table when it is not).
    pub location: Location,
    /// The scenario this one changes (`extends = "kazakh-crude-2024"` or a path), if any.
    pub extends: Option<String>,
    /// Where `extends` is written (the `[scenario]` table when it is not).
    pub extends_location: Location,
}

/// Reads only `scenario.dataset`, so the caller can load the right dataset first.
pub fn scenario_header(file: &str, text: &str) -> Result<ScenarioHeader, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut diags) else {
        return Err(diags);
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let Some(header) = root.table("scenario", &mut diags) else {
        diags.push(Diagnostic::error(
            &Location::new(file, 1),
            "scenario",
            "missing [scenario] table",
            "add [scenario] with name, dataset and year",
        ));
        return Err(diags);
    };
    let dataset = header
        .opt_str("dataset", &mut diags)
        .unwrap_or_else(|| crate::EMBEDDED_DATASET.to_string());
    let extends = header.opt_str("extends", &mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(ScenarioHeader {
        dataset,
        location: header.key_location("dataset"),
        extends_location: header.key_location("extends"),
        extends,
    })
}

/// Parses and resolves a scenario against `dataset`; returns it when no error was found, with every
/// diagnostic either way.
pub fn parse_scenario(
    file: &str,
    text: &str,
    dataset: &Dataset,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    parse_onto(file, text, dataset, None)
}

/// Parses a scenario that `extends` `base`: its `[scenario]` keys override the base's (all optional but
/// `name`), its supplies, markets, contracts, background flows, disruptions and growth rules are added,
/// and a contract with the name of one of the base's replaces it.
pub fn parse_overlay(
    file: &str,
    text: &str,
    dataset: &Dataset,
    base: &Scenario,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    parse_onto(file, text, dataset, Some(base))
}

/// Reads every table of the scenario in `text` onto a copy of `base` (or an empty scenario), then checks
/// the whole.
fn parse_onto(
    file: &str,
    text: &str,
    dataset: &Dataset,
    base: Option<&Scenario>,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut diags) else {
        return (None, diags);
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    let mut scenario = Scenario {
        location: Location::new(file, 1),
        ..base.cloned().unwrap_or_default()
    };
    // Sources, nodes, links and link changes of the scenario's own were applied to the dataset by the
    // loader (`overlay::apply`).
    for key in ["sources", "nodes", "links", "link_changes"] {
        root.raw(key);
    }
    let ds = dataset;
    header::read_header(&root, &mut scenario, ds, base, &mut diags);
    supplies::read_supplies(&root, &mut scenario, ds, &mut diags);
    markets::read_markets(&root, &mut scenario, ds, &mut diags);
    policy::read_policy(&root, &mut scenario, ds, &mut diags);
    contracts::read_contracts(&root, &mut scenario, ds, base.is_some(), &mut diags);
    background::read_background(&root, &mut scenario, ds, &mut diags);
    disruptions::read_disruptions(&root, &mut scenario, ds, &mut diags);
    crate::growth::read_growth(&root, &mut scenario, ds, &mut diags);
    bypass::read_bypass(&root, &mut scenario, ds, &mut diags);
    root.finish(
        &[
            "scenario",
            "sources",
            "supplies",
            "markets",
            "policy",
            "contracts",
            "background",
            "disruptions",
            "growth",
            "bypass",
        ],
        &mut diags,
    );
    if !diags.iter().any(Diagnostic::is_error) {
        check::check_scenario(ds, &scenario, &mut diags);
    }
    diags.sort_by(|a, b| a.location.cmp(&b.location));
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(scenario), diags)
}
