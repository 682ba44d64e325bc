//! Graph algorithms on a compact directed network.
//!
//! This crate knows nothing of countries, commodities or units: it sees nodes `0..n`, arcs with
//! integer bounds and costs, and supplies. The caller translates its domain into a [`Network`],
//! runs an algorithm and translates the answer back.
//!
//! | algorithm | function | method |
//! |---|---|---|
//! | max-flow / min-cut | [`max_flow`] | push-relabel, highest label, global relabelling, gap heuristic |
//! | min-cost flow | [`min_cost_flow`] | primal network simplex, block-search pivoting |
//! | min-cost flow, re-solved after changes | [`McfSolver`] | the same, warm-started from the previous basis |
//! | shortest path | [`dijkstra`] | binary heap |
//! | k shortest loopless paths | [`k_shortest_paths`] | Yen |
//! | path decomposition | [`decompose_paths`] | widest-path greedy |
//!
//! # Integers, and scaling is the caller's job
//!
//! Capacities, supplies, flows and costs are `i64` and objectives are accumulated in `i128`, so
//! results are exact and independent of summation order. Decimal quantities (tonnes per year,
//! dollars per tonne) must be **scaled to integers by the caller** before they reach this crate,
//! for example by expressing capacities in kilotonnes and costs in cents;
//! [`scale_to_i64`] does the rounding and rejects non-finite or overflowing values. Costs should
//! stay well below `i64::MAX / (4 * n_nodes)`; [`min_cost_flow`] checks this and returns
//! [`FlowError::CostOverflow`] otherwise.
//!
//! An upper bound of [`INF`] (`i64::MAX`) means "uncapacitated".
//!
//! # Errors versus outcomes
//!
//! Malformed input (an unknown node, a negative bound, `lower > upper`, a supply vector of the
//! wrong length, numbers too large for exact arithmetic) is a [`FlowError`]; nothing in this
//! crate panics on it, except the documented capacity checks of [`Network::new`],
//! [`Network::add_node`] and the unchecked accessor [`Network::arc`]. An infeasible or unbounded
//! min-cost-flow problem is a well-formed question with a definite answer and is reported as
//! an [`McfOutcome`] variant.
//!
//! # Example
//!
//! ```
//! use corridor_flow::{max_flow, min_cost_flow, McfOutcome, Network, NodeIdx, INF};
//!
//! // Two routes from node 0 to node 3: a cheap one limited to 4 units, and a dear one.
//! let mut net = Network::new(4);
//! let (s, a, b, t) = (NodeIdx(0), NodeIdx(1), NodeIdx(2), NodeIdx(3));
//! net.add_arc(s, a, 0, 4, 1)?;
//! net.add_arc(a, t, 0, INF, 1)?;
//! net.add_arc(s, b, 0, 10, 5)?;
//! net.add_arc(b, t, 0, 10, 5)?;
//!
//! // Ship 6 units from node 0 to node 3 as cheaply as possible.
//! let McfOutcome::Optimal(solution) = min_cost_flow(&net, &[6, 0, 0, -6])? else {
//!     panic!("the example is feasible and bounded");
//! };
//! assert_eq!(solution.cost, 4 * 2 + 2 * 10);
//! assert_eq!(solution.flow, vec![4, 4, 2, 2]);
//!
//! // How much could the network carry at most, and where is the bottleneck?
//! let mf = max_flow(&net, &[s], &[t])?;
//! assert_eq!(mf.value, 14);
//! assert_eq!(mf.cut_arcs.len(), 2);
//! # Ok::<(), corridor_flow::FlowError>(())
//! ```

#![warn(missing_docs, unreachable_pub)]

mod certify;
mod decompose;
mod max_flow;
mod mcf_solver;
mod min_cost_flow;
mod network;
mod shortest_path;
mod simplex;

pub use certify::{certify_max_flow, certify_min_cost_flow};
pub use decompose::{decompose_paths, Decomposition, FlowPath};
pub use max_flow::{max_flow, MaxFlow};
pub use mcf_solver::{Basis, McfConfig, McfSolver, SolveStart, SolveStats};
pub use min_cost_flow::{min_cost_flow, McfOutcome, McfSolution};
pub use network::{Arc, ArcIdx, Network, NodeIdx, INF};
pub use shortest_path::{dijkstra, k_shortest_paths, Path, ShortestPaths};

