//! A map of the network as SVG: country outlines and coastlines from Natural Earth, links along their
//! courses with width by flow and colour by utilisation, bottlenecks highlighted, nodes and a legend.
//!
//! The country polygons are Natural Earth's admin-0 countries (public domain), compiled into the
//! `world-data` crate: nothing is downloaded at build or run time. They are projected (spherical
//! Mercator), clipped to the map's frame (Sutherland–Hodgman) and simplified (Douglas–Peucker, to a
//! fraction of a map unit) so a regional map stays small.

use crate::flows::{flow_width, utilisation_color, FlowView, LinkFlow};
use crate::svg::{c1, esc, label_number};
use corridor_model::{CommodityId, Dataset, LinkId, NodeKind};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::OnceLock;

/// A longitude/latitude box, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub lon_min: f64,
    pub lon_max: f64,
    pub lat_min: f64,
    pub lat_max: f64,
}

impl BBox {
    /// The box around the courses of `links` (nodes and waypoints), or `None` when there are none.
    pub fn of_links(dataset: &Dataset, links: &[LinkId]) -> Option<BBox> {
        let mut b: Option<BBox> = None;
        for &l in links {
            for (lon, lat) in dataset.link_geometry(l) {
                if !(lon.is_finite() && lat.is_finite()) {
                    continue;
                }
                b = Some(match b {
                    None => BBox {
                        lon_min: lon,
                        lon_max: lon,
                        lat_min: lat,
                        lat_max: lat,
                    },
                    Some(b) => BBox {
                        lon_min: b.lon_min.min(lon),
                        lon_max: b.lon_max.max(lon),
                        lat_min: b.lat_min.min(lat),
                        lat_max: b.lat_max.max(lat),
                    },
                });
            }
        }
        b
    }

    /// Grown by `frac` of its size on every side (at least `min_deg` degrees), kept on the globe.
    pub fn padded(self, frac: f64, min_deg: f64) -> BBox {
        let dx = ((self.lon_max - self.lon_min) * frac).max(min_deg);
        let dy = ((self.lat_max - self.lat_min) * frac).max(min_deg);
        BBox {
            lon_min: (self.lon_min - dx).max(-180.0),
            lon_max: (self.lon_max + dx).min(180.0),
            lat_min: (self.lat_min - dy).max(-80.0),
            lat_max: (self.lat_max + dy).min(84.0),
        }
    }

    fn intersects(&self, o: &BBox) -> bool {
        self.lon_min <= o.lon_max
            && o.lon_min <= self.lon_max
            && self.lat_min <= o.lat_max
            && o.lat_min <= self.lat_max
    }
}

/// A ring of (lon, lat) or (x, y) points.
type Ring = Vec<(f64, f64)>;

/// One country of the basemap: its polygons (bounding box, exterior ring then holes).
struct Shape {
    code: String,
    bbox: BBox,
    polygons: Vec<(BBox, Vec<Ring>)>,
}

/// The Natural Earth countries, decoded once per process (about a tenth of a second in a release build).
fn basemap() -> &'static [Shape] {
    static BASEMAP: OnceLock<Vec<Shape>> = OnceLock::new();
    BASEMAP.get_or_init(|| {
        let world = world_data::load();
        let mut shapes: Vec<Shape> = world
            .countries
            .into_iter()
            .filter_map(|(code, country)| {
                let polygons: Vec<(BBox, Vec<Ring>)> = country
                    .polygons
                    .iter()
                    .filter_map(|p| {
                        let mut rings: Vec<Ring> = vec![p
                            .exterior()
                            .0
                            .iter()
                            .map(|c| (c.x as f64, c.y as f64))
                            .collect()];
                        rings.extend(
                            p.interiors()
                                .iter()
                                .map(|r| r.0.iter().map(|c| (c.x as f64, c.y as f64)).collect()),
                        );
                        let b = ring_bbox(&rings[0])?;
                        Some((b, rings))
                    })
                    .collect();
                let bbox = polygons.iter().map(|p| p.0).reduce(|a, b| BBox {
                    lon_min: a.lon_min.min(b.lon_min),
                    lon_max: a.lon_max.max(b.lon_max),
                    lat_min: a.lat_min.min(b.lat_min),
                    lat_max: a.lat_max.max(b.lat_max),
                })?;
                Some(Shape {
                    code,
                    bbox,
                    polygons,
                })
            })
            .collect();
        shapes.sort_by(|a, b| a.code.cmp(&b.code));
        shapes
    })
}

