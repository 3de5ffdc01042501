#include "catalog/channel_store.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "catalog/migrations.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

ChannelRecord lobby() {
  return {"ch-1", "lobby", "Lobby", "Where everyone starts", 1000};
}

Schedule schedule_for(std::string channel_id, std::int64_t revision) {
  Schedule schedule;
  schedule.channel_id = std::move(channel_id);
  schedule.revision = revision;
  schedule.effective_at_us = 1'700'000'000'000'000 + revision;
  schedule.start_at_us = 1'700'000'000'000'000;
  schedule.loop = true;
  schedule.items = {{"intro", 0, 30'000'000}, {"main", 5'000'000, 600'000'000}};
  return schedule;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ChannelStoreTest : public ::testing::Test {
 protected:
  ChannelStoreTest() { EXPECT_TRUE(migrate(*db_)); }

  TempDir dir_;
  std::optional<Database> db_{std::in_place, dir_.file("catalog.db")};
  ChannelStore store_{*db_};
};

TEST_F(ChannelStoreTest, CreateGetListUpdateRemove) {
  const auto created = store_.create(lobby());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(*created, lobby());
  EXPECT_EQ(store_.get("ch-1"), lobby());
  EXPECT_EQ(store_.get("nope"), std::nullopt);
  ASSERT_TRUE(store_.create({"ch-0", "news", "News", "", 2000}));
  ASSERT_EQ(store_.list().size(), 2u);
  EXPECT_EQ(store_.list()[0], lobby());  // oldest first

  const auto updated = store_.update({"ch-1", "hall", "Hall", "Renamed", 99999});
  ASSERT_TRUE(updated) << updated.error().message;
  const ChannelRecord expected{"ch-1", "hall", "Hall", "Renamed", 1000};  // creation kept
  EXPECT_EQ(*updated, expected);
  EXPECT_EQ(store_.get("ch-1"), expected);

  EXPECT_TRUE(store_.remove("ch-1"));
  EXPECT_FALSE(store_.remove("ch-1"));
  EXPECT_EQ(store_.get("ch-1"), std::nullopt);
  EXPECT_EQ(store_.list().size(), 1u);
}

TEST_F(ChannelStoreTest, SlugConflictNamesTheSlug) {
  ASSERT_TRUE(store_.create(lobby()));
  const auto clash = store_.create({"ch-2", "lobby", "Other", "", 2000});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, StoreErrorCode::conflict);
  EXPECT_TRUE(contains(clash.error().message, "'lobby'")) << clash.error().message;
  EXPECT_EQ(store_.get("ch-2"), std::nullopt);
}

TEST_F(ChannelStoreTest, IdConflictAndEmptyNamesAreRefused) {
  ASSERT_TRUE(store_.create(lobby()));
  const auto same_id = store_.create({"ch-1", "other", "Other", "", 2000});
  ASSERT_FALSE(same_id);
  EXPECT_EQ(same_id.error().code, StoreErrorCode::conflict);
  EXPECT_TRUE(contains(same_id.error().message, "'ch-1'")) << same_id.error().message;
  EXPECT_EQ(store_.create({"", "s", "n", "", 1}).error().code, StoreErrorCode::invalid);
  EXPECT_EQ(store_.create({"x", "", "n", "", 1}).error().code, StoreErrorCode::invalid);
}

TEST_F(ChannelStoreTest, UpdateRefusesUnknownIdsAndSlugsOfOtherChannels) {
  ASSERT_TRUE(store_.create(lobby()));
  ASSERT_TRUE(store_.create({"ch-2", "news", "News", "", 2000}));
  const auto unknown = store_.update({"nope", "x", "X", "", 0});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, StoreErrorCode::not_found);
  const auto taken = store_.update({"ch-2", "lobby", "News", "", 0});
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, StoreErrorCode::conflict);
  EXPECT_TRUE(contains(taken.error().message, "'lobby'")) << taken.error().message;
  EXPECT_EQ(store_.get("ch-2")->slug, "news");
  EXPECT_TRUE(store_.update({"ch-1", "lobby", "Same slug", "", 0}));  // its own slug is fine
}

