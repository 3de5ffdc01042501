#include "timeline/timeline.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace streamsync {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kStartUs = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z

// Three items of 10 s, 20 s and 30 s: a 60 s cycle with boundaries at +10 s, +30 s, +60 s.
Schedule three_items(bool loop) {
  return Schedule{
      "lobby",  1,    kStartUs,
      kStartUs, loop, {{"a", 1'000, 10'000'000}, {"b", 0, 20'000'000}, {"c", 500'000, 30'000'000}}};
}

Timeline make_timeline(Schedule schedule) {
  auto timeline = Timeline::create(std::move(schedule));
  EXPECT_TRUE(timeline.has_value()) << timeline.error().field << ": " << timeline.error().message;
  return std::move(timeline).value();
}

Resolution playing(std::size_t index, std::int64_t offset_us, std::int64_t media_us,
                   std::int64_t started_at_us, std::int64_t next_at_us) {
  return Resolution{PlaybackState::playing, index, offset_us, media_us, started_at_us, next_at_us};
}

// The reference answer, by walking the items one by one from the start of the cycle.
Resolution brute_force(const Schedule& schedule, std::int64_t t) {
  if (t < schedule.start_at_us) {
    return Resolution{
        PlaybackState::before_start, 0, 0, schedule.items[0].in_point_us, schedule.start_at_us,
        schedule.start_at_us};
  }
  std::int64_t total_us = 0;
  for (const ScheduleItem& item : schedule.items) total_us += item.duration_us;
  std::int64_t elapsed_us = t - schedule.start_at_us;
  if (!schedule.loop && elapsed_us >= total_us) {
    const std::size_t last = schedule.items.size() - 1;
    const ScheduleItem& item = schedule.items[last];
    return Resolution{PlaybackState::ended,
                      last,
                      item.duration_us,
                      item.in_point_us + item.duration_us,
                      schedule.start_at_us + total_us - item.duration_us,
                      std::nullopt};
  }
  const std::int64_t cycle_started_at_us = t - elapsed_us % total_us;
  elapsed_us %= total_us;
  std::int64_t item_start_us = 0;
  for (std::size_t i = 0;; ++i) {
    const ScheduleItem& item = schedule.items[i];
    if (elapsed_us < item_start_us + item.duration_us) {
      const std::int64_t offset_us = elapsed_us - item_start_us;
      const std::int64_t started_at_us = cycle_started_at_us + item_start_us;
      // Clamped as documented when the item would end beyond int64.
      const std::int64_t ends_at_us = started_at_us > kInt64Max - item.duration_us
                                          ? kInt64Max
                                          : started_at_us + item.duration_us;
      return playing(i, offset_us, item.in_point_us + offset_us, started_at_us, ends_at_us);
    }
    item_start_us += item.duration_us;
  }
}

TEST(Timeline, CreateRefusesAnInvalidSchedule) {
  Schedule schedule = three_items(true);
  schedule.items[1].duration_us = 0;
  const auto timeline = Timeline::create(schedule);
  ASSERT_FALSE(timeline.has_value());
  EXPECT_EQ(timeline.error().field, "items[1].duration_us");
}

TEST(Timeline, KeepsTheScheduleAndItsCycleDuration) {
  const Timeline timeline = make_timeline(three_items(true));
  EXPECT_EQ(timeline.schedule(), three_items(true));
  EXPECT_EQ(timeline.cycle_duration_us(), 60'000'000);
}

