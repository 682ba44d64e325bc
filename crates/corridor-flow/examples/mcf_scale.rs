//! Times `min_cost_flow` on generated instances of growing size.
//!
//! ```text
//! cargo run --release -p corridor-flow --example mcf_scale [-- [--reps R] [--only NAME] [--dump DIR] [--big]]
//! ```
//!
//! Three families, all deterministic for a given size:
//! * `netgen-K` — NETGEN-like: `2^K` nodes, `8 * 2^K` arcs, about `sqrt(n)` sources and
//!   sinks, costs 1..=10000 and capacities 1..=1000 on random arcs, plus a skeleton of chains
//!   from every source that keeps the problem feasible. Arcs are listed grouped by tail, as
//!   generators write them.
//! * `grid-S` — an `S x S` grid with arcs both ways between neighbours, random costs and
//!   capacities, sources on the left edge and sinks on the right.
//! * `power-K` — power-grid-like: a sparse planar mesh (mean degree about 2.6) over a
//!   jittered grid, lines both ways with length-based costs, 10% generators and 60% loads.
//!
//! `--dump DIR` writes each instance as a DIMACS `.min` file, for timing other solvers on
//! exactly the same input. `--big` adds `netgen-16` and `grid-256`.
//!
//! `--n1 K` times an N-1 sweep instead: for K arcs spread over the instance, take the arc
//! out, re-solve, put it back. Once warm with [`McfSolver`] (restoring a snapshot), once
//! cold with `min_cost_flow` on a copy of the network, and checks that the costs agree
//! (`--warm-only` skips the cold sweep).

// An example run by hand: printing its measurements is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{timed, Rng};
use std::time::Duration;

use corridor_flow::{min_cost_flow, ArcIdx, McfOutcome, McfSolver, Network, NodeIdx, INF};

/// An instance as plain arc data, so it can be both solved and dumped.
struct Instance {
    name: String,
    n: usize,
    arcs: Vec<(u32, u32, i64, i64)>, // tail, head, upper, cost
    supply: Vec<i64>,
}

impl Instance {
    fn network(&self) -> Network {
        let mut net = Network::new(self.n);
        for &(t, h, u, c) in &self.arcs {
            net.add_arc(NodeIdx(t), NodeIdx(h), 0, u, c)
                .expect("generated arcs are valid");
        }
        net
    }

    fn dump(&self, dir: &str) -> std::io::Result<()> {
        use std::io::Write;
        let path = format!("{dir}/{}.min", self.name);
        let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
        writeln!(w, "p min {} {}", self.n, self.arcs.len())?;
        for (v, &b) in self.supply.iter().enumerate() {
            if b != 0 {
                writeln!(w, "n {} {}", v + 1, b)?;
            }
        }
        for &(t, h, u, c) in &self.arcs {
            // DIMACS has no infinity; a capacity of the total supply never binds.
            let u = if u == INF { 1_000_000_000 } else { u };
            writeln!(w, "a {} {} 0 {} {}", t + 1, h + 1, u, c)?;
        }
        Ok(())
    }
}

/// Splits `total` into `k` random positive parts.
fn split(rng: &mut Rng, total: i64, k: usize) -> Vec<i64> {
    let mut parts = vec![1i64; k];
    for _ in 0..total - k as i64 {
        parts[rng.below(k as u64) as usize] += 1;
    }
    parts
}

fn netgen(log_n: u32) -> Instance {
    let n = 1usize << log_n;
    let m = 8 * n;
    let mut rng = Rng(0x5EED ^ u64::from(log_n));
    let k = (n as f64).sqrt().round() as usize;
    let total = 1000 * k as i64;
    let mut supply = vec![0i64; n];
    for (i, b) in split(&mut rng, total, k).into_iter().enumerate() {
        supply[i] = b;
    }
    for (i, b) in split(&mut rng, total, k).into_iter().enumerate() {
        supply[n - 1 - i] = -b;
    }
    let mut arcs = Vec::with_capacity(m);
    // Skeleton: source i -> a chain of transshipment nodes -> sink i, and a ring through the
    // sinks so every distribution of the supply can be met. 30% of skeleton arcs cost the
    // maximum, as in NETGEN.
    let mut middle: Vec<u32> = (k as u32..(n - k) as u32).collect();
    rng.shuffle(&mut middle);
    let chain_len = middle.len() / k;
    for i in 0..k {
        let mut prev = i as u32;
        for &v in &middle[i * chain_len..(i + 1) * chain_len] {
            let cost = if rng.below(10) < 3 {
                10_000
            } else {
                rng.range(1, 10_000)
            };
            arcs.push((prev, v, total, cost));
            prev = v;
        }
        arcs.push((prev, (n - 1 - i) as u32, total, rng.range(1, 10_000)));
        let next_sink = (n - 1 - (i + 1) % k) as u32;
        arcs.push(((n - 1 - i) as u32, next_sink, total, 10_000));
    }
    while arcs.len() < m {
        let t = rng.below(n as u64) as u32;
        let h = rng.below(n as u64) as u32;
        if t != h {
            arcs.push((t, h, rng.range(1, 1000), rng.range(1, 10_000)));
        }
    }
    arcs.sort_by_key(|a| a.0);
    Instance {
        name: format!("netgen-{log_n}"),
        n,
        arcs,
        supply,
    }
}

