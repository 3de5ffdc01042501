#include "clock/clock_estimator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>

#include "clock/clock_sample.hpp"

namespace streamsync {
namespace {

constexpr std::int64_t kServerEpochUs = 1'700'000'000'000'000;  // server Unix time ~2023
constexpr std::int64_t kStartMonoUs = 5'000'000;                // client booted 5 s ago
constexpr std::int64_t kPollUs = 250'000;

// A simulated path: each leg takes base_leg_us plus a uniform queueing delay in
// [0, jitter_us]; the server clock runs drift_ppm faster than the client's.
class Network {
 public:
  Network(std::int64_t offset_us, double drift_ppm, std::int64_t base_leg_us,
          std::int64_t jitter_us, std::uint64_t seed)
      : offset_us_(offset_us),
        drift_ppm_(drift_ppm),
        base_leg_us_(base_leg_us),
        jitter_(0, jitter_us),
        rng_(seed) {}

  // The true server-minus-mono offset at mono_us.
  double true_offset_us(std::int64_t mono_us) const {
    return static_cast<double>(offset_us_) +
           drift_ppm_ * 1e-6 * static_cast<double>(mono_us - kStartMonoUs);
  }

  // The exchange taken around mono_us, reduced exactly as make_clock_sample does.
  ClockSample sample_at(std::int64_t mono_us) {
    const std::int64_t out_us = base_leg_us_ + jitter_(rng_);
    const std::int64_t back_us = base_leg_us_ + jitter_(rng_);
    ClockSample s;
    s.mono_us = mono_us;
    s.delay_us = out_us + back_us;
    s.offset_us =
        std::llround(true_offset_us(mono_us) + static_cast<double>(out_us - back_us) / 2.0);
    return s;
  }

