//! Reading GeoJSON line features: the optional `routes.geojson` of a dataset folder (published pipeline
//! courses that links name by `gem_project_id`) and the route files `corridor import-routes` turns into
//! `paths.csv` rows.
//!
//! `routes.geojson` is a FeatureCollection of LineString or MultiLineString features, each with the
//! properties `ProjectID` (the id links name) and `source` (a source of dataset.toml: who drew the
//! course, credited on every map that uses it); other properties are kept as published. Features with
//! the same `ProjectID` are pieces of one course.

use crate::resolve::resolve;
use corridor_model::units::closest;
use corridor_model::*;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The file name looked for in a dataset folder.
pub const ROUTES_FILE: &str = "routes.geojson";

/// A route course passing farther than this (km) from a link's end node most likely belongs to
/// another pipeline or the node is misplaced: `validate` warns.
pub const MAX_COURSE_OFFSET_KM: f64 = 50.0;

/// One line feature of a GeoJSON file.
#[derive(Clone, Debug)]
pub(crate) struct LineFeature {
    /// The feature's position in `features` (0-based, as JSON tools count).
    pub index: usize,
    /// The file and the line the feature starts on.
    pub location: Location,
    pub properties: Map<String, Value>,
    /// `(lon, lat)` lines: one for a LineString, one per line of a MultiLineString.
    pub parts: Vec<Vec<(f64, f64)>>,
}

/// The line on which byte `offset` of `text` lies (1-based).
fn line_of(text: &str, offset: usize) -> u32 {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u32
        + 1
}

/// Reads the line features of a GeoJSON FeatureCollection, reporting every feature that is not one
/// (with its index and line) and returning the rest.
pub(crate) fn read_line_features(
    file: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<LineFeature> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top = Location::new(file, 1);
    let collection_help =
        "give a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [...]}";
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::error(
                &Location::new(file, e.line().max(1) as u32),
                "json",
                format!("not valid JSON: {e}"),
                "fix the JSON syntax (a GeoJSON export from QGIS or geojson.io reads)",
            ));
            return Vec::new();
        }
    };
    let Some(object) = value.as_object() else {
        diags.push(Diagnostic::error(
            &top,
            "type",
            "the file is not a JSON object",
            collection_help,
        ));
        return Vec::new();
    };
    match object.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {}
        other => {
            diags.push(Diagnostic::error(
                &top,
                "type",
                match other {
                    Some(t) => format!("`{t}` is not a FeatureCollection"),
                    None => "no `type`".to_string(),
                },
                collection_help,
            ));
            return Vec::new();
        }
    }
    let Some(features) = object.get("features").and_then(Value::as_array) else {
        diags.push(Diagnostic::error(
            &top,
            "features",
            "missing or not a list",
            collection_help,
        ));
        return Vec::new();
    };
    // The same text read again keeping each feature's text, for the line it starts on.
    let starts: Vec<u32> = serde_json::from_str::<HashMap<String, &RawValue>>(text)
        .ok()
        .and_then(|top| top.get("features").copied())
        .and_then(|raw| serde_json::from_str::<Vec<&RawValue>>(raw.get()).ok())
        .map(|raws| {
            raws.iter()
                .map(|r| line_of(text, r.get().as_ptr() as usize - text.as_ptr() as usize))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let location = Location::new(file, starts.get(index).copied().unwrap_or(1));
        let field = |f: &str| format!("features[{index}].{f}");
        let properties = feature
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let Some(geometry) = feature.get("geometry").filter(|g| !g.is_null()) else {
            diags.push(Diagnostic::error(
                &location,
                field("geometry"),
                "no geometry",
                "give the feature a LineString or MultiLineString, or remove it",
            ));
            continue;
        };
        let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
        let coordinates = geometry.get("coordinates");
        let lines: Vec<&Value> = match (kind, coordinates.and_then(Value::as_array)) {
            ("LineString", Some(_)) => coordinates.into_iter().collect(),
            ("MultiLineString", Some(lines)) => lines.iter().collect(),
            ("LineString" | "MultiLineString", None) => {
                diags.push(Diagnostic::error(
                    &location,
                    field("geometry.coordinates"),
                    "missing or not a list",
                    "give the line's positions as [[lon, lat], …]",
                ));
                continue;
            }
            _ => {
                diags.push(Diagnostic::error(
                    &location,
                    field("geometry.type"),
                    format!("`{kind}` is not a line"),
                    "only LineString and MultiLineString features give a course; remove the others",
                ));
                continue;
            }
        };
        let mut parts = Vec::new();
        let mut bad = None;
        for line in lines {
            let positions = line.as_array().map(Vec::as_slice).unwrap_or_default();
            let mut part = Vec::with_capacity(positions.len());
            for p in positions {
                let xy = p.as_array().and_then(|a| match a.as_slice() {
                    [lon, lat, ..] => Some((lon.as_f64()?, lat.as_f64()?)),
                    _ => None,
                });
                match xy {
                    Some((lon, lat)) if lon.abs() <= 180.0 && lat.abs() <= 90.0 => {
                        part.push((lon, lat))
                    }
                    _ => {
                        bad = Some(p.to_string());
                        break;
                    }
                }
            }
            if part.len() < 2 && bad.is_none() {
                bad = Some(line.to_string());
            }
            parts.push(part);
        }
        if let Some(bad) = bad {
            let shown: String = bad.chars().take(40).collect();
            diags.push(Diagnostic::error(
                &location,
                field("geometry.coordinates"),
                format!("`{shown}` is not a line of WGS 84 positions"),
                "give each line at least two positions [lon, lat] with lon in −180…180 and lat in −90…90",
            ));
            continue;
        }
        out.push(LineFeature {
            index,
            location,
            properties,
            parts,
        });
    }
    out
}

