"""OR-Tools driver: `ortools_flow.py min|max FILE`.

min: SimpleMinCostFlow (cost scaling push-relabel); max: SimpleMaxFlow (push-relabel).
Loading = reading the file and adding the arcs and supplies; solving = solve().
"""

import sys
import time

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

import dimacs_read


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("min", "max"):
        sys.exit("usage: ortools_flow.py min|max FILE")
    kind, path = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    p = dimacs_read.read(path)
    if p["kind"] != kind:
        sys.exit(f"{path} is a `p {p['kind']}` problem, not `p {kind}`")
    if kind == "min":
        offset = dimacs_read.shift_lower_bounds(p)
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(p["tail"], p["head"], p["cap"], p["cost"])
        smcf.set_nodes_supplies(np.arange(p["n"], dtype=np.int64), p["supply"])
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        status = smcf.solve()
        solve = time.perf_counter() - t0
        if status == smcf.OPTIMAL:
            dimacs_read.emit("ortools", path, smcf.optimal_cost() + offset, "optimal", solve, load)
        elif status in (smcf.INFEASIBLE, smcf.UNBALANCED):
            dimacs_read.emit("ortools", path, None, "infeasible", solve, load)
        else:
            print(f"ortools min-cost status {status}", file=sys.stderr)
            dimacs_read.emit("ortools", path, None, "error", solve, load)
    else:
        smf = max_flow.SimpleMaxFlow()
        smf.add_arcs_with_capacity(p["tail"], p["head"], p["cap"])
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        status = smf.solve(p["source"], p["sink"])
        solve = time.perf_counter() - t0
        if status == smf.OPTIMAL:
            dimacs_read.emit("ortools", path, smf.optimal_flow(), "optimal", solve, load)
        else:
            print(f"ortools max-flow status {status}", file=sys.stderr)
            dimacs_read.emit("ortools", path, None, "error", solve, load)


if __name__ == "__main__":
    main()
