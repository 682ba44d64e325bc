//! The optional `routes.geojson` and the `gem_project_id` column: links take the part of a published
//! course between their nodes, and every mistake is located.

use super::render;
use corridor_fixtures::mini::{files, DATASET, LINKS, NODES};
use corridor_io::{check_link_courses, parse_dataset, parse_routes};
use corridor_model::Dataset;
use expect_test::expect;

/// The mini dataset with `gem_project_id` set for the links named in `ids`.
fn mini_with(ids: &[(&str, &str)]) -> (Option<Dataset>, String) {
    let mut lines = LINKS.lines();
    let mut links = format!("{},gem_project_id\n", lines.next().unwrap_or_default());
    for line in lines {
        let id = line.split(',').next().unwrap_or_default();
        let value = ids.iter().find(|(l, _)| *l == id).map_or("", |(_, v)| v);
        links.push_str(&format!("{line},{value}\n"));
    }
    let (dataset, diags) = parse_dataset(&files(DATASET, NODES, &links));
    (dataset, render(&diags))
}

/// One course from the field (53.4 E, 46.1 N) west to Novorossiysk (37.8 E, 44.7 N), drawn in two
/// pieces the wrong way round, as published files often are.
const ROUTES: &str = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"ProjectID": "P0001", "PipelineName": "North", "source": "test-source"},
 "geometry": {"type": "LineString", "coordinates": [[45.0, 46.0], [53.4, 46.15]]}},
{"type": "Feature", "properties": {"ProjectID": "P0001", "source": "test-source"},
 "geometry": {"type": "MultiLineString", "coordinates": [[[37.75, 44.7], [41.0, 45.5], [45.0, 46.0]]]}}
]}
"#;

#[test]
fn a_link_is_drawn_along_the_part_of_its_course_between_its_nodes() {
    let (dataset, diags) = mini_with(&[("pipe-north", "P0001")]);
    assert_eq!(diags, "");
    let mut ds = dataset.expect("loads");
    assert_eq!(
        render(&parse_routes("mini/routes.geojson", ROUTES, &mut ds)),
        ""
    );
    assert_eq!(render(&check_link_courses(&ds)), "");
    let north = ds.link_id("pipe-north").expect("link");
    // Field, where it projects onto the course, the vertices westward, where Novorossiysk projects
    // (the course's own end, 37.75 E, lies beyond the link and is cut off), Novorossiysk.
    let rounded: Vec<(f64, f64)> = ds
        .link_geometry(north)
        .iter()
        .map(|&(x, y)| ((x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0))
        .collect();
    assert_eq!(
        rounded,
        [
            (53.4, 46.1),
            (53.4, 46.15),
            (45.0, 46.0),
            (41.0, 45.5),
            (37.79, 44.71),
            (37.8, 44.7)
        ]
    );
    expect![[r#"
        [
            "corridor tests, Figures invented for tests",
        ]
    "#]]
    .assert_debug_eq(&ds.course_credits(&ds.link_ids().collect::<Vec<_>>()));
    // Links without a course keep their straight line and add no credit.
    let sea = ds.link_id("novo-sea").expect("link");
    assert_eq!(ds.link_geometry(sea).len(), 2);
    assert!(ds.course_credits(&[sea]).is_empty());
}

#[test]
fn unknown_or_distant_courses_are_reported_at_the_links_row() {
    let (dataset, diags) = mini_with(&[
        ("pipe-north", "P0010"),
        ("novo-sea", "X12;P0001;P0001"),
        ("ferry", "P0001"),
    ]);
    expect![[r#"
        mini/links.csv:3: gem_project_id: `X12` is not a GEM project id — write Global Energy Monitor's ProjectID, such as P0644 (several separated by `;`), or leave the cell empty
        mini/links.csv:3: gem_project_id: project `P0001` is named twice — name each project once
    "#]]
    .assert_eq(&diags);
    assert!(dataset.is_none());
    let (dataset, _) = mini_with(&[("pipe-north", "P0010"), ("ferry", "P0001")]);
    let mut ds = dataset.expect("loads");
    expect![[r#"
        mini/links.csv:2: gem_project_id: unknown GEM project `P0010` — the dataset has no routes.geojson: add the project's course there (GEM publishes them at github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes) or clear the column
        mini/links.csv:5: gem_project_id: unknown GEM project `P0001` — the dataset has no routes.geojson: add the project's course there (GEM publishes them at github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes) or clear the column
    "#]].assert_eq(&render(&check_link_courses(&ds)));
    assert_eq!(
        render(&parse_routes("mini/routes.geojson", ROUTES, &mut ds)),
        ""
    );
    expect![[r#"
        mini/links.csv:2: gem_project_id: unknown GEM project `P0010` — did you mean `P0001`?
        mini/links.csv:5: warning: gem_project_id: the course of P0001 passes 279 km from the link's from node `aktau` (more than 50 km) — check the project id and the node's position; the map joins the node to the course with a straight line
        mini/links.csv:5: warning: gem_project_id: the course of P0001 passes 676 km from the link's to node `baku` (more than 50 km) — check the project id and the node's position; the map joins the node to the course with a straight line
    "#]]
    .assert_eq(&render(&check_link_courses(&ds)));
}

#[test]
fn every_mistake_in_a_routes_file_is_located() {
    let (dataset, _) = mini_with(&[]);
    let mut ds = dataset.expect("loads");
    let check = |text: &str, ds: &mut Dataset| render(&parse_routes("r.geojson", text, ds));
    expect![[r#"
        r.geojson:2: json: not valid JSON: expected `,` or `]` at line 2 column 3 — fix the JSON syntax (a GeoJSON export from QGIS or geojson.io reads)
    "#]]
    .assert_eq(&check("{\"type\": \"FeatureCollection\", \"features\": [1\n  2]}", &mut ds));
    expect![[r#"
        r.geojson:1: type: `Feature` is not a FeatureCollection — give a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}
    "#]]
    .assert_eq(&check("{\"type\": \"Feature\"}", &mut ds));
    let text = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"ProjectID": "P1", "source": "test-sourc"},
 "geometry": {"type": "LineString", "coordinates": [[45.0, 46.0], [53.4, 46.15]]}},
{"type": "Feature", "properties": {"source": "test-source"},
 "geometry": {"type": "LineString", "coordinates": [[45.0, 46.0], [53.4, 46.15]]}},
{"type": "Feature", "properties": {"ProjectID": "P2", "source": "test-source"},
 "geometry": {"type": "Point", "coordinates": [45.0, 46.0]}},
{"type": "Feature", "properties": {"ProjectID": "P3", "source": "test-source"},
 "geometry": {"type": "LineString", "coordinates": [[45.0, 46.0], [253.4, 46.15]]}},
{"type": "Feature", "properties": {"ProjectID": "P4"}, "geometry": null}
]}"#;
    expect![[r#"
        r.geojson:2: features[0].properties.source: unknown source `test-sourc` — did you mean `test-source`?
        r.geojson:4: features[1].properties.ProjectID: missing — give the project id that links name in their gem_project_id column, e.g. P0644
        r.geojson:6: features[2].geometry.type: `Point` is not a line — only LineString and MultiLineString features give a course; remove the others
        r.geojson:8: features[3].geometry.coordinates: `[253.4,46.15]` is not a line of WGS 84 positions — give each line at least two positions [lon, lat] with lon in −180…180 and lat in −90…90
        r.geojson:10: features[4].geometry: no geometry — give the feature a LineString or MultiLineString, or remove it
    "#]]
    .assert_eq(&check(text, &mut ds));
    assert!(ds.routes.is_empty());
}
