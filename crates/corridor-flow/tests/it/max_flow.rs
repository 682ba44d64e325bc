//! Max-flow properties on random networks.

use corridor_flow::{max_flow, FlowError, NodeIdx};
use proptest::prelude::*;

use crate::common::{random_net, RandomNet, SplitMix};
use corridor_fixtures::flow as reference;

fn terminals(n: usize) -> impl Strategy<Value = (Vec<NodeIdx>, Vec<NodeIdx>)> {
    let set = proptest::collection::vec(0..n as u32, 0..3);
    (set.clone(), set).prop_map(|(s, t)| {
        let s: Vec<NodeIdx> = s.into_iter().map(NodeIdx).collect();
        let t = t
            .into_iter()
            .map(NodeIdx)
            .filter(|v| !s.contains(v))
            .collect();
        (s, t)
    })
}

fn case() -> impl Strategy<Value = (RandomNet, Vec<NodeIdx>, Vec<NodeIdx>)> {
    random_net(2..9, 24, false, 8, 0..1).prop_flat_map(|net| {
        let n = net.n;
        (Just(net), terminals(n)).prop_map(|(net, (s, t))| (net, s, t))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    #[test]
    fn max_flow_equals_min_cut_and_reference((spec, sources, sinks) in case()) {
        let net = spec.build();
        let expected = reference::max_flow(&net, &sources, &sinks);
        let result = max_flow(&net, &sources, &sinks);
        let mf = match (expected, result) {
            (None, Err(FlowError::UnboundedFlow)) => return Ok(()),
            (Some(v), Ok(mf)) => {
                prop_assert_eq!(mf.value, v, "value differs from Edmonds-Karp");
                mf
            }
            (e, r) => return Err(TestCaseError::fail(format!("reference {e:?}, got {r:?}"))),
        };
        let n = net.n_nodes();
        // Capacity bounds and conservation away from the terminals.
        let mut balance = vec![0i64; n];
        for a in net.arc_indices() {
            let arc = net.arc(a);
            let f = mf.flow[a.0 as usize];
            prop_assert!(0 <= f && f <= arc.upper, "flow {} on {:?}", f, arc);
            balance[arc.tail.0 as usize] += f;
            balance[arc.head.0 as usize] -= f;
        }
        for v in 0..n {
            let node = NodeIdx(v as u32);
            if !sources.contains(&node) && !sinks.contains(&node) {
                prop_assert_eq!(balance[v], 0, "flow not conserved at {}", v);
            }
        }
        let out: i64 = (0..n).filter(|&v| sources.contains(&NodeIdx(v as u32))).map(|v| balance[v]).sum();
        let into: i64 = (0..n).filter(|&v| sinks.contains(&NodeIdx(v as u32))).map(|v| -balance[v]).sum();
        prop_assert_eq!(out, mf.value);
        prop_assert_eq!(into, mf.value);
        // The cut: sources on one side, sinks on the other, saturated arcs summing to the value.
        for s in &sources {
            prop_assert!(mf.source_side[s.0 as usize]);
        }
        for t in &sinks {
            prop_assert!(!mf.source_side[t.0 as usize]);
        }
        let mut cut_capacity = 0i64;
        for a in net.arc_indices() {
            let arc = net.arc(a);
            let crosses = mf.source_side[arc.tail.0 as usize] && !mf.source_side[arc.head.0 as usize];
            prop_assert_eq!(mf.cut_arcs.contains(&a), crosses && arc.upper > 0);
            if crosses {
                prop_assert_eq!(mf.flow[a.0 as usize], arc.upper, "cut arc not saturated");
                cut_capacity += arc.upper;
            }
            if !mf.source_side[arc.tail.0 as usize] && mf.source_side[arc.head.0 as usize] {
                prop_assert_eq!(mf.flow[a.0 as usize], 0, "flow back across the cut");
            }
        }
        prop_assert_eq!(cut_capacity, mf.value);
    }
}

/// A layered network big enough for the global relabelling and the gap heuristic to fire.
#[test]
fn larger_random_networks_match_the_reference() {
    let mut rng = SplitMix(7);
    for round in 0..20 {
        let n = 60 + round * 5;
        let mut net = corridor_flow::Network::new(n);
        for _ in 0..n * 4 {
            let t = rng.below(n as u64) as u32;
            let h = rng.below(n as u64) as u32;
            let cap = rng.below(50) as i64;
            net.add_arc(NodeIdx(t), NodeIdx(h), 0, cap, 0)
                .expect("valid");
        }
        let sources = [NodeIdx(0), NodeIdx(1)];
        let sinks = [NodeIdx(n as u32 - 1), NodeIdx(n as u32 - 2)];
        let mf = max_flow(&net, &sources, &sinks).expect("finite network");
        assert_eq!(
            Some(mf.value),
            reference::max_flow(&net, &sources, &sinks),
            "round {round}"
        );
        let cut: i64 = mf.cut_arcs.iter().map(|&a| net.arc(a).upper).sum();
        assert_eq!(cut, mf.value, "round {round}");
    }
}
