//! Benchmarks of the resilience analyses (not a test): run with
//!
//! ```sh
//! cargo run --release -p corridor-analysis --example resilience_bench            # all three
//! cargo run --release -p corridor-analysis --example resilience_bench -- n1      # or one of: n1 synthetic mc
//! ```
//!
//! 1. `n1` — N-1 over every link of the Caspian crude scenario (warm network simplex), against cold
//!    LP re-solves of each case through `allocate`.
//! 2. `synthetic` — N-1 on a synthetic 10,000-node corridor network: warm re-solves from the base basis
//!    against cold solves from scratch (`corridor_flow::min_cost_flow` on the cut network), on an evenly
//!    spaced sample of links.
//! 3. `mc` — Monte Carlo solves per second on the Caspian crude scenario with 1 and 2 threads, and a check
//!    that both give identical statistics.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use corridor_analysis::*;
use corridor_flow::{min_cost_flow, McfOutcome, Network, NodeIdx};
use corridor_lp::Simplex;
use corridor_model::units::{Dimension, RateUnit};
use corridor_model::*;
use std::time::Instant;

/// Issue 10's floor for the Monte Carlo re-solve path on the Caspian crude scenario, one thread.
const RISK_TARGET: u64 = 250_000;

/// The median of `xs` (sorted in place).
fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let which: Vec<String> = std::env::args().skip(1).collect();
    let run = |name: &str| which.is_empty() || which.iter().any(|w| w == name);
    if run("n1") {
        n1_caspian();
    }
    if run("synthetic") {
        n1_synthetic(10_000);
    }
    if which.iter().any(|w| w == "synthetic-small") {
        n1_synthetic(1_000);
    }
    if run("mc") {
        monte_carlo();
    }
}

/// The embedded crude scenario on tariffs alone: the warm network-simplex path this benchmark has always
/// measured. (With its calibration, the reference flows are side constraints and the cases run on the LP,
/// several times slower; `corridor risk` prints which method it used.)
fn caspian() -> corridor_io::Loaded {
    let mut loaded =
        corridor_io::load_scenario("kazakh-crude-2024", None).expect("embedded scenario");
    loaded.scenario.calibration = None;
    loaded
}

fn n1_caspian() {
    let loaded = caspian();
    let (ds, sc) = (&loaded.dataset, &loaded.scenario);
    let config = ContingencyConfig {
        kinds: ElementKinds {
            links: true,
            nodes: false,
            countries: false,
            chokepoints: false,
        },
        k: 1,
        threads: Some(1),
        only: Vec::new(),
    };
    let solver = Simplex::default();
    // A warm-up, then the median of seven.
    let _ = contingency(ds, sc, &solver, &config, &Silent);
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..7 {
        let t = Instant::now();
        let r = contingency(ds, sc, &solver, &config, &Silent).expect("contingency");
        times.push(t.elapsed().as_secs_f64());
        result = Some(r);
    }
    let best = median(&mut times);
    let r = result.expect("ran");
    let t = Instant::now();
    for c in &r.singles {
        let mut case = sc.clone();
        case.disruptions.push(Disruption {
            element: c.elements[0],
            derate_pct: 100.0,
            years: Vec::new(),
            location: Location::default(),
        });
        if let Element::Link(out) = c.elements[0] {
            case.contracts.retain(|k| !k.links.contains(&out));
        }
        let _ = allocate_with(ds, &case, &solver, Method::Lp);
    }
    let cold = t.elapsed().as_secs_f64();
    println!(
        "n1-caspian: {} links, method {}, warm N-1 median {:.2} ms total ({:.1} µs per case, 1 thread, includes the base solve); cold LP re-solves {:.1} ms ({:.0}× slower)",
        r.singles.len(),
        r.method,
        best * 1e3,
        best * 1e6 / r.singles.len() as f64,
        cold * 1e3,
        cold / best
    );
}

