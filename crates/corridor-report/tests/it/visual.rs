//! GeoJSON (checked against RFC 7946 and parsed by the `geojson` crate), the map, the charts and the
//! HTML report, on the embedded Caspian dataset.

use corridor_analysis::{allocate, scenario_bypass, Allocation, Bypass};
use corridor_lp::Simplex;
use corridor_model::{CountryCode, Dataset, Scenario};
use corridor_report::flows::{utilisation_color, FlowView};
use corridor_report::geojson::{feature_collection, to_geojson, LinkFilter};
use corridor_report::html::{report_html, ReportInput};
use corridor_report::map::{links_for, render_map, BBox, Frame, MapSpec, Projection};
use corridor_report::svg::{bin, esc, sankey, SankeyFlow};
use serde_json::Value;
use std::sync::OnceLock;

struct Case {
    dataset: Dataset,
    scenario: Scenario,
    allocation: Allocation,
    bypass: Vec<Bypass>,
}

fn crude() -> &'static Case {
    static CASE: OnceLock<Case> = OnceLock::new();
    CASE.get_or_init(|| {
        let mut loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("loads");
        // Least cost on tariffs: Atyrau-Samara full and binding gives the map a bottleneck to draw.
        loaded.scenario.calibration = None;
        let solver = Simplex::default();
        let allocation = allocate(&loaded.dataset, &loaded.scenario, &solver).expect("allocates");
        let avoid: Vec<CountryCode> = ["RU", "CN"]
            .iter()
            .filter_map(|c| CountryCode::parse(c))
            .collect();
        let bypass = scenario_bypass(&loaded.dataset, &loaded.scenario, &avoid, true, &solver)
            .expect("bypass");
        Case {
            dataset: loaded.dataset,
            scenario: loaded.scenario,
            allocation,
            bypass,
        }
    })
}

/// Checks the RFC 7946 rules a GeoJSON reader relies on, returning every violation.
fn rfc7946_problems(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if v["type"] != "FeatureCollection" {
        out.push("top level is not a FeatureCollection".into());
    }
    if v.get("crs").is_some() {
        out.push("a `crs` member (removed by RFC 7946 §4)".into());
    }
    let Some(features) = v["features"].as_array() else {
        out.push("no `features` array".into());
        return out;
    };
    let position_ok = |p: &Value| -> bool {
        let Some(a) = p.as_array() else { return false };
        a.len() == 2
            && a[0]
                .as_f64()
                .is_some_and(|lon| (-180.0..=180.0).contains(&lon))
            && a[1]
                .as_f64()
                .is_some_and(|lat| (-90.0..=90.0).contains(&lat))
    };
    for (i, f) in features.iter().enumerate() {
        if f["type"] != "Feature" {
            out.push(format!("feature {i}: type is not Feature"));
        }
        if !f["properties"].is_object() {
            out.push(format!("feature {i}: properties is not an object"));
        }
        if !(f["id"].is_string() || f["id"].is_number()) {
            out.push(format!("feature {i}: id is neither a string nor a number"));
        }
        let g = &f["geometry"];
        match g["type"].as_str() {
            Some("LineString") => {
                let coords = g["coordinates"].as_array().cloned().unwrap_or_default();
                if coords.len() < 2 {
                    out.push(format!(
                        "feature {i}: a LineString needs two or more positions"
                    ));
                }
                if !coords.iter().all(position_ok) {
                    out.push(format!(
                        "feature {i}: a position is not [lon, lat] in range"
                    ));
                }
            }
            Some("Point") => {
                if !position_ok(&g["coordinates"]) {
                    out.push(format!("feature {i}: a Point is not [lon, lat] in range"));
                }
            }
            other => out.push(format!("feature {i}: unexpected geometry {other:?}")),
        }
    }
    out
}

fn feature<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["features"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no feature {id}"))
}

