//! The web app's API, driven with `oneshot` requests (no sockets).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use corridor_server::{app, AppState};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tower::ServiceExt;

mod listen;

fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| AppState::load(None).expect("the embedded dataset loads"))
        .clone()
}

async fn send(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app(state()).oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

async fn get(path: &str) -> (StatusCode, Value) {
    let (status, _, body) = send(Request::get(path).body(Body::empty()).expect("request")).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn post(path: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(body.into())
        .expect("request");
    let (status, _, body) = send(request).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn solve(body: Value) -> (StatusCode, Value) {
    post("/api/solve", body.to_string()).await
}

fn bypass_capacity(answer: &Value) -> f64 {
    answer["bypass"][0]["capacity"]["capacity"]
        .as_f64()
        .expect("a bypass capacity")
}

fn error_message(v: &Value) -> String {
    v["error"]["message"].as_str().unwrap_or("").to_string()
}

#[tokio::test]
async fn health_and_index() {
    let (status, v) = get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, json!({"status": "ok"}));
    let (status, headers, body) =
        send(Request::get("/").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/html"));
    assert_security_headers(&headers);
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("<script src=\"/app.js\">"), "{html}");
    for asset in ["/app.js", "/app.css"] {
        let (status, _, body) =
            send(Request::get(asset).body(Body::empty()).expect("request")).await;
        assert_eq!(status, StatusCode::OK, "{asset}");
        assert!(!body.is_empty());
    }
    let (status, v) = get("/api").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["routes"].as_array().is_some_and(|r| r.len() >= 7));
}

/// The page may run only its own script, be framed by no one, and leak no referrer.
fn assert_security_headers(headers: &axum::http::HeaderMap) {
    let csp = headers["content-security-policy"].to_str().unwrap_or("");
    for directive in [
        "default-src 'self'",
        "script-src 'self';",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let requests = [
        Request::get("/api/dataset").body(Body::empty()),
        Request::get("/no/such/route").body(Body::empty()),
        Request::get("/")
            .header("host", "evil.example")
            .body(Body::empty()),
        Request::post("/api/solve")
            .header("content-type", "text/plain")
            .body(Body::from("{}")),
    ];
    for request in requests {
        let (status, headers, _) = send(request.expect("request")).await;
        assert!(status != StatusCode::INTERNAL_SERVER_ERROR);
        assert_security_headers(&headers);
    }
}

#[tokio::test]
async fn scenarios_dataset_and_links() {
    let (status, v) = get("/api/scenarios").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = v
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "kazakh-crude-2024",
            "middle-corridor-2024",
            "caspian-gas-2024",
            "ots-2030",
            "turkmen-gas-tcgp-2030"
        ]
    );
    assert!(v[0]["links"]
        .as_array()
        .is_some_and(|l| l.iter().any(|x| x == "btc")));

    let (status, v) = get("/api/dataset").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["id"], "caspian");
    assert!(v["countries"]
        .as_array()
        .is_some_and(|c| c.iter().any(|x| x["code"] == "AZ")));

    let (status, v) = get("/api/links/btc").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["name"], "Baku-Tbilisi-Ceyhan pipeline");
    assert!(v["sources"]
        .as_array()
        .is_some_and(|s| !s.is_empty() && s[0]["url"].is_string()));
    assert!(v["path"]["waypoints"].as_u64().is_some_and(|n| n > 3));

    let (status, v) = get("/api/links/bct").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    assert!(error_message(&v).contains("did you mean `btc`"), "{v}");
}

#[tokio::test]
async fn map_and_geojson() {
    let (status, headers, body) = send(
        Request::get("/api/map?scenario=kazakh-crude-2024")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("image/svg+xml"));
    let svg = String::from_utf8_lossy(&body);
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains(r#"data-link="btc""#));
    assert!(
        svg.contains(r#"data-country="AZ""#),
        "the Natural Earth basemap is drawn"
    );

    let (status, v) = get("/api/map?scenario=nope").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "unknown_id");

    let (status, v) = get("/api/network.geojson").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["type"], "FeatureCollection");
}

