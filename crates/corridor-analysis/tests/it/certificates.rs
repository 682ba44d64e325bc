//! Every answer is checked before it is reported: a solver whose answer breaks its own optimality
//! conditions gives an error naming the solver and the case, never a number.

use corridor_analysis::{allocate, AnalysisError};
use corridor_lp::{LpError, LpSolver, Outcome, Problem, Simplex};

/// A backend that returns the right optimum with one flow nudged: feasible-looking, wrong.
#[derive(Debug)]
struct Nudging(Simplex);

impl LpSolver for Nudging {
    fn name(&self) -> &'static str {
        "nudging test backend"
    }

    fn solve(&self, p: &Problem) -> Result<Outcome, LpError> {
        Ok(match self.0.solve(p)? {
            Outcome::Optimal(mut s) => {
                if let Some(x) = s.x.iter_mut().find(|x| **x > 1.0) {
                    *x *= 1.5;
                }
                Outcome::Optimal(s)
            }
            other => other,
        })
    }
}

#[test]
fn an_answer_that_fails_its_check_is_an_error_naming_the_solver_and_the_case() {
    let loaded = corridor_io::load_scenario("caspian-gas-2024", None).expect("loads");
    // Several commodities or groups make this an LP; check the honest backend passes first.
    allocate(&loaded.dataset, &loaded.scenario, &Simplex::default())
        .expect("the real answer passes");
    match allocate(
        &loaded.dataset,
        &loaded.scenario,
        &Nudging(Simplex::default()),
    ) {
        Err(e @ AnalysisError::Check { .. }) => {
            let text = e.to_string();
            assert!(text.contains("nudging test backend"), "{text}");
            assert!(text.contains("caspian-gas-2024"), "{text}");
            assert!(text.contains("violation") || text.contains("gap"), "{text}");
        }
        other => panic!("expected a failed check, got {other:?}"),
    }
}
