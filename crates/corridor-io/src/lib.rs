//! Files ⇄ model: reads dataset folders and scenario files into [`corridor_model`] types with
//! line-numbered diagnostics, embeds the default `caspian` dataset, and writes output files atomically.
//!
//! ```
//! let (dataset, warnings) = corridor_io::load_dataset(corridor_io::EMBEDDED_DATASET).unwrap();
//! assert!(dataset.node_id("tengiz").is_some());
//! assert!(warnings.iter().all(|w| !w.is_error()));
//! ```

#![warn(missing_docs)]
#![warn(unreachable_pub)]

mod calibration;
mod chokepoints;
mod cite;
mod csv_table;
mod dataset;
mod growth;
mod import;
mod observed;
mod overlay;
mod paths;
mod resilience;
mod resolve;
mod routes;
mod scenario;
mod toml_reader;

pub use calibration::parse_calibration;
pub use dataset::{parse_dataset, DatasetFiles};
pub use import::{import_routes, ImportOptions, RouteImport, SIMPLIFY_KM};
pub use observed::{OBSERVED_FILE, STATUS_FILE};
pub use paths::{parse_paths, PATHS_FILE};
pub use routes::{check_link_courses, parse_routes, MAX_COURSE_OFFSET_KM, ROUTES_FILE};
pub use scenario::{parse_overlay, parse_scenario, reachable, scenario_header, ScenarioHeader};

use corridor_model::units::closest;
use corridor_model::{Dataset, Diagnostic, Scenario};
use std::path::{Path, PathBuf};

/// The id of the dataset compiled into the binary.
pub const EMBEDDED_DATASET: &str = "caspian";

/// The scenario `corridor` runs when none is named.
pub const DEFAULT_SCENARIO: &str = "kazakh-crude-2024";

const EMBEDDED_FILES: [(&str, &str); 5] = [
    (
        "caspian/dataset.toml",
        include_str!("../data/caspian/dataset.toml"),
    ),
    (
        "caspian/nodes.csv",
        include_str!("../data/caspian/nodes.csv"),
    ),
    (
        "caspian/links.csv",
        include_str!("../data/caspian/links.csv"),
    ),
    (
        "caspian/status.csv",
        include_str!("../data/caspian/status.csv"),
    ),
    (
        "caspian/observed.csv",
        include_str!("../data/caspian/observed.csv"),
    ),
];

/// The embedded scenarios: (name, TOML text).
pub const EMBEDDED_SCENARIOS: [(&str, &str); 5] = [
    (
        "kazakh-crude-2024",
        include_str!("../data/caspian/scenarios/kazakh-crude-2024.toml"),
    ),
    (
        "middle-corridor-2024",
        include_str!("../data/caspian/scenarios/middle-corridor-2024.toml"),
    ),
    (
        "caspian-gas-2024",
        include_str!("../data/caspian/scenarios/caspian-gas-2024.toml"),
    ),
    (
        "ots-2030",
        include_str!("../data/caspian/scenarios/ots-2030.toml"),
    ),
    (
        "turkmen-gas-tcgp-2030",
        include_str!("../data/caspian/scenarios/turkmen-gas-tcgp-2030.toml"),
    ),
];

/// The embedded calibration files: (name as scenarios cite it, TOML text).
pub const EMBEDDED_CALIBRATIONS: [(&str, &str); 3] = [
    (
        "kazakh-crude-2024.calibration.toml",
        include_str!("../data/caspian/scenarios/kazakh-crude-2024.calibration.toml"),
    ),
    (
        "middle-corridor-2024.calibration.toml",
        include_str!("../data/caspian/scenarios/middle-corridor-2024.calibration.toml"),
    ),
    (
        "caspian-gas-2024.calibration.toml",
        include_str!("../data/caspian/scenarios/caspian-gas-2024.calibration.toml"),
    ),
];

