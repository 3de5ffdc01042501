#include "sync/sync_policy.hpp"

namespace streamsync {

std::optional<std::string> validate(const SyncPolicy& p) {
  if (p.deadband_us < 1'000 || p.deadband_us > 500'000) {
    return "deadband_us must be between 1000 and 500000 (1-500 ms)";
  }
  if (!(p.max_rate_deviation > 0.0 && p.max_rate_deviation <= 0.5)) {
    return "max_rate_deviation must be in (0, 0.5]";
  }
  if (!(p.rate_gain_per_s > 0.0 && p.rate_gain_per_s <= 20.0)) {
    return "rate_gain_per_s must be in (0, 20]";
  }
  if (!(p.hysteresis >= 0.0 && p.hysteresis < 1.0)) return "hysteresis must be in [0, 1)";
  if (p.min_rate_change_interval_us < 0) return "min_rate_change_interval_us must be >= 0";
  if (!(p.min_rate_step >= 0.0 && p.min_rate_step < p.max_rate_deviation)) {
    return "min_rate_step must be >= 0 and below max_rate_deviation";
  }
  if (p.seek_threshold_us <= p.deadband_us)
    return "seek_threshold_us must be larger than deadband_us";
  if (p.initial_seek_latency_us < 0 || p.initial_seek_latency_us > 30'000'000) {
    return "initial_seek_latency_us must be between 0 and 30 s";
  }
  if (p.initial_resume_latency_us < -1'000'000 || p.initial_resume_latency_us > 1'000'000) {
    return "initial_resume_latency_us must be between -1 s and 1 s";
  }
  if (p.seek_margin_us < 0) return "seek_margin_us must be >= 0";
  if (p.rate_settle_us < 0) return "rate_settle_us must be >= 0";
  if (p.servo_window_us < 1'000'000) return "servo_window_us must be at least 1 s";
  if (!(p.min_servo_step_ppm >= 0.0)) return "min_servo_step_ppm must be >= 0";
  if (!(p.max_drift_trim_ppm >= 0.0 && p.max_drift_trim_ppm <= 10'000.0)) {
    return "max_drift_trim_ppm must be in [0, 10000]";
  }
  if (!(p.max_servo_pull_ppm >= 0.0 && p.max_servo_pull_ppm <= 10'000.0)) {
    return "max_servo_pull_ppm must be in [0, 10000]";
  }
  return std::nullopt;
}

}  // namespace streamsync
