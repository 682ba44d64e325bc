//! `summary.md`: medians, ratios, geometric means, the objective check, the targets and the
//! N-1 table, from the rows of `runs.csv`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::runner::{N1Branch, N1Record, Row};
use crate::stats::{geomean, median};

/// Our solver for each kind of problem, the numerator of every ratio.
pub const OURS_MIN: &str = "corridor-ns";
/// Our max-flow solver.
pub const OURS_MAX: &str = "corridor-pr";
/// Our LP solver (the allocation-LP family).
pub const OURS_LP: &str = "corridor-simplex";
/// The LP peer.
pub const PEER_LP: &str = "highs";
/// Two LP objectives agree when they differ by at most this much relative to
/// `max(1, |objective|)`: both solvers stop at feasibility tolerances of about 1e-7 to 1e-9.
pub const LP_OBJECTIVE_RTOL: f64 = 1e-6;
/// Where ours is slower than this many times HiGHS, the summary (and the README) advise
/// `--solver highs`.
pub const LP_ADVICE_RATIO: f64 = 1.5;

/// Everything the summary is made from.
#[derive(Debug, Default)]
pub struct ReportInput<'a> {
    /// `smoke` or `full`.
    pub tier: String,
    /// When the run started, for the heading.
    pub date: String,
    /// Processor and core count.
    pub machine: String,
    /// Versions of the peers and the toolchain.
    pub versions: String,
    /// Rounds per instance.
    pub rounds: usize,
    /// Every row of `runs.csv`.
    pub rows: &'a [Row],
    /// The N-1 sweep, if one ran.
    pub n1: Option<&'a N1Record>,
    /// Per-branch results of the sweep.
    pub n1_branches: &'a [N1Branch],
    /// Skipped instances and solvers, with reasons.
    pub notes: Vec<String>,
    /// Links and commodities of each allocation-LP instance, by name (from the manifest).
    pub lp_sizes: BTreeMap<String, (usize, usize)>,
}

/// The summary and what must fail the run.
#[derive(Debug, Default)]
pub struct Report {
    /// `summary.md`.
    pub markdown: String,
    /// Objective mismatches: each one is a bug in a solver or a driver.
    pub bugs: Vec<String>,
    /// Solver processes that crashed.
    pub crashes: Vec<String>,
}

/// Median solve seconds and agreed objective of one (instance, solver).
#[derive(Clone, Debug, Default)]
struct Cell {
    median_s: Option<f64>,
    statuses: BTreeSet<String>,
}

fn fmt_s(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else if x >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.5}")
    }
}

fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{r:.2}"))
}

/// Why the finished answers on one instance disagree, or `None` when they agree: flow
/// objectives must be equal, LP objectives within [`LP_OBJECTIVE_RTOL`], statuses equal.
fn disagreement(rows: &[&Row]) -> Option<String> {
    let finished: Vec<&&Row> = rows
        .iter()
        .filter(|r| matches!(r.status.as_str(), "optimal" | "infeasible" | "unbounded"))
        .collect();
    let describe = || {
        let detail: BTreeSet<String> = finished
            .iter()
            .map(|r| {
                let value = match (r.objective, r.lp_objective) {
                    (Some(o), _) => o.to_string(),
                    (None, Some(o)) => format!("{o}"),
                    (None, None) => r.status.clone(),
                };
                format!("{}={value}", r.solver)
            })
            .collect();
        detail.into_iter().collect::<Vec<_>>().join(", ")
    };
    let statuses: BTreeSet<&str> = finished.iter().map(|r| r.status.as_str()).collect();
    if statuses.len() > 1 {
        return Some(describe());
    }
    if finished.iter().any(|r| r.kind == "lp") {
        let objs: Vec<Option<f64>> = finished
            .iter()
            .filter(|r| r.status == "optimal")
            .map(|r| r.lp_objective)
            .collect();
        if objs.iter().any(Option::is_none) {
            return Some(describe());
        }
        let objs: Vec<f64> = objs.into_iter().flatten().collect();
        let lo = objs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = objs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let scale = 1f64.max(lo.abs()).max(hi.abs());
        // NaN-safe: a spread that is not known to be within the tolerance is a disagreement.
        let within = matches!(
            (hi - lo).partial_cmp(&(LP_OBJECTIVE_RTOL * scale)),
            Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
        );
        if !objs.is_empty() && !within {
            return Some(describe());
        }
        return None;
    }
    let answers: BTreeSet<(&str, Option<i64>)> = finished
        .iter()
        .map(|r| (r.status.as_str(), r.objective))
        .collect();
    (answers.len() > 1).then(describe)
}

