//! `bench`: generates a tier's instances, runs every solver on them and writes the summary.
//! `bench/run.sh` calls it after installing the peers; see `bench/README.md`.
//!
//! Exit codes: 0 when every solver that ran agreed on every objective and none crashed
//! (slow solvers and time-outs never fail a run); 1 when objectives disagree or a solver
//! crashed; 2 when the set-up is wrong (bad manifest, instance hash mismatch, missing binary).

// A benchmark binary: printing results and progress is its job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args as ClapArgs, Parser, Subcommand};
use corridor_bench::gen::GenContext;
use corridor_bench::manifest::{GeneratorSpec, Manifest};
use corridor_bench::report::{self, ReportInput};
use corridor_bench::runner::{self, N1Branch, N1Record, Paths, RunsCsv};

#[derive(Debug, Parser)]
#[command(about = "corridor's side-by-side solver benchmark")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Generate the tier's instances and check their hashes.
    Gen(Common),
    /// Generate, run every solver, write runs.csv and summary.md.
    Run(Common),
    /// Rewrite summary.md from an existing runs.csv.
    Report(Common),
}

#[derive(Debug, ClapArgs)]
struct Common {
    /// The manifest.
    #[arg(long, default_value = "bench/instances.toml")]
    manifest: PathBuf,
    /// `smoke` or `full` (any tier the manifest defines).
    #[arg(long, default_value = "smoke")]
    tier: String,
    /// Output folder.
    #[arg(long, default_value = "bench/out")]
    out: PathBuf,
    /// Folder of MATPOWER `case_*.m` files; power-grid instances are skipped without it.
    #[arg(long)]
    matpower_dir: Option<PathBuf>,
    /// Record the hashes of instances that have none in the manifest.
    #[arg(long)]
    record: bool,
    /// Python interpreter with ortools, networkx and highspy.
    #[arg(long, default_value = "bench/out/venv/bin/python")]
    python: PathBuf,
    /// Folder of the Python drivers.
    #[arg(long, default_value = "bench/drivers")]
    drivers: PathBuf,
    /// Folder of our release binaries.
    #[arg(long, default_value = "target/release")]
    release_bin: PathBuf,
    /// Date for the summary heading (default: now, UTC).
    #[arg(long)]
    date: Option<String>,
    /// Override the tier's number of rounds.
    #[arg(long)]
    rounds: Option<usize>,
    /// Only the instances of these families (as in the manifest, e.g. `ALLOC-LP`; repeat or
    /// separate with commas; case-insensitive). The N-1 sweep runs only if its instance is kept.
    #[arg(long, value_delimiter = ',')]
    family: Vec<String>,
}

impl Common {
    /// The manifest, keeping only the selected families' instances.
    fn manifest(&self) -> anyhow::Result<Manifest> {
        let mut m = Manifest::load(&self.manifest)?;
        if !self.family.is_empty() {
            let keep = |f: &str| self.family.iter().any(|x| x.eq_ignore_ascii_case(f));
            let known: Vec<String> = m.instances.iter().map(|s| s.family.clone()).collect();
            for f in &self.family {
                anyhow::ensure!(
                    known.iter().any(|k| k.eq_ignore_ascii_case(f)),
                    "no instance of family `{f}` in {}",
                    self.manifest.display()
                );
            }
            m.instances.retain(|s| keep(&s.family));
            let names: Vec<String> = m.instances.iter().map(|s| s.name.clone()).collect();
            m.n1.retain(|_, c| names.contains(&c.instance));
        }
        Ok(m)
    }

