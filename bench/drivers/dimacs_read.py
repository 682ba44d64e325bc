"""DIMACS reading and the JSON result line shared by the Python drivers of corridor-bench.

Every driver prints one line
{"solver":..,"instance":..,"objective":..,"status":..,"solve_seconds":..,"load_seconds":..}
where load_seconds covers reading the file and building the solver's input object, and
solve_seconds the solve call alone.
"""

import json
import os
import sys

import numpy as np


def instance_name(path):
    return os.path.splitext(os.path.basename(path))[0]


def read(path):
    """Returns a dict: kind ('min' or 'max'), n, 0-based int64 arrays tail, head, lower, cap,
    cost, supply (min) or source and sink (max)."""
    tails, heads, lows, caps, costs = [], [], [], [], []
    supply = {}
    kind, n, source, sink = None, 0, None, None
    with open(path) as f:
        for line in f:
            c = line[:1]
            if c == "a":
                p = line.split()
                tails.append(int(p[1]) - 1)
                heads.append(int(p[2]) - 1)
                if kind == "min":
                    lows.append(int(p[3]))
                    caps.append(int(p[4]))
                    costs.append(int(p[5]))
                else:
                    caps.append(int(p[3]))
            elif c == "n":
                p = line.split()
                if kind == "max":
                    if p[2] == "s":
                        source = int(p[1]) - 1
                    else:
                        sink = int(p[1]) - 1
                else:
                    supply[int(p[1]) - 1] = int(p[2])
            elif c == "p":
                p = line.split()
                kind, n = p[1], int(p[2])
    out = {
        "kind": kind,
        "n": n,
        "tail": np.asarray(tails, dtype=np.int64),
        "head": np.asarray(heads, dtype=np.int64),
        "cap": np.asarray(caps, dtype=np.int64),
    }
    if kind == "min":
        sup = np.zeros(n, dtype=np.int64)
        for v, b in supply.items():
            sup[v] = b
        out.update(
            lower=np.asarray(lows, dtype=np.int64),
            cost=np.asarray(costs, dtype=np.int64),
            supply=sup,
        )
    else:
        out.update(source=source, sink=sink)
    return out


def shift_lower_bounds(p):
    """Moves lower bounds into the supplies, for solvers without them. Returns the constant
    cost of the lower-bound flow, to add to the solver's objective."""
    low = p["lower"]
    if not low.any():
        return 0
    np.subtract.at(p["supply"], p["tail"], low)
    np.add.at(p["supply"], p["head"], low)
    p["cap"] = p["cap"] - low
    p["lower"] = np.zeros_like(low)
    return int((low * p["cost"]).sum())


def emit(solver, path, objective, status, solve_seconds, load_seconds):
    print(
        json.dumps(
            {
                "solver": solver,
                "instance": instance_name(path),
                "objective": None if objective is None else int(objective),
                "status": status,
                "solve_seconds": solve_seconds,
                "load_seconds": load_seconds,
            }
        )
    )
    sys.stdout.flush()
