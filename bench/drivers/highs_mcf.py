"""HiGHS driver: `highs_mcf.py FILE.min`, the LP form of min-cost flow.

min cost.x  s.t.  (out-flow - in-flow)(v) = supply(v) for every node,  lower <= x <= cap.
One column per arc with +1 in its tail's row and -1 in its head's row (self-loops, which
have no row entries, are fixed at their best bound). Loading = reading the file and
passModel; solving = run() with HiGHS's defaults (dual simplex with presolve for an LP).
The objective is rounded to the nearest integer when within 1e-6 (relative) of it.
"""

import sys
import time

import highspy
import numpy as np

import dimacs_read


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: highs_mcf.py FILE.min")
    path = sys.argv[1]
    t0 = time.perf_counter()
    p = dimacs_read.read(path)
    tail, head, cost = p["tail"], p["head"], p["cost"]
    lower, cap = p["lower"].astype(float), p["cap"].astype(float)
    loop = tail == head
    # A self-loop carries no flow between nodes: it only adds cost, so it sits at its upper
    # bound when its cost is negative and at its lower bound otherwise.
    loop_x = np.where(cost < 0, cap, lower)
    offset = float((loop_x * cost)[loop].sum())
    keep = ~loop
    tail, head, c, lo, up = tail[keep], head[keep], cost[keep], lower[keep], cap[keep]
    m, n = len(tail), p["n"]

    lp = highspy.HighsLp()
    lp.num_col_ = m
    lp.num_row_ = n
    lp.col_cost_ = c.astype(float)
    lp.col_lower_ = lo
    lp.col_upper_ = up
    b = p["supply"].astype(float)
    lp.row_lower_ = b
    lp.row_upper_ = b
    lp.offset_ = offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = m
    lp.a_matrix_.num_row_ = n
    lp.a_matrix_.start_ = np.arange(0, 2 * m + 1, 2, dtype=np.int32)
    idx = np.empty(2 * m, dtype=np.int32)
    idx[0::2], idx[1::2] = tail, head
    val = np.empty(2 * m, dtype=float)
    val[0::2], val[1::2] = 1.0, -1.0
    lp.a_matrix_.index_ = idx
    lp.a_matrix_.value_ = val
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    load = time.perf_counter() - t0

    t0 = time.perf_counter()
    h.run()
    solve = time.perf_counter() - t0
    st = h.getModelStatus()
    if st == highspy.HighsModelStatus.kOptimal:
        obj = h.getInfo().objective_function_value
        r = round(obj)
        if abs(obj - r) > 1e-6 * max(1.0, abs(obj)):
            print(f"highs: objective {obj!r} is not integral", file=sys.stderr)
        dimacs_read.emit("highs-lp", path, r, "optimal", solve, load)
    elif st == highspy.HighsModelStatus.kInfeasible:
        dimacs_read.emit("highs-lp", path, None, "infeasible", solve, load)
    elif st == highspy.HighsModelStatus.kUnbounded:
        dimacs_read.emit("highs-lp", path, None, "unbounded", solve, load)
    else:
        print(f"highs: model status {h.modelStatusToString(st)}", file=sys.stderr)
        dimacs_read.emit("highs-lp", path, None, "error", solve, load)


if __name__ == "__main__":
    main()
