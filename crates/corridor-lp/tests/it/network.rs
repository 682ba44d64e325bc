//! Multi-commodity network-flow LPs of the size corridor solves, against microlp.
//!
//! The 2,000-row instance runs only with `CORRIDOR_SLOW_TESTS=1` (it takes seconds at the test
//! profile's opt-level); `cargo run --release --example lp_scale` times it.

use corridor_fixtures::lp::{
    check_solution, close, multicommodity, solve_microlp, McfConfig, Reference,
};
use corridor_lp::{Outcome, Simplex};

fn check(seed: u64, cfg: McfConfig) {
    let p = multicommodity(seed, cfg);
    let (outcome, stats) = Simplex::default()
        .solve_with_stats(&p)
        .expect("no solver error");
    let Outcome::Optimal(s) = outcome else {
        panic!("seed {seed}: expected an optimum, got {outcome:?}");
    };
    check_solution(&p, &s);
    assert!(stats.iterations > 0);
    match solve_microlp(&p, 60.0) {
        Reference::Optimal { objective, .. } => assert!(
            close(s.objective, objective, 1e-7),
            "seed {seed}: objective {} vs microlp {objective}",
            s.objective
        ),
        other => panic!("seed {seed}: microlp says {other:?}"),
    }
}

#[test]
fn typical_multicommodity_flow_matches_microlp() {
    for seed in 1..=3 {
        check(seed, McfConfig::TYPICAL);
    }
}

#[test]
fn large_multicommodity_flow_matches_microlp() {
    if std::env::var_os("CORRIDOR_SLOW_TESTS").is_none() {
        return;
    }
    check(1, McfConfig::LARGE);
}
