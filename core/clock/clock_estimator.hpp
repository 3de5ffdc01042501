#pragma once

// ClockEstimator: maps the client's monotonic clock to the server's clock from a stream
// of NTP-style samples. It knows nothing of playback; the player asks it only "what is
// server time now" (server_now_us) and how sure it is (error_bound_us).
//
// Model: server_time = mono + offset(mono), offset a straight line whose slope is the
// relative frequency error of the two clocks (drift, in ppm). The line is a weighted
// least-squares fit through every sample of a long window:
//  - weights follow the NTP clock filter's insight that a sample's round trip bounds its
//    error (|error| <= (δ − δ_min) / 2 when the fastest path is symmetric). How much the
//    excess delay really predicts the error depends on the network: with queueing delays
//    (most real paths, netem's uniform jitter) the fast samples are nearly exact, with
//    normal jitter on both legs it predicts nothing. So the estimator learns it: it
//    regresses the squared residuals on the squared half-excess delays (variance = floor +
//    k × excess²) and weighs each sample by the inverse. Fast samples dominate where they
//    deserve to; elsewhere jitter is averaged away over many samples;
//  - the slope carries a prior (crystal oscillators are within ~±100 ppm), which keeps a
//    few noisy early samples from inventing a huge drift and lets the data take over as
//    the window grows (Bayesian linear regression, closed form);
//  - a sample far outside the fit is held back as a suspect; several agreeing suspects
//    in a row mean the server clock stepped (or the server restarted), and the window
//    restarts from them instead of averaging through the step.
// Path asymmetry shifts every sample alike and cannot be seen from the client: the
// estimate is off by (δ_out − δ_back) / 2, which error_bound_us does not include but
// max_asymmetry_error_us bounds.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "clock/clock_sample.hpp"

namespace streamsync {

struct ClockEstimatorConfig {
  std::size_t window_samples = 2048;               // at a 0.25 s poll, ~8.5 minutes
  std::int64_t window_us = 15LL * 60 * 1'000'000;  // samples older than this are dropped
  double drift_prior_ppm = 100.0;                  // 1σ of the expected clock drift
  std::size_t synced_after_samples = 8;            // one start-up burst
  double step_threshold_sigma = 6.0;               // how far outside the fit a suspect is
  std::int64_t step_threshold_min_us = 5'000;      // never call less than this a step
  std::size_t step_confirm_samples = 3;            // agreeing suspects that make a step
  std::int64_t timestamp_noise_us = 5;             // resolution of the four timestamps
  std::size_t learn_noise_after_samples = 32;      // before this, assume variance = excess²
};

enum class ClockState {
  unsynced,    // no sample yet: server_now_us has nothing to say
  converging,  // fewer samples than one burst since start or since a step
  synced,
};

std::string_view to_string(ClockState state);

// What add() made of a sample.
enum class SampleVerdict {
  accepted,  // part of the fit now
  suspect,   // far outside the fit: held back; poll again soon to confirm or refute it
  step,      // confirmed clock step: the fit restarted from the suspects (state converging)
};

class ClockEstimator {
 public:
  explicit ClockEstimator(ClockEstimatorConfig config = {});

  // Feeds one sample. Samples arrive in the order they were taken (non-decreasing mono_us).
  SampleVerdict add(const ClockSample& sample);

  // Forgets everything (state unsynced).
  void reset();

  ClockState state() const;

  // Server time (µs since the Unix epoch) at client monotonic time mono_us. Precondition:
  // state() != unsynced.
  std::int64_t server_now_us(std::int64_t mono_us) const;

  // 95% bound on the statistical error of server_now_us(mono_us): grows when mono_us is
  // far from the samples. Does not include path asymmetry (see max_asymmetry_error_us).
  std::int64_t error_bound_us(std::int64_t mono_us) const;

  // Worst-case error from path asymmetry: half the fastest round trip in the window.
  std::int64_t max_asymmetry_error_us() const;

  // Fastest round trip in the window.
  std::int64_t min_delay_us() const;

  // Server clock rate relative to the client's monotonic clock, in parts per million.
  double drift_ppm() const;

  std::size_t sample_count() const { return samples_.size(); }

 private:
  struct Fit {
    double mean_x_us = 0;          // weighted mean sample time, relative to base_mono_us_
    double offset_at_mean_us = 0;  // fitted offset there, relative to base_offset_us_
    double slope = 0;              // d(offset)/d(mono), dimensionless
    double offset_variance_us2 = 0;
    double slope_variance = 0;
    double noise_variance_scale = 1;  // reduced χ² of the last fit
  };

  void restart_from(std::vector<ClockSample> samples);
  void trim_window();
  void refit();
  void learn_noise_model(const std::vector<double>& residuals_us);
  double fitted_offset_us(std::int64_t mono_us) const;  // relative to base_offset_us_
  double prediction_variance_us2(std::int64_t mono_us) const;
  double sample_variance_us2(std::int64_t delay_us) const;  // expected scatter of a sample
  bool is_suspect(const ClockSample& sample) const;
  bool suspects_agree() const;

  ClockEstimatorConfig config_;
  std::deque<ClockSample> samples_;
  std::vector<ClockSample> suspects_;
  std::int64_t base_mono_us_ = 0;  // keeps the fit in small numbers: doubles stay exact
  std::int64_t base_offset_us_ = 0;
  std::int64_t min_delay_us_ = 0;
  // A sample's variance: noise_floor + noise_excess_gain × ((δ − δ_min) / 2)², in µs².
  double noise_floor_us2_ = 0;
  double noise_excess_gain_ = 1;
  Fit fit_;
};

}  // namespace streamsync
