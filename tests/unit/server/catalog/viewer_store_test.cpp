#include "catalog/viewer_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catalog/migrations.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

constexpr std::int64_t kT0 = 1'700'000'000'000'000;
constexpr std::int64_t kSecondUs = 1'000'000;

const nlohmann::json kQoe = {{"sync_error_ms", 3.5}, {"dropped_frames", 0}};

class ViewerStoreTest : public ::testing::Test {
 protected:
  ViewerStoreTest() { EXPECT_TRUE(migrate(db_)); }

  std::vector<std::string> active_ids(const std::string& channel_id, std::int64_t now_us) {
    std::vector<std::string> ids;
    for (const ViewerRecord& viewer : store_.active_viewers(channel_id, now_us)) {
      ids.push_back(viewer.id);
    }
    return ids;
  }

  TempDir dir_;
  Database db_{dir_.file("catalog.db")};
  ViewerStore store_{db_};
};

TEST_F(ViewerStoreTest, RegisterIsIdempotentAndUpdatesTheName) {
  EXPECT_EQ(store_.register_viewer("v1", "Ann", kT0), (ViewerRecord{"v1", "Ann", kT0, kT0}));
  const ViewerRecord again = store_.register_viewer("v1", "Annie", kT0 + 5);
  EXPECT_EQ(again, (ViewerRecord{"v1", "Annie", kT0, kT0 + 5}));
  EXPECT_EQ(store_.get("v1"), again);
  EXPECT_EQ(store_.get("v2"), std::nullopt);
}

TEST_F(ViewerStoreTest, HeartbeatFromAnUnknownViewerIsRefused) {
  EXPECT_FALSE(store_.heartbeat("ghost", "lobby", kQoe, kT0));
  EXPECT_TRUE(store_.sessions("ghost").empty());
  EXPECT_TRUE(store_.active_counts(kT0).empty());
}

TEST_F(ViewerStoreTest, HeartbeatsOnOneChannelContinueOneSession) {
  store_.register_viewer("v1", "Ann", kT0);
  EXPECT_TRUE(store_.heartbeat("v1", "lobby", {{"n", 1}}, kT0));
  EXPECT_TRUE(store_.heartbeat("v1", "lobby", {{"n", 2}}, kT0 + 5 * kSecondUs));
  EXPECT_TRUE(store_.heartbeat("v1", "lobby", kQoe, kT0 + 10 * kSecondUs));
  const std::vector<SessionRecord> sessions = store_.sessions("v1");
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].channel_id, "lobby");
  EXPECT_EQ(sessions[0].joined_at_us, kT0);
  EXPECT_EQ(sessions[0].left_at_us, std::nullopt);
  EXPECT_EQ(sessions[0].last_heartbeat_us, kT0 + 10 * kSecondUs);
  EXPECT_EQ(sessions[0].last_qoe, kQoe);
  EXPECT_EQ(store_.get("v1")->last_seen_us, kT0 + 10 * kSecondUs);
}

TEST_F(ViewerStoreTest, PresenceGoesAwayAfter15SecondsOfSilence) {
  store_.register_viewer("v1", "Ann", kT0);
  ASSERT_TRUE(store_.heartbeat("v1", "lobby", kQoe, kT0));
  EXPECT_EQ(active_ids("lobby", kT0), std::vector<std::string>{"v1"});
  EXPECT_EQ(active_ids("lobby", kT0 + kPresenceTimeoutUs), std::vector<std::string>{"v1"});
  EXPECT_TRUE(active_ids("lobby", kT0 + kPresenceTimeoutUs + 1).empty());
  EXPECT_EQ(store_.active_counts(kT0 + kPresenceTimeoutUs),
            (std::map<std::string, std::int64_t>{{"lobby", 1}}));
  EXPECT_TRUE(store_.active_counts(kT0 + kPresenceTimeoutUs + 1).empty());
  EXPECT_TRUE(active_ids("news", kT0).empty());
}