fn ring_bbox(ring: &[(f64, f64)]) -> Option<BBox> {
    let first = ring.first()?;
    Some(ring.iter().fold(
        BBox {
            lon_min: first.0,
            lon_max: first.0,
            lat_min: first.1,
            lat_max: first.1,
        },
        |b, &(x, y)| BBox {
            lon_min: b.lon_min.min(x),
            lon_max: b.lon_max.max(x),
            lat_min: b.lat_min.min(y),
            lat_max: b.lat_max.max(y),
        },
    ))
}

/// Spherical Mercator scaled to a frame `width` map units wide.
#[derive(Clone, Copy, Debug)]
pub struct Projection {
    lon_min: f64,
    y_top: f64,
    scale: f64,
    pub width: f64,
    pub height: f64,
}

fn merc_y(lat: f64) -> f64 {
    let phi = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln()
}

impl Projection {
    /// Fits `bbox` into a frame `width` wide; the height follows (between 0.35 and 0.95 of the width,
    /// widening the box when needed).
    pub fn fit(bbox: BBox, width: f64) -> Projection {
        let mut b = bbox;
        let span_x = |b: &BBox| (b.lon_max - b.lon_min).to_radians().max(1e-6);
        let span_y = |b: &BBox| (merc_y(b.lat_max) - merc_y(b.lat_min)).max(1e-6);
        let ratio = span_y(&b) / span_x(&b);
        if ratio > 0.95 {
            let extra = (span_y(&b) / 0.95 - span_x(&b)).to_degrees() / 2.0;
            b.lon_min -= extra;
            b.lon_max += extra;
        } else if ratio < 0.35 {
            // Grow latitude symmetrically in projected space.
            let want = span_x(&b) * 0.35;
            let mid = (merc_y(b.lat_max) + merc_y(b.lat_min)) / 2.0;
            let inv = |y: f64| (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
            b.lat_max = inv(mid + want / 2.0);
            b.lat_min = inv(mid - want / 2.0);
        }
        let scale = width / span_x(&b);
        Projection {
            lon_min: b.lon_min,
            y_top: merc_y(b.lat_max),
            scale,
            width,
            height: (span_y(&b) * scale).round(),
        }
    }

    /// Map units of a (lon, lat) point.
    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.lon_min).to_radians() * self.scale,
            (self.y_top - merc_y(lat)) * self.scale,
        )
    }
}

