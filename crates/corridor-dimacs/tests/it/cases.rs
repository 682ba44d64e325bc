//! Runs every `NAME.min` / `NAME.max` in `tests/cases` against its `NAME.sol`.
//!
//! Status and objective must match exactly. Optimal flows are not unique, so the flows are
//! only checked for feasibility and for adding up to the objective, both the solver's and
//! the expected file's (which guards the hand-written solutions too).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use corridor_dimacs::{parse, parse_solution, render_text, solve, verify};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// Runs one case; `Err` says why it fails.
fn run_case(problem_path: &Path) -> Result<(), String> {
    let read = |path: &Path| {
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let problem = parse(&read(problem_path)?).map_err(|e| format!("parse: {e}"))?;
    let expected_text = read(&problem_path.with_extension("sol"))?;
    let expected = parse_solution(&expected_text, problem.kind())
        .map_err(|e| format!("expected solution: {e}"))?;
    verify(&problem, &expected)
        .map_err(|v| format!("the expected solution is wrong: {}", v.join("; ")))?;
    let actual = solve(&problem).map_err(|e| format!("solve: {e}"))?;
    if (actual.status, actual.objective) != (expected.status, expected.objective) {
        return Err(format!(
            "expected {:?} {:?}, got {:?} {:?}",
            expected.status, expected.objective, actual.status, actual.objective
        ));
    }
    verify(&problem, &actual).map_err(|v| {
        format!(
            "the solver's flows are wrong: {}\n{}",
            v.join("; "),
            render_text(&actual)
        )
    })
}

#[test]
fn every_case_matches_its_solution() {
    let dir = cases_dir();
    let listed = fs::read_to_string(dir.join("expected_failures.txt"))
        .expect("tests/cases/expected_failures.txt exists");
    let expected_failures: BTreeSet<&str> = listed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();

    let mut names = BTreeSet::new();
    let mut complaints = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/cases is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("min" | "max")))
        .collect();
    entries.sort();
    assert!(entries.len() >= 8, "the case folder lost its cases");

    for path in &entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("case names are UTF-8")
            .to_owned();
        assert!(
            names.insert(name.clone()),
            "two cases are named `{name}`: each NAME needs its own NAME.sol"
        );
        match (run_case(path), expected_failures.contains(name.as_str())) {
            (Ok(()), false) | (Err(_), true) => {}
            (Err(why), false) => complaints.push(format!("case `{name}` fails: {why}")),
            (Ok(()), true) => complaints.push(format!(
                "case `{name}` passes now: remove it from tests/cases/expected_failures.txt"
            )),
        }
    }
    for listed in &expected_failures {
        if !names.contains(*listed) {
            complaints.push(format!(
                "expected_failures.txt lists `{listed}`, which is not a case in tests/cases"
            ));
        }
    }
    assert!(complaints.is_empty(), "{}", complaints.join("\n"));
}
