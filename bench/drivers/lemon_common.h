// Shared helpers of the LEMON drivers: timing, argument parsing and the one JSON line.
#ifndef CORRIDOR_BENCH_LEMON_COMMON_H
#define CORRIDOR_BENCH_LEMON_COMMON_H

#include <chrono>
#include <cstdio>
#include <string>

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The file name without folders and extension, as the other drivers name instances.
inline std::string instance_name(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  return base.substr(0, base.find_last_of('.'));
}

// Prints {"solver":..,"instance":..,"objective":..,"status":..,"solve_seconds":..,
// "load_seconds":..}; the objective is null unless the status is optimal.
inline void print_record(const std::string& solver, const std::string& instance,
                         bool has_objective, long long objective, const std::string& status,
                         double solve_seconds, double load_seconds) {
  std::string obj = has_objective ? std::to_string(objective) : "null";
  std::printf(
      "{\"solver\":\"%s\",\"instance\":\"%s\",\"objective\":%s,\"status\":\"%s\","
      "\"solve_seconds\":%.9f,\"load_seconds\":%.9f}\n",
      solver.c_str(), instance.c_str(), obj.c_str(), status.c_str(), solve_seconds,
      load_seconds);
}

#endif
