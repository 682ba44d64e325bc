//! Minimum-cost flow by the primal network simplex method.
//!
//! The design follows LEMON's `NetworkSimplex`: the basis is a spanning tree rooted at an
//! artificial node, stored as parent / predecessor-arc / preorder-thread / subtree-size
//! arrays; entering arcs are chosen by block search; the leaving arc is the last blocking arc
//! of the cycle, which keeps the tree strongly feasible and rules out cycling.
//!
//! The starting tree joins every node to the artificial root by an artificial arc:
//! `v -> root` at cost 0 for supply nodes, `root -> v` at cost `ART` for demand nodes. `ART`
//! is computed from the data (`n * max|cost| + 1`), which is more than any simple path of the
//! residual network can cost, so an optimum with flow left on an artificial arc proves the
//! problem infeasible. All quantities are checked up front to stay inside `i64`.

use crate::network::{Network, INF};
use crate::FlowError;

/// Outcome of [`min_cost_flow`]: infeasible and unbounded problems are answers, not errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum McfOutcome {
    /// An optimal flow exists.
    Optimal(McfSolution),
    /// No flow meets the supplies within the bounds (this includes supplies that do not sum
    /// to zero).
    Infeasible,
    /// Feasible flows exist and a cycle of uncapacitated ([`INF`]) arcs has negative total
    /// cost, so the cost can decrease without limit.
    Unbounded,
}

/// An optimal solution of [`min_cost_flow`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct McfSolution {
    /// Total cost `sum(flow[a] * cost[a])`, exact.
    pub cost: i128,
    /// Flow on each arc, `lower[a] <= flow[a] <= upper[a]`.
    pub flow: Vec<i64>,
    /// Node potentials (optimal duals). With the reduced cost of arc `a = (u, v)` defined as
    /// `cost[a] + potential[u] - potential[v]`, every arc with `flow < upper` has a
    /// non-negative reduced cost and every arc with `flow > lower` a non-positive one.
    /// `potential[v]` reads as the price of a unit at `v`: shipping along `a` never makes
    /// money. Potentials are shifted so the smallest one in each weakly connected component
    /// is 0.
    pub potential: Vec<i64>,
}

