"""corridor for Python: transit-corridor analysis from a sourced network model.

The analyses run in Rust (the same library functions as the ``corridor`` command line, with the GIL
released); each returns a result object whose tables are pandas DataFrames when pandas is installed
(lists of dicts otherwise) and whose headline figures are plain attributes::

    import corridor
    ds = corridor.Dataset.embedded("caspian")
    r = ds.capacity("crude", ["KZ"], avoid=["RU", "CN"])
    print(r.capacity, r.unit, r.bottleneck)   # 7.5 Mt/y ['aktau-oil-berths']
    r.routes                                  # a DataFrame
    r.to_geojson()                            # a dict, ready for geopandas

Every number is the one ``corridor … --format json`` prints; ``result.to_json()`` is that JSON.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union
import warnings as _warnings

from . import _corridor
from ._corridor import CorridorError, InfeasibleError

__all__ = [
    "Dataset",
    "Scenario",
    "CorridorError",
    "InfeasibleError",
    "Result",
    "Allocation",
    "Capacity",
    "Contingency",
    "Risk",
    "Indices",
    "Pathway",
    "Comparison",
    "use_pandas",
]
__version__: str = _corridor.__version__

#: Tables as pandas DataFrames (True), as lists of dicts (False), or DataFrames when pandas can be
#: imported (None, the default).
use_pandas: Optional[bool] = None

Rows = List[Dict[str, Any]]


def _table(rows: Rows, columns: Sequence[str]) -> Any:
    """A DataFrame with these columns (in this order) when pandas is wanted and installed, else the rows."""
    want = use_pandas
    if want is None or want:
        try:
            import pandas
        except ImportError:
            if want:
                raise
        else:
            return pandas.DataFrame.from_records(rows, columns=list(columns))
    return [{c: r.get(c) for c in columns} for r in rows]


def _warn(messages: Iterable[str]) -> None:
    for m in messages:
        _warnings.warn(m, stacklevel=3)


def _strings(value: Union[str, Iterable[str], None]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class Result:
    """What every analysis returns: tables as attributes, the CLI's JSON, GeoJSON where there is geometry."""

    def __init__(self, text: str, geojson: Optional[str] = None) -> None:
        self._text = text
        self._geojson = geojson
        self.data: Dict[str, Any] = json.loads(text)

    def to_json(self) -> str:
        """The JSON ``corridor … --format json`` prints for the same question."""
        return self._text

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(self._text)

    def to_geojson(self) -> Dict[str, Any]:
        """A GeoJSON FeatureCollection (RFC 7946) of the links with their flows, as a dict."""
        if self._geojson is None:
            raise CorridorError(
                f"a {type(self).__name__.lower()} result has no geometry to write as GeoJSON; "
                "allocations and capacities have"
            )
        return json.loads(self._geojson)

    def __repr__(self) -> str:
        return f"<corridor.{type(self).__name__}>"


_ROUTE_COLUMNS = ["origin", "market", "commodity", "volume", "unit", "cost_usd", "cost_unit",
                  "transit_days", "countries", "links"]


class Allocation(Result):
    """Least-cost allocation of every supply to the markets (``corridor allocate``)."""

    def __init__(self, text: str, geojson: str) -> None:
        super().__init__(text, geojson)
        d = self.data
        self.scenario: str = d["scenario"]
        self.year: int = d["year"]
        #: The objective: tariffs + calibration premiums + unmet penalties − revenue, USD per year.
        self.cost: float = d["objective_usd"]
        self.transport_cost: float = d["transport_cost_usd"]
        self.premium: float = d["premium_usd"]
        self.unmet_penalty: float = d["unmet_penalty_usd"]
        self.calibration: Optional[str] = d.get("calibration")
        self.method: str = d["method"]
        #: Unmet volume per commodity, in its display unit.
        self.unmet: Dict[str, float] = {t["commodity"]: t["unmet"] for t in d["totals"]}
        self.delivered: Dict[str, float] = {t["commodity"]: t["delivered"] for t in d["totals"]}

    @property
    def routes(self) -> Any:
        return _table([r for o in self.data["origins"] for r in o["routes"]], _ROUTE_COLUMNS)

    @property
    def origins(self) -> Any:
        return _table(self.data["origins"],
                      ["origin", "commodity", "unit", "supplied", "delivered", "unmet"])

    @property
    def links(self) -> Any:
        rows = [
            {**l, "commodity": c, "volume": v}
            for l in self.data["links"]
            for c, v in l["flows"]
        ]
        return _table(rows, ["link", "from", "to", "commodity", "volume", "capacity",
                             "capacity_unit", "utilisation"])

    @property
    def countries(self) -> Any:
        return _table(self.data["countries"], ["country", "commodity", "volume", "unit", "share"])

    @property
    def constraints(self) -> Any:
        """The binding constraints with their shadow prices."""
        rows = self.data["binding"]
        extra = [k for r in rows[:1] for k in r if k not in ("kind", "id", "shadow_price_usd", "unit")]
        return _table(rows, ["kind", "id", *extra, "shadow_price_usd", "unit"])

    @property
    def totals(self) -> Any:
        return _table(self.data["totals"], ["commodity", "unit", "supplied", "delivered", "unmet"])


