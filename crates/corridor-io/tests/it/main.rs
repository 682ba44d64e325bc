//! Data-driven tests of reading: each case edits the mini dataset or scenario in text and compares every
//! diagnostic, rendered as the user sees it.

mod output;
mod paths;
mod resilience;
mod routes;

use corridor_fixtures::mini::{files, DATASET, LINKS, NODES, SCENARIO};
use corridor_io::{parse_dataset, parse_scenario};
use expect_test::{expect, Expect};

fn render(diags: &[corridor_model::Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

/// Replaces each `(from, to)` pair once in `text`, failing loudly if a pattern is absent so a test can
/// never silently check the unmodified file.
fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in edits {
        assert!(out.contains(from), "pattern {from:?} not in the file");
        out = out.replacen(from, to, 1);
    }
    out
}

fn check_dataset(dataset: &str, nodes: &str, links: &str, expect: Expect) {
    let (_, diags) = parse_dataset(&files(dataset, nodes, links));
    expect.assert_eq(&render(&diags));
}

fn check_scenario(scenario: &str, expect: Expect) {
    let (dataset, diags) = parse_dataset(&files(DATASET, NODES, LINKS));
    assert!(diags.is_empty(), "{}", render(&diags));
    let dataset = dataset.expect("mini dataset loads");
    let (_, diags) = parse_scenario("base.toml", scenario, &dataset);
    expect.assert_eq(&render(&diags));
}

#[test]
fn the_mini_dataset_is_clean_and_converts_units() {
    let (dataset, diags) = parse_dataset(&files(DATASET, NODES, LINKS));
    assert_eq!(render(&diags), "");
    let dataset = dataset.unwrap();
    let west = &dataset.links[dataset.link_id("pipe-west").unwrap().idx()];
    // 1.2 mb/d of a 7.5 bbl/t grade is 1.2e6 * 365 / 7.5 t/y = 58.4 Mt/y.
    assert!(
        (west.capacity_base - 58.4e6).abs() < 1e-3,
        "{}",
        west.capacity_base
    );
    let ferry = &dataset.links[dataset.link_id("ferry").unwrap().idx()];
    let containers = dataset.commodity_id("containers").unwrap();
    let carriage = ferry.carriage(containers).unwrap();
    assert_eq!(
        (
            carriage.tariff_usd,
            carriage.capacity_use,
            carriage.group_use
        ),
        (80.0, 10.0, Some(10.0))
    );
}

#[test]
fn planted_mistakes_in_a_dataset_are_all_reported_with_their_lines() {
    let nodes = edit(
        NODES,
        &[
            ("baku,Baku,terminal,AZ", "baku,Baku,terminal,AX"),
            ("ceyhan,Ceyhan,port,TR,36.9", "ceyhan,Ceyhan,port,TR,96.9"),
        ],
    );
    let links = edit(
        LINKS,
        &[
            (
                "field,novo,pipeline,oneway,crude,10,",
                "field,nvoo,pipeline,oneway,crude,-10,",
            ),
            (
                "novo-sea,Novorossiysk tankers",
                "ferry,Novorossiysk tankers",
            ),
            ("crude,1.2,mb/d", "crude,NaN,mb/d"),
            (
                "crude,50,Mt/y,,5,t,3,,operating,2006,,2024,test-source",
                "crude,50,Mt/y,,5,t,3,,operating,2006,,2024,",
            ),
            (
                "crude,5,Mt/y,,25,t,6,KZ;AZ",
                "containers,5,Mt/y,,25,t,6,KZ;AZ",
            ),
        ],
    );
    let dataset = edit(
        DATASET,
        &[
            ("bbl_per_t = 7.5", "bbl_per_t = 75"),
            ("default_grade = \"blend\"", "default_grade = \"blnd\""),
        ],
    );
    check_dataset(
        &dataset,
        &nodes,
        &links,
        expect![[r#"
            mini/dataset.toml:43: grades[1].bbl_per_t: 75 barrels per tonne is outside the range of real crudes (5–9.5) — check the figure: light crudes are about 7.5–8, heavy ones about 6.5–7
            mini/dataset.toml:51: commodities[1].default_grade: unknown grade `blnd` — did you mean `blend`?
            mini/nodes.csv:5: country: unknown country `AX` — did you mean `AZ`? (or declare it under [[countries]])
            mini/nodes.csv:6: lat: latitude 96.9 is outside −90…90 — check the coordinate (lat and lon swapped?)
            mini/links.csv:2: to: unknown node `nvoo` — did you mean `novo`?
            mini/links.csv:2: capacity: capacity is negative (-10) — write a positive number
            mini/links.csv:5: id: duplicate link id `ferry` (first defined at mini/links.csv:3) — give each one a unique id
            mini/links.csv:6: capacity: capacity is not a number (NaN) — write a positive number
            mini/links.csv:6: capacity_unit: unit mismatch: the capacity is in bbl but `crude` is counted in t — use a capacity unit of the commodity's dimension, or give the commodity a sourced tonnes_per_unit
            mini/links.csv:7: sources: figure without a source — cite at least one source id declared under [[sources]] in dataset.toml
            mini/links.csv:8: tariff_unit: unit mismatch for `containers`: cannot convert TEU (containers) to t (mass): different dimensions — give the tariff per TEU
        "#]],
    );
}

#[test]
fn malformed_files_give_located_errors_not_panics() {
    check_dataset(
        "[dataset\nid = 1",
        "id,name\n",
        "id,name,frm\nx,y\n",
        expect![[r#"
            mini/dataset.toml:1: toml: syntax error: invalid table header expected `.`, `]` — fix the TOML syntax (strings in double quotes, one `key = value` per line)
            mini/nodes.csv:1: header: missing column(s): kind, country, lat, lon — the header must contain: id, name, kind, country, lat, lon
            mini/links.csv:1: frm: unknown column — did you mean `from`?
            mini/links.csv:1: header: missing column(s): from, to, mode, direction, commodities, capacity, capacity_unit, capacity_group, tariff_usd, tariff_unit, transit_days, countries, status, start_year, end_year, year, sources, confidence — the header must contain: id, name, from, to, mode, direction, commodities, capacity, capacity_unit, capacity_group, tariff_usd, tariff_unit, transit_days, countries, status, start_year, end_year, year, sources, confidence
        "#]],
    );
    let links = format!("{LINKS}broken,row,with,too,few\n");
    check_dataset(
        DATASET,
        NODES,
        &links,
        expect![[r#"
            mini/links.csv:9: row: row has 5 fields but the header has 21 — every row needs one value per column; quote values that contain commas
        "#]],
    );
}

#[test]
fn the_mini_scenario_is_clean() {
    check_scenario(SCENARIO, expect![""]);
}

#[test]
fn planted_mistakes_in_a_scenario_are_all_reported() {
    let scenario = edit(
        SCENARIO,
        &[
            ("node = \"field\"", "node = \"feild\""),
            ("unit = \"Mt/y\"", "unit = \"TEU/y\""),
            ("\n\n[[markets]]", "\nvolum = 3\n\n[[markets]]"),
        ],
    );
    let scenario = format!(
        "{scenario}\n[policy]\navoid_countries = [\"RUS\"]\nonly_via_bloc = \"OTZ\"\n\n[[contracts]]\nlinks = [\"pipe-new\"]\ncommodity = \"crude\"\nmin_volume = 1\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n\n[[disruptions]]\nlink = \"pipe-north\"\nnode = \"novo\"\n"
    );
    check_scenario(
        &scenario,
        expect![[r#"
            base.toml:9: supplies[1].node: unknown node `feild` — did you mean `field`?
            base.toml:12: supplies[1].unit: unit mismatch: cannot convert TEU/y (containers) to t/y (mass): different dimensions — `crude` is counted in t; use a unit such as Mt/y
            base.toml:13: supplies[1].volum: unknown field — did you mean `volume`?
            base.toml:20: policy.avoid_countries: unknown country `RUS` — did you mean `RU`?
            base.toml:21: policy.only_via_bloc: unknown bloc `OTZ` — did you mean `OTS`?
            base.toml:30: disruptions[1].link: 2 targets given — name exactly one of link, node, country or chokepoint
        "#]],
    );
}

#[test]
fn links_outside_their_life_and_unreachable_markets_are_reported() {
    let scenario = format!(
        "{SCENARIO}\n[[contracts]]\nname = \"future\"\nlinks = [\"pipe-new\"]\ncommodity = \"crude\"\nmin_volume = 1\nunit = \"Mt/y\"\nsources = [\"test-source\"]\n\n[[markets]]\nnode = \"aktau\"\ncommodity = \"containers\"\n\n[[supplies]]\nnode = \"baku\"\ncommodity = \"containers\"\nvolume = 1000\nunit = \"TEU/y\"\n"
    );
    check_scenario(
        &scenario,
        expect![[r#"
            base.toml:18: contracts[1].links: link `pipe-new` is not in service in 2024 (status planned, years 2028–) — change the scenario year or the link's start/end years
            base.toml:26: markets[2].node: market `aktau` is unreachable from every `containers` supply in 2024 — add or bring into service a link that carries the commodity there, or remove the market
            base.toml:27: warning: markets[2].node: node `aktau` is a port, not a market — markets are normally nodes of kind `market`
        "#]],
    );
}

#[test]
fn validate_reads_folders_and_files_from_disk() {
    let dir = corridor_fixtures::mini::DIR;
    assert_eq!(render(&corridor_io::validate(dir).unwrap()), "");
    let scenario = format!("{dir}/scenarios/base.toml");
    assert_eq!(render(&corridor_io::validate(&scenario).unwrap()), "");
    let missing = corridor_io::validate("/nonexistent/thing.toml").unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read /nonexistent/thing.toml"),
        "{missing}"
    );
}

#[test]
fn atomic_writes_replace_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    corridor_io::write_atomic(&path, b"first").unwrap();
    corridor_io::write_atomic(&path, b"second").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
    assert!(corridor_io::write_atomic(&dir.path().join("no/such/dir/x"), b"x").is_err());
}

#[test]
fn placeholder_and_non_web_source_addresses_are_refused() {
    let dataset = edit(
        DATASET,
        &[(
            "url = \"SOURCES.md#test-fixture\"",
            "url = \"https://example.invalid/x\"",
        )],
    );
    check_dataset(
        &dataset,
        NODES,
        LINKS,
        expect![[r#"
            mini/dataset.toml:11: sources[1].url: `https://example.invalid/x` is a placeholder address — cite the page the figure comes from (or SOURCES.md#section for the dataset's own notes)
        "#]],
    );
    let dataset = edit(
        DATASET,
        &[("url = \"SOURCES.md#test-fixture\"", "url = \"notes.txt\"")],
    );
    check_dataset(
        &dataset,
        NODES,
        LINKS,
        expect![[r#"
            mini/dataset.toml:11: sources[1].url: `notes.txt` is not a web address — write the full address starting with https:// (or SOURCES.md#section for the dataset's own notes)
        "#]],
    );
}

fn check_observed(status: &str, observed: &str, expect: Expect) {
    let mut f = files(DATASET, NODES, LINKS);
    f.status_csv = Some(("mini/status.csv".into(), status.into()));
    f.observed_csv = Some(("mini/observed.csv".into(), observed.into()));
    let (_, diags) = parse_dataset(&f);
    expect.assert_eq(&render(&diags));
}

const STATUS_HEADER: &str = "link,from_year,to_year,status,sources,confidence,notes\n";
const OBSERVED_HEADER: &str =
    "id,name,links,capacity_group,commodity,origin,year,volume,unit,role,sources,confidence,notes\n";

#[test]
fn status_and_observed_tables_load_and_change_service_by_year() {
    let status = format!(
        "{STATUS_HEADER}pipe-north,2022,2023,idle,test-source,reported,\"idle, then back\"\n"
    );
    let observed = format!(
        "{OBSERVED_HEADER}n-2024,North,pipe-north,,crude,KZ,2024,50,Mbbl/y,fit,test-source,reported,\n\
         n-2024-b,North (other),pipe-north,,crude,KZ,2024,6.5,Mt/y,alternative,test-source,estimate,\n"
    );
    let mut f = files(DATASET, NODES, LINKS);
    f.status_csv = Some(("mini/status.csv".into(), status));
    f.observed_csv = Some(("mini/observed.csv".into(), observed));
    let (dataset, diags) = parse_dataset(&f);
    assert_eq!(render(&diags), "");
    let ds = dataset.unwrap();
    let north = &ds.links[ds.link_id("pipe-north").unwrap().idx()];
    assert!(north.in_service(2021) && !north.in_service(2022) && !north.in_service(2023));
    assert!(north.in_service(2024));
    assert_eq!(ds.observations.len(), 2);
    // 50 Mbbl/y of the 7.5 bbl/t grade is 6.667 Mt/y.
    assert!((ds.observations[0].volume_base - 50e6 / 7.5).abs() < 1.0);
}

#[test]
fn every_mistake_in_status_and_observed_tables_is_located() {
    check_observed(
        &format!(
            "{STATUS_HEADER}pipe-nort,2022,,idle,test-source,reported,\n\
             pipe-north,2024,2023,idle,,reported,\n\
             pipe-north,2020,,paused,test-source,reported,\n"
        ),
        &format!(
            "{OBSERVED_HEADER}a,A,pipe-north,,crude,KZ,2024,5,Mt/y,fit,test-source,reported,\n\
             b,B,pipe-north,,crude,KZ,2024,6,Mt/y,fit,test-source,reported,\n\
             c,C,pipe-north,ferries,crude,XX,2024,-1,Mt/y,maybe,,reported,\n\
             d,D,ferry,,crude,all,2024,5,TEU/y,fit,test-source,sure,\n"
        ),
        expect![[r#"
            mini/status.csv:2: link: unknown link `pipe-nort` — did you mean `pipe-north`?
            mini/status.csv:3: to_year: 2023 is before from_year 2024 — give the last year of the period (inclusive), or leave it empty for open-ended
            mini/status.csv:3: sources: figure without a source — cite at least one source id declared under [[sources]] in dataset.toml
            mini/status.csv:4: status: invalid value `paused` — expected one of: operating, idle, under_construction, planned, retired
            mini/observed.csv:3: role: a second `fit` figure for the same links, commodity, origin and year (first on mini/observed.csv:2) — keep one as `fit` and mark the other `alternative`, saying in notes which you use and why
            mini/observed.csv:4: links: give either links or capacity_group — name the links the figure measures (`a;b`), or one capacity group, not both
            mini/observed.csv:4: origin: `XX` is neither `all` nor a country of the dataset — write the country whose shipments the figure counts (e.g. KZ), or `all` for everything on the links
            mini/observed.csv:4: volume: volume must be a finite number ≥ 0, got -1 — write zero or a positive number
            mini/observed.csv:4: role: invalid value `maybe` — expected `fit` (used to calibrate and score) or `alternative` (recorded only)
            mini/observed.csv:4: sources: figure without a source — cite at least one source id declared under [[sources]] in dataset.toml
            mini/observed.csv:5: unit: unit mismatch: cannot convert TEU/y (containers) to t/y (mass): different dimensions — `crude` is counted in t; use a unit such as Mt/y
            mini/observed.csv:5: confidence: invalid value `sure` — expected one of: reported, derived, estimate
        "#]],
    );
}

#[test]
fn numbers_beyond_any_real_corridor_are_refused_with_their_line() {
    let links = edit(
        LINKS,
        &[(
            "pipe-north,Northern pipeline,field,novo,pipeline,oneway,crude,10,Mt/y,,30,t",
            "pipe-north,Northern pipeline,field,novo,pipeline,oneway,crude,1e308,Mt/y,,1e15,t",
        )],
    );
    check_dataset(
        DATASET,
        NODES,
        &links,
        expect![[r#"
            mini/links.csv:2: capacity: the capacity 1e308 Mt/y is above any real corridor's (10,000 Mt/y, 10,000 bcm/y or 10 billion TEU/y) — check the value and its unit (a typo in the exponent?)
            mini/links.csv:2: tariff_usd: the tariff 1e15 USD/t is above 1 million USD per base unit — check the value and its unit (a typo in the exponent?)
        "#]],
    );
    check_scenario(
        &edit(SCENARIO, &[("volume = 12", "volume = 9e18")]),
        expect![[r#"
            base.toml:11: supplies[1].volume: the volume 9e18 Mt/y is above any real corridor's (10,000 Mt/y, 10,000 bcm/y or 10 billion TEU/y) — check the value and its unit (a typo in the exponent?)
        "#]],
    );
}

#[test]
fn a_priced_market_without_a_limit_may_carry_a_unit() {
    check_scenario(
        &edit(
            SCENARIO,
            &[("[[markets]]\nnode = \"market\"\ncommodity = \"crude\"", "[[markets]]\nnode = \"market\"\ncommodity = \"crude\"\nprice_usd = 600\nunit = \"Mt/y\"")],
        ),
        expect![[r#"
            base.toml:18: warning: markets[1].unit: `unit` applies to a limit, and this market has none — the price is read per `price_unit` (default: the commodity's base unit, e.g. price_unit = "bbl")
        "#]],
    );
}
