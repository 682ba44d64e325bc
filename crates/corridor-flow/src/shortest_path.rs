//! Shortest paths (Dijkstra) and k shortest loopless paths (Yen).

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use crate::network::{Network, OutAdjacency};
use crate::{ArcIdx, NodeIdx};

/// Shortest-path tree from one source, as returned by [`dijkstra`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortestPaths {
    /// The source the tree was grown from.
    pub source: NodeIdx,
    /// Per node: distance from the source, `None` if unreachable.
    pub dist: Vec<Option<u64>>,
    /// Per node: last arc of its shortest path, `None` for the source and unreachable nodes.
    pub pred: Vec<Option<ArcIdx>>,
    /// Per node: tail of `pred`, so paths can be read back without the network.
    pred_tail: Vec<u32>,
}

impl ShortestPaths {
    /// Arcs of a shortest path from the source to `target`, in order; `Some(vec![])` for the
    /// source itself, `None` if `target` is unreachable or out of range.
    pub fn path_to(&self, target: NodeIdx) -> Option<Vec<ArcIdx>> {
        self.dist.get(target.idx()).copied().flatten()?;
        let mut arcs = Vec::new();
        let mut v = target.idx();
        while let Some(a) = self.pred[v] {
            arcs.push(a);
            v = self.pred_tail[v] as usize;
        }
        arcs.reverse();
        Some(arcs)
    }
}

/// A path as a sequence of arcs, with its length.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path {
    /// Total weight of the arcs.
    pub length: u64,
    /// Arcs from the start to the end of the path.
    pub arcs: Vec<ArcIdx>,
}

/// Single-source shortest paths with non-negative integer weights.
///
/// # Arguments
/// * `net` — the network; bounds and costs are not looked at.
/// * `source` — where paths start.
/// * `weight` — length of each arc, or `None` to forbid it. Called at most once per arc.
///
/// # Returns
/// A [`ShortestPaths`] tree. Ties are broken deterministically: nodes are settled in order of
/// (distance, index), and a node keeps the first arc that reached it at its final distance.
/// A path whose length would overflow `u64` is treated as unusable. An out-of-range `source`
/// gives a tree in which every node is unreachable.
///
/// # Complexity
/// O((n + m) log n) time, O(n + m) memory.
pub fn dijkstra(
    net: &Network,
    source: NodeIdx,
    weight: impl Fn(ArcIdx) -> Option<u64>,
) -> ShortestPaths {
    let adj = OutAdjacency::new(net);
    let weights: Vec<Option<u64>> = net.arc_indices().map(&weight).collect();
    let mut search = Search::new(net.n_nodes());
    search.run(net, &adj, &weights, source.idx(), None, &[], &[]);
    let pred_tail = search
        .pred
        .iter()
        .map(|p| p.map_or(NIL, |a| net.tails()[a.idx()]))
        .collect();
    ShortestPaths {
        source,
        dist: search.dist,
        pred: search.pred,
        pred_tail,
    }
}

const NIL: u32 = u32::MAX;

/// Reusable Dijkstra state, so that Yen's algorithm does not reallocate per spur search.
struct Search {
    dist: Vec<Option<u64>>,
    pred: Vec<Option<ArcIdx>>,
    done: Vec<bool>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Search {
    fn new(n: usize) -> Self {
        Search {
            dist: vec![None; n],
            pred: vec![None; n],
            done: vec![false; n],
            heap: BinaryHeap::new(),
        }
    }

    /// Runs Dijkstra from `source`, skipping banned nodes and arcs, and stopping early once
    /// `target` is settled.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        net: &Network,
        adj: &OutAdjacency,
        weights: &[Option<u64>],
        source: usize,
        target: Option<usize>,
        banned_node: &[bool],
        banned_arc: &[bool],
    ) {
        self.dist.fill(None);
        self.pred.fill(None);
        self.done.fill(false);
        self.heap.clear();
        if source >= self.dist.len() {
            return;
        }
        self.dist[source] = Some(0);
        self.heap.push(Reverse((0, source as u32)));
        while let Some(Reverse((d, v))) = self.heap.pop() {
            let v = v as usize;
            if self.done[v] {
                continue;
            }
            self.done[v] = true;
            if Some(v) == target {
                return;
            }
            for &a in adj.out(v) {
                let a = a as usize;
                if banned_arc.get(a).copied().unwrap_or(false) {
                    continue;
                }
                let Some(w) = weights[a] else { continue };
                let h = net.heads()[a] as usize;
                if self.done[h] || banned_node.get(h).copied().unwrap_or(false) {
                    continue;
                }
                let Some(nd) = d.checked_add(w) else { continue };
                if self.dist[h].is_none_or(|old| nd < old) {
                    self.dist[h] = Some(nd);
                    self.pred[h] = Some(ArcIdx(a as u32));
                    self.heap.push(Reverse((nd, h as u32)));
                }
            }
        }
    }