/// The allocation-LP table: medians of ours and HiGHS, the ratio, and the size above which
/// HiGHS is the better choice.
fn lp_section(
    w: &mut String,
    input: &ReportInput<'_>,
    rows: &[&Row],
    void: &BTreeMap<String, String>,
) {
    let lp: Vec<&&Row> = rows.iter().filter(|r| r.kind == "lp").collect();
    if lp.is_empty() {
        return;
    }
    let mut instances: Vec<(&str, &str, usize, usize)> = Vec::new();
    for r in &lp {
        if !instances.iter().any(|i| i.1 == r.instance) {
            instances.push((&r.family, &r.instance, r.n_nodes, r.n_arcs));
        }
    }
    instances.sort_by_key(|i| (i.0, i.3));
    let cell = |inst: &str, solver: &str| -> (Option<f64>, BTreeSet<String>) {
        let mine: Vec<&&&Row> = lp
            .iter()
            .filter(|r| r.instance == inst && r.solver == solver)
            .collect();
        let times: Vec<f64> = mine
            .iter()
            .filter(|r| r.status == "optimal")
            .filter_map(|r| r.solve_seconds)
            .collect();
        (
            median(&times),
            mine.iter().map(|r| r.status.clone()).collect(),
        )
    };
    let txt = |c: &(Option<f64>, BTreeSet<String>)| match c.0 {
        Some(t) => fmt_s(t),
        None if c.1.is_empty() => "—".into(),
        None if c.1.contains("crash") => "CRASH".into(),
        None if c.1.contains("timeout") => "timeout".into(),
        None => c.1.iter().cloned().collect::<Vec<_>>().join("/"),
    };
    let _ = writeln!(w, "## Linear programs\n");
    let _ = writeln!(
        w,
        "Our `corridor_lp::Simplex` (default options, `{OURS_LP}`) against HiGHS (highspy, \
         default options, `{PEER_LP}`) on the same MPS file; objectives agree within {LP_OBJECTIVE_RTOL:e} \
         relative. Rows and columns are the LP's.\n"
    );
    let mut advice: Option<String> = None;
    let mut last_family = "";
    for (fam, inst, n_rows, n_cols) in &instances {
        if *fam != last_family {
            let _ = writeln!(
                w,
                "### {fam}\n\n| instance | links | commodities | rows | columns | {OURS_LP} s | \
                 {PEER_LP} s | ours/{PEER_LP} | check |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
            );
            last_family = fam;
        }
        let (links, commodities) = input
            .lp_sizes
            .get(*inst)
            .map_or(("—".to_string(), "—".to_string()), |(l, k)| {
                (l.to_string(), k.to_string())
            });
        let ours = cell(inst, OURS_LP);
        let peer = cell(inst, PEER_LP);
        let is_void = void.contains_key(*inst);
        let ratio = match (ours.0, peer.0) {
            (Some(a), Some(b)) if b > 0.0 && !is_void => Some(a / b),
            _ => None,
        };
        let slow = ratio.is_some_and(|r| r > LP_ADVICE_RATIO)
            || (ours.0.is_none() && ours.1.contains("timeout") && peer.0.is_some());
        if slow && advice.is_none() {
            advice = Some(format!(
                "{inst} ({links} links, {commodities} commodities, {n_rows} rows × {n_cols} columns)"
            ));
        }
        let _ = writeln!(
            w,
            "| {inst} | {links} | {commodities} | {n_rows} | {n_cols} | {} | {} | {} | {} |",
            txt(&ours),
            txt(&peer),
            fmt_ratio(ratio),
            if is_void { "**VOID**" } else { "ok" }
        );
    }
    let _ = writeln!(w);
    match advice {
        Some(a) => {
            let _ = writeln!(
                w,
                "Ours is more than {LP_ADVICE_RATIO}× slower than HiGHS from {a} on: at that size \
                 and above, `--solver highs` is the better choice.\n"
            );
        }
        None => {
            let _ = writeln!(
                w,
                "Ours is within {LP_ADVICE_RATIO}× of HiGHS on every instance measured.\n"
            );
        }
    }
}

