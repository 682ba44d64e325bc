//! Peer driver: `petgraph-maxflow FILE.max` solves a DIMACS max-flow instance with
//! `petgraph::algo::dinics` and prints one JSON line.
//!
//! As for every driver, building the solver's input graph (here a `petgraph::Graph`) counts
//! as loading; `solve_seconds` is the `dinics` call alone.

// A benchmark binary: printing results and progress is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use corridor_bench::record::{instance_name, load_dimacs};
use corridor_bench::RunRecord;
use corridor_dimacs::Problem;
use petgraph::graph::{DiGraph, NodeIndex};

fn run() -> anyhow::Result<RunRecord> {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        bail!("usage: petgraph-maxflow FILE.max");
    };
    let start = Instant::now();
    let (problem, _) = load_dimacs(&path)?;
    let Problem::MaxFlow { net, source, sink } = problem else {
        bail!("{} is not a max-flow (`p max`) problem", path.display());
    };
    let mut g: DiGraph<(), u64, u32> = DiGraph::with_capacity(net.n_nodes(), net.n_arcs());
    for _ in 0..net.n_nodes() {
        g.add_node(());
    }
    for a in net.arc_indices() {
        let arc = net.arc(a);
        g.add_edge(
            NodeIndex::new(arc.tail.idx()),
            NodeIndex::new(arc.head.idx()),
            // petgraph measures capacities with unsigned types; DIMACS bounds are >= 0.
            arc.upper.max(0) as u64,
        );
    }
    let load_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let (value, _flows) =
        petgraph::algo::dinics(&g, NodeIndex::new(source.idx()), NodeIndex::new(sink.idx()));
    let solve_seconds = start.elapsed().as_secs_f64();
    Ok(RunRecord {
        solver: "petgraph-dinics".into(),
        instance: instance_name(&path),
        objective: i64::try_from(value).ok(),
        lp_objective: None,
        status: "optimal".into(),
        solve_seconds,
        load_seconds,
    })
}

fn main() -> ExitCode {
    corridor_bench::record::driver_main("petgraph-maxflow", run)
}
