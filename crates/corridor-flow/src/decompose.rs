//! Decomposition of an arc flow into source-to-sink paths and cycles.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::network::{Network, OutAdjacency};
use crate::{ArcIdx, NodeIdx};

/// A path or cycle carrying `amount` units on each of its arcs.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowPath {
    /// Arcs in order; a cycle ends where it starts.
    pub arcs: Vec<ArcIdx>,
    /// Flow carried, in the units of the decomposed flow.
    pub amount: f64,
}

/// Result of [`decompose_paths`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Decomposition {
    /// Simple paths from a source to a sink, widest first.
    pub paths: Vec<FlowPath>,
    /// Simple cycles left once no source-to-sink path remains.
    pub cycles: Vec<FlowPath>,
    /// Per arc, the flow no path or cycle explains: amounts below `eps`, and flow that is not
    /// conserved (it enters a node that is not a sink and goes nowhere). Zero everywhere for a
    /// conserved flow with no `eps`-dust.
    pub leftover: Vec<f64>,
}

/// Decomposes an arc flow into source-to-sink paths, then cycles.
///
/// # Arguments
/// * `net` — the network the flow lives on; bounds and costs are not looked at.
/// * `flow` — flow per arc, `>= 0`. Entries that are negative, NaN or infinite are not
///   decomposed and are reported in `leftover` unchanged; missing entries count as 0 and extra
///   entries are ignored.
/// * `sources`, `sinks` — terminals. A source emits its net outflow and a sink absorbs its net
///   inflow; a node in both lists, and indices out of range, are ignored as terminals.
/// * `eps` — amounts below `eps` are not worth a path: arcs whose remaining flow drops below
///   it are retired to `leftover`. A NaN or negative `eps` counts as 0.
///
/// # Returns
/// A [`Decomposition`]. Paths are extracted greedily, the widest (largest bottleneck) first,
/// so the few routes that carry most of the flow come first. The result is deterministic:
/// ties between equally wide paths go to the path found first when nodes are settled in order
/// of (width, lower index) and arcs are scanned in increasing index, and between sinks to the
/// lowest index. Cycles are then taken from the lowest-index arc that still carries flow,
/// widest cycle through it first. For a conserved flow, the path and cycle amounts on every
/// arc add up to the flow (exactly, when all amounts are integers below 2⁵³).
///
/// # Complexity
/// Each extraction exhausts at least one arc or terminal, and costs a widest-path search:
/// O((m + t) · m log n) time for t terminals, O(n + m) memory.
pub fn decompose_paths(
    net: &Network,
    flow: &[f64],
    sources: &[NodeIdx],
    sinks: &[NodeIdx],
    eps: f64,
) -> Decomposition {
    let n = net.n_nodes();
    let m = net.n_arcs();
    let (tails, heads) = (net.tails(), net.heads());
    let min_amount = if eps > 0.0 && eps.is_finite() {
        eps
    } else {
        0.0
    };
    let usable = |r: f64| r > 0.0 && r >= min_amount;

    let mut remaining = vec![0.0f64; m];
    let mut leftover = vec![0.0f64; m];
    for a in 0..m {
        let f = flow.get(a).copied().unwrap_or(0.0);
        if f.is_finite() && f >= 0.0 {
            remaining[a] = f;
        } else {
            leftover[a] = f;
        }
    }

    // Terminal budgets: what each source emits and each sink absorbs.
    let mut is_source = vec![false; n];
    let mut is_sink = vec![false; n];
    for s in sources.iter().filter(|s| s.idx() < n) {
        is_source[s.idx()] = true;
    }
    for t in sinks.iter().filter(|t| t.idx() < n) {
        is_sink[t.idx()] = true;
    }
    let mut net_out = vec![0.0f64; n];
    for a in 0..m {
        net_out[tails[a] as usize] += remaining[a];
        net_out[heads[a] as usize] -= remaining[a];
    }
    let mut emit = vec![0.0f64; n];
    let mut absorb = vec![0.0f64; n];
    for v in 0..n {
        match (is_source[v], is_sink[v]) {
            (true, false) if net_out[v] > 0.0 => emit[v] = net_out[v],
            (false, true) if net_out[v] < 0.0 => absorb[v] = -net_out[v],
            _ => {}
        }
    }

    let adj = OutAdjacency::new(net);
    let mut search = Widest::new(n);
    let mut paths = Vec::new();
    loop {
        let starts = (0..n).filter(|&v| usable(emit[v])).map(|v| (v, emit[v]));
        search.run(&adj, heads, &remaining, &usable, starts, None);
        let mut best: Option<(usize, f64)> = None;
        for (t, (&budget, &width)) in absorb.iter().zip(&search.width).enumerate() {
            if usable(budget) && width > 0.0 {
                let w = width.min(budget);
                if best.is_none_or(|(_, bw)| w > bw) {
                    best = Some((t, w));
                }
            }
        }
        let Some((t, amount)) = best else { break };
        let arcs = search.path_to(tails, t);
        let s = arcs.first().map_or(t, |a| tails[a.idx()] as usize);
        for a in &arcs {
            remaining[a.idx()] -= amount;
        }
        emit[s] -= amount;
        absorb[t] -= amount;
        paths.push(FlowPath { arcs, amount });
    }

    let mut cycles = Vec::new();
    let mut a = 0;
    while a < m {
        if !usable(remaining[a]) {
            a += 1;
            continue;
        }
        let (t, h) = (tails[a] as usize, heads[a] as usize);
        let (amount, mut arcs) = if t == h {
            (remaining[a], Vec::new())
        } else {
            search.run(
                &adj,
                heads,
                &remaining,
                &usable,
                std::iter::once((h, remaining[a])),
                Some(t),
            );
            if search.width[t] > 0.0 {
                (search.width[t], search.path_to(tails, t))
            } else {
                // No cycle runs through `a`: its flow is not conserved.
                leftover[a] += remaining[a];
                remaining[a] = 0.0;
                continue;
            }
        };
        arcs.insert(0, ArcIdx(a as u32));
        for c in &arcs {
            remaining[c.idx()] -= amount;
        }
        cycles.push(FlowPath { arcs, amount });
    }
    for a in 0..m {
        leftover[a] += remaining[a];
    }
    Decomposition {
        paths,
        cycles,
        leftover,
    }
}

