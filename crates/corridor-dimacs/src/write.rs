//! The DIMACS problem writer.

use std::fmt::Write as _;

use crate::Problem;

/// Writes a problem in DIMACS format, the inverse of [`crate::parse`].
///
/// A min-cost problem gets one `n` line per node with a non-zero supply and one
/// `a SRC DST LOW CAP COST` line per arc; a max-flow problem gets its `n ID s` and `n ID t`
/// lines and one `a SRC DST CAP` line per arc (lower bounds and costs are not part of a
/// max-flow problem and are dropped). Nodes are written 1-based, arcs in index order.
///
/// A supply vector whose length differs from the node count is written as is: entries past
/// the last node are dropped, missing entries read back as 0.
///
/// # Complexity
/// O(NODES + ARCS).
///
/// ```
/// let text = "p max 2 1\nn 1 s\nn 2 t\na 1 2 7\n";
/// let problem = corridor_dimacs::parse(text)?;
/// assert_eq!(corridor_dimacs::write(&problem), text);
/// # Ok::<(), corridor_dimacs::ParseError>(())
/// ```
pub fn write(problem: &Problem) -> String {
    let net = problem.net();
    let mut out = String::with_capacity(32 + 24 * net.n_arcs());
    // Writing to a `String` cannot fail, so the `fmt::Result`s are ignored.
    let _ = writeln!(
        out,
        "p {} {} {}",
        problem.kind().as_str(),
        net.n_nodes(),
        net.n_arcs()
    );
    match problem {
        Problem::MinCost { net, supply } => {
            for (v, &s) in supply.iter().enumerate().take(net.n_nodes()) {
                if s != 0 {
                    let _ = writeln!(out, "n {} {s}", v + 1);
                }
            }
            for arc in net.arc_indices().filter_map(|a| net.get_arc(a)) {
                let _ = writeln!(
                    out,
                    "a {} {} {} {} {}",
                    u64::from(arc.tail.0) + 1,
                    u64::from(arc.head.0) + 1,
                    arc.lower,
                    arc.upper,
                    arc.cost
                );
            }
        }
        Problem::MaxFlow { net, source, sink } => {
            // Widen before adding 1: a hand-built problem may hold any `u32` as a terminal.
            let _ = writeln!(out, "n {} s", u64::from(source.0) + 1);
            let _ = writeln!(out, "n {} t", u64::from(sink.0) + 1);
            for arc in net.arc_indices().filter_map(|a| net.get_arc(a)) {
                let _ = writeln!(
                    out,
                    "a {} {} {}",
                    u64::from(arc.tail.0) + 1,
                    u64::from(arc.head.0) + 1,
                    arc.upper
                );
            }
        }
    }
    out
}
