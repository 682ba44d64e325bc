//! corridor's fuzz targets: each takes arbitrary bytes, feeds them to one reader the way a user's file or
//! a client's request would reach it, and panics only when the reader breaks a promise — it panicked
//! itself, or it refused the input without a located error.
//!
//! The same functions run in two harnesses (docs/fuzzing.md):
//! - coverage-guided, under libFuzzer, through the binaries in `fuzz_targets/` (`scripts/fuzz.sh run`);
//! - on stable Rust with no extra tool, through `tests/replay.rs`: every file of `corpus/` and
//!   `regressions/`, then a bounded run of random mutations of them (`scripts/fuzz.sh smoke`).
//!
//! ```
//! corridor_fuzz::dimacs(b"p max 2 1\nn 1 s\nn 2 t\na 1 2 5\n");
//! ```

use corridor_io::DatasetFiles;
use corridor_model::{Dataset, Diagnostic, Scenario};
use corridor_server::solve::{apply, SolveRequest};
use corridor_server::AppState;
use std::sync::OnceLock;

/// A fuzz target: arbitrary bytes in, a panic only for a broken promise.
pub type Target = fn(&[u8]);

/// The targets by name, as the harnesses and `corpus/<name>/` know them.
pub const TARGETS: [(&str, Target); 4] = [
    ("dataset", dataset),
    ("scenario", scenario),
    ("dimacs", dimacs),
    ("server_body", server_body),
];

/// Separates the files of a dataset input: `dataset.toml`, `nodes.csv`, `links.csv`, `status.csv`,
/// `observed.csv`, `paths.csv`, `routes.geojson`, in that order (a NUL byte never occurs in a valid text file).
pub const FILE_SEPARATOR: u8 = 0;

const DATASET_FILES: [&str; 7] = [
    "fz/dataset.toml",
    "fz/nodes.csv",
    "fz/links.csv",
    "fz/status.csv",
    "fz/observed.csv",
    "fz/paths.csv",
    "fz/routes.geojson",
];

/// Text as the readers see it: files are read with `read_to_string`, which refuses invalid UTF-8 with an
/// I/O error before any parsing; replacing bad bytes keeps the fuzzer's mutations useful instead.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every diagnostic names one of `files`, and a refusal carries at least one error.
fn check_located(accepted: bool, diags: &[Diagnostic], files: &[&str]) {
    assert!(
        accepted || diags.iter().any(Diagnostic::is_error),
        "input refused without an error: {diags:?}"
    );
    for d in diags {
        assert!(
            files.contains(&d.location.file.as_str()),
            "diagnostic without the file it is about: {d}"
        );
        // Rendering is what the user sees; it must not panic either.
        let _ = d.to_string();
    }
}

/// The dataset folder reader: up to seven files separated by [`FILE_SEPARATOR`]; a missing
/// `dataset.toml`, `nodes.csv` or `links.csv` is an empty one, a missing optional file is absent.
pub fn dataset(data: &[u8]) {
    let mut parts = data.splitn(DATASET_FILES.len(), |b| *b == FILE_SEPARATOR);
    let mut next = |i: usize| {
        parts
            .next()
            .map(|p| (DATASET_FILES[i].to_string(), text(p)))
    };
    let required = |part: Option<(String, String)>, i: usize| {
        part.unwrap_or_else(|| (DATASET_FILES[i].to_string(), String::new()))
    };
    let files = DatasetFiles {
        dataset_toml: required(next(0), 0),
        nodes_csv: required(next(1), 1),
        links_csv: required(next(2), 2),
        status_csv: next(3),
        observed_csv: next(4),
    };
    let paths = next(5);
    let routes = next(6);
    let (parsed, diags) = corridor_io::parse_dataset(&files);
    check_located(parsed.is_some(), &diags, &DATASET_FILES);
    if let Some(mut dataset) = parsed {
        if let Some((file, text)) = paths {
            let diags = corridor_io::parse_paths(&file, &text, &mut dataset);
            check_located(true, &diags, &DATASET_FILES);
        }
        if let Some((file, text)) = routes {
            let diags = corridor_io::parse_routes(&file, &text, &mut dataset);
            check_located(true, &diags, &DATASET_FILES);
        }
        let diags = corridor_io::check_link_courses(&dataset);
        check_located(true, &diags, &DATASET_FILES);
        // Every link's course, as maps and exports draw it.
        for link in dataset.link_ids() {
            let _ = dataset.link_geometry(link);
        }
    }
}

