//! The incremental solver: warm re-solves after random changes must agree with cold solves.

use corridor_flow::{
    min_cost_flow, ArcIdx, McfConfig, McfOutcome, McfSolver, Network, NodeIdx, SolveStart, INF,
};
use proptest::prelude::*;

use crate::common::{random_net, RandomNet, SplitMix};
use crate::min_cost_flow::check_solution;
use corridor_fixtures::flow::{self as reference, RefMcf};

/// One change to the problem.
#[derive(Clone, Debug)]
enum Change {
    /// Cut the upper bound of an arc to a fraction (in eighths) of its current value.
    Cut(usize, i64),
    /// Set the upper bound to 0 and the lower bound to 0.
    Remove(usize),
    /// Put an arc's bounds back to the original ones.
    Restore(usize),
    Cost(usize, i64),
    /// New supplies (balanced or not).
    Supply(Vec<i64>),
    Snapshot,
    /// Go back to the last snapshot, if any.
    Rollback,
}

fn changes(n: usize) -> impl Strategy<Value = Vec<(Change, bool)>> {
    let change = prop_oneof![
        3 => (0usize..64, 0i64..8).prop_map(|(a, f)| Change::Cut(a, f)),
        2 => (0usize..64).prop_map(Change::Remove),
        2 => (0usize..64).prop_map(Change::Restore),
        2 => (0usize..64, -6i64..12).prop_map(|(a, c)| Change::Cost(a, c)),
        2 => (proptest::collection::vec(-8i64..9, n), 0..6u8).prop_map(|(mut b, coin)| {
            if coin != 0 {
                let sum: i64 = b.iter().sum();
                b[0] -= sum;
            }
            Change::Supply(b)
        }),
        1 => Just(Change::Snapshot),
        1 => Just(Change::Rollback),
    ];
    // The flag says whether to solve after the change.
    proptest::collection::vec((change, proptest::bool::weighted(0.7)), 1..10)
}

fn config() -> impl Strategy<Value = McfConfig> {
    prop_oneof![
        Just(McfConfig::default()),
        // Always repair, however much changed.
        Just(McfConfig {
            max_changed_fraction: f64::INFINITY,
            ..McfConfig::default()
        }),
        // Give up on every warm start that needs a pivot.
        Just(McfConfig {
            warm_pivot_budget: Some(0),
            max_changed_fraction: f64::INFINITY,
            ..McfConfig::default()
        }),
    ]
}

fn case() -> impl Strategy<Value = (RandomNet, Vec<i64>, Vec<(Change, bool)>, McfConfig)> {
    (random_net(1..9, 24, true, 6, -6..12), any::<bool>())
        .prop_map(|(mut net, ring)| {
            if ring {
                let n = net.n as u32;
                net.arcs
                    .extend((0..n).map(|v| (v, (v + 1) % n, 0, INF, 25)));
            }
            net
        })
        .prop_flat_map(|net| {
            let n = net.n;
            let supply = proptest::collection::vec(-8i64..9, n).prop_map(|mut b| {
                let sum: i64 = b.iter().sum();
                b[0] -= sum;
                b
            });
            (Just(net), supply, changes(n), config())
        })
}

/// Solves warm and checks the answer against the reference and a cold solve.
fn check(solver: &mut McfSolver) -> Result<(), TestCaseError> {
    let warm = solver
        .solve()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let net = solver.network();
    let supply = solver.supply().to_vec();
    let cold = min_cost_flow(&net, &supply).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let expected = reference::min_cost_flow(&net, &supply);
    match (&expected, &warm, &cold) {
        (RefMcf::Optimal(c), McfOutcome::Optimal(w), McfOutcome::Optimal(k)) => {
            prop_assert_eq!(*c, w.cost, "warm cost differs from the reference");
            prop_assert_eq!(*c, k.cost, "cold cost differs from the reference");
            check_solution(&net, &supply, w)
        }
        (RefMcf::Infeasible, McfOutcome::Infeasible, McfOutcome::Infeasible)
        | (RefMcf::Unbounded, McfOutcome::Unbounded, McfOutcome::Unbounded) => Ok(()),
        _ => Err(TestCaseError::fail(format!(
            "reference {expected:?}, warm {warm:?}, cold {cold:?} ({:?})",
            solver.stats()
        ))),
    }
}

