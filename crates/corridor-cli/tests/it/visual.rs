//! `report`, `network`, `--format geojson` and `serve`, end to end.

use super::{corridor, json, stderr, stdout};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

#[test]
fn report_writes_one_self_contained_html_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.html");
    let o = corridor(&[
        "report",
        "--samples",
        "200",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("wrote "), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in [
        "class=\"corridor-map\"",
        "class=\"chart sankey\"",
        "contingency ranking",
        "Risk: unmet crude exports",
        "Pathway 2023–2030: crude",
        "class=\"chart stacked\"",
        "Natural Earth 4.1.0",
        "counter(pages)",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("<script") && !html.contains("<link"));
    // Nothing else is left in the folder (the write is atomic).
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);

    let o = corridor(&["report", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("writes HTML"), "{}", stderr(&o));
}

#[test]
fn geojson_for_the_network_the_allocation_and_a_capacity() {
    let network = json(&["network", "--format", "geojson"]);
    assert_eq!(network["type"], "FeatureCollection");
    assert!(network.get("crs").is_none());
    let features = network["features"].as_array().expect("features");
    let btc = features.iter().find(|f| f["id"] == "btc").expect("btc");
    assert_eq!(btc["geometry"]["type"], "LineString");
    assert_eq!(
        btc["geometry"]["coordinates"][0],
        serde_json::json!([49.47, 40.18])
    );
    // Planned links are left out of a year's network, and kept with --all.
    assert!(!features.iter().any(|f| f["id"] == "kuryk-baku-tanker"));
    let all = json(&["network", "--all", "--format", "geojson"]);
    assert!(all["features"]
        .as_array()
        .is_some_and(|fs| fs.iter().any(|f| f["id"] == "kuryk-baku-tanker")));

    // Least cost on tariffs: Atyrau-Samara is full and a bottleneck.
    let allocation = json(&["allocate", "--uncalibrated", "--format", "geojson"]);
    let samara = allocation["features"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["id"] == "atyrau-samara"))
        .expect("atyrau-samara");
    assert_eq!(samara["properties"]["utilisation"], 1.0);
    assert_eq!(samara["properties"]["bottleneck"], true);

    let capacity = json(&[
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
        "geojson",
    ]);
    let tanker = capacity["features"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["id"] == "aktau-baku-tanker"))
        .expect("tanker");
    assert_eq!(tanker["properties"]["bottleneck"], true);

    let table = corridor(&["network"]);
    assert!(stdout(&table).contains("btc"), "{}", stdout(&table));
    assert!(stdout(&table).contains("waypoints (estimate)"));
}

#[test]
fn geojson_is_a_clear_error_where_there_is_no_geometry() {
    for args in [
        vec!["convert", "2.2", "Mt", "--to", "t", "--format", "geojson"],
        vec!["run", "--format", "geojson"],
        vec!["validate", "--format", "geojson"],
    ] {
        let o = corridor(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).contains("--format geojson works with `network`, `allocate` and `capacity`"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn serve_answers_on_loopback_and_stops() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["serve", "--port", "0", "--no-color"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .map(str::to_string);
    let result = (|| -> Result<String, String> {
        let address = address.ok_or(format!("no address in {line:?}"))?;
        if !address.starts_with("127.0.0.1:") {
            return Err(format!("not on loopback: {address}"));
        }
        let mut stream = std::net::TcpStream::connect(&address).map_err(|e| e.to_string())?;
        stream
            .write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .map_err(|e| e.to_string())?;
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .map_err(|e| e.to_string())?;
        Ok(response)
    })();
    let _ = child.kill();
    let _ = child.wait();
    let response = result.expect("a response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("{\"status\":\"ok\"}"), "{response}");
}

/// `report --compare B` puts the second scenario beside the first: its own map, the links whose flow
/// changes most (with both volumes) and the comparison tables.
#[test]
fn the_report_compares_two_scenarios() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/examples/btc-2.2-floor.toml");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.html");
    let o = corridor(&[
        "report",
        "--compare",
        example.to_str().expect("utf-8"),
        "--no-resilience",
        "--out",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(&out).expect("report");
    assert!(
        page.contains("Compared with `btc-2.2-floor`"),
        "no comparison section"
    );
    assert!(
        page.contains("aktau-baku-tanker: +0.700 Mt/y crude (A 1.500 → B 2.200)"),
        "the KMG-SOCAR volume moves from 1.5 to 2.2 Mt/y"
    );
    // The allocation map, the bypass map and the map of B.
    assert!(
        page.matches("class=\"corridor-map\"").count() >= 3,
        "a map for each scenario"
    );
}

#[test]
fn report_pdf_without_a_browser_says_how_to_get_one_before_any_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("report.pdf");
    let missing = dir.path().join("no-such-chromium");
    let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["report", "--pdf", pdf.to_str().expect("path")])
        .env("CORRIDOR_CHROMIUM", &missing)
        .output()
        .expect("runs");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("CORRIDOR_CHROMIUM") && err.contains("not a file"),
        "{err}"
    );
    // With no browser on PATH either, it names the packages to install.
    let o = Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["report", "--pdf", pdf.to_str().expect("path")])
        .env_remove("CORRIDOR_CHROMIUM")
        .env("PATH", dir.path())
        .output()
        .expect("runs");
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(!pdf.exists(), "nothing half-written");
}
