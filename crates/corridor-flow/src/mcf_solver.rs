//! An incremental min-cost-flow solver that keeps its simplex basis between solves.

use std::sync::Arc as Shared;

use crate::min_cost_flow::{McfOutcome, McfSolution};
use crate::network::{ArcIdx, Network, NodeIdx, INF};
use crate::simplex::{Finish, Simplex, STATE_LOWER, STATE_TREE};
use crate::FlowError;

/// Tuning of an [`McfSolver`]. The defaults suit most uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct McfConfig {
    /// Re-optimise from the previous basis after changes (`true`, the default), or solve
    /// every time from scratch.
    pub warm_start: bool,
    /// A warm re-solve that has made this many pivots gives up and starts cold. `None`
    /// (the default) means half the pivots of the last cold solve, and at least 100.
    pub warm_pivot_budget: Option<u64>,
    /// Changes to bounds and supplies since the last solve, as a fraction of
    /// `n_nodes + n_arcs`, beyond which the next solve starts cold without trying to repair
    /// the basis. Default 0.2.
    pub max_changed_fraction: f64,
}

impl Default for McfConfig {
    fn default() -> Self {
        McfConfig {
            warm_start: true,
            warm_pivot_budget: None,
            max_changed_fraction: 0.2,
        }
    }
}

/// How the last [`McfSolver::solve`] started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SolveStart {
    /// Nothing has been solved yet.
    #[default]
    NotSolved,
    /// From LEMON's starting basis of artificial arcs.
    Cold,
    /// From the previous basis, repaired where the changes broke it.
    Warm,
    /// A warm start ran out of its pivot budget and the solve restarted cold.
    WarmThenCold,
    /// The previous basis was still optimal: no pivot was needed.
    Reused,
    /// The answer followed from the data without pivoting (supplies that do not sum to
    /// zero).
    Trivial,
}

/// Counters of an [`McfSolver`], as returned by [`McfSolver::stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SolveStats {
    /// How the last solve started.
    pub start: SolveStart,
    /// Pivots of the last solve, bound flips and any abandoned warm attempt included.
    pub pivots: u64,
    /// Tree arcs that the repair of the last warm start replaced by artificial arcs.
    pub repaired_arcs: usize,
    /// Solves so far.
    pub solves: u64,
    /// Solves so far that started cold (`Cold` or `WarmThenCold`).
    pub cold_solves: u64,
    /// Pivots over all solves.
    pub total_pivots: u64,
}

/// A saved state of an [`McfSolver`]: the problem data and the basis, as taken by
/// [`McfSolver::snapshot`].
#[derive(Clone, Debug)]
pub struct Basis(State);

/// The outcome of the last pivoting on the current basis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// The basis is optimal for the problem with artificial arcs.
    Optimal,
    /// Unbounded: the basis is valid but not optimal.
    Unbounded,
}

/// Everything a [`Basis`] saves. What never changes is shared between copies, so that
/// saving and restoring copies only what a solve can change.
#[derive(Clone, Debug)]
struct State {
    /// The network as given to [`McfSolver::new`]: its endpoints are current, its bounds
    /// and costs are not (see `lower` and the simplex).
    topology: Shared<Network>,
    /// Lower bound of every arc, in the caller's arc order. Upper bounds follow from the
    /// simplex's residual capacities, costs are the simplex's.
    lower: Vec<i64>,
    supply: Vec<i64>,
    /// `supply` with lower bounds moved in, in `i128` so that it cannot overflow.
    shifted: Vec<i128>,
    /// Largest `|cost|` ever set; the artificial cost follows it.
    max_abs_cost: i64,
    simplex: Simplex,
    /// External arc -> internal arc, and node -> weakly connected component.
    pos: Shared<[u32]>,
    component: Shared<[u32]>,
    /// `None` until the basis has been through a solve (or after a failed one).
    status: Option<Status>,
    /// Bounds or supplies changed since the last solve: flows must be repaired.
    primal_dirty: bool,
    /// A tree arc's cost changed: potentials must be recomputed.
    potentials_dirty: bool,
    /// Something changed that may make a non-tree arc price out.
    needs_pricing: bool,
    /// Bound and supply changes since the last solve.
    n_changes: usize,
}

