//! Reads and writes DIMACS network files for the solvers of `corridor-flow`.
//!
//! Two problem formats are understood, both with 1-based node ids:
//!
//! * minimum-cost flow, `p min NODES ARCS`, with node lines `n ID SUPPLY` (positive = supply,
//!   negative = demand) and arc lines `a SRC DST LOW CAP COST`;
//! * maximum flow, `p max NODES ARCS`, with `n ID s` / `n ID t` naming the source and the sink
//!   and arc lines `a SRC DST CAP`.
//!
//! Lines starting with `c` are comments and blank lines are ignored. An uncapacitated arc has
//! the capacity [`corridor_flow::INF`] (`9223372036854775807`, `i64::MAX`).
//!
//! Solutions use this project's convention: a first line `s OBJECTIVE` (total cost, or the
//! maximum flow value), `s infeasible` or `s unbounded`, then one line `f SRC DST FLOW` per arc
//! in input order (none unless optimal). [`render_json`] gives the same content as JSON.
//!
//! [`parse`] reports every problem it finds, each with its line number, what is wrong and
//! how to fix it; no input makes it panic.
//!
//! # Example
//!
//! ```
//! use corridor_dimacs::{parse, parse_solution, render_text, solve, verify, Status};
//!
//! let problem = parse(
//!     "c two routes from node 1 to node 3\n\
//!      p min 3 3\n\
//!      n 1 5\n\
//!      n 3 -5\n\
//!      a 1 3 0 2 10\n\
//!      a 1 2 0 9 1\n\
//!      a 2 3 0 9 1\n",
//! )?;
//! let result = solve(&problem)?;
//! assert_eq!(result.status, Status::Optimal);
//! assert_eq!(result.objective, Some(10));
//! assert_eq!(render_text(&result), "s 10\nf 1 3 0\nf 1 2 5\nf 2 3 5\n");
//!
//! // A solution read back, for example from another solver, can be checked for feasibility.
//! let reread = parse_solution(&render_text(&result), problem.kind())?;
//! assert_eq!(reread, result);
//! assert!(verify(&problem, &reread).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs, unreachable_pub)]

mod error;
mod read;
mod solution;
mod write;

pub use error::{DimacsError, ParseError};
pub use read::{parse, MAX_ISOLATED_NODES};
pub use solution::{
    parse_solution, render_json, render_text, solve, verify, ArcFlow, SolveResult, Status,
};
pub use write::write;

use corridor_flow::{Network, NodeIdx};

/// Which of the two DIMACS problems a file or a solution is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// Minimum-cost flow, `p min`.
    Min,
    /// Maximum flow, `p max`.
    Max,
}

impl ProblemKind {
    /// The word used on the `p` line and in JSON: `"min"` or `"max"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Min => "min",
            ProblemKind::Max => "max",
        }
    }
}

/// A DIMACS problem, with nodes renumbered from 0 as in `corridor-flow` (file node `k` is
/// `NodeIdx(k - 1)`).
#[derive(Clone, Debug)]
pub enum Problem {
    /// Minimum-cost flow: `supply[v]` is positive at supplies and negative at demands.
    MinCost {
        /// The network, arcs in file order.
        net: Network,
        /// One entry per node.
        supply: Vec<i64>,
    },
    /// Maximum flow from one source to one sink. Lower bounds and costs of `net` are not
    /// part of the problem (`corridor_flow::max_flow` ignores them) and are not written.
    MaxFlow {
        /// The network, arcs in file order.
        net: Network,
        /// The source node.
        source: NodeIdx,
        /// The sink node.
        sink: NodeIdx,
    },
}

impl Problem {
    /// Whether this is a min-cost or a max-flow problem.
    pub fn kind(&self) -> ProblemKind {
        match self {
            Problem::MinCost { .. } => ProblemKind::Min,
            Problem::MaxFlow { .. } => ProblemKind::Max,
        }
    }

    /// The network of either kind of problem.
    pub fn net(&self) -> &Network {
        match self {
            Problem::MinCost { net, .. } | Problem::MaxFlow { net, .. } => net,
        }
    }
}

/// Structural equality: same kind, node count, arcs (in order, all fields), and supplies or
/// terminals. `Network` itself has no `PartialEq`, so the arcs are compared one by one.
impl PartialEq for Problem {
    fn eq(&self, other: &Self) -> bool {
        let same_net = |a: &Network, b: &Network| {
            a.n_nodes() == b.n_nodes()
                && a.n_arcs() == b.n_arcs()
                && a.arc_indices()
                    .all(|i| a.get_arc(i).is_some() && a.get_arc(i) == b.get_arc(i))
        };
        match (self, other) {
            (
                Problem::MinCost { net, supply },
                Problem::MinCost {
                    net: net2,
                    supply: supply2,
                },
            ) => supply == supply2 && same_net(net, net2),
            (
                Problem::MaxFlow { net, source, sink },
                Problem::MaxFlow {
                    net: net2,
                    source: source2,
                    sink: sink2,
                },
            ) => source == source2 && sink == sink2 && same_net(net, net2),
            _ => false,
        }
    }
}

impl Eq for Problem {}
