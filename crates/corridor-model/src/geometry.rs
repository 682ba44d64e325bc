//! Where links run on the map: optional waypoints between a link's end nodes, so that a pipeline or a sea
//! leg is not drawn as a straight line, and published pipeline courses (routes files) that links run along.
//! Geometry is for display and export only; no analysis reads it.

use crate::dataset::{Confidence, Dataset};
use crate::diagnostic::Location;
use crate::ids::{LinkId, SourceId};

/// One waypoint, WGS 84 degrees.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Waypoint {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

/// The waypoints of one link, in order from its `from` node to its `to` node (the end nodes themselves
/// are not repeated).
#[derive(Clone, Debug, serde::Serialize)]
pub struct LinkPath {
    /// The link the waypoints shape.
    pub link: LinkId,
    /// The points between the end nodes, in order.
    pub waypoints: Vec<Waypoint>,
    /// Sources for the route's course (may be empty: geometry does not change any figure).
    pub sources: Vec<SourceId>,
    /// `estimate` unless the course was traced from a cited map.
    pub confidence: Confidence,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

impl Dataset {
    /// The waypoints declared for `link`, if any.
    pub fn link_path(&self, link: LinkId) -> Option<&LinkPath> {
        self.paths.iter().find(|p| p.link == link)
    }

    /// The route course of a project id, if the dataset has one.
    pub fn route(&self, project_id: &str) -> Option<&RouteCourse> {
        self.routes.iter().find(|r| r.project_id == project_id)
    }

    /// The part of the route courses named by `link` (`gem_project_id`) that runs between its nodes;
    /// `Ok(None)` when the link names none. The projects' lines are taken together, so a link may name
    /// the consecutive pipelines it runs along.
    pub fn link_course(&self, link: LinkId) -> Result<Option<LinkCourse>, CourseProblem> {
        let l = self.link(link);
        if l.gem_projects.is_empty() {
            return Ok(None);
        }
        let mut parts: Vec<&[(f64, f64)]> = Vec::new();
        let mut sources = Vec::new();
        for id in &l.gem_projects {
            let route = self
                .route(id)
                .ok_or_else(|| CourseProblem::UnknownProject(id.clone()))?;
            parts.extend(route.parts.iter().map(Vec::as_slice));
            if !sources.contains(&route.source) {
                sources.push(route.source);
            }
        }
        let (from, to) = (self.node(l.from), self.node(l.to));
        let course = course_between(&parts, (from.lon, from.lat), (to.lon, to.lat))
            .ok_or(CourseProblem::Disconnected)?;
        Ok(Some(LinkCourse { sources, ..course }))
    }

    /// The course of a link as `(lon, lat)` pairs (the GeoJSON order), from its `from` node to its `to`
    /// node: along its route course when it names one (`gem_project_id`), else through its `paths.csv`
    /// waypoints, else the straight segment between the two nodes.
    pub fn link_geometry(&self, link: LinkId) -> Vec<(f64, f64)> {
        let l = self.link(link);
        let from = self.node(l.from);
        let to = self.node(l.to);
        let mut out = vec![(from.lon, from.lat)];
        if let Ok(Some(course)) = self.link_course(link) {
            out.extend(course.points);
        } else if let Some(path) = self.link_path(link) {
            out.extend(path.waypoints.iter().map(|w| (w.lon, w.lat)));
        }
        out.push((to.lon, to.lat));
        out.dedup_by(|a, b| distance_km(*a, *b) < 1e-6);
        out
    }

