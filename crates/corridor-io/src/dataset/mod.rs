//! Reading a dataset folder (`dataset.toml`, `nodes.csv`, `links.csv`, and the optional `status.csv` and
//! `observed.csv`) into a resolved [`Dataset`]: one module per file or table, and here the order they are
//! read in and the cascades one file's problem would cause in the next.

mod blocs;
mod commodities;
mod dataset_toml;
mod groups;
mod links;
mod nodes;
mod rows;
mod sources;

pub(crate) use rows::{read_links_into, read_nodes_into};
pub(crate) use sources::scenario_sources;

use crate::toml_reader::{parse_document, SourceText, TableReader};
use corridor_model::*;
use std::collections::HashSet;

/// The texts of a dataset, with the file names to show in messages.
#[derive(Clone, Debug, Default)]
pub struct DatasetFiles {
    /// `dataset.toml`: (file name, text).
    pub dataset_toml: (String, String),
    /// `nodes.csv`: (file name, text).
    pub nodes_csv: (String, String),
    /// `links.csv`: (file name, text).
    pub links_csv: (String, String),
    /// Optional `status.csv`: the status of links in particular years.
    pub status_csv: Option<(String, String)>,
    /// Optional `observed.csv`: published volumes that actually moved.
    pub observed_csv: Option<(String, String)>,
}

/// Parses and resolves a dataset. Returns the dataset when no *error* was found, and every diagnostic
/// (errors and warnings) either way.
pub fn parse_dataset(files: &DatasetFiles) -> (Option<Dataset>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut dataset = Dataset::default();
    let (file, text) = &files.dataset_toml;
    dataset_toml::read_dataset_toml(file, text, &mut dataset, &mut diags);
    dataset.reindex();
    let toml_failed = diags.iter().any(Diagnostic::is_error);
    let (file, text) = &files.nodes_csv;
    let unreadable_nodes = nodes::read_nodes(file, text, &mut dataset, &mut diags);
    dataset.reindex();
    let no_nodes = dataset.nodes.is_empty();
    let (file, text) = &files.links_csv;
    links::read_links(file, text, &mut dataset, &mut diags);
    drop_node_cascades(files, no_nodes, &unreadable_nodes, &mut diags);
    if toml_failed {
        drop_toml_cascades(files, &dataset, &mut diags);
    }
    dataset.reindex();
    read_link_tables(files, no_nodes, &mut dataset, &mut diags);
    if let Some((file, text)) = &files.status_csv {
        crate::observed::read_status(file, text, &mut dataset, &mut diags);
    }
    if let Some((file, text)) = &files.observed_csv {
        crate::observed::read_observed(file, text, &mut dataset, &mut diags);
    }
    sort_root_causes_first(files, &mut diags);
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(dataset), diags)
}

/// Without nodes, every link names an unknown node: the cause is reported once instead of that cascade.
/// A node whose row could not be read is not unknown either: its row's error is the one to fix.
fn drop_node_cascades(
    files: &DatasetFiles,
    no_nodes: bool,
    unreadable_nodes: &[String],
    diags: &mut Vec<Diagnostic>,
) {
    let links_file = &files.links_csv.0;
    if no_nodes {
        // Keep the links file's own problems.
        diags
            .retain(|d| !(d.location.file == *links_file && d.message.starts_with("unknown node")));
        // An unreadable header has said it already.
        if !diags.iter().any(|d| d.location.file == files.nodes_csv.0) {
            diags.push(Diagnostic::error(
                &Location::new(&files.nodes_csv.0, 1),
                "nodes",
                "the file declares no nodes",
                "list the nodes (id,name,kind,country,lat,lon) under the header line",
            ));
        }
    } else if !unreadable_nodes.is_empty() {
        let cascades: HashSet<String> = unreadable_nodes
            .iter()
            .map(|id| format!("unknown node `{id}`"))
            .collect();
        diags.retain(|d| !(d.location.file == *links_file && cascades.contains(&d.message)));
    }
}

/// dataset.toml did not read: the commodities, countries, sources and groups it should have declared
/// are missing, and every row naming one would repeat that.
fn drop_toml_cascades(files: &DatasetFiles, dataset: &Dataset, diags: &mut Vec<Diagnostic>) {
    let empty_tables = [
        ("commodity", dataset.commodities.is_empty()),
        ("country", dataset.countries.is_empty()),
        ("source", dataset.sources.is_empty()),
        ("capacity group", dataset.capacity_groups.is_empty()),
    ];
    let no_commodities = dataset.commodities.is_empty();
    diags.retain(|d| {
        d.location.file == files.dataset_toml.0
            || !(empty_tables
                .iter()
                .any(|(kind, empty)| *empty && d.message.starts_with(&format!("unknown {kind} `")))
                || (no_commodities
                    && (d.message.ends_with(" values for 0 commodities")
                        || d.message.ends_with(
                            "no carried commodity has a grade to turn barrels into tonnes",
                        ))))
    });
}

/// The tables of dataset.toml that name links, read once more now that the links exist (a syntax error
/// was reported on the first reading). Chokepoints first: outage selectors see their countries.
fn read_link_tables(
    files: &DatasetFiles,
    no_nodes: bool,
    dataset: &mut Dataset,
    diags: &mut Vec<Diagnostic>,
) {
    let (file, text) = &files.dataset_toml;
    let source = SourceText::new(file, text);
    let Some(doc) = parse_document(&source, text, &mut Vec::new()) else {
        return;
    };
    let root = TableReader::new(&source, doc.as_table(), "");
    crate::chokepoints::read_chokepoints(&root, dataset, diags);
    // Outage selectors walk the network (links' end nodes and countries): not without nodes, so that an
    // empty nodes.csv is reported as itself rather than as a crash.
    if !no_nodes {
        crate::resilience::read_outage_tables(&root, dataset, diags);
    }
}

/// Root causes first: the files in the order they are read (dataset.toml declares what the CSV files
/// name; nodes.csv declares what links.csv names), each by line.
fn sort_root_causes_first(files: &DatasetFiles, diags: &mut [Diagnostic]) {
    let rank = |file: &str| {
        [
            Some(&files.dataset_toml),
            Some(&files.nodes_csv),
            Some(&files.links_csv),
            files.status_csv.as_ref(),
            files.observed_csv.as_ref(),
        ]
        .iter()
        .position(|f| f.is_some_and(|(name, _)| name == file))
        .unwrap_or(usize::MAX)
    };
    diags.sort_by(|a, b| {
        (rank(&a.location.file), &a.location).cmp(&(rank(&b.location.file), &b.location))
    });
}
