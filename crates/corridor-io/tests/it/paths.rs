//! The optional `paths.csv`: waypoints of links, with located diagnostics; a folder without it is fine.

use super::render;
use corridor_fixtures::mini::{dataset as mini, DATASET, LINKS, NODES};
use corridor_io::parse_paths;
use corridor_model::Confidence;
use expect_test::expect;

#[test]
fn waypoints_are_ordered_by_seq_and_drawn_between_the_end_nodes() {
    let mut ds = mini();
    let text = "link,seq,lat,lon,sources,confidence,notes\n\
                ferry,2,41.0,50.5,,,\n\
                ferry,1,42.5,50.9,test-source,derived,round the Absheron peninsula\n\
                pipe-north,1,46.0,45.0,,,\n";
    let diags = parse_paths("mini/paths.csv", text, &mut ds);
    assert_eq!(render(&diags), "");
    let ferry = ds.link_id("ferry").expect("ferry");
    let path = ds.link_path(ferry).expect("a path");
    assert_eq!(path.waypoints.len(), 2);
    assert_eq!(path.confidence, Confidence::Derived);
    assert_eq!(path.sources.len(), 1);
    // (lon, lat): Aktau, the two waypoints in seq order, Baku.
    assert_eq!(
        ds.link_geometry(ferry),
        vec![(51.2, 43.6), (50.9, 42.5), (50.5, 41.0), (49.5, 40.0)]
    );
    // A link without waypoints is the straight segment; a path without a confidence is an estimate.
    let sea = ds.link_id("novo-sea").expect("link");
    assert_eq!(ds.link_geometry(sea).len(), 2);
    let pipe = ds.link_id("pipe-north").expect("link");
    assert_eq!(
        ds.link_path(pipe).map(|p| p.confidence),
        Some(Confidence::Estimate)
    );
}

#[test]
fn every_mistake_in_paths_csv_is_located() {
    let mut ds = mini();
    let text = "link,seq,lat,lon,source\n\
                fery,1,42.5,50.9,\n\
                ferry,x,42.5,50.9,\n\
                ferry,1,95,50.9,\n\
                ferry,2,42.5,east,\n\
                ferry,3,42.5,50.9,\n\
                ferry,3,42.0,50.0,\n\
                ferry,4,42.0\n";
    let diags = parse_paths("mini/paths.csv", text, &mut ds);
    expect![[r#"
        mini/paths.csv:1: source: unknown column — did you mean `sources`?
        mini/paths.csv:2: link: unknown link `fery` — did you mean `ferry`?
        mini/paths.csv:3: seq: `x` is not a whole number — number the waypoints of a link 1, 2, 3 … in travel order
        mini/paths.csv:4: lat: lat 95 is outside −90…90 — write WGS 84 degrees (lat and lon swapped?)
        mini/paths.csv:5: lon: `east` is not a number — write decimal degrees such as 40.18
        mini/paths.csv:7: seq: waypoint 3 of link `ferry` appears twice (first at mini/paths.csv:6) — number each waypoint of a link once
        mini/paths.csv:8: row: row has 3 fields but the header has 5 — every row needs one value per column; quote values that contain commas
    "#]]
    .assert_eq(&render(&diags));

    let diags = parse_paths("mini/paths.csv", "link,lat,lon\n", &mut ds);
    expect![[r#"
        mini/paths.csv:1: header: missing column(s): seq — the header must contain: link, seq, lat, lon
    "#]]
    .assert_eq(&render(&diags));

    let diags = parse_paths(
        "mini/paths.csv",
        "link,seq,lat,lon,sources,confidence\nferry,1,42,50,nope,sure\n",
        &mut ds,
    );
    expect![[r#"
        mini/paths.csv:2: sources: unknown source `nope` — declare the source first, or use an existing id
        mini/paths.csv:2: confidence: invalid confidence `sure` — expected one of: reported, derived, estimate
    "#]]
    .assert_eq(&render(&diags));
}

#[test]
fn a_dataset_folder_reads_paths_csv_when_it_has_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in [
        ("dataset.toml", DATASET),
        ("nodes.csv", NODES),
        ("links.csv", LINKS),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let spec = dir.path().display().to_string();
    let (ds, _) = corridor_io::load_dataset(&spec).expect("loads without paths.csv");
    assert!(ds.paths.is_empty());

    std::fs::write(
        dir.path().join("paths.csv"),
        "link,seq,lat,lon\nferry,1,42.5,50.9\n",
    )
    .expect("write");
    let (ds, _) = corridor_io::load_dataset(&spec).expect("loads with paths.csv");
    assert_eq!(ds.paths.len(), 1);

    std::fs::write(
        dir.path().join("paths.csv"),
        "link,seq,lat,lon\nferri,1,42.5,50.9\n",
    )
    .expect("write");
    let diags = corridor_io::validate(&spec).expect("validates");
    assert_eq!(diags.len(), 1);
    assert!(diags[0]
        .to_string()
        .contains("paths.csv:2: link: unknown link `ferri` — did you mean `ferry`?"));
}

#[test]
fn the_embedded_dataset_has_courses_for_the_main_routes() {
    let (ds, warnings) = corridor_io::load_dataset("caspian").expect("loads");
    assert!(warnings.iter().all(|w| !w.is_error()));
    for id in [
        "btc",
        "cpc-tengiz",
        "aktau-baku-tanker",
        "baku-supsa",
        "shanghai-rotterdam-suez",
    ] {
        let link = ds.link_id(id).expect(id);
        let path = ds
            .link_path(link)
            .unwrap_or_else(|| panic!("{id} has a course"));
        assert!(!path.waypoints.is_empty());
        assert_eq!(
            path.confidence,
            Confidence::Estimate,
            "{id}: courses are marked as estimates"
        );
    }
}
