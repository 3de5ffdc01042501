#include "timeline/revision_switch.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace streamsync {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000'000;
constexpr std::int64_t kSecond = 1'000'000;

// A one-item looping timeline whose video_id names the revision, to tell them apart.
// (append() rather than "r" + ...: GCC 12 at -O2 warns falsely on that, -Wrestrict.)
Timeline revision(std::int64_t number, std::int64_t effective_at_us,
                  std::string channel_id = "lobby") {
  Schedule schedule{std::move(channel_id),
                    number,
                    effective_at_us,
                    kT0,
                    true,
                    {{std::string("r").append(std::to_string(number)), 0, 60 * kSecond}}};
  auto timeline = Timeline::create(std::move(schedule));
  EXPECT_TRUE(timeline.has_value());
  return std::move(timeline).value();
}

// The revision number active at t, or -1 when there is none.
std::int64_t active_revision(const ScheduleRevisions& revisions, std::int64_t t) {
  const Timeline* active = revisions.active_at(t);
  return active == nullptr ? -1 : active->schedule().revision;
}

TEST(ScheduleRevisions, HoldsNothingAtFirst) {
  const ScheduleRevisions revisions;
  EXPECT_EQ(revisions.active_at(kT0), nullptr);
  EXPECT_EQ(revisions.latest(), nullptr);
  EXPECT_EQ(revisions.next_switch_at_us(kT0), std::nullopt);
  EXPECT_EQ(revisions.size(), 0u);
}

TEST(ScheduleRevisions, PlaysTheOnlyRevisionEvenBeforeItIsEffective) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  EXPECT_EQ(active_revision(revisions, kT0 - 1), 1);
  EXPECT_EQ(active_revision(revisions, kT0), 1);
  EXPECT_EQ(revisions.next_switch_at_us(kT0 - 1), std::nullopt);
}

TEST(ScheduleRevisions, SwitchesExactlyAtEffectiveAt) {
  ScheduleRevisions revisions;
  const std::int64_t switch_at_us = kT0 + 90 * kSecond;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  ASSERT_TRUE(revisions.offer(revision(2, switch_at_us)));

  EXPECT_EQ(active_revision(revisions, switch_at_us - 1), 1);
  EXPECT_EQ(active_revision(revisions, switch_at_us), 2);
  EXPECT_EQ(active_revision(revisions, switch_at_us + 1), 2);

  EXPECT_EQ(revisions.next_switch_at_us(kT0), switch_at_us);
  EXPECT_EQ(revisions.next_switch_at_us(switch_at_us - 1), switch_at_us);
  EXPECT_EQ(revisions.next_switch_at_us(switch_at_us), std::nullopt);
  ASSERT_NE(revisions.latest(), nullptr);
  EXPECT_EQ(revisions.latest()->schedule().revision, 2);
}

TEST(ScheduleRevisions, ResolvesWithTheRevisionActiveAtTheQueriedTime) {
  ScheduleRevisions revisions;
  const std::int64_t switch_at_us = kT0 + 90 * kSecond;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  ASSERT_TRUE(revisions.offer(revision(2, switch_at_us)));
  const std::int64_t before_us = switch_at_us - 1;
  const Timeline* old_timeline = revisions.active_at(before_us);
  const Timeline* new_timeline = revisions.active_at(switch_at_us);
  ASSERT_NE(old_timeline, nullptr);
  ASSERT_NE(new_timeline, nullptr);
  // Both loop a 60 s item from kT0: 89.999999 s and 90 s in, 29.999999 s and 30 s into it.
  EXPECT_EQ(old_timeline->resolve(before_us).media_position_us, 30 * kSecond - 1);
  EXPECT_EQ(old_timeline->schedule().items[0].video_id, "r1");
  EXPECT_EQ(new_timeline->resolve(switch_at_us).media_position_us, 30 * kSecond);
  EXPECT_EQ(new_timeline->schedule().items[0].video_id, "r2");
}

TEST(ScheduleRevisions, RejectsStaleAndDuplicateRevisions) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(5, kT0)));
  EXPECT_FALSE(revisions.offer(revision(5, kT0 + kSecond)));
  EXPECT_FALSE(revisions.offer(revision(4, kT0 + kSecond)));
  EXPECT_FALSE(revisions.offer(revision(0, kT0)));
  EXPECT_EQ(revisions.size(), 1u);
  EXPECT_EQ(active_revision(revisions, kT0 + 2 * kSecond), 5);
}