/// Builds the summary.
pub fn build(input: &ReportInput<'_>) -> Report {
    let mut rep = Report::default();
    let mut md = String::new();
    let w = &mut md;
    let _ = writeln!(w, "# corridor-bench summary — tier `{}`\n", input.tier);
    let _ = writeln!(
        w,
        "Run {} on {}; {} round(s), each solve a fresh process; times are the median solve \
         seconds (file parsing excluded). Ratios are ours / peer: **below 1 means ours is \
         faster**.\n",
        input.date, input.machine, input.rounds
    );

    let main_rows: Vec<&Row> = input.rows.iter().filter(|r| r.family != "N-1").collect();
    for r in &main_rows {
        if r.status == "crash" {
            rep.crashes.push(format!(
                "{} crashed on {} (round {})",
                r.solver, r.instance, r.round
            ));
        }
    }

    // Objective check per instance: every optimal answer must agree, and no solver may call
    // a problem infeasible or unbounded that another solved.
    let mut void: BTreeMap<String, String> = BTreeMap::new();
    let mut by_inst: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in &main_rows {
        by_inst.entry(&r.instance).or_default().push(r);
    }
    for (inst, rows) in &by_inst {
        if let Some(msg) = disagreement(rows) {
            rep.bugs
                .push(format!("OBJECTIVE MISMATCH on {inst}: {msg}"));
            void.insert(inst.to_string(), msg);
        }
    }

    let mut ratios_min: Vec<(String, String, f64)> = Vec::new(); // (family, peer, ratio)
    let mut ratios_max: Vec<(String, String, String, f64)> = Vec::new(); // + instance
    for (kind, ours, title) in [
        ("min", OURS_MIN, "Minimum-cost flow"),
        ("max", OURS_MAX, "Maximum flow"),
    ] {
        let rows: Vec<&&Row> = main_rows.iter().filter(|r| r.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        let mut solvers: Vec<String> = Vec::new();
        let mut families: Vec<String> = Vec::new();
        let mut instances: Vec<(String, String, usize, usize)> = Vec::new();
        for r in &rows {
            if !solvers.contains(&r.solver) {
                solvers.push(r.solver.clone());
            }
            if !families.contains(&r.family) {
                families.push(r.family.clone());
            }
            if !instances.iter().any(|i| i.1 == r.instance) {
                instances.push((r.family.clone(), r.instance.clone(), r.n_nodes, r.n_arcs));
            }
        }
        // Ours first, then peers in the order they ran.
        solvers.sort_by_key(|s| s != ours);
        let peers: Vec<&String> = solvers.iter().filter(|s| *s != ours).collect();

        let mut cells: BTreeMap<(String, String), Cell> = BTreeMap::new();
        for r in &rows {
            let c = cells
                .entry((r.instance.clone(), r.solver.clone()))
                .or_default();
            c.statuses.insert(r.status.clone());
        }
        for ((inst, solver), c) in cells.iter_mut() {
            let times: Vec<f64> = rows
                .iter()
                .filter(|r| &r.instance == inst && &r.solver == solver)
                .filter(|r| matches!(r.status.as_str(), "optimal" | "infeasible" | "unbounded"))
                .filter_map(|r| r.solve_seconds)
                .collect();
            c.median_s = median(&times);
        }
        let time = |inst: &str, solver: &str| {
            cells
                .get(&(inst.to_string(), solver.to_string()))
                .and_then(|c| c.median_s)
        };

        let _ = writeln!(w, "## {title}\n");
        for fam in &families {
            let _ = writeln!(w, "### {fam}\n");
            let mut head = "| instance | nodes | arcs |".to_string();
            let mut sep = "|---|---:|---:|".to_string();
            for s in &solvers {
                let _ = write!(head, " {s} s |");
                sep.push_str("---:|");
            }
            for p in &peers {
                let _ = write!(head, " ours/{p} |");
                sep.push_str("---:|");
            }
            head.push_str(" check |");
            sep.push_str("---|");
            let _ = writeln!(w, "{head}\n{sep}");
            let mut fam_ratios: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
            for (f, inst, n, m) in &instances {
                if f != fam {
                    continue;
                }
                let is_void = void.contains_key(inst);
                let mut line = format!("| {inst} | {n} | {m} |");
                for s in &solvers {
                    let cell = cells.get(&(inst.clone(), s.clone()));
                    let txt = match cell {
                        None => "—".to_string(),
                        Some(c) => match c.median_s {
                            Some(t) => fmt_s(t),
                            None if c.statuses.contains("crash") => "CRASH".into(),
                            None if c.statuses.contains("timeout") => "timeout".into(),
                            None => c.statuses.iter().cloned().collect::<Vec<_>>().join("/"),
                        },
                    };
                    let _ = write!(line, " {txt} |");
                }
                for p in &peers {
                    let r = match (time(inst, ours), time(inst, p)) {
                        (Some(a), Some(b)) if b > 0.0 && !is_void => Some(a / b),
                        _ => None,
                    };
                    if let Some(r) = r {
                        fam_ratios.entry(p.as_str()).or_default().push(r);
                        if kind == "min" {
                            ratios_min.push((fam.clone(), p.to_string(), r));
                        } else {
                            ratios_max.push((fam.clone(), inst.clone(), p.to_string(), r));
                        }
                    }
                    let _ = write!(line, " {} |", fmt_ratio(r));
                }
                let _ = writeln!(line, " {} |", if is_void { "**VOID**" } else { "ok" });
                w.push_str(&line);
            }
            let mut gm = format!("| **geomean** | | |{}", " |".repeat(solvers.len()));
            for p in &peers {
                let g = fam_ratios.get(p.as_str()).and_then(|v| geomean(v));
                let _ = write!(gm, " **{}** |", fmt_ratio(g));
            }
            let _ = writeln!(w, "{gm} |\n");
        }
    }

    lp_section(w, input, &main_rows, &void);

    // Targets.
    let _ = writeln!(w, "## Targets\n");
    if input.tier != "full" {
        let _ = writeln!(
            w,
            "_Tier `{}` uses small instances: the verdicts below describe them, not the target \
             sizes._\n",
            input.tier
        );
    }
    let _ = writeln!(w, "| target | measured | verdict |\n|---|---:|---|");
    let verdict = |v: Option<f64>, ok: &dyn Fn(f64) -> bool| match v {
        None => ("not measured".to_string(), "not measured".to_string()),
        Some(x) => (
            format!("{x:.2}"),
            if ok(x) { "met" } else { "**NOT met**" }.to_string(),
        ),
    };
    let gm_min = |fams: &dyn Fn(&str) -> bool, peer: &str| {
        let v: Vec<f64> = ratios_min
            .iter()
            .filter(|(f, p, _)| fams(f) && p == peer)
            .map(|x| x.2)
            .collect();
        geomean(&v)
    };
    let netgen = |f: &str| f.starts_with("NETGEN");
    let grid = |f: &str| f.starts_with("GRID");
    let power = |f: &str| f.starts_with("POWER");
    let all_min = |f: &str| netgen(f) || grid(f) || power(f);
    type Target = (String, Option<f64>, Box<dyn Fn(f64) -> bool>);
    let targets: Vec<Target> = vec![
        (
            "min-cost geomean ours/lemon-ns over NETGEN, GRID, power grid ≤ 1.0".into(),
            gm_min(&all_min, "lemon-ns"),
            Box::new(|x| x <= 1.0),
        ),
        (
            "NETGEN: ours/ortools ≤ 0.667 (≥ 1.5× faster)".into(),
            gm_min(&netgen, "ortools"),
            Box::new(|x| x <= 1.0 / 1.5),
        ),
        (
            "GRID: ours/ortools ≤ 0.1 (≥ 10× faster)".into(),
            gm_min(&grid, "ortools"),
            Box::new(|x| x <= 0.1),
        ),
        (
            "power grid: ours/ortools ≤ 0.1 (≥ 10× faster)".into(),
            gm_min(&power, "ortools"),
            Box::new(|x| x <= 0.1),
        ),
    ];
    for (name, v, ok) in &targets {
        let (m, verdict) = verdict(*v, ok.as_ref());
        let _ = writeln!(w, "| {name} | {m} | {verdict} |");
    }
    // Max-flow: the largest instance of each max-flow family against OR-Tools.
    let mut largest: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for r in main_rows.iter().filter(|r| r.kind == "max") {
        let e = largest.entry(&r.family).or_insert((0, &r.instance));
        if r.n_nodes > e.0 {
            *e = (r.n_nodes, &r.instance);
        }
    }
    let mut largest_insts: BTreeSet<&str> = BTreeSet::new();
    for (fam, (n, _)) in &largest {
        for r in main_rows
            .iter()
            .filter(|r| r.family == *fam && r.n_nodes == *n && r.kind == "max")
        {
            largest_insts.insert(&r.instance);
        }
    }
    for inst in largest_insts {
        let v = ratios_max
            .iter()
            .find(|(_, i, p, _)| i == inst && p == "ortools")
            .map(|x| x.3);
        let (m, verdict) = verdict(v, &|x| x <= 1.0);
        let _ = writeln!(
            w,
            "| max-flow on {inst}: ours/ortools ≤ 1.0 | {m} | {verdict} |"
        );
    }
    let pg: Vec<f64> = ratios_max
        .iter()
        .filter(|x| x.2 == "petgraph-dinics")
        .map(|x| x.3)
        .collect();
    let (m, v) = verdict(geomean(&pg), &|x| x <= 0.1);
    let _ = writeln!(
        w,
        "| max-flow geomean ours/petgraph-dinics ≤ 0.1 (≥ 10× faster) | {m} | {v} |"
    );
    if let Some(n1) = input.n1 {
        let (m, v) = verdict(n1.warm_median_ms, &|x| x <= 1.0);
        let _ = writeln!(
            w,
            "| N-1 on {}: median warm re-solve ≤ 1 ms | {m}{} | {v} |",
            n1.instance,
            if n1.warm_median_ms.is_some() {
                " ms"
            } else {
                ""
            }
        );
        let (m, v) = verdict(n1.warm_median_ms.map(|_| n1.sweep_seconds), &|x| x <= 60.0);
        let _ = writeln!(
            w,
            "| N-1 on {}: whole warm sweep ≤ 60 s | {m}{} | {v} |",
            n1.instance,
            if n1.warm_median_ms.is_some() {
                " s"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(w);

    // N-1.
    if let Some(n1) = input.n1 {
        let _ = writeln!(w, "## N-1 sweep\n");
        let lemon: Vec<&Row> = input
            .rows
            .iter()
            .filter(|r| r.family == "N-1" && r.solver == "lemon-ns")
            .collect();
        let lemon_ms: Vec<f64> = lemon
            .iter()
            .filter(|r| r.status == "optimal")
            .filter_map(|r| r.solve_seconds.map(|s| s * 1e3))
            .collect();
        for r in &lemon {
            if r.status == "crash" {
                rep.crashes
                    .push(format!("lemon-ns crashed on {}", r.instance));
            }
            let Some(k) = r
                .instance
                .rsplit_once("#b")
                .and_then(|(_, k)| k.parse::<usize>().ok())
            else {
                continue;
            };
            if let Some(b) = input.n1_branches.iter().find(|b| b.branch == k) {
                let ours = b.warm_objective.or(b.cold_objective);
                let ours_status = b.warm_status.clone().or(b.cold_status.clone());
                let same = ours == r.objective && ours_status.as_deref() == Some(&r.status);
                if !same && r.status != "timeout" && r.status != "crash" {
                    rep.bugs.push(format!(
                        "N-1 OBJECTIVE MISMATCH on {}: corridor={:?} ({:?}), lemon-ns={:?} ({})",
                        r.instance, ours, ours_status, r.objective, r.status
                    ));
                }
            }
        }
        for &k in &n1.mismatches {
            rep.bugs.push(format!(
                "N-1 WARM/COLD MISMATCH on {} branch {k}: see n1_branches.csv",
                n1.instance
            ));
        }
        let opt = |v: Option<f64>| v.map_or("—".into(), |x| format!("{x:.3}"));
        let _ = writeln!(
            w,
            "| instance | branches | swept | warm median ms | warm p95 ms | warm max ms | \
             cold median ms (ours, n={}) | LEMON NS cold median ms (n={}) | base solve ms | \
             total sweep s | warm/cold mismatches |",
            n1.cold_count,
            lemon_ms.len()
        );
        let _ = writeln!(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {} |\n",
            n1.instance,
            n1.n_branches,
            n1.n_swept,
            opt(n1.warm_median_ms),
            opt(n1.warm_p95_ms),
            opt(n1.warm_max_ms),
            opt(n1.cold_median_ms),
            opt(median(&lemon_ms)),
            n1.base_ms,
            n1.sweep_seconds,
            n1.mismatches.len()
        );
        let st: Vec<String> = n1
            .statuses
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = writeln!(
            w,
            "Warm mode: {}. Contingency outcomes: {}. LEMON times exclude parsing, one process \
             per contingency.\n",
            n1.warm_mode,
            st.join(", ")
        );
    }

    // Problems, loudly.
    let _ = writeln!(w, "## Objective check\n");
    if rep.bugs.is_empty() {
        let _ = writeln!(
            w,
            "All solvers that finished agree on every objective and status.\n"
        );
    } else {
        let _ = writeln!(
            w,
            "**{} BUG(S): solvers disagree. Rows marked VOID are excluded from every ratio.**\n",
            rep.bugs.len()
        );
        for b in &rep.bugs {
            let _ = writeln!(w, "- **{b}**");
        }
        let _ = writeln!(w);
    }
    let timeouts: BTreeSet<String> = main_rows
        .iter()
        .filter(|r| r.status == "timeout")
        .map(|r| format!("{} on {}", r.solver, r.instance))
        .collect();
    if !rep.crashes.is_empty() || !timeouts.is_empty() || !input.notes.is_empty() {
        let _ = writeln!(w, "## Crashes, time-outs, skips and notes\n");
        for c in &rep.crashes {
            let _ = writeln!(w, "- **CRASH**: {c} (log in bench/out/logs/)");
        }
        for t in &timeouts {
            let _ = writeln!(w, "- time-out: {t}");
        }
        for n in &input.notes {
            let _ = writeln!(w, "- {n}");
        }
        let _ = writeln!(w);
    }
    if !input.versions.trim().is_empty() {
        let _ = writeln!(w, "## Versions\n\n```\n{}\n```", input.versions.trim());
    }
    rep.markdown = md;
    rep
}