/// Clips a closed ring to the rectangle [x0,x1]×[y0,y1] (Sutherland–Hodgman).
fn clip_ring(ring: &[(f64, f64)], x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<(f64, f64)> {
    type Point = (f64, f64);
    type Inside = fn(&Point, f64) -> bool;
    type Cross = fn(&Point, &Point, f64) -> Point;
    let mut out: Vec<Point> = ring.to_vec();
    let inside_x_min: Inside = |p, v| p.0 >= v;
    let inside_x_max: Inside = |p, v| p.0 <= v;
    let inside_y_min: Inside = |p, v| p.1 >= v;
    let inside_y_max: Inside = |p, v| p.1 <= v;
    let at_x: Cross = |a, b, v| {
        let t = (v - a.0) / (b.0 - a.0);
        (v, a.1 + (b.1 - a.1) * t)
    };
    let at_y: Cross = |a, b, v| {
        let t = (v - a.1) / (b.1 - a.1);
        (a.0 + (b.0 - a.0) * t, v)
    };
    let edges: [(Inside, Cross, f64); 4] = [
        (inside_x_min, at_x, x0),
        (inside_x_max, at_x, x1),
        (inside_y_min, at_y, y0),
        (inside_y_max, at_y, y1),
    ];
    for (inside, cross, v) in edges {
        if out.is_empty() {
            break;
        }
        let input = std::mem::take(&mut out);
        let n = input.len();
        for i in 0..n {
            let cur = input[i];
            let prev = input[(i + n - 1) % n];
            match (inside(&cur, v), inside(&prev, v)) {
                (true, true) => out.push(cur),
                (true, false) => {
                    out.push(cross(&prev, &cur, v));
                    out.push(cur);
                }
                (false, true) => out.push(cross(&prev, &cur, v)),
                (false, false) => {}
            }
        }
    }
    out
}

/// Douglas–Peucker simplification of an open polyline to `tolerance` map units.
fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (ax, ay) = points[a];
        let (bx, by) = points[b];
        let (dx, dy) = (bx - ax, by - ay);
        let len = (dx * dx + dy * dy).sqrt();
        let mut best = (0.0, a);
        for (i, &(px, py)) in points.iter().enumerate().take(b).skip(a + 1) {
            let d = if len > 0.0 {
                ((px - ax) * dy - (py - ay) * dx).abs() / len
            } else {
                ((px - ax).powi(2) + (py - ay).powi(2)).sqrt()
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tolerance {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn ring_area(ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (x0, y0) = ring[i];
            let (x1, y1) = ring[(i + 1) % n];
            x0 * y1 - x1 * y0
        })
        .sum::<f64>()
        / 2.0
}

fn path_d(points: &[(f64, f64)], close: bool) -> String {
    let mut d = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        d.push(if i == 0 { 'M' } else { 'L' });
        d.push_str(&c1(*x));
        d.push(',');
        d.push_str(&c1(*y));
    }
    if close {
        d.push('Z');
    }
    d
}

/// The land layer of a map: one `<path>` per country (data-country = ISO code), countries of the dataset
/// marked with class `in-dataset` and labelled with their code.
pub fn basemap_svg(
    projection: &Projection,
    view: BBox,
    dataset_countries: &BTreeSet<String>,
) -> String {
    let margin = 8.0;
    let (x0, y0, x1, y1) = (
        -margin,
        -margin,
        projection.width + margin,
        projection.height + margin,
    );
    let reach = view.padded(0.05, 1.0);
    let mut s = String::from(r#"<g class="land">"#);
    let mut labels = String::new();
    for shape in basemap() {
        if !shape.bbox.intersects(&reach) {
            continue;
        }
        let mut d = String::new();
        let mut biggest: (f64, (f64, f64)) = (0.0, (0.0, 0.0));
        for (pb, rings) in &shape.polygons {
            if !pb.intersects(&reach) {
                continue;
            }
            for ring in rings {
                let projected: Vec<(f64, f64)> = ring
                    .iter()
                    .map(|&(lon, lat)| projection.xy(lon, lat))
                    .collect();
                let clipped = clip_ring(&projected, x0, y0, x1, y1);
                if clipped.len() < 3 {
                    continue;
                }
                let mut simple = simplify(&clipped, 0.35);
                if simple.len() > 1 && simple.first() == simple.last() {
                    simple.pop();
                }
                let area = ring_area(&simple).abs();
                if simple.len() < 3 || area < 0.5 {
                    continue;
                }
                if area > biggest.0 {
                    let n = simple.len() as f64;
                    let cx = simple.iter().map(|p| p.0).sum::<f64>() / n;
                    let cy = simple.iter().map(|p| p.1).sum::<f64>() / n;
                    biggest = (area, (cx, cy));
                }
                d.push_str(&path_d(&simple, true));
            }
        }
        if d.is_empty() {
            continue;
        }
        let in_dataset = dataset_countries.contains(&shape.code);
        let _ = write!(
            s,
            r#"<path class="country{}" data-country="{}" d="{}"/>"#,
            if in_dataset { " in-dataset" } else { "" },
            esc(&shape.code),
            d
        );
        let (cx, cy) = biggest.1;
        if in_dataset
            && biggest.0 > 150.0
            && (0.0..projection.width).contains(&cx)
            && (0.0..projection.height).contains(&cy)
        {
            let _ = write!(
                labels,
                r#"<text class="country-label" x="{}" y="{}">{}</text>"#,
                c1(cx),
                c1(cy),
                esc(&shape.code)
            );
        }
    }
    s.push_str(&labels);
    s.push_str("</g>");
    s
}

/// How a link is drawn for a flow (or none).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LinkStyle {
    pub color: String,
    pub width: f64,
    /// Unused links are thin and dashed.
    pub dashed: bool,
    pub bottleneck: bool,
}

/// The style of a link: colour by utilisation and width by flow when it carries any, thin grey dashes
/// otherwise; `max_weight` is the largest flow on the map (see [`FlowView::max_weight`]).
pub fn link_style(flow: Option<&LinkFlow>, max_weight: f64) -> LinkStyle {
    match flow {
        Some(f) if f.weight_t_per_y > 0.0 => LinkStyle {
            color: utilisation_color(f.utilisation),
            width: (flow_width(f.weight_t_per_y, max_weight) * 10.0).round() / 10.0,
            dashed: false,
            bottleneck: f.bottleneck,
        },
        other => LinkStyle {
            color: "#7b8794".into(),
            width: 1.3,
            dashed: true,
            bottleneck: other.is_some_and(|f| f.bottleneck),
        },
    }
}

/// What to draw.
#[derive(Clone, Debug)]
pub struct MapSpec<'a> {
    /// Width in map units (the SVG scales to its container).
    pub width: f64,
    /// The frame; `None` fits the drawn links.
    pub bbox: Option<BBox>,
    /// The links to draw.
    pub links: Vec<LinkId>,
    pub flows: Option<&'a FlowView>,
    /// For the web app: every link gets `data-link`, a halo path and a line path that a script restyles.
    pub interactive: bool,
    /// Text for screen readers.
    pub title: String,
}

