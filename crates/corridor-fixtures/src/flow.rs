//! Deliberately simple reference algorithms on a corridor-flow [`Network`], independent of
//! corridor-flow's implementations, that corridor-flow's and corridor-dimacs's property tests
//! compare against: successive shortest paths with Bellman-Ford for min-cost flow, Edmonds-Karp
//! for max-flow, Bellman-Ford for distances, and depth-first enumeration of simple paths. Slow
//! on purpose: a few lines each, easy to check by reading.

// Node-by-node loops over several arrays read more plainly with indices.
#![allow(clippy::needless_range_loop)]

use corridor_flow::{ArcIdx, Network, NodeIdx, INF};

/// Outcome of the reference min-cost-flow solver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefMcf {
    /// The optimal cost.
    Optimal(i128),
    /// No flow meets the supplies within the bounds.
    Infeasible,
    /// A cycle of negative cost without capacity limits makes the cost fall without end.
    Unbounded,
}

/// Residual graph with `i128` capacities and costs, as adjacency lists.
struct Residual {
    /// Per node: edge indices.
    adj: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i128>,
    cost: Vec<i128>,
}

impl Residual {
    fn new(n: usize) -> Self {
        Residual {
            adj: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
        }
    }

    /// Adds `u -> v` and its reverse; returns the forward edge index (reverse is `e ^ 1`).
    fn add(&mut self, u: usize, v: usize, cap: i128, cost: i128) -> usize {
        let e = self.to.len();
        self.adj[u].push(e);
        self.to.push(v);
        self.cap.push(cap);
        self.cost.push(cost);
        self.adj[v].push(e + 1);
        self.to.push(u);
        self.cap.push(0);
        self.cost.push(-cost);
        e
    }

    fn push(&mut self, e: usize, amount: i128) {
        self.cap[e] -= amount;
        self.cap[e ^ 1] += amount;
    }