TEST_F(ChannelStoreTest, ScheduleRoundTripsExactly) {
  ASSERT_TRUE(store_.create(lobby()));
  Schedule schedule = schedule_for("ch-1", 7);
  schedule.effective_at_us = kMaxScheduleTimeUs;
  schedule.items.push_back({"vid\xC3\xA9o \"quoted\"", 9'000'000'000'000'000'000, 1});
  const auto stored = store_.put_schedule(schedule, 555);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(*stored, schedule);
  EXPECT_EQ(store_.latest_schedule("ch-1"), schedule);

  db_.reset();
  db_.emplace(dir_.file("catalog.db"));
  EXPECT_EQ(ChannelStore(*db_).latest_schedule("ch-1"), schedule);
}

TEST_F(ChannelStoreTest, ScheduleRevisionMustIncrease) {
  ASSERT_TRUE(store_.create(lobby()));
  ASSERT_TRUE(store_.put_schedule(schedule_for("ch-1", 3), 1));
  const auto same = store_.put_schedule(schedule_for("ch-1", 3), 2);
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, StoreErrorCode::conflict);
  const auto older = store_.put_schedule(schedule_for("ch-1", 2), 2);
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, StoreErrorCode::conflict);
  EXPECT_TRUE(contains(older.error().message, "revision 2")) << older.error().message;
  EXPECT_TRUE(contains(older.error().message, "revision 3")) << older.error().message;
  EXPECT_EQ(store_.latest_schedule("ch-1")->revision, 3);
  EXPECT_TRUE(store_.put_schedule(schedule_for("ch-1", 10), 3));
  EXPECT_EQ(store_.latest_schedule("ch-1")->revision, 10);
}

TEST_F(ChannelStoreTest, RevisionsAreKeptAscendingPerChannel) {
  ASSERT_TRUE(store_.create(lobby()));
  ASSERT_TRUE(store_.create({"ch-2", "news", "News", "", 2000}));
  for (const std::int64_t revision : {0, 1, 5}) {
    ASSERT_TRUE(store_.put_schedule(schedule_for("ch-1", revision), revision));
  }
  ASSERT_TRUE(store_.put_schedule(schedule_for("ch-2", 100), 1));
  const std::vector<Schedule> revisions = store_.schedule_revisions("ch-1");
  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_EQ(revisions[0], schedule_for("ch-1", 0));
  EXPECT_EQ(revisions[1], schedule_for("ch-1", 1));
  EXPECT_EQ(revisions[2], schedule_for("ch-1", 5));
  EXPECT_EQ(store_.latest_schedule("ch-2"), schedule_for("ch-2", 100));
  EXPECT_TRUE(store_.schedule_revisions("nope").empty());
  EXPECT_EQ(store_.latest_schedule("nope"), std::nullopt);
}

TEST_F(ChannelStoreTest, ScheduleNeedsAnExistingChannelAndAValidSchedule) {
  const auto orphan = store_.put_schedule(schedule_for("nope", 1), 1);
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code, StoreErrorCode::not_found);
  ASSERT_TRUE(store_.create(lobby()));
  Schedule empty = schedule_for("ch-1", 1);
  empty.items.clear();
  const auto invalid = store_.put_schedule(empty, 1);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, StoreErrorCode::invalid);
  EXPECT_TRUE(store_.schedule_revisions("ch-1").empty());
}

TEST_F(ChannelStoreTest, RemovingAChannelRemovesItsSchedules) {
  ASSERT_TRUE(store_.create(lobby()));
  ASSERT_TRUE(store_.put_schedule(schedule_for("ch-1", 4), 1));
  ASSERT_TRUE(store_.remove("ch-1"));
  ASSERT_TRUE(store_.create(lobby()));  // same id again: a new channel, no history
  EXPECT_EQ(store_.latest_schedule("ch-1"), std::nullopt);
  EXPECT_TRUE(store_.put_schedule(schedule_for("ch-1", 1), 2));
}

}  // namespace
}  // namespace streamsync::server
