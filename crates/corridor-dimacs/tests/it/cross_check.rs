//! `solve` agrees with a small, independent successive-shortest-path solver (corridor-fixtures'
//! `flow`, shared with corridor-flow's tests) on random problems that went through a
//! write/parse round trip.

use corridor_dimacs::{parse, solve, verify, Problem, Status};
use corridor_fixtures::flow::{min_cost_flow, RefMcf as Reference};
use corridor_flow::INF;
use proptest::prelude::*;

use crate::common::{max_problem, min_problem};

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
        check(&problem, min_cost_flow(net, supply))?;
    }

    /// Maximum flow is the min-cost circulation with a return arc of cost -1 from the sink
    /// to the source; an uncapacitated source-sink path then closes an unbounded cycle.
    #[test]
    fn max_flow_matches_successive_shortest_paths(problem in max_problem()) {
        let Problem::MaxFlow { net, source, sink } = &problem else { unreachable!() };
        let mut circulation = net.clone();
        circulation
            .add_arc(*sink, *source, 0, INF, -1)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let expected = match min_cost_flow(&circulation, &vec![0; net.n_nodes()]) {
            Reference::Optimal(cost) => Reference::Optimal(-cost),
            other => other,
        };
        check(&problem, expected)?;
    }
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
