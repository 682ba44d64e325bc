//! The DIMACS problem reader.

use std::collections::HashMap;

use corridor_flow::{Network, NodeIdx, INF};

use crate::error::{DimacsError, ParseError};
use crate::{Problem, ProblemKind};

/// After this many errors the reader stops: a file that wrong is probably not DIMACS at all,
/// and listing every line of it would help nobody.
const MAX_ERRORS: usize = 200;

/// How many nodes a problem may declare beyond those its `n` and `a` lines can name (isolated nodes).
pub const MAX_ISOLATED_NODES: usize = 1_000_000;

const P_LINE_HELP: &str =
    "write `p min NODES ARCS` for a min-cost flow problem or `p max NODES ARCS` for a max-flow problem";

/// Reads a DIMACS min-cost flow (`p min`) or max-flow (`p max`) problem.
///
/// # Arguments
/// * `text` — the whole file. Lines may end in `\n` or `\r\n`.
///
/// # Returns
/// The [`Problem`], with file node `k` as `NodeIdx(k - 1)` and arcs in file order.
///
/// # Errors
/// A [`ParseError`] listing every problem found, each with its line, for example a missing
/// or repeated `p` line, an `n` or `a` line before it, a wrong number of fields, a value that
/// is not an integer or does not fit in `i64`, a node id outside `1..=NODES`, a negative
/// bound, a lower bound above the capacity, more or fewer arcs than the `p` line declares,
/// an unknown line type, or a max-flow problem without exactly one source and one sink.
///
/// # Complexity
/// O(length of `text`) time; O(NODES + ARCS) memory. The supply vector of a min-cost problem
/// has one entry per declared node, so `NODES` should be a sensible number.
///
/// ```
/// let text = "p max 2 1\nn 1 s\nn 2 t\na 1 3 5\n";
/// let err = corridor_dimacs::parse(text).expect_err("node 3 does not exist");
/// assert_eq!(
///     err.to_string(),
///     "line 4: arc head 3 is out of range — node ids run from 1 to 2, as declared on the `p` line (line 1)"
/// );
/// ```
pub fn parse(text: &str) -> Result<Problem, ParseError> {
    let mut reader = Reader::default();
    // Non-blank lines that are not comments, split into fields. DIMACS comment lines are
    // those starting with `c`.
    let lines = || {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.split_whitespace().collect::<Vec<_>>()))
            .filter(|(_, tokens)| tokens.first().is_some_and(|t| !t.starts_with('c')))
    };

    let p_line = lines().find(|(_, tokens)| tokens[0] == "p");
    if let Some((line, tokens)) = &p_line {
        // What the file itself can name, so that the declared node count is checked before anything
        // is allocated for it.
        let (mut n_node_lines, mut n_arc_lines) = (0, 0);
        for (_, tokens) in lines() {
            match tokens[0] {
                "n" => n_node_lines += 1,
                "a" => n_arc_lines += 1,
                _ => {}
            }
        }
        reader.header = reader.read_header(*line, tokens, n_node_lines, n_arc_lines);
    } else {
        let line = lines().next().map_or(1, |(line, _)| line);
        reader.push(DimacsError::new(line, "no problem line", P_LINE_HELP));
    }
    let p_line_no = p_line.as_ref().map(|(line, _)| *line);

    let mut reported_early = false;
    for (line, tokens) in lines() {
        if reader.errors.len() >= MAX_ERRORS {
            reader.errors.push(DimacsError::new(
                line,
                format!("stopped reading after {MAX_ERRORS} errors"),
                "fix the errors above first; is this a DIMACS file?",
            ));
            // The file was not read to the end, so the whole-file checks would mislead.
            return Err(ParseError::from_errors(reader.errors));
        }
        match tokens[0] {
            "p" => {
                if Some(line) != p_line_no {
                    let first = p_line_no.unwrap_or(line);
                    reader.push(DimacsError::new(
                        line,
                        "a second problem line",
                        format!("a file holds one problem, declared on line {first}; remove this line or split the file"),
                    ));
                }
            }
            kind @ ("n" | "a") => {
                if let Some(p) = p_line_no.filter(|&p| p > line && !reported_early) {
                    reported_early = true;
                    let what = if kind == "n" { "node" } else { "arc" };
                    reader.push(DimacsError::new(
                        line,
                        format!("{what} line before the problem line"),
                        format!("move the `p` line (line {p}) above every `n` and `a` line"),
                    ));
                }
                if kind == "a" {
                    reader.n_arc_lines += 1;
                }
                if reader.header.is_some() {
                    let result = if kind == "n" {
                        reader.read_node(line, &tokens)
                    } else {
                        reader.read_arc(line, &tokens)
                    };
                    if let Err(e) = result {
                        reader.push(e);
                    }
                }
            }
            other => {
                let help = if matches!(other, "s" | "f" | "v") {
                    "this looks like a solution line; a problem file holds only `c`, `p`, `n` and `a` lines"
                } else {
                    "DIMACS lines start with `c` (comment), `p` (problem), `n` (node) or `a` (arc)"
                };
                reader.push(DimacsError::new(
                    line,
                    format!("unknown line type `{}`", truncate(other)),
                    help,
                ));
            }
        }
    }
    reader.finish()
}