fn grid(side: usize) -> Instance {
    let n = side * side;
    let mut rng = Rng(0x6121D ^ side as u64);
    let id = |r: usize, c: usize| (r * side + c) as u32;
    let mut arcs = Vec::with_capacity(4 * n);
    for r in 0..side {
        for c in 0..side {
            let mut link = |a: u32, b: u32, rng: &mut Rng| {
                arcs.push((a, b, rng.range(1, 1000), rng.range(1, 10_000)));
            };
            if c + 1 < side {
                link(id(r, c), id(r, c + 1), &mut rng);
                link(id(r, c + 1), id(r, c), &mut rng);
            }
            if r + 1 < side {
                link(id(r, c), id(r + 1, c), &mut rng);
                link(id(r + 1, c), id(r, c), &mut rng);
            }
        }
    }
    let mut supply = vec![0i64; n];
    for r in 0..side {
        supply[id(r, 0) as usize] = 100;
        supply[id(r, side - 1) as usize] = -100;
    }
    Instance {
        name: format!("grid-{side}"),
        n,
        arcs,
        supply,
    }
}

fn power(log_n: u32) -> Instance {
    let side = 1usize << log_n.div_ceil(2);
    let rows = (1usize << log_n) / side;
    let n = rows * side;
    let mut rng = Rng(0x90E4 ^ u64::from(log_n));
    let id = |r: usize, c: usize| (r * side + c) as u32;
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|v| {
            let jitter = |rng: &mut Rng| (rng.below(1000) as f64 / 1000.0 - 0.5) * 0.8;
            let x = (v / side) as f64 + jitter(&mut rng);
            (x, (v % side) as f64 + jitter(&mut rng))
        })
        .collect();
    let mut lines = Vec::new();
    for r in 0..rows {
        for c in 0..side {
            // A random spanning tree of the grid: every node joins its left or upper neighbour.
            if r == 0 && c > 0 || r > 0 && c > 0 && rng.below(2) == 0 {
                lines.push((id(r, c), id(r, c - 1)));
            } else if r > 0 {
                lines.push((id(r, c), id(r - 1, c)));
            }
        }
    }
    let tree = lines.len();
    for r in 0..rows {
        for c in 0..side {
            for (dr, dc) in [(0, 1), (1, 0)] {
                if r + dr < rows && c + dc < side && rng.below(10) < 3 {
                    lines.push((id(r, c), id(r + dr, c + dc)));
                }
            }
        }
    }
    lines[tree..].sort_unstable();
    lines.dedup();
    let mut arcs = Vec::with_capacity(2 * lines.len());
    for &(a, b) in &lines {
        let (pa, pb) = (pos[a as usize], pos[b as usize]);
        let length = ((pa.0 - pb.0).powi(2) + (pa.1 - pb.1).powi(2)).sqrt();
        let cost = (length * 100.0) as i64 + rng.range(1, 20);
        let rating = 100 * rng.range(2, 20);
        arcs.push((a, b, rating, cost));
        arcs.push((b, a, rating, cost));
    }
    let mut supply = vec![0i64; n];
    let mut gens = Vec::new();
    let mut load = 0;
    for (v, b) in supply.iter_mut().enumerate() {
        match rng.below(10) {
            0 => gens.push(v),
            1..=6 => {
                *b = -rng.range(1, 30);
                load -= *b;
            }
            _ => {}
        }
    }
    for (g, share) in gens.iter().zip(split(&mut rng, load, gens.len())) {
        supply[*g] = share;
    }
    Instance {
        name: format!("power-{log_n}"),
        n,
        arcs,
        supply,
    }
}

fn cost_of(out: &McfOutcome) -> Option<i128> {
    match out {
        McfOutcome::Optimal(sol) => Some(sol.cost),
        _ => None,
    }
}

