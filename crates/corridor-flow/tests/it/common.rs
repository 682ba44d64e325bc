//! Tiny-network notation, rendering and random networks shared by the tests.

use corridor_flow::{ArcIdx, Network, NodeIdx, INF};
use proptest::prelude::*;

/// Parses one arc per line: `tail -> head [low L] [cap U] [cost C]`; `cap` defaults to `inf`,
/// `low` and `cost` to 0. `#` starts a comment. Nodes are numbered from 0 and the network has
/// `1 + the largest node mentioned` nodes, or more with a `nodes N` line.
pub fn parse(spec: &str) -> Network {
    let mut arcs = Vec::new();
    let mut n_nodes = 0usize;
    for line in spec.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words[0] == "nodes" {
            n_nodes = n_nodes.max(words[1].parse().expect("node count"));
            continue;
        }
        assert_eq!(words[1], "->", "expected `tail -> head` in {line:?}");
        let tail: u32 = words[0].parse().expect("tail");
        let head: u32 = words[2].parse().expect("head");
        let (mut low, mut cap, mut cost) = (0, INF, 0);
        for kv in words[3..].chunks(2) {
            let value = |s: &str| -> i64 {
                if s == "inf" {
                    INF
                } else {
                    s.parse().expect("number")
                }
            };
            match kv[0] {
                "low" => low = value(kv[1]),
                "cap" => cap = value(kv[1]),
                "cost" => cost = value(kv[1]),
                other => panic!("unknown key {other:?} in {line:?}"),
            }
        }
        n_nodes = n_nodes.max(tail as usize + 1).max(head as usize + 1);
        arcs.push((tail, head, low, cap, cost));
    }
    let mut net = Network::new(n_nodes);
    for (t, h, l, u, c) in arcs {
        net.add_arc(NodeIdx(t), NodeIdx(h), l, u, c)
            .expect("valid arc in test spec");
    }
    net
}

pub fn nodes(ids: &[u32]) -> Vec<NodeIdx> {
    ids.iter().map(|&v| NodeIdx(v)).collect()
}

pub fn render_arc(net: &Network, a: ArcIdx) -> String {
    let arc = net.arc(a);
    format!("a{} {}->{}", a.0, arc.tail.0, arc.head.0)
}

/// Random arcs `(tail, head, lower, upper, cost)` on `n` nodes, as plain data so proptest can
/// shrink them.
#[derive(Clone, Debug)]
pub struct RandomNet {
    pub n: usize,
    pub arcs: Vec<(u32, u32, i64, i64, i64)>,
}

impl RandomNet {
    pub fn build(&self) -> Network {
        let mut net = Network::new(self.n);
        for &(t, h, l, u, c) in &self.arcs {
            net.add_arc(NodeIdx(t), NodeIdx(h), l, u, c)
                .expect("generated arcs are valid");
        }
        net
    }
}

/// Networks with `n` in `nodes`, up to `max_arcs` arcs (parallel arcs and self-loops
/// included), lower bounds if `lower`, about one uncapacitated arc in `inf_one_in` (none if
/// 0), and costs in `costs`.
pub fn random_net(
    nodes: std::ops::Range<usize>,
    max_arcs: usize,
    lower: bool,
    inf_one_in: u32,
    costs: std::ops::Range<i64>,
) -> impl Strategy<Value = RandomNet> {
    nodes.prop_flat_map(move |n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            0i64..4,
            0i64..12,
            0..inf_one_in.max(1),
            costs.clone(),
        )
            .prop_map(move |(t, h, l, u, inf, c)| {
                let lower = if lower { l.min(u) } else { 0 };
                let upper = if inf_one_in > 0 && inf == 0 { INF } else { u };
                (t, h, lower, upper, c)
            });
        proptest::collection::vec(arc, 0..=max_arcs).prop_map(move |arcs| RandomNet { n, arcs })
    })
}

pub use corridor_fixtures::SplitMix;