#[test]
fn network_geojson_is_valid_rfc7946() {
    let c = crude();
    let text = to_geojson(&c.dataset, None, LinkFilter::All);
    let v: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(rfc7946_problems(&v), Vec::<String>::new());
    let parsed: geojson::GeoJson = text.parse().expect("the geojson crate reads it");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("not a feature collection")
    };
    assert_eq!(
        fc.features.len(),
        c.dataset.links.len() + c.dataset.nodes.len()
    );
    for f in &fc.features {
        let geometry = f.geometry.as_ref().expect("geometry");
        let _: geo_types_check::Any = geo_types_check::from(geometry);
    }
    // Coordinates are [lon, lat]: BTC starts at Sangachal (40.18 N, 49.47 E) and follows its course.
    let btc = feature(&v, "btc");
    let coords = btc["geometry"]["coordinates"]
        .as_array()
        .expect("coordinates");
    assert_eq!(coords[0], serde_json::json!([49.47, 40.18]));
    assert_eq!(coords.last(), Some(&serde_json::json!([35.93, 36.88])));
    assert!(coords.len() > 100, "BTC follows GEM's published course");
    let p = &btc["properties"];
    assert_eq!(p["mode"], "pipeline");
    assert_eq!(p["countries"], serde_json::json!(["AZ", "GE", "TR"]));
    assert!(p["sources"]
        .as_array()
        .is_some_and(|s| s.iter().any(|x| x == "bp-btc")));
    assert_eq!(p["geometry_confidence"], "published route");
    assert_eq!(
        p["geometry_sources"],
        serde_json::json!(["gem-goit-pipeline-routes-2024"])
    );
    assert!(p.get("flow").is_none(), "no flow in a network export");
    // The credit that GEM's licence asks for travels with the export.
    assert!(v["attribution"]
        .as_str()
        .is_some_and(|a| a.contains("Global Energy Monitor")));
}

/// A tiny bridge so the test fails to compile if the `geojson` crate's geometry stops converting.
mod geo_types_check {
    pub struct Any;
    pub fn from(g: &geojson::Geometry) -> Any {
        match &g.value {
            geojson::GeometryValue::LineString { coordinates } => assert!(coordinates.len() >= 2),
            geojson::GeometryValue::Point { coordinates } => assert_eq!(coordinates.len(), 2),
            other => panic!("unexpected geometry {other:?}"),
        }
        Any
    }
}

#[test]
fn allocation_geojson_carries_flows_and_bottlenecks() {
    let c = crude();
    let view = FlowView::from_allocation(&c.dataset, &c.scenario, &c.allocation);
    let v = feature_collection(&c.dataset, Some(&view), LinkFilter::InService(2024));
    assert_eq!(rfc7946_problems(&v), Vec::<String>::new());
    let text = serde_json::to_string(&v).expect("JSON");
    text.parse::<geojson::GeoJson>()
        .expect("the geojson crate reads it");
    // Atyrau–Samara is full and binding; CPC (Tengiz) carries 27.9 Mt/y.
    let samara = &feature(&v, "atyrau-samara")["properties"];
    assert_eq!(samara["utilisation"], 1.0);
    assert_eq!(samara["bottleneck"], true);
    assert_eq!(samara["flow"], 17.5);
    assert_eq!(samara["flow_unit"], "Mt/y");
    let cpc = &feature(&v, "cpc-tengiz")["properties"];
    assert_eq!(cpc["flows"]["crude"]["volume"], 27.9);
    assert_eq!(cpc["bottleneck"], false);
    // Planned links are not in service in 2024.
    assert!(v["features"]
        .as_array()
        .is_some_and(|fs| fs.iter().all(|f| f["id"] != "kuryk-baku-tanker")));
}

#[test]
fn bypass_geojson_marks_the_minimum_cut() {
    let c = crude();
    let view = FlowView::from_capacity(&c.dataset, &c.bypass[0].capacity);
    let v = feature_collection(&c.dataset, Some(&view), LinkFilter::WithFlow);
    assert_eq!(rfc7946_problems(&v), Vec::<String>::new());
    let tanker = &feature(&v, "aktau-baku-tanker")["properties"];
    assert_eq!(
        tanker["bottleneck"], true,
        "the Aktau berths group is the cut"
    );
    assert_eq!(tanker["flows"]["crude"]["volume"], 7.5);
    assert_eq!(tanker["utilisation"], 1.0);
    let btc = &feature(&v, "btc")["properties"];
    assert_eq!(btc["bottleneck"], false);
    assert!(btc["utilisation"]
        .as_f64()
        .is_some_and(|u| u > 0.0 && u < 0.2));
}

#[test]
fn the_map_draws_natural_earth_and_every_link() {
    let c = crude();
    let view = FlowView::from_allocation(&c.dataset, &c.scenario, &c.allocation);
    let links = links_for(&c.dataset, 2024, &c.scenario.commodities());
    let svg = render_map(
        &c.dataset,
        &MapSpec {
            width: 1000.0,
            frame: Frame::AllLinks,
            links: links.clone(),
            flows: Some(&view),
            interactive: false,
            inset: false,
            title: "test".into(),
        },
    );
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    for code in ["KZ", "AZ", "GE", "TR", "RU", "IR"] {
        assert!(
            svg.contains(&format!("data-country=\"{code}\"")),
            "{code} outline"
        );
    }
    for l in &links {
        assert!(svg.contains(&format!("data-link=\"{}\"", c.dataset.link(*l).id)));
    }
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(
        svg.contains("class=\"halo\""),
        "bottlenecks are highlighted"
    );
    assert!(svg.contains("Natural Earth"));
    // Tags balance (a cheap well-formedness check).
    for tag in ["svg", "g", "text", "title", "style"] {
        let open =
            svg.matches(&format!("<{tag}>")).count() + svg.matches(&format!("<{tag} ")).count();
        let close = svg.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}>");
    }
    // The map stays small enough to embed: clipped and simplified.
    assert!(svg.len() < 600_000, "{} bytes", svg.len());
}

