#include "clock/clock_estimator.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>

namespace streamsync {
namespace {

constexpr double kZ95 = 1.96;

std::int64_t round_to_us(double value_us) {
  return static_cast<std::int64_t>(std::llround(value_us));
}

}  // namespace

std::string_view to_string(ClockState state) {
  switch (state) {
    case ClockState::unsynced:
      return "unsynced";
    case ClockState::converging:
      return "converging";
    case ClockState::synced:
      return "synced";
  }
  return "unknown";
}

ClockEstimator::ClockEstimator(ClockEstimatorConfig config) : config_(config) {}

void ClockEstimator::reset() {
  restart_from({});
}

SampleVerdict ClockEstimator::add(const ClockSample& sample) {
  if (is_suspect(sample)) {
    suspects_.push_back(sample);
    if (suspects_.size() < config_.step_confirm_samples || !suspects_agree()) {
      return SampleVerdict::suspect;
    }
    restart_from(std::move(suspects_));
    return SampleVerdict::step;
  }
  // A good sample between suspects shows they were spikes, not a step.
  suspects_.clear();
  if (samples_.empty()) {
    base_mono_us_ = sample.mono_us;
    base_offset_us_ = sample.offset_us;
  }
  samples_.push_back(sample);
  trim_window();
  refit();
  return SampleVerdict::accepted;
}

void ClockEstimator::restart_from(std::vector<ClockSample> samples) {
  samples_.clear();
  suspects_.clear();
  fit_ = Fit{};
  if (samples.empty()) return;
  base_mono_us_ = samples.front().mono_us;
  base_offset_us_ = samples.front().offset_us;
  samples_.assign(samples.begin(), samples.end());
  refit();
}

ClockState ClockEstimator::state() const {
  if (samples_.empty()) return ClockState::unsynced;
  if (samples_.size() < config_.synced_after_samples) return ClockState::converging;
  return ClockState::synced;
}

void ClockEstimator::trim_window() {
  const std::int64_t newest_mono_us = samples_.back().mono_us;
  while (samples_.size() > config_.window_samples ||
         newest_mono_us - samples_.front().mono_us > config_.window_us) {
    samples_.pop_front();
  }
}

double ClockEstimator::sample_variance_us2(std::int64_t delay_us) const {
  const double excess_half_us = static_cast<double>(delay_us - min_delay_us_) / 2.0;
  return noise_floor_us2_ + noise_excess_gain_ * excess_half_us * excess_half_us;
}

void ClockEstimator::learn_noise_model(const std::vector<double>& residuals_us) {
  // Ordinary least squares of r² on q = ((δ − δ_min) / 2)²: r² ≈ floor + gain × q.
  const auto n = static_cast<double>(residuals_us.size());
  double sum_q = 0, sum_r2 = 0, sum_qq = 0, sum_qr2 = 0;
  for (std::size_t i = 0; i < residuals_us.size(); ++i) {
    const double half_excess_us = static_cast<double>(samples_[i].delay_us - min_delay_us_) / 2.0;
    const double q = half_excess_us * half_excess_us;
    const double r2 = residuals_us[i] * residuals_us[i];
    sum_q += q;
    sum_r2 += r2;
    sum_qq += q * q;
    sum_qr2 += q * r2;
  }
  const double var_q = sum_qq - sum_q * sum_q / n;
  const double gain = var_q > 0 ? std::max(0.0, (sum_qr2 - sum_q * sum_r2 / n) / var_q) : 0.0;
  const double floor_us2 = (sum_r2 - gain * sum_q) / n;
  const double min_floor_us2 =
      static_cast<double>(config_.timestamp_noise_us * config_.timestamp_noise_us);
  noise_excess_gain_ = gain;
  noise_floor_us2_ = std::max(floor_us2, min_floor_us2);
}

void ClockEstimator::refit() {
  const std::size_t n = samples_.size();
  assert(n > 0);

  min_delay_us_ =
      std::min_element(samples_.begin(), samples_.end(), [](const auto& a, const auto& b) {
        return a.delay_us < b.delay_us;
      })->delay_us;
  if (n < config_.learn_noise_after_samples) {
    // Too few residuals to learn from: trust the excess delay, with the median excess as
    // the floor so that equally fast samples share the weight.
    std::vector<std::int64_t> excess_us;
    excess_us.reserve(n);
    for (const auto& s : samples_) excess_us.push_back(s.delay_us - min_delay_us_);
    const auto median = excess_us.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(excess_us.begin(), median, excess_us.end());
    const double floor_us = std::max(static_cast<double>(config_.timestamp_noise_us),
                                     static_cast<double>(*median) / 2.0);
    noise_floor_us2_ = floor_us * floor_us;
    noise_excess_gain_ = 1.0;
  }

  // Weighted sums in coordinates relative to the first sample (small, exact in double).
  double sum_w = 0, sum_wx = 0, sum_wy = 0;
  std::vector<double> weights(n), xs(n), ys(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = samples_[i];
    weights[i] = 1.0 / sample_variance_us2(s.delay_us);
    xs[i] = static_cast<double>(s.mono_us - base_mono_us_);
    ys[i] = static_cast<double>(s.offset_us - base_offset_us_);
    sum_w += weights[i];
    sum_wx += weights[i] * xs[i];
    sum_wy += weights[i] * ys[i];
  }
  const double mean_x = sum_wx / sum_w;
  const double mean_y = sum_wy / sum_w;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = xs[i] - mean_x;
    sxx += weights[i] * dx * dx;
    sxy += weights[i] * dx * (ys[i] - mean_y);
  }

