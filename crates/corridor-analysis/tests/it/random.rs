//! Property tests on random corridor networks: the LP allocation, push-relabel capacity, its minimum cut
//! and the native network simplex must agree with each other and respect the network.

use corridor_analysis::{
    allocate, allocate_with, capacity, query_territory, CapacityQuery, Method,
};
use corridor_flow::{min_cost_flow, McfOutcome, Network, NodeIdx};
use corridor_lp::Simplex;
use corridor_model::units::{Dimension, RateUnit};
use corridor_model::*;
use proptest::prelude::*;

#[derive(Clone, Debug)]
pub(crate) struct RandomLink {
    pub from: usize,
    pub to: usize,
    pub capacity_mt: u32,
    pub tariff: u32,
    pub both: bool,
}

pub(crate) fn network_strategy() -> impl Strategy<Value = (usize, Vec<RandomLink>, u32)> {
    (3usize..8).prop_flat_map(|n| {
        let link = (
            0..n,
            0..n,
            1u32..20,
            1u32..60,
            proptest::bool::weighted(0.2),
        )
            .prop_map(|(from, to, capacity_mt, tariff, both)| RandomLink {
                from,
                to,
                capacity_mt,
                tariff,
                both,
            });
        (Just(n), proptest::collection::vec(link, 1..16), 1u32..40)
    })
}

/// A dataset with `n` nodes (node 0 a field, node n−1 a market), one country per node, and crude links.
pub(crate) fn build(n: usize, links: &[RandomLink]) -> Dataset {
    let mut ds = Dataset::default();
    ds.meta.default_year = 2024;
    ds.sources.push(Source {
        id: "s".into(),
        publisher: "p".into(),
        title: "t".into(),
        url: "https://x".into(),
        date: "2024".into(),
        location: Location::default(),
    });
    ds.commodities.push(Commodity {
        id: "crude".into(),
        name: "Crude".into(),
        dimension: Dimension::Mass,
        default_grade: None,
        tonnes_per_unit: None,
        location: Location::default(),
    });
    let codes: Vec<CountryCode> = (0..n)
        .map(|i| CountryCode::parse(&format!("A{}", (b'A' + i as u8) as char)).expect("a code"))
        .collect();
    for (i, &code) in codes.iter().enumerate() {
        ds.countries.push(Country {
            code,
            name: format!("Country {i}"),
            location: Location::default(),
        });
        let kind = if i == 0 {
            NodeKind::Field
        } else if i + 1 == n {
            NodeKind::Market
        } else {
            NodeKind::Junction
        };
        ds.nodes.push(Node {
            id: format!("n{i}"),
            name: format!("Node {i}"),
            kind,
            country: Some(code),
            lat: 0.0,
            lon: 0.0,
            place: None,
            notes: String::new(),
            location: Location::default(),
        });
    }
    for (i, l) in links.iter().enumerate().filter(|(_, l)| l.from != l.to) {
        ds.links.push(Link {
            id: format!("l{i}"),
            name: format!("Link {i}"),
            from: NodeId(l.from as u32),
            to: NodeId(l.to as u32),
            mode: Mode::Pipeline,
            direction: if l.both {
                Direction::Both
            } else {
                Direction::OneWay
            },
            carries: vec![Carriage {
                commodity: CommodityId(0),
                tariff_usd: l.tariff as f64,
                capacity_use: 1.0,
                group_use: None,
            }],
            capacity: l.capacity_mt as f64,
            capacity_unit: "Mt/y".parse::<RateUnit>().expect("a unit"),
            capacity_base: l.capacity_mt as f64 * 1e6,
            capacity_group: None,
            transit_days: 1.0,
            countries: Vec::new(),
            status: Status::Operating,
            start_year: None,
            end_year: None,
            year: 2024,
            sources: vec![SourceId(0)],
            confidence: Confidence::Estimate,
            notes: String::new(),
            gem_projects: Vec::new(),
            status_history: Vec::new(),
            location: Location::default(),
        });
    }
    ds.reindex();
    ds
}