/// Links in service in `year` that carry any of `commodities` (every commodity when empty).
pub fn links_for(dataset: &Dataset, year: i32, commodities: &[CommodityId]) -> Vec<LinkId> {
    dataset
        .link_ids()
        .filter(|&l| dataset.link(l).in_service(year))
        .filter(|&l| {
            commodities.is_empty() || commodities.iter().any(|&c| dataset.link(l).carries(c))
        })
        .collect()
}

/// The frame a spec will use.
pub fn frame(dataset: &Dataset, spec: &MapSpec<'_>) -> BBox {
    spec.bbox
        .or_else(|| BBox::of_links(dataset, &spec.links).map(|b| b.padded(0.06, 1.5)))
        .unwrap_or(BBox {
            lon_min: 25.0,
            lon_max: 90.0,
            lat_min: 30.0,
            lat_max: 60.0,
        })
}

/// The map as one `<svg>` element.
pub fn render_map(dataset: &Dataset, spec: &MapSpec<'_>) -> String {
    let view = frame(dataset, spec);
    let projection = Projection::fit(view, spec.width);
    let countries: BTreeSet<String> = dataset
        .countries
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="corridor-map" viewBox="0 0 {w} {total}" role="img" aria-label="{title}"><style>{css}</style><clipPath id="map-frame"><rect x="0" y="0" width="{w}" height="{h}"/></clipPath><rect x="0" y="0" width="{w}" height="{total}" fill="#fff"/><g clip-path="url(#map-frame)"><rect class="sea" x="0" y="0" width="{w}" height="{h}"/>"##,
        w = c1(projection.width),
        h = c1(projection.height),
        total = c1(projection.height + LEGEND_H),
        title = esc(&spec.title),
        css = MAP_CSS,
    );
    s.push_str(&basemap_svg(&projection, view, &countries));
    s.push_str(&links_svg(dataset, spec, &projection));
    s.push_str(&nodes_svg(dataset, spec, &projection));
    s.push_str("</g>");
    s.push_str(&legend_svg(
        spec,
        &projection,
        &dataset.course_credits(&spec.links),
    ));
    s.push_str("</svg>");
    s
}

