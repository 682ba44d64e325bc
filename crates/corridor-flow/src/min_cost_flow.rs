//! Minimum-cost flow by the primal network simplex method (see [`crate::simplex`] for the
//! engine and [`crate::McfSolver`] for warm re-solves).
//!
//! The starting tree joins every node to the artificial root by an artificial arc:
//! `v -> root` at cost 0 for supply nodes, `root -> v` at cost `ART` for demand nodes. `ART`
//! is computed from the data (`n * max|cost| + 1`), which is more than any simple path of the
//! residual network can cost, so an optimum with flow left on an artificial arc proves the
//! problem infeasible. All quantities are checked up front to stay inside `i64`.

use crate::mcf_solver::McfSolver;
use crate::network::Network;
use crate::FlowError;

/// Outcome of [`min_cost_flow`]: infeasible and unbounded problems are answers, not errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum McfOutcome {
    /// An optimal flow exists.
    Optimal(McfSolution),
    /// No flow meets the supplies within the bounds (this includes supplies that do not sum
    /// to zero).
    Infeasible,
    /// Feasible flows exist and a cycle of uncapacitated ([`INF`](crate::INF)) arcs has negative total
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
/// practical networks it grows roughly linearly with n. For 2^16 nodes and 2^19 arcs expect
/// one to two seconds, about LEMON's time (see `examples/mcf_scale.rs`); to re-solve after
/// small changes use [`McfSolver`], which starts from the previous basis.
pub fn min_cost_flow(net: &Network, supply: &[i64]) -> Result<McfOutcome, FlowError> {
    if supply.len() == net.n_nodes() && supply.iter().map(|&b| i128::from(b)).sum::<i128>() != 0 {
        return Ok(McfOutcome::Infeasible);
    }
    McfSolver::new(net, supply)?.solve()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeIdx, INF};

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
