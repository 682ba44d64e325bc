//! Solving a [`Problem`] with `corridor-flow`, and reading and writing solutions.

use std::fmt::Write as _;

use corridor_flow::{max_flow, min_cost_flow, FlowError, McfOutcome, Network};
use serde::{Deserialize, Serialize};

use crate::error::{DimacsError, ParseError};
use crate::read::{int, plural, truncate};
use crate::{Problem, ProblemKind};

/// How a problem ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// An optimal flow was found.
    Optimal,
    /// No flow meets the supplies within the bounds (min-cost flow only).
    Infeasible,
    /// The objective is unbounded: a negative-cost cycle of uncapacitated arcs (min-cost
    /// flow), or a path of uncapacitated arcs from the source to the sink (max flow).
    Unbounded,
}

impl Status {
    /// The word used in solutions: `"optimal"`, `"infeasible"` or `"unbounded"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Infeasible => "infeasible",
            Status::Unbounded => "unbounded",
        }
    }
}

/// The flow on one arc, with the arc's 1-based endpoints as in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ArcFlow {
    /// Tail node id, 1-based.
    pub src: u32,
    /// Head node id, 1-based.
    pub dst: u32,
    /// Units of flow.
    pub flow: i64,
}

/// A solution: what [`solve`] returns and [`parse_solution`] reads.
///
/// `objective` is `Some` exactly when `status` is [`Status::Optimal`], and `flows` then holds
/// one entry per arc in input order; otherwise `flows` is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolveResult {
    /// The kind of problem solved.
    pub problem: ProblemKind,
    /// How it ended.
    pub status: Status,
    /// Total cost (min-cost flow) or flow value (max flow).
    pub objective: Option<i128>,
    /// Flow per arc, in input order.
    pub flows: Vec<ArcFlow>,
}

/// Solves a problem with `corridor-flow`: [`min_cost_flow`] for `p min`, [`max_flow`] from
/// the source to the sink for `p max`.
///
/// # Returns
/// The status, the objective and one [`ArcFlow`] per arc when optimal. Infeasible and
/// unbounded problems are results, not errors; a max-flow problem whose source reaches the
/// sink through uncapacitated arcs is [`Status::Unbounded`].
///
/// # Errors
/// The [`FlowError`] of the solver for input it cannot handle exactly, for example costs or
/// capacities too large for 64-bit arithmetic.
///
/// # Complexity
/// That of the solver.
pub fn solve(problem: &Problem) -> Result<SolveResult, FlowError> {
    let kind = problem.kind();
    let outcome = match problem {
        Problem::MinCost { net, supply } => match min_cost_flow(net, supply)? {
            McfOutcome::Optimal(solution) => Ok((solution.cost, solution.flow)),
            McfOutcome::Infeasible => Err(Status::Infeasible),
            McfOutcome::Unbounded => Err(Status::Unbounded),
        },
        Problem::MaxFlow { net, source, sink } => match max_flow(net, &[*source], &[*sink]) {
            Ok(mf) => Ok((i128::from(mf.value), mf.flow)),
            Err(FlowError::UnboundedFlow) => Err(Status::Unbounded),
            Err(e) => return Err(e),
        },
    };
    Ok(match outcome {
        Ok((objective, flow)) => SolveResult {
            problem: kind,
            status: Status::Optimal,
            objective: Some(objective),
            flows: arc_flows(problem.net(), &flow),
        },
        Err(status) => SolveResult {
            problem: kind,
            status,
            objective: None,
            flows: Vec::new(),
        },
    })
}

fn arc_flows(net: &Network, flow: &[i64]) -> Vec<ArcFlow> {
    net.arc_indices()
        .zip(flow)
        .filter_map(|(a, &flow)| {
            let arc = net.get_arc(a)?;
            // Node indices stay below `Network::MAX_NODES < u32::MAX`, so `+ 1` fits.
            Some(ArcFlow {
                src: arc.tail.0 + 1,
                dst: arc.head.0 + 1,
                flow,
            })
        })
        .collect()
}

/// Renders a result as text: `s OBJECTIVE` (or `s infeasible` / `s unbounded`), then
/// `f SRC DST FLOW` per arc.
///
/// An optimal result without an objective, which [`solve`] never builds, renders as
/// `s optimal`.
pub fn render_text(r: &SolveResult) -> String {
    let mut out = String::with_capacity(16 + 24 * r.flows.len());
    // Writing to a `String` cannot fail, so the `fmt::Result`s are ignored.
    let _ = match (r.status, r.objective) {
        (Status::Optimal, Some(objective)) => writeln!(out, "s {objective}"),
        (status, _) => writeln!(out, "s {}", status.as_str()),
    };
    for f in &r.flows {
        let _ = writeln!(out, "f {} {} {}", f.src, f.dst, f.flow);
    }
    out
}

