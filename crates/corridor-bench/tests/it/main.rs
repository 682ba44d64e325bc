//! Integration tests of corridor-bench: the committed manifest, the generators' determinism
//! against the recorded hashes, and the summary's objective check.

use std::path::{Path, PathBuf};

use corridor_bench::gen::{self, GenContext};
use corridor_bench::manifest::{GeneratorSpec, Kind, Manifest};
use corridor_bench::report::{build, ReportInput};
use corridor_bench::runner::Row;

fn manifest_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/instances.toml")
}

#[test]
fn committed_manifest_is_complete() {
    let m = Manifest::load(&manifest_path()).expect("bench/instances.toml parses");
    for tier in ["smoke", "full"] {
        m.tier(tier).expect("tier defined");
        assert!(m.instances_of(tier).count() > 0, "{tier} has instances");
        assert!(m.n1.contains_key(tier), "{tier} has an N-1 sweep");
    }
    for spec in &m.instances {
        assert!(spec.sha256.is_some(), "{} has a recorded sha256", spec.name);
    }
    assert!(m.instances.iter().any(|s| s.kind() == Kind::Max));
}

/// Every smoke instance that needs no outside data regenerates to its recorded hash.
#[test]
fn smoke_instances_match_their_recorded_hashes() {
    let m = Manifest::load(&manifest_path()).expect("bench/instances.toml parses");
    let ctx = GenContext::default();
    let mut checked = 0;
    for spec in m.instances_of("smoke") {
        if matches!(spec.generator, GeneratorSpec::PowerGrid(_)) {
            continue;
        }
        let text = gen::generate(spec, &ctx).expect("generates");
        assert_eq!(
            Some(gen::sha256_hex(text.as_bytes())),
            spec.sha256,
            "{} changed",
            spec.name
        );
        if spec.kind() == Kind::Lp {
            corridor_bench::mps::parse_mps(&text).expect("valid MPS");
        } else {
            corridor_dimacs::parse(&text).expect("valid DIMACS");
        }
        checked += 1;
    }
    assert!(checked >= 4);
}

fn row(instance: &str, solver: &str, objective: Option<i64>, seconds: f64) -> Row {
    Row {
        tier: "smoke".into(),
        round: 1,
        family: "NETGEN-8".into(),
        kind: "min".into(),
        instance: instance.into(),
        n_nodes: 10,
        n_arcs: 20,
        solver: solver.into(),
        status: if objective.is_some() {
            "optimal"
        } else {
            "timeout"
        }
        .into(),
        objective,
        lp_objective: None,
        solve_seconds: objective.map(|_| seconds),
        load_seconds: Some(0.0),
        wall_seconds: seconds,
    }
}

#[test]
fn summary_marks_mismatches_void_and_keeps_timeouts_quiet() {
    let rows = vec![
        row("a", "corridor-ns", Some(100), 1.0),
        row("a", "lemon-ns", Some(100), 2.0),
        row("a", "networkx-ns", None, 20.0),
        row("b", "corridor-ns", Some(7), 1.0),
        row("b", "lemon-ns", Some(8), 4.0),
    ];
    let rep = build(&ReportInput {
        tier: "smoke".into(),
        rounds: 1,
        rows: &rows,
        ..ReportInput::default()
    });
    assert_eq!(rep.bugs.len(), 1, "{:?}", rep.bugs);
    assert!(
        rep.bugs[0].contains("b: corridor-ns=7, lemon-ns=8"),
        "{}",
        rep.bugs[0]
    );
    assert!(rep.crashes.is_empty());
    let md = &rep.markdown;
    assert!(
        md.contains("| a | 10 | 20 | 1.00 | 2.00 | timeout | 0.50 | — | ok |"),
        "{md}"
    );
    assert!(md.contains("**VOID**"), "{md}");
    // The VOID row is left out of the geometric mean.
    assert!(md.contains("| **geomean** | | | | | | **0.50** |"), "{md}");
    assert!(md.contains("time-out: networkx-ns on a"), "{md}");
}

fn lp_row(instance: &str, solver: &str, objective: f64, seconds: f64) -> Row {
    Row {
        family: "ALLOC-LP".into(),
        kind: "lp".into(),
        objective: None,
        lp_objective: Some(objective),
        solve_seconds: Some(seconds),
        ..row(instance, solver, Some(0), seconds)
    }
}

#[test]
fn lp_objectives_agree_within_a_relative_tolerance_and_the_advice_names_the_size() {
    let rows = vec![
        lp_row("small", "corridor-simplex", -1.0e6, 0.01),
        lp_row("small", "highs", -1.0e6 * (1.0 + 1e-9), 0.02),
        lp_row("large", "corridor-simplex", 5.0e8, 9.0),
        lp_row("large", "highs", 5.0e8, 0.3),
        lp_row("bad", "corridor-simplex", 1.0, 1.0),
        lp_row("bad", "highs", 1.1, 1.0),
    ];
    let mut lp_sizes = std::collections::BTreeMap::new();
    lp_sizes.insert("large".to_string(), (10_000, 5));
    let rep = build(&ReportInput {
        tier: "smoke".into(),
        rounds: 1,
        rows: &rows,
        lp_sizes,
        ..ReportInput::default()
    });
    assert_eq!(rep.bugs.len(), 1, "{:?}", rep.bugs);
    assert!(rep.bugs[0].contains("bad"), "{}", rep.bugs[0]);
    let md = &rep.markdown;
    assert!(
        md.contains("| small | — | — | 10 | 20 | 0.010 | 0.020 | 0.50 | ok |"),
        "{md}"
    );
    assert!(
        md.contains("| large | 10000 | 5 | 10 | 20 | 9.00 | 0.300 | 30.00 | ok |"),
        "{md}"
    );
    assert!(
        md.contains("from large (10000 links, 5 commodities"),
        "{md}"
    );
}
