//! What every command shares and nothing else owns: the global options, the solver they choose, loading
//! with those options, where output goes and how it is coloured, warnings, and exit codes. It imports no
//! other module of the CLI, so the command modules depend on it and never on each other in a circle.

use anyhow::{Context, Result};
use clap::ValueEnum;
use corridor_analysis::{self as analysis, AnalysisError};
use corridor_io::EMBEDDED_DATASET;
use corridor_lp::Simplex;
use corridor_model::{CountryCode, Dataset, Diagnostic};
use std::io::IsTerminal;

/// Options every command takes.
#[derive(clap::Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Output for humans (table) or for computers (json, csv, xlsx with --out; geojson for `network`,
    /// `allocate`, `capacity`).
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write every table as its own CSV file into DIR (numbers as numbers, units in the headers), with
    /// the sources in `sources.csv`.
    #[arg(long, global = true, value_name = "DIR")]
    pub out_dir: Option<std::path::PathBuf>,
    /// A dataset folder to use instead of the embedded `caspian` dataset (or the scenario's own).
    #[arg(long, global = true, value_name = "PATH")]
    pub dataset: Option<String>,
    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, global = true, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Print only results, no warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more detail on what is being done.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Never colour the output (also: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Run a scenario that includes a calibration without it: plain least cost on tariffs.
    #[arg(long, global = true)]
    pub uncalibrated: bool,
    /// The LP solver for allocations: the built-in simplex, or HiGHS (needs a build with `--features highs`).
    #[arg(long, global = true, value_enum, default_value_t = SolverChoice::Simplex)]
    pub solver: SolverChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SolverChoice {
    Simplex,
    Highs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    /// An Excel workbook (needs --out FILE): one sheet per table, numbers as numbers, the sources on
    /// their own sheet.
    Xlsx,
    /// GeoJSON (RFC 7946): links as LineStrings with their flows, nodes as Points.
    Geojson,
}

/// Problems in the input the user can fix; validation and analysis keep their own exit codes.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<AnalysisError>() {
            return match e {
                AnalysisError::Infeasible { .. } | AnalysisError::Unbounded { .. } => 1,
                _ => 2,
            };
        }
    }
    2
}

/// The LP solver chosen with `--solver`.
pub fn lp_solver(global: &GlobalArgs) -> Result<Box<dyn corridor_lp::LpSolver + Send + Sync>> {
    match global.solver {
        SolverChoice::Simplex => Ok(Box::new(Simplex::default())),
        #[cfg(feature = "highs")]
        SolverChoice::Highs => Ok(Box::new(corridor_highs::Highs::default())),
        #[cfg(not(feature = "highs"))]
        SolverChoice::Highs => anyhow::bail!("this corridor was built without HiGHS — rebuild with `cargo build --release --features highs` (needs cmake and libclang: scripts/setup-highs.sh)"),
    }
}

pub(crate) fn color(global: &GlobalArgs) -> bool {
    global.out.is_none()
        && !global.no_color
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal()
}

/// Writes the output to `--out` atomically, or to standard output.
pub(crate) fn emit(global: &GlobalArgs, text: &str) -> Result<()> {
    match &global.out {
        Some(path) => corridor_io::write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display())),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let newline: &[u8] = if text.ends_with('\n') { b"" } else { b"\n" };
            match out
                .write_all(text.as_bytes())
                .and_then(|()| out.write_all(newline))
                .and_then(|()| out.flush())
            {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// The reader of standard output went away (`corridor … | head`): not an error to report, but the end.
#[derive(Debug)]
pub struct ClosedPipe;

impl std::fmt::Display for ClosedPipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for ClosedPipe {}

/// Loads a scenario and its dataset as the global options say (`--dataset`, `--uncalibrated`).
pub(crate) fn load_scenario(
    spec: &str,
    global: &GlobalArgs,
) -> Result<corridor_io::Loaded, corridor_io::LoadError> {
    let mut loaded = corridor_io::load_scenario(spec, global.dataset.as_deref())?;
    if global.uncalibrated {
        loaded.scenario.calibration = None;
    }
    Ok(loaded)
}

pub(crate) fn warn(global: &GlobalArgs, warnings: &[Diagnostic]) {
    if !global.quiet {
        for w in warnings {
            eprintln!("{w}");
        }
    }
}

pub(crate) fn load_dataset(global: &GlobalArgs) -> Result<Dataset> {
    let spec = global.dataset.as_deref().unwrap_or(EMBEDDED_DATASET);
    let (dataset, warnings) =
        corridor_io::load_dataset(spec).with_context(|| format!("loading dataset `{spec}`"))?;
    warn(global, &warnings);
    Ok(dataset)
}

/// Country codes from a comma-separated list. A well-formed code the dataset does not know is kept
/// with a warning (nothing in the network touches it); anything else is an error with a suggestion.
pub(crate) fn parse_countries(
    dataset: &Dataset,
    text: &str,
    global: &GlobalArgs,
) -> Result<Vec<CountryCode>> {
    let (codes, warnings) = analysis::parse_countries(dataset, [text])?;
    if !global.quiet {
        for w in warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(codes)
}

/// Whether messages on standard error may be coloured.
pub(crate) fn color_stderr(global: &GlobalArgs) -> bool {
    !global.no_color && std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

pub(crate) fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
