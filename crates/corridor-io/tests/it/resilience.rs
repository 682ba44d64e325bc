//! Outage assumptions, capacity-group expansions and scenario growth: what loads, and every mistake with
//! its line.

use super::{edit, render};
use corridor_fixtures::mini::{files, DATASET, LINKS, NODES, SCENARIO};
use corridor_io::{parse_dataset, parse_scenario};
use expect_test::{expect, Expect};

const OUTAGES: &str = r#"
[[outage_defaults]]
mode = "pipeline"
annual_prob = 0.1
mean_days = 10
sources = ["test-source"]
confidence = "estimate"

[[outage_events]]
id = "storm"
name = "Caspian storm"
annual_prob = 0.9
mean_days = 20
nodes = ["aktau", "baku"]
modes = ["ferry", "tanker"]
sources = ["test-source"]
confidence = "estimate"

[[outage_events]]
id = "russia"
annual_prob = 0.05
mean_days = 30
derate_pct = 50
countries = ["RU"]
sources = ["test-source"]
confidence = "estimate"
"#;

fn with_outage_columns(links: &str) -> String {
    let mut out = String::new();
    for (i, line) in links.lines().enumerate() {
        out += line;
        out += match i {
            0 => ",outage_prob,outage_days",
            _ if line.starts_with("ferry,") => ",0.5,4",
            _ => ",,",
        };
        out += "\n";
    }
    out
}

