//! `corridor serve`: a local web app over one dataset — pick a scenario, take links, nodes, countries or
//! chokepoints out, set avoid and bloc policies, and watch the allocation and the bypass capacity
//! re-solve live; click a link or a node for its data, flows and sources.
//!
//! [`app`] builds the [`axum::Router`]; [`serve`] serves it on a listener (127.0.0.1 by default) and
//! closes connections that send nothing, trickle or stall ([`ServeConfig`]). The page, its script
//! and its styles are compiled into the binary. Everything the server reads from disk it reads once, in
//! [`AppState::load`]: the dataset folder and the scenario files in its `scenarios/` folder; requests
//! never touch the file system. Bodies are limited to [`BODY_LIMIT`] bytes and id lists to
//! [`solve::MAX_IDS`] entries; every error is JSON (`{"error": {"status", "code", "message"}}`).
//!
//! The JSON API (also listed by `GET /api`):
//!
//! | route | answer |
//! |---|---|
//! | `GET /api/health` | `{"status": "ok"}` |
//! | `GET /api/scenarios` | name, description, year, commodities, bloc policy and the links drawn, per scenario |
//! | `GET /api/dataset` | countries, blocs, chokepoints, nodes and links (ids, names, modes, status, countries) |
//! | `GET /api/links/{id}` | one link in full, with its sources |
//! | `GET /api/map?scenario=NAME` | the map (SVG), each link a `<g data-link="id">` |
//! | `GET /api/network.geojson` | the network as GeoJSON (RFC 7946) |
//! | `POST /api/solve` | see [`solve::SolveRequest`] and [`solve::SolveResponse`] |
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let state = corridor_server::AppState::load(None)?;
//! let router = corridor_server::app(state);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, router).await?;
//! // Or, with the read and idle timeouts of `corridor serve`:
//! # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! # let state = corridor_server::AppState::load(None)?;
//! let config = corridor_server::ServeConfig::default();
//! corridor_server::serve(listener, state, config, std::future::pending()).await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs, unreachable_pub)]

mod api;
pub mod error;
mod listen;
pub mod solve;

pub use error::ApiError;
pub use listen::{serve, ServeConfig, HEADER_READ_TIMEOUT, IDLE_TIMEOUT, REQUEST_TIMEOUT};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use corridor_io::{LoadError, EMBEDDED_DATASET, EMBEDDED_SCENARIOS};
use corridor_model::{Dataset, Diagnostic, Scenario};
use corridor_report::map::{links_for, render_map, Frame, MapSpec};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The largest request body accepted, in bytes (a solve request is well under a kilobyte).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The dataset or a scenario could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The scenario folder holds no scenario file.
    #[error("no scenario to serve: put scenario .toml files in {dir}")]
    NoScenario {
        /// The folder searched.
        dir: std::path::PathBuf,
    },
}

/// What the server serves: one dataset and its scenarios, loaded before the first request.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
    /// Host names the server answers to: localhost and the loopback addresses, plus the bound address.
    hosts: Arc<Vec<String>>,
    /// Solves running at once; beyond [`MAX_CONCURRENT_SOLVES`] a request gets 503 instead of a queue.
    solving: Arc<tokio::sync::Semaphore>,
    /// The LP backend every re-solve uses (`corridor serve --solver`), the built-in simplex by default.
    solver: Arc<dyn corridor_lp::LpSolver + Send + Sync>,
}

/// How many solves may run at once: one per core is what the machine can do; more would only queue.
pub const MAX_CONCURRENT_SOLVES: usize = 8;

#[derive(Debug)]
struct Inner {
    dataset: Dataset,
    scenarios: Vec<Scenario>,
    /// Warnings met while loading, for the caller to show.
    warnings: Vec<Diagnostic>,
    network_geojson: String,
    /// Scenario name → its map, drawn on first request.
    maps: Mutex<HashMap<String, Arc<String>>>,
}

impl AppState {
    /// Loads the embedded dataset and its scenarios (`None`), or a dataset folder and the `*.toml`
    /// scenarios in its `scenarios/` subfolder, plus any embedded scenario that is valid on it.
    pub fn load(dataset: Option<&str>) -> Result<AppState, StartError> {
        let spec = dataset.unwrap_or(EMBEDDED_DATASET);
        let (ds, mut warnings) = corridor_io::load_dataset(spec)?;
        let mut scenarios: Vec<Scenario> = Vec::new();
        let mut add = |loaded: corridor_io::Loaded, warnings: &mut Vec<Diagnostic>| {
            if !scenarios.iter().any(|s| s.name == loaded.scenario.name) {
                warnings.extend(loaded.warnings);
                scenarios.push(loaded.scenario);
            }
        };
        if let Some(dir) = dataset {
            // The folder's own scenarios must load; the embedded ones are offered when they fit it.
            for file in corridor_io::scenario_files(Path::new(dir)) {
                let file = file.display().to_string();
                add(corridor_io::load_scenario(&file, dataset)?, &mut warnings);
            }
            for (name, _) in EMBEDDED_SCENARIOS {
                if let Ok(loaded) = corridor_io::load_scenario(name, dataset) {
                    add(loaded, &mut warnings);
                }
            }
        } else {
            for (name, _) in EMBEDDED_SCENARIOS {
                add(corridor_io::load_scenario(name, None)?, &mut warnings);
            }
        }
        if scenarios.is_empty() {
            return Err(StartError::NoScenario {
                dir: Path::new(spec).join("scenarios"),
            });
        }
        Ok(AppState::new(ds, scenarios, warnings))
    }

