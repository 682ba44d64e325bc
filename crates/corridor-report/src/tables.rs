//! The tables each analysis is shown as.

use crate::records::RankedRouteRecord;
use crate::records::{AllocationRecord, CapacityRecord, DependenceRecord, RouteRecord};
use crate::{musd, row, volume, Align, Cell, Table};
use corridor_analysis::{Allocation, Bypass};
use corridor_model::{Dataset, Scenario};
use std::collections::BTreeSet;

fn countries(route: &RouteRecord) -> String {
    route.countries.join("→")
}

/// Summary, routes, link use, transit countries and binding constraints of an allocation.
pub fn allocation_tables(a: &AllocationRecord) -> Vec<Table> {
    let mut out = Vec::new();
    let mut totals = Table::new(
        format!("Allocation — {} ({})", a.scenario, a.year),
        &[
            ("commodity", Align::Left),
            ("unit", Align::Left),
            ("supplied", Align::Right),
            ("delivered", Align::Right),
            ("unmet", Align::Right),
        ],
    );
    for t in &a.totals {
        totals.push(row![
            t.commodity.clone(),
            t.unit.clone(),
            Cell::volume(t.supplied),
            Cell::volume(t.delivered),
            Cell::volume(t.unmet),
        ]);
    }
    let shortfall = if a.shortfalls.is_empty() {
        String::new()
    } else {
        format!(
            " · soft-contract shortfall penalty {} MUSD/y",
            musd(a.shortfall_penalty_usd)
        )
    };
    totals.note(format!(
        "transport cost {} MUSD/y · unmet penalty {} MUSD/y{shortfall} · netback revenue {} MUSD/y · solved by {}",
        musd(a.transport_cost_usd),
        musd(a.unmet_penalty_usd),
        musd(a.revenue_usd),
        a.method
    ));
    out.push(totals);

    if !a.shortfalls.is_empty() {
        let mut short = Table::new(
            "Soft contracts not met: the shortfall and what it costs",
            &[
                ("contract", Align::Left),
                ("link", Align::Left),
                ("commodity", Align::Left),
                ("minimum", Align::Right),
                ("shortfall", Align::Right),
                ("unit", Align::Left),
                ("cost (MUSD/y)", Align::Right),
            ],
        );
        for s in &a.shortfalls {
            short.push(row![
                s.contract.clone(),
                s.link.clone(),
                s.commodity.clone(),
                Cell::volume(s.minimum),
                Cell::volume(s.shortfall),
                s.unit.clone(),
                Cell::musd(s.cost_usd),
            ]);
        }
        short.note("a soft minimum (`soft = true`) is missed at its penalty instead of making the scenario infeasible");
        out.push(short);
    }

    let mut routes = Table::new(
        "Routes used, by origin",
        &[
            ("origin", Align::Left),
            ("market", Align::Left),
            ("volume", Align::Right),
            ("unit", Align::Left),
            ("cost (USD/unit)", Align::Right),
            ("days", Align::Right),
            ("countries", Align::Left),
        ],
    );
    for o in &a.origins {
        for r in &o.routes {
            routes.push(row![
                r.origin.clone(),
                r.market.clone(),
                Cell::volume(r.volume),
                format!("{} {}", r.commodity, r.unit),
                Cell::figure_in(
                    r.cost_usd,
                    format!("/{}", r.cost_unit),
                    format!("{:.2} /{}", r.cost_usd, r.cost_unit)
                ),
                days(r.transit_days),
                countries(r),
            ]);
        }
        if o.unmet > 5e-4 {
            routes.push(row![
                o.origin.clone(),
                "(unmet)",
                Cell::volume(o.unmet),
                format!("{} {}", o.commodity, o.unit),
                "",
                "",
                "",
            ]);
        }
    }
    out.push(routes);

    let mut links = Table::new(
        "Link utilisation",
        &[
            ("link", Align::Left),
            ("from → to", Align::Left),
            ("flow", Align::Left),
            ("capacity", Align::Right),
            ("used", Align::Right),
        ],
    );
    for l in &a.links {
        let flows = l
            .flows
            .iter()
            .map(|(c, v)| format!("{c} {}", volume(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        links.push(row![
            l.link.clone(),
            format!("{} → {}", l.from, l.to),
            flows,
            Cell::figure_in(
                l.capacity,
                l.capacity_unit.clone(),
                format!("{} {}", trim(l.capacity), l.capacity_unit)
            ),
            Cell::percent(l.utilisation),
        ]);
    }
    out.push(links);

    let mut transit = Table::new(
        "Transit volume by country (volume entering the country's territory)",
        &[
            ("country", Align::Left),
            ("commodity", Align::Left),
            ("volume", Align::Right),
            ("unit", Align::Left),
            ("share of delivered", Align::Right),
        ],
    );
    for c in &a.countries {
        transit.push(row![
            c.country.clone(),
            c.commodity.clone(),
            Cell::volume(c.volume),
            c.unit.clone(),
            Cell::percent(c.share),
        ]);
    }
    out.push(transit);

    let mut binding = Table::new(
        "Binding constraints and shadow prices (value of one more unit of capacity)",
        &[
            ("kind", Align::Left),
            ("id", Align::Left),
            ("shadow price (USD)", Align::Right),
            ("per", Align::Left),
        ],
    );
    for b in &a.binding {
        binding.push(row![
            b.kind.clone(),
            b.id.clone(),
            Cell::usd(b.shadow_price_usd),
            b.unit.trim_start_matches("USD per ").to_string(),
        ]);
    }
    out.push(binding);
    out
}

fn trim(v: f64) -> String {
    corridor_model::units::format_significant(v, 6)
}

/// Transit days, shown with one decimal.
pub(crate) fn days(d: f64) -> Cell {
    Cell::figure(d, format!("{d:.1}"))
}

/// Capacity, its minimum cut and routes.
pub fn capacity_tables(c: &CapacityRecord) -> Vec<Table> {
    let avoid = if c.avoided.is_empty() {
        String::new()
    } else {
        format!(", avoiding {}", c.avoided.join(", "))
    };
    let mut head = Table::new(
        format!("Capacity of {} in {}{avoid}", c.commodity, c.year),
        &[
            ("from", Align::Left),
            ("to", Align::Left),
            (&format!("capacity ({})", c.unit), Align::Right),
        ],
    );
    head.push(row![
        c.origins.join(", "),
        summarise(&c.markets),
        Cell::volume(c.capacity),
    ]);
    head.note(format!("solved by {}", c.method));
    for reason in &c.reasons {
        head.note(format!("why nothing can move: {reason}"));
    }
    let mut cut = Table::new(
        "Minimum cut (the bottleneck)",
        &[
            ("kind", Align::Left),
            ("id", Align::Left),
            ("name", Align::Left),
            (&format!("capacity ({})", c.unit), Align::Right),
        ],
    );
    for e in &c.cut {
        cut.push(row![
            e.kind.clone(),
            e.id.clone(),
            e.name.clone(),
            Cell::volume(e.capacity),
        ]);
    }
    let mut routes = Table::new(
        "Routes carrying it",
        &[
            ("origin", Align::Left),
            ("market", Align::Left),
            (&format!("volume ({})", c.unit), Align::Right),
            ("days", Align::Right),
            ("countries", Align::Left),
            ("links", Align::Left),
        ],
    );
    for r in &c.routes {
        routes.push(row![
            r.origin.clone(),
            r.market.clone(),
            Cell::volume(r.volume),
            days(r.transit_days),
            countries(r),
            r.links.join(" › "),
        ]);
    }
    vec![head, cut, routes]
}

fn summarise(items: &[String]) -> String {
    if items.len() <= 4 {
        items.join(", ")
    } else {
        format!("{}, … ({} in all)", items[..3].join(", "), items.len())
    }
}

/// The capacity lost when each country is closed too.
pub fn dependence_table(base: &CapacityRecord, deps: &[DependenceRecord]) -> Table {
    let mut t = Table::new(
        format!("Countries the {} capacity depends on", base.commodity),
        &[
            ("country", Align::Left),
            ("name", Align::Left),
            (&format!("capacity without ({})", base.unit), Align::Right),
            (&format!("lost ({})", base.unit), Align::Right),
            ("lost", Align::Right),
        ],
    );
    for d in deps {
        t.push(row![
            d.country.clone(),
            d.name.clone(),
            Cell::volume(d.capacity_without),
            Cell::volume(d.lost),
            Cell::percent(d.share_lost),
        ]);
    }
    t
}

/// The sources of an answer: those of the links its allocation and bypass routes use, and the scenario's
/// own (its supplies' and contracts' too).
pub fn answer_sources_table(
    dataset: &Dataset,
    scenario: &Scenario,
    allocation: &Allocation,
    bypass: &[Bypass],
) -> Table {
    let routes = allocation
        .routes()
        .chain(bypass.iter().flat_map(|b| &b.capacity.routes));
    let used: BTreeSet<String> = routes
        .flat_map(|r| &r.links)
        .map(|&l| dataset.link(l).id.clone())
        .collect();
    let mut extra = scenario.sources.clone();
    for s in &scenario.supplies {
        extra.extend(s.sources.iter().copied());
    }
    for c in &scenario.contracts {
        extra.extend(c.sources.iter().copied());
    }
    sources_table(dataset, &used, &extra)
}

/// The sources behind the given link ids (and any extra source ids), with publisher, title, URL and date.
pub fn sources_table(
    dataset: &Dataset,
    link_ids: &BTreeSet<String>,
    extra: &[corridor_model::SourceId],
) -> Table {
    let mut ids: BTreeSet<corridor_model::SourceId> = extra.iter().copied().collect();
    for id in link_ids {
        if let Some(l) = dataset.link_id(id) {
            ids.extend(dataset.link(l).sources.iter().copied());
        }
    }
    let mut t = Table::new(
        "Sources",
        &[
            ("id", Align::Left),
            ("publisher", Align::Left),
            ("date", Align::Left),
            ("title", Align::Left),
            ("url", Align::Left),
        ],
    );
    for id in ids {
        let s = dataset.source(id);
        t.push(row![
            s.id.clone(),
            s.publisher.clone(),
            s.date.clone(),
            s.title.clone(),
            s.url.clone(),
        ]);
    }
    t
}

/// Ranked routes with their cost, days and bottleneck.
pub fn routes_table(routes: &[RankedRouteRecord], commodity: &str) -> Table {
    let unit = routes.first().map_or(String::new(), |r| r.unit.clone());
    let cost_unit = routes
        .first()
        .map_or(String::new(), |r| r.cost_unit.clone());
    let mut t = Table::new(
        format!("Routes for {commodity}, best first"),
        &[
            ("#", Align::Right),
            ("origin", Align::Left),
            ("market", Align::Left),
            (&format!("cost (USD/{cost_unit})"), Align::Right),
            ("days", Align::Right),
            (&format!("bottleneck ({unit})"), Align::Right),
            ("at", Align::Left),
            ("countries", Align::Left),
        ],
    );
    for r in routes {
        t.push(row![
            Cell::integer(r.rank as i64),
            r.origin.clone(),
            r.market.clone(),
            Cell::usd(r.cost_usd),
            days(r.transit_days),
            Cell::volume(r.bottleneck_capacity),
            r.bottleneck_link.clone(),
            r.countries.join("→"),
        ]);
    }
    t
}
