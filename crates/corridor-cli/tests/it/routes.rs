//! Link courses from published routes (Global Energy Monitor) and `import-routes`, end to end.

use super::{corridor, json, stderr, stdout};
use std::path::Path;

#[test]
fn pipelines_follow_gem_courses_and_every_export_credits_them() {
    let network = json(&["network", "--all", "--format", "geojson"]);
    let credits = network["course_credits"].as_array().expect("credits");
    assert!(credits.iter().any(|c| c
        == "Global Energy Monitor, Global Oil Infrastructure Tracker (pipeline routes, March 2024), CC BY 4.0"));
    assert!(network["attribution"]
        .as_str()
        .is_some_and(|a| a.contains("Global Gas Infrastructure Tracker")));
    let features = network["features"].as_array().expect("features");
    let link = |id: &str| {
        features
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let btc = link("btc");
    assert_eq!(btc["properties"]["geometry_confidence"], "published route");
    assert_eq!(
        btc["properties"]["gem_project_id"],
        serde_json::json!(["P0644"])
    );
    let points =
        |f: &serde_json::Value| f["geometry"]["coordinates"].as_array().map_or(0, Vec::len);
    assert!(points(btc) > 100, "{}", points(btc));
    // The CPC injection at Atyrau takes only its part of the CPC course: it starts at Atyrau and its
    // course is shorter than the whole line's from Tengiz.
    let length = |f: &serde_json::Value| -> f64 {
        let c = f["geometry"]["coordinates"]
            .as_array()
            .expect("coordinates");
        let xy =
            |p: &serde_json::Value| (p[0].as_f64().unwrap_or(0.0), p[1].as_f64().unwrap_or(0.0));
        c.windows(2)
            .map(|w| {
                let (a, b) = (xy(&w[0]), xy(&w[1]));
                (a.0 - b.0).hypot(a.1 - b.1)
            })
            .sum()
    };
    let (tengiz, atyrau) = (link("cpc-tengiz"), link("cpc-atyrau"));
    assert!(length(atyrau) < length(tengiz) - 1.0);
    assert_eq!(
        atyrau["geometry"]["coordinates"][0],
        serde_json::json!([51.92, 47.1])
    );
    // A link without a GEM course keeps its paths.csv waypoints.
    assert_eq!(
        link("aktau-baku-tanker")["properties"]["geometry_confidence"],
        "estimate"
    );

    let table = stdout(&corridor(&["network", "--all"]));
    assert!(table.contains("GEM P5211+P5161"), "{table}");
}

#[test]
fn the_report_map_credits_the_courses_it_draws() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.html");
    let o = corridor(&[
        "report",
        "--samples",
        "50",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.contains(r#"class="attribution course-credits""#));
    assert!(html.contains("Pipeline courses: Global Energy Monitor, Global Oil Infrastructure Tracker (pipeline routes, March 2024), CC BY 4.0"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn import_routes_adds_then_replaces_a_links_waypoints() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ds = dir.path().join("ds");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs/_base/ds"),
        &ds,
    );
    let routes = dir.path().join("mine.geojson");
    // Drawn from Novorossiysk to the field: the import turns it round, drops the end nodes and the
    // wiggle of under a kilometre.
    std::fs::write(
        &routes,
        r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"link": "pipe-north"}, "geometry": {"type": "LineString",
 "coordinates": [[37.8, 44.7], [41.0, 45.5], [43.0, 45.754], [45.0, 46.0], [53.4, 46.1]]}}
]}"#,
    )
    .expect("write");
    let args = [
        "import-routes",
        routes.to_str().expect("path"),
        "--dataset",
        ds.to_str().expect("path"),
        "--source",
        "test-source",
    ];
    let o = corridor(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("added `pipe-north`: 2 waypoint(s)\n"),
        "{}",
        stdout(&o)
    );
    let paths = std::fs::read_to_string(ds.join("paths.csv")).expect("paths.csv");
    assert_eq!(
        paths,
        "link,seq,lat,lon,sources,confidence,notes\n\
         pipe-north,1,46,45,test-source,,Course imported by corridor import-routes from mine.geojson (feature 0)\n\
         pipe-north,2,45.5,41,,,\n"
    );
    let o = corridor(&args);
    assert!(
        stdout(&o).starts_with("replaced `pipe-north`: 2 → 2 waypoint(s)\n"),
        "{}",
        stdout(&o)
    );
    let o = corridor(&["validate", ds.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stdout(&o));
    // dataset.toml, nodes.csv, links.csv, scenarios/ and the new paths.csv; no temporary file.
    assert_eq!(std::fs::read_dir(&ds).expect("dir").count(), 5);
}