/// Height of the legend band under the map, map units.
const LEGEND_H: f64 = 40.0;

/// Styles inside the SVG, so a map keeps its look when copied out of the page.
const MAP_CSS: &str = ".sea{fill:#dfeaf3}.country{fill:#f4f1ea;stroke:#b9b2a3;stroke-width:0.6;stroke-linejoin:round}.country.in-dataset{fill:#ebe5d6}.country.closed{fill:#f3d3d0}.country.avoided{fill:#f6e4c8}.country-label{font:600 11px sans-serif;fill:#9b917d;text-anchor:middle;pointer-events:none}.link .line{fill:none;stroke-linecap:round;stroke-linejoin:round}.link .halo{fill:none;stroke:#ffd400;stroke-linecap:round;stroke-linejoin:round;opacity:.85}.link.off .line{stroke:#c0392b!important;stroke-dasharray:2 4;opacity:.6}.node{stroke:#fff;stroke-width:1}.node-label{font:11px sans-serif;fill:#1d2733;paint-order:stroke;stroke:#fff;stroke-width:3px;pointer-events:none}.legend text{font:11px sans-serif;fill:#1d2733}.attribution{font:9px sans-serif;fill:#6b7280}";

fn link_title(dataset: &Dataset, link: LinkId, flow: Option<&LinkFlow>) -> String {
    let l = dataset.link(link);
    let mut t = format!(
        "{} — {} {} {}",
        l.name,
        l.mode,
        label_number(l.capacity),
        l.capacity_unit
    );
    if let Some(f) = flow {
        for (c, v, u) in &f.flows {
            let _ = write!(t, "\n{c}: {} {u}", label_number(*v));
        }
        let _ = write!(t, "\nutilisation {:.0} %", f.utilisation * 100.0);
        if f.bottleneck {
            t.push_str("\nbottleneck");
        }
    }
    t
}