/// A min-cost-flow problem with its network simplex basis, for re-solving fast after
/// changes to bounds, costs and supplies.
///
/// The first [`solve`](McfSolver::solve) starts cold, exactly like [`crate::min_cost_flow`].
/// Later solves start from the previous basis:
/// * a cost change keeps the flow feasible, so pivoting simply resumes (after recomputing
///   the potentials if a tree arc's cost changed);
/// * a bound or supply change may break feasibility. Non-tree arcs are put back on their
///   bounds and the tree flows are recomputed from the supplies; every tree arc whose flow
///   would leave its bounds is taken out of the tree at its nearest bound and its subtree
///   is hung on the root by an artificial arc carrying the imbalance. Those arcs cost
///   "big M", so primal pivoting drives the imbalance back onto real arcs, as in the first
///   phase of the simplex method; an optimum that cannot do so proves infeasibility.
///
/// A warm solve falls back to a cold one when more than
/// [`McfConfig::max_changed_fraction`] of the arcs and nodes changed, or when it exceeds
/// [`McfConfig::warm_pivot_budget`]. Either way the optimal cost is the same as a cold
/// solve's (the optimal flow may differ where several flows are optimal).
///
/// [`snapshot`](McfSolver::snapshot) and [`restore`](McfSolver::restore) save and bring
/// back the data and the basis, which suits "change one thing, solve, undo" sweeps:
///
/// ```
/// use corridor_flow::{McfOutcome, McfSolver, Network, NodeIdx, SolveStart};
///
/// let mut net = Network::new(3);
/// let direct = net.add_arc(NodeIdx(0), NodeIdx(2), 0, 10, 5)?;
/// net.add_arc(NodeIdx(0), NodeIdx(1), 0, 10, 1)?;
/// net.add_arc(NodeIdx(1), NodeIdx(2), 0, 10, 1)?;
/// let mut solver = McfSolver::new(&net, &[8, 0, -8])?;
/// let cost = |out: McfOutcome| match out {
///     McfOutcome::Optimal(sol) => Some(sol.cost),
///     _ => None,
/// };
/// assert_eq!(cost(solver.solve()?), Some(8 * 2));
///
/// // N-1: take each arc out in turn.
/// let base = solver.snapshot();
/// let mut costs = Vec::new();
/// for a in net.arc_indices() {
///     solver.remove_arc(a)?;
///     costs.push(cost(solver.solve()?));
///     solver.restore(&base);
/// }
/// assert_eq!(costs, vec![Some(16), Some(40), Some(40)]);
///
/// // The direct arc gets cheaper.
/// solver.set_cost(direct, 1)?;
/// assert_eq!(cost(solver.solve()?), Some(8));
/// assert_eq!(solver.stats().start, SolveStart::Warm);
/// # Ok::<(), corridor_flow::FlowError>(())
/// ```
#[derive(Clone, Debug)]
pub struct McfSolver {
    config: McfConfig,
    stats: SolveStats,
    /// Pivots of the last cold solve, for the automatic warm budget.
    cold_pivots: u64,
    state: State,
}

impl McfSolver {
    /// A solver for `net` with `supply`, with the default [`McfConfig`]. Nothing is solved
    /// until [`McfSolver::solve`].
    ///
    /// # Errors
    /// As [`crate::min_cost_flow`]: [`FlowError::SupplyLength`], [`FlowError::TooLarge`],
    /// [`FlowError::CostOverflow`].
    pub fn new(net: &Network, supply: &[i64]) -> Result<Self, FlowError> {
        Self::with_config(net, supply, McfConfig::default())
    }

