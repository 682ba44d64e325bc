//! `corridor import-routes`: a GeoJSON file of LineStrings or MultiLineStrings whose features name a link
//! of the dataset becomes that link's rows of `paths.csv` — the course between the link's nodes,
//! oriented from → to and simplified to what a regional map shows.

use crate::csv_table::read_records;
use crate::paths::parse_paths;
use crate::resolve::resolve;
use crate::routes::{read_line_features, string_property, MAX_COURSE_OFFSET_KM};
use corridor_model::*;

/// Waypoints closer than this (km) to the line through their neighbours are dropped: finer detail
/// than a map of the region can show, and paths.csv stays readable.
pub const SIMPLIFY_KM: f64 = 2.0;

const PATHS_HEADER: [&str; 7] = [
    "link",
    "seq",
    "lat",
    "lon",
    "sources",
    "confidence",
    "notes",
];

/// What an import changes, for the report and the file.
#[derive(Clone, Debug)]
pub struct RouteImport {
    /// The new `paths.csv` text.
    pub paths_csv: String,
    /// Per imported link, in file order: (link id, waypoints it had before, waypoints now).
    pub links: Vec<(String, usize, usize)>,
    /// Problems that do not stop the import (a course far from a link's node).
    pub warnings: Vec<Diagnostic>,
}

/// Options of an import.
#[derive(Clone, Debug)]
pub struct ImportOptions<'a> {
    /// The feature property that names the link (`link` unless told otherwise).
    pub link_property: &'a str,
    /// The source cited on each imported link's first row, if any.
    pub source: Option<SourceId>,
}