/// Solves the minimum-cost flow problem with equality supplies.
///
/// Find `flow` minimising `sum(cost[a] * flow[a])` subject to
/// `lower[a] <= flow[a] <= upper[a]` and, at every node `v`,
/// `outflow(v) - inflow(v) == supply[v]`. Supplies must therefore sum to zero; if they do not
/// the problem is [`McfOutcome::Infeasible`]. To model "at most" supplies, add a slack node
/// that absorbs the surplus through zero-cost arcs.
///
/// # Arguments
/// * `net` — the network; arcs with `upper == INF` are uncapacitated.
/// * `supply` — one entry per node: `> 0` supply, `< 0` demand.
///
/// # Returns
/// [`McfOutcome::Optimal`] with flows, exact `i128` cost and potentials;
/// [`McfOutcome::Infeasible`]; or [`McfOutcome::Unbounded`] if the problem is feasible and a
/// negative-cost cycle of uncapacitated arcs exists.
///
/// # Errors
/// [`FlowError::SupplyLength`] if `supply.len() != n_nodes`; [`FlowError::CostOverflow`] if
/// `max|cost| * 4 * (n_nodes + 1)` exceeds `i64::MAX`; [`FlowError::Overflow`] if the total
/// `|supply|` (after moving lower bounds into the supplies) plus all finite capacities reaches
/// `i64::MAX`, or the total cost exceeds `i128`; [`FlowError::TooLarge`] if
/// `n_nodes + n_arcs` does not fit the internal `u32` indices.
///
/// # Complexity
/// Memory O(n + m). Each pivot prices one block of about √m arcs (a full pass over the arcs
/// proves optimality) and updates the tree in time proportional to the cycle length plus the
/// size of the moved subtree. The number of pivots has no useful polynomial bound, but on
/// practical networks it grows roughly linearly with n.
pub fn min_cost_flow(net: &Network, supply: &[i64]) -> Result<McfOutcome, FlowError> {
    let n = net.n_nodes();
    let m = net.n_arcs();
    if supply.len() != n {
        return Err(FlowError::SupplyLength {
            expected: n,
            found: supply.len(),
        });
    }
    if n + m + 2 >= u32::MAX as usize {
        return Err(FlowError::TooLarge {
            what: "nodes plus arcs",
            count: n + m,
            max: u32::MAX as usize - 3,
        });
    }
    if supply.iter().map(|&b| i128::from(b)).sum::<i128>() != 0 {
        return Ok(McfOutcome::Infeasible);
    }

    // Potentials stay within `ART + n * max|cost| <= (2n + 1) * max|cost| + 1`, and reduced
    // costs within three times that; demand headroom for both.
    let max_abs_cost = net
        .costs()
        .iter()
        .map(|&c| i128::from(c).abs())
        .max()
        .unwrap_or(0);
    let limit = i128::from(i64::MAX) / (4 * (n as i128 + 1) + 2) - 1;
    if max_abs_cost > limit {
        return Err(FlowError::CostOverflow {
            max_abs_cost: i64::try_from(max_abs_cost).unwrap_or(i64::MAX),
            n_nodes: n,
            limit: limit as i64,
        });
    }

    // Move lower bounds into the supplies: flow = lower + residual flow.
    let (tails, heads, lowers, uppers) = (net.tails(), net.heads(), net.lowers(), net.uppers());
    let mut shifted: Vec<i128> = supply.iter().map(|&b| i128::from(b)).collect();
    let mut total: i128 = 0;
    for a in 0..m {
        let l = i128::from(lowers[a]);
        shifted[tails[a] as usize] -= l;
        shifted[heads[a] as usize] += l;
        if uppers[a] != INF {
            total += i128::from(uppers[a] - lowers[a]);
        }
    }
    total += shifted.iter().map(|b| b.abs()).sum::<i128>();
    // Every basic flow is bounded by `total`; keeping it below `INF` keeps "INF" unambiguous.
    if total >= i128::from(INF) {
        return Err(FlowError::Overflow {
            what: "total supply plus finite capacities",
        });
    }
    let shifted: Vec<i64> = shifted.into_iter().map(|b| b as i64).collect();

    let mut simplex = Simplex::new(net, &shifted, max_abs_cost as i64, false);
    match simplex.run() {
        Pivoting::Optimal => {}
        Pivoting::Unbounded => {
            // The artificial problem is unbounded; the real one is unbounded only if it is
            // feasible, which the same method decides with all costs set to zero.
            let mut check = Simplex::new(net, &shifted, 0, true);
            return Ok(match check.run() {
                Pivoting::Optimal if check.artificial_flow_is_zero() => McfOutcome::Unbounded,
                _ => McfOutcome::Infeasible,
            });
        }
    }
    if !simplex.artificial_flow_is_zero() {
        return Ok(McfOutcome::Infeasible);
    }

    let costs = net.costs();
    let mut flow = Vec::with_capacity(m);
    let mut cost: i128 = 0;
    for a in 0..m {
        let f = simplex.flow[a]
            .checked_add(lowers[a])
            .ok_or(FlowError::Overflow { what: "arc flow" })?;
        flow.push(f);
        cost = i128::from(f)
            .checked_mul(i128::from(costs[a]))
            .and_then(|fc| cost.checked_add(fc))
            .ok_or(FlowError::Overflow { what: "total cost" })?;
    }
    let mut potential = simplex.pi;
    potential.truncate(n);
    normalize_potentials(net, &mut potential);
    Ok(McfOutcome::Optimal(McfSolution {
        cost,
        flow,
        potential,
    }))
}

/// Shifts potentials so the minimum over each weakly connected component is zero. Arcs never
/// join two components, so reduced costs are unchanged.
fn normalize_potentials(net: &Network, pi: &mut [i64]) {
    let n = pi.len();
    let mut comp: Vec<u32> = (0..n as u32).collect();
    fn find(comp: &mut [u32], mut v: u32) -> u32 {
        while comp[v as usize] != v {
            let grand = comp[comp[v as usize] as usize];
            comp[v as usize] = grand;
            v = grand;
        }
        v
    }
    for (&t, &h) in net.tails().iter().zip(net.heads()) {
        let (rt, rh) = (find(&mut comp, t), find(&mut comp, h));
        if rt != rh {
            comp[rt.max(rh) as usize] = rt.min(rh);
        }
    }
    let mut min = vec![i64::MAX; n];
    for (v, &p) in pi.iter().enumerate() {
        let r = find(&mut comp, v as u32) as usize;
        min[r] = min[r].min(p);
    }
    for (v, p) in pi.iter_mut().enumerate() {
        let r = find(&mut comp, v as u32) as usize;
        *p -= min[r];
    }
}

