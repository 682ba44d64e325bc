//! Charts as standalone SVG text: horizontal bar charts, a Sankey diagram, a histogram. Plain SVG 1.1
//! with presentation attributes, no scripts and no fonts to fetch, so the charts print and open offline.

use std::collections::BTreeMap;
use std::fmt::Write;

/// The opening `<svg>` tag every chart starts with: its class (`chart` plus `kind`), its
/// `width` × `height` view box and `title` as the accessible label.
fn svg_open(kind: &str, width: f64, height: f64, title: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {} {}" role="img" aria-label="{}">"#,
        c1(width),
        c1(height),
        esc(title)
    )
}

/// Escapes text for XML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal, as SVG wants it (no `NaN`, no exponent).
pub fn c1(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Shortens a label to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// A number for a chart label: three significant-ish decimals for small values, fewer for large ones.
pub fn label_number(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() {
        "–".into()
    } else if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Text beside the bar (shortened to 28 characters; whole in its tooltip).
    pub label: String,
    /// Bar length, in the chart's unit.
    pub value: f64,
    /// Text shown after the bar (e.g. "27.9 Mt/y · 40.6 %").
    pub note: String,
    /// Fill colour (`#rrggbb`).
    pub color: String,
}

/// A horizontal bar chart, one row per bar, scaled to `max` (or the largest value).
pub fn bar_chart(title: &str, bars: &[Bar], max: Option<f64>) -> String {
    // Room for the longest label (cut at 28 characters) and the longest note, at about 6.6 units a
    // character of 12-unit text; the bars get the rest, at least 200 units.
    let chars = |t: &str, cap: usize| t.chars().count().min(cap) as f64;
    let label_w = 16.0 + 6.6 * bars.iter().map(|b| chars(&b.label, 28)).fold(8.0, f64::max);
    let note_w = 12.0 + 6.6 * bars.iter().map(|b| chars(&b.note, 80)).fold(8.0, f64::max);
    let width = (label_w + note_w + 300.0).max(640.0);
    let row = 22.0;
    let top = 8.0;
    let height = top + row * bars.len().max(1) as f64 + 8.0;
    let scale_max = max
        .unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max))
        .max(1e-12);
    let bar_area = width - label_w - note_w;
    let mut s = svg_open("bar-chart", width, height, title);
    if bars.is_empty() {
        let _ = write!(
            s,
            r##"<text x="0" y="22" font-size="13" fill="#555">(nothing to show)</text>"##
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let w = (b.value.max(0.0) / scale_max).min(1.0) * bar_area;
        let _ = write!(
            s,
            r##"<g><title>{label}: {note}</title><text x="{lx}" y="{ty}" font-size="12" text-anchor="end" fill="#222">{short}</text><rect x="{bx}" y="{by}" width="{bw}" height="{bh}" fill="{color}"/><text x="{nx}" y="{ty}" font-size="12" fill="#333">{note}</text></g>"##,
            label = esc(&b.label),
            note = esc(&b.note),
            short = esc(&shorten(&b.label, 28)),
            lx = c1(label_w - 8.0),
            ty = c1(y + 15.0),
            bx = c1(label_w),
            by = c1(y + 3.0),
            bw = c1(w.max(if b.value > 0.0 { 1.0 } else { 0.0 })),
            bh = c1(row - 6.0),
            color = esc(&b.color),
            nx = c1(label_w + w + 6.0),
        );
    }
    s.push_str("</svg>");
    s
}

/// One band of a Sankey diagram, in one unit for the whole diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct SankeyFlow {
    /// Left column: where the volume starts.
    pub origin: String,
    /// Middle column: the way it goes.
    pub route: String,
    /// Right column: where it arrives.
    pub market: String,
    /// Band width, in the diagram's unit.
    pub volume: f64,
}

const PALETTE: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f", "#d62728",
];

