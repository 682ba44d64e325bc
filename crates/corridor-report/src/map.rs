//! A map of the network as SVG: country outlines, coastlines and lakes from Natural Earth, links along
//! their courses with width by flow and colour by utilisation, bottlenecks highlighted, chokepoints
//! marked, places labelled without collisions, a locator inset and a legend in the commodity's unit.
//!
//! The basemap (the private `basemap` module) is projected (spherical Mercator), clipped to the map's frame
//! (Sutherland–Hodgman) and simplified (Douglas–Peucker, to a fraction of a map unit) so a regional map
//! stays small. The frame fits the links that matter to the answer (see [`Frame`]).

use crate::basemap::{basemap, Ring, Scale};
use crate::flows::{flow_width, utilisation_color, FlowView, LinkFlow};
use crate::labels::{LabelBox, Placer};
use crate::svg::{c1, esc, label_number};
use corridor_model::{CommodityId, Dataset, LinkId, NodeKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

pub use crate::bbox::BBox;

/// Spherical Mercator scaled to a frame `width` map units wide.
#[derive(Clone, Copy, Debug)]
pub struct Projection {
    lon_min: f64,
    y_top: f64,
    scale: f64,
    /// Frame width, map units.
    pub width: f64,
    /// Frame height, map units (follows from the box's shape).
    pub height: f64,
}

fn merc_y(lat: f64) -> f64 {
    let phi = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln()
}

impl Projection {
    /// Fits `bbox` into a frame `width` wide; the height follows (between 0.35 and 0.75 of the width,
    /// widening the box when needed).
    pub fn fit(bbox: BBox, width: f64) -> Projection {
        let mut b = bbox;
        let span_x = |b: &BBox| (b.lon_max - b.lon_min).to_radians().max(1e-6);
        let span_y = |b: &BBox| (merc_y(b.lat_max) - merc_y(b.lat_min)).max(1e-6);
        let ratio = span_y(&b) / span_x(&b);
        if ratio > 0.75 {
            let extra = (span_y(&b) / 0.75 - span_x(&b)).to_degrees() / 2.0;
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

/// A country's label spot: the middle of its largest visible polygon.
struct CountrySpot {
    code: String,
    x: f64,
    y: f64,
}

/// Projects, clips and simplifies `rings` into one path's `d`; returns the largest ring's area and centre.
fn rings_path(
    rings: &[Ring],
    projection: &Projection,
    clip: (f64, f64, f64, f64),
    tolerance: f64,
    d: &mut String,
) -> (f64, (f64, f64)) {
    let (x0, y0, x1, y1) = clip;
    let mut biggest = (0.0, (0.0, 0.0));
    for ring in rings {
        let projected: Vec<(f64, f64)> = ring
            .iter()
            .map(|&(lon, lat)| projection.xy(lon, lat))
            .collect();
        let clipped = clip_ring(&projected, x0, y0, x1, y1);
        if clipped.len() < 3 {
            continue;
        }
        let mut simple = simplify(&clipped, tolerance);
        if simple.len() > 1 && simple.first() == simple.last() {
            simple.pop();
        }
        let area = ring_area(&simple).abs();
        if simple.len() < 3 || area < tolerance * tolerance * 4.0 {
            continue;
        }
        if area > biggest.0 {
            let (bx, by) = (
                simple.iter().map(|p| p.0).fold(f64::INFINITY, f64::min)
                    + simple.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
                simple.iter().map(|p| p.1).fold(f64::INFINITY, f64::min)
                    + simple.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
            );
            biggest = (area, (bx / 2.0, by / 2.0));
        }
        d.push_str(&path_d(&simple, true));
    }
    biggest
}

/// The land and lakes of a map: one `<path>` per country (data-country = ISO code; countries of the
/// dataset marked `in-dataset`), then the lakes; returns the SVG and the label spots of the dataset's
/// countries.
fn basemap_layer(
    projection: &Projection,
    view: BBox,
    scale: Scale,
    dataset_countries: &BTreeSet<String>,
    tolerance: f64,
) -> (String, Vec<CountrySpot>) {
    let margin = 8.0;
    let clip = (
        -margin,
        -margin,
        projection.width + margin,
        projection.height + margin,
    );
    let reach = view.padded(0.05, 1.0);
    let map = basemap(scale);
    let mut s = String::from(r#"<g class="land">"#);
    let mut spots = Vec::new();
    for shape in &map.countries {
        if !shape.bbox.intersects(&reach) {
            continue;
        }
        let mut d = String::new();
        let mut biggest = (0.0, (0.0, 0.0));
        for (pb, rings) in &shape.polygons {
            if pb.intersects(&reach) {
                let b = rings_path(rings, projection, clip, tolerance, &mut d);
                if b.0 > biggest.0 {
                    biggest = b;
                }
            }
        }
        if d.is_empty() {
            continue;
        }
        let code = shape.code.as_deref().unwrap_or("");
        let in_dataset = dataset_countries.contains(code);
        let _ = write!(
            s,
            r#"<path class="country{}" data-country="{}" d="{}"/>"#,
            if in_dataset { " in-dataset" } else { "" },
            esc(code),
            d
        );
        if in_dataset && biggest.0 > 600.0 {
            spots.push(CountrySpot {
                code: code.to_string(),
                x: biggest.1 .0,
                y: biggest.1 .1,
            });
        }
    }
    for lake in &map.lakes {
        if !lake.bbox.intersects(&reach) {
            continue;
        }
        let mut d = String::new();
        for (pb, rings) in &lake.polygons {
            if pb.intersects(&reach) {
                rings_path(rings, projection, clip, tolerance, &mut d);
            }
        }
        if !d.is_empty() {
            let _ = write!(s, r#"<path class="lake" d="{d}"/>"#);
        }
    }
    s.push_str("</g>");
    (s, spots)
}

/// How a link is drawn for a flow (or none).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LinkStyle {
    /// Stroke colour: by utilisation for a used link, grey for an unused one.
    pub color: String,
    /// Stroke width in map units, by flow (in tonnes per year) against the map's largest.
    pub width: f64,
    /// Unused links are thin and dashed.
    pub dashed: bool,
    /// Drawn as a bottleneck (in the minimum cut, or a binding capacity).
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

/// What a map's frame fits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Frame {
    /// Every drawn link (the network view of the live map).
    AllLinks,
    /// The links that matter to the answer: those that carry flow and the bottlenecks (the cut); the
    /// other links are drawn where they fall inside. Falls back to every link when nothing flows.
    Answer,
    /// A fixed box.
    Fixed(BBox),
}

/// What to draw.
#[derive(Clone, Debug)]
pub struct MapSpec<'a> {
    /// Width in map units (the SVG scales to its container).
    pub width: f64,
    /// How the frame is chosen.
    pub frame: Frame,
    /// The links to draw.
    pub links: Vec<LinkId>,
    /// The flows to draw on the links (colour, width, bottlenecks); `None` for the network alone.
    pub flows: Option<&'a FlowView>,
    /// For the web app: every link gets `data-link`, a halo path and a line path that a script restyles.
    pub interactive: bool,
    /// A small locator map of the whole network in a corner, when the frame shows only part of it.
    pub inset: bool,
    /// Text for screen readers.
    pub title: String,
}

impl<'a> MapSpec<'a> {
    /// A report's map of an answer: framed on the answer, with a locator inset.
    pub fn answer(links: Vec<LinkId>, flows: &'a FlowView) -> MapSpec<'a> {
        MapSpec {
            width: 1000.0,
            frame: Frame::Answer,
            links,
            flows: Some(flows),
            interactive: false,
            inset: true,
            title: flows.title.clone(),
        }
    }
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

/// The links of `spec` that matter to its answer: they carry flow or are a bottleneck.
fn answer_links(dataset: &Dataset, spec: &MapSpec<'_>) -> Vec<LinkId> {
    let Some(flows) = spec.flows else {
        return Vec::new();
    };
    spec.links
        .iter()
        .copied()
        .filter(|&l| {
            flows
                .get(dataset, l)
                .is_some_and(|f| f.weight_t_per_y > 0.0 || f.bottleneck)
        })
        .collect()
}

/// The frame a spec will use.
pub fn frame(dataset: &Dataset, spec: &MapSpec<'_>) -> BBox {
    let fit = |links: &[LinkId]| BBox::of_links(dataset, links).map(|b| b.padded(0.06, 1.5));
    let whole = || {
        fit(&spec.links).unwrap_or(BBox {
            lon_min: 25.0,
            lon_max: 90.0,
            lat_min: 30.0,
            lat_max: 60.0,
        })
    };
    match spec.frame {
        Frame::Fixed(b) => b,
        Frame::AllLinks => whole(),
        Frame::Answer => fit(&answer_links(dataset, spec)).unwrap_or_else(whole),
    }
}

/// The map as one `<svg>` element.
pub fn render_map(dataset: &Dataset, spec: &MapSpec<'_>) -> String {
    render_map_with_labels(dataset, spec).0
}

/// The map, and the boxes of the labels placed on it (map units), for checks.
pub fn render_map_with_labels(dataset: &Dataset, spec: &MapSpec<'_>) -> (String, Vec<LabelBox>) {
    let view = frame(dataset, spec);
    let projection = Projection::fit(view, spec.width);
    let countries: BTreeSet<String> = dataset
        .countries
        .iter()
        .map(|c| c.code.to_string())
        .collect();
    let scale = Scale::for_span(view.lon_max - view.lon_min);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="corridor-map" viewBox="0 0 {w} {total}" role="img" aria-label="{title}"><style>{css}</style><clipPath id="frame-{id}"><rect x="0" y="0" width="{w}" height="{h}"/></clipPath><rect x="0" y="0" width="{w}" height="{total}" fill="#fff"/><g clip-path="url(#frame-{id})"><rect class="sea" x="0" y="0" width="{w}" height="{h}"/>"##,
        w = c1(projection.width),
        h = c1(projection.height),
        total = c1(projection.height + LEGEND_H),
        title = esc(&spec.title),
        css = MAP_CSS,
        id = map_id(spec, &projection),
    );
    let (land, spots) = basemap_layer(&projection, view, scale, &countries, 0.35);
    s.push_str(&land);
    s.push_str(&links_svg(dataset, spec, &projection));
    let mut placer = Placer::new(projection.width, projection.height);
    let inset = if spec.inset {
        inset_svg(dataset, spec, view, &projection, &mut placer)
    } else {
        String::new()
    };
    let nodes = nodes_svg(dataset, spec, &projection, &mut placer);
    let chokepoints = chokepoints_svg(dataset, spec, &projection, &mut placer);
    s.push_str(&nodes.markers);
    s.push_str(&chokepoints.markers);
    s.push_str(&nodes.labels);
    s.push_str(&chokepoints.labels);
    // Country codes last: they give way to places.
    s.push_str(r#"<g class="country-labels">"#);
    for spot in &spots {
        if let Some(p) = placer.centred(&spot.code, 11.0, spot.x, spot.y) {
            let _ = write!(
                s,
                r#"<text class="country-label" x="{}" y="{}">{}</text>"#,
                c1(p.x),
                c1(p.y),
                esc(&spot.code)
            );
        }
    }
    s.push_str("</g>");
    s.push_str(&inset);
    s.push_str("</g>");
    let credits = Credits {
        scale,
        inset: !inset.is_empty(),
        courses: dataset.course_credits(&spec.links),
    };
    s.push_str(&legend_svg(spec, &projection, &credits));
    s.push_str("</svg>");
    (s, placer.labels)
}

/// Height of the legend band under the map, map units.
const LEGEND_H: f64 = 52.0;

/// Styles inside the SVG, so a map keeps its look when copied out of the page.
const MAP_CSS: &str = ".sea,.lake{fill:#dfeaf3}.lake{stroke:#b9b2a3;stroke-width:0.4}.country{fill:#f4f1ea;stroke:#b9b2a3;stroke-width:0.6;stroke-linejoin:round}.country.in-dataset{fill:#ebe5d6}.country.closed{fill:#f3d3d0}.country.avoided{fill:#f6e4c8}.country-label{font:600 11px sans-serif;fill:#9b917d;text-anchor:middle;pointer-events:none}.link .line{fill:none;stroke-linecap:round;stroke-linejoin:round}.link .halo{fill:none;stroke:#ffd400;stroke-linecap:round;stroke-linejoin:round;opacity:.85}.link.off .line{stroke:#c0392b!important;stroke-dasharray:2 4;opacity:.6}.node{stroke:#fff;stroke-width:1}.node-label{font:11px sans-serif;fill:#1d2733;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;pointer-events:none}.node-label.major{font-weight:600}.chokepoint{fill:#fff;stroke:#8a1c1c;stroke-width:1.4}.chokepoint.off{fill:#c0392b}.chokepoint-label{font:italic 10px sans-serif;fill:#8a1c1c;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;pointer-events:none}.inset-frame{fill:none;stroke:#c0392b;stroke-width:1.2}.inset-border{fill:none;stroke:#6b7280;stroke-width:0.8}.legend text{font:11px sans-serif;fill:#1d2733}.attribution{font:9px sans-serif;fill:#6b7280}";

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
        // Published courses carry thousands of points; a fraction of a map unit is all a map shows.
        let projected: Vec<(f64, f64)> = dataset
            .link_geometry(link)
            .into_iter()
            .map(|(lon, lat)| projection.xy(lon, lat))
            .collect();
        let points = simplify(&projected, 0.3);
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

/// Markers and labels, drawn in two layers so labels stay above every marker.
struct Layer {
    markers: String,
    labels: String,
}

/// How much passes through each node on the map (tonnes a year, every commodity by weight).
fn throughput(dataset: &Dataset, spec: &MapSpec<'_>) -> BTreeMap<usize, f64> {
    let mut through = BTreeMap::new();
    for &l in &spec.links {
        let link = dataset.link(l);
        let w = spec
            .flows
            .and_then(|f| f.get(dataset, l))
            .map_or(0.0, |f| f.weight_t_per_y);
        *through.entry(link.from.idx()).or_insert(0.0) += w;
        *through.entry(link.to.idx()).or_insert(0.0) += w;
    }
    through
}

fn nodes_svg(
    dataset: &Dataset,
    spec: &MapSpec<'_>,
    projection: &Projection,
    placer: &mut Placer,
) -> Layer {
    let through = throughput(dataset, spec);
    let radius = |kind: NodeKind| match kind {
        NodeKind::Field | NodeKind::Market => 4.5,
        NodeKind::Port | NodeKind::Terminal => 3.2,
        _ => 2.6,
    };
    let mut markers = String::from(r#"<g class="nodes">"#);
    for &i in through.keys() {
        let n = &dataset.nodes[i];
        let (x, y) = projection.xy(n.lon, n.lat);
        let r = radius(n.kind);
        let fill = match n.kind {
            NodeKind::Field => "#2d6a4f",
            NodeKind::Market => "#6a4c93",
            NodeKind::Port | NodeKind::Terminal => "#1d3557",
            _ => "#495057",
        };
        let _ = write!(
            markers,
            r#"<circle class="node kind-{kind}" data-node="{id}" cx="{x}" cy="{y}" r="{r}" fill="{fill}"><title>{name} ({kind}{country})</title></circle>"#,
            kind = n.kind.as_str(),
            id = esc(&n.id),
            x = c1(x),
            y = c1(y),
            r = c1(r),
            name = esc(&n.name),
            country = n.country.map(|c| format!(", {c}")).unwrap_or_default(),
        );
        placer.block(LabelBox::around(x, y, r));
    }
    markers.push_str("</g>");
    // Labels: origins and markets first, then ports and terminals, then other named places; within
    // each, the busiest first. Nodes that share a place get one label; a map without flows labels
    // every node that has a place or is an origin, market, port or terminal.
    let rank = |i: usize| match dataset.nodes[i].kind {
        NodeKind::Field | NodeKind::Market => 0,
        NodeKind::Port | NodeKind::Terminal => 1,
        _ if dataset.nodes[i].place.is_some() => 2,
        _ => 3,
    };
    let mut candidates: Vec<(usize, f64)> = through
        .iter()
        .filter(|(&i, &w)| (w > 0.0 || spec.flows.is_none()) && rank(i) < 3)
        .map(|(&i, &w)| (i, w))
        .collect();
    candidates.sort_by(|a, b| {
        rank(a.0)
            .cmp(&rank(b.0))
            .then(b.1.total_cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let mut labels = String::from(r#"<g class="node-labels">"#);
    let mut named: BTreeSet<String> = BTreeSet::new();
    for (i, _) in candidates {
        let n = &dataset.nodes[i];
        let text = n.place.clone().unwrap_or_else(|| short_name(&n.name));
        if named.contains(&text) {
            continue;
        }
        let (x, y) = projection.xy(n.lon, n.lat);
        if !(0.0..projection.width).contains(&x) || !(0.0..projection.height).contains(&y) {
            continue;
        }
        let major = rank(i) == 0;
        let font = 11.0;
        if let Some(p) = placer.beside(&text, font, x, y, radius(n.kind)) {
            let _ = write!(
                labels,
                r#"<text class="node-label{}" data-node="{}" x="{}" y="{}" text-anchor="{}">{}</text>"#,
                if major { " major" } else { "" },
                esc(&n.id),
                c1(p.x),
                c1(p.y),
                p.anchor.svg(),
                esc(&text)
            );
            named.insert(text);
        }
    }
    labels.push_str("</g>");
    Layer { markers, labels }
}

/// Chokepoints with a position, inside the frame, that a drawn link passes: a diamond and the name.
fn chokepoints_svg(
    dataset: &Dataset,
    spec: &MapSpec<'_>,
    projection: &Projection,
    placer: &mut Placer,
) -> Layer {
    let drawn: BTreeSet<LinkId> = spec.links.iter().copied().collect();
    let mut markers = String::from(r#"<g class="chokepoints">"#);
    let mut labels = String::from(r#"<g class="chokepoint-labels">"#);
    for k in &dataset.chokepoints {
        let Some((lon, lat)) = k.position else {
            continue;
        };
        if !k.links.iter().any(|l| drawn.contains(l)) {
            continue;
        }
        let (x, y) = projection.xy(lon, lat);
        if !(0.0..projection.width).contains(&x) || !(0.0..projection.height).contains(&y) {
            continue;
        }
        let r = 5.0;
        let countries: Vec<String> = k.countries.iter().map(|c| c.to_string()).collect();
        let _ = write!(
            markers,
            r#"<path class="chokepoint" data-chokepoint="{id}" d="M{x},{y0}L{x1},{y}L{x},{y1}L{x0},{y}Z"><title>{name} (chokepoint; {countries})</title></path>"#,
            id = esc(&k.id),
            x = c1(x),
            y = c1(y),
            x0 = c1(x - r),
            x1 = c1(x + r),
            y0 = c1(y - r),
            y1 = c1(y + r),
            name = esc(&k.name),
            countries = esc(&countries.join(", ")),
        );
        placer.block(LabelBox::around(x, y, r));
        let text = short_name(&k.name);
        if let Some(p) = placer.beside(&text, 10.0, x, y, r) {
            let _ = write!(
                labels,
                r#"<text class="chokepoint-label" data-chokepoint="{}" x="{}" y="{}" text-anchor="{}">{}</text>"#,
                esc(&k.id),
                c1(p.x),
                c1(p.y),
                p.anchor.svg(),
                esc(&text)
            );
        }
    }
    markers.push_str("</g>");
    labels.push_str("</g>");
    Layer { markers, labels }
}

/// The locator inset: the whole network's region at 1:110m with the main frame outlined, in the
/// corner the answer's links use least. Empty when the frame already shows most of the region.
fn inset_svg(
    dataset: &Dataset,
    spec: &MapSpec<'_>,
    view: BBox,
    projection: &Projection,
    placer: &mut Placer,
) -> String {
    let Some(region) = BBox::of_links(dataset, &spec.links).map(|b| b.padded(0.08, 2.0)) else {
        return String::new();
    };
    let region = region.union(view);
    let area = |b: &BBox| (b.lon_max - b.lon_min) * (b.lat_max - b.lat_min);
    if area(&view) > 0.5 * area(&region) {
        return String::new();
    }
    let inset = Projection::fit(region, (projection.width * 0.22).round());
    let (w, h) = (inset.width, inset.height);
    if h > projection.height * 0.45 {
        return String::new();
    }
    // The corner with the fewest points of the drawn courses.
    let points: Vec<(f64, f64)> = spec
        .links
        .iter()
        .flat_map(|&l| dataset.link_geometry(l))
        .map(|(lon, lat)| projection.xy(lon, lat))
        .collect();
    let pad = 6.0;
    let corners = [
        (projection.width - w - pad, pad),
        (pad, pad),
        (pad, projection.height - h - pad),
        (projection.width - w - pad, projection.height - h - pad),
    ];
    let (ox, oy) = corners
        .into_iter()
        .min_by_key(|&(ox, oy)| {
            points
                .iter()
                .filter(|&&(x, y)| {
                    x >= ox - 10.0 && x <= ox + w + 10.0 && y >= oy - 10.0 && y <= oy + h + 10.0
                })
                .count()
        })
        .unwrap_or(corners[0]);
    placer.block(LabelBox {
        x0: ox - 2.0,
        y0: oy - 2.0,
        x1: ox + w + 2.0,
        y1: oy + h + 2.0,
    });
    let (land, _) = basemap_layer(&inset, region, Scale::Small, &BTreeSet::new(), 0.3);
    let (fx0, fy0) = inset.xy(view.lon_min, view.lat_max);
    let (fx1, fy1) = inset.xy(view.lon_max, view.lat_min);
    let id = format!("inset-{}", map_id(spec, projection));
    format!(
        r##"<g class="inset" transform="translate({ox},{oy})"><clipPath id="{id}"><rect width="{w}" height="{h}"/></clipPath><rect class="sea" width="{w}" height="{h}"/><g clip-path="url(#{id})">{land}<rect class="inset-frame" x="{fx}" y="{fy}" width="{fw}" height="{fh}"/></g><rect class="inset-border" width="{w}" height="{h}"/><title>Locator: the map's frame (red) in the network's region</title></g>"##,
        ox = c1(ox),
        oy = c1(oy),
        w = c1(w),
        h = c1(h),
        fx = c1(fx0),
        fy = c1(fy0),
        fw = c1(fx1 - fx0),
        fh = c1(fy1 - fy0),
    )
}

/// A short id for a map's `clipPath`s, the same for the same map, so several maps can share a page.
fn map_id(spec: &MapSpec<'_>, projection: &Projection) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!(
        "{}|{}|{}|{}",
        spec.title,
        projection.width,
        projection.height,
        spec.links.len()
    );
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", h as u32)
}

/// A node's name without its parenthesised details ("Ceyhan marine terminal").
fn short_name(name: &str) -> String {
    let base = name.split(" (").next().unwrap_or(name);
    crate::svg::shorten(base, 28)
}

/// What the attribution lines credit: the basemap, and the published route courses drawn (CC BY
/// requires them).
struct Credits {
    scale: Scale,
    inset: bool,
    courses: Vec<String>,
}

fn legend_svg(spec: &MapSpec<'_>, projection: &Projection, credits: &Credits) -> String {
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
            m = esc(&f.widest_label()),
        );
        x += 300.0;
    }
    let _ = write!(
        s,
        r##"<line x1="{x0}" y1="{yy}" x2="{x1}" y2="{yy}" stroke="#7b8794" stroke-width="1.3" stroke-dasharray="5 4"/><text x="{tx}" y="{ty}">no flow</text><line x1="{x2}" y1="{yy}" x2="{x3}" y2="{yy}" stroke="#ffd400" stroke-width="9" stroke-linecap="round" opacity="0.85"/><line x1="{x2}" y1="{yy}" x2="{x3}" y2="{yy}" stroke="#cb181d" stroke-width="2.5"/><text x="{tx2}" y="{ty}">bottleneck</text><path class="chokepoint" d="M{cx},{cy0}L{cx1},{cyy}L{cx},{cy1}L{cx0},{cyy}Z"/><text x="{tx3}" y="{ty}">chokepoint</text>"##,
        x0 = c1(x),
        x1 = c1(x + 24.0),
        yy = c1(y + 6.0),
        tx = c1(x + 30.0),
        ty = c1(y + 10.0),
        x2 = c1(x + 84.0),
        x3 = c1(x + 108.0),
        tx2 = c1(x + 116.0),
        cx = c1(x + 190.0),
        cx0 = c1(x + 185.0),
        cx1 = c1(x + 195.0),
        cy0 = c1(y + 1.0),
        cyy = c1(y + 6.0),
        cy1 = c1(y + 11.0),
        tx3 = c1(x + 200.0),
    );
    let _ = write!(
        s,
        r#"<text class="attribution" x="{}" y="{}" text-anchor="end">Basemap: Natural Earth 4.1.0, {}{} (public domain) · Mercator</text>"#,
        c1(projection.width - 4.0),
        c1(projection.height + LEGEND_H - 3.0),
        credits.scale.label(),
        if credits.inset { ", inset 1:110m" } else { "" },
    );
    if !credits.courses.is_empty() {
        let _ = write!(
            s,
            r#"<text class="attribution course-credits" x="{}" y="{}" text-anchor="end">Pipeline courses: {}</text>"#,
            c1(projection.width - 4.0),
            c1(projection.height + LEGEND_H - 14.0),
            esc(&credits.courses.join(" · "))
        );
    }
    s.push_str("</g>");
    s
}
