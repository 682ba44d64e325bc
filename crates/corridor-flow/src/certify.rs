//! Certificates: an answer is checked against its own optimality conditions before anyone prints it.
//! A max-flow is a feasible flow whose value equals the capacity of a cut; a min-cost flow is a
//! feasible flow meeting the supplies whose arcs' reduced costs (from its potentials) have the right
//! sign, with its cost recomputed. Everything is integer, so the checks are exact, and each costs one
//! pass over the arcs — cheap beside any solve.

use crate::{Arc, ArcIdx, MaxFlow, McfSolution, Network, NodeIdx};

/// Checks `mf` as a maximum flow from `sources` to `sinks` on `net`; `Err` names the first condition
/// that fails.
pub fn certify_max_flow(
    net: &Network,
    sources: &[NodeIdx],
    sinks: &[NodeIdx],
    mf: &MaxFlow,
) -> Result<(), String> {
    let n = net.n_nodes();
    if mf.flow.len() != net.n_arcs() || mf.source_side.len() != n {
        return Err(format!(
            "the answer has {} arc flows and {} node sides for {} arcs and {n} nodes",
            mf.flow.len(),
            mf.source_side.len(),
            net.n_arcs()
        ));
    }
    let mut terminal = vec![false; n];
    for v in sources.iter().chain(sinks) {
        if let Some(t) = terminal.get_mut(v.idx()) {
            *t = true;
        }
    }
    let mut balance = vec![0i128; n];
    let mut cut = 0i128;
    for a in net.arc_indices() {
        let arc = net.arc(a);
        let f = mf.flow[a.idx()];
        if f < arc.lower || f > arc.upper {
            return Err(format!(
                "arc {a} carries {f}, outside its bounds {}..{}",
                arc.lower, arc.upper
            ));
        }
        balance[arc.tail.idx()] -= i128::from(f);
        balance[arc.head.idx()] += i128::from(f);
        let (from, to) = (
            mf.source_side[arc.tail.idx()],
            mf.source_side[arc.head.idx()],
        );
        if from && !to {
            if f != arc.upper {
                return Err(format!(
                    "arc {a} crosses the minimum cut but carries {f} of {}",
                    arc.upper
                ));
            }
            cut += i128::from(arc.upper);
        } else if !from && to && f != arc.lower {
            return Err(format!(
                "arc {a} runs back across the minimum cut with {f} (more than its lower bound {})",
                arc.lower
            ));
        }
    }
    if let Some(v) = (0..n).find(|&v| !terminal[v] && balance[v] != 0) {
        return Err(format!(
            "flow is not conserved at node {v}: {} in more than out",
            balance[v]
        ));
    }
    let delivered: i128 = sinks
        .iter()
        .filter(|s| !sources.contains(s))
        .map(|s| balance[s.idx()])
        .sum();
    if i128::from(mf.value) != delivered {
        return Err(format!(
            "the value {} differs from the {delivered} the sinks receive",
            mf.value
        ));
    }
    if i128::from(mf.value) != cut {
        return Err(format!(
            "the value {} differs from the capacity {cut} of the minimum cut",
            mf.value
        ));
    }
    Ok(())
}

/// Checks `s` as a minimum-cost flow on `net` with node `supply` (positive where flow enters); `Err`
/// names the first condition that fails.
pub fn certify_min_cost_flow(net: &Network, supply: &[i64], s: &McfSolution) -> Result<(), String> {
    check_min_cost_flow(
        net.n_nodes(),
        net.n_arcs(),
        |a| net.arc(ArcIdx(a as u32)),
        supply,
        s,
    )
}