    /// As [`McfSolver::new`], with a [`McfConfig`].
    ///
    /// # Errors
    /// As [`McfSolver::new`].
    pub fn with_config(
        net: &Network,
        supply: &[i64],
        config: McfConfig,
    ) -> Result<Self, FlowError> {
        let n = net.n_nodes();
        let m = net.n_arcs();
        check_supply_len(n, supply)?;
        if n + m + 2 >= u32::MAX as usize {
            return Err(FlowError::TooLarge {
                what: "nodes plus arcs",
                count: n + m,
                max: u32::MAX as usize - 3,
            });
        }
        let mut max_abs_cost = 0i64;
        for &c in net.costs() {
            check_cost(n, c)?;
            max_abs_cost = max_abs_cost.max(c.abs());
        }

        let pos = mixed_order(n, m);
        let (tails, heads, lowers, uppers, costs) = (
            net.tails(),
            net.heads(),
            net.lowers(),
            net.uppers(),
            net.costs(),
        );
        let topology = Shared::new(net.clone());
        let mut tail = vec![0u32; m];
        let mut head = vec![0u32; m];
        let mut cap = vec![0i64; m];
        let mut cost = vec![0i64; m];
        let mut shifted: Vec<i128> = supply.iter().map(|&b| i128::from(b)).collect();
        for a in 0..m {
            let e = pos[a] as usize;
            tail[e] = tails[a];
            head[e] = heads[a];
            cap[e] = residual_cap(lowers[a], uppers[a]);
            cost[e] = costs[a];
            let l = i128::from(lowers[a]);
            shifted[tails[a] as usize] -= l;
            shifted[heads[a] as usize] += l;
        }
        let simplex = Simplex::new(n, tail.into(), head.into(), cap, cost);
        Ok(McfSolver {
            config,
            stats: SolveStats::default(),
            cold_pivots: 0,
            state: State {
                topology,
                lower: lowers.to_vec(),
                supply: supply.to_vec(),
                shifted,
                max_abs_cost,
                simplex,
                pos: pos.into(),
                component: components(net).into(),
                status: None,
                primal_dirty: true,
                potentials_dirty: true,
                needs_pricing: true,
                n_changes: 0,
            },
        })
    }

    /// A copy of the network as currently modified.
    ///
    /// # Complexity
    /// O(n + m).
    pub fn network(&self) -> Network {
        let mut net = Network::clone(&self.state.topology);
        for a in 0..net.n_arcs() {
            let arc = self.arc_at(a);
            // The bounds and costs were checked when they were set.
            let _ = net.set_bounds(ArcIdx(a as u32), arc.lower, arc.upper);
            let _ = net.set_cost(ArcIdx(a as u32), arc.cost);
        }
        net
    }

    /// Checks `s` as a minimum-cost flow of the problem as currently modified (bounds, costs
    /// and supplies), as [`crate::certify_min_cost_flow`] does on [`McfSolver::network`], but
    /// reading the solver's own arrays instead of building a copy of the network: cheap enough
    /// to certify every solve of a long sweep. `Err` names the first condition that fails.
    ///
    /// # Complexity
    /// O(n + m), with one allocation of n integers.
    pub fn certify(&self, s: &McfSolution) -> Result<(), String> {
        crate::certify::check_min_cost_flow(
            self.n_nodes(),
            self.n_arcs(),
            |a| self.arc_at(a),
            self.supply(),
            s,
        )
    }

    /// Number of nodes.
    pub fn n_nodes(&self) -> usize {
        self.state.topology.n_nodes()
    }

    /// Number of arcs.
    pub fn n_arcs(&self) -> usize {
        self.state.topology.n_arcs()
    }

    /// Arc `a` as currently modified.
    ///
    /// # Errors
    /// [`FlowError::ArcOutOfRange`].
    pub fn arc(&self, a: ArcIdx) -> Result<crate::Arc, FlowError> {
        if a.idx() < self.n_arcs() {
            Ok(self.arc_at(a.idx()))
        } else {
            Err(FlowError::ArcOutOfRange {
                arc: a,
                n_arcs: self.n_arcs(),
            })
        }
    }