    /// The sources of the route courses that `links` are drawn along, each once, in order of first use.
    /// Waypoints of `paths.csv` are the dataset's own and not counted.
    pub fn course_sources(&self, links: &[LinkId]) -> Vec<SourceId> {
        let mut out = Vec::new();
        for &link in links {
            if let Ok(Some(course)) = self.link_course(link) {
                for s in course.sources {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
        }
        out
    }

    /// The credit lines a map or export drawing `links` must show for the route courses it uses
    /// (`publisher, title`; licences such as CC BY require them), each once.
    pub fn course_credits(&self, links: &[LinkId]) -> Vec<String> {
        self.course_sources(links)
            .into_iter()
            .map(|s| {
                let s = self.source(s);
                format!("{}, {}", s.publisher, s.title)
            })
            .collect()
    }
}

/// A pipeline's published course (a project of a routes file such as Global Energy Monitor's), kept as
/// the lines it was drawn with: `(lon, lat)` pairs, the GeoJSON order. A link names the projects it runs
/// along (`gem_project_id` in links.csv) and takes only the part between its own end nodes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RouteCourse {
    /// The project's id in the routes file (GEM's `ProjectID`, e.g. `P0644`).
    pub project_id: String,
    /// The project's name as the routes file gives it (may be empty).
    pub name: String,
    /// The drawn lines, as published: one or more, in any order and direction, possibly with branches.
    pub parts: Vec<Vec<(f64, f64)>>,
    /// Who drew the course; the credit every map using it must show.
    pub source: SourceId,
    /// Where the record was read (file and line), for diagnostics.
    #[serde(skip)]
    pub location: Location,
}

/// The part of one or more route courses a link runs along, oriented from its `from` node to its `to`
/// node.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkCourse {
    /// `(lon, lat)` points, from the point of the course nearest the `from` node to the point nearest
    /// the `to` node.
    pub points: Vec<(f64, f64)>,
    /// How far the `from` and `to` nodes lie from the course, in km: large values mean the project does
    /// not run between the link's nodes.
    pub from_offset_km: f64,
    /// As `from_offset_km`, for the `to` node.
    pub to_offset_km: f64,
    /// The sources of the courses used, each once.
    pub sources: Vec<SourceId>,
}

/// Why a link's named courses give it no course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CourseProblem {
    /// No route of the dataset has this project id.
    UnknownProject(String),
    /// The lines do not join up between the link's nodes (gaps wider than [`JOIN_KM`]).
    Disconnected,
}

/// Line ends closer than this (km) are taken as joined: published routes are often split into pieces
/// whose ends do not quite meet.
pub const JOIN_KM: f64 = 10.0;

