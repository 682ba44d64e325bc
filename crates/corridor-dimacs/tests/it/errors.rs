//! Every kind of malformed problem file gets a located, explained error.

use corridor_dimacs::{parse, ParseError, Problem};
use expect_test::{expect, Expect};

/// Parses `text` and renders either a one-line summary of the problem or the error message.
fn check(text: &str, expected: Expect) {
    let rendered = match parse(text) {
        Ok(problem @ Problem::MinCost { .. }) => format!(
            "min: {} nodes, {} arcs",
            problem.net().n_nodes(),
            problem.net().n_arcs()
        ),
        Ok(Problem::MaxFlow { net, source, sink }) => format!(
            "max: {} nodes, {} arcs, source {}, sink {}",
            net.n_nodes(),
            net.n_arcs(),
            source.0 + 1,
            sink.0 + 1
        ),
        Err(e) => e.to_string(),
    };
    expected.assert_eq(&rendered);
}

#[test]
fn accepts_comments_blank_lines_and_crlf() {
    check(
        "c a comment\r\n\r\np min 2 1\r\nc between\r\nn 1 1\r\nn 2 -1\r\na 1 2 0 1 1\r\n",
        expect!["min: 2 nodes, 1 arcs"],
    );
    check(
        "p max 2 0\nn 2 t\nn 1 s\n",
        expect!["max: 2 nodes, 0 arcs, source 1, sink 2"],
    );
}

#[test]
fn problem_line_missing_or_repeated() {
    check("", expect!["line 1: no problem line — write `p min NODES ARCS` for a min-cost flow problem or `p max NODES ARCS` for a max-flow problem"]);
    check("c only comments\na 1 2 0 1 1\n", expect!["line 2: no problem line — write `p min NODES ARCS` for a min-cost flow problem or `p max NODES ARCS` for a max-flow problem"]);
    check("p min 2 0\np min 2 0\n", expect!["line 2: a second problem line — a file holds one problem, declared on line 1; remove this line or split the file"]);
    check("n 1 1\np min 1 0\n", expect!["line 1: node line before the problem line — move the `p` line (line 2) above every `n` and `a` line"]);
}

#[test]
fn problem_line_malformed() {
    check("p min 3\n", expect!["line 1: the problem line has 2 fields after `p`, expected 3 — write `p min NODES ARCS` for a min-cost flow problem or `p max NODES ARCS` for a max-flow problem"]);
    check("p sp 3 3\n", expect!["line 1: unsupported problem type `sp` — this reader handles `min` (min-cost flow) and `max` (max flow) problems"]);
    check("p min -1 0\n", expect!["line 1: node count -1 is out of range — the node count must lie between 0 and 4294967292"]);
    check("p max 3 many\n", expect!["line 1: arc count `many` is not an integer — write a whole number in decimal digits, such as `12` or `-3`"]);
    check("p min 99999999999 0\n", expect!["line 1: node count 99999999999 is out of range — the node count must lie between 0 and 4294967292"]);
}

#[test]
fn node_ids_out_of_range() {
    check("p min 4 1\na 0 2 0 1 1\n", expect!["line 2: arc tail 0 is out of range — node ids run from 1 to 4, as declared on the `p` line (line 1)"]);
    check("p min 4 1\na 1 5 0 1 1\n", expect!["line 2: arc head 5 is out of range — node ids run from 1 to 4, as declared on the `p` line (line 1)"]);
    check("p min 4 0\nn -3 1\n", expect!["line 2: node id -3 is out of range — node ids run from 1 to 4, as declared on the `p` line (line 1)"]);
    check(
        "p min 0 1\na 1 1 0 1 1\n",
        expect!["line 2: arc tail 1 is out of range — the `p` line (line 1) declares no nodes"],
    );
}

#[test]
fn wrong_field_counts() {
    check("p min 2 1\na 1 2 5\n", expect!["line 2: the arc line has 3 fields after `a`, expected 5 — min-cost arc lines read `a SRC DST LOW CAP COST`; `a SRC DST CAP` is the max-flow form"]);
    check("p min 2 1\na 1 2 0 5\n", expect!["line 2: the arc line has 4 fields after `a`, expected 5 — min-cost arc lines read `a SRC DST LOW CAP COST`"]);
    check("p max 2 1\nn 1 s\nn 2 t\na 1 2 0 5 1\n", expect!["line 4: the arc line has 5 fields after `a`, expected 3 — max-flow arc lines read `a SRC DST CAP`; lower bounds and costs belong in `p min` files"]);
    check("p min 2 0\nn 1\n", expect!["line 2: the node line has 1 field after `n`, expected 2 — min-cost node lines read `n ID SUPPLY`, positive for a supply and negative for a demand"]);
}

#[test]
fn values_that_are_not_integers_or_overflow() {
    check("p min 2 1\na 1 2 0 1.5 1\n", expect!["line 2: capacity `1.5` is not an integer — write a whole number in decimal digits, such as `12` or `-3`"]);
    check("p min 2 1\na 1 2 0 9223372036854775808 1\n", expect!["line 2: capacity `9223372036854775808` does not fit in a 64-bit integer — values must lie between -9223372036854775808 and 9223372036854775807; scale the data down (the largest value means uncapacitated)"]);
    check("p min 2 1\na 1 2 0 1 -9223372036854775809\n", expect!["line 2: cost `-9223372036854775809` does not fit in a 64-bit integer — values must lie between -9223372036854775808 and 9223372036854775807; scale the data down"]);
    check("p min 2 0\nn 1 s\n", expect!["line 2: supply `s` is not an integer — `s` and `t` mark the source and sink of `p max` files; a `p min` node line gives an integer supply"]);
}