/// Times an N-1 sweep over `k` arcs of `inst`, warm and (unless `warm_only`) cold.
fn n_minus_one(inst: &Instance, k: usize, warm_only: bool) {
    let net = inst.network();
    let m = net.n_arcs();
    let arcs: Vec<ArcIdx> = (0..k.min(m))
        .map(|i| ArcIdx((i * m / k.min(m)) as u32))
        .collect();
    let mut solver = McfSolver::new(&net, &inst.supply).expect("valid instance");
    let (base, base_wall, _) = timed(|| solver.solve().expect("valid instance"));
    let snapshot = solver.snapshot();
    let mut warm_costs = Vec::with_capacity(arcs.len());
    let mut starts = std::collections::BTreeMap::new();
    let mut pivots = 0;
    let ((), warm_wall, warm_cpu) = timed(|| {
        for &a in &arcs {
            solver.remove_arc(a).expect("valid arc");
            warm_costs.push(cost_of(&solver.solve().expect("valid instance")));
            let stats = solver.stats();
            pivots += stats.pivots;
            *starts.entry(format!("{:?}", stats.start)).or_insert(0) += 1;
            solver.restore(&snapshot);
        }
    });
    let mut cold_costs = Vec::with_capacity(arcs.len());
    let ((), cold_wall, cold_cpu) = timed(|| {
        for &a in arcs.iter().filter(|_| !warm_only) {
            let mut cut = net.clone();
            cut.set_bounds(a, 0, 0).expect("valid arc");
            cold_costs.push(cost_of(&min_cost_flow(&cut, &inst.supply).expect("valid")));
        }
    });
    if !warm_only {
        assert_eq!(warm_costs, cold_costs, "warm and cold sweeps disagree");
    }
    let per = |d: Duration| d.as_secs_f64() * 1e3 / arcs.len() as f64;
    println!(
        "{}: base solve {:.1} ms (cost {:?}); {} outages, {} infeasible",
        inst.name,
        base_wall.as_secs_f64() * 1e3,
        cost_of(&base),
        arcs.len(),
        warm_costs.iter().filter(|c| c.is_none()).count()
    );
    println!(
        "  warm: {:.3} ms per outage wall, {:.3} cpu ({} pivots per outage; starts {:?})",
        per(warm_wall),
        per(warm_cpu.unwrap_or(warm_wall)),
        pivots / arcs.len() as u64,
        starts
    );
    println!(
        "  cold: {:.3} ms per outage wall, {:.3} cpu",
        per(cold_wall),
        per(cold_cpu.unwrap_or(cold_wall))
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let reps: usize = flag("--reps").map_or(3, |r| r.parse().expect("--reps N"));
    let only = flag("--only");
    let dump = flag("--dump");
    let big = args.iter().any(|a| a == "--big");
    let n1: Option<usize> = flag("--n1").map(|k| k.parse().expect("--n1 K"));

    type Maker = Box<dyn Fn() -> Instance>;
    let mut makers: Vec<(&str, Maker)> = vec![
        ("netgen-12", Box::new(|| netgen(12))),
        ("netgen-14", Box::new(|| netgen(14))),
        ("grid-128", Box::new(|| grid(128))),
        ("power-14", Box::new(|| power(14))),
        ("power-16", Box::new(|| power(16))),
    ];
    if big {
        makers.push(("netgen-16", Box::new(|| netgen(16))));
        makers.push(("grid-256", Box::new(|| grid(256))));
    }

    println!(
        "{:<10} {:>7} {:>8} {:>12} {:>8} {:>10} {:>10}",
        "instance", "nodes", "arcs", "cost", "pivots", "wall_ms", "cpu_ms"
    );
    let mut log_sum = 0.0;
    let mut count = 0;
    for (name, make) in &makers {
        if only.as_ref().is_some_and(|o| !name.starts_with(o.as_str())) {
            continue;
        }
        let inst = make();
        if let Some(k) = n1 {
            n_minus_one(&inst, k, args.iter().any(|a| a == "--warm-only"));
            continue;
        }
        if let Some(dir) = &dump {
            inst.dump(dir).expect("write the instance");
        }
        let net = inst.network();
        let mut best = Duration::MAX;
        let mut best_cpu = Duration::MAX;
        let mut cost = String::new();
        let mut pivots = 0;
        for _ in 0..reps {
            // The same work as `min_cost_flow`, through the solver to read its pivot count.
            let ((out, solver), wall, cpu) = timed(|| {
                let mut solver = McfSolver::new(&net, &inst.supply).expect("valid instance");
                (solver.solve().expect("valid instance"), solver)
            });
            best = best.min(wall);
            best_cpu = best_cpu.min(cpu.unwrap_or(wall));
            pivots = solver.stats().pivots;
            cost = match out {
                McfOutcome::Optimal(sol) => sol.cost.to_string(),
                other => format!("{other:?}"),
            };
        }
        let ms = best.as_secs_f64() * 1e3;
        let cpu_ms = best_cpu.as_secs_f64() * 1e3;
        log_sum += cpu_ms.ln();
        count += 1;
        println!(
            "{:<10} {:>7} {:>8} {:>12} {:>8} {:>10.2} {:>10.2}",
            inst.name,
            inst.n,
            inst.arcs.len(),
            cost,
            pivots,
            ms,
            cpu_ms
        );
    }
    if count > 0 {
        println!(
            "geometric mean of cpu_ms {:.2}",
            (log_sum / count as f64).exp()
        );
    }
}