#[derive(Serialize)]
struct JsonOut<'a> {
    problem: &'static str,
    status: &'static str,
    objective: Option<i128>,
    flows: &'a [ArcFlow],
}

#[derive(Deserialize)]
struct JsonIn {
    problem: String,
    status: String,
    objective: Option<i128>,
    #[serde(default)]
    flows: Vec<ArcFlow>,
}

/// Renders a result as one line of JSON:
/// `{"problem":"min","status":"optimal","objective":4,"flows":[{"src":1,"dst":2,"flow":2}]}`,
/// with `"objective":null` unless optimal.
pub fn render_json(r: &SolveResult) -> String {
    let out = JsonOut {
        problem: r.problem.as_str(),
        status: r.status.as_str(),
        objective: r.objective,
        flows: &r.flows,
    };
    // Serialising strings and integers into a `String` cannot fail.
    let mut json = serde_json::to_string(&out).unwrap_or_default();
    json.push('\n');
    json
}

/// Reads a solution written by [`render_text`] or [`render_json`] (detected by a leading `{`),
/// for example another solver's output in a benchmark.
///
/// # Arguments
/// * `text` — the solution. Text solutions may contain `c` comment lines and blank lines.
/// * `kind` — the problem it answers; the text form does not say, and a JSON `problem` field
///   must agree.
///
/// # Errors
/// A [`ParseError`] listing every problem: no `s` line or a second one, an `f` line before
/// the `s` line or after a non-optimal status, wrong field counts, values that are not
/// integers or out of range (node ids are 1-based `u32`), unknown line types, or malformed
/// JSON.
///
/// This checks the form only; [`verify`] checks the flows against the problem.
pub fn parse_solution(text: &str, kind: ProblemKind) -> Result<SolveResult, ParseError> {
    if text.trim_start().starts_with('{') {
        parse_json(text, kind)
    } else {
        parse_text(text, kind)
    }
}

fn parse_text(text: &str, kind: ProblemKind) -> Result<SolveResult, ParseError> {
    let mut errors = Vec::new();
    let mut s_line: Option<(usize, Status, Option<i128>)> = None;
    let mut flows = Vec::new();
    let mut first_line = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let Some(&first) = tokens.first() else {
            continue;
        };
        if first.starts_with('c') {
            continue;
        }
        first_line.get_or_insert(line_no);
        if errors.len() >= 200 {
            errors.push(DimacsError::new(
                line_no,
                "stopped reading after 200 errors",
                "fix the errors above first; is this a solution file?",
            ));
            break;
        }
        match first {
            "s" => {
                if let Some((first, ..)) = s_line {
                    errors.push(DimacsError::new(
                        line_no,
                        "a second `s` line",
                        format!("a solution has one status line, already given on line {first}"),
                    ));
                    continue;
                }
                let status_help =
                    "the status line reads `s OBJECTIVE`, `s infeasible` or `s unbounded`";
                if tokens.len() != 2 {
                    errors.push(DimacsError::new(
                        line_no,
                        format!(
                            "the status line has {} after `s`, expected 1",
                            plural(tokens.len() - 1, "field")
                        ),
                        status_help,
                    ));
                    // Remember the line anyway so that the `f` lines are still checked.
                    s_line = Some((line_no, Status::Optimal, None));
                    continue;
                }
                let (status, objective) = match tokens[1] {
                    "infeasible" => (Status::Infeasible, None),
                    "unbounded" => (Status::Unbounded, None),
                    token => match token.parse::<i128>() {
                        Ok(v) => (Status::Optimal, Some(v)),
                        Err(_) => {
                            errors.push(DimacsError::new(
                                line_no,
                                format!(
                                    "status `{}` is neither an integer objective nor `infeasible` or `unbounded`",
                                    truncate(token)
                                ),
                                status_help,
                            ));
                            (Status::Optimal, None)
                        }
                    },
                };
                s_line = Some((line_no, status, objective));
            }
            "f" => {
                let checked = match s_line {
                    None => Err(DimacsError::new(
                        line_no,
                        "flow line before the `s` line",
                        "a solution starts with its status line `s ...`",
                    )),
                    Some((s, status, _)) if status != Status::Optimal => Err(DimacsError::new(
                        line_no,
                        format!("flow line after `s {}`", status.as_str()),
                        format!("only an optimal solution lists flows; remove this line or fix the status on line {s}"),
                    )),
                    Some(_) => read_flow(line_no, &tokens),
                };
                match checked {
                    Ok(f) => flows.push(f),
                    Err(e) => errors.push(e),
                }
            }
            other => errors.push(DimacsError::new(
                line_no,
                format!("unknown line type `{}`", truncate(other)),
                "solution lines start with `c` (comment), `s` (status) or `f` (flow)",
            )),
        }
    }
    let Some((_, status, objective)) = s_line else {
        errors.push(DimacsError::new(
            first_line.unwrap_or(1),
            "no status line",
            "a solution starts with `s OBJECTIVE`, `s infeasible` or `s unbounded`",
        ));
        return Err(ParseError::from_errors(errors));
    };
    if !errors.is_empty() {
        return Err(ParseError::from_errors(errors));
    }
    Ok(SolveResult {
        problem: kind,
        status,
        objective,
        flows,
    })
}

