//! Rendering, reading back and verifying solutions.

use corridor_dimacs::{
    parse, parse_solution, render_json, render_text, solve, verify, ArcFlow, ProblemKind,
    SolveResult, Status,
};
use expect_test::{expect, Expect};

const TWO_ROUTES: &str = "p min 3 3\nn 1 5\nn 3 -5\na 1 3 0 2 10\na 1 2 0 9 1\na 2 3 0 9 1\n";

/// Solves `problem` and renders the result as text and JSON.
fn check_solve(problem: &str, expected: Expect) {
    let result = solve(&parse(problem).expect("valid problem")).expect("solvable");
    expected.assert_eq(&format!("{}{}", render_text(&result), render_json(&result)));
}

/// Reads a solution and renders it as text, or renders the error.
fn check_read(text: &str, kind: ProblemKind, expected: Expect) {
    let rendered = match parse_solution(text, kind) {
        Ok(r) => render_text(&r),
        Err(e) => e.to_string(),
    };
    expected.assert_eq(&rendered);
}

#[test]
fn renders_text_and_json() {
    check_solve(
        TWO_ROUTES,
        expect![[r#"
        s 10
        f 1 3 0
        f 1 2 5
        f 2 3 5
        {"problem":"min","status":"optimal","objective":10,"flows":[{"src":1,"dst":3,"flow":0},{"src":1,"dst":2,"flow":5},{"src":2,"dst":3,"flow":5}]}
    "#]],
    );
    check_solve(
        "p max 3 2\nn 1 s\nn 3 t\na 1 2 4\na 2 3 3\n",
        expect![[r#"
        s 3
        f 1 2 3
        f 2 3 3
        {"problem":"max","status":"optimal","objective":3,"flows":[{"src":1,"dst":2,"flow":3},{"src":2,"dst":3,"flow":3}]}
    "#]],
    );
    check_solve(
        "p min 2 0\nn 1 1\nn 2 -1\n",
        expect![[r#"
        s infeasible
        {"problem":"min","status":"infeasible","objective":null,"flows":[]}
    "#]],
    );
    check_solve(
        "p min 1 1\na 1 1 0 9223372036854775807 -1\n",
        expect![[r#"
            s unbounded
            {"problem":"min","status":"unbounded","objective":null,"flows":[]}
        "#]],
    );
    check_solve(
        "p max 2 1\nn 1 s\nn 2 t\na 1 2 9223372036854775807\n",
        expect![[r#"
            s unbounded
            {"problem":"max","status":"unbounded","objective":null,"flows":[]}
        "#]],
    );
}

#[test]
fn text_and_json_read_back_to_the_same_result() {
    for problem in [
        TWO_ROUTES,
        "p max 3 2\nn 1 s\nn 3 t\na 1 2 4\na 2 3 3\n",
        "p min 2 0\nn 1 1\nn 2 -1\n",
    ] {
        let problem = parse(problem).expect("valid problem");
        let result = solve(&problem).expect("solvable");
        for rendered in [render_text(&result), render_json(&result)] {
            assert_eq!(
                parse_solution(&rendered, problem.kind()).as_ref(),
                Ok(&result),
                "{rendered}"
            );
        }
    }
}

#[test]
fn objectives_beyond_i64_survive_text_and_json() {
    let result = SolveResult {
        problem: ProblemKind::Min,
        status: Status::Optimal,
        objective: Some(-(i128::from(i64::MAX) * 1000)),
        flows: vec![ArcFlow {
            src: 1,
            dst: u32::MAX,
            flow: i64::MIN,
        }],
    };
    for rendered in [render_text(&result), render_json(&result)] {
        assert_eq!(
            parse_solution(&rendered, ProblemKind::Min),
            Ok(result.clone())
        );
    }
}

#[test]
fn solution_errors_are_located() {
    check_read(
        "c comment\n\ns 3\nc flows\nf 1 2 3\n",
        ProblemKind::Min,
        expect![[r#"
        s 3
        f 1 2 3
    "#]],
    );
    check_read("", ProblemKind::Min, expect!["line 1: no status line — a solution starts with `s OBJECTIVE`, `s infeasible` or `s unbounded`"]);
    check_read(
        "f 1 2 3\n",
        ProblemKind::Min,
        expect![[r#"
        2 errors in the DIMACS input:
        line 1: flow line before the `s` line — a solution starts with its status line `s ...`
        line 1: no status line — a solution starts with `s OBJECTIVE`, `s infeasible` or `s unbounded`"#]],
    );
    check_read(
        "s 3\ns 4\n",
        ProblemKind::Min,
        expect![
            "line 2: a second `s` line — a solution has one status line, already given on line 1"
        ],
    );
    check_read("s infeasible\nf 1 2 0\n", ProblemKind::Min, expect!["line 2: flow line after `s infeasible` — only an optimal solution lists flows; remove this line or fix the status on line 1"]);
    check_read("s optimal\n", ProblemKind::Min, expect!["line 1: status `optimal` is neither an integer objective nor `infeasible` or `unbounded` — the status line reads `s OBJECTIVE`, `s infeasible` or `s unbounded`"]);
    check_read("s 1 2\n", ProblemKind::Min, expect!["line 1: the status line has 2 fields after `s`, expected 1 — the status line reads `s OBJECTIVE`, `s infeasible` or `s unbounded`"]);
    check_read(
        "s 3\nf 0 2 1\nf 1 2\nf 1 2 x\nv 1 2\n",
        ProblemKind::Min,
        expect![[r#"
        4 errors in the DIMACS input:
        line 2: flow tail 0 is out of range — node ids are 1-based and at most 4294967295
        line 3: the flow line has 2 fields after `f`, expected 3 — flow lines read `f SRC DST FLOW`
        line 4: flow `x` is not an integer — write a whole number in decimal digits, such as `12` or `-3`
        line 5: unknown line type `v` — solution lines start with `c` (comment), `s` (status) or `f` (flow)"#]],
    );
}

#[test]
fn json_solution_errors() {
    check_read(
        "{\"problem\":\"min\"",
        ProblemKind::Min,
        expect![[
            r#"line 1: invalid JSON solution: EOF while parsing an object at line 1 column 16 — a JSON solution reads {"problem":"min","status":"optimal","objective":4,"flows":[{"src":1,"dst":2,"flow":2}]}"#
        ]],
    );
    check_read(
        r#"{"problem":"max","status":"optimal","objective":1,"flows":[]}"#,
        ProblemKind::Min,
        expect!["line 1: the solution is for a `max` problem, expected `min` — compare the solution with the problem file it answers"],
    );
    check_read(
        r#"{"problem":"min","status":"done","objective":null,"flows":[]}"#,
        ProblemKind::Min,
        expect![[
            r#"line 1: unknown status `done` — the status is "optimal", "infeasible" or "unbounded""#
        ]],
    );
    check_read(
        r#"{"problem":"min","status":"infeasible","objective":3,"flows":[{"src":1,"dst":2,"flow":1}]}"#,
        ProblemKind::Min,
        expect![[r#"
            2 errors in the DIMACS input:
            line 1: an infeasible solution with an objective — write "objective":null unless the status is "optimal"
            line 1: a solution that is not optimal lists flows — write "flows":[] unless the status is "optimal""#]],
    );
    check_read(
        r#"{"problem":"min","status":"optimal","objective":null,"flows":[{"src":0,"dst":2,"flow":1}]}"#,
        ProblemKind::Min,
        expect![[r#"
            2 errors in the DIMACS input:
            line 1: an optimal solution without an objective — give the objective as an integer, e.g. "objective":23
            line 1: flow on arc 0 -> 2 names node 0 — node ids are 1-based"#]],
    );
}

#[test]
fn verify_reports_each_violation() {
    let problem = parse(TWO_ROUTES).expect("valid problem");
    let check = |text: &str, expected: Expect| {
        let result = parse_solution(text, ProblemKind::Min).expect("well-formed solution");
        let rendered = match verify(&problem, &result) {
            Ok(()) => "ok".to_owned(),
            Err(violations) => violations.join("\n"),
        };
        expected.assert_eq(&rendered);
    };
    check("s 10\nf 1 3 0\nf 1 2 5\nf 2 3 5\n", expect!["ok"]);
    // Optimality is not verify's business: a feasible flow with its true cost passes.
    check("s 26\nf 1 3 2\nf 1 2 3\nf 2 3 3\n", expect!["ok"]);
    check(
        "s 9\nf 1 3 3\nf 2 1 -1\nf 2 3 3\n",
        expect![[r#"
        arc 1 (1 -> 3): flow 3 exceeds the capacity 2
        arc 2 (1 -> 2): the solution gives its flow as 2 -> 1
        arc 2 (1 -> 2): flow -1 is below the lower bound 0
        node 1: outflow - inflow is 2 but the supply is 5
        node 2: outflow - inflow is 4 but the supply is 0
        node 3: outflow - inflow is -6 but the supply is -5
        the flows cost 32 but the objective is 9"#]],
    );
    check(
        "s 10\nf 1 3 0\n",
        expect!["the solution has 1 flow but the problem has 3 arcs"],
    );
    check("s infeasible\n", expect!["ok"]);

    let max = parse("p max 3 2\nn 1 s\nn 3 t\na 1 2 4\na 2 3 3\n").expect("valid problem");
    let result = parse_solution("s 4\nf 1 2 4\nf 2 3 3\n", ProblemKind::Max).expect("well-formed");
    expect![[r#"Err(["node 2: outflow - inflow is -1, expected 0", "node 3: outflow - inflow is -3, expected -4"])"#]].assert_eq(&format!("{:?}", verify(&max, &result)));
    expect![[r#"Err(["the solution is for a `max` problem but the problem is `min`", "the solution has 2 flows but the problem has 3 arcs"])"#]].assert_eq(&format!("{:?}", verify(&problem, &result)));
}