TEST(ScheduleRevisions, RejectsAnotherChannel) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  EXPECT_FALSE(revisions.offer(revision(2, kT0 + kSecond, "cinema")));
  EXPECT_EQ(revisions.size(), 1u);
}

TEST(ScheduleRevisions, IgnoresAnOlderRevisionArrivingLate) {
  // The push of revision 3 overtook the poll that carried revision 2.
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  ASSERT_TRUE(revisions.offer(revision(3, kT0 + 20 * kSecond)));
  EXPECT_FALSE(revisions.offer(revision(2, kT0 + 10 * kSecond)));
  EXPECT_EQ(active_revision(revisions, kT0 + 15 * kSecond), 1);
  EXPECT_EQ(active_revision(revisions, kT0 + 20 * kSecond), 3);
  EXPECT_EQ(revisions.next_switch_at_us(kT0), kT0 + 20 * kSecond);
}

TEST(ScheduleRevisions, FallsBackToTheOldestWhenNoneIsEffectiveYet) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(5, kT0 + 200)));
  ASSERT_TRUE(revisions.offer(revision(6, kT0 + 300)));
  EXPECT_EQ(active_revision(revisions, kT0), 5);
  EXPECT_EQ(active_revision(revisions, kT0 + 200), 5);
  // Revision 5 becoming effective at +200 changes nothing on screen: no switch there.
  EXPECT_EQ(revisions.next_switch_at_us(kT0), kT0 + 300);
  EXPECT_EQ(active_revision(revisions, kT0 + 300), 6);
}

TEST(ScheduleRevisions, AHigherRevisionEffectiveSoonerSupersedesAPendingOne) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  ASSERT_TRUE(revisions.offer(revision(2, kT0 + 200)));
  ASSERT_TRUE(revisions.offer(revision(3, kT0 + 100)));  // a correction, effective sooner
  EXPECT_EQ(active_revision(revisions, kT0 + 99), 1);
  EXPECT_EQ(active_revision(revisions, kT0 + 100), 3);
  EXPECT_EQ(active_revision(revisions, kT0 + 250), 3);  // revision 2 never plays
  EXPECT_EQ(revisions.next_switch_at_us(kT0), kT0 + 100);
  EXPECT_EQ(revisions.next_switch_at_us(kT0 + 150), std::nullopt);
}

TEST(ScheduleRevisions, PruneDropsRevisionsSupersededBeforeTheGivenTime) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  ASSERT_TRUE(revisions.offer(revision(2, kT0 + 100)));
  ASSERT_TRUE(revisions.offer(revision(3, kT0 + 200)));
  revisions.prune(kT0 + 99);
  EXPECT_EQ(revisions.size(), 3u);
  revisions.prune(kT0 + 100);
  EXPECT_EQ(revisions.size(), 2u);
  EXPECT_EQ(active_revision(revisions, kT0 + 100), 2);
  EXPECT_EQ(active_revision(revisions, kT0 + 200), 3);
  EXPECT_EQ(revisions.next_switch_at_us(kT0 + 100), kT0 + 200);
  EXPECT_FALSE(revisions.offer(revision(1, kT0)));  // still stale after pruning
}

TEST(ScheduleRevisions, PruneKeepsTheLatestRevision) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0)));
  ASSERT_TRUE(revisions.offer(revision(2, kT0 + 100)));
  revisions.prune(kT0 + 1'000);
  EXPECT_EQ(revisions.size(), 1u);
  EXPECT_EQ(active_revision(revisions, kT0 + 1'000), 2);
  EXPECT_FALSE(revisions.offer(revision(2, kT0 + 2'000)));
  EXPECT_TRUE(revisions.offer(revision(3, kT0 + 2'000)));
}

TEST(ScheduleRevisions, PruneKeepsEverythingWhenNothingIsEffectiveYet) {
  ScheduleRevisions revisions;
  ASSERT_TRUE(revisions.offer(revision(1, kT0 + 100)));
  ASSERT_TRUE(revisions.offer(revision(2, kT0 + 200)));
  revisions.prune(kT0);
  EXPECT_EQ(revisions.size(), 2u);
  EXPECT_EQ(active_revision(revisions, kT0), 1);
}

}  // namespace
}  // namespace streamsync
