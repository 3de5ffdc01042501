#include "ui/time_format.hpp"

#include <gtest/gtest.h>

#include <QDateTime>

namespace streamsync::viewer {
namespace {

TEST(TimeFormat, CountdownRoundsUp) {
  EXPECT_EQ(format_countdown(83'000'000), QStringLiteral("1:23"));
  EXPECT_EQ(format_countdown(11'200'000), QStringLiteral("0:12"));
  EXPECT_EQ(format_countdown(1), QStringLiteral("0:01"));
  EXPECT_EQ(format_countdown(0), QStringLiteral("0:00"));
  EXPECT_EQ(format_countdown(-5'000'000), QStringLiteral("0:00"));
  EXPECT_EQ(format_countdown(3'723'000'000), QStringLiteral("1:02:03"));
}

TEST(TimeFormat, PositionRoundsDown) {
  EXPECT_EQ(format_position(45'999'999), QStringLiteral("0:45"));
  EXPECT_EQ(format_position(754'000'000), QStringLiteral("12:34"));
  EXPECT_EQ(format_position(36'000'000'000), QStringLiteral("10:00:00"));
}

TEST(TimeFormat, TimeOfDayIsLocal) {
  const std::int64_t instant_us = 1'700'000'000'000'000;
  EXPECT_EQ(format_time_of_day(instant_us), QDateTime::fromSecsSinceEpoch(1'700'000'000)
                                                .toLocalTime()
                                                .toString(QStringLiteral("HH:mm:ss")));
}

}  // namespace
}  // namespace streamsync::viewer
