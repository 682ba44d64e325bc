"""The Python package against the CLI: same numbers, same messages, tables and GeoJSON that fit."""

import json
import shutil
import subprocess
import sys
import threading
import time

import pytest

import corridor
from conftest import ROOT

SCENARIOS = ["kazakh-crude-2024", "middle-corridor-2024", "caspian-gas-2024", "ots-2030",
             "turkmen-gas-tcgp-2030"]
EXAMPLE = ROOT / "docs" / "examples" / "btc-2.2-floor.toml"


def same(result, expected):
    """The result's JSON is the CLI's, number for number."""
    assert json.loads(result.to_json()) == expected


def test_the_readme_line_prints_the_cli_capacity(cli):
    expected = cli.json("capacity", "--commodity", "crude", "--from", "KZ", "--avoid", "RU,CN")
    line = ("import corridor; r = corridor.Dataset.embedded('caspian').capacity('crude', ['KZ'], "
            "avoid=['RU','CN']); print(r.capacity, r.unit)")
    out = subprocess.run([sys.executable, "-c", line], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"{expected['capacity']} {expected['unit']}"
    assert expected["capacity"] > 0


def test_dataset_lists_its_scenarios(ds):
    assert ds.id == "caspian"
    assert ds.scenarios == SCENARIOS
    assert "crude" in ds.commodities and "KZ" in ds.countries
    s = ds.scenario("caspian-gas-2024")
    assert s.name == "caspian-gas-2024" and s.year == 2024 and s.commodities == ["gas"]


@pytest.mark.parametrize("args, kwargs", [
    (["--commodity", "crude", "--from", "KZ", "--avoid", "RU,CN"],
     dict(commodity="crude", origins=["KZ"], avoid=["RU", "CN"])),
    (["--commodity", "crude", "--from", "KZ"], dict(commodity="crude", origins="KZ")),
    (["--commodity", "gas", "--from", "TM", "--to", "any", "--avoid", "RU,CN", "--year", "2030"],
     dict(commodity="gas", origins=["TM"], markets="any", avoid=["RU", "CN"], year=2030)),
    (["--commodity", "crude", "--from", "KZ", "--avoid", "RU,CN", "--scenario", "kazakh-crude-2024"],
     dict(commodity="crude", origins=["KZ"], avoid=["RU", "CN"], scenario="kazakh-crude-2024")),
])
def test_capacity_is_the_clis(cli, ds, args, kwargs):
    r = ds.capacity(**kwargs)
    expected = cli.json("capacity", *args)
    same(r, expected)
    assert (r.capacity, r.unit, r.bottleneck) == (expected["capacity"], expected["unit"], expected["bottleneck"])


def test_capacity_names_what_limits_it(ds, records):
    r = ds.capacity("crude", ["KZ"], avoid=["RU", "CN"])
    assert r.bottleneck == [c["id"] for c in r.cut]
    assert abs(sum(route["volume"] for route in r.routes) - r.capacity) < 1e-6
    assert all("RU" not in route["countries"] and "CN" not in route["countries"] for route in r.routes)


@pytest.mark.parametrize("name", SCENARIOS)
def test_allocate_is_the_clis(cli, ds, name):
    a = ds.allocate(name)
    expected = cli.json("allocate", name)
    same(a, expected)
    assert a.cost == expected["objective_usd"]
    assert a.unmet == {t["commodity"]: t["unmet"] for t in expected["totals"]}


def test_allocate_overrides(cli, ds, records):
    same(ds.allocate(uncalibrated=True), cli.json("allocate", "kazakh-crude-2024", "--uncalibrated"))
    a = ds.allocate("kazakh-crude-2024", avoid=["RU", "KZ"])
    # An origin's own country is never avoided; Russia is.
    assert a.routes and all("RU" not in r["countries"] for r in a.routes)
    later = ds.allocate("ots-2030", year=2031)
    assert later.year == 2031


@pytest.mark.parametrize("name", SCENARIOS)
def test_indices_are_the_clis(cli, ds, name):
    r = ds.indices(name)
    same(r, cli.json("indices", name))


def test_indices_name_the_critical_country(ds):
    r = ds.indices()
    assert r.critical == "RU"


def test_contingency_is_the_clis(cli, ds):
    c = ds.contingency()
    same(c, cli.json("contingency"))
    same(ds.contingency("caspian-gas-2024", elements=["countries"], k=2),
         cli.json("contingency", "caspian-gas-2024", "--elements", "countries", "--k", "2"))
    assert c.critical == "RU"


def test_risk_is_the_clis_for_any_thread_count(cli, ds):
    one = ds.risk(200, seed=7, threads=1)
    two = ds.risk(samples=200, seed=7, threads=2)
    expected = cli.json("risk", "--samples", "200", "--seed", "7")
    same(one, expected)
    same(two, expected)
    assert one.loss_musd == expected["loss_musd"]


def test_pathway_is_the_clis(cli, ds):
    p = ds.pathway(range(2023, 2031))
    same(p, cli.json("pathway", "--years", "2023..2030"))
    same(ds.pathway((2024, 2030), scenario="turkmen-gas-tcgp-2030"),
         cli.json("pathway", "turkmen-gas-tcgp-2030", "--years", "2024..2030"))


def test_compare_is_the_clis(cli, ds, records):
    c = ds.compare("kazakh-crude-2024", str(EXAMPLE))
    same(c, cli.json("compare", "kazakh-crude-2024", str(EXAMPLE)))
    assert c.b == "btc-2.2-floor"
    assert c.cost_change == pytest.approx(c.cost[1] - c.cost[0])
    btc = [l for l in c.links if l["link"] == "btc"]
    assert btc and btc[0]["b"] == pytest.approx(2.2)


def test_scenario_open_and_dataset_open(cli, ds):
    s = corridor.Scenario.open(str(EXAMPLE))
    assert s.name == "btc-2.2-floor"
    same(ds.allocate(s), cli.json("allocate", str(EXAMPLE)))
    folder = corridor.Dataset.open(str(ROOT / "crates" / "corridor-io" / "data" / "caspian"))
    assert set(folder.scenarios) == set(SCENARIOS)
    assert folder.capacity("crude", ["KZ"], avoid=["RU", "CN"]).capacity == \
        ds.capacity("crude", ["KZ"], avoid=["RU", "CN"]).capacity


def test_a_broken_scenario_raises_with_file_and_line(cli, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(EXAMPLE.read_text().replace('links = ["aktau-baku-tanker"]',
                                                   'links = ["aktau-baku-tankr"]'))
    with pytest.raises(corridor.CorridorError) as raised:
        corridor.Scenario.open(str(broken))
    message = str(raised.value)
    assert f"{broken}:20: contracts[1].links: unknown link `aktau-baku-tankr` — did you mean `aktau-baku-tanker`?" in message
    # The same message as the CLI's, which prints it after `error: `.
    out = cli.run("allocate", str(broken))
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {message}"
    [d] = [d for d in raised.value.diagnostics if d["severity"] == "error"]
    assert (d["file"], d["line"], d["field"]) == (str(broken), 20, "contracts[1].links")


def test_bad_names_raise_the_clis_messages(cli, ds):
    for kwargs, args in [
        (dict(commodity="crud", origins=["KZ"]), ["--commodity", "crud", "--from", "KZ"]),
        (dict(commodity="crude", origins=["KZ"], avoid=["Russia"]),
         ["--commodity", "crude", "--from", "KZ", "--avoid", "Russia"]),
        (dict(commodity="crude", origins=["KZX"]), ["--commodity", "crude", "--from", "KZX"]),
    ]:
        with pytest.raises(corridor.CorridorError) as raised:
            ds.capacity(**kwargs)
        out = cli.run("capacity", *args)
        assert out.returncode == 2
        assert out.stderr.strip() == f"error: {raised.value}"
    with pytest.raises(corridor.CorridorError, match="no scenario file or embedded scenario named `kazak-crude-2024`"):
        ds.scenario("kazak-crude-2024")
    with pytest.warns(UserWarning, match="country `XK` does not appear"):
        ds.capacity("crude", ["KZ"], avoid=["XK"])


def test_geojson_where_there_is_geometry(ds):
    a = ds.allocate().to_geojson()
    assert a["type"] == "FeatureCollection" and a["features"]
    lines = [f for f in a["features"] if f["geometry"]["type"] == "LineString"]
    assert lines
    c = ds.capacity("crude", ["KZ"], avoid=["RU", "CN"]).to_geojson()
    assert any(f["properties"].get("id") == "btc" for f in c["features"])
    assert ds.to_geojson()["features"]
    with pytest.raises(corridor.CorridorError, match="no geometry"):
        ds.indices().to_geojson()


def test_records_without_pandas(ds, records):
    r = ds.capacity("crude", ["KZ"], avoid=["RU", "CN"])
    assert isinstance(r.routes, list) and isinstance(r.routes[0], dict)
    assert list(r.cut[0]) == ["kind", "id", "name", "capacity"]


def test_dataframes_with_pandas(ds):
    pd = pytest.importorskip("pandas")
    a = ds.allocate()
    assert isinstance(a.routes, pd.DataFrame)
    assert list(a.routes.columns) == ["origin", "market", "commodity", "volume", "unit", "cost_usd",
                                      "cost_unit", "transit_days", "countries", "links"]
    assert a.routes["volume"].sum() == pytest.approx(sum(a.delivered.values()), rel=1e-6)
    assert list(a.links.columns)[:5] == ["link", "from", "to", "commodity", "volume"]
    assert list(a.countries.columns) == ["country", "commodity", "volume", "unit", "share"]
    r = ds.capacity("crude", ["KZ"], avoid=["RU", "CN"])
    assert list(r.cut["id"]) == r.bottleneck
    c = ds.contingency()
    assert c.singles.iloc[0]["element"] == "RU" and "lost_crude" in c.singles.columns
    assert list(ds.indices().leverage.columns)[:3] == ["country", "name", "commodity"]
    p = ds.pathway(range(2023, 2031))
    assert list(p.bypass["year"]) == list(range(2023, 2031))
    assert set(ds.risk(50, 1).commodities.columns) >= {"unmet_mean", "unmet_p99"}
    cmp = ds.compare("kazakh-crude-2024", "ots-2030")
    assert {"a", "b", "change"} <= set(cmp.constraints.columns)


def test_the_gil_is_released_while_solving(ds):
    """Another Python thread keeps running while a Monte Carlo run solves."""
    done = threading.Event()
    def solve():
        ds.risk(3000, seed=3, threads=1)
        done.set()
    worker = threading.Thread(target=solve)
    ticks = 0
    start = time.perf_counter()
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    elapsed = time.perf_counter() - start
    # Held, the GIL would stop this loop for the whole solve: a handful of ticks at most.
    assert elapsed > 0.05 and ticks >= 10, (elapsed, ticks)


def test_stubs_are_shipped():
    from pathlib import Path
    package = Path(corridor.__file__).parent
    assert (package / "py.typed").is_file() and (package / "_corridor.pyi").is_file()
