//! `corridor calibrate` and `corridor backtest`: the model against what was observed.

use crate::context::{color, emit, load_scenario, lp_solver, warn};
use crate::context::{Format, GlobalArgs};
use anyhow::{bail, Context, Result};
use corridor_analysis::{self as analysis, Allocation, CalibrateOptions};
use corridor_io::DEFAULT_SCENARIO;
use corridor_model::{Dataset, Scenario};
use corridor_report as report;
use std::process::ExitCode;

/// The tables every allocation of a scenario shows beside its own: observed vs model for the year, and the
/// premiums when the run is calibrated.
pub(crate) fn truth_tables(
    dataset: &Dataset,
    scenario: &Scenario,
    allocation: &Allocation,
) -> Vec<report::Table> {
    let mut out = Vec::new();
    let comparisons = analysis::compare_observed(dataset, scenario, allocation);
    if !comparisons.is_empty() {
        out.push(report::observed_table(
            dataset,
            allocation.year,
            &comparisons,
            scenario.calibration.is_some(),
        ));
    }
    if let Some(c) = &scenario.calibration {
        out.push(report::premiums_table(dataset, c));
    }
    out
}

#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// The year whose observed flows to fit (default: the scenario's year).
    #[arg(long)]
    pub year: Option<i32>,
    /// USD per base unit that moving away from the calibrated baseline costs (breaks ties only).
    #[arg(long, default_value_t = 0.01)]
    pub tie_break: f64,
    /// Write the calibration file (for a scenario's `calibration = "…"`) to FILE, atomically.
    #[arg(long, value_name = "FILE")]
    pub write: Option<std::path::PathBuf>,
}

