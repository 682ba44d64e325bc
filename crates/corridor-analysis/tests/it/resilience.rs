//! Resilience analyses: contingencies against brute-force re-solves on random networks, risk statistics
//! against exact enumeration of every outage combination, determinism across threads and shards,
//! indices by hand, and data-driven scenario tests on the mini corridor.

use corridor_analysis::*;
use corridor_fixtures::mini::{dataset as mini, CRUDE_SCENARIO as BASE};
use corridor_io::parse_scenario;
use corridor_lp::Simplex;
use corridor_model::units::{Dimension, RateUnit};
use corridor_model::*;
use expect_test::{expect, Expect};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------------
// Random networks

#[derive(Clone, Debug)]
struct RandomLink {
    from: usize,
    to: usize,
    capacity_mt: u32,
    tariff: u32,
}

fn source() -> Source {
    Source {
        id: "s".into(),
        publisher: "p".into(),
        title: "t".into(),
        url: "https://x".into(),
        date: "2024".into(),
        location: Location::default(),
    }
}

fn crude() -> Commodity {
    Commodity {
        id: "crude".into(),
        name: "Crude".into(),
        dimension: Dimension::Mass,
        default_grade: None,
        tonnes_per_unit: None,
        location: Location::default(),
    }
}

fn link(id: String, from: usize, to: usize, capacity_mt: f64, tariff: f64) -> Link {
    Link {
        name: id.clone(),
        id,
        from: NodeId(from as u32),
        to: NodeId(to as u32),
        mode: Mode::Pipeline,
        direction: Direction::OneWay,
        carries: vec![Carriage {
            commodity: CommodityId(0),
            tariff_usd: tariff,
            capacity_use: 1.0,
            group_use: None,
        }],
        capacity: capacity_mt,
        capacity_unit: "Mt/y".parse::<RateUnit>().expect("unit"),
        capacity_base: capacity_mt * 1e6,
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
    }
}

/// `n` nodes; node 0 a field, the last a market, the rest junctions; node `i` in country `country[i]`.
fn dataset(n: usize, countries: &[usize], links: &[RandomLink]) -> Dataset {
    let mut ds = Dataset::default();
    ds.meta.id = "random".into();
    ds.meta.default_year = 2024;
    ds.sources.push(source());
    ds.commodities.push(crude());
    let code =
        |i: usize| CountryCode::parse(&format!("A{}", (b'A' + i as u8) as char)).expect("code");
    let n_countries = countries.iter().copied().max().unwrap_or(0) + 1;
    for i in 0..n_countries {
        ds.countries.push(Country {
            code: code(i),
            name: format!("Country {i}"),
            location: Location::default(),
        });
    }
    for (i, &country) in countries.iter().enumerate().take(n) {
        ds.nodes.push(Node {
            id: format!("n{i}"),
            name: format!("Node {i}"),
            kind: if i == 0 {
                NodeKind::Field
            } else if i + 1 == n {
                NodeKind::Market
            } else {
                NodeKind::Junction
            },
            country: Some(code(country)),
            lat: 0.0,
            lon: 0.0,
            place: None,
            notes: String::new(),
            location: Location::default(),
        });
    }
    for (i, l) in links.iter().enumerate().filter(|(_, l)| l.from != l.to) {
        ds.links.push(link(
            format!("l{i}"),
            l.from,
            l.to,
            l.capacity_mt as f64,
            l.tariff as f64,
        ));
    }
    ds.reindex();
    ds
}

fn scenario(ds: &Dataset, supply_mt: f64) -> Scenario {
    Scenario {
        name: "random".into(),
        year: 2024,
        unmet_penalty_usd: 500.0,
        supplies: vec![Supply {
            node: NodeId(0),
            commodity: CommodityId(0),
            volume: supply_mt * 1e6,
            unmet_penalty_usd: None,
            sources: vec![],
            location: Location::default(),
        }],
        markets: vec![Market {
            node: NodeId(ds.nodes.len() as u32 - 1),
            commodity: CommodityId(0),
            limit: None,
            price_usd: None,
            location: Location::default(),
        }],
        ..Scenario::default()
    }
}

fn network_strategy() -> impl Strategy<Value = (usize, Vec<usize>, Vec<RandomLink>, u32)> {
    (3usize..7).prop_flat_map(|n| {
        let link = (0..n, 0..n, 1u32..15, 1u32..50).prop_map(|(from, to, capacity_mt, tariff)| {
            RandomLink {
                from,
                to,
                capacity_mt,
                tariff,
            }
        });
        (
            Just(n),
            proptest::collection::vec(0usize..3, n),
            proptest::collection::vec(link, 1..12),
            1u32..30,
        )
    })
}

/// The brute-force answer: the LP allocation with the elements disrupted. Returns (objective, unmet t/y).
fn brute(ds: &Dataset, sc: &Scenario, elements: &[Element]) -> (f64, f64) {
    let mut case = sc.clone();
    for &e in elements {
        case.disruptions.push(Disruption {
            element: e,
            derate_pct: 100.0,
            years: Vec::new(),
            location: Location::default(),
        });
    }
    let a = allocate_with(ds, &case, &Simplex::default(), Method::Lp).expect("LP solves");
    (a.objective_usd, a.totals[0].unmet)
}