const NIL: u32 = u32::MAX;

/// Heap entry: larger width first, then lower node index.
#[derive(PartialEq)]
struct Entry(f64, u32);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .total_cmp(&other.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

/// Widest-path (maximum bottleneck) search, reused across extractions.
struct Widest {
    /// Best bottleneck found per node; 0 means unreached.
    width: Vec<f64>,
    pred: Vec<u32>,
    done: Vec<bool>,
    heap: BinaryHeap<Entry>,
}

impl Widest {
    fn new(n: usize) -> Self {
        Widest {
            width: vec![0.0; n],
            pred: vec![NIL; n],
            done: vec![false; n],
            heap: BinaryHeap::new(),
        }
    }

    fn run(
        &mut self,
        adj: &OutAdjacency,
        heads: &[u32],
        remaining: &[f64],
        usable: &impl Fn(f64) -> bool,
        starts: impl Iterator<Item = (usize, f64)>,
        stop_at: Option<usize>,
    ) {
        self.width.fill(0.0);
        self.pred.fill(NIL);
        self.done.fill(false);
        self.heap.clear();
        for (v, w) in starts {
            if w > self.width[v] {
                self.width[v] = w;
                self.heap.push(Entry(w, v as u32));
            }
        }
        while let Some(Entry(w, v)) = self.heap.pop() {
            let v = v as usize;
            if self.done[v] {
                continue;
            }
            self.done[v] = true;
            if Some(v) == stop_at {
                return;
            }
            for &a in adj.out(v) {
                let r = remaining[a as usize];
                if !usable(r) {
                    continue;
                }
                let h = heads[a as usize] as usize;
                let nw = w.min(r);
                if !self.done[h] && nw > self.width[h] {
                    self.width[h] = nw;
                    self.pred[h] = a;
                    self.heap.push(Entry(nw, h as u32));
                }
            }
        }
    }

    fn path_to(&self, tails: &[u32], target: usize) -> Vec<ArcIdx> {
        let mut arcs = Vec::new();
        let mut v = target;
        while self.pred[v] != NIL {
            let a = self.pred[v];
            arcs.push(ArcIdx(a));
            v = tails[a as usize] as usize;
        }
        arcs.reverse();
        arcs
    }
}
