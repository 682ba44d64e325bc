// LEMON max-flow driver for corridor-bench.
//
//   lemon_maxflow FILE.max
//
// Reads a DIMACS max-flow file with LEMON's readDimacsMax into a SmartDigraph (timed as
// loading), then runs Preflow (Goldberg-Tarjan, highest label) with both phases, so that a
// real flow is built as corridor's solver and OR-Tools build one. Prints one JSON line; exit
// code 2 on bad input.
#include <lemon/dimacs.h>
#include <lemon/preflow.h>
#include <lemon/smart_graph.h>

#include <fstream>
#include <iostream>

#include "lemon_common.h"

using namespace lemon;
typedef long long Value;
typedef SmartDigraph Graph;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lemon_maxflow FILE.max\n";
    return 2;
  }
  std::string file = argv[1];
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream is(file);
  if (!is) {
    std::cerr << "lemon_maxflow: cannot open " << file << "\n";
    return 2;
  }
  Graph g;
  Graph::ArcMap<Value> cap(g);
  Graph::Node s, t;
  try {
    readDimacsMax(is, g, cap, s, t);
  } catch (const std::exception& e) {
    std::cerr << "lemon_maxflow: " << e.what() << "\n";
    return 2;
  }
  double load = seconds_since(t0);

  t0 = std::chrono::steady_clock::now();
  Preflow<Graph, Graph::ArcMap<Value>> preflow(g, cap, s, t);
  preflow.run();
  double solve = seconds_since(t0);
  print_record("lemon-preflow", instance_name(file), true, preflow.flowValue(), "optimal",
               solve, load);
  return 0;
}