/// Millions of base units (Mt for crude): how the tests' figures are written.
fn m(v: f64) -> f64 {
    v / 1e6
}

fn cc(code: &str) -> CountryCode {
    CountryCode::parse(code).expect("a country code")
}

/// `kind id` of each element, as tables show them.
fn names(ds: &Dataset, elements: &[Element]) -> Vec<String> {
    elements
        .iter()
        .map(|e| format!("{} {}", e.kind(), e.label(ds)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every single and every reported pair loses what a cold LP re-solve with the elements disrupted
    /// loses; every pair the brute force finds worse than its parts is reported.
    #[test]
    fn contingencies_match_brute_force_re_solves((n, countries, links, supply) in network_strategy()) {
        let ds = dataset(n, &countries, &links);
        let sc = scenario(&ds, supply as f64);
        let config = ContingencyConfig { k: 2, threads: Some(1), ..ContingencyConfig::default() };
        let r = contingency(&ds, &sc, &Simplex::default(), &config, &Silent).expect("contingency");
        let (base_obj, base_unmet) = brute(&ds, &sc, &[]);
        let tol = |v: f64| 1e-3 * 500.0 + 1e-7 * v.abs();
        let mut single_loss = std::collections::BTreeMap::new();
        for c in &r.singles {
            let e = c.elements[0];
            let (obj, unmet) = brute(&ds, &sc, &[e]);
            prop_assert!((c.loss_usd - (obj - base_obj)).abs() <= tol(obj), "{e:?}: {} vs {}", c.loss_usd, obj - base_obj);
            prop_assert!((c.lost[0].value - (unmet - base_unmet).max(0.0)).abs() <= 1.0);
            single_loss.insert(format!("{e:?}"), obj - base_obj);
        }
        // Pairs: everything reported is right, and nothing worse than its parts is missing.
        let elements: Vec<Element> = r.singles.iter().map(|c| c.elements[0]).collect();
        for p in &r.pairs {
            let (obj, _) = brute(&ds, &sc, &p.elements);
            prop_assert!((p.loss_usd - (obj - base_obj)).abs() <= tol(obj));
        }
        for (i, &a) in elements.iter().enumerate() {
            for &b in &elements[i + 1..] {
                let (obj, _) = brute(&ds, &sc, &[a, b]);
                let synergy = (obj - base_obj) - single_loss[&format!("{a:?}")] - single_loss[&format!("{b:?}")];
                if synergy > 1e4 {
                    let found = r.pairs.iter().any(|p| {
                        let es = &p.elements;
                        (es[0] == a && es[1] == b) || (es[0] == b && es[1] == a)
                    });
                    prop_assert!(found, "pair {a:?} + {b:?} with synergy {synergy} not reported");
                }
            }
        }
        prop_assert!(r.stats.pair_solves <= r.stats.pairs);
    }
}

// ---------------------------------------------------------------------------------------------------
// Risk statistics against exact enumeration

/// Field → A → market and field → B → market, plus a direct link; three outage sources.
fn risk_case() -> (Dataset, Scenario) {
    let links = [
        RandomLink {
            from: 0,
            to: 1,
            capacity_mt: 6,
            tariff: 10,
        },
        RandomLink {
            from: 1,
            to: 3,
            capacity_mt: 6,
            tariff: 10,
        },
        RandomLink {
            from: 0,
            to: 2,
            capacity_mt: 4,
            tariff: 20,
        },
        RandomLink {
            from: 2,
            to: 3,
            capacity_mt: 4,
            tariff: 20,
        },
    ];
    let mut ds = dataset(4, &[0, 1, 2, 3], &links);
    let rate = |p: f64, d: f64| OutageRate {
        annual_prob: p,
        mean_days: d,
        sources: vec![SourceId(0)],
        confidence: Confidence::Estimate,
    };
    ds.outages.links.push(LinkOutage {
        link: LinkId(0),
        rate: rate(0.25, 73.0),
    });
    ds.outages.links.push(LinkOutage {
        link: LinkId(3),
        rate: rate(0.15, 146.0),
    });
    ds.outages.events.push(OutageEvent {
        id: "storm".into(),
        name: "Storm".into(),
        rate: rate(0.08, 365.0),
        derate_pct: 50.0,
        links: vec![LinkId(1), LinkId(2)],
        scope: vec![],
        notes: String::new(),
        location: Location::default(),
    });
    let sc = scenario(&ds, 9.0);
    (ds, sc)
}

#[test]
fn risk_statistics_match_exact_enumeration_of_every_outage_combination() {
    let (ds, sc) = risk_case();
    // Exact: 2^3 combinations with fixed durations, each solved by the LP with the matching derates.
    let sources: [(f64, Vec<(usize, f64)>); 3] = [
        (0.25, vec![(0, 73.0 / 365.0)]),
        (0.15, vec![(3, 146.0 / 365.0)]),
        (0.08, vec![(1, 0.5), (2, 0.5)]),
    ];
    let mut atoms: Vec<(f64, f64)> = Vec::new(); // (unmet Mt, probability)
    for mask in 0..8u32 {
        let mut p = 1.0;
        let mut keep = [1.0f64; 4];
        for (i, (prob, hits)) in sources.iter().enumerate() {
            if mask & (1 << i) != 0 {
                p *= prob;
                for &(l, lost) in hits {
                    keep[l] *= 1.0 - lost;
                }
            } else {
                p *= 1.0 - prob;
            }
        }
        let mut case = sc.clone();
        for (l, &k) in keep.iter().enumerate() {
            if k < 1.0 {
                case.disruptions.push(Disruption {
                    element: Element::Link(LinkId(l as u32)),
                    derate_pct: (1.0 - k) * 100.0,
                    years: Vec::new(),
                    location: Location::default(),
                });
            }
        }
        let a = allocate_with(&ds, &case, &Simplex::default(), Method::Lp).expect("LP");
        atoms.push((m(a.totals[0].unmet), p));
    }
    let mean: f64 = atoms.iter().map(|(u, p)| u * p).sum();
    let var: f64 = atoms.iter().map(|(u, p)| p * (u - mean).powi(2)).sum();
    let quantile = |q: f64| {
        let mut sorted = atoms.clone();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut cum = 0.0;
        for (u, p) in sorted {
            cum += p;
            if cum >= q {
                return u;
            }
        }
        f64::NAN
    };
    let n = 20_000u64;
    let config = RiskConfig {
        samples: n,
        seed: 42,
        threads: Some(2),
        durations: DurationModel::Fixed,
        timing: Timing::Annual,
        tail_share: 0.05,
    };
    let r = risk(&ds, &sc, &Simplex::default(), &config, &Silent).expect("risk");
    let got = &r.commodities[0].unmet.scaled(1e-6);
    let sigma = (var / n as f64).sqrt();
    assert!(
        (got.mean - mean).abs() <= 4.0 * sigma + 1e-9,
        "mean {} vs exact {mean} (σ {sigma})",
        got.mean
    );
    // The exact CDF steps at 0.5865, 0.782, 0.8855, 0.92 and 1: at least 0.0145 (about 7σ of the
    // empirical CDF) away from 0.5, 0.9, 0.95 and 0.99, so the sampled percentiles are the exact ones.
    for (q, v) in [
        (0.5, got.p50),
        (0.9, got.p90),
        (0.95, got.p95),
        (0.99, got.p99),
    ] {
        assert!(
            (v - quantile(q)).abs() < 1e-6,
            "P{q}: {v} vs exact {}",
            quantile(q)
        );
    }
    let p_pos: f64 = atoms
        .iter()
        .filter(|(u, _)| *u > 1e-9)
        .map(|(_, p)| p)
        .sum();
    let s = (p_pos * (1.0 - p_pos) / n as f64).sqrt();
    assert!((got.prob_positive - p_pos).abs() <= 4.0 * s);
    // Each source fails as often as its probability says.
    for (i, src) in r.context.sources.iter().enumerate() {
        let f = r.tail.iter().find(|t| t.source == i).map(|t| t.frequency);
        if let Some(f) = f {
            let s = (src.annual_prob * (1.0 - src.annual_prob) / n as f64).sqrt();
            assert!((f - src.annual_prob).abs() <= 4.0 * s, "{}: {f}", src.id);
        }
    }
}

/// With outages placed in the year, a source is out at any given moment with probability
/// `p × days / 365`, independently of the others, so the expected unmet volume is the enumeration of the
/// outage sets at one moment, each solved with its links fully derated.
#[test]
fn risk_by_periods_matches_the_exact_expectation() {
    let (ds, sc) = risk_case();
    let sources: [(f64, Vec<(usize, f64)>); 3] = [
        (0.25 * 73.0 / 365.0, vec![(0, 1.0)]),
        (0.15 * 146.0 / 365.0, vec![(3, 1.0)]),
        (0.08, vec![(1, 0.5), (2, 0.5)]),
    ];
    let mut mean = 0.0;
    let mut max: f64 = 0.0;
    for mask in 0..8u32 {
        let mut p = 1.0;
        let mut keep = [1.0f64; 4];
        for (i, (prob, hits)) in sources.iter().enumerate() {
            if mask & (1 << i) != 0 {
                p *= prob;
                for &(l, lost) in hits {
                    keep[l] *= 1.0 - lost;
                }
            } else {
                p *= 1.0 - prob;
            }
        }
        let mut case = sc.clone();
        for (l, &k) in keep.iter().enumerate() {
            if k < 1.0 {
                case.disruptions.push(Disruption {
                    element: Element::Link(LinkId(l as u32)),
                    derate_pct: (1.0 - k) * 100.0,
                    years: Vec::new(),
                    location: Location::default(),
                });
            }
        }
        let a = allocate_with(&ds, &case, &Simplex::default(), Method::Lp).expect("LP");
        mean += p * m(a.totals[0].unmet);
        max = max.max(m(a.totals[0].unmet));
    }
    let n = 20_000u64;
    let config = RiskConfig {
        samples: n,
        seed: 11,
        threads: Some(2),
        durations: DurationModel::Fixed,
        timing: Timing::Periods,
        tail_share: 0.05,
    };
    let r = risk(&ds, &sc, &Simplex::default(), &config, &Silent).expect("risk");
    // Var ≤ E[X²] ≤ max·E[X] for 0 ≤ X ≤ max.
    let sigma = (max * mean / n as f64).sqrt();
    let got = m(r.commodities[0].unmet.mean);
    assert!(
        (got - mean).abs() <= 4.0 * sigma,
        "mean {got} vs exact {mean} (σ ≤ {sigma})"
    );
    assert!(r.solves > 0);
}

#[test]
fn risk_is_identical_for_any_thread_count_and_any_sharding() {
    let loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("embedded");
    let (ds, sc) = (&loaded.dataset, &loaded.scenario);
    let config = |threads| RiskConfig {
        samples: 300,
        seed: 2024,
        threads: Some(threads),
        ..RiskConfig::default()
    };
    let solver = Simplex::default();
    let one = risk(ds, sc, &solver, &config(1), &Silent).expect("risk");
    let two = risk(ds, sc, &solver, &config(2), &Silent).expect("risk");
    assert_eq!(one, two);
    assert!(
        !one.context.sources.is_empty(),
        "the caspian dataset has outage assumptions"
    );
    // Three shards, merged in another order, after a trip through JSON.
    let mut shards: Vec<RiskShard> = (0..3)
        .map(|i| risk_shard(ds, sc, &solver, &config(2), i, 3, &Silent).expect("shard"))
        .collect();
    shards.reverse();
    let shards: Vec<RiskShard> = shards
        .iter()
        .map(|s| serde_json::from_str(&serde_json::to_string(s).expect("json")).expect("parse"))
        .collect();
    let merged = risk_merge(shards.clone()).expect("merge");
    assert_eq!(one, merged);
    // Shards of another run, a missing shard and a repeated shard are refused.
    let other = risk_shard(
        ds,
        sc,
        &solver,
        &RiskConfig {
            seed: 1,
            ..config(1)
        },
        0,
        3,
        &Silent,
    )
    .expect("shard");
    let err = |list: Vec<RiskShard>| risk_merge(list).expect_err("refused").to_string();
    assert!(err(vec![shards[0].clone(), other]).contains("comes from another run"));
    // A shard computed on a dataset with one capacity changed (a link no sample's outage touches the
    // same way) is refused too: the fingerprint covers every figure.
    let mut changed = ds.clone();
    let unused = changed.link_id("batumi-tankers").expect("link");
    changed.links[unused.idx()].capacity_base *= 1.5;
    let foreign = risk_shard(&changed, sc, &solver, &config(2), 1, 3, &Silent).expect("shard");
    assert_ne!(foreign.context.fingerprint, shards[0].context.fingerprint);
    assert!(
        err(vec![shards[2].clone(), foreign, shards[0].clone()]).contains("comes from another run")
    );
    assert!(err(vec![shards[0].clone(), shards[1].clone()]).contains("missing"));
    assert!(err(vec![
        shards[0].clone(),
        shards[0].clone(),
        shards[1].clone(),
        shards[2].clone()
    ])
    .contains("twice"));
}

#[test]
fn contingency_is_identical_for_any_thread_count() {
    let mut loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("embedded");
    // The pruning bound below is about the network simplex's warm re-solves: the uncalibrated scenario.
    loaded.scenario.calibration = None;
    let config = |threads| ContingencyConfig {
        k: 2,
        threads: Some(threads),
        ..ContingencyConfig::default()
    };
    let solver = Simplex::default();
    let one = contingency(
        &loaded.dataset,
        &loaded.scenario,
        &solver,
        &config(1),
        &Silent,
    )
    .expect("n-2");
    let two = contingency(
        &loaded.dataset,
        &loaded.scenario,
        &solver,
        &config(2),
        &Silent,
    )
    .expect("n-2");
    assert_eq!(one, two);
    assert!(
        one.stats.pair_solves < one.stats.pairs / 2,
        "{:?}",
        one.stats
    );
}

// ---------------------------------------------------------------------------------------------------
// Indices by hand

#[test]
fn one_transit_country_has_hhi_one_and_leverage_equal_to_the_whole_volume() {
    // field (AA) → transit (AB) → market (AC).
    let links = [
        RandomLink {
            from: 0,
            to: 1,
            capacity_mt: 10,
            tariff: 5,
        },
        RandomLink {
            from: 1,
            to: 2,
            capacity_mt: 10,
            tariff: 5,
        },
    ];
    let ds = dataset(3, &[0, 1, 2], &links);
    let sc = scenario(&ds, 6.0);
    let r = indices(&ds, &sc, &Simplex::default(), Some(1), &Silent).expect("indices");
    let o = &r.origins[0];
    assert_eq!(o.delivered, 6e6);
    assert_eq!(o.hhi_routes, 1.0);
    assert_eq!(
        o.hhi_countries, 0.5,
        "two countries crossed (transit and market) equally"
    );
    let ab = r
        .leverage
        .iter()
        .find(|l| l.country == cc("AB"))
        .expect("AB");
    assert!((ab.leverage - 6e6).abs() < 1e-3);
    assert!((ab.share_of_delivered - 1.0).abs() < 1e-12);
    assert_eq!(
        o.countries
            .iter()
            .find(|c| c.country == cc("AB"))
            .and_then(|c| c.bypass_ratio),
        Some(0.0)
    );
}

#[test]
fn two_parallel_corridors_split_the_hhi_and_the_leverage() {
    // field (AA) → AB → market (AD): 3 Mt/y at 5; field → AC → market: 1 Mt/y at 9; supply 4.
    let links = [
        RandomLink {
            from: 0,
            to: 1,
            capacity_mt: 3,
            tariff: 5,
        },
        RandomLink {
            from: 1,
            to: 3,
            capacity_mt: 3,
            tariff: 0,
        },
        RandomLink {
            from: 0,
            to: 2,
            capacity_mt: 10,
            tariff: 9,
        },
        RandomLink {
            from: 2,
            to: 3,
            capacity_mt: 10,
            tariff: 0,
        },
    ];
    let ds = dataset(4, &[0, 1, 2, 0], &links);
    let sc = scenario(&ds, 4.0);
    let r = indices(&ds, &sc, &Simplex::default(), Some(1), &Silent).expect("indices");
    let o = &r.origins[0];
    // Shares 3/4 and 1/4: HHI = 9/16 + 1/16.
    assert!((o.hhi_routes - 0.625).abs() < 1e-12, "{}", o.hhi_routes);
    // Without AB the AC corridor (10 Mt/y) takes everything: no leverage. Without AC the AB corridor
    // (3 Mt/y) leaves 1 Mt/y undelivered: AC's leverage is 1, a quarter of the volume.
    let lev = |c: &str| {
        r.leverage
            .iter()
            .find(|l| l.country == cc(c))
            .map(|l| m(l.leverage))
    };
    assert_eq!(lev("AB"), Some(0.0));
    assert_eq!(lev("AC"), Some(1.0));
    let bypass: Vec<(CountryCode, Option<f64>)> = o
        .countries
        .iter()
        .map(|c| (c.country, c.bypass_ratio))
        .collect();
    assert_eq!(bypass, vec![(cc("AB"), Some(1.0)), (cc("AC"), Some(0.75))]);
}

// ---------------------------------------------------------------------------------------------------
// Data-driven scenario tests on the mini corridor

fn load(extra: &str) -> (Dataset, Scenario) {
    let ds = mini();
    let (sc, diags) = parse_scenario("test.toml", &format!("{BASE}{extra}"), &ds);
    let sc = sc.unwrap_or_else(|| panic!("{diags:?}"));
    (ds, sc)
}

fn check_contingency(extra: &str, k: usize, expect: Expect) {
    let (ds, sc) = load(extra);
    let config = ContingencyConfig {
        k,
        threads: Some(1),
        ..ContingencyConfig::default()
    };
    let r = contingency(&ds, &sc, &Simplex::default(), &config, &Silent).expect("contingency");
    let mut out = String::new();
    for c in r.singles.iter().chain(&r.pairs) {
        out += &format!(
            "{}{} lost {:.3} loss {:.1} MUSD{} moves {}\n",
            if c.synergy_usd.is_some() { "pair " } else { "" },
            names(&ds, &c.elements).join(" + "),
            m(c.lost[0].value),
            c.loss_usd / 1e6,
            c.synergy_usd
                .map(|s| format!(" synergy {:.1}", s / 1e6))
                .unwrap_or_default(),
            c.reroutes
                .iter()
                .map(|r| format!("{}+{:.3}", ds.link(r.link).id, m(r.change)))
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    out += &format!("{:?}\n", r.stats);
    expect.assert_eq(&out);
}

#[test]
fn mini_contingencies_rank_the_northern_pipeline_and_russia_first() {
    check_contingency(
        "",
        2,
        expect![[r#"
            country RU lost 10.000 loss 9600.0 MUSD moves 
            link novo-sea lost 10.000 loss 9600.0 MUSD moves 
            link pipe-north lost 10.000 loss 9600.0 MUSD moves 
            node novo lost 10.000 loss 9600.0 MUSD moves 
            country AZ lost 2.000 loss 1840.0 MUSD moves 
            country GE lost 2.000 loss 1840.0 MUSD moves 
            country TR lost 2.000 loss 1840.0 MUSD moves 
            link ceyhan-sea lost 2.000 loss 1840.0 MUSD moves 
            link ferry lost 2.000 loss 1840.0 MUSD moves 
            link field-aktau lost 2.000 loss 1840.0 MUSD moves 
            link pipe-west lost 2.000 loss 1840.0 MUSD moves 
            node aktau lost 2.000 loss 1840.0 MUSD moves 
            node baku lost 2.000 loss 1840.0 MUSD moves 
            node ceyhan lost 2.000 loss 1840.0 MUSD moves 
            ContingencyStats { elements: 14, single_solves: 14, pairs: 91, pair_solves: 40 }
        "#]],
    );
}

#[test]
fn mini_contingency_finds_redundant_routes_as_pairs() {
    // Supply 1.5 Mt/y: either corridor alone carries it, so no element alone loses volume; pairs that
    // cut both corridors do.
    let text = BASE.replace("volume = 12", "volume = 1.5");
    let ds = mini();
    let (sc, diags) = parse_scenario("test.toml", &text, &ds);
    let sc = sc.unwrap_or_else(|| panic!("{diags:?}"));
    let config = ContingencyConfig {
        k: 2,
        threads: Some(1),
        kinds: ElementKinds {
            links: true,
            nodes: false,
            countries: true,
            chokepoints: false,
        },
        only: Vec::new(),
    };
    let r = contingency(&ds, &sc, &Simplex::default(), &config, &Silent).expect("contingency");
    let mut out = String::new();
    for c in r.singles.iter().take(3).chain(&r.pairs) {
        out += &format!(
            "{} lost {:.3} loss {:.1} synergy {:?}\n",
            names(&ds, &c.elements).join(" + "),
            m(c.lost[0].value),
            c.loss_usd / 1e6,
            c.synergy_usd.map(|s| format!("{:.1}", s / 1e6))
        );
    }
    out += &format!("{:?}\n", r.stats);
    expect![[r#"
        country RU lost 0.000 loss 60.0 synergy None
        link novo-sea lost 0.000 loss 60.0 synergy None
        link pipe-north lost 0.000 loss 60.0 synergy None
        country AZ + country RU lost 1.500 loss 1440.0 synergy Some("1380.0")
        country GE + country RU lost 1.500 loss 1440.0 synergy Some("1380.0")
        country RU + country TR lost 1.500 loss 1440.0 synergy Some("1380.0")
        link ceyhan-sea + country RU lost 1.500 loss 1440.0 synergy Some("1380.0")
        link ferry + country RU lost 1.500 loss 1440.0 synergy Some("1380.0")
        link field-aktau + country RU lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + country AZ lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + country GE lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + country TR lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + link ceyhan-sea lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + link ferry lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + link field-aktau lost 1.500 loss 1440.0 synergy Some("1380.0")
        link novo-sea + link pipe-west lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + country AZ lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + country GE lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + country TR lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + link ceyhan-sea lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + link ferry lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + link field-aktau lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-north + link pipe-west lost 1.500 loss 1440.0 synergy Some("1380.0")
        link pipe-west + country RU lost 1.500 loss 1440.0 synergy Some("1380.0")
        ContingencyStats { elements: 10, single_solves: 10, pairs: 45, pair_solves: 21 }
    "#]]
    .assert_eq(&out);
}

#[test]
fn mini_risk_with_a_storm_event() {
    let (mut ds, sc) = load("");
    ds.outages.events.push(OutageEvent {
        id: "storm".into(),
        name: "Storm".into(),
        rate: OutageRate {
            annual_prob: 0.5,
            mean_days: 73.0,
            sources: vec![SourceId(0)],
            confidence: Confidence::Estimate,
        },
        derate_pct: 100.0,
        links: vec![ds.link_id("ferry").expect("ferry")],
        scope: vec!["link ferry".into()],
        notes: String::new(),
        location: Location::default(),
    });
    ds.outages.defaults.push(OutageDefault {
        mode: Mode::Pipeline,
        rate: OutageRate {
            annual_prob: 0.1,
            mean_days: 36.5,
            sources: vec![SourceId(0)],
            confidence: Confidence::Estimate,
        },
        notes: String::new(),
        location: Location::default(),
    });
    let config = RiskConfig {
        samples: 2000,
        seed: 5,
        threads: Some(1),
        durations: DurationModel::Fixed,
        timing: Timing::Periods,
        tail_share: 0.05,
    };
    let r = risk(&ds, &sc, &Simplex::default(), &config, &Silent).expect("risk");
    let u = &r.commodities[0].unmet.scaled(1e-6);
    let out = format!(
        "mean {:.4} p50 {:.3} p90 {:.3} p95 {:.3} p99 {:.3} P>0 {:.3}\ntail {}\n",
        u.mean,
        u.p50,
        u.p90,
        u.p95,
        u.p99,
        u.prob_positive,
        r.tail
            .iter()
            .map(|t| format!("{} {:.2}", r.context.sources[t.source].id, t.tail_frequency))
            .collect::<Vec<_>>()
            .join(", ")
    );
    expect![[r#"
        mean 0.3354 p50 0.400 p90 1.000 p95 1.400 p99 1.400 P>0 0.608
        tail pipe-north 1.00, storm 1.00, pipe-west 0.11
    "#]]
    .assert_eq(&out);
}

#[test]
fn mini_pathway_brings_the_planned_pipeline_in_and_grows_the_supply() {
    let (ds, sc) =
        load("\n[[growth]]\nsupply = \"field\"\nannual_pct = 10\nsources = [\"test-source\"]\n");
    let r = pathway(
        &ds,
        &sc,
        &Simplex::default(),
        &PathwayConfig {
            first_year: 2026,
            last_year: 2029,
            avoid: vec![CountryCode::parse("RU").expect("RU")],
        },
        &Silent,
    )
    .expect("pathway");
    let mut out = String::new();
    for y in &r.years {
        let t = &y.totals[0];
        out += &format!(
            "{} supplied {:.3} delivered {:.3} unmet {:.3} bypass {:.3} via {}\n",
            y.year,
            m(t.supplied),
            m(t.delivered),
            m(t.unmet),
            m(y.bypass[0].capacity),
            y.bypass[0]
                .bottleneck
                .iter()
                .map(|i| i.id(&ds))
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    for b in &r.bottlenecks {
        let kind = b.constraint.kind();
        out += &format!(
            "{} {} {kind} {} {:?}\n",
            b.first_year,
            b.role.label(),
            constraint_label(&ds, &sc, b.constraint),
            b.years
        );
    }
    expect![[r#"
        2026 supplied 14.520 delivered 12.000 unmet 2.520 bypass 2.000 via ferries
        2027 supplied 15.972 delivered 12.000 unmet 3.972 bypass 2.000 via ferries
        2028 supplied 17.569 delivered 17.000 unmet 0.569 bypass 7.000 via ferries,pipe-new
        2029 supplied 19.326 delivered 17.000 unmet 2.326 bypass 7.000 via ferries,pipe-new
        2026 allocation group ferries [2026, 2027, 2028, 2029]
        2026 allocation link pipe-north [2026, 2027, 2028, 2029]
        2026 bypass group ferries [2026, 2027, 2028, 2029]
        2028 allocation link pipe-new [2028, 2029]
        2028 bypass link pipe-new [2028, 2029]
    "#]]
    .assert_eq(&out);
}

#[test]
fn mini_indices_show_russia_s_and_azerbaijan_s_leverage() {
    let (ds, sc) = load("");
    let r = indices(&ds, &sc, &Simplex::default(), Some(1), &Silent).expect("indices");
    let mut out = String::new();
    for o in &r.origins {
        out += &format!(
            "{} {} delivered {:.3} hhi routes {:.4} countries {:.4}\n",
            ds.node(o.origin).id,
            ds.commodity(o.commodity).id,
            m(o.delivered),
            o.hhi_routes,
            o.hhi_countries
        );
        for c in &o.countries {
            out += &format!(
                "  {} {:.3} {:.4} bypass {:?}\n",
                c.country,
                m(c.volume),
                c.share,
                c.bypass_ratio.map(|b| format!("{b:.4}"))
            );
        }
    }
    for l in &r.leverage {
        out += &format!(
            "leverage {} {:.3} ({:.4})\n",
            l.country,
            m(l.leverage),
            l.share_of_delivered
        );
    }
    expect![[r#"
        field crude delivered 12.000 hhi routes 0.7222 countries 0.4375
          RU 10.000 0.8333 bypass Some("0.1667")
          AZ 2.000 0.1667 bypass Some("0.8333")
          GE 2.000 0.1667 bypass Some("0.8333")
          TR 2.000 0.1667 bypass Some("0.8333")
        leverage RU 10.000 (0.8333)
        leverage AZ 2.000 (0.1667)
        leverage GE 2.000 (0.1667)
        leverage TR 2.000 (0.1667)
    "#]]
    .assert_eq(&out);
}

/// The contingency base case is the allocation: same tariffs paid and same volume delivered, for every
/// embedded scenario, calibrated or not.
#[test]
fn the_contingency_base_case_is_the_allocation_of_every_embedded_scenario() {
    let solver = Simplex::default();
    for (name, _) in corridor_io::EMBEDDED_SCENARIOS {
        let loaded = corridor_io::load_scenario(name, None).expect("embedded");
        let mut variants = vec![loaded.scenario.clone()];
        if loaded.scenario.calibration.is_some() {
            let mut plain = loaded.scenario.clone();
            plain.calibration = None;
            variants.push(plain);
        }
        for scenario in variants {
            let a = allocate(&loaded.dataset, &scenario, &solver).expect("allocates");
            let config = ContingencyConfig {
                threads: Some(1),
                only: vec![Element::Country(CountryCode::parse("GE").expect("code"))],
                ..ContingencyConfig::default()
            };
            let c = contingency(&loaded.dataset, &scenario, &solver, &config, &Silent)
                .expect("contingency");
            let tolerance = 1e-6 * a.transport_cost_usd.abs().max(1.0);
            assert!(
                (c.base.transport_cost_usd - a.transport_cost_usd).abs() <= tolerance,
                "{name} (calibrated: {}): contingency base {} vs allocate {}",
                scenario.calibration.is_some(),
                c.base.transport_cost_usd,
                a.transport_cost_usd
            );
        }
    }
}

/// A contract ceiling ("up to") is an arc bound in the case engine's network simplex and a row in the LP:
/// the contingency base case (network simplex) pays what the allocation (LP) pays, with the ceiling binding.
#[test]
fn a_contract_ceiling_is_the_same_for_the_network_simplex_and_the_lp() {
    let mut loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("embedded");
    loaded.scenario.calibration = None;
    let (ds, mut sc) = (loaded.dataset, loaded.scenario);
    sc.contracts[0].links = vec![ds.link_id("cpc-tengiz").expect("link")];
    sc.contracts[0].min_volume = 0.0;
    sc.contracts[0].max_volume = Some(20e6);
    let solver = Simplex::default();
    let lp = allocate(&ds, &sc, &solver).expect("lp");
    let tengiz = ds.link_id("cpc-tengiz").expect("link");
    let on_cpc: f64 = lp
        .flows
        .iter()
        .filter(|f| f.link == tengiz)
        .map(|f| f.volume)
        .sum();
    assert!((on_cpc - 20e6).abs() < 1.0, "the ceiling binds: {on_cpc}");
    assert!(
        lp.binding
            .iter()
            .any(|b| matches!(b.constraint, Constraint::Contract(_))),
        "{:?}",
        lp.binding
    );
    let config = ContingencyConfig {
        threads: Some(1),
        only: vec![Element::Country(CountryCode::parse("GE").expect("code"))],
        ..ContingencyConfig::default()
    };
    let c = contingency(&ds, &sc, &solver, &config, &Silent).expect("contingency");
    assert_eq!(c.method, Method::NetworkSimplex);
    assert!(
        (c.base.transport_cost_usd - lp.transport_cost_usd).abs() <= 1e-6 * lp.transport_cost_usd
    );
}

/// A chokepoint is an element of its own: taking the Turkish Straits out of the calibrated Kazakh crude
/// scenario costs what closing its four Black Sea loadings by scenario disruptions costs, and strands most
/// Kazakh crude (every Black Sea loading is lost at once).
#[test]
fn taking_the_turkish_straits_out_is_closing_every_black_sea_loading() {
    let loaded = corridor_io::load_scenario("kazakh-crude-2024", None).expect("embedded");
    let (ds, sc) = (loaded.dataset, loaded.scenario);
    let straits = ds.chokepoint_id("turkish-straits").expect("chokepoint");
    let solver = Simplex::default();
    let config = ContingencyConfig {
        threads: Some(1),
        only: vec![Element::Chokepoint(straits)],
        ..ContingencyConfig::default()
    };
    let c = contingency(&ds, &sc, &solver, &config, &Silent).expect("contingency");
    let case = &c.singles[0];
    assert_eq!(case.elements[0].kind(), "chokepoint");
    let lost = case.lost.iter().map(|a| m(a.value)).sum::<f64>();
    assert!(lost > 40.0, "most Kazakh crude is stranded: {lost} Mt/y");

    let mut closed = sc.clone();
    for &l in &ds.chokepoint(straits).links {
        closed.disruptions.push(Disruption {
            element: Element::Link(l),
            derate_pct: 100.0,
            years: Vec::new(),
            location: Location::new("test", 0),
        });
    }
    let a = allocate(&ds, &closed, &solver).expect("allocates");
    let base = allocate(&ds, &sc, &solver).expect("allocates");
    // A loss counts tariffs and unmet penalties, not the calibration's premiums (they steer the flows but
    // are no money paid).
    let by_links = (a.objective_usd - a.premium_usd) - (base.objective_usd - base.premium_usd);
    assert!(
        (case.loss_usd - by_links).abs() <= 1e-6 * by_links.abs(),
        "chokepoint out {} vs its links out {}",
        case.loss_usd,
        by_links
    );
}

/// Found by the bad-input corpus: the case engine relaxed a contract the base case cannot meet, so
/// `contingency` and `risk` answered with exit 0 for a scenario `allocate` calls infeasible.
#[test]
fn an_unmeetable_contract_makes_contingency_and_risk_infeasible_like_allocate() {
    let (ds, sc) = load(
        r#"
[[contracts]]
name = "too much west"
links = ["pipe-west"]
commodity = "crude"
min_volume = 500
unit = "Mt/y"
sources = ["test-source"]
"#,
    );
    let solver = Simplex::default();
    let expected = allocate(&ds, &sc, &solver)
        .expect_err("allocate refuses")
        .to_string();
    assert!(expected.contains("too much west"), "{expected}");
    let config = ContingencyConfig {
        threads: Some(1),
        ..ContingencyConfig::default()
    };
    let c = contingency(&ds, &sc, &solver, &config, &Silent).expect_err("contingency refuses");
    assert_eq!(c.to_string(), expected);
    let config = RiskConfig {
        samples: 4,
        threads: Some(1),
        ..RiskConfig::default()
    };
    let r = risk(&ds, &sc, &solver, &config, &Silent).expect_err("risk refuses");
    assert_eq!(r.to_string(), expected);
}