 private:
  std::int64_t offset_us_;
  double drift_ppm_;
  std::int64_t base_leg_us_;
  std::uniform_int_distribution<std::int64_t> jitter_;
  std::mt19937_64 rng_;
};

ClockSample exact_sample(std::int64_t mono_us, std::int64_t offset_us, std::int64_t delay_us) {
  ClockSample s;
  s.mono_us = mono_us;
  s.offset_us = offset_us;
  s.delay_us = delay_us;
  return s;
}

// Feeds `count` noiseless samples (offset_us, delay_us) one poll apart; returns the next mono.
std::int64_t feed_exact(ClockEstimator& estimator, std::int64_t first_mono_us, int count,
                        std::int64_t offset_us, std::int64_t delay_us) {
  std::int64_t mono_us = first_mono_us;
  for (int i = 0; i < count; ++i, mono_us += kPollUs) {
    EXPECT_EQ(estimator.add(exact_sample(mono_us, offset_us, delay_us)), SampleVerdict::accepted);
  }
  return mono_us;
}

TEST(ClockEstimator, StateFollowsSampleCount) {
  ClockEstimator estimator;
  EXPECT_EQ(estimator.state(), ClockState::unsynced);
  EXPECT_EQ(estimator.sample_count(), 0u);
  const ClockEstimatorConfig config;
  for (std::size_t i = 0; i + 1 < config.synced_after_samples; ++i) {
    estimator.add(
        exact_sample(kStartMonoUs + static_cast<std::int64_t>(i) * kPollUs, kServerEpochUs, 1'000));
    EXPECT_EQ(estimator.state(), ClockState::converging) << "after " << i + 1 << " samples";
  }
  estimator.add(exact_sample(kStartMonoUs + 100 * kPollUs, kServerEpochUs, 1'000));
  EXPECT_EQ(estimator.sample_count(), config.synced_after_samples);
  EXPECT_EQ(estimator.state(), ClockState::synced);
}

TEST(ClockEstimator, StateNamesAreDistinct) {
  EXPECT_EQ(to_string(ClockState::unsynced), "unsynced");
  EXPECT_EQ(to_string(ClockState::converging), "converging");
  EXPECT_EQ(to_string(ClockState::synced), "synced");
}

TEST(ClockEstimator, ZeroJitterGivesExactOffset) {
  ClockEstimator estimator;
  const std::int64_t offset_us = kServerEpochUs + 123'457;
  const std::int64_t end_mono_us = feed_exact(estimator, kStartMonoUs, 20, offset_us, 2'000);
  EXPECT_EQ(estimator.server_now_us(kStartMonoUs), kStartMonoUs + offset_us);
  EXPECT_EQ(estimator.server_now_us(end_mono_us), end_mono_us + offset_us);
  EXPECT_EQ(estimator.server_now_us(end_mono_us + 3'600'000'000),
            end_mono_us + 3'600'000'000 + offset_us);
  EXPECT_DOUBLE_EQ(estimator.drift_ppm(), 0.0);
}

TEST(ClockEstimator, FirstSampleAloneGivesItsOffset) {
  ClockEstimator estimator;
  estimator.add(exact_sample(kStartMonoUs, kServerEpochUs + 42, 900));
  EXPECT_EQ(estimator.state(), ClockState::converging);
  EXPECT_EQ(estimator.server_now_us(kStartMonoUs + 1'000'000),
            kStartMonoUs + 1'000'000 + kServerEpochUs + 42);
}

// Recovers drift within a tolerance derived from the injected noise: each leg's uniform
// jitter U[0, J] gives θ an error of sd J / sqrt(24); an unweighted least-squares line
// through n samples evenly spread over T has a slope sd of σ·sqrt(12 / n) / T. The
// estimator weights fast samples up, so it should do at least as well; allow 5 sd.
TEST(ClockEstimator, RecoversKnownDriftWithinNoiseTolerance) {
  for (const double drift_ppm : {37.5, -62.0}) {
    SCOPED_TRACE(testing::Message() << "drift " << drift_ppm << " ppm");
    constexpr std::int64_t kJitterUs = 2'000;
    constexpr int kSamples = 1'200;
    Network net(kServerEpochUs, drift_ppm, 3'000, kJitterUs, 20240607);
    ClockEstimator estimator;
    std::int64_t mono_us = kStartMonoUs;
    for (int i = 0; i < kSamples; ++i, mono_us += kPollUs) {
      EXPECT_NE(estimator.add(net.sample_at(mono_us)), SampleVerdict::step);
    }
    const double sigma_theta_us = static_cast<double>(kJitterUs) / std::sqrt(24.0);
    const double span_us = static_cast<double>(kSamples - 1) * static_cast<double>(kPollUs);
    const double slope_sd_ppm = sigma_theta_us * std::sqrt(12.0 / kSamples) / span_us * 1e6;
    EXPECT_NEAR(estimator.drift_ppm(), drift_ppm, 5 * slope_sd_ppm);
    EXPECT_LT(5 * slope_sd_ppm, 1.0);  // the tolerance really is tight next to the drift

    // Offset at the newest sample: sd ≈ 2σ / sqrt(n) at the end of the line.
    const std::int64_t last_mono_us = mono_us - kPollUs;
    const double offset_sd_us = 2 * sigma_theta_us / std::sqrt(static_cast<double>(kSamples));
    const double expected_server_us =
        static_cast<double>(last_mono_us) + net.true_offset_us(last_mono_us);
    EXPECT_NEAR(static_cast<double>(estimator.server_now_us(last_mono_us)), expected_server_us,
                5 * offset_sd_us);
    EXPECT_EQ(estimator.state(), ClockState::synced);
  }
}

TEST(ClockEstimator, PopcornSpikeBarelyMovesTheEstimate) {
  Network net(kServerEpochUs, 0.0, 2'000, 1'000, 7);
  ClockEstimator estimator;
  std::int64_t mono_us = kStartMonoUs;
  for (int i = 0; i < 64; ++i, mono_us += kPollUs) estimator.add(net.sample_at(mono_us));
  const std::int64_t probe_mono_us = mono_us + kPollUs;
  const std::int64_t before_us = estimator.server_now_us(probe_mono_us);

  // One exchange stuck 200 ms in a queue on the way out: δ huge, θ skewed by +100 ms.
  ClockSample spike;
  spike.mono_us = mono_us;
  spike.delay_us = 4'000 + 200'000;
  spike.offset_us = kServerEpochUs + 100'000;
  EXPECT_NE(estimator.add(spike), SampleVerdict::step);
  const std::int64_t after_us = estimator.server_now_us(probe_mono_us);
  EXPECT_LE(std::llabs(after_us - before_us), 200)
      << "a 100 ms skew moved the estimate by " << after_us - before_us;
  EXPECT_LE(std::llabs(after_us - (probe_mono_us + kServerEpochUs)), 500);
}

class ClockEstimatorSteps : public testing::Test {
 protected:
  static constexpr std::int64_t kOffsetUs = kServerEpochUs + 10'000;
  static constexpr std::int64_t kDelayUs = 1'000;
  static constexpr std::int64_t kJumpUs = 80'000;  // a server clock step

  void SetUp() override {
    next_mono_us_ = feed_exact(estimator_, kStartMonoUs, 16, kOffsetUs, kDelayUs);
  }

  SampleVerdict add(std::int64_t offset_us, std::int64_t delay_us = kDelayUs) {
    const SampleVerdict verdict = estimator_.add(exact_sample(next_mono_us_, offset_us, delay_us));
    next_mono_us_ += kPollUs;
    return verdict;
  }

  ClockEstimator estimator_;
  std::int64_t next_mono_us_ = 0;
};

TEST_F(ClockEstimatorSteps, FarOffLowDelaySampleIsSuspectAndDoesNotMoveTheEstimate) {
  const std::int64_t probe_mono_us = next_mono_us_ + 10'000'000;
  const std::int64_t before_us = estimator_.server_now_us(probe_mono_us);
  EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::suspect);
  EXPECT_EQ(estimator_.server_now_us(probe_mono_us), before_us);
  EXPECT_EQ(estimator_.sample_count(), 16u);
  EXPECT_EQ(estimator_.state(), ClockState::synced);
}

TEST_F(ClockEstimatorSteps, GoodSampleClearsPendingSuspects) {
  EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs), SampleVerdict::accepted);
  // Had the two earlier suspects survived, the next agreeing one would complete a step.
  EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::suspect);
  EXPECT_EQ(estimator_.sample_count(), 17u);
  EXPECT_EQ(estimator_.server_now_us(next_mono_us_), next_mono_us_ + kOffsetUs);
}

TEST_F(ClockEstimatorSteps, ThreeAgreeingFarOffSamplesStepToTheNewOffset) {
  EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs + kJumpUs + 300), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs + kJumpUs - 200), SampleVerdict::step);
  EXPECT_EQ(estimator_.state(), ClockState::converging);
  EXPECT_EQ(estimator_.sample_count(), 3u);
  EXPECT_NEAR(static_cast<double>(estimator_.server_now_us(next_mono_us_) - next_mono_us_),
              static_cast<double>(kOffsetUs + kJumpUs), 300.0);
  // The new offset is now the reference: agreeing samples are accepted, and a burst syncs.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(add(kOffsetUs + kJumpUs), SampleVerdict::accepted);
  EXPECT_EQ(estimator_.state(), ClockState::synced);
}

TEST_F(ClockEstimatorSteps, ScatteredFarOffSamplesDoNotStep) {
  // Three spikes, each far off, but 40 ms apart from each other: not one step.
  EXPECT_EQ(add(kOffsetUs + 60'000), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs + 100'000), SampleVerdict::suspect);
  EXPECT_EQ(add(kOffsetUs + 140'000), SampleVerdict::suspect);
  EXPECT_EQ(estimator_.sample_count(), 16u);
  EXPECT_EQ(estimator_.server_now_us(next_mono_us_), next_mono_us_ + kOffsetUs);
}

TEST_F(ClockEstimatorSteps, DeviationBelowMinimumStepThresholdIsAccepted) {
  // Even on a noiseless path, 4 ms off is not called a step (step_threshold_min_us = 5 ms).
  EXPECT_EQ(add(kOffsetUs + 4'000), SampleVerdict::accepted);
  EXPECT_EQ(estimator_.sample_count(), 17u);
}

TEST(ClockEstimator, ErrorBoundShrinksAsSamplesAccumulate) {
  Network net(kServerEpochUs, 20.0, 2'000, 2'000, 99);
  ClockEstimator estimator;
  std::int64_t mono_us = kStartMonoUs;
  auto feed = [&](int count) {
    for (int i = 0; i < count; ++i, mono_us += kPollUs) estimator.add(net.sample_at(mono_us));
    return estimator.error_bound_us(mono_us - kPollUs);
  };
  const std::int64_t bound_40 = feed(40);
  const std::int64_t bound_160 = feed(120);
  const std::int64_t bound_640 = feed(480);
  EXPECT_GT(bound_40, bound_160);
  EXPECT_GT(bound_160, bound_640);
  EXPECT_GT(bound_640, 0);
  // 16× the samples: the bound should shrink by roughly 4×, at least by 2×.
  EXPECT_LT(2 * bound_640, bound_40);
  // The bound is a real 95% bound for the newest instant: the true error is within it
  // (plus a little slack for the 5% this run might be in).
  const std::int64_t last_mono_us = mono_us - kPollUs;
  const double error_us = static_cast<double>(estimator.server_now_us(last_mono_us)) -
                          (static_cast<double>(last_mono_us) + net.true_offset_us(last_mono_us));
  EXPECT_LE(std::abs(error_us), 2.0 * static_cast<double>(bound_640));
}

TEST(ClockEstimator, ErrorBoundGrowsFarFromTheSamples) {
  Network net(kServerEpochUs, 0.0, 2'000, 2'000, 5);
  ClockEstimator estimator;
  std::int64_t mono_us = kStartMonoUs;
  for (int i = 0; i < 100; ++i, mono_us += kPollUs) estimator.add(net.sample_at(mono_us));
  const std::int64_t now_bound_us = estimator.error_bound_us(mono_us);
  const std::int64_t minute_bound_us = estimator.error_bound_us(mono_us + 60'000'000);
  const std::int64_t hour_bound_us = estimator.error_bound_us(mono_us + 3'600'000'000);
  EXPECT_LT(now_bound_us, minute_bound_us);
  EXPECT_LT(minute_bound_us, hour_bound_us);
  // An hour out, drift uncertainty dominates: well above the present bound.
  EXPECT_GT(hour_bound_us, 10 * now_bound_us);
}

TEST(ClockEstimator, ErrorBoundWithTooFewSamplesIsTheAsymmetryBound) {
  ClockEstimator estimator;
  estimator.add(exact_sample(kStartMonoUs, kServerEpochUs, 3'000));
  estimator.add(exact_sample(kStartMonoUs + kPollUs, kServerEpochUs, 2'400));
  EXPECT_EQ(estimator.error_bound_us(kStartMonoUs + kPollUs), 1'200);
}

TEST(ClockEstimator, MinDelayAndAsymmetryBoundFollowTheFastestSample) {
  ClockEstimator estimator;
  estimator.add(exact_sample(kStartMonoUs, kServerEpochUs, 2'001));
  EXPECT_EQ(estimator.min_delay_us(), 2'001);
  EXPECT_EQ(estimator.max_asymmetry_error_us(), 1'000);
  estimator.add(exact_sample(kStartMonoUs + kPollUs, kServerEpochUs, 1'401));
  estimator.add(exact_sample(kStartMonoUs + 2 * kPollUs, kServerEpochUs, 3'000));
  EXPECT_EQ(estimator.min_delay_us(), 1'401);
  EXPECT_EQ(estimator.max_asymmetry_error_us(), 700);
}

TEST(ClockEstimator, MinDelayForgetsSamplesThatLeftTheWindow) {
  ClockEstimatorConfig config;
  config.window_samples = 4;
  ClockEstimator estimator(config);
  estimator.add(exact_sample(kStartMonoUs, kServerEpochUs, 1'000));
  for (int i = 1; i <= 3; ++i)
    estimator.add(exact_sample(kStartMonoUs + i * kPollUs, kServerEpochUs, 3'000));
  EXPECT_EQ(estimator.min_delay_us(), 1'000);
  estimator.add(exact_sample(kStartMonoUs + 4 * kPollUs, kServerEpochUs, 3'000));
  EXPECT_EQ(estimator.sample_count(), 4u);
  EXPECT_EQ(estimator.min_delay_us(), 3'000);
  EXPECT_EQ(estimator.max_asymmetry_error_us(), 1'500);
}

TEST(ClockEstimator, ResetForgetsEverything) {
  ClockEstimator estimator;
  const std::int64_t next_mono_us = feed_exact(estimator, kStartMonoUs, 12, kServerEpochUs, 1'000);
  ASSERT_EQ(estimator.state(), ClockState::synced);
  estimator.reset();
  EXPECT_EQ(estimator.state(), ClockState::unsynced);
  EXPECT_EQ(estimator.sample_count(), 0u);
  // A sample a second away from the old fit is neither suspect nor averaged with it.
  const std::int64_t new_offset_us = kServerEpochUs - 1'000'000;
  EXPECT_EQ(estimator.add(exact_sample(next_mono_us, new_offset_us, 5'000)),
            SampleVerdict::accepted);
  EXPECT_EQ(estimator.server_now_us(next_mono_us), next_mono_us + new_offset_us);
  EXPECT_EQ(estimator.min_delay_us(), 5'000);
}

}  // namespace
}  // namespace streamsync
