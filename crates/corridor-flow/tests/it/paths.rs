//! Shortest paths against Bellman-Ford, and Yen's algorithm against brute force.

use std::collections::HashSet;

use corridor_flow::{dijkstra, k_shortest_paths, ArcIdx, NodeIdx};
use proptest::prelude::*;

use crate::common::{random_net, RandomNet};
use corridor_fixtures::flow as reference;

/// A network with a weight per arc (`None` = forbidden).
fn weighted(
    nodes: std::ops::Range<usize>,
    max_arcs: usize,
) -> impl Strategy<Value = (RandomNet, Vec<Option<u64>>)> {
    random_net(nodes, max_arcs, false, 0, 0..1).prop_flat_map(|net| {
        let m = net.arcs.len();
        let w = proptest::collection::vec(proptest::option::weighted(0.9, 0u64..20), m);
        (Just(net), w)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn dijkstra_matches_bellman_ford((spec, w) in weighted(1..12, 40), source in 0usize..12) {
        let net = spec.build();
        let source = source % net.n_nodes();
        let sp = dijkstra(&net, NodeIdx(source as u32), |a| w[a.0 as usize]);
        let expected = reference::distances(&net, source, &w);
        prop_assert_eq!(&sp.dist, &expected);
        for v in net.node_indices() {
            match sp.path_to(v) {
                None => prop_assert!(expected[v.0 as usize].is_none()),
                Some(path) => {
                    let mut at = NodeIdx(source as u32);
                    let mut length = 0;
                    for &a in &path {
                        let arc = net.arc(a);
                        prop_assert_eq!(arc.tail, at);
                        length += w[a.0 as usize].expect("path uses allowed arcs");
                        at = arc.head;
                    }
                    prop_assert_eq!(at, v);
                    prop_assert_eq!(Some(length), expected[v.0 as usize]);
                }
            }
        }
    }

    #[test]
    fn yen_matches_brute_force(
        (spec, w) in weighted(1..7, 14),
        s in 0usize..7,
        t in 0usize..7,
        k in 1usize..10,
    ) {
        let net = spec.build();
        let (s, t) = (s % net.n_nodes(), t % net.n_nodes());
        let paths = k_shortest_paths(&net, NodeIdx(s as u32), NodeIdx(t as u32), k, |a| w[a.0 as usize]);
        let mut all = reference::simple_paths(&net, s, t, &w);
        all.sort();
        prop_assert_eq!(paths.len(), k.min(all.len()));
        let got_lengths: Vec<u64> = paths.iter().map(|p| p.length).collect();
        let want_lengths: Vec<u64> = all.iter().take(k).map(|p| p.0).collect();
        prop_assert_eq!(got_lengths, want_lengths, "lengths differ from brute force");
        let mut distinct: HashSet<Vec<ArcIdx>> = HashSet::new();
        for p in &paths {
            prop_assert!(distinct.insert(p.arcs.clone()), "duplicate path {:?}", p.arcs);
            // A valid loopless path from s to t whose length is the sum of its weights.
            let mut visited = vec![s];
            let mut at = s;
            let mut length = 0;
            for &a in &p.arcs {
                let arc = net.arc(a);
                prop_assert_eq!(arc.tail.0 as usize, at);
                at = arc.head.0 as usize;
                prop_assert!(!visited.contains(&at), "path {:?} revisits {}", p.arcs, at);
                visited.push(at);
                length += w[a.0 as usize].expect("allowed arc");
            }
            prop_assert_eq!(at, t);
            prop_assert_eq!(length, p.length);
        }
    }
}