fn check(dataset: &str, links: &str, expect: Expect) {
    let (ds, diags) = parse_dataset(&files(dataset, NODES, links));
    let mut out = render(&diags);
    if let Some(ds) = ds {
        for d in &ds.outages.defaults {
            out += &format!(
                "default {} {} {}\n",
                d.mode, d.rate.annual_prob, d.rate.mean_days
            );
        }
        for l in &ds.outages.links {
            out += &format!(
                "link {} {} {}\n",
                ds.link(l.link).id,
                l.rate.annual_prob,
                l.rate.mean_days
            );
        }
        for e in &ds.outages.events {
            let links: Vec<&str> = e.links.iter().map(|&l| ds.link(l).id.as_str()).collect();
            out += &format!(
                "event {} {} {} {}% hits {} ({})\n",
                e.id,
                e.rate.annual_prob,
                e.rate.mean_days,
                e.derate_pct,
                links.join(","),
                e.scope.join("; ")
            );
        }
        for g in &ds.capacity_groups {
            for x in &g.expansions {
                out += &format!(
                    "expansion {} {} {} {}\n",
                    g.id, x.year, x.capacity, x.status
                );
            }
        }
        if let Some(l) = ds.link_id("pipe-north") {
            out += &format!(
                "pipe-north rate {:?}\n",
                ds.outage_rate(l).map(|r| r.annual_prob)
            );
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn outage_assumptions_load_and_resolve_their_links() {
    let dataset = edit(
        DATASET,
        &[(
            "[[capacity_groups]]\nid = \"ferries\"",
            "[[capacity_groups]]\nexpansions = [{ year = 2027, capacity = 5, sources = [\"test-source\"], confidence = \"reported\" }]\nid = \"ferries\"",
        )],
    ) + OUTAGES;
    check(
        &dataset,
        &with_outage_columns(LINKS),
        expect![[r#"
        default pipeline 0.1 10
        link ferry 0.5 4
        event storm 0.9 20 100% hits ferry (node aktau; node baku; mode ferry; mode tanker)
        event russia 0.05 30 50% hits pipe-north,novo-sea (country RU)
        expansion ferries 2027 5 planned
        pipe-north rate Some(0.1)
    "#]],
    );
}

#[test]
fn a_dataset_without_outage_columns_or_tables_still_loads() {
    check(
        DATASET,
        LINKS,
        expect![[r#"
        pipe-north rate None
    "#]],
    );
}

#[test]
fn every_outage_mistake_is_reported_with_its_line() {
    let bad = OUTAGES
        .replace("annual_prob = 0.1", "annual_prob = 1.5")
        .replace("mean_days = 20", "mean_days = 0")
        .replace("nodes = [\"aktau\", \"baku\"]", "nodes = [\"aktua\"]")
        .replace("modes = [\"ferry\", \"tanker\"]", "modes = [\"ferri\"]")
        .replace("derate_pct = 50", "derate_pct = 150\nwhen = 3")
        + "\n[[outage_events]]\nid = \"nothing\"\nannual_prob = 0.1\nmean_days = 1\nsources = [\"test-source\"]\nconfidence = \"estimate\"\n"
        + "\n[[outage_defaults]]\nmode = \"pipeline\"\nannual_prob = 0.1\nmean_days = 1\nsources = []\nconfidence = \"estimate\"\n";
    let mut links = with_outage_columns(LINKS);
    links = links.replacen(",0.5,4", ",0.5,", 1);
    links = links.replacen("test-source,reported,,,", "test-source,reported,,x,3", 1);
    let dataset = edit(
        DATASET,
        &[(
            "[[capacity_groups]]\nid = \"ferries\"",
            "[[capacity_groups]]\nexpansions = [{ capacity = 5, sources = [\"test-source\"], confidence = \"sure\" }]\nid = \"ferries\"",
        )],
    ) + &bad;
    check(
        &dataset,
        &links,
        expect![[r#"
        mini/dataset.toml:60: capacity_groups[1].expansions[1]: each expansion needs a year and a capacity — write [{ year = 2028, capacity = 25, status = "planned", sources = ["…"], confidence = "reported" }]
        mini/dataset.toml:71: outage_defaults[1].annual_prob: 1.5 is not a probability — write the chance of an outage in a year as a number from 0 to 1, e.g. 0.1 for once in ten years
        mini/dataset.toml:76: warning: outage_events[1].links: no link matches the event's selectors — check the nodes, countries and modes it names
        mini/dataset.toml:80: outage_events[1].mean_days: 0 days is not a possible outage length — write the mean length of one outage in days, more than 0 and at most 365
        mini/dataset.toml:81: outage_events[1].nodes: unknown node `aktua` — did you mean `aktau`?
        mini/dataset.toml:82: outage_events[1].modes: invalid mode `ferri` — expected one of: pipeline, rail, road, tanker, ferry, sea
        mini/dataset.toml:90: outage_events[2].derate_pct: 150 is outside (0, 100] — 100 takes the links out; 30 removes 30 % of their capacity while the event lasts
        mini/dataset.toml:91: outage_events[2].when: unknown field — known fields: id, name, annual_prob, mean_days, derate_pct, links, nodes, countries, modes, sources, confidence, notes
        mini/dataset.toml:96: outage_events[3].links: the event hits nothing — name what it hits: links, nodes, countries and/or modes
        mini/dataset.toml:103: outage_defaults[2].mode: duplicate outage default for mode id `pipeline` (first defined at mini/dataset.toml:69) — give each one a unique id
        mini/dataset.toml:107: outage_defaults[2].sources: figure without a source — cite at least one source id declared under [[sources]] in dataset.toml
        mini/links.csv:2: outage_prob: `x` is not a number — write a plain number such as 0.1 or 14
        mini/links.csv:5: outage_days: empty while the other outage column is filled — give both outage_prob and outage_days, or neither (the mode's default then applies)
    "#]],
    );
}

fn check_growth(extra: &str, years: &[i32], expect: Expect) {
    let (dataset, diags) = parse_dataset(&files(DATASET, NODES, LINKS));
    assert!(diags.is_empty(), "{}", render(&diags));
    let dataset = dataset.expect("mini");
    let (scenario, diags) = parse_scenario("base.toml", &format!("{SCENARIO}{extra}"), &dataset);
    let mut out = render(&diags);
    if let Some(sc) = scenario {
        for &y in years {
            let s = sc.in_year(y);
            out += &format!(
                "{y}: supplies {:?} contracts {:?}\n",
                s.supplies
                    .iter()
                    .map(|s| s.volume / 1e6)
                    .collect::<Vec<_>>(),
                s.contracts
                    .iter()
                    .map(|c| c.min_volume / 1e6)
                    .collect::<Vec<_>>()
            );
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn growth_steps_and_rates_apply_from_their_years() {
    check_growth(
        "\n[[growth]]\nsupply = \"field\"\nunit = \"Mt/y\"\nsteps = [{ year = 2026, volume = 15 }, { year = 2028, volume = 18 }]\nsources = [\"test-source\"]\n",
        &[2024, 2025, 2026, 2027, 2028],
        expect![[r#"
            2024: supplies [12.0] contracts []
            2025: supplies [12.0] contracts []
            2026: supplies [15.0] contracts []
            2027: supplies [15.0] contracts []
            2028: supplies [18.0] contracts []
        "#]],
    );
    // Steps before the scenario year describe earlier years (backtests); the scenario year keeps its own.
    check_growth(
        "\n[[growth]]\nsupply = \"field\"\nunit = \"Mt/y\"\nsteps = [{ year = 2022, volume = 9 }, { year = 2023, volume = 10 }, { year = 2025, volume = 14 }]\nsources = [\"test-source\"]\n",
        &[2021, 2022, 2023, 2024, 2025, 2026],
        expect![[r#"
            2021: supplies [12.0] contracts []
            2022: supplies [9.0] contracts []
            2023: supplies [10.0] contracts []
            2024: supplies [12.0] contracts []
            2025: supplies [14.0] contracts []
            2026: supplies [14.0] contracts []
        "#]],
    );
    check_growth(
        "\n[[growth]]\nsupply = \"field\"\nannual_pct = 10\nsources = [\"test-source\"]\n",
        &[2023, 2024, 2026],
        expect![[r#"
            2023: supplies [12.0] contracts []
            2024: supplies [12.0] contracts []
            2026: supplies [14.520000000000001] contracts []
        "#]],
    );
}

#[test]
fn every_growth_mistake_is_reported_with_its_line() {
    check_growth(
        "\n[[growth]]\nsupply = \"feild\"\nannual_pct = 3\nsources = [\"test-source\"]\n\
         \n[[growth]]\ncontract = \"no such\"\nannual_pct = 3\nsources = [\"test-source\"]\n\
         \n[[growth]]\nsupply = \"field\"\nunit = \"Mt/y\"\nsteps = [{ year = 2024, volume = 1 }]\nsources = [\"test-source\"]\n\
         \n[[growth]]\nsupply = \"field\"\nsteps = [{ year = 2026, volume = 1 }]\nannual_pct = 2\n\
         \n[[growth]]\nsupply = \"field\"\nmarket = \"market\"\nannual_pct = -120\nsources = [\"test-source\"]\n",
        &[],
        expect![[r#"
            base.toml:19: growth[1].supply: unknown node `feild` — did you mean `field`?
            base.toml:24: growth[2].contract: unknown contract `no such` — name one of the scenario's [[contracts]] by its `name`
            base.toml:31: growth[3].steps[1]: a step in the scenario year 2024 itself — change the volume of the scenario year in its own table; steps say what differs in other years (earlier years for backtests, later ones for pathways)
            base.toml:34: growth[4].steps: both steps and annual_pct given — give either steps = [{ year = 2025, volume = 2.2 }] (with `unit`) or annual_pct = 3
            base.toml:34: growth[4].sources: figure without a source — cite where the future volumes come from (or `corridor-assumptions` with a note)
            base.toml:39: growth[5].supply: 2 targets given — name exactly one of supply (a supply's node), contract (a contract's name), market (a market's node) or background (a background flow's name)
            base.toml:42: growth[5].annual_pct: -120 % a year is not a growth rate — write a percentage above −100, e.g. 3 or -2
        "#]],
    );
}
