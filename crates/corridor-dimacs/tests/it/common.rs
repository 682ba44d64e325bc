//! Random problems shared by the property tests.

use corridor_dimacs::Problem;
use corridor_flow::{Network, NodeIdx, INF};
use proptest::prelude::*;

/// One arc as generated: 0-based endpoints, bounds and cost.
pub type RawArc = (u32, u32, i64, i64, i64);

/// Builds a network from raw arcs; the generators only produce valid ones.
pub fn network(n_nodes: usize, arcs: &[RawArc]) -> Network {
    let mut net = Network::new(n_nodes);
    for &(t, h, lower, upper, cost) in arcs {
        net.add_arc(NodeIdx(t), NodeIdx(h), lower, upper, cost)
            .expect("generated arcs are valid");
    }
    net
}

/// Raw arcs on `n_nodes` nodes: small bounds, mostly without a lower bound, about one in six
/// uncapacitated, costs of either sign.
pub fn raw_arcs(n_nodes: u32, max_arcs: usize) -> impl Strategy<Value = Vec<RawArc>> {
    let arc = (
        0..n_nodes,
        0..n_nodes,
        prop_oneof![4 => Just(0i64), 1 => 1i64..=2],
        prop_oneof![5 => 0i64..=6, 1 => Just(INF)],
        -5i64..=9,
    )
        .prop_map(|(t, h, lower, upper, cost)| (t, h, lower.min(upper), upper, cost));
    proptest::collection::vec(arc, 0..=max_arcs)
}

/// Small supplies, half of them zero, that add up to zero nine times in ten.
pub fn supplies(n_nodes: usize) -> impl Strategy<Value = Vec<i64>> {
    let one = prop_oneof![1 => Just(0i64), 1 => -3i64..=3];
    (proptest::collection::vec(one, n_nodes), 0..10u8).prop_map(|(mut s, roll)| {
        if roll > 0 {
            let total: i64 = s.iter().sum();
            if let Some(last) = s.last_mut() {
                *last -= total;
            }
        }
        s
    })
}

/// A random min-cost problem with 1..=7 nodes.
pub fn min_problem() -> impl Strategy<Value = Problem> {
    (1u32..=7).prop_flat_map(|n| {
        (raw_arcs(n, 20), supplies(n as usize)).prop_map(move |(arcs, supply)| Problem::MinCost {
            net: network(n as usize, &arcs),
            supply,
        })
    })
}

/// A random max-flow problem with 2..=7 nodes (lower bounds and costs zero, as in files).
pub fn max_problem() -> impl Strategy<Value = Problem> {
    (2u32..=7).prop_flat_map(|n| {
        (raw_arcs(n, 14), 0..n, 1..n).prop_map(move |(arcs, source, offset)| {
            let arcs: Vec<RawArc> = arcs
                .into_iter()
                .map(|(t, h, _, u, _)| (t, h, 0, u, 0))
                .collect();
            Problem::MaxFlow {
                net: network(n as usize, &arcs),
                source: NodeIdx(source),
                sink: NodeIdx((source + offset) % n),
            }
        })
    })
}
