#pragma once

// ChannelSummary values for widget tests, in the shapes the server sends.

#include <cstdint>
#include <string>

#include "protocol/api_messages.hpp"

namespace streamsync::viewer::fixtures {

// 2023-11-14T22:13:20Z: any fixed instant will do.
constexpr std::int64_t kNowUs = 1'700'000'000'000'000;

inline ChannelSummary playing(const std::string& id, const std::string& title,
                              std::int64_t started_at_us, std::int64_t duration_us) {
  ChannelSummary c;
  c.id = id;
  c.slug = id;
  c.name = "Channel " + id;
  c.state = "playing";
  c.schedule_revision = 1;
  c.now_playing =
      NowPlaying{0, "video-" + id, title, kNowUs - started_at_us, duration_us, started_at_us};
  c.next_up = NextUp{"next-" + id, "Next of " + id, started_at_us + duration_us};
  c.viewers = 2;
  c.poster_url = "/media/videos/video-" + id + "/poster.jpg";
  c.master_url = "/media/channels/" + id + "/master.m3u8";
  return c;
}

inline ChannelSummary waiting(const std::string& id, std::int64_t starts_at_us) {
  ChannelSummary c;
  c.id = id;
  c.slug = id;
  c.name = "Channel " + id;
  c.state = "before_start";
  c.starts_at_us = starts_at_us;
  c.next_up = NextUp{"first-" + id, "Opening", starts_at_us};
  return c;
}

inline ChannelSummary in_state(const std::string& id, const std::string& state) {
  ChannelSummary c;
  c.id = id;
  c.slug = id;
  c.name = "Channel " + id;
  c.state = state;
  return c;
}

}  // namespace streamsync::viewer::fixtures
