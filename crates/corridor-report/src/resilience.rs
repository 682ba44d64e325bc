//! Tables of the resilience analyses: contingencies, Monte Carlo risk, dependence indices, pathways.

use crate::records::{
    AmountRecord as Amount, ContingencyRecord as Contingency,
    ContingencyResultRecord as ContingencyResult, IndicesRecord as IndicesResult,
    PathwayRecord as PathwayResult, RiskRecord as RiskResult,
};
use crate::{musd, percent, row, volume, Align, Cell, Table};
use corridor_analysis::Distribution;

/// Volumes of one or more commodities: a figure when there is one (its unit is in the header), else a
/// phrase naming each unit.
fn amounts(list: &[Amount]) -> Cell {
    if let [one] = list {
        return Cell::volume(one.value);
    }
    let shown: Vec<String> = list
        .iter()
        .filter(|a| a.value.abs() >= 5e-4)
        .map(|a| {
            if list.len() == 1 {
                volume(a.value)
            } else {
                format!("{} {} {}", volume(a.value), a.unit, a.commodity)
            }
        })
        .collect();
    if shown.is_empty() {
        Cell::volume(0.0)
    } else {
        Cell::Text(shown.join("; "))
    }
}

/// The unit header of an amounts column: the unit itself when there is one commodity.
fn amounts_header(what: &str, list: Option<&Vec<Amount>>) -> String {
    match list.map(|l| &l[..]) {
        Some([one]) => format!("{what} ({})", one.unit),
        _ => what.to_string(),
    }
}

