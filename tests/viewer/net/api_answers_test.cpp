#include "net/api_answers.hpp"

#include <gtest/gtest.h>

#include "qt_test_support.hpp"

namespace streamsync::viewer {
namespace {

using nlohmann::json;

const QUrl kServer(QStringLiteral("http://127.0.0.1:8080"));

json channel(const std::string& id) {
  return {{"id", id},
          {"slug", id},
          {"name", "Demo"},
          {"description", ""},
          {"state", "playing"},
          {"schedule_revision", 1},
          {"starts_at_us", nullptr},
          {"now_playing", nullptr},
          {"next_up", nullptr},
          {"viewers", 2},
          {"poster_url", ""},
          {"master_url", "/media/channels/" + id + "/master.m3u8"}};
}

json video() {
  return {{"id", "a"},
          {"title", "Pattern"},
          {"duration_us", 30'000'000},
          {"status", "ready"},
          {"poster_url", "/media/videos/a/poster.jpg"},
          {"renditions",
           {{{"name", "720p"},
             {"width", 1280},
             {"height", 720},
             {"bandwidth", 3'000'000},
             {"playlist", "videos/a/720p/index.m3u8"}},
            {{"name", "360p"},
             {"width", 640},
             {"height", 360},
             {"bandwidth", 800'000},
             {"playlist", "videos/a/360p/index.m3u8"}}}}};
}

TEST(ApiAnswers, ChannelsAreReadInOrder) {
  const auto channels =
      channels_from_json({{"channels", {channel("a"), channel("b")}}, {"server_time_us", 1}});
  ASSERT_TRUE(channels) << channels.error().toStdString();
  ASSERT_EQ(channels->size(), 2u);
  EXPECT_EQ((*channels)[1].id, "b");
  EXPECT_EQ((*channels)[0].viewers, 2);
}

TEST(ApiAnswers, ABadChannelIsNamedByIndexAndField) {
  json bad = channel("b");
  bad["state"] = 3;
  const auto channels = channels_from_json({{"channels", {channel("a"), bad}}});
  ASSERT_FALSE(channels);
  EXPECT_EQ(channels.error(), QStringLiteral("channels[1].state: must be a string"));
  EXPECT_EQ(channels_from_json(json::array()).error(), QStringLiteral("channels: required"));
  EXPECT_EQ(channels_from_json({{"channels", 5}}).error(),
            QStringLiteral("channels: must be an array"));
}

TEST(ApiAnswers, SchedulesAreValidated) {
  const json schedule = {{"channel_id", "demo"},
                         {"revision", 1},
                         {"effective_at_us", 0},
                         {"start_at_us", 0},
                         {"loop", true},
                         {"items", {{{"video_id", "a"}, {"in_point_us", 0}, {"duration_us", 5}}}}};
  const auto good = schedules_from_json({{"channel_id", "demo"}, {"schedules", {schedule}}});
  ASSERT_TRUE(good) << good.error().toStdString();
  ASSERT_EQ(good->size(), 1u);
  EXPECT_EQ((*good)[0].items[0].video_id, "a");

  json bad = schedule;
  bad["items"][0]["duration_us"] = 0;
  const auto refused = schedules_from_json({{"schedules", {schedule, bad}}});
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().startsWith(QStringLiteral("schedules[1].items[0].duration_us: ")))
      << refused.error().toStdString();
}

TEST(ApiAnswers, VideoRenditionsAreAbsoluteAndSortedByBandwidth) {
  const auto info = video_info_from_json(video(), kServer);
  ASSERT_TRUE(info) << info.error().toStdString();
  EXPECT_EQ(info->id, QStringLiteral("a"));
  EXPECT_EQ(info->duration_us, 30'000'000);
  ASSERT_EQ(info->renditions.size(), 2u);
  EXPECT_EQ(info->renditions[0].name, QStringLiteral("360p"));
  EXPECT_EQ(info->renditions[0].height, 360);
  EXPECT_EQ(info->renditions[0].bandwidth_bps, 800'000);
  EXPECT_EQ(info->renditions[0].playlist_url.toString(),
            QStringLiteral("http://127.0.0.1:8080/media/videos/a/360p/index.m3u8"));
  EXPECT_EQ(info->renditions[1].name, QStringLiteral("720p"));
  EXPECT_EQ(info->poster_url.toString(),
            QStringLiteral("http://127.0.0.1:8080/media/videos/a/poster.jpg"));
}

TEST(ApiAnswers, AVideoWithoutPosterOrRenditionsIsFine) {
  json pending = video();
  pending["poster_url"] = "";
  pending["renditions"] = json::array();
  const auto info = video_info_from_json(pending, kServer);
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->poster_url.isEmpty());
  EXPECT_TRUE(info->renditions.empty());
}

TEST(ApiAnswers, BadRenditionsAreNamed) {
  json bad = video();
  bad["renditions"][1]["width"] = 1e9;
  EXPECT_EQ(video_info_from_json(bad, kServer).error(),
            QStringLiteral("renditions[1].width: must be an integer, not a fraction"));
  bad = video();
  bad["renditions"][0]["height"] = 70000;
  EXPECT_EQ(video_info_from_json(bad, kServer).error(),
            QStringLiteral("renditions[0].height: must be 0..65535"));
  bad = video();
  bad["renditions"][0]["playlist"] = "";
  EXPECT_EQ(video_info_from_json(bad, kServer).error(),
            QStringLiteral("renditions[0].playlist: must not be empty"));
  bad = video();
  bad.erase("renditions");
  EXPECT_EQ(video_info_from_json(bad, kServer).error(), QStringLiteral("renditions: required"));
  EXPECT_FALSE(video_info_from_json(json("text"), kServer));
}

TEST(ApiAnswers, ErrorMessagesComeFromTheErrorEnvelope) {
  EXPECT_EQ(
      error_message_from_json({{"error", {{"code", "not_found"}, {"message", "no such thing"}}}}),
      QStringLiteral("no such thing"));
  EXPECT_EQ(error_message_from_json({{"error", "flat"}}), std::nullopt);
  EXPECT_EQ(error_message_from_json(json::array()), std::nullopt);
}

}  // namespace
}  // namespace streamsync::viewer
