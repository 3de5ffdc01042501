#pragma once

// A closed-loop sync scenario: N simulated viewers, each with the real core (ClockEstimator,
// PollPolicy, SyncController, Timeline) driving a SimPlayer, over a simulated network to a
// simulated server clock. Deterministic for a given seed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock/poll_policy.hpp"
#include "sim_network.hpp"
#include "sim_player.hpp"
#include "sync/sync_policy.hpp"

namespace streamsync::sim {

struct ScenarioConfig {
  std::string name;
  int viewers = 10;
  std::int64_t duration_us = 600'000'000;
  PathModel path;
  double clock_offset_spread_us = 2'500'000;  // viewers' clock offsets spread over ±this
  double clock_drift_spread_ppm = 50;         // and drifts over ±this
  double media_clock_extra_ppm = 20;          // audio device vs system crystal, ±this at random
  std::vector<Stall> stalls;                  // applied to every viewer
  std::optional<std::int64_t> server_step_at_us;
  std::int64_t server_step_us = 0;
  std::int64_t warmup_us = 3'000'000;  // metrics start this long after joining
  std::uint64_t seed = 1;
  SyncPolicy policy;
  PollPolicyConfig poll;
};

// One recorded instant of one viewer (every 10 ms of simulated time).
struct TracePoint {
  std::int64_t t_us;      // since the scenario started
  double sync_error_us;   // player's true position − ideal position; NaN unless playing
  double clock_error_us;  // estimated − true server time; NaN until the clock has a sample
  int seeks;              // so far
  int rate_changes;       // so far
};

struct ViewerResult {
  double sync_error_p50_ms = 0, sync_error_p95_ms = 0, sync_error_p99_ms = 0, sync_error_max_ms = 0;
  double clock_error_p95_ms = 0;
  double clock_error_mean_ms = 0;                       // signed: the bias
  std::optional<double> convergence_s;                  // join -> in the deadband for 5 s
  std::vector<std::optional<double>> stall_recovery_s;  // stall end -> in the deadband for 2 s
  std::optional<double> step_reconvergence_s;           // clock step -> clock within 1 ms for 2 s
  std::optional<double> step_sync_recovery_s;           // clock step -> in the deadband for 2 s
  int seeks = 0;
  int seeks_after_convergence = 0;
  int rate_changes = 0;
  double rate_changes_per_min_after_convergence = 0;
  double drift_trim_ppm = 0;
  std::vector<TracePoint> trace;
};

struct ScenarioResult {
  std::string name;
  std::vector<ViewerResult> viewers;
  double simulated_s = 0;
  double wall_s = 0;
  // Over all viewers: pooled percentiles and worst cases.
  double sync_error_p50_ms = 0, sync_error_p95_ms = 0, sync_error_p99_ms = 0;
  double worst_viewer_sync_error_p95_ms = 0, worst_viewer_sync_error_p99_ms = 0;
  double clock_error_p95_ms = 0;
  double clock_error_mean_ms = 0;
  std::optional<double> convergence_s;  // slowest viewer; nullopt if any never converged
  int seeks = 0;
  int seeks_after_convergence = 0;
  double rate_changes_per_min = 0;  // worst viewer, after convergence
};

ScenarioResult run_scenario(const ScenarioConfig& config);

// The scenarios issue #3 asks for, with the parameters the tests and the benchmark share.
ScenarioConfig loopback_scenario();
ScenarioConfig wan_scenario();         // 40 ± 15 ms uniform (netem-style) jitter, 1% loss
ScenarioConfig wan_normal_scenario();  // 40 ± 15 ms normal jitter, 1% loss
ScenarioConfig asymmetric_scenario();  // 10 ms out, 30 ms back
ScenarioConfig stall_scenario();       // a 3 s stall
ScenarioConfig clock_step_scenario();  // the server clock steps by 2 s

std::vector<ScenarioConfig> all_scenarios();

}  // namespace streamsync::sim