    fn arc_at(&self, a: usize) -> crate::Arc {
        let st = &self.state;
        let e = st.pos[a] as usize;
        let lower = st.lower[a];
        let cap = st.simplex.cap[e];
        crate::Arc {
            tail: NodeIdx(st.topology.tails()[a]),
            head: NodeIdx(st.topology.heads()[a]),
            lower,
            upper: if cap == INF { INF } else { cap + lower },
            cost: st.simplex.cost[e],
        }
    }

    /// The supplies as currently set.
    pub fn supply(&self) -> &[i64] {
        &self.state.supply
    }

    /// The configuration.
    pub fn config(&self) -> &McfConfig {
        &self.config
    }

    /// Counters of the solves so far.
    pub fn stats(&self) -> SolveStats {
        self.stats
    }

    /// Saves the problem data and the basis.
    ///
    /// # Complexity
    /// O(n + m) time and memory.
    pub fn snapshot(&self) -> Basis {
        Basis(self.state.clone())
    }

    /// Brings back the problem data and the basis saved by [`McfSolver::snapshot`] (of this
    /// solver or of any other: the solver then continues from that one's state). If the
    /// snapshot was taken right after a solve, the next solve pivots no more.
    ///
    /// # Complexity
    /// O(n + m), a copy that reuses this solver's memory.
    pub fn restore(&mut self, basis: &Basis) {
        self.state.clone_from(&basis.0);
    }

    /// Sets the upper bound of arc `a`; `0` takes the arc out of service (if its lower bound
    /// is 0).
    ///
    /// # Errors
    /// As [`Network::set_upper`].
    pub fn set_upper(&mut self, a: ArcIdx, upper: i64) -> Result<(), FlowError> {
        let lower = self.arc(a)?.lower;
        self.set_bounds(a, lower, upper)
    }

    /// Sets both bounds of arc `a`.
    ///
    /// # Errors
    /// As [`Network::set_bounds`].
    pub fn set_bounds(&mut self, a: ArcIdx, lower: i64, upper: i64) -> Result<(), FlowError> {
        let old = self.arc(a)?;
        check_bounds(a, lower, upper)?;
        let st = &mut self.state;
        st.lower[a.idx()] = lower;
        let e = st.pos[a.idx()] as usize;
        if lower != old.lower {
            let shift = i128::from(lower) - i128::from(old.lower);
            st.shifted[old.tail.idx()] -= shift;
            st.shifted[old.head.idx()] += shift;
        }
        let cap = residual_cap(lower, upper);
        let old_cap = st.simplex.cap[e];
        if lower == old.lower && cap == old_cap {
            return Ok(());
        }
        st.simplex.cap[e] = cap;
        // A capacity change of an arc resting at its lower bound moves no flow and keeps an
        // optimal basis optimal (its reduced cost was already non-negative); anything else
        // needs the repair.
        let keeps_basis = lower == old.lower && st.simplex.state[e] == STATE_LOWER;
        if !keeps_basis {
            st.primal_dirty = true;
            st.needs_pricing = true;
            st.n_changes += 1;
        }
        Ok(())
    }

    /// Takes arc `a` out of service: both bounds become 0.
    ///
    /// # Errors
    /// [`FlowError::ArcOutOfRange`].
    pub fn remove_arc(&mut self, a: ArcIdx) -> Result<(), FlowError> {
        self.set_bounds(a, 0, 0)
    }