fn contingency_table(title: String, list: &[Contingency], top: usize, pairs: bool) -> Table {
    let first = list.first().map(|c| &c.lost);
    let mut columns = vec![("rank", Align::Right), ("out", Align::Left)];
    let lost = amounts_header("lost", first);
    let unmet = amounts_header("unmet", list.first().map(|c| &c.unmet));
    columns.push((lost.as_str(), Align::Right));
    columns.push((unmet.as_str(), Align::Right));
    columns.push(("loss (MUSD/y)", Align::Right));
    if pairs {
        columns.push(("synergy (MUSD/y)", Align::Right));
    }
    columns.push(("extra tariffs (MUSD/y)", Align::Right));
    columns.push(("origins hit", Align::Left));
    columns.push(("flow moves to", Align::Left));
    let mut t = Table::new(title, &columns);
    // With several commodities (TEU and tonnes), every volume names its unit: never a bare number that
    // could be read in another commodity's unit.
    let several = list.first().is_some_and(|c| c.unmet.len() > 1);
    let with_unit = |v: f64, unit: &str, commodity: &str| {
        if several {
            format!("{} {unit} {commodity}", volume(v))
        } else {
            volume(v)
        }
    };
    for c in list.iter().take(top) {
        let out: Vec<String> = c
            .elements
            .iter()
            .map(|e| format!("{} {}", e.kind, e.id))
            .collect();
        let mut row = row![
            Cell::integer(c.rank as i64),
            out.join(" + ") + if c.contracts_relaxed { " *" } else { "" },
            amounts(&c.lost),
            amounts(&c.unmet),
            Cell::musd(c.loss_usd),
        ];
        if pairs {
            row.push(Cell::musd(c.synergy_usd.unwrap_or(0.0)));
        }
        row.push(Cell::musd(c.extra_transport_usd));
        row.push(Cell::Text(
            c.origins_hit
                .iter()
                .map(|o| format!("{} {}", o.origin, with_unit(o.lost, &o.unit, &o.commodity)))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        row.push(Cell::Text(
            c.reroutes
                .iter()
                .map(|r| format!("{} +{}", r.link, with_unit(r.change, &r.unit, &r.commodity)))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        t.push(row);
    }
    if list.len() > top {
        t.note(format!(
            "… {} more (all in --format json)",
            list.len() - top
        ));
    }
    if list.iter().take(top).any(|c| c.contracts_relaxed) {
        t.note("* contract minimums cannot be met in this case and were dropped for it");
    }
    t
}

/// The ranked single and pair contingencies (at most `top` rows each).
pub fn contingency_tables(r: &ContingencyResult, top: usize) -> Vec<Table> {
    let mut out = Vec::new();
    let mut singles = contingency_table(
        format!(
            "Contingencies — {} ({}): each element out, ranked by loss",
            r.scenario, r.year
        ),
        &r.singles,
        top,
        false,
    );
    singles.note(format!(
        "base case: delivered {} · unmet {} · tariffs {} MUSD/y · loss = rise of tariffs + unmet penalties − netbacks",
        amounts_unit(&r.base.delivered),
        amounts_unit(&r.base.unmet),
        musd(r.base.transport_cost_usd)
    ));
    singles.note(format!(
        "{} element{}, {} solve{} by {} (warm from the base basis where the network simplex applies)",
        r.stats.elements,
        if r.stats.elements == 1 { "" } else { "s" },
        r.stats.single_solves,
        if r.stats.single_solves == 1 { "" } else { "s" },
        r.method
    ));
    out.push(singles);
    if r.stats.pairs > 0 {
        let mut pairs = contingency_table(
            "Pairs worse than their parts (synergy > 0), ranked by loss".to_string(),
            &r.pairs,
            top,
            true,
        );
        pairs.note(format!(
            "{} pairs: {} solved, {} settled by pruning (an optimum that does not use an element is unchanged without it)",
            r.stats.pairs,
            r.stats.pair_solves,
            r.stats.pairs - r.stats.pair_solves
        ));
        out.push(pairs);
    }
    out
}

fn amounts_unit(list: &[Amount]) -> String {
    list.iter()
        .map(|a| format!("{} {} {}", volume(a.value), a.unit, a.commodity))
        .collect::<Vec<_>>()
        .join("; ")
}

fn dist_cells(d: &Distribution, fmt: impl Fn(f64) -> Cell) -> Vec<Cell> {
    vec![
        fmt(d.mean),
        fmt(d.p50),
        fmt(d.p90),
        fmt(d.p95),
        fmt(d.p99),
        Cell::percent(d.prob_positive),
    ]
}

/// Unmet volume per origin and commodity, costs, tail contributors and the outage assumptions.
pub fn risk_tables(r: &RiskResult) -> Vec<Table> {
    let stats = [
        ("mean", Align::Right),
        ("P50", Align::Right),
        ("P90", Align::Right),
        ("P95", Align::Right),
        ("P99", Align::Right),
        ("P(>0)", Align::Right),
    ];
    let mut out = Vec::new();
    let mut cols = vec![
        ("origin", Align::Left),
        ("commodity", Align::Left),
        ("unit", Align::Left),
        ("supplied", Align::Right),
    ];
    cols.extend(stats);
    let mut t = Table::new(
        format!(
            "Risk — {} ({}): unmet volume per year over {} sampled years (seed {}, {} durations, {} timing)",
            r.scenario,
            r.year,
            r.samples,
            r.seed,
            r.durations.as_str(),
            r.timing.as_str()
        ),
        &cols,
    );
    for o in &r.origins {
        let mut row = row![
            o.origin.clone(),
            o.commodity.clone(),
            o.unit.clone(),
            Cell::volume(o.supplied),
        ];
        row.extend(dist_cells(&o.unmet, Cell::volume));
        t.push(row);
    }
    for c in &r.commodities {
        let mut row = row![
            "(all origins)",
            c.commodity.clone(),
            c.unit.clone(),
            Cell::volume(c.supplied),
        ];
        row.extend(dist_cells(&c.unmet, Cell::volume));
        t.push(row);
    }
    t.note(format!(
        "{} allocations solved by {} · fingerprint {} · percentiles are nearest-rank",
        r.solves, r.method, r.fingerprint
    ));
    if r.contracts_relaxed_samples > 0 {
        t.note(format!(
            "contract minimums could not be met and were dropped in {} samples",
            r.contracts_relaxed_samples
        ));
    }
    out.push(t);

    let mut cols = vec![("quantity", Align::Left), ("unit", Align::Left)];
    cols.extend(stats);
    let mut t = Table::new("Cost per year", &cols);
    let money = |v: f64| Cell::figure(v, format!("{v:.1}"));
    for c in &r.commodities {
        let mut row = row![
            format!("unmet {} × penalty (export value lost)", c.commodity),
            "MUSD/y",
        ];
        row.extend(dist_cells(&c.unmet_cost_musd, money));
        t.push(row);
    }
    let mut row = row!["tariffs paid", "MUSD/y"];
    row.extend(dist_cells(&r.transport_cost_musd, money));
    t.push(row);
    let mut row = row!["loss against the base case", "MUSD/y"];
    row.extend(dist_cells(&r.loss_musd, money));
    t.push(row);
    out.push(t);

    let mut t = Table::new(
        format!(
            "What the worst {} of years have in common ({} samples with a loss)",
            percent(r.tail_share),
            r.tail_samples
        ),
        &[
            ("kind", Align::Left),
            ("id", Align::Left),
            ("annual prob", Align::Right),
            ("in tail", Align::Right),
            ("in all years", Align::Right),
            ("lift", Align::Right),
            ("mean days in tail", Align::Right),
        ],
    );
    for c in r.tail.iter().take(12) {
        t.push(row![
            c.kind.clone(),
            c.id.clone(),
            Cell::figure(c.annual_prob, format!("{:.3}", c.annual_prob)),
            Cell::percent(c.tail_frequency),
            Cell::percent(c.frequency),
            Cell::figure_in(c.lift, "×", format!("{:.1}×", c.lift)),
            Cell::figure(c.mean_days_in_tail, format!("{:.1}", c.mean_days_in_tail)),
        ]);
    }
    if r.tail.len() > 12 {
        t.note(format!(
            "… {} more (all in --format json)",
            r.tail.len() - 12
        ));
    }
    out.push(t);

    let mut t = Table::new(
        "Outage assumptions used",
        &[
            ("kind", Align::Left),
            ("id", Align::Left),
            ("annual prob", Align::Right),
            ("mean days", Align::Right),
            ("derate", Align::Right),
            ("links", Align::Right),
            ("confidence", Align::Left),
            ("sources", Align::Left),
        ],
    );
    for s in &r.sources {
        t.push(row![
            s.kind.clone(),
            s.id.clone(),
            Cell::figure(s.annual_prob, format!("{:.3}", s.annual_prob)),
            Cell::figure(s.mean_days, format!("{:.1}", s.mean_days)),
            Cell::figure_in(s.derate_pct, "%", format!("{:.0} %", s.derate_pct)),
            Cell::integer(s.links.len() as i64),
            s.confidence.clone(),
            s.sources.join(", "),
        ]);
    }
    out.push(t);
    out
}

/// Route concentration, countries crossed with bypass ratios, and transit-country leverage.
pub fn indices_tables(r: &IndicesResult) -> Vec<Table> {
    let mut out = Vec::new();
    let mut t = Table::new(
        format!("Route concentration — {} ({})", r.scenario, r.year),
        &[
            ("origin", Align::Left),
            ("commodity", Align::Left),
            ("delivered", Align::Right),
            ("unit", Align::Left),
            ("HHI routes", Align::Right),
            ("HHI countries", Align::Right),
            ("main country path", Align::Left),
        ],
    );
    for o in &r.origins {
        let main = o
            .corridors
            .first()
            .map(|c| format!("{} ({})", c.path, percent(c.share)))
            .unwrap_or_default();
        t.push(row![
            o.origin.clone(),
            o.commodity.clone(),
            Cell::volume(o.delivered),
            o.unit.clone(),
            Cell::figure(o.hhi_routes, format!("{:.3}", o.hhi_routes)),
            Cell::figure(o.hhi_countries, format!("{:.3}", o.hhi_countries)),
            main,
        ]);
    }
    t.note("HHI routes: over country paths (1 = every route crosses the same countries); HHI countries: over the countries crossed");
    out.push(t);

    let mut t = Table::new(
        "Countries crossed per origin",
        &[
            ("origin", Align::Left),
            ("country", Align::Left),
            ("volume", Align::Right),
            ("share", Align::Right),
            ("bypass ratio", Align::Right),
        ],
    );
    for o in &r.origins {
        for c in &o.countries {
            t.push(row![
                o.origin.clone(),
                c.country.clone(),
                Cell::volume(c.volume),
                Cell::percent(c.share),
                c.bypass_ratio.map_or(Cell::Missing, Cell::percent),
            ]);
        }
    }
    t.note("bypass ratio: share of the origin's deliveries still delivered when the country is out (allocation re-solved)");
    out.push(t);

    let mut t = Table::new(
        "Transit-country leverage: volume lost without the country",
        &[
            ("country", Align::Left),
            ("name", Align::Left),
            ("commodity", Align::Left),
            ("unit", Align::Left),
            ("transit", Align::Right),
            ("leverage", Align::Right),
            ("of delivered", Align::Right),
            ("origins hit", Align::Left),
        ],
    );
    for l in &r.leverage {
        t.push(row![
            l.country.clone(),
            l.name.clone(),
            l.commodity.clone(),
            l.unit.clone(),
            Cell::volume(l.transit),
            Cell::volume(l.leverage),
            Cell::percent(l.share_of_delivered),
            l.origins_hit
                .iter()
                .map(|(o, v)| format!("{o} {}", volume(*v)))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    out.push(t);
    out
}

/// The pathway per year and the first year each bottleneck binds.
pub fn pathway_tables(r: &PathwayResult) -> Vec<Table> {
    let mut out = Vec::new();
    let mut t = Table::new(
        format!(
            "Pathway — {} ({}–{}), bypass avoiding {}",
            r.scenario,
            r.first_year,
            r.last_year,
            if r.avoided.is_empty() {
                "nothing".to_string()
            } else {
                r.avoided.join(", ")
            }
        ),
        &[
            ("year", Align::Right),
            ("commodity", Align::Left),
            ("unit", Align::Left),
            ("supplied", Align::Right),
            ("delivered", Align::Right),
            ("unmet", Align::Right),
            ("tariffs (MUSD/y)", Align::Right),
            ("bypass", Align::Right),
            ("bypass bottleneck", Align::Left),
            ("contract minimums", Align::Left),
        ],
    );
    for y in &r.years {
        let contracts = y
            .contracts
            .iter()
            .map(|c| match c.max_volume {
                Some(max) if c.min_volume > 0.0 => {
                    format!("{} {}–{}", c.name, volume(c.min_volume), volume(max))
                }
                Some(max) => format!("{} ≤ {}", c.name, volume(max)),
                None => format!("{} ≥ {}", c.name, volume(c.min_volume)),
            })
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(e) = &y.error {
            t.push(row![
                Cell::integer(y.year),
                "—",
                "",
                "",
                "",
                "",
                "",
                "",
                format!("no allocation: {e}"),
                contracts,
            ]);
            continue;
        }
        for (i, tot) in y.totals.iter().enumerate() {
            let bypass = y.bypass.iter().find(|b| b.commodity == tot.commodity);
            t.push(row![
                Cell::integer(y.year),
                tot.commodity.clone(),
                tot.unit.clone(),
                Cell::volume(tot.supplied),
                Cell::volume(tot.delivered),
                Cell::volume(tot.unmet),
                if i == 0 {
                    Cell::musd(y.transport_cost_usd)
                } else {
                    Cell::from("")
                },
                bypass.map_or(Cell::from(""), |b| Cell::volume(b.capacity)),
                bypass.map(|b| b.bottleneck.join(", ")).unwrap_or_default(),
                if i == 0 {
                    contracts.clone()
                } else {
                    String::new()
                },
            ]);
        }
    }
    out.push(t);

    let mut t = Table::new(
        "Bottlenecks: the first year each binds",
        &[
            ("first year", Align::Right),
            ("role", Align::Left),
            ("kind", Align::Left),
            ("id", Align::Left),
            ("years binding", Align::Left),
            ("shadow price in first year (USD)", Align::Right),
        ],
    );
    for b in &r.bottlenecks {
        t.push(row![
            Cell::integer(b.first_year),
            b.role.clone(),
            b.kind.clone(),
            b.id.clone(),
            year_ranges(&b.years),
            b.shadow_price_usd.map_or(Cell::Missing, Cell::usd),
        ]);
    }
    t.note("allocation: a binding row of the least-cost allocation (shadow price per t/y or unit/y of capacity); bypass: in the bypass's minimum cut");
    out.push(t);
    out
}

/// `2024, 2025, 2026, 2028` as `2024–2026, 2028`.
fn year_ranges(years: &[i32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let start = years[i];
        let mut end = start;
        while i + 1 < years.len() && years[i + 1] == end + 1 {
            i += 1;
            end = years[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::year_ranges;

    #[test]
    fn years_collapse_into_ranges() {
        assert_eq!(year_ranges(&[2024, 2025, 2026, 2028]), "2024–2026, 2028");
        assert_eq!(year_ranges(&[]), "");
    }
}
