//! Model beside observation: the observed-vs-model table, calibrated premiums, calibration fits and
//! backtests, and the calibration file `corridor calibrate` writes.

use crate::{percent, row, usd, Align, Cell, Table};
use corridor_analysis::{
    weighted_abs_pct_error, Backtest, CalibrationResult, Comparison, Constraint,
};
use corridor_model::{Calibration, CommodityId, Dataset, Observation, Scenario};
use std::fmt::Write as _;

fn display(dataset: &Dataset, o: &Observation, base: f64) -> f64 {
    base * dataset.commodity(o.commodity).base_to_display()
}

/// A signed volume with three decimals, without a "-0.000" for round-off.
fn signed(v: f64) -> Cell {
    Cell::figure(v, format!("{:+.3}", if v.abs() < 5e-4 { 0.0 } else { v }))
}

/// An error as a signed percentage of what was observed (none when nothing was).
fn signed_pct(error: f64, observed: f64) -> Cell {
    if observed > 0.0 {
        let pct = error / observed * 100.0;
        Cell::figure_in(pct, "%", format!("{pct:+.1} %"))
    } else {
        Cell::Missing
    }
}

/// Observed against modelled, one row per observed route.
pub fn observed_table(
    dataset: &Dataset,
    year: i32,
    comparisons: &[Comparison],
    calibrated: bool,
) -> Table {
    let mut t = Table::new(
        format!(
            "Observed vs model, {year} ({})",
            if calibrated {
                "calibrated"
            } else {
                "uncalibrated least cost"
            }
        ),
        &[
            ("route", Align::Left),
            ("unit", Align::Left),
            ("observed", Align::Right),
            ("model", Align::Right),
            ("error", Align::Right),
            ("error %", Align::Right),
            ("confidence", Align::Left),
            ("sources", Align::Left),
        ],
    );
    for c in comparisons {
        let o = &dataset.observations[c.observation];
        t.push(row![
            o.name.clone(),
            dataset.commodity(o.commodity).display_unit().to_string(),
            Cell::volume(display(dataset, o, c.observed)),
            Cell::volume(display(dataset, o, c.modelled)),
            signed(display(dataset, o, c.error())),
            signed_pct(c.error(), c.observed),
            o.confidence.to_string(),
            o.sources
                .iter()
                .map(|&s| dataset.source(s).id.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    if let Some(w) = weighted_abs_pct_error(comparisons) {
        t.note(format!(
            "weighted absolute error {}: the share of the observed volume the model puts elsewhere",
            percent(w)
        ));
    }
    t
}

/// The calibrated premiums, largest first.
pub fn premiums_table(dataset: &Dataset, calibration: &Calibration) -> Table {
    let mut t = Table::new(
        format!(
            "Implied premiums (calibrated to {} observations, `{}`)",
            calibration.year, calibration.file
        ),
        &[
            ("link", Align::Left),
            ("commodity", Align::Left),
            ("premium (USD/unit)", Align::Right),
            ("per", Align::Left),
        ],
    );
    let mut premiums = calibration.premiums.clone();
    premiums.sort_by(|a, b| b.usd_per_unit.abs().total_cmp(&a.usd_per_unit.abs()));
    for p in &premiums {
        let c = dataset.commodity(p.commodity);
        t.push(row![
            dataset.link(p.link).id.clone(),
            c.id.clone(),
            Cell::figure(p.usd_per_unit, format!("{:+.2}", p.usd_per_unit)),
            c.dimension.base_unit().to_string(),
        ]);
    }
    t.note("cost beyond tariffs under which the observed flows are the least-cost allocation; a negative premium is a route worth more to shippers than its tariffs show (netback, contracts, shareholdings); only differences between parallel routes are determined");
    t
}

/// How the completed baseline of a calibration matches each observation; residuals are findings.
pub fn calibration_fit_table(
    dataset: &Dataset,
    scenario: &Scenario,
    result: &CalibrationResult,
) -> Table {
    let mut t = Table::new(
        format!("Calibration of `{}` to {}", scenario.name, result.year),
        &[
            ("route", Align::Left),
            ("unit", Align::Left),
            ("observed", Align::Right),
            ("reproduced", Align::Right),
            ("residual", Align::Right),
            ("finding", Align::Left),
        ],
    );
    for f in &result.fits {
        let o = &dataset.observations[f.observation];
        let tol = 1e-6 * f.observed.max(1.0);
        let finding = if f.residual().abs() <= tol {
            String::new()
        } else if f.residual() > 0.0 {
            "observed above what the network and supplies allow: check capacities, supplies or the figure".into()
        } else {
            "model must move more than observed: supplies exceed what the other observed routes take".into()
        };
        t.push(row![
            o.name.clone(),
            dataset.commodity(o.commodity).display_unit().to_string(),
            Cell::volume(display(dataset, o, f.observed)),
            Cell::volume(display(dataset, o, f.completed)),
            signed(display(dataset, o, f.residual())),
            finding,
        ]);
    }
    t.note(format!(
        "Σ|premium| = {} USD per unit over {} links",
        usd(result.premium_l1),
        result.calibration.premiums.len()
    ));
    t
}

/// A backtest: per year and route, observed against uncalibrated, in-sample and out-of-sample model.
pub fn backtest_tables(dataset: &Dataset, scenario: &Scenario, backtest: &Backtest) -> Vec<Table> {
    let mut summary = Table::new(
        format!(
            "Backtest of `{}`: weighted absolute error per year",
            scenario.name
        ),
        &[
            ("year", Align::Right),
            ("routes", Align::Right),
            ("uncalibrated", Align::Right),
            ("in sample", Align::Right),
            ("out of sample", Align::Right),
            ("calibrated on", Align::Right),
        ],
    );
    let mut routes = Table::new(
        "Backtest by route (model − observed)",
        &[
            ("year", Align::Right),
            ("route", Align::Left),
            ("unit", Align::Left),
            ("observed", Align::Right),
            ("uncalibrated", Align::Right),
            ("in sample", Align::Right),
            ("out of sample", Align::Right),
            ("out-of-sample error", Align::Right),
            ("error %", Align::Right),
        ],
    );
    let mut rerouting = Table::new(
        "Disruption backtest: the model with and without the year's dated disruptions",
        &[
            ("year", Align::Right),
            ("calibrated on", Align::Right),
            ("route", Align::Left),
            ("unit", Align::Left),
            ("observed", Align::Right),
            ("with", Align::Right),
            ("without", Align::Right),
            ("rerouted", Align::Right),
        ],
    );
    let score = |c: &[Comparison]| weighted_abs_pct_error(c).map_or(Cell::Missing, Cell::percent);
    for y in &backtest.years {
        summary.push(row![
            Cell::integer(y.year),
            Cell::integer(y.uncalibrated.len() as i64),
            score(&y.uncalibrated),
            score(&y.in_sample),
            y.out_of_sample.as_deref().map_or(Cell::Missing, score),
            if y.out_of_sample.is_some() {
                Cell::integer(y.year - 1)
            } else {
                Cell::Missing
            },
        ]);
        for (i, u) in y.uncalibrated.iter().enumerate() {
            let o = &dataset.observations[u.observation];
            let show = |c: Option<&Comparison>| {
                c.map_or(Cell::Missing, |c| {
                    Cell::volume(display(dataset, o, c.modelled))
                })
            };
            let oos = y.out_of_sample.as_ref().and_then(|v| v.get(i));
            routes.push(row![
                Cell::integer(y.year),
                o.name.clone(),
                dataset.commodity(o.commodity).display_unit().to_string(),
                Cell::volume(display(dataset, o, u.observed)),
                show(Some(u)),
                show(y.in_sample.get(i)),
                show(oos),
                oos.map_or(Cell::Missing, |c| signed(display(dataset, o, c.error()))),
                oos.map_or(Cell::Missing, |c| signed_pct(c.error(), c.observed)),
            ]);
        }
        if let Some(d) = &y.disruption {
            for (with, without) in d.with.iter().zip(&d.without) {
                let o = &dataset.observations[with.observation];
                let rerouted = display(dataset, o, with.modelled - without.modelled);
                rerouting.push(row![
                    Cell::integer(y.year),
                    Cell::integer(d.calibrated_on),
                    o.name.clone(),
                    dataset.commodity(o.commodity).display_unit().to_string(),
                    Cell::volume(display(dataset, o, with.observed)),
                    Cell::volume(display(dataset, o, with.modelled)),
                    Cell::volume(display(dataset, o, without.modelled)),
                    Cell::figure(rerouted, format!("{rerouted:+.3}")),
                ]);
            }
        }
    }
    summary.note("weighted absolute error = Σ|model − observed| / Σ observed; out of sample = premiums and baseline fitted on the year before, this year's capacities, supplies and disruptions (the honest number)");
    let mut out = vec![summary, routes];
    if !rerouting.rows.is_empty() {
        out.push(rerouting);
    }
    out
}

/// The calibration file `corridor calibrate` writes; `corridor_io::parse_calibration` reads it back.
pub fn calibration_toml(
    dataset: &Dataset,
    scenario: &Scenario,
    result: &CalibrationResult,
) -> String {
    let c = &result.calibration;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Written by `corridor calibrate {} --year {}`: implied premiums (USD per base unit)",
        scenario.name, result.year
    );
    let _ = writeln!(
        s,
        "# under which the observed {} flows are the least-cost allocation, and the completed",
        result.year
    );
    let _ = writeln!(s, "# baseline flows the solver prefers among equally cheap allocations. Regenerate, do not edit.\n");
    let _ = writeln!(s, "[calibration]");
    let _ = writeln!(s, "scenario = {:?}", scenario.name);
    let _ = writeln!(s, "year = {}", c.year);
    let _ = writeln!(s, "tie_break_usd = {}", c.tie_break_usd);
    let _ = writeln!(
        s,
        "method = \"inverse optimisation (least L1, then least largest premium)\""
    );
    for p in &c.premiums {
        let commodity = dataset.commodity(p.commodity);
        let _ = writeln!(
            s,
            "\n[[premiums]]\nlink = {:?}\ncommodity = {:?}\nusd_per_unit = {}\nunit = \"USD/{}\"",
            dataset.link(p.link).id,
            commodity.id,
            round(p.usd_per_unit, 4),
            commodity.dimension.base_unit()
        );
    }
    for r in &c.reference {
        let commodity = dataset.commodity(r.commodity);
        let unit = commodity.display_unit();
        let _ = write!(
            s,
            "\n[[reference]]\nlink = {:?}\ncommodity = {:?}\nvolume = {}\nunit = \"{unit}\"\n",
            dataset.link(r.link).id,
            commodity.id,
            round(r.volume * commodity.base_to_display(), 9)
        );
        if r.reverse {
            let _ = writeln!(s, "reverse = true");
        }
    }
    for f in &result.fits {
        let o = &dataset.observations[f.observation];
        if (f.residual()).abs() > 1e-6 * f.observed.max(1.0) {
            let _ = writeln!(s, "\n[[residuals]]\nobservation = {:?}\nobserved = {}\nreproduced = {}\nunit = \"{}\"",
                o.id, round(display(dataset, o, f.observed), 6), round(display(dataset, o, f.completed), 6), dataset.commodity(o.commodity).display_unit());
        }
    }
    s
}

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}

/// A constraint of A or B as shown: its kind, id (a contract named from the scenario that has it) and the
/// unit of its shadow price.
fn compared_constraint(
    dataset: &Dataset,
    scenarios: (&Scenario, &Scenario),
    constraint: Constraint,
) -> (&'static str, String, String) {
    // A contract only B has is numbered after A's (`ScenarioComparison::binding`).
    let (scenario, constraint) = match constraint {
        Constraint::Contract(i) if i >= scenarios.0.contracts.len() => (
            scenarios.1,
            Constraint::Contract(i - scenarios.0.contracts.len()),
        ),
        other => (scenarios.0, other),
    };
    (
        constraint.kind(),
        corridor_analysis::constraint_label(dataset, scenario, constraint),
        crate::records::shadow_price_unit(dataset, scenario, constraint),
    )
}

/// The countries whose transit changes, largest change first as shown (in each commodity's display
/// unit, so that a Mt of crude and a kTEU of containers weigh as people read them), then by code.
fn countries_by_change<'c>(
    dataset: &Dataset,
    c: &'c corridor_analysis::ScenarioComparison,
) -> Vec<&'c corridor_analysis::CountryChange> {
    let shown = |t: &corridor_analysis::CountryChange| {
        (t.b - t.a).abs() * dataset.commodity(t.commodity).base_to_display()
    };
    let mut out: Vec<_> = c.countries.iter().collect();
    out.sort_by(|x, y| {
        shown(y)
            .total_cmp(&shown(x))
            .then_with(|| x.country.cmp(&y.country))
    });
    out
}

