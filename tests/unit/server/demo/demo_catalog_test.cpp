#include "demo/demo_catalog.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace streamsync::server {
namespace {

constexpr std::int64_t kHourUs = 3'600'000'000;

TEST(DemoCatalog, DefaultSpecsAreTwoDistinctValidVideos) {
  const auto specs = default_demo_specs();
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].title, "Test pattern A");
  EXPECT_EQ(specs[0].duration_us, 30'000'000);
  EXPECT_EQ(specs[0].pattern, "testsrc2");
  EXPECT_EQ(specs[0].tone_hz, 440);
  EXPECT_EQ(specs[1].title, "Test pattern B");
  EXPECT_EQ(specs[1].duration_us, 20'000'000);
  EXPECT_NE(specs[1].pattern, specs[0].pattern);
  EXPECT_EQ(specs[1].tone_hz, 660);
  EXPECT_NE(specs[0].id, specs[1].id);
  for (const auto& spec : specs) {
    EXPECT_EQ(validate_demo_video_spec(spec), std::nullopt) << spec.id;
    EXPECT_EQ(spec.duration_us % 2'000'000, 0) << "whole 2 s segments";
    EXPECT_EQ(spec.renditions, default_demo_renditions());
  }
}

TEST(DemoCatalog, StartIsTheCurrentHour) {
  const std::int64_t hour_start = 472'222 * kHourUs;  // 2023-11-14T22:00:00Z
  EXPECT_EQ(demo_start_at_us(hour_start), hour_start);
  EXPECT_EQ(demo_start_at_us(hour_start + 1), hour_start);
  EXPECT_EQ(demo_start_at_us(hour_start + kHourUs - 1), hour_start);
  EXPECT_EQ(demo_start_at_us(hour_start + kHourUs), hour_start + kHourUs);
}

TEST(DemoCatalog, StartFloorsBeforeTheEpoch) {
  EXPECT_EQ(demo_start_at_us(-1), -kHourUs);
  EXPECT_EQ(demo_start_at_us(0), 0);
}

}  // namespace
}  // namespace streamsync::server
