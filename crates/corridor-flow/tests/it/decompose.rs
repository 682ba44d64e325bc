//! Path decomposition reconstructs random decomposable flows.

use corridor_flow::{decompose_paths, Decomposition, FlowPath, Network, NodeIdx};
use proptest::prelude::*;

use crate::common::{random_net, RandomNet};

/// Builds a flow from random walks: source-to-sink walks and closed walks, each carrying an
/// amount drawn by `amount`. Returns the flow and the terminals.
fn walk_flow(
    net: &Network,
    seeds: &[(u32, u32, u32, u64)],
    amount: impl Fn(u64) -> f64,
) -> (Vec<f64>, Vec<NodeIdx>, Vec<NodeIdx>) {
    let n = net.n_nodes() as u32;
    // Nodes below n / 3 are sources, the top third sinks.
    let sources: Vec<NodeIdx> = (0..n).filter(|&v| v < n / 3).map(NodeIdx).collect();
    let sinks: Vec<NodeIdx> = (0..n)
        .filter(|&v| v >= n - n / 3 && v >= n / 3)
        .map(NodeIdx)
        .collect();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n as usize];
    for a in net.arc_indices() {
        out[net.arc(a).tail.0 as usize].push(a.0 as usize);
    }
    let mut flow = vec![0.0; net.n_arcs()];
    for &(start, choice, kind, x) in seeds {
        let cycle = kind % 3 == 0;
        let start = if cycle || sources.is_empty() {
            start % n
        } else {
            sources[(start as usize) % sources.len()].0
        };
        let mut v = start;
        let mut walk = Vec::new();
        let mut choice = choice as usize;
        for _ in 0..3 * n {
            if out[v as usize].is_empty() {
                break;
            }
            let a = out[v as usize][choice % out[v as usize].len()];
            choice = choice.wrapping_mul(31).wrapping_add(7);
            walk.push(a);
            v = net.arc(corridor_flow::ArcIdx(a as u32)).head.0;
            let done = if cycle {
                v == start
            } else {
                sinks.contains(&NodeIdx(v))
            };
            if done {
                let amt = amount(x);
                for &a in &walk {
                    flow[a] += amt;
                }
                break;
            }
        }
    }
    (flow, sources, sinks)
}

fn check_paths(
    net: &Network,
    d: &Decomposition,
    sources: &[NodeIdx],
    sinks: &[NodeIdx],
) -> Result<(), TestCaseError> {
    let check_simple = |p: &FlowPath, closed: bool| -> Result<(), TestCaseError> {
        prop_assert!(!p.arcs.is_empty());
        prop_assert!(p.amount > 0.0);
        let first = net.arc(p.arcs[0]).tail;
        let mut seen = vec![first];
        let mut at = first;
        for (i, &a) in p.arcs.iter().enumerate() {
            let arc = net.arc(a);
            prop_assert_eq!(arc.tail, at);
            at = arc.head;
            let is_end = i + 1 == p.arcs.len();
            if !(closed && is_end) {
                prop_assert!(!seen.contains(&at), "{:?} is not simple", p.arcs);
            }
            seen.push(at);
        }
        if closed {
            prop_assert_eq!(at, first);
        } else {
            prop_assert!(sources.contains(&first));
            prop_assert!(sinks.contains(&at));
        }
        Ok(())
    };
    for p in &d.paths {
        check_simple(p, false)?;
    }
    for c in &d.cycles {
        check_simple(c, true)?;
    }
    // Widest first: extraction only lowers what remains, so amounts never increase.
    for pair in d.paths.windows(2) {
        prop_assert!(
            pair[0].amount >= pair[1].amount,
            "{} before {}",
            pair[0].amount,
            pair[1].amount
        );
    }
    Ok(())
}

fn case() -> impl Strategy<Value = (RandomNet, Vec<(u32, u32, u32, u64)>)> {
    (
        random_net(2..10, 30, false, 0, 0..1),
        proptest::collection::vec((0u32..100, 0u32..1000, 0u32..100, 1u64..20), 0..12),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn integer_flows_are_reconstructed_exactly((spec, seeds) in case()) {
        let net = spec.build();
        let (flow, sources, sinks) = walk_flow(&net, &seeds, |x| x as f64);
        let d = decompose_paths(&net, &flow, &sources, &sinks, 0.0);
        check_paths(&net, &d, &sources, &sinks)?;
        let mut rebuilt = vec![0.0; net.n_arcs()];
        for p in d.paths.iter().chain(&d.cycles) {
            for a in &p.arcs {
                rebuilt[a.0 as usize] += p.amount;
            }
        }
        prop_assert_eq!(&rebuilt, &flow);
        prop_assert!(d.leftover.iter().all(|&x| x == 0.0), "leftover {:?}", d.leftover);
    }

    #[test]
    fn real_flows_are_reconstructed_within_rounding((spec, seeds) in case()) {
        let net = spec.build();
        let (flow, sources, sinks) = walk_flow(&net, &seeds, |x| x as f64 / 7.0 + 1e-3);
        let d = decompose_paths(&net, &flow, &sources, &sinks, 1e-9);
        check_paths(&net, &d, &sources, &sinks)?;
        let mut rebuilt = d.leftover.clone();
        for p in d.paths.iter().chain(&d.cycles) {
            for a in &p.arcs {
                rebuilt[a.0 as usize] += p.amount;
            }
        }
        for (r, f) in rebuilt.iter().zip(&flow) {
            prop_assert!((r - f).abs() <= 1e-9 * (1.0 + f), "rebuilt {} vs flow {}", r, f);
        }
        for l in &d.leftover {
            prop_assert!(l.abs() < 1e-8, "leftover {}", l);
        }
    }
}