/// Why input could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read (missing, no permission, …).
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The input was read and has problems (at least one an error).
    #[error("{} problem(s) in the input:\n{}", diagnostics.iter().filter(|d| d.is_error()).count(), render(diagnostics))]
    Invalid {
        /// Every problem found, errors and warnings, root causes first.
        diagnostics: Vec<Diagnostic>,
    },
    /// A scenario named neither a file nor an embedded scenario.
    #[error("no scenario file or embedded scenario named `{name}`{} — embedded scenarios: {}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), EMBEDDED_SCENARIOS.map(|s| s.0).join(", "))]
    UnknownScenario {
        /// The name as given.
        name: String,
        /// The closest embedded scenario's name, if one is close.
        suggestion: Option<String>,
    },
    /// A path that is neither a dataset folder nor a scenario file.
    #[error("`{path}` is neither a dataset folder nor a scenario .toml file")]
    UnknownInput {
        /// The path as given.
        path: PathBuf,
    },
    /// A folder, FIFO or device where a file is read.
    #[error("`{path}` is not a regular file (a folder, FIFO or device) — give the path of the file itself")]
    NotAFile {
        /// The path as given.
        path: PathBuf,
    },
    /// A file above [`MAX_INPUT_BYTES`].
    #[error("`{path}` is {bytes} bytes, above the {} MiB an input may have — check that it is the right file", MAX_INPUT_BYTES >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// A file that is not UTF-8 text.
    #[error("{}:{line}: not UTF-8 text (byte {column} of the line) — save the file as UTF-8 (in a spreadsheet: CSV UTF-8)", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The 1-based line of the first byte that is not UTF-8.
        line: usize,
        /// Its 1-based byte position in that line.
        column: usize,
    },
    /// A symbolic link that leads back to itself.
    #[error("`{}` is a loop of symbolic links (it leads back to itself) — point the link at a real file", path.display())]
    SymlinkLoop {
        /// The link.
        path: PathBuf,
    },
    /// A symbolic link to nothing.
    #[error("`{}` is a symbolic link to `{}`, which does not exist — point the link at a real file", path.display(), target.display())]
    BrokenSymlink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },
}

/// Why `path` cannot be opened, named as a person would: a missing file, a link that leads nowhere or
/// round in a loop, or the system's own reason.
fn open_error(path: &Path, source: std::io::Error) -> LoadError {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        if source.kind() == std::io::ErrorKind::NotFound {
            if let Ok(target) = std::fs::read_link(path) {
                return LoadError::BrokenSymlink {
                    path: path.to_path_buf(),
                    target,
                };
            }
        } else if std::fs::canonicalize(path).is_err() {
            return LoadError::SymlinkLoop {
                path: path.to_path_buf(),
            };
        }
    }
    LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How many diagnostics a person is shown; past that a file is most likely the wrong file or wrong in
/// one systematic way, and the first ones (the root causes come first) say how.
pub const MAX_DIAGNOSTICS_SHOWN: usize = 100;

fn render(diagnostics: &[Diagnostic]) -> String {
    let mut lines: Vec<String> = diagnostics
        .iter()
        .take(MAX_DIAGNOSTICS_SHOWN)
        .map(|d| d.to_string())
        .collect();
    if diagnostics.len() > MAX_DIAGNOSTICS_SHOWN {
        lines.push(format!(
            "… and {} more, not shown — fix the ones above first",
            diagnostics.len() - MAX_DIAGNOSTICS_SHOWN
        ));
    }
    lines.join("\n")
}

/// The embedded dataset's files.
pub fn embedded_files() -> DatasetFiles {
    let file = |i: usize| {
        (
            EMBEDDED_FILES[i].0.to_string(),
            EMBEDDED_FILES[i].1.to_string(),
        )
    };
    DatasetFiles {
        dataset_toml: file(0),
        nodes_csv: file(1),
        links_csv: file(2),
        status_csv: Some(file(3)),
        observed_csv: Some(file(4)),
    }
}

/// The largest input file read (256 MiB): far above any real dataset, small enough that a wrong file
/// cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads a regular file of at most [`MAX_INPUT_BYTES`]; a FIFO, device or folder is refused up front so
/// that reading can neither block nor run away. Every input file of every command is read through it.
pub fn read_input(path: &Path) -> Result<String, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(|e| open_error(path, e))?;
    if !meta.is_file() {
        return Err(LoadError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            bytes: meta.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line_start = bytes[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        LoadError::NotUtf8 {
            path: path.to_path_buf(),
            line: bytes[..at].iter().filter(|b| **b == b'\n').count() + 1,
            column: at - line_start + 1,
        }
    })
}