/// A three-column Sankey diagram: origins → routes → markets, band widths proportional to volume.
/// Nodes in each column are ordered to keep bands from crossing (by the weighted position of what
/// feeds them).
pub fn sankey(title: &str, flows: &[SankeyFlow], unit: &str) -> String {
    let flows: Vec<&SankeyFlow> = flows
        .iter()
        .filter(|f| f.volume.is_finite() && f.volume > 0.0)
        .collect();
    let width = 900.0;
    let node_w = 14.0;
    let gap = 12.0;
    let col_x = [170.0, 360.0, 660.0];
    let total: f64 = flows.iter().map(|f| f.volume).sum();
    let mut columns: [BTreeMap<String, f64>; 3] = Default::default();
    for f in &flows {
        *columns[0].entry(f.origin.clone()).or_default() += f.volume;
        *columns[1].entry(f.route.clone()).or_default() += f.volume;
        *columns[2].entry(f.market.clone()).or_default() += f.volume;
    }
    let max_nodes = columns.iter().map(|c| c.len()).max().unwrap_or(1).max(1);
    let plot_h = (60.0 + 26.0 * max_nodes as f64).max(220.0);
    // Room below the plot for labels pushed down by their neighbours.
    let label_room = 14.0 * max_nodes as f64 * 0.5;
    let height = plot_h + 40.0 + label_room;
    let k = if total > 0.0 {
        (plot_h - gap * (max_nodes as f64 - 1.0)) / total
    } else {
        0.0
    };

    // Order: origins by volume; routes and markets by the mean position of their inputs.
    let mut order: [Vec<String>; 3] = Default::default();
    let mut origins: Vec<(String, f64)> = columns[0].iter().map(|(k, v)| (k.clone(), *v)).collect();
    origins.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    order[0] = origins.into_iter().map(|o| o.0).collect();
    for col in 1..3 {
        let pos: BTreeMap<&String, usize> = order[col - 1]
            .iter()
            .enumerate()
            .map(|(i, n)| (n, i))
            .collect();
        let mut keyed: Vec<(String, f64)> = columns[col]
            .keys()
            .map(|name| {
                let (mut sum, mut w) = (0.0, 0.0);
                for f in &flows {
                    let (from, to) = if col == 1 {
                        (&f.origin, &f.route)
                    } else {
                        (&f.route, &f.market)
                    };
                    if to == name {
                        sum += pos.get(from).copied().unwrap_or(0) as f64 * f.volume;
                        w += f.volume;
                    }
                }
                (name.clone(), if w > 0.0 { sum / w } else { 0.0 })
            })
            .collect();
        keyed.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        order[col] = keyed.into_iter().map(|k| k.0).collect();
    }
    // Node rectangles: (y, height), centred vertically in the plot.
    let mut rects: [BTreeMap<String, (f64, f64)>; 3] = Default::default();
    for col in 0..3 {
        let used: f64 = order[col].iter().map(|n| columns[col][n] * k).sum::<f64>()
            + gap * (order[col].len() as f64 - 1.0).max(0.0);
        let mut y = 20.0 + (plot_h - used) / 2.0;
        for n in &order[col] {
            let h = (columns[col][n] * k).max(1.0);
            rects[col].insert(n.clone(), (y, h));
            y += h + gap;
        }
    }
    let color_of: BTreeMap<&String, &str> = order[0]
        .iter()
        .enumerate()
        .map(|(i, n)| (n, PALETTE[i % PALETTE.len()]))
        .collect();

    let mut s = svg_open("sankey", width, height, title);
    if flows.is_empty() {
        s.push_str(r##"<text x="10" y="30" font-size="13" fill="#555">(no flow)</text></svg>"##);
        return s;
    }
    // Bands, drawn in two stages (origin→route, route→market); each band keeps its origin's colour.
    let mut out_offset: [BTreeMap<String, f64>; 3] = Default::default();
    let mut in_offset: [BTreeMap<String, f64>; 3] = Default::default();
    let mut sorted: Vec<&&SankeyFlow> = flows.iter().collect();
    for stage in 0..2 {
        let (a, b) = (stage, stage + 1);
        let key = |f: &SankeyFlow, col: usize| -> String {
            match col {
                0 => f.origin.clone(),
                1 => f.route.clone(),
                _ => f.market.clone(),
            }
        };
        let rank = |col: usize, name: &String| order[col].iter().position(|n| n == name);
        sorted.sort_by_key(|f| (rank(a, &key(f, a)), rank(b, &key(f, b))));
        for f in &sorted {
            let (from, to) = (key(f, a), key(f, b));
            let h = f.volume * k;
            let (fy, _) = rects[a][&from];
            let (ty, _) = rects[b][&to];
            let o1 = out_offset[a].entry(from.clone()).or_default();
            let y0 = fy + *o1;
            *o1 += h;
            let o2 = in_offset[b].entry(to.clone()).or_default();
            let y1 = ty + *o2;
            *o2 += h;
            let x0 = col_x[a] + node_w;
            let x1 = col_x[b];
            let xm = (x0 + x1) / 2.0;
            let color = color_of.get(&f.origin).copied().unwrap_or("#888");
            let _ = write!(
                s,
                r#"<path d="M{x0},{y0}C{xm},{y0} {xm},{y1} {x1},{y1}L{x1},{y1b}C{xm},{y1b} {xm},{y0b} {x0},{y0b}Z" fill="{color}" fill-opacity="0.45"><title>{from} → {to}: {v} {unit}</title></path>"#,
                x0 = c1(x0),
                y0 = c1(y0),
                xm = c1(xm),
                x1 = c1(x1),
                y1 = c1(y1),
                y1b = c1(y1 + h),
                y0b = c1(y0 + h),
                from = esc(&from),
                to = esc(&to),
                v = label_number(f.volume),
                unit = esc(unit),
            );
        }
    }
    for col in 0..3 {
        // Labels sit at their node's middle, pushed down just enough that no two overlap (12-unit
        // text needs 14 units); a label moved off its node gets a short leader line.
        let mut label_y: Vec<f64> = order[col]
            .iter()
            .map(|n| {
                let (y, h) = rects[col][n];
                y + h / 2.0 + 4.0
            })
            .collect();
        for i in 1..label_y.len() {
            label_y[i] = label_y[i].max(label_y[i - 1] + 14.0);
        }
        for (n, ty) in order[col].iter().zip(label_y) {
            let (y, h) = rects[col][n];
            let fill = if col == 0 {
                color_of.get(n).copied().unwrap_or("#555")
            } else {
                "#444"
            };
            let (tx, anchor) = match col {
                0 => (col_x[0] - 6.0, "end"),
                1 => (col_x[1] + node_w + 6.0, "start"),
                _ => (col_x[2] + node_w + 6.0, "start"),
            };
            let leader = if (ty - (y + h / 2.0 + 4.0)).abs() > 1.0 {
                let (x_node, x_text) = if col == 0 {
                    (col_x[0], tx + 2.0)
                } else {
                    (col_x[col] + node_w, tx - 2.0)
                };
                format!(
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888" stroke-width="0.8"/>"##,
                    c1(x_node),
                    c1(y + h / 2.0),
                    c1(x_text),
                    c1(ty - 4.0)
                )
            } else {
                String::new()
            };
            let _ = write!(
                s,
                r##"<g><title>{name}: {v} {unit}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>{leader}<text x="{tx}" y="{ty}" font-size="12" text-anchor="{anchor}" fill="#222" paint-order="stroke" stroke="#fff" stroke-width="3">{label} <tspan fill="#555">{v}</tspan></text></g>"##,
                name = esc(n),
                v = label_number(columns[col][n]),
                unit = esc(unit),
                x = c1(col_x[col]),
                y = c1(y),
                w = c1(node_w),
                h = c1(h),
                tx = c1(tx),
                ty = c1(ty),
                label = esc(&shorten(n, if col == 1 { 36 } else { 30 })),
            );
        }
    }
    for (i, head) in ["origin", "route", "market"].iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{}" y="12" font-size="11" fill="#666" text-anchor="middle">{head}</text>"##,
            c1(col_x[i] + node_w / 2.0)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" font-size="11" fill="#666" text-anchor="end">band width ∝ volume ({})</text>"##,
        c1(width - 4.0),
        c1(height - 6.0),
        esc(unit)
    );
    s.push_str("</svg>");
    s
}

