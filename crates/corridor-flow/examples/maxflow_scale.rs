//! Times `max_flow` on generated instances of about 2^16 nodes.
//!
//! ```text
//! cargo run --release -p corridor-flow --example maxflow_scale [-- [--reps R] [--only NAME] [--dump DIR]]
//! ```
//!
//! * `rmf-wide` / `rmf-long` — GENRMF-like (Goldberg's generator): `b` square frames of
//!   `a x a` nodes; inside a frame every node is joined to its grid neighbours with capacity
//!   `c2 * a * a`, and frame `i` is joined to frame `i + 1` by a random permutation with
//!   capacities in `c1..=c2`. The source is a corner of the first frame, the sink the
//!   opposite corner of the last. `wide` is `a = 64, b = 16`, `long` is `a = 16, b = 256`.
//! * `layered` — 256 layers of 256 nodes; every node has 8 arcs to random nodes of the next
//!   layer with capacities 1..=1000; a source feeds the first layer, the last drains into a
//!   sink.
//! * `random` — 2^16 nodes and 2^19 arcs between uniformly random nodes, capacities
//!   1..=1000, one source and one sink.
//!
//! `--dump DIR` writes DIMACS `.max` files of the instances.

// An example run by hand: printing its measurements is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod common;

use common::{cpu_time, Rng};
use std::time::{Duration, Instant};

use corridor_flow::{max_flow, Network, NodeIdx};

struct Instance {
    name: &'static str,
    n: usize,
    arcs: Vec<(u32, u32, i64)>,
    source: u32,
    sink: u32,
}

fn rmf(name: &'static str, a: usize, b: usize, seed: u64) -> Instance {
    let mut rng = Rng(seed);
    let (c1, c2) = (1, 10_000);
    let frame = a * a;
    let id = |f: usize, r: usize, c: usize| (f * frame + r * a + c) as u32;
    let mut arcs = Vec::new();
    for f in 0..b {
        for r in 0..a {
            for c in 0..a {
                let inner = c2 * frame as i64;
                for (dr, dc) in [(0i64, 1i64), (0, -1), (1, 0), (-1, 0)] {
                    let (rr, cc) = (r as i64 + dr, c as i64 + dc);
                    if (0..a as i64).contains(&rr) && (0..a as i64).contains(&cc) {
                        arcs.push((id(f, r, c), id(f, rr as usize, cc as usize), inner));
                    }
                }
            }
        }
        if f + 1 < b {
            let mut perm: Vec<usize> = (0..frame).collect();
            for i in (1..frame).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                perm.swap(i, j);
            }
            for (v, &w) in perm.iter().enumerate() {
                arcs.push((
                    (f * frame + v) as u32,
                    ((f + 1) * frame + w) as u32,
                    rng.range(c1, c2),
                ));
            }
        }
    }
    Instance {
        name,
        n: frame * b,
        arcs,
        source: 0,
        sink: (frame * b - 1) as u32,
    }
}

fn layered() -> Instance {
    let (layers, width, degree) = (256usize, 256usize, 8);
    let mut rng = Rng(0x1A7E);
    let n = layers * width + 2;
    let (s, t) = ((n - 2) as u32, (n - 1) as u32);
    let mut arcs = Vec::new();
    for v in 0..width {
        arcs.push((s, v as u32, 1_000_000));
        arcs.push((((layers - 1) * width + v) as u32, t, 1_000_000));
    }
    for l in 0..layers - 1 {
        for v in 0..width {
            for _ in 0..degree {
                let w = (l + 1) * width + rng.below(width as u64) as usize;
                arcs.push(((l * width + v) as u32, w as u32, rng.range(1, 1000)));
            }
        }
    }
    Instance {
        name: "layered",
        n,
        arcs,
        source: s,
        sink: t,
    }
}

fn random() -> Instance {
    let n = 1usize << 16;
    let mut rng = Rng(0xAB5);
    let mut arcs = Vec::with_capacity(8 * n);
    while arcs.len() < 8 * n {
        let t = rng.below(n as u64) as u32;
        let h = rng.below(n as u64) as u32;
        if t != h {
            arcs.push((t, h, rng.range(1, 1000)));
        }
    }
    Instance {
        name: "random",
        n,
        arcs,
        source: 0,
        sink: (n - 1) as u32,
    }
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

    type Maker = Box<dyn Fn() -> Instance>;
    let makers: Vec<(&str, Maker)> = vec![
        ("rmf-wide", Box::new(|| rmf("rmf-wide", 64, 16, 0x3F1))),
        ("rmf-long", Box::new(|| rmf("rmf-long", 16, 256, 0x3F2))),
        ("layered", Box::new(layered)),
        ("random", Box::new(random)),
    ];
    println!(
        "{:<10} {:>7} {:>8} {:>10} {:>10} {:>10}",
        "instance", "nodes", "arcs", "value", "wall_ms", "cpu_ms"
    );
    for (name, make) in &makers {
        if only.as_ref().is_some_and(|o| !name.starts_with(o.as_str())) {
            continue;
        }
        let inst = make();
        if let Some(dir) = &dump {
            use std::io::Write;
            let file = std::fs::File::create(format!("{dir}/{}.max", inst.name))
                .expect("create the dump file");
            let mut w = std::io::BufWriter::new(file);
            let mut write = || -> std::io::Result<()> {
                writeln!(w, "p max {} {}", inst.n, inst.arcs.len())?;
                writeln!(w, "n {} s", inst.source + 1)?;
                writeln!(w, "n {} t", inst.sink + 1)?;
                for &(t, h, c) in &inst.arcs {
                    writeln!(w, "a {} {} {}", t + 1, h + 1, c)?;
                }
                Ok(())
            };
            write().expect("write the dump file");
        }
        let mut net = Network::new(inst.n);
        for &(t, h, c) in &inst.arcs {
            net.add_arc(NodeIdx(t), NodeIdx(h), 0, c, 0)
                .expect("generated arcs are valid");
        }
        let (s, t) = ([NodeIdx(inst.source)], [NodeIdx(inst.sink)]);
        let mut best = Duration::MAX;
        let mut best_cpu = Duration::MAX;
        let mut value = 0;
        for _ in 0..reps {
            let cpu0 = cpu_time();
            let start = Instant::now();
            let mf = max_flow(&net, &s, &t).expect("finite instance");
            let wall = start.elapsed();
            let cpu = cpu0
                .zip(cpu_time())
                .map_or(wall, |(a, b)| b.saturating_sub(a));
            best = best.min(wall);
            best_cpu = best_cpu.min(cpu);
            value = mf.value;
        }
        println!(
            "{:<10} {:>7} {:>8} {:>10} {:>10.2} {:>10.2}",
            inst.name,
            inst.n,
            inst.arcs.len(),
            value,
            best.as_secs_f64() * 1e3,
            best_cpu.as_secs_f64() * 1e3
        );
    }
}
