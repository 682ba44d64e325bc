// LEMON min-cost-flow driver for corridor-bench.
//
//   lemon_mcf --algo ns|cs [--zero-arcs I,J,..] FILE.min
//
// Reads a DIMACS min-cost-flow file with LEMON's readDimacsMin into a SmartDigraph (timed as
// loading), then solves it with NetworkSimplex (block search, LEMON's default) or
// CostScaling (partial augment-relabel, the default), timing the solver's construction and
// run() as solving. --zero-arcs sets the capacity (and lower bound) of the listed 0-based
// arcs to 0 before solving, for the N-1 sweep. Prints one JSON line; exit code 2 on bad input.
#include <lemon/cost_scaling.h>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "lemon_common.h"

using namespace lemon;
typedef long long Value;
typedef SmartDigraph Graph;

template <typename Solver>
static void report(Solver& solver, typename Solver::ProblemType result,
                   const std::string& name, const std::string& instance,
                   std::chrono::steady_clock::time_point t0, double load) {
  double solve = seconds_since(t0);
  if (result == Solver::OPTIMAL) {
    print_record(name, instance, true, solver.template totalCost<Value>(), "optimal", solve,
                 load);
  } else {
    print_record(name, instance, false, 0,
                 result == Solver::INFEASIBLE ? "infeasible" : "unbounded", solve, load);
  }
}

int main(int argc, char** argv) {
  std::string algo = "ns", file;
  std::vector<int> zero;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--algo" && i + 1 < argc) {
      algo = argv[++i];
    } else if (a == "--zero-arcs" && i + 1 < argc) {
      std::stringstream ss(argv[++i]);
      std::string item;
      while (std::getline(ss, item, ',')) zero.push_back(std::stoi(item));
    } else {
      file = a;
    }
  }
  if (file.empty() || (algo != "ns" && algo != "cs")) {
    std::cerr << "usage: lemon_mcf --algo ns|cs [--zero-arcs I,J] FILE.min\n";
    return 2;
  }

  auto t0 = std::chrono::steady_clock::now();
  std::ifstream is(file);
  if (!is) {
    std::cerr << "lemon_mcf: cannot open " << file << "\n";
    return 2;
  }
  Graph g;
  Graph::ArcMap<Value> lower(g), cap(g), cost(g);
  Graph::NodeMap<Value> supply(g);
  try {
    readDimacsMin(is, g, lower, cap, cost, supply);
  } catch (const std::exception& e) {
    std::cerr << "lemon_mcf: " << e.what() << "\n";
    return 2;
  }
  for (int k : zero) {
    if (k < 0 || k >= countArcs(g)) {
      std::cerr << "lemon_mcf: arc " << k << " out of range\n";
      return 2;
    }
    Graph::Arc a = g.arcFromId(k);
    lower[a] = 0;
    cap[a] = 0;
  }
  double load = seconds_since(t0);
  std::string instance = instance_name(file);

  t0 = std::chrono::steady_clock::now();
  if (algo == "ns") {
    NetworkSimplex<Graph, Value, Value> ns(g);
    ns.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(supply);
    auto result = ns.run();
    report(ns, result, "lemon-ns", instance, t0, load);
  } else {
    CostScaling<Graph, Value, Value> cs(g);
    cs.lowerMap(lower).upperMap(cap).costMap(cost).supplyMap(supply);
    auto result = cs.run();
    report(cs, result, "lemon-cs", instance, t0, load);
  }
  return 0;
}