/// Reads the three files of a dataset folder.
pub fn read_dataset_dir(dir: &Path) -> Result<DatasetFiles, LoadError> {
    let file = |name: &str| -> Result<(String, String), LoadError> {
        let path = dir.join(name);
        Ok((path.display().to_string(), read_input(&path)?))
    };
    let optional = |name: &str| -> Result<Option<(String, String)>, LoadError> {
        // Present as an entry (even a broken link or a FIFO): read it, and say why when it cannot be.
        if std::fs::symlink_metadata(dir.join(name)).is_ok() {
            file(name).map(Some)
        } else {
            Ok(None)
        }
    };
    Ok(DatasetFiles {
        dataset_toml: file("dataset.toml")?,
        nodes_csv: file("nodes.csv")?,
        links_csv: file("links.csv")?,
        status_csv: optional(STATUS_FILE)?,
        observed_csv: optional(OBSERVED_FILE)?,
    })
}

fn finish<T>(parsed: (Option<T>, Vec<Diagnostic>)) -> Result<(T, Vec<Diagnostic>), LoadError> {
    match parsed {
        (Some(value), diags) => Ok((value, diags)),
        (None, diagnostics) => Err(LoadError::Invalid { diagnostics }),
    }
}

/// Loads a dataset: `caspian` for the embedded one, otherwise a folder path. Returns warnings beside it.
pub fn load_dataset(spec: &str) -> Result<(Dataset, Vec<Diagnostic>), LoadError> {
    // The bare name always means the embedded dataset; a folder of that name is `./caspian`.
    let embedded = spec == EMBEDDED_DATASET;
    let files = if embedded {
        embedded_files()
    } else {
        read_dataset_dir(Path::new(spec))?
    };
    let (mut dataset, mut diagnostics) = finish(parse_dataset(&files))?;
    let paths = if embedded {
        Some(("caspian/paths.csv".to_string(), EMBEDDED_PATHS.to_string()))
    } else {
        read_paths_file(Path::new(spec))?
    };
    if let Some((file, text)) = paths {
        diagnostics.extend(parse_paths(&file, &text, &mut dataset));
    }
    let routes = if embedded {
        Some((
            format!("{EMBEDDED_DATASET}/{ROUTES_FILE}"),
            EMBEDDED_ROUTES.to_string(),
        ))
    } else {
        read_optional(Path::new(spec), ROUTES_FILE)?
    };
    if let Some((file, text)) = routes {
        diagnostics.extend(parse_routes(&file, &text, &mut dataset));
    }
    // Run even without a routes file: a link naming a project then says so.
    diagnostics.extend(check_link_courses(&dataset));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError::Invalid { diagnostics });
    }
    Ok((dataset, diagnostics))
}

/// The embedded dataset's `paths.csv` (its files beyond [`embedded_files`], for writing it out).
pub const EMBEDDED_PATHS: &str = include_str!("../data/caspian/paths.csv");
/// The embedded dataset's `routes.geojson`: without it, its links' `gem_project_id`s name no course.
pub const EMBEDDED_ROUTES: &str = include_str!("../data/caspian/routes.geojson");

/// An optional file of a dataset folder as (file name, text); `None` when the folder has none.
fn read_optional(dir: &Path, name: &str) -> Result<Option<(String, String)>, LoadError> {
    let path = dir.join(name);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    Ok(Some((path.display().to_string(), read_input(&path)?)))
}

/// The optional `paths.csv` of a dataset folder as (file name, text); `None` when the folder has none.
pub fn read_paths_file(dir: &Path) -> Result<Option<(String, String)>, LoadError> {
    read_optional(dir, PATHS_FILE)
}

/// A scenario with the dataset it runs on.
#[derive(Debug)]
pub struct Loaded {
    /// The dataset, with the scenario's own sources, nodes, links and link changes applied.
    pub dataset: Dataset,
    /// The scenario, resolved against `dataset`.
    pub scenario: Scenario,
    /// The warnings of the dataset and the scenario (errors stop loading).
    pub warnings: Vec<Diagnostic>,
}

/// The (file name, text) of a scenario given as an embedded name or a path.
fn scenario_text(spec: &str) -> Result<(String, String, Option<PathBuf>), LoadError> {
    let path = Path::new(spec);
    // Anything at that path is read (and refused with its reason when it is no regular file).
    if std::fs::symlink_metadata(path).is_ok() && !path.is_dir() {
        return Ok((
            spec.to_string(),
            read_input(path)?,
            path.parent().map(Path::to_path_buf),
        ));
    }
    if let Some((name, text)) = EMBEDDED_SCENARIOS.iter().find(|(name, _)| *name == spec) {
        return Ok((
            format!("caspian/scenarios/{name}.toml"),
            text.to_string(),
            None,
        ));
    }
    Err(LoadError::UnknownScenario {
        name: spec.to_string(),
        suggestion: closest(spec, EMBEDDED_SCENARIOS.iter().map(|s| s.0)).map(str::to_string),
    })
}

