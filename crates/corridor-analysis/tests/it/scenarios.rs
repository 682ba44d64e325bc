//! The mini corridor (one route through RU, one across the Caspian through AZ) under different scenarios.

use corridor_analysis::{
    allocate, allocate_with, capacity, compare_allocations, constraint_label, country_dependence,
    query_territory, resolve_endpoints, Allocation, CapacityQuery, Constraint, Method,
};
use corridor_fixtures::mini::{dataset, CRUDE_SCENARIO as BASE};
use corridor_io::parse_scenario;
use corridor_lp::Simplex;
use corridor_model::{CommodityId, CountryCode, Dataset, NodeKind, Scenario};

fn cc(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("a country code")
}
use expect_test::{expect, Expect};

/// Renders what an analyst checks first: totals, routes, binding constraints (volumes in display units).
fn render(ds: &Dataset, scenario: &Scenario, a: &Allocation) -> String {
    let mut out = String::new();
    let shown = |c: CommodityId, v: f64| v * ds.commodity(c).base_to_display();
    for t in &a.totals {
        let c = t.commodity;
        out += &format!(
            "{}: supplied {:.3} delivered {:.3} unmet {:.3} {}\n",
            ds.commodity(c).id,
            shown(c, t.supplied),
            shown(c, t.delivered),
            shown(c, t.unmet),
            ds.commodity(c).display_unit()
        );
    }
    for r in a.routes() {
        let c = r.commodity;
        let countries: Vec<String> = r.countries.iter().map(|c| c.to_string()).collect();
        let links: Vec<&str> = r.links.iter().map(|&l| ds.link(l).id.as_str()).collect();
        out += &format!(
            "route {} {:.3} {} via {} ({:.2} USD/{}, {} days)\n",
            ds.commodity(c).id,
            shown(c, r.volume),
            countries.join(">"),
            links.join(","),
            r.cost_usd,
            ds.commodity(c).dimension.base_unit(),
            r.transit_days
        );
    }
    for b in &a.binding {
        let kind = b.constraint.kind();
        out += &format!(
            "binding {kind} {} {:.2}\n",
            constraint_label(ds, scenario, b.constraint),
            b.shadow_price_usd
        );
    }
    out += &format!("cost {:.1} MUSD\n", a.transport_cost_usd / 1e6);
    out
}

fn check(extra: &str, expect: Expect) {
    let ds = dataset();
    let text = format!("{BASE}{extra}");
    let (scenario, diags) = parse_scenario("test.toml", &text, &ds);
    let scenario = scenario.unwrap_or_else(|| panic!("{diags:?}"));
    let rendered = match allocate(&ds, &scenario, &Simplex::default()) {
        Ok(a) => render(&ds, &scenario, &a),
        Err(e) => format!("error: {e}\n"),
    };
    expect.assert_eq(&rendered);
}