pub fn calibrate(args: &CalibrateArgs, global: &GlobalArgs) -> Result<ExitCode> {
    if !(args.tie_break.is_finite() && args.tie_break >= 0.0) {
        bail!("--tie-break must be a finite number ≥ 0 (e.g. 0.01)");
    }
    let loaded = load_scenario(&args.scenario, global)
        .with_context(|| format!("loading scenario `{}`", args.scenario))?;
    warn(global, &loaded.warnings);
    let (dataset, scenario) = (&loaded.dataset, &loaded.scenario);
    let year = args.year.unwrap_or(scenario.year);
    let solver = lp_solver(global)?;
    let options = CalibrateOptions {
        tie_break_usd: args.tie_break,
    };
    let mut result = analysis::calibrate(dataset, scenario, year, solver.as_ref(), options)?;
    let name = args.write.as_ref().and_then(|p| p.file_name()).map_or_else(
        || format!("{}.calibration.toml", scenario.name),
        |n| n.to_string_lossy().to_string(),
    );
    result.calibration.file = name;
    if let Some(path) = &args.write {
        corridor_io::write_atomic(
            path,
            report::calibration_toml(dataset, scenario, &result).as_bytes(),
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // Check the calibration: the scenario re-solved with it must reproduce the completed baseline.
    let mut calibrated = scenario.in_year(year);
    calibrated.calibration = Some(result.calibration.clone());
    let allocation = analysis::allocate(dataset, &calibrated, solver.as_ref())?;
    let comparisons = analysis::compare_observed(dataset, &calibrated, &allocation);
    let tables = vec![
        report::calibration_fit_table(dataset, scenario, &result),
        report::premiums_table(dataset, &result.calibration),
        report::observed_table(dataset, year, &comparisons, true),
    ];
    let text = match global.format {
        Format::Table => report::tables_to_text(&tables, color(global)),
        Format::Csv => report::tables_to_csv(&tables),
        Format::Xlsx => {
            crate::printer::print_tables(global, Some(dataset), &[], &tables, String::new, None)?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => report::to_json(&serde_json::json!({
            "scenario": scenario.name,
            "year": year,
            "premiums": result.calibration.premiums.iter().map(|p| serde_json::json!({
                "link": dataset.link(p.link).id,
                "commodity": dataset.commodity(p.commodity).id,
                "usd_per_unit": p.usd_per_unit,
                "per": dataset.commodity(p.commodity).dimension.base_unit().to_string(),
            })).collect::<Vec<_>>(),
            "fits": comparisons_json(dataset, &comparisons),
        })),
        Format::Geojson => return Err(crate::visual::no_geojson("calibrate")),
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn comparisons_json(
    dataset: &Dataset,
    comparisons: &[analysis::Comparison],
) -> Vec<serde_json::Value> {
    comparisons
        .iter()
        .map(|c| {
            let o = &dataset.observations[c.observation];
            let k = dataset.commodity(o.commodity);
            serde_json::json!({
                "observation": o.id,
                "route": o.name,
                "unit": k.display_unit().to_string(),
                "observed": c.observed * k.base_to_display(),
                "model": c.modelled * k.base_to_display(),
            })
        })
        .collect()
}

#[derive(clap::Args, Debug)]
pub struct BacktestArgs {
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// The years, as FIRST..LAST (both included).
    #[arg(long, default_value = "2022..2025")]
    pub years: String,
    /// USD per base unit that moving away from a calibrated baseline costs.
    #[arg(long, default_value_t = 0.01)]
    pub tie_break: f64,
}

pub fn backtest(args: &BacktestArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let (first, last) = crate::resilience::parse_years(&args.years)?;
    let loaded = load_scenario(&args.scenario, global)
        .with_context(|| format!("loading scenario `{}`", args.scenario))?;
    warn(global, &loaded.warnings);
    let (dataset, scenario) = (&loaded.dataset, &loaded.scenario);
    let solver = lp_solver(global)?;
    let years: Vec<i32> = (first..=last).collect();
    let options = CalibrateOptions {
        tie_break_usd: args.tie_break,
    };
    let result = analysis::backtest(dataset, scenario, &years, solver.as_ref(), options)?;
    let tables = report::backtest_tables(dataset, scenario, &result);
    let text = match global.format {
        Format::Table => report::tables_to_text(&tables, color(global)),
        Format::Csv => report::tables_to_csv(&tables),
        Format::Xlsx => {
            crate::printer::print_tables(global, Some(dataset), &[], &tables, String::new, None)?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => report::to_json(&serde_json::json!({
            "scenario": scenario.name,
            "years": result.years.iter().map(|y| serde_json::json!({
                "year": y.year,
                "weighted_abs_error": {
                    "uncalibrated": analysis::weighted_abs_pct_error(&y.uncalibrated),
                    "in_sample": analysis::weighted_abs_pct_error(&y.in_sample),
                    "out_of_sample": y.out_of_sample.as_deref().and_then(analysis::weighted_abs_pct_error),
                },
                "uncalibrated": comparisons_json(dataset, &y.uncalibrated),
                "in_sample": comparisons_json(dataset, &y.in_sample),
                "out_of_sample": y.out_of_sample.as_deref().map(|c| comparisons_json(dataset, c)),
                "disruption": y.disruption.as_ref().map(|d| serde_json::json!({
                    "calibrated_on": d.calibrated_on,
                    "with": comparisons_json(dataset, &d.with),
                    "without": comparisons_json(dataset, &d.without),
                })),
            })).collect::<Vec<_>>(),
        })),
        Format::Geojson => return Err(crate::visual::no_geojson("backtest")),
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// Scenario A: an embedded scenario name or a scenario .toml file.
    pub a: String,
    /// Scenario B, on the same dataset.
    pub b: String,
    /// Countries the bypass avoids in both (the origins' own countries are never avoided).
    #[arg(long, value_name = "CC,..", default_value = "RU,CN")]
    pub avoid: String,
}

pub fn compare(args: &CompareArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let load = |spec: &str| {
        load_scenario(spec, global).with_context(|| format!("loading scenario `{spec}`"))
    };
    let (a, b) = (load(&args.a)?, load(&args.b)?);
    warn(global, &a.warnings);
    warn(global, &b.warnings);
    let Some(dataset) = analysis::comparison_dataset(&a.dataset, &b.dataset) else {
        bail!(
            "`{}` and `{}` run on different datasets (`{}`, `{}`): compare scenarios of one dataset",
            args.a,
            args.b,
            a.dataset.meta.id,
            b.dataset.meta.id
        );
    };
    let solver = lp_solver(global)?;
    let solver = solver.as_ref();
    let alloc_a = analysis::allocate(&a.dataset, &a.scenario, solver)?;
    let alloc_b = analysis::allocate(&b.dataset, &b.scenario, solver)?;
    let comparison =
        analysis::compare_allocations((&a.scenario, &alloc_a), (&b.scenario, &alloc_b), 1e-6);
    let avoid = crate::context::parse_countries(dataset, &args.avoid, global)?;
    let bypass = analysis::compare_bypass(
        (&a.dataset, &a.scenario),
        (&b.dataset, &b.scenario),
        &avoid,
        solver,
    )?;
    let tables =
        report::comparison_tables(dataset, (&a.scenario, &b.scenario), &comparison, &bypass);
    let text = match global.format {
        Format::Table => report::tables_to_text(&tables, color(global)),
        Format::Csv => report::tables_to_csv(&tables),
        Format::Xlsx => {
            crate::printer::print_tables(global, Some(dataset), &[], &tables, String::new, None)?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => report::to_json(&report::comparison_json(
            dataset,
            (&a.scenario, &b.scenario),
            &comparison,
            &bypass,
        )),
        Format::Geojson => return Err(crate::visual::no_geojson("compare")),
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}