const NIL: u32 = u32::MAX;
const STATE_UPPER: i8 = -1;
const STATE_TREE: i8 = 0;
const STATE_LOWER: i8 = 1;
/// The predecessor arc points from the node up to its parent.
const DIR_UP: i8 = 1;
/// The predecessor arc points from the parent down to the node.
const DIR_DOWN: i8 = -1;

enum Pivoting {
    Optimal,
    Unbounded,
}

/// Network simplex state. Arcs `0..m` are the network's, `m..m + n` the artificial ones;
/// node `n` is the artificial root.
struct Simplex {
    n: usize,
    m: usize,
    tail: Vec<u32>,
    head: Vec<u32>,
    cost: Vec<i64>,
    cap: Vec<i64>,
    flow: Vec<i64>,
    state: Vec<i8>,
    pi: Vec<i64>,
    parent: Vec<u32>,
    pred: Vec<u32>,
    pred_dir: Vec<i8>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    succ_num: Vec<u32>,
    last_succ: Vec<u32>,
    /// Scratch for re-rooting a subtree: contiguous preorder pieces `(first, last)`.
    pieces: Vec<(u32, u32)>,
    block_size: usize,
    next_arc: usize,
}

/// The cycle closed by an entering arc and the pivot it leads to.
struct Pivot {
    in_arc: usize,
    join: u32,
    /// Endpoint of the entering arc inside the subtree that gets detached.
    u_in: u32,
    /// The other endpoint, which stays attached to the root.
    v_in: u32,
    /// Child endpoint of the leaving arc, the root of the detached subtree.
    u_out: u32,
    delta: i64,
    /// `false` if the entering arc is itself the blocking arc (it only changes bound).
    change: bool,
}

impl Simplex {
    /// Builds the starting tree. `supply` has lower bounds already removed; with
    /// `zero_costs` every cost is 0 (the feasibility check).
    fn new(net: &Network, supply: &[i64], max_abs_cost: i64, zero_costs: bool) -> Self {
        let n = net.n_nodes();
        let m = net.n_arcs();
        let all = m + n;
        let root = n as u32;
        // `n * max|cost| + 1` exceeds the cost of any simple path; the caller has checked
        // that this product fits.
        let art_cost = if zero_costs {
            1
        } else {
            n as i64 * max_abs_cost + 1
        };

        let mut tail = Vec::with_capacity(all);
        let mut head = Vec::with_capacity(all);
        let mut cost = Vec::with_capacity(all);
        let mut cap = Vec::with_capacity(all);
        tail.extend_from_slice(net.tails());
        head.extend_from_slice(net.heads());
        if zero_costs {
            cost.resize(m, 0);
        } else {
            cost.extend_from_slice(net.costs());
        }
        for (&l, &u) in net.lowers().iter().zip(net.uppers()) {
            cap.push(if u == INF { INF } else { u - l });
        }
        let mut flow = vec![0i64; all];
        let mut state = vec![STATE_LOWER; all];

        let mut pi = vec![0i64; n + 1];
        let mut parent = vec![NIL; n + 1];
        let mut pred = vec![NIL; n + 1];
        let mut pred_dir = vec![DIR_UP; n + 1];
        let mut thread = vec![0u32; n + 1];
        let mut rev_thread = vec![0u32; n + 1];
        let mut succ_num = vec![1u32; n + 1];
        let mut last_succ = vec![0u32; n + 1];

        // The root comes first in the preorder, followed by the nodes in index order.
        thread[n] = 0;
        rev_thread[0] = root;
        succ_num[n] = n as u32 + 1;
        last_succ[n] = if n == 0 { root } else { n as u32 - 1 };
        for u in 0..n {
            let e = m + u;
            parent[u] = root;
            pred[u] = e as u32;
            thread[u] = u as u32 + 1;
            rev_thread[u + 1] = u as u32;
            last_succ[u] = u as u32;
            state[e] = STATE_TREE;
            cap.push(INF);
            if supply[u] >= 0 {
                pred_dir[u] = DIR_UP;
                tail.push(u as u32);
                head.push(root);
                flow[e] = supply[u];
                cost.push(0);
            } else {
                pred_dir[u] = DIR_DOWN;
                pi[u] = art_cost;
                tail.push(root);
                head.push(u as u32);
                flow[e] = -supply[u];
                cost.push(art_cost);
            }
        }

        let block_size = ((m as f64).sqrt().ceil() as usize).max(10);
        Simplex {
            n,
            m,
            tail,
            head,
            cost,
            cap,
            flow,
            state,
            pi,
            parent,
            pred,
            pred_dir,
            thread,
            rev_thread,
            succ_num,
            last_succ,
            pieces: Vec::with_capacity(2 * n + 2),
            block_size,
            next_arc: 0,
        }
    }