TEST_F(ViewerStoreTest, SwitchingChannelsClosesTheOldSession) {
  store_.register_viewer("v1", "Ann", kT0);
  ASSERT_TRUE(store_.heartbeat("v1", "lobby", kQoe, kT0));
  ASSERT_TRUE(store_.heartbeat("v1", "news", kQoe, kT0 + 2 * kSecondUs));
  const std::vector<SessionRecord> sessions = store_.sessions("v1");
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].channel_id, "lobby");
  EXPECT_EQ(sessions[0].left_at_us, kT0 + 2 * kSecondUs);
  EXPECT_EQ(sessions[1].channel_id, "news");
  EXPECT_EQ(sessions[1].joined_at_us, kT0 + 2 * kSecondUs);
  EXPECT_EQ(sessions[1].left_at_us, std::nullopt);
  EXPECT_TRUE(active_ids("lobby", kT0 + 3 * kSecondUs).empty());
  EXPECT_EQ(active_ids("news", kT0 + 3 * kSecondUs), std::vector<std::string>{"v1"});
  EXPECT_EQ(store_.active_counts(kT0 + 3 * kSecondUs),
            (std::map<std::string, std::int64_t>{{"news", 1}}));
}

TEST_F(ViewerStoreTest, HeartbeatAfterSilenceStartsANewSession) {
  store_.register_viewer("v1", "Ann", kT0);
  ASSERT_TRUE(store_.heartbeat("v1", "lobby", kQoe, kT0));
  ASSERT_TRUE(store_.heartbeat("v1", "lobby", kQoe, kT0 + 20 * kSecondUs));
  const std::vector<SessionRecord> sessions = store_.sessions("v1");
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].left_at_us, kT0);  // when it was last heard from
  EXPECT_EQ(sessions[1].joined_at_us, kT0 + 20 * kSecondUs);
}

TEST_F(ViewerStoreTest, CloseStaleSessionsEndsOnlySilentOnes) {
  store_.register_viewer("quiet", "Q", kT0);
  store_.register_viewer("chatty", "C", kT0);
  ASSERT_TRUE(store_.heartbeat("quiet", "lobby", kQoe, kT0));
  ASSERT_TRUE(store_.heartbeat("chatty", "lobby", kQoe, kT0 + 10 * kSecondUs));
  const std::int64_t now_us = kT0 + 16 * kSecondUs;
  EXPECT_EQ(store_.close_stale_sessions(now_us), 1);
  EXPECT_EQ(store_.close_stale_sessions(now_us), 0);
  EXPECT_EQ(store_.sessions("quiet")[0].left_at_us, kT0);
  EXPECT_EQ(store_.sessions("chatty")[0].left_at_us, std::nullopt);
  EXPECT_EQ(active_ids("lobby", now_us), std::vector<std::string>{"chatty"});
}

TEST_F(ViewerStoreTest, ActiveViewersAreSortedByName) {
  const std::vector<std::pair<std::string, std::string>> viewers = {
      {"v1", "Zoe"}, {"v2", "Adam"}, {"v3", "Mia"}};
  for (const auto& [id, name] : viewers) {
    store_.register_viewer(id, name, kT0);
    ASSERT_TRUE(store_.heartbeat(id, "lobby", kQoe, kT0));
  }
  EXPECT_EQ(active_ids("lobby", kT0), (std::vector<std::string>{"v2", "v3", "v1"}));
}

// Four I/O threads share one Database: the mutex serialises them and every heartbeat lands.
TEST_F(ViewerStoreTest, ConcurrentHeartbeatsFromFourThreads) {
  constexpr int kThreads = 4;
  constexpr int kBeats = 500;
  for (int t = 0; t < kThreads; ++t) store_.register_viewer("v" + std::to_string(t), "V", kT0);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string viewer = "v" + std::to_string(t);
      for (int beat = 0; beat < kBeats; ++beat) {
        // A new channel every 100 beats, so sessions are opened and closed too.
        const std::string channel = "ch" + std::to_string(beat / 100);
        try {
          if (!store_.heartbeat(viewer, channel, {{"beat", beat}}, kT0 + beat * 1000)) ++failures;
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::int64_t end_us = kT0 + kBeats * 1000;
  EXPECT_EQ(store_.active_counts(end_us), (std::map<std::string, std::int64_t>{{"ch4", kThreads}}));
  for (int t = 0; t < kThreads; ++t) {
    const std::vector<SessionRecord> sessions = store_.sessions("v" + std::to_string(t));
    ASSERT_EQ(sessions.size(), 5u);
    EXPECT_EQ(sessions.back().last_qoe, (nlohmann::json{{"beat", kBeats - 1}}));
  }
}

}  // namespace
}  // namespace streamsync::server