/// What the `p` line declares.
#[derive(Debug)]
struct Header {
    line: usize,
    kind: ProblemKind,
    n_nodes: usize,
    n_arcs: usize,
}

#[derive(Debug, Default)]
struct Reader {
    header: Option<Header>,
    errors: Vec<DimacsError>,
    net: Network,
    /// Min-cost: one entry per node; stays empty for max-flow.
    supply: Vec<i64>,
    /// Min-cost: the line of each node's `n` line, to report duplicates. Sparse, since most
    /// nodes of a large network have no `n` line.
    node_line: HashMap<u32, usize>,
    /// Max-flow: the source and the sink with the lines naming them.
    source: Option<(u32, usize)>,
    sink: Option<(u32, usize)>,
    /// Max-flow: whether some line tried to name a source or a sink, valid or not, so that
    /// a rejected line is not reported a second time as a missing terminal.
    source_named: bool,
    sink_named: bool,
    n_arc_lines: usize,
}

impl Reader {
    fn push(&mut self, e: DimacsError) {
        self.errors.push(e);
    }

    fn read_header(
        &mut self,
        line: usize,
        tokens: &[&str],
        n_node_lines: usize,
        n_arc_lines: usize,
    ) -> Option<Header> {
        let fail = |this: &mut Self, message: String, help: &str| {
            this.push(DimacsError::new(line, message, help));
            None
        };
        if tokens.len() != 4 {
            return fail(
                self,
                format!(
                    "the problem line has {} after `p`, expected 3",
                    plural(tokens.len() - 1, "field")
                ),
                P_LINE_HELP,
            );
        }
        let kind = match tokens[1] {
            "min" => ProblemKind::Min,
            "max" => ProblemKind::Max,
            other => {
                return fail(
                    self,
                    format!("unsupported problem type `{}`", truncate(other)),
                    "this reader handles `min` (min-cost flow) and `max` (max flow) problems",
                )
            }
        };
        let count = |token: &str, what: &str, max: usize| -> Result<usize, DimacsError> {
            let value = int(token, what).map_err(|(m, h)| DimacsError::new(line, m, h))?;
            match usize::try_from(value) {
                Ok(v) if v <= max => Ok(v),
                _ => Err(DimacsError::new(
                    line,
                    format!("{what} {value} is out of range"),
                    format!("the {what} must lie between 0 and {max}"),
                )),
            }
        };
        let n_nodes = count(tokens[2], "node count", Network::MAX_NODES);
        let n_arcs = count(tokens[3], "arc count", Network::MAX_ARCS);
        let (n_nodes, n_arcs) = match (n_nodes, n_arcs) {
            (Ok(n), Ok(m)) => (n, m),
            (n, m) => {
                self.errors.extend(n.err());
                self.errors.extend(m.err());
                return None;
            }
        };
        // Each arc line names two nodes and each node line one; any other node is isolated. A few
        // isolated nodes are legal DIMACS, a hundred million in a four-line file are a typo that would
        // allocate gigabytes.
        let n_named = n_arc_lines.saturating_mul(2).saturating_add(n_node_lines);
        if n_nodes > n_named.saturating_add(MAX_ISOLATED_NODES) {
            return fail(
                self,
                format!(
                    "node count {n_nodes} is more than the file can use: its {} and {} name at most {n_named} nodes",
                    plural(n_arc_lines, "arc line"),
                    plural(n_node_lines, "node line"),
                ),
                &format!(
                    "write the number of nodes the problem has; at most {MAX_ISOLATED_NODES} of them may appear on no line"
                ),
            );
        }
        if kind == ProblemKind::Min {
            // A fallible reservation turns an absurd node count into an error, not an abort.
            let mut supply = Vec::new();
            if supply.try_reserve_exact(n_nodes).is_err() {
                return fail(
                    self,
                    format!("cannot allocate memory for {n_nodes} nodes"),
                    "check the node count on the problem line",
                );
            }
            supply.resize(n_nodes, 0);
            self.supply = supply;
        }
        self.net = Network::new(n_nodes);
        Some(Header {
            line,
            kind,
            n_nodes,
            n_arcs,
        })
    }

