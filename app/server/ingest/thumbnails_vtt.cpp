#include "ingest/thumbnails_vtt.hpp"

#include <algorithm>
#include <cstdio>

namespace streamsync::server {
namespace {

std::string vtt_time(std::int64_t us) {
  const std::int64_t ms = us / 1000;
  char text[32];
  std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3'600'000), static_cast<long long>(ms / 60'000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return text;
}

}  // namespace

std::string thumbnails_vtt(const SpritePlan& sprite, std::int64_t duration_us,
                           const std::string& sprite_uri) {
  std::string vtt = "WEBVTT\n";
  const std::int64_t interval_us = static_cast<std::int64_t>(sprite.interval_s) * 1'000'000;
  for (int i = 0; i < sprite.count; ++i) {
    const std::int64_t start = i * interval_us;
    const std::int64_t end = i + 1 == sprite.count ? std::max(duration_us, start + 1000)
                                                   : std::min(duration_us, start + interval_us);
    const int x = (i % sprite.columns) * sprite.tile_width;
    const int y = (i / sprite.columns) * sprite.tile_height;
    vtt += "\n" + vtt_time(start) + " --> " + vtt_time(end) + "\n" + sprite_uri +
           "#xywh=" + std::to_string(x) + "," + std::to_string(y) + "," +
           std::to_string(sprite.tile_width) + "," + std::to_string(sprite.tile_height) + "\n";
  }
  return vtt;
}

}  // namespace streamsync::server