#[test]
fn bounds() {
    check("p min 2 1\na 1 2 0 -1 1\n", expect!["line 2: capacity -1 is negative — capacities must be at least 0; write 9223372036854775807 for an uncapacitated arc"]);
    check("p min 2 1\na 1 2 -1 1 1\n", expect!["line 2: lower bound -1 is negative — lower bounds must be at least 0; to allow flow both ways, add a reverse arc"]);
    check("p min 2 1\na 1 2 3 2 1\n", expect!["line 2: lower bound 3 exceeds capacity 2 — an arc needs 0 <= LOW <= CAP; raise the capacity or lower the bound"]);
    check("p max 2 1\nn 1 s\nn 2 t\na 1 2 -4\n", expect!["line 4: capacity -4 is negative — capacities must be at least 0; write 9223372036854775807 for an uncapacitated arc"]);
}

#[test]
fn arc_count_mismatch() {
    check("p min 2 2\na 1 2 0 1 1\n", expect!["line 1: the problem line declares 2 arcs but the file has 1 arc line — write `p min 2 1` or add the missing arcs"]);
    check("p max 2 0\nn 1 s\nn 2 t\na 1 2 1\n", expect!["line 1: the problem line declares 0 arcs but the file has 1 arc line — write `p max 2 1` or add the missing arcs"]);
}

#[test]
fn unknown_line_types() {
    check("p min 1 0\nx 1 2\n", expect!["line 2: unknown line type `x` — DIMACS lines start with `c` (comment), `p` (problem), `n` (node) or `a` (arc)"]);
    check("p min 1 0\ns 12\n", expect!["line 2: unknown line type `s` — this looks like a solution line; a problem file holds only `c`, `p`, `n` and `a` lines"]);
}

#[test]
fn terminals_of_max_problems() {
    check("p max 3 0\nn 3 t\n", expect!["line 1: the max-flow problem has no source — add a node line `n ID s` after the problem line"]);
    check("p max 3 0\nn 1 s\n", expect!["line 1: the max-flow problem has no sink — add a node line `n ID t` after the problem line"]);
    check("p max 3 0\nn 1 s\nn 2 s\nn 3 t\n", expect!["line 3: a second source — a max-flow problem has exactly one source, node 1 (line 2); remove one of the lines"]);
    check("p max 3 0\nn 1 s\nn 1 t\n", expect!["line 3: node 1 is both the source and the sink — line 2 already made it the source; the source and the sink must differ"]);
    check(
        "p max 3 0\nn 1 source\nn 2 t\n",
        expect![[r#"
        2 errors in the DIMACS input:
        line 1: the max-flow problem has no source — add a node line `n ID s` after the problem line
        line 2: node role `source` is neither `s` nor `t` — max-flow node lines read `n ID s` for the source or `n ID t` for the sink"#]],
    );
}

#[test]
fn duplicate_supply_line() {
    check("p min 2 0\nn 1 3\nn 1 -3\n", expect!["line 3: a second node line for node 1 — node 1 already has its supply on line 2; merge the two lines into one"]);
}

#[test]
fn every_error_is_listed_in_line_order() {
    check(
        "p min 3 2\na 1 4 0 1 1\nn 2 x\nq\na 1 2 5 1 1\n",
        expect![[r#"
            4 errors in the DIMACS input:
            line 2: arc head 4 is out of range — node ids run from 1 to 3, as declared on the `p` line (line 1)
            line 3: supply `x` is not an integer — write a whole number in decimal digits, such as `12` or `-3`
            line 4: unknown line type `q` — DIMACS lines start with `c` (comment), `p` (problem), `n` (node) or `a` (arc)
            line 5: lower bound 5 exceeds capacity 1 — an arc needs 0 <= LOW <= CAP; raise the capacity or lower the bound"#]],
    );
    // Past `ParseError::SHOWN` errors the message summarises the rest.
    let many: String = std::iter::once("p min 1 25\n".to_owned())
        .chain((0..25).map(|_| "a 1 2 0 1 1\n".to_owned()))
        .collect();
    let err = parse(&many).expect_err("25 bad arcs");
    assert_eq!(err.errors.len(), 25);
    let message = err.to_string();
    assert_eq!(message.lines().count(), 1 + ParseError::SHOWN + 1);
    assert!(
        message.starts_with("25 errors in the DIMACS input:\nline 2: arc head 2 is out of range")
    );
    assert!(message.ends_with("\nline 21: arc head 2 is out of range — node ids run from 1 to 1, as declared on the `p` line (line 1)\n… and 5 more"));
}

#[test]
fn garbage_stops_the_reader_early() {
    let garbage: String = std::iter::once("p min 1 0\n".to_owned())
        .chain((0..1000).map(|i| format!("garbage {i}\n")))
        .collect();
    let err = parse(&garbage).expect_err("not DIMACS");
    assert_eq!(err.errors.len(), 201);
    expect!["line 202: stopped reading after 200 errors — fix the errors above first; is this a DIMACS file?"]
        .assert_eq(&err.errors[200].to_string());
}

#[test]
fn errors_carry_line_message_and_help() {
    let err = parse("p min 2 1\na 1 3 0 1 1\n").expect_err("node 3 is out of range");
    let first = err.first().expect("at least one error");
    assert_eq!(first.line, 2);
    assert_eq!(first.message, "arc head 3 is out of range");
    assert_eq!(
        first.help,
        "node ids run from 1 to 2, as declared on the `p` line (line 1)"
    );
}
