//! `parse` and `write` are inverses.

use corridor_dimacs::{parse, write};
use proptest::prelude::*;

use crate::common::{max_problem, min_problem};

#[test]
fn case_files_round_trip() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut n_checked = 0;
    for entry in std::fs::read_dir(dir).expect("tests/cases is readable") {
        let path = entry.expect("directory entry").path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("min" | "max")
        ) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable case");
        let problem = parse(&text).expect("valid case");
        let written = write(&problem);
        assert_eq!(parse(&written), Ok(problem), "{}", path.display());
        // Writing is canonical: a second round trip gives the same text.
        assert_eq!(write(&parse(&written).expect("valid")), written);
        n_checked += 1;
    }
    assert!(n_checked >= 8);
}

#[test]
fn writes_the_documented_layout() {
    let text = "c comment\np min 3 2\nn 3 -2\nn 1 2\na 1 2 0 5 -1\na 2 3 1 9223372036854775807 4\n";
    expect_test::expect![[r#"
        p min 3 2
        n 1 2
        n 3 -2
        a 1 2 0 5 -1
        a 2 3 1 9223372036854775807 4
    "#]]
    .assert_eq(&write(&parse(text).expect("valid")));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_min_problems_round_trip(problem in min_problem()) {
        let text = write(&problem);
        prop_assert_eq!(parse(&text), Ok(problem), "{}", text);
    }

    #[test]
    fn random_max_problems_round_trip(problem in max_problem()) {
        let text = write(&problem);
        prop_assert_eq!(parse(&text), Ok(problem), "{}", text);
    }
}
