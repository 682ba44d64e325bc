//! Driver: `corridor-maxflow FILE.max` solves a DIMACS max-flow instance with
//! `corridor_flow::max_flow` (highest-label push-relabel) and prints one JSON line.
//!
//! Exit codes: 0 when a record was printed, 2 when the file cannot be read or is not a
//! max-flow problem.

// A benchmark binary: printing results and progress is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use corridor_bench::record::{instance_name, load_dimacs};
use corridor_bench::RunRecord;
use corridor_dimacs::Problem;
use corridor_flow::max_flow;

fn run() -> anyhow::Result<RunRecord> {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        bail!("usage: corridor-maxflow FILE.max");
    };
    let (problem, load_seconds) = load_dimacs(&path)?;
    let Problem::MaxFlow { net, source, sink } = problem else {
        bail!("{} is not a max-flow (`p max`) problem", path.display());
    };
    let start = Instant::now();
    let result = max_flow(&net, &[source], &[sink]);
    let solve_seconds = start.elapsed().as_secs_f64();
    let (status, objective) = match result {
        Ok(mf) => ("optimal", Some(mf.value)),
        Err(e) => {
            eprintln!("corridor-maxflow: {e}");
            ("error", None)
        }
    };
    Ok(RunRecord {
        solver: "corridor-pr".into(),
        instance: instance_name(&path),
        objective,
        lp_objective: None,
        status: status.into(),
        solve_seconds,
        load_seconds,
    })
}

fn main() -> ExitCode {
    corridor_bench::record::driver_main("corridor-maxflow", run)
}
