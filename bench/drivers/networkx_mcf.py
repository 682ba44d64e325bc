"""NetworkX driver: `networkx_mcf.py FILE.min`, network simplex in pure Python.

Only run on small instances (the runner's networkx_max_arcs) and under its time limit.
Loading = reading the file and building the MultiDiGraph (parallel arcs are kept);
solving = nx.network_simplex.
"""

import sys
import time

import networkx as nx

import dimacs_read


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: networkx_mcf.py FILE.min")
    path = sys.argv[1]
    t0 = time.perf_counter()
    p = dimacs_read.read(path)
    offset = dimacs_read.shift_lower_bounds(p)
    g = nx.MultiDiGraph()
    g.add_nodes_from((v, {"demand": -int(b)}) for v, b in enumerate(p["supply"]))
    g.add_edges_from(
        (int(u), int(v), {"capacity": int(c), "weight": int(w)})
        for u, v, c, w in zip(p["tail"], p["head"], p["cap"], p["cost"])
    )
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    try:
        cost, _ = nx.network_simplex(g)
        status, objective = "optimal", cost + offset
    except nx.NetworkXUnfeasible:
        status, objective = "infeasible", None
    except nx.NetworkXUnbounded:
        status, objective = "unbounded", None
    solve = time.perf_counter() - t0
    dimacs_read.emit("networkx-ns", path, objective, status, solve, load)


if __name__ == "__main__":
    main()