/// A histogram of counts over bins `[lo, hi)`, with an x-axis label.
/// A histogram of `bins`, with a dashed vertical line and a label for each of `markers` (e.g. percentiles)
/// that falls inside the bins' range, and ticks at 0, half and the largest count.
pub fn histogram(
    title: &str,
    bins: &[(f64, f64, u64)],
    x_label: &str,
    color: &str,
    markers: &[(String, f64)],
) -> String {
    let width = 640.0;
    let height = 240.0;
    let (left, right, top, bottom) = (48.0, 12.0, 12.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max_count = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
    let total: u64 = bins.iter().map(|b| b.2).sum();
    let mut s = svg_open("histogram", width, height, title);
    let n = bins.len().max(1) as f64;
    for (i, (lo, hi, count)) in bins.iter().enumerate() {
        let h = *count as f64 / max_count * plot_h;
        let x = left + plot_w * i as f64 / n;
        let share = if total > 0 {
            *count as f64 / total as f64 * 100.0
        } else {
            0.0
        };
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}–{}: {} samples ({:.1} %)</title></rect>"#,
            c1(x + 1.0),
            c1(top + plot_h - h),
            c1((plot_w / n - 2.0).max(1.0)),
            c1(h),
            esc(color),
            label_number(*lo),
            label_number(*hi),
            count,
            share
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#444"/><line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#444"/>"##,
        l = c1(left),
        r = c1(width - right),
        t = c1(top),
        b = c1(top + plot_h)
    );
    if let (Some(first), Some(last)) = (bins.first(), bins.last()) {
        let span = last.1 - first.0;
        for (i, (label, v)) in markers.iter().enumerate() {
            if !(span > 0.0 && *v >= first.0 && *v <= last.1) {
                continue;
            }
            let x = left + plot_w * (v - first.0) / span;
            // Labels step down so that markers close together stay readable.
            let ty = top + 10.0 + 12.0 * (i % 4) as f64;
            let _ = write!(
                s,
                r##"<line class="marker" x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="#222" stroke-dasharray="4 3"/><text x="{tx}" y="{ty}" font-size="10" fill="#222">{label} {v}</text>"##,
                x = c1(x),
                t = c1(top),
                b = c1(top + plot_h),
                tx = c1(x + 3.0),
                ty = c1(ty),
                label = esc(label),
                v = label_number(*v)
            );
        }
        for (x, v, anchor) in [
            (left, first.0, "start"),
            (left + plot_w / 2.0, (first.0 + last.1) / 2.0, "middle"),
            (width - right, last.1, "end"),
        ] {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-size="11" fill="#333" text-anchor="{anchor}">{}</text>"##,
                c1(x),
                c1(top + plot_h + 14.0),
                label_number(v)
            );
        }
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" font-size="11" fill="#333" text-anchor="middle">{}</text><text x="12" y="{}" font-size="11" fill="#333" transform="rotate(-90 12 {})" text-anchor="middle">sampled years</text>"##,
        c1(left + plot_w / 2.0),
        c1(height - 6.0),
        esc(x_label),
        c1(top + plot_h / 2.0),
        c1(top + plot_h / 2.0),
    );
    // Round ticks up the count axis.
    let ticks = nice_ticks(max_count, 4);
    for count in ticks.iter().filter(|t| **t <= max_count) {
        let y = top + plot_h - count / max_count * plot_h;
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#444"/><text x="{}" y="{}" font-size="10" fill="#333" text-anchor="end">{count:.0}</text>"##,
            c1(left - 3.0),
            c1(left),
            c1(left - 4.0),
            c1(y + 3.0),
            y = c1(y),
        );
    }
    s.push_str("</svg>");
    s
}

