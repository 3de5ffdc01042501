#include "catalog/video_store.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "catalog/migrations.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

VideoRecord sample_video(std::string id, std::int64_t created_at_us) {
  VideoRecord video;
  video.id = std::move(id);
  video.title = "Big Buck Bunny";
  video.duration_us = 596'458'000;
  video.status = VideoStatus::processing;
  video.renditions = nlohmann::json::array(
      {{{"height", 720}, {"bandwidth", 2'800'000}, {"playlist", "720p/index.m3u8"}},
       {{"height", 360}, {"bandwidth", 800'000}, {"playlist", "360p/index.m3u8"}}});
  video.poster = "posters/bbb.jpg";
  video.created_at_us = created_at_us;
  return video;
}

class VideoStoreTest : public ::testing::Test {
 protected:
  VideoStoreTest() { EXPECT_TRUE(migrate(*db_)); }

  TempDir dir_;
  std::optional<Database> db_{std::in_place, dir_.file("catalog.db")};
  VideoStore store_{*db_};
};

TEST(VideoStatus, NamesRoundTrip) {
  for (const VideoStatus status :
       {VideoStatus::queued, VideoStatus::processing, VideoStatus::ready, VideoStatus::failed}) {
    EXPECT_EQ(video_status_from_string(to_string(status)), status);
  }
  EXPECT_EQ(to_string(VideoStatus::ready), "ready");
  EXPECT_EQ(video_status_from_string("Ready"), std::nullopt);
  EXPECT_EQ(video_status_from_string(""), std::nullopt);
}

TEST_F(VideoStoreTest, UpsertThenGetReturnsTheSameRecord) {
  const VideoRecord video = sample_video("bbb", 1'700'000'000'000'000);
  store_.upsert(video);
  EXPECT_EQ(store_.get("bbb"), video);
  EXPECT_EQ(store_.get("nope"), std::nullopt);
}

TEST_F(VideoStoreTest, UpsertReplacesEverythingButCreationTime) {
  store_.upsert(sample_video("bbb", 1000));
  VideoRecord changed = sample_video("bbb", 9999);
  changed.title = "Renamed";
  changed.status = VideoStatus::ready;
  changed.renditions = nlohmann::json::array();
  changed.poster = "";
  store_.upsert(changed);
  VideoRecord expected = changed;
  expected.created_at_us = 1000;
  EXPECT_EQ(store_.get("bbb"), expected);
  EXPECT_EQ(store_.list().size(), 1u);
}

TEST_F(VideoStoreTest, ListsOldestFirst) {
  store_.upsert(sample_video("c", 300));
  store_.upsert(sample_video("a", 100));
  store_.upsert(sample_video("b", 300));
  std::vector<std::string> ids;
  for (const VideoRecord& video : store_.list()) ids.push_back(video.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(VideoStoreTest, SetStatusRecordsTheErrorAndRefusesUnknownIds) {
  store_.upsert(sample_video("bbb", 1));
  EXPECT_TRUE(store_.set_status("bbb", VideoStatus::failed, "ffmpeg exited with 1"));
  EXPECT_EQ(store_.get("bbb")->status, VideoStatus::failed);
  EXPECT_EQ(store_.get("bbb")->error, "ffmpeg exited with 1");
  EXPECT_TRUE(store_.set_status("bbb", VideoStatus::ready));
  EXPECT_EQ(store_.get("bbb")->status, VideoStatus::ready);
  EXPECT_EQ(store_.get("bbb")->error, "");
  EXPECT_FALSE(store_.set_status("nope", VideoStatus::ready));
  EXPECT_EQ(store_.get("nope"), std::nullopt);
}

TEST_F(VideoStoreTest, RemoveDeletesOnlyThatVideo) {
  store_.upsert(sample_video("a", 1));
  store_.upsert(sample_video("b", 2));
  EXPECT_TRUE(store_.remove("a"));
  EXPECT_FALSE(store_.remove("a"));
  EXPECT_EQ(store_.get("a"), std::nullopt);
  ASSERT_EQ(store_.list().size(), 1u);
  EXPECT_EQ(store_.list()[0].id, "b");
}

TEST_F(VideoStoreTest, SurvivesCloseAndReopen) {
  const VideoRecord video = sample_video("bbb", 42);
  store_.upsert(video);
  db_.reset();
  db_.emplace(dir_.file("catalog.db"));
  ASSERT_TRUE(migrate(*db_));
  EXPECT_EQ(VideoStore(*db_).get("bbb"), video);
}

}  // namespace
}  // namespace streamsync::server
