//! GeoJSON (RFC 7946) of the network and of flow results, for QGIS and any web map.
//!
//! One `FeatureCollection`: every link is a `LineString` along its course (its waypoints, when the
//! dataset has them), every node a `Point`. Coordinates are `[longitude, latitude]` in WGS 84 with six
//! decimals (about 0.1 m); there is no `crs` member (RFC 7946 §4). A `feature_type` property says
//! `link` or `node`, so a GIS can split the collection into two layers.

use crate::flows::FlowView;
use corridor_model::{Dataset, LinkId};
use serde_json::{json, Map, Value};

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn round3(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}

/// A finite number, or JSON null (GeoJSON is JSON: NaN and infinities cannot be written).
fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn link_feature(dataset: &Dataset, link: LinkId, flows: Option<&FlowView>) -> Value {
    let l = dataset.link(link);
    let coordinates: Vec<Value> = dataset
        .link_geometry(link)
        .into_iter()
        .map(|(lon, lat)| json!([num(round6(lon)), num(round6(lat))]))
        .collect();
    let mut p = Map::new();
    p.insert("feature_type".into(), json!("link"));
    p.insert("id".into(), json!(l.id));
    p.insert("name".into(), json!(l.name));
    p.insert("mode".into(), json!(l.mode.as_str()));
    p.insert("direction".into(), json!(l.direction.as_str()));
    p.insert("from".into(), json!(dataset.node(l.from).id));
    p.insert("to".into(), json!(dataset.node(l.to).id));
    p.insert(
        "commodities".into(),
        json!(l
            .carries
            .iter()
            .map(|c| dataset.commodity(c.commodity).id.clone())
            .collect::<Vec<_>>()),
    );
    p.insert("capacity".into(), num(l.capacity));
    p.insert("capacity_unit".into(), json!(l.capacity_unit.to_string()));
    p.insert(
        "capacity_group".into(),
        l.capacity_group
            .map_or(Value::Null, |g| json!(dataset.group(g).id)),
    );
    p.insert("transit_days".into(), num(l.transit_days));
    p.insert(
        "countries".into(),
        json!(dataset
            .link_countries(link)
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()),
    );
    p.insert("status".into(), json!(l.status.as_str()));
    p.insert("start_year".into(), json!(l.start_year));
    p.insert("end_year".into(), json!(l.end_year));
    p.insert("year".into(), json!(l.year));
    p.insert(
        "sources".into(),
        json!(l
            .sources
            .iter()
            .map(|s| dataset.source(*s).id.clone())
            .collect::<Vec<_>>()),
    );
    p.insert("confidence".into(), json!(l.confidence.as_str()));
    match dataset.link_course(link) {
        Ok(Some(course)) => {
            p.insert("geometry_confidence".into(), json!("published route"));
            p.insert("gem_project_id".into(), json!(l.gem_projects));
            p.insert(
                "geometry_sources".into(),
                json!(course
                    .sources
                    .iter()
                    .map(|s| dataset.source(*s).id.clone())
                    .collect::<Vec<_>>()),
            );
        }
        _ => {
            p.insert(
                "geometry_confidence".into(),
                json!(dataset
                    .link_path(link)
                    .map_or("straight line between the nodes", |p| p.confidence.as_str())),
            );
        }
    }
    if let Some(view) = flows {
        let f = view.get(dataset, link).cloned().unwrap_or_default();
        p.insert("flow".into(), num(round3(f.flow_in_capacity_unit)));
        p.insert("flow_unit".into(), json!(l.capacity_unit.to_string()));
        p.insert("utilisation".into(), num(round3(f.utilisation)));
        p.insert(
            "flows".into(),
            Value::Object(
                f.flows
                    .iter()
                    .map(|(c, v, u)| (c.clone(), json!({ "volume": num(round3(*v)), "unit": u })))
                    .collect(),
            ),
        );
        p.insert("bottleneck".into(), json!(f.bottleneck));
    }
    json!({
        "type": "Feature",
        "id": l.id,
        "geometry": { "type": "LineString", "coordinates": coordinates },
        "properties": Value::Object(p),
    })
}

fn node_feature(dataset: &Dataset, node: usize) -> Value {
    let n = &dataset.nodes[node];
    json!({
        "type": "Feature",
        "id": format!("node:{}", n.id),
        "geometry": { "type": "Point", "coordinates": [num(round6(n.lon)), num(round6(n.lat))] },
        "properties": {
            "feature_type": "node",
            "id": n.id,
            "name": n.name,
            "kind": n.kind.as_str(),
            "country": n.country.map(|c| c.to_string()),
            "notes": n.notes,
        },
    })
}

/// Which links a collection holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LinkFilter {
    /// Every link of the dataset, whatever its status.
    #[default]
    All,
    /// Links in service in this year.
    InService(i32),
    /// Links with flow in the view (and the bottlenecks).
    WithFlow,
}

/// The network (and, with `flows`, the flow result on it) as a GeoJSON FeatureCollection value.
pub fn feature_collection(
    dataset: &Dataset,
    flows: Option<&FlowView>,
    filter: LinkFilter,
) -> Value {
    let mut features = Vec::new();
    let mut used_nodes = vec![false; dataset.nodes.len()];
    let mut drawn = Vec::new();
    for link in dataset.link_ids() {
        let l = dataset.link(link);
        let keep = match filter {
            LinkFilter::All => true,
            LinkFilter::InService(year) => l.in_service(year),
            LinkFilter::WithFlow => flows.is_some_and(|f| f.get(dataset, link).is_some()),
        };
        if keep {
            used_nodes[l.from.idx()] = true;
            used_nodes[l.to.idx()] = true;
            features.push(link_feature(dataset, link, flows));
            drawn.push(link);
        }
    }
    for (i, used) in used_nodes.iter().enumerate() {
        if *used || filter == LinkFilter::All {
            features.push(node_feature(dataset, i));
        }
    }
    let mut collection = Map::new();
    collection.insert("type".into(), json!("FeatureCollection"));
    if let Some(title) = flows.map(|f| f.title.clone()) {
        // A foreign member (RFC 7946 §6.1): readers that do not know it ignore it.
        collection.insert("title".into(), json!(title));
    }
    // Foreign members again: the credit that the published route courses' licences (CC BY) require.
    let credits = dataset.course_credits(&drawn);
    if !credits.is_empty() {
        collection.insert("attribution".into(), json!(credits.join(" · ")));
        collection.insert("course_credits".into(), json!(credits));
    }
    collection.insert("features".into(), Value::Array(features));
    Value::Object(collection)
}

/// [`feature_collection`] as pretty JSON text.
pub fn to_geojson(dataset: &Dataset, flows: Option<&FlowView>, filter: LinkFilter) -> String {
    serde_json::to_string_pretty(&feature_collection(dataset, flows, filter))
        .unwrap_or_else(|_| "{\"type\":\"FeatureCollection\",\"features\":[]}".into())
}
