#include "sync/latency_tracker.hpp"

#include <gtest/gtest.h>

namespace streamsync {
namespace {

TEST(LatencyTracker, InitialGuessUntilMeasured) {
  const LatencyTracker tracker(500'000);
  EXPECT_EQ(tracker.count(), 0u);
  EXPECT_EQ(tracker.worst_us(), 500'000);
  EXPECT_EQ(tracker.median_us(), 500'000);
}

TEST(LatencyTracker, InitialGuessStaysAFloorUntilThreeAreMeasured) {
  LatencyTracker tracker(500'000);
  tracker.add(120'000);
  EXPECT_EQ(tracker.count(), 1u);
  EXPECT_EQ(tracker.worst_us(), 500'000);
  EXPECT_EQ(tracker.median_us(), 120'000);
  tracker.add(100'000);
  EXPECT_EQ(tracker.worst_us(), 500'000);
  tracker.add(130'000);
  EXPECT_EQ(tracker.worst_us(), 130'000);
}

TEST(LatencyTracker, WorstIsTheSlowestAndMedianTheMiddle) {
  LatencyTracker tracker(0);
  for (const std::int64_t latency_us : {300, 100, 900, 200, 500}) tracker.add(latency_us);
  EXPECT_EQ(tracker.worst_us(), 900);
  EXPECT_EQ(tracker.median_us(), 300);
}

TEST(LatencyTracker, MedianIgnoresOneOutlier) {
  LatencyTracker tracker(0);
  for (const std::int64_t latency_us : {100'000, 110'000, 5'000'000}) tracker.add(latency_us);
  EXPECT_EQ(tracker.median_us(), 110'000);
  EXPECT_EQ(tracker.worst_us(), 5'000'000);
}

TEST(LatencyTracker, ForgetsOldestBeyondCapacity) {
  LatencyTracker tracker(0, 3);
  for (const std::int64_t latency_us : {900, 100, 200, 300}) tracker.add(latency_us);
  EXPECT_EQ(tracker.count(), 3u);
  EXPECT_EQ(tracker.worst_us(), 300);  // the 900 fell out
  EXPECT_EQ(tracker.median_us(), 200);
}

TEST(LatencyTracker, DefaultCapacityIsEight) {
  LatencyTracker tracker(0);
  tracker.add(1'000'000);
  for (int i = 0; i < 8; ++i) tracker.add(10);
  EXPECT_EQ(tracker.count(), 8u);
  EXPECT_EQ(tracker.worst_us(), 10);
}

}  // namespace
}  // namespace streamsync