    /// The 0-based index of the node id `token`.
    fn node(&self, token: &str, what: &str, line: usize) -> Result<u32, DimacsError> {
        let Some(header) = &self.header else {
            return Err(DimacsError::new(line, "no problem line", P_LINE_HELP));
        };
        let id = int(token, what).map_err(|(m, h)| DimacsError::new(line, m, h))?;
        if id >= 1 && (id as u64) <= header.n_nodes as u64 {
            // `n_nodes <= Network::MAX_NODES < u32::MAX`, so the index fits.
            return Ok((id - 1) as u32);
        }
        let help = if header.n_nodes == 0 {
            format!("the `p` line (line {}) declares no nodes", header.line)
        } else {
            format!(
                "node ids run from 1 to {}, as declared on the `p` line (line {})",
                header.n_nodes, header.line
            )
        };
        Err(DimacsError::new(
            line,
            format!("{what} {id} is out of range"),
            help,
        ))
    }

    fn read_node(&mut self, line: usize, tokens: &[&str]) -> Result<(), DimacsError> {
        let kind = self.kind();
        let shape = match kind {
            ProblemKind::Min => "min-cost node lines read `n ID SUPPLY`, positive for a supply and negative for a demand",
            ProblemKind::Max => "max-flow node lines read `n ID s` for the source or `n ID t` for the sink",
        };
        if tokens.len() != 3 {
            return Err(DimacsError::new(
                line,
                format!(
                    "the node line has {} after `n`, expected 2",
                    plural(tokens.len() - 1, "field")
                ),
                shape,
            ));
        }
        if kind == ProblemKind::Max {
            self.source_named |= tokens[2] == "s";
            self.sink_named |= tokens[2] == "t";
        }
        let v = self.node(tokens[1], "node id", line)?;
        match kind {
            ProblemKind::Min => {
                let supply = int(tokens[2], "supply").map_err(|(m, h)| {
                    let h = if matches!(tokens[2], "s" | "t") {
                        "`s` and `t` mark the source and sink of `p max` files; a `p min` node line gives an integer supply".to_owned()
                    } else {
                        h
                    };
                    DimacsError::new(line, m, h)
                })?;
                if let Some(&first) = self.node_line.get(&v) {
                    return Err(DimacsError::new(
                        line,
                        format!("a second node line for node {}", v + 1),
                        format!("node {} already has its supply on line {first}; merge the two lines into one", v + 1),
                    ));
                }
                self.node_line.insert(v, line);
                self.supply[v as usize] = supply;
            }
            ProblemKind::Max => {
                let (slot, other, role, other_role) = match tokens[2] {
                    "s" => (self.source, self.sink, "source", "sink"),
                    "t" => (self.sink, self.source, "sink", "source"),
                    other => {
                        return Err(DimacsError::new(
                            line,
                            format!("node role `{}` is neither `s` nor `t`", truncate(other)),
                            shape,
                        ))
                    }
                };
                if let Some((u, first)) = slot {
                    return Err(DimacsError::new(
                        line,
                        format!("a second {role}"),
                        format!(
                            "a max-flow problem has exactly one {role}, node {} (line {first}); remove one of the lines",
                            u + 1
                        ),
                    ));
                }
                if let Some((u, first)) = other.filter(|(u, _)| *u == v) {
                    return Err(DimacsError::new(
                        line,
                        format!("node {} is both the {other_role} and the {role}", u + 1),
                        format!("line {first} already made it the {other_role}; the source and the sink must differ"),
                    ));
                }
                if role == "source" {
                    self.source = Some((v, line));
                } else {
                    self.sink = Some((v, line));
                }
            }
        }
        Ok(())
    }