    fn path_to(&self, net: &Network, target: usize) -> Option<Vec<ArcIdx>> {
        self.dist.get(target).copied().flatten()?;
        let mut arcs = Vec::new();
        let mut v = target;
        while let Some(a) = self.pred[v] {
            arcs.push(a);
            v = net.tails()[a.idx()] as usize;
        }
        arcs.reverse();
        Some(arcs)
    }
}

/// The `k` shortest loopless paths from `source` to `target`, by Yen's algorithm.
///
/// # Arguments
/// * `net` — the network; parallel arcs give distinct paths.
/// * `source`, `target` — end points. If they are equal the only loopless path is the empty
///   one.
/// * `k` — how many paths to return at most.
/// * `weight` — as for [`dijkstra`]; called once per arc.
///
/// # Returns
/// Up to `k` distinct paths that visit no node twice, in non-decreasing length: the i-th path
/// is a shortest loopless path not among the first i - 1. Among equally long candidates the
/// one with the smallest arc sequence is taken, so the result is deterministic. Fewer than
/// `k` paths are returned if fewer exist; none if an index is out of range.
///
/// # Complexity
/// O(k · n · (n + m) log n) time in the worst case (up to n spur searches per path found),
/// O(k · n + m) memory.
pub fn k_shortest_paths(
    net: &Network,
    source: NodeIdx,
    target: NodeIdx,
    k: usize,
    weight: impl Fn(ArcIdx) -> Option<u64>,
) -> Vec<Path> {
    let n = net.n_nodes();
    let mut found: Vec<Path> = Vec::new();
    if k == 0 || source.idx() >= n || target.idx() >= n {
        return found;
    }
    let adj = OutAdjacency::new(net);
    let weights: Vec<Option<u64>> = net.arc_indices().map(&weight).collect();
    let mut search = Search::new(n);
    search.run(
        net,
        &adj,
        &weights,
        source.idx(),
        Some(target.idx()),
        &[],
        &[],
    );
    let Some(first) = search.path_to(net, target.idx()) else {
        return found;
    };
    let length_of = |arcs: &[ArcIdx]| -> Option<u64> {
        arcs.iter()
            .try_fold(0u64, |acc, a| acc.checked_add(weights[a.idx()]?))
    };
    let Some(first_len) = length_of(&first) else {
        return found;
    };
    found.push(Path {
        length: first_len,
        arcs: first,
    });

    // Candidates ordered by (length, arcs); the set also removes duplicates.
    let mut candidates: BTreeSet<Path> = BTreeSet::new();
    let mut banned_node = vec![false; n];
    let mut banned_arc = vec![false; net.n_arcs()];
    while found.len() < k {
        let last = found[found.len() - 1].arcs.clone();
        // Spur from every node of the last path except the target.
        let mut spur = source.idx();
        for i in 0..last.len() {
            let root = &last[..i];
            for p in &found {
                if p.arcs.len() > i && p.arcs[..i] == *root {
                    banned_arc[p.arcs[i].idx()] = true;
                }
            }
            // The root path's nodes other than the spur node may not be revisited.
            let mut v = source.idx();
            for a in root {
                banned_node[v] = true;
                v = net.heads()[a.idx()] as usize;
            }
            search.run(
                net,
                &adj,
                &weights,
                spur,
                Some(target.idx()),
                &banned_node,
                &banned_arc,
            );
            if let Some(tail) = search.path_to(net, target.idx()) {
                let mut arcs = root.to_vec();
                arcs.extend(tail);
                if let Some(length) = length_of(&arcs) {
                    candidates.insert(Path { length, arcs });
                }
            }
            banned_node.fill(false);
            banned_arc.fill(false);
            spur = net.heads()[last[i].idx()] as usize;
        }
        // Paths already found can re-enter the candidate set from later spur searches.
        let next = loop {
            match candidates.pop_first() {
                Some(p) if found.contains(&p) => continue,
                other => break other,
            }
        };
        match next {
            Some(p) => found.push(p),
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_on_a_diamond_with_parallel_arcs() -> Result<(), crate::FlowError> {
        let mut net = Network::new(4);
        let w = [1u64, 2, 1, 1, 5];
        net.add_arc(NodeIdx(0), NodeIdx(1), 0, 1, 0)?; // a0, w 1
        net.add_arc(NodeIdx(0), NodeIdx(2), 0, 1, 0)?; // a1, w 2
        net.add_arc(NodeIdx(1), NodeIdx(3), 0, 1, 0)?; // a2, w 1
        net.add_arc(NodeIdx(2), NodeIdx(3), 0, 1, 0)?; // a3, w 1
        net.add_arc(NodeIdx(1), NodeIdx(3), 0, 1, 0)?; // a4, w 5 (parallel to a2)
        let paths = k_shortest_paths(&net, NodeIdx(0), NodeIdx(3), 5, |a| Some(w[a.idx()]));
        let got: Vec<(u64, Vec<u32>)> = paths
            .iter()
            .map(|p| (p.length, p.arcs.iter().map(|a| a.0).collect()))
            .collect();
        assert_eq!(got, vec![(2, vec![0, 2]), (3, vec![1, 3]), (6, vec![0, 4])]);
        Ok(())
    }
}
