#include "scenario.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <random>

#include "metrics.hpp"
#include "sim_clock.hpp"
#include "sim_viewer.hpp"
#include "timeline/timeline.hpp"

namespace streamsync::sim {
namespace {

constexpr std::int64_t kSimStartUs = 1'800'000'000'000'000;  // server time at t = 0 (2027)
constexpr std::int64_t kTickUs = 1'000;                      // simulator resolution
constexpr std::int64_t kTraceEveryUs = 10'000;
constexpr std::int64_t kJoinStaggerUs = 137'000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Timeline make_channel() {
  // One two-hour item, started ten minutes before the simulation: the viewers join mid-item.
  Schedule schedule;
  schedule.channel_id = "sim";
  schedule.revision = 1;
  schedule.effective_at_us = 0;
  schedule.start_at_us = kSimStartUs - 600'000'000;
  schedule.loop = true;
  schedule.items.push_back({"clip", 0, 7'200'000'000});
  return Timeline::create(schedule).value();
}

SimViewerConfig viewer_config(const ScenarioConfig& config, int index, std::mt19937_64& rng) {
  const double spread =
      config.viewers > 1 ? static_cast<double>(index) / (config.viewers - 1) : 0.5;
  // A different permutation for drift than for offset, so they are not correlated.
  const double drift_spread =
      config.viewers > 1 ? static_cast<double>((index * 7) % config.viewers) / (config.viewers - 1)
                         : 0.5;
  SimViewerConfig v;
  v.clock.origin_true_us = kSimStartUs;
  v.clock.origin_mono_us =
      5'000'000'000 + std::llround((2 * spread - 1) * config.clock_offset_spread_us);
  v.clock.drift_ppm = (2 * drift_spread - 1) * config.clock_drift_spread_ppm;
  v.path = config.path;
  v.player.fps = index % 2 == 0 ? 30.0 : 60.0;
  v.player.media_clock_ppm =
      v.clock.drift_ppm + std::uniform_real_distribution<double>(-config.media_clock_extra_ppm,
                                                                 config.media_clock_extra_ppm)(rng);
  v.policy = config.policy;
  v.poll = config.poll;
  v.join_at_true_us = kSimStartUs + index * kJoinStaggerUs;
  v.seed = config.seed * 1000 + static_cast<std::uint64_t>(index);
  return v;
}

const TracePoint* point_at(const std::vector<TracePoint>& trace, std::int64_t t_us) {
  for (const auto& p : trace) {
    if (p.t_us >= t_us) return &p;
  }
  return trace.empty() ? nullptr : &trace.back();
}

ViewerResult summarize(const ScenarioConfig& config, std::vector<TracePoint> trace,
                       const SimViewer& viewer, std::int64_t join_us) {
  ViewerResult r;
  std::vector<double> sync_abs_ms, clock_abs_ms;
  double clock_sum_ms = 0;
  for (const auto& p : trace) {
    if (p.t_us < join_us + config.warmup_us) continue;
    if (!std::isnan(p.sync_error_us)) sync_abs_ms.push_back(std::abs(p.sync_error_us) / 1e3);
    if (!std::isnan(p.clock_error_us)) {
      clock_abs_ms.push_back(std::abs(p.clock_error_us) / 1e3);
      clock_sum_ms += p.clock_error_us / 1e3;
    }
  }
  r.sync_error_p50_ms = percentile(sync_abs_ms, 0.50);
  r.sync_error_p95_ms = percentile(sync_abs_ms, 0.95);
  r.sync_error_p99_ms = percentile(sync_abs_ms, 0.99);
  r.sync_error_max_ms = percentile(sync_abs_ms, 1.0);
  r.clock_error_p95_ms = percentile(clock_abs_ms, 0.95);
  r.clock_error_mean_ms =
      clock_abs_ms.empty() ? 0 : clock_sum_ms / static_cast<double>(clock_abs_ms.size());

  const auto deadband_us = static_cast<double>(config.policy.deadband_us);
  const auto sync_error = [](const TracePoint& p) { return p.sync_error_us; };
  r.convergence_s = settle_time_s(trace, join_us, deadband_us, 5'000'000, sync_error);
  for (const Stall& stall : config.stalls) {
    r.stall_recovery_s.push_back(
        settle_time_s(trace, stall.end_true_us, deadband_us, 2'000'000, sync_error));
  }
  if (config.server_step_at_us) {
    r.step_reconvergence_s = settle_time_s(trace, *config.server_step_at_us, 1'000.0, 2'000'000,
                                           [](const TracePoint& p) { return p.clock_error_us; });
    r.step_sync_recovery_s =
        settle_time_s(trace, *config.server_step_at_us, deadband_us, 2'000'000, sync_error);
  }

  r.seeks = viewer.controller().stats().seeks;
  r.rate_changes = viewer.controller().stats().rate_changes;
  r.drift_trim_ppm = viewer.controller().drift_trim_ppm();
  if (r.convergence_s && !trace.empty()) {
    const std::int64_t converged_us = join_us + std::llround(*r.convergence_s * 1e6);
    const TracePoint* at = point_at(trace, converged_us);
    r.seeks_after_convergence = trace.back().seeks - at->seeks;
    const double minutes = static_cast<double>(trace.back().t_us - at->t_us) / 60e6;
    if (minutes > 0)
      r.rate_changes_per_min_after_convergence =
          (trace.back().rate_changes - at->rate_changes) / minutes;
  }
  r.trace = std::move(trace);
  return r;
}

void aggregate(ScenarioResult& result) {
  std::vector<double> p50s, p95s, p99s;
  bool all_converged = true;
  double slowest_s = 0;
  double clock_mean_sum = 0;
  for (const auto& v : result.viewers) {
    p50s.push_back(v.sync_error_p50_ms);
    p95s.push_back(v.sync_error_p95_ms);
    p99s.push_back(v.sync_error_p99_ms);
    result.worst_viewer_sync_error_p95_ms =
        std::max(result.worst_viewer_sync_error_p95_ms, v.sync_error_p95_ms);
    result.worst_viewer_sync_error_p99_ms =
        std::max(result.worst_viewer_sync_error_p99_ms, v.sync_error_p99_ms);
    result.clock_error_p95_ms = std::max(result.clock_error_p95_ms, v.clock_error_p95_ms);
    clock_mean_sum += v.clock_error_mean_ms;
    result.seeks += v.seeks;
    result.seeks_after_convergence += v.seeks_after_convergence;
    result.rate_changes_per_min =
        std::max(result.rate_changes_per_min, v.rate_changes_per_min_after_convergence);
    if (v.convergence_s) {
      slowest_s = std::max(slowest_s, *v.convergence_s);
    } else {
      all_converged = false;
    }
  }
  // Viewers weigh equally: the median of per-viewer percentiles.
  result.sync_error_p50_ms = percentile(p50s, 0.5);
  result.sync_error_p95_ms = percentile(p95s, 0.5);
  result.sync_error_p99_ms = percentile(p99s, 0.5);
  result.clock_error_mean_ms = clock_mean_sum / static_cast<double>(result.viewers.size());
  if (all_converged) result.convergence_s = slowest_s;
}

}  // namespace

ScenarioResult run_scenario(const ScenarioConfig& config) {
  const auto wall_start = std::chrono::steady_clock::now();
  const Timeline timeline = make_channel();
  ServerClock server;
  if (config.server_step_at_us) {
    server.step_at_true_us = kSimStartUs + *config.server_step_at_us;
    server.step_us = config.server_step_us;
  }

  std::mt19937_64 rng(config.seed);
  std::vector<std::unique_ptr<SimViewer>> viewers;
  std::vector<std::vector<TracePoint>> traces(static_cast<std::size_t>(config.viewers));
  for (int i = 0; i < config.viewers; ++i) {
    viewers.push_back(std::make_unique<SimViewer>(viewer_config(config, i, rng), timeline, server));
    for (const Stall& stall : config.stalls) {
      viewers.back()->add_stall(
          {kSimStartUs + stall.start_true_us, kSimStartUs + stall.end_true_us});
    }
  }

  for (std::int64_t t_us = 0; t_us <= config.duration_us; t_us += kTickUs) {
    const std::int64_t true_us = kSimStartUs + t_us;
    for (auto& viewer : viewers) viewer->step(true_us);
    if (t_us % kTraceEveryUs != 0) continue;
    const double ideal_us =
        static_cast<double>(timeline.resolve(server.now_us(true_us)).media_position_us);
    for (std::size_t i = 0; i < viewers.size(); ++i) {
      const SimViewer& v = *viewers[i];
      if (!v.joined()) continue;
      TracePoint p{t_us, kNaN, kNaN, v.controller().stats().seeks,
                   v.controller().stats().rate_changes};
      if (v.player().activity() == PlayerActivity::playing)
        p.sync_error_us = v.player().true_position_us() - ideal_us;
      if (v.clock_estimator().state() != ClockState::unsynced) {
        p.clock_error_us = static_cast<double>(
            v.clock_estimator().server_now_us(v.mono_us(true_us)) - server.now_us(true_us));
      }
      traces[i].push_back(p);
    }
  }

  ScenarioResult result;
  result.name = config.name;
  for (int i = 0; i < config.viewers; ++i) {
    const auto index = static_cast<std::size_t>(i);
    result.viewers.push_back(
        summarize(config, std::move(traces[index]), *viewers[index], i * kJoinStaggerUs));
  }
  aggregate(result);
  result.simulated_s = static_cast<double>(config.duration_us) / 1e6;
  result.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return result;
}

ScenarioConfig loopback_scenario() {
  ScenarioConfig c;
  c.name = "loopback";
  c.viewers = 10;
  c.duration_us = 600'000'000;
  c.path.to_server = {DelayModel::Shape::normal, 100, 50, 20};
  c.path.to_client = c.path.to_server;
  c.seed = 11;
  return c;
}

ScenarioConfig wan_scenario() {
  ScenarioConfig c;
  c.name = "wan_jitter_uniform";
  c.viewers = 10;
  c.duration_us = 600'000'000;
  c.path.to_server = {DelayModel::Shape::uniform, 40'000, 15'000, 1'000};
  c.path.to_client = c.path.to_server;
  c.path.loss = 0.01;
  c.clock_drift_spread_ppm = 100;
  c.seed = 21;
  return c;
}

ScenarioConfig wan_normal_scenario() {
  ScenarioConfig c = wan_scenario();
  c.name = "wan_jitter_normal";
  c.path.to_server.shape = DelayModel::Shape::normal;
  c.path.to_client.shape = DelayModel::Shape::normal;
  c.seed = 22;
  return c;
}

ScenarioConfig asymmetric_scenario() {
  ScenarioConfig c;
  c.name = "asymmetric_10ms_out_30ms_back";
  c.viewers = 4;
  c.duration_us = 120'000'000;
  c.path.to_server = {DelayModel::Shape::normal, 10'000, 500, 1'000};
  c.path.to_client = {DelayModel::Shape::normal, 30'000, 500, 1'000};
  c.seed = 31;
  return c;
}

ScenarioConfig stall_scenario() {
  ScenarioConfig c = loopback_scenario();
  c.name = "stall_3s";
  c.viewers = 6;
  c.duration_us = 120'000'000;
  c.stalls.push_back({60'000'000, 63'000'000});
  c.seed = 41;
  return c;
}

ScenarioConfig clock_step_scenario() {
  ScenarioConfig c = loopback_scenario();
  c.name = "server_clock_step_2s";
  c.viewers = 6;
  c.duration_us = 120'000'000;
  c.server_step_at_us = 60'000'000;
  c.server_step_us = 2'000'000;
  c.seed = 51;
  return c;
}

std::vector<ScenarioConfig> all_scenarios() {
  return {loopback_scenario(),   wan_scenario(),   wan_normal_scenario(),
          asymmetric_scenario(), stall_scenario(), clock_step_scenario()};
}

}  // namespace streamsync::sim