/// The scenario files of a dataset folder: the `*.toml` files in its `scenarios/` subfolder, sorted, without
/// the calibration files (`*.calibration.toml`) that sit beside the scenarios including them. Empty when
/// the folder has no `scenarios/`.
pub fn scenario_files(dataset_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dataset_dir.join("scenarios"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.to_string_lossy();
                    name.ends_with(".toml") && !name.ends_with(".calibration.toml")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Loads a scenario (an embedded name or a `.toml` path) and its dataset. `dataset_override` replaces
/// the dataset the scenario names (the CLI's `--dataset`).
pub fn load_scenario(spec: &str, dataset_override: Option<&str>) -> Result<Loaded, LoadError> {
    load_scenario_at_depth(spec, dataset_override, &mut Vec::new())
}

/// How many `extends` a scenario may chain: enough for any real use, and an end to a loop.
const MAX_EXTENDS: usize = 8;

/// How a scenario is known in a chain of `extends`: its canonical path, or its embedded name.
fn scenario_identity(spec: &str) -> String {
    std::fs::canonicalize(spec)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| spec.to_string())
}

/// Loads `spec`, which the scenarios in `chain` (their files, outermost first) extend.
fn load_scenario_at_depth(
    spec: &str,
    dataset_override: Option<&str>,
    chain: &mut Vec<(String, String)>,
) -> Result<Loaded, LoadError> {
    let depth = chain.len();
    let (file, text, dir) = scenario_text(spec)?;
    let header =
        scenario_header(&file, &text).map_err(|diagnostics| LoadError::Invalid { diagnostics })?;
    let (mut dataset, mut warnings, base) = match &header.extends {
        Some(base_spec) => {
            if depth >= MAX_EXTENDS {
                return Err(LoadError::Invalid {
                    diagnostics: vec![Diagnostic::error(
                        &header.location,
                        "scenario.extends",
                        format!("more than {MAX_EXTENDS} scenarios extend one another"),
                        "check that no scenario extends itself through the others",
                    )],
                });
            }
            // A path is relative to the overlay's folder; a bare name may be an embedded scenario.
            let base_path = match &dir {
                Some(d) if d.join(base_spec).exists() => d.join(base_spec).display().to_string(),
                _ => base_spec.clone(),
            };
            let extends_error = |message: String, help: &str| LoadError::Invalid {
                diagnostics: vec![Diagnostic::error(
                    &header.extends_location,
                    "scenario.extends",
                    message,
                    help,
                )],
            };
            chain.push((scenario_identity(spec), file.clone()));
            let base_id = scenario_identity(&base_path);
            if let Some(first) = chain.iter().position(|(id, _)| *id == base_id) {
                let names: Vec<&str> = chain[first..]
                    .iter()
                    .map(|(_, f)| f.as_str())
                    .chain([chain[first].1.as_str()])
                    .collect();
                return Err(extends_error(
                    format!(
                        "the scenarios extend one another in a loop: {}",
                        names.join(" → ")
                    ),
                    "make one of them stand alone (give it a dataset and no `extends`)",
                ));
            }
            let base = match load_scenario_at_depth(&base_path, dataset_override, chain) {
                Err(LoadError::UnknownScenario { name, suggestion }) => {
                    let hint = suggestion
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    return Err(extends_error(
                        format!("no scenario file or embedded scenario named `{name}`{hint}"),
                        "give a path relative to this file, or the name of an embedded scenario",
                    ));
                }
                other => other?,
            };
            (base.dataset, base.warnings, Some(base.scenario))
        }
        None => {
            let dataset_spec = match dataset_override {
                Some(d) => d.to_string(),
                None if header.dataset == EMBEDDED_DATASET => header.dataset.clone(),
                None => match &dir {
                    Some(dir) => dir.join(&header.dataset).display().to_string(),
                    None => header.dataset.clone(),
                },
            };
            let (dataset, warnings) = load_dataset(&dataset_spec)?;
            (dataset, warnings, None)
        }
    };
    // Sources the scenario declares itself join the dataset's, so that its figures can cite them.
    let own_sources = scenario_sources(&file, &text, &dataset)?;
    if !own_sources.is_empty() {
        dataset.sources.extend(own_sources);
        dataset.reindex();
    }
    // Its own nodes, links and changed link figures, applied to its copy of the dataset.
    let changes = overlay::apply(&file, &text, &mut dataset);
    if changes.iter().any(Diagnostic::is_error) {
        return Err(LoadError::Invalid {
            diagnostics: changes,
        });
    }
    warnings.extend(changes);
    let parsed = match &base {
        Some(b) => parse_overlay(&file, &text, &dataset, b),
        None => parse_scenario(&file, &text, &dataset),
    };
    let (mut scenario, more) = finish(parsed)?;
    warnings.extend(more);
    // A calibration named in this file (an inherited one is already loaded and has its year).
    if let Some(named) = scenario
        .calibration
        .as_ref()
        .filter(|c| c.year == 0 && c.premiums.is_empty() && c.reference.is_empty())
        .map(|c| c.file.clone())
    {
        let (cal_file, cal_text) = match &dir {
            Some(dir) => {
                let path = dir.join(&named);
                (path.display().to_string(), read_input(&path)?)
            }
            None => match EMBEDDED_CALIBRATIONS.iter().find(|(n, _)| *n == named) {
                Some((n, t)) => (format!("caspian/scenarios/{n}"), t.to_string()),
                None => {
                    return Err(LoadError::Io {
                        path: PathBuf::from(&named),
                        source: std::io::Error::from(std::io::ErrorKind::NotFound),
                    })
                }
            },
        };
        let (calibration, more) =
            finish(parse_calibration(&named, &cal_file, &cal_text, &dataset))?;
        warnings.extend(more);
        scenario.calibration = Some(calibration);
    }
    Ok(Loaded {
        dataset,
        scenario,
        warnings,
    })
}

/// The `[[sources]]` a scenario file declares itself, checked like a dataset's (no id may repeat one of
/// the dataset's).
fn scenario_sources(
    file: &str,
    text: &str,
    dataset: &Dataset,
) -> Result<Vec<corridor_model::Source>, LoadError> {
    let mut diagnostics = Vec::new();
    let sources = dataset::scenario_sources(file, text, dataset, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(LoadError::Invalid { diagnostics });
    }
    Ok(sources)
}

/// Checks a dataset folder, a scenario file, or an embedded name, and returns every diagnostic found
/// (an empty list means clean). Errors that stop reading altogether (a missing file) are `Err`.
pub fn validate(spec: &str) -> Result<Vec<Diagnostic>, LoadError> {
    validate_on(spec, None)
}

/// [`validate`], with a scenario checked against `dataset_override` instead of the dataset it names (the
/// CLI's `--dataset`).
pub fn validate_on(
    spec: &str,
    dataset_override: Option<&str>,
) -> Result<Vec<Diagnostic>, LoadError> {
    let path = Path::new(spec);
    let is_dataset = spec == EMBEDDED_DATASET || path.is_dir();
    let result = if is_dataset {
        load_dataset(spec).map(|(_, warnings)| warnings)
    } else if path.is_file() || EMBEDDED_SCENARIOS.iter().any(|s| s.0 == spec) {
        load_scenario(spec, dataset_override).map(|loaded| loaded.warnings)
    } else if let (Ok(_), Err(source)) = (std::fs::symlink_metadata(path), std::fs::metadata(path))
    {
        // A link that leads nowhere (or round in a loop): say so, not "unknown input".
        return Err(open_error(path, source));
    } else if std::fs::symlink_metadata(path).is_ok() {
        // Present but neither a folder nor a regular file (a FIFO, a device): `read_input` says why not.
        load_scenario(spec, dataset_override).map(|loaded| loaded.warnings)
    } else if spec.ends_with(".toml") {
        return Err(LoadError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::from_raw_os_error(2),
        });
    } else {
        return Err(LoadError::UnknownInput {
            path: path.to_path_buf(),
        });
    };
    match result {
        Ok(warnings) => Ok(warnings),
        Err(LoadError::Invalid { diagnostics }) => Ok(diagnostics),
        Err(other) => Err(other),
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed, then renamed
/// over the target, so a reader never sees half a file and a failed write leaves the old file intact.
///
/// A symbolic link is followed (the link stays, its target is replaced); an existing file keeps its
/// permissions; a FIFO, terminal or device (`/dev/stdout`, `/dev/null`) is written through, never
/// replaced; a folder is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), std::io::Error> {
    use std::io::Write;
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!("{} is a folder; give a file name", target.display()),
            ));
        }
        if !meta.is_file() {
            let mut special = std::fs::OpenOptions::new().write(true).open(&target)?;
            return special.write_all(bytes).and_then(|()| special.flush());
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Some(meta) = &existing {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
