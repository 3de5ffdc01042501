#include "timeline/schedule.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace streamsync {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

Schedule valid_schedule() {
  return Schedule{"lobby",
                  7,
                  1'700'000'000'000'000,
                  1'700'000'060'000'000,
                  true,
                  {{"intro", 0, 30'000'000}, {"talk", 5'000'000, 1'800'000'000}, {"outro", 0, 1}}};
}

// Asserts that validate() refuses schedule for exactly this field and message.
void expect_error(const Schedule& schedule, const std::string& field, const std::string& message) {
  const std::optional<ScheduleError> error = validate(schedule);
  ASSERT_TRUE(error.has_value()) << "expected an error for " << field;
  EXPECT_EQ(error->field, field);
  EXPECT_EQ(error->message, message);
}

TEST(Schedule, ValidScheduleHasNoError) {
  EXPECT_EQ(validate(valid_schedule()), std::nullopt);
}

TEST(Schedule, EqualityComparesEveryField) {
  Schedule other = valid_schedule();
  EXPECT_EQ(other, valid_schedule());
  other.items[2].in_point_us = 1;
  EXPECT_NE(other, valid_schedule());
}

TEST(Schedule, RejectsEmptyChannelId) {
  Schedule schedule = valid_schedule();
  schedule.channel_id.clear();
  expect_error(schedule, "channel_id", "must not be empty");
}

TEST(Schedule, RejectsNegativeRevision) {
  Schedule schedule = valid_schedule();
  schedule.revision = -1;
  expect_error(schedule, "revision", "must be >= 0, got -1");
}

TEST(Schedule, AcceptsRevisionZero) {
  Schedule schedule = valid_schedule();
  schedule.revision = 0;
  EXPECT_EQ(validate(schedule), std::nullopt);
}

TEST(Schedule, RejectsEffectiveAtBefore1970) {
  Schedule schedule = valid_schedule();
  schedule.effective_at_us = -1;
  expect_error(schedule, "effective_at_us",
               "must be a server time in [0, 16725225600000000] (microseconds since the Unix "
               "epoch, years 1970 to 2500), got -1");
}

TEST(Schedule, RejectsEffectiveAtAfter2500) {
  Schedule schedule = valid_schedule();
  schedule.effective_at_us = kMaxScheduleTimeUs + 1;
  expect_error(schedule, "effective_at_us",
               "must be a server time in [0, 16725225600000000] (microseconds since the Unix "
               "epoch, years 1970 to 2500), got 16725225600000001");
}

TEST(Schedule, RejectsStartAtBefore1970) {
  Schedule schedule = valid_schedule();
  schedule.start_at_us = std::numeric_limits<std::int64_t>::min();
  expect_error(schedule, "start_at_us",
               "must be a server time in [0, 16725225600000000] (microseconds since the Unix "
               "epoch, years 1970 to 2500), got -9223372036854775808");
}

TEST(Schedule, RejectsStartAtAfter2500) {
  Schedule schedule = valid_schedule();
  schedule.start_at_us = kInt64Max;
  expect_error(schedule, "start_at_us",
               "must be a server time in [0, 16725225600000000] (microseconds since the Unix "
               "epoch, years 1970 to 2500), got 9223372036854775807");
}

TEST(Schedule, AcceptsTimesAtBothEndsOfTheRange) {
  Schedule schedule = valid_schedule();
  schedule.effective_at_us = kMinScheduleTimeUs;
  schedule.start_at_us = kMaxScheduleTimeUs;
  EXPECT_EQ(validate(schedule), std::nullopt);
  schedule.effective_at_us = kMaxScheduleTimeUs;
  schedule.start_at_us = kMinScheduleTimeUs;
  EXPECT_EQ(validate(schedule), std::nullopt);
}

TEST(Schedule, RejectsEmptyPlaylistWhetherLoopingOrNot) {
  for (const bool loop : {true, false}) {
    Schedule schedule = valid_schedule();
    schedule.loop = loop;
    schedule.items.clear();
    expect_error(schedule, "items",
                 "must hold at least one item: an empty playlist cannot be played, looping or "
                 "not");
  }
}

TEST(Schedule, RejectsEmptyVideoId) {
  Schedule schedule = valid_schedule();
  schedule.items[1].video_id.clear();
  expect_error(schedule, "items[1].video_id", "must not be empty");
}

TEST(Schedule, RejectsNegativeInPoint) {
  Schedule schedule = valid_schedule();
  schedule.items[2].in_point_us = -5;
  expect_error(schedule, "items[2].in_point_us", "must be >= 0, got -5");
}

TEST(Schedule, RejectsZeroDuration) {
  Schedule schedule = valid_schedule();
  schedule.items[0].duration_us = 0;
  expect_error(schedule, "items[0].duration_us", "must be > 0, got 0");
}

TEST(Schedule, RejectsNegativeDuration) {
  Schedule schedule = valid_schedule();
  schedule.items[1].duration_us = -30'000'000;
  expect_error(schedule, "items[1].duration_us", "must be > 0, got -30000000");
}

TEST(Schedule, RejectsMediaEndBeyondInt64) {
  Schedule schedule = valid_schedule();
  schedule.items[1].in_point_us = kInt64Max - 1'800'000'000 + 1;
  expect_error(schedule, "items[1].in_point_us",
               "in_point_us + duration_us must fit in int64 (at most 9223372036854775807), got "
               "9223372035054775808 + 1800000000");
}

TEST(Schedule, AcceptsMediaEndAtInt64Max) {
  Schedule schedule = valid_schedule();
  schedule.items[1].in_point_us = kInt64Max - 1'800'000'000;
  EXPECT_EQ(validate(schedule), std::nullopt);
}

TEST(Schedule, AcceptsTotalDurationOfExactlyTheMaximum) {
  Schedule schedule = valid_schedule();
  schedule.items = {{"a", 0, kMaxPlaylistDurationUs - 1}, {"b", 0, 1}};
  EXPECT_EQ(validate(schedule), std::nullopt);
}

TEST(Schedule, RejectsTotalDurationOverTheMaximum) {
  Schedule schedule = valid_schedule();
  schedule.items = {{"a", 0, kMaxPlaylistDurationUs - 1}, {"b", 0, 1}, {"c", 0, 1}};
  expect_error(schedule, "items",
               "total duration must be at most 3155760000000000 us (100 years); it is exceeded "
               "at items[2].duration_us");
}

TEST(Schedule, RejectsDurationsWhoseSumOverflowsInt64) {
  Schedule schedule = valid_schedule();
  schedule.items = {{"a", 0, kInt64Max}, {"b", 0, kInt64Max}};
  expect_error(schedule, "items",
               "total duration must be at most 3155760000000000 us (100 years); it is exceeded "
               "at items[0].duration_us");
}

TEST(Schedule, ReportsTheFirstBrokenRule) {
  const auto first_field = [](const Schedule& schedule) {
    return validate(schedule).value_or(ScheduleError{"(no error)", ""}).field;
  };
  Schedule schedule = valid_schedule();
  schedule.revision = -1;
  schedule.start_at_us = -1;
  schedule.items[0].duration_us = 0;
  EXPECT_EQ(first_field(schedule), "revision");
  schedule.revision = 1;
  EXPECT_EQ(first_field(schedule), "start_at_us");
  schedule.start_at_us = 0;
  EXPECT_EQ(first_field(schedule), "items[0].duration_us");
}

}  // namespace
}  // namespace streamsync
