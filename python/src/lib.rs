//! `corridor._corridor`: the native half of the Python package. It loads datasets and scenarios with
//! `corridor-io`, asks the questions through the same `corridor-analysis` functions as the command line,
//! and hands each result back as the JSON the CLI prints (`--format json`) and, where it has geometry,
//! its GeoJSON; `corridor/__init__.py` turns those into result objects and DataFrames.
//!
//! Every solve runs with the GIL released. Errors become `corridor.CorridorError` (or its subclass
//! `InfeasibleError`) with the CLI's message, `file:line: field: what — fix` lines included, and the
//! diagnostics as a list of dicts in `.diagnostics`.

use corridor_analysis::{self as analysis, AnalysisError, Silent};
use corridor_io::{LoadError, Loaded, DEFAULT_SCENARIO, EMBEDDED_DATASET, EMBEDDED_SCENARIOS};
use corridor_lp::Simplex;
use corridor_model::{Dataset, Diagnostic, Scenario};
use corridor_report as report;
use corridor_report::flows::FlowView;
use corridor_report::geojson::{to_geojson, LinkFilter};
use corridor_report::records;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::Path;
use std::sync::Arc;

create_exception!(
    corridor,
    CorridorError,
    PyException,
    "An input that could not be used or a question that has no answer; the message is the CLI's."
);
create_exception!(
    corridor,
    InfeasibleError,
    CorridorError,
    "The scenario has no answer (contracts that cannot be met, or an unbounded problem)."
);

/// The error as the CLI prints it: the context, then every cause, joined by `: ` (anyhow's `{:#}`).
fn chain(context: &str, error: &dyn std::error::Error) -> String {
    let mut text = format!("{context}: {error}");
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

fn diagnostics_list<'py>(
    py: Python<'py>,
    diagnostics: &[Diagnostic],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for d in diagnostics {
        let item = PyDict::new(py);
        item.set_item("file", &d.location.file)?;
        item.set_item("line", d.location.line)?;
        item.set_item("severity", format!("{:?}", d.severity).to_lowercase())?;
        item.set_item("field", &d.field)?;
        item.set_item("message", &d.message)?;
        item.set_item("help", &d.help)?;
        item.set_item("text", d.to_string())?;
        list.append(item)?;
    }
    Ok(list)
}

fn load_error(py: Python<'_>, context: &str, error: &LoadError) -> PyErr {
    let err = CorridorError::new_err(chain(context, error));
    let diagnostics: &[Diagnostic] = match error {
        LoadError::Invalid { diagnostics } => diagnostics,
        _ => &[],
    };
    if let Ok(list) = diagnostics_list(py, diagnostics) {
        // Setting an attribute on a fresh exception instance cannot fail in practice; the message
        // carries the same lines anyway.
        let _ = err.value(py).setattr("diagnostics", list);
    }
    err
}

fn analysis_error(error: &AnalysisError) -> PyErr {
    let text = error.to_string();
    match error {
        AnalysisError::Infeasible { .. } | AnalysisError::Unbounded { .. } => {
            InfeasibleError::new_err(text)
        }
        _ => CorridorError::new_err(text),
    }
}