const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance between two `(lon, lat)` points, in km.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lon1, lat1) = (a.0.to_radians(), a.1.to_radians());
    let (lon2, lat2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// The point of segment `a`–`b` nearest `p` and the parameter `t` (0 at `a`, 1 at `b`), in a local
/// equirectangular plane: exact enough for segments of a few hundred km, and never leaves the segment.
fn project_on_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> ((f64, f64), f64) {
    let k = ((a.1 + b.1) / 2.0).to_radians().cos();
    let (dx, dy) = ((b.0 - a.0) * k, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return (a, 0.0);
    }
    let t = (((p.0 - a.0) * k * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    ((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)), t)
}

/// The lines of `parts` as one graph: points are vertices, consecutive points and line ends within
/// [`JOIN_KM`] of another line are edges. The two extra points are joined where they project onto the
/// nearest segment.
struct CourseGraph {
    points: Vec<(f64, f64)>,
    edges: Vec<Vec<(usize, f64)>>,
    /// Points inserted on each original segment (keyed by the segment's first vertex), joined to one
    /// another so that two points on one long segment are not joined through its ends.
    inserted: std::collections::HashMap<usize, Vec<usize>>,
}

impl CourseGraph {
    fn new(parts: &[&[(f64, f64)]]) -> CourseGraph {
        let mut g = CourseGraph {
            points: Vec::new(),
            edges: Vec::new(),
            inserted: std::collections::HashMap::new(),
        };
        // (part index, first vertex, number of vertices, bounding box widened by the join distance)
        let mut spans = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let first = g.points.len();
            for (j, &p) in part.iter().enumerate() {
                g.add_point(p);
                if j > 0 {
                    g.connect(first + j - 1, first + j);
                }
            }
            let margin = JOIN_KM / 111.0;
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for &(x, y) in part.iter() {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
            let k = (y0.abs().max(y1.abs()).min(85.0)).to_radians().cos();
            let bbox = (x0 - margin / k, y0 - margin, x1 + margin / k, y1 + margin);
            spans.push((i, first, part.len(), bbox));
        }
        // Join each line end to the nearest point of every other line that passes close by (pieces of
        // one pipeline, a branch leaving the main line).
        for &(i, first, n, _) in &spans {
            if n == 0 {
                continue;
            }
            for end in [first, first + n - 1] {
                let p = g.points[end];
                for &(j, other, m, (x0, y0, x1, y1)) in &spans {
                    let inside = (x0..=x1).contains(&p.0) && (y0..=y1).contains(&p.1);
                    if i == j || m == 0 || !inside {
                        continue;
                    }
                    if let Some((q, d, seg)) = g.nearest_on(p, other, m) {
                        if d <= JOIN_KM {
                            let v = g.insert_on(q, seg);
                            g.connect(end, v);
                        }
                    }
                }
            }
        }
        g
    }

    fn add_point(&mut self, p: (f64, f64)) -> usize {
        self.points.push(p);
        self.edges.push(Vec::new());
        self.points.len() - 1
    }

    fn connect(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let d = distance_km(self.points[a], self.points[b]);
        self.edges[a].push((b, d));
        self.edges[b].push((a, d));
    }

    /// The point nearest `p` on the line of vertices `first .. first + n`: (point, km, segment start).
    fn nearest_on(
        &self,
        p: (f64, f64),
        first: usize,
        n: usize,
    ) -> Option<((f64, f64), f64, usize)> {
        if n == 0 {
            return None;
        }
        if n == 1 {
            return Some((
                self.points[first],
                distance_km(p, self.points[first]),
                first,
            ));
        }
        (first..first + n - 1)
            .map(|s| {
                let (q, _) = project_on_segment(p, self.points[s], self.points[s + 1]);
                (q, distance_km(p, q), s)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// A vertex at `q` on the segment starting at vertex `seg` (the segment's own end when `q` is one).
    fn insert_on(&mut self, q: (f64, f64), seg: usize) -> usize {
        let next = seg + 1;
        if next >= self.points.len() || distance_km(q, self.points[seg]) < 1e-6 {
            return seg;
        }
        if distance_km(q, self.points[next]) < 1e-6 {
            return next;
        }
        let v = self.add_point(q);
        self.connect(seg, v);
        self.connect(v, next);
        let others = self.inserted.entry(seg).or_default().clone();
        for w in others {
            self.connect(v, w);
        }
        self.inserted.entry(seg).or_default().push(v);
        v
    }

    /// Shortest path between two vertices (Dijkstra), as vertices in order.
    fn path(&self, from: usize, to: usize) -> Option<Vec<usize>> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let n = self.points.len();
        let mut dist = vec![f64::INFINITY; n];
        let mut prev = vec![usize::MAX; n];
        let mut heap = BinaryHeap::new();
        dist[from] = 0.0;
        // Distances in metres as integers: a total order for the heap.
        heap.push(Reverse((0u64, from)));
        while let Some(Reverse((_, v))) = heap.pop() {
            if v == to {
                break;
            }
            for &(w, d) in &self.edges[v] {
                let nd = dist[v] + d;
                if nd < dist[w] {
                    dist[w] = nd;
                    prev[w] = v;
                    heap.push(Reverse(((nd * 1000.0) as u64, w)));
                }
            }
        }
        if !dist[to].is_finite() {
            return None;
        }
        let mut path = vec![to];
        let mut v = to;
        while v != from {
            v = prev[v];
            path.push(v);
        }
        path.reverse();
        Some(path)
    }
}

/// The part of the lines `parts` between the points nearest `from` and `to` (`(lon, lat)`), oriented
/// from `from` to `to`: each end is projected onto the nearest segment, pieces whose ends lie within
/// [`JOIN_KM`] are joined, and of branches the shortest way through is taken. `None` when the lines do
/// not join up between the two points. The course's `sources` are left empty for the caller to fill.
pub fn course_between(
    parts: &[&[(f64, f64)]],
    from: (f64, f64),
    to: (f64, f64),
) -> Option<LinkCourse> {
    let mut g = CourseGraph::new(parts);
    let attach = |p: (f64, f64), g: &mut CourseGraph| -> Option<(usize, f64)> {
        let mut best: Option<((f64, f64), f64, usize, usize)> = None;
        let mut first = 0;
        for part in parts {
            if let Some((q, d, seg)) = g.nearest_on(p, first, part.len()) {
                if best.is_none_or(|b| d < b.1) {
                    best = Some((q, d, seg, part.len()));
                }
            }
            first += part.len();
        }
        let (q, d, seg, len) = best?;
        let v = if len == 1 { seg } else { g.insert_on(q, seg) };
        Some((v, d))
    };
    let (a, from_km) = attach(from, &mut g)?;
    let (b, to_km) = attach(to, &mut g)?;
    let path = g.path(a, b)?;
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(path.len());
    for v in path {
        let p = g.points[v];
        if points.last().is_none_or(|&l| distance_km(l, p) > 1e-6) {
            points.push(p);
        }
    }
    Some(LinkCourse {
        points,
        from_offset_km: from_km,
        to_offset_km: to_km,
        sources: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        points
            .iter()
            .map(|&(x, y)| ((x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0))
            .collect()
    }

    #[test]
    fn a_link_takes_only_its_part_of_a_line_oriented_from_to() {
        let line = [(50.0, 40.0), (51.0, 40.0), (52.0, 40.0), (53.0, 40.0)];
        // From near the east end to a point beside the middle of the second segment: reversed, cut.
        let c = course_between(&[&line], (53.0, 40.05), (51.5, 39.95)).unwrap();
        assert_eq!(round(&c.points), [(53.0, 40.0), (52.0, 40.0), (51.5, 40.0)]);
        assert!((c.from_offset_km - 5.56).abs() < 0.05 && (c.to_offset_km - 5.56).abs() < 0.05);
        // Two points on one long segment are joined directly, not through the segment's ends.
        let c = course_between(&[&line], (50.2, 40.0), (50.8, 40.0)).unwrap();
        assert_eq!(round(&c.points), [(50.2, 40.0), (50.8, 40.0)]);
    }

    #[test]
    fn pieces_in_any_order_and_direction_are_joined_and_branches_left_out() {
        let west = [(50.0, 40.0), (51.0, 40.0)];
        let east = [(53.0, 40.0), (52.0, 40.0), (51.0, 40.0)];
        let spur = [(52.0, 40.0), (52.0, 42.0)];
        let c = course_between(&[&east, &spur, &west], (50.0, 40.0), (53.0, 40.0)).unwrap();
        assert_eq!(
            round(&c.points),
            [(50.0, 40.0), (51.0, 40.0), (52.0, 40.0), (53.0, 40.0)]
        );
        // Pieces farther apart than JOIN_KM do not join.
        let far = [(54.0, 40.0), (55.0, 40.0)];
        assert!(course_between(&[&west, &far], (50.0, 40.0), (55.0, 40.0)).is_none());
        assert!(course_between(&[], (50.0, 40.0), (55.0, 40.0)).is_none());
    }

    #[test]
    fn distances_are_great_circle_km() {
        assert!((distance_km((0.0, 0.0), (1.0, 0.0)) - 111.19).abs() < 0.01);
        // Sangachal to Ceyhan as the crow flies.
        assert!((distance_km((49.47, 40.18), (35.93, 36.88)) - 1232.2).abs() < 0.1);
    }
}