    /// A state from a dataset and scenarios already loaded.
    pub fn new(dataset: Dataset, scenarios: Vec<Scenario>, warnings: Vec<Diagnostic>) -> AppState {
        let network_geojson = corridor_report::geojson::to_geojson(
            &dataset,
            None,
            corridor_report::geojson::LinkFilter::All,
        );
        AppState {
            inner: Arc::new(Inner {
                dataset,
                scenarios,
                warnings,
                network_geojson,
                maps: Mutex::new(HashMap::new()),
            }),
            hosts: Arc::new(
                ["localhost", "127.0.0.1", "::1"]
                    .map(str::to_string)
                    .to_vec(),
            ),
            solving: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_SOLVES)),
            solver: Arc::new(corridor_lp::Simplex::default()),
        }
    }

    /// Re-solve with `solver` (the CLI's `--solver` choice) instead of the built-in simplex.
    pub fn with_solver(mut self, solver: Box<dyn corridor_lp::LpSolver + Send + Sync>) -> AppState {
        self.solver = Arc::from(solver);
        self
    }

    /// The LP backend re-solves use.
    pub fn solver(&self) -> &dyn corridor_lp::LpSolver {
        self.solver.as_ref()
    }

    /// A permit to solve now, or `None` when [`MAX_CONCURRENT_SOLVES`] solves are already running.
    pub fn try_solve(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.solving.clone().try_acquire_owned().ok()
    }

    /// Also answer to `host` (the address the server is bound to, e.g. `192.0.2.7`).
    pub fn allow_host(mut self, host: impl Into<String>) -> AppState {
        let mut hosts = self.hosts.as_ref().clone();
        hosts.push(host.into());
        self.hosts = Arc::new(hosts);
        self
    }

    /// The dataset served.
    pub fn dataset(&self) -> &Dataset {
        &self.inner.dataset
    }

    /// The scenarios served, in the order `GET /api/scenarios` lists them.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.inner.scenarios
    }

    /// Warnings met while loading.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.inner.warnings
    }

    fn network_geojson(&self) -> &str {
        &self.inner.network_geojson
    }

    /// The scenario named `name` (the first when `None`).
    pub fn scenario(&self, name: Option<&str>) -> Result<&Scenario, ApiError> {
        let list = &self.inner.scenarios;
        match name {
            None => list
                .first()
                .ok_or_else(|| ApiError::Internal("no scenario loaded".into())),
            Some(n) => list.iter().find(|s| s.name == n).ok_or_else(|| {
                let hint = corridor_model::units::closest(n, list.iter().map(|s| s.name.as_str()))
                    .map(|s| format!(" — did you mean `{s}`?"))
                    .unwrap_or_default();
                ApiError::UnknownId(format!("unknown scenario `{n}`{hint}"))
            }),
        }
    }

    /// The interactive map of a scenario, drawn once and cached.
    pub fn map_svg(&self, scenario: &str) -> Result<Arc<String>, ApiError> {
        if let Some(svg) = self
            .inner
            .maps
            .lock()
            .map_err(|_| ApiError::Internal("map cache poisoned".into()))?
            .get(scenario)
        {
            return Ok(svg.clone());
        }
        let s = self.scenario(Some(scenario))?;
        let ds = self.dataset();
        let svg = Arc::new(render_map(
            ds,
            &MapSpec {
                width: 1000.0,
                frame: Frame::AllLinks,
                links: links_for(ds, s.year, &s.commodities()),
                flows: None,
                interactive: true,
                inset: false,
                title: format!("Network of scenario {}", s.name),
            },
        ));
        self.inner
            .maps
            .lock()
            .map_err(|_| ApiError::Internal("map cache poisoned".into()))?
            .insert(scenario.to_string(), svg.clone());
        Ok(svg)
    }
}

/// Refuses a request whose `Host` is not this server: a page on another site that rebinds its DNS name to
/// 127.0.0.1 still sends its own name. (A request without `Host`, which HTTP/1.1 clients always send, is
/// let through.)
async fn check_host(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(value) = request.headers().get(header::HOST) {
        let text = value.to_str().unwrap_or("");
        let name = host_name(text);
        if !state.hosts.iter().any(|h| h.eq_ignore_ascii_case(name)) {
            return error::ApiError::ForeignHost {
                host: text.to_string(),
                allowed: state.hosts.join(", "),
            }
            .into_response();
        }
    }
    next.run(request).await
}

/// The host part of a `Host` header: `[::1]:8080` → `::1`, `localhost:8080` → `localhost`.
fn host_name(host: &str) -> &str {
    match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    }
}

/// The page's content policy: scripts only from this server (no inline script, no `eval`), so
/// injected markup cannot run code; requests, images and fonts only to and from this server (and
/// `data:` images, for the page's empty favicon); no plugins, no framing, no `<base>`, no form
/// posts. Styles allow `'unsafe-inline'` because the page draws with them: the map's SVG, inserted
/// as markup, carries its own `<style>` element and the share bars are sized by `style` attributes.
/// Inline styles cannot run code.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Security headers on every response: no MIME sniffing, no framing, no referrer, and the
/// [`CONTENT_SECURITY_POLICY`].
pub(crate) async fn harden(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

/// The web app and its API.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(api::index))
        .route("/app.js", get(api::app_js))
        .route("/app.css", get(api::app_css))
        .route("/api", get(api::api_index))
        .route("/api/health", get(api::health))
        .route("/api/scenarios", get(api::scenarios))
        .route("/api/dataset", get(api::dataset))
        .route("/api/links/{id}", get(api::link))
        .route("/api/map", get(api::map))
        .route("/api/network.geojson", get(api::network_geojson))
        .route("/api/solve", post(api::solve_route))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            check_host,
        ))
        .layer(axum::middleware::map_response(harden))
        .with_state(state)
}
