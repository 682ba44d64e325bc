//! A min-cost-flow proxy of a MATPOWER power-grid case.
//!
//! The proxy is a transport model, not a power flow: it keeps the grid's topology, ratings
//! and loads, which is what makes these networks hard for flow solvers (long, thin, many
//! parallel paths of nearly equal cost). Node `k` is the `k`-th bus of `mpc.bus`; one extra
//! node `S` (the last) supplies everything. Arcs, in this order:
//!
//! 1. each in-service branch `f - t` becomes the pair `f -> t`, `t -> f` (arcs `2k`, `2k+1`
//!    for branch `k`, announced by a `c corridor-bench branches K` comment), capacity
//!    `rate_factor x rateA` (MATPOWER's `rateA = 0` means unlimited; it gets the total
//!    supply), cost `max(1, round(|x| * cost_per_reactance_pu))`;
//! 2. each in-service generator: `S -> bus`, capacity `Pmax`, cost
//!    `round(c1 * gen_cost_per_dollar)` with `c1` the linear coefficient of its `gencost`;
//! 3. each negative load (an injection): `S -> bus`, capacity `-Pd`, cost 0;
//! 4. each positive load: `S -> bus` at `shed_cost` per unit, capacity `Pd` (load shedding,
//!    which keeps every N-1 contingency feasible).
//!
//! Supplies: `-Pd` at every bus with a positive load, the total load at `S`. Powers are in
//! flow units of `1 / flow_units_per_mw` MW, rounded to integers.

use std::collections::HashMap;
use std::fmt::Write as _;

use anyhow::{anyhow, bail, Context as _};

/// Parameters of the proxy; see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PowerGridParams {
    /// MATPOWER case name, e.g. `case_ACTIVSg10k` (file `case_ACTIVSg10k.m`).
    pub case: String,
    /// Flow units per MW.
    pub flow_units_per_mw: i64,
    /// Branch capacity as a multiple of `rateA`.
    pub rate_factor: i64,
    /// Cost per flow unit of a branch of reactance 1 p.u.
    pub cost_per_reactance_pu: i64,
    /// Cost per flow unit of a generator per $/MWh of its linear cost coefficient.
    pub gen_cost_per_dollar: i64,
    /// Cost per flow unit of load shed.
    pub shed_cost: i64,
}

/// Builds the proxy's DIMACS text from the text of a MATPOWER case file.
///
/// # Errors
/// If a matrix is missing, a row is too short or a branch or generator names an unknown bus.
pub fn proxy(case_text: &str, p: &PowerGridParams) -> anyhow::Result<String> {
    let bus = matrix(case_text, "bus")?;
    let gen = matrix(case_text, "gen")?;
    let branch = matrix(case_text, "branch")?;
    // A case without costs is still a network; its generators then cost nothing.
    let gencost = matrix(case_text, "gencost").unwrap_or_default();

    let units = |mw: f64| (mw * p.flow_units_per_mw as f64).round() as i64;
    let mut index = HashMap::with_capacity(bus.len());
    for (k, row) in bus.iter().enumerate() {
        need(row, 3, "bus")?;
        index.insert(row[0] as i64, k + 1);
    }
    let node = |id: f64, what: &str| {
        index
            .get(&(id as i64))
            .copied()
            .ok_or_else(|| anyhow!("{what} names unknown bus {id}"))
    };
    let n_bus = bus.len();
    let s = n_bus + 1;

    let mut supply = vec![0i64; n_bus + 2];
    let mut total_load = 0i64;
    let mut injections = Vec::new();
    let mut loads = Vec::new();
    for (k, row) in bus.iter().enumerate() {
        let pd = units(row[2]);
        if pd > 0 {
            supply[k + 1] = -pd;
            total_load += pd;
            loads.push((k + 1, pd));
        } else if pd < 0 {
            injections.push((k + 1, -pd));
        }
    }
    supply[s] = total_load;

    let mut gens = Vec::new();
    let mut total_gen = 0i64;
    for (g, row) in gen.iter().enumerate() {
        need(row, 9, "gen")?;
        let (status, pmax) = (row[7], units(row[8]));
        if status <= 0.0 || pmax <= 0 {
            continue;
        }
        let c1 = gencost.get(g).map_or(0.0, |c| linear_cost(c));
        let cost = (c1 * p.gen_cost_per_dollar as f64).round().max(0.0) as i64;
        gens.push((node(row[0], "gen")?, pmax, cost));
        total_gen += pmax;
    }
    let unlimited = total_load + total_gen + injections.iter().map(|i| i.1).sum::<i64>();

    let mut branches = Vec::new();
    for row in &branch {
        need(row, 11, "branch")?;
        if row[10] <= 0.0 {
            continue;
        }
        let (f, t) = (node(row[0], "branch")?, node(row[1], "branch")?);
        let rate = units(row[5] * p.rate_factor as f64);
        let cap = if rate <= 0 { unlimited } else { rate };
        let cost = ((row[3].abs() * p.cost_per_reactance_pu as f64).round() as i64).max(1);
        branches.push((f, t, cap, cost));
    }

    let n = n_bus + 1;
    let m = 2 * branches.len() + gens.len() + injections.len() + loads.len();
    let mut out = String::with_capacity(32 * m + 1024);
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "c corridor-bench power-grid proxy of MATPOWER {}\n\
         c flow unit = 1/{} MW; branch cap = {} x rateA; branch cost = |x| * {}; \
         gen cost = c1 * {}; shed cost = {}\n\
         c node {} is the supply node; branch k is the arc pair (2k, 2k+1), 0-based\n\
         c corridor-bench branches {}",
        p.case,
        p.flow_units_per_mw,
        p.rate_factor,
        p.cost_per_reactance_pu,
        p.gen_cost_per_dollar,
        p.shed_cost,
        s,
        branches.len()
    );
    let _ = writeln!(out, "p min {n} {m}");
    for (v, &b) in supply.iter().enumerate().skip(1) {
        if b != 0 {
            let _ = writeln!(out, "n {v} {b}");
        }
    }
    for &(f, t, cap, cost) in &branches {
        let _ = writeln!(out, "a {f} {t} 0 {cap} {cost}");
        let _ = writeln!(out, "a {t} {f} 0 {cap} {cost}");
    }
    for &(v, cap, cost) in &gens {
        let _ = writeln!(out, "a {s} {v} 0 {cap} {cost}");
    }
    for &(v, cap) in &injections {
        let _ = writeln!(out, "a {s} {v} 0 {cap} 0");
    }
    for &(v, cap) in &loads {
        let _ = writeln!(out, "a {s} {v} 0 {cap} {}", p.shed_cost);
    }
    Ok(out)
}