fn links_svg(dataset: &Dataset, spec: &MapSpec<'_>, projection: &Projection) -> String {
    let max_weight = spec.flows.map_or(1.0, FlowView::max_weight);
    // Draw unused links first, then flows from thin to thick, so big flows stay on top.
    let mut order: Vec<(f64, LinkId)> = spec
        .links
        .iter()
        .map(|&l| {
            let w = spec
                .flows
                .and_then(|f| f.get(dataset, l))
                .map_or(0.0, |f| f.weight_t_per_y);
            (w, l)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut s = String::from(r#"<g class="links">"#);
    let mut markers = String::new();
    for (_, link) in order {
        let l = dataset.link(link);
        let flow = spec.flows.and_then(|f| f.get(dataset, link));
        let style = link_style(flow, max_weight);
        let points: Vec<(f64, f64)> = dataset
            .link_geometry(link)
            .into_iter()
            .map(|(lon, lat)| projection.xy(lon, lat))
            .collect();
        let d = path_d(&points, false);
        let dash = if style.dashed {
            r#" stroke-dasharray="5 4""#
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"<g class="link mode-{mode}" data-link="{id}"><title>{title}</title>"#,
            mode = l.mode.as_str(),
            id = esc(&l.id),
            title = esc(&link_title(dataset, link, flow)),
        );
        if style.bottleneck || spec.interactive {
            let _ = write!(
                s,
                r#"<path class="halo" d="{d}" stroke-width="{}"{}/>"#,
                c1(style.width + 7.0),
                if style.bottleneck {
                    ""
                } else {
                    r#" display="none""#
                }
            );
        }
        let _ = write!(
            s,
            r#"<path class="line" d="{d}" stroke="{}" stroke-width="{}"{dash}/>"#,
            style.color,
            c1(style.width),
        );
        // A wide transparent path makes thin lines easy to click in the app.
        if spec.interactive {
            let _ = write!(
                s,
                r#"<path class="hit" d="{d}" stroke="transparent" stroke-width="12" fill="none"/>"#
            );
        }
        s.push_str("</g>");
        if style.bottleneck && !spec.interactive {
            if let Some(&(x, y)) = points.get(points.len() / 2) {
                let _ = write!(
                    markers,
                    r##"<g class="bottleneck-marker"><circle cx="{x}" cy="{y}" r="7" fill="#c0392b" stroke="#fff" stroke-width="1.5"/><text x="{x}" y="{ty}" font-size="10" font-weight="700" fill="#fff" text-anchor="middle" font-family="sans-serif">!</text></g>"##,
                    x = c1(x),
                    y = c1(y),
                    ty = c1(y + 3.5)
                );
            }
        }
    }
    s.push_str(&markers);
    s.push_str("</g>");
    s
}

fn nodes_svg(dataset: &Dataset, spec: &MapSpec<'_>, projection: &Projection) -> String {
    let mut shown: BTreeSet<usize> = BTreeSet::new();
    let mut busy: BTreeSet<usize> = BTreeSet::new();
    for &l in &spec.links {
        let link = dataset.link(l);
        shown.insert(link.from.idx());
        shown.insert(link.to.idx());
        if spec
            .flows
            .and_then(|f| f.get(dataset, l))
            .is_some_and(|f| f.weight_t_per_y > 0.0)
        {
            busy.insert(link.from.idx());
            busy.insert(link.to.idx());
        }
    }
    let mut s = String::from(r#"<g class="nodes">"#);
    for &i in &shown {
        let n = &dataset.nodes[i];
        let (x, y) = projection.xy(n.lon, n.lat);
        let (r, fill) = match n.kind {
            NodeKind::Field => (4.5, "#2d6a4f"),
            NodeKind::Market => (4.5, "#6a4c93"),
            NodeKind::Port | NodeKind::Terminal => (3.2, "#1d3557"),
            _ => (2.6, "#495057"),
        };
        let _ = write!(
            s,
            r#"<circle class="node kind-{kind}" data-node="{id}" cx="{x}" cy="{y}" r="{r}" fill="{fill}"><title>{name} ({kind}{country})</title></circle>"#,
            kind = n.kind.as_str(),
            id = esc(&n.id),
            x = c1(x),
            y = c1(y),
            r = c1(r),
            name = esc(&n.name),
            country = n.country.map(|c| format!(", {c}")).unwrap_or_default(),
        );
    }
    // Labels: fields and markets first, then ports and terminals with flow; skip a label that would
    // sit on top of one already placed.
    let rank = |i: &usize| match dataset.nodes[*i].kind {
        NodeKind::Field => 0,
        NodeKind::Market => 1,
        NodeKind::Port | NodeKind::Terminal => 2,
        _ => 3,
    };
    let mut candidates: Vec<usize> = shown
        .iter()
        .copied()
        .filter(|i| busy.contains(i) || spec.flows.is_none())
        .filter(|i| rank(i) < 3)
        .collect();
    candidates.sort_by_key(|i| (rank(i), *i));
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for i in candidates {
        let n = &dataset.nodes[i];
        let (x, y) = projection.xy(n.lon, n.lat);
        if !(0.0..projection.width).contains(&x) || !(0.0..projection.height).contains(&y) {
            continue;
        }
        if placed
            .iter()
            .any(|&(px, py)| (px - x).abs() < 70.0 && (py - y).abs() < 13.0)
        {
            continue;
        }
        placed.push((x, y));
        let label = short_name(&n.name);
        let anchor_right = x > projection.width - 140.0;
        let _ = write!(
            s,
            r#"<text class="node-label" x="{}" y="{}"{}>{}</text>"#,
            c1(if anchor_right { x - 7.0 } else { x + 7.0 }),
            c1(y + 4.0),
            if anchor_right {
                r#" text-anchor="end""#
            } else {
                ""
            },
            esc(&label)
        );
    }
    s.push_str("</g>");
    s
}

/// A node's name without its parenthesised details ("Ceyhan marine terminal").
fn short_name(name: &str) -> String {
    let base = name.split(" (").next().unwrap_or(name);
    crate::svg::shorten(base, 28)
}

/// `course_credits`: the credit lines of the published route courses drawn (CC BY requires them).
fn legend_svg(spec: &MapSpec<'_>, projection: &Projection, course_credits: &[String]) -> String {
    let y = projection.height + 8.0;
    let mut s = String::from(r#"<g class="legend">"#);
    // Utilisation ramp.
    for i in 0..20 {
        let u = i as f64 / 19.0;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="5" height="9" fill="{}"/>"#,
            c1(4.0 + 5.0 * i as f64),
            c1(y + 1.0),
            utilisation_color(u)
        );
    }
    let _ = write!(
        s,
        r#"<text x="110" y="{}">utilisation 0 → 100 %</text>"#,
        c1(y + 10.0)
    );
    let mut x = 246.0;
    if let Some(f) = spec.flows {
        let max = f.max_weight();
        let _ = write!(
            s,
            r##"<line x1="{x0}" y1="{yy}" x2="{x1}" y2="{yy}" stroke="#555" stroke-width="{w}" stroke-linecap="round"/><text x="{tx}" y="{ty}">width ∝ √flow, widest {m}</text>"##,
            x0 = c1(x + 6.0),
            x1 = c1(x + 30.0),
            yy = c1(y + 6.0),
            w = c1(flow_width(max, max).min(9.0)),
            tx = c1(x + 40.0),
            ty = c1(y + 10.0),
            m = f.widest_label(),
        );
        x += 300.0;
    }
    let _ = write!(
        s,
        r##"<line x1="{x0}" y1="{yy}" x2="{x1}" y2="{yy}" stroke="#7b8794" stroke-width="1.3" stroke-dasharray="5 4"/><text x="{tx}" y="{ty}">no flow</text><line x1="{x2}" y1="{yy}" x2="{x3}" y2="{yy}" stroke="#ffd400" stroke-width="9" stroke-linecap="round" opacity="0.85"/><line x1="{x2}" y1="{yy}" x2="{x3}" y2="{yy}" stroke="#cb181d" stroke-width="2.5"/><text x="{tx2}" y="{ty}">bottleneck</text>"##,
        x0 = c1(x),
        x1 = c1(x + 24.0),
        yy = c1(y + 6.0),
        tx = c1(x + 30.0),
        ty = c1(y + 10.0),
        x2 = c1(x + 84.0),
        x3 = c1(x + 108.0),
        tx2 = c1(x + 116.0),
    );
    let _ = write!(
        s,
        r#"<text class="attribution" x="{}" y="{}" text-anchor="end">Country outlines: Natural Earth (public domain), via the world-data crate · Mercator</text>"#,
        c1(projection.width - 4.0),
        c1(projection.height + LEGEND_H - 3.0)
    );
    if !course_credits.is_empty() {
        let _ = write!(
            s,
            r#"<text class="attribution course-credits" x="{}" y="{}" text-anchor="end">Pipeline courses: {}</text>"#,
            c1(projection.width - 4.0),
            c1(projection.height + LEGEND_H - 14.0),
            esc(&course_credits.join(" · "))
        );
    }
    s.push_str("</g>");
    s
}
