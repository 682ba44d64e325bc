//! The primal network simplex engine behind [`crate::min_cost_flow`] and
//! [`crate::McfSolver`].
//!
//! The design follows LEMON's `NetworkSimplex` (version 1.3): the basis is a spanning tree
//! rooted at an artificial node, stored as parent / predecessor-arc / preorder-thread /
//! subtree-size arrays; entering arcs are chosen by block search over blocks of about √m
//! arcs; the leaving arc is the last blocking arc of the cycle, which keeps the tree strongly
//! feasible and rules out cycling.
//!
//! Arcs `0..m` are the network's (in the solver's internal order), arcs `m..m + n` the
//! artificial ones: arc `m + v` joins node `v` and the root `n`. An artificial arc pointing
//! up (`v -> root`) costs 0 and one pointing down (`root -> v`) costs `art_cost`. Which way
//! it points is only stored for arcs in the tree, as the direction of the node's
//! predecessor arc: outside the tree an artificial arc carries no flow and can be turned
//! either way when it enters again. Every unit
//! of artificial flow leaves the root on a down arc and returns on an up arc, so it costs
//! `art_cost`, which exceeds the cost of any simple path: an optimum that still carries
//! artificial flow proves the real problem infeasible. Only the real arcs are priced, so an
//! artificial arc that leaves the tree never re-enters it.
//!
//! As in LEMON, the solver stores the arcs in a mixed order (see `mcf_solver::mixed_order`)
//! so that every block samples the whole network, and a cold start begins with a few
//! heuristic pivots ([`Simplex::initial_pivots`]). Beyond LEMON, the tree walks that are
//! bound by memory latency follow two independent chains at once: the two sides of the
//! cycle in the ratio test and the flow update, and the moved subtree walked from both ends
//! of its preorder segment in the potential update.
//!
//! Besides the cold start, the engine can *repair* a basis after the bounds or supplies
//! changed (see [`Simplex::repair`]), which is what makes warm re-solves cheap.

use std::sync::Arc as Shared;

use crate::network::INF;

pub(crate) const NIL: u32 = u32::MAX;
pub(crate) const STATE_UPPER: i8 = -1;
pub(crate) const STATE_TREE: i8 = 0;
pub(crate) const STATE_LOWER: i8 = 1;
/// The predecessor arc points from the node up to its parent.
const DIR_UP: i8 = 1;
/// The predecessor arc points from the parent down to the node.
const DIR_DOWN: i8 = -1;

/// How a pivoting run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Finish {
    /// No arc prices out: the basis is optimal (for the problem with artificial arcs).
    Optimal,
    /// An entering arc closes a cycle without a blocking arc; the basis is valid but not
    /// optimal.
    Unbounded,
}

/// Network simplex state: the problem in internal arc order and the current basis.
#[derive(Clone, Debug)]
pub(crate) struct Simplex {
    n: usize,
    m: usize,
    /// Per real arc (`m`): endpoints (shared between copies, they never change) and cost.
    pub(crate) tail: Shared<[u32]>,
    pub(crate) head: Shared<[u32]>,
    pub(crate) cost: Vec<i64>,
    /// Per arc (`m + n`): residual capacity `upper - lower` (or [`INF`]), flow above the
    /// lower bound, and state (`STATE_*`).
    pub(crate) cap: Vec<i64>,
    pub(crate) flow: Vec<i64>,
    pub(crate) state: Vec<i8>,
    /// Per node (`n + 1`): potential and spanning-tree structure.
    pub(crate) pi: Vec<i64>,
    parent: Vec<u32>,
    pred: Vec<u32>,
    pred_dir: Vec<i8>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    succ_num: Vec<u32>,
    last_succ: Vec<u32>,
    /// Scratch for the tree update.
    dirty_revs: Vec<u32>,
    /// Cost of a down artificial arc.
    pub(crate) art_cost: i64,
    block_size: usize,
    next_arc: usize,
    /// Pivots since construction (bound flips included).
    pub(crate) pivots: u64,
}

