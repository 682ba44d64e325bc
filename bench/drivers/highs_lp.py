"""HiGHS driver for LPs: `highs_lp.py FILE.mps`, the allocation-LP family.

Reads the MPS file our generator wrote (the same file `corridor-alloc-lp` reads) with
`Highs.readModel` and solves it with HiGHS's defaults (solver `choose`, presolve on, the
defaults of corridor's own HiGHS backend, `corridor --solver highs`). Loading = readModel;
solving = run(). Prints one JSON line with the objective as the float `lp_objective`.
"""

import json
import os
import sys
import time

import highspy


def emit(path, objective, status, solve, load):
    print(
        json.dumps(
            {
                "solver": "highs",
                "instance": os.path.splitext(os.path.basename(path))[0],
                "objective": None,
                "lp_objective": objective,
                "status": status,
                "solve_seconds": solve,
                "load_seconds": load,
            }
        )
    )
    sys.stdout.flush()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: highs_lp.py FILE.mps")
    path = sys.argv[1]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    t0 = time.perf_counter()
    st = h.readModel(path)
    load = time.perf_counter() - t0
    if st != highspy.HighsStatus.kOk:
        sys.exit(f"highs: readModel({path}) returned {st}")

    t0 = time.perf_counter()
    h.run()
    solve = time.perf_counter() - t0
    ms = h.getModelStatus()
    if ms == highspy.HighsModelStatus.kOptimal:
        emit(path, h.getInfo().objective_function_value, "optimal", solve, load)
    elif ms == highspy.HighsModelStatus.kInfeasible:
        emit(path, None, "infeasible", solve, load)
    elif ms == highspy.HighsModelStatus.kUnbounded:
        emit(path, None, "unbounded", solve, load)
    else:
        print(f"highs: model status {h.modelStatusToString(ms)}", file=sys.stderr)
        emit(path, None, "error", solve, load)


if __name__ == "__main__":
    main()
