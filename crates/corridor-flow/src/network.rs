//! The compact directed network every algorithm of this crate works on.

use std::fmt;

use crate::FlowError;

/// An upper bound that means "no capacity limit".
///
/// An arc whose `upper` equals `INF` (`i64::MAX`) is uncapacitated: [`crate::min_cost_flow`]
/// reports [`crate::McfOutcome::Unbounded`] when such arcs close a cycle of negative cost, and
/// [`crate::max_flow`] returns [`FlowError::UnboundedFlow`] when they join a source to a sink.
/// Any finite upper bound must therefore be strictly below `INF`.
pub const INF: i64 = i64::MAX;

/// Index of a node in a [`Network`]: nodes are numbered `0..n_nodes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NodeIdx(pub u32);

/// Index of an arc in a [`Network`]: arcs are numbered `0..n_arcs` in the order they were added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ArcIdx(pub u32);

impl NodeIdx {
    /// The index as a `usize`, for indexing per-node vectors.
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

impl ArcIdx {
    /// The index as a `usize`, for indexing per-arc vectors.
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}

impl fmt::Display for ArcIdx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{}", self.0)
    }
}

/// One arc of a [`Network`], as returned by [`Network::arc`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arc {
    /// The node the arc leaves.
    pub tail: NodeIdx,
    /// The node the arc enters.
    pub head: NodeIdx,
    /// Least flow the arc must carry (`0 <= lower <= upper`).
    pub lower: i64,
    /// Most flow the arc may carry; [`INF`] means uncapacitated.
    pub upper: i64,
    /// Cost per unit of flow; may be negative.
    pub cost: i64,
}

/// A directed network with integer bounds and costs, stored as a struct of arrays.
///
/// Nodes are `0..n_nodes()`; arcs are `0..n_arcs()`. Parallel arcs and self-loops are allowed.
/// Every arc satisfies `0 <= lower <= upper`; the setters reject anything else, so algorithms
/// never see an inconsistent arc.
#[derive(Clone, Debug, Default)]
pub struct Network {
    n_nodes: usize,
    tail: Vec<u32>,
    head: Vec<u32>,
    lower: Vec<i64>,
    upper: Vec<i64>,
    cost: Vec<i64>,
}

impl Network {
    /// Largest number of nodes a network may have. One index is kept free so that the
    /// algorithms can add an artificial node without overflowing `u32`.
    pub const MAX_NODES: usize = u32::MAX as usize - 3;
    /// Largest number of arcs a network may have (the algorithms add up to one artificial
    /// arc per node, all indexed by `u32`).
    pub const MAX_ARCS: usize = u32::MAX as usize / 2;

    /// A network with `n_nodes` nodes and no arcs.
    ///
    /// # Panics
    /// If `n_nodes > Network::MAX_NODES` (a capacity overflow, like `Vec::with_capacity`).
    pub fn new(n_nodes: usize) -> Self {
        assert!(
            n_nodes <= Self::MAX_NODES,
            "corridor-flow: {n_nodes} nodes exceed Network::MAX_NODES"
        );
        Network {
            n_nodes,
            ..Network::default()
        }
    }

    /// Adds a node and returns its index.
    ///
    /// # Panics
    /// If the network already has `Network::MAX_NODES` nodes.
    pub fn add_node(&mut self) -> NodeIdx {
        assert!(
            self.n_nodes < Self::MAX_NODES,
            "corridor-flow: node count exceeds Network::MAX_NODES"
        );
        self.n_nodes += 1;
        NodeIdx((self.n_nodes - 1) as u32)
    }

    /// Adds an arc `tail -> head` carrying between `lower` and `upper` units at `cost` per unit.
    ///
    /// # Errors
    /// [`FlowError::NodeOutOfRange`] for an unknown endpoint, [`FlowError::NegativeBound`] if
    /// `lower < 0` or `upper < 0`, [`FlowError::LowerExceedsUpper`] if `lower > upper`,
    /// [`FlowError::TooLarge`] past [`Network::MAX_ARCS`] arcs.
    pub fn add_arc(
        &mut self,
        tail: NodeIdx,
        head: NodeIdx,
        lower: i64,
        upper: i64,
        cost: i64,
    ) -> Result<ArcIdx, FlowError> {
        self.check_node(tail)?;
        self.check_node(head)?;
        check_bounds(None, lower, upper)?;
        if self.tail.len() >= Self::MAX_ARCS {
            return Err(FlowError::TooLarge {
                what: "arcs",
                count: self.tail.len() + 1,
                max: Self::MAX_ARCS,
            });
        }
        let a = ArcIdx(self.tail.len() as u32);
        self.tail.push(tail.0);
        self.head.push(head.0);
        self.lower.push(lower);
        self.upper.push(upper);
        self.cost.push(cost);
        Ok(a)
    }

    /// Number of nodes.
    #[inline]
    pub fn n_nodes(&self) -> usize {
        self.n_nodes
    }

    /// Number of arcs.
    #[inline]
    pub fn n_arcs(&self) -> usize {
        self.tail.len()
    }

    /// The arc `a`.
    ///
    /// # Panics
    /// If `a` is out of range; use [`Network::get_arc`] for a checked look-up.
    pub fn arc(&self, a: ArcIdx) -> Arc {
        match self.get_arc(a) {
            Some(arc) => arc,
            None => panic!(
                "corridor-flow: arc {} out of range (network has {} arcs)",
                a.0,
                self.n_arcs()
            ),
        }
    }