/// The string property `name` of a feature, or an error saying it is missing.
pub(crate) fn string_property<'a>(
    feature: &'a LineFeature,
    name: &str,
    help: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a str> {
    match feature.properties.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim()),
        other => {
            diags.push(Diagnostic::error(
                &feature.location,
                format!("features[{}].properties.{name}", feature.index),
                match other {
                    None | Some(Value::Null) => "missing".to_string(),
                    Some(v) => format!("`{v}` is not a non-empty text"),
                },
                help,
            ));
            None
        }
    }
}

/// Parses `text` (the contents of `file`, a routes.geojson) into `dataset.routes`, replacing any there,
/// and checks the courses the links name. Returns every problem found.
pub fn parse_routes(file: &str, text: &str, dataset: &mut Dataset) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let features = read_line_features(file, text, &mut diags);
    let mut routes: Vec<RouteCourse> = Vec::new();
    for feature in &features {
        let id = string_property(
            feature,
            "ProjectID",
            "give the project id that links name in their gem_project_id column, e.g. P0644",
            &mut diags,
        );
        let source = string_property(
            feature,
            "source",
            "name the source of dataset.toml that the course comes from (it is credited on maps)",
            &mut diags,
        )
        .and_then(|s| {
            resolve(
                "source",
                s,
                |id| dataset.source_id(id),
                dataset.sources.iter().map(|s| s.id.as_str()),
                &feature.location,
                &format!("features[{}].properties.source", feature.index),
                &mut diags,
            )
        });
        let (Some(id), Some(source)) = (id, source) else {
            continue;
        };
        let text_of = |k: &str| {
            feature
                .properties
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        let name = match (text_of("PipelineName"), text_of("SegmentName")) {
            (n, "") => n.to_string(),
            (n, s) => format!("{n} ({s})"),
        };
        match routes.iter_mut().find(|r| r.project_id == id) {
            Some(route) if route.source != source => diags.push(Diagnostic::error(
                &feature.location,
                format!("features[{}].properties.source", feature.index),
                format!(
                    "project `{id}` is credited to `{}` at {}",
                    dataset.source(route.source).id,
                    route.location
                ),
                "give every piece of one project the same source",
            )),
            Some(route) => route.parts.extend(feature.parts.iter().cloned()),
            None => routes.push(RouteCourse {
                project_id: id.to_string(),
                name,
                parts: feature.parts.clone(),
                source,
                location: feature.location.clone(),
            }),
        }
    }
    dataset.routes = std::sync::Arc::new(routes);
    diags.sort_by(|a, b| a.location.cmp(&b.location));
    diags
}

/// Checks the route courses that links name: an unknown project is an error (with the closest id),
/// a course that does not join up or passes farther than [`MAX_COURSE_OFFSET_KM`] from an end node a
/// warning. Each is located at the link's row of links.csv.
pub fn check_link_courses(dataset: &Dataset) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for link in dataset.link_ids() {
        let l = dataset.link(link);
        let field = "gem_project_id";
        match dataset.link_course(link) {
            Ok(None) => {}
            Err(CourseProblem::UnknownProject(id)) => {
                let help = match closest(&id, dataset.routes.iter().map(|r| r.project_id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if dataset.routes.is_empty() => format!(
                        "the dataset has no {ROUTES_FILE}: add the project's course there (GEM publishes them at github.com/GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes) or clear the column"
                    ),
                    None => format!("add the project's course to {ROUTES_FILE} or clear the column"),
                };
                diags.push(Diagnostic::error(
                    &l.location,
                    field,
                    format!("unknown GEM project `{id}`"),
                    help,
                ));
            }
            Err(CourseProblem::Disconnected) => diags.push(Diagnostic::warning(
                &l.location,
                field,
                format!(
                    "the courses of {} do not join up between `{}` and `{}` (gaps over {JOIN_KM} km); the link is drawn from paths.csv or straight",
                    l.gem_projects.join(", "),
                    dataset.node(l.from).id,
                    dataset.node(l.to).id
                ),
                "name every project the link runs along, in order",
            )),
            Ok(Some(course)) => {
                for (end, node, km) in [
                    ("from", l.from, course.from_offset_km),
                    ("to", l.to, course.to_offset_km),
                ] {
                    if km > MAX_COURSE_OFFSET_KM {
                        diags.push(Diagnostic::warning(
                            &l.location,
                            field,
                            format!(
                                "the course of {} passes {km:.0} km from the link's {end} node `{}` (more than {MAX_COURSE_OFFSET_KM} km)",
                                l.gem_projects.join(", "),
                                dataset.node(node).id
                            ),
                            "check the project id and the node's position; the map joins the node to the course with a straight line",
                        ));
                    }
                }
            }
        }
    }
    diags
}