/// Counts `values` into `n_bins` equal bins from the smallest to the largest value (one bin when they
/// are all equal). Non-finite values are skipped.
pub fn bin(values: &[f64], n_bins: usize) -> Vec<(f64, f64, u64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let n_bins = n_bins.max(1);
    let (Some(lo), Some(hi)) = (
        finite.iter().copied().reduce(f64::min),
        finite.iter().copied().reduce(f64::max),
    ) else {
        return Vec::new();
    };
    if hi <= lo {
        return vec![(lo, lo, finite.len() as u64)];
    }
    let step = (hi - lo) / n_bins as f64;
    let mut out: Vec<(f64, f64, u64)> = (0..n_bins)
        .map(|i| (lo + step * i as f64, lo + step * (i + 1) as f64, 0))
        .collect();
    for v in finite {
        let i = (((v - lo) / step) as usize).min(n_bins - 1);
        out[i].2 += 1;
    }
    out
}

/// Round steps for an axis from 0 to `max`: about `n` of them, each 1, 2 or 5 times a power of ten.
pub(crate) fn nice_ticks(max: f64, n: usize) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0];
    }
    let raw = max / n.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let count = (max / step).ceil() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A tick's label: as many decimals as the step between ticks needs.
pub(crate) fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 || step <= 0.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    format!("{v:.decimals$}")
}