/// Everything that can be wrong with the input of an algorithm in this crate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FlowError {
    /// A node index is not below the network's node count.
    #[error("node {node} is out of range: the network has {n_nodes} nodes")]
    NodeOutOfRange {
        /// The offending index.
        node: NodeIdx,
        /// The network's node count.
        n_nodes: usize,
    },
    /// An arc index is not below the network's arc count.
    #[error("arc {arc} is out of range: the network has {n_arcs} arcs")]
    ArcOutOfRange {
        /// The offending index.
        arc: ArcIdx,
        /// The network's arc count.
        n_arcs: usize,
    },
    /// A lower or upper bound is negative; bounds must satisfy `0 <= lower <= upper`.
    #[error("{}: {bound} bound {value} is negative; bounds must satisfy 0 <= lower <= upper", arc_label(.arc))]
    NegativeBound {
        /// The arc, or `None` for an arc being added.
        arc: Option<ArcIdx>,
        /// `"lower"` or `"upper"`.
        bound: &'static str,
        /// The rejected value.
        value: i64,
    },
    /// A lower bound exceeds the upper bound.
    #[error("{}: lower bound {lower} exceeds upper bound {upper}", arc_label(.arc))]
    LowerExceedsUpper {
        /// The arc, or `None` for an arc being added.
        arc: Option<ArcIdx>,
        /// The lower bound.
        lower: i64,
        /// The upper bound.
        upper: i64,
    },
    /// The network is too large for the `u32` indices used internally.
    #[error("too many {what}: {count} exceeds the maximum of {max}")]
    TooLarge {
        /// What overflowed (`"arcs"`, `"nodes"`).
        what: &'static str,
        /// How many were requested.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A per-node vector has the wrong length.
    #[error("supply vector has {found} entries but the network has {expected} nodes")]
    SupplyLength {
        /// The network's node count.
        expected: usize,
        /// The vector's length.
        found: usize,
    },
    /// A node was given both as a source and as a sink of a max-flow problem.
    #[error("node {node} is both a source and a sink, so the flow would be unbounded")]
    SourceIsSink {
        /// The node.
        node: NodeIdx,
    },
    /// A path of uncapacitated ([`INF`]) arcs joins a source to a sink, so the maximum flow
    /// is infinite.
    #[error(
        "a path of uncapacitated arcs joins a source to a sink: the maximum flow is unbounded"
    )]
    UnboundedFlow,
    /// Sums of supplies or capacities do not fit the `i64` arithmetic.
    #[error("{what} overflow 64-bit integer arithmetic; scale the input down")]
    Overflow {
        /// Which quantity overflowed.
        what: &'static str,
    },
    /// Costs are too large for exact node potentials of the network simplex.
    #[error("the largest absolute arc cost {max_abs_cost} is too large for {n_nodes} nodes (limit {limit}); scale costs down")]
    CostOverflow {
        /// Largest `|cost|` over all arcs.
        max_abs_cost: i64,
        /// Number of nodes.
        n_nodes: usize,
        /// Largest admissible `|cost|` for this node count.
        limit: i64,
    },
    /// [`scale_to_i64`] was given a NaN or infinite value, or a scale that is not a positive
    /// finite number.
    #[error("cannot scale {value} by {scale}: both must be finite and the scale positive")]
    NonFinite {
        /// The value.
        value: f64,
        /// The scale.
        scale: f64,
    },
    /// [`scale_to_i64`] produced a value outside the `i64` range.
    #[error("{value} scaled by {scale} does not fit in a 64-bit integer")]
    ScaleOverflow {
        /// The value.
        value: f64,
        /// The scale.
        scale: f64,
    },
}

fn arc_label(arc: &Option<ArcIdx>) -> String {
    match arc {
        Some(a) => format!("arc {a}"),
        None => "new arc".to_owned(),
    }
}

/// Converts a decimal quantity to the integer units this crate computes in.
///
/// # Arguments
/// * `value` — the quantity, e.g. `12.5` (Mt/y).
/// * `scale` — integer units per unit of `value`, e.g. `1000.0` to count in kt/y. Must be a
///   positive finite number.
///
/// # Returns
/// `round(value * scale)`, rounding half away from zero.
///
/// # Errors
/// [`FlowError::NonFinite`] if `value` or `scale` is NaN or infinite or `scale <= 0`;
/// [`FlowError::ScaleOverflow`] if the product does not fit in `i64`.
///
/// # Complexity
/// O(1).
///
/// ```
/// use corridor_flow::scale_to_i64;
/// assert_eq!(scale_to_i64(12.3456, 1000.0)?, 12346);
/// assert_eq!(scale_to_i64(-0.5, 1.0)?, -1);
/// assert!(scale_to_i64(f64::NAN, 1.0).is_err());
/// assert!(scale_to_i64(1e300, 1.0).is_err());
/// # Ok::<(), corridor_flow::FlowError>(())
/// ```
pub fn scale_to_i64(value: f64, scale: f64) -> Result<i64, FlowError> {
    if !value.is_finite() || !scale.is_finite() || scale <= 0.0 {
        return Err(FlowError::NonFinite { value, scale });
    }
    let scaled = (value * scale).round();
    // 2^63 is exactly representable; every f64 in [-2^63, 2^63) converts exactly to i64.
    const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
    if !scaled.is_finite() || !(-TWO_POW_63..TWO_POW_63).contains(&scaled) {
        return Err(FlowError::ScaleOverflow { value, scale });
    }
    Ok(scaled as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_rounds_and_rejects() {
        assert_eq!(scale_to_i64(2.5, 1.0), Ok(3));
        assert_eq!(scale_to_i64(-2.5, 1.0), Ok(-3));
        assert_eq!(scale_to_i64(0.0014, 1000.0), Ok(1));
        assert_eq!(
            scale_to_i64(-9_223_372_036_854_775_808.0, 1.0),
            Ok(i64::MIN)
        );
        assert!(matches!(
            scale_to_i64(9_223_372_036_854_775_808.0, 1.0),
            Err(FlowError::ScaleOverflow { .. })
        ));
        assert!(matches!(
            scale_to_i64(1.0, 0.0),
            Err(FlowError::NonFinite { .. })
        ));
        assert!(matches!(
            scale_to_i64(f64::INFINITY, 1.0),
            Err(FlowError::NonFinite { .. })
        ));
        assert!(matches!(
            scale_to_i64(1e200, 1e200),
            Err(FlowError::ScaleOverflow { .. })
        ));
    }
}