fn apply(
    solver: &mut McfSolver,
    original: &Network,
    change: &Change,
    saved: &mut Option<corridor_flow::Basis>,
) -> Result<(), corridor_flow::FlowError> {
    let m = original.n_arcs();
    let arc = |a: usize| ArcIdx((a % m.max(1)) as u32);
    match change {
        _ if m == 0
            && !matches!(
                change,
                Change::Supply(_) | Change::Snapshot | Change::Rollback
            ) =>
        {
            Ok(())
        }
        Change::Cut(a, eighths) => {
            let cur = solver.arc(arc(*a))?;
            let upper = if cur.upper == INF {
                8 * eighths
            } else {
                cur.upper * eighths / 8
            };
            solver.set_bounds(arc(*a), cur.lower.min(upper), upper)
        }
        Change::Remove(a) => solver.remove_arc(arc(*a)),
        Change::Restore(a) => {
            let orig = original.arc(arc(*a));
            solver.set_bounds(arc(*a), orig.lower, orig.upper)
        }
        Change::Cost(a, c) => solver.set_cost(arc(*a), *c),
        Change::Supply(b) => solver.set_supply(b),
        Change::Snapshot => {
            *saved = Some(solver.snapshot());
            Ok(())
        }
        Change::Rollback => {
            if let Some(b) = saved {
                solver.restore(b);
            }
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Random sequences of capacity cuts, removals, restorations, cost and supply changes,
    /// snapshots and rollbacks: every solve agrees with a cold solve and the reference.
    #[test]
    fn warm_solves_match_cold_solves((spec, supply, changes, config) in case()) {
        let net = spec.build();
        let mut solver = McfSolver::with_config(&net, &supply, config)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        check(&mut solver)?;
        let mut saved = None;
        for (change, solve) in &changes {
            apply(&mut solver, &net, change, &mut saved)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            if *solve {
                check(&mut solver)?;
            }
        }
        check(&mut solver)?;
    }
}

fn cost_of(out: &McfOutcome) -> Option<i128> {
    match out {
        McfOutcome::Optimal(sol) => Some(sol.cost),
        _ => None,
    }
}

/// A ring with chords, feasible for any balanced supply.
fn ring_network(rng: &mut SplitMix, n: usize, chords: usize) -> Network {
    let mut net = Network::new(n);
    for v in 0..n as u32 {
        net.add_arc(NodeIdx(v), NodeIdx((v + 1) % n as u32), 0, INF, 200)
            .expect("valid");
    }
    for _ in 0..chords {
        let t = rng.below(n as u64) as u32;
        let h = rng.below(n as u64) as u32;
        let upper = 1 + rng.below(40) as i64;
        let cost = rng.below(50) as i64 - 5;
        net.add_arc(NodeIdx(t), NodeIdx(h), 0, upper, cost)
            .expect("valid");
    }
    net
}

fn random_supply(rng: &mut SplitMix, n: usize) -> Vec<i64> {
    let mut supply: Vec<i64> = (0..n).map(|_| rng.below(41) as i64 - 20).collect();
    let sum: i64 = supply.iter().sum();
    supply[0] -= sum;
    supply
}

/// The N-1 sweep the solver is built for: every outage is re-solved warm (or found not to
/// matter), and agrees with a cold solve.
#[test]
fn n_minus_one_sweep_matches_cold_solves() {
    let mut rng = SplitMix(23);
    let n = 120;
    let mut net = ring_network(&mut rng, n, 6 * n);
    // Cut the ring in two places so that some outages make the problem infeasible.
    net.set_upper(ArcIdx(0), 30).expect("valid");
    net.set_upper(ArcIdx(n as u32 / 2), 30).expect("valid");
    let supply = random_supply(&mut rng, n);
    let mut solver = McfSolver::new(&net, &supply).expect("valid");
    let base = solver.solve().expect("solves");
    assert_eq!(solver.stats().start, SolveStart::Cold);
    let base_cost = cost_of(&base);
    assert!(base_cost.is_some());
    let snapshot = solver.snapshot();
    let (mut warm, mut reused, mut infeasible) = (0, 0, 0);
    for a in net.arc_indices() {
        solver.remove_arc(a).expect("valid arc");
        let out = solver.solve().expect("solves");
        let mut cut = net.clone();
        cut.set_bounds(a, 0, 0).expect("valid");
        let cold = min_cost_flow(&cut, &supply).expect("solves");
        assert_eq!(cost_of(&out), cost_of(&cold), "outage of {a}");
        match solver.stats().start {
            SolveStart::Warm => warm += 1,
            SolveStart::Reused => reused += 1,
            other => panic!("outage of {a} solved {other:?}"),
        }
        infeasible += usize::from(out == McfOutcome::Infeasible);
        // Every other outage is undone by restoring the snapshot, the rest by resetting the
        // bounds and re-solving warm.
        if a.0 % 2 == 0 {
            solver.restore(&snapshot);
        } else {
            let orig = net.arc(a);
            solver.set_bounds(a, orig.lower, orig.upper).expect("valid");
            assert_eq!(cost_of(&solver.solve().expect("solves")), base_cost);
        }
    }
    assert!(warm > 0 && reused > 0, "warm {warm}, reused {reused}");
    assert!(infeasible > 0, "no outage made the problem infeasible");
    assert_eq!(cost_of(&solver.solve().expect("solves")), base_cost);
}

/// Each kind of change re-solves warm, and a restored snapshot needs no pivot.
#[test]
fn each_change_is_solved_warm() {
    let mut rng = SplitMix(5);
    let n = 60;
    let net = ring_network(&mut rng, n, 5 * n);
    let supply = random_supply(&mut rng, n);
    let mut solver = McfSolver::new(&net, &supply).expect("valid");
    let McfOutcome::Optimal(base) = solver.solve().expect("solves") else {
        panic!("ring networks are feasible");
    };
    let snapshot = solver.snapshot();
    let busiest = (0..net.n_arcs())
        .filter(|&a| net.arc(ArcIdx(a as u32)).upper != INF)
        .max_by_key(|&a| base.flow[a])
        .map(|a| ArcIdx(a as u32))
        .expect("some chord carries flow");

    type Edit = Box<dyn Fn(&mut McfSolver)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "capacity cut",
            Box::new(move |s| {
                let upper = s.arc(busiest).expect("valid").upper;
                s.set_upper(busiest, upper / 2).expect("valid");
            }),
        ),
        (
            "cost rise",
            Box::new(move |s| s.set_cost(busiest, 1000).expect("valid")),
        ),
        (
            "supply change",
            Box::new(move |s| {
                let mut b = s.supply().to_vec();
                b[1] += 7;
                b[2] -= 7;
                s.set_supply(&b).expect("valid");
            }),
        ),
    ];
    for (what, change) in cases {
        solver.restore(&snapshot);
        change(&mut solver);
        let warm = solver.solve().expect("solves");
        assert_eq!(solver.stats().start, SolveStart::Warm, "{what}");
        let cold = min_cost_flow(&solver.network(), solver.supply()).expect("solves");
        assert_eq!(cost_of(&warm), cost_of(&cold), "{what}");
    }
    solver.restore(&snapshot);
    assert_eq!(cost_of(&solver.solve().expect("solves")), Some(base.cost));
    assert_eq!(solver.stats().start, SolveStart::Reused);
    assert_eq!(solver.stats().pivots, 0);
}