    fn artificial_flow_is_zero(&self) -> bool {
        self.flow[self.m..self.m + self.n].iter().all(|&f| f == 0)
    }

    fn run(&mut self) -> Pivoting {
        self.run_with(|_| {})
    }

    /// Pivots to optimality, calling `after_pivot` after every pivot (tests check the tree
    /// there).
    fn run_with(&mut self, mut after_pivot: impl FnMut(&Self)) -> Pivoting {
        while let Some(in_arc) = self.find_entering_arc() {
            let join = self.find_join(in_arc);
            let pivot = self.find_leaving_arc(in_arc, join);
            if pivot.delta == INF {
                return Pivoting::Unbounded;
            }
            self.change_flow(&pivot);
            if pivot.change {
                self.update_tree(&pivot);
            }
            after_pivot(self);
        }
        Pivoting::Optimal
    }

    /// Block search: scan blocks of `block_size` arcs, starting where the last search stopped,
    /// and return the most violating arc of the first block that has one.
    fn find_entering_arc(&mut self) -> Option<usize> {
        let m = self.m;
        let (state, cost, pi) = (&self.state[..m], &self.cost[..m], &self.pi[..]);
        let (tail, head) = (&self.tail[..m], &self.head[..m]);
        let mut min = 0i64;
        let mut best = 0usize;
        let mut count = self.block_size;
        for (lo, hi) in [(self.next_arc, m), (0, self.next_arc)] {
            for e in lo..hi {
                let reduced = cost[e] + pi[tail[e] as usize] - pi[head[e] as usize];
                let violation = i64::from(state[e]) * reduced;
                if violation < min {
                    min = violation;
                    best = e;
                }
                count -= 1;
                if count == 0 {
                    if min < 0 {
                        self.next_arc = if e + 1 == m { 0 } else { e + 1 };
                        return Some(best);
                    }
                    count = self.block_size;
                }
            }
        }
        (min < 0).then_some(best)
    }

    /// Lowest common ancestor of the entering arc's endpoints: climb from the endpoint with
    /// the smaller subtree, which cannot be the ancestor of the other.
    fn find_join(&self, in_arc: usize) -> u32 {
        let mut u = self.tail[in_arc];
        let mut v = self.head[in_arc];
        while u != v {
            if self.succ_num[u as usize] < self.succ_num[v as usize] {
                u = self.parent[u as usize];
            } else {
                v = self.parent[v as usize];
            }
        }
        u
    }

    /// Ratio test over the cycle `join -> .. -> first -> second -> .. -> join`, oriented along
    /// the flow change. Ties go to the blocking arc met last from `join`, which keeps the
    /// tree strongly feasible.
    fn find_leaving_arc(&self, in_arc: usize, join: u32) -> Pivot {
        let (first, second) = if self.state[in_arc] == STATE_LOWER {
            (self.tail[in_arc], self.head[in_arc])
        } else {
            (self.head[in_arc], self.tail[in_arc])
        };
        let residual = |e: usize, along: bool| -> i64 {
            if along {
                if self.cap[e] == INF {
                    INF
                } else {
                    self.cap[e] - self.flow[e]
                }
            } else {
                self.flow[e]
            }
        };
        let mut delta = self.cap[in_arc];
        let mut side = 0;
        let mut u_out = NIL;
        // From `first` up to `join` the cycle runs parent -> child, i.e. along DIR_DOWN arcs.
        let mut u = first;
        while u != join {
            let e = self.pred[u as usize] as usize;
            let d = residual(e, self.pred_dir[u as usize] == DIR_DOWN);
            if d < delta {
                delta = d;
                u_out = u;
                side = 1;
            }
            u = self.parent[u as usize];
        }
        // From `second` up to `join` the cycle runs child -> parent, along DIR_UP arcs.
        let mut u = second;
        while u != join {
            let e = self.pred[u as usize] as usize;
            let d = residual(e, self.pred_dir[u as usize] == DIR_UP);
            if d <= delta {
                delta = d;
                u_out = u;
                side = 2;
            }
            u = self.parent[u as usize];
        }
        let (u_in, v_in) = if side == 1 {
            (first, second)
        } else {
            (second, first)
        };
        Pivot {
            in_arc,
            join,
            u_in,
            v_in,
            u_out,
            delta,
            change: side != 0,
        }
    }

