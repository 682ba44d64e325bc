//! The mini dataset (`data/mini/`): a Kazakh field and a world market, one route through Russia
//! (Novorossiysk) and one across the Caspian through Azerbaijan and Turkey (Ceyhan), a planned
//! pipeline, and a base scenario.

use corridor_io::{parse_dataset, DatasetFiles};
use corridor_model::Dataset;

/// The mini dataset's folder on disk (for tests that read a folder or run the CLI on it).
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/mini");

/// `dataset.toml` of the mini dataset.
pub const DATASET: &str = include_str!("../data/mini/dataset.toml");
/// `nodes.csv` of the mini dataset.
pub const NODES: &str = include_str!("../data/mini/nodes.csv");
/// `links.csv` of the mini dataset.
pub const LINKS: &str = include_str!("../data/mini/links.csv");
/// `scenarios/base.toml` of the mini dataset.
pub const SCENARIO: &str = include_str!("../data/mini/scenarios/base.toml");

/// A one-commodity scenario on the mini dataset: 12 Mt/y of crude from the field to the world
/// market in 2024. Tests append the TOML of what they vary (policies, contracts, disruptions …).
pub const CRUDE_SCENARIO: &str = r#"
[scenario]
name = "test"
year = 2024
unmet_penalty_usd = 1000
sources = ["test-source"]

[[supplies]]
node = "field"
commodity = "crude"
volume = 12
unit = "Mt/y"

[[markets]]
node = "market"
commodity = "crude"
"#;

/// A dataset folder's three files from text, named `mini/dataset.toml`, `mini/nodes.csv` and
/// `mini/links.csv` in diagnostics (tests pass edited copies of [`DATASET`], [`NODES`], [`LINKS`]).
pub fn files(dataset: &str, nodes: &str, links: &str) -> DatasetFiles {
    DatasetFiles {
        dataset_toml: ("mini/dataset.toml".into(), dataset.into()),
        nodes_csv: ("mini/nodes.csv".into(), nodes.into()),
        links_csv: ("mini/links.csv".into(), links.into()),
        ..Default::default()
    }
}

/// The mini dataset, loaded; panics (test failure) on any diagnostic, warnings included.
pub fn dataset() -> Dataset {
    let (dataset, diags) = parse_dataset(&files(DATASET, NODES, LINKS));
    assert!(diags.is_empty(), "{diags:?}");
    dataset.expect("the mini dataset loads")
}
