//! Maximum flow and minimum cut by push-relabel.
//!
//! The solver works on a residual graph in forward-star form with three artificial nodes: a
//! super source `S` joined to every source, a super sink `T` joined from every sink, and a
//! reservoir `R` with a single arc `R -> S`. `R` plays the role of the textbook source (its
//! label is fixed at `N`); saturating its one arc gives `S` an excess that bounds every excess
//! in the run, which keeps all arithmetic inside `i64` even with uncapacitated arcs.
//!
//! The run is single-phase: active nodes are discharged until no excess remains, so the
//! result is a flow (not a preflow) and needs no second pass.

use std::collections::VecDeque;

use crate::network::{Network, INF};
use crate::{ArcIdx, FlowError, NodeIdx};

/// Result of [`max_flow`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxFlow {
    /// Value of a maximum flow: net flow leaving the sources, equal to the net flow entering
    /// the sinks and to the capacity of the minimum cut.
    pub value: i64,
    /// Flow on each arc, `0 <= flow[a] <= upper[a]`, conserved at every node that is neither
    /// a source nor a sink.
    pub flow: Vec<i64>,
    /// Per node: `true` if reachable from a source in the residual graph of `flow`. This is
    /// the source side of the minimum cut closest to the sources.
    pub source_side: Vec<bool>,
    /// Arcs from the source side to the sink side with `upper > 0`, in increasing index
    /// order. Every one is saturated and their capacities sum to `value`.
    pub cut_arcs: Vec<ArcIdx>,
}

/// Computes a maximum flow from a set of sources to a set of sinks, and a minimum cut.
///
/// # Arguments
/// * `net` — the network. Lower bounds and costs are ignored: every arc may carry anything
///   in `0..=upper`. An upper bound of [`INF`] is uncapacitated.
/// * `sources`, `sinks` — node sets (duplicates are harmless). Either may be empty, giving a
///   zero flow.
///
/// # Returns
/// A [`MaxFlow`]: the value, a flow per arc, and the minimum cut nearest the sources.
///
/// # Errors
/// [`FlowError::NodeOutOfRange`] for an unknown node, [`FlowError::SourceIsSink`] if the sets
/// intersect, [`FlowError::UnboundedFlow`] if uncapacitated arcs join a source to a sink,
/// [`FlowError::Overflow`] if the finite capacities leaving the sources (through
/// uncapacitated arcs) sum beyond `i64::MAX / 4`.
///
/// # Complexity
/// O(n² √m) time for highest-label push-relabel, much less in practice thanks to global
/// relabelling and the gap heuristic; O(n + m) memory.
pub fn max_flow(
    net: &Network,
    sources: &[NodeIdx],
    sinks: &[NodeIdx],
) -> Result<MaxFlow, FlowError> {
    let n = net.n_nodes();
    let m = net.n_arcs();
    // Labels reach 2 (n + 3) and the residual graph has 2 (m + 2n + 1) arcs, all in u32.
    let max_nodes = u32::MAX as usize / 4;
    if n > max_nodes || m + 2 * n + 1 > u32::MAX as usize / 2 {
        return Err(FlowError::TooLarge {
            what: "nodes or arcs for max_flow",
            count: n.max(m),
            max: max_nodes,
        });
    }
    for &v in sources.iter().chain(sinks) {
        net.check_node(v)?;
    }
    let mut is_source = vec![false; n];
    for &s in sources {
        is_source[s.idx()] = true;
    }
    let mut is_sink = vec![false; n];
    for &t in sinks {
        if is_source[t.idx()] {
            return Err(FlowError::SourceIsSink { node: t });
        }
        is_sink[t.idx()] = true;
    }

    let bound = flow_bound(net, &is_source, &is_sink)?;
    let mut flow = vec![0i64; m];
    let value = if bound == 0 {
        0
    } else {
        let mut pr = PushRelabel::build(net, &is_source, &is_sink, bound);
        pr.run();
        pr.read_flow(&mut flow);
        pr.excess[pr.t]
    };

    let source_side = residual_reachable(net, &flow, sources);
    let cut_arcs = (0..m)
        .filter(|&a| {
            source_side[net.tails()[a] as usize]
                && !source_side[net.heads()[a] as usize]
                && net.uppers()[a] > 0
        })
        .map(|a| ArcIdx(a as u32))
        .collect();
    Ok(MaxFlow {
        value,
        flow,
        source_side,
        cut_arcs,
    })
}

