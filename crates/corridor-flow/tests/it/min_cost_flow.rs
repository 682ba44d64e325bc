//! Min-cost-flow properties on random networks, checked against successive shortest paths.

use corridor_flow::{min_cost_flow, McfOutcome, McfSolution, Network, NodeIdx, INF};
use proptest::prelude::*;

use crate::common::{random_net, RandomNet, SplitMix};
use corridor_fixtures::flow::{self as reference, RefMcf};

/// Supplies for `n` nodes; balanced unless `unbalanced`.
fn supplies(n: usize) -> impl Strategy<Value = Vec<i64>> {
    (proptest::collection::vec(-8i64..9, n), 0..10u8).prop_map(|(mut b, coin)| {
        if coin != 0 {
            let sum: i64 = b.iter().sum();
            b[0] -= sum;
        }
        b
    })
}

fn case(
    nodes: std::ops::Range<usize>,
    max_arcs: usize,
) -> impl Strategy<Value = (RandomNet, Vec<i64>)> {
    let net = (random_net(nodes, max_arcs, true, 6, -6..12), any::<bool>()).prop_map(
        |(mut net, ring)| {
            // Half the networks get an expensive uncapacitated ring, which makes every
            // balanced supply feasible and so exercises optimal cases more often.
            if ring {
                let n = net.n as u32;
                net.arcs
                    .extend((0..n).map(|v| (v, (v + 1) % n, 0, INF, 25)));
            }
            net
        },
    );
    net.prop_flat_map(|net| {
        let n = net.n;
        (Just(net), supplies(n))
    })
}

/// Checks bounds, conservation, the reported cost, and complementary slackness.
pub(crate) fn check_solution(
    net: &Network,
    supply: &[i64],
    sol: &McfSolution,
) -> Result<(), TestCaseError> {
    let n = net.n_nodes();
    let mut balance = vec![0i64; n];
    let mut cost: i128 = 0;
    for a in net.arc_indices() {
        let arc = net.arc(a);
        let f = sol.flow[a.0 as usize];
        prop_assert!(arc.lower <= f && f <= arc.upper, "flow {} on {:?}", f, arc);
        balance[arc.tail.0 as usize] += f;
        balance[arc.head.0 as usize] -= f;
        cost += i128::from(f) * i128::from(arc.cost);
        let reduced =
            arc.cost + sol.potential[arc.tail.0 as usize] - sol.potential[arc.head.0 as usize];
        if f < arc.upper {
            prop_assert!(
                reduced >= 0,
                "arc {:?} below upper has reduced cost {}",
                arc,
                reduced
            );
        }
        if f > arc.lower {
            prop_assert!(
                reduced <= 0,
                "arc {:?} above lower has reduced cost {}",
                arc,
                reduced
            );
        }
    }
    prop_assert_eq!(&balance[..], supply, "supplies not met");
    prop_assert_eq!(cost, sol.cost, "reported cost differs from flows");
    Ok(())
}

fn compare(net: &Network, supply: &[i64]) -> Result<(), TestCaseError> {
    let expected = reference::min_cost_flow(net, supply);
    let got = min_cost_flow(net, supply).map_err(|e| TestCaseError::fail(e.to_string()))?;
    match (&expected, &got) {
        (RefMcf::Optimal(c), McfOutcome::Optimal(sol)) => {
            prop_assert_eq!(*c, sol.cost, "cost differs from successive shortest paths");
            check_solution(net, supply, sol)
        }
        (RefMcf::Infeasible, McfOutcome::Infeasible)
        | (RefMcf::Unbounded, McfOutcome::Unbounded) => Ok(()),
        _ => Err(TestCaseError::fail(format!(
            "reference {expected:?}, got {got:?}"
        ))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn small_networks_match_reference((spec, supply) in case(1..8, 18)) {
        compare(&spec.build(), &supply)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn medium_networks_match_reference((spec, supply) in case(10..40, 140)) {
        compare(&spec.build(), &supply)?;
    }
}

/// Larger transportation-like instances: deep trees and many degenerate pivots.
#[test]
fn larger_random_networks_match_the_reference() {
    let mut rng = SplitMix(11);
    for round in 0..12 {
        let n = 80 + 10 * round;
        let mut net = Network::new(n);
        // A ring keeps most instances feasible; random chords add choice.
        for v in 0..n as u32 {
            net.add_arc(NodeIdx(v), NodeIdx((v + 1) % n as u32), 0, INF, 20)
                .expect("valid");
        }
        for _ in 0..n * 5 {
            let t = rng.below(n as u64) as u32;
            let h = rng.below(n as u64) as u32;
            let lower = if rng.below(10) == 0 {
                rng.below(3) as i64
            } else {
                0
            };
            let upper = lower + rng.below(30) as i64;
            let cost = rng.below(40) as i64 - 5;
            net.add_arc(NodeIdx(t), NodeIdx(h), lower, upper, cost)
                .expect("valid");
        }
        let mut supply: Vec<i64> = (0..n).map(|_| rng.below(41) as i64 - 20).collect();
        let sum: i64 = supply.iter().sum();
        supply[0] -= sum;
        compare(&net, &supply).unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
}

#[test]
fn cost_overflow_and_supply_overflow_are_errors() {
    let mut net = Network::new(2);
    net.add_arc(NodeIdx(0), NodeIdx(1), 0, 5, i64::MAX / 4)
        .expect("valid");
    assert!(matches!(
        min_cost_flow(&net, &[1, -1]),
        Err(corridor_flow::FlowError::CostOverflow { .. })
    ));
    let mut net = Network::new(2);
    net.add_arc(NodeIdx(0), NodeIdx(1), 0, INF - 1, 1)
        .expect("valid");
    net.add_arc(NodeIdx(0), NodeIdx(1), 0, INF - 1, 1)
        .expect("valid");
    assert!(matches!(
        min_cost_flow(&net, &[1, -1]),
        Err(corridor_flow::FlowError::Overflow { .. })
    ));
}