fn warnings_list(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// A dataset: the embedded `caspian` or a dataset folder, with the scenarios that run on it.
#[pyclass(name = "_Dataset", module = "corridor._corridor", frozen)]
#[derive(Debug)]
struct PyDataset {
    /// What `corridor --dataset` would be given: the embedded name or the folder.
    spec: String,
    embedded: bool,
    dataset: Arc<Dataset>,
    /// Scenario name → what to load (an embedded name or a file of the folder's `scenarios/`).
    scenarios: Vec<(String, String)>,
    warnings: Vec<String>,
}

impl PyDataset {
    fn load(py: Python<'_>, spec: &str, embedded: bool) -> PyResult<PyDataset> {
        let (dataset, warnings) = py
            .allow_threads(|| corridor_io::load_dataset(spec))
            .map_err(|e| load_error(py, &format!("loading dataset `{spec}`"), &e))?;
        let scenarios = if embedded {
            EMBEDDED_SCENARIOS
                .iter()
                .map(|(name, _)| (name.to_string(), name.to_string()))
                .collect()
        } else {
            folder_scenarios(Path::new(spec))
        };
        Ok(PyDataset {
            spec: spec.to_string(),
            embedded,
            dataset: Arc::new(dataset),
            scenarios,
            warnings: warnings_list(&warnings),
        })
    }
}

/// The `*.toml` scenarios of a dataset folder's `scenarios/` (calibration files left out), by file stem.
fn folder_scenarios(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir.join("scenarios"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let stem = name.strip_suffix(".toml")?;
                    (!stem.ends_with(".calibration"))
                        .then(|| (stem.to_string(), p.display().to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[pymethods]
impl PyDataset {
    /// A dataset compiled into the package (`caspian`).
    #[staticmethod]
    fn embedded(py: Python<'_>, name: &str) -> PyResult<PyDataset> {
        if name != EMBEDDED_DATASET {
            return Err(CorridorError::new_err(format!(
                "no embedded dataset named `{name}` — the embedded dataset is `{EMBEDDED_DATASET}`; open a folder with Dataset.open(path)"
            )));
        }
        PyDataset::load(py, name, true)
    }

    /// A dataset folder (`dataset.toml`, `nodes.csv`, `links.csv`, …).
    #[staticmethod]
    fn open(py: Python<'_>, path: &str) -> PyResult<PyDataset> {
        PyDataset::load(py, path, false)
    }

    #[getter]
    fn id(&self) -> String {
        self.dataset.meta.id.clone()
    }

    #[getter]
    fn name(&self) -> String {
        self.dataset.meta.name.clone()
    }

    #[getter]
    fn default_year(&self) -> i32 {
        self.dataset.meta.default_year
    }

    #[getter]
    fn spec(&self) -> String {
        self.spec.clone()
    }

    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    #[getter]
    fn scenarios(&self) -> Vec<String> {
        self.scenarios
            .iter()
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The scenario run when none is named: `kazakh-crude-2024` where it exists, else the first.
    #[getter]
    fn default_scenario(&self) -> Option<String> {
        self.scenarios
            .iter()
            .find(|(name, _)| name == DEFAULT_SCENARIO)
            .or(self.scenarios.first())
            .map(|(name, _)| name.clone())
    }

    #[getter]
    fn commodities(&self) -> Vec<String> {
        self.dataset
            .commodities
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    #[getter]
    fn countries(&self) -> Vec<String> {
        self.dataset
            .countries
            .iter()
            .map(|c| c.code.to_string())
            .collect()
    }

    /// Loads a scenario on this dataset: one of `scenarios`, an embedded name, or a `.toml` path.
    fn scenario(&self, py: Python<'_>, name: &str) -> PyResult<PyScenario> {
        let spec = self
            .scenarios
            .iter()
            .find(|(n, _)| n == name)
            .map_or(name, |(_, spec)| spec.as_str())
            .to_string();
        let over = if self.embedded {
            None
        } else {
            Some(self.spec.clone())
        };
        let loaded = py
            .allow_threads(|| corridor_io::load_scenario(&spec, over.as_deref()))
            .map_err(|e| load_error(py, &format!("loading scenario `{name}`"), &e))?;
        Ok(PyScenario::from_loaded(loaded))
    }

    /// The network's links (in service in `year`, or all) as a GeoJSON string.
    #[pyo3(signature = (year=None))]
    fn network_geojson(&self, year: Option<i32>) -> String {
        let filter = year.map_or(LinkFilter::All, LinkFilter::InService);
        to_geojson(&self.dataset, None, filter)
    }

    /// `corridor capacity`: returns (JSON, GeoJSON, warnings). With a scenario, beside its other
    /// shippers and under its disruptions, on the scenario's dataset.
    #[pyo3(signature = (commodity, origins, markets, avoid, only_bloc=None, year=None, scenario=None))]
    #[allow(clippy::too_many_arguments)]
    fn capacity(
        &self,
        py: Python<'_>,
        commodity: &str,
        origins: Vec<String>,
        markets: Vec<String>,
        avoid: Vec<String>,
        only_bloc: Option<&str>,
        year: Option<i32>,
        scenario: Option<&PyScenario>,
    ) -> PyResult<(String, String, Vec<String>)> {
        let dataset: &Dataset = match scenario {
            Some(s) => &s.dataset,
            None => &self.dataset,
        };
        let (avoid, warnings) =
            analysis::parse_countries(dataset, avoid.iter().map(String::as_str))
                .map_err(|e| analysis_error(&e))?;
        let spec = analysis::CapacitySpec {
            commodity: analysis::find_commodity(dataset, commodity)
                .map_err(|e| analysis_error(&e))?,
            from: origins,
            to: markets,
            avoid,
            only_bloc: only_bloc
                .map(|b| analysis::find_bloc(dataset, b))
                .transpose()
                .map_err(|e| analysis_error(&e))?,
            year,
        };
        let scenario = scenario.map(|s| &s.scenario);
        let result = py
            .allow_threads(|| {
                let query = analysis::capacity_query(dataset, scenario, &spec)?;
                analysis::capacity(dataset, &query, &Simplex::default())
            })
            .map_err(|e| analysis_error(&e))?;
        let view = FlowView::from_capacity(dataset, &result);
        let geojson = to_geojson(dataset, Some(&view), LinkFilter::InService(result.year));
        let record = records::CapacityRecord::new(dataset, &result);
        Ok((report::to_json(&record), geojson, warnings))
    }
}

/// A scenario with the dataset it runs on.
#[pyclass(name = "_Scenario", module = "corridor._corridor", frozen)]
#[derive(Debug)]
struct PyScenario {
    dataset: Arc<Dataset>,
    scenario: Scenario,
    warnings: Vec<String>,
}

impl PyScenario {
    fn from_loaded(loaded: Loaded) -> PyScenario {
        PyScenario {
            dataset: Arc::new(loaded.dataset),
            scenario: loaded.scenario,
            warnings: warnings_list(&loaded.warnings),
        }
    }
}

fn parse_kinds(elements: &[String]) -> PyResult<analysis::ElementKinds> {
    let mut kinds = analysis::ElementKinds {
        links: false,
        nodes: false,
        countries: false,
        chokepoints: false,
    };
    for e in elements {
        match e.as_str() {
            "links" => kinds.links = true,
            "nodes" => kinds.nodes = true,
            "countries" => kinds.countries = true,
            "chokepoints" => kinds.chokepoints = true,
            other => {
                return Err(CorridorError::new_err(format!(
                    "unknown element kind `{other}` — use links, nodes, countries or chokepoints"
                )))
            }
        }
    }
    Ok(kinds)
}

fn threads(t: Option<usize>) -> PyResult<Option<usize>> {
    match t {
        Some(0) => Err(CorridorError::new_err(
            "threads must be at least 1 (leave it out to use one per core)",
        )),
        other => Ok(other),
    }
}

#[pymethods]
impl PyScenario {
    /// A scenario file on the dataset it names.
    #[staticmethod]
    fn open(py: Python<'_>, path: &str) -> PyResult<PyScenario> {
        let loaded = py
            .allow_threads(|| corridor_io::load_scenario(path, None))
            .map_err(|e| load_error(py, &format!("loading scenario `{path}`"), &e))?;
        Ok(PyScenario::from_loaded(loaded))
    }

    #[getter]
    fn name(&self) -> String {
        self.scenario.name.clone()
    }

    #[getter]
    fn year(&self) -> i32 {
        self.scenario.year
    }

    #[getter]
    fn description(&self) -> String {
        self.scenario.description.trim().to_string()
    }

    #[getter]
    fn dataset_id(&self) -> String {
        self.dataset.meta.id.clone()
    }

    #[getter]
    fn calibrated(&self) -> bool {
        self.scenario.calibration.is_some()
    }

    #[getter]
    fn commodities(&self) -> Vec<String> {
        self.scenario
            .commodities()
            .iter()
            .map(|&c| self.dataset.commodity(c).id.clone())
            .collect()
    }

    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The scenario changed: moved to `year` (growth rules applied), `avoid` added to its policy (never
    /// the origins' own countries), without its calibration. Returns (scenario, warnings).
    #[pyo3(signature = (year=None, avoid=Vec::new(), uncalibrated=false))]
    fn variant(
        &self,
        year: Option<i32>,
        avoid: Vec<String>,
        uncalibrated: bool,
    ) -> PyResult<(PyScenario, Vec<String>)> {
        let mut scenario = match year {
            Some(y) => self.scenario.in_year(y),
            None => self.scenario.clone(),
        };
        if uncalibrated {
            scenario.calibration = None;
        }
        let (avoid, warnings) =
            analysis::parse_countries(&self.dataset, avoid.iter().map(String::as_str))
                .map_err(|e| analysis_error(&e))?;
        analysis::avoid_in_scenario(&self.dataset, &mut scenario, &avoid);
        Ok((
            PyScenario {
                dataset: Arc::clone(&self.dataset),
                scenario,
                warnings: self.warnings.clone(),
            },
            warnings,
        ))
    }

    /// `corridor allocate`: (JSON, GeoJSON).
    fn allocate(&self, py: Python<'_>) -> PyResult<(String, String)> {
        let (dataset, scenario) = (&*self.dataset, &self.scenario);
        let result = py
            .allow_threads(|| analysis::allocate(dataset, scenario, &Simplex::default()))
            .map_err(|e| analysis_error(&e))?;
        let view = FlowView::from_allocation(dataset, scenario, &result);
        let geojson = to_geojson(dataset, Some(&view), LinkFilter::InService(result.year));
        let record = records::AllocationRecord::new(dataset, scenario, &result);
        Ok((report::to_json(&record), geojson))
    }

    /// `corridor contingency`: JSON.
    #[pyo3(signature = (elements, k=1, threads=None))]
    fn contingency(
        &self,
        py: Python<'_>,
        elements: Vec<String>,
        k: usize,
        threads: Option<usize>,
    ) -> PyResult<String> {
        if !(1..=2).contains(&k) {
            return Err(CorridorError::new_err(
                "k must be 1 (each element alone) or 2 (also every pair)",
            ));
        }
        let config = analysis::ContingencyConfig {
            kinds: parse_kinds(&elements)?,
            k,
            threads: self::threads(threads)?,
            only: Vec::new(),
        };
        let (dataset, scenario) = (&*self.dataset, &self.scenario);
        let result = py
            .allow_threads(|| {
                analysis::contingency(dataset, scenario, &Simplex::default(), &config, &Silent)
            })
            .map_err(|e| analysis_error(&e))?;
        Ok(report::to_json(&records::ContingencyResultRecord::new(
            dataset, scenario, &result,
        )))
    }

    /// `corridor risk`: JSON.
    #[pyo3(signature = (samples, seed, threads=None, durations="exponential", timing="periods", tail=0.05))]
    #[allow(clippy::too_many_arguments)]
    fn risk(
        &self,
        py: Python<'_>,
        samples: u64,
        seed: u64,
        threads: Option<usize>,
        durations: &str,
        timing: &str,
        tail: f64,
    ) -> PyResult<String> {
        if samples == 0 {
            return Err(CorridorError::new_err("samples must be at least 1"));
        }
        let config = analysis::RiskConfig {
            samples,
            seed,
            threads: self::threads(threads)?,
            durations: match durations {
                "exponential" => analysis::DurationModel::Exponential,
                "fixed" => analysis::DurationModel::Fixed,
                other => {
                    return Err(CorridorError::new_err(format!(
                        "unknown durations `{other}` — use exponential or fixed"
                    )))
                }
            },
            timing: match timing {
                "periods" => analysis::Timing::Periods,
                "annual" => analysis::Timing::Annual,
                other => {
                    return Err(CorridorError::new_err(format!(
                        "unknown timing `{other}` — use periods or annual"
                    )))
                }
            },
            tail_share: tail,
        };
        let (dataset, scenario) = (&*self.dataset, &self.scenario);
        let result = py
            .allow_threads(|| {
                analysis::risk(dataset, scenario, &Simplex::default(), &config, &Silent)
            })
            .map_err(|e| analysis_error(&e))?;
        Ok(report::to_json(&records::RiskRecord::new(&result)))
    }

    /// `corridor indices`: JSON.
    #[pyo3(signature = (threads=None))]
    fn indices(&self, py: Python<'_>, threads: Option<usize>) -> PyResult<String> {
        let threads = self::threads(threads)?;
        let (dataset, scenario) = (&*self.dataset, &self.scenario);
        let result = py
            .allow_threads(|| {
                analysis::indices(dataset, scenario, &Simplex::default(), threads, &Silent)
            })
            .map_err(|e| analysis_error(&e))?;
        Ok(report::to_json(&records::IndicesRecord::new(
            dataset, scenario, &result,
        )))
    }

    /// `corridor pathway --years FIRST..LAST --avoid …`: (JSON, warnings).
    fn pathway(
        &self,
        py: Python<'_>,
        first_year: i32,
        last_year: i32,
        avoid: Vec<String>,
    ) -> PyResult<(String, Vec<String>)> {
        if !(1800..=2200).contains(&first_year) || !(1800..=2200).contains(&last_year) {
            return Err(CorridorError::new_err(format!(
                "the years {first_year}..{last_year} are outside 1800–2200"
            )));
        }
        if last_year < first_year {
            return Err(CorridorError::new_err(format!(
                "the years {first_year}..{last_year} run backwards"
            )));
        }
        let (dataset, scenario) = (&*self.dataset, &self.scenario);
        let (avoid, warnings) =
            analysis::parse_countries(dataset, avoid.iter().map(String::as_str))
                .map_err(|e| analysis_error(&e))?;
        let config = analysis::PathwayConfig {
            first_year,
            last_year,
            avoid,
        };
        let result = py
            .allow_threads(|| {
                analysis::pathway(dataset, scenario, &Simplex::default(), &config, &Silent)
            })
            .map_err(|e| analysis_error(&e))?;
        let record = records::PathwayRecord::new(dataset, scenario, &result);
        Ok((report::to_json(&record), warnings))
    }
}

/// `corridor compare A B --avoid …`: (JSON, warnings).
#[pyfunction]
fn compare(
    py: Python<'_>,
    a: &PyScenario,
    b: &PyScenario,
    avoid: Vec<String>,
) -> PyResult<(String, Vec<String>)> {
    let Some(dataset) = analysis::comparison_dataset(&a.dataset, &b.dataset) else {
        return Err(CorridorError::new_err(format!(
            "`{}` and `{}` run on different datasets (`{}`, `{}`): compare scenarios of one dataset",
            a.scenario.name, b.scenario.name, a.dataset.meta.id, b.dataset.meta.id
        )));
    };
    let (avoid, warnings) = analysis::parse_countries(dataset, avoid.iter().map(String::as_str))
        .map_err(|e| analysis_error(&e))?;
    let (sa, sb) = (&a.scenario, &b.scenario);
    let json = py
        .allow_threads(|| -> Result<String, AnalysisError> {
            let solver = Simplex::default();
            let alloc_a = analysis::allocate(&a.dataset, sa, &solver)?;
            let alloc_b = analysis::allocate(&b.dataset, sb, &solver)?;
            let comparison = analysis::compare_allocations((sa, &alloc_a), (sb, &alloc_b), 1e-6);
            let bypass =
                analysis::compare_bypass((&a.dataset, sa), (&b.dataset, sb), &avoid, &solver)?;
            Ok(report::to_json(&report::comparison_json(
                dataset,
                (sa, sb),
                &comparison,
                &bypass,
            )))
        })
        .map_err(|e| analysis_error(&e))?;
    Ok((json, warnings))
}

#[pymodule]
fn _corridor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDataset>()?;
    m.add_class::<PyScenario>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add("CorridorError", m.py().get_type::<CorridorError>())?;
    m.add("InfeasibleError", m.py().get_type::<InfeasibleError>())?;
    m.add("EMBEDDED_DATASET", EMBEDDED_DATASET)?;
    m.add("DEFAULT_SCENARIO", DEFAULT_SCENARIO)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
