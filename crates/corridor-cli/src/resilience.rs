//! The resilience commands — `contingency`, `risk` (and `risk merge`), `indices`, `pathway` — and the
//! resilience section of `corridor run`.

use crate::context::GlobalArgs;
use crate::context::{emit, lp_solver, parse_countries, warn};
use anyhow::{bail, Context, Result};
use corridor_analysis as analysis;
use corridor_io::DEFAULT_SCENARIO;
use corridor_model::{Dataset, Scenario};
use corridor_report as report;
use corridor_report::records::{
    ContingencyRecord, ContingencyResultRecord, CountryLeverageRecord, IndicesRecord,
    PathwayRecord, RiskRecord,
};
use std::path::PathBuf;
use std::process::ExitCode;

fn load(spec: &str, global: &GlobalArgs) -> Result<corridor_io::Loaded> {
    let loaded = crate::context::load_scenario(spec, global)
        .with_context(|| format!("loading scenario `{spec}`"))?;
    warn(global, &loaded.warnings);
    Ok(loaded)
}

fn render(
    global: &GlobalArgs,
    loaded: Option<&corridor_io::Loaded>,
    tables: &[report::Table],
    json: impl FnOnce() -> String,
) -> Result<ExitCode> {
    crate::printer::print_tables(
        global,
        loaded.map(|l| &l.dataset),
        loaded.map_or(&[][..], |l| &l.scenario.sources),
        tables,
        json,
        None,
    )?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ElementKind {
    Links,
    Nodes,
    Countries,
    Chokepoints,
}

#[derive(clap::Args, Debug)]
pub struct ContingencyArgs {
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Which elements to take out, comma-separated (a country takes every link touching its territory; a
    /// chokepoint every sea leg through the strait or canal).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "links,nodes,countries,chokepoints"
    )]
    pub elements: Vec<ElementKind>,
    /// 1: each element alone; 2: also every pair (pruned: only pairs that need their own solve are solved).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub k: u8,
    /// How many rows each table shows (JSON has them all).
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

pub fn contingency(args: &ContingencyArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let loaded = load(&args.scenario, global)?;
    let config = analysis::ContingencyConfig {
        kinds: analysis::ElementKinds {
            links: args.elements.contains(&ElementKind::Links),
            nodes: args.elements.contains(&ElementKind::Nodes),
            countries: args.elements.contains(&ElementKind::Countries),
            chokepoints: args.elements.contains(&ElementKind::Chokepoints),
        },
        k: usize::from(args.k),
        threads: threads(args.threads)?,
        only: Vec::new(),
    };
    let reporter = crate::progress::reporter(global, args.no_progress);
    let result = analysis::contingency(
        &loaded.dataset,
        &loaded.scenario,
        lp_solver(global)?.as_ref(),
        &config,
        reporter.as_ref(),
    )?;
    let record = ContingencyResultRecord::new(&loaded.dataset, &loaded.scenario, &result);
    render(
        global,
        Some(&loaded),
        &report::contingency_tables(&record, args.top),
        || report::to_json(&record),
    )
}

fn threads(t: Option<usize>) -> Result<Option<usize>> {
    match t {
        Some(0) => bail!("--threads must be at least 1 (leave it out to use one per core)"),
        other => Ok(other),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Durations {
    /// Exponentially distributed around each source's mean (capped at a year).
    Exponential,
    /// Always each source's mean.
    Fixed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TimingArg {
    Periods,
    Annual,
}

/// The most samples one `risk` run takes: about a day of solving on one core; more belongs in shards.
const MAX_SAMPLES: u64 = 100_000_000;

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RiskArgs {
    #[command(subcommand)]
    pub command: Option<RiskCommand>,
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// How many years to sample (1 to 100,000,000; split larger runs into shards).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=MAX_SAMPLES))]
    pub samples: u64,
    /// The seed: the same seed gives the same results for any --threads and any --shard split.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run only shard I of N (0-based, e.g. 3/8) and write its samples as a shard file (JSON) for
    /// `corridor risk merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// How outage durations are drawn.
    #[arg(long, value_enum, default_value_t = Durations::Exponential)]
    pub durations: Durations,
    /// periods: outages are placed in the year and what cannot move meanwhile is lost; annual: one
    /// solve with capacities reduced by the outage days (lost volume may catch up later: optimistic).
    #[arg(long, value_enum, default_value_t = TimingArg::Periods)]
    pub timing: TimingArg,
    /// The share of worst years examined for the outages they have in common.
    #[arg(long, default_value_t = 0.05)]
    pub tail: f64,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(clap::Subcommand, Debug)]
pub enum RiskCommand {
    /// Combine the shard files of one run (`--shard I/N` outputs, in any order) into its statistics.
    Merge(MergeArgs),
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shard files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// `I/N` with `0 <= I < N`.
fn parse_shard(text: &str) -> Result<(u64, u64)> {
    let help = "write --shard I/N with 0 <= I < N, e.g. --shard 0/4 … --shard 3/4";
    let Some((i, n)) = text.split_once('/') else {
        bail!("cannot read the shard `{text}`: {help}");
    };
    let (Ok(i), Ok(n)) = (i.trim().parse::<u64>(), n.trim().parse::<u64>()) else {
        bail!("cannot read the shard `{text}`: {help}");
    };
    if n == 0 || i >= n {
        bail!("there is no shard {i} of {n}: {help}");
    }
    Ok((i, n))
}

pub fn risk(args: &RiskArgs, global: &GlobalArgs) -> Result<ExitCode> {
    if let Some(RiskCommand::Merge(m)) = &args.command {
        return merge(m, global);
    }
    let loaded = load(&args.scenario, global)?;
    let config = analysis::RiskConfig {
        samples: args.samples,
        seed: args.seed,
        threads: threads(args.threads)?,
        durations: match args.durations {
            Durations::Exponential => analysis::DurationModel::Exponential,
            Durations::Fixed => analysis::DurationModel::Fixed,
        },
        timing: match args.timing {
            TimingArg::Periods => analysis::Timing::Periods,
            TimingArg::Annual => analysis::Timing::Annual,
        },
        tail_share: args.tail,
    };
    if loaded.dataset.outages.is_empty() && !global.quiet {
        eprintln!(
            "warning: dataset `{}` gives no outage rates ([[outage_defaults]], [[outage_events]] or the outage columns of links.csv): nothing can fail",
            loaded.dataset.meta.id
        );
    }
    let reporter = crate::progress::reporter(global, args.no_progress);
    let solver = lp_solver(global)?;
    let solver = solver.as_ref();
    if let Some(text) = &args.shard {
        let (i, n) = parse_shard(text)?;
        let shard = analysis::risk_shard(
            &loaded.dataset,
            &loaded.scenario,
            solver,
            &config,
            i,
            n,
            reporter.as_ref(),
        )?;
        let json = serde_json::to_string(&shard).context("writing the shard")?;
        emit(global, &json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let result = analysis::risk(
        &loaded.dataset,
        &loaded.scenario,
        solver,
        &config,
        reporter.as_ref(),
    )?;
    let record = RiskRecord::new(&result);
    render(global, Some(&loaded), &report::risk_tables(&record), || {
        report::to_json(&record)
    })
}

fn merge(args: &MergeArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let mut shards = Vec::new();
    for path in &args.files {
        let text = corridor_io::read_input(path)?;
        let shard: analysis::RiskShard = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}: not a risk shard file ({e}) — write shards with `corridor risk … --shard I/N --out FILE`",
                path.display(),
                e.line()
            )
        })?;
        shards.push(shard);
    }
    let record = RiskRecord::new(&analysis::risk_merge(shards)?);
    render(global, None, &report::risk_tables(&record), || {
        report::to_json(&record)
    })
}

#[derive(clap::Args, Debug)]
pub struct IndicesArgs {
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Measure under a policy that avoids these countries (the origins' own never are), e.g. RU,CN to
    /// see who holds the bypass.
    #[arg(long, value_name = "CC,..")]
    pub avoid: Option<String>,
}

pub fn indices(args: &IndicesArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let loaded = load(&args.scenario, global)?;
    let mut scenario = loaded.scenario.clone();
    let mut avoided = Vec::new();
    if let Some(text) = &args.avoid {
        let avoid = parse_countries(&loaded.dataset, text, global)?;
        avoided = analysis::avoid_in_scenario(&loaded.dataset, &mut scenario, &avoid)
            .iter()
            .map(ToString::to_string)
            .collect();
    }
    let result = analysis::indices(
        &loaded.dataset,
        &scenario,
        lp_solver(global)?.as_ref(),
        threads(args.threads)?,
        &analysis::Silent,
    )?;
    let record = IndicesRecord::new(&loaded.dataset, &scenario, &result);
    let mut tables = report::indices_tables(&record);
    if !avoided.is_empty() {
        if let Some(t) = tables.first_mut() {
            t.title = format!("{}, avoiding {}", t.title, avoided.join(", "));
        }
    }
    render(global, Some(&loaded), &tables, || report::to_json(&record))
}

#[derive(clap::Args, Debug)]
pub struct PathwayArgs {
    /// An embedded scenario name or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// The years, as FIRST..LAST (both included), e.g. 2023..2030.
    #[arg(long, default_value = "2023..2030")]
    pub years: String,
    /// Countries the bypass avoids (the origins' own countries never are).
    #[arg(long, value_name = "CC,..", default_value = "RU,CN")]
    pub avoid: String,
}

/// `A..B`, `A..=B` or a single year.
pub(crate) fn parse_years(text: &str) -> Result<(i32, i32)> {
    let help = "write the years as FIRST..LAST, e.g. --years 2023..2030";
    let (a, b) = match text.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim().trim_start_matches('=')),
        None => (text.trim(), text.trim()),
    };
    let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) else {
        bail!("cannot read the years `{text}`: {help}");
    };
    if !(1800..=2200).contains(&a) || !(1800..=2200).contains(&b) {
        bail!("the years `{text}` are outside 1800–2200: {help}");
    }
    if b < a {
        bail!("the years `{text}` run backwards: {help}");
    }
    Ok((a, b))
}

pub fn pathway(args: &PathwayArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let (first_year, last_year) = parse_years(&args.years)?;
    let loaded = load(&args.scenario, global)?;
    let avoid = parse_countries(&loaded.dataset, &args.avoid, global)?;
    let result = analysis::pathway(
        &loaded.dataset,
        &loaded.scenario,
        lp_solver(global)?.as_ref(),
        &analysis::PathwayConfig {
            first_year,
            last_year,
            avoid,
        },
        &analysis::Silent,
    )?;
    let record = PathwayRecord::new(&loaded.dataset, &loaded.scenario, &result);
    render(
        global,
        Some(&loaded),
        &report::pathway_tables(&record),
        || report::to_json(&record),
    )
}

/// The resilience part of `corridor run`'s JSON.
#[derive(Debug, serde::Serialize)]
pub struct RunResilience {
    /// The elements whose loss costs most, worst first.
    pub critical: Vec<ContingencyRecord>,
    pub leverage: Vec<CountryLeverageRecord>,
}

/// The short resilience section of `corridor run`: the five most critical elements and the
/// transit-country leverage table.
pub fn run_section(
    dataset: &Dataset,
    scenario: &Scenario,
    allocation: &analysis::Allocation,
    solver: &(dyn corridor_lp::LpSolver + Sync),
) -> Result<(Vec<report::Table>, RunResilience)> {
    let contingency = analysis::contingency(
        dataset,
        scenario,
        solver,
        &analysis::ContingencyConfig::default(),
        &analysis::Silent,
    )?;
    let indices = analysis::indices_from(
        dataset,
        scenario,
        solver,
        allocation,
        None,
        &analysis::Silent,
    )?;
    let contingency = ContingencyResultRecord::new(dataset, scenario, &contingency);
    let indices = IndicesRecord::new(dataset, scenario, &indices);
    let commodities: Vec<String> = scenario
        .commodities()
        .iter()
        .map(|&c| dataset.commodity(c).id.clone())
        .collect();
    let mut tables = Vec::new();
    let mut critical = report::contingency_tables(&contingency, 5);
    if let Some(mut t) = critical.drain(..).next() {
        t.title = format!(
            "Resilience: the elements the {} flows can least afford to lose",
            commodities.join(" and ")
        );
        t.notes.retain(|n| !n.starts_with('…'));
        t.note("full ranking: corridor contingency; pairs: --k 2");
        tables.push(t);
    }
    if let Some(t) = report::indices_tables(&indices).pop() {
        tables.push(t);
    }
    Ok((
        tables,
        RunResilience {
            critical: contingency.singles.into_iter().take(5).collect(),
            leverage: indices.leverage,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_and_years_parse() {
        assert_eq!(parse_shard("3/8").ok(), Some((3, 8)));
        assert!(parse_shard("8/8").is_err());
        assert!(parse_shard("x").is_err());
        assert_eq!(parse_years("2023..2030").ok(), Some((2023, 2030)));
        assert_eq!(parse_years("2023..=2025").ok(), Some((2023, 2025)));
        assert_eq!(parse_years("2024").ok(), Some((2024, 2024)));
        assert!(parse_years("2030..2023").is_err());
    }
}