    /// Bellman-Ford from `s` over edges with capacity: distance and predecessor edge.
    fn bellman_ford(&self, s: usize) -> (Vec<Option<i128>>, Vec<usize>) {
        let n = self.adj.len();
        let mut dist: Vec<Option<i128>> = vec![None; n];
        let mut pred = vec![usize::MAX; n];
        dist[s] = Some(0);
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                let Some(du) = dist[u] else { continue };
                for &e in &self.adj[u] {
                    if self.cap[e] > 0 {
                        let v = self.to[e];
                        let nd = du + self.cost[e];
                        if dist[v].is_none_or(|dv| nd < dv) {
                            dist[v] = Some(nd);
                            pred[v] = e;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        (dist, pred)
    }

    /// Edges of the predecessor path from `s` to `t`.
    fn path(&self, pred: &[usize], s: usize, t: usize) -> Vec<usize> {
        let mut edges = Vec::new();
        let mut v = t;
        while v != s {
            let e = pred[v];
            edges.push(e);
            v = self.to[e ^ 1];
        }
        edges
    }
}

/// True if the arcs with `upper == INF` contain a cycle of negative total cost.
fn has_negative_uncapacitated_cycle(net: &Network) -> bool {
    let n = net.n_nodes();
    let mut dist = vec![0i128; n];
    for round in 0..=n {
        let mut changed = false;
        for a in net.arc_indices() {
            let arc = net.arc(a);
            if arc.upper != INF {
                continue;
            }
            let nd = dist[arc.tail.0 as usize] + i128::from(arc.cost);
            if nd < dist[arc.head.0 as usize] {
                dist[arc.head.0 as usize] = nd;
                changed = true;
            }
        }
        if !changed {
            return false;
        }
        if round == n {
            return true;
        }
    }
    false
}

/// Minimum-cost flow by successive shortest paths with Bellman-Ford.
///
/// Lower bounds move into the supplies, uncapacitated arcs get a capacity larger than any
/// basic flow, negative-cost arcs start saturated so the residual graph has no negative
/// cycle, and shortest augmenting paths then run from a super source to a super sink.
pub fn min_cost_flow(net: &Network, supply: &[i64]) -> RefMcf {
    let n = net.n_nodes();
    if supply.iter().map(|&b| i128::from(b)).sum::<i128>() != 0 {
        return RefMcf::Infeasible;
    }
    let mut b: Vec<i128> = supply.iter().map(|&x| i128::from(x)).collect();
    let mut base_cost: i128 = 0;
    let mut finite_caps: i128 = 0;
    for a in net.arc_indices() {
        let arc = net.arc(a);
        b[arc.tail.0 as usize] -= i128::from(arc.lower);
        b[arc.head.0 as usize] += i128::from(arc.lower);
        base_cost += i128::from(arc.lower) * i128::from(arc.cost);
        if arc.upper != INF {
            finite_caps += i128::from(arc.upper - arc.lower);
        }
    }
    let big = b.iter().map(|x| x.abs()).sum::<i128>() + finite_caps + 1;

    let (s, t) = (n, n + 1);
    let mut g = Residual::new(n + 2);
    for a in net.arc_indices() {
        let arc = net.arc(a);
        let cap = if arc.upper == INF {
            big
        } else {
            i128::from(arc.upper - arc.lower)
        };
        let cost = i128::from(arc.cost);
        let (u, v) = (arc.tail.0 as usize, arc.head.0 as usize);
        let e = g.add(u, v, cap, cost);
        if cost < 0 {
            g.push(e, cap);
            base_cost += cap * cost;
            b[u] -= cap;
            b[v] += cap;
        }
    }
    let mut needed: i128 = 0;
    for v in 0..n {
        if b[v] > 0 {
            g.add(s, v, b[v], 0);
            needed += b[v];
        } else if b[v] < 0 {
            g.add(v, t, -b[v], 0);
        }
    }
    let mut cost = base_cost;
    while needed > 0 {
        let (dist, pred) = g.bellman_ford(s);
        let Some(d) = dist[t] else { break };
        let path = g.path(&pred, s, t);
        let amount = path
            .iter()
            .map(|&e| g.cap[e])
            .min()
            .unwrap_or(0)
            .min(needed);
        for &e in &path {
            g.push(e, amount);
        }
        cost += amount * d;
        needed -= amount;
    }
    if needed > 0 {
        RefMcf::Infeasible
    } else if has_negative_uncapacitated_cycle(net) {
        RefMcf::Unbounded
    } else {
        RefMcf::Optimal(cost)
    }
}

/// Maximum flow by Edmonds-Karp (BFS augmenting paths), or `None` if it is unbounded.
pub fn max_flow(net: &Network, sources: &[NodeIdx], sinks: &[NodeIdx]) -> Option<i64> {
    let n = net.n_nodes();
    let finite: i128 = net
        .arc_indices()
        .map(|a| net.arc(a).upper)
        .filter(|&u| u != INF)
        .map(i128::from)
        .sum();
    let big = finite + 1;
    let (s, t) = (n, n + 1);
    let mut g = Residual::new(n + 2);
    for a in net.arc_indices() {
        let arc = net.arc(a);
        let cap = if arc.upper == INF {
            big
        } else {
            i128::from(arc.upper)
        };
        g.add(arc.tail.0 as usize, arc.head.0 as usize, cap, 0);
    }
    for v in sources {
        g.add(s, v.0 as usize, 2 * big, 0);
    }
    for v in sinks {
        g.add(v.0 as usize, t, 2 * big, 0);
    }
    let mut value: i128 = 0;
    loop {
        let mut pred = vec![usize::MAX; n + 2];
        let mut seen = vec![false; n + 2];
        let mut queue = std::collections::VecDeque::from([s]);
        seen[s] = true;
        while let Some(u) = queue.pop_front() {
            for &e in &g.adj[u] {
                let v = g.to[e];
                if g.cap[e] > 0 && !seen[v] {
                    seen[v] = true;
                    pred[v] = e;
                    queue.push_back(v);
                }
            }
        }
        if !seen[t] {
            break;
        }
        let path = g.path(&pred, s, t);
        let amount = path.iter().map(|&e| g.cap[e]).min().unwrap_or(0);
        for &e in &path {
            g.push(e, amount);
        }
        value += amount;
        if value >= big {
            return None;
        }
    }
    Some(value as i64)
}

/// Single-source distances by Bellman-Ford over arcs with a weight.
pub fn distances(net: &Network, source: usize, weight: &[Option<u64>]) -> Vec<Option<u64>> {
    let mut dist: Vec<Option<u64>> = vec![None; net.n_nodes()];
    dist[source] = Some(0);
    for _ in 0..net.n_nodes() {
        for a in net.arc_indices() {
            let arc = net.arc(a);
            let (Some(du), Some(w)) = (dist[arc.tail.0 as usize], weight[a.0 as usize]) else {
                continue;
            };
            let h = arc.head.0 as usize;
            if dist[h].is_none_or(|dh| du + w < dh) {
                dist[h] = Some(du + w);
            }
        }
    }
    dist
}

/// Every simple path from `s` to `t` with its length, by depth-first enumeration.
pub fn simple_paths(
    net: &Network,
    s: usize,
    t: usize,
    weight: &[Option<u64>],
) -> Vec<(u64, Vec<ArcIdx>)> {
    #[allow(clippy::too_many_arguments)]
    fn go(
        net: &Network,
        v: usize,
        t: usize,
        weight: &[Option<u64>],
        on_path: &mut Vec<bool>,
        arcs: &mut Vec<ArcIdx>,
        length: u64,
        out: &mut Vec<(u64, Vec<ArcIdx>)>,
    ) {
        if v == t {
            out.push((length, arcs.clone()));
            return;
        }
        for a in net.arc_indices() {
            let arc = net.arc(a);
            let h = arc.head.0 as usize;
            let Some(w) = weight[a.0 as usize] else {
                continue;
            };
            if arc.tail.0 as usize == v && !on_path[h] {
                on_path[h] = true;
                arcs.push(a);
                go(net, h, t, weight, on_path, arcs, length + w, out);
                arcs.pop();
                on_path[h] = false;
            }
        }
    }
    let mut on_path = vec![false; net.n_nodes()];
    on_path[s] = true;
    let mut out = Vec::new();
    go(
        net,
        s,
        t,
        weight,
        &mut on_path,
        &mut Vec::new(),
        0,
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(n: usize, arcs: &[(u32, u32, i64, i64, i64)]) -> Network {
        let mut net = Network::new(n);
        for &(t, h, lower, upper, cost) in arcs {
            net.add_arc(NodeIdx(t), NodeIdx(h), lower, upper, cost)
                .expect("a valid arc");
        }
        net
    }

    /// The hand-checked case of corridor-dimacs's tests/cases/textbook.min, and one case of each
    /// other outcome, as a check of the reference itself.
    #[test]
    fn reference_solves_the_textbook_cases() {
        let textbook = network(
            4,
            &[
                (0, 1, 0, 4, 2),
                (0, 2, 0, 2, 2),
                (1, 2, 0, 2, 1),
                (1, 3, 0, 3, 3),
                (2, 3, 0, 5, 1),
            ],
        );
        assert_eq!(
            min_cost_flow(&textbook, &[4, 0, 0, -4]),
            RefMcf::Optimal(14)
        );
        assert_eq!(max_flow(&textbook, &[NodeIdx(0)], &[NodeIdx(3)]), Some(6));
        let narrow = network(2, &[(0, 1, 0, 3, 1)]);
        assert_eq!(min_cost_flow(&narrow, &[4, -4]), RefMcf::Infeasible);
        let negative_cycle = network(2, &[(0, 1, 0, INF, -1), (1, 0, 0, INF, 0)]);
        assert_eq!(min_cost_flow(&negative_cycle, &[0, 0]), RefMcf::Unbounded);
    }
}