fn read_flow(line: usize, tokens: &[&str]) -> Result<ArcFlow, DimacsError> {
    if tokens.len() != 4 {
        return Err(DimacsError::new(
            line,
            format!(
                "the flow line has {} after `f`, expected 3",
                plural(tokens.len() - 1, "field")
            ),
            "flow lines read `f SRC DST FLOW`",
        ));
    }
    let node = |token: &str, what: &str| -> Result<u32, DimacsError> {
        let id = int(token, what).map_err(|(m, h)| DimacsError::new(line, m, h))?;
        match u32::try_from(id) {
            Ok(id) if id >= 1 => Ok(id),
            _ => Err(DimacsError::new(
                line,
                format!("{what} {id} is out of range"),
                format!("node ids are 1-based and at most {}", u32::MAX),
            )),
        }
    };
    Ok(ArcFlow {
        src: node(tokens[1], "flow tail")?,
        dst: node(tokens[2], "flow head")?,
        flow: int(tokens[3], "flow").map_err(|(m, h)| DimacsError::new(line, m, h))?,
    })
}

fn parse_json(text: &str, kind: ProblemKind) -> Result<SolveResult, ParseError> {
    let json: JsonIn = serde_json::from_str(text).map_err(|e| {
        DimacsError::new(
            e.line().max(1),
            format!("invalid JSON solution: {e}"),
            r#"a JSON solution reads {"problem":"min","status":"optimal","objective":4,"flows":[{"src":1,"dst":2,"flow":2}]}"#,
        )
    })?;
    // serde_json does not say where a field was, so these errors point at line 1.
    let mut errors = Vec::new();
    if json.problem != kind.as_str() {
        errors.push(DimacsError::new(
            1,
            format!(
                "the solution is for a `{}` problem, expected `{}`",
                truncate(&json.problem),
                kind.as_str()
            ),
            "compare the solution with the problem file it answers",
        ));
    }
    let status = match json.status.as_str() {
        "optimal" => Some(Status::Optimal),
        "infeasible" => Some(Status::Infeasible),
        "unbounded" => Some(Status::Unbounded),
        other => {
            errors.push(DimacsError::new(
                1,
                format!("unknown status `{}`", truncate(other)),
                r#"the status is "optimal", "infeasible" or "unbounded""#,
            ));
            None
        }
    };
    match (status, json.objective) {
        (Some(Status::Optimal), None) => errors.push(DimacsError::new(
            1,
            "an optimal solution without an objective",
            r#"give the objective as an integer, e.g. "objective":23"#,
        )),
        (Some(s @ (Status::Infeasible | Status::Unbounded)), Some(_)) => {
            errors.push(DimacsError::new(
                1,
                format!("an {} solution with an objective", s.as_str()),
                r#"write "objective":null unless the status is "optimal""#,
            ))
        }
        _ => {}
    }
    if status.is_some_and(|s| s != Status::Optimal) && !json.flows.is_empty() {
        errors.push(DimacsError::new(
            1,
            "a solution that is not optimal lists flows",
            r#"write "flows":[] unless the status is "optimal""#,
        ));
    }
    if let Some(f) = json.flows.iter().find(|f| f.src == 0 || f.dst == 0) {
        errors.push(DimacsError::new(
            1,
            format!("flow on arc {} -> {} names node 0", f.src, f.dst),
            "node ids are 1-based",
        ));
    }
    match status {
        Some(status) if errors.is_empty() => Ok(SolveResult {
            problem: kind,
            status,
            objective: json.objective,
            flows: json.flows,
        }),
        _ => Err(ParseError::from_errors(errors)),
    }
}

