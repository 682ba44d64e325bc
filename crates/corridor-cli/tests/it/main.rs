//! End-to-end tests: the built `corridor` binary on the embedded dataset and on files with planted
//! mistakes, checking what a user sees (stdout, stderr, exit code).

mod architecture;
mod bad_inputs;
mod resilience;
mod routes;
mod schema_fields;
mod schemas;
mod visual;

use std::path::Path;
use std::process::{Command, Output};

fn corridor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the corridor binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = corridor(args);
    assert!(o.status.success(), "{args:?} failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn convert_prints_the_kmg_socar_volume_in_barrels() {
    let o = corridor(&[
        "convert",
        "2.2",
        "Mt",
        "--grade",
        "kazakh-export",
        "--to",
        "Mbbl",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "16.5\n");
    let o = corridor(&[
        "convert",
        "1.2",
        "mb/d",
        "--grade",
        "azeri-light",
        "--to",
        "Mt/y",
    ]);
    assert_eq!(stdout(&o), "58.7919463087\n");
    let o = corridor(&["convert", "2.2", "Mt", "--to", "Mbbl"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: converting Mt to Mbbl needs a grade (barrels per tonne) — add --grade, e.g. --grade kazakh-export\n");
    let o = corridor(&["convert", "2.2", "Mt", "--to", "TEU"]);
    assert_eq!(
        stderr(&o),
        "error: cannot convert Mt (mass) to TEU (containers): different dimensions\n"
    );
}

#[test]
fn the_bypass_avoiding_russia_and_china_runs_through_azerbaijan_and_is_smaller() {
    let bypass = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--to",
        "any",
        "--avoid",
        "RU,CN",
        "--format",
        "json",
    ]);
    let all = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--to",
        "any",
        "--format",
        "json",
    ]);
    let capacity = bypass["capacity"].as_f64().unwrap();
    assert!(capacity > 0.0, "{bypass}");
    assert_eq!(bypass["unit"], "Mt/y");
    assert!(!bypass["bottleneck"].as_array().unwrap().is_empty());
    let routes = bypass["routes"].as_array().unwrap();
    assert!(!routes.is_empty());
    let mut routed = 0.0;
    for route in routes {
        let countries: Vec<&str> = route["countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(countries[0], "KZ", "origin included first: {countries:?}");
        assert!(
            countries.contains(&"AZ"),
            "route {route} must cross Azerbaijan"
        );
        assert!(!countries.contains(&"RU") && !countries.contains(&"CN"));
        routed += route["volume"].as_f64().unwrap();
    }
    assert!((routed - capacity).abs() < 1e-6);
    assert!(
        all["capacity"].as_f64().unwrap() > capacity,
        "without --avoid the capacity is larger"
    );
}

