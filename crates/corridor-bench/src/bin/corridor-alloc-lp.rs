//! Driver: `corridor-alloc-lp FILE.mps` solves an LP with corridor's default backend,
//! `corridor_lp::Simplex::default()` through the `LpSolver` trait, and prints one JSON line
//! with the objective as `lp_objective`.
//!
//! Loading = reading and parsing the MPS file and building the `Problem`; solving = the
//! `LpSolver::solve` call (scaling, both phases, the unscaled solution with duals). The answer
//! is then certified with `corridor_lp::certify` (not timed): an uncertified optimum is
//! reported as `error`. `--stats` also prints the iteration counters to stderr.
//!
//! Exit codes: 0 when a record was printed (whatever the status), 2 when the file cannot be
//! read or parsed.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a driver: its output is its answer

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _};
use corridor_bench::mps::parse_mps;
use corridor_bench::record::instance_name;
use corridor_bench::RunRecord;
use corridor_lp::{certify, Outcome, Simplex};

fn run() -> anyhow::Result<RunRecord> {
    let mut stats = false;
    let mut path = None;
    for a in std::env::args_os().skip(1) {
        if a == "--stats" {
            stats = true;
        } else {
            path = Some(PathBuf::from(a));
        }
    }
    let Some(path) = path else {
        bail!("usage: corridor-alloc-lp [--stats] FILE.mps");
    };
    let start = Instant::now();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let model = parse_mps(&text).with_context(|| format!("parsing {}", path.display()))?;
    let problem = model.to_problem();
    drop(model);
    let load_seconds = start.elapsed().as_secs_f64();
    let solver = Simplex::default();
    let start = Instant::now();
    let result = solver.solve_with_stats(&problem);
    let solve_seconds = start.elapsed().as_secs_f64();
    let (status, objective) = match result {
        Ok((outcome, st)) => {
            if stats {
                eprintln!(
                    "corridor-alloc-lp: {} rows, {} columns; {st:?}",
                    problem.n_rows(),
                    problem.n_vars()
                );
            }
            match outcome {
                Outcome::Optimal(s) => match certify(&problem, &s) {
                    Ok(_) => ("optimal", Some(s.objective)),
                    Err(why) => {
                        eprintln!("corridor-alloc-lp: optimum not certified: {why}");
                        ("error", None)
                    }
                },
                Outcome::Infeasible => ("infeasible", None),
                Outcome::Unbounded => ("unbounded", None),
                Outcome::IterationLimit { iterations } => {
                    eprintln!("corridor-alloc-lp: iteration limit after {iterations}");
                    ("error", None)
                }
            }
        }
        Err(e) => {
            eprintln!("corridor-alloc-lp: {e}");
            ("error", None)
        }
    };
    Ok(RunRecord {
        solver: "corridor-simplex".into(),
        instance: instance_name(&path),
        objective: None,
        lp_objective: objective,
        status: status.into(),
        solve_seconds,
        load_seconds,
    })
}

fn main() -> ExitCode {
    corridor_bench::record::driver_main("corridor-alloc-lp", run)
}
