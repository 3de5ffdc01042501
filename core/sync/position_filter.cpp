#include "sync/position_filter.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace streamsync {

PositionFilter::PositionFilter(PositionFilterConfig config) : config_(config) {}

void PositionFilter::reset(double rate) {
  samples_.clear();
  nominal_rate_ = rate;
  slope_ = rate;
  residual_rms_us_ = 0;
}

PositionFilter::AddResult PositionFilter::add(std::int64_t mono_us, std::int64_t position_us) {
  AddResult result = AddResult::accepted;
  if (settled()) {
    const double off_line_us =
        static_cast<double>(position_us - base_position_us_) - line_at(mono_us);
    if (std::abs(off_line_us) > static_cast<double>(config_.discontinuity_us)) {
      samples_.clear();
      result = AddResult::discontinuity;
    }
  }
  if (samples_.empty()) {
    base_mono_us_ = mono_us;
    base_position_us_ = position_us;
  }
  samples_.push_back({mono_us, position_us});
  while (samples_.size() > config_.window_samples ||
         mono_us - samples_.front().mono_us > config_.window_us) {
    samples_.pop_front();
  }
  refit();
  return result;
}

void PositionFilter::refit() {
  const auto n = static_cast<double>(samples_.size());
  double sum_x = 0, sum_y = 0;
  for (const auto& s : samples_) {
    sum_x += static_cast<double>(s.mono_us - base_mono_us_);
    sum_y += static_cast<double>(s.position_us - base_position_us_);
  }
  mean_x_us_ = sum_x / n;
  mean_y_us_ = sum_y / n;
  double sxx = 0, sxy = 0;
  for (const auto& s : samples_) {
    const double dx = static_cast<double>(s.mono_us - base_mono_us_) - mean_x_us_;
    sxx += dx * dx;
    sxy += dx * (static_cast<double>(s.position_us - base_position_us_) - mean_y_us_);
  }
  // Ridge regression towards the commanded rate. Report noise: a uniform phase within a
  // frame (frame / sqrt(12)) plus a millisecond of delivery jitter.
  const double quantum_us = static_cast<double>(frame_duration_us_);
  const double noise_var_us2 = quantum_us * quantum_us / 12.0 + 1000.0 * 1000.0;
  const double prior_precision = 1.0 / (config_.rate_prior_sd * config_.rate_prior_sd);
  slope_ = (sxy / noise_var_us2 + nominal_rate_ * prior_precision) /
           (sxx / noise_var_us2 + prior_precision);

  double sum_r2 = 0;
  for (const auto& s : samples_) {
    const double r = static_cast<double>(s.position_us - base_position_us_) - line_at(s.mono_us);
    sum_r2 += r * r;
  }
  residual_rms_us_ = std::sqrt(sum_r2 / n);
}

double PositionFilter::line_at(std::int64_t mono_us) const {
  return mean_y_us_ + slope_ * (static_cast<double>(mono_us - base_mono_us_) - mean_x_us_);
}

std::int64_t PositionFilter::position_at_us(std::int64_t mono_us) const {
  assert(!samples_.empty());
  // While paused every report is the same frame: no half-frame phase to add.
  const double phase_us = nominal_rate_ > 0 ? static_cast<double>(frame_duration_us_) / 2.0 : 0.0;
  return base_position_us_ + static_cast<std::int64_t>(std::llround(line_at(mono_us) + phase_us));
}

}  // namespace streamsync