/// Capacity of the cut around the nodes reachable from the sources through uncapacitated
/// arcs: an upper bound on the flow value, finite unless that set holds a sink.
fn flow_bound(net: &Network, is_source: &[bool], is_sink: &[bool]) -> Result<i64, FlowError> {
    let n = net.n_nodes();
    let (tails, heads, uppers) = (net.tails(), net.heads(), net.uppers());
    let mut first = vec![0usize; n + 1];
    for a in 0..net.n_arcs() {
        if uppers[a] == INF {
            first[tails[a] as usize + 1] += 1;
        }
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    let mut next = first.clone();
    let mut inf_heads = vec![0u32; first[n]];
    for a in 0..net.n_arcs() {
        if uppers[a] == INF {
            let t = tails[a] as usize;
            inf_heads[next[t]] = heads[a];
            next[t] += 1;
        }
    }
    let mut closed: Vec<bool> = is_source.to_vec();
    let mut stack: Vec<usize> = (0..n).filter(|&v| is_source[v]).collect();
    while let Some(v) = stack.pop() {
        if is_sink[v] {
            return Err(FlowError::UnboundedFlow);
        }
        for &w in &inf_heads[first[v]..first[v + 1]] {
            if !closed[w as usize] {
                closed[w as usize] = true;
                stack.push(w as usize);
            }
        }
    }
    let mut total: i128 = 0;
    for a in 0..net.n_arcs() {
        if closed[tails[a] as usize] && !closed[heads[a] as usize] {
            total += i128::from(uppers[a]);
        }
    }
    if total > i128::from(i64::MAX / 4) {
        return Err(FlowError::Overflow {
            what: "capacities leaving the sources",
        });
    }
    Ok(total as i64)
}

/// Nodes reachable from `sources` through arcs with `flow < upper` (forwards) or `flow > 0`
/// (backwards).
fn residual_reachable(net: &Network, flow: &[i64], sources: &[NodeIdx]) -> Vec<bool> {
    let n = net.n_nodes();
    let (tails, heads, uppers) = (net.tails(), net.heads(), net.uppers());
    // Adjacency over both directions: entry `2a` is the arc at its tail, `2a + 1` at its head.
    let mut first = vec![0usize; n + 1];
    for a in 0..net.n_arcs() {
        first[tails[a] as usize + 1] += 1;
        first[heads[a] as usize + 1] += 1;
    }
    for v in 0..n {
        first[v + 1] += first[v];
    }
    let mut next = first.clone();
    let mut incident = vec![0u32; 2 * net.n_arcs()];
    for a in 0..net.n_arcs() {
        let t = tails[a] as usize;
        incident[next[t]] = 2 * a as u32;
        next[t] += 1;
        let h = heads[a] as usize;
        incident[next[h]] = 2 * a as u32 + 1;
        next[h] += 1;
    }
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    for &s in sources {
        if !seen[s.idx()] {
            seen[s.idx()] = true;
            queue.push_back(s.idx());
        }
    }
    while let Some(v) = queue.pop_front() {
        for &e in &incident[first[v]..first[v + 1]] {
            let a = (e / 2) as usize;
            let (w, residual) = if e % 2 == 0 {
                (heads[a] as usize, flow[a] < uppers[a])
            } else {
                (tails[a] as usize, flow[a] > 0)
            };
            if residual && !seen[w] {
                seen[w] = true;
                queue.push_back(w);
            }
        }
    }
    seen
}

const NIL: u32 = u32::MAX;

/// Highest-label push-relabel state on the residual graph.
struct PushRelabel {
    /// Number of nodes including the three artificial ones.
    n: usize,
    /// Super sink.
    t: usize,
    /// Reservoir: the node with the fixed label `n`.
    r: usize,
    /// Residual arcs of node `v` are `first[v]..first[v + 1]`.
    first: Vec<u32>,
    head: Vec<u32>,
    cap: Vec<i64>,
    rev: Vec<u32>,
    /// Forward residual arc of each network arc, or `NIL` if the arc is not represented.
    fwd: Vec<u32>,
    label: Vec<u32>,
    excess: Vec<i64>,
    current: Vec<u32>,
    /// Active nodes per label: singly linked stacks.
    active_head: Vec<u32>,
    active_next: Vec<u32>,
    /// All nodes per label below `n`: doubly linked lists, for the gap heuristic.
    level_head: Vec<u32>,
    level_next: Vec<u32>,
    level_prev: Vec<u32>,
    max_active: usize,
    max_level: usize,
    work: usize,
    relabel_period: usize,
    queue: Vec<u32>,
}

impl PushRelabel {
    fn build(net: &Network, is_source: &[bool], is_sink: &[bool], bound: i64) -> Self {
        let n0 = net.n_nodes();
        let (s, t, r) = (n0, n0 + 1, n0 + 2);
        let n = n0 + 3;
        // Capacities above the bound cannot bind; clamping them keeps every flow below
        // `bound + 1` and so every sum inside `i64`.
        let clamp = bound + 1;
        let mut arcs: Vec<(u32, u32, i64)> = Vec::with_capacity(net.n_arcs() + n0 + 1);
        let mut fwd = vec![NIL; net.n_arcs()];
        let mut arc_of: Vec<usize> = Vec::with_capacity(net.n_arcs());
        for a in 0..net.n_arcs() {
            let (tl, hd, up) = (net.tails()[a], net.heads()[a], net.uppers()[a]);
            if tl != hd && up > 0 {
                arc_of.push(a);
                arcs.push((tl, hd, up.min(clamp)));
            }
        }
        for v in 0..n0 {
            if is_source[v] {
                arcs.push((s as u32, v as u32, clamp));
            }
            if is_sink[v] {
                arcs.push((v as u32, t as u32, clamp));
            }
        }
        arcs.push((r as u32, s as u32, clamp));

        let mut first = vec![0u32; n + 1];
        for &(tl, hd, _) in &arcs {
            first[tl as usize + 1] += 1;
            first[hd as usize + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let n_res = first[n] as usize;
        let mut next = first.clone();
        let mut head = vec![0u32; n_res];
        let mut cap = vec![0i64; n_res];
        let mut rev = vec![0u32; n_res];
        let mut positions = Vec::with_capacity(arcs.len());
        for &(tl, hd, c) in &arcs {
            let pf = next[tl as usize];
            next[tl as usize] += 1;
            let pr = next[hd as usize];
            next[hd as usize] += 1;
            head[pf as usize] = hd;
            cap[pf as usize] = c;
            rev[pf as usize] = pr;
            head[pr as usize] = tl;
            rev[pr as usize] = pf;
            positions.push(pf);
        }
        for (i, &a) in arc_of.iter().enumerate() {
            fwd[a] = positions[i];
        }

        let mut pr = PushRelabel {
            n,
            t,
            r,
            first,
            head,
            cap,
            rev,
            fwd,
            label: vec![0; n],
            excess: vec![0; n],
            current: vec![0; n],
            active_head: vec![NIL; 2 * n + 2],
            active_next: vec![NIL; n],
            level_head: vec![NIL; n],
            level_next: vec![NIL; n],
            level_prev: vec![NIL; n],
            max_active: 0,
            max_level: 0,
            work: 0,
            relabel_period: 6 * n + n_res / 2,
            queue: Vec::with_capacity(n),
        };
        // Saturate the reservoir's only arc.
        let pos = *positions.last().unwrap_or(&0) as usize;
        let back = pr.rev[pos] as usize;
        pr.cap[pos] = 0;
        pr.cap[back] = clamp;
        pr.excess[s] = clamp;
        pr.excess[r] = -clamp;
        pr
    }

    #[inline]
    fn dead(&self) -> u32 {
        2 * self.n as u32
    }

    fn run(&mut self) {
        self.global_relabel();
        loop {
            while self.max_active > 0 && self.active_head[self.max_active] == NIL {
                self.max_active -= 1;
            }
            let u = self.active_head[self.max_active];
            if u == NIL {
                break;
            }
            self.active_head[self.max_active] = self.active_next[u as usize];
            self.discharge(u as usize);
            if self.work > self.relabel_period {
                self.global_relabel();
            }
        }
    }

    fn push_active(&mut self, v: usize) {
        let d = self.label[v] as usize;
        self.active_next[v] = self.active_head[d];
        self.active_head[d] = v as u32;
        if d > self.max_active {
            self.max_active = d;
        }
    }

    fn level_insert(&mut self, v: usize) {
        let d = self.label[v] as usize;
        let h = self.level_head[d];
        self.level_next[v] = h;
        self.level_prev[v] = NIL;
        if h != NIL {
            self.level_prev[h as usize] = v as u32;
        }
        self.level_head[d] = v as u32;
        if d > self.max_level {
            self.max_level = d;
        }
    }

    fn level_remove(&mut self, v: usize) {
        let d = self.label[v] as usize;
        let (p, nx) = (self.level_prev[v], self.level_next[v]);
        if p == NIL {
            self.level_head[d] = nx;
        } else {
            self.level_next[p as usize] = nx;
        }
        if nx != NIL {
            self.level_prev[nx as usize] = p;
        }
    }

    /// Pushes excess out of `u` along admissible arcs; relabels `u` if excess remains.
    fn discharge(&mut self, u: usize) {
        let d = self.label[u];
        let end = self.first[u + 1] as usize;
        let mut e = self.current[u] as usize;
        while e < end {
            if self.cap[e] > 0 {
                let v = self.head[e] as usize;
                if self.label[v] + 1 == d {
                    let delta = self.excess[u].min(self.cap[e]);
                    self.cap[e] -= delta;
                    self.cap[self.rev[e] as usize] += delta;
                    self.excess[u] -= delta;
                    if self.excess[v] == 0 && v != self.t && v != self.r {
                        self.push_active(v);
                    }
                    self.excess[v] += delta;
                    if self.excess[u] == 0 {
                        break;
                    }
                }
            }
            e += 1;
        }
        self.current[u] = e as u32;
        if self.excess[u] > 0 {
            self.relabel(u);
            if self.label[u] < self.dead() {
                self.push_active(u);
            }
        }
    }

    /// Raises the label of `u` to one more than its lowest residual neighbour, first applying
    /// the gap heuristic if `u` was the last node on its level.
    fn relabel(&mut self, u: usize) {
        let n = self.n as u32;
        let old = self.label[u];
        if old < n {
            self.level_remove(u);
            if self.level_head[old as usize] == NIL {
                self.gap(old as usize);
            }
        }
        let dead = self.dead();
        let mut best = dead;
        let mut best_e = self.first[u];
        let (lo, hi) = (self.first[u] as usize, self.first[u + 1] as usize);
        for e in lo..hi {
            if self.cap[e] > 0 {
                let l = self.label[self.head[e] as usize];
                if l < dead && l + 1 < best {
                    best = l + 1;
                    best_e = e as u32;
                }
            }
        }
        self.work += hi - lo + 12;
        self.label[u] = best;
        self.current[u] = best_e;
        if best < n {
            self.level_insert(u);
        }
    }

    /// Level `k` has emptied: nodes above it can no longer reach the sink, so lift them to
    /// `n + 1`, from where they return their excess to the reservoir.
    fn gap(&mut self, k: usize) {
        let lifted = self.n as u32 + 1;
        for level in k + 1..=self.max_level {
            let mut v = self.level_head[level];
            while v != NIL {
                self.label[v as usize] = lifted;
                self.current[v as usize] = self.first[v as usize];
                v = self.level_next[v as usize];
            }
            self.level_head[level] = NIL;
            let mut v = self.active_head[level];
            self.active_head[level] = NIL;
            while v != NIL {
                let next = self.active_next[v as usize];
                self.push_active(v as usize);
                v = next;
            }
        }
        self.max_level = k.saturating_sub(1);
    }

    /// Sets every label to the exact residual distance to the sink, or `n` plus the distance
    /// to the reservoir for nodes that cannot reach the sink.
    fn global_relabel(&mut self) {
        self.work = 0;
        let n = self.n;
        let dead = self.dead();
        for v in 0..n {
            self.label[v] = dead;
        }
        self.label[self.t] = 0;
        self.label[self.r] = n as u32;
        let mut queue = std::mem::take(&mut self.queue);
        for root in [self.t, self.r] {
            queue.clear();
            queue.push(root as u32);
            let mut i = 0;
            while i < queue.len() {
                let v = queue[i] as usize;
                i += 1;
                let dv = self.label[v] + 1;
                for e in self.first[v] as usize..self.first[v + 1] as usize {
                    let w = self.head[e] as usize;
                    if self.label[w] == dead && self.cap[self.rev[e] as usize] > 0 {
                        self.label[w] = dv;
                        queue.push(w as u32);
                    }
                }
            }
        }
        self.queue = queue;

        self.active_head.fill(NIL);
        self.level_head.fill(NIL);
        self.max_active = 0;
        self.max_level = 0;
        for v in 0..n {
            if v == self.t || v == self.r {
                continue;
            }
            self.current[v] = self.first[v];
            if self.label[v] < n as u32 {
                self.level_insert(v);
            }
            if self.excess[v] > 0 && self.label[v] < dead {
                self.push_active(v);
            }
        }
    }

    fn read_flow(&self, flow: &mut [i64]) {
        for (a, &pf) in self.fwd.iter().enumerate() {
            if pf != NIL {
                flow[a] = self.cap[self.rev[pf as usize] as usize];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sources_share_a_bottleneck() -> Result<(), FlowError> {
        let mut net = Network::new(4);
        net.add_arc(NodeIdx(0), NodeIdx(2), 0, 5, 0)?;
        net.add_arc(NodeIdx(1), NodeIdx(2), 0, 5, 0)?;
        net.add_arc(NodeIdx(2), NodeIdx(3), 0, 7, 0)?;
        let mf = max_flow(&net, &[NodeIdx(0), NodeIdx(1)], &[NodeIdx(3)])?;
        assert_eq!(mf.value, 7);
        assert_eq!(mf.cut_arcs, vec![ArcIdx(2)]);
        assert_eq!(mf.source_side, vec![true, true, true, false]);
        Ok(())
    }

    #[test]
    fn uncapacitated_path_is_an_error() -> Result<(), FlowError> {
        let mut net = Network::new(3);
        net.add_arc(NodeIdx(0), NodeIdx(1), 0, INF, 0)?;
        net.add_arc(NodeIdx(1), NodeIdx(2), 0, INF, 0)?;
        assert_eq!(
            max_flow(&net, &[NodeIdx(0)], &[NodeIdx(2)]),
            Err(FlowError::UnboundedFlow)
        );
        net.set_upper(ArcIdx(1), 9)?;
        assert_eq!(max_flow(&net, &[NodeIdx(0)], &[NodeIdx(2)])?.value, 9);
        Ok(())
    }
}
