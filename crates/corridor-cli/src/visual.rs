//! The visual commands — `report` (one self-contained HTML file with maps and charts), `serve` (the
//! local web app), `network` (the network as a table, JSON, CSV or GeoJSON) — and the GeoJSON output of
//! `allocate` and `capacity`.

use crate::context::{color, color_stderr, emit, paint, parse_countries, warn};
use crate::context::{Format, GlobalArgs};
use anyhow::{bail, Context, Result};
use corridor_analysis::{self as analysis, Allocation, CapacityResult, Reporter};
use corridor_io::{DEFAULT_SCENARIO, EMBEDDED_DATASET};
use corridor_model::{Dataset, Scenario};
use corridor_report::geojson::{to_geojson, LinkFilter};
use corridor_report::{self as report, flows::FlowView, html};
use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

/// The error for `--format geojson` on a command whose answer has no geometry.
pub fn no_geojson(command: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`corridor {command}` has no geometry to write as GeoJSON; --format geojson works with `network`, `allocate` and `capacity`"
    )
}

/// An allocation's flows on the links in service in its year, as GeoJSON.
pub fn allocation_geojson(
    dataset: &Dataset,
    scenario: &Scenario,
    allocation: &Allocation,
) -> String {
    let view = FlowView::from_allocation(dataset, scenario, allocation);
    to_geojson(dataset, Some(&view), LinkFilter::InService(allocation.year))
}

/// A capacity result's flows (its routes) and minimum cut on the links in service, as GeoJSON.
pub fn capacity_geojson(dataset: &Dataset, result: &CapacityResult) -> String {
    let view = FlowView::from_capacity(dataset, result);
    to_geojson(dataset, Some(&view), LinkFilter::InService(result.year))
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// An embedded scenario name (kazakh-crude-2024, middle-corridor-2024) or a scenario .toml file.
    #[arg(default_value = DEFAULT_SCENARIO)]
    pub scenario: String,
    /// Countries the bypass avoids (the origins' own countries are never avoided).
    #[arg(long, value_name = "CC,..", default_value = "RU,CN")]
    pub avoid: String,
    /// Leave out the contingency ranking and the risk histogram.
    #[arg(long)]
    pub no_resilience: bool,
    /// Monte Carlo samples for the risk histogram.
    #[arg(long, default_value_t = 2000)]
    pub samples: u64,
    /// Seed of the Monte Carlo sampling (the same seed gives the same report).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// A second scenario (name or file) to put beside this one: its flows on a map, the links whose flow
    /// changes most, and the comparison tables (as `corridor compare`).
    #[arg(long, value_name = "SCENARIO")]
    pub compare: Option<String>,
    /// The years of the pathway chart, as FIRST..LAST (`corridor pathway`'s years).
    #[arg(long, value_name = "FIRST..LAST", default_value = "2023..2030")]
    pub years: String,
    /// Leave out the pathway chart.
    #[arg(long)]
    pub no_pathway: bool,
    /// Also write the report as a PDF (A4) to this file, printed by a headless Chromium (installed
    /// separately: `apt-get install chromium`; nothing is downloaded).
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<std::path::PathBuf>,
}