/// Arcs priced per block: LEMON's √m (at least 10), doubled for networks with more than
/// eight arcs per node, where pivots (whose cost grows with the tree) are dearer relative to
/// pricing and better-chosen entering arcs save more than the longer scan costs.
fn block_size(n: usize, m: usize) -> usize {
    let factor = if m >= 8 * n { 2.0 } else { 1.0 };
    ((factor * (m as f64).sqrt()) as usize).max(10)
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
    /// A simplex over `n` nodes and the real arcs given by `tail`, `head`, `cap` (residual
    /// capacities, [`INF`] for none) and `cost`, all in internal order. Call
    /// [`Simplex::cold_start`] before pivoting.
    pub(crate) fn new(
        n: usize,
        tail: Shared<[u32]>,
        head: Shared<[u32]>,
        mut cap: Vec<i64>,
        cost: Vec<i64>,
    ) -> Self {
        let m = tail.len();
        let all = m + n;
        cap.resize(all, INF);
        Simplex {
            n,
            m,
            tail,
            head,
            cost,
            cap,
            flow: vec![0; all],
            state: vec![STATE_LOWER; all],
            pi: vec![0; n + 1],
            parent: vec![NIL; n + 1],
            pred: vec![NIL; n + 1],
            pred_dir: vec![DIR_UP; n + 1],
            thread: vec![0; n + 1],
            rev_thread: vec![0; n + 1],
            succ_num: vec![1; n + 1],
            last_succ: vec![0; n + 1],
            dirty_revs: Vec::new(),
            art_cost: 1,
            block_size: block_size(n, m),
            next_arc: 0,
            pivots: 0,
        }
    }

    #[inline]
    pub(crate) fn n_real_arcs(&self) -> usize {
        self.m
    }

    /// Sets up LEMON's starting basis: every real arc at its lower bound, every node hung
    /// below the root by its artificial arc, which carries the node's supply.
    pub(crate) fn cold_start(&mut self, supply: &[i64], art_cost: i64) {
        let (n, m) = (self.n, self.m);
        let root = n as u32;
        self.art_cost = art_cost;
        self.flow[..m].fill(0);
        self.state[..m].fill(STATE_LOWER);
        self.parent[n] = NIL;
        self.pred[n] = NIL;
        self.thread[n] = 0;
        self.rev_thread[0] = root;
        self.succ_num[n] = n as u32 + 1;
        self.last_succ[n] = if n == 0 { root } else { n as u32 - 1 };
        self.pi[n] = 0;
        for (u, &b) in supply[..n].iter().enumerate() {
            let e = m + u;
            self.parent[u] = root;
            self.pred[u] = e as u32;
            self.thread[u] = u as u32 + 1;
            self.rev_thread[u + 1] = u as u32;
            self.succ_num[u] = 1;
            self.last_succ[u] = u as u32;
            self.state[e] = STATE_TREE;
            self.orient_artificial(u, b);
            self.pi[u] = if b >= 0 { 0 } else { art_cost };
        }
        self.next_arc = 0;
    }

    /// Points the artificial arc of `u`, which must be its predecessor arc, so that it
    /// carries `amount` (up if `amount >= 0`, down otherwise). Does not touch the
    /// potentials.
    fn orient_artificial(&mut self, u: usize, amount: i64) {
        let e = self.m + u;
        if amount >= 0 {
            self.pred_dir[u] = DIR_UP;
            self.flow[e] = amount;
        } else {
            self.pred_dir[u] = DIR_DOWN;
            self.flow[e] = -amount;
        }
    }

    /// Cost of the predecessor arc of `v`, artificial or not.
    #[inline]
    fn pred_cost(&self, v: usize) -> i64 {
        let e = self.pred[v] as usize;
        if e < self.m {
            self.cost[e]
        } else if self.pred_dir[v] == DIR_DOWN {
            self.art_cost
        } else {
            0
        }
    }

    /// Tail and head of arc `e`; an artificial arc outside the tree is reported pointing up.
    #[cfg(test)]
    fn endpoints(&self, e: usize) -> (usize, usize) {
        if e < self.m {
            (self.tail[e] as usize, self.head[e] as usize)
        } else {
            let v = e - self.m;
            let root = self.n;
            if self.pred[v] as usize == e && self.pred_dir[v] == DIR_DOWN {
                (root, v)
            } else {
                (v, root)
            }
        }
    }

    /// LEMON's heuristic first pivots for a cold start: for a single source and sink, the
    /// arcs of a reverse search from the sink over arcs wide enough for the whole supply;
    /// otherwise the cheapest arc into every demand node. Returns `false` if one of them
    /// proves the problem unbounded.
    pub(crate) fn initial_pivots(&mut self, supply: &[i64]) -> bool {
        let (n, m) = (self.n, self.m);
        let mut total: i64 = 0;
        let (mut n_supply, mut n_demand) = (0usize, 0usize);
        let (mut source, mut sink) = (0usize, 0usize);
        for (v, &b) in supply.iter().enumerate() {
            if b > 0 {
                total += b;
                n_supply += 1;
                source = v;
            } else if b < 0 {
                n_demand += 1;
                sink = v;
            }
        }
        if total <= 0 {
            return true;
        }
        let mut arcs: Vec<u32> = Vec::new();
        if n_supply == 1 && n_demand == 1 {
            // Reverse depth-first search from the sink over arcs of capacity >= total.
            let mut first = vec![0u32; n + 1];
            for &h in &self.head[..m] {
                first[h as usize + 1] += 1;
            }
            for v in 0..n {
                first[v + 1] += first[v];
            }
            let mut next = first.clone();
            let mut in_arcs = vec![0u32; m];
            for (e, &h) in self.head[..m].iter().enumerate() {
                in_arcs[next[h as usize] as usize] = e as u32;
                next[h as usize] += 1;
            }
            let mut reached = vec![false; n];
            let mut stack = vec![sink as u32];
            reached[sink] = true;
            while let Some(v) = stack.pop() {
                if v as usize == source {
                    break;
                }
                let v = v as usize;
                for &e in &in_arcs[first[v] as usize..first[v + 1] as usize] {
                    let u = self.tail[e as usize] as usize;
                    if !reached[u] && self.cap[e as usize] >= total {
                        arcs.push(e);
                        reached[u] = true;
                        stack.push(u as u32);
                    }
                }
            }
        } else {
            // The cheapest arc into each demand node, found in one pass over the arcs.
            let mut best = vec![NIL; n];
            for (e, (&h, &c)) in self.head[..m].iter().zip(&self.cost[..m]).enumerate() {
                let h = h as usize;
                if supply[h] < 0 && (best[h] == NIL || c < self.cost[best[h] as usize]) {
                    best[h] = e as u32;
                }
            }
            arcs.extend(best.into_iter().filter(|&e| e != NIL));
        }
        for e in arcs {
            let e = e as usize;
            if self.violation(e) >= 0 {
                continue;
            }
            if self.pivot(e).is_none() {
                return false;
            }
        }
        true
    }

    /// `state * reduced cost`: negative exactly when arc `e` prices out.
    #[inline]
    fn violation(&self, e: usize) -> i64 {
        let reduced =
            self.cost[e] + self.pi[self.tail[e] as usize] - self.pi[self.head[e] as usize];
        i64::from(self.state[e]) * reduced
    }

    /// Pivots until optimal or unbounded.
    pub(crate) fn run(&mut self) -> Finish {
        loop {
            if let Some(finish) = self.run_within(u64::MAX) {
                return finish;
            }
        }
    }

    /// Pivots until optimal or unbounded, or `None` once `budget` pivots have been made
    /// without finishing.
    pub(crate) fn run_within(&mut self, budget: u64) -> Option<Finish> {
        self.run_with(budget, |_| {})
    }

    /// As [`Simplex::run_within`], calling `after_pivot` after every pivot (tests check the
    /// tree there).
    pub(crate) fn run_with(
        &mut self,
        budget: u64,
        mut after_pivot: impl FnMut(&Self),
    ) -> Option<Finish> {
        let mut done = 0u64;
        while let Some(in_arc) = self.find_entering_arc() {
            if done >= budget {
                return None;
            }
            done += 1;
            if self.pivot(in_arc).is_none() {
                return Some(Finish::Unbounded);
            }
            after_pivot(self);
        }
        Some(Finish::Optimal)
    }

    /// One pivot on entering arc `in_arc`: `None` if the cycle is unbounded, otherwise
    /// `Some(changed)` where `changed` tells whether the tree changed (not a bound flip).
    fn pivot(&mut self, in_arc: usize) -> Option<bool> {
        let join = self.find_join(in_arc);
        let p = self.find_leaving_arc(in_arc, join);
        if p.delta == INF {
            return None;
        }
        self.pivots += 1;
        self.change_flow(&p);
        if p.change {
            self.update_tree(&p);
            self.update_potentials(&p);
        }
        Some(p.change)
    }

    /// Block search: scan blocks of `block_size` arcs, starting where the last search
    /// stopped, and return the most violating arc of the first block that has one.
    fn find_entering_arc(&mut self) -> Option<usize> {
        let m = self.m;
        let state = &self.state[..m];
        let cost = &self.cost[..m];
        let tail = &self.tail[..m];
        let head = &self.head[..m];
        let pi = &self.pi[..];
        let block = self.block_size;
        let mut min = 0i64;
        let mut best = 0usize;
        let mut count = block;
        for (lo, hi) in [(self.next_arc, m), (0, self.next_arc)] {
            for e in lo..hi {
                // Arcs in the tree have state 0 and so never violate.
                let reduced = cost[e] + pi[tail[e] as usize] - pi[head[e] as usize];
                let violation = i64::from(state[e]) * reduced;
                if violation < min {
                    min = violation;
                    best = e;
                }
                count -= 1;
                if count == 0 {
                    if min < 0 {
                        self.next_arc = e;
                        return Some(best);
                    }
                    count = block;
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
    ///
    /// The two sides of the cycle are walked in one loop: the walks are bound by memory
    /// latency, and two independent chains of loads overlap.
    fn find_leaving_arc(&self, in_arc: usize, join: u32) -> Pivot {
        let (first, second) = if self.state[in_arc] == STATE_LOWER {
            (self.tail[in_arc], self.head[in_arc])
        } else {
            (self.head[in_arc], self.tail[in_arc])
        };
        // From `first` up to `join` the cycle runs parent -> child, i.e. along DIR_DOWN arcs;
        // the blocking arc there is the first minimum met. From `second` up to `join` it runs
        // child -> parent, along DIR_UP arcs; the blocking arc there is the last minimum.
        let (mut d1, mut out1) = (i64::MAX, NIL);
        let (mut d2, mut out2) = (i64::MAX, NIL);
        let (mut u, mut v) = (first, second);
        while u != join && v != join {
            let d = self.residual(u, DIR_DOWN);
            if d < d1 {
                d1 = d;
                out1 = u;
            }
            let d = self.residual(v, DIR_UP);
            if d <= d2 {
                d2 = d;
                out2 = v;
            }
            u = self.parent[u as usize];
            v = self.parent[v as usize];
        }
        while u != join {
            let d = self.residual(u, DIR_DOWN);
            if d < d1 {
                d1 = d;
                out1 = u;
            }
            u = self.parent[u as usize];
        }
        while v != join {
            let d = self.residual(v, DIR_UP);
            if d <= d2 {
                d2 = d;
                out2 = v;
            }
            v = self.parent[v as usize];
        }
        let mut delta = self.cap[in_arc];
        let mut side = 0;
        let mut u_out = NIL;
        if out1 != NIL && d1 < delta {
            delta = d1;
            u_out = out1;
            side = 1;
        }
        if out2 != NIL && d2 <= delta {
            delta = d2;
            u_out = out2;
            side = 2;
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

    /// Residual capacity of the predecessor arc of `u` in the direction of a flow change
    /// that runs along the arc if it points `along`, against it otherwise.
    #[inline(always)]
    fn residual(&self, u: u32, along: i8) -> i64 {
        let e = self.pred[u as usize] as usize;
        if self.pred_dir[u as usize] == along {
            let c = self.cap[e];
            if c == INF {
                INF
            } else {
                c - self.flow[e]
            }
        } else {
            self.flow[e]
        }
    }

    fn change_flow(&mut self, p: &Pivot) {
        if p.delta > 0 {
            let val = i64::from(self.state[p.in_arc]) * p.delta;
            self.flow[p.in_arc] += val;
            // Both sides in one loop, as in `find_leaving_arc`.
            let (mut u, mut v) = (self.tail[p.in_arc], self.head[p.in_arc]);
            while u != p.join && v != p.join {
                let e = self.pred[u as usize] as usize;
                self.flow[e] -= i64::from(self.pred_dir[u as usize]) * val;
                let e = self.pred[v as usize] as usize;
                self.flow[e] += i64::from(self.pred_dir[v as usize]) * val;
                u = self.parent[u as usize];
                v = self.parent[v as usize];
            }
            while u != p.join {
                let e = self.pred[u as usize] as usize;
                self.flow[e] -= i64::from(self.pred_dir[u as usize]) * val;
                u = self.parent[u as usize];
            }
            while v != p.join {
                let e = self.pred[v as usize] as usize;
                self.flow[e] += i64::from(self.pred_dir[v as usize]) * val;
                v = self.parent[v as usize];
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

    /// Replaces the leaving arc by the entering arc: the subtree under `u_out` is re-rooted
    /// at `u_in` (reversing the stem path between them) and hung below `v_in`. This is
    /// LEMON's `updateTreeStructure`, which relinks the preorder thread in time
    /// proportional to the stem length plus the paths to `join`.
    fn update_tree(&mut self, p: &Pivot) {
        let (u_in, v_in, u_out, join) = (p.u_in, p.v_in, p.u_out, p.join);
        let in_arc = p.in_arc as u32;
        let old_rev_thread = self.rev_thread[u_out as usize];
        let old_succ_num = self.succ_num[u_out as usize];
        let old_last_succ = self.last_succ[u_out as usize];
        let v_out = self.parent[u_out as usize];
        let in_dir = if self.tail[p.in_arc] == u_in {
            DIR_UP
        } else {
            DIR_DOWN
        };

        if u_in == u_out {
            self.parent[u_in as usize] = v_in;
            self.pred[u_in as usize] = in_arc;
            self.pred_dir[u_in as usize] = in_dir;
            if self.thread[v_in as usize] != u_out {
                let mut after = self.thread[old_last_succ as usize];
                self.thread[old_rev_thread as usize] = after;
                self.rev_thread[after as usize] = old_rev_thread;
                after = self.thread[v_in as usize];
                self.thread[v_in as usize] = u_out;
                self.rev_thread[u_out as usize] = v_in;
                self.thread[old_last_succ as usize] = after;
                self.rev_thread[after as usize] = old_last_succ;
            }
        } else {
            // If `old_rev_thread == v_in` then `join == v_out` and the moved subtree already
            // follows `v_in` in the thread.
            let thread_continue = if old_rev_thread == v_in {
                self.thread[old_last_succ as usize]
            } else {
                self.thread[v_in as usize]
            };
            // Walk the stem from `u_in` up to `u_out`, splicing each stem node's subtree
            // (without the part already moved) after the previous one.
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = self.last_succ[u_in as usize];
            let mut after = self.thread[last as usize];
            self.thread[v_in as usize] = u_in;
            self.dirty_revs.clear();
            self.dirty_revs.push(v_in);
            while stem != u_out {
                let next_stem = self.parent[stem as usize];
                self.thread[last as usize] = next_stem;
                self.dirty_revs.push(last);
                let before = self.rev_thread[stem as usize];
                self.thread[before as usize] = after;
                self.rev_thread[after as usize] = before;
                self.parent[stem as usize] = par_stem;
                par_stem = stem;
                stem = next_stem;
                last = if self.last_succ[stem as usize] == self.last_succ[par_stem as usize] {
                    self.rev_thread[par_stem as usize]
                } else {
                    self.last_succ[stem as usize]
                };
                after = self.thread[last as usize];
            }
            self.parent[u_out as usize] = par_stem;
            self.thread[last as usize] = thread_continue;
            self.rev_thread[thread_continue as usize] = last;
            self.last_succ[u_out as usize] = last;
            if old_rev_thread != v_in {
                self.thread[old_rev_thread as usize] = after;
                self.rev_thread[after as usize] = old_rev_thread;
            }
            for &u in &self.dirty_revs {
                let next = self.thread[u as usize];
                self.rev_thread[next as usize] = u;
            }
            // Predecessor arcs, directions, sizes and last successors along the stem.
            let mut tmp_sc = 0u32;
            let tmp_ls = self.last_succ[u_out as usize];
            let mut u = u_out;
            while u != u_in {
                let p = self.parent[u as usize];
                self.pred[u as usize] = self.pred[p as usize];
                self.pred_dir[u as usize] = -self.pred_dir[p as usize];
                tmp_sc = tmp_sc
                    .wrapping_add(self.succ_num[u as usize])
                    .wrapping_sub(self.succ_num[p as usize]);
                self.succ_num[u as usize] = tmp_sc;
                self.last_succ[p as usize] = tmp_ls;
                u = p;
            }
            self.pred[u_in as usize] = in_arc;
            self.pred_dir[u_in as usize] = in_dir;
            self.succ_num[u_in as usize] = old_succ_num;
        }

        // Last successors from `v_in` and from `v_out` towards the root.
        let up_limit_out = if self.last_succ[join as usize] == v_in {
            join
        } else {
            NIL
        };
        let last_succ_out = self.last_succ[u_out as usize];
        let mut u = v_in;
        while u != NIL && self.last_succ[u as usize] == v_in {
            self.last_succ[u as usize] = last_succ_out;
            u = self.parent[u as usize];
        }
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out;
            while u != up_limit_out && self.last_succ[u as usize] == old_last_succ {
                self.last_succ[u as usize] = old_rev_thread;
                u = self.parent[u as usize];
            }
        } else if last_succ_out != old_last_succ {
            let mut u = v_out;
            while u != up_limit_out && self.last_succ[u as usize] == old_last_succ {
                self.last_succ[u as usize] = last_succ_out;
                u = self.parent[u as usize];
            }
        }
        // Subtree sizes between `v_in` / `v_out` and `join`.
        let mut u = v_in;
        while u != join {
            self.succ_num[u as usize] += old_succ_num;
            u = self.parent[u as usize];
        }
        let mut u = v_out;
        while u != join {
            self.succ_num[u as usize] -= old_succ_num;
            u = self.parent[u as usize];
        }
    }

    /// Shifts the potentials of the moved subtree so the entering arc has reduced cost 0.
    ///
    /// The subtree is a contiguous piece of the thread, walked from both ends at once: the
    /// walk is bound by memory latency, and two independent chains of loads overlap.
    fn update_potentials(&mut self, p: &Pivot) {
        let u_in = p.u_in as usize;
        let sigma = self.pi[p.v_in as usize]
            - self.pi[u_in]
            - i64::from(self.pred_dir[u_in]) * self.cost[p.in_arc];
        let size = self.succ_num[u_in] as usize;
        let (thread, rev_thread, pi) = (&self.thread, &self.rev_thread, &mut self.pi);
        let mut front = u_in;
        let mut back = self.last_succ[u_in] as usize;
        for _ in 0..size / 2 {
            pi[front] += sigma;
            pi[back] += sigma;
            front = thread[front] as usize;
            back = rev_thread[back] as usize;
        }
        if size % 2 == 1 {
            pi[front] += sigma;
        }
    }

    pub(crate) fn artificial_flow_is_zero(&self) -> bool {
        self.flow[self.m..].iter().all(|&f| f == 0)
    }

    /// Recomputes every potential from the tree, root first in preorder, so that tree arcs
    /// have reduced cost 0. O(n).
    pub(crate) fn recompute_potentials(&mut self) {
        let root = self.n;
        self.pi[root] = 0;
        let mut v = self.thread[root] as usize;
        while v != root {
            let p = self.parent[v] as usize;
            // Up arc v -> p: cost + pi[v] - pi[p] = 0; down arc p -> v: cost + pi[p] - pi[v] = 0.
            self.pi[v] = self.pi[p] - i64::from(self.pred_dir[v]) * self.pred_cost(v);
            v = self.thread[v] as usize;
        }
    }

    /// Sets the cost of the down artificial arcs (potentials must be recomputed
    /// afterwards).
    pub(crate) fn set_art_cost(&mut self, art_cost: i64) {
        self.art_cost = art_cost;
    }

    /// Makes the current basis primal feasible again for new residual capacities (already
    /// stored in `cap`) and new supplies, keeping as much of the tree as possible.
    ///
    /// Non-tree arcs are put back on their bounds, and the flow on each tree arc is
    /// recomputed bottom-up from the supplies of its subtree. A tree arc whose new flow is
    /// out of bounds, or degenerate the wrong way round for strong feasibility, is taken
    /// out of the tree at its nearest bound, and its subtree is hung on the root by its
    /// artificial arc, which carries the subtree's imbalance; the big-M cost of that arc
    /// then makes the following primal pivots drive the flow back onto real arcs, as in
    /// phase 1. The result is a strongly feasible basis; potentials are recomputed.
    ///
    /// Returns the number of tree arcs replaced. O(n + m).
    pub(crate) fn repair(&mut self, supply: &[i64]) -> usize {
        let (n, m) = (self.n, self.m);
        let root = n;
        // 1. Non-tree arcs sit on a bound of their (possibly new) capacity.
        let mut excess: Vec<i64> = Vec::with_capacity(n + 1);
        excess.extend_from_slice(supply);
        excess.push(0);
        for e in 0..m {
            match self.state[e] {
                STATE_LOWER => self.flow[e] = 0,
                STATE_UPPER => {
                    let c = self.cap[e];
                    if c == INF || c == 0 {
                        self.state[e] = STATE_LOWER;
                        self.flow[e] = 0;
                    } else {
                        self.flow[e] = c;
                        excess[self.tail[e] as usize] -= c;
                        excess[self.head[e] as usize] += c;
                    }
                }
                _ => {}
            }
        }
        // 2. Tree flows bottom-up, in reverse preorder.
        let mut cuts = 0;
        let mut v = self.rev_thread[root] as usize;
        while v != root {
            let s = excess[v];
            let e = self.pred[v] as usize;
            let p = self.parent[v] as usize;
            if e >= m {
                self.orient_artificial(v, s);
            } else {
                let up = self.pred_dir[v] == DIR_UP;
                let f = if up { s } else { -s };
                let c = self.cap[e];
                let within = f >= 0 && (c == INF || f <= c);
                let strongly = if up { c == INF || f < c } else { f > 0 };
                if within && strongly {
                    self.flow[e] = f;
                    excess[p] += s;
                } else {
                    // Leave the arc at its nearest bound and let the artificial arc carry
                    // what it cannot.
                    let bound = if f <= 0 { 0 } else { c };
                    self.flow[e] = bound;
                    self.state[e] = if bound == 0 { STATE_LOWER } else { STATE_UPPER };
                    let to_parent = if up { bound } else { -bound };
                    excess[p] += to_parent;
                    let a = m + v;
                    self.state[a] = STATE_TREE;
                    self.parent[v] = root as u32;
                    self.pred[v] = a as u32;
                    self.orient_artificial(v, s - to_parent);
                    cuts += 1;
                }
            }
            v = self.rev_thread[v] as usize;
        }
        if cuts > 0 {
            self.rebuild_thread();
        }
        self.recompute_potentials();
        cuts
    }

    /// Rebuilds the preorder thread, subtree sizes and last successors from `parent`. O(n).
    fn rebuild_thread(&mut self) {
        let n = self.n;
        let root = n;
        // Children lists in counting-sort form.
        let mut first = vec![0u32; n + 2];
        for v in 0..n {
            first[self.parent[v] as usize + 1] += 1;
        }
        for v in 0..=n {
            first[v + 1] += first[v];
        }
        let mut next = first.clone();
        let mut children = vec![0u32; n];
        for v in 0..n {
            let p = self.parent[v] as usize;
            children[next[p] as usize] = v as u32;
            next[p] += 1;
        }
        // Iterative depth-first preorder.
        let mut order: Vec<u32> = Vec::with_capacity(n + 1);
        let mut stack = vec![root as u32];
        while let Some(v) = stack.pop() {
            order.push(v);
            let v = v as usize;
            stack.extend(
                children[first[v] as usize..first[v + 1] as usize]
                    .iter()
                    .rev(),
            );
        }
        for i in 0..order.len() {
            let v = order[i];
            let w = order[(i + 1) % order.len()];
            self.thread[v as usize] = w;
            self.rev_thread[w as usize] = v;
        }
        for &v in order.iter().rev() {
            let v = v as usize;
            let kids = &children[first[v] as usize..first[v + 1] as usize];
            self.succ_num[v] = 1 + kids.iter().map(|&c| self.succ_num[c as usize]).sum::<u32>();
            self.last_succ[v] = match kids.last() {
                Some(&c) => self.last_succ[c as usize],
                None => v as u32,
            };
        }
    }
}

#[cfg(test)]
impl Simplex {
    /// Checks every invariant of the basis; panics with a description on the first breach.
    /// `strong` also checks strong feasibility.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn validate(&self, supply: &[i64], strong: bool) {
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
            let (t, h) = self.endpoints(e);
            match self.pred_dir[v] {
                DIR_UP => assert!(t == v && h == p, "arc {e} does not go {v} -> {p}"),
                _ => assert!(t == p && h == v, "arc {e} does not go {p} -> {v}"),
            }
            if e >= m {
                assert_eq!(e, m + v, "artificial arc {e} is not the one of {v}");
            }
            let reduced = self.pred_cost(v) + self.pi[t] - self.pi[h];
            assert_eq!(reduced, 0, "tree arc {e} has reduced cost {reduced}");
            if strong {
                let f = self.flow[e];
                let ok = match self.pred_dir[v] {
                    DIR_UP => self.cap[e] == INF || f < self.cap[e],
                    _ => f > 0,
                };
                assert!(ok, "tree arc {e} of {v} breaks strong feasibility");
            }
            let mut u = v;
            while self.parent[u] != NIL {
                u = self.parent[u] as usize;
                size[u] += 1;
            }
        }
        let n_tree = self.state.iter().filter(|&&s| s == STATE_TREE).count();
        assert_eq!(n_tree, n, "tree has {n_tree} arcs for {n} nodes");
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
            let (t, h) = self.endpoints(e);
            balance[t] += f;
            balance[h] -= f;
        }
        assert_eq!(&balance[..n], supply, "flow does not meet the supplies");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A simplex over random arcs `(tail, head, cap, cost)` with balanced supplies.
    fn build(n: usize, arcs: &[(u32, u32, i64, i64)]) -> Simplex {
        let m = arcs.len();
        let mut max_cost = 0;
        let (mut tail, mut head, mut cap, mut cost) = (
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
        );
        for &(t, h, u, c) in arcs {
            tail.push(t % n as u32);
            head.push(h % n as u32);
            cap.push(u);
            cost.push(c);
            max_cost = max_cost.max(c.abs());
        }
        let mut s = Simplex::new(n, tail.into(), head.into(), cap, cost);
        s.art_cost = n as i64 * max_cost + 1;
        s
    }

    fn balanced(raw: &[i64], n: usize) -> Vec<i64> {
        let mut supply = raw[..n].to_vec();
        let sum: i64 = supply.iter().sum();
        supply[0] -= sum;
        supply
    }

    fn arcs() -> impl Strategy<Value = Vec<(u32, u32, i64, i64)>> {
        proptest::collection::vec(
            (0u32..14, 0u32..14, 0i64..8, -6i64..10, any::<bool>())
                .prop_map(|(t, h, u, c, inf)| (t, h, if inf && c >= 0 { INF } else { u }, c)),
            0..50,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Every pivot of a cold solve leaves a consistent, strongly feasible basis.
        #[test]
        fn every_pivot_keeps_the_tree_consistent(
            n in 1usize..14,
            arcs in arcs(),
            raw_supply in proptest::collection::vec(-6i64..7, 14),
        ) {
            let supply = balanced(&raw_supply, n);
            let mut simplex = build(n, &arcs);
            let art = simplex.art_cost;
            simplex.cold_start(&supply, art);
            simplex.validate(&supply, true);
            prop_assert!(simplex.initial_pivots(&supply));
            simplex.validate(&supply, true);
            let mut pivots = 0;
            let outcome = simplex.run_with(10_000, |s| {
                pivots += 1;
                s.validate(&supply, true);
            });
            prop_assert_eq!(outcome, Some(Finish::Optimal));
        }

        /// After new capacities and supplies, the repaired basis is consistent and strongly
        /// feasible, and so is every pivot from it.
        #[test]
        fn repair_then_pivot_keeps_the_tree_consistent(
            n in 1usize..14,
            arcs in arcs(),
            raw_supply in proptest::collection::vec(-6i64..7, 14),
            raw_supply2 in proptest::collection::vec(-6i64..7, 14),
            new_caps in proptest::collection::vec((0usize..50, 0i64..8), 0..6),
        ) {
            let supply = balanced(&raw_supply, n);
            let mut simplex = build(n, &arcs);
            let art = simplex.art_cost;
            simplex.cold_start(&supply, art);
            simplex.run_within(10_000);
            for &(a, c) in &new_caps {
                if a < arcs.len() {
                    simplex.cap[a] = c;
                }
            }
            let supply = balanced(&raw_supply2, n);
            simplex.repair(&supply);
            simplex.validate(&supply, true);
            let outcome = simplex.run_with(10_000, |s| s.validate(&supply, true));
            prop_assert!(outcome.is_some());
        }
    }
}