/// The embedded dataset and its first scenario, read once.
fn caspian() -> &'static (Dataset, Scenario) {
    static CASPIAN: OnceLock<(Dataset, Scenario)> = OnceLock::new();
    CASPIAN.get_or_init(|| {
        let loaded = corridor_io::load_scenario(corridor_io::DEFAULT_SCENARIO, None)
            .expect("the embedded scenario loads");
        (loaded.dataset, loaded.scenario)
    })
}

/// The scenario reader: the header, then the scenario (or, when it `extends` another, the overlay on the
/// embedded default scenario) resolved against the embedded dataset. A text with a `[calibration]` table
/// is read as the calibration file a scenario includes instead.
pub fn scenario(data: &[u8]) {
    const FILE: &str = "fz/scenario.toml";
    let (dataset, base) = caspian();
    let text = text(data);
    if text.contains("[calibration]") {
        let (parsed, diags) =
            corridor_io::parse_calibration("fz.calibration.toml", FILE, &text, dataset);
        check_located(parsed.is_some(), &diags, &[FILE]);
        return;
    }
    match corridor_io::scenario_header(FILE, &text) {
        Err(diags) => check_located(false, &diags, &[FILE]),
        Ok(header) => {
            let (parsed, diags) = match header.extends {
                Some(_) => corridor_io::parse_overlay(FILE, &text, dataset, base),
                None => corridor_io::parse_scenario(FILE, &text, dataset),
            };
            check_located(parsed.is_some(), &diags, &[FILE]);
        }
    }
}

/// The DIMACS problem reader and the solution reader of both kinds. A problem that reads is written
/// back and must read again as the same problem.
pub fn dimacs(data: &[u8]) {
    let text = text(data);
    match corridor_dimacs::parse(&text) {
        Ok(problem) => {
            let written = corridor_dimacs::write(&problem);
            let reread = corridor_dimacs::parse(&written).expect("a written problem reads back");
            assert!(reread == problem, "the problem changed on a round trip");
        }
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an error without a message");
        }
    }
    for kind in [
        corridor_dimacs::ProblemKind::Min,
        corridor_dimacs::ProblemKind::Max,
    ] {
        if let Ok(result) = corridor_dimacs::parse_solution(&text, kind) {
            let rendered = corridor_dimacs::render_text(&result);
            let reread = corridor_dimacs::parse_solution(&rendered, kind)
                .expect("a rendered solution reads back");
            assert_eq!(reread, result, "the solution changed on a round trip");
        }
    }
}

/// The server's state on the embedded dataset, built once.
fn server() -> &'static AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE.get_or_init(|| AppState::load(None).expect("the embedded dataset serves"))
}

/// The body of `POST /api/solve` up to the solve: JSON decoding, the scenario it names and every id it
/// lists, as the handler does before it hands the case to the solver. (A solve takes milliseconds; the
/// server's own tests cover what the solver answers.)
pub fn server_body(data: &[u8]) {
    let state = server();
    let Ok(request) = serde_json::from_slice::<SolveRequest>(data) else {
        return;
    };
    let Ok(scenario) = state.scenario(request.scenario.as_deref()) else {
        return;
    };
    if let Ok((applied, off, _, _)) = apply(state.dataset(), scenario, &request) {
        let n_off = off.links.len() + off.nodes.len() + off.countries.len() + off.chokepoints.len();
        assert_eq!(
            applied.disruptions.len(),
            scenario.disruptions.len() + n_off,
            "every element taken out is one disruption"
        );
    }
}