fn scenario(ds: &Dataset, supply_mt: f64, penalty: f64) -> Scenario {
    let n = ds.nodes.len();
    Scenario {
        name: "random".into(),
        year: 2024,
        unmet_penalty_usd: penalty,
        supplies: vec![Supply {
            node: NodeId(0),
            commodity: CommodityId(0),
            volume: supply_mt * 1e6,
            unmet_penalty_usd: None,
            sources: vec![],
            location: Location::default(),
        }],
        markets: vec![Market {
            node: NodeId(n as u32 - 1),
            commodity: CommodityId(0),
            limit: None,
            price_usd: None,
            location: Location::default(),
        }],
        ..Scenario::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Capacities are respected, routes account for all delivered volume, and the LP's transport cost is
    /// the sum over links of flow × tariff, which is also the sum over routes of volume × route cost.
    #[test]
    fn allocation_respects_capacity_and_conserves_flow((n, links, supply) in network_strategy()) {
        let ds = build(n, &links);
        let sc = scenario(&ds, supply as f64, 100.0);
        let a = allocate(&ds, &sc, &Simplex::default()).unwrap();
        for l in &a.links {
            prop_assert!(l.utilisation <= 1.0 + 1e-7, "{:?} over capacity: {}", l.link, l.utilisation);
        }
        // Volumes in tonnes: within 10 t and 1 t of 1–100 Mt.
        let routed: f64 = a.routes().map(|r| r.volume).sum();
        let t = &a.totals[0];
        prop_assert!((routed - t.delivered).abs() < 10.0, "routes {routed} vs delivered {}", t.delivered);
        prop_assert!((t.delivered + t.unmet - supply as f64 * 1e6).abs() < 1.0);
        let by_routes: f64 = a.routes().map(|r| r.volume * r.cost_usd).sum();
        let by_links: f64 = a.links.iter().map(|l| {
            let tariff = ds.link(l.link).carries[0].tariff_usd;
            l.flows[0].1 * tariff
        }).sum();
        prop_assert!((by_routes - a.transport_cost_usd).abs() <= 1e-6 * a.transport_cost_usd.max(1.0), "{by_routes} vs {}", a.transport_cost_usd);
        prop_assert!((by_links - a.transport_cost_usd).abs() <= 1e-6 * a.transport_cost_usd.max(1.0), "{by_links} vs {}", a.transport_cost_usd);
    }

    /// The LP objective equals the network simplex's optimum on the same problem (unmet volume as an arc
    /// to a super sink with the penalty as its cost).
    #[test]
    fn lp_allocation_matches_network_simplex((n, links, supply) in network_strategy()) {
        let ds = build(n, &links);
        let penalty = 100.0;
        let sc = scenario(&ds, supply as f64, penalty);
        let a = allocate_with(&ds, &sc, &Simplex::default(), Method::Lp).unwrap();
        prop_assert_eq!(a.method, Method::Lp);
        // The analysis's own native path must agree with its LP path too.
        let native = allocate_with(&ds, &sc, &Simplex::default(), Method::NetworkSimplex).unwrap();
        prop_assert!((native.objective_usd - a.objective_usd).abs() <= 1e-6 * a.objective_usd.abs().max(1.0), "native {} vs LP {}", native.objective_usd, a.objective_usd);
        // (Delivered volumes may differ where a route costs exactly the penalty: both optima are right.)

        // Volumes in Mt (integers here), costs in USD/t: the objective in MUSD is exact in integers.
        let mut net = Network::new(n + 1);
        let sink = NodeIdx(n as u32);
        for l in &ds.links {
            let cap = l.capacity as i64;
            let cost = l.carries[0].tariff_usd as i64;
            net.add_arc(NodeIdx(l.from.0), NodeIdx(l.to.0), 0, cap, cost).unwrap();
            if l.direction == Direction::Both {
                net.add_arc(NodeIdx(l.to.0), NodeIdx(l.from.0), 0, cap, cost).unwrap();
            }
        }
        net.add_arc(NodeIdx(0), sink, 0, supply as i64, penalty as i64).unwrap();
        net.add_arc(NodeIdx(n as u32 - 1), sink, 0, supply as i64, 0).unwrap();
        let mut balance = vec![0i64; n + 1];
        balance[0] = supply as i64;
        balance[n] = -(supply as i64);
        match min_cost_flow(&net, &balance).unwrap() {
            McfOutcome::Optimal(s) => {
                let lp_musd = a.objective_usd / 1e6;
                prop_assert!((lp_musd - s.cost as f64).abs() < 1e-6 * (s.cost as f64).abs().max(1.0), "LP {lp_musd} vs simplex {}", s.cost);
            }
            other => prop_assert!(false, "network simplex: {other:?}"),
        }
    }

    /// With ample supply and a high penalty, the LP delivers exactly the push-relabel max-flow, whose
    /// value equals the capacity of the minimum cut it reports.
    #[test]
    fn max_flow_equals_min_cut_and_the_lp_maximum((n, links, _supply) in network_strategy()) {
        let ds = build(n, &links);
        let query = CapacityQuery {
            commodity: CommodityId(0),
            origins: vec![NodeId(0)],
            markets: vec![NodeId(n as u32 - 1)],
            year: 2024,
            territory: query_territory(&ds, &[], None, 2024, &[]),
            disruptions: Vec::new(),
            background: Vec::new(),
        };
        let cap = capacity(&ds, &query, &Simplex::default()).unwrap();
        let cut: f64 = cap.cut.iter().map(|e| e.capacity).sum();
        prop_assert!((cap.capacity - cut).abs() < 1e-3, "flow {} t vs cut {cut} t", cap.capacity);
        let routed: f64 = cap.routes.iter().map(|r| r.volume).sum();
        prop_assert!((routed - cap.capacity).abs() < 1.0, "routes {routed} t vs capacity {} t", cap.capacity);
        let a = allocate(&ds, &scenario(&ds, 1000.0, 10_000.0), &Simplex::default()).unwrap();
        prop_assert!((a.totals[0].delivered - cap.capacity).abs() < 1.0, "LP {} t vs max-flow {} t", a.totals[0].delivered, cap.capacity);
    }
}
