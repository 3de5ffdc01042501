#include "protocol/api_messages.hpp"

#include <gtest/gtest.h>

namespace streamsync {
namespace {

constexpr const char* kUuid = "123e4567-e89b-12d3-a456-426614174000";

ChannelSummary playing_summary() {
  ChannelSummary m;
  m.id = "demo";
  m.slug = "demo";
  m.name = "Demo";
  m.description = "Test patterns";
  m.state = "playing";
  m.schedule_revision = 3;
  m.now_playing = NowPlaying{1, "b", "Pattern B", 4'000'000, 20'000'000, 1'800'000'000'000'000};
  m.next_up = NextUp{"a", "Pattern A", 1'800'000'016'000'000};
  m.viewers = 7;
  m.poster_url = "/media/videos/b/poster.jpg";
  m.master_url = "/media/channels/demo/master.m3u8";
  return m;
}

TEST(ApiMessages, EveryMessageRoundTrips) {
  const TimeReply time{42, 1'800'000'000'000'000, 1'800'000'000'000'030, 12123};
  EXPECT_EQ(*time_reply_from_json(to_json(time)), time);
  const TimeReply no_echo{std::nullopt, 5, 6, std::nullopt};
  EXPECT_EQ(*time_reply_from_json(to_json(no_echo)), no_echo);

  const ViewerRegistration registration{kUuid, "Ada"};
  EXPECT_EQ(*viewer_registration_from_json(to_json(registration)), registration);

  const ViewerHeartbeat heartbeat{"demo", 1.5, 4.25, 1.02, 12.5, 2'500'000, "720p", 3, 1};
  EXPECT_EQ(*viewer_heartbeat_from_json(to_json(heartbeat)), heartbeat);

  const ChannelDraft draft{"town-hall", "Town hall", "Fridays"};
  EXPECT_EQ(*channel_draft_from_json(to_json(draft)), draft);

  EXPECT_EQ(*channel_summary_from_json(to_json(playing_summary())), playing_summary());
  ChannelSummary waiting;
  waiting.id = waiting.slug = waiting.name = "x";
  waiting.state = "before_start";
  waiting.starts_at_us = 99;
  EXPECT_EQ(*channel_summary_from_json(to_json(waiting)), waiting);
}

TEST(ApiMessages, EventsCarryTheirTypeTagAndRoundTrip) {
  Schedule schedule{"demo", 2, 10, 20, true, {{"a", 0, 1'000'000}}};
  for (const Event& event :
       {Event{HelloEvent{"demo", 123}}, Event{ScheduleEvent{schedule}},
        Event{PresenceEvent{"demo", 4}}, Event{JobEvent{"j1", "v1", "transcoding", 0.5, ""}}}) {
    const nlohmann::json json = to_json(event);
    ASSERT_TRUE(json.contains("type"));
    const auto back = event_from_json(json);
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(*back, event);
  }
  EXPECT_EQ(to_json(Event{PresenceEvent{"demo", 4}})["type"], "presence");
}

TEST(ApiMessages, UnknownEventTypeIsNamed) {
  const auto result = event_from_json({{"type", "reaction"}});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("reaction"), std::string::npos);
}

TEST(ApiMessages, RegistrationRejectsBadIdsAndNames) {
  EXPECT_EQ(viewer_registration_from_json({{"id", "not-a-uuid"}, {"display_name", "A"}})
                .error()
                .rfind("id:", 0),
            0u);
  EXPECT_EQ(viewer_registration_from_json({{"id", kUuid}, {"display_name", ""}})
                .error()
                .rfind("display_name:", 0),
            0u);
  EXPECT_EQ(viewer_registration_from_json({{"id", kUuid}, {"display_name", std::string(65, 'x')}})
                .error()
                .rfind("display_name:", 0),
            0u);
  EXPECT_EQ(viewer_registration_from_json({{"display_name", "A"}}).error(), "id: required");
}

TEST(ApiMessages, HeartbeatNeedsOnlyTheChannel) {
  const auto minimal = viewer_heartbeat_from_json({{"channel_id", "demo"}});
  ASSERT_TRUE(minimal);
  EXPECT_DOUBLE_EQ(minimal->rate, 1.0);
  EXPECT_FALSE(viewer_heartbeat_from_json({{"channel_id", "demo"}, {"rate", "fast"}}));
  EXPECT_FALSE(viewer_heartbeat_from_json({{"channel_id", "demo"}, {"stalls", 1.5}}));
  EXPECT_FALSE(viewer_heartbeat_from_json(nlohmann::json::array()));
}

TEST(ApiMessages, ChannelDraftValidatesTheSlug) {
  EXPECT_TRUE(channel_draft_from_json({{"slug", "a-1"}, {"name", "A"}}));
  for (const char* slug : {"", "Upper", "with space", "ü", "../x"}) {
    const auto result = channel_draft_from_json({{"slug", slug}, {"name", "A"}});
    ASSERT_FALSE(result) << slug;
    EXPECT_EQ(result.error().rfind("slug:", 0), 0u);
  }
}

TEST(ApiMessages, TimeReplyRejectsTransmitBeforeReceiveAndBadPorts) {
  EXPECT_FALSE(time_reply_from_json({{"server_received_us", 10}, {"server_sent_us", 9}}));
  EXPECT_FALSE(time_reply_from_json(
      {{"server_received_us", 1}, {"server_sent_us", 2}, {"ntp_port", 70000}}));
}

TEST(ApiMessages, IsUuidChecksShapeAndDigits) {
  EXPECT_TRUE(is_uuid(kUuid));
  EXPECT_TRUE(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_FALSE(is_uuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(is_uuid(""));
}

}  // namespace
}  // namespace streamsync
