//! Driver: `corridor-n1 [OPTIONS] FILE.min` — the N-1 contingency sweep.
//!
//! Each branch is removed in turn (its arcs' capacities set to 0) and the min-cost flow
//! re-solved: warm, from the base case's optimal basis (`corridor_flow::McfSolver`), and
//! cold (`min_cost_flow` from scratch) on an evenly spaced sample. A branch is the arc pair
//! `(2k, 2k+1)` when the file declares `c corridor-bench branches K` (the power-grid proxies),
//! otherwise each arc is a branch.
//!
//! Prints one JSON line (`corridor_bench::runner::N1Record`) and, with `--csv`, one row per
//! branch. Exit codes: 0 on success, 2 on unreadable input.

// A benchmark binary: printing results and progress is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _};
use clap::Parser;
use corridor_bench::record::{declared_branches, instance_name, load_dimacs};
use corridor_bench::runner::{branch_arcs, N1Branch, N1Record};
use corridor_bench::stats::{evenly_spaced, median, quantile};
use corridor_dimacs::Problem;
use corridor_flow::{min_cost_flow, ArcIdx, McfOutcome, Network};

/// The N-1 sweep of a min-cost-flow instance.
#[derive(Debug, Parser)]
struct Args {
    /// Sweep only the first this many branches (0: all).
    #[arg(long, default_value_t = 0)]
    max_branches: usize,
    /// Number of evenly spaced branches also solved cold.
    #[arg(long, default_value_t = 20)]
    cold_sample: usize,
    /// Further branches to solve cold, comma-separated (those a peer solves, so that its
    /// answers can be checked).
    #[arg(long, value_delimiter = ',')]
    also_cold: Vec<usize>,
    /// Write one row per branch here.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// The DIMACS min-cost-flow file.
    file: PathBuf,
}