/// Two scenarios side by side: totals, the links whose flow moved, transit by country, binding constraints,
/// and (when given) the bypass of each (`(commodity, A, B)` in base units per year).
pub fn comparison_tables(
    dataset: &Dataset,
    scenarios: (&Scenario, &Scenario),
    c: &corridor_analysis::ScenarioComparison,
    bypass: &[(CommodityId, f64, f64)],
) -> Vec<Table> {
    let money = |v: f64| Cell::figure(v / 1e6, format!("{:.1}", v / 1e6));
    let mut totals = Table::new(
        format!(
            "Compare `{}` (A) with `{}` (B)",
            scenarios.0.name, scenarios.1.name
        ),
        &[
            ("figure", Align::Left),
            ("unit", Align::Left),
            ("A", Align::Right),
            ("B", Align::Right),
            ("B − A", Align::Right),
        ],
    );
    for (name, (a, b)) in [
        (
            "total cost (tariffs + premiums + penalties − revenue)",
            c.objective_usd,
        ),
        ("tariffs", c.transport_cost_usd),
        ("implied premiums", c.premium_usd),
        ("unmet penalties", c.unmet_penalty_usd),
    ] {
        totals.push(row![
            name,
            "MUSD/y",
            money(a),
            money(b),
            Cell::figure((b - a) / 1e6, format!("{:+.1}", (b - a) / 1e6)),
        ]);
    }
    for &(commodity, a, b) in bypass {
        let k = dataset.commodity(commodity);
        let d = k.base_to_display();
        totals.push(row![
            format!("bypass capacity ({})", k.id),
            k.display_unit().to_string(),
            Cell::volume(a * d),
            Cell::volume(b * d),
            signed((b - a) * d),
        ]);
    }
    let mut links = Table::new(
        "Links whose flow changes, largest change first",
        &[
            ("link", Align::Left),
            ("commodity", Align::Left),
            ("unit", Align::Left),
            ("A", Align::Right),
            ("B", Align::Right),
            ("B − A", Align::Right),
        ],
    );
    for l in &c.links {
        let k = dataset.commodity(l.commodity);
        let d = k.base_to_display();
        links.push(row![
            dataset.link(l.link).id.clone(),
            k.id.clone(),
            k.display_unit().to_string(),
            Cell::volume(l.a * d),
            Cell::volume(l.b * d),
            signed((l.b - l.a) * d),
        ]);
    }
    let mut countries = Table::new(
        "Transit volume by country",
        &[
            ("country", Align::Left),
            ("commodity", Align::Left),
            ("unit", Align::Left),
            ("A", Align::Right),
            ("B", Align::Right),
            ("B − A", Align::Right),
            ("share A", Align::Right),
            ("share B", Align::Right),
        ],
    );
    for t in countries_by_change(dataset, c) {
        let k = dataset.commodity(t.commodity);
        let d = k.base_to_display();
        countries.push(row![
            t.country.to_string(),
            k.id.clone(),
            k.display_unit().to_string(),
            Cell::volume(t.a * d),
            Cell::volume(t.b * d),
            signed((t.b - t.a) * d),
            Cell::percent(t.share_a),
            Cell::percent(t.share_b),
        ]);
    }
    let mut binding = Table::new(
        "Binding constraints and shadow prices (USD, 0 where not binding)",
        &[
            ("kind", Align::Left),
            ("id", Align::Left),
            ("A", Align::Right),
            ("B", Align::Right),
            ("per", Align::Left),
        ],
    );
    for b in &c.binding {
        let (kind, id, unit) = compared_constraint(dataset, scenarios, b.constraint);
        binding.push(row![kind, id, Cell::usd(b.a), Cell::usd(b.b), unit]);
    }
    vec![totals, links, countries, binding]
}