class Capacity(Result):
    """The most volume per year from origins to markets, its minimum cut and routes (``corridor capacity``)."""

    def __init__(self, text: str, geojson: str) -> None:
        super().__init__(text, geojson)
        d = self.data
        self.capacity: float = d["capacity"]
        self.unit: str = d["unit"]
        #: Ids of the links and capacity groups in the minimum cut.
        self.bottleneck: List[str] = d["bottleneck"]
        self.commodity: str = d["commodity"]
        self.year: int = d["year"]
        self.origins: List[str] = d["origins"]
        self.markets: List[str] = d["markets"]
        self.avoided: List[str] = d["avoided"]
        self.method: str = d["method"]
        #: When the capacity is zero: why.
        self.reasons: List[str] = d.get("reasons", [])

    @property
    def routes(self) -> Any:
        return _table(self.data["routes"], _ROUTE_COLUMNS)

    @property
    def cut(self) -> Any:
        """The minimum cut: the links and groups that limit the capacity."""
        return _table(self.data["cut"], ["kind", "id", "name", "capacity"])

    constraints = cut

    def __repr__(self) -> str:
        return f"<corridor.Capacity {self.capacity} {self.unit} of {self.commodity}, limited by {', '.join(self.bottleneck)}>"


def _case_rows(cases: Rows) -> Tuple[Rows, List[str]]:
    rows, commodities = [], []
    for c in cases:
        row = {
            "rank": c["rank"],
            "element": " + ".join(e["id"] for e in c["elements"]),
            "kind": " + ".join(e["kind"] for e in c["elements"]),
            "name": " + ".join(e["name"] for e in c["elements"]),
            "loss_usd": c["loss_usd"],
            "extra_transport_usd": c["extra_transport_usd"],
            "synergy_usd": c.get("synergy_usd"),
            "contracts_relaxed": c["contracts_relaxed"],
        }
        for lost in c["lost"]:
            key = f"lost_{lost['commodity']}"
            row[key] = lost["value"]
            if key not in commodities:
                commodities.append(key)
        rows.append(row)
    return rows, commodities