    fn change_flow(&mut self, p: &Pivot) {
        if p.delta > 0 {
            let val = i64::from(self.state[p.in_arc]) * p.delta;
            self.flow[p.in_arc] += val;
            let mut u = self.tail[p.in_arc];
            while u != p.join {
                let e = self.pred[u as usize] as usize;
                self.flow[e] -= i64::from(self.pred_dir[u as usize]) * val;
                u = self.parent[u as usize];
            }
            let mut u = self.head[p.in_arc];
            while u != p.join {
                let e = self.pred[u as usize] as usize;
                self.flow[e] += i64::from(self.pred_dir[u as usize]) * val;
                u = self.parent[u as usize];
            }
        }
        if p.change {
            self.state[p.in_arc] = STATE_TREE;
            let out = self.pred[p.u_out as usize] as usize;
            self.state[out] = if self.flow[out] == 0 {
                STATE_LOWER
            } else {
                STATE_UPPER
            };
        } else {
            self.state[p.in_arc] = -self.state[p.in_arc];
        }
    }

    /// Replaces the leaving arc by the entering arc: detach the subtree under `u_out`,
    /// re-root it at `u_in`, hang it below `v_in`, and shift its potentials so the entering
    /// arc has zero reduced cost.
    fn update_tree(&mut self, p: &Pivot) {
        let (u_in, v_in, u_out, join) = (
            p.u_in as usize,
            p.v_in as usize,
            p.u_out as usize,
            p.join as usize,
        );
        let in_dir = if self.tail[p.in_arc] == p.u_in {
            DIR_UP
        } else {
            DIR_DOWN
        };
        let sigma = self.pi[v_in] - self.pi[u_in] - i64::from(in_dir) * self.cost[p.in_arc];

        // 1. Detach the subtree of `u_out`: it is the thread segment `u_out ..= old_last`.
        let v_out = self.parent[u_out] as usize;
        let size = self.succ_num[u_out];
        let old_last = self.last_succ[u_out];
        let before = self.rev_thread[u_out];
        let after = self.thread[old_last as usize];
        self.thread[before as usize] = after;
        self.rev_thread[after as usize] = before;
        let mut w = v_out as u32;
        while w != NIL && self.last_succ[w as usize] == old_last {
            self.last_succ[w as usize] = before;
            w = self.parent[w as usize];
        }
        // Above `join` the subtree sizes lose and regain `size`; skip them.
        let mut w = v_out;
        while w != join {
            self.succ_num[w] -= size;
            w = self.parent[w] as usize;
        }

        // 2. Re-root the detached subtree at `u_in`.
        let (first_new, last_new) = if u_in == u_out {
            self.parent[u_in] = p.v_in;
            self.pred[u_in] = p.in_arc as u32;
            self.pred_dir[u_in] = in_dir;
            (p.u_out, old_last)
        } else {
            self.reroot(p, in_dir, size as usize)
        };

        // 3. Hang it right after `v_in` in the preorder.
        let after_v_in = self.thread[v_in];
        self.thread[v_in] = first_new;
        self.rev_thread[first_new as usize] = p.v_in;
        self.thread[last_new as usize] = after_v_in;
        self.rev_thread[after_v_in as usize] = last_new;
        let mut w = p.v_in;
        while w != NIL && self.last_succ[w as usize] == p.v_in {
            self.last_succ[w as usize] = last_new;
            w = self.parent[w as usize];
        }
        let mut w = v_in;
        while w != join {
            self.succ_num[w] += size;
            w = self.parent[w] as usize;
        }

        // 4. Potentials of the moved subtree.
        let mut x = first_new;
        for _ in 0..size {
            self.pi[x as usize] += sigma;
            x = self.thread[x as usize];
        }
    }