pub fn report(args: &ReportArgs, global: &GlobalArgs) -> Result<ExitCode> {
    if global.format != Format::Table {
        bail!("`corridor report` writes HTML; leave out --format (use `allocate --format geojson` or `network --format geojson` for data)");
    }
    if global.out.is_none() && std::io::stdout().is_terminal() {
        bail!("the report is an HTML file: give --out report.html (or redirect standard output)");
    }
    let steps = crate::progress::Steps::new(global, args.no_progress);
    if args.pdf.is_some() {
        // Fail before the analysis when there is no browser to print with.
        crate::pdf::find_browser()?;
    }
    steps.step("loading");
    let loaded = crate::context::load_scenario(&args.scenario, global)
        .with_context(|| format!("loading scenario `{}`", args.scenario))?;
    warn(global, &loaded.warnings);
    let (dataset, scenario) = (&loaded.dataset, &loaded.scenario);
    let solver = crate::context::lp_solver(global)?;
    let solver = solver.as_ref();
    steps.step("allocating");
    let allocation = analysis::allocate(dataset, scenario, solver)?;
    let avoid = parse_countries(dataset, &args.avoid, global)?;
    steps.step("measuring the bypass");
    let bypass = analysis::scenario_bypass(dataset, scenario, &avoid, true, solver)?;

    let mut resilience = Vec::new();
    if !args.no_pathway {
        let (first_year, last_year) = crate::resilience::parse_years(&args.years)?;
        steps.step(&format!("following the pathway {first_year}–{last_year}"));
        let config = analysis::PathwayConfig {
            first_year,
            last_year,
            avoid: avoid.clone(),
        };
        let progress: Box<dyn Reporter> = crate::progress::reporter(global, args.no_progress);
        match steps.suspend(|| analysis::pathway(dataset, scenario, solver, &config, &*progress)) {
            Ok(p) => resilience.extend(html::pathway_sections(dataset, &p)),
            Err(e) => eprintln!("warning: the pathway chart is left out: {e}"),
        }
    }
    if !args.no_resilience {
        let progress: Box<dyn Reporter> = crate::progress::reporter(global, args.no_progress);
        steps.step("ranking contingencies");
        let config = analysis::ContingencyConfig::default();
        match steps
            .suspend(|| analysis::contingency(dataset, scenario, solver, &config, &*progress))
        {
            Ok(c) => resilience.push(html::contingency_section(
                &report::records::ContingencyResultRecord::new(dataset, scenario, &c),
                12,
            )),
            Err(e) => eprintln!("warning: the contingency ranking is left out: {e}"),
        }
        if args.samples > 0 {
            steps.step(&format!("sampling {} outage years", args.samples));
            let config = analysis::RiskConfig {
                samples: args.samples,
                seed: args.seed,
                ..analysis::RiskConfig::default()
            };
            let sampled = steps
                .suspend(|| {
                    analysis::risk_shard(dataset, scenario, solver, &config, 0, 1, &*progress)
                })
                .and_then(|shard| analysis::risk_merge(vec![shard.clone()]).map(|r| (shard, r)));
            match sampled {
                Ok((shard, result)) => resilience.extend(html::risk_sections(
                    &shard,
                    &report::records::RiskRecord::new(&result),
                )),
                Err(e) => eprintln!("warning: the risk histogram is left out: {e}"),
            }
        }
    }
    if let Some(spec) = &args.compare {
        steps.step(&format!("comparing with {spec}"));
        let other = crate::context::load_scenario(spec, global)
            .with_context(|| format!("loading scenario `{spec}`"))?;
        warn(global, &other.warnings);
        if analysis::comparison_dataset(dataset, &other.dataset).is_none() {
            bail!(
                "`{}` and `{spec}` run on different datasets: compare scenarios of one dataset",
                args.scenario
            );
        }
        let allocation_b = analysis::allocate(&other.dataset, &other.scenario, solver)?;
        let comparison = analysis::compare_allocations(
            (scenario, &allocation),
            (&other.scenario, &allocation_b),
            1e-6,
        );
        let bypass = analysis::compare_bypass(
            (dataset, scenario),
            (&other.dataset, &other.scenario),
            &avoid,
            solver,
        )?;
        let display = analysis::comparison_dataset(dataset, &other.dataset).unwrap_or(dataset);
        resilience.insert(
            0,
            html::comparison_section(
                display,
                (scenario, &other.scenario),
                &allocation_b,
                &comparison,
                &bypass,
            ),
        );
    }
    steps.step("drawing");
    let input = html::ReportInput {
        dataset,
        scenario,
        allocation: &allocation,
        bypass: &bypass,
        bypass_avoid: avoid.iter().map(|c| c.to_string()).collect(),
        resilience,
        generator: format!("corridor {}", env!("CARGO_PKG_VERSION")),
    };
    let page = html::report_html(&input);
    steps.done();
    // With only --pdf, the HTML is not also poured onto the terminal.
    if args.pdf.is_none() || global.out.is_some() {
        emit(global, &page)?;
    }
    if let (Some(path), false) = (&global.out, global.quiet) {
        eprintln!(
            "{} {} ({} kB): open it in a browser; it needs no network",
            paint(color_stderr(global), "1;32", "wrote"),
            path.display(),
            page.len() / 1024
        );
    }
    if let Some(pdf) = &args.pdf {
        let bytes = crate::pdf::print_pdf(&page, pdf)?;
        if !global.quiet {
            eprintln!(
                "{} {} ({} kB, A4)",
                paint(color_stderr(global), "1;32", "wrote"),
                pdf.display(),
                bytes / 1024
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on. The default keeps the app on this machine.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
}

pub fn serve(args: &ServeArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let spec = global.dataset.as_deref();
    let state = corridor_server::AppState::load(spec)
        .with_context(|| format!("loading dataset `{}`", spec.unwrap_or(EMBEDDED_DATASET)))?
        .allow_host(args.bind.to_string())
        .with_solver(crate::context::lp_solver(global)?);
    warn(global, state.warnings());
    // Draw the first map now, so the first page load does not wait for the basemap.
    if let Some(first) = state.scenarios().first() {
        let _ = state.map_svg(&first.name);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async {
        let address = SocketAddr::new(args.bind, args.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let local = listener.local_addr().context("reading the bound address")?;
        if !args.bind.is_loopback() && !global.quiet {
            eprintln!(
                "{} listening on {} makes the app reachable from other machines",
                paint(color_stderr(global), "1;33", "warning:"),
                args.bind
            );
        }
        let url = format!("http://{local}/");
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "corridor serve: {} — dataset `{}`, {} scenario(s); Ctrl-C stops",
            paint(color(global), "1;36", &url),
            state.dataset().meta.id,
            state.scenarios().len()
        );
        let _ = out.flush();
        let config = corridor_server::ServeConfig::default();
        corridor_server::serve(listener, state, config, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct NetworkArgs {
    /// Only links in service in this year (default: the dataset's default year).
    #[arg(long)]
    pub year: Option<i32>,
    /// Every link, whatever its status and years.
    #[arg(long, conflicts_with = "year")]
    pub all: bool,
}

/// `corridor network`: the links of the dataset (in service in a year, or all).
pub fn network(args: &NetworkArgs, global: &GlobalArgs) -> Result<ExitCode> {
    let spec = global.dataset.as_deref().unwrap_or(EMBEDDED_DATASET);
    let (dataset, warnings) =
        corridor_io::load_dataset(spec).with_context(|| format!("loading dataset `{spec}`"))?;
    warn(global, &warnings);
    let year = args.year.unwrap_or(dataset.meta.default_year);
    let filter = if args.all {
        LinkFilter::All
    } else {
        LinkFilter::InService(year)
    };
    let keep = |l: &corridor_model::Link| args.all || l.in_service(year);
    let mut table = report::Table::new(
        if args.all {
            format!("Network {} — every link", dataset.meta.id)
        } else {
            format!("Network {} — links in service in {year}", dataset.meta.id)
        },
        &[
            ("link", report::Align::Left),
            ("mode", report::Align::Left),
            ("from → to", report::Align::Left),
            ("capacity", report::Align::Right),
            ("unit", report::Align::Left),
            ("status", report::Align::Left),
            ("countries", report::Align::Left),
            ("course", report::Align::Left),
        ],
    );
    for l in dataset.link_ids() {
        let link = dataset.link(l);
        if !keep(link) {
            continue;
        }
        table.push(report::row![
            link.id.clone(),
            link.mode.to_string(),
            format!(
                "{} → {}",
                dataset.node(link.from).id,
                dataset.node(link.to).id
            ),
            report::Cell::figure(
                link.capacity,
                corridor_report::svg::label_number(link.capacity)
            ),
            link.capacity_unit.to_string(),
            link.status.to_string(),
            dataset
                .link_countries(l)
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("→"),
            match dataset.link_course(l) {
                Ok(Some(_)) => format!("GEM {}", link.gem_projects.join("+")),
                _ => dataset.link_path(l).map_or("straight".to_string(), |p| {
                    format!("{} waypoints ({})", p.waypoints.len(), p.confidence)
                }),
            },
        ]);
    }
    let text = match global.format {
        Format::Table => table.to_text(color(global)),
        Format::Csv => report::sheets::typed(&table).to_csv(),
        Format::Xlsx => {
            crate::printer::print_tables(
                global,
                Some(&dataset),
                &[],
                std::slice::from_ref(&table),
                String::new,
                None,
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => report::to_json(&dataset),
        Format::Geojson => to_geojson(&dataset, None, filter),
    };
    emit(global, &text)?;
    Ok(ExitCode::SUCCESS)
}