/// The checks of [`certify_min_cost_flow`] over any arc store: `arc(a)` gives arc `a` for
/// `a < n_arcs`. [`crate::McfSolver::certify`] reads its own arrays through it rather than copy
/// its network.
pub(crate) fn check_min_cost_flow(
    n: usize,
    n_arcs: usize,
    arc: impl Fn(usize) -> Arc,
    supply: &[i64],
    s: &McfSolution,
) -> Result<(), String> {
    if s.flow.len() != n_arcs || s.potential.len() != n || supply.len() != n {
        return Err(format!(
            "the answer has {} arc flows and {} potentials for {n_arcs} arcs and {n} nodes",
            s.flow.len(),
            s.potential.len(),
        ));
    }
    let mut out_minus_in = vec![0i128; n];
    let mut cost = 0i128;
    for (i, &f) in s.flow.iter().enumerate() {
        let a = ArcIdx(i as u32);
        let arc = arc(i);
        if f < arc.lower || f > arc.upper {
            return Err(format!(
                "arc {a} carries {f}, outside its bounds {}..{}",
                arc.lower, arc.upper
            ));
        }
        out_minus_in[arc.tail.idx()] += i128::from(f);
        out_minus_in[arc.head.idx()] -= i128::from(f);
        cost += i128::from(f) * i128::from(arc.cost);
        let reduced = i128::from(arc.cost) + i128::from(s.potential[arc.tail.idx()])
            - i128::from(s.potential[arc.head.idx()]);
        if f < arc.upper && reduced < 0 {
            return Err(format!(
                "arc {a} has room ({f} of {}) and a negative reduced cost {reduced}: the flow is not optimal",
                arc.upper
            ));
        }
        if f > arc.lower && reduced > 0 {
            return Err(format!(
                "arc {a} carries {f} above its lower bound at a positive reduced cost {reduced}: the flow is not optimal"
            ));
        }
    }
    if let Some(v) = (0..n).find(|&v| out_minus_in[v] != i128::from(supply[v])) {
        return Err(format!(
            "node {v} sends {} but its supply is {}",
            out_minus_in[v], supply[v]
        ));
    }
    if cost != s.cost {
        return Err(format!(
            "the reported cost {} differs from the recomputed {cost}",
            s.cost
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{max_flow, min_cost_flow, McfOutcome, McfSolver};

    fn diamond() -> Network {
        let mut net = Network::new(4);
        for (t, h, cap, cost) in [
            (0, 1, 3, 1),
            (0, 2, 2, 2),
            (1, 3, 2, 1),
            (2, 3, 3, 1),
            (1, 2, 1, 0),
        ] {
            net.add_arc(NodeIdx(t), NodeIdx(h), 0, cap, cost)
                .expect("arc");
        }
        net
    }

    #[test]
    fn a_solver_s_max_flow_passes_and_a_tampered_one_fails() {
        let net = diamond();
        let (s, t) = ([NodeIdx(0)], [NodeIdx(3)]);
        let mut mf = max_flow(&net, &s, &t).expect("max flow");
        assert_eq!(mf.value, 5);
        certify_max_flow(&net, &s, &t, &mf).expect("certified");
        mf.value += 1;
        assert!(certify_max_flow(&net, &s, &t, &mf)
            .unwrap_err()
            .contains("value"));
        mf.value -= 1;
        mf.flow[4] += 1;
        assert!(certify_max_flow(&net, &s, &t, &mf).is_err());
    }

    #[test]
    fn a_solver_s_min_cost_flow_passes_and_a_tampered_one_fails() {
        let net = diamond();
        let supply = [4, 0, 0, -4];
        let McfOutcome::Optimal(mut sol) = min_cost_flow(&net, &supply).expect("solves") else {
            panic!("optimal expected");
        };
        certify_min_cost_flow(&net, &supply, &sol).expect("certified");
        sol.cost -= 1;
        assert!(certify_min_cost_flow(&net, &supply, &sol)
            .unwrap_err()
            .contains("cost"));
        sol.cost += 1;
        // Moving a unit onto a dearer path keeps the flow feasible but breaks optimality.
        sol.potential[2] += 10;
        assert!(certify_min_cost_flow(&net, &supply, &sol).is_err());
    }

    #[test]
    fn a_warm_solver_certifies_its_solution_and_rejects_a_wrong_one() {
        let net = diamond();
        let supply = [4, 0, 0, -4];
        let mut solver = McfSolver::new(&net, &supply).expect("solver");
        let McfOutcome::Optimal(mut sol) = solver.solve().expect("solves") else {
            panic!("optimal expected");
        };
        solver.certify(&sol).expect("certified");
        assert_eq!(
            solver.certify(&sol),
            certify_min_cost_flow(&solver.network(), solver.supply(), &sol)
        );

        sol.cost += 1;
        assert!(solver.certify(&sol).unwrap_err().contains("cost"));
        sol.cost -= 1;
        sol.potential[1] -= 10;
        assert!(solver.certify(&sol).unwrap_err().contains("not optimal"));
        sol.potential[1] += 10;
        sol.flow.pop();
        assert!(solver.certify(&sol).unwrap_err().contains("arc flows"));

        // The old answer is wrong for the problem as changed: the arc 0 -> 1 now holds 2 units.
        let McfOutcome::Optimal(old) = min_cost_flow(&net, &supply).expect("solves") else {
            panic!("optimal expected");
        };
        solver.set_upper(ArcIdx(0), 2).expect("bound");
        assert!(solver
            .certify(&old)
            .unwrap_err()
            .contains("outside its bounds"));
        let McfOutcome::Optimal(new) = solver.solve().expect("solves") else {
            panic!("optimal expected");
        };
        solver.certify(&new).expect("certified after the change");
        let mut changed = net.clone();
        changed.set_upper(ArcIdx(0), 2).expect("bound");
        certify_min_cost_flow(&changed, &supply, &new).expect("the same verdict on a copy");
    }
}
