//! Reading the optional `paths.csv` of a dataset folder: waypoints that give links their course on a map.
//!
//! Columns: `link,seq,lat,lon` (required) and `sources,confidence,notes` (optional). Rows of one link are
//! ordered by `seq`; the end nodes are not repeated. A link without rows is drawn straight. Geometry never
//! changes a figure, so a source is optional, and a missing confidence means `estimate`.

use crate::csv_table::read_csv;
use crate::resolve::resolve;
use corridor_model::*;
use std::collections::BTreeMap;

/// The file name looked for in a dataset folder.
pub const PATHS_FILE: &str = "paths.csv";

const REQUIRED: [&str; 4] = ["link", "seq", "lat", "lon"];
const OPTIONAL: [&str; 3] = ["sources", "confidence", "notes"];

/// Parses `text` (the contents of `file`) and stores the waypoints in `dataset.paths`, replacing any
/// already there. Returns every problem found, located by line; the paths are stored only for rows
/// without errors.
pub fn parse_paths(file: &str, text: &str, dataset: &mut Dataset) -> Vec<Diagnostic> {
    let mut diags = Vec::new();

    struct Draft {
        rows: BTreeMap<u32, (Waypoint, Location)>,
        sources: Vec<SourceId>,
        confidence: Option<Confidence>,
        location: Location,
    }
    let mut drafts: BTreeMap<LinkId, Draft> = BTreeMap::new();
    let ds: &Dataset = dataset;
    read_csv(file, text, &REQUIRED, &OPTIONAL, &mut diags, |r, diags| {
        let loc = r.location.clone();
        let get = |c: &str| r.get(c);
        let n_before = diags.iter().filter(|d| d.is_error()).count();

        let link_text = get("link");
        let link = if link_text.is_empty() {
            diags.push(Diagnostic::error(
                &loc,
                "link",
                "empty",
                "give the id of a link in links.csv",
            ));
            None
        } else {
            resolve(
                "link",
                link_text,
                |s| ds.link_id(s),
                ds.links.iter().map(|l| l.id.as_str()),
                &loc,
                "link",
                diags,
            )
        };
        let seq = match get("seq").parse::<u32>() {
            Ok(s) => Some(s),
            Err(_) => {
                diags.push(Diagnostic::error(
                    &loc,
                    "seq",
                    format!("`{}` is not a whole number", get("seq")),
                    "number the waypoints of a link 1, 2, 3 … in travel order",
                ));
                None
            }
        };
        let number = |column: &str, range: f64, diags: &mut Vec<Diagnostic>| -> Option<f64> {
            let text = get(column);
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() <= range => Some(v),
                Ok(v) => {
                    diags.push(Diagnostic::error(
                        &loc,
                        column,
                        format!("{column} {v} is outside −{range}…{range}"),
                        "write WGS 84 degrees (lat and lon swapped?)",
                    ));
                    None
                }
                Err(_) => {
                    diags.push(Diagnostic::error(
                        &loc,
                        column,
                        format!("`{text}` is not a number"),
                        "write decimal degrees such as 40.18",
                    ));
                    None
                }
            }
        };
        let lat = number("lat", 90.0, diags);
        let lon = number("lon", 180.0, diags);
        let sources: Vec<SourceId> = get("sources")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| {
                resolve(
                    "source",
                    s,
                    |id| ds.source_id(id),
                    ds.sources.iter().map(|s| s.id.as_str()),
                    &loc,
                    "sources",
                    diags,
                )
            })
            .collect();
        let confidence = match get("confidence") {
            "" => None,
            text => match text.parse::<Confidence>() {
                Ok(c) => Some(c),
                Err(e) => {
                    diags.push(Diagnostic::error(
                        &loc,
                        "confidence",
                        format!("invalid confidence `{text}`"),
                        e,
                    ));
                    None
                }
            },
        };
        if diags.iter().filter(|d| d.is_error()).count() > n_before {
            return;
        }
        let (Some(link), Some(seq), Some(lat), Some(lon)) = (link, seq, lat, lon) else {
            return;
        };
        let draft = drafts.entry(link).or_insert_with(|| Draft {
            rows: BTreeMap::new(),
            sources: Vec::new(),
            confidence: None,
            location: loc.clone(),
        });
        if let Some((_, first)) = draft.rows.get(&seq) {
            diags.push(Diagnostic::error(
                &loc,
                "seq",
                format!("waypoint {seq} of link `{link_text}` appears twice (first at {first})"),
                "number each waypoint of a link once",
            ));
            return;
        }
        draft.rows.insert(seq, (Waypoint { lat, lon }, loc.clone()));
        for s in sources {
            if !draft.sources.contains(&s) {
                draft.sources.push(s);
            }
        }
        // A course is only as sure as its least sure waypoint.
        if let Some(c) = confidence {
            draft.confidence = Some(draft.confidence.map_or(c, |d| d.max(c)));
        }
    });
    dataset.paths = drafts
        .into_iter()
        .map(|(link, d)| LinkPath {
            link,
            waypoints: d.rows.into_values().map(|(w, _)| w).collect(),
            sources: d.sources,
            confidence: d.confidence.unwrap_or(Confidence::Estimate),
            location: d.location,
        })
        .collect();
    diags
}