/// One solve: milliseconds, status, objective.
type Outcome = (f64, &'static str, Option<i64>);

fn describe(out: &Result<McfOutcome, corridor_flow::FlowError>) -> (&'static str, Option<i64>) {
    match out {
        Ok(McfOutcome::Optimal(sol)) => ("optimal", i64::try_from(sol.cost).ok()),
        Ok(McfOutcome::Infeasible) => ("infeasible", None),
        Ok(McfOutcome::Unbounded) => ("unbounded", None),
        Err(_) => ("error", None),
    }
}

fn cold(net: &Network, supply: &[i64], arcs: &[usize]) -> anyhow::Result<Outcome> {
    let mut cut = net.clone();
    for &a in arcs {
        cut.set_upper(ArcIdx(a as u32), 0)?;
    }
    let start = Instant::now();
    let out = min_cost_flow(&cut, supply);
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let (status, obj) = describe(&out);
    Ok((ms, status, obj))
}

/// Warm re-solves of every branch with `corridor_flow::McfSolver`.
mod warm {
    use super::*;
    use corridor_flow::McfSolver;

    /// `(mode, one outcome per branch)`, or why there is no warm sweep.
    ///
    /// The base case is solved once and its basis saved; each contingency restores that
    /// basis, removes the branch's arcs and re-solves. The re-solve time counts the removal
    /// and the solve; the restore (a memory copy) is reported apart and counted in the
    /// sweep's total.
    pub fn sweep(
        net: &Network,
        supply: &[i64],
        branches: &[Vec<usize>],
    ) -> anyhow::Result<Result<(String, Vec<Outcome>), String>> {
        let mut solver = McfSolver::new(net, supply)?;
        solver.solve()?;
        let base = solver.snapshot();
        let mut out = Vec::with_capacity(branches.len());
        let mut restore_ms = Vec::with_capacity(branches.len());
        let mut starts: BTreeMap<String, usize> = BTreeMap::new();
        let mut pivots = Vec::with_capacity(branches.len());
        for arcs in branches {
            let t = Instant::now();
            solver.restore(&base);
            restore_ms.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            for &a in arcs {
                solver.remove_arc(ArcIdx(a as u32))?;
            }
            let res = solver.solve();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let stats = solver.stats();
            *starts.entry(format!("{:?}", stats.start)).or_default() += 1;
            pivots.push(stats.pivots as f64);
            let (status, obj) = describe(&res);
            out.push((ms, status, obj));
        }
        let starts: Vec<String> = starts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let mode = format!(
            "McfSolver warm re-solves from the base basis (restore of the base snapshot before \
             each contingency: median {:.3} ms, not in the re-solve time but in the sweep total); \
             starts: {}; median pivots {:.0}",
            median(&restore_ms).unwrap_or(f64::NAN),
            starts.join(", "),
            median(&pivots).unwrap_or(0.0)
        );
        Ok(Ok((mode, out)))
    }
}

fn run() -> anyhow::Result<N1Record> {
    let args = Args::parse();
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let paired = declared_branches(&text);
    drop(text);
    let (problem, _) = load_dimacs(&args.file)?;
    let Problem::MinCost { net, supply } = problem else {
        bail!("{} is not a min-cost-flow problem", args.file.display());
    };
    let n_branches = paired.unwrap_or(net.n_arcs());
    let n_swept = match args.max_branches {
        0 => n_branches,
        m => m.min(n_branches),
    };
    let branches: Vec<Vec<usize>> = (0..n_swept)
        .map(|k| branch_arcs(k, paired.is_some()))
        .collect();

    let start = Instant::now();
    let base = min_cost_flow(&net, &supply);
    let base_ms = start.elapsed().as_secs_f64() * 1e3;
    if !matches!(base, Ok(McfOutcome::Optimal(_))) {
        bail!("the base case is not optimal: {:?}", describe(&base));
    }

    let sweep_start = Instant::now();
    let warm = warm::sweep(&net, &supply, &branches)?;
    let warm_seconds = sweep_start.elapsed().as_secs_f64() + base_ms / 1e3;

    let mut cold_set: Vec<usize> = match &warm {
        Ok(_) => evenly_spaced(n_swept, args.cold_sample),
        // Without a warm start the sweep itself is cold: solve every branch.
        Err(_) => (0..n_swept).collect(),
    };
    cold_set.extend(args.also_cold.iter().filter(|&&k| k < n_swept));
    cold_set.sort_unstable();
    cold_set.dedup();
    let cold_start = Instant::now();
    let mut cold_out: BTreeMap<usize, Outcome> = BTreeMap::new();
    for &k in &cold_set {
        cold_out.insert(k, cold(&net, &supply, &branches[k])?);
    }
    let cold_seconds = cold_start.elapsed().as_secs_f64() + base_ms / 1e3;

    let mut rows = Vec::with_capacity(n_swept);
    let mut mismatches = Vec::new();
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for (k, arcs) in branches.iter().enumerate() {
        let w = warm.as_ref().ok().map(|(_, v)| v[k]);
        let c = cold_out.get(&k).copied();
        if let (Some(w), Some(c)) = (w, c) {
            if (w.1, w.2) != (c.1, c.2) {
                mismatches.push(k);
            }
        }
        if let Some(s) = w.or(c) {
            *statuses.entry(s.1.to_string()).or_default() += 1;
        }
        rows.push(N1Branch {
            branch: k,
            arcs: arcs
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(";"),
            warm_ms: w.map(|x| x.0),
            warm_status: w.map(|x| x.1.to_string()),
            warm_objective: w.and_then(|x| x.2),
            cold_ms: c.map(|x| x.0),
            cold_status: c.map(|x| x.1.to_string()),
            cold_objective: c.and_then(|x| x.2),
        });
    }
    if let Some(path) = &args.csv {
        let mut wr =
            csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
        for r in &rows {
            wr.serialize(r)?;
        }
        wr.flush()?;
    }

    let warm_ms: Vec<f64> = rows.iter().filter_map(|r| r.warm_ms).collect();
    let cold_ms: Vec<f64> = rows.iter().filter_map(|r| r.cold_ms).collect();
    let (warm_mode, sweep_seconds) = match &warm {
        Ok((mode, _)) => (mode.clone(), warm_seconds),
        Err(why) => (why.clone(), cold_seconds),
    };
    Ok(N1Record {
        instance: instance_name(&args.file),
        n_branches,
        n_swept,
        warm_mode,
        warm_median_ms: median(&warm_ms),
        warm_p95_ms: quantile(&warm_ms, 0.95),
        warm_max_ms: quantile(&warm_ms, 1.0),
        cold_median_ms: median(&cold_ms),
        cold_count: cold_ms.len(),
        sweep_seconds,
        base_ms,
        mismatches,
        statuses,
    })
}

fn main() -> ExitCode {
    match run() {
        Ok(r) => {
            println!("{}", serde_json::to_string(&r).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("corridor-n1: {e:#}");
            ExitCode::from(2)
        }
    }
}