#[tokio::test]
async fn solve_default_matches_corridor_run() {
    let (status, v) = solve(json!({"scenario": "kazakh-crude-2024"})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!((bypass_capacity(&v) - 7.5).abs() < 1e-6, "{}", v["bypass"]);
    assert_eq!(v["bypass_avoid"], json!(["CN", "RU"]));
    assert_eq!(
        v["bypass"][0]["capacity"]["bottleneck"],
        json!(["aktau-oil-berths"])
    );
    let delivered = v["allocation"]["totals"][0]["delivered"]
        .as_f64()
        .expect("delivered");
    assert!((delivered - 68.8).abs() < 1e-6);
    assert_eq!(v["allocation_links"]["btc"]["off"], false);
    assert!(v["bypass_links"]["aktau-baku-tanker"]["bottleneck"]
        .as_bool()
        .unwrap_or(false));
    assert!(v["solve_ms"].as_f64().is_some());
}

#[tokio::test]
async fn taking_the_caspian_tankers_out_cuts_the_bypass() {
    let (_, base) = solve(json!({"scenario": "kazakh-crude-2024"})).await;
    let (status, v) = solve(json!({
        "scenario": "kazakh-crude-2024",
        "off": {"links": ["aktau-baku-tanker"]}
    }))
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(
        bypass_capacity(&v) < bypass_capacity(&base) - 1.0,
        "{}",
        v["bypass"]
    );
    assert_eq!(v["off"]["links"], json!(["aktau-baku-tanker"]));
    assert_eq!(v["allocation_links"]["aktau-baku-tanker"]["off"], true);

    // A whole country out: without Azerbaijan there is no bypass at all.
    let (_, v) = solve(json!({"off": {"countries": ["AZ"]}})).await;
    assert!(bypass_capacity(&v).abs() < 1e-9, "{}", v["bypass"]);
    // Avoiding Russia in the allocation moves crude off CPC (or leaves it unmet): CPC carries nothing.
    let (_, v) = solve(json!({"avoid": ["RU"]})).await;
    assert!(v["allocation_links"]["cpc-tengiz"]["flows"]
        .as_array()
        .is_some_and(|f| f.is_empty()));
    // The bypass may avoid nothing at all: then it is the whole export capacity.
    let (_, v) = solve(json!({"bypass_avoid": []})).await;
    assert!(bypass_capacity(&v) > 60.0);
}

#[tokio::test]
async fn bad_requests_get_clear_json_errors() {
    let (status, v) = solve(json!({"off": {"links": ["aktau-baku-tankr"]}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_message(&v).contains("did you mean `aktau-baku-tanker`"),
        "{v}"
    );

    let (status, v) = solve(json!({"avoid": ["XX"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    let (status, v) = solve(json!({"scenario": "kazakh-crude-2042"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_message(&v).contains("kazakh-crude-2024"), "{v}");

    let (status, v) = post("/api/solve", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "bad_request");

    let (status, v) = solve(json!({"scenario": "kazakh-crude-2024", "colour": "red"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&v).contains("colour"), "{v}");

    let (status, v) = solve(json!({"off": {"links": 3}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

    let many: Vec<String> = (0..5000).map(|i| format!("l{i}")).collect();
    let (status, v) = solve(json!({"off": {"nodes": many}})).await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::PAYLOAD_TOO_LARGE,
        "{status} {v}"
    );

    let huge = format!(
        "{{\"scenario\": \"{}\"}}",
        "x".repeat(corridor_server::BODY_LIMIT + 10)
    );
    let (status, v) = post("/api/solve", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "too_large");

    let (status, v) = get("/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");

    let (status, v) = get("/api/solve").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["error"]["code"], "method_not_allowed");

    let (status, _) = get("/../../etc/passwd").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_dataset_folder_with_its_own_scenarios() {
    // A copy of the embedded dataset in a folder, with one scenario file of its own.
    let dir = tempfile::tempdir().expect("temp dir");
    let files = corridor_io::embedded_files();
    let optional = [files.status_csv, files.observed_csv].into_iter().flatten();
    for (name, text) in [files.dataset_toml, files.nodes_csv, files.links_csv]
        .into_iter()
        .chain(optional)
    {
        let file = name.rsplit('/').next().unwrap_or(&name).to_string();
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    // The courses its links name (gem_project_id) come with it.
    std::fs::write(
        dir.path().join(corridor_io::ROUTES_FILE),
        corridor_io::EMBEDDED_ROUTES,
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("scenarios")).expect("mkdir");
    // The scenario includes its calibration file, which lives beside it.
    for (name, text) in corridor_io::EMBEDDED_CALIBRATIONS {
        std::fs::write(dir.path().join("scenarios").join(name), text).expect("write");
    }
    let text = corridor_io::EMBEDDED_SCENARIOS[0]
        .1
        .replace("name = \"kazakh-crude-2024\"", "name = \"my-crude\"")
        .replace("dataset = \"caspian\"", "dataset = \"..\"");
    std::fs::write(dir.path().join("scenarios/my-crude.toml"), text).expect("write");
    let spec = dir.path().display().to_string();
    let state = AppState::load(Some(&spec)).expect("loads");
    let names: Vec<&str> = state.scenarios().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names[0], "my-crude");
    assert!(names.contains(&"middle-corridor-2024"));
}

#[tokio::test]
async fn a_foreign_host_is_refused_and_localhost_answered() {
    let with_host = |host: &str| {
        Request::get("/api/health")
            .header("host", host)
            .body(Body::empty())
            .expect("request")
    };
    let (status, _, body) = send(with_host("evil.example")).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    let v: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(v["error"]["code"], "foreign_host");
    for host in [
        "localhost:8080",
        "127.0.0.1:8080",
        "[::1]:8080",
        "LOCALHOST",
    ] {
        let (status, _, _) = send(with_host(host)).await;
        assert_eq!(status, StatusCode::OK, "{host}");
    }
    // The address the server is bound to is allowed once the server says so.
    let response = app(state().allow_host("192.0.2.7"))
        .oneshot(with_host("192.0.2.7:8080"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_post_that_is_not_declared_json_is_refused() {
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let request = Request::post("/api/solve")
            .header("content-type", content_type)
            .body(Body::from("{}"))
            .expect("request");
        let (status, _, _) = send(request).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
    }
    let request = Request::post("/api/solve")
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(send(request).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = post("/api/solve", "{}").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn solves_beyond_the_cap_get_503_not_a_queue() {
    let state = AppState::load(None).expect("loads");
    let held: Vec<_> = (0..corridor_server::MAX_CONCURRENT_SOLVES)
        .map(|_| state.try_solve().expect("a slot"))
        .collect();
    let request = || {
        Request::post("/api/solve")
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .expect("request")
    };
    let busy = app(state.clone())
        .oneshot(request())
        .await
        .expect("infallible");
    assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
    drop(held);
    let ok = app(state).oneshot(request()).await.expect("infallible");
    assert_eq!(ok.status(), StatusCode::OK);
}

/// The figures of a kazakh-crude-2024 answer that a bloc policy moves: delivered crude and the
/// transport cost, MUSD/y.
fn delivered_and_cost(answer: &Value) -> (f64, f64) {
    let a = &answer["allocation"];
    (
        a["totals"][0]["delivered"].as_f64().expect("delivered"),
        a["transport_cost_usd"].as_f64().expect("cost") / 1e6,
    )
}

#[tokio::test]
async fn bloc_policies_bind_the_allocation_like_a_scenario_file() {
    let (_, base) = solve(json!({"scenario": "kazakh-crude-2024"})).await;
    assert_eq!(
        base["policy"],
        json!({"avoid_blocs": [], "only_via_bloc": null, "also_via": []})
    );
    // Transit only through the Organization of Turkic States, the EU and Georgia (ots-2030's policy
    // in 2024): Russia is closed, so CPC carries nothing and most crude is stranded. `corridor
    // allocate` on a scenario extending kazakh-crude-2024 with this [policy] delivers 2.910 Mt/y
    // (Kashagan to China 1.41, other fields to the Mediterranean through BTC 1.50).
    let (status, v) = solve(json!({
        "scenario": "kazakh-crude-2024",
        "policy": {"only_via_bloc": "OTS", "also_via": ["EU", "GE"]}
    }))
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v["policy"],
        json!({"avoid_blocs": [], "only_via_bloc": "OTS", "also_via": ["EU", "GE"]})
    );
    let (delivered, _) = delivered_and_cost(&v);
    assert!(
        (delivered - 2.91).abs() < 1e-6,
        "{}",
        v["allocation"]["totals"]
    );
    assert!(v["allocation_links"]["cpc-tengiz"]["flows"]
        .as_array()
        .is_some_and(|f| f.is_empty()));
    // The bypass question is not bound by the allocation's policy: it still avoids only RU and CN.
    assert!((bypass_capacity(&v) - bypass_capacity(&base)).abs() < 1e-9);

    // Avoiding the EU moves crude off EU routes: everything is still delivered, at another cost
    // (`corridor allocate`: 3020.7 MUSD/y against 3022.5).
    let (status, v) = solve(json!({"policy": {"avoid_blocs": ["EU"]}})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (delivered, cost) = delivered_and_cost(&v);
    let (base_delivered, base_cost) = delivered_and_cost(&base);
    assert!((delivered - base_delivered).abs() < 1e-6);
    assert!((cost - 3020.7).abs() < 0.05 && (base_cost - 3022.5).abs() < 0.05);

    // A scenario's own bloc policy is listed, echoed, and replaced by the request's.
    let (_, list) = get("/api/scenarios").await;
    let ots = list
        .as_array()
        .and_then(|l| l.iter().find(|s| s["name"] == "ots-2030"))
        .expect("ots-2030");
    assert_eq!(ots["policy"]["only_via_bloc"], "OTS");
    let (_, own) = solve(json!({"scenario": "ots-2030"})).await;
    assert_eq!(own["policy"], ots["policy"]);
    let (_, lifted) = solve(json!({"scenario": "ots-2030", "policy": {}})).await;
    assert_eq!(lifted["policy"]["only_via_bloc"], Value::Null);
    assert!(delivered_and_cost(&lifted).0 > delivered_and_cost(&own).0 + 1.0);
}

#[tokio::test]
async fn a_chokepoint_out_closes_the_legs_through_it() {
    let (_, base) = solve(json!({"scenario": "kazakh-crude-2024"})).await;
    let (status, v) = solve(json!({
        "scenario": "kazakh-crude-2024",
        "off": {"chokepoints": ["turkish-straits"]}
    }))
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["off"]["chokepoints"], json!(["turkish-straits"]));
    for leg in ["cpc-terminal-tankers", "novorossiysk-tankers"] {
        assert_eq!(v["allocation_links"][leg]["off"], true, "{leg}");
    }
    assert_eq!(v["allocation_links"]["btc"]["off"], false);
    assert!(delivered_and_cost(&v).0 < delivered_and_cost(&base).0 - 1.0);
    let (_, dataset) = get("/api/dataset").await;
    let straits = dataset["chokepoints"]
        .as_array()
        .and_then(|l| l.iter().find(|k| k["id"] == "turkish-straits"))
        .expect("listed");
    assert!(straits["links"]
        .as_array()
        .is_some_and(|l| l.iter().any(|x| x == "cpc-terminal-tankers")));
    assert!(dataset["blocs"]
        .as_array()
        .is_some_and(|b| b.iter().any(|x| x["id"] == "OTS")));
}

#[tokio::test]
async fn bad_policies_and_chokepoints_name_the_field_and_the_valid_ids() {
    let cases = [
        (
            json!({"policy": {"avoid_blocs": ["OTZ"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![
                "`policy.avoid_blocs`",
                "`OTZ`",
                "did you mean `OTS`",
                "EAEU",
            ],
        ),
        (
            json!({"policy": {"only_via_bloc": "eu"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["`policy.only_via_bloc`", "valid: OTS, EU, EAEU"],
        ),
        (
            json!({"policy": {"only_via_bloc": "OTS", "also_via": ["GEO"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![
                "`policy.also_via`",
                "unknown bloc or country `GEO`",
                "a country code",
            ],
        ),
        (
            json!({"policy": {"also_via": ["GE"]}}),
            StatusCode::BAD_REQUEST,
            vec![
                "`policy.also_via`",
                "`policy.only_via_bloc`, which is not set",
            ],
        ),
        (
            json!({"policy": {"only_via": "OTS"}}),
            StatusCode::BAD_REQUEST,
            vec![
                "`policy.only_via`",
                "unknown field `only_via`",
                "only_via_bloc",
            ],
        ),
        (
            json!({"policy": {"avoid_blocs": "EU"}}),
            StatusCode::BAD_REQUEST,
            vec!["`policy.avoid_blocs`", "expected a sequence"],
        ),
        (
            json!({"off": {"chokepoints": ["bosporus"]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["`off.chokepoints`", "turkish-straits", "suez-canal"],
        ),
    ];
    for (body, expected, needles) in cases {
        let (status, v) = solve(body.clone()).await;
        assert_eq!(status, expected, "{body} → {v}");
        let message = error_message(&v);
        for needle in needles {
            assert!(
                message.contains(needle),
                "{body}: `{needle}` not in {message}"
            );
        }
    }
}

/// An LP backend that counts its solves (and solves with the built-in simplex).
#[derive(Debug, Default)]
struct Counting(std::sync::atomic::AtomicUsize);

impl corridor_lp::LpSolver for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }

    fn solve(
        &self,
        p: &corridor_lp::Problem,
    ) -> Result<corridor_lp::Outcome, corridor_lp::LpError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        corridor_lp::Simplex::default().solve(p)
    }
}

/// `corridor serve --solver highs` hands its backend to the state: every re-solve's LP goes through it.
#[tokio::test]
async fn re_solves_use_the_solver_the_server_was_given() {
    let counting = std::sync::Arc::new(Counting::default());
    #[derive(Debug)]
    struct Shared(std::sync::Arc<Counting>);
    impl corridor_lp::LpSolver for Shared {
        fn name(&self) -> &'static str {
            self.0.name()
        }
        fn solve(
            &self,
            p: &corridor_lp::Problem,
        ) -> Result<corridor_lp::Outcome, corridor_lp::LpError> {
            self.0.solve(p)
        }
    }
    let state = state().with_solver(Box::new(Shared(counting.clone())));
    assert_eq!(state.solver().name(), "counting");
    // Gas has a capacity group, so its allocation is an LP.
    let request = Request::post("/api/solve")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"scenario": "caspian-gas-2024"}).to_string(),
        ))
        .expect("request");
    let response = app(state).oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        counting.0.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the given backend solved"
    );
}
