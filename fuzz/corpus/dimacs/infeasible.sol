s infeasible
