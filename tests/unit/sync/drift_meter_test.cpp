#include "sync/drift_meter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace streamsync {
namespace {

constexpr std::int64_t kStartMonoUs = 3'600'000'000;  // an hour of uptime: big x values

TEST(DriftMeter, EmptyAndSingleSampleHaveNoSlope) {
  DriftMeter meter;
  EXPECT_EQ(meter.count(), 0u);
  EXPECT_EQ(meter.span_us(), 0);
  EXPECT_DOUBLE_EQ(meter.slope_ppm(), 0.0);
  EXPECT_DOUBLE_EQ(meter.error_at_end_us(), 0.0);
  meter.add(kStartMonoUs, 700);
  EXPECT_DOUBLE_EQ(meter.slope_ppm(), 0.0);
  EXPECT_DOUBLE_EQ(meter.error_at_end_us(), 700.0);
}

TEST(DriftMeter, SlopeOfKnownLineInPpm) {
  // error = 250 µs + 80 µs per second: 80 ppm.
  DriftMeter meter;
  for (int i = 0; i <= 200; ++i) {
    const std::int64_t dt_us = std::int64_t{i} * 100'000;
    meter.add(kStartMonoUs + dt_us, 250 + 80 * dt_us / 1'000'000);
  }
  EXPECT_EQ(meter.count(), 201u);
  EXPECT_EQ(meter.span_us(), 20'000'000);
  EXPECT_NEAR(meter.slope_ppm(), 80.0, 0.01);
  EXPECT_NEAR(meter.error_at_end_us(), 250.0 + 80.0 * 20.0, 0.5);
}

TEST(DriftMeter, NegativeSlope) {
  DriftMeter meter;
  for (int i = 0; i <= 10; ++i) meter.add(kStartMonoUs + i * 1'000'000, -150 * i);
  EXPECT_NEAR(meter.slope_ppm(), -150.0, 1e-6);
  EXPECT_NEAR(meter.error_at_end_us(), -1'500.0, 1e-6);
}

TEST(DriftMeter, ErrorAtEndIsLessNoisyThanTheLastSample) {
  // A 40 ppm line with ±300 µs of uniform noise (slope sd ≈ 1.5 ppm); the last sample is
  // an outlier 3 ms off.
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::int64_t> noise_us(-300, 300);
  DriftMeter meter;
  for (int i = 0; i < 400; ++i) {
    const std::int64_t dt_us = std::int64_t{i} * 50'000;
    meter.add(kStartMonoUs + dt_us, 40 * dt_us / 1'000'000 + noise_us(rng));
  }
  meter.add(kStartMonoUs + 400 * 50'000, 800 + 3'000);
  EXPECT_NEAR(meter.slope_ppm(), 40.0, 8.0);
  EXPECT_NEAR(meter.error_at_end_us(), 800.0, 100.0);  // the outlier alone says 3800
}

TEST(DriftMeter, AllSamplesAtOneInstantHaveNoSlope) {
  DriftMeter meter;
  meter.add(kStartMonoUs, 0);
  meter.add(kStartMonoUs, 1'000);
  EXPECT_DOUBLE_EQ(meter.slope_ppm(), 0.0);
  EXPECT_DOUBLE_EQ(meter.error_at_end_us(), 500.0);
}

TEST(DriftMeter, ResetStartsOver) {
  DriftMeter meter;
  for (int i = 0; i < 5; ++i) meter.add(kStartMonoUs + i * 1'000'000, 100 * i);
  meter.reset();
  EXPECT_EQ(meter.count(), 0u);
  EXPECT_EQ(meter.span_us(), 0);
  meter.add(kStartMonoUs + 10'000'000, 0);
  meter.add(kStartMonoUs + 12'000'000, -20);
  EXPECT_NEAR(meter.slope_ppm(), -10.0, 1e-9);
  EXPECT_EQ(meter.span_us(), 2'000'000);
}

}  // namespace
}  // namespace streamsync