    /// Re-roots the detached subtree of `u_out` at `u_in`, reversing the stem path
    /// `u_in -> .. -> u_out`, and rebuilds its preorder. Returns the first and last node of
    /// the new preorder, whose internal thread links are set.
    ///
    /// In the old preorder the subtree of stem node `s_i` reads `s_i, A_i, [subtree of
    /// s_{i-1}], B_i`. The new preorder is `s_0 A_0, s_1 A_1 B_1, .., s_k A_k B_k`: every piece
    /// is already contiguous, so relinking costs O(k), not O(subtree).
    fn reroot(&mut self, p: &Pivot, in_dir: i8, size: usize) -> (u32, u32) {
        let (u_in, u_out) = (p.u_in as usize, p.u_out as usize);
        self.pieces.clear();
        let mut prev = NIL;
        let mut stem = u_in;
        loop {
            if prev == NIL {
                self.pieces.push((stem as u32, self.last_succ[stem]));
            } else {
                let prev_last = self.last_succ[prev as usize];
                self.pieces
                    .push((stem as u32, self.rev_thread[prev as usize]));
                if self.last_succ[stem] != prev_last {
                    self.pieces
                        .push((self.thread[prev_last as usize], self.last_succ[stem]));
                }
            }
            if stem == u_out {
                break;
            }
            prev = stem as u32;
            stem = self.parent[stem] as usize;
        }
        for i in 1..self.pieces.len() {
            let (end, start) = (self.pieces[i - 1].1, self.pieces[i].0);
            self.thread[end as usize] = start;
            self.rev_thread[start as usize] = end;
        }
        let last_new = self.pieces[self.pieces.len() - 1].1;

        // Reverse the stem: each stem node's predecessor arc is the one below it.
        let mut stem = u_in;
        let mut new_parent = p.v_in;
        let mut new_pred = p.in_arc as u32;
        let mut new_dir = in_dir;
        let mut below_size = 0u32;
        loop {
            let old_parent = self.parent[stem];
            let old_pred = self.pred[stem];
            let old_dir = self.pred_dir[stem];
            let old_size = self.succ_num[stem];
            self.parent[stem] = new_parent;
            self.pred[stem] = new_pred;
            self.pred_dir[stem] = new_dir;
            self.succ_num[stem] = size as u32 - below_size;
            self.last_succ[stem] = last_new;
            if stem == u_out {
                break;
            }
            new_parent = stem as u32;
            new_pred = old_pred;
            new_dir = -old_dir;
            below_size = old_size;
            stem = old_parent as usize;
        }
        (p.u_in, last_new)
    }
}

