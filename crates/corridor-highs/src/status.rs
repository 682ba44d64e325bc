//! What HiGHS's model status means for an LP, one variant per distinct conclusion.

use highs::HighsModelStatus;

/// HiGHS's conclusion about an LP, with every distinct meaning kept apart.
///
/// [`verdict`] derives it from HiGHS's model status; [`crate::Report`] carries both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// An optimal primal–dual pair was found.
    Optimal,
    /// The constraints have no feasible point.
    Infeasible,
    /// The problem is feasible and the objective decreases without limit.
    Unbounded,
    /// HiGHS proved one of the two but not which (presolve found an improving ray without
    /// knowing whether the problem is feasible). Neither [`Verdict::Infeasible`] nor
    /// [`Verdict::Unbounded`] may be concluded from it.
    InfeasibleOrUnbounded,
    /// HiGHS stopped before reaching a conclusion.
    Stopped(Limit),
    /// HiGHS failed; the model status says where (load, model, presolve, solve, postsolve) or
    /// that it does not know (`Unknown`).
    Failed,
}

/// Why HiGHS stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// `simplex_iteration_limit` (or another iteration limit) was reached.
    Iterations,
    /// `time_limit` was reached.
    Time,
    /// A user callback interrupted the run.
    Interrupt,
    /// The MIP solution limit was reached (not expected for an LP).
    Solutions,
    /// The dual simplex reached the `objective_bound` option.
    ObjectiveBound,
    /// The `objective_target` option was reached.
    ObjectiveTarget,
}

/// Classifies HiGHS's model status.
///
/// | HiGHS model status | [`Verdict`] |
/// | --- | --- |
/// | `Optimal` | `Optimal` |
/// | `Infeasible` | `Infeasible` |
/// | `Unbounded` | `Unbounded` |
/// | `UnboundedOrInfeasible` | `InfeasibleOrUnbounded` |
/// | `ReachedIterationLimit` | `Stopped(Iterations)` |
/// | `ReachedTimeLimit` | `Stopped(Time)` |
/// | `ReachedInterrupt` | `Stopped(Interrupt)` |
/// | `ReachedSolutionLimit` | `Stopped(Solutions)` |
/// | `ObjectiveBound` | `Stopped(ObjectiveBound)` |
/// | `ObjectiveTarget` | `Stopped(ObjectiveTarget)` |
/// | `NotSet`, `LoadError`, `ModelError`, `PresolveError`, `SolveError`, `PostsolveError`, `ReachedMemoryLimit`, `ModelEmpty`, `Unknown` | `Failed` |
///
/// `ModelEmpty` counts as a failure because [`crate::Highs`] answers problems without variables
/// itself and never hands HiGHS an empty model; `ReachedMemoryLimit` because HiGHS treats it as
/// an error (no solution, no iteration counts).
pub fn verdict(status: HighsModelStatus) -> Verdict {
    use HighsModelStatus as S;
    match status {
        S::Optimal => Verdict::Optimal,
        S::Infeasible => Verdict::Infeasible,
        S::Unbounded => Verdict::Unbounded,
        S::UnboundedOrInfeasible => Verdict::InfeasibleOrUnbounded,
        S::ReachedIterationLimit => Verdict::Stopped(Limit::Iterations),
        S::ReachedTimeLimit => Verdict::Stopped(Limit::Time),
        S::ReachedInterrupt => Verdict::Stopped(Limit::Interrupt),
        S::ReachedSolutionLimit => Verdict::Stopped(Limit::Solutions),
        S::ObjectiveBound => Verdict::Stopped(Limit::ObjectiveBound),
        S::ObjectiveTarget => Verdict::Stopped(Limit::ObjectiveTarget),
        S::NotSet
        | S::LoadError
        | S::ModelError
        | S::PresolveError
        | S::SolveError
        | S::PostsolveError
        | S::ReachedMemoryLimit
        | S::ModelEmpty
        | S::Unknown => Verdict::Failed,
        // `HighsModelStatus` is non-exhaustive: a status added by a later binding is not
        // understood here, which is a failure rather than a guess.
        _ => Verdict::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HighsModelStatus as S;

    #[test]
    fn every_status_maps_to_one_verdict() {
        let table = [
            (S::Optimal, Verdict::Optimal),
            (S::Infeasible, Verdict::Infeasible),
            (S::Unbounded, Verdict::Unbounded),
            (S::UnboundedOrInfeasible, Verdict::InfeasibleOrUnbounded),
            (
                S::ReachedIterationLimit,
                Verdict::Stopped(Limit::Iterations),
            ),
            (S::ReachedTimeLimit, Verdict::Stopped(Limit::Time)),
            (S::ReachedInterrupt, Verdict::Stopped(Limit::Interrupt)),
            (S::ReachedSolutionLimit, Verdict::Stopped(Limit::Solutions)),
            (S::ObjectiveBound, Verdict::Stopped(Limit::ObjectiveBound)),
            (S::ObjectiveTarget, Verdict::Stopped(Limit::ObjectiveTarget)),
            (S::NotSet, Verdict::Failed),
            (S::LoadError, Verdict::Failed),
            (S::ModelError, Verdict::Failed),
            (S::PresolveError, Verdict::Failed),
            (S::SolveError, Verdict::Failed),
            (S::PostsolveError, Verdict::Failed),
            (S::ReachedMemoryLimit, Verdict::Failed),
            (S::ModelEmpty, Verdict::Failed),
            (S::Unknown, Verdict::Failed),
        ];
        for (status, expected) in table {
            assert_eq!(verdict(status), expected, "{status:?}");
        }
    }

    #[test]
    fn infeasible_or_unbounded_is_neither() {
        let v = verdict(S::UnboundedOrInfeasible);
        assert_ne!(v, Verdict::Infeasible);
        assert_ne!(v, Verdict::Unbounded);
    }
}