    fn read_arc(&mut self, line: usize, tokens: &[&str]) -> Result<(), DimacsError> {
        let kind = self.kind();
        let expected = match kind {
            ProblemKind::Min => 6,
            ProblemKind::Max => 4,
        };
        if tokens.len() != expected {
            let help = match (kind, tokens.len()) {
                (ProblemKind::Min, 4) => "min-cost arc lines read `a SRC DST LOW CAP COST`; `a SRC DST CAP` is the max-flow form",
                (ProblemKind::Min, _) => "min-cost arc lines read `a SRC DST LOW CAP COST`",
                (ProblemKind::Max, 6) => "max-flow arc lines read `a SRC DST CAP`; lower bounds and costs belong in `p min` files",
                (ProblemKind::Max, _) => "max-flow arc lines read `a SRC DST CAP`",
            };
            return Err(DimacsError::new(
                line,
                format!(
                    "the arc line has {} after `a`, expected {}",
                    plural(tokens.len() - 1, "field"),
                    expected - 1
                ),
                help,
            ));
        }
        let tail = self.node(tokens[1], "arc tail", line)?;
        let head = self.node(tokens[2], "arc head", line)?;
        let number = |token: &str, what: &str| {
            int(token, what).map_err(|(m, h)| DimacsError::new(line, m, h))
        };
        let (lower, upper, cost) = match kind {
            ProblemKind::Min => (
                number(tokens[3], "lower bound")?,
                number(tokens[4], "capacity")?,
                number(tokens[5], "cost")?,
            ),
            ProblemKind::Max => (0, number(tokens[3], "capacity")?, 0),
        };
        if lower < 0 {
            return Err(DimacsError::new(
                line,
                format!("lower bound {lower} is negative"),
                "lower bounds must be at least 0; to allow flow both ways, add a reverse arc",
            ));
        }
        if upper < 0 {
            return Err(DimacsError::new(
                line,
                format!("capacity {upper} is negative"),
                format!("capacities must be at least 0; write {INF} for an uncapacitated arc"),
            ));
        }
        if lower > upper {
            return Err(DimacsError::new(
                line,
                format!("lower bound {lower} exceeds capacity {upper}"),
                "an arc needs 0 <= LOW <= CAP; raise the capacity or lower the bound",
            ));
        }
        // Only a file with no error so far builds the network: the rest is discarded anyway,
        // and this keeps arc indices equal to arc line order.
        if self.errors.is_empty() {
            self.net
                .add_arc(NodeIdx(tail), NodeIdx(head), lower, upper, cost)
                .map_err(|e| {
                    DimacsError::new(line, e.to_string(), "check the values on this line")
                })?;
        }
        Ok(())
    }