/// The JSON of `corridor compare`: totals as `[A, B]`, the bypass of each commodity, and the links,
/// countries and binding constraints that changed (volumes in display units).
pub fn comparison_json(
    dataset: &Dataset,
    scenarios: (&Scenario, &Scenario),
    c: &corridor_analysis::ScenarioComparison,
    bypass: &[(CommodityId, f64, f64)],
) -> serde_json::Value {
    let shown = |commodity: CommodityId, v: f64| crate::records::display(dataset, commodity, v);
    let unit = |commodity: CommodityId| crate::records::unit(dataset, commodity);
    serde_json::json!({
        "a": scenarios.0.name,
        "b": scenarios.1.name,
        "objective_usd": [c.objective_usd.0, c.objective_usd.1],
        "transport_cost_usd": [c.transport_cost_usd.0, c.transport_cost_usd.1],
        "premium_usd": [c.premium_usd.0, c.premium_usd.1],
        "unmet_penalty_usd": [c.unmet_penalty_usd.0, c.unmet_penalty_usd.1],
        "bypass": bypass.iter().map(|&(k, x, y)| serde_json::json!({
            "commodity": dataset.commodity(k).id, "a": shown(k, x), "b": shown(k, y), "unit": unit(k),
        })).collect::<Vec<_>>(),
        "links": c.links.iter().map(|l| serde_json::json!({
            "link": dataset.link(l.link).id,
            "commodity": dataset.commodity(l.commodity).id,
            "unit": unit(l.commodity),
            "a": shown(l.commodity, l.a),
            "b": shown(l.commodity, l.b),
        })).collect::<Vec<_>>(),
        "countries": countries_by_change(dataset, c).into_iter().map(|t| serde_json::json!({
            "country": t.country.to_string(), "commodity": dataset.commodity(t.commodity).id,
            "unit": unit(t.commodity), "a": shown(t.commodity, t.a), "b": shown(t.commodity, t.b),
            "share_a": t.share_a, "share_b": t.share_b,
        })).collect::<Vec<_>>(),
        "binding": c.binding.iter().map(|b| {
            let (kind, id, unit) = compared_constraint(dataset, scenarios, b.constraint);
            serde_json::json!({ "kind": kind, "id": id, "a": b.a, "b": b.b, "unit": unit })
        }).collect::<Vec<_>>(),
    })
}
