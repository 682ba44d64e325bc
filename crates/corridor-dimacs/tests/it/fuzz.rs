//! No input makes the readers panic.

use corridor_dimacs::{parse, parse_solution, solve, ProblemKind};
use proptest::prelude::*;

/// Lines built from the tokens that matter, so that most get past the first checks.
fn plausible_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("p"),
        Just("n"),
        Just("a"),
        Just("c"),
        Just("s"),
        Just("t"),
        Just("f"),
        Just("min"),
        Just("max"),
        Just("infeasible"),
        Just("unbounded"),
        Just("0"),
        Just("1"),
        Just("2"),
        Just("3"),
        Just("-1"),
        Just("-7"),
        Just("9223372036854775807"),
        Just("-9223372036854775808"),
        Just("9223372036854775808"),
        Just("4294967295"),
        Just("4294967296"),
        Just("1.5"),
        Just("x"),
        Just("{"),
        Just("\"problem\""),
        Just(""),
        Just("é"),
    ];
    let line = proptest::collection::vec(token, 0..7).prop_map(|t| t.join(" "));
    proptest::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

/// Random text, biased towards small problems that parse: half the time a `p` line first.
fn text_with_header() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(""),
            Just("p min 3 2\n"),
            Just("p max 3 2\nn 1 s\nn 3 t\n")
        ],
        plausible_text(),
    )
        .prop_map(|(head, body)| format!("{head}{body}"))
}

fn exercise(text: &str) {
    if let Ok(problem) = parse(text) {
        // A parsed problem is one the solver accepts or rejects with an error, never a panic.
        let _ = solve(&problem);
    }
    let _ = parse_solution(text, ProblemKind::Min);
    let _ = parse_solution(text, ProblemKind::Max);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_lines_never_panic(text in text_with_header()) {
        exercise(&text);
    }
}