class Contingency(Result):
    """Each element (and pair, k=2) taken out, ranked by what is lost (``corridor contingency``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        d = self.data
        self.scenario: str = d["scenario"]
        self.year: int = d["year"]
        self.base: Dict[str, Any] = d["base"]
        #: The element whose loss costs most (its id), or None when nothing was taken out.
        self.critical: Optional[str] = (
            " + ".join(e["id"] for e in d["singles"][0]["elements"]) if d["singles"] else None
        )
        #: Display unit of each commodity's volumes.
        self.units: Dict[str, str] = {u["commodity"]: u["unit"] for u in d["base"]["delivered"]}

    def _cases(self, key: str) -> Any:
        rows, lost = _case_rows(self.data[key])
        return _table(rows, ["rank", "element", "kind", "name", "loss_usd", "extra_transport_usd",
                             *lost, "synergy_usd", "contracts_relaxed"])

    @property
    def singles(self) -> Any:
        return self._cases("singles")

    @property
    def pairs(self) -> Any:
        return self._cases("pairs")

    @property
    def reroutes(self) -> Any:
        """How the flow moves on each link when an element is out (one row per element and link)."""
        rows = [
            {"rank": c["rank"], "element": " + ".join(e["id"] for e in c["elements"]), **r}
            for c in self.data["singles"]
            for r in c["reroutes"]
        ]
        return _table(rows, ["rank", "element", "link", "commodity", "change", "unit"])


_STATS = ["mean", "p50", "p90", "p95", "p99", "max", "prob_positive"]


def _flat(row: Dict[str, Any], *dicts: str) -> Dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in dicts}
    for name in dicts:
        for s, v in (row.get(name) or {}).items():
            out[f"{name}_{s}"] = v
    return out


class Risk(Result):
    """Monte Carlo over outages: the distribution of unmet volume and cost (``corridor risk``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        d = self.data
        self.scenario: str = d["scenario"]
        self.year: int = d["year"]
        self.samples: int = d["samples"]
        self.seed: int = d["seed"]
        #: Loss (extra cost + unmet volume at its penalty), million USD: mean, p50 … p99, max.
        self.loss_musd: Dict[str, float] = d["loss_musd"]
        self.transport_cost_musd: Dict[str, float] = d["transport_cost_musd"]

    @property
    def commodities(self) -> Any:
        cols = ["commodity", "unit", "supplied", *[f"unmet_{s}" for s in _STATS],
                *[f"unmet_cost_musd_{s}" for s in _STATS]]
        return _table([_flat(r, "unmet", "unmet_cost_musd") for r in self.data["commodities"]], cols)

    @property
    def origins(self) -> Any:
        cols = ["origin", "commodity", "unit", "supplied", "base_unmet",
                *[f"unmet_{s}" for s in _STATS], *[f"unmet_cost_musd_{s}" for s in _STATS]]
        return _table([_flat(r, "unmet", "unmet_cost_musd") for r in self.data["origins"]], cols)

    @property
    def tail(self) -> Any:
        """The outages the worst years have in common, with how much more often than on average."""
        return _table(self.data["tail"], ["id", "kind", "name", "annual_prob", "frequency",
                                          "tail_frequency", "lift", "mean_days_in_tail"])

    @property
    def sources(self) -> Any:
        """The outage sources sampled: rate, duration and derate of each."""
        return _table(self.data["sources"], ["id", "kind", "name", "annual_prob", "mean_days",
                                             "derate_pct", "confidence", "links", "sources"])


class Indices(Result):
    """Transit shares, route HHI, bypass ratios and each transit country's leverage (``corridor indices``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        d = self.data
        self.scenario: str = d["scenario"]
        self.year: int = d["year"]
        #: The transit country with the most leverage (the volume it could stop), or None.
        self.critical: Optional[str] = (
            max(d["leverage"], key=lambda l: l["share_of_delivered"])["country"] if d["leverage"] else None
        )

    @property
    def leverage(self) -> Any:
        return _table(self.data["leverage"], ["country", "name", "commodity", "transit", "leverage",
                                              "unit", "share_of_delivered", "origins_hit"])

    @property
    def origins(self) -> Any:
        return _table(self.data["origins"], ["origin", "commodity", "unit", "delivered",
                                             "hhi_countries", "hhi_routes"])

    @property
    def countries(self) -> Any:
        rows = [{"origin": o["origin"], "commodity": o["commodity"], **c}
                for o in self.data["origins"] for c in o["countries"]]
        return _table(rows, ["origin", "commodity", "country", "volume", "share", "bypass_ratio"])

    @property
    def corridors(self) -> Any:
        rows = [{"origin": o["origin"], "commodity": o["commodity"], **c}
                for o in self.data["origins"] for c in o["corridors"]]
        return _table(rows, ["origin", "commodity", "path", "volume", "share"])


class Pathway(Result):
    """The scenario year by year: totals, bypass, and when each bottleneck binds (``corridor pathway``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        d = self.data
        self.scenario: str = d["scenario"]
        self.first_year: int = d["first_year"]
        self.last_year: int = d["last_year"]
        self.avoided: List[str] = d["avoided"]

    @property
    def years(self) -> Any:
        rows = [{"year": y["year"], "transport_cost_usd": y["transport_cost_usd"], "error": y["error"]}
                for y in self.data["years"]]
        return _table(rows, ["year", "transport_cost_usd", "error"])

    @property
    def totals(self) -> Any:
        rows = [{"year": y["year"], **t} for y in self.data["years"] for t in y["totals"]]
        return _table(rows, ["year", "commodity", "unit", "supplied", "delivered", "unmet"])

    @property
    def bypass(self) -> Any:
        rows = [{"year": y["year"], **b} for y in self.data["years"] for b in y["bypass"]]
        return _table(rows, ["year", "commodity", "capacity", "unit", "bottleneck"])

    @property
    def bottlenecks(self) -> Any:
        return _table(self.data["bottlenecks"], ["id", "kind", "role", "first_year", "years",
                                                 "shadow_price_usd"])

    @property
    def contracts(self) -> Any:
        rows = [{"year": y["year"], **c} for y in self.data["years"] for c in y["contracts"]]
        cols = ["year", "name", "commodity", "unit", "min_volume", "max_volume"]
        cols += [k for r in rows[:1] for k in r if k not in cols]
        return _table(rows, cols)


class Comparison(Result):
    """Two scenarios side by side (``corridor compare A B``)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        d = self.data
        self.a: str = d["a"]
        self.b: str = d["b"]
        #: The objective in A and in B, USD per year.
        self.cost: Tuple[float, float] = tuple(d["objective_usd"])  # type: ignore[assignment]
        self.cost_change: float = d["objective_usd"][1] - d["objective_usd"][0]
        self.transport_cost: Tuple[float, float] = tuple(d["transport_cost_usd"])  # type: ignore[assignment]

    def _changes(self, key: str, columns: List[str]) -> Any:
        rows = [{**r, "change": r["b"] - r["a"]} for r in self.data[key]]
        return _table(rows, [*columns, "a", "b", "change"])

    @property
    def links(self) -> Any:
        return self._changes("links", ["link", "commodity", "unit"])

    @property
    def countries(self) -> Any:
        rows = [{**r, "change": r["b"] - r["a"]} for r in self.data["countries"]]
        return _table(rows, ["country", "commodity", "unit", "a", "b", "change", "share_a", "share_b"])

    @property
    def constraints(self) -> Any:
        """Constraints binding in A or B with their shadow prices (0 where they do not bind)."""
        return self._changes("binding", ["kind", "id", "unit"])

    @property
    def bypass(self) -> Any:
        return self._changes("bypass", ["commodity", "unit"])


class Scenario:
    """A scenario with the dataset it runs on."""

    def __init__(self, inner: _corridor._Scenario) -> None:
        self._inner = inner
        _warn(inner.warnings)

    @staticmethod
    def open(path: str) -> "Scenario":
        """A scenario ``.toml`` file, on the dataset it names."""
        return Scenario(_corridor._Scenario.open(str(path)))

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def year(self) -> int:
        return self._inner.year

    @property
    def description(self) -> str:
        return self._inner.description

    @property
    def commodities(self) -> List[str]:
        return self._inner.commodities

    @property
    def calibrated(self) -> bool:
        return self._inner.calibrated

    @property
    def dataset_id(self) -> str:
        return self._inner.dataset_id

    def variant(self, year: Optional[int] = None, avoid: Union[str, Iterable[str], None] = None,
                uncalibrated: bool = False) -> "Scenario":
        """The scenario moved to ``year``, avoiding ``avoid`` (never an origin's own country), or
        without its calibration."""
        inner, warnings = self._inner.variant(year, _strings(avoid), uncalibrated)
        _warn(warnings)
        return Scenario(inner)

    def __repr__(self) -> str:
        return f"<corridor.Scenario {self.name!r} ({self.year}) on {self.dataset_id!r}>"


ScenarioLike = Union[str, Scenario, None]


class Dataset:
    """A network model: the embedded ``caspian`` dataset or a dataset folder, with its scenarios."""

    def __init__(self, inner: _corridor._Dataset) -> None:
        self._inner = inner
        _warn(inner.warnings)

    @staticmethod
    def embedded(name: str = "caspian") -> "Dataset":
        """The dataset compiled into the package."""
        return Dataset(_corridor._Dataset.embedded(name))

    @staticmethod
    def open(path: str) -> "Dataset":
        """A dataset folder (``dataset.toml``, ``nodes.csv``, ``links.csv`` …) and its ``scenarios/``."""
        return Dataset(_corridor._Dataset.open(str(path)))

    @property
    def id(self) -> str:
        return self._inner.id

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def default_year(self) -> int:
        return self._inner.default_year

    @property
    def scenarios(self) -> List[str]:
        """The names of the scenarios that come with the dataset."""
        return self._inner.scenarios

    @property
    def commodities(self) -> List[str]:
        return self._inner.commodities

    @property
    def countries(self) -> List[str]:
        return self._inner.countries

    def scenario(self, name: str) -> Scenario:
        """One of ``scenarios``, an embedded scenario name or a ``.toml`` path, run on this dataset."""
        return Scenario(self._inner.scenario(str(name)))

    def to_geojson(self, year: Optional[int] = None) -> Dict[str, Any]:
        """The network's links (in service in ``year``, or all) as a GeoJSON dict."""
        return json.loads(self._inner.network_geojson(year))

    def _scenario(self, scenario: ScenarioLike) -> Scenario:
        if isinstance(scenario, Scenario):
            return scenario
        if scenario is None:
            name = self._inner.default_scenario
            if name is None:
                raise CorridorError(f"dataset `{self.id}` has no scenario; name a scenario file")
            return self.scenario(name)
        return self.scenario(scenario)

    def allocate(self, scenario: ScenarioLike = None, *, year: Optional[int] = None,
                 avoid: Union[str, Iterable[str], None] = None,
                 uncalibrated: bool = False) -> Allocation:
        """Least-cost allocation of the scenario's supplies (``corridor allocate``); ``year``,
        ``avoid`` and ``uncalibrated`` change the scenario first."""
        s = self._scenario(scenario)
        if year is not None or avoid or uncalibrated:
            s = s.variant(year=year, avoid=avoid, uncalibrated=uncalibrated)
        return Allocation(*s._inner.allocate())

    def capacity(self, commodity: str, origins: Union[str, Iterable[str]],
                 markets: Union[str, Iterable[str]] = "any",
                 avoid: Union[str, Iterable[str], None] = None, year: Optional[int] = None,
                 scenario: ScenarioLike = None, only_bloc: Optional[str] = None) -> Capacity:
        """The most ``commodity`` per year from ``origins`` (node ids or country codes) to ``markets``
        avoiding ``avoid`` (``corridor capacity``). With ``scenario``, beside its other shippers and
        under its disruptions; without, on nameplate capacities."""
        s = None if scenario is None else self._scenario(scenario)._inner
        text, geojson, warnings = self._inner.capacity(
            commodity, _strings(origins), _strings(markets), _strings(avoid), only_bloc, year, s)
        _warn(warnings)
        return Capacity(text, geojson)

    def contingency(self, scenario: ScenarioLike = None,
                    elements: Union[str, Iterable[str]] = ("links", "nodes", "countries", "chokepoints"),
                    k: int = 1, threads: Optional[int] = None) -> Contingency:
        """Each element (and every pair with ``k=2``) taken out, ranked by what is lost."""
        return Contingency(self._scenario(scenario)._inner.contingency(_strings(elements), k, threads))

    def risk(self, samples: int = 1000, seed: int = 1, threads: Optional[int] = None,
             scenario: ScenarioLike = None, durations: str = "exponential", timing: str = "periods",
             tail: float = 0.05) -> Risk:
        """Monte Carlo over sourced outage rates; the same seed gives the same result for any ``threads``."""
        return Risk(self._scenario(scenario)._inner.risk(samples, seed, threads, durations, timing, tail))

    def indices(self, scenario: ScenarioLike = None, threads: Optional[int] = None) -> Indices:
        """Transit shares, route HHI, bypass ratios and leverage (``corridor indices``)."""
        return Indices(self._scenario(scenario)._inner.indices(threads))

    def pathway(self, years: Union[range, Sequence[int], Tuple[int, int]],
                scenario: ScenarioLike = None,
                avoid: Union[str, Iterable[str], None] = ("RU", "CN")) -> Pathway:
        """The scenario year by year over ``years`` (a range, or first and last year)."""
        ys = list(years)
        if not ys:
            raise CorridorError("years is empty: give e.g. range(2023, 2031)")
        text, warnings = self._scenario(scenario)._inner.pathway(min(ys), max(ys), _strings(avoid))
        _warn(warnings)
        return Pathway(text)

    def compare(self, a: ScenarioLike, b: ScenarioLike,
                avoid: Union[str, Iterable[str], None] = ("RU", "CN")) -> Comparison:
        """Two scenarios side by side: cost, link flows, transit by country, bypass, binding constraints."""
        text, warnings = _corridor.compare(self._scenario(a)._inner, self._scenario(b)._inner,
                                           _strings(avoid))
        _warn(warnings)
        return Comparison(text)

    def __repr__(self) -> str:
        return f"<corridor.Dataset {self.id!r}: {len(self.scenarios)} scenarios>"
