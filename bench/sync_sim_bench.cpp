// sync_sim_bench: runs every closed-loop scenario of tests/sim and writes
//  - a JSON summary, one object per scenario (bench/results/sim.json by default);
//  - per-scenario traces (time, each viewer's sync error) as TSV for the plots;
//  - a table of the headline numbers on stdout.
// Usage: sync_sim_bench [--json FILE] [--trace-dir DIR]

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scenario.hpp"

namespace {

using streamsync::sim::ScenarioResult;
using streamsync::sim::ViewerResult;

constexpr std::size_t kTraceDecimation = 10;  // every 100 ms of simulated time

nlohmann::json optional_seconds(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The slowest viewer, or null if any viewer never got there.
template <class Get>
nlohmann::json slowest(const ScenarioResult& result, Get get) {
  double worst = 0;
  for (const ViewerResult& viewer : result.viewers) {
    const std::optional<double> value = get(viewer);
    if (!value) return nullptr;
    worst = std::max(worst, *value);
  }
  return worst;
}

nlohmann::json summarize(const ScenarioResult& r) {
  nlohmann::json summary = {
      {"name", r.name},
      {"viewers", r.viewers.size()},
      {"simulated_s", r.simulated_s},
      {"wall_s", r.wall_s},
      {"speed_vs_realtime", r.simulated_s / r.wall_s},
      {"sync_error_p50_ms", r.sync_error_p50_ms},
      {"sync_error_p95_ms", r.sync_error_p95_ms},
      {"sync_error_p99_ms", r.sync_error_p99_ms},
      {"worst_viewer_sync_error_p95_ms", r.worst_viewer_sync_error_p95_ms},
      {"worst_viewer_sync_error_p99_ms", r.worst_viewer_sync_error_p99_ms},
      {"clock_error_p95_ms", r.clock_error_p95_ms},
      {"clock_bias_ms", r.clock_error_mean_ms},
      {"convergence_s", optional_seconds(r.convergence_s)},
      {"seeks", r.seeks},
      {"seeks_after_convergence", r.seeks_after_convergence},
      {"rate_changes_per_min", r.rate_changes_per_min},
  };
  // Recovery figures only where the scenario has the event; null if a viewer never recovered.
  if (!r.viewers.front().stall_recovery_s.empty()) {
    summary["stall_recovery_s"] =
        slowest(r, [](const ViewerResult& v) { return v.stall_recovery_s.front(); });
  }
  if (r.viewers.front().step_reconvergence_s || r.viewers.front().step_sync_recovery_s) {
    summary["clock_step_reconvergence_s"] =
        slowest(r, [](const ViewerResult& v) { return v.step_reconvergence_s; });
    summary["clock_step_sync_recovery_s"] =
        slowest(r, [](const ViewerResult& v) { return v.step_sync_recovery_s; });
  }
  return summary;
}

void write_trace(const ScenarioResult& r, const std::string& dir) {
  std::ofstream out(dir + "/" + r.name + ".tsv");
  const std::size_t rows = r.viewers.front().trace.size();
  for (std::size_t row = 0; row < rows; row += kTraceDecimation) {
    out << static_cast<double>(r.viewers.front().trace[row].t_us) / 1e6;
    for (const ViewerResult& v : r.viewers) {
      // Viewers join staggered, so their traces start at different rows: align from the end.
      const std::size_t offset = rows - v.trace.size();
      const double error_us = row >= offset ? v.trace[row - offset].sync_error_us : NAN;
      out << '\t';
      if (std::isnan(error_us)) {
        out << "NaN";
      } else {
        out << error_us / 1e3;
      }
    }
    out << '\n';
  }
}

void print_header() {
  std::printf("%-32s %8s %8s %8s %10s %12s %9s %6s %8s\n", "scenario", "sync p50", "p95", "p99",
              "worst p95", "clock p95", "converge", "seeks", "speed");
}

void print_row(const ScenarioResult& r) {
  char converge[32] = "never";
  if (r.convergence_s) std::snprintf(converge, sizeof converge, "%.2f s", *r.convergence_s);
  std::printf("%-32s %5.2f ms %5.2f ms %5.2f ms %7.2f ms %9.3f ms %9s %6d %7.0fx\n", r.name.c_str(),
              r.sync_error_p50_ms, r.sync_error_p95_ms, r.sync_error_p99_ms,
              r.worst_viewer_sync_error_p95_ms, r.clock_error_p95_ms, converge, r.seeks,
              r.simulated_s / r.wall_s);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path = "bench/results/sim.json";
  std::string trace_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else if (arg == "--trace-dir" && i + 1 < argc) {
      trace_dir = argv[++i];
    } else {
      std::cerr << "usage: sync_sim_bench [--json FILE] [--trace-dir DIR]\n";
      return 2;
    }
  }

  print_header();
  nlohmann::json scenarios = nlohmann::json::array();
  for (const auto& config : streamsync::sim::all_scenarios()) {
    const ScenarioResult result = streamsync::sim::run_scenario(config);
    scenarios.push_back(summarize(result));
    print_row(result);
    if (!trace_dir.empty()) write_trace(result, trace_dir);
  }
  std::ofstream out(json_path);
  if (!out) {
    std::cerr << "sync_sim_bench: cannot write " << json_path << '\n';
    return 1;
  }
  out << nlohmann::json{{"benchmark", "sync_simulation"}, {"scenarios", scenarios}}.dump(2) << '\n';
  return 0;
}
