//! The allocation as a min-cost flow, solved by the network simplex of `corridor-flow`, for scenarios
//! that are pure single-commodity networks. It fills the same LP variables and rows with values and
//! duals, so results are reported exactly as for the LP.
//!
//! Scaling is the one rule of [`crate::scaling`], shared with the case engine, so the optimum is exact in
//! integers and the same as a contingency base case's.

use super::Formulation;
use crate::scaling::{to_int as scaled, COST_SCALE, FLOW_SCALE};
use crate::AnalysisError;
use corridor_flow::{min_cost_flow, McfOutcome, Network, NodeIdx, INF};
use corridor_lp::Solution;
use corridor_model::*;

/// What each native arc stands for in the LP formulation.
#[derive(Clone, Copy, Debug)]
enum Role {
    /// Usable arc index; flow variable of the commodity.
    Flow(usize),
    Unmet(usize),
    Delivered(usize),
}

pub(super) struct NativeProblem {
    net: Network,
    supply: Vec<i64>,
    roles: Vec<Role>,
    commodity: CommodityId,
}

impl NativeProblem {
    /// The min-cost-flow form of `f`, or `None` when the scenario is not a pure network (several
    /// commodities, capacity groups in use, transit-share caps, contracts over two-way links) or a
    /// figure does not scale to integers.
    pub(super) fn build(
        dataset: &Dataset,
        scenario: &Scenario,
        f: &Formulation,
    ) -> Option<NativeProblem> {
        let [commodity] = f.commodities[..] else {
            return None;
        };
        // Groups, share caps, soft minimums and a calibration (premiums, tie-break) need the LP.
        if !f.group_rows.is_empty()
            || !f.share_rows.is_empty()
            || !f.shortfalls.is_empty()
            || scenario.calibration.is_some()
        {
            return None;
        }
        let n = dataset.nodes.len();
        let sink = NodeIdx(n as u32);
        let mut net = Network::new(n + 1);
        let mut roles = Vec::new();
        let mut lower_of = vec![0.0_f64; f.network.arcs.len()];
        let mut ceiling_of = vec![f64::INFINITY; f.network.arcs.len()];
        for contract in &scenario.contracts {
            for &link in &contract.links {
                let arcs: Vec<usize> = f
                    .network
                    .arcs
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.link == link)
                    .map(|(i, _)| i)
                    .collect();
                match arcs[..] {
                    [i] => {
                        lower_of[i] = lower_of[i].max(contract.min_volume);
                        if let Some(max) = contract.max_volume {
                            ceiling_of[i] = ceiling_of[i].min(max);
                        }
                    }
                    _ => return None,
                }
            }
        }
        for &(ai, c) in f.flow.keys() {
            debug_assert_eq!(c, commodity);
            let arc = &f.network.arcs[ai];
            let carriage = dataset.link(arc.link).carriage(c)?;
            let upper = scaled(
                (arc.capacity_base / carriage.capacity_use).min(ceiling_of[ai]),
                FLOW_SCALE,
            )?;
            let lower = scaled(lower_of[ai], FLOW_SCALE)?;
            if lower > upper {
                // A contract above the capacity: infeasible, which the LP explains better.
                return None;
            }
            let cost = scaled(carriage.tariff_usd, COST_SCALE)?;
            net.add_arc(NodeIdx(arc.tail.0), NodeIdx(arc.head.0), lower, upper, cost)
                .ok()?;
            roles.push(Role::Flow(ai));
        }
        let mut supply = vec![0i64; n + 1];
        for (i, s) in scenario.supplies.iter().enumerate() {
            let volume = scaled(s.volume, FLOW_SCALE)?;
            supply[s.node.idx()] = supply[s.node.idx()].checked_add(volume)?;
            supply[n] = supply[n].checked_sub(volume)?;
            let penalty = scaled(scenario.penalty_for(s), COST_SCALE)?;
            net.add_arc(NodeIdx(s.node.0), sink, 0, volume, penalty)
                .ok()?;
            roles.push(Role::Unmet(i));
        }
        for (i, m) in scenario.markets.iter().enumerate() {
            let upper = match m.limit {
                Some(limit) => scaled(limit, FLOW_SCALE)?,
                None => INF,
            };
            let cost = scaled(-m.price_usd.unwrap_or(0.0), COST_SCALE)?;
            net.add_arc(NodeIdx(m.node.0), sink, 0, upper, cost).ok()?;
            roles.push(Role::Delivered(i));
        }
        Some(NativeProblem {
            net,
            supply,
            roles,
            commodity,
        })
    }

    /// Solves and translates the answer into LP terms (an arc full at a contract ceiling gives its dual to
    /// the contract's row, one full at its capacity to the capacity row); `None` when infeasible (an unmeetable contract).
    pub(super) fn solve(&self, f: &Formulation) -> Result<Option<Solution>, AnalysisError> {
        let solution = match min_cost_flow(&self.net, &self.supply).map_err(AnalysisError::flow)? {
            McfOutcome::Optimal(s) => {
                AnalysisError::check(
                    corridor_flow::certify_min_cost_flow(&self.net, &self.supply, &s),
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
        let mut arc_reduced = vec![0.0; self.roles.len()];
        for (a, role) in self.roles.iter().enumerate() {
            let arc = self.net.arc(corridor_flow::ArcIdx(a as u32));
            let value = solution.flow[a] as f64 / FLOW_SCALE;
            // The objective in cost units is Σ (flow × FLOW_SCALE)(tariff × COST_SCALE), so a reduced cost
            // in cost units per flow unit is rc / COST_SCALE USD per base unit.
            let rc_int = arc.cost + solution.potential[arc.tail.0 as usize]
                - solution.potential[arc.head.0 as usize];
            let rc = rc_int as f64 / COST_SCALE;
            arc_reduced[a] = rc;
            let var = match *role {
                Role::Flow(ai) => f.flow.get(&(ai, self.commodity)).copied(),
                Role::Unmet(i) => f.unmet.get(i).copied(),
                Role::Delivered(i) => f.delivered.get(i).copied(),
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
        for (a, role) in self.roles.iter().enumerate() {
            if let Role::Flow(ai) = *role {
                let arc = self.net.arc(corridor_flow::ArcIdx(a as u32));
                let at_upper = solution.flow[a] == arc.upper && arc_reduced[a] < 0.0;
                let var = f.flow.get(&(ai, self.commodity)).copied();
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
                            .any(|&(v, _)| Some(v) == f.flow.get(&(ai, self.commodity)).copied())
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
