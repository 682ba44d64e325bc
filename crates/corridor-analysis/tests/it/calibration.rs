//! Calibration and backtests: premiums recovered on synthetic networks, and the embedded 2024 baseline
//! against the published flows.

use crate::random::{build, network_strategy};
use corridor_analysis::{
    allocate, backtest, calibrate, compare_observed, weighted_abs_pct_error, CalibrateOptions,
};
use corridor_lp::Simplex;
use corridor_model::units::RateUnit;
use corridor_model::*;
use proptest::prelude::*;

fn scenario(ds: &Dataset, supply_mt: u32) -> Scenario {
    Scenario {
        name: "synthetic".into(),
        year: 2024,
        unmet_penalty_usd: 1000.0,
        supplies: vec![Supply {
            node: NodeId(0),
            commodity: CommodityId(0),
            volume: supply_mt as f64 * 1e6,
            unmet_penalty_usd: None,
            sources: vec![SourceId(0)],
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

/// Observes every link's flow in `allocation` (both directions summed, as a published figure would be).
fn observe_all(ds: &mut Dataset, allocation: &corridor_analysis::Allocation) {
    let mt: RateUnit = "Mt/y".parse().expect("a unit");
    for l in ds.link_ids().collect::<Vec<_>>() {
        let volume: f64 = allocation
            .flows
            .iter()
            .filter(|f| f.link == l)
            .map(|f| f.volume)
            .sum();
        ds.observations.push(Observation {
            id: format!("o{}", l.idx()),
            name: format!("link {}", l.idx()),
            links: vec![l],
            capacity_group: None,
            commodity: CommodityId(0),
            scope: ShipperScope::All,
            year: 2024,
            volume_base: volume,
            volume: volume / 1e6,
            unit: mt,
            role: ObservationRole::Fit,
            sources: vec![SourceId(0)],
            confidence: Confidence::Reported,
            notes: String::new(),
            location: Location::default(),
        });
    }
}

fn premiums_l1(c: &Calibration) -> f64 {
    c.premiums.iter().map(|p| p.usd_per_unit.abs()).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Flows generated from costs c + δ*, δ* hidden: calibration from (c, flows) reproduces every flow,
    /// makes them optimal, and needs no more premium than δ* (in L1).
    #[test]
    fn calibration_recovers_hidden_premiums(
        (n, links, supply) in network_strategy(),
        hidden in proptest::collection::vec(0u32..30, 16),
    ) {
        // One-way links: a two-way link's two directions share one premium, which the hidden δ* does not.
        let links: Vec<_> = links.into_iter().map(|mut l| { l.both = false; l }).collect();
        let mut ds = build(n, &links);
        prop_assume!(!ds.links.is_empty());
        let truth_premiums: Vec<Premium> = ds.link_ids().map(|l| Premium {
            link: l,
            commodity: CommodityId(0),
            usd_per_unit: hidden[l.idx() % hidden.len()] as f64,
        }).collect();
        let mut plain = scenario(&ds, supply);
        let mut truth = plain.clone();
        truth.calibration = Some(Calibration { premiums: truth_premiums, ..Calibration::default() });
        let solver = Simplex::default();
        let generated = allocate(&ds, &truth, &solver).unwrap();
        // With more supply than the network can carry, the unserved part is forced: observing every link
        // still lets the completion reproduce each flow exactly (a miss there would be a calibration bug).
        {
            let mut observed = ds.clone();
            observe_all(&mut observed, &generated);
            let result = calibrate(&observed, &plain, 2024, &solver, CalibrateOptions::default()).unwrap();
            for fit in &result.fits {
                prop_assert!(fit.residual().abs() <= 1e-6 * fit.observed.max(1e6), "with unmet: {fit:?}");
            }
        }
        // What was exported is observed too: the supply is the delivered volume (calibration treats
        // supplies as published figures and serves them first).
        let delivered = generated.totals[0].delivered;
        prop_assume!(delivered > 0.0);
        plain.supplies[0].volume = delivered;
        truth.supplies[0].volume = delivered;
        let generated = allocate(&ds, &truth, &solver).unwrap();
        observe_all(&mut ds, &generated);
        let result = calibrate(&ds, &plain, 2024, &solver, CalibrateOptions::default()).unwrap();
        // The generated flows are feasible, so the completion reproduces them exactly.
        for fit in &result.fits {
            prop_assert!(fit.residual().abs() <= 1e-6 * fit.observed.max(1e6), "residual {fit:?}");
        }
        // Re-solved with the calibrated premiums, the model moves exactly the observed flows.
        let mut calibrated = plain.clone();
        calibrated.calibration = Some(result.calibration.clone());
        let again = allocate(&ds, &calibrated, &solver).unwrap_or_else(|e| panic!("{e}"));
        for c in compare_observed(&ds, &calibrated, &again) {
            prop_assert!((c.modelled - c.observed).abs() <= 1e-6 * c.observed.max(1e6), "{c:?}");
        }
        // And the observed flows are optimal for c + δ: no allocation is cheaper under those costs.
        let mut no_tie = result.calibration.clone();
        no_tie.tie_break_usd = 0.0;
        calibrated.calibration = Some(no_tie);
        let optimum = allocate(&ds, &calibrated, &solver).unwrap().objective_usd;
        let cost_of_observed: f64 = generated.flows.iter().map(|f| {
            let k = &ds.link(f.link).carries[0];
            (k.tariff_usd + result.calibration.premium(f.link, f.commodity)) * f.volume
        }).sum::<f64>();
        prop_assert!(cost_of_observed <= optimum + 1e-6 * optimum.abs().max(1e6), "{cost_of_observed} > {optimum}");
        // Least-L1: never more premium than the hidden one (up to the LP's tolerance).
        let hidden_l1 = premiums_l1(truth.calibration.as_ref().unwrap());
        prop_assert!(result.premium_l1 <= hidden_l1 + 1e-6, "{} > {hidden_l1}", result.premium_l1);
    }
}

fn embedded() -> (Dataset, Scenario) {
    let loaded =
        corridor_io::load_scenario("kazakh-crude-2024", None).expect("embedded scenario loads");
    (loaded.dataset, loaded.scenario)
}

#[test]
fn every_observation_cites_a_dated_web_source() {
    let (ds, _) = embedded();
    assert!(
        ds.observations.len() >= 60,
        "observed.csv has {} rows",
        ds.observations.len()
    );
    for o in &ds.observations {
        assert!(!o.sources.is_empty(), "{} has no source", o.id);
        for &s in &o.sources {
            let source = ds.source(s);
            assert!(
                source.url.starts_with("https://") || source.url.starts_with("http://"),
                "{}: {}",
                source.id,
                source.url
            );
            assert!(
                !source.url.contains("example."),
                "{}: placeholder URL",
                source.id
            );
            assert!(source.date.len() >= 4, "{}: no date", source.id);
        }
    }
}

#[test]
fn calibrated_2024_baseline_reproduces_the_published_flows() {
    let (ds, scenario) = embedded();
    assert!(
        scenario.calibration.is_some(),
        "the default scenario includes its calibration"
    );
    let solver = Simplex::default();
    let a = allocate(&ds, &scenario, &solver).unwrap();
    let comparisons = compare_observed(&ds, &scenario, &a);
    assert!(comparisons.len() >= 8);
    for c in &comparisons {
        let o = &ds.observations[c.observation];
        let tolerance = (0.1 * c.observed).max(0.5e6);
        assert!(
            (c.modelled - c.observed).abs() <= tolerance + 1.0,
            "{}: observed {:.3} Mt, model {:.3} Mt",
            o.id,
            c.observed / 1e6,
            c.modelled / 1e6
        );
    }
    let flow_on = |id: &str| -> f64 {
        let l = ds.link_id(id).unwrap();
        a.flows
            .iter()
            .filter(|f| f.link == l)
            .map(|f| f.volume)
            .sum()
    };
    assert!(
        (flow_on("btc") - 1.5e6).abs() < 1e3,
        "BTC carries the observed 1.5 Mt, not zero"
    );
    assert!(flow_on("baku-supsa") < 1.0, "Baku-Supsa was idle in 2024");
    // Observed: CPC 54.9 + Atyrau-Samara 8.64 + Makhachkala 1.92 of 68.8 Mt exports entered Russia.
    let observed_share = (54.9 + 8.64 + 1.92) / 68.8;
    let ru = a
        .countries
        .iter()
        .find(|c| c.country.as_str() == "RU")
        .unwrap();
    assert!(
        (ru.share - observed_share).abs() <= 0.03,
        "model {:.3} vs observed {observed_share:.3}",
        ru.share
    );
}

#[test]
fn uncalibrated_least_cost_misses_btc_and_the_calibration_fixes_it() {
    let (ds, mut scenario) = embedded();
    scenario.calibration = None;
    let solver = Simplex::default();
    let a = allocate(&ds, &scenario, &solver).unwrap();
    let btc = ds.link_id("btc").unwrap();
    let on_btc: f64 = a
        .flows
        .iter()
        .filter(|f| f.link == btc)
        .map(|f| f.volume)
        .sum();
    assert!(
        on_btc < 1.0,
        "least cost on tariffs alone sends nothing through BTC ({on_btc} t)"
    );
}

#[test]
fn backtest_scores_are_pinned() {
    let (ds, scenario) = embedded();
    let solver = Simplex::default();
    let b = backtest(
        &ds,
        &scenario,
        &[2022, 2023, 2024, 2025],
        &solver,
        CalibrateOptions::default(),
    )
    .unwrap();
    let pct = |c: Option<f64>| c.map(|v| (v * 1000.0).round() / 10.0);
    // (year, uncalibrated, in sample, out of sample), in %.
    type Row = (i32, Option<f64>, Option<f64>, Option<f64>);
    let rows: Vec<Row> = b
        .years
        .iter()
        .map(|y| {
            (
                y.year,
                pct(weighted_abs_pct_error(&y.uncalibrated)),
                pct(weighted_abs_pct_error(&y.in_sample)),
                y.out_of_sample
                    .as_deref()
                    .and_then(|c| pct(weighted_abs_pct_error(c))),
            )
        })
        .collect();
    expect_test::expect![[r#"
        [
            (
                2022,
                Some(
                    33.3,
                ),
                Some(
                    0.0,
                ),
                None,
            ),
            (
                2023,
                Some(
                    29.0,
                ),
                Some(
                    0.0,
                ),
                Some(
                    10.8,
                ),
            ),
            (
                2024,
                Some(
                    38.1,
                ),
                Some(
                    1.7,
                ),
                Some(
                    3.9,
                ),
            ),
            (
                2025,
                Some(
                    32.9,
                ),
                Some(
                    0.9,
                ),
                Some(
                    4.1,
                ),
            ),
        ]
    "#]]
    .assert_debug_eq(&rows);
}