    fn kind(&self) -> ProblemKind {
        self.header.as_ref().map_or(ProblemKind::Min, |h| h.kind)
    }

    fn finish(mut self) -> Result<Problem, ParseError> {
        let Some(header) = self.header.take() else {
            return Err(ParseError::from_errors(self.errors));
        };
        if self.n_arc_lines != header.n_arcs {
            self.errors.push(DimacsError::new(
                header.line,
                format!(
                    "the problem line declares {} but the file has {}",
                    plural(header.n_arcs, "arc"),
                    plural(self.n_arc_lines, "arc line")
                ),
                format!(
                    "write `p {} {} {}` or add the missing arcs",
                    header.kind.as_str(),
                    header.n_nodes,
                    self.n_arc_lines
                ),
            ));
        }
        let terminals = match header.kind {
            ProblemKind::Min => None,
            ProblemKind::Max => {
                for (named, role, letter) in [
                    (self.source_named, "source", 's'),
                    (self.sink_named, "sink", 't'),
                ] {
                    if !named {
                        self.errors.push(DimacsError::new(
                            header.line,
                            format!("the max-flow problem has no {role}"),
                            format!("add a node line `n ID {letter}` after the problem line"),
                        ));
                    }
                }
                self.source.zip(self.sink)
            }
        };
        if !self.errors.is_empty() {
            return Err(ParseError::from_errors(self.errors));
        }
        Ok(match terminals {
            None => Problem::MinCost {
                net: self.net,
                supply: self.supply,
            },
            Some(((source, _), (sink, _))) => Problem::MaxFlow {
                net: self.net,
                source: NodeIdx(source),
                sink: NodeIdx(sink),
            },
        })
    }
}

/// Parses a decimal `i64`; on failure returns a message and a help text.
pub(crate) fn int(token: &str, what: &str) -> Result<i64, (String, String)> {
    use std::num::IntErrorKind;
    token.parse::<i64>().map_err(|e| match e.kind() {
        IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => (
            format!(
                "{what} `{}` does not fit in a 64-bit integer",
                truncate(token)
            ),
            format!(
                "values must lie between {} and {}; scale the data down{}",
                i64::MIN,
                i64::MAX,
                if what == "capacity" {
                    " (the largest value means uncapacitated)"
                } else {
                    ""
                }
            ),
        ),
        _ => (
            format!("{what} `{}` is not an integer", truncate(token)),
            "write a whole number in decimal digits, such as `12` or `-3`".to_owned(),
        ),
    })
}

/// Shortens a token quoted in a message, so a garbage line cannot flood the terminal.
pub(crate) fn truncate(token: &str) -> String {
    const MAX_CHARS: usize = 24;
    if token.chars().count() <= MAX_CHARS {
        token.to_owned()
    } else {
        let head: String = token.chars().take(MAX_CHARS).collect();
        format!("{head}…")
    }
}

/// `"1 field"`, `"2 fields"`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: a node count far beyond what the file names allocated ~800 MB (and seconds)
    /// before any other check.
    #[test]
    fn a_node_count_the_file_cannot_use_is_refused_before_allocating() {
        let err = parse("p min 100000000 1\nn 1 5\nn 2 -5\na 1 2 0 5 1\n")
            .expect_err("a hundred million nodes in a four-line file");
        assert_eq!(
            err.to_string(),
            "line 1: node count 100000000 is more than the file can use: its 1 arc line and 2 node lines \
             name at most 4 nodes — write the number of nodes the problem has; at most 1000000 of them \
             may appear on no line"
        );
        let err = parse("p max 4294967000 0\n").expect_err("no lines at all");
        assert!(err
            .to_string()
            .starts_with("line 1: node count 4294967000 is more"));
        // Isolated nodes within the allowance still read.
        let problem = parse("p min 1000 1\nn 1 5\nn 2 -5\na 1 2 0 5 1\n").expect("isolated nodes");
        assert_eq!(problem.net().n_nodes(), 1000);
    }
}
