//! Hand-checked textbook examples, rendered so that a failure shows the whole answer.

use corridor_flow::{
    decompose_paths, dijkstra, k_shortest_paths, max_flow, min_cost_flow, FlowError, McfOutcome,
    Network, NodeIdx,
};
use expect_test::{expect, Expect};

use crate::common::{nodes, parse, render_arc};

fn check_max_flow(spec: &str, sources: &[u32], sinks: &[u32], expect: Expect) {
    let net = parse(spec);
    let actual = match max_flow(&net, &nodes(sources), &nodes(sinks)) {
        Ok(mf) => {
            let side: Vec<String> = (0..net.n_nodes())
                .filter(|&v| mf.source_side[v])
                .map(|v| v.to_string())
                .collect();
            let cut: Vec<String> = mf
                .cut_arcs
                .iter()
                .map(|&a| format!("{} cap {}", render_arc(&net, a), net.arc(a).upper))
                .collect();
            format!(
                "value {}\nsource side {}\ncut [{}]\n",
                mf.value,
                side.join(" "),
                cut.join(", ")
            )
        }
        Err(e) => format!("error: {e}\n"),
    };
    expect.assert_eq(&actual);
}

fn check_mcf(spec: &str, supply: &[i64], expect: Expect) {
    let net = parse(spec);
    let actual = match min_cost_flow(&net, supply) {
        Ok(McfOutcome::Optimal(sol)) => {
            let mut out = format!("optimal cost {}\n", sol.cost);
            for a in net.arc_indices() {
                if sol.flow[a.0 as usize] != 0 {
                    out += &format!(
                        "  {} flow {}\n",
                        render_arc(&net, a),
                        sol.flow[a.0 as usize]
                    );
                }
            }
            out
        }
        Ok(other) => format!("{other:?}\n"),
        Err(e) => format!("error: {e}\n"),
    };
    expect.assert_eq(&actual);
}

/// CLRS (2nd ed.) figure 26.5: s = 0, v1..v4 = 1..4, t = 5; the maximum flow is 23.
const CLRS: &str = "
    0 -> 1 cap 16
    0 -> 2 cap 13
    1 -> 2 cap 10
    2 -> 1 cap 4
    1 -> 3 cap 12
    3 -> 2 cap 9
    2 -> 4 cap 14
    4 -> 3 cap 7
    3 -> 5 cap 20
    4 -> 5 cap 4
";