#[test]
fn run_prints_the_main_job_with_units_and_sources() {
    let o = corridor(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for section in [
        "Allocation — kazakh-crude-2024 (2024)",
        "Routes used, by origin",
        "Binding constraints and shadow prices",
        "Bypass: Capacity of crude in 2024, avoiding CN, RU",
        "Minimum cut (the bottleneck)",
        "Countries the crude capacity depends on",
        "Sources",
    ] {
        assert!(out.contains(section), "missing section {section:?}");
    }
    assert!(out.contains("capacity (Mt/y)"));
    let run = json(&["run", "--format", "json"]);
    let dependence = run["bypass"][0]["dependence"].as_array().unwrap();
    let az = dependence
        .iter()
        .find(|d| d["country"] == "AZ")
        .expect("Azerbaijan is on the bypass");
    assert_eq!(
        az["share_lost"].as_f64().unwrap(),
        1.0,
        "no bypass without Azerbaijan"
    );
    assert!(run["sources"].as_array().unwrap().iter().all(|s| {
        let url = s["url"].as_str().unwrap();
        url.starts_with("http") || url.starts_with("SOURCES.md#")
    }));
}

#[test]
fn every_command_speaks_csv_and_json() {
    for args in [
        vec!["allocate", "middle-corridor-2024"],
        vec![
            "capacity",
            "--commodity",
            "containers",
            "--from",
            "CN",
            "--avoid",
            "RU",
        ],
    ] {
        let mut csv_args = args.clone();
        csv_args.extend(["--format", "csv"]);
        let o = corridor(&csv_args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert!(
            stdout(&o).starts_with("# "),
            "CSV blocks start with a title line"
        );
        let mut json_args = args.clone();
        json_args.extend(["--format", "json"]);
        json(&json_args);
    }
}

#[test]
fn the_embedded_data_validates_clean() {
    let o = corridor(&["validate"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 error(s)"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the folder") {
        let entry = entry.expect("a folder entry");
        if entry.file_type().expect("its type").is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn validate_lists_every_planted_mistake_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("caspian");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../corridor-io/data/caspian"),
        &ds,
    );
    replace_in(&ds.join("links.csv"), "btc,", "cpc-tengiz,");
    replace_in(&ds.join("links.csv"), ",sangachal,", ",sangachal-x,");
    replace_in(&ds.join("nodes.csv"), ",KZ,", ",KX,");
    replace_in(
        &ds.join("dataset.toml"),
        "bbl_per_t = 7.5\n",
        "bbl_per_t = -7.5\n",
    );
    let o = corridor(&["validate", ds.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let has = |needle: &str| {
        lines
            .iter()
            .any(|l| l.contains(needle) && l.contains(&*dir.path().to_string_lossy()))
    };
    assert!(
        has("links.csv:") && has("duplicate link id `cpc-tengiz`"),
        "{out}"
    );
    assert!(
        has("unknown node `sangachal-x` — did you mean `sangachal`?"),
        "{out}"
    );
    assert!(has("nodes.csv:") && has("unknown country `KX`"), "{out}");
    assert!(
        has("dataset.toml:") && has("barrels per tonne is negative (-7.5)"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("error(s), 0 warning(s)") || out.contains("warning(s)"));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_code_2_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[scenario\nname = ").unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["capacity", "--commodity", "crud", "--from", "KZ"],
            "unknown commodity `crud` — did you mean `crude`?",
        ),
        (
            vec!["capacity", "--commodity", "crude", "--from", "tengis"],
            "unknown node or country `tengis` — did you mean `tengiz`?",
        ),
        (
            vec![
                "capacity",
                "--commodity",
                "crude",
                "--from",
                "KZ",
                "--avoid",
                "Russia",
            ],
            "unknown country `Russia`",
        ),
        (
            vec!["allocate", "kazakh-crude-2042"],
            "did you mean `kazakh-crude-2024`?",
        ),
        (
            vec!["allocate", bad.to_str().unwrap()],
            "bad.toml:1: toml: syntax error",
        ),
        (
            vec!["allocate", "--dataset", "/nonexistent", "kazakh-crude-2024"],
            "cannot read /nonexistent/dataset.toml",
        ),
        (
            vec!["convert", "1", "Mtt", "--to", "t"],
            "unknown unit `Mtt` — did you mean `Mt`?",
        ),
    ];
    for (args, message) in cases {
        let o = corridor(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn an_infeasible_scenario_exits_1_and_names_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("too-much.toml");
    let text = corridor_io_scenario("kazakh-crude-2024")
        .replace("max_volume = 1.5", "min_volume = 50")
        .replace("calibration = \"kazakh-crude-2024.calibration.toml\"\n", "");
    std::fs::write(&path, text).unwrap();
    let o = corridor(&["allocate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is infeasible: these contract minimums cannot be met"),
        "{}",
        stderr(&o)
    );
}

fn corridor_io_scenario(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../corridor-io/data/caspian/scenarios/{name}.toml")),
    )
    .expect("the embedded scenario file")
}

#[test]
fn out_writes_the_file_atomically_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("allocation.json");
    let o = corridor(&[
        "allocate",
        "--format",
        "json",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(value["totals"][0]["delivered"].as_f64().unwrap() > 0.0);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn routes_by_days_are_sorted_by_days() {
    let routes = json(&[
        "routes",
        "--commodity",
        "containers",
        "--from",
        "xian",
        "--to",
        "duisburg",
        "--by",
        "days",
        "--k",
        "4",
        "--format",
        "json",
    ]);
    let days: Vec<f64> = routes
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["transit_days"].as_f64().unwrap())
        .collect();
    assert_eq!(days.len(), 4);
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert_eq!(routes[0]["rank"], 1);
}

#[test]
fn only_bloc_limits_transit_to_members() {
    // Georgia is not in the OTS, so no OTS-only route reaches the Mediterranean through Ceyhan.
    let med = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--to",
        "med-market",
        "--only-bloc",
        "OTS",
        "--format",
        "json",
    ]);
    assert_eq!(med["capacity"].as_f64().unwrap(), 0.0);
    let free = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--to",
        "med-market",
        "--format",
        "json",
    ]);
    assert!(free["capacity"].as_f64().unwrap() > 0.0);
    // With every market allowed as a destination, transit (the countries between origin and the last
    // country of a route) stays inside the bloc.
    let ots = ["AZ", "KZ", "KG", "TR", "UZ"];
    let any = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--only-bloc",
        "OTS",
        "--format",
        "json",
    ]);
    for route in any["routes"].as_array().unwrap() {
        let countries: Vec<&str> = route["countries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for transit in &countries[1..countries.len().saturating_sub(1)] {
            assert!(
                ots.contains(transit),
                "{transit} is not an OTS member: {countries:?}"
            );
        }
    }
    let o = corridor(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--only-bloc",
        "OTT",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown bloc `OTT` — did you mean `OTS`?"),
        "{}",
        stderr(&o)
    );
}

fn case(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corridor-dimacs/tests/cases")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn flow_solves_dimacs_files_and_reports_every_outcome_with_exit_0() {
    let o = corridor(&["flow", &case("clrs.max")]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert_eq!(out.lines().next(), Some("s 23"));
    assert_eq!(
        out.lines().filter(|l| l.starts_with("f ")).count(),
        9,
        "one line per arc: {out}"
    );
    let o = corridor(&["flow", &case("textbook.min")]);
    assert_eq!(stdout(&o).lines().next(), Some("s 14"));
    for (name, status) in [
        ("infeasible.min", "s infeasible"),
        ("unbounded.min", "s unbounded"),
    ] {
        let o = corridor(&["flow", &case(name)]);
        assert!(o.status.success(), "{name}");
        assert_eq!(stdout(&o).trim(), status);
    }
    let j = json(&["flow", &case("textbook.min"), "--format", "json"]);
    assert_eq!(
        (j["status"].as_str(), j["objective"].as_i64()),
        (Some("optimal"), Some(14))
    );
}

#[test]
fn a_malformed_dimacs_file_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.min");
    std::fs::write(&path, "p min 2 1\na 1 3 0 4 1\n").unwrap();
    let o = corridor(&["flow", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.min:2: arc head 3 is out of range"),
        "{}",
        stderr(&o)
    );
}

#[cfg(feature = "highs")]
#[test]
fn highs_and_the_built_in_simplex_agree_on_the_caspian_allocations() {
    for scenario in ["kazakh-crude-2024", "middle-corridor-2024"] {
        let ours = json(&["allocate", scenario, "--format", "json"]);
        let highs = json(&[
            "allocate", scenario, "--solver", "highs", "--format", "json",
        ]);
        let (a, b) = (
            ours["objective_usd"].as_f64().unwrap(),
            highs["objective_usd"].as_f64().unwrap(),
        );
        assert!(
            (a - b).abs() <= 1e-6 * a.abs().max(1.0),
            "{scenario}: simplex {a} vs HiGHS {b}"
        );
    }
}

#[cfg(not(feature = "highs"))]
#[test]
fn asking_for_highs_without_the_feature_says_how_to_get_it() {
    let o = corridor(&["allocate", "--solver", "highs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("rebuild with `cargo build --release --features highs`"),
        "{}",
        stderr(&o)
    );
}

/// A build without HiGHS refuses `--solver highs` for every command, naming the feature.
#[cfg(not(feature = "highs"))]
#[test]
fn every_command_refuses_highs_when_it_is_not_compiled_in() {
    let commands: [&[&str]; 12] = [
        &["run"],
        &["allocate"],
        &[
            "capacity",
            "--commodity",
            "crude",
            "--from",
            "KZ",
            "--to",
            "any",
        ],
        &["contingency"],
        &["risk", "--samples", "10"],
        &["indices"],
        &["pathway", "--years", "2024..2025"],
        &["calibrate"],
        &["backtest"],
        &["report", "--out", "/dev/null"],
        &["validate"],
        &["convert", "1", "Mt", "--to", "t"],
    ];
    for args in commands {
        let mut with = args.to_vec();
        with.extend(["--solver", "highs"]);
        let o = corridor(&with);
        assert_eq!(o.status.code(), Some(2), "{with:?}");
        assert!(
            stderr(&o).contains("--features highs"),
            "{with:?}: {}",
            stderr(&o)
        );
    }
}

/// `calibrate` writes a file the scenario can include, and `backtest` reports in- and out-of-sample errors.
#[test]
fn calibrate_writes_a_file_that_reads_back_and_backtest_reports_both_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("fit.calibration.toml");
    let o = corridor(&[
        "calibrate",
        "--year",
        "2024",
        "--write",
        file.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Implied premiums"), "{}", stdout(&o));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(
        text.contains("[[premiums]]") && text.contains("link = \"btc\""),
        "{text}"
    );
    let v = json(&["backtest", "--years", "2023..2024", "--format", "json"]);
    let years = v["years"].as_array().expect("years");
    assert_eq!(years.len(), 2);
    assert!(years[1]["weighted_abs_error"]["out_of_sample"]
        .as_f64()
        .is_some());
    assert!(
        years[0]["weighted_abs_error"]["out_of_sample"].is_null(),
        "2023 has no year before it in the run"
    );
    let o = corridor(&["run", "--uncalibrated", "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("uncalibrated least cost"),
        "{}",
        stdout(&o)
    );
}

/// `corridor … | head`: the reader leaves early; the program ends quietly with SIGPIPE's status.
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["network", "--all", "--format", "geojson"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = [0u8; 10];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("ten bytes");
    let o = child.wait_with_output().expect("ends");
    assert_eq!(o.status.code(), Some(141));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// Inputs that used to crash, hang or print nonsense now end with a located message and exit 2 or 1.
#[test]
fn hostile_inputs_end_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let caspian = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corridor-io/data/caspian");
    // A header-only nodes.csv.
    let empty = dir.path().join("empty");
    copy_dir(&caspian, &empty);
    std::fs::write(
        empty.join("nodes.csv"),
        "id,name,kind,country,lat,lon,notes\n",
    )
    .expect("write");
    let o = corridor(&["validate", empty.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("nodes.csv:1: nodes: the file declares no nodes"),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
    // A FIFO where links.csv should be: refused at once, not read forever.
    let fifo = dir.path().join("fifo");
    copy_dir(&caspian, &fifo);
    std::fs::remove_file(fifo.join("links.csv")).expect("remove");
    let made = Command::new("mkfifo")
        .arg(fifo.join("links.csv"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let o = corridor(&["validate", fifo.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not a regular file"),
        "{}",
        stderr(&o)
    );
    // A year of 0.
    let zero = dir.path().join("zero");
    copy_dir(&caspian, &zero);
    replace_in(
        &zero.join("dataset.toml"),
        "default_year = 2024",
        "default_year = 0",
    );
    let o = corridor(&["validate", zero.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("0 is not a plausible year"),
        "{}",
        stdout(&o)
    );
    // A sample count that would run for ever.
    let o = corridor(&["risk", "--samples", "1000000000000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not in 1..=100000000"),
        "{}",
        stderr(&o)
    );
}

/// The Turkish Straits belong to Türkiye: avoiding it closes Black Sea exports beyond the Bosporus, and
/// it holds leverage over Kazakh crude on the observed 2024 flows.
#[test]
fn turkiye_controls_the_straits() {
    let capacity = |avoid: &[&str]| -> f64 {
        let mut args = vec![
            "capacity",
            "--commodity",
            "crude",
            "--from",
            "KZ",
            "--to",
            "any",
            "--format",
            "json",
        ];
        args.extend(avoid);
        json(&args)["capacity"].as_f64().expect("a number")
    };
    let open = capacity(&[]);
    let without_tr = capacity(&["--avoid", "TR"]);
    // Far below: only the routes east and north, the Caspian crossing to Baku (BTC ends in Türkiye, so it
    // is closed too) and the Black Sea coast refineries, reached without the Straits, remain.
    assert!(without_tr < 0.4 * open, "{without_tr} vs {open}");
    let coast = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--to",
        "black-sea-coast-market",
        "--avoid",
        "TR",
        "--format",
        "json",
    ]);
    assert_eq!(coast["capacity"].as_f64(), Some(15.5), "{coast}");
    let indices = json(&["indices", "--format", "json"]);
    let tr = indices["leverage"]
        .as_array()
        .expect("leverage")
        .iter()
        .find(|c| c["country"] == "TR")
        .expect("Türkiye is a transit country");
    assert!(tr["leverage"].as_f64().expect("a number") > 10.0, "{tr}");
}

/// A question with no answer says why in one line instead of printing a silent zero.
#[test]
fn capacity_explains_a_zero_and_keeps_to_the_commodity() {
    // Turkmen crude loads at Turkmenbashi (a port, not a field): a country means its nodes that ship the
    // commodity, so crude from TM is the tanker route to Baku, not a gas field's zero.
    let v = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "TM",
        "--to",
        "any",
        "--format",
        "json",
    ]);
    assert_eq!(v["capacity"].as_f64(), Some(7.0), "{v}");
    assert_eq!(v["bottleneck"][0], "turkmenbashi-baku-tanker");
    let o = corridor(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KG",
        "--to",
        "any",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .contains("why nothing can move: no supply of `crude` at the origins (jalal-abad)"),
        "{}",
        stdout(&o)
    );
    let v = json(&[
        "capacity",
        "--commodity",
        "gas",
        "--from",
        "TM",
        "--to",
        "any",
        "--avoid",
        "RU,CN,IR",
        "--format",
        "json",
    ]);
    assert_eq!(v["capacity"].as_f64(), Some(0.0));
    // `--to any` means markets of gas only.
    assert!(
        v["markets"]
            .as_array()
            .expect("markets")
            .iter()
            .all(|m| m.as_str().is_some_and(|m| m.contains("gas"))),
        "{v}"
    );
    let reason = v["reasons"][0].as_str().expect("a reason");
    assert!(
        reason.contains("every route crosses an avoided country")
            && reason.contains("cac-center (RU)"),
        "{reason}"
    );
}

/// `compare`: the KMG-SOCAR question — what moving BTC from 1.5 to 2.2 Mt/y changes, in one answer.
#[test]
fn compare_shows_what_a_btc_floor_moves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenarios =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../corridor-io/data/caspian/scenarios");
    copy_dir(&scenarios, dir.path());
    let b = dir.path().join("btc-2.2.toml");
    std::fs::copy(dir.path().join("kazakh-crude-2024.toml"), &b).expect("copy");
    replace_in(&b, "name = \"kazakh-crude-2024\"", "name = \"btc-2.2\"");
    replace_in(&b, "max_volume = 1.5", "min_volume = 2.2\nmax_volume = 2.2");
    let v = json(&[
        "compare",
        "kazakh-crude-2024",
        b.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let links = v["links"].as_array().expect("links");
    let change = |id: &str| {
        links
            .iter()
            .find(|l| l["link"] == id)
            .map(|l| l["b"].as_f64().expect("b") - l["a"].as_f64().expect("a"))
    };
    assert!(
        (change("btc").expect("BTC moved") - 0.7).abs() < 1e-6,
        "{v}"
    );
    assert!(change("baku-supsa").is_none());
    let tariffs = v["transport_cost_usd"].as_array().expect("pair");
    assert!(
        tariffs[1].as_f64() > tariffs[0].as_f64(),
        "BTC costs more in tariffs: {v}"
    );
    assert!(v["binding"]
        .as_array()
        .expect("binding")
        .iter()
        .any(|b| b["id"] == "KMG-SOCAR BTC transit"));
}

/// A scenario that `extends` another, with a source of its own: it validates, runs, compares, and a
/// mistake in it is reported at its own file and line.
#[test]
fn an_overlay_extends_a_scenario_and_reports_its_own_lines() {
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/btc-2.2-floor.toml");
    let example = example.to_str().expect("utf-8");
    let o = corridor(&["validate", example]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let a = json(&["allocate", example, "--format", "json"]);
    let btc: f64 = a["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| l["link"] == "btc")
        .map(|l| l["flows"][0][1].as_f64().expect("volume"))
        .sum();
    assert!((btc - 2.2).abs() < 1e-6, "{btc}");
    let v = json(&["compare", "kazakh-crude-2024", example, "--format", "json"]);
    assert_eq!(v["b"], "btc-2.2-floor");
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken.toml");
    std::fs::copy(example, &broken).expect("copy");
    replace_in(
        &broken,
        "links = [\"aktau-baku-tanker\"]",
        "links = [\"aktau-baku-tankr\"]",
    );
    let o = corridor(&["validate", broken.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("broken.toml:20: contracts[1].links: unknown link `aktau-baku-tankr` — did you mean `aktau-baku-tanker`?"),
        "{}",
        stdout(&o)
    );
}

/// Turkmen gas avoiding Russia and China: only the swap through Iran to Azerbaijan (2 bcm/y); nothing
/// when Iran is avoided too, with the reason.
#[test]
fn turkmen_gas_bypass_is_the_iran_swap() {
    let capacity = |avoid: &str| {
        json(&[
            "capacity",
            "--commodity",
            "gas",
            "--from",
            "TM",
            "--to",
            "any",
            "--avoid",
            avoid,
            "--year",
            "2024",
            "--format",
            "json",
        ])
    };
    let v = capacity("RU,CN");
    assert_eq!(v["capacity"].as_f64(), Some(2.0), "{v}");
    assert_eq!(v["bottleneck"][0], "tm-iran-az-swap");
    let v = capacity("RU,CN,IR");
    assert_eq!(v["capacity"].as_f64(), Some(0.0));
    assert!(
        v["reasons"][0]
            .as_str()
            .is_some_and(|r| r.contains("tm-iran-az-swap (IR)")),
        "{v}"
    );
}

/// `validate SCENARIO --dataset DS` checks the scenario against DS, not the dataset it names.
#[test]
fn validate_honours_dataset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let caspian = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corridor-io/data/caspian");
    copy_dir(&caspian, dir.path());
    replace_in(&dir.path().join("links.csv"), "\nbtc,", "\nbtc-renamed,");
    let o = corridor(&[
        "validate",
        "kazakh-crude-2024",
        "--dataset",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("unknown link `btc`"), "{}", stdout(&o));
}

/// A scenario can derate a chokepoint (winter delays at the Bosporus): half the Black Sea loadings' capacity
/// is lost, so less Kazakh crude is delivered; a misspelt chokepoint is a located error with a suggestion.
#[test]
fn a_scenario_derates_the_turkish_straits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("straits.toml");
    let text = "[scenario]\nname = \"straits-half\"\nextends = \"kazakh-crude-2024\"\n\n[[disruptions]]\nchokepoint = \"turkish-straits\"\nderate_pct = 50\n";
    std::fs::write(&path, text).expect("write");
    let path = path.to_str().expect("utf-8");
    let a = json(&["allocate", path, "--format", "json"]);
    let unmet = a["totals"][0]["unmet"].as_f64().expect("unmet");
    assert!(unmet > 5.0, "half the straits strands crude: {a}");
    std::fs::write(path, text.replace("turkish-straits", "turkish-strait")).expect("write");
    let o = corridor(&["validate", path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("straits.toml:6: disruptions[1].chokepoint: unknown chokepoint `turkish-strait` — did you mean `turkish-straits`?"),
        "{}",
        stdout(&o)
    );
}

/// `caspian-gas-2024`, as calibrated, delivers Azerbaijan's 2024 exports to their observed markets within
/// 10 % (Türkiye, TANAP's share, Europe, Georgia, the SCP, TAP).
#[test]
fn the_gas_scenario_delivers_azerbaijan_s_exports_where_they_went() {
    let v = json(&[
        "backtest",
        "caspian-gas-2024",
        "--years",
        "2024..2024",
        "--format",
        "json",
    ]);
    let fits = v["years"][0]["in_sample"].as_array().expect("fits");
    assert!(fits.len() >= 5, "{v}");
    for f in fits {
        let (model, observed) = (
            f["model"].as_f64().expect("model"),
            f["observed"].as_f64().expect("observed"),
        );
        assert!(
            (model - observed).abs() <= 0.1 * observed,
            "{}: model {model} vs observed {observed}",
            f["route"]
        );
    }
    // Without calibration the tariffs alone send too much to Türkiye and too little to Europe: a finding,
    // kept visible.
    assert!(
        v["years"][0]["weighted_abs_error"]["uncalibrated"]
            .as_f64()
            .expect("error")
            > 0.1
    );
}

/// With the Trans-Caspian pipeline in 2030, Turkmen gas avoiding Russia and China has a positive
/// capacity beside Azerbaijan's own exports, every route of it crosses Azerbaijan, and Azerbaijan and
/// Georgia hold leverage over it.
#[test]
fn the_trans_caspian_pipeline_depends_on_azerbaijan_and_georgia() {
    let cap = |avoid: &str| {
        json(&[
            "capacity",
            "--commodity",
            "gas",
            "--from",
            "TM",
            "--to",
            "any",
            "--avoid",
            avoid,
            "--scenario",
            "turkmen-gas-tcgp-2030",
            "--format",
            "json",
        ])
    };
    let v = cap("RU,CN");
    let capacity = v["capacity"].as_f64().expect("capacity");
    assert!(capacity > 2.0, "more than the Iran swap: {v}");
    let without_iran = cap("RU,CN,IR");
    assert!(without_iran["capacity"].as_f64().expect("capacity") > 0.0);
    for route in without_iran["routes"].as_array().expect("routes") {
        let countries: Vec<&str> = route["countries"]
            .as_array()
            .expect("countries")
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        assert!(countries.contains(&"AZ"), "{countries:?}");
    }
    let v = cap("RU,CN,AZ");
    assert_eq!(v["capacity"].as_f64(), Some(0.0));
    // Beside Azerbaijan's exports the Southern Gas Corridor has little room: far below the nameplate.
    let nameplate = json(&[
        "capacity",
        "--commodity",
        "gas",
        "--from",
        "TM",
        "--to",
        "any",
        "--avoid",
        "RU,CN",
        "--year",
        "2030",
        "--format",
        "json",
    ]);
    assert!(nameplate["capacity"].as_f64().expect("capacity") > 2.0 * capacity);
    let v = json(&["indices", "turkmen-gas-tcgp-2030", "--format", "json"]);
    let leverage = |code: &str| {
        v["leverage"]
            .as_array()
            .expect("leverage")
            .iter()
            .find(|l| l["country"] == code)
            .and_then(|l| l["leverage"].as_f64())
            .unwrap_or(0.0)
    };
    assert!(leverage("AZ") > 0.0 && leverage("GE") > 0.0, "{v}");
}

/// `ots-2030`: transit only through the Organization of Turkic States, the EU and Georgia strands most
/// Kazakh crude; no route crosses a country outside them (market countries are destinations).
#[test]
fn an_ots_only_corridor_strands_most_kazakh_crude() {
    let v = json(&["allocate", "ots-2030", "--format", "json"]);
    let t = &v["totals"][0];
    assert!(t["unmet"].as_f64().expect("unmet") > 0.5 * t["supplied"].as_f64().expect("supplied"));
    for origin in v["origins"].as_array().expect("origins") {
        for route in origin["routes"].as_array().expect("routes") {
            let countries: Vec<&str> = route["countries"]
                .as_array()
                .expect("countries")
                .iter()
                .filter_map(|c| c.as_str())
                .collect();
            assert!(!countries.contains(&"RU"), "{countries:?}");
        }
    }
}

/// `middle-corridor-2024` has Chinese, Kazakh and Uzbek origins and, calibrated, carries what the
/// corridor carried in 2024 (TITR containers and cargo, the Aktau-Baku route, the Northern route, CASCA+)
/// within 10 %.
#[test]
fn the_middle_corridor_carries_what_it_carried_from_three_origins() {
    let a = json(&["allocate", "middle-corridor-2024", "--format", "json"]);
    let origins: Vec<&str> = a["origins"]
        .as_array()
        .expect("origins")
        .iter()
        .filter_map(|o| o["origin"].as_str())
        .collect();
    for o in ["xian", "beineu", "tashkent"] {
        assert!(origins.contains(&o), "{origins:?}");
    }
    let v = json(&[
        "backtest",
        "middle-corridor-2024",
        "--years",
        "2024..2024",
        "--format",
        "json",
    ]);
    let fits = v["years"][0]["in_sample"].as_array().expect("fits");
    assert!(fits.len() >= 5, "{v}");
    for f in fits {
        let (model, observed) = (
            f["model"].as_f64().expect("model"),
            f["observed"].as_f64().expect("observed"),
        );
        assert!(
            (model - observed).abs() <= 0.1 * observed,
            "{}: model {model} vs observed {observed}",
            f["route"]
        );
    }
}

/// The Middle Corridor's bypass question leaves the deep-sea legs out (their capacity is a placeholder):
/// the answer is what the overland and Trans-Caspian routes carry, limited on the Caspian, not the
/// placeholder; without the scenario the sea legs count and the placeholder is the answer.
#[test]
fn the_middle_corridor_bypass_is_the_trans_caspian_not_the_placeholder_sea_capacity() {
    let scoped = json(&[
        "capacity",
        "--scenario",
        "middle-corridor-2024",
        "--commodity",
        "containers",
        "--from",
        "CN",
        "--avoid",
        "RU",
        "--format",
        "json",
    ]);
    let capacity = scoped["capacity"].as_f64().expect("capacity");
    assert!(capacity > 50.0 && capacity < 2000.0, "{scoped}");
    let cut = scoped["bottleneck"].to_string();
    assert!(!cut.contains("shanghai-rotterdam"), "{cut}");
    let open = json(&[
        "capacity",
        "--commodity",
        "containers",
        "--from",
        "CN",
        "--avoid",
        "RU",
        "--format",
        "json",
    ]);
    assert!(
        open["capacity"].as_f64().expect("capacity") > 10_000.0,
        "{open}"
    );
    // The report says what was left out and why.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("r.html");
    let o = corridor(&[
        "report",
        "middle-corridor-2024",
        "--no-resilience",
        "--no-pathway",
        "-q",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).expect("report");
    assert!(html.contains("Left out of this question by the scenario"));
}

/// A country as an origin means its nodes that ship the commodity asked for: Uzbek and Kyrgyz freight
/// start at their hubs (Tashkent, Jalal-Abad on the planned railway), not at a gas field.
#[test]
fn uzbek_and_kyrgyz_freight_have_origins_of_their_own() {
    for (country, year) in [("UZ", "2024"), ("KG", "2030")] {
        let v = json(&[
            "capacity",
            "--commodity",
            "cargo",
            "--from",
            country,
            "--avoid",
            "RU,CN",
            "--year",
            year,
            "--format",
            "json",
        ]);
        assert!(
            v["capacity"].as_f64().expect("capacity") > 0.0,
            "{country}: {v}"
        );
    }
    let v = json(&[
        "capacity",
        "--commodity",
        "cargo",
        "--from",
        "KG",
        "--avoid",
        "RU,CN",
        "--year",
        "2024",
        "--format",
        "json",
    ]);
    assert_eq!(
        v["capacity"].as_f64(),
        Some(0.0),
        "the railway is not built in 2024: {v}"
    );
}

/// A soft contract that cannot be met is a shortfall with its cost and exit 0; the same contract hard is
/// an infeasible scenario (exit 1) that names it.
#[test]
fn an_unmeetable_soft_contract_reports_its_shortfall() {
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/btc-20-soft.toml");
    let example = example.to_str().expect("utf-8");
    let v = json(&["allocate", example, "--format", "json"]);
    let short = &v["shortfalls"][0];
    assert_eq!(short["contract"], "KMG-SOCAR BTC transit");
    let shortfall = short["shortfall"].as_f64().expect("shortfall");
    assert!(
        (shortfall - 12.5).abs() < 1e-6,
        "20 Mt/y minimum, 7.5 loadable: {v}"
    );
    assert!((short["cost_usd"].as_f64().expect("cost") - 12.5e6 * 50.0).abs() < 1.0);
    let o = corridor(&[
        "contingency",
        example,
        "--elements",
        "countries",
        "--top",
        "1",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tempfile::tempdir().expect("temp dir");
    let hard = dir.path().join("hard.toml");
    std::fs::copy(example, &hard).expect("copy");
    replace_in(&hard, "soft = true\npenalty_usd = 50\n", "");
    let o = corridor(&["allocate", hard.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("KMG-SOCAR BTC transit"),
        "{}",
        stderr(&o)
    );
    replace_in(
        &hard,
        "unit = \"Mt/y\"\n",
        "unit = \"Mt/y\"\npenalty_usd = 50\n",
    );
    let o = corridor(&["validate", hard.to_str().expect("utf-8")]);
    assert!(
        stdout(&o).contains("a penalty on a hard contract"),
        "{}",
        stdout(&o)
    );
}

/// `--format xlsx` writes a workbook with one sheet per table plus the sources, numbers as numeric cells
/// and units in the headers; `--out-dir` writes one CSV file per table with numeric columns.
#[test]
fn tables_go_to_a_workbook_and_to_one_csv_file_each() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("a.xlsx");
    let o = corridor(&[
        "allocate",
        "--format",
        "xlsx",
        "--out",
        book.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).expect("open")).expect("a zip");
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml")
        .expect("workbook")
        .read_to_string(&mut workbook)
        .expect("utf-8");
    for name in ["Routes used, by origin", "Link utilisation", "Sources"] {
        assert!(workbook.contains(&format!("name=\"{name}\"")), "{workbook}");
    }
    let sheets = workbook.matches("<sheet ").count();
    assert!(sheets >= 7, "{sheets} sheets");
    // The routes sheet: row 2 holds numbers as numbers (no `t="s"` string type on the volume cell).
    let mut routes = String::new();
    zip.by_name("xl/worksheets/sheet2.xml")
        .expect("sheet 2")
        .read_to_string(&mut routes)
        .expect("utf-8");
    assert!(routes.contains("<c r=\"C2\"><v>27.9</v></c>"), "{routes}");
    assert!(
        routes.contains("<pane ySplit=\"1\""),
        "the header row is frozen"
    );

    let out = dir.path().join("tables");
    let o = corridor(&["allocate", "--out-dir", out.to_str().expect("utf-8"), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("routes-used-by-origin.csv")).expect("routes.csv");
    assert!(
        csv.starts_with("origin,market,volume,unit,cost (USD/unit) [/t],days,countries\ntengiz,black-sea-market,27.9,crude Mt/y,43,12,"),
        "{csv}"
    );
    assert!(out.join("sources.csv").exists());
    let o = corridor(&["allocate", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--out FILE.xlsx"), "{}", stderr(&o));
}

/// The rows of the CSV block titled `title` (its header first), cells split at commas: enough for the
/// leading columns, which hold no quoted text.
fn csv_block(csv: &str, title: &str) -> Vec<Vec<String>> {
    let start = csv
        .find(&format!("# {title}"))
        .unwrap_or_else(|| panic!("no block `{title}` in\n{csv}"));
    csv[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

/// CSV, `--out-dir` and xlsx carry the figure the JSON has (to the precision the data carries), in the
/// unit the header or the row's unit column names, while the text table rounds it for reading.
#[test]
fn csv_and_xlsx_carry_the_exact_figures_the_json_has() {
    use std::io::Read;
    let args = ["allocate", "middle-corridor-2024"];
    let v = json(&[&args[..], &["--format", "json"]].concat());
    let o = corridor(&[&args[..], &["--format", "csv"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let text = stdout(&corridor(&args));

    // A container volume: 19.286 on screen, the whole figure in kTEU/y (the unit of the JSON) in CSV.
    let route = &v["origins"].as_array().expect("origins")[2]["routes"][0];
    assert_eq!(
        (route["origin"].as_str(), route["market"].as_str()),
        (Some("beineu"), Some("duisburg"))
    );
    let volume = route["volume"].as_f64().expect("volume");
    assert!(text.contains("19.286  containers kTEU/y"), "{text}");
    let routes = csv_block(&csv, "Routes used, by origin");
    assert_eq!(
        routes[0][..6],
        [
            "origin",
            "market",
            "volume",
            "unit",
            "cost (USD/unit)",
            "cost (USD/unit) unit"
        ]
    );
    let row = routes
        .iter()
        .find(|r| r[0] == "beineu" && r[1] == "duisburg")
        .expect("the route");
    assert_eq!(row[2].parse::<f64>().ok(), Some(volume));
    assert_eq!(
        row[3],
        format!("containers {}", route["unit"].as_str().expect("unit"))
    );
    // Its cost per TEU, with the unit beside it because the column also holds costs per tonne.
    assert_eq!(row[4].parse::<f64>().ok(), route["cost_usd"].as_f64());
    assert_eq!(row[5], "/TEU");
    let totals = csv_block(&csv, "Allocation");
    assert_eq!(totals[1][..3], ["containers", "kTEU/y", "468.5"]);
    assert_eq!(v["totals"][0]["supplied"].as_f64(), Some(468.5));
    assert_eq!(v["totals"][0]["unit"], "kTEU/y");

    // The workbook's cell is the same number.
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("a.xlsx");
    let o = corridor(
        &[
            &args[..],
            &["--format", "xlsx", "--out", book.to_str().expect("utf-8")],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).expect("open")).expect("a zip");
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet2.xml")
        .expect("the routes sheet")
        .read_to_string(&mut sheet)
        .expect("utf-8");
    assert!(sheet.contains(&format!("<v>{volume}</v>")), "{sheet}");
    // `--out-dir` writes the same rows as the CSV stream.
    let out = dir.path().join("tables");
    let o = corridor(
        &[
            &args[..],
            &["--out-dir", out.to_str().expect("utf-8"), "-q"],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let file = std::fs::read_to_string(out.join("routes-used-by-origin.csv")).expect("routes");
    assert!(csv.contains(&file), "{file}");

    // A capacity of exactly 7.5 Mt/y: `7.500` on screen, 7.5 in CSV and JSON.
    let args = [
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "KZ",
        "--avoid",
        "RU,CN",
    ];
    assert!(stdout(&corridor(&args)).contains("7.500"));
    let v = json(&[&args[..], &["--format", "json"]].concat());
    let csv = stdout(&corridor(&[&args[..], &["--format", "csv"]].concat()));
    let head = csv_block(&csv, "Capacity of crude");
    assert_eq!(head[0].last().map(String::as_str), Some("capacity (Mt/y)"));
    assert_eq!(
        head[1].last().and_then(|c| c.parse::<f64>().ok()),
        Some(7.5)
    );
    assert_eq!(v["capacity"].as_f64(), Some(7.5));

    // A cost in a column headed MUSD/y: the JSON's dollars in millions, not the one decimal shown.
    let args = ["contingency", "--elements", "countries"];
    let v = json(&[&args[..], &["--format", "json"]].concat());
    let csv = stdout(&corridor(&[&args[..], &["--format", "csv"]].concat()));
    let singles = csv_block(&csv, "Contingencies");
    assert_eq!(singles[0][4], "loss (MUSD/y)");
    let loss_usd = v["singles"][0]["loss_usd"].as_f64().expect("loss");
    let loss_musd: f64 = singles[1][4].parse().expect("a number");
    assert!(
        (loss_musd * 1e6 - loss_usd).abs() <= 1e-9 * loss_usd.abs(),
        "{loss_musd} MUSD against {loss_usd} USD"
    );
    assert_ne!(
        singles[1][4],
        format!("{:.1}", loss_usd / 1e6),
        "not the rounding of the text table"
    );
}

/// An overlay changes the dataset for itself: a link's capacity and status, a new node and new links,
/// each sourced; `compare` puts it beside its base, and a mistake is reported at the overlay's own line.
#[test]
fn an_overlay_changes_links_and_adds_new_ones() {
    let example =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/btc-expanded.toml");
    let example = example.to_str().expect("utf-8");
    let o = corridor(&["validate", example]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let a = json(&["allocate", example, "--format", "json"]);
    let supsa: f64 = a["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| l["link"] == "baku-supsa")
        .map(|l| l["flows"][0][1].as_f64().expect("volume"))
        .sum();
    assert!(supsa > 0.0, "Baku-Supsa is back in service: {a}");
    let to_kulevi = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "sangachal",
        "--to",
        "black-sea-market",
        "--scenario",
        example,
        "--format",
        "json",
    ]);
    let base = json(&[
        "capacity",
        "--commodity",
        "crude",
        "--from",
        "sangachal",
        "--to",
        "black-sea-market",
        "--format",
        "json",
    ]);
    let gain = to_kulevi["capacity"].as_f64().expect("capacity")
        - base["capacity"].as_f64().expect("capacity");
    assert!(
        (gain - 8.0).abs() < 1e-6,
        "Supsa 5 and Kulevi 3 Mt/y more: {gain}"
    );
    let v = json(&["compare", "kazakh-crude-2024", example, "--format", "json"]);
    assert_eq!(v["b"], "btc-expanded");

    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken.toml");
    std::fs::copy(example, &broken).expect("copy");
    replace_in(&broken, "link = \"baku-supsa\"", "link = \"baku-supssa\"");
    replace_in(&broken, "to = \"kulevi\"", "to = \"kuleviii\"");
    let o = corridor(&["validate", broken.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let text = stdout(&o) + &stderr(&o);
    assert!(text.contains("broken.toml:26: link_changes[2].link: unknown link `baku-supssa` — did you mean `baku-supsa`?"), "{text}");
    assert!(text.contains("links.to: unknown node `kuleviii`"), "{text}");
}
