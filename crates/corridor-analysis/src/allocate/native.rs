//! The allocation as a min-cost flow, solved by the network simplex of `corridor-flow`, for scenarios
//! that are pure single-commodity networks. It fills the same LP variables and rows with values and
//! duals, so results are reported exactly as for the LP.
//!
//! Scaling is the one rule of [`crate::scaling`], shared with the case engine, so the optimum is exact in
//! integers and the same as a contingency base case's.

use super::Formulation;
use crate::lowering::{ArcRole, FlowLowering};
use crate::scaling::{COST_SCALE, FLOW_SCALE};
use crate::AnalysisError;
use corridor_flow::{min_cost_flow, McfOutcome};
use corridor_lp::Solution;
use corridor_model::*;

pub(super) struct NativeProblem {
    lowering: FlowLowering,
}

impl NativeProblem {
    /// The min-cost-flow form of `f` ([`FlowLowering`], without gadget arcs: a capacity group's row has
    /// no arc to take its dual from), or `None` when the scenario is not a pure network (the lowering
    /// refuses groups, transit-share caps and soft minimums, the rows the LP has beyond capacities).
    pub(super) fn build(
        dataset: &Dataset,
        scenario: &Scenario,
        f: &Formulation,
    ) -> Option<NativeProblem> {
        let lowering = FlowLowering::build(dataset, scenario, &f.network, false)?;
        Some(NativeProblem { lowering })
    }

    /// Solves and translates the answer into LP terms (an arc full at a contract ceiling gives its dual to
    /// the contract's row, one full at its capacity to the capacity row); `None` when infeasible (an unmeetable contract).
    pub(super) fn solve(&self, f: &Formulation) -> Result<Option<Solution>, AnalysisError> {
        let (net, supply, commodity) = (
            &self.lowering.net,
            &self.lowering.supply,
            self.lowering.commodity,
        );
        let solution = match min_cost_flow(net, supply).map_err(AnalysisError::flow)? {
            McfOutcome::Optimal(s) => {
                AnalysisError::check(
                    corridor_flow::certify_min_cost_flow(net, supply, &s),
                    "network simplex",
                    || "the allocation network".to_string(),
                )?;
                s
            }
            McfOutcome::Infeasible => return Ok(None),
            McfOutcome::Unbounded => {
                return Err(AnalysisError::Unbounded {
                    what: "the allocation network".into(),
                })
            }
        };
        let n_vars = f.problem.n_vars();
        let mut x = vec![0.0; n_vars];
        let mut reduced_costs = vec![0.0; n_vars];
        let roles = &self.lowering.roles;
        let mut arc_reduced = vec![0.0; roles.len()];
        for (a, role) in roles.iter().enumerate() {
            let arc = net.arc(corridor_flow::ArcIdx(a as u32));
            let value = solution.flow[a] as f64 / FLOW_SCALE;
            // The objective in cost units is Σ (flow × FLOW_SCALE)(tariff × COST_SCALE), so a reduced cost
            // in cost units per flow unit is rc / COST_SCALE USD per base unit.
            let rc_int = arc.cost + solution.potential[arc.tail.0 as usize]
                - solution.potential[arc.head.0 as usize];
            let rc = rc_int as f64 / COST_SCALE;
            arc_reduced[a] = rc;
            let var = match *role {
                ArcRole::Link { usable, .. } => f.flow.get(&(usable, commodity)).copied(),
                ArcRole::Unmet(i) => f.unmet.get(i).copied(),
                ArcRole::Delivered(i) => f.delivered.get(i).copied(),
                ArcRole::Gadget(_) => None,
            };
            if let Some(v) = var {
                x[v.0] = value;
                reduced_costs[v.0] = rc;
            }
        }
        let row_activity = f.problem.row_activities(&x);
        let mut row_duals = vec![0.0; f.problem.n_rows()];
        // A capacity row holds one arc: its dual is the arc's reduced cost per unit of capacity (negative
        // when the arc is full and more capacity would lower the cost).
        for (a, role) in roles.iter().enumerate() {
            if let ArcRole::Link { usable: ai, .. } = *role {
                let arc = net.arc(corridor_flow::ArcIdx(a as u32));
                let at_upper = solution.flow[a] == arc.upper && arc_reduced[a] < 0.0;
                let var = f.flow.get(&(ai, commodity)).copied();
                let contract_row = f.contract_rows.iter().map(|&(_, row)| row).find(|&row| {
                    f.problem
                        .row_bounds(row)
                        .is_some_and(|(_, hi)| hi.is_finite())
                        && f.problem
                            .row_coeffs(row)
                            .iter()
                            .any(|&(v, _)| Some(v) == var)
                });
                let at_ceiling = contract_row.is_some_and(|row| {
                    f.problem.row_bounds(row).is_some_and(|(_, hi)| {
                        (hi - solution.flow[a] as f64 / FLOW_SCALE).abs() <= 1.0 / FLOW_SCALE
                    })
                });
                if let (true, true, Some(row)) = (at_upper, at_ceiling, contract_row) {
                    row_duals[row.0] = arc_reduced[a];
                } else if let Some(&(_, row)) = f.capacity_rows.iter().find(|(i, _)| *i == ai) {
                    if at_upper {
                        let use_per_unit = f.problem.row_coeffs(row).first().map_or(1.0, |c| c.1);
                        row_duals[row.0] = arc_reduced[a] / use_per_unit;
                    }
                }
                let at_lower =
                    solution.flow[a] == arc.lower && arc.lower > 0 && arc_reduced[a] > 0.0;
                if at_lower {
                    for &(_, row) in &f.contract_rows {
                        if f.problem
                            .row_coeffs(row)
                            .iter()
                            .any(|&(v, _)| Some(v) == var)
                        {
                            row_duals[row.0] = arc_reduced[a];
                        }
                    }
                }
            }
        }
        let objective = f.problem.objective_of(&x);
        Ok(Some(Solution {
            objective,
            x,
            row_activity,
            row_duals,
            reduced_costs,
        }))
    }
}