#[test]
fn projection_maps_the_frame_to_the_viewbox() {
    let b = BBox {
        lon_min: 20.0,
        lon_max: 80.0,
        lat_min: 30.0,
        lat_max: 55.0,
    };
    let p = Projection::fit(b, 1000.0);
    let (x0, y0) = p.xy(20.0, 55.0);
    let (x1, y1) = p.xy(80.0, 30.0);
    assert!(x0.abs() < 1e-9 && y0.abs() < 1e-9);
    assert!((x1 - 1000.0).abs() < 1e-6);
    assert!((y1 - p.height).abs() < 1.0);
    assert!(p.height > 350.0 && p.height < 950.0);
}

#[test]
fn the_report_is_self_contained() {
    let c = crude();
    let html = report_html(&ReportInput {
        dataset: &c.dataset,
        scenario: &c.scenario,
        allocation: &c.allocation,
        bypass: &c.bypass,
        bypass_avoid: vec!["RU".into(), "CN".into()],
        resilience: Vec::new(),
        generator: "corridor test".into(),
    });
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in [
        "Where the exports go",
        "Bypass capacity of crude",
        "Origins → routes → markets",
        "Transit countries",
        "Leverage over the crude bypass",
        "Sources",
        "class=\"chart sankey\"",
        "class=\"corridor-map\"",
        "@media print",
        "Azerbaijan",
        "7.500",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // Nothing to fetch: no scripts, stylesheets, images, frames or imports from anywhere.
    for banned in [
        "<script", "<link", "<img", "<iframe", "@import", "url(http", "src=\"",
    ] {
        assert!(!html.contains(banned), "found {banned}");
    }
    // The only web addresses are the sources' own links.
    let links = html.matches("href=\"http").count();
    let sources = html.matches("<td><a href=").count();
    assert_eq!(links, sources);
    assert!(sources > 20);
}

#[test]
fn sankey_bands_conserve_volume() {
    let flows = vec![
        SankeyFlow {
            origin: "A".into(),
            route: "r1".into(),
            market: "M".into(),
            volume: 2.0,
        },
        SankeyFlow {
            origin: "B".into(),
            route: "r1".into(),
            market: "N".into(),
            volume: 1.0,
        },
        SankeyFlow {
            origin: "B".into(),
            route: "r2".into(),
            market: "M".into(),
            volume: 3.0,
        },
        SankeyFlow {
            origin: "C".into(),
            route: "r2".into(),
            market: "M".into(),
            volume: f64::NAN,
        },
    ];
    let svg = sankey("t", &flows, "Mt/y");
    // Two stages of bands for the three finite flows; four node columns' worth of rectangles.
    assert_eq!(svg.matches("<path ").count(), 6);
    assert_eq!(svg.matches("<rect ").count(), 2 + 2 + 2);
    assert!(svg.contains("r1: 3.00 Mt/y"));
    assert!(!svg.contains("NaN"));
    assert!(sankey("t", &[], "Mt/y").contains("(no flow)"));
}

#[test]
fn small_helpers() {
    assert_eq!(
        esc("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
    let bins = bin(&[0.0, 1.0, 2.0, 3.0, 4.0, f64::NAN], 2);
    assert_eq!(bins, vec![(0.0, 2.0, 2), (2.0, 4.0, 3)]);
    assert_eq!(bin(&[], 4), vec![]);
    assert_eq!(bin(&[5.0, 5.0], 4), vec![(5.0, 5.0, 2)]);
    assert_eq!(utilisation_color(1.0), "#cb181d");
    assert_eq!(utilisation_color(f64::NAN), utilisation_color(0.0));
}

/// A gas map's legend speaks bcm/y, not tonnes.
#[test]
fn a_gas_legend_is_in_bcm() {
    let mut view = FlowView::default();
    view.links.insert(
        "cac-china-ab".into(),
        corridor_report::flows::LinkFlow {
            flows: vec![("gas".into(), 30.0, "bcm/y".into())],
            utilisation: 1.0,
            flow_in_capacity_unit: 30.0,
            weight_t_per_y: 30e9,
            bottleneck: false,
        },
    );
    assert_eq!(view.widest_label(), "30.00 bcm/y");
}

/// The risk histogram marks its percentiles and has readable count ticks.
#[test]
fn the_risk_histogram_marks_percentiles() {
    let bins = corridor_report::svg::bin(&[1.0, 2.0, 2.5, 3.0, 8.0, 12.0], 6);
    let markers = [
        ("P50".to_string(), 2.5),
        ("P99".to_string(), 11.5),
        ("P10".to_string(), -1.0),
    ];
    let svg = corridor_report::svg::histogram("t", &bins, "unmet", "#000", &markers);
    assert_eq!(
        svg.matches("class=\"marker\"").count(),
        2,
        "the marker outside the range is left out"
    );
    assert!(svg.contains(">P50 ") && svg.contains(">P99 "));
    assert!(svg.contains(">0</text>"), "a tick at zero");
}

#[test]
fn the_default_report_s_first_map_labels_aktau_baku_and_ceyhan_and_no_labels_overlap() {
    // The default report's first map: the calibrated allocation of kazakh-crude-2024, framed on it.
    let loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("loads");
    let allocation =
        allocate(&loaded.dataset, &loaded.scenario, &Simplex::default()).expect("allocates");
    let view = FlowView::from_allocation(&loaded.dataset, &loaded.scenario, &allocation);
    let links = links_for(&loaded.dataset, 2024, &loaded.scenario.commodities());
    let (svg, boxes) = corridor_report::map::render_map_with_labels(
        &loaded.dataset,
        &MapSpec::answer(links, &view),
    );
    for place in ["Aktau", "Baku", "Ceyhan", "Novorossiysk", "Tengiz"] {
        assert!(
            svg.contains(&format!(">{place}</text>")),
            "{place} is labelled"
        );
    }
    assert!(
        !svg.contains(">Sangachal terminal<"),
        "Baku by its common name"
    );
    assert!(boxes.len() >= 10, "{} labels", boxes.len());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(!a.overlaps(b), "labels overlap: {a:?} {b:?}");
        }
    }
    // The frame fits the answer: the unused Baltic outlet (Ust-Luga, 28.4 E 59.7 N) is off the map's
    // top, so its node is not drawn.
    assert!(!svg.contains(r#"data-node="ust-luga" cx"#) || !svg.contains(">Ust-Luga<"));
    assert!(svg.contains("Natural Earth"));
}

#[test]
fn the_bypass_map_is_framed_on_the_bypass_with_a_locator_inset() {
    let c = crude();
    let view = FlowView::from_capacity(&c.dataset, &c.bypass[0].capacity);
    let links = links_for(&c.dataset, 2024, &c.scenario.commodities());
    let spec = MapSpec::answer(links, &view);
    let frame = corridor_report::map::frame(&c.dataset, &spec);
    // Aktau to the Mediterranean: nothing east of the Caspian's far shore, nothing in Germany.
    assert!(frame.lon_max < 60.0 && frame.lon_min > 15.0, "{frame:?}");
    let svg = render_map(&c.dataset, &spec);
    assert!(svg.contains(r#"class="inset""#), "a locator inset");
    assert!(
        svg.contains(r#"data-chokepoint="turkish-straits""#),
        "the Straits are marked"
    );
}

#[test]
fn the_pathway_chart_stacks_routes_per_year_under_the_bypass_line_and_marks_new_links() {
    let loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("loads");
    let avoid: Vec<CountryCode> = ["RU", "CN"]
        .iter()
        .filter_map(|c| CountryCode::parse(c))
        .collect();
    let config = corridor_analysis::PathwayConfig {
        first_year: 2023,
        last_year: 2030,
        avoid,
    };
    let result = corridor_analysis::pathway(
        &loaded.dataset,
        &loaded.scenario,
        &Simplex::default(),
        &config,
        &corridor_analysis::Silent,
    )
    .expect("pathway");
    let sections = corridor_report::html::pathway_sections(&loaded.dataset, &result);
    assert_eq!(sections.len(), 1, "one commodity");
    let svg = &sections[0].svg;
    for year in 2023..=2030 {
        assert!(
            svg.contains(&format!(">{year}</text>")),
            "{year} on the axis"
        );
    }
    assert!(svg.contains("polyline class=\"line\""), "the bypass line");
    assert!(svg.contains("CPC pipeline"), "a band per route");
    // Every year's columns add up to what the allocation delivered (within rounding).
    let delivered_2024: f64 = result.years[1].routes.iter().map(|r| r.volume).sum();
    assert!((delivered_2024 - 68.8e6).abs() < 1e4, "{delivered_2024} t");
    // A link entering service in the window is marked (the 2025 tanker capacity step or another).
    assert!(svg.contains("class=\"milestone\""), "commissioning marked");
    assert!(
        sections[0].intro.starts_with("Read:"),
        "a caption saying what to read"
    );
}
