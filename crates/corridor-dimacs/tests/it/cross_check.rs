//! `solve` agrees with a small, independent successive-shortest-path solver on random
//! problems that went through a write/parse round trip.

use corridor_dimacs::{parse, solve, verify, Problem, Status};
use corridor_flow::INF;
use proptest::prelude::*;

use crate::common::{max_problem, min_problem};

/// What the reference solver concludes.
#[derive(Debug, PartialEq)]
enum Reference {
    Optimal(i128),
    Infeasible,
    Unbounded,
}

/// Residual graph: edge `e` and its reverse `e ^ 1`.
struct Residual {
    first: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i128>,
    cost: Vec<i128>,
}

impl Residual {
    fn new(n: usize) -> Self {
        Residual {
            first: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
        }
    }

    fn add(&mut self, u: usize, v: usize, cap: i128, cost: i128) -> usize {
        let e = self.to.len();
        self.first[u].push(e);
        self.to.push(v);
        self.cap.push(cap);
        self.cost.push(cost);
        self.first[v].push(e + 1);
        self.to.push(u);
        self.cap.push(0);
        self.cost.push(-cost);
        e
    }
}

/// Successive shortest paths with Bellman-Ford from a super source to a super sink.
///
/// `arcs` are `(tail, head, capacity, cost)` with non-negative costs on every residual arc
/// (the caller saturates negative arcs first), so no negative cycle ever appears. Returns
/// the flow per arc, or `None` if the imbalances `b` cannot all be routed.
fn ssp(n: usize, arcs: &[(usize, usize, i128, i128)], b: &[i128]) -> Option<Vec<i128>> {
    let (source, sink) = (n, n + 1);
    let mut g = Residual::new(n + 2);
    let edges: Vec<usize> = arcs
        .iter()
        .map(|&(u, v, cap, cost)| g.add(u, v, cap, cost))
        .collect();
    let mut needed = 0;
    for v in 0..n {
        if b[v] > 0 {
            g.add(source, v, b[v], 0);
            needed += b[v];
        } else if b[v] < 0 {
            g.add(v, sink, -b[v], 0);
        }
    }
    loop {
        let mut dist: Vec<Option<i128>> = vec![None; n + 2];
        let mut pred = vec![usize::MAX; n + 2];
        dist[source] = Some(0);
        for _ in 0..n + 2 {
            let mut changed = false;
            for u in 0..n + 2 {
                let Some(du) = dist[u] else { continue };
                for &e in &g.first[u] {
                    let v = g.to[e];
                    if g.cap[e] > 0 && dist[v].is_none_or(|dv| du + g.cost[e] < dv) {
                        dist[v] = Some(du + g.cost[e]);
                        pred[v] = e;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if dist[sink].is_none() {
            break;
        }
        let mut bottleneck = i128::MAX;
        let mut v = sink;
        while v != source {
            bottleneck = bottleneck.min(g.cap[pred[v]]);
            v = g.to[pred[v] ^ 1];
        }
        let mut v = sink;
        while v != source {
            g.cap[pred[v]] -= bottleneck;
            g.cap[pred[v] ^ 1] += bottleneck;
            v = g.to[pred[v] ^ 1];
        }
        needed -= bottleneck;
    }
    (needed == 0).then(|| edges.iter().map(|&e| g.cap[e ^ 1]).collect())
}

/// Min-cost flow by successive shortest paths. Lower bounds are moved into the supplies;
/// node potentials from Bellman-Ford over the uncapacitated arcs make their reduced costs
/// non-negative (a negative cycle among them means unbounded, once feasible), and finite
/// arcs of negative reduced cost start saturated.
fn reference(n: usize, arcs: &[(usize, usize, i64, i64, i64)], supply: &[i64]) -> Reference {
    // Bigger than any flow these small problems can route.
    const BIG: i128 = 1 << 80;
    if supply.iter().map(|&s| i128::from(s)).sum::<i128>() != 0 {
        return Reference::Infeasible;
    }
    let mut b: Vec<i128> = supply.iter().map(|&s| i128::from(s)).collect();
    let mut residual_cap = Vec::new();
    for &(u, v, lower, upper, _) in arcs {
        b[u] -= i128::from(lower);
        b[v] += i128::from(lower);
        residual_cap.push(if upper == INF {
            BIG
        } else {
            i128::from(upper - lower)
        });
    }
    let zero_cost: Vec<_> = arcs
        .iter()
        .zip(&residual_cap)
        .map(|(&(u, v, ..), &cap)| (u, v, cap, 0))
        .collect();
    if ssp(n, &zero_cost, &b).is_none() {
        return Reference::Infeasible;
    }

    let mut d = vec![0i128; n];
    for round in 0..=n {
        let mut changed = false;
        for &(u, v, _, upper, cost) in arcs {
            if upper == INF && d[u] + i128::from(cost) < d[v] {
                d[v] = d[u] + i128::from(cost);
                changed = true;
            }
        }
        if !changed {
            break;
        }
        if round == n {
            return Reference::Unbounded;
        }
    }

    let mut start = vec![0i128; arcs.len()];
    let mut reduced = Vec::new();
    for (i, &(u, v, _, _, cost)) in arcs.iter().enumerate() {
        let rc = i128::from(cost) + d[u] - d[v];
        if rc < 0 {
            // Only finite arcs can have a negative reduced cost.
            start[i] = residual_cap[i];
            b[u] -= residual_cap[i];
            b[v] += residual_cap[i];
            reduced.push((v, u, residual_cap[i], -rc));
        } else {
            reduced.push((u, v, residual_cap[i], rc));
        }
    }
    let Some(flow) = ssp(n, &reduced, &b) else {
        unreachable!("the zero-cost pass found the problem feasible");
    };
    let cost = arcs
        .iter()
        .enumerate()
        .map(|(i, &(_, _, lower, _, cost))| {
            let x = if start[i] > 0 {
                start[i] - flow[i]
            } else {
                flow[i]
            };
            (x + i128::from(lower)) * i128::from(cost)
        })
        .sum();
    Reference::Optimal(cost)
}

fn raw_arcs(problem: &Problem) -> Vec<(usize, usize, i64, i64, i64)> {
    let net = problem.net();
    net.arc_indices()
        .map(|a| net.arc(a))
        .map(|a| (a.tail.idx(), a.head.idx(), a.lower, a.upper, a.cost))
        .collect()
}

/// Solves `problem` after a write/parse round trip and compares with `expected`.
fn check(problem: &Problem, expected: Reference) -> Result<(), TestCaseError> {
    let text = corridor_dimacs::write(problem);
    let reread = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    let result = solve(&reread).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    let got = match result.status {
        Status::Optimal => Reference::Optimal(result.objective.unwrap_or(i128::MIN)),
        Status::Infeasible => Reference::Infeasible,
        Status::Unbounded => Reference::Unbounded,
    };
    prop_assert_eq!(got, expected, "{}", text);
    prop_assert_eq!(verify(&reread, &result), Ok(()), "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn min_cost_matches_successive_shortest_paths(problem in min_problem()) {
        let Problem::MinCost { net, supply } = &problem else { unreachable!() };
        let expected = reference(net.n_nodes(), &raw_arcs(&problem), supply);
        check(&problem, expected)?;
    }

    /// Maximum flow is the min-cost circulation with a return arc of cost -1 from the sink
    /// to the source; an uncapacitated source-sink path then closes an unbounded cycle.
    #[test]
    fn max_flow_matches_successive_shortest_paths(problem in max_problem()) {
        let Problem::MaxFlow { net, source, sink } = &problem else { unreachable!() };
        let mut arcs = raw_arcs(&problem);
        arcs.push((sink.idx(), source.idx(), 0, INF, -1));
        let expected = match reference(net.n_nodes(), &arcs, &vec![0; net.n_nodes()]) {
            Reference::Optimal(cost) => Reference::Optimal(-cost),
            other => other,
        };
        check(&problem, expected)?;
    }
}

#[test]
fn reference_solves_the_textbook_case() {
    // The hand-checked case of tests/cases/textbook.min, as a sanity check of the reference.
    let arcs = [
        (0, 1, 0, 4, 2),
        (0, 2, 0, 2, 2),
        (1, 2, 0, 2, 1),
        (1, 3, 0, 3, 3),
        (2, 3, 0, 5, 1),
    ];
    assert_eq!(reference(4, &arcs, &[4, 0, 0, -4]), Reference::Optimal(14));
    assert_eq!(
        reference(2, &[(0, 1, 0, 3, 1)], &[4, -4]),
        Reference::Infeasible
    );
    assert_eq!(
        reference(2, &[(0, 1, 0, INF, -1), (1, 0, 0, INF, 0)], &[0, 0]),
        Reference::Unbounded
    );
}

/// The generators must keep producing every outcome, or the property tests above would
/// quietly stop testing some of them.
#[test]
fn random_problems_cover_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let mut counts = [0usize; 6];
    for _ in 0..400 {
        for (offset, strategy) in [(0, min_problem().boxed()), (3, max_problem().boxed())] {
            let problem = strategy
                .new_tree(&mut runner)
                .expect("generator works")
                .current();
            let status = solve(&problem).expect("solvable").status;
            counts[offset + status as usize] += 1;
        }
    }
    // [min optimal, min infeasible, min unbounded, max optimal, max infeasible, max unbounded]
    let [mo, mi, mu, xo, xi, xu] = counts;
    assert!(mo >= 40 && mi >= 40 && mu >= 20, "{counts:?}");
    assert!(xo >= 40 && xi == 0 && xu >= 20, "{counts:?}");
}