    fn paths(&self) -> Paths {
        Paths {
            out: self.out.clone(),
            release_bin: self.release_bin.clone(),
            drivers: self.drivers.clone(),
            python: self.python.clone(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("bench: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Returns whether the run is clean (no mismatch, no crash).
fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.cmd {
        Cmd::Gen(c) => {
            let manifest = c.manifest()?;
            manifest.tier(&c.tier)?;
            let ctx = GenContext {
                matpower_dir: c.matpower_dir.clone(),
            };
            let g =
                runner::generate_tier(&manifest, &c.manifest, &c.tier, &c.paths(), &ctx, c.record)?;
            for f in &g.files {
                println!(
                    "{}\t{}\t{}\t{}",
                    f.spec.name,
                    f.n_nodes,
                    f.n_arcs,
                    f.path.display()
                );
            }
            for (name, why) in &g.skipped {
                eprintln!("skipped {name}: {why}");
            }
            Ok(true)
        }
        Cmd::Run(c) => {
            let manifest = c.manifest()?;
            let mut tier = manifest.tier(&c.tier)?.clone();
            if let Some(r) = c.rounds {
                tier.rounds = r.max(1);
            }
            let paths = c.paths();
            let load_before = loadavg();
            std::fs::create_dir_all(&paths.out)?;
            let ctx = GenContext {
                matpower_dir: c.matpower_dir.clone(),
            };
            let g = runner::generate_tier(&manifest, &c.manifest, &c.tier, &paths, &ctx, c.record)?;
            let (solvers, missing) = runner::solvers(&paths, &tier);
            for bin in [
                "corridor-mcf",
                "corridor-maxflow",
                "corridor-n1",
                "corridor-alloc-lp",
            ] {
                let p = paths.release_bin.join(bin);
                anyhow::ensure!(
                    p.exists(),
                    "{} not found: build with `cargo build --release -p corridor-bench`",
                    p.display()
                );
            }
            let mut notes: Vec<String> = g
                .skipped
                .iter()
                .map(|(n, why)| format!("skipped instance {n}: {why}"))
                .collect();
            notes.extend(
                missing
                    .iter()
                    .map(|(n, why)| format!("skipped solver {n}: {why}")),
            );
            for n in &notes {
                eprintln!("{n}");
            }
            // Clear results of an earlier run so the summary never mixes runs.
            for f in ["n1.json", "n1_branches.csv"] {
                let _ = std::fs::remove_file(paths.out.join(f));
            }
            let mut csv = RunsCsv::create(&paths.out.join("runs.csv"))?;
            runner::run_rounds(&c.tier, &tier, &g.files, &solvers, &paths, &mut csv)?;
            if let Some(cfg) = manifest.n1.get(&c.tier) {
                match g.files.iter().find(|f| f.spec.name == cfg.instance) {
                    Some(inst) => {
                        runner::run_n1(
                            &c.tier,
                            cfg,
                            inst,
                            &solvers,
                            &paths,
                            Duration::from_secs_f64(tier.timeout_seconds),
                            &mut csv,
                        )?;
                    }
                    None => notes.push(format!(
                        "skipped N-1 sweep: instance {} was not generated",
                        cfg.instance
                    )),
                }
            }
            if tier.slow_solver_rounds < tier.rounds {
                notes.push(format!(
                    "the slow peers (highs-lp, networkx-ns, petgraph-dinics) ran in the first {} of {} \
                     rounds only",
                    tier.slow_solver_rounds, tier.rounds
                ));
            }
            notes.push(format!(
                "machine load average (1, 5, 15 min) before the run: {load_before}; after: {}",
                loadavg()
            ));
            std::fs::write(paths.out.join("notes.txt"), notes.join("\n"))?;
            std::fs::write(paths.out.join("rounds.txt"), tier.rounds.to_string())?;
            write_report(&c, &manifest, tier.rounds, notes)
        }
        Cmd::Report(c) => {
            let manifest = c.manifest()?;
            let rounds = std::fs::read_to_string(c.out.join("rounds.txt"))
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(manifest.tier(&c.tier)?.rounds);
            let notes = std::fs::read_to_string(c.out.join("notes.txt"))
                .map(|s| s.lines().map(str::to_owned).collect())
                .unwrap_or_default();
            write_report(&c, &manifest, rounds, notes)
        }
    }
}

fn write_report(
    c: &Common,
    manifest: &Manifest,
    rounds: usize,
    notes: Vec<String>,
) -> anyhow::Result<bool> {
    let rows = runner::read_runs(&c.out.join("runs.csv"))?;
    let n1: Option<N1Record> = std::fs::read_to_string(c.out.join("n1.json"))
        .ok()
        .map(|s| serde_json::from_str(s.trim()))
        .transpose()
        .context("parsing n1.json")?;
    let n1_branches = read_branches(&c.out.join("n1_branches.csv"))?;
    let input = ReportInput {
        tier: c.tier.clone(),
        date: c.date.clone().unwrap_or_else(now_utc),
        machine: machine(),
        versions: std::fs::read_to_string(c.out.join("versions.txt")).unwrap_or_default(),
        rounds,
        rows: &rows,
        n1: n1.as_ref(),
        n1_branches: &n1_branches,
        notes,
        lp_sizes: manifest
            .instances
            .iter()
            .filter_map(|s| match &s.generator {
                GeneratorSpec::AllocLp(p) => Some((s.name.clone(), (p.links, p.commodities))),
                _ => None,
            })
            .collect(),
    };
    let rep = report::build(&input);
    let path = c.out.join("summary.md");
    std::fs::write(&path, &rep.markdown).with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "wrote {} and {}",
        path.display(),
        c.out.join("runs.csv").display()
    );
    for b in &rep.bugs {
        eprintln!("BUG: {b}");
    }
    for cr in &rep.crashes {
        eprintln!("CRASH: {cr}");
    }
    Ok(rep.bugs.is_empty() && rep.crashes.is_empty())
}

fn read_branches(path: &Path) -> anyhow::Result<Vec<N1Branch>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut r = csv::Reader::from_path(path)?;
    r.deserialize()
        .collect::<Result<Vec<N1Branch>, _>>()
        .with_context(|| format!("parsing {}", path.display()))
}

/// The first three fields of /proc/loadavg: other work on the machine disturbs timings.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Processor model and logical core count.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown processor".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} logical cores")
}

/// The current time as `YYYY-MM-DD HH:MM UTC`, without a date crate.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}