    /// Sets the cost per unit of arc `a`.
    ///
    /// # Errors
    /// [`FlowError::ArcOutOfRange`]; [`FlowError::CostOverflow`] if `|cost|` exceeds the
    /// limit of [`crate::min_cost_flow`] for this node count.
    pub fn set_cost(&mut self, a: ArcIdx, cost: i64) -> Result<(), FlowError> {
        let old = self.arc(a)?;
        check_cost(self.n_nodes(), cost)?;
        if cost == old.cost {
            return Ok(());
        }
        let st = &mut self.state;
        let e = st.pos[a.idx()] as usize;
        st.simplex.cost[e] = cost;
        st.max_abs_cost = st.max_abs_cost.max(cost.abs());
        if st.simplex.state[e] == STATE_TREE {
            st.potentials_dirty = true;
        }
        st.needs_pricing = true;
        Ok(())
    }

    /// Replaces all supplies.
    ///
    /// # Errors
    /// [`FlowError::SupplyLength`].
    pub fn set_supply(&mut self, supply: &[i64]) -> Result<(), FlowError> {
        check_supply_len(self.n_nodes(), supply)?;
        let st = &mut self.state;
        for (v, (&new, old)) in supply.iter().zip(st.supply.iter_mut()).enumerate() {
            if new != *old {
                st.shifted[v] += i128::from(new) - i128::from(*old);
                *old = new;
                st.primal_dirty = true;
                st.needs_pricing = true;
                st.n_changes += 1;
            }
        }
        Ok(())
    }

    /// Solves the problem as currently set, warm from the previous basis when there is one.
    ///
    /// # Returns
    /// As [`crate::min_cost_flow`].
    ///
    /// # Errors
    /// [`FlowError::Overflow`] if the total `|supply|` (after moving lower bounds into the
    /// supplies) plus all finite capacities reaches `i64::MAX`, or the total cost exceeds
    /// `i128`.
    ///
    /// # Complexity
    /// A cold solve is that of [`crate::min_cost_flow`]. A warm one costs O(n + m) to
    /// repair the basis and check optimality, plus the pivots the changes call for.
    pub fn solve(&mut self) -> Result<McfOutcome, FlowError> {
        let n = self.n_nodes();
        let m = self.n_arcs();
        self.stats.solves += 1;
        self.stats.pivots = 0;
        self.stats.repaired_arcs = 0;

        if self.state.shifted.iter().sum::<i128>() != 0 {
            self.stats.start = SolveStart::Trivial;
            return Ok(McfOutcome::Infeasible);
        }
        let st = &mut self.state;
        let warm = self.config.warm_start
            && st.status.is_some()
            && !(st.primal_dirty
                && st.n_changes as f64 > self.config.max_changed_fraction * (n + m) as f64);
        // The supplies are needed to start cold or to repair; checking them is O(n + m).
        let mut supply = if !warm || st.primal_dirty {
            Some(checked_supply(st)?)
        } else {
            None
        };
        let art_cost = n as i64 * st.max_abs_cost + 1;
        let pivots_before = st.simplex.pivots;
        let mut start = SolveStart::Cold;
        let mut result = None;
        if warm {
            start = SolveStart::Warm;
            if st.simplex.art_cost < art_cost {
                st.simplex.set_art_cost(art_cost);
                st.potentials_dirty = true;
            }
            if let (true, Some(supply)) = (st.primal_dirty, &supply) {
                self.stats.repaired_arcs = st.simplex.repair(supply);
            } else if st.potentials_dirty {
                st.simplex.recompute_potentials();
            }
            if !st.needs_pricing && st.status == Some(Status::Optimal) {
                start = SolveStart::Reused;
                result = Some(Finish::Optimal);
            } else {
                let budget = self
                    .config
                    .warm_pivot_budget
                    .unwrap_or((self.cold_pivots / 2).max(100));
                result = st.simplex.run_within(budget);
                if result.is_none() {
                    start = SolveStart::WarmThenCold;
                }
            }
        }
        let result = match result {
            Some(done) => done,
            None => {
                let supply = match &supply {
                    Some(supply) => supply,
                    None => supply.insert(checked_supply(st)?),
                };
                let before = st.simplex.pivots;
                st.simplex.cold_start(supply, art_cost);
                let done = if st.simplex.initial_pivots(supply) {
                    st.simplex.run()
                } else {
                    Finish::Unbounded
                };
                self.cold_pivots = st.simplex.pivots - before;
                self.stats.cold_solves += 1;
                done
            }
        };
        st.primal_dirty = false;
        st.potentials_dirty = false;
        st.needs_pricing = false;
        st.n_changes = 0;
        self.stats.start = start;
        self.stats.pivots = st.simplex.pivots - pivots_before;
        self.stats.total_pivots += self.stats.pivots;

        match result {
            Finish::Optimal => {
                st.status = Some(Status::Optimal);
                if st.simplex.artificial_flow_is_zero() {
                    self.optimal_outcome()
                } else {
                    Ok(McfOutcome::Infeasible)
                }
            }
            Finish::Unbounded => {
                st.status = Some(Status::Unbounded);
                let supply = match supply {
                    Some(supply) => supply,
                    None => checked_supply(st)?,
                };
                Ok(if feasible(&st.simplex, &supply) {
                    McfOutcome::Unbounded
                } else {
                    McfOutcome::Infeasible
                })
            }
        }
    }