    /// The arc `a`, or `None` if it is out of range.
    pub fn get_arc(&self, a: ArcIdx) -> Option<Arc> {
        let i = a.idx();
        if i >= self.n_arcs() {
            return None;
        }
        Some(Arc {
            tail: NodeIdx(self.tail[i]),
            head: NodeIdx(self.head[i]),
            lower: self.lower[i],
            upper: self.upper[i],
            cost: self.cost[i],
        })
    }

    /// Iterates over all arc indices in increasing order.
    pub fn arc_indices(&self) -> impl ExactSizeIterator<Item = ArcIdx> + '_ {
        (0..self.n_arcs() as u32).map(ArcIdx)
    }

    /// Iterates over all node indices in increasing order.
    pub fn node_indices(&self) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        (0..self.n_nodes as u32).map(NodeIdx)
    }

    /// Sets the upper bound of arc `a`.
    ///
    /// # Errors
    /// [`FlowError::ArcOutOfRange`], [`FlowError::NegativeBound`], or
    /// [`FlowError::LowerExceedsUpper`] if `upper` is below the arc's lower bound.
    pub fn set_upper(&mut self, a: ArcIdx, upper: i64) -> Result<(), FlowError> {
        let i = self.check_arc(a)?;
        check_bounds(Some(a), self.lower[i], upper)?;
        self.upper[i] = upper;
        Ok(())
    }

    /// Sets the lower bound of arc `a`.
    ///
    /// # Errors
    /// [`FlowError::ArcOutOfRange`], [`FlowError::NegativeBound`], or
    /// [`FlowError::LowerExceedsUpper`] if `lower` exceeds the arc's upper bound.
    pub fn set_lower(&mut self, a: ArcIdx, lower: i64) -> Result<(), FlowError> {
        let i = self.check_arc(a)?;
        check_bounds(Some(a), lower, self.upper[i])?;
        self.lower[i] = lower;
        Ok(())
    }

    /// Sets both bounds of arc `a` at once.
    ///
    /// # Errors
    /// As [`Network::set_upper`].
    pub fn set_bounds(&mut self, a: ArcIdx, lower: i64, upper: i64) -> Result<(), FlowError> {
        let i = self.check_arc(a)?;
        check_bounds(Some(a), lower, upper)?;
        self.lower[i] = lower;
        self.upper[i] = upper;
        Ok(())
    }

    /// Sets the cost per unit of arc `a`.
    ///
    /// # Errors
    /// [`FlowError::ArcOutOfRange`].
    pub fn set_cost(&mut self, a: ArcIdx, cost: i64) -> Result<(), FlowError> {
        let i = self.check_arc(a)?;
        self.cost[i] = cost;
        Ok(())
    }

    /// Returns `Ok(())` if `v` is a node of this network.
    ///
    /// # Errors
    /// [`FlowError::NodeOutOfRange`].
    pub fn check_node(&self, v: NodeIdx) -> Result<(), FlowError> {
        if v.idx() < self.n_nodes {
            Ok(())
        } else {
            Err(FlowError::NodeOutOfRange {
                node: v,
                n_nodes: self.n_nodes,
            })
        }
    }

    fn check_arc(&self, a: ArcIdx) -> Result<usize, FlowError> {
        if a.idx() < self.n_arcs() {
            Ok(a.idx())
        } else {
            Err(FlowError::ArcOutOfRange {
                arc: a,
                n_arcs: self.n_arcs(),
            })
        }
    }

    // Raw column access for the algorithms of this crate.
    #[inline]
    pub(crate) fn tails(&self) -> &[u32] {
        &self.tail
    }
    #[inline]
    pub(crate) fn heads(&self) -> &[u32] {
        &self.head
    }
    #[inline]
    pub(crate) fn lowers(&self) -> &[i64] {
        &self.lower
    }
    #[inline]
    pub(crate) fn uppers(&self) -> &[i64] {
        &self.upper
    }
    #[inline]
    pub(crate) fn costs(&self) -> &[i64] {
        &self.cost
    }
}

fn check_bounds(arc: Option<ArcIdx>, lower: i64, upper: i64) -> Result<(), FlowError> {
    if lower < 0 {
        return Err(FlowError::NegativeBound {
            arc,
            bound: "lower",
            value: lower,
        });
    }
    if upper < 0 {
        return Err(FlowError::NegativeBound {
            arc,
            bound: "upper",
            value: upper,
        });
    }
    if lower > upper {
        return Err(FlowError::LowerExceedsUpper { arc, lower, upper });
    }
    Ok(())
}

/// Forward-star adjacency (arcs grouped by tail), built on demand by the path algorithms.
#[derive(Debug)]
pub(crate) struct OutAdjacency {
    /// `first[v]..first[v + 1]` indexes `arcs` for the arcs leaving `v`.
    pub(crate) first: Vec<u32>,
    /// Arc indices grouped by tail, increasing within each group.
    pub(crate) arcs: Vec<u32>,
}

impl OutAdjacency {
    pub(crate) fn new(net: &Network) -> Self {
        let n = net.n_nodes();
        let mut first = vec![0u32; n + 1];
        for &t in net.tails() {
            first[t as usize + 1] += 1;
        }
        for v in 0..n {
            first[v + 1] += first[v];
        }
        let mut next = first.clone();
        let mut arcs = vec![0u32; net.n_arcs()];
        for (a, &t) in net.tails().iter().enumerate() {
            let slot = &mut next[t as usize];
            arcs[*slot as usize] = a as u32;
            *slot += 1;
        }
        OutAdjacency { first, arcs }
    }

    #[inline]
    pub(crate) fn out(&self, v: usize) -> &[u32] {
        &self.arcs[self.first[v] as usize..self.first[v + 1] as usize]
    }
}