/// A synthetic corridor: `n` nodes in layers of 50 (fields in the first layer, markets in the last),
/// each node linked to three nodes of the next layer and to its neighbour in the same layer, with
/// pseudo-random capacities and tariffs; countries by blocks of layers.
fn synthetic(n: usize) -> (Dataset, Scenario) {
    let width = 50;
    let layers = n / width;
    let mut ds = Dataset::default();
    ds.meta.default_year = 2024;
    ds.sources.push(Source {
        id: "s".into(),
        publisher: "bench".into(),
        title: "synthetic".into(),
        url: "https://example.invalid".into(),
        date: "2025".into(),
        location: Location::default(),
    });
    ds.commodities.push(Commodity {
        id: "crude".into(),
        name: "Crude".into(),
        dimension: Dimension::Mass,
        default_grade: None,
        tonnes_per_unit: None,
        location: Location::default(),
    });
    let n_countries = 20;
    let code = |i: usize| {
        CountryCode::parse(&format!(
            "{}{}",
            (b'A' + (i / 26) as u8) as char,
            (b'A' + (i % 26) as u8) as char
        ))
        .expect("code")
    };
    for i in 0..n_countries {
        ds.countries.push(Country {
            code: code(i),
            name: format!("Country {i}"),
            location: Location::default(),
        });
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for layer in 0..layers {
        for j in 0..width {
            let kind = if layer == 0 {
                NodeKind::Field
            } else if layer + 1 == layers {
                NodeKind::Market
            } else {
                NodeKind::Junction
            };
            ds.nodes.push(Node {
                id: format!("n{layer}-{j}"),
                name: format!("Node {layer}-{j}"),
                kind,
                country: Some(code(layer * n_countries / layers)),
                lat: 0.0,
                lon: 0.0,
                place: None,
                notes: String::new(),
                location: Location::default(),
            });
        }
    }
    let mt: RateUnit = "Mt/y".parse().expect("unit");
    let add = |ds: &mut Dataset, from: usize, to: usize, cap: f64, tariff: f64| {
        let i = ds.links.len();
        ds.links.push(Link {
            id: format!("l{i}"),
            name: format!("Link {i}"),
            from: NodeId(from as u32),
            to: NodeId(to as u32),
            mode: Mode::Pipeline,
            direction: Direction::OneWay,
            carries: vec![Carriage {
                commodity: CommodityId(0),
                tariff_usd: tariff,
                capacity_use: 1.0,
                group_use: None,
            }],
            capacity: cap,
            capacity_unit: mt,
            capacity_base: cap * 1e6,
            capacity_group: None,
            transit_days: 1.0,
            countries: Vec::new(),
            status: Status::Operating,
            start_year: None,
            end_year: None,
            year: 2024,
            sources: vec![SourceId(0)],
            confidence: Confidence::Estimate,
            notes: String::new(),
            gem_projects: Vec::new(),
            status_history: Vec::new(),
            location: Location::default(),
        });
    };
    for layer in 0..layers - 1 {
        for j in 0..width {
            let from = layer * width + j;
            for k in 0..3 {
                let to = (layer + 1) * width + (j + k * 7 + (next() % 3) as usize) % width;
                let cap = 1.0 + (next() % 40) as f64;
                let tariff = 1.0 + (next() % 50) as f64;
                add(&mut ds, from, to, cap, tariff);
            }
            if j + 1 < width {
                add(&mut ds, from, from + 1, 5.0, 2.0 + (next() % 10) as f64);
            }
        }
    }
    ds.reindex();
    let mut sc = Scenario {
        name: "synthetic".into(),
        year: 2024,
        unmet_penalty_usd: 10_000.0,
        ..Scenario::default()
    };
    for j in 0..width {
        sc.supplies.push(Supply {
            node: NodeId(j as u32),
            commodity: CommodityId(0),
            volume: 40e6,
            unmet_penalty_usd: None,
            sources: vec![SourceId(0)],
            location: Location::default(),
        });
        sc.markets.push(Market {
            node: NodeId(((layers - 1) * width + j) as u32),
            commodity: CommodityId(0),
            limit: None,
            price_usd: None,
            location: Location::default(),
        });
    }
    (ds, sc)
}

fn n1_synthetic(n: usize) {
    let (ds, sc) = synthetic(n);
    println!(
        "synthetic: {} nodes, {} links, {} supplies",
        ds.nodes.len(),
        ds.links.len(),
        sc.supplies.len()
    );
    let sample = 200usize;
    let step = ds.links.len() / sample;
    let picked: Vec<Element> = (0..sample)
        .map(|k| Element::Link(LinkId((k * step) as u32)))
        .collect();
    // Warm: the contingency engine re-solves each sampled case from the base basis (the base solve is
    // included in the time).
    let solver = Simplex::default();
    let t = Instant::now();
    let r = contingency(
        &ds,
        &sc,
        &solver,
        &ContingencyConfig {
            kinds: ElementKinds::default(),
            k: 1,
            threads: Some(1),
            only: picked,
        },
        &Silent,
    )
    .expect("contingency");
    let warm_all = t.elapsed().as_secs_f64();
    let per_warm = warm_all / r.singles.len() as f64;

    // Cold: the same min-cost-flow network built from scratch for each sampled case.
    let build = |cut: Option<usize>| -> (Network, Vec<i64>) {
        let nn = ds.nodes.len();
        let mut net = Network::new(nn + 1);
        let sink = NodeIdx(nn as u32);
        for (i, l) in ds.links.iter().enumerate() {
            let upper = if Some(i) == cut {
                0
            } else {
                (l.capacity_base * 1000.0) as i64
            };
            net.add_arc(
                NodeIdx(l.from.0),
                NodeIdx(l.to.0),
                0,
                upper,
                (l.carries[0].tariff_usd * 1e6) as i64,
            )
            .expect("arc");
        }
        let mut supply = vec![0i64; nn + 1];
        for s in &sc.supplies {
            let v = (s.volume * 1000.0) as i64;
            supply[s.node.idx()] += v;
            supply[nn] -= v;
            net.add_arc(
                NodeIdx(s.node.0),
                sink,
                0,
                v,
                (sc.unmet_penalty_usd * 1e6) as i64,
            )
            .expect("arc");
        }
        for m in &sc.markets {
            net.add_arc(NodeIdx(m.node.0), sink, 0, corridor_flow::INF, 0)
                .expect("arc");
        }
        (net, supply)
    };
    let cold_sample = 20;
    let t = Instant::now();
    let mut solved = 0;
    for k in 0..cold_sample {
        let (net, supply) = build(Some(k * step));
        if let Ok(McfOutcome::Optimal(_)) = min_cost_flow(&net, &supply) {
            solved += 1;
        }
    }
    let per_cold = t.elapsed().as_secs_f64() / cold_sample as f64;
    println!(
        "n1-synthetic: warm N-1 over {} sampled links {:.2} s ({:.2} ms per case incl. the base solve, 1 thread, method {}); cold from scratch {:.2} ms per case on the first {} of them ({} optimal); warm is {:.1}× faster",
        r.singles.len(),
        warm_all,
        per_warm * 1e3,
        r.method,
        per_cold * 1e3,
        cold_sample,
        solved,
        per_cold / per_warm
    );
}

fn monte_carlo() {
    let loaded = caspian();
    let (ds, sc) = (&loaded.dataset, &loaded.scenario);
    let solver = Simplex::default();
    let samples = 20_000;
    let mut results = Vec::new();
    for threads in [1usize, 2] {
        let config = RiskConfig {
            samples,
            seed: 7,
            threads: Some(threads),
            ..RiskConfig::default()
        };
        let _ = risk(
            ds,
            sc,
            &solver,
            &RiskConfig {
                samples: 500,
                ..config.clone()
            },
            &Silent,
        );
        // The median of three runs.
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            last = Some(risk(ds, sc, &solver, &config, &Silent).expect("risk"));
            times.push(t.elapsed().as_secs_f64());
        }
        let secs = median(&mut times);
        let r = last.expect("ran");
        let per_thread = r.solves as f64 / secs / threads as f64;
        if threads == 1 {
            println!(
                "mc: target ≥ {RISK_TARGET} solves/s on one thread: {} ({per_thread:.0})",
                if per_thread >= RISK_TARGET as f64 {
                    "met"
                } else {
                    "NOT met"
                }
            );
        }
        println!(
            "mc: {samples} sampled years, {threads} thread(s): median {:.2} s; {} allocations solved = {:.0} solves/s ({:.0} per thread); {:.0} years/s; method {}, {} outage sources, {} timing",
            secs,
            r.solves,
            r.solves as f64 / secs,
            per_thread,
            samples as f64 / secs,
            r.context.method,
            r.context.sources.len(),
            r.context.timing.as_str()
        );
        results.push(r);
    }
    println!(
        "mc: results identical for 1 and 2 threads: {}",
        results[0] == results[1]
    );
}