/// Checks a solution's flows against a problem: one flow per arc with the arc's endpoints,
/// within the bounds, conserved at every node (min-cost: outflow − inflow = supply; max flow:
/// at every node but the source and the sink), and adding up to the objective (total cost,
/// or the net flow out of the source and into the sink).
///
/// It does not prove optimality: compare the objective with a trusted one for that. A
/// solution that is not optimal passes if it has no objective and no flows.
///
/// # Errors
/// A description of each violation found (at most 50), such as
/// `arc 3 (2 -> 4): flow 7 exceeds the capacity 5`.
///
/// # Complexity
/// O(NODES + ARCS).
pub fn verify(problem: &Problem, result: &SolveResult) -> Result<(), Vec<String>> {
    const MAX_VIOLATIONS: usize = 50;
    let mut bad = Vec::new();
    if result.problem != problem.kind() {
        bad.push(format!(
            "the solution is for a `{}` problem but the problem is `{}`",
            result.problem.as_str(),
            problem.kind().as_str()
        ));
    }
    let objective = match (result.status, result.objective) {
        (Status::Optimal, Some(objective)) => objective,
        (Status::Optimal, None) => {
            bad.push("an optimal solution without an objective".to_owned());
            return Err(bad);
        }
        (status, objective) => {
            if objective.is_some() {
                bad.push(format!("an {} solution with an objective", status.as_str()));
            }
            if !result.flows.is_empty() {
                bad.push(format!("an {} solution with flows", status.as_str()));
            }
            return if bad.is_empty() { Ok(()) } else { Err(bad) };
        }
    };
    let net = problem.net();
    if result.flows.len() != net.n_arcs() {
        bad.push(format!(
            "the solution has {} but the problem has {}",
            plural(result.flows.len(), "flow"),
            plural(net.n_arcs(), "arc")
        ));
        return Err(bad);
    }
    let mut balance = vec![0i128; net.n_nodes()];
    let mut cost: Option<i128> = Some(0);
    for (a, f) in net.arc_indices().zip(&result.flows) {
        let Some(arc) = net.get_arc(a) else { break };
        let (tail, head) = (u64::from(arc.tail.0) + 1, u64::from(arc.head.0) + 1);
        let label = format!("arc {} ({tail} -> {head})", a.0 + 1);
        if (u64::from(f.src), u64::from(f.dst)) != (tail, head) {
            bad.push(format!(
                "{label}: the solution gives its flow as {} -> {}",
                f.src, f.dst
            ));
        }
        let lower = match problem {
            Problem::MinCost { .. } => arc.lower,
            Problem::MaxFlow { .. } => 0,
        };
        if f.flow < lower {
            bad.push(format!(
                "{label}: flow {} is below the lower bound {lower}",
                f.flow
            ));
        }
        if f.flow > arc.upper {
            bad.push(format!(
                "{label}: flow {} exceeds the capacity {}",
                f.flow, arc.upper
            ));
        }
        balance[arc.tail.idx()] += i128::from(f.flow);
        balance[arc.head.idx()] -= i128::from(f.flow);
        cost = cost.and_then(|c| c.checked_add(i128::from(f.flow) * i128::from(arc.cost)));
    }
    match problem {
        Problem::MinCost { supply, .. } => {
            for (v, &b) in balance.iter().enumerate() {
                let s = i128::from(supply.get(v).copied().unwrap_or(0));
                if b != s {
                    bad.push(format!(
                        "node {}: outflow - inflow is {b} but the supply is {s}",
                        v + 1
                    ));
                }
            }
            match cost {
                Some(cost) if cost == objective => {}
                Some(cost) => bad.push(format!(
                    "the flows cost {cost} but the objective is {objective}"
                )),
                None => bad.push("the total cost overflows 128-bit integers".to_owned()),
            }
        }
        Problem::MaxFlow { source, sink, .. } => {
            for (v, &b) in balance.iter().enumerate() {
                let expected = if v == source.idx() {
                    objective
                } else if v == sink.idx() {
                    -objective
                } else {
                    0
                };
                if b != expected {
                    bad.push(format!(
                        "node {}: outflow - inflow is {b}, expected {expected}",
                        v + 1
                    ));
                }
            }
        }
    }
    if bad.len() > MAX_VIOLATIONS {
        let more = bad.len() - MAX_VIOLATIONS;
        bad.truncate(MAX_VIOLATIONS);
        bad.push(format!("… and {more} more"));
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad)
    }
}
