//! The one JSON line every solver driver prints, and what our own drivers share.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

/// The result of one solve, printed by a driver as one JSON line on stdout.
///
/// `objective` is the total cost of a min-cost flow or the value of a maximum flow, exact, or
/// `None` when there is none (`status` other than `"optimal"`). An LP driver leaves it `None`
/// and prints its objective as the float `lp_objective`. `solve_seconds` excludes
/// reading and parsing the file (counted in `load_seconds`) but includes building the
/// solver's own data structures from the parsed arcs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Solver name, e.g. `corridor-ns` or `lemon-ns`.
    pub solver: String,
    /// Instance name: the file name without its extension.
    pub instance: String,
    /// Exact objective, or `None`.
    pub objective: Option<i64>,
    /// The objective of an LP (`kind` `lp`), a float compared with a relative tolerance;
    /// absent from the flow drivers' lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lp_objective: Option<f64>,
    /// `optimal`, `infeasible`, `unbounded`, `error`; the runner adds `timeout` and `crash`.
    pub status: String,
    /// Seconds spent solving.
    pub solve_seconds: f64,
    /// Seconds spent reading and parsing the instance.
    pub load_seconds: f64,
}

/// A driver's `main`: runs it and prints its record as one JSON line (exit 0), or the error on standard
/// error (exit 2), which the harness reports as the driver having failed.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn driver_main(name: &str, run: impl FnOnce() -> anyhow::Result<RunRecord>) -> ExitCode {
    match run() {
        Ok(r) => {
            println!("{}", r.to_json_line());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{name}: {e:#}");
            ExitCode::from(2)
        }
    }
}

impl RunRecord {
    /// The record as one line of JSON.
    pub fn to_json_line(&self) -> String {
        // Serialising a struct of strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The instance name of a path: its file name without extension.
pub fn instance_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads and parses a DIMACS file, returning the problem and the seconds it took.
///
/// # Errors
/// If the file cannot be read or is not valid DIMACS.
pub fn load_dimacs(path: &Path) -> anyhow::Result<(corridor_dimacs::Problem, f64)> {
    let start = Instant::now();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let problem =
        corridor_dimacs::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok((problem, start.elapsed().as_secs_f64()))
}

/// Branch pairs declared by the power-grid generator in a `c corridor-bench branches K`
/// comment: branch `k` is the arc pair `(2k, 2k + 1)`. Returns `None` if the file has no such
/// line, in which case each arc is its own branch.
pub fn declared_branches(text: &str) -> Option<usize> {
    text.lines()
        .take_while(|l| l.starts_with('c') || l.trim().is_empty())
        .find_map(|l| l.strip_prefix("c corridor-bench branches "))
        .and_then(|rest| rest.trim().parse().ok())
}
