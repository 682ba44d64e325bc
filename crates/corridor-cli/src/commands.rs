//! One function per subcommand: load, analyse, render, emit.

use crate::context::{
    color, emit, load_dataset, load_scenario, lp_solver, parse_countries, warn, Format, GlobalArgs,
};
use anyhow::{bail, Context, Result};
use corridor_analysis::{self as analysis, CapacityQuery};
use corridor_io::{LoadError, DEFAULT_SCENARIO, EMBEDDED_DATASET};
use corridor_model::units::{self, closest, format_significant, Unit};
use corridor_model::Dataset;
use corridor_report as report;
use corridor_report::records::{AllocationRecord, BypassRecord, CapacityRecord, RankedRouteRecord};
use std::collections::BTreeSet;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ScenarioArgs {
    /// An embedded scenario name (kazakh-crude-2024, middle-corridor-2024) or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
}

pub fn allocate(args: &ScenarioArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let loaded = crate::context::load_scenario(&args.scenario, global)
        .with_context(|| format!("loading scenario `{}`", args.scenario))?;
    warn(global, &loaded.warnings);
    let result = analysis::allocate(
        &loaded.dataset,
        &loaded.scenario,
        lp_solver(global)?.as_ref(),
    )?;
    let record = AllocationRecord::new(&loaded.dataset, &loaded.scenario, &result);
    let mut tables = report::allocation_tables(&record);
    tables.extend(crate::truth::truth_tables(
        &loaded.dataset,
        &loaded.scenario,
        &result,
    ));
    crate::printer::print_tables(
        global,
        Some(&loaded.dataset),
        &loaded.scenario.sources,
        &tables,
        || report::to_json(&record),
        Some(&|| {
            Ok(crate::visual::allocation_geojson(
                &loaded.dataset,
                &loaded.scenario,
                &result,
            ))
        }),
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct CapacityArgs {
    /// The commodity, e.g. crude, gas, containers, cargo.
    #[arg(long)]
    pub commodity: String,
    /// Origins: node ids or country codes (a country means its field nodes), comma-separated.
    #[arg(long, value_name = "ORIGINS")]
    pub from: String,
    /// Markets: node ids, country codes, or `any` for every market node.
    #[arg(long, value_name = "MARKETS", default_value = "any")]
    pub to: String,
    /// Country codes no route may touch, comma-separated, e.g. RU,CN.
    #[arg(long, value_name = "CC,..")]
    pub avoid: Option<String>,
    /// Transit only through members of this bloc (origin and market countries stay allowed).
    #[arg(long, value_name = "BLOC")]
    pub only_bloc: Option<String>,
    /// The year (default: the scenario's, else the dataset's default year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Measure what is left beside this scenario's other shippers (its background flows, moved to the
    /// year) and under its disruptions, on its dataset; without it, the nameplate network.
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<String>,
}

fn capacity_query(
    dataset: &Dataset,
    scenario: Option<&corridor_model::Scenario>,
    args: &CapacityArgs,
    global: &GlobalArgs,
) -> Result<CapacityQuery> {
    let spec = analysis::CapacitySpec {
        commodity: analysis::find_commodity(dataset, &args.commodity)?,
        from: vec![args.from.clone()],
        to: vec![args.to.clone()],
        avoid: match &args.avoid {
            Some(text) => parse_countries(dataset, text, global)?,
            None => Vec::new(),
        },
        only_bloc: match &args.only_bloc {
            Some(b) => Some(analysis::find_bloc(dataset, b)?),
            None => None,
        },
        year: args.year,
    };
    Ok(analysis::capacity_query(dataset, scenario, &spec)?)
}

/// The dataset of a capacity question, and the scenario whose other shippers and disruptions it
/// subtracts (`--scenario`).
fn capacity_inputs(
    args: &CapacityArgs,
    global: &GlobalArgs,
) -> Result<(Dataset, Option<corridor_model::Scenario>)> {
    match &args.scenario {
        Some(spec) => {
            let loaded = load_scenario(spec, global)
                .with_context(|| format!("loading scenario `{spec}`"))?;
            warn(global, &loaded.warnings);
            Ok((loaded.dataset, Some(loaded.scenario)))
        }
        None => Ok((load_dataset(global)?, None)),
    }
}

pub fn capacity(args: &CapacityArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let (dataset, scenario) = capacity_inputs(args, global)?;
    let query = capacity_query(&dataset, scenario.as_ref(), args, global)?;
    let result = analysis::capacity(&dataset, &query, lp_solver(global)?.as_ref())?;
    let record = CapacityRecord::new(&dataset, &result);
    let tables = report::capacity_tables(&record);
    let extra: Vec<_> = scenario.iter().flat_map(|s| s.sources.clone()).collect();
    crate::printer::print_tables(
        global,
        Some(&dataset),
        &extra,
        &tables,
        || report::to_json(&record),
        Some(&|| Ok(crate::visual::capacity_geojson(&dataset, &result))),
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct RoutesArgs {
    #[command(flatten)]
    pub query: CapacityArgs,
    /// How many routes to list.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Rank by tariff sum (cost) or by transit time (days).
    #[arg(long, value_enum, default_value_t = RouteOrder::Cost)]
    pub by: RouteOrder,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RouteOrder {
    Cost,
    Days,
}

pub fn routes(args: &RoutesArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let (dataset, scenario) = capacity_inputs(&args.query, global)?;
    let q = capacity_query(&dataset, scenario.as_ref(), &args.query, global)?;
    let metric = match args.by {
        RouteOrder::Cost => analysis::RouteMetric::Cost,
        RouteOrder::Days => analysis::RouteMetric::Days,
    };
    let query = analysis::RouteQuery {
        commodity: q.commodity,
        origins: q.origins,
        markets: q.markets,
        year: q.year,
        territory: q.territory,
        k: args.k,
        metric,
    };
    let result: Vec<RankedRouteRecord> = analysis::k_routes(&dataset, &query)?
        .iter()
        .map(|r| RankedRouteRecord::new(&dataset, r))
        .collect();
    let table = report::routes_table(&result, &args.query.commodity);
    crate::printer::print_tables(
        global,
        Some(&dataset),
        &[],
        std::slice::from_ref(&table),
        || report::to_json(&result),
        None,
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct ConvertArgs {
    /// The quantity.
    #[arg(allow_negative_numbers = true)]
    pub quantity: f64,
    /// Its unit, e.g. Mt, bbl, Mt/y, b/d, bcm.
    pub unit: String,
    /// The unit to convert to.
    #[arg(long)]
    pub to: String,
    /// A grade id from the dataset, for tonnes ↔ barrels.
    #[arg(long)]
    pub grade: Option<String>,
}

#[derive(serde::Serialize)]
struct Conversion<'a> {
    value: f64,
    unit: String,
    from_value: f64,
    from_unit: String,
    grade: Option<&'a str>,
    bbl_per_t: Option<f64>,
}

pub fn convert(args: &ConvertArgs, global: &GlobalArgs) -> Result<ExitCode> {
    if !args.quantity.is_finite() {
        bail!("the quantity must be a finite number");
    }
    let from: Unit = args
        .unit
        .parse()
        .with_context(|| format!("reading the unit `{}`", args.unit))?;
    let to: Unit = args
        .to
        .parse()
        .with_context(|| format!("reading the unit `{}`", args.to))?;
    let bbl_per_t = match &args.grade {
        None => None,
        Some(g) => {
            let dataset = load_dataset(global)?;
            let id = dataset.grade_id(g).ok_or_else(|| {
                let known: Vec<&str> = dataset.grades.iter().map(|g| g.id.as_str()).collect();
                let hint = closest(g, known.iter().copied())
                    .map(|s| format!(" — did you mean `{s}`?"))
                    .unwrap_or_default();
                anyhow::anyhow!("unknown grade `{g}`{hint} (known: {})", known.join(", "))
            })?;
            Some(dataset.grade(id).bbl_per_t)
        }
    };
    let value = units::convert(args.quantity, from, to, bbl_per_t).map_err(|e| match e {
        corridor_model::units::UnitError::NeedsGrade { .. } => {
            anyhow::anyhow!("{e} — add --grade, e.g. --grade kazakh-export")
        }
        other => anyhow::anyhow!(other),
    })?;
    let shown = format_significant(value, 12);
    let text = match global.format {
        Format::Geojson => return Err(crate::visual::no_geojson("convert")),
        Format::Xlsx => return Err(crate::printer::no_workbook("convert")),
        Format::Table => format!("{shown}\n"),
        Format::Csv => format!("value,unit\n{shown},{to}\n"),
        Format::Json => report::to_json(&Conversion {
            value,
            unit: to.to_string(),
            from_value: args.quantity,
            from_unit: from.to_string(),
            grade: args.grade.as_deref(),
            bbl_per_t,
        }),
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// A dataset folder, a scenario .toml file, or an embedded name; default: the embedded dataset and
    /// all its scenarios.
    pub path: Option<String>,
}

pub fn validate(args: &ValidateArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let specs: Vec<String> = match &args.path {
        Some(p) => vec![p.clone()],
        None => std::iter::once(EMBEDDED_DATASET.to_string())
            .chain(
                corridor_io::EMBEDDED_SCENARIOS
                    .iter()
                    .map(|s| s.0.to_string()),
            )
            .collect(),
    };
    let mut all = Vec::new();
    for spec in &specs {
        // A scenario is checked against `--dataset` when one is given; a dataset is checked itself.
        let diags = match corridor_io::validate_on(spec, global.dataset.as_deref()) {
            Ok(d) => d,
            Err(LoadError::Invalid { diagnostics }) => diagnostics,
            Err(e) => return Err(anyhow::Error::new(e).context(format!("validating `{spec}`"))),
        };
        all.extend(diags);
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    let text = match global.format {
        Format::Table => {
            let shown = corridor_io::MAX_DIAGNOSTICS_SHOWN;
            let mut out: String = all.iter().take(shown).map(|d| format!("{d}\n")).collect();
            if all.len() > shown {
                out.push_str(&format!(
                    "… and {} more, not shown — fix the ones above first (`--format json` lists them all)\n",
                    all.len() - shown
                ));
            }
            out.push_str(&format!(
                "{}: {errors} error(s), {warnings} warning(s)\n",
                specs.join(", ")
            ));
            out
        }
        Format::Json => report::to_json(&all),
        Format::Geojson => return Err(crate::visual::no_geojson("validate")),
        Format::Xlsx => return Err(crate::printer::no_workbook("validate")),
        Format::Csv => {
            let mut t = report::Table::new(
                "diagnostics",
                &[
                    ("file", report::Align::Left),
                    ("line", report::Align::Right),
                    ("severity", report::Align::Left),
                    ("field", report::Align::Left),
                    ("message", report::Align::Left),
                    ("help", report::Align::Left),
                ],
            );
            for d in &all {
                t.push(report::row![
                    d.location.file.clone(),
                    d.location.line.to_string(),
                    format!("{:?}", d.severity).to_lowercase(),
                    d.field.clone(),
                    d.message.clone(),
                    d.help.clone(),
                ]);
            }
            t.to_csv()
        }
    };
    emit(global, &text)?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Countries the bypass avoids (the origins' own countries are never avoided).
    #[arg(long, value_name = "CC,..", default_value = "RU,CN")]
    pub avoid: String,
}

#[derive(serde::Serialize)]
struct RunReport {
    scenario: String,
    dataset: String,
    year: i32,
    allocation: AllocationRecord,
    bypass: Vec<BypassRecord>,
    resilience: crate::resilience::RunResilience,
    sources: Vec<corridor_model::Source>,
}

pub fn run(args: &RunArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let loaded = crate::context::load_scenario(&args.scenario, global)
        .with_context(|| format!("loading scenario `{}`", args.scenario))?;
    warn(global, &loaded.warnings);
    let (dataset, scenario) = (&loaded.dataset, &loaded.scenario);
    let solver = lp_solver(global)?;
    let solver = solver.as_ref();
    let allocation = analysis::allocate(dataset, scenario, solver)?;
    let avoid = parse_countries(dataset, &args.avoid, global)?;

    // The bypass question, per commodity (shared with the report and the web app).
    let typed_bypass = analysis::scenario_bypass(dataset, scenario, &avoid, true, solver)?;
    let sources_table = report::answer_sources_table(dataset, scenario, &allocation, &typed_bypass);
    let bypass: Vec<BypassRecord> = typed_bypass
        .iter()
        .map(|b| BypassRecord::new(dataset, b))
        .collect();
    let record = AllocationRecord::new(dataset, scenario, &allocation);

    let mut tables = report::allocation_tables(&record);
    tables.extend(crate::truth::truth_tables(dataset, scenario, &allocation));
    for b in &bypass {
        let mut capacity_tables = report::capacity_tables(&b.capacity);
        capacity_tables[0].title = format!("Bypass: {}", capacity_tables[0].title);
        if let Some(n) = &b.nameplate {
            capacity_tables[0].note(format!(
                "usable after other shippers' volumes (Azerbaijani crude in BTC, Russian crude in CPC and to China); on nameplate capacities the bypass is {:.3} {}, limited by {}",
                n.capacity,
                n.unit,
                n.bottleneck.join(", ")
            ));
        }
        tables.extend(capacity_tables);
        tables.push(report::dependence_table(&b.capacity, &b.dependence));
    }
    let (resilience_tables, resilience) =
        crate::resilience::run_section(dataset, scenario, &allocation, solver)?;
    tables.extend(resilience_tables);
    tables.push(sources_table.clone());

    let text = match global.format {
        Format::Table => {
            let calibration = match &scenario.calibration {
                Some(c) => format!(
                    "Calibrated to the observed {} flows (`{}`); `--uncalibrated` for least cost on tariffs alone.",
                    c.year, c.file
                ),
                None => "Uncalibrated: least cost on tariffs alone.".to_string(),
            };
            let header = format!(
                "corridor run — scenario `{}` on dataset `{}` ({}), year {}\n{}\n{}\n\n",
                scenario.name,
                dataset.meta.id,
                dataset.meta.name,
                scenario.year,
                calibration,
                wrap(scenario.description.trim(), 100)
            );
            header + &report::tables_to_text(&tables, color(global))
        }
        Format::Csv => report::tables_to_csv(&tables),
        Format::Xlsx => {
            crate::printer::write_xlsx(global, &tables[..tables.len() - 1], &sources_table)?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Geojson => return Err(crate::visual::no_geojson("run")),
        Format::Json => {
            let source_ids: BTreeSet<String> = sources_table
                .rows
                .iter()
                .map(|r| r[0].to_string())
                .collect();
            let sources = dataset
                .sources
                .iter()
                .filter(|s| source_ids.contains(&s.id))
                .cloned()
                .collect();
            report::to_json(&RunReport {
                scenario: scenario.name.clone(),
                dataset: dataset.meta.id.clone(),
                year: scenario.year,
                allocation: record,
                bypass,
                resilience,
                sources,
            })
        }
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// Breaks text into lines of at most `width` characters at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

#[derive(clap::Args, Debug)]
pub struct FlowArgs {
    /// A DIMACS file: `p min` (arcs `a SRC DST LOW CAP COST`) or `p max` (arcs `a SRC DST CAP`).
    pub file: std::path::PathBuf,
}

/// Solves a DIMACS file: `s <objective>` (or `s infeasible` / `s unbounded`) then `f SRC DST FLOW` per
/// arc in input order. Every outcome exits 0; a malformed file is a located error (exit 2).
pub fn flow(args: &FlowArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let text = corridor_io::read_input(&args.file)?;
    let problem = corridor_dimacs::parse(&text).map_err(|e| {
        let lines: Vec<String> = e
            .errors
            .iter()
            .take(corridor_dimacs::ParseError::SHOWN)
            .map(|d| {
                format!(
                    "{}:{}: {} — {}",
                    args.file.display(),
                    d.line,
                    d.message,
                    d.help
                )
            })
            .collect();
        anyhow::anyhow!(
            "{} problem(s) in the DIMACS file:\n{}",
            e.errors.len(),
            lines.join("\n")
        )
    })?;
    let result = corridor_dimacs::solve(&problem).context("solving")?;
    let text = match global.format {
        Format::Json => corridor_dimacs::render_json(&result),
        Format::Table | Format::Csv => corridor_dimacs::render_text(&result),
        Format::Geojson => return Err(crate::visual::no_geojson("flow")),
        Format::Xlsx => return Err(crate::printer::no_workbook("flow")),
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}