#[test]
fn cheapest_route_fills_first_and_its_capacity_has_a_shadow_price() {
    check(
        "",
        expect![[r#"
            crude: supplied 12.000 delivered 12.000 unmet 0.000 Mt/y
            route crude 10.000 KZ>RU via pipe-north,novo-sea (40.00 USD/t, 15 days)
            route crude 2.000 KZ>AZ>GE>TR via field-aktau,ferry,pipe-west,ceyhan-sea (80.00 USD/t, 16 days)
            binding link pipe-north 40.00
            cost 560.0 MUSD
        "#]],
    );
}

#[test]
fn avoiding_russia_leaves_the_caspian_route_limited_by_the_ferry_fleet() {
    check(
        "\n[policy]\navoid_countries = [\"RU\"]\n",
        expect![[r#"
            crude: supplied 12.000 delivered 2.000 unmet 10.000 Mt/y
            route crude 2.000 KZ>AZ>GE>TR via field-aktau,ferry,pipe-west,ceyhan-sea (80.00 USD/t, 16 days)
            binding group ferries 920.00
            cost 160.0 MUSD
        "#]],
    );
}

#[test]
fn a_half_derated_pipeline_loses_half_its_capacity() {
    check(
        "\n[[disruptions]]\nlink = \"pipe-north\"\nderate_pct = 50\n",
        expect![[r#"
            crude: supplied 12.000 delivered 7.000 unmet 5.000 Mt/y
            route crude 5.000 KZ>RU via pipe-north,novo-sea (40.00 USD/t, 15 days)
            route crude 2.000 KZ>AZ>GE>TR via field-aktau,ferry,pipe-west,ceyhan-sea (80.00 USD/t, 16 days)
            binding link pipe-north 960.00
            binding group ferries 920.00
            cost 360.0 MUSD
        "#]],
    );
}

#[test]
fn a_transit_share_cap_moves_volume_off_russia() {
    // At most 70 % through any one country: with 12 delivered, RU may take 8.4 — but delivering less
    // also lowers the cap, so the LP balances unmet penalty against the cap.
    check(
        "\n[policy]\nmax_transit_share = [{ commodity = \"crude\", share = 0.7 }]\n",
        expect![[r#"
            crude: supplied 12.000 delivered 6.667 unmet 5.333 Mt/y
            route crude 4.667 KZ>RU via pipe-north,novo-sea (40.00 USD/t, 15 days)
            route crude 2.000 KZ>AZ>GE>TR via field-aktau,ferry,pipe-west,ceyhan-sea (80.00 USD/t, 16 days)
            binding transit_share crude:RU 3200.00
            binding group ferries 3160.00
            cost 346.7 MUSD
        "#]],
    );
}

#[test]
fn an_impossible_contract_is_reported_as_infeasible_by_name() {
    check(
        "\n[[contracts]]\nname = \"ferry minimum\"\nlinks = [\"ferry\"]\ncommodity = \"crude\"\nmin_volume = 2.5\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n",
        expect![[r#"
            error: scenario `test` is infeasible: these contract minimums cannot be met with the capacity left in 2024: ferry minimum (test.toml:18)
        "#]],
    );
}

#[test]
fn a_contract_minimum_forces_volume_onto_a_dearer_route() {
    check(
        // Containers (10 t/TEU) are worth more per tonne of ferry capacity than crude at these penalties,
        // so without the contract they would take 0.5 Mt of the 2 Mt fleet; the crude minimum of 1.8 Mt
        // squeezes them to 0.2 Mt (20,000 TEU).
        "\n[[supplies]]\nnode = \"field\"\ncommodity = \"containers\"\nvolume = 50000\nunit = \"TEU/y\"\nunmet_penalty_usd = 20000\n\n[[markets]]\nnode = \"baku\"\ncommodity = \"containers\"\n\n[[contracts]]\nname = \"ferry crude\"\nlinks = [\"ferry\"]\ncommodity = \"crude\"\nmin_volume = 1.8\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n",
        expect![[r#"
            crude: supplied 12.000 delivered 11.800 unmet 0.200 Mt/y
            containers: supplied 50.000 delivered 20.000 unmet 30.000 kTEU/y
            route crude 10.000 KZ>RU via pipe-north,novo-sea (40.00 USD/t, 15 days)
            route crude 1.800 KZ>AZ>GE>TR via field-aktau,ferry,pipe-west,ceyhan-sea (80.00 USD/t, 16 days)
            route containers 20.000 KZ>AZ via field-aktau,ferry (180.00 USD/TEU, 5 days)
            binding group ferries 1982.00
            binding contract ferry crude -1062.00
            binding link pipe-north 960.00
            cost 547.6 MUSD
        "#]],
    );
}

#[test]
fn bypass_capacity_is_the_ferry_fleet_and_depends_wholly_on_azerbaijan() {
    let ds = dataset();
    let origins = resolve_endpoints(&ds, &["KZ".to_string()], NodeKind::Field).unwrap();
    let markets = resolve_endpoints(&ds, &["any".to_string()], NodeKind::Market).unwrap();
    let mut ends = origins.clone();
    ends.extend(&markets);
    let ru = CountryCode::parse("RU").unwrap();
    let crude = ds.commodity_id("crude").unwrap();
    let solver = Simplex::default();
    let query = |avoid: &[CountryCode]| CapacityQuery {
        commodity: crude,
        origins: origins.clone(),
        markets: markets.clone(),
        year: 2024,
        territory: query_territory(&ds, avoid, None, 2024, &ends),
        disruptions: Vec::new(),
        background: Vec::new(),
    };
    let all = capacity(&ds, &query(&[]), &solver).unwrap();
    let bypass = capacity(&ds, &query(&[ru]), &solver).unwrap();
    assert_eq!((all.capacity, bypass.capacity), (12e6, 2e6));
    let cut: Vec<&str> = bypass.cut.iter().map(|e| e.item.id(&ds)).collect();
    assert_eq!(cut, ["ferries"]);
    let az = cc("AZ");
    assert!(bypass.routes.iter().all(|r| r.countries.contains(&az)));
    assert_eq!(bypass.routes[0].countries, ["KZ", "AZ", "GE", "TR"].map(cc));
    let deps = country_dependence(&ds, &query(&[ru]), &bypass, &solver).unwrap();
    let dep = deps.iter().find(|d| d.country == az).unwrap();
    assert_eq!((dep.lost, dep.share_lost), (2e6, 1.0));
    // Unknown origins are an error with a suggestion, not an empty answer.
    let err = resolve_endpoints(&ds, &["fild".to_string()], NodeKind::Field).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown node or country `fild` — did you mean `field`?"
    );
}

#[test]
fn the_network_simplex_and_the_lp_give_the_same_allocation() {
    let ds = dataset();
    let cases = [
        "",
        "\n[policy]\navoid_countries = [\"RU\"]\n",
        "\n[[disruptions]]\nlink = \"pipe-north\"\nderate_pct = 50\n",
        "\n[[contracts]]\nname = \"c\"\nlinks = [\"pipe-west\"]\ncommodity = \"crude\"\nmin_volume = 1\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n",
    ];
    for extra in cases {
        let (scenario, diags) = parse_scenario("test.toml", &format!("{BASE}{extra}"), &ds);
        let scenario = scenario.unwrap_or_else(|| panic!("{diags:?}"));
        // The mini dataset's ferry is in a capacity group, so take the group out to get a pure network.
        let mut ds = ds.clone();
        for link in &mut ds.links {
            link.capacity_group = None;
            link.carries.iter_mut().for_each(|c| c.group_use = None);
        }
        let lp = allocate_with(&ds, &scenario, &Simplex::default(), Method::Lp).unwrap();
        let native =
            allocate_with(&ds, &scenario, &Simplex::default(), Method::NetworkSimplex).unwrap();
        assert_eq!(
            (lp.method, native.method),
            (Method::Lp, Method::NetworkSimplex)
        );
        assert_eq!(
            render(&ds, &scenario, &lp),
            render(&ds, &scenario, &native),
            "case {extra:?}"
        );
    }
}

#[test]
fn routes_are_listed_cheapest_first_with_their_bottlenecks() {
    let ds = dataset();
    let crude = ds.commodity_id("crude").unwrap();
    let origins = resolve_endpoints(&ds, &["field".to_string()], NodeKind::Field).unwrap();
    let markets = resolve_endpoints(&ds, &["any".to_string()], NodeKind::Market).unwrap();
    let query = |metric, avoid: &[CountryCode]| corridor_analysis::RouteQuery {
        commodity: crude,
        origins: origins.clone(),
        markets: markets.clone(),
        year: 2024,
        territory: query_territory(&ds, avoid, None, 2024, &[]),
        k: 5,
        metric,
    };
    let render = |routes: Vec<corridor_analysis::RankedRoute>| -> String {
        routes
            .iter()
            .map(|r| {
                let countries: Vec<String> = r.countries.iter().map(|c| c.to_string()).collect();
                format!(
                    "{} {:.2} {} days, {:.1} {} at {} via {}\n",
                    r.rank,
                    r.cost_usd,
                    r.transit_days,
                    r.bottleneck_capacity * ds.commodity(r.commodity).base_to_display(),
                    ds.commodity(r.commodity).display_unit(),
                    ds.link(r.bottleneck_link).id,
                    countries.join(">")
                )
            })
            .collect()
    };
    let by_cost =
        corridor_analysis::k_routes(&ds, &query(corridor_analysis::RouteMetric::Cost, &[]))
            .unwrap();
    expect![[r#"
        1 40.00 15 days, 10.0 Mt/y at pipe-north via KZ>RU
        2 80.00 16 days, 3.0 Mt/y at ferry via KZ>AZ>GE>TR
    "#]]
    .assert_eq(&render(by_cost));
    // The planned pipeline is not in service in 2024, so it never appears; avoiding RU leaves one route.
    let ru = CountryCode::parse("RU").unwrap();
    let by_days =
        corridor_analysis::k_routes(&ds, &query(corridor_analysis::RouteMetric::Days, &[ru]))
            .unwrap();
    expect![[r#"
        1 80.00 16 days, 3.0 Mt/y at ferry via KZ>AZ>GE>TR
    "#]]
    .assert_eq(&render(by_days));
}

/// A contract is the same constraint in two scenarios when it has the same name, whatever its position:
/// comparing a scenario with its contracts listed in the other order pairs each with itself.
#[test]
fn compare_pairs_contracts_by_name_not_by_position() {
    let ds = dataset();
    let north_cap = "\n[[contracts]]\nname = \"north-cap\"\nlinks = [\"pipe-north\"]\ncommodity = \"crude\"\nmin_volume = 1\nmax_volume = 8\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n";
    let other = "\n[[contracts]]\nname = \"other\"\nlinks = [\"novo-sea\"]\ncommodity = \"crude\"\nmin_volume = 1\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n";
    let load = |extra: String| {
        let (scenario, diags) = parse_scenario("test.toml", &format!("{BASE}{extra}"), &ds);
        scenario.unwrap_or_else(|| panic!("{diags:?}"))
    };
    let a = load(format!("{north_cap}{other}"));
    let b = load(format!("{other}{north_cap}"));
    let solver = Simplex::default();
    let (alloc_a, alloc_b) = (
        allocate(&ds, &a, &solver).unwrap(),
        allocate(&ds, &b, &solver).unwrap(),
    );
    let comparison = compare_allocations((&a, &alloc_a), (&b, &alloc_b), 1e-6);
    let contracts: Vec<_> = comparison
        .binding
        .iter()
        .filter(|c| matches!(c.constraint, Constraint::Contract(_)))
        .collect();
    assert_eq!(contracts.len(), 1, "{contracts:?}");
    assert_eq!(
        constraint_label(&ds, &a, contracts[0].constraint),
        "north-cap"
    );
    assert!(contracts[0].a.abs() > 0.0, "the ceiling binds");
    assert!((contracts[0].a - contracts[0].b).abs() < 1e-9);
}