TEST(Timeline, CountsDownBeforeTheStart) {
  const Timeline timeline = make_timeline(three_items(false));
  const Resolution countdown{PlaybackState::before_start, 0, 0, 1'000, kStartUs, kStartUs};
  EXPECT_EQ(timeline.resolve(kStartUs - 1), countdown);
  EXPECT_EQ(timeline.resolve(0), countdown);
  EXPECT_EQ(timeline.resolve(kInt64Min), countdown);
}

TEST(Timeline, PlaysTheFirstItemFromItsInPointAtTheStart) {
  const Timeline timeline = make_timeline(three_items(false));
  EXPECT_EQ(timeline.resolve(kStartUs), playing(0, 0, 1'000, kStartUs, kStartUs + 10'000'000));
  EXPECT_EQ(timeline.resolve(kStartUs + 1), playing(0, 1, 1'001, kStartUs, kStartUs + 10'000'000));
}

TEST(Timeline, SwitchesItemExactlyAtEachBoundary) {
  const Timeline timeline = make_timeline(three_items(false));
  const std::int64_t b1 = kStartUs + 10'000'000;
  const std::int64_t b2 = kStartUs + 30'000'000;
  const std::int64_t end = kStartUs + 60'000'000;

  EXPECT_EQ(timeline.resolve(b1 - 1), playing(0, 9'999'999, 10'000'999, kStartUs, b1));
  EXPECT_EQ(timeline.resolve(b1), playing(1, 0, 0, b1, b2));
  EXPECT_EQ(timeline.resolve(b1 + 1), playing(1, 1, 1, b1, b2));

  EXPECT_EQ(timeline.resolve(b2 - 1), playing(1, 19'999'999, 19'999'999, b1, b2));
  EXPECT_EQ(timeline.resolve(b2), playing(2, 0, 500'000, b2, end));
  EXPECT_EQ(timeline.resolve(b2 + 1), playing(2, 1, 500'001, b2, end));

  EXPECT_EQ(timeline.resolve(end - 1), playing(2, 29'999'999, 30'499'999, b2, end));
}

TEST(Timeline, EndsAfterTheLastItemWithoutLoop) {
  const Timeline timeline = make_timeline(three_items(false));
  const std::int64_t end = kStartUs + 60'000'000;
  const Resolution ended{PlaybackState::ended,  2,           30'000'000, 30'500'000,
                         kStartUs + 30'000'000, std::nullopt};
  EXPECT_EQ(timeline.resolve(end), ended);
  EXPECT_EQ(timeline.resolve(end + 1), ended);
  EXPECT_EQ(timeline.resolve(kInt64Max), ended);
}

TEST(Timeline, WrapsToTheFirstItemAtTheEndOfALoop) {
  const Timeline timeline = make_timeline(three_items(true));
  const std::int64_t end = kStartUs + 60'000'000;
  EXPECT_EQ(timeline.resolve(end - 1),
            playing(2, 29'999'999, 30'499'999, kStartUs + 30'000'000, end));
  EXPECT_EQ(timeline.resolve(end), playing(0, 0, 1'000, end, end + 10'000'000));
  EXPECT_EQ(timeline.resolve(end + 10'000'000),
            playing(1, 0, 0, end + 10'000'000, end + 30'000'000));
}

TEST(Timeline, LoopsCorrectlyAfterTenYears) {
  const Timeline timeline = make_timeline(three_items(true));
  // Ten years of 365.25 days is a whole number of 60 s cycles: 5'259'600 of them.
  const std::int64_t ten_years_us = 10LL * 36'525 * 86'400 * 1'000'000 / 100;
  const std::int64_t cycle_at_us = kStartUs + ten_years_us;
  ASSERT_EQ(ten_years_us % 60'000'000, 0);
  EXPECT_EQ(timeline.resolve(cycle_at_us - 1),
            playing(2, 29'999'999, 30'499'999, cycle_at_us - 30'000'000, cycle_at_us));
  EXPECT_EQ(timeline.resolve(cycle_at_us),
            playing(0, 0, 1'000, cycle_at_us, cycle_at_us + 10'000'000));
  EXPECT_EQ(timeline.resolve(cycle_at_us + 42'000'123),
            playing(2, 12'000'123, 12'500'123, cycle_at_us + 30'000'000, cycle_at_us + 60'000'000));
}

TEST(Timeline, LoopsUpToTheLastRepresentableTime) {
  const Timeline timeline = make_timeline(three_items(true));
  // Worked out by hand: (kInt64Max - kStartUs) % 60 s = 34'775'807 µs, inside item 2.
  ASSERT_EQ((kInt64Max - kStartUs) % 60'000'000, 34'775'807);
  const std::int64_t item_started_at_us = kInt64Max - 4'775'807;
  // The item would end after kInt64Max: the transition is clamped, not overflowed.
  EXPECT_EQ(timeline.resolve(kInt64Max),
            playing(2, 4'775'807, 5'275'807, item_started_at_us, kInt64Max));
  EXPECT_EQ(timeline.resolve(kInt64Max - 1),
            playing(2, 4'775'806, 5'275'806, item_started_at_us, kInt64Max));
  EXPECT_EQ(timeline.resolve(item_started_at_us),
            playing(2, 0, 500'000, item_started_at_us, kInt64Max));
  EXPECT_EQ(
      timeline.resolve(item_started_at_us - 1),
      playing(1, 19'999'999, 19'999'999, item_started_at_us - 20'000'000, item_started_at_us));
}

TEST(Timeline, HandlesTheLongestPlaylistAtTheLatestStart) {
  Schedule schedule = three_items(true);
  schedule.start_at_us = kMaxScheduleTimeUs;
  schedule.items = {{"a", kInt64Max - kMaxPlaylistDurationUs, kMaxPlaylistDurationUs}};
  const Timeline timeline = make_timeline(schedule);
  const std::int64_t second_pass_us = kMaxScheduleTimeUs + kMaxPlaylistDurationUs;
  EXPECT_EQ(
      timeline.resolve(second_pass_us - 1),
      playing(0, kMaxPlaylistDurationUs - 1, kInt64Max - 1, kMaxScheduleTimeUs, second_pass_us));
  EXPECT_EQ(timeline.resolve(second_pass_us),
            playing(0, 0, kInt64Max - kMaxPlaylistDurationUs, second_pass_us,
                    second_pass_us + kMaxPlaylistDurationUs));
  const Resolution last = timeline.resolve(kInt64Max);
  EXPECT_EQ(last, brute_force(schedule, kInt64Max));
  EXPECT_EQ(last.next_transition_at_us, kInt64Max);

  schedule.loop = false;
  EXPECT_EQ(make_timeline(schedule).resolve(second_pass_us),
            (Resolution{PlaybackState::ended, 0, kMaxPlaylistDurationUs, kInt64Max,
                        kMaxScheduleTimeUs, std::nullopt}));
}

TEST(Timeline, MatchesALinearScanOnAHundredThousandItems) {
  std::mt19937_64 random(20240611);
  std::uniform_int_distribution<std::int64_t> duration_us(1, 10'000'000);
  std::uniform_int_distribution<std::int64_t> in_point_us(0, 3'600'000'000);
  Schedule schedule = three_items(true);
  schedule.items.clear();
  for (int i = 0; i < 100'000; ++i) {
    schedule.items.push_back(
        {std::string("v").append(std::to_string(i)), in_point_us(random), duration_us(random)});
  }
  for (const bool loop : {true, false}) {
    schedule.loop = loop;
    const Timeline timeline = make_timeline(schedule);
    const std::int64_t cycle_us = timeline.cycle_duration_us();
    std::uniform_int_distribution<std::int64_t> time_us(kStartUs - cycle_us,
                                                        kStartUs + 3 * cycle_us);
    std::vector<std::int64_t> times = {kStartUs - 1,        kStartUs,  kStartUs + cycle_us - 1,
                                       kStartUs + cycle_us, kInt64Max, kInt64Min};
    for (int i = 0; i < 500; ++i) times.push_back(time_us(random));
    for (const std::int64_t t : times) {
      const Resolution resolution = timeline.resolve(t);
      ASSERT_EQ(resolution, brute_force(schedule, t)) << "loop " << loop << ", t = " << t;
      // Just before the next transition the same item is on air; at it, the next one is.
      const std::int64_t next_us = resolution.next_transition_at_us.value_or(kInt64Max);
      if (resolution.state == PlaybackState::playing && next_us != kInt64Max) {
        EXPECT_EQ(timeline.resolve(next_us - 1).item_index, resolution.item_index);
        EXPECT_EQ(timeline.resolve(next_us), brute_force(schedule, next_us));
      }
    }
  }
}

TEST(Timeline, FreeResolveMatchesTheTimeline) {
  const Timeline timeline = make_timeline(three_items(true));
  for (const std::int64_t t : {kStartUs - 1, kStartUs + 25'000'000, kInt64Max}) {
    const auto resolution = resolve(three_items(true), t);
    ASSERT_TRUE(resolution.has_value());
    EXPECT_EQ(*resolution, timeline.resolve(t));
  }
}

TEST(Timeline, FreeResolveRefusesAnInvalidSchedule) {
  Schedule schedule = three_items(true);
  schedule.items.clear();
  const auto resolution = resolve(schedule, kStartUs);
  ASSERT_FALSE(resolution.has_value());
  EXPECT_EQ(resolution.error().field, "items");
}

}  // namespace
}  // namespace streamsync