/// The linear coefficient of a `gencost` row: `c1` of a polynomial (model 2), the slope of
/// the first segment of a piecewise-linear cost (model 1).
fn linear_cost(row: &[f64]) -> f64 {
    let (model, ncost) = (row.first().copied(), row.get(3).map(|&v| v as usize));
    match (model, ncost) {
        (Some(m), Some(nc)) if m == 2.0 && nc >= 2 => row.get(4 + nc - 2).copied().unwrap_or(0.0),
        (Some(m), Some(nc)) if m == 1.0 && nc >= 2 => {
            let (x0, y0, x1, y1) = (row[4], row[5], row[6], row[7]);
            if x1 > x0 {
                (y1 - y0) / (x1 - x0)
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

fn need(row: &[f64], len: usize, what: &str) -> anyhow::Result<()> {
    if row.len() < len {
        bail!(
            "a row of mpc.{what} has {} columns, at least {len} expected",
            row.len()
        );
    }
    Ok(())
}

/// The rows of `mpc.NAME = [ ... ];`, with `%` comments removed.
fn matrix(text: &str, name: &str) -> anyhow::Result<Vec<Vec<f64>>> {
    let head = format!("mpc.{name} = [");
    let start = text
        .find(&head)
        .ok_or_else(|| anyhow!("no `{head}` in the case file"))?
        + head.len();
    let end = text[start..]
        .find("];")
        .ok_or_else(|| anyhow!("`{head}` is not closed by `];`"))?
        + start;
    let mut rows = Vec::new();
    for line in text[start..end].lines() {
        let line = line.split('%').next().unwrap_or("");
        for row in line.split(';') {
            let fields: Vec<f64> = row
                .split_whitespace()
                .map(|f| f.parse::<f64>())
                .collect::<Result<_, _>>()
                .with_context(|| format!("a number in mpc.{name}: `{}`", row.trim()))?;
            if !fields.is_empty() {
                rows.push(fields);
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "function mpc = tiny
mpc.baseMVA = 100;
mpc.bus = [
	1	3	0	0	0	0	1	1	0	138	1	1.1	0.9;
	2	1	50	0	0	0	1	1	0	138	1	1.1	0.9;
	3	1	-5	0	0	0	1	1	0	138	1	1.1	0.9; % an injection
];
mpc.gen = [
	1	0	0	0	0	1	100	1	80	0;
];
mpc.branch = [
	1	2	0.01	0.1	0	30	0	0	0	0	1;
	2	3	0.01	0.2	0	0	0	0	0	0	1;
	1	3	0.01	0.3	0	0	0	0	0	0	0;
];
mpc.gencost = [
	2	0	0	3	0.01	20	0;
];
";

    #[test]
    fn tiny_case_becomes_a_feasible_transport_problem() {
        let p = PowerGridParams {
            case: "tiny".into(),
            flow_units_per_mw: 1,
            rate_factor: 1,
            cost_per_reactance_pu: 100,
            gen_cost_per_dollar: 1,
            shed_cost: 1000,
        };
        let text = proxy(CASE, &p).expect("valid case");
        assert!(text.contains("c corridor-bench branches 2\n"), "{text}");
        let problem = corridor_dimacs::parse(&text).expect("valid DIMACS");
        let corridor_dimacs::Problem::MinCost { net, supply } = problem else {
            panic!("a min-cost problem");
        };
        assert_eq!(supply, vec![0, -50, 0, 50]);
        // Two branch pairs, one generator, one injection, one load.
        assert_eq!(net.n_arcs(), 4 + 1 + 1 + 1);
        let corridor_flow::McfOutcome::Optimal(sol) =
            corridor_flow::min_cost_flow(&net, &supply).expect("valid")
        else {
            panic!("shedding keeps the proxy feasible");
        };
        // 5 MW from the injection over 2-3 backwards (cost 20 each), 30 from the generator
        // over 1-2 (20 + 10 each), the other 15 shed (1000 each).
        assert_eq!(sol.cost, 5 * 20 + 30 * 30 + 15 * 1000);
    }
}