/// Infeasible, then feasible again; unbalanced supplies; unbounded after a cost change.
#[test]
fn outcomes_change_with_the_data() {
    let mut net = Network::new(3);
    let a01 = net.add_arc(NodeIdx(0), NodeIdx(1), 0, 5, 1).expect("valid");
    let a12 = net
        .add_arc(NodeIdx(1), NodeIdx(2), 0, INF, 1)
        .expect("valid");
    let a21 = net
        .add_arc(NodeIdx(2), NodeIdx(1), 0, INF, 1)
        .expect("valid");
    let mut solver = McfSolver::new(&net, &[4, 0, -4]).expect("valid");
    assert_eq!(cost_of(&solver.solve().expect("solves")), Some(8));
    solver.set_upper(a01, 3).expect("valid");
    assert_eq!(solver.solve().expect("solves"), McfOutcome::Infeasible);
    solver.set_upper(a01, 4).expect("valid");
    assert_eq!(cost_of(&solver.solve().expect("solves")), Some(8));
    solver.set_supply(&[4, 0, -3]).expect("valid");
    assert_eq!(solver.solve().expect("solves"), McfOutcome::Infeasible);
    assert_eq!(solver.stats().start, SolveStart::Trivial);
    solver.set_supply(&[3, 0, -3]).expect("valid");
    assert_eq!(cost_of(&solver.solve().expect("solves")), Some(6));
    solver.set_cost(a21, -2).expect("valid");
    assert_eq!(solver.solve().expect("solves"), McfOutcome::Unbounded);
    solver.set_cost(a12, 2).expect("valid");
    assert_eq!(cost_of(&solver.solve().expect("solves")), Some(9));
    assert!(matches!(
        solver.set_cost(a12, i64::MAX / 4),
        Err(corridor_flow::FlowError::CostOverflow { .. })
    ));
    assert!(matches!(
        solver.set_upper(ArcIdx(9), 1),
        Err(corridor_flow::FlowError::ArcOutOfRange { .. })
    ));
    assert!(matches!(
        solver.set_supply(&[1, -1]),
        Err(corridor_flow::FlowError::SupplyLength { .. })
    ));
}
