// The report arithmetic the viewer tests and the end-to-end benchmark publish numbers
// from: pairing ticks of two viewers, how much of a window could be compared, time per
// state, percentiles.

#include "sync_reports.hpp"

#include <gtest/gtest.h>

namespace streamsync::reports {
namespace {

constexpr std::int64_t kMs = 1'000'000;  // ns

TickSample tick(std::int64_t mono_ms, double pos_s, const std::string& state = "in_sync") {
  TickSample sample;
  sample.mono_ns = mono_ms * kMs;
  sample.video_id = "a";
  sample.pos_s = pos_s;
  sample.state = state;
  if (state == "in_sync" || state == "correcting") sample.error_ms = 0.0;
  return sample;
}

TEST(PairErrors, InterpolateTheOtherViewerAtEachTick) {
  const Report a = {tick(10, 1.000), tick(30, 1.020)};
  const Report b = {tick(0, 0.995), tick(20, 1.015), tick(40, 1.035)};
  const auto errors = pair_errors_ms(a, b, 0, 100 * kMs);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NEAR(errors[0], 5.0, 1e-9);  // b at 10 ms: 1.005
  EXPECT_NEAR(errors[1], 5.0, 1e-9);
}

TEST(PairErrors, SkipTicksWhereEitherViewerIsNotTracking) {
  const Report a = {tick(10, 1.0), tick(30, 1.02, "seeking"), tick(50, 1.04)};
  const Report b = {tick(0, 0.99), tick(20, 1.01), tick(40, 1.03, "buffering"), tick(60, 1.05)};
  // a's first tick pairs with b's two tracking ticks; a is seeking at 30; b buffers around 50.
  EXPECT_EQ(pair_errors_ms(a, b, 0, 100 * kMs).size(), 1u);
}

TEST(ComparisonShare, CountsTheTicksThereWereToCompare) {
  const Report a = {tick(0, 0), tick(10, 0.01), tick(20, 0.02), tick(30, 0.03)};
  const Report b = a;
  const Report c = a;
  // Pairs (a,b), (a,c) compare at a's ticks, (b,c) at b's: 3 × 4 possible in [0, 40 ms).
  EXPECT_DOUBLE_EQ(pair_comparison_share({a, b, c}, 6, 0, 40 * kMs), 0.5);
  EXPECT_DOUBLE_EQ(pair_comparison_share({a, b, c}, 12, 0, 40 * kMs), 1.0);
  // Fewer ticks (a slow machine) mean fewer possible comparisons, not a worse share.
  const Report slow = {tick(0, 0), tick(20, 0.02)};
  EXPECT_DOUBLE_EQ(pair_comparison_share({slow, slow}, 2, 0, 40 * kMs), 1.0);
  EXPECT_DOUBLE_EQ(pair_comparison_share({}, 0, 0, 40 * kMs), 0.0);
  EXPECT_EQ(ticks_between(a, 10 * kMs, 30 * kMs), 2u);
}

TEST(StateSeconds, EachTickCountsUntilTheNextWithinTheWindow) {
  const Report report = {tick(0, 0, "seeking"), tick(500, 0.5, "correcting"),
                         tick(1500, 1.5, "in_sync"), tick(4000, 4.0)};
  const auto seconds = state_seconds(report, 0, 3000 * kMs);
  EXPECT_DOUBLE_EQ(seconds.at("seeking"), 0.5);
  EXPECT_DOUBLE_EQ(seconds.at("correcting"), 1.0);
  EXPECT_DOUBLE_EQ(seconds.at("in_sync"), 1.5);  // cut at the window's end
}

TEST(Percentile, NearestRank) {
  EXPECT_EQ(percentile({}, 50), std::nullopt);
  EXPECT_EQ(percentile({3, 1, 2, 4}, 50), 2.0);
  EXPECT_EQ(percentile({3, 1, 2, 4}, 95), 4.0);
  EXPECT_EQ(percentile({3, 1, 2, 4}, 0), 1.0);
}

}  // namespace
}  // namespace streamsync::reports
