//! `corridor`: which routes carry a region's exports, through which countries, at what cost, and how much
//! is left when a route or a country is cut off.
//!
//! Exit codes: 0 success; 1 problems found (`validate`) or no answer exists (an infeasible scenario);
//! 2 the command line or the input could not be used (unknown ids, unreadable or malformed files).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;
mod context;
mod import;
mod pdf;
mod printer;
mod progress;
mod resilience;
mod truth;
mod visual;

use clap::{Parser, Subcommand};
use context::GlobalArgs;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "corridor",
    version,
    about = "Analyse energy and freight transit corridors from a sourced network model."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The main job: allocation, bypass capacity avoiding Russia and China, and the countries it depends on.
    Run(commands::RunArgs),
    /// Least-cost allocation of every supply to the markets (routes, link use, transit, shadow prices).
    Allocate(commands::ScenarioArgs),
    /// Maximum volume per year from origins to markets, its minimum cut and its routes.
    Capacity(commands::CapacityArgs),
    /// The k cheapest (or fastest) loopless routes from origins to markets, with their bottlenecks.
    Routes(commands::RoutesArgs),
    /// Convert a quantity between units, e.g. `convert 2.2 Mt --grade kazakh-export --to Mbbl`.
    Convert(commands::ConvertArgs),
    /// Solve a DIMACS min-cost flow (`p min`) or max-flow (`p max`) file with the native solvers.
    Flow(commands::FlowArgs),
    /// Fit a scenario to a year's observed flows: implied premiums per link (inverse optimisation).
    Calibrate(truth::CalibrateArgs),
    /// Model against observed flows year by year, in sample and out of sample (calibrated on the year before).
    Backtest(truth::BacktestArgs),
    /// Two scenarios side by side: what changes in cost, link flows, transit by country, bypass and binding constraints.
    Compare(truth::CompareArgs),
    /// Check a dataset folder or scenario file and list every problem (`file:line: field: …`).
    Validate(commands::ValidateArgs),
    /// Take each link, node or country out (or every pair, --k 2) and rank what is lost.
    Contingency(resilience::ContingencyArgs),
    /// Monte Carlo over outages: expected and P50–P99 unmet volume and cost; `risk merge` joins shards.
    Risk(resilience::RiskArgs),
    /// Dependence indices: transit shares, route HHI, bypass ratios and each transit country's leverage.
    Indices(resilience::IndicesArgs),
    /// The scenario year by year (--years 2023..2030): allocation, bypass and when each bottleneck binds.
    Pathway(resilience::PathwayArgs),
    /// Write one self-contained HTML report (maps, Sankey, charts, sources): `report --out report.html`.
    Report(visual::ReportArgs),
    /// Serve the live map on 127.0.0.1: toggle links, nodes or countries and watch the flows re-solve.
    Serve(visual::ServeArgs),
    /// The network's links (in service in a year, or all); `--format geojson` for QGIS.
    Network(visual::NetworkArgs),
    /// Turn GeoJSON lines naming links (property `link`) into the courses of `--dataset DIR`'s paths.csv.
    ImportRoutes(import::ImportRoutesArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The solver choice holds for every command: a build without HiGHS refuses `--solver highs` up front.
    if let Err(error) = context::lp_solver(&cli.global) {
        eprintln!("error: {error:#}");
        return ExitCode::from(2);
    }
    let result = match &cli.command {
        Command::Run(args) => commands::run(args, &cli.global),
        Command::Allocate(args) => commands::allocate(args, &cli.global),
        Command::Capacity(args) => commands::capacity(args, &cli.global),
        Command::Routes(args) => commands::routes(args, &cli.global),
        Command::Convert(args) => commands::convert(args, &cli.global),
        Command::Validate(args) => commands::validate(args, &cli.global),
        Command::Calibrate(args) => truth::calibrate(args, &cli.global),
        Command::Backtest(args) => truth::backtest(args, &cli.global),
        Command::Compare(args) => truth::compare(args, &cli.global),
        Command::Flow(args) => commands::flow(args, &cli.global),
        Command::Contingency(args) => resilience::contingency(args, &cli.global),
        Command::Risk(args) => resilience::risk(args, &cli.global),
        Command::Indices(args) => resilience::indices(args, &cli.global),
        Command::Pathway(args) => resilience::pathway(args, &cli.global),
        Command::Report(args) => visual::report(args, &cli.global),
        Command::Serve(args) => visual::serve(args, &cli.global),
        Command::Network(args) => visual::network(args, &cli.global),
        Command::ImportRoutes(args) => import::import_routes(args, &cli.global),
    };
    match result {
        Ok(code) => code,
        // Like any filter whose reader left: quiet, with the status of a process ended by SIGPIPE.
        Err(error) if error.downcast_ref::<context::ClosedPipe>().is_some() => ExitCode::from(141),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(context::exit_code(&error))
        }
    }
}
