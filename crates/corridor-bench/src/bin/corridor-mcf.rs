//! Driver: `corridor-mcf FILE.min` solves a DIMACS min-cost-flow instance with
//! `corridor_flow::min_cost_flow` (primal network simplex) and prints one JSON line.
//!
//! Exit codes: 0 when a record was printed (whatever the status), 2 when the file cannot be
//! read or is not a min-cost problem.

// A benchmark binary: printing results and progress is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use corridor_bench::record::{instance_name, load_dimacs};
use corridor_bench::RunRecord;
use corridor_dimacs::Problem;
use corridor_flow::{min_cost_flow, McfOutcome};

fn run() -> anyhow::Result<RunRecord> {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        bail!("usage: corridor-mcf FILE.min");
    };
    let (problem, load_seconds) = load_dimacs(&path)?;
    let Problem::MinCost { net, supply } = problem else {
        bail!(
            "{} is not a min-cost-flow (`p min`) problem",
            path.display()
        );
    };
    let start = Instant::now();
    let outcome = min_cost_flow(&net, &supply);
    let solve_seconds = start.elapsed().as_secs_f64();
    let (status, objective) = match outcome {
        Ok(McfOutcome::Optimal(sol)) => ("optimal", i64::try_from(sol.cost).ok()),
        Ok(McfOutcome::Infeasible) => ("infeasible", None),
        Ok(McfOutcome::Unbounded) => ("unbounded", None),
        Err(e) => {
            eprintln!("corridor-mcf: {e}");
            ("error", None)
        }
    };
    Ok(RunRecord {
        solver: "corridor-ns".into(),
        instance: instance_name(&path),
        objective,
        lp_objective: None,
        status: status.into(),
        solve_seconds,
        load_seconds,
    })
}

fn main() -> ExitCode {
    corridor_bench::record::driver_main("corridor-mcf", run)
}
