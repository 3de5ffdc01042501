#include "sync/drift_meter.hpp"

namespace streamsync {

void DriftMeter::reset() {
  *this = DriftMeter{};
}

void DriftMeter::add(std::int64_t mono_us, std::int64_t error_us) {
  if (count_ == 0) first_mono_us_ = mono_us;
  last_mono_us_ = mono_us;
  const double x_s = static_cast<double>(mono_us - first_mono_us_) / 1e6;
  const auto y_us = static_cast<double>(error_us);
  ++count_;
  sum_x_ += x_s;
  sum_y_ += y_us;
  sum_xx_ += x_s * x_s;
  sum_xy_ += x_s * y_us;
}

double DriftMeter::slope_ppm() const {
  if (count_ < 2) return 0.0;
  const auto n = static_cast<double>(count_);
  const double sxx = sum_xx_ - sum_x_ * sum_x_ / n;
  if (sxx <= 0.0) return 0.0;
  return (sum_xy_ - sum_x_ * sum_y_ / n) / sxx;
}

double DriftMeter::error_at_end_us() const {
  if (count_ == 0) return 0.0;
  const auto n = static_cast<double>(count_);
  const double end_s = static_cast<double>(last_mono_us_ - first_mono_us_) / 1e6;
  return sum_y_ / n + slope_ppm() * (end_s - sum_x_ / n);
}

}  // namespace streamsync