#[cfg(test)]
impl Simplex {
    /// Checks every invariant of the basis; panics with a description on the first breach.
    #[allow(clippy::needless_range_loop)]
    fn validate(&self, supply: &[i64]) {
        let (n, m) = (self.n, self.m);
        let root = n;
        assert_eq!(self.parent[root], NIL, "root has a parent");
        // Thread: one cycle through all nodes, starting at the root; rev_thread its inverse.
        let mut seen = vec![false; n + 1];
        let mut v = root;
        for _ in 0..=n {
            assert!(!seen[v], "thread revisits {v}");
            seen[v] = true;
            let next = self.thread[v] as usize;
            assert_eq!(self.rev_thread[next] as usize, v, "rev_thread of {next}");
            v = next;
        }
        assert_eq!(v, root, "thread does not close at the root");
        // Parent pointers reach the root; tree arcs join child and parent.
        let is_ancestor = |a: usize, mut d: usize| loop {
            if d == a {
                return true;
            }
            if self.parent[d] == NIL {
                return false;
            }
            d = self.parent[d] as usize;
        };
        let mut size = vec![1u32; n + 1];
        for v in 0..n {
            assert!(is_ancestor(root, v), "{v} is not below the root");
            let p = self.parent[v] as usize;
            let e = self.pred[v] as usize;
            assert_eq!(self.state[e], STATE_TREE, "pred arc {e} of {v} not in tree");
            let (t, h) = (self.tail[e] as usize, self.head[e] as usize);
            match self.pred_dir[v] {
                DIR_UP => assert!(t == v && h == p, "arc {e} does not go {v} -> {p}"),
                _ => assert!(t == p && h == v, "arc {e} does not go {p} -> {v}"),
            }
            let reduced = self.cost[e] + self.pi[t] - self.pi[h];
            assert_eq!(reduced, 0, "tree arc {e} has reduced cost {reduced}");
            let mut u = v;
            while self.parent[u] != NIL {
                u = self.parent[u] as usize;
                size[u] += 1;
            }
        }
        let n_tree = self.state.iter().filter(|&&s| s == STATE_TREE).count();
        assert_eq!(n_tree, n, "tree has {n_tree} arcs for {n} nodes");
        // Subtrees are contiguous in the thread and end at last_succ.
        for v in 0..=n {
            assert_eq!(self.succ_num[v], size[v], "succ_num of {v}");
            let mut x = v;
            for _ in 1..size[v] {
                x = self.thread[x] as usize;
                assert!(
                    is_ancestor(v, x),
                    "thread after {v} leaves its subtree at {x}"
                );
            }
            assert_eq!(self.last_succ[v] as usize, x, "last_succ of {v}");
        }
        // Flows respect bounds and states, and balance the supplies.
        let mut balance = vec![0i64; n + 1];
        for e in 0..m + n {
            let f = self.flow[e];
            assert!(
                f >= 0 && (self.cap[e] == INF || f <= self.cap[e]),
                "flow {f} on {e}"
            );
            match self.state[e] {
                STATE_LOWER => assert_eq!(f, 0, "arc {e} at lower"),
                STATE_UPPER => assert_eq!(f, self.cap[e], "arc {e} at upper"),
                _ => {}
            }
            balance[self.tail[e] as usize] += f;
            balance[self.head[e] as usize] -= f;
        }
        assert_eq!(&balance[..n], supply, "flow does not meet the supplies");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeIdx;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Every pivot leaves a consistent, strongly feasible basis.
        #[test]
        fn every_pivot_keeps_the_tree_consistent(
            n in 1usize..14,
            raw_arcs in proptest::collection::vec((0u32..14, 0u32..14, 0i64..8, -6i64..10, any::<bool>()), 0..50),
            raw_supply in proptest::collection::vec(-6i64..7, 14),
        ) {
            let mut net = Network::new(n);
            for &(t, h, u, c, inf) in &raw_arcs {
                let upper = if inf && c >= 0 { INF } else { u };
                net.add_arc(NodeIdx(t % n as u32), NodeIdx(h % n as u32), 0, upper, c)
                    .expect("valid arc");
            }
            let mut supply = raw_supply[..n].to_vec();
            let sum: i64 = supply.iter().sum();
            supply[0] -= sum;
            let mut simplex = Simplex::new(&net, &supply, 10, false);
            simplex.validate(&supply);
            let mut pivots = 0;
            let outcome = simplex.run_with(|s| {
                pivots += 1;
                s.validate(&supply);
            });
            prop_assert!(matches!(outcome, Pivoting::Optimal));
            prop_assert!(pivots < 10_000);
        }
    }

    fn solve(n: usize, arcs: &[(u32, u32, i64, i64, i64)], supply: &[i64]) -> McfOutcome {
        let mut net = Network::new(n);
        for &(t, h, l, u, c) in arcs {
            net.add_arc(NodeIdx(t), NodeIdx(h), l, u, c)
                .expect("valid test arc");
        }
        min_cost_flow(&net, supply).expect("valid test problem")
    }

    #[test]
    fn lower_bound_forces_a_dear_arc() {
        let out = solve(2, &[(0, 1, 0, 10, 1), (0, 1, 3, 10, 5)], &[5, -5]);
        let McfOutcome::Optimal(sol) = out else {
            panic!("expected optimal, got {out:?}");
        };
        assert_eq!(sol.flow, vec![2, 3]);
        assert_eq!(sol.cost, 2 + 15);
    }

    #[test]
    fn unbalanced_supply_is_infeasible() {
        assert_eq!(
            solve(2, &[(0, 1, 0, 10, 1)], &[5, -4]),
            McfOutcome::Infeasible
        );
    }

    #[test]
    fn negative_cycle_in_infeasible_problem_is_infeasible() {
        // The cycle 1 -> 2 -> 1 is negative and uncapacitated, but node 0 cannot ship.
        let out = solve(
            3,
            &[(1, 2, 0, INF, -1), (2, 1, 0, INF, 0), (0, 1, 0, 2, 0)],
            &[3, -3, 0],
        );
        assert_eq!(out, McfOutcome::Infeasible);
    }

    #[test]
    fn empty_network_is_optimal() {
        let McfOutcome::Optimal(sol) = solve(0, &[], &[]) else {
            panic!("empty problem is optimal");
        };
        assert_eq!(sol.cost, 0);
    }
}