#[test]
fn clrs_max_flow_is_23() {
    check_max_flow(
        CLRS,
        &[0],
        &[5],
        expect![[r#"
            value 23
            source side 0 1 2 4
            cut [a4 1->3 cap 12, a7 4->3 cap 7, a9 4->5 cap 4]
        "#]],
    );
}

#[test]
fn clrs_as_min_cost_flow_pushes_23_units() {
    // The same network as a circulation with an uncapacitated return arc that earns 1 per
    // unit: the optimum is minus the maximum flow. The negative cycles all use finite arcs,
    // so the problem is bounded.
    let net = parse(&format!("{CLRS}\n5 -> 0 cost -1"));
    let McfOutcome::Optimal(sol) = min_cost_flow(&net, &[0; 6]).expect("valid") else {
        panic!("bounded problem");
    };
    assert_eq!(sol.cost, -23);
    assert_eq!(sol.flow[10], 23);
}

#[test]
fn max_flow_edge_cases() {
    check_max_flow(
        CLRS,
        &[0],
        &[0],
        expect![[r#"
        error: node n0 is both a source and a sink, so the flow would be unbounded
    "#]],
    );
    check_max_flow(
        CLRS,
        &[0],
        &[],
        expect![[r#"
        value 0
        source side 0 1 2 3 4 5
        cut []
    "#]],
    );
    check_max_flow(
        CLRS,
        &[0],
        &[9],
        expect![[r#"
        error: node n9 is out of range: the network has 6 nodes
    "#]],
    );
    check_max_flow(
        "0 -> 1\n1 -> 2 cap 5\n0 -> 2 cap 1",
        &[0],
        &[2],
        expect![[r#"
            value 6
            source side 0 1
            cut [a1 1->2 cap 5, a2 0->2 cap 1]
        "#]],
    );
    check_max_flow(
        "0 -> 1\n1 -> 2",
        &[0],
        &[2],
        expect![[r#"
        error: a path of uncapacitated arcs joins a source to a sink: the maximum flow is unbounded
    "#]],
    );
}

#[test]
fn min_cost_flow_networkx_example() {
    // networkx `min_cost_flow` docstring: a = 0, b = 1, c = 2, d = 3; optimum 24.
    check_mcf(
        "
        0 -> 1 cap 4 cost 3
        0 -> 2 cap 10 cost 6
        1 -> 3 cap 9 cost 1
        2 -> 3 cap 5 cost 2
        ",
        &[5, 0, 0, -5],
        expect![[r#"
            optimal cost 24
              a0 0->1 flow 4
              a1 0->2 flow 1
              a2 1->3 flow 4
              a3 2->3 flow 1
        "#]],
    );
}

#[test]
fn min_cost_flow_outcomes() {
    // Demand exceeds what the arcs can carry.
    check_mcf(
        "0 -> 1 cap 3 cost 1",
        &[5, -5],
        expect![[r#"
        Infeasible
    "#]],
    );
    // Supplies do not balance.
    check_mcf(
        "0 -> 1 cap 9 cost 1",
        &[5, -4],
        expect![[r#"
        Infeasible
    "#]],
    );
    // A negative cycle of uncapacitated arcs (INF = i64::MAX) next to a feasible shipment.
    check_mcf(
        "
        0 -> 1 cap 5 cost 1
        1 -> 2 cost -3
        2 -> 1 cost 1
        ",
        &[5, -5, 0],
        expect![[r#"
            Unbounded
        "#]],
    );
    // The same cycle with one finite arc is saturated instead.
    check_mcf(
        "
        0 -> 1 cap 5 cost 1
        1 -> 2 cost -3
        2 -> 1 cap 7 cost 1
        ",
        &[5, -5, 0],
        expect![[r#"
            optimal cost -9
              a0 0->1 flow 5
              a1 1->2 flow 7
              a2 2->1 flow 7
        "#]],
    );
    // A lower bound forces flow round a costly loop.
    check_mcf(
        "
        0 -> 1 cap 5 cost 1
        1 -> 2 low 2 cap 4 cost 3
        2 -> 1 cost 1
        ",
        &[5, -5, 0],
        expect![[r#"
            optimal cost 13
              a0 0->1 flow 5
              a1 1->2 flow 2
              a2 2->1 flow 2
        "#]],
    );
    check_mcf(
        "0 -> 1 cap 3 cost 1",
        &[5],
        expect![[r#"
        error: supply vector has 1 entries but the network has 2 nodes
    "#]],
    );
}

#[test]
fn bad_arcs_are_typed_errors() {
    let mut net = Network::new(2);
    let e = net
        .add_arc(NodeIdx(0), NodeIdx(1), 3, 2, 0)
        .expect_err("lower > upper");
    assert_eq!(
        e.to_string(),
        "new arc: lower bound 3 exceeds upper bound 2"
    );
    assert!(matches!(
        net.add_arc(NodeIdx(0), NodeIdx(1), 0, -1, 0),
        Err(FlowError::NegativeBound { .. })
    ));
    assert!(matches!(
        net.add_arc(NodeIdx(0), NodeIdx(2), 0, 1, 0),
        Err(FlowError::NodeOutOfRange { .. })
    ));
    let a = net.add_arc(NodeIdx(0), NodeIdx(1), 1, 2, 0).expect("valid");
    assert_eq!(
        net.set_upper(a, 0).expect_err("upper < lower").to_string(),
        "arc a0: lower bound 1 exceeds upper bound 0"
    );
    assert!(net.set_cost(corridor_flow::ArcIdx(7), 1).is_err());
    assert_eq!(net.get_arc(corridor_flow::ArcIdx(7)), None);
}

#[test]
fn yen_wikipedia_example() {
    // Wikipedia's Yen example: C D E F G H = 0..5, three shortest paths from C to H.
    let net = parse(
        "
        0 -> 1 cost 3
        0 -> 2 cost 2
        1 -> 3 cost 4
        2 -> 1 cost 1
        2 -> 3 cost 2
        2 -> 4 cost 3
        3 -> 4 cost 2
        3 -> 5 cost 1
        4 -> 5 cost 2
        ",
    );
    let weight = |a| Some(net.arc(a).cost as u64);
    let sp = dijkstra(&net, NodeIdx(0), weight);
    assert_eq!(sp.dist[5], Some(5));
    let render = |arcs: &[corridor_flow::ArcIdx]| -> String {
        let mut s = net.arc(arcs[0]).tail.0.to_string();
        for &a in arcs {
            s += &format!("-{}", net.arc(a).head.0);
        }
        s
    };
    let got: Vec<String> = k_shortest_paths(&net, NodeIdx(0), NodeIdx(5), 4, weight)
        .iter()
        .map(|p| format!("{} {}", p.length, render(&p.arcs)))
        .collect();
    expect![[r#"
        [
            "5 0-2-3-5",
            "7 0-2-4-5",
            "8 0-1-3-5",
            "8 0-2-1-3-5",
        ]
    "#]]
    .assert_debug_eq(&got);
    assert_eq!(
        sp.path_to(NodeIdx(5)).map(|p| render(&p)),
        Some("0-2-3-5".to_owned())
    );
}

#[test]
fn decomposition_of_a_split_flow() {
    // 6 units leave 0, 4 via node 1 and 2 via node 2; sink 3 passes 1 unit on to sink 4; a
    // 1-unit cycle 1 -> 2 -> 1 rides along. Widest first takes all 4 units of 0-1-3, so the
    // unit for sink 4 must come through node 2.
    let net = parse(
        "
        0 -> 1
        0 -> 2
        1 -> 3
        2 -> 3
        3 -> 4
        1 -> 2
        2 -> 1
        ",
    );
    let flow = [4.0, 2.0, 4.0, 2.0, 1.0, 1.0, 1.0];
    let d = decompose_paths(&net, &flow, &[NodeIdx(0)], &[NodeIdx(3), NodeIdx(4)], 1e-9);
    let render = |paths: &[corridor_flow::FlowPath]| -> Vec<String> {
        paths
            .iter()
            .map(|p| {
                let mut s = net.arc(p.arcs[0]).tail.0.to_string();
                for &a in &p.arcs {
                    s += &format!("-{}", net.arc(a).head.0);
                }
                format!("{} {s}", p.amount)
            })
            .collect()
    };
    expect![[r#"
        (
            [
                "4 0-1-3",
                "1 0-2-3",
                "1 0-2-3-4",
            ],
            [
                "1 1-2-1",
            ],
        )
    "#]]
    .assert_debug_eq(&(render(&d.paths), render(&d.cycles)));
    assert!(d.leftover.iter().all(|&x| x == 0.0));
}