    fn optimal_outcome(&self) -> Result<McfOutcome, FlowError> {
        let st = &self.state;
        let mut flow = Vec::with_capacity(st.lower.len());
        let mut cost: i128 = 0;
        for (&e, &l) in st.pos.iter().zip(&st.lower) {
            let e = e as usize;
            let c = st.simplex.cost[e];
            let f = st.simplex.flow[e]
                .checked_add(l)
                .ok_or(FlowError::Overflow { what: "arc flow" })?;
            flow.push(f);
            cost = i128::from(f)
                .checked_mul(i128::from(c))
                .and_then(|fc| cost.checked_add(fc))
                .ok_or(FlowError::Overflow { what: "total cost" })?;
        }
        let n = self.n_nodes();
        let mut potential = st.simplex.pi[..n].to_vec();
        // Shift potentials so the minimum over each weakly connected component is zero; arcs
        // never join two components, so reduced costs are unchanged.
        let mut min = vec![i64::MAX; n];
        for (&c, &p) in st.component.iter().zip(&potential) {
            min[c as usize] = min[c as usize].min(p);
        }
        for (&c, p) in st.component.iter().zip(&mut potential) {
            *p -= min[c as usize];
        }
        Ok(McfOutcome::Optimal(McfSolution {
            cost,
            flow,
            potential,
        }))
    }
}

/// The shifted supplies as `i64`, after checking that every basic flow stays below
/// [`INF`]. O(n + m).
fn checked_supply(st: &State) -> Result<Vec<i64>, FlowError> {
    let m = st.simplex.n_real_arcs();
    let mut total: i128 = st.shifted.iter().map(|b| b.abs()).sum();
    for &c in &st.simplex.cap[..m] {
        if c != INF {
            total += i128::from(c);
        }
    }
    if total >= i128::from(INF) {
        return Err(FlowError::Overflow {
            what: "total supply plus finite capacities",
        });
    }
    // Every |shifted| is at most `total`, so the conversion is exact.
    Ok(st.shifted.iter().map(|&b| b as i64).collect())
}

/// Whether the problem with the simplex's bounds and `supply` has a feasible flow: the same
/// method with all costs 0, which cannot be unbounded.
fn feasible(simplex: &Simplex, supply: &[i64]) -> bool {
    let m = simplex.n_real_arcs();
    let n = supply.len();
    let mut check = Simplex::new(
        n,
        simplex.tail.clone(),
        simplex.head.clone(),
        simplex.cap[..m].to_vec(),
        vec![0; m],
    );
    check.cold_start(supply, 1);
    check.run() == Finish::Optimal && check.artificial_flow_is_zero()
}

fn check_supply_len(n: usize, supply: &[i64]) -> Result<(), FlowError> {
    if supply.len() == n {
        Ok(())
    } else {
        Err(FlowError::SupplyLength {
            expected: n,
            found: supply.len(),
        })
    }
}

