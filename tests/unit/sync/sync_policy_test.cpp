#include "sync/sync_policy.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

namespace streamsync {
namespace {

TEST(SyncPolicy, DefaultsAreValid) {
  EXPECT_EQ(validate(SyncPolicy{}), std::nullopt);
}

struct InvalidCase {
  const char* field;
  std::function<void(SyncPolicy&)> break_it;
};

TEST(SyncPolicy, EachInvalidFieldIsNamed) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const InvalidCase cases[] = {
      {"deadband_us", [](SyncPolicy& p) { p.deadband_us = 999; }},
      {"deadband_us", [](SyncPolicy& p) { p.deadband_us = 500'001; }},
      {"max_rate_deviation", [](SyncPolicy& p) { p.max_rate_deviation = 0.0; }},
      {"max_rate_deviation", [](SyncPolicy& p) { p.max_rate_deviation = 0.51; }},
      {"max_rate_deviation", [nan](SyncPolicy& p) { p.max_rate_deviation = nan; }},
      {"rate_gain_per_s", [](SyncPolicy& p) { p.rate_gain_per_s = 0.0; }},
      {"rate_gain_per_s", [](SyncPolicy& p) { p.rate_gain_per_s = 20.5; }},
      {"hysteresis", [](SyncPolicy& p) { p.hysteresis = -0.1; }},
      {"hysteresis", [](SyncPolicy& p) { p.hysteresis = 1.0; }},
      {"hysteresis", [nan](SyncPolicy& p) { p.hysteresis = nan; }},
      {"min_rate_change_interval_us", [](SyncPolicy& p) { p.min_rate_change_interval_us = -1; }},
      {"min_rate_step", [](SyncPolicy& p) { p.min_rate_step = -0.001; }},
      {"min_rate_step", [](SyncPolicy& p) { p.min_rate_step = p.max_rate_deviation; }},
      {"seek_threshold_us", [](SyncPolicy& p) { p.seek_threshold_us = p.deadband_us; }},
      {"initial_seek_latency_us", [](SyncPolicy& p) { p.initial_seek_latency_us = -1; }},
      {"initial_seek_latency_us", [](SyncPolicy& p) { p.initial_seek_latency_us = 30'000'001; }},
      {"initial_resume_latency_us",
       [](SyncPolicy& p) { p.initial_resume_latency_us = -1'000'001; }},
      {"initial_resume_latency_us", [](SyncPolicy& p) { p.initial_resume_latency_us = 1'000'001; }},
      {"seek_margin_us", [](SyncPolicy& p) { p.seek_margin_us = -1; }},
      {"rate_settle_us", [](SyncPolicy& p) { p.rate_settle_us = -1; }},
      {"servo_window_us", [](SyncPolicy& p) { p.servo_window_us = 999'999; }},
      {"min_servo_step_ppm", [](SyncPolicy& p) { p.min_servo_step_ppm = -1.0; }},
      {"min_servo_step_ppm", [nan](SyncPolicy& p) { p.min_servo_step_ppm = nan; }},
      {"max_drift_trim_ppm", [](SyncPolicy& p) { p.max_drift_trim_ppm = -1.0; }},
      {"max_drift_trim_ppm", [](SyncPolicy& p) { p.max_drift_trim_ppm = 10'001.0; }},
      {"max_servo_pull_ppm", [](SyncPolicy& p) { p.max_servo_pull_ppm = -1.0; }},
      {"max_servo_pull_ppm", [](SyncPolicy& p) { p.max_servo_pull_ppm = 10'001.0; }},
  };
  for (const auto& c : cases) {
    SyncPolicy policy;
    c.break_it(policy);
    const auto message = validate(policy);
    ASSERT_TRUE(message.has_value()) << c.field << " should be rejected";
    // The message names this field first (not merely a longer name containing it).
    EXPECT_EQ(message->rfind(std::string(c.field) + " ", 0), 0u) << *message;
  }
}

TEST(SyncPolicy, BoundaryValuesAreValid) {
  SyncPolicy p;
  p.deadband_us = 1'000;
  p.max_rate_deviation = 0.5;
  p.rate_gain_per_s = 20.0;
  p.hysteresis = 0.0;
  p.min_rate_change_interval_us = 0;
  p.min_rate_step = 0.0;
  p.seek_threshold_us = 1'001;
  p.initial_seek_latency_us = 30'000'000;
  p.initial_resume_latency_us = -1'000'000;
  p.seek_margin_us = 0;
  p.rate_settle_us = 0;
  p.servo_window_us = 1'000'000;
  p.min_servo_step_ppm = 0.0;
  p.max_drift_trim_ppm = 10'000.0;
  p.max_servo_pull_ppm = 0.0;
  EXPECT_EQ(validate(p), std::nullopt) << validate(p).value_or("");
}

TEST(SyncPolicy, LargestDeadbandIsValid) {
  SyncPolicy p;
  p.deadband_us = 500'000;
  EXPECT_EQ(validate(p), std::nullopt);
}

}  // namespace
}  // namespace streamsync