  // The weights are relative; the residuals say how large the noise really is. Two passes:
  // the second uses the noise scale the first one measured.
  const double prior_slope_sd = config_.drift_prior_ppm * 1e-6;
  const double prior_precision = 1.0 / (prior_slope_sd * prior_slope_sd);
  double scale = fit_.noise_variance_scale;
  double slope = 0;
  for (int pass = 0; pass < 2; ++pass) {
    slope = (sxy / scale) / (sxx / scale + prior_precision);
    if (n < 3) break;
    double chi2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double r = ys[i] - (mean_y + slope * (xs[i] - mean_x));
      chi2 += weights[i] * r * r;
    }
    scale = std::max(chi2 / static_cast<double>(n - 2), 1e-3);
  }

  if (n >= config_.learn_noise_after_samples) {
    std::vector<double> residuals_us(n);
    for (std::size_t i = 0; i < n; ++i)
      residuals_us[i] = ys[i] - (mean_y + slope * (xs[i] - mean_x));
    learn_noise_model(residuals_us);
  }

  fit_.mean_x_us = mean_x;
  fit_.offset_at_mean_us = mean_y;
  fit_.slope = slope;
  fit_.noise_variance_scale = scale;
  fit_.offset_variance_us2 = scale / sum_w;
  fit_.slope_variance = 1.0 / (sxx / scale + prior_precision);
}

double ClockEstimator::fitted_offset_us(std::int64_t mono_us) const {
  const double x = static_cast<double>(mono_us - base_mono_us_);
  return fit_.offset_at_mean_us + fit_.slope * (x - fit_.mean_x_us);
}

double ClockEstimator::prediction_variance_us2(std::int64_t mono_us) const {
  const double dx = static_cast<double>(mono_us - base_mono_us_) - fit_.mean_x_us;
  return fit_.offset_variance_us2 + dx * dx * fit_.slope_variance;
}

std::int64_t ClockEstimator::server_now_us(std::int64_t mono_us) const {
  assert(state() != ClockState::unsynced);
  return mono_us + base_offset_us_ + round_to_us(fitted_offset_us(mono_us));
}

std::int64_t ClockEstimator::error_bound_us(std::int64_t mono_us) const {
  if (samples_.size() < 3) return max_asymmetry_error_us();  // too few to judge the noise
  return round_to_us(kZ95 * std::sqrt(prediction_variance_us2(mono_us)));
}

std::int64_t ClockEstimator::max_asymmetry_error_us() const {
  return min_delay_us_ / 2;
}

std::int64_t ClockEstimator::min_delay_us() const {
  return min_delay_us_;
}

double ClockEstimator::drift_ppm() const {
  return fit_.slope * 1e6;
}

bool ClockEstimator::is_suspect(const ClockSample& sample) const {
  if (samples_.size() < 3) return false;
  const double residual_us =
      static_cast<double>(sample.offset_us - base_offset_us_) - fitted_offset_us(sample.mono_us);
  const double scatter_us2 = fit_.noise_variance_scale * sample_variance_us2(sample.delay_us) +
                             prediction_variance_us2(sample.mono_us);
  const double threshold_us = std::max(static_cast<double>(config_.step_threshold_min_us),
                                       config_.step_threshold_sigma * std::sqrt(scatter_us2));
  return std::abs(residual_us) > threshold_us;
}

bool ClockEstimator::suspects_agree() const {
  // A step moves every later sample by the same amount: the suspects must agree with each
  // other to within their own round trips, which random spikes do not.
  const auto [lo, hi] =
      std::minmax_element(suspects_.begin(), suspects_.end(),
                          [](const auto& a, const auto& b) { return a.offset_us < b.offset_us; });
  const auto slowest =
      std::max_element(suspects_.begin(), suspects_.end(),
                       [](const auto& a, const auto& b) { return a.delay_us < b.delay_us; });
  const std::int64_t spread_us = hi->offset_us - lo->offset_us;
  return spread_us <= std::max(config_.step_threshold_min_us, slowest->delay_us);
}

}  // namespace streamsync
