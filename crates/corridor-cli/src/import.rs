//! `corridor import-routes`: route data of one's own (GeoJSON lines naming links) into a dataset's
//! `paths.csv`.

use crate::context::GlobalArgs;
use crate::context::{emit, warn};
use anyhow::{bail, Context, Result};
use corridor_io::{ImportOptions, LoadError, EMBEDDED_DATASET, PATHS_FILE};
use corridor_model::units::closest;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ImportRoutesArgs {
    /// A GeoJSON FeatureCollection of LineString or MultiLineString features, each naming a link.
    pub routes: PathBuf,
    /// The feature property that holds the link id.
    #[arg(long, default_value = "link", value_name = "NAME")]
    pub link_property: String,
    /// A source of dataset.toml to cite for the imported courses (who drew them).
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
}

/// Writes the courses of `args.routes` into `--dataset DIR`'s paths.csv, atomically, and says what
/// changed.
pub fn import_routes(args: &ImportRoutesArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let dir = match global.dataset.as_deref() {
        Some(d) if d != EMBEDDED_DATASET && Path::new(d).is_dir() => Path::new(d),
        Some(d) => bail!(
            "--dataset `{d}` is not a dataset folder — import-routes writes the folder's {PATHS_FILE}; give the folder (the embedded dataset cannot be changed: copy it out first)"
        ),
        None => bail!(
            "import-routes needs --dataset DIR: the dataset folder whose {PATHS_FILE} to update"
        ),
    };
    let spec = dir.display().to_string();
    let (dataset, warnings) =
        corridor_io::load_dataset(&spec).with_context(|| format!("loading dataset `{spec}`"))?;
    warn(global, &warnings);
    let source = match args.source.as_deref() {
        None => None,
        Some(s) => match dataset.source_id(s) {
            Some(id) => Some(id),
            None => bail!(
                "--source: unknown source `{s}` — {}",
                closest(s, dataset.sources.iter().map(|s| s.id.as_str())).map_or(
                    "declare it under [[sources]] in dataset.toml first".to_string(),
                    |c| { format!("did you mean `{c}`?") }
                )
            ),
        },
    };
    let file = args.routes.display().to_string();
    let text = corridor_io::read_input(&args.routes)?;
    let paths = corridor_io::read_paths_file(dir)?;
    let options = ImportOptions {
        link_property: &args.link_property,
        source,
    };
    let import = corridor_io::import_routes(
        &dataset,
        paths.as_ref().map(|(_, t)| t.as_str()),
        &file,
        &text,
        &options,
    )
    .map_err(|diagnostics| LoadError::Invalid { diagnostics })
    .with_context(|| format!("importing `{file}`"))?;
    warn(global, &import.warnings);
    let target = dir.join(PATHS_FILE);
    corridor_io::write_atomic(&target, import.paths_csv.as_bytes())
        .with_context(|| format!("cannot write {}", target.display()))?;
    let mut report = String::new();
    for (link, before, after) in &import.links {
        report.push_str(&match before {
            0 => format!("added `{link}`: {after} waypoint(s)\n"),
            n => format!("replaced `{link}`: {n} → {after} waypoint(s)\n"),
        });
    }
    report.push_str(&format!(
        "{}: {} link(s) updated\n",
        target.display(),
        import.links.len()
    ));
    emit(global, &report)?;
    Ok(ExitCode::SUCCESS)
}