/// Turns the line features of `geojson` (the text of `file`) into `paths.csv` rows for the links they
/// name, replacing those links' rows in `paths` (the current file's text, if the dataset has one) and
/// keeping every other row. Returns every problem when any feature cannot be imported; nothing is
/// half-imported.
pub fn import_routes(
    dataset: &Dataset,
    paths: Option<&str>,
    file: &str,
    geojson: &str,
    options: &ImportOptions<'_>,
) -> Result<RouteImport, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let features = read_line_features(file, geojson, &mut diags);
    // Per link, in the order links first appear: its pieces, and the first feature naming it.
    type Pieces<'t> = Vec<&'t [(f64, f64)]>;
    let mut courses: Vec<(LinkId, Pieces<'_>, Location, usize)> = Vec::new();
    for feature in &features {
        let help = format!(
            "give each feature the id of the link it is the course of as property `{}` (--link-property picks another)",
            options.link_property
        );
        let Some(text) = string_property(feature, options.link_property, &help, &mut diags) else {
            continue;
        };
        let Some(link) = resolve(
            "link",
            text,
            |s| dataset.link_id(s),
            dataset.links.iter().map(|l| l.id.as_str()),
            &feature.location,
            &format!(
                "features[{}].properties.{}",
                feature.index, options.link_property
            ),
            &mut diags,
        ) else {
            continue;
        };
        let parts = feature.parts.iter().map(Vec::as_slice);
        match courses.iter_mut().find(|c| c.0 == link) {
            Some(c) => c.1.extend(parts),
            None => courses.push((
                link,
                parts.collect(),
                feature.location.clone(),
                feature.index,
            )),
        }
    }
    let mut warnings = Vec::new();
    let mut new_rows: Vec<(LinkId, Vec<Vec<String>>)> = Vec::new();
    for (link, parts, location, index) in &courses {
        let l = dataset.link(*link);
        let (from, to) = (dataset.node(l.from), dataset.node(l.to));
        let (from_xy, to_xy) = ((from.lon, from.lat), (to.lon, to.lat));
        let Some(course) = course_between(parts, from_xy, to_xy) else {
            diags.push(Diagnostic::error(
                location,
                format!("features[{index}].geometry"),
                format!(
                    "the lines for link `{}` do not join up between `{}` and `{}` (gaps over {JOIN_KM} km)",
                    l.id, from.id, to.id
                ),
                "join the pieces, or give one LineString from the link's from node to its to node",
            ));
            continue;
        };
        for (end, node, km) in [
            ("from", from, course.from_offset_km),
            ("to", to, course.to_offset_km),
        ] {
            if km > MAX_COURSE_OFFSET_KM {
                warnings.push(Diagnostic::warning(
                    location,
                    format!("features[{index}].geometry"),
                    format!(
                        "the line passes {km:.0} km from link `{}`'s {end} node `{}`",
                        l.id, node.id
                    ),
                    "check that the feature names the right link; the map joins the node with a straight line",
                ));
            }
        }
        let mut waypoints = simplify(&course.points, SIMPLIFY_KM);
        // The end nodes are not repeated in paths.csv.
        waypoints.retain(|&p| distance_km(p, from_xy) > 1.0 && distance_km(p, to_xy) > 1.0);
        let notes = format!(
            "Course imported by corridor import-routes from {} (feature {index})",
            file_name(file)
        );
        let rows = waypoints
            .iter()
            .enumerate()
            .map(|(i, &(lon, lat))| {
                let first = i == 0;
                vec![
                    l.id.clone(),
                    (i + 1).to_string(),
                    format!("{}", round5(lat)),
                    format!("{}", round5(lon)),
                    match (first, options.source) {
                        (true, Some(s)) => dataset.source(s).id.clone(),
                        _ => String::new(),
                    },
                    String::new(),
                    if first { notes.clone() } else { String::new() },
                ]
            })
            .collect();
        new_rows.push((*link, rows));
    }
    // Features in file order, whatever check found the problem.
    diags.sort_by(|a, b| a.location.cmp(&b.location));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    if courses.is_empty() {
        return Err(vec![Diagnostic::error(
            &Location::new(file, 1),
            "features",
            "no line feature to import",
            format!(
                "give LineString features with the link id in property `{}`",
                options.link_property
            ),
        )]);
    }
    let (paths_csv, before) = merge_rows(dataset, paths, &new_rows);
    // What is written must read back: the same rules as every paths.csv.
    let mut check = dataset.clone();
    let problems: Vec<Diagnostic> = parse_paths("paths.csv", &paths_csv, &mut check)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let links = new_rows
        .iter()
        .map(|(link, rows)| {
            let id = dataset.link(*link).id.clone();
            let had = before.iter().filter(|l| **l == id).count();
            (id, had, rows.len())
        })
        .collect();
    warnings.extend(diags);
    Ok(RouteImport {
        paths_csv,
        links,
        warnings,
    })
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

fn file_name(file: &str) -> &str {
    std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// The rows of `paths` with those of the imported links replaced (in the place of their first old
/// row, or at the end for a link that had none); returns the new text and the link of every old row.
fn merge_rows(
    dataset: &Dataset,
    paths: Option<&str>,
    new_rows: &[(LinkId, Vec<Vec<String>>)],
) -> (String, Vec<String>) {
    let text = paths.unwrap_or("").trim_start_matches('\u{feff}');
    let (header, records) = read_records(text);
    let mut header: Vec<String> = header.iter().map(|c| c.trim().to_string()).collect();
    for column in PATHS_HEADER {
        if !header.iter().any(|h| h == column) {
            header.push(column.to_string());
        }
    }
    let position = |name: &str| header.iter().position(|h| h == name);
    let link_col = position("link").unwrap_or(0);
    let imported = |id: &str| {
        new_rows
            .iter()
            .find(|(l, _)| dataset.link(*l).id == id)
            .map(|(_, rows)| rows)
    };
    let in_header_order = |row: &[String]| -> Vec<String> {
        header
            .iter()
            .map(|h| {
                PATHS_HEADER
                    .iter()
                    .position(|c| c == h)
                    .map_or(String::new(), |i| row[i].clone())
            })
            .collect()
    };
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut before = Vec::new();
    let mut written: Vec<String> = Vec::new();
    for mut row in records {
        row.resize(header.len(), String::new());
        let id = row[link_col].trim().to_string();
        match imported(&id) {
            Some(rows) => {
                if !written.contains(&id) {
                    out.extend(rows.iter().map(|r| in_header_order(r)));
                    written.push(id.clone());
                }
                before.push(id);
            }
            None => out.push(row),
        }
    }
    for (link, rows) in new_rows {
        let id = &dataset.link(*link).id;
        if !written.contains(id) {
            out.extend(rows.iter().map(|r| in_header_order(r)));
        }
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = writer.write_record(&header);
    for row in &out {
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    (String::from_utf8(bytes).unwrap_or_default(), before)
}

/// Douglas–Peucker on `(lon, lat)` points with a tolerance in km (distances measured in a local
/// equirectangular plane); keeps both ends.
fn simplify(points: &[(f64, f64)], tolerance_km: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (mut worst, mut at) = (0.0, a);
        for i in a + 1..b {
            let d = offset_km(points[i], points[a], points[b]);
            if d > worst {
                (worst, at) = (d, i);
            }
        }
        if worst > tolerance_km {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Distance (km) from `p` to segment `a`–`b`.
fn offset_km(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let k = ((a.1 + b.1) / 2.0).to_radians().cos();
    let (dx, dy) = ((b.0 - a.0) * k, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * k * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    distance_km(p, (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplification_keeps_the_ends_and_the_bends() {
        let line = [(50.0, 40.0), (50.5, 40.001), (51.0, 40.0), (51.0, 41.0)];
        assert_eq!(
            simplify(&line, SIMPLIFY_KM),
            [(50.0, 40.0), (51.0, 40.0), (51.0, 41.0)]
        );
    }
}