/// One stacked series of [`stacked_years`]: a value per year.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// One value per year, in the order of the chart's years, in its unit.
    pub values: Vec<f64>,
    /// Fill colour, as SVG takes it (`#rrggbb`).
    pub color: String,
}

/// A year marked on [`stacked_years`] (a link entering service).
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    /// Where the dashed vertical goes.
    pub year: i32,
    /// Text at the top of the vertical.
    pub label: String,
}

/// Stacked columns of `series` per year, a line (e.g. the bypass capacity) over them, dashed verticals
/// at `milestones`, a y axis with round ticks in `unit`, and a legend.
pub fn stacked_years(
    title: &str,
    years: &[i32],
    series: &[Series],
    line: Option<(&str, &[Option<f64>])>,
    milestones: &[Milestone],
    unit: &str,
) -> String {
    let width = 900.0;
    let (left, top, bottom) = (56.0, 62.0, 30.0);
    let legend_w = 260.0;
    let plot_w = width - left - legend_w - 16.0;
    let plot_h = 230.0;
    let height = top + plot_h + bottom;
    let n = years.len().max(1) as f64;
    let stack_max = (0..years.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0).max(0.0))
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let line_max = line
        .map(|(_, v)| v.iter().flatten().copied().fold(0.0, f64::max))
        .unwrap_or(0.0);
    let ticks = nice_ticks(stack_max.max(line_max), 5);
    let step = ticks.get(1).copied().unwrap_or(1.0);
    let y_max = ticks.last().copied().unwrap_or(1.0).max(1e-12);
    let y = |v: f64| top + plot_h - v / y_max * plot_h;
    let x_mid = |i: usize| left + plot_w * (i as f64 + 0.5) / n;
    let col_w = (plot_w / n * 0.62).max(2.0);
    let mut s = svg_open("stacked", width, height, title);
    for t in &ticks {
        let _ = write!(
            s,
            r##"<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="#e3e6ea"/><text x="{tx}" y="{ty}" font-size="11" fill="#333" text-anchor="end">{v}</text>"##,
            l = c1(left),
            r = c1(left + plot_w),
            y = c1(y(*t)),
            tx = c1(left - 5.0),
            ty = c1(y(*t) + 4.0),
            v = tick_label(*t, step)
        );
    }
    let _ = write!(
        s,
        r##"<text x="12" y="{m}" font-size="11" fill="#333" transform="rotate(-90 12 {m})" text-anchor="middle">{unit}</text>"##,
        m = c1(top + plot_h / 2.0),
        unit = esc(unit)
    );
    for (i, year) in years.iter().enumerate() {
        let mut base = 0.0;
        for sr in series {
            let v = sr.values.get(i).copied().unwrap_or(0.0).max(0.0);
            if v > 0.0 {
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{year}: {} {} {unit}</title></rect>"#,
                    c1(x_mid(i) - col_w / 2.0),
                    c1(y(base + v)),
                    c1(col_w),
                    c1((y(base) - y(base + v)).max(0.5)),
                    esc(&sr.color),
                    esc(&sr.label),
                    label_number(v),
                    unit = esc(unit),
                );
            }
            base += v;
        }
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="11" fill="#333" text-anchor="middle">{year}</text>"##,
            c1(x_mid(i)),
            c1(top + plot_h + 16.0)
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#444"/>"##,
        l = c1(left),
        r = c1(left + plot_w),
        b = c1(top + plot_h)
    );
    // Milestones: one dashed line per year, the labels of that year stacked above the plot.
    let mut by_year: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for m in milestones {
        by_year.entry(m.year).or_default().push(&m.label);
    }
    // Labels step down in three rows so neighbouring years stay readable.
    for (row, (year, labels)) in by_year.iter().enumerate() {
        let Some(i) = years.iter().position(|y| y == year) else {
            continue;
        };
        let x = x_mid(i) - plot_w / n / 2.0;
        let text = shorten(&labels.join(", "), 34);
        let label_y = top - 42.0 + 15.0 * (row % 3) as f64;
        let _ = write!(
            s,
            r##"<g class="milestone"><title>{year}: {all}</title><line x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="#2d6a4f" stroke-dasharray="4 3"/><text x="{tx}" y="{ty}" font-size="10" fill="#2d6a4f">▸ {year}: {text}</text></g>"##,
            all = esc(&labels.join(", ")),
            x = c1(x),
            t = c1(label_y + 3.0),
            b = c1(top + plot_h),
            tx = c1(x + 2.0),
            ty = c1(label_y),
            text = esc(&text),
        );
    }
    if let Some((label, values)) = line {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{},{}", c1(x_mid(i)), c1(y(v)))))
            .collect();
        let _ = write!(
            s,
            r##"<polyline class="line" points="{}" fill="none" stroke="#c0392b" stroke-width="2.5"/>"##,
            points.join(" ")
        );
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    s,
                    r##"<circle cx="{}" cy="{}" r="3.5" fill="#c0392b"><title>{} {}: {} {}</title></circle>"##,
                    c1(x_mid(i)),
                    c1(y(*v)),
                    esc(label),
                    years[i],
                    label_number(*v),
                    esc(unit)
                );
            }
        }
    }
    // Legend, top to bottom in stacking order reversed (the top band first).
    let lx = left + plot_w + 16.0;
    let mut ly = top + 4.0;
    if let Some((label, _)) = line {
        let _ = write!(
            s,
            r##"<line x1="{lx}" y1="{y}" x2="{lx2}" y2="{y}" stroke="#c0392b" stroke-width="2.5"/><text x="{tx}" y="{ty}" font-size="11" fill="#222">{label}</text>"##,
            lx = c1(lx),
            lx2 = c1(lx + 16.0),
            y = c1(ly + 5.0),
            tx = c1(lx + 22.0),
            ty = c1(ly + 9.0),
            label = esc(&shorten(label, 36))
        );
        ly += 18.0;
    }
    for sr in series.iter().rev() {
        let _ = write!(
            s,
            r##"<rect x="{}" y="{}" width="12" height="10" fill="{}"/><text x="{}" y="{}" font-size="11" fill="#222">{}</text>"##,
            c1(lx + 2.0),
            c1(ly),
            esc(&sr.color),
            c1(lx + 22.0),
            c1(ly + 9.0),
            esc(&shorten(&sr.label, 36))
        );
        ly += 16.0;
    }
    s.push_str("</svg>");
    s
}
