//! Reading the optional `paths.csv` of a dataset folder: waypoints that give links their course on a map.
//!
//! Columns: `link,seq,lat,lon` (required) and `sources,confidence,notes` (optional). Rows of one link are
//! ordered by `seq`; the end nodes are not repeated. A link without rows is drawn straight. Geometry never
//! changes a figure, so a source is optional, and a missing confidence means `estimate`.

use crate::cite::{parse_confidence, source_ids};
use crate::csv_table::{read_csv, CsvRow};
use crate::resolve::link_named;
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
    let mut drafts: BTreeMap<LinkId, Draft> = BTreeMap::new();
    let ds: &Dataset = dataset;
    read_csv(file, text, &REQUIRED, &OPTIONAL, &mut diags, |r, diags| {
        let n_before = diags.iter().filter(|d| d.is_error()).count();
        let row = read_row(r, ds, diags);
        if diags.iter().filter(|d| d.is_error()).count() > n_before {
            return;
        }
        if let Some(row) = row {
            add_row(&mut drafts, row, r.get("link"), &r.location, diags);
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

/// The waypoints of one link read so far, by `seq`, with what they cite.
struct Draft {
    rows: BTreeMap<u32, (Waypoint, Location)>,
    sources: Vec<SourceId>,
    confidence: Option<Confidence>,
    location: Location,
}

/// One row of `paths.csv`, every cell read.
struct Row {
    link: LinkId,
    seq: u32,
    waypoint: Waypoint,
    sources: Vec<SourceId>,
    confidence: Option<Confidence>,
}

/// Reads the cells of one row; `None` when a required one does not read (its problem reported).
fn read_row(r: &CsvRow<'_>, ds: &Dataset, diags: &mut Vec<Diagnostic>) -> Option<Row> {
    let loc = &r.location;
    let link = match r.get("link") {
        "" => {
            diags.push(Diagnostic::error(
                loc,
                "link",
                "empty",
                "give the id of a link in links.csv",
            ));
            None
        }
        text => link_named(ds, text, loc, "link", diags),
    };
    let seq = match r.get("seq").parse::<u32>() {
        Ok(s) => Some(s),
        Err(_) => {
            diags.push(Diagnostic::error(
                loc,
                "seq",
                format!("`{}` is not a whole number", r.get("seq")),
                "number the waypoints of a link 1, 2, 3 … in travel order",
            ));
            None
        }
    };
    let lat = degrees(r, "lat", 90.0, diags);
    let lon = degrees(r, "lon", 180.0, diags);
    let sources = source_ids(ds, &r.list("sources"), loc, "sources", false, diags);
    let confidence = match r.get("confidence") {
        "" => None,
        text => Some(parse_confidence(
            Some(text.to_string()),
            loc,
            "confidence",
            diags,
        )),
    };
    Some(Row {
        link: link?,
        seq: seq?,
        waypoint: Waypoint {
            lat: lat?,
            lon: lon?,
        },
        sources,
        confidence,
    })
}

/// The coordinate `column` in decimal degrees, within ±`range`.
fn degrees(r: &CsvRow<'_>, column: &str, range: f64, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    let text = r.get(column);
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= range => Some(v),
        Ok(v) => {
            diags.push(Diagnostic::error(
                &r.location,
                column,
                format!("{column} {v} is outside −{range}…{range}"),
                "write WGS 84 degrees (lat and lon swapped?)",
            ));
            None
        }
        Err(_) => {
            diags.push(Diagnostic::error(
                &r.location,
                column,
                format!("`{text}` is not a number"),
                "write decimal degrees such as 40.18",
            ));
            None
        }
    }
}

/// Adds a row's waypoint to its link's draft; a `seq` the link already has is an error.
fn add_row(
    drafts: &mut BTreeMap<LinkId, Draft>,
    row: Row,
    link_text: &str,
    loc: &Location,
    diags: &mut Vec<Diagnostic>,
) {
    let draft = drafts.entry(row.link).or_insert_with(|| Draft {
        rows: BTreeMap::new(),
        sources: Vec::new(),
        confidence: None,
        location: loc.clone(),
    });
    let seq = row.seq;
    if let Some((_, first)) = draft.rows.get(&seq) {
        diags.push(Diagnostic::error(
            loc,
            "seq",
            format!("waypoint {seq} of link `{link_text}` appears twice (first at {first})"),
            "number each waypoint of a link once",
        ));
        return;
    }
    draft.rows.insert(seq, (row.waypoint, loc.clone()));
    for s in row.sources {
        if !draft.sources.contains(&s) {
            draft.sources.push(s);
        }
    }
    // A course is only as sure as its least sure waypoint.
    if let Some(c) = row.confidence {
        draft.confidence = Some(draft.confidence.map_or(c, |d| d.max(c)));
    }
}
