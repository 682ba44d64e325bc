//! Random min-cost transportation problems against an independent combinatorial solver
//! (successive shortest paths with Bellman–Ford) and against microlp.

use corridor_fixtures::lp::{check_solution, close, solve, solve_microlp, Reference};
use corridor_lp::{Outcome, Problem, VarId};
use proptest::prelude::*;

/// Integer data of a transportation problem: supplies (`<=`), demands (`=`), and per arc
/// (supply, demand, capacity or `None`, unit cost).
#[derive(Clone, Debug)]
struct Transport {
    supply: Vec<i64>,
    demand: Vec<i64>,
    arcs: Vec<(usize, usize, Option<i64>, i64)>,
}

fn transport_strategy() -> impl Strategy<Value = Transport> {
    (1usize..5, 1usize..5)
        .prop_flat_map(|(ns, nd)| {
            (
                proptest::collection::vec(0i64..40, ns),
                proptest::collection::vec(0i64..30, nd),
                proptest::collection::vec(
                    (
                        0usize..ns,
                        0usize..nd,
                        proptest::option::of(0i64..25),
                        0i64..20,
                    ),
                    1..(ns * nd + 3),
                ),
            )
        })
        .prop_map(|(supply, demand, arcs)| Transport {
            supply,
            demand,
            arcs,
        })
}

fn to_lp(t: &Transport) -> (Problem, Vec<VarId>) {
    let mut p = Problem::new();
    let flows: Vec<VarId> = t
        .arcs
        .iter()
        .map(|&(_, _, cap, cost)| {
            let upper = cap.map_or(f64::INFINITY, |c| c as f64);
            p.add_var(0.0, upper, cost as f64)
        })
        .collect();
    for (s, &sup) in t.supply.iter().enumerate() {
        let row: Vec<_> = t
            .arcs
            .iter()
            .zip(&flows)
            .filter(|((from, ..), _)| *from == s)
            .map(|(_, &f)| (f, 1.0))
            .collect();
        p.add_row(f64::NEG_INFINITY, sup as f64, &row);
    }
    for (d, &dem) in t.demand.iter().enumerate() {
        let row: Vec<_> = t
            .arcs
            .iter()
            .zip(&flows)
            .filter(|((_, to, ..), _)| *to == d)
            .map(|(_, &f)| (f, 1.0))
            .collect();
        p.add_row(dem as f64, dem as f64, &row);
    }
    (p, flows)
}

/// Minimum cost of meeting every demand exactly, or `None` if impossible: successive shortest
/// augmenting paths (Bellman–Ford on the residual graph) from a super-source to a super-sink.
/// With integer data each augmentation is integral, and SSP yields a min-cost maximum flow.
fn min_cost_flow(t: &Transport) -> Option<i64> {
    const BIG: i64 = i64::MAX / 4;
    let ns = t.supply.len();
    let nd = t.demand.len();
    let (source, sink) = (ns + nd, ns + nd + 1);
    let n = ns + nd + 2;
    // Edges as (to, residual capacity, cost); edge e and e ^ 1 are a pair.
    let mut to = Vec::new();
    let mut cap = Vec::new();
    let mut cost = Vec::new();
    let mut adj = vec![Vec::new(); n];
    let mut add = |a: usize, b: usize, c: i64, w: i64, adj: &mut Vec<Vec<usize>>| {
        adj[a].push(to.len());
        to.push(b);
        cap.push(c);
        cost.push(w);
        adj[b].push(to.len());
        to.push(a);
        cap.push(0);
        cost.push(-w);
    };
    for (s, &sup) in t.supply.iter().enumerate() {
        add(source, s, sup, 0, &mut adj);
    }
    for (d, &dem) in t.demand.iter().enumerate() {
        add(ns + d, sink, dem, 0, &mut adj);
    }
    for &(s, d, c, w) in &t.arcs {
        add(s, ns + d, c.unwrap_or(BIG), w, &mut adj);
    }
    let need: i64 = t.demand.iter().sum();
    let mut flow = 0;
    let mut total = 0;
    while flow < need {
        let mut dist = vec![BIG; n];
        let mut via = vec![usize::MAX; n];
        dist[source] = 0;
        for _ in 0..n {
            let mut changed = false;
            for v in 0..n {
                if dist[v] == BIG {
                    continue;
                }
                for &e in &adj[v] {
                    if cap[e] > 0 && dist[v] + cost[e] < dist[to[e]] {
                        dist[to[e]] = dist[v] + cost[e];
                        via[to[e]] = e;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if dist[sink] == BIG {
            return None;
        }
        let mut push = need - flow;
        let mut v = sink;
        while v != source {
            let e = via[v];
            push = push.min(cap[e]);
            v = to[e ^ 1];
        }
        let mut v = sink;
        while v != source {
            let e = via[v];
            cap[e] -= push;
            cap[e ^ 1] += push;
            v = to[e ^ 1];
        }
        flow += push;
        total += push * dist[sink];
    }
    Some(total)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn transportation_matches_min_cost_flow(t in transport_strategy()) {
        let (p, _) = to_lp(&t);
        let expected = min_cost_flow(&t);
        match (solve(&p), expected) {
            (Outcome::Optimal(s), Some(best)) => {
                check_solution(&p, &s);
                prop_assert!(close(s.objective, best as f64, 1e-9),
                    "LP {} vs min-cost flow {best}", s.objective);
                if let Reference::Optimal { objective, .. } = solve_microlp(&p, 0.5) {
                    prop_assert!(close(objective, best as f64, 1e-6));
                }
            }
            (Outcome::Infeasible, None) => {}
            (ours, theirs) => prop_assert!(false, "LP says {ours:?}, min-cost flow says {theirs:?}"),
        }
    }
}
