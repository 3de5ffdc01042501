#include "sync/position_filter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace streamsync {
namespace {

constexpr std::int64_t kStartMonoUs = 2'000'000'000;
constexpr std::int64_t kFrameUs = 33'333;  // 30 fps

// Reports as mpv gives them: the start time of the frame on screen, read at random moments
// 20..40 ms apart, while the true position runs continuously at `rate`.
class QuantisedPlayer {
 public:
  QuantisedPlayer(double rate, std::int64_t start_position_us, std::uint64_t seed)
      : rate_(rate), start_position_us_(start_position_us), rng_(seed), gap_us_(20'000, 40'000) {}

  double true_position_us(std::int64_t mono_us) const {
    return static_cast<double>(start_position_us_) +
           rate_ * static_cast<double>(mono_us - kStartMonoUs);
  }
  std::int64_t report_us(std::int64_t mono_us) const {
    const auto frame = static_cast<std::int64_t>(std::floor(true_position_us(mono_us) / kFrameUs));
    return frame * kFrameUs;
  }
  std::int64_t next_mono_us() { return mono_us_ += gap_us_(rng_); }

 private:
  double rate_;
  std::int64_t start_position_us_;
  std::mt19937 rng_;
  std::uniform_int_distribution<std::int64_t> gap_us_;
  std::int64_t mono_us_ = kStartMonoUs;
};

struct ErrorStats {
  double mean_us = 0;
  double rms_us = 0;
  double max_abs_us = 0;
};

// Feeds `reports` quantised reports; measures estimate − truth at each report once the
// window has filled (after 60 reports).
ErrorStats run(PositionFilter& filter, QuantisedPlayer& player, int reports) {
  std::vector<double> errors_us;
  for (int i = 0; i < reports; ++i) {
    const std::int64_t mono_us = player.next_mono_us();
    EXPECT_EQ(filter.add(mono_us, player.report_us(mono_us)), PositionFilter::AddResult::accepted);
    if (i >= 60) {
      errors_us.push_back(static_cast<double>(filter.position_at_us(mono_us)) -
                          player.true_position_us(mono_us));
    }
  }
  ErrorStats stats;
  for (const double e : errors_us) {
    stats.mean_us += e;
    stats.rms_us += e * e;
    stats.max_abs_us = std::max(stats.max_abs_us, std::abs(e));
  }
  stats.mean_us /= static_cast<double>(errors_us.size());
  stats.rms_us = std::sqrt(stats.rms_us / static_cast<double>(errors_us.size()));
  return stats;
}

TEST(PositionFilter, QuantisedReportsGiveEstimateWithinTwoMilliseconds) {
  PositionFilter filter;
  filter.reset(1.0);
  filter.set_frame_duration_us(kFrameUs);
  QuantisedPlayer player(1.0, 90'000'000, 11);
  const ErrorStats stats = run(filter, player, 1'000);
  // A single report is off by up to a frame (33 ms, sd 9.6 ms); ~48 reports in the window
  // bring that to ~1.4 ms at their centre and ~2 ms at the newest one.
  EXPECT_LT(stats.rms_us, 2'300.0);
  EXPECT_LT(stats.max_abs_us, 6'000.0);
  EXPECT_NEAR(filter.rate(), 1.0, 0.001);
  EXPECT_TRUE(filter.settled());
  EXPECT_LT(filter.residual_rms_us(), static_cast<double>(kFrameUs) / std::sqrt(12.0) * 1.3);
  EXPECT_GT(filter.residual_rms_us(), static_cast<double>(kFrameUs) / std::sqrt(12.0) * 0.7);
}

TEST(PositionFilter, SlopeFollowsCommandedRate) {
  for (const double rate : {0.95, 1.05}) {
    SCOPED_TRACE(testing::Message() << "rate " << rate);
    PositionFilter filter;
    filter.reset(rate);
    filter.set_frame_duration_us(kFrameUs);
    QuantisedPlayer player(rate, 10'000'000, 3);
    const ErrorStats stats = run(filter, player, 400);
    EXPECT_NEAR(filter.rate(), rate, 0.002);
    EXPECT_LT(stats.rms_us, 2'500.0);
  }
}

TEST(PositionFilter, HalfFrameCorrectionRemovesReportBias) {
  PositionFilter corrected;
  corrected.reset(1.0);
  corrected.set_frame_duration_us(kFrameUs);
  QuantisedPlayer player_a(1.0, 5'000'000, 77);
  const ErrorStats with = run(corrected, player_a, 1'500);

  PositionFilter uncorrected;  // frame duration unknown
  uncorrected.reset(1.0);
  QuantisedPlayer player_b(1.0, 5'000'000, 77);
  const ErrorStats without = run(uncorrected, player_b, 1'500);

  EXPECT_NEAR(with.mean_us, 0.0, 700.0);
  EXPECT_NEAR(without.mean_us, -static_cast<double>(kFrameUs) / 2.0, 700.0);
}

TEST(PositionFilter, EarlyEstimateUsesCommandedRate) {
  PositionFilter filter;
  filter.reset(1.0);
  EXPECT_EQ(filter.sample_count(), 0u);
  EXPECT_FALSE(filter.settled());
  filter.add(kStartMonoUs, 4'000'000);
  EXPECT_EQ(filter.position_at_us(kStartMonoUs + 500'000), 4'500'000);
  EXPECT_DOUBLE_EQ(filter.rate(), 1.0);
}

TEST(PositionFilter, SettlesAfterConfiguredSampleCount) {
  PositionFilterConfig config;
  config.settled_after_samples = 4;
  PositionFilter filter(config);
  filter.reset(1.0);
  for (int i = 0; i < 3; ++i) filter.add(kStartMonoUs + i * 30'000, i * 30'000);
  EXPECT_FALSE(filter.settled());
  filter.add(kStartMonoUs + 90'000, 90'000);
  EXPECT_TRUE(filter.settled());
}

TEST(PositionFilter, FarReportIsDiscontinuityAndRestartsFit) {
  PositionFilter filter;
  filter.reset(1.0);
  std::int64_t mono_us = kStartMonoUs;
  for (int i = 0; i < 20; ++i, mono_us += 30'000)
    filter.add(mono_us, 1'000'000 + (mono_us - kStartMonoUs));
  ASSERT_TRUE(filter.settled());
  // 50 ms off the line: jitter, not a jump.
  EXPECT_EQ(filter.add(mono_us, 1'000'000 + (mono_us - kStartMonoUs) + 50'000),
            PositionFilter::AddResult::accepted);
  mono_us += 30'000;
  // Someone seeked 5 s ahead without telling us.
  const std::int64_t jumped_us = 6'000'000 + (mono_us - kStartMonoUs);
  EXPECT_EQ(filter.add(mono_us, jumped_us), PositionFilter::AddResult::discontinuity);
  EXPECT_EQ(filter.sample_count(), 1u);
  EXPECT_FALSE(filter.settled());
  EXPECT_EQ(filter.position_at_us(mono_us), jumped_us);
}

TEST(PositionFilter, BackwardJumpIsDiscontinuity) {
  PositionFilter filter;
  filter.reset(1.0);
  std::int64_t mono_us = kStartMonoUs;
  for (int i = 0; i < 10; ++i, mono_us += 30'000)
    filter.add(mono_us, 8'000'000 + (mono_us - kStartMonoUs));
  EXPECT_EQ(filter.add(mono_us, 7'000'000), PositionFilter::AddResult::discontinuity);
  EXPECT_EQ(filter.position_at_us(mono_us), 7'000'000);
}

TEST(PositionFilter, PausedEstimateStaysOnTheHeldFrame) {
  PositionFilter filter;
  filter.set_frame_duration_us(kFrameUs);
  filter.reset(0.0);
  const std::int64_t held_us = 12 * kFrameUs;
  for (int i = 0; i < 10; ++i) filter.add(kStartMonoUs + i * 30'000, held_us);
  // No half-frame phase and no motion while paused.
  EXPECT_EQ(filter.position_at_us(kStartMonoUs + 300'000), held_us);
  EXPECT_EQ(filter.position_at_us(kStartMonoUs + 5'000'000), held_us);
  EXPECT_DOUBLE_EQ(filter.rate(), 0.0);
  EXPECT_DOUBLE_EQ(filter.residual_rms_us(), 0.0);
}

TEST(PositionFilter, ResetForgetsOldReports) {
  PositionFilter filter;
  filter.reset(1.0);
  for (int i = 0; i < 10; ++i) filter.add(kStartMonoUs + i * 30'000, 1'000'000 + i * 30'000);
  filter.reset(1.0);
  EXPECT_EQ(filter.sample_count(), 0u);
  filter.add(kStartMonoUs + 400'000, 20'000'000);
  EXPECT_EQ(filter.position_at_us(kStartMonoUs + 400'000), 20'000'000);
}

}  // namespace
}  // namespace streamsync