/// Potentials stay within `art + n * max|cost| <= (2n + 1) * max|cost| + 1` and reduced
/// costs within three times that; the limit leaves headroom for both.
pub(crate) fn cost_limit(n: usize) -> i64 {
    (i128::from(i64::MAX) / (4 * (n as i128 + 1) + 2) - 1) as i64
}

/// The bounds check of [`Network::set_bounds`], reported for arc `a`.
fn check_bounds(a: ArcIdx, lower: i64, upper: i64) -> Result<(), FlowError> {
    if lower < 0 || upper < 0 {
        let (bound, value) = if lower < 0 {
            ("lower", lower)
        } else {
            ("upper", upper)
        };
        return Err(FlowError::NegativeBound {
            arc: Some(a),
            bound,
            value,
        });
    }
    if lower > upper {
        return Err(FlowError::LowerExceedsUpper {
            arc: Some(a),
            lower,
            upper,
        });
    }
    Ok(())
}

fn check_cost(n: usize, cost: i64) -> Result<(), FlowError> {
    let limit = cost_limit(n);
    if i128::from(cost).abs() > i128::from(limit) {
        return Err(FlowError::CostOverflow {
            max_abs_cost: cost.checked_abs().unwrap_or(i64::MAX),
            n_nodes: n,
            limit,
        });
    }
    Ok(())
}

#[inline]
fn residual_cap(lower: i64, upper: i64) -> i64 {
    if upper == INF {
        INF
    } else {
        upper - lower
    }
}

/// LEMON's arc mixing: arc `a` goes to internal position `pos[a]`, spreading arcs that are
/// adjacent in the input (typically those leaving one node) over the whole range, so that
/// every block of the block search samples the whole network.
fn mixed_order(n: usize, m: usize) -> Vec<u32> {
    if n <= 1 || m == 0 {
        return (0..m as u32).collect();
    }
    let skip = (m / n).max(3);
    let mut pos = Vec::with_capacity(m);
    let (mut i, mut j) = (0usize, 0usize);
    for _ in 0..m {
        pos.push(i as u32);
        i += skip;
        if i >= m {
            j += 1;
            i = j;
        }
    }
    pos
}

/// Weakly connected component of every node, as the smallest node index in it.
fn components(net: &Network) -> Vec<u32> {
    let n = net.n_nodes();
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
    for v in 0..n as u32 {
        let r = find(&mut comp, v);
        comp[v as usize] = r;
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_order_is_a_permutation() {
        for (n, m) in [(2, 1), (3, 7), (10, 80), (10, 81), (7, 3), (100, 999)] {
            let mut pos = mixed_order(n, m);
            pos.sort_unstable();
            assert_eq!(pos, (0..m as u32).collect::<Vec<_>>(), "n {n} m {m}");
        }
    }

    #[test]
    fn repair_keeps_the_basis_valid() {
        let mut net = Network::new(4);
        for &(t, h, u, c) in &[
            (0, 1, 5, 1),
            (1, 3, 5, 1),
            (0, 2, 9, 3),
            (2, 3, 9, 3),
            (1, 2, 2, 1),
        ] {
            net.add_arc(NodeIdx(t), NodeIdx(h), 0, u, c).expect("valid");
        }
        let mut solver = McfSolver::new(&net, &[7, 0, 0, -7]).expect("valid");
        solver.solve().expect("solves");
        solver.set_upper(ArcIdx(1), 1).expect("valid");
        solver.set_supply(&[9, 0, -1, -8]).expect("valid");
        let supply = checked_supply(&solver.state).expect("small");
        let cuts = solver.state.simplex.repair(&supply);
        assert!(cuts > 0);
        solver.state.simplex.validate(&supply, true);
        let mut pivots = 0;
        let simplex = &mut solver.state.simplex;
        simplex.run_with(u64::MAX, |s| {
            pivots += 1;
            s.validate(&supply, true);
        });
        assert!(pivots > 0);
    }
}
